//! P-values for many tests at once: the standard normal tail, permutation pseudo p-values, and the
//! Benjamini–Hochberg and Bonferroni corrections for testing every cell of a map.
//!
//! A hot-spot map tests one hypothesis per cell, so at the 5 % level one cell in twenty of a map with no
//! pattern at all looks "significant". [`benjamini_hochberg`] controls the expected share of false discoveries
//! among the cells called significant (what ArcGIS's "Apply False Discovery Rate correction" does);
//! [`bonferroni`] controls the chance of any false discovery at all (stricter; spdep's advice for local
//! statistics). Both return adjusted p-values (q-values): a test is rejected at level α when its adjusted value
//! is ≤ α ([`rejected`]), which for Benjamini–Hochberg gives exactly the step-up rejection set.
//!
//! This module only transforms numbers; it knows nothing of maps or weights.

use serde::Serialize;

/// Which multiple-testing correction to apply to a family of p-values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// No correction: each p-value is used as it is.
    None,
    /// Benjamini–Hochberg false-discovery-rate control ([`benjamini_hochberg`]).
    FalseDiscoveryRate,
    /// Bonferroni family-wise error control ([`bonferroni`]).
    Bonferroni,
}

/// How a conditional- or total-permutation test turns the simulated statistics into a pseudo p-value.
///
/// With `P` permutations, `#≥` of them giving a statistic at least the observed one and `#≤` at most:
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PseudoP {
    /// `(min(#≥, #≤) + 1) / (P + 1)`: the smaller of the two one-sided tail counts, ties counted as extreme in
    /// both directions. A cell whose statistic cannot change under permutation (an island, or an all-zero
    /// neighbourhood in an all-zero region) gets p = 1. The conservative rule; recommended.
    Conservative,
    /// `(min(#≥, P − #≥) + 1) / (P + 1)`: esda 2.9.0's default (`alternative='directed'`, used by `G_Local`,
    /// `Moran_Local` and `Moran`). Ties count only towards the upper tail, so a statistic that every
    /// permutation ties with gets the smallest possible p, `1 / (P + 1)`; use it to reproduce esda.
    Esda,
}

/// How to run a permutation test: how many permutations, from which seed, and how to count ties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PermutationConfig {
    /// Number of permutations; 0 skips the test. 999 is the usual choice (smallest p = 0.001).
    pub permutations: usize,
    /// Seed of the random streams ([`crate::random::stream`]); the same seed gives the same p-values on any
    /// number of threads.
    pub seed: u64,
    /// How the simulated statistics become a pseudo p-value.
    pub rule: PseudoP,
}

/// Why a family of p-values cannot be adjusted.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FdrError {
    /// A value is NaN or outside `[0, 1]`.
    #[error("p-value {index} is {value}, which is not a probability in [0, 1]")]
    NotAProbability {
        /// Zero-based position of the value.
        index: usize,
        /// The offending value.
        value: f64,
    },
}

/// Applies `correction` to `p_values` (see [`benjamini_hochberg`], [`bonferroni`]); [`Correction::None`]
/// returns the values unchanged.
///
/// # Errors
///
/// [`FdrError::NotAProbability`] for NaN or a value outside `[0, 1]`.
pub fn adjust(p_values: &[f64], correction: Correction) -> Result<Vec<f64>, FdrError> {
    match correction {
        Correction::None => check(p_values).map(|()| p_values.to_vec()),
        Correction::FalseDiscoveryRate => benjamini_hochberg(p_values),
        Correction::Bonferroni => bonferroni(p_values),
    }
}

/// Benjamini–Hochberg adjusted p-values (q-values), in the input order.
///
/// With the m p-values sorted ascending, `p₍₁₎ ≤ … ≤ p₍ₘ₎`, the q-value of `p₍ₖ₎` is
/// `min(1, minⱼ≥ₖ p₍ⱼ₎ · m / j)`. Rejecting every test with `q ≤ α` is the Benjamini–Hochberg step-up
/// procedure at false-discovery rate α: reject the k smallest, k the largest index with `p₍ₖ₎ ≤ k·α/m`.
/// The same numbers as statsmodels' `multipletests(p, method='fdr_bh')[1]` and R's
/// `p.adjust(p, "BH")`.
///
/// # References
///
/// Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a practical and powerful
/// approach to multiple testing. *J. R. Stat. Soc. B* 57(1):289–300.
///
/// # Errors
///
/// [`FdrError::NotAProbability`] for NaN or a value outside `[0, 1]`.
pub fn benjamini_hochberg(p_values: &[f64]) -> Result<Vec<f64>, FdrError> {
    check(p_values)?;
    let m = p_values.len();
    let mut order: Vec<usize> = (0..m).collect();
    // No NaN is left, so the comparison is total; a stable sort keeps equal values in input order.
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut q = vec![0.0; m];
    let mut running = 1.0f64;
    for (rank, &index) in order.iter().enumerate().rev() {
        running = running.min(p_values[index] * m as f64 / (rank + 1) as f64);
        q[index] = running;
    }
    Ok(q)
}

/// Bonferroni adjusted p-values: `min(1, m · p)` for a family of m tests, in the input order.
///
/// # Errors
///
/// [`FdrError::NotAProbability`] for NaN or a value outside `[0, 1]`.
pub fn bonferroni(p_values: &[f64]) -> Result<Vec<f64>, FdrError> {
    check(p_values)?;
    let m = p_values.len() as f64;
    Ok(p_values.iter().map(|&p| (p * m).min(1.0)).collect())
}

/// Which tests are rejected at level `alpha`: adjusted value ≤ `alpha`. NaN is never rejected.
pub fn rejected(adjusted: &[f64], alpha: f64) -> Vec<bool> {
    adjusted.iter().map(|&q| q <= alpha).collect()
}

/// The pseudo p-value of a permutation test with `permutations` draws, `at_least` of them ≥ the observed
/// statistic and `at_most` of them ≤ it, under `rule`.
pub fn pseudo_p(at_least: usize, at_most: usize, permutations: usize, rule: PseudoP) -> f64 {
    let extreme = match rule {
        PseudoP::Conservative => at_least.min(at_most),
        PseudoP::Esda => at_least.min(permutations - at_least),
    };
    (extreme + 1) as f64 / (permutations + 1) as f64
}

/// The upper tail of the standard normal distribution, `P(Z > z) = erfc(z / √2) / 2`, accurate to a few units
/// in the last place over the whole range (no cancellation for large `z`). NaN gives NaN.
pub fn normal_sf(z: f64) -> f64 {
    0.5 * erfc(z / std::f64::consts::SQRT_2)
}

/// The complementary error function `erfc(x) = 1 − erf(x)`.
///
/// W. J. Cody's rational Chebyshev approximations (relative error below 1e-16 in exact arithmetic), the
/// algorithm of netlib `specfun/CALERF`.
///
/// # References
///
/// Cody, W. J. (1969). Rational Chebyshev approximations for the error function. *Math. Comp.*
/// 23(107):631–637.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let y = x.abs();
    let upper = if y <= 0.468_75 {
        // erf by a rational function of x², then 1 − erf.
        let ysq = if y > 1.11e-16 { y * y } else { 0.0 };
        let mut num = ERF_A[4] * ysq;
        let mut den = ysq;
        for (a, b) in ERF_A.iter().zip(&ERF_B).take(3) {
            num = (num + a) * ysq;
            den = (den + b) * ysq;
        }
        // This branch is exact for negative x too, so return directly.
        return 1.0 - x * (num + ERF_A[3]) / (den + ERF_B[3]);
    } else if y <= 4.0 {
        let mut num = ERFC_C[8] * y;
        let mut den = y;
        for (c, d) in ERFC_C.iter().zip(&ERFC_D).take(7) {
            num = (num + c) * y;
            den = (den + d) * y;
        }
        scaled_exp(y) * (num + ERFC_C[7]) / (den + ERFC_D[7])
    } else if y >= 26.543 {
        0.0
    } else {
        let ysq = 1.0 / (y * y);
        let mut num = ERFC_P[5] * ysq;
        let mut den = ysq;
        for (p, q) in ERFC_P.iter().zip(&ERFC_Q).take(4) {
            num = (num + p) * ysq;
            den = (den + q) * ysq;
        }
        let tail = ysq * (num + ERFC_P[4]) / (den + ERFC_Q[4]);
        scaled_exp(y) * (FRAC_1_SQRT_PI - tail) / y
    };
    if x < 0.0 { 2.0 - upper } else { upper }
}

/// `exp(−y²)`, computed as `exp(−t²)·exp(−(y − t)(y + t))` with `t = ⌊16y⌋/16` so that the rounding of `y²`
/// does not cost accuracy (Cody's device).
fn scaled_exp(y: f64) -> f64 {
    let t = (y * 16.0).trunc() / 16.0;
    let del = (y - t) * (y + t);
    (-t * t).exp() * (-del).exp()
}

/// `1/√π`.
const FRAC_1_SQRT_PI: f64 = 0.5641895835477563;

// Cody's coefficients (netlib specfun CALERF), written as the nearest f64.
/// Numerator of erf on `|x| ≤ 0.46875`.
const ERF_A: [f64; 5] =
    [3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694, 0.18577770618460315];
/// Denominator of erf on `|x| ≤ 0.46875`.
const ERF_B: [f64; 4] = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171];
/// Numerator of erfc on `0.46875 < |x| ≤ 4`.
const ERFC_C: [f64; 9] = [
    0.5641884969886701,
    8.883149794388377,
    66.11919063714163,
    298.6351381974001,
    881.952221241769,
    1712.0476126340707,
    2051.0783778260716,
    1230.3393547979972,
    2.1531153547440383e-08,
];
/// Denominator of erfc on `0.46875 < |x| ≤ 4`.
const ERFC_D: [f64; 8] = [
    15.744926110709835,
    117.6939508913125,
    537.1811018620099,
    1621.3895745666903,
    3290.7992357334597,
    4362.619090143247,
    3439.3676741437216,
    1230.3393548037495,
];
/// Numerator of erfc on `|x| > 4`, in powers of `1/x²`.
const ERFC_P: [f64; 6] = [
    0.30532663496123236,
    0.36034489994980445,
    0.12578172611122926,
    0.016083785148742275,
    0.0006587491615298378,
    0.016315387137302097,
];
/// Denominator of erfc on `|x| > 4`, in powers of `1/x²`.
const ERFC_Q: [f64; 5] =
    [2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132, 0.0023352049762686918];

/// Checks that every value is a probability.
fn check(p_values: &[f64]) -> Result<(), FdrError> {
    match p_values.iter().position(|p| !(0.0..=1.0).contains(p)) {
        Some(index) => Err(FdrError::NotAProbability { index, value: p_values[index] }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn benjamini_hochberg_matches_a_hand_computation() {
        // Sorted p = [0.01, 0.02, 0.03, 0.04, 0.5], m = 5: raw p·m/k = [0.05, 0.05, 0.05, 0.05, 0.5].
        let q = benjamini_hochberg(&[0.04, 0.01, 0.5, 0.03, 0.02]).unwrap();
        let expected = [0.05, 0.05, 0.5, 0.05, 0.05];
        for (a, b) in q.iter().zip(expected) {
            assert!((a - b).abs() < 1e-15, "{q:?}");
        }
        // The step-up rule at α = 0.05 rejects the four smallest; q ≤ α gives the same set.
        assert_eq!(rejected(&q, 0.05), vec![true, true, false, true, true]);
        assert_eq!(rejected(&q, 0.049), vec![false; 5]);
    }

    #[test]
    fn q_values_are_capped_at_one_and_never_below_p() {
        let p = [1.0, 0.9, 0.95, 0.2];
        let q = benjamini_hochberg(&p).unwrap();
        assert!(q.iter().zip(p).all(|(&q, p)| q >= p && q <= 1.0), "{q:?}");
        assert_eq!(bonferroni(&p).unwrap(), vec![1.0, 1.0, 1.0, 0.8]);
        assert_eq!(adjust(&p, Correction::None).unwrap(), p.to_vec());
        assert_eq!(benjamini_hochberg(&[]).unwrap(), Vec::<f64>::new());
    }

    #[test]
    fn bad_p_values_are_named() {
        assert!(matches!(
            benjamini_hochberg(&[0.1, f64::NAN]),
            Err(FdrError::NotAProbability { index: 1, value }) if value.is_nan()
        ));
        assert_eq!(bonferroni(&[1.5]), Err(FdrError::NotAProbability { index: 0, value: 1.5 }));
    }

    #[test]
    fn pseudo_p_follows_each_rule() {
        // 999 permutations, all tied with the observed value.
        assert_eq!(pseudo_p(999, 999, 999, PseudoP::Conservative), 1.0);
        assert_eq!(pseudo_p(999, 999, 999, PseudoP::Esda), 0.001);
        // No ties: both rules agree.
        assert_eq!(pseudo_p(10, 989, 999, PseudoP::Conservative), 0.011);
        assert_eq!(pseudo_p(10, 989, 999, PseudoP::Esda), 0.011);
        assert_eq!(pseudo_p(990, 9, 999, PseudoP::Esda), 0.01);
    }

    #[test]
    fn erfc_matches_known_values() {
        // Values from Python's math.erfc (the C library's, correctly rounded to within an ulp).
        let cases = [
            (0.0, 1.0),
            (0.3, 0.6713732405408726),
            (0.5, 0.4795001221869535),
            (1.0, 0.15729920705028513),
            (2.0, 0.004677734981047265),
            (3.0, 2.2090496998585438e-05),
            (5.0, 1.5374597944280351e-12),
            (10.0, 2.088487583762545e-45),
            (-1.0, 1.842700792949715),
        ];
        for (x, expected) in cases {
            let got = erfc(x);
            assert!(((got - expected) / expected).abs() < 1e-14, "erfc({x}) = {got}, expected {expected}");
        }
        assert_eq!(erfc(30.0), 0.0);
        assert_eq!(erfc(-30.0), 2.0);
        assert!(erfc(f64::NAN).is_nan());
        assert!((normal_sf(1.959_963_984_540_054) - 0.025).abs() < 1e-16);
        assert!((normal_sf(-1.959_963_984_540_054) - 0.975).abs() < 1e-15);
    }
}
