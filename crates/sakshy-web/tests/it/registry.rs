//! Districts, quadrants, points, officers, agencies.

use crate::helpers::{demo_file, spawn_app};

#[tokio::test]
async fn districts_list_the_five_districts_with_their_quadrant_counts() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/districts").await;
    assert_eq!(status, 200);
    let districts = body["districts"].as_array().unwrap();
    let codes: Vec<&str> = districts.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["SHY-ABY", "SHY-ALF", "SHY-ENB", "SHY-KRT", "SHY-TRN"]);
    assert_eq!(body["meta"]["total"], 5);
    let total: u64 = districts.iter().map(|d| d["quadrant_count"].as_u64().unwrap()).sum();
    assert_eq!(total, 74);
    assert_eq!(districts[1]["population"], 205_249);
    assert_eq!(districts[1]["valid_from"], "1970-01-01T00:00:01Z");
}

#[tokio::test]
async fn quadrants_are_geojson_and_filter_by_district() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/quadrants?district=SHY-ALF").await;
    assert_eq!(status, 200);
    assert_eq!(body["type"], "FeatureCollection");
    let features = body["features"].as_array().unwrap();
    assert_eq!(features.len(), 16);
    for feature in features {
        assert_eq!(feature["type"], "Feature");
        assert_eq!(feature["properties"]["parent"], "SHY-ALF");
        assert_eq!(feature["properties"]["level"], "quadrant");
        // RFC 7946: closed rings of [lon, lat].
        let ring = feature["geometry"]["coordinates"][0].as_array().unwrap();
        assert_eq!(ring.first(), ring.last());
        let lon = ring[0][0].as_f64().unwrap();
        assert!((69.0..70.5).contains(&lon), "longitude first: {lon}");
    }
    let (status, body) = app.get("/api/v1/quadrants?district=SHY-XXX&lang=en").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["message"], "district SHY-XXX was not found.");
}

#[tokio::test]
async fn one_quadrant_carries_its_officers_and_points() {
    let app = spawn_app().await;
    let (status, mut body) = app.get("/api/v1/quadrants/SHY-ALF-Q01").await;
    assert_eq!(status, 200);
    assert_eq!(body["properties"]["pilot"], true);
    assert_eq!(body["properties"]["officers"][0]["role"], "district_inspector");
    assert!(!body["properties"]["points"].as_array().unwrap().is_empty());
    // The format is guarded by a snapshot; ids, times and the clock-dependent flag are redacted.
    body["properties"]["version_id"] = "[id]".into();
    for point in body["properties"]["points"].as_array_mut().unwrap() {
        point["open_now"] = "[clock]".into();
    }
    insta::assert_json_snapshot!("quadrant_shy_alf_q01", body);
    let (status, _) = app.get("/api/v1/quadrants/NOPE").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn points_and_officers_filter_by_quadrant() {
    let app = spawn_app().await;
    let (_, all) = app.get("/api/v1/points").await;
    assert_eq!(all["meta"]["total"], 17);
    let (status, serving) = app.get("/api/v1/points?quadrant=SHY-ALF-Q01").await;
    assert_eq!(status, 200);
    let serving = serving["points"].as_array().unwrap();
    assert!(!serving.is_empty() && serving.len() < 17);
    assert!(serving.iter().all(|p| p["quadrants"].as_array().unwrap().iter().any(|q| q == "SHY-ALF-Q01")));
    let (_, officers) = app.get("/api/v1/officers?quadrant=SHY-ALF-Q01").await;
    let officers = officers["officers"].as_array().unwrap();
    assert_eq!(officers[0]["role"], "district_inspector");
    assert!(officers.iter().all(|o| o["quadrants"].as_array().unwrap().iter().any(|q| q == "SHY-ALF-Q01")));
    let (status, _) = app.get("/api/v1/officers?quadrant=SHY-NOPE").await;
    assert_eq!(status, 404, "a typo is not an empty list");
    let (_, everyone) = app.get("/api/v1/officers").await;
    assert_eq!(everyone["meta"]["total"], demo_file("officers.csv").lines().count() - 1);
}

#[tokio::test]
async fn agencies_include_the_emergency_lines() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/agencies").await;
    assert_eq!(status, 200);
    let agencies = body["agencies"].as_array().unwrap();
    assert_eq!(agencies.len(), demo_file("agencies.csv").lines().count() - 1);
    let police = agencies.iter().find(|a| a["code"] == "EMERG_102").unwrap();
    assert_eq!((police["kind"].as_str(), police["phone"].as_str()), (Some("emergency"), Some("102")));
}

#[tokio::test]
async fn an_import_made_elsewhere_is_served_after_a_refresh() {
    let app = spawn_app().await;
    let renamed = demo_file("territories.geojson").replace("\"name_en\":\"Abay\"", "\"name_en\":\"Abai\"");
    assert_ne!(renamed, demo_file("territories.geojson"), "fixture edit applies");
    app.store.import_territories(&renamed, "test", 2_000).await.unwrap();
    let (_, before) = app.get("/api/v1/districts").await;
    assert_eq!(before["districts"][0]["name"]["en"], "Abay", "the snapshot is not re-read on every request");
    assert!(app.state.refresh().await.unwrap());
    let (_, after) = app.get("/api/v1/districts").await;
    assert_eq!(after["districts"][0]["name"]["en"], "Abai");
    assert!(!app.state.refresh().await.unwrap(), "nothing moved since");
}

#[tokio::test]
async fn categories_list_emergencies_with_the_number_to_call() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/categories").await;
    assert_eq!(status, 200);
    let categories = body["categories"].as_array().unwrap();
    assert_eq!(categories.len(), demo_file("categories.csv").lines().count() - 1);
    assert_eq!(categories[0]["code"], "CRIME_NOW", "emergencies come first, as listed");
    assert_eq!((categories[0]["urgency"].as_str(), categories[0]["call"].as_str()), (Some("emergency"), Some("102")));
    let noise = categories.iter().find(|c| c["code"] == "NOISE").unwrap();
    assert!(noise.get("call").is_none());
    assert_eq!(noise["name"]["kk"], "Тыныштықты бұзу, шу");
}
