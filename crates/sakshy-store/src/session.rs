//! Passwords, login sessions and failed-login counting for staff accounts.
//!
//! Passwords arrive here already hashed (Argon2id PHC strings made by the web layer); this module never sees a
//! plain password. A session is known by the SHA-256 of its cookie token, so a copy of the database does not let
//! anyone sign in. Failed logins are rows, so that throttling and lockout hold across processes. This module
//! decides nothing about HTTP: cookies, CSRF checks and messages belong to the web layer.

use sakshy_core::access::{Principal, Role, Scope};
use sqlx::Row;

use crate::appeal::token_hash;
use crate::id::new_id;
use crate::{CityId, StorageError, Store};

/// A live login session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffSession {
    /// Who is signed in.
    pub principal: Principal,
    /// The secret every state-changing form of this session carries (lower-case hex, 256 bits).
    pub csrf_secret: String,
    /// When the session began, UTC epoch milliseconds.
    pub created_at_ms: i64,
    /// When it was last used, UTC epoch milliseconds.
    pub last_seen_at_ms: i64,
    /// When it ends whatever happens (the absolute timeout), UTC epoch milliseconds.
    pub expires_at_ms: i64,
}

/// What is needed to check a login: the account, its password hash, and whether it is disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffCredentials {
    /// The account as a principal.
    pub principal: Principal,
    /// The Argon2id PHC string, if a password was ever set.
    pub password_hash: Option<String>,
    /// Whether the account is disabled.
    pub disabled: bool,
}

/// When repeated failures lock a subject (an account or a client address) out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockRule {
    /// How many failures lock.
    pub threshold: u32,
    /// Within how long they must fall, milliseconds.
    pub window_ms: i64,
    /// How long the lock lasts after the last of them, milliseconds.
    pub lock_ms: i64,
}

/// Failures older than this are deleted when a new one is recorded: no rule looks back further.
const FAILURE_RETENTION_MS: i64 = 24 * 3_600_000;

/// A session's last-seen time is written at most this often, so that reading a page is not always a write.
const TOUCH_EVERY_MS: i64 = 30_000;

/// 32 random bytes in lower-case hex.
fn random_hex() -> String {
    let bytes: [u8; 32] = rand::random();
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn principal_of(row: &sqlx::any::AnyRow) -> Result<Principal, StorageError> {
    let login: String = row.try_get("login")?;
    let role: String = row.try_get("staff_role")?;
    let scope: String = row.try_get("scope")?;
    Ok(Principal {
        role: role.parse::<Role>().map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
        scope: Scope::parse(&scope).map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
        login,
    })
}

impl Store {
    /// Stores a new password hash (a PHC string) for an account.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such user.
    pub async fn set_staff_password(&self, city: CityId, login: &str, password_hash: &str) -> Result<(), StorageError> {
        let changed = sqlx::query("UPDATE staff_user SET password_hash = $3 WHERE city_id = $1 AND login = $2")
            .bind(city.0)
            .bind(login)
            .bind(password_hash)
            .execute(&self.pool)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StorageError::NotFound { what: format!("user {login}") });
        }
        Ok(())
    }

    /// Changes an account's role and scope. Its sessions end, so that the new rights apply at the next login.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such user.
    pub async fn set_staff_role(
        &self,
        city: CityId,
        login: &str,
        role: Role,
        scope: &Scope,
    ) -> Result<(), StorageError> {
        let changed =
            sqlx::query("UPDATE staff_user SET staff_role = $3, scope = $4 WHERE city_id = $1 AND login = $2")
                .bind(city.0)
                .bind(login)
                .bind(role.as_str())
                .bind(scope.to_wire())
                .execute(&self.pool)
                .await?
                .rows_affected();
        if changed == 0 {
            return Err(StorageError::NotFound { what: format!("user {login}") });
        }
        self.delete_staff_sessions(city, login).await?;
        Ok(())
    }

    /// The account behind a login, with its password hash, if it exists.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or the stored role or scope is corrupt.
    pub async fn staff_credentials(&self, city: CityId, login: &str) -> Result<Option<StaffCredentials>, StorageError> {
        let row = sqlx::query(
            "SELECT login, staff_role, scope, password_hash, disabled FROM staff_user WHERE city_id = $1 AND login = $2",
        )
        .bind(city.0)
        .bind(login)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            Ok(StaffCredentials {
                principal: principal_of(&row)?,
                password_hash: row.try_get("password_hash")?,
                disabled: row.try_get::<i64, _>("disabled")? != 0,
            })
        })
        .transpose()
    }

    /// Opens a session for an account and returns its cookie token (256 random bits in hex; only its hash is
    /// stored) with the session. It ends at `now_ms + absolute_ms` at the latest.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such user.
    pub async fn create_staff_session(
        &self,
        city: CityId,
        login: &str,
        now_ms: i64,
        absolute_ms: i64,
    ) -> Result<(String, StaffSession), StorageError> {
        let credentials = self
            .staff_credentials(city, login)
            .await?
            .ok_or_else(|| StorageError::NotFound { what: format!("user {login}") })?;
        let token = random_hex();
        let session = StaffSession {
            principal: credentials.principal,
            csrf_secret: random_hex(),
            created_at_ms: now_ms,
            last_seen_at_ms: now_ms,
            expires_at_ms: now_ms.saturating_add(absolute_ms),
        };
        sqlx::query(
            "INSERT INTO staff_session (city_id, session_hash, staff_user_id, csrf_secret, created_at, last_seen_at, expires_at) \
             SELECT city_id, $2, staff_user_id, $3, $4, $4, $5 FROM staff_user WHERE city_id = $1 AND login = $6",
        )
        .bind(city.0)
        .bind(token_hash(&token))
        .bind(&session.csrf_secret)
        .bind(now_ms)
        .bind(session.expires_at_ms)
        .bind(login)
        .execute(&self.pool)
        .await?;
        Ok((token, session))
    }

    /// The live session of a cookie token, if there is one: not past its absolute expiry, used within `idle_ms`,
    /// and its account enabled. A live session's last-seen time moves to `now_ms`; an expired one is deleted.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or the stored role or scope is corrupt.
    pub async fn staff_session(
        &self,
        city: CityId,
        token: &str,
        now_ms: i64,
        idle_ms: i64,
    ) -> Result<Option<StaffSession>, StorageError> {
        let hash = token_hash(token);
        let row = sqlx::query(
            "SELECT u.login, u.staff_role, u.scope, u.disabled, s.csrf_secret, s.created_at, s.last_seen_at, s.expires_at \
             FROM staff_session s JOIN staff_user u ON u.city_id = s.city_id AND u.staff_user_id = s.staff_user_id \
             WHERE s.city_id = $1 AND s.session_hash = $2",
        )
        .bind(city.0)
        .bind(&hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let session = StaffSession {
            principal: principal_of(&row)?,
            csrf_secret: row.try_get("csrf_secret")?,
            created_at_ms: row.try_get("created_at")?,
            last_seen_at_ms: row.try_get("last_seen_at")?,
            expires_at_ms: row.try_get("expires_at")?,
        };
        let disabled = row.try_get::<i64, _>("disabled")? != 0;
        if disabled || now_ms >= session.expires_at_ms || now_ms >= session.last_seen_at_ms.saturating_add(idle_ms) {
            self.delete_staff_session(city, token).await?;
            return Ok(None);
        }
        if now_ms - session.last_seen_at_ms >= TOUCH_EVERY_MS {
            sqlx::query("UPDATE staff_session SET last_seen_at = $3 WHERE city_id = $1 AND session_hash = $2")
                .bind(city.0)
                .bind(&hash)
                .bind(now_ms)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(StaffSession { last_seen_at_ms: now_ms, ..session }))
    }

    /// Ends a session (logout); returns whether there was one.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn delete_staff_session(&self, city: CityId, token: &str) -> Result<bool, StorageError> {
        let deleted = sqlx::query("DELETE FROM staff_session WHERE city_id = $1 AND session_hash = $2")
            .bind(city.0)
            .bind(token_hash(token))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(deleted > 0)
    }

    /// Ends every session of an account (on disabling it, a new role or a new password); returns how many.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn delete_staff_sessions(&self, city: CityId, login: &str) -> Result<u64, StorageError> {
        Ok(sqlx::query(
            "DELETE FROM staff_session WHERE city_id = $1 AND staff_user_id IN \
             (SELECT staff_user_id FROM staff_user WHERE city_id = $1 AND login = $2)",
        )
        .bind(city.0)
        .bind(login)
        .execute(&self.pool)
        .await?
        .rows_affected())
    }

    /// Records a failed login for a subject (`login:NAME` or `address:IP`), and forgets that subject's failures
    /// older than a day.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn record_login_failure(&self, city: CityId, subject: &str, at_ms: i64) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO login_failure (city_id, login_failure_id, subject, failed_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(subject)
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        sqlx::query("DELETE FROM login_failure WHERE city_id = $1 AND subject = $2 AND failed_at < $3")
            .bind(city.0)
            .bind(subject)
            .bind(at_ms - FAILURE_RETENTION_MS)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Forgets a subject's failures (after a successful login, the count starts again).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn clear_login_failures(&self, city: CityId, subject: &str) -> Result<(), StorageError> {
        sqlx::query("DELETE FROM login_failure WHERE city_id = $1 AND subject = $2")
            .bind(city.0)
            .bind(subject)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Until when a subject is locked out at `now_ms`, if it is: when its latest `threshold` failures fall within
    /// `window_ms`, the lock lasts `lock_ms` after the last of them.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn login_locked_until(
        &self,
        city: CityId,
        subject: &str,
        rule: LockRule,
        now_ms: i64,
    ) -> Result<Option<i64>, StorageError> {
        let times: Vec<i64> = sqlx::query_scalar(
            "SELECT failed_at FROM login_failure WHERE city_id = $1 AND subject = $2 AND failed_at > $3 AND failed_at <= $4 \
             ORDER BY failed_at DESC LIMIT $5",
        )
        .bind(city.0)
        .bind(subject)
        .bind(now_ms - rule.window_ms - rule.lock_ms)
        .bind(now_ms)
        .bind(i64::from(rule.threshold))
        .fetch_all(&self.pool)
        .await?;
        Ok(locked_until(&times, rule).filter(|until| *until > now_ms))
    }
}

/// The end of the lock that failures (newest first) cause under a rule, if they cause one.
fn locked_until(newest_first: &[i64], rule: LockRule) -> Option<i64> {
    let threshold = usize::try_from(rule.threshold).ok()?;
    if threshold == 0 || newest_first.len() < threshold {
        return None;
    }
    let newest = newest_first[0];
    let oldest = newest_first[threshold - 1];
    (newest - oldest <= rule.window_ms).then(|| newest + rule.lock_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_needs_the_threshold_within_the_window() {
        let rule = LockRule { threshold: 3, window_ms: 100, lock_ms: 1_000 };
        assert_eq!(locked_until(&[300, 250, 200], rule), Some(1_300));
        assert_eq!(locked_until(&[300, 250, 199], rule), None);
        assert_eq!(locked_until(&[300, 250], rule), None);
    }
}
