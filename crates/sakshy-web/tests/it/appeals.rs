//! `POST /api/v1/appeals` and `GET /api/v1/track/{token}` over real HTTP.

use serde_json::{Value, json};

use crate::helpers::spawn_app;

fn noise_at_the_station() -> Value {
    json!({
        "category": "NOISE",
        "description": "Every night after midnight loud music from the café by the station.",
        "location": {"lat": 42.29871, "lon": 69.61030},
        "lang": "ru",
        "contact": {"name": "Айгүл", "phone": "+7 701 000 00 00"},
        "consent": true
    })
}

#[tokio::test]
async fn a_resident_files_and_tracks_an_appeal_and_sees_no_personal_data() {
    let app = spawn_app().await;
    let (status, created) = app.post_appeal(&noise_at_the_station(), &[]).await;
    assert_eq!(status, 201, "{created}");
    let receipt = created["receipt"].as_str().unwrap();
    assert!(receipt.starts_with("SHY-20") && receipt.ends_with("-000001"), "{receipt}");
    assert_eq!(created["state"], "registered");
    assert_eq!(created["agencies"], json!(["POL_UIP"]));
    assert_eq!(created["quadrant"], "SHY-ALF-Q01");
    let due = chrono::NaiveDate::parse_from_str(created["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let registered = chrono::NaiveDate::parse_from_str(created["registered_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert!(
        due >= registered + chrono::Days::new(19),
        "15 working days are at least 19 calendar days: {registered} → {due}"
    );
    let (status, tracked) = app.get(created["tracking_url"].as_str().unwrap()).await;
    assert_eq!(status, 200, "{tracked}");
    assert_eq!(tracked["receipt"], receipt);
    assert_eq!(tracked["state"], "registered");
    assert_eq!(tracked["tasks"][0]["agency"]["code"], "POL_UIP");
    assert_eq!(tracked["history"][0]["action"], "register");
    let text = tracked.to_string();
    for private in ["Айгүл", "+7 701", "resident", "phone"] {
        assert!(!text.contains(private), "the public view leaks {private:?}: {text}");
    }
    let (status, _) = app.get("/api/v1/track/aaaaaaaaaaaaaaaaaaaaaaaaaa").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_emergency_is_diverted_to_102_and_nothing_is_registered() {
    let app = spawn_app().await;
    let mut body = noise_at_the_station();
    body["category"] = json!("CRIME_NOW");
    let (status, answer) = app.post_appeal(&body, &[("Accept-Language", "en")]).await;
    assert_eq!(status, 200);
    assert_eq!(answer["diverted"], true);
    assert_eq!(answer["call"], json!(["102", "112"]));
    assert_eq!(answer["message"], "This cannot wait in a queue: call 102, 112 now. No appeal was registered.");
    assert!(answer.get("receipt").is_none());
    let city = app.store.city().await.unwrap().unwrap().0;
    let counts = app.store.diversion_counts(city).await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!(counts[0].2, 1);
    // The next real appeal still gets the first receipt number.
    let (_, created) = app.post_appeal(&noise_at_the_station(), &[]).await;
    assert!(created["receipt"].as_str().unwrap().ends_with("-000001"));
}

#[tokio::test]
async fn a_retried_submission_with_the_same_key_creates_nothing_new() {
    let app = spawn_app().await;
    let key = [("Idempotency-Key", "5f0c9a1e-retry-test")];
    let (first_status, first) = app.post_appeal(&noise_at_the_station(), &key).await;
    let (second_status, second) = app.post_appeal(&noise_at_the_station(), &key).await;
    assert_eq!((first_status, second_status), (201, 200));
    assert_eq!(first, second, "the same answer, token included");
    let (_, next) = app.post_appeal(&noise_at_the_station(), &[]).await;
    assert!(next["receipt"].as_str().unwrap().ends_with("-000002"), "only one appeal was created by the retries");
    let mut changed = noise_at_the_station();
    changed["description"] = json!("Something else entirely.");
    let (status, error) = app.post_appeal(&changed, &key).await;
    assert_eq!(status, 422);
    assert_eq!(error["error"]["field"], "Idempotency-Key");
}

#[tokio::test]
async fn bad_fields_are_named_in_the_users_language() {
    let app = spawn_app().await;
    let check = |edit: fn(&mut Value)| {
        let mut body = noise_at_the_station();
        edit(&mut body);
        body
    };
    let cases: Vec<(Value, u16, &str, &str)> = vec![
        (check(|b| b["category"] = json!("KARAOKE")), 422, "category", "There is no category \"KARAOKE\"."),
        (check(|b| b["description"] = json!("   ")), 422, "description", "Describe the problem."),
        (
            check(|b| b["description"] = json!("x".repeat(4001))),
            422,
            "description",
            "The description has 4001 characters; at most 4000 are accepted.",
        ),
        (
            check(|b| b["consent"] = json!(false)),
            422,
            "consent",
            "If you give contact details, consent to the processing of personal data is required.",
        ),
        (
            check(|b| {
                b.as_object_mut().unwrap().remove("contact");
            }),
            422,
            "contact",
            "This category needs your name and a phone or e-mail: anonymous appeals are considered only when they report a crime.",
        ),
        (
            check(|b| b["location"] = json!({"lat": 42.29871})),
            400,
            "location.lon",
            "The field \"location.lon\" is required.",
        ),
        (
            check(|b| b["location"] = json!({"lat": 142.0, "lon": 69.6})),
            400,
            "location.lat",
            "The field \"location.lat\" must be between -90 and 90, got 142.",
        ),
        (
            check(|b| b["location"] = json!({"police_point": "SHY-PP-99"})),
            422,
            "location",
            "There is no police point \"SHY-PP-99\".",
        ),
        (
            check(|b| b["contact"]["phone"] = json!("call me")),
            400,
            "contact.phone",
            "The request body is invalid: \"call me\" is not a phone number: use +, digits, spaces, dashes and parentheses, 3 to 15 digits",
        ),
        (check(|b| b["colour"] = json!("red")), 400, "colour", ""),
        (check(|b| b["consent"] = json!("yes")), 400, "consent", ""),
    ];
    for (body, status, field, message) in cases {
        let (got_status, error) = app.post_appeal(&body, &[("Accept-Language", "en")]).await;
        assert_eq!((got_status, error["error"]["field"].as_str()), (status, Some(field)), "{body} → {error}");
        if !message.is_empty() {
            assert_eq!(error["error"]["message"], message);
        }
    }
    let mut outside = noise_at_the_station();
    outside["location"] = json!({"lat": 42.0, "lon": 69.61});
    let (status, error) = app.post_appeal(&outside, &[("Accept-Language", "kk")]).await;
    assert_eq!(status, 422);
    assert!(error["error"]["message"].as_str().unwrap().starts_with("Бұл нүкте қаладан тыс."), "{error}");
    // Nothing was registered by any of these.
    let (_, created) = app.post_appeal(&noise_at_the_station(), &[]).await;
    assert!(created["receipt"].as_str().unwrap().ends_with("-000001"));
}

#[tokio::test]
async fn anonymous_tips_about_drug_dealing_are_accepted_without_contact() {
    let app = spawn_app().await;
    let body = json!({
        "category": "DRUG_DEALING",
        "description": "Dead drops behind the garages.",
        "location": {"address": "Көксай, гараждардың артында"}
    });
    let (status, created) = app.post_appeal(&body, &[]).await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["agencies"], json!(["POL_NARC"]));
    assert_eq!(created["quadrant"], Value::Null, "an address alone locates no quadrant");
}

#[tokio::test]
async fn open_appeals_nearby_are_offered_as_possible_duplicates() {
    let app = spawn_app().await;
    let (_, first) = app.post_appeal(&noise_at_the_station(), &[]).await;
    let mut far = noise_at_the_station();
    far["location"] = json!({"lat": 42.3030, "lon": 69.6150});
    app.post_appeal(&far, &[]).await;
    let mut lighting = noise_at_the_station();
    lighting["category"] = json!("LIGHTING");
    app.post_appeal(&lighting, &[]).await;
    // 50 m north of the first appeal.
    let (status, body) = app.get("/api/v1/appeals/nearby?category=NOISE&lat=42.29916&lon=69.61030").await;
    assert_eq!(status, 200, "{body}");
    let appeals = body["appeals"].as_array().unwrap();
    assert_eq!(appeals.len(), 1, "only the noise complaint within 150 m: {body}");
    assert_eq!(appeals[0]["receipt"], first["receipt"]);
    assert_eq!(appeals[0]["distance_m"], 50.0);
    assert!(appeals[0].get("description").is_none() && appeals[0].get("contact").is_none());
    assert_eq!(body["meta"]["radius_m"], 150.0);
    let (status, body) = app.get("/api/v1/appeals/nearby?category=KARAOKE&lat=42.3&lon=69.6&lang=en").await;
    assert_eq!((status, body["error"]["field"].as_str()), (422, Some("category")));
    let (status, body) = app.get("/api/v1/appeals/nearby?lat=42.3&lon=69.6").await;
    assert_eq!((status, body["error"]["field"].as_str()), (400, Some("category")));
}

#[tokio::test]
async fn the_resident_rates_reopens_and_closes_with_the_tracking_token() {
    let app = spawn_app().await;
    let (_, created) = app.post_appeal(&noise_at_the_station(), &[]).await;
    let track = created["tracking_url"].as_str().unwrap().to_owned();
    let receipt = created["receipt"].as_str().unwrap().to_owned();
    let post = |path: String, body: Value| {
        let app = &app;
        async move {
            let response = app.client.post(format!("{}{path}?lang=en", app.address)).json(&body).send().await.unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, error) = post(format!("{track}/feedback"), json!({"rating": 5})).await;
    assert_eq!(
        (status, error["error"]["message"].as_str()),
        (409, Some("You can rate the service once the appeal is answered."))
    );
    let inspector = app.staff_token("uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let actions = format!("/api/v1/staff/appeals/{receipt}/actions");
    app.staff(reqwest::Method::POST, &actions, &inspector, Some(&json!({"action": "accept"}))).await;
    let (status, _) = app
        .staff(
            reqwest::Method::POST,
            &actions,
            &inspector,
            Some(&json!({"action": "answer", "text": "The café was warned."})),
        )
        .await;
    assert_eq!(status, 200);
    let (status, error) = post(format!("{track}/feedback"), json!({"rating": 6})).await;
    assert_eq!((status, error["error"]["field"].as_str()), (422, Some("rating")));
    let (status, rated) = post(format!("{track}/feedback"), json!({"rating": 2, "comment": "  Still loud.  "})).await;
    assert_eq!(status, 200, "{rated}");
    assert_eq!(rated["comment"], "Still loud.");
    let city = app.store.city().await.unwrap().unwrap().0;
    let id = app.store.appeal_id_by_receipt(city, &receipt).await.unwrap().unwrap();
    assert_eq!(app.store.feedback(city, id).await.unwrap(), Some((2, Some("Still loud.".into()))));
    let (status, reopened) = post(format!("{track}/reopen"), json!({"reason": "Nothing changed."})).await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["state"], "reopened");
    assert_eq!(reopened["history"].as_array().unwrap().last().unwrap()["comment"], "Nothing changed.");
    let (status, error) = post(format!("{track}/close"), json!({})).await;
    assert_eq!(status, 409, "a reopened appeal cannot be closed before it is answered again: {error}");
    app.staff(reqwest::Method::POST, &actions, &inspector, Some(&json!({"action": "start"}))).await;
    app.staff(
        reqwest::Method::POST,
        &actions,
        &inspector,
        Some(&json!({"action": "answer", "text": "A fine was issued."})),
    )
    .await;
    let (status, closed) = post(format!("{track}/close"), json!({})).await;
    assert_eq!((status, closed["state"].as_str()), (200, Some("closed")));
}

/// A small JPEG with an EXIF segment naming a GPS position, as a phone writes it.
pub(crate) fn phone_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(40, 30, |x, y| image::Rgb([x as u8 * 6, y as u8 * 8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&image).unwrap();
    let payload = b"Exif\0\0MM\0*GPSLatitude 42.29871 GPSLongitude 69.61030";
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE1];
    jpeg.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
    jpeg.extend_from_slice(payload);
    jpeg.extend_from_slice(&plain[2..]);
    jpeg
}

/// A multipart/form-data body with an `appeal` JSON part and `photo` parts.
pub(crate) fn multipart(appeal: &Value, photos: &[(&str, Vec<u8>)]) -> (String, Vec<u8>) {
    let boundary = "sakshy-test-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"appeal\"\r\nContent-Type: application/json\r\n\r\n{appeal}\r\n").as_bytes());
    for (name, bytes) in photos {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn photos_are_stored_without_metadata_and_shown_to_staff_only() {
    let app = spawn_app().await;
    let send = |appeal: Value, photos: Vec<(&'static str, Vec<u8>)>| {
        let app = &app;
        async move {
            let (content_type, body) = multipart(&appeal, &photos);
            let response = app
                .client
                .post(format!("{}/api/v1/appeals?lang=en", app.address))
                .header("Content-Type", content_type)
                .body(body)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, error) =
        send(noise_at_the_station(), vec![("report.jpg", b"%PDF-1.7 this is a document".to_vec())]).await;
    assert_eq!(
        (status, error["error"]["message"].as_str()),
        (422, Some("Photo 1 is not a JPEG, PNG or WebP image.")),
        "trusted by content, not by name"
    );
    let four =
        vec![("a.jpg", phone_photo()), ("b.jpg", phone_photo()), ("c.jpg", phone_photo()), ("d.jpg", phone_photo())];
    let (status, error) = send(noise_at_the_station(), four).await;
    assert_eq!((status, error["error"]["message"].as_str()), (422, Some("At most 3 photos.")));
    let (status, created) = send(noise_at_the_station(), vec![("IMG_0001.jpg", phone_photo())]).await;
    assert_eq!(status, 201, "{created}");
    assert!(created["receipt"].as_str().unwrap().ends_with("-000001"), "the refused submissions registered nothing");
    let (_, tracked) = app.get(created["tracking_url"].as_str().unwrap()).await;
    assert_eq!(tracked["photo_count"], 1);
    let inspector = app.staff_token("uip", "district_inspector", "quadrants:SHY-ALF-Q01").await;
    let elsewhere = app.staff_token("uip.aby", "district_inspector", "quadrants:SHY-ABY-Q01").await;
    let receipt = created["receipt"].as_str().unwrap();
    let (_, view) =
        app.staff(reqwest::Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &inspector, None).await;
    let url = view["photos"][0].as_str().unwrap().to_owned();
    let fetch = |token: String| {
        let (app, url) = (&app, url.clone());
        async move { app.client.get(format!("{}{url}", app.address)).bearer_auth(token).send().await.unwrap() }
    };
    assert_eq!(fetch(elsewhere).await.status().as_u16(), 403);
    // An analyst sees the appeal, and that it has a photo, but not the photo: it may show people.
    let analyst = app.staff_token("analyst", "analyst", "city").await;
    let (_, seen) = app.staff(reqwest::Method::GET, &format!("/api/v1/staff/appeals/{receipt}"), &analyst, None).await;
    assert_eq!((seen["photo_count"].as_u64(), seen["photos"].as_array().map(Vec::len)), (Some(1), Some(0)));
    assert_eq!(fetch(analyst).await.status().as_u16(), 403);
    let response = fetch(inspector.clone()).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    let stored = response.bytes().await.unwrap();
    assert!(!stored.windows(3).any(|w| w == b"GPS") && !stored.windows(4).any(|w| w == b"Exif"), "metadata stripped");
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (40, 30));
    let city = app.store.city().await.unwrap().unwrap().0;
    let audit = app.store.audit_events(city, 5).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "view_photo" && e.actor == "uip"), "{audit:?}");
}
