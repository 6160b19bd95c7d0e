//! The demo's synthetic incidents: two years of offences in the Al-Farabi district drawn from the documented
//! self-exciting point process of [`sakshy_analytics::synthetic`] (background hotspots plus near-repeat
//! offspring), stored as synthetic so that every page and export labels them so.
//!
//! The process runs in local metres over the district's bounding box; events are projected back to WGS84, those
//! outside the district itself dropped, and their times placed in the city's zone. Background events away from the hotspots are split between a few offence
//! groups; hotspot events and their offspring are property crime (burglary), the offence for which near repeats
//! are best documented (Johnson et al. 2007).
//!
//! So that the demo's pilot evaluation has an effect to find, about a third of the offences in the pilot
//! quadrants from the pilot's start on ([`crate::demo_surveys::pilot_start`]) are left out
//! ([`PILOT_REDUCTION`]); the report then shows the drop with its interval. The thinning is deterministic.

use chrono::{Datelike, NaiveDate, TimeZone};
use sakshy_analytics::LocalProjection;
use sakshy_analytics::synthetic::{SelfExcitingParams, simulate};
use sakshy_analytics::temporal::LocalDate;
use sakshy_core::incident::{Incident, OffenceGroup};
use sakshy_core::{Code, Level};
use sakshy_store::{IncidentOrigin, Store};

/// The source name the synthetic incidents are stored under.
pub const SOURCE: &str = "synthetic-demo";

/// The district the synthetic incidents fall in (the pilot's).
const DISTRICT: &str = "SHY-ALF";

/// The share of the pilot quadrants' offences left out from the pilot's start on.
pub const PILOT_REDUCTION: f64 = 0.35;

/// Groups of the background events that are not at a hotspot, in turn.
const BACKGROUND_GROUPS: [OffenceGroup; 4] =
    [OffenceGroup::Property, OffenceGroup::PublicOrder, OffenceGroup::Violent, OffenceGroup::Fraud];

/// Why the demo's incidents could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoIncidentsError {
    /// The demo city has no Al-Farabi district.
    #[error("the demo city has no district {DISTRICT}")]
    NoDistrict,
    /// The process could not be set up or simulated.
    #[error("the synthetic incidents could not be simulated: {0}")]
    Simulation(String),
    /// The store refused them.
    #[error(transparent)]
    Store(#[from] sakshy_store::IncidentImportError),
}

/// Generates and stores two years of synthetic incidents ending `today`; returns how many were written.
///
/// # Errors
///
/// [`DemoIncidentsError`]: the district is missing, the process cannot be simulated, or the store fails.
pub async fn seed_incidents(
    store: &Store,
    registry: &crate::Registry,
    today: NaiveDate,
    seed: u64,
) -> Result<usize, DemoIncidentsError> {
    let district = Code::parse(DISTRICT).map_err(|_| DemoIncidentsError::NoDistrict)?;
    let version = registry
        .level(Level::District)
        .find(|v| v.territory.code() == &district)
        .ok_or(DemoIncidentsError::NoDistrict)?;
    let bbox = version.territory.bbox();
    let centre = bbox.center();
    let projection =
        LocalProjection::new(centre.x, centre.y).map_err(|err| DemoIncidentsError::Simulation(err.to_string()))?;
    let (xmin, ymin) = projection.forward(bbox.min().x, bbox.min().y);
    let (xmax, ymax) = projection.forward(bbox.max().x, bbox.max().y);
    let first = today - chrono::Duration::days(730);
    let start = LocalDate::from_ymd(first.year(), first.month(), first.day())
        .map_err(|err| DemoIncidentsError::Simulation(err.to_string()))?;
    let params = SelfExcitingParams::demo((xmin, ymin, xmax, ymax), start);
    let events = simulate(&params, seed).map_err(|err| DemoIncidentsError::Simulation(err.to_string()))?;
    let zone = registry.city.timezone;
    let pilots: Vec<&geo_types::MultiPolygon<f64>> =
        registry.level(Level::Quadrant).filter(|q| q.territory.pilot()).map(|q| q.territory.geometry()).collect();
    let pilot_start = crate::demo_surveys::pilot_start(today);
    let midnight = first.and_hms_opt(0, 0, 0).ok_or_else(|| DemoIncidentsError::Simulation("no midnight".into()))?;
    let incidents: Vec<Incident> = events
        .iter()
        .enumerate()
        .filter_map(|(i, event)| {
            let local = midnight + chrono::Duration::milliseconds((event.t_days * 86_400_000.0).round() as i64);
            let at = zone.from_local_datetime(&local).earliest()?;
            let (lon, lat) = projection.inverse(event.x_m, event.y_m);
            // The box is wider than the district: what falls outside the district is not kept.
            let point = geo_types::Point::new(lon, lat);
            if !geo::Intersects::intersects(version.territory.geometry(), &point) {
                return None;
            }
            // The pilot's effect: a deterministic share of its offences from the start on is left out.
            let thinned = (i.wrapping_mul(2_654_435_761) % 1000) as f64 / 1000.0 < PILOT_REDUCTION;
            if thinned && local.date() >= pilot_start && pilots.iter().any(|p| geo::Intersects::intersects(*p, &point))
            {
                return None;
            }
            let near_hotspot = params
                .hotspots
                .iter()
                .any(|h| ((event.x_m - h.x_m).powi(2) + (event.y_m - h.y_m).powi(2)).sqrt() < 2.0 * h.sd_m);
            let group = if !event.is_background() || near_hotspot {
                OffenceGroup::Property
            } else {
                BACKGROUND_GROUPS[i % BACKGROUND_GROUPS.len()]
            };
            Some(Incident {
                source_id: format!("synthetic-{seed}-{i}"),
                occurred_at_ms: at.timestamp_millis(),
                hour_known: true,
                offence: None,
                group,
                location: geo_types::Point::new(lon, lat),
                address: None,
                erdr_ref: None,
            })
        })
        .collect();
    let inserted = store
        .insert_incidents(
            registry.city_id,
            SOURCE,
            &incidents,
            IncidentOrigin::Synthetic,
            chrono::Utc::now().timestamp_millis(),
        )
        .await?;
    Ok(inserted.imported)
}
