//! The demo's synthetic incidents are made by [`sakshy_web::demo_incidents`]; this checks them on a fresh demo
//! database, loaded as `sakshy demo` loads it.

#[cfg(test)]
mod tests {
    use sakshy_store::IncidentFilter;

    use chrono::{NaiveDate, TimeZone};
    use sakshy_core::Code;
    use sakshy_store::{IncidentOrigin, Store};
    use sakshy_web::demo_incidents::seed_incidents;

    #[tokio::test]
    async fn the_demo_gets_two_years_of_synthetic_incidents_in_the_pilot_district_once() {
        // Arrange: the demo city in a fresh database.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite:{}", dir.path().join("demo.db").display())).await.unwrap();
        store.migrate().await.unwrap();
        crate::demo::load_files(&store).await.unwrap();
        let registry = sakshy_web::Registry::load(&store).await.unwrap().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();

        // Act
        let written = seed_incidents(&store, &registry, today, 7).await.unwrap();

        // Assert: about the documented 3,960 events, all synthetic, all in Al-Farabi, all in the last two years.
        assert!((2_500..5_000).contains(&written), "{written}");
        let city = registry.city_id;
        let all = IncidentFilter::window(0, i64::MAX);
        let synthetic = IncidentFilter { origin: Some(IncidentOrigin::Synthetic), ..all.clone() };
        assert_eq!(store.incident_count(city, &synthetic).await.unwrap(), written as i64);
        let district = Code::parse("SHY-ALF").unwrap();
        let in_district = IncidentFilter { district: Some(district), ..all.clone() };
        let inside = store.incident_count(city, &in_district).await.unwrap();
        assert!(inside as f64 > 0.99 * written as f64, "{inside} of {written} inside the district's quadrants");
        let points = store.incidents(city, &all).await.unwrap();
        let first = zone_midnight(&registry, today - chrono::Duration::days(731));
        let last = zone_midnight(&registry, today + chrono::Duration::days(1));
        assert!(points.iter().all(|p| (first..last).contains(&p.occurred_at_ms)));
        // The same seed again writes nothing new: the source ids are the same.
        assert_eq!(seed_incidents(&store, &registry, today, 7).await.unwrap(), 0);
    }

    fn zone_midnight(registry: &sakshy_web::Registry, date: NaiveDate) -> i64 {
        registry.city.timezone.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap()).unwrap().timestamp_millis()
    }
}
