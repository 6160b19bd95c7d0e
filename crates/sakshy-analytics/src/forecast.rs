//! Scoring a hotspot forecast on a later period over the true study area: hit rate, PAI, PEI (and Levine's
//! RRI), at one coverage or as a curve over coverages.
//!
//! A forecast is a risk score per grid cell (e.g. the kernel density of period 1). It is judged by the events
//! of a later period 2 that fall in the cells it flags. The study area is the union of quadrants, not the
//! grid's bounding box: the caller gives, per cell, the fraction of the cell's area that lies inside the study
//! area (1 inside, 0 outside, in between on the boundary), so that the study area `A` is exact. Scoring over the
//! bounding box inflates PAI (analytics.md §1.1, "A = the study area, not the bounding box").
//!
//! This module only scores; it does not make forecasts and does not decide which events are inside the study
//! area.
//!
//! # Rules
//!
//! - **Eligible cells** have a study-area fraction `> 0`. Cells outside the study area are never flagged, and
//!   their period-2 events are excluded from `N` (reported as `events_outside`). Events in a boundary cell are
//!   taken as given: the caller counts only events inside the study area (point in polygon) into the per-cell
//!   counts.
//! - **Ranking:** eligible cells by risk, highest first; **ties are broken by the lower flat index**
//!   (`row · ncols + col`, row 0 = south). `open_cp` (`open_cp.evaluation`) also takes the first cells in natural
//!   order among ties but flags `⌊cells · coverage⌋` cells; the tie rule is the same, the count rule differs.
//! - **Flagged cells at coverage `c`:** the fewest top-ranked cells whose study-area area reaches `c · A`
//!   (`⌈c · cells⌉` cells when every cell is wholly inside, as in our Python reference `refcommon.hit_rate_pai`).
//!   At least one cell is flagged; the flagged area `a` is the actual area of the flagged cells inside the study
//!   area, so it can exceed `c · A` by less than one cell.
//!
//! # Scores
//!
//! With `n` period-2 events in the flagged cells, `N` in the study area, flagged area `a` and study area `A`:
//!
//! - hit rate `= n / N`;
//! - PAI `= (n / N) / (a / A)` (Chainey, Tompson & Uhlig 2008, *Security Journal* 21:4–28);
//! - PEI `= n / n*`, with `n*` the most period-2 events any set of **the same number of eligible cells** holds
//!   (analytics.md §1.1: "We output `pei` = `n/n_max` with equal cell counts"; Hunt 2016; White, Hunt & Green 2023);
//! - RRI `= (n₂ / n₁) / (N₂ / N₁)`, the recapture rate index of Levine 2008 (*Security Journal* 21:295–302), with
//!   `n₁`, `N₁` the period-1 events in the flagged cells and in the study area — only when period-1 counts are
//!   given ([`HotspotForecast::with_period1`]).

use rayon::prelude::*;
use serde::Serialize;

use crate::grid::Grid;

/// Coverages of the hit-rate curve when the caller has no preference: 1 %, 2 %, 5 %, 10 %, 20 %, 50 %, 100 %.
pub const DEFAULT_CURVE_COVERAGES: [f64; 7] = [0.01, 0.02, 0.05, 0.10, 0.20, 0.50, 1.0];

/// Relative slack when comparing the flagged area with the target area, so that `0.05 · 400` cells is 20 cells
/// and not 21 because of rounding.
const AREA_SLACK: f64 = 1e-9;

/// A forecast ready to be scored: validated inputs and the cells ranked once.
#[derive(Debug, Clone)]
pub struct HotspotForecast {
    grid: Grid,
    /// Eligible cells (flat indices) by risk, highest first, ties by lower index.
    ranked: Vec<usize>,
    /// `fraction_prefix[k]` = study-area fraction of the first `k` ranked cells (in cells).
    fraction_prefix: Vec<f64>,
    /// `hits_prefix[k]` = period-2 events in the first `k` ranked cells.
    hits_prefix: Vec<u64>,
    /// `best_prefix[k]` = period-2 events in the `k` eligible cells with the most events.
    best_prefix: Vec<u64>,
    /// Study area in cells (sum of fractions).
    study_cells: f64,
    /// Period-2 events in eligible cells.
    events: u64,
    /// Period-2 events in cells outside the study area.
    events_outside: u64,
    /// Period-1 events in eligible cells, in rank order, when given.
    period1_prefix: Option<Vec<u64>>,
}

/// How well a forecast flagged the period-2 events at one coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastScore {
    /// Coverage asked for: the share of the study area to flag, in `(0, 1]`.
    pub coverage: f64,
    /// Cells flagged.
    pub cells_flagged: usize,
    /// `a`: area of the flagged cells inside the study area, m².
    pub flagged_area_m2: f64,
    /// `A`: the study area, m².
    pub study_area_m2: f64,
    /// `a / A`: the share of the study area actually flagged (at least `coverage`, up to one cell more).
    pub area_fraction: f64,
    /// `n`: period-2 events in the flagged cells.
    pub hits: u64,
    /// `N`: period-2 events in the study area.
    pub events: u64,
    /// Period-2 events in cells outside the study area, excluded from `N`.
    pub events_outside: u64,
    /// `n / N`.
    pub hit_rate: f64,
    /// Predictive accuracy index `(n / N) / (a / A)`.
    pub pai: f64,
    /// `n*`: the most period-2 events any `cells_flagged` eligible cells hold.
    pub max_hits: u64,
    /// Predictive efficiency index `n / n*`, in `[0, 1]`.
    pub pei: f64,
    /// Recapture rate index `(n₂ / n₁) / (N₂ / N₁)`; `None` without period-1 counts or when the flagged cells
    /// held no period-1 events.
    pub rri: Option<f64>,
}

/// Why a forecast cannot be scored.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ForecastError {
    /// A per-cell input does not have one value per grid cell.
    #[error("{what} has {got} values but the grid has {expected} cells")]
    LengthMismatch {
        /// Which input.
        what: &'static str,
        /// Values given.
        got: usize,
        /// Cells in the grid.
        expected: usize,
    },
    /// A study-area fraction is not a number in `[0, 1]`.
    #[error("the study-area fraction of cell {index} is {value}, not a number in [0, 1]")]
    BadFraction {
        /// Flat index of the cell.
        index: usize,
        /// Value given.
        value: f64,
    },
    /// A risk score is NaN or infinite.
    #[error("the risk of cell {index} is not a finite number")]
    BadRisk {
        /// Flat index of the cell.
        index: usize,
    },
    /// No cell is inside the study area.
    #[error("the study area is empty: no cell has a positive study-area fraction")]
    EmptyStudyArea,
    /// No period-2 event is inside the study area, so no rate can be computed.
    #[error("there are no period-2 events inside the study area")]
    NoEvents,
    /// The coverage is not in `(0, 1]`.
    #[error("coverage must be in (0, 1], not {0}")]
    BadCoverage(f64),
}

impl HotspotForecast {
    /// A forecast on `grid` with, per cell in flat row-major order: `study_fraction` (share of the cell's area
    /// inside the study area, `[0, 1]`), `risk` (the forecast; higher is riskier) and `events` (period-2 events,
    /// counted inside the study area only).
    ///
    /// # Errors
    ///
    /// [`ForecastError::LengthMismatch`], [`ForecastError::BadFraction`], [`ForecastError::BadRisk`],
    /// [`ForecastError::EmptyStudyArea`], [`ForecastError::NoEvents`].
    pub fn new(grid: Grid, study_fraction: &[f64], risk: &[f64], events: &[u32]) -> Result<Self, ForecastError> {
        check_len("study_fraction", study_fraction.len(), &grid)?;
        check_len("risk", risk.len(), &grid)?;
        check_len("events", events.len(), &grid)?;
        if let Some(index) = study_fraction.iter().position(|f| !(0.0..=1.0).contains(f)) {
            return Err(ForecastError::BadFraction { index, value: study_fraction[index] });
        }
        if let Some(index) = risk.iter().position(|r| !r.is_finite()) {
            return Err(ForecastError::BadRisk { index });
        }
        let eligible = |index: &usize| study_fraction[*index] > 0.0;
        // Adding 0.0 turns −0.0 into +0.0, so that the two zeros tie and fall back to the index rule.
        let key = |index: usize| risk[index] + 0.0;
        let mut ranked: Vec<usize> = (0..grid.len()).filter(eligible).collect();
        if ranked.is_empty() {
            return Err(ForecastError::EmptyStudyArea);
        }
        // The keys (risk, index) are distinct, so the unstable parallel sort is deterministic.
        ranked.par_sort_unstable_by(|&i, &j| key(j).total_cmp(&key(i)).then(i.cmp(&j)));

        let fraction_prefix = prefix(ranked.iter().map(|&i| study_fraction[i]), 0.0);
        let hits_prefix = prefix(ranked.iter().map(|&i| u64::from(events[i])), 0);
        let mut best: Vec<u32> = ranked.iter().map(|&i| events[i]).collect();
        best.par_sort_unstable_by(|a, b| b.cmp(a));
        let best_prefix = prefix(best.iter().map(|&c| u64::from(c)), 0);
        let study_cells = study_fraction.iter().sum::<f64>();
        let total: u64 = events.iter().map(|&c| u64::from(c)).sum();
        let inside = *hits_prefix.last().expect("a prefix sum has a first element");
        if inside == 0 {
            return Err(ForecastError::NoEvents);
        }
        Ok(HotspotForecast {
            grid,
            ranked,
            fraction_prefix,
            hits_prefix,
            best_prefix,
            study_cells,
            events: inside,
            events_outside: total - inside,
            period1_prefix: None,
        })
    }

    /// The same forecast with period-1 event counts per cell (flat, row-major), so that scores include RRI.
    ///
    /// # Errors
    ///
    /// [`ForecastError::LengthMismatch`].
    pub fn with_period1(mut self, period1_events: &[u32]) -> Result<Self, ForecastError> {
        check_len("period1_events", period1_events.len(), &self.grid)?;
        self.period1_prefix = Some(prefix(self.ranked.iter().map(|&i| u64::from(period1_events[i])), 0));
        Ok(self)
    }

    /// The cells flagged at `coverage` (flat indices, highest risk first).
    ///
    /// # Errors
    ///
    /// [`ForecastError::BadCoverage`] outside `(0, 1]`.
    pub fn flagged(&self, coverage: f64) -> Result<&[usize], ForecastError> {
        Ok(&self.ranked[..self.cells_to_flag(coverage)?])
    }

    /// Hit rate, PAI, PEI (and RRI) at `coverage`, the share of the study area to flag.
    ///
    /// # Errors
    ///
    /// [`ForecastError::BadCoverage`] outside `(0, 1]`.
    pub fn score(&self, coverage: f64) -> Result<ForecastScore, ForecastError> {
        let k = self.cells_to_flag(coverage)?;
        let cell_area = self.grid.cell_area();
        // All eligible cells flagged: use the study area itself, so that PAI is exactly 1 whatever the order in
        // which the fractions were summed.
        let flagged_cells = if k == self.ranked.len() { self.study_cells } else { self.fraction_prefix[k] };
        let (hits, events, max_hits) = (self.hits_prefix[k], self.events, self.best_prefix[k]);
        let hit_rate = hits as f64 / events as f64;
        let area_fraction = flagged_cells / self.study_cells;
        let rri = self.period1_prefix.as_ref().and_then(|period1| {
            let (flagged1, total1) = (period1[k], *period1.last().expect("a prefix sum has a first element"));
            (flagged1 > 0).then(|| (hits as f64 / flagged1 as f64) / (events as f64 / total1 as f64))
        });
        Ok(ForecastScore {
            coverage,
            cells_flagged: k,
            flagged_area_m2: flagged_cells * cell_area,
            study_area_m2: self.study_cells * cell_area,
            area_fraction,
            hits,
            events,
            events_outside: self.events_outside,
            hit_rate,
            pai: hit_rate / area_fraction,
            max_hits,
            // `max_hits ≥ 1`: at least one cell is flagged and some eligible cell holds an event.
            pei: hits as f64 / max_hits as f64,
            rri,
        })
    }

    /// Scores at each of `coverages` (e.g. [`DEFAULT_CURVE_COVERAGES`]): the hit-rate (and PAI, PEI) curve.
    ///
    /// # Errors
    ///
    /// [`ForecastError::BadCoverage`] for the first coverage outside `(0, 1]`.
    pub fn curve(&self, coverages: &[f64]) -> Result<Vec<ForecastScore>, ForecastError> {
        coverages.iter().map(|&coverage| self.score(coverage)).collect()
    }

    /// The study area, m².
    pub fn study_area_m2(&self) -> f64 {
        self.study_cells * self.grid.cell_area()
    }

    /// Number of cells to flag at `coverage`: the fewest top-ranked cells whose fractions reach
    /// `coverage · study_cells`, at least one.
    fn cells_to_flag(&self, coverage: f64) -> Result<usize, ForecastError> {
        if !(coverage > 0.0 && coverage <= 1.0) {
            return Err(ForecastError::BadCoverage(coverage));
        }
        let target = coverage * self.study_cells * (1.0 - AREA_SLACK);
        // `fraction_prefix` is non-decreasing: find the first k with prefix[k] ≥ target.
        let k = self.fraction_prefix.partition_point(|&covered| covered < target);
        Ok(k.clamp(1, self.ranked.len()))
    }
}

/// Scores a forecast at one coverage: [`HotspotForecast::new`] then [`HotspotForecast::score`].
///
/// # Errors
///
/// As [`HotspotForecast::new`] and [`HotspotForecast::score`].
pub fn score_forecast(
    grid: Grid,
    study_fraction: &[f64],
    risk: &[f64],
    events: &[u32],
    coverage: f64,
) -> Result<ForecastScore, ForecastError> {
    HotspotForecast::new(grid, study_fraction, risk, events)?.score(coverage)
}

fn check_len(what: &'static str, got: usize, grid: &Grid) -> Result<(), ForecastError> {
    if got == grid.len() { Ok(()) } else { Err(ForecastError::LengthMismatch { what, got, expected: grid.len() }) }
}

/// Running sums `[0, v₀, v₀+v₁, …]`, one more than the values.
fn prefix<T: Copy + std::ops::Add<Output = T>>(values: impl Iterator<Item = T>, zero: T) -> Vec<T> {
    let mut sums = vec![zero];
    let mut acc = zero;
    for value in values {
        acc = acc + value;
        sums.push(acc);
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> Grid {
        Grid::new(0.0, 0.0, 10.0, n, 1).unwrap()
    }

    #[test]
    fn ties_go_to_the_lower_index_and_negative_zero_ties_with_zero() {
        let forecast = HotspotForecast::new(line(4), &[1.0; 4], &[0.0, 1.0, -0.0, 1.0], &[1, 0, 0, 5]).unwrap();
        assert_eq!(forecast.flagged(1.0).unwrap(), &[1, 3, 0, 2]);
        assert_eq!(forecast.flagged(0.25).unwrap(), &[1]);
        let score = forecast.score(0.5).unwrap();
        assert_eq!((score.hits, score.max_hits, score.pei), (5, 6, 5.0 / 6.0));
    }

    #[test]
    fn coverage_is_reached_not_exceeded_by_a_whole_cell_because_of_rounding() {
        let grid = Grid::new(0.0, 0.0, 1.0, 20, 20).unwrap();
        let forecast = HotspotForecast::new(grid, &[1.0; 400], &[0.0; 400], &[1; 400]).unwrap();
        for (coverage, cells) in [(0.05, 20), (0.1, 40), (0.3, 120), (0.051, 21), (1e-6, 1), (1.0, 400)] {
            assert_eq!(forecast.score(coverage).unwrap().cells_flagged, cells, "coverage {coverage}");
        }
    }

    #[test]
    fn bad_input_is_named() {
        let grid = line(3);
        let ok = [1.0, 1.0, 1.0];
        assert_eq!(
            HotspotForecast::new(grid, &ok, &[1.0, 2.0], &[1, 1, 1]).unwrap_err(),
            ForecastError::LengthMismatch { what: "risk", got: 2, expected: 3 }
        );
        assert_eq!(
            HotspotForecast::new(grid, &[1.0, 1.5, 1.0], &ok, &[1, 1, 1]).unwrap_err(),
            ForecastError::BadFraction { index: 1, value: 1.5 }
        );
        assert_eq!(
            HotspotForecast::new(grid, &ok, &[1.0, f64::NAN, 1.0], &[1, 1, 1]).unwrap_err(),
            ForecastError::BadRisk { index: 1 }
        );
        assert_eq!(HotspotForecast::new(grid, &[0.0; 3], &ok, &[1, 1, 1]).unwrap_err(), ForecastError::EmptyStudyArea);
        assert_eq!(HotspotForecast::new(grid, &[1.0, 0.0, 0.0], &ok, &[0, 4, 4]).unwrap_err(), ForecastError::NoEvents);
        let forecast = HotspotForecast::new(grid, &ok, &ok, &[1, 1, 1]).unwrap();
        for coverage in [0.0, -0.1, 1.01, f64::NAN] {
            assert!(matches!(forecast.score(coverage), Err(ForecastError::BadCoverage(_))));
        }
        assert!(matches!(forecast.clone().with_period1(&[1]), Err(ForecastError::LengthMismatch { .. })));
    }

    #[test]
    fn rri_compares_recapture_with_the_overall_change() {
        // Period 1: 4 of 8 events in cell 0; period 2: 3 of 4 in cell 0. RRI = (3/4)/(4/8) = 1.5.
        let forecast =
            HotspotForecast::new(line(2), &[1.0, 1.0], &[2.0, 1.0], &[3, 1]).unwrap().with_period1(&[4, 4]).unwrap();
        assert_eq!(forecast.score(0.5).unwrap().rri, Some(1.5));
        let without = HotspotForecast::new(line(2), &[1.0, 1.0], &[2.0, 1.0], &[3, 1]).unwrap();
        assert_eq!(without.score(0.5).unwrap().rri, None);
    }
}
