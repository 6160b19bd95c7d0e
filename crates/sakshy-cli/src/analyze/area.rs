//! The study area of `sakshy analyze`: polygons (from a GeoJSON file, or the stored quadrants) in the
//! analysis's metres, the share of each grid cell that lies inside them, and whether an event is inside.
//!
//! The share of a cell is computed exactly (up to rounding): each ring of the area is clipped to the cell with
//! the Sutherland–Hodgman algorithm (first to the cell's row, then to the cell), and the clipped ring's area is
//! taken by the shoelace formula; holes subtract. Clipping a ring, convex or not, to a convex window can leave
//! zero-width slivers along the window's edges, but they enclose no area, so the area is right. Overlapping
//! polygons are merged first (their union), so no part of the area counts twice.
//!
//! References: Sutherland & Hodgman (1974), "Reentrant polygon clipping", *Communications of the ACM*
//! 17(1):32–42.

use std::path::Path;

use anyhow::{Context, bail};
use geo::orient::{Direction, Orient};
use geo::{Area, Intersects};
use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon};
use sakshy_analytics::Grid;
use serde_json::Value;

/// The area an analysis covers, in the analysis's metres.
#[derive(Debug, Clone)]
pub(crate) struct StudyArea {
    /// Where it came from, for the output: e.g. `file area.geojson`, `quadrants of SHY`.
    pub(crate) source: String,
    /// The union of its polygons.
    pub(crate) area: MultiPolygon<f64>,
    /// The rings of the polygons as given (e.g. each quadrant's boundary), for drawing.
    outlines: Vec<Vec<(f64, f64)>>,
}

impl StudyArea {
    /// The union of `polygons` (metres), whatever the winding of their rings.
    ///
    /// # Errors
    ///
    /// When the union is empty.
    pub(crate) fn from_polygons(source: String, polygons: &[Polygon<f64>]) -> anyhow::Result<StudyArea> {
        // The union's fill rule follows the first ring's winding; GeoJSON files do not always wind exteriors
        // counter-clockwise and holes clockwise (RFC 7946 asks parsers to accept either), so orient them first.
        let oriented: Vec<Polygon<f64>> = polygons.iter().map(|p| p.orient(Direction::Default)).collect();
        let area = geo::unary_union(&oriented);
        if area.0.is_empty() || area.unsigned_area() == 0.0 {
            bail!("the study area ({source}) has no area");
        }
        let outlines = polygons
            .iter()
            .flat_map(|polygon| std::iter::once(polygon.exterior()).chain(polygon.interiors()))
            .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
            .collect();
        Ok(StudyArea { source, area, outlines })
    }

    /// The polygons of a GeoJSON file (a `FeatureCollection`, `Feature`, `Polygon`, `MultiPolygon` or
    /// `GeometryCollection`), their positions turned into metres by `to_metres`. `planar`: positions are metres
    /// already (only checked to be finite); otherwise WGS84 `[lon, lat]` degrees.
    ///
    /// # Errors
    ///
    /// The file cannot be read or is not GeoJSON of polygons; every problem names the feature.
    pub(crate) fn from_geojson(
        path: &Path,
        planar: bool,
        to_metres: &dyn Fn(f64, f64) -> (f64, f64),
    ) -> anyhow::Result<StudyArea> {
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let value: Value =
            serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))?;
        let mut polygons = Vec::new();
        collect_polygons(&value, "the file", planar, &mut polygons)
            .with_context(|| format!("in {}", path.display()))?;
        let polygons: Vec<Polygon<f64>> = polygons
            .into_iter()
            .map(|rings| {
                let mut rings = rings.into_iter().map(|ring| {
                    LineString::from(
                        ring.into_iter()
                            .map(|[a, b]| {
                                let (x, y) = to_metres(a, b);
                                Coord { x, y }
                            })
                            .collect::<Vec<_>>(),
                    )
                });
                let exterior = rings.next().expect("a polygon has an exterior ring");
                Polygon::new(exterior, rings.collect())
            })
            .collect();
        if polygons.is_empty() {
            bail!("{} has no polygons", path.display());
        }
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        StudyArea::from_polygons(format!("file {name}"), &polygons)
    }

    /// `(xmin, ymin, xmax, ymax)`, metres.
    pub(crate) fn bounds(&self) -> Option<(f64, f64, f64, f64)> {
        use geo::BoundingRect;
        self.area.bounding_rect().map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
    }

    /// Area, m².
    pub(crate) fn area_m2(&self) -> f64 {
        self.area.unsigned_area()
    }

    /// The rings of the polygons as given (exteriors and holes; e.g. every quadrant's boundary), for drawing.
    pub(crate) fn rings(&self) -> Vec<Vec<(f64, f64)>> {
        self.outlines.clone()
    }

    /// The share of each cell of `grid` (flat, row-major) inside the area, in `[0, 1]` ([`Grid::area_shares`]).
    pub(crate) fn cell_fractions(&self, grid: &Grid) -> Vec<f64> {
        let polygons: Vec<Vec<Vec<(f64, f64)>>> = self
            .area
            .0
            .iter()
            .map(|polygon| {
                std::iter::once(polygon.exterior())
                    .chain(polygon.interiors())
                    .map(|ring| ring.coords().map(|c| (c.x, c.y)).collect())
                    .collect()
            })
            .collect();
        grid.area_shares(&polygons)
    }

    /// Whether `(x, y)` is inside the area (its boundary included), using the cell shares of `grid` to skip the
    /// polygon test for cells wholly inside or outside.
    pub(crate) fn contains(&self, fractions: &[f64], grid: &Grid, (x, y): (f64, f64)) -> bool {
        match grid.index_of(x, y).map(|i| fractions[i]) {
            Some(1.0) => true,
            Some(0.0) => false,
            _ => self.area.intersects(&Point::new(x, y)),
        }
    }
}

/// Positions of a polygon: rings of `[a, b]`.
type RawPolygon = Vec<Vec<[f64; 2]>>;

fn collect_polygons(value: &Value, at: &str, planar: bool, out: &mut Vec<RawPolygon>) -> anyhow::Result<()> {
    let kind = value.get("type").and_then(Value::as_str).with_context(|| format!("{at}: no GeoJSON \"type\""))?;
    match kind {
        "FeatureCollection" => {
            let features = value
                .get("features")
                .and_then(Value::as_array)
                .with_context(|| format!("{at}: a FeatureCollection needs a \"features\" array"))?;
            for (index, feature) in features.iter().enumerate() {
                collect_polygons(feature, &format!("feature {index}"), planar, out)?;
            }
        }
        "Feature" => match value.get("geometry") {
            Some(geometry) if !geometry.is_null() => collect_polygons(geometry, at, planar, out)?,
            _ => bail!("{at}: the feature has no geometry"),
        },
        "GeometryCollection" => {
            let geometries = value
                .get("geometries")
                .and_then(Value::as_array)
                .with_context(|| format!("{at}: a GeometryCollection needs a \"geometries\" array"))?;
            for geometry in geometries {
                collect_polygons(geometry, at, planar, out)?;
            }
        }
        "Polygon" => out.push(polygon(coordinates(value, at)?, at, planar)?),
        "MultiPolygon" => {
            let parts =
                coordinates(value, at)?.as_array().with_context(|| format!("{at}: coordinates must be an array"))?;
            for part in parts {
                out.push(polygon(part, at, planar)?);
            }
        }
        other => bail!("{at}: a {other} is not an area; give Polygon or MultiPolygon geometries"),
    }
    Ok(())
}

fn coordinates<'v>(value: &'v Value, at: &str) -> anyhow::Result<&'v Value> {
    value.get("coordinates").with_context(|| format!("{at}: the geometry has no \"coordinates\""))
}

fn polygon(value: &Value, at: &str, planar: bool) -> anyhow::Result<RawPolygon> {
    let rings = value.as_array().with_context(|| format!("{at}: a polygon must be an array of rings"))?;
    if rings.is_empty() {
        bail!("{at}: a polygon needs at least an exterior ring");
    }
    rings
        .iter()
        .map(|ring| {
            let positions = ring.as_array().with_context(|| format!("{at}: a ring must be an array of positions"))?;
            let ring = positions
                .iter()
                .map(|position| {
                    let pair = position.as_array().filter(|p| p.len() >= 2).and_then(|p| Some([p[0].as_f64()?, p[1].as_f64()?]));
                    let Some([a, b]) = pair.filter(|[a, b]| a.is_finite() && b.is_finite()) else {
                        bail!("{at}: the position {position} is not a pair of numbers");
                    };
                    if !planar && (a.abs() > 180.0 || b.abs() > 90.0) {
                        bail!(
                            "{at}: the position [{a}, {b}] is not [longitude, latitude] in degrees (with --xy, positions \
                             are metres)"
                        );
                    }
                    Ok([a, b])
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            if ring.len() < 3 {
                bail!("{at}: a ring needs at least 3 positions");
            }
            Ok(ring)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, side: f64) -> Polygon<f64> {
        Polygon::new(
            LineString::from(vec![(x0, y0), (x0 + side, y0), (x0 + side, y0 + side), (x0, y0 + side), (x0, y0)]),
            vec![],
        )
    }

    #[test]
    fn shares_of_cells_are_exact_for_a_triangle_and_a_hole() {
        // A right triangle over a 2 × 2 grid of 10 m cells: the diagonal halves the two cells it crosses.
        let triangle = Polygon::new(LineString::from(vec![(0.0, 0.0), (20.0, 0.0), (0.0, 20.0)]), vec![]);
        let area = StudyArea::from_polygons("test".into(), &[triangle]).unwrap();
        let grid = Grid::new(0.0, 0.0, 10.0, 2, 2).unwrap();
        let shares = area.cell_fractions(&grid);
        let expected = [1.0, 0.5, 0.5, 0.0];
        for (share, want) in shares.iter().zip(expected) {
            assert!((share - want).abs() < 1e-12, "{shares:?}");
        }
        // A 30 m square with a 10 m hole in its middle cell.
        let holed =
            Polygon::new(square(0.0, 0.0, 30.0).exterior().clone(), vec![square(10.0, 10.0, 10.0).exterior().clone()]);
        let area = StudyArea::from_polygons("test".into(), &[holed]).unwrap();
        let grid = Grid::new(0.0, 0.0, 10.0, 3, 3).unwrap();
        let shares = area.cell_fractions(&grid);
        assert_eq!(shares, vec![1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 1.0]);
        // The same with the rings wound the other way (clockwise exterior, counter-clockwise hole).
        let reversed = |ring: &LineString<f64>| LineString::from(ring.coords().rev().copied().collect::<Vec<_>>());
        let square_30 = square(0.0, 0.0, 30.0);
        let holed_cw = Polygon::new(reversed(square_30.exterior()), vec![square(10.0, 10.0, 10.0).exterior().clone()]);
        let area_cw = StudyArea::from_polygons("test".into(), &[holed_cw]).unwrap();
        assert_eq!(area_cw.cell_fractions(&grid), shares);
        assert!(area.contains(&shares, &grid, (5.0, 5.0)));
        assert!(!area.contains(&shares, &grid, (15.0, 15.0)));
        assert!(!area.contains(&shares, &grid, (45.0, 15.0)));
    }

    #[test]
    fn overlapping_polygons_count_once_and_a_concave_polygon_clips_right() {
        let area =
            StudyArea::from_polygons("test".into(), &[square(0.0, 0.0, 20.0), square(10.0, 10.0, 20.0)]).unwrap();
        assert!((area.area_m2() - 700.0).abs() < 1e-6);
        let grid = Grid::new(0.0, 0.0, 10.0, 3, 3).unwrap();
        let total: f64 = area.cell_fractions(&grid).iter().sum::<f64>() * 100.0;
        assert!((total - 700.0).abs() < 1e-6, "{total}");
        // A U shape (a 30 m square without the notch 10..20 × 10..30), whose rows cross the ring twice.
        let u = Polygon::new(
            LineString::from(vec![
                (0.0, 0.0),
                (30.0, 0.0),
                (30.0, 30.0),
                (20.0, 30.0),
                (20.0, 10.0),
                (10.0, 10.0),
                (10.0, 30.0),
                (0.0, 30.0),
            ]),
            vec![],
        );
        let area = StudyArea::from_polygons("test".into(), &[u]).unwrap();
        // Cells 15 m wide: the notch takes 25 m² of each southern cell and 75 m² of each northern one.
        let grid = Grid::new(0.0, 0.0, 15.0, 2, 2).unwrap();
        let shares = area.cell_fractions(&grid);
        let expected = [200.0 / 225.0, 200.0 / 225.0, 150.0 / 225.0, 150.0 / 225.0];
        for (share, want) in shares.iter().zip(expected) {
            assert!((share - want).abs() < 1e-9, "{shares:?}");
        }
    }

    #[test]
    fn geojson_positions_are_checked_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("area.geojson");
        let write = |text: &str| std::fs::write(&path, text).unwrap();
        let identity = |a: f64, b: f64| (a, b);
        write(
            r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[0,0]}}]}"#,
        );
        let err = format!("{:#}", StudyArea::from_geojson(&path, true, &identity).unwrap_err());
        assert!(err.contains("feature 0: a Point is not an area"), "{err}");
        write(r#"{"type":"Polygon","coordinates":[[[0,0],[500,0],[500,95]]]}"#);
        let err = format!("{:#}", StudyArea::from_geojson(&path, false, &identity).unwrap_err());
        assert!(err.contains("is not [longitude, latitude]"), "{err}");
        let area = StudyArea::from_geojson(&path, true, &identity).unwrap();
        assert!((area.area_m2() - 500.0 * 95.0 / 2.0).abs() < 1e-6);
        assert_eq!(area.source, "file area.geojson");
    }
}
