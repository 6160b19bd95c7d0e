//! Open311's mySociety extensions: the public steps of appeals' histories for `servicerequestupdates`, each with
//! the appeal's state right after it (replayed from the stored history by the core), and the media URLs a client
//! sent with a request — references for staff, never fetched and never shown publicly.
//!
//! Nothing here reads an internal comment, an actor or a contact: the queries do not select them.

use std::collections::{BTreeSet, HashMap};

use sakshy_core::Code;
use sakshy_core::workflow::{Appeal, AppealState, EVENT_ACTIONS, Event, TaskState};
use sqlx::Row;

use crate::{CityId, StorageError, Store};

/// The history actions published as updates. `assign` (it names an officer) and `escalate` (a supervisor's
/// alert) stay internal.
pub const PUBLIC_ACTIONS: [&str; 9] =
    ["register", "accept", "start", "extend", "answer", "redirect", "reject", "reopen", "close"];

/// The most updates one call of [`Store::request_updates`] returns.
pub const MAX_REQUEST_UPDATES: u32 = 1_000;

/// How many appeals' histories are read per query (a bound on the number of placeholders).
const HISTORY_CHUNK: usize = 500;

/// One public step of an appeal's history, as Open311 clients are told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUpdate {
    /// The store's id of the appeal.
    pub appeal_id: i64,
    /// The appeal's receipt number (its Open311 `service_request_id`).
    pub receipt: String,
    /// The event's number in the appeal's history, 0-based: with the receipt, a stable id of the update.
    pub event_no: u32,
    /// When it happened, UTC epoch milliseconds.
    pub at_ms: i64,
    /// What happened: one of [`PUBLIC_ACTIONS`].
    pub action: &'static str,
    /// The agency whose task moved, if one did.
    pub agency: Option<Code>,
    /// The comment written for the resident, if any (for `reopen`, the resident's own words).
    pub public_comment: Option<String>,
    /// The state of the appeal as a whole right after this event.
    pub state: AppealState,
}

fn action_name(table: &'static str, key: i64, text: &str) -> Result<&'static str, StorageError> {
    EVENT_ACTIONS.into_iter().find(|known| *known == text).ok_or_else(|| StorageError::corrupt(table, key, text))
}

fn task_state(key: i64, text: Option<String>) -> Result<Option<TaskState>, StorageError> {
    text.map(|text| {
        TaskState::ALL
            .into_iter()
            .find(|state| state.as_str() == text)
            .ok_or_else(|| StorageError::corrupt("appeal_event", key, text))
    })
    .transpose()
}

/// Inserts the media URLs of an appeal, numbered from 0. Meant for the registration's own transaction.
pub(crate) async fn insert_media_urls(
    conn: &mut sqlx::AnyConnection,
    city: CityId,
    appeal_id: i64,
    urls: &[String],
) -> Result<(), StorageError> {
    for (url_no, url) in urls.iter().enumerate() {
        sqlx::query("INSERT INTO appeal_media_url (city_id, appeal_id, url_no, url) VALUES ($1, $2, $3, $4)")
            .bind(city.0)
            .bind(appeal_id)
            .bind(url_no as i64)
            .bind(url)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

impl Store {
    /// The public steps ([`PUBLIC_ACTIONS`]) of every appeal's history that happened in `[from_ms, to_ms)`, oldest
    /// first (then by appeal and event number), at most `limit` of them (and never more than
    /// [`MAX_REQUEST_UPDATES`]). A caller that gets a full page asks again from the time of the last one.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a row is corrupt.
    pub async fn request_updates(
        &self,
        city: CityId,
        from_ms: i64,
        to_ms: i64,
        limit: u32,
    ) -> Result<Vec<RequestUpdate>, StorageError> {
        let limit = limit.clamp(1, MAX_REQUEST_UPDATES);
        let actions: Vec<String> = PUBLIC_ACTIONS.iter().map(|action| format!("'{action}'")).collect();
        let sql = format!(
            "SELECT e.appeal_id, e.event_no, e.happened_at, e.action, e.agency_code, e.public_comment, a.receipt \
             FROM appeal_event e JOIN appeal a ON a.city_id = e.city_id AND a.appeal_id = e.appeal_id \
             WHERE e.city_id = $1 AND e.happened_at >= $2 AND e.happened_at < $3 AND e.action IN ({}) \
             ORDER BY e.happened_at, e.appeal_id, e.event_no LIMIT {limit}",
            actions.join(", ")
        );
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(from_ms).bind(to_ms).fetch_all(&self.pool).await?;
        let appeals: BTreeSet<i64> =
            rows.iter().map(|row| row.try_get::<i64, _>("appeal_id")).collect::<Result<_, _>>()?;
        let states = self.states_along(city, &appeals.into_iter().collect::<Vec<_>>()).await?;
        rows.iter()
            .map(|row| {
                let appeal_id: i64 = row.try_get("appeal_id")?;
                let event_no: i64 = row.try_get("event_no")?;
                let state = usize::try_from(event_no)
                    .ok()
                    .and_then(|n| states.get(&appeal_id)?.get(n).copied())
                    .ok_or_else(|| StorageError::corrupt("appeal_event", appeal_id, "history has a gap"))?;
                Ok(RequestUpdate {
                    appeal_id,
                    receipt: row.try_get("receipt")?,
                    event_no: u32::try_from(event_no)
                        .map_err(|err| StorageError::corrupt("appeal_event", appeal_id, err))?,
                    at_ms: row.try_get("happened_at")?,
                    action: action_name("appeal_event", appeal_id, &row.try_get::<String, _>("action")?)?,
                    agency: row
                        .try_get::<Option<String>, _>("agency_code")?
                        .map(|c| Code::parse(&c).map_err(|err| StorageError::corrupt("appeal_event", appeal_id, err)))
                        .transpose()?,
                    public_comment: row.try_get("public_comment")?,
                    state,
                })
            })
            .collect()
    }

    /// The state of each appeal after each event of its history, by event number.
    async fn states_along(
        &self,
        city: CityId,
        appeals: &[i64],
    ) -> Result<HashMap<i64, Vec<AppealState>>, StorageError> {
        let mut histories: HashMap<i64, Vec<Event>> = HashMap::new();
        for chunk in appeals.chunks(HISTORY_CHUNK) {
            let placeholders: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT appeal_id, event_no, happened_at, action, agency_code, to_state FROM appeal_event \
                 WHERE city_id = $1 AND appeal_id IN ({}) ORDER BY appeal_id, event_no",
                placeholders.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
            for id in chunk {
                query = query.bind(*id);
            }
            for row in query.fetch_all(&self.pool).await? {
                let appeal_id: i64 = row.try_get("appeal_id")?;
                let history = histories.entry(appeal_id).or_default();
                if row.try_get::<i64, _>("event_no")? != history.len() as i64 {
                    return Err(StorageError::corrupt("appeal_event", appeal_id, "history has a gap"));
                }
                // Only what the replay reads: never the actor or a comment.
                history.push(Event {
                    at_ms: row.try_get("happened_at")?,
                    actor: String::new(),
                    action: action_name("appeal_event", appeal_id, &row.try_get::<String, _>("action")?)?,
                    agency: row
                        .try_get::<Option<String>, _>("agency_code")?
                        .map(|c| Code::parse(&c).map_err(|err| StorageError::corrupt("appeal_event", appeal_id, err)))
                        .transpose()?,
                    from: None,
                    to: task_state(appeal_id, row.try_get("to_state")?)?,
                    public_comment: None,
                });
            }
        }
        Ok(histories.into_iter().map(|(id, history)| (id, Appeal::states_along(&history))).collect())
    }

    /// The media URLs a client sent with an appeal, in the order sent. For staff: they are references to
    /// someone else's copies of photos, which may show people.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn media_urls(&self, city: CityId, appeal_id: i64) -> Result<Vec<String>, StorageError> {
        Ok(sqlx::query_scalar("SELECT url FROM appeal_media_url WHERE city_id = $1 AND appeal_id = $2 ORDER BY url_no")
            .bind(city.0)
            .bind(appeal_id)
            .fetch_all(&self.pool)
            .await?)
    }
}
