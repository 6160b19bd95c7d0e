//! Runs a test body against each available backend, each time on a fresh, migrated database.

use std::future::Future;

use sakshy_store::Store;

/// Runs `test` on a fresh SQLite file and, when `TEST_DATABASE_URL` names a PostgreSQL server, on a fresh
/// database created there for this test and dropped after it.
pub async fn for_each_backend<F, Fut>(test: F)
where
    F: Fn(Store) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite:{}", dir.path().join("test.db").display());
    let store = Store::connect(&url).await.expect("open sqlite");
    store.migrate().await.expect("migrate sqlite");
    test(store.clone()).await;
    store.close().await;

    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: PostgreSQL skipped for this test");
        return;
    };
    let name = format!("sakshy_test_{}", uuid::Uuid::new_v4().simple());
    let admin = Store::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
    admin.execute_raw_for_tests(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    let (base, _) = admin_url.rsplit_once('/').expect("a URL with a database name");
    let store = Store::connect(&format!("{base}/{name}")).await.expect("connect to the test database");
    store.migrate().await.expect("migrate postgres");
    test(store.clone()).await;
    store.close().await;
    admin.execute_raw_for_tests(&format!("DROP DATABASE {name}")).await.expect("drop test database");
    admin.close().await;
}

/// The toy city of the core's unit tests, as a file: city TOY, districts TOY-W and TOY-E, four quadrants
/// each.
pub fn toy_city() -> String {
    let round = |v: f64| (v * 1e6).round() / 1e6;
    let rect = |x0: f64, y0: f64, x1: f64, y1: f64| {
        let (x0, y0, x1, y1) = (round(x0), round(y0), round(x1), round(y1));
        serde_json::json!({"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]})
    };
    let mut features = vec![serde_json::json!({"type": "Feature", "geometry": rect(69.5, 42.2, 69.7, 42.4),
        "properties": {"level": "city", "code": "TOY", "name_kk": "Ойыншық", "name_ru": "Игрушечный", "name_en": "Toy",
                       "timezone": "Asia/Almaty"}})];
    for (district, x0) in [("TOY-W", 69.5), ("TOY-E", 69.6)] {
        features.push(serde_json::json!({"type": "Feature", "geometry": rect(x0, 42.2, x0 + 0.1, 42.4),
            "properties": {"level": "district", "code": district, "parent": "TOY", "name_kk": "Аудан",
                           "name_ru": "Район", "name_en": "District"}}));
        let mut n = 0;
        for y0 in [42.2, 42.3] {
            for dx in [0.0, 0.05] {
                n += 1;
                features.push(
                    serde_json::json!({"type": "Feature", "geometry": rect(x0 + dx, y0, x0 + dx + 0.05, y0 + 0.1),
                    "properties": {"level": "quadrant", "code": format!("{district}-Q{n}"), "parent": district,
                                   "name_kk": "Квадрант", "name_ru": "Квадрант", "name_en": "Quadrant",
                                   "pilot": district == "TOY-E" && n == 1, "population": 5000}}),
                );
            }
        }
    }
    serde_json::json!({"type": "FeatureCollection", "features": features}).to_string()
}
