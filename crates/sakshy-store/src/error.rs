//! Storage errors, with constraint violations mapped to what they mean in the domain.

/// Errors returned by [`crate::Store`].
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// The database URL is neither `sqlite:PATH` nor `postgres://…`.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://USER@HOST/DB")]
    BadUrl(String),
    /// The database reported an error or could not be reached.
    #[error("database error")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A row violates a uniqueness rule: something with this identity exists.
    #[error("{what} already exists")]
    Conflict {
        /// What exists.
        what: String,
    },
    /// Someone else changed the registry since the caller read it; read again and retry.
    #[error(
        "the registry changed while this import was being prepared (revision {expected} expected, {found} found); run it again"
    )]
    Stale {
        /// The revision the caller planned against.
        expected: i64,
        /// The revision found.
        found: i64,
    },
    /// The thing asked for does not exist.
    #[error("{what} does not exist")]
    NotFound {
        /// What was looked for.
        what: String,
    },
    /// The operation needs a city, and none is stored.
    #[error("no city is stored yet: import territories first")]
    NoCity,
    /// A stored row cannot be turned back into a domain value.
    #[error("stored {table} row {key} is corrupt: {reason}")]
    Corrupt {
        /// The table.
        table: &'static str,
        /// The row's key.
        key: String,
        /// What is wrong.
        reason: String,
    },
}

impl StorageError {
    /// Whether the engine asked the client to retry the transaction (SQLSTATE 40001 or 40P01).
    pub fn is_retryable(&self) -> bool {
        match self {
            StorageError::Database(sqlx::Error::Database(db)) => {
                matches!(db.code().as_deref(), Some("40001" | "40P01"))
            }
            _ => false,
        }
    }

    pub(crate) fn corrupt(table: &'static str, key: impl ToString, reason: impl ToString) -> StorageError {
        StorageError::Corrupt { table, key: key.to_string(), reason: reason.to_string() }
    }
}
