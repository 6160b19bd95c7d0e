//! The gazetteer import (one transaction, every problem named, re-import changes nothing) and search (Kazakh and
//! Russian case folded in Rust), and the resident portal's public counts, on both engines.

use sakshy_core::Code;
use sakshy_core::gazetteer::PlaceKind;
use sakshy_store::{Attachments, ImportError, StorageError, UpsertSummary};

use crate::appeal::{city, new_appeal};
use crate::backend::for_each_backend;

const GOOD: &str = "code,kind,name_kk,name_ru,name_en,lat,lon\n\
    ST-1,street,Ахмет Байтұрсынұлы көшесі,улица Ахмета Байтурсынова,Akhmet Baitursynuly Street,42.25,69.52\n\
    ST-2,street,Тәуке хан даңғылы,проспект Тауке хана,Tauke Khan Avenue,42.35,69.62\n\
    MD-1,microdistrict,Самал-3 шағын ауданы,микрорайон Самал-3,Samal-3 microdistrict,42.26,69.53\n";

#[tokio::test]
async fn the_gazetteer_imports_in_one_transaction_and_is_searched_whatever_the_case() {
    for_each_backend(|store| async move {
        assert!(matches!(
            store.import_gazetteer(GOOD, "test", 1_000).await,
            Err(ImportError::Storage(StorageError::NoCity))
        ));
        let city = city(&store).await;
        // A file with one bad row writes nothing, and names the row and the column.
        let bad = format!("{GOOD}MD-2,microdistrict,Асар,Асар,Asar,north,69.6\n");
        let Err(ImportError::Invalid(failure)) = store.import_gazetteer(&bad, "test", 1_000).await else {
            panic!("the bad file is refused")
        };
        assert!(failure.to_string().contains("line 5"), "{failure}");
        assert!(failure.to_string().contains("lat"), "{failure}");
        assert!(store.search_places(city, "самал").await.unwrap().is_empty(), "nothing written");
        assert_eq!(
            store.import_gazetteer(GOOD, "test", 1_000).await.unwrap(),
            UpsertSummary { added: 3, changed: 0, unchanged: 0 }
        );
        assert_eq!(
            store.import_gazetteer(GOOD, "test", 2_000).await.unwrap(),
            UpsertSummary { added: 0, changed: 0, unchanged: 3 },
            "re-importing the same file changes nothing"
        );
        let renamed = GOOD.replace("проспект Тауке хана", "пр. Тауке хана");
        assert_eq!(
            store.import_gazetteer(&renamed, "test", 3_000).await.unwrap(),
            UpsertSummary { added: 0, changed: 1, unchanged: 2 }
        );
        let names =
            |places: Vec<sakshy_core::gazetteer::Place>| places.iter().map(|p| p.code.to_string()).collect::<Vec<_>>();
        assert_eq!(names(store.search_places(city, "БАЙТУРСЫНОВА").await.unwrap()), ["ST-1"]);
        assert_eq!(names(store.search_places(city, "байтұрсынұлы").await.unwrap()), ["ST-1"]);
        assert_eq!(names(store.search_places(city, "БАЙТҰРСЫНҰЛЫ КӨШЕСІ").await.unwrap()), ["ST-1"]);
        assert_eq!(names(store.search_places(city, "пр. тауке").await.unwrap()), ["ST-2"]);
        assert_eq!(names(store.search_places(city, "самал-3").await.unwrap()), ["MD-1"]);
        assert_eq!(names(store.search_places(city, "А").await.unwrap()), ["ST-1", "ST-2", "MD-1"], "streets first");
        assert!(store.search_places(city, "%").await.unwrap().is_empty(), "wildcards are text");
        assert!(store.search_places(city, "_").await.unwrap().is_empty());
        assert!(store.search_places(city, "  ").await.unwrap().is_empty());
        let found = store.search_places(city, "samal").await.unwrap();
        assert_eq!(found[0].kind, PlaceKind::Microdistrict);
        assert_eq!((found[0].location.x(), found[0].location.y()), (69.53, 42.26));
    })
    .await;
}

#[tokio::test]
async fn the_portal_counts_resolved_appeals_and_shows_rounded_points() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let quadrant = Code::parse("TOY-W-Q1").unwrap();
        let (new, workflow) = new_appeal(chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(), false);
        store
            .create_appeal(city, "TOY", &new, &workflow, None, false, None, Attachments::default(), 5_000)
            .await
            .unwrap();
        let counts = store.resolved_counts(city, &quadrant, "2026-11-01", "2026-09-01").await.unwrap();
        assert_eq!((counts.last_30_days, counts.last_90_days), (0, 0), "a registered appeal is not resolved");
        assert_eq!(store.public_appeal_points(city, &quadrant, 4_000, 10).await.unwrap(), [(69.52, 42.25)]);
        assert!(store.public_appeal_points(city, &quadrant, 6_000, 10).await.unwrap().is_empty());
        let other = Code::parse("TOY-E-Q1").unwrap();
        assert!(store.public_appeal_points(city, &other, 0, 10).await.unwrap().is_empty());
    })
    .await;
}
