//! Charts as standalone SVG documents: grid heat maps (sequential, hot/cold, categorical), the Knox table as a
//! heat table, the weekday × hour matrix and a monthly series with last year beside it.
//!
//! Every function is pure: values and labels in, an SVG string out. Callers pass every piece of text (titles,
//! legend labels, units, a number formatter), so the web can show the charts in kk/ru/en and the command line in
//! English. A document needs nothing from outside — no fonts, scripts, stylesheets or images; text uses the
//! reader's `system-ui, sans-serif`. Each has `role="img"` with a `<title>` and a `<desc>` for screen readers,
//! a white background, and text whose contrast ratio with what is behind it is at least 4.5:1 (WCAG 2.x AA): dark
//! grey on white, and black or white — whichever contrasts more — on coloured cells (the better of the two is
//! always at least 4.58:1).
//!
//! Maps follow the [grid convention](crate::grid): row 0 is the southern row and is drawn at the bottom, north
//! is up, and overlays (boundaries, points) are given in the grid's metres. Cells whose value is NaN are not
//! drawn. Runs of equal colour along a row are drawn as one rectangle, so a 300 × 300 grid stays a few hundred
//! kilobytes.
//!
//! Colours: the sequential ramp is ColorBrewer's YlOrRd (9 classes), the hot/cold and Knox-ratio classes
//! ColorBrewer's RdYlBu (Brewer, Hatchard & Harrower 2003, *Cartography and Geographic Information Science*
//! 30(1):5–32). Hot/cold classes are ArcGIS's `Gi_Bin` convention: ±3, ±2, ±1 at 99, 95 and 90 % confidence.
//!
//! Survey and evaluation charts: a [`choropleth`] of estimates by area (ColorBrewer's YlGnBu ramp, each area
//! with its interval as text and as a small bar, suppressed areas hatched), an [`interval_chart`] of estimates
//! over waves with error bars, an [`event_study_chart`] and a [`panel_chart`] of monthly means around a start.
//! Their series use Okabe & Ito's colourblind-safe colours and distinct marker shapes; text on map fills sits on
//! a white halo.
//!
//! This module draws; it computes no statistics (classes are cut from the values given) and does no I/O.

use std::fmt::Write as _;

use crate::grid::Grid;

mod evaluation;
mod plot;
mod survey;

pub use evaluation::{EventPoint, EventStudyChart, PanelChart, PanelSeries, event_study_chart, panel_chart};
pub use survey::{
    AreaValue, Choropleth, ChoroplethArea, IntervalChart, IntervalPoint, IntervalSeries, choropleth, interval_chart,
};

/// Formats a number for a legend or axis (e.g. [`format_number`], or a localised formatter).
pub type NumberFormat<'a> = &'a dyn Fn(f64) -> String;

/// The text every chart needs: an id prefix and what screen readers announce.
#[derive(Debug, Clone, Copy)]
pub struct ChartText<'a> {
    /// Prefix of the element ids in the document (`{id}-title`, `{id}-desc`, `{id}-clip`); must be unique on a
    /// page that shows several charts inline. ASCII letters, digits, `-` and `_` are kept, anything else
    /// becomes `_`.
    pub id: &'a str,
    /// Title, shown above the chart and in `<title>`.
    pub title: &'a str,
    /// A sentence or two saying what the chart shows, in `<desc>` (not shown).
    pub description: &'a str,
}

/// How values are cut into the classes of a sequential ramp.
#[derive(Debug, Clone, PartialEq)]
pub enum Breaks {
    /// `k` classes of equal width from the smallest to the largest value (1 ≤ k ≤ 9).
    EqualInterval(usize),
    /// `k` classes holding about as many values each (nearest-rank quantiles; equal quantiles merge, so there
    /// may be fewer classes; 1 ≤ k ≤ 9).
    Quantile(usize),
    /// Class edges `[b₀, b₁, …, bₖ]`, strictly ascending (2 to 10 edges): class `i` is `[bᵢ, bᵢ₊₁)`, the last
    /// one closed; values below `b₀` go in the first class and above `bₖ` in the last.
    Explicit(Vec<f64>),
}

/// How the values of a [`HeatMap`] become colours.
#[derive(Debug, Clone, Copy)]
pub enum Scale<'a> {
    /// A light-to-dark ramp (YlOrRd) with classes cut by the breaks.
    Sequential {
        /// How the classes are cut.
        breaks: &'a Breaks,
    },
    /// Hot and cold spots. The values are z-scores; a cell is hot (cold) at 99, 95 or 90 % confidence when
    /// z ≥ 2.576, 1.960 or 1.645 (≤ the negatives), two-sided normal — or, when `bins` is given, its class is
    /// `bins[cell]` in −3…3 (e.g. [`crate::gistar::GiStar::hotspot_bins`] after FDR correction).
    HotCold {
        /// Per-cell classes −3…3 overriding the z thresholds; NaN values are still not drawn.
        bins: Option<&'a [i8]>,
        /// Legend labels of the classes −3, −2, −1, 0, +1, +2, +3 (cold 99 % … not significant … hot 99 %); the
        /// legend lists them hot first.
        labels: [&'a str; 7],
    },
    /// Categories: a value `k` (a whole number) is drawn in `classes[k].colour`; other values are not drawn.
    Categorical {
        /// Colour and legend label of each category.
        classes: &'a [Category<'a>],
    },
}

/// One category of a [`Scale::Categorical`] map.
#[derive(Debug, Clone, Copy)]
pub struct Category<'a> {
    /// Fill colour, `#rrggbb`.
    pub colour: &'a str,
    /// Legend label.
    pub label: &'a str,
}

/// The categories of a LISA cluster map, in the order of the values 0–4: not significant, HH, LH, LL, HL (the
/// codes of [`crate::moran::LocalMoran::clusters`]), with the colours GeoDa uses.
pub const LISA_COLOURS: [&str; 5] = ["#eeeeee", "#d7191c", "#abd9e9", "#2c7bb6", "#fdae61"];

/// A grid heat map. See the [module docs](self) for the conventions.
#[derive(Clone, Copy)]
pub struct HeatMap<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// The grid the values belong to.
    pub grid: &'a Grid,
    /// One value per cell, flat row-major (`row · ncols + col`, row 0 south); NaN is not drawn.
    pub values: &'a [f64],
    /// How values become colours.
    pub scale: Scale<'a>,
    /// Title of the legend, e.g. "Events per km²".
    pub legend_title: &'a str,
    /// Rings to outline (e.g. quadrant boundaries), each a list of (x, y) in the grid's metres; closed for you.
    pub rings: &'a [Vec<(f64, f64)>],
    /// Points to mark, (x, y) in the grid's metres.
    pub points: &'a [(f64, f64)],
    /// The units of the scale bar: metres and kilometres, e.g. `["m", "km"]`.
    pub distance_units: [&'a str; 2],
    /// Formats the numbers of the legend.
    pub format: NumberFormat<'a>,
}

/// The Knox / near-repeat table as a heat table: one cell per distance band (row) and time band (column),
/// coloured by the Knox ratio, with the significant cells framed and starred.
#[derive(Clone, Copy)]
pub struct KnoxHeatTable<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// Heading of the row labels, e.g. "Distance".
    pub row_header: &'a str,
    /// Heading above the column labels, e.g. "Days between events".
    pub col_header: &'a str,
    /// One label per row: same location, each distance band, beyond.
    pub row_labels: &'a [String],
    /// One label per column: each time band, beyond.
    pub col_labels: &'a [String],
    /// Knox ratios `[rows][cols]`; `None` where nothing was expected.
    pub knox_ratio: &'a [Vec<Option<f64>>],
    /// Which cells are significant `[rows][cols]` (e.g. p ≤ 0.05 and ratio above 1).
    pub significant: &'a [Vec<bool>],
    /// Title of the colour legend, e.g. "Knox ratio (observed / expected)".
    pub legend_title: &'a str,
    /// Legend label of the frame that marks significant cells, e.g. "Significant (p ≤ 0.05)".
    pub significant_label: &'a str,
    /// Legend label of cells without a ratio, e.g. "No pairs expected".
    pub missing_label: &'a str,
    /// Formats the ratios.
    pub format: NumberFormat<'a>,
}

/// The weekday × hour-of-day matrix as a heat map, with the events whose hour is unknown in a column of their
/// own (as numbers, not colours: they are per day, not per hour).
#[derive(Clone, Copy)]
pub struct WeekHourHeatMap<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// `[7][24]` counts, Monday first, hours 0–23 (as [`crate::temporal::WeekHourMatrix::counts`]).
    pub counts: &'a [[f64; 24]; 7],
    /// Events per weekday whose hour is unknown; `None` hides the column.
    pub hour_unknown: Option<&'a [f64; 7]>,
    /// Weekday labels, Monday first.
    pub day_labels: [&'a str; 7],
    /// Axis label of the hours, e.g. "Hour of day".
    pub hour_label: &'a str,
    /// Heading of the hour-unknown column, e.g. "Hour unknown".
    pub unknown_label: &'a str,
    /// Title of the legend, e.g. "Events".
    pub legend_title: &'a str,
    /// How counts are cut into classes.
    pub breaks: &'a Breaks,
    /// Formats the numbers.
    pub format: NumberFormat<'a>,
}

/// How the current series of a [`MonthlyChart`] is drawn; last year's is always a dashed line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesStyle {
    /// Bars.
    Bars,
    /// A line with markers.
    Line,
}

/// A monthly series (e.g. [`crate::temporal::MonthlyTrend`] counts) with the same months a year earlier.
#[derive(Clone, Copy)]
pub struct MonthlyChart<'a> {
    /// Id, title and description.
    pub text: ChartText<'a>,
    /// One label per month, e.g. `2016-01` or "Jan 2016"; thinned out on the axis when crowded.
    pub month_labels: &'a [String],
    /// One value per month.
    pub values: &'a [f64],
    /// The same months a year earlier (`None` where unknown); `None` draws no second series.
    pub previous_year: Option<&'a [Option<f64>]>,
    /// Legend label of the series, e.g. "Events".
    pub series_label: &'a str,
    /// Legend label of last year's series, e.g. "Same month last year".
    pub previous_label: &'a str,
    /// Label of the vertical axis, e.g. "Events per month".
    pub y_label: &'a str,
    /// Bars or a line.
    pub style: SeriesStyle,
    /// Formats the axis numbers.
    pub format: NumberFormat<'a>,
}

/// Why a chart cannot be drawn.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SvgError {
    /// A per-cell or per-month input does not have the length the chart needs.
    #[error("{what} has {got} entries but {expected} are needed")]
    Length {
        /// Which input.
        what: &'static str,
        /// Entries given.
        got: usize,
        /// Entries needed.
        expected: usize,
    },
    /// The grid has no cells.
    #[error("the grid has no cells to draw")]
    EmptyGrid,
    /// A number of classes outside 1–9.
    #[error("{0} classes asked for; a ramp has 1 to 9")]
    BadClasses(usize),
    /// Explicit breaks that are not 2–10 finite, strictly ascending edges.
    #[error("class edges must be 2 to 10 finite numbers in strictly ascending order")]
    BadBreaks,
    /// A hot/cold bin outside −3…3.
    #[error("cell {index} has hot/cold class {bin}; classes are -3 to 3")]
    BadBin {
        /// Flat index of the cell.
        index: usize,
        /// The class given.
        bin: i8,
    },
    /// A colour that is not `#rrggbb`.
    #[error("colour {0:?} is not #rrggbb")]
    BadColour(String),
    /// A chart given to [`stack`] that was not made by this module.
    #[error("chart {0} is not an SVG document made by this module")]
    NotAChart(usize),
    /// An input that needs at least one entry has none: `"areas"`, `"x_labels"`, `"series"`, `"points"` or
    /// `"month_labels"`.
    #[error("{0} is empty")]
    Empty(&'static str),
    /// A number that is NaN or infinite: entry `index` of the input `what` (an area, series or point), and for a
    /// series the position `point` within it.
    #[error("{what} {index}{} has a number that is not finite", at_point(*.point))]
    NotFinite {
        /// Which input, e.g. `"areas"`, `"areas.rings"`, `"series"`, `"points"`.
        what: &'static str,
        /// Which entry of it.
        index: usize,
        /// Which point of a series, if the entry is a series.
        point: Option<usize>,
    },
    /// An estimate outside its interval (`low > value` or `value > high`), located as in
    /// [`SvgError::NotFinite`].
    #[error("{what} {index}{} has an estimate outside its interval", at_point(*.point))]
    BadInterval {
        /// Which input, e.g. `"areas"`, `"series"`, `"points"`.
        what: &'static str,
        /// Which entry of it.
        index: usize,
        /// Which point of a series, if the entry is a series.
        point: Option<usize>,
    },
    /// A series whose list of points or values does not have one entry per label.
    #[error("{what} of series {index} has {got} entries but {expected} are needed")]
    SeriesLength {
        /// Which list: `"points"` or `"values"`.
        what: &'static str,
        /// Which series.
        index: usize,
        /// Entries given.
        got: usize,
        /// Entries needed.
        expected: usize,
    },
    /// A range that is not two finite numbers, the first below the second: `"domain"` or `"y_domain"`.
    #[error("{0} must be two finite numbers, the first below the second")]
    BadDomain(&'static str),
    /// Entries that must be in strictly ascending order (e.g. event-study periods) are not: entry `index` is not
    /// after the one before it.
    #[error("{what} {index} is not after the entry before it")]
    NotAscending {
        /// Which input.
        what: &'static str,
        /// The first entry out of order.
        index: usize,
    },
    /// An index past the end of the list it points into.
    #[error("{what} is {index} but there are only {len} entries")]
    OutOfRange {
        /// Which index, e.g. `"start_index"`.
        what: &'static str,
        /// The index given.
        index: usize,
        /// Entries in the list.
        len: usize,
    },
    /// A map area (by index) without a ring of at least three points.
    #[error("area {0} has no ring with at least three points")]
    NoRing(usize),
}

/// " point k" for an error located in a series, or nothing.
fn at_point(point: Option<usize>) -> String {
    point.map(|p| format!(" point {p}")).unwrap_or_default()
}

/// The sequential ramp: ColorBrewer YlOrRd, 9 classes, light to dark.
const SEQUENTIAL: [&str; 9] =
    ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"];

/// Hot/cold classes −3…+3: ColorBrewer RdYlBu, with light grey for "not significant".
const HOT_COLD: [&str; 7] = ["#4575b4", "#91bfdb", "#e0f3f8", "#eeeeee", "#fee090", "#fc8d59", "#d73027"];

/// Knox-ratio classes: below 0.5, 0.5–0.8, 0.8–1.2, 1.2–1.5, 1.5–2, 2 and above.
const RATIO_EDGES: [f64; 5] = [0.5, 0.8, 1.2, 1.5, 2.0];
const RATIO_COLOURS: [&str; 6] = ["#4575b4", "#91bfdb", "#f7f7f7", "#fee090", "#fc8d59", "#d73027"];
/// Fill of a Knox cell without a ratio.
const MISSING: &str = "#d9d9d9";

/// Text on the white background (contrast 17:1) and secondary text (contrast 8.5:1).
const INK: &str = "#1a1a1a";
const INK_SOFT: &str = "#4d4d4d";
/// The current series and last year's in [`monthly_chart`] (contrast with white 6.4:1 and 5.2:1).
const SERIES: &str = "#2166ac";
const SERIES_PREVIOUS: &str = "#b2182b";

const FONT: &str = "system-ui, sans-serif";
const PAD: f64 = 16.0;
/// Baseline of the title and top of the chart below it.
const TITLE_BASELINE: f64 = 32.0;
const CHART_TOP: f64 = 48.0;
/// The largest map, pixels, and the largest cell.
const MAP_MAX_PX: f64 = 640.0;
const CELL_MAX_PX: f64 = 40.0;
/// Rough width of a character of 12-px text, for laying out labels without font metrics.
const CHAR_PX: f64 = 7.0;

/// Two-sided normal critical values at 90, 95 and 99 % confidence.
const Z_90: f64 = 1.644_853_626_951_472_2;
const Z_95: f64 = 1.959_963_984_540_054;
const Z_99: f64 = 2.575_829_303_548_900_4;

/// Draws a grid heat map.
///
/// # Errors
///
/// [`SvgError::Length`] when `values` (or hot/cold `bins`) do not have one entry per cell,
/// [`SvgError::EmptyGrid`], [`SvgError::BadClasses`], [`SvgError::BadBreaks`], [`SvgError::BadBin`],
/// [`SvgError::BadColour`].
pub fn heat_map(map: &HeatMap<'_>) -> Result<String, SvgError> {
    let grid = map.grid;
    if grid.is_empty() {
        return Err(SvgError::EmptyGrid);
    }
    check_len("values", map.values.len(), grid.len())?;
    let (classes, legend) = classify(map.values, &map.scale, map.format)?;

    // Whole pixels per cell where cells are at least a pixel wide, so that rows and columns meet without seams.
    let fit = (MAP_MAX_PX / grid.ncols as f64).min(MAP_MAX_PX / grid.nrows as f64).min(CELL_MAX_PX);
    let cell_px = if fit >= 1.0 { fit.floor() } else { fit };
    let px_per_m = cell_px / grid.cell;
    let (map_w, map_h) = (grid.ncols as f64 * cell_px, grid.nrows as f64 * cell_px);
    let (left, top) = (PAD, CHART_TOP);
    let legend_x = left + map_w + 24.0;
    let legend_w = legend_width(map.legend_title, legend.iter().map(|entry| entry.label.as_str()));
    let legend_h = 20.0 + 20.0 * legend.len() as f64;
    let width = (legend_x + legend_w + PAD).max(title_width(map.text.title));
    let height = (top + map_h + 48.0 + PAD).max(top + legend_h + PAD);

    let mut doc = Document::new(width, height, &map.text);
    let id = sanitise_id(map.text.id);
    let _ = write!(
        doc.out,
        r#"<defs><clipPath id="{id}-clip"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath></defs>"#,
        px(left),
        px(top),
        px(map_w),
        px(map_h)
    );
    // Cells, one rectangle per run of equal colour along a row; row 0 at the bottom.
    doc.out.push_str(r#"<g shape-rendering="crispEdges">"#);
    for row in 0..grid.nrows {
        let y = top + (grid.nrows - 1 - row) as f64 * cell_px;
        let mut col = 0;
        while col < grid.ncols {
            let Some(colour) = classes[row * grid.ncols + col] else {
                col += 1;
                continue;
            };
            let start = col;
            while col < grid.ncols && classes[row * grid.ncols + col] == Some(colour) {
                col += 1;
            }
            let _ = write!(
                doc.out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                px(left + start as f64 * cell_px),
                px(y),
                px((col - start) as f64 * cell_px),
                px(cell_px),
                legend[colour].colour
            );
        }
    }
    doc.out.push_str("</g>");
    // The grid's outline.
    let _ = write!(
        doc.out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="{INK_SOFT}" stroke-width="1"/>"#,
        px(left),
        px(top),
        px(map_w),
        px(map_h)
    );
    // Overlays, clipped to the map.
    let to_px = |(x, y): (f64, f64)| {
        (left + (x - grid.x0) * px_per_m, top + (grid.y0 + grid.nrows as f64 * grid.cell - y) * px_per_m)
    };
    if !map.rings.is_empty() || !map.points.is_empty() {
        let _ = write!(doc.out, r#"<g clip-path="url(#{id}-clip)">"#);
        for ring in map.rings.iter().filter(|ring| ring.len() >= 2) {
            doc.out.push_str(r#"<path d=""#);
            for (k, &point) in ring.iter().enumerate() {
                let (x, y) = to_px(point);
                let _ = write!(doc.out, "{}{} {}", if k == 0 { "M" } else { "L" }, px(x), px(y));
            }
            let _ = write!(doc.out, r#"Z" fill="none" stroke="{INK}" stroke-width="1.2" stroke-linejoin="round"/>"#);
        }
        for &point in map.points {
            let (x, y) = to_px(point);
            let _ = write!(
                doc.out,
                r##"<circle cx="{}" cy="{}" r="2.5" fill="{INK}" stroke="#ffffff" stroke-width="0.75"/>"##,
                px(x),
                px(y)
            );
        }
        doc.out.push_str("</g>");
    }
    scale_bar(&mut doc, left, top + map_h + 14.0, map_w, px_per_m, map.distance_units);
    swatch_legend(&mut doc, legend_x, top, map.legend_title, &legend);
    Ok(doc.finish())
}

/// Draws the Knox table as a heat table.
///
/// # Errors
///
/// [`SvgError::Length`] when the labels, ratios and significance flags do not agree in shape.
pub fn knox_table(table: &KnoxHeatTable<'_>) -> Result<String, SvgError> {
    let (rows, cols) = (table.row_labels.len(), table.col_labels.len());
    check_len("knox_ratio rows", table.knox_ratio.len(), rows)?;
    check_len("significant rows", table.significant.len(), rows)?;
    for row in 0..rows {
        check_len("knox_ratio columns", table.knox_ratio[row].len(), cols)?;
        check_len("significant columns", table.significant[row].len(), cols)?;
    }
    let fmt = table.format;
    let label_w =
        (table.row_labels.iter().map(|l| text_px(l)).fold(text_px(table.row_header), f64::max) + 16.0).max(80.0);
    let cell_w = (table.col_labels.iter().map(|l| text_px(l)).fold(0.0, f64::max) + 16.0).max(72.0);
    let cell_h = 34.0;
    let (left, top) = (PAD, CHART_TOP + 40.0);
    let table_w = label_w + cols as f64 * cell_w;
    let table_h = rows as f64 * cell_h;

    let mut legend: Vec<LegendEntry> = (0..RATIO_COLOURS.len())
        .map(|k| LegendEntry {
            colour: RATIO_COLOURS[k].to_owned(),
            label: match k {
                0 => format!("< {}", fmt(RATIO_EDGES[0])),
                k if k == RATIO_EDGES.len() => format!("≥ {}", fmt(RATIO_EDGES[k - 1])),
                k => format!("{} – {}", fmt(RATIO_EDGES[k - 1]), fmt(RATIO_EDGES[k])),
            },
        })
        .collect();
    legend.reverse();
    legend.push(LegendEntry { colour: MISSING.to_owned(), label: table.missing_label.to_owned() });
    let legend_x = left + table_w + 24.0;
    let legend_w =
        legend_width(table.legend_title, legend.iter().map(|e| e.label.as_str()).chain([table.significant_label]));
    let legend_h = 20.0 + 20.0 * (legend.len() + 2) as f64;
    let width = (legend_x + legend_w + PAD).max(title_width(table.text.title));
    let height = (top + table_h + PAD).max(CHART_TOP + legend_h + PAD);

    let mut doc = Document::new(width, height, &table.text);
    // Headings.
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}" text-anchor="middle">{}</text>"#,
        px(left + label_w + cols as f64 * cell_w / 2.0),
        px(CHART_TOP + 10.0),
        esc(table.col_header)
    );
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
        px(left),
        px(top - 10.0),
        esc(table.row_header)
    );
    for (col, label) in table.col_labels.iter().enumerate() {
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
            px(left + label_w + (col as f64 + 0.5) * cell_w),
            px(top - 10.0),
            esc(label)
        );
    }
    for (row, label) in table.row_labels.iter().enumerate() {
        let y = top + row as f64 * cell_h;
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
            px(left),
            px(y + cell_h / 2.0 + 4.0),
            esc(label)
        );
        for col in 0..cols {
            let x = left + label_w + col as f64 * cell_w;
            let ratio = table.knox_ratio[row][col].filter(|r| r.is_finite());
            let fill = match ratio {
                Some(r) => RATIO_COLOURS[RATIO_EDGES.partition_point(|&edge| edge <= r)],
                None => MISSING,
            };
            let significant = table.significant[row][col];
            let _ = write!(
                doc.out,
                r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#ffffff" stroke-width="1"/>"##,
                px(x),
                px(y),
                px(cell_w),
                px(cell_h)
            );
            if significant {
                let _ = write!(
                    doc.out,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#000000" stroke-width="2.5"/>"##,
                    px(x + 2.5),
                    px(y + 2.5),
                    px(cell_w - 5.0),
                    px(cell_h - 5.0)
                );
            }
            let text = match ratio {
                Some(r) if significant => format!("{}*", fmt(r)),
                Some(r) => fmt(r),
                None => "–".to_owned(),
            };
            let _ = write!(
                doc.out,
                r#"<text x="{}" y="{}" font-size="13"{} fill="{}" text-anchor="middle">{}</text>"#,
                px(x + cell_w / 2.0),
                px(y + cell_h / 2.0 + 4.5),
                if significant { r#" font-weight="bold""# } else { "" },
                text_on(fill)?,
                esc(&text)
            );
        }
    }
    swatch_legend(&mut doc, legend_x, CHART_TOP, table.legend_title, &legend);
    // The significance frame, below the colour legend.
    let y = CHART_TOP + 20.0 + 20.0 * legend.len() as f64 + 12.0;
    let _ = write!(
        doc.out,
        r##"<rect x="{}" y="{}" width="14" height="14" fill="#ffffff" stroke="#000000" stroke-width="2.5"/><text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"##,
        px(legend_x + 1.0),
        px(y),
        px(legend_x + 22.0),
        px(y + 11.0),
        esc(&format!("* {}", table.significant_label))
    );
    Ok(doc.finish())
}

/// Draws the weekday × hour matrix.
///
/// # Errors
///
/// [`SvgError::BadClasses`], [`SvgError::BadBreaks`].
pub fn week_hour_heat_map(chart: &WeekHourHeatMap<'_>) -> Result<String, SvgError> {
    let values: Vec<f64> = chart.counts.iter().flatten().copied().collect();
    let (classes, legend) = classify(&values, &Scale::Sequential { breaks: chart.breaks }, chart.format)?;
    let cell = 22.0;
    let label_w = chart.day_labels.iter().map(|l| text_px(l)).fold(40.0, f64::max) + 12.0;
    let (left, top) = (PAD, CHART_TOP + 34.0);
    let grid_x = left + label_w;
    let unknown_w = if chart.hour_unknown.is_some() { text_px(chart.unknown_label).max(40.0) + 16.0 } else { 0.0 };
    let legend_x = grid_x + 24.0 * cell + unknown_w + 24.0;
    let legend_w = legend_width(chart.legend_title, legend.iter().map(|e| e.label.as_str()));
    let width = (legend_x + legend_w + PAD).max(title_width(chart.text.title));
    let height = (top + 7.0 * cell + PAD).max(CHART_TOP + 20.0 + 20.0 * legend.len() as f64 + PAD);

    let mut doc = Document::new(width, height, &chart.text);
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}" text-anchor="middle">{}</text>"#,
        px(grid_x + 12.0 * cell),
        px(CHART_TOP + 10.0),
        esc(chart.hour_label)
    );
    for hour in 0..24 {
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="middle">{hour}</text>"#,
            px(grid_x + (hour as f64 + 0.5) * cell),
            px(top - 6.0)
        );
    }
    doc.out.push_str(r#"<g shape-rendering="crispEdges">"#);
    for (day, label) in chart.day_labels.iter().enumerate() {
        let y = top + day as f64 * cell;
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="12" fill="{INK}" shape-rendering="auto">{}</text>"#,
            px(left),
            px(y + cell / 2.0 + 4.0),
            esc(label)
        );
        for hour in 0..24 {
            if let Some(class) = classes[day * 24 + hour] {
                let _ = write!(
                    doc.out,
                    r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#ffffff" stroke-width="1"/>"##,
                    px(grid_x + hour as f64 * cell),
                    px(y),
                    px(cell),
                    px(cell),
                    legend[class].colour
                );
            }
        }
    }
    doc.out.push_str("</g>");
    if let Some(unknown) = chart.hour_unknown {
        let x = grid_x + 24.0 * cell + 8.0 + unknown_w / 2.0;
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="middle">{}</text>"#,
            px(x),
            px(top - 6.0),
            esc(chart.unknown_label)
        );
        for (day, count) in unknown.iter().enumerate() {
            let _ = write!(
                doc.out,
                r#"<text x="{}" y="{}" font-size="12" fill="{INK_SOFT}" text-anchor="middle">{}</text>"#,
                px(x),
                px(top + day as f64 * cell + cell / 2.0 + 4.0),
                esc(&(chart.format)(*count))
            );
        }
    }
    swatch_legend(&mut doc, legend_x, CHART_TOP, chart.legend_title, &legend);
    Ok(doc.finish())
}

/// Draws a monthly series as bars or a line, with last year's as a dashed line.
///
/// # Errors
///
/// [`SvgError::Length`] when the labels, values and last year's values differ in length.
pub fn monthly_chart(chart: &MonthlyChart<'_>) -> Result<String, SvgError> {
    let n = chart.values.len();
    check_len("month_labels", chart.month_labels.len(), n)?;
    if let Some(previous) = chart.previous_year {
        check_len("previous_year", previous.len(), n)?;
    }
    let fmt = chart.format;
    let finite_max = chart
        .values
        .iter()
        .copied()
        .chain(chart.previous_year.into_iter().flatten().flatten().copied())
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let ticks = nice_ticks(finite_max);
    let y_max = *ticks.last().expect("nice_ticks returns at least two ticks");
    let tick_w = ticks.iter().map(|&t| text_px(&fmt(t))).fold(0.0, f64::max);
    let plot_left = PAD + 18.0 + tick_w + 8.0;
    let plot_top = CHART_TOP + 28.0;
    let plot_w = (n as f64 * 28.0).clamp(360.0, 880.0);
    let plot_h = 220.0;
    let plot_bottom = plot_top + plot_h;
    let step = plot_w / n.max(1) as f64;
    let width = (plot_left + plot_w + PAD).max(title_width(chart.text.title));
    let height = plot_bottom + 30.0 + PAD;
    let y_of = |v: f64| plot_bottom - v / y_max * plot_h;

    let mut doc = Document::new(width, height, &chart.text);
    // Series legend above the plot.
    let current = match chart.style {
        SeriesStyle::Bars => Swatch::Bar,
        SeriesStyle::Line => Swatch::Line,
    };
    let x = series_legend_item(&mut doc, plot_left, current, chart.series_label);
    if chart.previous_year.is_some() {
        series_legend_item(&mut doc, x, Swatch::Dashed, chart.previous_label);
    }
    // Axis label, rotated along the vertical axis.
    let _ = write!(
        doc.out,
        r#"<text transform="translate({} {}) rotate(-90)" font-size="12" fill="{INK}" text-anchor="middle">{}</text>"#,
        px(PAD + 10.0),
        px(plot_top + plot_h / 2.0),
        esc(chart.y_label)
    );
    // Gridlines and ticks.
    for &tick in &ticks {
        let y = y_of(tick);
        let _ = write!(
            doc.out,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#d9d9d9" stroke-width="1"/><text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="end">{}</text>"##,
            px(plot_left),
            px(y),
            px(plot_left + plot_w),
            px(y),
            px(plot_left - 6.0),
            px(y + 4.0),
            esc(&fmt(tick))
        );
    }
    // The current series.
    match chart.style {
        SeriesStyle::Bars => {
            for (k, &v) in chart.values.iter().enumerate().filter(|(_, v)| v.is_finite()) {
                let _ = write!(
                    doc.out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{SERIES}"/>"#,
                    px(plot_left + k as f64 * step + step * 0.15),
                    px(y_of(v.max(0.0))),
                    px(step * 0.7),
                    px(plot_bottom - y_of(v.max(0.0)))
                );
            }
        }
        SeriesStyle::Line => {
            let points: Vec<Option<(f64, f64)>> = chart
                .values
                .iter()
                .enumerate()
                .map(|(k, &v)| v.is_finite().then(|| (plot_left + (k as f64 + 0.5) * step, y_of(v))))
                .collect();
            polyline(&mut doc, &points, SERIES, 2.5, None);
            for &(x, y) in points.iter().flatten() {
                let _ = write!(doc.out, r#"<circle cx="{}" cy="{}" r="3" fill="{SERIES}"/>"#, px(x), px(y));
            }
        }
    }
    if let Some(previous) = chart.previous_year {
        let points: Vec<Option<(f64, f64)>> = previous
            .iter()
            .enumerate()
            .map(|(k, v)| v.filter(|v| v.is_finite()).map(|v| (plot_left + (k as f64 + 0.5) * step, y_of(v))))
            .collect();
        polyline(&mut doc, &points, SERIES_PREVIOUS, 2.0, Some("5 3"));
    }
    // The baseline and the month labels, thinned so that they do not overlap.
    let _ = write!(
        doc.out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{INK}" stroke-width="1"/>"#,
        px(plot_left),
        px(plot_bottom),
        px(plot_left + plot_w),
        px(plot_bottom)
    );
    let label_w = chart.month_labels.iter().map(|l| text_px(l)).fold(0.0, f64::max) + 10.0;
    let every = ((label_w / step).ceil() as usize).max(1);
    for (k, label) in chart.month_labels.iter().enumerate().filter(|(k, _)| k % every == 0) {
        let _ = write!(
            doc.out,
            r#"<text x="{}" y="{}" font-size="11" fill="{INK}" text-anchor="middle">{}</text>"#,
            px(plot_left + (k as f64 + 0.5) * step),
            px(plot_bottom + 16.0),
            esc(label)
        );
    }
    Ok(doc.finish())
}

/// Puts charts made by this module one below the other in one document, with its own title and description.
///
/// # Errors
///
/// [`SvgError::NotAChart`] naming the first chart whose size cannot be read.
pub fn stack(text: &ChartText<'_>, charts: &[String]) -> Result<String, SvgError> {
    let sizes = charts
        .iter()
        .enumerate()
        .map(|(k, chart)| chart_size(chart).ok_or(SvgError::NotAChart(k)))
        .collect::<Result<Vec<_>, _>>()?;
    let width = sizes.iter().map(|s| s.0).fold(title_width(text.title), f64::max);
    let height = CHART_TOP + sizes.iter().map(|s| s.1).sum::<f64>();
    let mut doc = Document::new(width, height, text);
    let mut y = CHART_TOP;
    for (chart, (_, h)) in charts.iter().zip(sizes) {
        let _ = write!(doc.out, r#"<g transform="translate(0 {})">{chart}</g>"#, px(y));
        y += h;
    }
    Ok(doc.finish())
}

/// An English number for legends and axes: whole numbers from 1,000 up, three significant digits below,
/// trailing zeros dropped (`182194`, `1.65`, `0.000123`, `0`). A dot for the decimal mark, no grouping.
pub fn format_number(value: f64) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    if value == 0.0 {
        return "0".to_owned();
    }
    let magnitude = value.abs().log10().floor();
    if magnitude >= 3.0 {
        return format!("{value:.0}");
    }
    let decimals = (2.0 - magnitude).max(0.0) as usize;
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_owned() } else { text };
    if text == "-0" { "0".to_owned() } else { text }
}

/// The contrast ratio of two `#rrggbb` colours, 1–21 (WCAG 2.x).
///
/// # Errors
///
/// [`SvgError::BadColour`] for a colour that is not `#rrggbb`.
pub fn contrast_ratio(a: &str, b: &str) -> Result<f64, SvgError> {
    let (la, lb) = (luminance(a)?, luminance(b)?);
    Ok((la.max(lb) + 0.05) / (la.min(lb) + 0.05))
}

/// One legend entry: a colour and its label.
struct LegendEntry {
    colour: String,
    label: String,
}

/// Per-value legend index (`None`: not drawn) and the legend.
fn classify(
    values: &[f64],
    scale: &Scale<'_>,
    fmt: NumberFormat<'_>,
) -> Result<(Vec<Option<usize>>, Vec<LegendEntry>), SvgError> {
    match *scale {
        Scale::Sequential { breaks } => {
            let edges = class_edges(values, breaks)?;
            if edges.len() < 2 {
                return Ok((vec![None; values.len()], Vec::new()));
            }
            let k = edges.len() - 1;
            let palette = ramp(k);
            let classes = values
                .iter()
                .map(|&v| v.is_finite().then(|| (edges.partition_point(|&e| e <= v).max(1) - 1).min(k - 1)))
                .collect();
            let legend = (0..k)
                .map(|c| LegendEntry {
                    colour: palette[c].to_owned(),
                    label: if edges[c] == edges[c + 1] {
                        fmt(edges[c])
                    } else {
                        format!("{} – {}", fmt(edges[c]), fmt(edges[c + 1]))
                    },
                })
                .collect();
            Ok((classes, legend))
        }
        Scale::HotCold { bins, labels } => {
            if let Some(bins) = bins {
                check_len("bins", bins.len(), values.len())?;
                if let Some(index) = bins.iter().position(|b| !(-3..=3).contains(b)) {
                    return Err(SvgError::BadBin { index, bin: bins[index] });
                }
            }
            let classes = values
                .iter()
                .enumerate()
                .map(|(index, &z)| {
                    if z.is_nan() {
                        return None;
                    }
                    let bin = match bins {
                        Some(bins) => bins[index],
                        None => {
                            let level = [Z_90, Z_95, Z_99].iter().filter(|&&c| z.abs() >= c).count() as i8;
                            if z > 0.0 { level } else { -level }
                        }
                    };
                    // Listed hot first: +3 is entry 0, −3 entry 6.
                    Some((3 - bin) as usize)
                })
                .collect();
            let legend = (0..7)
                .rev()
                .map(|k| LegendEntry { colour: HOT_COLD[k].to_owned(), label: labels[k].to_owned() })
                .collect();
            Ok((classes, legend))
        }
        Scale::Categorical { classes: categories } => {
            let mut legend = Vec::with_capacity(categories.len());
            for category in categories {
                luminance(category.colour)?;
                legend.push(LegendEntry {
                    colour: category.colour.to_ascii_lowercase(),
                    label: category.label.to_owned(),
                });
            }
            let classes = values
                .iter()
                .map(|&v| {
                    (v.is_finite() && v >= 0.0 && v.fract() == 0.0 && (v as usize) < categories.len())
                        .then_some(v as usize)
                })
                .collect();
            Ok((classes, legend))
        }
    }
}

/// The edges of the classes of a sequential scale over the finite `values` (empty when there are none).
fn class_edges(values: &[f64], breaks: &Breaks) -> Result<Vec<f64>, SvgError> {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    match breaks {
        Breaks::Explicit(edges) => {
            if !(2..=10).contains(&edges.len())
                || edges.iter().any(|e| !e.is_finite())
                || edges.windows(2).any(|w| w[0] >= w[1])
            {
                return Err(SvgError::BadBreaks);
            }
            Ok(edges.clone())
        }
        &Breaks::EqualInterval(k) | &Breaks::Quantile(k) if !(1..=9).contains(&k) => Err(SvgError::BadClasses(k)),
        _ if finite.is_empty() => Ok(Vec::new()),
        &Breaks::EqualInterval(k) => {
            let (lo, hi) =
                finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| (lo.min(v), hi.max(v)));
            if lo == hi {
                return Ok(vec![lo, hi]);
            }
            Ok((0..=k).map(|i| if i == k { hi } else { lo + (hi - lo) * i as f64 / k as f64 }).collect())
        }
        &Breaks::Quantile(k) => {
            finite.sort_by(f64::total_cmp);
            let n = finite.len();
            let mut edges: Vec<f64> = (0..=k).map(|i| finite[(i * (n - 1)) / k]).collect();
            edges.dedup();
            if edges.len() == 1 {
                edges.push(edges[0]);
            }
            Ok(edges)
        }
    }
}

/// `k` colours spread over the sequential ramp, light to dark.
fn ramp(k: usize) -> Vec<&'static str> {
    if k == 1 {
        return vec![SEQUENTIAL[4]];
    }
    (0..k).map(|i| SEQUENTIAL[((i * (SEQUENTIAL.len() - 1)) as f64 / (k - 1) as f64).round() as usize]).collect()
}

/// Relative luminance of `#rrggbb` (WCAG 2.x).
fn luminance(colour: &str) -> Result<f64, SvgError> {
    let bad = || SvgError::BadColour(colour.to_owned());
    let hex = colour.strip_prefix('#').filter(|h| h.len() == 6 && h.is_ascii()).ok_or_else(bad)?;
    let channel = |k: usize| -> Result<f64, SvgError> {
        let value = u8::from_str_radix(&hex[k..k + 2], 16).map_err(|_| bad())? as f64 / 255.0;
        Ok(if value <= 0.040_45 { value / 12.92 } else { ((value + 0.055) / 1.055).powf(2.4) })
    };
    Ok(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

/// Black or white, whichever contrasts more with `fill` (at least 4.58:1 for any fill).
fn text_on(fill: &str) -> Result<&'static str, SvgError> {
    Ok(if contrast_ratio(fill, "#000000")? >= contrast_ratio(fill, "#ffffff")? { "#000000" } else { "#ffffff" })
}

/// About 5 round tick values from 0 to at least `max` (1, 2 or 5 times a power of ten apart).
fn nice_ticks(max: f64) -> Vec<f64> {
    if !(max.is_finite() && max > 0.0) {
        return vec![0.0, 1.0];
    }
    let rough = max / 5.0;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|&s| s >= rough).unwrap_or(10.0 * power);
    let count = (max / step - 1e-9).ceil().max(1.0) as usize;
    (0..=count).map(|k| k as f64 * step).collect()
}

/// A scale bar of a round length about a quarter of the map's width, labelled in metres or kilometres.
fn scale_bar(doc: &mut Document, x: f64, y: f64, map_w: f64, px_per_m: f64, units: [&str; 2]) {
    let target_m = map_w.max(80.0) / 4.0 / px_per_m;
    let power = 10f64.powf(target_m.log10().floor());
    let length_m = [5.0, 2.0, 1.0].iter().map(|m| m * power).find(|&l| l <= target_m).unwrap_or(power);
    let length_px = length_m * px_per_m;
    let label = if length_m >= 1000.0 {
        format!("{} {}", format_number(length_m / 1000.0), units[1])
    } else {
        format!("{} {}", format_number(length_m), units[0])
    };
    let _ = write!(
        doc.out,
        r#"<g stroke="{INK}" stroke-width="1.5"><line x1="{x0}" y1="{y1}" x2="{x1}" y2="{y1}"/><line x1="{x0}" y1="{y0}" x2="{x0}" y2="{y1}"/><line x1="{x1}" y1="{y0}" x2="{x1}" y2="{y1}"/></g><text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
        px(x + length_px + 8.0),
        px(y + 10.0),
        esc(&label),
        x0 = px(x),
        x1 = px(x + length_px),
        y0 = px(y),
        y1 = px(y + 8.0),
    );
}

/// The swatch of a series in the legend of [`monthly_chart`].
#[derive(Clone, Copy)]
enum Swatch {
    Bar,
    Line,
    Dashed,
}

/// One series in the legend above a monthly chart, at `x`; returns where the next one starts.
fn series_legend_item(doc: &mut Document, x: f64, swatch: Swatch, label: &str) -> f64 {
    let y = CHART_TOP + 8.0;
    let _ = match swatch {
        Swatch::Bar => {
            write!(doc.out, r#"<rect x="{}" y="{}" width="18" height="12" fill="{SERIES}"/>"#, px(x), px(y - 6.0))
        }
        Swatch::Line => write!(
            doc.out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{SERIES}" stroke-width="2.5"/>"#,
            px(x),
            px(x + 18.0),
            y = px(y)
        ),
        Swatch::Dashed => write!(
            doc.out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{SERIES_PREVIOUS}" stroke-width="2" stroke-dasharray="5 3"/>"#,
            px(x),
            px(x + 18.0),
            y = px(y)
        ),
    };
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
        px(x + 26.0),
        px(CHART_TOP + 12.0),
        esc(label)
    );
    x + 26.0 + text_px(label) + 20.0
}

/// A legend of colour swatches under a title.
fn swatch_legend(doc: &mut Document, x: f64, y: f64, title: &str, entries: &[LegendEntry]) {
    let _ = write!(
        doc.out,
        r#"<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{INK}">{}</text>"#,
        px(x),
        px(y + 10.0),
        esc(title)
    );
    for (k, entry) in entries.iter().enumerate() {
        let top = y + 20.0 + 20.0 * k as f64;
        let _ = write!(
            doc.out,
            r#"<rect x="{}" y="{}" width="14" height="14" fill="{}" stroke="{INK_SOFT}" stroke-width="0.5"/><text x="{}" y="{}" font-size="12" fill="{INK}">{}</text>"#,
            px(x + 1.0),
            px(top),
            entry.colour,
            px(x + 22.0),
            px(top + 11.0),
            esc(&entry.label)
        );
    }
}

/// A line through the points, broken where a point is missing.
fn polyline(doc: &mut Document, points: &[Option<(f64, f64)>], colour: &str, width: f64, dash: Option<&str>) {
    let mut path = String::new();
    let mut pen_down = false;
    for point in points {
        match point {
            Some((x, y)) => {
                let _ = write!(path, "{}{} {}", if pen_down { "L" } else { "M" }, px(*x), px(*y));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    if path.is_empty() {
        return;
    }
    let dash = dash.map(|d| format!(r#" stroke-dasharray="{d}""#)).unwrap_or_default();
    let _ = write!(
        doc.out,
        r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-linejoin="round"{dash}/>"#
    );
}

/// A document being written: the root element, title, description, background and heading are in place.
struct Document {
    out: String,
}

impl Document {
    fn new(width: f64, height: f64, text: &ChartText<'_>) -> Document {
        let id = sanitise_id(text.id);
        let (width, height) = (width.ceil(), height.ceil());
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="{FONT}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><rect width="{w}" height="{h}" fill="#ffffff"/><text x="{}" y="{}" font-size="16" font-weight="bold" fill="{INK}">{}</text>"##,
            esc(text.title),
            esc(text.description),
            px(PAD),
            px(TITLE_BASELINE),
            esc(text.title),
            w = px(width),
            h = px(height),
        );
        Document { out }
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }
}

/// `(width, height)` of a document made by [`Document::new`].
fn chart_size(chart: &str) -> Option<(f64, f64)> {
    let root = chart.strip_prefix(r#"<svg xmlns="http://www.w3.org/2000/svg" width=""#)?;
    let (width, rest) = root.split_once('"')?;
    let height = rest.strip_prefix(r#" height=""#)?.split_once('"')?.0;
    Some((width.parse().ok()?, height.parse().ok()?))
}

fn check_len(what: &'static str, got: usize, expected: usize) -> Result<(), SvgError> {
    if got == expected { Ok(()) } else { Err(SvgError::Length { what, got, expected }) }
}

/// A pixel coordinate with one decimal, without a trailing `.0`.
fn px(value: f64) -> String {
    let text = format!("{value:.1}");
    match text.strip_suffix(".0") {
        Some("-0") => "0".to_owned(),
        Some(whole) => whole.to_owned(),
        None => text,
    }
}

/// Text escaped for XML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn sanitise_id(id: &str) -> String {
    let id: String =
        id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect();
    if id.is_empty() { "chart".to_owned() } else { id }
}

/// Estimated width of a 12-px label, pixels.
fn text_px(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_PX
}

fn title_width(title: &str) -> f64 {
    2.0 * PAD + title.chars().count() as f64 * 9.5
}

fn legend_width<'l>(title: &str, labels: impl Iterator<Item = &'l str>) -> f64 {
    labels.map(|l| 22.0 + text_px(l)).fold(title.chars().count() as f64 * 8.0, f64::max)
}

#[cfg(test)]
mod survey_tests;
#[cfg(test)]
mod tests;
