//! The staff console's pages, behind login: the queue (`/staff`), an appeal (`/staff/appeals/{receipt}`), and the
//! actions on it as forms (`POST /staff/appeals/{receipt}/actions`).
//!
//! These pages decide nothing themselves: the queue and the appeal come from the same functions as the staff JSON
//! API (`staff.rs`), so the core access policy narrows, masks and audits them in one place, and actions go
//! through the same workflow call. Every form carries the session's CSRF token.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use sakshy_core::access::{AppealAccess, Principal};
use sakshy_core::workflow::{Action, WorkflowError, WorkflowRules};
use sakshy_core::{Code, Level};
use sakshy_store::StoredAppeal;

use crate::auth::StaffSession;
use crate::login::form_fields;
use crate::pages::{PageContext, page_context};
use crate::staff::{
    ActionBody, ContactView, REOPEN_WORKING_DAYS, contact_view, perform_action, queue_page, viewable_appeal,
};
use crate::{ApiError, AppState};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(show_queue))
        .route("/staff/appeals/{receipt}", get(show_appeal))
        .route("/staff/appeals/{receipt}/actions", post(create_action))
        .route("/staff/appeals/{receipt}/notes", post(create_note))
        .route("/staff/appeals/{receipt}/photos/{number}", get(show_photo))
}

/// The states an appeal can be in, in the order of the state filter.
const STATES: [&str; 7] = ["registered", "in_progress", "extended", "answered", "reopened", "rejected", "closed"];

/// A choice in a filter's list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// A row of the queue.
struct QueueRow {
    receipt: String,
    category: String,
    state: String,
    quadrant: String,
    registered_on: String,
    due_on: String,
    /// `overdue`, `due_soon`, `on_time`, or empty once finished.
    due: &'static str,
}

/// The queue page.
#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    states: Vec<Choice>,
    categories: Vec<Choice>,
    quadrants: Vec<Choice>,
    overdue: bool,
    text: String,
    rows: Vec<QueueRow>,
    /// Appeals per state over the filters other than the state (scoped), with a link to each state's list.
    counts: Vec<StateCount>,
    /// Overdue appeals over the same filters.
    n_overdue: i64,
    /// The link to the overdue list.
    overdue_href: String,
    next_href: Option<String>,
}

/// How many appeals are in one state.
struct StateCount {
    label: String,
    count: i64,
    href: String,
}
page_context!(QueuePage);

/// A task of an appeal, as shown.
struct TaskRow {
    agency: String,
    state: String,
    due_on: String,
    assignee: String,
}

/// A history line, as shown.
struct HistoryRow {
    at_ms: i64,
    actor: String,
    action: String,
    agency: String,
    change: String,
    comment: String,
}

/// An internal note, as shown.
struct NoteRow {
    at_ms: i64,
    author: String,
    body: String,
}

/// The longest note, in characters.
const MAX_NOTE_CHARS: usize = 4_000;

/// An action form the principal may submit now.
struct ActionForm {
    action: &'static str,
    agency: String,
    label: String,
}

/// The appeal page.
#[derive(Template)]
#[template(path = "staff/appeal.html")]
struct AppealPage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    csrf: String,
    receipt: String,
    category: String,
    state: String,
    quadrant: String,
    registered_on: String,
    due_on: String,
    extension_limit: String,
    description: String,
    address: String,
    /// `none`, `shown` or `masked`.
    contact_kind: &'static str,
    contact_name: String,
    contact_phone: String,
    contact_email: String,
    tasks: Vec<TaskRow>,
    public_history: Vec<HistoryRow>,
    internal_log: Vec<HistoryRow>,
    /// Whether the principal may read and write internal notes (the section is left out otherwise).
    notes_allowed: bool,
    notes: Vec<NoteRow>,
    actions: Vec<ActionForm>,
    agencies: Vec<Choice>,
    officers: Vec<Choice>,
    done: bool,
    /// The map of the appeal's place in its quadrant, SVG drawn by the server; empty without a place.
    map_svg: String,
    /// Links to the resident's photos, for those who may see personal data (each view audited).
    photos: Vec<String>,
}
page_context!(AppealPage);

/// A task's state in the page's language.
fn task_state_label(page: &PageContext, state: &str) -> String {
    match state {
        "accepted" | "redirected" => page.t(&format!("console-task-{state}")),
        _ => page.t(&format!("portal-state-{state}")),
    }
}

/// A history event's action in the page's language.
fn event_label(page: &PageContext, action: &str) -> String {
    match action {
        "register" | "reopen" | "escalate" => page.t(&format!("console-event-{action}")),
        _ => page.t(&format!("console-action-{action}")),
    }
}

/// An [`ApiError`] as a page: its status and its message, already in the page's language.
/// An error as a page: a server error logged and shown without detail, anything else with its message (a 403
/// under the heading that says access is refused).
pub(crate) fn error_page(page: PageContext, err: &ApiError) -> Response {
    let status = err.status();
    if status.is_server_error() {
        return crate::pages::internal_error(err);
    }
    let message = err.to_json()["error"]["message"].as_str().unwrap_or_default().to_owned();
    let heading = if status == StatusCode::FORBIDDEN { page.t("auth-forbidden") } else { status.to_string() };
    page.message(status, heading, message)
}

async fn show_queue(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    let queue = match queue_page(&state, &session.principal, &query, lang).await {
        Ok(queue) => queue,
        Err(err) => return error_page(page, &err),
    };
    let param = |name: &str| query.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let choice = |value: String, label: String, current: &str| Choice { selected: value == current, value, label };
    let state_filter = param("state");
    let category_filter = param("category");
    let quadrant_filter = param("quadrant");
    let category_name = |code: &str| {
        registry
            .routing
            .as_ref()
            .and_then(|routing| {
                Code::parse(code).ok().and_then(|code| routing.category(&code).map(|c| c.name.get(lang).to_owned()))
            })
            .unwrap_or_else(|| code.to_owned())
    };
    let rows: Vec<QueueRow> = queue
        .rows
        .iter()
        .zip(&queue.due)
        .map(|(row, due)| QueueRow {
            receipt: row.receipt.clone(),
            category: category_name(&row.category),
            state: page.t(&format!("portal-state-{}", row.state)),
            quadrant: row.quadrant.clone().unwrap_or_default(),
            registered_on: row.registered_on.to_string(),
            due_on: row.due_on.to_string(),
            due: due.unwrap_or(""),
        })
        .collect();
    // Counts over the scoped filters except the state (so that every state's share shows), and the overdue ones.
    let mut counted = queue.filter.clone();
    counted.state = None;
    let by_state = state.store.count_appeals_by_state(registry.city_id, &counted).await;
    counted.overdue_on = Some(queue.today);
    let overdue = state.store.count_appeals_by_state(registry.city_id, &counted).await;
    let (by_state, overdue) = match (by_state, overdue) {
        (Ok(by_state), Ok(overdue)) => (by_state, overdue),
        (Err(err), _) | (_, Err(err)) => return crate::pages::internal_error(&err),
    };
    let href_with = |name: &str, value: &str| {
        let mut href = form_urlencoded::Serializer::new(String::new());
        for (key, current) in &query {
            if key != "after" && key != name {
                href.append_pair(key, current);
            }
        }
        href.append_pair(name, value);
        format!("/staff?{}", href.finish())
    };
    let counts = STATES
        .iter()
        .filter_map(|wanted| {
            by_state.iter().find(|(state, _)| state == wanted).map(|(_, count)| StateCount {
                label: page.t(&format!("portal-state-{wanted}")),
                count: *count,
                href: href_with("state", wanted),
            })
        })
        .collect();
    let n_overdue = overdue.iter().map(|(_, count)| count).sum();
    let overdue_href = href_with("overdue", "true");
    let next_href = queue.next_page.map(|cursor| {
        let mut href = form_urlencoded::Serializer::new(String::new());
        for (key, value) in &query {
            if key != "after" {
                href.append_pair(key, value);
            }
        }
        href.append_pair("after", &cursor);
        format!("/staff?{}", href.finish())
    });
    let queue_page = QueuePage {
        nav: crate::auth::StaffNav::of(&session),
        states: STATES
            .iter()
            .map(|s| choice((*s).to_owned(), page.t(&format!("portal-state-{s}")), &state_filter))
            .collect(),
        categories: registry
            .routing
            .as_ref()
            .map(|routing| {
                routing
                    .categories()
                    .iter()
                    .map(|c| choice(c.code.to_string(), c.name.get(lang).to_owned(), &category_filter))
                    .collect()
            })
            .unwrap_or_default(),
        quadrants: registry
            .level(Level::Quadrant)
            .map(|v| {
                let code = v.territory.code().to_string();
                let label = format!("{code} — {}", v.territory.name().get(lang));
                choice(code, label, &quadrant_filter)
            })
            .collect(),
        overdue: param("overdue") == "true",
        text: param("q"),
        rows,
        counts,
        n_overdue,
        overdue_href,
        next_href,
        page,
    };
    queue_page.page.render(&queue_page)
}

/// The principal's workflow actor on an appeal and the action forms that the workflow would accept now (probed
/// with stand-in texts and dates, so that only the state and the role decide).
fn allowed_actions(
    state: &AppState,
    principal: &Principal,
    appeal: &StoredAppeal,
    page: &PageContext,
    today: NaiveDate,
) -> Vec<ActionForm> {
    let workflow = &appeal.workflow;
    let agencies: Vec<Code> = workflow.tasks.iter().map(|t| t.agency.clone()).collect();
    let access = AppealAccess {
        quadrant: workflow.quadrant.as_ref(),
        district: workflow.district.as_ref(),
        agencies: &agencies,
    };
    let Ok(actor) = principal.actor(access) else { return Vec::new() };
    let registry = state.registry();
    let other_agency =
        registry.as_ref().and_then(|r| r.agencies.iter().map(|a| a.code.clone()).find(|code| !agencies.contains(code)));
    let officer = registry.as_ref().and_then(|r| r.officers.first().map(|o| o.badge.clone()));
    let rules = WorkflowRules { reopen_working_days: REOPEN_WORKING_DAYS };
    let now_ms = chrono::Utc::now().timestamp_millis();
    let mut forms = Vec::new();
    let own = principal.own_tasks_only();
    let mut task_agencies: Vec<Code> =
        workflow.tasks.iter().filter(|t| own.is_none_or(|a| &t.agency == a)).map(|t| t.agency.clone()).collect();
    task_agencies.dedup();
    for agency in task_agencies {
        let probes: Vec<(&'static str, Action)> = vec![
            ("accept", Action::Accept { agency: agency.clone() }),
            ("start", Action::Start { agency: agency.clone() }),
            ("answer", Action::Answer { agency: agency.clone(), text: "-".into() }),
            (
                "extend",
                Action::Extend { agency: agency.clone(), due: workflow.clocks.extension_limit, reason: "-".into() },
            ),
            (
                "redirect",
                Action::Redirect {
                    agency: agency.clone(),
                    to: other_agency.clone().unwrap_or_else(|| agency.clone()),
                    reason: "-".into(),
                },
            ),
            ("reject", Action::Reject { agency: agency.clone(), reason: "-".into(), duplicate_of: None }),
        ];
        let mut probes = probes;
        if let Some(officer) = &officer {
            probes.push(("assign", Action::Assign { agency: agency.clone(), officer: officer.clone() }));
        }
        for (name, action) in probes {
            let outcome = workflow.apply(&actor, &action, now_ms, today, &state.calendar(), rules);
            let allowed = match outcome {
                Ok(_) => true,
                // Only the stand-in input is wrong: the action itself is open to this person now.
                Err(WorkflowError::MissingText(_) | WorkflowError::BadRedirect(_)) => true,
                Err(_) => false,
            };
            if allowed {
                forms.push(ActionForm {
                    action: name,
                    agency: agency.to_string(),
                    label: page.t(&format!("console-action-{name}")),
                });
            }
        }
    }
    forms
}

/// The appeal's place on a map of its quadrant: the quadrant selected, the police points, the appeal as a dot.
fn appeal_map(registry: &crate::Registry, page: &PageContext, appeal: &StoredAppeal) -> String {
    let Some((lon, lat)) = appeal.point else { return String::new() };
    let quadrant = appeal
        .workflow
        .quadrant
        .as_ref()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == code));
    let dot = geo_types::Point::new(lon, lat);
    let bounds = match quadrant {
        Some(version) => crate::pages::map::covering(version.territory.bbox(), std::iter::once(dot)),
        None => geo_types::Rect::new(dot.0, dot.0),
    };
    crate::pages::map::render(
        registry,
        page,
        &crate::pages::map::MapSpec {
            title: page.t1("console-map-title", "receipt", &appeal.receipt),
            bounds: Some(crate::pages::map::padded(bounds, 0.2)),
            link_quadrants: false,
            selected: quadrant.map(|v| v.territory.code()),
            points: registry.points.iter().collect(),
            appeals: vec![(lon, lat)],
            picker: false,
        },
    )
}

/// `GET /staff/appeals/{receipt}/photos/{number}`: a resident's photo, for those who handle the appeal.
async fn show_photo(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((receipt, number)): Path<(String, u32)>,
) -> Response {
    match crate::staff::serve_photo(&state, page.lang, &session.principal, &receipt, number, peer).await {
        Ok(response) => response,
        Err(err) => error_page(page, &err),
    }
}

async fn show_appeal(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(receipt): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let lang = page.lang;
    let principal = &session.principal;
    let (registry, appeal) = match viewable_appeal(&state, lang, principal, &receipt).await {
        Ok(found) => found,
        Err(err) => return error_page(page, &err),
    };
    let contact = match contact_view(&state, lang, registry.city_id, &appeal, principal, peer).await {
        Ok(contact) => contact,
        Err(err) => return error_page(page, &err),
    };
    let (contact_kind, name, phone, email) = match contact {
        ContactView::None => ("none", None, None, None),
        ContactView::Shown { name, phone, email } => ("shown", name, phone, email),
        ContactView::Masked { name, phone, email } => ("masked", name, phone, email),
    };
    let workflow = &appeal.workflow;
    let own = principal.own_tasks_only();
    let task_agencies: Vec<Code> = workflow.tasks.iter().map(|t| t.agency.clone()).collect();
    let access = AppealAccess {
        quadrant: workflow.quadrant.as_ref(),
        district: workflow.district.as_ref(),
        agencies: &task_agencies,
    };
    let notes_allowed = principal.may_use_notes(access).is_ok();
    let notes = if notes_allowed {
        match state.store.appeal_notes(registry.city_id, appeal.appeal_id, own).await {
            Ok(notes) => notes,
            Err(err) => return crate::pages::internal_error(&err),
        }
    } else {
        Vec::new()
    };
    let notes = notes.into_iter().map(|n| NoteRow { at_ms: n.at_ms, author: n.author, body: n.body }).collect();
    let agency_name = |code: &Code| {
        registry
            .agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.get(lang).to_owned())
    };
    let tasks = workflow
        .tasks
        .iter()
        .filter(|task| own.is_none_or(|agency| &task.agency == agency))
        .map(|task| TaskRow {
            agency: agency_name(&task.agency),
            state: task_state_label(&page, task.state.as_str()),
            due_on: task.due.to_string(),
            assignee: task.assignee.as_ref().map(Code::to_string).unwrap_or_default(),
        })
        .collect();
    let history: Vec<HistoryRow> = workflow
        .history
        .iter()
        .filter(|event| own.is_none_or(|agency| event.agency.as_ref().is_none_or(|a| a == agency)))
        .map(|event| HistoryRow {
            at_ms: event.at_ms,
            actor: event.actor.clone(),
            action: event_label(&page, event.action),
            agency: event.agency.as_ref().map(&agency_name).unwrap_or_default(),
            change: match (event.from, event.to) {
                (Some(from), Some(to)) => format!("{} → {}", from.as_str(), to.as_str()),
                _ => String::new(),
            },
            comment: event.public_comment.clone().unwrap_or_default(),
        })
        .collect();
    let public_history = history
        .iter()
        .filter(|row| !row.comment.is_empty() || row.action == page.t("console-event-register"))
        .map(|row| HistoryRow {
            at_ms: row.at_ms,
            actor: String::new(),
            action: row.action.clone(),
            agency: row.agency.clone(),
            change: String::new(),
            comment: row.comment.clone(),
        })
        .collect();
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let actions = allowed_actions(&state, principal, &appeal, &page, today);
    let photos = if contact_kind == "shown" {
        match state.store.photo_count(registry.city_id, appeal.appeal_id).await {
            Ok(count) => {
                let receipt: String = form_urlencoded::byte_serialize(appeal.receipt.as_bytes()).collect();
                (0..count).map(|n| format!("/staff/appeals/{receipt}/photos/{n}")).collect()
            }
            Err(err) => return crate::pages::internal_error(&err),
        }
    } else {
        Vec::new()
    };
    let map_svg = appeal_map(&registry, &page, &appeal);
    let category = registry
        .routing
        .as_ref()
        .and_then(|routing| routing.category(&appeal.category).map(|c| c.name.get(lang).to_owned()))
        .unwrap_or_else(|| appeal.category.to_string());
    let appeal_page = AppealPage {
        nav: crate::auth::StaffNav::of(&session),
        csrf: session.csrf.clone(),
        receipt: appeal.receipt.clone(),
        category,
        state: page.t(&format!("portal-state-{}", workflow.state().as_str())),
        quadrant: workflow.quadrant.as_ref().map(Code::to_string).unwrap_or_default(),
        registered_on: workflow.clocks.registered_on.to_string(),
        due_on: workflow.due().to_string(),
        extension_limit: workflow.clocks.extension_limit.to_string(),
        description: appeal.description.clone(),
        address: appeal.address.clone().unwrap_or_default(),
        contact_kind,
        contact_name: name.unwrap_or_default(),
        contact_phone: phone.unwrap_or_default(),
        contact_email: email.unwrap_or_default(),
        tasks,
        public_history,
        internal_log: history,
        notes_allowed,
        notes,
        actions,
        agencies: registry
            .agencies
            .iter()
            .map(|a| Choice { value: a.code.to_string(), label: a.name.get(lang).to_owned(), selected: false })
            .collect(),
        officers: registry
            .officers
            .iter()
            .map(|o| Choice { value: o.badge.to_string(), label: format!("{} ({})", o.name, o.badge), selected: false })
            .collect(),
        done: query.contains_key("done"),
        map_svg,
        photos,
        page,
    };
    appeal_page.page.render(&appeal_page)
}

async fn create_action(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(receipt): Path<String>,
    body: Bytes,
) -> Response {
    let mut fields = form_fields(&body);
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return crate::auth::csrf_refused(&page);
    }
    let mut take = |name: &str| fields.remove(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let body = ActionBody {
        action: take("action").unwrap_or_default(),
        agency: take("agency"),
        due: take("due"),
        reason: take("reason"),
        text: take("text"),
        to: take("to"),
        duplicate_of: take("duplicate_of"),
        officer: take("officer"),
    };
    match perform_action(&state, page.lang, &session.principal, &receipt, body).await {
        Ok(updated) => {
            let receipt: String = form_urlencoded::byte_serialize(updated.receipt.as_bytes()).collect();
            Redirect::to(&format!("/staff/appeals/{receipt}?done=1&lang={}", page.lang_code())).into_response()
        }
        Err(err) => error_page(page, &err),
    }
}

async fn create_note(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(receipt): Path<String>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return crate::auth::csrf_refused(&page);
    }
    let principal = &session.principal;
    let (registry, appeal) = match viewable_appeal(&state, page.lang, principal, &receipt).await {
        Ok(found) => found,
        Err(err) => return error_page(page, &err),
    };
    let agencies: Vec<Code> = appeal.workflow.tasks.iter().map(|t| t.agency.clone()).collect();
    let access = AppealAccess {
        quadrant: appeal.workflow.quadrant.as_ref(),
        district: appeal.workflow.district.as_ref(),
        agencies: &agencies,
    };
    if let Err(err) = principal.may_use_notes(access) {
        return error_page(page.clone(), &crate::staff::access_error(&err, page.lang));
    }
    let text = fields.get("text").map(|t| t.trim()).unwrap_or_default();
    if text.is_empty() || text.chars().count() > MAX_NOTE_CHARS {
        return error_page(page.clone(), &ApiError::missing(page.lang, "text"));
    }
    let now_ms = state.clock.now_ms();
    let note = sakshy_store::AppealNote {
        at_ms: now_ms,
        author: principal.login.clone(),
        author_agency: principal.own_tasks_only().cloned(),
        body: text.to_owned(),
    };
    if let Err(err) = state.store.add_appeal_note(registry.city_id, appeal.appeal_id, &note).await {
        return crate::pages::internal_error(&err);
    }
    let event = sakshy_store::AuditEvent {
        at_ms: now_ms,
        actor: principal.login.clone(),
        action: "add_note".into(),
        object: format!("appeal:{}", appeal.receipt),
        from_address: Some(peer.ip().to_string()),
    };
    if let Err(err) = state.store.record_audit(registry.city_id, &event).await {
        return crate::pages::internal_error(&err);
    }
    let receipt: String = form_urlencoded::byte_serialize(appeal.receipt.as_bytes()).collect();
    Redirect::to(&format!("/staff/appeals/{receipt}?done=1&lang={}#h-notes", page.lang_code())).into_response()
}
