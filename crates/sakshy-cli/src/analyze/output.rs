//! How `sakshy analyze` writes its results: the JSON header (`method`, `input`, `parameters`), per-cell layers
//! as `[nrows][ncols]` arrays or CSV rows, the Knox table, the temporal tables, and the SVG charts (English
//! labels) drawn by `sakshy_analytics::svg`.

use anyhow::Context;
use sakshy_analytics::Grid;
use sakshy_analytics::knox::{Findings, KnoxTable};
use sakshy_analytics::svg::{self, Breaks, Category, ChartText, HeatMap, KnoxHeatTable, MonthlyChart, Scale};
use sakshy_analytics::temporal::{MonthlyTrend, WeekHourMatrix};
use serde_json::{Map, Value, json};

use super::{Format, InputCrs, Loaded};

/// Weekday names, Monday first, as in the week × hour matrix.
pub(crate) const WEEKDAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// The labels of Gi* hot/cold classes −3…+3.
const HOT_COLD_LABELS: [&str; 7] = [
    "Cold spot, 99 % confidence",
    "Cold spot, 95 % confidence",
    "Cold spot, 90 % confidence",
    "Not significant",
    "Hot spot, 90 % confidence",
    "Hot spot, 95 % confidence",
    "Hot spot, 99 % confidence",
];

/// The labels of LISA classes 0–4 (not significant, HH, LH, LL, HL).
const LISA_LABELS: [&str; 5] = [
    "Not significant",
    "High-High: hot spot",
    "Low-High: low among high",
    "Low-Low: cold spot",
    "High-Low: high among low",
];

/// Values of one per-cell layer.
pub(crate) enum Layer {
    /// Counts.
    Counts(Vec<u32>),
    /// Real numbers; NaN is written as `null` (JSON) or an empty field (CSV).
    Values(Vec<f64>),
    /// Whole-number classes; `None` is `null` or empty.
    Classes(Vec<Option<i64>>),
    /// Yes/no.
    Flags(Vec<bool>),
}

/// Per-cell layers over a grid.
pub(crate) struct Layers {
    grid: Grid,
    crs: InputCrs,
    layers: Vec<(&'static str, Layer)>,
}

impl Layers {
    pub(crate) fn new(grid: Grid, crs: InputCrs) -> Layers {
        Layers { grid, crs, layers: Vec::new() }
    }

    pub(crate) fn with(mut self, name: &'static str, layer: Layer) -> Layers {
        self.layers.push((name, layer));
        self
    }

    /// `grid` {x0, y0, cell, ncols, nrows} and each layer as `[nrows][ncols]`.
    pub(crate) fn write_json(&self, out: &mut Map<String, Value>) {
        let grid = &self.grid;
        out.insert("grid".into(), json!(grid));
        for (name, layer) in &self.layers {
            let rows = match layer {
                Layer::Counts(values) => json!(grid.rows(values)),
                Layer::Values(values) => json!(grid.rows(values)),
                Layer::Classes(values) => json!(grid.rows(values)),
                Layer::Flags(values) => json!(grid.rows(values)),
            };
            out.insert((*name).into(), rows);
        }
    }

    /// One row per cell: `row,col,x,y` (the cell's centre, metres), `lon,lat` (degrees, for lat/lon input), then
    /// the layers.
    pub(crate) fn table(&self) -> Table {
        let grid = &self.grid;
        let projection = match self.crs {
            InputCrs::Local { projection, .. } => Some(projection),
            InputCrs::Planar | InputCrs::None => None,
        };
        let mut header: Vec<String> = ["row", "col", "x", "y"].map(String::from).into();
        if projection.is_some() {
            header.extend(["lon", "lat"].map(String::from));
        }
        header.extend(self.layers.iter().map(|(name, _)| (*name).to_owned()));
        let rows = (0..grid.len())
            .map(|cell| {
                let (row, col) = grid.row_col(cell);
                let (x, y) = grid.centre(row, col);
                let mut fields = vec![row.to_string(), col.to_string(), csv_number(x), csv_number(y)];
                if let Some(projection) = projection {
                    let (lon, lat) = projection.inverse(x, y);
                    fields.push(csv_number(lon));
                    fields.push(csv_number(lat));
                }
                for (_, layer) in &self.layers {
                    fields.push(match layer {
                        Layer::Counts(values) => values[cell].to_string(),
                        Layer::Values(values) => csv_number(values[cell]),
                        Layer::Classes(values) => values[cell].map(|v| v.to_string()).unwrap_or_default(),
                        Layer::Flags(values) => values[cell].to_string(),
                    });
                }
                fields
            })
            .collect();
        Table { header, rows }
    }
}

/// A CSV table.
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn to_csv(&self) -> anyhow::Result<String> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.header).context("writing CSV")?;
        for row in &self.rows {
            writer.write_record(row).context("writing CSV")?;
        }
        let bytes = writer.into_inner().context("writing CSV")?;
        String::from_utf8(bytes).context("writing CSV")
    }
}

/// The result in `format`, building only what that format needs.
pub(crate) fn render(
    format: Format,
    json: impl FnOnce() -> Value,
    table: impl FnOnce() -> anyhow::Result<Table>,
    svg: impl FnOnce() -> anyhow::Result<String>,
) -> anyhow::Result<String> {
    match format {
        Format::Json => Ok(serde_json::to_string(&json())? + "\n"),
        Format::Csv => table()?.to_csv(),
        Format::Svg => svg(),
    }
}

/// The start of every JSON result: `method`, `input`, `parameters`.
pub(crate) fn header(method: &str, loaded: &Loaded, parameters: Value) -> Map<String, Value> {
    let mut out = Map::new();
    out.insert("method".into(), json!(method));
    out.insert("input".into(), Value::Object(loaded.input.clone()));
    out.insert("parameters".into(), parameters);
    out
}

/// A number for text: [`svg::format_number`].
pub(crate) fn number(value: f64) -> String {
    svg::format_number(value)
}

/// A number for CSV, as JSON writes it (shortest round trip); empty for NaN.
fn csv_number(value: f64) -> String {
    serde_json::Number::from_f64(value).map(|n| n.to_string()).unwrap_or_default()
}

/// What a grid map shows.
pub(crate) enum MapKind<'a> {
    /// A light-to-dark ramp.
    Sequential,
    /// Gi* classes −3…+3 for each cell (the values are z-scores).
    HotCold(&'a [i8]),
    /// LISA classes 0–4 (the values are the class numbers); `tested`: significance-tested clusters, not bare
    /// quadrants.
    Lisa { tested: bool },
}

/// A map of per-cell values, with the study area's boundary on it.
pub(crate) fn grid_map(
    loaded: &Loaded,
    grid: &Grid,
    values: &[f64],
    kind: MapKind<'_>,
    title: &str,
    description: &str,
    legend_title: &str,
) -> anyhow::Result<String> {
    let rings = loaded.study_area.as_ref().map(|area| area.rings()).unwrap_or_default();
    let breaks = Breaks::EqualInterval(6);
    let categories: Vec<Category<'_>> = LISA_LABELS
        .iter()
        .zip(svg::LISA_COLOURS)
        .enumerate()
        .map(|(k, (label, colour))| Category {
            colour,
            label: if k == 0 && !matches!(kind, MapKind::Lisa { tested: true }) { "—" } else { label },
        })
        .collect();
    let scale = match kind {
        MapKind::Sequential => Scale::Sequential { breaks: &breaks },
        MapKind::HotCold(bins) => Scale::HotCold { bins: Some(bins), labels: HOT_COLD_LABELS },
        MapKind::Lisa { .. } => Scale::Categorical { classes: &categories },
    };
    let map = HeatMap {
        text: ChartText { id: "map", title, description },
        grid,
        values,
        scale,
        legend_title,
        rings: &rings,
        points: &[],
        distance_units: ["m", "km"],
        format: &svg::format_number,
    };
    Ok(svg::heat_map(&map)?)
}

/// The forecast's map: the risk surface, the flagged cells and the study area outlined, period-2 events dotted.
pub(crate) fn forecast_map(
    loaded: &Loaded,
    grid: &Grid,
    per_km2: &[f64],
    flagged: &[Vec<(f64, f64)>],
    period2: &[(f64, f64)],
    title: &str,
    description: &str,
) -> anyhow::Result<String> {
    let mut rings = loaded.study_area.as_ref().map(|area| area.rings()).unwrap_or_default();
    rings.extend(flagged.iter().cloned());
    let breaks = Breaks::EqualInterval(6);
    let map = HeatMap {
        text: ChartText { id: "forecast", title, description },
        grid,
        values: per_km2,
        scale: Scale::Sequential { breaks: &breaks },
        legend_title: "Period-1 density, events per km²",
        rings: &rings,
        points: period2,
        distance_units: ["m", "km"],
        format: &svg::format_number,
    };
    Ok(svg::heat_map(&map)?)
}

/// English labels of the Knox table's rows and columns, in interval notation.
pub(crate) fn knox_labels(table: &KnoxTable) -> (Vec<String>, Vec<String>) {
    let s = &table.space_edges;
    let t = &table.time_edges;
    let mut rows = vec!["Same location".to_owned()];
    for k in 1..s.len() {
        rows.push(if k == 1 {
            format!("(0, {}) m", number(s[1]))
        } else {
            format!("[{}, {}) m", number(s[k - 1]), number(s[k]))
        });
    }
    rows.push(format!("≥ {} m", number(s[s.len() - 1])));
    let mut cols: Vec<String> =
        (1..t.len()).map(|k| format!("[{}, {}) days", number(t[k - 1]), number(t[k]))).collect();
    cols.push(format!("≥ {} days", number(t[t.len() - 1])));
    (rows, cols)
}

/// The findings in plain English, one sentence each, e.g. "Within 100 m and 7 days of an event, another is 64 %
/// more likely than chance".
pub(crate) fn knox_summary(findings: &Findings, alpha: f64) -> Vec<String> {
    let mut sentences = Vec::new();
    let evidence = |ratio: f64, p: f64| format!("(Knox ratio {}, p = {})", number(ratio), number(p));
    if let Some(repeat) = &findings.repeat {
        let when = if repeat.days_from > 0.0 {
            format!("{} to {} days after an event", number(repeat.days_from), number(repeat.days_to))
        } else {
            format!("within {} days of an event", number(repeat.days_to))
        };
        sentences.push(format!(
            "At the same location, {when}, another is {} % more likely than chance {}.",
            number(repeat.percent_more_likely.round()),
            evidence(repeat.knox_ratio, repeat.p_value)
        ));
    }
    if let Some(near) = &findings.near_repeat {
        let place = if near.distance_from_m > 0.0 {
            format!("Between {} and {} m", number(near.distance_from_m), number(near.distance_to_m))
        } else {
            format!("Within {} m", number(near.distance_to_m))
        };
        let when = if near.days_from > 0.0 {
            format!(", {} to {} days after an event", number(near.days_from), number(near.days_to))
        } else {
            format!(" and {} days of an event", number(near.days_to))
        };
        sentences.push(format!(
            "{place}{when}, another is {} % more likely than chance {}.",
            number(near.percent_more_likely.round()),
            evidence(near.knox_ratio, near.p_value)
        ));
    }
    if sentences.is_empty() {
        sentences.push(format!(
            "No repeat or near-repeat pattern: no cell right after an event is significant at p ≤ {} with a Knox \
             ratio of at least {}.",
            number(alpha),
            number(sakshy_analytics::knox::NRC_MIN_RATIO)
        ));
    }
    sentences
}

/// One row per Knox cell.
pub(crate) fn knox_table(table: &KnoxTable) -> Table {
    let header = [
        "row",
        "col",
        "distance_from_m",
        "distance_to_m",
        "days_from",
        "days_to",
        "observed",
        "expected_mean",
        "expected_min",
        "expected_max",
        "knox_ratio",
        "p_value",
    ]
    .map(String::from)
    .into();
    let (s, t) = (&table.space_edges, &table.time_edges);
    let mut rows = Vec::new();
    for (r, observed) in table.observed.iter().enumerate() {
        let (from, to) = match r {
            0 => (0.0, Some(0.0)),
            r if r < s.len() => (s[r - 1], Some(s[r])),
            _ => (s[s.len() - 1], None),
        };
        for (c, &count) in observed.iter().enumerate() {
            let (days_from, days_to) = if c + 1 < t.len() { (t[c], Some(t[c + 1])) } else { (t[t.len() - 1], None) };
            rows.push(vec![
                r.to_string(),
                c.to_string(),
                csv_number(from),
                to.map(csv_number).unwrap_or_default(),
                csv_number(days_from),
                days_to.map(csv_number).unwrap_or_default(),
                count.to_string(),
                csv_number(table.expected_mean[r][c]),
                table.expected_min[r][c].to_string(),
                table.expected_max[r][c].to_string(),
                table.knox_ratio[r][c].map(csv_number).unwrap_or_default(),
                csv_number(table.p_value[r][c]),
            ]);
        }
    }
    Table { header, rows }
}

/// The Knox table as a heat table.
pub(crate) fn knox_svg(
    table: &KnoxTable,
    row_labels: &[String],
    col_labels: &[String],
    alpha: f64,
    summary: &[String],
) -> anyhow::Result<String> {
    let significant: Vec<Vec<bool>> =
        table.p_value.iter().map(|row| row.iter().map(|&p| p <= alpha).collect()).collect();
    let description = format!(
        "Knox ratios (observed pairs over the mean of {} permutations) of {} events, {} distance. {}",
        table.permutations,
        table.n_events,
        table.metric,
        summary.join(" ")
    );
    let significant_label = format!("Significant (p ≤ {})", number(alpha));
    let chart = KnoxHeatTable {
        text: ChartText { id: "knox", title: "Near-repeat pattern (Knox test)", description: &description },
        row_header: "Distance",
        col_header: "Time between the events",
        row_labels,
        col_labels,
        knox_ratio: &table.knox_ratio,
        significant: &significant,
        legend_title: "Knox ratio",
        significant_label: &significant_label,
        missing_label: "No pairs expected",
        format: &|v| format!("{v:.2}"),
    };
    Ok(svg::knox_table(&chart)?)
}

/// The week × hour counts and the monthly trend in one long table, told apart by the `table` column.
pub(crate) fn temporal_table(matrix: &WeekHourMatrix, trend: &MonthlyTrend) -> Table {
    let header =
        ["table", "weekday", "hour", "month", "count", "previous_year", "yoy_change", "yoy_percent", "rolling_12"]
            .map(String::from)
            .into();
    let mut rows = Vec::new();
    for (day, name) in WEEKDAYS.iter().enumerate() {
        let hours = matrix.counts[day].iter().enumerate().map(|(hour, &count)| (hour.to_string(), count));
        for (hour, count) in hours.chain([("unknown".to_owned(), matrix.hour_unknown[day])]) {
            let fields = ["week_hour".to_owned(), (*name).to_owned(), hour, String::new(), csv_number(count)];
            rows.push(fields.into_iter().chain(std::iter::repeat_n(String::new(), 4)).collect());
        }
    }
    for month in &trend.months {
        rows.push(vec![
            "monthly".to_owned(),
            String::new(),
            String::new(),
            format!("{:04}-{:02}", month.year, month.month),
            month.count.to_string(),
            month.previous_year.map(|v| v.to_string()).unwrap_or_default(),
            month.yoy_change.map(|v| v.to_string()).unwrap_or_default(),
            month.yoy_percent.map(csv_number).unwrap_or_default(),
            month.rolling_12.map(|v| v.to_string()).unwrap_or_default(),
        ]);
    }
    Table { header, rows }
}

/// The weekday × hour heat map above the monthly chart.
pub(crate) fn temporal_svg(matrix: &WeekHourMatrix, trend: &MonthlyTrend) -> anyhow::Result<String> {
    let breaks = Breaks::EqualInterval(5);
    let week_description = format!(
        "Events by weekday and hour of day, local time: {} with a time, {} with a date only (shown apart).",
        matrix.n_exact + matrix.n_window,
        matrix.n_date_only
    );
    let week = svg::week_hour_heat_map(&svg::WeekHourHeatMap {
        text: ChartText { id: "week-hour", title: "Weekday and hour", description: &week_description },
        counts: &matrix.counts,
        hour_unknown: (matrix.n_date_only > 0).then_some(&matrix.hour_unknown),
        day_labels: WEEKDAYS,
        hour_label: "Hour of day",
        unknown_label: "Hour unknown",
        legend_title: "Events",
        breaks: &breaks,
        format: &svg::format_number,
    })?;
    let labels: Vec<String> = trend.months.iter().map(|m| format!("{:04}-{:02}", m.year, m.month)).collect();
    let values: Vec<f64> = trend.months.iter().map(|m| m.count as f64).collect();
    let previous: Vec<Option<f64>> = trend.months.iter().map(|m| m.previous_year.map(|v| v as f64)).collect();
    let has_previous = previous.iter().any(Option::is_some);
    let monthly = svg::monthly_chart(&MonthlyChart {
        text: ChartText {
            id: "monthly",
            title: "Events per month",
            description: "Events per calendar month, with the same month a year earlier where the data has it.",
        },
        month_labels: &labels,
        values: &values,
        previous_year: has_previous.then_some(previous.as_slice()),
        series_label: "Events",
        previous_label: "Same month a year earlier",
        y_label: "Events per month",
        style: svg::SeriesStyle::Bars,
        format: &svg::format_number,
    })?;
    let description =
        format!("{} Monthly counts from {} to {}.", week_description, labels[0], labels[labels.len() - 1]);
    Ok(svg::stack(
        &ChartText { id: "temporal", title: "When events happen", description: &description },
        &[week, monthly],
    )?)
}
