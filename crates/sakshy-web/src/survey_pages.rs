//! The analysts' survey pages: `/staff/surveys` (instruments, waves, invitations, response imports, population
//! margins) and `/staff/surveys/{wave}` (the indices per quadrant, district and city with their intervals, the
//! map, the change from the previous wave and the trend), with the same estimates as JSON and CSV at
//! `/api/v1/surveys/{wave}/estimates` and `…/estimates.csv`.
//!
//! Running surveys (every POST here) is for analysts, supervisors and administrators
//! ([`sakshy_core::access::Principal::may_run_surveys`]); the results are aggregates about places and every staff
//! role may read them. Every state-changing form checks the session's CSRF token and is written to the audit
//! log. Files are previewed before anything is stored: an instrument shows its questions, pages and indices; a
//! responses export shows how many rows are good and every problem by line and column.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use sakshy_analytics::survey::Estimate;
use sakshy_analytics::svg::{
    self, AreaValue, Breaks, ChartText, Choropleth, ChoroplethArea, IntervalChart, IntervalPoint, IntervalSeries,
};
use sakshy_core::survey::{Instrument, parse_margins_csv, parse_responses_csv, parse_xlsform};
use sakshy_core::{Lang, Level};
use sakshy_store::{
    Channel, NewResponse, NewWave, PopulationMargin, StoredResponse, StoredWave, SurveyStoreError, WaveAccess,
    WaveStatus,
};
use serde_json::{Value, json};

use crate::auth::{StaffNav, StaffSession};
use crate::pages::{PageContext, page_context};
use crate::survey_analysis::{self, Respondent, WaveAnalysis, Weighting};
use crate::survey_text;
use crate::{AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys", get(show_surveys))
        .route("/staff/surveys/instruments", post(load_instrument))
        .route("/staff/surveys/waves", post(create_wave))
        .route("/staff/surveys/margins", post(load_margins))
        .route("/staff/surveys/{wave}", get(show_results))
        .route("/staff/surveys/{wave}/status", post(change_status))
        .route("/staff/surveys/{wave}/invitations", post(issue_invitations))
        .route("/staff/surveys/{wave}/responses", post(import_responses))
        .route("/api/v1/surveys/{wave}/estimates", get(estimates_json))
        .route("/api/v1/surveys/{wave}/estimates.csv", get(estimates_csv))
        .route("/staff/surveys/{wave}/estimates.json", get(page_estimates_json))
        .route("/staff/surveys/{wave}/estimates.csv", get(page_estimates_csv))
        .layer(axum::extract::DefaultBodyLimit::max(crate::admin_pages::MAX_FILE_BYTES))
}

/// The most invitations one request issues.
pub const MAX_INVITATIONS: usize = 10_000;

/// A row of the waves table.
struct WaveRow {
    code: String,
    title: String,
    instrument: String,
    status: String,
    open: bool,
    draft: bool,
    access: String,
    invitation: bool,
    dates: String,
    responses: i64,
    invitations: String,
    synthetic: bool,
    link: String,
}

/// A row of the instruments table.
struct InstrumentRow {
    id: i64,
    code: String,
    version: String,
    title: String,
    items: usize,
    indices: String,
}

/// One district's margins, summed.
struct MarginRow {
    district: String,
    cells: usize,
    population: String,
}

#[derive(Template)]
#[template(path = "staff/surveys.html")]
struct SurveysPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    may_run: bool,
    waves: Vec<WaveRow>,
    instruments: Vec<InstrumentRow>,
    margins: Vec<MarginRow>,
    today: String,
    has_default: bool,
}
page_context!(SurveysPage);

/// A problem shown in a table: where, and what.
pub(crate) struct ProblemRow {
    place: String,
    message: String,
}

/// One question of an instrument's preview.
struct PreviewItem {
    name: String,
    kind: String,
    label: String,
    required: bool,
    relevant: String,
    page: usize,
}

#[derive(Template)]
#[template(path = "staff/survey_preview.html")]
struct PreviewPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    /// `instrument` or `responses`.
    what: &'static str,
    heading: String,
    summary: Vec<String>,
    items: Vec<PreviewItem>,
    problems: Vec<ProblemRow>,
    problems_heading: String,
    /// What "apply" posts back: the parsed instrument as JSON, or the responses file.
    carried: String,
    action: String,
    can_apply: bool,
}
page_context!(PreviewPage);

/// One area's row in the results table.
struct EstimateRow {
    area: String,
    level: String,
    pilot: bool,
    n: usize,
    value: String,
    change: String,
    change_clear: bool,
}

/// One index on the results page.
struct IndexSection {
    code: String,
    label: String,
    map_svg: String,
    rows: Vec<EstimateRow>,
}

/// One closed question's answers: per choice, the city's share and the pilot's.
struct SharesTable {
    question: String,
    rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "staff/survey_results.html")]
struct ResultsPage {
    page: PageContext,
    nav: StaffNav,
    title: String,
    code: String,
    facts: String,
    weighting: String,
    synthetic: bool,
    previous: Option<String>,
    sections: Vec<IndexSection>,
    trend_svg: String,
    comments: Vec<String>,
    shares: Vec<SharesTable>,
    pilot_heading: String,
    collect_link: Option<String>,
    public_link: Option<String>,
}
page_context!(ResultsPage);

fn refused(page: &PageContext, session: &StaffSession) -> Option<Response> {
    session
        .principal
        .may_run_surveys()
        .err()
        .map(|err| crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang)))
}

fn status_label(page: &PageContext, status: WaveStatus) -> String {
    page.t(match status {
        WaveStatus::Draft => "survey-status-draft",
        WaveStatus::Open => "survey-status-open",
        WaveStatus::Closed => "survey-status-closed",
    })
}

async fn show_surveys(State(state): State<AppState>, page: PageContext, session: StaffSession) -> Response {
    if let Err(err) = session.principal.may_analyse() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let city = registry.city_id;
    let (waves, instruments, margins) = match tokio::try_join!(
        state.store.waves(city),
        state.store.instruments(city),
        state.store.population_margins(city)
    ) {
        Ok(loaded) => loaded,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let lang = page.lang;
    let parsed: HashMap<i64, Instrument> = instruments
        .iter()
        .filter_map(|i| Instrument::from_json(&i.definition).ok().map(|parsed| (i.id, parsed)))
        .collect();
    let instrument_name = |id: i64| {
        instruments.iter().find(|i| i.id == id).map_or_else(|| "—".to_owned(), |i| format!("{} {}", i.code, i.version))
    };
    let wave_rows = waves
        .iter()
        .map(|w| WaveRow {
            code: w.code.clone(),
            title: w.title.clone(),
            instrument: instrument_name(w.instrument_id),
            status: status_label(&page, w.status),
            open: w.status == WaveStatus::Open,
            draft: w.status == WaveStatus::Draft,
            access: page.t(match w.access {
                WaveAccess::Open => "survey-access-open",
                WaveAccess::Invitation => "survey-access-invitation",
            }),
            invitation: w.access == WaveAccess::Invitation,
            dates: format!("{} — {}", page.day(&w.opens_on), page.day(&w.closes_on)),
            responses: w.responses,
            invitations: if w.access == WaveAccess::Invitation {
                page.tr(
                    "survey-invitations-used",
                    &[("used", w.invitations_used.into()), ("issued", w.invitations.into())],
                )
            } else {
                String::new()
            },
            synthetic: w.synthetic,
            link: format!("/staff/surveys/{}?lang={}", w.code, lang.code()),
        })
        .collect();
    let instrument_rows = instruments
        .iter()
        .map(|i| {
            let parsed = parsed.get(&i.id);
            InstrumentRow {
                id: i.id,
                code: i.code.clone(),
                version: i.version.clone(),
                title: parsed.map_or_else(String::new, |p| p.title.get(lang).to_owned()),
                items: parsed.map_or(0, |p| p.items.len()),
                indices: parsed.map_or_else(String::new, |p| {
                    p.indices.iter().map(|x| x.label.get(lang).to_owned()).collect::<Vec<_>>().join(", ")
                }),
            }
        })
        .collect();
    let mut by_district: BTreeMap<String, (usize, f64)> = BTreeMap::new();
    for m in &margins {
        let entry = by_district.entry(m.district.clone()).or_insert((0, 0.0));
        entry.0 += 1;
        entry.1 += m.population;
    }
    let margin_rows = by_district
        .into_iter()
        .map(|(district, (cells, population))| MarginRow {
            district: territory_name(&registry, lang, &district),
            cells,
            population: crate::analytics_pages::local_number(lang, population.round()),
        })
        .collect();
    let default = sakshy_core::survey::default_instrument();
    let has_default = instruments.iter().any(|i| i.code == default.code && i.version == default.version);
    let view = SurveysPage {
        nav: StaffNav::of(&session),
        csrf: session.csrf.clone(),
        may_run: session.principal.may_run_surveys().is_ok(),
        waves: wave_rows,
        instruments: instrument_rows,
        margins: margin_rows,
        today: today(&state, &registry).to_string(),
        has_default,
        page,
    };
    view.page.render(&view)
}

/// Today in the city's zone, by the app's clock.
pub(crate) fn today(state: &AppState, registry: &Registry) -> NaiveDate {
    local_day(registry, state.clock.now_ms()).unwrap_or_default()
}

/// The day in the city's zone of an instant (UTC epoch milliseconds).
pub(crate) fn local_day(registry: &Registry, ms: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms).map(|t| t.with_timezone(&registry.city.timezone).date_naive())
}

/// A territory's name in a language, or its code when unknown.
pub(crate) fn territory_name(registry: &Registry, lang: Lang, code: &str) -> String {
    registry
        .territories
        .iter()
        .find(|v| v.territory.code().as_str() == code)
        .map_or_else(|| code.to_owned(), |v| v.territory.name().get(lang).to_owned())
}

/// The form of a survey POST, once its CSRF token and the principal's right to run surveys are checked.
async fn survey_form(
    page: &PageContext,
    session: &StaffSession,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<(HashMap<String, String>, HashMap<String, Vec<u8>>), Response> {
    let Some((fields, files)) = crate::admin_pages::form_parts(headers, body).await else {
        return Err(page.clone().message(StatusCode::BAD_REQUEST, page.t("survey-title"), page.t("admin-bad-form")));
    };
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return Err(crate::auth::csrf_refused(page));
    }
    if let Some(response) = refused(page, session) {
        return Err(response);
    }
    Ok((fields, files))
}

fn unprocessable(page: &PageContext, message: String) -> Response {
    page.clone().message(StatusCode::UNPROCESSABLE_ENTITY, page.t("survey-title"), message)
}

async fn load_instrument(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (fields, files) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let step = fields.get("step").map_or("preview", String::as_str);
    // The instrument: the shipped default, the JSON carried from a preview, or an uploaded file.
    let parsed = if fields.get("default").is_some_and(|v| v == "1") {
        Ok(sakshy_core::survey::default_instrument())
    } else if let Some(json) = fields.get("instrument").filter(|j| !j.trim().is_empty()) {
        Instrument::from_json(json)
    } else {
        let bytes = files.get("file").cloned().unwrap_or_default();
        if bytes.is_empty() {
            return unprocessable(&page, page.t("admin-no-file"));
        }
        let name = fields.get("file_name").map(String::as_str).unwrap_or("");
        if bytes.starts_with(b"PK") || name.ends_with(".xlsx") {
            parse_xlsform(&bytes)
        } else {
            Instrument::from_json(String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}'))
        }
    };
    let apply = step == "apply" || fields.get("default").is_some_and(|v| v == "1");
    match parsed {
        Ok(instrument) if apply => {
            let now_ms = state.clock.now_ms();
            let json = instrument.to_json();
            match state
                .store
                .save_instrument(registry.city_id, &instrument.code, &instrument.version, &json, now_ms)
                .await
            {
                Ok(saved) => {
                    let object = format!("{} {}", saved.code, saved.version);
                    crate::admin_pages::record(&state, &session, "survey_instrument_saved", &object, peer).await;
                    crate::admin_pages::see_other(&page, "/staff/surveys")
                }
                Err(SurveyStoreError::VersionExists { code, version }) => unprocessable(
                    &page,
                    page.tr("survey-version-exists", &[("code", code.into()), ("version", version.into())]),
                ),
                Err(err) => crate::pages::internal_error(&err),
            }
        }
        Ok(instrument) => {
            let pages = instrument.pages();
            let page_of = |index: usize| pages.iter().position(|r| r.contains(&index)).map_or(0, |p| p + 1);
            let items = instrument
                .items
                .iter()
                .enumerate()
                .map(|(index, item)| PreviewItem {
                    name: item.name.clone(),
                    kind: survey_text::kind_label(&page, &item.kind),
                    label: item.label.get(page.lang).to_owned(),
                    required: item.required,
                    relevant: item.relevant.as_ref().map_or_else(String::new, |e| e.source().to_owned()),
                    page: page_of(index),
                })
                .collect();
            let summary = vec![
                format!("{} — {} {}", instrument.title.get(page.lang), instrument.code, instrument.version),
                page.tr(
                    "survey-preview-counts",
                    &[
                        ("items", (instrument.items.len() as i64).into()),
                        ("pages", (pages.len() as i64).into()),
                        ("indices", (instrument.indices.len() as i64).into()),
                    ],
                ),
            ];
            let view = PreviewPage {
                nav: StaffNav::of(&session),
                csrf: session.csrf.clone(),
                what: "instrument",
                heading: page.t("survey-instrument-preview"),
                summary,
                items,
                problems: Vec::new(),
                problems_heading: String::new(),
                carried: instrument.to_json(),
                action: format!("/staff/surveys/instruments?lang={}", page.lang.code()),
                can_apply: true,
                page,
            };
            view.page.render(&view)
        }
        Err(problems) => {
            let rows: Vec<ProblemRow> = problems
                .iter()
                .map(|p| ProblemRow {
                    place: survey_text::form_place(&page, p),
                    message: survey_text::form_problem(&page, p),
                })
                .collect();
            let heading = page.t("survey-instrument-preview");
            problems_page(page, &session, "instrument", heading, rows)
        }
    }
}

/// A file refused: its problems, each with its place, and nothing to apply (422).
fn problems_page(
    page: PageContext,
    session: &StaffSession,
    what: &'static str,
    heading: String,
    rows: Vec<ProblemRow>,
) -> Response {
    let view = PreviewPage {
        nav: StaffNav::of(session),
        csrf: session.csrf.clone(),
        what,
        heading,
        summary: Vec::new(),
        items: Vec::new(),
        problems_heading: page.tn("admin-problems-count", "count", rows.len() as i64),
        problems: rows,
        carried: String::new(),
        action: String::new(),
        can_apply: false,
        page,
    };
    view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
}

fn parse_date(text: Option<&String>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text?.trim(), "%Y-%m-%d").ok()
}

/// Wave codes go in addresses: letters, digits, `-` and `_`, 1–40 characters.
pub(crate) fn valid_wave_code(code: &str) -> bool {
    (1..=40).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

async fn create_wave(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (fields, _) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let code = fields.get("code").map_or("", |c| c.trim());
    if !valid_wave_code(code) {
        return unprocessable(&page, page.t("survey-bad-code"));
    }
    let (Some(opens_on), Some(closes_on)) = (parse_date(fields.get("opens_on")), parse_date(fields.get("closes_on")))
    else {
        return unprocessable(&page, page.t("survey-bad-dates"));
    };
    let Some(instrument_id) = fields.get("instrument").and_then(|i| i.parse::<i64>().ok()) else {
        return unprocessable(&page, page.t("survey-no-instrument"));
    };
    let access = fields.get("access").and_then(|a| WaveAccess::parse(a)).unwrap_or(WaveAccess::Open);
    let title = fields.get("title").map_or("", |t| t.trim());
    let wave = NewWave {
        code,
        instrument_id,
        title: if title.is_empty() { code } else { title },
        access,
        opens_on,
        closes_on,
        synthetic: false,
    };
    match state.store.create_wave(registry.city_id, &wave, state.clock.now_ms()).await {
        Ok(_) => {
            crate::admin_pages::record(&state, &session, "survey_wave_created", code, peer).await;
            crate::admin_pages::see_other(&page, "/staff/surveys")
        }
        Err(err) => store_refusal(&page, &err),
    }
}

/// A store refusal in the page's language, or a 500 for a storage failure.
fn store_refusal(page: &PageContext, err: &SurveyStoreError) -> Response {
    match survey_text::store_error(page, err) {
        Some(message) => unprocessable(page, message),
        None => crate::pages::internal_error(err),
    }
}

async fn change_status(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (fields, _) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let Some(status) = fields.get("status").and_then(|s| WaveStatus::parse(s)) else {
        return unprocessable(&page, page.t("admin-bad-form"));
    };
    match state.store.set_wave_status(registry.city_id, &code, status).await {
        Ok(_) => {
            let object = format!("{code}:{}", status.as_str());
            crate::admin_pages::record(&state, &session, "survey_wave_status", &object, peer).await;
            crate::admin_pages::see_other(&page, "/staff/surveys")
        }
        Err(err) => store_refusal(&page, &err),
    }
}

/// A CSV of invitation links, one per row, served once (`no-store`); only the hashes stay in the database.
async fn issue_invitations(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (fields, _) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let count = fields.get("count").and_then(|c| c.trim().parse::<usize>().ok()).unwrap_or(0);
    if !(1..=MAX_INVITATIONS).contains(&count) {
        return unprocessable(&page, page.tn("survey-invitations-range", "max", MAX_INVITATIONS as i64));
    }
    let tokens = match state.store.issue_invitations(registry.city_id, &code, count, state.clock.now_ms()).await {
        Ok(tokens) => tokens,
        Err(err) => return store_refusal(&page, &err),
    };
    let object = format!("{code}:{count}");
    crate::admin_pages::record(&state, &session, "survey_invitations_issued", &object, peer).await;
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let base = format!("{scheme}://{host}");
    let mut csv = String::from("number,link\n");
    for (i, token) in tokens.iter().enumerate() {
        csv.push_str(&format!("{},{base}/survey/{code}?t={token}\n", i + 1));
    }
    let disposition = format!("attachment; filename=\"invitations-{code}.csv\"");
    let mut response = ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], csv).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Imports a KoboToolbox/ODK CSV export into a wave: a preview with every problem first, then the good rows in
/// one transaction (rows already imported, by their `_uuid`, are counted, not doubled).
async fn import_responses(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (fields, files) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let (wave, instrument) = match wave_and_instrument(&state, &registry, &code).await {
        Ok(Some(found)) => found,
        Ok(None) => {
            return page.clone().message(StatusCode::NOT_FOUND, page.t("survey-title"), page.t("survey-not-found"));
        }
        Err(response) => return response,
    };
    let text = match files.get("file").filter(|b| !b.is_empty()) {
        Some(bytes) => String::from_utf8_lossy(bytes).trim_start_matches('\u{feff}').to_owned(),
        None => fields.get("text").cloned().unwrap_or_default(),
    };
    if text.trim().is_empty() {
        return unprocessable(&page, page.t("admin-no-file"));
    }
    let mut file = match parse_responses_csv(&instrument, &text) {
        Ok(file) => file,
        Err(problem) => return unprocessable(&page, survey_text::file_problem(&page, &problem)),
    };
    crate::survey_import::check_quadrants(&registry, &instrument, &mut file);
    let apply = fields.get("step").is_some_and(|s| s == "apply");
    if apply {
        let prepared = crate::survey_import::prepare_rows(&registry, &instrument, &file.rows, state.clock.now_ms());
        let responses: Vec<NewResponse<'_>> = prepared.iter().map(|p| p.as_new(Channel::Import, None, None)).collect();
        return match state.store.import_responses(registry.city_id, &wave.code, &responses).await {
            Ok(summary) => {
                let object = format!("{code}:{}", summary.inserted);
                crate::admin_pages::record(&state, &session, "survey_responses_imported", &object, peer).await;
                let message = page.tr(
                    "survey-imported",
                    &[
                        ("inserted", (summary.inserted as i64).into()),
                        ("present", (summary.already_present as i64).into()),
                        (
                            "refused",
                            (file.problems.iter().map(|p| p.line).collect::<std::collections::BTreeSet<_>>().len()
                                as i64)
                                .into(),
                        ),
                    ],
                );
                page.clone().message(StatusCode::OK, page.t("survey-import-title"), message)
            }
            Err(err) => store_refusal(&page, &err),
        };
    }
    let problems: Vec<ProblemRow> = file
        .problems
        .iter()
        .map(|p| ProblemRow { place: survey_text::row_place(&page, p), message: survey_text::row_problem(&page, p) })
        .collect();
    let bad_lines = file.problems.iter().map(|p| p.line).collect::<std::collections::BTreeSet<_>>().len();
    let mut summary =
        vec![page.tr(
            "survey-import-summary",
            &[("good", (file.rows.len() as i64).into()), ("bad", (bad_lines as i64).into())],
        )];
    if !file.unknown_columns.is_empty() {
        summary.push(page.t1("survey-unknown-columns", "columns", file.unknown_columns.join(", ")));
    }
    let view = PreviewPage {
        nav: StaffNav::of(&session),
        csrf: session.csrf.clone(),
        what: "responses",
        heading: page.t1("survey-import-heading", "wave", &wave.code),
        summary,
        items: Vec::new(),
        problems_heading: page.tn("admin-problems-count", "count", problems.len() as i64),
        problems,
        carried: text,
        action: format!("/staff/surveys/{}/responses?lang={}", wave.code, page.lang.code()),
        can_apply: !file.rows.is_empty(),
        page,
    };
    view.page.render(&view)
}

async fn load_margins(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, files) = match survey_form(&page, &session, &headers, body).await {
        Ok(form) => form,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let text = files.get("file").map(|b| String::from_utf8_lossy(b).trim_start_matches('\u{feff}').to_owned());
    let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
        return unprocessable(&page, page.t("admin-no-file"));
    };
    let cells = match parse_margins_csv(&text) {
        Ok(cells) => cells,
        Err(problems) => {
            let rows: Vec<ProblemRow> = problems
                .iter()
                .map(|p| ProblemRow {
                    place: survey_text::row_place(&page, p),
                    message: survey_text::row_problem(&page, p),
                })
                .collect();
            let heading = page.t("survey-margins");
            return problems_page(page, &session, "margins", heading, rows);
        }
    };
    // Every district must be one of the city's.
    let unknown = sakshy_core::survey::unknown_districts(&cells, |code| {
        registry.level(Level::District).any(|v| v.territory.code().as_str() == code)
    });
    if !unknown.is_empty() {
        let rows = unknown
            .iter()
            .map(|p| ProblemRow {
                place: survey_text::row_place(&page, p),
                message: survey_text::row_problem(&page, p),
            })
            .collect();
        let heading = page.t("survey-margins");
        return problems_page(page, &session, "margins", heading, rows);
    }
    let margins: Vec<PopulationMargin> = cells
        .into_iter()
        .map(|c| PopulationMargin { district: c.district, age_band: c.age_band, sex: c.sex, population: c.population })
        .collect();
    match state.store.replace_population_margins(registry.city_id, &margins, state.clock.now_ms()).await {
        Ok(count) => {
            crate::admin_pages::record(&state, &session, "survey_margins_replaced", &count.to_string(), peer).await;
            crate::admin_pages::see_other(&page, "/staff/surveys")
        }
        Err(err) => crate::pages::internal_error(&err),
    }
}

/// A wave and its instrument, parsed.
pub(crate) async fn wave_and_instrument(
    state: &AppState,
    registry: &Registry,
    code: &str,
) -> Result<Option<(StoredWave, Instrument)>, Response> {
    let wave = match state.store.wave(registry.city_id, code).await {
        Ok(Some(wave)) => wave,
        Ok(None) => return Ok(None),
        Err(err) => return Err(crate::pages::internal_error(&err)),
    };
    match state.store.instrument(registry.city_id, wave.instrument_id).await {
        Ok(Some(stored)) => match Instrument::from_json(&stored.definition) {
            Ok(instrument) => Ok(Some((wave, instrument))),
            Err(problems) => {
                let message = problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ");
                Err(crate::pages::internal_error(&std::io::Error::other(message)))
            }
        },
        Ok(None) => Ok(None),
        Err(err) => Err(crate::pages::internal_error(&err)),
    }
}

/// The respondents of stored responses.
pub(crate) fn respondents(responses: &[StoredResponse]) -> Vec<Respondent> {
    responses
        .iter()
        .map(|r| Respondent {
            quadrant: r.quadrant.clone(),
            district: r.district.clone(),
            age_band: r.age_band.clone(),
            sex: r.sex.clone(),
            answers: serde_json::from_str(&r.answers).unwrap_or_default(),
        })
        .collect()
}

/// A wave's estimates, with its stored responses.
pub(crate) struct Analysed {
    pub wave: StoredWave,
    pub instrument: Instrument,
    pub analysis: WaveAnalysis,
    pub responses: Vec<StoredResponse>,
    /// The responses as the analysis read them (answers parsed once), in the same order.
    pub respondents: Vec<Respondent>,
}

/// Reads and estimates one wave.
pub(crate) async fn analyse_wave(
    state: &AppState,
    registry: &Registry,
    code: &str,
) -> Result<Option<Analysed>, Response> {
    let Some((wave, instrument)) = wave_and_instrument(state, registry, code).await? else { return Ok(None) };
    let (responses, margins) = match tokio::try_join!(
        state.store.responses(registry.city_id, code),
        state.store.population_margins(registry.city_id)
    ) {
        Ok(loaded) => loaded,
        Err(err) => return Err(crate::pages::internal_error(&err)),
    };
    let people = respondents(&responses);
    let analysis = {
        let instrument = instrument.clone();
        tokio::task::spawn_blocking(move || {
            survey_analysis::analyse(&instrument, &people, &margins).map(|analysis| (analysis, people))
        })
        .await
    };
    match analysis {
        Ok(Ok((analysis, respondents))) => Ok(Some(Analysed { wave, instrument, analysis, responses, respondents })),
        Ok(Err(reason)) => Err(crate::pages::internal_error(&std::io::Error::other(reason))),
        Err(err) => Err(crate::pages::internal_error(&err)),
    }
}

/// The other waves of the same questionnaire (by code, any version) with answers, opened no later than
/// `analysed`, in the store's order (opening day, then code): the previous wave and the trend come from them.
async fn related_waves(
    state: &AppState,
    registry: &Registry,
    analysed: &Analysed,
) -> Result<Vec<StoredWave>, Response> {
    let (waves, instruments) =
        match tokio::try_join!(state.store.waves(registry.city_id), state.store.instruments(registry.city_id)) {
            Ok(loaded) => loaded,
            Err(err) => return Err(crate::pages::internal_error(&err)),
        };
    let code_of = |id: i64| instruments.iter().find(|i| i.id == id).map(|i| i.code.clone());
    let this_code = code_of(analysed.wave.instrument_id);
    Ok(waves
        .into_iter()
        .filter(|w| w.code != analysed.wave.code && w.responses > 0 && w.opens_on <= analysed.wave.opens_on)
        .filter(|w| code_of(w.instrument_id) == this_code)
        .collect())
}

/// Of the related waves, the one the change between waves is measured from: the latest opened before `wave`.
fn previous_of<'a, T>(related: &'a [T], wave: &StoredWave, stored: impl Fn(&T) -> &StoredWave) -> Option<&'a T> {
    related.iter().filter(|w| stored(w).opens_on < wave.opens_on).max_by_key(|w| stored(w).opens_on)
}

/// The wave the change is measured from, analysed.
async fn previous_wave(
    state: &AppState,
    registry: &Registry,
    analysed: &Analysed,
) -> Result<Option<Analysed>, Response> {
    let related = related_waves(state, registry, analysed).await?;
    match previous_of(&related, &analysed.wave, |w| w) {
        Some(w) => analyse_wave(state, registry, &w.code).await,
        None => Ok(None),
    }
}

/// An estimate as text: `62 (55–69)`, or why there is none.
fn estimate_text(page: &PageContext, estimate: &Estimate) -> String {
    let lang = page.lang;
    match &estimate.value {
        Some(v) => format!(
            "{} ({}–{})",
            crate::analytics_pages::local_number(lang, round1(v.mean)),
            crate::analytics_pages::local_number(lang, round1(v.ci_low)),
            crate::analytics_pages::local_number(lang, round1(v.ci_high))
        ),
        None => page.tn("survey-suppressed-n", "count", estimate.n as i64),
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The weighting in words.
fn weighting_text(page: &PageContext, weighting: &Weighting) -> String {
    match weighting {
        Weighting::Raked { level, design_effect, .. } => page.tr(
            "survey-weighted",
            &[
                ("margins", page.t(level.key()).into()),
                (
                    "deff",
                    crate::analytics_pages::local_number(page.lang, (design_effect * 100.0).round() / 100.0).into(),
                ),
            ],
        ),
        Weighting::Unweighted { reason } => page.t(reason.key()),
    }
}

/// The quadrants the registry marks as the pilot.
pub(crate) fn pilot_quadrants(registry: &Registry) -> Vec<String> {
    registry.level(Level::Quadrant).filter(|q| q.territory.pilot()).map(|q| q.territory.code().to_string()).collect()
}

async fn show_results(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    if let Err(err) = session.principal.may_analyse() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let analysed = match analyse_wave(&state, &registry, &code).await {
        Ok(Some(analysed)) => analysed,
        Ok(None) => {
            return page.clone().message(StatusCode::NOT_FOUND, page.t("survey-title"), page.t("survey-not-found"));
        }
        Err(response) => return response,
    };
    // The related waves are analysed once: the previous one gives the change, all of them the trend.
    let related = match related_waves(&state, &registry, &analysed).await {
        Ok(related) => related,
        Err(response) => return response,
    };
    let mut earlier = Vec::new();
    for wave in &related {
        match analyse_wave(&state, &registry, &wave.code).await {
            Ok(Some(a)) => earlier.push(a),
            Ok(None) => {}
            Err(response) => return response,
        }
    }
    let previous = previous_of(&earlier, &analysed.wave, |a| &a.wave);
    let lang = page.lang;
    let pilot = pilot_quadrants(&registry);
    let projection = crate::analytics::projection(&registry);
    let surveyed_districts: std::collections::BTreeSet<String> =
        analysed.responses.iter().filter_map(|r| r.district.clone()).collect();
    let quadrants: Vec<&sakshy_core::TerritoryVersion> = registry
        .level(Level::Quadrant)
        .filter(|q| q.territory.parent().is_some_and(|d| surveyed_districts.contains(d.as_str())))
        .collect();
    let rings: Vec<Vec<Vec<(f64, f64)>>> = quadrants
        .iter()
        .map(|q| {
            q.territory
                .geometry()
                .0
                .iter()
                .map(|p| p.exterior().0.iter().map(|c| projection.forward(c.x, c.y)).collect())
                .collect()
        })
        .collect();
    let labels: Vec<String> = quadrants
        .iter()
        .map(|q| q.territory.code().as_str().rsplit('-').next().unwrap_or_default().to_owned())
        .collect();
    let format = |v: f64| crate::analytics_pages::local_number(lang, v.round());
    let units = [page.t("analytics-unit-m"), page.t("analytics-unit-km")];
    let mut sections = Vec::new();
    for (spec, estimates) in analysed.instrument.indices.iter().zip(&analysed.analysis.indices) {
        let areas: Vec<ChoroplethArea<'_>> = quadrants
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let code = q.territory.code().as_str();
                let value = match estimates.of(code) {
                    Some(Estimate { value: Some(v), .. }) => {
                        AreaValue::Estimate { value: v.mean, low: v.ci_low, high: v.ci_high }
                    }
                    Some(Estimate { value: None, n, .. }) if *n > 0 => AreaValue::Suppressed,
                    _ => AreaValue::NoData,
                };
                ChoroplethArea {
                    rings: &rings[i],
                    label: &labels[i],
                    value,
                    highlight: pilot.iter().any(|p| p == code),
                }
            })
            .collect();
        let label = spec.label.get(lang).to_owned();
        let (title, desc) = (page.t1("survey-map-title", "index", &label), page.t("survey-map-desc"));
        let map_svg = svg::choropleth(&Choropleth {
            text: ChartText { id: &format!("map-{}", spec.code), title: &title, description: &desc },
            areas: &areas,
            breaks: &index_breaks(&areas),
            domain: (0.0, 100.0),
            legend_title: &page.t("survey-index-legend"),
            suppressed_label: &page.t("survey-suppressed-legend"),
            no_data_label: &page.t("survey-no-data"),
            interval_label: &page.t("survey-interval-legend"),
            distance_units: [&units[0], &units[1]],
            format: &format,
        })
        .unwrap_or_default();
        let mut rows = Vec::new();
        let mut push = |area: &str, level_key: &str, estimate: &Estimate| {
            let change = previous
                .as_ref()
                .and_then(|p| survey_analysis::change_between(&p.analysis, &analysed.analysis, &spec.code, area));
            let (change, change_clear) = match change.as_ref().and_then(|c| c.value.as_ref()) {
                Some(v) => (
                    format!(
                        "{:+} ({}–{})",
                        round1(v.difference),
                        crate::analytics_pages::local_number(lang, round1(v.ci_low)),
                        crate::analytics_pages::local_number(lang, round1(v.ci_high))
                    )
                    .replace('.', if lang == Lang::En { "." } else { "," }),
                    v.excludes_zero,
                ),
                None if previous.is_some() => (page.t("survey-change-suppressed"), false),
                None => (String::new(), false),
            };
            rows.push(EstimateRow {
                area: if area == "city" {
                    page.t("analytics-whole-city")
                } else {
                    format!("{area} {}", territory_name(&registry, lang, area))
                },
                level: page.t(level_key),
                pilot: pilot.iter().any(|p| p == area),
                n: estimate.n,
                value: estimate_text(&page, estimate),
                change,
                change_clear,
            });
        };
        push("city", "survey-level-city", &estimates.city);
        for g in &estimates.districts {
            push(&g.group, "survey-level-district", &g.estimate);
        }
        for g in &estimates.quadrants {
            push(&g.group, "survey-level-quadrant", &g.estimate);
        }
        sections.push(IndexSection { code: spec.code.clone(), label, map_svg, rows });
    }
    let mut series: Vec<&Analysed> = earlier.iter().collect();
    if analysed.wave.responses > 0 {
        series.push(&analysed);
    }
    series.sort_by(|a, b| (a.wave.opens_on, &a.wave.code).cmp(&(b.wave.opens_on, &b.wave.code)));
    let trend_svg = trend(&page, &analysed, &series, &pilot);
    let comments = comments(&analysed);
    let shares = shares_tables(&page, &analysed, &pilot);
    let wave = &analysed.wave;
    let facts = page.tr(
        "survey-facts",
        &[
            ("instrument", format!("{} {}", analysed.instrument.code, analysed.instrument.version).into()),
            ("status", status_label(&page, wave.status).into()),
            ("from", page.day(&wave.opens_on).into()),
            ("to", page.day(&wave.closes_on).into()),
            ("count", (analysed.analysis.respondents as i64).into()),
        ],
    );
    let view = ResultsPage {
        nav: StaffNav::of(&session),
        title: analysed.instrument.title.get(lang).to_owned(),
        code: wave.code.clone(),
        facts,
        weighting: weighting_text(&page, &analysed.analysis.weighting),
        synthetic: wave.synthetic,
        previous: previous.as_ref().map(|p| page.t1("survey-compared-with", "wave", &p.wave.title)),
        sections,
        trend_svg,
        comments,
        shares,
        pilot_heading: format!("{} ({})", pilot.join(", "), page.t("survey-pilot")),
        collect_link: (wave.status == WaveStatus::Open)
            .then(|| format!("/staff/surveys/{}/collect?lang={}", wave.code, lang.code())),
        public_link: (wave.status == WaveStatus::Open && wave.access == WaveAccess::Open)
            .then(|| format!("/survey/{}?lang={}", wave.code, lang.code())),
        page,
    };
    view.page.render(&view)
}

/// Classes of 5 index points (10, 20 or 25 when the estimates spread wider: at most 9 classes) covering the
/// quadrants' estimates, so that differences between quadrants show while the classes stay round numbers.
fn index_breaks(areas: &[ChoroplethArea<'_>]) -> Breaks {
    let values: Vec<f64> = areas
        .iter()
        .filter_map(|a| match a.value {
            AreaValue::Estimate { value, .. } => Some(value),
            _ => None,
        })
        .collect();
    let (Some(min), Some(max)) = (values.iter().copied().reduce(f64::min), values.iter().copied().reduce(f64::max))
    else {
        return Breaks::Explicit(vec![0.0, 100.0]);
    };
    for step in [5.0, 10.0, 20.0, 25.0] {
        let low = (min / step).floor() * step;
        let high = ((max / step).ceil() * step).max(low + step);
        if (high - low) / step <= 9.0 + 1e-9 {
            let edges = (0..).map(|i| low + step * f64::from(i)).take_while(|e| *e <= high + 1e-9).collect();
            return Breaks::Explicit(edges);
        }
    }
    Breaks::Explicit(vec![0.0, 25.0, 50.0, 75.0, 100.0])
}

/// A share as a percentage with its interval: `34 % (29–40)`, or why there is none.
fn share_text(page: &PageContext, estimate: &Estimate) -> String {
    match &estimate.value {
        Some(v) => {
            format!("{} % ({}–{})", (v.mean * 100.0).round(), (v.ci_low * 100.0).round(), (v.ci_high * 100.0).round())
        }
        None => page.tn("survey-suppressed-n", "count", estimate.n as i64),
    }
}

/// The answers to each closed question: the city's share of each choice and the pilot quadrants' together.
fn shares_tables(page: &PageContext, analysed: &Analysed, pilot: &[String]) -> Vec<SharesTable> {
    let groups: Vec<String> = analysed
        .respondents
        .iter()
        .map(|r| if r.quadrant.as_ref().is_some_and(|q| pilot.contains(q)) { "pilot" } else { "" }.to_owned())
        .collect();
    let shares =
        survey_analysis::choice_shares(&analysed.analysis, &analysed.instrument, &analysed.respondents, &groups);
    shares
        .iter()
        .filter_map(|shares| {
            let item = analysed.instrument.item(&shares.item)?;
            let labels = analysed.instrument.choices(item);
            let rows = shares
                .choices
                .iter()
                .map(|(name, estimate, groups)| {
                    let label = labels
                        .iter()
                        .find(|c| &c.name == name)
                        .map_or_else(|| name.clone(), |c| c.label.get(page.lang).to_owned());
                    let pilot = groups
                        .iter()
                        .find(|g| g.group == "pilot")
                        .map_or_else(String::new, |g| share_text(page, &g.estimate));
                    (label, share_text(page, estimate), pilot)
                })
                .collect();
            Some(SharesTable { question: item.label.get(page.lang).to_owned(), rows })
        })
        .collect()
}

/// The open-text answers, already scrubbed when stored, newest first (at most 50).
fn comments(analysed: &Analysed) -> Vec<String> {
    let text_items: Vec<&str> = analysed
        .instrument
        .items
        .iter()
        .filter(|i| matches!(i.kind, sakshy_core::survey::ItemKind::Text { .. }))
        .map(|i| i.name.as_str())
        .collect();
    let mut out = Vec::new();
    for respondent in analysed.respondents.iter().rev() {
        for name in &text_items {
            if let Some(text) = respondent.answers.get(*name) {
                out.push(text.clone());
            }
        }
        if out.len() >= 50 {
            break;
        }
    }
    out.truncate(50);
    out
}

/// Each index of the city and the pilot quadrants over the waves of the same instrument.
fn trend(page: &PageContext, analysed: &Analysed, all: &[&Analysed], pilot: &[String]) -> String {
    let Some(first_index) = analysed.instrument.indices.first() else { return String::new() };
    let index = &first_index.code;
    let x_labels: Vec<String> = all.iter().map(|a| a.wave.code.clone()).collect();
    let point = |a: &Analysed, area: &str| {
        a.analysis
            .indices
            .iter()
            .find(|i| &i.code == index)
            .and_then(|i| i.of(area))
            .and_then(|e| e.value.as_ref())
            .map(|v| IntervalPoint { value: v.mean, low: v.ci_low, high: v.ci_high })
    };
    let mut labels = vec![page.t("analytics-whole-city")];
    let mut series_points: Vec<Vec<Option<IntervalPoint>>> = vec![all.iter().map(|a| point(a, "city")).collect()];
    for code in pilot {
        labels.push(format!("{code} ({})", page.t("survey-pilot")));
        series_points.push(all.iter().map(|a| point(a, code)).collect());
    }
    let series: Vec<IntervalSeries<'_>> = labels
        .iter()
        .zip(&series_points)
        .enumerate()
        .map(|(i, (label, points))| IntervalSeries { label, points, emphasis: i > 0 })
        .collect();
    let label = first_index.label.get(page.lang).to_owned();
    let (title, desc) = (page.t1("survey-trend-title", "index", &label), page.t("survey-trend-desc"));
    let format = |v: f64| crate::analytics_pages::local_number(page.lang, v.round());
    svg::interval_chart(&IntervalChart {
        text: ChartText { id: "survey-trend", title: &title, description: &desc },
        x_labels: &x_labels,
        series: &series,
        y_label: &page.t("survey-index-legend"),
        y_domain: Some((0.0, 100.0)),
        suppressed_label: &page.t("survey-suppressed-legend"),
        format: &format,
    })
    .unwrap_or_default()
}

/// The estimates of a wave as JSON: every index for the city, each district and each quadrant.
fn estimates_value(analysed: &Analysed, previous: Option<&Analysed>) -> Value {
    let quadrant_groups: Vec<String> =
        analysed.respondents.iter().map(|r| r.quadrant.clone().unwrap_or_default()).collect();
    let indices: Vec<Value> = analysed
        .instrument
        .indices
        .iter()
        .zip(&analysed.analysis.indices)
        .map(|(spec, estimates)| {
            let change = previous.map(|p| {
                let areas = std::iter::once("city".to_owned())
                    .chain(estimates.districts.iter().map(|g| g.group.clone()))
                    .chain(estimates.quadrants.iter().map(|g| g.group.clone()));
                let changes: serde_json::Map<String, Value> = areas
                    .filter_map(|area| {
                        survey_analysis::change_between(&p.analysis, &analysed.analysis, &spec.code, &area)
                            .map(|c| (area, serde_json::to_value(c).unwrap_or(Value::Null)))
                    })
                    .collect();
                json!({ "from_wave": p.wave.code, "by_area": changes })
            });
            json!({
                "code": spec.code,
                "label": { "kk": spec.label.kk(), "ru": spec.label.ru(), "en": spec.label.en() },
                "city": estimates.city,
                "districts": estimates.districts,
                "quadrants": estimates.quadrants,
                "change": change,
            })
        })
        .collect();
    json!({
        "wave": analysed.wave.code,
        "title": analysed.wave.title,
        "instrument": { "code": analysed.instrument.code, "version": analysed.instrument.version },
        "synthetic": analysed.wave.synthetic,
        "respondents": analysed.analysis.respondents,
        "weighting": analysed.analysis.weighting,
        "confidence": survey_analysis::CONFIG.confidence,
        "min_n": survey_analysis::CONFIG.min_n,
        "indices": indices,
        "answers": survey_analysis::choice_shares(&analysed.analysis, &analysed.instrument, &analysed.respondents, &quadrant_groups)
            .into_iter()
            .map(|shares| json!({
                "item": shares.item,
                "choices": shares.choices.into_iter().map(|(choice, city, quadrants)| json!({
                    "choice": choice,
                    "city": city,
                    "quadrants": quadrants,
                })).collect::<Vec<_>>(),
            }))
            .collect::<Vec<_>>(),
    })
}

/// The estimates of a wave as JSON or CSV, for anyone who may read analytics.
async fn estimates_export(
    state: &AppState,
    principal: &sakshy_core::access::Principal,
    code: &str,
    lang: Lang,
    as_csv: bool,
) -> Result<Response, crate::error::ApiError> {
    use crate::error::ApiError;
    principal.may_analyse().map_err(|err| crate::staff::access_error(&err, lang))?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let failed = || ApiError::internal(lang, std::io::Error::other("the survey wave could not be analysed"));
    let analysed = analyse_wave(state, &registry, code)
        .await
        .map_err(|_| failed())?
        .ok_or_else(|| ApiError::not_found(lang, format!("survey wave {code}")))?;
    if !as_csv {
        let previous = previous_wave(state, &registry, &analysed).await.map_err(|_| failed())?;
        return Ok(axum::Json(estimates_value(&analysed, previous.as_ref())).into_response());
    }
    let bytes = estimates_csv_bytes(&analysed).map_err(|err| ApiError::internal(lang, err))?;
    Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response())
}

/// One row per index and area: `wave,index,level,area,n,suppressed,mean,se,ci_low,ci_high,n_eff,synthetic`;
/// the numbers are empty where the estimate is suppressed.
fn estimates_csv_bytes(analysed: &Analysed) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "wave",
        "index",
        "level",
        "area",
        "n",
        "suppressed",
        "mean",
        "se",
        "ci_low",
        "ci_high",
        "n_eff",
        "synthetic",
    ])?;
    for estimates in &analysed.analysis.indices {
        let rows = std::iter::once(("city", "city".to_owned(), &estimates.city))
            .chain(estimates.districts.iter().map(|g| ("district", g.group.clone(), &g.estimate)))
            .chain(estimates.quadrants.iter().map(|g| ("quadrant", g.group.clone(), &g.estimate)));
        for (level, area, e) in rows {
            let number = |f: fn(&sakshy_analytics::survey::EstimateValue) -> f64| {
                e.value.as_ref().map_or_else(String::new, |v| format!("{:.6}", f(v)))
            };
            writer.write_record([
                analysed.wave.code.clone(),
                estimates.code.clone(),
                level.to_owned(),
                area,
                e.n.to_string(),
                e.suppressed.to_string(),
                number(|v| v.mean),
                number(|v| v.se),
                number(|v| v.ci_low),
                number(|v| v.ci_high),
                number(|v| v.n_eff),
                analysed.wave.synthetic.to_string(),
            ])?;
        }
    }
    writer.into_inner().map_err(|err| csv::Error::from(err.into_error()))
}

async fn estimates_json(
    State(state): State<AppState>,
    crate::i18n::RequestLang(lang): crate::i18n::RequestLang,
    crate::staff::Staff(principal): crate::staff::Staff,
    Path(code): Path<String>,
) -> Result<Response, crate::error::ApiError> {
    estimates_export(&state, &principal, &code, lang, false).await
}

async fn estimates_csv(
    State(state): State<AppState>,
    crate::i18n::RequestLang(lang): crate::i18n::RequestLang,
    crate::staff::Staff(principal): crate::staff::Staff,
    Path(code): Path<String>,
) -> Result<Response, crate::error::ApiError> {
    estimates_export(&state, &principal, &code, lang, true).await
}

async fn page_estimates_json(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    estimates_export(&state, &session.principal, &code, page.lang, false)
        .await
        .unwrap_or_else(|err| crate::console::error_page(page, &err))
}

async fn page_estimates_csv(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    estimates_export(&state, &session.principal, &code, page.lang, true)
        .await
        .unwrap_or_else(|err| crate::console::error_page(page, &err))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_classes_are_round_and_cover_the_estimates() {
        let area = |value: f64| ChoroplethArea {
            rings: &[],
            label: "",
            value: AreaValue::Estimate { value, low: value - 1.0, high: value + 1.0 },
            highlight: false,
        };
        let edges = |values: &[f64]| match index_breaks(&values.iter().map(|&v| area(v)).collect::<Vec<_>>()) {
            Breaks::Explicit(edges) => edges,
            other => panic!("{other:?}"),
        };
        assert_eq!(edges(&[44.2, 58.1]), vec![40.0, 45.0, 50.0, 55.0, 60.0]);
        assert_eq!(edges(&[3.0, 97.0]), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(edges(&[50.0]), vec![50.0, 55.0]);
        assert_eq!(index_breaks(&[]), Breaks::Explicit(vec![0.0, 100.0]));
    }

    #[test]
    fn wave_codes_are_safe_in_addresses() {
        assert!(valid_wave_code("2026-spring"));
        assert!(!valid_wave_code(""));
        assert!(!valid_wave_code("a/b"));
        assert!(!valid_wave_code("wave one"));
        assert!(!valid_wave_code(&"x".repeat(41)));
    }
}
