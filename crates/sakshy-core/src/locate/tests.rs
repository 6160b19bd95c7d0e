use super::*;
use crate::fixtures::{collection, toy_features};
use crate::hours::OpeningHours;
use crate::import::parse_territories;
use crate::lang::Localized;
use crate::registry::{OfficerRank, PointKind};

fn toy_locator() -> Locator {
    let file = parse_territories(&collection(&toy_features())).unwrap();
    let territories = file.territories.into_iter().map(|t| t.value).collect();
    let point = |code: &str, lon: f64, lat: f64| PolicePoint {
        code: Code::parse(code).unwrap(),
        kind: PointKind::DistrictPoint,
        name: Localized::new("a", "b", "c").unwrap(),
        address_kk: "x".into(),
        address_ru: "x".into(),
        phone: None,
        location: Point::new(lon, lat),
        hours: OpeningHours::always(),
        services: vec![],
        quadrants: vec![Code::parse("TOY-W-Q1").unwrap()],
    };
    let officer = |badge: &str, role: OfficerRole| Officer {
        badge: Code::parse(badge).unwrap(),
        name: badge.into(),
        rank: OfficerRank::Captain,
        role,
        phone: None,
        quadrants: vec![Code::parse("TOY-W-Q1").unwrap()],
        point: None,
        reception_hours: None,
    };
    Locator::new(
        territories,
        vec![point("P-FAR", 69.69, 42.39), point("P-NEAR", 69.52, 42.21), point("P-MID", 69.6, 42.3)],
        vec![officer("B2", OfficerRole::JuvenileInspector), officer("B1", OfficerRole::DistrictInspector)],
    )
}

fn quadrant_at(locator: &Locator, lon: f64, lat: f64) -> Option<String> {
    match locator.locate(lon, lat) {
        LocateOutcome::Inside { quadrant, .. } => Some(quadrant.code().to_string()),
        LocateOutcome::Outside { .. } => None,
    }
}

#[test]
fn a_point_resolves_to_its_quadrant_and_district() {
    let locator = toy_locator();
    let LocateOutcome::Inside { quadrant, district } = locator.locate(69.52, 42.21) else { panic!("outside") };
    assert_eq!(quadrant.code().as_str(), "TOY-W-Q1");
    assert_eq!(district.unwrap().code().as_str(), "TOY-W");
    assert_eq!(quadrant_at(&locator, 69.68, 42.39).as_deref(), Some("TOY-E-Q4"));
    assert_eq!(locator.quadrant_count(), 8);
}

#[test]
fn a_point_on_a_shared_boundary_goes_to_the_smallest_code() {
    let locator = toy_locator();
    // 69.55 is the edge between TOY-W-Q1 and TOY-W-Q2.
    assert_eq!(quadrant_at(&locator, 69.55, 42.25).as_deref(), Some("TOY-W-Q1"));
}

#[test]
fn outside_every_quadrant_names_the_nearest_and_its_distance() {
    let locator = toy_locator();
    // 0.01° of latitude south of the city edge is about 1,110 m.
    let LocateOutcome::Outside { nearest: Some((quadrant, distance_m)) } = locator.locate(69.52, 42.19) else {
        panic!("expected outside");
    };
    assert_eq!(quadrant.code().as_str(), "TOY-W-Q1");
    approx::assert_relative_eq!(distance_m, 1110.0, max_relative = 0.01);
}

#[test]
fn nearest_points_are_sorted_by_geodesic_distance_with_walking_time() {
    let locator = toy_locator();
    let nearby = locator.nearest_points(69.52, 42.21, 2);
    let codes: Vec<&str> = nearby.iter().map(|n| n.point.code.as_str()).collect();
    assert_eq!(codes, ["P-NEAR", "P-MID"]);
    assert_eq!(nearby[0].distance_m, 0.0);
    assert_eq!(nearby[0].walk_min, 0);
    assert!(nearby[1].distance_m > 10_000.0);
    assert_eq!(walk_minutes(800.0), 13, "800 m × 1.3 / 80 m/min = 13 min");
}

#[test]
fn officers_of_a_quadrant_list_the_district_inspector_first() {
    let locator = toy_locator();
    let badges: Vec<&str> =
        locator.officers_of(&Code::parse("TOY-W-Q1").unwrap()).iter().map(|o| o.badge.as_str()).collect();
    assert_eq!(badges, ["B1", "B2"]);
    assert!(locator.officers_of(&Code::parse("TOY-E-Q1").unwrap()).is_empty());
}

proptest::proptest! {
    #[test]
    fn every_point_of_the_toy_city_is_in_exactly_the_quadrant_its_cell_says(
        x in 0.0f64..0.2, y in 0.0f64..0.2
    ) {
        let locator = toy_locator();
        // Stay off the cell edges: there, ties are broken by code (tested above).
        proptest::prop_assume!((x * 20.0).fract() > 1e-6 && (y * 10.0).fract() > 1e-6);
        let (col, row) = ((x / 0.05) as usize, (y / 0.1) as usize);
        let district = if col < 2 { "TOY-W" } else { "TOY-E" };
        let expected = format!("{district}-Q{}", row * 2 + col % 2 + 1);
        proptest::prop_assert_eq!(quadrant_at(&locator, 69.5 + x, 42.2 + y), Some(expected));
    }
}
