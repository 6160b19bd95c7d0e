//! Storing appeals: registration with a receipt number and a tracking token in one transaction (idempotent
//! by key), the tasks and append-only history of the workflow, the resident's contact apart from the rest,
//! and counts of emergency diversions that hold nothing about anyone.

use std::str::FromStr;

use chrono::NaiveDate;
use sakshy_core::category::LegalTrack;
use sakshy_core::intake::NewAppeal;
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Appeal, Clocks, Event, Task, TaskState};
use sakshy_core::{Code, Lang};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use crate::id::new_id;
use crate::{CityId, StorageError, Store, retrying};

/// What registering an appeal gave the resident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealCreated {
    /// The store's id.
    pub appeal_id: i64,
    /// The receipt number, unique per city and year, e.g. `SHY-2026-000123`.
    pub receipt: String,
    /// The secret with which the resident follows the appeal. Only its hash is stored with the appeal.
    pub tracking_token: String,
    /// When the answer is due.
    pub due_on: NaiveDate,
    /// Whether this is the answer to an earlier request with the same idempotency key (nothing new was created).
    pub replayed: bool,
}

/// A photo ready to store: already decoded and re-encoded, so it carries no metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    /// MIME type, e.g. `image/jpeg`.
    pub content_type: String,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// The encoded image.
    pub bytes: Vec<u8>,
}

/// What a registration brings besides the appeal itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attachments<'a> {
    /// Photos, already cleaned of metadata.
    pub photos: &'a [Photo],
    /// Links an Open311 client sent (`media_url`): references for staff, never fetched.
    pub media_urls: &'a [String],
}

/// An idempotency key and a digest of the request it came with.
#[derive(Debug, Clone, Copy)]
pub struct Idempotency<'a> {
    /// The client's key (the `Idempotency-Key` header).
    pub key: &'a str,
    /// A digest of the request body, so that a key reused for a different request is refused.
    pub request_hash: &'a str,
}

/// A stored appeal with its workflow.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredAppeal {
    /// The store's id.
    pub appeal_id: i64,
    /// The receipt number.
    pub receipt: String,
    /// The category.
    pub category: Code,
    /// The legal track.
    pub track: LegalTrack,
    /// What the resident wrote.
    pub description: String,
    /// The resident's language.
    pub lang: Lang,
    /// How it arrived.
    pub channel: String,
    /// The point, (lon, lat), if known.
    pub point: Option<(f64, f64)>,
    /// The address text, if given.
    pub address: Option<String>,
    /// The police point named, if any.
    pub police_point: Option<Code>,
    /// The quadrant version it was filed in (kept even after a redraw).
    pub quadrant_version_id: Option<i64>,
    /// The ERDR or KUI reference, once the police give one.
    pub erdr_reference: Option<String>,
    /// Whether it is synthetic demo data.
    pub synthetic: bool,
    /// The workflow: tasks, clocks, history.
    pub workflow: Appeal,
    /// When it was created, UTC epoch milliseconds.
    pub created_at_ms: i64,
}

/// Which appeals to list. Every field narrows the list; `None` means any.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppealFilter {
    /// The appeal's state (wire name, e.g. `in_progress`).
    pub state: Option<String>,
    /// The category.
    pub category: Option<Code>,
    /// The quadrant it was filed in.
    pub quadrant: Option<Code>,
    /// The district it was filed in.
    pub district: Option<Code>,
    /// Only appeals filed in one of these quadrants (empty: any) — a district inspector's scope.
    pub within_quadrants: Vec<Code>,
    /// Only appeals with a task for this agency.
    pub agency: Option<Code>,
    /// Only open appeals whose due date is before this day (overdue on that day).
    pub overdue_on: Option<NaiveDate>,
    /// Text the receipt number or description contains, in any letter case (Kazakh and Russian included: case
    /// folding is done in Rust, since SQLite cannot lower-case Cyrillic).
    pub text: Option<String>,
    /// Only these receipt numbers (empty: any).
    pub receipts: Vec<String>,
    /// Only these categories (empty: any).
    pub categories: Vec<Code>,
    /// Only these states (empty: any).
    pub states: Vec<String>,
    /// Only appeals created at or after this time, UTC epoch milliseconds.
    pub created_from_ms: Option<i64>,
    /// Only appeals created at or before this time, UTC epoch milliseconds.
    pub created_to_ms: Option<i64>,
    /// Only appeals whose point lies in this box: (min lon, min lat, max lon, max lat).
    pub bbox: Option<(f64, f64, f64, f64)>,
    /// Only appeals that arrived through this channel (wire name, e.g. `staff`).
    pub channel: Option<String>,
    /// Only appeals received at or naming one of these police points (empty: any).
    pub police_points: Vec<Code>,
}

/// Where a page of appeals ended: the next page starts after it (keyset pagination, newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppealCursor {
    /// Creation time of the last appeal of the page.
    pub created_at_ms: i64,
    /// Its id.
    pub appeal_id: i64,
}

/// One line of an appeal list.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealSummary {
    /// The store's id.
    pub appeal_id: i64,
    /// The receipt number.
    pub receipt: String,
    /// The category.
    pub category: String,
    /// The appeal's state.
    pub state: String,
    /// The quadrant, if known.
    pub quadrant: Option<String>,
    /// The district, if known.
    pub district: Option<String>,
    /// The registration day.
    pub registered_on: NaiveDate,
    /// The due day.
    pub due_on: NaiveDate,
    /// Creation time, UTC epoch milliseconds.
    pub created_at_ms: i64,
    /// Whether it is synthetic demo data.
    pub synthetic: bool,
    /// Last change, UTC epoch milliseconds.
    pub updated_at_ms: i64,
    /// The point, (lon, lat), if known.
    pub point: Option<(f64, f64)>,
    /// The agency that owns the appeal now: the first task not redirected away.
    pub owner_agency: Option<String>,
    /// The latest public comment by staff in the history (a redirect's reason, an answer, …); never the
    /// resident's own words (a reopening's reason), since public views show it.
    pub latest_public_comment: Option<String>,
}

/// A query parameter of a dynamically built list query.
enum Param {
    Text(String),
    Int(i64),
    Float(f64),
}

/// The WHERE conditions of a filter (joined with AND) and their parameters, numbered from `$2` (`$1` is the
/// city).
fn filter_conditions(filter: &AppealFilter) -> (Vec<String>, Vec<Param>) {
    let mut conditions = vec!["a.city_id = $1".to_owned()];
    // Parameters after $1 (the city), numbered as they are added.
    let mut params: Vec<Param> = Vec::new();
    let mut param = |value: Param| {
        params.push(value);
        format!("${}", params.len() + 1)
    };
    let mut list = |values: Vec<Param>, column: &str, conditions: &mut Vec<String>| {
        if !values.is_empty() {
            let placeholders: Vec<String> = values.into_iter().map(&mut param).collect();
            conditions.push(format!("{column} IN ({})", placeholders.join(", ")));
        }
    };
    list(filter.receipts.iter().cloned().map(Param::Text).collect(), "a.receipt", &mut conditions);
    list(filter.categories.iter().map(|c| Param::Text(c.to_string())).collect(), "a.category_code", &mut conditions);
    list(filter.states.iter().cloned().map(Param::Text).collect(), "a.state", &mut conditions);
    list(
        filter.within_quadrants.iter().map(|q| Param::Text(q.to_string())).collect(),
        "a.quadrant_code",
        &mut conditions,
    );
    list(filter.state.iter().cloned().map(Param::Text).collect(), "a.state", &mut conditions);
    list(filter.channel.iter().cloned().map(Param::Text).collect(), "a.channel", &mut conditions);
    list(
        filter.police_points.iter().map(|p| Param::Text(p.to_string())).collect(),
        "a.police_point_code",
        &mut conditions,
    );
    list(filter.category.iter().map(|c| Param::Text(c.to_string())).collect(), "a.category_code", &mut conditions);
    list(filter.quadrant.iter().map(|q| Param::Text(q.to_string())).collect(), "a.quadrant_code", &mut conditions);
    list(filter.district.iter().map(|d| Param::Text(d.to_string())).collect(), "a.district_code", &mut conditions);
    if let Some(agency) = &filter.agency {
        conditions.push(format!(
            "EXISTS (SELECT 1 FROM appeal_task t WHERE t.city_id = a.city_id AND t.appeal_id = a.appeal_id AND t.agency_code = {})",
            param(Param::Text(agency.to_string()))
        ));
    }
    if let Some(day) = filter.overdue_on {
        conditions.push(format!(
            "a.due_on < {} AND a.state IN ('registered', 'in_progress', 'extended', 'reopened')",
            param(Param::Text(date_text(day)))
        ));
    }
    if let Some(text) = filter.text.as_ref().map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()) {
        let escaped = text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        conditions.push(format!("a.search_key LIKE {} ESCAPE '\\'", param(Param::Text(format!("%{escaped}%")))));
    }
    if let Some(from) = filter.created_from_ms {
        conditions.push(format!("a.created_at >= {}", param(Param::Int(from))));
    }
    if let Some(to) = filter.created_to_ms {
        conditions.push(format!("a.created_at <= {}", param(Param::Int(to))));
    }
    if let Some((min_lon, min_lat, max_lon, max_lat)) = filter.bbox {
        conditions.push(format!(
            "a.lon >= {} AND a.lat >= {} AND a.lon <= {} AND a.lat <= {}",
            param(Param::Float(min_lon)),
            param(Param::Float(min_lat)),
            param(Param::Float(max_lon)),
            param(Param::Float(max_lat))
        ));
    }
    (conditions, params)
}

/// How a list is paged.
#[derive(Debug, Clone, Copy)]
enum Paging {
    /// After a cursor (keyset).
    After(Option<AppealCursor>),
    /// Skipping a number of rows (for Open311's `page` extension, within its 90-day window).
    Offset(u32),
}

/// An open appeal near a place: enough to recognise a duplicate, nothing about who filed it.
#[derive(Debug, Clone, PartialEq)]
pub struct NearbyAppeal {
    /// The receipt number.
    pub receipt: String,
    /// The appeal's state.
    pub state: String,
    /// Its point, (lon, lat).
    pub point: (f64, f64),
    /// The day it was registered.
    pub registered_on: NaiveDate,
}

/// The cells that cover a circle of `radius_m` metres around `(lon, lat)`.
fn cells_around(lon: f64, lat: f64, radius_m: f64) -> Vec<String> {
    // Metres per degree of latitude, and of longitude at this latitude (spherical approximation: the cells are
    // only a pre-filter, widened by one cell on every side).
    let dlat = radius_m / 111_320.0;
    let dlon = radius_m / (111_320.0 * lat.to_radians().cos().max(0.01));
    let (row0, row1) = (((lat - dlat) / CELL_DEG).floor() as i64 - 1, ((lat + dlat) / CELL_DEG).floor() as i64 + 1);
    let (col0, col1) = (((lon - dlon) / CELL_DEG).floor() as i64 - 1, ((lon + dlon) / CELL_DEG).floor() as i64 + 1);
    let mut cells = Vec::new();
    for row in row0..=row1 {
        for col in col0..=col1 {
            cells.push(format!("{row}:{col}"));
        }
    }
    cells
}

/// The SHA-256 of a tracking token, as stored.
pub fn token_hash(token: &str) -> String {
    digest_hex(token.as_bytes())
}

/// The SHA-256 of some bytes, in lower-case hex (e.g. a request body, for idempotency).
pub fn digest_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new tracking token: 128 random bits, written in 26 lower-case base-32 characters (no 0/1/8/9 confusion
/// since the alphabet is `a–z2–7`).
fn new_token() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let value: u128 = rand::random();
    (0..26).map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char).collect()
}

/// The coarse cell of a point, for pre-filtering nearby appeals with a plain index (about 220 × 165 m here).
pub(crate) fn cell_key(lon: f64, lat: f64) -> String {
    format!("{}:{}", (lat / CELL_DEG).floor() as i64, (lon / CELL_DEG).floor() as i64)
}

/// The size of a cell, in degrees of latitude and longitude.
pub(crate) const CELL_DEG: f64 = 0.002;

fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

fn parse_date(table: &'static str, key: i64, text: &str) -> Result<NaiveDate, StorageError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|err| StorageError::corrupt(table, key, err))
}

fn parse_state(key: i64, text: &str) -> Result<TaskState, StorageError> {
    TaskState::ALL
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| StorageError::corrupt("appeal_task", key, text))
}

fn leak_action(name: &str) -> &'static str {
    // Event actions are a closed set of wire names; map stored text back onto them.
    sakshy_core::workflow::EVENT_ACTIONS.into_iter().find(|known| *known == name).unwrap_or("unknown")
}

impl Store {
    /// Registers an appeal: the next receipt number of the city and year, a tracking token, the appeal, its
    /// contact (if any), tasks, first history and notices. With an idempotency key already used for the same
    /// request, returns the first answer and creates nothing.
    ///
    /// Concurrent registrations are committed together (group commit): the first caller to find no batch in
    /// flight writes every registration queued so far in one transaction, and each caller gets its own answer.
    /// Should that transaction fail, each registration of the batch is tried again alone, so one bad
    /// registration never costs another its place. The batch runs in a task of its own, so a caller that goes
    /// away (a client that hangs up) cannot leave it half done.
    ///
    /// # Errors
    ///
    /// [`StorageError::Conflict`] when the key was used for a different request; [`StorageError::Database`]
    /// otherwise. Nothing is written on any error.
    #[tracing::instrument(skip_all, fields(category = %new.submission.category))]
    #[expect(clippy::too_many_arguments, reason = "each argument is a distinct, required part of a registration")]
    pub async fn create_appeal(
        &self,
        city: CityId,
        receipt_prefix: &str,
        new: &NewAppeal,
        workflow: &Appeal,
        quadrant_version_id: Option<i64>,
        synthetic: bool,
        idempotency: Option<Idempotency<'_>>,
        attachments: Attachments<'_>,
        at_ms: i64,
    ) -> Result<AppealCreated, StorageError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Registration {
            city,
            receipt_prefix: receipt_prefix.to_owned(),
            new: new.clone(),
            workflow: workflow.clone(),
            quadrant_version_id,
            synthetic,
            idempotency: idempotency.map(|i| (i.key.to_owned(), i.request_hash.to_owned())),
            photos: attachments.photos.to_vec(),
            media_urls: attachments.media_urls.to_vec(),
            at_ms,
            reply,
        };
        self.intake.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push_back(job);
        let leader = std::sync::Arc::clone(&self.intake.leader).lock_owned().await;
        let mut answer = answer;
        // An earlier batch may have taken this registration along; it answered before letting go of the lead.
        if let Ok(result) = answer.try_recv() {
            return result;
        }
        // Everything queued, this caller's registration included: the batch is as large as the concurrency.
        let jobs: Vec<Registration> =
            self.intake.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner).drain(..).collect();
        let store = self.clone();
        // The batch owns the lead until it is done, even if this caller is dropped meanwhile.
        tokio::spawn(async move {
            store.commit_batch(jobs).await;
            drop(leader);
        });
        answer.await.unwrap_or_else(|_| {
            Err(StorageError::Corrupt {
                table: "appeal",
                key: "batch".to_owned(),
                reason: "the batch ended without an answer".to_owned(),
            })
        })
    }

    /// How many transactions so far were begun for more than one registration (group commits, including any
    /// that failed and were written again one by one).
    #[doc(hidden)]
    pub fn batched_commits(&self) -> u64 {
        self.intake.batched.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Writes `jobs` in one transaction and answers each; if that fails, writes each alone.
    async fn commit_batch(&self, jobs: Vec<Registration>) {
        let together = if jobs.len() > 1 {
            let _turn = self.write_turn().await;
            self.intake.batched.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            self.try_register_all(&jobs).await.ok()
        } else {
            None
        };
        match together {
            Some(results) => {
                for (job, result) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            None => {
                for job in jobs {
                    let result = retrying!(
                        async {
                            let _turn = self.write_turn().await;
                            let mut results = self.try_register_all(std::slice::from_ref(&job)).await?;
                            results.pop().expect("one result per registration")
                        }
                        .await
                    );
                    let _ = job.reply.send(result);
                }
            }
        }
    }

    /// Writes the registrations in one transaction. The outer error fails them all (nothing is written); an
    /// inner error (an idempotency key reused for another request) concerns its registration alone, which wrote
    /// nothing.
    async fn try_register_all(
        &self,
        jobs: &[Registration],
    ) -> Result<Vec<Result<AppealCreated, StorageError>>, StorageError> {
        let mut tx = self.pool.begin().await?;
        let mut results = Vec::with_capacity(jobs.len());
        for job in jobs {
            results.push(register(&mut tx, job).await?);
        }
        tx.commit().await?;
        Ok(results)
    }

    /// Open appeals (not answered, rejected or closed) of `category` registered since `since_ms` whose point lies in
    /// the cells that cover a `radius_m` circle around `(lon, lat)`. A pre-filter: callers measure exact distances.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn open_appeals_near(
        &self,
        city: CityId,
        category: &Code,
        (lon, lat): (f64, f64),
        radius_m: f64,
        since_ms: i64,
    ) -> Result<Vec<NearbyAppeal>, StorageError> {
        let cells = cells_around(lon, lat, radius_m);
        let placeholders: Vec<String> = (0..cells.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "SELECT receipt, state, lon, lat, registered_on FROM appeal WHERE city_id = $1 AND category_code = $2 \
             AND created_at >= $3 AND cell_key IN ({}) AND state NOT IN ('answered', 'rejected', 'closed') \
             ORDER BY created_at DESC LIMIT 200",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(category.as_str()).bind(since_ms);
        for cell in &cells {
            query = query.bind(cell);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let receipt: String = row.try_get("receipt")?;
                Ok(NearbyAppeal {
                    state: row.try_get("state")?,
                    point: (row.try_get("lon")?, row.try_get("lat")?),
                    registered_on: parse_date("appeal", 0, &row.try_get::<String, _>("registered_on")?)?,
                    receipt,
                })
            })
            .collect()
    }

    /// A page of appeals matching `filter`, newest first, starting after `after`.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn list_appeals(
        &self,
        city: CityId,
        filter: &AppealFilter,
        after: Option<AppealCursor>,
        limit: u32,
    ) -> Result<Vec<AppealSummary>, StorageError> {
        self.query_appeals(city, filter, Paging::After(after), limit).await
    }

    /// Like [`Store::list_appeals`], but skipping `offset` appeals instead of starting after a cursor.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn list_appeals_from(
        &self,
        city: CityId,
        filter: &AppealFilter,
        offset: u32,
        limit: u32,
    ) -> Result<Vec<AppealSummary>, StorageError> {
        self.query_appeals(city, filter, Paging::Offset(offset), limit).await
    }

    /// How many appeals match `filter`, per state (states without any are left out), in the order of the state
    /// names. Counting reads every matching row: on a city-wide filter over a large history this is the slow part
    /// of a page, where listing stops at the page's last row.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn count_appeals_by_state(
        &self,
        city: CityId,
        filter: &AppealFilter,
    ) -> Result<Vec<(String, i64)>, StorageError> {
        let (conditions, params) = filter_conditions(filter);
        let sql = format!(
            "SELECT a.state, COUNT(*) AS n FROM appeal a WHERE {} GROUP BY a.state ORDER BY a.state",
            conditions.join(" AND ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
        for value in params {
            query = match value {
                Param::Text(text) => query.bind(text),
                Param::Int(int) => query.bind(int),
                Param::Float(float) => query.bind(float),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter().map(|row| Ok((row.try_get("state")?, row.try_get("n")?))).collect()
    }

    async fn query_appeals(
        &self,
        city: CityId,
        filter: &AppealFilter,
        paging: Paging,
        limit: u32,
    ) -> Result<Vec<AppealSummary>, StorageError> {
        let (mut conditions, mut params) = filter_conditions(filter);
        let mut param = |value: Param| {
            params.push(value);
            format!("${}", params.len() + 1)
        };
        let limit = limit.clamp(1, 1_000);
        let tail = match paging {
            Paging::After(Some(cursor)) => {
                let at = param(Param::Int(cursor.created_at_ms));
                let id = param(Param::Int(cursor.appeal_id));
                // A row value, not `created_at < at OR (created_at = at AND appeal_id < id)`: both engines read a
                // row value as a range on the (…, created_at, appeal_id) indexes and seek to the cursor, where the
                // OR form made PostgreSQL walk every newer row first (250 ms six months deep into 1 M appeals).
                conditions.push(format!("(a.created_at, a.appeal_id) < ({at}, {id})"));
                format!("LIMIT {limit}")
            }
            Paging::After(None) => format!("LIMIT {limit}"),
            Paging::Offset(offset) => format!("LIMIT {limit} OFFSET {offset}"),
        };
        // The page is chosen first (filters, order, limit on indexed columns); only its rows then get the
        // per-row lookups (owner agency, latest public comment), which would otherwise run for every match.
        let sql = format!(
            "SELECT p.appeal_id, p.receipt, p.category_code, p.state, p.quadrant_code, p.district_code, p.registered_on, \
             p.due_on, p.created_at, p.updated_at, p.synthetic, p.lon, p.lat, \
             (SELECT t.agency_code FROM appeal_task t WHERE t.city_id = p.city_id AND t.appeal_id = p.appeal_id \
              AND t.state <> 'redirected' ORDER BY t.task_no LIMIT 1) AS owner_agency, \
             (SELECT e.public_comment FROM appeal_event e WHERE e.city_id = p.city_id AND e.appeal_id = p.appeal_id \
              AND e.public_comment IS NOT NULL AND e.actor <> 'resident' ORDER BY e.event_no DESC LIMIT 1) AS latest_public_comment \
             FROM (SELECT a.* FROM appeal a WHERE {} ORDER BY a.created_at DESC, a.appeal_id DESC {tail}) p \
             ORDER BY p.created_at DESC, p.appeal_id DESC",
            conditions.join(" AND ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
        for value in params {
            query = match value {
                Param::Text(text) => query.bind(text),
                Param::Int(int) => query.bind(int),
                Param::Float(float) => query.bind(float),
            };
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let appeal_id: i64 = row.try_get("appeal_id")?;
                let lon: Option<f64> = row.try_get("lon")?;
                let lat: Option<f64> = row.try_get("lat")?;
                Ok(AppealSummary {
                    appeal_id,
                    receipt: row.try_get("receipt")?,
                    category: row.try_get("category_code")?,
                    state: row.try_get("state")?,
                    quadrant: row.try_get("quadrant_code")?,
                    district: row.try_get("district_code")?,
                    registered_on: parse_date("appeal", appeal_id, &row.try_get::<String, _>("registered_on")?)?,
                    due_on: parse_date("appeal", appeal_id, &row.try_get::<String, _>("due_on")?)?,
                    created_at_ms: row.try_get("created_at")?,
                    synthetic: row.try_get::<i64, _>("synthetic")? != 0,
                    updated_at_ms: row.try_get("updated_at")?,
                    point: lon.zip(lat),
                    owner_agency: row.try_get("owner_agency")?,
                    latest_public_comment: row.try_get("latest_public_comment")?,
                })
            })
            .collect()
    }

    /// Records the resident's rating (1–5) and comment of an appeal's answer, replacing an earlier one.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn record_feedback(
        &self,
        city: CityId,
        appeal_id: i64,
        rating: u8,
        comment: Option<&str>,
        at_ms: i64,
    ) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO appeal_feedback (city_id, appeal_id, rating, comment, given_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (city_id, appeal_id) DO UPDATE SET rating = $3, comment = $4, given_at = $5",
        )
        .bind(city.0)
        .bind(appeal_id)
        .bind(i64::from(rating))
        .bind(comment)
        .bind(at_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The resident's rating and comment of an appeal, if given.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn feedback(&self, city: CityId, appeal_id: i64) -> Result<Option<(u8, Option<String>)>, StorageError> {
        let row = sqlx::query("SELECT rating, comment FROM appeal_feedback WHERE city_id = $1 AND appeal_id = $2")
            .bind(city.0)
            .bind(appeal_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            let rating: i64 = row.try_get("rating")?;
            Ok((
                u8::try_from(rating).map_err(|err| StorageError::corrupt("appeal_feedback", appeal_id, err))?,
                row.try_get("comment")?,
            ))
        })
        .transpose()
    }

    /// A photo of an appeal, by its number (0-based). Staff only: photos may show people.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn appeal_photo(
        &self,
        city: CityId,
        appeal_id: i64,
        photo_no: u32,
    ) -> Result<Option<Photo>, StorageError> {
        let row = sqlx::query(
            "SELECT content_type, width, height, bytes FROM appeal_photo WHERE city_id = $1 AND appeal_id = $2 AND photo_no = $3",
        )
        .bind(city.0)
        .bind(appeal_id)
        .bind(i64::from(photo_no))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let size = |column: &str| -> Result<u32, StorageError> {
                u32::try_from(row.try_get::<i64, _>(column)?)
                    .map_err(|err| StorageError::corrupt("appeal_photo", appeal_id, err))
            };
            Ok(Photo {
                content_type: row.try_get("content_type")?,
                width: size("width")?,
                height: size("height")?,
                bytes: row.try_get("bytes")?,
            })
        })
        .transpose()
    }

    /// How many photos an appeal has.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn photo_count(&self, city: CityId, appeal_id: i64) -> Result<u32, StorageError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM appeal_photo WHERE city_id = $1 AND appeal_id = $2")
            .bind(city.0)
            .bind(appeal_id)
            .fetch_one(&self.pool)
            .await?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Counts one emergency diverted to 102/112/103 on `day` for `category`. Nothing else is kept.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn record_diversion(&self, city: CityId, category: &Code, day: NaiveDate) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO diversion_count (city_id, diverted_on, category_code, diversions) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (city_id, diverted_on, category_code) DO UPDATE SET diversions = diversion_count.diversions + 1",
        )
        .bind(city.0)
        .bind(date_text(day))
        .bind(category.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Diversion counts per day and category, oldest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn diversion_counts(&self, city: CityId) -> Result<Vec<(NaiveDate, Code, i64)>, StorageError> {
        let rows = sqlx::query(
            "SELECT diverted_on, category_code, diversions FROM diversion_count WHERE city_id = $1 ORDER BY diverted_on, category_code",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let day: String = row.try_get(0)?;
                let code: String = row.try_get(1)?;
                Ok((
                    parse_date("diversion_count", 0, &day)?,
                    Code::parse(&code).map_err(|err| StorageError::corrupt("diversion_count", &code, err))?,
                    row.try_get(2)?,
                ))
            })
            .collect()
    }

    /// The id of the appeal with this receipt number.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn appeal_id_by_receipt(&self, city: CityId, receipt: &str) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar("SELECT appeal_id FROM appeal WHERE city_id = $1 AND receipt = $2")
            .bind(city.0)
            .bind(receipt)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The appeal a tracking token belongs to.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn appeal_by_token(&self, city: CityId, token: &str) -> Result<Option<StoredAppeal>, StorageError> {
        let id: Option<i64> =
            sqlx::query_scalar("SELECT appeal_id FROM appeal WHERE city_id = $1 AND tracking_hash = $2")
                .bind(city.0)
                .bind(token_hash(token))
                .fetch_optional(&self.pool)
                .await?;
        match id {
            Some(id) => self.appeal(city, id).await,
            None => Ok(None),
        }
    }

    /// One appeal with its tasks and history.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn appeal(&self, city: CityId, appeal_id: i64) -> Result<Option<StoredAppeal>, StorageError> {
        let mut conn = self.pool.acquire().await?;
        load_appeal(&mut conn, city, appeal_id).await
    }

    /// The contact details of an appeal. Personal data: callers must check the reader may see them and audit the
    /// read.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn appeal_contact(
        &self,
        city: CityId,
        appeal_id: i64,
    ) -> Result<Option<sakshy_core::intake::Contact>, StorageError> {
        let row = sqlx::query("SELECT name, phone, email FROM appeal_contact WHERE city_id = $1 AND appeal_id = $2")
            .bind(city.0)
            .bind(appeal_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|row| {
            Ok(sakshy_core::intake::Contact {
                name: row.try_get("name")?,
                phone: row
                    .try_get::<Option<String>, _>("phone")?
                    .map(|p| Phone::parse(&p).map_err(|err| StorageError::corrupt("appeal_contact", appeal_id, err)))
                    .transpose()?,
                email: row.try_get("email")?,
            })
        })
        .transpose()
    }

    /// Applies a workflow step to an appeal in one transaction: reads it, lets `step` compute the next workflow,
    /// writes the changed tasks and appends the new history. `step` sees the appeal as stored.
    ///
    /// # Errors
    ///
    /// Whatever `step` returns, mapped by `map`; [`StorageError`] when the database fails. Nothing is written on
    /// any error.
    pub async fn update_appeal<E: From<StorageError>>(
        &self,
        city: CityId,
        appeal_id: i64,
        at_ms: i64,
        step: impl Fn(&StoredAppeal) -> Result<Appeal, E>,
    ) -> Result<StoredAppeal, E> {
        let mut tries = 0;
        loop {
            tries += 1;
            // Not `retrying!`: only storage errors are retried, never the step's own refusal.
            match self.try_update_appeal(city, appeal_id, at_ms, &step).await {
                Err(UpdateError::Storage(err)) if err.is_retryable() && tries < 3 => {
                    tokio::time::sleep(std::time::Duration::from_millis(20 * tries)).await;
                }
                Err(UpdateError::Storage(err)) => return Err(err.into()),
                Err(UpdateError::Step(err)) => return Err(err),
                Ok(appeal) => return Ok(appeal),
            }
        }
    }

    async fn try_update_appeal<E>(
        &self,
        city: CityId,
        appeal_id: i64,
        at_ms: i64,
        step: &impl Fn(&StoredAppeal) -> Result<Appeal, E>,
    ) -> Result<StoredAppeal, UpdateError<E>> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await.map_err(StorageError::from)?;
        let stored = load_appeal(&mut tx, city, appeal_id)
            .await?
            .ok_or_else(|| StorageError::NotFound { what: format!("appeal {appeal_id}") })?;
        let next = step(&stored).map_err(UpdateError::Step)?;
        write_workflow(&mut tx, city, appeal_id, &stored.workflow, &next, at_ms).await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(StoredAppeal { workflow: next, ..stored })
    }
}

enum UpdateError<E> {
    Storage(StorageError),
    Step(E),
}

impl<E> From<StorageError> for UpdateError<E> {
    fn from(err: StorageError) -> Self {
        UpdateError::Storage(err)
    }
}

/// Registrations waiting for a transaction, and the lead: whoever holds it writes the next batch.
#[derive(Debug, Default)]
pub(crate) struct IntakeQueue {
    queue: std::sync::Mutex<std::collections::VecDeque<Registration>>,
    leader: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// Transactions begun for more than one registration.
    batched: std::sync::atomic::AtomicU64,
}

/// One registration, owned, so that whichever task leads the batch can write it.
#[derive(Debug)]
struct Registration {
    city: CityId,
    receipt_prefix: String,
    new: NewAppeal,
    workflow: Appeal,
    quadrant_version_id: Option<i64>,
    synthetic: bool,
    /// The idempotency key and the request's digest.
    idempotency: Option<(String, String)>,
    photos: Vec<Photo>,
    media_urls: Vec<String>,
    at_ms: i64,
    reply: tokio::sync::oneshot::Sender<Result<AppealCreated, StorageError>>,
}

/// Writes one registration inside `tx`. `Ok(Err(Conflict))` when its idempotency key was used for another
/// request (nothing written); `Ok(Ok(replayed))` when it was used for this one.
async fn register(
    tx: &mut Transaction<'_, Any>,
    job: &Registration,
) -> Result<Result<AppealCreated, StorageError>, StorageError> {
    let city = job.city;
    if let Some((key, request_hash)) = &job.idempotency {
        let inserted = sqlx::query(
            "INSERT INTO idempotency_key (city_id, idem_key, request_hash, response, created_at) VALUES ($1, $2, $3, '', $4) \
             ON CONFLICT (city_id, idem_key) DO NOTHING",
        )
        .bind(city.0)
        .bind(key)
        .bind(request_hash)
        .bind(job.at_ms)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            let row =
                sqlx::query("SELECT request_hash, response FROM idempotency_key WHERE city_id = $1 AND idem_key = $2")
                    .bind(city.0)
                    .bind(key)
                    .fetch_one(&mut **tx)
                    .await?;
            let (hash, response): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if &hash != request_hash {
                return Ok(Err(StorageError::Conflict {
                    what: "a different request with this Idempotency-Key".to_owned(),
                }));
            }
            return Ok(replay(&response));
        }
    }
    let created = insert_appeal(
        tx,
        city,
        &job.receipt_prefix,
        &job.new,
        &job.workflow,
        job.quadrant_version_id,
        job.synthetic,
        job.at_ms,
    )
    .await?;
    for (photo_no, photo) in job.photos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO appeal_photo (city_id, appeal_id, photo_no, content_type, width, height, bytes) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(city.0)
        .bind(created.appeal_id)
        .bind(photo_no as i64)
        .bind(&photo.content_type)
        .bind(i64::from(photo.width))
        .bind(i64::from(photo.height))
        .bind(photo.bytes.clone())
        .execute(&mut **tx)
        .await?;
    }
    crate::open311::insert_media_urls(tx, city, created.appeal_id, &job.media_urls).await?;
    if let Some((key, _)) = &job.idempotency {
        let response = serde_json::json!({
            "appeal_id": created.appeal_id,
            "receipt": created.receipt,
            "tracking_token": created.tracking_token,
            "due_on": date_text(created.due_on),
        });
        sqlx::query("UPDATE idempotency_key SET response = $3 WHERE city_id = $1 AND idem_key = $2")
            .bind(city.0)
            .bind(key)
            .bind(response.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(Ok(created))
}

fn replay(response: &str) -> Result<AppealCreated, StorageError> {
    let corrupt = |reason: &str| StorageError::corrupt("idempotency_key", "response", reason);
    let value: serde_json::Value = serde_json::from_str(response).map_err(|_| corrupt("not JSON"))?;
    Ok(AppealCreated {
        appeal_id: value["appeal_id"].as_i64().ok_or_else(|| corrupt("appeal_id"))?,
        receipt: value["receipt"].as_str().ok_or_else(|| corrupt("receipt"))?.to_owned(),
        tracking_token: value["tracking_token"].as_str().ok_or_else(|| corrupt("tracking_token"))?.to_owned(),
        due_on: value["due_on"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .ok_or_else(|| corrupt("due_on"))?,
        replayed: true,
    })
}

#[expect(clippy::too_many_arguments, reason = "the parts of a registration, passed through from create_appeal")]
async fn insert_appeal(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    receipt_prefix: &str,
    new: &NewAppeal,
    workflow: &Appeal,
    quadrant_version_id: Option<i64>,
    synthetic: bool,
    at_ms: i64,
) -> Result<AppealCreated, StorageError> {
    let year = i64::from(chrono::Datelike::year(&workflow.clocks.registered_on));
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO receipt_counter (city_id, receipt_year, last_number) VALUES ($1, $2, 1) \
         ON CONFLICT (city_id, receipt_year) DO UPDATE SET last_number = receipt_counter.last_number + 1 \
         RETURNING last_number",
    )
    .bind(city.0)
    .bind(year)
    .fetch_one(&mut **tx)
    .await?;
    let receipt = format!("{receipt_prefix}-{year}-{number:06}");
    let tracking_token = new_token();
    let appeal_id = new_id();
    let submission = &new.submission;
    let point = new.location.point.map(|p| (p.x(), p.y()));
    sqlx::query(
        "INSERT INTO appeal (city_id, appeal_id, receipt, tracking_hash, category_code, track, description, search_key, lang, \
         channel, lon, lat, cell_key, address_text, police_point_code, quadrant_code, quadrant_version_id, district_code, \
         state, registered_on, due_on, redirect_by, extension_limit, answered_on, closed, erdr_reference, synthetic, \
         created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
         NULL, 0, NULL, $24, $25, $25)",
    )
    .bind(city.0)
    .bind(appeal_id)
    .bind(&receipt)
    .bind(token_hash(&tracking_token))
    .bind(submission.category.as_str())
    .bind(new.track.as_str())
    .bind(&submission.description)
    .bind(format!("{} {}", receipt.to_lowercase(), submission.description.to_lowercase()))
    .bind(submission.lang.code())
    .bind(submission.channel.as_str())
    .bind(point.map(|p| p.0))
    .bind(point.map(|p| p.1))
    .bind(point.map(|(lon, lat)| cell_key(lon, lat)))
    .bind(new.location.address.as_deref())
    .bind(new.location.police_point.as_ref().map(Code::as_str))
    .bind(new.location.quadrant.as_ref().map(Code::as_str))
    .bind(quadrant_version_id)
    .bind(new.location.district.as_ref().map(Code::as_str))
    .bind(workflow.state().as_str())
    .bind(date_text(workflow.clocks.registered_on))
    .bind(date_text(workflow.due()))
    .bind(date_text(workflow.clocks.redirect_by))
    .bind(date_text(workflow.clocks.extension_limit))
    .bind(i64::from(synthetic))
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    if let Some(contact) = &submission.contact {
        sqlx::query(
            "INSERT INTO appeal_contact (city_id, appeal_id, name, phone, email, consent_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(city.0)
        .bind(appeal_id)
        .bind(contact.name.as_deref())
        .bind(contact.phone.as_ref().map(Phone::as_str))
        .bind(contact.email.as_deref())
        .bind(at_ms)
        .execute(&mut **tx)
        .await?;
    }
    // The appeal row was inserted with the workflow's derived columns already: only the tasks, the first history
    // and the notices remain, and the notices need no look-up of what is at hand.
    let empty = Appeal { tasks: Vec::new(), history: Vec::new(), ..workflow.clone() };
    write_tasks_and_history(tx, city, appeal_id, &empty, workflow).await?;
    let known = crate::outbox::Addressee {
        receipt: receipt.clone(),
        lang: submission.lang.code().to_owned(),
        email: submission.contact.as_ref().and_then(|c| c.email.clone()),
    };
    crate::outbox::enqueue(tx, city, appeal_id, None, workflow, at_ms, Some(known)).await?;
    Ok(AppealCreated { appeal_id, receipt, tracking_token, due_on: workflow.due(), replayed: false })
}

/// Writes the difference between two workflows of one appeal: new and changed tasks, the appended history,
/// the appeal's derived columns and the notices the move calls for. History rows are only ever inserted.
async fn write_workflow(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    appeal_id: i64,
    before: &Appeal,
    after: &Appeal,
    at_ms: i64,
) -> Result<(), StorageError> {
    write_tasks_and_history(tx, city, appeal_id, before, after).await?;
    sqlx::query(
        "UPDATE appeal SET state = $3, due_on = $4, answered_on = $5, closed = $6, updated_at = $7 WHERE city_id = $1 AND appeal_id = $2",
    )
    .bind(city.0)
    .bind(appeal_id)
    .bind(after.state().as_str())
    .bind(date_text(after.due()))
    .bind(after.answered_on.map(date_text))
    .bind(i64::from(after.closed))
    .bind(at_ms)
    .execute(&mut **tx)
    .await?;
    // The notifications go into the outbox in this same transaction: either the move and its notices are
    // stored, or neither is.
    let before = if before.history.is_empty() { None } else { Some(before) };
    crate::outbox::enqueue(tx, city, appeal_id, before, after, at_ms, None).await?;
    Ok(())
}

/// Inserts the new tasks and history events of `after` and updates the changed tasks.
async fn write_tasks_and_history(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    appeal_id: i64,
    before: &Appeal,
    after: &Appeal,
) -> Result<(), StorageError> {
    debug_assert!(after.history.starts_with(&before.history), "history is append-only");
    for (task_no, task) in after.tasks.iter().enumerate() {
        match before.tasks.get(task_no) {
            Some(old) if old == task => {}
            Some(_) => {
                sqlx::query(
                    "UPDATE appeal_task SET state = $4, due_on = $5, assignee = $6 WHERE city_id = $1 AND appeal_id = $2 AND task_no = $3",
                )
                .bind(city.0)
                .bind(appeal_id)
                .bind(task_no as i64)
                .bind(task.state.as_str())
                .bind(date_text(task.due))
                .bind(task.assignee.as_ref().map(Code::as_str))
                .execute(&mut **tx)
                .await?;
            }
            None => {
                sqlx::query(
                    "INSERT INTO appeal_task (city_id, appeal_id, task_no, agency_code, state, due_on, redirected_from, assignee) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(city.0)
                .bind(appeal_id)
                .bind(task_no as i64)
                .bind(task.agency.as_str())
                .bind(task.state.as_str())
                .bind(date_text(task.due))
                .bind(task.redirected_from.as_ref().map(Code::as_str))
                .bind(task.assignee.as_ref().map(Code::as_str))
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    for (event_no, event) in after.history.iter().enumerate().skip(before.history.len()) {
        sqlx::query(
            "INSERT INTO appeal_event (city_id, appeal_id, event_no, happened_at, actor, action, agency_code, from_state, \
             to_state, public_comment, internal_comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL)",
        )
        .bind(city.0)
        .bind(appeal_id)
        .bind(event_no as i64)
        .bind(event.at_ms)
        .bind(&event.actor)
        .bind(event.action)
        .bind(event.agency.as_ref().map(Code::as_str))
        .bind(event.from.map(TaskState::as_str))
        .bind(event.to.map(TaskState::as_str))
        .bind(event.public_comment.as_deref())
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn load_appeal(
    conn: &mut sqlx::AnyConnection,
    city: CityId,
    appeal_id: i64,
) -> Result<Option<StoredAppeal>, StorageError> {
    let Some(row) = sqlx::query(
        "SELECT receipt, category_code, track, description, lang, channel, lon, lat, address_text, police_point_code, \
         quadrant_code, quadrant_version_id, district_code, registered_on, due_on, redirect_by, extension_limit, answered_on, \
         closed, erdr_reference, synthetic, created_at FROM appeal WHERE city_id = $1 AND appeal_id = $2",
    )
    .bind(city.0)
    .bind(appeal_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let tasks = sqlx::query(
        "SELECT agency_code, state, due_on, redirected_from, assignee FROM appeal_task WHERE city_id = $1 AND appeal_id = $2 ORDER BY task_no",
    )
    .bind(city.0)
    .bind(appeal_id)
    .fetch_all(&mut *conn)
    .await?;
    let events = sqlx::query(
        "SELECT happened_at, actor, action, agency_code, from_state, to_state, public_comment FROM appeal_event \
         WHERE city_id = $1 AND appeal_id = $2 ORDER BY event_no",
    )
    .bind(city.0)
    .bind(appeal_id)
    .fetch_all(&mut *conn)
    .await?;
    appeal_from_rows(appeal_id, &row, &tasks, &events).map(Some)
}

fn appeal_from_rows(
    appeal_id: i64,
    row: &AnyRow,
    tasks: &[AnyRow],
    events: &[AnyRow],
) -> Result<StoredAppeal, StorageError> {
    let corrupt = |reason: String| StorageError::corrupt("appeal", appeal_id, reason);
    let text = |column: &str| -> Result<String, StorageError> { Ok(row.try_get::<String, _>(column)?) };
    let code = |value: Option<String>| -> Result<Option<Code>, StorageError> {
        value.map(|v| Code::parse(&v).map_err(|err| StorageError::corrupt("appeal", appeal_id, err))).transpose()
    };
    let date = |column: &str| -> Result<NaiveDate, StorageError> { parse_date("appeal", appeal_id, &text(column)?) };
    let clocks = Clocks {
        registered_on: date("registered_on")?,
        due: date("due_on")?,
        redirect_by: date("redirect_by")?,
        extension_limit: date("extension_limit")?,
    };
    let tasks = tasks
        .iter()
        .map(|task| {
            let agency: String = task.try_get("agency_code")?;
            Ok(Task {
                agency: Code::parse(&agency).map_err(|err| corrupt(err.to_string()))?,
                state: parse_state(appeal_id, &task.try_get::<String, _>("state")?)?,
                due: parse_date("appeal_task", appeal_id, &task.try_get::<String, _>("due_on")?)?,
                redirected_from: code(task.try_get("redirected_from")?)?,
                assignee: code(task.try_get("assignee")?)?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let history = events
        .iter()
        .map(|event| {
            let state = |column: &str| -> Result<Option<TaskState>, StorageError> {
                event.try_get::<Option<String>, _>(column)?.map(|s| parse_state(appeal_id, &s)).transpose()
            };
            Ok(Event {
                at_ms: event.try_get("happened_at")?,
                actor: event.try_get("actor")?,
                action: leak_action(&event.try_get::<String, _>("action")?),
                agency: code(event.try_get("agency_code")?)?,
                from: state("from_state")?,
                to: state("to_state")?,
                public_comment: event.try_get("public_comment")?,
            })
        })
        .collect::<Result<Vec<_>, StorageError>>()?;
    let lon: Option<f64> = row.try_get("lon")?;
    let lat: Option<f64> = row.try_get("lat")?;
    let workflow = Appeal {
        quadrant: code(row.try_get("quadrant_code")?)?,
        district: code(row.try_get("district_code")?)?,
        tasks,
        clocks,
        answered_on: row
            .try_get::<Option<String>, _>("answered_on")?
            .map(|d| parse_date("appeal", appeal_id, &d))
            .transpose()?,
        closed: row.try_get::<i64, _>("closed")? != 0,
        history,
    };
    Ok(StoredAppeal {
        appeal_id,
        receipt: text("receipt")?,
        category: Code::parse(&text("category_code")?).map_err(|err| corrupt(err.to_string()))?,
        track: LegalTrack::from_str(&text("track")?).map_err(|err| corrupt(err.to_string()))?,
        description: text("description")?,
        lang: text("lang")?.parse().map_err(|err: sakshy_core::lang::UnknownLang| corrupt(err.to_string()))?,
        channel: text("channel")?,
        point: lon.zip(lat),
        address: row.try_get("address_text")?,
        police_point: code(row.try_get("police_point_code")?)?,
        quadrant_version_id: row.try_get("quadrant_version_id")?,
        erdr_reference: row.try_get("erdr_reference")?,
        synthetic: row.try_get::<i64, _>("synthetic")? != 0,
        workflow,
        created_at_ms: row.try_get("created_at")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_26_base32_characters_and_differ() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 26);
        assert!(a.chars().all(|c| c.is_ascii_lowercase() || ('2'..='7').contains(&c)), "{a}");
        assert_ne!(a, b);
        assert_eq!(token_hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn the_cells_around_a_point_cover_its_radius() {
        let cells = cells_around(69.6103, 42.29871, 150.0);
        // 150 m is under one cell each way: 3 × 3 cells plus a margin of one cell on each side.
        assert_eq!(cells.len(), 25);
        assert!(cells.contains(&cell_key(69.6103, 42.29871)));
        assert!(cells.contains(&cell_key(69.6103 + 0.0018, 42.29871 + 0.0013)), "a point ~150 m north-east");
    }

    #[test]
    fn nearby_points_share_or_neighbour_a_cell() {
        assert_eq!(cell_key(69.6103, 42.29871), "21149:34805");
        assert_eq!(cell_key(69.6104, 42.29872), cell_key(69.6103, 42.29871));
    }
}
