//! Retention: personal data erased from appeals finished long ago, statistics kept, nothing else touched.

use chrono::NaiveDate;
use sakshy_store::{Attachments, Photo, RetentionSummary};

use crate::appeal::{city, new_appeal};
use crate::backend::for_each_backend;

#[tokio::test]
async fn personal_data_of_appeals_finished_long_ago_are_erased_and_the_statistics_kept() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let (mut new, workflow) = new_appeal(NaiveDate::from_ymd_opt(2026, 4, 14).unwrap(), true);
        new.submission.contact.as_mut().unwrap().email = Some("aigul@example.kz".into());
        new.submission.description = "Айгүл from flat 12: music every night".into();
        let photo = Photo { content_type: "image/jpeg".into(), width: 1, height: 1, bytes: vec![0xFF, 0xD8, 0xFF, 0xD9] };
        let photos = [photo];
        let attachments = Attachments { photos: &photos, media_urls: &[] };
        let old = store.create_appeal(city, "TOY", &new, &workflow, None, false, None, attachments, 1_000).await.unwrap();
        let recent =
            store.create_appeal(city, "TOY", &new, &workflow, None, false, None, attachments, 2_000).await.unwrap();
        store.record_feedback(city, old.appeal_id, 4, Some("Thanks, Айгүл"), 3_000).await.unwrap();
        // The old appeal was answered, reopened by the resident in their own words, then closed; the notice to the
        // resident's address was delivered.
        let events = store.appeal(city, old.appeal_id).await.unwrap().unwrap().workflow.history.len();
        for sql in [
            format!(
                "INSERT INTO appeal_event (city_id, appeal_id, event_no, happened_at, actor, action, agency_code, \
                 from_state, to_state, public_comment, internal_comment) VALUES ({}, {}, {events}, 3000, 'resident', 'reopen', \
                 NULL, NULL, NULL, 'still loud, ask Айгүл', NULL)",
                city.0, old.appeal_id
            ),
            format!("UPDATE appeal SET closed = 1, state = 'answered', updated_at = 4000 WHERE appeal_id = {}", old.appeal_id),
            "UPDATE outbox SET state = 'delivered'".to_owned(),
            // Two incidents with an address that names a flat: one long ago, one recent.
            format!(
                "INSERT INTO incident (city_id, incident_id, source, source_id, occurred_at, hour_known, offence_code, \
                 offence_group, lon, lat, quadrant_code, district_code, address, erdr_ref, synthetic, imported_at) VALUES \
                 ({0}, 1, 'erdr', 'A-1', 1500, 1, '188', 'property', 69.52, 42.25, NULL, NULL, 'flat 12, Айгүл', NULL, 0, 1500), \
                 ({0}, 2, 'erdr', 'A-2', 8000, 1, '188', 'property', 69.52, 42.25, NULL, NULL, 'flat 14', NULL, 0, 8000)",
                city.0
            ),
            format!(
                "INSERT INTO appeal_note (city_id, appeal_note_id, appeal_id, author, author_agency, created_at, body) \
                 VALUES ({}, 1, {}, 'uip', NULL, 3500, 'Айгүл is the neighbour in flat 12')",
                city.0, old.appeal_id
            ),
        ] {
            store.execute_raw_for_tests(&sql).await.unwrap();
        }
        assert_eq!(store.appeal_notes(city, old.appeal_id, None).await.unwrap().len(), 1);
        let before = store.outbox_messages(city).await.unwrap();
        assert_eq!(before.iter().filter(|m| m.destination == "aigul@example.kz").count(), 2, "one notice each");

        let summary = store.erase_personal_data(city, 5_000, "retention-test", 9_000).await.unwrap();
        assert_eq!(summary, RetentionSummary { appeals: 1, contacts: 1, photos: 1, incident_addresses: 1 });

        // Gone from the old appeal: contact, photo, the resident's words, the address of the sent notice.
        assert_eq!(store.appeal_contact(city, old.appeal_id).await.unwrap(), None);
        assert_eq!(store.photo_count(city, old.appeal_id).await.unwrap(), 0);
        let erased = store.appeal(city, old.appeal_id).await.unwrap().unwrap();
        assert_eq!(erased.description, "");
        assert!(erased.workflow.history.iter().all(|e| e.public_comment.is_none()), "{:?}", erased.workflow.history);
        assert_eq!(store.feedback(city, old.appeal_id).await.unwrap(), Some((4, None)), "the rating stays");
        assert!(store.appeal_notes(city, old.appeal_id, None).await.unwrap().is_empty(), "staff notes erased");
        // Kept for the statistics: category, place, dates, the history's steps.
        assert_eq!(erased.category.as_str(), "NOISE");
        assert_eq!(erased.point, Some((69.52, 42.25)));
        assert_eq!(erased.workflow.history.len(), events + 1);
        assert_eq!(erased.receipt, old.receipt);
        let after = store.outbox_messages(city).await.unwrap();
        assert_eq!(after.iter().filter(|m| m.destination == "aigul@example.kz").count(), 1, "the recent one stays");
        assert!(after.iter().any(|m| m.destination.starts_with("erased:")));
        // The old incident keeps its place, time and offence but not its address; the recent one keeps all.
        let incidents = store.incidents(city, &sakshy_store::IncidentFilter::window(0, i64::MAX)).await.unwrap();
        assert_eq!(incidents.len(), 2, "incidents stay for the statistics");
        let addresses: Vec<Option<String>> = store
            .query_strings_for_tests("SELECT address FROM incident ORDER BY incident_id")
            .await
            .unwrap();
        assert_eq!(addresses, [None, Some("flat 14".to_owned())]);
        // The recent appeal is untouched.
        assert!(store.appeal_contact(city, recent.appeal_id).await.unwrap().is_some());
        assert_eq!(store.photo_count(city, recent.appeal_id).await.unwrap(), 1);
        // Running again erases nothing more; each run is in the audit log.
        let again = store.erase_personal_data(city, 5_000, "retention-test", 9_500).await.unwrap();
        assert_eq!(again, RetentionSummary::default());
        let audit = store.audit_events(city, 10).await.unwrap();
        let runs: Vec<_> = audit.iter().filter(|e| e.action == "retention").map(|e| e.object.as_str()).collect();
        assert_eq!(runs.len(), 2, "{audit:?}");
        assert!(runs.contains(&"personal data of 1 appeals and the addresses of 1 incidents erased"), "{runs:?}");
    })
    .await;
}
