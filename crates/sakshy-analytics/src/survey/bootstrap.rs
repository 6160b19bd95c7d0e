//! The rescaled bootstrap (Rao–Wu) for weighted means per group, with percentile intervals.

use rayon::prelude::*;
use serde::Serialize;

use super::ResponseTable;
use super::estimate::{
    EstimateError, Target, check_confidence, check_values, domain_sums, group_members, is_suppressed,
};
use crate::random;

/// How to bootstrap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BootstrapConfig {
    /// Number of replicates (≥ 2; 1000–2000 for a 95 % percentile interval).
    pub replicates: usize,
    /// Seed of the random streams: replicate `r` draws from [`random::stream`]`(seed, r)`, so the result is the
    /// same on any number of threads. Use a different seed for each wave that will be compared.
    pub seed: u64,
    /// Groups with fewer respondents than this (with a value) are suppressed, as in
    /// [`super::EstimateConfig::min_n`].
    pub min_n: usize,
    /// Confidence level of the percentile interval, e.g. 0.95.
    pub confidence: f64,
}

/// A bootstrap estimate for one group, or only its size when suppressed. Serialized like
/// [`super::Estimate`], with `replicates` in place of `df`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapEstimate {
    /// Respondents in the group with a value (unweighted).
    pub n: usize,
    /// Whether the estimate is withheld because `n < min_n` (or, in a degenerate design, fewer than two
    /// replicates contained the group).
    pub suppressed: bool,
    /// The estimate; `None` exactly when suppressed.
    #[serde(flatten)]
    pub value: Option<BootstrapValue>,
}

/// The numbers of a bootstrap estimate that is not suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapValue {
    /// The full-sample weighted mean (not the mean of the replicates).
    pub mean: f64,
    /// Bootstrap standard error: the standard deviation of the replicate means (divisor `R − 1`).
    pub se: f64,
    /// Lower percentile of the replicate means (`α/2`, linear interpolation as numpy's default).
    pub ci_low: f64,
    /// Upper percentile of the replicate means (`1 − α/2`).
    pub ci_high: f64,
    /// Kish's effective sample size of the group.
    pub n_eff: f64,
    /// Replicates that contained the group (normally all of them).
    pub replicates: usize,
    /// The replicate means, in replicate order (for [`super::bootstrap_change`]; not serialized).
    #[serde(skip)]
    pub replicate_means: Vec<f64>,
}

/// A bootstrap estimate labelled with its group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupBootstrap {
    /// The group's label.
    pub group: String,
    /// Its estimate.
    #[serde(flatten)]
    pub estimate: BootstrapEstimate,
}

/// The weights of bootstrap replicate `replicate` (Rao–Wu rescaled bootstrap with `m_h = n_h − 1`).
///
/// In each variance stratum `h` (the table's strata after collapsing lonely ones, in code order) with `n_h`
/// respondents, `n_h − 1` respondents are drawn with replacement, uniformly, from [`random::stream`]`(seed,
/// replicate)` (strata in order, respondents in table order within a stratum); respondent `i`, drawn `c_i`
/// times, gets weight `w_i · c_i · n_h / (n_h − 1)`. With `m_h = n_h − 1` the bootstrap variance of a linear
/// statistic equals the linearised with-replacement variance of [`super::estimate`] (Rao & Wu 1988,
/// *JASA* 83:231–241; Rao, Wu & Yue 1992, *Survey Methodology* 18:209–217; R `survey`'s `"subbootstrap"`).
/// The table's weights (e.g. raked) are held fixed: the replicates are not raked again.
pub fn replicate_weights(table: &ResponseTable, seed: u64, replicate: u64) -> Vec<f64> {
    let mut counts = vec![0u32; table.len()];
    draw_counts(table, seed, replicate, &mut counts);
    let design = table.design();
    table
        .weights()
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, (w, &c))| w * f64::from(c) * rescale(design.members[design.stratum_of[i]].len()))
        .collect()
}

/// The draw counts of one replicate (see [`replicate_weights`]).
fn draw_counts(table: &ResponseTable, seed: u64, replicate: u64, counts: &mut [u32]) {
    counts.fill(0);
    let mut rng = random::stream(seed, replicate);
    for members in &table.design().members {
        let n_h = members.len();
        if n_h < 2 {
            // Only when the whole table is one respondent: it keeps its weight.
            for &i in members {
                counts[i] = 1;
            }
            continue;
        }
        for _ in 0..n_h - 1 {
            counts[members[random::below(&mut rng, n_h)]] += 1;
        }
    }
}

/// `n_h / (n_h − 1)`, or 1 for a stratum of one.
fn rescale(n_h: usize) -> f64 {
    if n_h < 2 { 1.0 } else { n_h as f64 / (n_h - 1) as f64 }
}

/// The weighted mean of `values` over the respondents with `domain[i]` true and a value, with a bootstrap
/// standard error and percentile interval from [`replicate_weights`]; suppressed when fewer than `min_n`
/// such respondents. A proportion is the mean of 0/1 values ([`super::indicator`]).
///
/// Each replicate recomputes the ratio mean `Σ_D w*_i y_i / Σ_D w*_i` with the replicate weights; the
/// interval is the `α/2` and `1 − α/2` percentiles of the replicate means (Efron's percentile interval).
/// Replicates run in parallel; the result depends only on the seed, not on the number of threads. It does
/// depend on the order of the respondents in the table (which respondent a draw picks).
///
/// # Errors
///
/// [`EstimateError`] for mismatched lengths, non-finite values, fewer than 2 replicates or an invalid
/// confidence level.
pub fn bootstrap(
    table: &ResponseTable,
    values: &[Option<f64>],
    domain: &[bool],
    config: &BootstrapConfig,
) -> Result<BootstrapEstimate, EstimateError> {
    if domain.len() != table.len() {
        return Err(EstimateError::GroupsLength { expected: table.len(), found: domain.len() });
    }
    let labels: Vec<&str> = domain.iter().map(|&d| if d { "domain" } else { "" }).collect();
    let mut out = bootstrap_by_group(table, values, &labels, config)?;
    Ok(match out.pop() {
        Some(group) => group.estimate,
        None => BootstrapEstimate { n: 0, suppressed: true, value: None },
    })
}

/// [`bootstrap`] for every group: one [`GroupBootstrap`] per distinct non-empty label in `groups`, in label
/// order, all from the same replicates.
///
/// # Errors
///
/// As [`bootstrap`].
pub fn bootstrap_by_group<S: AsRef<str>>(
    table: &ResponseTable,
    values: &[Option<f64>],
    groups: &[S],
    config: &BootstrapConfig,
) -> Result<Vec<GroupBootstrap>, EstimateError> {
    check_values(table, values, Target::Mean)?;
    check_confidence(config.confidence)?;
    if config.replicates < 2 {
        return Err(EstimateError::TooFewReplicates(config.replicates));
    }
    let members = group_members(table, values, groups)?;
    // Only groups that will be shown are bootstrapped.
    let shown: Vec<(usize, &Vec<usize>)> =
        members.values().enumerate().filter(|(_, m)| !is_suppressed(m.len(), config.min_n)).collect();
    let mut group_of: Vec<Option<usize>> = vec![None; table.len()];
    for (k, (_, list)) in shown.iter().enumerate() {
        for &i in *list {
            group_of[i] = Some(k);
        }
    }
    let w = table.weights();
    let design = table.design();
    let factor: Vec<f64> = (0..table.len()).map(|i| rescale(design.members[design.stratum_of[i]].len())).collect();
    // replicate → per shown group mean (NaN if the replicate drew nobody of the group).
    let means: Vec<Vec<f64>> = (0..config.replicates as u64)
        .into_par_iter()
        .map_init(
            || vec![0u32; table.len()],
            |counts, r| {
                draw_counts(table, config.seed, r, counts);
                let mut sw = vec![0.0; shown.len()];
                let mut swy = vec![0.0; shown.len()];
                for (i, g) in group_of.iter().enumerate() {
                    if let Some(g) = *g
                        && counts[i] > 0
                    {
                        let wi = w[i] * f64::from(counts[i]) * factor[i];
                        sw[g] += wi;
                        swy[g] += wi * values[i].expect("group members have values");
                    }
                }
                sw.iter().zip(&swy).map(|(s, sy)| if *s > 0.0 { sy / s } else { f64::NAN }).collect()
            },
        )
        .collect();
    let mut shown_values: Vec<Option<BootstrapValue>> = Vec::with_capacity(shown.len());
    for (k, (_, list)) in shown.iter().enumerate() {
        let replicate_means: Vec<f64> = means.iter().map(|m| m[k]).filter(|m| !m.is_nan()).collect();
        if replicate_means.len() < 2 {
            shown_values.push(None);
            continue;
        }
        let (sw, swy, sw2) = domain_sums(table, values, list);
        let (ci_low, ci_high) = percentile_interval(&replicate_means, config.confidence);
        shown_values.push(Some(BootstrapValue {
            mean: swy / sw,
            se: standard_deviation(&replicate_means),
            ci_low,
            ci_high,
            n_eff: sw * sw / sw2,
            replicates: replicate_means.len(),
            replicate_means,
        }));
    }
    let mut shown_values = shown_values.into_iter();
    let mut next_shown = shown.iter().map(|(index, _)| *index).peekable();
    Ok(members
        .iter()
        .enumerate()
        .map(|(index, (group, list))| {
            let value = if next_shown.peek() == Some(&index) {
                next_shown.next();
                shown_values.next().expect("one value per shown group")
            } else {
                None
            };
            GroupBootstrap {
                group: group.to_string(),
                estimate: BootstrapEstimate { n: list.len(), suppressed: value.is_none(), value },
            }
        })
        .collect())
}

/// The `α/2` and `1 − α/2` percentiles of `values` (linear interpolation between order statistics,
/// numpy's default `method="linear"`, Hyndman & Fan type 7).
pub(crate) fn percentile_interval(values: &[f64], confidence: f64) -> (f64, f64) {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let alpha = 1.0 - confidence;
    (quantile_sorted(&sorted, 0.5 * alpha), quantile_sorted(&sorted, 1.0 - 0.5 * alpha))
}

fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
}

/// Sample standard deviation with divisor `n − 1` (two passes).
pub(crate) fn standard_deviation(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicate_weights_draw_n_minus_one_per_stratum() {
        let strata: Vec<String> = ["a", "a", "a", "b", "b", "b", "b", "b"].iter().map(|s| s.to_string()).collect();
        let table = ResponseTable::new(vec![2.0; 8], strata).unwrap();
        for r in 0..20 {
            let w = replicate_weights(&table, 7, r);
            // Stratum a: 2 draws × 3/2 × weight 2 = 6; stratum b: 4 draws × 5/4 × 2 = 10.
            assert!((w[..3].iter().sum::<f64>() - 6.0).abs() < 1e-12);
            assert!((w[3..].iter().sum::<f64>() - 10.0).abs() < 1e-12);
        }
        assert_ne!(replicate_weights(&table, 7, 0), replicate_weights(&table, 7, 1));
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v: Vec<f64> = (0..=10).map(f64::from).collect();
        // (1 − 0.9)/2 rounds to just below 0.05, as in numpy.
        let (low, high) = percentile_interval(&v, 0.9);
        assert!((low - 0.5).abs() < 1e-12 && (high - 9.5).abs() < 1e-12, "{low} {high}");
        assert!((standard_deviation(&[1.0, 2.0, 3.0, 4.0]) - (5.0f64 / 3.0).sqrt()).abs() < 1e-15);
    }

    #[test]
    fn invalid_configs_are_rejected() {
        let table = ResponseTable::new(vec![1.0; 2], vec!["a".into(); 2]).unwrap();
        let config = BootstrapConfig { replicates: 1, seed: 1, min_n: 2, confidence: 0.95 };
        assert_eq!(
            bootstrap(&table, &[Some(1.0), Some(2.0)], &[true, true], &config),
            Err(EstimateError::TooFewReplicates(1))
        );
    }
}
