//! Incidents on both engines: an import is all or nothing unless invalid rows are skipped, re-importing writes
//! nothing twice, incidents are placed in the quadrants in force, and the analyses' reads filter by window,
//! group, quadrant, district and origin.

use geo_types::Point;
use sakshy_core::Code;
use sakshy_core::incident::{Crs, Incident, IncidentMapping, IncidentPoint, OffenceGroup};
use sakshy_store::{
    IncidentFilter, IncidentImport, IncidentImportError, IncidentOrigin, InsertedIncidents, InvalidRows, StorageError,
    Store,
};

use crate::appeal::city;
use crate::backend::for_each_backend;

/// 2026-01-01T00:00:00Z: the imports' time.
const NOW_MS: i64 = 1_767_225_600_000;

/// UTC epoch milliseconds of a UTC date and time `YYYY-MM-DD HH:MM`.
fn utc(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap().and_utc().timestamp_millis()
}

/// Five incidents of the toy city, times in Asia/Almaty (UTC+5): theft in TOY-W-Q1, fraud in TOY-W-Q1, drugs in
/// TOY-E-Q1 (the day only), hooliganism in TOY-E-Q4 (on 1 April local and UTC), theft in TOY-W-Q4.
const GOOD: &str = "source_id,datetime,article,lat,lon,address,erdr_ref\n\
    E-1,2025-03-01 10:00,188,42.25,69.52,ул. Абая 1,255130031000001\n\
    E-2,2025-03-05 23:30,190,42.26,69.53,,\n\
    E-3,2025-03-10,297,42.25,69.62,,\n\
    E-4,2025-04-01 06:00,ст. 293 ч. 1 УК,42.35,69.68,,\n\
    E-5,2025-04-02 12:00,188,42.35,69.58,,\n";

fn import<'a>(mapping: &'a IncidentMapping, source: &'a str, invalid_rows: InvalidRows) -> IncidentImport<'a> {
    IncidentImport { source, mapping, crs: Crs::Wgs84, invalid_rows, origin: IncidentOrigin::Recorded, at_ms: NOW_MS }
}

#[tokio::test]
async fn an_import_is_all_or_nothing_unless_invalid_rows_are_skipped_and_never_writes_a_row_twice() {
    for_each_backend(|store| async move {
        let mapping = IncidentMapping::default();
        let refuse = import(&mapping, "erdr", InvalidRows::RefuseFile);
        assert!(matches!(
            store.import_incidents(GOOD, &refuse).await,
            Err(IncidentImportError::Storage(StorageError::NoCity))
        ));
        let city = city(&store).await;
        let everything = IncidentFilter::window(0, NOW_MS);

        // Two bad rows: nothing is written, and both are named.
        let bad = format!("{GOOD}E-6,2025-04-31 10:00,188,42.25,69.52,,\nE-7,2025-04-01 10:00,188,42.25,71.52,,\n");
        let Err(IncidentImportError::Invalid(report)) = store.import_incidents(&bad, &refuse).await else {
            panic!("a file with bad rows is refused")
        };
        assert_eq!((report.rows, report.invalid_rows, report.imported), (7, 2, 0));
        let message = IncidentImportError::Invalid(report.clone()).to_string();
        assert!(message.starts_with("2 of 7 rows invalid; nothing was imported"), "{message}");
        assert!(
            message.contains("\n  row 7, field datetime: \"2025-04-31 10:00\" is not a date and time"),
            "{message}"
        );
        assert!(message.contains("\n  row 8, field lat: the point (lon 71.520000, lat 42.250000)"), "{message}");
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 0, "nothing written");

        // Skipping them writes the good rows and reports the bad ones.
        let skip = import(&mapping, "erdr", InvalidRows::Skip);
        let report = store.import_incidents(&bad, &skip).await.unwrap();
        assert_eq!((report.imported, report.already_imported, report.invalid_rows), (5, 0, 2));
        assert_eq!(report.problems.len(), 2);
        assert_eq!(report.to_string(), "incidents: 5 imported, 0 already imported, 2 invalid");
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 5);

        // The corrected file adds the two rows once fixed; the five stored are counted, not written again.
        let fixed = format!("{GOOD}E-6,2025-04-30 10:00,188,42.25,69.52,,\nE-7,2025-04-01 10:00,188,42.25,69.52,,\n");
        let report = store.import_incidents(&fixed, &refuse).await.unwrap();
        assert_eq!((report.imported, report.already_imported, report.invalid_rows), (2, 5, 0));
        let report = store.import_incidents(&fixed, &refuse).await.unwrap();
        assert_eq!((report.imported, report.already_imported), (0, 7), "re-importing writes nothing");
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 7);

        // Source ids are unique per source: the same ids from another system are other incidents.
        let other = import(&mapping, "102-calls", InvalidRows::RefuseFile);
        assert_eq!(store.import_incidents(GOOD, &other).await.unwrap().imported, 5);
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 12);

        // A file that cannot be read, and a bad source name, write nothing either.
        assert!(matches!(store.import_incidents("id,when\n1,2\n", &refuse).await, Err(IncidentImportError::File(_))));
        assert!(matches!(
            store.import_incidents(GOOD, &import(&mapping, "  ", InvalidRows::Skip)).await,
            Err(IncidentImportError::BadSource)
        ));
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 12);
    })
    .await;
}

fn point(lon: f64, lat: f64, occurred_at: &str, hour_known: bool, group: OffenceGroup) -> IncidentPoint {
    IncidentPoint { location: Point::new(lon, lat), occurred_at_ms: utc(occurred_at), hour_known, group }
}

fn code(text: &str) -> Option<Code> {
    Some(Code::parse(text).unwrap())
}

#[tokio::test]
async fn the_analyses_read_incidents_by_window_group_quadrant_district_and_origin() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let mapping = IncidentMapping::default();
        store.import_incidents(GOOD, &import(&mapping, "erdr", InvalidRows::RefuseFile)).await.unwrap();
        let synthetic = Incident {
            source_id: "S-1".into(),
            occurred_at_ms: utc("2025-03-02 10:00"),
            hour_known: true,
            offence: None,
            group: OffenceGroup::Property,
            location: Point::new(69.51, 42.21),
            address: None,
            erdr_ref: None,
        };
        let inserted = store
            .insert_incidents(city, "demo", &[synthetic.clone(), synthetic.clone()], IncidentOrigin::Synthetic, NOW_MS)
            .await
            .unwrap();
        assert_eq!(inserted, InsertedIncidents { imported: 1, already_imported: 1 });

        let read = |filter: IncidentFilter| {
            let store: Store = store.clone();
            async move { store.incidents(city, &filter).await.unwrap() }
        };
        let march = IncidentFilter::window(utc("2025-03-01 00:00"), utc("2025-04-01 00:00"));
        assert_eq!(
            read(march.clone()).await,
            [
                point(69.52, 42.25, "2025-03-01 05:00", true, OffenceGroup::Property),
                point(69.51, 42.21, "2025-03-02 10:00", true, OffenceGroup::Property),
                point(69.53, 42.26, "2025-03-05 18:30", true, OffenceGroup::Fraud),
                point(69.62, 42.25, "2025-03-09 19:00", false, OffenceGroup::Drugs),
            ],
            "oldest first; the window is [from, to)"
        );
        let only = |groups: Vec<OffenceGroup>| IncidentFilter { groups, ..IncidentFilter::window(0, NOW_MS) };
        let groups_of = |points: Vec<IncidentPoint>| points.iter().map(|point| point.group).collect::<Vec<_>>();
        assert_eq!(
            groups_of(read(only(vec![OffenceGroup::Fraud, OffenceGroup::PublicOrder])).await),
            [OffenceGroup::Fraud, OffenceGroup::PublicOrder]
        );
        let in_quadrant = IncidentFilter { quadrant: code("TOY-W-Q1"), ..IncidentFilter::window(0, NOW_MS) };
        assert_eq!(
            groups_of(read(in_quadrant.clone()).await),
            [OffenceGroup::Property, OffenceGroup::Property, OffenceGroup::Fraud]
        );
        let recorded = IncidentFilter { origin: Some(IncidentOrigin::Recorded), ..in_quadrant.clone() };
        assert_eq!(store.incident_count(city, &recorded).await.unwrap(), 2);
        let synthetic_only = IncidentFilter { origin: Some(IncidentOrigin::Synthetic), ..in_quadrant };
        assert_eq!(store.incident_count(city, &synthetic_only).await.unwrap(), 1);
        let east = IncidentFilter { district: code("TOY-E"), ..IncidentFilter::window(0, NOW_MS) };
        assert_eq!(groups_of(read(east).await), [OffenceGroup::Drugs, OffenceGroup::PublicOrder]);
        let property_in_march = IncidentFilter { groups: vec![OffenceGroup::Property], ..march };
        assert_eq!(store.incident_count(city, &property_in_march).await.unwrap(), 2);
        let nowhere = IncidentFilter { quadrant: code("TOY-E-Q2"), ..IncidentFilter::window(0, NOW_MS) };
        assert!(read(nowhere).await.is_empty());
    })
    .await;
}

/// A file of `n` valid rows spread over the toy city and 2025.
fn large_file(n: usize) -> String {
    let mut text = String::from("source_id,datetime,article,lat,lon\n");
    for i in 0..n {
        let (lat, lon) =
            (42.2 + 0.2 * ((i * 7919) % 1000) as f64 / 1000.0, 69.5 + 0.2 * ((i * 104_729) % 1000) as f64 / 1000.0);
        let (month, day, hour) = (1 + i % 12, 1 + i % 28, i % 24);
        let article = ["188", "190", "297", "293", "KoAP 434"][i % 5];
        text.push_str(&format!("R-{i},2025-{month:02}-{day:02} {hour:02}:00,{article},{lat:.5},{lon:.5}\n"));
    }
    text
}

#[tokio::test]
async fn a_file_larger_than_a_batch_is_written_whole_and_once() {
    for_each_backend(|store| async move {
        let city = city(&store).await;
        let mapping = IncidentMapping::default();
        let refuse = import(&mapping, "bulk", InvalidRows::RefuseFile);
        let text = large_file(1_234);
        assert_eq!(store.import_incidents(&text, &refuse).await.unwrap().imported, 1_234);
        let report = store.import_incidents(&text, &refuse).await.unwrap();
        assert_eq!((report.imported, report.already_imported), (0, 1_234));
        let everything = IncidentFilter::window(0, NOW_MS);
        assert_eq!(store.incident_count(city, &everything).await.unwrap(), 1_234);
        assert_eq!(store.incidents(city, &everything).await.unwrap().len(), 1_234);
    })
    .await;
}
