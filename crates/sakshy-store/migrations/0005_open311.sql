-- API keys of Open311 client applications (e.g. a FixMyStreet front end): required to POST requests.

CREATE TABLE open311_key (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    open311_key_id BIGINT NOT NULL,
    key_hash TEXT NOT NULL,
    label TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (city_id, open311_key_id)
);
CREATE UNIQUE INDEX open311_key_hash ON open311_key (city_id, key_hash);
