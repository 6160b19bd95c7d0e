-- Passwords of staff accounts (Argon2id PHC strings), login sessions, failed logins counted in the database
-- so that throttling and lockout hold across processes, and staff-only notes on appeals.

ALTER TABLE staff_user ADD COLUMN password_hash TEXT;

-- A session is known by the SHA-256 of its cookie token; the token itself is never stored.
CREATE TABLE staff_session (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    session_hash TEXT NOT NULL,
    staff_user_id BIGINT NOT NULL,
    csrf_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, session_hash),
    FOREIGN KEY (city_id, staff_user_id) REFERENCES staff_user (city_id, staff_user_id)
);
CREATE INDEX staff_session_by_user ON staff_session (city_id, staff_user_id);

-- One row per failed login, by subject (`login:NAME` or `address:IP`).
CREATE TABLE login_failure (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    login_failure_id BIGINT NOT NULL,
    subject TEXT NOT NULL,
    failed_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, login_failure_id)
);
CREATE INDEX login_failure_by_subject ON login_failure (city_id, subject, failed_at);

-- Internal notes on an appeal, for staff only (never shown to the resident, in public views, Open311 or webhooks).
-- `author_agency` is set when a partner agency wrote the note: agencies read only their own agency's notes.
CREATE TABLE appeal_note (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    appeal_note_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    author TEXT NOT NULL,
    author_agency TEXT,
    created_at BIGINT NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (city_id, appeal_note_id),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);
CREATE INDEX appeal_note_by_appeal ON appeal_note (city_id, appeal_id, created_at);
