//! Surveys and evaluations on both engines: instrument versions never change, waves move through their statuses
//! and refuse what they must, invitation tokens are stored hashed and used once (also under a race), imports are
//! idempotent and all or nothing, margins are replaced whole, evaluation designs are checked, and appeals' timings
//! are replayed from their history.

use chrono::NaiveDate;
use sakshy_core::Code;
use sakshy_core::access::{Role, Scope};
use sakshy_core::calendar::WorkingCalendar;
use sakshy_core::workflow::{Action, Actor, WorkflowRules};
use sakshy_store::{
    AppealTiming, Attachments, Channel, CityId, EvaluationDesign, EvaluationProblem, InvitationState, NewResponse,
    NewWave, PopulationMargin, ResponseImport, StaffUser, StorageError, Store, StoredResponse, SurveyStoreError,
    WaveAccess, WaveStatus, token_hash,
};

use crate::appeal::{city, new_appeal};
use crate::backend::for_each_backend;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const DEFINITION: &str = r#"{"items": [{"name": "trust_police", "type": "likert5"}], "title": {"kk": "Сенім"}}"#;

/// An instrument and a wave of it, `access` as given, opened.
async fn open_wave(store: &Store, city: CityId, code: &str, access: WaveAccess) -> i64 {
    let instrument = store.save_instrument(city, "service-model", "1", DEFINITION, 1_000).await.unwrap();
    let wave = NewWave {
        code,
        instrument_id: instrument.id,
        title: "Көктем 2026",
        access,
        opens_on: date(2026, 4, 1),
        closes_on: date(2026, 4, 30),
        synthetic: false,
    };
    let created = store.create_wave(city, &wave, 2_000).await.unwrap();
    store.set_wave_status(city, code, WaveStatus::Open).await.unwrap();
    created.id
}

/// A response from the web, with a token if given.
fn web(token: Option<&str>) -> NewResponse<'_> {
    NewResponse {
        channel: Channel::Web,
        token,
        source_id: None,
        quadrant: Some("TOY-W-Q1"),
        district: Some("TOY-W"),
        age_band: Some("30-44"),
        sex: Some("f"),
        answers: r#"{"trust_police": 4}"#,
        submitted_at_ms: 5_000,
        enumerator: None,
    }
}

/// An imported response with a source id.
fn imported(source_id: &str) -> NewResponse<'_> {
    NewResponse { channel: Channel::Import, source_id: Some(source_id), ..web(None) }
}

#[tokio::test]
async fn an_instrument_version_is_saved_once_and_never_changes() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let first = store.save_instrument(city, "service-model", "1", DEFINITION, 1_000).await.unwrap();
        assert_eq!((first.code.as_str(), first.version.as_str(), first.created_at_ms), ("service-model", "1", 1_000));
        assert_eq!(first.definition, DEFINITION);
        // The same definition again (laid out differently: equal as JSON) returns the stored row.
        let relaid = r#"{"title":{"kk":"Сенім"},"items":[{"type":"likert5","name":"trust_police"}]}"#;
        let again = store.save_instrument(city, "service-model", "1", relaid, 9_000).await.unwrap();
        assert_eq!(again, first, "idempotent: the first row, its text and time");
        // Another definition under the same version is refused.
        let changed = r#"{"items": []}"#;
        let err = store.save_instrument(city, "service-model", "1", changed, 9_000).await.unwrap_err();
        assert!(
            matches!(&err, SurveyStoreError::VersionExists { code, version } if code == "service-model" && version == "1"),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "instrument service-model version 1 is already saved with another definition: save it as a new version"
        );
        let second = store.save_instrument(city, "service-model", "2", changed, 3_000).await.unwrap();
        assert_ne!(second.id, first.id);
        assert!(matches!(
            store.save_instrument(city, "x", "1", "{not json", 1).await,
            Err(SurveyStoreError::DefinitionNotJson { .. })
        ));
        assert!(matches!(store.save_instrument(city, " ", "1", "{}", 1).await, Err(SurveyStoreError::Blank("code"))));
        assert!(matches!(store.save_instrument(city, "x", "", "{}", 1).await, Err(SurveyStoreError::Blank("version"))));

        let listed = store.instruments(city).await.unwrap();
        assert_eq!(listed, vec![second.clone(), first.clone()], "newest first");
        assert_eq!(store.instrument(city, first.id).await.unwrap(), Some(first));
        assert_eq!(store.instrument(city, 42).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn a_wave_moves_draft_open_closed_and_refuses_what_it_must() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let instrument = store.save_instrument(city, "service-model", "1", DEFINITION, 1_000).await.unwrap();
        let spring = NewWave {
            code: "2026-spring",
            instrument_id: instrument.id,
            title: "Көктем",
            access: WaveAccess::Open,
            opens_on: date(2026, 4, 1),
            closes_on: date(2026, 4, 30),
            synthetic: true,
        };
        let created = store.create_wave(city, &spring, 2_000).await.unwrap();
        assert_eq!(created.status, WaveStatus::Draft);
        assert_eq!((created.responses, created.invitations, created.invitations_used), (0, 0, 0));
        assert_eq!(store.wave(city, "2026-spring").await.unwrap(), Some(created.clone()));
        assert_eq!(store.wave(city, "nope").await.unwrap(), None);

        // Creation errors.
        assert!(matches!(
            store.create_wave(city, &spring, 2_000).await,
            Err(SurveyStoreError::DuplicateWave(code)) if code == "2026-spring"
        ));
        let orphan = NewWave { code: "orphan", instrument_id: 42, ..spring };
        assert!(matches!(store.create_wave(city, &orphan, 2_000).await, Err(SurveyStoreError::UnknownInstrument(42))));
        let backwards = NewWave { code: "backwards", closes_on: date(2026, 3, 31), ..spring };
        let err = store.create_wave(city, &backwards, 2_000).await.unwrap_err();
        assert_eq!(err.to_string(), "wave backwards closes on 2026-03-31, before it opens on 2026-04-01");
        assert!(matches!(
            store.create_wave(city, &NewWave { code: "t", title: " ", ..spring }, 2_000).await,
            Err(SurveyStoreError::Blank("title"))
        ));
        // Listed by opening day, then code.
        let winter =
            NewWave { code: "2026-winter", opens_on: date(2026, 1, 10), closes_on: date(2026, 2, 1), ..spring };
        let also_spring = NewWave { code: "2026-spring-b", ..spring };
        store.create_wave(city, &also_spring, 2_000).await.unwrap();
        store.create_wave(city, &winter, 2_000).await.unwrap();
        let codes: Vec<String> = store.waves(city).await.unwrap().into_iter().map(|wave| wave.code).collect();
        assert_eq!(codes, ["2026-winter", "2026-spring", "2026-spring-b"]);

        // A draft takes no response and cannot close.
        let draft_refused = store.insert_response(city, "2026-spring", &web(None)).await.unwrap_err();
        assert!(matches!(draft_refused, SurveyStoreError::WaveNotOpen { status: WaveStatus::Draft, .. }));
        assert!(matches!(
            store.set_wave_status(city, "2026-spring", WaveStatus::Closed).await,
            Err(SurveyStoreError::BadTransition { from: WaveStatus::Draft, to: WaveStatus::Closed, .. })
        ));
        assert!(matches!(
            store.set_wave_status(city, "nope", WaveStatus::Open).await,
            Err(SurveyStoreError::UnknownWave(code)) if code == "nope"
        ));
        // Open, back to draft while empty, open again.
        assert_eq!(
            store.set_wave_status(city, "2026-spring", WaveStatus::Open).await.unwrap().status,
            WaveStatus::Open
        );
        assert_eq!(
            store.set_wave_status(city, "2026-spring", WaveStatus::Draft).await.unwrap().status,
            WaveStatus::Draft
        );
        store.set_wave_status(city, "2026-spring", WaveStatus::Open).await.unwrap();
        let same = store.set_wave_status(city, "2026-spring", WaveStatus::Open).await.unwrap();
        assert_eq!(same.status, WaveStatus::Open, "asking for the status it has changes nothing");

        // Responses: an open wave ignores tokens; source ids are unique in the wave.
        let first = store.insert_response(city, "2026-spring", &web(Some("whatever"))).await.unwrap();
        let from_kobo = NewResponse { source_id: Some("uuid-1"), quadrant: None, ..web(None) };
        let second = store.insert_response(city, "2026-spring", &from_kobo).await.unwrap();
        assert!(matches!(
            store.insert_response(city, "2026-spring", &from_kobo).await,
            Err(SurveyStoreError::DuplicateSource { code, source_id }) if code == "2026-spring" && source_id == "uuid-1"
        ));
        // The same source id in another wave is another response.
        store.set_wave_status(city, "2026-spring-b", WaveStatus::Open).await.unwrap();
        store.insert_response(city, "2026-spring-b", &from_kobo).await.unwrap();
        // Answers must be a JSON object; an enumerator must be a staff user.
        let not_object = NewResponse { answers: "[4]", ..web(None) };
        assert!(matches!(
            store.insert_response(city, "2026-spring", &not_object).await,
            Err(SurveyStoreError::BadAnswers { row: 1 })
        ));
        let stranger = NewResponse { channel: Channel::Enumerator, enumerator: Some(42), ..web(None) };
        assert!(matches!(
            store.insert_response(city, "2026-spring", &stranger).await,
            Err(SurveyStoreError::UnknownEnumerator { row: 1, enumerator: 42 })
        ));
        let enumerator = enumerator(&store, city).await;
        let by_enumerator = NewResponse {
            channel: Channel::Enumerator,
            enumerator: Some(enumerator),
            age_band: None,
            sex: None,
            submitted_at_ms: 6_000,
            ..web(None)
        };
        let third = store.insert_response(city, "2026-spring", &by_enumerator).await.unwrap();
        assert!(matches!(store.insert_response(city, "nope", &web(None)).await, Err(SurveyStoreError::UnknownWave(_))));

        let stored = store.responses(city, "2026-spring").await.unwrap();
        let ids: Vec<i64> = stored.iter().map(|response| response.id).collect();
        assert_eq!(ids, [first, second, third], "in the order stored");
        assert_eq!(
            stored[2],
            StoredResponse {
                id: third,
                channel: Channel::Enumerator,
                quadrant: Some("TOY-W-Q1".into()),
                district: Some("TOY-W".into()),
                age_band: None,
                sex: None,
                answers: r#"{"trust_police": 4}"#.into(),
                submitted_at_ms: 6_000,
                enumerator: Some(enumerator),
            }
        );
        assert_eq!(
            store.response_counts(city, "2026-spring").await.unwrap(),
            vec![(None, 1), (Some("TOY-W-Q1".to_owned()), 2)],
            "no quadrant first"
        );
        assert_eq!(store.wave(city, "2026-spring").await.unwrap().unwrap().responses, 3);

        // With responses the wave cannot go back to draft; closed, it takes none; reopened, it does.
        assert!(matches!(
            store.set_wave_status(city, "2026-spring", WaveStatus::Draft).await,
            Err(SurveyStoreError::HasResponses { responses: 3, .. })
        ));
        store.set_wave_status(city, "2026-spring", WaveStatus::Closed).await.unwrap();
        let closed = store.insert_response(city, "2026-spring", &web(None)).await.unwrap_err();
        assert_eq!(closed.to_string(), "wave 2026-spring is closed, not open");
        assert!(matches!(
            store.set_wave_status(city, "2026-spring", WaveStatus::Draft).await,
            Err(SurveyStoreError::BadTransition { from: WaveStatus::Closed, to: WaveStatus::Draft, .. })
        ));
        store.set_wave_status(city, "2026-spring", WaveStatus::Open).await.unwrap();
        store.insert_response(city, "2026-spring", &web(None)).await.unwrap();
        assert_eq!(store.wave(city, "2026-spring").await.unwrap().unwrap().responses, 4);
        // Open waves have no invitations.
        assert!(matches!(
            store.issue_invitations(city, "2026-spring", 3, 7_000).await,
            Err(SurveyStoreError::NotByInvitation(_))
        ));
    })
    .await;
}

async fn enumerator(store: &Store, city: CityId) -> i64 {
    let user = StaffUser {
        login: "enum.1".into(),
        display_name: "Сәуле".into(),
        role: Role::DistrictInspector,
        scope: Scope::parse("quadrants:TOY-W-Q1").unwrap(),
        disabled: false,
    };
    store.add_staff_user(city, &user, 1_000).await.unwrap();
    store.staff_user_id(city, "enum.1").await.unwrap().unwrap()
}

#[tokio::test]
async fn invitation_tokens_are_stored_hashed_and_answer_once() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        open_wave(&store, city, "invited", WaveAccess::Invitation).await;
        assert!(matches!(
            store.issue_invitations(city, "invited", 10_001, 3_000).await,
            Err(SurveyStoreError::TooManyInvitations(10_001))
        ));
        assert!(matches!(store.issue_invitations(city, "nope", 1, 3_000).await, Err(SurveyStoreError::UnknownWave(_))));
        let tokens = store.issue_invitations(city, "invited", 3, 3_000).await.unwrap();
        assert_eq!(tokens.len(), 3);
        assert!(tokens.iter().all(
            |token| token.len() == 26 && token.chars().all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c))
        ));
        assert!(tokens[0] != tokens[1] && tokens[1] != tokens[2] && tokens[0] != tokens[2]);
        // Only hashes are stored.
        let mut stored: Vec<String> = store
            .query_strings_for_tests("SELECT token_hash FROM survey_invitation")
            .await
            .unwrap()
            .into_iter()
            .flatten()
            .collect();
        stored.sort();
        let mut hashes: Vec<String> = tokens.iter().map(|token| token_hash(token)).collect();
        hashes.sort();
        assert_eq!(stored, hashes);
        assert!(tokens.iter().all(|token| !stored.contains(token)));

        let state = |token: String| {
            let store = store.clone();
            async move { store.invitation_state(city, "invited", &token).await.unwrap() }
        };
        assert_eq!(state(tokens[0].clone()).await, InvitationState::Unused);
        assert_eq!(state("not-a-token".into()).await, InvitationState::Unknown);

        // From the web a token is required, and must be one of the wave.
        assert!(matches!(
            store.insert_response(city, "invited", &web(None)).await,
            Err(SurveyStoreError::TokenUnknown)
        ));
        assert!(matches!(
            store.insert_response(city, "invited", &web(Some("not-a-token"))).await,
            Err(SurveyStoreError::TokenUnknown)
        ));
        open_second_wave(&store, city).await;
        let other_wave = store.issue_invitations(city, "invited-2", 1, 3_000).await.unwrap();
        assert!(matches!(
            store.insert_response(city, "invited", &web(Some(&other_wave[0]))).await,
            Err(SurveyStoreError::TokenUnknown)
        ));
        assert_eq!(store.invitation_state(city, "invited", &other_wave[0]).await.unwrap(), InvitationState::Unknown);

        // One use each.
        let afternoon = NewResponse { submitted_at_ms: utc("2026-04-10 13:45"), ..web(Some(&tokens[0])) };
        store.insert_response(city, "invited", &afternoon).await.unwrap();
        assert_eq!(state(tokens[0].clone()).await, InvitationState::Used);
        // The token keeps the day of its use, not the response's time (which would lead from the token to it).
        let used_at = store
            .query_strings_for_tests("SELECT CAST(used_at AS TEXT) FROM survey_invitation WHERE used_at IS NOT NULL")
            .await
            .unwrap();
        assert_eq!(used_at, [Some(utc("2026-04-10 00:00").to_string())]);
        let err = store.insert_response(city, "invited", &web(Some(&tokens[0]))).await.unwrap_err();
        assert!(matches!(err, SurveyStoreError::TokenUsed));

        // A refused response does not use its token: the response and the token's use are one transaction.
        let with_source = NewResponse { source_id: Some("s-1"), ..web(Some(&tokens[1])) };
        store
            .insert_response(city, "invited", &NewResponse { source_id: Some("s-1"), ..web(Some(&tokens[2])) })
            .await
            .unwrap();
        assert!(matches!(
            store.insert_response(city, "invited", &with_source).await,
            Err(SurveyStoreError::DuplicateSource { .. })
        ));
        assert_eq!(state(tokens[1].clone()).await, InvitationState::Unused);

        // An enumerator's entry needs no token; imports look at none.
        let enumerator = enumerator(&store, city).await;
        let by_enumerator = NewResponse { channel: Channel::Enumerator, enumerator: Some(enumerator), ..web(None) };
        store.insert_response(city, "invited", &by_enumerator).await.unwrap();
        let import = store.import_responses(city, "invited", &[imported("k-1")]).await.unwrap();
        assert_eq!(import, ResponseImport { inserted: 1, already_present: 0 });

        let wave = store.wave(city, "invited").await.unwrap().unwrap();
        assert_eq!((wave.responses, wave.invitations, wave.invitations_used), (4, 3, 2));
        // No response row holds a token or its hash.
        let answers = store.query_strings_for_tests("SELECT answers FROM survey_response").await.unwrap();
        assert!(answers.iter().flatten().all(|text| tokens.iter().all(|token| !text.contains(token.as_str()))));
    })
    .await;
}

async fn open_second_wave(store: &Store, city: CityId) {
    let instrument = store.instruments(city).await.unwrap().remove(0);
    let wave = NewWave {
        code: "invited-2",
        instrument_id: instrument.id,
        title: "Second",
        access: WaveAccess::Invitation,
        opens_on: date(2026, 5, 1),
        closes_on: date(2026, 5, 31),
        synthetic: false,
    };
    store.create_wave(city, &wave, 2_000).await.unwrap();
    store.set_wave_status(city, "invited-2", WaveStatus::Open).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_submissions_with_one_token_exactly_one_wins() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        open_wave(&store, city, "invited", WaveAccess::Invitation).await;
        for round in 0..3 {
            let token = store.issue_invitations(city, "invited", 1, 3_000).await.unwrap().remove(0);
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    let (store, token) = (store.clone(), token.clone());
                    tokio::spawn(async move { store.insert_response(city, "invited", &web(Some(&token))).await })
                })
                .collect();
            let mut won = 0;
            let mut used = 0;
            for handle in handles {
                match handle.await.unwrap() {
                    Ok(_) => won += 1,
                    Err(SurveyStoreError::TokenUsed) => used += 1,
                    Err(other) => panic!("round {round}: unexpected {other:?}"),
                }
            }
            assert_eq!((won, used), (1, 7), "round {round}");
            assert_eq!(store.wave(city, "invited").await.unwrap().unwrap().responses, round + 1);
        }
    })
    .await;
}

#[tokio::test]
async fn an_import_is_idempotent_and_all_or_nothing() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let instrument = store.save_instrument(city, "service-model", "1", DEFINITION, 1_000).await.unwrap();
        let wave = NewWave {
            code: "field",
            instrument_id: instrument.id,
            title: "Field",
            access: WaveAccess::Open,
            opens_on: date(2026, 4, 1),
            closes_on: date(2026, 4, 30),
            synthetic: false,
        };
        store.create_wave(city, &wave, 2_000).await.unwrap();
        let batch = [imported("a"), imported("b"), imported("c")];
        assert!(matches!(
            store.import_responses(city, "field", &batch).await,
            Err(SurveyStoreError::WaveNotOpen { status: WaveStatus::Draft, .. })
        ));
        store.set_wave_status(city, "field", WaveStatus::Open).await.unwrap();
        assert_eq!(
            store.import_responses(city, "field", &batch).await.unwrap(),
            ResponseImport { inserted: 3, already_present: 0 }
        );
        // Late field data arrive after closing; what is stored is counted, not written again; a source id twice in
        // one file is written once.
        store.set_wave_status(city, "field", WaveStatus::Closed).await.unwrap();
        let again = [imported("a"), imported("b"), imported("c"), imported("d"), imported("d")];
        assert_eq!(
            store.import_responses(city, "field", &again).await.unwrap(),
            ResponseImport { inserted: 1, already_present: 4 }
        );
        assert_eq!(store.responses(city, "field").await.unwrap().len(), 4);

        // A failing row, after good ones, leaves nothing.
        let bad_enumerator = NewResponse { enumerator: Some(42), ..imported("g") };
        let failing = [imported("e"), imported("f"), bad_enumerator];
        assert!(matches!(
            store.import_responses(city, "field", &failing).await,
            Err(SurveyStoreError::UnknownEnumerator { row: 3, enumerator: 42 })
        ));
        let bad_answers = NewResponse { answers: "not json", ..imported("g") };
        let err = store.import_responses(city, "field", &[imported("e"), bad_answers]).await.unwrap_err();
        assert_eq!(err.to_string(), "response 2: the field answers is not a JSON object");
        assert_eq!(store.responses(city, "field").await.unwrap().len(), 4, "nothing of the failed imports");
        assert_eq!(
            store.import_responses(city, "field", &[imported("e")]).await.unwrap(),
            ResponseImport { inserted: 1, already_present: 0 },
            "e was not stored by the failed imports"
        );
        assert!(matches!(store.import_responses(city, "nope", &batch).await, Err(SurveyStoreError::UnknownWave(_))));
    })
    .await;
}

fn margin(district: &str, age_band: &str, sex: &str, population: f64) -> PopulationMargin {
    PopulationMargin { district: district.into(), age_band: age_band.into(), sex: sex.into(), population }
}

#[tokio::test]
async fn population_margins_are_replaced_whole() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let first = [
            margin("TOY-W", "18-29", "m", 1200.0),
            margin("TOY-E", "18-29", "f", 900.5),
            margin("TOY-E", "18-29", "m", 880.0),
        ];
        assert_eq!(store.replace_population_margins(city, &first, 1_000).await.unwrap(), 3);
        assert_eq!(
            store.population_margins(city).await.unwrap(),
            vec![first[1].clone(), first[2].clone(), first[0].clone()],
            "by district, age band and sex"
        );
        let second = [margin("TOY-W", "30-44", "f", 1500.0)];
        assert_eq!(store.replace_population_margins(city, &second, 2_000).await.unwrap(), 1);
        assert_eq!(store.population_margins(city).await.unwrap(), second.to_vec());
        // A duplicate refuses the whole replacement: what was stored stays.
        let duplicate = [margin("TOY-E", "18-29", "f", 1.0), margin("TOY-E", "18-29", "f", 2.0)];
        assert!(matches!(
            store.replace_population_margins(city, &duplicate, 3_000).await,
            Err(StorageError::Conflict { .. })
        ));
        assert_eq!(store.population_margins(city).await.unwrap(), second.to_vec());
    })
    .await;
}

fn design(code: &str, pilot: &[&str], control: &[&str]) -> EvaluationDesign {
    EvaluationDesign {
        code: code.into(),
        title: "Пилот Шығыс".into(),
        pilot: pilot.iter().map(|q| (*q).to_owned()).collect(),
        control: control.iter().map(|q| (*q).to_owned()).collect(),
        start: date(2026, 3, 1),
        buffer_metres: 500,
        updated_at_ms: 1_000,
    }
}

#[tokio::test]
async fn evaluation_designs_are_checked_and_saved_by_code() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let invalid = |problem: EvaluationProblem| {
            move |result: Result<(), SurveyStoreError>| {
                matches!(result, Err(SurveyStoreError::EvaluationInvalid(found)) if found == problem)
            }
        };
        assert!(invalid(EvaluationProblem::NoPilot)(
            store.save_evaluation(city, &design("p", &[], &["TOY-W-Q1"])).await
        ));
        assert!(invalid(EvaluationProblem::NoControl)(
            store.save_evaluation(city, &design("p", &["TOY-E-Q1"], &[" "])).await
        ));
        assert!(invalid(EvaluationProblem::InBoth("TOY-E-Q1".into()))(
            store.save_evaluation(city, &design("p", &["TOY-E-Q1"], &["TOY-W-Q1", "TOY-E-Q1"])).await
        ));
        assert!(invalid(EvaluationProblem::BlankCode)(
            store.save_evaluation(city, &design(" ", &["TOY-E-Q1"], &["TOY-W-Q1"])).await
        ));
        assert!(store.evaluations(city).await.unwrap().is_empty(), "nothing saved");

        store.save_evaluation(city, &design("pilot-e", &["TOY-E-Q1"], &["TOY-W-Q2", "TOY-W-Q1", "TOY-W-Q2"])).await.unwrap();
        let stored = store.evaluation(city, "pilot-e").await.unwrap().unwrap();
        assert_eq!(stored, design("pilot-e", &["TOY-E-Q1"], &["TOY-W-Q1", "TOY-W-Q2"]), "lists sorted, each once");
        // Saving the code again replaces the design.
        let changed = EvaluationDesign { title: "Renamed".into(), buffer_metres: 800, updated_at_ms: 2_000, ..stored };
        store.save_evaluation(city, &changed).await.unwrap();
        store.save_evaluation(city, &design("a-first", &["TOY-E-Q2"], &["TOY-W-Q3"])).await.unwrap();
        let all = store.evaluations(city).await.unwrap();
        assert_eq!(all.iter().map(|d| d.code.as_str()).collect::<Vec<_>>(), ["a-first", "pilot-e"]);
        assert_eq!(all[1], changed);
        assert_eq!(store.evaluation(city, "nope").await.unwrap(), None);
    })
    .await;
}

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

/// UTC epoch milliseconds of a UTC date and time `YYYY-MM-DD HH:MM`.
fn utc(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap().and_utc().timestamp_millis()
}

#[tokio::test]
async fn appeal_timings_replay_when_an_appeal_was_first_answered() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        assert!(store.appeal_timings(city, 0, i64::MAX).await.unwrap().is_empty());
        let (new, workflow) = new_appeal(date(2026, 4, 14), false);
        let create = |at_ms: i64| {
            let (store, new, workflow) = (store.clone(), new.clone(), workflow.clone());
            async move {
                store
                    .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), at_ms)
                    .await
                    .unwrap()
                    .appeal_id
            }
        };
        let answered = create(2_000).await;
        let open = create(3_000).await;
        let rejected = create(4_000).await;
        let reopened = create(4_500).await;
        let later = create(10_000).await;

        let calendar = WorkingCalendar::kazakhstan();
        let rules = WorkflowRules { reopen_working_days: 10 };
        let step = |appeal_id: i64, actor: Actor, action: Action, at_ms: i64| {
            let (store, calendar) = (store.clone(), calendar.clone());
            async move {
                store
                    .update_appeal(city, appeal_id, at_ms, |stored| {
                        Ok::<_, StorageError>(
                            stored.workflow.apply(&actor, &action, at_ms, date(2026, 4, 16), &calendar, rules).unwrap(),
                        )
                    })
                    .await
                    .unwrap();
            }
        };
        let officer = |agency: &str| Actor::AgencyOfficer { user: format!("{agency}-1"), agency: code(agency) };
        let (police, social) = (officer("POL_UIP"), officer("SOCIAL"));
        let answer = |agency: &str| Action::Answer { agency: code(agency), text: "Шешілді".into() };
        let accept = |agency: &str| Action::Accept { agency: code(agency) };

        // Social answers first; the police extend, then answer: the appeal is answered at 7 000, and its deadline is
        // the extended due day (the appeal's own due column fell back to the original one).
        step(answered, social.clone(), accept("SOCIAL"), 3_000).await;
        step(answered, social.clone(), answer("SOCIAL"), 4_000).await;
        step(answered, police.clone(), accept("POL_UIP"), 5_000).await;
        let extend =
            Action::Extend {
                agency: code("POL_UIP"), due: date(2026, 5, 20), reason: "Тексеру жүріп жатыр".into()
            };
        step(answered, police.clone(), extend, 6_000).await;
        step(answered, police.clone(), answer("POL_UIP"), 7_000).await;
        // Reopened and answered again, an appeal keeps its first answer time.
        for (agency, actor) in [("SOCIAL", &social), ("POL_UIP", &police)] {
            step(reopened, actor.clone(), accept(agency), 5_000).await;
            step(reopened, actor.clone(), answer(agency), 5_500).await;
        }
        step(reopened, Actor::Resident, Action::Reopen { reason: "Шешілмеді".into() }, 6_000).await;
        step(reopened, social.clone(), answer("SOCIAL"), 8_500).await;
        step(reopened, police.clone(), answer("POL_UIP"), 9_000).await;
        // Both agencies reject the third: rejected, never answered.
        let reject = |agency: &str| Action::Reject {
            agency: code(agency),
            reason: "Құзыретке жатпайды".into(),
            duplicate_of: None,
        };
        step(rejected, social.clone(), reject("SOCIAL"), 5_000).await;
        step(rejected, police.clone(), reject("POL_UIP"), 6_500).await;

        let timings = store.appeal_timings(city, 2_000, 10_000).await.unwrap();
        // The reopened appeal's deadline is its tasks' as they stand (the reopened work's term, from the workflow).
        let reopened_timing = timings.iter().find(|t| t.appeal_id == reopened).unwrap().clone();
        let stored = store.appeal(city, reopened).await.unwrap().unwrap();
        assert_eq!(reopened_timing.due_on, stored.workflow.tasks.iter().map(|task| task.due).max().unwrap());
        assert_eq!((reopened_timing.filed_at_ms, reopened_timing.rejected_at_ms), (4_500, None));
        let timing =
            |appeal_id, filed_at_ms, answered_at_ms, rejected_at_ms, due_on: NaiveDate, due_at: &str| AppealTiming {
                appeal_id,
                quadrant: Some("TOY-W-Q1".into()),
                district: Some("TOY-W".into()),
                filed_at_ms,
                answered_at_ms,
                rejected_at_ms,
                due_on,
                // The end of the due day in Asia/Almaty (UTC+5).
                due_at_ms: Some(utc(due_at)),
                synthetic: false,
            };
        assert_eq!(
            timings,
            vec![
                timing(answered, 2_000, Some(7_000), None, date(2026, 5, 20), "2026-05-20 19:00"),
                timing(open, 3_000, None, None, date(2026, 5, 5), "2026-05-05 19:00"),
                timing(rejected, 4_000, None, Some(6_500), date(2026, 5, 5), "2026-05-05 19:00"),
                AppealTiming { answered_at_ms: Some(5_500), ..reopened_timing.clone() },
            ],
            "filed in [from, to), oldest first; the extended due day counts once the appeal is answered"
        );
        assert!(!timings.iter().any(|t| t.appeal_id == later));
        assert_eq!(store.appeal_timings(city, 10_000, 10_001).await.unwrap().len(), 1);
    })
    .await;
}
