//! Change in a group's estimate between two independent survey waves.

use serde::Serialize;

use super::bootstrap::{BootstrapEstimate, percentile_interval, standard_deviation};
use super::distribution::student_t_quantile;
use super::estimate::{Estimate, EstimateError, check_confidence};

/// The change `after − before` for one group, or only the two sizes when either wave is suppressed.
///
/// Serialized as `{"n_before": …, "n_after": …, "suppressed": true}` or with the fields of [`ChangeValue`]
/// as well.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Respondents with a value in the earlier wave.
    pub n_before: usize,
    /// Respondents with a value in the later wave.
    pub n_after: usize,
    /// Whether the change is withheld because either wave's estimate is suppressed.
    pub suppressed: bool,
    /// The change; `None` exactly when suppressed.
    #[serde(flatten)]
    pub value: Option<ChangeValue>,
}

/// The numbers of a change that is not suppressed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeValue {
    /// `mean_after − mean_before` (index points, or a difference of proportions).
    pub difference: f64,
    /// Standard error of the difference.
    pub se: f64,
    /// Lower end of the confidence interval.
    pub ci_low: f64,
    /// Upper end of the confidence interval.
    pub ci_high: f64,
    /// Welch–Satterthwaite degrees of freedom of the t quantile; `None` for a bootstrap interval.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub df: Option<f64>,
    /// Whether the interval excludes 0 (the change is distinguishable from none at this confidence level).
    pub excludes_zero: bool,
}

/// The change between two linearised estimates of the same group from independent samples (two waves).
///
/// `d = ȳ_after − ȳ_before`, `se = √(se_before² + se_after²)` (independent samples: the covariance is 0),
/// interval `d ± t·se` with the Welch–Satterthwaite degrees of freedom
/// `(v_b + v_a)² / (v_b²/df_b + v_a²/df_a)` (Satterthwaite 1946, *Biometrics Bulletin* 2:110–114). When both
/// variances are 0 the interval is the point `[d, d]`. Both estimates should be of the same [`super::Target`]
/// and confidence level.
///
/// # Errors
///
/// [`EstimateError::InvalidConfidence`].
pub fn change(before: &Estimate, after: &Estimate, confidence: f64) -> Result<Change, EstimateError> {
    check_confidence(confidence)?;
    let (Some(b), Some(a)) = (&before.value, &after.value) else {
        return Ok(suppressed(before.n, after.n));
    };
    let difference = a.mean - b.mean;
    let (vb, va) = (b.se * b.se, a.se * a.se);
    let se = (vb + va).sqrt();
    let denominator = vb * vb / b.df + va * va / a.df;
    let df = if denominator > 0.0 { (vb + va) * (vb + va) / denominator } else { b.df + a.df };
    let t = student_t_quantile(0.5 + 0.5 * confidence, df).expect("df > 0 and confidence checked");
    let (ci_low, ci_high) = (difference - t * se, difference + t * se);
    Ok(Change {
        n_before: before.n,
        n_after: after.n,
        suppressed: false,
        value: Some(ChangeValue {
            difference,
            se,
            ci_low,
            ci_high,
            df: Some(df),
            excludes_zero: excludes_zero(ci_low, ci_high),
        }),
    })
}

/// The change between two bootstrap estimates of the same group from independent waves: the percentile
/// interval of the replicate differences `θ*_after,r − θ*_before,r`, pairing replicate `r` of one wave with
/// replicate `r` of the other (any pairing is valid because the waves are resampled independently: give
/// them different seeds). `se` is the standard deviation of the differences.
///
/// # Errors
///
/// [`EstimateError::InvalidConfidence`], or [`EstimateError::TooFewReplicates`] if fewer than two replicates
/// can be paired.
pub fn bootstrap_change(
    before: &BootstrapEstimate,
    after: &BootstrapEstimate,
    confidence: f64,
) -> Result<Change, EstimateError> {
    check_confidence(confidence)?;
    let (Some(b), Some(a)) = (&before.value, &after.value) else {
        return Ok(suppressed(before.n, after.n));
    };
    let differences: Vec<f64> = a.replicate_means.iter().zip(&b.replicate_means).map(|(a, b)| a - b).collect();
    if differences.len() < 2 {
        return Err(EstimateError::TooFewReplicates(differences.len()));
    }
    let (ci_low, ci_high) = percentile_interval(&differences, confidence);
    Ok(Change {
        n_before: before.n,
        n_after: after.n,
        suppressed: false,
        value: Some(ChangeValue {
            difference: a.mean - b.mean,
            se: standard_deviation(&differences),
            ci_low,
            ci_high,
            df: None,
            excludes_zero: excludes_zero(ci_low, ci_high),
        }),
    })
}

fn suppressed(n_before: usize, n_after: usize) -> Change {
    Change { n_before, n_after, suppressed: true, value: None }
}

fn excludes_zero(low: f64, high: f64) -> bool {
    low > 0.0 || high < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::EstimateValue;

    fn shown(n: usize, mean: f64, se: f64, df: f64) -> Estimate {
        Estimate {
            n,
            suppressed: false,
            value: Some(EstimateValue { mean, se, ci_low: 0.0, ci_high: 0.0, n_eff: n as f64, df }),
        }
    }

    #[test]
    fn change_adds_variances_and_uses_satterthwaite_df() {
        let c = change(&shown(100, 50.0, 3.0, 99.0), &shown(120, 58.0, 4.0, 119.0), 0.95).unwrap();
        let v = c.value.unwrap();
        assert_eq!((v.difference, v.se), (8.0, 5.0));
        let df = 625.0 / (81.0 / 99.0 + 256.0 / 119.0);
        assert!((v.df.unwrap() - df).abs() < 1e-12);
        assert!(v.excludes_zero == (v.ci_low > 0.0));
        let hidden = change(&Estimate { n: 5, suppressed: true, value: None }, &shown(120, 58.0, 4.0, 119.0), 0.95);
        assert_eq!(hidden.unwrap(), Change { n_before: 5, n_after: 120, suppressed: true, value: None });
    }
}
