//! Surveys over HTTP, on SQLite and on PostgreSQL: the public multi-page form of an open wave (skip logic decided
//! by the server, required answers in the reader's language, open text scrubbed, CSRF, the honeypot and the
//! per-address limit), invitation waves (one answer per link, only hashes stored), enumerators, the analysts'
//! pages (who may do what, CSRF, the audit log), instrument files (XLSForm and JSON, previewed then applied),
//! response imports from KoboToolbox/ODK, population margins, and the estimates of the demo's synthetic waves,
//! one of them checked against a mean computed here from the stored answers.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use reqwest::Method;
use sakshy_store::{Channel, NewWave, WaveAccess, WaveStatus};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::login::{Browser, PASSWORD, Page, account, audit_actions, hidden};

/// Today in the demo city's zone: the day the demo's data are generated for, and the first day of the waves the
/// tests open (the public form takes answers only between a wave's dates).
pub(crate) fn demo_today() -> NaiveDate {
    chrono::Utc::now().with_timezone(&chrono_tz::Asia::Almaty).date_naive()
}

/// A wave's opening and closing days as a form sends them: today and thirty days on.
fn wave_days() -> (String, String) {
    (demo_today().to_string(), (demo_today() + chrono::Duration::days(30)).to_string())
}

/// The demo's questionnaire, margins, synthetic waves `demo-before` and `demo-after`, the open wave `open` and
/// the evaluation `koksay-pilot`.
pub(crate) async fn seed_surveys(app: &TestApp) -> sakshy_web::Registry {
    let registry = sakshy_web::Registry::load(&app.store).await.unwrap().unwrap();
    let seeded = sakshy_web::demo_surveys::seed_surveys(&app.store, &registry, demo_today(), 7).await.unwrap();
    assert!(seeded.responses > 1_000, "two waves of 16 quadrants: {}", seeded.responses);
    registry
}

pub(crate) async fn city(app: &TestApp) -> sakshy_store::CityId {
    app.store.city().await.unwrap().unwrap().0
}

/// Saves the default questionnaire and an open wave of it with `access`, straight in the store.
async fn open_wave(app: &TestApp, code: &str, access: WaveAccess) {
    let city = city(app).await;
    let instrument = sakshy_core::survey::default_instrument();
    let saved =
        app.store.save_instrument(city, &instrument.code, &instrument.version, &instrument.to_json(), 1).await.unwrap();
    let wave = NewWave {
        code,
        instrument_id: saved.id,
        title: code,
        access,
        opens_on: demo_today(),
        closes_on: demo_today() + chrono::Duration::days(30),
        synthetic: false,
    };
    app.store.create_wave(city, &wave, 1).await.unwrap();
    app.store.set_wave_status(city, code, WaveStatus::Open).await.unwrap();
}

/// HTML text with askama's escapes undone.
pub(crate) fn unescape(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// An attribute of one tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let tag = format!(" {tag}");
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(unescape(tag[start..].split('"').next()?))
}

/// Every `<input type="hidden">` of a page, as a browser would send it.
fn hidden_fields(html: &str) -> Vec<(String, String)> {
    html.split("<input ")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .filter(|tag| attribute(tag, "type").as_deref() == Some("hidden"))
        .filter_map(|tag| Some((attribute(tag, "name")?, attribute(tag, "value").unwrap_or_default())))
        .collect()
}

/// Whether a page has a control (not a hidden field) named `name`.
fn has_control(html: &str, name: &str) -> bool {
    html.split("<input ")
        .skip(1)
        .map(|rest| rest.split('>').next().unwrap_or_default())
        .chain(html.split("<select ").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()))
        .chain(html.split("<textarea ").skip(1).map(|rest| rest.split('>').next().unwrap_or_default()))
        .any(|tag| {
            attribute(tag, "name").as_deref() == Some(name) && attribute(tag, "type").as_deref() != Some("hidden")
        })
}

/// Sends the survey form shown in `page` (its hidden fields, an empty honeypot) with `answers`, to "next".
async fn send_page(browser: &mut Browser<'_>, path: &str, page: &Page, answers: &[(&str, &str)]) -> Page {
    let mut form: Vec<(String, String)> = hidden_fields(&page.body);
    form.push(("website".into(), String::new()));
    form.extend(answers.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    form.push(("go".into(), "next".into()));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(path, &pairs).await
}

/// Every required and some optional answers of the default questionnaire, for the last page at once.
const FULL: &[(&str, &str)] = &[
    ("q.quadrant", "SHY-ALF-Q02"),
    ("q.age_band", "45-59"),
    ("q.sex", "male"),
    ("q.trust_police", "3"),
    ("q.victim", "no"),
    ("q.knows_inspector", "yes"),
    ("q.police_contact", "no"),
    ("q.problems", "none"),
];

/// Submits [`FULL`] as the last page (`page=2`) with the form's token; `extra` adds or overrides fields.
async fn submit_full(browser: &mut Browser<'_>, path: &str, form: &Page, extra: &[(&str, &str)]) -> Page {
    let replaced = |k: &str| k.starts_with("q.") || k == "page" || extra.iter().any(|(e, _)| *e == k);
    let mut fields: Vec<(String, String)> =
        hidden_fields(&form.body).into_iter().filter(|(k, _)| !replaced(k)).collect();
    fields.push(("page".into(), "2".into()));
    for (k, v) in FULL.iter().chain(extra) {
        fields.push(((*k).to_owned(), (*v).to_owned()));
    }
    fields.push(("go".into(), "next".into()));
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    browser.post(path, &pairs).await
}

async fn responses(app: &TestApp, wave: &str) -> Vec<sakshy_store::StoredResponse> {
    app.store.responses(city(app).await, wave).await.unwrap()
}

fn answers(response: &sakshy_store::StoredResponse) -> BTreeMap<String, String> {
    serde_json::from_str(&response.answers).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// The public form of an open wave.

on_both_engines!(
    a_resident_answers_an_open_wave_page_by_page_with_skip_logic_decided_by_the_server,
    a_resident_answers_an_open_wave_page_by_page_on_postgresql,
    public_flow
);

async fn public_flow(app: &TestApp) {
    // Arrange
    open_wave(app, "spring", WaveAccess::Open).await;
    let mut resident = Browser::new(app);

    // Act: the first page.
    let first = resident.get("/survey/spring?lang=en").await;

    // Assert: page 1 of 3, the form's cookie, the honeypot, and no question that depends on a later answer.
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(resident.cookies.contains_key("sakshy_form"), "the form's CSRF cookie is set");
    assert!(first.body.contains("Page 1 of 3"), "{}", first.body);
    assert!(has_control(&first.body, "q.quadrant") && has_control(&first.body, "q.victim"));
    assert!(has_control(&first.body, "website"), "the honeypot is there for robots");
    assert!(!first.body.contains("q.reported") && !first.body.contains("q.contact_satisfaction"));

    // Act and assert: page 1 sent empty comes back with its required questions marked, in each language.
    for (lang, message) in [("kk", "Жауап қажет."), ("ru", "Нужен ответ."), ("en", "An answer is required.")]
    {
        let refused = send_page(&mut resident, &format!("/survey/spring?lang={lang}"), &first, &[]).await;
        assert_eq!(refused.status, 422, "{lang}: {}", refused.body);
        let marked = refused.body.matches(message).count();
        assert_eq!(marked, 3, "{lang}: quadrant, age band and sex are required: {}", refused.body);
        assert!(refused.body.contains("id=\"survey-error\""), "{lang}");
    }

    // Act: a victim sees whether they reported it on page 2.
    let page1 = [
        ("q.quadrant", "SHY-ALF-Q01"),
        ("q.age_band", "30-44"),
        ("q.sex", "female"),
        ("q.trust_police", "4"),
        ("q.safe_night", "2"),
    ];
    let victim = send_page(
        &mut resident,
        "/survey/spring?lang=en",
        &first,
        &[page1.as_slice(), &[("q.victim", "yes")]].concat(),
    )
    .await;
    assert_eq!(victim.status, 200, "{}", victim.body);
    assert!(victim.body.contains("Page 2 of 3"));
    assert!(has_control(&victim.body, "q.reported"), "victim = yes: 'reported' is asked");

    // Act: not a victim, with an answer to 'reported' slipped in anyway.
    let with_stray = [page1.as_slice(), &[("q.victim", "no"), ("q.reported", "yes")]].concat();
    let second = send_page(&mut resident, "/survey/spring?lang=en", &first, &with_stray).await;

    // Assert: page 2 without 'reported', and the stray answer is not carried on.
    assert_eq!(second.status, 200, "{}", second.body);
    assert!(second.body.contains("Page 2 of 3"));
    assert!(!second.body.contains("q.reported"), "victim = no: 'reported' is neither asked nor carried");
    assert!(has_control(&second.body, "q.police_contact"));
    let carried: Vec<(String, String)> = hidden_fields(&second.body);
    assert!(carried.contains(&("q.quadrant".into(), "SHY-ALF-Q01".into())), "{carried:?}");
    assert!(carried.contains(&("q.victim".into(), "no".into())), "{carried:?}");

    // A police contact makes the satisfaction question appear on page 3.
    let contact = send_page(
        &mut resident,
        "/survey/spring?lang=en",
        &second,
        &[("q.police_contact", "yes"), ("q.knows_inspector", "no")],
    )
    .await;
    assert_eq!(contact.status, 200, "{}", contact.body);
    assert!(contact.body.contains("Page 3 of 3"));
    assert!(has_control(&contact.body, "q.contact_satisfaction"));

    // Act: no contact, with a satisfaction answer slipped in.
    let page2 = [("q.police_contact", "no"), ("q.knows_inspector", "yes"), ("q.contact_satisfaction", "5")];
    let third = send_page(&mut resident, "/survey/spring?lang=en", &second, &page2).await;
    assert_eq!(third.status, 200, "{}", third.body);
    assert!(third.body.contains("Page 3 of 3"));
    assert!(!third.body.contains("q.contact_satisfaction"), "no contact: satisfaction is not asked");
    assert!(has_control(&third.body, "q.comment") && third.body.contains("Send answers"));
    assert!(responses(app, "spring").await.is_empty(), "nothing is stored before the last page");

    // Act: the last page, with a comment that names a person and a phone number.
    let comment = "Участковый Ахметов ни разу не приходил, звоните мне по номеру +7 (701) 123-45-67.";
    let page3 = [("q.problems", "lighting"), ("q.problems", "stray_dogs"), ("q.comment", comment)];
    let done = send_page(&mut resident, "/survey/spring?lang=en", &third, &page3).await;

    // Assert: thanked, one response stored with its place and weighting cells, scrubbed, without stray answers.
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Thank you: your answers have been recorded."), "{}", done.body);
    let stored = responses(app, "spring").await;
    assert_eq!(stored.len(), 1);
    let response = &stored[0];
    assert_eq!(response.channel, Channel::Web);
    assert_eq!(response.quadrant.as_deref(), Some("SHY-ALF-Q01"));
    assert_eq!(response.district.as_deref(), Some("SHY-ALF"));
    assert_eq!((response.age_band.as_deref(), response.sex.as_deref()), (Some("30-44"), Some("female")));
    assert_eq!(response.enumerator, None);
    let answers = answers(response);
    assert_eq!(answers["trust_police"], "4");
    assert_eq!(answers["victim"], "no");
    assert_eq!(answers["police_contact"], "no");
    assert_eq!(answers["problems"], "lighting stray_dogs");
    assert!(!answers.contains_key("reported"), "an answer to an irrelevant question is not stored: {answers:?}");
    assert!(!answers.contains_key("contact_satisfaction"), "{answers:?}");
    let scrubbed = &answers["comment"];
    assert!(scrubbed.contains("[phone]") && scrubbed.contains("[name]"), "{scrubbed}");
    assert!(
        !scrubbed.contains("Ахметов") && !scrubbed.contains("123-45-67") && !scrubbed.contains("701"),
        "{scrubbed}"
    );
    assert!(!response.answers.contains("Ахметов") && !response.answers.contains("45-67"));
}

on_both_engines!(
    a_public_post_without_the_forms_cookie_is_refused_and_a_filled_honeypot_is_thanked_but_dropped,
    the_public_forms_csrf_and_honeypot_hold_on_postgresql,
    csrf_and_honeypot
);

async fn csrf_and_honeypot(app: &TestApp) {
    // Arrange
    open_wave(app, "spring", WaveAccess::Open).await;
    let mut resident = Browser::new(app);
    let form = resident.get("/survey/spring?lang=ru").await;
    assert_eq!(form.status, 200);

    // Act: the same form sent by a browser without the cookie, and with a forged token.
    let mut stranger = Browser::new(app);
    let no_cookie = submit_full(&mut stranger, "/survey/spring?lang=ru", &form, &[]).await;
    let forged = submit_full(&mut resident, "/survey/spring?lang=ru", &form, &[("csrf", &"0".repeat(64))]).await;

    // Assert
    assert_eq!(no_cookie.status, 403, "{}", no_cookie.body);
    assert!(no_cookie.body.contains("Срок действия формы истёк"), "{}", no_cookie.body);
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert!(responses(app, "spring").await.is_empty());

    // Act: a robot fills the hidden field.
    let robot =
        submit_full(&mut resident, "/survey/spring?lang=ru", &form, &[("website", "http://spam.example")]).await;

    // Assert: thanked like anyone, nothing stored.
    assert_eq!(robot.status, 200, "{}", robot.body);
    assert!(robot.body.contains("Спасибо: ваши ответы записаны."), "{}", robot.body);
    assert!(responses(app, "spring").await.is_empty(), "the honeypot's answers are dropped");

    // And the same form without the honeypot is stored.
    let person = submit_full(&mut resident, "/survey/spring?lang=ru", &form, &[]).await;
    assert_eq!(person.status, 200, "{}", person.body);
    assert_eq!(responses(app, "spring").await.len(), 1);
}

on_both_engines!(
    an_open_wave_takes_at_most_the_hourly_limit_from_one_address,
    the_hourly_limit_holds_on_postgresql,
    rate_limit
);

async fn rate_limit(app: &TestApp) {
    // Arrange: every request of the test comes from 127.0.0.1.
    open_wave(app, "spring", WaveAccess::Open).await;
    let limit = sakshy_web::survey_form::SUBMISSIONS_PER_HOUR;
    let mut resident = Browser::new(app);
    let form = resident.get("/survey/spring?lang=en").await;

    // Act: the limit's worth of answers, then one more.
    for i in 0..limit {
        let done = submit_full(&mut resident, "/survey/spring?lang=en", &form, &[]).await;
        assert_eq!(done.status, 200, "submission {i}: {}", done.body);
    }
    let over = submit_full(&mut resident, "/survey/spring?lang=en", &form, &[]).await;

    // Assert
    assert_eq!(over.status, 429, "{}", over.body);
    assert!(over.body.contains("Too many answers have been sent from this network"), "{}", over.body);
    assert_eq!(responses(app, "spring").await.len(), limit, "the refused one is not stored");
    // An hour later the address may answer again.
    app.state.clock.advance_ms(3_600_000);
    let later = submit_full(&mut resident, "/survey/spring?lang=en", &form, &[]).await;
    assert_eq!(later.status, 200, "{}", later.body);
    assert_eq!(responses(app, "spring").await.len(), limit + 1);
}

// ---------------------------------------------------------------------------------------------------------------
// The analysts' pages.

/// A signed-in staff member and the session's CSRF token, read from the surveys page.
pub(crate) async fn staff<'a>(app: &'a TestApp, login: &str, role: &str, scope: &str) -> (Browser<'a>, String) {
    account(app, login, role, scope, PASSWORD).await;
    let mut browser = Browser::new(app);
    assert_eq!(browser.login(login, PASSWORD).await.status, 303);
    let page = browser.get("/staff/surveys?lang=en").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = hidden(&page.body, "csrf");
    (browser, csrf)
}

/// A response read whole: status, headers and body.
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: reqwest::header::HeaderMap,
    pub(crate) body: String,
    /// The body as sent, escapes and all.
    pub(crate) html: String,
}

/// A `multipart/form-data` body of text fields and files `(field, file name, bytes)`.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----sakshy-survey-test-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").bytes(),
        );
    }
    for (name, file, bytes) in files {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A request with the browser's cookies and the given body, read whole.
async fn raw(
    app: &TestApp,
    browser: &Browser<'_>,
    method: Method,
    path: &str,
    body: Option<(String, Vec<u8>)>,
) -> Reply {
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut request = client.request(method, format!("{}{path}", app.address));
    let cookie: Vec<String> = browser.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if !cookie.is_empty() {
        request = request.header("Cookie", cookie.join("; "));
    }
    if let Some((content_type, bytes)) = body {
        request = request.header("Content-Type", content_type).body(bytes);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let html = response.text().await.unwrap();
    Reply { status, headers, body: unescape(&html), html }
}

/// POSTs fields and files as `multipart/form-data`.
async fn upload(
    app: &TestApp,
    browser: &Browser<'_>,
    path: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Reply {
    raw(app, browser, Method::POST, path, Some(multipart(fields, files))).await
}

/// POSTs fields as `application/x-www-form-urlencoded`, read whole.
async fn post_form(app: &TestApp, browser: &Browser<'_>, path: &str, fields: &[(&str, &str)]) -> Reply {
    let body: String = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    raw(app, browser, Method::POST, path, Some(("application/x-www-form-urlencoded".into(), body.into_bytes()))).await
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../sakshy-core/src/survey/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|err| panic!("{path}: {err}"))
}

fn default_json() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/surveys/service-model.json")).unwrap()
}

/// Loads the shipped questionnaire through the form (`default=1`) and returns its id.
async fn load_default(app: &TestApp, browser: &Browser<'_>, csrf: &str) -> i64 {
    let saved =
        post_form(app, browser, "/staff/surveys/instruments?lang=en", &[("csrf", csrf), ("default", "1")]).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let instruments = app.store.instruments(city(app).await).await.unwrap();
    instruments.iter().find(|i| i.code == "service-model").unwrap().id
}

on_both_engines!(
    an_analyst_loads_the_xlsform_fixture_after_a_preview_and_a_broken_file_is_refused_by_sheet_row_and_column,
    instrument_files_are_previewed_and_refused_by_place_on_postgresql,
    instrument_load
);

async fn instrument_load(app: &TestApp) {
    // Arrange
    let (analyst, csrf) = staff(app, "analyst", "analyst", "city").await;
    let city = city(app).await;

    // Act: preview the workbook.
    let preview = upload(
        app,
        &analyst,
        "/staff/surveys/instruments?lang=en",
        &[("csrf", &csrf), ("step", "preview")],
        &[("file", "service-model.xlsx", &fixture("service-model.xlsx"))],
    )
    .await;

    // Assert: the questions listed, nothing stored yet.
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("19 questions on 3 pages, 5 indices."), "{}", preview.body);
    assert!(preview.body.contains("Police service model: residents' survey — service-model 2026-1"));
    for name in ["quadrant", "trust_police", "reported", "contact_satisfaction", "comment"] {
        assert!(preview.body.contains(&format!("<code>{name}</code>")), "{name} is listed");
    }
    assert!(preview.body.contains("<code>${victim} = 'yes'</code>"), "relevance is shown");
    assert!(app.store.instruments(city).await.unwrap().is_empty(), "a preview stores nothing");

    // Act: apply what the preview carries.
    let carried = preview.html.split("name=\"instrument\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let instrument_json = &unescape(carried);
    let parsed = sakshy_core::survey::Instrument::from_json(instrument_json).unwrap();
    assert_eq!(parsed, sakshy_core::survey::default_instrument());
    let applied = post_form(
        app,
        &analyst,
        "/staff/surveys/instruments?lang=en",
        &[("csrf", &csrf), ("step", "apply"), ("instrument", instrument_json)],
    )
    .await;

    // Assert: stored as the default questionnaire.
    assert_eq!(applied.status, 303, "{}", applied.body);
    let stored = app.store.instruments(city).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].code.as_str(), stored[0].version.as_str()), ("service-model", "2026-1"));
    let definition = sakshy_core::survey::Instrument::from_json(&stored[0].definition).unwrap();
    assert_eq!(definition, sakshy_core::survey::default_instrument());

    // Act: a workbook with errors, in Russian.
    let broken = upload(
        app,
        &analyst,
        "/staff/surveys/instruments?lang=ru",
        &[("csrf", &csrf), ("step", "preview")],
        &[("file", "errors.xlsx", &fixture("errors.xlsx"))],
    )
    .await;

    // Assert: every problem by sheet, row and column, in Russian; nothing stored.
    assert_eq!(broken.status, 422, "{}", broken.body);
    assert!(broken.body.contains("В файле 5 ошибок; ничего не изменено."), "{}", broken.body);
    assert!(
        broken
            .body
            .contains("<td>лист survey, строка 3, столбец type</td><td>Тип вопроса «calculate» не поддерживается"),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("лист survey, строка 4, столбец relevant"), "{}", broken.body);
    assert!(!broken.body.contains("id=\"apply\""), "a broken file cannot be applied");

    // Act: a JSON file with an unknown question type, in Kazakh.
    let bad_json = default_json().replacen("\"type\": \"single\"", "\"type\": \"slider\"", 1);
    let refused = upload(
        app,
        &analyst,
        "/staff/surveys/instruments?lang=kk",
        &[("csrf", &csrf), ("step", "preview")],
        &[("file", "service-model.json", bad_json.as_bytes())],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("Файлда 1 қате бар; ештеңе өзгертілген жоқ."), "{}", refused.body);
    assert!(refused.body.contains("survey парағы, «type» бағаны, age_band сұрағы"), "{}", refused.body);
    assert!(refused.body.contains("«slider» сұрақ түріне қолдау жоқ"), "{}", refused.body);

    // Act: the same code and version with another title.
    let changed = default_json().replacen("residents' survey", "residents' survey (edited)", 1);
    assert_ne!(changed, default_json());
    let again = upload(
        app,
        &analyst,
        "/staff/surveys/instruments?lang=en",
        &[("csrf", &csrf), ("step", "apply")],
        &[("file", "service-model.json", changed.as_bytes())],
    )
    .await;

    // Assert: refused, the stored version unchanged.
    assert_eq!(again.status, 422, "{}", again.body);
    assert!(
        again.body.contains("Questionnaire service-model version 2026-1 is already saved with other content"),
        "{}",
        again.body
    );
    let still = app.store.instruments(city).await.unwrap();
    assert_eq!(still.len(), 1);
    assert_eq!(still[0].definition, stored[0].definition);
    let actions: Vec<String> = audit_actions(app).await.into_iter().map(|(_, what, _)| what).collect();
    assert_eq!(actions.iter().filter(|a| *a == "survey_instrument_saved").count(), 1, "{actions:?}");
}

on_both_engines!(
    an_invitation_wave_takes_one_answer_per_link_and_stores_only_hashes,
    an_invitation_wave_takes_one_answer_per_link_on_postgresql,
    invitations
);

async fn invitations(app: &TestApp) {
    // Arrange: an analyst loads the questionnaire, creates an invitation wave and opens it, all through the pages.
    let (analyst, csrf) = staff(app, "analyst", "analyst", "city").await;
    let instrument = load_default(app, &analyst, &csrf).await.to_string();
    let days = wave_days();
    let created = post_form(
        app,
        &analyst,
        "/staff/surveys/waves?lang=en",
        &[
            ("csrf", &csrf),
            ("code", "panel-1"),
            ("title", "Panel, first round"),
            ("instrument", &instrument),
            ("access", "invitation"),
            ("opens_on", days.0.as_str()),
            ("closes_on", days.1.as_str()),
        ],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let opened =
        post_form(app, &analyst, "/staff/surveys/panel-1/status?lang=en", &[("csrf", &csrf), ("status", "open")]).await;
    assert_eq!(opened.status, 303, "{}", opened.body);

    // Act: issue three invitations.
    let issued =
        post_form(app, &analyst, "/staff/surveys/panel-1/invitations?lang=en", &[("csrf", &csrf), ("count", "3")])
            .await;

    // Assert: a CSV of links, served once.
    assert_eq!(issued.status, 200, "{}", issued.body);
    assert!(issued.headers["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert_eq!(issued.headers["cache-control"], "private, no-store");
    let lines: Vec<&str> = issued.body.lines().collect();
    assert_eq!(lines[0], "number,link");
    assert_eq!(lines.len(), 4, "{}", issued.body);
    let tokens: Vec<String> = lines[1..]
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let (number, link) = line.split_once(',').unwrap();
            assert_eq!(number, (i + 1).to_string());
            assert!(link.contains("/survey/panel-1?t="), "{link}");
            link.split("?t=").nth(1).unwrap().to_owned()
        })
        .collect();
    assert_eq!(tokens.iter().collect::<std::collections::BTreeSet<_>>().len(), 3, "distinct tokens");

    // Act and assert: without a token, or with a wrong one, the form is refused.
    let mut resident = Browser::new(app);
    let without = resident.get("/survey/panel-1?lang=en").await;
    assert_eq!(without.status, 403);
    assert!(without.body.contains("This survey is by invitation: open the link you were given."), "{}", without.body);
    let wrong = resident.get("/survey/panel-1?lang=en&t=not-a-token").await;
    assert_eq!(wrong.status, 403);
    assert!(wrong.body.contains("This invitation link is not valid for this survey."));

    // Act: answer once with the first link.
    let path = format!("/survey/panel-1?lang=en&t={}", tokens[0]);
    let form = resident.get(&path).await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(hidden_fields(&form.body).contains(&("t".into(), tokens[0].clone())), "the token travels with the form");
    let done = submit_full(&mut resident, "/survey/panel-1?lang=en", &form, &[]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Thank you: your answers have been recorded."));
    assert_eq!(responses(app, "panel-1").await.len(), 1);

    // Act: the same link again, to read and to send.
    let reread = resident.get(&path).await;
    let resent = submit_full(&mut resident, "/survey/panel-1?lang=en", &form, &[]).await;

    // Assert: refused, nothing doubled.
    for refused in [&reread, &resent] {
        assert!([403, 409].contains(&refused.status), "{}", refused.status);
        assert!(refused.body.contains("This invitation has already been used to answer."), "{}", refused.body);
    }
    assert_eq!(responses(app, "panel-1").await.len(), 1);
    let wave = app.store.wave(city(app).await, "panel-1").await.unwrap().unwrap();
    assert_eq!((wave.invitations, wave.invitations_used), (3, 1));

    // Assert: only hashes are stored, and no response row names its token.
    let hashes = app.store.query_strings_for_tests("SELECT token_hash FROM survey_invitation").await.unwrap();
    assert_eq!(hashes.len(), 3);
    for hash in hashes.iter().flatten() {
        assert_eq!(hash.len(), 64, "{hash}");
        assert!(!tokens.contains(hash), "a plaintext token is stored");
    }
    let rows = app
        .store
        .query_strings_for_tests(
            "SELECT answers || '|' || COALESCE(source_id, '') || '|' || channel FROM survey_response",
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert!(tokens.iter().all(|t| !rows[0].as_deref().unwrap().contains(t.as_str())), "{rows:?}");
    // The link list is served once: a second request issues new links, it never repeats old ones.
    let more =
        post_form(app, &analyst, "/staff/surveys/panel-1/invitations?lang=en", &[("csrf", &csrf), ("count", "1")])
            .await;
    assert!(tokens.iter().all(|t| !more.body.contains(t.as_str())));
    // An open wave has no invitations.
    open_wave_for_analyst(app, &analyst, &csrf, &instrument).await;
    let refused =
        post_form(app, &analyst, "/staff/surveys/everyone/invitations?lang=en", &[("csrf", &csrf), ("count", "5")])
            .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("This wave is open to anyone: it has no invitations."), "{}", refused.body);
}

/// Creates and opens the wave `everyone` (open access) through the pages.
async fn open_wave_for_analyst(app: &TestApp, analyst: &Browser<'_>, csrf: &str, instrument: &str) {
    let days = wave_days();
    let created = post_form(
        app,
        analyst,
        "/staff/surveys/waves?lang=en",
        &[
            ("csrf", csrf),
            ("code", "everyone"),
            ("instrument", instrument),
            ("access", "open"),
            ("opens_on", days.0.as_str()),
            ("closes_on", days.1.as_str()),
        ],
    )
    .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let opened =
        post_form(app, analyst, "/staff/surveys/everyone/status?lang=en", &[("csrf", csrf), ("status", "open")]).await;
    assert_eq!(opened.status, 303, "{}", opened.body);
}

on_both_engines!(
    an_enumerator_enters_an_answer_that_is_stored_with_their_staff_id,
    an_enumerator_enters_an_answer_on_postgresql,
    enumerator
);

async fn enumerator(app: &TestApp) {
    // Arrange
    open_wave(app, "door-to-door", WaveAccess::Open).await;
    let (mut inspector, _) = staff(app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;

    // Act: the enumerator's form needs no invitation.
    let form = inspector.get("/staff/surveys/door-to-door/collect?lang=ru").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("Страница 1 из 3"));
    let forged =
        submit_full(&mut inspector, "/staff/surveys/door-to-door/collect?lang=ru", &form, &[("csrf", "x")]).await;
    let no_csrf =
        inspector.post("/staff/surveys/door-to-door/collect?lang=ru", &[FULL, &[("page", "2")]].concat()).await;
    let done = submit_full(&mut inspector, "/staff/surveys/door-to-door/collect?lang=ru", &form, &[]).await;

    // Assert: CSRF checked; stored as the enumerator's.
    assert_eq!(forged.status, 403, "{}", forged.body);
    assert_eq!(no_csrf.status, 403, "{}", no_csrf.body);
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Спасибо: ваши ответы записаны."));
    assert!(done.body.contains("id=\"survey-again\""), "the next respondent's link");
    let stored = responses(app, "door-to-door").await;
    assert_eq!(stored.len(), 1);
    let id = app.store.staff_user_id(city(app).await, "uip").await.unwrap().unwrap();
    assert_eq!(stored[0].channel, Channel::Enumerator);
    assert_eq!(stored[0].enumerator, Some(id));
    assert_eq!(stored[0].quadrant.as_deref(), Some("SHY-ALF-Q02"));
    // Anonymous visitors are sent to the login page.
    let mut anonymous = Browser::new(app);
    let redirected = anonymous.get("/staff/surveys/door-to-door/collect").await;
    assert_eq!(redirected.status, 303);
    assert!(redirected.location.starts_with("/login"), "{}", redirected.location);
}

#[tokio::test]
async fn an_enumerator_enters_an_answer_into_an_invitation_wave_without_a_token() {
    // Arrange: the store takes enumerators' entries without a token, and the form is shown to them without one.
    let app = crate::helpers::spawn_app().await;
    open_wave(&app, "panel", WaveAccess::Invitation).await;
    let (mut inspector, _) = staff(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let form = inspector.get("/staff/surveys/panel/collect?lang=en").await;
    assert_eq!(form.status, 200, "{}", form.body);

    // Act
    let done = submit_full(&mut inspector, "/staff/surveys/panel/collect?lang=en", &form, &[]).await;

    // Assert
    assert_eq!(done.status, 200, "{}", done.body);
    assert!(done.body.contains("Thank you: your answers have been recorded."), "{}", done.body);
    assert_eq!(responses(&app, "panel").await[0].channel, Channel::Enumerator);
}

on_both_engines!(
    only_analysts_supervisors_and_administrators_run_surveys_every_action_is_audited_and_anyone_on_staff_reads_results,
    survey_roles_and_audit_hold_on_postgresql,
    roles_and_audit
);

async fn roles_and_audit(app: &TestApp) {
    // Arrange: the demo's waves, an inspector and an analyst.
    seed_surveys(app).await;
    let city = city(app).await;
    let (mut inspector, inspector_csrf) = staff(app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let (analyst, csrf) = staff(app, "analyst", "analyst", "city").await;
    let instrument = app.store.instruments(city).await.unwrap()[0].id.to_string();
    let margins = "district,age_band,sex,population\nSHY-ALF,18-29,female,1000\nSHY-ALF,18-29,male,900\n";
    let kobo = "_uuid,quadrant,age_band,sex,trust_police\nr1,SHY-ALF-Q03,30-44,male,4\n";
    let days = wave_days();
    let wave = [
        ("code", "autumn"),
        ("instrument", instrument.as_str()),
        ("access", "invitation"),
        ("opens_on", days.0.as_str()),
        ("closes_on", days.1.as_str()),
    ];

    // Act and assert: the inspector reads, but every change is refused.
    let list = inspector.get("/staff/surveys?lang=en").await;
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("id=\"new-wave\""), "no form to create a wave for an inspector");
    let results = inspector.get("/staff/surveys/demo-after?lang=en").await;
    assert_eq!(results.status, 200, "every staff role reads results");
    assert_eq!(inspector.get("/staff/evaluation/koksay-pilot?lang=en").await.status, 200);
    let c = inspector_csrf.as_str();
    let attempts = [
        post_form(app, &inspector, "/staff/surveys/instruments?lang=en", &[("csrf", c), ("default", "1")]).await,
        post_form(app, &inspector, "/staff/surveys/waves?lang=en", &[[("csrf", c)].as_slice(), &wave].concat()).await,
        post_form(app, &inspector, "/staff/surveys/open/status?lang=en", &[("csrf", c), ("status", "closed")]).await,
        post_form(app, &inspector, "/staff/surveys/open/invitations?lang=en", &[("csrf", c), ("count", "2")]).await,
        upload(
            app,
            &inspector,
            "/staff/surveys/margins?lang=en",
            &[("csrf", c)],
            &[("file", "m.csv", margins.as_bytes())],
        )
        .await,
        upload(
            app,
            &inspector,
            "/staff/surveys/open/responses?lang=en",
            &[("csrf", c), ("step", "apply")],
            &[("file", "k.csv", kobo.as_bytes())],
        )
        .await,
        post_form(
            app,
            &inspector,
            "/staff/evaluation?lang=en",
            &[
                ("csrf", c),
                ("code", "x"),
                ("start", "2026-06-01"),
                ("buffer", "300"),
                ("role.SHY-ALF-Q01", "pilot"),
                ("role.SHY-ALF-Q02", "control"),
            ],
        )
        .await,
    ];
    for (i, attempt) in attempts.iter().enumerate() {
        assert_eq!(attempt.status, 403, "attempt {i}: {}", attempt.body);
    }
    assert_eq!(app.store.waves(city).await.unwrap().len(), 3, "nothing created");
    assert_eq!(app.store.wave(city, "open").await.unwrap().unwrap().status, WaveStatus::Open);

    // Act and assert: the analyst's POSTs without the session's token are refused too.
    let forged =
        post_form(app, &analyst, "/staff/surveys/waves?lang=en", &[[("csrf", "forged")].as_slice(), &wave].concat())
            .await;
    assert_eq!(forged.status, 403);
    let missing = post_form(app, &analyst, "/staff/surveys/open/status?lang=en", &[("status", "closed")]).await;
    assert_eq!(missing.status, 403);
    assert_eq!(app.store.waves(city).await.unwrap().len(), 3);

    // Act: the analyst does each thing once.
    let form = [("csrf", csrf.as_str())];
    let done = [
        post_form(
            app,
            &analyst,
            "/staff/surveys/instruments?lang=en",
            &[
                ("csrf", csrf.as_str()),
                ("step", "apply"),
                ("instrument", &default_json().replace("\"2026-1\"", "\"2026-2\"")),
            ],
        )
        .await,
        post_form(app, &analyst, "/staff/surveys/waves?lang=en", &[form.as_slice(), &wave].concat()).await,
        post_form(app, &analyst, "/staff/surveys/autumn/status?lang=en", &[("csrf", &csrf), ("status", "open")]).await,
        post_form(app, &analyst, "/staff/surveys/autumn/invitations?lang=en", &[("csrf", &csrf), ("count", "2")]).await,
        upload(
            app,
            &analyst,
            "/staff/surveys/open/responses?lang=en",
            &[("csrf", &csrf), ("step", "apply")],
            &[("file", "k.csv", kobo.as_bytes())],
        )
        .await,
        upload(app, &analyst, "/staff/surveys/margins?lang=en", &form, &[("file", "m.csv", margins.as_bytes())]).await,
        post_form(
            app,
            &analyst,
            "/staff/evaluation?lang=en",
            &[
                ("csrf", &csrf),
                ("code", "second"),
                ("start", "2026-06-01"),
                ("buffer", "300"),
                ("role.SHY-ALF-Q01", "pilot"),
                ("role.SHY-ALF-Q02", "control"),
            ],
        )
        .await,
    ];
    let expected_status = [303, 303, 303, 200, 200, 303, 303];
    for ((i, reply), status) in done.iter().enumerate().zip(expected_status) {
        assert_eq!(reply.status, status, "action {i}: {}", reply.body);
    }

    // Assert: each action is in the audit log, by the analyst, from the client's address; none by the inspector.
    let audit = audit_actions(app).await;
    for action in [
        "survey_instrument_saved",
        "survey_wave_created",
        "survey_wave_status",
        "survey_invitations_issued",
        "survey_responses_imported",
        "survey_margins_replaced",
        "evaluation_saved",
    ] {
        let found: Vec<_> = audit.iter().filter(|(_, what, _)| what == action).collect();
        assert_eq!(found.len(), 1, "{action}: {audit:?}");
        assert_eq!(found[0].0, "analyst");
        assert_eq!(found[0].2.as_deref(), Some("127.0.0.1"));
    }
    assert!(!audit.iter().any(|(who, what, _)| who == "uip" && what != "login"), "{audit:?}");
}

on_both_engines!(
    a_kobo_export_is_previewed_with_each_problem_by_line_and_column_then_imported_once,
    a_kobo_export_is_imported_once_on_postgresql,
    import_responses
);

/// A KoboToolbox-style export: `;`, groups in column names, labels instead of names, option columns; lines 4 and
/// 5 are bad.
const KOBO: &str = "_uuid;_submission_time;quadrant;age_band;sex;trust/trust_police;victim;reported;police_contact;\
problems/lighting;problems/stray_dogs;comment\n\
k1;2026-11-20T10:00:00;SHY-ALF-Q02;30-44;Женский;4;Иә;Yes;no;1;0;Звоните мне 8 777 123 45 67 вечером\n\
k2;2026-11-20T11:00:00;SHY-ALF-Q03;60 және одан жоғары;male;Полностью;no;;yes;0;1;\n\
k3;2026-11-20T12:00:00;SHY-ALF-Q03;other;female;3;no;;no;0;0;\n\
k4;2026-11-20T13:00:00;SHY-ALF-Q04;18-29;male;7;no;;no;0;0;\n\
k5;2026-11-21T09:00:00;SHY-ALF-Q04;45-59;female;2;no;;no;0;0;\n";

async fn import_responses(app: &TestApp) {
    // Arrange
    open_wave(app, "field", WaveAccess::Invitation).await;
    let (analyst, csrf) = staff(app, "analyst", "analyst", "city").await;

    // Act: preview the file.
    let preview = upload(
        app,
        &analyst,
        "/staff/surveys/field/responses?lang=en",
        &[("csrf", &csrf), ("step", "preview")],
        &[("file", "export.csv", KOBO.as_bytes())],
    )
    .await;

    // Assert: the counts and each problem with its line and column; nothing stored.
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(
        preview.body.contains("3 rows are ready to import; 2 rows have problems and will be left out."),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains("<td>line 4, column age_band</td><td>\"other\" is not one of the choices.</td>"),
        "{}",
        preview.body
    );
    assert!(
        preview.body.contains(
            "<td>line 5, column trust/trust_police</td><td>trust_police: \"7\" is not one of the choices.</td>"
        ),
        "{}",
        preview.body
    );
    assert!(responses(app, "field").await.is_empty(), "a preview stores nothing");
    let carried = preview.html.split("name=\"text\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    assert_eq!(unescape(carried), KOBO, "the preview carries the file");

    // Act: apply, then apply the same file again.
    let apply = [("csrf", csrf.as_str()), ("step", "apply"), ("text", KOBO)];
    let first = post_form(app, &analyst, "/staff/surveys/field/responses?lang=en", &apply).await;
    let second = post_form(app, &analyst, "/staff/surveys/field/responses?lang=en", &apply).await;

    // Assert
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("3 answers imported, 0 were already stored, 2 rows refused."), "{}", first.body);
    assert_eq!(second.status, 200, "{}", second.body);
    assert!(second.body.contains("0 answers imported, 3 were already stored, 2 rows refused."), "{}", second.body);
    let stored = responses(app, "field").await;
    assert_eq!(stored.len(), 3, "nothing doubled");
    assert!(stored.iter().all(|r| r.channel == Channel::Import && r.district.as_deref() == Some("SHY-ALF")));
    let by_quadrant: Vec<(&str, &str, &str)> = stored
        .iter()
        .map(|r| (r.quadrant.as_deref().unwrap(), r.age_band.as_deref().unwrap(), r.sex.as_deref().unwrap()))
        .collect();
    assert_eq!(
        by_quadrant,
        [("SHY-ALF-Q02", "30-44", "female"), ("SHY-ALF-Q03", "60+", "male"), ("SHY-ALF-Q04", "45-59", "female")]
    );
    let k1 = answers(&stored[0]);
    assert_eq!((k1["victim"].as_str(), k1["reported"].as_str()), ("yes", "yes"), "labels mapped to names");
    assert_eq!(k1["problems"], "lighting", "built from option columns");
    assert_eq!(k1["comment"], "Звоните мне [phone] вечером", "imported text is scrubbed too");
    assert_eq!(answers(&stored[1])["trust_police"], "5");
    let submitted = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap().and_hms_opt(10, 0, 0).unwrap().and_utc();
    assert_eq!(stored[0].submitted_at_ms, submitted.timestamp_millis(), "the export's submission time is kept");
}

#[tokio::test]
async fn an_imported_row_whose_quadrant_is_not_in_the_city_is_refused_by_line_and_column() {
    // Arrange
    let app = crate::helpers::spawn_app().await;
    open_wave(&app, "field", WaveAccess::Invitation).await;
    let (analyst, csrf) = staff(&app, "analyst", "analyst", "city").await;
    let file = "_uuid,quadrant,age_band,sex\nu1,SHY-ALF-Q02,30-44,male\nu2,SHY-NOPE-Q99,30-44,male\n";

    // Act
    let preview = upload(
        &app,
        &analyst,
        "/staff/surveys/field/responses?lang=en",
        &[("csrf", &csrf), ("step", "preview")],
        &[("file", "export.csv", file.as_bytes())],
    )
    .await;

    // Assert: the row that cannot be placed is reported where it is, like any other bad value.
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("line 3, column quadrant"), "{}", preview.body);
    assert!(!preview.body.contains("2 rows are ready to import"), "{}", preview.body);
    assert!(preview.body.contains("SHY-NOPE-Q99"), "{}", preview.body);
}

on_both_engines!(
    population_margins_are_replaced_by_a_good_file_and_a_bad_one_changes_nothing,
    population_margins_are_replaced_on_postgresql,
    margins
);

async fn margins(app: &TestApp) {
    // Arrange
    let (mut analyst, csrf) = staff(app, "analyst", "analyst", "city").await;
    let city = city(app).await;
    let good = "district;age_band;sex;population\nSHY-ALF;18-29;female;12 000\nSHY-ALF;18-29;male;11500\n\
                SHY-ABY;60+;female;3000,5\n";

    // Act
    let replaced = upload(
        app,
        &analyst,
        "/staff/surveys/margins?lang=en",
        &[("csrf", &csrf)],
        &[("file", "m.csv", good.as_bytes())],
    )
    .await;

    // Assert: stored, and listed by district on the page.
    assert_eq!(replaced.status, 303, "{}", replaced.body);
    let stored = app.store.population_margins(city).await.unwrap();
    let cells: Vec<(&str, &str, &str, f64)> =
        stored.iter().map(|m| (m.district.as_str(), m.age_band.as_str(), m.sex.as_str(), m.population)).collect();
    assert_eq!(
        cells,
        [
            ("SHY-ABY", "60+", "female", 3000.5),
            ("SHY-ALF", "18-29", "female", 12000.0),
            ("SHY-ALF", "18-29", "male", 11500.0)
        ]
    );
    let page = analyst.get("/staff/surveys?lang=en").await;
    let table = page.body.split("id=\"margins\"").nth(1).unwrap();
    assert!(table.contains("Al-Farabi") && table.contains("<td>23500</td>"), "{table}");

    // Act: a duplicate cell and a negative population, in Russian.
    let bad = "district,age_band,sex,population\nSHY-ALF,18-29,female,100\nSHY-ALF,18-29,female,200\n\
               SHY-ALF,30-44,male,-5\n";
    let refused = upload(
        app,
        &analyst,
        "/staff/surveys/margins?lang=ru",
        &[("csrf", &csrf)],
        &[("file", "m.csv", bad.as_bytes())],
    )
    .await;

    // Assert: each problem by line (and column), nothing changed.
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("В файле 2 ошибки; ничего не изменено."), "{}", refused.body);
    assert!(refused.body.contains("Этот район, возрастная группа и пол уже есть в строке 2."), "{}", refused.body);
    assert!(refused.body.contains("<td>строка 3"), "{}", refused.body);
    assert!(
        refused.body.contains("<td>строка 4, столбец population</td><td>«-5» — не положительное число.</td>"),
        "{}",
        refused.body
    );
    assert_eq!(app.store.population_margins(city).await.unwrap(), stored);

    // Act: a district the city does not have.
    let unknown = "district,age_band,sex,population\nSHY-ALF,18-29,female,100\nSHY-NOPE,18-29,male,200\n";
    let refused = upload(
        app,
        &analyst,
        "/staff/surveys/margins?lang=en",
        &[("csrf", &csrf)],
        &[("file", "m.csv", unknown.as_bytes())],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(
        refused.body.contains("<td>line 3, column district</td><td>The city has no district SHY-NOPE.</td>"),
        "{}",
        refused.body
    );
    assert_eq!(app.store.population_margins(city).await.unwrap(), stored, "nothing changed");
    let actions: Vec<String> = audit_actions(app).await.into_iter().map(|(_, what, _)| what).collect();
    assert_eq!(actions.iter().filter(|a| *a == "survey_margins_replaced").count(), 1);
}

#[tokio::test]
async fn a_margins_row_with_an_unknown_district_is_refused_naming_its_line_and_column() {
    let app = crate::helpers::spawn_app().await;
    let (analyst, csrf) = staff(&app, "analyst", "analyst", "city").await;
    let unknown = "district,age_band,sex,population\nSHY-ALF,18-29,female,100\nSHY-NOPE,18-29,male,200\n";
    let refused = upload(
        &app,
        &analyst,
        "/staff/surveys/margins?lang=en",
        &[("csrf", &csrf)],
        &[("file", "m.csv", unknown.as_bytes())],
    )
    .await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("line 3, column district"), "every problem names its line: {}", refused.body);
}

// ---------------------------------------------------------------------------------------------------------------
// Estimates of the demo's waves.

on_both_engines!(
    the_estimates_of_the_demo_wave_are_raked_with_intervals_a_small_quadrant_suppressed_and_the_pilot_rise_found,
    the_estimates_of_the_demo_wave_on_postgresql,
    estimates
);

async fn estimates(app: &TestApp) {
    // Arrange
    let registry = seed_surveys(app).await;
    let token = app.staff_token("analyst", "analyst", "city").await;
    let bearer = format!("Bearer {token}");
    let alf: Vec<String> = registry
        .level(sakshy_core::Level::Quadrant)
        .filter(|q| q.territory.parent().is_some_and(|d| d.as_str() == "SHY-ALF"))
        .map(|q| q.territory.code().to_string())
        .collect();
    let smallest = alf.last().unwrap().clone();

    // Act
    let (status, body) = app.get_with("/api/v1/surveys/demo-after/estimates", &[("Authorization", &bearer)]).await;

    // Assert: raked, synthetic, every index with a city interval around its mean.
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["wave"], "demo-after");
    assert_eq!(body["synthetic"], true);
    assert_eq!(body["weighting"]["method"], "raked", "{}", body["weighting"]);
    assert_eq!(body["min_n"], 30);
    let indices = body["indices"].as_array().unwrap();
    let codes: Vec<&str> = indices.iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["trust_police", "trust_agencies", "safety", "awareness", "satisfaction"]);
    for index in indices {
        let city = &index["city"];
        let (low, mean, high) =
            (city["ci_low"].as_f64().unwrap(), city["mean"].as_f64().unwrap(), city["ci_high"].as_f64().unwrap());
        assert!(low < mean && mean < high, "{}: {city}", index["code"]);
        assert!((0.0..=100.0).contains(&mean));
    }
    let trust = &indices[0];
    let quadrants = trust["quadrants"].as_array().unwrap();
    assert_eq!(quadrants.len(), alf.len(), "every surveyed quadrant");
    let suppressed: Vec<&Value> = quadrants.iter().filter(|q| q["suppressed"] == true).collect();
    assert_eq!(suppressed.len(), 1, "{quadrants:?}");
    assert_eq!(suppressed[0]["group"], smallest.as_str());
    assert_eq!(suppressed[0]["n"], 18);
    for field in ["mean", "se", "ci_low", "ci_high", "n_eff"] {
        assert!(suppressed[0].get(field).is_none(), "a suppressed estimate has no {field}: {}", suppressed[0]);
    }
    let change = &trust["change"];
    assert_eq!(change["from_wave"], "demo-before");
    let pilot = &change["by_area"]["SHY-ALF-Q01"];
    assert_eq!(pilot["excludes_zero"], true, "{pilot}");
    assert!(pilot["difference"].as_f64().unwrap() > 5.0, "{pilot}");
    assert!(pilot["ci_low"].as_f64().unwrap() > 0.0, "{pilot}");

    // Act: the CSV.
    let response = app
        .client
        .get(format!("{}/api/v1/surveys/demo-after/estimates.csv", app.address))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let csv = response.text().await.unwrap();

    // Assert: one row per index and area, suppressed numbers empty.
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("wave,index,level,area,n,suppressed,mean,se,ci_low,ci_high,n_eff,synthetic"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let expected_rows: usize = indices
        .iter()
        .map(|i| 1 + i["districts"].as_array().unwrap().len() + i["quadrants"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), expected_rows);
    let small = rows.iter().find(|r| r[1] == "trust_police" && r[3] == smallest).unwrap();
    assert_eq!(small[..6], ["demo-after", "trust_police", "quadrant", smallest.as_str(), "18", "true"]);
    assert_eq!(small[6..11], ["", "", "", "", ""], "no numbers for a suppressed estimate");
    assert_eq!(small[11], "true");
    let city_row = rows.iter().find(|r| r[1] == "trust_police" && r[2] == "city").unwrap();
    let city_mean: f64 = city_row[6].parse().unwrap();
    assert!((city_mean - trust["city"]["mean"].as_f64().unwrap()).abs() < 1e-6);

    // The same through the signed-in page's export, and the results page in Kazakh.
    account(app, "reader", "read_only", "city", PASSWORD).await;
    let mut reader = Browser::new(app);
    assert_eq!(reader.login("reader", PASSWORD).await.status, 303);
    let exported = reader.get("/staff/surveys/demo-after/estimates.json").await;
    assert_eq!(exported.status, 200);
    assert_eq!(serde_json::from_str::<Value>(&exported.body).unwrap(), body);
    let page = reader.get("/staff/surveys/demo-after?lang=kk").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg"), "the choropleth");
    assert!(page.body.contains("map-trust_police"), "a map per index");
    assert_eq!(page.body.matches("<svg").count(), 6, "a map per index and the trend");
    assert!(page.body.contains("Бұл жауаптар синтетикалық, демонстрация үшін жасалған."), "the synthetic notice");
    assert!(!page.body.contains("Ахметов"), "open answers are shown scrubbed");

    // Act: without margins the estimate is the plain mean of the stored answers; check one by hand.
    app.store.replace_population_margins(city(app).await, &[], 1).await.unwrap();
    let (status, plain) = app.get_with("/api/v1/surveys/demo-after/estimates", &[("Authorization", &bearer)]).await;
    assert_eq!(status, 200);
    assert_eq!(plain["weighting"]["method"], "unweighted");
    assert_eq!(plain["weighting"]["reason"], "no_margins");
    let stored = responses(app, "demo-after").await;
    let values = |quadrant: Option<&str>| -> Vec<f64> {
        stored
            .iter()
            .filter(|r| quadrant.is_none() || r.quadrant.as_deref() == quadrant)
            .filter_map(|r| answers(r).get("trust_police").map(|v| 25.0 * (v.parse::<f64>().unwrap() - 1.0)))
            .collect()
    };
    let trust = &plain["indices"][0];
    for (area, estimate) in [
        ("SHY-ALF-Q01", trust["quadrants"].as_array().unwrap().iter().find(|q| q["group"] == "SHY-ALF-Q01").unwrap()),
        ("SHY-ALF-Q02", trust["quadrants"].as_array().unwrap().iter().find(|q| q["group"] == "SHY-ALF-Q02").unwrap()),
        ("city", &trust["city"]),
    ] {
        let values = values((area != "city").then_some(area));
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        assert_eq!(estimate["n"], values.len(), "{area}");
        assert!((estimate["mean"].as_f64().unwrap() - mean).abs() < 1e-9, "{area}: {} vs {mean}", estimate["mean"]);
    }
    assert_ne!(plain["indices"][0]["city"]["mean"], body["indices"][0]["city"]["mean"], "raking moved the estimate");
}

#[tokio::test]
async fn the_estimates_need_a_token_and_name_an_unknown_wave() {
    let app = crate::helpers::spawn_app().await;
    seed_surveys(&app).await;
    assert_eq!(app.get("/api/v1/surveys/demo-after/estimates").await.0, 401);
    let token = app.staff_token("viewer", "read_only", "city").await;
    let (status, body) =
        app.get_with("/api/v1/surveys/nowhere/estimates", &[("Authorization", &format!("Bearer {token}"))]).await;
    assert_eq!(status, 404, "{body}");
    let mut browser = Browser::new(&app);
    let closed = browser.get("/survey/demo-before?lang=en").await;
    assert_eq!(closed.status, 410, "a closed wave takes no answers");
    assert!(closed.body.contains("This survey is not open for answers."));
    assert_eq!(browser.get("/survey/nowhere?lang=en").await.status, 404);
}

#[tokio::test]
async fn the_public_form_takes_answers_only_between_the_waves_dates() {
    // Arrange: an open wave that closed yesterday, and one that opens tomorrow.
    let app = crate::helpers::spawn_app().await;
    let city = city(&app).await;
    let instrument = sakshy_core::survey::default_instrument();
    let saved =
        app.store.save_instrument(city, &instrument.code, &instrument.version, &instrument.to_json(), 1).await.unwrap();
    let today = demo_today();
    for (code, opens_on, closes_on) in [
        ("past", today - chrono::Duration::days(30), today - chrono::Duration::days(1)),
        ("future", today + chrono::Duration::days(1), today + chrono::Duration::days(30)),
    ] {
        let wave = NewWave {
            code,
            instrument_id: saved.id,
            title: code,
            access: WaveAccess::Open,
            opens_on,
            closes_on,
            synthetic: false,
        };
        app.store.create_wave(city, &wave, 1).await.unwrap();
        app.store.set_wave_status(city, code, WaveStatus::Open).await.unwrap();
    }

    // Act and assert: the public is told when the wave takes answers, in its language.
    let (status, page) = app.get_text("/survey/past?lang=en").await;
    assert_eq!(status, 410, "{page}");
    let closed = (today - chrono::Duration::days(1)).format("%-d").to_string();
    assert!(page.contains("This survey takes answers from") && page.contains(&closed), "{page}");
    let (status, page) = app.get_text("/survey/future?lang=ru").await;
    assert_eq!(status, 410, "{page}");
    assert!(page.contains("Этот опрос принимает ответы с"), "{page}");
    // An enumerator still enters late field data.
    account(&app, "uip", "district_inspector", "quadrants:SHY-ALF-Q01", PASSWORD).await;
    let mut inspector = Browser::new(&app);
    inspector.login("uip", PASSWORD).await;
    assert_eq!(inspector.get("/staff/surveys/past/collect?lang=en").await.status, 200);
}
