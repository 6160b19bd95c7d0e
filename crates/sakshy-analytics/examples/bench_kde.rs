//! Benchmark driver for kernel density: reads points from a CSV file, times `kernel_density` on a given grid and
//! prints one JSON line (times, truncation, peak memory). `tools/reference/bench_kde.py` runs it next to
//! scikit-learn on the same file.
//!
//! ```text
//! cargo run --release -p sakshy-analytics --example bench_kde -- --input points.csv \
//!     --x0 0 --y0 0 --cell 100 --ncols 300 --nrows 300 --bandwidth 400 [--kernel gaussian|quartic] \
//!     [--tolerance 1e-6 | --exact] [--repeat 3] [--threads 2] [--output intensity.f64]
//! ```
//!
//! The CSV has a header and columns `x,y` in metres. `--output` writes the intensity as little-endian `f64`,
//! row-major (row 0 south). Peak memory is the process's `VmHWM` from `/proc/self/status` (Linux).

use std::time::Instant;

use sakshy_analytics::Grid;
use sakshy_analytics::kde::{Bandwidth, Evaluation, KdeConfig, Kernel, kernel_density};

struct Args {
    input: String,
    grid: Grid,
    config: KdeConfig,
    repeat: usize,
    threads: Option<usize>,
    output: Option<String>,
}

fn parse_args() -> Result<Args, String> {
    let mut values = std::collections::HashMap::new();
    let mut exact = false;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let Some(name) = flag.strip_prefix("--") else { return Err(format!("unexpected argument {flag}")) };
        if name == "exact" {
            exact = true;
            continue;
        }
        let value = args.next().ok_or_else(|| format!("--{name} needs a value"))?;
        values.insert(name.to_string(), value);
    }
    let get = |name: &str| values.get(name).ok_or_else(|| format!("--{name} is required"));
    let number =
        |name: &str| -> Result<f64, String> { get(name)?.parse::<f64>().map_err(|e| format!("--{name}: {e}")) };
    let count =
        |name: &str| -> Result<usize, String> { get(name)?.parse::<usize>().map_err(|e| format!("--{name}: {e}")) };
    let grid = Grid::new(number("x0")?, number("y0")?, number("cell")?, count("ncols")?, count("nrows")?)
        .map_err(|e| e.to_string())?;
    let kernel = match values.get("kernel").map(String::as_str) {
        None | Some("gaussian") => Kernel::Gaussian,
        Some("quartic") => Kernel::Quartic,
        Some(other) => return Err(format!("unknown kernel {other}")),
    };
    let bandwidth = match get("bandwidth")?.as_str() {
        "scott" => Bandwidth::Scott,
        "arcgis" => Bandwidth::ArcGis,
        _ => Bandwidth::Fixed(number("bandwidth")?),
    };
    let evaluation = if exact {
        Evaluation::Exact
    } else {
        Evaluation::Truncated { tolerance: if values.contains_key("tolerance") { number("tolerance")? } else { 1e-6 } }
    };
    Ok(Args {
        input: get("input")?.clone(),
        grid,
        config: KdeConfig { kernel, bandwidth, evaluation },
        repeat: if values.contains_key("repeat") { count("repeat")? } else { 1 },
        threads: if values.contains_key("threads") { Some(count("threads")?) } else { None },
        output: values.get("output").cloned(),
    })
}

fn read_points(path: &str) -> Result<Vec<(f64, f64)>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    let mut points = Vec::new();
    for (number, line) in text.lines().enumerate().skip(1) {
        let mut fields = line.split(',');
        let mut next = || -> Result<f64, String> {
            fields
                .next()
                .ok_or_else(|| format!("{path}:{}: too few fields", number + 1))?
                .trim()
                .parse()
                .map_err(|e| format!("{path}:{}: {e}", number + 1))
        };
        points.push((next()?, next()?));
    }
    Ok(points)
}

/// Peak resident set size of this process in KiB (`VmHWM`), if the kernel reports it.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new().num_threads(threads).build_global().map_err(|e| e.to_string())?;
    }
    let points = read_points(&args.input)?;
    let mut seconds = Vec::new();
    let mut result = None;
    for _ in 0..args.repeat.max(1) {
        let start = Instant::now();
        let run = kernel_density(&points, None, &args.grid, &args.config).map_err(|e| e.to_string())?;
        seconds.push(start.elapsed().as_secs_f64());
        result = Some(run);
    }
    let result = result.expect("at least one run");
    if let Some(path) = &args.output {
        let bytes: Vec<u8> = result.intensity.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(path, bytes).map_err(|e| format!("writing {path}: {e}"))?;
    }
    let report = serde_json::json!({
        "n": points.len(),
        "grid": result.grid,
        "kernel": result.kernel,
        "bandwidth": result.bandwidth,
        "threads": rayon::current_num_threads(),
        "seconds": seconds,
        "best_seconds": seconds.iter().copied().fold(f64::INFINITY, f64::min),
        "truncation": result.truncation,
        "max_intensity": result.max_intensity,
        "mass": result.mass,
        "edge_loss": result.edge_loss,
        "peak_rss_kib": peak_rss_kib(),
    });
    println!("{report}");
    Ok(())
}
