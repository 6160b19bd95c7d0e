#!/usr/bin/env python3
"""Reference values for sakshy-analytics' kernel density (crates/sakshy-analytics/src/kde.rs).

Run from the repository root, in a venv with tools/reference/requirements.txt installed:

    /tmp/ref-venv/bin/python tools/reference/kde_reference.py

Writes two fixtures read by crates/sakshy-analytics/tests/it/kde.rs:

- tests/fixtures/kde_gaussian.json: clustered points (seeded), a grid, and Gaussian intensities (events per m²) at
  the cell centres from scikit-learn `KernelDensity(kernel='gaussian', algorithm='kd_tree', rtol=1e-12)`
  (exp(score_samples) times N, or times the total weight with `sample_weight`) and from a direct numpy double
  sum; Scott's bandwidth by numpy; the Gaussian mass inside the grid by scipy's normal CDF.
- tests/fixtures/kde_quartic.json: the same points, the ArcGIS default radius by numpy, and quartic intensities
  3/(πr²)·(1 − d²/r²)² by a direct numpy sum (scikit-learn has no quartic kernel: its 'epanechnikov' is
  (1 − d²/r²), not squared).

Grid convention (src/grid.rs): x0 = floor(xmin/cell)·cell, ncols = floor((xmax − x0)/cell) + 1, likewise for y;
row 0 is the southern row; values are row-major [nrows][ncols] at cell centres.
"""

import json
import math
from pathlib import Path

import numpy as np
import scipy
import sklearn
from scipy.stats import norm
from sklearn.neighbors import KernelDensity

SEED = 20240505
FIXTURES = Path(__file__).resolve().parents[2] / "crates" / "sakshy-analytics" / "tests" / "fixtures"


def clustered_points(rng, n):
    """Three Gaussian clusters and a uniform background over about 2 km × 1.6 km, some outside the grid box."""
    centres = np.array([[600.0, 500.0], [1400.0, 900.0], [900.0, 1300.0]])
    spreads = np.array([80.0, 150.0, 60.0])
    which = rng.choice(4, size=n, p=[0.3, 0.3, 0.2, 0.2])
    pts = rng.uniform([0.0, 0.0], [2000.0, 1600.0], size=(n, 2))
    for c in range(3):
        sel = which == c
        pts[sel] = centres[c] + spreads[c] * rng.standard_normal((sel.sum(), 2))
    return pts


def grid_covering(box, cell):
    xmin, ymin, xmax, ymax = box
    x0 = math.floor(xmin / cell) * cell
    y0 = math.floor(ymin / cell) * cell
    ncols = math.floor((xmax - x0) / cell) + 1
    nrows = math.floor((ymax - y0) / cell) + 1
    return {"x0": x0, "y0": y0, "cell": cell, "ncols": ncols, "nrows": nrows}


def centres(grid):
    """Cell centres in row-major order (row 0 south)."""
    cols = grid["x0"] + (np.arange(grid["ncols"]) + 0.5) * grid["cell"]
    rows = grid["y0"] + (np.arange(grid["nrows"]) + 0.5) * grid["cell"]
    xx, yy = np.meshgrid(cols, rows)  # shape (nrows, ncols)
    return np.column_stack([xx.ravel(), yy.ravel()])


def squared_distances(cells, pts):
    return ((cells[:, None, :] - pts[None, :, :]) ** 2).sum(axis=2)


def gaussian_numpy(cells, pts, h, weights=None):
    w = np.ones(len(pts)) if weights is None else weights
    return (np.exp(-squared_distances(cells, pts) / (2 * h * h)) * w).sum(axis=1) / (2 * math.pi * h * h)


def quartic_numpy(cells, pts, r, weights=None):
    w = np.ones(len(pts)) if weights is None else weights
    t = np.clip(1.0 - squared_distances(cells, pts) / (r * r), 0.0, None)
    return (t * t * w).sum(axis=1) * 3.0 / (math.pi * r * r)


def gaussian_sklearn(cells, pts, h, weights=None):
    kde = KernelDensity(kernel="gaussian", bandwidth=h, algorithm="kd_tree", rtol=1e-12, atol=0.0)
    kde.fit(pts, sample_weight=weights)
    total = len(pts) if weights is None else weights.sum()
    return np.exp(kde.score_samples(cells)) * total


def scott(pts):
    n = len(pts)
    sigma = math.sqrt((pts[:, 0].var(ddof=1) + pts[:, 1].var(ddof=1)) / 2.0)
    return sigma * n ** (-1.0 / 6.0)


def arcgis_radius(pts):
    n = len(pts)
    centre = pts.mean(axis=0)
    d = np.hypot(pts[:, 0] - centre[0], pts[:, 1] - centre[1])
    sd = math.sqrt((d**2).sum() / n)
    return 0.9 * min(sd, math.sqrt(1.0 / math.log(2.0)) * float(np.median(d))) * n ** (-0.2)


def gaussian_mass_inside(pts, grid, h, weights=None):
    w = np.ones(len(pts)) if weights is None else weights
    x1 = grid["x0"] + grid["ncols"] * grid["cell"]
    y1 = grid["y0"] + grid["nrows"] * grid["cell"]
    px = norm.cdf((x1 - pts[:, 0]) / h) - norm.cdf((grid["x0"] - pts[:, 0]) / h)
    py = norm.cdf((y1 - pts[:, 1]) / h) - norm.cdf((grid["y0"] - pts[:, 1]) / h)
    return float((w * px * py).sum())


def main():
    rng = np.random.default_rng(SEED)
    pts = clustered_points(rng, 400)
    weights = rng.integers(1, 5, size=len(pts)).astype(float)
    box = (200.0, 150.0, 1790.0, 1430.0)
    grid = grid_covering(box, 40.0)
    cells = centres(grid)
    versions = {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-learn": sklearn.__version__}
    common = {
        "seed": SEED,
        "versions": versions,
        "box": list(box),
        "grid": grid,
        "points": pts.tolist(),
    }

    h = 120.0
    h_scott = scott(pts)
    gaussian = dict(common)
    gaussian.update(
        {
            "note": "intensity = exp(KernelDensity(kernel='gaussian', bandwidth=h, algorithm='kd_tree', "
            "rtol=1e-12).score_samples(cell centres)) * N (or * sum of weights); row-major, row 0 south",
            "weights": weights.tolist(),
            "fixed": {
                "bandwidth": h,
                "sklearn": gaussian_sklearn(cells, pts, h).tolist(),
                "numpy": gaussian_numpy(cells, pts, h).tolist(),
                "mass_inside": gaussian_mass_inside(pts, grid, h),
            },
            "weighted": {
                "bandwidth": 90.0,
                "sklearn": gaussian_sklearn(cells, pts, 90.0, weights).tolist(),
                "mass_inside": gaussian_mass_inside(pts, grid, 90.0, weights),
            },
            "scott": {
                "bandwidth": h_scott,
                "sklearn": gaussian_sklearn(cells, pts, h_scott).tolist(),
            },
        }
    )

    r_arcgis = arcgis_radius(pts)
    quartic = dict(common)
    quartic.update(
        {
            "note": "intensity = sum of 3/(pi r^2) (1 - d^2/r^2)^2 over points with d < r, numpy; "
            "row-major, row 0 south",
            "fixed": {"bandwidth": 300.0, "numpy": quartic_numpy(cells, pts, 300.0).tolist()},
            "arcgis": {"bandwidth": r_arcgis, "numpy": quartic_numpy(cells, pts, r_arcgis).tolist()},
        }
    )

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, data in [("kde_gaussian.json", gaussian), ("kde_quartic.json", quartic)]:
        path = FIXTURES / name
        path.write_text(json.dumps(data) + "\n")
        print(f"wrote {path} ({path.stat().st_size} bytes)")
    print(f"grid {grid}; scott h = {h_scott:.6f} m; arcgis r = {r_arcgis:.6f} m")


if __name__ == "__main__":
    main()
