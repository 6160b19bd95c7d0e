//! Administration over the API: replace categories and routing from their CSV files (the same checks and the
//! same change log as `sakshy import`), and read the change log. Administrators only.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::Lang;
use sakshy_core::access::Role;
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
}

fn require_admin(staff: &Staff, lang: Lang) -> Result<(), ApiError> {
    if staff.0.role == Role::Administrator {
        Ok(())
    } else {
        Err(ApiError::Forbidden(text(
            lang,
            "staff-forbidden-role",
            &[
                ("role", FluentValue::from(staff.0.role.as_str())),
                ("what", FluentValue::from("administer the registry")),
            ],
        )))
    }
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
