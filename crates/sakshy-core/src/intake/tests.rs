//! Intake tests on the demo city's real files: diversion of emergencies, the contact and consent rules,
//! location to quadrant, routing by district, and the registration date around holidays.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::NaiveDate;

use super::*;
use crate::category::RoutingOverride;
use crate::import;
use crate::territory::Level;

struct Demo {
    routing: Routing,
    locator: Locator,
    points: Vec<PolicePoint>,
    agencies: Vec<Agency>,
    calendar: WorkingCalendar,
    office_hours: OpeningHours,
}

fn read(name: &str) -> String {
    std::fs::read_to_string(format!("{}/../../data/demo/shymkent/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

static DEMO: LazyLock<Demo> = LazyLock::new(|| {
    let territories: Vec<_> = import::parse_territories(&read("territories.geojson"))
        .unwrap()
        .territories
        .into_iter()
        .map(|t| t.value)
        .collect();
    let districts: HashSet<Code> =
        territories.iter().filter(|t| t.level() == Level::District).map(|t| t.code().clone()).collect();
    let points: Vec<PolicePoint> =
        import::parse_points_geojson(&read("points.geojson")).unwrap().into_iter().map(|p| p.value).collect();
    let agencies: Vec<Agency> =
        import::parse_agencies_csv(&read("agencies.csv")).unwrap().into_iter().map(|a| a.value).collect();
    let categories =
        import::parse_categories_csv(&read("categories.csv")).unwrap().into_iter().map(|c| c.value).collect();
    let overrides: Vec<RoutingOverride> =
        import::parse_routing_csv(&read("routing.csv")).unwrap().into_iter().map(|r| r.value).collect();
    let codes: HashSet<Code> = agencies.iter().map(|a| a.code.clone()).collect();
    let lines: HashSet<Code> =
        agencies.iter().filter(|a| a.kind == crate::AgencyKind::Emergency).map(|a| a.code.clone()).collect();
    Demo {
        routing: Routing::new(categories, overrides, &codes, &lines, &districts).unwrap(),
        locator: Locator::new(territories, points.clone(), vec![]),
        points,
        agencies,
        calendar: WorkingCalendar::kazakhstan(),
        office_hours: OpeningHours::parse("Mo-Fr 09:00-18:00").unwrap(),
    }
});

fn context() -> IntakeContext<'static> {
    let demo = &*DEMO;
    IntakeContext {
        routing: &demo.routing,
        locator: &demo.locator,
        points: &demo.points,
        agencies: &demo.agencies,
        calendar: &demo.calendar,
        office_hours: &demo.office_hours,
    }
}

const STATION: (f64, f64) = (69.61030, 42.29871);

fn submission(category: &str) -> Submission {
    Submission {
        category: Code::parse(category).unwrap(),
        description: "  Loud music every night after midnight.  ".into(),
        location: LocationInput::Point(Point::new(STATION.0, STATION.1)),
        lang: Lang::Kk,
        contact: Some(Contact {
            name: Some("Айгүл".into()),
            phone: Some(Phone::parse("+7 701 000 00 00").unwrap()),
            email: None,
        }),
        consent: true,
        channel: Channel::Web,
    }
}

/// Tuesday 14 April 2026, 10:00 local: an ordinary working morning.
fn morning() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 4, 14).unwrap().and_hms_opt(10, 0, 0).unwrap()
}

fn registered(decision: Decision) -> NewAppeal {
    match decision {
        Decision::Register(appeal) => *appeal,
        Decision::Divert { .. } => panic!("expected a registered appeal"),
    }
}

#[test]
fn an_emergency_is_diverted_and_never_registered() {
    let decision = decide(submission("CRIME_NOW"), morning(), context()).unwrap();
    assert_eq!(
        decision,
        Decision::Divert { category: Code::parse("CRIME_NOW").unwrap(), call: vec!["102".into(), "112".into()] }
    );
    let decision = decide(submission("MENTAL_HEALTH"), morning(), context()).unwrap();
    assert!(matches!(decision, Decision::Divert { call, .. } if call == ["103", "112"]));
}

#[test]
fn a_noise_complaint_at_the_station_goes_to_the_pilot_quadrants_inspector() {
    let appeal = registered(decide(submission("NOISE"), morning(), context()).unwrap());
    assert_eq!(appeal.location.quadrant.as_ref().map(Code::as_str), Some("SHY-ALF-Q01"));
    assert_eq!(appeal.location.district.as_ref().map(Code::as_str), Some("SHY-ALF"));
    assert_eq!(appeal.agencies.iter().map(Code::as_str).collect::<Vec<_>>(), ["POL_UIP"]);
    assert_eq!(appeal.submission.description, "Loud music every night after midnight.");
    assert_eq!(appeal.track, LegalTrack::Administrative);
    // Registered Tue 14 April; 15 working days later is Wed 6 May (Fri 1 May is a holiday).
    assert_eq!(appeal.clocks.registered_on, NaiveDate::from_ymd_opt(2026, 4, 14).unwrap());
    assert_eq!(appeal.clocks.due, NaiveDate::from_ymd_opt(2026, 5, 6).unwrap());
}

#[test]
fn street_lighting_goes_to_the_akimat_of_the_district_it_is_in() {
    let appeal = registered(decide(submission("LIGHTING"), morning(), context()).unwrap());
    assert_eq!(appeal.agencies[0].as_str(), "AKIM_ALF");
    let mut by_address = submission("LIGHTING");
    by_address.location = LocationInput::Address("Тәуке хан даңғылы, 5".into());
    let appeal = registered(decide(by_address, morning(), context()).unwrap());
    assert_eq!(appeal.location.quadrant, None);
    assert_eq!(appeal.agencies[0].as_str(), "AKIM_DISTR", "no district known: the generic district akimat");
    let mut located = submission("LIGHTING");
    located.location = LocationInput::LocatedAddress {
        text: " Вокзал алаңы, 1 ".into(),
        point: Point::new(STATION.0, STATION.1),
    };
    let appeal = registered(decide(located, morning(), context()).unwrap());
    assert_eq!(appeal.location.address.as_deref(), Some("Вокзал алаңы, 1"), "the text is kept");
    assert_eq!(appeal.location.quadrant.as_ref().map(Code::as_str), Some("SHY-ALF-Q01"), "the point places it");
    assert_eq!(appeal.agencies[0].as_str(), "AKIM_ALF");
    let domestic = registered(decide(submission("DOMESTIC"), morning(), context()).unwrap());
    assert_eq!(domestic.agencies.iter().map(Code::as_str).collect::<Vec<_>>(), ["POL_UIP", "SOCIAL"]);
}

#[test]
fn after_hours_and_before_a_holiday_registration_moves_to_the_next_working_day() {
    // Friday 20 March 2026 at 19:00; 21–25 March are Nauryz days off.
    let friday_evening = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap().and_hms_opt(19, 0, 0).unwrap();
    let appeal = registered(decide(submission("NOISE"), friday_evening, context()).unwrap());
    assert_eq!(appeal.clocks.registered_on, NaiveDate::from_ymd_opt(2026, 3, 26).unwrap());
}

#[test]
fn anonymous_appeals_only_where_they_report_a_crime() {
    let mut anonymous = submission("NOISE");
    anonymous.contact = None;
    assert_eq!(decide(anonymous.clone(), morning(), context()), Err(IntakeError::ContactRequired));
    anonymous.category = Code::parse("DRUG_DEALING").unwrap();
    let appeal = registered(decide(anonymous, morning(), context()).unwrap());
    assert_eq!(appeal.track, LegalTrack::CrimeReport);
    assert_eq!(appeal.submission.contact, None);
    let mut name_only = submission("NOISE");
    name_only.contact = Some(Contact { name: Some("Айгүл".into()), phone: None, email: None });
    assert_eq!(decide(name_only, morning(), context()), Err(IntakeError::ContactRequired));
}

#[test]
fn contact_details_need_consent() {
    let mut no_consent = submission("NOISE");
    no_consent.consent = false;
    let err = decide(no_consent, morning(), context()).unwrap_err();
    assert_eq!(err, IntakeError::ConsentRequired);
    assert_eq!(err.field(), "consent");
}

#[test]
fn each_bad_field_is_named() {
    let check = |edit: fn(&mut Submission), field: &str| {
        let mut bad = submission("NOISE");
        edit(&mut bad);
        let err = decide(bad, morning(), context()).unwrap_err();
        assert_eq!(err.field(), field, "{err}");
        err.to_string()
    };
    assert_eq!(
        check(|s| s.category = Code::parse("KARAOKE").unwrap(), "category"),
        "category: unknown category KARAOKE"
    );
    assert_eq!(check(|s| s.description = " \n ".into(), "description"), "description: describe the problem");
    assert_eq!(
        check(|s| s.description = "ә".repeat(4_001), "description"),
        "description: 4001 characters; at most 4000 are accepted"
    );
    let outside = check(|s| s.location = LocationInput::Point(Point::new(69.61, 42.0)), "location");
    assert!(outside.starts_with("location: the point is outside the city; the nearest quadrant is SHY-"), "{outside}");
    assert_eq!(
        check(|s| s.location = LocationInput::PolicePoint(Code::parse("SHY-PP-99").unwrap()), "location"),
        "location: unknown police point SHY-PP-99"
    );
    assert_eq!(
        check(|s| s.location = LocationInput::Address("  ".into()), "location"),
        "location: the address is empty"
    );
}

#[test]
fn a_police_point_locates_the_appeal_in_its_quadrant() {
    let mut at_post = submission("NOISE");
    at_post.location = LocationInput::PolicePoint(Code::parse("SHY-PP-02").unwrap());
    let appeal = registered(decide(at_post, morning(), context()).unwrap());
    assert_eq!(appeal.location.police_point.as_ref().map(Code::as_str), Some("SHY-PP-02"));
    assert_eq!(appeal.location.quadrant.as_ref().map(Code::as_str), Some("SHY-ALF-Q01"));
}

#[test]
fn an_address_given_at_a_police_point_keeps_the_point_and_the_address() {
    let mut at_post = submission("NOISE");
    at_post.location = LocationInput::AddressAtPolicePoint {
        text: " Тәуке хан даңғылы, 5 ".into(),
        point: Some(Point::new(STATION.0, STATION.1)),
        police_point: Code::parse("SHY-PP-02").unwrap(),
    };
    let appeal = registered(decide(at_post.clone(), morning(), context()).unwrap());
    assert_eq!(appeal.location.police_point.as_ref().map(Code::as_str), Some("SHY-PP-02"));
    assert_eq!(appeal.location.address.as_deref(), Some("Тәуке хан даңғылы, 5"));
    assert_eq!(appeal.location.point, Some(Point::new(STATION.0, STATION.1)));
    assert!(appeal.location.quadrant.is_some());
    at_post.location = LocationInput::AddressAtPolicePoint {
        text: "Тәуке хан даңғылы, 5".into(),
        point: None,
        police_point: Code::parse("SHY-PP-99").unwrap(),
    };
    assert!(matches!(decide(at_post, morning(), context()), Err(IntakeError::UnknownPolicePoint(_))));
}
