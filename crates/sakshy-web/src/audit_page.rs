//! The audit log as a page of the staff console (`/staff/audit`, and `/staff/audit.csv` for the export), for
//! administrators: the same store query, CSV and self-auditing as the admin API (`admin.rs`), behind the session
//! instead of a bearer token. It decides nothing of its own about who may read the log.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{NaiveDate, TimeZone};
use sakshy_store::AuditFilter;

use crate::admin::{audit_the_reading, export_audit_as, parse_cursor, require_administrator};
use crate::auth::StaffSession;
use crate::console::error_page;
use crate::pages::{PageContext, page_context};
use crate::{ApiError, AppState};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff/audit", get(show_audit)).route("/staff/audit.csv", get(export_audit))
}

/// How many events a page shows.
const PAGE: u32 = 100;

/// One event as shown.
struct AuditRow {
    at_ms: i64,
    actor: String,
    action: String,
    object: String,
    from: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
struct AuditPage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    from: String,
    to: String,
    actor: String,
    action: String,
    error: Option<String>,
    rows: Vec<AuditRow>,
    csv_href: String,
    next_href: Option<String>,
}
page_context!(AuditPage);

/// The filters of the page's query: `from` and `to` are dates in the city's zone (`to` inclusive), `actor` and
/// `action` exact. An unreadable date is named in the page's language.
fn filter_of(query: &HashMap<String, String>, page: &PageContext) -> Result<AuditFilter, String> {
    let arg = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let midnight = |name: &'static str, days_after: u64| -> Result<Option<i64>, String> {
        arg(name)
            .map(|text| {
                let date = NaiveDate::parse_from_str(text, "%Y-%m-%d")
                    .map_err(|_| page.t1("audit-bad-date", "field", name))?
                    + chrono::Days::new(days_after);
                let local = date.and_hms_opt(0, 0, 0).expect("midnight exists");
                Ok(page.timezone.from_local_datetime(&local).earliest().map_or(0, |t| t.timestamp_millis()))
            })
            .transpose()
    };
    Ok(AuditFilter {
        from_ms: midnight("from", 0)?,
        to_ms: midnight("to", 1)?,
        actor: arg("actor").map(str::to_owned),
        action: arg("action").map(str::to_owned),
    })
}

/// The query string of the filters (without `after`), for the export link and the next page.
fn filter_query(query: &HashMap<String, String>, page: &PageContext) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for name in ["from", "to", "actor", "action"] {
        if let Some(value) = query.get(name).filter(|v| !v.trim().is_empty()) {
            out.append_pair(name, value.trim());
        }
    }
    out.append_pair("lang", page.lang.code());
    out.finish()
}

async fn show_audit(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    if let Err(err) = require_administrator(&session.principal, lang) {
        return error_page(page, &err);
    }
    let param = |name: &str| query.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (filter, error) = match filter_of(&query, &page) {
        Ok(filter) => (filter, None),
        Err(message) => (AuditFilter::default(), Some(message)),
    };
    let after = query.get("after").and_then(|a| parse_cursor(a));
    let read = async {
        audit_the_reading(&state, &session.principal.login, "view_audit", Some(peer.ip().to_string()), lang).await?;
        state.store.audit_log(registry.city_id, &filter, after, PAGE).await.map_err(|err| ApiError::internal(lang, err))
    };
    let events = match read.await {
        Ok(events) => events,
        Err(err) => return error_page(page, &err),
    };
    let filters = filter_query(&query, &page);
    let next_href = (events.len() == PAGE as usize)
        .then(|| events.last().map(|(_, c)| format!("/staff/audit?{filters}&after={}.{}", c.at_ms, c.id)))
        .flatten();
    let rows = events
        .into_iter()
        .map(|(event, _)| AuditRow {
            at_ms: event.at_ms,
            actor: event.actor,
            action: event.action,
            object: event.object,
            from: event.from_address.unwrap_or_default(),
        })
        .collect();
    let view = AuditPage {
        nav: crate::auth::StaffNav::of(&session),
        from: param("from"),
        to: param("to"),
        actor: param("actor"),
        action: param("action"),
        error,
        rows,
        csv_href: format!("/staff/audit.csv?{filters}"),
        next_href,
        page: page.clone(),
    };
    page.render(&view)
}

async fn export_audit(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    if let Err(err) = require_administrator(&session.principal, lang) {
        return error_page(page, &err);
    }
    let filter = match filter_of(&query, &page) {
        Ok(filter) => filter,
        Err(message) => {
            let heading = page.t("audit-title");
            return page.message(StatusCode::BAD_REQUEST, heading, message);
        }
    };
    let address = Some(peer.ip().to_string());
    export_audit_as(&state, &session.principal.login, address, registry.city_id, &filter, lang)
        .await
        .unwrap_or_else(|err| error_page(page, &err))
}
