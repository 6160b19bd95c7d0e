//! `sakshy analyze`: the analysts' command line over the analytics engine — counts per cell, kernel density,
//! Getis–Ord Gi\*, Moran's I, the Knox near-repeat table, hotspot-forecast scoring and temporal patterns — on
//! a CSV of events or on the incidents and appeals in the database, written as JSON, CSV or SVG.
//!
//! The JSON schema of every output, the grid convention and the methods are documented in `docs/analytics.md`.
//! This module reads files and the database and writes results; every statistic is `sakshy_analytics`'s.

mod area;
mod db;
mod input;
mod output;

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use sakshy_analytics::fdr::{self, Correction, PermutationConfig, PseudoP};
use sakshy_analytics::forecast::{DEFAULT_CURVE_COVERAGES, HotspotForecast};
use sakshy_analytics::gistar::{self, Inference};
use sakshy_analytics::kde::{self, Bandwidth, Evaluation, KdeConfig, Kernel};
use sakshy_analytics::knox::{self, KnoxConfig, Metric, NRC_MIN_RATIO};
use sakshy_analytics::temporal::{self, EventTime, LocalDate, LocalDateTime, YearMonth};
use sakshy_analytics::weights::{GridWeights, Weights};
use sakshy_analytics::{Grid, LocalProjection, moran};
use serde_json::{Map, Value, json};

use self::area::StudyArea;
use self::input::Needs;
use self::output::{Layer, Layers};

/// One analysis of `sakshy analyze`.
#[derive(Debug, Subcommand)]
pub(crate) enum Analysis {
    /// Events per grid cell (`counts`) and their intensity (events per m²).
    Grid {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Kernel density of the events at the cell centres (`intensity`, events per m²).
    Kde {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[command(flatten)]
        kde: KdeArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Getis–Ord Gi* hot spots of the counts per cell: z-scores, p-values, hot/cold classes at 90/95/99 %.
    Gistar {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[command(flatten)]
        spatial: SpatialArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Global Moran's I and local Moran (LISA) clusters of the counts per cell.
    Moran {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[command(flatten)]
        spatial: SpatialArgs,
        /// Significance level of the LISA clusters (after --correction).
        #[arg(long, default_value_t = 0.05, value_parser = parse_probability)]
        alpha: f64,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The Knox / near-repeat table of the Near Repeat Calculator: pairs of events by distance and time apart,
    /// against permutations of the dates. Uses each event's date (whole days).
    Knox {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        knox: KnoxArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Scores a kernel-density hotspot forecast made from the events before --split on the events from --split
    /// on: hit rate, PAI, PEI and RRI at --coverage, and a curve over coverages.
    Forecast {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        grid: GridArgs,
        #[command(flatten)]
        kde: KdeArgs,
        #[command(flatten)]
        forecast: ForecastArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// When events happen: the weekday × hour matrix and the monthly trend with the change on a year earlier.
    Temporal {
        #[command(flatten)]
        events: EventArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
}

/// Where the events come from and which of them to use.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct EventArgs {
    /// A CSV of events: a header with x,y (planar metres, with --xy) or lat,lon (WGS84 degrees), and t (a local date
    /// YYYY-MM-DD or date-time YYYY-MM-DDTHH:MM) where time matters; other columns are ignored.
    #[arg(long, value_name = "FILE", required_unless_present = "source", conflicts_with = "source")]
    input: Option<PathBuf>,
    /// The coordinates (of --input and --study-area) are planar x,y in metres, used as given.
    #[arg(long, conflicts_with = "source")]
    xy: bool,
    /// Analyse the incidents or the appeals stored in the database (--db) instead of a file.
    #[arg(long, value_enum)]
    source: Option<DbSource>,
    /// Only the events in this quadrant (code).
    #[arg(long, value_name = "CODE", requires = "source")]
    quadrant: Option<String>,
    /// Only the events in this district (code).
    #[arg(long, value_name = "CODE", requires = "source", conflicts_with = "quadrant")]
    district: Option<String>,
    /// Only this offence group (incidents: `violent`, `property`, `fraud`, `drugs`, `public_order`, `domestic`,
    /// `traffic`, `sexual`, `public_safety`, `other`) or appeal category (code); repeat for several.
    #[arg(long, value_name = "G", requires = "source")]
    group: Vec<String>,
    /// Only the events on or after this local date (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    from: Option<LocalDate>,
    /// Only the events on or before this local date (YYYY-MM-DD), the whole day included.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    to: Option<LocalDate>,
}

/// Where the events of the database come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DbSource {
    /// Recorded (and synthetic) incidents, at the time they happened.
    Incidents,
    /// Residents' appeals with a location, at the time they were filed.
    Appeals,
}

/// The grid and the study area.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct GridArgs {
    /// Side of a grid cell, metres.
    #[arg(long, default_value_t = 250.0, value_parser = parse_positive)]
    cell: f64,
    /// The study area: GeoJSON polygons (WGS84 [lon, lat], or metres with --xy). Gi* and Moran use only the cells
    /// inside it; the forecast's PAI is over it. With --source, the selected quadrant or district, or else the
    /// union of all quadrants, is the study area unless this is given.
    #[arg(long, value_name = "FILE")]
    study_area: Option<PathBuf>,
}

/// Kernel density options.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct KdeArgs {
    /// Bandwidth: metres, `scott` (Scott's rule) or `arcgis` (the ArcGIS default radius). Default: scott for the
    /// gaussian kernel, arcgis for the quartic.
    #[arg(long, value_parser = parse_bandwidth)]
    bandwidth: Option<Bandwidth>,
    /// Kernel: gaussian (the bandwidth is its standard deviation) or quartic (the bandwidth is its radius).
    #[arg(long, value_enum, default_value_t = KernelArg::Gaussian)]
    kernel: KernelArg,
    /// Add every event to every cell, instead of cutting the Gaussian off where it is below --tolerance.
    #[arg(long)]
    exact: bool,
    /// Largest error of any cell relative to the maximum intensity, when not --exact.
    #[arg(long, default_value_t = kde::DEFAULT_TOLERANCE, value_parser = parse_probability)]
    tolerance: f64,
}

/// The kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum KernelArg {
    /// exp(−d²/2h²)/(2πh²).
    Gaussian,
    /// 3/(πr²)·(1 − d²/r²)² within r (ArcGIS, CrimeStat).
    Quartic,
}

/// Options of Gi* and Moran's I.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct SpatialArgs {
    /// Neighbours: `queen` (the 8 cells around) or `distance:M` (cells whose centres are within M metres).
    #[arg(long, default_value = "queen", value_parser = parse_weights)]
    weights: WeightsSpec,
    /// Conditional permutations for the pseudo p-values (0: none; Gi* classes then use the normal p-value).
    #[arg(long, default_value_t = 999)]
    permutations: usize,
    /// Seed of the permutations: the same seed gives the same p-values on any machine and number of threads.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Control the false discovery rate over the cells (the same as --correction fdr).
    #[arg(long, conflicts_with = "correction")]
    fdr: bool,
    /// Multiple-testing correction of the p-values over the cells.
    #[arg(long, value_enum, default_value_t = CorrectionArg::None)]
    correction: CorrectionArg,
}

/// Multiple-testing corrections.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum CorrectionArg {
    /// Each cell's p-value as it is.
    None,
    /// Benjamini–Hochberg false-discovery-rate control.
    Fdr,
    /// Bonferroni family-wise control.
    Bonferroni,
}

/// Spatial weights between cells.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum WeightsSpec {
    /// Queen contiguity.
    Queen,
    /// Cell centres within this many metres.
    Distance(f64),
}

/// The Near Repeat Calculator's inputs.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct KnoxArgs {
    /// Distance between two events: manhattan (|dx| + |dy|) or euclidean.
    #[arg(long, default_value = "manhattan")]
    metric: Metric,
    /// Width of a distance band, metres.
    #[arg(long, default_value_t = 100.0, value_parser = parse_positive)]
    space_band: f64,
    /// Number of distance bands besides "same location" and "beyond".
    #[arg(long, default_value_t = 3)]
    space_bands: usize,
    /// Width of a time band, days.
    #[arg(long, default_value_t = 7.0, value_parser = parse_positive)]
    time_band: f64,
    /// Number of time bands besides "beyond".
    #[arg(long, default_value_t = 3)]
    time_bands: usize,
    /// Permutations of the dates (the NRC's iterations minus one: 19 for its 20).
    #[arg(long, default_value_t = 999)]
    permutations: usize,
    /// Seed of the permutations.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Compute distances in single precision as the Near Repeat Calculator does, to reproduce its tables exactly.
    #[arg(long)]
    nrc_compat: bool,
    /// A cell is significant when its p-value is at most this (findings, SVG).
    #[arg(long, default_value_t = 0.05, value_parser = parse_probability)]
    alpha: f64,
}

/// The forecast's periods and coverage.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ForecastArgs {
    /// First day of period 2 (YYYY-MM-DD): the events before it (period 1) make the risk surface, the events from
    /// it on (period 2) score it.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    split: LocalDate,
    /// Share of the study area flagged as hotspots, in (0, 1].
    #[arg(long, default_value_t = 0.05, value_parser = parse_coverage)]
    coverage: f64,
    /// Coverages of the hit-rate curve, comma-separated (default 0.01,0.02,0.05,0.1,0.2,0.5,1).
    #[arg(long, value_delimiter = ',', value_parser = parse_coverage)]
    curve: Vec<f64>,
}

/// Output format and destination.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct OutputArgs {
    /// json (every number, schema in docs/analytics.md), csv (one row per cell or table cell) or svg (a chart).
    #[arg(long, value_enum, default_value_t = Format::Json)]
    format: Format,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// JSON.
    Json,
    /// CSV.
    Csv,
    /// SVG.
    Svg,
}

/// Events as the analyses read them: points in metres and local times.
#[derive(Debug, Clone)]
pub(crate) struct Events {
    /// Where, (x, y) metres; empty when the analysis needs no location.
    pub(crate) points: Vec<(f64, f64)>,
    /// When, one per event; empty when the analysis needs no time.
    pub(crate) times: Vec<Time>,
    /// How the points were made.
    pub(crate) crs: InputCrs,
    /// Rows (or records) read.
    pub(crate) rows: usize,
}

/// How points were turned into metres.
#[derive(Debug, Clone, Copy)]
pub(crate) enum InputCrs {
    /// Not read.
    None,
    /// Planar metres as given (`--xy`).
    Planar,
    /// WGS84 projected with a local equirectangular projection centred on `origin`.
    Local {
        /// The projection.
        projection: LocalProjection,
        /// Its origin, degrees.
        origin_lon: f64,
        /// Its origin, degrees.
        origin_lat: f64,
    },
}

/// When an event happened, in local civil time, as precisely as known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Time {
    /// The date only: the hour is unknown.
    Date(LocalDate),
    /// Date and time to the minute.
    At(LocalDateTime),
}

impl Time {
    fn date(self) -> LocalDate {
        match self {
            Time::Date(date) => date,
            Time::At(at) => at.date(),
        }
    }

    fn event_time(self) -> EventTime {
        match self {
            Time::Date(date) => EventTime::DateOnly(date),
            Time::At(at) => EventTime::At(at),
        }
    }
}

/// Events loaded, with what the output says about them.
pub(crate) struct Loaded {
    events: Events,
    /// The `input` object of the JSON output.
    input: Map<String, Value>,
    /// The study area, when there is one.
    study_area: Option<StudyArea>,
}

/// Runs one analysis and writes its result.
///
/// # Errors
///
/// Bad arguments, unreadable or bad input (every bad row listed), a database error, or an analysis that cannot
/// be computed on the events (too few, no spread, …).
pub(crate) async fn run(db: &str, analysis: Analysis) -> anyhow::Result<()> {
    let (events_args, output_args) = analysis.common();
    let needs = analysis.needs();
    let mut loaded = match (&events_args.input, events_args.source) {
        (Some(path), _) => {
            let events = input::read_csv(path, events_args.xy, needs)?;
            let mut input = Map::new();
            input.insert("source".into(), json!("csv"));
            input.insert("file".into(), json!(path.display().to_string()));
            input.insert("rows".into(), json!(events.rows));
            Loaded { events, input, study_area: None }
        }
        (None, Some(source)) => db::load(db, source, events_args, needs).await?,
        (None, None) => bail!("give --input FILE or --source incidents|appeals"),
    };
    filter_window(&mut loaded, events_args.from, events_args.to)?;
    if let Some(path) = analysis.study_area_file() {
        loaded.study_area = Some(read_study_area(path, &loaded.events)?);
    }
    let method = analysis.name();
    let text = match &analysis {
        Analysis::Grid { grid, output, .. } => run_grid(&loaded, grid, output.format)?,
        Analysis::Kde { grid, kde, output, .. } => run_kde(&loaded, grid, kde, output.format)?,
        Analysis::Gistar { grid, spatial, output, .. } => run_gistar(&loaded, grid, spatial, output.format)?,
        Analysis::Moran { grid, spatial, alpha, output, .. } => {
            run_moran(&loaded, grid, spatial, *alpha, output.format)?
        }
        Analysis::Knox { knox, output, .. } => run_knox(&loaded, knox, output.format)?,
        Analysis::Forecast { grid, kde, forecast, output, .. } => {
            run_forecast(&loaded, grid, kde, forecast, output.format)?
        }
        Analysis::Temporal { output, .. } => run_temporal(&loaded, output.format)?,
    };
    match &output_args.output {
        Some(path) => {
            std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
            eprintln!(
                "{method}: {} events analysed; {} written to {}",
                loaded.events.times.len().max(loaded.events.points.len()),
                output_args.format.name(),
                path.display()
            );
        }
        None => {
            use std::io::Write;
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes()).context("writing to standard output")?;
            stdout.flush().context("writing to standard output")?;
        }
    }
    Ok(())
}

impl Analysis {
    fn name(&self) -> &'static str {
        match self {
            Analysis::Grid { .. } => "grid",
            Analysis::Kde { .. } => "kde",
            Analysis::Gistar { .. } => "gistar",
            Analysis::Moran { .. } => "moran",
            Analysis::Knox { .. } => "knox",
            Analysis::Forecast { .. } => "forecast",
            Analysis::Temporal { .. } => "temporal",
        }
    }

    fn common(&self) -> (&EventArgs, &OutputArgs) {
        match self {
            Analysis::Grid { events, output, .. }
            | Analysis::Kde { events, output, .. }
            | Analysis::Gistar { events, output, .. }
            | Analysis::Moran { events, output, .. }
            | Analysis::Knox { events, output, .. }
            | Analysis::Forecast { events, output, .. }
            | Analysis::Temporal { events, output } => (events, output),
        }
    }

    fn needs(&self) -> Needs {
        let (events, _) = self.common();
        let window = events.from.is_some() || events.to.is_some();
        match self {
            Analysis::Grid { .. } | Analysis::Kde { .. } | Analysis::Gistar { .. } | Analysis::Moran { .. } => {
                Needs { location: true, time: window }
            }
            Analysis::Knox { .. } | Analysis::Forecast { .. } => Needs { location: true, time: true },
            Analysis::Temporal { .. } => Needs { location: false, time: true },
        }
    }

    fn study_area_file(&self) -> Option<&PathBuf> {
        match self {
            Analysis::Grid { grid, .. }
            | Analysis::Kde { grid, .. }
            | Analysis::Gistar { grid, .. }
            | Analysis::Moran { grid, .. }
            | Analysis::Forecast { grid, .. } => grid.study_area.as_ref(),
            Analysis::Knox { .. } | Analysis::Temporal { .. } => None,
        }
    }
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Svg => "svg",
        }
    }
}

/// Keeps the events dated `from..=to`, and notes the window and how many were left out in the input object.
fn filter_window(loaded: &mut Loaded, from: Option<LocalDate>, to: Option<LocalDate>) -> anyhow::Result<()> {
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        bail!("--to {to} is before --from {from}");
    }
    if from.is_some() || to.is_some() {
        let events = &mut loaded.events;
        let keep: Vec<bool> = events
            .times
            .iter()
            .map(|time| from.is_none_or(|from| time.date() >= from) && to.is_none_or(|to| time.date() <= to))
            .collect();
        let before = events.times.len();
        if !events.points.is_empty() {
            let mut keep_iter = keep.iter();
            events.points.retain(|_| *keep_iter.next().expect("one time per point"));
        }
        let mut keep_iter = keep.iter();
        events.times.retain(|_| *keep_iter.next().expect("one flag per time"));
        loaded.input.insert("window".into(), json!({ "from": from, "to": to }));
        loaded.input.insert("outside_window".into(), json!(before - events.times.len()));
    }
    let n = loaded.events.times.len().max(loaded.events.points.len());
    loaded.input.insert("n_events".into(), json!(n));
    match loaded.events.crs {
        InputCrs::None => {}
        InputCrs::Planar => {
            loaded.input.insert("crs".into(), json!("planar"));
        }
        InputCrs::Local { origin_lon, origin_lat, .. } => {
            loaded.input.insert("crs".into(), json!("local-equirectangular"));
            loaded.input.insert("origin".into(), json!({ "lon": origin_lon, "lat": origin_lat }));
        }
    }
    if n == 0 {
        let source = loaded.input.get("source").and_then(Value::as_str).unwrap_or("events");
        let window = if from.is_some() || to.is_some() { " in the --from/--to window" } else { "" };
        bail!("no events to analyse: the {source} selected hold none{window}");
    }
    Ok(())
}

/// The study area of `--study-area`, in the events' metres.
fn read_study_area(path: &Path, events: &Events) -> anyhow::Result<StudyArea> {
    match events.crs {
        InputCrs::Local { projection, .. } => {
            StudyArea::from_geojson(path, false, &|lon, lat| projection.forward(lon, lat))
        }
        InputCrs::Planar | InputCrs::None => StudyArea::from_geojson(path, true, &|x, y| (x, y)),
    }
}

/// The grid over the events and, when there is one, the study area.
fn grid_for(loaded: &Loaded, cell: f64) -> anyhow::Result<Grid> {
    let points = &loaded.events.points;
    let mut bounds = sakshy_analytics::grid::bounds(points)?.context("no events to put on a grid")?;
    if let Some((x0, y0, x1, y1)) = loaded.study_area.as_ref().and_then(StudyArea::bounds) {
        bounds = (bounds.0.min(x0), bounds.1.min(y0), bounds.2.max(x1), bounds.3.max(y1));
    }
    Ok(Grid::covering_bounds(bounds, cell)?)
}

fn grid_parameters(grid: &GridArgs, loaded: &Loaded) -> Map<String, Value> {
    let mut parameters = Map::new();
    parameters.insert("cell_m".into(), json!(grid.cell));
    parameters.insert(
        "study_area".into(),
        match &loaded.study_area {
            Some(area) => json!({ "source": area.source, "area_m2": area.area_m2() }),
            None => Value::Null,
        },
    );
    parameters
}

fn run_grid(loaded: &Loaded, args: &GridArgs, format: Format) -> anyhow::Result<String> {
    let grid = grid_for(loaded, args.cell)?;
    let counts = grid.counts(&loaded.events.points);
    let cell_area = grid.cell_area();
    let intensity: Vec<f64> = counts.iter().map(|&c| f64::from(c) / cell_area).collect();
    let svg_values: Vec<f64> = counts.iter().map(|&c| f64::from(c)).collect();
    let layers = Layers::new(grid, loaded.events.crs)
        .with("counts", Layer::Counts(counts))
        .with("intensity", Layer::Values(intensity));
    output::render(
        format,
        || {
            let mut out = output::header("grid", loaded, Value::Object(grid_parameters(args, loaded)));
            layers.write_json(&mut out);
            Value::Object(out)
        },
        || Ok(layers.table()),
        || {
            output::grid_map(
                loaded,
                &grid,
                &svg_values,
                output::MapKind::Sequential,
                "Events per cell",
                &format!("Events per {} m cell", output::number(args.cell)),
                "Events",
            )
        },
    )
}

fn kde_config(args: &KdeArgs) -> KdeConfig {
    let kernel = match args.kernel {
        KernelArg::Gaussian => Kernel::Gaussian,
        KernelArg::Quartic => Kernel::Quartic,
    };
    let bandwidth = args.bandwidth.unwrap_or(match kernel {
        Kernel::Gaussian => Bandwidth::Scott,
        Kernel::Quartic => Bandwidth::ArcGis,
    });
    let evaluation = if args.exact { Evaluation::Exact } else { Evaluation::Truncated { tolerance: args.tolerance } };
    KdeConfig { kernel, bandwidth, evaluation }
}

fn kde_parameters(config: &KdeConfig, resolved_m: f64) -> Value {
    json!({
        "kernel": config.kernel.name(),
        "bandwidth_rule": config.bandwidth.rule_name(),
        "bandwidth_m": resolved_m,
        "evaluation": match config.evaluation { Evaluation::Exact => "exact", Evaluation::Truncated { .. } => "truncated" },
        "tolerance": match config.evaluation { Evaluation::Exact => None, Evaluation::Truncated { tolerance } => Some(tolerance) },
    })
}

fn run_kde(loaded: &Loaded, grid_args: &GridArgs, args: &KdeArgs, format: Format) -> anyhow::Result<String> {
    let grid = grid_for(loaded, grid_args.cell)?;
    let config = kde_config(args);
    let points = &loaded.events.points;
    let result = kde::kernel_density(points, None, &grid, &config).context("kernel density")?;
    let counts = grid.counts(points);
    let per_km2: Vec<f64> = result.intensity.iter().map(|v| v * 1e6).collect();
    let layers = Layers::new(grid, loaded.events.crs)
        .with("counts", Layer::Counts(counts))
        .with("intensity", Layer::Values(result.intensity.clone()));
    output::render(
        format,
        || {
            let mut parameters = grid_parameters(grid_args, loaded);
            if let Value::Object(kde) = kde_parameters(&config, result.bandwidth) {
                parameters.extend(kde);
            }
            let mut out = output::header("kde", loaded, Value::Object(parameters));
            out.insert(
                "kde".into(),
                json!({
                    "bandwidth_m": result.bandwidth,
                    "max_intensity": result.max_intensity,
                    "truncation": result.truncation,
                    "total_weight": result.total_weight,
                    "mass": result.mass,
                    "edge_loss": result.edge_loss,
                }),
            );
            layers.write_json(&mut out);
            Value::Object(out)
        },
        || Ok(layers.table()),
        || {
            output::grid_map(
                loaded,
                &grid,
                &per_km2,
                output::MapKind::Sequential,
                "Kernel density of events",
                &format!(
                    "Kernel density ({} kernel, bandwidth {} m) at the centres of {} m cells, in events per square \
                     kilometre.",
                    config.kernel.name(),
                    output::number(result.bandwidth),
                    output::number(grid_args.cell)
                ),
                "Events per km²",
            )
        },
    )
}

/// The weights of the cells and, with a study area, which cells are observations.
struct CellWeights {
    weights: Weights,
    /// Flat index of each observation; `None`: every cell, in order.
    cells: Option<Vec<usize>>,
}

impl CellWeights {
    fn new(grid: &Grid, spec: WeightsSpec, mask: Option<&[bool]>) -> anyhow::Result<CellWeights> {
        Ok(match (mask, spec) {
            (None, WeightsSpec::Queen) => CellWeights { weights: Weights::queen(grid), cells: None },
            (None, WeightsSpec::Distance(band)) => {
                CellWeights { weights: Weights::grid_distance_band(grid, band)?, cells: None }
            }
            (Some(mask), spec) => {
                let gridded = match spec {
                    WeightsSpec::Queen => GridWeights::queen(grid, mask)?,
                    WeightsSpec::Distance(band) => GridWeights::distance_band(grid, mask, band)?,
                };
                CellWeights { weights: gridded.weights, cells: Some(gridded.cells) }
            }
        })
    }

    fn gather(&self, per_cell: &[f64]) -> Vec<f64> {
        match &self.cells {
            Some(cells) => cells.iter().map(|&c| per_cell[c]).collect(),
            None => per_cell.to_vec(),
        }
    }

    fn scatter<T: Copy>(&self, per_observation: &[T], grid: &Grid, fill: T) -> Vec<T> {
        match &self.cells {
            Some(cells) => {
                let mut out = vec![fill; grid.len()];
                for (&cell, &value) in cells.iter().zip(per_observation) {
                    out[cell] = value;
                }
                out
            }
            None => per_observation.to_vec(),
        }
    }
}

fn correction(args: &SpatialArgs) -> Correction {
    match (args.fdr, args.correction) {
        (true, _) | (_, CorrectionArg::Fdr) => Correction::FalseDiscoveryRate,
        (_, CorrectionArg::Bonferroni) => Correction::Bonferroni,
        (_, CorrectionArg::None) => Correction::None,
    }
}

fn correction_name(correction: Correction) -> &'static str {
    match correction {
        Correction::None => "none",
        Correction::FalseDiscoveryRate => "fdr",
        Correction::Bonferroni => "bonferroni",
    }
}

fn spatial_parameters(args: &SpatialArgs, grid_args: &GridArgs, loaded: &Loaded) -> Map<String, Value> {
    let mut parameters = grid_parameters(grid_args, loaded);
    parameters.insert(
        "weights".into(),
        match args.weights {
            WeightsSpec::Queen => json!({ "type": "queen" }),
            WeightsSpec::Distance(band) => json!({ "type": "distance", "distance_m": band }),
        },
    );
    parameters.insert("permutations".into(), json!(args.permutations));
    parameters.insert("seed".into(), json!(args.seed));
    parameters.insert("pseudo_p".into(), json!("conservative"));
    parameters.insert("correction".into(), json!(correction_name(correction(args))));
    parameters
}

/// The grid, its counts, and the weights over the cells of the study area (all cells without one).
fn spatial_setup(
    loaded: &Loaded,
    grid_args: &GridArgs,
    spec: WeightsSpec,
) -> anyhow::Result<(Grid, Vec<u32>, CellWeights)> {
    let grid = grid_for(loaded, grid_args.cell)?;
    let counts = grid.counts(&loaded.events.points);
    let mask: Option<Vec<bool>> =
        loaded.study_area.as_ref().map(|area| area.cell_fractions(&grid).iter().map(|&f| f > 0.0).collect());
    let weights = CellWeights::new(&grid, spec, mask.as_deref()).context("building the spatial weights")?;
    Ok((grid, counts, weights))
}

fn run_gistar(loaded: &Loaded, grid_args: &GridArgs, args: &SpatialArgs, format: Format) -> anyhow::Result<String> {
    let (grid, counts, weights) = spatial_setup(loaded, grid_args, args.weights)?;
    let values = weights.gather(&counts.iter().map(|&c| f64::from(c)).collect::<Vec<_>>());
    let config = PermutationConfig { permutations: args.permutations, seed: args.seed, rule: PseudoP::Conservative };
    let result = gistar::gistar(&values, &weights.weights, &config).context("Gi*")?;
    let correction = correction(args);
    let inference = if args.permutations > 0 { Inference::Permutation } else { Inference::Normal };
    let bins = result.hotspot_bins(inference, correction)?;
    let p: Vec<f64> = match (&result.p_sim, inference) {
        (Some(p_sim), Inference::Permutation) => p_sim.clone(),
        _ => result.p_norm.iter().map(|p| (2.0 * p).min(1.0)).collect(),
    };
    let q = fdr::adjust(&p.iter().map(|&p| if p.is_nan() { 1.0 } else { p }).collect::<Vec<_>>(), correction)?;
    let z = weights.scatter(&result.z, &grid, f64::NAN);
    let hot: Vec<Option<i64>> =
        weights.scatter(&bins.iter().map(|&b| Some(i64::from(b))).collect::<Vec<_>>(), &grid, None);
    let hot_i8: Vec<i8> = hot.iter().map(|b| b.map_or(0, |b| b as i8)).collect();
    let mut layers = Layers::new(grid, loaded.events.crs)
        .with("counts", Layer::Counts(counts))
        .with("z", Layer::Values(z.clone()))
        .with("p_norm", Layer::Values(weights.scatter(&result.p_norm, &grid, f64::NAN)));
    if let (Some(p_sim), Some(z_sim)) = (&result.p_sim, &result.z_sim) {
        layers = layers
            .with("p_sim", Layer::Values(weights.scatter(p_sim, &grid, f64::NAN)))
            .with("z_sim", Layer::Values(weights.scatter(z_sim, &grid, f64::NAN)));
    }
    let layers =
        layers.with("q", Layer::Values(weights.scatter(&q, &grid, f64::NAN))).with("hotspot", Layer::Classes(hot));
    let n_hot = bins.iter().filter(|&&b| b > 0).count();
    let n_cold = bins.iter().filter(|&&b| b < 0).count();
    output::render(
        format,
        || {
            let mut parameters = spatial_parameters(args, grid_args, loaded);
            parameters.insert(
                "hotspot_p".into(),
                json!(match inference {
                    Inference::Permutation => "p_sim",
                    Inference::Normal => "two-sided p_norm",
                }),
            );
            let mut out = output::header("gistar", loaded, Value::Object(parameters));
            out.insert(
                "summary".into(),
                json!({ "observations": values.len(), "hot_cells": n_hot, "cold_cells": n_cold }),
            );
            layers.write_json(&mut out);
            Value::Object(out)
        },
        || Ok(layers.table()),
        || {
            output::grid_map(
                loaded,
                &grid,
                &z,
                output::MapKind::HotCold(&hot_i8),
                "Hot spots (Getis–Ord Gi*)",
                &format!(
                    "Gi* hot and cold spots of event counts in {} m cells: {n_hot} hot and {n_cold} cold cells at 90 % \
                     confidence or more ({} permutations, correction {}).",
                    output::number(grid_args.cell),
                    args.permutations,
                    correction_name(correction)
                ),
                "Gi* class",
            )
        },
    )
}

fn run_moran(
    loaded: &Loaded,
    grid_args: &GridArgs,
    args: &SpatialArgs,
    alpha: f64,
    format: Format,
) -> anyhow::Result<String> {
    let (grid, counts, weights) = spatial_setup(loaded, grid_args, args.weights)?;
    let values = weights.gather(&counts.iter().map(|&c| f64::from(c)).collect::<Vec<_>>());
    let config = PermutationConfig { permutations: args.permutations, seed: args.seed, rule: PseudoP::Conservative };
    let global = moran::global_moran(&values, &weights.weights, &config).context("global Moran's I")?;
    let local = moran::local_moran(&values, &weights.weights, &config).context("local Moran")?;
    let correction = correction(args);
    let clusters = match local.p_sim {
        Some(_) => Some(local.clusters(alpha, correction)?),
        None => None,
    };
    let to_class = |values: &[u8]| values.iter().map(|&v| Some(i64::from(v))).collect::<Vec<_>>();
    let mut layers = Layers::new(grid, loaded.events.crs)
        .with("counts", Layer::Counts(counts))
        .with("local_i", Layer::Values(weights.scatter(&local.i, &grid, f64::NAN)))
        .with("quadrant", Layer::Classes(weights.scatter(&to_class(&local.quadrant), &grid, None)));
    let mut q_layer = None;
    if let (Some(p_sim), Some(z_sim)) = (&local.p_sim, &local.z_sim) {
        let q = fdr::adjust(p_sim, correction)?;
        q_layer = Some(weights.scatter(&q, &grid, f64::NAN));
        layers = layers
            .with("p_sim", Layer::Values(weights.scatter(p_sim, &grid, f64::NAN)))
            .with("z_sim", Layer::Values(weights.scatter(z_sim, &grid, f64::NAN)));
    }
    if let Some(q) = q_layer {
        layers = layers.with("q", Layer::Values(q));
    }
    let cluster_cells = clusters.as_ref().map(|c| weights.scatter(&to_class(c), &grid, None));
    if let Some(cells) = &cluster_cells {
        layers = layers.with("cluster", Layer::Classes(cells.clone()));
    }
    let map_values: Vec<f64> = match &cluster_cells {
        Some(cells) => cells.iter().map(|c| c.map_or(f64::NAN, |c| c as f64)).collect(),
        None => weights
            .scatter(&to_class(&local.quadrant), &grid, None)
            .iter()
            .map(|c| c.map_or(f64::NAN, |c| c as f64))
            .collect(),
    };
    output::render(
        format,
        || {
            let mut parameters = spatial_parameters(args, grid_args, loaded);
            parameters.insert("alpha".into(), json!(alpha));
            let mut out = output::header("moran", loaded, Value::Object(parameters));
            out.insert("observations".into(), json!(values.len()));
            out.insert("global".into(), json!(global));
            layers.write_json(&mut out);
            Value::Object(out)
        },
        || Ok(layers.table()),
        || {
            let description = format!(
                "Local Moran (LISA) clusters of event counts in {} m cells{}. Global Moran's I = {} (z = {}).",
                output::number(grid_args.cell),
                if cluster_cells.is_some() {
                    format!(
                        " at p ≤ {alpha} ({} permutations, correction {})",
                        args.permutations,
                        correction_name(correction)
                    )
                } else {
                    ": Moran scatterplot quadrants, untested (no permutations)".to_owned()
                },
                output::number(global.i),
                output::number(global.z_rand)
            );
            output::grid_map(
                loaded,
                &grid,
                &map_values,
                output::MapKind::Lisa { tested: cluster_cells.is_some() },
                "Clusters and outliers (local Moran)",
                &description,
                "LISA cluster",
            )
        },
    )
}

fn run_knox(loaded: &Loaded, args: &KnoxArgs, format: Format) -> anyhow::Result<String> {
    let events = &loaded.events;
    // The Near Repeat Calculator reads whole dates; so does this: day numbers since 1970-01-01.
    let times: Vec<f64> = events.times.iter().map(|t| f64::from(t.date().days_since_epoch())).collect();
    let config = KnoxConfig {
        metric: args.metric,
        space_band_m: args.space_band,
        space_bands: args.space_bands,
        time_band_days: args.time_band,
        time_bands: args.time_bands,
        permutations: args.permutations,
        seed: args.seed,
        nrc_compat: args.nrc_compat,
    };
    let table = knox::knox(&events.points, &times, &config).context("the Knox table")?;
    let findings = table.findings(args.alpha, NRC_MIN_RATIO);
    let (row_labels, col_labels) = output::knox_labels(&table);
    let summary = output::knox_summary(&findings, args.alpha);
    output::render(
        format,
        || {
            let parameters = json!({
                "metric": args.metric.to_string(),
                "space_band_m": args.space_band,
                "space_bands": args.space_bands,
                "time_band_days": args.time_band,
                "time_bands": args.time_bands,
                "time_unit": "days between the events' dates",
                "permutations": args.permutations,
                "seed": args.seed,
                "nrc_compat": args.nrc_compat,
                "alpha": args.alpha,
                "min_ratio": NRC_MIN_RATIO,
            });
            let mut out = output::header("knox", loaded, parameters);
            out.insert("space_edges".into(), json!(table.space_edges));
            out.insert("time_edges".into(), json!(table.time_edges));
            out.insert("row_labels".into(), json!(row_labels));
            out.insert("col_labels".into(), json!(col_labels));
            out.insert("observed".into(), json!(table.observed));
            out.insert("expected_mean".into(), json!(table.expected_mean));
            out.insert("expected_min".into(), json!(table.expected_min));
            out.insert("expected_max".into(), json!(table.expected_max));
            out.insert("knox_ratio".into(), json!(table.knox_ratio));
            out.insert("p_value".into(), json!(table.p_value));
            out.insert("findings".into(), json!(findings));
            out.insert("summary".into(), json!(summary));
            Value::Object(out)
        },
        || Ok(output::knox_table(&table)),
        || output::knox_svg(&table, &row_labels, &col_labels, args.alpha, &summary),
    )
}

fn run_forecast(
    loaded: &Loaded,
    grid_args: &GridArgs,
    kde_args: &KdeArgs,
    args: &ForecastArgs,
    format: Format,
) -> anyhow::Result<String> {
    let events = &loaded.events;
    let (mut period1, mut period2) = (Vec::new(), Vec::new());
    let (mut dates1, mut dates2) = (Vec::new(), Vec::new());
    for (&point, time) in events.points.iter().zip(&events.times) {
        if time.date() < args.split {
            period1.push(point);
            dates1.push(time.date());
        } else {
            period2.push(point);
            dates2.push(time.date());
        }
    }
    if period1.is_empty() || period2.is_empty() {
        bail!(
            "--split {} leaves {} events before it (period 1) and {} from it on (period 2); both periods need events",
            args.split,
            period1.len(),
            period2.len()
        );
    }
    let grid = grid_for(loaded, grid_args.cell)?;
    let config = kde_config(kde_args);
    let risk = kde::kernel_density(&period1, None, &grid, &config).context("the period-1 kernel density")?;
    let fractions = match &loaded.study_area {
        Some(area) => area.cell_fractions(&grid),
        None => vec![1.0; grid.len()],
    };
    let inside = |p: (f64, f64)| loaded.study_area.as_ref().is_none_or(|area| area.contains(&fractions, &grid, p));
    let count_inside = |points: &[(f64, f64)]| {
        let mut counts = vec![0u32; grid.len()];
        let mut outside = 0usize;
        for &p in points {
            match grid.index_of(p.0, p.1) {
                Some(cell) if inside(p) => counts[cell] += 1,
                _ => outside += 1,
            }
        }
        (counts, outside)
    };
    let (counts1, outside1) = count_inside(&period1);
    let (counts2, outside2) = count_inside(&period2);
    let forecast = HotspotForecast::new(grid, &fractions, &risk.intensity, &counts2)
        .and_then(|f| f.with_period1(&counts1))
        .context("scoring the forecast")?;
    let score = forecast.score(args.coverage)?;
    let mut coverages: Vec<f64> =
        if args.curve.is_empty() { DEFAULT_CURVE_COVERAGES.to_vec() } else { args.curve.clone() };
    if !coverages.contains(&args.coverage) {
        coverages.push(args.coverage);
    }
    coverages.sort_by(f64::total_cmp);
    coverages.dedup();
    let curve = forecast.curve(&coverages)?;
    let mut flagged = vec![false; grid.len()];
    for &cell in forecast.flagged(args.coverage)? {
        flagged[cell] = true;
    }
    let study_area = match &loaded.study_area {
        Some(area) => json!({
            "source": area.source,
            "area_m2": forecast.study_area_m2(),
            "polygon_area_m2": area.area_m2(),
            "cells": fractions.iter().filter(|&&f| f > 0.0).count(),
        }),
        None => json!({
            "source": "bounding box",
            "area_m2": forecast.study_area_m2(),
            "cells": grid.len(),
            "note": "no study area was given, so the study area is the grid's bounding box: PAI is inflated by the \
                     empty parts of the box; give --study-area (or use --source with quadrants)",
        }),
    };
    let layers = Layers::new(grid, events.crs)
        .with("risk", Layer::Values(risk.intensity.clone()))
        .with("study_fraction", Layer::Values(fractions.clone()))
        .with("period1_counts", Layer::Counts(counts1))
        .with("period2_counts", Layer::Counts(counts2))
        .with("flagged", Layer::Flags(flagged.clone()));
    let period = |dates: &[LocalDate], n_outside: usize| {
        json!({
            "first_date": dates.iter().min(),
            "last_date": dates.iter().max(),
            "n_events": dates.len(),
            "outside_study_area": n_outside,
        })
    };
    output::render(
        format,
        || {
            let mut parameters = grid_parameters(grid_args, loaded);
            if let Value::Object(kde) = kde_parameters(&config, risk.bandwidth) {
                parameters.extend(kde);
            }
            parameters.insert("split".into(), json!(args.split));
            parameters.insert("coverage".into(), json!(args.coverage));
            parameters.insert("curve_coverages".into(), json!(coverages));
            parameters.insert("ranking".into(), json!("period-1 kernel density, ties to the lower cell index"));
            let mut out = output::header("forecast", loaded, Value::Object(parameters));
            out.insert("study_area".into(), study_area.clone());
            out.insert(
                "periods".into(),
                json!({ "training": period(&dates1, outside1), "test": period(&dates2, outside2) }),
            );
            out.insert("score".into(), json!(score));
            out.insert("curve".into(), json!(curve));
            layers.write_json(&mut out);
            Value::Object(out)
        },
        || Ok(layers.table()),
        || {
            let per_km2: Vec<f64> = risk.intensity.iter().map(|v| v * 1e6).collect();
            let flagged_rings: Vec<Vec<(f64, f64)>> = flagged
                .iter()
                .enumerate()
                .filter(|&(_, &f)| f)
                .map(|(cell, _)| {
                    let (row, col) = grid.row_col(cell);
                    let (x, y) = (grid.x0 + col as f64 * grid.cell, grid.y0 + row as f64 * grid.cell);
                    vec![(x, y), (x + grid.cell, y), (x + grid.cell, y + grid.cell), (x, y + grid.cell)]
                })
                .collect();
            output::forecast_map(
                loaded,
                &grid,
                &per_km2,
                &flagged_rings,
                &period2,
                &format!(
                    "Hotspot forecast: hit rate {} %, PAI {} at {} % of the area",
                    output::number(100.0 * score.hit_rate),
                    output::number(score.pai),
                    output::number(100.0 * score.area_fraction)
                ),
                &format!(
                    "Kernel density of the {} events before {} (period 1), with the {} flagged cells outlined and the \
                     {} events from {} on (period 2) as dots. Study area: {}.",
                    period1.len(),
                    args.split,
                    score.cells_flagged,
                    period2.len(),
                    args.split,
                    loaded.study_area.as_ref().map_or("the grid's bounding box (PAI inflated)", |a| a.source.as_str())
                ),
            )
        },
    )
}

fn run_temporal(loaded: &Loaded, format: Format) -> anyhow::Result<String> {
    let times = &loaded.events.times;
    let matrix = temporal::week_hour_matrix(&times.iter().map(|t| t.event_time()).collect::<Vec<_>>())?;
    let dates: Vec<LocalDate> = times.iter().map(|t| t.date()).collect();
    let first = dates.iter().min().expect("at least one event").year_month();
    let last = dates.iter().max().expect("at least one event").year_month();
    let trend = temporal::monthly_trend(&dates, first, last)?;
    output::render(
        format,
        || {
            let parameters = json!({
                "first_month": month_text(first),
                "last_month": month_text(last),
                "weekdays": output::WEEKDAYS,
                "time": "local civil time as given",
            });
            let mut out = output::header("temporal", loaded, parameters);
            out.insert("week_hour".into(), json!(matrix));
            out.insert("monthly".into(), json!(trend));
            Value::Object(out)
        },
        || Ok(output::temporal_table(&matrix, &trend)),
        || output::temporal_svg(&matrix, &trend),
    )
}

fn month_text(month: YearMonth) -> String {
    format!("{:04}-{:02}", month.year, month.month)
}

fn parse_date(text: &str) -> Result<LocalDate, String> {
    match input::parse_time(text)? {
        Time::Date(date) => Ok(date),
        Time::At(_) => Err(format!("{text:?}: give a date (YYYY-MM-DD) without a time")),
    }
}

fn parse_positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        _ => Err(format!("{text:?} is not a positive number")),
    }
}

fn parse_probability(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value > 0.0 && value < 1.0 => Ok(value),
        _ => Err(format!("{text:?} is not a number between 0 and 1 (exclusive)")),
    }
}

fn parse_coverage(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value > 0.0 && value <= 1.0 => Ok(value),
        _ => Err(format!("{text:?} is not a coverage in (0, 1]")),
    }
}

fn parse_bandwidth(text: &str) -> Result<Bandwidth, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "scott" => Ok(Bandwidth::Scott),
        "arcgis" => Ok(Bandwidth::ArcGis),
        other => parse_positive(other)
            .map(Bandwidth::Fixed)
            .map_err(|_| format!("{text:?} is neither a number of metres nor scott or arcgis")),
    }
}

fn parse_weights(text: &str) -> Result<WeightsSpec, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "queen" => Ok(WeightsSpec::Queen),
        other => match other.strip_prefix("distance:") {
            Some(metres) => parse_positive(metres).map(WeightsSpec::Distance),
            None => Err(format!("{text:?}: use queen or distance:METRES (e.g. distance:500)")),
        },
    }
    .map_err(|err| format!("--weights {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_with_named_errors() {
        assert_eq!(parse_weights("queen"), Ok(WeightsSpec::Queen));
        assert_eq!(parse_weights("distance:500"), Ok(WeightsSpec::Distance(500.0)));
        assert!(parse_weights("rook").is_err() && parse_weights("distance:-1").is_err());
        assert_eq!(parse_bandwidth("400"), Ok(Bandwidth::Fixed(400.0)));
        assert_eq!(parse_bandwidth("ArcGIS"), Ok(Bandwidth::ArcGis));
        assert!(parse_bandwidth("wide").is_err());
        assert_eq!(parse_date("2016-01-02"), Ok(LocalDate::from_ymd(2016, 1, 2).unwrap()));
        assert!(parse_date("2016-01-02T10:00").is_err());
        assert!(parse_coverage("0").is_err() && parse_coverage("1").is_ok());
    }
}
