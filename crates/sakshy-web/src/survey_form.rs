//! Answering a survey: the public form of a wave (`/survey/{wave}`, with `?t=` for an invitation) and the same
//! form for enumerators on a phone (`/staff/surveys/{wave}/collect`, signed in).
//!
//! The form needs no JavaScript: it is split into the instrument's pages ([`Instrument::pages`]) so that skip
//! logic is decided by the server — a question shows only when its relevance condition holds for the answers
//! already given. Earlier answers travel in hidden fields, nothing is kept on the server until the last page is
//! sent; then every answer is checked again, open text is scrubbed of phone numbers, e-mail addresses, ID
//! numbers and names ([`sakshy_core::survey::scrub_text`]) and the response is stored in one transaction.
//!
//! Abuse: every POST carries the portal's signed double-submit token; invitation waves take one response per
//! token (the store marks it used in the same transaction); open waves take at most
//! [`SUBMISSIONS_PER_HOUR`] responses per client address and hour, and a form whose hidden `website` field is
//! filled (a honeypot only robots see) is thanked and dropped.

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use sakshy_core::survey::{AnswerProblemKind, Answers, Instrument, ItemKind, ItemRole};
use sakshy_core::{Level, LocateOutcome};
use sakshy_store::{Channel, InvitationState, StoredWave, SurveyStoreError, WaveAccess, WaveStatus};

use crate::auth::{StaffNav, StaffSession};
use crate::pages::csrf::{self, FormToken};
use crate::pages::{PageContext, page_context};
use crate::{AppState, Registry};

/// Responses an open wave takes from one client address per hour. Generous: mobile carriers put many
/// households behind one address.
pub const SUBMISSIONS_PER_HOUR: usize = 30;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/survey", get(list_open_waves))
        .route("/survey/{wave}", get(show_public).post(post_public))
        .route("/staff/surveys/{wave}/collect", get(show_enumerator).post(post_enumerator))
}

/// Submissions per client address in the last hour.
#[derive(Default)]
pub struct SubmissionLimiter {
    recent: Mutex<HashMap<IpAddr, VecDeque<i64>>>,
}

impl SubmissionLimiter {
    /// Records a submission at `now_ms` from `address`; `false` (and nothing recorded) when the address has
    /// reached the limit within the hour.
    pub fn allow(&self, address: IpAddr, now_ms: i64) -> bool {
        let mut recent = self.recent.lock().expect("the limiter lock is never poisoned: no panics while held");
        if recent.len() > 100_000 {
            recent.retain(|_, times| times.back().is_some_and(|&t| now_ms - t < 3_600_000));
        }
        let times = recent.entry(address).or_default();
        while times.front().is_some_and(|&t| now_ms - t >= 3_600_000) {
            times.pop_front();
        }
        if times.len() >= SUBMISSIONS_PER_HOUR {
            return false;
        }
        times.push_back(now_ms);
        true
    }
}

/// Who is answering.
#[derive(Debug, Clone)]
enum Mode {
    /// A resident on the public form, with an invitation token when the wave needs one.
    Public { token: Option<String>, address: IpAddr },
    /// An enumerator, signed in.
    Enumerator { session: Box<StaffSession> },
}

/// One choice of a question.
pub(crate) struct OptionView {
    value: String,
    label: String,
    checked: bool,
}

/// A group of choices (the quadrants of a district).
pub(crate) struct OptionGroup {
    label: String,
    options: Vec<OptionView>,
}

/// One question as the template draws it.
pub(crate) struct FieldView {
    name: String,
    /// `note`, `radio`, `likert`, `checkbox`, `integer`, `decimal`, `text`, `select` or `location`.
    kind: &'static str,
    label: String,
    hint: Option<String>,
    required: bool,
    error: Option<String>,
    options: Vec<OptionView>,
    groups: Vec<OptionGroup>,
    value: String,
    max_chars: usize,
}

#[derive(Template)]
#[template(path = "portal/survey.html")]
struct SurveyPage {
    page: PageContext,
    nav: Option<StaffNav>,
    action: String,
    csrf: String,
    token: String,
    title: String,
    step: String,
    page_index: usize,
    fields: Vec<FieldView>,
    hidden: Vec<(String, String)>,
    first: bool,
    last: bool,
    synthetic: bool,
    error: Option<String>,
}
page_context!(SurveyPage);

#[derive(Template)]
#[template(path = "portal/survey_done.html")]
struct DonePage {
    page: PageContext,
    nav: Option<StaffNav>,
    title: String,
    again: Option<String>,
}
page_context!(DonePage);

/// A wave anyone may answer, in the list.
struct OpenWave {
    title: String,
    dates: String,
    link: String,
}

#[derive(Template)]
#[template(path = "portal/surveys.html")]
struct OpenWavesPage {
    page: PageContext,
    waves: Vec<OpenWave>,
}
page_context!(OpenWavesPage);

/// `/survey`: the waves open to anyone now, so residents find them from the portal.
async fn list_open_waves(State(state): State<AppState>, page: PageContext) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let waves = match state.store.waves(registry.city_id).await {
        Ok(waves) => waves,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let mut open = Vec::new();
    for wave in waves.iter().filter(|w| w.status == WaveStatus::Open && w.access == WaveAccess::Open) {
        let title = match state.store.instrument(registry.city_id, wave.instrument_id).await {
            Ok(Some(stored)) => Instrument::from_json(&stored.definition)
                .map_or_else(|_| wave.title.clone(), |i| i.title.get(page.lang).to_owned()),
            Ok(None) => wave.title.clone(),
            Err(err) => return crate::pages::internal_error(&err),
        };
        open.push(OpenWave {
            title,
            dates: format!("{} — {}", page.day(&wave.opens_on), page.day(&wave.closes_on)),
            link: format!("/survey/{}?lang={}", wave.code, page.lang.code()),
        });
    }
    let view = OpenWavesPage { waves: open, page };
    view.page.render(&view)
}

/// The field name of an item's answer.
fn field(name: &str) -> String {
    format!("q.{name}")
}

/// The answers a form posted: `q.{item}` fields, several values of one item joined by spaces.
fn posted_answers(pairs: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for (key, value) in pairs {
        let Some(name) = key.strip_prefix("q.") else { continue };
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        answers
            .entry(name.to_owned())
            .and_modify(|v: &mut String| {
                v.push(' ');
                v.push_str(value);
            })
            .or_insert_with(|| value.to_owned());
    }
    answers
}

pub(crate) fn pairs(body: &Bytes) -> Vec<(String, String)> {
    form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

pub(crate) fn value_of<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

/// A problem with an answer, in the page's language.
pub(crate) fn problem_text(page: &PageContext, kind: &AnswerProblemKind) -> String {
    crate::survey_text::answer_problem(page, kind)
}

/// The pages with at least one relevant question, given the answers so far.
fn relevant_page(instrument: &Instrument, pages: &[std::ops::Range<usize>], index: usize, answers: &Answers) -> bool {
    pages.get(index).is_some_and(|range| {
        range.clone().any(|i| !matches!(instrument.items[i].kind, ItemKind::Note) && instrument.is_relevant(i, answers))
    })
}

fn quadrant_groups(registry: &Registry, page: &PageContext, selected: &str) -> Vec<OptionGroup> {
    registry
        .level(Level::District)
        .map(|district| OptionGroup {
            label: district.territory.name().get(page.lang).to_owned(),
            options: registry
                .level(Level::Quadrant)
                .filter(|q| q.territory.parent() == Some(district.territory.code()))
                .map(|q| OptionView {
                    value: q.territory.code().to_string(),
                    label: format!("{} — {}", q.territory.code(), q.territory.name().get(page.lang)),
                    checked: q.territory.code().as_str() == selected,
                })
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// The questions of one page, drawn with the answers given and the problems found.
fn fields(
    registry: &Registry,
    page: &PageContext,
    instrument: &Instrument,
    range: std::ops::Range<usize>,
    answers: &Answers,
    problems: &HashMap<String, String>,
) -> Vec<FieldView> {
    let lang = page.lang;
    let mut out = Vec::new();
    for index in range {
        let item = &instrument.items[index];
        if !instrument.is_relevant(index, answers) {
            continue;
        }
        let value = answers.get(&item.name).cloned().unwrap_or_default();
        let chosen: Vec<&str> = value.split_whitespace().collect();
        let options = || -> Vec<OptionView> {
            instrument
                .choices(item)
                .into_iter()
                .map(|c| OptionView {
                    checked: chosen.contains(&c.name.as_str()),
                    value: c.name,
                    label: c.label.get(lang).to_owned(),
                })
                .collect()
        };
        let (kind, options, groups, max_chars) = match &item.kind {
            ItemKind::Note => ("note", Vec::new(), Vec::new(), 0),
            ItemKind::SingleChoice { .. } | ItemKind::YesNo => ("radio", options(), Vec::new(), 0),
            ItemKind::Likert { .. } => ("likert", options(), Vec::new(), 0),
            ItemKind::MultipleChoice { .. } => ("checkbox", options(), Vec::new(), 0),
            ItemKind::Integer { .. } => ("integer", Vec::new(), Vec::new(), 0),
            ItemKind::Decimal { .. } => ("decimal", Vec::new(), Vec::new(), 0),
            ItemKind::Text { max_chars } => ("text", Vec::new(), Vec::new(), *max_chars),
            ItemKind::Quadrant => ("select", Vec::new(), quadrant_groups(registry, page, &value), 0),
            ItemKind::Location => ("location", Vec::new(), Vec::new(), 0),
        };
        out.push(FieldView {
            name: field(&item.name),
            kind,
            label: item.label.get(lang).to_owned(),
            hint: item.hint.as_ref().map(|h| h.get(lang).to_owned()),
            required: item.required,
            error: problems.get(&item.name).cloned(),
            options,
            groups,
            value,
            max_chars,
        });
    }
    out
}

/// Everything a form page needs besides the page index.
struct Form<'a> {
    registry: &'a Registry,
    wave: &'a StoredWave,
    instrument: &'a Instrument,
    mode: &'a Mode,
    csrf: String,
}

fn render_page(
    form: &Form<'_>,
    page: PageContext,
    index: usize,
    answers: &Answers,
    problems: &HashMap<String, String>,
    error: Option<String>,
) -> Response {
    let pages = form.instrument.pages();
    let range = pages.get(index).cloned().unwrap_or(0..0);
    let fields = fields(form.registry, &page, form.instrument, range.clone(), answers, problems);
    let hidden: Vec<(String, String)> = answers
        .iter()
        .filter(|(name, _)| {
            form.instrument.items.iter().position(|i| &i.name == *name).is_none_or(|i| !range.contains(&i))
        })
        .flat_map(|(name, value)| {
            let multi = form.instrument.item(name).is_some_and(|i| matches!(i.kind, ItemKind::MultipleChoice { .. }));
            let values: Vec<String> =
                if multi { value.split_whitespace().map(str::to_owned).collect() } else { vec![value.clone()] };
            values.into_iter().map(|v| (field(name), v)).collect::<Vec<_>>()
        })
        .collect();
    let last = !(index + 1..pages.len()).any(|i| relevant_page(form.instrument, &pages, i, answers));
    let (nav, action, token) = match form.mode {
        Mode::Public { token, .. } => (None, format!("/survey/{}", form.wave.code), token.clone().unwrap_or_default()),
        Mode::Enumerator { session } => {
            (Some(StaffNav::of(session)), format!("/staff/surveys/{}/collect", form.wave.code), String::new())
        }
    };
    let total = pages.len().max(1);
    let view = SurveyPage {
        nav,
        action: format!("{action}?lang={}", page.lang.code()),
        csrf: form.csrf.clone(),
        token,
        title: form.instrument.title.get(page.lang).to_owned(),
        step: page.tr("survey-step", &[("page", ((index + 1) as i64).into()), ("pages", (total as i64).into())]),
        page_index: index,
        fields,
        hidden,
        first: index == 0,
        last,
        synthetic: form.wave.synthetic,
        error,
        page,
    };
    let status = if problems.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    view.page.render_with_status(status, &view)
}

/// The wave and its instrument, or the page that says why the form cannot be shown.
async fn load(
    state: &AppState,
    page: &PageContext,
    code: &str,
) -> Result<(std::sync::Arc<Registry>, StoredWave, Instrument), Response> {
    let Some(registry) = state.registry() else { return Err(page.clone().no_city()) };
    let Some((wave, instrument)) = crate::survey_pages::wave_and_instrument(state, &registry, code).await? else {
        return Err(page.clone().message(StatusCode::NOT_FOUND, page.t("survey-title"), page.t("survey-not-found")));
    };
    if wave.status != WaveStatus::Open {
        return Err(page.clone().message(StatusCode::GONE, page.t("survey-title"), page.t("survey-not-open")));
    }
    Ok((registry, wave, instrument))
}

/// Whether the public may answer today: between the wave's opening and closing days, in the city's zone.
/// Enumerators and imports are not held to the dates (field data arrive late).
fn outside_dates(state: &AppState, page: &PageContext, registry: &Registry, wave: &StoredWave) -> Option<Response> {
    let today = crate::survey_pages::today(state, registry);
    if (wave.opens_on..=wave.closes_on).contains(&today) {
        return None;
    }
    let message = page.tr(
        "survey-outside-dates",
        &[("from", page.day(&wave.opens_on).into()), ("to", page.day(&wave.closes_on).into())],
    );
    Some(page.clone().message(StatusCode::GONE, page.t("survey-title"), message))
}

/// Whether an invitation wave's token may answer; the refusal page otherwise.
async fn check_token(
    state: &AppState,
    page: &PageContext,
    registry: &Registry,
    wave: &StoredWave,
    token: Option<&str>,
) -> Result<(), Response> {
    if wave.access != WaveAccess::Invitation {
        return Ok(());
    }
    let refuse = |key: &str| page.clone().message(StatusCode::FORBIDDEN, page.t("survey-title"), page.t(key));
    let Some(token) = token.filter(|t| !t.is_empty()) else { return Err(refuse("survey-needs-invitation")) };
    match state.store.invitation_state(registry.city_id, &wave.code, token).await {
        Ok(InvitationState::Unused) => Ok(()),
        Ok(InvitationState::Used) => Err(refuse("survey-invitation-used")),
        Ok(InvitationState::Unknown) => Err(refuse("survey-invitation-unknown")),
        Err(err) => Err(crate::pages::internal_error(&err)),
    }
}

async fn show_public(
    State(state): State<AppState>,
    page: PageContext,
    Path(code): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let (registry, wave, instrument) = match load(&state, &page, &code).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let token = query.get("t").cloned();
    if let Some(response) = outside_dates(&state, &page, &registry, &wave) {
        return response;
    }
    if let Err(response) = check_token(&state, &page, &registry, &wave, token.as_deref()).await {
        return response;
    }
    let issued = FormToken::issue(&headers);
    let mode = Mode::Public { token, address: peer.ip() };
    let form =
        Form { registry: &registry, wave: &wave, instrument: &instrument, mode: &mode, csrf: issued.token.clone() };
    issued.attach(render_page(&form, page, 0, &Answers::new(), &HashMap::new(), None))
}

async fn show_enumerator(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    let (registry, wave, instrument) = match load(&state, &page, &code).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    let csrf = session.csrf.clone();
    let mode = Mode::Enumerator { session: Box::new(session) };
    let form = Form { registry: &registry, wave: &wave, instrument: &instrument, mode: &mode, csrf };
    render_page(&form, page, 0, &Answers::new(), &HashMap::new(), None)
}

async fn post_public(
    State(state): State<AppState>,
    page: PageContext,
    Path(code): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let pairs = pairs(&body);
    if !csrf::verify(&headers, value_of(&pairs, "csrf").unwrap_or("")) {
        return page.clone().message(StatusCode::FORBIDDEN, page.t("survey-title"), page.t("portal-csrf"));
    }
    let token = value_of(&pairs, "t").map(str::to_owned).filter(|t| !t.is_empty());
    let mode = Mode::Public { token, address: peer.ip() };
    let csrf = value_of(&pairs, "csrf").unwrap_or("").to_owned();
    answer(&state, page, &code, mode, csrf, &pairs).await
}

async fn post_enumerator(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
    body: Bytes,
) -> Response {
    let pairs = pairs(&body);
    if !session.csrf_ok(value_of(&pairs, "csrf")) {
        return crate::auth::csrf_refused(&page);
    }
    let csrf = session.csrf.clone();
    answer(&state, page, &code, Mode::Enumerator { session: Box::new(session) }, csrf, &pairs).await
}

/// Takes one page of answers: shows the page again with its problems, the next page, or stores the response.
async fn answer(
    state: &AppState,
    page: PageContext,
    code: &str,
    mode: Mode,
    csrf: String,
    pairs: &[(String, String)],
) -> Response {
    let (registry, wave, instrument) = match load(state, &page, code).await {
        Ok(loaded) => loaded,
        Err(response) => return response,
    };
    // An enumerator's entry needs no invitation: the signed-in staff member vouches for it.
    if let Mode::Public { token, .. } = &mode {
        if let Some(response) = outside_dates(state, &page, &registry, &wave) {
            return response;
        }
        if let Err(response) = check_token(state, &page, &registry, &wave, token.as_deref()).await {
            return response;
        }
    }
    let form = Form { registry: &registry, wave: &wave, instrument: &instrument, mode: &mode, csrf };
    let pages = instrument.pages();
    let index =
        value_of(pairs, "page").and_then(|p| p.parse::<usize>().ok()).unwrap_or(0).min(pages.len().saturating_sub(1));
    let mut answers = posted_answers(pairs);
    if value_of(pairs, "go") == Some("back") {
        let previous = (0..index).rev().find(|&i| relevant_page(&instrument, &pages, i, &answers)).unwrap_or(0);
        return render_page(&form, page, previous, &answers, &HashMap::new(), None);
    }
    // Problems with the questions of this page (and any earlier one).
    let shown_until = pages.get(index).map_or(0, |r| r.end);
    // Answers to questions no longer relevant are dropped as the respondent goes (as ODK does).
    let mut problems: HashMap<String, String> = match instrument.check(&answers) {
        Ok(clean) => {
            answers = clean;
            HashMap::new()
        }
        Err(problems) => problems
            .iter()
            .filter(|p| instrument.items.iter().position(|i| i.name == p.item).is_some_and(|i| i < shown_until))
            .map(|p| (p.item.clone(), problem_text(&page, &p.kind)))
            .collect(),
    };
    // A quadrant must be one of the city's (the form lists them; a forged value is refused like a bad choice).
    if let Some((item, code)) = crate::survey_import::unknown_quadrant(&registry, &instrument, &answers) {
        problems.insert(item, problem_text(&page, &AnswerProblemKind::NotAChoice { value: code }));
    }
    if !problems.is_empty() {
        let first = problems
            .keys()
            .filter_map(|name| instrument.items.iter().position(|i| &i.name == name))
            .min()
            .and_then(|i| pages.iter().position(|r| r.contains(&i)))
            .unwrap_or(index);
        let error = Some(page.t("survey-fix-answers"));
        return render_page(&form, page, first, &answers, &problems, error);
    }
    if let Some(next) = (index + 1..pages.len()).find(|&i| relevant_page(&instrument, &pages, i, &answers)) {
        return render_page(&form, page, next, &answers, &HashMap::new(), None);
    }
    submit(state, &form, page, answers, pairs).await
}

/// Checks the whole response once more, scrubs open text and stores it.
async fn submit(
    state: &AppState,
    form: &Form<'_>,
    page: PageContext,
    answers: Answers,
    pairs: &[(String, String)],
) -> Response {
    let instrument = form.instrument;
    let answers = match instrument.check(&answers) {
        Ok(answers) => answers,
        Err(problems) => {
            let problems: HashMap<String, String> =
                problems.iter().map(|p| (p.item.clone(), problem_text(&page, &p.kind))).collect();
            let error = Some(page.t("survey-fix-answers"));
            return render_page(form, page, 0, &answers, &problems, error);
        }
    };
    let now_ms = state.clock.now_ms();
    let done = |page: PageContext| {
        let again = matches!(form.mode, Mode::Enumerator { .. })
            .then(|| format!("/staff/surveys/{}/collect?lang={}", form.wave.code, page.lang.code()));
        let view = DonePage {
            nav: match form.mode {
                Mode::Enumerator { session } => Some(StaffNav::of(session)),
                Mode::Public { .. } => None,
            },
            title: instrument.title.get(page.lang).to_owned(),
            again,
            page,
        };
        view.page.render(&view)
    };
    let channel = match form.mode {
        Mode::Public { address, .. } => {
            if value_of(pairs, "website").is_some_and(|v| !v.trim().is_empty()) {
                metrics::counter!("sakshy_survey_honeypot_total").increment(1);
                return done(page);
            }
            if form.wave.access == WaveAccess::Open && !state.survey_limiter.allow(*address, now_ms) {
                let message = page.t("survey-too-many");
                return page.clone().message(StatusCode::TOO_MANY_REQUESTS, page.t("survey-title"), message);
            }
            Channel::Web
        }
        Mode::Enumerator { .. } => Channel::Enumerator,
    };
    let prepared = crate::survey_import::prepare(form.registry, instrument, answers, None, now_ms);
    let token = match form.mode {
        Mode::Public { token, .. } => token.as_deref(),
        Mode::Enumerator { .. } => None,
    };
    let enumerator = match form.mode {
        Mode::Enumerator { session } => {
            match state.store.staff_user_id(form.registry.city_id, &session.principal.login).await {
                Ok(id) => id,
                Err(err) => return crate::pages::internal_error(&err),
            }
        }
        Mode::Public { .. } => None,
    };
    let response = prepared.as_new(channel, token, enumerator);
    match state.store.insert_response(form.registry.city_id, &form.wave.code, &response).await {
        Ok(_) => {
            metrics::counter!("sakshy_survey_responses_total", "channel" => channel.as_str()).increment(1);
            done(page)
        }
        Err(SurveyStoreError::TokenUsed) => {
            page.clone().message(StatusCode::CONFLICT, page.t("survey-title"), page.t("survey-invitation-used"))
        }
        Err(SurveyStoreError::TokenUnknown) => {
            page.clone().message(StatusCode::FORBIDDEN, page.t("survey-title"), page.t("survey-invitation-unknown"))
        }
        Err(SurveyStoreError::WaveNotOpen { .. }) => {
            page.clone().message(StatusCode::GONE, page.t("survey-title"), page.t("survey-not-open"))
        }
        Err(err) => crate::pages::internal_error(&err),
    }
}

/// The respondent's quadrant and district: the quadrant they chose, else the one their location falls in.
pub(crate) fn place_of(
    registry: &Registry,
    instrument: &Instrument,
    answers: &Answers,
) -> Option<(String, Option<String>)> {
    let district_of = |code: &str| {
        registry
            .level(Level::Quadrant)
            .find(|q| q.territory.code().as_str() == code)
            .map(|q| q.territory.parent().map(ToString::to_string))
    };
    if let Some(code) = instrument.role_item(ItemRole::Quadrant).and_then(|item| answers.get(&item.name))
        && let Some(district) = district_of(code)
    {
        return Some((code.clone(), district));
    }
    let location = instrument.role_item(ItemRole::Location).and_then(|item| answers.get(&item.name))?;
    let mut parts = location.split_whitespace().map(str::parse::<f64>);
    let (Some(Ok(lat)), Some(Ok(lon))) = (parts.next(), parts.next()) else { return None };
    match registry.locator.locate(lon, lat) {
        LocateOutcome::Inside { quadrant, district } => {
            Some((quadrant.code().to_string(), district.map(|d| d.code().to_string())))
        }
        LocateOutcome::Outside { .. } => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn several_values_of_one_question_are_joined_and_empty_ones_dropped() {
        let pairs = vec![
            ("q.problems".to_owned(), "lighting".to_owned()),
            ("q.problems".to_owned(), "dogs".to_owned()),
            ("q.comment".to_owned(), "  ".to_owned()),
            ("csrf".to_owned(), "x".to_owned()),
        ];
        let answers = posted_answers(&pairs);
        assert_eq!(answers.get("problems").map(String::as_str), Some("lighting dogs"));
        assert!(!answers.contains_key("comment") && !answers.contains_key("csrf"));
    }

    #[test]
    fn an_address_is_limited_per_hour_and_free_again_after_it() {
        let limiter = SubmissionLimiter::default();
        let address: IpAddr = "10.0.0.1".parse().unwrap();
        for i in 0..SUBMISSIONS_PER_HOUR {
            assert!(limiter.allow(address, i as i64));
        }
        assert!(!limiter.allow(address, 1_000));
        assert!(limiter.allow("10.0.0.2".parse().unwrap(), 1_000), "another address is not limited");
        assert!(limiter.allow(address, 3_600_000), "an hour later the first submission has expired");
    }
}
