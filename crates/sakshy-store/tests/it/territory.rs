//! Territories: import plans applied, versions kept, nothing half-written.

use sakshy_core::import::{parse_territories, plan_territories};
use sakshy_core::{Code, Level, Territory};
use sakshy_store::{StorageError, Store};

use crate::backend::{for_each_backend, toy_city};

async fn import(store: &Store, text: &str, at_ms: i64) -> Result<sakshy_store::TerritoryImportSummary, StorageError> {
    let file = parse_territories(text).expect("valid file");
    let stored = store.city().await.unwrap();
    let current: Vec<Territory> = match &stored {
        Some((city_id, _, _)) => {
            store.current_territories(*city_id).await.unwrap().into_iter().map(|v| v.territory).collect()
        }
        None => Vec::new(),
    };
    let plan = plan_territories(&file, &current, stored.as_ref().map(|(_, city, _)| city)).expect("valid plan");
    store.apply_territory_plan(&plan, stored.map(|(id, _, rev)| (id, rev)), "test", at_ms).await
}

#[tokio::test]
async fn a_first_import_stores_the_city_and_every_territory() {
    for_each_backend(|store| async move {
        let summary = import(&store, &toy_city(), 1_000).await.unwrap();
        assert_eq!((summary.added, summary.changed, summary.unchanged), (11, 0, 0));
        assert_eq!(summary.revision, 1);
        let (city_id, city, revision) = store.city().await.unwrap().unwrap();
        assert_eq!((city.code.as_str(), city.name.kk(), revision), ("TOY", "Ойыншық", 1));
        let current = store.current_territories(city_id).await.unwrap();
        assert_eq!(current.len(), 11);
        let pilot: Vec<&str> =
            current.iter().filter(|v| v.territory.pilot()).map(|v| v.territory.code().as_str()).collect();
        assert_eq!(pilot, ["TOY-E-Q1"]);
        // What comes back is exactly what went in, geometry included.
        let file = parse_territories(&toy_city()).unwrap();
        for located in &file.territories {
            let stored = current
                .iter()
                .find(|v| v.territory.code() == located.value.code() && v.territory.level() == located.value.level())
                .unwrap();
            assert_eq!(stored.territory, located.value);
            assert_eq!((stored.valid_from_ms, stored.valid_to_ms), (1_000, None));
        }
    })
    .await;
}

#[tokio::test]
async fn re_importing_the_same_file_changes_nothing() {
    for_each_backend(|store| async move {
        import(&store, &toy_city(), 1_000).await.unwrap();
        let again = import(&store, &toy_city(), 2_000).await.unwrap();
        assert_eq!((again.added, again.changed, again.unchanged, again.revision), (0, 0, 11, 1));
        let (city_id, _, _) = store.city().await.unwrap().unwrap();
        let history =
            store.territory_history(city_id, Level::Quadrant, &Code::parse("TOY-W-Q1").unwrap()).await.unwrap();
        assert_eq!(history.len(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_redrawn_quadrant_gets_a_new_version_and_the_old_one_is_kept() {
    for_each_backend(|store| async move {
        import(&store, &toy_city(), 1_000).await.unwrap();
        let (city_id, _, _) = store.city().await.unwrap().unwrap();
        let q1 = Code::parse("TOY-W-Q1").unwrap();
        let old_version = store.territory_history(city_id, Level::Quadrant, &q1).await.unwrap()[0].version_id;
        // Move the boundary between Q1 and Q2 east by 0.01°.
        let redrawn = toy_city()
            .replace(
                "[[[69.5,42.2],[69.55,42.2],[69.55,42.3],[69.5,42.3],[69.5,42.2]]]",
                "[[[69.5,42.2],[69.56,42.2],[69.56,42.3],[69.5,42.3],[69.5,42.2]]]",
            )
            .replace(
                "[[[69.55,42.2],[69.6,42.2],[69.6,42.3],[69.55,42.3],[69.55,42.2]]]",
                "[[[69.56,42.2],[69.6,42.2],[69.6,42.3],[69.56,42.3],[69.56,42.2]]]",
            );
        assert_ne!(redrawn, toy_city(), "the fixture text changed");
        let summary = import(&store, &redrawn, 5_000).await.unwrap();
        assert_eq!((summary.changed, summary.unchanged, summary.revision), (2, 9, 2));
        let history = store.territory_history(city_id, Level::Quadrant, &q1).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!((history[0].valid_from_ms, history[0].valid_to_ms), (1_000, Some(5_000)));
        assert_eq!((history[1].valid_from_ms, history[1].valid_to_ms), (5_000, None));
        // A record filed in the old quadrant still finds the boundary it was filed in.
        let old = store.territory_version(city_id, old_version).await.unwrap().unwrap();
        assert_eq!(old.territory.bbox().max().x, 69.55);
        // The past is answerable: at t = 2,000 the old boundary was in force.
        let then = store.territories_at(city_id, 2_000).await.unwrap();
        let q1_then = then.iter().find(|v| v.territory.code() == &q1).unwrap();
        assert_eq!(q1_then.version_id, old_version);
        let now = store.territories_at(city_id, 6_000).await.unwrap();
        assert_eq!(now.iter().find(|v| v.territory.code() == &q1).unwrap().territory.bbox().max().x, 69.56);
    })
    .await;
}

#[tokio::test]
async fn a_stale_plan_writes_nothing() {
    for_each_backend(|store| async move {
        import(&store, &toy_city(), 1_000).await.unwrap();
        let (city_id, city, revision) = store.city().await.unwrap().unwrap();
        let current: Vec<Territory> =
            store.current_territories(city_id).await.unwrap().into_iter().map(|v| v.territory).collect();
        let redrawn = toy_city().replace("\"population\":5000", "\"population\":6000");
        let plan = plan_territories(&parse_territories(&redrawn).unwrap(), &current, Some(&city)).unwrap();
        assert_eq!(plan.changed.len(), 8);
        let err = store.apply_territory_plan(&plan, Some((city_id, revision - 1)), "test", 2_000).await.unwrap_err();
        assert!(matches!(err, StorageError::Stale { expected: 0, found: 1 }), "{err:?}");
        let after = store.current_territories(city_id).await.unwrap();
        assert!(after.iter().all(|v| v.valid_from_ms == 1_000 && v.territory.population() != Some(6000)));
        assert_eq!(store.revision(city_id).await.unwrap(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_version_cannot_start_before_the_current_one_and_the_failure_rolls_back() {
    for_each_backend(|store| async move {
        import(&store, &toy_city(), 1_000).await.unwrap();
        let redrawn = toy_city().replace("\"population\":5000", "\"population\":6000");
        let err = import(&store, &redrawn, 1_000).await.unwrap_err();
        assert!(matches!(err, StorageError::Conflict { .. }), "{err:?}");
        assert!(err.to_string().contains("valid from this time or later"), "{err}");
        let (city_id, _, revision) = store.city().await.unwrap().unwrap();
        assert_eq!(revision, 1);
        let current = store.current_territories(city_id).await.unwrap();
        assert_eq!(current.len(), 11);
        assert!(current.iter().all(|v| v.territory.population() != Some(6000)));
    })
    .await;
}

#[tokio::test]
async fn health_checks_report_migrations() {
    for_each_backend(|store| async move {
        store.ping().await.unwrap();
        assert!(store.migrations_current().await.unwrap());
        assert!(store.city().await.unwrap().is_none());
    })
    .await;
}

#[tokio::test]
async fn an_unknown_url_scheme_is_refused_by_name() {
    let err = Store::connect("mysql://localhost/x").await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "unsupported database URL \"mysql://localhost/x\": use sqlite:PATH or postgres://USER@HOST/DB"
    );
}
