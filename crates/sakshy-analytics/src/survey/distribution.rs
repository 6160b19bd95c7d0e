//! Quantiles of the normal and Student t distributions, for confidence intervals.
//!
//! Intervals in this crate use `t(ν, 1 − α/2)` with the design's degrees of freedom, as the established
//! survey packages do (R `survey`'s `svyciprop`, samplics' `TaylorEstimator`). The functions here are
//! accurate to about 1e-13 relative over the range an interval needs (checked against scipy in
//! `tests/it/survey.rs`).

use crate::fdr::normal_sf;
use crate::special::{incomplete_beta, ln_gamma};

/// The standard normal quantile `Φ⁻¹(p)` for `0 < p < 1`; `None` outside that open interval or for NaN.
///
/// A rational starting value (Abramowitz & Stegun 26.2.23, error below 4.5e-4) polished by Halley steps on
/// the complementary error function ([`crate::fdr::erfc`]), so the result is as accurate as `erfc` itself.
pub fn normal_quantile(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    // Solve P(Z > x) = q for x ≥ 0 with q = min(p, 1 − p), then give the sign back.
    let q = p.min(1.0 - p);
    let t = (-2.0 * q.ln()).sqrt();
    let mut x = t
        - (2.515_517 + 0.802_853 * t + 0.010_328 * t * t)
            / (1.0 + 1.432_788 * t + 0.189_269 * t * t + 0.001_308 * t * t * t);
    x = x.max(0.0);
    for _ in 0..50 {
        let f = normal_sf(x) - q;
        let density = (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt();
        // Halley's step for f(x) = sf(x) − q, where f' = −φ and f'' = xφ.
        let step = f / (density - 0.5 * f * x);
        x += step;
        if step.abs() <= 1e-15 * x.abs().max(1e-300) {
            break;
        }
    }
    Some(if p < 0.5 { -x } else { x })
}

/// The upper tail `P(T > t)` of Student's t distribution with `df` degrees of freedom (`df > 0`, may be
/// fractional, e.g. a Satterthwaite df; infinite `df` is the normal). NaN for invalid input.
///
/// `P(T > t) = I_x(df/2, 1/2) / 2` with `x = df / (df + t²)` for `t ≥ 0` (Abramowitz & Stegun 26.7.1), the
/// regularized incomplete beta function by its continued fraction (modified Lentz). Relative error
/// about 1e-13 for `df` below 1000, growing to about 1e-10 near `df = 10⁶` (rounding of `ln Γ` of large
/// arguments); [`student_t_quantile`] does not use it there.
pub fn student_t_sf(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() || df <= 0.0 {
        return f64::NAN;
    }
    if df.is_infinite() {
        return normal_sf(t);
    }
    let t2 = t * t;
    let tail = 0.5 * incomplete_beta(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2));
    if t >= 0.0 { tail } else { 1.0 - tail }
}

/// The Student t quantile `t(df, p)` for `0 < p < 1` and `df > 0` (fractional allowed; infinite `df` gives
/// the normal quantile). `None` for invalid input.
///
/// For `df ≥ 1000` the Cornish–Fisher expansion to order `df⁻⁴` (Abramowitz & Stegun 26.7.5; error below
/// 1e-13 there); otherwise Newton steps on [`student_t_sf`] inside a bisection bracket.
pub fn student_t_quantile(p: f64, df: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0 && df > 0.0) {
        return None;
    }
    let z = normal_quantile(p)?;
    if df.is_infinite() {
        return Some(z);
    }
    let q = p.min(1.0 - p);
    let zu = z.abs();
    let upper = if df >= 1000.0 { cornish_fisher(zu, df) } else { t_upper_quantile(q, df, zu) };
    Some(if p < 0.5 { -upper } else { upper })
}

/// `t` with `P(T > t) = q`, `q ≤ 1/2`, by Newton steps kept inside a bracket.
fn t_upper_quantile(q: f64, df: f64, z: f64) -> f64 {
    if q == 0.5 {
        return 0.0;
    }
    let (mut lo, mut hi) = (0.0f64, z.max(1.0));
    while student_t_sf(hi, df) > q {
        lo = hi;
        hi *= 2.0;
        if hi > 1e300 {
            return f64::INFINITY;
        }
    }
    // Start from the Cornish–Fisher value when it lies in the bracket, else from the middle.
    let guess = cornish_fisher(z, df);
    let mut t = if guess > lo && guess < hi { guess } else { 0.5 * (lo + hi) };
    let log_norm = ln_gamma(0.5 * (df + 1.0)) - ln_gamma(0.5 * df) - 0.5 * (df * std::f64::consts::PI).ln();
    for _ in 0..200 {
        let f = student_t_sf(t, df) - q;
        if f > 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let density = (log_norm - 0.5 * (df + 1.0) * (t * t / df).ln_1p()).exp();
        let mut next = t + f / density;
        if !(next > lo && next < hi) {
            next = 0.5 * (lo + hi);
        }
        let done = (next - t).abs() <= 1e-15 * t.abs() || hi - lo <= 1e-15 * hi;
        t = next;
        if done {
            break;
        }
    }
    t
}

/// Cornish–Fisher expansion of the t quantile in powers of `1/df` (Abramowitz & Stegun 26.7.5).
fn cornish_fisher(z: f64, df: f64) -> f64 {
    let z2 = z * z;
    let g1 = (z2 + 1.0) * z / 4.0;
    let g2 = ((5.0 * z2 + 16.0) * z2 + 3.0) * z / 96.0;
    let g3 = (((3.0 * z2 + 19.0) * z2 + 17.0) * z2 - 15.0) * z / 384.0;
    let g4 = ((((79.0 * z2 + 776.0) * z2 + 1482.0) * z2 - 1920.0) * z2 - 945.0) * z / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_arguments_give_none() {
        assert_eq!(normal_quantile(0.0), None);
        assert_eq!(normal_quantile(1.0), None);
        assert_eq!(normal_quantile(f64::NAN), None);
        assert_eq!(student_t_quantile(0.5, 0.0), None);
        assert_eq!(student_t_quantile(0.5, f64::NAN), None);
        assert!(student_t_sf(1.0, -1.0).is_nan());
    }

    #[test]
    fn quantiles_invert_the_tails_and_are_symmetric() {
        for &df in &[0.7, 1.0, 2.0, 3.5, 10.0, 29.0, 200.0, 999.0] {
            for &p in &[0.001, 0.025, 0.1, 0.4, 0.5, 0.6, 0.975, 0.999] {
                let t = student_t_quantile(p, df).unwrap();
                let back = 1.0 - student_t_sf(t, df);
                assert!((back - p).abs() < 1e-12, "df {df} p {p}: t {t}, back {back}");
                let mirror = student_t_quantile(1.0 - p, df).unwrap();
                assert!((t + mirror).abs() < 1e-12 * t.abs().max(1.0));
            }
        }
        assert_eq!(student_t_quantile(0.975, f64::INFINITY), normal_quantile(0.975));
    }
}
