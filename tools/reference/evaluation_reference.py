"""Reference values for the pilot evaluation (crates/sakshy-analytics/src/evaluation/).

Run:   /tmp/ref-venv/bin/python tools/reference/evaluation_reference.py
Needs: statsmodels, pandas, wildboottest (pinned in tools/reference/requirements.txt).
Writes crates/sakshy-analytics/tests/fixtures/evaluation_did.json and evaluation_event_study.json: synthetic
panels (seeded here) with unit and period effects, AR(1) noise within unit and a known effect, and

* two-way fixed-effects DiD from statsmodels: OLS of y ~ C(unit) + C(period) + D, fit with
  cov_type='cluster' (groups = unit) and use_t=True: the coefficient, its CR1 standard error, t, p and the
  95 % interval on G - 1 degrees of freedom, and the number of parameters K;
* the wild cluster restricted bootstrap ("11", Rademacher) from wildboottest's WildboottestCL with every sign
  vector enumerated (2^G <= B), for the null beta = beta0 at several beta0 (by testing beta = 0 on
  y - beta0 * D); the p-value is recomputed from its t_stat and t_boot as the share of |t*| >= |t| (1 - 1e-10),
  the same tie rule as the Rust code (wildboottest itself counts strictly greater);
* randomisation inference by brute force: every choice of the treated units, each estimated by least squares
  with all the dummies (numpy), on y - beta0 * D_obs; p(beta0) = share with |b_d| >= |b_obs - beta0| (1 - 1e-10);
* event studies (treated x relative-period dummies, ends binned, -1 the reference) from statsmodels with the
  same covariance, and the Wald F test of the leads (wald_test(R, use_f=True)).
Missing cells are null in the JSON outcome arrays (unit-major).
"""

import importlib.metadata
import itertools
import json
import pathlib

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from wildboottest.wildboottest import WildboottestCL

SEED = 20260601
TIE = 1e-10
FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "crates/sakshy-analytics/tests/fixtures"


def make_panel(rng, n_units, n_periods, treated, start, beta, missing_share=0.0, late_unit=None):
    unit_effect = rng.normal(0.0, 2.0, n_units)
    period_effect = rng.normal(0.0, 1.0, n_periods) + 0.1 * np.arange(n_periods)
    y = np.empty((n_units, n_periods))
    for u in range(n_units):
        noise = 0.0
        for t in range(n_periods):
            noise = 0.5 * noise + rng.normal()
            d = 1.0 if (u in treated and t >= start) else 0.0
            y[u, t] = 10.0 + unit_effect[u] + period_effect[t] + beta * d + noise
    observed = np.ones((n_units, n_periods), dtype=bool)
    if missing_share > 0:
        observed &= rng.random((n_units, n_periods)) >= missing_share
    if late_unit is not None:
        observed[late_unit, :4] = False
    # Keep every treated unit observed just before and at the start so that the effects are identified.
    for u in treated:
        observed[u, start - 1] = True
        observed[u, start] = True
    return y, observed


def long_frame(y, observed, treated, start):
    rows = []
    n_units, n_periods = y.shape
    for u in range(n_units):
        for t in range(n_periods):
            if observed[u, t]:
                rows.append(dict(unit=u, period=t, y=y[u, t], D=float(u in treated and t >= start)))
    return pd.DataFrame(rows)


def dummy_matrix(frame):
    units = sorted(frame.unit.unique())
    periods = sorted(frame.period.unique())
    columns = [np.ones(len(frame))]
    columns += [(frame.unit.values == u).astype(float) for u in units[1:]]
    columns += [(frame.period.values == t).astype(float) for t in periods[1:]]
    return np.column_stack(columns)


def cluster_fit(frame, formula):
    return smf.ols(formula, frame).fit(cov_type="cluster", cov_kwds={"groups": frame.unit}, use_t=True)


def wild_p_value(frame, beta0):
    shifted = frame.assign(y=frame.y - beta0 * frame.D)
    model = smf.ols("y ~ C(unit) + C(period) + D", shifted).fit().model
    names = model.data.xnames
    restriction = np.zeros(len(names))
    restriction[names.index("D")] = 1.0
    boot = WildboottestCL(X=model.exog, Y=model.endog, cluster=shifted.unit.values, R=restriction, B=99999, seed=1)
    boot.get_scores(bootstrap_type="11", impose_null=True, adj=True, cluster_adj=True)
    _, n_boot, _ = boot.get_weights(weights_type="rademacher")
    assert boot.full_enumeration, "the fixture needs 2^G <= B"
    boot.get_numer()
    boot.get_denom()
    boot.get_tboot()
    boot.get_vcov()
    boot.get_tstat()
    t = abs(float(np.ravel(boot.t_stat)[0]))
    t_boot = np.abs(np.ravel(boot.t_boot))
    return float(np.mean(t_boot >= t * (1.0 - TIE))), int(n_boot)


def randomization_p_values(frame, treated, start, n_units, beta0s):
    dummies = dummy_matrix(frame)
    d_obs = frame.D.values
    post = (frame.period.values >= start).astype(float)
    estimates = []
    observed_index = None
    for index, assignment in enumerate(itertools.combinations(range(n_units), len(treated))):
        d = post * np.isin(frame.unit.values, assignment)
        x = np.column_stack([dummies, d])
        coefficients, *_ = np.linalg.lstsq(x, np.column_stack([frame.y.values, d_obs]), rcond=None)
        estimates.append((coefficients[-1, 0], coefficients[-1, 1]))
        if set(assignment) == set(treated):
            observed_index = index
    estimates = np.array(estimates)
    a_obs, b_obs = estimates[observed_index]
    out = []
    for beta0 in beta0s:
        stat = np.abs(estimates[:, 0] - beta0 * estimates[:, 1])
        reference = abs(a_obs - beta0 * b_obs)
        extreme = stat >= reference * (1.0 - TIE)
        extreme[observed_index] = True
        out.append(dict(beta0=beta0, p_value=float(np.mean(extreme))))
    return len(estimates), out


def did_case(name, rng, n_units, n_periods, treated, start, beta, **kwargs):
    y, observed = make_panel(rng, n_units, n_periods, treated, start, beta, **kwargs)
    frame = long_frame(y, observed, treated, start)
    fit = cluster_fit(frame, "y ~ C(unit) + C(period) + D")
    lower, upper = fit.conf_int(alpha=0.05).loc["D"].values
    estimate, se = float(fit.params["D"]), float(fit.bse["D"])
    beta0s = [0.0, estimate - 2.5 * se, estimate + 1.0 * se, estimate + 3.0 * se]
    wild = []
    for beta0 in beta0s:
        p, n_boot = wild_p_value(frame, beta0)
        wild.append(dict(beta0=beta0, p_value=p, replicates=n_boot))
    n_assignments, randomization = randomization_p_values(frame, treated, start, n_units, beta0s)
    outcome = [[float(y[u, t]) if observed[u, t] else None for t in range(n_periods)] for u in range(n_units)]
    return dict(
        name=name,
        n_units=n_units,
        n_periods=n_periods,
        treated=[u in treated for u in range(n_units)],
        start_period=start,
        true_effect=beta,
        outcome=[v for row in outcome for v in row],
        expected=dict(
            estimate=estimate,
            std_error=se,
            t_statistic=float(fit.tvalues["D"]),
            p_value=float(fit.pvalues["D"]),
            lower=float(lower),
            upper=float(upper),
            degrees_of_freedom=int(fit.df_resid_inference),
            n_obs=int(fit.nobs),
            n_params=int(fit.model.exog.shape[1]),
            wild_bootstrap=wild,
            randomization_assignments=n_assignments,
            randomization=randomization,
        ),
    )


def event_case(name, did, first, last):
    n_units, n_periods, start = did["n_units"], did["n_periods"], did["start_period"]
    treated = [u for u in range(n_units) if did["treated"][u]]
    outcome = np.array([np.nan if v is None else v for v in did["outcome"]]).reshape(n_units, n_periods)
    observed = ~np.isnan(outcome)
    frame = long_frame(np.nan_to_num(outcome), observed, treated, start)
    relative = np.where(np.isin(frame.unit.values, treated), frame.period.values - start, -10**6)
    is_treated = relative > -10**6
    data_min, data_max = relative[is_treated].min(), relative[is_treated].max()
    first_used, last_used = max(first, data_min), min(last, data_max)
    binned = np.clip(relative, first_used, last_used)
    names = []
    for r in range(first_used, last_used + 1):
        if r == -1:
            continue
        column = f"ev_{'m' if r < 0 else 'p'}{abs(r)}"
        frame[column] = (is_treated & (binned == r)).astype(float)
        names.append((r, column))
    fit = cluster_fit(frame, "y ~ C(unit) + C(period) + " + " + ".join(c for _, c in names))
    intervals = fit.conf_int(alpha=0.05)
    coefficients = [
        dict(
            relative=int(r),
            estimate=float(fit.params[c]),
            std_error=float(fit.bse[c]),
            p_value=float(fit.pvalues[c]),
            lower=float(intervals.loc[c, 0]),
            upper=float(intervals.loc[c, 1]),
        )
        for r, c in names
    ]
    leads = [c for r, c in names if r <= -2]
    restriction = np.zeros((len(leads), len(fit.params)))
    for row, c in enumerate(leads):
        restriction[row, list(fit.params.index).index(c)] = 1.0
    wald = fit.wald_test(restriction, use_f=True, scalar=True)
    return dict(
        name=name,
        did_case=did["name"],
        first_relative=first,
        last_relative=last,
        expected=dict(
            first_relative=int(first_used),
            last_relative=int(last_used),
            coefficients=coefficients,
            wald_statistic=float(wald.statistic),
            wald_df_num=int(wald.df_num),
            wald_df_denom=int(wald.df_denom),
            wald_p_value=float(wald.pvalue),
            n_params=int(fit.model.exog.shape[1]),
        ),
    )


def main():
    rng = np.random.default_rng(SEED)
    cases = [
        did_case("balanced", rng, 12, 10, [1, 4, 7], 6, 1.5),
        did_case("unbalanced", rng, 13, 12, [0, 3, 8, 11], 7, -2.0, missing_share=0.15, late_unit=12),
        did_case("single_treated", rng, 12, 10, [5], 6, 3.0),
    ]
    versions = {name: importlib.metadata.version(name) for name in ["numpy", "pandas", "statsmodels", "wildboottest"]}
    did_fixture = dict(generator="tools/reference/evaluation_reference.py", seed=SEED, versions=versions, cases=cases)
    (FIXTURES / "evaluation_did.json").write_text(json.dumps(did_fixture, indent=1) + "\n")
    by_name = {c["name"]: c for c in cases}
    events = [
        event_case("balanced_binned", by_name["balanced"], -4, 2),
        event_case("balanced_window_wider_than_data", by_name["balanced"], -12, 10),
        event_case("unbalanced_binned", by_name["unbalanced"], -3, 3),
    ]
    event_fixture = dict(generator="tools/reference/evaluation_reference.py", seed=SEED, versions=versions, cases=events)
    (FIXTURES / "evaluation_event_study.json").write_text(json.dumps(event_fixture, indent=1) + "\n")
    for case in cases:
        e = case["expected"]
        print(case["name"], e["estimate"], e["std_error"], e["n_params"], [w["p_value"] for w in e["wild_bootstrap"]],
              [r["p_value"] for r in e["randomization"]])
    for case in events:
        e = case["expected"]
        print(case["name"], e["first_relative"], e["last_relative"], e["wald_statistic"], e["wald_p_value"])


if __name__ == "__main__":
    main()
