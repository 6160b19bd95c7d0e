#!/usr/bin/env python3
"""Knox test / near-repeat table in vectorised numpy: the reference for `sakshy_analytics::knox`.

The same close-pairs algorithm as the Rust code, written independently with numpy/scipy:
  * pairs closer than the outer space edge R*s are found once (scipy cKDTree.query_pairs, then the exact
    distance rule below), each gets its distance row;
  * column totals over all n(n-1)/2 pairs come from the sorted times (np.searchsorted);
  * per permutation: tp = rng.permutation(t); dt = |tp[I] - tp[J]|; one np.bincount of row*(K+1) + column;
    the beyond-space row is column total minus the close rows.
Table layout (as in Rust): rows = same location (distance exactly 0), (0, s), [s, 2s), ..., beyond (>= R*s);
columns = [0, tau), [tau, 2 tau), ..., beyond (>= K*tau). All bands half-open.
NRC-compatible mode (`nrc_compat`): coordinates rounded to float32 and the differences, the distance and the
comparison with the edges done in float32, as Ratcliffe's Near Repeat Calculator does.

Usage (venv with tools/reference/requirements.txt, e.g. /tmp/ref-venv):
  python tools/reference/knox_numpy.py fixture   # writes crates/sakshy-analytics/tests/fixtures/knox_synthetic.json
  python tools/reference/knox_numpy.py golden [DIR]
      # checks the observed tables of ../shared/golden/near-repeat (default) against the NRC's, prints them
As a module: `knox(x, y, t, metric, s, R, tau, K, permutations, seed, nrc_compat)` and `ClosePairs`
(used by bench_knox.py).
"""

import argparse
import csv
import datetime
import json
import os
import sys

import numpy as np
from scipy.spatial import cKDTree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
FIXTURE = os.path.join(ROOT, "crates", "sakshy-analytics", "tests", "fixtures", "knox_synthetic.json")
GOLDEN = os.path.abspath(os.path.join(ROOT, "..", "shared", "golden", "near-repeat"))


def distance_rows(x, y, i, j, metric, space_edges, nrc_compat):
    """Row of each pair (i, j): 0 if the distance is exactly 0, k for band k, len(space_edges) for beyond."""
    dtype = np.float32 if nrc_compat else np.float64
    xs, ys = x.astype(dtype), y.astype(dtype)
    dx = xs[i] - xs[j]
    dy = ys[i] - ys[j]
    if metric == "manhattan":
        d = np.abs(dx) + np.abs(dy)
    else:
        d = np.sqrt(dx * dx + dy * dy)
    edges = np.asarray(space_edges, dtype=dtype)
    # number of edges[1:] <= d, plus one; 0 for d == 0
    rows = np.searchsorted(edges[1:], d, side="right") + 1
    rows[d == 0] = 0
    return rows


def time_columns(dt, time_edges):
    """Column of each time difference: k for [e_k, e_{k+1}), K for >= the outer edge."""
    return np.searchsorted(np.asarray(time_edges, dtype=np.float64)[1:], dt, side="right")


class ClosePairs:
    """Close pairs, their rows, the column totals: everything that does not change under permutation."""

    def __init__(self, x, y, t, metric, s, R, tau, K, nrc_compat):
        self.n = len(x)
        self.R, self.K = R, K
        self.space_edges = [k * float(s) for k in range(R + 1)]
        self.time_edges = [k * float(tau) for k in range(K + 1)]
        outer = self.space_edges[-1]
        max_abs = float(max(np.abs(x).max(), np.abs(y).max()))
        slack = 2.0**-20 if nrc_compat else 2.0**-40
        radius = outer + (outer + 2 * max_abs) * slack
        tree = cKDTree(np.column_stack([x, y]))
        pairs = tree.query_pairs(radius, p=1 if metric == "manhattan" else 2, output_type="ndarray")
        i = pairs[:, 0].astype(np.int32)
        j = pairs[:, 1].astype(np.int32)
        rows = distance_rows(x, y, i, j, metric, self.space_edges, nrc_compat)
        keep = rows <= R
        self.i, self.j = i[keep], j[keep]
        self.rowbase = (rows[keep] * (K + 1)).astype(np.int32)
        self.row_totals = np.bincount(rows[keep], minlength=R + 1).astype(np.int64)
        del pairs, i, j, rows, keep
        # Times: whole days use a lookup table of columns, else searchsorted on the edges.
        t = np.asarray(t, dtype=np.float64)
        whole = bool(np.all(np.floor(t) == t)) and (t.max() - t.min()) < 2**31
        outer_t = self.time_edges[-1]
        if whole and np.ceil(outer_t) <= 1 << 20:
            self.t = (t - t.min()).astype(np.int32)
            span = int(np.ceil(outer_t))  # whole differences d < span are the ones below the outer edge
            self.lut = time_columns(np.arange(span, dtype=np.float64), self.time_edges).astype(np.int32)
            self.span = span
        else:
            self.t = t
            self.lut = None
        # Column totals over all pairs from the sorted times.
        ts = np.sort(t)
        idx = np.arange(self.n)
        below = [0]
        for e in self.time_edges[1:]:
            # pairs (a < b) with ts[b] - ts[a] < e: the first b with ts[b] >= ts[a] + e, approximately; exact
            # comparison of the difference follows
            hi = np.searchsorted(ts, ts + e, side="left")
            # fix rounding: move hi while ts[hi] - ts[a] < e (differences computed as in the pair loop)
            hi = np.maximum(hi, idx + 1)
            while True:
                inside = hi < self.n
                grow = np.zeros(self.n, dtype=bool)
                grow[inside] = ts[hi[inside]] - ts[inside] < e
                if not grow.any():
                    break
                hi[grow] += 1
            while True:
                shrink = (hi > idx + 1) & (ts[np.maximum(hi - 1, 0)] - ts >= e)
                if not shrink.any():
                    break
                hi[shrink] -= 1
            below.append(int((hi - idx - 1).sum()))
        total = self.n * (self.n - 1) // 2
        self.column_totals = np.array(np.diff(below).tolist() + [total - below[-1]], dtype=np.int64)

    def close_table(self, tp):
        """(R+1) x (K+1) counts of the close rows for times tp."""
        dt = np.abs(np.take(tp, self.i) - np.take(tp, self.j))
        cells = (self.R + 1) * (self.K + 1)
        if self.lut is not None:
            # Whole days: only pairs below the outer time edge are binned; the beyond-time column is the row
            # total minus those (the fastest numpy variant tried: ~25 % faster than binning every pair).
            inside = dt < self.span
            counts = np.bincount(self.rowbase[inside] + np.take(self.lut, dt[inside]), minlength=cells)
            counts = counts.reshape(self.R + 1, self.K + 1).astype(np.int64)
            counts[:, self.K] = self.row_totals - counts[:, : self.K].sum(axis=1)
            return counts
        cols = time_columns(dt, self.time_edges)
        return np.bincount(self.rowbase + cols, minlength=cells).reshape(self.R + 1, self.K + 1).astype(np.int64)

    def full_table(self, tp):
        close = self.close_table(tp)
        return np.vstack([close, self.column_totals - close.sum(axis=0)])


def knox(x, y, t, metric, s, R, tau, K, permutations, seed, nrc_compat):
    """Observed table, per-permutation tables' mean/sd/min/max, Knox ratios and p-values (NRC convention)."""
    cp = ClosePairs(np.asarray(x, float), np.asarray(y, float), t, metric, s, R, tau, K, nrc_compat)
    observed = cp.full_table(cp.t)
    rng = np.random.default_rng(seed)
    tables = np.stack([cp.full_table(rng.permutation(cp.t)) for _ in range(permutations)])
    mean = tables.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(mean > 0, observed / np.where(mean > 0, mean, 1), np.nan)
    p = ((tables >= observed).sum(axis=0) + 1) / (permutations + 1)
    return {
        "space_edges": cp.space_edges,
        "time_edges": cp.time_edges,
        "observed": observed.tolist(),
        "expected_mean": mean.tolist(),
        "expected_sd": tables.std(axis=0, ddof=1).tolist(),
        "expected_min": tables.min(axis=0).tolist(),
        "expected_max": tables.max(axis=0).tolist(),
        "knox_ratio": [[None if np.isnan(v) else float(v) for v in row] for row in ratio],
        "p_value": p.tolist(),
        "close_pairs": int(len(cp.i)),
    }


def synthetic_events(seed=20240605):
    """Events that exercise the edges: a 10 m lattice (exact band-edge distances), random points at State Plane
    magnitudes (float32 rounding matters), copies of points (same location) and copies moved by 1-2 cm (same
    location in float32 only), with clustered times.

    Returned as integers, so that JSON carries them exactly: coordinates in nanometres (x = x_nm / 1e9 m) and
    times in hours (days = hours // 24, fractional days = hours / 24)."""
    rng = np.random.default_rng(seed)
    x0, y0 = 350_000 * 10**9, 570_000 * 10**9
    lattice = np.column_stack([10 * rng.integers(0, 100, 500), 10 * rng.integers(0, 100, 500)]) * 10**9
    rand = rng.integers(0, 1000 * 10**9, (600, 2))
    base = np.vstack([lattice, rand])
    dup = base[rng.integers(0, len(base), 150)]
    jitter = base[rng.integers(0, len(base), 150)] + rng.choice([-1, 1], (150, 2)) * rng.integers(10**7, 2 * 10**7, (150, 2))
    xy = np.vstack([base, dup, jitter]) + np.array([x0, y0])
    n = len(xy)
    # times: 0..180 days, 40 % of them within 10 days after another event's day
    days = rng.integers(0, 180, n)
    follow = rng.random(n) < 0.4
    days[follow] = np.clip(days[rng.integers(0, n, follow.sum())] + rng.integers(0, 10, follow.sum()), 0, 180)
    hours = days * 24 + rng.integers(0, 24, n)
    order = rng.permutation(n)
    return xy[order, 0], xy[order, 1], hours[order]


def edge_pairs(x, y, metric, space_edges):
    """Pairs whose float64 distance is exactly a band edge or 0 (where the half-open convention decides)."""
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(space_edges[-1] + 1, output_type="ndarray")
    dx, dy = x[pairs[:, 0]] - x[pairs[:, 1]], y[pairs[:, 0]] - y[pairs[:, 1]]
    d = np.abs(dx) + np.abs(dy) if metric == "manhattan" else np.sqrt(dx * dx + dy * dy)
    return int(np.isin(d, space_edges).sum())


def write_fixture(permutations=999):
    x_nm, y_nm, hours = synthetic_events()
    x, y = x_nm / 1e9, y_nm / 1e9
    days, frac = (hours // 24).astype(float), hours / 24.0
    cases = []
    for metric in ("manhattan", "euclidean"):
        for nrc in (False, True):
            for times, tau, K in (("days", 7.0, 3), ("frac", 0.5, 4)):
                t = days if times == "days" else frac
                seed = len(cases) + 1
                res = knox(x, y, t, metric, 100.0, 3, tau, K, permutations, seed, nrc)
                cases.append(
                    {
                        "metric": metric,
                        "nrc_compat": nrc,
                        "times": times,
                        "space_band_m": 100.0,
                        "space_bands": 3,
                        "time_band_days": tau,
                        "time_bands": K,
                        "permutations": permutations,
                        **{k: res[k] for k in ("space_edges", "time_edges", "observed", "expected_mean", "expected_sd")},
                    }
                )
                print(metric, "nrc" if nrc else "f64", times, "close pairs", res["close_pairs"], "on an edge",
                      edge_pairs(x, y, metric, res["space_edges"]), file=sys.stderr)
    fixture = {
        "about": "Synthetic events and Knox tables from tools/reference/knox_numpy.py (numpy "
        + np.__version__
        + ", scipy cKDTree). expected_mean/sd: numpy permutations (not the Rust streams): compare within "
        "Monte Carlo error. Events: x = x_nm / 1e9 m, y likewise; times 'days' = hours // 24, 'frac' = hours / 24 "
        "(integers, so that JSON carries them exactly). Bands: 100 m x 3; 7 days x 3 (times 'days') or 0.5 days x 4 (times 'frac').",
        "x_nm": x_nm.tolist(),
        "y_nm": y_nm.tolist(),
        "hours": hours.tolist(),
        "cases": cases,
    }
    with open(FIXTURE, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print("wrote", FIXTURE, os.path.getsize(FIXTURE), "bytes", file=sys.stderr)


def read_events(path):
    """x, y, t (ISO date -> day number) from a golden CSV with a header x,y,t."""
    xs, ys, ts = [], [], []
    with open(path) as f:
        for row in csv.DictReader(f):
            xs.append(float(row["x"]))
            ys.append(float(row["y"]))
            ts.append(datetime.date.fromisoformat(row["t"]).toordinal())
    return np.array(xs), np.array(ys), np.array(ts, dtype=float)


GOLDEN_CASES = [
    # file, metric, s, R, tau, K, NRC observed table
    (
        "golden_chicago_burglary_2016_01.csv", "manhattan", 100, 3, 7, 3,
        [[28, 5, 5, 2], [44, 13, 8, 4], [97, 56, 19, 16], [77, 67, 45, 20], [182194, 146149, 95237, 45879]],
    ),
    (
        "golden_chicago_burglary_2016.csv", "euclidean", 100, 3, 2, 2,
        [[202, 51, 1025], [189, 143, 7762], [290, 343, 23366], [456, 526, 41305], [577857, 760260, 67037075]],
    ),
    (
        "golden_chicago_arson.csv", "manhattan", 200, 3, 1, 3,
        [[0, 2, 0, 8], [9, 1, 1, 45], [4, 0, 0, 140], [6, 0, 0, 234], [393, 710, 770, 133658]],
    ),
]


def check_golden(folder):
    ok = True
    for name, metric, s, R, tau, K, nrc in GOLDEN_CASES:
        x, y, t = read_events(os.path.join(folder, name))
        for compat in (True, False):
            cp = ClosePairs(x, y, t, metric, s, R, tau, K, compat)
            table = cp.full_table(cp.t)
            same = table.tolist() == nrc
            ok &= same or not compat
            print(f"{name} {metric} nrc_compat={compat}: {'matches the NRC' if same else 'differs from the NRC'}")
            print("  ", table.tolist())
    print("all NRC-compatible tables match" if ok else "MISMATCH")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fixture")
    g = sub.add_parser("golden")
    g.add_argument("folder", nargs="?", default=GOLDEN)
    args = ap.parse_args()
    if args.cmd == "fixture":
        write_fixture()
    else:
        sys.exit(0 if check_golden(args.folder) else 1)


if __name__ == "__main__":
    main()
