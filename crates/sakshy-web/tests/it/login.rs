//! Staff login on the pages: cookies, CSRF, throttling and lockout (with an injected clock), logout, the audit
//! trail, and the role × page matrix of the staff console.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, spawn_app};

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    client: reqwest::Client,
    pub(crate) cookies: HashMap<String, String>,
    lang: Option<&'static str>,
}

/// A response as the tests look at it.
pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: String,
    set_cookies: Vec<String>,
    pub(crate) body: String,
}

impl<'a> Browser<'a> {
    pub(crate) fn new(app: &'a TestApp) -> Browser<'a> {
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { app, client, cookies: HashMap::new(), lang: None }
    }

    pub(crate) async fn send(&mut self, method: Method, path: &str, form: Option<&[(&str, &str)]>) -> Page {
        let mut request = self.client.request(method, format!("{}{path}", self.app.address));
        let cookie: Vec<String> = self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
        if !cookie.is_empty() {
            request = request.header("Cookie", cookie.join("; "));
        }
        if let Some(lang) = self.lang {
            request = request.header("Accept-Language", lang);
        }
        if let Some(form) = form {
            let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
            request = request.header("Content-Type", "application/x-www-form-urlencoded").body(body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let location = response.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let set_cookies: Vec<String> =
            response.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for cookie in &set_cookies {
            let (pair, attributes) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attributes.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page { status, location, set_cookies, body: response.text().await.unwrap() }
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        self.send(Method::GET, path, None).await
    }

    pub(crate) async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        self.send(Method::POST, path, Some(form)).await
    }

    /// Opens the login form and submits it.
    pub(crate) async fn login(&mut self, login: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, 200, "{}", form.body);
        let csrf = hidden(&form.body, "csrf");
        self.post("/login", &[("csrf", &csrf), ("login", login), ("password", password), ("next", "/staff")]).await
    }
}

/// The value of a hidden form field in a page.
pub(crate) fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no {name} field in {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

/// Adds an account with a password.
pub(crate) async fn account(app: &TestApp, login: &str, role: &str, scope: &str, password: &str) {
    app.staff_account(login, role, scope, password).await;
}

pub(crate) async fn audit_actions(app: &TestApp) -> Vec<(String, String, Option<String>)> {
    let city = app.store.city().await.unwrap().unwrap().0;
    let mut events = app.store.audit_events(city, 1_000).await.unwrap();
    events.reverse();
    events.into_iter().map(|e| (e.actor, e.action, e.from_address)).collect()
}

pub(crate) use crate::staff::domestic;

pub(crate) const PASSWORD: &str = "correct horse battery";

#[tokio::test]
async fn login_sets_an_http_only_same_site_cookie_and_logout_ends_the_session() {
    // Arrange
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);

    // Act and assert: without a session the queue redirects to the login page, which comes back to it.
    let anonymous = browser.get("/staff?state=registered").await;
    assert_eq!(anonymous.status, 303);
    assert_eq!(anonymous.location, "/login?next=%2Fstaff%3Fstate%3Dregistered");
    let form = browser.get("/login").await;
    let login_csrf = form.set_cookies.iter().find(|c| c.starts_with("sakshy_login_csrf=")).unwrap();
    assert!(login_csrf.contains("HttpOnly") && login_csrf.contains("SameSite=Strict"), "{login_csrf}");
    let signed_in = browser.login("uip", PASSWORD).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    assert_eq!(signed_in.location, "/staff");
    let session = signed_in.set_cookies.iter().find(|c| c.starts_with("sakshy_session=")).unwrap();
    assert!(session.contains("; HttpOnly"), "{session}");
    assert!(session.contains("; SameSite=Lax"), "{session}");
    assert!(session.contains("; Path=/"), "{session}");
    assert!(!session.contains("Secure"), "no TLS configured: {session}");
    let token = browser.cookies["sakshy_session"].clone();
    assert_eq!(token.len(), 64);

    let queue = browser.get("/staff").await;
    assert_eq!(queue.status, 200, "{}", queue.body);
    let csrf = hidden(&queue.body, "csrf");

    // A logout without or with a wrong CSRF token is refused and changes nothing.
    assert_eq!(browser.post("/logout", &[]).await.status, 403);
    assert_eq!(browser.post("/logout", &[("csrf", "0".repeat(64).as_str())]).await.status, 403);
    assert_eq!(browser.get("/staff").await.status, 200);

    let out = browser.post("/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, 303);
    assert!(out.location.starts_with("/login"), "{}", out.location);
    assert!(out.set_cookies.iter().any(|c| c.starts_with("sakshy_session=;") && c.contains("Max-Age=0")));
    // The old cookie no longer opens anything: the row is gone.
    browser.cookies.insert("sakshy_session".into(), token);
    assert_eq!(browser.get("/staff").await.status, 303);

    let audit = audit_actions(&app).await;
    let actions: Vec<&str> = audit.iter().map(|(_, action, _)| action.as_str()).collect();
    assert_eq!(actions, ["login", "logout"]);
    assert!(audit.iter().all(|(actor, _, from)| actor == "uip" && from.as_deref() == Some("127.0.0.1")));
}

#[tokio::test]
async fn a_login_post_without_the_forms_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.get("/login").await;
    let missing = browser.post("/login", &[("login", "uip"), ("password", PASSWORD)]).await;
    assert_eq!(missing.status, 403);
    let wrong = browser.post("/login", &[("csrf", "forged"), ("login", "uip"), ("password", PASSWORD)]).await;
    assert_eq!(wrong.status, 403);
    assert!(!browser.cookies.contains_key("sakshy_session"));
    assert!(audit_actions(&app).await.is_empty());
}

#[tokio::test]
async fn five_wrong_passwords_lock_the_account_and_even_the_right_one_is_refused_until_the_lock_expires() {
    // Arrange
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.lang = Some("en");

    // Act: four wrong passwords are only wrong; the fifth locks.
    for _ in 0..4 {
        let wrong = browser.login("uip", "wrong password").await;
        assert_eq!(wrong.status, 401);
        assert!(wrong.body.contains("Wrong login or password."), "{}", wrong.body);
    }
    let fifth = browser.login("uip", "wrong password").await;
    assert_eq!(fifth.status, 429);
    assert!(fifth.body.contains("Signing in to this account is blocked for 15 minutes"), "{}", fifth.body);
    let right = browser.login("uip", PASSWORD).await;
    assert_eq!(right.status, 429, "locked: even the right password is refused");
    assert!(!browser.cookies.contains_key("sakshy_session"));

    // Fourteen minutes on it still holds; past fifteen the right password works.
    app.state.clock.advance_ms(14 * 60_000);
    assert_eq!(browser.login("uip", PASSWORD).await.status, 429);
    app.state.clock.advance_ms(60_000 + 1);
    let after = browser.login("uip", PASSWORD).await;
    assert_eq!(after.status, 303, "{}", after.body);
    assert!(browser.cookies.contains_key("sakshy_session"));

    // Assert: every event is in the audit log.
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|(_, action, _)| action).collect();
    let expected = [vec!["login_failed"; 5], vec!["login_lockout", "login_locked", "login_locked", "login"]].concat();
    assert_eq!(actions, expected);
}

#[tokio::test]
async fn the_lockout_message_is_in_the_users_language_and_the_same_for_a_login_that_does_not_exist() {
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let cases = [
        ("kk", "Бұл тіркелгіге кіру 15 минутқа бұғатталды"),
        ("ru", "Вход в эту учётную запись заблокирован на 15 минут"),
        ("en", "Signing in to this account is blocked for 15 minutes"),
    ];
    for (lang, message) in cases {
        for login in [format!("uip-{lang}"), "uip".to_owned()] {
            let mut browser = Browser::new(&app);
            browser.lang = Some(lang);
            let mut last = None;
            for _ in 0..5 {
                last = Some(browser.login(&login, "wrong password").await);
            }
            let last = last.unwrap();
            assert_eq!(last.status, 429, "{login}");
            assert!(last.body.contains(message), "{lang} {login}: {}", last.body);
        }
        // The lock is per account: the clock moves past it before the next language.
        app.state.clock.advance_ms(16 * 60_000);
    }
}

#[tokio::test]
async fn an_agency_officers_queue_shows_only_their_agencys_appeals() {
    let app = spawn_app().await;
    let shared = domestic(&app).await;
    let (status, noise) = app
        .post_appeal(
            &json!({"category": "NOISE", "description": "Loud music at night every day", "location": {"lat": 42.29871, "lon": 69.61030},
                    "contact": {"name": "Aigul", "phone": "+7 701 000 00 00"}, "consent": true}),
            &[],
        )
        .await;
    assert_eq!(status, 201, "{noise}");
    let police_only = noise["receipt"].as_str().unwrap().to_owned();
    account(&app, "soc", "agency_officer", "agency:SOCIAL", PASSWORD).await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;

    let mut social = Browser::new(&app);
    social.lang = Some("en");
    assert_eq!(social.login("soc", PASSWORD).await.status, 303);
    let queue = social.get("/staff").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains(&shared), "{}", queue.body);
    assert!(!queue.body.contains(&police_only), "the police-only appeal is not the agency's");
    assert_eq!(social.get(&format!("/staff/appeals/{police_only}")).await.status, 403);

    // The counts are scoped too: the agency's one appeal, registered.
    assert!(queue.body.contains("Registered</a>: <span class=\"count\">1</span>"), "{}", queue.body);

    let mut inspector = Browser::new(&app);
    inspector.lang = Some("en");
    assert_eq!(inspector.login("uip", PASSWORD).await.status, 303);
    let queue = inspector.get("/staff").await;
    assert!(queue.body.contains(&shared) && queue.body.contains(&police_only));
    assert!(queue.body.contains("Registered</a>: <span class=\"count\">2</span>"), "{}", queue.body);
}

#[tokio::test]
async fn an_analyst_sees_no_contact_data_and_a_handler_sees_it_audited() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    account(&app, "analyst", "analyst", "city", PASSWORD).await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;

    let mut analyst = Browser::new(&app);
    analyst.login("analyst", PASSWORD).await;
    let page = analyst.get(&format!("/staff/appeals/{receipt}")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains(&receipt));
    assert!(!page.body.contains("Айгүл Сейітова") && !page.body.contains("+7 701 123 45 67"), "{}", page.body);
    assert!(page.body.contains("А***ва"), "masked name shown");

    let mut inspector = Browser::new(&app);
    inspector.login("uip", PASSWORD).await;
    let page = inspector.get(&format!("/staff/appeals/{receipt}")).await;
    assert!(page.body.contains("Айгүл Сейітова") && page.body.contains("+7 701 123 45 67"));

    let audit = audit_actions(&app).await;
    let views: Vec<_> = audit.iter().filter(|(_, action, _)| action == "view_contact").collect();
    assert_eq!(views.len(), 1, "only the inspector's view: {audit:?}");
    assert_eq!((views[0].0.as_str(), views[0].2.as_deref()), ("uip", Some("127.0.0.1")));
}

#[tokio::test]
async fn the_appeal_page_maps_the_place_and_links_photos_for_handlers_only_each_view_audited() {
    // Arrange: an appeal with a photo, filed in SHY-ALF-Q01.
    let app = spawn_app().await;
    let appeal = json!({
        "category": "DOMESTIC",
        "description": "Shouting every evening next door.",
        "location": {"lat": 42.29871, "lon": 69.61030},
        "contact": {"name": "Айгүл Сейітова", "phone": "+7 701 123 45 67"},
        "consent": true
    });
    let (content_type, body) = crate::appeals::multipart(&appeal, &[("p.jpg", crate::appeals::phone_photo())]);
    let created: serde_json::Value = app
        .client
        .post(format!("{}/api/v1/appeals", app.address))
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let receipt = created["receipt"].as_str().unwrap().to_owned();
    account(&app, "analyst", "analyst", "city", PASSWORD).await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;

    // Act: the inspector opens the appeal and its photo.
    let mut inspector = Browser::new(&app);
    inspector.login("uip", PASSWORD).await;
    let page = inspector.get(&format!("/staff/appeals/{receipt}?lang=en")).await;

    // Assert: a map with the appeal's dot, and a link to the photo that serves it.
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg") && page.body.contains(&format!("Where appeal {receipt} is")), "{}", page.body);
    let dots = page.body.split("<g class=\"appeals\"").nth(1).expect("an appeals layer").split("</g>").next().unwrap();
    assert_eq!(dots.matches("<circle").count(), 1, "one dot, this appeal's");
    let href = format!("/staff/appeals/{receipt}/photos/0");
    assert!(page.body.contains(&href), "{}", page.body);
    let photo = app
        .client
        .get(format!("{}{href}", app.address))
        .header("Cookie", inspector_cookie(&inspector))
        .send()
        .await
        .unwrap();
    assert_eq!(photo.status(), 200, "{:?}", photo.headers());
    assert_eq!(photo.headers()["content-type"], "image/jpeg");
    assert_eq!(photo.headers()["cache-control"], "private, no-store");

    // The analyst sees the map but no photo link, and is refused the photo itself.
    let mut analyst = Browser::new(&app);
    analyst.login("analyst", PASSWORD).await;
    let page = analyst.get(&format!("/staff/appeals/{receipt}?lang=en")).await;
    assert!(page.body.contains("<svg") && !page.body.contains(&href));
    assert_eq!(analyst.get(&href).await.status, 403);
    let audit = audit_actions(&app).await;
    let photo_views: Vec<_> = audit.iter().filter(|(_, action, _)| action == "view_photo").collect();
    assert_eq!(photo_views.len(), 1, "{audit:?}");
    assert_eq!(photo_views[0].0, "uip");
}

/// The cookie header a test browser sends.
fn inspector_cookie(browser: &Browser<'_>) -> String {
    browser.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
}

#[tokio::test]
async fn an_action_form_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut inspector = Browser::new(&app);
    inspector.login("uip", PASSWORD).await;
    let page = inspector.get(&format!("/staff/appeals/{receipt}")).await;
    assert!(page.body.contains("action-accept"), "the accept form is offered: {}", page.body);
    let csrf = hidden(&page.body, "csrf");
    let path = format!("/staff/appeals/{receipt}/actions");
    let accept = [("action", "accept"), ("agency", "POL_UIP")];
    assert_eq!(inspector.post(&path, &accept).await.status, 403);
    let forged = [("csrf", "f".repeat(64)), ("action", "accept".into()), ("agency", "POL_UIP".into())];
    let forged: Vec<(&str, &str)> = forged.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(inspector.post(&path, &forged).await.status, 403);
    let token = app.staff_token("sup", "supervisor", "city").await;
    let (_, appeal) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &token, None).await;
    assert_eq!(appeal["tasks"][0]["state"], "registered", "nothing changed");

    // With the token the same form goes through the workflow.
    let done = inspector.post(&path, &[("csrf", &csrf), ("action", "accept"), ("agency", "POL_UIP")]).await;
    assert_eq!(done.status, 303, "{}", done.body);
    let (_, appeal) = app.staff(Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &token, None).await;
    assert_eq!(appeal["tasks"][0]["state"], "accepted");
    let answer = [("csrf", csrf.as_str()), ("action", "answer"), ("agency", "POL_UIP"), ("text", "Патруль жіберілді.")];
    assert_eq!(inspector.post(&path, &answer).await.status, 303);
    let page = inspector.get(&format!("/staff/appeals/{receipt}")).await;
    assert!(page.body.contains("Патруль жіберілді."), "the answer is in the public history");
}

/// A login and the statuses it gets: queue, appeal page, an action, a note, the audit log, the reception log and
/// the quadrant overview.
type Statuses = (&'static str, u16, u16, u16, u16, u16, u16, u16);

#[tokio::test]
async fn every_role_gets_each_console_page_as_the_policy_says() {
    // Arrange: one account per role; an appeal in SHY-ALF-Q01 with tasks for the police and social protection.
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    let roles = [
        ("admin", "administrator", "city"),
        ("sup", "supervisor", "city"),
        ("sup.aby", "supervisor", "district:SHY-ABY"),
        ("uip", "district_inspector", "quadrants:SHY-ALF-Q01"),
        ("duty", "duty_officer", "quadrants:SHY-ALF-Q01"),
        ("soc", "agency_officer", "agency:SOCIAL"),
        ("edu", "agency_officer", "agency:EDU"),
        ("analyst", "analyst", "city"),
        ("viewer", "read_only", "city"),
    ];
    for (login, role, scope) in roles {
        account(&app, login, role, scope, PASSWORD).await;
    }
    let appeal = format!("/staff/appeals/{receipt}");
    let actions = format!("/staff/appeals/{receipt}/actions");
    // Expected statuses: queue, appeal page, accepting one's own task (an action form), adding a note.
    // Then the audit log (the administrators' alone), the reception log (those who receive visitors at a point)
    // and the overview of the appeal's quadrant (those whose scope covers it).
    let expected: [Statuses; 9] = [
        ("admin", 200, 200, 403, 403, 200, 403, 200),
        ("sup", 200, 200, 303, 303, 403, 200, 200),
        ("sup.aby", 200, 403, 403, 403, 403, 200, 403),
        ("uip", 200, 200, 303, 303, 403, 200, 200),
        ("duty", 200, 200, 403, 303, 403, 200, 200),
        ("soc", 200, 200, 303, 303, 403, 403, 403),
        ("edu", 200, 403, 403, 403, 403, 403, 403),
        ("analyst", 200, 200, 403, 403, 403, 403, 200),
        ("viewer", 200, 200, 403, 403, 403, 403, 200),
    ];

    // Act and assert
    let mut anonymous = Browser::new(&app);
    for path in [
        "/staff",
        appeal.as_str(),
        "/staff/audit",
        "/staff/reception",
        "/staff/quadrants/SHY-ALF-Q01",
        "/staff/admin",
        "/staff/admin/users",
        "/staff/admin/holidays",
        "/staff/analytics",
    ] {
        let page = anonymous.get(path).await;
        assert_eq!(page.status, 303, "anonymous {path}");
        assert!(page.location.starts_with("/login?next="), "{}", page.location);
    }
    for path in [&actions, &format!("/staff/appeals/{receipt}/notes")] {
        let refused = anonymous.post(path, &[("action", "accept"), ("text", "x")]).await;
        assert_eq!((refused.status, refused.location.starts_with("/login")), (303, true), "anonymous POST {path}");
    }

    for (
        login,
        queue_status,
        appeal_status,
        action_status,
        note_status,
        audit_status,
        reception_status,
        overview_status,
    ) in expected
    {
        let mut browser = Browser::new(&app);
        assert_eq!(browser.login(login, PASSWORD).await.status, 303, "{login} signs in");
        let queue = browser.get("/staff").await;
        assert_eq!(queue.status, queue_status, "{login} /staff");
        assert_eq!(browser.get("/staff/audit").await.status, audit_status, "{login} /staff/audit");
        // Place-based analytics are every staff role's.
        assert_eq!(browser.get("/staff/analytics").await.status, 200, "{login} /staff/analytics");
        // The administration pages follow the same policy as the audit log: administrators only.
        for path in ["/staff/admin", "/staff/admin/users", "/staff/admin/holidays"] {
            assert_eq!(browser.get(path).await.status, audit_status, "{login} {path}");
        }
        assert_eq!(browser.get("/staff/reception").await.status, reception_status, "{login} /staff/reception");
        let overview = browser.get("/staff/quadrants/SHY-ALF-Q01").await.status;
        assert_eq!(overview, overview_status, "{login} /staff/quadrants/SHY-ALF-Q01");
        let csrf = hidden(&queue.body, "csrf");
        assert_eq!(browser.get(&appeal).await.status, appeal_status, "{login} {appeal}");
        // Each accepts a task of their own agency (supervisors the police task) on a fresh appeal, so that only
        // the role and scope decide, never the state another role left it in.
        let fresh = domestic(&app).await;
        let agency = if login == "soc" { "SOCIAL" } else { "POL_UIP" };
        let path = format!("/staff/appeals/{fresh}/actions");
        let acted = browser.post(&path, &[("csrf", &csrf), ("action", "accept"), ("agency", agency)]).await;
        assert_eq!(acted.status, action_status, "{login} POST {path}: {}", acted.body);
        let path = format!("/staff/appeals/{receipt}/notes");
        let noted = browser.post(&path, &[("csrf", &csrf), ("text", "Тексерілді.")]).await;
        assert_eq!(noted.status, note_status, "{login} POST {path}: {}", noted.body);
        if login != "admin" {
            let form = [("csrf", csrf.as_str()), ("login", "intruder"), ("name", "X"), ("role", "administrator")];
            let added = browser.post("/staff/admin/users", &[form.as_slice(), &[("scope", "city")]].concat()).await;
            assert_eq!(added.status, 403, "{login} POST /staff/admin/users");
            let imported =
                browser.post("/staff/admin/import", &[("csrf", &csrf), ("kind", "agencies"), ("text", "x")]).await;
            assert_eq!(imported.status, 403, "{login} POST /staff/admin/import");
        }
    }
}

#[tokio::test]
async fn a_session_ends_after_thirty_idle_minutes_but_lives_while_used() {
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);
    assert_eq!(browser.login("uip", PASSWORD).await.status, 303);
    for _ in 0..3 {
        app.state.clock.advance_ms(29 * 60_000);
        assert_eq!(browser.get("/staff").await.status, 200, "used every 29 minutes, the session lives");
    }
    app.state.clock.advance_ms(31 * 60_000);
    let expired = browser.get("/staff").await;
    assert_eq!(expired.status, 303);
    assert!(expired.location.starts_with("/login?next="));
}

#[tokio::test]
async fn twenty_failures_from_one_address_hold_it_off_whatever_login_it_tries() {
    let app = spawn_app().await;
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.lang = Some("ru");
    for n in 0..20 {
        let wrong = browser.login(&format!("guess{n}"), "wrong password").await;
        assert_eq!(wrong.status, 401, "attempt {n}: one failure per login never locks an account");
    }
    let held = browser.login("uip", PASSWORD).await;
    assert_eq!(held.status, 429);
    assert!(held.body.contains("Слишком много неудачных попыток входа с этого адреса"), "{}", held.body);
    assert!(!browser.cookies.contains_key("sakshy_session"));
    let actions: Vec<String> = audit_actions(&app).await.into_iter().map(|(_, action, _)| action).collect();
    assert_eq!(actions.last().map(String::as_str), Some("login_throttled"));
    app.state.clock.advance_ms(15 * 60_000 + 1);
    assert_eq!(browser.login("uip", PASSWORD).await.status, 303);
}

#[tokio::test]
async fn internal_notes_are_for_handling_staff_only_and_agencies_read_their_own() {
    // Arrange
    let app = spawn_app().await;
    let receipt = domestic(&app).await;
    for (login, role, scope) in [
        ("uip", "district_inspector", "quadrants:SHY-ALF-Q01"),
        ("sup", "supervisor", "city"),
        ("soc", "agency_officer", "agency:SOCIAL"),
        ("analyst", "analyst", "city"),
    ] {
        account(&app, login, role, scope, PASSWORD).await;
    }
    let appeal = format!("/staff/appeals/{receipt}");
    let notes = format!("/staff/appeals/{receipt}/notes");
    let mut inspector = Browser::new(&app);
    inspector.login("uip", PASSWORD).await;
    let csrf = hidden(&inspector.get(&appeal).await.body, "csrf");

    // Act: a note without the CSRF token is refused; with it, it is kept.
    assert_eq!(inspector.post(&notes, &[("text", "Көршілер куә бола алады.")]).await.status, 403);
    assert!(!inspector.get(&appeal).await.body.contains("Көршілер куә бола алады."));
    let added = inspector.post(&notes, &[("csrf", &csrf), ("text", "Көршілер куә бола алады.")]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let mut social = Browser::new(&app);
    social.login("soc", PASSWORD).await;
    let social_csrf = hidden(&social.get(&appeal).await.body, "csrf");
    assert_eq!(social.post(&notes, &[("csrf", &social_csrf), ("text", "Отбасы есепте тұр.")]).await.status, 303);

    // Assert: the police see every note; the agency only its own; the analyst none, and may not write.
    let police_view = inspector.get(&appeal).await.body;
    assert!(police_view.contains("Көршілер куә бола алады.") && police_view.contains("Отбасы есепте тұр."));
    let mut supervisor = Browser::new(&app);
    supervisor.login("sup", PASSWORD).await;
    assert!(supervisor.get(&appeal).await.body.contains("Көршілер куә бола алады."));
    let social_view = social.get(&appeal).await.body;
    assert!(social_view.contains("Отбасы есепте тұр.") && !social_view.contains("Көршілер куә бола алады."));
    let mut analyst = Browser::new(&app);
    analyst.login("analyst", PASSWORD).await;
    let analyst_page = analyst.get(&appeal).await.body;
    assert!(!analyst_page.contains("Көршілер") && !analyst_page.contains("Отбасы есепте"), "{analyst_page}");
    let analyst_csrf = hidden(&analyst_page, "csrf");
    assert_eq!(analyst.post(&notes, &[("csrf", &analyst_csrf), ("text", "x")]).await.status, 403);
    let notes_added = audit_actions(&app).await.into_iter().filter(|(_, action, _)| action == "add_note").count();
    assert_eq!(notes_added, 2);
}

#[tokio::test]
async fn the_queue_page_filters_counts_highlights_overdue_rows_and_pages_by_keyset() {
    // Arrange: three appeals in the inspector's quadrant; the first made overdue by moving its due dates back.
    let app = spawn_app().await;
    let receipts = [domestic(&app).await, domestic(&app).await, domestic(&app).await];
    let city = app.store.city().await.unwrap().unwrap().0;
    let overdue_id = app.store.appeal_id_by_receipt(city, &receipts[0]).await.unwrap().unwrap();
    let past = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    app.store
        .update_appeal(city, overdue_id, 1, |stored| {
            let mut workflow = stored.workflow.clone();
            workflow.clocks.due = past;
            for task in &mut workflow.tasks {
                task.due = past;
            }
            Ok::<_, sakshy_store::StorageError>(workflow)
        })
        .await
        .unwrap();
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut browser = Browser::new(&app);
    browser.lang = Some("en");
    browser.login("uip", PASSWORD).await;

    // Act and assert: the overdue row is marked, and counted.
    let queue = browser.get("/staff").await;
    assert_eq!(queue.status, 200);
    let overdue_row = queue.body.split("<tr class=\"appeal overdue\">").nth(1).expect("an overdue row");
    assert!(overdue_row.split("</tr>").next().unwrap().contains(&receipts[0]), "{}", queue.body);
    assert_eq!(queue.body.matches("<tr class=\"appeal overdue\">").count(), 1);
    assert!(queue.body.contains("Overdue: 1"), "{}", queue.body);
    assert!(queue.body.contains("Registered</a>: <span class=\"count\">3</span>"));
    let only_overdue = browser.get("/staff?overdue=true").await;
    assert!(only_overdue.body.contains(&receipts[0]) && !only_overdue.body.contains(&receipts[1]));
    let by_text = browser.get(&format!("/staff?q={}", receipts[2])).await;
    assert!(by_text.body.contains("Shown: 1") && by_text.body.contains(&receipts[2]), "{}", by_text.body);
    let answered = browser.get("/staff?state=answered").await;
    assert!(answered.body.contains("No appeals match."));
    let bad = browser.get("/staff?state=lost").await;
    assert_eq!(bad.status, 400, "a bad filter names itself: {}", bad.body);

    // Keyset pages of two: the next link carries the cursor and the filters.
    let first = browser.get("/staff?limit=2&category=DOMESTIC").await;
    assert!(
        first.body.contains(&receipts[2]) && first.body.contains(&receipts[1]) && !first.body.contains(&receipts[0])
    );
    let marker = "<a rel=\"next\" href=\"";
    let start = first.body.find(marker).expect("a next page link") + marker.len();
    let next = first.body[start..].split('"').next().unwrap().replace("&#38;", "&");
    assert!(next.contains("category=DOMESTIC") && next.contains("after="), "{next}");
    let second = browser.get(&next).await;
    assert!(second.body.contains(&receipts[0]) && !second.body.contains(&receipts[1]), "{}", second.body);
}

#[tokio::test]
async fn administrators_read_the_audit_log_on_a_page_and_export_it_and_nobody_else_does() {
    let app = spawn_app().await;
    account(&app, "admin", "administrator", "city", PASSWORD).await;
    account(&app, "sup", "supervisor", "city", PASSWORD).await;
    let mut supervisor = Browser::new(&app);
    supervisor.login("sup", PASSWORD).await;
    assert_eq!(supervisor.get("/staff/audit").await.status, 403);
    assert_eq!(supervisor.get("/staff/audit.csv").await.status, 403);
    assert_eq!(Browser::new(&app).get("/staff/audit").await.status, 303, "anonymous: to the login page");

    assert!(!supervisor.get("/staff").await.body.contains("href=\"/staff/audit"), "no link that would answer 403");
    let mut admin = Browser::new(&app);
    admin.lang = Some("kk");
    admin.login("admin", PASSWORD).await;
    let queue = admin.get("/staff").await;
    assert!(queue.body.contains("<a href=\"/staff/audit?lang=kk\">Аудит журналы</a>"), "{}", queue.body);
    assert!(!queue.body.contains("href=\"/staff/reception"), "administrators receive no visitors");
    let page = admin.get("/staff/audit?actor=sup").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<h1>Аудит журналы</h1>"), "{}", page.body);
    assert!(page.body.contains("<td>sup</td><td><code>login</code></td>"), "the supervisor's sign-in: {}", page.body);
    assert!(!page.body.contains("<td>admin</td>"), "filtered by actor");
    assert!(page.body.contains("href=\"/staff/audit.csv?actor=sup&#38;lang=kk\""), "{}", page.body);
    let bad = admin.get("/staff/audit?from=yesterday").await;
    assert!(bad.body.contains("«from» күн болуы керек"), "{}", bad.body);
    let csv = admin.get("/staff/audit.csv?actor=sup").await;
    assert_eq!(csv.status, 200);
    assert!(csv.body.starts_with("\u{feff}at,actor,action,object,from\n"), "{}", csv.body);
    assert!(csv.body.lines().skip(1).all(|line| line.split(',').nth(1) == Some("sup")), "{}", csv.body);
    // Both readings are in the log.
    let own = admin.get("/staff/audit?actor=admin").await;
    assert!(own.body.contains("<code>view_audit</code>") && own.body.contains("<code>export_audit</code>"));
}
