//! Categories and routing: round trips, checks against agencies and districts, and the change log.

use sakshy_store::{ImportError, Store, UpsertSummary};

use crate::backend::{for_each_backend, toy_city};

const AGENCIES: &str = "code,kind,name_kk,name_ru,name_en,phone,email,website
EMERG_102,emergency,102,102,Police 102,102,,
POL_UIP,police,УПИ,УИП,District inspector,,,
SOCIAL,social_protection,Әлеуметтік,Социальная,Social protection,,,
AKIM_DISTR,akimat,Аудан әкімдігі,Акимат района,District akimat,,,
AKIM_W,akimat,Батыс әкімдігі,Западный акимат,West akimat,,,
";

const HEADER: &str = "code,group,urgency,track,anonymous_allowed,primary,joint,referral,deadline_working_days,duplicate_radius_m,name_kk,name_ru,name_en,description_kk,description_ru,description_en\n";

fn categories() -> String {
    format!(
        "{HEADER}CRIME_NOW,emergency,emergency,crime_report,true,EMERG_102,,POL_UIP,,150,Қылмыс,Преступление,Crime now,a,б,c\n\
         DOMESTIC,family_youth,high,administrative,false,POL_UIP,SOCIAL,,,150,Жанжал,Конфликт,Domestic conflict,a,б,c\n\
         LIGHTING,infrastructure,normal,administrative,false,AKIM_DISTR,,POL_UIP,,150,Жарық,Освещение,Lighting,a,б,c\n"
    )
}

async fn loaded(store: &Store) -> sakshy_store::CityId {
    store.import_territories(&toy_city(), "test", 1_000).await.unwrap();
    store.import_agencies(AGENCIES, "test", 1_000).await.unwrap();
    store.city().await.unwrap().unwrap().0
}

#[tokio::test]
async fn categories_round_trip_in_their_order_and_every_change_is_logged() {
    for_each_backend(|store| async move {
        let city = loaded(&store).await;
        let summary = store.import_categories(&categories(), "categories.csv", 2_000).await.unwrap();
        assert_eq!(summary, UpsertSummary { added: 3, changed: 0, unchanged: 0 });
        let stored = store.categories(city).await.unwrap();
        let codes: Vec<&str> = stored.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["CRIME_NOW", "DOMESTIC", "LIGHTING"], "the file's order is the display order");
        let again = store.import_categories(&categories(), "categories.csv", 3_000).await.unwrap();
        assert_eq!(again, UpsertSummary { added: 0, changed: 0, unchanged: 3 });
        let renamed = categories().replace("Domestic conflict", "Family conflict");
        let changed = store.import_categories(&renamed, "categories-v2.csv", 4_000).await.unwrap();
        assert_eq!(changed, UpsertSummary { added: 0, changed: 1, unchanged: 2 });
        let log = store.registry_changes(city, 10).await.unwrap();
        assert_eq!(log.len(), 4);
        let latest = &log[0];
        assert_eq!((latest.entity_code.as_str(), latest.change_kind.as_str()), ("DOMESTIC", "changed"));
        assert_eq!(latest.actor, "import:categories-v2.csv");
        assert!(latest.before.as_deref().unwrap().contains("\"name_en\":\"Domestic conflict\""));
        assert!(latest.after.as_deref().unwrap().contains("\"name_en\":\"Family conflict\""));
    })
    .await;
}

#[tokio::test]
async fn routing_replaces_the_overrides_and_routes_by_district() {
    for_each_backend(|store| async move {
        let city = loaded(&store).await;
        store.import_categories(&categories(), "categories.csv", 2_000).await.unwrap();
        let routing = "district,category,replaces,agency\nTOY-W,*,AKIM_DISTR,AKIM_W\n";
        assert_eq!(store.import_routing(routing, "routing.csv", 3_000).await.unwrap().added, 1);
        let rules = store.routing(city).await.unwrap();
        let lighting = rules.category(&sakshy_core::Code::parse("LIGHTING").unwrap()).unwrap();
        let west = sakshy_core::Code::parse("TOY-W").unwrap();
        assert_eq!(rules.route(lighting, Some(&west)).primary.as_str(), "AKIM_W");
        // An empty routing file removes the override, and the removal is logged.
        let summary = store.import_routing("district,category,replaces,agency\n", "routing.csv", 4_000).await.unwrap();
        assert_eq!(summary.changed, 1);
        assert!(store.routing_overrides(city).await.unwrap().is_empty());
        let log = store.registry_changes(city, 1).await.unwrap();
        assert_eq!((log[0].entity.as_str(), log[0].change_kind.as_str()), ("routing", "removed"));
    })
    .await;
}

#[tokio::test]
async fn inconsistent_categories_are_refused_and_nothing_is_written() {
    for_each_backend(|store| async move {
        let city = loaded(&store).await;
        let bad = categories().replace("POL_UIP,SOCIAL,", "POL_UIP,SOCIAL;KDN,").replace(",EMERG_102,", ",POL_UIP,");
        let err = store.import_categories(&bad, "bad.csv", 2_000).await.unwrap_err();
        let ImportError::Invalid(failure) = err else { panic!("expected invalid, got {err:?}") };
        let messages: Vec<String> = failure.errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages, [
            "file: routing: category CRIME_NOW: an emergency category's primary agency must be an emergency line (102, 112, 103)",
            "file: routing: category DOMESTIC: unknown agency KDN (joint)",
        ]);
        assert!(store.categories(city).await.unwrap().is_empty());
        assert!(store.registry_changes(city, 10).await.unwrap().is_empty());
        let bad_routing = "district,category,replaces,agency\nTOY-X,*,AKIM_DISTR,AKIM_W\n";
        assert!(store.import_routing(bad_routing, "routing.csv", 3_000).await.is_err());
        assert!(store.routing_overrides(city).await.unwrap().is_empty());
    })
    .await;
}
