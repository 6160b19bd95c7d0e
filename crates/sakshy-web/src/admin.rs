//! Administration over the API: replace categories and routing from their CSV files (the same checks and the
//! same change log as `sakshy import`), read the change log, and read or export the audit log (who saw and changed
//! what, when, from where). Administrators only; reading the audit log is itself audited.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::Lang;
use sakshy_store::{ImportError, UpsertSummary};
use serde_json::{Value, json};

use crate::dto::rfc3339;
use crate::i18n::{RequestLang, text};
use crate::problems::render_problem;
use crate::staff::Staff;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/admin/categories", put(replace_categories))
        .route("/api/v1/admin/routing", put(replace_routing))
        .route("/api/v1/admin/changes", get(list_changes))
        .route("/api/v1/admin/audit", get(list_audit))
        .route("/api/v1/admin/audit.csv", get(export_audit))
}

fn require_admin(staff: &Staff, lang: Lang) -> Result<(), ApiError> {
    require_administrator(&staff.0, lang)
}

/// Refuses anyone but an administrator, saying so in the caller's language.
pub(crate) fn require_administrator(principal: &sakshy_core::access::Principal, lang: Lang) -> Result<(), ApiError> {
    principal.may_administer().map_err(|err| crate::staff::access_error(&err, lang))
}

fn csv_body(body: &Bytes, lang: Lang) -> Result<String, ApiError> {
    String::from_utf8(body.to_vec()).map_err(|_| ApiError::BadRequest {
        field: Some("body".into()),
        message: text(lang, "intake-bad-body", &[("detail", FluentValue::from("the file is not UTF-8"))]),
    })
}

/// An import's outcome as an answer: the summary, or a 422 listing every problem with its place in the file, both
/// in the caller's language.
async fn answer(
    state: &AppState,
    lang: Lang,
    outcome: Result<UpsertSummary, ImportError>,
) -> Result<Json<Value>, ApiError> {
    match outcome {
        Ok(summary) => {
            state.refresh().await.map_err(|err| ApiError::internal(lang, err))?;
            Ok(Json(json!({"added": summary.added, "changed": summary.changed, "unchanged": summary.unchanged})))
        }
        Err(ImportError::Invalid(failure)) => {
            let problems: Vec<Value> = failure
                .errors
                .iter()
                .map(|problem| {
                    let shown = render_problem(lang, problem);
                    json!({"location": shown.location, "message": shown.message})
                })
                .collect();
            Err(ApiError::UnprocessableWith {
                message: text(lang, "admin-invalid-file", &[("chars", FluentValue::from(problems.len() as f64))]),
                extra: json!({"problems": problems}),
            })
        }
        Err(ImportError::Storage(err)) => Err(ApiError::internal(lang, err)),
    }
}

async fn replace_categories(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: Staff,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    require_admin(&staff, lang)?;
    let text = csv_body(&body, lang)?;
    let outcome = state
        .store
        .import_categories(&text, &format!("api:{}", staff.0.login), chrono::Utc::now().timestamp_millis())
        .await;
    answer(&state, lang, outcome).await
}

async fn replace_routing(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: Staff,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    require_admin(&staff, lang)?;
    let text = csv_body(&body, lang)?;
    let outcome = state
        .store
        .import_routing(&text, &format!("api:{}", staff.0.login), chrono::Utc::now().timestamp_millis())
        .await;
    answer(&state, lang, outcome).await
}

async fn list_changes(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: Staff,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    require_admin(&staff, lang)?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let limit = query.get("limit").and_then(|l| l.parse::<u32>().ok()).unwrap_or(100).clamp(1, 1_000);
    let changes =
        state.store.registry_changes(registry.city_id, limit).await.map_err(|err| ApiError::internal(lang, err))?;
    let parse = |text: &Option<String>| text.as_deref().and_then(|t| serde_json::from_str::<Value>(t).ok());
    let changes: Vec<Value> = changes
        .iter()
        .map(|change| {
            json!({
                "at": rfc3339(change.changed_at_ms),
                "actor": change.actor,
                "entity": change.entity,
                "code": change.entity_code,
                "change": change.change_kind,
                "before": parse(&change.before),
                "after": parse(&change.after),
            })
        })
        .collect();
    Ok(Json(json!({"changes": changes, "meta": {"count": changes.len()}})))
}

/// The audit log's filters from a query: `from` and `to` (RFC 3339), `actor`, `action`; an unparsable time is a
/// 400 naming its parameter.
fn audit_filter(query: &HashMap<String, String>, lang: Lang) -> Result<sakshy_store::AuditFilter, ApiError> {
    let arg = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let time = |name: &'static str| -> Result<Option<i64>, ApiError> {
        arg(name)
            .map(|text| {
                chrono::DateTime::parse_from_rfc3339(text)
                    .map(|t| t.timestamp_millis())
                    .map_err(|_| ApiError::BadRequest { field: Some(name.into()), message: text_of(lang, name) })
            })
            .transpose()
    };
    Ok(sakshy_store::AuditFilter {
        from_ms: time("from")?,
        to_ms: time("to")?,
        actor: arg("actor").map(str::to_owned),
        action: arg("action").map(str::to_owned),
    })
}

fn text_of(lang: Lang, field: &'static str) -> String {
    text(lang, "admin-bad-time", &[("field", FluentValue::from(field))])
}

/// Records that `login` read the audit log (`what`: `view_audit` or `export_audit`).
pub(crate) async fn audit_the_reading(
    state: &AppState,
    login: &str,
    what: &str,
    address: Option<String>,
    lang: Lang,
) -> Result<(), ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let event = sakshy_store::AuditEvent {
        at_ms: chrono::Utc::now().timestamp_millis(),
        actor: login.to_owned(),
        action: what.to_owned(),
        object: "audit_log".to_owned(),
        from_address: address,
    };
    state.store.record_audit(registry.city_id, &event).await.map_err(|err| ApiError::internal(lang, err))
}

/// `GET /api/v1/admin/audit`: the audit log, newest first, filtered, in keyset pages (`after` is the `next_page` of
/// the previous page).
async fn list_audit(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: Staff,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    require_admin(&staff, lang)?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let filter = audit_filter(&query, lang)?;
    let limit = query.get("limit").and_then(|l| l.parse::<u32>().ok()).unwrap_or(100).clamp(1, 1_000);
    let after = match query.get("after").filter(|a| !a.is_empty()) {
        Some(after) => Some(parse_cursor(after).ok_or_else(|| ApiError::BadRequest {
            field: Some("after".into()),
            message: text(lang, "admin-bad-cursor", &[]),
        })?),
        None => None,
    };
    audit_the_reading(&state, &staff.0.login, "view_audit", Some(peer.ip().to_string()), lang).await?;
    let page = state
        .store
        .audit_log(registry.city_id, &filter, after, limit)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    let next =
        (page.len() == limit as usize).then(|| page.last().map(|(_, c)| format!("{}.{}", c.at_ms, c.id))).flatten();
    let events: Vec<Value> = page
        .iter()
        .map(|(event, _)| {
            json!({
                "at": rfc3339(event.at_ms),
                "actor": event.actor,
                "action": event.action,
                "object": event.object,
                "from": event.from_address,
            })
        })
        .collect();
    Ok(Json(json!({"events": events, "meta": {"count": events.len(), "next_page": next}})))
}

/// Reads an audit-log cursor, `AT.ID` as `next_page` gives it.
pub(crate) fn parse_cursor(text: &str) -> Option<sakshy_store::AuditCursor> {
    let (at, id) = text.split_once('.')?;
    Some(sakshy_store::AuditCursor { at_ms: at.parse().ok()?, id: id.parse().ok()? })
}

/// `GET /api/v1/admin/audit.csv`: every event matching the filters as CSV (UTF-8 with a byte-order mark, which
/// spreadsheet programs need to read Cyrillic), newest first.
async fn export_audit(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    staff: Staff,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<axum::response::Response, ApiError> {
    require_admin(&staff, lang)?;
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let filter = audit_filter(&query, lang)?;
    export_audit_as(&state, &staff.0.login, Some(peer.ip().to_string()), registry.city_id, &filter, lang).await
}

/// Records that `login` exported the audit log, then answers every event matching `filter`, newest first, as a CSV
/// download: UTF-8 with a byte-order mark (which spreadsheet programs need to read Cyrillic), columns
/// `at, actor, action, object, from`.
pub(crate) async fn export_audit_as(
    state: &AppState,
    login: &str,
    address: Option<String>,
    city: sakshy_store::CityId,
    filter: &sakshy_store::AuditFilter,
    lang: Lang,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    audit_the_reading(state, login, "export_audit", address, lang).await?;
    let body = audit_csv(state, city, filter, lang).await?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"audit.csv\""),
        ],
        body,
    )
        .into_response())
}

async fn audit_csv(
    state: &AppState,
    city: sakshy_store::CityId,
    filter: &sakshy_store::AuditFilter,
    lang: Lang,
) -> Result<Vec<u8>, ApiError> {
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |err: csv::Error| ApiError::internal(lang, err);
    writer.write_record(["at", "actor", "action", "object", "from"]).map_err(internal)?;
    let mut cursor = None;
    loop {
        let page =
            state.store.audit_log(city, filter, cursor, 5_000).await.map_err(|err| ApiError::internal(lang, err))?;
        for (event, _) in &page {
            let at = rfc3339(event.at_ms);
            let from = event.from_address.as_deref().unwrap_or("");
            writer.write_record([at.as_str(), &event.actor, &event.action, &event.object, from]).map_err(internal)?;
        }
        match page.last() {
            Some((_, last)) if page.len() == 5_000 => cursor = Some(*last),
            _ => break,
        }
    }
    let body = writer.into_inner().map_err(|err| ApiError::internal(lang, err.into_error()))?;
    Ok(body)
}
