//! Passwords, login sessions (idle and absolute timeouts, logout) and failed-login counting with lockout.

use sakshy_core::access::{Role, Scope};
use sakshy_store::{CityId, LockRule, StaffUser, Store};

use crate::backend::{for_each_backend, toy_city};

const MINUTE: i64 = 60_000;

async fn city_with_user(store: &Store) -> CityId {
    let city = store.import_territories(&toy_city(), "test", 1_000).await.unwrap().summary.city_id;
    let user = StaffUser {
        login: "uip.w1".into(),
        display_name: "Нұрлан".into(),
        role: Role::DistrictInspector,
        scope: Scope::parse("quadrants:TOY-W-Q1").unwrap(),
        disabled: false,
    };
    store.add_staff_user(city, &user, 1_000).await.unwrap();
    city
}

#[tokio::test]
async fn a_password_hash_is_stored_and_read_back_with_the_account() {
    for_each_backend(|store| async move {
        let city = city_with_user(&store).await;
        let before = store.staff_credentials(city, "uip.w1").await.unwrap().unwrap();
        assert_eq!(before.password_hash, None);
        store.set_staff_password(city, "uip.w1", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA").await.unwrap();
        let after = store.staff_credentials(city, "uip.w1").await.unwrap().unwrap();
        assert_eq!(after.password_hash.as_deref(), Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"));
        assert_eq!((after.principal.role, after.disabled), (Role::DistrictInspector, false));
        assert!(store.staff_credentials(city, "ghost").await.unwrap().is_none());
        assert!(store.set_staff_password(city, "ghost", "x").await.is_err());
        store.set_staff_role(city, "uip.w1", Role::Supervisor, &Scope::parse("district:TOY-W").unwrap()).await.unwrap();
        let promoted = store.staff_credentials(city, "uip.w1").await.unwrap().unwrap();
        assert_eq!(promoted.principal.scope, Scope::parse("district:TOY-W").unwrap());
    })
    .await;
}

#[tokio::test]
async fn a_session_lives_until_its_idle_or_absolute_timeout_or_logout() {
    for_each_backend(|store| async move {
        let city = city_with_user(&store).await;
        let t0 = 10_000_000;
        let (token, session) = store.create_staff_session(city, "uip.w1", t0, 60 * MINUTE).await.unwrap();
        assert_eq!(token.len(), 64);
        assert_eq!(session.csrf_secret.len(), 64);
        assert_ne!(token, session.csrf_secret);
        let idle = 20 * MINUTE;
        // Used every 15 minutes, it survives the idle timeout but not the absolute one.
        for step in 1..=3 {
            let found = store.staff_session(city, &token, t0 + step * 15 * MINUTE, idle).await.unwrap();
            let found = found.unwrap_or_else(|| panic!("alive after {} minutes", step * 15));
            assert_eq!(found.principal.login, "uip.w1");
            assert_eq!(found.csrf_secret, session.csrf_secret);
        }
        assert!(store.staff_session(city, &token, t0 + 60 * MINUTE, idle).await.unwrap().is_none());
        // Gone for good: the expired row was deleted.
        assert!(store.staff_session(city, &token, t0, idle).await.unwrap().is_none());

        let (idle_token, _) = store.create_staff_session(city, "uip.w1", t0, 60 * MINUTE).await.unwrap();
        assert!(store.staff_session(city, &idle_token, t0 + idle - 1, idle).await.unwrap().is_some());
        assert!(store.staff_session(city, &idle_token, t0 + 2 * idle, idle).await.unwrap().is_none());

        let (logout_token, _) = store.create_staff_session(city, "uip.w1", t0, 60 * MINUTE).await.unwrap();
        assert!(store.delete_staff_session(city, &logout_token).await.unwrap());
        assert!(store.staff_session(city, &logout_token, t0 + 1, idle).await.unwrap().is_none());
        assert!(!store.delete_staff_session(city, &logout_token).await.unwrap());

        let (disabled_token, _) = store.create_staff_session(city, "uip.w1", t0, 60 * MINUTE).await.unwrap();
        store.set_staff_user_disabled(city, "uip.w1", true).await.unwrap();
        assert!(store.staff_session(city, &disabled_token, t0 + 1, idle).await.unwrap().is_none());
        assert!(store.staff_session(city, "not-a-token", t0, idle).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn a_new_role_ends_the_accounts_sessions() {
    for_each_backend(|store| async move {
        let city = city_with_user(&store).await;
        let (token, _) = store.create_staff_session(city, "uip.w1", 5_000, 60 * MINUTE).await.unwrap();
        store.set_staff_role(city, "uip.w1", Role::Analyst, &Scope::City).await.unwrap();
        assert!(store.staff_session(city, &token, 5_001, 20 * MINUTE).await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn five_failures_lock_a_subject_for_fifteen_minutes_and_the_lock_expires() {
    for_each_backend(|store| async move {
        let city = city_with_user(&store).await;
        let rule = LockRule { threshold: 5, window_ms: 15 * MINUTE, lock_ms: 15 * MINUTE };
        let t0 = 100 * MINUTE;
        for n in 0..4 {
            store.record_login_failure(city, "login:uip.w1", t0 + n * MINUTE).await.unwrap();
        }
        assert_eq!(store.login_locked_until(city, "login:uip.w1", rule, t0 + 4 * MINUTE).await.unwrap(), None);
        store.record_login_failure(city, "login:uip.w1", t0 + 4 * MINUTE).await.unwrap();
        let until = store.login_locked_until(city, "login:uip.w1", rule, t0 + 4 * MINUTE).await.unwrap();
        assert_eq!(until, Some(t0 + 19 * MINUTE));
        // Another subject is not affected.
        assert_eq!(store.login_locked_until(city, "address:10.0.0.1", rule, t0 + 5 * MINUTE).await.unwrap(), None);
        assert_eq!(
            store.login_locked_until(city, "login:uip.w1", rule, t0 + 19 * MINUTE - 1).await.unwrap(),
            Some(t0 + 19 * MINUTE)
        );
        assert_eq!(store.login_locked_until(city, "login:uip.w1", rule, t0 + 19 * MINUTE).await.unwrap(), None);
        // Failures spread wider than the window do not lock.
        for n in 0..5 {
            store.record_login_failure(city, "address:10.0.0.2", t0 + n * 4 * MINUTE).await.unwrap();
        }
        assert_eq!(store.login_locked_until(city, "address:10.0.0.2", rule, t0 + 16 * MINUTE).await.unwrap(), None);
        // A success clears the count.
        for n in 0..5 {
            store.record_login_failure(city, "login:uip.w1", t0 + 30 * MINUTE + n).await.unwrap();
        }
        assert!(store.login_locked_until(city, "login:uip.w1", rule, t0 + 31 * MINUTE).await.unwrap().is_some());
        store.clear_login_failures(city, "login:uip.w1").await.unwrap();
        assert_eq!(store.login_locked_until(city, "login:uip.w1", rule, t0 + 31 * MINUTE).await.unwrap(), None);
    })
    .await;
}

#[tokio::test]
async fn internal_notes_are_kept_per_appeal_oldest_first_and_filtered_by_agency() {
    use sakshy_core::Code;
    use sakshy_store::{AppealNote, Attachments};
    for_each_backend(|store| async move {
        let city = crate::appeal::city(&store).await;
        let (new, workflow) = crate::appeal::new_appeal(chrono::NaiveDate::from_ymd_opt(2026, 4, 14).unwrap(), true);
        let created = store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 10_000)
            .await
            .unwrap();
        let appeal_id = store.appeal_id_by_receipt(city, &created.receipt).await.unwrap().unwrap();
        let note = |at_ms, author: &str, agency: Option<&str>, body: &str| AppealNote {
            at_ms,
            author: author.into(),
            author_agency: agency.map(|a| Code::parse(a).unwrap()),
            body: body.into(),
        };
        store.add_appeal_note(city, appeal_id, &note(2, "soc", Some("SOCIAL"), "Отбасы тексерілді.")).await.unwrap();
        store.add_appeal_note(city, appeal_id, &note(1, "uip", None, "Көршілер куә.")).await.unwrap();
        let all = store.appeal_notes(city, appeal_id, None).await.unwrap();
        assert_eq!(all.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), ["Көршілер куә.", "Отбасы тексерілді."]);
        let social = store.appeal_notes(city, appeal_id, Some(&Code::parse("SOCIAL").unwrap())).await.unwrap();
        assert_eq!(social, [note(2, "soc", Some("SOCIAL"), "Отбасы тексерілді.")]);
        let missing = store.add_appeal_note(city, 999, &note(3, "uip", None, "x")).await;
        assert!(matches!(missing, Err(sakshy_store::StorageError::NotFound { .. })));
    })
    .await;
}
