-- The gazetteer: streets and microdistricts with a representative point each, for finding a quadrant by
-- address. `search_key` holds the three names folded in Rust (SQLite's lower() folds ASCII only).
CREATE TABLE gazetteer_place (
    city_id BIGINT NOT NULL REFERENCES city (city_id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    search_key TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (city_id, code)
);
