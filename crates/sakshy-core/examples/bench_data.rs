//! Writes the locate benchmark's data so that other tools can run on exactly the same polygons and points:
//!
//! - `national.geojson`: the generated national set (1 city, 100 districts, 5,000 quadrants);
//! - `national_points.csv`, `demo_points.csv`: the 100,000 query points of each set, `lon,lat`;
//! - `national_ours.txt`, `demo_ours.txt`: for each query point, the quadrant code
//!   `Locator::quadrant_code_at` gives, or an empty line when outside every quadrant.
//!
//! It also prints, per set, how many points fell inside a quadrant and the single-thread lookup rate
//! (a rough figure; the criterion bench `cargo bench -p sakshy-core --bench locate` is the measurement).
//!
//! Run: `cargo run --release -p sakshy-core --example bench_data -- DIR`.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;

use sakshy_core::Locator;
use sakshy_core::import::parse_territories;

#[path = "../benches/support/national.rs"]
mod national;

fn locator_of(text: &str) -> Locator {
    let file = parse_territories(text).expect("the benchmark territories import cleanly");
    let territories = file.territories.into_iter().map(|t| t.value).collect();
    let start = Instant::now();
    let locator = Locator::new(territories, vec![], vec![]);
    println!("Locator::new: {:.1} ms", start.elapsed().as_secs_f64() * 1e3);
    locator
}

fn write_set(dir: &Path, name: &str, locator: &Locator, points: &[(f64, f64)]) -> std::io::Result<()> {
    let mut csv = String::from("lon,lat\n");
    let mut ours = String::new();
    let mut inside = 0;
    for &(lon, lat) in points {
        writeln!(csv, "{lon},{lat}").unwrap();
        if let Some(code) = locator.quadrant_code_at(lon, lat) {
            inside += 1;
            ours.push_str(code.as_str());
        }
        ours.push('\n');
    }
    std::fs::write(dir.join(format!("{name}_points.csv")), csv)?;
    std::fs::write(dir.join(format!("{name}_ours.txt")), ours)?;
    let rounds = 20;
    let start = Instant::now();
    let mut matched = 0usize;
    for _ in 0..rounds {
        matched += points
            .iter()
            .filter(|&&(lon, lat)| {
                locator.quadrant_code_at(std::hint::black_box(lon), std::hint::black_box(lat)).is_some()
            })
            .count();
    }
    let seconds = start.elapsed().as_secs_f64();
    assert_eq!(matched, inside * rounds);
    let lookups = (points.len() * rounds) as f64;
    println!(
        "{name}: {} quadrants, {inside} of {} points inside; {:.0} lookups/s ({:.0} ns/lookup)",
        locator.quadrant_count(),
        points.len(),
        lookups / seconds,
        seconds * 1e9 / lookups,
    );
    Ok(())
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os().nth(1).expect("usage: bench_data DIR");
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;

    let demo_text = std::fs::read_to_string(national::demo_territories_path())?;
    let demo_json: serde_json::Value = serde_json::from_str(&demo_text).expect("the demo city is JSON");
    write_set(dir, "demo", &locator_of(&demo_text), &national::demo_points(&demo_json))?;

    let national_text = national::national_geojson().to_string();
    std::fs::write(dir.join("national.geojson"), &national_text)?;
    write_set(dir, "national", &locator_of(&national_text), &national::national_points())?;
    Ok(())
}
