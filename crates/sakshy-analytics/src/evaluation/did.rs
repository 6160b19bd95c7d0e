//! Difference-in-differences with two-way fixed effects: the estimate, cluster-robust inference, and the
//! configuration and result types shared with the bootstrap and the randomisation test.

use serde::Serialize;

use super::distributions::{student_t_critical, student_t_two_sided_p};
use super::linalg::Cholesky;
use super::panel::Panel;
use super::within::Within;
use super::{bootstrap, randomization};

/// Below this many treated (or control) units, cluster-robust inference is flagged as unreliable
/// ([`EvaluationWarning::FewTreatedUnits`], [`EvaluationWarning::FewControlUnits`]). A heuristic after MacKinnon
/// & Webb (2017, *J. Appl. Econometrics* 32:233–254), whose simulations show cluster-robust t-tests and the
/// wild bootstrap over- or under-rejecting badly when the treated clusters are this few.
pub const FEW_TREATED_UNITS: usize = 5;

/// Below this many clusters (units with data), cluster-robust standard errors are flagged as resting on few
/// clusters ([`EvaluationWarning::FewClusters`]); Cameron & Miller (2015, *J. Human Resources* 50:317–372) put
/// "few" somewhere between 20 and 50.
pub const FEW_CLUSTERS: usize = 20;

/// Relative tolerance under which two test statistics count as tied (so that a tie is counted as "at least as
/// extreme" whatever the rounding), in the bootstrap and the randomisation test.
pub(crate) const TIE_TOLERANCE: f64 = 1e-10;

/// Settings of [`did`].
#[derive(Debug, Clone, PartialEq)]
pub struct DidConfig {
    /// Confidence level of every interval, e.g. `0.95`.
    pub confidence_level: f64,
    /// The wild cluster bootstrap, or `None` to skip it.
    pub wild_bootstrap: Option<WildBootstrapConfig>,
    /// Randomisation inference over units, or `None` to skip it.
    pub randomization: Option<RandomizationConfig>,
}

/// Settings of the wild cluster restricted bootstrap.
#[derive(Debug, Clone, PartialEq)]
pub struct WildBootstrapConfig {
    /// Bootstrap replicates (e.g. 9 999). With Rademacher weights and `2^G ≤ replicates` (`G` clusters) all `2^G`
    /// sign vectors are used instead.
    pub replicates: usize,
    /// The distribution of the cluster weights.
    pub weights: WildWeights,
    /// Seed of the weight draws: replicate `r` uses [`crate::random::stream`]`(seed, r)`.
    pub seed: u64,
}

/// The distribution of the per-cluster weights of the wild bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WildWeights {
    /// ±1 with probability 1/2 each; the usual choice.
    Rademacher,
    /// Webb's six-point distribution ±√(1/2), ±1, ±√(3/2), each with probability 1/6 (Webb 2013, Queen's
    /// Economics WP 1315; 2023, *Can. J. Econ.* 56:1016–1050): more distinct draws when there are fewer than
    /// about 12 clusters.
    Webb,
}

/// Settings of randomisation inference over units.
#[derive(Debug, Clone, PartialEq)]
pub struct RandomizationConfig {
    /// The most assignments to use. When the number of ways to choose the treated units is at most this, all are
    /// enumerated (an exact test); otherwise this many are sampled.
    pub draws: usize,
    /// Seed of the sampled assignments: draw `r` uses [`crate::random::stream`]`(seed, r)`.
    pub seed: u64,
}

/// A confidence interval; `None` for an end that is unbounded (the data cannot exclude arbitrarily large
/// effects in that direction). Serialized as `{"lower": …, "upper": …}` with `null` for an unbounded end.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    /// Lower end.
    pub lower: Option<f64>,
    /// Upper end.
    pub upper: Option<f64>,
}

/// The difference-in-differences estimate of [`did`] with its uncertainty.
///
/// Units of `estimate`, `std_error` and the intervals are those of the outcome (offences per month, days, a
/// share, index points): the average change in the treated units after the start, over and above the change in
/// the control units.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DidResult {
    /// `β̂`, the difference-in-differences estimate.
    pub estimate: f64,
    /// Cluster-robust (by unit, CR1) standard error of `β̂`.
    pub std_error: f64,
    /// `β̂ / std_error`.
    pub t_statistic: f64,
    /// Two-sided p-value of `β = 0` from Student's t with `degrees_of_freedom`.
    pub p_value: f64,
    /// `β̂ ± t_{1−α/2, G−1} · std_error`.
    pub interval: Interval,
    /// The confidence level of every interval in this result.
    pub confidence_level: f64,
    /// `G − 1`, the degrees of freedom of the cluster-robust t.
    pub degrees_of_freedom: usize,
    /// Observed cells used.
    pub n_obs: usize,
    /// Units with at least one observed cell (the clusters, `G`).
    pub n_units: usize,
    /// Periods with at least one observed cell.
    pub n_periods: usize,
    /// Treated units with data.
    pub n_treated_units: usize,
    /// Control units with data.
    pub n_control_units: usize,
    /// Parameters of the equivalent dummy regression (`K` in the CR1 correction).
    pub n_params: usize,
    /// The wild cluster bootstrap, when asked for.
    pub wild_bootstrap: Option<WildBootstrapResult>,
    /// Randomisation inference, when asked for.
    pub randomization: Option<RandomizationResult>,
    /// What limits the reading of this result.
    pub warnings: Vec<EvaluationWarning>,
}

/// The wild cluster restricted bootstrap of the DiD estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WildBootstrapResult {
    /// The weight distribution used.
    pub weights: WildWeights,
    /// Replicates used (`2^G` when enumerated).
    pub replicates: usize,
    /// Whether every Rademacher sign vector was used (the result is then exact and does not depend on `seed`).
    pub enumerated: bool,
    /// The seed of the draws.
    pub seed: u64,
    /// Symmetric bootstrap-t p-value of `β = 0`: the share of replicates with `|t*| ≥ |t|`.
    pub p_value: f64,
    /// The set of `β₀` whose p-value exceeds `1 − confidence_level`, found by bisection from the estimate
    /// outwards on each side.
    pub interval: Interval,
}

/// Randomisation (permutation) inference over which units are treated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RandomizationResult {
    /// Assignments compared: all of them (with the observed one) when `exact`, else the sampled ones. Assignments
    /// whose treated units have no observed cell from the start on (the estimate is undefined) are left out.
    pub assignments: usize,
    /// Whether every assignment was enumerated.
    pub exact: bool,
    /// The seed of the sampled assignments (unused when `exact`).
    pub seed: u64,
    /// p-value of "no effect in any unit" (`β = 0` as a sharp null): the share of assignments whose estimate is
    /// at least as far from 0 as the observed one — `count / assignments` when exact (the observed assignment
    /// is among them), `(count + 1) / (assignments + 1)` when sampled.
    pub p_value: f64,
    /// The smallest p-value the design allows (`1 / assignments` or `1 / (assignments + 1)`).
    pub min_p_value: f64,
    /// The constant additive effects `β₀` not rejected at `1 − confidence_level` (exact test inversion; its
    /// hull when the set is not one interval).
    pub interval: Interval,
    /// Whether the set of effects not rejected is one interval (else `interval` is its hull).
    pub interval_is_connected: bool,
}

/// A limit of the design that a reader of the result must know, as data for pages in every language.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EvaluationWarning {
    /// One treated unit: cluster-robust standard errors and the wild bootstrap are unreliable (Conley & Taber
    /// 2011; MacKinnon & Webb 2017); read the randomisation p-value.
    SingleTreatedUnit,
    /// Fewer than [`FEW_TREATED_UNITS`] treated units (but more than one): cluster-robust and bootstrap
    /// inference may be far from nominal; prefer the randomisation test.
    FewTreatedUnits {
        /// Treated units with data.
        n_treated_units: usize,
    },
    /// Fewer than [`FEW_TREATED_UNITS`] control units: the comparison rests on very few units.
    FewControlUnits {
        /// Control units with data.
        n_control_units: usize,
    },
    /// Fewer than [`FEW_CLUSTERS`] units: cluster-robust standard errors rest on few clusters.
    FewClusters {
        /// Units with data.
        n_clusters: usize,
    },
    /// The units and periods with data fall into separate groups that share no unit or period, so the effects
    /// are compared only within each group.
    DisconnectedPanel {
        /// Number of separate groups.
        components: usize,
    },
    /// The randomisation test cannot reach the chosen significance level with so few assignments.
    RandomizationCannotReject {
        /// The smallest attainable p-value.
        min_p_value: f64,
    },
    /// The enumerated wild bootstrap has too few distinct draws to reach the chosen significance level.
    BootstrapCannotReject {
        /// The smallest attainable p-value.
        min_p_value: f64,
    },
    /// The joint pre-trend test of an event study could not be computed: the cluster covariance of the leads is
    /// singular (more leads than clusters allow).
    PreTrendTestUnavailable,
}

/// Why an evaluation could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvaluationError {
    /// The confidence level must lie strictly between 0 and 1.
    #[error("confidence level {0} is not strictly between 0 and 1")]
    InvalidConfidenceLevel(f64),
    /// Bootstrap replicates or randomisation draws must be at least 1.
    #[error("the number of bootstrap replicates or randomisation draws must be at least 1")]
    ZeroReplicates,
    /// No treated unit has an observed cell.
    #[error("no treated unit has any observed value")]
    NoTreatedData,
    /// No control unit has an observed cell.
    #[error("no control unit has any observed value")]
    NoControlData,
    /// After removing unit and period effects nothing of the treatment indicator is left: the treated units have
    /// no observed cell before the start, or none after it.
    #[error("the effect is not identified: the treated units need observed values both before and after the start")]
    NotIdentified,
    /// As many parameters as observed cells: no residual variation to estimate uncertainty from.
    #[error("{n_obs} observed values are too few for {n_params} parameters")]
    NoResidualDegreesOfFreedom {
        /// Observed cells.
        n_obs: usize,
        /// Parameters of the dummy regression.
        n_params: usize,
    },
    /// The pattern of observed cells makes the fixed-effect equations numerically singular.
    #[error("the pattern of observed values makes the unit and period effects numerically singular")]
    IllConditioned,
    /// The event window must have its first relative period at most −2 and its last at least 0.
    #[error("event window {first_relative}..={last_relative} must start at −2 or earlier and end at 0 or later")]
    InvalidEventWindow {
        /// First relative period asked for.
        first_relative: i32,
        /// Last relative period asked for.
        last_relative: i32,
    },
    /// No treated unit has an observed cell at this period relative to the start, so its coefficient is not
    /// identified.
    #[error("no treated unit has an observed value at relative period {relative}")]
    EmptyEventTimeBin {
        /// Period relative to the start (0 = the first period of the pilot).
        relative: i32,
    },
}

/// Estimates the effect of the pilot by two-way fixed-effects difference-in-differences (see the
/// [module docs](super)), with cluster-robust, wild-bootstrap and randomisation inference.
///
/// # Errors
///
/// [`EvaluationError`] for an invalid configuration, or when the data cannot identify the effect.
///
/// # References
///
/// Angrist & Pischke (2009), *Mostly Harmless Econometrics*, §5.2; Cameron & Miller (2015), *J. Human
/// Resources* 50:317–372; Roodman et al. (2019), *Stata J.* 19:4–60; MacKinnon & Webb (2020),
/// *J. Econometrics* 218:435–450.
pub fn did(panel: &Panel, config: &DidConfig) -> Result<DidResult, EvaluationError> {
    check_confidence_level(config.confidence_level)?;
    if config.wild_bootstrap.as_ref().is_some_and(|b| b.replicates == 0)
        || config.randomization.as_ref().is_some_and(|r| r.draws == 0)
    {
        return Err(EvaluationError::ZeroReplicates);
    }
    let design = Design::new(panel)?;
    let treatment = design.treatment();
    let y_tilde = design.within.residualize(&design.outcome);
    let d_tilde = design.within.residualize(&treatment);
    let raw_norm = treatment.iter().map(|d| d * d).sum::<f64>();
    let fit = fit_clustered(&design.within, &y_tilde, std::slice::from_ref(&d_tilde), &[raw_norm])
        .map_err(|e| e.into_error(|_| EvaluationError::NotIdentified))?;
    let estimate = fit.beta[0];
    let std_error = fit.covariance[0].max(0.0).sqrt();
    let n_clusters = design.within.n_units();
    let degrees_of_freedom = n_clusters - 1;
    let t_statistic = estimate / std_error;
    let alpha = 1.0 - config.confidence_level;
    let critical = student_t_critical(alpha, degrees_of_freedom as f64);
    let interval =
        Interval { lower: Some(estimate - critical * std_error), upper: Some(estimate + critical * std_error) };

    let mut warnings = design.warnings();
    let wild_bootstrap = config.wild_bootstrap.as_ref().map(|bootstrap_config| {
        bootstrap::wild_cluster_restricted(
            &design.within,
            &y_tilde,
            &d_tilde,
            &bootstrap::Original { estimate, std_error, scale: fit.scale },
            alpha,
            bootstrap_config,
        )
    });
    if let Some(result) = wild_bootstrap.as_ref().filter(|b| b.enumerated) {
        // Each sign vector and its negation give the same |t*|, so the smallest p-value is 2 / 2^G.
        let min_p_value = 2.0 / result.replicates as f64;
        if min_p_value > alpha {
            warnings.push(EvaluationWarning::BootstrapCannotReject { min_p_value });
        }
    }
    let randomization = config
        .randomization
        .as_ref()
        .map(|randomization_config| randomization::permute_units(&design, &y_tilde, alpha, randomization_config));
    if let Some(result) = randomization.as_ref().filter(|r| r.min_p_value > alpha) {
        warnings.push(EvaluationWarning::RandomizationCannotReject { min_p_value: result.min_p_value });
    }

    Ok(DidResult {
        estimate,
        std_error,
        t_statistic,
        p_value: student_t_two_sided_p(t_statistic, degrees_of_freedom as f64),
        interval,
        confidence_level: config.confidence_level,
        degrees_of_freedom,
        n_obs: design.within.n_obs(),
        n_units: n_clusters,
        n_periods: design.within.n_periods(),
        n_treated_units: design.n_treated_units(),
        n_control_units: n_clusters - design.n_treated_units(),
        n_params: fit.n_params,
        wild_bootstrap,
        randomization,
        warnings,
    })
}

pub(crate) fn check_confidence_level(level: f64) -> Result<(), EvaluationError> {
    if level > 0.0 && level < 1.0 { Ok(()) } else { Err(EvaluationError::InvalidConfidenceLevel(level)) }
}

/// The observed cells of a panel, with units and periods that have data renumbered compactly, and the within
/// projector of their pattern.
pub(crate) struct Design {
    pub(crate) within: Within,
    /// The outcome of each observation.
    pub(crate) outcome: Vec<f64>,
    /// The panel's period index of each compact period.
    pub(crate) period_original: Vec<usize>,
    /// Whether each compact unit is treated.
    pub(crate) treated: Vec<bool>,
    pub(crate) start_period: usize,
}

impl Design {
    pub(crate) fn new(panel: &Panel) -> Result<Design, EvaluationError> {
        let mut unit_compact = vec![usize::MAX; panel.n_units()];
        let mut period_has_data = vec![false; panel.n_periods()];
        let mut n_units = 0;
        for (unit, period, _) in panel.observations() {
            if unit_compact[unit] == usize::MAX {
                unit_compact[unit] = n_units;
                n_units += 1;
            }
            period_has_data[period] = true;
        }
        let mut period_compact = vec![usize::MAX; panel.n_periods()];
        let mut period_original = Vec::new();
        for period in (0..panel.n_periods()).filter(|&p| period_has_data[p]) {
            period_compact[period] = period_original.len();
            period_original.push(period);
        }
        let mut treated = vec![false; n_units];
        for (unit, &compact) in unit_compact.iter().enumerate() {
            if compact != usize::MAX {
                treated[compact] = panel.treated()[unit];
            }
        }
        if !treated.iter().any(|&t| t) {
            return Err(EvaluationError::NoTreatedData);
        }
        if treated.iter().all(|&t| t) {
            return Err(EvaluationError::NoControlData);
        }
        let (mut units, mut periods, mut outcome) = (Vec::new(), Vec::new(), Vec::new());
        for (unit, period, value) in panel.observations() {
            units.push(unit_compact[unit]);
            periods.push(period_compact[period]);
            outcome.push(value);
        }
        let n_periods = period_original.len();
        let within = Within::new(units, periods, n_units, n_periods).map_err(|_| EvaluationError::IllConditioned)?;
        Ok(Design { within, outcome, period_original, treated, start_period: panel.start_period() })
    }

    /// Whether observation `i` is in a period from the start on.
    pub(crate) fn is_post(&self, i: usize) -> bool {
        self.period_original[self.within.periods()[i]] >= self.start_period
    }

    /// The treatment indicator `D` of each observation.
    pub(crate) fn treatment(&self) -> Vec<f64> {
        (0..self.within.n_obs())
            .map(|i| if self.treated[self.within.units()[i]] && self.is_post(i) { 1.0 } else { 0.0 })
            .collect()
    }

    pub(crate) fn n_treated_units(&self) -> usize {
        self.treated.iter().filter(|&&t| t).count()
    }

    /// The warnings that depend on the design only.
    pub(crate) fn warnings(&self) -> Vec<EvaluationWarning> {
        let mut warnings = Vec::new();
        let n_treated_units = self.n_treated_units();
        let n_control_units = self.within.n_units() - n_treated_units;
        if n_treated_units == 1 {
            warnings.push(EvaluationWarning::SingleTreatedUnit);
        } else if n_treated_units < FEW_TREATED_UNITS {
            warnings.push(EvaluationWarning::FewTreatedUnits { n_treated_units });
        }
        if n_control_units < FEW_TREATED_UNITS {
            warnings.push(EvaluationWarning::FewControlUnits { n_control_units });
        }
        if self.within.n_units() < FEW_CLUSTERS {
            warnings.push(EvaluationWarning::FewClusters { n_clusters: self.within.n_units() });
        }
        if self.within.components() > 1 {
            warnings.push(EvaluationWarning::DisconnectedPanel { components: self.within.components() });
        }
        warnings
    }
}

/// OLS of within-transformed data with a cluster-robust (by unit, CR1) covariance.
pub(crate) struct ClusterFit {
    pub(crate) beta: Vec<f64>,
    /// `k × k`, row-major, including the CR1 factor.
    pub(crate) covariance: Vec<f64>,
    /// The CR1 factor `G/(G−1) · (N−1)/(N−K)`.
    pub(crate) scale: f64,
    pub(crate) n_params: usize,
}

/// Why [`fit_clustered`] failed.
pub(crate) enum FitError {
    /// Regressor `index` is (numerically) a combination of the fixed effects and the earlier regressors.
    Collinear(usize),
    NoResidualDegreesOfFreedom {
        n_obs: usize,
        n_params: usize,
    },
}

impl FitError {
    /// The public error, with `collinear` saying what a collinear regressor means to the caller.
    pub(crate) fn into_error(self, collinear: impl FnOnce(usize) -> EvaluationError) -> EvaluationError {
        match self {
            FitError::Collinear(index) => collinear(index),
            FitError::NoResidualDegreesOfFreedom { n_obs, n_params } => {
                EvaluationError::NoResidualDegreesOfFreedom { n_obs, n_params }
            }
        }
    }
}

/// Regresses `y_tilde` on the columns `x_tilde` (all already within-transformed); `raw_norms[j]` is `Σ x_j²`
/// before the transformation, to judge whether anything of `x_j` is left.
pub(crate) fn fit_clustered(
    within: &Within,
    y_tilde: &[f64],
    x_tilde: &[Vec<f64>],
    raw_norms: &[f64],
) -> Result<ClusterFit, FitError> {
    let k = x_tilde.len();
    let n_obs = within.n_obs();
    let n_clusters = within.n_units();
    let mut xtx = vec![0.0; k * k];
    let mut xty = vec![0.0; k];
    for j in 0..k {
        for l in 0..=j {
            let dot: f64 = x_tilde[j].iter().zip(&x_tilde[l]).map(|(a, b)| a * b).sum();
            xtx[j * k + l] = dot;
            xtx[l * k + j] = dot;
        }
        xty[j] = x_tilde[j].iter().zip(y_tilde).map(|(a, b)| a * b).sum();
        let something_left = xtx[j * k + j] > 1e-10 * raw_norms[j];
        if !something_left {
            return Err(FitError::Collinear(j));
        }
    }
    let factor = Cholesky::factor(&xtx, k, 1e-10).ok_or_else(|| {
        // Name the first column that fails on its own with the earlier ones.
        (1..=k).find(|&m| Cholesky::factor(&leading(&xtx, k, m), m, 1e-10).is_none()).map_or(0, |m| m - 1)
    });
    let factor = factor.map_err(FitError::Collinear)?;
    let beta = factor.solve(&xty);
    let n_params = within.rank() + k;
    if n_obs <= n_params {
        return Err(FitError::NoResidualDegreesOfFreedom { n_obs, n_params });
    }
    let mut scores = vec![0.0; n_clusters * k];
    for (i, (&cluster, &y)) in within.units().iter().zip(y_tilde).enumerate() {
        let fitted: f64 = (0..k).map(|j| x_tilde[j][i] * beta[j]).sum();
        let residual = y - fitted;
        for j in 0..k {
            scores[cluster * k + j] += x_tilde[j][i] * residual;
        }
    }
    let mut meat = vec![0.0; k * k];
    for score in scores.chunks_exact(k) {
        for j in 0..k {
            for l in 0..k {
                meat[j * k + l] += score[j] * score[l];
            }
        }
    }
    let bread = factor.inverse();
    let g = n_clusters as f64;
    let scale = g / (g - 1.0) * ((n_obs as f64 - 1.0) / (n_obs - n_params) as f64);
    let sandwich = super::linalg::matmul(&super::linalg::matmul(&bread, &meat, k, k, k), &bread, k, k, k);
    let covariance = sandwich.iter().map(|v| v * scale).collect();
    Ok(ClusterFit { beta, covariance, scale, n_params })
}

/// The leading `m × m` block of a row-major `k × k` matrix.
fn leading(matrix: &[f64], k: usize, m: usize) -> Vec<f64> {
    (0..m).flat_map(|i| (0..m).map(move |j| matrix[i * k + j])).collect()
}
