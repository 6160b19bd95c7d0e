//! Unit tests of the incidents module: the taxonomy and the reading of articles and groups, the coordinate
//! systems (UTM checked against PROJ), the mapping, and every problem a row or a file can have.

use approx::assert_abs_diff_eq;
use chrono_tz::Asia::Almaty;
use geo_types::{Rect, coord};
use proptest::prelude::*;

use super::*;
use crate::lang::Lang;

// ---------------------------------------------------------------------------------------------------------
// Taxonomy.

fn code(legal: LegalCode, article: u16, sub: Option<u16>) -> OffenceCode {
    OffenceCode::new(legal, article, sub)
}

fn check_article(text: &str, expected: Result<OffenceCode, ArticleError>) {
    assert_eq!(OffenceCode::parse(text), expected, "reading {text:?}");
}

#[test]
fn articles_are_read_as_police_data_write_them() {
    use LegalCode::{Administrative as KoAP, Criminal as UK};
    check_article("188", Ok(code(UK, 188, None)));
    check_article(" UK 188 ", Ok(code(UK, 188, None)));
    check_article("ст. 188 ч. 2 УК РК", Ok(code(UK, 188, None)));
    check_article("ч.2 ст.188 УК РК", Ok(code(UK, 188, None)));
    check_article("п. 3 ч. 2 статьи 188", Ok(code(UK, 188, None)));
    check_article("188 ч.3", Ok(code(UK, 188, None)));
    check_article("108-1", Ok(code(UK, 108, Some(1))));
    check_article("ст.109‑1 УК", Ok(code(UK, 109, Some(1))));
    check_article("КоАП 434-1", Ok(code(KoAP, 434, Some(1))));
    check_article("koap 437", Ok(code(KoAP, 437, None)));
    check_article("ӘҚБтК 437-бабы", Ok(code(KoAP, 437, None)));
    check_article("ҚК 188-бабының 2-бөлігі", Ok(code(UK, 188, None)));
    check_article("2-бөлігі 188-бап", Ok(code(UK, 188, None)));
    check_article("Art. 190 part 4 CC", Ok(code(UK, 190, None)));
    check_article("ч. 2", Err(ArticleError::NoArticle("ч. 2".into())));
    check_article("кража", Err(ArticleError::NoArticle("кража".into())));
    check_article("99999999", Err(ArticleError::NoArticle("99999999".into())));
    check_article("УК / КоАП 188", Err(ArticleError::BothCodes("УК / КоАП 188".into())));
}

#[test]
fn offence_codes_print_canonically_and_read_back() {
    for text in ["UK 188", "UK 108-1", "KoAP 434-2"] {
        assert_eq!(OffenceCode::parse(text).unwrap().to_string(), text);
    }
    assert_eq!(OffenceCode::parse("UK 434").unwrap().in_other_code().to_string(), "KoAP 434");
}

#[test]
fn the_shipped_taxonomy_groups_the_articles_of_taxonomy_md() {
    let taxonomy = Taxonomy::kazakhstan();
    let group = |text: &str| taxonomy.get(OffenceCode::parse(text).unwrap()).map(|offence| offence.group);
    assert_eq!(group("UK 188"), Some(OffenceGroup::Property));
    assert_eq!(group("UK 190"), Some(OffenceGroup::Fraud));
    assert_eq!(group("UK 191"), Some(OffenceGroup::Property));
    assert_eq!(group("UK 109-1"), Some(OffenceGroup::Violent));
    assert_eq!(group("UK 120"), Some(OffenceGroup::Sexual));
    assert_eq!(group("UK 293"), Some(OffenceGroup::PublicOrder));
    assert_eq!(group("UK 297"), Some(OffenceGroup::Drugs));
    assert_eq!(group("UK 345"), Some(OffenceGroup::Traffic));
    assert_eq!(group("KoAP 73"), Some(OffenceGroup::Domestic));
    assert_eq!(group("KoAP 434"), Some(OffenceGroup::PublicOrder));
    assert_eq!(group("KoAP 608"), Some(OffenceGroup::Traffic));
    assert_eq!(group("UK 434"), None, "KoAP 434 is not a criminal article");
    let theft = taxonomy.get(OffenceCode::parse("188").unwrap()).unwrap();
    assert_eq!((theft.name.kk(), theft.name.ru(), theft.name.en()), ("Ұрлық", "Кража", "Theft"));
    assert_eq!(theft.confidence, Confidence::Confirmed);
    for group in OffenceGroup::ALL {
        assert!(taxonomy.offences().iter().any(|offence| offence.group == group), "{group} has an offence");
        assert_eq!(group.as_str().parse::<OffenceGroup>(), Ok(group));
    }
}

#[test]
fn a_bad_taxonomy_file_names_its_line() {
    let header = "code,group,name_kk,name_ru,name_en,confidence\n";
    let check = |row: &str, expected: &str| {
        let err = Taxonomy::parse(&format!("# comment\n{header}{row}\n")).unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
    };
    check("UK 188,property,Ұрлық,Кража,Theft,X", "confidence \"X\"");
    check("188,property,Ұрлық,Кража,Theft,C", "write the code \"188\" as \"UK 188\"");
    check("UK 188,burglary,Ұрлық,Кража,Theft,C", "\"burglary\" is not one of");
    check("UK 188,property,,Кража,Theft,C", "name_kk is required");
    check("UK 188,property,Ұрлық,Кража,Theft,C\nUK 188,property,Ұрлық,Кража,Theft,C", "line 4: UK 188 is listed twice");
}

#[test]
fn groups_are_read_by_code_or_by_name_in_any_language() {
    for label in ["public_order", "Public order", "ОБЩЕСТВЕННЫЙ ПОРЯДОК", "қоғамдық тәртіп", " public-order "]
    {
        assert_eq!(OffenceGroup::from_label(label), Some(OffenceGroup::PublicOrder), "{label}");
    }
    assert_eq!(OffenceGroup::from_label("Fraud & cyber"), Some(OffenceGroup::Fraud));
    assert_eq!(OffenceGroup::from_label("Мошенничество, интернет"), Some(OffenceGroup::Fraud));
    assert_eq!(OffenceGroup::from_label("burglary"), None);
    assert_eq!(OffenceGroup::Drugs.name(Lang::Kk), "Есірткі");
}

// ---------------------------------------------------------------------------------------------------------
// Coordinate systems.

#[test]
fn coordinate_systems_are_named_or_refused_by_name() {
    for (name, crs) in [
        ("EPSG:4326", Crs::Wgs84),
        ("wgs84", Crs::Wgs84),
        ("local", Crs::Local),
        ("epsg:32642", Crs::Utm42N),
        ("UTM 42N", Crs::Utm42N),
    ] {
        assert_eq!(name.parse::<Crs>(), Ok(crs), "{name}");
    }
    let err = "EPSG:3857".parse::<Crs>().unwrap_err();
    assert_eq!(err, UnsupportedCrs("EPSG:3857".into()));
    assert!(err.to_string().contains("use EPSG:4326 (lat/lon), local"), "{err}");
}

/// (lon, lat) → (easting, northing) in EPSG:32642 by PROJ 9.5.1 (pyproj 3.7.2,
/// `Transformer.from_crs("EPSG:4326", "EPSG:32642", always_xy=True)`), to 0.1 mm.
const UTM_42N_BY_PROJ: [((f64, f64), (f64, f64)); 8] = [
    ((69.5958, 42.3167), (549097.4013, 4685111.8976)),
    ((69.0, 42.0), (500000.0, 4649776.2248)),
    ((66.0, 40.0), (243900.3520, 4432069.0569)),
    ((72.0, 55.0), (691875.6321, 6098907.8251)),
    ((69.6103, 42.29871), (550306.6127, 4683122.8373)),
    ((69.3, 42.11), (524802.4624, 4662033.0575)),
    ((69.93, 42.48), (576439.1524, 4703491.2834)),
    ((68.5, 0.5), (444363.9120, 55267.1556)),
];

#[test]
fn utm_zone_42n_matches_proj_to_the_tenth_of_a_millimetre() {
    let utm = TransverseMercator::utm_north(42);
    for ((lon, lat), (easting, northing)) in UTM_42N_BY_PROJ {
        let (x, y) = utm.forward(lon, lat);
        assert_abs_diff_eq!(x, easting, epsilon = 1e-4);
        assert_abs_diff_eq!(y, northing, epsilon = 1e-4);
        let (lon2, lat2) = utm.inverse(easting, northing);
        // 1e-9° is about 0.1 mm.
        assert_abs_diff_eq!(lon2, lon, epsilon = 1e-9);
        assert_abs_diff_eq!(lat2, lat, epsilon = 1e-9);
    }
}

proptest! {
    #[test]
    fn utm_inverse_undoes_forward_across_the_zone(lon in 66.0f64..72.0, lat in 0.0f64..84.0) {
        let utm = TransverseMercator::utm_north(42);
        let (x, y) = utm.forward(lon, lat);
        let (lon2, lat2) = utm.inverse(x, y);
        prop_assert!((lon - lon2).abs() < 1e-10 && (lat - lat2).abs() < 1e-10, "{lon} {lat} → {lon2} {lat2}");
    }

    #[test]
    fn local_metres_undo_the_local_projection(lon in 69.4f64..69.8, lat in 42.1f64..42.5) {
        let frame = toy_frame();
        let (x, y) = frame.lon_lat_to_local(lon, lat);
        let (lon2, lat2) = frame.local_to_lon_lat(x, y);
        prop_assert!((lon - lon2).abs() < 1e-10 && (lat - lat2).abs() < 1e-10);
    }
}

#[test]
fn local_metres_are_east_and_north_of_the_centre_of_the_city_box() {
    let frame = toy_frame();
    assert_eq!(frame.origin(), coord! { x: 69.6, y: 42.3 });
    assert_eq!(frame.local_to_lon_lat(0.0, 0.0), (69.6, 42.3));
    // One degree of latitude near 42° N is about 111.07 km on WGS84; one of longitude, cos 42.3° of 111.32 km.
    let (_, y) = frame.lon_lat_to_local(69.6, 43.3);
    approx::assert_relative_eq!(y, 111_074.0, max_relative = 2e-3);
    let (x, _) = frame.lon_lat_to_local(70.6, 42.3);
    approx::assert_relative_eq!(x, 111_320.0 * 42.3f64.to_radians().cos(), max_relative = 2e-3);
}

// ---------------------------------------------------------------------------------------------------------
// Mapping.

#[test]
fn a_mapping_reads_pairs_separated_by_commas_or_lines() {
    let mapping =
        IncidentMapping::parse("# from the ERDR export\nsource_id = ID, datetime=Дата и время\n\nlat=Широта").unwrap();
    assert_eq!(mapping.column(IncidentField::SourceId), "ID");
    assert_eq!(mapping.column(IncidentField::Datetime), "Дата и время");
    assert_eq!(mapping.column(IncidentField::Lat), "Широта");
    assert_eq!(mapping.column(IncidentField::Lon), "lon");
    assert!(mapping.is_explicit(IncidentField::Lat) && !mapping.is_explicit(IncidentField::Lon));
    let merged = mapping.overridden_by(IncidentMapping::parse("lat=LAT,lon=LON").unwrap());
    assert_eq!((merged.column(IncidentField::Lat), merged.column(IncidentField::Lon)), ("LAT", "LON"));
    assert_eq!(merged.column(IncidentField::SourceId), "ID");
    assert_eq!(
        IncidentMapping::parse("id=ID").unwrap_err().to_string(),
        "mapping: \"id\" is not one of: source_id, datetime, date, hour, article, group, lat, lon, x, y, address, erdr_ref"
    );
    assert_eq!(IncidentMapping::parse("source_id").unwrap_err(), MappingError::NotAPair("source_id".into()));
    assert_eq!(IncidentMapping::parse("lat=").unwrap_err(), MappingError::EmptyColumn(IncidentField::Lat));
    assert_eq!(IncidentMapping::parse("lat=A,lat=B").unwrap_err(), MappingError::Repeated(IncidentField::Lat));
}

// ---------------------------------------------------------------------------------------------------------
// Reading files.

/// The toy city of the other unit tests: 69.5–69.7° E, 42.2–42.4° N, in Asia/Almaty.
fn toy_frame() -> CityFrame {
    CityFrame::from_parts(Almaty, Rect::new(coord! { x: 69.5, y: 42.2 }, coord! { x: 69.7, y: 42.4 }))
}

/// 2026-01-01T00:00:00Z: the import's time in these tests.
const NOW_MS: i64 = 1_767_225_600_000;

fn read(text: &str, mapping: &str, crs: Crs) -> Result<ParsedIncidents, IncidentFileError> {
    let mapping = IncidentMapping::parse(mapping).unwrap();
    let frame = toy_frame();
    let config = IncidentConfig {
        mapping: &mapping,
        crs,
        frame: &frame,
        taxonomy: Taxonomy::kazakhstan(),
        not_after_ms: NOW_MS,
    };
    parse_incidents_csv(text, &config)
}

fn incidents(text: &str, mapping: &str, crs: Crs) -> Vec<Incident> {
    let parsed = read(text, mapping, crs).unwrap();
    assert!(parsed.problems.is_empty(), "no problems expected: {:#?}", parsed.problems);
    parsed.incidents.into_iter().map(|located| located.value).collect()
}

/// UTC epoch milliseconds of a UTC date and time.
fn utc(text: &str) -> i64 {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap().and_utc().timestamp_millis()
}

#[test]
fn a_file_with_the_default_columns_reads_every_field() {
    let text = "\u{feff}source_id,datetime,article,lat,lon,address,erdr_ref\n\
                E-1,2025-03-14 21:30,ст. 188 ч. 2 УК,42.31,69.59,\"ул. Байтурсынова, 12\",255130031000123\n\
                E-2,14.03.2025,КоАП 434,42.25,69.65,,\n\
                E-3,2025-03-14T21:30:00Z,190,\"42,33\",\"69,61\",,\n";
    let read = incidents(text, "", Crs::Wgs84);
    assert_eq!(
        read[0],
        Incident {
            source_id: "E-1".into(),
            // Asia/Almaty is UTC+5 since 1 March 2024.
            occurred_at_ms: utc("2025-03-14 16:30"),
            hour_known: true,
            offence: Some(OffenceCode::parse("UK 188").unwrap()),
            group: OffenceGroup::Property,
            location: Point::new(69.59, 42.31),
            address: Some("ул. Байтурсынова, 12".into()),
            erdr_ref: Some("255130031000123".into()),
        }
    );
    assert_eq!((read[1].occurred_at_ms, read[1].hour_known), (utc("2025-03-13 19:00"), false), "local midnight");
    assert_eq!(read[1].group, OffenceGroup::PublicOrder);
    assert_eq!((read[1].address.as_deref(), read[1].erdr_ref.as_deref()), (None, None));
    assert_eq!(read[2].occurred_at_ms, utc("2025-03-14 21:30"), "an offset is an instant, not a local time");
    assert_eq!(read[2].group, OffenceGroup::Fraud);
    assert_eq!(read[2].location, Point::new(69.61, 42.33), "decimal commas are read");
}

#[test]
fn a_mapped_file_reads_date_and_hour_and_a_group_column() {
    let text = "№,Дата,Час,Категория,Широта,Долгота\n\
                1,2025-06-01,14,Имущественные,42.3,69.6\n\
                2,2025-06-01,,violent,42.3,69.6\n\
                3,2025-06-01 00:00:00,21:45,Public order,42.3,69.6\n";
    let mapping = "source_id=№,date=Дата,hour=Час,group=Категория,lat=Широта,lon=Долгота";
    let read = incidents(text, mapping, Crs::Wgs84);
    assert_eq!((read[0].occurred_at_ms, read[0].hour_known), (utc("2025-06-01 09:00"), true));
    assert_eq!((read[0].offence, read[0].group), (None, OffenceGroup::Property));
    assert_eq!((read[1].occurred_at_ms, read[1].hour_known), (utc("2025-05-31 19:00"), false));
    assert_eq!((read[2].occurred_at_ms, read[2].group), (utc("2025-06-01 16:45"), OffenceGroup::PublicOrder));
}

#[test]
fn an_article_and_a_group_that_agree_are_both_accepted() {
    let text = "source_id,datetime,article,group,lat,lon\nA,2025-01-01 10:00,188,Property,42.3,69.6\nB,2025-01-01 10:00,,drugs,42.3,69.6\n";
    let read = incidents(text, "", Crs::Wgs84);
    assert_eq!(read[0].offence.map(|code| code.to_string()).as_deref(), Some("UK 188"));
    assert_eq!((read[1].offence, read[1].group), (None, OffenceGroup::Drugs));
}

#[test]
fn the_repeated_hour_when_almaty_moved_to_utc_plus_5_is_read_as_its_first_occurrence() {
    let text =
        "source_id,datetime,article,lat,lon\nA,2024-02-29 23:30,188,42.3,69.6\nB,2024-03-01 00:30,188,42.3,69.6\n";
    let read = incidents(text, "", Crs::Wgs84);
    assert_eq!(read[0].occurred_at_ms, utc("2024-02-29 17:30"), "23:30 at UTC+6, before the clocks went back");
    assert_eq!(read[1].occurred_at_ms, utc("2024-02-29 19:30"), "00:30 at UTC+5");
}

#[test]
fn planar_coordinates_are_converted_to_wgs84() {
    let frame = toy_frame();
    let (x, y) = frame.lon_lat_to_local(69.61, 42.33);
    let text = format!("source_id,datetime,article,x,y\nA,2025-01-01 10:00,188,{x},{y}\n");
    let local = incidents(&text, "", Crs::Local);
    assert_abs_diff_eq!(local[0].location.x(), 69.61, epsilon = 1e-9);
    assert_abs_diff_eq!(local[0].location.y(), 42.33, epsilon = 1e-9);
    // A point of the Shymkent table above, in the toy box: PROJ's easting and northing for (69.6103, 42.29871).
    let text = "source_id,datetime,article,E,N\nA,2025-01-01 10:00,188,550306.6127,4683122.8373\n";
    let utm = incidents(text, "x=E,y=N", Crs::Utm42N);
    assert_abs_diff_eq!(utm[0].location.x(), 69.6103, epsilon = 1e-8);
    assert_abs_diff_eq!(utm[0].location.y(), 42.29871, epsilon = 1e-8);
}

/// Reads a file whose rows all have problems, and checks each problem's row, field and reason code.
fn check_problems(text: &str, mapping: &str, expected: &[(u64, Option<IncidentField>, &str)]) {
    let parsed = read(text, mapping, Crs::Wgs84).unwrap();
    let found: Vec<(u64, Option<IncidentField>, &str)> =
        parsed.problems.iter().map(|problem| (problem.row, problem.field, problem.reason.code())).collect();
    assert_eq!(found, expected, "{:#?}", parsed.problems);
}

#[test]
fn every_bad_row_is_reported_with_its_row_field_and_reason() {
    use IncidentField as F;
    let text = "source_id,datetime,article,group,lat,lon,address\n\
                OK-1,2025-01-01 10:00,188,,42.3,69.6,\n\
                ,2025-01-01 10:00,188,,42.3,69.6,\n\
                B-2,2025-13-01 10:00,188,,42.3,69.6,\n\
                B-3,01/02/2025,188,,42.3,69.6,\n\
                B-4,2025-01-01 10:00,434,,42.3,69.6,\n\
                B-5,2025-01-01 10:00,кража,,42.3,69.6,\n\
                B-6,2025-01-01 10:00,,burglary,42.3,69.6,\n\
                B-7,2025-01-01 10:00,188,drugs,42.3,69.6,\n\
                B-8,2025-01-01 10:00,188,,north,69.6,\n\
                B-9,2025-01-01 10:00,188,,42.3,70.6,\n\
                B-10,2025-01-01 10:00,188,,69.6,42.3,\n\
                OK-1,2025-01-01 10:00,188,,42.3,69.6,\n\
                B-12,2027-01-01 10:00,188,,42.3,69.6,\n\
                B-13,2025-01-01 10:00,,,42.3,69.6,\n\
                B-14,2025-01-01 10:00,188,,42.3\n\
                B-15,2025-01-01 10:00,999,nonsense,,69.6,\n";
    let long_address = format!("B-16,2025-01-01 10:00,188,,42.3,69.6,{}\n", "д".repeat(MAX_ADDRESS_CHARS + 1));
    check_problems(
        &format!("{text}{long_address}"),
        "",
        &[
            (3, Some(F::SourceId), "missing"),
            (4, Some(F::Datetime), "bad_datetime"),
            (5, Some(F::Datetime), "bad_datetime"),
            (6, Some(F::Article), "unknown_article"),
            (7, Some(F::Article), "bad_article"),
            (8, Some(F::Group), "unknown_group"),
            (9, Some(F::Group), "group_mismatch"),
            (10, Some(F::Lat), "not_number"),
            (11, Some(F::Lat), "outside_city"),
            (12, Some(F::Lat), "outside_city"),
            (13, Some(F::SourceId), "duplicate_id"),
            (14, Some(F::Datetime), "in_future"),
            (15, Some(F::Article), "missing"),
            (16, None, "field_count"),
            // One row, three problems: each is named.
            (17, Some(F::Article), "unknown_article"),
            (17, Some(F::Group), "unknown_group"),
            (17, Some(F::Lat), "missing"),
            (18, Some(F::Address), "too_long"),
        ],
    );
    let parsed = read(&format!("{text}{long_address}"), "", Crs::Wgs84).unwrap();
    assert_eq!((parsed.rows, parsed.invalid_rows, parsed.incidents.len()), (17, 16, 1));
    let message = |row: u64| {
        parsed.problems.iter().find(|problem| problem.row == row).map(ToString::to_string).unwrap_or_default()
    };
    assert_eq!(message(3), "row 3, field source_id: a value is required");
    assert_eq!(message(6), "row 6, field article: unknown article UK 434 (KoAP 434 exists: write it with its code)");
    assert_eq!(message(9), "row 9, field group: group drugs disagrees with article UK 188, which is in group property");
    assert!(message(12).ends_with("with the two coordinates swapped it would be inside: are the columns swapped?"));
    assert!(!message(11).contains("swapped"), "{}", message(11));
    assert_eq!(message(13), "row 13, field source_id: source id \"OK-1\" is also used by row 2");
    assert_eq!(message(16), "row 16: the row has 5 values, but the header has 7");
}

#[test]
fn date_and_hour_problems_name_the_column_they_were_read_from() {
    use IncidentField as F;
    let text = "ID,Дата,Час,article,lat,lon\n\
                1,2025-02-30,10,188,42.3,69.6\n\
                2,2025-01-01,25,188,42.3,69.6\n\
                3,,10,188,42.3,69.6\n\
                4,2027-01-01,,188,42.3,69.6\n";
    let mapping = "source_id=ID,date=Дата,hour=Час";
    check_problems(
        text,
        mapping,
        &[
            (2, Some(F::Date), "bad_date"),
            (3, Some(F::Hour), "bad_hour"),
            (4, Some(F::Date), "missing"),
            (5, Some(F::Date), "in_future"),
        ],
    );
    let parsed = read(text, mapping, Crs::Wgs84).unwrap();
    assert_eq!(parsed.problems[1].column.as_deref(), Some("Час"));
    assert_eq!(
        parsed.problems[1].to_string(),
        "row 3, field hour (column Час): \"25\" is not an hour: write 0 to 23, or a time such as 21:30"
    );
}

#[test]
fn a_file_that_cannot_be_read_as_a_whole_is_refused_with_the_reason() {
    let check = |text: &str, mapping: &str, crs: Crs, expected: IncidentFileError| {
        assert_eq!(read(text, mapping, crs).unwrap_err(), expected, "{text}");
    };
    let good_row = "A,2025-01-01 10:00,188,42.3,69.6\n";
    check(
        &format!("id,datetime,article,lat,lon\n{good_row}"),
        "",
        Crs::Wgs84,
        IncidentFileError::MissingColumn { field: IncidentField::SourceId, column: "source_id".into() },
    );
    check(
        &format!("source_id,datetime,article,lat,lon\n{good_row}"),
        "lat=Широта",
        Crs::Wgs84,
        IncidentFileError::MissingColumn { field: IncidentField::Lat, column: "Широта".into() },
    );
    check(&format!("source_id,when,article,lat,lon\n{good_row}"), "", Crs::Wgs84, IncidentFileError::NoTime);
    check(&format!("source_id,datetime,kind,lat,lon\n{good_row}"), "", Crs::Wgs84, IncidentFileError::NoOffence);
    check(
        &format!("source_id,datetime,article,lat,lon\n{good_row}"),
        "date=datetime,datetime=datetime",
        Crs::Wgs84,
        IncidentFileError::Conflict { first: IncidentField::Datetime, second: IncidentField::Date },
    );
    check(
        &format!("source_id,datetime,article,lat,lon\n{good_row}"),
        "x=lon,y=lat",
        Crs::Wgs84,
        IncidentFileError::WrongCoordinates { crs: Crs::Wgs84, expected: "lat and lon", found: "x and y" },
    );
    check(
        &format!("source_id,datetime,article,lat,lon\n{good_row}"),
        "",
        Crs::Utm42N,
        IncidentFileError::MissingColumn { field: IncidentField::X, column: "x".into() },
    );
    check("source_id,datetime,article,lat,lon\n", "", Crs::Wgs84, IncidentFileError::Empty);
    // Column names match whatever their case, when only one does.
    let read_upper = read(&format!("SOURCE_ID,DateTime,Article,LAT,Lon\n{good_row}"), "", Crs::Wgs84).unwrap();
    assert_eq!(read_upper.incidents.len(), 1);
}

#[test]
fn the_problems_report_is_csv_with_a_reason_code_and_the_message() {
    let parsed = read(
        "source_id,datetime,article,lat,lon\nA,2025-01-01 10:00,\"ст. 999, ч. 1\",42.3,69.6\nB,2025-01-01,188\n",
        "",
        Crs::Wgs84,
    )
    .unwrap();
    assert_eq!(
        problems_csv(&parsed.problems),
        "row,field,column,reason,message\n\
         2,article,article,unknown_article,unknown article UK 999\n\
         3,,,field_count,\"the row has 3 values, but the header has 5\"\n"
    );
}
