//! `GET /login` (the form), `POST /login` (checking a password, throttled per client address and per account,
//! with a lockout after five wrong passwords) and `POST /logout`. Every login, failure, lockout and logout is
//! written to the audit log with the client's address.
//!
//! The pages never say whether a login exists: a wrong login and a wrong password get the same message, take
//! the same time (a decoy hash is checked), and lock the same way. Passwords are never logged.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_store::{AuditEvent, CityId, LockRule, StorageError};

use crate::AppState;
use crate::auth::{
    ABSOLUTE_TIMEOUT_MS, ACCOUNT_LOCK, ADDRESS_LOCK, LOGIN_CSRF_COOKIE, SESSION_COOKIE, StaffSession, cookie,
    csrf_refused, decoy_hash, random_hex, same_secret, set_cookie, verify_password,
};
use crate::pages::{PageContext, internal_error, page_context};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/login", get(show_login).post(create_login)).route("/logout", post(delete_login))
}

/// The login form.
#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    page: PageContext,
    /// The form's CSRF token (the same value as the login CSRF cookie).
    csrf: String,
    /// The login typed before, shown again after a failure.
    login: String,
    /// Where to go after login (a local path).
    next: String,
    /// Why the last attempt failed, in the page's language.
    error: Option<String>,
}
page_context!(LoginPage);

/// The fields of a form body (`application/x-www-form-urlencoded`).
pub(crate) fn form_fields(body: &[u8]) -> HashMap<String, String> {
    form_urlencoded::parse(body).map(|(key, value)| (key.into_owned(), value.into_owned())).collect()
}

/// A local path to return to after login; anything else (another site, `//host`) becomes the staff queue.
fn local_path(next: Option<&str>) -> String {
    match next {
        // Browsers drop tabs and newlines from URLs, so `/\t/host` would become `//host`: control characters are
        // refused along with `//` and backslashes.
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/staff".to_owned(),
    }
}

/// Renders the login form with a fresh or the current CSRF cookie.
fn login_form(
    page: PageContext,
    status: StatusCode,
    csrf: Option<&str>,
    login: String,
    next: String,
    error: Option<String>,
    secure: bool,
) -> Response {
    let csrf = csrf
        .filter(|c| c.len() == 64 && c.bytes().all(|b| b.is_ascii_hexdigit()))
        .map_or_else(random_hex, str::to_owned);
    let form = LoginPage { page, csrf, login, next, error };
    let mut response = form.page.render_with_status(status, &form);
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, &form.csrf, "/login", "Strict", 3_600, secure));
    response
}

async fn show_login(
    State(state): State<AppState>,
    page: PageContext,
    headers: axum::http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    let next = local_path(query.get("next").map(String::as_str));
    let csrf = cookie(&headers, LOGIN_CSRF_COOKIE).map(str::to_owned);
    login_form(page, StatusCode::OK, csrf.as_deref(), String::new(), next, None, state.config.secure_cookies)
}

async fn audit(
    state: &AppState,
    city: CityId,
    actor: &str,
    action: &str,
    address: &SocketAddr,
    now_ms: i64,
) -> Result<(), StorageError> {
    let actor: String = if actor.is_empty() { "-".to_owned() } else { actor.chars().take(64).collect() };
    let event = AuditEvent {
        at_ms: now_ms,
        object: format!("staff_user:{actor}"),
        actor,
        action: action.to_owned(),
        from_address: Some(address.ip().to_string()),
    };
    state.store.record_audit(city, &event).await
}

/// Why a login could not be answered with a page (a 500).
#[derive(Debug, thiserror::Error)]
enum LoginError {
    /// The store failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The password check's thread failed.
    #[error(transparent)]
    Join(#[from] tokio::task::JoinError),
}

async fn create_login(
    State(state): State<AppState>,
    page: PageContext,
    headers: axum::http::HeaderMap,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    match try_login(&state, page, &headers, peer, &body).await {
        Ok(response) => response,
        Err(err) => internal_error(&err),
    }
}

async fn try_login(
    state: &AppState,
    page: PageContext,
    headers: &axum::http::HeaderMap,
    peer: SocketAddr,
    body: &[u8],
) -> Result<Response, LoginError> {
    let secure = state.config.secure_cookies;
    let fields = form_fields(body);
    let cookie_csrf = cookie(headers, LOGIN_CSRF_COOKIE);
    let form_csrf = fields.get("csrf").map(String::as_str);
    if !matches!((cookie_csrf, form_csrf), (Some(a), Some(b)) if !a.is_empty() && same_secret(a, b)) {
        return Ok(csrf_refused(&page));
    }
    let Some(registry) = state.registry() else { return Ok(page.no_city()) };
    let city = registry.city_id;
    let login = fields.get("login").map(|l| l.trim().to_owned()).unwrap_or_default();
    let password = fields.get("password").cloned().unwrap_or_default();
    let next = local_path(fields.get("next").map(String::as_str));
    let now_ms = state.clock.now_ms();
    let account_subject = format!("login:{}", login.to_lowercase());
    let address_subject = format!("address:{}", peer.ip());
    let minutes = |rule: LockRule| FluentValue::from(rule.lock_ms / 60_000);
    let refuse = |page: PageContext, key: &str, rule: LockRule, login: String| {
        let message = page.tr(key, &[("min", minutes(rule))]);
        login_form(page, StatusCode::TOO_MANY_REQUESTS, cookie_csrf, login, next.clone(), Some(message), secure)
    };
    if state.store.login_locked_until(city, &address_subject, ADDRESS_LOCK, now_ms).await?.is_some() {
        audit(state, city, &login, "login_throttled", &peer, now_ms).await?;
        return Ok(refuse(page, "auth-throttled", ADDRESS_LOCK, login));
    }
    if state.store.login_locked_until(city, &account_subject, ACCOUNT_LOCK, now_ms).await?.is_some() {
        audit(state, city, &login, "login_locked", &peer, now_ms).await?;
        return Ok(refuse(page, "auth-locked", ACCOUNT_LOCK, login));
    }
    let credentials = state.store.staff_credentials(city, &login).await?;
    let usable = credentials.as_ref().filter(|c| !c.disabled).and_then(|c| c.password_hash.clone());
    let checked = usable.clone().unwrap_or_else(|| decoy_hash().to_owned());
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &checked)).await?;
    if matches && usable.is_some() {
        state.store.clear_login_failures(city, &account_subject).await?;
        let (token, _) = state.store.create_staff_session(city, &login, now_ms, ABSOLUTE_TIMEOUT_MS).await?;
        audit(state, city, &login, "login", &peer, now_ms).await?;
        let mut response = Redirect::to(&next).into_response();
        let headers = response.headers_mut();
        headers.append(
            header::SET_COOKIE,
            set_cookie(SESSION_COOKIE, &token, "/", "Lax", ABSOLUTE_TIMEOUT_MS / 1_000, secure),
        );
        headers.append(header::SET_COOKIE, set_cookie(LOGIN_CSRF_COOKIE, "", "/login", "Strict", 0, secure));
        return Ok(response);
    }
    for subject in [&account_subject, &address_subject] {
        state.store.record_login_failure(city, subject, now_ms).await?;
    }
    audit(state, city, &login, "login_failed", &peer, now_ms).await?;
    if state.store.login_locked_until(city, &account_subject, ACCOUNT_LOCK, now_ms).await?.is_some() {
        audit(state, city, &login, "login_lockout", &peer, now_ms).await?;
        return Ok(refuse(page, "auth-locked", ACCOUNT_LOCK, login));
    }
    let message = page.t("auth-wrong");
    Ok(login_form(page, StatusCode::UNAUTHORIZED, cookie_csrf, login, next, Some(message), secure))
}

async fn delete_login(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return csrf_refused(&page);
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let now_ms = state.clock.now_ms();
    if let Err(err) = state.store.delete_staff_session(registry.city_id, &session.token).await {
        return internal_error(&err);
    }
    if let Err(err) = audit(&state, registry.city_id, &session.principal.login, "logout", &peer, now_ms).await {
        return internal_error(&err);
    }
    let mut response = Redirect::to(&format!("/login?lang={}", page.lang_code())).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, set_cookie(SESSION_COOKIE, "", "/", "Lax", 0, state.config.secure_cookies));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_path(Some("/staff?state=registered")), "/staff?state=registered");
        for outside in ["//evil.example/", "https://evil.example/", "/\\evil.example", "/\t/evil.example", "staff"] {
            assert_eq!(local_path(Some(outside)), "/staff", "{outside:?}");
        }
        assert_eq!(local_path(None), "/staff");
    }
}
