//! The one error type of the HTTP layer and its JSON shape: `{"error": {"message", "field"?, …}}`.
//! Messages are in the request's language; 5xx bodies never carry internal detail.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::Lang;
use serde_json::{Value, json};

use crate::i18n::text;

/// Errors a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// A field of the request is missing or wrong (400). The message is already in the user's language.
    #[error("bad request: {message}")]
    BadRequest {
        /// The field at fault.
        field: Option<String>,
        /// What is wrong, in the user's language.
        message: String,
    },
    /// The thing asked for does not exist (404). `extra` members are added to the error object.
    #[error("not found: {message}")]
    NotFound {
        /// What was not found, in the user's language.
        message: String,
        /// Additional members of the error object (e.g. the nearest quadrant).
        extra: Value,
    },
    /// The request is well formed but cannot be accepted (422), e.g. an unknown category or a place outside the
    /// city. The message is already in the user's language.
    #[error("unprocessable: {message}")]
    Unprocessable {
        /// The field at fault.
        field: Option<String>,
        /// What is wrong, in the user's language.
        message: String,
    },
    /// Like [`ApiError::Unprocessable`], with more members in the error object (e.g. a file's problems).
    #[error("unprocessable: {message}")]
    UnprocessableWith {
        /// What is wrong, in the user's language.
        message: String,
        /// Additional members of the error object.
        extra: Value,
    },
    /// No valid credentials (401).
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// Credentials are valid but do not allow this (403).
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// The request conflicts with the object's state (409), e.g. an action not allowed in this state.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The service cannot answer yet (503), e.g. before a city is imported.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// Anything else (500): logged once, shown as a generic message.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>, Lang),
}

impl ApiError {
    /// A 400 for a missing field.
    pub fn missing(lang: Lang, field: &str) -> ApiError {
        ApiError::BadRequest {
            field: Some(field.to_owned()),
            message: text(lang, "error-missing-field", &[("field", FluentValue::from(field.to_owned()))]),
        }
    }

    /// A 404 for a missing resource named `what`.
    pub fn not_found(lang: Lang, what: String) -> ApiError {
        ApiError::NotFound {
            message: text(lang, "error-not-found", &[("what", FluentValue::from(what))]),
            extra: json!({}),
        }
    }

    /// A 503 before any city is loaded.
    pub fn no_city(lang: Lang) -> ApiError {
        ApiError::Unavailable(text(lang, "error-no-city", &[]))
    }

    /// A 500 wrapping the cause.
    pub fn internal(lang: Lang, err: impl std::error::Error + Send + Sync + 'static) -> ApiError {
        ApiError::Internal(Box::new(err), lang)
    }
}

/// The internal error behind a 500, kept in the response extensions so that the logging middleware
/// reports it once.
#[derive(Debug, Clone)]
pub struct InternalErrorReport(pub String);

impl ApiError {
    /// The JSON body this error is sent as: `{"error": {...}}` (5xx bodies carry no internal detail).
    pub fn to_json(&self) -> Value {
        match self {
            ApiError::Internal(_, lang) => json!({"error": {"message": text(*lang, "error-internal", &[])}}),
            ApiError::BadRequest { field, message } | ApiError::Unprocessable { field, message } => {
                let mut error = json!({"message": message});
                if let Some(field) = field {
                    error["field"] = json!(field);
                }
                json!({"error": error})
            }
            ApiError::NotFound { message, extra } | ApiError::UnprocessableWith { message, extra } => {
                let mut error = json!({"message": message});
                if let (Some(error), Value::Object(extra)) = (error.as_object_mut(), extra) {
                    error.extend(extra.clone());
                }
                json!({"error": error})
            }
            ApiError::Unavailable(message)
            | ApiError::Unauthorized(message)
            | ApiError::Forbidden(message)
            | ApiError::Conflict(message) => json!({"error": {"message": message}}),
        }
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable { .. } | ApiError::UnprocessableWith { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Internal(..) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let report = match &self {
            ApiError::Internal(source, _) => Some(error_chain(source.as_ref())),
            _ => None,
        };
        let unauthorized = matches!(self, ApiError::Unauthorized(_));
        let mut response = (self.status(), Json(self.to_json())).into_response();
        if unauthorized {
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"sakshy\""),
            );
        }
        if let Some(report) = report {
            response.extensions_mut().insert(InternalErrorReport(report));
        }
        response
    }
}

/// An error with its causes, joined by colons: for logs, and for the outbox's `last_error`, where "error sending
/// request" alone would not say why (a refused certificate, a refused connection).
pub(crate) fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
