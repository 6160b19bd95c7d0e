//! Point lookup tests: quadrants, boundaries and ties, nearest quadrant and points, officers, and the fast
//! containment index checked against `geo` on many shapes.

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

// ---------------------------------------------------------------------------------------------------------
// The point-in-quadrant index against geo's `Intersects`: the answer must be the first quadrant (in code
// order) that geo says the point intersects, boundary included.

use std::sync::OnceLock;

use geo::Intersects;
use geo_types::{LineString, MultiPolygon, Polygon};

use crate::territory::{GeometryStatus, TerritoryParts};

/// What the index must answer: a linear scan with geo.
fn reference(locator: &Locator, lon: f64, lat: f64) -> Option<usize> {
    let coord = Coord { x: lon, y: lat };
    locator.quadrants.iter().position(|quadrant| quadrant.geometry().intersects(&coord))
}

/// A tiny fixed random stream (`SplitMix64`), so the overlapping set below is the same on every run.
struct Stream(u64);

impl Stream {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// A star-shaped ring around `(cx, cy)` with radii in `[r / 2, r]`, closed, counter-clockwise.
fn star(stream: &mut Stream, cx: f64, cy: f64, r: f64) -> LineString<f64> {
    let n = 8 + (stream.unit() * 32.0) as usize;
    let mut coords: Vec<Coord<f64>> = (0..n)
        .map(|k| {
            let angle = (k as f64 + stream.range(-0.25, 0.25)) * std::f64::consts::TAU / n as f64;
            let radius = stream.range(0.5 * r, r);
            Coord { x: cx + radius * angle.cos(), y: cy + radius * angle.sin() }
        })
        .collect();
    coords.push(coords[0]);
    LineString(coords)
}

/// 60 quadrants over a 1° square that overlap one another heavily: star polygons, some with a hole, some of
/// two parts; plus the toy city's eight rectangles sharing edges and corners.
fn overlapping_locator() -> &'static Locator {
    static LOCATOR: OnceLock<Locator> = OnceLock::new();
    LOCATOR.get_or_init(|| {
        let mut stream = Stream(42);
        let mut territories: Vec<Territory> =
            parse_territories(&collection(&toy_features())).unwrap().territories.into_iter().map(|t| t.value).collect();
        for k in 0..60 {
            let (cx, cy, r) = (stream.range(69.5, 70.5), stream.range(41.5, 42.5), stream.range(0.03, 0.2));
            let mut polygons = match k % 3 {
                0 => vec![Polygon::new(star(&mut stream, cx, cy, r), vec![])],
                1 => vec![Polygon::new(star(&mut stream, cx, cy, r), vec![star(&mut stream, cx, cy, 0.35 * r)])],
                _ => vec![
                    Polygon::new(star(&mut stream, cx, cy, r), vec![]),
                    Polygon::new(star(&mut stream, cx + 3.0 * r, cy, r), vec![]),
                ],
            };
            if k % 5 == 0 {
                // Clockwise exteriors must work as well.
                polygons.iter_mut().for_each(|p| p.exterior_mut(|ring| ring.0.reverse()));
            }
            territories.push(
                Territory::new(TerritoryParts {
                    code: Code::parse(&format!("STAR-{k:02}")).unwrap(),
                    level: Level::Quadrant,
                    parent: Some(Code::parse("TOY-W").unwrap()),
                    name: Localized::new("a", "b", "c").unwrap(),
                    population: None,
                    pilot: false,
                    status: GeometryStatus::Illustrative,
                    geometry: MultiPolygon(polygons),
                })
                .unwrap(),
            );
        }
        Locator::new(territories, vec![], vec![])
    })
}

#[test]
fn the_index_agrees_with_geo_on_every_vertex_and_edge_midpoint() {
    let locator = overlapping_locator();
    let mut checked = 0;
    for quadrant in &locator.quadrants {
        for polygon in quadrant.geometry() {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                for line in ring.lines() {
                    let (v, mid) = (
                        line.start,
                        Coord { x: (line.start.x + line.end.x) / 2.0, y: (line.start.y + line.end.y) / 2.0 },
                    );
                    // The vertex, the edge's midpoint, and points level with the vertex, where the winding
                    // rules at vertices decide.
                    let level = [-0.05, -0.003, 0.003, 0.05].map(|dx| Coord { x: v.x + dx, y: v.y });
                    for coord in [v, mid].into_iter().chain(level) {
                        assert_eq!(
                            locator.quadrant_at(coord.x, coord.y),
                            reference(locator, coord.x, coord.y),
                            "at {coord:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert!(checked > 6000);
}

#[test]
fn the_index_rejects_points_it_cannot_place() {
    let locator = overlapping_locator();
    for (lon, lat) in [(f64::NAN, 42.0), (70.0, f64::NAN), (f64::INFINITY, 42.0), (-180.0, -90.0), (180.0, 90.0)] {
        assert_eq!(locator.quadrant_at(lon, lat), None);
    }
    let empty = Locator::new(vec![], vec![], vec![]);
    assert_eq!(empty.quadrant_code_at(70.0, 42.0), None);
    assert!(matches!(empty.locate(70.0, 42.0), LocateOutcome::Outside { nearest: None }));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    #[test]
    fn the_index_agrees_with_geo_anywhere(lon in 69.3f64..71.0, lat in 41.3f64..42.7) {
        let locator = overlapping_locator();
        proptest::prop_assert_eq!(locator.quadrant_at(lon, lat), reference(locator, lon, lat));
    }

    #[test]
    fn the_index_agrees_with_geo_on_the_toy_grid_lines(
        i in 0usize..7, j in 0usize..5, along in -0.1f64..1.1, step in 0u32..=40
    ) {
        // The toy city's cell edges and corners, with the very floats its rectangles have, and points level
        // with them or on a decimal grid, which is not exact in binary.
        let locator = overlapping_locator();
        let (x, y) = ([69.45, 69.5, 69.55, 69.6, 69.65, 69.7, 69.75][i], [42.15, 42.2, 42.3, 42.4, 42.45][j]);
        let (gx, gy) = (69.5 + f64::from(step) * 0.005, 42.2 + f64::from(step) * 0.005);
        for (lon, lat) in [(x, y), (x, 42.2 + along * 0.2), (69.5 + along * 0.2, y), (gx, y), (x, gy)] {
            proptest::prop_assert_eq!(locator.quadrant_at(lon, lat), reference(locator, lon, lat));
        }
    }
}
