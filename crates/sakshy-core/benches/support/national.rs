//! A generated national-scale set of quadrants and the query points for the locate benchmark, shared by
//! `benches/locate.rs` and `examples/bench_data.rs` (which writes the same data for the shapely comparison in
//! `tools/bench/shapely_locate.py`).
//!
//! Everything is deterministic: a fixed `SplitMix64` stream, no dependence on `rand`'s algorithms.
//!
//! The set: a 100 × 50 lattice over Kazakhstan's extent (lon 46–87, lat 40–55), its interior vertices
//! jittered, every lattice edge densified into 5–9 segments with a perpendicular wobble, so that each quadrant
//! is a simple polygon of 21–37 vertices and neighbours share their edges exactly (a tiling, no gaps, no
//! overlaps). Blocks of 10 × 5 quadrants make 100 districts, whose boundaries follow the same edges; one city
//! feature covers the extent.

#![allow(dead_code)]

use serde_json::{Value, json};

/// Lattice columns (longitude).
pub const NX: usize = 100;
/// Lattice rows (latitude).
pub const NY: usize = 50;
/// Quadrant columns per district.
pub const DISTRICT_NX: usize = 10;
/// Quadrant rows per district.
pub const DISTRICT_NY: usize = 5;
/// The extent: west, south, east, north.
pub const EXTENT: [f64; 4] = [46.0, 40.0, 87.0, 55.0];
/// Query points per set.
pub const QUERY_POINTS: usize = 100_000;
/// Seed of the national query points.
pub const NATIONAL_SEED: u64 = 0x5A4B_5348_5901;
/// Seed of the demo-city query points.
pub const DEMO_SEED: u64 = 0x5348_5901;

/// `SplitMix64`: tiny, fast, and fixed forever.
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A stream from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// A hash of small integers, for per-vertex and per-edge randomness independent of traversal order.
fn hash(parts: &[u64]) -> SplitMix64 {
    let mut h = 0x243F_6A88_85A3_08D3u64;
    for &part in parts {
        h = SplitMix64::new(h ^ part).next_u64();
    }
    SplitMix64::new(h)
}

fn cell_size() -> (f64, f64) {
    ((EXTENT[2] - EXTENT[0]) / NX as f64, (EXTENT[3] - EXTENT[1]) / NY as f64)
}

/// Rounds to 1e-7° (about 1 cm), as real GeoJSON files carry, so that the text round-trips exactly.
fn round7(value: f64) -> f64 {
    (value * 1e7).round() / 1e7
}

/// Lattice vertex `(i, j)`, `0 ≤ i ≤ NX`, `0 ≤ j ≤ NY`; interior vertices jittered by up to ±22 % of a cell,
/// which keeps every jittered quadrilateral simple.
fn vertex(i: usize, j: usize) -> [f64; 2] {
    let (dx, dy) = cell_size();
    let mut rng = hash(&[1, i as u64, j as u64]);
    let jx = if i == 0 || i == NX { 0.0 } else { rng.range(-0.22, 0.22) };
    let jy = if j == 0 || j == NY { 0.0 } else { rng.range(-0.22, 0.22) };
    [round7(EXTENT[0] + (i as f64 + jx) * dx), round7(EXTENT[1] + (j as f64 + jy) * dy)]
}

/// The points of a lattice edge from `a` to `b`, `a` included, `b` excluded: 5–9 segments, the inner points
/// pushed sideways by up to 5 % of the edge length (tapering towards the ends). Edges on the outer border
/// stay straight.
fn edge(kind: u64, i: usize, j: usize, a: [f64; 2], b: [f64; 2], border: bool) -> Vec<[f64; 2]> {
    let mut rng = hash(&[2, kind, i as u64, j as u64]);
    let segments = 5 + (rng.next_u64() % 5) as usize;
    let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
    let mut points = vec![a];
    for k in 1..segments {
        let t = k as f64 / segments as f64;
        let wobble = if border { 0.0 } else { rng.range(-0.05, 0.05) * (std::f64::consts::PI * t).sin() };
        // The perpendicular of (ex, ey) is (-ey, ex); the offset is relative to the edge length.
        points.push([round7(a[0] + t * ex - wobble * ey), round7(a[1] + t * ey + wobble * ex)]);
    }
    points
}

/// Horizontal edge from vertex `(i, j)` to `(i + 1, j)`.
fn h_edge(i: usize, j: usize) -> Vec<[f64; 2]> {
    edge(0, i, j, vertex(i, j), vertex(i + 1, j), j == 0 || j == NY)
}

/// Vertical edge from vertex `(i, j)` to `(i, j + 1)`.
fn v_edge(i: usize, j: usize) -> Vec<[f64; 2]> {
    edge(1, i, j, vertex(i, j), vertex(i, j + 1), i == 0 || i == NX)
}

/// Reverses an edge: from its end (included) to its start (excluded).
fn reversed(i: usize, j: usize, horizontal: bool) -> Vec<[f64; 2]> {
    let (mut points, end) =
        if horizontal { (h_edge(i, j), vertex(i + 1, j)) } else { (v_edge(i, j), vertex(i, j + 1)) };
    points.push(end);
    points.reverse();
    points.pop();
    points
}

/// The closed, counter-clockwise ring around the lattice block of cells `[i0, i1) × [j0, j1)`.
pub fn block_ring(i0: usize, j0: usize, i1: usize, j1: usize) -> Vec<[f64; 2]> {
    let mut ring = Vec::new();
    for i in i0..i1 {
        ring.extend(h_edge(i, j0));
    }
    for j in j0..j1 {
        ring.extend(v_edge(i1, j));
    }
    for i in (i0..i1).rev() {
        ring.extend(reversed(i, j1, true));
    }
    for j in (j0..j1).rev() {
        ring.extend(reversed(i0, j, false));
    }
    ring.push(ring[0]);
    ring
}

/// The code of the district holding block `(di, dj)`.
pub fn district_code(di: usize, dj: usize) -> String {
    format!("KZ-D{:03}", dj * (NX / DISTRICT_NX) + di)
}

/// The code of quadrant `(i, j)`.
pub fn quadrant_code(i: usize, j: usize) -> String {
    let (di, dj) = (i / DISTRICT_NX, j / DISTRICT_NY);
    let q = (j % DISTRICT_NY) * DISTRICT_NX + i % DISTRICT_NX;
    format!("{}-Q{:02}", district_code(di, dj), q + 1)
}

fn feature(props: Value, ring: Vec<[f64; 2]>) -> Value {
    json!({"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}})
}

/// The national set as a GeoJSON `FeatureCollection` in the import format of `docs/formats.md`: one city,
/// 100 districts, 5,000 quadrants.
pub fn national_geojson() -> Value {
    let mut features = vec![feature(
        json!({"level": "city", "code": "KZ", "name_kk": "Қазақстан", "name_ru": "Казахстан", "name_en": "Kazakhstan",
               "timezone": "Asia/Almaty", "geometry_status": "illustrative"}),
        block_ring(0, 0, NX, NY),
    )];
    for dj in 0..NY / DISTRICT_NY {
        for di in 0..NX / DISTRICT_NX {
            let code = district_code(di, dj);
            features.push(feature(
                json!({"level": "district", "code": code, "parent": "KZ", "name_kk": code, "name_ru": code,
                       "name_en": code, "geometry_status": "illustrative"}),
                block_ring(di * DISTRICT_NX, dj * DISTRICT_NY, (di + 1) * DISTRICT_NX, (dj + 1) * DISTRICT_NY),
            ));
        }
    }
    for j in 0..NY {
        for i in 0..NX {
            let code = quadrant_code(i, j);
            let parent = district_code(i / DISTRICT_NX, j / DISTRICT_NY);
            features.push(feature(
                json!({"level": "quadrant", "code": code, "parent": parent, "name_kk": code, "name_ru": code,
                       "name_en": code, "geometry_status": "illustrative"}),
                block_ring(i, j, i + 1, j + 1),
            ));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// `count` query points `(lon, lat)` uniform over `[west, south, east, north]` widened by `margin` of its size
/// on every side, so that most fall inside and some outside.
pub fn query_points(seed: u64, bbox: [f64; 4], margin: f64, count: usize) -> Vec<(f64, f64)> {
    let mut rng = SplitMix64::new(seed);
    let (w, h) = (bbox[2] - bbox[0], bbox[3] - bbox[1]);
    let (x0, x1) = (bbox[0] - margin * w, bbox[2] + margin * w);
    let (y0, y1) = (bbox[1] - margin * h, bbox[3] + margin * h);
    (0..count).map(|_| (round7(rng.range(x0, x1)), round7(rng.range(y0, y1)))).collect()
}

/// The national query points: 100,000 over the extent widened by 2 % on each side.
pub fn national_points() -> Vec<(f64, f64)> {
    query_points(NATIONAL_SEED, EXTENT, 0.02, QUERY_POINTS)
}

/// Where the demo city's territories are.
pub fn demo_territories_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/shymkent/territories.geojson")
}

/// The bounding box `[west, south, east, north]` of the quadrants in a `FeatureCollection`.
pub fn quadrants_bbox(collection: &Value) -> [f64; 4] {
    let mut bbox = [f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY];
    for feature in collection["features"].as_array().into_iter().flatten() {
        if feature["properties"]["level"] != "quadrant" {
            continue;
        }
        let mut visit = |position: &Value| {
            let (x, y) = (position[0].as_f64().unwrap(), position[1].as_f64().unwrap());
            bbox = [bbox[0].min(x), bbox[1].min(y), bbox[2].max(x), bbox[3].max(y)];
        };
        let coordinates = &feature["geometry"]["coordinates"];
        match feature["geometry"]["type"].as_str() {
            Some("Polygon") => {
                coordinates.as_array().unwrap().iter().flat_map(|r| r.as_array().unwrap()).for_each(&mut visit)
            }
            Some("MultiPolygon") => coordinates
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|p| p.as_array().unwrap())
                .flat_map(|r| r.as_array().unwrap())
                .for_each(&mut visit),
            _ => {}
        }
    }
    bbox
}

/// The demo-city query points: 100,000 over the bounding box of its quadrants widened by 2 % on each side.
pub fn demo_points(collection: &Value) -> Vec<(f64, f64)> {
    query_points(DEMO_SEED, quadrants_bbox(collection), 0.02, QUERY_POINTS)
}
