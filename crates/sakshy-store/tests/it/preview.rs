//! The administrator's preview of a registry file (the import's own checks, nothing written) and loaded
//! working-calendar years (checked against the calendar they join, logged, moving the revision), on both engines.

use sakshy_core::calendar::WorkingCalendar;
use sakshy_store::{ImportError, ImportPreview, RegistryFile, UpsertSummary};

use crate::appeal::city;
use crate::backend::for_each_backend;

const AGENCIES: &str = "code,kind,name_kk,name_ru,name_en,phone,email,website
POL_UIP,police,УПИ,УИП,District inspector,,,
SOCIAL,social_protection,Әлеуметтік,Социальная,Social protection,,,
";

#[tokio::test]
async fn a_preview_names_what_would_change_and_writes_nothing() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        store.import_agencies(AGENCIES, "test", 1_000).await.unwrap();
        let revision = store.revision(city).await.unwrap();
        let file = AGENCIES.replace("Social protection", "Social protection office")
            + "AKIM_DISTR,akimat,Аудан әкімдігі,Акимат района,District akimat,,,\n";

        let preview = store.preview_import(RegistryFile::Agencies, &file).await.unwrap();

        assert_eq!(
            preview,
            ImportPreview {
                added: vec!["AKIM_DISTR".into()],
                changed: vec!["SOCIAL".into()],
                unchanged: 1,
                ..ImportPreview::default()
            }
        );
        assert_eq!(store.agencies(city).await.unwrap().len(), 2, "nothing written");
        assert_eq!(store.revision(city).await.unwrap(), revision);
        // Applying goes through the import and gives the counts the preview promised.
        let applied = store.apply_import(RegistryFile::Agencies, &file, "agencies.csv", 2_000).await.unwrap();
        assert_eq!(applied, UpsertSummary { added: 1, changed: 1, unchanged: 1 });
        assert!(store.preview_import(RegistryFile::Agencies, &file).await.unwrap().is_empty());
        // A bad file gets the import's own problems.
        let Err(ImportError::Invalid(failure)) =
            store.preview_import(RegistryFile::Agencies, "code,kind\nX,circus\n").await
        else {
            panic!("a bad file is refused")
        };
        assert!(!failure.errors.is_empty());
    })
    .await;
}

#[tokio::test]
async fn a_loaded_calendar_year_extends_the_shipped_calendar_and_a_gap_or_bad_line_is_refused() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let shipped = WorkingCalendar::kazakhstan();
        assert_eq!(store.working_calendar(city).await.unwrap(), shipped);
        let year = format!(
            "date,kind,name_kk,name_ru,name_en\n{}-01-01,holiday,Жаңа жыл,Новый год,New Year\n",
            shipped.last_year() + 1
        );
        let revision = store.revision(city).await.unwrap();

        store.replace_calendar_year(city, shipped.last_year() + 1, &year, "admin", 5_000).await.unwrap();

        let calendar = store.working_calendar(city).await.unwrap();
        assert_eq!(calendar.last_year(), shipped.last_year() + 1);
        assert_eq!(store.revision(city).await.unwrap(), revision + 1, "every server reloads it");
        let change = &store.registry_changes(city, 1).await.unwrap()[0];
        assert_eq!(
            (change.entity.as_str(), change.change_kind.as_str(), change.actor.as_str()),
            ("calendar_year", "added", "admin")
        );
        // A year two past the end would leave a gap; a bad line is named; neither is written.
        let far = shipped.last_year() + 3;
        let gap = year.replace(&(shipped.last_year() + 1).to_string(), &far.to_string());
        assert!(store.replace_calendar_year(city, far, &gap, "admin", 6_000).await.is_err());
        let bad = year.replace("holiday", "weekend");
        let err = store.replace_calendar_year(city, shipped.last_year() + 1, &bad, "admin", 6_000).await.unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
        assert_eq!(store.calendar_years(city).await.unwrap().len(), 1);
        assert_eq!(store.revision(city).await.unwrap(), revision + 1);
    })
    .await;
}
