-- The registry: the city, its territories (versioned), police points, officers and agencies.
-- Portable SQL for SQLite and PostgreSQL (see ARCHITECTURE.md): application-generated BIGINT ids,
-- epoch-millisecond BIGINT times, booleans as BIGINT 0/1, JSON as TEXT, and city_id — the tenant and
-- distribution key — first in every primary key.

CREATE TABLE city (
    city_id BIGINT NOT NULL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    timezone TEXT NOT NULL,
    default_lang TEXT NOT NULL,
    revision BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE territory_version (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    territory_version_id BIGINT NOT NULL,
    level TEXT NOT NULL,
    code TEXT NOT NULL,
    parent_code TEXT,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    population BIGINT,
    pilot BIGINT NOT NULL,
    geometry_status TEXT NOT NULL,
    geometry TEXT NOT NULL,
    min_lon DOUBLE PRECISION NOT NULL,
    min_lat DOUBLE PRECISION NOT NULL,
    max_lon DOUBLE PRECISION NOT NULL,
    max_lat DOUBLE PRECISION NOT NULL,
    valid_from BIGINT NOT NULL,
    valid_to BIGINT,
    PRIMARY KEY (city_id, territory_version_id)
);
CREATE UNIQUE INDEX territory_version_code ON territory_version (city_id, level, code, valid_from);
CREATE INDEX territory_version_valid ON territory_version (city_id, valid_to);

CREATE TABLE police_point (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    police_point_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    address_kk TEXT NOT NULL,
    address_ru TEXT NOT NULL,
    phone TEXT,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    hours TEXT NOT NULL,
    services TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, police_point_id)
);
CREATE UNIQUE INDEX police_point_code ON police_point (city_id, code);

CREATE TABLE police_point_quadrant (
    city_id BIGINT NOT NULL,
    police_point_id BIGINT NOT NULL,
    quadrant_code TEXT NOT NULL,
    PRIMARY KEY (city_id, police_point_id, quadrant_code),
    FOREIGN KEY (city_id, police_point_id) REFERENCES police_point (city_id, police_point_id)
);
CREATE INDEX police_point_quadrant_by_quadrant ON police_point_quadrant (city_id, quadrant_code);

CREATE TABLE officer (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    officer_id BIGINT NOT NULL,
    badge TEXT NOT NULL,
    name TEXT NOT NULL,
    officer_rank TEXT NOT NULL,
    officer_role TEXT NOT NULL,
    phone TEXT,
    point_code TEXT,
    reception_hours TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, officer_id)
);
CREATE UNIQUE INDEX officer_badge ON officer (city_id, badge);

CREATE TABLE officer_quadrant (
    city_id BIGINT NOT NULL,
    officer_id BIGINT NOT NULL,
    quadrant_code TEXT NOT NULL,
    PRIMARY KEY (city_id, officer_id, quadrant_code),
    FOREIGN KEY (city_id, officer_id) REFERENCES officer (city_id, officer_id)
);
CREATE INDEX officer_quadrant_by_quadrant ON officer_quadrant (city_id, quadrant_code);

CREATE TABLE agency (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    agency_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    website TEXT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, agency_id)
);
CREATE UNIQUE INDEX agency_code ON agency (city_id, code);

-- One row per import that changed something: what, when, and how much.
CREATE TABLE import_log (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    import_log_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    added BIGINT NOT NULL,
    changed BIGINT NOT NULL,
    unchanged BIGINT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, import_log_id)
);
