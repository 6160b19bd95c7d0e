//! The wild cluster restricted bootstrap (WCR, "11": CR1 standard errors in the original and the bootstrap
//! samples) for the DiD coefficient, with the p-value of any null `β = β₀` in `O(replicates)` once the
//! replicates are set up, so that the interval can be found by test inversion.
//!
//! # Algorithm ("fast and wild", Roodman, MacKinnon, Nielsen & Webb 2019, *Stata J.* 19:4–60, §3)
//!
//! Under `β = β₀` the restricted residuals are `ẽ(β₀) = ỹ − β₀ D̃` (within-transformed). A replicate with cluster
//! weights `v_g` sets `y* = fit + ẽ ∘ v`. Because `D̃` is already orthogonal to the fixed effects,
//!
//! ```text
//! β* − β₀ = Σ_g v_g (a_g − β₀ b_g) / S,      a_g = Σ_{i∈g} D̃ᵢ ỹᵢ,  b_g = Σ_{i∈g} D̃ᵢ²,  S = Σ_g b_g,
//! score*_g = Σ_h v_h (P_gh − β₀ Q_gh) − (β* − β₀) b_g,
//! ```
//!
//! with `P_gh = (D̃ 1_g)ᵀ M (ỹ 1_h)`, `Q_gh = (D̃ 1_g)ᵀ M (D̃ 1_h)` and `M` the within projector (computed once, by
//! `2G` projections). So each replicate reduces to five numbers `(c₁, c₂, A, B, C)` with `β* − β₀ = c₁ + c₂β₀`
//! and `Σ_g score*_g² = A + 2Bβ₀ + Cβ₀²`, and
//! `t*(β₀) = (c₁ + c₂β₀) / √(scale · (A + 2Bβ₀ + Cβ₀²) / S²)`, where `scale` is the CR1 factor. Setting up a
//! replicate costs `O(G²)`; evaluating the p-value at a new `β₀` costs `O(1)` per replicate.
//!
//! The p-value is symmetric: the share of replicates with `|t*(β₀)| ≥ |t(β₀)|`, `t(β₀) = (β̂ − β₀)/se`, ties
//! within a relative [`TIE_TOLERANCE`] counted. This is `wildboottest`'s `pval_type="two-tailed"` (which counts
//! strictly greater) up to ties.

use rayon::prelude::*;

use super::did::{Interval, TIE_TOLERANCE, WildBootstrapConfig, WildBootstrapResult, WildWeights};
use super::within::Within;
use crate::random;

/// The original-sample quantities the bootstrap compares with.
pub(crate) struct Original {
    pub(crate) estimate: f64,
    pub(crate) std_error: f64,
    /// The CR1 factor `G/(G−1) · (N−1)/(N−K)`.
    pub(crate) scale: f64,
}

/// One replicate reduced to the coefficients of its numerator and squared denominator in `β₀`.
#[derive(Debug, Clone, Copy)]
struct Replicate {
    c1: f64,
    c2: f64,
    a: f64,
    b: f64,
    c: f64,
}

/// The bootstrap p-value of `β = β₀` for every `β₀`.
struct PValue<'a> {
    replicates: &'a [Replicate],
    original: &'a Original,
    /// `scale / S²`.
    denominator_scale: f64,
}

impl PValue<'_> {
    fn at(&self, beta0: f64) -> f64 {
        let t = ((self.original.estimate - beta0) / self.original.std_error).abs();
        let threshold = t * (1.0 - TIE_TOLERANCE);
        let extreme = self
            .replicates
            .iter()
            .filter(|r| {
                let numerator = r.c1 + r.c2 * beta0;
                let squared = (r.a + 2.0 * r.b * beta0 + r.c * beta0 * beta0).max(0.0) * self.denominator_scale;
                // |t*| ≥ threshold, written without dividing (a zero denominator gives an infinite |t*|).
                let magnitude = numerator.abs();
                magnitude >= threshold * squared.sqrt() && !(magnitude == 0.0 && squared == 0.0)
            })
            .count();
        extreme as f64 / self.replicates.len() as f64
    }
}

/// Runs the wild cluster restricted bootstrap for the coefficient of `d_tilde`.
pub(crate) fn wild_cluster_restricted(
    within: &Within,
    y_tilde: &[f64],
    d_tilde: &[f64],
    original: &Original,
    alpha: f64,
    config: &WildBootstrapConfig,
) -> WildBootstrapResult {
    let n_clusters = within.n_units();
    let clusters = within.units();
    let mut a_g = vec![0.0; n_clusters];
    let mut b_g = vec![0.0; n_clusters];
    for ((&g, &d), &y) in clusters.iter().zip(d_tilde).zip(y_tilde) {
        a_g[g] += d * y;
        b_g[g] += d * d;
    }
    let s: f64 = b_g.iter().sum();
    // Columns h of P and Q, from the projections of ỹ and D̃ restricted to cluster h.
    let columns: Vec<(Vec<f64>, Vec<f64>)> = (0..n_clusters)
        .into_par_iter()
        .map(|h| {
            let restrict = |v: &[f64]| -> Vec<f64> {
                clusters.iter().zip(v).map(|(&g, &x)| if g == h { x } else { 0.0 }).collect()
            };
            let projected_y = within.residualize(&restrict(y_tilde));
            let projected_d = within.residualize(&restrict(d_tilde));
            let mut p_column = vec![0.0; n_clusters];
            let mut q_column = vec![0.0; n_clusters];
            for (((&g, &d), &py), &pd) in clusters.iter().zip(d_tilde).zip(&projected_y).zip(&projected_d) {
                p_column[g] += d * py;
                q_column[g] += d * pd;
            }
            (p_column, q_column)
        })
        .collect();
    // Row-major G × G.
    let mut p = vec![0.0; n_clusters * n_clusters];
    let mut q = vec![0.0; n_clusters * n_clusters];
    for (h, (p_column, q_column)) in columns.iter().enumerate() {
        for g in 0..n_clusters {
            p[g * n_clusters + h] = p_column[g];
            q[g * n_clusters + h] = q_column[g];
        }
    }

    let enumerated =
        config.weights == WildWeights::Rademacher && n_clusters < 63 && (1usize << n_clusters) <= config.replicates;
    let n_replicates = if enumerated { 1usize << n_clusters } else { config.replicates };
    let replicates: Vec<Replicate> = (0..n_replicates)
        .into_par_iter()
        .map(|r| {
            let weights = if enumerated {
                // The order of itertools.product([-1, 1], repeat=G): the first cluster varies slowest.
                (0..n_clusters).map(|g| if (r >> (n_clusters - 1 - g)) & 1 == 1 { 1.0 } else { -1.0 }).collect()
            } else {
                draw_weights(config.weights, config.seed, r as u64, n_clusters)
            };
            let numerator_a: f64 = weights.iter().zip(&a_g).map(|(v, a)| v * a).sum();
            let numerator_b: f64 = weights.iter().zip(&b_g).map(|(v, b)| v * b).sum();
            let c1 = numerator_a / s;
            let c2 = -numerator_b / s;
            let (mut a, mut b, mut c) = (0.0, 0.0, 0.0);
            for ((p_row, q_row), &b_cluster) in p.chunks_exact(n_clusters).zip(q.chunks_exact(n_clusters)).zip(&b_g) {
                let pv: f64 = p_row.iter().zip(&weights).map(|(x, v)| x * v).sum();
                let qv: f64 = q_row.iter().zip(&weights).map(|(x, v)| x * v).sum();
                let u = pv - c1 * b_cluster;
                let w = -qv - c2 * b_cluster;
                a += u * u;
                b += u * w;
                c += w * w;
            }
            Replicate { c1, c2, a, b, c }
        })
        .collect();

    let p_value = PValue { replicates: &replicates, original, denominator_scale: original.scale / (s * s) };
    let interval =
        Interval { lower: invert(&p_value, original, alpha, -1.0), upper: invert(&p_value, original, alpha, 1.0) };
    WildBootstrapResult {
        weights: config.weights,
        replicates: n_replicates,
        enumerated,
        seed: config.seed,
        p_value: p_value.at(0.0),
        interval,
    }
}

/// The weights of replicate `index`.
fn draw_weights(weights: WildWeights, seed: u64, index: u64, n_clusters: usize) -> Vec<f64> {
    let mut rng = random::stream(seed, index);
    match weights {
        WildWeights::Rademacher => {
            (0..n_clusters).map(|_| if random::below(&mut rng, 2) == 1 { 1.0 } else { -1.0 }).collect()
        }
        WildWeights::Webb => {
            let half_sqrt = [-(1.5f64.sqrt()), -1.0, -(0.5f64.sqrt()), 0.5f64.sqrt(), 1.0, 1.5f64.sqrt()];
            (0..n_clusters).map(|_| half_sqrt[random::below(&mut rng, 6)]).collect()
        }
    }
}

/// The end of the confidence set in `direction` (±1): doubling steps of one standard error out from the estimate
/// until the p-value drops to `alpha` or below, then bisection. `None` when no such point is found within 2⁶⁰
/// standard errors (an unbounded interval).
fn invert(p_value: &PValue<'_>, original: &Original, alpha: f64, direction: f64) -> Option<f64> {
    let estimate = original.estimate;
    let step = if original.std_error > 0.0 { original.std_error } else { estimate.abs().max(1.0) * 1e-8 };
    let mut inside = estimate;
    let mut outside = None;
    let mut distance = step;
    for _ in 0..61 {
        let candidate = estimate + direction * distance;
        if p_value.at(candidate) <= alpha {
            outside = Some(candidate);
            break;
        }
        inside = candidate;
        distance *= 2.0;
    }
    let mut outside = outside?;
    for _ in 0..200 {
        let mid = 0.5 * (inside + outside);
        if mid == inside || mid == outside {
            break;
        }
        if p_value.at(mid) > alpha {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    Some(0.5 * (inside + outside))
}
