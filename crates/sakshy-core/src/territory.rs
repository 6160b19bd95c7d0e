//! Territories: the city, its districts and their quadrants, each a (multi)polygon with names and a
//! stable code, kept in versions so that a redrawn boundary never rewrites the past.
//!
//! This module holds the types and their invariants; validating a whole set (containment, overlaps) lives
//! in [`crate::import`], storing versions in the store crate.

use std::fmt;
use std::str::FromStr;

use geo::{BoundingRect, Rect};
use geo_types::MultiPolygon;

use crate::code::Code;
use crate::lang::Localized;

/// The tier of a territory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    /// The whole city.
    City,
    /// A city district (аудан / район).
    District,
    /// A quadrant: the area one district inspector serves.
    Quadrant,
}

impl Level {
    /// The wire name: `city`, `district` or `quadrant`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::City => "city",
            Level::District => "district",
            Level::Quadrant => "quadrant",
        }
    }

    /// The level a territory of this level must have as its parent.
    pub fn parent_level(self) -> Option<Level> {
        match self {
            Level::City => None,
            Level::District => Some(Level::City),
            Level::Quadrant => Some(Level::District),
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for an unknown wire name of an enumeration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not one of: {}", expected.trim_end().replace(' ', ", "))]
pub struct UnknownVariant {
    /// The value as given.
    pub value: String,
    /// The accepted values, separated by spaces.
    pub expected: &'static str,
}

impl FromStr for Level {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "city" => Ok(Level::City),
            "district" => Ok(Level::District),
            "quadrant" => Ok(Level::Quadrant),
            other => Err(UnknownVariant { value: other.to_owned(), expected: "city district quadrant" }),
        }
    }
}

/// Whether a boundary is authoritative or drawn for illustration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum GeometryStatus {
    /// Supplied by the authority that draws it.
    #[default]
    Official,
    /// Plausible but invented: must be labelled as such wherever it is shown.
    Illustrative,
}

impl GeometryStatus {
    /// The wire name: `official` or `illustrative`.
    pub fn as_str(self) -> &'static str {
        match self {
            GeometryStatus::Official => "official",
            GeometryStatus::Illustrative => "illustrative",
        }
    }
}

impl FromStr for GeometryStatus {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "official" => Ok(GeometryStatus::Official),
            "illustrative" | "synthetic" => Ok(GeometryStatus::Illustrative),
            other => Err(UnknownVariant { value: other.to_owned(), expected: "official illustrative" }),
        }
    }
}

/// A city, district or quadrant with its boundary.
///
/// Coordinates are WGS84 (longitude, latitude), i.e. (x, y), as in GeoJSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Territory {
    code: Code,
    level: Level,
    parent: Option<Code>,
    name: Localized,
    population: Option<u64>,
    pilot: bool,
    status: GeometryStatus,
    geometry: MultiPolygon<f64>,
    bbox: Rect<f64>,
}

/// Why the parts of a territory do not make one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TerritoryError {
    /// A district or quadrant was given without a parent.
    #[error("a {0} needs a parent")]
    MissingParent(Level),
    /// A city was given a parent.
    #[error("a city has no parent")]
    CityWithParent,
    /// Only quadrants can be pilot quadrants.
    #[error("only a quadrant can be marked pilot, not a {0}")]
    PilotNotQuadrant(Level),
    /// The geometry has no polygon in it.
    #[error("the geometry is empty")]
    EmptyGeometry,
}

/// The parts of a [`Territory`], checked by [`Territory::new`].
#[derive(Debug, Clone)]
pub struct TerritoryParts {
    /// Stable code.
    pub code: Code,
    /// The tier.
    pub level: Level,
    /// The parent's code; `None` only for a city.
    pub parent: Option<Code>,
    /// Names in kk/ru/en.
    pub name: Localized,
    /// Residents, where known.
    pub population: Option<u64>,
    /// Part of the pilot (quadrants only).
    pub pilot: bool,
    /// Official or illustrative boundary.
    pub status: GeometryStatus,
    /// The boundary, (lon, lat).
    pub geometry: MultiPolygon<f64>,
}

impl Territory {
    /// Checks the parts and builds a territory.
    ///
    /// # Errors
    ///
    /// [`TerritoryError`] when the parent does not fit the level, a non-quadrant is marked pilot, or the
    /// geometry is empty. Polygon validity is checked earlier, by [`crate::geometry`].
    pub fn new(parts: TerritoryParts) -> Result<Territory, TerritoryError> {
        match (parts.level, &parts.parent) {
            (Level::City, Some(_)) => return Err(TerritoryError::CityWithParent),
            (level @ (Level::District | Level::Quadrant), None) => return Err(TerritoryError::MissingParent(level)),
            _ => {}
        }
        if parts.pilot && parts.level != Level::Quadrant {
            return Err(TerritoryError::PilotNotQuadrant(parts.level));
        }
        let bbox = parts.geometry.bounding_rect().ok_or(TerritoryError::EmptyGeometry)?;
        Ok(Territory {
            code: parts.code,
            level: parts.level,
            parent: parts.parent,
            name: parts.name,
            population: parts.population,
            pilot: parts.pilot,
            status: parts.status,
            geometry: parts.geometry,
            bbox,
        })
    }

    /// Stable code.
    pub fn code(&self) -> &Code {
        &self.code
    }

    /// The tier.
    pub fn level(&self) -> Level {
        self.level
    }

    /// The parent's code (the city for a district, the district for a quadrant).
    pub fn parent(&self) -> Option<&Code> {
        self.parent.as_ref()
    }

    /// Names in kk/ru/en.
    pub fn name(&self) -> &Localized {
        &self.name
    }

    /// Residents, where known.
    pub fn population(&self) -> Option<u64> {
        self.population
    }

    /// Whether this quadrant is part of the pilot.
    pub fn pilot(&self) -> bool {
        self.pilot
    }

    /// Official or illustrative boundary.
    pub fn status(&self) -> GeometryStatus {
        self.status
    }

    /// The boundary, in WGS84 (lon, lat).
    pub fn geometry(&self) -> &MultiPolygon<f64> {
        &self.geometry
    }

    /// The bounding box, in WGS84 (lon, lat).
    pub fn bbox(&self) -> Rect<f64> {
        self.bbox
    }
}

/// One version of a territory: its content and the time span in which it was in force.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryVersion {
    /// The store's id of this version; records that belong to a quadrant keep it.
    pub version_id: i64,
    /// The content of this version.
    pub territory: Territory,
    /// Start of validity, UTC epoch milliseconds, inclusive.
    pub valid_from_ms: i64,
    /// End of validity, UTC epoch milliseconds, exclusive; `None` while current.
    pub valid_to_ms: Option<i64>,
}

impl TerritoryVersion {
    /// Whether this version was in force at `at_ms` (UTC epoch milliseconds).
    pub fn in_force_at(&self, at_ms: i64) -> bool {
        self.valid_from_ms <= at_ms && self.valid_to_ms.is_none_or(|to| at_ms < to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square() -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)]])
    }

    fn parts(level: Level, parent: Option<&str>) -> TerritoryParts {
        TerritoryParts {
            code: Code::parse("T1").unwrap(),
            level,
            parent: parent.map(|p| Code::parse(p).unwrap()),
            name: Localized::new("a", "b", "c").unwrap(),
            population: None,
            pilot: false,
            status: GeometryStatus::Official,
            geometry: square(),
        }
    }

    #[test]
    fn parents_must_fit_the_level() {
        assert_eq!(Territory::new(parts(Level::City, Some("X"))), Err(TerritoryError::CityWithParent));
        assert_eq!(Territory::new(parts(Level::Quadrant, None)), Err(TerritoryError::MissingParent(Level::Quadrant)));
        let mut district = parts(Level::District, Some("C"));
        district.pilot = true;
        assert_eq!(Territory::new(district), Err(TerritoryError::PilotNotQuadrant(Level::District)));
        let quadrant = Territory::new(parts(Level::Quadrant, Some("D"))).unwrap();
        assert_eq!(quadrant.bbox().max().x, 1.0);
    }

    #[test]
    fn version_validity_is_half_open() {
        let version = TerritoryVersion {
            version_id: 1,
            territory: Territory::new(parts(Level::City, None)).unwrap(),
            valid_from_ms: 100,
            valid_to_ms: Some(200),
        };
        assert!(!version.in_force_at(99));
        assert!(version.in_force_at(100));
        assert!(version.in_force_at(199));
        assert!(!version.in_force_at(200));
    }
}
