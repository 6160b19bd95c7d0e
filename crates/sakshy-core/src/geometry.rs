//! Polygonal geometry: reading GeoJSON (RFC 7946) polygons with precise complaints, and measuring areas
//! of overlap and containment in square metres.
//!
//! Coordinates are WGS84 (longitude, latitude), i.e. (x, y). Set operations run in degrees, which is exact
//! for the topology; areas are then measured on the ellipsoid ([`GeodesicArea`]).

use std::fmt;

use geo::algorithm::validation::{InvalidMultiPolygon, InvalidPolygon, RingRole};
use geo::{BooleanOps, GeodesicArea, Validation};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use serde_json::Value;

/// Why a GeoJSON geometry is not a valid polygonal boundary.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GeometryError {
    /// The feature has no geometry (`null` or missing).
    #[error("the feature has no geometry")]
    Missing,
    /// The geometry is not a JSON object with a `type`.
    #[error("the geometry is not a GeoJSON object with a \"type\"")]
    NotAnObject,
    /// The geometry type is not the one expected.
    #[error("the geometry is a {found}, expected {expected}")]
    WrongType {
        /// The type found.
        found: String,
        /// The types accepted.
        expected: ExpectedGeometry,
    },
    /// The `coordinates` member is missing or not nested as the type requires.
    #[error("the coordinates are not nested as a {0} requires")]
    BadNesting(&'static str),
    /// A position is not two or three finite numbers.
    #[error("position {position} is not [longitude, latitude] in numbers")]
    BadPosition {
        /// Where.
        position: PositionAt,
    },
    /// A longitude or latitude is out of range.
    #[error(
        "position {position} is out of range: longitude {lon} must be in [-180, 180] and latitude {lat} in [-90, 90] (are they swapped?)"
    )]
    OutOfRange {
        /// Where.
        position: PositionAt,
        /// Longitude as given.
        lon: f64,
        /// Latitude as given.
        lat: f64,
    },
    /// A ring's first and last positions differ.
    #[error("polygon {polygon}, ring {ring} is not closed: its last position must repeat its first")]
    RingNotClosed {
        /// Polygon index, 0-based.
        polygon: usize,
        /// Ring index, 0 = exterior.
        ring: usize,
    },
    /// A ring has fewer than four positions.
    #[error("polygon {polygon}, ring {ring} has {positions} positions; a closed ring needs at least 4")]
    RingTooShort {
        /// Polygon index, 0-based.
        polygon: usize,
        /// Ring index, 0 = exterior.
        ring: usize,
        /// Positions found.
        positions: usize,
    },
    /// The polygon is not valid (self-intersection, hole outside its shell, overlapping parts, …).
    #[error("invalid polygon: {0}")]
    Invalid(PolygonFault),
}

/// The geometry types a feature may have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedGeometry {
    /// A `Point` (police points).
    Point,
    /// A `Polygon` or a `MultiPolygon` (territories).
    Polygonal,
}

impl fmt::Display for ExpectedGeometry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ExpectedGeometry::Point => "Point",
            ExpectedGeometry::Polygonal => "Polygon or MultiPolygon",
        })
    }
}

/// Where a position is in a geometry's `coordinates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionAt {
    /// The one position of a `Point`.
    Point,
    /// A position of a polygon's ring; all indices 0-based, ring 0 being the exterior.
    Ring {
        /// Polygon index.
        polygon: usize,
        /// Ring index.
        ring: usize,
        /// Position index in the ring.
        index: usize,
    },
}

impl fmt::Display for PositionAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PositionAt::Point => f.write_str("0"),
            PositionAt::Ring { polygon, ring, index } => write!(f, "polygon {polygon}, ring {ring}, position {index}"),
        }
    }
}

/// Why rings that are each well formed do not make a valid (multi)polygon. Indices are 0-based; ring 0 is a
/// polygon's exterior, rings from 1 its holes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PolygonFault {
    /// A ring has fewer than three distinct positions.
    #[error("polygon {polygon}, ring {ring} has fewer than 3 distinct positions")]
    TooFewDistinct {
        /// Polygon index.
        polygon: usize,
        /// Ring index.
        ring: usize,
    },
    /// A ring crosses or touches itself.
    #[error("polygon {polygon}, ring {ring} has a self-intersection")]
    SelfIntersection {
        /// Polygon index.
        polygon: usize,
        /// Ring index.
        ring: usize,
    },
    /// A hole is not inside its polygon's exterior ring.
    #[error("polygon {polygon}, ring {ring} is a hole outside the exterior ring")]
    HoleOutside {
        /// Polygon index.
        polygon: usize,
        /// Ring index of the hole.
        ring: usize,
    },
    /// Two rings of a polygon share a stretch of boundary.
    #[error("polygon {polygon}: rings {first} and {second} touch along a line")]
    RingsTouch {
        /// Polygon index.
        polygon: usize,
        /// One ring.
        first: usize,
        /// The other ring.
        second: usize,
    },
    /// Two rings of a polygon overlap.
    #[error("polygon {polygon}: rings {first} and {second} overlap")]
    RingsOverlap {
        /// Polygon index.
        polygon: usize,
        /// One ring.
        first: usize,
        /// The other ring.
        second: usize,
    },
    /// Two polygons of a `MultiPolygon` overlap.
    #[error("polygons {first} and {second} overlap")]
    PolygonsOverlap {
        /// One polygon.
        first: usize,
        /// The other polygon.
        second: usize,
    },
    /// Two polygons of a `MultiPolygon` share a stretch of boundary.
    #[error("polygons {first} and {second} touch along a line")]
    PolygonsTouch {
        /// One polygon.
        first: usize,
        /// The other polygon.
        second: usize,
    },
}

/// Ring 0 is the exterior; geo numbers holes from 0.
fn ring_index(role: RingRole) -> usize {
    match role {
        RingRole::Exterior => 0,
        RingRole::Interior(hole) => hole + 1,
    }
}

/// The first problem geo's validation found, in this module's terms.
fn fault_of(problem: InvalidMultiPolygon) -> GeometryError {
    let fault = match problem {
        InvalidMultiPolygon::InvalidPolygon(at, reason) => {
            let polygon = at.0;
            match reason {
                InvalidPolygon::TooFewPointsInRing(role) => {
                    PolygonFault::TooFewDistinct { polygon, ring: ring_index(role) }
                }
                InvalidPolygon::SelfIntersection(role) => {
                    PolygonFault::SelfIntersection { polygon, ring: ring_index(role) }
                }
                InvalidPolygon::NonFiniteCoord(role, index) => {
                    return GeometryError::BadPosition {
                        position: PositionAt::Ring { polygon, ring: ring_index(role), index: index.0 },
                    };
                }
                InvalidPolygon::InteriorRingNotContainedInExteriorRing(role) => {
                    PolygonFault::HoleOutside { polygon, ring: ring_index(role) }
                }
                InvalidPolygon::IntersectingRingsOnALine(a, b) => {
                    PolygonFault::RingsTouch { polygon, first: ring_index(a), second: ring_index(b) }
                }
                InvalidPolygon::IntersectingRingsOnAnArea(a, b) => {
                    PolygonFault::RingsOverlap { polygon, first: ring_index(a), second: ring_index(b) }
                }
            }
        }
        InvalidMultiPolygon::ElementsOverlaps(a, b) => PolygonFault::PolygonsOverlap { first: a.0, second: b.0 },
        InvalidMultiPolygon::ElementsTouchOnALine(a, b) => PolygonFault::PolygonsTouch { first: a.0, second: b.0 },
    };
    GeometryError::Invalid(fault)
}

/// Reads a GeoJSON `Polygon` or `MultiPolygon` geometry object as a [`MultiPolygon`], checking structure,
/// ranges, ring closure and validity.
///
/// # Errors
///
/// [`GeometryError`] says what is wrong and, where it can, at which polygon, ring and position.
pub fn polygonal_from_geojson(geometry: Option<&Value>) -> Result<MultiPolygon<f64>, GeometryError> {
    let object = match geometry {
        None | Some(Value::Null) => return Err(GeometryError::Missing),
        Some(Value::Object(object)) => object,
        Some(_) => return Err(GeometryError::NotAnObject),
    };
    let kind = object.get("type").and_then(Value::as_str).ok_or(GeometryError::NotAnObject)?;
    let coordinates = object.get("coordinates");
    let polygons: Vec<&Value> = match kind {
        "Polygon" => vec![coordinates.ok_or(GeometryError::BadNesting("Polygon"))?],
        "MultiPolygon" => {
            coordinates.and_then(Value::as_array).ok_or(GeometryError::BadNesting("MultiPolygon"))?.iter().collect()
        }
        other => {
            return Err(GeometryError::WrongType { found: other.to_owned(), expected: ExpectedGeometry::Polygonal });
        }
    };
    let nesting = if kind == "Polygon" { "Polygon" } else { "MultiPolygon" };
    let mut result = Vec::with_capacity(polygons.len());
    for (polygon_idx, polygon) in polygons.into_iter().enumerate() {
        let rings = polygon.as_array().filter(|rings| !rings.is_empty()).ok_or(GeometryError::BadNesting(nesting))?;
        let mut parsed_rings = Vec::with_capacity(rings.len());
        for (ring_idx, ring) in rings.iter().enumerate() {
            let positions = ring.as_array().ok_or(GeometryError::BadNesting(nesting))?;
            let mut coords = Vec::with_capacity(positions.len());
            for (position_idx, position) in positions.iter().enumerate() {
                let at = || PositionAt::Ring { polygon: polygon_idx, ring: ring_idx, index: position_idx };
                let coord =
                    position_from_json(position).ok_or_else(|| GeometryError::BadPosition { position: at() })?;
                if !(-180.0..=180.0).contains(&coord.x) || !(-90.0..=90.0).contains(&coord.y) {
                    return Err(GeometryError::OutOfRange { position: at(), lon: coord.x, lat: coord.y });
                }
                coords.push(coord);
            }
            if coords.len() < 4 {
                return Err(GeometryError::RingTooShort {
                    polygon: polygon_idx,
                    ring: ring_idx,
                    positions: coords.len(),
                });
            }
            if coords.first() != coords.last() {
                return Err(GeometryError::RingNotClosed { polygon: polygon_idx, ring: ring_idx });
            }
            parsed_rings.push(LineString(coords));
        }
        let exterior = parsed_rings.remove(0);
        result.push(Polygon::new(exterior, parsed_rings));
    }
    let multi = MultiPolygon(result);
    if let Some(problem) = multi.validation_errors().into_iter().next() {
        return Err(fault_of(problem));
    }
    Ok(multi)
}

/// Writes a polygonal geometry as a GeoJSON geometry object: a `Polygon` when it has one part, else a
/// `MultiPolygon`. Numbers are written so that [`polygonal_from_geojson`] reads back the same values.
pub fn polygonal_to_geojson(geometry: &MultiPolygon<f64>) -> Value {
    let ring = |line: &LineString<f64>| -> Value { line.0.iter().map(|c| serde_json::json!([c.x, c.y])).collect() };
    let polygon = |polygon: &Polygon<f64>| -> Value {
        std::iter::once(polygon.exterior()).chain(polygon.interiors()).map(ring).collect()
    };
    match geometry.0.as_slice() {
        [single] => serde_json::json!({"type": "Polygon", "coordinates": polygon(single)}),
        parts => {
            serde_json::json!({"type": "MultiPolygon", "coordinates": parts.iter().map(polygon).collect::<Vec<_>>()})
        }
    }
}

/// Reads a GeoJSON position `[lon, lat]` or `[lon, lat, alt]` of finite numbers.
pub fn position_from_json(position: &Value) -> Option<Coord<f64>> {
    let numbers = position.as_array()?;
    if !(2..=3).contains(&numbers.len()) {
        return None;
    }
    let (x, y) = (numbers[0].as_f64()?, numbers[1].as_f64()?);
    (x.is_finite() && y.is_finite()).then_some(Coord { x, y })
}

/// The area of a (lon, lat) geometry on the WGS84 ellipsoid.
///
/// # Units
///
/// Square metres.
pub fn area_m2(geometry: &MultiPolygon<f64>) -> f64 {
    geometry.geodesic_area_unsigned()
}

/// The area of `inner` that lies outside `outer`, in square metres.
pub fn area_outside_m2(inner: &MultiPolygon<f64>, outer: &MultiPolygon<f64>) -> f64 {
    area_m2(&inner.difference(outer))
}

/// The area shared by `a` and `b`, in square metres.
pub fn overlap_m2(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> f64 {
    area_m2(&a.intersection(b))
}

/// The tolerance for topology checks between territories of the given areas: 0.5 % of the smaller area,
/// and at least 100 m². Below it, slivers from digitising are accepted.
///
/// # Units
///
/// Square metres in, square metres out.
pub fn topology_tolerance_m2(area_a_m2: f64, area_b_m2: f64) -> f64 {
    (0.005 * area_a_m2.min(area_b_m2)).max(100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ring_position(index: usize) -> PositionAt {
        PositionAt::Ring { polygon: 0, ring: 0, index }
    }

    fn check(geometry: Value, expected: Result<usize, GeometryError>) {
        let got = polygonal_from_geojson(Some(&geometry)).map(|mp| mp.0.len());
        assert_eq!(got, expected, "{geometry}");
    }

    #[test]
    fn reads_polygons_and_multipolygons() {
        let square = json!([[[69.0, 42.0], [69.1, 42.0], [69.1, 42.1], [69.0, 42.1], [69.0, 42.0]]]);
        check(json!({"type": "Polygon", "coordinates": square}), Ok(1));
        let other = json!([[[70.0, 42.0], [70.1, 42.0], [70.1, 42.1], [70.0, 42.0]]]);
        check(json!({"type": "MultiPolygon", "coordinates": [square, other]}), Ok(2));
    }

    #[test]
    fn names_each_class_of_problem() {
        assert_eq!(polygonal_from_geojson(None), Err(GeometryError::Missing));
        check(
            json!({"type": "Point", "coordinates": [69.0, 42.0]}),
            Err(GeometryError::WrongType { found: "Point".into(), expected: ExpectedGeometry::Polygonal }),
        );
        check(
            json!({"type": "Polygon", "coordinates": [[[69.0, 42.0], [69.1, 42.0], [69.1, 42.1], [69.0, 42.2]]]}),
            Err(GeometryError::RingNotClosed { polygon: 0, ring: 0 }),
        );
        check(
            json!({"type": "Polygon", "coordinates": [[[69.0, 42.0], [69.1, 42.0], [69.0, 42.0]]]}),
            Err(GeometryError::RingTooShort { polygon: 0, ring: 0, positions: 3 }),
        );
        check(
            json!({"type": "Polygon", "coordinates": [[[42.0, 69.0], [42.0, 200.0], [42.1, 69.1], [42.0, 69.0]]]}),
            Err(GeometryError::OutOfRange { position: ring_position(1), lon: 42.0, lat: 200.0 }),
        );
        check(
            json!({"type": "Polygon", "coordinates": [[[69.0, 42.0], ["x", 42.0], [69.1, 42.1], [69.0, 42.0]]]}),
            Err(GeometryError::BadPosition { position: ring_position(1) }),
        );
        // A bow tie crosses itself.
        let bow_tie =
            json!({"type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]]});
        assert_eq!(
            polygonal_from_geojson(Some(&bow_tie)),
            Err(GeometryError::Invalid(PolygonFault::SelfIntersection { polygon: 0, ring: 0 }))
        );
        // A hole sticking out of its shell, and two parts of a multipolygon on top of each other.
        let shell = json!([[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]]);
        let hole = json!([[1.0, 1.0], [3.0, 1.0], [3.0, 1.5], [1.0, 1.5], [1.0, 1.0]]);
        assert_eq!(
            polygonal_from_geojson(Some(&json!({"type": "Polygon", "coordinates": [shell, hole]}))),
            Err(GeometryError::Invalid(PolygonFault::HoleOutside { polygon: 0, ring: 1 }))
        );
        assert_eq!(
            polygonal_from_geojson(Some(&json!({"type": "MultiPolygon", "coordinates": [[shell], [shell]]}))),
            Err(GeometryError::Invalid(PolygonFault::PolygonsOverlap { first: 0, second: 1 }))
        );
        assert_eq!(
            GeometryError::BadPosition { position: ring_position(1) }.to_string(),
            "position polygon 0, ring 0, position 1 is not [longitude, latitude] in numbers"
        );
    }

    #[test]
    fn writing_and_reading_back_gives_the_same_geometry() {
        let square = json!([[[69.123456789, 42.0], [69.1, 42.0], [69.1, 42.1], [69.123456789, 42.0]]]);
        let apart = json!([[[70.0, 42.0], [70.1, 42.0], [70.1, 42.1], [70.0, 42.0]]]);
        for geometry in [
            json!({"type": "Polygon", "coordinates": square}),
            json!({"type": "MultiPolygon", "coordinates": [square, apart]}),
        ] {
            let read = polygonal_from_geojson(Some(&geometry)).unwrap();
            assert_eq!(polygonal_to_geojson(&read), geometry);
        }
        let one = polygonal_from_geojson(Some(&json!({"type": "Polygon", "coordinates": square}))).unwrap();
        assert_eq!(polygonal_to_geojson(&one)["type"], "Polygon");
    }

    #[test]
    fn overlap_and_outside_areas_are_measured_in_square_metres() {
        let square = |x0: f64| -> MultiPolygon<f64> {
            let ring = json!([[[x0, 42.0], [x0 + 0.01, 42.0], [x0 + 0.01, 42.01], [x0, 42.01], [x0, 42.0]]]);
            polygonal_from_geojson(Some(&json!({"type": "Polygon", "coordinates": ring}))).unwrap()
        };
        let (a, b) = (square(69.0), square(69.005));
        let whole = area_m2(&a);
        // 0.01° × 0.01° at 42° N is about 827 m × 1111 m.
        approx::assert_relative_eq!(whole, 918_900.0, max_relative = 0.01);
        approx::assert_relative_eq!(overlap_m2(&a, &b), whole / 2.0, max_relative = 1e-3);
        approx::assert_relative_eq!(area_outside_m2(&a, &b), whole / 2.0, max_relative = 1e-3);
        assert_eq!(area_outside_m2(&a, &a), 0.0);
        assert_eq!(topology_tolerance_m2(whole, 1.0), 100.0);
    }
}
