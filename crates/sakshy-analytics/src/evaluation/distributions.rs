//! Tail probabilities and quantiles of Student's t and Snedecor's F, for cluster-robust intervals and Wald
//! tests. Everything goes through the regularised incomplete beta function `I_x(a, b)`, evaluated by its
//! continued fraction (modified Lentz; Press et al., *Numerical Recipes*, 3rd ed., §6.4) with `ln Γ` from the
//! Lanczos approximation (g = 7, n = 9). Agrees with `scipy.stats` to 1e-11 relative or better (see the
//! tests); no general special-function library is needed for the few calls the evaluation makes.

/// `ln Γ(x)` for `x > 0` (Lanczos, g = 7, n = 9; reflection below 0.5).
fn ln_gamma(x: f64) -> f64 {
    const COEFFICIENTS: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Γ(x) Γ(1 − x) = π / sin(πx).
        return (std::f64::consts::PI / (std::f64::consts::PI * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEFFICIENTS[0];
    for (i, &c) in COEFFICIENTS.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + 7.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
}

/// The continued fraction of the incomplete beta function (Numerical Recipes `betacf`).
fn beta_continued_fraction(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPSILON: f64 = 1e-16;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=10_000 {
        let m = m as f64;
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let step = d * c;
        h *= step;
        if (step - 1.0).abs() < EPSILON {
            break;
        }
    }
    h
}

/// The regularised incomplete beta function `I_x(a, b)`, given `x` and `1 − x` separately (so that a value of `x`
/// close to 1 keeps its precision).
fn incomplete_beta(a: f64, b: f64, x: f64, one_minus_x: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if one_minus_x <= 0.0 {
        return 1.0;
    }
    let log_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * one_minus_x.ln();
    let front = log_front.exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        front * beta_continued_fraction(a, b, x) / a
    } else {
        1.0 - front * beta_continued_fraction(b, a, one_minus_x) / b
    }
}

/// `P(|T| ≥ |t|)` for Student's t with `df` degrees of freedom (two-sided p-value). `NaN` in, `NaN` out.
pub(crate) fn student_t_two_sided_p(t: f64, df: f64) -> f64 {
    if t.is_nan() || df.is_nan() {
        return f64::NAN;
    }
    if t.is_infinite() {
        return 0.0;
    }
    let t2 = t * t;
    incomplete_beta(0.5 * df, 0.5, df / (df + t2), t2 / (df + t2))
}

/// The `t > 0` with `P(|T| ≥ t) = tail` (`0 < tail < 1`): the critical value of a two-sided interval with
/// confidence `1 − tail`. Found by bisection on [`student_t_two_sided_p`], to the last few bits.
pub(crate) fn student_t_critical(tail: f64, df: f64) -> f64 {
    let mut high = 1.0;
    while student_t_two_sided_p(high, df) > tail && high < 1e300 {
        high *= 2.0;
    }
    let mut low = 0.0;
    for _ in 0..2_000 {
        let mid = 0.5 * (low + high);
        if mid <= low || mid >= high {
            break;
        }
        if student_t_two_sided_p(mid, df) > tail {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// `P(F ≥ f)` for Snedecor's F with `(df_num, df_denom)` degrees of freedom.
pub(crate) fn f_survival(f: f64, df_num: f64, df_denom: f64) -> f64 {
    if f.is_nan() {
        return f64::NAN;
    }
    if f <= 0.0 {
        return 1.0;
    }
    let denominator = df_denom + df_num * f;
    incomplete_beta(0.5 * df_denom, 0.5 * df_num, df_denom / denominator, df_num * f / denominator)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, relative: f64) -> bool {
        (actual - expected).abs() <= relative * expected.abs()
    }

    #[test]
    fn t_critical_values_match_scipy() {
        // scipy.stats.t.ppf(0.975, df) and t.ppf(0.95, df), scipy 1.17.1.
        let cases = [
            (1.0, 12.706204736174694, 6.313751514675037),
            (2.0, 4.302652729749462, 2.9199855803537242),
            (4.0, 2.7764451051977934, 2.1318467863266495),
            (11.0, 2.200985160091639, 1.7958848187040433),
            (29.0, 2.045229642132703, 1.6991270265334972),
            (200.0, 1.9718962236339088, 1.6525081009108769),
        ];
        for (df, q975, q95) in cases {
            assert!(close(student_t_critical(0.05, df), q975, 1e-12), "df {df}: {}", student_t_critical(0.05, df));
            assert!(close(student_t_critical(0.10, df), q95, 1e-12), "df {df}");
        }
    }

    #[test]
    fn t_p_values_match_scipy() {
        // 2 * scipy.stats.t.sf(t, df).
        let cases = [
            (0.3, 5.0, 0.7762490422632745),
            (2.5, 11.0, 0.029506374087364163),
            (8.0, 3.0, 0.004076577587785466),
            (40.0, 29.0, 6.346877329729342e-27),
        ];
        for (t, df, p) in cases {
            assert!(close(student_t_two_sided_p(t, df), p, 1e-11), "t {t} df {df}: {}", student_t_two_sided_p(t, df));
            assert!(close(student_t_two_sided_p(-t, df), p, 1e-11));
        }
        assert_eq!(student_t_two_sided_p(0.0, 7.0), 1.0);
    }

    #[test]
    fn f_survival_matches_scipy() {
        // scipy.stats.f.sf(f, d1, d2).
        let cases = [
            (9.124684043439704, 2.0, 7.0, 0.01121931502386686),
            (0.5, 5.0, 11.0, 0.7704142181326448),
            (30.0, 3.0, 29.0, 4.980298173349188e-09),
            (1.2, 12.0, 19.0, 0.3498764799676841),
        ];
        for (f, d1, d2, p) in cases {
            assert!(close(f_survival(f, d1, d2), p, 1e-11), "F {f}: {}", f_survival(f, d1, d2));
        }
    }
}
