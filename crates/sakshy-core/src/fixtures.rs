//! A toy city for unit tests: a 0.2° × 0.2° square near Shymkent, two districts side by side, each split
//! into four quadrants. Test-only; nothing here ships.

use serde_json::{Value, json};

/// A closed rectangular ring `[lon0, lat0]`–`[lon1, lat1]`, counter-clockwise.
pub fn rect(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> Value {
    json!({"type": "Polygon", "coordinates": [[[lon0, lat0], [lon1, lat0], [lon1, lat1], [lon0, lat1], [lon0, lat0]]]})
}

/// A feature with the given properties and geometry.
pub fn feature(props: Value, geometry: Value) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": geometry})
}

fn names(code: &str) -> [String; 3] {
    [format!("{code} kk"), format!("{code} ru"), format!("{code} en")]
}

/// The toy city's features: city `TOY`, districts `TOY-W` and `TOY-E`, quadrants `TOY-W-Q1`…`TOY-E-Q4`.
pub fn toy_features() -> Vec<Value> {
    let [kk, ru, en] = names("TOY");
    let mut features = vec![feature(
        json!({"level": "city", "code": "TOY", "name_kk": kk, "name_ru": ru, "name_en": en,
               "timezone": "Asia/Almaty", "default_lang": "kk", "population": 100000}),
        rect(69.5, 42.2, 69.7, 42.4),
    )];
    for (district, lon0) in [("TOY-W", 69.5), ("TOY-E", 69.6)] {
        let [kk, ru, en] = names(district);
        features.push(feature(
            json!({"level": "district", "code": district, "parent": "TOY", "name_kk": kk, "name_ru": ru, "name_en": en}),
            rect(lon0, 42.2, lon0 + 0.1, 42.4),
        ));
        let mut n = 0;
        for lat0 in [42.2, 42.3] {
            for dx in [0.0, 0.05] {
                n += 1;
                let code = format!("{district}-Q{n}");
                let [kk, ru, en] = names(&code);
                features.push(feature(
                    json!({"level": "quadrant", "code": code, "parent": district, "name_kk": kk, "name_ru": ru,
                           "name_en": en, "pilot": district == "TOY-E" && n == 1, "population": 5000}),
                    rect(lon0 + dx, lat0, lon0 + dx + 0.05, lat0 + 0.1),
                ));
            }
        }
    }
    features
}

/// A `FeatureCollection` text of the given features.
pub fn collection(features: &[Value]) -> String {
    json!({"type": "FeatureCollection", "features": features}).to_string()
}
