//! A real headless Chromium driven over WebDriver (Debian's `chromium` and `chromium-driver`, which `.ci/run`
//! installs): the harness every browser test uses, with the checks each visited page must pass (every control
//! labelled, every image with alternative text) and screenshots under `target/screenshots/` for review.
//!
//! Without Chromium on the machine the browser tests say so and pass, unless `SAKSHY_REQUIRE_BROWSER` is set (CI
//! sets it), in which case they fail: a CI without a browser must not look green.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The real Chromium binary (`/usr/bin/chromium` is a shell wrapper that adds flags of its own).
const CHROMIUM: &str = "/usr/lib/chromium/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A browser session with its own chromedriver and a fresh profile; both end when it is dropped.
pub struct Browser {
    /// The client of the browser driver.
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Kill and reap chromedriver (Chromium goes with it), so that no zombie outlives the test.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Starts a browser, or returns `None` (after saying why) when this machine has no Chromium and the run does not
/// require one.
pub async fn browser() -> Option<Browser> {
    if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
        assert!(
            std::env::var_os("SAKSHY_REQUIRE_BROWSER").is_none(),
            "SAKSHY_REQUIRE_BROWSER is set but {CHROMIUM} or {CHROMEDRIVER} is missing: apt-get install chromium chromium-driver"
        );
        eprintln!(
            "skipping a browser test: {CHROMIUM} or {CHROMEDRIVER} is missing (apt-get install chromium chromium-driver)"
        );
        return None;
    }
    let port = StdListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on port {port} within 20 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let profile = tempfile::tempdir().unwrap();
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-gpu".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-quic".to_owned(),
        "--no-first-run".to_owned(),
        "--disable-background-networking".to_owned(),
        "--disable-component-update".to_owned(),
        "--disable-sync".to_owned(),
        "--window-size=1280,900".to_owned(),
        format!("--user-data-dir={}", profile.path().display()),
    ];
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
    });
    let Value::Object(capabilities) = capabilities else { unreachable!("an object literal") };
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session");
    Some(Browser { client, driver, _profile: profile })
}

/// The problems of accessibility the tests look for on every page they visit: form controls without a label
/// (a `<label for>`, a wrapping `<label>`, `aria-label` or `aria-labelledby`) and images without `alt`.
const ACCESSIBILITY_CHECK: &str = r#"
const problems = [];
for (const el of document.querySelectorAll('input, select, textarea')) {
  const type = (el.getAttribute('type') || '').toLowerCase();
  if (['hidden', 'submit', 'button', 'reset'].includes(type)) continue;
  if (type === 'image') { if (!el.getAttribute('alt')) problems.push('image input without alt: ' + el.outerHTML.slice(0, 120)); continue; }
  const labelled = (el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]'))
    || el.closest('label') || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
  if (!labelled) problems.push('control without a label: ' + el.outerHTML.slice(0, 120));
}
for (const img of document.querySelectorAll('img')) {
  if (!img.hasAttribute('alt')) problems.push('image without alt: ' + img.outerHTML.slice(0, 120));
}
for (const svg of document.querySelectorAll('svg[role="img"]')) {
  if (!svg.querySelector('title') && !svg.getAttribute('aria-label')) problems.push('svg image without a title');
}
if (!document.documentElement.getAttribute('lang')) problems.push('html without lang');
return problems;
"#;

impl Browser {
    /// Opens `url` and checks the page: it must pass [`ACCESSIBILITY_CHECK`].
    pub async fn visit(&self, url: &str) {
        self.client.goto(url).await.unwrap();
        self.check_page().await;
    }

    /// Checks the page now shown for unlabelled controls and images without alternative text.
    pub async fn check_page(&self) {
        let problems = self.client.execute(ACCESSIBILITY_CHECK, vec![]).await.unwrap();
        let url = self.client.current_url().await.unwrap();
        assert_eq!(problems, json!([]), "accessibility problems on {url}");
    }

    /// The text of the first element matching a CSS selector, waiting for it to appear (and reading it again if
    /// the page was replaced under it, as after a form was sent).
    pub async fn text(&self, css: &str) -> String {
        self.text_where(css, |_| true).await
    }

    /// The text of the first element matching a CSS selector once `ready` accepts it, waiting up to 10 s.
    pub async fn text_where(&self, css: &str, ready: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let seen = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.ok(),
                Err(_) => None,
            };
            match seen {
                Some(text) if ready(&text) => return text,
                seen => assert!(Instant::now() < deadline, "{css}: {seen:?} after 10 s"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Writes a PNG of the page to `target/screenshots/NAME.png` for people to review.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.unwrap();
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// `target/screenshots/` of the workspace.
fn screenshot_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots")
}

#[tokio::test]
async fn the_harness_sees_a_page_and_flags_an_unlabelled_control() {
    let Some(browser) = browser().await else { return };
    let app = crate::helpers::spawn_app().await;
    browser.visit(&format!("{}/", app.address)).await;
    // The check itself must be able to fail: a page with an unlabelled input and an image without alt.
    browser.client.goto("data:text/html,<html lang=en><input id=x><img src=a.png></html>").await.unwrap();
    let problems = browser.client.execute(ACCESSIBILITY_CHECK, vec![]).await.unwrap();
    let problems: Vec<String> = serde_json::from_value(problems).unwrap();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("control without a label") && problems[1].starts_with("image without alt"));
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn the_api_documentation_is_served_offline_in_each_language() {
    let Some(browser) = browser().await else { return };
    let app = crate::helpers::spawn_app().await;
    for (lang, title) in [("kk", "API құжаттамасы"), ("ru", "Документация API"), ("en", "API documentation")]
    {
        browser.visit(&format!("{}/api/docs?lang={lang}", app.address)).await;
        assert_eq!(browser.text("h1").await, title);
        assert_eq!(browser.text("#get-api-v1-locate h2").await, "GET /api/v1/locate");
        // Nothing on the page comes from elsewhere: every script, style sheet and image is this server's.
        let foreign = browser
            .client
            .execute(
                "return [...document.querySelectorAll('script[src], link[href], img[src]')]\
                 .map(e => e.src || e.href).filter(u => !u.startsWith(location.origin));",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(foreign, json!([]));
        browser.screenshot(&format!("api-docs-{lang}")).await;
    }
    browser.client.clone().close().await.unwrap();
}

/// Signs in through the login form as a person would: types the login and password, presses the button.
async fn sign_in(browser: &Browser, address: &str, login: &str, password: &str, lang: &str) {
    browser.visit(&format!("{address}/login?lang={lang}")).await;
    browser.client.find(Locator::Id("login")).await.unwrap().send_keys(login).await.unwrap();
    browser.client.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
    browser.client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
}

on_both_engines!(
    five_wrong_passwords_lock_an_account_even_against_the_right_one,
    the_lockout_holds_on_postgresql,
    lockout
);

/// Five wrong passwords typed into the login form, then the right one, refused.
async fn lockout(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    crate::login::account(app, "uip.browser", "district_inspector", "city", "right-password-1").await;
    for _ in 0..5 {
        sign_in(&browser, &app.address, "uip.browser", "wrong-password", "kk").await;
        browser.check_page().await;
    }
    sign_in(&browser, &app.address, "uip.browser", "right-password-1", "kk").await;
    let message = browser.text("main .error").await;
    assert!(message.starts_with("Құпиясөз тым көп рет қате енгізілді."), "{message}");
    assert!(browser.client.current_url().await.unwrap().path().starts_with("/login"), "still on the login page");
    browser.screenshot("login-locked-kk").await;
    browser.client.clone().close().await.unwrap();
}

/// The texts of every element matching a CSS selector.
async fn texts(browser: &Browser, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in browser.client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

on_both_engines!(
    an_agency_officer_sees_only_their_agencys_appeals_and_tasks,
    an_agency_officer_sees_only_their_agencys_appeals_on_postgresql,
    agency_officer_sees_own
);

/// An officer of social protection signs in and sees only the appeal that has a social-protection task.
async fn agency_officer_sees_own(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    let shared = crate::login::domestic(app).await;
    let body = json!({"category": "NOISE", "description": "Loud music at night every day",
        "location": {"lat": 42.29871, "lon": 69.61030}, "contact": {"name": "Aigul", "phone": "+7 701 000 00 00"},
        "consent": true});
    let (status, police_only) = app.post_appeal(&body, &[]).await;
    assert_eq!(status, 201, "{police_only}");
    crate::login::account(app, "soc.browser", "agency_officer", "agency:SOCIAL", crate::login::PASSWORD).await;
    sign_in(&browser, &app.address, "soc.browser", crate::login::PASSWORD, "ru").await;
    browser.text("table.queue").await;
    browser.check_page().await;
    assert_eq!(texts(&browser, "table.queue tbody td:first-child a").await, std::slice::from_ref(&shared));
    browser.screenshot("staff-queue-agency-ru").await;
    browser.client.find(Locator::LinkText(&shared)).await.unwrap().click().await.unwrap();
    assert!(browser.text("h1").await.contains(&shared));
    browser.check_page().await;
    let tasks = texts(&browser, "section[aria-labelledby=h-tasks] tbody tr").await;
    assert_eq!(tasks.len(), 1, "only the social-protection task: {tasks:?}");
    assert!(!tasks[0].contains("POL"), "{tasks:?}");
    browser.screenshot("staff-appeal-agency-ru").await;
    browser.client.clone().close().await.unwrap();
}

/// The pilot quadrant's shape on the map shown, found by its title.
const PILOT_ON_MAP: &str =
    "//*[local-name()='svg'][@id='map']//*[local-name()='path'][*[local-name()='title'][contains(., 'SHY-ALF-Q01')]]";

on_both_engines!(
    a_resident_finds_their_inspector_by_map_click_and_by_address_in_each_language,
    a_resident_finds_their_inspector_on_postgresql,
    find_inspector
);

/// In each language, a resident clicks the pilot quadrant on the city map, then searches a street by name.
async fn find_inspector(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    let pilot = [("kk", "Пилоттық"), ("ru", "Пилотный"), ("en", "Pilot")];
    for (lang, address) in [("kk", "вокзал алаңы"), ("ru", "ПРИВОКЗАЛЬНАЯ"), ("en", "station square")]
    {
        // By a click on the city map.
        browser.visit(&format!("{}/?lang={lang}", app.address)).await;
        browser.screenshot(&format!("portal-find-{lang}")).await;
        browser.client.find(Locator::XPath(PILOT_ON_MAP)).await.unwrap().click().await.unwrap();
        let url = browser.client.current_url().await.unwrap();
        assert_eq!(url.path(), "/q/SHY-ALF-Q01", "{url}");
        browser.check_page().await;
        let badge = pilot.iter().find(|(l, _)| *l == lang).unwrap().1;
        assert!(browser.text("main").await.contains(badge), "the pilot badge in {lang}");
        browser.screenshot(&format!("portal-quadrant-{lang}")).await;
        // By an address, typed in any case.
        browser.visit(&format!("{}/?lang={lang}", app.address)).await;
        browser.client.find(Locator::Id("q")).await.unwrap().send_keys(address).await.unwrap();
        browser.client.find(Locator::Css("form[role=search] button")).await.unwrap().click().await.unwrap();
        browser.text("#results-title").await;
        browser.check_page().await;
        browser.client.find(Locator::Css("ul.cards a[href^='/q/SHY-ALF-Q01']")).await.unwrap().click().await.unwrap();
        assert_eq!(browser.client.current_url().await.unwrap().path(), "/q/SHY-ALF-Q01");
    }
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_resident_files_with_a_photo_in_kazakh_an_inspector_answers_and_the_resident_rates() {
    let app = crate::helpers::spawn_app().await;
    file_answer_and_rate(&app, "sqlite").await;
}

#[tokio::test]
async fn the_same_flow_runs_on_postgresql() {
    let Some(app) = crate::helpers::spawn_app_on_postgres().await else { return };
    file_answer_and_rate(&app, "postgres").await;
    crate::helpers::drop_postgres(app).await;
}

/// The resident files in Kazakh with a photo, the district inspector accepts and answers, the resident rates the
/// answer; `engine` names the screenshots.
async fn file_answer_and_rate(app: &crate::helpers::TestApp, engine: &str) {
    let Some(resident) = browser().await else { return };
    // The resident files in Kazakh, placing the problem with a click on the map and attaching a photo.
    resident.visit(&format!("{}/appeal/new?lang=kk", app.address)).await;
    resident.screenshot(&format!("portal-appeal-form-kk-{engine}")).await;
    resident.client.find(Locator::Css("#category option[value=NOISE]")).await.unwrap().click().await.unwrap();
    let description = "Түнде көршілер қатты музыка қояды";
    resident.client.find(Locator::Id("description")).await.unwrap().send_keys(description).await.unwrap();
    resident.client.find(Locator::XPath(PILOT_ON_MAP)).await.unwrap().click().await.unwrap();
    let lat = resident.client.find(Locator::Id("lat")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(lat.starts_with("42."), "the map click filled the latitude: {lat:?}");
    resident.client.find(Locator::Id("name")).await.unwrap().send_keys("Айгүл").await.unwrap();
    resident.client.find(Locator::Id("phone")).await.unwrap().send_keys("+7 701 000 00 00").await.unwrap();
    resident.client.find(Locator::Id("consent")).await.unwrap().click().await.unwrap();
    resident.client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    resident.text("#duplicates-title").await;
    resident.check_page().await;
    let photo = tempfile::Builder::new().suffix(".png").tempfile().unwrap();
    image::RgbImage::from_pixel(40, 30, image::Rgb([200, 30, 30])).save(photo.path()).unwrap();
    resident
        .client
        .find(Locator::Id("photo"))
        .await
        .unwrap()
        .send_keys(&photo.path().display().to_string())
        .await
        .unwrap();
    resident.client.find(Locator::Css("button[name=step][value=submit]")).await.unwrap().click().await.unwrap();
    let receipt = resident.text("dd.receipt").await;
    assert!(receipt.starts_with("SHY-2026-"), "{receipt}");
    resident.check_page().await;
    resident.screenshot(&format!("portal-receipt-kk-{engine}")).await;
    let tracking =
        resident.client.find(Locator::Css("a[href^='/track/']")).await.unwrap().attr("href").await.unwrap().unwrap();
    let appeal_id = app.store.appeal_id_by_receipt(app.store.city().await.unwrap().unwrap().0, &receipt).await.unwrap();
    let city = app.store.city().await.unwrap().unwrap().0;
    assert_eq!(app.store.photo_count(city, appeal_id.unwrap()).await.unwrap(), 1, "the photo was stored");

    // The district inspector signs in, accepts and answers it.
    let Some(inspector) = browser().await else { return };
    crate::login::account(app, "uip.q01", "district_inspector", "quadrants:SHY-ALF-Q01", crate::login::PASSWORD).await;
    sign_in(&inspector, &app.address, "uip.q01", crate::login::PASSWORD, "kk").await;
    inspector.client.find(Locator::LinkText(&receipt)).await.unwrap().click().await.unwrap();
    inspector.text("h1").await;
    inspector.check_page().await;
    let registered = inspector.text("#appeal-state").await;
    inspector.client.find(Locator::Css("form.action-accept button[type=submit]")).await.unwrap().click().await.unwrap();
    let accepted = inspector.text_where("#appeal-state", |state| state != registered).await;
    let answer = "Учаскелік инспектор көршілермен сөйлесті, шу тоқтады.";
    inspector.client.find(Locator::Css("form.action-answer textarea")).await.unwrap().send_keys(answer).await.unwrap();
    inspector.screenshot(&format!("staff-appeal-kk-{engine}")).await;
    inspector.client.find(Locator::Css("form.action-answer button[type=submit]")).await.unwrap().click().await.unwrap();
    inspector.text_where("#appeal-state", |state| state != accepted).await;
    inspector.check_page().await;
    // The resident's photo, linked for the handler.
    let photo_href =
        inspector.client.find(Locator::Css("ul.photos a")).await.unwrap().attr("href").await.unwrap().unwrap();
    inspector.client.goto(&format!("{}{photo_href}", app.address)).await.unwrap();
    // Every view of the resident's personal data in this flow is in the audit log: the appeal page opened three
    // times (on arrival, after accepting, after answering) and the photo once.
    let audit = app.store.audit_events(city, 1_000).await.unwrap();
    let views = |action: &str| {
        audit.iter().filter(|e| e.actor == "uip.q01" && e.action == action && e.object.contains(&receipt)).count()
    };
    assert_eq!((views("view_contact"), views("view_photo")), (3, 1), "{audit:?}");

    // The resident sees the answer on the tracking page and rates it.
    resident.visit(&format!("{}{tracking}", app.address)).await;
    assert!(resident.text("main ol").await.contains(answer), "the answer is in the public history");
    resident.client.find(Locator::Css("#rating option[value='4']")).await.unwrap().click().await.unwrap();
    resident.client.find(Locator::Id("comment")).await.unwrap().send_keys("Рақмет!").await.unwrap();
    resident.client.find(Locator::Css("form[action*='/rate'] button")).await.unwrap().click().await.unwrap();
    resident.text("main .notice[role=status]").await;
    resident.check_page().await;
    resident.screenshot(&format!("portal-track-rated-kk-{engine}")).await;
    assert_eq!(app.store.feedback(city, appeal_id.unwrap()).await.unwrap(), Some((4, Some("Рақмет!".to_owned()))));
    resident.client.clone().close().await.unwrap();
    inspector.client.clone().close().await.unwrap();
}

on_both_engines!(
    a_duty_officer_files_for_a_walk_in_visitor_and_hands_over_a_receipt,
    a_duty_officer_files_for_a_walk_in_visitor_on_postgresql,
    walk_in
);

/// A duty officer files a walk-in visitor's appeal at the reception log and hands over the receipt.
async fn walk_in(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    crate::login::account(app, "duty.browser", "duty_officer", "quadrants:SHY-ALF-Q01", crate::login::PASSWORD).await;
    sign_in(&browser, &app.address, "duty.browser", crate::login::PASSWORD, "ru").await;
    browser.text("nav.staff-nav").await;
    browser.visit(&format!("{}/staff/reception?lang=ru", app.address)).await;
    browser.screenshot("staff-reception-ru").await;
    browser.client.find(Locator::Css("#category option[value=NOISE]")).await.unwrap().click().await.unwrap();
    let description = "Посетитель: соседи шумят по ночам";
    browser.client.find(Locator::Id("description")).await.unwrap().send_keys(description).await.unwrap();
    browser.client.find(Locator::Id("name")).await.unwrap().send_keys("Ерлан").await.unwrap();
    browser.client.find(Locator::Id("phone")).await.unwrap().send_keys("+7 702 111 22 33").await.unwrap();
    browser.client.find(Locator::Id("consent")).await.unwrap().click().await.unwrap();
    browser
        .client
        .find(Locator::Css("section[aria-labelledby=h-visit] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let receipt = browser.text("#receipt").await;
    assert!(receipt.starts_with("SHY-2026-"), "{receipt}");
    browser.check_page().await;
    browser.screenshot("staff-reception-filed-ru").await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let id = app.store.appeal_id_by_receipt(city, &receipt).await.unwrap().unwrap();
    let appeal = app.store.appeal(city, id).await.unwrap().unwrap();
    assert_eq!((appeal.channel.as_str(), appeal.description.as_str()), ("staff", description));
    assert!(appeal.police_point.is_some(), "the point where the visitor came is recorded");
    browser.client.clone().close().await.unwrap();
}

on_both_engines!(
    an_administrator_loads_a_territory_file_after_a_preview_of_what_changes,
    an_administrator_loads_a_territory_file_on_postgresql,
    territory_import
);

/// An administrator uploads a territories file in which one district is renamed, reads the preview (one change,
/// nothing stored yet), applies it, and the registry shows the new name.
async fn territory_import(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    let demo =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/demo/shymkent/territories.geojson"))
            .unwrap();
    let renamed = demo.replacen("\"name_en\":\"Enbekshi\"", "\"name_en\":\"Enbekshi district\"", 1);
    assert_ne!(renamed, demo, "the demo file names the district as the test expects");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("territories.geojson");
    std::fs::write(&file, renamed).unwrap();
    crate::login::account(app, "admin.browser", "administrator", "city", crate::login::PASSWORD).await;
    sign_in(&browser, &app.address, "admin.browser", crate::login::PASSWORD, "en").await;
    browser.text("nav.staff-nav").await;
    browser.visit(&format!("{}/staff/admin?lang=en", app.address)).await;
    browser.screenshot("staff-admin-en").await;
    browser.client.find(Locator::Css("#kind option[value=territories]")).await.unwrap().click().await.unwrap();
    browser.client.find(Locator::Id("file")).await.unwrap().send_keys(file.to_str().unwrap()).await.unwrap();
    browser.client.find(Locator::Css("form.admin-load button[type=submit]")).await.unwrap().click().await.unwrap();
    let changed = browser.text("#p-changed").await;
    assert_eq!(changed.trim(), "district SHY-ENB", "{changed}");
    assert_eq!(browser.text("#p-added").await.trim(), "");
    browser.check_page().await;
    browser.screenshot("staff-admin-preview-en").await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let name_now = || async {
        let territories = app.store.current_territories(city).await.unwrap();
        let district = territories.iter().find(|v| v.territory.code().as_str() == "SHY-ENB").unwrap();
        district.territory.name().get(sakshy_core::Lang::En).to_owned()
    };
    assert_eq!(name_now().await, "Enbekshi", "a preview stores nothing");
    browser.client.find(Locator::Css("main form button[type=submit]")).await.unwrap().click().await.unwrap();
    let done = browser.text("main").await;
    assert!(done.contains("0 added, 1 changed"), "{done}");
    assert_eq!(name_now().await, "Enbekshi district");
    browser.client.clone().close().await.unwrap();
}

on_both_engines!(
    an_analyst_reads_the_synthetic_hotspots_and_near_repeat_finding_in_each_language,
    an_analyst_reads_the_analytics_on_postgresql,
    analyst_pages
);

/// An analyst opens the analytics of the pilot's district in Kazakh, Russian and English: the synthetic label, the
/// near-repeat finding and the charts, each page checked for labels and alt text.
async fn analyst_pages(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    crate::analytics::seeded(app).await;
    crate::login::account(app, "analyst.browser", "analyst", "city", crate::login::PASSWORD).await;
    sign_in(&browser, &app.address, "analyst.browser", crate::login::PASSWORD, "kk").await;
    browser.text("nav.staff-nav").await;
    for (lang, label) in [("kk", "Синтетикалық"), ("ru", "Синтетические"), ("en", "Synthetic")]
    {
        let url =
            format!("{}/staff/analytics?area=district:SHY-ALF&from=2024-12-01&to=2026-12-01&lang={lang}", app.address);
        browser.visit(&url).await;
        assert!(browser.text("p.synthetic").await.starts_with(label), "{lang}");
        assert!(!browser.text("#finding").await.is_empty());
        browser.screenshot(&format!("staff-analytics-{lang}")).await;
    }
    browser.client.clone().close().await.unwrap();
}

on_both_engines!(
    a_resident_answers_the_open_survey_in_russian_and_an_analyst_sees_it_counted,
    a_resident_answers_the_open_survey_on_postgresql,
    survey_answered
);

/// A resident answers the demo's open wave in Russian by clicking through its pages (the quadrant from the list,
/// radios, checkboxes); an analyst then finds the answer counted on the wave's results, in English.
async fn survey_answered(app: &crate::helpers::TestApp) {
    let Some(resident) = browser().await else { return };
    crate::surveys::seed_surveys(app).await;
    resident.visit(&format!("{}/survey/open?lang=ru", app.address)).await;
    assert_eq!(resident.text("#survey-step").await, "Страница 1 из 3");
    click_css(&resident, "select[name='q.quadrant'] option[value='SHY-ALF-Q01']").await;
    for (item, value) in
        [("age_band", "30-44"), ("sex", "female"), ("trust_police", "4"), ("safe_night", "3"), ("victim", "yes")]
    {
        click_css(&resident, &format!("input[name='q.{item}'][value='{value}']")).await;
    }
    resident.screenshot("survey-form-ru").await;
    click_css(&resident, "#survey-next").await;
    resident.text_where("#survey-step", |s| s == "Страница 2 из 3").await;
    resident.check_page().await;
    // The victim is asked whether they reported it.
    for (item, value) in [("reported", "yes"), ("knows_inspector", "yes"), ("police_contact", "yes")] {
        click_css(&resident, &format!("input[name='q.{item}'][value='{value}']")).await;
    }
    click_css(&resident, "#survey-next").await;
    resident.text_where("#survey-step", |s| s == "Страница 3 из 3").await;
    resident.check_page().await;
    click_css(&resident, "input[name='q.contact_satisfaction'][value='5']").await;
    click_css(&resident, "input[name='q.problems'][value='lighting']").await;
    click_css(&resident, "input[name='q.problems'][value='stray_dogs']").await;
    let comment = "Темно во дворе, звоните 8 777 123 45 67";
    resident.client.find(Locator::Id("in-q.comment")).await.unwrap().send_keys(comment).await.unwrap();
    click_css(&resident, "#survey-next").await;
    assert_eq!(resident.text("#survey-thanks").await, "Спасибо: ваши ответы записаны.");
    resident.check_page().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let stored = app.store.responses(city, "open").await.unwrap();
    assert_eq!(stored.len(), 1);
    let answers: serde_json::Map<String, Value> = serde_json::from_str(&stored[0].answers).unwrap();
    assert_eq!(answers["reported"], "yes");
    assert_eq!(answers["contact_satisfaction"], "5");
    assert_eq!(answers["problems"], "lighting stray_dogs");
    assert_eq!(answers["comment"], "Темно во дворе, звоните [phone]");
    resident.client.clone().close().await.unwrap();

    // An analyst reads the wave's results.
    let Some(analyst) = browser().await else { return };
    crate::login::account(app, "analyst.survey", "analyst", "city", crate::login::PASSWORD).await;
    sign_in(&analyst, &app.address, "analyst.survey", crate::login::PASSWORD, "en").await;
    analyst.text("nav.staff-nav").await;
    analyst.visit(&format!("{}/staff/surveys?lang=en", app.address)).await;
    assert!(analyst.text("#wave-open td:nth-child(5)").await.starts_with('1'), "one response counted");
    analyst.client.find(Locator::Css("#wave-open a")).await.unwrap().click().await.unwrap();
    let facts = analyst.text("#facts").await;
    assert!(facts.contains(": 1 answer"), "{facts}");
    assert!(analyst.text("#comments").await.contains("[phone]"));
    analyst.check_page().await;
    analyst.screenshot("survey-results-en").await;
    analyst.client.clone().close().await.unwrap();
}

on_both_engines!(
    an_analyst_reads_the_pilot_evaluation_in_english,
    an_analyst_reads_the_pilot_evaluation_on_postgresql,
    evaluation_read
);

/// After the demo's incidents and surveys, an analyst opens the pilot's report in English: its findings, the
/// survey comparison and the limits.
async fn evaluation_read(app: &crate::helpers::TestApp) {
    let Some(browser) = browser().await else { return };
    crate::evaluation::seeded(app).await;
    crate::login::account(app, "analyst.eval", "analyst", "city", crate::login::PASSWORD).await;
    sign_in(&browser, &app.address, "analyst.eval", crate::login::PASSWORD, "en").await;
    browser.text("nav.staff-nav").await;
    browser.visit(&format!("{}/staff/evaluation?lang=en", app.address)).await;
    browser
        .client
        .find(Locator::Css("#designs a[href^='/staff/evaluation/koksay-pilot']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let offences = browser.text("#finding-offences").await;
    assert!(offences.starts_with("Offences per month: in the pilot, −"), "{offences}");
    let findings = texts(&browser, "#findings li").await;
    assert!(findings.len() >= 5, "{findings:?}");
    assert!(findings.iter().any(|f| f.starts_with("Survey: Trust in the police")), "{findings:?}");
    let survey = browser.text("#survey-did").await;
    assert!(survey.contains("Trust in the police: +"), "{survey}");
    assert_eq!(texts(&browser, "#limits li").await.len(), 5);
    assert!(browser.text("p.synthetic").await.starts_with("Synthetic data."));
    browser.check_page().await;
    browser.screenshot("evaluation-en").await;
    browser.client.clone().close().await.unwrap();
}

/// Clicks the first element matching a CSS selector.
async fn click_css(browser: &Browser, css: &str) {
    browser.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}
