//! Point lookup: which quadrant (and district) a location falls in, who serves it, and the nearest police
//! points with their distance and walking time.
//!
//! A [`Locator`] is an immutable index built from the current territories and the registry; whoever holds
//! it rebuilds it when they change. It reads nothing and caches nothing by itself.

use std::collections::HashMap;

use geo::kernels::RobustKernel;
use geo::{Closest, ClosestPoint, Distance, Geodesic, Kernel, Orientation};
use geo_types::{Coord, MultiPolygon, Point, Rect};
use rstar::RTree;
use rstar::primitives::{GeomWithData, Rectangle};

use crate::code::Code;
use crate::registry::{Officer, OfficerRole, PolicePoint};
use crate::territory::{Level, Territory};

/// Walking speed used for walking-time estimates: 80 m per minute (4.8 km/h).
pub const WALK_SPEED_M_PER_MIN: f64 = 80.0;

/// Ratio of a walked route to the straight line in a city street grid (a common planning value, 1.2–1.4).
pub const ROUTE_FACTOR: f64 = 1.3;

/// An index over quadrants, districts, police points and officers.
#[derive(Debug)]
pub struct Locator {
    quadrants: Vec<Territory>,
    district_of: Vec<Option<usize>>,
    districts: Vec<Territory>,
    quadrant_tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    /// The point-in-quadrant index; `quadrant_tree` serves the nearest-quadrant search.
    quadrant_index: QuadrantIndex,
    points: Vec<PolicePoint>,
    point_tree: RTree<GeomWithData<[f64; 2], usize>>,
    officers: Vec<Officer>,
    officers_by_quadrant: HashMap<Code, Vec<usize>>,
    /// Longitudes are scaled by this (cos of the mean latitude) so that nearest-point search is isotropic.
    lon_scale: f64,
}

/// Where a location falls.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LocateOutcome<'a> {
    /// Inside (or on the boundary of) a quadrant.
    Inside {
        /// The quadrant. On a shared boundary, the one with the smallest code.
        quadrant: &'a Territory,
        /// Its district, if the district is known.
        district: Option<&'a Territory>,
    },
    /// Outside every quadrant.
    Outside {
        /// The nearest quadrant and the distance to its boundary, in metres; `None` if there are no quadrants.
        nearest: Option<(&'a Territory, f64)>,
    },
}

/// A police point near a location.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NearbyPoint<'a> {
    /// The point.
    pub point: &'a PolicePoint,
    /// Straight-line (geodesic) distance, in metres.
    pub distance_m: f64,
    /// Estimated walking time in whole minutes, rounded up: `distance_m × ROUTE_FACTOR / WALK_SPEED_M_PER_MIN`.
    pub walk_min: u32,
}

/// The geodesic distance between two WGS84 points (lon, lat), in metres.
pub fn distance_m(a: Point<f64>, b: Point<f64>) -> f64 {
    Geodesic.distance(a, b)
}

/// The estimated walking time, in whole minutes rounded up, for a straight-line distance in metres.
pub fn walk_minutes(distance_m: f64) -> u32 {
    (distance_m * ROUTE_FACTOR / WALK_SPEED_M_PER_MIN).ceil().max(0.0) as u32
}

impl Locator {
    /// Builds the index. Territories of level district and quadrant are used; others are ignored.
    pub fn new(territories: Vec<Territory>, points: Vec<PolicePoint>, officers: Vec<Officer>) -> Locator {
        let (mut quadrants, mut districts): (Vec<Territory>, Vec<Territory>) = territories
            .into_iter()
            .filter(|territory| territory.level() != Level::City)
            .partition(|territory| territory.level() == Level::Quadrant);
        // Sorting by code makes the answer on shared boundaries deterministic.
        quadrants.sort_by(|a, b| a.code().cmp(b.code()));
        districts.sort_by(|a, b| a.code().cmp(b.code()));
        let district_idx: HashMap<&Code, usize> =
            districts.iter().enumerate().map(|(idx, district)| (district.code(), idx)).collect();
        let district_of = quadrants
            .iter()
            .map(|quadrant| quadrant.parent().and_then(|parent| district_idx.get(parent).copied()))
            .collect();
        let quadrant_tree = RTree::bulk_load(
            quadrants
                .iter()
                .enumerate()
                .map(|(idx, quadrant)| {
                    let bbox = quadrant.bbox();
                    GeomWithData::new(Rectangle::from_corners(bbox.min().into(), bbox.max().into()), idx)
                })
                .collect(),
        );
        let quadrant_index = QuadrantIndex::new(&quadrants);
        let mean_lat = if points.is_empty() {
            quadrants.first().map_or(0.0, |q| q.bbox().center().y)
        } else {
            points.iter().map(|point| point.location.y()).sum::<f64>() / points.len() as f64
        };
        let lon_scale = mean_lat.to_radians().cos();
        let point_tree = RTree::bulk_load(
            points
                .iter()
                .enumerate()
                .map(|(idx, point)| GeomWithData::new([point.location.x() * lon_scale, point.location.y()], idx))
                .collect(),
        );
        let mut officers_by_quadrant: HashMap<Code, Vec<usize>> = HashMap::new();
        for (idx, officer) in officers.iter().enumerate() {
            for quadrant in &officer.quadrants {
                officers_by_quadrant.entry(quadrant.clone()).or_default().push(idx);
            }
        }
        for list in officers_by_quadrant.values_mut() {
            list.sort_by_key(|&idx| (role_order(officers[idx].role), officers[idx].badge.clone()));
        }
        Locator {
            quadrants,
            district_of,
            districts,
            quadrant_tree,
            quadrant_index,
            points,
            point_tree,
            officers,
            officers_by_quadrant,
            lon_scale,
        }
    }

    /// The quadrant containing `(lon, lat)` (WGS84), or the nearest one when none does.
    pub fn locate(&self, lon: f64, lat: f64) -> LocateOutcome<'_> {
        match self.quadrant_at(lon, lat) {
            Some(idx) => LocateOutcome::Inside {
                quadrant: &self.quadrants[idx],
                district: self.district_of[idx].map(|d| &self.districts[d]),
            },
            None => LocateOutcome::Outside { nearest: self.nearest_quadrant(lon, lat) },
        }
    }

    /// The index of the quadrant containing `(lon, lat)`, boundary included; the smallest code wins on ties.
    fn quadrant_at(&self, lon: f64, lat: f64) -> Option<usize> {
        self.quadrant_index.quadrant_at(Coord { x: lon, y: lat })
    }

    /// Only the containment test, for benchmarks and bulk work: the code of the quadrant at `(lon, lat)`.
    pub fn quadrant_code_at(&self, lon: f64, lat: f64) -> Option<&Code> {
        self.quadrant_at(lon, lat).map(|idx| self.quadrants[idx].code())
    }

    fn nearest_quadrant(&self, lon: f64, lat: f64) -> Option<(&Territory, f64)> {
        let here = Point::new(lon, lat);
        // Bounding boxes ordered by their distance in degrees give the candidates; the exact distance is
        // geodesic to the closest boundary point. Eight candidates cover the distortion of degree space.
        self.quadrant_tree
            .nearest_neighbor_iter(&[lon, lat])
            .take(8)
            .filter_map(|candidate| {
                let quadrant = &self.quadrants[candidate.data];
                let closest = match quadrant.geometry().closest_point(&here) {
                    Closest::Intersection(point) | Closest::SinglePoint(point) => point,
                    Closest::Indeterminate => return None,
                };
                Some((quadrant, Geodesic.distance(here, closest)))
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Up to `limit` police points nearest to `(lon, lat)`, closest first.
    pub fn nearest_points(&self, lon: f64, lat: f64, limit: usize) -> Vec<NearbyPoint<'_>> {
        let here = Point::new(lon, lat);
        // The scaled-degree metric orders points almost as metres do; take a few spare candidates and sort
        // them by the exact geodesic distance.
        let mut nearby: Vec<NearbyPoint<'_>> = self
            .point_tree
            .nearest_neighbor_iter(&[lon * self.lon_scale, lat])
            .take(limit + 4)
            .map(|candidate| {
                let point = &self.points[candidate.data];
                let distance_m = Geodesic.distance(here, point.location);
                NearbyPoint { point, distance_m, walk_min: walk_minutes(distance_m) }
            })
            .collect();
        nearby.sort_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        nearby.truncate(limit);
        nearby
    }

    /// The officers serving a quadrant: district inspectors first, then by badge.
    pub fn officers_of(&self, quadrant: &Code) -> Vec<&Officer> {
        self.officers_by_quadrant
            .get(quadrant)
            .map(|list| list.iter().map(|&idx| &self.officers[idx]).collect())
            .unwrap_or_default()
    }

    /// The police points that declare they serve a quadrant.
    pub fn points_serving(&self, quadrant: &Code) -> Vec<&PolicePoint> {
        self.points.iter().filter(|point| point.quadrants.contains(quadrant)).collect()
    }

    /// How many quadrants are indexed.
    pub fn quadrant_count(&self) -> usize {
        self.quadrants.len()
    }
}

fn role_order(role: OfficerRole) -> u8 {
    match role {
        OfficerRole::DistrictInspector => 0,
        OfficerRole::AssistantInspector => 1,
        OfficerRole::JuvenileInspector => 2,
        OfficerRole::Patrol => 3,
        OfficerRole::DutyOfficer => 4,
    }
}

// ---------------------------------------------------------------------------------------------------------
// Point-in-quadrant index.
//
// A grid over the quadrants' extent whose cells are split in four, recursively, wherever a quadrant boundary
// crosses them, until the cell is small next to the quadrants it crosses (an adaptive quadtree: fine where the
// quadrants are small or many, coarse over open country). Each leaf lists, in code order, the quadrants that
// may contain its points, cut after the first one that covers the whole cell; a lookup walks down to its leaf
// and tests the listed quadrants in order, the first hit being the smallest code. Most lookups end in a leaf
// that one quadrant covers and need no polygon test at all.
//
// The polygon test is geo's winding-number test (`coord_pos_relative_to_ring`: the same robust orientation
// predicate, the same rules at vertices) over flat coordinate arrays, so a point is inside a polygon exactly
// when `geo::Intersects` says so, boundary included. For a multipolygon, a point is inside when it is inside
// or on the boundary of any of its polygons (geo's mod-2 boundary rule would call a point where two of its
// polygons touch outside).
//
// Float safety: a cell is classified against its rectangle widened by `margin` (1e-11 of the largest
// coordinate, ~2e-9° for longitudes), so rounding in finding a point's cell can never take the point out of
// the rectangle its cell's list was built for.

/// Root cells per quadrant (before the cap).
const ROOT_CELLS_PER_QUADRANT: f64 = 16.0;
/// At most this many root cells.
const MAX_ROOT_CELLS: f64 = (1 << 20) as f64;
/// Cells are split until they are at most 1/REFINE of the smallest quadrant crossing them (largest sides).
const REFINE: f64 = 4.0;
/// Splits below a root cell, at most.
const MAX_DEPTH: u32 = 16;
/// Node, first word: a leaf.
const LEAF: u32 = 1 << 31;
/// Leaf, first word: one quadrant, the second word, covers the cell.
const COVERED: u32 = 1 << 30;
/// Leaf entry: the quadrant covers the cell.
const COVERS: u32 = 1 << 31;
/// Quadrant shape, first word: several rings, `[RINGS | first, end)` into `rings`; without it the shape is one
/// ring without holes, `[start, end)` into `coords`.
const RINGS: u32 = 1 << 31;
/// Ring, first word: an exterior ring; the holes of a polygon follow its exterior.
const EXTERIOR: u32 = 1 << 31;

/// A node, two words: `[first_child, 0]` for a cell split in four (children south-west, south-east,
/// north-west, north-east, consecutive); `[LEAF | COVERED, quadrant]` for a leaf one quadrant covers;
/// `[LEAF | start, len]` for a leaf listing `entries[start..start + len]`.
#[derive(Debug, Clone, Copy)]
struct Node([u32; 2]);

#[derive(Debug, Default)]
struct QuadrantIndex {
    /// All ring coordinates, each ring closed (its last coordinate repeats its first).
    coords: Vec<Coord<f64>>,
    /// Rings of multi-ring shapes: `[EXTERIOR? | start, end)` into `coords`.
    rings: Vec<[u32; 2]>,
    /// Per quadrant: its shape (see `RINGS`).
    shapes: Vec<[u32; 2]>,
    /// Per quadrant: its bounding box.
    bboxes: Vec<Rect<f64>>,
    /// South-west corner of the root grid.
    origin: Coord<f64>,
    /// Size of a root cell.
    cell: Coord<f64>,
    cols: usize,
    rows: usize,
    /// Root cells first (row-major), then split children.
    nodes: Vec<Node>,
    /// Leaf lists: quadrant index, with `COVERS` when the quadrant covers the leaf's cell.
    entries: Vec<u32>,
    margin: f64,
}

/// How a quadrant meets a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Meets {
    Disjoint,
    Covers,
    Partly,
}

impl QuadrantIndex {
    fn new(quadrants: &[Territory]) -> QuadrantIndex {
        assert!(quadrants.len() < (1 << 30), "too many quadrants for the index");
        let mut index = QuadrantIndex::default();
        for quadrant in quadrants {
            index.push_shape(quadrant.geometry());
            index.bboxes.push(quadrant.bbox());
        }
        let Some((min, max)) = index.bboxes.iter().map(|bbox| (bbox.min(), bbox.max())).reduce(|(a0, a1), (b0, b1)| {
            (Coord { x: a0.x.min(b0.x), y: a0.y.min(b0.y) }, Coord { x: a1.x.max(b1.x), y: a1.y.max(b1.y) })
        }) else {
            return index;
        };
        let largest = [min.x, min.y, max.x, max.y].into_iter().fold(1.0f64, |acc, v| acc.max(v.abs()));
        index.margin = largest * 1e-11;
        let (width, height) = ((max.x - min.x).max(index.margin), (max.y - min.y).max(index.margin));
        let target = (quadrants.len() as f64 * ROOT_CELLS_PER_QUADRANT).min(MAX_ROOT_CELLS);
        index.cols = ((target * width / height).sqrt().ceil() as usize).clamp(1, 1 << 12);
        index.rows = ((target / index.cols as f64).ceil() as usize).clamp(1, 1 << 12);
        index.origin = min;
        index.cell = Coord { x: width / index.cols as f64, y: height / index.rows as f64 };

        let mut root_lists: Vec<Vec<u32>> = vec![Vec::new(); index.cols * index.rows];
        for (idx, bbox) in index.bboxes.iter().enumerate() {
            let (c0, r0) = index.root_cell(bbox.min());
            let (c1, r1) = index.root_cell(bbox.max());
            // One spare cell on each side absorbs rounding; the classification drops what does not meet.
            for row in r0.saturating_sub(1)..=(r1 + 1).min(index.rows - 1) {
                for col in c0.saturating_sub(1)..=(c1 + 1).min(index.cols - 1) {
                    root_lists[row * index.cols + col].push(idx as u32);
                }
            }
        }
        index.nodes = vec![Node([LEAF, 0]); index.cols * index.rows];
        for (cell, list) in root_lists.iter().enumerate() {
            let (col, row) = (cell % index.cols, cell / index.cols);
            let x0 = index.origin.x + col as f64 * index.cell.x;
            let y0 = index.origin.y + row as f64 * index.cell.y;
            index.fill(cell, [x0, y0, index.cell.x, index.cell.y], list, 0);
        }
        assert!(
            index.coords.len() < (1 << 31) && index.nodes.len() < (1 << 30) && index.entries.len() < (1 << 30),
            "the index outgrew its 32-bit words"
        );
        index
    }

    fn push_shape(&mut self, geometry: &MultiPolygon<f64>) {
        if let [polygon] = geometry.0.as_slice()
            && polygon.interiors().is_empty()
        {
            let start = self.coords.len() as u32;
            self.coords.extend(polygon.exterior().0.iter().copied());
            self.shapes.push([start, self.coords.len() as u32]);
            return;
        }
        let first = self.rings.len() as u32;
        for polygon in geometry {
            for (k, ring) in std::iter::once(polygon.exterior()).chain(polygon.interiors()).enumerate() {
                let start = self.coords.len() as u32;
                self.coords.extend(ring.0.iter().copied());
                self.rings.push([if k == 0 { EXTERIOR | start } else { start }, self.coords.len() as u32]);
            }
        }
        self.shapes.push([RINGS | first, self.rings.len() as u32]);
    }

    /// The root cell of a coordinate, clamped to the grid.
    fn root_cell(&self, coord: Coord<f64>) -> (usize, usize) {
        let col = ((coord.x - self.origin.x) / self.cell.x).max(0.0) as usize;
        let row = ((coord.y - self.origin.y) / self.cell.y).max(0.0) as usize;
        (col.min(self.cols - 1), row.min(self.rows - 1))
    }

    /// Builds node `node` for the cell `[x0, x0 + w] × [y0, y0 + h]` from its parent's list.
    fn fill(&mut self, node: usize, [x0, y0, w, h]: [f64; 4], parent: &[u32], depth: u32) {
        let m = self.margin;
        let rect = Rect::new(Coord { x: x0 - m, y: y0 - m }, Coord { x: x0 + w + m, y: y0 + h + m });
        let mut list = Vec::new();
        let mut smallest_partly = f64::INFINITY;
        for &entry in parent {
            if entry & COVERS != 0 {
                list.push(entry);
                break;
            }
            match self.meets(entry as usize, rect) {
                Meets::Disjoint => {}
                Meets::Covers => {
                    list.push(entry | COVERS);
                    break;
                }
                Meets::Partly => {
                    let bbox = self.bboxes[entry as usize];
                    smallest_partly = smallest_partly.min(bbox.width().max(bbox.height()));
                    list.push(entry);
                }
            }
        }
        if depth < MAX_DEPTH && w.max(h) * REFINE > smallest_partly {
            let first = self.nodes.len();
            self.nodes.extend([Node([LEAF, 0]); 4]);
            self.nodes[node] = Node([first as u32, 0]);
            let (hw, hh) = (w * 0.5, h * 0.5);
            for (k, (cx, cy)) in [(x0, y0), (x0 + hw, y0), (x0, y0 + hh), (x0 + hw, y0 + hh)].into_iter().enumerate() {
                self.fill(first + k, [cx, cy, hw, hh], &list, depth + 1);
            }
        } else if let [covering] = list[..]
            && covering & COVERS != 0
        {
            self.nodes[node] = Node([LEAF | COVERED, covering & !COVERS]);
        } else {
            self.nodes[node] = Node([LEAF | self.entries.len() as u32, list.len() as u32]);
            self.entries.extend(list);
        }
    }

    /// The rings of quadrant `idx`, each with whether it is an exterior ring.
    fn rings_of(&self, idx: usize) -> impl Iterator<Item = (bool, &[Coord<f64>])> {
        let [a, b] = self.shapes[idx];
        let (single, rings) = if a & RINGS == 0 {
            (Some((true, &self.coords[a as usize..b as usize])), &[][..])
        } else {
            (None, &self.rings[(a & !RINGS) as usize..b as usize])
        };
        single.into_iter().chain(
            rings
                .iter()
                .map(|&[start, end]| (start & EXTERIOR != 0, &self.coords[(start & !EXTERIOR) as usize..end as usize])),
        )
    }

    /// How quadrant `idx` meets a closed rectangle. `Partly` may be answered for a quadrant that in fact
    /// covers or misses the rectangle by a hair (the margin absorbs that); never the reverse.
    fn meets(&self, idx: usize, rect: Rect<f64>) -> Meets {
        let bbox = self.bboxes[idx];
        if bbox.min().x > rect.max().x
            || bbox.max().x < rect.min().x
            || bbox.min().y > rect.max().y
            || bbox.max().y < rect.min().y
        {
            return Meets::Disjoint;
        }
        for (_, ring) in self.rings_of(idx) {
            if ring.windows(2).any(|edge| segment_meets_rect(edge[0], edge[1], rect)) {
                return Meets::Partly;
            }
        }
        // No boundary meets the rectangle: it is wholly inside or wholly outside.
        if self.contains(idx, rect.center()) { Meets::Covers } else { Meets::Disjoint }
    }

    /// Whether quadrant `idx` contains `coord`, boundary included.
    fn contains(&self, idx: usize, coord: Coord<f64>) -> bool {
        let [a, b] = self.shapes[idx];
        if a & RINGS == 0 {
            return ring_position(coord, &self.coords[a as usize..b as usize]) != RingPosition::Outside;
        }
        // Walk the polygons: an exterior ring, then its holes.
        let mut inside = false;
        for (exterior, ring) in self.rings_of(idx) {
            if exterior {
                if inside {
                    return true;
                }
                match ring_position(coord, ring) {
                    RingPosition::Outside => {}
                    RingPosition::OnBoundary => return true,
                    RingPosition::Inside => inside = true,
                }
            } else if inside {
                match ring_position(coord, ring) {
                    RingPosition::Outside => {}
                    RingPosition::OnBoundary => return true,
                    RingPosition::Inside => inside = false,
                }
            }
        }
        inside
    }

    /// The smallest index of a quadrant containing `coord`, boundary included.
    fn quadrant_at(&self, coord: Coord<f64>) -> Option<usize> {
        let (dx, dy) = (coord.x - self.origin.x, coord.y - self.origin.y);
        let (width, height) = (self.cell.x * self.cols as f64, self.cell.y * self.rows as f64);
        // Written so that NaN is rejected too; an empty index has no cells and rejects everything.
        let m = self.margin;
        if !(dx >= -m && dy >= -m && dx <= width + m && dy <= height + m) || self.nodes.is_empty() {
            return None;
        }
        let col = ((dx / self.cell.x).max(0.0) as usize).min(self.cols - 1);
        let row = ((dy / self.cell.y).max(0.0) as usize).min(self.rows - 1);
        let mut node = self.nodes[row * self.cols + col];
        let (mut x0, mut y0) = (self.origin.x + col as f64 * self.cell.x, self.origin.y + row as f64 * self.cell.y);
        let (mut w, mut h) = (self.cell.x, self.cell.y);
        while node.0[0] & LEAF == 0 {
            w *= 0.5;
            h *= 0.5;
            let east = coord.x >= x0 + w;
            let north = coord.y >= y0 + h;
            if east {
                x0 += w;
            }
            if north {
                y0 += h;
            }
            node = self.nodes[node.0[0] as usize + usize::from(east) + 2 * usize::from(north)];
        }
        if node.0[0] & COVERED != 0 {
            return Some(node.0[1] as usize);
        }
        let start = (node.0[0] & !LEAF) as usize;
        self.entries[start..start + node.0[1] as usize].iter().find_map(|&entry| {
            let idx = (entry & !COVERS) as usize;
            (entry & COVERS != 0 || self.contains(idx, coord)).then_some(idx)
        })
    }
}

/// Whether the closed segment `a`–`b` may meet the closed rectangle: exact but for rounding near the
/// rectangle's corners, where it errs by far less than the index's margin.
fn segment_meets_rect(a: Coord<f64>, b: Coord<f64>, rect: Rect<f64>) -> bool {
    let (min, max) = (rect.min(), rect.max());
    if a.x.max(b.x) < min.x || a.x.min(b.x) > max.x || a.y.max(b.y) < min.y || a.y.min(b.y) > max.y {
        return false;
    }
    // The bounding boxes overlap; the segment misses only if all four corners are strictly on one side.
    let (ex, ey) = (b.x - a.x, b.y - a.y);
    let side = |x: f64, y: f64| ex * (y - a.y) - ey * (x - a.x);
    let corners = [side(min.x, min.y), side(max.x, min.y), side(max.x, max.y), side(min.x, max.y)];
    !(corners.iter().all(|&s| s > 0.0) || corners.iter().all(|&s| s < 0.0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RingPosition {
    Inside,
    OnBoundary,
    Outside,
}

/// Where `coord` is relative to a closed ring: geo's `coord_pos_relative_to_ring` (winding number with the
/// robust orientation predicate and an on-boundary short cut), over a slice.
fn ring_position(coord: Coord<f64>, ring: &[Coord<f64>]) -> RingPosition {
    match ring {
        [] => return RingPosition::Outside,
        [only] => return if *only == coord { RingPosition::OnBoundary } else { RingPosition::Outside },
        _ => {}
    }
    let between = |x: f64, a: f64, b: f64| if a < b { x >= a && x <= b } else { x >= b && x <= a };
    let mut winding = 0i32;
    for edge in ring.windows(2) {
        let (start, end) = (edge[0], edge[1]);
        // An upward edge includes its start and excludes its end, a downward edge the reverse; horizontal
        // edges count only for the boundary; the crossing must be strictly right of the coordinate.
        if start.y <= coord.y {
            if end.y >= coord.y {
                let o = RobustKernel::orient2d(start, end, coord);
                if o == Orientation::CounterClockwise && end.y != coord.y {
                    winding += 1;
                } else if o == Orientation::Collinear && between(coord.x, start.x, end.x) {
                    return RingPosition::OnBoundary;
                }
            }
        } else if end.y <= coord.y {
            let o = RobustKernel::orient2d(start, end, coord);
            if o == Orientation::Clockwise {
                winding -= 1;
            } else if o == Orientation::Collinear && between(coord.x, start.x, end.x) {
                return RingPosition::OnBoundary;
            }
        }
    }
    if winding == 0 { RingPosition::Outside } else { RingPosition::Inside }
}

#[cfg(test)]
mod tests;
