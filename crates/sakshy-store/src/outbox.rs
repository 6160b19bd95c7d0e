//! The outbox: notifications queued in the transaction of the event that causes them, claimed by delivery
//! workers under a lease (so a worker that dies mid-delivery loses nothing: the lease runs out and another
//! worker delivers again), retried with back-off, and set aside as dead after too many failures.

use sakshy_core::notify::{Notice, notices};
use sakshy_core::workflow::Appeal;
use sqlx::{Any, Row, Transaction};

use crate::id::new_id;
use crate::{CityId, StorageError, Store};

/// Attempts before a message is set aside as dead.
pub const MAX_ATTEMPTS: i64 = 8;

/// Where a message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    /// Waiting for (another) delivery attempt.
    Pending,
    /// Delivered.
    Delivered,
    /// Given up on after [`MAX_ATTEMPTS`] attempts; an operator looks at it.
    Dead,
}

impl OutboxState {
    fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Delivered => "delivered",
            OutboxState::Dead => "dead",
        }
    }

    fn parse(text: &str) -> Option<OutboxState> {
        match text {
            "pending" => Some(OutboxState::Pending),
            "delivered" => Some(OutboxState::Delivered),
            "dead" => Some(OutboxState::Dead),
            _ => None,
        }
    }
}

/// A queued notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMessage {
    /// The store's id.
    pub outbox_id: i64,
    /// The idempotency key receivers see: `APPEAL_RECEIPT:EVENT_NO:KIND`.
    pub event_key: String,
    /// `email` or `webhook`.
    pub channel: String,
    /// An e-mail address or a URL.
    pub destination: String,
    /// What to say, as JSON: `kind`, `receipt`, `lang`, `due_on`, `comment`, `state`, `at`.
    pub payload: String,
    /// Where it stands.
    pub state: OutboxState,
    /// Attempts made so far.
    pub attempts: i64,
    /// The last delivery error, if any.
    pub last_error: Option<String>,
}

/// What a notice needs to know of its appeal: the receipt, the resident's language and e-mail address.
pub(crate) struct Addressee {
    pub(crate) receipt: String,
    pub(crate) lang: String,
    pub(crate) email: Option<String>,
}

/// Queues the notices that moving from `before` to `after` calls for, inside the transaction that writes the
/// move: an e-mail to the resident (if they gave an address) and a webhook call to each subscription. `known`
/// saves reading the appeal back when the caller has just written it.
pub(crate) async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    city: CityId,
    appeal_id: i64,
    before: Option<&Appeal>,
    after: &Appeal,
    at_ms: i64,
    known: Option<Addressee>,
) -> Result<(), StorageError> {
    let due = notices(before, after);
    if due.is_empty() {
        return Ok(());
    }
    let Addressee { receipt, lang, email } = match known {
        Some(known) => known,
        None => {
            let row = sqlx::query(
                "SELECT a.receipt, a.lang, c.email FROM appeal a LEFT JOIN appeal_contact c \
                 ON c.city_id = a.city_id AND c.appeal_id = a.appeal_id WHERE a.city_id = $1 AND a.appeal_id = $2",
            )
            .bind(city.0)
            .bind(appeal_id)
            .fetch_one(&mut **tx)
            .await?;
            Addressee { receipt: row.try_get("receipt")?, lang: row.try_get("lang")?, email: row.try_get("email")? }
        }
    };
    let hooks: Vec<String> = sqlx::query_scalar("SELECT url FROM webhook_subscription WHERE city_id = $1 ORDER BY url")
        .bind(city.0)
        .fetch_all(&mut **tx)
        .await?;
    for Notice { kind, event_no } in due {
        let event = &after.history[event_no];
        let payload = serde_json::json!({
            "kind": kind.as_str(),
            "receipt": receipt,
            "lang": lang,
            "state": after.state().as_str(),
            "due_on": after.due().to_string(),
            "comment": event.public_comment,
            "at_ms": event.at_ms,
        })
        .to_string();
        let key = format!("{receipt}:{event_no}:{}", kind.as_str());
        // Residents hear of what concerns them; subscribed systems hear of everything.
        let resident = email.iter().filter(|_| kind.for_resident()).map(|e| ("email", e.as_str()));
        let destinations = resident.chain(hooks.iter().map(|u| ("webhook", u.as_str())));
        for (channel, destination) in destinations {
            sqlx::query(
                "INSERT INTO outbox (city_id, outbox_id, event_key, channel, destination, payload, state, attempts, \
                 next_attempt_at, lease_until, last_error, created_at, delivered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, NULL, NULL, $7, NULL) \
                 ON CONFLICT (city_id, event_key, channel, destination) DO NOTHING",
            )
            .bind(city.0)
            .bind(new_id())
            .bind(&key)
            .bind(channel)
            .bind(destination)
            .bind(&payload)
            .bind(at_ms)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

fn message_from_row(row: &sqlx::any::AnyRow) -> Result<OutboxMessage, StorageError> {
    let outbox_id: i64 = row.try_get("outbox_id")?;
    let state: String = row.try_get("state")?;
    Ok(OutboxMessage {
        outbox_id,
        event_key: row.try_get("event_key")?,
        channel: row.try_get("channel")?,
        destination: row.try_get("destination")?,
        payload: row.try_get("payload")?,
        state: OutboxState::parse(&state).ok_or_else(|| StorageError::corrupt("outbox", outbox_id, state))?,
        attempts: row.try_get("attempts")?,
        last_error: row.try_get("last_error")?,
    })
}

const COLUMNS: &str = "outbox_id, event_key, channel, destination, payload, state, attempts, last_error";

impl Store {
    /// Subscribes a URL to every appeal event, signed with `secret` (HMAC-SHA-256).
    ///
    /// # Errors
    ///
    /// [`StorageError::Conflict`] when the URL is subscribed already.
    pub async fn add_webhook(&self, city: CityId, url: &str, secret: &str, at_ms: i64) -> Result<(), StorageError> {
        sqlx::query(
            "INSERT INTO webhook_subscription (city_id, webhook_subscription_id, url, secret, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(url)
        .bind(secret)
        .bind(at_ms)
        .execute(&self.pool)
        .await
        .map_err(|err| crate::territory::conflict_or(err, format!("webhook {url}")))?;
        Ok(())
    }

    /// The secret of a subscribed webhook URL.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn webhook_secret(&self, city: CityId, url: &str) -> Result<Option<String>, StorageError> {
        Ok(sqlx::query_scalar("SELECT secret FROM webhook_subscription WHERE city_id = $1 AND url = $2")
            .bind(city.0)
            .bind(url)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Claims up to `limit` messages due at `now_ms` for `lease_ms`: no other worker gets them until the lease
    /// runs out. A message whose worker died is claimed again once its lease has run out.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn claim_outbox(
        &self,
        city: CityId,
        now_ms: i64,
        lease_ms: i64,
        limit: u32,
    ) -> Result<Vec<OutboxMessage>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE city_id = $1 AND state = 'pending' AND next_attempt_at <= $2 \
             AND (lease_until IS NULL OR lease_until < $2) ORDER BY next_attempt_at, outbox_id LIMIT {}",
            limit.clamp(1, 500)
        );
        let candidates = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).bind(now_ms).fetch_all(&self.pool).await?;
        let mut claimed = Vec::new();
        for row in &candidates {
            let message = message_from_row(row)?;
            // The conditional update is the claim: only one worker's update matches.
            let won = sqlx::query(
                "UPDATE outbox SET lease_until = $3 WHERE city_id = $1 AND outbox_id = $2 AND state = 'pending' \
                 AND (lease_until IS NULL OR lease_until < $4)",
            )
            .bind(city.0)
            .bind(message.outbox_id)
            .bind(now_ms + lease_ms)
            .bind(now_ms)
            .execute(&self.pool)
            .await?
            .rows_affected();
            if won == 1 {
                claimed.push(message);
            }
        }
        Ok(claimed)
    }

    /// Marks a claimed message delivered.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn mark_delivered(&self, city: CityId, outbox_id: i64, now_ms: i64) -> Result<(), StorageError> {
        sqlx::query(
            "UPDATE outbox SET state = 'delivered', delivered_at = $3, attempts = attempts + 1, lease_until = NULL \
             WHERE city_id = $1 AND outbox_id = $2",
        )
        .bind(city.0)
        .bind(outbox_id)
        .bind(now_ms)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a failed attempt: the message waits `2^attempts × 10 s` (at most an hour) for the next one, or is
    /// set aside as dead after [`MAX_ATTEMPTS`].
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn mark_failed(
        &self,
        city: CityId,
        message: &OutboxMessage,
        error: &str,
        now_ms: i64,
    ) -> Result<OutboxState, StorageError> {
        let attempts = message.attempts + 1;
        let state = if attempts >= MAX_ATTEMPTS { OutboxState::Dead } else { OutboxState::Pending };
        let backoff_ms = (10_000_i64 << attempts.min(20)).min(3_600_000);
        sqlx::query(
            "UPDATE outbox SET state = $3, attempts = $4, next_attempt_at = $5, last_error = $6, lease_until = NULL \
             WHERE city_id = $1 AND outbox_id = $2",
        )
        .bind(city.0)
        .bind(message.outbox_id)
        .bind(state.as_str())
        .bind(attempts)
        .bind(now_ms + backoff_ms)
        .bind(error.chars().take(500).collect::<String>())
        .execute(&self.pool)
        .await?;
        Ok(state)
    }

    /// Every message of an event key, for tests and operators.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn outbox_messages(&self, city: CityId) -> Result<Vec<OutboxMessage>, StorageError> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE city_id = $1 ORDER BY created_at, event_key, channel, destination"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0).fetch_all(&self.pool).await?;
        rows.iter().map(message_from_row).collect()
    }
}
