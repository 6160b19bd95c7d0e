//! Appeals: receipts per city and year, tracking tokens, idempotent registration, workflow updates that only
//! append to history, contact kept apart, diversion counts.

use chrono::NaiveDate;
use geo_types::Point;
use sakshy_core::Code;
use sakshy_core::category::LegalTrack;
use sakshy_core::intake::{Channel, Contact, LocationInput, NewAppeal, ResolvedLocation, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Action, Actor, Appeal, AppealState, Clocks, TaskState, WorkflowError, WorkflowRules};
use sakshy_store::{Attachments, CityId, Idempotency, StorageError, Store};

use crate::backend::{for_each_backend, toy_city};

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn new_appeal(registered_on: NaiveDate, contact: bool) -> (NewAppeal, Appeal) {
    let clocks = Clocks {
        registered_on,
        due: registered_on + chrono::Days::new(21),
        redirect_by: registered_on + chrono::Days::new(3),
        extension_limit: registered_on + chrono::Months::new(2),
    };
    let new = NewAppeal {
        submission: Submission {
            category: code("NOISE"),
            description: "Түнде қатты музыка".into(),
            location: LocationInput::Point(Point::new(69.52, 42.25)),
            lang: sakshy_core::Lang::Kk,
            contact: contact.then(|| Contact {
                name: Some("Айгүл".into()),
                phone: Some(Phone::parse("+7 701 000 00 00").unwrap()),
                email: None,
            }),
            consent: contact,
            channel: Channel::Api,
        },
        track: LegalTrack::Administrative,
        location: ResolvedLocation {
            point: Some(Point::new(69.52, 42.25)),
            address: None,
            police_point: None,
            quadrant: Some(code("TOY-W-Q1")),
            district: Some(code("TOY-W")),
        },
        agencies: vec![code("POL_UIP"), code("SOCIAL")],
        clocks,
    };
    let workflow = Appeal::register(
        new.agencies.clone(),
        new.location.quadrant.clone(),
        new.location.district.clone(),
        clocks,
        1_000,
        &Actor::Resident,
    );
    (new, workflow)
}

pub(crate) async fn city(store: &Store) -> CityId {
    store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id
}

#[tokio::test]
async fn receipts_count_per_city_and_year_and_tokens_find_the_appeal() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 12, 30), true);
        let first = store
            .create_appeal(city, "TOY", &new, &workflow, Some(7), false, None, Attachments::default(), 2_000)
            .await
            .unwrap();
        let second = store
            .create_appeal(city, "TOY", &new, &workflow, Some(7), false, None, Attachments::default(), 2_001)
            .await
            .unwrap();
        assert_eq!((first.receipt.as_str(), second.receipt.as_str()), ("TOY-2026-000001", "TOY-2026-000002"));
        let (new_year, workflow_2027) = new_appeal(date(2027, 1, 4), false);
        let third = store
            .create_appeal(city, "TOY", &new_year, &workflow_2027, None, false, None, Attachments::default(), 2_002)
            .await
            .unwrap();
        assert_eq!(third.receipt, "TOY-2027-000001");
        assert!(!first.replayed);
        assert_ne!(first.tracking_token, second.tracking_token);
        let found = store.appeal_by_token(city, &first.tracking_token).await.unwrap().unwrap();
        assert_eq!(found.receipt, "TOY-2026-000001");
        assert_eq!(found.workflow, workflow, "tasks, clocks and history come back as stored");
        assert_eq!(found.quadrant_version_id, Some(7));
        assert_eq!(found.point, Some((69.52, 42.25)));
        assert!(store.appeal_by_token(city, "not-a-token").await.unwrap().is_none());
        // Contact details live apart; an anonymous appeal has none.
        let contact = store.appeal_contact(city, first.appeal_id).await.unwrap().unwrap();
        assert_eq!(contact.name.as_deref(), Some("Айгүл"));
        assert!(store.appeal_contact(city, third.appeal_id).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn a_retried_submission_returns_the_first_answer_and_creates_nothing() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        let idem = Idempotency { key: "key-1", request_hash: "hash-a" };
        let first = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, Some(idem), Attachments::default(), 2_000)
            .await
            .unwrap();
        let again = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, Some(idem), Attachments::default(), 2_500)
            .await
            .unwrap();
        assert!(again.replayed);
        assert_eq!(
            (again.receipt.as_str(), again.tracking_token.as_str(), again.due_on),
            (first.receipt.as_str(), first.tracking_token.as_str(), first.due_on)
        );
        let next = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 3_000)
            .await
            .unwrap();
        assert_eq!(next.receipt, "TOY-2026-000002", "the replay consumed no receipt number");
        let other = Idempotency { key: "key-1", request_hash: "hash-b" };
        let err = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, Some(other), Attachments::default(), 3_000)
            .await
            .unwrap_err();
        assert!(matches!(err, StorageError::Conflict { .. }), "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn concurrent_registrations_commit_together_and_one_failure_costs_no_other() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        // 40 registrations at once: one for a city that does not exist (a foreign-key failure inside whichever
        // batch takes it), two with the same idempotency key for different requests.
        let mut handles = Vec::new();
        for i in 0..40_i64 {
            let (store, new, workflow) = (store.clone(), new.clone(), workflow.clone());
            handles.push(tokio::spawn(async move {
                let target = if i == 17 { CityId(999_999_999) } else { city };
                let key = format!("burst-{}", i.min(31));
                let hash = format!("hash-{i}");
                let idem = (i >= 30).then(|| Idempotency { key: &key, request_hash: &hash });
                store
                    .create_appeal(target, "TOY", &new, &workflow, None, false, idem, Attachments::default(), 5_000 + i)
                    .await
            }));
        }
        let mut receipts = Vec::new();
        let mut failures = Vec::new();
        for (i, handle) in handles.into_iter().enumerate() {
            match handle.await.unwrap() {
                Ok(created) => receipts.push(created.receipt),
                Err(err) => failures.push((i, err)),
            }
        }
        assert!(store.batched_commits() > 0, "concurrent registrations shared a transaction");
        // The bad city failed alone; of keys burst-31 (i = 31..39, each a different request) the first wins and
        // the rest are refused; everything else was registered.
        assert!(matches!(failures.first(), Some((17, StorageError::Database(_)))), "{failures:?}");
        let conflicts = failures.iter().filter(|(_, e)| matches!(e, StorageError::Conflict { .. })).count();
        assert_eq!((failures.len(), conflicts), (9, 8), "{failures:?}");
        assert_eq!(receipts.len(), 31);
        // Numbers are consecutive: no registration of a failed batch kept the number it had drawn.
        receipts.sort();
        let expected: Vec<String> = (1..=31).map(|n| format!("TOY-2026-{n:06}")).collect();
        assert_eq!(receipts, expected);
        // A burst with nothing wrong: shared transactions, every registration stored once.
        let before = store.batched_commits();
        let burst: Vec<_> = (0..20_i64)
            .map(|i| {
                let (store, new, workflow) = (store.clone(), new.clone(), workflow.clone());
                tokio::spawn(async move {
                    store
                        .create_appeal(
                            city,
                            "TOY",
                            &new,
                            &workflow,
                            None,
                            false,
                            None,
                            Attachments::default(),
                            6_000 + i,
                        )
                        .await
                })
            })
            .collect();
        let mut more = Vec::new();
        for handle in burst {
            more.push(handle.await.unwrap().unwrap().receipt);
        }
        assert!(store.batched_commits() > before);
        more.sort();
        assert_eq!(more, (32..=51).map(|n| format!("TOY-2026-{n:06}")).collect::<Vec<_>>());
        let listed = store.list_appeals(city, &sakshy_store::AppealFilter::default(), None, 100).await.unwrap();
        assert_eq!(listed.len(), 51);
    })
    .await;
}

#[tokio::test]
async fn workflow_updates_write_tasks_and_append_history_or_nothing() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        let created = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 2_000)
            .await
            .unwrap();
        let calendar = sakshy_core::calendar::WorkingCalendar::kazakhstan();
        let rules = WorkflowRules { reopen_working_days: 10 };
        let social = Actor::AgencyOfficer { user: "soc-1".into(), agency: code("SOCIAL") };
        let accept = Action::Accept { agency: code("SOCIAL") };
        let updated = store
            .update_appeal(city, created.appeal_id, 3_000, |stored| {
                stored
                    .workflow
                    .apply(&social, &accept, 3_000, date(2026, 4, 15), &calendar, rules)
                    .map_err(Failure::Workflow)
            })
            .await
            .unwrap();
        assert_eq!(updated.workflow.tasks[1].state, TaskState::Accepted);
        assert_eq!(updated.workflow.state(), AppealState::InProgress);
        let reloaded = store.appeal(city, created.appeal_id).await.unwrap().unwrap();
        assert_eq!(reloaded.workflow, updated.workflow);
        assert_eq!(reloaded.workflow.history.len(), 3);
        // A refused step writes nothing.
        let refused = store
            .update_appeal(city, created.appeal_id, 4_000, |stored| {
                stored
                    .workflow
                    .apply(&social, &accept, 4_000, date(2026, 4, 15), &calendar, rules)
                    .map_err(Failure::Workflow)
            })
            .await
            .unwrap_err();
        assert!(matches!(refused, Failure::Workflow(WorkflowError::InvalidTransition { .. })));
        assert_eq!(store.appeal(city, created.appeal_id).await.unwrap().unwrap().workflow, reloaded.workflow);
        let missing =
            store.update_appeal(city, 42, 5_000, |stored| Ok::<_, Failure>(stored.workflow.clone())).await.unwrap_err();
        assert!(matches!(missing, Failure::Storage(StorageError::NotFound { .. })));
    })
    .await;
}

#[tokio::test]
async fn diversions_are_counted_without_anything_else() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        for _ in 0..3 {
            store.record_diversion(city, &code("CRIME_NOW"), date(2026, 4, 14)).await.unwrap();
        }
        store.record_diversion(city, &code("MISSING"), date(2026, 4, 14)).await.unwrap();
        let counts = store.diversion_counts(city).await.unwrap();
        assert_eq!(counts, vec![(date(2026, 4, 14), code("CRIME_NOW"), 3), (date(2026, 4, 14), code("MISSING"), 1)]);
    })
    .await;
}

#[derive(Debug)]
enum Failure {
    Workflow(WorkflowError),
    Storage(StorageError),
}

impl From<StorageError> for Failure {
    fn from(err: StorageError) -> Self {
        Failure::Storage(err)
    }
}

#[tokio::test]
async fn open_appeals_near_a_place_are_found_by_cell_and_state() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        let near = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 2_000)
            .await
            .unwrap();
        let mut far = new.clone();
        far.location.point = Some(Point::new(69.60, 42.35));
        store
            .create_appeal(city, "TOY", &far, &workflow, None, false, None, Attachments::default(), 2_000)
            .await
            .unwrap();
        let found = store.open_appeals_near(city, &code("NOISE"), (69.5201, 42.2501), 150.0, 0).await.unwrap();
        assert_eq!(found.iter().map(|a| a.receipt.as_str()).collect::<Vec<_>>(), [near.receipt.as_str()]);
        assert_eq!(found[0].point, (69.52, 42.25));
        assert!(store.open_appeals_near(city, &code("LIGHTING"), (69.52, 42.25), 150.0, 0).await.unwrap().is_empty());
        assert!(
            store.open_appeals_near(city, &code("NOISE"), (69.52, 42.25), 150.0, 2_001).await.unwrap().is_empty(),
            "too old"
        );
        // A rejected appeal is no longer offered.
        let calendar = sakshy_core::calendar::WorkingCalendar::kazakhstan();
        let rules = WorkflowRules { reopen_working_days: 10 };
        let supervisor = Actor::Supervisor { user: "sup".into(), district: None };
        for agency in ["POL_UIP", "SOCIAL"] {
            let reject = Action::Reject { agency: code(agency), reason: "Duplicate.".into(), duplicate_of: None };
            store
                .update_appeal(city, near.appeal_id, 3_000, |stored| {
                    stored
                        .workflow
                        .apply(&supervisor, &reject, 3_000, date(2026, 4, 15), &calendar, rules)
                        .map_err(Failure::Workflow)
                })
                .await
                .unwrap();
        }
        assert!(store.open_appeals_near(city, &code("NOISE"), (69.52, 42.25), 150.0, 0).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn appeals_list_by_filter_with_keyset_pages_and_cyrillic_search() {
    use sakshy_store::{AppealCursor, AppealFilter};
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (mut new, workflow) = new_appeal(date(2026, 4, 14), true);
        let mut receipts = Vec::new();
        for i in 0..5 {
            new.submission.description =
                if i == 2 { "ҚАРАҢҒЫ КӨШЕ, шам жоқ".into() } else { format!("Шу {i}") };
            receipts.push(
                store
                    .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 10_000 + i)
                    .await
                    .unwrap()
                    .receipt,
            );
        }
        let all = store.list_appeals(city, &AppealFilter::default(), None, 10).await.unwrap();
        assert_eq!(
            all.iter().map(|a| a.receipt.as_str()).collect::<Vec<_>>(),
            receipts.iter().rev().map(String::as_str).collect::<Vec<_>>()
        );
        // Two pages of two, then one.
        let page1 = store.list_appeals(city, &AppealFilter::default(), None, 2).await.unwrap();
        let cursor = |page: &[sakshy_store::AppealSummary]| {
            let last = page.last().unwrap();
            AppealCursor { created_at_ms: last.created_at_ms, appeal_id: last.appeal_id }
        };
        let page2 = store.list_appeals(city, &AppealFilter::default(), Some(cursor(&page1)), 2).await.unwrap();
        let page3 = store.list_appeals(city, &AppealFilter::default(), Some(cursor(&page2)), 2).await.unwrap();
        let paged: Vec<_> = page1.iter().chain(&page2).chain(&page3).map(|a| a.receipt.clone()).collect();
        assert_eq!(paged, all.iter().map(|a| a.receipt.clone()).collect::<Vec<_>>());
        // Case folding in Rust: lower-case Kazakh finds upper-case Kazakh.
        let found = store
            .list_appeals(city, &AppealFilter { text: Some("қараңғы".into()), ..Default::default() }, None, 10)
            .await
            .unwrap();
        assert_eq!(found.iter().map(|a| a.receipt.as_str()).collect::<Vec<_>>(), [receipts[2].as_str()]);
        let by_receipt = store
            .list_appeals(
                city,
                &AppealFilter { text: Some(receipts[4].to_lowercase()), ..Default::default() },
                None,
                10,
            )
            .await
            .unwrap();
        assert_eq!(by_receipt.len(), 1);
        let wildcard = store
            .list_appeals(city, &AppealFilter { text: Some("%".into()), ..Default::default() }, None, 10)
            .await
            .unwrap();
        assert!(wildcard.is_empty(), "% is a character, not a wildcard");
        let social =
            AppealFilter { agency: Some(code("SOCIAL")), quadrant: Some(code("TOY-W-Q1")), ..Default::default() };
        assert_eq!(store.list_appeals(city, &social, None, 10).await.unwrap().len(), 5);
        let other = AppealFilter { agency: Some(code("AKIM_W")), ..Default::default() };
        assert!(store.list_appeals(city, &other, None, 10).await.unwrap().is_empty());
        // By channel and by police point: every fixture came through the API at no point.
        let api = AppealFilter { channel: Some("api".into()), ..Default::default() };
        assert_eq!(store.list_appeals(city, &api, None, 10).await.unwrap().len(), 5);
        let walk_ins = AppealFilter { channel: Some("staff".into()), ..Default::default() };
        assert!(store.list_appeals(city, &walk_ins, None, 10).await.unwrap().is_empty());
        let at_point = AppealFilter { police_points: vec![code("TOY-PP-1")], ..Default::default() };
        assert!(store.count_appeals_by_state(city, &at_point).await.unwrap().is_empty());
        // Due 5 May (registered 14 April + 21 days in this fixture): overdue from 6 May.
        let overdue = |day| AppealFilter { overdue_on: Some(day), ..Default::default() };
        assert!(store.list_appeals(city, &overdue(date(2026, 5, 5)), None, 10).await.unwrap().is_empty());
        assert_eq!(store.list_appeals(city, &overdue(date(2026, 5, 6)), None, 10).await.unwrap().len(), 5);
        let registered = AppealFilter { state: Some("registered".into()), ..Default::default() };
        assert_eq!(store.list_appeals(city, &registered, None, 10).await.unwrap().len(), 5);
        // Counts per state follow the same filters.
        let counts = store.count_appeals_by_state(city, &AppealFilter::default()).await.unwrap();
        assert_eq!(counts, [("registered".to_owned(), 5)]);
        let counts = store.count_appeals_by_state(city, &overdue(date(2026, 5, 5))).await.unwrap();
        assert!(counts.is_empty());
        let dark = AppealFilter { text: Some("қараңғы".into()), ..Default::default() };
        assert_eq!(store.count_appeals_by_state(city, &dark).await.unwrap(), [("registered".to_owned(), 1)]);
        assert!(store.count_appeals_by_state(city, &other).await.unwrap().is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_later_rating_replaces_an_earlier_one() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        let created = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 2_000)
            .await
            .unwrap();
        assert_eq!(store.feedback(city, created.appeal_id).await.unwrap(), None);
        store.record_feedback(city, created.appeal_id, 2, Some("Still loud."), 3_000).await.unwrap();
        store.record_feedback(city, created.appeal_id, 4, None, 4_000).await.unwrap();
        assert_eq!(store.feedback(city, created.appeal_id).await.unwrap(), Some((4, None)));
    })
    .await;
}

#[tokio::test]
async fn photos_are_stored_with_the_appeal_as_bytes() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (new, workflow) = new_appeal(date(2026, 4, 14), true);
        let photo = sakshy_store::Photo {
            content_type: "image/jpeg".into(),
            width: 2,
            height: 1,
            bytes: vec![0xFF, 0xD8, 0, 1, 2, 0xFF, 0xD9],
        };
        let created = store
            .create_appeal(
                city,
                "TOY",
                &new,
                &workflow,
                None,
                false,
                None,
                Attachments { photos: std::slice::from_ref(&photo), ..Default::default() },
                2_000,
            )
            .await
            .unwrap();
        assert_eq!(store.photo_count(city, created.appeal_id).await.unwrap(), 1);
        assert_eq!(store.appeal_photo(city, created.appeal_id, 0).await.unwrap(), Some(photo));
        assert_eq!(store.appeal_photo(city, created.appeal_id, 1).await.unwrap(), None);
    })
    .await;
}
