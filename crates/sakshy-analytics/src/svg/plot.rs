//! Pieces shared by the x–y plots of [`super::survey`] and [`super::evaluation`]: checks of the inputs, round
//! axis ticks over any range, the vertical axis, thinned category labels, series colours and marker shapes, and
//! a legend that wraps above the plot.

use std::fmt::Write as _;

use super::{CHART_TOP, Document, INK, NumberFormat, PAD, SvgError, esc, px, text_px};

/// Series colours: Okabe & Ito's colourblind-safe palette without its three light colours (orange, sky blue,
/// yellow), so that every one contrasts at least 3:1 with white (WCAG 1.4.11). Series `k` takes colour
/// `k mod 5` and marker `k mod 5`.
pub(super) const SERIES_COLOURS: [&str; 5] = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#000000"];

/// Gridlines behind a plot.
pub(super) const GRIDLINE: &str = "#d9d9d9";

/// Marker shapes, told apart without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

/// The marker of series `k`.
pub(super) fn shape_of(k: usize) -> Shape {
    [Shape::Circle, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::TriangleDown][k % 5]
}

/// A marker of radius about `r` at (x, y): filled with `colour`, or white inside a `colour` outline when hollow.
pub(super) fn marker(doc: &mut Document, shape: Shape, (x, y): (f64, f64), r: f64, colour: &str, hollow: bool) {
    let paint = if hollow {
        format!(r##"fill="#ffffff" stroke="{colour}" stroke-width="2""##)
    } else {
        format!(r##"fill="{colour}" stroke="#ffffff" stroke-width="1""##)
    };
    let _ = match shape {
        Shape::Circle => write!(doc.out, r#"<circle cx="{}" cy="{}" r="{}" {paint}/>"#, px(x), px(y), px(r)),
        Shape::Square => {
            let s = r * 0.9;
            write!(
                doc.out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" {paint}/>"#,
                px(x - s),
                px(y - s),
                px(2.0 * s),
                px(2.0 * s)
            )
        }
        Shape::Triangle | Shape::TriangleDown => {
            let (s, sign) = (r * 1.2, if shape == Shape::Triangle { 1.0 } else { -1.0 });
            write!(
                doc.out,
                r#"<path d="M{} {}L{} {}L{} {}Z" {paint}/>"#,
                px(x),
                px(y - sign * s),
                px(x + s * 0.87),
                px(y + sign * s * 0.5),
                px(x - s * 0.87),
                px(y + sign * s * 0.5)
            )
        }
        Shape::Diamond => {
            let s = r * 1.25;
            write!(
                doc.out,
                r#"<path d="M{} {}L{} {}L{} {}L{} {}Z" {paint}/>"#,
                px(x),
                px(y - s),
                px(x + s),
                px(y),
                px(x),
                px(y + s),
                px(x - s),
                px(y)
            )
        }
    };
}

/// Checks that a list is not empty.
pub(super) fn non_empty<T>(what: &'static str, list: &[T]) -> Result<(), SvgError> {
    if list.is_empty() { Err(SvgError::Empty(what)) } else { Ok(()) }
}

/// Checks an estimate and its interval: all finite and `low ≤ value ≤ high`.
pub(super) fn check_interval(
    (value, low, high): (f64, f64, f64),
    what: &'static str,
    index: usize,
    point: Option<usize>,
) -> Result<(), SvgError> {
    if !(value.is_finite() && low.is_finite() && high.is_finite()) {
        return Err(SvgError::NotFinite { what, index, point });
    }
    if low > value || value > high {
        return Err(SvgError::BadInterval { what, index, point });
    }
    Ok(())
}

/// Checks a caller's range: two finite numbers, the first below the second.
pub(super) fn check_domain(what: &'static str, (lo, hi): (f64, f64)) -> Result<(), SvgError> {
    if lo.is_finite() && hi.is_finite() && lo < hi { Ok(()) } else { Err(SvgError::BadDomain(what)) }
}

/// About 5 round ticks (1, 2 or 5 times a power of ten apart) from at most `lo` to at least `hi`; a range of
/// one value is widened around it.
pub(super) fn nice_range(lo: f64, hi: f64) -> Vec<f64> {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        (lo - lo.abs() * 0.1, hi + hi.abs() * 0.1)
    };
    let rough = (hi - lo) / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|&s| s >= rough).unwrap_or(10.0 * power);
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    // `k · step` rather than repeated sums, and divided by a whole power of ten rather than multiplied by a
    // fraction, so that ticks are the round numbers they print as; `+ 0.0` turns −0 into 0.
    let (whole, divisor) = if power < 1.0 { (step / power, (1.0 / power).round()) } else { (step, 1.0) };
    (first..=last.max(first + 1)).map(|k| (k as f64 * whole.round()) / divisor + 0.0).collect()
}

/// The vertical scale of a plot: values from `ticks[0]` to the last tick over `top`–`bottom` pixels.
#[derive(Debug, Clone, Copy)]
pub(super) struct YScale {
    pub(super) lo: f64,
    pub(super) hi: f64,
    pub(super) top: f64,
    pub(super) bottom: f64,
}

impl YScale {
    /// The pixel row of `value`.
    pub(super) fn y(&self, value: f64) -> f64 {
        self.bottom - (value - self.lo) / (self.hi - self.lo) * (self.bottom - self.top)
    }
}

/// Width of the widest tick label.
pub(super) fn ticks_width(ticks: &[f64], fmt: NumberFormat<'_>) -> f64 {
    ticks.iter().map(|&t| text_px(&fmt(t))).fold(0.0, f64::max)
}

/// Left edge of a plot whose tick labels are `tick_w` wide, leaving room for the rotated axis label.
pub(super) fn plot_left(tick_w: f64) -> f64 {
    PAD + 18.0 + tick_w + 8.0
}

/// Gridlines, tick labels and the rotated label of the vertical axis.
pub(super) fn y_axis(
    doc: &mut Document,
    scale: &YScale,
    (left, width): (f64, f64),
    ticks: &[f64],
    fmt: NumberFormat<'_>,
    label: &str,
) {
    let _ = write!(
        doc.out,
        r#"<text transform="translate({} {}) rotate(-90)" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
        px(PAD + 10.0),
        px((scale.top + scale.bottom) / 2.0),
        esc(label)
    );
    for &tick in ticks {
        let y = scale.y(tick);
        let _ = write!(
            doc.out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{GRIDLINE}" stroke-width="1"/><text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="end">{}</text>"#,
            px(left),
            px(left + width),
            px(left - 6.0),
            px(y + 4.0),
            esc(&fmt(tick)),
            y = px(y),
        );
    }
}

/// The baseline of a plot and one label per category centred under it, thinned so that they do not overlap.
pub(super) fn x_axis(doc: &mut Document, (left, width): (f64, f64), bottom: f64, labels: &[String]) {
    let _ = write!(
        doc.out,
        r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}" stroke-width="1"/>"#,
        px(left),
        px(left + width),
        y = px(bottom)
    );
    let step = width / labels.len().max(1) as f64;
    let label_w = labels.iter().map(|l| text_px(l)).fold(0.0, f64::max) + 10.0;
    let every = ((label_w / step).ceil() as usize).max(1);
    for (k, label) in labels.iter().enumerate().filter(|(k, _)| k % every == 0) {
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="middle">{}</text>"#,
            px(left + (k as f64 + 0.5) * step),
            px(bottom + 16.0),
            esc(label)
        );
    }
}

/// How a legend entry above a plot is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Key<'a> {
    /// A line (thicker when emphasised) through a marker.
    Series { colour: &'a str, shape: Shape, emphasis: bool },
    /// A marker alone, hollow or filled.
    Marker { colour: &'a str, shape: Shape, hollow: bool },
}

/// Width of one legend entry with its label.
fn key_width(label: &str) -> f64 {
    26.0 + text_px(label) + 20.0
}

/// Rows of legend entries starting at `left`, wrapped to `width`: the number of rows.
pub(super) fn legend_rows(labels: &[&str], width: f64) -> usize {
    let mut rows = 1;
    let mut x = 0.0;
    for label in labels {
        let w = key_width(label);
        if x > 0.0 && x + w > width {
            rows += 1;
            x = 0.0;
        }
        x += w;
    }
    rows
}

/// Height of a row of the legend above a plot.
pub(super) const LEGEND_ROW: f64 = 20.0;

/// Draws the legend above a plot from `CHART_TOP`, wrapping at `width` as [`legend_rows`] counts.
pub(super) fn legend(doc: &mut Document, left: f64, width: f64, entries: &[(Key<'_>, &str)]) {
    let mut x = 0.0;
    let mut row = 0;
    for &(key, label) in entries {
        let w = key_width(label);
        if x > 0.0 && x + w > width {
            row += 1;
            x = 0.0;
        }
        let (kx, ky) = (left + x, CHART_TOP + 8.0 + row as f64 * LEGEND_ROW);
        match key {
            Key::Series { colour, shape, emphasis } => {
                let _ = write!(
                    doc.out,
                    r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{colour}" stroke-width="{}"/>"#,
                    px(kx),
                    px(kx + 18.0),
                    if emphasis { 3.0 } else { 1.5 },
                    y = px(ky)
                );
                marker(doc, shape, (kx + 9.0, ky), if emphasis { 4.5 } else { 3.5 }, colour, false);
            }
            Key::Marker { colour, shape, hollow } => marker(doc, shape, (kx + 9.0, ky), 4.0, colour, hollow),
        }
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
            px(kx + 26.0),
            px(ky + 4.0),
            esc(label)
        );
        x += w;
    }
}

/// A vertical error bar from `low` to `high` at `x`, with short caps.
pub(super) fn error_bar(doc: &mut Document, x: f64, (y_low, y_high): (f64, f64), colour: &str, width: f64) {
    let cap = 3.5;
    let _ = write!(
        doc.out,
        r#"<path class="error-bar" d="M{x} {lo}L{x} {hi}M{} {lo}L{} {lo}M{} {hi}L{} {hi}" fill="none" stroke="{colour}" stroke-width="{}"/>"#,
        px(x - cap),
        px(x + cap),
        px(x - cap),
        px(x + cap),
        px(width),
        x = px(x),
        lo = px(y_low),
        hi = px(y_high),
    );
}
