//! The registry snapshot: the current territories, points, officers and agencies of the city with a
//! point-lookup index over them, rebuilt whenever the stored revision moves.
//!
//! Read endpoints answer from here, without a database round trip; it must never be written to.

use std::sync::Arc;

use sakshy_core::calendar::WorkingCalendar;
use sakshy_core::category::Routing;
use sakshy_core::{Agency, City, Level, Locator, Officer, PolicePoint, TerritoryVersion};
use sakshy_store::{CityId, ImportError, StorageError, Store};

/// One consistent view of the registry.
#[derive(Debug)]
pub struct Registry {
    /// The city's id in the store.
    pub city_id: CityId,
    /// The city's settings.
    pub city: City,
    /// The revision this view was read at.
    pub revision: i64,
    /// When the registry last changed, UTC epoch milliseconds.
    pub changed_at_ms: i64,
    /// Current versions of every territory, city first, then districts, then quadrants, each by code.
    pub territories: Vec<TerritoryVersion>,
    /// Police points, by code.
    pub points: Vec<PolicePoint>,
    /// Officers, by badge.
    pub officers: Vec<Officer>,
    /// Agencies, by code.
    pub agencies: Vec<Agency>,
    /// The point-lookup index.
    pub locator: Locator,
    /// Appeal categories and routing; `None` if the stored categories disagree with the agencies (logged).
    pub routing: Option<Routing>,
    /// The working calendar: the shipped years with those an administrator loaded.
    pub calendar: Arc<WorkingCalendar>,
}

impl Registry {
    /// Reads the registry; `None` when no city is stored.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the store cannot be read.
    pub async fn load(store: &Store) -> Result<Option<Registry>, StorageError> {
        let Some((city_id, city, revision)) = store.city().await? else { return Ok(None) };
        let changed_at_ms = store.registry_changed_at(city_id).await?;
        let mut territories = store.current_territories(city_id).await?;
        territories
            .sort_by(|a, b| (a.territory.level(), a.territory.code()).cmp(&(b.territory.level(), b.territory.code())));
        let points = store.points(city_id).await?;
        let officers = store.officers(city_id).await?;
        let agencies = store.agencies(city_id).await?;
        let locator = Locator::new(
            territories.iter().map(|version| version.territory.clone()).collect(),
            points.clone(),
            officers.clone(),
        );
        let routing = match store.routing(city_id).await {
            Ok(routing) => Some(routing),
            Err(ImportError::Storage(err)) => return Err(err),
            Err(ImportError::Invalid(failure)) => {
                tracing::warn!(%failure, "stored categories and routing disagree; appeals cannot be routed until fixed");
                None
            }
        };
        let calendar = match store.working_calendar(city_id).await {
            Ok(calendar) => Arc::new(calendar),
            Err(StorageError::Corrupt { reason, .. }) => {
                tracing::warn!(%reason, "the loaded calendar years do not make a calendar; using the shipped one");
                Arc::new(WorkingCalendar::kazakhstan())
            }
            Err(err) => return Err(err),
        };
        Ok(Some(Registry {
            city_id,
            city,
            revision,
            changed_at_ms,
            territories,
            points,
            officers,
            agencies,
            locator,
            routing,
            calendar,
        }))
    }

    /// The current versions of one level.
    pub fn level(&self, level: Level) -> impl Iterator<Item = &TerritoryVersion> {
        self.territories.iter().filter(move |version| version.territory.level() == level)
    }
}
