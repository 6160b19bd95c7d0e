//! Benchmark of Gi\* with conditional permutations on a grid, the Rust side of `tools/reference/bench_gistar.py`.
//!
//! ```text
//! cargo run --release -p sakshy-analytics --example bench_gistar -- \
//!     VALUES.f64 NCOLS NROWS PERMUTATIONS SEED OUT_PREFIX
//! ```
//!
//! `VALUES.f64` holds `NCOLS · NROWS` little-endian `f64` counts in row-major order (row 0 south). The example
//! builds queen weights, runs Gi\* with `PERMUTATIONS` permutations (esda's tie rule, so p-values are
//! comparable), writes `OUT_PREFIX.z.f64` and `OUT_PREFIX.p_sim.f64`, and prints one JSON line with the
//! timings (seconds), the number of threads, and the peak resident memory (`VmHWM`, kB). Set
//! `RAYON_NUM_THREADS` to choose the threads.

use std::time::Instant;

use sakshy_analytics::Grid;
use sakshy_analytics::fdr::{PermutationConfig, PseudoP};
use sakshy_analytics::gistar::gistar;
use sakshy_analytics::weights::Weights;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, values_path, ncols, nrows, permutations, seed, out_prefix] = args.as_slice() else {
        return Err("usage: bench_gistar VALUES.f64 NCOLS NROWS PERMUTATIONS SEED OUT_PREFIX".into());
    };
    let (ncols, nrows): (usize, usize) = (ncols.parse()?, nrows.parse()?);
    let config = PermutationConfig { permutations: permutations.parse()?, seed: seed.parse()?, rule: PseudoP::Esda };
    let bytes = std::fs::read(values_path)?;
    let values: Vec<f64> =
        bytes.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8 bytes"))).collect();
    let grid = Grid::new(0.0, 0.0, 1.0, ncols, nrows)?;
    if values.len() != grid.len() {
        return Err(format!("{} values for a {ncols} × {nrows} grid", values.len()).into());
    }

    let start = Instant::now();
    let weights = Weights::queen(&grid);
    let weights_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let analytic = gistar(&values, &weights, &PermutationConfig { permutations: 0, ..config })?;
    let analytic_s = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let result = gistar(&values, &weights, &config)?;
    let gistar_s = start.elapsed().as_secs_f64();
    assert_eq!(analytic.z, result.z);

    let write = |suffix: &str, data: &[f64]| {
        let bytes: Vec<u8> = data.iter().flat_map(|v| v.to_le_bytes()).collect();
        std::fs::write(format!("{out_prefix}.{suffix}.f64"), bytes)
    };
    write("z", &result.z)?;
    write("p_sim", result.p_sim.as_deref().unwrap_or_default())?;
    println!(
        "{{\"cells\":{},\"permutations\":{},\"threads\":{},\"weights_s\":{weights_s:.6},\"analytic_s\":{analytic_s:.6},\
         \"gistar_s\":{gistar_s:.6},\"total_s\":{:.6},\"peak_rss_kb\":{}}}",
        grid.len(),
        config.permutations,
        rayon::current_num_threads(),
        weights_s + gistar_s,
        peak_rss_kb().unwrap_or(0)
    );
    Ok(())
}

/// Peak resident set size of this process in kB (`VmHWM` in `/proc/self/status`; Linux only).
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
