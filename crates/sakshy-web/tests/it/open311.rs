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
