-- Appeal categories, per-district routing overrides, and the log of every change made to them.

CREATE TABLE category (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    category_id BIGINT NOT NULL,
    code TEXT NOT NULL,
    group_code TEXT NOT NULL,
    urgency TEXT NOT NULL,
    track TEXT NOT NULL,
    anonymous_allowed BIGINT NOT NULL,
    primary_agency TEXT NOT NULL,
    joint_agencies TEXT NOT NULL,
    referral_agencies TEXT NOT NULL,
    deadline_working_days BIGINT,
    duplicate_radius_m BIGINT NOT NULL,
    duplicate_window_days BIGINT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    description_kk TEXT NOT NULL,
    description_ru TEXT NOT NULL,
    description_en TEXT NOT NULL,
    position BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, category_id)
);
CREATE UNIQUE INDEX category_code ON category (city_id, code);

CREATE TABLE routing_override (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    district_code TEXT NOT NULL,
    category_code TEXT NOT NULL,
    replaces TEXT NOT NULL,
    agency TEXT NOT NULL,
    PRIMARY KEY (city_id, district_code, category_code, replaces)
);

-- Every change to categories and routing: what it was and what it became, who, when.
CREATE TABLE registry_change (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    registry_change_id BIGINT NOT NULL,
    entity TEXT NOT NULL,
    entity_code TEXT NOT NULL,
    change_kind TEXT NOT NULL,
    before_value TEXT,
    after_value TEXT,
    actor TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, registry_change_id)
);
CREATE INDEX registry_change_by_entity ON registry_change (city_id, entity, entity_code);
