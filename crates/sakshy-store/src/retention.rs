//! Retention: erasing residents' personal data from appeals finished long enough ago, keeping what the statistics
//! need (category, place, quadrant, dates, states, agencies, rating). Personal data here are the contact, the
//! photos, the resident's own words (description, reasons for reopening, the feedback comment), staff's free text
//! about the case (internal notes and comments, which may name the resident) and the e-mail addresses of
//! delivered notices. The history's steps and staff's public answers stay.

use sqlx::Row;

use crate::{CityId, StorageError, Store, retrying};

/// How many appeals one transaction erases; a run takes as many transactions as it needs.
const BATCH: i64 = 500;

/// What a retention run erased.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RetentionSummary {
    /// Appeals whose personal data were erased.
    pub appeals: u64,
    /// Contact records deleted.
    pub contacts: u64,
    /// Photos deleted.
    pub photos: u64,
    /// Incidents whose address (which can name a home) was erased; their place, time and offence stay.
    pub incident_addresses: u64,
}

impl Store {
    /// Erases the personal data of every appeal of `city` finished (closed, answered or rejected) before
    /// `finished_before_ms` and not erased yet, in transactions of up to 500 appeals, and the addresses of incidents
    /// that happened before then, and records the run in the audit log as `actor`. Running it again erases nothing
    /// more.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails; the batches committed before the failure stay erased.
    pub async fn erase_personal_data(
        &self,
        city: CityId,
        finished_before_ms: i64,
        actor: &str,
        at_ms: i64,
    ) -> Result<RetentionSummary, StorageError> {
        let mut summary = RetentionSummary::default();
        loop {
            let batch = retrying!(self.erase_batch(city, finished_before_ms, at_ms).await)?;
            summary.appeals += batch.appeals;
            summary.contacts += batch.contacts;
            summary.photos += batch.photos;
            if batch.appeals < BATCH as u64 {
                break;
            }
        }
        // Incidents: the address as written can name a person's home; the point, the time and the offence are what
        // the analyses use. One statement: addresses are plain text in their own column.
        summary.incident_addresses = retrying!(
            async {
            let _turn = self.write_turn().await;
            Ok::<u64, StorageError>(
                sqlx::query(
                    "UPDATE incident SET address = NULL WHERE city_id = $1 AND address IS NOT NULL AND occurred_at < $2",
                )
                .bind(city.0)
                .bind(finished_before_ms)
                .execute(&self.pool)
                .await?
                .rows_affected(),
            )
            }
            .await
        )?;
        self.record_audit(
            city,
            &crate::AuditEvent {
                at_ms,
                actor: actor.to_owned(),
                action: "retention".to_owned(),
                object: format!(
                    "personal data of {} appeals and the addresses of {} incidents erased",
                    summary.appeals, summary.incident_addresses
                ),
                from_address: None,
            },
        )
        .await?;
        Ok(summary)
    }

    async fn erase_batch(
        &self,
        city: CityId,
        finished_before_ms: i64,
        at_ms: i64,
    ) -> Result<RetentionSummary, StorageError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "SELECT appeal_id, receipt FROM appeal WHERE city_id = $1 AND personal_data_erased_at IS NULL \
             AND updated_at < $2 AND (closed = 1 OR state IN ('answered', 'rejected')) ORDER BY appeal_id LIMIT $3",
        )
        .bind(city.0)
        .bind(finished_before_ms)
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        let mut summary = RetentionSummary::default();
        for row in &rows {
            let appeal_id: i64 = row.try_get("appeal_id")?;
            let receipt: String = row.try_get("receipt")?;
            let delete = |table: &'static str| {
                sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table} WHERE city_id = $1 AND appeal_id = $2")))
                    .bind(city.0)
                    .bind(appeal_id)
            };
            summary.contacts += delete("appeal_contact").execute(&mut *tx).await?.rows_affected();
            summary.photos += delete("appeal_photo").execute(&mut *tx).await?.rows_affected();
            // Staff notes and internal comments are free text about the case, and may name the resident.
            delete("appeal_note").execute(&mut *tx).await?;
            sqlx::query("UPDATE appeal_event SET internal_comment = NULL WHERE city_id = $1 AND appeal_id = $2")
                .bind(city.0)
                .bind(appeal_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE appeal_feedback SET comment = NULL WHERE city_id = $1 AND appeal_id = $2")
                .bind(city.0)
                .bind(appeal_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "UPDATE appeal_event SET public_comment = NULL WHERE city_id = $1 AND appeal_id = $2 AND actor = 'resident'",
            )
            .bind(city.0)
            .bind(appeal_id)
            .execute(&mut *tx)
            .await?;
            // Notices already sent (or given up on) no longer need the address; each gets a placeholder of its own,
            // since an address is part of the outbox's unique key.
            sqlx::query(
                "UPDATE outbox SET destination = 'erased:' || CAST(outbox_id AS TEXT) WHERE city_id = $1 \
                 AND channel = 'email' AND state <> 'pending' AND event_key LIKE $2",
            )
            .bind(city.0)
            .bind(format!("{receipt}:%"))
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "UPDATE appeal SET description = '', search_key = $3, address_text = NULL, personal_data_erased_at = $4 \
                 WHERE city_id = $1 AND appeal_id = $2",
            )
            .bind(city.0)
            .bind(appeal_id)
            .bind(receipt.to_lowercase())
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
            summary.appeals += 1;
        }
        tx.commit().await?;
        Ok(summary)
    }
}
