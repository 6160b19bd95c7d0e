//! Staff accounts, API tokens and the audit log. Tokens are stored as hashes; the plain token is shown once.

use sakshy_core::access::{Principal, Role, Scope};
use sqlx::Row;

use crate::appeal::token_hash;
use crate::id::new_id;
use crate::territory::conflict_or;
use crate::{CityId, StorageError, Store};

/// A staff account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// Login.
    pub login: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// Role.
    pub role: Role,
    /// Scope.
    pub scope: Scope,
    /// Whether the account is disabled (its tokens stop working).
    pub disabled: bool,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When, UTC epoch milliseconds.
    pub at_ms: i64,
    /// Who (a login).
    pub actor: String,
    /// What, e.g. `view_contact`.
    pub action: String,
    /// On what, e.g. `appeal:SHY-2026-000123`.
    pub object: String,
    /// From which address, if known.
    pub from_address: Option<String>,
}

/// A new API token: 32 random bytes in lower-case hex, prefixed so that it is recognisable in a leak scan.
fn new_api_token() -> String {
    let bytes: [u8; 32] = rand::random();
    format!("sk_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

impl Store {
    /// Adds a staff account.
    ///
    /// # Errors
    ///
    /// [`StorageError::Conflict`] when the login is taken.
    pub async fn add_staff_user(&self, city: CityId, user: &StaffUser, at_ms: i64) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO staff_user (city_id, staff_user_id, login, display_name, staff_role, scope, disabled, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(&user.login)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(user.scope.to_wire())
        .bind(i64::from(user.disabled))
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(|err| conflict_or(err, format!("user {}", user.login)))?;
        Ok(())
    }

    /// Every staff account of a city, by login.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored role or scope is corrupt.
    pub async fn staff_users(&self, city: CityId) -> Result<Vec<StaffUser>, StorageError> {
        let rows = sqlx::query(
            "SELECT login, display_name, staff_role, scope, disabled FROM staff_user WHERE city_id = $1 ORDER BY login",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let login: String = row.try_get("login")?;
                let role: String = row.try_get("staff_role")?;
                let scope: String = row.try_get("scope")?;
                Ok(StaffUser {
                    role: role.parse().map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
                    scope: Scope::parse(&scope).map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
                    display_name: row.try_get("display_name")?,
                    disabled: row.try_get::<i64, _>("disabled")? != 0,
                    login,
                })
            })
            .collect()
    }

    /// Creates an API token for a user and returns it; only its hash is stored, so it cannot be shown again.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such user.
    pub async fn create_api_token(
        &self,
        city: CityId,
        login: &str,
        label: &str,
        at_ms: i64,
    ) -> Result<String, StorageError> {
        let user_id: Option<i64> =
            sqlx::query_scalar("SELECT staff_user_id FROM staff_user WHERE city_id = $1 AND login = $2")
                .bind(city.0)
                .bind(login)
                .fetch_optional(&self.pool)
                .await?;
        let user_id = user_id.ok_or_else(|| StorageError::NotFound { what: format!("user {login}") })?;
        let token = new_api_token();
        sqlx::query(
            "INSERT INTO api_token (city_id, api_token_id, token_hash, staff_user_id, label, created_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(token_hash(&token))
        .bind(user_id)
        .bind(label)
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        Ok(token)
    }

    /// The principal an API token stands for, if the token exists, is not revoked and its user is enabled.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or the stored role or scope is corrupt.
    pub async fn principal_for_token(&self, city: CityId, token: &str) -> Result<Option<Principal>, StorageError> {
        let row = sqlx::query(
            "SELECT u.login, u.staff_role, u.scope FROM api_token t JOIN staff_user u \
             ON u.city_id = t.city_id AND u.staff_user_id = t.staff_user_id \
             WHERE t.city_id = $1 AND t.token_hash = $2 AND t.revoked_at IS NULL AND u.disabled = 0",
        )
        .bind(city.0)
        .bind(token_hash(token))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let login: String = row.try_get("login")?;
            let role: String = row.try_get("staff_role")?;
            let scope: String = row.try_get("scope")?;
            Ok(Principal {
                role: role.parse().map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
                scope: Scope::parse(&scope).map_err(|err| StorageError::corrupt("staff_user", &login, err))?,
                login,
            })
        })
        .transpose()
    }

    /// Disables or enables an account; a disabled account's tokens stop working at once.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such user.
    pub async fn set_staff_user_disabled(&self, city: CityId, login: &str, disabled: bool) -> Result<(), StorageError> {
        let changed = sqlx::query("UPDATE staff_user SET disabled = $3 WHERE city_id = $1 AND login = $2")
            .bind(city.0)
            .bind(login)
            .bind(i64::from(disabled))
            .execute(&self.pool)
            .await?
            .rows_affected();
        if changed == 0 {
            return Err(StorageError::NotFound { what: format!("user {login}") });
        }
        Ok(())
    }

    /// Creates an Open311 API key for a client application and returns it (stored hashed).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn create_open311_key(&self, city: CityId, label: &str, at_ms: i64) -> Result<String, StorageError> {
        let key = new_api_token().replacen("sk_", "o311_", 1);
        sqlx::query(
            "INSERT INTO open311_key (city_id, open311_key_id, key_hash, label, created_at, revoked_at) VALUES ($1, $2, $3, $4, $5, NULL)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(token_hash(&key))
        .bind(label)
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        Ok(key)
    }

    /// The label of the client an Open311 key belongs to, if the key exists and is not revoked.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn open311_client(&self, city: CityId, key: &str) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar(
            "SELECT label FROM open311_key WHERE city_id = $1 AND key_hash = $2 AND revoked_at IS NULL",
        )
        .bind(city.0)
        .bind(token_hash(key))
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Appends to the audit log.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn record_audit(&self, city: CityId, event: &AuditEvent) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO audit_event (city_id, audit_event_id, happened_at, actor, action, object, from_address) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(event.at_ms)
        .bind(&event.actor)
        .bind(&event.action)
        .bind(&event.object)
        .bind(event.from_address.as_deref())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The latest audit events, newest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn audit_events(&self, city: CityId, limit: u32) -> Result<Vec<AuditEvent>, StorageError> {
        let rows = sqlx::query(
            "SELECT happened_at, actor, action, object, from_address FROM audit_event WHERE city_id = $1 \
             ORDER BY happened_at DESC, audit_event_id DESC LIMIT $2",
        )
        .bind(city.0)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AuditEvent {
                    at_ms: row.try_get("happened_at")?,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    object: row.try_get("object")?,
                    from_address: row.try_get("from_address")?,
                })
            })
            .collect()
    }
}
