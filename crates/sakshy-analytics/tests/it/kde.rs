//! Kernel density against reference values: scikit-learn `KernelDensity` and numpy sums computed by
//! `tools/reference/kde_reference.py` into `tests/fixtures/kde_*.json`, and thread-count independence.

use sakshy_analytics::Grid;
use sakshy_analytics::kde::{Bandwidth, Evaluation, KdeConfig, KdeResult, Kernel, kernel_density, mass_inside};
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {path}: {e}"));
    serde_json::from_str(&text).expect("fixture is JSON")
}

fn floats(value: &Value) -> Vec<f64> {
    value.as_array().expect("an array").iter().map(|v| v.as_f64().expect("a number")).collect()
}

fn points(value: &Value) -> Vec<(f64, f64)> {
    value["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

/// The fixture's grid, which must also be the one our convention gives for its box.
fn grid(value: &Value) -> Grid {
    let g = &value["grid"];
    let grid = Grid::new(
        g["x0"].as_f64().unwrap(),
        g["y0"].as_f64().unwrap(),
        g["cell"].as_f64().unwrap(),
        g["ncols"].as_u64().unwrap() as usize,
        g["nrows"].as_u64().unwrap() as usize,
    )
    .unwrap();
    let b = floats(&value["box"]);
    assert_eq!(Grid::covering_bounds((b[0], b[1], b[2], b[3]), grid.cell).unwrap(), grid);
    grid
}

fn config(kernel: Kernel, bandwidth: Bandwidth, evaluation: Evaluation) -> KdeConfig {
    KdeConfig { kernel, bandwidth, evaluation }
}

/// Every cell within `relative` of the reference, or within `slack` events/m² (for values near zero).
fn assert_close(ours: &[f64], reference: &[f64], relative: f64, slack: f64, what: &str) {
    assert_eq!(ours.len(), reference.len(), "{what}: one value per cell");
    let mut worst = 0.0f64;
    for (i, (&a, &b)) in ours.iter().zip(reference).enumerate() {
        let allowed = relative * b.abs() + slack;
        assert!((a - b).abs() <= allowed, "{what}: cell {i}: ours {a:e}, reference {b:e}, allowed {allowed:e}");
        if b > 0.0 {
            worst = worst.max((a - b).abs() / b);
        }
    }
    eprintln!("{what}: worst relative difference {worst:e}");
}

fn max(values: &[f64]) -> f64 {
    values.iter().copied().fold(0.0, f64::max)
}

#[test]
fn exact_gaussian_equals_scikit_learn_times_n() {
    let data = fixture("kde_gaussian.json");
    let (points, grid) = (points(&data), grid(&data));
    let case = &data["fixed"];
    let h = case["bandwidth"].as_f64().unwrap();
    let result =
        kernel_density(&points, None, &grid, &config(Kernel::Gaussian, Bandwidth::Fixed(h), Evaluation::Exact))
            .unwrap();
    assert!(result.truncation.exact && result.truncation.bound == 0.0);
    assert_close(&result.intensity, &floats(&case["sklearn"]), 1e-8, 0.0, "exact vs scikit-learn");
    assert_close(&result.intensity, &floats(&case["numpy"]), 1e-12, 0.0, "exact vs numpy");
}

#[test]
fn truncated_gaussian_is_within_its_stated_bound_of_scikit_learn() {
    let data = fixture("kde_gaussian.json");
    let (points, grid) = (points(&data), grid(&data));
    let case = &data["fixed"];
    let h = case["bandwidth"].as_f64().unwrap();
    let reference = floats(&case["numpy"]);
    for tolerance in [1e-3, 1e-6, 1e-9] {
        let evaluation = Evaluation::Truncated { tolerance };
        let result =
            kernel_density(&points, None, &grid, &config(Kernel::Gaussian, Bandwidth::Fixed(h), evaluation)).unwrap();
        let t = result.truncation;
        let (k, bound) = (t.k.unwrap(), t.bound);
        assert!(!t.exact && t.tolerance == Some(tolerance) && t.radius == Some(k * h));
        assert!(bound > 0.0 && bound <= tolerance * max(&reference), "bound {bound:e} at tolerance {tolerance:e}");
        assert!(t.bound_relative <= tolerance);
        assert_close(&result.intensity, &floats(&case["sklearn"]), 1e-8, bound, &format!("truncated {tolerance:e}"));
        // Truncation only drops terms.
        assert!(result.intensity.iter().zip(&reference).all(|(a, b)| *a <= b * (1.0 + 1e-12)));
    }
}

#[test]
fn weighted_gaussian_equals_scikit_learn_with_sample_weight() {
    let data = fixture("kde_gaussian.json");
    let (points, grid) = (points(&data), grid(&data));
    let weights = floats(&data["weights"]);
    let case = &data["weighted"];
    let h = case["bandwidth"].as_f64().unwrap();
    let exact = config(Kernel::Gaussian, Bandwidth::Fixed(h), Evaluation::Exact);
    let result = kernel_density(&points, Some(&weights), &grid, &exact).unwrap();
    assert_eq!(result.total_weight, weights.iter().sum::<f64>());
    assert_close(&result.intensity, &floats(&case["sklearn"]), 1e-8, 0.0, "weighted vs scikit-learn");
    let inside = case["mass_inside"].as_f64().unwrap();
    assert!((result.edge_loss - (result.total_weight - inside)).abs() <= 1e-10 * inside);
}

#[test]
fn scott_bandwidth_equals_numpy_and_its_surface_equals_scikit_learn() {
    let data = fixture("kde_gaussian.json");
    let (points, grid) = (points(&data), grid(&data));
    let case = &data["scott"];
    let h = case["bandwidth"].as_f64().unwrap();
    let ours = Bandwidth::Scott.resolve(&points).unwrap();
    assert!((ours - h).abs() <= 1e-12 * h, "scott: ours {ours}, numpy {h}");
    let result =
        kernel_density(&points, None, &grid, &config(Kernel::Gaussian, Bandwidth::Scott, Evaluation::Exact)).unwrap();
    assert_eq!(result.bandwidth_rule, "scott");
    assert_close(&result.intensity, &floats(&case["sklearn"]), 1e-8, 0.0, "scott vs scikit-learn");
}

#[test]
fn gaussian_mass_inside_the_grid_equals_scipy_and_the_riemann_sum() {
    let data = fixture("kde_gaussian.json");
    let (points, grid) = (points(&data), grid(&data));
    let case = &data["fixed"];
    let h = case["bandwidth"].as_f64().unwrap();
    let expected = case["mass_inside"].as_f64().unwrap();
    let inside = mass_inside(&points, None, &grid, Kernel::Gaussian, h).unwrap();
    assert!((inside - expected).abs() <= 1e-11 * expected, "ours {inside}, scipy {expected}");
    // Cells of a third of the bandwidth: where a kernel is cut by the grid's edge the midpoint rule errs by about
    // (cell²/24)·|K'| per point, a few 1e-4 of n here (0.13 of 400 events).
    let result =
        kernel_density(&points, None, &grid, &config(Kernel::Gaussian, Bandwidth::Fixed(h), Evaluation::Exact))
            .unwrap();
    let n = points.len() as f64;
    assert!((result.edge_loss - (n - inside)).abs() < 1e-9);
    assert!(result.edge_loss > 0.1 * n, "points outside the grid lose mass: {}", result.edge_loss);
    assert!((result.mass - (n - result.edge_loss)).abs() <= 1e-3 * n, "{} vs {}", result.mass, n - result.edge_loss);
}

#[test]
fn quartic_equals_the_numpy_sum_with_fixed_and_arcgis_radii() {
    let data = fixture("kde_quartic.json");
    let (points, grid) = (points(&data), grid(&data));
    let r = data["arcgis"]["bandwidth"].as_f64().unwrap();
    let ours = Bandwidth::ArcGis.resolve(&points).unwrap();
    assert!((ours - r).abs() <= 1e-12 * r, "arcgis: ours {ours}, numpy {r}");
    for (case, bandwidth) in
        [("fixed", Bandwidth::Fixed(data["fixed"]["bandwidth"].as_f64().unwrap())), ("arcgis", Bandwidth::ArcGis)]
    {
        let reference = floats(&data[case]["numpy"]);
        // Exact and truncated are the same for a kernel with compact support.
        for evaluation in [Evaluation::Exact, Evaluation::truncated()] {
            let result = kernel_density(&points, None, &grid, &config(Kernel::Quartic, bandwidth, evaluation)).unwrap();
            assert!(result.truncation.exact && result.truncation.k == Some(1.0));
            // Near the edge of the support 1 − d²/r² cancels; the slack covers that rounding.
            assert_close(&result.intensity, &reference, 1e-12, 1e-15 * max(&reference), &format!("quartic {case}"));
            let n = points.len() as f64;
            assert!(
                (result.mass - (n - result.edge_loss)).abs() <= 2e-3 * n,
                "{case}: {} vs {}",
                result.mass,
                n - result.edge_loss
            );
        }
    }
}

/// Many clustered points, so that every parallel split has work.
fn many_points(n: usize) -> Vec<(f64, f64)> {
    use rand::Rng;
    let mut rng = sakshy_analytics::random::stream(7, 0);
    (0..n)
        .map(|i| {
            let (cx, cy) = [(1000.0, 1200.0), (3000.0, 2500.0), (2000.0, 4000.0), (2500.0, 2500.0)][i % 4];
            let spread = if i % 4 == 3 { 2000.0 } else { 250.0 };
            (cx + spread * (rng.random::<f64>() - 0.5), cy + spread * (rng.random::<f64>() - 0.5))
        })
        .collect()
}

fn on_threads(threads: usize, run: impl FnOnce() -> KdeResult + Send) -> KdeResult {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(run)
}

#[test]
fn one_thread_and_four_threads_give_bitwise_the_same_surface() {
    let points = many_points(40_000);
    let weights: Vec<f64> = (0..points.len()).map(|i| 1.0 + (i % 3) as f64).collect();
    let grid = Grid::covering(&points, 100.0).unwrap();
    for config in [
        config(Kernel::Gaussian, Bandwidth::Fixed(150.0), Evaluation::truncated()),
        config(Kernel::Gaussian, Bandwidth::Scott, Evaluation::Truncated { tolerance: 1e-9 }),
        config(Kernel::Quartic, Bandwidth::ArcGis, Evaluation::Exact),
    ] {
        let one = on_threads(1, || kernel_density(&points, Some(&weights), &grid, &config).unwrap());
        let four = on_threads(4, || kernel_density(&points, Some(&weights), &grid, &config).unwrap());
        assert!(one.intensity.iter().zip(&four.intensity).all(|(a, b)| a.to_bits() == b.to_bits()), "{config:?}");
        assert_eq!(one, four);
    }
}
