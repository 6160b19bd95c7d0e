//! Surveys of the population: instruments (questionnaires kept as the JSON their author wrote, one row per code and
//! version, never changed once saved), waves (rounds of collection, open to anyone or by invitation), invitation
//! tokens (stored only as hashes, one response each), responses (answers as a JSON object, checked and scrubbed by
//! the caller) and the population margins survey weights are raked to.
//!
//! Nothing here reads an instrument or an answer: the core does. Every write is one transaction; a response and the
//! use of its invitation token are written together or not at all.

use std::collections::HashSet;

use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::appeal::token_hash;
use crate::id::new_id;
use crate::{CityId, StorageError, Store, retrying};

/// The most invitation tokens one call of [`Store::issue_invitations`] makes.
pub const MAX_INVITATIONS_PER_CALL: usize = 10_000;

/// Tokens per `INSERT` statement when invitations are issued.
const INVITATION_BATCH: usize = 500;

/// An instrument version as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredInstrument {
    /// Row id; waves refer to it.
    pub id: i64,
    /// The instrument's code (e.g. `service-model`).
    pub code: String,
    /// The version, as its author named it.
    pub version: String,
    /// The definition, JSON text as saved.
    pub definition: String,
    /// When it was saved, UTC epoch milliseconds.
    pub created_at_ms: i64,
}

/// Who may answer a wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaveAccess {
    /// Anyone (the web applies rate limits and a honeypot).
    Open,
    /// Only holders of an invitation token, one response per token.
    Invitation,
}

impl WaveAccess {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WaveAccess::Open => "open",
            WaveAccess::Invitation => "invitation",
        }
    }

    /// The access named `text` ([`WaveAccess::as_str`]), if any.
    pub fn parse(text: &str) -> Option<WaveAccess> {
        [WaveAccess::Open, WaveAccess::Invitation].into_iter().find(|access| access.as_str() == text)
    }
}

/// Where a wave stands: `Draft` → `Open` → `Closed`, and `Closed` → `Open` to reopen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WaveStatus {
    /// Being prepared: takes no responses.
    Draft,
    /// Takes responses.
    Open,
    /// Takes no more responses from the web; late field data can still be imported.
    Closed,
}

impl WaveStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            WaveStatus::Draft => "draft",
            WaveStatus::Open => "open",
            WaveStatus::Closed => "closed",
        }
    }

    /// The status named `text` ([`WaveStatus::as_str`]), if any.
    pub fn parse(text: &str) -> Option<WaveStatus> {
        [WaveStatus::Draft, WaveStatus::Open, WaveStatus::Closed].into_iter().find(|status| status.as_str() == text)
    }
}

/// A wave to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewWave<'a> {
    /// The wave's code, unique in the city (e.g. `2026-spring`).
    pub code: &'a str,
    /// The instrument version it uses ([`StoredInstrument::id`]).
    pub instrument_id: i64,
    /// The analyst's name for it, in any language.
    pub title: &'a str,
    /// Who may answer.
    pub access: WaveAccess,
    /// The first day of collection.
    pub opens_on: NaiveDate,
    /// The last day of collection (on or after `opens_on`).
    pub closes_on: NaiveDate,
    /// Whether its responses are generated (the demo's), to be labelled wherever shown.
    pub synthetic: bool,
}

/// A wave as stored, with its counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredWave {
    /// Row id.
    pub id: i64,
    /// The wave's code.
    pub code: String,
    /// The analyst's name for it.
    pub title: String,
    /// The instrument version it uses.
    pub instrument_id: i64,
    /// Who may answer.
    pub access: WaveAccess,
    /// Where it stands.
    pub status: WaveStatus,
    /// The first day of collection.
    pub opens_on: NaiveDate,
    /// The last day of collection.
    pub closes_on: NaiveDate,
    /// Whether its responses are generated.
    pub synthetic: bool,
    /// Responses stored.
    pub responses: i64,
    /// Invitation tokens issued.
    pub invitations: i64,
    /// Invitation tokens used.
    pub invitations_used: i64,
}

/// What an invitation token is, for a wave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationState {
    /// Not a token of this wave.
    Unknown,
    /// Issued for this wave and not used yet.
    Unused,
    /// Used: the wave has its response.
    Used,
}

/// How a response reached Sakshy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// The public web form.
    Web,
    /// Entered by an enumerator (a staff user) on a phone.
    Enumerator,
    /// Imported from a KoboToolbox/ODK export.
    Import,
    /// Generated (the demo's).
    Synthetic,
}

impl Channel {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Enumerator => "enumerator",
            Channel::Import => "import",
            Channel::Synthetic => "synthetic",
        }
    }

    /// The channel named `text` ([`Channel::as_str`]), if any.
    pub fn parse(text: &str) -> Option<Channel> {
        [Channel::Web, Channel::Enumerator, Channel::Import, Channel::Synthetic]
            .into_iter()
            .find(|channel| channel.as_str() == text)
    }

    /// Whether a response through this channel needs an invitation token in an invitation wave: from the web and
    /// the generator it does; an enumerator's entry is vouched for by the staff user who made it, and an import by
    /// the analyst who ran it.
    fn needs_token(self) -> bool {
        matches!(self, Channel::Web | Channel::Synthetic)
    }
}

/// A response to store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewResponse<'a> {
    /// How it arrived.
    pub channel: Channel,
    /// The invitation token it came with (the web form's); never stored with the response.
    pub token: Option<&'a str>,
    /// Its id in the system it was imported from (KoboToolbox `_uuid`, ODK `instanceID`): unique in the wave.
    pub source_id: Option<&'a str>,
    /// The respondent's quadrant code (from their location or their choice).
    pub quadrant: Option<&'a str>,
    /// The respondent's district code.
    pub district: Option<&'a str>,
    /// The respondent's age band, as the instrument names it.
    pub age_band: Option<&'a str>,
    /// The respondent's sex, as the instrument names it.
    pub sex: Option<&'a str>,
    /// The answers: a JSON object, already checked against the instrument and scrubbed of personal data.
    pub answers: &'a str,
    /// When it was submitted, UTC epoch milliseconds.
    pub submitted_at_ms: i64,
    /// The staff user who entered it ([`Store::staff_user_id`]), for enumerators.
    pub enumerator: Option<i64>,
}

/// What [`Store::import_responses`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ResponseImport {
    /// Responses written.
    pub inserted: usize,
    /// Responses whose source id was already stored in the wave (or came earlier in the same import): not written
    /// again.
    pub already_present: usize,
}

/// A response as stored (without the token it came with: none is kept).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    /// Row id.
    pub id: i64,
    /// How it arrived.
    pub channel: Channel,
    /// The respondent's quadrant code.
    pub quadrant: Option<String>,
    /// The respondent's district code.
    pub district: Option<String>,
    /// The respondent's age band.
    pub age_band: Option<String>,
    /// The respondent's sex.
    pub sex: Option<String>,
    /// The answers, JSON text as stored.
    pub answers: String,
    /// When it was submitted, UTC epoch milliseconds.
    pub submitted_at_ms: i64,
    /// The staff user who entered it.
    pub enumerator: Option<i64>,
}

/// The population of one district, age band and sex: a margin survey weights are raked to.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationMargin {
    /// The district code.
    pub district: String,
    /// The age band, named as the instrument names it.
    pub age_band: String,
    /// The sex, named as the instrument names it.
    pub sex: String,
    /// How many people.
    pub population: f64,
}

/// Why a survey or evaluation write was refused. Nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SurveyStoreError {
    /// This instrument version is saved with another definition; a version never changes once saved.
    #[error("instrument {code} version {version} is already saved with another definition: save it as a new version")]
    VersionExists {
        /// The instrument's code.
        code: String,
        /// The version.
        version: String,
    },
    /// A required text field is empty.
    #[error("the field {0} is empty")]
    Blank(&'static str),
    /// The instrument's definition is not JSON.
    #[error("the definition of instrument {code} version {version} is not JSON: {reason}")]
    DefinitionNotJson {
        /// The instrument's code.
        code: String,
        /// The version.
        version: String,
        /// The parser's message.
        reason: String,
    },
    /// A wave with this code exists.
    #[error("wave {0} already exists")]
    DuplicateWave(String),
    /// No instrument version has this id.
    #[error("instrument {0} does not exist")]
    UnknownInstrument(i64),
    /// The wave would close before it opens.
    #[error("wave {code} closes on {closes_on}, before it opens on {opens_on}")]
    BadDates {
        /// The wave's code.
        code: String,
        /// Its first day.
        opens_on: NaiveDate,
        /// Its last day.
        closes_on: NaiveDate,
    },
    /// No wave has this code.
    #[error("wave {0} does not exist")]
    UnknownWave(String),
    /// A wave cannot move between these statuses (`Draft` → `Closed`, `Closed` → `Draft`).
    #[error("wave {code} cannot go from {} to {}", .from.as_str(), .to.as_str())]
    BadTransition {
        /// The wave's code.
        code: String,
        /// Its status.
        from: WaveStatus,
        /// The status asked for.
        to: WaveStatus,
    },
    /// An open wave with responses cannot go back to draft.
    #[error("wave {code} has {responses} responses and cannot go back to draft")]
    HasResponses {
        /// The wave's code.
        code: String,
        /// How many.
        responses: i64,
    },
    /// The wave does not take this response: a draft takes none, a closed one only imports.
    #[error("wave {code} is {}, not open", .status.as_str())]
    WaveNotOpen {
        /// The wave's code.
        code: String,
        /// Its status.
        status: WaveStatus,
    },
    /// Invitations were asked for a wave open to anyone.
    #[error("wave {0} is open to anyone: it has no invitations")]
    NotByInvitation(String),
    /// More invitations were asked for at once than [`MAX_INVITATIONS_PER_CALL`].
    #[error("{0} invitations asked for at once; at most {MAX_INVITATIONS_PER_CALL}")]
    TooManyInvitations(usize),
    /// The invitation token is missing, or is not one of this wave.
    #[error("the invitation token is missing or not one of this wave")]
    TokenUnknown,
    /// The invitation token has been used.
    #[error("the invitation token has been used")]
    TokenUsed,
    /// A response with this source id is stored in the wave.
    #[error("wave {code} already has a response with source id {source_id}")]
    DuplicateSource {
        /// The wave's code.
        code: String,
        /// The source id.
        source_id: String,
    },
    /// A response's answers are not a JSON object.
    #[error("response {row}: the field answers is not a JSON object")]
    BadAnswers {
        /// The response's position in the call, from 1.
        row: usize,
    },
    /// A response names an enumerator who is not a staff user.
    #[error("response {row}: the enumerator {enumerator} is not a staff user")]
    UnknownEnumerator {
        /// The response's position in the call, from 1.
        row: usize,
        /// The staff user id given.
        enumerator: i64,
    },
    /// An evaluation design is not usable.
    #[error("the evaluation is not valid: {0}")]
    EvaluationInvalid(crate::evaluation::EvaluationProblem),
    /// The database failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for SurveyStoreError {
    fn from(err: sqlx::Error) -> Self {
        SurveyStoreError::Storage(err.into())
    }
}

/// A transaction's outcome: `Err` when the engine failed (and the transaction may be retried), `Ok(Err(_))` when
/// the request was refused (and the transaction rolled back).
type Attempt<T> = Result<Result<T, SurveyStoreError>, StorageError>;

/// The columns of a wave with its counts, read by [`wave_from_row`].
const WAVE_COLUMNS: &str = "w.wave_id, w.code, w.title, w.instrument_id, w.access, w.status, w.opens_on, w.closes_on, \
    w.synthetic, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM survey_response r WHERE r.city_id = w.city_id AND r.wave_id = w.wave_id) \
    AS responses, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM survey_invitation i WHERE i.city_id = w.city_id AND i.wave_id = w.wave_id) \
    AS invitations, \
    (SELECT CAST(COUNT(*) AS BIGINT) FROM survey_invitation i WHERE i.city_id = w.city_id AND i.wave_id = w.wave_id \
    AND i.used_at IS NOT NULL) AS invitations_used";

const INSTRUMENT_COLUMNS: &str = "instrument_id, code, version, definition, created_at";

const RESPONSE_COLUMNS: &str =
    "response_id, channel, quadrant_code, district_code, age_band, sex, answers, submitted_at, enumerator_id";

/// Rolls a refused transaction back and returns the refusal. Rolling back here, rather than when the transaction is
/// dropped (which SQLite does later, on its worker thread), releases the write lock a refused write may have taken
/// (an `UPDATE` that changed nothing takes it too) before the next writer's turn: that writer, holding a read
/// snapshot already, would get `SQLITE_BUSY` at once rather than wait.
async fn refuse<T>(tx: sqlx::Transaction<'_, sqlx::Any>, refusal: SurveyStoreError) -> Attempt<T> {
    tx.rollback().await?;
    Ok(Err(refusal))
}

/// What a write needs to know of a wave.
struct WaveHead {
    id: i64,
    access: WaveAccess,
    status: WaveStatus,
}

impl Store {
    /// Saves an instrument version. Saving the same code and version again with the same definition (equal as
    /// JSON) returns the stored row and writes nothing.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::VersionExists`] when the version is stored with another definition;
    /// [`SurveyStoreError::Blank`] for an empty code or version; [`SurveyStoreError::DefinitionNotJson`];
    /// [`SurveyStoreError::Storage`] when the database fails.
    pub async fn save_instrument(
        &self,
        city: CityId,
        code: &str,
        version: &str,
        definition: &str,
        now_ms: i64,
    ) -> Result<StoredInstrument, SurveyStoreError> {
        let (code, version) = (non_blank(code, "code")?, non_blank(version, "version")?);
        let parsed: serde_json::Value =
            serde_json::from_str(definition).map_err(|err| SurveyStoreError::DefinitionNotJson {
                code: code.to_owned(),
                version: version.to_owned(),
                reason: err.to_string(),
            })?;
        let _turn = self.write_turn().await;
        let attempt: Attempt<StoredInstrument> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let existing = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {INSTRUMENT_COLUMNS} FROM survey_instrument WHERE city_id = $1 AND code = $2 AND version = $3"
                )))
                .bind(city.0)
                .bind(code)
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
                if let Some(row) = existing {
                    let stored = instrument_from_row(&row)?;
                    let same = serde_json::from_str::<serde_json::Value>(&stored.definition).is_ok_and(|v| v == parsed);
                    return if same {
                        tx.rollback().await?;
                        Ok(Ok(stored))
                    } else {
                        let (code, version) = (code.to_owned(), version.to_owned());
                        refuse(tx, SurveyStoreError::VersionExists { code, version }).await
                    };
                }
                let stored = StoredInstrument {
                    id: new_id(),
                    code: code.to_owned(),
                    version: version.to_owned(),
                    definition: definition.to_owned(),
                    created_at_ms: now_ms,
                };
                sqlx::query(
                    "INSERT INTO survey_instrument (city_id, instrument_id, code, version, definition, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(city.0)
                .bind(stored.id)
                .bind(&stored.code)
                .bind(&stored.version)
                .bind(&stored.definition)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(Ok(stored))
            }
            .await
        );
        attempt?
    }

    /// Every instrument version of a city, newest first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn instruments(&self, city: CityId) -> Result<Vec<StoredInstrument>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INSTRUMENT_COLUMNS} FROM survey_instrument WHERE city_id = $1 \
             ORDER BY created_at DESC, instrument_id DESC"
        )))
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(instrument_from_row).collect()
    }

    /// One instrument version by id.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn instrument(&self, city: CityId, id: i64) -> Result<Option<StoredInstrument>, StorageError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INSTRUMENT_COLUMNS} FROM survey_instrument WHERE city_id = $1 AND instrument_id = $2"
        )))
        .bind(city.0)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(instrument_from_row).transpose()
    }

    /// Creates a wave, as a draft.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::DuplicateWave`], [`SurveyStoreError::UnknownInstrument`], [`SurveyStoreError::BadDates`]
    /// (closes before it opens), [`SurveyStoreError::Blank`] (code or title), [`SurveyStoreError::Storage`].
    pub async fn create_wave(
        &self,
        city: CityId,
        wave: &NewWave<'_>,
        now_ms: i64,
    ) -> Result<StoredWave, SurveyStoreError> {
        let code = non_blank(wave.code, "code")?;
        let title = non_blank(wave.title, "title")?;
        if wave.closes_on < wave.opens_on {
            return Err(SurveyStoreError::BadDates {
                code: code.to_owned(),
                opens_on: wave.opens_on,
                closes_on: wave.closes_on,
            });
        }
        let _turn = self.write_turn().await;
        let attempt: Attempt<StoredWave> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let instrument: Option<i64> = sqlx::query_scalar(
                    "SELECT instrument_id FROM survey_instrument WHERE city_id = $1 AND instrument_id = $2",
                )
                .bind(city.0)
                .bind(wave.instrument_id)
                .fetch_optional(&mut *tx)
                .await?;
                if instrument.is_none() {
                    return refuse(tx, SurveyStoreError::UnknownInstrument(wave.instrument_id)).await;
                }
                let id = new_id();
                let inserted = sqlx::query(
                    "INSERT INTO survey_wave (city_id, wave_id, code, title, instrument_id, access, status, opens_on, \
                     closes_on, synthetic, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (city_id, code) DO NOTHING",
                )
                .bind(city.0)
                .bind(id)
                .bind(code)
                .bind(title)
                .bind(wave.instrument_id)
                .bind(wave.access.as_str())
                .bind(WaveStatus::Draft.as_str())
                .bind(date_text(wave.opens_on))
                .bind(date_text(wave.closes_on))
                .bind(i64::from(wave.synthetic))
                .bind(now_ms)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if inserted == 0 {
                    return refuse(tx, SurveyStoreError::DuplicateWave(code.to_owned())).await;
                }
                tx.commit().await?;
                Ok(Ok(StoredWave {
                    id,
                    code: code.to_owned(),
                    title: title.to_owned(),
                    instrument_id: wave.instrument_id,
                    access: wave.access,
                    status: WaveStatus::Draft,
                    opens_on: wave.opens_on,
                    closes_on: wave.closes_on,
                    synthetic: wave.synthetic,
                    responses: 0,
                    invitations: 0,
                    invitations_used: 0,
                }))
            }
            .await
        );
        attempt?
    }

    /// Moves a wave to `status`: `Draft` → `Open` → `Closed`, `Closed` → `Open` (reopen), and `Open` → `Draft` while
    /// it has no response. Asking for the status it has changes nothing. Returns the wave as it now is.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::UnknownWave`], [`SurveyStoreError::BadTransition`], [`SurveyStoreError::HasResponses`],
    /// [`SurveyStoreError::Storage`].
    pub async fn set_wave_status(
        &self,
        city: CityId,
        code: &str,
        status: WaveStatus,
    ) -> Result<StoredWave, SurveyStoreError> {
        let _turn = self.write_turn().await;
        let attempt: Attempt<StoredWave> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let Some(wave) = wave_head(&mut tx, city, code).await? else {
                    return refuse(tx, SurveyStoreError::UnknownWave(code.to_owned())).await;
                };
                use WaveStatus::{Closed, Draft, Open};
                match (wave.status, status) {
                    (from, to) if from == to => {}
                    (Draft, Open) | (Open, Closed) | (Closed, Open) => {}
                    (Open, Draft) => {
                        let responses: i64 = sqlx::query_scalar(
                            "SELECT CAST(COUNT(*) AS BIGINT) FROM survey_response WHERE city_id = $1 AND wave_id = $2",
                        )
                        .bind(city.0)
                        .bind(wave.id)
                        .fetch_one(&mut *tx)
                        .await?;
                        if responses > 0 {
                            return refuse(tx, SurveyStoreError::HasResponses { code: code.to_owned(), responses })
                                .await;
                        }
                    }
                    (from, to) => {
                        return refuse(tx, SurveyStoreError::BadTransition { code: code.to_owned(), from, to }).await;
                    }
                }
                sqlx::query("UPDATE survey_wave SET status = $3 WHERE city_id = $1 AND wave_id = $2")
                    .bind(city.0)
                    .bind(wave.id)
                    .bind(status.as_str())
                    .execute(&mut *tx)
                    .await?;
                let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {WAVE_COLUMNS} FROM survey_wave w WHERE w.city_id = $1 AND w.wave_id = $2"
                )))
                .bind(city.0)
                .bind(wave.id)
                .fetch_one(&mut *tx)
                .await?;
                let stored = wave_from_row(&row)?;
                tx.commit().await?;
                Ok(Ok(stored))
            }
            .await
        );
        attempt?
    }

    /// Every wave of a city with its counts, by opening day and code.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored row is corrupt.
    pub async fn waves(&self, city: CityId) -> Result<Vec<StoredWave>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {WAVE_COLUMNS} FROM survey_wave w WHERE w.city_id = $1 ORDER BY w.opens_on, w.code"
        )))
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        let mut waves = rows.iter().map(wave_from_row).collect::<Result<Vec<_>, _>>()?;
        // The same order on every engine, whatever the database's collation.
        waves.sort_by(|a, b| (a.opens_on, &a.code).cmp(&(b.opens_on, &b.code)));
        Ok(waves)
    }

    /// One wave by code, with its counts.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or the stored row is corrupt.
    pub async fn wave(&self, city: CityId, code: &str) -> Result<Option<StoredWave>, StorageError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {WAVE_COLUMNS} FROM survey_wave w WHERE w.city_id = $1 AND w.code = $2"
        )))
        .bind(city.0)
        .bind(code)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(wave_from_row).transpose()
    }

    /// Issues `count` invitation tokens for an invitation wave, in one transaction: random, 128 bits each, in 26
    /// lower-case base-32 characters (URL-safe). Only their hashes are stored: the tokens returned are the only
    /// copy.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::TooManyInvitations`] above [`MAX_INVITATIONS_PER_CALL`],
    /// [`SurveyStoreError::UnknownWave`], [`SurveyStoreError::NotByInvitation`] for a wave open to anyone,
    /// [`SurveyStoreError::Storage`].
    pub async fn issue_invitations(
        &self,
        city: CityId,
        wave_code: &str,
        count: usize,
        now_ms: i64,
    ) -> Result<Vec<String>, SurveyStoreError> {
        if count > MAX_INVITATIONS_PER_CALL {
            return Err(SurveyStoreError::TooManyInvitations(count));
        }
        let tokens: Vec<String> = (0..count).map(|_| new_token()).collect();
        let hashes: Vec<String> = tokens.iter().map(|token| token_hash(token)).collect();
        let _turn = self.write_turn().await;
        let attempt: Attempt<()> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let Some(wave) = wave_head(&mut tx, city, wave_code).await? else {
                    return refuse(tx, SurveyStoreError::UnknownWave(wave_code.to_owned())).await;
                };
                if wave.access != WaveAccess::Invitation {
                    return refuse(tx, SurveyStoreError::NotByInvitation(wave_code.to_owned())).await;
                }
                for batch in hashes.chunks(INVITATION_BATCH) {
                    // `$1`–`$3` are shared by every row; each row adds its hash.
                    let rows: Vec<String> = (0..batch.len()).map(|row| format!("($1, ${}, $2, $3)", row + 4)).collect();
                    let sql = format!(
                        "INSERT INTO survey_invitation (city_id, token_hash, wave_id, created_at) VALUES {}",
                        rows.join(", ")
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(wave.id).bind(now_ms);
                    for hash in batch {
                        query = query.bind(hash);
                    }
                    query.execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(Ok(()))
            }
            .await
        );
        attempt??;
        Ok(tokens)
    }

    /// What `token` is for the wave `wave_code`: unknown, unused or used.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn invitation_state(
        &self,
        city: CityId,
        wave_code: &str,
        token: &str,
    ) -> Result<InvitationState, StorageError> {
        let row = sqlx::query(
            "SELECT i.used_at FROM survey_invitation i JOIN survey_wave w ON w.city_id = i.city_id \
             AND w.wave_id = i.wave_id WHERE i.city_id = $1 AND i.token_hash = $2 AND w.code = $3",
        )
        .bind(city.0)
        .bind(token_hash(token))
        .bind(wave_code)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => InvitationState::Unknown,
            Some(row) => match row.try_get::<Option<i64>, _>("used_at")? {
                None => InvitationState::Unused,
                Some(_) => InvitationState::Used,
            },
        })
    }

    /// Stores one response in one transaction, returning its id. The wave must be open. In an invitation wave a
    /// response from the web (or the generator) needs an unused token of the wave, and the token is marked used in
    /// the same transaction: of two submissions with one token exactly one is stored. Enumerators' entries need no
    /// token; a token given is always checked and used. In a wave open to anyone tokens are ignored. The token is
    /// not stored with the response.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::UnknownWave`], [`SurveyStoreError::WaveNotOpen`], [`SurveyStoreError::TokenUnknown`],
    /// [`SurveyStoreError::TokenUsed`], [`SurveyStoreError::DuplicateSource`] when the wave has a response with this
    /// source id, [`SurveyStoreError::BadAnswers`], [`SurveyStoreError::UnknownEnumerator`],
    /// [`SurveyStoreError::Storage`].
    pub async fn insert_response(
        &self,
        city: CityId,
        wave_code: &str,
        response: &NewResponse<'_>,
    ) -> Result<i64, SurveyStoreError> {
        let _turn = self.write_turn().await;
        let attempt: Attempt<i64> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let Some(wave) = wave_head(&mut tx, city, wave_code).await? else {
                    return refuse(tx, SurveyStoreError::UnknownWave(wave_code.to_owned())).await;
                };
                if wave.status != WaveStatus::Open {
                    return refuse(
                        tx,
                        SurveyStoreError::WaveNotOpen { code: wave_code.to_owned(), status: wave.status },
                    )
                    .await;
                }
                if let Err(refused) = check_response(&mut tx, city, response, 1, &mut HashSet::new()).await? {
                    return refuse(tx, refused).await;
                }
                if wave.access == WaveAccess::Invitation {
                    match response.token {
                        Some(token) => {
                            if let Err(refused) =
                                use_token(&mut tx, city, wave.id, token, response.submitted_at_ms).await?
                            {
                                return refuse(tx, refused).await;
                            }
                        }
                        None if response.channel.needs_token() => {
                            return refuse(tx, SurveyStoreError::TokenUnknown).await;
                        }
                        None => {}
                    }
                }
                let Some(id) = insert_one(&mut tx, city, wave.id, response).await? else {
                    return refuse(
                        tx,
                        SurveyStoreError::DuplicateSource {
                            code: wave_code.to_owned(),
                            source_id: response.source_id.unwrap_or_default().to_owned(),
                        },
                    )
                    .await;
                };
                tx.commit().await?;
                Ok(Ok(id))
            }
            .await
        );
        attempt?
    }

    /// Imports responses (a KoboToolbox/ODK export, checked by the core) in one transaction: all are written or
    /// none. A response whose source id the wave already has, or that came earlier in this import, is counted as
    /// already present and not written again, so an export can be imported twice; responses without a source id
    /// are always written. The wave may be open or closed (field data arrive late), not a draft. Tokens are not
    /// looked at: an import is vouched for by the analyst who runs it.
    ///
    /// # Errors
    ///
    /// [`SurveyStoreError::UnknownWave`], [`SurveyStoreError::WaveNotOpen`] for a draft,
    /// [`SurveyStoreError::BadAnswers`] and [`SurveyStoreError::UnknownEnumerator`] naming the response,
    /// [`SurveyStoreError::Storage`]. In each case nothing is written.
    pub async fn import_responses(
        &self,
        city: CityId,
        wave_code: &str,
        responses: &[NewResponse<'_>],
    ) -> Result<ResponseImport, SurveyStoreError> {
        let _turn = self.write_turn().await;
        let attempt: Attempt<ResponseImport> = retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                let Some(wave) = wave_head(&mut tx, city, wave_code).await? else {
                    return refuse(tx, SurveyStoreError::UnknownWave(wave_code.to_owned())).await;
                };
                if wave.status == WaveStatus::Draft {
                    return refuse(
                        tx,
                        SurveyStoreError::WaveNotOpen { code: wave_code.to_owned(), status: wave.status },
                    )
                    .await;
                }
                let mut known_staff = HashSet::new();
                let mut import = ResponseImport::default();
                for (index, response) in responses.iter().enumerate() {
                    if let Err(refused) = check_response(&mut tx, city, response, index + 1, &mut known_staff).await? {
                        return refuse(tx, refused).await;
                    }
                    match insert_one(&mut tx, city, wave.id, response).await? {
                        Some(_) => import.inserted += 1,
                        None => import.already_present += 1,
                    }
                }
                tx.commit().await?;
                Ok(Ok(import))
            }
            .await
        );
        attempt?
    }

    /// The responses of a wave, in the order they were stored.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored row is corrupt.
    pub async fn responses(&self, city: CityId, wave_code: &str) -> Result<Vec<StoredResponse>, StorageError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RESPONSE_COLUMNS} FROM survey_response WHERE city_id = $1 AND wave_id = \
             (SELECT wave_id FROM survey_wave WHERE city_id = $1 AND code = $2) ORDER BY response_id"
        )))
        .bind(city.0)
        .bind(wave_code)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(response_from_row).collect()
    }

    /// How many responses a wave has per quadrant code (`None`: no quadrant), by quadrant code with `None` first.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn response_counts(
        &self,
        city: CityId,
        wave_code: &str,
    ) -> Result<Vec<(Option<String>, i64)>, StorageError> {
        let rows = sqlx::query(
            "SELECT quadrant_code, CAST(COUNT(*) AS BIGINT) AS n FROM survey_response WHERE city_id = $1 AND wave_id = \
             (SELECT wave_id FROM survey_wave WHERE city_id = $1 AND code = $2) GROUP BY quadrant_code",
        )
        .bind(city.0)
        .bind(wave_code)
        .fetch_all(&self.pool)
        .await?;
        let mut counts = rows
            .iter()
            .map(|row| Ok((row.try_get::<Option<String>, _>("quadrant_code")?, row.try_get::<i64, _>("n")?)))
            .collect::<Result<Vec<_>, StorageError>>()?;
        // Engines put NULL at opposite ends: order here.
        counts.sort();
        Ok(counts)
    }

    /// Replaces the city's population margins with `margins` in one transaction; returns how many are stored.
    /// The caller checks them (one row per district, age band and sex; populations finite and not negative).
    ///
    /// # Errors
    ///
    /// [`StorageError::Conflict`] when two margins have the same district, age band and sex;
    /// [`StorageError::Database`] when the database fails. Either way the stored margins stay as they were.
    pub async fn replace_population_margins(
        &self,
        city: CityId,
        margins: &[PopulationMargin],
        now_ms: i64,
    ) -> Result<usize, StorageError> {
        let _turn = self.write_turn().await;
        retrying!(
            async {
                let mut tx = self.pool.begin().await?;
                sqlx::query("DELETE FROM population_margin WHERE city_id = $1").bind(city.0).execute(&mut *tx).await?;
                for margin in margins {
                    sqlx::query(
                        "INSERT INTO population_margin (city_id, district_code, age_band, sex, population, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(city.0)
                    .bind(&margin.district)
                    .bind(&margin.age_band)
                    .bind(&margin.sex)
                    .bind(margin.population)
                    .bind(now_ms)
                    .execute(&mut *tx)
                    .await
                    .map_err(|err| {
                        crate::territory::conflict_or(
                            err,
                            format!("population margin {} {} {}", margin.district, margin.age_band, margin.sex),
                        )
                    })?;
                }
                tx.commit().await?;
                Ok(margins.len())
            }
            .await
        )
    }

    /// The city's population margins, by district, age band and sex.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn population_margins(&self, city: CityId) -> Result<Vec<PopulationMargin>, StorageError> {
        let rows = sqlx::query(
            "SELECT district_code, age_band, sex, population FROM population_margin WHERE city_id = $1 \
             ORDER BY district_code, age_band, sex",
        )
        .bind(city.0)
        .fetch_all(&self.pool)
        .await?;
        let mut margins = rows
            .iter()
            .map(|row| {
                Ok(PopulationMargin {
                    district: row.try_get("district_code")?,
                    age_band: row.try_get("age_band")?,
                    sex: row.try_get("sex")?,
                    population: row.try_get("population")?,
                })
            })
            .collect::<Result<Vec<_>, StorageError>>()?;
        margins.sort_by(|a, b| (&a.district, &a.age_band, &a.sex).cmp(&(&b.district, &b.age_band, &b.sex)));
        Ok(margins)
    }

    /// The id of the staff user with this login (what [`NewResponse::enumerator`] takes).
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn staff_user_id(&self, city: CityId, login: &str) -> Result<Option<i64>, StorageError> {
        Ok(sqlx::query_scalar("SELECT staff_user_id FROM staff_user WHERE city_id = $1 AND login = $2")
            .bind(city.0)
            .bind(login)
            .fetch_optional(&self.pool)
            .await?)
    }
}

/// `text` trimmed, or [`SurveyStoreError::Blank`] naming `field` when nothing is left.
fn non_blank<'a>(text: &'a str, field: &'static str) -> Result<&'a str, SurveyStoreError> {
    let text = text.trim();
    if text.is_empty() { Err(SurveyStoreError::Blank(field)) } else { Ok(text) }
}

/// A new invitation token: 128 random bits in 26 lower-case base-32 characters (`a–z2–7`, URL-safe), as appeals'
/// tracking tokens are made.
fn new_token() -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let value: u128 = rand::random();
    (0..26).map(|i| ALPHABET[((value >> (i * 5)) & 31) as usize] as char).collect()
}

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_date(table: &'static str, key: impl ToString, text: &str) -> Result<NaiveDate, StorageError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|err| StorageError::corrupt(table, key, err))
}

async fn wave_head(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    city: CityId,
    code: &str,
) -> Result<Option<WaveHead>, StorageError> {
    let Some(row) = sqlx::query("SELECT wave_id, access, status FROM survey_wave WHERE city_id = $1 AND code = $2")
        .bind(city.0)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?
    else {
        return Ok(None);
    };
    let access: String = row.try_get("access")?;
    let status: String = row.try_get("status")?;
    Ok(Some(WaveHead {
        id: row.try_get("wave_id")?,
        access: WaveAccess::parse(&access).ok_or_else(|| StorageError::corrupt("survey_wave", code, access))?,
        status: WaveStatus::parse(&status).ok_or_else(|| StorageError::corrupt("survey_wave", code, status))?,
    }))
}

/// Checks what the database must vouch for in a response: the answers are a JSON object, the enumerator is a staff
/// user (ids found are remembered in `known_staff`).
async fn check_response(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    city: CityId,
    response: &NewResponse<'_>,
    row: usize,
    known_staff: &mut HashSet<i64>,
) -> Result<Result<(), SurveyStoreError>, StorageError> {
    if !serde_json::from_str::<serde_json::Value>(response.answers).is_ok_and(|answers| answers.is_object()) {
        return Ok(Err(SurveyStoreError::BadAnswers { row }));
    }
    if let Some(enumerator) = response.enumerator
        && !known_staff.contains(&enumerator)
    {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT staff_user_id FROM staff_user WHERE city_id = $1 AND staff_user_id = $2")
                .bind(city.0)
                .bind(enumerator)
                .fetch_optional(&mut **tx)
                .await?;
        if found.is_none() {
            return Ok(Err(SurveyStoreError::UnknownEnumerator { row, enumerator }));
        }
        known_staff.insert(enumerator);
    }
    Ok(Ok(()))
}

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;

/// Marks an invitation token of the wave used, if it is unused: one statement, so that of two transactions using
/// one token the second finds it used (PostgreSQL makes it wait for the first and re-reads the row).
///
/// `used_at` keeps only the UTC day: the exact time would equal the response's submission time and so lead from
/// a token (and whoever was given it) to the answers.
async fn use_token(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    city: CityId,
    wave_id: i64,
    token: &str,
    at_ms: i64,
) -> Result<Result<(), SurveyStoreError>, StorageError> {
    let hash = token_hash(token);
    let marked = sqlx::query(
        "UPDATE survey_invitation SET used_at = $4 WHERE city_id = $1 AND token_hash = $2 AND wave_id = $3 \
         AND used_at IS NULL",
    )
    .bind(city.0)
    .bind(&hash)
    .bind(wave_id)
    .bind(at_ms.div_euclid(DAY_MS) * DAY_MS)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if marked == 1 {
        return Ok(Ok(()));
    }
    let exists: Option<String> = sqlx::query_scalar(
        "SELECT token_hash FROM survey_invitation WHERE city_id = $1 AND token_hash = $2 AND wave_id = $3",
    )
    .bind(city.0)
    .bind(&hash)
    .bind(wave_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(Err(if exists.is_some() { SurveyStoreError::TokenUsed } else { SurveyStoreError::TokenUnknown }))
}

/// Inserts a response unless the wave has one with its source id: its new id, or `None` when it was not written.
async fn insert_one(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    city: CityId,
    wave_id: i64,
    response: &NewResponse<'_>,
) -> Result<Option<i64>, StorageError> {
    let id = new_id();
    let inserted = sqlx::query(
        "INSERT INTO survey_response (city_id, response_id, wave_id, channel, source_id, quadrant_code, district_code, \
         age_band, sex, answers, submitted_at, enumerator_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (city_id, wave_id, source_id) DO NOTHING",
    )
    .bind(city.0)
    .bind(id)
    .bind(wave_id)
    .bind(response.channel.as_str())
    .bind(response.source_id)
    .bind(response.quadrant)
    .bind(response.district)
    .bind(response.age_band)
    .bind(response.sex)
    .bind(response.answers)
    .bind(response.submitted_at_ms)
    .bind(response.enumerator)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((inserted == 1).then_some(id))
}

fn instrument_from_row(row: &AnyRow) -> Result<StoredInstrument, StorageError> {
    Ok(StoredInstrument {
        id: row.try_get("instrument_id")?,
        code: row.try_get("code")?,
        version: row.try_get("version")?,
        definition: row.try_get("definition")?,
        created_at_ms: row.try_get("created_at")?,
    })
}

fn wave_from_row(row: &AnyRow) -> Result<StoredWave, StorageError> {
    let code: String = row.try_get("code")?;
    let access: String = row.try_get("access")?;
    let status: String = row.try_get("status")?;
    Ok(StoredWave {
        id: row.try_get("wave_id")?,
        title: row.try_get("title")?,
        instrument_id: row.try_get("instrument_id")?,
        access: WaveAccess::parse(&access).ok_or_else(|| StorageError::corrupt("survey_wave", &code, access))?,
        status: WaveStatus::parse(&status).ok_or_else(|| StorageError::corrupt("survey_wave", &code, status))?,
        opens_on: parse_date("survey_wave", &code, &row.try_get::<String, _>("opens_on")?)?,
        closes_on: parse_date("survey_wave", &code, &row.try_get::<String, _>("closes_on")?)?,
        synthetic: row.try_get::<i64, _>("synthetic")? != 0,
        responses: row.try_get("responses")?,
        invitations: row.try_get("invitations")?,
        invitations_used: row.try_get("invitations_used")?,
        code,
    })
}

fn response_from_row(row: &AnyRow) -> Result<StoredResponse, StorageError> {
    let id: i64 = row.try_get("response_id")?;
    let channel: String = row.try_get("channel")?;
    Ok(StoredResponse {
        id,
        channel: Channel::parse(&channel).ok_or_else(|| StorageError::corrupt("survey_response", id, channel))?,
        quadrant: row.try_get("quadrant_code")?,
        district: row.try_get("district_code")?,
        age_band: row.try_get("age_band")?,
        sex: row.try_get("sex")?,
        answers: row.try_get("answers")?,
        submitted_at_ms: row.try_get("submitted_at")?,
        enumerator: row.try_get("enumerator_id")?,
    })
}
