//! Pilot evaluations: the stored design (pilot and control quadrants, start, displacement buffer) and the reads the
//! evaluation's monthly panels need that no other module gives, the timing of appeals (filed, first answered, due).
//!
//! The estimators live in the core; this module only stores and reads.

use std::collections::HashMap;

use chrono::{Days, NaiveDate, TimeZone};
use sakshy_core::Code;
use sakshy_core::workflow::{Appeal, AppealState, EVENT_ACTIONS, Event, TaskState};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::survey::{SurveyStoreError, date_text, parse_date};
use crate::{CityId, StorageError, Store, retrying};

/// The design of a pilot evaluation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvaluationDesign {
    /// The evaluation's code, unique in the city.
    pub code: String,
    /// The analyst's name for it, in any language.
    pub title: String,
    /// The pilot's quadrant codes.
    pub pilot: Vec<String>,
    /// The control quadrants' codes.
    pub control: Vec<String>,
    /// The day the pilot started.
    pub start: NaiveDate,
    /// The width of the ring around the pilot in which displacement is measured, in metres.
    pub buffer_metres: u32,
    /// When the design was last saved, UTC epoch milliseconds.
    pub updated_at_ms: i64,
}

/// What is wrong with an evaluation design.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvaluationProblem {
    /// The code is empty.
    #[error("the field code is empty")]
    BlankCode,
    /// No pilot quadrant is named.
    #[error("the field pilot names no quadrant")]
    NoPilot,
    /// No control quadrant is named.
    #[error("the field control names no quadrant")]
    NoControl,
    /// A quadrant is both pilot and control.
    #[error("quadrant {0} is in both pilot and control")]
    InBoth(String),
}

/// When an appeal was filed, first answered and due: what the evaluation's monthly panels count (appeals, median
/// time to answer, overdue share).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealTiming {
    /// The appeal's id.
    pub appeal_id: i64,
    /// The quadrant code it was filed in.
    pub quadrant: Option<String>,
    /// The district code it was filed in.
    pub district: Option<String>,
    /// When it was filed, UTC epoch milliseconds.
    pub filed_at_ms: i64,
    /// When the appeal first reached the answered state (every live task answered or rejected, at least one
    /// answered), replayed from its history; `None` if it never did. A later reopening does not move it.
    pub answered_at_ms: Option<i64>,
    /// When the appeal first reached the rejected state (every live task rejected), if it did: it was settled
    /// without an answer, and is neither answered nor late.
    pub rejected_at_ms: Option<i64>,
    /// The legal deadline: the latest due day among its tasks (redirected ones aside), extensions included. (The
    /// appeal's own due column falls back to the original date once no task is open, which would make an extended
    /// appeal answered on time look late.)
    pub due_on: NaiveDate,
    /// The end of the due day in the city's time zone, UTC epoch milliseconds (exclusive): answered before it is on
    /// time; not answered by it, or answered at or after it, is overdue. `None` if that local midnight does not
    /// exist.
    pub due_at_ms: Option<i64>,
    /// Whether the appeal is generated (the demo's).
    pub synthetic: bool,
}

impl Store {
    /// Saves an evaluation design, replacing the one with its code. Quadrant codes are kept sorted, each once.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::EvaluationInvalid`] when the code is empty, pilot or control is empty, or a quadrant is
    /// in both; [`SurveyStoreError::Storage`] when the database fails.
    pub async fn save_evaluation(&self, city: CityId, design: &EvaluationDesign) -> Result<(), SurveyStoreError> {
        let invalid = SurveyStoreError::EvaluationInvalid;
        let code = design.code.trim();
        if code.is_empty() {
            return Err(invalid(EvaluationProblem::BlankCode));
        }
        let pilot = quadrant_list(&design.pilot);
        let control = quadrant_list(&design.control);
        if pilot.is_empty() {
            return Err(invalid(EvaluationProblem::NoPilot));
        }
        if control.is_empty() {
            return Err(invalid(EvaluationProblem::NoControl));
        }
        if let Some(both) = pilot.iter().find(|quadrant| control.contains(quadrant)) {
            return Err(invalid(EvaluationProblem::InBoth(both.clone())));
        }
        let (pilot, control) = (serde_json::json!(pilot).to_string(), serde_json::json!(control).to_string());
        let _turn = self.write_turn().await;
        retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                sqlx::query(
                    "INSERT INTO evaluation_design (city_id, code, title, pilot, control, start_on, buffer_metres, \
                     updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (city_id, code) DO UPDATE SET \
                     title = excluded.title, pilot = excluded.pilot, control = excluded.control, \
                     start_on = excluded.start_on, buffer_metres = excluded.buffer_metres, updated_at = excluded.updated_at",
                )
                .bind(city.0)
                .bind(code)
                .bind(design.title.trim())
                .bind(&pilot)
                .bind(&control)
                .bind(date_text(design.start))
                .bind(i64::from(design.buffer_metres))
                .bind(design.updated_at_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<(), StorageError>(())
            }
            .await
        )?;
        Ok(())
    }

    /// Every evaluation design of a city, by code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored row is corrupt.
    pub async fn evaluations(&self, city: CityId) -> Result<Vec<EvaluationDesign>, StorageError> {
        let rows = sqlx::query(
            "SELECT code, title, pilot, control, start_on, buffer_metres, updated_at FROM evaluation_design \
             WHERE city_id = $1 ORDER BY code",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        let mut designs = rows.iter().map(design_from_row).collect::<Result<Vec<_>, _>>()?;
        designs.sort_by(|a, b| a.code.cmp(&b.code));
        Ok(designs)
    }

    /// One evaluation design by code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or the stored row is corrupt.
    pub async fn evaluation(&self, city: CityId, code: &str) -> Result<Option<EvaluationDesign>, StorageError> {
        let row = sqlx::query(
            "SELECT code, title, pilot, control, start_on, buffer_metres, updated_at FROM evaluation_design \
             WHERE city_id = $1 AND code = $2",
        )
        .bind(city.0)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(design_from_row).transpose()
    }

    /// The timing of every appeal filed in `[from_ms, to_ms)` (UTC epoch milliseconds), oldest first: where, when
    /// filed, when first answered (replayed from the history with [`Appeal::states_along`]) and when due.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored row is corrupt; [`StorageError::NotFound`] when the
    /// city is not the one this database serves.
    pub async fn appeal_timings(
        &self,
        city: CityId,
        from_ms: i64,
        to_ms: i64,
    ) -> Result<Vec<AppealTiming>, StorageError> {
        const FILED: &str = "a.city_id = $1 AND a.created_at >= $2 AND a.created_at < $3";
        let appeals = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT a.appeal_id, a.quadrant_code, a.district_code, a.created_at, a.due_on, a.synthetic FROM appeal a \
             WHERE {FILED} ORDER BY a.created_at, a.appeal_id"
        )))
        .bind(city.0)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        if appeals.is_empty() {
            return Ok(Vec::new());
        }
        let zone = match self.city().await? {
            Some((id, stored, _)) if id == city => stored.timezone,
            _ => return Err(StorageError::NotFound { what: format!("city {}", city.0) }),
        };

        let mut histories: HashMap<i64, Vec<Event>> = HashMap::new();
        let events = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT e.appeal_id, e.event_no, e.happened_at, e.actor, e.action, e.agency_code, e.from_state, e.to_state \
             FROM appeal_event e JOIN appeal a ON a.city_id = e.city_id AND a.appeal_id = e.appeal_id \
             WHERE {FILED} ORDER BY e.appeal_id, e.event_no"
        )))
        .bind(city.0)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        for row in &events {
            let appeal_id: i64 = row.try_get("appeal_id")?;
            histories.entry(appeal_id).or_default().push(event_from_row(appeal_id, row)?);
        }

        let mut due_days: HashMap<i64, NaiveDate> = HashMap::new();
        let tasks = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT t.appeal_id, MAX(t.due_on) AS due_on FROM appeal_task t \
             JOIN appeal a ON a.city_id = t.city_id AND a.appeal_id = t.appeal_id \
             WHERE {FILED} AND t.state <> 'redirected' GROUP BY t.appeal_id"
        )))
        .bind(city.0)
        .bind(from_ms)
        .bind(to_ms)
        .fetch_all(&self.pool)
        .await?;
        for row in &tasks {
            let appeal_id: i64 = row.try_get("appeal_id")?;
            let due: String = row.try_get("due_on")?;
            due_days.insert(appeal_id, parse_date("appeal_task", appeal_id, &due)?);
        }

        appeals
            .iter()
            .map(|row| {
                let appeal_id: i64 = row.try_get("appeal_id")?;
                let history = histories.remove(&appeal_id).unwrap_or_default();
                let states = Appeal::states_along(&history);
                let first = |wanted: AppealState| {
                    states.iter().zip(&history).find(|(state, _)| **state == wanted).map(|(_, event)| event.at_ms)
                };
                let due_on = match due_days.get(&appeal_id) {
                    Some(day) => *day,
                    None => parse_date("appeal", appeal_id, &row.try_get::<String, _>("due_on")?)?,
                };
                let due_at_ms = due_on
                    .checked_add_days(Days::new(1))
                    .and_then(|next| zone.from_local_datetime(&next.and_time(chrono::NaiveTime::MIN)).earliest())
                    .map(|instant| instant.timestamp_millis());
                Ok(AppealTiming {
                    appeal_id,
                    quadrant: row.try_get("quadrant_code")?,
                    district: row.try_get("district_code")?,
                    filed_at_ms: row.try_get("created_at")?,
                    answered_at_ms: first(AppealState::Answered),
                    rejected_at_ms: first(AppealState::Rejected),
                    due_on,
                    due_at_ms,
                    synthetic: row.try_get::<i64, _>("synthetic")? != 0,
                })
            })
            .collect()
    }
}

/// The codes of a list, trimmed, sorted, each once, empty ones left out.
fn quadrant_list(codes: &[String]) -> Vec<String> {
    let mut list: Vec<String> =
        codes.iter().map(|code| code.trim().to_owned()).filter(|code| !code.is_empty()).collect();
    list.sort();
    list.dedup();
    list
}

fn design_from_row(row: &AnyRow) -> Result<EvaluationDesign, StorageError> {
    let code: String = row.try_get("code")?;
    let list = |column: &str| -> Result<Vec<String>, StorageError> {
        let text: String = row.try_get(column)?;
        serde_json::from_str(&text).map_err(|err| StorageError::corrupt("evaluation_design", &code, err))
    };
    let buffer: i64 = row.try_get("buffer_metres")?;
    Ok(EvaluationDesign {
        title: row.try_get("title")?,
        pilot: list("pilot")?,
        control: list("control")?,
        start: parse_date("evaluation_design", &code, &row.try_get::<String, _>("start_on")?)?,
        buffer_metres: u32::try_from(buffer).map_err(|err| StorageError::corrupt("evaluation_design", &code, err))?,
        updated_at_ms: row.try_get("updated_at")?,
        code,
    })
}

/// One history event as [`Appeal::states_along`] reads it (comments are not needed and not read).
fn event_from_row(appeal_id: i64, row: &AnyRow) -> Result<Event, StorageError> {
    let corrupt = |reason: String| StorageError::corrupt("appeal_event", appeal_id, reason);
    let action: String = row.try_get("action")?;
    let action = EVENT_ACTIONS.into_iter().find(|known| *known == action).ok_or_else(|| corrupt(action.clone()))?;
    let state = |column: &str| -> Result<Option<TaskState>, StorageError> {
        match row.try_get::<Option<String>, _>(column)? {
            None => Ok(None),
            Some(text) => {
                TaskState::ALL.into_iter().find(|state| state.as_str() == text).map(Some).ok_or_else(|| corrupt(text))
            }
        }
    };
    let agency = match row.try_get::<Option<String>, _>("agency_code")? {
        None => None,
        Some(text) => Some(Code::parse(&text).map_err(|err| corrupt(err.to_string()))?),
    };
    Ok(Event {
        at_ms: row.try_get("happened_at")?,
        actor: row.try_get("actor")?,
        action,
        agency,
        from: state("from_state")?,
        to: state("to_state")?,
        public_comment: None,
    })
}
