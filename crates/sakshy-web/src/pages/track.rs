//! Following an appeal: `GET /track` (a form for the code or the link), `GET /track/{token}` (state, public
//! history, due date — never contact details, internal notes or staff identities), and the resident's moves
//! after the answer: `POST /track/{token}/rate`, `/reopen` and `/close`, which reuse the JSON API's logic
//! ([`crate::appeals::record_feedback`], [`crate::appeals::apply_resident_action`]) and redirect back.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use sakshy_core::workflow::{Action, AppealState};
use sakshy_store::StoredAppeal;

use crate::pages::csrf::{self, FormToken};
use crate::pages::{PageContext, page_context};
use crate::{ApiError, AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/track", get(show_track_form))
        .route("/track/{token}", get(show_tracked))
        .route("/track/{token}/rate", post(rate))
        .route("/track/{token}/reopen", post(reopen))
        .route("/track/{token}/close", post(close))
}

#[derive(Template)]
#[template(path = "portal/track_form.html")]
struct TrackFormPage {
    page: PageContext,
    token: String,
    error: Option<String>,
}
page_context!(TrackFormPage);

/// One line of the public history.
struct HistoryLine {
    at: String,
    text: String,
    comment: Option<String>,
}

/// One agency's task, as the resident sees it.
struct TaskLine {
    agency: String,
    state: String,
    due: String,
}

#[derive(Template)]
#[template(path = "portal/track.html")]
struct TrackPage {
    page: PageContext,
    csrf: String,
    token: String,
    receipt: String,
    category: String,
    state: String,
    registered: String,
    due: String,
    tasks: Vec<TaskLine>,
    history: Vec<HistoryLine>,
    can_rate: bool,
    can_reopen: bool,
    done: Option<String>,
    error: Option<String>,
}
page_context!(TrackPage);

/// A token typed or pasted: the last path segment of a link, or the code itself.
fn token_of(text: &str) -> String {
    let text = text.trim();
    let text = text.split(['?', '#']).next().unwrap_or("");
    text.trim_end_matches('/').rsplit('/').next().unwrap_or("").to_owned()
}

async fn show_track_form(page: PageContext, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Some(raw) = query.get("token") {
        let token = token_of(raw);
        if !token.is_empty()
            && token.len() <= 64
            && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Redirect::to(&format!("/track/{token}?lang={}", page.lang.code())).into_response();
        }
        let error = Some(page.t("portal-track-not-found"));
        let view = TrackFormPage { page, token: raw.clone(), error };
        return view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view);
    }
    let view = TrackFormPage { page, token: String::new(), error: None };
    view.page.render(&view)
}

fn state_text(page: &PageContext, state: &str) -> String {
    let key = format!("portal-state-{state}");
    if crate::i18n::has_message(page.lang, &key) { page.t(&key) } else { state.to_owned() }
}

fn track_page(
    registry: &Registry,
    page: PageContext,
    csrf: String,
    token: String,
    appeal: &StoredAppeal,
    done: Option<String>,
    error: Option<String>,
) -> TrackPage {
    let lang = page.lang;
    let agency_name = |code: &sakshy_core::Code| {
        registry
            .agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.get(lang).to_owned())
    };
    let workflow = &appeal.workflow;
    let category = registry
        .routing
        .as_ref()
        .and_then(|r| r.category(&appeal.category))
        .map_or_else(|| appeal.category.to_string(), |c| c.name.get(lang).to_owned());
    let tasks = workflow
        .tasks
        .iter()
        .map(|task| TaskLine {
            agency: agency_name(&task.agency),
            state: state_text(&page, task.state.as_str()),
            due: page.day(&task.due),
        })
        .collect();
    // Only moves the resident may read: those with a public wording (the same list Open311 publishes).
    let history = workflow
        .history
        .iter()
        .filter_map(|event| {
            let key = format!("open311-update-{}", event.action);
            if !crate::i18n::has_message(lang, &key) {
                return None;
            }
            let agency = event.agency.as_ref().map(agency_name).unwrap_or_default();
            Some(HistoryLine {
                at: page.datetime(&event.at_ms),
                text: page.t1(&key, "agency", agency),
                comment: event.public_comment.clone(),
            })
        })
        .collect();
    let state = workflow.state();
    TrackPage {
        csrf,
        token,
        receipt: appeal.receipt.clone(),
        category,
        state: state_text(&page, state.as_str()),
        registered: page.day(&workflow.clocks.registered_on),
        due: page.day(&workflow.due()),
        tasks,
        history,
        can_rate: matches!(state, AppealState::Answered | AppealState::Closed),
        can_reopen: state == AppealState::Answered,
        done,
        error,
        page,
    }
}

fn private(mut response: Response) -> Response {
    // The address holds the tracking secret: keep the page out of caches and referrers.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}

fn not_found(page: PageContext) -> Response {
    let heading = page.t("portal-not-found");
    let message = page.t("portal-track-not-found");
    page.message(StatusCode::NOT_FOUND, heading, message)
}

async fn show_tracked(
    State(state): State<AppState>,
    page: PageContext,
    headers: HeaderMap,
    Path(token): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let appeal = match crate::appeals::tracked(&state, page.lang, &token).await {
        Ok((_, appeal)) => appeal,
        Err(ApiError::NotFound { .. }) => return not_found(page),
        Err(err) => return err.into_response(),
    };
    let done = query.contains_key("done").then(|| page.t("portal-done"));
    let csrf = FormToken::issue(&headers);
    let view = track_page(&registry, page, csrf.token.clone(), token, &appeal, done, None);
    private(csrf.attach(view.page.render(&view)))
}

/// The message of an API refusal, for showing on the page.
fn refusal(err: &ApiError) -> String {
    err.to_json()["error"]["message"].as_str().unwrap_or_default().to_owned()
}

/// Checks the form's token and runs a resident move; on success redirects back to the tracking page, else shows
/// it again with the refusal.
async fn resident_move(
    state: &AppState,
    page: PageContext,
    headers: &HeaderMap,
    token: String,
    body: &Bytes,
    run: impl AsyncFnOnce(&HashMap<String, String>) -> Result<(), ApiError>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let fields: HashMap<String, String> =
        form_urlencoded::parse(body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    let csrf = FormToken::issue(headers);
    if !csrf::verify(headers, fields.get("csrf").map_or("", String::as_str)) {
        let heading = page.t("portal-track-title");
        let message = page.t("portal-csrf");
        return private(csrf.attach(page.message(StatusCode::FORBIDDEN, heading, message)));
    }
    let outcome = run(&fields).await;
    match outcome {
        Ok(()) => Redirect::to(&format!("/track/{token}?lang={}&done=1", page.lang.code())).into_response(),
        Err(ApiError::NotFound { .. }) => not_found(page),
        Err(err) => {
            let status = err.status();
            if status.is_server_error() {
                return err.into_response();
            }
            let appeal = match crate::appeals::tracked(state, page.lang, &token).await {
                Ok((_, appeal)) => appeal,
                Err(err) => return err.into_response(),
            };
            let view = track_page(&registry, page, csrf.token.clone(), token, &appeal, None, Some(refusal(&err)));
            private(csrf.attach(view.page.render_with_status(status, &view)))
        }
    }
}

async fn rate(
    State(state): State<AppState>,
    page: PageContext,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let lang = page.lang;
    let (state_ref, token_ref) = (&state, token.clone());
    resident_move(&state, page, &headers, token, &body, async move |fields| {
        let rating = fields.get("rating").and_then(|r| r.trim().parse::<i64>().ok()).unwrap_or(0);
        let comment = fields.get("comment").cloned();
        crate::appeals::record_feedback(state_ref, lang, &token_ref, rating, comment).await.map(|_| ())
    })
    .await
}

async fn reopen(
    State(state): State<AppState>,
    page: PageContext,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let lang = page.lang;
    let (state_ref, token_ref) = (&state, token.clone());
    resident_move(&state, page, &headers, token, &body, async move |fields| {
        let reason = fields.get("reason").cloned().unwrap_or_default();
        crate::appeals::apply_resident_action(state_ref, lang, &token_ref, Action::Reopen { reason }).await.map(|_| ())
    })
    .await
}

async fn close(
    State(state): State<AppState>,
    page: PageContext,
    headers: HeaderMap,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let lang = page.lang;
    let (state_ref, token_ref) = (&state, token.clone());
    resident_move(&state, page, &headers, token, &body, async move |_| {
        crate::appeals::apply_resident_action(state_ref, lang, &token_ref, Action::Close).await.map(|_| ())
    })
    .await
}
