//! Point-lookup benchmark: `Locator::quadrant_code_at` on the Shymkent demo city (74 quadrants) and on a
//! generated national-scale set (5,000 quadrants of 21–37 vertices), 100,000 fixed query points each.
//!
//! Run: `cargo bench -p sakshy-core --bench locate`. Criterion reports the throughput in lookups (elements)
//! per second, on one thread. See `docs/benchmarks.md`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sakshy_core::Locator;
use sakshy_core::import::parse_territories;

#[path = "support/national.rs"]
mod national;

fn locator_of(text: &str) -> Locator {
    let file = parse_territories(text).expect("the benchmark territories import cleanly");
    Locator::new(file.territories.into_iter().map(|t| t.value).collect(), vec![], vec![])
}

fn matched(locator: &Locator, points: &[(f64, f64)]) -> usize {
    points.iter().filter(|&&(lon, lat)| locator.quadrant_code_at(black_box(lon), black_box(lat)).is_some()).count()
}

fn bench_locate(c: &mut Criterion) {
    let demo_text = std::fs::read_to_string(national::demo_territories_path()).expect("the demo city is in data/");
    let demo_json: serde_json::Value = serde_json::from_str(&demo_text).unwrap();
    let demo = locator_of(&demo_text);
    let demo_points = national::demo_points(&demo_json);

    let national_text = national::national_geojson().to_string();
    let nation = locator_of(&national_text);
    let national_points = national::national_points();
    assert_eq!(nation.quadrant_count(), national::NX * national::NY);

    eprintln!(
        "demo_city: {} quadrants, {}/{} points inside; national_5000: {} quadrants, {}/{} points inside",
        demo.quadrant_count(),
        matched(&demo, &demo_points),
        demo_points.len(),
        nation.quadrant_count(),
        matched(&nation, &national_points),
        national_points.len(),
    );

    let mut group = c.benchmark_group("locate");
    group.sample_size(20).warm_up_time(Duration::from_secs(2)).measurement_time(Duration::from_secs(8));
    for (name, locator, points) in [("demo_city", &demo, &demo_points), ("national_5000", &nation, &national_points)] {
        group.throughput(Throughput::Elements(points.len() as u64));
        group.bench_function(name, |b| b.iter(|| matched(locator, points)));
    }
    group.finish();
}

criterion_group!(benches, bench_locate);
criterion_main!(benches);
