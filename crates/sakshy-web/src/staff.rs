//! The staff API under `/api/v1/staff/`: the queue of appeals (filtered, scoped, paged), an appeal in full, and
//! actions on it. Callers authenticate with `Authorization: Bearer <API token>`; the core access policy decides
//! what each role and scope may see and do. Every view of a resident's contact details is audited.

use std::collections::HashMap;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::access::{AccessError, AppealAccess, Principal};
use sakshy_core::workflow::{Action, AppealState, WorkflowError, WorkflowRules, due_status};
use sakshy_core::{Code, Lang};
use sakshy_store::{AppealCursor, AppealFilter, AuditEvent, StorageError, StoredAppeal};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::dto::rfc3339;
use crate::i18n::{RequestLang, negotiate_lang, text};
use crate::{ApiError, AppState};

/// Working days after an answer during which the resident may disagree and reopen the appeal.
pub(crate) const REOPEN_WORKING_DAYS: u32 = 10;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/staff/appeals", get(list_staff_appeals))
        .route("/api/v1/staff/appeals.csv", get(export_staff_appeals))
        .route("/api/v1/staff/appeals/{receipt}", get(find_staff_appeal))
        .route("/api/v1/staff/appeals/{receipt}/actions", post(create_staff_action))
        .route("/api/v1/staff/appeals/{receipt}/photos/{number}", get(find_staff_photo))
}

/// The authenticated staff member of a request.
pub struct Staff(pub Principal);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = negotiate_lang(parts);
        let unauthorized = || ApiError::Unauthorized(text(lang, "staff-unauthorized", &[]));
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 128)
            .ok_or_else(unauthorized)?;
        let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
        let principal = state
            .store
            .principal_for_token(registry.city_id, token)
            .await
            .map_err(|err| ApiError::internal(lang, err))?;
        principal.map(Staff).ok_or_else(unauthorized)
    }
}

pub(crate) fn access_error(err: &AccessError, lang: Lang) -> ApiError {
    ApiError::Forbidden(match err {
        AccessError::Role { role, what } => text(
            lang,
            "staff-forbidden-role",
            &[("role", FluentValue::from(role.as_str())), ("what", FluentValue::from(*what))],
        ),
        AccessError::Scope { scope } => {
            text(lang, "staff-forbidden-scope", &[("scope", FluentValue::from(scope.clone()))])
        }
    })
}

pub(crate) fn workflow_error(err: &WorkflowError, lang: Lang) -> ApiError {
    let t = |key: &str, args: &[(&'static str, FluentValue<'static>)]| text(lang, key, args);
    let date = |d: &NaiveDate| FluentValue::from(d.to_string());
    match err {
        WorkflowError::Forbidden { actor, action } => ApiError::Forbidden(t(
            "workflow-forbidden",
            &[("actor", FluentValue::from(actor.clone())), ("action", FluentValue::from(*action))],
        )),
        WorkflowError::NoTask(agency) => ApiError::Unprocessable {
            field: Some("agency".into()),
            message: t("workflow-no-task", &[("agency", FluentValue::from(agency.clone()))]),
        },
        WorkflowError::InvalidTransition { action, state } => ApiError::Conflict(t(
            "workflow-invalid-transition",
            &[("action", FluentValue::from(*action)), ("state", FluentValue::from(*state))],
        )),
        WorkflowError::MissingText(what) => ApiError::Unprocessable {
            field: Some(if *what == "answer" { "text".into() } else { "reason".into() }),
            message: t("workflow-missing-text", &[("what", FluentValue::from(*what))]),
        },
        WorkflowError::BadExtension { due, current, limit } => ApiError::Unprocessable {
            field: Some("due".into()),
            message: t(
                "workflow-bad-extension",
                &[("due", date(due)), ("current", date(current)), ("limit", date(limit))],
            ),
        },
        WorkflowError::BadRedirect(agency) => ApiError::Unprocessable {
            field: Some("to".into()),
            message: t("workflow-bad-redirect", &[("agency", FluentValue::from(agency.clone()))]),
        },
        WorkflowError::ReopenPeriodOver(until) => {
            ApiError::Conflict(t("workflow-reopen-over", &[("date", date(until))]))
        }
        WorkflowError::NotOverdue => ApiError::Conflict(t("workflow-not-overdue", &[])),
        WorkflowError::Calendar(err) => ApiError::internal(lang, err.clone()),
    }
}

/// Narrows a filter to the principal's scope: what is outside it is never listed.
fn scoped(mut filter: AppealFilter, principal: &Principal) -> AppealFilter {
    use sakshy_core::access::Scope;
    match &principal.scope {
        Scope::City => {}
        Scope::District(district) => filter.district = Some(district.clone()),
        Scope::Quadrants(quadrants) => filter.within_quadrants = quadrants.clone(),
        Scope::Agency(agency) => filter.agency = Some(agency.clone()),
    }
    filter
}

fn code_param(query: &HashMap<String, String>, name: &str, lang: Lang) -> Result<Option<Code>, ApiError> {
    query
        .get(name)
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(|v| {
            Code::parse(v).map_err(|err| ApiError::BadRequest {
                field: Some(name.to_owned()),
                message: text(lang, "error-bad-query", &[("detail", FluentValue::from(err.to_string()))]),
            })
        })
        .transpose()
}

/// The filters of the queue, from the query: `state`, `category`, `quadrant`, `district`, `agency`, `overdue`,
/// `q`; errors name the parameter.
fn queue_filter(query: &HashMap<String, String>, lang: Lang, today: NaiveDate) -> Result<AppealFilter, ApiError> {
    let bad = |field: &str, detail: &str| ApiError::BadRequest {
        field: Some(field.to_owned()),
        message: text(lang, "error-bad-query", &[("detail", FluentValue::from(detail.to_owned()))]),
    };
    let overdue = match query.get("overdue").map(String::as_str) {
        None | Some("" | "false") => None,
        Some("true") => Some(today),
        Some(_) => return Err(bad("overdue", "overdue is true or false")),
    };
    let state_filter = query.get("state").map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some(wanted) = &state_filter
        && !["registered", "in_progress", "extended", "answered", "reopened", "rejected", "closed"]
            .contains(&wanted.as_str())
    {
        return Err(bad(
            "state",
            "state is one of registered, in_progress, extended, answered, reopened, rejected, closed",
        ));
    }
    Ok(AppealFilter {
        state: state_filter,
        category: code_param(query, "category", lang)?,
        quadrant: code_param(query, "quadrant", lang)?,
        district: code_param(query, "district", lang)?,
        agency: code_param(query, "agency", lang)?,
        overdue_on: overdue,
        text: query.get("q").cloned(),
        ..AppealFilter::default()
    })
}

/// How an open appeal's due date stands today (`on_time`, `due_soon`, `overdue`); `None` once it is finished.
fn due_label(state: &AppState, row: &sakshy_store::AppealSummary, today: NaiveDate) -> Option<&'static str> {
    if matches!(row.state.as_str(), "answered" | "rejected" | "closed") {
        return None;
    }
    due_status(&state.calendar(), row.due_on, today).ok().map(|status| match status {
        sakshy_core::workflow::DueStatus::OnTime => "on_time",
        sakshy_core::workflow::DueStatus::DueSoon => "due_soon",
        sakshy_core::workflow::DueStatus::Overdue => "overdue",
    })
}

/// One page of the staff queue, as both the JSON API and the queue page show it.
pub(crate) struct QueuePage {
    /// The rows, newest first.
    pub rows: Vec<sakshy_store::AppealSummary>,
    /// Each row's due status (see [`due_label`]), in the order of `rows`.
    pub due: Vec<Option<&'static str>>,
    /// The cursor of the next page, if there may be one.
    pub next_page: Option<String>,
    /// The filter the rows matched, narrowed to the principal's scope (for counts).
    pub filter: AppealFilter,
    /// Today in the city's zone.
    pub today: NaiveDate,
}

/// The page of the queue a principal asked for: filters from the query, narrowed to the principal's scope, keyset
/// paging by `after`, `limit` rows (default 50, at most 200).
///
/// # Errors
///
/// [`ApiError::BadRequest`] naming a bad parameter; [`ApiError::Internal`] when the store fails.
pub(crate) async fn queue_page(
    state: &AppState,
    principal: &Principal,
    query: &HashMap<String, String>,
    lang: Lang,
) -> Result<QueuePage, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let filter = queue_filter(query, lang, today)?;
    let bad_cursor = || ApiError::BadRequest {
        field: Some("after".into()),
        message: text(
            lang,
            "error-bad-query",
            &[("detail", FluentValue::from("use the next_page value of the previous page"))],
        ),
    };
    let after = match query.get("after").filter(|a| !a.is_empty()) {
        None => None,
        Some(cursor) => {
            let (at, id) = cursor.split_once('.').ok_or_else(bad_cursor)?;
            Some(AppealCursor {
                created_at_ms: at.parse().map_err(|_| bad_cursor())?,
                appeal_id: id.parse().map_err(|_| bad_cursor())?,
            })
        }
    };
    let limit = query.get("limit").and_then(|l| l.parse::<u32>().ok()).unwrap_or(50).clamp(1, 200);
    let filter = scoped(filter, principal);
    let page = state
        .store
        .list_appeals(registry.city_id, &filter, after, limit)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    let next_page = (page.len() as u32 == limit)
        .then(|| page.last().map(|last| format!("{}.{}", last.created_at_ms, last.appeal_id)))
        .flatten();
    let due = page.iter().map(|row| due_label(state, row, today)).collect();
    Ok(QueuePage { rows: page, due, next_page, filter, today })
}

async fn list_staff_appeals(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let QueuePage { rows: page, due, next_page, .. } = queue_page(&state, &principal, &query, lang).await?;
    let appeals: Vec<Value> = page
        .iter()
        .zip(due)
        .map(|(row, due)| {
            json!({
                "receipt": row.receipt,
                "category": row.category,
                "state": row.state,
                "quadrant": row.quadrant,
                "district": row.district,
                "registered_on": row.registered_on.to_string(),
                "due_on": row.due_on.to_string(),
                "due_status": due,
                "synthetic": row.synthetic,
            })
        })
        .collect();
    Ok(Json(json!({"appeals": appeals, "meta": {"count": appeals.len(), "next_page": next_page}})))
}

/// The most rows one CSV export holds.
const MAX_EXPORT_ROWS: usize = 100_000;

/// The queue as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read Kazakh and Russian right):
/// the same filters and scope as the JSON list, all pages, no personal data.
async fn export_staff_appeals(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let filter = scoped(queue_filter(&query, lang, today)?, &principal);
    let mut writer = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header =
        ["receipt", "category", "state", "quadrant", "district", "registered_on", "due_on", "due_status", "synthetic"];
    writer.write_record(header).map_err(|err| ApiError::internal(lang, err))?;
    let mut after = None;
    let mut rows = 0;
    loop {
        let page = state
            .store
            .list_appeals(registry.city_id, &filter, after, 500)
            .await
            .map_err(|err| ApiError::internal(lang, err))?;
        for row in &page {
            writer
                .write_record([
                    row.receipt.as_str(),
                    row.category.as_str(),
                    row.state.as_str(),
                    row.quadrant.as_deref().unwrap_or(""),
                    row.district.as_deref().unwrap_or(""),
                    &row.registered_on.to_string(),
                    &row.due_on.to_string(),
                    due_label(&state, row, today).unwrap_or(""),
                    if row.synthetic { "true" } else { "false" },
                ])
                .map_err(|err| ApiError::internal(lang, err))?;
        }
        rows += page.len();
        match page.last() {
            Some(last) if page.len() == 500 && rows < MAX_EXPORT_ROWS => {
                after = Some(AppealCursor { created_at_ms: last.created_at_ms, appeal_id: last.appeal_id });
            }
            _ => break,
        }
    }
    let body = writer.into_inner().map_err(|err| ApiError::internal(lang, err.into_error()))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"appeals.csv\""),
        ],
        body,
    )
        .into_response())
}

async fn load_for(
    state: &AppState,
    lang: Lang,
    receipt: &str,
) -> Result<(std::sync::Arc<crate::Registry>, StoredAppeal), ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let not_found = || ApiError::NotFound {
        message: text(lang, "staff-appeal-not-found", &[("receipt", FluentValue::from(receipt.to_owned()))]),
        extra: json!({}),
    };
    let id = state
        .store
        .appeal_id_by_receipt(registry.city_id, receipt)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    let appeal = match id {
        Some(id) => state.store.appeal(registry.city_id, id).await.map_err(|err| ApiError::internal(lang, err))?,
        None => None,
    };
    Ok((registry, appeal.ok_or_else(not_found)?))
}

fn access_of(appeal: &StoredAppeal) -> (Vec<Code>, Option<Code>, Option<Code>) {
    let agencies = appeal.workflow.tasks.iter().map(|t| t.agency.clone()).collect();
    (agencies, appeal.workflow.quadrant.clone(), appeal.workflow.district.clone())
}

/// Masks a name or phone for those who may not see it: the first character and the last two stay.
fn mask(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= 3 {
        return "***".to_owned();
    }
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{}***{tail}", chars[0])
}

/// An appeal loaded for a principal who may see it.
///
/// # Errors
///
/// [`ApiError::NotFound`] for an unknown receipt, [`ApiError::Forbidden`] outside the principal's scope.
pub(crate) async fn viewable_appeal(
    state: &AppState,
    lang: Lang,
    principal: &Principal,
    receipt: &str,
) -> Result<(std::sync::Arc<crate::Registry>, StoredAppeal), ApiError> {
    let (registry, appeal) = load_for(state, lang, receipt).await?;
    let (agencies, quadrant, district) = access_of(&appeal);
    let access = AppealAccess { quadrant: quadrant.as_ref(), district: district.as_ref(), agencies: &agencies };
    principal.may_view(access).map_err(|err| access_error(&err, lang))?;
    Ok((registry, appeal))
}

/// A resident's contact details as a principal may see them.
pub(crate) enum ContactView {
    /// The resident left none.
    None,
    /// In full (the view was audited).
    Shown {
        /// Name.
        name: Option<String>,
        /// Phone.
        phone: Option<String>,
        /// E-mail.
        email: Option<String>,
    },
    /// Masked, for roles that do not handle the appeal.
    Masked {
        /// Name, masked.
        name: Option<String>,
        /// Phone, masked.
        phone: Option<String>,
        /// E-mail, masked.
        email: Option<String>,
    },
}

/// The contact details of an appeal for a principal: in full to those who handle it (each view audited with the
/// client's address), masked to others.
///
/// # Errors
///
/// [`ApiError::Internal`] when the store fails.
pub(crate) async fn contact_view(
    state: &AppState,
    lang: Lang,
    city: sakshy_store::CityId,
    appeal: &StoredAppeal,
    principal: &Principal,
    peer: SocketAddr,
) -> Result<ContactView, ApiError> {
    let (agencies, quadrant, district) = access_of(appeal);
    let access = AppealAccess { quadrant: quadrant.as_ref(), district: district.as_ref(), agencies: &agencies };
    let contact =
        state.store.appeal_contact(city, appeal.appeal_id).await.map_err(|err| ApiError::internal(lang, err))?;
    Ok(match (contact, principal.may_view_contact(access)) {
        (None, _) => ContactView::None,
        (Some(contact), Ok(())) => {
            let event = AuditEvent {
                at_ms: chrono::Utc::now().timestamp_millis(),
                actor: principal.login.clone(),
                action: "view_contact".into(),
                object: format!("appeal:{}", appeal.receipt),
                from_address: Some(peer.ip().to_string()),
            };
            state.store.record_audit(city, &event).await.map_err(|err| ApiError::internal(lang, err))?;
            ContactView::Shown {
                name: contact.name,
                phone: contact.phone.map(|p| p.as_str().to_owned()),
                email: contact.email,
            }
        }
        (Some(contact), Err(_)) => ContactView::Masked {
            name: contact.name.as_deref().map(mask),
            phone: contact.phone.as_ref().map(|p| mask(p.as_str())),
            email: contact.email.as_deref().map(mask),
        },
    })
}

async fn find_staff_appeal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(receipt): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (registry, appeal) = viewable_appeal(&state, lang, &principal, &receipt).await?;
    let (agencies, quadrant, district) = access_of(&appeal);
    let own = principal.own_tasks_only();
    let workflow = &appeal.workflow;
    let tasks: Vec<Value> = workflow
        .tasks
        .iter()
        .filter(|task| own.is_none_or(|agency| &task.agency == agency))
        .map(|task| {
            json!({"agency": task.agency.as_str(), "state": task.state.as_str(), "due_on": task.due.to_string(),
                   "redirected_from": task.redirected_from.as_ref().map(Code::as_str),
                   "assignee": task.assignee.as_ref().map(Code::as_str)})
        })
        .collect();
    let history: Vec<Value> = workflow
        .history
        .iter()
        .filter(|event| own.is_none_or(|agency| event.agency.as_ref().is_none_or(|a| a == agency)))
        .map(|event| {
            json!({"at": rfc3339(event.at_ms), "actor": event.actor, "action": event.action,
                   "agency": event.agency.as_ref().map(Code::as_str), "from": event.from.map(|s| s.as_str()),
                   "to": event.to.map(|s| s.as_str()), "comment": event.public_comment})
        })
        .collect();
    let contact = match contact_view(&state, lang, registry.city_id, &appeal, &principal, peer).await? {
        ContactView::None => json!(null),
        ContactView::Shown { name, phone, email } => {
            json!({"masked": false, "name": name, "phone": phone, "email": email})
        }
        ContactView::Masked { name, phone, email } => {
            json!({"masked": true, "name": name, "phone": phone, "email": email})
        }
    };
    let photo_count = state
        .store
        .photo_count(registry.city_id, appeal.appeal_id)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    // Photos, like the contact, are for those who handle the appeal: others learn how many there are, not where.
    let access = AppealAccess { quadrant: quadrant.as_ref(), district: district.as_ref(), agencies: &agencies };
    let photos = if principal.may_view_contact(access).is_ok() { photo_count } else { 0 };
    // Links an Open311 client sent (e.g. FixMyStreet's copies of photos): references only, never fetched.
    let media_urls = state
        .store
        .media_urls(registry.city_id, appeal.appeal_id)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    Ok(Json(json!({
        "receipt": appeal.receipt,
        "category": appeal.category.as_str(),
        "track": appeal.track.as_str(),
        "photos": (0..photos).map(|n| format!("/api/v1/staff/appeals/{}/photos/{n}", appeal.receipt)).collect::<Vec<_>>(),
        "photo_count": photo_count,
        "media_urls": media_urls,
        "description": appeal.description,
        "lang": appeal.lang.code(),
        "channel": appeal.channel,
        "location": {"lat": appeal.point.map(|p| p.1), "lon": appeal.point.map(|p| p.0), "address": appeal.address,
                     "police_point": appeal.police_point.as_ref().map(Code::as_str)},
        "quadrant": quadrant.as_ref().map(Code::as_str),
        "district": district.as_ref().map(Code::as_str),
        "quadrant_version_id": appeal.quadrant_version_id.map(|v| v.to_string()),
        "state": workflow.state().as_str(),
        "registered_on": workflow.clocks.registered_on.to_string(),
        "due_on": workflow.due().to_string(),
        "redirect_by": workflow.clocks.redirect_by.to_string(),
        "extension_limit": workflow.clocks.extension_limit.to_string(),
        "synthetic": appeal.synthetic,
        "tasks": tasks,
        "history": history,
        "contact": contact,
    })))
}

/// A photo of an appeal, for those who handle it — the same rule as the resident's contact, since photos may show
/// people, number plates or the inside of a home; analysts, read-only users and administrators get none. Each
/// view is audited.
async fn find_staff_photo(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path((receipt, number)): Path<(String, u32)>,
) -> Result<axum::response::Response, ApiError> {
    serve_photo(&state, lang, &principal, &receipt, number, peer).await
}

/// A resident's photo for someone who may see the appeal's personal data; each view is audited.
pub(crate) async fn serve_photo(
    state: &AppState,
    lang: Lang,
    principal: &Principal,
    receipt: &str,
    number: u32,
    peer: SocketAddr,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let (registry, appeal) = load_for(state, lang, receipt).await?;
    let (agencies, quadrant, district) = access_of(&appeal);
    let access = AppealAccess { quadrant: quadrant.as_ref(), district: district.as_ref(), agencies: &agencies };
    principal.may_view_contact(access).map_err(|err| access_error(&err, lang))?;
    let photo = state
        .store
        .appeal_photo(registry.city_id, appeal.appeal_id, number)
        .await
        .map_err(|err| ApiError::internal(lang, err))?
        .ok_or_else(|| ApiError::not_found(lang, format!("photo {number}")))?;
    let event = AuditEvent {
        at_ms: chrono::Utc::now().timestamp_millis(),
        actor: principal.login.clone(),
        action: "view_photo".into(),
        object: format!("appeal:{}:photo:{number}", appeal.receipt),
        from_address: Some(peer.ip().to_string()),
    };
    state.store.record_audit(registry.city_id, &event).await.map_err(|err| ApiError::internal(lang, err))?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, photo.content_type),
            // Personal data: never kept by a shared cache or the browser's disk cache.
            (axum::http::header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        photo.bytes,
    )
        .into_response())
}

/// The body of an action: which action, on which agency's task, and what it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ActionBody {
    pub action: String,
    pub agency: Option<String>,
    pub due: Option<String>,
    pub reason: Option<String>,
    pub text: Option<String>,
    pub to: Option<String>,
    pub duplicate_of: Option<String>,
    pub officer: Option<String>,
}

fn parse_action(body: ActionBody, default_agency: Option<&Code>, lang: Lang) -> Result<Action, ApiError> {
    let bad = |field: &str, detail: String| ApiError::BadRequest {
        field: Some(field.to_owned()),
        message: text(lang, "error-bad-query", &[("detail", FluentValue::from(detail))]),
    };
    let code = |field: &str, value: Option<String>| -> Result<Option<Code>, ApiError> {
        value.map(|v| Code::parse(&v).map_err(|err| bad(field, err.to_string()))).transpose()
    };
    let agency = code("agency", body.agency)?.or_else(|| default_agency.cloned());
    let need_agency = || agency.clone().ok_or_else(|| ApiError::missing(lang, "agency"));
    let reason = body.reason.unwrap_or_default();
    Ok(match body.action.as_str() {
        "accept" => Action::Accept { agency: need_agency()? },
        "start" => Action::Start { agency: need_agency()? },
        "extend" => {
            let due = body.due.ok_or_else(|| ApiError::missing(lang, "due"))?;
            let due = NaiveDate::parse_from_str(&due, "%Y-%m-%d")
                .map_err(|_| bad("due", format!("{due:?} is not a date (YYYY-MM-DD)")))?;
            Action::Extend { agency: need_agency()?, due, reason }
        }
        "answer" => Action::Answer { agency: need_agency()?, text: body.text.unwrap_or_default() },
        "redirect" => Action::Redirect {
            agency: need_agency()?,
            to: code("to", body.to)?.ok_or_else(|| ApiError::missing(lang, "to"))?,
            reason,
        },
        "reject" => Action::Reject { agency: need_agency()?, reason, duplicate_of: body.duplicate_of },
        "close" => Action::Close,
        "assign" => Action::Assign {
            agency: need_agency()?,
            officer: code("officer", body.officer)?.ok_or_else(|| ApiError::missing(lang, "officer"))?,
        },
        other => {
            return Err(bad(
                "action",
                format!("{other:?} is not one of accept, start, extend, answer, redirect, reject, close, assign"),
            ));
        }
    })
}

async fn create_staff_action(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Staff(principal): Staff,
    Path(receipt): Path<String>,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: ActionBody = serde_json::from_slice(&body).map_err(|err| ApiError::BadRequest {
        field: Some("body".into()),
        message: text(lang, "intake-bad-body", &[("detail", FluentValue::from(err.to_string()))]),
    })?;
    let updated = perform_action(&state, lang, &principal, &receipt, body).await?;
    let workflow = &updated.workflow;
    Ok(Json(json!({
        "receipt": updated.receipt,
        "state": workflow.state().as_str(),
        "due_on": workflow.due().to_string(),
        "answered": workflow.state() == AppealState::Answered,
        "tasks": workflow.tasks.iter().map(|t| json!({"agency": t.agency.as_str(), "state": t.state.as_str(), "due_on": t.due.to_string()})).collect::<Vec<_>>(),
    })))
}

/// Applies an action of a principal to an appeal, through the workflow, in one transaction; returns the appeal
/// as it is afterwards. The staff API and the staff pages both act through here.
///
/// # Errors
///
/// [`ApiError`] for an unknown appeal, a role or scope that may not act, a bad action body, or a move the
/// workflow refuses.
pub(crate) async fn perform_action(
    state: &AppState,
    lang: Lang,
    principal: &Principal,
    receipt: &str,
    body: ActionBody,
) -> Result<StoredAppeal, ApiError> {
    let (registry, appeal) = load_for(state, lang, receipt).await?;
    let (agencies, quadrant, district) = access_of(&appeal);
    let access = AppealAccess { quadrant: quadrant.as_ref(), district: district.as_ref(), agencies: &agencies };
    let actor = principal.actor(access).map_err(|err| access_error(&err, lang))?;
    // An agency officer or inspector acts on their own agency's task unless they name another.
    let default_agency = match &actor {
        sakshy_core::workflow::Actor::AgencyOfficer { agency, .. }
        | sakshy_core::workflow::Actor::DistrictInspector { agency, .. } => Some(agency.clone()),
        _ => None,
    };
    let action = parse_action(body, default_agency.as_ref(), lang)?;
    if let Action::Assign { officer, .. } = &action
        && !registry.officers.iter().any(|o| &o.badge == officer)
    {
        return Err(ApiError::Unprocessable {
            field: Some("officer".into()),
            message: text(lang, "error-not-found", &[("what", FluentValue::from(format!("officer {officer}")))]),
        });
    }
    let now = chrono::Utc::now();
    let today = now.with_timezone(&registry.city.timezone).date_naive();
    let rules = WorkflowRules { reopen_working_days: REOPEN_WORKING_DAYS };
    let calendar = state.calendar();
    let updated = state
        .store
        .update_appeal(registry.city_id, appeal.appeal_id, now.timestamp_millis(), |stored| {
            stored
                .workflow
                .apply(&actor, &action, now.timestamp_millis(), today, &calendar, rules)
                .map_err(StepError::Workflow)
        })
        .await
        .map_err(|err| match err {
            StepError::Workflow(err) => workflow_error(&err, lang),
            StepError::Storage(err) => ApiError::internal(lang, err),
        })?;
    Ok(updated)
}

pub(crate) enum StepError {
    Workflow(WorkflowError),
    Storage(StorageError),
}

impl From<StorageError> for StepError {
    fn from(err: StorageError) -> Self {
        StepError::Storage(err)
    }
}
