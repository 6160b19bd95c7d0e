//! The police point's reception log and the quadrant overview: a duty officer files a walk-in visitor's appeal
//! on their behalf (channel, point and contact stored; the receipt shown), refusals next to their field with
//! nothing stored, CSRF, who may open the log, and the overview's counts.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

const PASSWORD: &str = "correct horse battery";

/// A browser without JavaScript: keeps cookies, does not follow redirects.
struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    cookies: HashMap<String, String>,
}

/// A response as the tests look at it.
struct Page {
    status: u16,
    location: String,
    body: String,
}

impl<'a> Browser<'a> {
    fn new(app: &'a TestApp) -> Browser<'a> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, client, cookies: HashMap::new() }
    }

    async fn send(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut request = self.client.request(method, format!("{}{path}", self.app.address));
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !cookie.is_empty() {
            request = request.header("Cookie", cookie.join("; "));
        }
        request = request.header("Accept-Language", "en");
        if let Some(form) = form {
            let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
            request = request.header("Content-Type", "application/x-www-form-urlencoded").body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        for cookie in response.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().unwrap();
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page { status, location, body: response.text().await.unwrap() }
    }

    async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(form)).await
    }

    /// Signs in with a new account of this role and scope.
    async fn signed_in(app: &'a TestApp, login: &str, role: &str, scope: &str) -> Browser<'a> {
        app.staff_account(login, role, scope, PASSWORD).await;
        let mut browser = Browser::new(app);
        let form = browser.get("/login").await;
        let csrf = hidden(&form.body, "csrf");
        let done = browser
            .post("/login", &[("csrf", &csrf), ("login", login), ("password", PASSWORD), ("next", "/staff")])
            .await;
        assert_eq!(done.status, 303, "{}", done.body);
        browser
    }
}

/// The value of a hidden form field in a page.
fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// How many appeals are stored.
async fn n_appeals(app: &TestApp) -> usize {
    let city = app.store.city().await.unwrap().unwrap().0;
    app.store.list_appeals(city, &sakshy_store::AppealFilter::default(), None, 1_000).await.unwrap().len()
}

#[tokio::test]
async fn a_duty_officer_files_a_walk_in_and_hands_over_the_receipt() {
    let app = spawn_app().await;
    let mut duty = Browser::signed_in(&app, "duty", "duty_officer", "quadrants:SHY-ALF-Q01").await;
    let log = duty.get("/staff/reception").await;
    assert_eq!(log.status, 200, "{}", log.body);
    assert!(log.body.contains("No visitors recorded today."), "{}", log.body);
    assert!(log.body.contains("<option value=\"SHY-PP-02\""), "the points serving Q01 are offered");
    assert!(!log.body.contains("<option value=\"SHY-PP-05\""), "a point of another district is not");
    let csrf = hidden(&log.body, "csrf");
    let form_id = hidden(&log.body, "form_id");

    let filed = duty
        .post(
            "/staff/reception",
            &[
                ("csrf", &csrf),
                ("form_id", &form_id),
                ("point", "SHY-PP-02"),
                ("category", "NOISE"),
                ("description", "Музыка из кафе до трёх ночи каждый день."),
                ("place", "point"),
                ("name", "Ержан"),
                ("phone", "+7 701 555 44 33"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(filed.status, 200, "{}", filed.body);
    assert_eq!(filed.location, "");
    let receipt = filed.body.split("id=\"receipt\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(receipt.starts_with("SHY-"), "{receipt}");
    let tracking = filed.body.split("id=\"tracking\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(tracking.starts_with("/track/"), "{tracking}");
    assert!(filed.body.contains("Railway station modular police post"), "{}", filed.body);

    // The appeal: walk-in channel, the point, and the contact with consent.
    let city = app.store.city().await.unwrap().unwrap().0;
    let id = app.store.appeal_id_by_receipt(city, &receipt).await.unwrap().unwrap();
    let appeal = app.store.appeal(city, id).await.unwrap().unwrap();
    assert_eq!(appeal.channel, "staff");
    assert_eq!(appeal.police_point.as_ref().map(|c| c.as_str()), Some("SHY-PP-02"));
    assert_eq!(appeal.point, Some((69.6098, 42.2992)));
    assert_eq!(appeal.category.as_str(), "NOISE");
    let contact = app.store.appeal_contact(city, id).await.unwrap().unwrap();
    assert_eq!(contact.name.as_deref(), Some("Ержан"));
    assert!(contact.phone.is_some());
    assert_eq!(contact.email, None);

    // The visitor's tracking link works for them.
    let (status, tracked) = app.get(&format!("/api/v1/track/{}", tracking.trim_start_matches("/track/"))).await;
    assert_eq!(status, 200, "{tracked}");
    assert_eq!(tracked["receipt"], receipt.as_str());

    // The same form sent twice files once.
    let again = duty
        .post(
            "/staff/reception",
            &[
                ("csrf", &csrf),
                ("form_id", &form_id),
                ("point", "SHY-PP-02"),
                ("category", "NOISE"),
                ("description", "Музыка из кафе до трёх ночи каждый день."),
                ("place", "point"),
                ("name", "Ержан"),
                ("phone", "+7 701 555 44 33"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains(&format!("id=\"receipt\">{receipt}<")));
    assert_eq!(n_appeals(&app).await, 1);

    // Today's log lists it; the filing is audited without personal data.
    let log = duty.get("/staff/reception").await;
    assert!(log.body.contains(&format!(">{receipt}</a>")), "{}", log.body);
    assert_eq!(log.body.matches("<tr class=\"visit\">").count(), 1);
    let audit = app.store.audit_events(city, 100).await.unwrap();
    let filed_event = audit.iter().find(|e| e.action == "file_walk_in").unwrap();
    assert_eq!((filed_event.actor.as_str(), filed_event.object.clone()), ("duty", format!("appeal:{receipt}")));
}

#[tokio::test]
async fn a_walk_in_at_an_address_keeps_the_point_and_the_address() {
    let app = spawn_app().await;
    let mut duty = Browser::signed_in(&app, "duty", "duty_officer", "quadrants:SHY-ALF-Q01").await;
    let log = duty.get("/staff/reception").await;
    let csrf = hidden(&log.body, "csrf");
    let filed = duty
        .post(
            "/staff/reception",
            &[
                ("csrf", &csrf),
                ("point", "SHY-PP-03"),
                ("category", "ROADS"),
                ("description", "Светофор на перекрёстке не работает неделю."),
                ("place", "address"),
                ("address", "Тәуке хан даңғылы, 5"),
                ("email", "visitor@example.kz"),
                ("consent", "yes"),
            ],
        )
        .await;
    assert_eq!(filed.status, 200, "{}", filed.body);
    let receipt = filed.body.split("id=\"receipt\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let city = app.store.city().await.unwrap().unwrap().0;
    let id = app.store.appeal_id_by_receipt(city, &receipt).await.unwrap().unwrap();
    let appeal = app.store.appeal(city, id).await.unwrap().unwrap();
    assert_eq!(appeal.channel, "staff");
    assert_eq!(appeal.police_point.as_ref().map(|c| c.as_str()), Some("SHY-PP-03"));
    assert_eq!(appeal.address.as_deref(), Some("Тәуке хан даңғылы, 5"));
    assert!(appeal.point.is_some(), "the gazetteer places the address");
    let contact = app.store.appeal_contact(city, id).await.unwrap().unwrap();
    assert_eq!(contact.email.as_deref(), Some("visitor@example.kz"));
}

#[tokio::test]
async fn contact_without_consent_is_refused_next_to_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut duty = Browser::signed_in(&app, "duty", "duty_officer", "quadrants:SHY-ALF-Q01").await;
    let log = duty.get("/staff/reception").await;
    let csrf = hidden(&log.body, "csrf");
    let refused = duty
        .post(
            "/staff/reception",
            &[
                ("csrf", &csrf),
                ("point", "SHY-PP-02"),
                ("category", "NOISE"),
                ("description", "Шу түнде тоқтамайды."),
                ("place", "point"),
                ("phone", "+7 701 555 44 33"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let message = "<p class=\"error\" id=\"consent-error\">Contact details are stored only with the visitor";
    assert!(refused.body.contains(message), "{}", refused.body);
    assert!(refused.body.contains("aria-describedby=\"consent-error\""));
    // The form comes back filled.
    assert!(refused.body.contains("Шу түнде тоқтамайды."));
    assert!(refused.body.contains("value=\"+7 701 555 44 33\""));
    assert_eq!(n_appeals(&app).await, 0);

    // In Kazakh, the message is Kazakh.
    let refused = duty
        .post(
            "/staff/reception?lang=kk",
            &[
                ("csrf", &csrf),
                ("point", "SHY-PP-02"),
                ("category", ""),
                ("description", "Шу."),
                ("place", "address"),
                ("address", ""),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"address-error\">Мекенжайды енгізіңіз"), "{}", refused.body);
    assert!(refused.body.contains("id=\"category-error\">"), "{}", refused.body);
    assert_eq!(n_appeals(&app).await, 0);
}

#[tokio::test]
async fn a_wrong_csrf_token_is_refused_and_nothing_is_stored() {
    let app = spawn_app().await;
    let mut duty = Browser::signed_in(&app, "duty", "duty_officer", "quadrants:SHY-ALF-Q01").await;
    let form =
        [("point", "SHY-PP-02"), ("category", "NOISE"), ("description", "Loud music every night."), ("place", "point")];
    let mut wrong = vec![("csrf", "0000")];
    wrong.extend_from_slice(&form);
    assert_eq!(duty.post("/staff/reception", &wrong).await.status, 403);
    assert_eq!(duty.post("/staff/reception", &form).await.status, 403);
    assert_eq!(n_appeals(&app).await, 0);
}

#[tokio::test]
async fn only_the_roles_at_a_police_point_open_the_log() {
    let app = spawn_app().await;
    let mut anonymous = Browser::new(&app);
    let page = anonymous.get("/staff/reception").await;
    assert_eq!(page.status, 303);
    assert!(page.location.starts_with("/login?next="), "{}", page.location);
    assert_eq!(anonymous.get("/staff/quadrants/SHY-ALF-Q01").await.status, 303);

    for (login, role, scope) in
        [("soc", "agency_officer", "agency:SOCIAL"), ("analyst", "analyst", "city"), ("admin", "administrator", "city")]
    {
        let mut browser = Browser::signed_in(&app, login, role, scope).await;
        assert_eq!(browser.get("/staff/reception").await.status, 403, "{role}");
        let csrf = hidden(&browser.get("/staff").await.body, "csrf");
        let post = browser
            .post(
                "/staff/reception",
                &[("csrf", &csrf), ("point", "SHY-PP-02"), ("category", "NOISE"), ("description", "Noise.")],
            )
            .await;
        assert_eq!(post.status, 403, "{role}");
    }
    for (login, role, scope) in [
        ("duty", "duty_officer", "quadrants:SHY-ALF-Q01"),
        ("uip", "district_inspector", "quadrants:SHY-ALF-Q01"),
        ("sup", "supervisor", "city"),
    ] {
        let mut browser = Browser::signed_in(&app, login, role, scope).await;
        assert_eq!(browser.get("/staff/reception").await.status, 200, "{role}");
    }
    assert_eq!(n_appeals(&app).await, 0);
}

#[tokio::test]
async fn the_quadrant_overview_counts_its_appeals() {
    let app = spawn_app().await;
    let mut receipts = Vec::new();
    for (category, description) in [
        ("NOISE", "Loud music at night every day."),
        ("NOISE", "A dog barks all night long."),
        ("DOMESTIC", "Shouting next door every evening."),
    ] {
        let body = json!({"category": category, "description": description,
                          "location": {"lat": 42.29871, "lon": 69.61030},
                          "contact": {"phone": "+7 701 123 45 67"}, "consent": true});
        let (status, created) = app.post_appeal(&body, &[]).await;
        assert_eq!(status, 201, "{created}");
        receipts.push(created["receipt"].as_str().unwrap().to_owned());
    }
    let inspector = app.staff_token("uip-api", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let actions = format!("/api/v1/staff/appeals/{}/actions", receipts[0]);
    app.staff(Method::POST, &actions, &inspector, Some(&json!({"action": "accept"}))).await;
    let (status, answered) = app
        .staff(Method::POST, &actions, &inspector, Some(&json!({"action": "answer", "text": "The café was warned."})))
        .await;
    assert_eq!(status, 200, "{answered}");

    let mut duty = Browser::signed_in(&app, "duty", "duty_officer", "quadrants:SHY-ALF-Q01").await;
    let queue = duty.get("/staff").await;
    assert!(queue.body.contains("href=\"/staff/quadrants/SHY-ALF-Q01?lang=en\""), "{}", queue.body);
    let page = duty.get("/staff/quadrants/SHY-ALF-Q01").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<span class=\"count\" id=\"n-open\">2</span>"), "{}", page.body);
    assert!(page.body.contains("<span class=\"count\" id=\"n-overdue\">0</span>"));
    assert!(page.body.contains("<span class=\"count\" id=\"n-answered\">1</span>"));
    assert!(page.body.contains("<tr class=\"category\"><td>Noise at night</td><td>2</td></tr>"), "{}", page.body);
    assert!(page.body.contains("<tr class=\"category\"><td>Domestic conflict</td><td>1</td></tr>"));
    assert_eq!(page.body.matches("<tr class=\"category\">").count(), 2);
    assert!(page.body.contains("Railway station modular police post"));

    // Outside the scope, and an unknown quadrant.
    assert_eq!(duty.get("/staff/quadrants/SHY-ABY-Q01").await.status, 403);
    assert_eq!(duty.get("/staff/quadrants/NOPE-Q99").await.status, 404);
    let mut social = Browser::signed_in(&app, "soc", "agency_officer", "agency:SOCIAL").await;
    assert_eq!(social.get("/staff/quadrants/SHY-ALF-Q01").await.status, 403);
}
