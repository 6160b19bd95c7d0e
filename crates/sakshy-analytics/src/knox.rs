//! The Knox test and the near-repeat table of Ratcliffe's Near Repeat Calculator (NRC).
//!
//! # The table
//!
//! Every unordered pair of events falls in one cell of a table whose rows are distances between the two
//! events and whose columns are the times between them (Knox 1964, *Applied Statistics* 13:25–29; the crime
//! version with permuted dates: Johnson et al. 2007, *J. Quant. Criminol.* 23:201–219). With a space band `s`
//! metres, `R` space bands, a time band `τ` days and `K` time bands:
//!
//! - rows: **same location** (distance exactly 0), then the distance bands `(0, s)`, `[s, 2s)`, …,
//!   `[(R−1)s, Rs)`, then **beyond** (`≥ Rs`) — `R + 2` rows;
//! - columns: the time bands `[0, τ)`, `[τ, 2τ)`, …, `[(K−1)τ, Kτ)`, then **beyond** (`≥ Kτ`) — `K + 1`
//!   columns.
//!
//! All bands are half-open `[a, b)`. `space_edges = [0, s, …, Rs]` and `time_edges = [0, τ, …, Kτ]` are given
//! with the table. The NRC labels these bands "Same location", "1 to 100", "101 to 200", … and "0 to 7",
//! "8 to 14", …: its "a to b" means `[a − 1, b)`.
//!
//! # Significance
//!
//! The times are permuted among the events (space kept), `permutations` times, each permutation drawn from
//! [`random::stream`]`(seed, index)`. Per cell: `expected_mean` is the mean count over the permutations,
//! `knox_ratio = observed / expected_mean` (the NRC's "observed over mean expected"), and
//! `p_value = (#{permutations with count ≥ observed} + 1) / (permutations + 1)`. The NRC counts the observed
//! arrangement among its "iterations": its "20 iterations" are `permutations = 19`, and its smallest p is 0.05.
//!
//! # NRC-compatible mode
//!
//! The NRC computes distances in single precision. With `nrc_compat` the coordinates are rounded to `f32`,
//! and the differences, the distance (`|dx| + |dy|`, or `sqrt(dx² + dy²)`) and the comparison with the band
//! edges are all done in `f32` (IEEE, correctly rounded, no fused multiply-add). At Chicago's State Plane
//! coordinates (~350,000 m, where an `f32` step is 1/32 m) this moves a few pairs across band edges; with it
//! the Chicago golden tables of the NRC are reproduced cell for cell. Times are used as given; the NRC itself
//! reads whole dates.
//!
//! # Algorithm
//!
//! Only pairs closer than the outer space edge `Rs` ("close pairs") can fall in a row other than beyond; they
//! are found once with a grid of cells of side a little over `Rs` (events sorted by cell; each event looks at its
//! own cell and its forward neighbours, so every pair is seen once). A permutation of the times changes neither
//! the column totals over all `n(n − 1)/2` pairs (they depend only on the multiset of times; counted once from
//! the sorted times) nor the number of close pairs in each row. So a permutation costs one pass over the close
//! pairs, counting only those below the outer time edge (for whole-day times: one vectorised comparison with
//! the time edges per pair, without branches); the beyond column of a close row is its total minus those, and
//! the beyond row is the column totals minus the close rows. Permutations run in parallel with one random
//! stream each, so the result does not depend on the number of threads; events are sorted into a fixed order
//! first, so it does not depend on the input order either. Memory: 4 bytes per close pair.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rayon::prelude::*;
use serde::Serialize;

use crate::random;

/// How the distance between two events is measured, in metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// `|dx| + |dy|` (a walk along a street grid).
    Manhattan,
    /// `sqrt(dx² + dy²)`, the straight line.
    Euclidean,
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Metric::Manhattan => "manhattan",
            Metric::Euclidean => "euclidean",
        })
    }
}

/// A metric name that is neither `manhattan` nor `euclidean`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown distance metric {0:?}: use manhattan or euclidean")]
pub struct ParseMetricError(pub String);

impl FromStr for Metric {
    type Err = ParseMetricError;

    /// Parses `manhattan` or `euclidean` (any case).
    fn from_str(s: &str) -> Result<Metric, ParseMetricError> {
        match s.to_ascii_lowercase().as_str() {
            "manhattan" => Ok(Metric::Manhattan),
            "euclidean" => Ok(Metric::Euclidean),
            _ => Err(ParseMetricError(s.to_owned())),
        }
    }
}

/// The Near Repeat Calculator's inputs: distances in metres, times in days.
#[derive(Debug, Clone, PartialEq)]
pub struct KnoxConfig {
    /// Distance measure.
    pub metric: Metric,
    /// Width of a space band, metres (`> 0`).
    pub space_band_m: f64,
    /// Number of space bands besides "same location" and "beyond" (`≥ 1`).
    pub space_bands: usize,
    /// Width of a time band, days (`> 0`).
    pub time_band_days: f64,
    /// Number of time bands besides "beyond" (`≥ 1`).
    pub time_bands: usize,
    /// Number of random permutations of the times (the NRC's iterations minus one); [`knox`] needs `≥ 1`.
    pub permutations: usize,
    /// Seed of the permutations ([`random::stream`]).
    pub seed: u64,
    /// Compute distances in single precision as the NRC does (see the [module docs](self)).
    pub nrc_compat: bool,
}

/// The Knox table with its Monte Carlo expectation. Tables are `[rows][columns]`: rows are same location, each
/// space band, beyond; columns are each time band, beyond (see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KnoxTable {
    /// Number of events.
    pub n_events: usize,
    /// Distance measure used.
    pub metric: Metric,
    /// Whether distances were computed in single precision as the NRC does.
    pub nrc_compat: bool,
    /// Number of permutations of the times.
    pub permutations: usize,
    /// Seed of the permutations.
    pub seed: u64,
    /// `[0, s, 2s, …, Rs]` metres: row 0 is distance exactly 0, row `k` (1 ≤ k ≤ R) is
    /// `[space_edges[k−1], space_edges[k])` (open at 0 for row 1), row `R + 1` is `≥ Rs`.
    pub space_edges: Vec<f64>,
    /// `[0, τ, 2τ, …, Kτ]` days: column `k < K` is `[time_edges[k], time_edges[k+1])`, column `K` is `≥ Kτ`.
    pub time_edges: Vec<f64>,
    /// Number of event pairs in each cell; the cells add up to `n(n − 1)/2`.
    pub observed: Vec<Vec<u64>>,
    /// Mean count per cell over the permutations.
    pub expected_mean: Vec<Vec<f64>>,
    /// Smallest count per cell over the permutations.
    pub expected_min: Vec<Vec<u64>>,
    /// Largest count per cell over the permutations.
    pub expected_max: Vec<Vec<u64>>,
    /// `observed / expected_mean`; `None` (JSON `null`) where `expected_mean` is 0.
    pub knox_ratio: Vec<Vec<Option<f64>>>,
    /// `(#{permutations with count ≥ observed} + 1) / (permutations + 1)`, in `(0, 1]`.
    pub p_value: Vec<Vec<f64>>,
}

/// Why a Knox table cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KnoxError {
    /// Fewer than two events: there is no pair to count.
    #[error("the Knox test needs at least 2 events, got {0}")]
    TooFewEvents(usize),
    /// More events than the pair index can hold.
    #[error("the Knox test handles at most {max} events, got {n}")]
    TooManyEvents {
        /// Events given.
        n: usize,
        /// The most allowed.
        max: usize,
    },
    /// Points and times differ in number.
    #[error("{points} points but {times} times: give one time per event")]
    LengthMismatch {
        /// Number of points.
        points: usize,
        /// Number of times.
        times: usize,
    },
    /// A coordinate or time is NaN or infinite.
    #[error("event {index} has a coordinate or time that is not a finite number")]
    NotFinite {
        /// Zero-based position of the event in the input.
        index: usize,
    },
    /// The space band width is not a positive finite number of metres.
    #[error("the space band must be a positive number of metres, not {0}")]
    BadSpaceBand(f64),
    /// The time band width is not a positive finite number of days.
    #[error("the time band must be a positive number of days, not {0}")]
    BadTimeBand(f64),
    /// No space bands asked for.
    #[error("at least one space band is needed")]
    NoSpaceBands,
    /// No time bands asked for.
    #[error("at least one time band is needed")]
    NoTimeBands,
    /// The outer band edges are too large to be represented.
    #[error("{bands} bands of {width} are too wide: the outer edge is not a finite number")]
    BandsTooWide {
        /// Number of bands.
        bands: usize,
        /// Width of one band.
        width: f64,
    },
    /// No permutations asked for: the expectation cannot be estimated.
    #[error("at least one permutation is needed to estimate the expected counts")]
    NoPermutations,
    /// So many pairs are closer than the outer space edge that they would not fit in memory.
    #[error("{pairs} event pairs lie within the outer space edge (at most {max}); use fewer or narrower space bands")]
    TooManyClosePairs {
        /// Close pairs found.
        pairs: u64,
        /// The most allowed.
        max: u64,
    },
}

/// The most pairs closer than the outer space edge that are kept (4 bytes each: 2 GB).
pub const MAX_CLOSE_PAIRS: u64 = 500_000_000;

/// The most events (pair indices are 32-bit).
pub const MAX_EVENTS: usize = u32::MAX as usize;

/// The smallest Knox ratio the NRC's summary calls "meaningful" (20 % above chance). Inferred from the golden
/// NRC summaries: significant cells with ratio 1.30 are reported, one with 1.14 is not.
pub const NRC_MIN_RATIO: f64 = 1.2;

/// Computes the Knox table of events at `points` ((x, y) metres, planar) and `times` (days, e.g. day numbers
/// or fractional days) with `config.permutations` seeded permutations of the times.
///
/// # Errors
///
/// [`KnoxError`] for fewer than two events, mismatched lengths, non-finite values, bad bands, no
/// permutations, or too many close pairs.
pub fn knox(points: &[(f64, f64)], times: &[f64], config: &KnoxConfig) -> Result<KnoxTable, KnoxError> {
    if config.permutations == 0 {
        return Err(KnoxError::NoPermutations);
    }
    let prepared = Prepared::new(points, times, config)?;
    let cells = prepared.rows * prepared.cols;
    let observed = prepared.full_table(&prepared.close_counts(None));
    let tables: Vec<Vec<u64>> = (0..config.permutations)
        .into_par_iter()
        .map(|p| prepared.full_table(&prepared.close_counts(Some(random::stream(config.seed, p as u64)))))
        .collect();

    let mut sum = vec![0u64; cells];
    let mut min = vec![u64::MAX; cells];
    let mut max = vec![0u64; cells];
    let mut at_least = vec![0u64; cells];
    for table in &tables {
        for (c, &v) in table.iter().enumerate() {
            sum[c] += v;
            min[c] = min[c].min(v);
            max[c] = max[c].max(v);
            at_least[c] += u64::from(v >= observed[c]);
        }
    }
    let perms = config.permutations as f64;
    let mean: Vec<f64> = sum.iter().map(|&s| s as f64 / perms).collect();
    let ratio: Vec<Option<f64>> = observed.iter().zip(&mean).map(|(&o, &m)| (m > 0.0).then(|| o as f64 / m)).collect();
    let p: Vec<f64> = at_least.iter().map(|&k| (k + 1) as f64 / (perms + 1.0)).collect();

    Ok(KnoxTable {
        n_events: points.len(),
        metric: config.metric,
        nrc_compat: config.nrc_compat,
        permutations: config.permutations,
        seed: config.seed,
        space_edges: prepared.space_edges.clone(),
        time_edges: prepared.time_edges.clone(),
        observed: prepared.to_rows(&observed),
        expected_mean: prepared.to_rows(&mean),
        expected_min: prepared.to_rows(&min),
        expected_max: prepared.to_rows(&max),
        knox_ratio: prepared.to_rows(&ratio),
        p_value: prepared.to_rows(&p),
    })
}

/// The observed Knox table alone (no permutations; `config.permutations` and `config.seed` are ignored), as
/// `[rows][columns]` in the layout of [`KnoxTable::observed`].
///
/// # Errors
///
/// As [`knox`], except that zero permutations are fine.
pub fn observed_table(points: &[(f64, f64)], times: &[f64], config: &KnoxConfig) -> Result<Vec<Vec<u64>>, KnoxError> {
    let prepared = Prepared::new(points, times, config)?;
    Ok(prepared.to_rows(&prepared.full_table(&prepared.close_counts(None))))
}

/// The edges of `bands` bands of width `width`: `[0, width, …, bands·width]`.
fn edges(width: f64, bands: usize) -> Vec<f64> {
    (0..=bands).map(|k| k as f64 * width).collect()
}

/// Index of the band `[edges[k], edges[k+1])` holding `v ≥ 0`, or `edges.len() − 1` for `v ≥` the last edge.
/// `edges` are `k · width`; the guess from the division is corrected by comparing with the edges themselves.
#[inline]
fn band(v: f64, edges: &[f64], inv_width: f64) -> usize {
    let last = edges.len() - 1;
    let mut k = ((v * inv_width) as usize).min(last);
    while k < last && v >= edges[k + 1] {
        k += 1;
    }
    while k > 0 && v < edges[k] {
        k -= 1;
    }
    k
}

/// Times as the inner loop reads them.
enum Times {
    /// Whole days relative to the earliest, with `lut[dt]` the column of a difference of `dt` days below the
    /// outer time edge (`lut` stops there). Up to 8 time bands are counted by comparisons with the whole-day
    /// edges read off `lut` (`count_below`), more by looking the column up.
    Days { days: Vec<i32>, lut: Vec<u32> },
    /// Real days.
    Real { days: Vec<f64> },
}

/// Events sorted into a fixed order, their close pairs, and the column totals.
struct Prepared {
    /// Table rows: same location, `R` space bands, beyond.
    rows: usize,
    /// Table columns: `K` time bands, beyond.
    cols: usize,
    /// Rows counted pair by pair: same location and the `R` space bands (`rows − 1`).
    close_rows: usize,
    space_edges: Vec<f64>,
    time_edges: Vec<f64>,
    /// Times of the events in sorted order.
    times: Times,
    /// Close pairs `(i, j)`, `i < j` in sorted order: the `j` of event `i` in close row `r` are
    /// `js[offsets[i · close_rows + r] .. offsets[i · close_rows + r + 1]]`.
    offsets: Vec<usize>,
    js: Vec<u32>,
    /// Number of pairs in each column over all pairs (invariant under permutation of the times).
    column_totals: Vec<u64>,
    /// Number of close pairs in each close row (invariant too).
    row_totals: Vec<u64>,
}

/// Events per block of parallel work when finding pairs.
const BLOCK: usize = 1024;

/// The largest whole-day difference table kept (entries); longer time windows use the real-time path.
const MAX_LUT: usize = 1 << 20;

impl Prepared {
    fn new(points: &[(f64, f64)], times: &[f64], config: &KnoxConfig) -> Result<Prepared, KnoxError> {
        let n = points.len();
        if n != times.len() {
            return Err(KnoxError::LengthMismatch { points: n, times: times.len() });
        }
        if n < 2 {
            return Err(KnoxError::TooFewEvents(n));
        }
        if n > MAX_EVENTS {
            return Err(KnoxError::TooManyEvents { n, max: MAX_EVENTS });
        }
        if let Some(index) =
            points.iter().zip(times).position(|(&(x, y), &t)| !(x.is_finite() && y.is_finite() && t.is_finite()))
        {
            return Err(KnoxError::NotFinite { index });
        }
        let (s, tau) = (config.space_band_m, config.time_band_days);
        if !(s.is_finite() && s > 0.0) {
            return Err(KnoxError::BadSpaceBand(s));
        }
        if !(tau.is_finite() && tau > 0.0) {
            return Err(KnoxError::BadTimeBand(tau));
        }
        if config.space_bands == 0 {
            return Err(KnoxError::NoSpaceBands);
        }
        if config.time_bands == 0 {
            return Err(KnoxError::NoTimeBands);
        }
        let space_edges = edges(s, config.space_bands);
        let time_edges = edges(tau, config.time_bands);
        let max_space = space_edges[config.space_bands];
        if !max_space.is_finite() || (config.nrc_compat && !(max_space as f32).is_finite()) {
            return Err(KnoxError::BandsTooWide { bands: config.space_bands, width: s });
        }
        if !time_edges[config.time_bands].is_finite() {
            return Err(KnoxError::BandsTooWide { bands: config.time_bands, width: tau });
        }
        let close_rows = config.space_bands + 1;
        let rows = close_rows + 1;
        let cols = config.time_bands + 1;

        // Sort the events by grid cell, then by position and time: a fixed order whatever the input order,
        // with neighbours close together in memory.
        let (xmin, ymin) = points.iter().fold((f64::INFINITY, f64::INFINITY), |(a, b), &(x, y)| (a.min(x), b.min(y)));
        let max_abs = points.iter().fold(0.0f64, |m, &(x, y)| m.max(x.abs()).max(y.abs()));
        // A pair whose computed distance is below the outer edge is at most `cell` apart on each axis, even after
        // rounding (2^-20 covers single precision's 2^-24 several times over).
        let slack = if config.nrc_compat { 2f64.powi(-20) } else { 2f64.powi(-40) };
        let cell = max_space + (max_space + 2.0 * max_abs) * slack;
        let key = |&(x, y): &(f64, f64)| (((y - ymin) / cell).floor() as i64, ((x - xmin) / cell).floor() as i64);
        let mut order: Vec<u32> = (0..n as u32).collect();
        order.par_sort_unstable_by(|&a, &b| {
            let (pa, pb) = (points[a as usize], points[b as usize]);
            key(&pa)
                .cmp(&key(&pb))
                .then(pa.0.total_cmp(&pb.0))
                .then(pa.1.total_cmp(&pb.1))
                .then(times[a as usize].total_cmp(&times[b as usize]))
        });
        let pts: Vec<(f64, f64)> = order.iter().map(|&i| points[i as usize]).collect();
        let ts: Vec<f64> = order.iter().map(|&i| times[i as usize]).collect();
        let keys: Vec<(i64, i64)> = pts.iter().map(key).collect();

        // Distinct cells and, per cell, the event ranges holding its forward neighbours.
        let mut cell_start = vec![0usize];
        for i in 1..n {
            if keys[i] != keys[i - 1] {
                cell_start.push(i);
            }
        }
        cell_start.push(n);
        let ncells = cell_start.len() - 1;
        let cell_keys: Vec<(i64, i64)> = cell_start[..ncells].iter().map(|&i| keys[i]).collect();
        let lower = |k: (i64, i64)| cell_start[cell_keys.partition_point(|c| *c < k)];
        let upper = |k: (i64, i64)| cell_start[cell_keys.partition_point(|c| *c <= k)];
        // For each cell: end of the same row's range (this cell and its east neighbour), and the range of the
        // three cells of the next row (north-west, north, north-east), contiguous in sorted order.
        let reach: Vec<(usize, usize, usize)> = cell_keys
            .iter()
            .map(|&(cy, cx)| (upper((cy, cx.saturating_add(1))), lower((cy + 1, cx - 1)), upper((cy + 1, cx + 1))))
            .collect();
        let mut cell_of = vec![0u32; n];
        for c in 0..ncells {
            cell_of[cell_start[c]..cell_start[c + 1]].fill(c as u32);
        }

        let candidates =
            Candidates { reach: &reach, cell_of: &cell_of, pair_row: PairRow::new(&pts, &space_edges, config) };
        let for_each_close = |i: usize, f: &mut dyn FnMut(usize, u32)| candidates.for_each_close(i, f);

        // Pass 1: count close pairs per (event, row); pass 2: fill them in.
        let mut counts = vec![0usize; n * close_rows + 1];
        counts[..n * close_rows].par_chunks_mut(BLOCK * close_rows).enumerate().for_each(|(b, chunk)| {
            for (k, per_row) in chunk.chunks_mut(close_rows).enumerate() {
                for_each_close(b * BLOCK + k, &mut |r, _| per_row[r] += 1);
            }
        });
        let mut total = 0usize;
        for c in counts.iter_mut() {
            let v = *c;
            *c = total;
            total += v;
        }
        let offsets = counts;
        if total as u64 > MAX_CLOSE_PAIRS {
            return Err(KnoxError::TooManyClosePairs { pairs: total as u64, max: MAX_CLOSE_PAIRS });
        }
        let mut js = vec![0u32; total];
        let mut slices = Vec::with_capacity(n.div_ceil(BLOCK));
        let mut rest = js.as_mut_slice();
        for b in 0..n.div_ceil(BLOCK) {
            let (lo, hi) = (offsets[b * BLOCK * close_rows], offsets[((b + 1) * BLOCK).min(n) * close_rows]);
            let (head, tail) = rest.split_at_mut(hi - lo);
            slices.push((b, head));
            rest = tail;
        }
        slices.into_par_iter().for_each(|(b, slice)| {
            let base = offsets[b * BLOCK * close_rows];
            let mut cursor = vec![0usize; close_rows];
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                for (r, c) in cursor.iter_mut().enumerate() {
                    *c = offsets[i * close_rows + r] - base;
                }
                for_each_close(i, &mut |r, j| {
                    slice[cursor[r]] = j;
                    cursor[r] += 1;
                });
            }
        });

        let column_totals = column_totals(&ts, &time_edges, n);
        let mut row_totals = vec![0u64; close_rows];
        for (k, w) in offsets.windows(2).enumerate() {
            row_totals[k % close_rows] += (w[1] - w[0]) as u64;
        }
        let times = Times::new(&ts, &time_edges, tau);
        Ok(Prepared { rows, cols, close_rows, space_edges, time_edges, times, offsets, js, column_totals, row_totals })
    }

    /// Counts of the close rows (`close_rows × cols`, row-major) with the times permuted by `rng`, or as
    /// observed for `None`.
    fn close_counts(&self, rng: Option<random::Stream>) -> Vec<u64> {
        let mut counts = vec![0u64; self.close_rows * self.cols];
        match &self.times {
            Times::Days { days, lut } => {
                let mut permuted;
                let t: &[i32] = match rng {
                    None => days,
                    Some(mut rng) => {
                        permuted = days.clone();
                        random::shuffle(&mut rng, &mut permuted);
                        &permuted
                    }
                };
                match self.cols - 1 {
                    1 => self.count_below::<1>(t, lut, &mut counts),
                    2 => self.count_below::<2>(t, lut, &mut counts),
                    3 => self.count_below::<3>(t, lut, &mut counts),
                    4 => self.count_below::<4>(t, lut, &mut counts),
                    5 => self.count_below::<5>(t, lut, &mut counts),
                    6 => self.count_below::<6>(t, lut, &mut counts),
                    7 => self.count_below::<7>(t, lut, &mut counts),
                    8 => self.count_below::<8>(t, lut, &mut counts),
                    _ => self.for_each_segment(&mut counts, |i, js, row| {
                        let ti = t[i];
                        for &j in js {
                            // Most pairs are beyond the time bands: those are counted from the row total below.
                            if let Some(&c) = lut.get(ti.abs_diff(t[j as usize]) as usize) {
                                row[c as usize] += 1;
                            }
                        }
                    }),
                }
            }
            Times::Real { days } => {
                let mut permuted;
                let t: &[f64] = match rng {
                    None => days,
                    Some(mut rng) => {
                        permuted = days.clone();
                        random::shuffle(&mut rng, &mut permuted);
                        &permuted
                    }
                };
                let inv = 1.0 / self.time_edges[1];
                let edges = &self.time_edges[..];
                let outer = edges[edges.len() - 1];
                self.for_each_segment(&mut counts, |i, js, row| {
                    let ti = t[i];
                    for &j in js {
                        let dt = (ti - t[j as usize]).abs();
                        if dt < outer {
                            row[band(dt, edges, inv)] += 1;
                        }
                    }
                });
            }
        }
        // The beyond-time column: the pairs of the row not in a time band.
        let beyond = self.cols - 1;
        for (row, &total) in counts.chunks_mut(self.cols).zip(&self.row_totals) {
            row[beyond] = total - row[..beyond].iter().sum::<u64>();
        }
        counts
    }

    /// Whole-day counting for `K` time bands without branches: per pair, one comparison with each band's upper
    /// edge; column `k` is "below edge `k + 1`" minus "below edge `k`".
    fn count_below<const K: usize>(&self, t: &[i32], lut: &[u32], counts: &mut [u64]) {
        // upper[k] ≥ 1 is the number of whole differences in columns 0..=k (`lut` is non-decreasing), so a pair
        // is below edge k + 1 when |d| < upper[k], i.e. when (d + upper[k] − 1) as u32 < 2·upper[k] − 1: one
        // addition and one unsigned comparison, done as a signed one by flipping the sign bits (which SSE2 can
        // vectorise across the K edges). Times are days since the earliest, below 2^31, so d does not overflow.
        let upper: [i32; K] = std::array::from_fn(|k| lut.partition_point(|&c| c as usize <= k) as i32);
        let shift = upper.map(|u| (u - 1).wrapping_add(i32::MIN));
        let limit = upper.map(|u| (2 * u - 1) ^ i32::MIN);
        // Counts below each edge per close row, summed over all events (at most MAX_CLOSE_PAIRS < 2^32).
        let mut below = vec![[0u32; K]; self.close_rows];
        let mut segment = 0;
        for &ti in t {
            for acc in below.iter_mut() {
                let (lo, hi) = (self.offsets[segment], self.offsets[segment + 1]);
                segment += 1;
                let mut a = *acc;
                for &j in &self.js[lo..hi] {
                    let d = ti - t[j as usize];
                    for k in 0..K {
                        a[k] += u32::from(d.wrapping_add(shift[k]) < limit[k]);
                    }
                }
                *acc = a;
            }
        }
        for (row, b) in counts.chunks_mut(self.cols).zip(&below) {
            let mut previous = 0;
            for k in 0..K {
                row[k] = u64::from(b[k] - previous);
                previous = b[k];
            }
        }
    }

    /// Calls `f(i, js, counts of row r)` for every event `i` and close row `r` with the `j` of its pairs.
    #[inline]
    fn for_each_segment(&self, counts: &mut [u64], mut f: impl FnMut(usize, &[u32], &mut [u64])) {
        let n = (self.offsets.len() - 1) / self.close_rows;
        for i in 0..n {
            let base = i * self.close_rows;
            for (r, row) in counts.chunks_mut(self.cols).enumerate() {
                let (lo, hi) = (self.offsets[base + r], self.offsets[base + r + 1]);
                if lo < hi {
                    f(i, &self.js[lo..hi], row);
                }
            }
        }
    }

    /// The whole table (`rows × cols`, row-major) from the close rows: beyond = column totals − close rows.
    fn full_table(&self, close: &[u64]) -> Vec<u64> {
        let mut table = close.to_vec();
        for c in 0..self.cols {
            let near: u64 = (0..self.close_rows).map(|r| close[r * self.cols + c]).sum();
            table.push(self.column_totals[c] - near);
        }
        table
    }

    fn to_rows<T: Clone>(&self, values: &[T]) -> Vec<Vec<T>> {
        values.chunks(self.cols).map(<[T]>::to_vec).collect()
    }
}

impl Times {
    fn new(ts: &[f64], time_edges: &[f64], tau: f64) -> Times {
        let tmin = ts.iter().copied().fold(f64::INFINITY, f64::min);
        let tmax = ts.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let whole = ts.iter().all(|t| t.fract() == 0.0) && tmax - tmin <= f64::from(i32::MAX);
        let outer = time_edges[time_edges.len() - 1];
        if whole && outer.ceil() <= MAX_LUT as f64 {
            // Every whole-day difference below the outer edge gets its column.
            let inv = 1.0 / tau;
            let lut = (0..outer.ceil() as usize)
                .filter(|&d| (d as f64) < outer)
                .map(|d| band(d as f64, time_edges, inv) as u32)
                .collect();
            Times::Days { days: ts.iter().map(|&t| (t - tmin) as i32).collect(), lut }
        } else {
            Times::Real { days: ts.to_vec() }
        }
    }
}

/// Number of pairs per column over all `n(n − 1)/2` pairs, from the sorted times.
fn column_totals(ts: &[f64], time_edges: &[f64], n: usize) -> Vec<u64> {
    let mut sorted = ts.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    let all = n as u64 * (n as u64 - 1) / 2;
    // below[k] = pairs with difference < time_edges[k]; the difference of a sorted pair is `t_j − t_i`, the same
    // number as `|t_i − t_j|` in the pair loop.
    let below: Vec<u64> = time_edges
        .par_iter()
        .map(|&edge| {
            let mut j = 0usize;
            let mut count = 0u64;
            for i in 0..n {
                j = j.max(i + 1);
                while j < n && sorted[j] - sorted[i] < edge {
                    j += 1;
                }
                count += (j - i - 1) as u64;
            }
            count
        })
        .collect();
    let mut totals: Vec<u64> = below.windows(2).map(|w| w[1] - w[0]).collect();
    totals.push(all - below[below.len() - 1]);
    totals
}

/// Coordinates in the precision distances are computed in.
trait Coord: Copy + PartialOrd + Default + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> {
    fn abs(self) -> Self;
    /// `sqrt(dx² + dy²)`, IEEE, without fused multiply-add.
    fn norm(dx: Self, dy: Self) -> Self;
}

impl Coord for f64 {
    fn abs(self) -> f64 {
        f64::abs(self)
    }
    fn norm(dx: f64, dy: f64) -> f64 {
        (dx * dx + dy * dy).sqrt()
    }
}

impl Coord for f32 {
    fn abs(self) -> f32 {
        f32::abs(self)
    }
    fn norm(dx: f32, dy: f32) -> f32 {
        (dx * dx + dy * dy).sqrt()
    }
}

/// Points and space edges in the precision of the distances: `f64`, or `f32` in NRC-compatible mode.
enum PairRow {
    Double { pts: Vec<(f64, f64)>, edges: Vec<f64>, metric: Metric },
    Single { pts: Vec<(f32, f32)>, edges: Vec<f32>, metric: Metric },
}

impl PairRow {
    fn new(pts: &[(f64, f64)], space_edges: &[f64], config: &KnoxConfig) -> PairRow {
        if config.nrc_compat {
            PairRow::Single {
                pts: pts.iter().map(|&(x, y)| (x as f32, y as f32)).collect(),
                edges: space_edges.iter().map(|&e| e as f32).collect(),
                metric: config.metric,
            }
        } else {
            PairRow::Double { pts: pts.to_vec(), edges: space_edges.to_vec(), metric: config.metric }
        }
    }
}

/// Calls `f(row, j)` for each `j` of `js` closer to `i` than the outer space edge (`row < edges.len()`).
#[inline]
fn scan<T: Coord>(
    pts: &[(T, T)],
    edges: &[T],
    metric: Metric,
    i: usize,
    js: impl Iterator<Item = usize>,
    f: &mut dyn FnMut(usize, u32),
) {
    let (xi, yi) = pts[i];
    let close_rows = edges.len();
    for j in js {
        let (dx, dy) = (xi - pts[j].0, yi - pts[j].1);
        let d = match metric {
            Metric::Manhattan => dx.abs() + dy.abs(),
            Metric::Euclidean => T::norm(dx, dy),
        };
        let row = distance_row(d, edges);
        if row < close_rows {
            f(row, j as u32);
        }
    }
}

/// The candidate pairs of each event: those in its own grid cell after it, the next cell east, and the three
/// cells of the next row north; every pair closer than a cell's side is among them exactly once.
struct Candidates<'a> {
    /// Per cell: end of the range holding this cell and its east neighbour, and the range of the next row's
    /// three cells.
    reach: &'a [(usize, usize, usize)],
    /// Cell of each event.
    cell_of: &'a [u32],
    pair_row: PairRow,
}

impl Candidates<'_> {
    /// Calls `f(row, j)` for every close pair `(i, j)`, `j > i`.
    fn for_each_close(&self, i: usize, f: &mut dyn FnMut(usize, u32)) {
        let (east_end, north_start, north_end) = self.reach[self.cell_of[i] as usize];
        let js = (i + 1..east_end).chain(north_start..north_end);
        match &self.pair_row {
            PairRow::Double { pts, edges, metric } => scan(pts, edges, *metric, i, js, f),
            PairRow::Single { pts, edges, metric } => scan(pts, edges, *metric, i, js, f),
        }
    }
}

/// Row of distance `d` against `edges = [0, s, …, Rs]`: 0 if `d == 0`, else `1 + #{k ≥ 1: edges[k] ≤ d}`.
#[inline]
fn distance_row<T: PartialOrd + Copy + Default>(d: T, edges: &[T]) -> usize {
    if d == T::default() {
        return 0;
    }
    1 + edges[1..].partition_point(|&e| e <= d)
}

/// Which kind of pattern a [`Finding`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Another event at the same location (the "same location" row).
    Repeat,
    /// Another event nearby (a space band).
    NearRepeat,
}

/// One cell of the table put in words' reach: "within `distance_to_m` metres and `days_to` days of an event,
/// another is `percent_more_likely` % more likely than chance". Text is produced (and localised) by the caller.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// Repeat (same location) or near repeat.
    pub kind: FindingKind,
    /// Row of the cell in the table.
    pub row: usize,
    /// Column of the cell in the table.
    pub col: usize,
    /// Lower edge of the distance band, metres (0 for the same location and the first band, which is open at 0).
    pub distance_from_m: f64,
    /// Upper edge of the distance band, metres, exclusive (0 for the same location).
    pub distance_to_m: f64,
    /// Lower edge of the time band, days.
    pub days_from: f64,
    /// Upper edge of the time band, days, exclusive.
    pub days_to: f64,
    /// Knox ratio of the cell.
    pub knox_ratio: f64,
    /// `(knox_ratio − 1) · 100`: how much more likely than chance, percent.
    pub percent_more_likely: f64,
    /// p-value of the cell.
    pub p_value: f64,
}

/// How long a pattern lasts in one distance band: the first time bands, in a row, that are significant and
/// meaningful.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternExtent {
    /// Row of the distance band in the table.
    pub row: usize,
    /// Lower edge of the distance band, metres.
    pub distance_from_m: f64,
    /// Upper edge of the distance band, metres, exclusive (0 for the same location).
    pub distance_to_m: f64,
    /// The pattern holds from 0 up to this many days (exclusive).
    pub up_to_days: f64,
}

/// The NRC summary's findings, as data: whether repeats and near repeats are over-represented right after an
/// event, for how long, and the strongest such cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Findings {
    /// The strongest significant, meaningful cell of the same-location row within its extent.
    pub repeat: Option<Finding>,
    /// How long repeats at the same location are over-represented, if they are.
    pub repeat_extent: Option<PatternExtent>,
    /// The strongest significant, meaningful cell of the space bands within their extents.
    pub near_repeat: Option<Finding>,
    /// For each space band where near repeats are over-represented, for how long.
    pub near_repeat_extents: Vec<PatternExtent>,
}

impl KnoxTable {
    /// The findings the NRC's summary states, as data. A cell is *significant and meaningful* when
    /// `p_value ≤ alpha` and `knox_ratio ≥ min_ratio` (the NRC uses its chosen significance level and, as far
    /// as its outputs show, [`NRC_MIN_RATIO`]). In each row the pattern is the run of such cells starting at
    /// the first time band (a pattern right after an event; a significant cell later on, after an
    /// insignificant one, is not a pattern, as in the NRC). The finding is the strongest (largest ratio; ties
    /// to the nearer, then earlier cell) cell of those runs, in the same-location row for repeats and in the
    /// space bands for near repeats; "beyond" rows and columns are never findings.
    pub fn findings(&self, alpha: f64, min_ratio: f64) -> Findings {
        let time_bands = self.time_edges.len() - 1;
        let space_bands = self.space_edges.len() - 1;
        let strong =
            |r: usize, c: usize| self.p_value[r][c] <= alpha && self.knox_ratio[r][c].is_some_and(|k| k >= min_ratio);
        let distance = |r: usize| {
            if r == 0 { (0.0, 0.0) } else { (self.space_edges[r - 1], self.space_edges[r]) }
        };
        let extent = |r: usize| {
            let run = (0..time_bands).take_while(|&c| strong(r, c)).count();
            (run > 0).then(|| {
                let (from, to) = distance(r);
                (
                    PatternExtent {
                        row: r,
                        distance_from_m: from,
                        distance_to_m: to,
                        up_to_days: self.time_edges[run],
                    },
                    run,
                )
            })
        };
        let finding = |r: usize, c: usize| {
            let ratio = self.knox_ratio[r][c].unwrap_or(f64::NAN);
            let (from, to) = distance(r);
            Finding {
                kind: if r == 0 { FindingKind::Repeat } else { FindingKind::NearRepeat },
                row: r,
                col: c,
                distance_from_m: from,
                distance_to_m: to,
                days_from: self.time_edges[c],
                days_to: self.time_edges[c + 1],
                knox_ratio: ratio,
                percent_more_likely: (ratio - 1.0) * 100.0,
                p_value: self.p_value[r][c],
            }
        };
        let strongest = |extents: &[(PatternExtent, usize)]| {
            let mut best: Option<(usize, usize, f64)> = None;
            for (e, run) in extents {
                for c in 0..*run {
                    let k = self.knox_ratio[e.row][c].unwrap_or(f64::NAN);
                    if best.is_none_or(|(_, _, b)| k.total_cmp(&b) == Ordering::Greater) {
                        best = Some((e.row, c, k));
                    }
                }
            }
            best.map(|(r, c, _)| finding(r, c))
        };
        let repeat: Vec<_> = extent(0).into_iter().collect();
        let near: Vec<_> = (1..=space_bands).filter_map(extent).collect();
        Findings {
            repeat: strongest(&repeat),
            repeat_extent: repeat.into_iter().next().map(|(e, _)| e),
            near_repeat: strongest(&near),
            near_repeat_extents: near.into_iter().map(|(e, _)| e).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(metric: Metric, permutations: usize) -> KnoxConfig {
        KnoxConfig {
            metric,
            space_band_m: 100.0,
            space_bands: 2,
            time_band_days: 7.0,
            time_bands: 2,
            permutations,
            seed: 1,
            nrc_compat: false,
        }
    }

    #[test]
    fn pairs_fall_in_half_open_bands() {
        // Pairs from event 0: same place (0 m, 3 d), 100 m exactly (7 d exactly), 99 m (13 d), 250 m (0 d).
        let points = [(0.0, 0.0), (0.0, 0.0), (100.0, 0.0), (0.0, 99.0), (150.0, 100.0)];
        let times = [0.0, 3.0, 7.0, 13.0, 0.0];
        let table = observed_table(&points, &times, &config(Metric::Manhattan, 0)).unwrap();
        let total: u64 = table.iter().flatten().sum();
        assert_eq!(total, 10);
        assert_eq!(table[0], vec![1, 0, 0]); // (0,1)
        // (0,3): 99 m, 13 d and (1,3): 99 m, 10 d → row 1, col 1.
        // (0,2): 100 m, 7 d → row 2 col 1; (1,2): 100 m, 4 d → row 2 col 0; (2,3): 199 m, 6 d → row 2 col 0;
        // (2,4): 150 m, 7 d and (3,4): 151 m, 13 d → row 2 col 1. (0,4), (1,4): 250 m → beyond, col 0.
        assert_eq!(table[1], vec![0, 2, 0]);
        assert_eq!(table[2], vec![2, 3, 0]);
        assert_eq!(table[3], vec![2, 0, 0]);
    }

    #[test]
    fn fractional_times_use_the_same_edges() {
        let points = [(0.0, 0.0), (10.0, 0.0), (20.0, 0.0)];
        let times = [0.5, 7.5, 0.25];
        let table = observed_table(&points, &times, &config(Metric::Euclidean, 0)).unwrap();
        // (0,1): 7.0 d → col 1; (0,2): 0.25 d → col 0; (1,2): 7.25 d → col 1. All in row 1 (0, 100) m.
        assert_eq!(table[1], vec![1, 2, 0]);
    }

    #[test]
    fn very_wide_time_bands_over_whole_days_still_count() {
        // The outer edge is too far for a whole-day table: the real-time path counts.
        let points = [(0.0, 0.0), (1.0, 0.0), (2.0, 0.0)];
        let times = [0.0, 5.0, 2e6];
        let config = KnoxConfig { time_band_days: 1e6, time_bands: 1, ..config(Metric::Euclidean, 0) };
        let table = observed_table(&points, &times, &config).unwrap();
        assert_eq!(table[1], vec![1, 2]);
    }

    #[test]
    fn whole_days_with_fractional_bands_fall_in_the_right_columns() {
        // Edges 0, 2.5, 5, 7.5 days: differences 2 → column 0, 3 → 1, 5 and 7 → 2, 8 → beyond.
        let points = [(0.0, 0.0); 2];
        let cases = [(2.0, 0), (3.0, 1), (5.0, 2), (7.0, 2), (8.0, 3)];
        for (dt, col) in cases {
            let config = KnoxConfig { time_band_days: 2.5, time_bands: 3, ..config(Metric::Manhattan, 0) };
            let table = observed_table(&points, &[10.0, 10.0 + dt], &config).unwrap();
            assert_eq!(table[0][col], 1, "{dt} days");
        }
        // Edges 0, 0.25, 0.5, 0.75, 1: whole differences are 0 (column 0) or beyond; the middle columns stay empty.
        let points = [(0.0, 0.0); 3];
        let config = KnoxConfig { time_band_days: 0.25, time_bands: 4, ..config(Metric::Manhattan, 0) };
        let table = observed_table(&points, &[0.0, 0.0, 1.0], &config).unwrap();
        assert_eq!(table[0], vec![1, 0, 0, 0, 2]);
    }

    #[test]
    fn band_agrees_with_the_edges() {
        let e = edges(0.1, 30);
        for k in 0..=30 {
            assert_eq!(band(e[k], &e, 10.0), k);
            if k > 0 {
                assert_eq!(band(f64::from_bits(e[k].to_bits() - 1), &e, 10.0), k - 1);
            }
        }
        assert_eq!(band(1e9, &e, 10.0), 30);
    }

    #[test]
    fn findings_follow_the_nrc_rules() {
        // Rows: same location, 0–100, 100–200, beyond; columns: 0–7, 7–14, beyond.
        let ratio = |v: [[f64; 3]; 4]| v.iter().map(|r| r.iter().map(|&x| Some(x)).collect()).collect();
        let table = KnoxTable {
            n_events: 10,
            metric: Metric::Manhattan,
            nrc_compat: false,
            permutations: 99,
            seed: 1,
            space_edges: vec![0.0, 100.0, 200.0],
            time_edges: vec![0.0, 7.0, 14.0],
            observed: vec![vec![0; 3]; 4],
            expected_mean: vec![vec![1.0; 3]; 4],
            expected_min: vec![vec![0; 3]; 4],
            expected_max: vec![vec![0; 3]; 4],
            knox_ratio: ratio([[1.1, 30.0, 1.0], [1.64, 2.5, 1.0], [1.3, 1.15, 1.0], [9.0, 9.0, 1.0]]),
            p_value: vec![vec![0.01, 0.01, 1.0], vec![0.01, 0.2, 1.0], vec![0.01, 0.01, 1.0], vec![0.01; 3]],
        };
        let f = table.findings(0.05, NRC_MIN_RATIO);
        // Same location: the first band is significant but not meaningful (1.1 < 1.2), so the strong cell one
        // week later is no pattern.
        assert!(f.repeat.is_none() && f.repeat_extent.is_none());
        // 0–100 m: only the first week (the second is not significant); 100–200 m: only the first week (1.15).
        let ext: Vec<_> = f.near_repeat_extents.iter().map(|e| (e.row, e.distance_to_m, e.up_to_days)).collect();
        assert_eq!(ext, [(1, 100.0, 7.0), (2, 200.0, 7.0)]);
        let near = f.near_repeat.unwrap();
        assert_eq!((near.kind, near.row, near.col, near.days_to), (FindingKind::NearRepeat, 1, 0, 7.0));
        assert!((near.percent_more_likely - 64.0).abs() < 1e-9);
        // With a looser threshold the same-location row is a pattern for two weeks, strongest in the second.
        let f = table.findings(0.05, 1.05);
        let repeat = f.repeat.unwrap();
        assert_eq!((repeat.kind, repeat.col, repeat.distance_to_m), (FindingKind::Repeat, 1, 0.0));
        assert_eq!(f.repeat_extent.unwrap().up_to_days, 14.0);
    }

    #[test]
    fn bad_inputs_are_named() {
        let p = [(0.0, 0.0), (1.0, 1.0)];
        let c = config(Metric::Manhattan, 9);
        assert_eq!(knox(&p[..1], &[0.0], &c), Err(KnoxError::TooFewEvents(1)));
        assert_eq!(knox(&p, &[0.0], &c), Err(KnoxError::LengthMismatch { points: 2, times: 1 }));
        assert_eq!(knox(&p, &[0.0, f64::NAN], &c), Err(KnoxError::NotFinite { index: 1 }));
        assert_eq!(
            knox(&p, &[0.0, 1.0], &KnoxConfig { space_band_m: 0.0, ..c.clone() }),
            Err(KnoxError::BadSpaceBand(0.0))
        );
        assert_eq!(
            knox(&p, &[0.0, 1.0], &KnoxConfig { time_band_days: -1.0, ..c.clone() }),
            Err(KnoxError::BadTimeBand(-1.0))
        );
        assert_eq!(knox(&p, &[0.0, 1.0], &KnoxConfig { space_bands: 0, ..c.clone() }), Err(KnoxError::NoSpaceBands));
        assert_eq!(knox(&p, &[0.0, 1.0], &KnoxConfig { time_bands: 0, ..c.clone() }), Err(KnoxError::NoTimeBands));
        assert_eq!(knox(&p, &[0.0, 1.0], &KnoxConfig { permutations: 0, ..c }), Err(KnoxError::NoPermutations));
        assert_eq!("Euclidean".parse::<Metric>(), Ok(Metric::Euclidean));
        assert!("chebyshev".parse::<Metric>().is_err());
    }
}
