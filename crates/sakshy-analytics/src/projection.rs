//! A local equirectangular projection to metres, for analyses inside one city.
//!
//! # References
//!
//! The radii of curvature of the WGS84 ellipsoid: meridional `M = a(1−e²)/(1−e² sin²φ)^{3/2}` and prime
//! vertical `N = a/(1−e² sin²φ)^{1/2}`. Over a city (≈ 20 km) the planar distance differs from the geodesic
//! by about 0.05 % (measured for Almaty and Astana in `reference/stack.md`; tested below for Shymkent).

/// WGS84 semi-major axis, metres.
const WGS84_A_M: f64 = 6_378_137.0;
/// WGS84 first eccentricity squared.
const WGS84_E2: f64 = 6.694_379_990_141_316e-3;

/// Projects (lon, lat) in degrees to (x, y) metres east and north of an origin, with the WGS84 radii of
/// curvature at the origin's latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalProjection {
    origin_lon: f64,
    origin_lat: f64,
    /// Metres per radian of longitude at the origin: `N cos φ0`.
    m_per_rad_lon: f64,
    /// Metres per radian of latitude at the origin: `M`.
    m_per_rad_lat: f64,
}

/// Why a projection cannot be built.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    /// The origin is not a finite (lon, lat) in range, or is too close to a pole for a local projection.
    #[error("origin ({lon}, {lat}) is not usable: longitude must be in [-180, 180] and latitude in (-85, 85)")]
    BadOrigin {
        /// Longitude given.
        lon: f64,
        /// Latitude given.
        lat: f64,
    },
}

impl LocalProjection {
    /// A projection centred on `(origin_lon, origin_lat)`, degrees.
    ///
    /// # Errors
    ///
    /// [`ProjectionError::BadOrigin`] for a non-finite or out-of-range origin, or one within 5° of a pole.
    pub fn new(origin_lon: f64, origin_lat: f64) -> Result<LocalProjection, ProjectionError> {
        if !(origin_lon.is_finite() && origin_lat.is_finite() && origin_lon.abs() <= 180.0 && origin_lat.abs() < 85.0) {
            return Err(ProjectionError::BadOrigin { lon: origin_lon, lat: origin_lat });
        }
        let phi = origin_lat.to_radians();
        let w = (1.0 - WGS84_E2 * phi.sin().powi(2)).sqrt();
        let n = WGS84_A_M / w;
        let m = WGS84_A_M * (1.0 - WGS84_E2) / w.powi(3);
        Ok(LocalProjection { origin_lon, origin_lat, m_per_rad_lon: n * phi.cos(), m_per_rad_lat: m })
    }

    /// (x, y) in metres of `(lon, lat)` in degrees.
    ///
    /// # Units
    ///
    /// Degrees in, metres out.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        (
            (lon - self.origin_lon).to_radians() * self.m_per_rad_lon,
            (lat - self.origin_lat).to_radians() * self.m_per_rad_lat,
        )
    }

    /// (lon, lat) in degrees of `(x, y)` in metres: the exact inverse of [`LocalProjection::forward`].
    pub fn inverse(&self, x_m: f64, y_m: f64) -> (f64, f64) {
        (
            self.origin_lon + (x_m / self.m_per_rad_lon).to_degrees(),
            self.origin_lat + (y_m / self.m_per_rad_lat).to_degrees(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Distance, Geodesic, Point};
    use proptest::prelude::*;

    #[test]
    fn distances_across_shymkent_match_the_geodesic_within_a_tenth_of_a_percent() {
        let projection = LocalProjection::new(69.5958, 42.3167).unwrap();
        // From the south-west to the north-east corner of the city, about 45 km.
        let (a, b) = ((69.30, 42.11), (69.93, 42.48));
        let (ax, ay) = projection.forward(a.0, a.1);
        let (bx, by) = projection.forward(b.0, b.1);
        let planar = ((bx - ax).powi(2) + (by - ay).powi(2)).sqrt();
        let geodesic = Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1));
        assert!((planar / geodesic - 1.0).abs() < 1e-3, "planar {planar} vs geodesic {geodesic}");
        // One degree of latitude near 42° N is about 111.07 km on WGS84.
        let (_, y) = projection.forward(69.5958, 43.3167);
        approx::assert_relative_eq!(y, 111_074.0, max_relative = 2e-3);
    }

    #[test]
    fn origins_near_the_poles_or_out_of_range_are_refused() {
        assert!(LocalProjection::new(0.0, 89.0).is_err());
        assert!(LocalProjection::new(f64::NAN, 42.0).is_err());
        assert!(LocalProjection::new(200.0, 42.0).is_err());
    }

    proptest! {
        #[test]
        fn inverse_undoes_forward(lon in 68.0f64..72.0, lat in 40.0f64..45.0) {
            let projection = LocalProjection::new(69.6, 42.3).unwrap();
            let (x, y) = projection.forward(lon, lat);
            let (lon2, lat2) = projection.inverse(x, y);
            prop_assert!((lon - lon2).abs() < 1e-9 && (lat - lat2).abs() < 1e-9);
        }
    }
}
