//! `sakshy analyze` run as an analyst runs it: the Near Repeat Calculator's golden Chicago table reproduced
//! cell for cell, gridded results in the documented grid convention and equal to the library's numbers, one CSV
//! row per cell, an SVG for every analysis, every bad row named, and the same analyses over the database.

use std::path::PathBuf;
use std::process::{Command, Output};

use sakshy_analytics::fdr::{PermutationConfig, PseudoP};
use sakshy_analytics::kde::{self, Bandwidth, Evaluation, KdeConfig, Kernel};
use sakshy_analytics::weights::Weights;
use sakshy_analytics::{Grid, gistar, moran};
use serde_json::Value;

use crate::import::{Sandbox, fixture};

/// Runs `sakshy` without a database (CSV analyses never open one).
fn sakshy(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sakshy"))
        .args(args)
        .env_remove("SAKSHY_DB")
        .env_remove("RUST_LOG")
        .output()
        .expect("run sakshy")
}

fn ok(args: &[&str]) -> String {
    let output = sakshy(args);
    assert!(output.status.success(), "sakshy {args:?} failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("utf-8 output")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("JSON output")
}

/// The x, y of the planar events fixture.
fn events_xy() -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string(fixture("analyze_events_xy.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[1].parse().unwrap(), fields[2].parse().unwrap())
        })
        .collect()
}

/// A `[nrows][ncols]` array of numbers (null as NaN), checking its shape.
fn cells(value: &Value, grid: &Grid) -> Vec<f64> {
    let rows = value.as_array().expect("an array of rows");
    assert_eq!(rows.len(), grid.nrows, "one array per row");
    rows.iter()
        .flat_map(|row| {
            let row = row.as_array().expect("a row is an array");
            assert_eq!(row.len(), grid.ncols, "one value per column");
            row.iter().map(|v| v.as_f64().unwrap_or(f64::NAN))
        })
        .collect()
}

fn grid_of(result: &Value) -> Grid {
    let grid = &result["grid"];
    Grid::new(
        grid["x0"].as_f64().unwrap(),
        grid["y0"].as_f64().unwrap(),
        grid["cell"].as_f64().unwrap(),
        grid["ncols"].as_u64().unwrap() as usize,
        grid["nrows"].as_u64().unwrap() as usize,
    )
    .unwrap()
}

fn assert_close(a: &[f64], b: &[f64], what: &str) {
    assert_eq!(a.len(), b.len(), "{what}: lengths");
    for (k, (x, y)) in a.iter().zip(b).enumerate() {
        let same = (x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-12 * x.abs().max(y.abs()).max(1e-300);
        assert!(same, "{what}[{k}]: {x} vs {y}");
    }
}

/// The golden folder, or `None` (with a message) when it is absent.
fn golden_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SAKSHY_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/golden/near-repeat")));
    if dir.join("golden_chicago_burglary_2016_01.csv").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: golden near-repeat data not found at {} (set SAKSHY_GOLDEN_DIR)", dir.display());
        None
    }
}

#[test]
fn knox_reproduces_the_near_repeat_calculators_chicago_table_cell_for_cell() {
    let Some(dir) = golden_dir() else {
        return;
    };
    let input = dir.join("golden_chicago_burglary_2016_01.csv").display().to_string();
    #[rustfmt::skip]
    let result = json(&[
        "analyze", "knox", "--input", &input, "--xy", "--metric", "manhattan", "--space-band", "100",
        "--space-bands", "3", "--time-band", "7", "--time-bands", "3", "--permutations", "19", "--seed", "1",
        "--nrc-compat", "--format", "json",
    ]);
    assert_eq!(
        result["observed"],
        serde_json::json!([
            [28, 5, 5, 2],
            [44, 13, 8, 4],
            [97, 56, 19, 16],
            [77, 67, 45, 20],
            [182194, 146149, 95237, 45879]
        ])
    );
    assert_eq!(result["method"], "knox");
    assert_eq!(result["input"]["n_events"], 970);
    assert_eq!(result["space_edges"], serde_json::json!([0.0, 100.0, 200.0, 300.0]));
    assert_eq!(result["time_edges"], serde_json::json!([0.0, 7.0, 14.0, 21.0]));
    assert_eq!(result["parameters"]["permutations"], 19);
    assert_eq!(result["parameters"]["nrc_compat"], true);
    // Every array is [5 rows][4 columns]; the smallest p of 19 permutations is 1/20.
    for field in ["expected_mean", "knox_ratio", "p_value"] {
        let rows = result[field].as_array().unwrap();
        assert_eq!(rows.len(), 5, "{field}");
        assert!(rows.iter().all(|row| row.as_array().unwrap().len() == 4), "{field}");
    }
    assert!(numbers(&result["p_value"]).iter().all(|&p| p >= 0.05 - 1e-12));
    let summary = result["summary"].as_array().unwrap();
    assert!(
        summary.iter().any(|s| s.as_str().unwrap().starts_with("Within 100 m and 7 days of an event")),
        "{summary:?}"
    );
}

/// The numbers of an array of arrays, row by row.
fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|row| row.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .collect()
}

#[test]
fn gridded_results_follow_the_grid_convention_and_count_every_event() {
    let input = fixture("analyze_events_xy.csv");
    let points = events_xy();
    let (xmin, ymin) = points.iter().fold((f64::INFINITY, f64::INFINITY), |(x, y), p| (x.min(p.0), y.min(p.1)));
    let (xmax, ymax) = points.iter().fold((f64::NEG_INFINITY, f64::NEG_INFINITY), |(x, y), p| (x.max(p.0), y.max(p.1)));
    for method in ["grid", "kde", "gistar", "moran"] {
        let mut args = vec!["analyze", method, "--input", &input, "--xy", "--cell", "250"];
        if matches!(method, "gistar" | "moran") {
            args.extend(["--permutations", "99"]);
        }
        let result = json(&args);
        assert_eq!(result["method"], method);
        assert_eq!(result["input"]["n_events"], 80, "{method}");
        assert_eq!(result["input"]["crs"], "planar", "{method}");
        let grid = grid_of(&result);
        assert_eq!(grid.x0, (xmin / 250.0).floor() * 250.0, "{method}");
        assert_eq!(grid.y0, (ymin / 250.0).floor() * 250.0, "{method}");
        assert_eq!(grid.ncols, ((xmax - grid.x0) / 250.0).floor() as usize + 1, "{method}");
        assert_eq!(grid.nrows, ((ymax - grid.y0) / 250.0).floor() as usize + 1, "{method}");
        let counts = cells(&result["counts"], &grid);
        assert_eq!(counts.iter().sum::<f64>(), 80.0, "{method}");
        // Row 0 is the south: the southernmost event is counted in row 0.
        let south = points.iter().copied().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
        let col = ((south.0 - grid.x0) / 250.0).floor() as usize;
        assert!(counts[col] >= 1.0, "{method}: the southernmost event is in row 0");
        assert_eq!(counts, grid.counts(&points).iter().map(|&c| f64::from(c)).collect::<Vec<_>>(), "{method}");
    }
    let result = json(&["analyze", "grid", "--input", &input, "--xy", "--cell", "250"]);
    let grid = grid_of(&result);
    let per_m2: Vec<f64> = cells(&result["counts"], &grid).iter().map(|c| c / 62_500.0).collect();
    assert_close(&cells(&result["intensity"], &grid), &per_m2, "intensity");
}

#[test]
fn kde_gistar_and_moran_equal_the_librarys_numbers() {
    let input = fixture("analyze_events_xy.csv");
    let points = events_xy();
    let grid = Grid::covering(&points, 250.0).unwrap();
    let counts: Vec<f64> = grid.counts(&points).iter().map(|&c| f64::from(c)).collect();

    let result = json(&["analyze", "kde", "--input", &input, "--xy", "--cell", "250"]);
    let config =
        KdeConfig { kernel: Kernel::Gaussian, bandwidth: Bandwidth::Scott, evaluation: Evaluation::truncated() };
    let expected = kde::kernel_density(&points, None, &grid, &config).unwrap();
    assert_eq!(result["parameters"]["bandwidth_rule"], "scott");
    assert_close(&[result["parameters"]["bandwidth_m"].as_f64().unwrap()], &[expected.bandwidth], "bandwidth");
    assert_close(&cells(&result["intensity"], &grid), &expected.intensity, "kde intensity");

    let result =
        json(&["analyze", "gistar", "--input", &input, "--xy", "--cell", "250", "--permutations", "99", "--seed", "7"]);
    let permutations = PermutationConfig { permutations: 99, seed: 7, rule: PseudoP::Conservative };
    let expected = gistar::gistar(&counts, &Weights::queen(&grid), &permutations).unwrap();
    assert_close(&cells(&result["z"], &grid), &expected.z, "Gi* z");
    assert_close(&cells(&result["p_norm"], &grid), &expected.p_norm, "Gi* p_norm");
    assert_close(&cells(&result["p_sim"], &grid), expected.p_sim.as_ref().unwrap(), "Gi* p_sim");
    let bins = expected.hotspot_bins(gistar::Inference::Permutation, sakshy_analytics::fdr::Correction::None).unwrap();
    assert_eq!(cells(&result["hotspot"], &grid), bins.iter().map(|&b| f64::from(b)).collect::<Vec<_>>());
    assert_eq!(result["parameters"]["seed"], 7);

    let result =
        json(&["analyze", "moran", "--input", &input, "--xy", "--weights", "distance:300", "--permutations", "99"]);
    let weights = Weights::grid_distance_band(&grid, 300.0).unwrap();
    let permutations = PermutationConfig { permutations: 99, seed: 1, rule: PseudoP::Conservative };
    let global = moran::global_moran(&counts, &weights, &permutations).unwrap();
    let local = moran::local_moran(&counts, &weights, &permutations).unwrap();
    assert_close(&[result["global"]["i"].as_f64().unwrap()], &[global.i], "Moran's I");
    assert_close(&[result["global"]["z_rand"].as_f64().unwrap()], &[global.z_rand], "Moran z_rand");
    assert_close(&cells(&result["local_i"], &grid), &local.i, "local Moran I");
    assert_eq!(result["parameters"]["weights"], serde_json::json!({ "type": "distance", "distance_m": 300.0 }));
}

#[test]
fn a_study_area_leaves_the_cells_outside_it_out_of_gi_star() {
    let input = fixture("analyze_events_xy.csv");
    let area = fixture("analyze_area_xy.geojson");
    let result = json(&["analyze", "gistar", "--input", &input, "--xy", "--study-area", &area, "--permutations", "9"]);
    let grid = grid_of(&result);
    // The area (900–3100 × 1900–4100 without the south-east notch) widens the grid to 750–3250 × 1750–4250.
    assert_eq!((grid.x0, grid.y0, grid.ncols, grid.nrows), (750.0, 1750.0, 10, 10));
    let z = cells(&result["z"], &grid);
    // The notch 2100–3100 × 1900–2600: cells east of x = 2250 in the two southern rows are wholly outside.
    assert!(z[9].is_nan() && z[6].is_nan() && z[10 + 9].is_nan());
    assert!(z[0].is_finite(), "the south-west corner cell overlaps the area");
    assert_eq!(result["parameters"]["study_area"]["source"], "file analyze_area_xy.geojson");
    let area = result["parameters"]["study_area"]["area_m2"].as_f64().unwrap();
    assert!((area - 4_140_000.0).abs() < 1e-3, "{area}");
}

#[test]
fn csv_output_has_one_row_per_cell_and_svg_output_is_a_titled_document() {
    let input = fixture("analyze_events_xy.csv");
    for method in ["grid", "kde", "gistar", "moran"] {
        let mut args = vec!["analyze", method, "--input", &input, "--xy"];
        if matches!(method, "gistar" | "moran") {
            args.extend(["--permutations", "19"]);
        }
        let grid = grid_of(&json(&args));
        args.extend(["--format", "csv"]);
        let csv = ok(&args);
        let mut lines = csv.lines();
        assert!(lines.next().unwrap().starts_with("row,col,x,y,counts,"), "{method}");
        assert_eq!(lines.count(), grid.len(), "{method}: one row per cell");
    }
    let knox = ok(&["analyze", "knox", "--input", &input, "--xy", "--permutations", "9", "--format", "csv"]);
    assert!(knox.starts_with("row,col,distance_from_m,distance_to_m,days_from,days_to,observed,"));
    assert_eq!(knox.lines().count(), 1 + 5 * 4, "one row per Knox cell");
    #[rustfmt::skip]
    let runs: [&[&str]; 7] = [
        &["grid"], &["kde"], &["gistar", "--permutations", "19"], &["moran", "--permutations", "19"],
        &["knox", "--permutations", "19"], &["forecast", "--split", "2025-01-01"], &["temporal"],
    ];
    for run in runs {
        let mut args = vec!["analyze", run[0], "--input", &input, "--xy", "--format", "svg"];
        args.extend_from_slice(&run[1..]);
        let svg = ok(&args);
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{run:?}");
        assert!(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="), "{run:?}");
        assert!(svg.trim_end().ends_with("</svg>"), "{run:?}");
        assert_eq!(svg.matches("<svg").count(), svg.matches("</svg>").count(), "{run:?}");
    }
}

#[test]
fn bad_rows_are_all_named_by_line_and_column_and_nothing_is_analysed() {
    let output = sakshy(&["analyze", "knox", "--input", &fixture("analyze_bad.csv"), "--xy", "--permutations", "9"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty(), "nothing is written");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("2 problems in 5 rows; nothing was analysed"), "{stderr}");
    assert!(stderr.contains("line 3, column y: \"abc\" is not a number"), "{stderr}");
    assert!(stderr.contains("line 5, column t: \"2024-02-30\""), "{stderr}");
    // Lat/lon without --xy: the missing columns are named.
    let output = sakshy(&["analyze", "grid", "--input", &fixture("analyze_bad.csv")]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("add --xy"));
}

#[test]
fn lat_lon_input_is_projected_around_the_events_mean_and_said_so() {
    let result = json(&["analyze", "grid", "--input", &fixture("analyze_events_latlon.csv"), "--cell", "500"]);
    assert_eq!(result["input"]["crs"], "local-equirectangular");
    let text = std::fs::read_to_string(fixture("analyze_events_latlon.csv")).unwrap();
    let (mut lat, mut lon, mut n) = (0.0, 0.0, 0.0);
    for line in text.lines().skip(1) {
        let fields: Vec<f64> = line.split(',').take(2).map(|f| f.parse().unwrap()).collect();
        (lat, lon, n) = (lat + fields[0], lon + fields[1], n + 1.0);
    }
    assert!((result["input"]["origin"]["lat"].as_f64().unwrap() - lat / n).abs() < 1e-9);
    assert!((result["input"]["origin"]["lon"].as_f64().unwrap() - lon / n).abs() < 1e-9);
    let grid = grid_of(&result);
    assert_eq!(cells(&result["counts"], &grid).iter().sum::<f64>(), 80.0);
    let csv =
        ok(&["analyze", "grid", "--input", &fixture("analyze_events_latlon.csv"), "--cell", "500", "--format", "csv"]);
    assert!(csv.starts_with("row,col,x,y,lon,lat,counts,intensity\n"));
}

#[test]
fn the_forecast_says_when_its_study_area_is_only_the_bounding_box() {
    let input = fixture("analyze_events_xy.csv");
    let result = json(&["analyze", "forecast", "--input", &input, "--xy", "--split", "2025-01-01"]);
    assert_eq!(result["study_area"]["source"], "bounding box");
    assert!(result["study_area"]["note"].as_str().unwrap().contains("PAI is inflated"));
    assert_eq!(
        result["periods"]["training"]["n_events"].as_u64().unwrap()
            + result["periods"]["test"]["n_events"].as_u64().unwrap(),
        80
    );
    let with_area = json(&[
        "analyze",
        "forecast",
        "--input",
        &input,
        "--xy",
        "--split",
        "2025-01-01",
        "--coverage",
        "0.1",
        "--study-area",
        &fixture("analyze_area_xy.geojson"),
    ]);
    let score = &with_area["score"];
    assert!((score["study_area_m2"].as_f64().unwrap() - 4_140_000.0).abs() < 1e-3);
    let (hit_rate, area_fraction) = (score["hit_rate"].as_f64().unwrap(), score["area_fraction"].as_f64().unwrap());
    assert!((score["pai"].as_f64().unwrap() - hit_rate / area_fraction).abs() < 1e-9);
    assert!(area_fraction >= 0.1);
    let grid = grid_of(&with_area);
    let flagged = with_area["flagged"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .filter(|f| f.as_bool().unwrap())
        .count();
    assert_eq!(flagged as u64, score["cells_flagged"].as_u64().unwrap());
    let shares: f64 = cells(&with_area["study_fraction"], &grid).iter().sum();
    assert!((shares * 62_500.0 - 4_140_000.0).abs() < 1e-3, "{shares}");
    let curve = with_area["curve"].as_array().unwrap();
    assert!(curve.iter().any(|s| s["coverage"] == 0.1) && curve.len() == 7, "the default curve holds 0.1 already");
}

#[test]
fn temporal_counts_every_event_once_by_weekday_hour_and_month() {
    let result = json(&["analyze", "temporal", "--input", &fixture("analyze_events_xy.csv")]);
    let matrix = &result["week_hour"];
    let timed: f64 = numbers(&matrix["counts"]).iter().sum();
    let dated: f64 = matrix["hour_unknown"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).sum();
    // Every third event of the fixture has a date only.
    assert_eq!((timed, dated), (53.0, 27.0));
    let months = result["monthly"]["months"].as_array().unwrap();
    assert_eq!(months.iter().map(|m| m["count"].as_u64().unwrap()).sum::<u64>(), 80);
    assert_eq!(months.first().unwrap()["month"], 1);
    // A window keeps the events dated inside it and says how many it left out.
    let window = json(&[
        "analyze",
        "temporal",
        "--input",
        &fixture("analyze_events_xy.csv"),
        "--from",
        "2025-01-01",
        "--to",
        "2025-03-31",
    ]);
    let kept = window["input"]["n_events"].as_u64().unwrap();
    assert_eq!(kept + window["input"]["outside_window"].as_u64().unwrap(), 80);
    let window_months = window["monthly"]["months"].as_array().unwrap();
    assert_eq!(window_months.len(), 3);
    assert_eq!(window_months.iter().map(|m| m["count"].as_u64().unwrap()).sum::<u64>(), kept);
}

#[test]
fn output_goes_to_the_named_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kde.json").display().to_string();
    let output = sakshy(&["analyze", "kde", "--input", &fixture("analyze_events_xy.csv"), "--xy", "--output", &path]);
    assert!(output.status.success());
    assert!(output.stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(written["method"], "kde");
}

#[test]
fn the_same_analyses_run_over_the_stored_incidents_by_quadrant_group_and_dates() {
    let sandbox = Sandbox::new();
    sandbox.ok(&["import", "territories", &fixture("territories-valid.geojson")]);
    sandbox.ok(&["import", "incidents", &fixture("analyze_incidents.csv"), "--source", "test"]);
    let db_json = |args: &[&str]| -> Value { serde_json::from_str(&sandbox.ok(args)).expect("JSON output") };

    let all = db_json(&["analyze", "grid", "--source", "incidents", "--cell", "500"]);
    assert_eq!(all["input"]["source"], "incidents");
    assert_eq!(all["input"]["n_events"], 48);
    assert_eq!(all["input"]["synthetic_events"], 0);
    assert_eq!(all["input"]["crs"], "local-equirectangular");
    // The city's origin: the centre of its boundary's bounding box (69.5–69.7, 42.2–42.4).
    assert!((all["input"]["origin"]["lon"].as_f64().unwrap() - 69.6).abs() < 1e-12);
    assert!((all["input"]["origin"]["lat"].as_f64().unwrap() - 42.3).abs() < 1e-12);
    assert_eq!(all["parameters"]["study_area"]["source"], "union of the quadrants of TOY");
    let grid = grid_of(&all);
    assert_eq!(cells(&all["counts"], &grid).iter().sum::<f64>(), 48.0);

    let text = std::fs::read_to_string(fixture("analyze_incidents.csv")).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let in_q1 = rows
        .iter()
        .filter(|r| {
            let (lat, lon): (f64, f64) = (r[3].parse().unwrap(), r[4].parse().unwrap());
            (69.5..69.55).contains(&lon) && (42.2..42.3).contains(&lat)
        })
        .count();
    let q1 = db_json(&["analyze", "kde", "--source", "incidents", "--quadrant", "TOY-W-Q1", "--bandwidth", "300"]);
    assert_eq!(q1["input"]["n_events"].as_u64().unwrap() as usize, in_q1);
    assert_eq!(q1["input"]["filters"]["quadrant"], "TOY-W-Q1");
    assert_eq!(q1["parameters"]["bandwidth_m"], 300.0);

    let property = db_json(&["analyze", "temporal", "--source", "incidents", "--group", "property"]);
    let theft = rows.iter().filter(|r| r[2] == "188").count();
    assert_eq!(property["input"]["n_events"].as_u64().unwrap() as usize, theft);

    let window = db_json(&[
        "analyze",
        "knox",
        "--source",
        "incidents",
        "--from",
        "2025-02-01",
        "--to",
        "2025-03-31",
        "--permutations",
        "19",
    ]);
    let in_window = rows.iter().filter(|r| ("2025-02-01".."2025-04-01").contains(&&r[1][..10])).count();
    assert_eq!(window["input"]["n_events"].as_u64().unwrap() as usize, in_window);
    let pairs: u64 = numbers(&window["observed"]).iter().map(|&v| v as u64).sum();
    assert_eq!(pairs as usize, in_window * (in_window - 1) / 2, "every pair counted once");

    let forecast = db_json(&["analyze", "forecast", "--source", "incidents", "--split", "2025-04-01", "--cell", "500"]);
    // The quadrants tile the city: the study area is the city's 0.2° × 0.2°, about 366 km².
    let area = forecast["study_area"]["area_m2"].as_f64().unwrap();
    assert!((area / 366.4e6 - 1.0).abs() < 1e-3, "{area}");
    let svg = sandbox.ok(&[
        "analyze",
        "gistar",
        "--source",
        "incidents",
        "--district",
        "TOY-W",
        "--permutations",
        "9",
        "--format",
        "svg",
    ]);
    assert!(svg.starts_with("<svg") && svg.contains("<path d=\"M"), "the district is outlined");

    let unknown = sandbox.fails(&["analyze", "grid", "--source", "incidents", "--quadrant", "NOPE"]);
    assert!(unknown.contains("no quadrant NOPE"), "{unknown}");
    let bad_group = sandbox.fails(&["analyze", "grid", "--source", "incidents", "--group", "burglaries"]);
    assert!(bad_group.contains("is not an offence group"), "{bad_group}");
    let no_appeals = sandbox.fails(&["analyze", "grid", "--source", "appeals"]);
    assert!(no_appeals.contains("no events to analyse"), "{no_appeals}");
}
