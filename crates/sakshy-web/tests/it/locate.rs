//! `GET /api/v1/locate`.

use geo::InteriorPoint;
use sakshy_core::geometry::polygonal_from_geojson;

use crate::helpers::{spawn_app, spawn_empty_app};

#[tokio::test]
async fn the_railway_station_is_in_the_pilot_quadrant_of_al_farabi() {
    let app = spawn_app().await;
    let (status, body) = app.locate(42.29871, 69.61030).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["quadrant"]["code"], "SHY-ALF-Q01");
    assert_eq!(body["quadrant"]["pilot"], true);
    assert_eq!(body["quadrant"]["geometry_status"], "illustrative");
    assert_eq!(body["quadrant"]["district"]["code"], "SHY-ALF");
    assert_eq!(body["quadrant"]["district"]["name"]["kk"], "Әл-Фараби ауданы");
    assert_eq!(body["officers"][0]["role"], "district_inspector");
    assert!(body["officers"][0]["quadrants"].as_array().unwrap().iter().any(|q| q == "SHY-ALF-Q01"));
    let points = body["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    // The station's modular post is the nearest, a few dozen metres away.
    assert_eq!(points[0]["kind"], "modular_post");
    let distances: Vec<f64> = points.iter().map(|p| p["distance_m"].as_f64().unwrap()).collect();
    assert!(distances[0] < 150.0, "{distances:?}");
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "sorted by distance: {distances:?}");
    for point in points {
        let expected = (point["distance_m"].as_f64().unwrap() * 1.3 / 80.0).ceil();
        assert!((point["walk_min"].as_f64().unwrap() - expected).abs() <= 1.0, "{point}");
    }
}

#[tokio::test]
async fn every_quadrant_of_every_district_resolves_to_itself() {
    let app = spawn_app().await;
    let (_, quadrants) = app.get("/api/v1/quadrants").await;
    let features = quadrants["features"].as_array().unwrap();
    assert_eq!(features.len(), 74);
    let mut districts = std::collections::BTreeSet::new();
    for feature in features {
        let geometry = polygonal_from_geojson(Some(&feature["geometry"])).unwrap();
        let inside = geometry.interior_point().unwrap();
        let (status, body) = app.locate(inside.y(), inside.x()).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["quadrant"]["code"], feature["properties"]["code"]);
        assert_eq!(body["quadrant"]["district"]["code"], feature["properties"]["parent"]);
        assert!(!body["officers"].as_array().unwrap().is_empty(), "every quadrant has an inspector");
        districts.insert(body["quadrant"]["district"]["code"].as_str().unwrap().to_owned());
    }
    assert_eq!(districts.into_iter().collect::<Vec<_>>(), ["SHY-ABY", "SHY-ALF", "SHY-ENB", "SHY-KRT", "SHY-TRN"]);
}

#[tokio::test]
async fn a_point_outside_the_city_is_a_404_naming_the_nearest_quadrant() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/locate?lat=42.0&lon=69.6103").await;
    assert_eq!(status, 404);
    let error = &body["error"];
    assert!(error["nearest_quadrant"]["code"].as_str().unwrap().starts_with("SHY-"), "{body}");
    let distance = error["distance_m"].as_f64().unwrap();
    assert!(distance > 1_000.0 && distance < 30_000.0, "{distance}");
    // Kazakh by default, naming the quadrant and the distance.
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("Бұл нүкте ешбір квадрантқа кірмейді."), "{message}");
    assert!(message.contains(&format!("{distance:.0} м")), "{message}");
}

#[tokio::test]
async fn bad_coordinates_are_a_400_naming_the_field_in_the_users_language() {
    let app = spawn_app().await;
    let (status, body) = app.get_with("/api/v1/locate?lon=69.6", &[("Accept-Language", "ru-RU,ru;q=0.9")]).await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "lat");
    assert_eq!(body["error"]["message"], "Поле «lat» обязательно.");
    let (status, body) = app.get("/api/v1/locate?lat=42.3&lon=east&lang=en").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "lon");
    assert_eq!(body["error"]["message"], "The field \"lon\" must be a number, got \"east\".");
    let (status, body) = app.get("/api/v1/locate?lat=142.3&lon=69.6&lang=en").await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["message"], "The field \"lat\" must be between -90 and 90, got 142.3.");
    let (status, body) = app.get("/api/v1/locate?lat=NaN&lon=69.6").await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("lat")));
}

#[tokio::test]
async fn before_any_city_is_imported_the_api_says_so() {
    let app = spawn_empty_app().await;
    let (status, body) = app.get("/api/v1/locate?lat=42.3&lon=69.6&lang=en").await;
    assert_eq!(status, 503);
    assert_eq!(body["error"]["message"], "No city is loaded yet: import territories first.");
}
