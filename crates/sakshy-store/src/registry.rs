//! Storing the registry: police points, officers and agencies, upserted by their codes.

use std::collections::HashMap;

use geo_types::Point;
use sakshy_core::registry::Phone;
use sakshy_core::{Agency, Code, Localized, Officer, OpeningHours, PolicePoint};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::id::new_id;
use crate::territory::conflict_or;
use crate::{CityId, StorageError, Store, retrying};

/// What an upsert of registry records changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpsertSummary {
    /// Records added.
    pub added: usize,
    /// Records whose content changed.
    pub changed: usize,
    /// Records identical to the stored ones.
    pub unchanged: usize,
}

pub(crate) async fn log_import(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    kind: &str,
    source: &str,
    (added, changed, unchanged): (usize, usize, usize),
    at_ms: i64,
) -> Result<(), StorageError> {
    sqlx::query(
        "INSERT INTO import_log (city_id, import_log_id, kind, source, added, changed, unchanged, imported_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(city.0)
    .bind(new_id())
    .bind(kind)
    .bind(source)
    .bind(added as i64)
    .bind(changed as i64)
    .bind(unchanged as i64)
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) async fn bump_revision(tx: &mut Transaction<'_, Any>, city: CityId, at_ms: i64) -> Result<(), StorageError> {
    sqlx::query("UPDATE city SET revision = revision + 1, updated_at = $2 WHERE city_id = $1")
        .bind(city.0)
        .bind(at_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn parse_code(table: &'static str, key: &str, text: &str) -> Result<Code, StorageError> {
    Code::parse(text).map_err(|err| StorageError::corrupt(table, key, err))
}

fn parse_phone(table: &'static str, key: &str, text: Option<String>) -> Result<Option<Phone>, StorageError> {
    text.map(|phone| Phone::parse(&phone).map_err(|err| StorageError::corrupt(table, key, err))).transpose()
}

fn names(row: &AnyRow, table: &'static str, key: &str) -> Result<Localized, StorageError> {
    Localized::new(
        &row.try_get::<String, _>("name_kk")?,
        &row.try_get::<String, _>("name_ru")?,
        &row.try_get::<String, _>("name_en")?,
    )
    .map_err(|err| StorageError::corrupt(table, key, err))
}

/// Reads `(owner id, quadrant code)` pairs of a join table into lists per owner.
async fn quadrant_lists(
    store: &Store,
    sql: &'static str,
    city: CityId,
) -> Result<HashMap<i64, Vec<Code>>, StorageError> {
    let rows = sqlx::query(sql).bind(city.0).fetch_all(&store.pool).await?;
    let mut lists: HashMap<i64, Vec<Code>> = HashMap::new();
    for row in rows {
        let owner: i64 = row.try_get(0)?;
        let code: String = row.try_get(1)?;
        lists.entry(owner).or_default().push(parse_code("quadrant link", &owner.to_string(), &code)?);
    }
    Ok(lists)
}

/// The stored records of one kind keyed by code, with their ids, read inside a transaction.
async fn ids_by_code(
    tx: &mut Transaction<'_, Any>,
    sql: &'static str,
    city: CityId,
) -> Result<HashMap<String, i64>, StorageError> {
    let rows = sqlx::query(sql).bind(city.0).fetch_all(&mut **tx).await?;
    rows.iter().map(|row| Ok((row.try_get::<String, _>(1)?, row.try_get::<i64, _>(0)?))).collect()
}

impl Store {
    /// Every police point of a city, ordered by code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn points(&self, city: CityId) -> Result<Vec<PolicePoint>, StorageError> {
        let rows = sqlx::query(
            "SELECT police_point_id, code, kind, name_kk, name_ru, name_en, address_kk, address_ru, phone, lon, lat, hours, services \
             FROM police_point WHERE city_id = $1 ORDER BY code",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        let mut quadrants = quadrant_lists(
            self,
            "SELECT police_point_id, quadrant_code FROM police_point_quadrant WHERE city_id = $1 ORDER BY quadrant_code",
            city,
        )
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("police_point_id")?;
                let code: String = row.try_get("code")?;
                let corrupt = |reason: String| StorageError::corrupt("police_point", &code, reason);
                Ok(PolicePoint {
                    code: parse_code("police_point", &code, &code)?,
                    kind: row
                        .try_get::<String, _>("kind")?
                        .parse()
                        .map_err(|e: sakshy_core::territory::UnknownVariant| corrupt(e.to_string()))?,
                    name: names(row, "police_point", &code)?,
                    address_kk: row.try_get("address_kk")?,
                    address_ru: row.try_get("address_ru")?,
                    phone: parse_phone("police_point", &code, row.try_get("phone")?)?,
                    location: Point::new(row.try_get("lon")?, row.try_get("lat")?),
                    hours: OpeningHours::parse(&row.try_get::<String, _>("hours")?)
                        .map_err(|e| corrupt(e.to_string()))?,
                    services: row
                        .try_get::<String, _>("services")?
                        .split_whitespace()
                        .map(|service| {
                            service.parse().map_err(|e: sakshy_core::territory::UnknownVariant| corrupt(e.to_string()))
                        })
                        .collect::<Result<_, _>>()?,
                    quadrants: quadrants.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Inserts new police points and updates changed ones, matched by code, in one transaction.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; nothing is written then.
    #[tracing::instrument(skip_all, fields(n_points = points.len()))]
    pub async fn upsert_points(
        &self,
        city: CityId,
        points: &[PolicePoint],
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let stored: HashMap<Code, PolicePoint> =
            self.points(city).await?.into_iter().map(|p| (p.code.clone(), p)).collect();
        retrying!(async {
            let mut tx = self.pool.begin().await?;
            let ids = ids_by_code(&mut tx, "SELECT police_point_id, code FROM police_point WHERE city_id = $1", city).await?;
            let mut summary = UpsertSummary::default();
            for point in points {
                let existing = ids.get(point.code.as_str()).copied();
                if existing.is_some() && stored.get(&point.code) == Some(point) {
                    summary.unchanged += 1;
                    continue;
                }
                let services: Vec<&str> = point.services.iter().map(|s| s.as_str()).collect();
                let id = match existing {
                    Some(id) => {
                        summary.changed += 1;
                        sqlx::query("DELETE FROM police_point_quadrant WHERE city_id = $1 AND police_point_id = $2")
                            .bind(city.0)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM police_point WHERE city_id = $1 AND police_point_id = $2")
                            .bind(city.0)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        id
                    }
                    None => {
                        summary.added += 1;
                        new_id()
                    }
                };
                sqlx::query(
                    "INSERT INTO police_point (city_id, police_point_id, code, kind, name_kk, name_ru, name_en, address_kk, \
                     address_ru, phone, lon, lat, hours, services, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(city.0)
                .bind(id)
                .bind(point.code.as_str())
                .bind(point.kind.as_str())
                .bind(point.name.kk())
                .bind(point.name.ru())
                .bind(point.name.en())
                .bind(&point.address_kk)
                .bind(&point.address_ru)
                .bind(point.phone.as_ref().map(Phone::as_str))
                .bind(point.location.x())
                .bind(point.location.y())
                .bind(point.hours.to_string())
                .bind(services.join(" "))
                .bind(at_ms)
                .execute(&mut *tx)
                .await
                .map_err(|err| conflict_or(err, format!("police point {}", point.code)))?;
                for quadrant in &point.quadrants {
                    sqlx::query("INSERT INTO police_point_quadrant (city_id, police_point_id, quadrant_code) VALUES ($1, $2, $3)")
                        .bind(city.0)
                        .bind(id)
                        .bind(quadrant.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(|err| conflict_or(err, format!("quadrant {quadrant} twice on police point {}", point.code)))?;
                }
            }
            if summary.added + summary.changed > 0 {
                bump_revision(&mut tx, city, at_ms).await?;
                log_import(&mut tx, city, "points", source, (summary.added, summary.changed, summary.unchanged), at_ms).await?;
            }
            tx.commit().await?;
            Ok(summary)
        }
        .await)
    }

    /// Every officer of a city, ordered by badge.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn officers(&self, city: CityId) -> Result<Vec<Officer>, StorageError> {
        let rows = sqlx::query(
            "SELECT officer_id, badge, name, officer_rank, officer_role, phone, point_code, reception_hours \
             FROM officer WHERE city_id = $1 ORDER BY badge",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        let mut quadrants = quadrant_lists(
            self,
            "SELECT officer_id, quadrant_code FROM officer_quadrant WHERE city_id = $1 ORDER BY quadrant_code",
            city,
        )
        .await?;
        rows.iter()
            .map(|row| {
                let id: i64 = row.try_get("officer_id")?;
                let badge: String = row.try_get("badge")?;
                let corrupt = |reason: String| StorageError::corrupt("officer", &badge, reason);
                Ok(Officer {
                    badge: parse_code("officer", &badge, &badge)?,
                    name: row.try_get("name")?,
                    rank: row
                        .try_get::<String, _>("officer_rank")?
                        .parse()
                        .map_err(|e: sakshy_core::territory::UnknownVariant| corrupt(e.to_string()))?,
                    role: row
                        .try_get::<String, _>("officer_role")?
                        .parse()
                        .map_err(|e: sakshy_core::territory::UnknownVariant| corrupt(e.to_string()))?,
                    phone: parse_phone("officer", &badge, row.try_get("phone")?)?,
                    quadrants: quadrants.remove(&id).unwrap_or_default(),
                    point: row
                        .try_get::<Option<String>, _>("point_code")?
                        .map(|p| parse_code("officer", &badge, &p))
                        .transpose()?,
                    reception_hours: row
                        .try_get::<Option<String>, _>("reception_hours")?
                        .map(|h| OpeningHours::parse(&h).map_err(|e| corrupt(e.to_string())))
                        .transpose()?,
                })
            })
            .collect()
    }

    /// Inserts new officers and updates changed ones, matched by badge, in one transaction.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; nothing is written then.
    #[tracing::instrument(skip_all, fields(n_officers = officers.len()))]
    pub async fn upsert_officers(
        &self,
        city: CityId,
        officers: &[Officer],
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let stored: HashMap<Code, Officer> =
            self.officers(city).await?.into_iter().map(|o| (o.badge.clone(), o)).collect();
        retrying!(async {
            let mut tx = self.pool.begin().await?;
            let ids = ids_by_code(&mut tx, "SELECT officer_id, badge FROM officer WHERE city_id = $1", city).await?;
            let mut summary = UpsertSummary::default();
            for officer in officers {
                let existing = ids.get(officer.badge.as_str()).copied();
                if existing.is_some() && stored.get(&officer.badge) == Some(officer) {
                    summary.unchanged += 1;
                    continue;
                }
                let id = match existing {
                    Some(id) => {
                        summary.changed += 1;
                        sqlx::query("DELETE FROM officer_quadrant WHERE city_id = $1 AND officer_id = $2")
                            .bind(city.0)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM officer WHERE city_id = $1 AND officer_id = $2")
                            .bind(city.0)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        id
                    }
                    None => {
                        summary.added += 1;
                        new_id()
                    }
                };
                sqlx::query(
                    "INSERT INTO officer (city_id, officer_id, badge, name, officer_rank, officer_role, phone, point_code, \
                     reception_hours, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(city.0)
                .bind(id)
                .bind(officer.badge.as_str())
                .bind(&officer.name)
                .bind(officer.rank.as_str())
                .bind(officer.role.as_str())
                .bind(officer.phone.as_ref().map(Phone::as_str))
                .bind(officer.point.as_ref().map(Code::as_str))
                .bind(officer.reception_hours.as_ref().map(ToString::to_string))
                .bind(at_ms)
                .execute(&mut *tx)
                .await
                .map_err(|err| conflict_or(err, format!("officer {}", officer.badge)))?;
                for quadrant in &officer.quadrants {
                    sqlx::query("INSERT INTO officer_quadrant (city_id, officer_id, quadrant_code) VALUES ($1, $2, $3)")
                        .bind(city.0)
                        .bind(id)
                        .bind(quadrant.as_str())
                        .execute(&mut *tx)
                        .await
                        .map_err(|err| conflict_or(err, format!("quadrant {quadrant} twice on officer {}", officer.badge)))?;
                }
            }
            if summary.added + summary.changed > 0 {
                bump_revision(&mut tx, city, at_ms).await?;
                log_import(&mut tx, city, "officers", source, (summary.added, summary.changed, summary.unchanged), at_ms).await?;
            }
            tx.commit().await?;
            Ok(summary)
        }
        .await)
    }

    /// Every agency of a city, ordered by code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn agencies(&self, city: CityId) -> Result<Vec<Agency>, StorageError> {
        let rows = sqlx::query(
            "SELECT code, kind, name_kk, name_ru, name_en, phone, email, website FROM agency WHERE city_id = $1 ORDER BY code",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("code")?;
                Ok(Agency {
                    code: parse_code("agency", &code, &code)?,
                    kind: row.try_get::<String, _>("kind")?.parse().map_err(
                        |e: sakshy_core::territory::UnknownVariant| StorageError::corrupt("agency", &code, e),
                    )?,
                    name: names(row, "agency", &code)?,
                    phone: parse_phone("agency", &code, row.try_get("phone")?)?,
                    email: row.try_get("email")?,
                    website: row.try_get("website")?,
                })
            })
            .collect()
    }

    /// Inserts new agencies and updates changed ones, matched by code, in one transaction.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; nothing is written then.
    #[tracing::instrument(skip_all, fields(n_agencies = agencies.len()))]
    pub async fn upsert_agencies(
        &self,
        city: CityId,
        agencies: &[Agency],
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let stored: HashMap<Code, Agency> =
            self.agencies(city).await?.into_iter().map(|a| (a.code.clone(), a)).collect();
        retrying!(async {
            let mut tx = self.pool.begin().await?;
            let ids = ids_by_code(&mut tx, "SELECT agency_id, code FROM agency WHERE city_id = $1", city).await?;
            let mut summary = UpsertSummary::default();
            for agency in agencies {
                let existing = ids.get(agency.code.as_str()).copied();
                if existing.is_some() && stored.get(&agency.code) == Some(agency) {
                    summary.unchanged += 1;
                    continue;
                }
                let id = match existing {
                    Some(id) => {
                        summary.changed += 1;
                        sqlx::query("DELETE FROM agency WHERE city_id = $1 AND agency_id = $2")
                            .bind(city.0)
                            .bind(id)
                            .execute(&mut *tx)
                            .await?;
                        id
                    }
                    None => {
                        summary.added += 1;
                        new_id()
                    }
                };
                sqlx::query(
                    "INSERT INTO agency (city_id, agency_id, code, kind, name_kk, name_ru, name_en, phone, email, website, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(city.0)
                .bind(id)
                .bind(agency.code.as_str())
                .bind(agency.kind.as_str())
                .bind(agency.name.kk())
                .bind(agency.name.ru())
                .bind(agency.name.en())
                .bind(agency.phone.as_ref().map(Phone::as_str))
                .bind(agency.email.as_deref())
                .bind(agency.website.as_deref())
                .bind(at_ms)
                .execute(&mut *tx)
                .await
                .map_err(|err| conflict_or(err, format!("agency {}", agency.code)))?;
            }
            if summary.added + summary.changed > 0 {
                bump_revision(&mut tx, city, at_ms).await?;
                log_import(&mut tx, city, "agencies", source, (summary.added, summary.changed, summary.unchanged), at_ms).await?;
            }
            tx.commit().await?;
            Ok(summary)
        }
        .await)
    }
}
