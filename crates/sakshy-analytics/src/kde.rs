//! Kernel density estimation of event intensity (events per m²) at the cell centres of a [`Grid`].
//!
//! The intensity at a location `s` is λ(s) = Σᵢ wᵢ·Kₕ(s − xᵢ), with weights wᵢ (1 by default) and one of two
//! kernels, both integrating to 1 over the plane (analytics reference §1.2):
//!
//! - [`Kernel::Gaussian`]: Kₕ(u) = exp(−|u|²/2h²) / (2πh²), bandwidth h = the standard deviation per axis;
//! - [`Kernel::Quartic`] (ArcGIS, CrimeStat): K(u) = 3/(πr²)·(1 − |u|²/r²)² for |u| < r, 0 beyond; the bandwidth is
//!   the search radius r.
//!
//! The bandwidth is a fixed number of metres or a rule ([`Bandwidth::Scott`], [`Bandwidth::ArcGis`]).
//!
//! # Exact and truncated evaluation
//!
//! [`Evaluation::Exact`] adds every point to every cell. [`Evaluation::Truncated`] adds a point only to the cells
//! whose centres lie within a square window of half-side R = k·h around it. A point left out of a cell's sum is
//! more than R away, so it would have added at most wᵢ·e^(−k²/2)/(2πh²): the error of every cell is below the
//! stated bound B = W·e^(−k²/2)/(2πh²), W = Σwᵢ, and never positive (truncation only drops terms). k is chosen
//! so that B ≤ tolerance · L, where L is the exact intensity at one or two dense cell centres, a lower bound on
//! the grid's maximum: the error is at most `tolerance` times the maximum intensity. k and B are returned in
//! [`Truncation`]. The quartic kernel vanishes beyond r, so its evaluation is always exact (k = 1, B = 0).
//!
//! The Gaussian kernel is separable: each point gets one vector of weights along the window's columns and one
//! along its rows, and adds their outer product. (Cutting the window's corners to a disc would save a fifth of
//! the additions but costs a square root per row, which is more.) The 1-D weights are g₀·βᵐ·T\[m\] with a table
//! T shared by all points (see `Axis::gaussian`; relative error below 1e-13 against exp).
//!
//! # Determinism
//!
//! Points are put in a canonical order (by y, x, weight) before anything is summed, and every cell adds its
//! terms in that order whichever thread computes it; threads own disjoint bands of rows. The result is
//! therefore bitwise the same on 1 thread and on many, and for any order of the input points.
//!
//! # Mass and edge loss
//!
//! A kernel integrates to 1, so Σ λ·(cell area) ≈ W − (the mass that falls outside the grid). [`mass_inside`]
//! computes the mass inside the grid's rectangle analytically (Gaussian: products of normal-CDF differences) or
//! by Gauss–Legendre quadrature with an exact inner integral (quartic); [`KdeResult`] reports both sides.
//!
//! This module does no I/O and chooses no grid: callers build the [`Grid`] (usually [`Grid::covering`]).

use rayon::prelude::*;
use serde::{Serialize, Serializer};

use crate::grid::Grid;

/// The default truncation tolerance: the error of every cell is at most 1e-6 of the maximum intensity.
pub const DEFAULT_TOLERANCE: f64 = 1e-6;

/// The kernel: the shape each point's unit of mass is spread with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    /// Kₕ(u) = exp(−|u|²/2h²)/(2πh²): the bandwidth h is the standard deviation along each axis.
    Gaussian,
    /// K(u) = 3/(πr²)·(1 − |u|²/r²)² for |u| < r: the bandwidth r is the search radius (ArcGIS, CrimeStat).
    Quartic,
}

/// How the bandwidth (metres) is chosen.
///
/// The rules use the point locations only; weights do not enter them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bandwidth {
    /// A fixed number of metres (analysts usually choose 200–500 m).
    Fixed(f64),
    /// Scott's rule for an isotropic 2-D Gaussian: h = σ·n^(−1/6), σ = √((s²(x) + s²(y))/2), where s²(x), s²(y) are the
    /// sample variances with the n − 1 divisor (`numpy.var(ddof=1)`). Needs two points at different places.
    ///
    /// scikit-learn's `bandwidth='scott'` is n^(−1/6) alone, without σ (it assumes standardised data), and
    /// `scipy.stats.gaussian_kde` scales the full covariance matrix (anisotropic); neither equals this rule.
    Scott,
    /// The ArcGIS (≥ 10.2.1) default search radius: 0.9·min(SD, √(1/ln 2)·Dₘ)·n^(−0.2), where SD is the standard
    /// distance √(Σ((x − x̄)² + (y − ȳ)²)/n) (divisor n) and Dₘ the median distance to the mean centre (for even n
    /// the mean of the two middle distances). ArcGIS pairs it with the quartic kernel. Reference: Esri, "How Kernel
    /// Density works".
    ArcGis,
}

/// How the sums are evaluated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Evaluation {
    /// Every point contributes to every cell (up to floating-point underflow).
    Exact,
    /// Contributions beyond k bandwidths are dropped, with k chosen so that the error of every cell is at most
    /// `tolerance` times the maximum intensity (see the [module docs](self)). Only the Gaussian kernel needs it.
    Truncated {
        /// Largest error allowed, relative to the maximum intensity over the grid; in (0, 1). Usually
        /// [`DEFAULT_TOLERANCE`].
        tolerance: f64,
    },
}

/// What to estimate: kernel, bandwidth and evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KdeConfig {
    /// The kernel.
    pub kernel: Kernel,
    /// The bandwidth rule.
    pub bandwidth: Bandwidth,
    /// Exact or truncated evaluation.
    pub evaluation: Evaluation,
}

/// A kernel density surface on a grid.
///
/// Serialised as JSON with `intensity` as `[nrows][ncols]` (row 0 south), like every gridded result.
#[derive(Debug, Clone, PartialEq)]
pub struct KdeResult {
    /// The grid the intensity is evaluated on (at cell centres).
    pub grid: Grid,
    /// The kernel used.
    pub kernel: Kernel,
    /// `"fixed"`, `"scott"` or `"arcgis"`: how the bandwidth was chosen.
    pub bandwidth_rule: &'static str,
    /// The bandwidth used, metres (Gaussian: standard deviation; quartic: radius).
    pub bandwidth: f64,
    /// Intensity λ at each cell centre, events per m², flat row-major (`row · ncols + col`, row 0 south).
    pub intensity: Vec<f64>,
    /// Largest value of `intensity`, events per m².
    pub max_intensity: f64,
    /// How the sums were truncated and the resulting error bound.
    pub truncation: Truncation,
    /// Σ wᵢ: the number of events when unweighted.
    pub total_weight: f64,
    /// Σ λ · cell area over the grid: the Riemann sum of the surface, events.
    pub mass: f64,
    /// `total_weight` minus the kernel mass that falls inside the grid's rectangle, computed analytically
    /// ([`mass_inside`]), events. `mass` ≈ `total_weight − edge_loss` up to the Riemann-sum error.
    pub edge_loss: f64,
}

/// How the kernel sums were truncated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Truncation {
    /// Whether every point within the kernel's support reached every cell (no truncation error).
    pub exact: bool,
    /// Window half-side in bandwidths (`None` when nothing was cut; 1 for the quartic kernel).
    pub k: Option<f64>,
    /// Window half-side, metres (`None` when nothing was cut).
    pub radius: Option<f64>,
    /// The requested tolerance relative to the maximum intensity (`None` for exact evaluation).
    pub tolerance: Option<f64>,
    /// Upper bound on the error of any cell, events per m² (0 when exact; the truncated value is never above
    /// the exact one).
    pub bound: f64,
    /// `bound` over a lower bound on the exact surface's maximum (the larger of `max_intensity` and the exact
    /// intensity at the dense cell used to choose k); 0 when exact. At most `tolerance`.
    pub bound_relative: f64,
}

/// Why a kernel density cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KdeError {
    /// There are no points.
    #[error("there are no points to estimate a density from")]
    NoPoints,
    /// A coordinate is NaN or infinite.
    #[error("point {index} has a coordinate that is not a finite number")]
    NotFinite {
        /// Zero-based position of the point in the input.
        index: usize,
    },
    /// The number of weights differs from the number of points.
    #[error("there are {weights} weights for {points} points")]
    WeightCount {
        /// Number of points.
        points: usize,
        /// Number of weights.
        weights: usize,
    },
    /// A weight is negative, NaN or infinite.
    #[error("weight {index} is {weight}; weights must be finite and not negative")]
    BadWeight {
        /// Zero-based position of the weight.
        index: usize,
        /// The weight.
        weight: f64,
    },
    /// The weights sum to zero or overflow.
    #[error("the weights sum to {0}; they must sum to a positive finite number")]
    BadTotalWeight(f64),
    /// A fixed bandwidth is not a positive finite number of metres.
    #[error("the bandwidth must be a positive number of metres, not {0}")]
    BadBandwidth(f64),
    /// A bandwidth rule needs more points than given.
    #[error("the {rule} bandwidth rule needs at least {needed} points, got {got}")]
    TooFewPoints {
        /// The rule: `"scott"` or `"arcgis"`.
        rule: &'static str,
        /// Points the rule needs.
        needed: usize,
        /// Points given.
        got: usize,
    },
    /// A bandwidth rule gave zero (all points at one place) or a non-finite value.
    #[error("the {rule} bandwidth rule gives {value} m: the points have no spread")]
    NoSpread {
        /// The rule: `"scott"` or `"arcgis"`.
        rule: &'static str,
        /// The value it gave.
        value: f64,
    },
    /// The truncation tolerance is not in (0, 1).
    #[error("the truncation tolerance must be between 0 and 1 (exclusive), not {0}")]
    BadTolerance(f64),
}

impl Kernel {
    /// Lower-case name, as in the JSON interface.
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Gaussian => "gaussian",
            Kernel::Quartic => "quartic",
        }
    }
}

impl Bandwidth {
    /// The bandwidth in metres for `points` ((x, y) metres).
    ///
    /// The result does not depend on the order of `points` (sums run over a canonical order).
    ///
    /// # Errors
    ///
    /// [`KdeError::NoPoints`], [`KdeError::NotFinite`], [`KdeError::BadBandwidth`] for a fixed bandwidth that is
    /// not positive, [`KdeError::TooFewPoints`] and [`KdeError::NoSpread`] for the rules.
    pub fn resolve(&self, points: &[(f64, f64)]) -> Result<f64, KdeError> {
        let events = canonical(points, None)?;
        self.resolve_canonical(&events)
    }

    /// `"fixed"`, `"scott"` or `"arcgis"`.
    pub fn rule_name(&self) -> &'static str {
        match self {
            Bandwidth::Fixed(_) => "fixed",
            Bandwidth::Scott => "scott",
            Bandwidth::ArcGis => "arcgis",
        }
    }

    fn resolve_canonical(&self, events: &[Event]) -> Result<f64, KdeError> {
        let n = events.len();
        let rule = self.rule_name();
        let value = match *self {
            Bandwidth::Fixed(h) => {
                return if h.is_finite() && h > 0.0 { Ok(h) } else { Err(KdeError::BadBandwidth(h)) };
            }
            Bandwidth::Scott => {
                if n < 2 {
                    return Err(KdeError::TooFewPoints { rule, needed: 2, got: n });
                }
                let (mx, my) = mean_centre(events);
                let ss_x: f64 = events.iter().map(|e| (e.x - mx) * (e.x - mx)).sum();
                let ss_y: f64 = events.iter().map(|e| (e.y - my) * (e.y - my)).sum();
                let sigma = ((ss_x + ss_y) / (2.0 * (n - 1) as f64)).sqrt();
                sigma * (n as f64).powf(-1.0 / 6.0)
            }
            Bandwidth::ArcGis => {
                if n < 2 {
                    return Err(KdeError::TooFewPoints { rule, needed: 2, got: n });
                }
                let (mx, my) = mean_centre(events);
                let mut distances: Vec<f64> = events.iter().map(|e| (e.x - mx).hypot(e.y - my)).collect();
                let standard_distance =
                    (events.iter().map(|e| (e.x - mx).powi(2) + (e.y - my).powi(2)).sum::<f64>() / n as f64).sqrt();
                distances.sort_unstable_by(f64::total_cmp);
                let median =
                    if n % 2 == 1 { distances[n / 2] } else { 0.5 * (distances[n / 2 - 1] + distances[n / 2]) };
                let spread = standard_distance.min((1.0 / std::f64::consts::LN_2).sqrt() * median);
                0.9 * spread * (n as f64).powf(-0.2)
            }
        };
        if value.is_finite() && value > 0.0 { Ok(value) } else { Err(KdeError::NoSpread { rule, value }) }
    }
}

impl Evaluation {
    /// Truncated evaluation at [`DEFAULT_TOLERANCE`].
    pub fn truncated() -> Evaluation {
        Evaluation::Truncated { tolerance: DEFAULT_TOLERANCE }
    }
}

/// Kernel density of `points` ((x, y) metres), optionally weighted, at the cell centres of `grid`.
///
/// `weights`, when given, holds one non-negative weight per point (e.g. the number of events at that place);
/// without it every point counts 1. The intensity is in events per m².
///
/// # Errors
///
/// [`KdeError::NoPoints`], [`KdeError::NotFinite`], [`KdeError::WeightCount`], [`KdeError::BadWeight`],
/// [`KdeError::BadTotalWeight`], the bandwidth errors of [`Bandwidth::resolve`], and [`KdeError::BadTolerance`].
///
/// # References
///
/// Silverman (1986), *Density Estimation for Statistics and Data Analysis*, ch. 4; Chainey, Tompson & Uhlig
/// (2008), *Security Journal* 21:4–28; Esri, "How Kernel Density works" (quartic kernel, default radius).
pub fn kernel_density(
    points: &[(f64, f64)],
    weights: Option<&[f64]>,
    grid: &Grid,
    config: &KdeConfig,
) -> Result<KdeResult, KdeError> {
    let events = canonical(points, weights)?;
    let total_weight = total_weight(&events)?;
    let bandwidth = config.bandwidth.resolve_canonical(&events)?;
    let tolerance = match config.evaluation {
        Evaluation::Exact => None,
        Evaluation::Truncated { tolerance } if tolerance > 0.0 && tolerance < 1.0 => Some(tolerance),
        Evaluation::Truncated { tolerance } => return Err(KdeError::BadTolerance(tolerance)),
    };
    let mut intensity = vec![0.0; grid.len()];
    // A lower bound on the maximum of the exact surface, beyond the truncated maximum.
    let mut lower_max = 0.0;
    let mut truncation =
        Truncation { exact: true, k: None, radius: None, tolerance: None, bound: 0.0, bound_relative: 0.0 };
    match config.kernel {
        Kernel::Gaussian => {
            let (k, lower) = match tolerance {
                Some(tolerance) if !grid.is_empty() => truncation_k(&events, total_weight, bandwidth, grid, tolerance),
                _ => (f64::INFINITY, 0.0),
            };
            lower_max = lower;
            if k.is_finite() {
                let peak = total_weight / (2.0 * std::f64::consts::PI * bandwidth * bandwidth);
                truncation = Truncation {
                    exact: false,
                    k: Some(k),
                    radius: Some(k * bandwidth),
                    tolerance,
                    bound: peak * (-0.5 * k * k).exp(),
                    bound_relative: 0.0,
                };
            }
            accumulate(&events, grid, Shape::Gaussian { h: bandwidth }, k * bandwidth, &mut intensity);
        }
        Kernel::Quartic => {
            truncation.k = Some(1.0);
            truncation.radius = Some(bandwidth);
            accumulate(&events, grid, Shape::Quartic { r: bandwidth }, bandwidth, &mut intensity);
        }
    }
    let max_intensity = intensity.iter().copied().fold(0.0, f64::max);
    if truncation.bound > 0.0 {
        // The exact maximum is at least the truncated one and at least the exact value at the dense cell.
        truncation.bound_relative = truncation.bound / max_intensity.max(lower_max);
    }
    let mass = intensity.iter().sum::<f64>() * grid.cell_area();
    let inside = mass_inside_canonical(&events, grid, config.kernel, bandwidth);
    Ok(KdeResult {
        grid: *grid,
        kernel: config.kernel,
        bandwidth_rule: config.bandwidth.rule_name(),
        bandwidth,
        intensity,
        max_intensity,
        truncation,
        total_weight,
        mass,
        edge_loss: total_weight - inside,
    })
}

/// The kernel mass of `points` (optionally weighted) that falls inside the rectangle the grid covers,
/// `[x0, x0 + ncols·cell] × [y0, y0 + nrows·cell]`, events: Σ wᵢ ∫_grid K(s − xᵢ) ds.
///
/// Gaussian: Σ wᵢ·(Φ((X₁ − xᵢ)/h) − Φ((X₀ − xᵢ)/h))·(Φ((Y₁ − yᵢ)/h) − Φ((Y₀ − yᵢ)/h)), with Φ from a port of the
/// FreeBSD `erfc` (error below 1 ulp). Quartic: the inner integral along y is a polynomial, integrated exactly; the
/// outer one, after u = r·sin θ, is split where the clipping changes and integrated by 16-point Gauss–Legendre
/// (relative error around 1e-14). The sum runs over the canonical order, so the result does not depend on the input
/// order.
///
/// # Errors
///
/// As [`kernel_density`] for the points and weights, and [`KdeError::BadBandwidth`] for a bandwidth that is not a
/// positive finite number.
pub fn mass_inside(
    points: &[(f64, f64)],
    weights: Option<&[f64]>,
    grid: &Grid,
    kernel: Kernel,
    bandwidth: f64,
) -> Result<f64, KdeError> {
    let events = canonical(points, weights)?;
    total_weight(&events)?;
    let bandwidth = Bandwidth::Fixed(bandwidth).resolve_canonical(&events)?;
    Ok(mass_inside_canonical(&events, grid, kernel, bandwidth))
}

impl Serialize for KdeResult {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Wire<'a> {
            grid: &'a Grid,
            kernel: Kernel,
            bandwidth_rule: &'static str,
            bandwidth: f64,
            intensity: Vec<Vec<f64>>,
            max_intensity: f64,
            truncation: &'a Truncation,
            total_weight: f64,
            mass: f64,
            edge_loss: f64,
        }
        Wire {
            grid: &self.grid,
            kernel: self.kernel,
            bandwidth_rule: self.bandwidth_rule,
            bandwidth: self.bandwidth,
            intensity: self.grid.rows(&self.intensity),
            max_intensity: self.max_intensity,
            truncation: &self.truncation,
            total_weight: self.total_weight,
            mass: self.mass,
            edge_loss: self.edge_loss,
        }
        .serialize(serializer)
    }
}

/// A point with its weight.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Event {
    x: f64,
    y: f64,
    w: f64,
}

/// The kernel with its bandwidth, for the accumulation loop.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Gaussian { h: f64 },
    Quartic { r: f64 },
}

/// Validated events in the canonical order: by y, then x, then weight (IEEE total order). Equal keys mean
/// bitwise-equal events, so the order is a function of the multiset of inputs.
fn canonical(points: &[(f64, f64)], weights: Option<&[f64]>) -> Result<Vec<Event>, KdeError> {
    if let Some(weights) = weights
        && weights.len() != points.len()
    {
        return Err(KdeError::WeightCount { points: points.len(), weights: weights.len() });
    }
    if points.is_empty() {
        return Err(KdeError::NoPoints);
    }
    let mut events = Vec::with_capacity(points.len());
    for (index, &(x, y)) in points.iter().enumerate() {
        if !(x.is_finite() && y.is_finite()) {
            return Err(KdeError::NotFinite { index });
        }
        let w = weights.map_or(1.0, |weights| weights[index]);
        if !(w.is_finite() && w >= 0.0) {
            return Err(KdeError::BadWeight { index, weight: w });
        }
        events.push(Event { x, y, w });
    }
    events.par_sort_unstable_by(|a, b| a.y.total_cmp(&b.y).then(a.x.total_cmp(&b.x)).then(a.w.total_cmp(&b.w)));
    Ok(events)
}

fn total_weight(events: &[Event]) -> Result<f64, KdeError> {
    let total: f64 = events.iter().map(|e| e.w).sum();
    if total.is_finite() && total > 0.0 { Ok(total) } else { Err(KdeError::BadTotalWeight(total)) }
}

fn mean_centre(events: &[Event]) -> (f64, f64) {
    let n = events.len() as f64;
    (events.iter().map(|e| e.x).sum::<f64>() / n, events.iter().map(|e| e.y).sum::<f64>() / n)
}

/// Events per chunk in parallel reductions: fixed, so partial sums and their order do not depend on threads.
const CHUNK: usize = 1 << 14;

/// The window half-side in bandwidths for a Gaussian truncated at `tolerance` of the maximum (∞: evaluate exactly),
/// and L.
///
/// L = the exact intensity at the centre of the heaviest cell and of the heaviest block of about h × h, a lower
/// bound on the maximum; k solves W·e^(−k²/2)/(2πh²) = tolerance·L.
fn truncation_k(events: &[Event], total_weight: f64, h: f64, grid: &Grid, tolerance: f64) -> (f64, f64) {
    let per_block = ((h / grid.cell).round() as usize).clamp(1, grid.ncols.max(grid.nrows));
    let mut candidates = vec![heaviest_cell(events, grid, 1), heaviest_cell(events, grid, per_block)];
    candidates.dedup();
    let lower =
        candidates.into_iter().map(|(row, col)| gaussian_at(events, h, grid.centre(row, col))).fold(0.0, f64::max);
    let peak = total_weight / (2.0 * std::f64::consts::PI * h * h);
    let ratio = peak / (tolerance * lower);
    // The relative margin on k keeps the bound below tolerance·L despite rounding in ln, sqrt and exp.
    if lower > 0.0 && ratio.is_finite() {
        ((2.0 * ratio.max(1.0).ln()).sqrt() * (1.0 + 1e-9), lower)
    } else {
        (f64::INFINITY, 0.0)
    }
}

/// `(row, col)` of the centre cell of the heaviest block of `per_block` × `per_block` cells (ties: the first in
/// row-major order); the cell nearest the first event when no event is inside the grid.
fn heaviest_cell(events: &[Event], grid: &Grid, per_block: usize) -> (usize, usize) {
    let block_cols = grid.ncols.div_ceil(per_block);
    let block_rows = grid.nrows.div_ceil(per_block);
    let mut mass = vec![0.0; block_cols * block_rows];
    for e in events {
        if let Some((row, col)) = grid.cell_of(e.x, e.y) {
            mass[(row / per_block) * block_cols + col / per_block] += e.w;
        }
    }
    let mut best = None;
    for (index, &m) in mass.iter().enumerate() {
        if m > 0.0 && best.is_none_or(|(_, b)| m > b) {
            best = Some((index, m));
        }
    }
    match best {
        Some((index, _)) => {
            let (block_row, block_col) = (index / block_cols, index % block_cols);
            let row = (block_row * per_block + per_block / 2).min(grid.nrows - 1);
            let col = (block_col * per_block + per_block / 2).min(grid.ncols - 1);
            (row, col)
        }
        None => {
            let nearest = |v: f64, origin: f64, n: usize| {
                ((v - origin) / grid.cell - 0.5).round().clamp(0.0, (n - 1) as f64) as usize
            };
            (nearest(events[0].y, grid.y0, grid.nrows), nearest(events[0].x, grid.x0, grid.ncols))
        }
    }
}

/// The exact Gaussian intensity at one location.
fn gaussian_at(events: &[Event], h: f64, (cx, cy): (f64, f64)) -> f64 {
    let inv_2h2 = 0.5 / (h * h);
    let norm = 1.0 / (2.0 * std::f64::consts::PI * h * h);
    let partial: Vec<f64> = events
        .par_chunks(CHUNK)
        .map(|chunk| chunk.iter().map(|e| e.w * (-((cx - e.x).powi(2) + (cy - e.y).powi(2)) * inv_2h2).exp()).sum())
        .collect();
    partial.iter().sum::<f64>() * norm
}

/// Adds every event's kernel into `out` (one value per cell), for cells within `radius` of it along both axes
/// (`radius` = ∞: all cells).
///
/// Threads own bands of whole rows; inside a band, events run in their canonical order, so each cell's sum has
/// the same terms in the same order however the bands are scheduled.
fn accumulate(events: &[Event], grid: &Grid, shape: Shape, radius: f64, out: &mut [f64]) {
    let (ncols, nrows, cell) = (grid.ncols, grid.nrows, grid.cell);
    if out.is_empty() {
        return;
    }
    // Bands a window tall, so that an event touches about two, but at least four bands per thread for balance.
    // The result does not depend on the banding: a cell's terms and their order do not.
    let window_rows = (2.0 * radius / cell).min(nrows as f64) as usize + 1;
    let band_rows = window_rows.min(nrows.div_ceil(4 * rayon::current_num_threads())).max(1);
    let (x_axis, y_axis) = (Axis::new(grid.x0, cell, ncols, shape), Axis::new(grid.y0, cell, nrows, shape));
    out.par_chunks_mut(band_rows * ncols).enumerate().for_each(|(band, cells)| {
        let first_row = band * band_rows;
        let rows = cells.len() / ncols;
        // Events whose window may reach these rows form a contiguous run of the y-sorted events; the slack of one
        // cell covers rounding, and each event's own window decides exactly.
        let y_low = y_axis.centre(first_row) - radius - cell;
        let y_high = y_axis.centre(first_row + rows - 1) + radius + cell;
        let start = events.partition_point(|e| e.y < y_low);
        let end = events.partition_point(|e| e.y <= y_high);
        let mut along_x = vec![0.0; ncols];
        let mut along_y = vec![0.0; rows];
        for e in &events[start..end] {
            let Some((row_lo, row_hi)) = y_axis.window(e.y, radius) else { continue };
            let (row_lo, row_hi) = (row_lo.max(first_row), row_hi.min(first_row + rows - 1));
            if row_lo > row_hi {
                continue;
            }
            let Some((col_lo, col_hi)) = x_axis.window(e.x, radius) else { continue };
            let wx = &mut along_x[..col_hi - col_lo + 1];
            let wy = &mut along_y[..row_hi - row_lo + 1];
            match shape {
                Shape::Gaussian { h } => {
                    let scale = e.w / (2.0 * std::f64::consts::PI * h * h);
                    x_axis.gaussian(e.x, col_lo, wx);
                    wx.iter_mut().for_each(|v| *v *= scale);
                    y_axis.gaussian(e.y, row_lo, wy);
                    for (&f, row) in wy.iter().zip(row_lo..=row_hi) {
                        let at = (row - first_row) * ncols;
                        for (o, &v) in cells[at + col_lo..=at + col_hi].iter_mut().zip(wx.iter()) {
                            *o += f * v;
                        }
                    }
                }
                Shape::Quartic { r } => {
                    let scale = e.w * 3.0 / (std::f64::consts::PI * r * r);
                    x_axis.squared_offsets(e.x, col_lo, wx);
                    y_axis.squared_offsets(e.y, row_lo, wy);
                    for (&uy, row) in wy.iter().zip(row_lo..=row_hi) {
                        let at = (row - first_row) * ncols;
                        let base = 1.0 - uy;
                        for (o, &ux) in cells[at + col_lo..=at + col_hi].iter_mut().zip(wx.iter()) {
                            let t = (base - ux).max(0.0);
                            *o += scale * t * t;
                        }
                    }
                }
            }
        }
    });
}

/// One axis of the grid (columns along x or rows along y) with the kernel's per-axis constants.
#[derive(Debug, Clone)]
struct Axis {
    origin: f64,
    cell: f64,
    n: usize,
    /// Gaussian: 1/(2h²); quartic: 1/r².
    inv_scale: f64,
    /// Gaussian: T\[m\] = exp(−m²·cell²/2h²) for m = 0..n + 4, shared by every point; empty when `direct`.
    steps: Vec<f64>,
    /// Gaussian with cells over 5.6 bandwidths wide: every weight by exp (windows are then a cell or two).
    direct: bool,
}

impl Axis {
    fn new(origin: f64, cell: f64, n: usize, shape: Shape) -> Axis {
        match shape {
            Shape::Gaussian { h } => {
                let inv_scale = 0.5 / (h * h);
                let direct = cell * cell * inv_scale > 16.0;
                let steps = if direct {
                    Vec::new()
                } else {
                    (0..n + 4).map(|m| (-((m * m) as f64) * cell * cell * inv_scale).exp()).collect()
                };
                Axis { origin, cell, n, inv_scale, steps, direct }
            }
            Shape::Quartic { r } => Axis { origin, cell, n, inv_scale: 1.0 / (r * r), steps: Vec::new(), direct: true },
        }
    }

    /// Centre of cell `index` along this axis (as [`Grid::centre`]).
    fn centre(&self, index: usize) -> f64 {
        self.origin + (index as f64 + 0.5) * self.cell
    }

    /// Inclusive range of cells whose centres are within `radius` of `v`, `None` when none is.
    ///
    /// Clamped to [−1, n] first, so that truncating casts give floor and ceiling (`f64::floor` is a library call
    /// on baseline x86-64).
    fn window(&self, v: f64, radius: f64) -> Option<(usize, usize)> {
        let limit = self.n as f64;
        let low = ((v - radius - self.origin) / self.cell - 0.5).clamp(-1.0, limit);
        let high = ((v + radius - self.origin) / self.cell - 0.5).clamp(-1.0, limit);
        let (mut lo, mut hi) = (low as i64, high as i64);
        if (lo as f64) < low {
            lo += 1;
        }
        if (hi as f64) > high {
            hi -= 1;
        }
        let (lo, hi) = (lo.max(0), hi.min(self.n as i64 - 1));
        (lo <= hi).then_some((lo as usize, hi as usize))
    }

    /// The cell nearest `v`, clamped to the axis.
    fn nearest(&self, v: f64) -> usize {
        (((v - self.origin) / self.cell - 0.5).clamp(0.0, (self.n - 1) as f64) + 0.5) as usize
    }

    /// ((centre − v)/r)² for cells `first..first + out.len()`.
    fn squared_offsets(&self, v: f64, first: usize, out: &mut [f64]) {
        for (o, index) in out.iter_mut().zip(first..) {
            let d = self.centre(index) - v;
            *o = d * d * self.inv_scale;
        }
    }

    /// exp(−(centre − v)²/2h²) for cells `first..first + out.len()`.
    ///
    /// With s the cell nearest `v` (clamped to the axis), d₀ = centre(s) − v and Δ the cell size, the weight m
    /// cells from s is exp(−(d₀ ± mΔ)²/2h²) = g₀ · βᵐ · T\[m\], with g₀ = exp(−d₀²/2h²), β = exp(∓2d₀Δ/2h²) and the
    /// shared table T\[m\] = exp(−m²Δ²/2h²). βᵐ comes from four interleaved products (βᵐ⁺⁴ = βᵐ·β⁴) started at
    /// m = 0, so a cell's weight depends only on `v` and the cell, not on the range asked for. Walking away from
    /// s, βᵐ·T\[m\] ≤ 1; once T\[m\] underflows to 0 every later weight is 0 as well.
    fn gaussian(&self, v: f64, first: usize, out: &mut [f64]) {
        let end = first + out.len();
        if self.direct {
            for (o, index) in out.iter_mut().zip(first..) {
                let d = self.centre(index) - v;
                *o = (-d * d * self.inv_scale).exp();
            }
            return;
        }
        let s = self.nearest(v);
        let d0 = self.centre(s) - v;
        let g0 = (-d0 * d0 * self.inv_scale).exp();
        let cross = 2.0 * d0 * self.cell * self.inv_scale;
        if end > s {
            // Cells s.. : m = j − s.
            let from = first.max(s);
            let out = &mut out[from - first..];
            self.walk(g0, (-cross).exp(), from - s, end - s, |m, value| out[m + s - from] = value);
        }
        if first < s {
            // Cells ..s, downwards: m = s − j.
            let top = end.min(s);
            let out = &mut out[..top - first];
            self.walk(g0, cross.exp(), s + 1 - top, s - first + 1, |m, value| out[s - m - first] = value);
        }
    }

    /// Calls `store(m, g₀·(βᵐ·T[m]))` for m in `from..to`, computing βᵐ for every m from 0.
    fn walk(&self, g0: f64, beta: f64, from: usize, to: usize, mut store: impl FnMut(usize, f64)) {
        let beta2 = beta * beta;
        let beta4 = beta2 * beta2;
        let mut powers = [1.0, beta, beta2, beta2 * beta];
        let mut m = 0;
        while m < to {
            if self.steps[m] == 0.0 {
                (m.max(from)..to).for_each(|m| store(m, 0.0));
                return;
            }
            for (lane, power) in powers.iter().enumerate() {
                let at = m + lane;
                if at >= from && at < to {
                    store(at, g0 * (power * self.steps[at]));
                }
            }
            powers.iter_mut().for_each(|p| *p *= beta4);
            m += 4;
        }
    }
}

/// [`mass_inside`] on canonical events with a valid bandwidth.
fn mass_inside_canonical(events: &[Event], grid: &Grid, kernel: Kernel, bandwidth: f64) -> f64 {
    let (x0, y0) = (grid.x0, grid.y0);
    let (x1, y1) = (x0 + grid.ncols as f64 * grid.cell, y0 + grid.nrows as f64 * grid.cell);
    let rule = GaussLegendre::new();
    let partial: Vec<f64> = events
        .par_chunks(CHUNK)
        .map(|chunk| {
            chunk
                .iter()
                .map(|e| {
                    let share = match kernel {
                        Kernel::Gaussian => {
                            normal_between((x0 - e.x) / bandwidth, (x1 - e.x) / bandwidth)
                                * normal_between((y0 - e.y) / bandwidth, (y1 - e.y) / bandwidth)
                        }
                        Kernel::Quartic => quartic_in_box(x0 - e.x, x1 - e.x, y0 - e.y, y1 - e.y, bandwidth, &rule),
                    };
                    e.w * share
                })
                .sum()
        })
        .collect();
    partial.iter().sum()
}

/// Φ(b) − Φ(a) for a ≤ b, the standard normal mass between them, without cancellation in the tails.
fn normal_between(a: f64, b: f64) -> f64 {
    let half = std::f64::consts::FRAC_1_SQRT_2;
    // Beyond 8.5 standard deviations on both sides erfc(6) = 2e-17 and the sum below rounds to exactly 1.
    if a <= -8.5 && b >= 8.5 {
        return 1.0;
    }
    let mass = if a >= 0.0 {
        0.5 * (erfc(a * half) - erfc(b * half))
    } else if b <= 0.0 {
        0.5 * (erfc(-b * half) - erfc(-a * half))
    } else {
        1.0 - 0.5 * (erfc(-a * half) + erfc(b * half))
    };
    mass.clamp(0.0, 1.0)
}

/// The share of a quartic kernel of radius r, centred at the origin, inside [a0, a1] × [b0, b1].
///
/// With A(u) = √(r² − u²), the integral along v of 3/(πr⁶)·(A² − v²)² is c·P(v), P(v) = A⁴v − 2A²v³/3 + v⁵/5,
/// between the clipped limits. Along u = r·sin θ the integrand is smooth except where a clip starts or stops
/// (A(u) = |b|), so the θ range is split there and each piece integrated by Gauss–Legendre.
fn quartic_in_box(a0: f64, a1: f64, b0: f64, b1: f64, r: f64, rule: &GaussLegendre) -> f64 {
    let (u0, u1) = (a0.max(-r), a1.min(r));
    let (v0, v1) = (b0.max(-r), b1.min(r));
    if u0 >= u1 || v0 >= v1 {
        return 0.0;
    }
    if u0 == -r && u1 == r && v0 == -r && v1 == r {
        return 1.0;
    }
    let (t0, t1) = ((u0 / r).clamp(-1.0, 1.0).asin(), (u1 / r).clamp(-1.0, 1.0).asin());
    let mut cuts = vec![t0, t1];
    for b in [v0, v1] {
        if b.abs() < r {
            let t = (b.abs() / r).acos();
            cuts.extend([t, -t].into_iter().filter(|&t| t > t0 && t < t1));
        }
    }
    cuts.sort_unstable_by(f64::total_cmp);
    let c = 3.0 / (std::f64::consts::PI * r.powi(6));
    let integrand = |theta: f64| {
        let a = r * theta.cos();
        let a2 = a * a;
        let p = |v: f64| {
            let v = v.clamp(-a, a);
            let v2 = v * v;
            v * (a2 * a2 - 2.0 / 3.0 * a2 * v2 + 0.2 * v2 * v2)
        };
        c * (p(v1) - p(v0)) * a
    };
    let total: f64 = cuts.windows(2).map(|w| rule.integrate(w[0], w[1], integrand)).sum();
    total.clamp(0.0, 1.0)
}

/// The 16-point Gauss–Legendre rule on [−1, 1]: exact for polynomials of degree ≤ 31.
struct GaussLegendre {
    nodes: [(f64, f64); 16],
}

impl GaussLegendre {
    /// Nodes and weights by Newton's method on the Legendre polynomial P₁₆ (Press et al., *Numerical Recipes*,
    /// §4.6 `gauleg`).
    fn new() -> GaussLegendre {
        const N: usize = 16;
        let mut nodes = [(0.0, 0.0); N];
        for i in 0..N / 2 {
            let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (N as f64 + 0.5)).cos();
            let mut derivative = 1.0;
            for _ in 0..100 {
                let (mut p1, mut p2) = (1.0, 0.0);
                for j in 1..=N {
                    let p3 = p2;
                    p2 = p1;
                    p1 = ((2 * j - 1) as f64 * z * p2 - (j - 1) as f64 * p3) / j as f64;
                }
                derivative = N as f64 * (z * p1 - p2) / (z * z - 1.0);
                let step = p1 / derivative;
                z -= step;
                if step.abs() < 1e-16 {
                    break;
                }
            }
            let weight = 2.0 / ((1.0 - z * z) * derivative * derivative);
            nodes[i] = (-z, weight);
            nodes[N - 1 - i] = (z, weight);
        }
        GaussLegendre { nodes }
    }

    fn integrate(&self, lo: f64, hi: f64, f: impl Fn(f64) -> f64) -> f64 {
        let (mid, half) = (0.5 * (lo + hi), 0.5 * (hi - lo));
        half * self.nodes.iter().map(|&(x, w)| w * f(mid + half * x)).sum::<f64>()
    }
}

// The complementary error function, ported from FreeBSD /usr/src/lib/msun/src/s_erf.c (via the Rust `libm` crate),
// under this notice:
//
// ====================================================
// Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
//
// Developed at SunPro, a Sun Microsystems, Inc. business.
// Permission to use, copy, modify, and distribute this
// software is freely granted, provided that this notice
// is preserved.
// ====================================================

#[expect(clippy::excessive_precision, reason = "the coefficients exactly as printed in s_erf.c")]
mod coefficients {
    pub(super) const ERX: f64 = 8.45062911510467529297e-01;
    pub(super) const PP: [f64; 5] = [
        1.28379167095512558561e-01,
        -3.25042107247001499370e-01,
        -2.84817495755985104766e-02,
        -5.77027029648944159157e-03,
        -2.37630166566501626084e-05,
    ];
    pub(super) const QQ: [f64; 5] = [
        3.97917223959155352819e-01,
        6.50222499887672944485e-02,
        5.08130628187576562776e-03,
        1.32494738004321644526e-04,
        -3.96022827877536812320e-06,
    ];
    pub(super) const PA: [f64; 7] = [
        -2.36211856075265944077e-03,
        4.14856118683748331666e-01,
        -3.72207876035701323847e-01,
        3.18346619901161753674e-01,
        -1.10894694282396677476e-01,
        3.54783043256182359371e-02,
        -2.16637559486879084300e-03,
    ];
    pub(super) const QA: [f64; 6] = [
        1.06420880400844228286e-01,
        5.40397917702171048937e-01,
        7.18286544141962662868e-02,
        1.26171219808761642112e-01,
        1.36370839120290507362e-02,
        1.19844998467991074170e-02,
    ];
    pub(super) const RA: [f64; 8] = [
        -9.86494403484714822705e-03,
        -6.93858572707181764372e-01,
        -1.05586262253232909814e+01,
        -6.23753324503260060396e+01,
        -1.62396669462573470355e+02,
        -1.84605092906711035994e+02,
        -8.12874355063065934246e+01,
        -9.81432934416914548592e+00,
    ];
    pub(super) const SA: [f64; 8] = [
        1.96512716674392571292e+01,
        1.37657754143519042600e+02,
        4.34565877475229228821e+02,
        6.45387271733267880336e+02,
        4.29008140027567833386e+02,
        1.08635005541779435134e+02,
        6.57024977031928170135e+00,
        -6.04244152148580987438e-02,
    ];
    pub(super) const RB: [f64; 7] = [
        -9.86494292470009928597e-03,
        -7.99283237680523006574e-01,
        -1.77579549177547519889e+01,
        -1.60636384855821916062e+02,
        -6.37566443368389627722e+02,
        -1.02509513161107724954e+03,
        -4.83519191608651397019e+02,
    ];
    pub(super) const SB: [f64; 7] = [
        3.03380607434824582924e+01,
        3.25792512996573918826e+02,
        1.53672958608443695994e+03,
        3.19985821950859553908e+03,
        2.55305040643316442583e+03,
        4.74528541206955367215e+02,
        -2.24409524465858183362e+01,
    ];
}
use coefficients::*;

/// c₀ + c₁z + c₂z² + … (Horner).
fn polynomial(z: f64, coefficients: &[f64]) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, &c| acc * z + c)
}

/// 1 + z·(c₀ + c₁z + …).
fn one_plus(z: f64, coefficients: &[f64]) -> f64 {
    1.0 + z * polynomial(z, coefficients)
}

/// The complementary error function erfc(x) = 1 − erf(x), accurate to about 1 ulp.
fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let ax = x.abs();
    if ax < 0.84375 {
        if ax < 2f64.powi(-56) {
            return 1.0 - x;
        }
        let z = x * x;
        let y = polynomial(z, &PP) / one_plus(z, &QQ);
        return if x < 0.25 { 1.0 - (x + x * y) } else { 0.5 - (x - 0.5 + x * y) };
    }
    if ax >= 28.0 {
        return if x > 0.0 { 0.0 } else { 2.0 };
    }
    let tail = if ax < 1.25 {
        let s = ax - 1.0;
        1.0 - ERX - polynomial(s, &PA) / one_plus(s, &QA)
    } else {
        let s = 1.0 / (ax * ax);
        let (r, big_s) = if ax < 1.0 / 0.35 {
            (polynomial(s, &RA), one_plus(s, &SA))
        } else {
            (polynomial(s, &RB), one_plus(s, &SB))
        };
        // z is ax with the low 32 bits cleared, so that z·z is exact and exp's argument keeps its precision.
        let z = f64::from_bits(ax.to_bits() & 0xffff_ffff_0000_0000);
        (-z * z - 0.5625).exp() * ((z - ax) * (z + ax) + r / big_s).exp() / ax
    };
    if x > 0.0 { tail } else { 2.0 - tail }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;
    use proptest::prelude::*;

    fn gaussian(h: f64, evaluation: Evaluation) -> KdeConfig {
        KdeConfig { kernel: Kernel::Gaussian, bandwidth: Bandwidth::Fixed(h), evaluation }
    }

    /// The direct double sum, for comparison.
    fn brute(points: &[(f64, f64)], grid: &Grid, kernel: Kernel, h: f64) -> Vec<f64> {
        (0..grid.len())
            .map(|i| {
                let (row, col) = grid.row_col(i);
                let (cx, cy) = grid.centre(row, col);
                points
                    .iter()
                    .map(|&(x, y)| {
                        let d2 = (cx - x).powi(2) + (cy - y).powi(2);
                        match kernel {
                            Kernel::Gaussian => (-d2 / (2.0 * h * h)).exp() / (2.0 * std::f64::consts::PI * h * h),
                            Kernel::Quartic => {
                                let t = (1.0 - d2 / (h * h)).max(0.0);
                                3.0 / (std::f64::consts::PI * h * h) * t * t
                            }
                        }
                    })
                    .sum()
            })
            .collect()
    }

    #[test]
    fn erfc_matches_known_values() {
        // Values from scipy.special.erfc 1.17.1.
        for (x, expected) in [
            (0.0, 1.0),
            (0.1, 0.8875370839817152),
            (0.5, 0.4795001221869535),
            (1.0, 0.15729920705028516),
            (2.0, 0.004677734981047266),
            (3.0, 2.2090496998585445e-05),
            (5.0, 1.5374597944280347e-12),
            (10.0, 2.0884875837625446e-45),
            (-1.0, 1.8427007929497148),
        ] {
            assert_relative_eq!(erfc(x), expected, max_relative = 4e-16);
        }
        assert_eq!(erfc(30.0), 0.0);
        assert_eq!(erfc(-30.0), 2.0);
    }

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        let rule = GaussLegendre::new();
        assert_relative_eq!(rule.integrate(0.0, 1.0, |x| x.powi(5)), 1.0 / 6.0, max_relative = 1e-14);
        assert_relative_eq!(
            rule.integrate(-2.0, 3.0, |x| x.powi(30)),
            (3f64.powi(31) + 2f64.powi(31)) / 31.0,
            max_relative = 1e-13
        );
        assert_relative_eq!(rule.nodes.iter().map(|n| n.1).sum::<f64>(), 2.0, max_relative = 1e-14);
    }

    #[test]
    fn the_weight_recurrence_matches_exp_everywhere() {
        let cases = [
            (37.0, 10.0, 123.4),
            (5.0, 10.0, -3.0),
            (400.0, 100.0, 1e4 + 7.0),
            (1.0, 50.0, 990.0),
            (3.0, 10.0, 1234.0),
            (9.0, 10.0, 5000.0),
            (90.0, 10.0, -900.0),
        ];
        for (h, cell, v) in cases {
            let axis = Axis::new(0.0, cell, 300, Shape::Gaussian { h });
            let mut all = vec![0.0; 300];
            axis.gaussian(v, 0, &mut all);
            for (j, &g) in all.iter().enumerate() {
                let d = axis.centre(j) - v;
                let exact = (-d * d / (2.0 * h * h)).exp();
                // exp itself loses relative precision in proportion to its argument, so far tails get more slack.
                // Subnormal values keep no relative precision.
                let tolerance = (3e-14 + 2e-15 * d * d / (2.0 * h * h)) * exact + 1e-300;
                assert!((g - exact).abs() <= tolerance, "h {h} cell {cell} v {v} j {j}: {g} vs {exact}");
            }
            // A sub-range gives bitwise the same values.
            let mut part = vec![0.0; 50];
            axis.gaussian(v, 117, &mut part);
            assert_eq!(part, all[117..167]);
        }
    }

    #[test]
    fn exact_evaluation_equals_the_direct_double_sum() {
        let points = [(10.0, 20.0), (250.0, 130.0), (255.0, 140.0), (-40.0, 300.0), (900.0, -200.0)];
        let grid = Grid::new(0.0, 0.0, 25.0, 20, 16).unwrap();
        for kernel in [Kernel::Gaussian, Kernel::Quartic] {
            let config = KdeConfig { kernel, bandwidth: Bandwidth::Fixed(90.0), evaluation: Evaluation::Exact };
            let result = kernel_density(&points, None, &grid, &config).unwrap();
            let expected = brute(&points, &grid, kernel, 90.0);
            for (a, b) in result.intensity.iter().zip(&expected) {
                assert!((a - b).abs() <= 1e-12 * b.abs() + 1e-300, "{kernel:?}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn mass_of_a_kernel_is_whole_inside_half_on_an_edge_and_a_quarter_at_a_corner() {
        let grid = Grid::new(0.0, 0.0, 10.0, 100, 100).unwrap();
        for kernel in [Kernel::Gaussian, Kernel::Quartic] {
            let mass = |x, y| mass_inside(&[(x, y)], None, &grid, kernel, 50.0).unwrap();
            assert_relative_eq!(mass(500.0, 500.0), 1.0, max_relative = 1e-12);
            assert_relative_eq!(mass(0.0, 500.0), 0.5, max_relative = 1e-12);
            assert_relative_eq!(mass(500.0, 1000.0), 0.5, max_relative = 1e-12);
            assert_relative_eq!(mass(1000.0, 0.0), 0.25, max_relative = 1e-12);
            assert!(mass(-1e4, 500.0) < 1e-300);
        }
        // A quartic kernel cut by a line at distance r/2: 1 − the cap's share, by a fine 1-D quadrature.
        let r = 40.0;
        let cap: f64 = {
            let steps = 200_000;
            let dx = r / 2.0 / steps as f64;
            (0..steps)
                .map(|i| {
                    let u = r / 2.0 + (i as f64 + 0.5) * dx;
                    let a2 = r * r - u * u;
                    3.0 / (std::f64::consts::PI * r.powi(6)) * (16.0 / 15.0) * a2.powf(2.5) * dx
                })
                .sum()
        };
        let inside = mass_inside(&[(1000.0 - r / 2.0, 500.0)], None, &grid, Kernel::Quartic, r).unwrap();
        assert_relative_eq!(inside, 1.0 - cap, max_relative = 1e-9);
    }

    #[test]
    fn bandwidth_rules_follow_their_formulas() {
        let points = [(0.0, 0.0), (3.0, 0.0), (0.0, 4.0), (3.0, 4.0), (10.0, 10.0)];
        // Scott: s_x² and s_y² with n − 1.
        let (mx, my) = (16.0 / 5.0, 18.0 / 5.0);
        let sx2 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum::<f64>() / 4.0;
        let sy2 = points.iter().map(|p| (p.1 - my) * (p.1 - my)).sum::<f64>() / 4.0;
        let scott = ((sx2 + sy2) / 2.0).sqrt() * 5f64.powf(-1.0 / 6.0);
        assert_relative_eq!(Bandwidth::Scott.resolve(&points).unwrap(), scott, max_relative = 1e-14);
        // ArcGIS: standard distance with n, median distance.
        let mut d: Vec<f64> = points.iter().map(|p| (p.0 - mx).hypot(p.1 - my)).collect();
        let sd = (d.iter().map(|d| d * d).sum::<f64>() / 5.0).sqrt();
        d.sort_by(f64::total_cmp);
        let arcgis = 0.9 * sd.min((1.0 / 2f64.ln()).sqrt() * d[2]) * 5f64.powf(-0.2);
        assert_relative_eq!(Bandwidth::ArcGis.resolve(&points).unwrap(), arcgis, max_relative = 1e-14);
        assert_eq!(Bandwidth::Fixed(250.0).resolve(&points), Ok(250.0));
    }

    #[test]
    fn bad_input_is_named() {
        let grid = Grid::new(0.0, 0.0, 10.0, 5, 5).unwrap();
        let config = gaussian(20.0, Evaluation::truncated());
        assert_eq!(kernel_density(&[], None, &grid, &config), Err(KdeError::NoPoints));
        assert_eq!(
            kernel_density(&[(0.0, 0.0), (f64::INFINITY, 0.0)], None, &grid, &config),
            Err(KdeError::NotFinite { index: 1 })
        );
        assert_eq!(
            kernel_density(&[(0.0, 0.0)], Some(&[1.0, 2.0]), &grid, &config),
            Err(KdeError::WeightCount { points: 1, weights: 2 })
        );
        assert_eq!(
            kernel_density(&[(0.0, 0.0), (1.0, 1.0)], Some(&[1.0, -2.0]), &grid, &config),
            Err(KdeError::BadWeight { index: 1, weight: -2.0 })
        );
        assert_eq!(kernel_density(&[(0.0, 0.0)], Some(&[0.0]), &grid, &config), Err(KdeError::BadTotalWeight(0.0)));
        assert_eq!(
            kernel_density(&[(0.0, 0.0)], None, &grid, &gaussian(0.0, Evaluation::Exact)),
            Err(KdeError::BadBandwidth(0.0))
        );
        assert_eq!(
            kernel_density(&[(0.0, 0.0)], None, &grid, &gaussian(5.0, Evaluation::Truncated { tolerance: 1.0 })),
            Err(KdeError::BadTolerance(1.0))
        );
        assert_eq!(
            Bandwidth::Scott.resolve(&[(1.0, 1.0)]),
            Err(KdeError::TooFewPoints { rule: "scott", needed: 2, got: 1 })
        );
        assert_eq!(
            Bandwidth::ArcGis.resolve(&[(1.0, 1.0), (1.0, 1.0)]),
            Err(KdeError::NoSpread { rule: "arcgis", value: 0.0 })
        );
    }

    #[test]
    fn weights_count_as_repeated_points() {
        let grid = Grid::new(0.0, 0.0, 10.0, 30, 30).unwrap();
        let config = gaussian(25.0, Evaluation::Exact);
        let weighted = kernel_density(&[(100.0, 100.0), (200.0, 150.0)], Some(&[3.0, 1.0]), &grid, &config).unwrap();
        let repeated =
            kernel_density(&[(100.0, 100.0), (100.0, 100.0), (100.0, 100.0), (200.0, 150.0)], None, &grid, &config)
                .unwrap();
        for (a, b) in weighted.intensity.iter().zip(&repeated.intensity) {
            assert_relative_eq!(*a, *b, max_relative = 1e-13);
        }
        assert_eq!(weighted.total_weight, 4.0);
    }

    #[test]
    fn an_empty_grid_gives_an_empty_surface() {
        let grid = Grid::new(0.0, 0.0, 10.0, 0, 0).unwrap();
        let result = kernel_density(&[(1.0, 1.0)], None, &grid, &gaussian(5.0, Evaluation::truncated())).unwrap();
        assert!(result.intensity.is_empty());
        assert_eq!(result.edge_loss, 1.0);
    }

    #[test]
    fn the_json_has_the_documented_shape() {
        let grid = Grid::new(0.0, 0.0, 10.0, 3, 2).unwrap();
        let result = kernel_density(&[(5.0, 5.0)], None, &grid, &gaussian(10.0, Evaluation::truncated())).unwrap();
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["grid"], serde_json::json!({"x0": 0.0, "y0": 0.0, "cell": 10.0, "ncols": 3, "nrows": 2}));
        assert_eq!(json["kernel"], "gaussian");
        assert_eq!(json["bandwidth_rule"], "fixed");
        let rows = json["intensity"].as_array().unwrap();
        assert_eq!((rows.len(), rows[0].as_array().unwrap().len()), (2, 3));
        // Row 0 is the south: the point sits in cell (0, 0).
        assert_eq!(rows[0][0].as_f64().unwrap(), result.max_intensity);
        assert_eq!(json["truncation"]["exact"], false);
        assert!(json["truncation"]["bound"].as_f64().unwrap() > 0.0);
    }

    fn clustered() -> impl Strategy<Value = Vec<(f64, f64)>> {
        prop::collection::vec((0.0f64..1.0, 0.0f64..1.0, 0usize..3), 1..120).prop_map(|raw| {
            raw.into_iter()
                .map(|(u, v, c)| {
                    let (cx, cy) = [(300.0, 300.0), (700.0, 450.0), (500.0, 800.0)][c];
                    (cx + 400.0 * (u - 0.5).powi(3), cy + 400.0 * (v - 0.5).powi(3))
                })
                .collect()
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn truncation_stays_within_its_bound(
            points in clustered(),
            h in 15.0f64..120.0,
            tolerance in 1e-9f64..1e-2,
        ) {
            let grid = Grid::new(0.0, 0.0, 20.0, 55, 50).unwrap();
            let exact = kernel_density(&points, None, &grid, &gaussian(h, Evaluation::Exact)).unwrap();
            let truncated = gaussian(h, Evaluation::Truncated { tolerance });
            let cut = kernel_density(&points, None, &grid, &truncated).unwrap();
            let bound = cut.truncation.bound;
            prop_assert!(bound <= tolerance * exact.max_intensity * (1.0 + 1e-12));
            prop_assert!(cut.truncation.bound_relative <= tolerance * (1.0 + 1e-9));
            for (t, e) in cut.intensity.iter().zip(&exact.intensity) {
                // Truncation only drops terms; rounding is far below the bound's scale.
                let slack = 1e-12 * e.abs();
                prop_assert!(*t <= e + slack && e - t <= bound + slack, "{t} vs {e}, bound {bound}");
            }
        }

        #[test]
        fn mass_equals_total_weight_minus_edge_loss(
            points in clustered(),
            h in 30.0f64..80.0,
            quartic in any::<bool>(),
        ) {
            // Cells a fifth of the bandwidth (a twelfth of the quartic radius): where the grid's edge cuts a kernel
            // the midpoint rule errs by about (cell²/24)·|K'|, well under 1e-3 per point.
            let (kernel, bandwidth) = if quartic { (Kernel::Quartic, 2.5 * h) } else { (Kernel::Gaussian, h) };
            let cell = h / 5.0;
            let grid = Grid::new(100.0, 150.0, cell, (800.0 / cell) as usize, (700.0 / cell) as usize).unwrap();
            let evaluation = Evaluation::truncated();
            let config = KdeConfig { kernel, bandwidth: Bandwidth::Fixed(bandwidth), evaluation };
            let result = kernel_density(&points, None, &grid, &config).unwrap();
            let n = points.len() as f64;
            prop_assert!(result.edge_loss >= -1e-9 && result.edge_loss <= n);
            let expected = n - result.edge_loss;
            prop_assert!((result.mass - expected).abs() <= 1e-3 * n, "{} vs {}", result.mass, expected);
        }

        #[test]
        fn the_order_of_the_points_does_not_change_a_bit(
            points in clustered(),
            seed in any::<u64>(),
            h in 20.0f64..90.0,
        ) {
            let grid = Grid::covering(&points, 25.0).unwrap();
            let mut shuffled = points.clone();
            crate::random::shuffle(&mut crate::random::stream(seed, 0), &mut shuffled);
            let cases = [
                (Kernel::Gaussian, Bandwidth::Fixed(h)),
                (Kernel::Quartic, Bandwidth::ArcGis),
                (Kernel::Gaussian, Bandwidth::Scott),
            ];
            for (kernel, bandwidth) in cases {
                let config = KdeConfig { kernel, bandwidth, evaluation: Evaluation::truncated() };
                let (original, permuted) =
                    (kernel_density(&points, None, &grid, &config), kernel_density(&shuffled, None, &grid, &config));
                match (original, permuted) {
                    (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                    (a, b) => prop_assert_eq!(a.err(), b.err()),
                }
            }
        }
    }
}
