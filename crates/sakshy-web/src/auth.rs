//! Staff sign-in for the web pages: Argon2id password hashes, sessions stored in the database behind an
//! `HttpOnly`, `SameSite` cookie, CSRF tokens tied to the session, the [`StaffSession`] extractor, and the clock the
//! login rules read.
//!
//! Decisions about what a signed-in person may see or do are not made here: [`sakshy_core::access::Principal`]
//! makes them. Passwords, session tokens and CSRF secrets are never logged.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sakshy_core::access::Principal;
use sakshy_store::LockRule;

use crate::AppState;
use crate::pages::PageContext;

/// The cookie that carries the session token.
pub const SESSION_COOKIE: &str = "sakshy_session";

/// The cookie that carries the login form's CSRF token (before there is a session to tie it to).
pub const LOGIN_CSRF_COOKIE: &str = "sakshy_login_csrf";

/// A session ends after this long without a request, milliseconds (30 minutes).
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60_000;

/// A session ends this long after login whatever happens, milliseconds (12 hours, one shift).
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 3_600_000;

/// Five wrong passwords within 15 minutes lock an account for 15 minutes.
pub const ACCOUNT_LOCK: LockRule = LockRule { threshold: 5, window_ms: 15 * 60_000, lock_ms: 15 * 60_000 };

/// Twenty failed logins from one address within 15 minutes hold that address off for 15 minutes, whatever
/// logins it tries (password guessing across many accounts).
pub const ADDRESS_LOCK: LockRule = LockRule { threshold: 20, window_ms: 15 * 60_000, lock_ms: 15 * 60_000 };

/// The application's clock: real time, plus an offset that tests move forward instead of sleeping.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_ms: Arc<AtomicI64>,
}

impl Clock {
    /// Now, UTC epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        chrono::Utc::now().timestamp_millis() + self.offset_ms.load(Ordering::Relaxed)
    }

    /// Moves this clock forward (tests only: e.g. past a lockout).
    #[doc(hidden)]
    pub fn advance_ms(&self, ms: i64) {
        self.offset_ms.fetch_add(ms, Ordering::Relaxed);
    }
}

/// A password could not be hashed (the hasher refused its parameters; not expected with the defaults).
#[derive(Debug, thiserror::Error)]
#[error("the password could not be hashed")]
pub struct PasswordError;

/// Hashes a password with Argon2id (default parameters: 19 MiB, 2 passes, 1 lane) and a random salt, as a PHC
/// string. Slow on purpose: call it off the async threads ([`tokio::task::spawn_blocking`]).
///
/// # Errors
///
/// [`PasswordError`] when the hasher fails.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    Argon2::default().hash_password(password.as_bytes()).map(|hash| hash.to_string()).map_err(|_| PasswordError)
}

/// Passwords shorter than this are refused.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// The characters of generated passwords: no look-alikes (0/O, 1/l/I), so they can be read out and typed.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random password of 16 characters (about 93 bits), for a new account or a reset; shown once, never logged.
pub fn generate_password() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..16).map(|_| char::from(PASSWORD_ALPHABET[rng.random_range(0..PASSWORD_ALPHABET.len())])).collect()
}

/// Whether a password matches a PHC string (with the parameters the string names). A malformed string matches
/// nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

/// A hash of a password nobody has, checked when a login does not exist, so that a wrong login takes as long as
/// a wrong password and the timing does not tell which logins exist.
pub(crate) fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password(&random_hex()).unwrap_or_default())
}

/// 32 random bytes in lower-case hex.
pub(crate) fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of a cookie of the request, if it is there.
pub(crate) fn cookie<'a>(parts: &'a axum::http::HeaderMap, name: &str) -> Option<&'a str> {
    parts.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
        cookies.split(';').filter_map(|c| c.trim().split_once('=')).find(|(key, _)| *key == name).map(|(_, v)| v)
    })
}

/// A `Set-Cookie` value: `HttpOnly` and `SameSite` always, `Secure` when the app is configured behind TLS. A
/// `max_age_s` of 0 deletes the cookie.
pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    same_site: &str,
    max_age_s: i64,
    secure: bool,
) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path={path}; Max-Age={max_age_s}; HttpOnly; SameSite={same_site}{secure}");
    HeaderValue::from_str(&cookie).expect("cookie names and values are hex or ASCII constants")
}

/// A signed-in staff member of a page request: who they are, and the CSRF token their forms carry.
///
/// As an extractor it rejects a request without a live session with a redirect to `/login` (which comes back
/// to the page after login).
#[derive(Debug, Clone)]
pub struct StaffSession {
    /// Who is signed in.
    pub principal: Principal,
    /// The token every state-changing form of this session carries in its `csrf` field.
    pub csrf: String,
    /// The session's cookie token (to end it at logout).
    pub(crate) token: String,
}

impl StaffSession {
    /// Whether a form's CSRF token is this session's; when it is not, the form is refused with a 403 page.
    pub fn csrf_ok(&self, token: Option<&str>) -> bool {
        token.is_some_and(|token| same_secret(token, &self.csrf))
    }
}

/// The 403 page for a form without a valid CSRF token.
pub(crate) fn csrf_refused(page: &PageContext) -> Response {
    page.clone().message(StatusCode::FORBIDDEN, page.t("auth-forbidden"), page.t("auth-csrf-refused"))
}

/// The redirect to the login page, coming back to `path` afterwards.
fn to_login(parts: &Parts) -> Response {
    let back = parts.uri.path_and_query().map_or("/staff", |pq| pq.as_str());
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    Redirect::to(&format!("/login?next={next}")).into_response()
}

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE).filter(|t| !t.is_empty() && t.len() <= 128) else {
            return Err(to_login(parts));
        };
        let Some(registry) = state.registry() else {
            let page = PageContext::from_request_parts(parts, state).await.unwrap_or_else(|never| match never {});
            return Err(page.no_city());
        };
        match state.store.staff_session(registry.city_id, token, state.clock.now_ms(), IDLE_TIMEOUT_MS).await {
            Ok(Some(session)) => {
                Ok(StaffSession { principal: session.principal, csrf: session.csrf_secret, token: token.to_owned() })
            }
            Ok(None) => Err(to_login(parts)),
            Err(err) => Err(crate::pages::internal_error(&err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_http_only_and_same_site_and_secure_only_behind_tls() {
        let plain = set_cookie(SESSION_COOKIE, "abc", "/", "Lax", 60, false);
        assert_eq!(plain, "sakshy_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax");
        let secure = set_cookie(SESSION_COOKIE, "abc", "/", "Lax", 60, true);
        assert_eq!(secure, "sakshy_session=abc; Path=/; Max-Age=60; HttpOnly; SameSite=Lax; Secure");
    }

    #[test]
    fn passwords_hash_to_argon2id_and_verify_only_themselves() {
        let hash = hash_password("Құпиясөз-123").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_password("Құпиясөз-123", &hash));
        assert!(!verify_password("Құпиясөз-124", &hash));
        assert!(!verify_password("anything", "not a PHC string"));
        assert_ne!(hash, hash_password("Құпиясөз-123").unwrap(), "a fresh salt every time");
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("abcd", "abcd"));
        assert!(!same_secret("abcd", "abce"));
        assert!(!same_secret("abcd", "abc"));
    }

    #[test]
    fn the_clock_moves_forward_when_told() {
        let clock = Clock::default();
        let before = clock.now_ms();
        clock.advance_ms(3_600_000);
        assert!(clock.now_ms() - before >= 3_600_000);
    }
}

/// The staff pages' navigation: who is signed in, the session's CSRF token for the sign-out form, and the links
/// this principal may follow (a link that would only answer 403 is not shown).
#[derive(Debug, Clone)]
pub struct StaffNav {
    /// The signed-in login.
    pub login: String,
    /// The session's CSRF token.
    pub csrf: String,
    /// Whether the reception log is theirs (duty officers, inspectors, supervisors).
    pub reception: bool,
    /// Whether the audit log is theirs (administrators).
    pub audit: bool,
}

impl StaffNav {
    /// The navigation of a signed-in session.
    pub fn of(session: &StaffSession) -> StaffNav {
        StaffNav {
            login: session.principal.login.clone(),
            csrf: session.csrf.clone(),
            reception: session.principal.may_receive_visitors().is_ok(),
            audit: session.principal.role == sakshy_core::access::Role::Administrator,
        }
    }
}
