//! The outbox: written with the event, claimed under a lease, retried with back-off, dead after too many
//! failures, and redelivered when a worker dies holding a lease.

use chrono::NaiveDate;
use geo_types::Point;
use sakshy_core::Code;
use sakshy_core::category::LegalTrack;
use sakshy_core::intake::{Channel, Contact, LocationInput, NewAppeal, ResolvedLocation, Submission};
use sakshy_core::workflow::{Action, Actor, Appeal, Clocks, WorkflowRules};
use sakshy_store::{OutboxState, StorageError, Store};

use crate::backend::{for_each_backend, toy_city};

fn code(text: &str) -> Code {
    Code::parse(text).unwrap()
}

async fn appeal_with_email(store: &Store) -> (sakshy_store::CityId, i64, Appeal) {
    let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
    store.add_webhook(city, "http://127.0.0.1:9/hook", "s3cret", 1_000).await.unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 4, 14).unwrap();
    let calendar = sakshy_core::calendar::WorkingCalendar::kazakhstan();
    let clocks = Clocks::new(&calendar, day, 15).unwrap();
    let new = NewAppeal {
        submission: Submission {
            category: code("NOISE"),
            description: "Шу".into(),
            location: LocationInput::Point(Point::new(69.52, 42.25)),
            lang: sakshy_core::Lang::Ru,
            contact: Some(Contact { name: None, phone: None, email: Some("resident@example.kz".into()) }),
            consent: true,
            channel: Channel::Api,
        },
        track: LegalTrack::Administrative,
        location: ResolvedLocation {
            point: Some(Point::new(69.52, 42.25)),
            address: None,
            police_point: None,
            quadrant: None,
            district: None,
        },
        agencies: vec![code("POL_UIP")],
        clocks,
    };
    let workflow = Appeal::register(new.agencies.clone(), None, None, clocks, 1_000, &Actor::Resident);
    let created = store
        .create_appeal(city, "TOY", &new, &workflow, None, false, None, sakshy_store::Attachments::default(), 1_000)
        .await
        .unwrap();
    (city, created.appeal_id, workflow)
}

#[tokio::test]
async fn a_registration_queues_an_email_and_a_webhook_in_the_same_transaction() {
    for_each_backend(|store| async move {
        let (city, appeal_id, _) = appeal_with_email(&store).await;
        let queued = store.outbox_messages(city).await.unwrap();
        let channels: Vec<(&str, &str)> = queued.iter().map(|m| (m.channel.as_str(), m.destination.as_str())).collect();
        assert_eq!(channels, [("email", "resident@example.kz"), ("webhook", "http://127.0.0.1:9/hook")]);
        assert!(
            queued.iter().all(|m| m.event_key == "TOY-2026-000001:0:registered" && m.state == OutboxState::Pending)
        );
        let payload: serde_json::Value = serde_json::from_str(&queued[0].payload).unwrap();
        assert_eq!((payload["kind"].as_str(), payload["lang"].as_str()), (Some("registered"), Some("ru")));
        // A move that notifies nobody adds nothing; an extension adds a notice.
        let calendar = sakshy_core::calendar::WorkingCalendar::kazakhstan();
        let rules = WorkflowRules { reopen_working_days: 10 };
        let boss = Actor::Supervisor { user: "sup".into(), district: None };
        let day = NaiveDate::from_ymd_opt(2026, 4, 15).unwrap();
        let step = |action: Action| {
            let store = &store;
            let boss = &boss;
            let calendar = &calendar;
            async move {
                store
                    .update_appeal(city, appeal_id, 2_000, |stored| {
                        Ok::<_, StorageError>(
                            stored.workflow.apply(boss, &action, 2_000, day, calendar, rules).unwrap(),
                        )
                    })
                    .await
                    .unwrap()
            }
        };
        step(Action::Accept { agency: code("POL_UIP") }).await;
        assert_eq!(store.outbox_messages(city).await.unwrap().len(), 2);
        let limit = NaiveDate::from_ymd_opt(2026, 6, 14).unwrap();
        step(Action::Extend { agency: code("POL_UIP"), due: limit, reason: "Expert needed.".into() }).await;
        let queued = store.outbox_messages(city).await.unwrap();
        assert_eq!(queued.len(), 4);
        assert_eq!(queued[2].event_key, "TOY-2026-000001:2:extended");
    })
    .await;
}

#[tokio::test]
async fn claims_lease_retries_back_off_and_dead_letters() {
    for_each_backend(|store| async move {
        let (city, _, _) = appeal_with_email(&store).await;
        let now = 10_000;
        let claimed = store.claim_outbox(city, now, 30_000, 10).await.unwrap();
        assert_eq!(claimed.len(), 2);
        assert!(store.claim_outbox(city, now + 1, 30_000, 10).await.unwrap().is_empty(), "leased");
        // The worker that held the lease died; after the lease runs out both are claimed again.
        let again = store.claim_outbox(city, now + 30_001, 30_000, 10).await.unwrap();
        assert_eq!(again.len(), 2, "nothing is lost when a worker dies mid-delivery");
        let email = again.iter().find(|m| m.channel == "email").unwrap();
        store.mark_delivered(city, email.outbox_id, now + 30_002).await.unwrap();
        let mut message = again.iter().find(|m| m.channel == "webhook").unwrap().clone();
        assert_eq!(
            store.mark_failed(city, &message, "connection refused", now + 30_002).await.unwrap(),
            OutboxState::Pending
        );
        assert!(store.claim_outbox(city, now + 30_003, 30_000, 10).await.unwrap().is_empty(), "backing off");
        let retried = store.claim_outbox(city, now + 30_002 + 20_000, 30_000, 10).await.unwrap();
        assert_eq!(retried.len(), 1, "after 2^1 × 10 s");
        message = retried[0].clone();
        assert_eq!(message.attempts, 1);
        assert_eq!(message.last_error.as_deref(), Some("connection refused"));
        let mut state = OutboxState::Pending;
        while state == OutboxState::Pending {
            state = store.mark_failed(city, &message, "still refused", 0).await.unwrap();
            message.attempts += 1;
        }
        assert_eq!((state, message.attempts), (OutboxState::Dead, 8));
        let states: Vec<(String, OutboxState)> =
            store.outbox_messages(city).await.unwrap().iter().map(|m| (m.channel.clone(), m.state)).collect();
        assert_eq!(states, [("email".to_owned(), OutboxState::Delivered), ("webhook".to_owned(), OutboxState::Dead)]);
    })
    .await;
}
