//! Coordinate reference systems an incidents file may use, and the city's frame that turns their coordinates
//! into WGS84 (lon, lat) and checks them: WGS84 itself (EPSG:4326), planar metres east and north of the city's
//! projection origin (`local`), and UTM zone 42N (EPSG:32642), the grid of the Kazakh address register around
//! Shymkent.
//!
//! Other systems are refused by name, never guessed. Nothing here reads files or the clock.

use std::fmt;
use std::str::FromStr;

use chrono_tz::Tz;
use geo_types::{Coord, Rect};

use crate::city::City;
use crate::territory::Territory;

/// WGS84 semi-major axis, metres.
const WGS84_A_M: f64 = 6_378_137.0;
/// WGS84 flattening.
const WGS84_F: f64 = 1.0 / 298.257_223_563;
/// WGS84 first eccentricity squared, written as `sakshy_analytics::LocalProjection` writes it.
const WGS84_E2: f64 = 6.694_379_990_141_316e-3;

/// The coordinate reference system of an incidents file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Crs {
    /// WGS84 latitude and longitude in degrees (EPSG:4326), columns `lat` and `lon`.
    #[default]
    Wgs84,
    /// Metres east (`x`) and north (`y`) of the city's projection origin, in the local equirectangular
    /// projection of [`CityFrame::local_to_lon_lat`].
    Local,
    /// UTM zone 42 north on WGS84 (EPSG:32642): easting `x` and northing `y` in metres.
    Utm42N,
}

/// A coordinate reference system Sakshy does not convert.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unsupported coordinate reference system {0:?}: use EPSG:4326 (lat/lon), local (metres east and north of the \
     city's projection origin) or EPSG:32642 (UTM zone 42N)"
)]
pub struct UnsupportedCrs(pub String);

impl Crs {
    /// The name: `EPSG:4326`, `local` or `EPSG:32642`.
    pub fn as_str(self) -> &'static str {
        match self {
            Crs::Wgs84 => "EPSG:4326",
            Crs::Local => "local",
            Crs::Utm42N => "EPSG:32642",
        }
    }

    /// Whether coordinates are planar metres (`x`, `y`) rather than degrees (`lat`, `lon`).
    pub fn is_planar(self) -> bool {
        self != Crs::Wgs84
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Crs {
    type Err = UnsupportedCrs;

    /// Takes `EPSG:4326` (also `4326`, `WGS84`), `local`, and `EPSG:32642` (also `32642`, `UTM42N`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name: String = s.trim().to_ascii_uppercase().chars().filter(|c| !matches!(c, ' ' | '-' | '_')).collect();
        match name.as_str() {
            "EPSG:4326" | "4326" | "WGS84" => Ok(Crs::Wgs84),
            "LOCAL" => Ok(Crs::Local),
            "EPSG:32642" | "32642" | "UTM42N" | "WGS84UTM42N" => Ok(Crs::Utm42N),
            _ => Err(UnsupportedCrs(s.trim().to_owned())),
        }
    }
}

/// What an incidents import needs to know of the city: its time zone, its bounding box, and the origin of its
/// local projection.
#[derive(Debug, Clone, PartialEq)]
pub struct CityFrame {
    timezone: Tz,
    bbox: Rect<f64>,
    origin: Coord<f64>,
}

impl CityFrame {
    /// The frame of a city whose boundary is `boundary` (the territory of level city). The projection origin is
    /// the centre of the boundary's bounding box, as in the web crate's maps.
    pub fn new(city: &City, boundary: &Territory) -> CityFrame {
        CityFrame::from_parts(city.timezone, boundary.bbox())
    }

    /// A frame from a time zone and a bounding box in (lon, lat); the origin is the box's centre.
    pub fn from_parts(timezone: Tz, bbox: Rect<f64>) -> CityFrame {
        CityFrame { timezone, bbox, origin: bbox.center() }
    }

    /// The city's time zone.
    pub fn timezone(&self) -> Tz {
        self.timezone
    }

    /// The bounding box of the city's boundary, (lon, lat).
    pub fn bbox(&self) -> Rect<f64> {
        self.bbox
    }

    /// The origin of the local projection, (lon, lat): the centre of the bounding box.
    pub fn origin(&self) -> Coord<f64> {
        self.origin
    }

    /// Whether `(lon, lat)` lies in the bounding box, edges included.
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let (min, max) = (self.bbox.min(), self.bbox.max());
        (min.x..=max.x).contains(&lon) && (min.y..=max.y).contains(&lat)
    }

    /// (lon, lat) in degrees of a point given in `crs`: `(first, second)` is `(lat, lon)` for WGS84 and
    /// `(x, y)` for the planar systems.
    pub fn to_lon_lat(&self, crs: Crs, first: f64, second: f64) -> (f64, f64) {
        match crs {
            Crs::Wgs84 => (second, first),
            Crs::Local => self.local_to_lon_lat(first, second),
            Crs::Utm42N => TransverseMercator::utm_north(42).inverse(first, second),
        }
    }

    /// (lon, lat) in degrees of a point `x_m` east and `y_m` north of the origin, in the local equirectangular
    /// projection with the WGS84 radii of curvature at the origin's latitude — the same projection, with the
    /// same constants, as `sakshy_analytics::LocalProjection` centred on [`CityFrame::origin`].
    ///
    /// # Units
    ///
    /// Metres in, degrees out.
    pub fn local_to_lon_lat(&self, x_m: f64, y_m: f64) -> (f64, f64) {
        let (per_rad_lon, per_rad_lat) = local_scale(self.origin.y);
        (self.origin.x + (x_m / per_rad_lon).to_degrees(), self.origin.y + (y_m / per_rad_lat).to_degrees())
    }

    /// The inverse of [`CityFrame::local_to_lon_lat`]: metres east and north of the origin.
    pub fn lon_lat_to_local(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (per_rad_lon, per_rad_lat) = local_scale(self.origin.y);
        ((lon - self.origin.x).to_radians() * per_rad_lon, (lat - self.origin.y).to_radians() * per_rad_lat)
    }
}

/// Metres per radian of longitude (`N cos φ0`) and of latitude (`M`) at latitude `lat0` on WGS84.
fn local_scale(lat0: f64) -> (f64, f64) {
    let e2 = WGS84_E2;
    let phi = lat0.to_radians();
    let w = (1.0 - e2 * phi.sin().powi(2)).sqrt();
    let n = WGS84_A_M / w;
    let m = WGS84_A_M * (1.0 - e2) / w.powi(3);
    (n * phi.cos(), m)
}

/// The transverse Mercator projection of the WGS84 ellipsoid, by Krüger's series to sixth order in the third
/// flattening: accurate to a few nanometres within 3 900 km of the central meridian, far beyond a UTM zone.
///
/// # References
///
/// C. F. F. Karney, "Transverse Mercator with an accuracy of a few nanometers", *Journal of Geodesy* 85 (2011)
/// 475–485, doi:10.1007/s00190-011-0445-3, eqs. (7)–(11), (35) and (36); the α and β coefficients are his
/// eq. (35) and (36) truncated at n⁶. UTM parameters: central meridian `6·zone − 183`°, scale 0.9996, false
/// easting 500 000 m, false northing 0 (north) or 10 000 000 m (south).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TransverseMercator {
    lon0_deg: f64,
    k0: f64,
    false_easting_m: f64,
    false_northing_m: f64,
}

impl TransverseMercator {
    /// UTM zone `zone` (1–60), northern hemisphere: EPSG:32601 to EPSG:32660.
    pub fn utm_north(zone: u8) -> TransverseMercator {
        TransverseMercator {
            lon0_deg: 6.0 * f64::from(zone) - 183.0,
            k0: 0.9996,
            false_easting_m: 500_000.0,
            false_northing_m: 0.0,
        }
    }

    /// Easting and northing in metres of `(lon, lat)` in degrees.
    pub fn forward(&self, lon: f64, lat: f64) -> (f64, f64) {
        let series = Series::wgs84();
        let lambda = (lon - self.lon0_deg).to_radians();
        let tau = lat.to_radians().tan();
        let tau_prime = conformal_tau(tau, series.e);
        let xi_prime = tau_prime.atan2(lambda.cos());
        let eta_prime = (lambda.sin() / (tau_prime.powi(2) + lambda.cos().powi(2)).sqrt()).asinh();
        let (mut xi, mut eta) = (xi_prime, eta_prime);
        for (j, alpha) in series.alpha.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi += alpha * (k * xi_prime).sin() * (k * eta_prime).cosh();
            eta += alpha * (k * xi_prime).cos() * (k * eta_prime).sinh();
        }
        let scale = self.k0 * series.rectifying_radius;
        (self.false_easting_m + scale * eta, self.false_northing_m + scale * xi)
    }

    /// `(lon, lat)` in degrees of an easting and northing in metres.
    pub fn inverse(&self, easting_m: f64, northing_m: f64) -> (f64, f64) {
        let series = Series::wgs84();
        let scale = self.k0 * series.rectifying_radius;
        let xi = (northing_m - self.false_northing_m) / scale;
        let eta = (easting_m - self.false_easting_m) / scale;
        let (mut xi_prime, mut eta_prime) = (xi, eta);
        for (j, beta) in series.beta.iter().enumerate() {
            let k = 2.0 * (j as f64 + 1.0);
            xi_prime -= beta * (k * xi).sin() * (k * eta).cosh();
            eta_prime -= beta * (k * xi).cos() * (k * eta).sinh();
        }
        let tau_prime = xi_prime.sin() / (eta_prime.sinh().powi(2) + xi_prime.cos().powi(2)).sqrt();
        let lambda = eta_prime.sinh().atan2(xi_prime.cos());
        // Newton's method for τ from τ′ (Karney 2011, eqs. 19–21); converges in two or three steps.
        let e2 = series.e * series.e;
        let mut tau = tau_prime;
        for _ in 0..8 {
            let tau_i = conformal_tau(tau, series.e);
            let step = (tau_prime - tau_i) / (1.0 + tau_i * tau_i).sqrt() * (1.0 + (1.0 - e2) * tau * tau)
                / ((1.0 - e2) * (1.0 + tau * tau).sqrt());
            tau += step;
            if step.abs() <= 1e-14 * tau.abs().max(1.0) {
                break;
            }
        }
        (self.lon0_deg + lambda.to_degrees(), tau.atan().to_degrees())
    }
}

/// τ′ = tan χ (the conformal latitude) of τ = tan φ (Karney 2011, eqs. 7–9).
fn conformal_tau(tau: f64, e: f64) -> f64 {
    let sigma = (e * (e * tau / (1.0 + tau * tau).sqrt()).atanh()).sinh();
    tau * (1.0 + sigma * sigma).sqrt() - sigma * (1.0 + tau * tau).sqrt()
}

/// The ellipsoid's constants of Krüger's series.
struct Series {
    e: f64,
    rectifying_radius: f64,
    alpha: [f64; 6],
    beta: [f64; 6],
}

impl Series {
    fn wgs84() -> Series {
        let f = WGS84_F;
        let n = f / (2.0 - f);
        let [n2, n3, n4, n5, n6] = [n.powi(2), n.powi(3), n.powi(4), n.powi(5), n.powi(6)];
        Series {
            e: (f * (2.0 - f)).sqrt(),
            rectifying_radius: WGS84_A_M / (1.0 + n) * (1.0 + n2 / 4.0 + n4 / 64.0 + n6 / 256.0),
            alpha: [
                n / 2.0 - 2.0 * n2 / 3.0 + 5.0 * n3 / 16.0 + 41.0 * n4 / 180.0 - 127.0 * n5 / 288.0
                    + 7891.0 * n6 / 37800.0,
                13.0 * n2 / 48.0 - 3.0 * n3 / 5.0 + 557.0 * n4 / 1440.0 + 281.0 * n5 / 630.0
                    - 1_983_433.0 * n6 / 1_935_360.0,
                61.0 * n3 / 240.0 - 103.0 * n4 / 140.0 + 15061.0 * n5 / 26880.0 + 167_603.0 * n6 / 181_440.0,
                49561.0 * n4 / 161_280.0 - 179.0 * n5 / 168.0 + 6_601_661.0 * n6 / 7_257_600.0,
                34729.0 * n5 / 80640.0 - 3_418_889.0 * n6 / 1_995_840.0,
                212_378_941.0 * n6 / 319_334_400.0,
            ],
            beta: [
                n / 2.0 - 2.0 * n2 / 3.0 + 37.0 * n3 / 96.0 - n4 / 360.0 - 81.0 * n5 / 512.0 + 96199.0 * n6 / 604_800.0,
                n2 / 48.0 + n3 / 15.0 - 437.0 * n4 / 1440.0 + 46.0 * n5 / 105.0 - 1_118_711.0 * n6 / 3_870_720.0,
                17.0 * n3 / 480.0 - 37.0 * n4 / 840.0 - 209.0 * n5 / 4480.0 + 5569.0 * n6 / 90720.0,
                4397.0 * n4 / 161_280.0 - 11.0 * n5 / 504.0 - 830_251.0 * n6 / 7_257_600.0,
                4583.0 * n5 / 161_280.0 - 108_847.0 * n6 / 3_991_680.0,
                20_648_693.0 * n6 / 638_668_800.0,
            ],
        }
    }
}
