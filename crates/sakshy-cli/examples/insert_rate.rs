//! The raw insert limit for the intake benchmark (`tools/bench/intake_load.sh`): registers appeals straight
//! through `Store::create_appeal` — the same intake decision, workflow and transaction the HTTP handler runs,
//! with the same `Store::connect` durability settings, but no HTTP, JSON or middleware — first from one task,
//! then from 32 concurrent tasks, and prints appeals/s for each.
//!
//! ```sh
//! cargo run --release -p sakshy-cli --example insert_rate -- sqlite:/tmp/x.db [SECONDS] [TASKS]
//! ```
//!
//! The database must already hold a city (run `sakshy demo --db …` on it first). Appeals are NOISE, LIGHTING
//! and GARBAGE at random points of lat 42.29–42.33, lon 69.59–69.63, with a contact and consent, like
//! `tools/bench/intake.lua` posts. They are not marked synthetic: use a throw-away database.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;
use geo_types::Point;
use rand::Rng;
use sakshy_core::calendar::WorkingCalendar;
use sakshy_core::intake::{self, Channel, Contact, Decision, IntakeContext, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Actor, Appeal};
use sakshy_core::{Code, Lang, Level};
use sakshy_store::Store;
use sakshy_web::Registry;

const CATEGORIES: [&str; 3] = ["NOISE", "LIGHTING", "GARBAGE"];

/// Registers one appeal the way `POST /api/v1/appeals` does. Returns false when intake refused the point.
async fn register_one(store: &Store, registry: &Registry, calendar: &WorkingCalendar) -> anyhow::Result<bool> {
    let routing = registry.routing.as_ref().context("the city has no categories")?;
    let office_hours = sakshy_web::HttpConfig::standard().office_hours;
    let context = IntakeContext {
        routing,
        locator: &registry.locator,
        points: &registry.points,
        agencies: &registry.agencies,
        calendar,
        office_hours: &office_hours,
    };
    let (category, lat, lon, phone) = {
        let mut rng = rand::rng();
        (
            CATEGORIES[rng.random_range(0..CATEGORIES.len())],
            rng.random_range(42.29..42.33),
            rng.random_range(69.59..69.63),
            format!(
                "+7 700 {:03} {:02} {:02}",
                rng.random_range(0..1000),
                rng.random_range(0..100),
                rng.random_range(0..100)
            ),
        )
    };
    let submission = Submission {
        category: Code::parse(category).context("category code")?,
        description: "Шум во дворе по ночам, benchmark appeal".to_owned(),
        location: LocationInput::Point(Point::new(lon, lat)),
        lang: Lang::Ru,
        contact: Some(Contact {
            name: Some("Bench Resident".to_owned()),
            phone: Some(Phone::parse(&phone).context("phone")?),
            email: None,
        }),
        consent: true,
        channel: Channel::Web,
    };
    let now = chrono::Utc::now();
    let local = now.with_timezone(&registry.city.timezone);
    let Ok(Decision::Register(new)) = intake::decide(submission, local.naive_local(), context) else {
        return Ok(false);
    };
    let workflow = Appeal::register(
        new.agencies.clone(),
        new.location.quadrant.clone(),
        new.location.district.clone(),
        new.clocks,
        now.timestamp_millis(),
        &Actor::Resident,
    );
    let version = new
        .location
        .quadrant
        .as_ref()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == code))
        .map(|v| v.version_id);
    store
        .create_appeal(
            registry.city_id,
            registry.city.code.as_str(),
            &new,
            &workflow,
            version,
            false,
            None,
            sakshy_store::Attachments::default(),
            now.timestamp_millis(),
        )
        .await?;
    Ok(true)
}

/// Runs `tasks` concurrent loops for `seconds`; returns (appeals stored, elapsed seconds).
async fn run(store: &Store, registry: &Arc<Registry>, tasks: usize, seconds: f64) -> anyhow::Result<(u64, f64)> {
    let stored = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(seconds);
    let mut handles = Vec::new();
    for _ in 0..tasks {
        let (store, registry, stored) = (store.clone(), Arc::clone(registry), Arc::clone(&stored));
        handles.push(tokio::spawn(async move {
            let calendar = WorkingCalendar::kazakhstan();
            while Instant::now() < deadline {
                if register_one(&store, &registry, &calendar).await? {
                    stored.fetch_add(1, Ordering::Relaxed);
                }
            }
            anyhow::Ok(())
        }));
    }
    for handle in handles {
        handle.await??;
    }
    Ok((stored.load(Ordering::Relaxed), start.elapsed().as_secs_f64()))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let db = args.get(1).context("usage: insert_rate DB_URL [SECONDS] [TASKS]")?;
    let seconds: f64 = args.get(2).map_or(Ok(10.0), |s| s.parse()).context("SECONDS")?;
    let tasks: usize = args.get(3).map_or(Ok(32), |s| s.parse()).context("TASKS")?;
    let store = Store::connect(db).await?;
    let registry =
        Arc::new(Registry::load(&store).await?.context("no city in this database: run `sakshy demo` first")?);
    // A short warm-up: connections opened, pages cached.
    run(&store, &registry, 1, 1.0).await?;
    for n in [1, tasks] {
        let (count, elapsed) = run(&store, &registry, n, seconds).await?;
        println!(
            "RAW backend={:?} tasks={n} appeals={count} seconds={elapsed:.2} rate={:.0}",
            store.backend(),
            count as f64 / elapsed
        );
    }
    store.close().await;
    Ok(())
}
