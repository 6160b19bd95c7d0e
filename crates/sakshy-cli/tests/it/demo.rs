//! The demo data load through the real import path, and `sakshy locate` answers for the station.

use crate::import::Sandbox;

#[test]
fn the_demo_files_import_cleanly_and_the_station_is_in_the_pilot_quadrant() {
    let sandbox = Sandbox::new();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/shymkent");
    let file = |name: &str| data.join(name).display().to_string();
    let output = sandbox.run(&["import", "territories", &file("territories.geojson")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.stderr.is_empty(),
        "no warnings (gaps) in the demo city: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("80 added"));
    sandbox.ok(&["import", "agencies", &file("agencies.csv")]);
    sandbox.ok(&["import", "points", &file("points.geojson")]);
    sandbox.ok(&["import", "officers", &file("officers.csv")]);
    assert_eq!(
        sandbox.ok(&["import", "categories", &file("categories.csv")]).trim(),
        "categories: 32 added, 0 changed, 0 unchanged"
    );
    assert_eq!(
        sandbox.ok(&["import", "routing", &file("routing.csv")]).trim(),
        "routing overrides: 5 added, 0 changed, 0 unchanged"
    );
    let text = sandbox.ok(&["locate", "42.29871", "69.61030"]);
    assert!(text.starts_with("quadrant  SHY-ALF-Q01 — Railway station"), "{text}");
    assert!(text.contains("(pilot)") && text.contains("district  SHY-ALF — Al-Farabi"), "{text}");
    assert!(text.contains("officer   district_inspector "), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&sandbox.ok(&["locate", "42.29871", "69.61030", "--json"])).unwrap();
    assert_eq!(json["quadrant"]["code"], "SHY-ALF-Q01");
    // Outside the city: exit code 3 and the nearest quadrant.
    let outside = sandbox.run(&["locate", "43.2", "76.9"]);
    assert_eq!(outside.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&outside.stderr).contains("outside every quadrant; the nearest is SHY-"));
}
