//! `sakshy import questionnaire | survey-responses | population-margins` on the real binary: what they print,
//! what they refuse with the line and column, and what the database holds afterwards.

use chrono::NaiveDate;
use sakshy_store::{NewWave, Store, WaveAccess, WaveStatus};

use crate::import::{Sandbox, fixture};

fn questionnaire() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/surveys/service-model.json").display().to_string()
}

/// Runs a future on a fresh runtime (the binary holds no lock between its runs).
fn block<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(future)
}

/// Opens a wave `w1` of the stored questionnaire, as an analyst does on the web.
fn open_wave(sandbox: &Sandbox) -> Store {
    block(async {
        let store = Store::connect(&sandbox.db()).await.unwrap();
        let (city, _, _) = store.city().await.unwrap().unwrap();
        let instrument = store.instruments(city).await.unwrap().remove(0);
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let wave = NewWave {
            code: "w1",
            instrument_id: instrument.id,
            title: "March",
            access: WaveAccess::Open,
            opens_on: day(1),
            closes_on: day(20),
            synthetic: false,
        };
        store.create_wave(city, &wave, 0).await.unwrap();
        store.set_wave_status(city, "w1", WaveStatus::Open).await.unwrap();
        store
    })
}

fn stored(store: &Store) -> Vec<sakshy_store::StoredResponse> {
    block(async {
        let (city, _, _) = store.city().await.unwrap().unwrap();
        store.responses(city, "w1").await.unwrap()
    })
}

#[test]
fn a_questionnaire_is_saved_once_and_answers_are_imported_all_or_nothing_and_idempotently() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let saved = sandbox.ok(&["import", "questionnaire", &questionnaire()]);
    assert!(saved.starts_with("questionnaire service-model version 2026-1: 19 questions, 5 indices"), "{saved}");
    // The same file again is the same version: accepted, nothing new.
    assert_eq!(sandbox.ok(&["import", "questionnaire", &questionnaire()]), saved);
    let store = open_wave(&sandbox);

    // A bad row (trust 7 on a 1–5 scale) refuses the whole file, naming the line and the column.
    let refused = sandbox.fails(&["import", "survey-responses", "--wave", "w1", &fixture("survey-responses.csv")]);
    assert!(refused.contains("1 of 3 rows have problems; nothing was imported"), "{refused}");
    assert!(refused.contains("line 3, column trust_police"), "{refused}");
    assert!(stored(&store).is_empty());

    // With --skip-invalid the good rows go in, and the report names the bad one.
    let report = sandbox.path("problems.csv");
    let args = ["import", "survey-responses", "--wave", "w1", "--skip-invalid", "--report", &report];
    let done = sandbox.ok(&[&args[..], &[&fixture("survey-responses.csv")]].concat());
    assert_eq!(done.trim(), "wave w1: 2 responses imported, 0 already present, 1 rows skipped");
    let lines: Vec<String> = std::fs::read_to_string(&report).unwrap().lines().map(str::to_owned).collect();
    assert_eq!(lines[0], "line,column,item,problem");
    assert!(lines[1].starts_with("3,trust_police,trust_police,"), "{lines:?}");
    let responses = stored(&store);
    assert_eq!(responses.len(), 2);
    // Placed in the quadrant and its district; the phone number in the comment is gone.
    assert_eq!(responses[0].quadrant.as_deref(), Some("TOY-W-Q1"));
    assert_eq!(responses[0].district.as_deref(), Some("TOY-W"));
    assert_eq!((responses[0].age_band.as_deref(), responses[0].sex.as_deref()), (Some("18-29"), Some("female")));
    assert!(
        responses[0].answers.contains("[phone]") && !responses[0].answers.contains("234"),
        "{}",
        responses[0].answers
    );
    assert_eq!(responses[0].submitted_at_ms, 1_772_359_200_000, "2026-03-01T10:00:00 UTC");

    // Again: nothing doubled.
    let again = sandbox.ok(&[&args[..], &[&fixture("survey-responses.csv")]].concat());
    assert_eq!(again.trim(), "wave w1: 0 responses imported, 2 already present, 1 rows skipped");
    assert_eq!(stored(&store).len(), 2);

    // A wave that does not exist is named.
    let unknown = sandbox.fails(&["import", "survey-responses", "--wave", "nope", &fixture("survey-responses.csv")]);
    assert!(unknown.contains("there is no wave nope"), "{unknown}");
}

#[test]
fn population_margins_replace_the_stored_ones_and_an_unknown_district_is_refused() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    let done = sandbox.ok(&["import", "population-margins", &fixture("survey-margins.csv")]);
    assert_eq!(done.trim(), "population margins: 4 cells, 3700 people");
    let bad = sandbox.path("bad-margins.csv");
    std::fs::write(&bad, "district,age_band,sex,population\nTOY-X,18-29,female,10\n").unwrap();
    let refused = sandbox.fails(&["import", "population-margins", &bad]);
    assert!(refused.contains("line 2, column district: district TOY-X is not one of the city's"), "{refused}");
    std::fs::write(&bad, "district,age_band,sex,population\nTOY-W,18-29,female,-3\n").unwrap();
    let refused = sandbox.fails(&["import", "population-margins", &bad]);
    assert!(refused.contains("line 2, column population"), "{refused}");
    let margins = block(async {
        let store = Store::connect(&sandbox.db()).await.unwrap();
        let (city, _, _) = store.city().await.unwrap().unwrap();
        store.population_margins(city).await.unwrap()
    });
    assert_eq!(margins.len(), 4, "the refused files changed nothing");
}
