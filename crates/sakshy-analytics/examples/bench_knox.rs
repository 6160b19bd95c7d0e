//! Benchmark of the Knox / near-repeat table, the Rust side of `tools/reference/bench_knox.py`.
//!
//! Reads events from a CSV with a header `x,y,t` (metres, metres, days as numbers), computes the observed table
//! and the full Knox test, and prints timing JSON on stdout:
//!
//! ```text
//! cargo run --release -p sakshy-analytics --example bench_knox -- --input events.csv \
//!     [--metric manhattan|euclidean] [--space-band 100] [--space-bands 4] [--time-band 7] [--time-bands 4] \
//!     [--permutations 999] [--seed 1] [--nrc-compat] [--threads N]
//! ```
//!
//! `observed_s` is the time to find the close pairs and count the observed table; `knox_s` the whole test;
//! `per_permutation_ms = (knox_s − observed_s) / permutations` (wall clock); the `_cpu_` fields the same in CPU
//! time of all threads (less sensitive to a busy machine); `peak_rss_mb` the process's peak resident memory
//! (`VmHWM`).

use std::time::Instant;

use sakshy_analytics::knox::{self, KnoxConfig, Metric};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |name: &str| args.iter().position(|a| a == name).map(|i| args[i + 1].clone());
    let number = |name: &str, default: f64| value(name).map_or(default, |v| v.parse().expect(name));
    let input = value("--input").expect("--input FILE.csv");
    let config = KnoxConfig {
        metric: value("--metric").map_or(Metric::Manhattan, |m| m.parse().expect("--metric")),
        space_band_m: number("--space-band", 100.0),
        space_bands: number("--space-bands", 4.0) as usize,
        time_band_days: number("--time-band", 7.0),
        time_bands: number("--time-bands", 4.0) as usize,
        permutations: number("--permutations", 999.0) as usize,
        seed: number("--seed", 1.0) as u64,
        nrc_compat: args.iter().any(|a| a == "--nrc-compat"),
    };
    let threads = value("--threads").map(|t| t.parse::<usize>().expect("--threads"));
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0)).build().expect("thread pool");

    let text = std::fs::read_to_string(&input).expect("read the input");
    let mut points = Vec::new();
    let mut times = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let mut f = line.split(',').map(|v| v.trim().parse::<f64>().expect("a number"));
        let (x, y, t) = (f.next().expect("x"), f.next().expect("y"), f.next().expect("t"));
        points.push((x, y));
        times.push(t);
    }

    let (observed_s, knox_s, observed_cpu_s, knox_cpu_s, table) = pool.install(|| {
        let (start, cpu) = (Instant::now(), cpu_s());
        let observed = knox::observed_table(&points, &times, &config).expect("observed table");
        let (observed_s, observed_cpu_s) = (start.elapsed().as_secs_f64(), cpu_s() - cpu);
        let (start, cpu) = (Instant::now(), cpu_s());
        let table = knox::knox(&points, &times, &config).expect("knox");
        assert_eq!(table.observed, observed);
        (observed_s, start.elapsed().as_secs_f64(), observed_cpu_s, cpu_s() - cpu, table)
    });
    let out = serde_json::json!({
        "n_events": points.len(),
        "permutations": config.permutations,
        "threads": pool.current_num_threads(),
        "observed_s": observed_s,
        "knox_s": knox_s,
        "per_permutation_ms": (knox_s - observed_s).max(0.0) / config.permutations as f64 * 1e3,
        "observed_cpu_s": observed_cpu_s,
        "knox_cpu_s": knox_cpu_s,
        "per_permutation_cpu_ms": (knox_cpu_s - observed_cpu_s).max(0.0) / config.permutations as f64 * 1e3,
        "peak_rss_mb": peak_rss_mb(),
        "observed": table.observed,
        "knox_ratio": table.knox_ratio,
        "p_value": table.p_value,
    });
    println!("{out}");
}

/// CPU time (user + system) of this process so far, seconds, from `/proc/self/stat` (Linux; 100 ticks per
/// second), or 0 elsewhere.
fn cpu_s() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and 13th.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().skip(11).take(2).filter_map(|v| v.parse().ok()).collect();
    f.iter().sum::<f64>() / 100.0
}

/// Peak resident set size of this process in MB, from `/proc/self/status` (Linux), or `null` elsewhere.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
