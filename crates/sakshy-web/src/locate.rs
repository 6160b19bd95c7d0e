//! `GET /api/v1/locate?lat=…&lon=…`: the quadrant, district, officers and nearest police points of a place.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::{Lang, LocateOutcome};
use serde::Serialize;
use serde_json::{Value, json};

use crate::dto::{OfficerDto, PointDto, QuadrantDto};
use crate::i18n::{RequestLang, text};
use crate::{ApiError, AppState, Registry};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/locate", get(find_location))
}

/// The answer for a point inside a quadrant.
#[derive(Debug, Serialize)]
struct LocateResponse {
    location: crate::dto::LocationDto,
    quadrant: QuadrantDto,
    officers: Vec<OfficerDto>,
    points: Vec<PointDto>,
}

/// A coordinate from the query: required, a number, and within its range. Errors name the field.
pub(crate) fn coordinate(
    query: &HashMap<String, String>,
    field: &'static str,
    limit: f64,
    lang: Lang,
) -> Result<f64, ApiError> {
    let raw =
        query.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()).ok_or_else(|| ApiError::missing(lang, field))?;
    let value: f64 = raw.parse().ok().filter(|v: &f64| v.is_finite()).ok_or_else(|| ApiError::BadRequest {
        field: Some(field.to_owned()),
        message: text(
            lang,
            "error-not-a-number",
            &[("field", FluentValue::from(field)), ("value", FluentValue::from(raw.to_owned()))],
        ),
    })?;
    if value.abs() > limit {
        return Err(ApiError::BadRequest {
            field: Some(field.to_owned()),
            message: text(
                lang,
                "error-out-of-range",
                &[
                    ("field", FluentValue::from(field)),
                    ("min", FluentValue::from(format!("-{limit}"))),
                    ("max", FluentValue::from(format!("{limit}"))),
                    ("value", FluentValue::from(raw.to_owned())),
                ],
            ),
        });
    }
    Ok(value)
}

async fn find_location(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let lat = coordinate(&query, "lat", 90.0, lang)?;
    let lon = coordinate(&query, "lon", 180.0, lang)?;
    let limit = query.get("limit").and_then(|v| v.parse::<usize>().ok()).unwrap_or(3).clamp(1, 20);
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    locate_answer(&registry, lat, lon, limit, lang).map(Json)
}

/// The body of a locate answer: the JSON of a 200, or the error of a 404 naming the nearest quadrant.
/// Shared by the API and `sakshy locate --json`, so both say the same.
///
/// # Errors
///
/// [`ApiError::NotFound`] when the point is outside every quadrant.
pub fn locate_answer(registry: &Registry, lat: f64, lon: f64, limit: usize, lang: Lang) -> Result<Value, ApiError> {
    let now = chrono::Utc::now().with_timezone(&registry.city.timezone);
    match registry.locator.locate(lon, lat) {
        LocateOutcome::Inside { quadrant, district } => Ok(json!(LocateResponse {
            location: crate::dto::LocationDto { lat, lon },
            quadrant: QuadrantDto::new(quadrant, district),
            officers: registry.locator.officers_of(quadrant.code()).into_iter().map(OfficerDto::from).collect(),
            points: registry.locator.nearest_points(lon, lat, limit).iter().map(|n| PointDto::nearby(n, now)).collect(),
        })),
        LocateOutcome::Outside { nearest: Some((quadrant, distance_m)) } => {
            let distance_m = distance_m.round();
            Err(ApiError::NotFound {
                message: text(
                    lang,
                    "error-outside-quadrants",
                    &[
                        ("quadrant", FluentValue::from(format!("{} ({})", quadrant.name().get(lang), quadrant.code()))),
                        ("distance", FluentValue::from(format!("{distance_m:.0}"))),
                    ],
                ),
                extra: json!({
                    "nearest_quadrant": {"code": quadrant.code().as_str(), "name": crate::dto::NameDto::from(quadrant.name())},
                    "distance_m": distance_m,
                }),
            })
        }
        LocateOutcome::Outside { nearest: None } => {
            Err(ApiError::NotFound { message: text(lang, "error-no-quadrants", &[]), extra: json!({}) })
        }
    }
}
