#!/usr/bin/env python3
"""Kernel density benchmark: Sakshy (Rust, release) against scikit-learn KernelDensity on the same points.

Run from the repository root, in a venv with tools/reference/requirements.txt installed:

    /tmp/ref-venv/bin/python tools/reference/bench_kde.py [--large 1000000] [--small 100000] [--skip-sklearn]

It generates clustered points (seeded) over a 30 km × 30 km city, writes them as CSV into --workdir, builds and runs
`cargo run --release -p sakshy-analytics --example bench_kde` on them (1,000,000 points: the issue's "≤ 2 s on 2
cores"; 100,000 points: the comparison), runs scikit-learn on the 100,000-point file in a child process, and prints
times, the ratio, the agreement between both surfaces and the peak memory (max RSS) of each side.

Grid: x0 = y0 = 0, 100 m cells, 300 × 300; Gaussian kernel, bandwidth 400 m; truncation error ≤ 1e-6 of the maximum.
scikit-learn runs `KernelDensity(kernel='gaussian', bandwidth=400, algorithm='kd_tree')` twice: with
rtol=1e-6 (each cell within 1e-6 of its own value: stricter than ours) and with atol = 1e-6 · max density
(the same guarantee as ours: every cell within 1e-6 of the maximum). Set CARGO_TARGET_DIR as you like.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
SEED = 5
EXTENT = 30_000.0
GRID = {"x0": 0.0, "y0": 0.0, "cell": 100.0, "ncols": 300, "nrows": 300}


def clustered(n, seed=SEED):
    """40 hotspots (Gaussian, σ 80–600 m, Zipf-like sizes) and a 25 % uniform background, inside the grid."""
    rng = np.random.default_rng(seed)
    k = 40
    centres = rng.uniform(2_000.0, EXTENT - 2_000.0, size=(k, 2))
    sigma = rng.uniform(80.0, 600.0, size=k)
    share = 1.0 / np.arange(1, k + 1)
    share = 0.75 * share / share.sum()
    which = rng.choice(k + 1, size=n, p=np.append(share, 0.25))
    pts = rng.uniform(0.0, EXTENT, size=(n, 2))
    hot = which < k
    pts[hot] = centres[which[hot]] + sigma[which[hot], None] * rng.standard_normal((hot.sum(), 2))
    return np.clip(pts, 0.0, EXTENT - 1e-6)


def write_csv(path, pts):
    np.savetxt(path, pts, delimiter=",", header="x,y", comments="", fmt="%.6f")


def cells():
    g = GRID
    xs = g["x0"] + (np.arange(g["ncols"]) + 0.5) * g["cell"]
    ys = g["y0"] + (np.arange(g["nrows"]) + 0.5) * g["cell"]
    xx, yy = np.meshgrid(xs, ys)
    return np.column_stack([xx.ravel(), yy.ravel()])


def peak_rss_kib():
    """This process's peak resident set size (VmHWM, Linux). Unlike getrusage's ru_maxrss of a child, it is
    not inherited across fork + exec, so each side reports only its own memory."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return None


def run_child(cmd):
    """Runs cmd in the repository, returns the JSON object on the last line of its output."""
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, cwd=REPO, check=True)
    return json.loads(proc.stdout.decode().strip().splitlines()[-1])


def rust(csv, bandwidth, tolerance, threads=None, repeat=3, output=None):
    cmd = [str(EXAMPLE), "--input", str(csv), "--bandwidth", str(bandwidth), "--tolerance", str(tolerance)]
    cmd += ["--repeat", str(repeat)]
    for key in ("x0", "y0", "cell", "ncols", "nrows"):
        cmd += [f"--{key}", str(GRID[key])]
    if threads:
        cmd += ["--threads", str(threads)]
    if output:
        cmd += ["--output", str(output)]
    return run_child(cmd)


def sklearn_worker(args):
    """Child process: times fit + score_samples, saves λ = exp(score)·N, prints JSON."""
    from sklearn.neighbors import KernelDensity

    pts = np.loadtxt(args.input, delimiter=",", skiprows=1)
    query = cells()
    start = time.perf_counter()
    kde = KernelDensity(
        kernel="gaussian", bandwidth=args.bandwidth, algorithm="kd_tree", rtol=args.rtol, atol=args.atol
    )
    kde.fit(pts)
    density = np.exp(kde.score_samples(query)) * len(pts)
    seconds = time.perf_counter() - start
    np.save(args.output, density)
    print(json.dumps({"seconds": seconds, "rtol": args.rtol, "atol": args.atol, "peak_rss_kib": peak_rss_kib()}))


def sklearn(csv, bandwidth, rtol, atol, output):
    cmd = [sys.executable, __file__, "--sklearn-worker", "--input", str(csv), "--bandwidth", str(bandwidth)]
    cmd += ["--rtol", repr(rtol), "--atol", repr(atol), "--output", str(output)]
    return run_child(cmd)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", type=int, default=1_000_000)
    parser.add_argument("--small", type=int, default=100_000)
    parser.add_argument("--bandwidth", type=float, default=400.0)
    parser.add_argument("--tolerance", type=float, default=1e-6)
    parser.add_argument("--workdir", default="/tmp/sakshy-bench-kde")
    parser.add_argument("--skip-sklearn", action="store_true")
    parser.add_argument("--sklearn-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--input", help=argparse.SUPPRESS)
    parser.add_argument("--rtol", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--atol", type=float, default=0.0, help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sklearn_worker:
        return sklearn_worker(args)

    work = Path(args.workdir)
    work.mkdir(parents=True, exist_ok=True)
    print(f"building the release example (CARGO_TARGET_DIR={TARGET})", file=sys.stderr)
    subprocess.run(
        ["cargo", "build", "--release", "-p", "sakshy-analytics", "--example", "bench_kde"],
        cwd=REPO,
        check=True,
        env={**os.environ, "CARGO_TARGET_DIR": str(TARGET)},
    )
    files = {}
    for n in (args.large, args.small):
        files[n] = work / f"points_{n}.csv"
        if not files[n].exists():
            write_csv(files[n], clustered(n))

    results = {"machine_cpus": os.cpu_count(), "grid": GRID, "bandwidth": args.bandwidth, "tolerance": args.tolerance}
    large = rust(files[args.large], args.bandwidth, args.tolerance)
    large_1 = rust(files[args.large], args.bandwidth, args.tolerance, threads=1)
    results["rust_large"] = large
    results["rust_large_1_thread"] = large_1
    ours_file = work / "ours_small.f64"
    small = rust(files[args.small], args.bandwidth, args.tolerance, output=ours_file)
    small_1 = rust(files[args.small], args.bandwidth, args.tolerance, threads=1)
    results["rust_small"] = small
    results["rust_small_1_thread"] = small_1
    print(
        f"rust {args.large:,} points: best {large['best_seconds']:.3f} s on {large['threads']} threads "
        f"({large_1['best_seconds']:.3f} s on 1), k = {large['truncation']['k']:.3f}, "
        f"bound/max = {large['truncation']['bound_relative']:.2e}, peak RSS {large['peak_rss_kib'] / 1024:.0f} MiB"
    )
    print(
        f"rust {args.small:,} points: best {small['best_seconds']:.3f} s on {small['threads']} threads "
        f"({small_1['best_seconds']:.3f} s on 1), peak RSS {small['peak_rss_kib'] / 1024:.0f} MiB"
    )
    if not args.skip_sklearn:
        ours = np.fromfile(ours_file, dtype="<f8")
        n = args.small
        modes = [("rtol", args.tolerance, 0.0), ("atol", 0.0, float(args.tolerance * ours.max() / n))]
        results["sklearn"] = {}
        for name, rtol, atol in modes:
            theirs_file = work / f"sklearn_{name}.npy"
            report = sklearn(files[n], args.bandwidth, rtol, atol, theirs_file)
            theirs = np.load(theirs_file)
            report["max_abs_diff_over_max"] = float(np.abs(theirs - ours).max() / ours.max())
            report["ratio_vs_rust_threads"] = report["seconds"] / small["best_seconds"]
            report["ratio_vs_rust_1_thread"] = report["seconds"] / small_1["best_seconds"]
            results["sklearn"][name] = report
            print(
                f"sklearn {n:,} points ({name}: rtol={rtol:g}, atol={atol:.3g}): {report['seconds']:.2f} s, "
                f"peak RSS {report['peak_rss_kib'] / 1024:.0f} MiB; "
                f"ratio {report['ratio_vs_rust_threads']:.1f}x (vs our {small['threads']} threads), "
                f"{report['ratio_vs_rust_1_thread']:.1f}x (vs 1 thread); "
                f"max |sklearn - ours| / max = {report['max_abs_diff_over_max']:.2e}"
            )
    print(json.dumps(results))


TARGET = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
EXAMPLE = TARGET / "release" / "examples" / "bench_kde"

if __name__ == "__main__":
    main()
