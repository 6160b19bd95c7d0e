//! Randomisation inference for the DiD coefficient over which units are treated: the p-value of the sharp null
//! of no effect and the exact set of constant additive effects that are not rejected.
//!
//! # Method
//!
//! The statistic is the TWFE estimate `β̂_d` under an assignment `d` of the same number of treated units (start
//! period fixed). Under the sharp null `Y_it(1) = Y_it(0) + β₀`, the untreated outcomes are `y − β₀ D_obs`, and
//! the statistic of assignment `d` on them is `a_d − β₀ b_d`, with `a_d = β̂_d(y)` and `b_d = β̂_d(D_obs)` —
//! both linear in the outcome, so each assignment is two numbers. Assignment `d` is at least as extreme as the
//! observed one when `|a_d − β₀ b_d| ≥ |a_obs − β₀ b_obs|`, a quadratic inequality in `β₀`; sweeping over the
//! sorted roots gives the p-value as a step function of `β₀` and the confidence set exactly (Rosenbaum 2002,
//! *Observational Studies*, §2.6; for DiD: MacKinnon & Webb 2020, *J. Econometrics* 218:435–450, who call this
//! statistic "RI-β").
//!
//! # Algorithm
//!
//! With `Z_j = M D⁽ʲ⁾`, the within-transformed post-start indicator of unit `j` alone, the estimate for an
//! assignment `d` is `β̂_d(v) = Σ_{j∈d} Z_jᵀv / Σ_{i,j∈d} Z_iᵀZ_j`. The Gram matrix `Z_iᵀZ_j` (`G × G`) and
//! `Z_jᵀỹ` are computed once with `G` projections, so an assignment costs `O(k²)` for `k` treated units.
//! Enumerated assignments come in lexicographic order; sampled ones draw `k` of the `G` units by a partial
//! Fisher–Yates shuffle of [`crate::random::stream`]`(seed, draw)`.

use rayon::prelude::*;

use super::did::{Design, Interval, RandomizationConfig, RandomizationResult, TIE_TOLERANCE};
use crate::random;

/// Runs randomisation inference for the DiD coefficient of `design` (`y_tilde` is the within-transformed
/// outcome) at significance `alpha`.
pub(crate) fn permute_units(
    design: &Design,
    y_tilde: &[f64],
    alpha: f64,
    config: &RandomizationConfig,
) -> RandomizationResult {
    let within = &design.within;
    let n_units = within.n_units();
    let units = within.units();
    let post: Vec<bool> = (0..within.n_obs()).map(|i| design.is_post(i)).collect();
    let mut post_count = vec![0.0; n_units];
    let mut y_post = vec![0.0; n_units];
    for ((&u, &is_post), &y) in units.iter().zip(&post).zip(y_tilde) {
        if is_post {
            post_count[u] += 1.0;
            y_post[u] += y;
        }
    }
    // Gram matrix, column by column: gram[i][j] = Σ over unit i's post cells of Z_j.
    let columns: Vec<Vec<f64>> = (0..n_units)
        .into_par_iter()
        .map(|j| {
            let indicator: Vec<f64> =
                units.iter().zip(&post).map(|(&u, &is_post)| if u == j && is_post { 1.0 } else { 0.0 }).collect();
            let z = within.residualize(&indicator);
            let mut column = vec![0.0; n_units];
            for ((&u, &is_post), &value) in units.iter().zip(&post).zip(&z) {
                if is_post {
                    column[u] += value;
                }
            }
            column
        })
        .collect();
    let gram = |i: usize, j: usize| columns[j][i];
    let treated_units: Vec<usize> = (0..n_units).filter(|&u| design.treated[u]).collect();
    // Z_jᵀ D̃_obs = Σ over treated i of gram(j, i).
    let d_post: Vec<f64> = (0..n_units).map(|j| treated_units.iter().map(|&i| gram(j, i)).sum()).collect();
    let statistic = |assignment: &[usize]| -> Option<Line> {
        let mut denominator = 0.0;
        let mut raw = 0.0;
        for &i in assignment {
            raw += post_count[i];
            for &j in assignment {
                denominator += gram(i, j);
            }
        }
        let defined = denominator > 1e-10 * raw;
        if !defined {
            return None;
        }
        let a = assignment.iter().map(|&j| y_post[j]).sum::<f64>() / denominator;
        let b = assignment.iter().map(|&j| d_post[j]).sum::<f64>() / denominator;
        Some(Line { a, b })
    };
    let observed = statistic(&treated_units).unwrap_or(Line { a: 0.0, b: 0.0 });
    let k = treated_units.len();
    let total = binomial(n_units, k, config.draws);

    let (lines, exact) = match total {
        Some(total) => {
            let mut lines = Vec::with_capacity(total);
            let mut assignment: Vec<usize> = (0..k).collect();
            loop {
                if let Some(line) = statistic(&assignment).filter(|_| assignment != treated_units) {
                    lines.push(line);
                }
                if !next_combination(&mut assignment, n_units) {
                    break;
                }
            }
            (lines, true)
        }
        None => {
            let lines: Vec<Option<Line>> = (0..config.draws)
                .into_par_iter()
                .map(|draw| {
                    let mut rng = random::stream(config.seed, draw as u64);
                    let mut pool: Vec<usize> = (0..n_units).collect();
                    for position in 0..k {
                        let pick = position + random::below(&mut rng, n_units - position);
                        pool.swap(position, pick);
                    }
                    let mut assignment = pool[..k].to_vec();
                    assignment.sort_unstable();
                    statistic(&assignment)
                })
                .collect();
            (lines.into_iter().flatten().collect(), false)
        }
    };
    // Exact: the observed assignment is one of `lines.len() + 1`; sampled: it is added to `lines.len()` draws.
    let assignments = if exact { lines.len() + 1 } else { lines.len() };
    let denominator = (lines.len() + 1) as f64;
    let threshold = observed.a.abs() * (1.0 - TIE_TOLERANCE);
    let at_zero = lines.iter().filter(|line| line.a.abs() >= threshold).count();
    let (interval, interval_is_connected) = confidence_set(&lines, observed, alpha, denominator);
    RandomizationResult {
        assignments,
        exact,
        seed: config.seed,
        p_value: (at_zero + 1) as f64 / denominator,
        min_p_value: 1.0 / denominator,
        interval,
        interval_is_connected,
    }
}

/// The statistic of one assignment as a function of `β₀`: `a − β₀ b`.
#[derive(Debug, Clone, Copy)]
struct Line {
    a: f64,
    b: f64,
}

/// The set `{β₀ : (count(β₀) + 1) / denominator > alpha}`, where `count(β₀)` is the number of `lines` with
/// `|a − β₀b| ≥ |a_obs − β₀b_obs|`: its hull and whether it is one interval.
fn confidence_set(lines: &[Line], observed: Line, alpha: f64, denominator: f64) -> (Interval, bool) {
    // Each line is extreme on up to two closed intervals (ends may be infinite).
    let mut pieces: Vec<(f64, f64)> = Vec::with_capacity(2 * lines.len());
    for line in lines {
        extreme_set(*line, observed, &mut pieces);
    }
    let mut breakpoints: Vec<f64> = pieces.iter().flat_map(|&(lo, hi)| [lo, hi]).filter(|x| x.is_finite()).collect();
    breakpoints.sort_by(f64::total_cmp);
    breakpoints.dedup();
    // Segment s is (x_{s−1}, x_s), with x_{−1} = −∞ and x_n = +∞: n + 1 segments.
    let n = breakpoints.len();
    let mut change = vec![0i64; n + 2];
    let index_of = |x: f64| breakpoints.binary_search_by(|probe| probe.total_cmp(&x)).expect("a breakpoint");
    for &(lo, hi) in &pieces {
        let first = if lo == f64::NEG_INFINITY { 0 } else { index_of(lo) + 1 };
        let last = if hi == f64::INFINITY { n } else { index_of(hi) };
        if first <= last {
            change[first] += 1;
            change[last + 1] -= 1;
        }
    }
    let mut count = 0i64;
    let accepted: Vec<bool> = (0..=n)
        .map(|segment| {
            count += change[segment];
            (count + 1) as f64 / denominator > alpha
        })
        .collect();
    let Some(first) = accepted.iter().position(|&a| a) else {
        return (Interval { lower: None, upper: None }, false);
    };
    let last = accepted.iter().rposition(|&a| a).expect("one segment is accepted");
    let lower = (first > 0).then(|| breakpoints[first - 1]);
    let upper = (last < n).then(|| breakpoints[last]);
    let connected = accepted[first..=last].iter().all(|&a| a);
    (Interval { lower, upper }, connected)
}

/// Appends the closed intervals of `β₀` on which `|a − β₀b| ≥ |a_o − β₀b_o|` for `line` against `observed`.
fn extreme_set(line: Line, observed: Line, pieces: &mut Vec<(f64, f64)>) {
    // (a − βb)² − (a_o − βb_o)² = qa β² + qb β + qc ≥ 0.
    let qa = line.b * line.b - observed.b * observed.b;
    let qb = -2.0 * (line.a * line.b - observed.a * observed.b);
    let qc = line.a * line.a - observed.a * observed.a;
    let all = (f64::NEG_INFINITY, f64::INFINITY);
    if qa == 0.0 {
        if qb > 0.0 {
            pieces.push((-qc / qb, f64::INFINITY));
        } else if qb < 0.0 {
            pieces.push((f64::NEG_INFINITY, -qc / qb));
        } else if qc >= 0.0 {
            pieces.push(all);
        }
        return;
    }
    let discriminant = qb * qb - 4.0 * qa * qc;
    if discriminant <= 0.0 {
        // No real roots (or a double root): the sign of qa decides everywhere (but for one point).
        if qa > 0.0 {
            pieces.push(all);
        }
        return;
    }
    // Numerically stable roots.
    let root = discriminant.sqrt();
    let q = -0.5 * (qb + if qb >= 0.0 { root } else { -root });
    // |q| ≥ √discriminant / 2 > 0.
    let (mut r1, mut r2) = (q / qa, qc / q);
    if r1 > r2 {
        std::mem::swap(&mut r1, &mut r2);
    }
    if qa > 0.0 {
        pieces.push((f64::NEG_INFINITY, r1));
        pieces.push((r2, f64::INFINITY));
    } else {
        pieces.push((r1, r2));
    }
}

/// `C(n, k)` when it is at most `limit`, else `None`.
fn binomial(n: usize, k: usize, limit: usize) -> Option<usize> {
    let k = k.min(n - k);
    let mut value: u128 = 1;
    for i in 0..k {
        value = value * (n - i) as u128 / (i + 1) as u128;
        if value > limit as u128 {
            return None;
        }
    }
    Some(value as usize)
}

/// Advances `combination` (increasing indices below `n`) to the next one in lexicographic order; `false` after
/// the last.
fn next_combination(combination: &mut [usize], n: usize) -> bool {
    let k = combination.len();
    let Some(position) = (0..k).rev().find(|&i| combination[i] < n - k + i) else {
        return false;
    };
    combination[position] += 1;
    for i in position + 1..k {
        combination[i] = combination[i - 1] + 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_are_enumerated_in_order_and_counted() {
        let mut combination = vec![0, 1];
        let mut all = vec![combination.clone()];
        while next_combination(&mut combination, 4) {
            all.push(combination.clone());
        }
        assert_eq!(all, vec![vec![0, 1], vec![0, 2], vec![0, 3], vec![1, 2], vec![1, 3], vec![2, 3]]);
        assert_eq!(binomial(4, 2, 100), Some(6));
        assert_eq!(binomial(20, 1, 100), Some(20));
        assert_eq!(binomial(30, 5, 9_999), None);
        assert_eq!(binomial(30, 5, 1_000_000), Some(142_506));
    }

    #[test]
    fn the_confidence_set_matches_a_brute_force_scan() {
        let observed = Line { a: 1.3, b: 1.0 };
        let lines: Vec<Line> = (0..40)
            .map(|i| {
                let x = i as f64;
                Line { a: (x * 0.77).sin() * 1.5, b: (x * 1.31).cos() * 0.6 }
            })
            .collect();
        let alpha = 0.1;
        let denominator = (lines.len() + 1) as f64;
        let (interval, _) = confidence_set(&lines, observed, alpha, denominator);
        let accepted = |beta: f64| {
            let reference = (observed.a - beta * observed.b).abs();
            let count = lines.iter().filter(|l| (l.a - beta * l.b).abs() >= reference).count();
            (count + 1) as f64 / denominator > alpha
        };
        let (lower, upper) = (interval.lower.unwrap(), interval.upper.unwrap());
        assert!(lower < 1.3 && upper > 1.3);
        assert!(accepted(lower + 1e-9) && !accepted(lower - 1e-9));
        assert!(accepted(upper - 1e-9) && !accepted(upper + 1e-9));
        for i in 0..2_000 {
            let beta = -20.0 + i as f64 * 0.02;
            if beta < lower - 1e-9 || beta > upper + 1e-9 {
                assert!(!accepted(beta), "{beta} is outside the hull but accepted");
            }
        }
    }
}
