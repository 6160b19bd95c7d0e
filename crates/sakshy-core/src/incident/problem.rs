//! What can be wrong in an incidents file: a row's problems (row, field, column, reason) and the problems that
//! stop the whole file. Each is a structured value: its `Display` is the CLI's English, and the web crate can
//! render every variant in any language from its parts. The problems report (`--report`) is CSV.

use std::fmt;

use super::crs::Crs;
use super::mapping::{IncidentField, MappingError};
use super::taxonomy::{ArticleError, OffenceCode, OffenceGroup};
use crate::import::CsvError;

/// One problem of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentProblem {
    /// The row's line in the file, 1-based, the header being line 1 (a record spanning lines: its first line).
    pub row: u64,
    /// The field at fault; `None` when the row as a whole is (a wrong number of values).
    pub field: Option<IncidentField>,
    /// The column the field was read from, as named in the header.
    pub column: Option<String>,
    /// What is wrong.
    pub reason: IncidentReason,
}

impl fmt::Display for IncidentProblem {
    /// `row 5, field datetime: …`, with `(column Дата)` after the field when the column has another name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(field) = self.field {
            write!(f, ", field {field}")?;
            if let Some(column) = self.column.as_deref().filter(|column| *column != field.as_str()) {
                write!(f, " (column {column})")?;
            }
        }
        write!(f, ": {}", self.reason)
    }
}

/// Why a row, or one of its values, cannot be imported.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncidentReason {
    /// The row has another number of values than the header.
    #[error("the row has {found} values, but the header has {expected}")]
    FieldCount {
        /// Columns in the header.
        expected: u64,
        /// Values in this row.
        found: u64,
    },
    /// A required value is empty.
    #[error("a value is required")]
    Missing,
    /// A text is longer than allowed.
    #[error("longer than {max_chars} characters")]
    TooLong {
        /// The most characters accepted.
        max_chars: usize,
    },
    /// The source id was already used by an earlier row of the file.
    #[error("source id {source_id:?} is also used by row {first_row}")]
    DuplicateId {
        /// The repeated id.
        source_id: String,
        /// The first row that uses it.
        first_row: u64,
    },
    /// Not a date and time in an accepted format.
    #[error(
        "{value:?} is not a date and time: write 2025-03-14 21:30, 14.03.2025 21:30, or RFC 3339 \
         (2025-03-14T21:30:00+05:00); a date alone means the hour is unknown"
    )]
    BadDateTime {
        /// The value as given.
        value: String,
    },
    /// Not a date in an accepted format.
    #[error("{value:?} is not a date: write 2025-03-14 or 14.03.2025")]
    BadDate {
        /// The value as given.
        value: String,
    },
    /// Not an hour or time of day.
    #[error("{value:?} is not an hour: write 0 to 23, or a time such as 21:30")]
    BadHour {
        /// The value as given.
        value: String,
    },
    /// The local time does not exist in the city's zone (the clock jumped over it).
    #[error("{value} does not exist in the time zone {zone} (the clocks skipped it)")]
    NonexistentTime {
        /// The local date and time.
        value: String,
        /// The city's zone.
        zone: String,
    },
    /// The time is after the import.
    #[error("{value} is in the future")]
    InFuture {
        /// The date and time as given.
        value: String,
    },
    /// Not an article.
    #[error(transparent)]
    BadArticle(#[from] ArticleError),
    /// An article the taxonomy does not know.
    #[error("unknown article {code}{}", other.map(|other| format!(" ({other} exists: write it with its code)")).unwrap_or_default())]
    UnknownArticle {
        /// The article read.
        code: OffenceCode,
        /// The same number in the other code, if the taxonomy knows that one.
        other: Option<OffenceCode>,
    },
    /// Not a group.
    #[error(
        "{value:?} is not an offence group: write violent, property, fraud, drugs, public_order, domestic, traffic, \
         sexual, public_safety or other, or a group's name in Kazakh, Russian or English"
    )]
    UnknownGroup {
        /// The value as given.
        value: String,
    },
    /// The group given disagrees with the article's.
    #[error("group {given} disagrees with article {code}, which is in group {expected}")]
    GroupMismatch {
        /// The group in the file.
        given: OffenceGroup,
        /// The article.
        code: OffenceCode,
        /// The article's group.
        expected: OffenceGroup,
    },
    /// Not a number.
    #[error("{value:?} is not a number")]
    NotNumber {
        /// The value as given.
        value: String,
    },
    /// The point is outside the city's bounding box.
    #[error(
        "the point (lon {lon:.6}, lat {lat:.6}) is outside the city's bounding box{}",
        if *swapped { "; with the two coordinates swapped it would be inside: are the columns swapped?" } else { "" }
    )]
    OutsideCity {
        /// Longitude of the point, degrees.
        lon: f64,
        /// Latitude of the point, degrees.
        lat: f64,
        /// Whether swapping the two coordinates would put the point in the box (a common mistake).
        swapped: bool,
    },
}

impl IncidentReason {
    /// A stable name for the reason, for the problems report and for message keys: `field_count`, `missing`,
    /// `too_long`, `duplicate_id`, `bad_datetime`, `bad_date`, `bad_hour`, `nonexistent_time`, `in_future`,
    /// `bad_article`, `unknown_article`, `unknown_group`, `group_mismatch`, `not_number`, `outside_city`.
    pub fn code(&self) -> &'static str {
        match self {
            IncidentReason::FieldCount { .. } => "field_count",
            IncidentReason::Missing => "missing",
            IncidentReason::TooLong { .. } => "too_long",
            IncidentReason::DuplicateId { .. } => "duplicate_id",
            IncidentReason::BadDateTime { .. } => "bad_datetime",
            IncidentReason::BadDate { .. } => "bad_date",
            IncidentReason::BadHour { .. } => "bad_hour",
            IncidentReason::NonexistentTime { .. } => "nonexistent_time",
            IncidentReason::InFuture { .. } => "in_future",
            IncidentReason::BadArticle(_) => "bad_article",
            IncidentReason::UnknownArticle { .. } => "unknown_article",
            IncidentReason::UnknownGroup { .. } => "unknown_group",
            IncidentReason::GroupMismatch { .. } => "group_mismatch",
            IncidentReason::NotNumber { .. } => "not_number",
            IncidentReason::OutsideCity { .. } => "outside_city",
        }
    }
}

/// Why a whole incidents file cannot be read: nothing of it is imported, whatever the options.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IncidentFileError {
    /// The CSV cannot be read.
    #[error("unreadable CSV at line {line}: {error}")]
    Csv {
        /// Line where reading stopped, 1-based.
        line: u64,
        /// What the reader said.
        error: CsvError,
    },
    /// The file has a header and no rows.
    #[error("the file has no rows")]
    Empty,
    /// A mapped column, or a required one, is not in the header.
    #[error("column {column:?} (field {field}) is not in the header; map the field with --map {field}=COLUMN")]
    MissingColumn {
        /// The field.
        field: IncidentField,
        /// The column looked for.
        column: String,
    },
    /// Neither a date-time column nor a date column is present.
    #[error("the file needs a datetime column, or a date column (and an hour column where the hour is known)")]
    NoTime,
    /// Neither an article column nor a group column is present.
    #[error("the file needs an article column or a group column")]
    NoOffence,
    /// Two fields that exclude each other are both mapped.
    #[error("fields {first} and {second} exclude each other; map one")]
    Conflict {
        /// One field.
        first: IncidentField,
        /// The other.
        second: IncidentField,
    },
    /// The coordinate columns do not fit the coordinate reference system.
    #[error("{crs} coordinates are read from {expected}; {found} were mapped (name the system with --crs)")]
    WrongCoordinates {
        /// The system.
        crs: Crs,
        /// The fields it reads: `lat and lon` or `x and y`.
        expected: &'static str,
        /// The fields mapped instead.
        found: &'static str,
    },
    /// The mapping cannot be read.
    #[error(transparent)]
    Mapping(#[from] MappingError),
}

/// The problems as a CSV report: `row,field,column,reason,message`, one problem a line, in the order given;
/// `reason` is [`IncidentReason::code`] and `message` the English text.
pub fn problems_csv(problems: &[IncidentProblem]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut write = || -> Result<Vec<u8>, csv::Error> {
        writer.write_record(["row", "field", "column", "reason", "message"])?;
        for problem in problems {
            writer.write_record([
                problem.row.to_string().as_str(),
                problem.field.map_or("", IncidentField::as_str),
                problem.column.as_deref().unwrap_or(""),
                problem.reason.code(),
                problem.reason.to_string().as_str(),
            ])?;
        }
        writer.flush()?;
        Ok(writer.get_ref().clone())
    };
    let bytes = write().expect("writing CSV to memory cannot fail");
    String::from_utf8(bytes).expect("the CSV writer writes the UTF-8 it is given")
}
