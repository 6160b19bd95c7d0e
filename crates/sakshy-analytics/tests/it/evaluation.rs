//! Tests of the pilot evaluation: difference-in-differences and event studies against `statsmodels`, the wild
//! cluster bootstrap against `wildboottest` and randomisation inference against brute force (fixtures from
//! `tools/reference/evaluation_reference.py`), a simulation in which a known effect is injected into synthetic
//! panels (bias, interval coverage, the null rejection rate of the randomisation test), properties (order and
//! fixed-effect invariance, thread-count independence), and the weighted displacement quotient.

use proptest::prelude::*;
use rand::Rng;
use rayon::prelude::*;
use sakshy_analytics::evaluation::{
    DidConfig, DidResult, Displacement, DisplacementCounts, DisplacementError, DisplacementReading, EvaluationError,
    EvaluationWarning, EventStudyConfig, Panel, PanelError, RandomizationConfig, WildBootstrapConfig, WildWeights, did,
    event_study, weighted_displacement_quotient,
};
use sakshy_analytics::random;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------------------
// Helpers

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn case<'a>(fixture: &'a Value, name: &str) -> &'a Value {
    fixture["cases"].as_array().unwrap().iter().find(|c| c["name"] == name).unwrap()
}

/// The panel of a fixture case, with `shift · D` subtracted from the outcome (to test `β = shift`).
fn panel_of(case: &Value, shift: f64) -> Panel {
    let n_units = case["n_units"].as_u64().unwrap() as usize;
    let n_periods = case["n_periods"].as_u64().unwrap() as usize;
    let start = case["start_period"].as_u64().unwrap() as usize;
    let treated: Vec<bool> = case["treated"].as_array().unwrap().iter().map(|t| t.as_bool().unwrap()).collect();
    let outcome = case["outcome"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .map(|(index, v)| {
            let (unit, period) = (index / n_periods, index % n_periods);
            let d = if treated[unit] && period >= start { 1.0 } else { 0.0 };
            v.as_f64().map(|y| y - shift * d)
        })
        .collect();
    Panel::new(n_units, n_periods, outcome, treated, start).unwrap()
}

fn f(value: &Value) -> f64 {
    value.as_f64().unwrap()
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, relative: f64, what: &str) {
    let tolerance = relative * expected.abs().max(1.0);
    assert!((actual - expected).abs() <= tolerance, "{what}: {actual} vs {expected} (tolerance {tolerance})");
}

fn cluster_only() -> DidConfig {
    DidConfig { confidence_level: 0.95, wild_bootstrap: None, randomization: None }
}

/// Every inference, with enough replicates that the fixtures' cases are enumerated.
fn enumerating() -> DidConfig {
    DidConfig {
        confidence_level: 0.95,
        wild_bootstrap: Some(WildBootstrapConfig { replicates: 9_999, weights: WildWeights::Rademacher, seed: 1 }),
        randomization: Some(RandomizationConfig { draws: 100_000, seed: 1 }),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Reference fixtures

#[test]
fn did_matches_statsmodels_cluster_robust_ols_with_dummies() {
    let fixture = fixture("evaluation_did.json");
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let expected = &case["expected"];
        let result = did(&panel_of(case, 0.0), &cluster_only()).unwrap();
        assert_close(result.estimate, f(&expected["estimate"]), 1e-8, &format!("{name} estimate"));
        assert_close(result.std_error, f(&expected["std_error"]), 1e-8, &format!("{name} se"));
        assert_close(result.t_statistic, f(&expected["t_statistic"]), 1e-8, &format!("{name} t"));
        assert_close(result.p_value, f(&expected["p_value"]), 1e-8, &format!("{name} p"));
        assert_close(result.interval.lower.unwrap(), f(&expected["lower"]), 1e-8, &format!("{name} lower"));
        assert_close(result.interval.upper.unwrap(), f(&expected["upper"]), 1e-8, &format!("{name} upper"));
        assert_eq!(result.degrees_of_freedom as u64, expected["degrees_of_freedom"].as_u64().unwrap(), "{name}");
        assert_eq!(result.n_obs as u64, expected["n_obs"].as_u64().unwrap(), "{name}");
        assert_eq!(result.n_params as u64, expected["n_params"].as_u64().unwrap(), "{name}");
    }
}

#[test]
fn the_enumerated_wild_bootstrap_matches_wildboottest_at_several_nulls() {
    let fixture = fixture("evaluation_did.json");
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        for point in case["expected"]["wild_bootstrap"].as_array().unwrap() {
            let beta0 = f(&point["beta0"]);
            let result = did(&panel_of(case, beta0), &enumerating()).unwrap();
            let bootstrap = result.wild_bootstrap.unwrap();
            assert!(bootstrap.enumerated, "{name}");
            assert_eq!(bootstrap.replicates as u64, point["replicates"].as_u64().unwrap(), "{name}");
            assert_eq!(bootstrap.p_value, f(&point["p_value"]), "{name} at β₀ = {beta0}");
        }
    }
}

#[test]
fn exact_randomization_inference_matches_brute_force_at_several_nulls() {
    let fixture = fixture("evaluation_did.json");
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let expected = &case["expected"];
        for point in expected["randomization"].as_array().unwrap() {
            let beta0 = f(&point["beta0"]);
            let result = did(&panel_of(case, beta0), &enumerating()).unwrap();
            let randomization = result.randomization.unwrap();
            assert!(randomization.exact, "{name}");
            assert_eq!(randomization.assignments as u64, expected["randomization_assignments"].as_u64().unwrap());
            assert_close(randomization.p_value, f(&point["p_value"]), 1e-12, &format!("{name} at β₀ = {beta0}"));
        }
    }
}

/// The p-values of the bootstrap and the randomisation test at `β₀`, by testing `β = 0` on `y − β₀ D`.
fn p_values_at(case: &Value, beta0: f64) -> (f64, f64) {
    let result = did(&panel_of(case, beta0), &enumerating()).unwrap();
    (result.wild_bootstrap.unwrap().p_value, result.randomization.unwrap().p_value)
}

#[test]
fn interval_ends_are_where_the_p_value_crosses_alpha() {
    let fixture = fixture("evaluation_did.json");
    for name in ["balanced", "unbalanced"] {
        let case = case(&fixture, name);
        let result = did(&panel_of(case, 0.0), &enumerating()).unwrap();
        let step = 1e-6 * result.std_error;
        let bootstrap = result.wild_bootstrap.as_ref().unwrap().interval;
        let randomization = result.randomization.as_ref().unwrap();
        assert!(randomization.interval_is_connected, "{name}");
        let randomization = randomization.interval;
        for (end, outward) in [(bootstrap.lower.unwrap(), -1.0), (bootstrap.upper.unwrap(), 1.0)] {
            assert!(p_values_at(case, end - outward * step).0 > 0.05, "{name} bootstrap end {end} inside");
            assert!(p_values_at(case, end + outward * step).0 <= 0.05, "{name} bootstrap end {end} outside");
        }
        for (end, outward) in [(randomization.lower.unwrap(), -1.0), (randomization.upper.unwrap(), 1.0)] {
            assert!(p_values_at(case, end - outward * step).1 > 0.05, "{name} randomization end {end} inside");
            assert!(p_values_at(case, end + outward * step).1 <= 0.05, "{name} randomization end {end} outside");
        }
        // All three intervals contain the estimate and have a similar width.
        for interval in [result.interval, bootstrap, randomization] {
            let (lower, upper) = (interval.lower.unwrap(), interval.upper.unwrap());
            assert!(lower < result.estimate && result.estimate < upper, "{name}");
            assert!(upper - lower < 4.0 * (result.interval.upper.unwrap() - result.interval.lower.unwrap()));
        }
    }
}

#[test]
fn a_single_treated_unit_is_flagged_and_its_randomization_test_is_exact() {
    let fixture = fixture("evaluation_did.json");
    let result = did(&panel_of(case(&fixture, "single_treated"), 0.0), &enumerating()).unwrap();
    assert_eq!(result.n_treated_units, 1);
    assert_eq!(result.n_control_units, 11);
    assert!(result.warnings.contains(&EvaluationWarning::SingleTreatedUnit));
    assert!(result.warnings.contains(&EvaluationWarning::FewClusters { n_clusters: 12 }));
    let randomization = result.randomization.unwrap();
    assert!(randomization.exact);
    assert_eq!(randomization.assignments, 12);
    assert_eq!(randomization.min_p_value, 1.0 / 12.0);
    // 1/12 > 0.05: the design cannot reject at 5 %, and says so.
    assert!(result.warnings.contains(&EvaluationWarning::RandomizationCannotReject { min_p_value: 1.0 / 12.0 }));
    // The observed estimate is the most extreme of the twelve: p = 1/12, and no finite set excludes large effects.
    assert_eq!(randomization.p_value, 1.0 / 12.0);
    let json = serde_json::to_value(&result.warnings).unwrap();
    assert_eq!(json[0]["kind"], "single_treated_unit");
}

#[test]
fn few_treated_units_and_a_disconnected_panel_are_flagged() {
    let fixture = fixture("evaluation_did.json");
    let result = did(&panel_of(case(&fixture, "balanced"), 0.0), &cluster_only()).unwrap();
    assert_eq!(
        result.warnings,
        vec![
            EvaluationWarning::FewTreatedUnits { n_treated_units: 3 },
            EvaluationWarning::FewClusters { n_clusters: 12 }
        ]
    );

    // Units 0–5 are observed in periods 0–5 only, units 6–11 in periods 6–11 only: two separate panels. The
    // second has no cell before the start, so the estimate is the first panel's alone.
    let (n_units, n_periods, start) = (12, 12, 3);
    let value = |unit: usize, period: usize| {
        let d = if unit < 2 && period >= start { 1.7 } else { 0.0 };
        ((unit * 7 + period * 3) % 11) as f64 * 0.3 + unit as f64 + d
    };
    let treated: Vec<bool> = (0..n_units).map(|u| u < 2 || u == 8).collect();
    let outcome = (0..n_units * n_periods)
        .map(|i| {
            let (unit, period) = (i / n_periods, i % n_periods);
            ((unit < 6) == (period < 6)).then(|| value(unit, period))
        })
        .collect();
    let panel = Panel::new(n_units, n_periods, outcome, treated, start).unwrap();
    let both = did(&panel, &cluster_only()).unwrap();
    assert!(both.warnings.contains(&EvaluationWarning::DisconnectedPanel { components: 2 }));
    assert_eq!(both.n_params, 12 + 12 - 2 + 1);
    let first_only = (0..6 * 6).map(|i| Some(value(i / 6, i % 6))).collect();
    let first =
        did(&Panel::new(6, 6, first_only, (0..6).map(|u| u < 2).collect(), start).unwrap(), &cluster_only()).unwrap();
    assert!((both.estimate - first.estimate).abs() < 1e-12, "{} vs {}", both.estimate, first.estimate);
}

#[test]
fn event_study_matches_statsmodels() {
    let did_fixture = fixture("evaluation_did.json");
    let fixture = fixture("evaluation_event_study.json");
    for case in fixture["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let expected = &case["expected"];
        let panel = panel_of(self::case(&did_fixture, case["did_case"].as_str().unwrap()), 0.0);
        let config = EventStudyConfig {
            first_relative: case["first_relative"].as_i64().unwrap() as i32,
            last_relative: case["last_relative"].as_i64().unwrap() as i32,
            confidence_level: 0.95,
        };
        let result = event_study(&panel, &config).unwrap();
        assert_eq!(result.first_relative as i64, expected["first_relative"].as_i64().unwrap(), "{name}");
        assert_eq!(result.last_relative as i64, expected["last_relative"].as_i64().unwrap(), "{name}");
        assert_eq!(result.n_params as u64, expected["n_params"].as_u64().unwrap(), "{name}");
        let estimated: Vec<_> = result.coefficients.iter().filter(|c| !c.is_reference).collect();
        let reference: Vec<_> = result.coefficients.iter().filter(|c| c.is_reference).collect();
        assert_eq!(reference.len(), 1);
        assert_eq!((reference[0].relative, reference[0].estimate), (-1, 0.0));
        let expected_coefficients = expected["coefficients"].as_array().unwrap();
        assert_eq!(estimated.len(), expected_coefficients.len(), "{name}");
        for (actual, wanted) in estimated.iter().zip(expected_coefficients) {
            let what = format!("{name} r = {}", actual.relative);
            assert_eq!(actual.relative as i64, wanted["relative"].as_i64().unwrap(), "{what}");
            assert_close(actual.estimate, f(&wanted["estimate"]), 1e-8, &what);
            assert_close(actual.std_error, f(&wanted["std_error"]), 1e-8, &what);
            assert_close(actual.p_value.unwrap(), f(&wanted["p_value"]), 1e-8, &what);
            assert_close(actual.lower, f(&wanted["lower"]), 1e-8, &what);
            assert_close(actual.upper, f(&wanted["upper"]), 1e-8, &what);
        }
        let wald = result.pre_trend_test.unwrap();
        assert_close(wald.statistic, f(&expected["wald_statistic"]), 1e-8, &format!("{name} F"));
        assert_close(wald.p_value, f(&expected["wald_p_value"]), 1e-8, &format!("{name} F p"));
        assert_eq!(wald.df_num as u64, expected["wald_df_num"].as_u64().unwrap());
        assert_eq!(wald.df_denom as u64, expected["wald_df_denom"].as_u64().unwrap());
    }
}

#[test]
fn end_bins_are_marked_pooled_only_when_they_pool() {
    let fixture = fixture("evaluation_did.json");
    let panel = panel_of(case(&fixture, "balanced"), 0.0);
    let binned =
        event_study(&panel, &EventStudyConfig { first_relative: -4, last_relative: 2, confidence_level: 0.9 }).unwrap();
    let pooled: Vec<i32> = binned.coefficients.iter().filter(|c| c.pooled).map(|c| c.relative).collect();
    assert_eq!(pooled, vec![-4, 2]);
    let relatives: Vec<i32> = binned.coefficients.iter().map(|c| c.relative).collect();
    assert_eq!(relatives, vec![-4, -3, -2, -1, 0, 1, 2]);
    let wide = event_study(&panel, &EventStudyConfig { first_relative: -12, last_relative: 10, confidence_level: 0.9 })
        .unwrap();
    assert!(wide.coefficients.iter().all(|c| !c.pooled));
    assert_eq!((wide.first_relative, wide.last_relative), (-6, 3));
}

// ---------------------------------------------------------------------------------------------------------
// Simulation: a known effect injected into synthetic panels

const SIMULATION_SEED: u64 = 0x05EE_DD1D;

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut random::Stream) -> f64 {
    let u1: f64 = 1.0 - rng.random::<f64>();
    let u2: f64 = rng.random::<f64>();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

/// 30 units (the first 5 treated) × 36 months, the pilot from month 24, unit effects with sd 2, period effects
/// with sd 1 around a trend, AR(1) noise within unit (ρ = 0.5, innovation sd 1), and effect `effect`.
fn simulated_panel(run: u64, effect: f64) -> Panel {
    const UNITS: usize = 30;
    const TREATED: usize = 5;
    const PERIODS: usize = 36;
    const START: usize = 24;
    let mut rng = random::stream(SIMULATION_SEED, run);
    let period_effect: Vec<f64> = (0..PERIODS).map(|t| normal(&mut rng) + 0.05 * t as f64).collect();
    let mut outcome = Vec::with_capacity(UNITS * PERIODS);
    for unit in 0..UNITS {
        let unit_effect = 2.0 * normal(&mut rng);
        let mut noise = normal(&mut rng) / (1.0f64 - 0.25).sqrt();
        for (period, lambda) in period_effect.iter().enumerate() {
            let d = if unit < TREATED && period >= START { 1.0 } else { 0.0 };
            outcome.push(Some(20.0 + unit_effect + lambda + effect * d + noise));
            noise = 0.5 * noise + normal(&mut rng);
        }
    }
    Panel::new(UNITS, PERIODS, outcome, (0..UNITS).map(|u| u < TREATED).collect(), START).unwrap()
}

fn covers(interval: sakshy_analytics::evaluation::Interval, value: f64) -> bool {
    interval.lower.is_none_or(|l| l <= value) && interval.upper.is_none_or(|u| value <= u)
}

#[test]
fn simulation_the_estimator_is_unbiased_and_the_bootstrap_interval_covers_at_the_nominal_rate() {
    const RUNS: u64 = 1_000;
    const EFFECT: f64 = 2.0;
    let config = DidConfig {
        confidence_level: 0.95,
        wild_bootstrap: Some(WildBootstrapConfig { replicates: 399, weights: WildWeights::Rademacher, seed: 7 }),
        randomization: Some(RandomizationConfig { draws: 199, seed: 7 }),
    };
    let results: Vec<DidResult> =
        (0..RUNS).into_par_iter().map(|run| did(&simulated_panel(run, EFFECT), &config).unwrap()).collect();
    let n = RUNS as f64;
    let mean = results.iter().map(|r| r.estimate).sum::<f64>() / n;
    let sd = (results.iter().map(|r| (r.estimate - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let share = |covered: &dyn Fn(&DidResult) -> bool| results.iter().filter(|r| covered(r)).count() as f64 / n;
    let bootstrap = share(&|r| covers(r.wild_bootstrap.as_ref().unwrap().interval, EFFECT));
    let randomization = share(&|r| covers(r.randomization.as_ref().unwrap().interval, EFFECT));
    let cluster = share(&|r| covers(r.interval, EFFECT));
    let mean_se = results.iter().map(|r| r.std_error).sum::<f64>() / n;
    eprintln!(
        "mean β̂ {mean:.4} (sd {sd:.4}, mean cluster se {mean_se:.4}); coverage: wild bootstrap {bootstrap:.3}, \
         randomization {randomization:.3}, cluster t {cluster:.3}"
    );
    assert!((mean - EFFECT).abs() < 0.1 * sd, "bias {} against sd {sd}", mean - EFFECT);
    assert!((0.92..=0.98).contains(&bootstrap), "wild bootstrap coverage {bootstrap}");
    assert!((0.92..=0.98).contains(&randomization), "randomization coverage {randomization}");
    // With five treated units the cluster-robust t interval is known to be too short (MacKinnon & Webb 2017);
    // it is reported, and warned about, but only bounded loosely here.
    assert!(cluster > 0.80, "cluster t coverage {cluster}");
}

#[test]
fn simulation_randomization_inference_rejects_a_true_null_at_the_nominal_rate() {
    const RUNS: u64 = 1_000;
    let config = DidConfig {
        confidence_level: 0.95,
        wild_bootstrap: None,
        randomization: Some(RandomizationConfig { draws: 199, seed: 11 }),
    };
    let rejections = (0..RUNS)
        .into_par_iter()
        .filter(|&run| {
            did(&simulated_panel(10_000 + run, 0.0), &config).unwrap().randomization.unwrap().p_value <= 0.05
        })
        .count();
    let rate = rejections as f64 / RUNS as f64;
    eprintln!("randomization rejection rate under the null: {rate:.3}");
    // Monte Carlo sd of a 5 % rate over 1 000 runs is 0.0069: ±3 sd.
    assert!((0.029..=0.071).contains(&rate), "rejection rate {rate}");
}

// ---------------------------------------------------------------------------------------------------------
// Properties

/// A small random panel: `n_units` units, `n_treated` of them treated, some cells missing.
fn random_panel(seed: u64, n_units: usize, n_treated: usize, n_periods: usize, start: usize, missing: f64) -> Panel {
    let mut rng = random::stream(seed, 0);
    let mut outcome = Vec::new();
    for unit in 0..n_units {
        for period in 0..n_periods {
            let keep = period == start || period + 1 == start || rng.random::<f64>() >= missing;
            let d = if unit < n_treated && period >= start { 1.3 } else { 0.0 };
            outcome.push(keep.then(|| unit as f64 * 0.4 + (period as f64).sin() + d + normal(&mut rng)));
        }
    }
    Panel::new(n_units, n_periods, outcome, (0..n_units).map(|u| u < n_treated).collect(), start).unwrap()
}

/// The same panel with its units in the order `order` and `unit_shift[u]` added to unit `u`'s outcomes and
/// `period_shift[t]` to period `t`'s.
fn transformed(panel: &Panel, order: &[usize], unit_shift: &[f64], period_shift: &[f64]) -> Panel {
    let n_periods = panel.n_periods();
    let mut outcome = Vec::new();
    for &unit in order {
        for (period, shift) in period_shift.iter().enumerate().take(n_periods) {
            outcome.push(panel.outcome(unit, period).map(|y| y + unit_shift[unit] + shift));
        }
    }
    let treated = order.iter().map(|&u| panel.treated()[u]).collect();
    Panel::new(panel.n_units(), n_periods, outcome, treated, panel.start_period()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_estimate_does_not_depend_on_unit_order_or_on_unit_and_period_constants(
        seed in 0u64..1_000,
        n_units in 4usize..12,
        missing in 0.0f64..0.3,
        shuffle_seed in 0u64..1_000,
        unit_shift in proptest::collection::vec(-50.0f64..50.0, 12),
        period_shift in proptest::collection::vec(-50.0f64..50.0, 8),
    ) {
        let panel = random_panel(seed, n_units, 2, 8, 4, missing);
        let mut order: Vec<usize> = (0..n_units).collect();
        random::shuffle(&mut random::stream(shuffle_seed, 1), &mut order);
        let config = DidConfig {
            confidence_level: 0.9,
            wild_bootstrap: None,
            randomization: Some(RandomizationConfig { draws: 10_000, seed: 3 }),
        };
        let original = did(&panel, &config).unwrap();
        for other in [
            transformed(&panel, &order, &[0.0; 12], &[0.0; 8]),
            transformed(&panel, &(0..n_units).collect::<Vec<_>>(), &unit_shift, &period_shift),
        ] {
            let result = did(&other, &config).unwrap();
            let tolerance = 1e-8 * (1.0 + original.estimate.abs());
            prop_assert!((result.estimate - original.estimate).abs() < tolerance);
            prop_assert!((result.std_error - original.std_error).abs() < 1e-8 * (1.0 + original.std_error));
            let (a, b) = (result.randomization.unwrap(), original.randomization.as_ref().unwrap().clone());
            prop_assert!(a.exact && b.exact);
            prop_assert!((a.p_value - b.p_value).abs() < 1e-12);
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_result_on_one_and_on_four_threads() {
    let panel = simulated_panel(123, 1.0);
    let config = DidConfig {
        confidence_level: 0.95,
        wild_bootstrap: Some(WildBootstrapConfig { replicates: 999, weights: WildWeights::Webb, seed: 99 }),
        randomization: Some(RandomizationConfig { draws: 999, seed: 99 }),
    };
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| did(&panel, &config).unwrap())
    };
    let (one, four) = (run(1), run(4));
    assert!(!one.wild_bootstrap.as_ref().unwrap().enumerated && !one.randomization.as_ref().unwrap().exact);
    assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&four).unwrap());
    assert_eq!(one, four);
    // A different seed gives a different (sampled) result.
    let other = did(
        &panel,
        &DidConfig {
            wild_bootstrap: Some(WildBootstrapConfig { replicates: 999, weights: WildWeights::Webb, seed: 100 }),
            ..config.clone()
        },
    )
    .unwrap();
    assert_ne!(other.wild_bootstrap, one.wild_bootstrap);
}

// ---------------------------------------------------------------------------------------------------------
// Errors and edge cases

#[test]
fn invalid_panels_and_configurations_are_refused_with_the_reason() {
    let treated = vec![true, false];
    let cells = |n: usize| vec![Some(1.0); n];
    assert_eq!(Panel::new(0, 3, vec![], vec![], 1), Err(PanelError::Empty { n_units: 0, n_periods: 3 }));
    assert_eq!(
        Panel::new(2, 3, cells(5), treated.clone(), 1),
        Err(PanelError::OutcomeLength { expected: 6, found: 5 })
    );
    assert_eq!(Panel::new(2, 3, cells(6), vec![true], 1), Err(PanelError::TreatedLength { expected: 2, found: 1 }));
    assert_eq!(
        Panel::new(2, 3, cells(6), treated.clone(), 3),
        Err(PanelError::StartOutOfRange { start_period: 3, n_periods: 3 })
    );
    assert_eq!(
        Panel::new(2, 3, cells(6), treated.clone(), 0),
        Err(PanelError::StartOutOfRange { start_period: 0, n_periods: 3 })
    );
    assert_eq!(Panel::new(2, 3, cells(6), vec![false, false], 1), Err(PanelError::NoTreatedUnits));
    assert_eq!(Panel::new(2, 3, cells(6), vec![true, true], 1), Err(PanelError::NoControlUnits));
    let mut bad = cells(6);
    bad[4] = Some(f64::INFINITY);
    assert_eq!(Panel::new(2, 3, bad, treated.clone(), 1), Err(PanelError::NonFiniteOutcome { unit: 1, period: 1 }));

    let panel = random_panel(1, 6, 2, 6, 3, 0.0);
    let bad_level = DidConfig { confidence_level: 1.0, ..cluster_only() };
    assert_eq!(did(&panel, &bad_level), Err(EvaluationError::InvalidConfidenceLevel(1.0)));
    let zero = DidConfig { randomization: Some(RandomizationConfig { draws: 0, seed: 1 }), ..cluster_only() };
    assert_eq!(did(&panel, &zero), Err(EvaluationError::ZeroReplicates));
    assert_eq!(
        event_study(&panel, &EventStudyConfig { first_relative: -1, last_relative: 2, confidence_level: 0.95 }),
        Err(EvaluationError::InvalidEventWindow { first_relative: -1, last_relative: 2 })
    );
}

#[test]
fn an_effect_without_treated_data_after_the_start_is_not_identified() {
    // The treated unit 0 is observed only before the start.
    let mut outcome = vec![Some(1.0), Some(2.0), None, None];
    outcome.extend([Some(1.5), Some(2.5), Some(3.0), Some(2.0)]);
    outcome.extend([Some(0.5), Some(1.0), Some(1.2), Some(0.1)]);
    let panel = Panel::new(3, 4, outcome.clone(), vec![true, false, false], 2).unwrap();
    assert_eq!(did(&panel, &cluster_only()), Err(EvaluationError::NotIdentified));
    // The treated unit has no data at all.
    outcome[..4].iter_mut().for_each(|v| *v = None);
    let panel = Panel::new(3, 4, outcome, vec![true, false, false], 2).unwrap();
    assert_eq!(did(&panel, &cluster_only()), Err(EvaluationError::NoTreatedData));
}

#[test]
fn an_event_time_bin_without_treated_data_is_named() {
    // 8 periods, start 4; the treated unit misses relative period 1 (period 5).
    let n_units = 6;
    let mut outcome: Vec<Option<f64>> = (0..n_units * 8).map(|i| Some((i % 7) as f64 + (i / 8) as f64)).collect();
    outcome[5] = None;
    let treated = (0..n_units).map(|u| u == 0).collect();
    let panel = Panel::new(n_units, 8, outcome, treated, 4).unwrap();
    assert_eq!(
        event_study(&panel, &EventStudyConfig { first_relative: -3, last_relative: 3, confidence_level: 0.95 }),
        Err(EvaluationError::EmptyEventTimeBin { relative: 1 })
    );
}

#[test]
fn a_perfect_two_way_panel_recovers_the_effect_exactly() {
    // y = unit + period + 2.5·D with no noise: β̂ = 2.5 on a balanced and an unbalanced pattern.
    for missing in [vec![], vec![3, 9, 17, 22]] {
        let outcome = (0..30)
            .map(|i| {
                let (unit, period) = (i / 6, i % 6);
                let d = if unit < 2 && period >= 3 { 2.5 } else { 0.0 };
                (!missing.contains(&i)).then_some(unit as f64 * 3.0 - period as f64 + d)
            })
            .collect();
        let panel = Panel::new(5, 6, outcome, vec![true, true, false, false, false], 3).unwrap();
        let result = did(&panel, &cluster_only()).unwrap();
        assert!((result.estimate - 2.5).abs() < 1e-12, "{}", result.estimate);
        assert!(result.std_error < 1e-10);
        assert_eq!(result.n_obs, 30 - missing.len());
    }
}

#[test]
fn results_serialize_with_snake_case_fields_and_null_for_unbounded_ends() {
    let fixture = fixture("evaluation_did.json");
    let result = did(&panel_of(case(&fixture, "balanced"), 0.0), &enumerating()).unwrap();
    let json = serde_json::to_value(&result).unwrap();
    for key in ["estimate", "std_error", "interval", "n_treated_units", "wild_bootstrap", "randomization", "warnings"] {
        assert!(json.get(key).is_some(), "{key}");
    }
    assert_eq!(json["wild_bootstrap"]["weights"], "rademacher");
    assert!(json["interval"]["lower"].is_f64());
    let unbounded = sakshy_analytics::evaluation::Interval { lower: None, upper: Some(1.0) };
    assert_eq!(serde_json::to_string(&unbounded).unwrap(), r#"{"lower":null,"upper":1.0}"#);
}

// ---------------------------------------------------------------------------------------------------------
// Weighted displacement quotient

fn counts(r: (f64, f64), b: (f64, f64), c: (f64, f64)) -> DisplacementCounts {
    DisplacementCounts {
        response_before: r.0,
        response_after: r.1,
        buffer_before: b.0,
        buffer_after: b.1,
        control_before: c.0,
        control_after: c.1,
    }
}

#[test]
fn wdq_follows_bowers_and_johnson() {
    // R 100 → 60, B 80 → 70, C 1000 → 1000 (control flat).
    let result = weighted_displacement_quotient(&counts((100.0, 60.0), (80.0, 70.0), (1000.0, 1000.0))).unwrap();
    assert!((result.success_measure - (0.06 - 0.10)).abs() < 1e-15);
    assert!((result.buffer_measure - (0.07 - 0.08)).abs() < 1e-15);
    assert!((result.weighted_displacement_quotient.unwrap() - 0.25).abs() < 1e-12);
    // TNE = (100 − 60) + (80 − 70) = 50 offences prevented.
    assert!((result.total_net_effect - 50.0).abs() < 1e-12);
    assert_eq!(result.reading, Some(DisplacementReading::DiffusionOfBenefits));

    // Control grows by 10 %: R 50 → 30, B 40 → 60, C 500 → 550.
    let result = weighted_displacement_quotient(&counts((50.0, 30.0), (40.0, 60.0), (500.0, 550.0))).unwrap();
    let success = 30.0 / 550.0 - 50.0 / 500.0;
    let buffer = 60.0 / 550.0 - 40.0 / 500.0;
    assert!((result.weighted_displacement_quotient.unwrap() - buffer / success).abs() < 1e-12);
    assert!((result.total_net_effect - ((50.0 * 1.1 - 30.0) + (40.0 * 1.1 - 60.0))).abs() < 1e-12);
    // WDQ ≈ −0.645: displacement, smaller than the direct effect.
    assert_eq!(result.reading, Some(DisplacementReading::DisplacementSmallerThanDirectEffect));
}

#[test]
fn wdq_readings_cover_the_scale_and_need_a_success() {
    let reading = |buffer_after: f64| {
        weighted_displacement_quotient(&counts((100.0, 50.0), (100.0, buffer_after), (100.0, 100.0))).unwrap().reading
    };
    // Success measure −0.5; WDQ = (B_a − 100)/100 / −0.5.
    assert_eq!(reading(20.0), Some(DisplacementReading::DiffusionGreaterThanDirectEffect));
    assert_eq!(reading(80.0), Some(DisplacementReading::DiffusionOfBenefits));
    assert_eq!(reading(100.0), Some(DisplacementReading::NoDisplacementOrDiffusion));
    assert_eq!(reading(130.0), Some(DisplacementReading::DisplacementSmallerThanDirectEffect));
    assert_eq!(reading(180.0), Some(DisplacementReading::DisplacementGreaterThanDirectEffect));
    // No improvement in the response area: the quotient is given but not read.
    let worse = weighted_displacement_quotient(&counts((50.0, 100.0), (100.0, 80.0), (100.0, 100.0))).unwrap();
    assert_eq!(worse.reading, None);
    assert!(worse.weighted_displacement_quotient.is_some());
    let flat: Displacement =
        weighted_displacement_quotient(&counts((50.0, 50.0), (100.0, 80.0), (100.0, 100.0))).unwrap();
    assert_eq!((flat.weighted_displacement_quotient, flat.reading), (None, None));
    assert_eq!(
        weighted_displacement_quotient(&counts((1.0, 1.0), (1.0, 1.0), (0.0, 3.0))),
        Err(DisplacementError::EmptyControl)
    );
    assert_eq!(
        weighted_displacement_quotient(&counts((1.0, -1.0), (1.0, 1.0), (1.0, 3.0))),
        Err(DisplacementError::InvalidCount("response_after"))
    );
}
