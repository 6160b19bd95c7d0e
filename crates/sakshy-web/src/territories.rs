//! Districts and quadrants: `/api/v1/districts`, `/api/v1/quadrants` (GeoJSON), `/api/v1/quadrants/{code}`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use sakshy_core::export::territory_properties;
use sakshy_core::geometry::polygonal_to_geojson;
use sakshy_core::{Level, TerritoryVersion};
use serde_json::{Value, json};

use crate::dto::{DistrictDto, MetaDto, OfficerDto, PointDto, rfc3339};
use crate::i18n::RequestLang;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/districts", get(list_districts))
        .route("/api/v1/quadrants", get(list_quadrants))
        .route("/api/v1/quadrants/{code}", get(find_quadrant))
}

async fn list_districts(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for quadrant in registry.level(Level::Quadrant) {
        if let Some(parent) = quadrant.territory.parent() {
            *counts.entry(parent.as_str()).or_default() += 1;
        }
    }
    let districts: Vec<DistrictDto> = registry
        .level(Level::District)
        .map(|version| DistrictDto::new(version, counts.get(version.territory.code().as_str()).copied().unwrap_or(0)))
        .collect();
    let meta = MetaDto { total: districts.len() };
    Ok(Json(json!({"districts": districts, "meta": meta})))
}

/// A GeoJSON feature of a territory version: the import-format properties plus the version's id and start.
fn feature(version: &TerritoryVersion) -> Value {
    let mut props = territory_properties(&version.territory, None);
    props.insert("version_id".into(), json!(version.version_id.to_string()));
    props.insert("valid_from".into(), json!(rfc3339(version.valid_from_ms)));
    json!({"type": "Feature", "id": version.territory.code().as_str(), "properties": props,
           "geometry": polygonal_to_geojson(version.territory.geometry())})
}

async fn list_quadrants(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let district = query.get("district").map(|d| d.trim()).filter(|d| !d.is_empty());
    if let Some(district) = district
        && !registry.level(Level::District).any(|v| v.territory.code().as_str() == district)
    {
        return Err(ApiError::not_found(lang, format!("district {district}")));
    }
    let features: Vec<Value> = registry
        .level(Level::Quadrant)
        .filter(|v| district.is_none_or(|d| v.territory.parent().is_some_and(|p| p.as_str() == d)))
        .map(feature)
        .collect();
    Ok(Json(json!({"type": "FeatureCollection", "features": features})))
}

async fn find_quadrant(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(code): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let version = registry
        .level(Level::Quadrant)
        .find(|v| v.territory.code().as_str() == code)
        .ok_or_else(|| ApiError::not_found(lang, format!("quadrant {code}")))?;
    let now = chrono::Utc::now().with_timezone(&registry.city.timezone);
    let mut feature = feature(version);
    let code = version.territory.code();
    feature["properties"]["officers"] =
        json!(registry.locator.officers_of(code).into_iter().map(OfficerDto::from).collect::<Vec<_>>());
    feature["properties"]["points"] =
        json!(registry.locator.points_serving(code).into_iter().map(|p| PointDto::new(p, now)).collect::<Vec<_>>());
    Ok(Json(feature))
}
