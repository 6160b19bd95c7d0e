//! Place-based analytics over the stored incidents, for the analysts' pages and `/api/v1/analytics/…`:
//! hotspots (counts, kernel density and Getis–Ord Gi\* on a grid over the chosen area), the near-repeat (Knox)
//! table with its findings, and the weekday × hour and monthly profiles.
//!
//! An analysis is asked for by area (the city, a district or a quadrant), offence group and a window of local
//! dates. Events are projected to local metres about the city's centre ([`LocalProjection`]); the study area is
//! the territory itself, not its bounding box: each grid cell carries the exact share of it inside the territory,
//! and cells outside take no part in Gi\*. Results are about places and times only.
//!
//! Results are cached by their input: the query, the registry revision and the number of incidents the query
//! selects (incidents are only ever added, so a new import changes the count). The cache holds the latest
//! [`CACHE_ENTRIES`] results. Synthetic incidents are counted apart so that every page can say they are there.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_analytics::fdr::{Correction, PermutationConfig, PseudoP};
use sakshy_analytics::gistar::{Inference, gistar};
use sakshy_analytics::kde::{Bandwidth, Evaluation, KdeConfig, Kernel, kernel_density};
use sakshy_analytics::knox::{Findings, KnoxConfig, KnoxTable, Metric, NRC_MIN_RATIO, knox};
use sakshy_analytics::temporal::{
    EventTime, LocalDate, LocalDateTime, MonthlyTrend, WeekHourMatrix, YearMonth, monthly_trend, week_hour_matrix,
};
use sakshy_analytics::weights::GridWeights;
use sakshy_analytics::{Grid, LocalProjection};
use sakshy_core::incident::OffenceGroup;
use sakshy_core::{Code, Lang, Level, TerritoryVersion};
use sakshy_store::{IncidentFilter, IncidentOrigin};
use serde::Serialize;
use serde_json::{Value, json};

use crate::i18n::{RequestLang, text};
use crate::staff::Staff;
use crate::{ApiError, AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/analytics/hotspots", get(find_hotspots))
        .route("/api/v1/analytics/near-repeat", get(find_near_repeat))
        .route("/api/v1/analytics/temporal", get(find_temporal))
}

/// How many results the cache keeps.
pub const CACHE_ENTRIES: usize = 64;

/// Results by input, newest last.
#[derive(Default)]
pub struct Cache {
    entries: Mutex<VecDeque<(String, Arc<Value>)>>,
}

impl Cache {
    fn get(&self, key: &str) -> Option<Arc<Value>> {
        let entries = self.entries.lock().expect("the cache lock is never poisoned: no panics while held");
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
    }

    fn put(&self, key: String, value: Arc<Value>) {
        let mut entries = self.entries.lock().expect("the cache lock is never poisoned: no panics while held");
        entries.retain(|(k, _)| *k != key);
        if entries.len() == CACHE_ENTRIES {
            entries.pop_front();
        }
        entries.push_back((key, value));
    }
}

/// The area an analysis covers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Area {
    City,
    District(Code),
    Quadrant(Code),
}

impl Area {
    fn wire(&self) -> String {
        match self {
            Area::City => "city".into(),
            Area::District(code) => format!("district:{code}"),
            Area::Quadrant(code) => format!("quadrant:{code}"),
        }
    }
}

/// Which events an analysis reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Source {
    /// Recorded (or synthetic) offences.
    Incidents,
    /// Residents' appeals with a location, at the time they were filed.
    Appeals,
}

/// What an analysis is asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct AnalysisQuery {
    pub area: Area,
    pub source: Source,
    /// The offence group (incidents).
    pub group: Option<OffenceGroup>,
    /// The appeal category (appeals).
    pub category: Option<Code>,
    /// First local day, inclusive.
    pub from: NaiveDate,
    /// Last local day, inclusive.
    pub to: NaiveDate,
}

impl AnalysisQuery {
    fn key(&self) -> String {
        format!(
            "{}|{:?}|{}|{}|{}|{}",
            self.area.wire(),
            self.source,
            self.group.map_or("all", |g| g.as_str()),
            self.category.as_ref().map_or("all", |c| c.as_str()),
            self.from,
            self.to
        )
    }
}

fn bad(lang: Lang, field: &str, key: &str, value: &str) -> ApiError {
    ApiError::BadRequest {
        field: Some(field.to_owned()),
        message: text(lang, key, &[("value", FluentValue::from(value.to_owned()))]),
    }
}

/// Reads `area`, `source` (`incidents` or `appeals`), `group` (an offence group, for incidents), `category` (an
/// appeal category, for appeals), `from` and `to` (local dates; the last 365 days by default).
pub(crate) fn parse_query(
    registry: &Registry,
    params: &HashMap<String, String>,
    lang: Lang,
) -> Result<AnalysisQuery, ApiError> {
    let get = |name: &str| params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let area = match get("area") {
        None | Some("city") => Area::City,
        Some(text) => {
            let (level, code) = text.split_once(':').ok_or_else(|| bad(lang, "area", "analytics-bad-area", text))?;
            let code = Code::parse(code).map_err(|_| bad(lang, "area", "analytics-bad-area", text))?;
            let (area, level) = match level {
                "district" => (Area::District(code.clone()), Level::District),
                "quadrant" => (Area::Quadrant(code.clone()), Level::Quadrant),
                _ => return Err(bad(lang, "area", "analytics-bad-area", text)),
            };
            if registry.level(level).all(|v| v.territory.code() != &code) {
                return Err(bad(lang, "area", "analytics-bad-area", text));
            }
            area
        }
    };
    let group = match get("group") {
        None | Some("all") => None,
        Some(text) => Some(
            OffenceGroup::ALL
                .into_iter()
                .find(|g| g.as_str() == text)
                .ok_or_else(|| bad(lang, "group", "analytics-bad-group", text))?,
        ),
    };
    let source = match get("source") {
        None | Some("incidents") => Source::Incidents,
        Some("appeals") => Source::Appeals,
        Some(text) => return Err(bad(lang, "source", "analytics-bad-source", text)),
    };
    let category = match get("category") {
        None | Some("all") => None,
        Some(text) => {
            let code = Code::parse(text).map_err(|_| bad(lang, "category", "analytics-bad-category", text))?;
            let known = registry.routing.as_ref().is_some_and(|r| r.category(&code).is_some());
            if !known {
                return Err(bad(lang, "category", "analytics-bad-category", text));
            }
            Some(code)
        }
    };
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let date = |name: &str, default: NaiveDate| match get(name) {
        None => Ok(default),
        Some(text) => {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad(lang, name, "analytics-bad-date", text))
        }
    };
    let to = date("to", today)?;
    let from = date("from", to - Duration::days(364))?;
    if from > to || (to - from).num_days() > 366 * 10 {
        return Err(bad(lang, "from", "analytics-bad-window", &format!("{from} – {to}")));
    }
    Ok(AnalysisQuery { area, source, group, category, from, to })
}

/// The territory an area is.
fn territory<'a>(registry: &'a Registry, area: &Area) -> Option<&'a TerritoryVersion> {
    let (level, code) = match area {
        Area::City => return registry.level(Level::City).next(),
        Area::District(code) => (Level::District, code),
        Area::Quadrant(code) => (Level::Quadrant, code),
    };
    registry.level(level).find(|v| v.territory.code() == code)
}

/// The events of a query, in local metres and local time.
pub(crate) struct Events {
    pub projection: LocalProjection,
    pub points: Vec<(f64, f64)>,
    /// Days since the window's first midnight, for the Knox test.
    pub days: Vec<f64>,
    pub times: Vec<EventTime>,
    pub dates: Vec<LocalDate>,
    /// How many of them are synthetic (demo data).
    pub synthetic: usize,
}

fn epoch_ms(registry: &Registry, date: NaiveDate) -> i64 {
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    registry
        .city
        .timezone
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| midnight.and_utc().timestamp_millis(), |t| t.timestamp_millis())
}

fn filter(registry: &Registry, query: &AnalysisQuery) -> IncidentFilter {
    let mut filter =
        IncidentFilter::window(epoch_ms(registry, query.from), epoch_ms(registry, query.to + Duration::days(1)));
    filter.groups = query.group.into_iter().collect();
    match &query.area {
        Area::City => {}
        Area::District(code) => filter.district = Some(code.clone()),
        Area::Quadrant(code) => filter.quadrant = Some(code.clone()),
    }
    filter
}

/// The projection every analysis of a city uses: about the centre of the city's bounding box.
pub(crate) fn projection(registry: &Registry) -> LocalProjection {
    let centre = registry.level(Level::City).next().map(|v| v.territory.bbox().center());
    let (lon, lat) = centre.map_or((0.0, 0.0), |c| (c.x, c.y));
    LocalProjection::new(lon, lat)
        .unwrap_or_else(|_| LocalProjection::new(0.0, 0.0).expect("the origin (0, 0) is a valid projection centre"))
}

/// The stored rows of a query: (lon, lat), UTC epoch milliseconds, whether the hour is known; and how many are
/// synthetic.
async fn stored_rows(
    state: &AppState,
    registry: &Registry,
    query: &AnalysisQuery,
) -> Result<(Vec<((f64, f64), i64, bool)>, usize), ApiError> {
    let internal = |err: sakshy_store::StorageError| ApiError::internal(Lang::En, err);
    let filter = filter(registry, query);
    match query.source {
        Source::Incidents => {
            let rows = state.store.incidents(registry.city_id, &filter).await.map_err(internal)?;
            let synthetic_filter = IncidentFilter { origin: Some(IncidentOrigin::Synthetic), ..filter };
            let synthetic = state.store.incident_count(registry.city_id, &synthetic_filter).await.map_err(internal)?;
            let rows =
                rows.iter().map(|r| ((r.location.x(), r.location.y()), r.occurred_at_ms, r.hour_known)).collect();
            Ok((rows, usize::try_from(synthetic).unwrap_or(0)))
        }
        Source::Appeals => {
            let appeal_filter = appeal_filter(query, &filter);
            let (mut rows, mut synthetic) = (Vec::new(), 0);
            let mut after = None;
            loop {
                let page = state
                    .store
                    .list_appeals(registry.city_id, &appeal_filter, after, APPEAL_PAGE)
                    .await
                    .map_err(internal)?;
                for appeal in &page {
                    if let Some(point) = appeal.point {
                        rows.push((point, appeal.created_at_ms, true));
                        synthetic += usize::from(appeal.synthetic);
                    }
                }
                match page.last() {
                    Some(last) if page.len() == APPEAL_PAGE as usize => {
                        after = Some(sakshy_store::AppealCursor {
                            created_at_ms: last.created_at_ms,
                            appeal_id: last.appeal_id,
                        });
                    }
                    _ => break,
                }
            }
            rows.reverse();
            Ok((rows, synthetic))
        }
    }
}

/// Appeals are read in pages of this many.
const APPEAL_PAGE: u32 = 1_000;

fn appeal_filter(query: &AnalysisQuery, window: &IncidentFilter) -> sakshy_store::AppealFilter {
    sakshy_store::AppealFilter {
        category: query.category.clone(),
        quadrant: window.quadrant.clone(),
        district: window.district.clone(),
        created_from_ms: Some(window.from_ms),
        created_to_ms: Some(window.to_ms - 1),
        ..sakshy_store::AppealFilter::default()
    }
}

/// The events of a query, in local metres and local time (the API and the analysts' page read them alike).
pub(crate) async fn load_events(
    state: &AppState,
    registry: &Registry,
    query: &AnalysisQuery,
) -> Result<Events, ApiError> {
    let start_ms = filter(registry, query).from_ms;
    let (rows, synthetic) = stored_rows(state, registry, query).await?;
    let projection = projection(registry);
    let zone = registry.city.timezone;
    let mut events = Events {
        projection,
        points: Vec::with_capacity(rows.len()),
        days: Vec::with_capacity(rows.len()),
        times: Vec::with_capacity(rows.len()),
        dates: Vec::with_capacity(rows.len()),
        synthetic,
    };
    for ((lon, lat), at_ms, hour_known) in rows {
        let Some(local) = zone.timestamp_millis_opt(at_ms).single() else { continue };
        let naive = local.naive_local();
        let (y, m, d) = (naive.year(), naive.month(), naive.day());
        let Ok(date) = LocalDate::from_ymd(y, m, d) else { continue };
        let time = if hour_known {
            match LocalDateTime::from_ymd_hm(y, m, d, chrono::Timelike::hour(&naive), chrono::Timelike::minute(&naive))
            {
                Ok(at) => EventTime::At(at),
                Err(_) => continue,
            }
        } else {
            EventTime::DateOnly(date)
        };
        events.points.push(projection.forward(lon, lat));
        // Whole days for a date alone, as the Near Repeat Calculator counts them.
        let elapsed = (at_ms - start_ms) as f64 / 86_400_000.0;
        events.days.push(if hour_known { elapsed } else { elapsed.floor() });
        events.times.push(time);
        events.dates.push(date);
    }
    Ok(events)
}

/// Hotspots over an area: counts, kernel density and Gi\* per cell.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Hotspots {
    pub grid: Grid,
    /// Share of each cell inside the area, row-major.
    #[serde(skip)]
    pub inside: Vec<f64>,
    pub counts: Vec<u32>,
    /// Events per m² at each cell centre.
    pub intensity: Vec<f64>,
    pub bandwidth_m: f64,
    /// Gi\* z of each cell inside the area (`None` outside or undefined).
    pub z: Vec<Option<f64>>,
    /// Permutation p of each cell inside the area.
    pub p_sim: Vec<Option<f64>>,
    /// ArcGIS-style classes ±1/±2/±3 (90/95/99 %) from the analytical z with false-discovery-rate control, as
    /// ArcGIS's Hot Spot Analysis draws them (with 999 permutations the smallest pseudo p, 0.001, cannot pass FDR
    /// at 1 % over thousands of cells); 0 elsewhere. The permutation p is reported beside it.
    pub bins: Vec<i8>,
    pub permutations: usize,
    pub seed: u64,
}

/// The share of each cell inside the territory, exactly ([`Grid::area_shares`] on its polygons in metres).
fn cell_shares(grid: &Grid, projection: &LocalProjection, territory: &TerritoryVersion) -> Vec<f64> {
    let polygons: Vec<Vec<Vec<(f64, f64)>>> = territory
        .territory
        .geometry()
        .0
        .iter()
        .map(|polygon| {
            std::iter::once(polygon.exterior())
                .chain(polygon.interiors())
                .map(|ring| ring.coords().map(|c| projection.forward(c.x, c.y)).collect())
                .collect()
        })
        .collect();
    grid.area_shares(&polygons)
}

/// The default cell side for an area, metres.
pub(crate) fn default_cell(area: &Area) -> f64 {
    match area {
        Area::Quadrant(_) => 50.0,
        Area::District(_) => 150.0,
        Area::City => 300.0,
    }
}

pub(crate) fn hotspots(
    registry: &Registry,
    query: &AnalysisQuery,
    events: &Events,
    cell: f64,
    permutations: usize,
    seed: u64,
) -> Result<Hotspots, String> {
    let version = territory(registry, &query.area).ok_or("the area is not in the registry")?;
    let bbox = version.territory.bbox();
    let (xmin, ymin) = events.projection.forward(bbox.min().x, bbox.min().y);
    let (xmax, ymax) = events.projection.forward(bbox.max().x, bbox.max().y);
    let grid = Grid::covering_bounds((xmin, ymin, xmax, ymax), cell).map_err(|err| err.to_string())?;
    let inside = cell_shares(&grid, &events.projection, version);
    let counts = grid.counts(&events.points);
    // Bandwidth: three cells, the scale at which analysts read a hotspot map (Chainey 2013).
    let bandwidth_m = 3.0 * cell;
    let intensity = if events.points.is_empty() {
        vec![0.0; grid.len()]
    } else {
        let config = KdeConfig {
            kernel: Kernel::Gaussian,
            bandwidth: Bandwidth::Fixed(bandwidth_m),
            evaluation: Evaluation::truncated(),
        };
        kernel_density(&events.points, None, &grid, &config).map_err(|err| err.to_string())?.intensity
    };
    let mask: Vec<bool> = inside.iter().map(|&share| share > 0.0).collect();
    let weights = GridWeights::queen(&grid, &mask).map_err(|err| err.to_string())?;
    let values: Vec<f64> = weights.gather(&counts).into_iter().map(f64::from).collect();
    let mut z = vec![None; grid.len()];
    let mut p_sim = vec![None; grid.len()];
    let mut bins = vec![0i8; grid.len()];
    let varies = values.iter().any(|&v| v != values[0]);
    if values.len() > 2 && varies {
        let config = PermutationConfig { permutations, seed, rule: PseudoP::Conservative };
        let result = gistar(&values, &weights.weights, &config).map_err(|err| err.to_string())?;
        let classes =
            result.hotspot_bins(Inference::Normal, Correction::FalseDiscoveryRate).map_err(|err| err.to_string())?;
        for (k, &cell_index) in weights.cells.iter().enumerate() {
            z[cell_index] = Some(result.z[k]).filter(|v| v.is_finite());
            p_sim[cell_index] = result.p_sim.as_ref().map(|p| p[k]);
            bins[cell_index] = classes[k];
        }
    }
    Ok(Hotspots { grid, inside, counts, intensity, bandwidth_m, z, p_sim, bins, permutations, seed })
}

/// The near-repeat table of a query, with the NRC's bands for burglary: 100 m × 4, 7 days × 4, Manhattan.
pub(crate) fn near_repeat(events: &Events, permutations: usize, seed: u64) -> Result<(KnoxTable, Findings), String> {
    let config = KnoxConfig {
        metric: Metric::Manhattan,
        space_band_m: 100.0,
        space_bands: 4,
        time_band_days: 7.0,
        time_bands: 4,
        permutations,
        seed,
        nrc_compat: false,
    };
    let table = knox(&events.points, &events.days, &config).map_err(|err| err.to_string())?;
    let findings = table.findings(0.05, NRC_MIN_RATIO);
    Ok((table, findings))
}

/// The weekday × hour matrix and the monthly trend of a query.
pub(crate) fn temporal(query: &AnalysisQuery, events: &Events) -> Result<(WeekHourMatrix, MonthlyTrend), String> {
    let matrix = week_hour_matrix(&events.times).map_err(|err| err.to_string())?;
    let month = |d: NaiveDate| YearMonth::new(d.year(), d.month()).map_err(|err| err.to_string());
    let trend = monthly_trend(&events.dates, month(query.from)?, month(query.to)?).map_err(|err| err.to_string())?;
    Ok((matrix, trend))
}

/// Checks that the caller may read analytics, then loads the registry and the query, or answers why not.
fn prepare(
    state: &AppState,
    lang: Lang,
    principal: &sakshy_core::access::Principal,
    params: &HashMap<String, String>,
) -> Result<(Arc<Registry>, AnalysisQuery), ApiError> {
    principal.may_analyse().map_err(|err| crate::staff::access_error(&err, lang))?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let query = parse_query(&registry, params, lang)?;
    Ok((registry, query))
}

/// The cache key of a result: the method, its parameters, the query, the registry revision and the number of
/// incidents the query selects.
async fn cache_key(
    state: &AppState,
    registry: &Registry,
    method: &str,
    query: &AnalysisQuery,
    extra: &str,
) -> Result<String, ApiError> {
    let window = filter(registry, query);
    let internal = |err: sakshy_store::StorageError| ApiError::internal(Lang::En, err);
    let count = match query.source {
        Source::Incidents => state.store.incident_count(registry.city_id, &window).await.map_err(internal)?,
        Source::Appeals => state
            .store
            .count_appeals_by_state(registry.city_id, &appeal_filter(query, &window))
            .await
            .map_err(internal)?
            .iter()
            .map(|(_, n)| n)
            .sum(),
    };
    Ok(format!("{method}|{}|{extra}|r{}|n{count}", query.key(), registry.revision))
}

/// A number parameter within bounds, or its default.
fn number<T: std::str::FromStr + PartialOrd + Copy + ToString>(
    params: &HashMap<String, String>,
    name: &str,
    default: T,
    (min, max): (T, T),
    lang: Lang,
) -> Result<T, ApiError> {
    match params.get(name).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(text) => text
            .parse::<T>()
            .ok()
            .filter(|v| *v >= min && *v <= max)
            .ok_or_else(|| bad(lang, name, "analytics-bad-number", text)),
    }
}

/// `permutations` (default `default`, at least `min`, at most 9,999) and `seed` (default 1).
fn permutation_params(
    params: &HashMap<String, String>,
    default: usize,
    min: usize,
    lang: Lang,
) -> Result<(usize, u64), ApiError> {
    Ok((
        number(params, "permutations", default, (min, 9_999), lang)?,
        number(params, "seed", 1u64, (0, u64::MAX), lang)?,
    ))
}

/// Answers from the cache, or reads the query's events, checks them (`check`, e.g. enough of them) and
/// computes off the async threads, and caches. A hit reads nothing from the database but the count in `key`.
async fn cached(
    state: &AppState,
    registry: Arc<Registry>,
    query: AnalysisQuery,
    key: String,
    check: impl FnOnce(&Events) -> Result<(), ApiError>,
    compute: impl FnOnce(&Registry, &AnalysisQuery, &Events) -> Result<Value, String> + Send + 'static,
) -> Result<Arc<Value>, ApiError> {
    if let Some(hit) = state.analytics.get(&key) {
        metrics::counter!("analytics_cache_hits_total").increment(1);
        return Ok(hit);
    }
    let events = load_events(state, &registry, &query).await?;
    check(&events)?;
    let value = tokio::task::spawn_blocking(move || compute(&registry, &query, &events))
        .await
        .map_err(|err| ApiError::internal(Lang::En, err))?
        .map_err(|err| ApiError::internal(Lang::En, std::io::Error::other(err)))?;
    let value = Arc::new(value);
    state.analytics.put(key, value.clone());
    Ok(value)
}

fn common(query: &AnalysisQuery, events: &Events) -> Value {
    json!({
        "area": query.area.wire(),
        "source": match query.source { Source::Incidents => "incidents", Source::Appeals => "appeals" },
        "group": query.group.map(|g| g.as_str()),
        "category": query.category.as_ref().map(Code::as_str),
        "from": query.from.to_string(),
        "to": query.to.to_string(),
        "n_events": events.points.len(),
        "synthetic_events": events.synthetic,
    })
}

/// Per-cell values as `[nrows][ncols]`.
fn rows<T: Clone + Serialize>(grid: &Grid, values: &[T]) -> Value {
    json!(grid.rows(values))
}

pub(crate) fn hotspots_json(query: &AnalysisQuery, events: &Events, result: &Hotspots) -> Value {
    let mut value = common(query, events);
    value["grid"] = json!(result.grid);
    value["crs"] = json!({"kind": "local-equirectangular", "origin": origin(&events.projection)});
    value["bandwidth_m"] = json!(result.bandwidth_m);
    value["permutations"] = json!(result.permutations);
    value["seed"] = json!(result.seed);
    value["inside"] = rows(&result.grid, &result.inside);
    value["counts"] = rows(&result.grid, &result.counts);
    value["intensity"] = rows(&result.grid, &result.intensity);
    value["z"] = rows(&result.grid, &result.z);
    value["p_sim"] = rows(&result.grid, &result.p_sim);
    value["hotspot"] = rows(&result.grid, &result.bins);
    value
}

fn origin(projection: &LocalProjection) -> Value {
    let (lon, lat) = projection.inverse(0.0, 0.0);
    json!({"lon": lon, "lat": lat})
}

async fn find_hotspots(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let (registry, query) = prepare(&state, lang, &principal, &params)?;
    let cell = number(&params, "cell", default_cell(&query.area), (10.0, 5_000.0), lang)?;
    let (permutations, seed) = permutation_params(&params, 999, 0, lang)?;
    let key = cache_key(&state, &registry, "hotspots", &query, &format!("{cell}|{permutations}|{seed}")).await?;
    let value = cached(
        &state,
        registry,
        query,
        key,
        |_| Ok(()),
        move |registry, query, events| {
            let result = hotspots(registry, query, events, cell, permutations, seed)?;
            Ok(hotspots_json(query, events, &result))
        },
    )
    .await?;
    Ok(Json((*value).clone()))
}

pub(crate) fn near_repeat_json(
    query: &AnalysisQuery,
    events: &Events,
    table: &KnoxTable,
    findings: &Findings,
) -> Value {
    let mut value = common(query, events);
    value["knox"] = json!(table);
    value["findings"] = json!(findings);
    value
}

async fn find_near_repeat(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let (registry, query) = prepare(&state, lang, &principal, &params)?;
    let (permutations, seed) = permutation_params(&params, 99, 1, lang)?;
    let key = cache_key(&state, &registry, "near-repeat", &query, &format!("{permutations}|{seed}")).await?;
    let enough = |events: &Events| match events.points.len() {
        n if n < 2 => Err(bad(lang, "area", "analytics-too-few", &n.to_string())),
        _ => Ok(()),
    };
    let value = cached(&state, registry, query, key, enough, move |_, query, events| {
        let (table, findings) = near_repeat(events, permutations, seed)?;
        Ok(near_repeat_json(query, events, &table, &findings))
    })
    .await?;
    Ok(Json((*value).clone()))
}

async fn find_temporal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let (registry, query) = prepare(&state, lang, &principal, &params)?;
    let key = cache_key(&state, &registry, "temporal", &query, "").await?;
    let value = cached(
        &state,
        registry,
        query,
        key,
        |_| Ok(()),
        move |_, query, events| {
            let (matrix, trend) = temporal(query, events)?;
            let mut value = common(query, events);
            value["week_hour"] = json!(matrix);
            value["monthly"] = json!(trend);
            Ok(value)
        },
    )
    .await?;
    Ok(Json((*value).clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cache_keeps_the_latest_results_and_replaces_a_key() {
        let cache = Cache::default();
        for i in 0..=CACHE_ENTRIES {
            cache.put(format!("k{i}"), Arc::new(json!(i)));
        }
        assert!(cache.get("k0").is_none(), "the oldest went");
        assert_eq!(*cache.get(&format!("k{CACHE_ENTRIES}")).unwrap(), json!(CACHE_ENTRIES));
        cache.put("k1".into(), Arc::new(json!("new")));
        assert_eq!(*cache.get("k1").unwrap(), json!("new"));
    }
}
