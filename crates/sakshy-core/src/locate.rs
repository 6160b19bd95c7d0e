//! Point lookup: which quadrant (and district) a location falls in, who serves it, and the nearest police
//! points with their distance and walking time.
//!
//! A [`Locator`] is an immutable index built from the current territories and the registry; whoever holds
//! it rebuilds it when they change. It reads nothing and caches nothing by itself.

use std::collections::HashMap;

use geo::{ClosestPoint, Closest, Distance, Geodesic, Intersects};
use geo_types::{Coord, Point};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

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
        Locator { quadrants, district_of, districts, quadrant_tree, points, point_tree, officers, officers_by_quadrant, lon_scale }
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
        let coord = Coord { x: lon, y: lat };
        self.quadrant_tree
            .locate_in_envelope_intersecting(&AABB::from_point([lon, lat]))
            .map(|candidate| candidate.data)
            .filter(|&idx| self.quadrants[idx].geometry().intersects(&coord))
            .min()
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

#[cfg(test)]
mod tests;
