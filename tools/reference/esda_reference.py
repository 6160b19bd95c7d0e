"""Reference values for Gi*, Moran's I, local Moran and FDR, from esda / libpysal (PySAL).

Run from the repository root with the pinned venv (tools/reference/requirements.txt):

    /tmp/ref-venv/bin/python tools/reference/esda_reference.py

It writes, into crates/sakshy-analytics/tests/fixtures/:

- esda_gistar_grid.json      Gi* on a 40 x 30 grid of counts, queen contiguity (libpysal lat2W), the whole grid
                             and a study-area mask (libpysal w_subset);
- esda_gistar_distance.json  Gi* on 400 points with a 450 m distance band (libpysal DistanceBand), and the
                             distance-band neighbours of the centres of a 30 x 20 grid;
- esda_moran_columbus.json   global and local Moran on Columbus CRIME with the queen GAL bundled in libpysal
                             (and global Moran with one polygon made an island);
- esda_moran_grid.json       global and local Moran on a 40 x 30 grid of continuous values, queen;
- fdr_bh.json                Benjamini-Hochberg and Bonferroni adjusted p-values (numpy formulas with
                             statsmodels' multipletests semantics) and scipy's normal tail.

Every input is generated here from a fixed seed and stored in the fixture with the expected outputs, so the
Rust tests need no Python. Each fixture stores the neighbour lists libpysal built, so the tests check the
Rust weights against libpysal's before comparing statistics.

Permutation p-values: esda 2.9.0 folds its pseudo p with the 'directed' rule,
(min(#>=, P - #>=) + 1) / (P + 1); Sakshy's PseudoP::Esda reproduces it. Sakshy's PseudoP::Conservative,
(min(#>=, #<=) + 1) / (P + 1), is computed here from esda's own simulated statistics (keep_simulations).
Both are random: the tests compare them within Monte Carlo error. For Gi* on counts, esda breaks some exact
ties by floating-point noise; see gistar_case for how the fixture recovers the exact ties.
"""

import json
import math
import os
import warnings

import esda
import libpysal
import numpy as np
from libpysal import examples
from scipy import stats

warnings.filterwarnings("ignore")

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "crates", "sakshy-analytics", "tests", "fixtures")
PERMUTATIONS = 999
SEED = 12345


def finite(values):
    values = np.asarray(values, dtype=float)
    assert np.all(np.isfinite(values)), "fixture values must be finite"
    return [float(v) for v in values]


def neighbour_lists(w):
    """0-based neighbour lists in w.id_order."""
    index = {id_: k for k, id_ in enumerate(w.id_order)}
    return [sorted(index[j] for j in w.neighbors[id_]) for id_ in w.id_order]


def write(name, data):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    print(f"wrote {path} ({os.path.getsize(path) // 1024} KB)")


def gistar_case(y, w):
    """esda G_Local(star=True, transform='B') with 999 seeded permutations.

    esda compares its simulated G* = (sum of drawn values + y_i) / sum(y), computed by numba with fastmath,
    with the observed G* computed by numpy; the two roundings differ, so about 4 % of the exact ties between a
    drawn and the observed neighbourhood sum (frequent with counts) fall on a random side. With integer counts
    the sums are exact, so they are recovered here (round(G* . sum(y))) and both pseudo-p rules are recomputed
    from esda's own draws with exact ties: p_sim_esda_exact (esda's 'directed' rule) and p_sim_conservative.
    p_sim_esda is esda's attribute as it is.
    """
    assert np.all(y == np.round(y)), "exact tie recovery needs integer values"
    g = esda.G_Local(
        y, w, transform="B", star=True, permutations=PERMUTATIONS, seed=SEED, keep_simulations=True, n_jobs=1
    )
    total = y.sum()
    drawn = np.rint(g.rGs * total)
    observed = np.rint(g.Gs * total)
    assert np.allclose(drawn, g.rGs * total, rtol=0, atol=1e-6)
    ge = (drawn >= observed[:, None]).sum(axis=1)
    le = (drawn <= observed[:, None]).sum(axis=1)
    esda_exact = (np.minimum(ge, PERMUTATIONS - ge) + 1.0) / (PERMUTATIONS + 1.0)
    conservative = (np.minimum(ge, le) + 1.0) / (PERMUTATIONS + 1.0)
    changed = np.sum(np.abs(esda_exact - g.p_sim) > 1e-9)
    print(f"  G_Local: exact ties change esda's p_sim in {changed} of {len(y)} observations")
    return {
        "z": finite(g.Zs),
        "p_norm": finite(g.p_norm),
        "g": finite(g.Gs),
        "p_sim_esda": finite(g.p_sim),
        "p_sim_esda_exact": finite(esda_exact),
        "p_sim_conservative": finite(conservative),
        "z_sim": finite(g.z_sim),
    }


def counts_on_grid(rng, ncols, nrows, hotspots):
    rows, cols = np.divmod(np.arange(ncols * nrows), ncols)
    intensity = np.full(ncols * nrows, 0.4)
    for r, c, height, spread in hotspots:
        intensity += height * np.exp(-((rows - r) ** 2 + (cols - c) ** 2) / (2 * spread**2))
    return rng.poisson(intensity).astype(float)


def gistar_grid():
    rng = np.random.default_rng(20250105)
    ncols, nrows = 40, 30
    y = counts_on_grid(rng, ncols, nrows, [(8, 10, 6.0, 2.5), (20, 30, 4.0, 3.5)])
    w = libpysal.weights.lat2W(nrows, ncols, rook=False)
    # The study area: an ellipse inside the grid.
    rows, cols = np.divmod(np.arange(ncols * nrows), ncols)
    mask = ((cols - 19.5) / 18.0) ** 2 + ((rows - 14.5) / 13.0) ** 2 <= 1.0
    cells = [int(c) for c in np.flatnonzero(mask)]
    w_masked = libpysal.weights.w_subset(w, cells)
    assert list(w_masked.id_order) == cells
    write(
        "esda_gistar_grid.json",
        {
            "source": "esda 2.9.0 G_Local(y, w, transform='B', star=True, permutations=999, seed=12345); "
            "w = libpysal 4.14.1 lat2W(30, 40, rook=False); masked: w_subset(w, cells in mask)",
            "grid": {"x0": 0.0, "y0": 0.0, "cell": 250.0, "ncols": ncols, "nrows": nrows},
            "values": finite(y),
            "permutations": PERMUTATIONS,
            "seed": SEED,
            "neighbours": neighbour_lists(w),
            "full": gistar_case(y, w),
            "mask": [bool(m) for m in mask],
            "masked_cells": cells,
            "masked_neighbours": neighbour_lists(w_masked),
            "masked": gistar_case(y[mask], w_masked),
        },
    )


def gistar_distance():
    rng = np.random.default_rng(20250106)
    n, band = 400, 450.0
    background = rng.uniform([0, 0], [4000, 3000], size=(300, 2))
    cluster = rng.normal([1200, 2000], 250, size=(100, 2))
    points = np.vstack([background, cluster])
    near_cluster = np.hypot(points[:, 0] - 1200, points[:, 1] - 2000) < 600
    y = rng.poisson(np.where(near_cluster, 5.0, 1.0)).astype(float)
    w = libpysal.weights.DistanceBand(points, threshold=band, binary=True, silence_warnings=True)
    assert not w.islands, "choose a band without islands: esda drops the self-weight of islands"
    # The distance-band neighbours of grid-cell centres, for Weights::grid_distance_band.
    gcols, grows, cell, gband = 30, 20, 100.0, 250.0
    rows, cols = np.divmod(np.arange(gcols * grows), gcols)
    centres = np.column_stack([(cols + 0.5) * cell, (rows + 0.5) * cell])
    wg = libpysal.weights.DistanceBand(centres, threshold=gband, binary=True, silence_warnings=True)
    write(
        "esda_gistar_distance.json",
        {
            "source": "esda 2.9.0 G_Local(y, w, transform='B', star=True, permutations=999, seed=12345); "
            "w = libpysal 4.14.1 DistanceBand(points, threshold=450, binary=True)",
            "points": [[float(x), float(y_)] for x, y_ in points],
            "band": band,
            "values": finite(y),
            "permutations": PERMUTATIONS,
            "seed": SEED,
            "neighbours": neighbour_lists(w),
            "result": gistar_case(y, w),
            "grid_band": {
                "grid": {"x0": 0.0, "y0": 0.0, "cell": cell, "ncols": gcols, "nrows": grows},
                "band": gband,
                "neighbours": neighbour_lists(wg),
            },
        },
    )


def global_moran(y, w, permutations):
    np.random.seed(SEED)  # esda's Moran has no seed argument; it uses the global numpy generator.
    m = esda.Moran(y, w, permutations=permutations)
    return {
        "i": float(m.I),
        "expected": float(m.EI),
        "variance_norm": float(m.VI_norm),
        "variance_rand": float(m.VI_rand),
        "z_norm": float(m.z_norm),
        "z_rand": float(m.z_rand),
        "p_norm": float(m.p_norm),
        "p_rand": float(m.p_rand),
        "p_sim": float(m.p_sim),
        "z_sim": float(m.z_sim),
        "permutations": permutations,
    }


def local_moran(y, w):
    lm = esda.Moran_Local(y, w, permutations=PERMUTATIONS, seed=SEED, keep_simulations=True, n_jobs=1)
    sims = lm.rlisas  # (n, permutations)
    ge = (sims >= lm.Is[:, None]).sum(axis=1)
    le = (sims <= lm.Is[:, None]).sum(axis=1)
    return {
        "i": finite(lm.Is),
        "quadrant": [int(q) for q in lm.q],
        "p_sim_esda": finite(lm.p_sim),
        "p_sim_conservative": finite((np.minimum(ge, le) + 1.0) / (PERMUTATIONS + 1.0)),
        "z_sim": finite(lm.z_sim),
    }


def moran_columbus():
    def gal():
        return libpysal.io.open(examples.get_path("columbus.gal")).read()

    y = np.array(libpysal.io.open(examples.get_path("columbus.dbf")).by_col("CRIME"), dtype=float)
    w = gal()
    # The GAL ids are "1".."49" in the order of the dbf rows.
    assert list(w.id_order) == [str(k) for k in range(1, 50)]
    neighbours = neighbour_lists(w)
    # The same with polygon 0 cut off from everyone: an island, to check S0, S1, S2 with a zero row.
    island = {id_: [j for j in w.neighbors[id_] if j != "1" and id_ != "1"] for id_ in w.id_order}
    w_island = libpysal.weights.W(island, id_order=list(w.id_order), silence_warnings=True)
    write(
        "esda_moran_columbus.json",
        {
            "source": "libpysal 4.14.1 examples columbus.gal (queen) and columbus.dbf CRIME; esda 2.9.0 "
            "Moran(y, w) (transformation 'r', np.random.seed(12345), 9999 permutations), "
            "Moran_Local(y, w, permutations=999, seed=12345)",
            "values": finite(y),
            "neighbours": neighbours,
            "global": global_moran(y, gal(), 9999),
            "local": local_moran(y, gal()),
            "local_permutations": PERMUTATIONS,
            "seed": SEED,
            "island_neighbours": neighbour_lists(w_island),
            "island_global": global_moran(y, w_island, PERMUTATIONS),
        },
    )


def moran_grid():
    rng = np.random.default_rng(20250107)
    ncols, nrows = 40, 30
    # A smooth random field (moving average of noise) plus noise: positive autocorrelation, no ties.
    noise = rng.normal(size=(nrows + 4, ncols + 4))
    kernel = np.ones((5, 5)) / 25.0
    smooth = np.array(
        [[(noise[r : r + 5, c : c + 5] * kernel).sum() for c in range(ncols)] for r in range(nrows)]
    )
    y = np.exp(smooth.ravel() + 0.3 * rng.normal(size=ncols * nrows))

    def queen():
        return libpysal.weights.lat2W(nrows, ncols, rook=False)

    write(
        "esda_moran_grid.json",
        {
            "source": "esda 2.9.0 Moran(y, w) (np.random.seed(12345), 999 permutations) and "
            "Moran_Local(y, w, permutations=999, seed=12345); w = libpysal lat2W(30, 40, rook=False)",
            "grid": {"x0": 0.0, "y0": 0.0, "cell": 100.0, "ncols": ncols, "nrows": nrows},
            "values": finite(y),
            "permutations": PERMUTATIONS,
            "seed": SEED,
            "global": global_moran(y, queen(), PERMUTATIONS),
            "local": local_moran(y, queen()),
        },
    )


def fdr():
    rng = np.random.default_rng(20250108)
    # Mostly null p-values, some signals, exact ties, zeros and ones.
    p = np.concatenate(
        [rng.uniform(size=150), rng.beta(0.2, 8.0, size=40), [0.0, 1.0, 1.0, 0.05, 0.05, 0.001, 0.001, 0.2]]
    )
    rng.shuffle(p)
    m = len(p)
    # statsmodels multipletests(method='fdr_bh'): sort, p * m / rank, running minimum from the top, cap at 1.
    order = np.argsort(p, kind="stable")
    raw = p[order] * m / np.arange(1, m + 1)
    q_sorted = np.minimum(1.0, np.minimum.accumulate(raw[::-1])[::-1])
    q = np.empty(m)
    q[order] = q_sorted
    # The step-up rejection set at alpha = 0.05, computed directly from the definition.
    alpha = 0.05
    below = np.flatnonzero(p[order] <= alpha * np.arange(1, m + 1) / m)
    reject = np.zeros(m, dtype=bool)
    if below.size:
        reject[order[: below.max() + 1]] = True
    z = np.array([-40.0, -8.5, -3.0, -1.0, -1e-3, 0.0, 1e-8, 0.3, 0.4687, 0.7, 1.0, 1.96, 2.5, 3.7, 4.0, 5.65, 6.2,
                  8.0, 12.0, 20.0, 37.5])
    write(
        "fdr_bh.json",
        {
            "source": "numpy 2.4.6 (statsmodels multipletests semantics), scipy 1.17.1 stats.norm.sf",
            "p": finite(p),
            "bh": finite(q),
            "bonferroni": finite(np.minimum(1.0, p * m)),
            "alpha": alpha,
            "bh_reject": [bool(r) for r in reject],
            "normal_z": finite(z),
            "normal_sf": [float(v) for v in stats.norm.sf(z)],
        },
    )


if __name__ == "__main__":
    assert esda.__version__ == "2.9.0" and libpysal.__version__ == "4.14.1", (esda.__version__, libpysal.__version__)
    os.makedirs(OUT, exist_ok=True)
    gistar_grid()
    gistar_distance()
    moran_columbus()
    moran_grid()
    fdr()
    assert math.isclose(esda.Moran(
        np.array(libpysal.io.open(examples.get_path("columbus.dbf")).by_col("CRIME")),
        libpysal.io.open(examples.get_path("columbus.gal")).read(), permutations=0).I, 0.500189, abs_tol=5e-7)
