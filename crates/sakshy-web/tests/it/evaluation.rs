//! The pilot evaluation over HTTP, on SQLite and on PostgreSQL, with the demo's synthetic incidents (a third of
//! the pilot's offences thinned out after the start) and survey waves (trust in the pilot rising): the report as
//! JSON and CSV for API tokens, the monthly panel, the window the report covers, the plain-language summaries in
//! three languages, and the design form.

use chrono::{Datelike, NaiveDate};
use serde_json::Value;

use crate::helpers::TestApp;
use crate::login::{Browser, PASSWORD, account, audit_actions, hidden};

/// The demo's incidents and surveys for 2026-12-01, with the seeds `sakshy demo` uses.
pub(crate) async fn seeded(app: &TestApp) {
    let registry = sakshy_web::Registry::load(&app.store).await.unwrap().unwrap();
    let today = crate::surveys::demo_today();
    sakshy_web::demo_incidents::seed_incidents(&app.store, &registry, today, 20_261_201).await.unwrap();
    sakshy_web::demo_surveys::seed_surveys(&app.store, &registry, today, 20_261_202).await.unwrap();
}

/// `YYYY-MM` of a month index (year × 12 + month0).
fn label(index: i32) -> String {
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// The months the report must cover: twelve before the start's month to the last whole month before the app's
/// today (in the city's zone), at most 24 from the start.
fn expected_months(app: &TestApp, start: NaiveDate) -> Vec<String> {
    let now = chrono::DateTime::from_timestamp_millis(app.state.clock.now_ms()).unwrap();
    let today = now.with_timezone(&chrono_tz::Asia::Almaty).date_naive();
    let month = |d: NaiveDate| d.year() * 12 + d.month0() as i32;
    let start = month(start);
    let last = (month(today) - 1).min(start + 23);
    (start - 12..=last).map(label).collect()
}

on_both_engines!(
    the_pilot_report_finds_fewer_offences_and_more_trust_with_its_limits_in_three_languages,
    the_pilot_report_on_postgresql,
    report
);

async fn report(app: &TestApp) {
    // Arrange
    seeded(app).await;
    let token = app.staff_token("analyst", "analyst", "city").await;
    let bearer = format!("Bearer {token}");
    let start = sakshy_web::demo_surveys::pilot_start(crate::surveys::demo_today());
    assert_eq!(start, NaiveDate::from_ymd_opt(2026, 6, 1).unwrap());

    // Act
    let (status, body) = app.get_with("/api/v1/evaluations/koksay-pilot", &[("Authorization", &bearer)]).await;

    // Assert: the design and the window.
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["evaluation"], "koksay-pilot");
    assert_eq!(body["design"]["pilot"], serde_json::json!(["SHY-ALF-Q01"]));
    let controls = body["design"]["control"].as_array().unwrap();
    assert_eq!(controls.len(), 15, "the district's other quadrants");
    assert_eq!(body["design"]["start"], "2026-06-01");
    let months: Vec<String> =
        body["months"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect();
    let expected = expected_months(app, start);
    assert_eq!(months, expected);
    assert_eq!(months.first().map(String::as_str), Some("2025-06"));
    if chrono::Utc::now().date_naive().format("%Y-%m").to_string() == "2026-12" {
        assert_eq!(months.last().map(String::as_str), Some("2026-11"), "the last whole month");
        assert_eq!(months.len(), 18);
    }
    assert_eq!(body["start_index"], 12);
    assert!(body["synthetic_incidents"].as_u64().unwrap() > 1_000, "{}", body["synthetic_incidents"]);
    assert_eq!(body["synthetic_survey_waves"], true);

    // Assert: offences fell in the pilot, with the warning a single pilot quadrant needs.
    let outcomes = body["outcomes"].as_array().unwrap();
    let offences = outcomes.iter().find(|o| o["outcome"] == "offences").unwrap();
    let estimate = offences["did"]["estimate"].as_f64().unwrap();
    assert!(estimate < 0.0, "the demo thins the pilot's offences after the start: {estimate}");
    let warnings: Vec<&str> =
        offences["did"]["warnings"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
    assert!(warnings.contains(&"single_treated_unit"), "{warnings:?}");
    assert_eq!(offences["primary_interval"]["method"], "randomisation", "{}", offences["primary_interval"]);
    let summary = &offences["summary"];
    assert!(summary["kk"].as_str().unwrap().contains("пилот"), "{summary}");
    assert!(summary["ru"].as_str().unwrap().starts_with("Правонарушений в месяц"), "{summary}");
    assert!(summary["en"].as_str().unwrap().starts_with("Offences per month: in the pilot, −"), "{summary}");
    for outcome in outcomes {
        for lang in ["kk", "ru", "en"] {
            assert!(!outcome["summary"][lang].as_str().unwrap().is_empty(), "{} {lang}", outcome["outcome"]);
        }
    }
    let ids: Vec<&str> = outcomes.iter().map(|o| o["outcome"].as_str().unwrap()).collect();
    assert!(ids.contains(&"survey:trust_police"), "{ids:?}");
    for limit in ["kk", "ru", "en"] {
        assert!(body["limits"][limit].as_str().unwrap().len() > 100, "the limits are said in {limit}");
    }

    // Assert: from respondents' answers, trust in the police rose in the pilot more than in the controls.
    let survey = &body["survey_did"];
    assert_eq!(survey["before_wave"].as_str().unwrap(), "Before the pilot / Пилотқа дейін / До пилота");
    let trust = survey["indices"].as_array().unwrap().iter().find(|i| i["index"] == "trust_police").unwrap();
    let difference = &trust["difference"];
    assert!(difference["estimate"].as_f64().unwrap() > 0.0, "{trust}");
    assert!(difference["ci_low"].as_f64().unwrap() > 0.0, "{trust}");
    assert!(difference["ci_high"].as_f64().unwrap() > difference["estimate"].as_f64().unwrap());
    assert!(trust["summary"]["en"].as_str().unwrap().starts_with("Trust in the police: +"), "{}", trust["summary"]);

    // Act: the CSV report and the panel.
    let response = app
        .client
        .get(format!("{}/api/v1/evaluations/koksay-pilot/report.csv", app.address))
        .header("Authorization", &bearer)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let report_csv = response.text().await.unwrap();

    // Assert: one row per outcome, with the three summaries.
    let mut reader = csv::Reader::from_reader(report_csv.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..2], ["evaluation", "outcome"]);
    assert_eq!(header[header.len() - 3..], ["summary_kk", "summary_ru", "summary_en"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), outcomes.len());
    for (row, outcome) in rows.iter().zip(outcomes) {
        assert_eq!(&row[0], "koksay-pilot");
        assert_eq!(&row[1], outcome["outcome"].as_str().unwrap());
        assert_eq!(&row[header.len() - 1], outcome["summary"]["en"].as_str().unwrap());
        assert_eq!(&row[header.len() - 2], outcome["summary"]["ru"].as_str().unwrap());
    }
    let offences_row = rows.iter().find(|r| &r[1] == "offences").unwrap();
    let estimate_column = header.iter().position(|h| h == "estimate").unwrap();
    assert!((offences_row[estimate_column].parse::<f64>().unwrap() - estimate).abs() < 1e-5);
    let warnings_column = header.iter().position(|h| h == "warnings").unwrap();
    assert!(offences_row[warnings_column].split(';').any(|w| w == "single_treated_unit"));

    // Act and assert: the panel through the signed-in page has a row per outcome, quadrant and month.
    account(app, "analyst.page", "analyst", "city", PASSWORD).await;
    let mut analyst = Browser::new(app);
    assert_eq!(analyst.login("analyst.page", PASSWORD).await.status, 303);
    let panel = analyst.get("/staff/evaluation/koksay-pilot/panel.csv").await;
    assert_eq!(panel.status, 200);
    let mut reader = csv::Reader::from_reader(panel.body.as_bytes());
    assert_eq!(reader.headers().unwrap(), vec!["outcome", "quadrant", "pilot", "month", "value"]);
    let panel_rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(panel_rows.len(), outcomes.len() * 16 * months.len());
    let pilot_rows = panel_rows.iter().filter(|r| &r[1] == "SHY-ALF-Q01").count();
    assert_eq!(pilot_rows, outcomes.len() * months.len());
    assert!(panel_rows.iter().filter(|r| &r[1] == "SHY-ALF-Q01").all(|r| &r[2] == "true"));
    // The pilot's monthly offences in the panel add up to what the report's panel means say.
    let pilot_offences: f64 = panel_rows
        .iter()
        .filter(|r| &r[0] == "offences" && &r[1] == "SHY-ALF-Q01")
        .map(|r| r[4].parse::<f64>().unwrap())
        .sum();
    let pilot_means: f64 = offences["pilot_means"].as_array().unwrap().iter().filter_map(Value::as_f64).sum();
    assert!((pilot_offences - pilot_means).abs() < 1e-9, "{pilot_offences} vs {pilot_means}");

    // The report page in Russian lists a finding per outcome.
    let page = analyst.get("/staff/evaluation/koksay-pilot?lang=ru").await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(page.body.matches("<li id=\"finding-").count(), outcomes.len());
    assert!(page.body.contains("Синтетические данные."), "the synthetic label");
    assert!(page.body.contains("id=\"survey-did\""));
}

on_both_engines!(
    a_design_without_a_control_quadrant_is_refused_in_the_analysts_language_and_a_valid_one_is_saved,
    the_design_form_on_postgresql,
    design_form
);

async fn design_form(app: &TestApp) {
    // Arrange
    account(app, "analyst", "analyst", "city", PASSWORD).await;
    let mut analyst = Browser::new(app);
    assert_eq!(analyst.login("analyst", PASSWORD).await.status, 303);
    let form = analyst.get("/staff/evaluation?lang=ru").await;
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("id=\"design-form\""));
    let csrf = hidden(&form.body, "csrf");
    let base =
        [("csrf", csrf.as_str()), ("code", "trial"), ("title", "Trial"), ("start", "2026-06-01"), ("buffer", "300")];

    // Act: only a pilot, in each language.
    let messages = [
        ("kk", "Осы қаланың кемінде бір пилоттық және бір бақылау квадратын белгілеңіз."),
        ("ru", "Отметьте хотя бы один пилотный и один контрольный квадрат этого города."),
        ("en", "Mark at least one pilot and one control quadrant of this city."),
    ];
    for (lang, message) in messages {
        let refused = analyst
            .post(
                &format!("/staff/evaluation?lang={lang}"),
                &[base.as_slice(), &[("role.SHY-ALF-Q01", "pilot")]].concat(),
            )
            .await;

        // Assert
        assert_eq!(refused.status, 422, "{lang}: {}", refused.body);
        assert!(refused.body.contains(message), "{lang}: {}", refused.body);
        assert!(refused.body.contains("value=\"trial\""), "{lang}: the form keeps what was typed");
    }
    let city = app.store.city().await.unwrap().unwrap().0;
    assert!(app.store.evaluations(city).await.unwrap().is_empty());
    // A quadrant the city does not have is refused too.
    let unknown = analyst
        .post(
            "/staff/evaluation?lang=en",
            &[base.as_slice(), &[("role.SHY-ALF-Q01", "pilot"), ("role.SHY-NOPE-Q01", "control")]].concat(),
        )
        .await;
    assert_eq!(unknown.status, 422);
    // Without the session's token nothing is saved.
    let forged = analyst
        .post(
            "/staff/evaluation?lang=en",
            &[
                [("csrf", "forged")].as_slice(),
                &base[1..],
                &[("role.SHY-ALF-Q01", "pilot"), ("role.SHY-ALF-Q02", "control")],
            ]
            .concat(),
        )
        .await;
    assert_eq!(forged.status, 403);

    // Act: a pilot and two controls.
    let roles = [
        ("role.SHY-ALF-Q01", "pilot"),
        ("role.SHY-ALF-Q02", "control"),
        ("role.SHY-ALF-Q03", "control"),
        ("role.SHY-ALF-Q04", "none"),
    ];
    let saved = analyst.post("/staff/evaluation?lang=en", &[base.as_slice(), &roles].concat()).await;

    // Assert: saved, audited, and the report opens.
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert!(saved.location.starts_with("/staff/evaluation/trial"), "{}", saved.location);
    let designs = app.store.evaluations(city).await.unwrap();
    assert_eq!(designs.len(), 1);
    assert_eq!(designs[0].pilot, ["SHY-ALF-Q01"]);
    assert_eq!(designs[0].control, ["SHY-ALF-Q02", "SHY-ALF-Q03"]);
    assert_eq!(designs[0].buffer_metres, 300);
    let report = analyst.get(&saved.location).await;
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(report.body.contains("SHY-ALF-Q02, SHY-ALF-Q03"), "the design is stated");
    let audit = audit_actions(app).await;
    assert_eq!(audit.iter().filter(|(who, what, _)| who == "analyst" && what == "evaluation_saved").count(), 1);
    let list = analyst.get("/staff/evaluation?lang=en").await;
    assert!(list.body.contains("/staff/evaluation/trial?lang=en"), "the list links the design");
}

#[tokio::test]
async fn an_evaluation_that_does_not_exist_or_has_not_started_is_said_so() {
    // Arrange: a design starting this month has no whole month after its start.
    let app = crate::helpers::spawn_app().await;
    let token = app.staff_token("analyst", "analyst", "city").await;
    let bearer = format!("Bearer {token}");
    let city = app.store.city().await.unwrap().unwrap().0;
    let today = chrono::Utc::now().date_naive();
    let design = sakshy_store::EvaluationDesign {
        code: "fresh".into(),
        title: "Fresh".into(),
        pilot: vec!["SHY-ALF-Q01".into()],
        control: vec!["SHY-ALF-Q02".into()],
        start: today.with_day(1).unwrap() + chrono::Months::new(1),
        buffer_metres: 300,
        updated_at_ms: 1,
    };
    app.store.save_evaluation(city, &design).await.unwrap();

    // Act and assert
    let (status, body) = app.get_with("/api/v1/evaluations/nowhere", &[("Authorization", &bearer)]).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.get_with("/api/v1/evaluations/fresh", &[("Authorization", &bearer)]).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(app.get("/api/v1/evaluations/fresh").await.0, 401);
    account(&app, "reader", "read_only", "city", PASSWORD).await;
    let mut reader = Browser::new(&app);
    assert_eq!(reader.login("reader", PASSWORD).await.status, 303);
    let page = reader.get("/staff/evaluation/fresh?lang=en").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No whole month has passed since the start"), "{}", page.body);
}
