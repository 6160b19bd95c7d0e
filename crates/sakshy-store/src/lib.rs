//! Storage for Sakshy: one portable SQL dialect that runs on SQLite (embedded, the default) and PostgreSQL
//! (production), through sqlx's `Any` driver.
//!
//! This crate is the only one that knows SQL. It returns core types and takes core types; it does not
//! validate domain rules (the core does) and knows nothing of HTTP. Every write is one transaction.

mod appeal;
mod audit;
mod calendar;
mod category;
mod error;
mod evaluation;
mod gazetteer;
mod id;
mod import;
mod incident;
mod note;
mod open311;
mod outbox;
mod preview;
mod registry;
mod retention;
mod session;
mod staff;
mod survey;
mod territory;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Executor, SqlSafeStr};

pub use appeal::{
    AppealCreated, AppealCursor, AppealFilter, AppealSummary, Attachments, Idempotency, NearbyAppeal, Photo,
    StoredAppeal, digest_hex, token_hash,
};
pub use audit::{AuditCursor, AuditFilter};
pub use calendar::CalendarLoadError;
pub use category::RegistryChange;
pub use error::StorageError;
pub use evaluation::{AppealTiming, EvaluationDesign, EvaluationProblem};
pub use gazetteer::{MAX_PLACES_FOUND, ResolvedCounts};
pub use import::{ImportError, PointsFormat, TerritoryImport};
pub use incident::{
    IncidentFilter, IncidentImport, IncidentImportError, IncidentImportReport, IncidentOrigin, InsertedIncidents,
    InvalidRows, MAX_INCIDENT_SOURCE_CHARS,
};
pub use note::AppealNote;
pub use open311::{MAX_REQUEST_UPDATES, PUBLIC_ACTIONS, RequestUpdate};
pub use outbox::{MAX_ATTEMPTS, OutboxMessage, OutboxState};
pub use preview::{ImportPreview, RegistryFile};
pub use registry::UpsertSummary;
pub use retention::RetentionSummary;
pub use session::{LockRule, StaffCredentials, StaffSession};
pub use staff::{AuditEvent, StaffUser};
pub use survey::{
    Channel, InvitationState, MAX_INVITATIONS_PER_CALL, NewResponse, NewWave, PopulationMargin, ResponseImport,
    StoredInstrument, StoredResponse, StoredWave, SurveyStoreError, WaveAccess, WaveStatus,
};
pub use territory::TerritoryImportSummary;

/// The database engine behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// SQLite, embedded, in one file.
    Sqlite,
    /// PostgreSQL (or a wire-compatible engine).
    Postgres,
}

/// The database id of a city; every row of every table carries it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CityId(pub i64);

/// The connection pool and the engine it talks to. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// On SQLite, one writer at a time within this process: waiting here is a queue, where waiting in SQLite's
    /// busy handler is a sleep-and-retry that stretches the tail of write latency. `None` on PostgreSQL.
    writer: Option<std::sync::Arc<tokio::sync::Mutex<()>>>,
    /// Registrations waiting to be committed together (group commit).
    intake: std::sync::Arc<appeal::IntakeQueue>,
}

/// The schema migrations, embedded in the binary, in order.
fn migrator() -> Migrator {
    let migration = |version: i64, description: &'static str, sql: &'static str| {
        Migration::new(
            version,
            description.into(),
            MigrationType::Simple,
            sqlx::AssertSqlSafe(sql).into_sql_str(),
            false,
        )
    };
    let migrations = vec![
        migration(1, "registry", include_str!("../migrations/0001_registry.sql")),
        migration(2, "categories", include_str!("../migrations/0002_categories.sql")),
        migration(3, "appeals", include_str!("../migrations/0003_appeals.sql")),
        migration(4, "staff", include_str!("../migrations/0004_staff.sql")),
        migration(5, "open311", include_str!("../migrations/0005_open311.sql")),
        migration(6, "feedback", include_str!("../migrations/0006_feedback.sql")),
        migration(7, "outbox", include_str!("../migrations/0007_outbox.sql")),
        migration(8, "assignee", include_str!("../migrations/0008_assignee.sql")),
        migration(9, "photos", include_str!("../migrations/0009_photos.sql")),
        migration(10, "list_indexes", include_str!("../migrations/0010_list_indexes.sql")),
        migration(11, "overdue_index", include_str!("../migrations/0011_overdue_index.sql")),
        migration(12, "open311_updates", include_str!("../migrations/0012_open311_updates.sql")),
        migration(13, "sessions", include_str!("../migrations/0013_sessions.sql")),
        migration(14, "gazetteer", include_str!("../migrations/0014_gazetteer.sql")),
        migration(15, "retention", include_str!("../migrations/0015_retention.sql")),
        migration(16, "incidents", include_str!("../migrations/0016_incidents.sql")),
        migration(17, "calendar", include_str!("../migrations/0017_calendar.sql")),
        migration(18, "surveys", include_str!("../migrations/0018_surveys.sql")),
    ];
    let mut migrator = Migrator::with_migrations(migrations);
    // Advisory locks do not exist on every PostgreSQL-compatible engine (see ARCHITECTURE.md): migrations
    // run from one `sakshy migrate` step instead.
    migrator.set_locking(false);
    migrator
}

impl Store {
    /// Connects to `url`: `sqlite:PATH` (the file is created if missing) or `postgres://…`.
    ///
    /// SQLite connections use WAL, foreign keys and a 5 s busy timeout.
    ///
    /// # Errors
    ///
    /// [`StorageError::BadUrl`] for an unknown scheme, [`StorageError::Database`] when the database cannot be
    /// reached.
    pub async fn connect(url: &str) -> Result<Store, StorageError> {
        sqlx::any::install_default_drivers();
        let (backend, url) = if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            let url = if path.contains('?') { format!("sqlite://{path}") } else { format!("sqlite://{path}?mode=rwc") };
            (Backend::Sqlite, url)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            (Backend::Postgres, url.to_owned())
        } else {
            return Err(StorageError::BadUrl(url.to_owned()));
        };
        let options = AnyConnectOptions::from_str(&url).map_err(|_| StorageError::BadUrl(url.clone()))?;
        let pool_options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        let pool_options = match backend {
            // One writer at a time is SQLite's nature; a small pool lets readers run beside it under WAL.
            Backend::Sqlite => pool_options.max_connections(4).after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;")
                        .await?;
                    Ok(())
                })
            }),
            Backend::Postgres => pool_options.max_connections(16),
        };
        let pool = pool_options.connect_with(options).await?;
        let writer = (backend == Backend::Sqlite).then(|| std::sync::Arc::new(tokio::sync::Mutex::new(())));
        Ok(Store { pool, backend, writer, intake: std::sync::Arc::default() })
    }

    /// Waits for this process's turn to write, on SQLite; immediate on PostgreSQL.
    pub(crate) async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match &self.writer {
            Some(writer) => Some(writer.lock().await),
            None => None,
        }
    }

    /// The engine behind this store.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Applies the pending schema migrations.
    ///
    /// # Errors
    ///
    /// [`StorageError::Migrate`] when a migration fails or the stored history disagrees with the binary's.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<(), StorageError> {
        migrator().run(&self.pool).await?;
        Ok(())
    }

    /// Whether every migration of this binary has been applied.
    ///
    /// # Errors
    ///
    /// [`StorageError::Database`] when the database cannot be read.
    pub async fn migrations_current(&self) -> Result<bool, StorageError> {
        let applied: Vec<i64> = match sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE ORDER BY version",
        )
        .fetch_all(&self.pool)
        .await
        {
            Ok(versions) => versions,
            // No migrations table yet: nothing applied.
            Err(sqlx::Error::Database(_)) => Vec::new(),
            Err(err) => return Err(err.into()),
        };
        Ok(migrator().iter().all(|migration| applied.contains(&migration.version)))
    }

    /// Checks that the database answers.
    ///
    /// # Errors
    ///
    /// [`StorageError::Database`] when it does not.
    pub async fn ping(&self) -> Result<(), StorageError> {
        sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)").fetch_one(&self.pool).await?;
        Ok(())
    }

    /// Runs one statement as given. For test set-up (creating and dropping test databases) only.
    ///
    /// # Errors
    ///
    /// [`StorageError::Database`] when the statement fails.
    #[doc(hidden)]
    pub async fn execute_raw_for_tests(&self, sql: &str) -> Result<(), StorageError> {
        self.pool.execute(sqlx::AssertSqlSafe(sql.to_owned())).await?;
        Ok(())
    }

    /// The first column of every row of a query, as optional text. For tests that look at a column no API reads.
    ///
    /// # Errors
    ///
    /// [`StorageError::Database`] when the query fails.
    #[doc(hidden)]
    pub async fn query_strings_for_tests(&self, sql: &str) -> Result<Vec<Option<String>>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned())).fetch_all(&self.pool).await?;
        Ok(rows.iter().map(|row| sqlx::Row::try_get::<Option<String>, _>(row, 0)).collect::<Result<_, _>>()?)
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Evaluates `$attempt` (an expression yielding `Result<_, StorageError>`, typically `async { … }.await`) again,
/// up to three times in all, while the engine asks for a retry (serialization failure or deadlock; distributed
/// PostgreSQL engines report these under contention). A macro rather than a function taking an async closure:
/// such a closure's future is not `Send` for every lifetime, and these calls run inside HTTP handlers.
macro_rules! retrying {
    ($attempt:expr) => {{
        let mut tries: u64 = 0;
        loop {
            tries += 1;
            match $attempt {
                Err(err) if $crate::StorageError::is_retryable(&err) && tries < 3 => {
                    tracing::warn!(tries, "retrying a transaction after a serialization failure");
                    tokio::time::sleep(std::time::Duration::from_millis(20 * tries)).await;
                }
                result => break result,
            }
        }
    }};
}
pub(crate) use retrying;
