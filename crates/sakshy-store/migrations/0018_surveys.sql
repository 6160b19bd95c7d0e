-- Surveys of the population and pilot evaluations.
--
-- An instrument (questionnaire) is kept as the JSON its author wrote, one row per (code, version); a version once
-- saved never changes, since waves may already use it. A wave is one round of collection with one instrument:
-- open to anyone, or by invitation. Invitation tokens are stored only as SHA-256 hashes, and a response does not
-- say which token it used (the list of who got which token must not lead to anyone's answers); for the same reason
-- an invitation's `used_at` is only the UTC day (epoch milliseconds of its midnight), not the time of the response. Answers are a JSON
-- object, checked and scrubbed of personal data before they reach the store. `source_id` is the id a response
-- had in the system it was imported from (KoboToolbox `_uuid`, ODK `instanceID`): unique per wave, so that an
-- export can be imported twice; NULL for responses entered here (NULLs are distinct in a unique index on SQLite
-- and PostgreSQL alike). When a response was stored is in its id (time-ordered, see `id.rs`).
CREATE TABLE survey_instrument (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    instrument_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    version TEXT NOT NULL,
    definition TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, instrument_id)
);
CREATE UNIQUE INDEX survey_instrument_version ON survey_instrument (city_id, code, version);
CREATE INDEX survey_instrument_by_created ON survey_instrument (city_id, created_at);

CREATE TABLE survey_wave (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    wave_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    instrument_id BIGINT NOT NULL,
    access TEXT NOT NULL,
    status TEXT NOT NULL,
    opens_on TEXT NOT NULL,
    closes_on TEXT NOT NULL,
    synthetic BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, wave_id),
    FOREIGN KEY (city_id, instrument_id) REFERENCES survey_instrument (city_id, instrument_id)
);
CREATE UNIQUE INDEX survey_wave_code ON survey_wave (city_id, code);
CREATE INDEX survey_wave_by_opening ON survey_wave (city_id, opens_on, code);

CREATE TABLE survey_invitation (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    token_hash TEXT NOT NULL,
    wave_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (city_id, token_hash),
    FOREIGN KEY (city_id, wave_id) REFERENCES survey_wave (city_id, wave_id)
);
CREATE INDEX survey_invitation_by_wave ON survey_invitation (city_id, wave_id, used_at);

CREATE TABLE survey_response (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    response_id BIGINT NOT NULL,
    wave_id BIGINT NOT NULL,
    channel TEXT NOT NULL,
    source_id TEXT,
    quadrant_code TEXT,
    district_code TEXT,
    age_band TEXT,
    sex TEXT,
    answers TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    enumerator_id BIGINT,
    PRIMARY KEY (city_id, response_id),
    FOREIGN KEY (city_id, wave_id) REFERENCES survey_wave (city_id, wave_id),
    FOREIGN KEY (city_id, enumerator_id) REFERENCES staff_user (city_id, staff_user_id)
);
CREATE UNIQUE INDEX survey_response_source ON survey_response (city_id, wave_id, source_id);
CREATE INDEX survey_response_by_wave ON survey_response (city_id, wave_id, response_id);
CREATE INDEX survey_response_by_quadrant ON survey_response (city_id, wave_id, quadrant_code);

-- Population per district, age band and sex (e.g. from the statistics bureau), the margins survey weights are
-- raked to. Replaced as a whole by each import.
CREATE TABLE population_margin (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    district_code TEXT NOT NULL,
    age_band TEXT NOT NULL,
    sex TEXT NOT NULL,
    population DOUBLE PRECISION NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, district_code, age_band, sex)
);

-- The design of a pilot evaluation: pilot and control quadrants (JSON arrays of quadrant codes), the pilot's start
-- and the buffer around the pilot in which displacement is measured.
CREATE TABLE evaluation_design (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    code TEXT NOT NULL,
    title TEXT NOT NULL,
    pilot TEXT NOT NULL,
    control TEXT NOT NULL,
    start_on TEXT NOT NULL,
    buffer_metres BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, code)
);
