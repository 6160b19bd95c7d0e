-- Photos attached to appeals: decoded and re-encoded on intake (so no metadata such as GPS position survives),
-- shown to staff only.

CREATE TABLE appeal_photo (
    city_id BIGINT NOT NULL,
    appeal_id BIGINT NOT NULL,
    photo_no BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    width BIGINT NOT NULL,
    height BIGINT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (city_id, appeal_id, photo_no),
    FOREIGN KEY (city_id, appeal_id) REFERENCES appeal (city_id, appeal_id)
);
