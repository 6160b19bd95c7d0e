//! The demo city: Shymkent's districts and quadrants (illustrative boundaries), police points, officers,
//! agencies, appeal categories and routing, compiled into the binary from `data/demo/shymkent/` and loaded through the same import
//! code a real city uses.

use std::net::SocketAddr;

use anyhow::Context;
use sakshy_store::{ImportError, PointsFormat, Store};

/// The demo files, in load order.
const TERRITORIES: &str = include_str!("../../../data/demo/shymkent/territories.geojson");
const POINTS: &str = include_str!("../../../data/demo/shymkent/points.geojson");
const OFFICERS: &str = include_str!("../../../data/demo/shymkent/officers.csv");
const AGENCIES: &str = include_str!("../../../data/demo/shymkent/agencies.csv");
const CATEGORIES: &str = include_str!("../../../data/demo/shymkent/categories.csv");
const ROUTING: &str = include_str!("../../../data/demo/shymkent/routing.csv");

/// How many synthetic appeals the demo starts with, registered over the last 120 days.
const SYNTHETIC_APPEALS: usize = 300;

/// Loads the demo city unless the database already holds a city. Returns whether it loaded.
///
/// # Errors
///
/// When a demo file is refused (a bug: the tests import them) or the database fails.
pub async fn load_if_empty(store: &Store) -> anyhow::Result<bool> {
    if store.city().await?.is_some() {
        tracing::info!("the database already holds a city; the demo data are not loaded again");
        return Ok(false);
    }
    load_files(store).await?;
    let registry = sakshy_web::Registry::load(store).await?.context("the demo city was just loaded")?;
    let seeded =
        crate::seed::seed_appeals(store, &registry, SYNTHETIC_APPEALS, 120, chrono::Utc::now(), 20_261_125).await?;
    tracing::info!(seeded, "demo city loaded: Shymkent (illustrative boundaries, synthetic registry and appeals)");
    Ok(true)
}

/// Imports the demo files into an empty database, through the same import code a real city uses.
///
/// # Errors
///
/// When a demo file is refused (a bug: the tests import them) or the database fails.
pub async fn load_files(store: &Store) -> anyhow::Result<()> {
    let at = chrono::Utc::now().timestamp_millis();
    let shown = |err: ImportError| anyhow::anyhow!("{err}");
    store
        .import_territories(TERRITORIES, "demo:territories.geojson", at)
        .await
        .map_err(shown)
        .context("loading demo territories")?;
    store.import_agencies(AGENCIES, "demo:agencies.csv", at).await.map_err(shown).context("loading demo agencies")?;
    store
        .import_points(POINTS, PointsFormat::GeoJson, "demo:points.geojson", at)
        .await
        .map_err(shown)
        .context("loading demo police points")?;
    store.import_officers(OFFICERS, "demo:officers.csv", at).await.map_err(shown).context("loading demo officers")?;
    store
        .import_categories(CATEGORIES, "demo:categories.csv", at)
        .await
        .map_err(shown)
        .context("loading demo categories")?;
    store.import_routing(ROUTING, "demo:routing.csv", at).await.map_err(shown).context("loading demo routing")?;
    Ok(())
}

/// What to try once the demo runs.
pub fn tour(addr: SocketAddr, db: &str) -> String {
    let appeal = r#"{"category": "NOISE", "description": "Loud music at night", "location": {"lat": 42.29871, "lon": 69.6103}, "contact": {"name": "Aigul", "phone": "+7 701 000 00 00"}, "consent": true}"#;
    format!(
        "Sakshy demo — Shymkent (boundaries illustrative; registry and 300 appeals synthetic), database {db}\n\
         \n  open   http://{addr}/\n\
         \n  curl 'http://{addr}/api/v1/locate?lat=42.29871&lon=69.61030'     # the railway station: pilot quadrant\
         \n  curl 'http://{addr}/api/v1/districts'\
         \n  curl 'http://{addr}/api/v1/quadrants?district=SHY-ALF'           # GeoJSON\
         \n  curl 'http://{addr}/api/v1/officers?quadrant=SHY-ALF-Q01'\
         \n  curl 'http://{addr}/api/v1/categories'\
         \n  curl -X POST 'http://{addr}/api/v1/appeals' -H 'Content-Type: application/json' -d '{appeal}'\
         \n  curl 'http://{addr}/api/v1/openapi.json'\
         \n\nPress Ctrl-C to stop.\n"
    )
}
