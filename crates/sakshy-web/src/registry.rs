//! Police points, officers and agencies: `/api/v1/points`, `/api/v1/officers`, `/api/v1/agencies`.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::dto::{AgencyDto, MetaDto, OfficerDto, PointDto};
use crate::i18n::RequestLang;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/points", get(list_points))
        .route("/api/v1/officers", get(list_officers))
        .route("/api/v1/agencies", get(list_agencies))
}

/// The `quadrant` filter, checked against the known quadrants so that a typo is a 404, not an empty list.
fn quadrant_filter(
    registry: &crate::Registry,
    query: &HashMap<String, String>,
    lang: sakshy_core::Lang,
) -> Result<Option<String>, ApiError> {
    let Some(code) = query.get("quadrant").map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if registry.locator.quadrant_count() == 0
        || !registry.level(sakshy_core::Level::Quadrant).any(|v| v.territory.code().as_str() == code)
    {
        return Err(ApiError::not_found(lang, format!("quadrant {code}")));
    }
    Ok(Some(code))
}

async fn list_points(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let quadrant = quadrant_filter(&registry, &query, lang)?;
    let now = chrono::Utc::now().with_timezone(&registry.city.timezone);
    let points: Vec<PointDto> = registry
        .points
        .iter()
        .filter(|p| quadrant.as_ref().is_none_or(|q| p.quadrants.iter().any(|c| c.as_str() == q)))
        .map(|p| PointDto::new(p, now))
        .collect();
    let meta = MetaDto { total: points.len() };
    Ok(Json(json!({"points": points, "meta": meta})))
}

async fn list_officers(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let officers: Vec<OfficerDto> = match quadrant_filter(&registry, &query, lang)? {
        Some(code) => {
            let code =
                sakshy_core::Code::parse(&code).map_err(|_| ApiError::not_found(lang, format!("quadrant {code}")))?;
            registry.locator.officers_of(&code).into_iter().map(OfficerDto::from).collect()
        }
        None => registry.officers.iter().map(OfficerDto::from).collect(),
    };
    let meta = MetaDto { total: officers.len() };
    Ok(Json(json!({"officers": officers, "meta": meta})))
}

async fn list_agencies(State(state): State<AppState>, RequestLang(lang): RequestLang) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let agencies: Vec<AgencyDto> = registry.agencies.iter().map(AgencyDto::from).collect();
    let meta = MetaDto { total: agencies.len() };
    Ok(Json(json!({"agencies": agencies, "meta": meta})))
}
