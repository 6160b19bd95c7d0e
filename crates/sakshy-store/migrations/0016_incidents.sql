-- Incidents: offences recorded by the police, or generated for the demo (`synthetic` = 1), the events the
-- analyses count. Imported from files (`sakshy import incidents`); a record is identified by its source
-- system and its id there, so importing a file again writes nothing twice.
-- `occurred_at` is UTC epoch milliseconds; with `hour_known` = 0 only the (local) day is known and
-- `occurred_at` is its local midnight. `quadrant_code` and `district_code` are where the territories in force
-- at the import placed the point (NULL: outside every quadrant); they are not rewritten when boundaries change.
CREATE TABLE incident (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    incident_id BIGINT NOT NULL,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    occurred_at BIGINT NOT NULL,
    hour_known BIGINT NOT NULL,
    offence_code TEXT,
    offence_group TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    quadrant_code TEXT,
    district_code TEXT,
    address TEXT,
    erdr_ref TEXT,
    synthetic BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, incident_id)
);
CREATE UNIQUE INDEX incident_source_id ON incident (city_id, source, source_id);
CREATE INDEX incident_time ON incident (city_id, occurred_at);
CREATE INDEX incident_group_time ON incident (city_id, offence_group, occurred_at);
CREATE INDEX incident_quadrant_time ON incident (city_id, quadrant_code, occurred_at);
CREATE INDEX incident_district_time ON incident (city_id, district_code, occurred_at);
