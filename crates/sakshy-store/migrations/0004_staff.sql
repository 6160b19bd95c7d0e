-- Staff accounts, API tokens bound to them, and the audit log of who saw and changed what.

CREATE TABLE staff_user (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    staff_user_id BIGINT NOT NULL,
    login TEXT NOT NULL,
    display_name TEXT NOT NULL,
    staff_role TEXT NOT NULL,
    scope TEXT NOT NULL,
    disabled BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, staff_user_id)
);
CREATE UNIQUE INDEX staff_user_login ON staff_user (city_id, login);

CREATE TABLE api_token (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    api_token_id BIGINT NOT NULL,
    token_hash TEXT NOT NULL,
    staff_user_id BIGINT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (city_id, api_token_id),
    FOREIGN KEY (city_id, staff_user_id) REFERENCES staff_user (city_id, staff_user_id)
);
CREATE UNIQUE INDEX api_token_hash ON api_token (city_id, token_hash);

-- Every read of personal data and every change, by whom, when, from where.
CREATE TABLE audit_event (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    audit_event_id BIGINT NOT NULL,
    happened_at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    object TEXT NOT NULL,
    from_address TEXT,
    PRIMARY KEY (city_id, audit_event_id)
);
CREATE INDEX audit_event_by_time ON audit_event (city_id, happened_at);
