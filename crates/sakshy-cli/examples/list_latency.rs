//! Staff list latency with a million appeals: fills a database that already holds the demo city with appeals
//! (1,000,000 in all by default), then times typical staff queue queries through `Store::list_appeals` — the
//! first page of 50 and a deep keyset page — and prints p50/p99 per query.
//!
//! ```sh
//! # a database with the demo city: start `sakshy demo` on it once and stop it
//! cargo run --release -p sakshy-cli --example list_latency -- sqlite:/tmp/list.db [TOTAL] [CALLS] [QUERIES]
//! ```
//!
//! QUERIES picks some of the six queries by number, e.g. `1,3` (default: all). Each query and page stops after
//! CALLS calls (default 1,000) or once 30 s have passed, whichever comes first.
//!
//! Filling: three template appeals (NOISE, LIGHTING, GARBAGE) are registered through the normal path
//! (`intake::decide` + `Store::create_appeal`), so the rows have the production shapes; the rest are copied from
//! them in SQL (`Store::execute_raw_for_tests`, batches of 100,000 in one `INSERT … SELECT` each, the appeal
//! with its contact, tasks and history), spread over the 74 quadrants, ten states and one year of creation
//! times (ids made as `new_id` makes them: creation milliseconds in the high bits). At ~1,000 registrations/s
//! the normal path would take ~17 minutes per million; this takes 40–80 s. Rows are marked synthetic.
//! Nothing here is used by the product.

use std::time::{Duration, Instant};

use anyhow::Context;
use chrono::{NaiveDate, Utc};
use geo_types::Point;
use rand::Rng;
use sakshy_core::calendar::WorkingCalendar;
use sakshy_core::intake::{self, Channel, Contact, Decision, IntakeContext, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Actor, Appeal};
use sakshy_core::{Code, Lang, Level};
use sakshy_store::{AppealCursor, AppealFilter, Backend, CityId, Store};
use sakshy_web::Registry;

const TEMPLATES: [(&str, &str); 3] = [
    ("NOISE", "Шум во дворе по ночам, соседи не дают спать"),
    ("LIGHTING", "Не горит уличный фонарь у подъезда"),
    ("GARBAGE", "Мусор не вывозят третий день"),
];
const STATES: [&str; 10] = [
    "registered",
    "in_progress",
    "in_progress",
    "answered",
    "closed",
    "closed",
    "closed",
    "extended",
    "rejected",
    "reopened",
];
const BATCH: i64 = 100_000;
const DAY_MS: i64 = 86_400_000;

/// Registers one appeal of `category` through intake and the store, as `POST /api/v1/appeals` does.
async fn register(store: &Store, registry: &Registry, category: &str, description: &str) -> anyhow::Result<i64> {
    let routing = registry.routing.as_ref().context("the city has no categories")?;
    let calendar = WorkingCalendar::kazakhstan();
    let office_hours = sakshy_web::HttpConfig::standard().office_hours;
    let context = IntakeContext {
        routing,
        locator: &registry.locator,
        points: &registry.points,
        agencies: &registry.agencies,
        calendar: &calendar,
        office_hours: &office_hours,
    };
    for _ in 0..100 {
        let (lat, lon) = {
            let mut rng = rand::rng();
            (rng.random_range(42.29..42.33), rng.random_range(69.59..69.63))
        };
        let submission = Submission {
            category: Code::parse(category).context("category")?,
            description: description.to_owned(),
            location: LocationInput::Point(Point::new(lon, lat)),
            lang: Lang::Ru,
            contact: Some(Contact {
                name: Some("Bench Resident".to_owned()),
                phone: Some(Phone::parse("+7 700 000 00 00").context("phone")?),
                email: None,
            }),
            consent: true,
            channel: Channel::Web,
        };
        let now = Utc::now();
        let local = now.with_timezone(&registry.city.timezone);
        let Ok(Decision::Register(new)) = intake::decide(submission, local.naive_local(), context) else { continue };
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
        let created = store
            .create_appeal(
                registry.city_id,
                registry.city.code.as_str(),
                &new,
                &workflow,
                version,
                true,
                None,
                sakshy_store::Attachments::default(),
                now.timestamp_millis(),
            )
            .await?;
        return Ok(created.appeal_id);
    }
    anyhow::bail!("intake refused every point for {category}")
}

fn quoted(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// SQL for a `YYYY-MM-DD` text of an epoch-milliseconds expression.
fn day_of(backend: Backend, ms: &str) -> String {
    match backend {
        Backend::Sqlite => format!("date(({ms}) / 1000, 'unixepoch')"),
        Backend::Postgres => format!("to_char(to_timestamp(({ms}) / 1000) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
    }
}

/// Copies the templates into appeals `from..to` (exclusive) in four `INSERT … SELECT` statements.
#[expect(clippy::too_many_arguments, reason = "a one-off fill step of a benchmark")]
async fn copy_batch(
    store: &Store,
    city: CityId,
    templates: &[(i64, String)],
    quadrants: &[(String, String)],
    start_ms: i64,
    step_ms: i64,
    from: i64,
    to: i64,
) -> anyhow::Result<()> {
    let backend = store.backend();
    let t_values: Vec<String> =
        templates.iter().enumerate().map(|(k, (id, key))| format!("({k}, {id}, {})", quoted(key))).collect();
    let q_values: Vec<String> = quadrants
        .iter()
        .enumerate()
        .map(|(k, (code, district))| format!("({k}, {}, {})", quoted(code), quoted(district)))
        .collect();
    let s_values: Vec<String> = STATES.iter().enumerate().map(|(k, s)| format!("({k}, {})", quoted(s))).collect();
    let (nt, nq, ns) = (templates.len(), quadrants.len(), STATES.len());
    // `src`: one row per new appeal — its number, creation time and id (time-ordered like `new_id`).
    // PostgreSQL's planner misjudges a recursive CTE's size and nests loops over it; generate_series it knows.
    let numbers = match backend {
        Backend::Sqlite => format!("SELECT CAST({from} AS BIGINT) UNION ALL SELECT i + 1 FROM n WHERE i < {}", to - 1),
        Backend::Postgres => format!("SELECT generate_series(CAST({from} AS BIGINT), {})", to - 1),
    };
    let with = format!(
        "WITH RECURSIVE n(i) AS ({numbers}), \
         t(k, id, description_key) AS (VALUES {t}), q(k, code, district) AS (VALUES {q}), st(k, state) AS (VALUES {s}), \
         src AS (SELECT i, {start_ms} + i * {step_ms} AS at, ({start_ms} + i * {step_ms}) * 4194304 + i % 4194304 AS id, \
         i % {nt} AS tk, (i * 7) % {nq} AS qk, (i * 3) % {ns} AS sk FROM n) ",
        t = t_values.join(", "),
        q = q_values.join(", "),
        s = s_values.join(", "),
    );
    let city = city.0;
    let appeal = format!(
        "{with} INSERT INTO appeal (city_id, appeal_id, receipt, tracking_hash, category_code, track, description, \
         search_key, lang, channel, lon, lat, cell_key, address_text, police_point_code, quadrant_code, \
         quadrant_version_id, district_code, state, registered_on, due_on, redirect_by, extension_limit, answered_on, \
         closed, erdr_reference, synthetic, created_at, updated_at) \
         SELECT a.city_id, src.id, 'SHY-B-' || src.i, 'bulk-' || src.i, a.category_code, a.track, a.description, \
         'shy-b-' || src.i || ' ' || t.description_key, a.lang, a.channel, a.lon, a.lat, a.cell_key, a.address_text, \
         a.police_point_code, q.code, a.quadrant_version_id, q.district, st.state, {registered}, {due}, {redirect}, \
         {extension}, NULL, CASE WHEN st.state = 'closed' THEN 1 ELSE 0 END, NULL, 1, src.at, src.at \
         FROM src JOIN t ON t.k = src.tk JOIN q ON q.k = src.qk JOIN st ON st.k = src.sk \
         JOIN appeal a ON a.city_id = {city} AND a.appeal_id = t.id",
        registered = day_of(backend, "src.at"),
        due = day_of(backend, &format!("src.at + {}", 15 * DAY_MS)),
        redirect = day_of(backend, &format!("src.at + {}", 3 * DAY_MS)),
        extension = day_of(backend, &format!("src.at + {}", 30 * DAY_MS)),
    );
    store.execute_raw_for_tests(&appeal).await?;
    let contact = format!(
        "{with} INSERT INTO appeal_contact (city_id, appeal_id, name, phone, email, consent_at) \
         SELECT c.city_id, src.id, c.name, c.phone, c.email, src.at FROM src JOIN t ON t.k = src.tk \
         JOIN appeal_contact c ON c.city_id = {city} AND c.appeal_id = t.id"
    );
    store.execute_raw_for_tests(&contact).await?;
    let task = format!(
        "{with} INSERT INTO appeal_task (city_id, appeal_id, task_no, agency_code, state, due_on, redirected_from) \
         SELECT k.city_id, src.id, k.task_no, k.agency_code, k.state, {due}, k.redirected_from \
         FROM src JOIN t ON t.k = src.tk JOIN appeal_task k ON k.city_id = {city} AND k.appeal_id = t.id",
        due = day_of(backend, &format!("src.at + {}", 15 * DAY_MS)),
    );
    store.execute_raw_for_tests(&task).await?;
    let event = format!(
        "{with} INSERT INTO appeal_event (city_id, appeal_id, event_no, happened_at, actor, action, agency_code, \
         from_state, to_state, public_comment, internal_comment) \
         SELECT e.city_id, src.id, e.event_no, src.at, e.actor, e.action, e.agency_code, e.from_state, e.to_state, \
         e.public_comment, e.internal_comment FROM src JOIN t ON t.k = src.tk \
         JOIN appeal_event e ON e.city_id = {city} AND e.appeal_id = t.id"
    );
    store.execute_raw_for_tests(&event).await?;
    Ok(())
}

/// How many appeals the city has, up to 1,000 (the store has no count API and an unfiltered page is slow at a
/// million): enough to tell a fresh demo database (300 appeals) from one already filled.
async fn count_appeals(store: &Store, city: CityId) -> anyhow::Result<i64> {
    Ok(store.list_appeals(city, &AppealFilter::default(), None, 1_000).await?.len() as i64)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1e3
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let db = args.get(1).context("usage: list_latency DB_URL [TOTAL] [CALLS]")?;
    let total: i64 = args.get(2).map_or(Ok(1_000_000), |s| s.parse()).context("TOTAL")?;
    let calls: usize = args.get(3).map_or(Ok(1_000), |s| s.parse()).context("CALLS")?;
    let only: Vec<usize> = match args.get(4) {
        Some(list) => list.split(',').map(str::parse).collect::<Result<_, _>>().context("QUERIES")?,
        None => (1..=6).collect(),
    };
    let store = Store::connect(db).await?;
    let registry = Registry::load(&store).await?.context("no city in this database: run `sakshy demo` on it first")?;
    let city = registry.city_id;

    let existing = count_appeals(&store, city).await?;
    let now_ms = Utc::now().timestamp_millis();
    let start_ms = now_ms - 365 * DAY_MS;
    let step_ms = 365 * DAY_MS / total.max(1);
    if existing < 1_000 {
        let mut templates = Vec::new();
        for (category, description) in TEMPLATES {
            let id = register(&store, &registry, category, description).await?;
            templates.push((id, description.to_lowercase()));
        }
        let quadrants: Vec<(String, String)> = registry
            .level(Level::Quadrant)
            .map(|v| {
                let district = v.territory.parent().map(ToString::to_string).unwrap_or_default();
                (v.territory.code().to_string(), district)
            })
            .collect();
        let to_copy = total - existing - 3;
        println!("filling: {existing} appeals + 3 templates, copying {to_copy} in batches of {BATCH}");
        let fill = Instant::now();
        let mut from = 0;
        while from < to_copy {
            let to = (from + BATCH).min(to_copy);
            copy_batch(&store, city, &templates, &quadrants, start_ms, step_ms, from, to).await?;
            from = to;
            println!("  {to} copied, {:.0} s", fill.elapsed().as_secs_f64());
        }
        println!("FILL appeals={total} seconds={:.1}", fill.elapsed().as_secs_f64());
    } else {
        println!("the database already holds at least {existing} appeals: not filling");
    }

    let today: NaiveDate = Utc::now().date_naive();
    let deep = AppealCursor { created_at_ms: start_ms + 180 * DAY_MS, appeal_id: i64::MAX };
    let queries: Vec<(&str, AppealFilter)> = vec![
        ("no filter", AppealFilter::default()),
        ("state=in_progress", AppealFilter { state: Some("in_progress".into()), ..AppealFilter::default() }),
        (
            "quadrant=SHY-ALF-Q01",
            AppealFilter { quadrant: Some(Code::parse("SHY-ALF-Q01").context("code")?), ..AppealFilter::default() },
        ),
        (
            "agency=POL_UIP",
            AppealFilter { agency: Some(Code::parse("POL_UIP").context("code")?), ..AppealFilter::default() },
        ),
        ("overdue_on=today", AppealFilter { overdue_on: Some(today), ..AppealFilter::default() }),
        ("text=\"шу\"", AppealFilter { text: Some("шу".into()), ..AppealFilter::default() }),
    ];
    // At most this long per query and page, so that a slow plan cannot stall the run.
    let budget = Duration::from_secs(30);
    println!("| query | page | calls | rows | p50 ms | p99 ms | max ms |");
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for (number, (name, filter)) in queries.iter().enumerate() {
        if !only.contains(&(number + 1)) {
            continue;
        }
        for (page, after) in [("first 50", None), ("keyset, 6 months deep", Some(deep))] {
            let mut times = Vec::with_capacity(calls);
            let mut rows = 0;
            let started = Instant::now();
            while times.len() < calls && started.elapsed() < budget {
                let t = Instant::now();
                rows = store.list_appeals(city, filter, after, 50).await?.len();
                times.push(t.elapsed());
            }
            times.sort();
            println!(
                "| {name} | {page} | {} | {rows} | {:.2} | {:.2} | {:.2} |",
                times.len(),
                percentile(&times, 0.5),
                percentile(&times, 0.99),
                times.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
            );
        }
    }
    store.close().await;
    Ok(())
}
