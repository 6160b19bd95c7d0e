//! `GET /`: find my district inspector — by address (the gazetteer), by a click on the map (each quadrant is a
//! link, so no script is needed), by typed coordinates, or by the browser's location (a small script, shown only
//! when the browser can). `GET /find?q=…` lists matching streets and microdistricts with their quadrants;
//! `GET /find?lat=…&lon=…` answers with a redirect to the quadrant's page.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::{GeometryStatus, Level, LocateOutcome};

use crate::AppState;
use crate::pages::map::{self, MapSpec};
use crate::pages::{PageContext, page_context};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/", get(show_find)).route("/find", get(find_quadrant))
}

/// One search result: a place and the quadrant its point lies in.
pub(crate) struct FoundPlace {
    /// The place's name in the page's language.
    name: String,
    /// `street` or `microdistrict`, in the page's language.
    kind: String,
    /// The quadrant's code, if the place is in one.
    quadrant_code: Option<String>,
    /// The quadrant's name.
    quadrant_name: String,
}

/// The start page of the resident portal, with the results of a search when there was one.
#[derive(Template)]
#[template(path = "portal/find.html")]
struct FindPage {
    page: PageContext,
    /// Whether the city's boundaries are illustrative (the demo).
    illustrative: bool,
    /// The address typed, if any.
    query: String,
    /// The places found for it.
    found: Vec<FoundPlace>,
    /// Whether a search was made (to say "nothing found").
    searched: bool,
    /// The coordinates typed, kept in the form.
    lat: String,
    /// The longitude typed.
    lon: String,
    /// A message for the coordinates form.
    coordinates_error: Option<String>,
    /// The city map, inline SVG.
    map_svg: String,
}
page_context!(FindPage);

async fn show_find(State(state): State<AppState>, page: PageContext) -> Response {
    render_find(&state, page, String::new(), Vec::new(), false, None, None).await
}

async fn render_find(
    state: &AppState,
    page: PageContext,
    query: String,
    found: Vec<FoundPlace>,
    searched: bool,
    coordinates: Option<(String, String)>,
    coordinates_error: Option<String>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let illustrative = registry.level(Level::Quadrant).any(|v| v.territory.status() == GeometryStatus::Illustrative);
    let map_svg = map::render(
        &registry,
        &page,
        &MapSpec {
            title: page.t1("portal-map-title", "city", &page.city_name),
            bounds: None,
            link_quadrants: true,
            selected: None,
            points: registry.points.iter().collect(),
            appeals: Vec::new(),
            picker: false,
        },
    );
    let (lat, lon) = coordinates.unwrap_or_else(|| ("42.29871".to_owned(), "69.61030".to_owned()));
    let status = if coordinates_error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let find = FindPage { page, illustrative, query, found, searched, lat, lon, coordinates_error, map_svg };
    find.page.render_with_status(status, &find)
}

async fn find_quadrant(
    State(state): State<AppState>,
    page: PageContext,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let lang = page.lang;
    if let (Some(lat), Some(lon)) = (query.get("lat"), query.get("lon")) {
        let parsed = (lat.trim().replace(',', ".").parse::<f64>(), lon.trim().replace(',', ".").parse::<f64>());
        let usable = match parsed {
            (Ok(lat_v), Ok(lon_v))
                if lat_v.is_finite() && lat_v.abs() <= 90.0 && lon_v.is_finite() && lon_v.abs() <= 180.0 =>
            {
                Some((lat_v, lon_v))
            }
            _ => None,
        };
        let message = match usable.map(|(lat_v, lon_v)| registry.locator.locate(lon_v, lat_v)) {
            Some(LocateOutcome::Inside { quadrant, .. }) => {
                return Redirect::to(&format!("/q/{}?lang={}", quadrant.code(), lang.code())).into_response();
            }
            Some(LocateOutcome::Outside { nearest: Some((quadrant, distance)) }) => page.tr(
                "error-outside-quadrants",
                &[
                    ("quadrant", FluentValue::from(format!("{} ({})", quadrant.name().get(lang), quadrant.code()))),
                    ("distance", FluentValue::from(format!("{distance:.0}"))),
                ],
            ),
            Some(LocateOutcome::Outside { nearest: None }) => page.t("error-no-quadrants"),
            None => page.t("portal-bad-coordinates"),
        };
        // Every refusal shows the form again with what was typed and why.
        let typed = Some((lat.clone(), lon.clone()));
        return render_find(&state, page, String::new(), Vec::new(), false, typed, Some(message)).await;
    }
    let text = query.get("q").map(|q| q.trim().to_owned()).unwrap_or_default();
    if text.is_empty() {
        return Redirect::to(&format!("/?lang={}", lang.code())).into_response();
    }
    let text: String = text.chars().take(200).collect();
    let places = match state.store.search_places(registry.city_id, &text).await {
        Ok(places) => places,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let found = places
        .iter()
        .map(|place| {
            let (quadrant_code, quadrant_name) = match registry.locator.locate(place.location.x(), place.location.y()) {
                LocateOutcome::Inside { quadrant, .. } => {
                    (Some(quadrant.code().to_string()), quadrant.name().get(lang).to_owned())
                }
                LocateOutcome::Outside { .. } => (None, String::new()),
            };
            FoundPlace {
                name: place.name.get(lang).to_owned(),
                kind: page.t(&format!("portal-kind-{}", place.kind.as_str())),
                quadrant_code,
                quadrant_name,
            }
        })
        .collect();
    render_find(&state, page, text, found, true, None, None).await
}
