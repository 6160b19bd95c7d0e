//! Storing appeal categories and routing overrides, with every change logged (before and after, who, when).

use std::collections::HashMap;

use sakshy_core::category::{Category, RoutingOverride};
use sakshy_core::export::{category_json, routing_json};
use sakshy_core::{Code, Localized};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::id::new_id;
use crate::registry::bump_revision;
use crate::{CityId, StorageError, Store, UpsertSummary, retrying};

/// One logged change to categories or routing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryChange {
    /// `category` or `routing`.
    pub entity: String,
    /// The category code, or `DISTRICT/CATEGORY/REPLACES` for an override.
    pub entity_code: String,
    /// `added`, `changed` or `removed`.
    pub change_kind: String,
    /// The record before, as JSON with the file's columns.
    pub before: Option<String>,
    /// The record after, as JSON with the file's columns.
    pub after: Option<String>,
    /// Who made the change (a user, or `import:FILE`).
    pub actor: String,
    /// When, UTC epoch milliseconds.
    pub changed_at_ms: i64,
}

fn codes(table: &'static str, key: &str, text: &str) -> Result<Vec<Code>, StorageError> {
    text.split(';')
        .filter(|c| !c.is_empty())
        .map(|c| Code::parse(c).map_err(|err| StorageError::corrupt(table, key, err)))
        .collect()
}

fn category_from_row(row: &AnyRow) -> Result<Category, StorageError> {
    let code: String = row.try_get("code")?;
    let corrupt = |reason: String| StorageError::corrupt("category", &code, reason);
    let text = |column: &str| -> Result<String, StorageError> { Ok(row.try_get::<String, _>(column)?) };
    let names = |prefix: &str| -> Result<Localized, StorageError> {
        Localized::new(
            &text(&format!("{prefix}_kk"))?,
            &text(&format!("{prefix}_ru"))?,
            &text(&format!("{prefix}_en"))?,
        )
        .map_err(|err| corrupt(err.to_string()))
    };
    let count = |column: &str| -> Result<u32, StorageError> {
        u32::try_from(row.try_get::<i64, _>(column)?).map_err(|err| corrupt(err.to_string()))
    };
    Ok(Category {
        code: Code::parse(&code).map_err(|err| corrupt(err.to_string()))?,
        group: Code::parse(&text("group_code")?).map_err(|err| corrupt(err.to_string()))?,
        name: names("name")?,
        description: names("description")?,
        urgency: text("urgency")?
            .parse()
            .map_err(|err: sakshy_core::territory::UnknownVariant| corrupt(err.to_string()))?,
        track: text("track")?
            .parse()
            .map_err(|err: sakshy_core::territory::UnknownVariant| corrupt(err.to_string()))?,
        anonymous_allowed: row.try_get::<i64, _>("anonymous_allowed")? != 0,
        primary: Code::parse(&text("primary_agency")?).map_err(|err| corrupt(err.to_string()))?,
        joint: codes("category", &code, &text("joint_agencies")?)?,
        referral: codes("category", &code, &text("referral_agencies")?)?,
        deadline_working_days: row
            .try_get::<Option<i64>, _>("deadline_working_days")?
            .map(|days| u32::try_from(days).map_err(|err| corrupt(err.to_string())))
            .transpose()?,
        duplicate_radius_m: count("duplicate_radius_m")?,
        duplicate_window_days: count("duplicate_window_days")?,
    })
}

pub(crate) async fn log_change(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    change: (&str, &str, &str),
    before: Option<String>,
    after: Option<String>,
    actor: &str,
    at_ms: i64,
) -> Result<(), StorageError> {
    let (entity, entity_code, kind) = change;
    sqlx::query(
        "INSERT INTO registry_change (city_id, registry_change_id, entity, entity_code, change_kind, before_value, \
         after_value, actor, changed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(city.0)
    .bind(new_id())
    .bind(entity)
    .bind(entity_code)
    .bind(kind)
    .bind(before)
    .bind(after)
    .bind(actor)
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn override_key(rule: &RoutingOverride) -> String {
    format!("{}/{}/{}", rule.district, rule.category.as_ref().map_or("*", |c| c.as_str()), rule.replaces)
}

impl Store {
    /// Every category of a city, in the order they were listed.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn categories(&self, city: CityId) -> Result<Vec<Category>, StorageError> {
        let rows = sqlx::query(
            "SELECT code, group_code, urgency, track, anonymous_allowed, primary_agency, joint_agencies, referral_agencies, \
             deadline_working_days, duplicate_radius_m, duplicate_window_days, name_kk, name_ru, name_en, description_kk, \
             description_ru, description_en FROM category WHERE city_id = $1 ORDER BY position, code",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(category_from_row).collect()
    }

    /// Every routing override of a city.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a row is corrupt.
    pub async fn routing_overrides(&self, city: CityId) -> Result<Vec<RoutingOverride>, StorageError> {
        let rows = sqlx::query(
            "SELECT district_code, category_code, replaces, agency FROM routing_override WHERE city_id = $1 \
             ORDER BY district_code, category_code, replaces",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let text = |column: &str| -> Result<String, StorageError> { Ok(row.try_get::<String, _>(column)?) };
                let code = |column: &str| -> Result<Code, StorageError> {
                    let value = text(column)?;
                    Code::parse(&value).map_err(|err| StorageError::corrupt("routing_override", &value, err))
                };
                let category = text("category_code")?;
                Ok(RoutingOverride {
                    district: code("district_code")?,
                    category: if category == "*" { None } else { Some(code("category_code")?) },
                    replaces: code("replaces")?,
                    agency: code("agency")?,
                })
            })
            .collect()
    }

    /// Inserts new categories and updates changed ones (matched by code) in one transaction, logging each change
    /// with its before and after. Categories not given are kept. The order given becomes the display order of
    /// the categories given.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; nothing is written then.
    #[tracing::instrument(skip_all, fields(n_categories = categories.len()))]
    pub async fn upsert_categories(
        &self,
        city: CityId,
        categories: &[Category],
        actor: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let stored: HashMap<Code, Category> =
            self.categories(city).await?.into_iter().map(|c| (c.code.clone(), c)).collect();
        retrying!(async {
            let mut tx = self.pool.begin().await?;
            let mut summary = UpsertSummary::default();
            for (position, category) in categories.iter().enumerate() {
                let before = stored.get(&category.code);
                if before == Some(category) {
                    summary.unchanged += 1;
                    continue;
                }
                let list = |codes: &[Code]| codes.iter().map(Code::as_str).collect::<Vec<_>>().join(";");
                if before.is_some() {
                    summary.changed += 1;
                    sqlx::query("DELETE FROM category WHERE city_id = $1 AND code = $2")
                        .bind(city.0)
                        .bind(category.code.as_str())
                        .execute(&mut *tx)
                        .await?;
                } else {
                    summary.added += 1;
                }
                sqlx::query(
                    "INSERT INTO category (city_id, category_id, code, group_code, urgency, track, anonymous_allowed, \
                     primary_agency, joint_agencies, referral_agencies, deadline_working_days, duplicate_radius_m, \
                     duplicate_window_days, name_kk, name_ru, name_en, description_kk, description_ru, description_en, \
                     position, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)",
                )
                .bind(city.0)
                .bind(new_id())
                .bind(category.code.as_str())
                .bind(category.group.as_str())
                .bind(category.urgency.as_str())
                .bind(category.track.as_str())
                .bind(i64::from(category.anonymous_allowed))
                .bind(category.primary.as_str())
                .bind(list(&category.joint))
                .bind(list(&category.referral))
                .bind(category.deadline_working_days.map(i64::from))
                .bind(i64::from(category.duplicate_radius_m))
                .bind(i64::from(category.duplicate_window_days))
                .bind(category.name.kk())
                .bind(category.name.ru())
                .bind(category.name.en())
                .bind(category.description.kk())
                .bind(category.description.ru())
                .bind(category.description.en())
                .bind(position as i64)
                .bind(at_ms)
                .execute(&mut *tx)
                .await?;
                log_change(
                    &mut tx,
                    city,
                    ("category", category.code.as_str(), if before.is_some() { "changed" } else { "added" }),
                    before.map(|b| category_json(b).to_string()),
                    Some(category_json(category).to_string()),
                    actor,
                    at_ms,
                )
                .await?;
            }
            if summary.added + summary.changed > 0 {
                bump_revision(&mut tx, city, at_ms).await?;
            }
            tx.commit().await?;
            Ok(summary)
        }
        .await)
    }

    /// Replaces the routing overrides of a city with `overrides` in one transaction, logging each one added or
    /// removed. A routing file describes all overrides, so overrides not given are removed.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; nothing is written then.
    pub async fn replace_routing(
        &self,
        city: CityId,
        overrides: &[RoutingOverride],
        actor: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, StorageError> {
        let stored: HashMap<String, RoutingOverride> =
            self.routing_overrides(city).await?.into_iter().map(|rule| (override_key(&rule), rule)).collect();
        let wanted: HashMap<String, &RoutingOverride> =
            overrides.iter().map(|rule| (override_key(rule), rule)).collect();
        retrying!(async {
            let mut tx = self.pool.begin().await?;
            let mut summary = UpsertSummary::default();
            for (key, old) in &stored {
                if wanted.get(key).is_some_and(|new| *new == old) {
                    summary.unchanged += 1;
                    continue;
                }
                sqlx::query(
                    "DELETE FROM routing_override WHERE city_id = $1 AND district_code = $2 AND category_code = $3 AND replaces = $4",
                )
                .bind(city.0)
                .bind(old.district.as_str())
                .bind(old.category.as_ref().map_or("*", |c| c.as_str()))
                .bind(old.replaces.as_str())
                .execute(&mut *tx)
                .await?;
                if !wanted.contains_key(key) {
                    summary.changed += 1;
                    let before = Some(routing_json(old).to_string());
                    log_change(&mut tx, city, ("routing", key, "removed"), before, None, actor, at_ms).await?;
                }
            }
            for (key, rule) in &wanted {
                let before = stored.get(key);
                if before == Some(*rule) {
                    continue;
                }
                sqlx::query(
                    "INSERT INTO routing_override (city_id, district_code, category_code, replaces, agency) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(city.0)
                .bind(rule.district.as_str())
                .bind(rule.category.as_ref().map_or("*", |c| c.as_str()))
                .bind(rule.replaces.as_str())
                .bind(rule.agency.as_str())
                .execute(&mut *tx)
                .await?;
                if before.is_some() {
                    summary.changed += 1;
                } else {
                    summary.added += 1;
                }
                let kind = if before.is_some() { "changed" } else { "added" };
                let before = before.map(|b| routing_json(b).to_string());
                log_change(&mut tx, city, ("routing", key, kind), before, Some(routing_json(rule).to_string()), actor, at_ms)
                    .await?;
            }
            if summary.added + summary.changed > 0 {
                bump_revision(&mut tx, city, at_ms).await?;
            }
            tx.commit().await?;
            Ok(summary)
        }
        .await)
    }

    /// The change log of categories and routing, newest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read.
    pub async fn registry_changes(&self, city: CityId, limit: u32) -> Result<Vec<RegistryChange>, StorageError> {
        let rows = sqlx::query(
            "SELECT entity, entity_code, change_kind, before_value, after_value, actor, changed_at FROM registry_change \
             WHERE city_id = $1 ORDER BY changed_at DESC, registry_change_id DESC LIMIT $2",
        )
        .bind(city.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RegistryChange {
                    entity: row.try_get("entity")?,
                    entity_code: row.try_get("entity_code")?,
                    change_kind: row.try_get("change_kind")?,
                    before: row.try_get("before_value")?,
                    after: row.try_get("after_value")?,
                    actor: row.try_get("actor")?,
                    changed_at_ms: row.try_get("changed_at")?,
                })
            })
            .collect()
    }
}
