//! Police points, officers and agencies: upserts by code, exact round trips, revisions.

use sakshy_core::import::{
    parse_agencies_csv, parse_officers_csv, parse_points_csv, parse_territories, plan_territories,
};
use sakshy_store::{CityId, Store, UpsertSummary};

use crate::backend::{for_each_backend, toy_city};

async fn city(store: &Store) -> CityId {
    let plan = plan_territories(&parse_territories(&toy_city()).unwrap(), &[], None).unwrap();
    store.apply_territory_plan(&plan, None, "test", 1_000).await.unwrap().city_id
}

const POINTS: &str = "code,kind,name_kk,name_ru,name_en,lat,lon,address_kk,address_ru,phone,hours,services,quadrants
P1,district_point,Учаскелік пункт,Участковый пункт,District point,42.25,69.52,Тәуке хан даңғылы 1,пр. Тауке хана 1,+7 7252 00-00-01,Mo-Fr 09:00-13:00;reception appeals,TOY-W-Q1;TOY-W-Q2
P2,modular_post,Модульдік бекет,Модульный пост,Modular post,42.35,69.65,Вокзал,Вокзал,,24/7,patrol_base,TOY-E-Q4
";

#[tokio::test]
async fn points_round_trip_and_re_upserting_changes_nothing() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let text = POINTS
            .replace("Mo-Fr 09:00-13:00;reception appeals", "\"Mo-Fr 09:00-13:00,14:00-18:00\",reception;appeals");
        let points: Vec<_> = parse_points_csv(&text).unwrap().into_iter().map(|p| p.value).collect();
        let summary = store.upsert_points(city, &points, "test", 2_000).await.unwrap();
        assert_eq!(summary, UpsertSummary { added: 2, changed: 0, unchanged: 0 });
        assert_eq!(store.points(city).await.unwrap(), points);
        assert_eq!(store.revision(city).await.unwrap(), 2);
        let again = store.upsert_points(city, &points, "test", 3_000).await.unwrap();
        assert_eq!(again, UpsertSummary { added: 0, changed: 0, unchanged: 2 });
        assert_eq!(store.revision(city).await.unwrap(), 2, "no change, no new revision");
        let mut moved = points.clone();
        moved[1].quadrants.insert(0, sakshy_core::Code::parse("TOY-E-Q3").unwrap());
        let changed = store.upsert_points(city, &moved, "test", 4_000).await.unwrap();
        assert_eq!(changed, UpsertSummary { added: 0, changed: 1, unchanged: 1 });
        assert_eq!(store.points(city).await.unwrap(), moved);
    })
    .await;
}

const OFFICERS: &str = "badge,name,rank,role,phone,quadrants,point,reception_hours
SHY-00001,Нұрлан Асқарұлы Сейітов,captain,district_inspector,+7 7252 11-11-11,TOY-W-Q1,P1,\"Tu,Th 18:00-20:00\"
SHY-00002,Айгүл Серікқызы Омарова,major,juvenile_inspector,,TOY-W-Q1;TOY-W-Q2,,
";

#[tokio::test]
async fn officers_round_trip_with_their_quadrants() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let officers: Vec<_> = parse_officers_csv(OFFICERS).unwrap().into_iter().map(|o| o.value).collect();
        assert_eq!(store.upsert_officers(city, &officers, "test", 2_000).await.unwrap().added, 2);
        assert_eq!(store.officers(city).await.unwrap(), officers);
        let mut renamed = officers.clone();
        renamed[0].name = "Нұрлан Сейітов".into();
        let summary = store.upsert_officers(city, &renamed, "test", 3_000).await.unwrap();
        assert_eq!(summary, UpsertSummary { added: 0, changed: 1, unchanged: 1 });
        assert_eq!(store.officers(city).await.unwrap(), renamed);
    })
    .await;
}

#[tokio::test]
async fn agencies_round_trip() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let text = "code,kind,name_kk,name_ru,name_en,phone,email,website\n\
                    EMERG_102,emergency,102,102,Police 102,102,,\n\
                    EDU,education,Білім басқармасы,Управление образования,Education department,,edu@example.kz,https://example.kz\n";
        let agencies: Vec<_> = parse_agencies_csv(text).unwrap().into_iter().map(|a| a.value).collect();
        store.upsert_agencies(city, &agencies, "test", 2_000).await.unwrap();
        let stored = store.agencies(city).await.unwrap();
        // Ordered by code: EDU before EMERG_102.
        assert_eq!(stored, vec![agencies[1].clone(), agencies[0].clone()]);
    })
    .await;
}
