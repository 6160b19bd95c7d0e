//! The analytics API and the analysts' page over the demo's synthetic incidents: hotspots on the grid of the
//! territory, the near-repeat finding the generator built in, the time profiles, caching by input, errors by field
//! in the caller's language, and the synthetic label on every page.

use chrono::NaiveDate;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};
use crate::login::{Browser, PASSWORD, account};

/// The demo's synthetic incidents for the two years to 2026-12-01 (about 3,300 in Al-Farabi).
pub(crate) async fn seeded(app: &TestApp) -> usize {
    let registry = sakshy_web::Registry::load(&app.store).await.unwrap().unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
    sakshy_web::demo_incidents::seed_incidents(&app.store, &registry, today, 7).await.unwrap()
}

const WINDOW: &str = "from=2024-12-01&to=2026-12-01";

async fn get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    app.get_with(path, &[("Authorization", &format!("Bearer {token}"))]).await
}

#[tokio::test]
async fn hotspots_of_a_district_come_on_its_grid_with_the_synthetic_count_and_are_cached_by_input() {
    // Arrange
    let app = spawn_app().await;
    let written = seeded(&app).await;
    let token = app.staff_token("analyst", "analyst", "city").await;

    // Act
    let path = format!("/api/v1/analytics/hotspots?area=district:SHY-ALF&{WINDOW}");
    let (status, body) = get(&app, &token, &path).await;

    // Assert: the grid convention, every incident counted once, all of them synthetic, hot spots found.
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["n_events"], written);
    assert_eq!(body["synthetic_events"], written);
    let grid = &body["grid"];
    let (ncols, nrows) = (grid["ncols"].as_u64().unwrap() as usize, grid["nrows"].as_u64().unwrap() as usize);
    let cell = grid["cell"].as_f64().unwrap();
    assert_eq!(cell, 150.0);
    assert_eq!(grid["x0"].as_f64().unwrap() % cell, 0.0, "x0 is a multiple of the cell");
    let counts = body["counts"].as_array().unwrap();
    assert_eq!((counts.len(), counts[0].as_array().unwrap().len()), (nrows, ncols));
    let total: u64 = counts.iter().flat_map(|row| row.as_array().unwrap()).map(|v| v.as_u64().unwrap()).sum();
    assert_eq!(total as usize, written, "the grid covers the district, so every incident is in a cell");
    let classes: Vec<i64> = body["hotspot"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_i64().unwrap())
        .collect();
    let p_min = body["p_sim"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .filter_map(|v| v.as_f64())
        .fold(1.0, f64::min);
    assert_eq!(p_min, 0.001, "the hottest cells beat all 999 permutations");
    let hot = classes.iter().filter(|&&c| c == 3).count();
    assert!(hot >= 5, "the generator's hotspots show as hot at 99 % (FDR-controlled): {hot}");
    let outside: usize = body["inside"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .zip(&classes)
        .filter(|(share, class)| share.as_f64().unwrap() == 0.0 && **class != 0)
        .count();
    assert_eq!(outside, 0, "cells outside the district take no part");

    // Act: the same query again is served from the cache.
    let (_, metrics_before) = app.get_text("/metrics").await;
    let (status, again) = get(&app, &token, &path).await;
    let (_, metrics_after) = app.get_text("/metrics").await;
    assert_eq!((status, &again), (200, &body));
    assert!(hits(&metrics_after) > hits(&metrics_before), "a cache hit is counted");
}

fn hits(metrics: &str) -> f64 {
    metrics
        .lines()
        .find(|l| l.starts_with("analytics_cache_hits_total"))
        .and_then(|l| l.split_whitespace().last())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0)
}

#[tokio::test]
async fn the_near_repeat_table_finds_the_pattern_the_generator_built_in_and_time_profiles_add_up() {
    // Arrange: offspring fall within about 60 m and a week of their parent.
    let app = spawn_app().await;
    let written = seeded(&app).await;
    let token = app.staff_token("sup", "supervisor", "city").await;

    // Act
    let (status, body) =
        get(&app, &token, &format!("/api/v1/analytics/near-repeat?area=district:SHY-ALF&group=property&{WINDOW}"))
            .await;

    // Assert
    assert_eq!(status, 200, "{body}");
    let knox = &body["knox"];
    assert_eq!(knox["space_edges"], serde_json::json!([0.0, 100.0, 200.0, 300.0, 400.0]));
    let n = body["n_events"].as_u64().unwrap();
    let pairs: u64 = knox["observed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(pairs, n * (n - 1) / 2, "every pair counted once");
    let near = &body["findings"]["near_repeat"];
    assert!(near.is_object(), "{}", body["findings"]);
    assert!(near["percent_more_likely"].as_f64().unwrap() > 50.0, "{near}");
    assert!(near["distance_to_m"].as_f64().unwrap() <= 200.0 && near["days_to"].as_f64().unwrap() <= 14.0, "{near}");

    let (status, body) = get(&app, &token, &format!("/api/v1/analytics/temporal?area=district:SHY-ALF&{WINDOW}")).await;
    assert_eq!(status, 200, "{body}");
    let week: f64 = body["week_hour"]["counts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert_eq!(week as usize, written, "every incident has its hour");
    let months = body["monthly"]["months"].as_array().unwrap();
    assert_eq!(months.len(), 25, "December 2024 to December 2026");
    let total: u64 = months.iter().map(|m| m["count"].as_u64().unwrap()).sum();
    assert_eq!(total as usize, written);
}

#[tokio::test]
async fn a_wrong_parameter_is_named_in_the_callers_language_and_anonymous_callers_are_refused() {
    let app = spawn_app().await;
    let token = app.staff_token("viewer", "read_only", "city").await;
    let (status, body) = app
        .get_with(
            "/api/v1/analytics/hotspots?area=district:NOWHERE",
            &[("Authorization", &format!("Bearer {token}")), ("Accept-Language", "ru")],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(body["error"]["field"], "area");
    assert!(body["error"]["message"].as_str().unwrap().contains("не территория"), "{body}");
    let (status, body) = get(&app, &token, "/api/v1/analytics/temporal?from=2026-13-01").await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("from")));
    assert_eq!(app.get("/api/v1/analytics/temporal").await.0, 401);
}

#[tokio::test]
async fn the_analysts_page_shows_the_synthetic_label_the_finding_and_every_chart_in_each_language() {
    // Arrange
    let app = spawn_app().await;
    seeded(&app).await;
    account(&app, "analyst", "analyst", "city", PASSWORD).await;
    let mut analyst = Browser::new(&app);
    analyst.login("analyst", PASSWORD).await;
    let expected = [
        ("kk", "Синтетикалық деректер.", "тағы біреуінің болу ықтималдығы кездейсоқтан"),
        ("ru", "Синтетические данные.", "вероятность нового на"),
        ("en", "Synthetic data.", "another is"),
    ];
    for (lang, label, finding) in expected {
        // Act
        let page = analyst.get(&format!("/staff/analytics?area=district:SHY-ALF&{WINDOW}&lang={lang}")).await;

        // Assert
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains(label), "{lang}: the synthetic label");
        let sentence = page.body.split("id=\"finding\">").nth(1).unwrap().split('<').next().unwrap();
        assert!(sentence.contains(finding), "{lang}: {sentence}");
        assert_eq!(page.body.matches("<svg").count(), 5, "{lang}: hotspots, density, Knox, week, trend");
        assert!(page.body.matches("<title").count() >= 5, "every chart has a title");
    }
    // A wrong date is said next to the form, and the page still answers.
    let page = analyst.get("/staff/analytics?from=yesterday&lang=en").await;
    assert_eq!(page.status, 400);
    assert!(page.body.contains("is not a date"), "{}", page.body);
}

#[tokio::test]
async fn appeals_are_a_second_source_for_the_same_analyses() {
    // Arrange: three noise appeals in the pilot quadrant, one elsewhere in the city.
    let app = spawn_app().await;
    for (lat, lon) in [(42.29871, 69.61030), (42.29880, 69.61040), (42.29890, 69.61020), (42.3401, 69.5900)] {
        let body = serde_json::json!({"category": "NOISE", "description": "Loud music every night",
            "location": {"lat": lat, "lon": lon}, "contact": {"name": "A", "phone": "+7 701 000 00 00"}, "consent": true});
        assert_eq!(app.post_appeal(&body, &[]).await.0, 201);
    }
    let token = app.staff_token("analyst", "analyst", "city").await;

    // Act
    let path = "/api/v1/analytics/temporal?source=appeals&area=quadrant:SHY-ALF-Q01&category=NOISE";
    let (status, body) = get(&app, &token, path).await;

    // Assert: only the pilot quadrant's three, none synthetic.
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["n_events"].as_u64(), body["synthetic_events"].as_u64()), (Some(3), Some(0)));
    assert_eq!(body["source"], "appeals");
    let (status, body) = get(&app, &token, "/api/v1/analytics/temporal?source=appeals&category=NOPE").await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("category")));
}
