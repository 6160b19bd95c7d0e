//! Weighted means and proportions per group with linearised (Taylor) confidence intervals.

use std::collections::BTreeMap;

use serde::Serialize;

use super::ResponseTable;
use super::distribution::student_t_quantile;

/// Why an estimate cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EstimateError {
    /// The values do not have one entry per respondent.
    #[error("{found} values for {expected} respondents")]
    ValuesLength {
        /// Number of respondents.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// The domain mask or group labels do not have one entry per respondent.
    #[error("{found} group labels or domain flags for {expected} respondents")]
    GroupsLength {
        /// Number of respondents.
        expected: usize,
        /// Number of labels given.
        found: usize,
    },
    /// A value is NaN or infinite (a missing answer is `None`).
    #[error("respondent {respondent}: value {value} is not finite (use None for missing)")]
    InvalidValue {
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The offending value.
        value: f64,
    },
    /// A proportion needs values 0 or 1.
    #[error("respondent {respondent}: value {value} is not 0 or 1, as a proportion needs")]
    NotBinary {
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The offending value.
        value: f64,
    },
    /// The confidence level is not strictly between 0 and 1.
    #[error("confidence level {0} is not in (0, 1)")]
    InvalidConfidence(f64),
    /// The bootstrap needs at least two replicates.
    #[error("{0} bootstrap replicates: need at least 2")]
    TooFewReplicates(usize),
}

/// What is estimated: a mean, or a proportion (the mean of values coded 0/1; see [`indicator`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The weighted mean; interval `mean ± t·se`.
    Mean,
    /// The weighted proportion of 1s; the interval is built on the logit scale (see [`estimate`]).
    Proportion,
}

/// How to estimate and when to suppress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstimateConfig {
    /// Groups with fewer respondents than this (with a value) are suppressed; 30 is the default the issue
    /// asks for. An estimate always needs at least 2.
    pub min_n: usize,
    /// Confidence level of the interval, e.g. 0.95.
    pub confidence: f64,
}

impl EstimateConfig {
    /// The issue's defaults: suppress groups under 30 respondents, 95 % intervals.
    pub const STANDARD: EstimateConfig = EstimateConfig { min_n: 30, confidence: 0.95 };
}

/// An estimate for one group, or only its size when suppressed.
///
/// Serialized as `{"n": 12, "suppressed": true}` or `{"n": 240, "suppressed": false, "mean": …, "se": …,
/// "ci_low": …, "ci_high": …, "n_eff": …, "df": …}`. A suppressed estimate carries no value at all, so none
/// can leak into a page or an export.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Estimate {
    /// Respondents in the group with a value (unweighted).
    pub n: usize,
    /// Whether the estimate is withheld because `n < min_n`.
    pub suppressed: bool,
    /// The estimate; `None` exactly when suppressed.
    #[serde(flatten)]
    pub value: Option<EstimateValue>,
}

/// The numbers of an estimate that is not suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EstimateValue {
    /// The weighted mean (0–100 for an index), or the proportion (0–1).
    pub mean: f64,
    /// Linearised standard error of `mean`.
    pub se: f64,
    /// Lower end of the confidence interval.
    pub ci_low: f64,
    /// Upper end of the confidence interval.
    pub ci_high: f64,
    /// Kish's effective sample size `(Σw)² / Σw²` over the group's respondents with a value.
    pub n_eff: f64,
    /// Degrees of freedom of the t quantile: respondents minus strata, over the strata the group touches.
    pub df: f64,
}

/// An estimate labelled with its group (quadrant, district or city code).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupEstimate {
    /// The group's label.
    pub group: String,
    /// Its estimate.
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// 0/1 values from item answers: `Some(1.0)` where `is_yes(answer)`, `Some(0.0)` for other answers, `None`
/// where the answer is missing. Feed the result to [`estimate`] with [`Target::Proportion`].
pub fn indicator(values: &[Option<f64>], is_yes: impl Fn(f64) -> bool) -> Vec<Option<f64>> {
    values.iter().map(|v| v.map(|v| if is_yes(v) { 1.0 } else { 0.0 })).collect()
}

/// Kish's effective sample size `(Σw)² / Σw²`; `None` for no weights or a zero sum.
pub fn kish_effective_n(weights: &[f64]) -> Option<f64> {
    let sum: f64 = weights.iter().sum();
    let sum_sq: f64 = weights.iter().map(|w| w * w).sum();
    (sum_sq > 0.0).then(|| sum * sum / sum_sq)
}

/// The weighted mean or proportion of `values` over the respondents with `domain[i]` true and a value, with
/// a linearised confidence interval; suppressed when fewer than `config.min_n` such respondents.
///
/// **Point estimate.** `ȳ = Σ_D w_i y_i / Σ_D w_i` over the domain `D` (a ratio mean: its denominator, the
/// domain's weight, is random too).
///
/// **Variance** (Taylor linearisation for a ratio under stratified sampling with replacement, each respondent
/// its own PSU: Wolter 2007, *Introduction to Variance Estimation*, ch. 6; Lohr 2022, *Sampling: Design and
/// Analysis*, on linearisation and on domains). With
/// `z_i = 1_D(i) · w_i (y_i − ȳ) / Σ_D w` for *every* respondent `i` of the table (zero outside the domain, so
/// the domain's random size is accounted for), `n_h` the respondents of stratum `h` and `z̄_h` their mean:
///
/// `v(ȳ) = Σ_h n_h / (n_h − 1) · Σ_{i∈h} (z_i − z̄_h)²`, `se = √v`.
///
/// This is samplics' `TaylorEstimator` with `stratum` and no `psu`, and R `survey`'s `svymean` on
/// `svydesign(ids = ~1, strata = ~stratum, weights = ~w)` with `subset` for the domain. Raked weights are
/// treated as fixed design weights (conservative for variables related to the raking margins). Lonely strata
/// are collapsed as [`ResponseTable`] explains.
///
/// **Interval.** The t quantile with `df = Σ_{h touched} (n_h − 1)`, the respondents minus the strata over
/// the strata that contain domain respondents (Korn & Graubard 1999, *Analysis of Health Surveys*; for a
/// domain touching every stratum this is samplics' and R's design df `n − H`).
/// - [`Target::Mean`]: `ȳ ± t·se`.
/// - [`Target::Proportion`] with `0 < p < 1`: on the logit scale, `expit(logit p ± t·se / (p(1 − p)))`, which
///   stays in (0, 1) (samplics' default, R `svyciprop(method = "logit")`).
/// - [`Target::Proportion`] with `p = 0` or `1` (the linearised se is then 0): the Clopper–Pearson bound for
///   zero events with Kish's effective size, `[0, 1 − (α/2)^{1/n_eff}]` (or its mirror), in the spirit of
///   Korn & Graubard 1998 (*Survey Methodology* 24:193–201). samplics gives `[0, 0]` here, which claims a
///   certainty the data cannot give.
///
/// # Errors
///
/// [`EstimateError`] for mismatched lengths, non-finite values, non-binary values for a proportion or an
/// invalid confidence level.
pub fn estimate(
    table: &ResponseTable,
    values: &[Option<f64>],
    domain: &[bool],
    target: Target,
    config: &EstimateConfig,
) -> Result<Estimate, EstimateError> {
    check_values(table, values, target)?;
    check_confidence(config.confidence)?;
    if domain.len() != table.len() {
        return Err(EstimateError::GroupsLength { expected: table.len(), found: domain.len() });
    }
    let members: Vec<usize> = (0..table.len()).filter(|&i| domain[i] && values[i].is_some()).collect();
    Ok(linearised(table, values, &members, target, config))
}

/// [`estimate`] for every group: one [`GroupEstimate`] per distinct non-empty label in `groups` (one label per
/// respondent; `""` puts a respondent in no group), in label order. All groups share the table's strata, so a
/// group's variance is a domain variance as in [`estimate`].
///
/// # Errors
///
/// As [`estimate`].
pub fn estimate_by_group<S: AsRef<str>>(
    table: &ResponseTable,
    values: &[Option<f64>],
    groups: &[S],
    target: Target,
    config: &EstimateConfig,
) -> Result<Vec<GroupEstimate>, EstimateError> {
    check_values(table, values, target)?;
    check_confidence(config.confidence)?;
    let members = group_members(table, values, groups)?;
    Ok(members
        .into_iter()
        .map(|(group, members)| GroupEstimate {
            group: group.to_string(),
            estimate: linearised(table, values, &members, target, config),
        })
        .collect())
}

/// Respondents with a value, per non-empty group label (labels sorted, members in table order).
pub(crate) fn group_members<'a, S: AsRef<str>>(
    table: &ResponseTable,
    values: &[Option<f64>],
    groups: &'a [S],
) -> Result<BTreeMap<&'a str, Vec<usize>>, EstimateError> {
    if groups.len() != table.len() {
        return Err(EstimateError::GroupsLength { expected: table.len(), found: groups.len() });
    }
    let mut members: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, g) in groups.iter().enumerate() {
        let g = g.as_ref();
        if g.is_empty() {
            continue;
        }
        let list = members.entry(g).or_default();
        if values[i].is_some() {
            list.push(i);
        }
    }
    Ok(members)
}

pub(crate) fn check_values(table: &ResponseTable, values: &[Option<f64>], target: Target) -> Result<(), EstimateError> {
    if values.len() != table.len() {
        return Err(EstimateError::ValuesLength { expected: table.len(), found: values.len() });
    }
    for (respondent, v) in values.iter().enumerate() {
        if let Some(value) = *v {
            if !value.is_finite() {
                return Err(EstimateError::InvalidValue { respondent, value });
            }
            if target == Target::Proportion && value != 0.0 && value != 1.0 {
                return Err(EstimateError::NotBinary { respondent, value });
            }
        }
    }
    Ok(())
}

pub(crate) fn check_confidence(confidence: f64) -> Result<(), EstimateError> {
    if confidence > 0.0 && confidence < 1.0 { Ok(()) } else { Err(EstimateError::InvalidConfidence(confidence)) }
}

/// Whether a group of `n` respondents is suppressed under `min_n` (an estimate always needs 2).
pub(crate) fn is_suppressed(n: usize, min_n: usize) -> bool {
    n < min_n.max(2)
}

/// Weighted sums over a domain: `(Σw, Σwy, Σw²)`.
pub(crate) fn domain_sums(table: &ResponseTable, values: &[Option<f64>], members: &[usize]) -> (f64, f64, f64) {
    let w = table.weights();
    let (mut sw, mut swy, mut sw2) = (0.0, 0.0, 0.0);
    for &i in members {
        let y = values[i].expect("members have values");
        sw += w[i];
        swy += w[i] * y;
        sw2 += w[i] * w[i];
    }
    (sw, swy, sw2)
}

/// The linearised estimate over a domain given by its members (respondents with a value).
fn linearised(
    table: &ResponseTable,
    values: &[Option<f64>],
    members: &[usize],
    target: Target,
    config: &EstimateConfig,
) -> Estimate {
    let n = members.len();
    if is_suppressed(n, config.min_n) {
        return Estimate { n, suppressed: true, value: None };
    }
    let (sw, swy, sw2) = domain_sums(table, values, members);
    let mean = swy / sw;
    let n_eff = sw * sw / sw2;
    let design = table.design();
    let w = table.weights();
    let strata = design.members.len();
    // First pass: per-stratum sums of z over the domain (z is zero for the other respondents).
    let mut sum_z = vec![0.0; strata];
    let mut in_domain = vec![0usize; strata];
    let z = |i: usize| w[i] * (values[i].expect("members have values") - mean) / sw;
    for &i in members {
        let h = design.stratum_of[i];
        sum_z[h] += z(i);
        in_domain[h] += 1;
    }
    // Second pass: Σ_{i∈h} (z_i − z̄_h)², the respondents outside the domain contributing z̄_h² each.
    let mut squares = vec![0.0; strata];
    for &i in members {
        let h = design.stratum_of[i];
        let d = z(i) - sum_z[h] / design.members[h].len() as f64;
        squares[h] += d * d;
    }
    let (mut variance, mut df) = (0.0, 0.0);
    for h in 0..strata {
        if in_domain[h] == 0 {
            continue;
        }
        let n_h = design.members[h].len() as f64;
        let zbar = sum_z[h] / n_h;
        let ss = squares[h] + (n_h - in_domain[h] as f64) * zbar * zbar;
        variance += n_h / (n_h - 1.0) * ss;
        df += n_h - 1.0;
    }
    let se = variance.sqrt();
    let t = student_t_quantile(0.5 + 0.5 * config.confidence, df).expect("df ≥ 1 and confidence checked");
    let (ci_low, ci_high) = match target {
        Target::Mean => (mean - t * se, mean + t * se),
        Target::Proportion => proportion_interval(mean, se, t, n_eff, config.confidence),
    };
    Estimate { n, suppressed: false, value: Some(EstimateValue { mean, se, ci_low, ci_high, n_eff, df }) }
}

/// The logit interval, or the zero-event Clopper–Pearson bound with Kish's effective size at 0 and 1.
fn proportion_interval(p: f64, se: f64, t: f64, n_eff: f64, confidence: f64) -> (f64, f64) {
    let half_alpha = 0.5 * (1.0 - confidence);
    if p <= 0.0 {
        (0.0, 1.0 - half_alpha.powf(1.0 / n_eff))
    } else if p >= 1.0 {
        (half_alpha.powf(1.0 / n_eff), 1.0)
    } else {
        let centre = (p / (1.0 - p)).ln();
        let half = t * se / (p * (1.0 - p));
        (expit(centre - half), expit(centre + half))
    }
}

fn expit(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(weights: &[f64], strata: &[&str]) -> ResponseTable {
        ResponseTable::new(weights.to_vec(), strata.iter().map(|s| s.to_string()).collect()).unwrap()
    }

    const CONFIG: EstimateConfig = EstimateConfig { min_n: 2, confidence: 0.95 };

    #[test]
    fn equal_weights_one_stratum_is_the_textbook_mean() {
        // se = s / √n with s the sample sd: with-replacement, one stratum, equal weights.
        let y = [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0];
        let t = table(&[1.0; 8], &["a"; 8]);
        let values: Vec<Option<f64>> = y.iter().map(|&v| Some(v)).collect();
        let e = estimate(&t, &values, &[true; 8], Target::Mean, &CONFIG).unwrap();
        let v = e.value.unwrap();
        let s2 = y.iter().map(|v| (v - 5.0f64).powi(2)).sum::<f64>() / 7.0;
        assert!((v.mean - 5.0).abs() < 1e-15);
        assert!((v.se - (s2 / 8.0).sqrt()).abs() < 1e-15);
        assert_eq!((v.df, v.n_eff), (7.0, 8.0));
        // t(7, 0.975) = 2.364624251592784 (scipy 1.17.1).
        assert!((v.ci_high - 5.0 - 2.364_624_251_592_784 * v.se).abs() < 1e-12);
    }

    #[test]
    fn suppression_hides_the_value_and_serializes_only_the_count() {
        let t = table(&[1.0; 3], &["a"; 3]);
        let config = EstimateConfig { min_n: 30, confidence: 0.95 };
        let e = estimate(&t, &[Some(1.0), Some(2.0), None], &[true; 3], Target::Mean, &config).unwrap();
        assert_eq!(e, Estimate { n: 2, suppressed: true, value: None });
        let json = serde_json::to_string(&GroupEstimate { group: "q1".into(), estimate: e }).unwrap();
        assert_eq!(json, r#"{"group":"q1","n":2,"suppressed":true}"#);
    }

    #[test]
    fn proportions_at_zero_get_a_one_sided_interval() {
        let t = table(&[1.0; 40], &["a"; 40]);
        let e = estimate(&t, &vec![Some(0.0); 40], &[true; 40], Target::Proportion, &CONFIG).unwrap();
        let v = e.value.unwrap();
        assert_eq!((v.mean, v.se, v.ci_low), (0.0, 0.0, 0.0));
        // Clopper–Pearson upper bound for 0 of 40: 1 − 0.025^(1/40) = 0.0880939...
        assert!((v.ci_high - (1.0 - 0.025f64.powf(1.0 / 40.0))).abs() < 1e-15);
        let bad = estimate(&t, &vec![Some(0.5); 40], &[true; 40], Target::Proportion, &CONFIG);
        assert_eq!(bad, Err(EstimateError::NotBinary { respondent: 0, value: 0.5 }));
    }

    #[test]
    fn groups_skip_empty_labels_and_count_members_with_values() {
        let t = table(&[1.0; 4], &["a", "a", "b", "b"]);
        let values = [Some(1.0), None, Some(3.0), Some(4.0)];
        let got = estimate_by_group(&t, &values, &["x", "x", "", "y"], Target::Mean, &CONFIG).unwrap();
        let summary: Vec<(&str, usize)> = got.iter().map(|g| (g.group.as_str(), g.estimate.n)).collect();
        assert_eq!(summary, [("x", 1), ("y", 1)]);
        assert!(got.iter().all(|g| g.estimate.suppressed));
    }

    #[test]
    fn kish_n_eff() {
        assert_eq!(kish_effective_n(&[1.0, 1.0, 1.0]), Some(3.0));
        assert_eq!(kish_effective_n(&[1.0, 3.0]), Some(1.6));
        assert_eq!(kish_effective_n(&[]), None);
        assert_eq!(indicator(&[Some(3.0), None, Some(1.0)], |v| v >= 2.0), [Some(1.0), None, Some(0.0)]);
    }
}
