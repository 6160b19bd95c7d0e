//! Moran's I: is the whole map spatially autocorrelated (global), and where are the clusters and outliers
//! (local Moran, LISA)?
//!
//! Both use row-standardised weights ([`Transform::RowStandardised`]: `w_ij = 1/kᵢ` over the kᵢ neighbours
//! of i) and deviations `zᵢ = xᵢ − x̄`.
//!
//! **Global** (Moran 1950; moments from Cliff & Ord 1981):
//!
//! ```text
//! I = (n / S₀) · Σᵢ Σⱼ w_ij zᵢ zⱼ / Σᵢ zᵢ²            E[I] = −1 / (n − 1)
//! S₀ = Σᵢⱼ w_ij   S₁ = ½ Σᵢⱼ (w_ij + w_ji)²   S₂ = Σᵢ (Σⱼ w_ij + Σⱼ w_ji)²
//! V_norm = (n² S₁ − n S₂ + 3 S₀²) / ((n − 1)(n + 1) S₀²) − E[I]²
//! V_rand = [n((n² − 3n + 3) S₁ − n S₂ + 3 S₀²) − b₂((n² − n) S₁ − 2n S₂ + 6 S₀²)]
//!          / ((n − 1)(n − 2)(n − 3) S₀²) − E[I]²,        b₂ = n Σ z⁴ / (Σ z²)²
//! ```
//!
//! `z_norm`, `z_rand` are `(I − E[I]) / √V`, with two-sided normal p-values; the permutation test shuffles
//! all values (permutation p uses the stream `random::stream(seed, p)`). Same numbers as esda's
//! `Moran(y, w)` (`transformation='r'`) and spdep's `moran.test`.
//!
//! **Local** (Anselin 1995), with `m₂ = Σ z² / (n − 1)`:
//!
//! ```text
//! Iᵢ = (zᵢ / m₂) · Σⱼ w_ij zⱼ
//! ```
//!
//! The divisor n − 1 is esda's; Anselin's paper divides by n, which makes `Σ Iᵢ = S₀ · I`. The two differ by
//! the factor n / (n − 1) only, which changes neither the quadrants nor the permutation p-values.
//!
//! and the quadrant of the Moran scatterplot — 1 HH (high value, high neighbours), 2 LH, 3 LL, 4 HL, with
//! "high" meaning `zᵢ > 0` (resp. lag > 0), esda's `q` codes. Inference is by conditional permutation as for
//! Gi\*: observation i keeps its value and draws its kᵢ neighbours from the other n − 1 values, with the
//! stream `random::stream(seed, i)`. Same numbers as esda's `Moran_Local(y, w)` (`Is`, `q`).
//!
//! Nothing here reads files or knows about grids: values come in one per observation, in the order of the
//! weights.
//!
//! # References
//!
//! - Moran, P. A. P. (1950). Notes on continuous stochastic phenomena. *Biometrika* 37(1/2):17–23.
//! - Cliff, A. D. & Ord, J. K. (1981). *Spatial Processes: Models and Applications*. Pion, London.
//! - Anselin, L. (1995). Local indicators of spatial association — LISA. *Geographical Analysis*
//!   27(2):93–115.

use rayon::prelude::*;
use serde::Serialize;

use crate::fdr::{self, Correction, PermutationConfig};
use crate::gistar::conditional_permutations;
use crate::random;
use crate::weights::{Transform, Weights};

/// Global Moran's I with its moments and tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlobalMoran {
    /// Moran's I.
    pub i: f64,
    /// Its expectation under no autocorrelation, `−1 / (n − 1)`.
    pub expected: f64,
    /// Its variance under normality.
    pub variance_norm: f64,
    /// Its variance under randomisation.
    pub variance_rand: f64,
    /// `(I − E[I]) / √V_norm`.
    pub z_norm: f64,
    /// `(I − E[I]) / √V_rand`.
    pub z_rand: f64,
    /// Two-sided normal p-value of `z_norm`.
    pub p_norm: f64,
    /// Two-sided normal p-value of `z_rand`.
    pub p_rand: f64,
    /// Permutation pseudo p-value; `None` without permutations.
    pub p_sim: Option<f64>,
    /// `(I − mean) / sd` of the permuted values of I; `None` without permutations.
    pub z_sim: Option<f64>,
    /// Number of permutations run.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

/// Local Moran (LISA) for every observation, in the order of the weights.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocalMoran {
    /// The local Moran statistic `Iᵢ` of each observation.
    pub i: Vec<f64>,
    /// Moran-scatterplot quadrant: 1 HH, 2 LH, 3 LL, 4 HL (esda's `q`).
    pub quadrant: Vec<u8>,
    /// Conditional-permutation pseudo p-value; `None` without permutations.
    pub p_sim: Option<Vec<f64>>,
    /// `(Iᵢ − mean) / sd` of the simulated values; `None` without permutations.
    pub z_sim: Option<Vec<f64>>,
    /// Number of permutations run.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
}

/// Why Moran's I cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MoranError {
    /// The values and the weights do not have the same number of observations.
    #[error("there are {values} values but the weights have {observations} observations")]
    Length {
        /// Number of values.
        values: usize,
        /// Number of observations in the weights.
        observations: usize,
    },
    /// Too few observations: global Moran needs 4 (its randomisation variance divides by n − 3), local 3.
    #[error("Moran's I needs at least {needed} observations, not {found}")]
    TooFew {
        /// Observations needed.
        needed: usize,
        /// Observations given.
        found: usize,
    },
    /// A value is NaN or infinite.
    #[error("value {0} is not a finite number")]
    NotFinite(usize),
    /// Every value is the same, so there is no variation to correlate.
    #[error("every value is the same, so Moran's I is undefined")]
    Constant,
    /// No observation has a neighbour.
    #[error("no observation has a neighbour, so Moran's I is undefined")]
    NoNeighbours,
    /// Permutation p-values were asked for but no permutations were run.
    #[error("no permutations were run, so there are no permutation p-values")]
    NoPermutations,
}

/// Global Moran's I of `values` (one per observation of `weights`) with row-standardised weights, its
/// normal and randomisation tests, and `config.permutations` random permutations.
///
/// # Errors
///
/// [`MoranError::Length`], [`MoranError::TooFew`] (fewer than 4), [`MoranError::NotFinite`],
/// [`MoranError::Constant`], [`MoranError::NoNeighbours`].
pub fn global_moran(values: &[f64], weights: &Weights, config: &PermutationConfig) -> Result<GlobalMoran, MoranError> {
    check(values, weights, 4)?;
    let n = values.len();
    let nf = n as f64;
    let z = deviations(values);
    let z2: f64 = z.iter().map(|z| z * z).sum();
    let z4: f64 = z.iter().map(|z| z * z * z * z).sum();
    if z2 == 0.0 {
        return Err(MoranError::Constant);
    }
    let (s0, s1, s2) = moments(weights);
    if s0 == 0.0 {
        return Err(MoranError::NoNeighbours);
    }
    let statistic = |z: &[f64]| nf / s0 * cross_product(z, weights) / z2;
    let i = statistic(&z);
    let expected = -1.0 / (nf - 1.0);
    let s02 = s0 * s0;
    let variance_norm = (nf * nf * s1 - nf * s2 + 3.0 * s02) / ((nf - 1.0) * (nf + 1.0) * s02) - expected * expected;
    let b2 = nf * z4 / (z2 * z2);
    let a = nf * ((nf * nf - 3.0 * nf + 3.0) * s1 - nf * s2 + 3.0 * s02);
    let b = b2 * ((nf * nf - nf) * s1 - 2.0 * nf * s2 + 6.0 * s02);
    let variance_rand = (a - b) / ((nf - 1.0) * (nf - 2.0) * (nf - 3.0) * s02) - expected * expected;
    let z_norm = (i - expected) / variance_norm.sqrt();
    let z_rand = (i - expected) / variance_rand.sqrt();
    let two_sided = |z: f64| 2.0 * fdr::normal_sf(z.abs());
    let (p_sim, z_sim) = if config.permutations > 0 {
        let simulated: Vec<f64> = (0..config.permutations)
            .into_par_iter()
            .map_init(Vec::new, |buffer: &mut Vec<f64>, p| {
                buffer.clear();
                buffer.extend_from_slice(&z);
                random::shuffle(&mut random::stream(config.seed, p as u64), buffer);
                statistic(buffer)
            })
            .collect();
        let at_least = simulated.iter().filter(|&&s| s >= i).count();
        let at_most = simulated.iter().filter(|&&s| s <= i).count();
        let count = simulated.len() as f64;
        let mean = simulated.iter().sum::<f64>() / count;
        let sd = (simulated.iter().map(|s| (s - mean) * (s - mean)).sum::<f64>() / count).sqrt();
        (Some(fdr::pseudo_p(at_least, at_most, config.permutations, config.rule)), Some((i - mean) / sd))
    } else {
        (None, None)
    };
    Ok(GlobalMoran {
        i,
        expected,
        variance_norm,
        variance_rand,
        z_norm,
        z_rand,
        p_norm: two_sided(z_norm),
        p_rand: two_sided(z_rand),
        p_sim,
        z_sim,
        permutations: config.permutations,
        seed: config.seed,
    })
}

/// Local Moran `Iᵢ`, scatterplot quadrants and conditional-permutation p-values of `values` (one per
/// observation of `weights`) with row-standardised weights.
///
/// An island (no neighbours) has `Iᵢ = 0`, quadrant 3 or 4 (its lag is 0, "low"), and — every permutation
/// tying — `p_sim = 1` under [`fdr::PseudoP::Conservative`].
///
/// # Errors
///
/// [`MoranError::Length`], [`MoranError::TooFew`] (fewer than 3), [`MoranError::NotFinite`],
/// [`MoranError::Constant`].
pub fn local_moran(values: &[f64], weights: &Weights, config: &PermutationConfig) -> Result<LocalMoran, MoranError> {
    check(values, weights, 3)?;
    let n = values.len();
    let z = deviations(values);
    // Standardise by the population standard deviation, as esda does, so Σ z² = n.
    let sd = (z.iter().map(|z| z * z).sum::<f64>() / n as f64).sqrt();
    if sd == 0.0 {
        return Err(MoranError::Constant);
    }
    let z: Vec<f64> = z.iter().map(|z| z / sd).collect();
    let scaling = (n - 1) as f64 / z.iter().map(|z| z * z).sum::<f64>();
    let lag = weights.lag(&z, Transform::RowStandardised);
    let i = z.iter().zip(&lag).map(|(z, lag)| z * lag * scaling).collect();
    let quadrant = z
        .iter()
        .zip(&lag)
        .map(|(&z, &lag)| match (z > 0.0, lag > 0.0) {
            (true, true) => 1,
            (false, true) => 2,
            (false, false) => 3,
            (true, false) => 4,
        })
        .collect();
    let (p_sim, z_sim) = if config.permutations > 0 {
        // Iᵢ = zᵢ · scaling · (neighbour sum) / kᵢ: it grows with the neighbour sum when zᵢ > 0, shrinks
        // when zᵢ < 0, and is 0 whatever the neighbours when zᵢ = 0 or i is an island.
        let simulated = conditional_permutations(&z, weights, config, |i| match z[i] {
            _ if weights.cardinality(i) == 0 => 0.0,
            z if z > 0.0 => 1.0,
            z if z < 0.0 => -1.0,
            _ => 0.0,
        });
        (Some(simulated.p_sim), Some(simulated.z_sim))
    } else {
        (None, None)
    };
    Ok(LocalMoran { i, quadrant, p_sim, z_sim, permutations: config.permutations, seed: config.seed })
}

impl LocalMoran {
    /// LISA cluster map: the quadrant (1 HH, 2 LH, 3 LL, 4 HL) where the permutation p-value, adjusted by
    /// `correction` over all observations, is ≤ `alpha`; 0 (not significant) elsewhere. esda's
    /// `get_cluster_labels` uses p < α instead, which differs only where p equals α exactly.
    ///
    /// # Errors
    ///
    /// [`MoranError::NoPermutations`] when no permutations were run.
    pub fn clusters(&self, alpha: f64, correction: Correction) -> Result<Vec<u8>, MoranError> {
        let p = self.p_sim.as_ref().ok_or(MoranError::NoPermutations)?;
        let adjusted = fdr::adjust(p, correction).expect("pseudo p-values lie in (0, 1]");
        Ok(self.quadrant.iter().zip(adjusted).map(|(&q, p)| if p <= alpha { q } else { 0 }).collect())
    }
}

/// Checks lengths, size and finiteness.
fn check(values: &[f64], weights: &Weights, needed: usize) -> Result<(), MoranError> {
    if values.len() != weights.len() {
        return Err(MoranError::Length { values: values.len(), observations: weights.len() });
    }
    if values.len() < needed {
        return Err(MoranError::TooFew { needed, found: values.len() });
    }
    match values.iter().position(|v| !v.is_finite()) {
        Some(index) => Err(MoranError::NotFinite(index)),
        None => Ok(()),
    }
}

/// `xᵢ − x̄`.
fn deviations(values: &[f64]) -> Vec<f64> {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    values.iter().map(|v| v - mean).collect()
}

/// `Σᵢ zᵢ Σⱼ w_ij zⱼ` with row-standardised weights, summed in observation order.
fn cross_product(z: &[f64], weights: &Weights) -> f64 {
    (0..z.len())
        .map(|i| {
            let neighbours = weights.neighbours(i);
            if neighbours.is_empty() {
                return 0.0;
            }
            let sum: f64 = neighbours.iter().map(|&j| z[j as usize]).sum();
            z[i] * (sum / neighbours.len() as f64)
        })
        .sum()
}

/// `(S₀, S₁, S₂)` of the row-standardised weights.
fn moments(weights: &Weights) -> (f64, f64, f64) {
    let n = weights.len();
    let w = |i: usize| 1.0 / weights.cardinality(i) as f64;
    let s0 = (n - weights.islands()) as f64;
    // S₁ = Σᵢⱼ w_ij² + Σᵢⱼ w_ij w_ji, the second sum over the links that go both ways.
    let per_row: Vec<f64> = (0..n)
        .into_par_iter()
        .with_min_len(4096)
        .map(|i| {
            weights
                .neighbours(i)
                .iter()
                .map(|&j| {
                    let j = j as usize;
                    let back = if weights.contains(j, i) { w(j) } else { 0.0 };
                    w(i) * (w(i) + back)
                })
                .sum()
        })
        .collect();
    let s1 = per_row.iter().sum();
    let mut column = vec![0.0; n];
    for i in 0..n {
        for &j in weights.neighbours(i) {
            column[j as usize] += w(i);
        }
    }
    let s2 = (0..n).map(|i| (weights.row_sum(i, Transform::RowStandardised) + column[i]).powi(2)).sum();
    (s0, s1, s2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fdr::PseudoP;
    use crate::grid::Grid;

    fn config(permutations: usize) -> PermutationConfig {
        PermutationConfig { permutations, seed: 3, rule: PseudoP::Conservative }
    }

    #[test]
    fn moments_of_a_path_match_a_hand_computation() {
        // 0 — 1 — 2: w01 = 1, w10 = w12 = 1/2, w21 = 1.
        let weights = Weights::from_neighbour_lists(&[vec![1], vec![0, 2], vec![1]]).unwrap();
        let (s0, s1, s2) = moments(&weights);
        assert_eq!(s0, 3.0);
        // S₁ = ½ Σ (w_ij + w_ji)² = ½ · 2 · (1.5² + 1.5²) = 4.5.
        assert!((s1 - 4.5).abs() < 1e-15);
        // Row sums 1, 1, 1; column sums 0.5, 2, 0.5.
        assert!((s2 - (2.25 + 9.0 + 2.25)).abs() < 1e-15);
    }

    #[test]
    fn a_checkerboard_is_perfectly_negatively_autocorrelated() {
        let grid = Grid::new(0.0, 0.0, 1.0, 10, 10).unwrap();
        // Rook contiguity: every neighbour of a black cell is white.
        let weights = Weights::grid_distance_band(&grid, 1.0).unwrap();
        let values: Vec<f64> = (0..100).map(|i| ((i / 10 + i % 10) % 2) as f64).collect();
        let result = global_moran(&values, &weights, &config(99)).unwrap();
        assert!((result.i + 1.0).abs() < 1e-12, "I = {}", result.i);
        assert!(result.z_rand < -5.0);
        assert_eq!(result.p_sim, Some(0.01));
        let local = local_moran(&values, &weights, &config(99)).unwrap();
        assert!(local.quadrant.iter().all(|&q| q == 2 || q == 4));
        assert!(local.i.iter().all(|&i| i < 0.0));
    }

    #[test]
    fn bad_input_is_named() {
        let weights = Weights::from_neighbour_lists(&[vec![1], vec![0], vec![3], vec![2]]).unwrap();
        assert_eq!(global_moran(&[1.0; 4], &weights, &config(0)), Err(MoranError::Constant));
        assert_eq!(
            global_moran(&[1.0, 2.0], &weights, &config(0)),
            Err(MoranError::Length { values: 2, observations: 4 })
        );
        assert_eq!(global_moran(&[1.0, 2.0, f64::INFINITY, 0.0], &weights, &config(0)), Err(MoranError::NotFinite(2)));
        let islands = Weights::from_neighbour_lists(&[Vec::<usize>::new(), vec![], vec![], vec![]]).unwrap();
        assert_eq!(global_moran(&[1.0, 2.0, 3.0, 4.0], &islands, &config(0)), Err(MoranError::NoNeighbours));
        let local = local_moran(&[1.0, 2.0, 3.0, 4.0], &islands, &config(19)).unwrap();
        assert_eq!(local.p_sim, Some(vec![1.0; 4]));
        assert_eq!(local.i, vec![0.0; 4]);
        let unpermuted = local_moran(&[1.0, 2.0, 3.0, 4.0], &weights, &config(0)).unwrap();
        assert_eq!(unpermuted.clusters(0.05, Correction::None), Err(MoranError::NoPermutations));
    }
}
