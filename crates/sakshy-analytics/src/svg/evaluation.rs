//! Charts of a pilot's evaluation: the event-study coefficients with their intervals (e.g. from
//! [`crate::evaluation::event_study`]), and the monthly means of the treated and comparison units with the
//! start of the pilot marked.

use std::fmt::Write as _;

use super::plot::{
    Key, LEGEND_ROW, SERIES_COLOURS, Shape, YScale, check_interval, error_bar, legend, legend_rows, marker, nice_range,
    non_empty, plot_left, shape_of, ticks_width, x_axis, y_axis,
};
use super::{
    CHART_TOP, ChartText, Document, INK, NumberFormat, PAD, SvgError, esc, polyline, px, sanitise_id, title_width,
};

/// Colour and marker of the periods before the start and from the start on (blue circles, vermillion squares).
pub(super) const PRE: (&str, Shape) = (SERIES_COLOURS[0], Shape::Circle);
pub(super) const POST: (&str, Shape) = (SERIES_COLOURS[1], Shape::Square);

/// The event-study coefficients: the effect at each period relative to the start, with intervals; the reference
/// period is 0 by construction.
#[derive(Clone, Copy)]
pub struct EventStudyChart<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// The coefficients, in strictly ascending order of period. A point at the reference period is drawn as
    /// the reference marker (hollow, at 0), not as an estimate.
    pub points: &'a [EventPoint],
    /// The period the others are relative to, usually −1; drawn as a hollow marker at 0.
    pub reference_period: i64,
    /// Label of the horizontal axis, e.g. "Months since the pilot started".
    pub x_label: &'a str,
    /// Label of the vertical axis, e.g. "Effect on events per month".
    pub y_label: &'a str,
    /// Text by the dashed vertical line between periods −1 and 0, e.g. "Pilot starts".
    pub start_label: &'a str,
    /// Legend label of the periods before the start (negative), e.g. "Before the pilot".
    pub pre_label: &'a str,
    /// Legend label of the periods from the start on (0 and later), e.g. "During the pilot".
    pub post_label: &'a str,
    /// Legend label of the hollow reference marker, e.g. "Reference month (0 by construction)".
    pub reference_label: &'a str,
    /// Formats the axis numbers (the periods too).
    pub format: NumberFormat<'a>,
}

/// One coefficient of an [`EventStudyChart`]; `low ≤ estimate ≤ high`, all finite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EventPoint {
    /// Period relative to the start (0 = the first treated period).
    pub period: i64,
    /// The estimated effect.
    pub estimate: f64,
    /// Low end of its interval.
    pub low: f64,
    /// High end of its interval.
    pub high: f64,
}

/// Monthly means of the treated and comparison units with the start marked.
#[derive(Clone, Copy)]
pub struct PanelChart<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// One label per month; thinned out on the axis when crowded.
    pub month_labels: &'a [String],
    /// The series, e.g. pilot and comparison quadrants.
    pub series: &'a [PanelSeries<'a>],
    /// Index of the first treated month in `month_labels`; the dashed line is drawn just before it.
    pub start_index: usize,
    /// Text by the dashed line, e.g. "Pilot starts".
    pub start_label: &'a str,
    /// Label of the vertical axis, e.g. "Events per quadrant and month".
    pub y_label: &'a str,
    /// Formats the axis numbers.
    pub format: NumberFormat<'a>,
}

/// One series of a [`PanelChart`].
#[derive(Debug, Clone, Copy)]
pub struct PanelSeries<'a> {
    /// Legend label, e.g. "Pilot quadrant".
    pub label: &'a str,
    /// One value per month; `None` leaves a gap.
    pub values: &'a [Option<f64>],
    /// Draws the series thicker, e.g. the treated units.
    pub emphasis: bool,
}

/// Height of the plot area of both charts, pixels.
const PLOT_H: f64 = 240.0;

/// A dashed vertical rule at `x` over the plot with `label` beside its top, on a white halo.
fn start_rule(doc: &mut Document, x: f64, scale: &YScale, label: &str) {
    let _ = write!(
        doc.out,
        r##"<line class="start" x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="4 3"/><text x="{}" y="{}" font-size="12" fill="{INK}" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">{}</text>"##,
        px(scale.top),
        px(scale.bottom),
        px(x + 5.0),
        px(scale.top + 12.0),
        esc(label),
        x = px(x),
    );
}

/// Draws the event-study coefficients.
///
/// # Errors
///
/// [`SvgError::Empty`] without points, [`SvgError::NotFinite`] and [`SvgError::BadInterval`] (`what` =
/// `"points"`, `index` the point), [`SvgError::NotAscending`] when the periods are not strictly ascending.
pub fn event_study_chart(chart: &EventStudyChart<'_>) -> Result<String, SvgError> {
    non_empty("points", chart.points)?;
    for (index, p) in chart.points.iter().enumerate() {
        check_interval((p.estimate, p.low, p.high), "points", index, None)?;
        if index > 0 && chart.points[index - 1].period >= p.period {
            return Err(SvgError::NotAscending { what: "points", index });
        }
    }
    let fmt = chart.format;
    let first = chart.points[0].period.min(chart.reference_period).min(-1);
    let last = chart.points[chart.points.len() - 1].period.max(chart.reference_period).max(0);
    let periods = (last - first + 1) as usize;
    let (lo, hi) = chart.points.iter().fold((0.0f64, 0.0f64), |(lo, hi), p| (lo.min(p.low), hi.max(p.high)));
    let ticks = nice_range(lo, hi);
    let left = plot_left(ticks_width(&ticks, fmt));
    let plot_w = (periods as f64 * 32.0).clamp(360.0, 880.0);
    let keys = [chart.pre_label, chart.post_label, chart.reference_label];
    let plot_top = CHART_TOP + legend_rows(&keys, plot_w) as f64 * LEGEND_ROW + 12.0;
    let scale = YScale { lo: ticks[0], hi: ticks[ticks.len() - 1], top: plot_top, bottom: plot_top + PLOT_H };
    let width = (left + plot_w + PAD).max(title_width(chart.text.title));
    let height = scale.bottom + 50.0 + PAD;
    let step = plot_w / periods as f64;
    let x_of = |period: f64| left + (period - first as f64 + 0.5) * step;

    let mut doc = Document::new(width, height, &chart.text);
    legend(
        &mut doc,
        left,
        plot_w,
        &[
            (Key::Marker { colour: PRE.0, shape: PRE.1, hollow: false }, chart.pre_label),
            (Key::Marker { colour: POST.0, shape: POST.1, hollow: false }, chart.post_label),
            (Key::Marker { colour: INK, shape: Shape::Circle, hollow: true }, chart.reference_label),
        ],
    );
    y_axis(&mut doc, &scale, (left, plot_w), &ticks, fmt, chart.y_label);
    let _ = write!(
        doc.out,
        r#"<line class="zero" x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{INK}" stroke-width="1.2"/>"#,
        px(left),
        px(left + plot_w),
        y = px(scale.y(0.0))
    );
    start_rule(&mut doc, x_of(-0.5), &scale, chart.start_label);
    for p in chart.points.iter().filter(|p| p.period != chart.reference_period) {
        let (colour, shape) = if p.period < 0 { PRE } else { POST };
        let x = x_of(p.period as f64);
        error_bar(&mut doc, x, (scale.y(p.low), scale.y(p.high)), colour, 1.8);
        marker(&mut doc, shape, (x, scale.y(p.estimate)), 4.5, colour, false);
    }
    marker(&mut doc, Shape::Circle, (x_of(chart.reference_period as f64), scale.y(0.0)), 4.5, INK, true);
    let labels: Vec<String> = (first..=last).map(|p| fmt(p as f64)).collect();
    x_axis(&mut doc, (left, plot_w), scale.bottom, &labels);
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
        px(left + plot_w / 2.0),
        px(scale.bottom + 38.0),
        esc(chart.x_label)
    );
    Ok(doc.finish())
}

/// Draws the monthly means of several series with the start marked.
///
/// # Errors
///
/// [`SvgError::Empty`] without months or series, [`SvgError::SeriesLength`] when a series does not have one
/// value per month, [`SvgError::NotFinite`] (`what` = `"series"`, `index` the series, `point` the month),
/// [`SvgError::OutOfRange`] when `start_index` is not a month.
pub fn panel_chart(chart: &PanelChart<'_>) -> Result<String, SvgError> {
    non_empty("month_labels", chart.month_labels)?;
    non_empty("series", chart.series)?;
    let n = chart.month_labels.len();
    for (index, series) in chart.series.iter().enumerate() {
        if series.values.len() != n {
            return Err(SvgError::SeriesLength { what: "values", index, got: series.values.len(), expected: n });
        }
        if let Some(point) = series.values.iter().position(|v| v.is_some_and(|v| !v.is_finite())) {
            return Err(SvgError::NotFinite { what: "series", index, point: Some(point) });
        }
    }
    if chart.start_index >= n {
        return Err(SvgError::OutOfRange { what: "start_index", index: chart.start_index, len: n });
    }
    let fmt = chart.format;
    let (lo, hi) = chart
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let ticks = if lo.is_finite() { nice_range(lo, hi) } else { vec![0.0, 1.0] };
    let left = plot_left(ticks_width(&ticks, fmt));
    let plot_w = (n as f64 * 28.0).clamp(360.0, 880.0);
    let labels: Vec<&str> = chart.series.iter().map(|s| s.label).collect();
    let plot_top = CHART_TOP + legend_rows(&labels, plot_w) as f64 * LEGEND_ROW + 12.0;
    let scale = YScale { lo: ticks[0], hi: ticks[ticks.len() - 1], top: plot_top, bottom: plot_top + PLOT_H };
    let width = (left + plot_w + PAD).max(title_width(chart.text.title));
    let height = scale.bottom + 30.0 + PAD;
    let step = plot_w / n as f64;
    let x_of = |k: f64| left + (k + 0.5) * step;

    let mut doc = Document::new(width, height, &chart.text);
    let entries: Vec<(Key<'_>, &str)> = chart
        .series
        .iter()
        .enumerate()
        .map(|(s, series)| {
            (Key::Series { colour: SERIES_COLOURS[s % 5], shape: shape_of(s), emphasis: series.emphasis }, series.label)
        })
        .collect();
    legend(&mut doc, left, plot_w, &entries);
    y_axis(&mut doc, &scale, (left, plot_w), &ticks, fmt, chart.y_label);
    start_rule(&mut doc, x_of(chart.start_index as f64 - 0.5), &scale, chart.start_label);
    let mut order: Vec<usize> = (0..chart.series.len()).collect();
    order.sort_by_key(|&s| chart.series[s].emphasis);
    let id = sanitise_id(chart.text.id);
    let _ = write!(doc.out, r#"<g id="{id}-series">"#);
    for s in order {
        let series = &chart.series[s];
        let colour = SERIES_COLOURS[s % 5];
        let (line_w, r) = if series.emphasis { (3.0, 4.0) } else { (1.5, 3.0) };
        let points: Vec<Option<(f64, f64)>> =
            series.values.iter().enumerate().map(|(k, v)| v.map(|v| (x_of(k as f64), scale.y(v)))).collect();
        polyline(&mut doc, &points, colour, line_w, None);
        for &point in points.iter().flatten() {
            marker(&mut doc, shape_of(s), point, r, colour, false);
        }
    }
    doc.out.push_str("</g>");
    x_axis(&mut doc, (left, plot_w), scale.bottom, chart.month_labels);
    Ok(doc.finish())
}
