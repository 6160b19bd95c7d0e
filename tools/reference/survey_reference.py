#!/usr/bin/env python3
"""Reference values for sakshy-analytics' survey statistics (crates/sakshy-analytics/src/survey/).

Run from the repository root, in a venv with tools/reference/requirements.txt installed:

    /tmp/ref-venv/bin/python tools/reference/survey_reference.py

Writes fixtures read by crates/sakshy-analytics/tests/it/survey.rs (all data synthetic, generated here with a
fixed seed):

- tests/fixtures/survey_distribution.json: Student t and normal quantiles from scipy.stats.
- tests/fixtures/survey_raking.json: design weights and three two-way margins (district × sex,
  district × age, age × sex) for one synthetic wave, and the raked weights from samplics
  `SampleWeight().rake` (cross-checked here against ipfn's numpy IPF on the district × age × sex table), plus
  weights trimmed at k × mean and raked again (the cap-and-rake loop below, raking by samplics: samplics'
  own `trim` is not implemented).
- tests/fixtures/survey_estimates.json: two synthetic waves (weights = raked weights, strata = quadrants,
  Likert and yes/no items with missing answers), index definitions and the index of every respondent
  (numpy), linearised estimates per quadrant, district and city for a mean (trust index) and a proportion
  (knows the inspector): point and standard error from samplics `TaylorEstimator` (stratum = quadrant, no
  PSU, domain = group with a value), cross-checked against a direct numpy implementation of the formula;
  the interval from scipy's t quantile with the df rule of src/survey/estimate.rs; bootstrap standard errors
  and percentile intervals from a numpy Rao–Wu rescaled bootstrap (m_h = n_h − 1, 4000 replicates; compare
  loosely: Monte Carlo error); and changes between the waves (independent samples, Welch–Satterthwaite df).

Lonely strata (one respondent) are pooled into one pseudo-stratum before samplics sees them, the rule of
src/survey/table.rs, reimplemented here.
"""

import importlib.metadata
import json
import warnings
from pathlib import Path

import ipfn
import numpy as np
import scipy
from scipy import stats

warnings.filterwarnings("ignore", category=FutureWarning)  # samplics announces it is archived
from samplics import PopParam, SampleWeight, TaylorEstimator  # noqa: E402

SEED = 20260606
FIXTURES = Path(__file__).resolve().parents[2] / "crates" / "sakshy-analytics" / "tests" / "fixtures"

DISTRICTS = ["Abay", "Al-Farabi", "Enbekshi"]
AGES = ["18-29", "30-44", "45-59", "60+"]
SEXES = ["f", "m"]
# Quadrant → district. Q05 is small (suppressed at n < 30); Q11 and Q12 get one respondent each (lonely strata).
QUADRANTS = {
    "Q01": "Abay", "Q02": "Abay", "Q03": "Abay", "Q04": "Abay",
    "Q05": "Al-Farabi", "Q06": "Al-Farabi", "Q07": "Al-Farabi", "Q08": "Al-Farabi",
    "Q09": "Enbekshi", "Q10": "Enbekshi", "Q11": "Enbekshi", "Q12": "Enbekshi",
}
SAMPLE_SIZES = {"Q01": 70, "Q02": 65, "Q03": 55, "Q04": 60, "Q05": 20, "Q06": 75, "Q07": 50, "Q08": 45,
                "Q09": 80, "Q10": 66, "Q11": 1, "Q12": 1}
PILOT = "Q02"
TRUST_ITEMS = [("trust_police", 1, 5, False), ("trust_akimat", 1, 5, False), ("police_unfair", 1, 5, True)]
AWARENESS_ITEMS = [("knows_inspector", 0, 1, False), ("knows_point", 0, 1, False)]
CONFIDENCE = 0.95
MIN_N = 30
BOOT_REPLICATES = 4000


def versions():
    names = ["numpy", "scipy", "samplics", "ipfn"]
    return {n: importlib.metadata.version(n) for n in names}


def population():
    """Adults per district × age × sex (synthetic, integers)."""
    totals = {"Abay": 180_000, "Al-Farabi": 150_000, "Enbekshi": 210_000}
    age_shares = {"Abay": [0.30, 0.32, 0.24, 0.14], "Al-Farabi": [0.34, 0.30, 0.22, 0.14],
                  "Enbekshi": [0.28, 0.31, 0.25, 0.16]}
    female = {"18-29": 0.49, "30-44": 0.50, "45-59": 0.53, "60+": 0.58}
    pop = np.zeros((len(DISTRICTS), len(AGES), len(SEXES)))
    for d, district in enumerate(DISTRICTS):
        for a, age in enumerate(AGES):
            cell = totals[district] * age_shares[district][a]
            pop[d, a, 0] = round(cell * female[age])
            pop[d, a, 1] = round(cell * (1 - female[age]))
    return pop


def simulate_wave(rng, wave):
    """One wave of respondents: quadrant, district, age, sex, design weight and item answers (NaN = missing)."""
    rows = []
    # Quadrant effects are the same in both waves; only the pilot quadrant improves (by 0.8 latent sd).
    effects = np.random.default_rng(SEED - 1).normal(0, 0.35, len(QUADRANTS))
    quadrant_effect = dict(zip(QUADRANTS, effects))
    for q, n in SAMPLE_SIZES.items():
        for _ in range(n):
            # Over-represent women and older people, as street and web surveys tend to.
            age = rng.choice(4, p=[0.20, 0.28, 0.29, 0.23])
            sex = rng.choice(2, p=[0.6, 0.4])
            rows.append({"quadrant": q, "district": QUADRANTS[q], "age": AGES[age], "sex": SEXES[sex],
                         "weight": float(np.round(rng.uniform(0.5, 2.0), 3)), "age_i": age, "sex_i": sex})
    n = len(rows)
    latent = np.array([quadrant_effect[r["quadrant"]] + 0.25 * (r["age_i"] - 1.5) for r in rows])
    if wave == 2:
        latent += np.array([0.8 if r["quadrant"] == PILOT else 0.05 for r in rows])
    latent += rng.normal(0, 1, n)

    def likert(shift, sign):
        return np.clip(np.round(3 + sign * latent + shift + rng.normal(0, 0.7, n)), 1, 5)

    items = {
        "trust_police": likert(0.0, 1),
        "trust_akimat": likert(-0.3, 1),
        "police_unfair": likert(0.2, -1),
        "knows_inspector": (rng.random(n) < 0.25 + 0.1 * (latent > 0)).astype(float),
        "knows_point": (rng.random(n) < 0.05 + 0.05 * (latent > 0.5)).astype(float),
    }
    lonely = np.array([r["quadrant"] in ("Q11", "Q12") for r in rows])
    for name, values in items.items():
        missing = (rng.random(n) < 0.08) & ~lonely  # the lonely respondents answer everything
        values[missing] = np.nan
    return rows, items


def margins_of(rows):
    """Per-unit cell labels of the three two-way margins."""
    return {
        "district × sex": np.array([f"{r['district']}|{r['sex']}" for r in rows]),
        "district × age": np.array([f"{r['district']}|{r['age']}" for r in rows]),
        "age × sex": np.array([f"{r['age']}|{r['sex']}" for r in rows]),
    }


def controls_of(pop):
    c = {"district × sex": {}, "district × age": {}, "age × sex": {}}
    for d, district in enumerate(DISTRICTS):
        for s, sex in enumerate(SEXES):
            c["district × sex"][f"{district}|{sex}"] = float(pop[d, :, s].sum())
        for a, age in enumerate(AGES):
            c["district × age"][f"{district}|{age}"] = float(pop[d, a, :].sum())
    for a, age in enumerate(AGES):
        for s, sex in enumerate(SEXES):
            c["age × sex"][f"{age}|{sex}"] = float(pop[:, a, s].sum())
    return c


def rake_samplics(weights, margins, controls):
    return SampleWeight().rake(samp_weight=np.asarray(weights, float), margins=margins, control=controls,
                               tol=1e-14, ctrl_tol=1e-14, max_iter=5000)


def rake_ipfn(rows, weights, pop):
    """ipfn on the district × age × sex table seeded with the weighted counts; unit weight = w · fitted/seed."""
    idx = [(DISTRICTS.index(r["district"]), r["age_i"], r["sex_i"]) for r in rows]
    seed = np.zeros(pop.shape)
    for (d, a, s), w in zip(idx, weights):
        seed[d, a, s] += w
    aggregates = [pop.sum(axis=1), pop.sum(axis=2), pop.sum(axis=0)]
    dimensions = [[0, 2], [0, 1], [1, 2]]
    fitted = ipfn.ipfn.ipfn(seed.copy(), aggregates, dimensions, convergence_rate=1e-15, max_iteration=5000,
                       rate_tolerance=0.0).iteration()
    return np.array([w * fitted[c] / seed[c] for c, w in zip(idx, weights)])


def trim_and_rake(weights, margins, controls, k, max_rounds):
    """The cap-and-rake loop of src/survey/raking.rs: rake; while max w > k·mean w·(1 + 1e-3), cap and rake."""
    w = rake_samplics(weights, margins, controls)
    rounds = 0
    while True:
        cap = k * w.mean()
        satisfied = w.max() <= cap * (1 + 1e-3)
        if satisfied or rounds == max_rounds:
            return w, rounds, bool(satisfied)
        w = rake_samplics(np.minimum(w, cap), margins, controls)
        rounds += 1


def design_strata(quadrants):
    """Lonely strata pooled into one pseudo-stratum (or a single lonely unit joined to the smallest stratum)."""
    codes, counts = np.unique(quadrants, return_counts=True)
    lonely = set(codes[counts == 1])
    out = np.array(["__pooled__" if q in lonely else q for q in quadrants], dtype=object)
    if len(lonely) == 1:
        others = [(c, q) for q, c in zip(codes, counts) if q not in lonely]
        smallest = min(others)[1]
        out[out == "__pooled__"] = smallest
    return out.astype(str), sorted(lonely)


def index_values(items, definition):
    name, scales, min_answered = definition
    cols = []
    for item, lo, hi, reverse in scales:
        v = items[item]
        r = (hi - v) / (hi - lo) if reverse else (v - lo) / (hi - lo)
        cols.append(100.0 * r)
    m = np.column_stack(cols)
    answered = (~np.isnan(m)).sum(axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # rows with no answer: mean of an empty slice
        mean = np.nanmean(m, axis=1)
    return np.where(answered >= min_answered, mean, np.nan)


def numpy_linearised(y, w, strata, in_domain):
    """The formula of src/survey/estimate.rs, written out: z_i = 1_D w_i (y_i − ȳ) / Σ_D w."""
    d = in_domain & ~np.isnan(y)
    yy = np.where(d, y, 0.0)
    wd = np.where(d, w, 0.0)
    mean = (wd * yy).sum() / wd.sum()
    z = wd * (yy - mean) / wd.sum()
    var, df = 0.0, 0
    for h in np.unique(strata):
        zh = z[strata == h]
        if not d[strata == h].any():
            continue
        nh = zh.size
        var += nh / (nh - 1) * ((zh - zh.mean()) ** 2).sum()
        df += nh - 1
    return mean, np.sqrt(var), df


def samplics_domain(param, y, w, strata, labels):
    """samplics TaylorEstimator per domain label (units without a value are put in no domain)."""
    have = ~np.isnan(y)
    domain = np.where(have, labels, "__none__")
    est = TaylorEstimator(param)
    # The fill value only reaches the "__none__" domain; 1 keeps samplics from dividing by a zero mean there.
    est.estimate(y=np.where(have, y, 1.0), samp_weight=w, stratum=strata, domain=domain)
    return est


def estimates_for(rows, w, strata, y, grouping, target):
    labels = np.array([r[grouping] if grouping != "city" else "city" for r in rows])
    param = PopParam.mean if target == "mean" else PopParam.prop
    # Suppressed groups stay out of samplics' domains (a one-respondent domain can have mean 0, which samplics
    # divides by for its coefficient of variation).
    shown = np.array([((labels == g) & ~np.isnan(y)).sum() >= max(MIN_N, 2) for g in labels])
    est = samplics_domain(param, y, w, strata, np.where(shown, labels, "__none__"))
    out = []
    alpha = 1 - CONFIDENCE
    for g in sorted(set(labels)):
        in_g = labels == g
        n = int((in_g & ~np.isnan(y)).sum())
        if n < max(MIN_N, 2):
            out.append({"group": str(g), "n": n, "suppressed": True})
            continue
        mean_np, se_np, df = numpy_linearised(y, w, strata, in_g)
        if target == "mean":
            mean, se = float(est.point_est[g]), float(est.stderror[g])
        else:
            mean, se = float(est.point_est[g][1.0]), float(est.stderror[g][1.0])
        assert abs(mean - mean_np) < 1e-12 * max(1, abs(mean)), (g, mean, mean_np)
        assert abs(se - se_np) < 1e-12 * max(1e-3, se), (g, se, se_np)
        t = stats.t.ppf(1 - alpha / 2, df)
        wd = w[in_g & ~np.isnan(y)]
        n_eff = wd.sum() ** 2 / (wd ** 2).sum()
        if target == "mean":
            lo, hi = mean - t * se, mean + t * se
        elif 0 < mean < 1:
            c, s = np.log(mean / (1 - mean)), se / (mean * (1 - mean))
            lo, hi = 1 / (1 + np.exp(-(c - t * s))), 1 / (1 + np.exp(-(c + t * s)))
        elif mean == 0:
            lo, hi = 0.0, 1 - (alpha / 2) ** (1 / n_eff)
        else:
            lo, hi = (alpha / 2) ** (1 / n_eff), 1.0
        entry = {"group": str(g), "n": n, "suppressed": False, "mean": mean, "se": se, "ci_low": float(lo),
                 "ci_high": float(hi), "n_eff": float(n_eff), "df": float(df)}
        if df == est.degree_of_freedom:
            # The group touches every stratum: samplics' own interval uses the same df.
            if target == "mean":
                entry["samplics_ci"] = [float(est.lower_ci[g]), float(est.upper_ci[g])]
            else:
                entry["samplics_ci"] = [float(est.lower_ci[g][1.0]), float(est.upper_ci[g][1.0])]
        out.append(entry)
    return out


def rao_wu_replicates(rng, w, strata, replicates):
    """Replicate weights: per stratum draw n_h − 1 with replacement; w* = w · count · n_h/(n_h − 1)."""
    out = np.zeros((replicates, w.size))
    groups = [np.flatnonzero(strata == h) for h in np.unique(strata)]
    for r in range(replicates):
        for members in groups:
            nh = members.size
            draws = rng.integers(0, nh, nh - 1)
            counts = np.bincount(draws, minlength=nh)
            out[r, members] = w[members] * counts * nh / (nh - 1)
    return out


def bootstrap_for(rep_weights, y, in_g):
    d = in_g & ~np.isnan(y)
    yy = np.where(d, y, 0.0)
    sw = rep_weights[:, d].sum(axis=1)
    means = (rep_weights * np.where(d, yy, 0.0)).sum(axis=1) / sw
    return means[np.isfinite(means)]


def change_entry(before, after):
    if before["suppressed"] or after["suppressed"]:
        return {"group": before["group"], "n_before": before["n"], "n_after": after["n"], "suppressed": True}
    vb, va = before["se"] ** 2, after["se"] ** 2
    df = (vb + va) ** 2 / (vb ** 2 / before["df"] + va ** 2 / after["df"])
    se = np.sqrt(vb + va)
    t = stats.t.ppf(0.5 + 0.5 * CONFIDENCE, df)
    diff = after["mean"] - before["mean"]
    lo, hi = diff - t * se, diff + t * se
    return {"group": before["group"], "n_before": before["n"], "n_after": after["n"], "suppressed": False,
            "difference": diff, "se": float(se), "ci_low": float(lo), "ci_high": float(hi), "df": float(df),
            "excludes_zero": bool(lo > 0 or hi < 0)}


def nan_to_none(values):
    return [None if np.isnan(v) else float(v) for v in values]


def distribution_fixture():
    ps = [1e-6, 0.001, 0.025, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 0.95, 0.975, 0.999]
    dfs = [0.5, 1.0, 1.5, 2.0, 3.0, 4.7, 7.0, 12.0, 29.0, 57.3, 120.0, 400.0, 999.0, 1000.0, 2500.0, 1e4, 1e5, 1e7]
    return {
        "versions": versions(),
        "student_t": [{"p": p, "df": df, "t": float(stats.t.ppf(p, df)), "sf_at_t": float(stats.t.sf(stats.t.ppf(p, df), df))}
                      for df in dfs for p in ps],
        "normal": [{"p": p, "z": float(stats.norm.ppf(p))} for p in ps + [1e-12, 0.2, 0.8]],
    }


def main():
    rng = np.random.default_rng(SEED)
    pop = population()
    controls = controls_of(pop)
    waves = {}
    for wave in (1, 2):
        rows, items = simulate_wave(rng, wave)
        design_w = np.array([r["weight"] for r in rows])
        margins = margins_of(rows)
        raked = rake_samplics(design_w, margins, controls)
        via_ipfn = rake_ipfn(rows, design_w, pop)
        assert np.max(np.abs(raked / via_ipfn - 1)) < 1e-10, np.max(np.abs(raked / via_ipfn - 1))
        for name, cells in margins.items():
            for cell, total in controls[name].items():
                assert abs(raked[cells == cell].sum() / total - 1) < 1e-12
        waves[wave] = (rows, items, design_w, margins, raked)

    # --- raking fixture (wave 1) ---
    rows, items, design_w, margins, raked = waves[1]
    k, max_rounds = 3.0, 50
    trimmed, rounds, satisfied = trim_and_rake(design_w, margins, controls, k, max_rounds)
    assert rounds > 0 and satisfied, "the cap must bind in the fixture, and be met"
    # A cap too tight to meet in 5 rounds: the margins hold, the cap does not.
    tight, tight_rounds, tight_satisfied = trim_and_rake(design_w, margins, controls, 2.5, 5)
    assert tight_rounds == 5 and not tight_satisfied
    raking = {
        "versions": versions(),
        "weights": design_w.tolist(),
        "margins": [{"name": name, "cells": cells.tolist(), "population": controls[name]}
                    for name, cells in margins.items()],
        "raked": raked.tolist(),
        "raked_max_relative_difference_samplics_vs_ipfn": float(np.max(np.abs(raked / rake_ipfn(rows, design_w, pop) - 1))),
        "trim": [{"max_ratio": k, "max_rounds": max_rounds, "weights": trimmed.tolist(), "rounds": rounds,
                  "satisfied": satisfied},
                 {"max_ratio": 2.5, "max_rounds": 5, "weights": tight.tolist(), "rounds": tight_rounds,
                  "satisfied": tight_satisfied}],
    }

    # --- estimates fixture (both waves) ---
    definitions = [("trust", TRUST_ITEMS, 2), ("awareness", AWARENESS_ITEMS, 1)]
    estimates = {"versions": versions(), "confidence": CONFIDENCE, "min_n": MIN_N,
                 "indices": [{"name": n, "items": [{"item": i, "min": lo, "max": hi, "reverse": rev}
                                                   for i, lo, hi, rev in scales], "min_answered": m}
                             for n, scales, m in definitions],
                 "waves": []}
    per_wave = {}
    for wave in (1, 2):
        rows, items, design_w, margins, raked = waves[wave]
        quadrants = np.array([r["quadrant"] for r in rows])
        strata, lonely = design_strata(quadrants)
        trust = index_values(items, definitions[0])
        awareness = index_values(items, definitions[1])
        knows = items["knows_inspector"]
        result = {"wave": wave, "collapsed_strata": lonely,
                  "respondents": {"weight": raked.tolist(), "quadrant": quadrants.tolist(),
                                  "district": [r["district"] for r in rows]},
                  "items": {name: nan_to_none(v) for name, v in items.items()},
                  "index_values": {"trust": nan_to_none(trust), "awareness": nan_to_none(awareness)},
                  "estimates": {}}
        for grouping in ("quadrant", "district", "city"):
            result["estimates"][grouping] = {
                "trust": estimates_for(rows, raked, strata, trust, grouping, "mean"),
                "knows_inspector": estimates_for(rows, raked, strata, knows, grouping, "proportion"),
            }
        per_wave[wave] = (rows, raked, strata, trust, result)
        estimates["waves"].append(result)

    # Changes in trust, wave 1 → 2, per group.
    estimates["changes"] = {}
    for grouping in ("quadrant", "district", "city"):
        b = per_wave[1][4]["estimates"][grouping]["trust"]
        a = {e["group"]: e for e in per_wave[2][4]["estimates"][grouping]["trust"]}
        estimates["changes"][grouping] = [change_entry(e, a[e["group"]]) for e in b]

    # Bootstrap (numpy Rao–Wu) for trust, wave 1 and 2, a few groups, and the change.
    boot_rng = np.random.default_rng(SEED + 1)
    boot = {"replicates": BOOT_REPLICATES, "groups": []}
    reps = {}
    for wave in (1, 2):
        rows, raked, strata, trust, _ = per_wave[wave]
        rw = rao_wu_replicates(boot_rng, raked, strata, BOOT_REPLICATES)
        for grouping, g in (("city", "city"), ("district", "Abay"), ("quadrant", "Q01"), ("quadrant", PILOT)):
            labels = np.array([r[grouping] if grouping != "city" else "city" for r in rows])
            means = bootstrap_for(rw, trust, labels == g)
            reps[(wave, g)] = means
            lo, hi = np.percentile(means, [2.5, 97.5])
            boot["groups"].append({"wave": wave, "grouping": grouping, "group": g, "se": float(means.std(ddof=1)),
                                   "ci_low": float(lo), "ci_high": float(hi)})
    diffs = reps[(2, PILOT)] - reps[(1, PILOT)]
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    boot["pilot_change"] = {"group": PILOT, "se": float(diffs.std(ddof=1)), "ci_low": float(lo), "ci_high": float(hi)}
    estimates["bootstrap"] = boot

    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, data in (("survey_distribution.json", distribution_fixture()), ("survey_raking.json", raking),
                       ("survey_estimates.json", estimates)):
        path = FIXTURES / name
        path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
