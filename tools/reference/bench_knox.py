#!/usr/bin/env python3
"""Benchmark: Knox / near-repeat table, sakshy (Rust, rayon) against the vectorised numpy close-pairs reference.

Both sides run in this one invocation on the same data file:
  1. generates N synthetic clustered events over two years (seeded; hotspots + background + near-repeat
     offspring, times as whole days) and writes them to a CSV x,y,t;
  2. numpy (tools/reference/knox_numpy.py): finds the close pairs once (scipy cKDTree), then times
     `--numpy-permutations` permutations (each: np.take, one np.bincount) -> seconds per permutation;
  3. Rust: builds and runs `cargo run --release -p sakshy-analytics --example bench_knox` on the same CSV with
     `--permutations` (999) under /usr/bin/time -v (peak memory);
  4. checks both observed tables are equal and prints both times (wall clock and CPU), the per-permutation
     ratios and peak memory. On a busy machine the wall-clock ratio mostly measures the load; the CPU-time ratio
     (numpy's one core against the sum over Rust's threads) is the steadier figure.

Usage (from the repository root, venv with tools/reference/requirements.txt):
  CARGO_TARGET_DIR=/work/target-knox /tmp/ref-venv/bin/python tools/reference/bench_knox.py \
      [--events 100000] [--permutations 999] [--numpy-permutations 49] [--metric manhattan]
Defaults: 100 m x 4 space bands (to 400 m), 7 days x 4 time bands (to 28 days), Manhattan distance.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import knox_numpy  # noqa: E402


def clustered_events(n, seed=5, side_m=20_000.0, days=730):
    """n events over a side_m x side_m city and `days` days (whole days): 60 % around 200 hotspots (Gaussian,
    sigma 150-600 m), 20 % uniform background, 20 % offspring of an earlier event a few days later (exponential,
    mean 5 days), half of them at the same place (repeats) and half within ~50 m (near repeats)."""
    rng = np.random.default_rng(seed)
    n_off = n // 5
    n_hot = (n - n_off) * 3 // 4
    n_bg = n - n_off - n_hot
    centres = rng.uniform(0.1 * side_m, 0.9 * side_m, (200, 2))
    sigma = rng.uniform(150, 600, 200)
    k = rng.integers(0, 200, n_hot)
    hot = centres[k] + rng.normal(0, 1, (n_hot, 2)) * sigma[k, None]
    bg = rng.uniform(0, side_m, (n_bg, 2))
    xy = np.vstack([hot, bg])
    t = rng.integers(0, days, len(xy))
    parent = rng.integers(0, len(xy), n_off)
    off_xy = xy[parent] + rng.normal(0, 50, (n_off, 2)) * (rng.random(n_off) < 0.5)[:, None]
    off_t = np.minimum(t[parent] + rng.exponential(5, n_off).astype(int), days - 1)
    xy = np.vstack([xy, off_xy]) + np.array([350_000.0, 570_000.0])  # State Plane-like magnitudes
    t = np.concatenate([t, off_t])
    order = rng.permutation(n)
    return np.round(xy[order, 0], 3), np.round(xy[order, 1], 3), t[order]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main():
    ap = argparse.ArgumentParser(description="Knox benchmark: Rust vs numpy")
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--permutations", type=int, default=999, help="Rust permutations")
    ap.add_argument("--numpy-permutations", type=int, default=49, help="numpy permutations timed")
    ap.add_argument("--metric", default="manhattan", choices=["manhattan", "euclidean"])
    ap.add_argument("--space-band", type=float, default=100.0)
    ap.add_argument("--space-bands", type=int, default=4)
    ap.add_argument("--time-band", type=float, default=7.0)
    ap.add_argument("--time-bands", type=int, default=4)
    ap.add_argument("--threads", type=int, default=0, help="Rust threads (0: all cores)")
    args = ap.parse_args()

    x, y, t = clustered_events(args.events)
    workdir = tempfile.mkdtemp(prefix="bench_knox_")
    path = os.path.join(workdir, "events.csv")
    with open(path, "w") as f:
        f.write("x,y,t\n")
        for a, b, c in zip(x.tolist(), y.tolist(), t.tolist()):
            f.write(f"{a!r},{b!r},{c}\n")
    # numpy reads back exactly what Rust reads
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, y, t = data[:, 0], data[:, 1], data[:, 2]
    bands = (args.metric, args.space_band, args.space_bands, args.time_band, args.time_bands)

    # numpy
    start = time.perf_counter()
    cp = knox_numpy.ClosePairs(x, y, t, *bands, False)
    observed = cp.full_table(cp.t)
    np_prepare = time.perf_counter() - start
    rng = np.random.default_rng(1)
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.numpy_permutations):
        cp.full_table(rng.permutation(cp.t))
    np_per_perm = (time.perf_counter() - start) / args.numpy_permutations
    np_per_perm_cpu = (time.process_time() - cpu) / args.numpy_permutations
    np_peak = peak_rss_mb()
    close_pairs = len(cp.i)
    del cp

    # Rust
    env = dict(os.environ)
    subprocess.run(
        ["nice", "cargo", "build", "--release", "-q", "-p", "sakshy-analytics", "--example", "bench_knox"],
        cwd=ROOT, check=True, env=env,
    )
    target = env.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    exe = os.path.join(target, "release", "examples", "bench_knox")
    cmd = [exe, "--input", path, "--metric", args.metric, "--space-band", str(args.space_band),
           "--space-bands", str(args.space_bands), "--time-band", str(args.time_band),
           "--time-bands", str(args.time_bands), "--permutations", str(args.permutations), "--seed", "1"]
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    proc = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True, check=True)
    rust = json.loads(proc.stdout)
    rust_peak = next(
        int(line.split(":")[1]) / 1024.0 for line in proc.stderr.splitlines() if "Maximum resident set size" in line
    )
    same = rust["observed"] == observed.tolist()
    shutil.rmtree(workdir)

    np_total_999 = np_prepare + np_per_perm * args.permutations
    result = {
        "events": args.events,
        "close_pairs": close_pairs,
        "bands": {"metric": args.metric, "space": f"{args.space_band:g} m x {args.space_bands}",
                  "time": f"{args.time_band:g} d x {args.time_bands}"},
        "observed_tables_equal": same,
        "numpy": {"prepare_s": round(np_prepare, 3), "per_permutation_ms": round(np_per_perm * 1e3, 2),
                  "per_permutation_cpu_ms": round(np_per_perm_cpu * 1e3, 2),
                  "permutations_timed": args.numpy_permutations,
                  f"estimated_total_s_{args.permutations}": round(np_total_999, 1),
                  "peak_rss_mb": round(np_peak, 1)},
        "rust": {"threads": rust["threads"], "prepare_and_observed_s": round(rust["observed_s"], 3),
                 "per_permutation_ms": round(rust["per_permutation_ms"], 3),
                 "per_permutation_cpu_ms": round(rust["per_permutation_cpu_ms"], 3),
                 f"total_s_{args.permutations}": round(rust["knox_s"], 2),
                 "peak_rss_mb": round(rust_peak, 1)},
        "ratio_per_permutation": round(np_per_perm * 1e3 / rust["per_permutation_ms"], 1),
        # CPU time of all threads: numpy's one core against the sum over Rust's threads; on an idle machine the
        # wall-clock ratio is about this times the number of cores Rust uses.
        "ratio_per_permutation_cpu": round(np_per_perm_cpu * 1e3 / rust["per_permutation_cpu_ms"], 1),
        "ratio_total": round(np_total_999 / rust["knox_s"], 1),
        "observed": rust["observed"],
    }
    print(json.dumps(result, indent=2))
    if not same:
        print("observed tables differ:", observed.tolist(), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
