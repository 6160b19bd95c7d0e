//! Maps drawn by the server as inline SVG: quadrant boundaries in a local equirectangular projection (metres
//! east and north of the view's centre, `sakshy_analytics::LocalProjection`), the pilot quadrant highlighted,
//! police points, appeals as dots, a legend and a scale bar, and a `<title>` on everything a pointer can reach.
//! Nothing is fetched: no tiles, no fonts, no script libraries.
//!
//! Quadrants can be links (`/q/{code}`), so that a click on the map finds a quadrant without JavaScript; a map
//! made for picking a place carries the numbers a small script needs to turn a click into (lat, lon).

use std::fmt::Write as _;

use geo_types::{LineString, Rect, coord};
use sakshy_analytics::LocalProjection;
use sakshy_core::{Code, Level, PolicePoint, TerritoryVersion};

use crate::Registry;
use crate::pages::PageContext;

/// The drawing's width in SVG units; the page scales it to the screen.
const WIDTH: f64 = 640.0;
/// Room under the map for the legend and the scale bar.
const LEGEND_HEIGHT: f64 = 118.0;

/// What a map shows.
pub struct MapSpec<'a> {
    /// The accessible title of the whole map.
    pub title: String,
    /// The area shown, as (lon, lat); `None` for the whole city.
    pub bounds: Option<Rect<f64>>,
    /// Whether each quadrant links to its page.
    pub link_quadrants: bool,
    /// A quadrant drawn as selected.
    pub selected: Option<&'a Code>,
    /// Police points to draw.
    pub points: Vec<&'a PolicePoint>,
    /// Appeals to draw as dots, (lon, lat).
    pub appeals: Vec<(f64, f64)>,
    /// Whether the map is for picking a place (a script turns a click into lat/lon).
    pub picker: bool,
}

/// The view: a projection and the affine map from metres to SVG units.
struct View {
    projection: LocalProjection,
    min_x: f64,
    max_x: f64,
    min_y: f64,
    max_y: f64,
    scale: f64,
    height: f64,
}

impl View {
    /// The view of `bounds`, widened or heightened about its centre so that its height is between a fifth and
    /// one and a half of its width (a drawing that fits a phone's screen).
    fn new(bounds: Rect<f64>) -> Option<View> {
        let centre = bounds.center();
        let projection = LocalProjection::new(centre.x, centre.y).ok()?;
        let (mut min_x, mut min_y) = projection.forward(bounds.min().x, bounds.min().y);
        let (mut max_x, mut max_y) = projection.forward(bounds.max().x, bounds.max().y);
        let (span_x, span_y) = ((max_x - min_x).max(1.0), (max_y - min_y).max(1.0));
        if span_y > span_x * 1.5 {
            let grow = (span_y / 1.5 - span_x) / 2.0;
            (min_x, max_x) = (min_x - grow, max_x + grow);
        } else if span_y < span_x / 5.0 {
            let grow = (span_x / 5.0 - span_y) / 2.0;
            (min_y, max_y) = (min_y - grow, max_y + grow);
        }
        let scale = WIDTH / (max_x - min_x).max(1.0);
        let height = (max_y - min_y).max(1.0) * scale;
        Some(View { projection, min_x, max_x, min_y, max_y, scale, height })
    }

    /// SVG (x, y) of (lon, lat).
    fn xy(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.projection.forward(lon, lat);
        ((x - self.min_x) * self.scale, (self.max_y - y) * self.scale)
    }

    /// The (lon, lat) rectangle the view shows.
    fn shown(&self) -> Rect<f64> {
        let (west, south) = self.projection.inverse(self.min_x, self.min_y);
        let (east, north) = self.projection.inverse(self.max_x, self.max_y);
        Rect::new(coord! { x: west, y: south }, coord! { x: east, y: north })
    }
}

/// Escapes text for SVG/HTML content and attributes.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn ring_path(view: &View, ring: &LineString<f64>, out: &mut String) {
    for (i, c) in ring.coords().enumerate() {
        let (x, y) = view.xy(c.x, c.y);
        let _ = write!(out, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
    }
    out.push('Z');
}

fn territory_path(view: &View, version: &TerritoryVersion) -> String {
    let mut d = String::new();
    for polygon in version.territory.geometry() {
        ring_path(view, polygon.exterior(), &mut d);
        for interior in polygon.interiors() {
            ring_path(view, interior, &mut d);
        }
    }
    d
}

fn intersects(a: &Rect<f64>, b: &Rect<f64>) -> bool {
    a.min().x <= b.max().x && b.min().x <= a.max().x && a.min().y <= b.max().y && b.min().y <= a.max().y
}

/// A round length for the scale bar, about a fifth of the map's width, in metres.
fn scale_length_m(width_m: f64) -> f64 {
    let target = width_m / 5.0;
    let magnitude = 10f64.powf(target.log10().floor());
    [1.0, 2.0, 5.0, 10.0].iter().map(|k| k * magnitude).rfind(|len| *len <= target).unwrap_or(magnitude)
}

/// The bounds of every quadrant of the city, as (lon, lat).
fn city_bounds(registry: &Registry) -> Option<Rect<f64>> {
    registry.level(Level::Quadrant).map(|v| v.territory.bbox()).reduce(|a, b| {
        Rect::new(
            coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
            coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
        )
    })
}

/// The smallest rectangle holding `rect` and every point, as (lon, lat).
pub fn covering(rect: Rect<f64>, points: impl Iterator<Item = geo_types::Point<f64>>) -> Rect<f64> {
    points.fold(rect, |r, p| {
        Rect::new(
            coord! { x: r.min().x.min(p.x()), y: r.min().y.min(p.y()) },
            coord! { x: r.max().x.max(p.x()), y: r.max().y.max(p.y()) },
        )
    })
}

/// Grows a (lon, lat) rectangle by a fraction of its size on every side.
pub fn padded(rect: Rect<f64>, fraction: f64) -> Rect<f64> {
    let (dx, dy) = (rect.width() * fraction, rect.height() * fraction);
    Rect::new(
        coord! { x: rect.min().x - dx, y: rect.min().y - dy },
        coord! { x: rect.max().x + dx, y: rect.max().y + dy },
    )
}

/// Draws a map as inline SVG markup (already escaped; insert it with `|safe`). Empty when nothing is loaded.
pub fn render(registry: &Registry, page: &PageContext, spec: &MapSpec<'_>) -> String {
    let Some(bounds) = spec.bounds.or_else(|| city_bounds(registry).map(|b| padded(b, 0.02))) else {
        return String::new();
    };
    let Some(view) = View::new(bounds) else { return String::new() };
    let lang = page.lang;
    let total_height = view.height + LEGEND_HEIGHT;
    let mut svg = String::with_capacity(32 * 1024);
    let bounds = view.shown();
    let (west, north) = (bounds.min().x, bounds.max().y);
    let picker = if spec.picker {
        // The script inverts the projection linearly: over a view this small the equirectangular projection is
        // linear in lon and lat, so two numbers per axis suffice.
        let (x1, _) = view.xy(bounds.max().x, north);
        let (_, y1) = view.xy(west, bounds.min().y);
        format!(
            " data-west=\"{west}\" data-north=\"{north}\" data-dlon=\"{}\" data-dlat=\"{}\" data-w=\"{x1:.3}\" data-h=\"{y1:.3}\"",
            bounds.max().x - west,
            north - bounds.min().y,
        )
    } else {
        String::new()
    };
    let _ = write!(
        svg,
        "<svg class=\"map\" id=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {total_height:.0}\" \
         aria-labelledby=\"map-title\"{picker}><title id=\"map-title\">{}</title>\
         <defs><clipPath id=\"map-clip\"><rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{h:.1}\"/></clipPath></defs>\
         <rect x=\"0\" y=\"0\" width=\"{WIDTH}\" height=\"{h:.1}\" fill=\"#f7f9fb\"/><g clip-path=\"url(#map-clip)\">",
        escape(&spec.title),
        h = view.height
    );
    // Quadrants in view: each a path with its name, the pilot highlighted, the selected one outlined.
    svg.push_str("<g stroke-linejoin=\"round\">");
    for version in registry.level(Level::Quadrant).filter(|v| intersects(&v.territory.bbox(), &bounds)) {
        let territory = &version.territory;
        let selected = spec.selected == Some(territory.code());
        let (fill, stroke, width) = match (selected, territory.pilot()) {
            (true, _) => ("#9fc3e6", "#0b3d6b", 3.0),
            (false, true) => ("#ffe08a", "#8a5a00", 1.5),
            (false, false) => ("#e8eef5", "#5a6b7d", 0.8),
        };
        let name = territory.name().get(lang);
        let title = if territory.pilot() {
            format!("{name} ({}) — {}", territory.code(), page.t("portal-map-pilot"))
        } else {
            format!("{name} ({})", territory.code())
        };
        let path = format!(
            "<path d=\"{}\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"{width}\" fill-rule=\"evenodd\"><title>{}</title></path>",
            territory_path(&view, version),
            escape(&title)
        );
        if spec.link_quadrants {
            let _ = write!(svg, "<a href=\"/q/{}?lang={}\">{path}</a>", territory.code(), lang.code());
        } else {
            svg.push_str(&path);
        }
    }
    svg.push_str("</g>");
    // District boundaries over the quadrants, without fill, so that a district reads as a whole.
    svg.push_str("<g fill=\"none\" stroke=\"#333\" stroke-width=\"1.6\" pointer-events=\"none\">");
    for version in registry.level(Level::District).filter(|v| intersects(&v.territory.bbox(), &bounds)) {
        let _ = write!(svg, "<path d=\"{}\"/>", territory_path(&view, version));
    }
    svg.push_str("</g>");
    // Appeals as small dots, then police points on top.
    if !spec.appeals.is_empty() {
        svg.push_str("<g class=\"appeals\" fill=\"#0b5e2c\" fill-opacity=\"0.75\" pointer-events=\"none\">");
        for (lon, lat) in &spec.appeals {
            let (x, y) = view.xy(*lon, *lat);
            let _ = write!(svg, "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3\"/>");
        }
        svg.push_str("</g>");
    }
    // Clicks go through a point to the quadrant under it (its link, or the picker's place): a resident tapping the
    // dot of their police point means the place, and the points' names are listed beside every map.
    svg.push_str("<g fill=\"#a4000f\" stroke=\"#fff\" stroke-width=\"1.5\" pointer-events=\"none\">");
    for point in &spec.points {
        let (x, y) = view.xy(point.location.x(), point.location.y());
        let _ = write!(
            svg,
            "<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"6\"><title>{}</title></circle>",
            escape(point.name.get(lang))
        );
    }
    svg.push_str("</g>");
    if spec.picker {
        svg.push_str(
            "<circle id=\"map-marker\" cx=\"-20\" cy=\"-20\" r=\"8\" fill=\"none\" stroke=\"#1a1a1a\" stroke-width=\"3\" \
             pointer-events=\"none\"/>",
        );
    }
    svg.push_str("</g>");
    // The legend (two columns) and the scale bar, large enough to read when a phone shrinks the drawing.
    let y0 = view.height + 10.0;
    let width_m = WIDTH / view.scale;
    let bar_m = scale_length_m(width_m);
    let bar_px = bar_m * view.scale;
    let label = |x: f64, y: f64, text: &str| {
        format!("<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"18\" fill=\"#1a1a1a\">{}</text>", escape(text))
    };
    let (row1, row2) = (y0 + 46.0, y0 + 72.0);
    let _ = write!(
        svg,
        "<g font-family=\"system-ui, sans-serif\"><text x=\"8\" y=\"{:.1}\" font-size=\"18\" font-weight=\"700\" \
         fill=\"#1a1a1a\">{}</text>\
         <rect x=\"8\" y=\"{:.1}\" width=\"20\" height=\"14\" fill=\"#e8eef5\" stroke=\"#5a6b7d\"/>{}\
         <rect x=\"8\" y=\"{:.1}\" width=\"20\" height=\"14\" fill=\"#ffe08a\" stroke=\"#8a5a00\"/>{}\
         <circle cx=\"330\" cy=\"{:.1}\" r=\"7\" fill=\"#a4000f\" stroke=\"#fff\"/>{}",
        y0 + 16.0,
        escape(&page.t("portal-map-legend")),
        row1 - 13.0,
        label(36.0, row1, &page.t("portal-map-quadrant")),
        row2 - 13.0,
        label(36.0, row2, &page.t("portal-map-pilot")),
        row1 - 6.0,
        label(344.0, row1, &page.t("portal-map-point")),
    );
    if !spec.appeals.is_empty() {
        let _ = write!(
            svg,
            "<circle cx=\"330\" cy=\"{:.1}\" r=\"4\" fill=\"#0b5e2c\"/>{}",
            row2 - 6.0,
            label(344.0, row2, &page.t("portal-map-appeal"))
        );
    }
    let bar_y = y0 + 96.0;
    let distance = if bar_m >= 1000.0 { format!("{} 000", bar_m / 1000.0) } else { format!("{bar_m}") };
    let _ = write!(
        svg,
        "<path d=\"M8 {bar_y:.1}h{bar_px:.1}\" stroke=\"#1a1a1a\" stroke-width=\"3\"/>\
         <path d=\"M8 {:.1}v8M{:.1} {:.1}v8\" stroke=\"#1a1a1a\" stroke-width=\"1.5\"/>{}</g></svg>",
        bar_y - 4.0,
        8.0 + bar_px,
        bar_y - 4.0,
        label(16.0 + bar_px, bar_y + 6.0, &page.t1("portal-map-scale", "distance", distance)),
    );
    svg
}

/// The script that turns a click on a picker map into lat/lon fields (`#lat`, `#lon`) and moves the marker.
/// Progressive enhancement: without it, the form still takes an address or a police point.
pub const PICKER_SCRIPT: &str = r#"(function(){var m=document.getElementById('map');if(!m||!m.dataset.west)return;
var la=document.getElementById('lat'),lo=document.getElementById('lon'),mk=document.getElementById('map-marker');
m.style.cursor='crosshair';m.addEventListener('click',function(e){var p=m.createSVGPoint();p.x=e.clientX;p.y=e.clientY;
var q=p.matrixTransform(m.getScreenCTM().inverse()),d=m.dataset;if(q.x<0||q.y<0||q.x>+d.w||q.y>+d.h)return;e.preventDefault();
var lon=+d.west+q.x/ +d.w*+d.dlon,lat=+d.north-q.y/ +d.h*+d.dlat;la.value=lat.toFixed(6);lo.value=lon.toFixed(6);
if(mk){mk.setAttribute('cx',q.x);mk.setAttribute('cy',q.y);}if(m.dataset.submit){la.form.submit();}});})();"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_is_a_round_length() {
        assert_eq!(scale_length_m(20_000.0), 2_000.0);
        assert_eq!(scale_length_m(3_000.0), 500.0);
        assert_eq!(scale_length_m(60_000.0), 10_000.0);
    }
}
