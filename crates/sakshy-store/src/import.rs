//! Imports of registry files: parse and check with the core, compare with what is stored, write in one
//! transaction. The one entry point for the CLI and the admin API, so both accept and refuse the same files.

use std::collections::HashSet;

use sakshy_core::category::{Category, Routing, RoutingOverride};
use sakshy_core::import::{self, ImportFailure, Located};
use sakshy_core::{AgencyKind, Code, Level, Territory};

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

    /// Imports appeal categories, checked with the stored routing overrides against the agencies and districts.
    /// Each change is logged with `import:SOURCE` as the actor.
    ///
    /// # Errors
    ///
    /// As [`Store::import_points`]; routing inconsistencies (an unknown agency, an emergency category without an
    /// emergency line) are reported per category.
    pub async fn import_categories(&self, text: &str, source: &str, at_ms: i64) -> Result<UpsertSummary, ImportError> {
        let located = import::parse_categories_csv(text)?;
        let city = self.require_city().await?;
        let mut merged: Vec<Category> = self.categories(city).await?;
        for category in located.iter().map(|c| &c.value) {
            match merged.iter_mut().find(|stored| stored.code == category.code) {
                Some(stored) => *stored = category.clone(),
                None => merged.push(category.clone()),
            }
        }
        self.check_routing(city, merged, self.routing_overrides(city).await?).await?;
        Ok(self.upsert_categories(city, &values(located), &format!("import:{source}"), at_ms).await?)
    }

    /// Imports the routing overrides, replacing the stored ones; checked against the stored categories.
    ///
    /// # Errors
    ///
    /// As [`Store::import_categories`].
    pub async fn import_routing(&self, text: &str, source: &str, at_ms: i64) -> Result<UpsertSummary, ImportError> {
        let overrides = values(import::parse_routing_csv(text)?);
        let city = self.require_city().await?;
        self.check_routing(city, self.categories(city).await?, overrides.clone()).await?;
        Ok(self.replace_routing(city, &overrides, &format!("import:{source}"), at_ms).await?)
    }

    /// The categories and overrides of a city, checked together, ready to route appeals.
    ///
    /// # Errors
    ///
    /// [`ImportError::Invalid`] if the stored data disagree with each other (e.g. an agency was removed).
    pub async fn routing(&self, city: CityId) -> Result<Routing, ImportError> {
        self.check_routing(city, self.categories(city).await?, self.routing_overrides(city).await?).await
    }

    pub(crate) async fn check_routing(
        &self,
        city: CityId,
        categories: Vec<Category>,
        overrides: Vec<RoutingOverride>,
    ) -> Result<Routing, ImportError> {
        let agencies = self.agencies(city).await?;
        let codes: HashSet<Code> = agencies.iter().map(|a| a.code.clone()).collect();
        let lines: HashSet<Code> =
            agencies.iter().filter(|a| a.kind == AgencyKind::Emergency).map(|a| a.code.clone()).collect();
        let districts: HashSet<Code> = self
            .current_territories(city)
            .await?
            .into_iter()
            .filter(|v| v.territory.level() == Level::District)
            .map(|v| v.territory.code().clone())
            .collect();
        Routing::new(categories, overrides, &codes, &lines, &districts).map_err(|errors| {
            ImportError::Invalid(import::ImportFailure {
                errors: errors
                    .into_iter()
                    .map(|err| import::Problem {
                        location: import::Location::File,
                        kind: import::ProblemKind::Routing(err),
                    })
                    .collect(),
                warnings: Vec::new(),
            })
        })
    }

    pub(crate) async fn require_city(&self) -> Result<CityId, StorageError> {
        self.city().await?.map(|(id, _, _)| id).ok_or(StorageError::NoCity)
    }

    pub(crate) async fn quadrant_codes(&self, city: CityId) -> Result<HashSet<Code>, StorageError> {
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
