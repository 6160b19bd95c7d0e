//! Incidents: offences recorded by the police (or generated for the demo), the events that the analyses count —
//! where, when, and in which offence group. This module holds the offence taxonomy, and reads an incidents CSV
//! through a column mapping (format in `docs/formats.md`, "Incidents").
//!
//! Reading checks every row and names each problem by row, field and reason; nothing is dropped silently. It
//! converts the coordinates to WGS84 and the city's local times to UTC, but it does not write, does not know
//! what is already stored, and does not place incidents in quadrants: the store does that with the
//! [`crate::Locator`] in one transaction. No I/O, no clock: the caller passes the import's time.

use std::collections::HashMap;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike};
use geo_types::Point;

use crate::import::{Located, Location};

mod crs;
mod mapping;
mod problem;
mod taxonomy;

#[cfg(test)]
mod tests;

pub use crs::{CityFrame, Crs, TransverseMercator, UnsupportedCrs};
pub use mapping::{IncidentField, IncidentMapping, MappingError};
pub use problem::{IncidentFileError, IncidentProblem, IncidentReason, problems_csv};
pub use taxonomy::{ArticleError, Confidence, LegalCode, Offence, OffenceCode, OffenceGroup, Taxonomy, TaxonomyError};

/// The longest source id accepted, in characters.
pub const MAX_SOURCE_ID_CHARS: usize = 128;
/// The longest address accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 500;
/// The longest ERDR/KUI reference accepted, in characters.
pub const MAX_ERDR_REF_CHARS: usize = 64;

/// An incident as read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Incident {
    /// The record's id in its source system, trimmed; unique per source.
    pub source_id: String,
    /// When it happened, UTC epoch milliseconds. With the hour unknown: the local midnight starting its day.
    pub occurred_at_ms: i64,
    /// Whether the time of day is known (a date alone leaves it unknown).
    pub hour_known: bool,
    /// The article, when the file gives one; a file may give only the group.
    pub offence: Option<OffenceCode>,
    /// The offence group: the article's, or the one the file gives.
    pub group: OffenceGroup,
    /// Where, as (lon, lat) in WGS84.
    pub location: Point<f64>,
    /// The address as written, if given.
    pub address: Option<String>,
    /// The ERDR or KUI number, if given, as an opaque text.
    pub erdr_ref: Option<String>,
}

/// An incident as the analyses read it back: where, when, and its group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IncidentPoint {
    /// Where, as (lon, lat) in WGS84.
    pub location: Point<f64>,
    /// When, UTC epoch milliseconds.
    pub occurred_at_ms: i64,
    /// Whether the time of day is known; time-of-day analyses must leave out those without.
    pub hour_known: bool,
    /// The offence group.
    pub group: OffenceGroup,
}

/// What reading an incidents file needs besides its text.
#[derive(Debug, Clone, Copy)]
pub struct IncidentConfig<'a> {
    /// Which column each field is read from.
    pub mapping: &'a IncidentMapping,
    /// The coordinate reference system of the file.
    pub crs: Crs,
    /// The city: time zone, bounding box, projection origin.
    pub frame: &'a CityFrame,
    /// The offences known.
    pub taxonomy: &'a Taxonomy,
    /// The import's time, UTC epoch milliseconds: a later incident is refused as in the future.
    pub not_after_ms: i64,
}

/// A file read: its good rows and the problems of the others.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedIncidents {
    /// The rows without problems, in file order, each with its line.
    pub incidents: Vec<Located<Incident>>,
    /// Every problem of the other rows, in file order (a row may have several).
    pub problems: Vec<IncidentProblem>,
    /// Rows read, good or bad.
    pub rows: usize,
    /// Rows with at least one problem.
    pub invalid_rows: usize,
}

/// Reads an incidents CSV (UTF-8, comma-separated, header row; a byte-order mark is skipped).
///
/// Each row is checked alone and then against the earlier rows (a repeated source id). A bad row does not stop
/// the reading: its problems are listed and the next row is read.
///
/// # Errors
///
/// [`IncidentFileError`] when the file as a whole cannot be read: unreadable CSV, no rows, a mapped or required
/// column missing from the header, or columns that do not fit the coordinate system.
pub fn parse_incidents_csv(text: &str, config: &IncidentConfig<'_>) -> Result<ParsedIncidents, IncidentFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|err| IncidentFileError::Csv { line: 1, error: err.into() })?
        .iter()
        .map(|header| header.trim().to_owned())
        .collect();
    let columns = Columns::resolve(&headers, config)?;
    let mut parsed = ParsedIncidents { incidents: Vec::new(), problems: Vec::new(), rows: 0, invalid_rows: 0 };
    let mut first_row_of: HashMap<String, u64> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => {
                let line = err.position().map_or(0, csv::Position::line);
                return Err(IncidentFileError::Csv { line, error: err.into() });
            }
        }
        let row = record.position().map_or(0, csv::Position::line);
        parsed.rows += 1;
        let before = parsed.problems.len();
        if record.len() != headers.len() {
            parsed.problems.push(IncidentProblem {
                row,
                field: None,
                column: None,
                reason: IncidentReason::FieldCount { expected: headers.len() as u64, found: record.len() as u64 },
            });
        } else {
            let mut reading = Row { record: &record, columns: &columns, row, problems: &mut parsed.problems };
            if let Some(incident) = reading.incident(config, &mut first_row_of) {
                parsed
                    .incidents
                    .push(Located { location: Location::Line { line: row, column: None }, value: incident });
            }
        }
        if parsed.problems.len() > before {
            parsed.invalid_rows += 1;
        }
    }
    if parsed.rows == 0 {
        return Err(IncidentFileError::Empty);
    }
    Ok(parsed)
}

/// How times are read: one date-time column, or a date column and an optional hour column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeColumns {
    DateTime,
    DateAndHour,
}

/// The columns a file's fields are read from: index in the record and name in the header.
struct Columns {
    found: HashMap<IncidentField, (usize, String)>,
    time: TimeColumns,
    /// `(lat, lon)` or `(x, y)`.
    coordinates: (IncidentField, IncidentField),
}

impl Columns {
    fn resolve(headers: &[String], config: &IncidentConfig<'_>) -> Result<Columns, IncidentFileError> {
        let mapping = config.mapping;
        let position = |name: &str| {
            headers.iter().position(|header| header == name).or_else(|| {
                let lowered = name.to_lowercase();
                let mut matches = headers.iter().enumerate().filter(|(_, header)| header.to_lowercase() == lowered);
                match (matches.next(), matches.next()) {
                    (Some((idx, _)), None) => Some(idx),
                    _ => None,
                }
            })
        };
        let mut found = HashMap::new();
        for field in IncidentField::ALL {
            let column = mapping.column(field);
            match position(column) {
                Some(idx) => {
                    found.insert(field, (idx, headers[idx].clone()));
                }
                None if mapping.is_explicit(field) => {
                    return Err(IncidentFileError::MissingColumn { field, column: column.to_owned() });
                }
                None => {}
            }
        }
        let missing =
            |field: IncidentField| IncidentFileError::MissingColumn { field, column: mapping.column(field).to_owned() };
        if !found.contains_key(&IncidentField::SourceId) {
            return Err(missing(IncidentField::SourceId));
        }
        let explicit = |field| mapping.is_explicit(field);
        let time = if explicit(IncidentField::Datetime) && explicit(IncidentField::Date) {
            return Err(IncidentFileError::Conflict { first: IncidentField::Datetime, second: IncidentField::Date });
        } else if explicit(IncidentField::Datetime) {
            TimeColumns::DateTime
        } else if explicit(IncidentField::Date) {
            TimeColumns::DateAndHour
        } else if found.contains_key(&IncidentField::Datetime) {
            TimeColumns::DateTime
        } else if found.contains_key(&IncidentField::Date) {
            TimeColumns::DateAndHour
        } else {
            return Err(IncidentFileError::NoTime);
        };
        if time == TimeColumns::DateTime {
            if explicit(IncidentField::Hour) {
                return Err(IncidentFileError::Conflict {
                    first: IncidentField::Datetime,
                    second: IncidentField::Hour,
                });
            }
            found.remove(&IncidentField::Date);
            found.remove(&IncidentField::Hour);
        } else {
            found.remove(&IncidentField::Datetime);
        }
        if !found.contains_key(&IncidentField::Article) && !found.contains_key(&IncidentField::Group) {
            return Err(IncidentFileError::NoOffence);
        }
        let (wanted, unwanted, expected, other) = if config.crs.is_planar() {
            ((IncidentField::X, IncidentField::Y), (IncidentField::Lat, IncidentField::Lon), "x and y", "lat and lon")
        } else {
            ((IncidentField::Lat, IncidentField::Lon), (IncidentField::X, IncidentField::Y), "lat and lon", "x and y")
        };
        if explicit(unwanted.0) || explicit(unwanted.1) {
            return Err(IncidentFileError::WrongCoordinates { crs: config.crs, expected, found: other });
        }
        for field in [wanted.0, wanted.1] {
            if !found.contains_key(&field) {
                return Err(missing(field));
            }
        }
        found.remove(&unwanted.0);
        found.remove(&unwanted.1);
        Ok(Columns { found, time, coordinates: wanted })
    }
}

/// One row being read, and where its problems go.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a Columns,
    row: u64,
    problems: &'a mut Vec<IncidentProblem>,
}

impl Row<'_> {
    /// The trimmed, non-empty value of a field, if its column is read and the row has a value there.
    fn value(&self, field: IncidentField) -> Option<&str> {
        let (idx, _) = self.columns.found.get(&field)?;
        self.record.get(*idx).map(str::trim).filter(|value| !value.is_empty())
    }

    fn has_column(&self, field: IncidentField) -> bool {
        self.columns.found.contains_key(&field)
    }

    fn problem(&mut self, field: IncidentField, reason: IncidentReason) {
        let column = self.columns.found.get(&field).map(|(_, name)| name.clone());
        self.problems.push(IncidentProblem { row: self.row, field: Some(field), column, reason });
    }

    /// A required value, or a `Missing` problem.
    fn required(&mut self, field: IncidentField) -> Option<String> {
        let value = self.value(field).map(str::to_owned);
        if value.is_none() {
            self.problem(field, IncidentReason::Missing);
        }
        value
    }

    /// An optional text of at most `max_chars` characters.
    fn optional_text(&mut self, field: IncidentField, max_chars: usize) -> Result<Option<String>, ()> {
        match self.value(field).map(str::to_owned) {
            Some(text) if text.chars().count() > max_chars => {
                self.problem(field, IncidentReason::TooLong { max_chars });
                Err(())
            }
            other => Ok(other),
        }
    }

    /// Reads the whole row; `None` if it has any problem (all of them recorded).
    fn incident(&mut self, config: &IncidentConfig<'_>, first_row_of: &mut HashMap<String, u64>) -> Option<Incident> {
        let before = self.problems.len();
        let source_id = self.source_id(first_row_of);
        let when = self.when(config);
        let offence = self.offence(config.taxonomy);
        let location = self.location(config);
        let address = self.optional_text(IncidentField::Address, MAX_ADDRESS_CHARS);
        let erdr_ref = self.optional_text(IncidentField::ErdrRef, MAX_ERDR_REF_CHARS);
        if self.problems.len() > before {
            return None;
        }
        let ((occurred_at_ms, hour_known), (offence, group)) = (when?, offence?);
        Some(Incident {
            source_id: source_id?,
            occurred_at_ms,
            hour_known,
            offence,
            group,
            location: location?,
            address: address.ok()?,
            erdr_ref: erdr_ref.ok()?,
        })
    }

    fn source_id(&mut self, first_row_of: &mut HashMap<String, u64>) -> Option<String> {
        let source_id = self.required(IncidentField::SourceId)?;
        if source_id.chars().count() > MAX_SOURCE_ID_CHARS {
            self.problem(IncidentField::SourceId, IncidentReason::TooLong { max_chars: MAX_SOURCE_ID_CHARS });
            return None;
        }
        if let Some(&first_row) = first_row_of.get(&source_id) {
            self.problem(IncidentField::SourceId, IncidentReason::DuplicateId { source_id, first_row });
            return None;
        }
        first_row_of.insert(source_id.clone(), self.row);
        Some(source_id)
    }

    /// When, as UTC epoch milliseconds, and whether the hour is known.
    fn when(&mut self, config: &IncidentConfig<'_>) -> Option<(i64, bool)> {
        let (field, shown, when) = match self.columns.time {
            TimeColumns::DateTime => {
                let value = self.required(IncidentField::Datetime)?;
                let Some(when) = parse_datetime(&value) else {
                    self.problem(IncidentField::Datetime, IncidentReason::BadDateTime { value });
                    return None;
                };
                (IncidentField::Datetime, value, when)
            }
            TimeColumns::DateAndHour => {
                let date_text = self.required(IncidentField::Date);
                let date = date_text.as_deref().and_then(|text| {
                    let date = parse_date(text);
                    if date.is_none() {
                        self.problem(IncidentField::Date, IncidentReason::BadDate { value: text.to_owned() });
                    }
                    date
                });
                let hour_text = self.value(IncidentField::Hour).map(str::to_owned);
                let time = match hour_text.as_deref() {
                    None => Some(None),
                    Some(text) => {
                        let time = parse_hour(text);
                        if time.is_none() {
                            self.problem(IncidentField::Hour, IncidentReason::BadHour { value: text.to_owned() });
                        }
                        time.map(Some)
                    }
                };
                let (date, time) = (date?, time?);
                let shown = match &hour_text {
                    Some(hour) => format!("{} {hour}", date_text.unwrap_or_default()),
                    None => date_text.unwrap_or_default(),
                };
                let field = if time.is_some() { IncidentField::Hour } else { IncidentField::Date };
                (field, shown, When::Local(date.and_time(time.unwrap_or(NaiveTime::MIN)), time.is_some()))
            }
        };
        let (ms, hour_known) = match when {
            When::Instant(ms) => (ms, true),
            When::Local(local, hour_known) => match config.frame.timezone().from_local_datetime(&local) {
                // In the hour that repeats when clocks go back, the earlier of the two instants.
                LocalResult::Single(at) | LocalResult::Ambiguous(at, _) => (at.timestamp_millis(), hour_known),
                LocalResult::None => {
                    let reason = IncidentReason::NonexistentTime {
                        value: local.format("%Y-%m-%d %H:%M").to_string(),
                        zone: config.frame.timezone().name().to_owned(),
                    };
                    self.problem(field, reason);
                    return None;
                }
            },
        };
        if ms > config.not_after_ms {
            let field = if field == IncidentField::Hour { IncidentField::Date } else { field };
            self.problem(field, IncidentReason::InFuture { value: shown });
            return None;
        }
        Some((ms, hour_known))
    }

    /// The article (if given) and the group.
    fn offence(&mut self, taxonomy: &Taxonomy) -> Option<(Option<OffenceCode>, OffenceGroup)> {
        let article_text = self.value(IncidentField::Article).map(str::to_owned);
        let group_text = self.value(IncidentField::Group).map(str::to_owned);
        let mut failed = false;
        let article = article_text.and_then(|text| match OffenceCode::parse(&text) {
            Err(err) => {
                self.problem(IncidentField::Article, err.into());
                failed = true;
                None
            }
            Ok(code) => match taxonomy.get(code) {
                Some(offence) => Some(offence),
                None => {
                    let other = taxonomy.get(code.in_other_code()).map(|offence| offence.code);
                    self.problem(IncidentField::Article, IncidentReason::UnknownArticle { code, other });
                    failed = true;
                    None
                }
            },
        });
        let group = group_text.and_then(|text| {
            let group = OffenceGroup::from_label(&text);
            if group.is_none() {
                self.problem(IncidentField::Group, IncidentReason::UnknownGroup { value: text });
                failed = true;
            }
            group
        });
        if failed {
            return None;
        }
        match (article, group) {
            (Some(offence), Some(given)) if offence.group != given => {
                let reason = IncidentReason::GroupMismatch { given, code: offence.code, expected: offence.group };
                self.problem(IncidentField::Group, reason);
                None
            }
            (Some(offence), _) => Some((Some(offence.code), offence.group)),
            (None, Some(group)) => Some((None, group)),
            (None, None) => {
                let field =
                    if self.has_column(IncidentField::Article) { IncidentField::Article } else { IncidentField::Group };
                self.problem(field, IncidentReason::Missing);
                None
            }
        }
    }

    /// Where, as WGS84 (lon, lat), inside the city's bounding box.
    fn location(&mut self, config: &IncidentConfig<'_>) -> Option<Point<f64>> {
        let (first_field, second_field) = self.columns.coordinates;
        let mut number = |field: IncidentField| {
            let text = self.required(field)?;
            let number = parse_number(&text);
            if number.is_none() {
                self.problem(field, IncidentReason::NotNumber { value: text });
            }
            number
        };
        let (first, second) = (number(first_field), number(second_field));
        let (first, second) = (first?, second?);
        let frame = config.frame;
        let (lon, lat) = frame.to_lon_lat(config.crs, first, second);
        if lon.is_finite() && lat.is_finite() && frame.contains(lon, lat) {
            return Some(Point::new(lon, lat));
        }
        let (swapped_lon, swapped_lat) = frame.to_lon_lat(config.crs, second, first);
        let swapped = frame.contains(swapped_lon, swapped_lat);
        self.problem(first_field, IncidentReason::OutsideCity { lon, lat, swapped });
        None
    }
}

/// A time read from a date-time column.
enum When {
    /// With an offset: an instant, UTC epoch milliseconds.
    Instant(i64),
    /// Without: a local time, and whether the time of day was given.
    Local(NaiveDateTime, bool),
}

const DATETIME_FORMATS: [&str; 8] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d.%m.%Y %H:%M:%S%.f",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M:%S%.f",
    "%d.%m.%Y, %H:%M",
];
const DATE_FORMATS: [&str; 2] = ["%Y-%m-%d", "%d.%m.%Y"];

fn parse_datetime(text: &str) -> Option<When> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Some(When::Instant(instant.timestamp_millis()));
    }
    if let Some(local) = DATETIME_FORMATS.iter().find_map(|format| NaiveDateTime::parse_from_str(text, format).ok()) {
        return Some(When::Local(local, true));
    }
    DATE_FORMATS
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(text, format).ok())
        .map(|date| When::Local(date.and_time(NaiveTime::MIN), false))
}

/// A date; a date-time at midnight is taken too (spreadsheets export dates so).
fn parse_date(text: &str) -> Option<NaiveDate> {
    DATE_FORMATS.iter().find_map(|format| NaiveDate::parse_from_str(text, format).ok()).or_else(|| {
        DATETIME_FORMATS
            .iter()
            .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
            .filter(|local| local.time() == NaiveTime::MIN)
            .map(|local| local.date())
    })
}

/// An hour (`0`–`23`) or a time of day (`21:30`, `21:30:15`).
fn parse_hour(text: &str) -> Option<NaiveTime> {
    if let Ok(hour) = text.parse::<u32>() {
        return NaiveTime::from_hms_opt(hour, 0, 0);
    }
    ["%H:%M:%S", "%H:%M"]
        .iter()
        .find_map(|format| NaiveTime::parse_from_str(text, format).ok())
        .map(|time| time.with_nanosecond(0).unwrap_or(time))
}

/// A finite number; a comma is read as the decimal point when there is no point (`42,3167`).
fn parse_number(text: &str) -> Option<f64> {
    let text = if !text.contains('.') && text.matches(',').count() == 1 { text.replace(',', ".") } else { text.into() };
    text.parse::<f64>().ok().filter(|value| value.is_finite())
}
