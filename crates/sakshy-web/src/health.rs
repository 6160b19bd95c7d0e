//! Liveness (`/healthz`), readiness (`/readyz`: database reachable, migrations current), metrics
//! (`/metrics`) and the OpenAPI description (`/api/v1/openapi.json`).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::AppState;

/// The OpenAPI 3.1 description of the JSON API, written by hand and checked against the router in tests.
pub const OPENAPI: &str = include_str!("../openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness))
        .route("/metrics", get(crate::render_metrics))
        .route("/api/v1/openapi.json", get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }))
}

async fn readiness(State(state): State<AppState>) -> impl IntoResponse {
    let database = state.store.ping().await.is_ok();
    let migrations = database && state.store.migrations_current().await.unwrap_or(false);
    let city = state.registry().map(|registry| registry.city.code.to_string());
    let ready = database && migrations;
    let status = if ready { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE };
    (
        status,
        Json(json!({
            "ready": ready,
            "database": if database { "ok" } else { "unreachable" },
            "migrations": if migrations { "current" } else { "pending" },
            "city": city,
        })),
    )
}
