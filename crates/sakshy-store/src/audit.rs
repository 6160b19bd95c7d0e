//! Reading the audit log for administrators: filtered by time, actor and action, newest first, in keyset pages.
//! Writing stays with [`Store::record_audit`]; nothing here changes the log.

use sqlx::Row;

use crate::{AuditEvent, CityId, StorageError, Store};

/// Which audit events to read. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// From this time on, UTC epoch milliseconds, inclusive.
    pub from_ms: Option<i64>,
    /// Before this time, exclusive.
    pub to_ms: Option<i64>,
    /// Exactly this actor (a login, `resident`, `system`).
    pub actor: Option<String>,
    /// Exactly this action, e.g. `view_contact`.
    pub action: Option<String>,
}

/// Where the next page of the audit log starts: after this event, in newest-first order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditCursor {
    /// The last event's time.
    pub at_ms: i64,
    /// The last event's id.
    pub id: i64,
}

impl Store {
    /// Audit events matching `filter`, newest first, after `cursor`, at most `limit` (1–5,000), each with the
    /// cursor that follows it.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails.
    pub async fn audit_log(
        &self,
        city: CityId,
        filter: &AuditFilter,
        cursor: Option<AuditCursor>,
        limit: u32,
    ) -> Result<Vec<(AuditEvent, AuditCursor)>, StorageError> {
        let mut conditions = vec!["city_id = $1".to_owned()];
        let mut next = 2;
        let mut placeholder = || {
            next += 1;
            format!("${}", next - 1)
        };
        let from = filter.from_ms.map(|_| format!("happened_at >= {}", placeholder()));
        let to = filter.to_ms.map(|_| format!("happened_at < {}", placeholder()));
        let actor = filter.actor.as_ref().map(|_| format!("actor = {}", placeholder()));
        let action = filter.action.as_ref().map(|_| format!("action = {}", placeholder()));
        let after = cursor.map(|_| format!("(happened_at, audit_event_id) < ({}, {})", placeholder(), placeholder()));
        conditions.extend([from, to, actor, action, after].into_iter().flatten());
        let sql = format!(
            "SELECT audit_event_id, happened_at, actor, action, object, from_address FROM audit_event WHERE {} \
             ORDER BY happened_at DESC, audit_event_id DESC LIMIT {}",
            conditions.join(" AND "),
            limit.clamp(1, 5_000)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(city.0);
        if let Some(from) = filter.from_ms {
            query = query.bind(from);
        }
        if let Some(to) = filter.to_ms {
            query = query.bind(to);
        }
        if let Some(actor) = &filter.actor {
            query = query.bind(actor.clone());
        }
        if let Some(action) = &filter.action {
            query = query.bind(action.clone());
        }
        if let Some(cursor) = cursor {
            query = query.bind(cursor.at_ms).bind(cursor.id);
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|row| {
                let at_ms: i64 = row.try_get("happened_at")?;
                let event = AuditEvent {
                    at_ms,
                    actor: row.try_get("actor")?,
                    action: row.try_get("action")?,
                    object: row.try_get("object")?,
                    from_address: row.try_get("from_address")?,
                };
                Ok((event, AuditCursor { at_ms, id: row.try_get("audit_event_id")? }))
            })
            .collect()
    }
}
