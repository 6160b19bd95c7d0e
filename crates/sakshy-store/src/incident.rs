//! Incidents: the import of an incidents file (read and checked by the core, placed in quadrants by the core's
//! locator, written in batches in one transaction, idempotent by source and source id), and the compact reads
//! the analyses need (a time window, offence groups, a quadrant or district).
//!
//! Nothing here checks a row: the core does. Nothing here knows HTTP or the command line.

use std::fmt;

use geo_types::Point;
use sakshy_core::incident::{
    self, CityFrame, Crs, Incident, IncidentConfig, IncidentFileError, IncidentMapping, IncidentPoint, IncidentProblem,
    OffenceGroup, Taxonomy,
};
use sakshy_core::{Code, Level, LocateOutcome, Locator, Territory};
use sqlx::Row;

use crate::id::new_id;
use crate::registry::log_import;
use crate::{Backend, CityId, StorageError, Store, retrying};

/// Rows per `INSERT` statement: 16 parameters a row stays far below SQLite's 32 766 and PostgreSQL's 65 535.
const BATCH_ROWS: usize = 500;

/// The columns written, in the order the rows are bound in `write_incidents`.
const COLUMNS: &str = "city_id, incident_id, source, source_id, occurred_at, hour_known, offence_code, offence_group, \
                       lon, lat, quadrant_code, district_code, address, erdr_ref, synthetic, imported_at";
const N_COLUMNS: usize = 16;

/// Longest source name accepted, in characters.
pub const MAX_INCIDENT_SOURCE_CHARS: usize = 200;

/// Where incidents come from: recorded by the police, or generated for the demo (labelled wherever shown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IncidentOrigin {
    /// Recorded offences, from a real source.
    Recorded,
    /// Generated data (the demo's synthetic incidents).
    Synthetic,
}

/// What to do with rows that have problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidRows {
    /// Import nothing if any row has a problem (the default).
    RefuseFile,
    /// Import the good rows and report the others.
    Skip,
}

/// How to import an incidents file.
#[derive(Debug, Clone, Copy)]
pub struct IncidentImport<'a> {
    /// The source system (e.g. `erdr`, `102-calls`); source ids are unique within it. 1–200 characters.
    pub source: &'a str,
    /// Which column each field is read from.
    pub mapping: &'a IncidentMapping,
    /// The coordinate reference system of the file.
    pub crs: Crs,
    /// Whether rows with problems stop the import.
    pub invalid_rows: InvalidRows,
    /// Recorded or synthetic.
    pub origin: IncidentOrigin,
    /// The import's time, UTC epoch milliseconds (incidents after it are refused as in the future).
    pub at_ms: i64,
}

/// What an incidents import did, or (in [`IncidentImportError::Invalid`]) would have had to skip.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentImportReport {
    /// Rows in the file.
    pub rows: usize,
    /// Incidents written.
    pub imported: usize,
    /// Good rows whose source id was already stored for this source: not written again.
    pub already_imported: usize,
    /// Rows with at least one problem: not written.
    pub invalid_rows: usize,
    /// Every problem, in file order.
    pub problems: Vec<IncidentProblem>,
}

impl fmt::Display for IncidentImportReport {
    /// The summary line: `incidents: 3 imported, 1 already imported, 2 invalid`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "incidents: {} imported, {} already imported, {} invalid",
            self.imported, self.already_imported, self.invalid_rows
        )
    }
}

/// Why an incidents import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum IncidentImportError {
    /// The file as a whole cannot be read.
    #[error(transparent)]
    File(#[from] IncidentFileError),
    /// Rows have problems and invalid rows were not to be skipped; the report lists them all.
    #[error("{} of {} rows invalid; nothing was imported{}", .0.invalid_rows, .0.rows, list(&.0.problems))]
    Invalid(IncidentImportReport),
    /// The source name is empty or too long.
    #[error("the source name must have 1 to {MAX_INCIDENT_SOURCE_CHARS} characters")]
    BadSource,
    /// The database failed, or no city is stored.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

fn list(problems: &[IncidentProblem]) -> String {
    problems.iter().map(|problem| format!("\n  {problem}")).collect()
}

/// Which incidents to read: a time window, and optionally groups, a place and an origin.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentFilter {
    /// Start of the window, UTC epoch milliseconds, inclusive.
    pub from_ms: i64,
    /// End of the window, UTC epoch milliseconds, exclusive.
    pub to_ms: i64,
    /// Only these groups (empty: all).
    pub groups: Vec<OffenceGroup>,
    /// Only incidents placed in this quadrant at import.
    pub quadrant: Option<Code>,
    /// Only incidents placed in this district at import.
    pub district: Option<Code>,
    /// Only recorded, or only synthetic, incidents (`None`: both).
    pub origin: Option<IncidentOrigin>,
}

impl IncidentFilter {
    /// Every incident of `[from_ms, to_ms)`: all groups, everywhere, recorded and synthetic.
    pub fn window(from_ms: i64, to_ms: i64) -> IncidentFilter {
        IncidentFilter { from_ms, to_ms, groups: Vec::new(), quadrant: None, district: None, origin: None }
    }
}

/// Incidents written by [`Store::insert_incidents`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InsertedIncidents {
    /// Written.
    pub imported: usize,
    /// Already stored for the source: not written again.
    pub already_imported: usize,
}

impl Store {
    /// Imports an incidents CSV: reads and checks it with the core, places each incident in the quadrant and
    /// district of the current territories, and writes the new ones in one transaction. A row whose source id is
    /// already stored for `import.source` is counted as already imported and not written again, so a file can be
    /// imported twice.
    ///
    /// # Errors
    ///
    /// [`IncidentImportError::File`] when the file cannot be read as a whole; [`IncidentImportError::Invalid`]
    /// with every problem when a row has one and `import.invalid_rows` is [`InvalidRows::RefuseFile`];
    /// [`IncidentImportError::BadSource`]; [`IncidentImportError::Storage`] when the database fails or no city is
    /// stored ([`StorageError::NoCity`]). In each case nothing is written.
    #[tracing::instrument(skip_all, fields(incident.source = %import.source))]
    pub async fn import_incidents(
        &self,
        text: &str,
        import: &IncidentImport<'_>,
    ) -> Result<IncidentImportReport, IncidentImportError> {
        let source = checked_source(import.source)?;
        let (city_id, city, _) = self.city().await?.ok_or(StorageError::NoCity)?;
        let territories = self.current_territory_values(city_id).await?;
        let boundary = territories
            .iter()
            .find(|territory| territory.level() == Level::City && *territory.code() == city.code)
            .ok_or(StorageError::NoCity)?;
        let frame = CityFrame::new(&city, boundary);
        let config = IncidentConfig {
            mapping: import.mapping,
            crs: import.crs,
            frame: &frame,
            taxonomy: Taxonomy::kazakhstan(),
            not_after_ms: import.at_ms,
        };
        let parsed = incident::parse_incidents_csv(text, &config)?;
        let mut report = IncidentImportReport {
            rows: parsed.rows,
            imported: 0,
            already_imported: 0,
            invalid_rows: parsed.invalid_rows,
            problems: parsed.problems,
        };
        if report.invalid_rows > 0 && import.invalid_rows == InvalidRows::RefuseFile {
            return Err(IncidentImportError::Invalid(report));
        }
        let incidents: Vec<Incident> = parsed.incidents.into_iter().map(|located| located.value).collect();
        let locator = Locator::new(territories, Vec::new(), Vec::new());
        let inserted = self.write_incidents(city_id, source, &incidents, &locator, import.origin, import.at_ms).await?;
        report.imported = inserted.imported;
        report.already_imported = inserted.already_imported;
        tracing::info!(
            incident.source = %source,
            n_imported = report.imported,
            n_already_imported = report.already_imported,
            n_invalid_rows = report.invalid_rows,
            "imported incidents from {source}"
        );
        Ok(report)
    }

    /// Writes incidents made elsewhere (the demo's synthetic ones), placed in the current quadrants, in one
    /// transaction; those whose source id is already stored for `source` are skipped and counted.
    ///
    /// # Errors
    ///
    /// [`IncidentImportError::BadSource`]; [`IncidentImportError::Storage`] when the database fails. Either way
    /// nothing is written.
    pub async fn insert_incidents(
        &self,
        city: CityId,
        source: &str,
        incidents: &[Incident],
        origin: IncidentOrigin,
        at_ms: i64,
    ) -> Result<InsertedIncidents, IncidentImportError> {
        let source = checked_source(source)?;
        let locator = Locator::new(self.current_territory_values(city).await?, Vec::new(), Vec::new());
        Ok(self.write_incidents(city, source, incidents, &locator, origin, at_ms).await?)
    }

    /// The incidents that `filter` selects, as the analyses read them, oldest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored row is corrupt.
    pub async fn incidents(&self, city: CityId, filter: &IncidentFilter) -> Result<Vec<IncidentPoint>, StorageError> {
        let (conditions, binds) = filter_sql(filter);
        let sql = format!(
            "SELECT incident_id, lon, lat, occurred_at, hour_known, offence_group FROM incident WHERE {conditions} \
             ORDER BY occurred_at, incident_id"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
        for value in binds {
            query = match value {
                Bind::Int(int) => query.bind(int),
                Bind::Text(text) => query.bind(text),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let group: String = row.try_get("offence_group")?;
                let group = group.parse::<OffenceGroup>().map_err(|err| {
                    StorageError::corrupt("incident", row.try_get::<i64, _>("incident_id").unwrap_or_default(), err)
                })?;
                Ok(IncidentPoint {
                    location: Point::new(row.try_get("lon")?, row.try_get("lat")?),
                    occurred_at_ms: row.try_get("occurred_at")?,
                    hour_known: row.try_get::<i64, _>("hour_known")? != 0,
                    group,
                })
            })
            .collect()
    }

    /// How many incidents `filter` selects.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn incident_count(&self, city: CityId, filter: &IncidentFilter) -> Result<i64, StorageError> {
        let (conditions, binds) = filter_sql(filter);
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM incident WHERE {conditions}");
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
        for value in binds {
            query = match value {
                Bind::Int(int) => query.bind(int),
                Bind::Text(text) => query.bind(text),
            };
        }
        Ok(query.fetch_one(&self.pool).await?.try_get(0)?)
    }

    async fn current_territory_values(&self, city: CityId) -> Result<Vec<Territory>, StorageError> {
        Ok(self.current_territories(city).await?.into_iter().map(|version| version.territory).collect())
    }

    async fn write_incidents(
        &self,
        city: CityId,
        source: &str,
        incidents: &[Incident],
        locator: &Locator,
        origin: IncidentOrigin,
        at_ms: i64,
    ) -> Result<InsertedIncidents, StorageError> {
        let placed: Vec<(&Incident, Option<&str>, Option<&str>)> = incidents
            .iter()
            .map(|incident| match locator.locate(incident.location.x(), incident.location.y()) {
                LocateOutcome::Inside { quadrant, district } => {
                    (incident, Some(quadrant.code().as_str()), district.map(|district| district.code().as_str()))
                }
                LocateOutcome::Outside { .. } => (incident, None, None),
            })
            .collect();
        let synthetic = i64::from(origin == IncidentOrigin::Synthetic);
        let _turn = self.write_turn().await;
        retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let mut imported = 0;
                for batch in placed.chunks(BATCH_ROWS) {
                    let sql = insert_sql(batch.len(), self.backend);
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
                    for &(incident, quadrant, district) in batch {
                        query = query
                            .bind(city.0)
                            .bind(new_id())
                            .bind(source)
                            .bind(incident.source_id.as_str())
                            .bind(incident.occurred_at_ms)
                            .bind(i64::from(incident.hour_known))
                            .bind(incident.offence.map(|code| code.to_string()))
                            .bind(incident.group.as_str())
                            .bind(incident.location.x())
                            .bind(incident.location.y())
                            .bind(quadrant)
                            .bind(district)
                            .bind(incident.address.as_deref())
                            .bind(incident.erdr_ref.as_deref())
                            .bind(synthetic)
                            .bind(at_ms);
                    }
                    imported += query.execute(&mut *tx).await?.rows_affected() as usize;
                }
                let already_imported = incidents.len() - imported;
                if imported > 0 {
                    log_import(&mut tx, city, "incidents", source, (imported, 0, already_imported), at_ms).await?;
                }
                tx.commit().await?;
                Ok(InsertedIncidents { imported, already_imported })
            }
            .await
        )
    }
}

fn checked_source(source: &str) -> Result<&str, IncidentImportError> {
    let source = source.trim();
    if source.is_empty() || source.chars().count() > MAX_INCIDENT_SOURCE_CHARS {
        return Err(IncidentImportError::BadSource);
    }
    Ok(source)
}

/// `INSERT … VALUES (…), (…) ON CONFLICT DO NOTHING` for `rows` rows: a row whose (city, source, source id) is
/// stored is skipped, and the statement's row count is the number written.
///
/// On SQLite the placeholders are anonymous (`?`) rather than numbered (`$1`), the one departure from the portable
/// dialect: SQLite treats `$N` as a name and looks each name up in a list of all the statement's names, both when
/// preparing and when binding, so a statement of 8,000 numbered parameters costs quadratic time (a 100,000-row
/// import took a minute); anonymous ones are bound in order in linear time.
fn insert_sql(rows: usize, backend: Backend) -> String {
    let mut sql = format!("INSERT INTO incident ({COLUMNS}) VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        let placeholders: Vec<String> = (1..=N_COLUMNS)
            .map(|column| match backend {
                Backend::Sqlite => "?".to_owned(),
                Backend::Postgres => format!("${}", row * N_COLUMNS + column),
            })
            .collect();
        sql.push('(');
        sql.push_str(&placeholders.join(", "));
        sql.push(')');
    }
    sql.push_str(" ON CONFLICT (city_id, source, source_id) DO NOTHING");
    sql
}

/// Adds a value to bind and returns its placeholder (`$1` being the city, the values are `$2`, `$3`, …).
fn placeholder(binds: &mut Vec<Bind>, value: Bind) -> String {
    binds.push(value);
    format!("${}", binds.len() + 1)
}

/// A value bound to a filter's placeholder.
enum Bind {
    Int(i64),
    Text(String),
}

/// The `WHERE` conditions of a filter (`$1` is the city) and the values of `$2`, `$3`, ….
fn filter_sql(filter: &IncidentFilter) -> (String, Vec<Bind>) {
    let mut binds = vec![Bind::Int(filter.from_ms), Bind::Int(filter.to_ms)];
    let mut conditions = vec!["city_id = $1".to_owned(), "occurred_at >= $2".to_owned(), "occurred_at < $3".to_owned()];
    if !filter.groups.is_empty() {
        let list: Vec<String> =
            filter.groups.iter().map(|group| placeholder(&mut binds, Bind::Text(group.as_str().to_owned()))).collect();
        conditions.push(format!("offence_group IN ({})", list.join(", ")));
    }
    if let Some(quadrant) = &filter.quadrant {
        conditions.push(format!("quadrant_code = {}", placeholder(&mut binds, Bind::Text(quadrant.to_string()))));
    }
    if let Some(district) = &filter.district {
        conditions.push(format!("district_code = {}", placeholder(&mut binds, Bind::Text(district.to_string()))));
    }
    if let Some(origin) = filter.origin {
        let synthetic = i64::from(origin == IncidentOrigin::Synthetic);
        conditions.push(format!("synthetic = {}", placeholder(&mut binds, Bind::Int(synthetic))));
    }
    (conditions.join(" AND "), binds)
}
