//! What a registry import would change, before it changes anything: the administrator's preview.
//!
//! [`Store::preview_import`] runs the same parsing and the same checks as the import itself and compares the
//! file with what is stored, naming every record that would be added or changed (and, for routing, which is
//! replaced as a whole, removed). Nothing is written. [`Store::apply_import`] then imports the same text through
//! the one import path, which checks it all again: what was stored meanwhile is taken into account, never
//! overwritten blindly.

use std::collections::{BTreeSet, HashMap};

use sakshy_core::Code;
use sakshy_core::import::{self, Problem};

use crate::{ImportError, PointsFormat, Store, UpsertSummary};

/// A registry file an administrator can import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistryFile {
    /// Territories, GeoJSON.
    Territories,
    /// Police points, CSV or GeoJSON.
    Points(PointsFormat),
    /// Officers, CSV.
    Officers,
    /// Agencies, CSV.
    Agencies,
    /// Appeal categories, CSV.
    Categories,
    /// Routing overrides, CSV; replaces the stored overrides as a whole.
    Routing,
}

impl RegistryFile {
    /// Every kind, in the order an administrator loads them into a new city.
    pub const ALL: [RegistryFile; 7] = [
        RegistryFile::Territories,
        RegistryFile::Agencies,
        RegistryFile::Points(PointsFormat::Csv),
        RegistryFile::Points(PointsFormat::GeoJson),
        RegistryFile::Officers,
        RegistryFile::Categories,
        RegistryFile::Routing,
    ];

    /// The kind's name in forms and URLs: `territories`, `points-csv`, `points-geojson`, `officers`, `agencies`,
    /// `categories`, `routing`.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistryFile::Territories => "territories",
            RegistryFile::Points(PointsFormat::Csv) => "points-csv",
            RegistryFile::Points(PointsFormat::GeoJson) => "points-geojson",
            RegistryFile::Officers => "officers",
            RegistryFile::Agencies => "agencies",
            RegistryFile::Categories => "categories",
            RegistryFile::Routing => "routing",
        }
    }

    /// The kind named `name` (see [`RegistryFile::as_str`]).
    pub fn parse(name: &str) -> Option<RegistryFile> {
        RegistryFile::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

/// What an import would do.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportPreview {
    /// Codes of the records that would be added, in file order.
    pub added: Vec<String>,
    /// Codes of the records whose content would change, in file order.
    pub changed: Vec<String>,
    /// Codes of the records that would be removed (routing only: its file replaces the stored overrides).
    pub removed: Vec<String>,
    /// How many records are identical to the stored ones.
    pub unchanged: usize,
    /// Whether the city's own settings (name, time zone, origin) would change (territories only).
    pub city_changed: bool,
    /// Problems that do not stop the import (gaps between territories).
    pub warnings: Vec<Problem>,
}

impl ImportPreview {
    /// Whether applying the file would change nothing.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty() && !self.city_changed
    }
}

/// Splits `incoming` records into added, changed and unchanged against `stored`, both keyed by `key`.
fn compare<T: PartialEq>(incoming: &[T], stored: &[T], key: impl Fn(&T) -> String) -> ImportPreview {
    let stored: HashMap<String, &T> = stored.iter().map(|record| (key(record), record)).collect();
    let mut preview = ImportPreview::default();
    for record in incoming {
        let code = key(record);
        match stored.get(&code) {
            None => preview.added.push(code),
            Some(old) if *old != record => preview.changed.push(code),
            Some(_) => preview.unchanged += 1,
        }
    }
    preview
}

impl Store {
    /// What importing `text` as `file` would change, with the same checks as the import; writes nothing.
    ///
    /// # Errors
    ///
    /// [`ImportError::Invalid`] with every problem of the file, exactly as the import would report them;
    /// [`ImportError::Storage`] when the database cannot be read.
    pub async fn preview_import(&self, file: RegistryFile, text: &str) -> Result<ImportPreview, ImportError> {
        let stored_city = self.city().await?;
        if file != RegistryFile::Territories && stored_city.is_none() {
            return Err(crate::StorageError::NoCity.into());
        }
        let city_id = stored_city.as_ref().map(|(id, _, _)| *id);
        let code = |c: &Code| c.to_string();
        match file {
            RegistryFile::Territories => {
                let parsed = import::parse_territories(text)?;
                let current = match city_id {
                    Some(id) => self.current_territories(id).await?.into_iter().map(|v| v.territory).collect(),
                    None => Vec::new(),
                };
                let plan = import::plan_territories(&parsed, &current, stored_city.as_ref().map(|(_, city, _)| city))?;
                let name = |t: &sakshy_core::Territory| format!("{} {}", t.level().as_str(), t.code());
                Ok(ImportPreview {
                    added: plan.added.iter().map(name).collect(),
                    changed: plan.changed.iter().map(name).collect(),
                    removed: Vec::new(),
                    unchanged: plan.unchanged,
                    city_changed: plan.city.is_some(),
                    warnings: plan.warnings,
                })
            }
            RegistryFile::Points(format) => {
                let city = city_id.ok_or(crate::StorageError::NoCity)?;
                let points = match format {
                    PointsFormat::GeoJson => import::parse_points_geojson(text)?,
                    PointsFormat::Csv => import::parse_points_csv(text)?,
                };
                import::check_points(&points, &self.quadrant_codes(city).await?)?;
                let points: Vec<_> = points.into_iter().map(|p| p.value).collect();
                Ok(compare(&points, &self.points(city).await?, |p| code(&p.code)))
            }
            RegistryFile::Officers => {
                let city = city_id.ok_or(crate::StorageError::NoCity)?;
                let officers = import::parse_officers_csv(text)?;
                let points = self.points(city).await?.into_iter().map(|point| point.code).collect();
                import::check_officers(&officers, &self.quadrant_codes(city).await?, &points)?;
                let officers: Vec<_> = officers.into_iter().map(|o| o.value).collect();
                Ok(compare(&officers, &self.officers(city).await?, |o| code(&o.badge)))
            }
            RegistryFile::Agencies => {
                let city = city_id.ok_or(crate::StorageError::NoCity)?;
                let agencies: Vec<_> = import::parse_agencies_csv(text)?.into_iter().map(|a| a.value).collect();
                Ok(compare(&agencies, &self.agencies(city).await?, |a| code(&a.code)))
            }
            RegistryFile::Categories => {
                let city = city_id.ok_or(crate::StorageError::NoCity)?;
                let located = import::parse_categories_csv(text)?;
                let stored = self.categories(city).await?;
                let mut merged = stored.clone();
                for category in located.iter().map(|c| &c.value) {
                    match merged.iter_mut().find(|old| old.code == category.code) {
                        Some(old) => *old = category.clone(),
                        None => merged.push(category.clone()),
                    }
                }
                self.check_routing(city, merged, self.routing_overrides(city).await?).await?;
                let categories: Vec<_> = located.into_iter().map(|c| c.value).collect();
                Ok(compare(&categories, &stored, |c| code(&c.code)))
            }
            RegistryFile::Routing => {
                let city = city_id.ok_or(crate::StorageError::NoCity)?;
                let overrides: Vec<_> = import::parse_routing_csv(text)?.into_iter().map(|o| o.value).collect();
                self.check_routing(city, self.categories(city).await?, overrides.clone()).await?;
                let key = |o: &sakshy_core::category::RoutingOverride| {
                    format!(
                        "{} {} {} → {}",
                        o.district,
                        o.category.as_ref().map_or("*", |c| c.as_str()),
                        o.replaces,
                        o.agency
                    )
                };
                let stored: BTreeSet<String> = self.routing_overrides(city).await?.iter().map(key).collect();
                let incoming: BTreeSet<String> = overrides.iter().map(key).collect();
                Ok(ImportPreview {
                    added: incoming.difference(&stored).cloned().collect(),
                    removed: stored.difference(&incoming).cloned().collect(),
                    unchanged: incoming.intersection(&stored).count(),
                    ..ImportPreview::default()
                })
            }
        }
    }

    /// Imports `text` as `file` through the import of its kind (every check made again); `source` names the file
    /// in the change log.
    ///
    /// # Errors
    ///
    /// As the import of that kind: every problem of the file, and nothing written.
    pub async fn apply_import(
        &self,
        file: RegistryFile,
        text: &str,
        source: &str,
        at_ms: i64,
    ) -> Result<UpsertSummary, ImportError> {
        match file {
            RegistryFile::Territories => {
                let done = self.import_territories(text, source, at_ms).await?;
                Ok(UpsertSummary {
                    added: done.summary.added,
                    changed: done.summary.changed,
                    unchanged: done.summary.unchanged,
                })
            }
            RegistryFile::Points(format) => self.import_points(text, format, source, at_ms).await,
            RegistryFile::Officers => self.import_officers(text, source, at_ms).await,
            RegistryFile::Agencies => self.import_agencies(text, source, at_ms).await,
            RegistryFile::Categories => self.import_categories(text, source, at_ms).await,
            RegistryFile::Routing => self.import_routing(text, source, at_ms).await,
        }
    }
}
