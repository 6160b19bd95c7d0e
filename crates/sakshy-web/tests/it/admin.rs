//! Administering categories and routing over the API, with the change log.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{demo_file, spawn_app};

async fn put_csv(app: &crate::helpers::TestApp, path: &str, token: &str, body: String) -> (u16, Value) {
    let response = app
        .client
        .request(Method::PUT, format!("{}{path}", app.address))
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test]
async fn an_administrator_edits_categories_and_every_change_is_logged() {
    let app = spawn_app().await;
    let admin = app.staff_token("admin", "administrator", "city").await;
    let supervisor = app.staff_token("sup", "supervisor", "city").await;
    let renamed = demo_file("categories.csv").replace("Street lighting out", "Street lights out");
    let (status, _) = put_csv(&app, "/api/v1/admin/categories", &supervisor, renamed.clone()).await;
    assert_eq!(status, 403, "only administrators");
    let (status, summary) = put_csv(&app, "/api/v1/admin/categories", &admin, renamed).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!((summary["changed"].as_u64(), summary["added"].as_u64()), (Some(1), Some(0)));
    let (_, categories) = app.get("/api/v1/categories").await;
    let lighting =
        categories["categories"].as_array().unwrap().iter().find(|c| c["code"] == "LIGHTING").unwrap().clone();
    assert_eq!(lighting["name"]["en"], "Street lights out", "served at once, without waiting for the refresh");
    let (status, log) = app.staff(Method::GET, "/api/v1/admin/changes?limit=1", &admin, None).await;
    assert_eq!(status, 200);
    let change = &log["changes"][0];
    assert_eq!(
        (change["code"].as_str(), change["change"].as_str(), change["actor"].as_str()),
        (Some("LIGHTING"), Some("changed"), Some("import:api:admin"))
    );
    assert_eq!(change["before"]["name_en"], "Street lighting out");
    assert_eq!(change["after"]["name_en"], "Street lights out");
    // A bad file changes nothing and lists its problems with their places.
    let broken = demo_file("categories.csv").replace(",high,", ",urgent,").replace("AKIM_VET", "AKIM_PETS");
    let (status, error) = put_csv(&app, "/api/v1/admin/categories?lang=en", &admin, broken).await;
    assert_eq!(status, 422, "{error}");
    assert!(error["error"]["message"].as_str().unwrap().ends_with("nothing was changed."));
    let problems = error["error"]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["location"].as_str().unwrap().starts_with("line ")
            && p["message"].as_str().unwrap().contains("urgent")),
        "{problems:?}"
    );
    let routing_bad = "district,category,replaces,agency\nSHY-XXX,*,AKIM_DISTR,AKIM_ALF\n".to_owned();
    let (status, _) = put_csv(&app, "/api/v1/admin/routing", &admin, routing_bad).await;
    assert_eq!(status, 422);
    let (_, after) = app.get("/api/v1/categories").await;
    assert_eq!(after, categories, "nothing changed");
}
