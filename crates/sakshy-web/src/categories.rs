//! `GET /api/v1/categories`: what a resident can report, grouped, with urgency and — for emergencies — the number
//! to call instead of filing.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use sakshy_core::category::Urgency;
use serde::Serialize;
use serde_json::{Value, json};

use crate::dto::{MetaDto, NameDto};
use crate::i18n::RequestLang;
use crate::{ApiError, AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/v1/categories", get(list_categories))
}

/// A category as residents and clients see it.
#[derive(Debug, Serialize)]
struct CategoryDto {
    code: String,
    group: String,
    name: NameDto,
    description: NameDto,
    urgency: &'static str,
    track: &'static str,
    anonymous_allowed: bool,
    /// For emergency categories: the number to call; no appeal is filed.
    #[serde(skip_serializing_if = "Option::is_none")]
    call: Option<String>,
    primary_agency: String,
}

async fn list_categories(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let categories: Vec<CategoryDto> = registry
        .routing
        .iter()
        .flat_map(|routing| routing.categories())
        .map(|category| CategoryDto {
            code: category.code.to_string(),
            group: category.group.to_string(),
            name: (&category.name).into(),
            description: (&category.description).into(),
            urgency: category.urgency.as_str(),
            track: category.track.as_str(),
            anonymous_allowed: category.anonymous_allowed,
            call: (category.urgency == Urgency::Emergency)
                .then(|| registry.agencies.iter().find(|a| a.code == category.primary))
                .flatten()
                .and_then(|agency| agency.phone.as_ref().map(|p| p.as_str().to_owned())),
            primary_agency: category.primary.to_string(),
        })
        .collect();
    let meta = MetaDto { total: categories.len() };
    Ok(Json(json!({"categories": categories, "meta": meta})))
}
