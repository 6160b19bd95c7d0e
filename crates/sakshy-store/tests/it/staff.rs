//! Staff accounts, API tokens and the audit log.

use sakshy_core::access::{Role, Scope};
use sakshy_store::{AuditEvent, StaffUser, StorageError};

use crate::backend::{for_each_backend, toy_city};

#[tokio::test]
async fn a_token_stands_for_its_user_until_the_user_is_disabled() {
    for_each_backend(|store| async move {
        let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
        let user = StaffUser {
            login: "uip.w1".into(),
            display_name: "Нұрлан Сейітов".into(),
            role: Role::DistrictInspector,
            scope: Scope::parse("quadrants:TOY-W-Q1;TOY-W-Q2").unwrap(),
            disabled: false,
        };
        store.add_staff_user(city, &user, 1_000).await.unwrap();
        assert!(matches!(store.add_staff_user(city, &user, 1_000).await, Err(StorageError::Conflict { .. })));
        let token = store.create_api_token(city, "uip.w1", "laptop", 2_000).await.unwrap();
        assert!(token.starts_with("sk_") && token.len() == 67);
        let principal = store.principal_for_token(city, &token).await.unwrap().unwrap();
        assert_eq!((principal.login.as_str(), principal.role), ("uip.w1", Role::DistrictInspector));
        assert_eq!(principal.scope, user.scope);
        assert!(store.principal_for_token(city, "sk_nope").await.unwrap().is_none());
        store.set_staff_user_disabled(city, "uip.w1", true).await.unwrap();
        assert!(store.principal_for_token(city, &token).await.unwrap().is_none());
        assert!(matches!(store.create_api_token(city, "ghost", "x", 1).await, Err(StorageError::NotFound { .. })));
    })
    .await;
}

#[tokio::test]
async fn the_audit_log_keeps_who_saw_what_newest_first() {
    for_each_backend(|store| async move {
        let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
        for (at_ms, object) in [(1, "appeal:A"), (2, "appeal:B")] {
            let event = AuditEvent {
                at_ms,
                actor: "uip.w1".into(),
                action: "view_contact".into(),
                object: object.into(),
                from_address: Some("127.0.0.1".into()),
            };
            store.record_audit(city, &event).await.unwrap();
        }
        let log = store.audit_events(city, 10).await.unwrap();
        assert_eq!(log.iter().map(|e| e.object.as_str()).collect::<Vec<_>>(), ["appeal:B", "appeal:A"]);
    })
    .await;
}
