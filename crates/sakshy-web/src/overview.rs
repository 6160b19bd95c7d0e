//! The quadrant overview for staff (`/staff/quadrants/{code}`): how many of the quadrant's appeals are open,
//! overdue and answered, the last 30 days' appeals by category, and the quadrant's inspectors and police points.
//!
//! The counts come from the queue's own query ([`sakshy_store::Store::count_appeals_by_state`]) narrowed to the
//! quadrant; whether the principal may see the quadrant at all is asked of the core policy
//! ([`sakshy_core::access::Principal::may_view`]). Nothing here shows personal data.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use sakshy_core::Code;
use sakshy_core::Level;
use sakshy_core::access::AppealAccess;
use sakshy_store::AppealFilter;

use crate::AppState;
use crate::auth::StaffSession;
use crate::pages::{PageContext, page_context};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff/quadrants/{code}", get(show_overview))
}

/// The states in which an appeal is still open.
const OPEN_STATES: [&str; 4] = ["registered", "in_progress", "extended", "reopened"];

/// How far back the categories are counted, days.
const RECENT_DAYS: i64 = 30;

/// A category's count over the recent days.
struct CategoryCount {
    label: String,
    count: i64,
}

/// A person or place of the quadrant, as listed.
struct Entry {
    name: String,
    detail: String,
}

/// The overview page.
#[derive(Template)]
#[template(path = "staff/quadrant.html")]
struct OverviewPage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    code: String,
    name: String,
    n_open: i64,
    n_overdue: i64,
    n_answered: i64,
    categories: Vec<CategoryCount>,
    inspectors: Vec<Entry>,
    points: Vec<Entry>,
    queue_href: String,
}
page_context!(OverviewPage);

async fn show_overview(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Path(code): Path<String>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    let Some(version) =
        Code::parse(&code).ok().and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == &code))
    else {
        let heading = page.t("portal-not-found");
        let message = page.t("overview-not-found");
        return page.message(StatusCode::NOT_FOUND, heading, message);
    };
    let quadrant = version.territory.code().clone();
    let district = version.territory.parent().cloned();
    let access = AppealAccess { quadrant: Some(&quadrant), district: district.as_ref(), agencies: &[] };
    if let Err(err) = session.principal.may_view(access) {
        let message = crate::staff::access_error(&err, lang).to_json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        return page.clone().message(StatusCode::FORBIDDEN, page.t("auth-forbidden"), message);
    }
    let now = chrono::Utc::now();
    let today = now.with_timezone(&registry.city.timezone).date_naive();
    let in_quadrant = AppealFilter { quadrant: Some(quadrant.clone()), ..AppealFilter::default() };
    let by_state = state.store.count_appeals_by_state(registry.city_id, &in_quadrant).await;
    let overdue = AppealFilter { overdue_on: Some(today), ..in_quadrant.clone() };
    let overdue = state.store.count_appeals_by_state(registry.city_id, &overdue).await;
    let (by_state, overdue) = match (by_state, overdue) {
        (Ok(by_state), Ok(overdue)) => (by_state, overdue),
        (Err(err), _) | (_, Err(err)) => return crate::pages::internal_error(&err),
    };
    let count = |wanted: &[&str]| -> i64 {
        by_state.iter().filter(|(state, _)| wanted.contains(&state.as_str())).map(|(_, n)| n).sum()
    };
    let mut categories = Vec::new();
    if let Some(routing) = registry.routing.as_ref() {
        let from_ms = now.timestamp_millis() - RECENT_DAYS * 86_400_000;
        for category in routing.categories() {
            let filter = AppealFilter {
                category: Some(category.code.clone()),
                created_from_ms: Some(from_ms),
                ..in_quadrant.clone()
            };
            match state.store.count_appeals_by_state(registry.city_id, &filter).await {
                Ok(counts) => {
                    let n: i64 = counts.iter().map(|(_, n)| n).sum();
                    if n > 0 {
                        categories.push(CategoryCount { label: category.name.get(lang).to_owned(), count: n });
                    }
                }
                Err(err) => return crate::pages::internal_error(&err),
            }
        }
    }
    categories.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    let inspectors = registry
        .officers
        .iter()
        .filter(|o| o.quadrants.contains(&quadrant))
        .map(|o| Entry { name: o.name.clone(), detail: o.badge.to_string() })
        .collect();
    let points = registry
        .points
        .iter()
        .filter(|p| p.quadrants.contains(&quadrant))
        .map(|p| Entry {
            name: p.name.get(lang).to_owned(),
            detail: match lang {
                sakshy_core::Lang::Kk => p.address_kk.clone(),
                _ => p.address_ru.clone(),
            },
        })
        .collect();
    let view = OverviewPage {
        nav: crate::auth::StaffNav::of(&session),
        code: quadrant.to_string(),
        name: version.territory.name().get(lang).to_owned(),
        n_open: count(&OPEN_STATES),
        n_overdue: overdue.iter().map(|(_, n)| n).sum(),
        n_answered: count(&["answered"]),
        categories,
        inspectors,
        points,
        queue_href: format!("/staff?quadrant={quadrant}&lang={}", lang.code()),
        page,
    };
    view.page.render(&view)
}
