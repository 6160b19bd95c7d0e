//! Imports of registry files: parse and check with the core, compare with what is stored, write in one
//! transaction. The one entry point for the CLI and the admin API, so both accept and refuse the same files.

use std::collections::HashSet;

use sakshy_core::import::{self, ImportFailure, Located};
use sakshy_core::{Code, Level, Territory};

use crate::{CityId, StorageError, Store, TerritoryImportSummary, UpsertSummary};

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file has problems; each names its feature or line.
    #[error("{0}")]
    Invalid(#[from] ImportFailure),
    /// The database failed or refused; nothing was written.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// The format of a police points file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsFormat {
    /// A GeoJSON `FeatureCollection` of points.
    GeoJson,
    /// CSV with `lat` and `lon` columns.
    Csv,
}

/// The outcome of a territory import, with warnings worth showing.
#[derive(Debug, Clone)]
pub struct TerritoryImport {
    /// What changed.
    pub summary: TerritoryImportSummary,
    /// Gaps and other warnings.
    pub warnings: Vec<import::Problem>,
}

impl Store {
    /// Imports a territories GeoJSON file; territories are matched by level and code, and a changed one gets
    /// a new version valid from `at_ms`.
    ///
    /// # Errors
    ///
    /// [`ImportError::Invalid`] with every problem of the file; [`ImportError::Storage`] when the database
    /// fails. Either way nothing is written.
    pub async fn import_territories(
        &self,
        text: &str,
        source: &str,
        at_ms: i64,
    ) -> Result<TerritoryImport, ImportError> {
        let file = import::parse_territories(text)?;
        let stored = self.city().await?;
        let current: Vec<Territory> = match &stored {
            Some((city_id, _, _)) => {
                self.current_territories(*city_id).await?.into_iter().map(|v| v.territory).collect()
            }
            None => Vec::new(),
        };
        let plan = import::plan_territories(&file, &current, stored.as_ref().map(|(_, city, _)| city))?;
        let summary =
            self.apply_territory_plan(&plan, stored.map(|(id, _, revision)| (id, revision)), source, at_ms).await?;
        Ok(TerritoryImport { summary, warnings: plan.warnings })
    }

    /// Imports police points; the quadrants they serve must exist.
    ///
    /// # Errors
    ///
    /// As [`Store::import_territories`]; [`StorageError::NoCity`] before any territory import.
    pub async fn import_points(
        &self,
        text: &str,
        format: PointsFormat,
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, ImportError> {
        let points = match format {
            PointsFormat::GeoJson => import::parse_points_geojson(text)?,
            PointsFormat::Csv => import::parse_points_csv(text)?,
        };
        let city = self.require_city().await?;
        import::check_points(&points, &self.quadrant_codes(city).await?)?;
        Ok(self.upsert_points(city, &values(points), source, at_ms).await?)
    }

    /// Imports officers; their quadrants and police points must exist.
    ///
    /// # Errors
    ///
    /// As [`Store::import_points`].
    pub async fn import_officers(&self, text: &str, source: &str, at_ms: i64) -> Result<UpsertSummary, ImportError> {
        let officers = import::parse_officers_csv(text)?;
        let city = self.require_city().await?;
        let points: HashSet<Code> = self.points(city).await?.into_iter().map(|point| point.code).collect();
        import::check_officers(&officers, &self.quadrant_codes(city).await?, &points)?;
        Ok(self.upsert_officers(city, &values(officers), source, at_ms).await?)
    }

    /// Imports agencies.
    ///
    /// # Errors
    ///
    /// As [`Store::import_points`].
    pub async fn import_agencies(&self, text: &str, source: &str, at_ms: i64) -> Result<UpsertSummary, ImportError> {
        let agencies = import::parse_agencies_csv(text)?;
        let city = self.require_city().await?;
        Ok(self.upsert_agencies(city, &values(agencies), source, at_ms).await?)
    }

    async fn require_city(&self) -> Result<CityId, StorageError> {
        self.city().await?.map(|(id, _, _)| id).ok_or(StorageError::NoCity)
    }

    async fn quadrant_codes(&self, city: CityId) -> Result<HashSet<Code>, StorageError> {
        Ok(self
            .current_territories(city)
            .await?
            .into_iter()
            .filter(|version| version.territory.level() == Level::Quadrant)
            .map(|version| version.territory.code().clone())
            .collect())
    }
}

fn values<T>(located: Vec<Located<T>>) -> Vec<T> {
    located.into_iter().map(|record| record.value).collect()
}
