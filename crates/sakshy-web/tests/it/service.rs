//! Health, readiness, metrics, the OpenAPI description and the landing page.

use crate::helpers::spawn_app;

#[tokio::test]
async fn health_and_readiness() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await, (200, "ok".into()));
    let (status, body) = app.get("/readyz").await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"ready": true, "database": "ok", "migrations": "current", "city": "SHY"}));
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_status() {
    let app = spawn_app().await;
    app.get("/api/v1/quadrants/SHY-ALF-Q01").await;
    app.get("/api/v1/quadrants/NOPE").await;
    let (status, body) = app.get("/metrics").await;
    assert_eq!(status, 200);
    let text = body.as_str().unwrap();
    assert!(
        text.contains("http_requests_total{method=\"GET\",route=\"/api/v1/quadrants/{code}\",status=\"200\"}"),
        "{text}"
    );
    assert!(
        text.contains("http_requests_total{method=\"GET\",route=\"/api/v1/quadrants/{code}\",status=\"404\"}"),
        "{text}"
    );
    assert!(text.contains("http_request_duration_seconds_bucket"), "{text}");
}

/// Every route the router serves, as the OpenAPI document must describe it.
const ROUTES: &[&str] = &[
    "/api/v1/locate",
    "/api/v1/districts",
    "/api/v1/quadrants",
    "/api/v1/quadrants/{code}",
    "/api/v1/points",
    "/api/v1/officers",
    "/api/v1/agencies",
    "/api/v1/categories",
    "/api/v1/appeals",
    "/api/v1/appeals/nearby",
    "/api/v1/track/{token}",
    "/api/v1/track/{token}/feedback",
    "/api/v1/track/{token}/reopen",
    "/api/v1/track/{token}/close",
    "/api/v1/staff/appeals",
    "/api/v1/staff/appeals.csv",
    "/api/v1/staff/appeals/{receipt}",
    "/api/v1/staff/appeals/{receipt}/actions",
    "/api/v1/staff/appeals/{receipt}/photos/{number}",
    "/api/v1/admin/categories",
    "/api/v1/admin/routing",
    "/api/v1/admin/changes",
    "/api/v1/admin/audit",
    "/api/v1/admin/audit.csv",
    "/api/v1/analytics/hotspots",
    "/api/v1/analytics/near-repeat",
    "/api/v1/analytics/temporal",
    "/api/v1/surveys/{wave}/estimates",
    "/api/v1/surveys/{wave}/estimates.csv",
    "/api/v1/evaluations/{code}",
    "/api/v1/evaluations/{code}/report.csv",
    "/api/v1/openapi.json",
    "/healthz",
    "/readyz",
    "/metrics",
];

#[tokio::test]
async fn the_openapi_document_describes_every_route_and_every_route_answers() {
    let app = spawn_app().await;
    let (status, spec) = app.get("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    let paths: Vec<&str> = spec["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(paths, ROUTES, "the document and the router list the same paths");
    for route in ROUTES {
        let path = match *route {
            "/api/v1/locate" => "/api/v1/locate?lat=42.29871&lon=69.6103".to_owned(),
            "/api/v1/appeals/nearby" => "/api/v1/appeals/nearby?category=NOISE&lat=42.29871&lon=69.6103".to_owned(),
            other => {
                other.replace("{code}", "SHY-ALF-Q01").replace("{receipt}", "SHY-2026-000001").replace("{number}", "0")
            }
        };
        let methods: Vec<&str> = spec["paths"][route].as_object().unwrap().keys().map(String::as_str).collect();
        if methods != ["get"] {
            assert!(methods == ["post"] || methods == ["put"], "{route}: {methods:?}");
            continue;
        }
        let (status, _) = app.get(&path).await;
        let expected =
            if ["/api/v1/staff/", "/api/v1/admin/", "/api/v1/analytics/", "/api/v1/surveys/", "/api/v1/evaluations/"]
                .iter()
                .any(|p| route.starts_with(p))
            {
                401
            } else if route.contains("{token}") {
                404
            } else {
                200
            };
        assert_eq!(status, expected, "{path} answers");
    }
    // Every $ref points at a defined schema.
    let text = spec.to_string();
    for reference in text.split("\"#/components/schemas/").skip(1) {
        let name = reference.split('"').next().unwrap();
        assert!(spec["components"]["schemas"].get(name).is_some(), "undefined schema {name}");
    }
}

#[tokio::test]
async fn the_landing_page_speaks_the_chosen_language_and_labels_the_demo() {
    let app = spawn_app().await;
    let (status, page) = app.get("/").await;
    assert_eq!(status, 200);
    let page = page.as_str().unwrap();
    assert!(page.contains("<html lang=\"kk\">"));
    assert!(page.contains("Шымкент қаласының квадранттары"), "kk by default");
    assert!(page.contains("Демо қала"), "illustrative boundaries are labelled");
    let (_, page) = app.get_with("/", &[("Cookie", "sakshy_lang=en")]).await;
    let page = page.as_str().unwrap();
    assert!(page.contains("<html lang=\"en\">") && page.contains("Demo city: boundaries and data are illustrative."));
    // Every input has a label.
    for id in ["lat", "lon"] {
        assert!(page.contains(&format!("<label for=\"{id}\">")), "label for {id}");
    }
}

#[tokio::test]
async fn the_api_documentation_page_lists_every_documented_path() {
    let app = spawn_app().await;
    let response = app.client.get(format!("{}/api/docs?lang=ru", app.address)).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/html; charset=utf-8");
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Документация API</h1>"), "{html}");
    for route in ROUTES.iter().filter(|r| r.starts_with("/api/")) {
        assert!(
            html.contains(&format!("<code>GET {route}</code>")) || html.contains(&format!(" {route}</code>")),
            "{route}"
        );
    }
    assert!(!html.contains("https://") && !html.contains("http://"), "nothing is loaded from elsewhere");
}
