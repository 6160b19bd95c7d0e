//! The one grid every gridded analysis uses: square cells in local metres, row 0 the southern row.
//!
//! # Convention
//!
//! For points with bounds `xmin..=xmax`, `ymin..=ymax` and a cell side `cell` (metres):
//!
//! - `x0 = floor(xmin / cell) · cell`, `y0 = floor(ymin / cell) · cell` — the south-west corner, on a multiple
//!   of the cell size so that grids of the same cell size over different data line up;
//! - `ncols = floor((xmax − x0) / cell) + 1`, `nrows = floor((ymax − y0) / cell) + 1`;
//! - cell `(row, col)` covers `[x0 + col·cell, x0 + (col+1)·cell) × [y0 + row·cell, y0 + (row+1)·cell)`;
//!   row 0 is the southern row, column 0 the western column;
//! - per-cell values are stored row-major in one flat slice, index `row · ncols + col`, and written out as
//!   `[nrows][ncols]` arrays ([`Grid::rows`]);
//! - surfaces (kernel density) are evaluated at cell centres ([`Grid::centre`]).

use serde::Serialize;

/// A rectangular grid of square cells in local metres. See the [module docs](self) for the convention.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grid {
    /// West edge of column 0, metres.
    pub x0: f64,
    /// South edge of row 0, metres.
    pub y0: f64,
    /// Side of a cell, metres.
    pub cell: f64,
    /// Number of columns (west to east).
    pub ncols: usize,
    /// Number of rows (south to north).
    pub nrows: usize,
}

/// Why a grid cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GridError {
    /// The cell size is not a positive finite number of metres.
    #[error("the cell size must be a positive number of metres, not {0}")]
    BadCell(f64),
    /// There are no points to cover.
    #[error("there are no points to put on a grid")]
    NoPoints,
    /// A coordinate is NaN or infinite.
    #[error("point {index} has a coordinate that is not a finite number")]
    NotFinite {
        /// Zero-based position of the point in the input.
        index: usize,
    },
    /// The grid would have more cells than can be handled.
    #[error("a grid of {ncols} × {nrows} cells is too large (at most {max} cells); choose a larger cell")]
    TooLarge {
        /// Columns the grid would need.
        ncols: usize,
        /// Rows the grid would need.
        nrows: usize,
        /// The most cells allowed.
        max: usize,
    },
}

/// The most cells a grid may have: 25 million (a 5,000 × 5,000 grid, 200 MB of `f64`).
pub const MAX_CELLS: usize = 25_000_000;

impl Grid {
    /// A grid with the given corner, cell size and shape.
    ///
    /// # Errors
    ///
    /// [`GridError::BadCell`] for a non-positive cell, [`GridError::TooLarge`] beyond [`MAX_CELLS`].
    pub fn new(x0: f64, y0: f64, cell: f64, ncols: usize, nrows: usize) -> Result<Grid, GridError> {
        if !(cell.is_finite() && cell > 0.0) {
            return Err(GridError::BadCell(cell));
        }
        if ncols.checked_mul(nrows).is_none_or(|n| n > MAX_CELLS) {
            return Err(GridError::TooLarge { ncols, nrows, max: MAX_CELLS });
        }
        Ok(Grid { x0, y0, cell, ncols, nrows })
    }

    /// The grid of cell size `cell` that covers `points` ((x, y) metres) by the convention above.
    ///
    /// # Errors
    ///
    /// [`GridError::NoPoints`], [`GridError::NotFinite`], [`GridError::BadCell`], [`GridError::TooLarge`].
    pub fn covering(points: &[(f64, f64)], cell: f64) -> Result<Grid, GridError> {
        if !(cell.is_finite() && cell > 0.0) {
            return Err(GridError::BadCell(cell));
        }
        let Some(bounds) = bounds(points)? else {
            return Err(GridError::NoPoints);
        };
        Grid::covering_bounds(bounds, cell)
    }

    /// The grid of cell size `cell` that covers the box `(xmin, ymin, xmax, ymax)`.
    ///
    /// # Errors
    ///
    /// [`GridError::BadCell`], [`GridError::TooLarge`].
    pub fn covering_bounds((xmin, ymin, xmax, ymax): (f64, f64, f64, f64), cell: f64) -> Result<Grid, GridError> {
        if !(cell.is_finite() && cell > 0.0) {
            return Err(GridError::BadCell(cell));
        }
        let x0 = (xmin / cell).floor() * cell;
        let y0 = (ymin / cell).floor() * cell;
        let span = |hi: f64, lo: f64| ((hi - lo) / cell).floor();
        let (cols, rows) = (span(xmax, x0) + 1.0, span(ymax, y0) + 1.0);
        if !(cols.is_finite() && rows.is_finite()) || cols * rows > MAX_CELLS as f64 {
            return Err(GridError::TooLarge { ncols: cols as usize, nrows: rows as usize, max: MAX_CELLS });
        }
        Grid::new(x0, y0, cell, cols as usize, rows as usize)
    }

    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ncols * self.nrows
    }

    /// Whether the grid has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Area of one cell, m².
    pub fn cell_area(&self) -> f64 {
        self.cell * self.cell
    }

    /// `(row, col)` of the cell holding `(x, y)`, or `None` outside the grid.
    pub fn cell_of(&self, x: f64, y: f64) -> Option<(usize, usize)> {
        Some((axis(y - self.y0, self.cell, self.nrows)?, axis(x - self.x0, self.cell, self.ncols)?))
    }

    /// Flat index (`row · ncols + col`) of the cell holding `(x, y)`, or `None` outside the grid.
    pub fn index_of(&self, x: f64, y: f64) -> Option<usize> {
        self.cell_of(x, y).map(|(row, col)| row * self.ncols + col)
    }

    /// `(row, col)` of a flat index.
    pub fn row_col(&self, index: usize) -> (usize, usize) {
        (index / self.ncols, index % self.ncols)
    }

    /// Centre of cell `(row, col)`, metres.
    pub fn centre(&self, row: usize, col: usize) -> (f64, f64) {
        (self.x0 + (col as f64 + 0.5) * self.cell, self.y0 + (row as f64 + 0.5) * self.cell)
    }

    /// Number of points in each cell, row-major; points outside the grid are not counted.
    pub fn counts(&self, points: &[(f64, f64)]) -> Vec<u32> {
        let mut counts = vec![0u32; self.len()];
        for &(x, y) in points {
            if let Some(i) = self.index_of(x, y) {
                counts[i] += 1;
            }
        }
        counts
    }

    /// The share of each cell (flat, row-major) inside `polygons`, in `[0, 1]`, computed exactly: each ring is
    /// clipped to every row and then every cell it crosses (Sutherland–Hodgman) and the pieces' areas summed,
    /// holes subtracted. A polygon is its rings in metres, the exterior first, then its holes; polygons must not
    /// overlap one another (pass a union). Shares within 10⁻⁹ of 0 or 1 are snapped to them, so that cells wholly
    /// inside or outside compare exactly.
    pub fn area_shares(&self, polygons: &[Vec<Vec<(f64, f64)>>]) -> Vec<f64> {
        const SNAP: f64 = 1e-9;
        let mut covered = vec![0.0; self.len()];
        for polygon in polygons {
            for (k, ring) in polygon.iter().enumerate() {
                add_ring(ring, if k == 0 { 1.0 } else { -1.0 }, self, &mut covered);
            }
        }
        let cell_area = self.cell_area();
        covered
            .into_iter()
            .map(|a| {
                let share = a / cell_area;
                if share >= 1.0 - SNAP {
                    1.0
                } else if share <= SNAP {
                    0.0
                } else {
                    share
                }
            })
            .collect()
    }

    /// A flat row-major slice as `[nrows][ncols]` rows, for output.
    ///
    /// # Panics
    ///
    /// If `values` does not have one value per cell.
    pub fn rows<T: Clone>(&self, values: &[T]) -> Vec<Vec<T>> {
        assert_eq!(values.len(), self.len(), "one value per cell");
        if self.ncols == 0 {
            return vec![Vec::new(); self.nrows];
        }
        values.chunks(self.ncols).map(<[T]>::to_vec).collect()
    }
}

/// Adds `sign` × the area of `ring` inside each cell of `grid` to `covered` (m²).
fn add_ring(ring: &[(f64, f64)], sign: f64, grid: &Grid, covered: &mut [f64]) {
    let mut points: Vec<(f64, f64)> = ring.to_vec();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    if points.len() < 3 {
        return;
    }
    let (ymin, ymax) = points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let Some((row0, row1)) = span(ymin, ymax, grid.y0, grid.cell, grid.nrows) else {
        return;
    };
    for row in row0..=row1 {
        let (ya, yb) = (grid.y0 + row as f64 * grid.cell, grid.y0 + (row + 1) as f64 * grid.cell);
        let strip = clip(&clip(&points, Axis::Y, ya, true), Axis::Y, yb, false);
        if strip.len() < 3 {
            continue;
        }
        let (xmin, xmax) =
            strip.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
        let Some((col0, col1)) = span(xmin, xmax, grid.x0, grid.cell, grid.ncols) else {
            continue;
        };
        for col in col0..=col1 {
            let (xa, xb) = (grid.x0 + col as f64 * grid.cell, grid.x0 + (col + 1) as f64 * grid.cell);
            let piece = clip(&clip(&strip, Axis::X, xa, true), Axis::X, xb, false);
            if piece.len() >= 3 {
                covered[row * grid.ncols + col] += sign * shoelace(&piece).abs();
            }
        }
    }
}

/// The cells `lo..=hi` along an axis that `[min, max]` overlaps, or `None` when it misses the grid.
fn span(min: f64, max: f64, origin: f64, cell: f64, cells: usize) -> Option<(usize, usize)> {
    let first = ((min - origin) / cell).floor();
    let last = ((max - origin) / cell).floor();
    if last < 0.0 || first >= cells as f64 || cells == 0 {
        return None;
    }
    Some((first.max(0.0) as usize, (last.min(cells as f64 - 1.0)) as usize))
}

#[derive(Clone, Copy)]
enum Axis {
    X,
    Y,
}

/// Sutherland–Hodgman: the part of the ring on one side of the line `axis = value` (`keep_above`: the side
/// with larger values), boundary included.
fn clip(points: &[(f64, f64)], axis: Axis, value: f64, keep_above: bool) -> Vec<(f64, f64)> {
    let along = |p: (f64, f64)| match axis {
        Axis::X => p.0,
        Axis::Y => p.1,
    };
    let inside = |p: (f64, f64)| if keep_above { along(p) >= value } else { along(p) <= value };
    let crossing = |a: (f64, f64), b: (f64, f64)| {
        let t = (value - along(a)) / (along(b) - along(a));
        match axis {
            Axis::X => (value, a.1 + t * (b.1 - a.1)),
            Axis::Y => (a.0 + t * (b.0 - a.0), value),
        }
    };
    let mut out = Vec::with_capacity(points.len() + 4);
    for (k, &current) in points.iter().enumerate() {
        let previous = points[(k + points.len() - 1) % points.len()];
        match (inside(previous), inside(current)) {
            (true, true) => out.push(current),
            (true, false) => out.push(crossing(previous, current)),
            (false, true) => {
                out.push(crossing(previous, current));
                out.push(current);
            }
            (false, false) => {}
        }
    }
    out
}

/// Signed area of a ring (positive counter-clockwise).
fn shoelace(points: &[(f64, f64)]) -> f64 {
    let n = points.len();
    // Relative to the first point, to keep large coordinates from cancelling.
    let (ox, oy) = points[0];
    (0..n)
        .map(|k| {
            let (a, b) = (points[k], points[(k + 1) % n]);
            (a.0 - ox) * (b.1 - oy) - (b.0 - ox) * (a.1 - oy)
        })
        .sum::<f64>()
        / 2.0
}

/// The cell along one axis of an offset from the grid's edge. A point that rounding puts a hair outside the
/// first or last cell (the corner is `floor(min / cell) · cell`, which can round above `min`) belongs to it.
fn axis(offset: f64, cell: f64, cells: usize) -> Option<usize> {
    let slack = 1e-9 * cell;
    let k = (offset / cell).floor();
    if k >= 0.0 && (k as usize) < cells {
        Some(k as usize)
    } else if k < 0.0 && offset >= -slack && cells > 0 {
        Some(0)
    } else if k >= 0.0 && offset <= cells as f64 * cell + slack && cells > 0 {
        Some(cells - 1)
    } else {
        None
    }
}

/// `(xmin, ymin, xmax, ymax)` of `points`, `None` when there are none.
///
/// # Errors
///
/// [`GridError::NotFinite`] naming the first point with a NaN or infinite coordinate.
pub fn bounds(points: &[(f64, f64)]) -> Result<Option<(f64, f64, f64, f64)>, GridError> {
    let mut b: Option<(f64, f64, f64, f64)> = None;
    for (index, &(x, y)) in points.iter().enumerate() {
        if !(x.is_finite() && y.is_finite()) {
            return Err(GridError::NotFinite { index });
        }
        b = Some(match b {
            None => (x, y, x, y),
            Some((x0, y0, x1, y1)) => (x0.min(x), y0.min(y), x1.max(x), y1.max(y)),
        });
    }
    Ok(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_grid_follows_the_documented_convention() {
        let points = [(120.0, 260.0), (740.0, 260.0), (120.0, 999.0)];
        let grid = Grid::covering(&points, 250.0).unwrap();
        assert_eq!((grid.x0, grid.y0, grid.ncols, grid.nrows), (0.0, 250.0, 3, 3));
        // Row 0 is the south: the point at y = 260 is in row 0, the one at y = 999 in row 2.
        assert_eq!(grid.cell_of(120.0, 260.0), Some((0, 0)));
        assert_eq!(grid.cell_of(740.0, 260.0), Some((0, 2)));
        assert_eq!(grid.cell_of(120.0, 999.0), Some((2, 0)));
        assert_eq!(grid.centre(0, 0), (125.0, 375.0));
        assert_eq!(grid.counts(&points), vec![1, 0, 1, 0, 0, 0, 1, 0, 0]);
        assert_eq!(grid.rows(&grid.counts(&points))[0], vec![1, 0, 1]);
    }

    #[test]
    fn negative_coordinates_floor_towards_the_south_west() {
        let grid = Grid::covering(&[(-1.0, -251.0), (10.0, 10.0)], 250.0).unwrap();
        assert_eq!((grid.x0, grid.y0, grid.ncols, grid.nrows), (-250.0, -500.0, 2, 3));
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(Grid::covering(&[], 100.0), Err(GridError::NoPoints));
        assert_eq!(Grid::covering(&[(0.0, 0.0)], 0.0), Err(GridError::BadCell(0.0)));
        assert_eq!(Grid::covering(&[(0.0, 0.0), (f64::NAN, 1.0)], 10.0), Err(GridError::NotFinite { index: 1 }));
        assert!(matches!(Grid::covering(&[(0.0, 0.0), (1e9, 1e9)], 1.0), Err(GridError::TooLarge { .. })));
    }

    #[test]
    fn area_shares_are_exact_for_a_square_with_a_hole() {
        // A 300 m square from (50, 50), a 100 m hole filling cell (1, 1), on 100 m cells.
        let grid = Grid::new(0.0, 0.0, 100.0, 4, 4).unwrap();
        let square = vec![(50.0, 50.0), (350.0, 50.0), (350.0, 350.0), (50.0, 350.0)];
        let hole = vec![(100.0, 100.0), (200.0, 100.0), (200.0, 200.0), (100.0, 200.0)];
        let shares = grid.area_shares(&[vec![square, hole]]);
        assert_eq!(shares[0], 0.25, "a corner cell is a quarter inside");
        assert_eq!(shares[1], 0.5, "an edge cell is half inside");
        assert_eq!(shares[2 * grid.ncols + 2], 1.0, "an inner cell is wholly inside");
        assert_eq!(shares[grid.ncols + 1], 0.0, "the hole's cell is outside");
        let total: f64 = shares.iter().sum::<f64>() * grid.cell_area();
        assert!((total - (300.0 * 300.0 - 100.0 * 100.0)).abs() < 1e-6, "{total}");
    }

    proptest! {
        #[test]
        fn every_point_lands_in_the_grid_that_covers_it(
            points in prop::collection::vec((-5e4f64..5e4, -5e4f64..5e4), 1..200),
            cell in 50.0f64..2_000.0,
        ) {
            let grid = Grid::covering(&points, cell).unwrap();
            let counts = grid.counts(&points);
            prop_assert_eq!(counts.iter().map(|&c| c as usize).sum::<usize>(), points.len());
            for &(x, y) in &points {
                let (row, col) = grid.cell_of(x, y).unwrap();
                let (cx, cy) = grid.centre(row, col);
                prop_assert!((cx - x).abs() <= cell / 2.0 + 1e-6 && (cy - y).abs() <= cell / 2.0 + 1e-6);
            }
        }
    }
}
