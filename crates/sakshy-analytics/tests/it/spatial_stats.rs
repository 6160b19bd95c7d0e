//! Spatial weights, Gi\*, Moran's I and FDR checked against esda/libpysal reference values.
//!
//! The fixtures in `tests/fixtures/esda_*.json` and `fdr_bh.json` come from `tools/reference/esda_reference.py`
//! (esda 2.9.0, libpysal 4.14.1). Deterministic numbers (weights, z-scores, I, moments, quadrants, q-values)
//! must agree to about 1e-10; permutation p-values are random on both sides and must agree within Monte Carlo
//! error.

use std::path::PathBuf;

use proptest::prelude::*;
use sakshy_analytics::fdr::{self, Correction, PermutationConfig, PseudoP};
use sakshy_analytics::gistar::{GiStar, Inference, gistar};
use sakshy_analytics::moran::{global_moran, local_moran};
use sakshy_analytics::weights::{GridWeights, Weights};
use sakshy_analytics::{Grid, random};
use serde::Deserialize;

// ---------------------------------------------------------------------------------------------------------
// Fixtures.

#[derive(Deserialize)]
struct GridSpec {
    x0: f64,
    y0: f64,
    cell: f64,
    ncols: usize,
    nrows: usize,
}

impl GridSpec {
    fn grid(&self) -> Grid {
        Grid::new(self.x0, self.y0, self.cell, self.ncols, self.nrows).unwrap()
    }
}

#[derive(Deserialize)]
struct GiStarExpected {
    z: Vec<f64>,
    p_norm: Vec<f64>,
    /// esda's draws with exact ties (see `gistar_case` in the reference script).
    p_sim_esda_exact: Vec<f64>,
    p_sim_conservative: Vec<f64>,
    z_sim: Vec<f64>,
}

#[derive(Deserialize)]
struct GiStarGridFixture {
    grid: GridSpec,
    values: Vec<f64>,
    permutations: usize,
    seed: u64,
    neighbours: Vec<Vec<usize>>,
    full: GiStarExpected,
    mask: Vec<bool>,
    masked_cells: Vec<usize>,
    masked_neighbours: Vec<Vec<usize>>,
    masked: GiStarExpected,
}

#[derive(Deserialize)]
struct GridBand {
    grid: GridSpec,
    band: f64,
    neighbours: Vec<Vec<usize>>,
}

#[derive(Deserialize)]
struct GiStarDistanceFixture {
    points: Vec<(f64, f64)>,
    band: f64,
    values: Vec<f64>,
    permutations: usize,
    seed: u64,
    neighbours: Vec<Vec<usize>>,
    result: GiStarExpected,
    grid_band: GridBand,
}

#[derive(Deserialize)]
struct GlobalExpected {
    i: f64,
    expected: f64,
    variance_norm: f64,
    variance_rand: f64,
    z_norm: f64,
    z_rand: f64,
    p_norm: f64,
    p_rand: f64,
    p_sim: f64,
    z_sim: f64,
    permutations: usize,
}

#[derive(Deserialize)]
struct LocalExpected {
    i: Vec<f64>,
    quadrant: Vec<u8>,
    p_sim_esda: Vec<f64>,
    p_sim_conservative: Vec<f64>,
    z_sim: Vec<f64>,
}

#[derive(Deserialize)]
struct ColumbusFixture {
    values: Vec<f64>,
    neighbours: Vec<Vec<usize>>,
    global: GlobalExpected,
    local: LocalExpected,
    local_permutations: usize,
    seed: u64,
    island_neighbours: Vec<Vec<usize>>,
    island_global: GlobalExpected,
}

#[derive(Deserialize)]
struct MoranGridFixture {
    grid: GridSpec,
    values: Vec<f64>,
    permutations: usize,
    seed: u64,
    global: GlobalExpected,
    local: LocalExpected,
}

#[derive(Deserialize)]
struct FdrFixture {
    p: Vec<f64>,
    bh: Vec<f64>,
    bonferroni: Vec<f64>,
    alpha: f64,
    bh_reject: Vec<bool>,
    normal_z: Vec<f64>,
    normal_sf: Vec<f64>,
}

fn fixture<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parsing {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------------------------------------
// Comparisons.

/// Deterministic values: equal to 1e-10, relative for large ones.
fn assert_close(what: &str, ours: &[f64], theirs: &[f64]) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    for (k, (&a, &b)) in ours.iter().zip(theirs).enumerate() {
        assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0), "{what}[{k}]: ours {a}, esda {b}");
    }
}

/// Permutation p-values: each within 5 standard errors of the difference of two independent estimates (plus
/// slack for the discreteness of small p), and no systematic shift.
fn assert_p_within_monte_carlo(what: &str, ours: &[f64], theirs: &[f64], permutations: usize) {
    assert_eq!(ours.len(), theirs.len(), "{what}: lengths");
    let mut shift = 0.0;
    for (k, (&a, &b)) in ours.iter().zip(theirs).enumerate() {
        let p = (a + b) / 2.0;
        let tolerance = 5.0 * (2.0 * p * (1.0 - p) / permutations as f64).sqrt() + 0.002;
        assert!((a - b).abs() <= tolerance, "{what}[{k}]: ours {a}, esda {b}, tolerance {tolerance}");
        shift += a - b;
    }
    // esda draws one set of neighbour indices per permutation and uses it for every observation, so its
    // errors are correlated across observations and its average p moves with the seed (by up to ±0.006 over
    // seeds on the queen-grid fixture); ours are independent per observation.
    let shift = shift / ours.len() as f64;
    assert!(shift.abs() < 0.02, "{what}: ours are shifted by {shift} on average");
}

/// Permutation z-scores: the mean and sd of P draws have relative errors of order 1/√P.
fn assert_z_sim_within_monte_carlo(what: &str, ours: &[f64], theirs: &[f64], permutations: usize) {
    for (k, (&a, &b)) in ours.iter().zip(theirs).enumerate() {
        let tolerance = 6.0 * (2.0 / permutations as f64).sqrt() * (1.0 + b.abs());
        assert!((a - b).abs() <= tolerance, "{what}[{k}]: ours {a}, esda {b}, tolerance {tolerance}");
    }
}

fn lists(weights: &Weights) -> Vec<Vec<usize>> {
    (0..weights.len()).map(|i| weights.neighbours(i).iter().map(|&j| j as usize).collect()).collect()
}

fn config(permutations: usize, seed: u64, rule: PseudoP) -> PermutationConfig {
    PermutationConfig { permutations, seed, rule }
}

/// Runs Gi* under both pseudo-p rules and compares everything with esda.
fn check_gistar(what: &str, values: &[f64], weights: &Weights, expected: &GiStarExpected, permutations: usize) {
    let esda_rule = gistar(values, weights, &config(permutations, 1, PseudoP::Esda)).unwrap();
    assert_close(&format!("{what} z"), &esda_rule.z, &expected.z);
    assert_close(&format!("{what} p_norm"), &esda_rule.p_norm, &expected.p_norm);
    let p_sim = esda_rule.p_sim.as_ref().unwrap();
    assert_p_within_monte_carlo(&format!("{what} p_sim (esda rule)"), p_sim, &expected.p_sim_esda_exact, permutations);
    let z_sim = esda_rule.z_sim.as_ref().unwrap();
    assert_z_sim_within_monte_carlo(&format!("{what} z_sim"), z_sim, &expected.z_sim, permutations);
    let conservative = gistar(values, weights, &config(permutations, 2, PseudoP::Conservative)).unwrap();
    assert_p_within_monte_carlo(
        &format!("{what} p_sim (conservative)"),
        conservative.p_sim.as_ref().unwrap(),
        &expected.p_sim_conservative,
        permutations,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Gi*.

#[test]
fn gistar_on_a_queen_grid_matches_esda() {
    let f: GiStarGridFixture = fixture("esda_gistar_grid.json");
    let grid = f.grid.grid();
    let weights = Weights::queen(&grid);
    assert_eq!(lists(&weights), f.neighbours, "queen weights equal libpysal's lat2W(rook=False)");
    check_gistar("queen grid", &f.values, &weights, &f.full, f.permutations);
    assert_eq!(f.seed, 12345);
}

#[test]
fn gistar_on_a_masked_study_area_matches_esda() {
    let f: GiStarGridFixture = fixture("esda_gistar_grid.json");
    let grid = f.grid.grid();
    let masked = GridWeights::queen(&grid, &f.mask).unwrap();
    assert_eq!(masked.cells, f.masked_cells);
    assert_eq!(lists(&masked.weights), f.masked_neighbours, "masked weights equal libpysal's w_subset");
    let values = masked.gather(&f.values);
    check_gistar("masked grid", &values, &masked.weights, &f.masked, f.permutations);
    // Scattered back, cells outside the study area are NaN.
    let result = gistar(&values, &masked.weights, &config(0, 0, PseudoP::Conservative)).unwrap();
    let per_cell = masked.scatter(&result.z, &grid, f64::NAN);
    assert_eq!(per_cell.iter().filter(|z| z.is_nan()).count(), grid.len() - values.len());
    assert_eq!(grid.rows(&per_cell).len(), grid.nrows);
}

#[test]
fn gistar_with_a_distance_band_matches_esda() {
    let f: GiStarDistanceFixture = fixture("esda_gistar_distance.json");
    let weights = Weights::distance_band(&f.points, f.band).unwrap();
    assert_eq!(lists(&weights), f.neighbours, "distance band equals libpysal's DistanceBand");
    check_gistar("distance band", &f.values, &weights, &f.result, f.permutations);
    assert_eq!(f.seed, 12345);
}

#[test]
fn grid_distance_bands_match_libpysal_on_cell_centres() {
    let f: GiStarDistanceFixture = fixture("esda_gistar_distance.json");
    let weights = Weights::grid_distance_band(&f.grid_band.grid.grid(), f.grid_band.band).unwrap();
    assert_eq!(lists(&weights), f.grid_band.neighbours);
}

#[test]
fn hotspot_bins_follow_arcgis_thresholds_with_and_without_fdr() {
    let f: GiStarGridFixture = fixture("esda_gistar_grid.json");
    let weights = Weights::queen(&f.grid.grid());
    let result = gistar(&f.values, &weights, &config(0, 0, PseudoP::Conservative)).unwrap();
    let bins = result.hotspot_bins(Inference::Normal, Correction::None).unwrap();
    for (k, (&bin, &z)) in bins.iter().zip(&f.full.z).enumerate() {
        // Two-sided normal critical values for 90, 95 and 99 % confidence.
        let expected = match z.abs() {
            a if a >= 2.575_829_303_548_901 => 3,
            a if a >= 1.959_963_984_540_054 => 2,
            a if a >= 1.644_853_626_951_472_2 => 1,
            _ => 0,
        } * z.signum() as i8;
        assert_eq!(bin, expected, "cell {k}, z = {z}");
    }
    assert!(bins.contains(&3) && bins.contains(&-1), "the fixture has hot and cold spots");
    // With FDR, a cell is in a class only when BH at that level rejects it: never more cells than without.
    let with_fdr = result.hotspot_bins(Inference::Normal, Correction::FalseDiscoveryRate).unwrap();
    let two_sided: Vec<f64> = result.p_norm.iter().map(|p| 2.0 * p).collect();
    let q = fdr::benjamini_hochberg(&two_sided).unwrap();
    for (k, &bin) in with_fdr.iter().enumerate() {
        assert!(bin.abs() <= bins[k].abs());
        assert_eq!(bin != 0, q[k] <= 0.10, "cell {k}");
        assert_eq!(bin.abs() == 3, q[k] <= 0.01, "cell {k}");
    }
    assert!(with_fdr.iter().filter(|&&b| b != 0).count() < bins.iter().filter(|&&b| b != 0).count());
}

// ---------------------------------------------------------------------------------------------------------
// Moran.

fn check_global(what: &str, ours: &sakshy_analytics::moran::GlobalMoran, expected: &GlobalExpected) {
    let pairs = [
        ("i", ours.i, expected.i),
        ("expected", ours.expected, expected.expected),
        ("variance_norm", ours.variance_norm, expected.variance_norm),
        ("variance_rand", ours.variance_rand, expected.variance_rand),
        ("z_norm", ours.z_norm, expected.z_norm),
        ("z_rand", ours.z_rand, expected.z_rand),
    ];
    for (name, a, b) in pairs {
        assert!((a - b).abs() <= 1e-10 * b.abs().max(1.0), "{what} {name}: ours {a}, esda {b}");
    }
    for (name, a, b) in [("p_norm", ours.p_norm, expected.p_norm), ("p_rand", ours.p_rand, expected.p_rand)] {
        assert!((a - b).abs() <= 1e-9 * b, "{what} {name}: ours {a}, esda {b}");
    }
    assert_eq!(ours.permutations, expected.permutations);
    assert_p_within_monte_carlo(&format!("{what} p_sim"), &[ours.p_sim.unwrap()], &[expected.p_sim], ours.permutations);
    assert_z_sim_within_monte_carlo(
        &format!("{what} z_sim"),
        &[ours.z_sim.unwrap()],
        &[expected.z_sim],
        ours.permutations,
    );
}

fn check_local(what: &str, values: &[f64], weights: &Weights, expected: &LocalExpected, permutations: usize) {
    let esda_rule = local_moran(values, weights, &config(permutations, 11, PseudoP::Esda)).unwrap();
    assert_close(&format!("{what} local I"), &esda_rule.i, &expected.i);
    assert_eq!(esda_rule.quadrant, expected.quadrant, "{what} quadrants");
    let p_sim = esda_rule.p_sim.as_ref().unwrap();
    assert_p_within_monte_carlo(&format!("{what} local p_sim (esda rule)"), p_sim, &expected.p_sim_esda, permutations);
    let z_sim = esda_rule.z_sim.as_ref().unwrap();
    assert_z_sim_within_monte_carlo(&format!("{what} local z_sim"), z_sim, &expected.z_sim, permutations);
    let conservative = local_moran(values, weights, &config(permutations, 12, PseudoP::Conservative)).unwrap();
    assert_p_within_monte_carlo(
        &format!("{what} local p_sim (conservative)"),
        conservative.p_sim.as_ref().unwrap(),
        &expected.p_sim_conservative,
        permutations,
    );
}

#[test]
fn columbus_crime_reproduces_the_golden_global_moran() {
    let f: ColumbusFixture = fixture("esda_moran_columbus.json");
    let weights = Weights::from_neighbour_lists(&f.neighbours).unwrap();
    assert_eq!(weights.len(), 49);
    assert!(weights.is_symmetric());
    let result = global_moran(&f.values, &weights, &config(f.global.permutations, f.seed, PseudoP::Esda)).unwrap();
    // The golden values of analytics.md §1.4 (esda = spdep).
    assert!((result.i - 0.500189).abs() < 5e-7, "I = {}", result.i);
    assert!((result.z_rand - 5.5894).abs() < 5e-5, "z_rand = {}", result.z_rand);
    assert_eq!(result.p_sim, Some(0.0001), "nothing in 9,999 permutations is as extreme");
    check_global("columbus", &result, &f.global);
}

#[test]
fn global_moran_handles_an_island_like_esda() {
    let f: ColumbusFixture = fixture("esda_moran_columbus.json");
    let weights = Weights::from_neighbour_lists(&f.island_neighbours).unwrap();
    assert_eq!(weights.islands(), 1);
    let result =
        global_moran(&f.values, &weights, &config(f.island_global.permutations, f.seed, PseudoP::Esda)).unwrap();
    check_global("columbus with an island", &result, &f.island_global);
}

#[test]
fn columbus_local_moran_matches_esda() {
    let f: ColumbusFixture = fixture("esda_moran_columbus.json");
    let weights = Weights::from_neighbour_lists(&f.neighbours).unwrap();
    check_local("columbus", &f.values, &weights, &f.local, f.local_permutations);
}

#[test]
fn moran_on_a_queen_grid_matches_esda() {
    let f: MoranGridFixture = fixture("esda_moran_grid.json");
    let weights = Weights::queen(&f.grid.grid());
    let result = global_moran(&f.values, &weights, &config(f.permutations, f.seed, PseudoP::Esda)).unwrap();
    check_global("grid", &result, &f.global);
    check_local("grid", &f.values, &weights, &f.local, f.permutations);
    // The cluster map keeps the quadrant only where p ≤ α.
    let local = local_moran(&f.values, &weights, &config(f.permutations, f.seed, PseudoP::Conservative)).unwrap();
    let clusters = local.clusters(0.05, Correction::None).unwrap();
    for (k, &cluster) in clusters.iter().enumerate() {
        let significant = local.p_sim.as_ref().unwrap()[k] <= 0.05;
        assert_eq!(cluster, if significant { local.quadrant[k] } else { 0 });
    }
    assert!(clusters.contains(&1) && clusters.contains(&3), "a smooth field has HH and LL clusters");
}

// ---------------------------------------------------------------------------------------------------------
// FDR and the normal tail.

#[test]
fn benjamini_hochberg_matches_the_reference_formula() {
    let f: FdrFixture = fixture("fdr_bh.json");
    let q = fdr::benjamini_hochberg(&f.p).unwrap();
    for (k, (&a, &b)) in q.iter().zip(&f.bh).enumerate() {
        assert!((a - b).abs() <= 1e-14 * b.max(1e-300), "q[{k}]: ours {a}, reference {b}");
    }
    assert_eq!(fdr::rejected(&q, f.alpha), f.bh_reject, "q ≤ α is the step-up rejection set");
    assert!(f.bh_reject.iter().any(|&r| r) && !f.bh_reject.iter().all(|&r| r));
    // serde_json parses to within an ulp, so compare with a tolerance even where the arithmetic is exact.
    for (k, (&a, &b)) in fdr::bonferroni(&f.p).unwrap().iter().zip(&f.bonferroni).enumerate() {
        assert!((a - b).abs() <= 1e-15 * b, "bonferroni[{k}]: ours {a}, reference {b}");
    }
    assert_eq!(fdr::adjust(&f.p, Correction::FalseDiscoveryRate).unwrap(), q);
}

#[test]
fn the_normal_tail_matches_scipy() {
    let f: FdrFixture = fixture("fdr_bh.json");
    for (&z, &expected) in f.normal_z.iter().zip(&f.normal_sf) {
        let ours = fdr::normal_sf(z);
        // Rounding z/√2 alone moves erfc by a relative 2·(z²/2)·ε, so allow a few ulps times (1 + z²).
        let tolerance = 1e-15 * (1.0 + z * z) * expected;
        assert!((ours - expected).abs() <= tolerance, "sf({z}): ours {ours}, scipy {expected}");
    }
}

// ---------------------------------------------------------------------------------------------------------
// Invariants.

fn in_pool<T: Send>(threads: usize, work: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap().install(work)
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

#[test]
fn the_same_seed_gives_the_same_p_values_on_1_and_4_threads() {
    let f: GiStarGridFixture = fixture("esda_gistar_grid.json");
    let weights = Weights::queen(&f.grid.grid());
    let c = config(199, 42, PseudoP::Conservative);
    let one: GiStar = in_pool(1, || gistar(&f.values, &weights, &c).unwrap());
    let four: GiStar = in_pool(4, || gistar(&f.values, &weights, &c).unwrap());
    assert_eq!(bits(&one.z), bits(&four.z));
    assert_eq!(bits(one.p_sim.as_ref().unwrap()), bits(four.p_sim.as_ref().unwrap()));
    assert_eq!(bits(one.z_sim.as_ref().unwrap()), bits(four.z_sim.as_ref().unwrap()));
    // A different seed gives different p-values.
    let other = gistar(&f.values, &weights, &config(199, 43, PseudoP::Conservative)).unwrap();
    assert_ne!(bits(other.p_sim.as_ref().unwrap()), bits(one.p_sim.as_ref().unwrap()));
    // A distance band with more neighbours than the rejection sampler takes, so the shuffle path runs too.
    let band = Weights::grid_distance_band(&f.grid.grid(), 750.0).unwrap();
    assert!(band.max_cardinality() > 24);
    let one = in_pool(1, || gistar(&f.values, &band, &c).unwrap());
    let four = in_pool(4, || gistar(&f.values, &band, &c).unwrap());
    assert_eq!(bits(one.p_sim.as_ref().unwrap()), bits(four.p_sim.as_ref().unwrap()));

    let m: MoranGridFixture = fixture("esda_moran_grid.json");
    let queen = Weights::queen(&m.grid.grid());
    let one =
        in_pool(1, || (global_moran(&m.values, &queen, &c).unwrap(), local_moran(&m.values, &queen, &c).unwrap()));
    let four =
        in_pool(4, || (global_moran(&m.values, &queen, &c).unwrap(), local_moran(&m.values, &queen, &c).unwrap()));
    assert_eq!(one.0.p_sim.map(f64::to_bits), four.0.p_sim.map(f64::to_bits));
    assert_eq!(one.0.z_sim.map(f64::to_bits), four.0.z_sim.map(f64::to_bits));
    assert_eq!(bits(one.1.p_sim.as_ref().unwrap()), bits(four.1.p_sim.as_ref().unwrap()));
}

/// A random symmetric neighbour graph on n nodes.
fn graph(n: usize, edges: &[(usize, usize)]) -> Vec<Vec<usize>> {
    let mut lists = vec![Vec::new(); n];
    for &(a, b) in edges {
        let (a, b) = (a % n, b % n);
        if a != b && !lists[a].contains(&b) {
            lists[a].push(b);
            lists[b].push(a);
        }
    }
    lists
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn gistar_is_unchanged_by_the_order_of_the_input(
        values in prop::collection::vec(0u32..20, 3..60),
        edges in prop::collection::vec((0usize..1000, 0usize..1000), 0..200),
        seed in any::<u64>(),
    ) {
        let n = values.len();
        prop_assume!(values.iter().any(|&v| v != values[0]));
        let lists = graph(n, &edges);
        let values: Vec<f64> = values.into_iter().map(f64::from).collect();
        // A random relabelling: new position of old observation i is order[i].
        let mut order: Vec<usize> = (0..n).collect();
        random::shuffle(&mut random::stream(seed, 0), &mut order);
        let mut permuted_values = vec![0.0; n];
        let mut permuted_lists = vec![Vec::new(); n];
        for i in 0..n {
            permuted_values[order[i]] = values[i];
            permuted_lists[order[i]] = lists[i].iter().map(|&j| order[j]).collect();
        }
        let c = config(0, 0, PseudoP::Conservative);
        let before = gistar(&values, &Weights::from_neighbour_lists(&lists).unwrap(), &c).unwrap();
        let after = gistar(&permuted_values, &Weights::from_neighbour_lists(&permuted_lists).unwrap(), &c).unwrap();
        for (i, &new) in order.iter().enumerate() {
            let (a, b) = (before.z[i], after.z[new]);
            prop_assert!((a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-12 * a.abs().max(1.0), "{} {} {}", i, a, b);
        }
    }

    #[test]
    fn permutation_p_values_are_valid_probabilities(
        values in prop::collection::vec(-50.0f64..50.0, 4..40),
        edges in prop::collection::vec((0usize..1000, 0usize..1000), 1..120),
        seed in any::<u64>(),
    ) {
        let weights = Weights::from_neighbour_lists(&graph(values.len(), &edges)).unwrap();
        prop_assume!(values.iter().any(|&v| v != values[0]));
        let c = config(49, seed, PseudoP::Conservative);
        let result = gistar(&values, &weights, &c).unwrap();
        let local = local_moran(&values, &weights, &c).unwrap();
        for p in result.p_sim.unwrap().into_iter().chain(local.p_sim.unwrap()) {
            prop_assert!((0.02..=1.0).contains(&p), "{}", p);
        }
    }
}
