//! The incident import benchmark: generates a CSV of N incidents over the demo city (articles, times and points
//! spread deterministically) and times `Store::import_incidents` — parsing, checks, placing each in its quadrant
//! and the batched transaction — on the given database, then prints the rate.
//!
//! ```sh
//! cargo run --release -p sakshy-cli --example incident_import -- sqlite:/tmp/x.db [N]
//! cargo run --release -p sakshy-cli --example incident_import -- postgres://postgres@127.0.0.1:5432/bench [N]
//! ```
//!
//! The database must already hold the demo city (run `sakshy demo --db …` on it first). The incidents go under
//! the source `bench-<N>-<time>`, so each run imports afresh: use a throw-away database.

use std::time::Instant;

use anyhow::Context;
use sakshy_core::incident::{Crs, IncidentMapping};
use sakshy_store::{IncidentImport, IncidentOrigin, InvalidRows, Store};

fn file(n: usize) -> String {
    let mut text = String::from("source_id,datetime,article,lat,lon\n");
    for i in 0..n {
        let lat = 42.2 + 0.2 * ((i * 7919) % 1000) as f64 / 1000.0;
        let lon = 69.5 + 0.2 * ((i * 104_729) % 1000) as f64 / 1000.0;
        let (month, day, hour) = (1 + i % 12, 1 + i % 28, i % 24);
        let article = ["188", "190", "297", "293", "KoAP 434"][i % 5];
        text.push_str(&format!("R-{i},2025-{month:02}-{day:02} {hour:02}:00,{article},{lat:.5},{lon:.5}\n"));
    }
    text
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let url = args.next().context("usage: incident_import DATABASE_URL [N]")?;
    let n: usize = args.next().map(|v| v.parse()).transpose().context("N must be a whole number")?.unwrap_or(100_000);
    let store = Store::connect(&url).await?;
    let text = file(n);
    let mapping = IncidentMapping::default();
    let source = format!("bench-{n}-{}", chrono::Utc::now().timestamp_millis());
    let import = IncidentImport {
        source: &source,
        mapping: &mapping,
        crs: Crs::Wgs84,
        invalid_rows: InvalidRows::RefuseFile,
        origin: IncidentOrigin::Synthetic,
        at_ms: chrono::Utc::now().timestamp_millis(),
    };
    let started = Instant::now();
    let report = store.import_incidents(&text, &import).await.map_err(|err| anyhow::anyhow!("{err}"))?;
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} incidents imported in {seconds:.2} s ({:.0} rows/s), {} invalid",
        report.imported,
        report.imported as f64 / seconds,
        report.invalid_rows
    );
    Ok(())
}
