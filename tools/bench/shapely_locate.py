#!/usr/bin/env python3
"""Point-in-quadrant lookup with shapely 2 (GEOS STRtree), on exactly the data of Sakshy's locate bench.

First write the data with the Rust generator (the same code the criterion bench uses):

    cargo run --release -p sakshy-core --example bench_data -- /tmp/sakshy-bench

then, single-threaded:

    taskset -c 0 /tmp/shapely-venv/bin/python tools/bench/shapely_locate.py /tmp/sakshy-bench

For each set (the Shymkent demo city and the generated national set) it builds an STRtree over the quadrants,
sorted by code, and times bulk lookups of the 100,000 query points in several ways (best of --repeat runs;
building the tree is not timed, as building the Locator is not timed on the Rust side):

  intersects      tree.query(points, predicate="intersects"), boundary included: Sakshy's semantics
  covered_by      tree.query(points, predicate="covered_by"), also boundary-inclusive
  within          tree.query(points, predicate="within"), interior only (polygon contains point)
  prepared_xy     tree.query(points) on bounding boxes, then shapely.intersects_xy on prepared polygons

Each way is timed up to the assignment "point -> smallest quadrant index" (the quadrants are sorted by code,
so the smallest index is the smallest code, Sakshy's tie rule). The assignment of the boundary-inclusive ways
is compared with Sakshy's (`*_ours.txt`, written by the example) point by point.
"""

import argparse
import json
import os
import pathlib
import time

import numpy as np
import shapely

REPO = pathlib.Path(__file__).resolve().parents[2]
NONE = np.iinfo(np.int64).max


def load_quadrants(path):
    with open(path, encoding="utf-8") as f:
        features = json.load(f)["features"]
    quadrants = sorted(
        (f for f in features if f["properties"]["level"] == "quadrant"), key=lambda f: f["properties"]["code"]
    )
    codes = [f["properties"]["code"] for f in quadrants]
    polygons = np.array([shapely.geometry.shape(f["geometry"]) for f in quadrants], dtype=object)
    return codes, polygons


def first_match(n, pairs):
    """For each of n points, the smallest matching polygon index, or NONE."""
    assigned = np.full(n, NONE, dtype=np.int64)
    np.minimum.at(assigned, pairs[0], pairs[1])
    return assigned


def best_time(fn, repeat):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def run_set(name, territories, data_dir, repeat):
    codes, polygons = load_quadrants(territories)
    xy = np.loadtxt(data_dir / f"{name}_points.csv", delimiter=",", skiprows=1)
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    points = shapely.points(xy)
    n = len(points)
    tree = shapely.STRtree(polygons)
    shapely.prepare(polygons)
    with open(data_dir / f"{name}_ours.txt", encoding="utf-8") as f:
        index = {code: i for i, code in enumerate(codes)}
        ours = np.array([index[line] if line else NONE for line in f.read().split("\n")[:n]], dtype=np.int64)

    def prepared_xy():
        pairs = tree.query(points)
        hit = shapely.intersects_xy(polygons[pairs[1]], x[pairs[0]], y[pairs[0]])
        return first_match(n, pairs[:, hit])

    ways = {
        "intersects": lambda: first_match(n, tree.query(points, predicate="intersects")),
        "covered_by": lambda: first_match(n, tree.query(points, predicate="covered_by")),
        "within": lambda: first_match(n, tree.query(points, predicate="within")),
        "prepared_xy": prepared_xy,
    }
    rates = {}
    print(f"{name}: {len(polygons)} quadrants, {n} points, {sum(len(p.exterior.coords) for p in polygons) / len(polygons):.1f} vertices per quadrant")
    for way, fn in ways.items():
        seconds, assigned = best_time(fn, repeat)
        rates[way] = n / seconds
        inside = int((assigned != NONE).sum())
        check = ""
        if way != "within":
            differ = np.flatnonzero(assigned != ours)
            check = f"; differs from Sakshy at {len(differ)} points"
            for i in differ[:5]:
                check += f"\n    point {i} ({x[i]}, {y[i]}): shapely {assigned[i]}, sakshy {ours[i]}"
        print(f"  {way:<12} {n / seconds:>12,.0f} lookups/s {seconds * 1e9 / n:>8.0f} ns/lookup  {inside} inside{check}")
    best = max((w for w in ways if w != "within"), key=rates.get)
    print(f"  best boundary-inclusive: {best}, {rates[best]:,.0f} lookups/s")
    return rates[best]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data", type=pathlib.Path, help="the directory written by the bench_data example")
    parser.add_argument("--repeat", type=int, default=5, help="runs per way; the fastest counts")
    args = parser.parse_args()
    print(f"shapely {shapely.__version__}, GEOS {shapely.geos_version_string}, numpy {np.__version__}")
    if hasattr(os, "sched_getaffinity"):
        print(f"CPUs available to this process: {len(os.sched_getaffinity(0))}")
    run_set("demo", REPO / "data/demo/shymkent/territories.geojson", args.data, args.repeat)
    run_set("national", args.data / "national.geojson", args.data, args.repeat)


if __name__ == "__main__":
    main()
