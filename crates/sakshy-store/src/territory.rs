//! Storing the city and its territories, in versions that are closed, never rewritten.

use sakshy_core::geometry::{polygonal_from_geojson, polygonal_to_geojson};
use sakshy_core::import::TerritoryPlan;
use sakshy_core::territory::TerritoryParts;
use sakshy_core::{City, Code, Lang, Level, Localized, Territory, TerritoryVersion};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::id::new_id;
use crate::{CityId, StorageError, Store, retrying};

/// What a territory import changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TerritoryImportSummary {
    /// The city the territories belong to.
    pub city_id: CityId,
    /// Whether the city's settings were created or changed.
    pub city_changed: bool,
    /// Territories added.
    pub added: usize,
    /// Territories that got a new version.
    pub changed: usize,
    /// Territories identical to the stored ones.
    pub unchanged: usize,
    /// The registry revision after the import.
    pub revision: i64,
}

const TERRITORY_COLUMNS: &str = "territory_version_id, level, code, parent_code, name_kk, name_ru, name_en, \
    population, pilot, geometry_status, geometry, valid_from, valid_to";

fn territory_from_row(row: &AnyRow) -> Result<TerritoryVersion, StorageError> {
    let version_id: i64 = row.try_get("territory_version_id")?;
    let corrupt = |reason: String| StorageError::corrupt("territory_version", version_id, reason);
    let text = |column: &str| -> Result<String, StorageError> { Ok(row.try_get::<String, _>(column)?) };
    let code = Code::parse(&text("code")?).map_err(|err| corrupt(err.to_string()))?;
    let parent = row
        .try_get::<Option<String>, _>("parent_code")?
        .map(|parent| Code::parse(&parent))
        .transpose()
        .map_err(|err| corrupt(err.to_string()))?;
    let geometry_json: serde_json::Value =
        serde_json::from_str(&text("geometry")?).map_err(|err| corrupt(err.to_string()))?;
    let geometry = polygonal_from_geojson(Some(&geometry_json)).map_err(|err| corrupt(err.to_string()))?;
    let territory = Territory::new(TerritoryParts {
        code,
        level: text("level")?
            .parse()
            .map_err(|err: sakshy_core::territory::UnknownVariant| corrupt(err.to_string()))?,
        parent,
        name: Localized::new(&text("name_kk")?, &text("name_ru")?, &text("name_en")?)
            .map_err(|err| corrupt(err.to_string()))?,
        population: row.try_get::<Option<i64>, _>("population")?.map(|p| p.max(0) as u64),
        pilot: row.try_get::<i64, _>("pilot")? != 0,
        status: text("geometry_status")?
            .parse()
            .map_err(|err: sakshy_core::territory::UnknownVariant| corrupt(err.to_string()))?,
        geometry,
    })
    .map_err(|err| corrupt(err.to_string()))?;
    Ok(TerritoryVersion {
        version_id,
        territory,
        valid_from_ms: row.try_get("valid_from")?,
        valid_to_ms: row.try_get("valid_to")?,
    })
}

fn city_from_row(row: &AnyRow) -> Result<(CityId, City, i64), StorageError> {
    let city_id: i64 = row.try_get("city_id")?;
    let corrupt = |reason: String| StorageError::corrupt("city", city_id, reason);
    let text = |column: &str| -> Result<String, StorageError> { Ok(row.try_get::<String, _>(column)?) };
    let city = City {
        code: Code::parse(&text("code")?).map_err(|err| corrupt(err.to_string()))?,
        name: Localized::new(&text("name_kk")?, &text("name_ru")?, &text("name_en")?)
            .map_err(|err| corrupt(err.to_string()))?,
        timezone: text("timezone")?.parse().map_err(|_| corrupt("unknown time zone".to_owned()))?,
        default_lang: text("default_lang")?.parse::<Lang>().map_err(|err| corrupt(err.to_string()))?,
    };
    Ok((CityId(city_id), city, row.try_get("revision")?))
}

impl Store {
    /// The city this database serves, with its id and registry revision; `None` before the first import.
    /// (One database serves one city; the tenant key in every table keeps the door open to more.)
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read.
    pub async fn city(&self) -> Result<Option<(CityId, City, i64)>, StorageError> {
        let row = sqlx::query(
            "SELECT city_id, code, name_kk, name_ru, name_en, timezone, default_lang, revision FROM city ORDER BY code LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(city_from_row).transpose()
    }

    /// The registry revision of a city: it grows with every import that changes something.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read.
    pub async fn revision(&self, city: CityId) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT revision FROM city WHERE city_id = $1")
            .bind(city.0)
            .fetch_one(&self.pool)
            .await?)
    }

    /// When the city's registry last changed, UTC epoch milliseconds (moves with the revision).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read.
    pub async fn registry_changed_at(&self, city: CityId) -> Result<i64, StorageError> {
        Ok(sqlx::query_scalar::<_, i64>("SELECT updated_at FROM city WHERE city_id = $1")
            .bind(city.0)
            .fetch_one(&self.pool)
            .await?)
    }

    /// The territories in force now (versions not closed), ordered by level and code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn current_territories(&self, city: CityId) -> Result<Vec<TerritoryVersion>, StorageError> {
        let sql = format!(
            "SELECT {TERRITORY_COLUMNS} FROM territory_version WHERE city_id = $1 AND valid_to IS NULL ORDER BY level, code"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).fetch_all(&self.pool).await?;
        rows.iter().map(territory_from_row).collect()
    }

    /// The territories that were in force at `at_ms` (UTC epoch milliseconds).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn territories_at(&self, city: CityId, at_ms: i64) -> Result<Vec<TerritoryVersion>, StorageError> {
        let sql = format!(
            "SELECT {TERRITORY_COLUMNS} FROM territory_version WHERE city_id = $1 AND valid_from <= $2 \
             AND (valid_to IS NULL OR valid_to > $2) ORDER BY level, code"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(at_ms).fetch_all(&self.pool).await?;
        rows.iter().map(territory_from_row).collect()
    }

    /// Every version of one territory, oldest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn territory_history(
        &self,
        city: CityId,
        level: Level,
        code: &Code,
    ) -> Result<Vec<TerritoryVersion>, StorageError> {
        let sql = format!(
            "SELECT {TERRITORY_COLUMNS} FROM territory_version WHERE city_id = $1 AND level = $2 AND code = $3 ORDER BY valid_from"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(city.0)
            .bind(level.as_str())
            .bind(code.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(territory_from_row).collect()
    }

    /// One territory version by its id, in force or not (records keep the version they were filed in).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or the row is corrupt.
    pub async fn territory_version(
        &self,
        city: CityId,
        version_id: i64,
    ) -> Result<Option<TerritoryVersion>, StorageError> {
        let sql = format!(
            "SELECT {TERRITORY_COLUMNS} FROM territory_version WHERE city_id = $1 AND territory_version_id = $2"
        );
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(version_id).fetch_optional(&self.pool).await?;
        row.as_ref().map(territory_from_row).transpose()
    }

    /// Applies a territory import plan in one transaction: creates or updates the city, inserts added
    /// territories, closes the current version of each changed one at `at_ms` and inserts the new version.
    ///
    /// `base` is the city and revision the plan was computed against (`None` when no city was stored); if the
    /// registry moved on since, nothing is written and [`StorageError::Stale`] is returned.
    ///
    /// # Errors
    ///
    /// [`StorageError::Stale`] as above; [`StorageError::NoCity`] when neither `base` nor the plan has a
    /// city; [`StorageError::Conflict`] when a changed territory's current version starts at or after
    /// `at_ms`; [`StorageError::Database`] otherwise. On any error nothing is written.
    #[tracing::instrument(skip_all, fields(added = plan.added.len(), changed = plan.changed.len()))]
    pub async fn apply_territory_plan(
        &self,
        plan: &TerritoryPlan,
        base: Option<(CityId, i64)>,
        source: &str,
        at_ms: i64,
    ) -> Result<TerritoryImportSummary, StorageError> {
        retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let summary = apply_plan(&mut tx, plan, base, source, at_ms).await?;
                tx.commit().await?;
                Ok(summary)
            }
            .await
        )
    }
}

async fn apply_plan(
    tx: &mut Transaction<'_, Any>,
    plan: &TerritoryPlan,
    base: Option<(CityId, i64)>,
    source: &str,
    at_ms: i64,
) -> Result<TerritoryImportSummary, StorageError> {
    let city_id = match base {
        Some((city_id, expected)) => {
            let found: i64 = sqlx::query_scalar("SELECT revision FROM city WHERE city_id = $1")
                .bind(city_id.0)
                .fetch_one(&mut **tx)
                .await?;
            if found != expected {
                return Err(StorageError::Stale { expected, found });
            }
            if let Some(city) = &plan.city {
                sqlx::query(
                    "UPDATE city SET name_kk = $2, name_ru = $3, name_en = $4, timezone = $5, default_lang = $6, \
                     updated_at = $7 WHERE city_id = $1",
                )
                .bind(city_id.0)
                .bind(city.name.kk())
                .bind(city.name.ru())
                .bind(city.name.en())
                .bind(city.timezone.name())
                .bind(city.default_lang.code())
                .bind(at_ms)
                .execute(&mut **tx)
                .await?;
            }
            city_id
        }
        None => {
            let city = plan.city.as_ref().ok_or(StorageError::NoCity)?;
            let city_id = CityId(new_id());
            sqlx::query(
                "INSERT INTO city (city_id, code, name_kk, name_ru, name_en, timezone, default_lang, revision, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
            )
            .bind(city_id.0)
            .bind(city.code.as_str())
            .bind(city.name.kk())
            .bind(city.name.ru())
            .bind(city.name.en())
            .bind(city.timezone.name())
            .bind(city.default_lang.code())
            .bind(at_ms)
            .execute(&mut **tx)
            .await
            .map_err(|err| conflict_or(err, format!("city {}", city.code)))?;
            city_id
        }
    };
    for territory in &plan.changed {
        let current_from: Option<i64> = sqlx::query_scalar(
            "SELECT valid_from FROM territory_version WHERE city_id = $1 AND level = $2 AND code = $3 AND valid_to IS NULL",
        )
        .bind(city_id.0)
        .bind(territory.level().as_str())
        .bind(territory.code().as_str())
        .fetch_optional(&mut **tx)
        .await?;
        if current_from.is_some_and(|from| from >= at_ms) {
            return Err(StorageError::Conflict {
                what: format!("a version of {} {} valid from this time or later", territory.level(), territory.code()),
            });
        }
        sqlx::query(
            "UPDATE territory_version SET valid_to = $4 WHERE city_id = $1 AND level = $2 AND code = $3 AND valid_to IS NULL",
        )
        .bind(city_id.0)
        .bind(territory.level().as_str())
        .bind(territory.code().as_str())
        .bind(at_ms)
        .execute(&mut **tx)
        .await?;
    }
    for territory in plan.added.iter().chain(&plan.changed) {
        insert_version(tx, city_id, territory, at_ms).await?;
    }
    let changed_anything = !plan.is_empty();
    let revision: i64 = if changed_anything {
        sqlx::query("UPDATE city SET revision = revision + 1, updated_at = $2 WHERE city_id = $1")
            .bind(city_id.0)
            .bind(at_ms)
            .execute(&mut **tx)
            .await?;
        crate::registry::log_import(
            tx,
            city_id,
            "territories",
            source,
            (plan.added.len(), plan.changed.len(), plan.unchanged),
            at_ms,
        )
        .await?;
        sqlx::query_scalar("SELECT revision FROM city WHERE city_id = $1").bind(city_id.0).fetch_one(&mut **tx).await?
    } else {
        base.map_or(0, |(_, revision)| revision)
    };
    Ok(TerritoryImportSummary {
        city_id,
        city_changed: plan.city.is_some(),
        added: plan.added.len(),
        changed: plan.changed.len(),
        unchanged: plan.unchanged,
        revision,
    })
}

async fn insert_version(
    tx: &mut Transaction<'_, Any>,
    city_id: CityId,
    territory: &Territory,
    at_ms: i64,
) -> Result<(), StorageError> {
    let bbox = territory.bbox();
    sqlx::query(
        "INSERT INTO territory_version (city_id, territory_version_id, level, code, parent_code, name_kk, name_ru, name_en, \
         population, pilot, geometry_status, geometry, min_lon, min_lat, max_lon, max_lat, valid_from, valid_to) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULL)",
    )
    .bind(city_id.0)
    .bind(new_id())
    .bind(territory.level().as_str())
    .bind(territory.code().as_str())
    .bind(territory.parent().map(Code::as_str))
    .bind(territory.name().kk())
    .bind(territory.name().ru())
    .bind(territory.name().en())
    .bind(territory.population().map(|p| p as i64))
    .bind(i64::from(territory.pilot()))
    .bind(territory.status().as_str())
    .bind(polygonal_to_geojson(territory.geometry()).to_string())
    .bind(bbox.min().x)
    .bind(bbox.min().y)
    .bind(bbox.max().x)
    .bind(bbox.max().y)
    .bind(at_ms)
    .execute(&mut **tx)
    .await
    .map_err(|err| conflict_or(err, format!("{} {} valid from {at_ms}", territory.level(), territory.code())))?;
    Ok(())
}

/// Maps a unique-constraint violation to [`StorageError::Conflict`] naming `what`; other errors pass through.
pub(crate) fn conflict_or(err: sqlx::Error, what: String) -> StorageError {
    match &err {
        sqlx::Error::Database(db) if db.kind() == sqlx::error::ErrorKind::UniqueViolation => {
            StorageError::Conflict { what }
        }
        _ => StorageError::Database(err),
    }
}
