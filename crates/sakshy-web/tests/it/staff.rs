//! The staff API: authentication, the role × scope matrix on the queue, the appeal page and actions, masking
//! and auditing of personal data.

use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A domestic-conflict appeal at the station: tasks for the police (`POL_UIP`) and social protection.
pub(crate) async fn domestic(app: &TestApp) -> String {
    let body = json!({
        "category": "DOMESTIC",
        "description": "Shouting and a child crying every evening next door.",
        "location": {"lat": 42.29871, "lon": 69.61030},
        "contact": {"name": "Айгүл Сейітова", "phone": "+7 701 123 45 67"},
        "consent": true
    });
    let (status, created) = app.post_appeal(&body, &[]).await;
    assert_eq!(status, 201, "{created}");
    created["receipt"].as_str().unwrap().to_owned()
}

struct Staff {
    supervisor: String,
    district_supervisor_elsewhere: String,
    inspector: String,
    inspector_elsewhere: String,
    duty: String,
    social: String,
    education: String,
    analyst: String,
    viewer: String,
    admin: String,
}

async fn staff(app: &TestApp) -> Staff {
    Staff {
        supervisor: app.staff_token("sup", "supervisor", "city").await,
        district_supervisor_elsewhere: app.staff_token("sup.aby", "supervisor", "district:SHY-ABY").await,
        inspector: app.staff_token("uip", "district_inspector", "quadrants:SHY-ALF-Q01").await,
        inspector_elsewhere: app.staff_token("uip.aby", "district_inspector", "quadrants:SHY-ABY-Q01").await,
        duty: app.staff_token("duty", "duty_officer", "quadrants:SHY-ALF-Q01").await,
        social: app.staff_token("soc", "agency_officer", "agency:SOCIAL").await,
        education: app.staff_token("edu", "agency_officer", "agency:EDU").await,
        analyst: app.staff_token("analyst", "analyst", "city").await,
        viewer: app.staff_token("viewer", "read_only", "city").await,
        admin: app.staff_token("admin", "administrator", "city").await,
    }
}

#[tokio::test]
async fn without_a_valid_token_the_staff_api_answers_401() {
    let app = spawn_app().await;
    let response = app.client.get(format!("{}/api/v1/staff/appeals", app.address)).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer realm=\"sakshy\"");
    let (status, body) = app.staff(Method::GET, "/api/v1/staff/appeals?lang=en", "sk_forged", None).await;
    assert_eq!(status, 401);
    assert_eq!(
        body["error"]["message"],
        "Sign-in required: send an API token in an \"Authorization: Bearer …\" header."
    );
}

#[tokio::test]
async fn each_role_sees_the_queue_of_its_scope() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let staff = staff(&app).await;
    let sees = |body: &Value| body["appeals"].as_array().unwrap().iter().any(|a| a["receipt"] == receipt);
    for (who, token, expected) in [
        ("supervisor", &staff.supervisor, true),
        ("supervisor of another district", &staff.district_supervisor_elsewhere, false),
        ("inspector of the quadrant", &staff.inspector, true),
        ("inspector elsewhere", &staff.inspector_elsewhere, false),
        ("duty officer of the quadrant", &staff.duty, true),
        ("social protection", &staff.social, true),
        ("education", &staff.education, false),
        ("analyst", &staff.analyst, true),
        ("read-only", &staff.viewer, true),
        ("administrator", &staff.admin, true),
    ] {
        let (status, body) = app.staff(Method::GET, "/api/v1/staff/appeals", token, None).await;
        assert_eq!(status, 200, "{who}: {body}");
        assert_eq!(sees(&body), expected, "{who}");
        let (status, _) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), token, None).await;
        assert_eq!(status, if expected { 200 } else { 403 }, "{who} opening the appeal");
    }
}

#[tokio::test]
async fn contact_details_are_shown_to_handlers_audited_and_masked_for_others() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let staff = staff(&app).await;
    let path = format!("/api/v1/staff/appeals/{receipt}");
    let (_, inspector_view) = app.staff(Method::GET, &path, &staff.inspector, None).await;
    assert_eq!(
        inspector_view["contact"],
        json!({"masked": false, "name": "Айгүл Сейітова", "phone": "+7 701 123 45 67", "email": null})
    );
    let (_, analyst_view) = app.staff(Method::GET, &path, &staff.analyst, None).await;
    assert_eq!(analyst_view["contact"]["masked"], true);
    assert_eq!(analyst_view["contact"]["name"], "А***ва");
    assert_eq!(analyst_view["contact"]["phone"], "+***67");
    let city = app.store.city().await.unwrap().unwrap().0;
    let audit = app.store.audit_events(city, 10).await.unwrap();
    assert_eq!(audit.len(), 1, "only the unmasked view is a read of personal data");
    assert_eq!((audit[0].actor.as_str(), audit[0].action.as_str()), ("uip", "view_contact"));
    assert_eq!(audit[0].object, format!("appeal:{receipt}"));
    assert_eq!(audit[0].from_address.as_deref(), Some("127.0.0.1"));
}

#[tokio::test]
async fn agencies_see_only_their_own_tasks_and_move_them() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let staff = staff(&app).await;
    let path = format!("/api/v1/staff/appeals/{receipt}");
    let (_, view) = app.staff(Method::GET, &path, &staff.social, None).await;
    let tasks: Vec<&str> = view["tasks"].as_array().unwrap().iter().map(|t| t["agency"].as_str().unwrap()).collect();
    assert_eq!(tasks, ["SOCIAL"]);
    let actions = format!("{path}/actions");
    let (status, after) = app.staff(Method::POST, &actions, &staff.social, Some(&json!({"action": "accept"}))).await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["state"], "in_progress");
    // Social protection cannot act on the police task.
    let (status, error) = app
        .staff(
            Method::POST,
            &format!("{actions}?lang=en"),
            &staff.social,
            Some(&json!({"action": "accept", "agency": "POL_UIP"})),
        )
        .await;
    assert_eq!(status, 403, "{error}");
    assert_eq!(error["error"]["message"], "soc may not accept this appeal.");
    // Accepting twice is a conflict with the task's state.
    let (status, error) =
        app.staff(Method::POST, &format!("{actions}?lang=en"), &staff.social, Some(&json!({"action": "accept"}))).await;
    assert_eq!(status, 409);
    assert_eq!(error["error"]["message"], "Cannot accept from the state \"accepted\".");
    // Analysts and read-only users never act.
    let (status, _) = app
        .staff(Method::POST, &actions, &staff.analyst, Some(&json!({"action": "accept", "agency": "POL_UIP"})))
        .await;
    assert_eq!(status, 403);
    // The inspector answers for the police, social protection answers; the appeal is answered.
    app.staff(Method::POST, &actions, &staff.inspector, Some(&json!({"action": "accept"}))).await;
    let (status, _) = app
        .staff(
            Method::POST,
            &actions,
            &staff.inspector,
            Some(&json!({"action": "answer", "text": "A preventive talk was held."})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, error) = app
        .staff(
            Method::POST,
            &format!("{actions}?lang=en"),
            &staff.social,
            Some(&json!({"action": "answer", "text": " "})),
        )
        .await;
    assert_eq!((status, error["error"]["field"].as_str()), (422, Some("text")));
    let (_, done) = app
        .staff(
            Method::POST,
            &actions,
            &staff.social,
            Some(&json!({"action": "answer", "text": "The family was referred to the crisis centre."})),
        )
        .await;
    assert_eq!(done["state"], "answered");
    // The resident sees both answers in the public history.
    let (_, list) = app.staff(Method::GET, "/api/v1/staff/appeals?state=answered", &staff.supervisor, None).await;
    assert_eq!(list["appeals"][0]["receipt"], receipt);
}

#[tokio::test]
async fn extensions_are_checked_against_the_two_month_limit() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let staff = staff(&app).await;
    let actions = format!("/api/v1/staff/appeals/{receipt}/actions?lang=en");
    app.staff(Method::POST, &actions, &staff.inspector, Some(&json!({"action": "accept"}))).await;
    let (_, view) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &staff.inspector, None).await;
    let limit = view["extension_limit"].as_str().unwrap().to_owned();
    let too_late = chrono::NaiveDate::parse_from_str(&limit, "%Y-%m-%d").unwrap().succ_opt().unwrap().to_string();
    let (status, error) = app
        .staff(
            Method::POST,
            &actions,
            &staff.inspector,
            Some(&json!({"action": "extend", "due": too_late, "reason": "An expert opinion is needed."})),
        )
        .await;
    assert_eq!((status, error["error"]["field"].as_str()), (422, Some("due")), "{error}");
    let (status, after) = app
        .staff(
            Method::POST,
            &actions,
            &staff.inspector,
            Some(&json!({"action": "extend", "due": limit, "reason": "An expert opinion is needed."})),
        )
        .await;
    assert_eq!(status, 200, "{after}");
    assert_eq!(after["state"], "extended");
    assert_eq!(after["due_on"], limit);
}

#[tokio::test]
async fn the_queue_filters_and_pages() {
    let app = spawn_app().await;
    for _ in 0..3 {
        domestic(&app).await;
    }
    let staff = staff(&app).await;
    let (_, first) =
        app.staff(Method::GET, "/api/v1/staff/appeals?limit=2&category=DOMESTIC", &staff.supervisor, None).await;
    assert_eq!(first["appeals"].as_array().unwrap().len(), 2);
    let next = first["meta"]["next_page"].as_str().unwrap();
    let (_, second) = app
        .staff(
            Method::GET,
            &format!("/api/v1/staff/appeals?limit=2&category=DOMESTIC&after={next}"),
            &staff.supervisor,
            None,
        )
        .await;
    assert_eq!(second["appeals"].as_array().unwrap().len(), 1);
    assert_eq!(second["meta"]["next_page"], Value::Null);
    let (status, error) = app.staff(Method::GET, "/api/v1/staff/appeals?state=lost", &staff.supervisor, None).await;
    assert_eq!((status, error["error"]["field"].as_str()), (400, Some("state")));
    let (_, none) = app.staff(Method::GET, "/api/v1/staff/appeals?overdue=true", &staff.supervisor, None).await;
    assert!(none["appeals"].as_array().unwrap().is_empty(), "nothing is overdue on its first day");
}

#[tokio::test]
async fn the_csv_export_honours_filters_and_scope_and_carries_no_personal_data() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let mut lighting = json!({"category": "LIGHTING", "description": "Dark street.", "location": {"lat": 42.29871, "lon": 69.61030},
        "contact": {"name": "Айгүл Сейітова", "phone": "+7 701 123 45 67"}, "consent": true});
    app.post_appeal(&lighting, &[]).await;
    lighting["location"] = json!({"lat": 42.40, "lon": 69.52});
    app.post_appeal(&lighting, &[]).await;
    let staff = staff(&app).await;
    let csv = |path: &str, token: &str| {
        let (app, path, token) = (&app, path.to_owned(), token.to_owned());
        async move {
            let response = app.client.get(format!("{}{path}", app.address)).bearer_auth(token).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200);
            assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
            response.text().await.unwrap()
        }
    };
    let all = csv("/api/v1/staff/appeals.csv", &staff.supervisor).await;
    assert!(
        all.starts_with("\u{feff}receipt,category,state,quadrant,district,registered_on,due_on,due_status,synthetic\n")
    );
    assert_eq!(all.lines().count(), 4, "header and three appeals: {all}");
    assert!(!all.contains("Айгүл") && !all.contains("701"), "no personal data: {all}");
    let domestic_only = csv("/api/v1/staff/appeals.csv?category=DOMESTIC", &staff.supervisor).await;
    assert_eq!(domestic_only.lines().count(), 2);
    assert!(domestic_only.contains(&receipt) && domestic_only.contains(",on_time,false"), "{domestic_only}");
    let social = csv("/api/v1/staff/appeals.csv", &staff.social).await;
    assert_eq!(social.lines().count(), 2, "social protection exports only appeals with its tasks: {social}");
}

#[tokio::test]
async fn a_task_is_assigned_to_an_officer_of_the_registry() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let staff = staff(&app).await;
    let (_, officers) = app.get("/api/v1/officers?quadrant=SHY-ALF-Q01").await;
    let badge = officers["officers"][0]["badge"].as_str().unwrap().to_owned();
    let actions = format!("/api/v1/staff/appeals/{receipt}/actions");
    let (status, error) = app
        .staff(
            Method::POST,
            &format!("{actions}?lang=en"),
            &staff.inspector,
            Some(&json!({"action": "assign", "officer": "SHY-00000"})),
        )
        .await;
    assert_eq!((status, error["error"]["field"].as_str()), (422, Some("officer")), "{error}");
    let (status, _) =
        app.staff(Method::POST, &actions, &staff.inspector, Some(&json!({"action": "assign", "officer": badge}))).await;
    assert_eq!(status, 200);
    let (_, view) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &staff.inspector, None).await;
    assert_eq!(view["tasks"][0]["assignee"], badge.as_str());
    assert_eq!(view["history"].as_array().unwrap().last().unwrap()["action"], "assign");
}

/// Every role (in the scope of the appeal, and a few outside it) against every staff and admin endpoint: the
/// status each gets. One table, so that a change of policy shows as a changed row.
#[tokio::test]
async fn the_role_by_endpoint_matrix_of_the_staff_and_admin_api() {
    let app = spawn_app().await;
    let staff = staff(&app).await;
    let principals = [
        ("administrator", &staff.admin, "POL_UIP"),
        ("supervisor", &staff.supervisor, "POL_UIP"),
        ("supervisor elsewhere", &staff.district_supervisor_elsewhere, "POL_UIP"),
        ("inspector", &staff.inspector, "POL_UIP"),
        ("inspector elsewhere", &staff.inspector_elsewhere, "POL_UIP"),
        ("duty officer", &staff.duty, "POL_UIP"),
        ("social protection", &staff.social, "SOCIAL"),
        ("education", &staff.education, "EDU"),
        ("analyst", &staff.analyst, "POL_UIP"),
        ("read-only", &staff.viewer, "POL_UIP"),
    ];
    let categories = crate::helpers::demo_file("categories.csv");
    let routing = crate::helpers::demo_file("routing.csv");
    let mut seen = Vec::new();
    for (name, token, agency) in principals {
        // A fresh appeal each, so that one principal's move does not decide the next one's.
        let receipt = domestic(&app).await;
        let status = |method: Method, path: String, body: Option<(&'static str, String)>| {
            let app = &app;
            async move {
                let mut request = app.client.request(method, format!("{}{path}", app.address)).bearer_auth(token);
                if let Some((kind, body)) = body {
                    request = request.header("Content-Type", kind).body(body);
                }
                request.send().await.unwrap().status().as_u16()
            }
        };
        let accept = json!({"action": "accept", "agency": agency}).to_string();
        let row: [u16; 13] = [
            status(Method::GET, "/api/v1/staff/appeals".into(), None).await,
            status(Method::GET, "/api/v1/staff/appeals.csv".into(), None).await,
            status(Method::GET, format!("/api/v1/staff/appeals/{receipt}"), None).await,
            status(Method::GET, format!("/api/v1/staff/appeals/{receipt}/photos/1"), None).await,
            status(
                Method::POST,
                format!("/api/v1/staff/appeals/{receipt}/actions"),
                Some(("application/json", accept)),
            )
            .await,
            status(Method::PUT, "/api/v1/admin/categories".into(), Some(("text/csv", categories.clone()))).await,
            status(Method::PUT, "/api/v1/admin/routing".into(), Some(("text/csv", routing.clone()))).await,
            status(Method::GET, "/api/v1/admin/changes".into(), None).await,
            status(Method::GET, "/api/v1/admin/audit".into(), None).await,
            status(Method::GET, "/api/v1/admin/audit.csv".into(), None).await,
            status(Method::GET, "/api/v1/analytics/hotspots?area=quadrant:SHY-ALF-Q01&permutations=9".into(), None)
                .await,
            status(Method::GET, "/api/v1/analytics/near-repeat?area=quadrant:SHY-ALF-Q01".into(), None).await,
            status(Method::GET, "/api/v1/analytics/temporal?area=quadrant:SHY-ALF-Q01".into(), None).await,
        ];
        seen.push((name, row));
    }
    //            list  csv  view photo  act  cats rout chng audit csv  hot  near time
    // Analytics are every role's; the near-repeat table of a quadrant with no incidents is a 400 (too few).
    let expected: [(&str, [u16; 13]); 10] = [
        // Photos, like contacts, only for those who handle the appeal.
        ("administrator", [200, 200, 200, 403, 403, 200, 200, 200, 200, 200, 200, 400, 200]),
        ("supervisor", [200, 200, 200, 404, 200, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("supervisor elsewhere", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("inspector", [200, 200, 200, 404, 200, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("inspector elsewhere", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
        // Duty officers receive visitors and file for them; the inspector and the agencies move appeals.
        ("duty officer", [200, 200, 200, 404, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("social protection", [200, 200, 200, 404, 200, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("education", [200, 200, 403, 403, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("analyst", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
        ("read-only", [200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 200, 400, 200]),
    ];
    for ((name, row), (expected_name, expected_row)) in seen.iter().zip(expected) {
        assert_eq!((*name, *row), (expected_name, expected_row), "statuses of {name}");
    }
}
