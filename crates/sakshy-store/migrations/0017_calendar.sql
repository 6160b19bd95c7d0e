-- Working-calendar years loaded by an administrator: each replaces the year shipped with Sakshy, or extends the
-- calendar (a year the government publishes after the release). The file is kept as it was loaded, checked.
CREATE TABLE calendar_year (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    year INTEGER NOT NULL,
    body TEXT NOT NULL,
    source TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, year)
);
