//! The HTTP face of Sakshy: the JSON API under `/api/v1/`, health and readiness, Prometheus metrics, and a
//! small landing page.
//!
//! Handlers are thin: extract, parse into core types, ask the [`Registry`] snapshot or the store, convert
//! to a DTO. This crate writes no SQL and holds no domain rules; it is the only one that knows JSON and HTML.

mod admin;
mod admin_pages;
mod analytics;
mod analytics_pages;
mod apidocs;
mod appeals;
mod audit_page;
pub mod auth;
mod categories;
mod console;
pub mod demo_incidents;
pub mod demo_surveys;
mod dto;
mod error;
mod evaluation_pages;
mod evaluation_report;
mod health;
pub mod i18n;
mod locate;
mod login;
mod notify;
mod open311;
mod overview;
pub mod pages;
mod photos;
mod problems;
mod reception;
mod registry;
mod snapshot;
mod staff;
mod survey_analysis;
pub mod survey_form;
pub mod survey_import;
mod survey_pages;
mod survey_text;
mod territories;

use std::net::SocketAddr;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::{self, Next};
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sakshy_core::OpeningHours;
use sakshy_core::calendar::WorkingCalendar;
use sakshy_store::Store;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use locate::locate_answer;
pub use notify::{
    DeliveryConfig, RoundStats, SmtpConfig, WebhookClientError, deliver_due, escalate_overdue, run_worker, signature,
    webhook_client,
};
pub use snapshot::Registry;

/// Settings of the HTTP layer.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// How often the registry revision is checked, so that imports made by another process are picked up.
    pub refresh_every: Duration,
    /// Office hours of the receiving bodies, in the city's zone: an appeal received after them registers on the
    /// next working day (APPK art. 64).
    pub office_hours: OpeningHours,
    /// Whether the app is served behind TLS: session cookies then carry `Secure`.
    pub secure_cookies: bool,
}

impl HttpConfig {
    /// The settings a city gets unless it says otherwise: refresh every 5 s, offices open `Mo-Fr 09:00-18:00`, no
    /// TLS in front (cookies without `Secure`).
    pub fn standard() -> HttpConfig {
        HttpConfig {
            refresh_every: Duration::from_secs(5),
            office_hours: OpeningHours::parse("Mo-Fr 09:00-18:00").expect("the standard office hours parse"),
            secure_cookies: false,
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
    registry: Arc<RwLock<Option<Arc<Registry>>>>,
    metrics: PrometheusHandle,
    config: Arc<HttpConfig>,
    /// The shipped calendar, for when no city is stored yet.
    shipped_calendar: Arc<WorkingCalendar>,
    /// Analytics results by input.
    analytics: Arc<analytics::Cache>,
    /// The clock of sessions and login throttling (tests move it forward instead of sleeping).
    pub clock: auth::Clock,
    /// Submissions of open survey waves per client address.
    survey_limiter: Arc<survey_form::SubmissionLimiter>,
}

impl AppState {
    /// Builds the state and loads the registry snapshot (none if no city is stored yet).
    ///
    /// # Errors
    ///
    /// [`sakshy_store::StorageError`] when the registry cannot be read.
    pub async fn new(store: Store, config: HttpConfig) -> Result<AppState, sakshy_store::StorageError> {
        let registry = Registry::load(&store).await?.map(Arc::new);
        Ok(AppState {
            store,
            registry: Arc::new(RwLock::new(registry)),
            metrics: metrics_handle(),
            config: Arc::new(config),
            shipped_calendar: Arc::new(WorkingCalendar::kazakhstan()),
            analytics: Arc::new(analytics::Cache::default()),
            clock: auth::Clock::default(),
            survey_limiter: Arc::new(survey_form::SubmissionLimiter::default()),
        })
    }

    /// The current registry snapshot, if a city is loaded.
    pub fn registry(&self) -> Option<Arc<Registry>> {
        self.registry.read().expect("registry lock is never poisoned: writers only swap an Arc").clone()
    }

    /// The working calendar of the current snapshot (the shipped one before a city is stored).
    pub fn calendar(&self) -> Arc<WorkingCalendar> {
        self.registry().map_or_else(|| self.shipped_calendar.clone(), |registry| registry.calendar.clone())
    }

    /// Reloads the snapshot if the stored revision moved; returns whether it did.
    ///
    /// # Errors
    ///
    /// [`sakshy_store::StorageError`] when the registry cannot be read; the old snapshot stays in place.
    pub async fn refresh(&self) -> Result<bool, sakshy_store::StorageError> {
        let current = self.registry();
        let stored = self.store.city().await?;
        let moved = match (&current, &stored) {
            (Some(registry), Some((city_id, _, revision))) => {
                registry.city_id != *city_id || registry.revision != *revision
            }
            (None, None) => false,
            _ => true,
        };
        if moved {
            let fresh = Registry::load(&self.store).await?.map(Arc::new);
            *self.registry.write().expect("registry lock is never poisoned: writers only swap an Arc") = fresh;
        }
        Ok(moved)
    }
}

/// The process-wide Prometheus recorder. `metrics` has one global recorder, so every app in a process
/// (tests start several) shares it.
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    metrics_exporter_prometheus::Matcher::Full("http_request_duration_seconds".into()),
                    &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5],
                )
                .expect("bucket list is not empty")
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed by the embedding program; then ours only renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// The application: every route and layer.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(pages::router())
        .merge(apidocs::router())
        .merge(audit_page::router())
        .merge(admin_pages::router())
        .merge(analytics::router())
        .merge(analytics_pages::router())
        .merge(health::router())
        .merge(locate::router())
        .merge(territories::router())
        .merge(registry::router())
        .merge(categories::router())
        .merge(appeals::router())
        .merge(staff::router())
        .merge(login::router())
        .merge(console::router())
        .merge(reception::router())
        .merge(overview::router())
        .merge(admin::router())
        .merge(open311::router())
        .merge(survey_form::router())
        .merge(survey_pages::router())
        .merge(evaluation_pages::router())
        .layer(middleware::from_fn(track_requests))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let matched_path = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
            tracing::info_span!("http", method = %request.method(), uri = %request.uri().path(), matched_path)
        }))
        .with_state(state)
}

/// Counts and times every request by route and status, and logs each 5xx once with its cause.
async fn track_requests(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().to_string();
    let route = request.extensions().get::<MatchedPath>().map_or("unmatched", MatchedPath::as_str).to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    if let Some(report) = response.extensions().get::<error::InternalErrorReport>() {
        tracing::error!(http.route = %route, error = %report.0, "request failed");
    }
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(started.elapsed().as_secs_f64());
    response
}

/// Serves the app on a bound listener until ctrl-c, refreshing the registry snapshot in the background.
///
/// # Errors
///
/// The I/O error that stopped the server.
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let refresher = tokio::spawn(refresh_loop(state.clone()));
    let result = axum::serve(listener, app(state).into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await;
    refresher.abort();
    result
}

async fn refresh_loop(state: AppState) {
    let mut ticker = tokio::time::interval(state.config.refresh_every);
    ticker.tick().await;
    loop {
        ticker.tick().await;
        match state.refresh().await {
            Ok(true) => tracing::info!("registry changed; snapshot reloaded"),
            Ok(false) => {}
            Err(err) => tracing::warn!(error = %err, "registry refresh failed; keeping the old snapshot"),
        }
    }
}

/// The Prometheus text of every metric recorded so far.
async fn render_metrics(State(state): State<AppState>) -> String {
    state.metrics.render()
}
