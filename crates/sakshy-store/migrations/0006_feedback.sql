-- The resident's rating of the answer (1–5) and comment; one per appeal, the latest kept.

CREATE TABLE appeal_feedback (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    rating BIGINT NOT NULL,
    comment TEXT,
    given_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, appeal_id),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);
