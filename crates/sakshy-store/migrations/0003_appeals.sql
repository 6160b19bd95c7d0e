-- Appeals: the appeal, its tasks per agency, its append-only history, the resident's contact details (kept
-- apart: personal data), receipt counters, idempotency keys, and counts of emergency diversions (no personal
-- data at all).

CREATE TABLE appeal (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    appeal_id BIGINT NOT NULL,
    receipt TEXT NOT NULL,
    tracking_hash TEXT NOT NULL,
    category_code TEXT NOT NULL,
    track TEXT NOT NULL,
    description TEXT NOT NULL,
    search_key TEXT NOT NULL,
    lang TEXT NOT NULL,
    channel TEXT NOT NULL,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    cell_key TEXT,
    address_text TEXT,
    police_point_code TEXT,
    quadrant_code TEXT,
    quadrant_version_id BIGINT,
    district_code TEXT,
    state TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    redirect_by TEXT NOT NULL,
    extension_limit TEXT NOT NULL,
    answered_on TEXT,
    closed BIGINT NOT NULL,
    erdr_reference TEXT,
    synthetic BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, appeal_id)
);
CREATE UNIQUE INDEX appeal_receipt ON appeal (city_id, receipt);
CREATE UNIQUE INDEX appeal_tracking ON appeal (city_id, tracking_hash);
CREATE INDEX appeal_by_state_due ON appeal (city_id, state, due_on);
CREATE INDEX appeal_by_quadrant ON appeal (city_id, quadrant_code, created_at);
CREATE INDEX appeal_by_category_cell ON appeal (city_id, category_code, cell_key, created_at);

CREATE TABLE appeal_task (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    task_no BIGINT NOT NULL,
    agency_code TEXT NOT NULL,
    state TEXT NOT NULL,
    due_on TEXT NOT NULL,
    redirected_from TEXT,
    PRIMARY KEY (city_id, appeal_id, task_no),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);
CREATE INDEX appeal_task_by_agency ON appeal_task (city_id, agency_code, state);

CREATE TABLE appeal_event (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    event_no BIGINT NOT NULL,
    happened_at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    agency_code TEXT,
    from_state TEXT,
    to_state TEXT,
    public_comment TEXT,
    internal_comment TEXT,
    PRIMARY KEY (city_id, appeal_id, event_no),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);

-- Personal data, apart from the appeal so that it can be masked, audited and erased on its own.
CREATE TABLE appeal_contact (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    name TEXT,
    phone TEXT,
    email TEXT,
    consent_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, appeal_id),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);

CREATE TABLE receipt_counter (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    receipt_year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (city_id, receipt_year)
);

CREATE TABLE idempotency_key (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    idem_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, idem_key)
);

-- How many emergencies were diverted to 102/112/103, per day and category: counts only, nothing about anyone.
CREATE TABLE diversion_count (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    diverted_on TEXT NOT NULL,
    category_code TEXT NOT NULL,
    diversions BIGINT NOT NULL,
    PRIMARY KEY (city_id, diverted_on, category_code)
);
