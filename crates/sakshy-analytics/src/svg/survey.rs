//! Charts of survey estimates: a map of areas (quadrants) coloured by an estimate, each showing its interval,
//! and estimates over waves per group with error bars.
//!
//! Both show the uncertainty next to the number: a reader sees "62 (55–69)" and a bar from 55 to 69, never a
//! bare 62. Suppressed estimates (too few answers) show no number at all, only that they are suppressed.
//!
//! The map's ramp is ColorBrewer's YlGnBu (light yellow to dark blue), a sequential ramp for indices where
//! higher is better: it does not read as "danger" the way the red ramp of the heat maps does.

use std::fmt::Write as _;

use geo::{Centroid, Contains, InteriorPoint, LineString, MultiPolygon, Point, Polygon};

use super::plot::{
    Key, LEGEND_ROW, SERIES_COLOURS, YScale, check_domain, check_interval, error_bar, legend, legend_rows, marker,
    nice_range, non_empty, plot_left, shape_of, ticks_width, x_axis, y_axis,
};
use super::{
    Breaks, CHART_TOP, ChartText, Document, INK, INK_SOFT, MAP_MAX_PX, MISSING, NumberFormat, PAD, SvgError,
    class_edges, esc, legend_width, polyline, px, sanitise_id, scale_bar, text_px, title_width,
};

/// The map ramp: ColorBrewer YlGnBu, 9 classes, light to dark.
pub(super) const YL_GN_BU: [&str; 9] =
    ["#ffffd9", "#edf8b1", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#253494", "#081d58"];

/// Stripes of the hatch that marks suppressed areas (4.7:1 on white).
pub(super) const HATCH: &str = "#737373";

/// Halo behind text and glyphs on the map, so that they read on any fill: [`INK`] on white is 17:1.
pub(super) const HALO: &str = "#ffffff";

/// Width of an area's interval glyph, pixels.
pub(super) const GLYPH_W: f64 = 64.0;

/// A map of areas (quadrants) coloured by an estimate, each showing its confidence interval.
#[derive(Clone, Copy)]
pub struct Choropleth<'a> {
    /// Id, title and description. The description is followed in `<desc>` by each area's label and its
    /// number (or the suppressed / no-data label), so that a screen reader hears what the map shows.
    pub text: ChartText<'a>,
    /// The areas, drawn in this order.
    pub areas: &'a [ChoroplethArea<'a>],
    /// How the estimates are cut into classes (over the estimated areas' values).
    pub breaks: &'a Breaks,
    /// The range of each area's interval glyph, e.g. `(0, 100)` for an index; interval ends outside it are drawn
    /// at its edge.
    pub domain: (f64, f64),
    /// Title of the legend, e.g. "Trust index".
    pub legend_title: &'a str,
    /// Legend label of suppressed areas (hatched), e.g. "Fewer than 30 answers".
    pub suppressed_label: &'a str,
    /// Legend label of areas without data (light grey).
    pub no_data_label: &'a str,
    /// Legend label of the sample interval glyph, e.g. "95 % interval".
    pub interval_label: &'a str,
    /// The units of the scale bar: metres and kilometres, e.g. `["m", "km"]`.
    pub distance_units: [&'a str; 2],
    /// Formats the estimates, interval ends and legend numbers.
    pub format: NumberFormat<'a>,
}

/// One area of a [`Choropleth`].
#[derive(Debug, Clone, Copy)]
pub struct ChoroplethArea<'a> {
    /// Exterior rings in local metres, x east and y north (e.g. [`crate::projection`] output); closed for you.
    /// Several rings are several parts of one area.
    pub rings: &'a [Vec<(f64, f64)>],
    /// A short label, e.g. "Q01".
    pub label: &'a str,
    /// The estimate, or why there is none.
    pub value: AreaValue,
    /// Draws a thick outline, e.g. around the pilot quadrant.
    pub highlight: bool,
}

/// What an area of a [`Choropleth`] shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AreaValue {
    /// An estimate with its interval; `low ≤ value ≤ high`, all finite.
    Estimate {
        /// The estimate.
        value: f64,
        /// Low end of its interval.
        low: f64,
        /// High end of its interval.
        high: f64,
    },
    /// Too few answers to show (hatched, no number).
    Suppressed,
    /// No answers at all (light grey, no number).
    NoData,
}

/// Estimates over waves (or periods) per group, with error bars.
#[derive(Clone, Copy)]
pub struct IntervalChart<'a> {
    /// Id, title and description. The description is followed in `<desc>` by `suppressed_label` and the points
    /// left out, e.g. "Fewer than 30 answers: Q03 — Wave 2.".
    pub text: ChartText<'a>,
    /// One label per position on the horizontal axis, e.g. wave names.
    pub x_labels: &'a [String],
    /// The groups, each drawn in its own colour and marker and shifted a little sideways.
    pub series: &'a [IntervalSeries<'a>],
    /// Label of the vertical axis, e.g. "Trust index (0–100)".
    pub y_label: &'a str,
    /// The range of the vertical axis; `None` fits round numbers around the intervals.
    pub y_domain: Option<(f64, f64)>,
    /// What a missing point means, e.g. "Fewer than 30 answers" (used in the description).
    pub suppressed_label: &'a str,
    /// Formats the axis numbers.
    pub format: NumberFormat<'a>,
}

/// One group of an [`IntervalChart`].
#[derive(Debug, Clone, Copy)]
pub struct IntervalSeries<'a> {
    /// Legend label, e.g. "Q01".
    pub label: &'a str,
    /// One point per x label; `None` (suppressed or missing) leaves a gap and is listed in the description.
    pub points: &'a [Option<IntervalPoint>],
    /// Draws the series thicker, e.g. the pilot.
    pub emphasis: bool,
}

/// An estimate with its interval; `low ≤ value ≤ high`, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntervalPoint {
    /// The estimate.
    pub value: f64,
    /// Low end of the interval.
    pub low: f64,
    /// High end of the interval.
    pub high: f64,
}

/// "62 (55–69)": an estimate and its interval.
pub(super) fn interval_text(fmt: NumberFormat<'_>, value: f64, low: f64, high: f64) -> String {
    format!("{} ({}–{})", fmt(value), fmt(low), fmt(high))
}

/// The class of `value` among `edges` (as [`super::classify`] cuts them).
pub(super) fn class_of(edges: &[f64], value: f64) -> usize {
    let k = edges.len() - 1;
    (edges.partition_point(|&e| e <= value).max(1) - 1).min(k - 1)
}

/// `k` colours spread over the YlGnBu ramp, light to dark.
pub(super) fn map_ramp(k: usize) -> Vec<&'static str> {
    if k == 1 {
        return vec![YL_GN_BU[4]];
    }
    (0..k).map(|i| YL_GN_BU[((i * (YL_GN_BU.len() - 1)) as f64 / (k - 1) as f64).round() as usize]).collect()
}

/// A point inside the area for its label: the centroid when it is inside, else an interior point (of the
/// largest part). In metres.
pub(super) fn label_point(rings: &[Vec<(f64, f64)>]) -> Option<(f64, f64)> {
    let parts = MultiPolygon::new(
        rings
            .iter()
            .filter(|ring| ring.len() >= 3)
            .map(|ring| Polygon::new(LineString::from(ring.clone()), vec![]))
            .collect(),
    );
    let centroid: Option<Point> = parts.centroid();
    match centroid {
        Some(c) if parts.contains(&c) => Some(c.x_y()),
        _ => parts.interior_point().map(|p| p.x_y()),
    }
}

/// Draws a choropleth of estimates with their intervals.
///
/// # Errors
///
/// [`SvgError::Empty`] without areas, [`SvgError::NoRing`] for an area without a ring of three points,
/// [`SvgError::NotFinite`] (`what` = `"areas.rings"` or `"areas"`), [`SvgError::BadInterval`],
/// [`SvgError::BadDomain`] (`"domain"`), [`SvgError::BadClasses`], [`SvgError::BadBreaks`].
pub fn choropleth(map: &Choropleth<'_>) -> Result<String, SvgError> {
    non_empty("areas", map.areas)?;
    check_domain("domain", map.domain)?;
    for (index, area) in map.areas.iter().enumerate() {
        if area.rings.iter().flatten().any(|(x, y)| !(x.is_finite() && y.is_finite())) {
            return Err(SvgError::NotFinite { what: "areas.rings", index, point: None });
        }
        if !area.rings.iter().any(|ring| ring.len() >= 3) {
            return Err(SvgError::NoRing(index));
        }
        if let AreaValue::Estimate { value, low, high } = area.value {
            check_interval((value, low, high), "areas", index, None)?;
        }
    }
    let fmt = map.format;
    let estimates: Vec<f64> = map
        .areas
        .iter()
        .map(|a| match a.value {
            AreaValue::Estimate { value, .. } => value,
            _ => f64::NAN,
        })
        .collect();
    let edges = class_edges(&estimates, map.breaks)?;
    let palette = if edges.len() >= 2 { map_ramp(edges.len() - 1) } else { Vec::new() };

    // Fit the areas' bounding box, north up, leaving room around it for the labels of edge areas.
    let (x0, y0, x1, y1) = map
        .areas
        .iter()
        .flat_map(|a| a.rings.iter().flatten())
        .fold((f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY), |(a, b, c, d), &(x, y)| {
            (a.min(x), b.min(y), c.max(x), d.max(y))
        });
    let (span_x, span_y) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
    let inner = MAP_MAX_PX - 2.0 * MAP_MARGIN;
    let px_per_m = (inner / span_x).min(inner / span_y);
    let (map_w, map_h) = (span_x * px_per_m + 2.0 * MAP_MARGIN, span_y * px_per_m + 2.0 * MAP_MARGIN);
    let (left, top) = (PAD, CHART_TOP);
    let to_px = |(x, y): (f64, f64)| (left + MAP_MARGIN + (x - x0) * px_per_m, top + MAP_MARGIN + (y1 - y) * px_per_m);

    // The legend: classes, suppressed, no data, then the sample glyph.
    let class_labels: Vec<String> = (0..palette.len())
        .map(|c| {
            if edges[c] == edges[c + 1] {
                fmt(edges[c])
            } else {
                format!("{} – {}", fmt(edges[c]), fmt(edges[c + 1]))
            }
        })
        .collect();
    let legend_x = left + map_w + 24.0;
    let legend_w = legend_width(
        map.legend_title,
        class_labels.iter().map(String::as_str).chain([map.suppressed_label, map.no_data_label]),
    )
    .max(GLYPH_W + 8.0 + text_px(map.interval_label));
    let swatches = palette.len() + 2;
    let legend_h = 20.0 + 20.0 * swatches as f64 + 52.0;
    let width = (legend_x + legend_w + PAD).max(title_width(map.text.title));
    let height = (top + map_h + 48.0 + PAD).max(top + legend_h + PAD);

    let mut description = map.text.description.to_owned();
    for area in map.areas {
        let said = match area.value {
            AreaValue::Estimate { value, low, high } => interval_text(fmt, value, low, high),
            AreaValue::Suppressed => map.suppressed_label.to_owned(),
            AreaValue::NoData => map.no_data_label.to_owned(),
        };
        let _ = write!(description, "{}{}: {said}.", if description.is_empty() { "" } else { " " }, area.label);
    }
    let mut doc = Document::new(width, height, &ChartText { description: &description, ..map.text });
    let id = sanitise_id(map.text.id);
    let _ = write!(
        doc.out,
        r#"<defs><pattern id="{id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="{HALO}"/><line x1="1.5" y1="0" x2="1.5" y2="6" stroke="{HATCH}" stroke-width="2"/></pattern></defs>"#
    );
    let hatch = format!("url(#{id}-hatch)");
    let fill_of = |value: &AreaValue| -> String {
        match *value {
            AreaValue::Estimate { value, .. } if !palette.is_empty() => palette[class_of(&edges, value)].to_owned(),
            AreaValue::Estimate { .. } | AreaValue::NoData => MISSING.to_owned(),
            AreaValue::Suppressed => hatch.clone(),
        }
    };
    let path_of = |rings: &[Vec<(f64, f64)>]| -> String {
        let mut d = String::new();
        for ring in rings.iter().filter(|ring| ring.len() >= 3) {
            for (k, &point) in ring.iter().enumerate() {
                let (x, y) = to_px(point);
                let _ = write!(d, "{}{} {}", if k == 0 { "M" } else { "L" }, px(x), px(y));
            }
            d.push('Z');
        }
        d
    };
    // Areas, then the thick outlines of highlighted ones on top, then the labels on top of everything.
    for area in map.areas {
        let _ = write!(
            doc.out,
            r#"<path d="{}" fill="{}" stroke="{INK_SOFT}" stroke-width="0.8" stroke-linejoin="round"/>"#,
            path_of(area.rings),
            fill_of(&area.value)
        );
    }
    for area in map.areas.iter().filter(|a| a.highlight) {
        let _ = write!(
            doc.out,
            r#"<path d="{}" fill="none" stroke="{HALO}" stroke-width="{}" stroke-linejoin="round"/><path d="{}" fill="none" stroke="{INK}" stroke-width="{HIGHLIGHT_W}" stroke-linejoin="round"/>"#,
            path_of(area.rings),
            HIGHLIGHT_W + 2.0,
            path_of(area.rings),
        );
    }
    let glyph_x = |v: f64, x: f64| {
        x + (v.clamp(map.domain.0, map.domain.1) - map.domain.0) / (map.domain.1 - map.domain.0) * GLYPH_W
    };
    for area in map.areas {
        let Some(point) = label_point(area.rings) else { continue };
        let (cx, cy) = to_px(point);
        match area.value {
            AreaValue::Estimate { value, low, high } => {
                halo_text(&mut doc, (cx, cy - 15.0), 12.0, true, area.label);
                halo_text(&mut doc, (cx, cy), 12.0, false, &interval_text(fmt, value, low, high));
                let gx = cx - GLYPH_W / 2.0;
                glyph(&mut doc, gx, cy + 11.0, (glyph_x(low, gx), glyph_x(value, gx), glyph_x(high, gx)));
            }
            AreaValue::Suppressed | AreaValue::NoData => {
                halo_text(&mut doc, (cx, cy + 4.0), 12.0, true, area.label);
            }
        }
    }
    let _ = write!(
        doc.out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK_SOFT}" stroke-width="1"/>"#,
        px(left),
        px(top),
        px(map_w),
        px(map_h)
    );
    scale_bar(&mut doc, left, top + map_h + 14.0, map_w, px_per_m, map.distance_units);

    // Legend.
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
        px(legend_x),
        px(top + 10.0),
        esc(map.legend_title)
    );
    let entries = palette
        .iter()
        .map(|c| (*c).to_owned())
        .zip(class_labels.iter().map(String::as_str))
        .chain([(hatch.clone(), map.suppressed_label), (MISSING.to_owned(), map.no_data_label)]);
    for (k, (fill, label)) in entries.enumerate() {
        let y = top + 20.0 + 20.0 * k as f64;
        let _ = write!(
            doc.out,
            r#"<rect x="{}" y="{}" width="14" height="14" fill="{fill}" stroke="{INK_SOFT}" stroke-width="0.5"/><text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
            px(legend_x + 1.0),
            px(y),
            px(legend_x + 22.0),
            px(y + 11.0),
            esc(label)
        );
    }
    // The sample glyph: an interval over the middle of the domain.
    let y = top + 20.0 + 20.0 * swatches as f64 + 14.0;
    let (gx, span) = (legend_x + 1.0, map.domain.1 - map.domain.0);
    let sample = |f: f64| glyph_x(map.domain.0 + f * span, gx);
    glyph(&mut doc, gx, y, (sample(0.35), sample(0.55), sample(0.7)));
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="12" fill="{INK}">{}</text><text x="{}" y="{}" font-size="10" fill="{INK_SOFT}">{}</text><text x="{}" y="{}" font-size="10" fill="{INK_SOFT}" text-anchor="end">{}</text>"#,
        px(gx + GLYPH_W + 8.0),
        px(y + 4.0),
        esc(map.interval_label),
        px(gx),
        px(y + 20.0),
        esc(&fmt(map.domain.0)),
        px(gx + GLYPH_W),
        px(y + 20.0),
        esc(&fmt(map.domain.1)),
    );
    Ok(doc.finish())
}

/// Room around the areas inside the map frame, pixels.
const MAP_MARGIN: f64 = 24.0;
/// Width of the outline of a highlighted area.
pub(super) const HIGHLIGHT_W: f64 = 3.5;

/// Centred text in [`INK`] on a white halo.
fn halo_text(doc: &mut Document, (x, y): (f64, f64), size: f64, bold: bool, text: &str) {
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="{size}"{} fill="{INK}" stroke="{HALO}" stroke-width="3" stroke-linejoin="round" paint-order="stroke" text-anchor="middle">{}</text>"#,
        px(x),
        px(y),
        if bold { r#" font-weight="bold""# } else { "" },
        esc(text)
    );
}

/// An interval glyph at (`x`, `y`), [`GLYPH_W`] wide: a white plate, a thin axis over the domain, a bar from
/// low to high and a tick at the value (pixel x positions).
fn glyph(doc: &mut Document, x: f64, y: f64, (low, value, high): (f64, f64, f64)) {
    let _ = write!(
        doc.out,
        r#"<g class="interval"><rect x="{}" y="{}" width="{}" height="12" rx="2" fill="{HALO}" fill-opacity="0.9"/><line class="axis" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK_SOFT}" stroke-width="1"/><line class="bar" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}" stroke-width="4"/><line class="tick" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="2"/></g>"#,
        px(x - 2.0),
        px(y - 6.0),
        px(GLYPH_W + 4.0),
        px(x),
        px(x + GLYPH_W),
        px(low),
        px(high.max(low + 0.5)),
        px(value),
        px(y - 5.0),
        px(value),
        px(y + 5.0),
        y = px(y),
    );
}

/// Draws estimates over waves per group with error bars.
///
/// # Errors
///
/// [`SvgError::Empty`] without x labels or series, [`SvgError::SeriesLength`] when a series does not have one
/// point per x label, [`SvgError::NotFinite`] and [`SvgError::BadInterval`] (`what` = `"series"`, `index` the
/// series, `point` the point), [`SvgError::BadDomain`] (`"y_domain"`).
pub fn interval_chart(chart: &IntervalChart<'_>) -> Result<String, SvgError> {
    non_empty("x_labels", chart.x_labels)?;
    non_empty("series", chart.series)?;
    let n = chart.x_labels.len();
    for (index, series) in chart.series.iter().enumerate() {
        if series.points.len() != n {
            return Err(SvgError::SeriesLength { what: "points", index, got: series.points.len(), expected: n });
        }
        for (k, point) in series.points.iter().enumerate() {
            if let Some(p) = point {
                check_interval((p.value, p.low, p.high), "series", index, Some(k))?;
            }
        }
    }
    if let Some(domain) = chart.y_domain {
        check_domain("y_domain", domain)?;
    }
    let fmt = chart.format;
    let ticks = match chart.y_domain {
        Some((lo, hi)) => nice_range(lo, hi).into_iter().filter(|t| (lo - 1e-9..=hi + 1e-9).contains(t)).collect(),
        None => {
            let (lo, hi) = chart
                .series
                .iter()
                .flat_map(|s| s.points.iter().flatten())
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| (lo.min(p.low), hi.max(p.high)));
            if lo.is_finite() { nice_range(lo, hi) } else { vec![0.0, 1.0] }
        }
    };
    let (lo, hi) = chart.y_domain.unwrap_or((ticks[0], ticks[ticks.len() - 1]));

    let left = plot_left(ticks_width(&ticks, fmt));
    let plot_w = (n as f64 * (40.0 + 14.0 * chart.series.len() as f64)).clamp(320.0, 880.0);
    let labels: Vec<&str> = chart.series.iter().map(|s| s.label).collect();
    let rows = legend_rows(&labels, plot_w);
    let plot_top = CHART_TOP + rows as f64 * LEGEND_ROW + 12.0;
    let plot_h = 240.0;
    let scale = YScale { lo, hi, top: plot_top, bottom: plot_top + plot_h };
    let width = (left + plot_w + PAD).max(title_width(chart.text.title));
    let height = scale.bottom + 30.0 + PAD;
    let step = plot_w / n as f64;
    // Series sit side by side within a category, at most 14 px apart and within 60 % of its width.
    let count = chart.series.len();
    let dodge = (step * 0.6 / count as f64).min(14.0);
    let x_of = |s: usize, k: usize| left + (k as f64 + 0.5) * step + (s as f64 - (count as f64 - 1.0) / 2.0) * dodge;

    let mut missing = String::new();
    for series in chart.series {
        let gaps: Vec<&str> = series
            .points
            .iter()
            .zip(chart.x_labels)
            .filter(|(p, _)| p.is_none())
            .map(|(_, label)| label.as_str())
            .collect();
        if !gaps.is_empty() {
            let _ =
                write!(missing, "{}{} — {}", if missing.is_empty() { "" } else { "; " }, series.label, gaps.join(", "));
        }
    }
    let description = if missing.is_empty() {
        chart.text.description.to_owned()
    } else {
        format!("{} {}: {missing}.", chart.text.description, chart.suppressed_label).trim_start().to_owned()
    };
    let mut doc = Document::new(width, height, &ChartText { description: &description, ..chart.text });
    let entries: Vec<(Key<'_>, &str)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(s, series)| {
            let key = Key::Series { colour: SERIES_COLOURS[s % 5], shape: shape_of(s), emphasis: series.emphasis };
            (key, series.label)
        })
        .collect();
    legend(&mut doc, left, plot_w, &entries);
    y_axis(&mut doc, &scale, (left, plot_w), &ticks, fmt, chart.y_label);
    // Emphasised series last, so that they are drawn on top.
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by_key(|&s| chart.series[s].emphasis);
    // Points outside a given `y_domain` are cut off at a little beyond its ends.
    let id = sanitise_id(chart.text.id);
    let _ = write!(
        doc.out,
        r#"<defs><clipPath id="{id}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs><g clip-path="url(#{id}-clip)">"#,
        px(left),
        px(scale.top - 6.0),
        px(plot_w),
        px(plot_h + 12.0)
    );
    for s in order {
        let series = &chart.series[s];
        let colour = SERIES_COLOURS[s % 5];
        let (line_w, bar_w, r) = if series.emphasis { (2.5, 2.5, 5.0) } else { (1.2, 1.5, 3.5) };
        let centres: Vec<Option<(f64, f64)>> =
            series.points.iter().enumerate().map(|(k, p)| p.map(|p| (x_of(s, k), scale.y(p.value)))).collect();
        polyline(&mut doc, &centres, colour, line_w, None);
        for (k, p) in series.points.iter().enumerate() {
            let Some(p) = p else { continue };
            error_bar(&mut doc, x_of(s, k), (scale.y(p.low), scale.y(p.high)), colour, bar_w);
            marker(&mut doc, shape_of(s), (x_of(s, k), scale.y(p.value)), r, colour, false);
        }
    }
    doc.out.push_str("</g>");
    x_axis(&mut doc, (left, plot_w), scale.bottom, chart.x_labels);
    Ok(doc.finish())
}
