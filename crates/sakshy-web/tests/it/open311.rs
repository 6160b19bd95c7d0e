//! Open311 GeoReport v2 over real HTTP, in XML and JSON, checked against the contract's JSON Schemas where
//! `../shared` is present.

use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};
use crate::schema::{open311_schemas, validate};

async fn get(app: &TestApp, path: &str) -> (u16, String, String) {
    let response = app.client.get(format!("{}{path}", app.address)).send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn check_schema(name: &str, value: &Value) {
    let Some(dir) = open311_schemas() else {
        eprintln!("../shared/reference/open311-schema is absent: {name} not validated against the schema");
        return;
    };
    let errors = validate(&dir, name, value);
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{value}");
}

async fn api_key(app: &TestApp) -> String {
    let city = app.store.city().await.unwrap().unwrap().0;
    app.store.create_open311_key(city, "test client", 1).await.unwrap()
}

#[tokio::test]
async fn discovery_lists_the_endpoint_in_both_formats() {
    let app = spawn_app().await;
    let (status, kind, body) = get(&app, "/open311/v2/discovery.json").await;
    assert_eq!((status, kind.as_str()), (200, "application/json; charset=utf-8"));
    let discovery: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(discovery["endpoints"][0]["specification"], "http://wiki.open311.org/GeoReport_v2");
    assert_eq!(discovery["endpoints"][0]["formats"], json!(["text/xml", "application/json"]));
    assert!(chrono::DateTime::parse_from_rfc3339(discovery["changeset"].as_str().unwrap()).is_ok());
    assert_eq!(
        discovery["endpoints"][1]["specification"],
        "https://github.com/mysociety/FixMyStreet/wiki/Open311-FMS---Proposed-differences-to-Open311",
        "the same base URL serves mySociety's servicerequestupdates"
    );
    assert!(discovery["key_service"].as_str().unwrap().contains("servicerequestupdates"));
    let (status, kind, xml) = get(&app, "/open311/v2/discovery.xml").await;
    assert_eq!((status, kind.as_str()), (200, "text/xml; charset=utf-8"));
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<discovery><changeset>"), "{xml}");
    assert!(xml.contains("<formats><format>text/xml</format><format>application/json</format></formats>"), "{xml}");
}

#[tokio::test]
async fn services_are_the_categories_that_can_be_filed() {
    let app = spawn_app().await;
    let (status, _, body) = get(&app, "/open311/v2/services.json?lang=ru").await;
    assert_eq!(status, 200);
    let services: Value = serde_json::from_str(&body).unwrap();
    check_schema("services.json", &services);
    let codes: Vec<&str> = services.as_array().unwrap().iter().map(|s| s["service_code"].as_str().unwrap()).collect();
    assert!(
        codes.contains(&"NOISE") && !codes.contains(&"CRIME_NOW"),
        "emergencies are diverted, not services: {codes:?}"
    );
    let noise = services.as_array().unwrap().iter().find(|s| s["service_code"] == "NOISE").unwrap();
    assert_eq!((noise["metadata"].as_bool(), noise["type"].as_str()), (Some(true), Some("realtime")));
    assert_eq!(noise["service_name"], "Шум, нарушение тишины");
    let (_, _, xml) = get(&app, "/open311/v2/services.xml").await;
    assert!(xml.contains("<services><service><service_code>NOISE</service_code>"), "{}", &xml[..300]);
    assert!(xml.contains("<metadata>true</metadata><type>realtime</type>"));
    let (status, _, definition) = get(&app, "/open311/v2/services/NOISE.json").await;
    assert_eq!(status, 200);
    let definition: Value = serde_json::from_str(&definition).unwrap();
    check_schema("service-definition.json", &definition);
    assert_eq!(definition["attributes"][0]["code"], "consent");
    let (_, _, xml) = get(&app, "/open311/v2/services/NOISE.xml").await;
    assert!(xml.contains("<attributes><attribute><variable>true</variable><code>consent</code>"), "{xml}");
    assert!(xml.contains("<values><value><key>true</key>"));
    let (status, _, body) = get(&app, "/open311/v2/services/KARAOKE.json").await;
    assert_eq!(status, 404);
    let errors: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0]["code"], 404);
    let (status, _, xml) = get(&app, "/open311/v2/services/KARAOKE.xml").await;
    assert_eq!(status, 404);
    assert!(xml.contains("<errors><error><code>404</code><description>service_code \"KARAOKE\" not found</description></error></errors>"), "{xml}");
    let (status, _, _) = get(&app, "/open311/v2/services.json?jurisdiction_id=almaty").await;
    assert_eq!(status, 404);
    let (status, _, _) = get(&app, "/open311/v2/services.json?jurisdiction_id=shy").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn posting_requests_needs_a_key_and_answers_with_the_receipt() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let request = [
        ("service_code", "LIGHTING"),
        ("lat", "42.29871"),
        ("long", "69.6103"),
        ("description", "The street lights near the station are out."),
        ("first_name", "Айгүл"),
        ("last_name", "Сейітова"),
        ("phone", "+7 701 123 45 67"),
        ("attribute[consent]", "true"),
    ];
    let (status, body) = post(&app, "/open311/v2/requests.json", &request).await;
    assert_eq!(status, 403, "{body}");
    let mut with_key = request.to_vec();
    with_key.push(("api_key", "o311_forged"));
    assert_eq!(post(&app, "/open311/v2/requests.json", &with_key).await.0, 403);
    with_key.pop();
    with_key.push(("api_key", key.as_str()));
    let (status, body) = post(&app, "/open311/v2/requests.json", &with_key).await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created[0]["service_request_id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("SHY-20"), "{id}");
    assert!(created[0].get("token").is_none(), "realtime services return an id, never both");
    // Contact without consent, an unknown service, no location, an emergency: each refused with its status.
    let no_consent: Vec<_> = with_key.iter().filter(|(k, _)| *k != "attribute[consent]").cloned().collect();
    let (status, body) = post(&app, "/open311/v2/requests.json", &no_consent).await;
    assert_eq!(status, 400);
    assert!(body.contains("consent"), "{body}");
    let mut unknown = with_key.clone();
    unknown[0] = ("service_code", "KARAOKE");
    assert_eq!(post(&app, "/open311/v2/requests.json", &unknown).await.0, 404);
    let nowhere: Vec<_> = with_key.iter().filter(|(k, _)| *k != "lat" && *k != "long").cloned().collect();
    assert_eq!(post(&app, "/open311/v2/requests.json", &nowhere).await.0, 400);
    let mut emergency = with_key.clone();
    emergency[0] = ("service_code", "CRIME_NOW");
    let (status, body) = post(&app, "/open311/v2/requests.xml", &emergency).await;
    assert_eq!(status, 400);
    assert!(body.contains("102"), "{body}");
    // XML answers in the contract's shape.
    let (status, xml) = post(&app, "/open311/v2/requests.xml", &with_key).await;
    assert_eq!(status, 200);
    assert!(xml.contains("<service_requests><request><service_request_id>SHY-20"), "{xml}");
}

#[tokio::test]
async fn requests_are_listed_with_filters_and_never_carry_personal_data() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let form = |code: &'static str, lat: &'static str| {
        vec![
            ("api_key", key.clone()),
            ("service_code", code.to_owned()),
            ("lat", lat.to_owned()),
            ("long", "69.6103".to_owned()),
            ("description", "Айгүл from flat 12 says the lights are out; call +7 701 123 45 67".to_owned()),
            ("first_name", "Айгүл".to_owned()),
            ("phone", "+7 701 123 45 67".to_owned()),
            ("attribute[consent]", "true".to_owned()),
        ]
    };
    let mut ids = Vec::new();
    for (code, lat) in [("LIGHTING", "42.29871"), ("NOISE", "42.29871"), ("LIGHTING", "42.3300")] {
        let pairs = form(code, lat);
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let (_, body) = post(&app, "/open311/v2/requests.json", &pairs).await;
        let created: Value = serde_json::from_str(&body).unwrap();
        ids.push(created[0]["service_request_id"].as_str().unwrap().to_owned());
    }
    let (status, kind, body) = get(&app, "/open311/v2/requests.json").await;
    assert_eq!((status, kind.as_str()), (200, "application/json; charset=utf-8"));
    let requests: Value = serde_json::from_str(&body).unwrap();
    check_schema("requests.json", &requests);
    assert_eq!(requests.as_array().unwrap().len(), 3);
    for private in ["Айгүл", "701", "flat 12"] {
        assert!(!body.contains(private), "personal data {private:?} leaked: {body}");
    }
    let first = &requests.as_array().unwrap()[2];
    assert_eq!(first["status"], "open");
    assert_eq!(first["agency_responsible"], "Әл-Фараби ауданы әкімінің аппараты", "routed to the district's akimat");
    assert_eq!((first["lat"].as_f64(), first["long"].as_f64()), (Some(42.299), Some(69.61)), "rounded to 0.001°");
    assert!(first["requested_datetime"].as_str().unwrap().ends_with('Z'));
    assert!(!first["address"].as_str().unwrap().is_empty());
    let only = |query: &str| {
        let app = &app;
        let query = query.to_owned();
        async move {
            let (status, _, body) = get(app, &format!("/open311/v2/requests.json?{query}")).await;
            assert_eq!(status, 200, "{query}: {body}");
            let list: Value = serde_json::from_str(&body).unwrap();
            list.as_array()
                .unwrap()
                .iter()
                .map(|r| r["service_request_id"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(only("service_code=NOISE").await, [ids[1].clone()]);
    assert_eq!(
        only(&format!("service_request_id={}&service_code=NOISE", ids[0])).await,
        [ids[0].clone()],
        "ids override other filters"
    );
    assert_eq!(only("status=closed").await.len(), 0);
    assert_eq!(only("status=open").await.len(), 3);
    assert_eq!(only("lat=42.29871&long=69.6103&radius=200").await.len(), 2);
    assert_eq!(only("lat_ne=42.34&long_ne=69.62&lat_sw=42.32&long_sw=69.60").await, [ids[2].clone()]);
    assert_eq!(only("page_size=2&page=1").await.len(), 2);
    assert_eq!(only("page_size=2&page=2").await.len(), 1);
    let (status, _, body) =
        get(&app, "/open311/v2/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").await;
    assert_eq!(status, 400, "more than 90 days: {body}");
    let (status, _, body) = get(&app, &format!("/open311/v2/requests/{}.json", ids[1])).await;
    assert_eq!(status, 200);
    let one: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(one.as_array().unwrap().len(), 1, "one request is still an array");
    check_schema("request.json", &one[0]);
    let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{}.xml", ids[1])).await;
    assert!(
        xml.contains(&format!(
            "<service_requests><request><service_request_id>{}</service_request_id><status>open</status>",
            ids[1]
        )),
        "{xml}"
    );
    assert_eq!(get(&app, "/open311/v2/requests/SHY-1999-000001.json").await.0, 404);
    assert_eq!(get(&app, "/open311/v2/requests.yaml").await.0, 404);
}

#[tokio::test]
async fn an_emergency_posted_over_open311_is_counted_as_a_diversion() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let form = [("api_key", key.as_str()), ("service_code", "CRIME_NOW"), ("lat", "42.29871"), ("long", "69.6103")];
    let (status, _) = post(&app, "/open311/v2/requests.json", &form).await;
    assert_eq!(status, 400);
    let city = app.store.city().await.unwrap().unwrap().0;
    let counts = app.store.diversion_counts(city).await.unwrap();
    assert_eq!(counts.iter().map(|(_, code, n)| (code.as_str(), *n)).collect::<Vec<_>>(), [("CRIME_NOW", 1)]);
}

/// The staff appeal view of `receipt` for a city-wide supervisor token.
async fn staff_view(app: &TestApp, token: &str, receipt: &str) -> Value {
    let (status, view) =
        app.staff(reqwest::Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), token, None).await;
    assert_eq!(status, 200, "{view}");
    view
}

#[tokio::test]
async fn request_updates_follow_an_appeal_without_anything_private() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    // Filed through the JSON API, so that the resident holds a tracking token to reopen and close with.
    let (status, created) = app
        .post_appeal(
            &json!({
                "category": "NOISE",
                "description": "CONTACT-MARKER flat 12: music every night",
                "location": {"lat": 42.29871, "lon": 69.6103},
                "contact": {"name": "Айгүл CONTACT-MARKER", "phone": "+7 701 123 45 67", "email": "contact.marker@example.kz"},
                "consent": true
            }),
            &[],
        )
        .await;
    assert_eq!(status, 201, "{created}");
    let receipt = created["receipt"].as_str().unwrap().to_owned();
    let track = created["tracking_url"].as_str().unwrap().to_owned();
    let supervisor = app.staff_token("sup-login-marker", "supervisor", "city").await;
    let actions = format!("/api/v1/staff/appeals/{receipt}/actions");
    let act = |body: Value| {
        let (app, actions, supervisor) = (&app, actions.clone(), supervisor.clone());
        async move {
            let (status, answer) = app.staff(reqwest::Method::POST, &actions, &supervisor, Some(&body)).await;
            assert_eq!(status, 200, "{body}: {answer}");
        }
    };
    let resident = |path: &str, body: Value| {
        let (app, url) = (&app, format!("{track}/{path}"));
        async move {
            let response = app.client.post(format!("{}{url}", app.address)).json(&body).send().await.unwrap();
            assert_eq!(response.status().as_u16(), 200, "{url}");
        }
    };
    act(json!({"action": "accept", "agency": "POL_UIP"})).await;
    act(json!({"action": "assign", "agency": "POL_UIP", "officer": "SHY-76958"})).await;
    act(json!({"action": "redirect", "agency": "POL_UIP", "to": "POL_PATROL", "reason": "Night noise is for the patrol police."}))
        .await;
    act(json!({"action": "accept", "agency": "POL_PATROL"})).await;
    let view = staff_view(&app, &supervisor, &receipt).await;
    let due = chrono::NaiveDate::parse_from_str(view["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let later = (due + chrono::Days::new(1)).to_string();
    act(json!({"action": "extend", "agency": "POL_PATROL", "due": later, "reason": "A noise measurement is needed."}))
        .await;
    act(json!({"action": "answer", "agency": "POL_PATROL", "text": "A fine was issued."})).await;
    resident("reopen", json!({"reason": "REOPEN-MARKER it is still loud, ask Айгүл in flat 12"})).await;
    // The public request shows staff's latest word, never the resident's reason for reopening.
    let (status, _, one) = get(&app, &format!("/open311/v2/requests/{receipt}.json")).await;
    assert_eq!(status, 200, "{one}");
    assert!(!one.contains("REOPEN-MARKER"), "{one}");
    let one: Value = serde_json::from_str(&one).unwrap();
    assert_eq!(one[0]["status_notes"], "A fine was issued.");
    act(json!({"action": "start", "agency": "POL_PATROL"})).await;
    act(json!({"action": "answer", "agency": "POL_PATROL", "text": "The music stopped after a second visit."})).await;
    resident("close", json!({})).await;
    // Staff notes are kept apart from what the resident reads; none may leave through Open311.
    app.store.execute_raw_for_tests("UPDATE appeal_event SET internal_comment = 'INTERNAL-MARKER'").await.unwrap();

    let (status, kind, body) =
        get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={key}&lang=en")).await;
    assert_eq!((status, kind.as_str()), (200, "application/json; charset=utf-8"), "{body}");
    for private in [
        "INTERNAL-MARKER",
        "CONTACT-MARKER",
        "contact.marker",
        "701",
        "Айгүл",
        "flat 12",
        "REOPEN-MARKER",
        "sup-login-marker",
        "SHY-76958",
    ] {
        assert!(!body.contains(private), "{private:?} leaked: {body}");
    }
    let updates: Value = serde_json::from_str(&body).unwrap();
    let updates = updates.as_array().unwrap();
    let column = |name: &str| updates.iter().map(|u| u[name].as_str().unwrap().to_owned()).collect::<Vec<_>>();
    let ids: Vec<String> = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11].iter().map(|n| format!("{receipt}-{n}")).collect();
    assert_eq!(column("update_id"), ids, "every public step in order; the assignment (event 2) is internal");
    assert!(updates.iter().all(|u| u["service_request_id"] == receipt.as_str()));
    assert_eq!(
        column("status"),
        [
            "open",
            "in_progress",
            "internal_referral",
            "open",
            "in_progress",
            "in_progress",
            "fixed",
            "reopen",
            "in_progress",
            "fixed",
            "closed"
        ]
    );
    assert_eq!(
        column("external_status_code"),
        [
            "registered",
            "in_progress",
            "registered",
            "registered",
            "in_progress",
            "extended",
            "answered",
            "reopened",
            "in_progress",
            "answered",
            "closed"
        ]
    );
    assert_eq!(
        column("description"),
        [
            "The appeal is registered with District police inspector.",
            "District police inspector accepted the appeal.",
            "Night noise is for the patrol police.",
            "The appeal is registered with Patrol and traffic police.",
            "Patrol and traffic police accepted the appeal.",
            "A noise measurement is needed.",
            "A fine was issued.",
            "The applicant disagreed with the answer; the appeal is reopened.",
            "Patrol and traffic police started work on the appeal.",
            "The music stopped after a second visit.",
            "The appeal is closed.",
        ]
    );
    let times = column("updated_datetime");
    for time in &times {
        assert!(time.ends_with('Z') && time.len() == 20, "{time}");
        chrono::DateTime::parse_from_rfc3339(time).unwrap();
    }
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first: {times:?}");
    assert!(updates.iter().all(|u| u["media_url"] == ""), "photos are for staff only");

    let (status, kind, xml) = get(&app, &format!("/open311/v2/servicerequestupdates.xml?api_key={key}")).await;
    assert_eq!((status, kind.as_str()), (200, "text/xml; charset=utf-8"));
    assert!(
        xml.starts_with(&format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_request_updates><request_update><update_id>{receipt}-0</update_id>\
             <service_request_id>{receipt}</service_request_id><status>open</status><updated_datetime>{}</updated_datetime>",
            times[0]
        )),
        "{xml}"
    );
    assert!(
        xml.contains("<media_url></media_url><external_status_code>registered</external_status_code></request_update>")
    );
    assert_eq!(xml.matches("<request_update>").count(), 11);
    assert!(xml.ends_with("</request_update></service_request_updates>"), "{xml}");
    for private in ["INTERNAL-MARKER", "CONTACT-MARKER", "701", "REOPEN-MARKER", "sup-login-marker"] {
        assert!(!xml.contains(private), "{private:?} leaked: {xml}");
    }

    // The window: move the history to whole hours of 1 January 2026 (event n at n o'clock).
    app.store
        .execute_raw_for_tests("UPDATE appeal_event SET happened_at = 1767225600000 + event_no * 3600000")
        .await
        .unwrap();
    let (status, _, body) = get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={key}")).await;
    assert_eq!((status, body.as_str()), (200, "[]"), "by default only the last 24 hours");
    let (status, _, body) = get(
        &app,
        &format!(
            "/open311/v2/servicerequestupdates.json?api_key={key}&jurisdiction_id=shy&start_date=2026-01-01T02:00:00Z&end_date=2026-01-01T05:00:00Z"
        ),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let window: Value = serde_json::from_str(&body).unwrap();
    let seen: Vec<(&str, &str)> = window
        .as_array()
        .unwrap()
        .iter()
        .map(|u| (u["update_id"].as_str().unwrap(), u["updated_datetime"].as_str().unwrap()))
        .collect();
    let (three, four) = (format!("{receipt}-3"), format!("{receipt}-4"));
    assert_eq!(
        seen,
        [(three.as_str(), "2026-01-01T03:00:00Z"), (four.as_str(), "2026-01-01T04:00:00Z")],
        "from start_date up to end_date (excluded); the assignment at 02:00 is not public"
    );
    let (status, _, body) = get(
        &app,
        &format!("/open311/v2/servicerequestupdates.json?api_key={key}&start_date=2026-01-01T11:00:00%2B05:00&end_date=2026-01-02T00:00:00Z"),
    )
    .await;
    let late: Value = serde_json::from_str(&body).unwrap();
    assert_eq!((status, late.as_array().unwrap().len()), (200, 6), "an offset is understood: from 06:00Z, {body}");
}

#[tokio::test]
async fn request_updates_need_a_key_and_both_dates_or_neither() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let (status, _, body) = get(&app, "/open311/v2/servicerequestupdates.json").await;
    assert_eq!(status, 403, "{body}");
    let errors: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(errors[0]["code"], 403);
    assert!(errors[0]["description"].as_str().unwrap().contains("api_key"), "{body}");
    let (status, _, xml) = get(&app, "/open311/v2/servicerequestupdates.xml?api_key=o311_forged&lang=en").await;
    assert_eq!(status, 403);
    assert!(
        xml.contains("<errors><error><code>403</code><description>This api_key is not valid or was revoked.</description></error></errors>"),
        "{xml}"
    );
    assert_eq!(get(&app, "/open311/v2/servicerequestupdates.json?api_key=").await.0, 403, "empty is absent");
    let city = app.store.city().await.unwrap().unwrap().0;
    let revoked = app.store.create_open311_key(city, "revoked client", 1).await.unwrap();
    assert_eq!(get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={revoked}")).await.0, 200);
    app.store
        .execute_raw_for_tests("UPDATE open311_key SET revoked_at = 2 WHERE label = 'revoked client'")
        .await
        .unwrap();
    assert_eq!(get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={revoked}")).await.0, 403);
    for (query, expected) in [
        ("start_date=2026-01-01T00:00:00Z", "Give both start_date and end_date, or neither."),
        ("end_date=2026-01-01T00:00:00Z", "Give both start_date and end_date, or neither."),
        ("start_date=2026-01-01T00:00:00Z&end_date=", "Give both start_date and end_date, or neither."),
        ("start_date=2026-01-02T00:00:00Z&end_date=2026-01-01T00:00:00Z", "end_date is before start_date."),
        (
            "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
            "start_date and end_date may be at most 90 days apart.",
        ),
        (
            "start_date=yesterday&end_date=2026-01-01T00:00:00Z",
            "start_date: \"yesterday\" is not a W3C date-time such as 2026-01-01T00:00:00Z.",
        ),
    ] {
        let (status, _, body) =
            get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={key}&lang=en&{query}")).await;
        assert_eq!(status, 400, "{query}: {body}");
        let errors: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            (errors[0]["code"].as_i64(), errors[0]["description"].as_str()),
            (Some(400), Some(expected)),
            "{query}"
        );
    }
    let (status, _, body) = get(
        &app,
        &format!("/open311/v2/servicerequestupdates.json?api_key={key}&lang=ru&start_date=2026-01-01T00:00:00Z"),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.contains("Укажите и start_date, и end_date"), "in the request's language: {body}");
    assert_eq!(
        get(&app, &format!("/open311/v2/servicerequestupdates.json?api_key={key}&jurisdiction_id=almaty")).await.0,
        404
    );
    assert_eq!(get(&app, &format!("/open311/v2/servicerequestupdates.yaml?api_key={key}")).await.0, 404);
}

/// A `multipart/form-data` body with text fields and files `(part name, file name, bytes)`.
fn form_data(fields: &[(&str, &str)], files: &[(&str, &str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "sakshy-open311-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    for (name, file_name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_form_data(app: &TestApp, path: &str, content_type: String, body: Vec<u8>) -> (u16, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.address))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// A small PNG, made here.
fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x * 20) as u8, (y * 30) as u8, 200]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

#[tokio::test]
async fn media_urls_are_kept_for_staff_and_never_shown_publicly() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let supervisor = app.staff_token("sup", "supervisor", "city").await;
    let base = [
        ("api_key", key.as_str()),
        ("service_code", "LIGHTING"),
        ("lat", "42.29871"),
        ("long", "69.6103"),
        ("description", "The street lights near the station are out."),
        ("first_name", "Айгүл"),
        ("phone", "+7 701 123 45 67"),
        ("attribute[consent]", "true"),
    ];
    let with = |extra: &[(&'static str, &'static str)]| {
        let mut form = base.to_vec();
        form.extend_from_slice(extra);
        form
    };
    // As FixMyStreet sends several: the key repeated (and the `[]` form some clients use).
    let (status, body) = post(
        &app,
        "/open311/v2/requests.json",
        &with(&[
            ("media_url", "https://fms.example/photo/1.full.jpeg"),
            ("media_url", ""),
            ("media_url[]", "http://fms.example/photo/2.full.jpeg?v=2"),
        ]),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let created: Value = serde_json::from_str(&body).unwrap();
    let id = created[0]["service_request_id"].as_str().unwrap().to_owned();
    let view = staff_view(&app, &supervisor, &id).await;
    assert_eq!(
        view["media_urls"],
        json!(["https://fms.example/photo/1.full.jpeg", "http://fms.example/photo/2.full.jpeg?v=2"])
    );
    assert_eq!(view["photos"], json!([]), "nothing is fetched from a media_url");
    let (status, _, body) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(status, 200);
    let one: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(one[0]["media_url"], Value::Null);
    check_schema("request.json", &one[0]);
    let (_, _, xml) = get(&app, &format!("/open311/v2/requests/{id}.xml")).await;
    let (_, _, list) = get(&app, "/open311/v2/requests.json").await;
    for body in [&body, &xml, &list] {
        assert!(!body.contains("fms.example"), "{body}");
    }
    // Every bad one is refused, naming the field, and registers nothing.
    let long = format!("https://fms.example/{}", "a".repeat(2_000));
    for bad in [
        "ftp://fms.example/1.jpeg",
        "javascript:alert(1)",
        "/photo/1.jpeg",
        "https://user:secret@fms.example/1.jpeg",
        "https://",
        long.as_str(),
    ] {
        let mut form = base.to_vec();
        form.push(("media_url", bad));
        let (status, body) = post(&app, "/open311/v2/requests.json?lang=en", &form).await;
        assert_eq!(status, 400, "{bad}: {body}");
        let errors: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(errors[0]["code"], 400);
        assert!(errors[0]["description"].as_str().unwrap().starts_with("media_url \""), "{body}");
    }
    let (status, xml) =
        post(&app, "/open311/v2/requests.xml", &with(&[("media_url", "ftp://fms.example/1.jpeg")])).await;
    assert_eq!(status, 400);
    assert!(xml.contains("<errors><error><code>400</code><description>media_url «ftp://fms.example/1.jpeg»"), "{xml}");
    let eleven: Vec<(&str, &str)> =
        with(&[]).into_iter().chain(std::iter::repeat_n(("media_url", "https://fms.example/x.jpeg"), 11)).collect();
    assert_eq!(post(&app, "/open311/v2/requests.json", &eleven).await.0, 400);
    let (_, _, list) = get(&app, "/open311/v2/requests.json").await;
    assert_eq!(
        serde_json::from_str::<Value>(&list).unwrap().as_array().unwrap().len(),
        1,
        "refused requests stored nothing"
    );
}

#[tokio::test]
async fn media_uploads_go_through_the_photo_pipeline() {
    let app = spawn_app().await;
    let key = api_key(&app).await;
    let supervisor = app.staff_token("sup", "supervisor", "city").await;
    let fields = [
        ("api_key", key.as_str()),
        ("service_code", "LIGHTING"),
        ("lat", "42.29871"),
        ("long", "69.6103"),
        ("description", "The street lights near the station are out."),
        ("first_name", "Айгүл"),
        ("phone", "+7 701 123 45 67"),
        ("attribute[consent]", "true"),
        ("media_url", "https://fms.example/photo/1.full.jpeg"),
    ];
    let (content_type, body) = form_data(&fields, &[("media", "lamp.png", png(12, 8))]);
    let (status, answer) = post_form_data(&app, "/open311/v2/requests.json", content_type, body).await;
    assert_eq!(status, 200, "{answer}");
    let created: Value = serde_json::from_str(&answer).unwrap();
    let id = created[0]["service_request_id"].as_str().unwrap().to_owned();
    let view = staff_view(&app, &supervisor, &id).await;
    assert_eq!(view["media_urls"], json!(["https://fms.example/photo/1.full.jpeg"]));
    let photo = view["photos"][0].as_str().unwrap().to_owned();
    assert_eq!(view["photos"].as_array().unwrap().len(), 1);
    let response = app.client.get(format!("{}{photo}", app.address)).bearer_auth(&supervisor).send().await.unwrap();
    assert_eq!((response.status().as_u16(), response.headers()["content-type"].to_str().unwrap()), (200, "image/jpeg"));
    let stored = image::load_from_memory(&response.bytes().await.unwrap()).unwrap();
    assert_eq!((stored.width(), stored.height()), (12, 8), "decoded and re-encoded");
    let (_, _, public) = get(&app, &format!("/open311/v2/requests/{id}.json")).await;
    assert_eq!(serde_json::from_str::<Value>(&public).unwrap()[0]["media_url"], Value::Null);
    // Not an image, too many, a stray file part, no key: each refused in the contract's error form.
    let refused = |files: Vec<(&'static str, &'static str, Vec<u8>)>, with_key: bool| {
        let app = &app;
        let fields: Vec<(&str, &str)> = fields.iter().copied().filter(|(k, _)| with_key || *k != "api_key").collect();
        async move {
            let (content_type, body) = form_data(&fields, &files);
            let (status, answer) = post_form_data(app, "/open311/v2/requests.xml?lang=en", content_type, body).await;
            (status, answer)
        }
    };
    let (status, xml) = refused(vec![("media", "report.png", b"%PDF-1.7 not an image".to_vec())], true).await;
    assert_eq!(status, 400);
    assert!(
        xml.contains(
            "<errors><error><code>400</code><description>media: Photo 1 is not a JPEG, PNG or WebP image.</description>"
        ),
        "{xml}"
    );
    let four = (0..4).map(|_| ("media", "lamp.png", png(4, 4))).collect();
    let (status, xml) = refused(four, true).await;
    assert_eq!((status, xml.contains("media: At most 3 photos.")), (400, true), "{xml}");
    let (status, xml) = refused(vec![("attachment", "lamp.png", png(4, 4))], true).await;
    assert_eq!((status, xml.contains("attachment")), (400, true), "{xml}");
    let (status, _) = refused(vec![("media", "lamp.png", png(4, 4))], false).await;
    assert_eq!(status, 403);
    let (_, _, list) = get(&app, "/open311/v2/requests.json").await;
    assert_eq!(
        serde_json::from_str::<Value>(&list).unwrap().as_array().unwrap().len(),
        1,
        "refused requests stored nothing"
    );
}
