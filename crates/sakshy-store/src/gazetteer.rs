//! The gazetteer (streets and microdistricts) and the public counts of the resident portal: imported as one
//! transaction through the one import path, searched by words folded in Rust.

use std::collections::HashMap;

use geo_types::Point;
use sakshy_core::Code;
use sakshy_core::gazetteer::{self, Place, PlaceKind};
use sakshy_core::import;
use sqlx::Row;

use crate::registry::log_import;
use crate::{CityId, ImportError, StorageError, Store, UpsertSummary, retrying};

/// The most places one search returns.
pub const MAX_PLACES_FOUND: usize = 20;

/// Resolved appeals of a quadrant over two periods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResolvedCounts {
    /// Answered or closed with an answer on or after the first day of the last 30 days.
    pub last_30_days: i64,
    /// The same over the last 90 days.
    pub last_90_days: i64,
}

impl Store {
    /// Imports a gazetteer CSV file: places are matched by code; a changed place is replaced and an unchanged
    /// one left alone. Places missing from the file stay (a gazetteer grows).
    ///
    /// # Errors
    ///
    /// [`ImportError::Invalid`] with every problem of the file (line and column); [`ImportError::Storage`] when
    /// the database fails, or [`StorageError::NoCity`] before any territory import. Either way nothing is written.
    pub async fn import_gazetteer(&self, text: &str, source: &str, at_ms: i64) -> Result<UpsertSummary, ImportError> {
        let places: Vec<Place> = import::parse_gazetteer_csv(text)?.into_iter().map(|located| located.value).collect();
        let city = self.city().await?.map(|(id, _, _)| id).ok_or(StorageError::NoCity)?;
        Ok(self.upsert_places(city, &places, source, at_ms).await?)
    }

    async fn upsert_places(
        &self,
        city: CityId,
        places: &[Place],
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let _turn = self.write_turn().await;
        retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let rows = sqlx::query(
                    "SELECT code, kind, name_kk, name_ru, name_en, lon, lat FROM gazetteer_place WHERE city_id = $1",
                )
                .bind(city.0)
                .fetch_all(&mut *tx)
                .await?;
                let mut stored = HashMap::new();
                for row in rows {
                    let place = place_from_row(&row)?;
                    stored.insert(place.code.clone(), place);
                }
                let mut summary = UpsertSummary::default();
                for place in places {
                    match stored.get(&place.code) {
                        Some(old) if old == place => {
                            summary.unchanged += 1;
                            continue;
                        }
                        Some(_) => {
                            summary.changed += 1;
                            sqlx::query("DELETE FROM gazetteer_place WHERE city_id = $1 AND code = $2")
                                .bind(city.0)
                                .bind(place.code.as_str())
                                .execute(&mut *tx)
                                .await?;
                        }
                        None => summary.added += 1,
                    }
                    sqlx::query(
                        "INSERT INTO gazetteer_place \
                     (city_id, code, kind, name_kk, name_ru, name_en, lon, lat, search_key, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    )
                    .bind(city.0)
                    .bind(place.code.as_str())
                    .bind(place.kind.as_str())
                    .bind(place.name.kk())
                    .bind(place.name.ru())
                    .bind(place.name.en())
                    .bind(place.location.x())
                    .bind(place.location.y())
                    .bind(place.search_key())
                    .bind(at_ms)
                    .execute(&mut *tx)
                    .await?;
                }
                if summary.added + summary.changed > 0 {
                    log_import(
                        &mut tx,
                        city,
                        "gazetteer",
                        source,
                        (summary.added, summary.changed, summary.unchanged),
                        at_ms,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(summary)
            }
            .await
        )
    }

    /// Places whose names hold every word of `query`, whatever the case (Kazakh and Russian letters folded in
    /// Rust), streets before microdistricts and then by Kazakh name; at most [`MAX_PLACES_FOUND`].
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn search_places(&self, city: CityId, query: &str) -> Result<Vec<Place>, StorageError> {
        let words = gazetteer::query_words(query);
        let Some(longest) = words.first() else { return Ok(Vec::new()) };
        // The longest word narrows the rows in SQL; `LIKE` wildcards in it are escaped. Every word is then
        // checked in Rust on the folded key, so both engines answer alike.
        let pattern = format!("%{}%", longest.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
        let rows = sqlx::query(
            "SELECT code, kind, name_kk, name_ru, name_en, lon, lat, search_key FROM gazetteer_place \
             WHERE city_id = $1 AND search_key LIKE $2 ESCAPE '\\' ORDER BY code",
        )
        .bind(city.0)
        .bind(pattern)
        .fetch_all(&self.pool)
        .await?;
        let mut places = Vec::new();
        for row in rows {
            let key: String = row.try_get("search_key")?;
            if gazetteer::matches(&key, &words) {
                places.push(place_from_row(&row)?);
            }
        }
        places.sort_by(|a, b| {
            (a.kind != PlaceKind::Street, a.name.kk()).cmp(&(b.kind != PlaceKind::Street, b.name.kk()))
        });
        places.truncate(MAX_PLACES_FOUND);
        Ok(places)
    }

    /// Appeals of a quadrant answered on or after `since_30` and `since_90` (ISO dates, `YYYY-MM-DD`), and now
    /// answered or closed; one query.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn resolved_counts(
        &self,
        city: CityId,
        quadrant: &Code,
        since_30: &str,
        since_90: &str,
    ) -> Result<ResolvedCounts, StorageError> {
        let row = sqlx::query(
            "SELECT CAST(COALESCE(SUM(CASE WHEN answered_on >= $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS last_30, \
             CAST(COUNT(*) AS BIGINT) AS last_90 FROM appeal \
             WHERE city_id = $1 AND quadrant_code = $2 AND answered_on >= $4 AND state IN ('answered', 'closed')",
        )
        .bind(city.0)
        .bind(quadrant.as_str())
        .bind(since_30)
        .bind(since_90)
        .fetch_one(&self.pool)
        .await?;
        Ok(ResolvedCounts { last_30_days: row.try_get("last_30")?, last_90_days: row.try_get("last_90")? })
    }

    /// Where the appeals of a quadrant registered since `since_ms` (UTC epoch milliseconds) were, newest first,
    /// at most `limit`, each rounded to 0.001° (about 100 m) as in the open data: the dots of the public map.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn public_appeal_points(
        &self,
        city: CityId,
        quadrant: &Code,
        since_ms: i64,
        limit: i64,
    ) -> Result<Vec<(f64, f64)>, StorageError> {
        let rows = sqlx::query(
            "SELECT lon, lat FROM appeal WHERE city_id = $1 AND quadrant_code = $2 AND created_at >= $3 \
             AND lon IS NOT NULL AND lat IS NOT NULL ORDER BY created_at DESC LIMIT $4",
        )
        .bind(city.0)
        .bind(quadrant.as_str())
        .bind(since_ms)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let round = |v: f64| (v * 1000.0).round() / 1000.0;
        rows.iter()
            .map(|row| Ok((round(row.try_get::<f64, _>("lon")?), round(row.try_get::<f64, _>("lat")?))))
            .collect()
    }
}

fn place_from_row(row: &sqlx::any::AnyRow) -> Result<Place, StorageError> {
    let code: String = row.try_get("code")?;
    let kind: String = row.try_get("kind")?;
    let name = sakshy_core::Localized::new(
        &row.try_get::<String, _>("name_kk")?,
        &row.try_get::<String, _>("name_ru")?,
        &row.try_get::<String, _>("name_en")?,
    )
    .map_err(|err| StorageError::corrupt("gazetteer_place", &code, err))?;
    Ok(Place {
        kind: kind.parse().map_err(|err: sakshy_core::territory::UnknownVariant| {
            StorageError::corrupt("gazetteer_place", &code, err)
        })?,
        name,
        location: Point::new(row.try_get("lon")?, row.try_get("lat")?),
        code: Code::parse(&code).map_err(|err| StorageError::corrupt("gazetteer_place", &code, err))?,
    })
}
