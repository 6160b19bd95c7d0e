//! The event study: DiD coefficients period by period relative to the pilot's start, for a pre-trends chart,
//! with a joint Wald test that the leads are zero.
//!
//! # Model
//!
//! ```text
//! y_it = α_i + λ_t + Σ_{r ≠ −1} β_r · treated_i · [bin(t − start) = r] + ε_it
//! ```
//!
//! The relative periods run from `first_relative` to `last_relative`; the ends are binned (`r ≤ first` counts as
//! `first`, `r ≥ last` as `last`), and `r = −1`, the last period before the start, is the reference (its
//! coefficient is 0 by construction). A window wider than the data is narrowed to the relative periods the
//! treated units have. Estimation and cluster-robust (CR1, by unit) covariance are as for [`super::did`]; the
//! leads (`r ≤ −2`) are tested jointly with `F = β_Lᵀ V_LL⁻¹ β_L / q` on `(q, G − 1)` degrees of freedom
//! (`statsmodels` `wald_test(..., use_f=True)` after `cov_type='cluster', use_t=True`).
//!
//! With a common start the leads compare the treated and control units before the pilot: coefficients near 0
//! support parallel trends; they do not prove them (Roth 2022, *AER: Insights* 4:305–322, on the low power of
//! pre-trend tests).

use serde::Serialize;

use super::did::{Design, EvaluationError, EvaluationWarning, check_confidence_level, fit_clustered};
use super::distributions::{f_survival, student_t_critical, student_t_two_sided_p};
use super::linalg::Cholesky;
use super::panel::Panel;

/// Settings of [`event_study`].
#[derive(Debug, Clone, PartialEq)]
pub struct EventStudyConfig {
    /// The first relative period shown (≤ −2); earlier periods are pooled into it.
    pub first_relative: i32,
    /// The last relative period shown (≥ 0); later periods are pooled into it.
    pub last_relative: i32,
    /// Confidence level of the intervals, e.g. `0.95`.
    pub confidence_level: f64,
}

/// The coefficients of an event study and the joint pre-trend test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventStudyResult {
    /// One coefficient per relative period from `first_relative` to `last_relative`, in order, including the
    /// reference period −1 (estimate 0).
    pub coefficients: Vec<EventTimeCoefficient>,
    /// The first relative period used (the window asked for, narrowed to the data).
    pub first_relative: i32,
    /// The last relative period used.
    pub last_relative: i32,
    /// Joint test that all leads (relative periods ≤ −2) are zero; `None` without leads or when the covariance
    /// of the leads is singular.
    pub pre_trend_test: Option<WaldTest>,
    /// Confidence level of the intervals.
    pub confidence_level: f64,
    /// `G − 1`.
    pub degrees_of_freedom: usize,
    /// Observed cells used.
    pub n_obs: usize,
    /// Units with data (clusters).
    pub n_units: usize,
    /// Periods with data.
    pub n_periods: usize,
    /// Treated units with data.
    pub n_treated_units: usize,
    /// Parameters of the equivalent dummy regression.
    pub n_params: usize,
    /// What limits the reading of this result.
    pub warnings: Vec<EvaluationWarning>,
}

/// The effect at one period relative to the start (0 = the first period of the pilot).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventTimeCoefficient {
    /// Period relative to the start.
    pub relative: i32,
    /// The coefficient: the treated-minus-control difference at this relative period, minus that at −1.
    pub estimate: f64,
    /// Cluster-robust standard error (0 for the reference period).
    pub std_error: f64,
    /// Lower end of the `t_{G−1}` interval.
    pub lower: f64,
    /// Upper end of the `t_{G−1}` interval.
    pub upper: f64,
    /// Two-sided p-value of a zero coefficient; `None` for the reference period.
    pub p_value: Option<f64>,
    /// Whether this is the reference period (−1), fixed at 0.
    pub is_reference: bool,
    /// Whether this is an end bin pooling more than one relative period of the data.
    pub pooled: bool,
}

/// A joint Wald test, as an F statistic.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WaldTest {
    /// `W / q`.
    pub statistic: f64,
    /// `q`, the number of restrictions.
    pub df_num: usize,
    /// `G − 1`.
    pub df_denom: usize,
    /// `P(F ≥ statistic)`.
    pub p_value: f64,
}

/// Estimates an event study of the pilot (see the module docs of `event_study`).
///
/// # Errors
///
/// [`EvaluationError::InvalidEventWindow`] unless `first_relative ≤ −2` and `last_relative ≥ 0`;
/// [`EvaluationError::EmptyEventTimeBin`] when no treated unit is observed at a relative period inside the
/// window; the errors of [`super::did`] otherwise.
///
/// # References
///
/// Freyaldenhoven et al. (2021), "Visualization, identification, and estimation in the linear panel event-study
/// design", NBER WP 29170; Roth (2022), *AER: Insights* 4:305–322.
pub fn event_study(panel: &Panel, config: &EventStudyConfig) -> Result<EventStudyResult, EvaluationError> {
    check_confidence_level(config.confidence_level)?;
    if config.first_relative > -2 || config.last_relative < 0 {
        return Err(EvaluationError::InvalidEventWindow {
            first_relative: config.first_relative,
            last_relative: config.last_relative,
        });
    }
    let design = Design::new(panel)?;
    let within = &design.within;
    let start = design.start_period as i64;
    // The relative period of each treated observation.
    let relative: Vec<Option<i64>> = (0..within.n_obs())
        .map(|i| design.treated[within.units()[i]].then(|| design.period_original[within.periods()[i]] as i64 - start))
        .collect();
    let (data_min, data_max) =
        relative.iter().flatten().fold((i64::MAX, i64::MIN), |(lo, hi), &r| (lo.min(r), hi.max(r)));
    if data_min >= 0 || data_max < 0 {
        return Err(EvaluationError::NotIdentified);
    }
    let first = (config.first_relative as i64).max(data_min);
    let last = (config.last_relative as i64).min(data_max);
    let columns_relative: Vec<i64> = (first..=last).filter(|&r| r != -1).collect();
    let column_of = |r: i64| -> Option<usize> {
        let binned = r.clamp(first, last);
        (binned != -1).then(|| columns_relative.iter().position(|&c| c == binned).expect("every bin has a column"))
    };
    let k = columns_relative.len();
    let mut regressors = vec![vec![0.0; within.n_obs()]; k];
    let mut raw_norms = vec![0.0; k];
    for (i, r) in relative.iter().enumerate() {
        if let Some(column) = r.and_then(column_of) {
            regressors[column][i] = 1.0;
            raw_norms[column] += 1.0;
        }
    }
    if let Some(column) = raw_norms.iter().position(|&n| n == 0.0) {
        return Err(EvaluationError::EmptyEventTimeBin { relative: columns_relative[column] as i32 });
    }
    let y_tilde = within.residualize(&design.outcome);
    let x_tilde: Vec<Vec<f64>> = regressors.iter().map(|x| within.residualize(x)).collect();
    let fit = fit_clustered(within, &y_tilde, &x_tilde, &raw_norms)
        .map_err(|e| e.into_error(|_| EvaluationError::NotIdentified))?;

    let degrees_of_freedom = within.n_units() - 1;
    let df = degrees_of_freedom as f64;
    let critical = student_t_critical(1.0 - config.confidence_level, df);
    let mut coefficients = Vec::with_capacity(k + 1);
    for r in first..=last {
        let pooled = (r == first && first > data_min) || (r == last && last < data_max);
        match column_of(r) {
            None => coefficients.push(EventTimeCoefficient {
                relative: r as i32,
                estimate: 0.0,
                std_error: 0.0,
                lower: 0.0,
                upper: 0.0,
                p_value: None,
                is_reference: true,
                pooled,
            }),
            Some(column) => {
                let estimate = fit.beta[column];
                let std_error = fit.covariance[column * k + column].max(0.0).sqrt();
                coefficients.push(EventTimeCoefficient {
                    relative: r as i32,
                    estimate,
                    std_error,
                    lower: estimate - critical * std_error,
                    upper: estimate + critical * std_error,
                    p_value: Some(student_t_two_sided_p(estimate / std_error, df)),
                    is_reference: false,
                    pooled,
                });
            }
        }
    }

    let mut warnings = design.warnings();
    let leads: Vec<usize> = (0..k).filter(|&c| columns_relative[c] <= -2).collect();
    let pre_trend_test = if leads.is_empty() {
        None
    } else {
        let q = leads.len();
        let sub: Vec<f64> = leads
            .iter()
            .flat_map(|&i| leads.iter().map(move |&j| (i, j)))
            .map(|(i, j)| fit.covariance[i * k + j])
            .collect();
        let beta: Vec<f64> = leads.iter().map(|&i| fit.beta[i]).collect();
        match Cholesky::factor(&sub, q, 1e-10) {
            Some(factor) => {
                let solved = factor.solve(&beta);
                let wald: f64 = beta.iter().zip(&solved).map(|(b, s)| b * s).sum();
                let statistic = wald / q as f64;
                Some(WaldTest {
                    statistic,
                    df_num: q,
                    df_denom: degrees_of_freedom,
                    p_value: f_survival(statistic, q as f64, df),
                })
            }
            None => {
                warnings.push(EvaluationWarning::PreTrendTestUnavailable);
                None
            }
        }
    };

    Ok(EventStudyResult {
        coefficients,
        first_relative: first as i32,
        last_relative: last as i32,
        pre_trend_test,
        confidence_level: config.confidence_level,
        degrees_of_freedom,
        n_obs: within.n_obs(),
        n_units: within.n_units(),
        n_periods: within.n_periods(),
        n_treated_units: design.n_treated_units(),
        n_params: fit.n_params,
        warnings,
    })
}
