//! Tests of the Knox / near-repeat table: the Near Repeat Calculator's golden Chicago tables (read from
//! `../shared/golden/near-repeat/`, skipped with a message when absent), the numpy reference of
//! `tools/reference/knox_numpy.py` (fixture `knox_synthetic.json`), and properties (every pair counted once,
//! input order and thread count do not matter).

use std::path::PathBuf;

use proptest::prelude::*;
use sakshy_analytics::knox::{self, Findings, KnoxConfig, KnoxTable, Metric, NRC_MIN_RATIO};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------------------
// Golden data

/// The golden folder, or `None` (with a message) when it is absent.
fn golden_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SAKSHY_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/golden/near-repeat")));
    if dir.join("README.md").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: golden near-repeat data not found at {} (set SAKSHY_GOLDEN_DIR)", dir.display());
        None
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Events of a golden `x,y,t` CSV: points in metres and times as day numbers.
fn read_events(dir: &std::path::Path, name: &str) -> (Vec<(f64, f64)>, Vec<f64>) {
    let text = std::fs::read_to_string(dir.join(name)).unwrap();
    let mut points = Vec::new();
    let mut times = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        points.push((f[0].parse().unwrap(), f[1].parse().unwrap()));
        let ymd: Vec<i64> = f[2].trim().split('-').map(|p| p.parse().unwrap()).collect();
        times.push(days_from_civil(ymd[0], ymd[1], ymd[2]) as f64);
    }
    (points, times)
}

struct GoldenCase {
    events: &'static str,
    verbose_prefix: &'static str,
    metric: Metric,
    space_band_m: f64,
    time_band_days: f64,
    /// The NRC's iterations minus one.
    nrc_permutations: usize,
    observed: [&'static [u64]; 5],
}

const BURGLARY_JAN_2016: GoldenCase = GoldenCase {
    events: "golden_chicago_burglary_2016_01.csv",
    verbose_prefix: "chicago_be_month1_NRverbose",
    metric: Metric::Manhattan,
    space_band_m: 100.0,
    time_band_days: 7.0,
    nrc_permutations: 19,
    observed: [
        &[28, 5, 5, 2],
        &[44, 13, 8, 4],
        &[97, 56, 19, 16],
        &[77, 67, 45, 20],
        &[182_194, 146_149, 95_237, 45_879],
    ],
};

const BURGLARY_2016: GoldenCase = GoldenCase {
    events: "golden_chicago_burglary_2016.csv",
    verbose_prefix: "chicago_burglary_2016_NRverbose",
    metric: Metric::Euclidean,
    space_band_m: 100.0,
    time_band_days: 2.0,
    nrc_permutations: 19,
    observed: [
        &[202, 51, 1025],
        &[189, 143, 7762],
        &[290, 343, 23_366],
        &[456, 526, 41_305],
        &[577_857, 760_260, 67_037_075],
    ],
};

const ARSON: GoldenCase = GoldenCase {
    events: "golden_chicago_arson.csv",
    verbose_prefix: "chicago_arson_NRverbose",
    metric: Metric::Manhattan,
    space_band_m: 200.0,
    time_band_days: 1.0,
    nrc_permutations: 99,
    observed: [&[0, 2, 0, 8], &[9, 1, 1, 45], &[4, 0, 0, 140], &[6, 0, 0, 234], &[393, 710, 770, 133_658]],
};

impl GoldenCase {
    fn config(&self, permutations: usize, nrc_compat: bool) -> KnoxConfig {
        KnoxConfig {
            metric: self.metric,
            space_band_m: self.space_band_m,
            space_bands: 3,
            time_band_days: self.time_band_days,
            time_bands: self.observed[0].len() - 1,
            permutations,
            seed: 1,
            nrc_compat,
        }
    }

    fn observed(&self) -> Vec<Vec<u64>> {
        self.observed.iter().map(|r| r.to_vec()).collect()
    }
}

#[test]
fn nrc_compatible_mode_reproduces_the_three_golden_observed_tables_cell_for_cell() {
    let Some(dir) = golden_dir() else { return };
    for case in [&BURGLARY_JAN_2016, &BURGLARY_2016, &ARSON] {
        let (points, times) = read_events(&dir, case.events);
        let table = knox::observed_table(&points, &times, &case.config(0, true)).unwrap();
        assert_eq!(table, case.observed(), "{}", case.events);
        let n = points.len() as u64;
        assert_eq!(table.iter().flatten().sum::<u64>(), n * (n - 1) / 2);
    }
}

#[test]
fn double_precision_differs_from_the_nrc_only_at_band_edges() {
    let Some(dir) = golden_dir() else { return };
    // Burglary Jan 2016 has no pair on an edge: float64 gives the NRC's table.
    let (points, times) = read_events(&dir, BURGLARY_JAN_2016.events);
    let table = knox::observed_table(&points, &times, &BURGLARY_JAN_2016.config(0, false)).unwrap();
    assert_eq!(table, BURGLARY_JAN_2016.observed());

    // Burglary 2016 in float64: pairs move across the 100, 200 and 300 m edges in the last column.
    let (points, times) = read_events(&dir, BURGLARY_2016.events);
    let table = knox::observed_table(&points, &times, &BURGLARY_2016.config(0, false)).unwrap();
    let last: Vec<u64> = table.iter().map(|r| r[2]).collect();
    assert_eq!(last, [1025, 7765, 23_370, 41_298, 67_037_075]);
    assert_eq!(table[0][..2], [202, 51]);
    assert_eq!(table[1][..2], [189, 143]);
    assert_eq!(table[4][..2], [577_857, 760_260]);
    // The golden README's float64 column (1033, 7757, 23370, 41298) is R NearRepeat's with sds = c(0, 1, 100,
    // …): there "same location" is [0, 1) m. Our "same location" is distance exactly 0; the difference is the
    // 8 pairs between 0 and 1 m (all more than 4 days apart), counted here with a single 1 m band.
    let within_1m = knox::observed_table(
        &points,
        &times,
        &KnoxConfig { space_band_m: 1.0, space_bands: 1, ..BURGLARY_2016.config(0, false) },
    )
    .unwrap();
    assert_eq!(within_1m[1], [0, 0, 8]);
    assert_eq!([last[0] + within_1m[1][2], last[1] - within_1m[1][2]], [1033, 7757]);

    // Arson in float64: one pair crosses the 400 m edge.
    let (points, times) = read_events(&dir, ARSON.events);
    let table = knox::observed_table(&points, &times, &ARSON.config(0, false)).unwrap();
    assert_eq!(table[2][3], 141);
    assert_eq!(table[3][3], 233);
}

/// `|ratio − expected| ≤ 4 Monte Carlo standard errors + half a unit of the reference's last digit`, the
/// standard error of a ratio over `permutations` taken as `ratio · sqrt(mean) / (mean · sqrt(permutations))`
/// (Poisson variance of the count), for both runs (ours and the reference's).
fn assert_ratio_near(table: &KnoxTable, row: usize, col: usize, expected: f64, digit: f64) {
    let ratio = table.knox_ratio[row][col].unwrap();
    let mean = table.expected_mean[row][col];
    let se = ratio / (mean.sqrt() * (table.permutations as f64).sqrt());
    let tol = 4.0 * std::f64::consts::SQRT_2 * se + digit / 2.0;
    assert!((ratio - expected).abs() <= tol, "cell ({row}, {col}): ratio {ratio}, expected {expected} ± {tol}");
}

#[test]
fn knox_ratios_with_999_permutations_match_the_golden_values_within_monte_carlo_error() {
    let Some(dir) = golden_dir() else { return };
    let (points, times) = read_events(&dir, BURGLARY_2016.events);
    let table = knox::knox(&points, &times, &BURGLARY_2016.config(999, true)).unwrap();
    assert_ratio_near(&table, 0, 0, 18.4, 0.1);
    assert_ratio_near(&table, 1, 0, 2.74, 0.01);
    assert_ratio_near(&table, 2, 0, 1.43, 0.01);
    assert_ratio_near(&table, 3, 0, 1.27, 0.01);
    for r in 0..4 {
        assert_eq!(table.p_value[r][0], 0.001, "row {r}");
    }

    let (points, times) = read_events(&dir, BURGLARY_JAN_2016.events);
    let table = knox::knox(&points, &times, &BURGLARY_JAN_2016.config(999, true)).unwrap();
    assert_ratio_near(&table, 0, 0, 1.8, 0.1);
    assert_ratio_near(&table, 1, 0, 1.64, 0.01);
    assert_ratio_near(&table, 2, 0, 1.33, 0.01);
    for r in 0..3 {
        assert!(table.p_value[r][0] <= 0.002, "row {r}: p = {}", table.p_value[r][0]);
    }
    // The plain-language finding: within 100 m and 7 days, about 64 % more likely than chance.
    let findings = table.findings(0.05, NRC_MIN_RATIO);
    let near = findings.near_repeat.unwrap();
    assert_eq!((near.row, near.col, near.distance_to_m, near.days_to), (1, 0, 100.0, 7.0));
    assert!((near.percent_more_likely - 64.0).abs() < 10.0, "{near:?}");
}

// ---------------------------------------------------------------------------------------------------------
// The NRC's verbose CSV: per-cell expected counts, p-values, ratio and significance tables.

/// One cell's block of the verbose CSV.
struct NrcCell {
    expected: Vec<f64>,
    observed: u64,
    mean: f64,
    p: f64,
}

struct NrcVerbose {
    /// `[row][col]`, 0-based.
    cells: Vec<Vec<NrcCell>>,
    ratio: Vec<Vec<Option<f64>>>,
    significance: Vec<Vec<f64>>,
}

fn numbers(fields: &[&str]) -> Vec<f64> {
    fields.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).map(|f| f.parse().unwrap()).collect()
}

fn read_verbose(dir: &std::path::Path, prefix: &str, rows: usize, cols: usize) -> NrcVerbose {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        .unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let table = |title: &str| -> Vec<Vec<Option<f64>>> {
        let at = lines.iter().position(|l| l.starts_with(title)).unwrap();
        lines[at + 3..at + 3 + rows]
            .iter()
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                f[2..2 + cols].iter().map(|v| v.trim()).map(|v| (!v.is_empty()).then(|| v.parse().unwrap())).collect()
            })
            .collect()
    };
    let ratio = table("Observed over mean expected");
    let significance =
        table("Statistical significant").into_iter().map(|r| r.into_iter().map(Option::unwrap).collect()).collect();
    let mut cells: Vec<Vec<Option<NrcCell>>> = (0..rows).map(|_| (0..cols).map(|_| None).collect()).collect();
    let mut k = 0;
    while k < lines.len() {
        let Some(rest) = lines[k].strip_prefix("Row ") else {
            k += 1;
            continue;
        };
        let head: Vec<usize> =
            rest.split(',').next().unwrap().split(" Column ").map(|v| v.trim().parse().unwrap()).collect();
        let mut expected = Vec::new();
        k += 1;
        while !lines[k].starts_with("Observed") {
            let f: Vec<&str> = lines[k].split(',').collect();
            expected.extend(numbers(&f[1..]));
            k += 1;
        }
        let value = |k: usize| numbers(&lines[k].split(',').skip(1).collect::<Vec<_>>())[0];
        let find = |name: &str| (k..lines.len()).find(|&i| lines[i].starts_with(name)).unwrap();
        cells[head[0] - 1][head[1] - 1] =
            Some(NrcCell { expected, observed: value(k) as u64, mean: value(find("Mean")), p: value(find("P value")) });
        k += 1;
    }
    let cells = cells.into_iter().map(|r| r.into_iter().map(Option::unwrap).collect()).collect();
    NrcVerbose { cells, ratio, significance }
}

#[test]
fn the_nrc_verbose_files_agree_with_our_conventions_and_expected_counts() {
    let Some(dir) = golden_dir() else { return };
    for case in [&BURGLARY_JAN_2016, &BURGLARY_2016, &ARSON] {
        let (points, times) = read_events(&dir, case.events);
        let table = knox::knox(&points, &times, &case.config(999, true)).unwrap();
        let (rows, cols) = (table.observed.len(), table.observed[0].len());
        let nrc = read_verbose(&dir, case.verbose_prefix, rows, cols);
        for r in 0..rows {
            for c in 0..cols {
                let cell = &nrc.cells[r][c];
                let m = cell.expected.len() as f64;
                assert_eq!(cell.expected.len(), case.nrc_permutations, "{} ({r}, {c})", case.events);
                assert_eq!(cell.observed, table.observed[r][c], "{} ({r}, {c})", case.events);
                // The NRC's p is ours: (#{expected ≥ observed} + 1) / (permutations + 1).
                let at_least = cell.expected.iter().filter(|&&e| e >= cell.observed as f64).count() as f64;
                assert!((cell.p - (at_least + 1.0) / (m + 1.0)).abs() < 1e-9, "{} ({r}, {c})", case.events);
                assert!((nrc.significance[r][c] - cell.p).abs() < 1e-9);
                let mean = cell.expected.iter().sum::<f64>() / m;
                assert!((mean - cell.mean).abs() < 1e-6 * mean.max(1.0));
                // Its mean expected count over 19 or 99 permutations against ours over 999.
                let sd = (cell.expected.iter().map(|e| (e - mean).powi(2)).sum::<f64>() / (m - 1.0)).sqrt().max(1.0);
                let ours = table.expected_mean[r][c];
                let tol = 5.0 * sd * (1.0 / m + 1.0 / 999.0).sqrt();
                assert!((ours - mean).abs() <= tol, "{} ({r}, {c}): ours {ours}, NRC {mean} ± {tol}", case.events);
                let (lo, hi) = cell.expected.iter().fold((f64::MAX, f64::MIN), |(a, b), &e| (a.min(e), b.max(e)));
                assert!(table.expected_min[r][c] as f64 <= hi && table.expected_max[r][c] as f64 >= lo);
                assert!(table.expected_min[r][c] as f64 <= ours && ours <= table.expected_max[r][c] as f64);
            }
        }
    }
}

/// A table carrying the NRC's own ratios and p-values, to check [`KnoxTable::findings`] against its summary.
fn nrc_table(case: &GoldenCase, nrc: &NrcVerbose) -> KnoxTable {
    let config = case.config(case.nrc_permutations, true);
    let rows = nrc.ratio.len();
    let cols = nrc.ratio[0].len();
    let grid = |f: &dyn Fn(usize, usize) -> f64| -> Vec<Vec<f64>> {
        (0..rows).map(|r| (0..cols).map(|c| f(r, c)).collect()).collect()
    };
    KnoxTable {
        n_events: 0,
        metric: config.metric,
        nrc_compat: true,
        permutations: config.permutations,
        seed: 0,
        space_edges: (0..=3).map(|k| k as f64 * case.space_band_m).collect(),
        time_edges: (0..cols).map(|k| k as f64 * case.time_band_days).collect(),
        observed: case.observed(),
        expected_mean: grid(&|r, c| nrc.cells[r][c].mean),
        expected_min: vec![vec![0; cols]; rows],
        expected_max: vec![vec![0; cols]; rows],
        knox_ratio: nrc.ratio.clone(),
        p_value: grid(&|r, c| nrc.significance[r][c]),
    }
}

fn extents(f: &Findings) -> Vec<(usize, f64)> {
    f.near_repeat_extents.iter().map(|e| (e.row, e.up_to_days)).collect()
}

#[test]
fn findings_match_the_nrc_summaries() {
    let Some(dir) = golden_dir() else { return };
    // Burglary 2016: "Within 1 to 100 meters … up to 4 days. Within 101 to 200 meters … up to 4 days. Within 201
    // to 300 meters … up to 2 days. … the zone from 1 to 100 meters and from 0 to 2 days … about 168 percent
    // greater … repeat … up to 4 days … from 0 to 2 days … about 1460 percent greater".
    let nrc = read_verbose(&dir, BURGLARY_2016.verbose_prefix, 5, 3);
    let f = nrc_table(&BURGLARY_2016, &nrc).findings(0.05, NRC_MIN_RATIO);
    assert_eq!(extents(&f), [(1, 4.0), (2, 4.0), (3, 2.0)]);
    let near = f.near_repeat.as_ref().unwrap();
    assert_eq!((near.distance_from_m, near.distance_to_m, near.days_from, near.days_to), (0.0, 100.0, 0.0, 2.0));
    assert_eq!(near.percent_more_likely.round(), 168.0);
    let repeat = f.repeat.as_ref().unwrap();
    assert_eq!((repeat.row, repeat.days_to), (0, 2.0));
    assert_eq!(repeat.percent_more_likely.round(), 1460.0);
    assert_eq!(f.repeat_extent.as_ref().unwrap().up_to_days, 4.0);

    // Burglary Jan 2016: 1–100 m and 101–200 m up to 7 days; strongest 1–100 m, 0–7 days, 69 %; repeats
    // 0–7 days, 65 %.
    let nrc = read_verbose(&dir, BURGLARY_JAN_2016.verbose_prefix, 5, 4);
    let f = nrc_table(&BURGLARY_JAN_2016, &nrc).findings(0.05, NRC_MIN_RATIO);
    assert_eq!(extents(&f), [(1, 7.0), (2, 7.0)]);
    let near = f.near_repeat.as_ref().unwrap();
    assert_eq!((near.row, near.col, near.percent_more_likely.round()), (1, 0, 69.0));
    assert_eq!(f.repeat.as_ref().unwrap().percent_more_likely.round(), 65.0);

    // Arson at p = 0.01: three bands up to 1 day; 1–200 m, 0–1 day, 7325 %; no repeat pattern although the
    // same-location cell one day later is significant (the pattern must start right after the event).
    let nrc = read_verbose(&dir, ARSON.verbose_prefix, 5, 4);
    let f = nrc_table(&ARSON, &nrc).findings(0.01, NRC_MIN_RATIO);
    assert_eq!(extents(&f), [(1, 1.0), (2, 1.0), (3, 1.0)]);
    let near = f.near_repeat.as_ref().unwrap();
    assert_eq!((near.row, near.col, near.distance_to_m, near.percent_more_likely.round()), (1, 0, 200.0, 7325.0));
    assert!(f.repeat.is_none() && f.repeat_extent.is_none());
}

// ---------------------------------------------------------------------------------------------------------
// The numpy reference

/// The fixture's events are integers, so that JSON carries them exactly: coordinates in nanometres, times in
/// hours.
#[derive(Deserialize)]
struct RawFixture {
    x_nm: Vec<i64>,
    y_nm: Vec<i64>,
    hours: Vec<i64>,
    cases: Vec<FixtureCase>,
}

struct Fixture {
    points: Vec<(f64, f64)>,
    /// Whole days (`hours // 24`).
    days: Vec<f64>,
    /// Fractional days (`hours / 24`).
    frac: Vec<f64>,
    cases: Vec<FixtureCase>,
}

#[derive(Deserialize)]
struct FixtureCase {
    metric: String,
    nrc_compat: bool,
    times: String,
    space_band_m: f64,
    space_bands: usize,
    time_band_days: f64,
    time_bands: usize,
    permutations: usize,
    space_edges: Vec<f64>,
    time_edges: Vec<f64>,
    observed: Vec<Vec<u64>>,
    expected_mean: Vec<Vec<f64>>,
    expected_sd: Vec<Vec<f64>>,
}

fn fixture() -> Fixture {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/knox_synthetic.json");
    let raw: RawFixture = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    Fixture {
        points: raw.x_nm.iter().zip(&raw.y_nm).map(|(&x, &y)| (x as f64 / 1e9, y as f64 / 1e9)).collect(),
        days: raw.hours.iter().map(|&h| h.div_euclid(24) as f64).collect(),
        frac: raw.hours.iter().map(|&h| h as f64 / 24.0).collect(),
        cases: raw.cases,
    }
}

#[test]
fn tables_match_the_numpy_reference() {
    let fx = fixture();
    let points = &fx.points;
    assert_eq!(fx.cases.len(), 8);
    for (k, case) in fx.cases.iter().enumerate() {
        let times = if case.times == "days" { &fx.days } else { &fx.frac };
        let config = KnoxConfig {
            metric: case.metric.parse().unwrap(),
            space_band_m: case.space_band_m,
            space_bands: case.space_bands,
            time_band_days: case.time_band_days,
            time_bands: case.time_bands,
            // Fewer than numpy's 999, to keep the unoptimised test quick; the tolerance allows for it.
            permutations: 199,
            seed: k as u64,
            nrc_compat: case.nrc_compat,
        };
        let table = knox::knox(points, times, &config).unwrap();
        let what = format!("{} nrc_compat={} times={}", case.metric, case.nrc_compat, case.times);
        assert_eq!(table.space_edges, case.space_edges, "{what}");
        assert_eq!(table.time_edges, case.time_edges, "{what}");
        assert_eq!(table.observed, case.observed, "{what}");
        for (r, row) in case.expected_mean.iter().enumerate() {
            for (c, &mean) in row.iter().enumerate() {
                let sd = case.expected_sd[r][c];
                let tol = 5.0 * sd * (1.0 / case.permutations as f64 + 1.0 / 199.0).sqrt() + 1e-9;
                let ours = table.expected_mean[r][c];
                assert!((ours - mean).abs() <= tol, "{what} ({r}, {c}): ours {ours}, numpy {mean} ± {tol}");
            }
        }
    }
}

#[test]
fn the_fixture_exercises_single_precision() {
    // The fixture's f64 and NRC-compatible observed tables must differ, or it would not test the f32 path.
    let fx = fixture();
    for (a, b) in [(0, 2), (4, 6)] {
        assert!(!fx.cases[a].nrc_compat && fx.cases[b].nrc_compat);
        assert_ne!(fx.cases[a].observed, fx.cases[b].observed);
    }
}

#[test]
fn results_are_identical_on_one_thread_and_on_four() {
    let fx = fixture();
    let points = &fx.points;
    for (times, nrc_compat) in [(&fx.days, false), (&fx.frac, true)] {
        let config = KnoxConfig {
            metric: Metric::Euclidean,
            space_band_m: 50.0,
            space_bands: 4,
            time_band_days: 3.0,
            time_bands: 3,
            permutations: 99,
            seed: 7,
            nrc_compat,
        };
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| knox::knox(points, times, &config).unwrap())
        };
        let (one, four) = (run(1), run(4));
        assert_eq!(one, four);
        // Bitwise, not just `==` on floats.
        let bits = |t: &KnoxTable| t.expected_mean.iter().flatten().map(|v| v.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&one), bits(&four));
        // A different seed gives a different expectation.
        let other = knox::knox(points, times, &KnoxConfig { seed: 8, ..config.clone() }).unwrap();
        assert_ne!(other.expected_mean, one.expected_mean);
        assert_eq!(other.observed, one.observed);
    }
}

#[test]
fn the_result_serialises_with_the_interface_field_names() {
    let fx = fixture();
    let points = &fx.points[..50];
    let config = KnoxConfig {
        metric: Metric::Manhattan,
        space_band_m: 100.0,
        space_bands: 3,
        time_band_days: 7.0,
        time_bands: 3,
        permutations: 9,
        seed: 1,
        nrc_compat: false,
    };
    let table = knox::knox(points, &fx.days[..50], &config).unwrap();
    let json = serde_json::to_value(&table).unwrap();
    for key in ["space_edges", "time_edges", "observed", "expected_mean", "knox_ratio", "p_value"] {
        assert!(json[key].is_array(), "{key}");
    }
    assert_eq!(json["metric"], "manhattan");
    assert_eq!(json["observed"].as_array().unwrap().len(), 5);
    assert_eq!(json["observed"][0].as_array().unwrap().len(), 4);
    assert_eq!(json["space_edges"], serde_json::json!([0.0, 100.0, 200.0, 300.0]));
}

// ---------------------------------------------------------------------------------------------------------
// Properties

/// The table by brute force over all pairs, written from the definitions: row 0 for distance exactly 0, row k
/// for the first k with `d < k·s`, else beyond; column k − 1 for the first k with `dt < k·τ`, else beyond.
fn brute_force(points: &[(f64, f64)], times: &[f64], c: &KnoxConfig) -> Vec<Vec<u64>> {
    let mut table = vec![vec![0u64; c.time_bands + 1]; c.space_bands + 2];
    for i in 0..points.len() {
        for j in i + 1..points.len() {
            let row = if c.nrc_compat {
                let (dx, dy) = (points[i].0 as f32 - points[j].0 as f32, points[i].1 as f32 - points[j].1 as f32);
                let d = match c.metric {
                    Metric::Manhattan => dx.abs() + dy.abs(),
                    Metric::Euclidean => (dx * dx + dy * dy).sqrt(),
                };
                if d == 0.0 {
                    0
                } else {
                    (1..=c.space_bands).find(|&k| d < (k as f64 * c.space_band_m) as f32).unwrap_or(c.space_bands + 1)
                }
            } else {
                let (dx, dy) = (points[i].0 - points[j].0, points[i].1 - points[j].1);
                let d = match c.metric {
                    Metric::Manhattan => dx.abs() + dy.abs(),
                    Metric::Euclidean => (dx * dx + dy * dy).sqrt(),
                };
                if d == 0.0 {
                    0
                } else {
                    (1..=c.space_bands).find(|&k| d < k as f64 * c.space_band_m).unwrap_or(c.space_bands + 1)
                }
            };
            let dt = (times[i] - times[j]).abs();
            let col = (1..=c.time_bands).find(|&k| dt < k as f64 * c.time_band_days).map_or(c.time_bands, |k| k - 1);
            table[row][col] += 1;
        }
    }
    table
}

fn events() -> impl Strategy<Value = (Vec<(f64, f64)>, Vec<f64>)> {
    // Points on a 25 m lattice near State Plane magnitudes (many pairs exactly on band edges and at the same
    // place), some nudged by a few centimetres (single precision merges or moves them); whole or quarter days.
    let point = (0u32..12, 0u32..12, prop::sample::select(vec![0.0, 0.0, 0.013, -0.021, 0.4]))
        .prop_map(|(i, j, nudge)| (350_000.0 + 25.0 * f64::from(i) + nudge, 570_000.0 + 25.0 * f64::from(j)));
    (2usize..48, any::<bool>()).prop_flat_map(move |(n, whole)| {
        let time = (0u32..160).prop_map(move |q| if whole { f64::from(q / 4) } else { f64::from(q) / 4.0 });
        (prop::collection::vec(point.clone(), n), prop::collection::vec(time, n))
    })
}

fn configs() -> impl Strategy<Value = KnoxConfig> {
    (
        prop::sample::select(vec![Metric::Manhattan, Metric::Euclidean]),
        prop::sample::select(vec![25.0, 50.0, 37.5, 100.0]),
        1usize..5,
        prop::sample::select(vec![0.25, 1.0, 2.5, 7.0]),
        // Up to 8 time bands take the branch-free whole-day path; more take the lookup table.
        1usize..12,
        any::<bool>(),
    )
        .prop_map(|(metric, space_band_m, space_bands, time_band_days, time_bands, nrc_compat)| KnoxConfig {
            metric,
            space_band_m,
            space_bands,
            time_band_days,
            time_bands,
            permutations: 19,
            seed: 3,
            nrc_compat,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn every_pair_is_counted_once_in_the_cell_its_definition_gives((points, times) in events(), config in configs()) {
        let table = knox::knox(&points, &times, &config).unwrap();
        let n = points.len() as u64;
        prop_assert_eq!(table.observed.iter().flatten().sum::<u64>(), n * (n - 1) / 2);
        prop_assert_eq!(&table.observed, &brute_force(&points, &times, &config));
        // Every permuted table counts every pair once too, so the expected counts add up to the same total.
        let expected: f64 = table.expected_mean.iter().flatten().sum();
        prop_assert!((expected - (n * (n - 1) / 2) as f64).abs() < 1e-6 * expected.max(1.0));
        for (r, row) in table.p_value.iter().enumerate() {
            for (c, &p) in row.iter().enumerate() {
                prop_assert!(p > 0.0 && p <= 1.0);
                prop_assert!(table.expected_min[r][c] as f64 <= table.expected_mean[r][c]);
                prop_assert!(table.expected_mean[r][c] <= table.expected_max[r][c] as f64);
            }
        }
    }

    #[test]
    fn input_order_does_not_change_the_result((points, times) in events(), config in configs(), seed in any::<u64>()) {
        let table = knox::knox(&points, &times, &config).unwrap();
        // A seeded shuffle of the input.
        let mut order: Vec<usize> = (0..points.len()).collect();
        sakshy_analytics::random::shuffle(&mut sakshy_analytics::random::stream(seed, 0), &mut order);
        let p2: Vec<_> = order.iter().map(|&i| points[i]).collect();
        let t2: Vec<_> = order.iter().map(|&i| times[i]).collect();
        let shuffled = knox::knox(&p2, &t2, &config).unwrap();
        // The observed table always; the permutations too, as events are put in a fixed order first.
        prop_assert_eq!(&table.observed, &shuffled.observed);
        prop_assert_eq!(&table, &shuffled);
    }
}
