//! `GET /q/{code}`: a quadrant's page — its name and district, the pilot badge, the district inspectors (their
//! public, professional identity only: name, rank, the post's phone, reception hours), the police points with
//! their hours and whether they are open now, recent counts of resolved appeals, and a map. Everything comes
//! from the registry snapshot except the counts and the map's dots (two store queries, whatever the page holds).

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::{Datelike, Timelike, Weekday};
use sakshy_core::registry::OfficerRole;
use sakshy_core::{Code, Level, OpeningHours};

use crate::AppState;
use crate::pages::map::{self, MapSpec};
use crate::pages::{PageContext, page_context};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/q/{code}", get(show_quadrant))
}

/// A phone as shown and as a `tel:` link.
struct PhoneView {
    text: String,
    href: String,
}

fn phone_view(phone: Option<&sakshy_core::registry::Phone>) -> Option<PhoneView> {
    phone.map(|phone| PhoneView {
        text: phone.as_str().to_owned(),
        href: phone.as_str().chars().filter(|c| c.is_ascii_digit() || *c == '+').collect(),
    })
}

/// An inspector as the public sees them.
struct InspectorView {
    name: String,
    rank: String,
    phone: Option<PhoneView>,
    reception: String,
}

/// A police point as the public sees it.
struct PointView {
    name: String,
    address: String,
    phone: Option<PhoneView>,
    hours: String,
    open_now: bool,
    walk: Option<String>,
}

#[derive(Template)]
#[template(path = "portal/quadrant.html")]
struct QuadrantPage {
    page: PageContext,
    code: String,
    name: String,
    district: Option<String>,
    pilot: bool,
    inspectors: Vec<InspectorView>,
    points: Vec<PointView>,
    /// Whether the points listed serve the quadrant (else they are the nearest ones).
    points_serve: bool,
    resolved_30: i64,
    resolved_90: i64,
    map_svg: String,
}
page_context!(QuadrantPage);

/// Opening hours in the page's language, consecutive days with the same hours joined: `Дс–Жм 09:00–18:00`.
pub(crate) fn hours_text(page: &PageContext, hours: &OpeningHours) -> String {
    const DAYS: [(Weekday, &str); 7] = [
        (Weekday::Mon, "mo"),
        (Weekday::Tue, "tu"),
        (Weekday::Wed, "we"),
        (Weekday::Thu, "th"),
        (Weekday::Fri, "fr"),
        (Weekday::Sat, "sa"),
        (Weekday::Sun, "su"),
    ];
    if hours.is_closed_all_week() {
        return page.t("portal-hours-closed");
    }
    let ranges = |day: Weekday| {
        hours
            .ranges(day)
            .iter()
            .map(|(start, end)| format!("{:02}:{:02}–{:02}:{:02}", start / 60, start % 60, end / 60, end % 60))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Days with the same hours share one entry, in week order: runs of days as `Дс–Жм`, others listed.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, (day, _)) in DAYS.iter().enumerate() {
        let text = ranges(*day);
        if text.is_empty() {
            continue;
        }
        match groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, days)) => days.push(i),
            None => groups.push((text, vec![i])),
        }
    }
    let name = |i: usize| page.t(&format!("portal-day-{}", DAYS[i].1));
    let mut parts = Vec::new();
    for (text, days) in groups {
        let mut runs: Vec<String> = Vec::new();
        let mut start = 0;
        while start < days.len() {
            let mut end = start;
            while end + 1 < days.len() && days[end + 1] == days[end] + 1 {
                end += 1;
            }
            runs.push(if end > start + 1 {
                format!("{}–{}", name(days[start]), name(days[end]))
            } else if end == start + 1 {
                format!("{}, {}", name(days[start]), name(days[end]))
            } else {
                name(days[start])
            });
            start = end + 1;
        }
        parts.push(format!("{} {text}", runs.join(", ")));
    }
    parts.join("; ")
}

async fn show_quadrant(State(state): State<AppState>, page: PageContext, Path(code): Path<String>) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    let version = Code::parse(code.trim())
        .ok()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == &code));
    let Some(version) = version else {
        let heading = page.t("portal-not-found");
        let message = page.t1("portal-quadrant-not-found", "code", &code);
        return page.message(StatusCode::NOT_FOUND, heading, message);
    };
    let quadrant = &version.territory;
    let code = quadrant.code().clone();
    let district = quadrant.parent().and_then(|parent| {
        registry
            .level(Level::District)
            .find(|v| v.territory.code() == parent)
            .map(|v| v.territory.name().get(lang).to_owned())
    });
    let inspectors = registry
        .officers
        .iter()
        .filter(|o| o.role == OfficerRole::DistrictInspector && o.quadrants.contains(&code))
        .map(|o| InspectorView {
            name: o.name.clone(),
            rank: page.t(&format!("portal-rank-{}", o.rank.as_str())),
            phone: phone_view(o.phone.as_ref()),
            reception: o.reception_hours.as_ref().map_or_else(|| page.t("portal-hours-none"), |h| hours_text(&page, h)),
        })
        .collect();
    let now = chrono::Utc::now().with_timezone(&registry.city.timezone);
    let minute = u16::try_from(now.hour() * 60 + now.minute()).unwrap_or(0);
    let address = |point: &sakshy_core::PolicePoint| match lang {
        sakshy_core::Lang::Ru => point.address_ru.clone(),
        _ => point.address_kk.clone(),
    };
    let serving: Vec<&sakshy_core::PolicePoint> =
        registry.points.iter().filter(|p| p.quadrants.contains(&code)).collect();
    let centre = quadrant.bbox().center();
    let (points_serve, map_points, points): (bool, Vec<&sakshy_core::PolicePoint>, Vec<PointView>) =
        if serving.is_empty() {
            let nearest = registry.locator.nearest_points(centre.x, centre.y, 3);
            let views = nearest
                .iter()
                .map(|n| PointView {
                    name: n.point.name.get(lang).to_owned(),
                    address: address(n.point),
                    phone: phone_view(n.point.phone.as_ref()),
                    hours: hours_text(&page, &n.point.hours),
                    open_now: n.point.hours.is_open(now.weekday(), minute),
                    walk: Some(page.tr(
                        "portal-walk",
                        &[("distance", format!("{:.0}", n.distance_m).into()), ("count", i64::from(n.walk_min).into())],
                    )),
                })
                .collect();
            (false, nearest.iter().map(|n| n.point).collect(), views)
        } else {
            let views = serving
                .iter()
                .map(|p| PointView {
                    name: p.name.get(lang).to_owned(),
                    address: address(p),
                    phone: phone_view(p.phone.as_ref()),
                    hours: hours_text(&page, &p.hours),
                    open_now: p.hours.is_open(now.weekday(), minute),
                    walk: None,
                })
                .collect();
            (true, serving.clone(), views)
        };
    let today = now.date_naive();
    let since = |days: i64| (today - chrono::Duration::days(days)).format("%Y-%m-%d").to_string();
    let counts = match state.store.resolved_counts(registry.city_id, &code, &since(30), &since(90)).await {
        Ok(counts) => counts,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let since_ms = (chrono::Utc::now() - chrono::Duration::days(90)).timestamp_millis();
    let dots = match state.store.public_appeal_points(registry.city_id, &code, since_ms, 300).await {
        Ok(dots) => dots,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let name = quadrant.name().get(lang).to_owned();
    let map_svg = map::render(
        &registry,
        &page,
        &MapSpec {
            title: format!("{} — {name}", page.t("portal-quadrant-map")),
            bounds: Some(map::padded(map::covering(quadrant.bbox(), map_points.iter().map(|p| p.location)), 0.15)),
            link_quadrants: true,
            selected: Some(&code),
            points: map_points,
            appeals: dots,
            picker: false,
        },
    );
    let view = QuadrantPage {
        code: code.to_string(),
        name,
        district,
        pilot: quadrant.pilot(),
        inspectors,
        points,
        points_serve,
        resolved_30: counts.last_30_days,
        resolved_90: counts.last_90_days,
        map_svg,
        page,
    };
    view.page.render(&view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_naturally_with_days_grouped() {
        let page = |lang| PageContext::new(lang, "/", chrono_tz::Asia::Almaty, String::new());
        let hours = OpeningHours::parse("Tu,Th 18:00-20:00; Sa 10:00-13:00").unwrap();
        assert_eq!(hours_text(&page(sakshy_core::Lang::En), &hours), "Tue, Thu 18:00–20:00; Sat 10:00–13:00");
        let hours = OpeningHours::parse("Mo-Fr 09:00-13:00,14:00-18:00").unwrap();
        assert_eq!(hours_text(&page(sakshy_core::Lang::Kk), &hours), "Дс–Жм 09:00–13:00, 14:00–18:00");
        let hours = OpeningHours::parse("Mo-Su 00:00-24:00").unwrap();
        assert_eq!(hours_text(&page(sakshy_core::Lang::Ru), &hours), "Пн–Вс 00:00–24:00");
    }
}
