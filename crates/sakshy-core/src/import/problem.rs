//! What can be wrong in an imported file, and where: every problem is a value with structured parts, so that the
//! CLI can print it in English (its `Display`) and the web crate can put it in any language.

use std::fmt;

use crate::category::CategoryError;
use crate::code::CodeError;
use crate::geometry::GeometryError;
use crate::hours::OpeningHoursError;
use crate::lang::{EmptyText, UnknownLang};
use crate::registry::PhoneError;
use crate::territory::{Level, TerritoryError, UnknownVariant};

/// Where in a file a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A GeoJSON feature: its 0-based index and, where readable, its code.
    Feature {
        /// Index in `features`, 0-based.
        index: usize,
        /// The feature's `code` property, if it had a readable one.
        code: Option<String>,
    },
    /// A CSV record: its 1-based line and, where one is at fault, the column.
    Line {
        /// Line in the file, 1-based, counting the header as line 1.
        line: u64,
        /// The column at fault.
        column: Option<String>,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => f.write_str("file"),
            Location::Feature { index, code: Some(code) } => write!(f, "feature {index} ({code})"),
            Location::Feature { index, code: None } => write!(f, "feature {index}"),
            Location::Line { line, column: Some(column) } => write!(f, "line {line}, column {column}"),
            Location::Line { line, column: None } => write!(f, "line {line}"),
        }
    }
}

/// What is wrong (or, for warnings, worth a look) in an imported file.
///
/// The `Display` texts are English, for the CLI; the web crate renders each variant in the caller's language.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    /// The text is not JSON.
    #[error("not valid JSON: {detail}")]
    Json {
        /// Line of the text where reading stopped, 1-based (0 if the reader did not say).
        line: usize,
        /// Character in that line, 1-based (0 if the reader did not say).
        column: usize,
        /// The JSON reader's own explanation, in English (shown by the CLI only).
        detail: String,
    },
    /// The JSON is not a GeoJSON `FeatureCollection`.
    #[error("expected a GeoJSON FeatureCollection with a \"features\" array")]
    NotFeatureCollection,
    /// A feature is not a GeoJSON `Feature` object with `properties`.
    #[error("expected a GeoJSON Feature with a \"properties\" object")]
    NotFeature,
    /// The CSV could not be read.
    #[error("unreadable CSV: {0}")]
    Csv(CsvError),
    /// A required property or column has no value (missing or empty).
    #[error("{0} is required")]
    Missing(String),
    /// A required column is missing from the CSV header.
    #[error("column {0} is required")]
    MissingColumn(String),
    /// A property or column has a value that cannot be used.
    #[error("{property}: {reason}")]
    Invalid {
        /// The property or column.
        property: String,
        /// Why the value cannot be used.
        reason: InvalidReason,
    },
    /// The geometry is not usable.
    #[error("geometry: {0}")]
    Geometry(#[from] GeometryError),
    /// A code appears twice in one file.
    #[error("code {code} appears twice (also at {first})")]
    Duplicate {
        /// The repeated code.
        code: String,
        /// Where it appeared first.
        first: Location,
    },
    /// The file has no city and none is stored.
    #[error("no city: the file must contain one feature with level \"city\" (none is stored yet)")]
    NoCity,
    /// The file has more than one city.
    #[error("a second city; a file describes one city")]
    SecondCity,
    /// The file's city is not the one this database holds.
    #[error("the file describes city {file} but this database holds city {stored}")]
    OtherCity {
        /// The file's city code.
        file: String,
        /// The stored city code.
        stored: String,
    },
    /// A parent code names no territory of the right level.
    #[error("parent {parent} is not a known {level} (neither in this file nor stored)")]
    UnknownParent {
        /// The parent code.
        parent: String,
        /// The level the parent must have.
        level: Level,
    },
    /// A territory sticks out of its parent by more than the tolerance.
    #[error("lies {outside_m2:.0} m² outside its parent {parent} (tolerance {tolerance_m2:.0} m²){}",
        if *swapped { "; with longitude and latitude swapped it would fall on its parent: GeoJSON positions are [longitude, latitude]" } else { "" })]
    OutsideParent {
        /// The parent code.
        parent: String,
        /// Area outside the parent.
        outside_m2: f64,
        /// The tolerance that was exceeded.
        tolerance_m2: f64,
        /// Whether swapping longitude and latitude would put it on its parent (a common mistake).
        swapped: bool,
    },
    /// Two territories of one level and parent overlap by more than the tolerance.
    #[error("overlaps {other} by {overlap_m2:.0} m² (tolerance {tolerance_m2:.0} m²)")]
    Overlap {
        /// The other territory's code.
        other: String,
        /// Area shared.
        overlap_m2: f64,
        /// The tolerance that was exceeded.
        tolerance_m2: f64,
    },
    /// Part of a territory is covered by none of its children (a warning).
    #[error("{gap_m2:.0} m² of it are covered by no {child_level} (a gap)")]
    Gap {
        /// Uncovered area.
        gap_m2: f64,
        /// The level of the children.
        child_level: Level,
    },
    /// A quadrant code names no stored or imported quadrant.
    #[error("unknown quadrant {0}")]
    UnknownQuadrant(String),
    /// A police point code names no stored or imported police point.
    #[error("unknown police point {0}")]
    UnknownPoint(String),
    /// Categories and routing overrides disagree with each other, the agencies or the districts.
    #[error("routing: {0}")]
    Routing(#[from] CategoryError),
}

/// Why a CSV file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CsvError {
    /// A record has another number of fields than the header.
    #[error("the record has {found} fields, but the header has {expected}")]
    FieldCount {
        /// Fields in the header.
        expected: u64,
        /// Fields in this record.
        found: u64,
    },
    /// Any other failure, as the CSV reader tells it (in English; text given as `&str` cannot fail otherwise).
    #[error("{0}")]
    Other(String),
}

impl From<csv::Error> for CsvError {
    fn from(err: csv::Error) -> CsvError {
        match err.kind() {
            csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                CsvError::FieldCount { expected: *expected_len, found: *len }
            }
            _ => CsvError::Other(err.to_string()),
        }
    }
}

/// Why the value of a property or column cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InvalidReason {
    /// A GeoJSON property that must be text (or a number read as text) is something else.
    #[error("expected a string")]
    NotText,
    /// Not `true` or `false` (CSV also takes `yes`/`no` and `1`/`0`).
    #[error("expected true or false")]
    NotBoolean,
    /// Not a whole number of at least 0.
    #[error("expected a whole number of at least 0")]
    NotCount,
    /// Not a list of strings.
    #[error("expected a list of strings")]
    NotList,
    /// Not a number, or a number outside `[min, max]`.
    #[error("expected a number in [{min}, {max}]")]
    NumberOutOfRange {
        /// The smallest value accepted.
        min: f64,
        /// The largest value accepted.
        max: f64,
    },
    /// Not a whole number of working days in `[min, max]`.
    #[error("expected a whole number of working days from {min} to {max}")]
    WorkingDaysOutOfRange {
        /// The fewest days accepted.
        min: u32,
        /// The most days accepted.
        max: u32,
    },
    /// Not an e-mail address.
    #[error("not an e-mail address")]
    NotEmail,
    /// Not an IANA time zone name.
    #[error("{0:?} is not an IANA time zone such as Asia/Almaty")]
    UnknownTimeZone(String),
    /// Not one of the names an enumeration accepts (a level, a kind, a rank, …).
    #[error(transparent)]
    UnknownName(#[from] UnknownVariant),
    /// Not a language code.
    #[error(transparent)]
    UnknownLang(#[from] UnknownLang),
    /// Not a code.
    #[error(transparent)]
    Code(#[from] CodeError),
    /// Not opening hours.
    #[error(transparent)]
    Hours(#[from] OpeningHoursError),
    /// Not a phone number.
    #[error(transparent)]
    Phone(#[from] PhoneError),
    /// One language of a three-language text is empty.
    #[error(transparent)]
    EmptyText(#[from] EmptyText),
    /// The parts of a territory do not make one (a parent where none may be, a pilot that is not a quadrant, …).
    #[error(transparent)]
    Territory(#[from] TerritoryError),
}

/// One problem and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where.
    pub location: Location,
    /// What.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.kind)
    }
}

/// A file that cannot be imported: every error found, and the warnings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportFailure {
    /// Problems that stop the import.
    pub errors: Vec<Problem>,
    /// Problems worth a look that do not stop it.
    pub warnings: Vec<Problem>,
}

impl fmt::Display for ImportFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} error(s); nothing was imported", self.errors.len())?;
        for problem in &self.errors {
            write!(f, "\n  error: {problem}")?;
        }
        for problem in &self.warnings {
            write!(f, "\n  warning: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ImportFailure {}

impl ImportFailure {
    /// A failure with one error about the file as a whole.
    pub(super) fn file(kind: ProblemKind) -> ImportFailure {
        ImportFailure { errors: vec![Problem { location: Location::File, kind }], warnings: Vec::new() }
    }
}
