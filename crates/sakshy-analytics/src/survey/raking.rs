//! Raking (iterative proportional fitting) of respondent weights to population margins, with optional
//! weight trimming.

use std::collections::BTreeMap;

use serde::Serialize;

/// Why weights cannot be raked.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RakingError {
    /// No margins were given.
    #[error("no margins to rake to")]
    NoMargins,
    /// A configuration value is out of range.
    #[error("invalid raking configuration: {0}")]
    InvalidConfig(&'static str),
    /// A starting weight is not finite and strictly positive.
    #[error("respondent {respondent} has weight {weight}: weights must be finite and > 0")]
    InvalidWeight {
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The offending weight.
        weight: f64,
    },
    /// A margin does not give one cell per respondent.
    #[error("margin {margin:?} gives {found} cells for {expected} respondents")]
    LengthMismatch {
        /// The margin's name.
        margin: String,
        /// Number of respondents (weights).
        expected: usize,
        /// Number of cell labels.
        found: usize,
    },
    /// A population count is negative or not finite.
    #[error("margin {margin:?}, cell {cell:?}: population {population} is not a finite count ≥ 0")]
    InvalidPopulation {
        /// The margin's name.
        margin: String,
        /// The cell.
        cell: String,
        /// The offending count.
        population: f64,
    },
    /// A respondent's cell is not among the margin's population cells.
    #[error("margin {margin:?}: respondent {respondent} is in cell {cell:?}, which has no population count")]
    UnknownCell {
        /// The margin's name.
        margin: String,
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The respondent's cell.
        cell: String,
    },
    /// A cell has population but no respondents: no weights can represent it. Merge it with a neighbouring
    /// cell (e.g. a wider age band) or drop the margin.
    #[error("margin {margin:?}, cell {cell:?}: population {population} but no respondents")]
    EmptyCell {
        /// The margin's name.
        margin: String,
        /// The cell.
        cell: String,
        /// Its population.
        population: f64,
    },
    /// A cell has respondents but zero population, which would give them zero weight.
    #[error("margin {margin:?}, cell {cell:?}: {respondents} respondents but population 0")]
    ZeroPopulation {
        /// The margin's name.
        margin: String,
        /// The cell.
        cell: String,
        /// Number of respondents in it.
        respondents: usize,
    },
    /// Margins disagree on the population total, so no weights can meet them all.
    #[error("margin {margin:?} totals {total} but margin {first:?} totals {first_total}")]
    InconsistentTotals {
        /// The margin that disagrees.
        margin: String,
        /// Its total.
        total: f64,
        /// The first margin.
        first: String,
        /// The first margin's total.
        first_total: f64,
    },
    /// The margins were not met within the tolerance after the allowed sweeps (the margins may be
    /// incompatible with the sample, e.g. through structural zeros in two-way margins).
    #[error("raking did not converge in {iterations} sweeps: largest relative margin error {max_relative_error:e}")]
    NotConverged {
        /// Sweeps done.
        iterations: usize,
        /// The largest `|Σw − N| / N` over all cells at the end.
        max_relative_error: f64,
    },
}

/// One set of population margins: per respondent the cell they fall in, and per cell its population.
///
/// A two-way margin (age band × sex in each district) is one `Margin` whose cell labels join the parts, e.g.
/// `"Abay|30-44|f"`; a one-way margin (district) has plain labels. Respondents whose cell is unknown (an
/// unanswered age question) must be imputed or dropped by the caller before raking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Margin {
    /// A name for messages, e.g. `"district × age × sex"`.
    pub name: String,
    /// The cell of each respondent, in table order.
    pub cells: Vec<String>,
    /// Population per cell (persons). Every cell with population must have respondents.
    pub population: BTreeMap<String, f64>,
}

/// Weight trimming: cap weights at `max_ratio` × the mean weight, then rake again, repeatedly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Trim {
    /// The cap as a multiple of the mean weight (`> 1`; 5 is a common choice).
    pub max_ratio: f64,
    /// The most cap-and-rake rounds (e.g. 20).
    pub max_rounds: usize,
}

/// How to rake.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct RakingConfig {
    /// Convergence tolerance: stop when every cell of every margin is met within this relative error,
    /// `|Σw − N| / N ≤ tolerance` (e.g. 1e-10).
    pub tolerance: f64,
    /// The most sweeps over all margins (e.g. 1000).
    pub max_iterations: usize,
    /// Optional trimming of extreme weights.
    pub trim: Option<Trim>,
}

/// Raked weights and how they were reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Raked {
    /// The raked weight of each respondent (persons represented), in table order.
    pub weights: Vec<f64>,
    /// Sweeps in the last raking (after the last trimming round).
    pub iterations: usize,
    /// The largest relative margin error `|Σw − N| / N` over all cells at the end.
    pub max_relative_error: f64,
    /// Trimming rounds done (0 without trimming or when no weight exceeded the cap).
    pub trim_rounds: usize,
    /// Whether the final weights respect the cap, `max w ≤ max_ratio · mean w` (within [`CAP_SLACK`]); always
    /// true without trimming. When false the margins still hold, but some weights exceed the cap.
    pub trim_satisfied: bool,
    /// The largest weight divided by the mean weight.
    pub max_weight_ratio: f64,
    /// Kish's design effect of weighting, `n Σw² / (Σw)²` (1 for equal weights).
    pub design_effect: f64,
}

/// Relative slack within which trimmed weights count as respecting the cap. Cap-and-rake approaches the cap
/// from above only geometrically, so an exact cap could take hundreds of rounds for a difference nobody sees.
pub const CAP_SLACK: f64 = 1e-3;

/// A margin with cells as indices.
struct Coded {
    cell_of: Vec<usize>,
    population: Vec<f64>,
}

/// Rakes `weights` (the design weights, or 1 each) to the `margins` by iterative proportional fitting
/// (Deming & Stephan 1940, *Ann. Math. Statist.* 11:427–444).
///
/// Each **sweep** visits the margins in the order given and multiplies the weights of the respondents in each
/// cell by `N_cell / Σ_cell w`, so that margin is met exactly; sweeps repeat until every cell of every margin is
/// within `tolerance` (relative), checked before each sweep. The result is the unique set of weights closest to
/// the starting weights in the Kullback–Leibler sense that meets all margins (when one exists), the same as
/// samplics' `SampleWeight.rake` and ipfn to rounding (see `tests/it/survey.rs`).
///
/// **Trimming** (optional): after raking, while the largest weight exceeds `max_ratio × mean weight` (by more
/// than [`CAP_SLACK`], relative) and fewer than `max_rounds` rounds have been done, weights are capped at that
/// value and raked again. The mean weight is `N / n` after every raking, so the cap does not move. Raking
/// pushes some weights back above the cap, less each round; [`Raked::trim_satisfied`] says whether the final
/// weights respect it. A cap too tight for the margins is never met: the margins are kept, the cap is not.
///
/// # Errors
///
/// [`RakingError`] naming the margin and cell at fault: in particular [`RakingError::EmptyCell`] for a cell
/// with population but no respondents, and [`RakingError::NotConverged`].
pub fn rake(weights: &[f64], margins: &[Margin], config: &RakingConfig) -> Result<Raked, RakingError> {
    if !(config.tolerance > 0.0 && config.tolerance < 1.0) {
        return Err(RakingError::InvalidConfig("tolerance must be in (0, 1)"));
    }
    if config.max_iterations == 0 {
        return Err(RakingError::InvalidConfig("max_iterations must be at least 1"));
    }
    if let Some(trim) = config.trim
        && !(trim.max_ratio > 1.0 && trim.max_ratio.is_finite())
    {
        return Err(RakingError::InvalidConfig("trim.max_ratio must be finite and > 1"));
    }
    if margins.is_empty() {
        return Err(RakingError::NoMargins);
    }
    if let Some(respondent) = weights.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(RakingError::InvalidWeight { respondent, weight: weights[respondent] });
    }
    let coded = code_margins(weights.len(), margins)?;

    let mut w = weights.to_vec();
    let (mut iterations, mut error) = rake_in_place(&mut w, &coded, config)?;
    let mut trim_rounds = 0;
    let mut trim_satisfied = true;
    if let Some(trim) = config.trim {
        loop {
            let cap = trim.max_ratio * mean(&w);
            trim_satisfied = max(&w) <= cap * (1.0 + CAP_SLACK);
            if trim_satisfied || trim_rounds == trim.max_rounds {
                break;
            }
            for v in &mut w {
                *v = v.min(cap);
            }
            (iterations, error) = rake_in_place(&mut w, &coded, config)?;
            trim_rounds += 1;
        }
    }
    let sum: f64 = w.iter().sum();
    let sum_sq: f64 = w.iter().map(|v| v * v).sum();
    let max_weight_ratio = if w.is_empty() { 0.0 } else { max(&w) / mean(&w) };
    let design_effect = if w.is_empty() { 1.0 } else { w.len() as f64 * sum_sq / (sum * sum) };
    Ok(Raked {
        weights: w,
        iterations,
        max_relative_error: error,
        trim_rounds,
        trim_satisfied,
        max_weight_ratio,
        design_effect,
    })
}

/// Checks the margins and turns their labels into indices.
fn code_margins(n: usize, margins: &[Margin]) -> Result<Vec<Coded>, RakingError> {
    let mut coded = Vec::with_capacity(margins.len());
    let mut first_total: Option<(&str, f64)> = None;
    for margin in margins {
        if margin.cells.len() != n {
            return Err(RakingError::LengthMismatch {
                margin: margin.name.clone(),
                expected: n,
                found: margin.cells.len(),
            });
        }
        if let Some((cell, &population)) = margin.population.iter().find(|(_, p)| !(p.is_finite() && **p >= 0.0)) {
            return Err(RakingError::InvalidPopulation { margin: margin.name.clone(), cell: cell.clone(), population });
        }
        let index: BTreeMap<&str, usize> = margin.population.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
        let population: Vec<f64> = margin.population.values().copied().collect();
        let mut cell_of = Vec::with_capacity(n);
        let mut counts = vec![0usize; population.len()];
        for (respondent, cell) in margin.cells.iter().enumerate() {
            let c = *index.get(cell.as_str()).ok_or_else(|| RakingError::UnknownCell {
                margin: margin.name.clone(),
                respondent,
                cell: cell.clone(),
            })?;
            counts[c] += 1;
            cell_of.push(c);
        }
        for ((cell, &pop), &count) in margin.population.keys().zip(&population).zip(&counts) {
            if pop > 0.0 && count == 0 {
                return Err(RakingError::EmptyCell {
                    margin: margin.name.clone(),
                    cell: cell.clone(),
                    population: pop,
                });
            }
            if pop == 0.0 && count > 0 {
                return Err(RakingError::ZeroPopulation {
                    margin: margin.name.clone(),
                    cell: cell.clone(),
                    respondents: count,
                });
            }
        }
        let total: f64 = population.iter().sum();
        match first_total {
            None => first_total = Some((&margin.name, total)),
            Some((first, first_total)) => {
                if (total - first_total).abs() > 1e-9 * first_total.abs().max(1.0) {
                    return Err(RakingError::InconsistentTotals {
                        margin: margin.name.clone(),
                        total,
                        first: first.to_string(),
                        first_total,
                    });
                }
            }
        }
        coded.push(Coded { cell_of, population });
    }
    Ok(coded)
}

/// Runs sweeps until converged; returns (sweeps, final largest relative error).
fn rake_in_place(w: &mut [f64], margins: &[Coded], config: &RakingConfig) -> Result<(usize, f64), RakingError> {
    let mut sums: Vec<Vec<f64>> = margins.iter().map(|m| vec![0.0; m.population.len()]).collect();
    let mut iterations = 0;
    loop {
        let error = max_relative_error(w, margins, &mut sums);
        if error <= config.tolerance {
            return Ok((iterations, error));
        }
        if iterations == config.max_iterations {
            return Err(RakingError::NotConverged { iterations, max_relative_error: error });
        }
        for (m, s) in margins.iter().zip(&mut sums) {
            cell_sums(w, m, s);
            let factors: Vec<f64> = m.population.iter().zip(s.iter()).map(|(p, s)| p / s).collect();
            for (v, &c) in w.iter_mut().zip(&m.cell_of) {
                *v *= factors[c];
            }
        }
        iterations += 1;
    }
}

fn cell_sums(w: &[f64], margin: &Coded, sums: &mut [f64]) {
    sums.fill(0.0);
    for (v, &c) in w.iter().zip(&margin.cell_of) {
        sums[c] += v;
    }
}

fn max_relative_error(w: &[f64], margins: &[Coded], sums: &mut [Vec<f64>]) -> f64 {
    let mut worst = 0.0f64;
    for (m, s) in margins.iter().zip(sums.iter_mut()) {
        cell_sums(w, m, s);
        for (&p, &s) in m.population.iter().zip(s.iter()) {
            if p > 0.0 {
                worst = worst.max((s - p).abs() / p);
            }
        }
    }
    worst
}

fn mean(w: &[f64]) -> f64 {
    w.iter().sum::<f64>() / w.len() as f64
}

fn max(w: &[f64]) -> f64 {
    w.iter().copied().fold(f64::NEG_INFINITY, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn margin(name: &str, cells: &[&str], population: &[(&str, f64)]) -> Margin {
        Margin {
            name: name.into(),
            cells: cells.iter().map(|s| s.to_string()).collect(),
            population: population.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
        }
    }

    fn config() -> RakingConfig {
        RakingConfig { tolerance: 1e-12, max_iterations: 1000, trim: None }
    }

    #[test]
    fn one_margin_is_post_stratification() {
        let m = margin("sex", &["f", "f", "m"], &[("f", 60.0), ("m", 40.0)]);
        let r = rake(&[1.0, 3.0, 1.0], &[m], &config()).unwrap();
        assert_eq!(r.weights, vec![15.0, 45.0, 40.0]);
        assert_eq!(r.iterations, 1);
    }

    #[test]
    fn empty_cells_and_bad_margins_are_named() {
        let m = margin("age", &["young", "young"], &[("young", 10.0), ("old", 5.0)]);
        assert_eq!(
            rake(&[1.0, 1.0], &[m], &config()),
            Err(RakingError::EmptyCell { margin: "age".into(), cell: "old".into(), population: 5.0 })
        );
        let m = margin("age", &["young", "middle"], &[("young", 10.0)]);
        assert!(matches!(rake(&[1.0, 1.0], &[m], &config()), Err(RakingError::UnknownCell { respondent: 1, .. })));
        let a = margin("a", &["x", "y"], &[("x", 1.0), ("y", 1.0)]);
        let b = margin("b", &["x", "y"], &[("x", 1.0), ("y", 2.0)]);
        assert!(matches!(rake(&[1.0, 1.0], &[a.clone(), b], &config()), Err(RakingError::InconsistentTotals { .. })));
        let z = margin("z", &["x", "y"], &[("x", 2.0), ("y", 0.0)]);
        assert!(matches!(rake(&[1.0, 1.0], &[z], &config()), Err(RakingError::ZeroPopulation { .. })));
        assert_eq!(rake(&[1.0, 1.0], &[], &config()), Err(RakingError::NoMargins));
        assert!(matches!(
            rake(&[1.0, -1.0], std::slice::from_ref(&a), &config()),
            Err(RakingError::InvalidWeight { .. })
        ));
        let zero_tolerance = RakingConfig { tolerance: 0.0, ..config() };
        assert!(matches!(rake(&[1.0, 1.0], &[a], &zero_tolerance), Err(RakingError::InvalidConfig(_))));
    }

    #[test]
    fn incompatible_margins_do_not_converge() {
        // Respondents only in (x, p) and (y, q): the margins below need weight in (x, q).
        let a = margin("a", &["x", "y"], &[("x", 5.0), ("y", 5.0)]);
        let b = margin("b", &["p", "q"], &[("p", 2.0), ("q", 8.0)]);
        let r = rake(&[1.0, 1.0], &[a, b], &RakingConfig { max_iterations: 50, ..config() });
        assert!(matches!(r, Err(RakingError::NotConverged { iterations: 50, .. })), "{r:?}");
    }
}
