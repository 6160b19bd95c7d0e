//! The pilot evaluation pages: `/staff/evaluation` (the designs, and a form to mark pilot and control quadrants,
//! the start date and the buffer) and `/staff/evaluation/{code}` (the report), with the same report as JSON and
//! CSV — `/staff/evaluation/{code}/report.json|report.csv|panel.csv` for a signed-in browser and
//! `/api/v1/evaluations/{code}` and `/api/v1/evaluations/{code}/report.csv` for API tokens.
//!
//! The report says, for each outcome, in plain words in the reader's language: the estimated change in the pilot
//! over and above the controls, its 95 % interval, whether the data can tell it from no change, and what limits
//! the reading. Which interval leads depends on the design: with a single pilot quadrant (or fewer than five) the
//! randomisation interval over quadrants, which stays honest with one treated unit; otherwise the wild cluster
//! bootstrap's. The cluster-robust interval is shown beside them. The JSON and CSV carry the same sentences in
//! kk, ru and en.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{NaiveDate, TimeZone};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_analytics::evaluation::{DidResult, DisplacementReading, EvaluationWarning};
use sakshy_analytics::svg::{self, ChartText, EventPoint, EventStudyChart, PanelChart, PanelSeries};
use sakshy_core::Lang;
use sakshy_core::Level;
use sakshy_store::{EvaluationDesign, IncidentFilter};
use serde_json::{Value, json};

use crate::auth::{StaffNav, StaffSession};
use crate::error::ApiError;
use crate::evaluation_report::{
    self, AppealRow, Buffer, DisplacementReport, OffenceRow, Outcome, OutcomePanel, OutcomeResult, Units, Window,
};
use crate::pages::{PageContext, page_context};
use crate::{AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/evaluation", get(show_designs).post(save_design))
        .route("/staff/evaluation/{code}", get(show_report))
        .route("/staff/evaluation/{code}/report.json", get(page_json))
        .route("/staff/evaluation/{code}/report.csv", get(page_csv))
        .route("/staff/evaluation/{code}/panel.csv", get(page_panel_csv))
        .route("/api/v1/evaluations/{code}", get(api_json))
        .route("/api/v1/evaluations/{code}/report.csv", get(api_csv))
}

/// A quadrant to tick in the design form.
struct QuadrantChoice {
    code: String,
    name: String,
    pilot: bool,
    control: bool,
}

/// A design in the list.
struct DesignRow {
    code: String,
    title: String,
    start: String,
    pilot: String,
    control: String,
    link: String,
}

#[derive(Template)]
#[template(path = "staff/evaluations.html")]
struct DesignsPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    may_run: bool,
    designs: Vec<DesignRow>,
    quadrants: Vec<QuadrantChoice>,
    code: String,
    title: String,
    start: String,
    buffer: u32,
    error: Option<String>,
}
page_context!(DesignsPage);

/// One outcome on the report page.
struct OutcomeView {
    id: String,
    name: String,
    sentence: String,
    verdict: String,
    clear: bool,
    table: Vec<(String, String)>,
    warnings: Vec<String>,
    event_svg: String,
    pre_trend: String,
    panel_svg: String,
}

#[derive(Template)]
#[template(path = "staff/evaluation.html")]
struct ReportPage {
    page: PageContext,
    nav: StaffNav,
    code: String,
    title: String,
    design: String,
    synthetic: Option<String>,
    too_early: Option<String>,
    outcomes: Vec<OutcomeView>,
    displacement: Vec<(String, String)>,
    displacement_reading: String,
    limits: Vec<String>,
    /// The waves compared, and the sentence of each index (with whether it is clear).
    survey_heading: Option<String>,
    survey_findings: Vec<(String, bool)>,
    /// Why no randomisation interval could be given, when none could.
    note: Option<String>,
}
page_context!(ReportPage);

/// Everything the report needs.
pub(crate) struct Report {
    pub design: EvaluationDesign,
    pub window: Window,
    pub units: Units,
    pub panels: Vec<OutcomePanel>,
    pub results: Vec<OutcomeResult>,
    pub displacement: DisplacementReport,
    /// Synthetic incidents among those counted.
    pub synthetic_incidents: usize,
    /// Whether any survey wave used is synthetic.
    pub synthetic_waves: bool,
    /// Index labels by code, for names.
    pub index_labels: BTreeMap<String, sakshy_core::Localized>,
    /// The survey indices' difference-in-differences from respondents' answers: the wave before the start, the
    /// wave after it, and the estimates.
    pub survey_did: Option<(String, String, Vec<crate::survey_analysis::SurveyDid>)>,
}

/// Local midnight of a day, UTC epoch milliseconds.
fn day_start_ms(registry: &Registry, day: NaiveDate) -> i64 {
    registry
        .city
        .timezone
        .from_local_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default())
        .earliest()
        .map_or(0, |t| t.timestamp_millis())
}

/// Builds the panels and estimates of a design; `Ok(None)` when no whole month has passed since the start.
pub(crate) async fn build_report(
    state: &AppState,
    registry: &Registry,
    design: EvaluationDesign,
) -> Result<Option<Report>, ApiError> {
    let lang = Lang::En;
    let today = crate::survey_pages::today(state, registry);
    let Some(window) = Window::new(design.start, today) else { return Ok(None) };
    let units = Units::new(&design.pilot, &design.control);
    let first = window.months.first().map_or(design.start, |m| m.first_day());
    let end = window.months.last().map_or(design.start, |m| m.plus(1).first_day());
    let (from_ms, to_ms) = (day_start_ms(registry, first), day_start_ms(registry, end));
    let city = registry.city_id;
    let incidents = state
        .store
        .incidents(city, &IncidentFilter::window(from_ms, to_ms))
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    let synthetic_incidents = state
        .store
        .incident_count(
            city,
            &IncidentFilter {
                origin: Some(sakshy_store::IncidentOrigin::Synthetic),
                ..IncidentFilter::window(from_ms, to_ms)
            },
        )
        .await
        .map_err(|err| ApiError::internal(lang, err))? as usize;
    let timings =
        state.store.appeal_timings(city, from_ms, to_ms).await.map_err(|err| ApiError::internal(lang, err))?;
    let projection = crate::analytics::projection(registry);
    let pilot_geometries: Vec<&geo_types::MultiPolygon<f64>> = registry
        .level(Level::Quadrant)
        .filter(|q| design.pilot.iter().any(|p| p == q.territory.code().as_str()))
        .map(|q| q.territory.geometry())
        .collect();
    let buffer = Buffer::new(&pilot_geometries, &projection, design.buffer_metres);
    let located: Vec<(Option<String>, Option<usize>, sakshy_core::incident::OffenceGroup, bool)> = incidents
        .iter()
        .map(|incident| {
            let (lon, lat) = (incident.location.x(), incident.location.y());
            let quadrant = match registry.locator.locate(lon, lat) {
                sakshy_core::LocateOutcome::Inside { quadrant, .. } => Some(quadrant.code().to_string()),
                sakshy_core::LocateOutcome::Outside { .. } => None,
            };
            let month =
                crate::survey_pages::local_day(registry, incident.occurred_at_ms).and_then(|d| window.index_of(d));
            let (x, y) = projection.forward(lon, lat);
            (quadrant, month, incident.group, buffer.contains(x, y))
        })
        .collect();
    let offences: Vec<OffenceRow<'_>> = located
        .iter()
        .map(|(q, month, group, in_buffer)| OffenceRow {
            quadrant: q.as_deref(),
            month: *month,
            group: *group,
            in_buffer: *in_buffer,
        })
        .collect();
    let now_ms = state.clock.now_ms();
    let appeals: Vec<AppealRow<'_>> = timings
        .iter()
        .map(|t| AppealRow {
            quadrant: t.quadrant.as_deref(),
            month: crate::survey_pages::local_day(registry, t.filed_at_ms).and_then(|d| window.index_of(d)),
            days_to_answer: t.answered_at_ms.map(|a| (a - t.filed_at_ms) as f64 / 86_400_000.0),
            // A rejected appeal is neither answered on time nor late: it is left out of the share.
            overdue: match (t.answered_at_ms, t.due_at_ms) {
                _ if t.rejected_at_ms.is_some() => None,
                (Some(answered), Some(due)) => Some(answered > due),
                (None, Some(due)) if due < now_ms => Some(true),
                _ => None,
            },
        })
        .collect();
    let mut panels = evaluation_report::build_panels(&units, &window, &offences, &appeals);
    let displacement = evaluation_report::displacement(&units, &window, &offences, design.buffer_metres);
    // Survey indices: each wave's quadrant estimates in the month it opened.
    let waves = state.store.waves(city).await.map_err(|err| ApiError::internal(lang, err))?;
    let n_months = window.months.len();
    let mut survey: BTreeMap<String, Vec<Option<f64>>> = BTreeMap::new();
    let mut index_labels = BTreeMap::new();
    let mut synthetic_waves = false;
    let mut analysed_waves = Vec::new();
    for wave in waves.iter().filter(|w| w.responses > 0) {
        let Some(month) = window.index_of(wave.opens_on) else { continue };
        let analysed = crate::survey_pages::analyse_wave(state, registry, &wave.code)
            .await
            .map_err(|_| ApiError::internal(lang, std::io::Error::other("a survey wave could not be analysed")))?;
        let Some(analysed) = analysed else { continue };
        synthetic_waves |= wave.synthetic;
        analysed_waves.push(analysed);
        let Some(analysed) = analysed_waves.last() else { continue };
        for (spec, estimates) in analysed.instrument.indices.iter().zip(&analysed.analysis.indices) {
            index_labels.insert(spec.code.clone(), spec.label.clone());
            let values = survey.entry(spec.code.clone()).or_insert_with(|| vec![None; units.codes.len() * n_months]);
            for (u, code) in units.codes.iter().enumerate() {
                if let Some(v) = estimates.of(code).and_then(|e| e.value.as_ref()) {
                    values[u * n_months + month] = Some(v.mean);
                }
            }
        }
    }
    for (code, values) in survey {
        panels.push(OutcomePanel { outcome: Outcome::SurveyIndex { code }, values });
    }
    let survey_did = survey_did(&design, &analysed_waves);
    let results = {
        let (units, window, panels) = (units.clone(), window.clone(), panels.clone());
        tokio::task::spawn_blocking(move || {
            panels.iter().map(|panel| evaluation_report::estimate(&units, &window, panel)).collect::<Vec<_>>()
        })
        .await
        .map_err(|err| ApiError::internal(lang, err))?
    };
    Ok(Some(Report {
        design,
        window,
        units,
        panels,
        results,
        displacement,
        synthetic_incidents,
        synthetic_waves,
        index_labels,
        survey_did,
    }))
}

/// The respondent-level difference-in-differences between the last wave before the start and the first after
/// it that used the same questionnaire.
fn survey_did(
    design: &EvaluationDesign,
    waves: &[crate::survey_pages::Analysed],
) -> Option<(String, String, Vec<crate::survey_analysis::SurveyDid>)> {
    let before = waves.iter().filter(|a| a.wave.opens_on < design.start).max_by_key(|a| a.wave.opens_on)?;
    let after = waves
        .iter()
        .filter(|a| a.wave.opens_on >= design.start && a.instrument.code == before.instrument.code)
        .min_by_key(|a| a.wave.opens_on)?;
    let labels = |a: &crate::survey_pages::Analysed| -> Vec<String> {
        a.responses
            .iter()
            .map(|r| match r.quadrant.as_deref() {
                Some(q) if design.pilot.iter().any(|p| p == q) => "pilot".to_owned(),
                Some(q) if design.control.iter().any(|c| c == q) => "control".to_owned(),
                _ => String::new(),
            })
            .collect()
    };
    let estimates =
        crate::survey_analysis::survey_did(&before.analysis, &labels(before), &after.analysis, &labels(after));
    Some((before.wave.title.clone(), after.wave.title.clone(), estimates))
}

/// The survey difference-in-differences of one index in words.
fn survey_did_sentence(page: &PageContext, report: &Report, did: &crate::survey_analysis::SurveyDid) -> (String, bool) {
    let lang = page.lang;
    let name = report.index_labels.get(&did.index).map_or_else(|| did.index.clone(), |l| l.get(lang).to_owned());
    let change = |c: &sakshy_analytics::survey::Change| {
        c.value.as_ref().map_or_else(|| page.t("survey-change-suppressed"), |v| signed(lang, v.difference))
    };
    match did.difference {
        Some((d, _, low, high)) => {
            let clear = low > 0.0 || high < 0.0;
            let text = page.tr(
                "eval-survey-did",
                &[
                    ("outcome", FluentValue::from(name)),
                    ("pilot", FluentValue::from(change(&did.pilot))),
                    ("control", FluentValue::from(change(&did.control))),
                    ("estimate", FluentValue::from(signed(lang, d))),
                    ("low", FluentValue::from(signed(lang, low))),
                    ("high", FluentValue::from(signed(lang, high))),
                ],
            );
            let verdict = page.t(match (clear, d > 0.0) {
                (false, _) => "eval-verdict-unclear",
                (true, true) => "eval-verdict-better",
                (true, false) => "eval-verdict-worse",
            });
            (format!("{text} {verdict}"), clear)
        }
        None => (page.t1("eval-not-estimable", "outcome", name), false),
    }
}

/// The outcome's name in a language.
fn outcome_name(page: &PageContext, report: &Report, outcome: &Outcome) -> String {
    match outcome {
        Outcome::Offences { group: None } => page.t("eval-outcome-offences"),
        Outcome::Offences { group: Some(g) } => page.t1("eval-outcome-group", "group", g.name(page.lang)),
        Outcome::Appeals => page.t("eval-outcome-appeals"),
        Outcome::MedianDaysToAnswer => page.t("eval-outcome-days"),
        Outcome::OverdueShare => page.t("eval-outcome-overdue"),
        Outcome::SurveyIndex { code } => {
            let label = report.index_labels.get(code).map_or_else(|| code.clone(), |l| l.get(page.lang).to_owned());
            page.t1("eval-outcome-survey", "index", label)
        }
    }
}

fn number(lang: Lang, value: f64) -> String {
    let rounded = if value.abs() >= 100.0 {
        value.round()
    } else if value.abs() >= 1.0 {
        (value * 10.0).round() / 10.0
    } else {
        (value * 100.0).round() / 100.0
    };
    crate::analytics_pages::local_number(lang, rounded)
}

fn signed(lang: Lang, value: f64) -> String {
    let text = number(lang, value);
    if value > 0.0 { format!("+{text}") } else { text.replace('-', "−") }
}

/// The interval a reader should look at first, and its name: randomisation inference with fewer than five pilot
/// quadrants, else the wild bootstrap, else the cluster-robust one.
fn primary_interval(did: &DidResult) -> (&'static str, Option<f64>, Option<f64>) {
    let few = did.n_treated_units < sakshy_analytics::evaluation::FEW_TREATED_UNITS;
    if few && let Some(ri) = &did.randomization {
        return ("eval-interval-randomisation", ri.interval.lower, ri.interval.upper);
    }
    if let Some(wild) = &did.wild_bootstrap {
        return ("eval-interval-bootstrap", wild.interval.lower, wild.interval.upper);
    }
    ("eval-interval-cluster", did.interval.lower, did.interval.upper)
}

fn bound(lang: Lang, value: Option<f64>, low: bool) -> String {
    match value {
        Some(v) => signed(lang, v),
        None if low => "−∞".to_owned(),
        None => "+∞".to_owned(),
    }
}

/// A warning in words.
fn warning_text(page: &PageContext, warning: &EvaluationWarning) -> String {
    let lang = page.lang;
    match warning {
        EvaluationWarning::SingleTreatedUnit => page.t("eval-warn-single"),
        EvaluationWarning::FewTreatedUnits { n_treated_units } => {
            page.tn("eval-warn-few-treated", "count", *n_treated_units as i64)
        }
        EvaluationWarning::FewControlUnits { n_control_units } => {
            page.tn("eval-warn-few-controls", "count", *n_control_units as i64)
        }
        EvaluationWarning::FewClusters { n_clusters } => page.tn("eval-warn-few-clusters", "count", *n_clusters as i64),
        EvaluationWarning::DisconnectedPanel { components } => {
            page.tn("eval-warn-disconnected", "count", *components as i64)
        }
        EvaluationWarning::RandomizationCannotReject { min_p_value } => {
            page.t1("eval-warn-ri-floor", "p", number(lang, *min_p_value))
        }
        EvaluationWarning::BootstrapCannotReject { min_p_value } => {
            page.t1("eval-warn-bootstrap-floor", "p", number(lang, *min_p_value))
        }
        EvaluationWarning::PreTrendTestUnavailable => page.t("eval-warn-pretrend-unavailable"),
    }
}

/// The sentence and verdict of one outcome, in the page's language.
pub(crate) fn sentences(page: &PageContext, report: &Report, result: &OutcomeResult) -> (String, String, bool) {
    let lang = page.lang;
    let name = outcome_name(page, report, &result.outcome);
    let did = match &result.did {
        Ok(did) => did,
        Err(_) => return (page.t1("eval-not-estimable", "outcome", name), String::new(), false),
    };
    let (method, low, high) = primary_interval(did);
    if low.is_none() && high.is_none() && did.randomization.is_some() {
        let sentence = page.tr(
            "eval-sentence-unbounded",
            &[
                ("outcome", FluentValue::from(name)),
                ("estimate", FluentValue::from(signed(lang, did.estimate))),
                ("low", FluentValue::from(bound(lang, did.interval.lower, true))),
                ("high", FluentValue::from(bound(lang, did.interval.upper, false))),
            ],
        );
        return (sentence, page.t("eval-verdict-unclear"), false);
    }
    let sentence = page.tr(
        "eval-sentence",
        &[
            ("outcome", FluentValue::from(name)),
            ("estimate", FluentValue::from(signed(lang, did.estimate))),
            ("low", FluentValue::from(bound(lang, low, true))),
            ("high", FluentValue::from(bound(lang, high, false))),
            ("method", FluentValue::from(page.t(method))),
        ],
    );
    let excludes_zero = low.is_some_and(|l| l > 0.0) || high.is_some_and(|h| h < 0.0);
    let verdict = if !excludes_zero {
        page.t("eval-verdict-unclear")
    } else {
        let better = (did.estimate < 0.0) == result.outcome.lower_is_better();
        page.t(if better { "eval-verdict-better" } else { "eval-verdict-worse" })
    };
    (sentence, verdict, excludes_zero)
}

/// When randomisation cannot bound an estimate (too few quadrants for a 5 % test), one note says why.
fn randomisation_note(page: &PageContext, report: &Report) -> Option<String> {
    report.results.iter().find_map(|result| {
        let did = result.did.as_ref().ok()?;
        let ri = did.randomization.as_ref()?;
        let (_, low, high) = primary_interval(did);
        (low.is_none() && high.is_none()).then(|| {
            page.tr(
                "eval-ri-note",
                &[
                    ("count", FluentValue::from(ri.assignments as i64)),
                    ("p", FluentValue::from(number(page.lang, ri.min_p_value))),
                ],
            )
        })
    })
}

/// The limits of the design, always said.
fn limits(page: &PageContext, report: &Report) -> Vec<String> {
    let pilots = report.design.pilot.len() as i64;
    let controls = report.design.control.len() as i64;
    vec![
        page.tr("eval-limit-design", &[("pilots", pilots.into()), ("controls", controls.into())]),
        page.t("eval-limit-parallel"),
        page.t("eval-limit-concurrent"),
        page.t("eval-limit-reporting"),
        page.t("eval-limit-survey"),
    ]
}

fn event_chart(page: &PageContext, name: &str, result: &OutcomeResult, id: &str) -> (String, String) {
    let Some(study) = &result.event_study else { return (String::new(), page.t("eval-no-event-study")) };
    let lang = page.lang;
    let points: Vec<EventPoint> = study
        .coefficients
        .iter()
        .map(|c| EventPoint { period: i64::from(c.relative), estimate: c.estimate, low: c.lower, high: c.upper })
        .collect();
    let (title, desc) = (page.t1("eval-event-title", "outcome", name), page.t("eval-event-desc"));
    let format = |v: f64| number(lang, v);
    let svg = svg::event_study_chart(&EventStudyChart {
        text: ChartText { id, title: &title, description: &desc },
        points: &points,
        reference_period: -1,
        x_label: &page.t("eval-months-since"),
        y_label: &page.t("eval-difference"),
        start_label: &page.t("eval-start"),
        pre_label: &page.t("eval-pre"),
        post_label: &page.t("eval-post"),
        reference_label: &page.t("eval-reference"),
        format: &format,
    })
    .unwrap_or_default();
    let pre = match &study.pre_trend_test {
        // With one pilot quadrant the cluster covariance of the leads rests on one cluster: the F test means
        // nothing, and the chart is read by eye.
        Some(_) if study.n_treated_units < 2 => page.t("eval-pretrend-single"),
        Some(test) => page.tr(
            if test.p_value < 0.05 { "eval-pretrend-fails" } else { "eval-pretrend-holds" },
            &[("p", FluentValue::from(number(lang, test.p_value)))],
        ),
        None => page.t("eval-warn-pretrend-unavailable"),
    };
    (svg, pre)
}

fn panel_chart(page: &PageContext, name: &str, report: &Report, result: &OutcomeResult, id: &str) -> String {
    let lang = page.lang;
    let labels: Vec<String> = report.window.months.iter().map(|m| m.label()).collect();
    let (pilot, control) = (page.t("eval-pilot-mean"), page.t("eval-control-mean"));
    let series = [
        PanelSeries { label: &pilot, values: &result.pilot_means, emphasis: true },
        PanelSeries { label: &control, values: &result.control_means, emphasis: false },
    ];
    let (title, desc) = (page.t1("eval-panel-title", "outcome", name), page.t("eval-panel-desc"));
    let format = |v: f64| number(lang, v);
    svg::panel_chart(&PanelChart {
        text: ChartText { id, title: &title, description: &desc },
        month_labels: &labels,
        series: &series,
        start_index: report.window.start_index,
        start_label: &page.t("eval-start"),
        y_label: name,
        format: &format,
    })
    .unwrap_or_default()
}

fn did_table(page: &PageContext, did: &DidResult) -> Vec<(String, String)> {
    let lang = page.lang;
    let interval = |l: Option<f64>, h: Option<f64>| format!("{} … {}", bound(lang, l, true), bound(lang, h, false));
    let mut rows = vec![
        (page.t("eval-row-estimate"), signed(lang, did.estimate)),
        (page.t("eval-interval-cluster"), interval(did.interval.lower, did.interval.upper)),
    ];
    if let Some(wild) = &did.wild_bootstrap {
        rows.push((page.t("eval-interval-bootstrap"), interval(wild.interval.lower, wild.interval.upper)));
        rows.push((page.t("eval-row-bootstrap-p"), number(lang, wild.p_value)));
    }
    if let Some(ri) = &did.randomization {
        rows.push((page.t("eval-interval-randomisation"), interval(ri.interval.lower, ri.interval.upper)));
        rows.push((
            page.t("eval-row-randomisation-p"),
            page.tr(
                "eval-ri-p",
                &[
                    ("p", FluentValue::from(number(lang, ri.p_value))),
                    ("count", FluentValue::from(ri.assignments as i64)),
                ],
            ),
        ));
    }
    rows.push((
        page.t("eval-row-units"),
        page.tr(
            "eval-units",
            &[
                ("pilots", FluentValue::from(did.n_treated_units as i64)),
                ("controls", FluentValue::from(did.n_control_units as i64)),
                ("months", FluentValue::from(did.n_periods as i64)),
            ],
        ),
    ));
    rows
}

fn reading_key(reading: Option<DisplacementReading>) -> &'static str {
    match reading {
        Some(DisplacementReading::DiffusionGreaterThanDirectEffect) => "eval-wdq-diffusion-greater",
        Some(DisplacementReading::DiffusionOfBenefits) => "eval-wdq-diffusion",
        Some(DisplacementReading::NoDisplacementOrDiffusion) => "eval-wdq-none",
        Some(DisplacementReading::DisplacementSmallerThanDirectEffect) => "eval-wdq-displacement-smaller",
        Some(DisplacementReading::DisplacementGreaterThanDirectEffect) => "eval-wdq-displacement-greater",
        None => "eval-wdq-no-success",
    }
}

fn displacement_rows(page: &PageContext, d: &DisplacementReport) -> (Vec<(String, String)>, String) {
    let lang = page.lang;
    let pair = |before: f64, after: f64| format!("{} → {}", number(lang, before), number(lang, after));
    let mut rows = vec![
        (page.t("eval-wdq-pilot"), pair(d.pilot_before, d.pilot_after)),
        (page.tn("eval-wdq-buffer", "metres", i64::from(d.buffer_metres)), pair(d.buffer_before, d.buffer_after)),
        (page.t("eval-wdq-control"), pair(d.control_before, d.control_after)),
    ];
    let reading = match &d.measures {
        Ok(m) => {
            rows.push((page.t("eval-wdq-success"), signed(lang, m.success_measure)));
            rows.push((page.t("eval-wdq-buffer-measure"), signed(lang, m.buffer_measure)));
            rows.push((
                page.t("eval-wdq-quotient"),
                m.weighted_displacement_quotient.map_or_else(|| "—".to_owned(), |q| number(lang, q)),
            ));
            rows.push((page.t("eval-wdq-net"), signed(lang, m.total_net_effect)));
            page.t(reading_key(m.reading))
        }
        Err(_) => page.t("eval-wdq-empty-control"),
    };
    (rows, page.tn("eval-wdq-window", "months", d.months as i64) + " " + &reading)
}

fn design_text(page: &PageContext, registry: &Registry, design: &EvaluationDesign) -> String {
    let names = |codes: &[String]| codes.join(", ");
    let _ = registry;
    page.tr(
        "eval-design",
        &[
            ("pilot", FluentValue::from(names(&design.pilot))),
            ("control", FluentValue::from(names(&design.control))),
            ("start", FluentValue::from(page.day(&design.start))),
            ("buffer", FluentValue::from(i64::from(design.buffer_metres))),
        ],
    )
}

async fn find_design(
    state: &AppState,
    registry: &Registry,
    code: &str,
    lang: Lang,
) -> Result<EvaluationDesign, ApiError> {
    state
        .store
        .evaluation(registry.city_id, code)
        .await
        .map_err(|err| ApiError::internal(lang, err))?
        .ok_or_else(|| ApiError::not_found(lang, format!("evaluation {code}")))
}

async fn show_report(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    if let Err(err) = session.principal.may_analyse() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let design = match find_design(&state, &registry, &code, page.lang).await {
        Ok(design) => design,
        Err(err) => return crate::console::error_page(page, &err),
    };
    let design_line = design_text(&page, &registry, &design);
    let title = design.title.clone();
    let report = match build_report(&state, &registry, design.clone()).await {
        Ok(report) => report,
        Err(err) => return crate::console::error_page(page, &err),
    };
    let mut view = ReportPage {
        nav: StaffNav::of(&session),
        code: code.clone(),
        title,
        design: design_line,
        synthetic: None,
        too_early: None,
        outcomes: Vec::new(),
        displacement: Vec::new(),
        displacement_reading: String::new(),
        limits: Vec::new(),
        survey_heading: None,
        survey_findings: Vec::new(),
        note: None,
        page,
    };
    let Some(report) = report else {
        view.too_early = Some(view.page.t("eval-too-early"));
        return view.page.render(&view);
    };
    let page = view.page.clone();
    let mut synthetic = Vec::new();
    if report.synthetic_incidents > 0 {
        synthetic.push(page.tn("eval-synthetic", "count", report.synthetic_incidents as i64));
    }
    if report.synthetic_waves {
        synthetic.push(page.t("eval-synthetic-waves"));
    }
    view.synthetic = (!synthetic.is_empty()).then(|| synthetic.join(" "));
    for (i, result) in report.results.iter().enumerate() {
        let name = outcome_name(&page, &report, &result.outcome);
        let (sentence, verdict, clear) = sentences(&page, &report, result);
        let (table, warnings) = match &result.did {
            Ok(did) => (did_table(&page, did), did.warnings.iter().map(|w| warning_text(&page, w)).collect()),
            Err(_) => (Vec::new(), Vec::new()),
        };
        let (event_svg, pre_trend) = event_chart(&page, &name, result, &format!("event-{i}"));
        let panel_svg = panel_chart(&page, &name, &report, result, &format!("panel-{i}"));
        view.outcomes.push(OutcomeView {
            id: result.outcome.id(),
            name,
            sentence,
            verdict,
            clear,
            table,
            warnings,
            event_svg,
            pre_trend,
            panel_svg,
        });
    }
    let (rows, reading) = displacement_rows(&page, &report.displacement);
    view.displacement = rows;
    view.displacement_reading = reading;
    view.limits = limits(&page, &report);
    view.note = randomisation_note(&page, &report);
    if let Some((before, after, estimates)) = &report.survey_did {
        view.survey_heading = Some(page.tr(
            "eval-survey-heading",
            &[("from", FluentValue::from(before.clone())), ("to", FluentValue::from(after.clone()))],
        ));
        view.survey_findings = estimates.iter().map(|d| survey_did_sentence(&page, &report, d)).collect();
    }
    view.page.render(&view)
}

/// The report as JSON, with its sentences in every language.
pub(crate) fn report_json(registry: &Registry, report: &Report) -> Value {
    let pages: Vec<PageContext> = Lang::ALL
        .iter()
        .map(|&lang| PageContext::new(lang, "/", registry.city.timezone, registry.city.name.get(lang).to_owned()))
        .collect();
    let in_all = |f: &dyn Fn(&PageContext) -> String| -> Value {
        let mut map = serde_json::Map::new();
        for page in &pages {
            map.insert(page.lang.code().to_owned(), Value::String(f(page)));
        }
        Value::Object(map)
    };
    let outcomes: Vec<Value> = report
        .results
        .iter()
        .map(|result| {
            let (method, low, high) = result.did.as_ref().map_or(("", None, None), primary_interval);
            json!({
                "outcome": result.outcome.id(),
                "name": in_all(&|p| outcome_name(p, report, &result.outcome)),
                "summary": in_all(&|p| { let (s, v, _) = sentences(p, report, result); format!("{s} {v}").trim().to_owned() }),
                "primary_interval": { "method": method.trim_start_matches("eval-interval-"), "lower": low, "upper": high },
                "did": match &result.did { Ok(did) => serde_json::to_value(did).unwrap_or(Value::Null), Err(e) => json!({ "error": e }) },
                "event_study": result.event_study,
                "pilot_means": result.pilot_means,
                "control_means": result.control_means,
            })
        })
        .collect();
    let d = &report.displacement;
    json!({
        "evaluation": report.design.code,
        "title": report.design.title,
        "design": {
            "pilot": report.design.pilot,
            "control": report.design.control,
            "start": report.design.start.to_string(),
            "buffer_metres": report.design.buffer_metres,
        },
        "months": report.window.months.iter().map(|m| m.label()).collect::<Vec<_>>(),
        "start_index": report.window.start_index,
        "synthetic_incidents": report.synthetic_incidents,
        "synthetic_survey_waves": report.synthetic_waves,
        "outcomes": outcomes,
        "displacement": {
            "buffer_metres": d.buffer_metres,
            "months": d.months,
            "counts": {
                "pilot": [d.pilot_before, d.pilot_after],
                "buffer": [d.buffer_before, d.buffer_after],
                "control": [d.control_before, d.control_after],
            },
            "measures": match &d.measures { Ok(m) => serde_json::to_value(m).unwrap_or(Value::Null), Err(e) => json!({ "error": e }) },
            "reading": in_all(&|p| displacement_rows(p, d).1),
        },
        "limits": in_all(&|p| limits(p, report).join(" ")),
        "note": randomisation_note(&pages[0], report).map(|_| in_all(&|p| randomisation_note(p, report).unwrap_or_default())),
        "survey_did": report.survey_did.as_ref().map(|(before, after, estimates)| json!({
            "before_wave": before,
            "after_wave": after,
            "indices": estimates.iter().map(|d| json!({
                "index": d.index,
                "pilot_change": d.pilot,
                "control_change": d.control,
                "difference": d.difference.map(|(d, se, low, high)| json!({ "estimate": d, "se": se, "ci_low": low, "ci_high": high })),
                "summary": in_all(&|p| survey_did_sentence(p, report, d).0),
            })).collect::<Vec<_>>(),
        })),
    })
}

/// The report as CSV: one row per outcome.
pub(crate) fn report_csv(registry: &Registry, report: &Report) -> Result<Vec<u8>, csv::Error> {
    let pages: Vec<PageContext> = Lang::ALL
        .iter()
        .map(|&lang| PageContext::new(lang, "/", registry.city.timezone, registry.city.name.get(lang).to_owned()))
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "evaluation",
        "outcome",
        "estimate",
        "std_error",
        "ci_low",
        "ci_high",
        "bootstrap_low",
        "bootstrap_high",
        "bootstrap_p",
        "randomisation_low",
        "randomisation_high",
        "randomisation_p",
        "pilot_units",
        "control_units",
        "months",
        "warnings",
        "summary_kk",
        "summary_ru",
        "summary_en",
    ])?;
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v:.6}"));
    for result in &report.results {
        let summaries: Vec<String> = pages
            .iter()
            .map(|p| {
                let (s, v, _) = sentences(p, report, result);
                format!("{s} {v}").trim().to_owned()
            })
            .collect();
        let mut row = vec![report.design.code.clone(), result.outcome.id()];
        match &result.did {
            Ok(did) => {
                row.extend([
                    format!("{:.6}", did.estimate),
                    format!("{:.6}", did.std_error),
                    opt(did.interval.lower),
                    opt(did.interval.upper),
                    opt(did.wild_bootstrap.as_ref().and_then(|w| w.interval.lower)),
                    opt(did.wild_bootstrap.as_ref().and_then(|w| w.interval.upper)),
                    opt(did.wild_bootstrap.as_ref().map(|w| w.p_value)),
                    opt(did.randomization.as_ref().and_then(|r| r.interval.lower)),
                    opt(did.randomization.as_ref().and_then(|r| r.interval.upper)),
                    opt(did.randomization.as_ref().map(|r| r.p_value)),
                    did.n_treated_units.to_string(),
                    did.n_control_units.to_string(),
                    did.n_periods.to_string(),
                    did.warnings
                        .iter()
                        .map(|w| {
                            serde_json::to_value(w)
                                .ok()
                                .and_then(|v| v["kind"].as_str().map(str::to_owned))
                                .unwrap_or_default()
                        })
                        .collect::<Vec<_>>()
                        .join(";"),
                ]);
            }
            Err(_) => row.extend(std::iter::repeat_n(String::new(), 14)),
        }
        row.extend(summaries);
        writer.write_record(&row)?;
    }
    writer.into_inner().map_err(|err| csv::Error::from(err.into_error()))
}

/// The panels as long CSV: outcome, quadrant, pilot, month, value.
pub(crate) fn panel_csv(report: &Report) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["outcome", "quadrant", "pilot", "month", "value"])?;
    let n = report.window.months.len();
    for panel in &report.panels {
        for (u, code) in report.units.codes.iter().enumerate() {
            for (t, month) in report.window.months.iter().enumerate() {
                let value = panel.values[u * n + t].map_or_else(String::new, |v| format!("{v}"));
                writer.write_record([
                    panel.outcome.id(),
                    code.clone(),
                    report.units.treated[u].to_string(),
                    month.label(),
                    value,
                ])?;
            }
        }
    }
    writer.into_inner().map_err(|err| csv::Error::from(err.into_error()))
}

/// Which export.
#[derive(Clone, Copy)]
enum Export {
    Json,
    Csv,
    Panel,
}

async fn export(
    state: &AppState,
    principal: &sakshy_core::access::Principal,
    code: &str,
    lang: Lang,
    what: Export,
) -> Result<Response, ApiError> {
    principal.may_analyse().map_err(|err| crate::staff::access_error(&err, lang))?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let design = find_design(state, &registry, code, lang).await?;
    let Some(report) = build_report(state, &registry, design).await? else {
        return Err(ApiError::Conflict(crate::i18n::text(lang, "eval-too-early", &[])));
    };
    let csv_response = |bytes: Vec<u8>| ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], bytes).into_response();
    Ok(match what {
        Export::Json => axum::Json(report_json(&registry, &report)).into_response(),
        Export::Csv => csv_response(report_csv(&registry, &report).map_err(|err| ApiError::internal(lang, err))?),
        Export::Panel => csv_response(panel_csv(&report).map_err(|err| ApiError::internal(lang, err))?),
    })
}

async fn page_export(
    state: AppState,
    page: PageContext,
    session: StaffSession,
    code: String,
    what: Export,
) -> Response {
    match export(&state, &session.principal, &code, page.lang, what).await {
        Ok(response) => response,
        Err(err) => crate::console::error_page(page, &err),
    }
}

async fn page_json(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    page_export(state, page, session, code, Export::Json).await
}

async fn page_csv(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    page_export(state, page, session, code, Export::Csv).await
}

async fn page_panel_csv(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    page_export(state, page, session, code, Export::Panel).await
}

async fn api_json(
    State(state): State<AppState>,
    crate::i18n::RequestLang(lang): crate::i18n::RequestLang,
    crate::staff::Staff(principal): crate::staff::Staff,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    export(&state, &principal, &code, lang, Export::Json).await
}

async fn api_csv(
    State(state): State<AppState>,
    crate::i18n::RequestLang(lang): crate::i18n::RequestLang,
    crate::staff::Staff(principal): crate::staff::Staff,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    export(&state, &principal, &code, lang, Export::Csv).await
}

async fn show_designs(State(state): State<AppState>, page: PageContext, session: StaffSession) -> Response {
    designs_page(&state, page, &session, None, None).await
}

/// What the form shows: a design being edited, or the defaults.
struct Draft {
    code: String,
    title: String,
    pilot: Vec<String>,
    control: Vec<String>,
    start: String,
    buffer: u32,
}

async fn designs_page(
    state: &AppState,
    page: PageContext,
    session: &StaffSession,
    draft: Option<Draft>,
    error: Option<String>,
) -> Response {
    if let Err(err) = session.principal.may_analyse() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let designs = match state.store.evaluations(registry.city_id).await {
        Ok(designs) => designs,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let lang = page.lang;
    let draft = draft.unwrap_or_else(|| {
        let pilot = crate::survey_pages::pilot_quadrants(&registry);
        let districts: Vec<String> = registry
            .level(Level::Quadrant)
            .filter(|q| pilot.iter().any(|p| p == q.territory.code().as_str()))
            .filter_map(|q| q.territory.parent().map(ToString::to_string))
            .collect();
        let control = registry
            .level(Level::Quadrant)
            .filter(|q| q.territory.parent().is_some_and(|d| districts.iter().any(|x| x == d.as_str())))
            .map(|q| q.territory.code().to_string())
            .filter(|c| !pilot.contains(c))
            .collect();
        Draft { code: "pilot".into(), title: String::new(), pilot, control, start: String::new(), buffer: 300 }
    });
    let quadrants = registry
        .level(Level::Quadrant)
        .map(|q| {
            let code = q.territory.code().to_string();
            QuadrantChoice {
                name: q.territory.name().get(lang).to_owned(),
                pilot: draft.pilot.contains(&code),
                control: draft.control.contains(&code),
                code,
            }
        })
        .collect();
    let rows = designs
        .iter()
        .map(|d| DesignRow {
            code: d.code.clone(),
            title: d.title.clone(),
            start: page.day(&d.start),
            pilot: d.pilot.join(", "),
            control: d.control.join(", "),
            link: format!("/staff/evaluation/{}?lang={}", d.code, lang.code()),
        })
        .collect();
    let view = DesignsPage {
        nav: StaffNav::of(session),
        csrf: session.csrf.clone(),
        may_run: session.principal.may_run_surveys().is_ok(),
        designs: rows,
        quadrants,
        code: draft.code,
        title: draft.title,
        start: draft.start,
        buffer: draft.buffer,
        error: error.clone(),
        page,
    };
    if error.is_some() {
        view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
    } else {
        view.page.render(&view)
    }
}

async fn save_design(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    let pairs = crate::survey_form::pairs(&body);
    let one = |key: &str| crate::survey_form::value_of(&pairs, key).map(|v| v.trim().to_owned()).unwrap_or_default();
    if !session.csrf_ok(Some(&one("csrf"))) {
        return crate::auth::csrf_refused(&page);
    }
    if let Err(err) = session.principal.may_run_surveys() {
        return crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let mut roles: HashMap<String, String> = HashMap::new();
    for (key, value) in &pairs {
        if let Some(code) = key.strip_prefix("role.") {
            roles.insert(code.to_owned(), value.clone());
        }
    }
    let pick = |role: &str| -> Vec<String> {
        let mut codes: Vec<String> = roles.iter().filter(|(_, r)| r.as_str() == role).map(|(c, _)| c.clone()).collect();
        codes.sort();
        codes
    };
    let draft = Draft {
        code: one("code"),
        title: one("title"),
        pilot: pick("pilot"),
        control: pick("control"),
        start: one("start"),
        buffer: one("buffer").parse().unwrap_or(0),
    };
    let refuse = |draft: Draft, key: &str| {
        let message = page.t(key);
        designs_page(&state, page.clone(), &session, Some(draft), Some(message))
    };
    if !crate::survey_pages::valid_wave_code(&draft.code) {
        return refuse(draft, "survey-bad-code").await;
    }
    let Ok(start) = NaiveDate::parse_from_str(&draft.start, "%Y-%m-%d") else {
        return refuse(draft, "eval-bad-start").await;
    };
    if !(50..=5_000).contains(&draft.buffer) {
        return refuse(draft, "eval-bad-buffer").await;
    }
    let known = |code: &String| registry.level(Level::Quadrant).any(|q| q.territory.code().as_str() == code);
    if draft.pilot.is_empty() || draft.control.is_empty() || !draft.pilot.iter().chain(&draft.control).all(known) {
        return refuse(draft, "eval-bad-units").await;
    }
    let design = EvaluationDesign {
        code: draft.code.clone(),
        title: if draft.title.is_empty() { draft.code.clone() } else { draft.title.clone() },
        pilot: draft.pilot.clone(),
        control: draft.control.clone(),
        start,
        buffer_metres: draft.buffer,
        updated_at_ms: state.clock.now_ms(),
    };
    match state.store.save_evaluation(registry.city_id, &design).await {
        Ok(()) => {
            crate::admin_pages::record(&state, &session, "evaluation_saved", &design.code, peer).await;
            crate::admin_pages::see_other(&page, &format!("/staff/evaluation/{}", design.code))
        }
        Err(sakshy_store::SurveyStoreError::EvaluationInvalid(_)) => refuse(draft, "eval-bad-units").await,
        Err(err) => crate::pages::internal_error(&err),
    }
}
