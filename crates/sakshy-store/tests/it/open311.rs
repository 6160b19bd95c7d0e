//! Open311's mySociety extensions: public history steps by time window with the appeal's state after each, and
//! the media URLs sent with a request.

use chrono::NaiveDate;
use sakshy_core::Code;
use sakshy_core::intake::Channel;
use sakshy_core::workflow::{Action, Actor, Appeal, AppealState, WorkflowError, WorkflowRules};
use sakshy_store::{CityId, StorageError, Store};

use crate::backend::{for_each_backend, toy_city};

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A toy-city appeal for the police and social protection, registered at `at_ms`.
async fn register(store: &Store, city: CityId, at_ms: i64) -> (i64, String) {
    register_with(store, city, at_ms, &[]).await
}

/// As `register`, with media URLs.
async fn register_with(store: &Store, city: CityId, at_ms: i64, media_urls: &[String]) -> (i64, String) {
    let (mut new, _) = crate::appeal::new_appeal(date(2026, 4, 14), false);
    new.submission.channel = Channel::Open311;
    let workflow = Appeal::register(
        new.agencies.clone(),
        new.location.quadrant.clone(),
        new.location.district.clone(),
        new.clocks,
        at_ms,
        &Actor::Resident,
    );
    let attachments = sakshy_store::Attachments { media_urls, ..Default::default() };
    let created =
        store.create_appeal(city, "TOY", &new, &workflow, None, false, None, attachments, at_ms).await.unwrap();
    (created.appeal_id, created.receipt)
}

/// Why a step failed, shown by `unwrap`.
#[derive(Debug)]
enum Failure {
    Workflow(#[expect(dead_code, reason = "shown by Debug when a step fails")] WorkflowError),
    Storage(#[expect(dead_code, reason = "shown by Debug when a step fails")] StorageError),
}

impl From<StorageError> for Failure {
    fn from(err: StorageError) -> Self {
        Failure::Storage(err)
    }
}

async fn step(store: &Store, city: CityId, appeal_id: i64, actor: &Actor, action: Action, at_ms: i64) {
    let calendar = sakshy_core::calendar::WorkingCalendar::kazakhstan();
    let rules = WorkflowRules { reopen_working_days: 10 };
    store
        .update_appeal(city, appeal_id, at_ms, |stored| {
            stored.workflow.apply(actor, &action, at_ms, date(2026, 4, 15), &calendar, rules).map_err(Failure::Workflow)
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn public_steps_come_by_time_window_with_the_state_after_each() {
    for_each_backend(|store| async move {
        let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
        let (first, receipt) = register(&store, city, 10_000).await;
        let (second, other) = register(&store, city, 10_500).await;
        let police = Actor::DistrictInspector {
            user: "uip-1".into(),
            agency: code("POL_UIP"),
            quadrants: vec![code("TOY-W-Q1")],
        };
        let social = Actor::AgencyOfficer { user: "soc-1".into(), agency: code("SOCIAL") };
        step(&store, city, first, &police, Action::Accept { agency: code("POL_UIP") }, 11_000).await;
        step(
            &store,
            city,
            first,
            &police,
            Action::Assign { agency: code("POL_UIP"), officer: code("TOY-00001") },
            12_000,
        )
        .await;
        step(
            &store,
            city,
            first,
            &police,
            Action::Answer { agency: code("POL_UIP"), text: "A fine was issued.".into() },
            13_000,
        )
        .await;
        step(
            &store,
            city,
            first,
            &social,
            Action::Reject { agency: code("SOCIAL"), reason: "Not for social protection.".into(), duplicate_of: None },
            14_000,
        )
        .await;
        step(&store, city, first, &Actor::Resident, Action::Close, 15_000).await;
        // An internal comment (staff notes) must never be read for Open311.
        store.execute_raw_for_tests("UPDATE appeal_event SET internal_comment = 'INTERNAL-MARKER'").await.unwrap();

        let all = store.request_updates(city, 0, 100_000, 1_000).await.unwrap();
        let seen: Vec<(&str, u32, &str, AppealState, i64)> =
            all.iter().map(|u| (u.receipt.as_str(), u.event_no, u.action, u.state, u.at_ms)).collect();
        use AppealState::*;
        assert_eq!(
            seen,
            [
                (receipt.as_str(), 0, "register", Registered, 10_000),
                (receipt.as_str(), 1, "register", Registered, 10_000),
                (other.as_str(), 0, "register", Registered, 10_500),
                (other.as_str(), 1, "register", Registered, 10_500),
                (receipt.as_str(), 2, "accept", InProgress, 11_000),
                // 3 is the assignment: internal, not published.
                (receipt.as_str(), 4, "answer", Registered, 13_000),
                (receipt.as_str(), 5, "reject", Answered, 14_000),
                (receipt.as_str(), 6, "close", Closed, 15_000),
            ],
            "oldest first, public actions only, the appeal's state after each"
        );
        assert_eq!(all[5].public_comment.as_deref(), Some("A fine was issued."));
        assert_eq!(all[5].agency, Some(code("POL_UIP")));
        assert_eq!((all[0].appeal_id, all[2].appeal_id), (first, second));
        assert!(!format!("{all:?}").contains("INTERNAL-MARKER") && !format!("{all:?}").contains("uip-1"));
        // The window is [from, to): consecutive windows neither miss nor repeat a step.
        let window: Vec<u32> =
            store.request_updates(city, 11_000, 14_000, 1_000).await.unwrap().iter().map(|u| u.event_no).collect();
        assert_eq!(window, [2, 4]);
        let later: Vec<u32> =
            store.request_updates(city, 14_000, 15_001, 1_000).await.unwrap().iter().map(|u| u.event_no).collect();
        assert_eq!(later, [5, 6]);
        // A limit keeps the oldest.
        let page = store.request_updates(city, 0, 100_000, 3).await.unwrap();
        assert_eq!(
            page.iter().map(|u| (u.appeal_id, u.event_no)).collect::<Vec<_>>(),
            [(first, 0), (first, 1), (second, 0)]
        );
        assert!(store.request_updates(city, 20_000, 30_000, 1_000).await.unwrap().is_empty());
        assert!(store.request_updates(CityId(city.0 + 1), 0, 100_000, 1_000).await.unwrap().is_empty(), "per city");
    })
    .await;
}

#[tokio::test]
async fn media_urls_are_stored_with_their_appeal_in_order() {
    for_each_backend(|store| async move {
        let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
        let urls =
            vec!["https://fms.example/photo/1.jpeg".to_owned(), "http://fms.example/photo/2.jpeg?x=1".to_owned()];
        let (with, _) = register_with(&store, city, 10_000, &urls).await;
        let (without, _) = register(&store, city, 10_001).await;
        assert_eq!(store.media_urls(city, with).await.unwrap(), urls);
        assert!(store.media_urls(city, without).await.unwrap().is_empty());
    })
    .await;
}
