//! Import tests: every class of problem in territories, points, officers, agencies, categories and routing is
//! reported with its place in the file; plans diff a file against what is stored.

use std::fmt;

use serde_json::json;

use super::*;
use crate::fixtures::{collection, feature, rect, toy_features};

fn toy_file() -> TerritoryFile {
    parse_territories(&collection(&toy_features())).unwrap()
}

fn errors_of<T: fmt::Debug>(result: Result<T, ImportFailure>) -> Vec<String> {
    result.unwrap_err().errors.iter().map(ToString::to_string).collect()
}

fn toy_with(index: usize, edit: impl FnOnce(&mut Value)) -> String {
    let mut features = toy_features();
    edit(&mut features[index]);
    collection(&features)
}

#[test]
fn the_toy_city_parses_with_its_city_settings() {
    let file = toy_file();
    let city = file.city.unwrap();
    assert_eq!(city.code.as_str(), "TOY");
    assert_eq!(city.timezone, chrono_tz::Asia::Almaty);
    assert_eq!(file.territories.len(), 11);
    let pilot: Vec<&str> =
        file.territories.iter().filter(|t| t.value.pilot()).map(|t| t.value.code().as_str()).collect();
    assert_eq!(pilot, ["TOY-E-Q1"]);
}

#[test]
fn file_level_errors() {
    assert_eq!(
        errors_of(parse_territories("{not json")),
        ["file: not valid JSON: key must be a string at line 1 column 2"]
    );
    assert_eq!(
        errors_of(parse_territories(r#"{"type": "Feature"}"#)),
        ["file: expected a GeoJSON FeatureCollection with a \"features\" array"]
    );
}

#[test]
fn property_errors_name_the_feature_and_property() {
    let text = toy_with(2, |f| f["properties"]["level"] = json!("block"));
    assert_eq!(
        errors_of(parse_territories(&text)),
        ["feature 2 (TOY-W-Q1): level: \"block\" is not one of: city, district, quadrant"]
    );
    let text = toy_with(2, |f| f["properties"]["name_ru"] = json!(""));
    assert_eq!(errors_of(parse_territories(&text)), ["feature 2 (TOY-W-Q1): name_ru is required"]);
    let text = toy_with(2, |f| f["properties"]["population"] = json!(-5));
    assert_eq!(
        errors_of(parse_territories(&text)),
        ["feature 2 (TOY-W-Q1): population: expected a whole number of at least 0"]
    );
    let text = toy_with(1, |f| f["properties"]["pilot"] = json!(true));
    assert_eq!(
        errors_of(parse_territories(&text)),
        ["feature 1 (TOY-W): pilot: only a quadrant can be marked pilot, not a district"]
    );
    let text = toy_with(0, |f| f["properties"]["timezone"] = json!("Mars/Olympus"));
    assert_eq!(
        errors_of(parse_territories(&text)),
        ["feature 0 (TOY): timezone: \"Mars/Olympus\" is not an IANA time zone such as Asia/Almaty"]
    );
    let text = toy_with(3, |f| f["properties"]["code"] = json!("Q 1"));
    assert_eq!(
        errors_of(parse_territories(&text)),
        ["feature 3 (Q 1): code: the code \"Q 1\" contains ' '; only A-Z, a-z, 0-9, '-', '_' and '.' are allowed"]
    );
}

#[test]
fn geometry_errors_name_the_feature() {
    let text = toy_with(3, |f| f["geometry"]["coordinates"][0][2] = json!([42.35, 69.55]));
    let errors = errors_of(parse_territories(&text));
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("feature 3 (TOY-W-Q2): geometry: invalid polygon:"), "{errors:?}");
    let text = toy_with(3, |f| f["geometry"]["coordinates"][0][1] = json!([69.6, 91.0]));
    assert_eq!(
        errors_of(parse_territories(&text)),
        [
            "feature 3 (TOY-W-Q2): geometry: position polygon 0, ring 0, position 1 is out of range: longitude 69.6 must be in [-180, 180] and latitude 91 in [-90, 90] (are they swapped?)"
        ]
    );
    let text = toy_with(3, |f| f["geometry"] = json!(null));
    assert_eq!(errors_of(parse_territories(&text)), ["feature 3 (TOY-W-Q2): geometry: the feature has no geometry"]);
}

#[test]
fn duplicate_codes_and_second_cities_are_refused() {
    let mut features = toy_features();
    features.push(features[2].clone());
    let mut city = features[0].clone();
    city["properties"]["code"] = json!("TOY2");
    features.push(city);
    assert_eq!(
        errors_of(parse_territories(&collection(&features))),
        [
            "feature 12 (TOY2): a second city; a file describes one city",
            "feature 11 (TOY-W-Q1): code TOY-W-Q1 appears twice (also at feature 2 (TOY-W-Q1))",
        ]
    );
}

#[test]
fn every_error_is_reported_not_just_the_first() {
    let mut features = toy_features();
    features[2]["properties"]["level"] = json!("block");
    features[5]["geometry"] = json!(null);
    let errors = errors_of(parse_territories(&collection(&features)));
    assert_eq!(errors.len(), 2, "{errors:?}");
}

#[test]
fn a_first_import_adds_everything_and_a_second_changes_nothing() {
    let file = toy_file();
    let plan = plan_territories(&file, &[], None).unwrap();
    assert_eq!((plan.added.len(), plan.changed.len(), plan.unchanged), (11, 0, 0));
    assert!(plan.city.is_some());
    assert!(plan.warnings.is_empty(), "{:?}", plan.warnings);
    let stored: Vec<Territory> = file.territories.iter().map(|t| t.value.clone()).collect();
    let again = plan_territories(&file, &stored, file.city.as_ref()).unwrap();
    assert!(again.is_empty());
    assert_eq!(again.unchanged, 11);
}

#[test]
fn a_redrawn_quadrant_is_a_change() {
    let file = toy_file();
    let stored: Vec<Territory> = file.territories.iter().map(|t| t.value.clone()).collect();
    let redrawn = parse_territories(&collection(&[feature(
        json!({"level": "quadrant", "code": "TOY-W-Q1", "parent": "TOY-W", "name_kk": "a", "name_ru": "b",
                       "name_en": "c"}),
        rect(69.5, 42.2, 69.55, 42.28),
    )]))
    .unwrap();
    let plan = plan_territories(&redrawn, &stored, file.city.as_ref()).unwrap();
    assert_eq!(plan.changed.len(), 1);
    assert_eq!(plan.changed[0].code().as_str(), "TOY-W-Q1");
    // The shrunken quadrant leaves a gap in its district: a warning, not an error.
    assert_eq!(plan.warnings.len(), 1);
    assert!(plan.warnings[0].to_string().starts_with("file: "), "the district is stored, not in the file");
    assert!(plan.warnings[0].to_string().contains("covered by no quadrant (a gap)"));
}

#[test]
fn topology_errors_name_the_feature_and_the_other_territory() {
    // TOY-W-Q2 pushed 0.01° east: it sticks out of TOY-W and overlaps TOY-E-Q1.
    let text = toy_with(3, |f| f["geometry"] = rect(69.55, 42.2, 69.61, 42.3));
    let file = parse_territories(&text).unwrap();
    let errors = errors_of(plan_territories(&file, &[], None));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("feature 3 (TOY-W-Q2): lies 9"), "{errors:?}");
    assert!(errors[0].contains("m² outside its parent TOY-W"), "{errors:?}");
    // Two quadrants of one district overlapping.
    let text = toy_with(3, |f| f["geometry"] = rect(69.54, 42.2, 69.6, 42.3));
    let file = parse_territories(&text).unwrap();
    let errors = errors_of(plan_territories(&file, &[], None));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("feature 3 (TOY-W-Q2): overlaps TOY-W-Q1 by 9"), "{errors:?}");
}

#[test]
fn slivers_within_the_tolerance_are_accepted() {
    // 0.00001° (about 0.8 m) of overlap along a 11 km edge: about 9,000 m², under 0.5 % of a quadrant.
    let text = toy_with(3, |f| f["geometry"] = rect(69.54999, 42.2, 69.6, 42.3));
    let file = parse_territories(&text).unwrap();
    assert!(plan_territories(&file, &[], None).is_ok());
}

#[test]
fn unknown_parents_and_a_missing_city_are_refused() {
    let mut features = toy_features();
    features[2]["properties"]["parent"] = json!("TOY-X");
    let file = parse_territories(&collection(&features)).unwrap();
    assert_eq!(
        errors_of(plan_territories(&file, &[], None)),
        ["feature 2 (TOY-W-Q1): parent TOY-X is not a known district (neither in this file nor stored)"]
    );
    let other = toy_with(0, |f| f["properties"]["code"] = json!("ALA"));
    let toy = toy_file();
    assert_eq!(
        errors_of(plan_territories(&parse_territories(&other).unwrap(), &[], toy.city.as_ref())),
        ["file: the file describes city ALA but this database holds city TOY"]
    );
    let no_city = parse_territories(&collection(&toy_features()[1..])).unwrap();
    assert_eq!(
        errors_of(plan_territories(&no_city, &[], None)),
        ["file: no city: the file must contain one feature with level \"city\" (none is stored yet)"]
    );
}

const POINTS_CSV: &str = "code,kind,name_kk,name_ru,name_en,lat,lon,address_kk,address_ru,phone,hours,services,quadrants
P1,district_point,Пункт,Пункт,Point,42.25,69.52,мекенжай,адрес,+7 7252 00-00-00,Mo-Fr 09:00-18:00,reception;appeals,TOY-W-Q1
";

#[test]
fn points_parse_from_csv_and_geojson_alike() {
    let from_csv = parse_points_csv(POINTS_CSV).unwrap();
    assert_eq!(from_csv.len(), 1);
    let point = &from_csv[0].value;
    assert_eq!(point.services, [PoliceService::Reception, PoliceService::Appeals]);
    assert_eq!(point.location, Point::new(69.52, 42.25));
    let geojson = collection(&[
        json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": [69.52, 42.25]},
        "properties": {"code": "P1", "kind": "district_point", "name_kk": "Пункт", "name_ru": "Пункт", "name_en": "Point",
            "address_kk": "мекенжай", "address_ru": "адрес", "phone": "+7 7252 00-00-00", "hours": "Mo-Fr 09:00-18:00",
            "services": ["reception", "appeals"], "quadrants": ["TOY-W-Q1"]}}),
    ]);
    assert_eq!(parse_points_geojson(&geojson).unwrap()[0].value, *point);
}

#[test]
fn point_errors_name_the_line_and_column() {
    let bad = POINTS_CSV.replace("42.25,69.52", "142.25,69.52").replace("Mo-Fr 09:00-18:00", "Mo-Fr 9-18");
    assert_eq!(errors_of(parse_points_csv(&bad)), ["line 2, column lat: lat: expected a number in [-90, 90]"]);
    let bad = POINTS_CSV.replace("Mo-Fr 09:00-18:00", "Mo-Fr 9-18");
    assert_eq!(
        errors_of(parse_points_csv(&bad)),
        ["line 2, column hours: hours: \"9-18\" is not a time range: use HH:MM-HH:MM"]
    );
    let bad = POINTS_CSV.replace("reception;appeals", "reception;karaoke");
    assert!(
        errors_of(parse_points_csv(&bad))[0]
            .starts_with("line 2, column services: services: \"karaoke\" is not one of")
    );
    let no_column = "code,kind\nP1,district_point\n";
    assert_eq!(errors_of(parse_points_csv(no_column))[0], "line 1, column name_kk: column name_kk is required");
    let points = parse_points_csv(POINTS_CSV).unwrap();
    let known: HashSet<Code> = [Code::parse("TOY-W-Q2").unwrap()].into();
    assert_eq!(errors_of(check_points(&points, &known)), ["line 2, column quadrants: unknown quadrant TOY-W-Q1"]);
}

#[test]
fn problems_carry_their_parts_not_only_their_text() {
    let kinds = |failure: ImportFailure| -> Vec<ProblemKind> { failure.errors.into_iter().map(|p| p.kind).collect() };
    let bad = POINTS_CSV.replace("42.25,69.52", "142.25,69.52");
    assert_eq!(
        kinds(parse_points_csv(&bad).unwrap_err()),
        [ProblemKind::Invalid {
            property: "lat".into(),
            reason: InvalidReason::NumberOutOfRange { min: -90.0, max: 90.0 }
        }]
    );
    let bad = POINTS_CSV.replace("+7 7252 00-00-00", "call us");
    assert_eq!(
        kinds(parse_points_csv(&bad).unwrap_err()),
        [ProblemKind::Invalid {
            property: "phone".into(),
            reason: InvalidReason::Phone(crate::registry::PhoneError("call us".into()))
        }]
    );
    let no_column = "code,kind\nP1,district_point\n";
    assert_eq!(kinds(parse_points_csv(no_column).unwrap_err())[0], ProblemKind::MissingColumn("name_kk".into()));
    // A record with too few fields: the place is its line, and the counts are kept.
    let short = format!("{POINTS_CSV}P2,district_point\n");
    let failure = parse_points_csv(&short).unwrap_err();
    assert_eq!(
        failure.errors[0],
        Problem {
            location: Location::Line { line: 3, column: None },
            kind: ProblemKind::Csv(CsvError::FieldCount { expected: 13, found: 2 })
        }
    );
    assert_eq!(failure.errors[0].to_string(), "line 3: unreadable CSV: the record has 2 fields, but the header has 13");
    // A point feature's geometry problems name no ring.
    let point = |coordinates: Value| {
        collection(&[json!({"type": "Feature", "geometry": {"type": "Point", "coordinates": coordinates},
            "properties": {"code": "P1"}})])
    };
    assert_eq!(
        kinds(parse_points_geojson(&point(json!([42.25, 169.52]))).unwrap_err()),
        [ProblemKind::Geometry(GeometryError::OutOfRange { position: PositionAt::Point, lon: 42.25, lat: 169.52 })]
    );
    assert_eq!(
        kinds(parse_points_geojson(&point(json!(["x", 1]))).unwrap_err()),
        [ProblemKind::Geometry(GeometryError::BadPosition { position: PositionAt::Point })]
    );
    let Err(failure) = parse_territories("{not json") else { panic!("not JSON") };
    assert!(matches!(failure.errors[0].kind, ProblemKind::Json { line: 1, column: 2, .. }), "{failure:?}");
}

const OFFICERS_CSV: &str = "badge,name,rank,role,phone,quadrants,point,reception_hours
SHY-00001,Нұрлан Сейітов,captain,district_inspector,+7 7252 11-11-11,TOY-W-Q1,P1,Tu;Th 18:00-20:00
";

#[test]
fn officers_parse_and_their_references_are_checked() {
    let fixed = OFFICERS_CSV.replace("Tu;Th 18:00-20:00", "\"Tu,Th 18:00-20:00\"");
    let officers = parse_officers_csv(&fixed).unwrap();
    assert_eq!(officers[0].value.role, OfficerRole::DistrictInspector);
    assert!(officers[0].value.reception_hours.as_ref().unwrap().is_open(chrono::Weekday::Thu, 19 * 60));
    let quadrants: HashSet<Code> = [Code::parse("TOY-W-Q1").unwrap()].into();
    assert!(check_officers(&officers, &quadrants, &[Code::parse("P1").unwrap()].into()).is_ok());
    assert_eq!(
        errors_of(check_officers(&officers, &quadrants, &HashSet::new())),
        ["line 2, column point: unknown police point P1"]
    );
    assert_eq!(
        errors_of(parse_officers_csv(OFFICERS_CSV)),
        [
            "line 2, column reception_hours: reception_hours: rule \"Tu\" has no time range (expected e.g. \"Mo-Fr 09:00-18:00\")"
        ]
    );
    let twice = format!("{fixed}{}", fixed.lines().nth(1).unwrap());
    assert_eq!(errors_of(parse_officers_csv(&twice)), ["line 3: code SHY-00001 appears twice (also at line 2)"]);
}

#[test]
fn agencies_parse_with_optional_contacts() {
    let text = "code,kind,name_kk,name_ru,name_en,phone,email,website\n\
                EMERG_102,emergency,102,102,Police 102,102,,\n\
                EDU,education,Білім басқармасы,Управление образования,Education department,,edu@example.kz,\n";
    let agencies = parse_agencies_csv(text).unwrap();
    assert_eq!(agencies.len(), 2);
    assert_eq!(agencies[1].value.email.as_deref(), Some("edu@example.kz"));
    let bad = text.replace("edu@example.kz", "edu at example");
    assert_eq!(errors_of(parse_agencies_csv(&bad)), ["line 3, column email: email: not an e-mail address"]);
}

#[test]
fn the_demo_categories_and_routing_parse_and_agree_with_the_demo_agencies() {
    let data = |name: &str| {
        std::fs::read_to_string(format!("{}/../../data/demo/shymkent/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    };
    let categories: Vec<Category> =
        parse_categories_csv(&data("categories.csv")).unwrap().into_iter().map(|c| c.value).collect();
    let overrides: Vec<RoutingOverride> =
        parse_routing_csv(&data("routing.csv")).unwrap().into_iter().map(|r| r.value).collect();
    let agencies = parse_agencies_csv(&data("agencies.csv")).unwrap();
    let codes: HashSet<Code> = agencies.iter().map(|a| a.value.code.clone()).collect();
    let lines: HashSet<Code> = agencies
        .iter()
        .filter(|a| a.value.kind == crate::registry::AgencyKind::Emergency)
        .map(|a| a.value.code.clone())
        .collect();
    let districts: HashSet<Code> =
        ["SHY-ABY", "SHY-ALF", "SHY-ENB", "SHY-KRT", "SHY-TRN"].iter().map(|c| Code::parse(c).unwrap()).collect();
    let routing = crate::category::Routing::new(categories, overrides, &codes, &lines, &districts).unwrap();
    assert!(routing.categories().len() >= 30);
    let lighting = routing.category(&Code::parse("LIGHTING").unwrap()).unwrap();
    let route = routing.route(lighting, Some(&Code::parse("SHY-ALF").unwrap()));
    assert_eq!(route.primary.as_str(), "AKIM_ALF", "street lighting goes to the district's akimat");
    let domestic = routing.category(&Code::parse("DOMESTIC").unwrap()).unwrap();
    assert_eq!(routing.route(domestic, None).agencies().map(Code::as_str).collect::<Vec<_>>(), ["POL_UIP", "SOCIAL"]);
    // The law: anonymous appeals are considered only when they report a crime.
    for category in routing.categories() {
        if category.anonymous_allowed {
            assert_eq!(category.track, crate::category::LegalTrack::CrimeReport, "{}", category.code);
        }
    }
}

#[test]
fn category_errors_name_the_line_and_column() {
    let header = "code,group,urgency,track,anonymous_allowed,primary,joint,referral,deadline_working_days,duplicate_radius_m,name_kk,name_ru,name_en,description_kk,description_ru,description_en\n";
    let row = "NOISE,public_order,high,administrative,false,POL_UIP,,POL_PATROL,,150,Шу,Шум,Noise,Түнгі шу,Шум ночью,Noise at night\n";
    assert_eq!(parse_categories_csv(&format!("{header}{row}")).unwrap()[0].value.urgency, Urgency::High);
    let bad = row.replace(",high,", ",urgent,");
    assert_eq!(
        errors_of(parse_categories_csv(&format!("{header}{bad}"))),
        ["line 2, column urgency: urgency: \"urgent\" is not one of: emergency, high, normal, low"]
    );
    let bad = row.replace(",,150,", ",90,150,");
    assert_eq!(
        errors_of(parse_categories_csv(&format!("{header}{bad}"))),
        [
            "line 2, column deadline_working_days: deadline_working_days: expected a whole number of working days from 1 to 60"
        ]
    );
    let routing =
        "district,category,replaces,agency\nSHY-ALF,*,AKIM_DISTR,AKIM_ALF\nSHY-ALF,LIGHT ING,AKIM_DISTR,AKIM_ALF\n";
    assert_eq!(
        errors_of(parse_routing_csv(routing)),
        [
            "line 3, column category: category: the code \"LIGHT ING\" contains ' '; only A-Z, a-z, 0-9, '-', '_' and '.' are allowed"
        ]
    );
}
