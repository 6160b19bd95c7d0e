//! Binary spatial weights — who is whose neighbour — for Getis–Ord Gi\* and Moran's I.
//!
//! [`Weights`] stores, for each of n observations (grid cells, points, polygons), the ascending list of its
//! neighbours, never itself, in compressed sparse rows: `offsets[i]..offsets[i + 1]` indexes `neighbours`.
//! A 100,000-cell queen grid takes 3.6 MB. The weights are binary (`w_ij = 1` for a neighbour, 0 otherwise);
//! the statistics choose a [`Transform`] of them:
//!
//! - [`Transform::Binary`] — `w_ij` as stored;
//! - [`Transform::BinaryWithSelf`] — the same plus `w_ii = 1`, what Gi\* uses;
//! - [`Transform::RowStandardised`] — `w_ij = 1/kᵢ` with `kᵢ` the number of neighbours of i, so each row sums
//!   to 1 (0 for an island, an observation without neighbours); what Moran's I uses.
//!
//! Builders:
//!
//! - [`Weights::queen`] — queen contiguity on a [`Grid`]: the up to 8 cells sharing an edge or a corner;
//! - [`Weights::grid_distance_band`] — grid cells whose centres are within a distance;
//! - [`GridWeights`] — either of those restricted to a mask of the cells in the study area;
//! - [`Weights::distance_band`] — points within a distance (found by bucketing the plane into squares of the
//!   band's size, so each point looks at 9 buckets only);
//! - [`Weights::from_neighbour_lists`] — explicit lists, e.g. polygon contiguity read from a GAL file.
//!
//! This module only builds and reads weights; it does no statistics and no I/O.

use rayon::prelude::*;

use crate::grid::Grid;

/// Binary spatial weights over n observations in compressed sparse rows. See the [module docs](self).
///
/// Invariants: `offsets` has n + 1 entries, starts at 0 and never decreases; each row is strictly ascending
/// and never holds its own index; every index is below n.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weights {
    offsets: Vec<usize>,
    neighbours: Vec<u32>,
}

/// How the binary weights are turned into numbers `w_ij` (see the [module docs](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transform {
    /// `w_ij = 1` for each neighbour j of i, `w_ii = 0`.
    Binary,
    /// `w_ij = 1` for each neighbour j of i and `w_ii = 1` (Getis–Ord Gi\*).
    BinaryWithSelf,
    /// `w_ij = 1/kᵢ` for each of the `kᵢ` neighbours of i; an island's row is all zero.
    RowStandardised,
}

/// Why weights cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WeightsError {
    /// More observations than a 32-bit neighbour index can address.
    #[error("{0} observations are too many for spatial weights (at most 4,294,967,295)")]
    TooManyObservations(usize),
    /// The weights would hold more neighbour links than [`MAX_LINKS`].
    #[error("the weights would hold {links} neighbour links (at most {max}); choose a smaller distance band")]
    TooManyLinks {
        /// Links the weights would need.
        links: usize,
        /// The most links allowed.
        max: usize,
    },
    /// A neighbour index is not an observation.
    #[error("observation {observation} lists neighbour {neighbour}, but there are only {n} observations")]
    OutOfRange {
        /// The observation whose list is wrong.
        observation: usize,
        /// The listed neighbour.
        neighbour: usize,
        /// Number of observations.
        n: usize,
    },
    /// An observation lists itself; self-weights are chosen by [`Transform`], not listed.
    #[error("observation {0} lists itself as a neighbour")]
    SelfNeighbour(usize),
    /// An observation lists the same neighbour twice.
    #[error("observation {observation} lists neighbour {neighbour} twice")]
    Duplicate {
        /// The observation whose list is wrong.
        observation: usize,
        /// The neighbour listed twice.
        neighbour: usize,
    },
    /// The distance band is not a positive finite number of metres.
    #[error("the distance band must be a positive number of metres, not {0}")]
    BadDistance(f64),
    /// A point has a NaN or infinite coordinate.
    #[error("point {0} has a coordinate that is not a finite number")]
    NotFinite(usize),
    /// A mask does not have one entry per grid cell.
    #[error("the mask has {found} entries but the grid has {expected} cells")]
    MaskLength {
        /// Cells in the grid.
        expected: usize,
        /// Entries in the mask.
        found: usize,
    },
}

/// The most neighbour links weights may hold: 500 million (2 GB of indices).
pub const MAX_LINKS: usize = 500_000_000;

/// Rows are built and written in blocks of this many observations, so the parallel split does not depend on
/// the number of threads.
const BLOCK: usize = 4096;

impl Weights {
    /// Weights from explicit neighbour lists: `lists[i]` holds the indices of the neighbours of observation
    /// i, in any order. The lists need not be symmetric.
    ///
    /// # Errors
    ///
    /// [`WeightsError::OutOfRange`], [`WeightsError::SelfNeighbour`], [`WeightsError::Duplicate`],
    /// [`WeightsError::TooManyObservations`].
    pub fn from_neighbour_lists<L: AsRef<[usize]>>(lists: &[L]) -> Result<Weights, WeightsError> {
        let n = lists.len();
        check_observations(n)?;
        let mut offsets = Vec::with_capacity(n + 1);
        offsets.push(0);
        let mut neighbours = Vec::with_capacity(lists.iter().map(|l| l.as_ref().len()).sum());
        let mut row: Vec<usize> = Vec::new();
        for (observation, list) in lists.iter().enumerate() {
            row.clear();
            row.extend_from_slice(list.as_ref());
            row.sort_unstable();
            for (position, &neighbour) in row.iter().enumerate() {
                if neighbour >= n {
                    return Err(WeightsError::OutOfRange { observation, neighbour, n });
                }
                if neighbour == observation {
                    return Err(WeightsError::SelfNeighbour(observation));
                }
                if position > 0 && row[position - 1] == neighbour {
                    return Err(WeightsError::Duplicate { observation, neighbour });
                }
            }
            // Every index is below n ≤ u32::MAX + 1, so it fits.
            neighbours.extend(row.iter().map(|&j| j as u32));
            offsets.push(neighbours.len());
        }
        Ok(Weights { offsets, neighbours })
    }

    /// Queen contiguity on `grid`: each cell's neighbours are the up to 8 cells that share an edge or a corner
    /// with it (3 at a corner of the grid, 5 along an edge). Observation i is the cell with flat index i.
    ///
    /// # Panics
    ///
    /// Never for a grid built by [`Grid::new`] (at most [`crate::grid::MAX_CELLS`] cells).
    pub fn queen(grid: &Grid) -> Weights {
        let cells: Vec<usize> = (0..grid.len()).collect();
        let lookup: Vec<u32> = (0..grid.len() as u32).collect();
        grid_weights(grid, &cells, &lookup, &QUEEN).expect("a grid has at most MAX_CELLS cells and 8 links each")
    }

    /// Grid cells whose centres are at most `band_m` metres apart. Centres of cells `(r, c)` and `(r', c')`
    /// are `cell · √((r − r')² + (c − c')²)` apart; a cell is within the band when
    /// `((r − r')² + (c − c')²) · cell² ≤ band_m²`. With `band_m` = cell this is rook contiguity, with
    /// `band_m` = 1.5 · cell queen contiguity. Observation i is the cell with flat index i.
    ///
    /// # Errors
    ///
    /// [`WeightsError::BadDistance`], [`WeightsError::TooManyLinks`].
    pub fn grid_distance_band(grid: &Grid, band_m: f64) -> Result<Weights, WeightsError> {
        let offsets = band_offsets(grid, band_m)?;
        let cells: Vec<usize> = (0..grid.len()).collect();
        let lookup: Vec<u32> = (0..grid.len() as u32).collect();
        grid_weights(grid, &cells, &lookup, &offsets)
    }

    /// Points (x, y metres) at most `band_m` metres apart (Euclidean): j is a neighbour of i when
    /// `(xᵢ − xⱼ)² + (yᵢ − yⱼ)² ≤ band_m²`, the rule of libpysal's `DistanceBand(points, threshold,
    /// binary=True)`. Observation i is point i.
    ///
    /// The plane is cut into square buckets slightly larger than the band, the points are sorted by bucket,
    /// and each point compares itself with the points of its own and the 8 surrounding buckets only.
    ///
    /// # Errors
    ///
    /// [`WeightsError::BadDistance`], [`WeightsError::NotFinite`], [`WeightsError::TooManyLinks`],
    /// [`WeightsError::TooManyObservations`].
    pub fn distance_band(points: &[(f64, f64)], band_m: f64) -> Result<Weights, WeightsError> {
        if !(band_m.is_finite() && band_m > 0.0) {
            return Err(WeightsError::BadDistance(band_m));
        }
        check_observations(points.len())?;
        if let Some(index) = points.iter().position(|(x, y)| !(x.is_finite() && y.is_finite())) {
            return Err(WeightsError::NotFinite(index));
        }
        let xmin = points.iter().map(|p| p.0).fold(f64::INFINITY, f64::min);
        let ymin = points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        // A bucket a little larger than the band keeps two points within the band in the same or adjacent
        // buckets even when rounding moves one of them across a bucket edge.
        let bucket = band_m * (1.0 + 1e-6);
        let key = |&(x, y): &(f64, f64)| (((y - ymin) / bucket).floor() as i64, ((x - xmin) / bucket).floor() as i64);
        let keys: Vec<(i64, i64)> = points.iter().map(key).collect();
        let mut order: Vec<u32> = (0..points.len() as u32).collect();
        order.sort_unstable_by_key(|&i| (keys[i as usize], i));
        let sorted_keys: Vec<(i64, i64)> = order.iter().map(|&i| keys[i as usize]).collect();
        let band2 = band_m * band_m;
        build(points.len(), |i, row| {
            let (x, y) = points[i];
            let (by, bx) = keys[i];
            for dy in -1..=1 {
                let lo = sorted_keys.partition_point(|&k| k < (by + dy, bx - 1));
                let hi = sorted_keys.partition_point(|&k| k <= (by + dy, bx + 1));
                for &j in &order[lo..hi] {
                    let (xj, yj) = points[j as usize];
                    let (ex, ey) = (x - xj, y - yj);
                    if j as usize != i && ex * ex + ey * ey <= band2 {
                        row.push(j);
                    }
                }
            }
            row.sort_unstable();
        })
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// Whether there are no observations.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The neighbours of observation `i`, ascending, without `i` itself.
    ///
    /// # Panics
    ///
    /// If `i` is not an observation.
    pub fn neighbours(&self, i: usize) -> &[u32] {
        &self.neighbours[self.offsets[i]..self.offsets[i + 1]]
    }

    /// Number of neighbours `kᵢ` of observation `i` (not counting itself).
    ///
    /// # Panics
    ///
    /// If `i` is not an observation.
    pub fn cardinality(&self, i: usize) -> usize {
        self.offsets[i + 1] - self.offsets[i]
    }

    /// The largest number of neighbours of any observation.
    pub fn max_cardinality(&self) -> usize {
        self.offsets.windows(2).map(|w| w[1] - w[0]).max().unwrap_or(0)
    }

    /// Number of neighbour links, `Σᵢ kᵢ`.
    pub fn links(&self) -> usize {
        self.neighbours.len()
    }

    /// Number of islands: observations without neighbours.
    pub fn islands(&self) -> usize {
        self.offsets.windows(2).filter(|w| w[0] == w[1]).count()
    }

    /// Whether j is a neighbour of i exactly when i is a neighbour of j.
    pub fn is_symmetric(&self) -> bool {
        (0..self.len()).into_par_iter().all(|i| self.neighbours(i).iter().all(|&j| self.contains(j as usize, i)))
    }

    /// Whether `j` is a neighbour of `i`.
    ///
    /// # Panics
    ///
    /// If `i` is not an observation.
    pub fn contains(&self, i: usize, j: usize) -> bool {
        u32::try_from(j).is_ok_and(|j| self.neighbours(i).binary_search(&j).is_ok())
    }

    /// The weight `w_ij` under `transform` (`w_ii` is 1 for [`Transform::BinaryWithSelf`], else 0).
    ///
    /// # Panics
    ///
    /// If `i` is not an observation.
    pub fn weight(&self, i: usize, j: usize, transform: Transform) -> f64 {
        if i == j {
            return if transform == Transform::BinaryWithSelf { 1.0 } else { 0.0 };
        }
        if !self.contains(i, j) {
            return 0.0;
        }
        match transform {
            Transform::Binary | Transform::BinaryWithSelf => 1.0,
            Transform::RowStandardised => 1.0 / self.cardinality(i) as f64,
        }
    }

    /// The row sum `Wᵢ = Σⱼ w_ij` under `transform`.
    ///
    /// # Panics
    ///
    /// If `i` is not an observation.
    pub fn row_sum(&self, i: usize, transform: Transform) -> f64 {
        let k = self.cardinality(i);
        match transform {
            Transform::Binary => k as f64,
            Transform::BinaryWithSelf => (k + 1) as f64,
            Transform::RowStandardised => f64::from(u8::from(k > 0)),
        }
    }

    /// The spatial lag `Σⱼ w_ij · valuesⱼ` of every observation under `transform`. Each row is summed in
    /// neighbour order, so the result does not depend on the number of threads.
    ///
    /// # Panics
    ///
    /// If `values` does not have one value per observation.
    pub fn lag(&self, values: &[f64], transform: Transform) -> Vec<f64> {
        assert_eq!(values.len(), self.len(), "one value per observation");
        (0..self.len())
            .into_par_iter()
            .with_min_len(BLOCK)
            .map(|i| {
                let sum: f64 = self.neighbours(i).iter().map(|&j| values[j as usize]).sum();
                match transform {
                    Transform::Binary => sum,
                    Transform::BinaryWithSelf => sum + values[i],
                    Transform::RowStandardised if self.cardinality(i) > 0 => sum / self.cardinality(i) as f64,
                    Transform::RowStandardised => 0.0,
                }
            })
            .collect()
    }
}

/// Weights over the cells of a grid that lie in a study area: observation k is the k-th cell of the mask in
/// row-major order, and `cells[k]` is its flat grid index. Cells outside the mask are neither observations
/// nor anyone's neighbours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridWeights {
    /// The weights between the cells in the mask.
    pub weights: Weights,
    /// Flat grid index (`row · ncols + col`) of each observation, ascending.
    pub cells: Vec<usize>,
}

impl GridWeights {
    /// Queen contiguity between the cells with `mask[cell] == true` (see [`Weights::queen`]).
    ///
    /// # Errors
    ///
    /// [`WeightsError::MaskLength`] when the mask does not have one entry per cell.
    pub fn queen(grid: &Grid, mask: &[bool]) -> Result<GridWeights, WeightsError> {
        GridWeights::with_offsets(grid, mask, &QUEEN)
    }

    /// Distance-band weights between the cells with `mask[cell] == true` (see
    /// [`Weights::grid_distance_band`]).
    ///
    /// # Errors
    ///
    /// [`WeightsError::MaskLength`], [`WeightsError::BadDistance`], [`WeightsError::TooManyLinks`].
    pub fn distance_band(grid: &Grid, mask: &[bool], band_m: f64) -> Result<GridWeights, WeightsError> {
        GridWeights::with_offsets(grid, mask, &band_offsets(grid, band_m)?)
    }

    /// The values of the observations, taken from one value per grid cell.
    ///
    /// # Panics
    ///
    /// If a cell index is outside `per_cell`.
    pub fn gather<T: Copy>(&self, per_cell: &[T]) -> Vec<T> {
        self.cells.iter().map(|&cell| per_cell[cell]).collect()
    }

    /// One value per grid cell of `grid`: the observation's value in the cells of the mask, `fill` elsewhere
    /// (e.g. `f64::NAN`), ready for [`Grid::rows`].
    ///
    /// # Panics
    ///
    /// If `per_observation` does not have one value per observation or a cell is outside the grid.
    pub fn scatter<T: Copy>(&self, per_observation: &[T], grid: &Grid, fill: T) -> Vec<T> {
        assert_eq!(per_observation.len(), self.cells.len(), "one value per observation");
        let mut out = vec![fill; grid.len()];
        for (&cell, &value) in self.cells.iter().zip(per_observation) {
            out[cell] = value;
        }
        out
    }

    fn with_offsets(grid: &Grid, mask: &[bool], offsets: &[(isize, isize)]) -> Result<GridWeights, WeightsError> {
        if mask.len() != grid.len() {
            return Err(WeightsError::MaskLength { expected: grid.len(), found: mask.len() });
        }
        let cells: Vec<usize> = (0..grid.len()).filter(|&cell| mask[cell]).collect();
        let mut lookup = vec![u32::MAX; grid.len()];
        for (observation, &cell) in cells.iter().enumerate() {
            // A grid has at most MAX_CELLS < u32::MAX cells.
            lookup[cell] = observation as u32;
        }
        let weights = grid_weights(grid, &cells, &lookup, offsets)?;
        Ok(GridWeights { weights, cells })
    }
}

/// Row and column offsets of the queen neighbours, in ascending flat-index order.
const QUEEN: [(isize, isize); 8] = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)];

/// The (row, column) offsets within `band_m` of a cell, in ascending flat-index order.
fn band_offsets(grid: &Grid, band_m: f64) -> Result<Vec<(isize, isize)>, WeightsError> {
    if !(band_m.is_finite() && band_m > 0.0) {
        return Err(WeightsError::BadDistance(band_m));
    }
    // One cell more than the band, for rounding; no offset beyond the grid's own size reaches another cell.
    let reach = ((band_m / grid.cell).floor() + 1.0).min(grid.nrows.max(grid.ncols) as f64) as isize;
    let band2 = band_m * band_m;
    let cell2 = grid.cell * grid.cell;
    let mut offsets = Vec::new();
    for dr in -reach..=reach {
        for dc in -reach..=reach {
            if (dr, dc) != (0, 0) && ((dr * dr + dc * dc) as f64) * cell2 <= band2 {
                offsets.push((dr, dc));
            }
        }
    }
    Ok(offsets)
}

/// Weights between `cells` (flat grid indices, ascending) of `grid`, neighbours found at `offsets`;
/// `lookup[cell]` is the observation index of a cell, `u32::MAX` for a cell that is not an observation.
fn grid_weights(
    grid: &Grid,
    cells: &[usize],
    lookup: &[u32],
    offsets: &[(isize, isize)],
) -> Result<Weights, WeightsError> {
    let (nrows, ncols) = (grid.nrows as isize, grid.ncols as isize);
    build(cells.len(), |observation, row| {
        let (r, c) = grid.row_col(cells[observation]);
        let (r, c) = (r as isize, c as isize);
        for &(dr, dc) in offsets {
            let (r2, c2) = (r + dr, c + dc);
            if (0..nrows).contains(&r2) && (0..ncols).contains(&c2) {
                let neighbour = lookup[(r2 * ncols + c2) as usize];
                if neighbour != u32::MAX {
                    row.push(neighbour);
                }
            }
        }
    })
}

/// Builds weights over n observations from a function that appends the ascending neighbours of one
/// observation to a buffer. Rows are counted, then written, in parallel blocks of [`BLOCK`] observations.
fn build<F>(n: usize, neighbours_of: F) -> Result<Weights, WeightsError>
where
    F: Fn(usize, &mut Vec<u32>) + Sync,
{
    check_observations(n)?;
    let counts: Vec<usize> = (0..n)
        .into_par_iter()
        .with_min_len(BLOCK)
        .map_init(Vec::new, |row, i| {
            row.clear();
            neighbours_of(i, row);
            row.len()
        })
        .collect();
    let mut offsets = Vec::with_capacity(n + 1);
    offsets.push(0usize);
    for &count in &counts {
        let last = *offsets.last().expect("offsets start with 0");
        offsets.push(last + count);
    }
    let links = offsets[n];
    if links > MAX_LINKS {
        return Err(WeightsError::TooManyLinks { links, max: MAX_LINKS });
    }
    let mut neighbours = vec![0u32; links];
    // Split the link array into one slice per block of rows, then fill the blocks in parallel.
    let mut slices = Vec::with_capacity(n.div_ceil(BLOCK));
    let mut rest = neighbours.as_mut_slice();
    for start in (0..n).step_by(BLOCK) {
        let end = (start + BLOCK).min(n);
        let (head, tail) = rest.split_at_mut(offsets[end] - offsets[start]);
        slices.push((start, end, head));
        rest = tail;
    }
    slices.into_par_iter().for_each(|(start, end, slice)| {
        let mut row = Vec::new();
        let mut at = 0;
        for i in start..end {
            row.clear();
            neighbours_of(i, &mut row);
            slice[at..at + row.len()].copy_from_slice(&row);
            at += row.len();
        }
    });
    Ok(Weights { offsets, neighbours })
}

/// Neighbour indices are `u32`, so there may be at most 2³² observations.
fn check_observations(n: usize) -> Result<(), WeightsError> {
    if n as u64 > u64::from(u32::MAX) {
        return Err(WeightsError::TooManyObservations(n));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lists(weights: &Weights) -> Vec<Vec<u32>> {
        (0..weights.len()).map(|i| weights.neighbours(i).to_vec()).collect()
    }

    #[test]
    fn queen_contiguity_on_a_small_grid() {
        // 3 columns × 2 rows: cells 0 1 2 (south row), 3 4 5.
        let grid = Grid::new(0.0, 0.0, 10.0, 3, 2).unwrap();
        let weights = Weights::queen(&grid);
        assert_eq!(
            lists(&weights),
            vec![vec![1, 3, 4], vec![0, 2, 3, 4, 5], vec![1, 4, 5], vec![0, 1, 4], vec![0, 1, 2, 3, 5], vec![1, 2, 4]]
        );
        assert!(weights.is_symmetric());
        assert_eq!((weights.links(), weights.max_cardinality(), weights.islands()), (22, 5, 0));
        // A band of 1.5 cells is queen contiguity, a band of one cell is rook contiguity.
        assert_eq!(Weights::grid_distance_band(&grid, 15.0).unwrap(), weights);
        assert_eq!(lists(&Weights::grid_distance_band(&grid, 10.0).unwrap())[4], vec![1, 3, 5]);
    }

    #[test]
    fn a_mask_keeps_only_the_study_area() {
        let grid = Grid::new(0.0, 0.0, 10.0, 3, 2).unwrap();
        let mask = [true, false, true, true, true, false];
        let masked = GridWeights::queen(&grid, &mask).unwrap();
        assert_eq!(masked.cells, vec![0, 2, 3, 4]);
        // Observations 0..4 are cells 0, 2, 3, 4.
        assert_eq!(lists(&masked.weights), vec![vec![2, 3], vec![3], vec![0, 3], vec![0, 1, 2]]);
        assert_eq!(masked.gather(&[10, 11, 12, 13, 14, 15]), vec![10, 12, 13, 14]);
        assert_eq!(masked.scatter(&[1, 2, 3, 4], &grid, 0), vec![1, 0, 2, 3, 4, 0]);
        assert_eq!(GridWeights::queen(&grid, &[true]).unwrap_err(), WeightsError::MaskLength { expected: 6, found: 1 });
    }

    #[test]
    fn a_distance_band_includes_its_edge() {
        let points = [(0.0, 0.0), (3.0, 4.0), (6.0, 8.0), (100.0, 100.0)];
        let weights = Weights::distance_band(&points, 5.0).unwrap();
        assert_eq!(lists(&weights), vec![vec![1], vec![0, 2], vec![1], vec![]]);
        assert_eq!(weights.islands(), 1);
        assert_eq!(Weights::distance_band(&points, 0.0), Err(WeightsError::BadDistance(0.0)));
        assert_eq!(Weights::distance_band(&[(0.0, f64::NAN)], 1.0), Err(WeightsError::NotFinite(0)));
    }

    #[test]
    fn neighbour_lists_are_checked_and_sorted() {
        let weights = Weights::from_neighbour_lists(&[vec![2, 1], vec![0], vec![0]]).unwrap();
        assert_eq!(lists(&weights), vec![vec![1, 2], vec![0], vec![0]]);
        assert!(weights.contains(0, 2) && !weights.contains(1, 2));
        assert_eq!(weights.weight(0, 2, Transform::RowStandardised), 0.5);
        assert_eq!(weights.weight(0, 0, Transform::BinaryWithSelf), 1.0);
        assert_eq!(weights.lag(&[1.0, 2.0, 4.0], Transform::RowStandardised), vec![3.0, 1.0, 1.0]);
        assert_eq!(weights.lag(&[1.0, 2.0, 4.0], Transform::BinaryWithSelf), vec![7.0, 3.0, 5.0]);
        assert_eq!(
            Weights::from_neighbour_lists(&[vec![1], vec![5]]),
            Err(WeightsError::OutOfRange { observation: 1, neighbour: 5, n: 2 })
        );
        assert_eq!(Weights::from_neighbour_lists(&[vec![0]]), Err(WeightsError::SelfNeighbour(0)));
        assert_eq!(
            Weights::from_neighbour_lists(&[vec![1, 1], vec![]]),
            Err(WeightsError::Duplicate { observation: 0, neighbour: 1 })
        );
    }

    proptest! {
        #[test]
        fn the_bucketed_distance_band_finds_exactly_the_pairs_within_the_band(
            points in prop::collection::vec((-1e3f64..1e3, -1e3f64..1e3), 1..150),
            band in 1.0f64..400.0,
        ) {
            let weights = Weights::distance_band(&points, band).unwrap();
            for (i, &(x, y)) in points.iter().enumerate() {
                let expected: Vec<u32> = (0..points.len())
                    .filter(|&j| j != i && (x - points[j].0).powi(2) + (y - points[j].1).powi(2) <= band * band)
                    .map(|j| j as u32)
                    .collect();
                prop_assert_eq!(weights.neighbours(i), expected.as_slice());
            }
            prop_assert!(weights.is_symmetric());
        }

        #[test]
        fn grid_bands_match_point_bands_on_cell_centres(
            ncols in 1usize..12,
            nrows in 1usize..12,
            band in 6.0f64..43.0,
        ) {
            // A random band is (almost surely) not exactly a distance between centres, where the rounding of
            // the centre coordinates could decide.
            let grid = Grid::new(0.0, 0.0, 10.0, ncols, nrows).unwrap();
            let centres: Vec<(f64, f64)> = (0..grid.len())
                .map(|i| {
                    let (r, c) = grid.row_col(i);
                    grid.centre(r, c)
                })
                .collect();
            let on_grid = Weights::grid_distance_band(&grid, band).unwrap();
            prop_assert_eq!(on_grid, Weights::distance_band(&centres, band).unwrap());
        }
    }
}
