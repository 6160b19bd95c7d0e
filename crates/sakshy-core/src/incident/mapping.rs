//! The fields of an incident and the mapping from them to a file's columns: `source_id=ID,datetime=Date`, given
//! on the command line or as a small file. A field not mapped is read from the column of its own name.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crate::territory::UnknownVariant;

/// A field of an incident, read from one column of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IncidentField {
    /// The record's id in the source system (required, unique per source).
    SourceId,
    /// Date and time in one column.
    Datetime,
    /// Date alone (with [`IncidentField::Hour`] where the hour is known).
    Date,
    /// Hour (`14`) or time (`14:30`) of the day, beside [`IncidentField::Date`].
    Hour,
    /// The article of the offence (`188`, `UK 188`, `KoAP 434`).
    Article,
    /// The group of the offence (`property`, or its name in kk/ru/en).
    Group,
    /// Latitude, WGS84 degrees.
    Lat,
    /// Longitude, WGS84 degrees.
    Lon,
    /// Easting in metres (planar systems).
    X,
    /// Northing in metres (planar systems).
    Y,
    /// Address as written (optional).
    Address,
    /// ERDR (pre-trial investigation register) or KUI (register of reports) number (optional).
    ErdrRef,
}

impl IncidentField {
    /// Every field, in documentation order.
    pub const ALL: [IncidentField; 12] = [
        IncidentField::SourceId,
        IncidentField::Datetime,
        IncidentField::Date,
        IncidentField::Hour,
        IncidentField::Article,
        IncidentField::Group,
        IncidentField::Lat,
        IncidentField::Lon,
        IncidentField::X,
        IncidentField::Y,
        IncidentField::Address,
        IncidentField::ErdrRef,
    ];

    /// The field's name, which is also its default column: `source_id`, `datetime`, `date`, `hour`, `article`,
    /// `group`, `lat`, `lon`, `x`, `y`, `address`, `erdr_ref`.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentField::SourceId => "source_id",
            IncidentField::Datetime => "datetime",
            IncidentField::Date => "date",
            IncidentField::Hour => "hour",
            IncidentField::Article => "article",
            IncidentField::Group => "group",
            IncidentField::Lat => "lat",
            IncidentField::Lon => "lon",
            IncidentField::X => "x",
            IncidentField::Y => "y",
            IncidentField::Address => "address",
            IncidentField::ErdrRef => "erdr_ref",
        }
    }
}

impl fmt::Display for IncidentField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for IncidentField {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IncidentField::ALL.into_iter().find(|field| field.as_str() == s.trim()).ok_or_else(|| UnknownVariant {
            value: s.trim().to_owned(),
            expected: "source_id datetime date hour article group lat lon x y address erdr_ref",
        })
    }
}

/// Which column each field is read from. Fields not named are read from the column of their own name, if the
/// file has one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IncidentMapping {
    columns: BTreeMap<IncidentField, String>,
}

/// Why a mapping cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MappingError {
    /// An entry is not `field=column`.
    #[error("mapping entry {0:?} is not FIELD=COLUMN")]
    NotAPair(String),
    /// A field name is unknown.
    #[error("mapping: {0}")]
    UnknownField(#[from] UnknownVariant),
    /// A field is mapped to an empty column name.
    #[error("mapping: field {0} has no column name")]
    EmptyColumn(IncidentField),
    /// A field is mapped twice.
    #[error("mapping: field {0} is mapped twice")]
    Repeated(IncidentField),
}

impl IncidentMapping {
    /// Reads `field=column` entries separated by commas or line breaks; blank lines and lines starting with `#`
    /// are skipped, and spaces around names are trimmed (a column name may contain inner spaces).
    ///
    /// # Errors
    ///
    /// [`MappingError`] for the first entry that is not `field=column` with a known field, or a field named twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use sakshy_core::incident::{IncidentField, IncidentMapping};
    /// let mapping = IncidentMapping::parse("source_id=ID, datetime = Дата и время").unwrap();
    /// assert_eq!(mapping.column(IncidentField::Datetime), "Дата и время");
    /// assert_eq!(mapping.column(IncidentField::Lat), "lat");
    /// ```
    pub fn parse(spec: &str) -> Result<IncidentMapping, MappingError> {
        let mut columns = BTreeMap::new();
        let entries = spec
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#'))
            .flat_map(|line| line.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty());
        for entry in entries {
            let (field, column) = entry.split_once('=').ok_or_else(|| MappingError::NotAPair(entry.to_owned()))?;
            let field: IncidentField = field.parse()?;
            let column = column.trim();
            if column.is_empty() {
                return Err(MappingError::EmptyColumn(field));
            }
            if columns.insert(field, column.to_owned()).is_some() {
                return Err(MappingError::Repeated(field));
            }
        }
        Ok(IncidentMapping { columns })
    }

    /// This mapping with the entries of `other` added, `other` winning where both name a field (a mapping
    /// file overridden by command-line entries).
    pub fn overridden_by(mut self, other: IncidentMapping) -> IncidentMapping {
        self.columns.extend(other.columns);
        self
    }

    /// The column a field is read from.
    pub fn column(&self, field: IncidentField) -> &str {
        self.columns.get(&field).map_or(field.as_str(), String::as_str)
    }

    /// Whether the field was named in the mapping (rather than read from the column of its own name).
    pub fn is_explicit(&self, field: IncidentField) -> bool {
        self.columns.contains_key(&field)
    }
}
