"""Reference values for hotspot-forecast scoring (crates/sakshy-analytics/src/forecast.rs).

Run:   /tmp/ref-venv/bin/python tools/reference/forecast_reference.py
Writes crates/sakshy-analytics/tests/fixtures/forecast_reference.json: a random grid (seeded) with a
study-area fraction per cell (a disc: 1 inside, a sampled fraction on its edge, 0 outside), a risk score with
ties, period-1 and period-2 counts, and for several coverages the hit rate, PAI, PEI and RRI computed here with
numpy, independently of the Rust code.

Rules (the same as forecast.rs, written again in numpy):
- eligible cells: fraction > 0; events in other cells are excluded from N;
- ranking: risk descending, ties by lower flat index (np.lexsort);
- flagged: the fewest top-ranked cells whose fractions reach coverage * A (A = sum of fractions, in cells),
  with a relative slack of 1e-9, at least one cell;
- hit rate n/N, PAI (n/N)/(a/A), PEI n/n* with n* the top-k period-2 counts of eligible cells,
  RRI (n2/n1)/(N2/N1).
"""

import json
import pathlib

import numpy as np

SEED = 20260501
NCOLS, NROWS, CELL = 30, 25, 150.0
COVERAGES = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
OUT = pathlib.Path(__file__).resolve().parents[2] / "crates/sakshy-analytics/tests/fixtures/forecast_reference.json"


def study_fraction(rng):
    # A disc of radius 11 cells centred in the grid, with the edge cells' fraction estimated by sub-sampling.
    cx, cy, r = NCOLS / 2, NROWS / 2, 11.0
    sub = (np.arange(8) + 0.5) / 8
    frac = np.zeros(NROWS * NCOLS)
    for row in range(NROWS):
        for col in range(NCOLS):
            xs, ys = np.meshgrid(col + sub, row + sub)
            frac[row * NCOLS + col] = np.mean((xs - cx) ** 2 + (ys - cy) ** 2 <= r * r)
    return frac


def score(frac, risk, events, period1, coverage):
    eligible = np.flatnonzero(frac > 0)
    order = eligible[np.lexsort((eligible, -risk[eligible]))]
    cum = np.cumsum(frac[order])
    study = frac.sum()
    k = int(np.searchsorted(cum, coverage * study * (1 - 1e-9), side="left")) + 1
    k = min(max(k, 1), len(order))
    flagged = order[:k]
    a = study if k == len(order) else cum[k - 1]
    n, big_n = int(events[flagged].sum()), int(events[eligible].sum())
    n_star = int(np.sort(events[eligible])[::-1][:k].sum())
    n1, big_n1 = int(period1[flagged].sum()), int(period1[eligible].sum())
    hit_rate = n / big_n
    return {
        "coverage": coverage,
        "cells_flagged": k,
        "flagged_area_m2": float(a * CELL * CELL),
        "study_area_m2": float(study * CELL * CELL),
        "hits": n,
        "events": big_n,
        "events_outside": int(events.sum()) - big_n,
        "hit_rate": hit_rate,
        "pai": hit_rate / (a / study),
        "max_hits": n_star,
        "pei": n / n_star,
        "rri": (n / n1) / (big_n / big_n1) if n1 > 0 else None,
        "flagged": [int(i) for i in flagged],
    }


def main():
    rng = np.random.default_rng(SEED)
    frac = study_fraction(rng)
    # Risk rounded to one decimal so that many cells tie; a smooth bump plus noise, like a KDE.
    rows, cols = np.divmod(np.arange(NROWS * NCOLS), NCOLS)
    bump = np.exp(-((cols - 10.0) ** 2 + (rows - 14.0) ** 2) / 30.0) + 0.6 * np.exp(-((cols - 20.0) ** 2 + (rows - 8.0) ** 2) / 15.0)
    risk = np.round(bump + 0.1 * rng.random(NROWS * NCOLS), 1)
    events = rng.poisson(0.5 + 4 * bump).astype(np.int64)
    period1 = rng.poisson(0.5 + 4 * bump).astype(np.int64)
    fixture = {
        "about": "tools/reference/forecast_reference.py (numpy " + np.__version__ + "), seed " + str(SEED),
        "grid": {"x0": 0.0, "y0": 0.0, "cell": CELL, "ncols": NCOLS, "nrows": NROWS},
        "study_fraction": frac.tolist(),
        "risk": risk.tolist(),
        "events": events.tolist(),
        "period1": period1.tolist(),
        "scores": [score(frac, risk, events, period1, c) for c in COVERAGES],
    }
    OUT.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    for s in fixture["scores"]:
        print({k: v for k, v in s.items() if k != "flagged"})


if __name__ == "__main__":
    main()
