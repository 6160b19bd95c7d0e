//! The resident portal as a browser without JavaScript sees it: pages in kk, ru and en, address search, a map
//! click, filing an appeal through the form (CSRF, consent, a photo), the receipt, tracking and rating. Every
//! page is checked for labels and alt text and for its weight.

use crate::helpers::{TestApp, spawn_app};

/// A fetched page: status, final URL (after redirects), body.
struct Page {
    status: u16,
    url: String,
    html: String,
    set_cookies: Vec<String>,
}

async fn fetch(app: &TestApp, path: &str, cookie: Option<&str>) -> Page {
    let mut request = app.client.get(format!("{}{path}", app.address));
    if let Some(cookie) = cookie {
        request = request.header("Cookie", cookie);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let set_cookies =
        response.headers().get_all("set-cookie").iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect();
    let html = response.text().await.expect("body");
    check_page(&html, path);
    Page { status, url, html, set_cookies }
}

/// The value of attribute `name` in one tag's text.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    tag[start..].find('"').map(|end| &tag[start..start + end])
}

/// The opening tags `<name …>` of a page.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    html.match_indices(&open)
        .filter(|(at, _)| html[at + open.len()..].starts_with([' ', '>', '/']))
        .map(|(at, _)| &html[at..at + html[at..].find('>').unwrap_or(0) + 1])
        .collect()
}

/// Every image has alt text, every form control a label, and the page weighs under 200 KB.
fn check_page(html: &str, path: &str) {
    assert!(html.len() < 200 * 1024, "{path} weighs {} bytes", html.len());
    for img in tags(html, "img") {
        assert!(attribute(img, "alt").is_some(), "{path}: <img> without alt: {img}");
    }
    let mut controls = tags(html, "input");
    controls.extend(tags(html, "select"));
    controls.extend(tags(html, "textarea"));
    for control in controls {
        let kind = attribute(control, "type").unwrap_or("text");
        if matches!(kind, "hidden" | "submit" | "button") {
            continue;
        }
        if kind == "image" {
            assert!(attribute(control, "alt").is_some(), "{path}: image input without alt");
            continue;
        }
        let id = attribute(control, "id").unwrap_or_else(|| panic!("{path}: control without id: {control}"));
        assert!(html.contains(&format!("<label for=\"{id}\"")), "{path}: no label for #{id}");
    }
}

#[tokio::test]
async fn the_start_page_speaks_each_language_and_sets_the_cookie_from_the_switcher() {
    let app = spawn_app().await;
    let kk = fetch(&app, "/", None).await;
    assert_eq!(kk.status, 200);
    assert!(kk.html.contains("<html lang=\"kk\">"));
    assert!(kk.html.contains("<h1>Менің учаскелік инспекторым</h1>"), "{}", kk.html);
    assert!(kk.html.contains("Көше немесе шағын аудан"));
    assert!(kk.html.contains("Қазақша") && kk.html.contains("href=\"/?lang=ru\""));
    let ru = fetch(&app, "/?lang=ru", None).await;
    assert!(ru.html.contains("<html lang=\"ru\">") && ru.html.contains("<h1>Мой участковый инспектор</h1>"));
    assert!(
        ru.set_cookies.iter().any(|c| c.starts_with("sakshy_lang=ru;")),
        "the switcher keeps the choice: {:?}",
        ru.set_cookies
    );
    let en = fetch(&app, "/", Some("sakshy_lang=en")).await;
    assert!(en.html.contains("<html lang=\"en\">") && en.html.contains("<h1>My district inspector</h1>"));
    assert!(en.set_cookies.is_empty(), "no cookie without ?lang=");
    // The map: every quadrant a link with a title; a legend and a scale bar; nothing fetched from elsewhere.
    assert!(kk.html.contains("<a href=\"/q/SHY-ALF-Q01?lang=kk\"><path"));
    assert!(kk.html.contains("Шартты белгілер") && kk.html.contains(" м</text>"));
    assert!(!kk.html.contains("http://") || !kk.html.replace("http://www.w3.org/2000/svg", "").contains("http://"));
    assert!(!kk.html.contains("https://"));
    // The style sheet is served from the binary with a long cache.
    let href = kk.html.split("<link rel=\"stylesheet\" href=\"").nth(1).unwrap().split('"').next().unwrap();
    assert!(href.starts_with("/static/sakshy.css?v="));
    let css = app.client.get(format!("{}{href}", app.address)).send().await.unwrap();
    assert_eq!(css.status(), 200);
    assert!(css.headers()["cache-control"].to_str().unwrap().contains("max-age=31536000"));
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
}

#[tokio::test]
async fn the_address_search_finds_streets_in_russian_and_kazakh_whatever_the_case() {
    let app = spawn_app().await;
    for (query, lang, expected) in [
        ("%D0%91%D0%90%D0%99%D0%A2%D0%A3%D0%A0%D0%A1%D0%AB%D0%9D%D0%9E%D0%92%D0%90", "ru", "улица Ахмета Байтурсынова"), // БАЙТУРСЫНОВА
        ("%D0%B1%D0%B0%D0%B9%D1%82%D2%B1%D1%80%D1%81%D1%8B%D0%BD%D2%B1%D0%BB%D1%8B", "kk", "Ахмет Байтұрсынұлы көшесі"), // байтұрсынұлы
        ("%D0%91%D0%90%D0%99%D0%A2%D2%B0%D0%A0%D0%A1%D0%AB%D0%9D%D2%B0%D0%9B%D0%AB", "kk", "Ахмет Байтұрсынұлы көшесі"), // БАЙТҰРСЫНҰЛЫ
        ("%D2%9B%D0%B0%D0%B7%D1%8B%D0%B1%D0%B5%D0%BA", "en", "Kazybek Bi Street"), // қазыбек
    ] {
        let page = fetch(&app, &format!("/find?q={query}&lang={lang}"), None).await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains(expected), "{query} in {lang}: {}", page.html);
    }
    let ru = fetch(&app, "/find?q=%D0%BA%D0%B0%D0%B7%D1%8B%D0%B1%D0%B5%D0%BA&lang=ru", None).await;
    assert!(ru.html.contains("href=\"/q/SHY-ALF-Q04?lang=ru\""), "the result links its quadrant");
    let none = fetch(&app, "/find?q=zzzz&lang=en", None).await;
    assert!(none.html.contains("Nothing found for &#34;zzzz&#34;") || none.html.contains("Nothing found for"));
}

#[tokio::test]
async fn a_map_click_finds_the_pilot_quadrant_and_its_page_shows_the_inspector() {
    let app = spawn_app().await;
    let page = fetch(&app, "/find?lat=42.29871&lon=69.61030&lang=kk", None).await;
    assert_eq!(page.status, 200);
    assert!(page.url.contains("/q/SHY-ALF-Q01"), "redirected to the quadrant: {}", page.url);
    assert!(page.html.contains("Пилоттық квадрант"));
    assert!(page.html.contains("Учаскелік полиция инспекторы"));
    assert!(page.html.contains("Қабылдау уақыты"));
    assert!(page.html.contains("Шешілген өтініштер"));
    assert!(page.html.contains("<title id=\"map-title\">"));
    let ru = fetch(&app, "/q/SHY-ALF-Q01?lang=ru", None).await;
    assert!(ru.html.contains("Пилотный квадрант") && ru.html.contains("Часы приёма") && ru.html.contains("Пн"));
    let en = fetch(&app, "/q/SHY-ALF-Q01?lang=en", None).await;
    assert!(en.html.contains("Pilot quadrant") && en.html.contains("Reception hours"));
    assert!(en.html.contains("Open now") || en.html.contains("Closed now"));
    let missing = fetch(&app, "/q/NOPE?lang=en", None).await;
    assert_eq!(missing.status, 404);
    assert!(missing.html.contains("There is no quadrant with the code"));
    let outside = fetch(&app, "/find?lat=43.5&lon=69.6&lang=en", None).await;
    assert_eq!(outside.status, 422);
    assert!(outside.html.contains("outside every quadrant"));
    let bad = fetch(&app, "/find?lat=north&lon=69.6&lang=ru", None).await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("Введите широту и долготу числами"));
}

/// A form session: the cookie and token a browser gets from a page with a form.
struct FormSession {
    cookie: String,
    csrf: String,
}

/// Opens a page with a form and keeps its CSRF cookie and token.
async fn open_form(app: &TestApp, path: &str) -> (Page, FormSession) {
    let page = fetch(app, path, None).await;
    let cookie = page
        .set_cookies
        .iter()
        .find(|c| c.starts_with("sakshy_form="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("the form page sets its CSRF cookie");
    let csrf = hidden(&page.html, "csrf").expect("the form carries its token");
    (page, FormSession { cookie, csrf })
}

/// The value of a hidden field.
fn hidden(html: &str, name: &str) -> Option<String> {
    tags(html, "input")
        .into_iter()
        .find(|tag| attribute(tag, "name") == Some(name) && attribute(tag, "type") == Some("hidden"))
        .and_then(|tag| attribute(tag, "value"))
        .map(str::to_owned)
}

/// POSTs form fields (urlencoded, or multipart with photos) with the session's cookie.
async fn post_form(
    app: &TestApp,
    path: &str,
    session: &FormSession,
    fields: &[(&str, &str)],
    photos: &[Vec<u8>],
) -> Page {
    let mut request = app.client.post(format!("{}{path}", app.address)).header("Cookie", &session.cookie);
    if photos.is_empty() {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        request = request.header("Content-Type", "application/x-www-form-urlencoded").body(body);
    } else {
        let boundary = "portal-test-boundary";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        for photo in photos {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"p.png\"\r\nContent-Type: image/png\r\n\r\n")
                    .as_bytes(),
            );
            body.extend_from_slice(photo);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        request = request.header("Content-Type", format!("multipart/form-data; boundary={boundary}")).body(body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let url = response.url().to_string();
    let html = response.text().await.expect("body");
    check_page(&html, path);
    Page { status, url, html, set_cookies: Vec::new() }
}

/// How many appeals the city holds.
async fn appeal_count(app: &TestApp) -> i64 {
    let city = app.store.city().await.unwrap().unwrap().0;
    let counts = app.store.count_appeals_by_state(city, &sakshy_store::AppealFilter::default()).await.unwrap();
    counts.iter().map(|(_, n)| n).sum()
}

/// A small PNG, made here.
fn png() -> Vec<u8> {
    let image = image::RgbImage::from_fn(32, 24, |x, y| image::Rgb([(x * 7) as u8, (y * 9) as u8, 120]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(image).write_to(&mut bytes, image::ImageFormat::Png).unwrap();
    bytes.into_inner()
}

/// The fields of a good appeal at the railway station, with contact details carrying markers.
fn station_appeal<'a>(csrf: &'a str, step: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("step", step),
        ("category", "NOISE"),
        ("description", "Түнде қатты музыка DESCRIPTION-MARKER"),
        ("lat", "42.29871"),
        ("lon", "69.61030"),
        ("name", "Айгүл NAME-MARKER"),
        ("phone", "+7 701 555 44 33"),
        ("email", "marker.email@example.kz"),
        ("consent", "yes"),
    ]
}

#[tokio::test]
async fn the_appeal_form_speaks_each_language_with_the_emergency_numbers_first() {
    let app = spawn_app().await;
    for (lang, title, emergency, consent) in [
        ("kk", "<h1>Өтініш беру</h1>", "Шұғыл жағдай ма? Бірден қоңырау шалыңыз", "Дербес деректерімді"),
        ("ru", "<h1>Подать обращение</h1>", "Экстренный случай? Звоните сразу", "персональных данных"),
        ("en", "<h1>File an appeal</h1>", "An emergency? Call at once", "I consent to the processing"),
    ] {
        let page = fetch(&app, &format!("/appeal/new?lang={lang}"), None).await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains(title) && page.html.contains(emergency) && page.html.contains(consent), "{lang}");
        let emergency_at = page.html.find(emergency).unwrap();
        let select_at = page.html.find("<select id=\"category\"").unwrap();
        assert!(emergency_at < select_at, "{lang}: emergencies come before the form");
        assert!(page.html.contains("102"), "{lang}: the numbers to call");
        assert!(!page.html.contains("value=\"CRIME_NOW\""), "{lang}: no form for an emergency category");
    }
}

#[tokio::test]
async fn filing_through_the_form_with_a_photo_reaches_the_receipt_and_tracking_hides_personal_data() {
    let app = spawn_app().await;
    let (_, session) = open_form(&app, "/appeal/new?lang=kk").await;
    // The review step: a confirmation with the photo field, nothing stored yet.
    let review = post_form(&app, "/appeal/new?lang=kk", &session, &station_appeal(&session.csrf, "review"), &[]).await;
    assert_eq!(review.status, 200, "{}", review.html);
    assert!(review.html.contains("Тексеріп, жіберіңіз"), "{}", review.html);
    assert!(review.html.contains("type=\"file\""));
    assert_eq!(appeal_count(&app).await, 0, "the review stores nothing");
    let form_id = hidden(&review.html, "form_id").unwrap();
    let mut fields = station_appeal(&session.csrf, "submit");
    fields.push(("form_id", &form_id));
    let receipt = post_form(&app, "/appeal/new?lang=kk", &session, &fields, &[png()]).await;
    assert_eq!(receipt.status, 200, "{}", receipt.html);
    assert!(receipt.url.contains("/receipt/"), "redirected to the receipt: {}", receipt.url);
    assert!(receipt.html.contains("Өтініш қабылданды") && receipt.html.contains("Тіркеу нөмірі"));
    assert!(receipt.html.contains("Жауап мерзімі"));
    assert_eq!(appeal_count(&app).await, 1);
    let city = app.store.city().await.unwrap().unwrap().0;
    let number = receipt.html.split("<dd class=\"receipt\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let id = app.store.appeal_id_by_receipt(city, &number).await.unwrap().expect("stored under its receipt");
    assert_eq!(app.store.photo_count(city, id).await.unwrap(), 1, "the photo went through the photo pipeline");
    // A second click on the same confirmation files nothing new.
    let again = post_form(&app, "/appeal/new?lang=kk", &session, &fields, &[png()]).await;
    assert!(again.url.contains("/receipt/"));
    assert_eq!(appeal_count(&app).await, 1, "the form's idempotency key holds");
    // Tracking, in each language: state and history, never the contact details or the resident's text.
    let token = receipt.url.split("/receipt/").nth(1).unwrap().split('?').next().unwrap().to_owned();
    for (lang, state) in [("kk", "Тіркелді"), ("ru", "Зарегистрировано"), ("en", "Registered")]
    {
        let page = fetch(&app, &format!("/track/{token}?lang={lang}"), None).await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains(&number) && page.html.contains(state), "{lang}: {}", page.html);
        for marker in ["DESCRIPTION-MARKER", "NAME-MARKER", "marker.email", "555 44 33", "555"] {
            assert!(!page.html.contains(marker), "{lang}: {marker} leaked");
        }
    }
    // The form to type a code accepts the whole link.
    let typed = fetch(&app, &format!("/track?token=http%3A%2F%2Fx%2Ftrack%2F{token}&lang=en"), None).await;
    assert!(typed.url.contains(&format!("/track/{token}")));
    let unknown = fetch(&app, "/track/nope?lang=en", None).await;
    assert_eq!(unknown.status, 404);
}

#[tokio::test]
async fn a_bad_form_is_shown_again_with_the_message_next_to_the_field_and_nothing_stored() {
    let app = spawn_app().await;
    let (_, session) = open_form(&app, "/appeal/new?lang=ru").await;
    let mut fields = station_appeal(&session.csrf, "submit");
    fields.retain(|(name, _)| *name != "consent");
    let page = post_form(&app, "/appeal/new?lang=ru", &session, &fields, &[]).await;
    assert_eq!(page.status, 422);
    let error = "<p class=\"error\" id=\"consent-error\">";
    let at = page.html.find(error).expect("the consent message is shown");
    let near: String = page.html[at..].chars().take(400).collect();
    assert!(near.contains("персональных данных"), "{near}");
    assert!(near.contains("id=\"consent\""), "next to the checkbox: {near}");
    assert!(page.html.contains("Түнде қатты музыка DESCRIPTION-MARKER"), "the form is refilled");
    assert!(page.html.contains("value=\"+7 701 555 44 33\""));
    // A bad phone and no category, in Kazakh.
    let (_, session) = open_form(&app, "/appeal/new?lang=kk").await;
    let mut fields = station_appeal(&session.csrf, "review");
    fields.retain(|(name, _)| !matches!(*name, "phone" | "category"));
    fields.push(("phone", "abc"));
    let page = post_form(&app, "/appeal/new?lang=kk", &session, &fields, &[]).await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("<p class=\"error\" id=\"phone-error\">Телефон нөмірін"), "{}", page.html);
    assert!(page.html.contains("<p class=\"error\" id=\"category-error\">Санатты таңдаңыз.</p>"));
    // No place at all, in English.
    let (_, session) = open_form(&app, "/appeal/new?lang=en").await;
    let mut fields = station_appeal(&session.csrf, "review");
    fields.retain(|(name, _)| !matches!(*name, "lat" | "lon"));
    let page = post_form(&app, "/appeal/new?lang=en", &session, &fields, &[]).await;
    assert_eq!(page.status, 422);
    assert!(page.html.contains("<p class=\"error\" id=\"location-error\">Give an address, a point on the map"));
    assert_eq!(appeal_count(&app).await, 0, "nothing stored");
}

#[tokio::test]
async fn an_address_the_gazetteer_knows_places_the_appeal_in_its_quadrant() {
    let app = spawn_app().await;
    let (_, session) = open_form(&app, "/appeal/new?lang=ru").await;
    let mut fields = station_appeal(&session.csrf, "review");
    fields.retain(|(name, _)| !matches!(*name, "lat" | "lon"));
    fields.push(("address", "ПРИВОКЗАЛЬНАЯ площадь, 1"));
    let review = post_form(&app, "/appeal/new?lang=ru", &session, &fields, &[]).await;
    assert_eq!(review.status, 200, "{}", review.html);
    assert!(
        review.html.contains("ПРИВОКЗАЛЬНАЯ площадь, 1 — Ж/д вокзал"),
        "the typed address and the quadrant it lies in: {}",
        review.html
    );
}

#[tokio::test]
async fn a_wrong_csrf_token_is_refused() {
    let app = spawn_app().await;
    let (_, session) = open_form(&app, "/appeal/new?lang=en").await;
    let forged = FormSession { cookie: session.cookie.clone(), csrf: "0".repeat(64) };
    let page = post_form(&app, "/appeal/new?lang=en", &forged, &station_appeal(&forged.csrf, "submit"), &[]).await;
    assert_eq!(page.status, 403);
    assert!(page.html.contains("The form has expired or was sent from another site"));
    assert!(page.html.contains("DESCRIPTION-MARKER"), "the form comes back filled");
    // The right token with another browser's cookie is refused too.
    let other = FormSession { cookie: format!("sakshy_form={}", "a".repeat(64)), csrf: session.csrf.clone() };
    let page = post_form(&app, "/appeal/new?lang=en", &other, &station_appeal(&other.csrf, "submit"), &[]).await;
    assert_eq!(page.status, 403);
    assert_eq!(appeal_count(&app).await, 0);
}

#[tokio::test]
async fn after_the_answer_the_resident_rates_and_reopens_through_the_tracking_page() {
    let app = spawn_app().await;
    let (_, session) = open_form(&app, "/appeal/new?lang=en").await;
    let receipt = post_form(&app, "/appeal/new?lang=en", &session, &station_appeal(&session.csrf, "submit"), &[]).await;
    let token = receipt.url.split("/receipt/").nth(1).unwrap().split('?').next().unwrap().to_owned();
    let number = receipt.html.split("<dd class=\"receipt\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    let page = fetch(&app, &format!("/track/{token}?lang=en"), None).await;
    assert!(!page.html.contains("Rate the answer"), "no rating before the answer");
    let inspector = app.staff_token("uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let actions = format!("/api/v1/staff/appeals/{number}/actions");
    app.staff(reqwest::Method::POST, &actions, &inspector, Some(&serde_json::json!({"action": "accept"}))).await;
    let (status, _) = app
        .staff(
            reqwest::Method::POST,
            &actions,
            &inspector,
            Some(&serde_json::json!({"action": "answer", "text": "The café was warned."})),
        )
        .await;
    assert_eq!(status, 200);
    let quadrant = fetch(&app, "/q/SHY-ALF-Q01?lang=kk", None).await;
    assert!(quadrant.html.contains("Соңғы 30 күнде: 1") && quadrant.html.contains("Соңғы 90 күнде: 1"));
    assert!(quadrant.html.contains("<circle cx=") && quadrant.html.contains(">Өтініш</text>"), "the appeal's dot");
    let (page, session) = open_form(&app, &format!("/track/{token}?lang=kk")).await;
    assert!(page.html.contains("Жауапты бағалаңыз") && page.html.contains("Жауап берілді"));
    assert!(page.html.contains("The café was warned."), "the public answer is shown");
    let rated = post_form(
        &app,
        &format!("/track/{token}/rate?lang=kk"),
        &session,
        &[("csrf", &session.csrf), ("rating", "4"), ("comment", "Рақмет")],
        &[],
    )
    .await;
    assert!(rated.html.contains("Сақталды."), "{}", rated.html);
    let city = app.store.city().await.unwrap().unwrap().0;
    let id = app.store.appeal_id_by_receipt(city, &number).await.unwrap().unwrap();
    assert_eq!(app.store.feedback(city, id).await.unwrap(), Some((4, Some("Рақмет".into()))));
    let bad = post_form(
        &app,
        &format!("/track/{token}/rate?lang=en"),
        &session,
        &[("csrf", &session.csrf), ("rating", "9")],
        &[],
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("The rating is a whole number from 1 to 5."));
    let forged = post_form(&app, &format!("/track/{token}/close?lang=en"), &session, &[("csrf", "x")], &[]).await;
    assert_eq!(forged.status, 403);
    let reopened = post_form(
        &app,
        &format!("/track/{token}/reopen?lang=ru"),
        &session,
        &[("csrf", &session.csrf), ("reason", "Ничего не изменилось.")],
        &[],
    )
    .await;
    assert!(reopened.html.contains("Открыто повторно"), "{}", reopened.html);
    assert!(reopened.html.contains("Ничего не изменилось."));
}

#[tokio::test]
async fn every_demo_gazetteer_place_lies_in_a_quadrant() {
    let app = spawn_app().await;
    let registry = app.state.registry().expect("the demo city is loaded");
    let text = crate::helpers::demo_file("gazetteer.csv");
    let mut places = 0;
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (lat, lon): (f64, f64) = (fields[5].parse().unwrap(), fields[6].parse().unwrap());
        assert!(
            matches!(registry.locator.locate(lon, lat), sakshy_core::LocateOutcome::Inside { .. }),
            "{} is outside every quadrant",
            fields[0]
        );
        places += 1;
    }
    assert!(places >= 24, "a few dozen places: {places}");
    let station = registry.locator.locate(69.61030, 42.29871);
    let sakshy_core::LocateOutcome::Inside { quadrant, .. } = station else { panic!("the station is in a quadrant") };
    assert_eq!(quadrant.code().as_str(), "SHY-ALF-Q01");
}
