//! Internal notes on appeals: free text by staff, for staff only. Who may read or write them is the core access
//! policy's decision (`Principal::may_use_notes`); this module only stores and returns them.

use sakshy_core::Code;
use sqlx::Row;

use crate::id::new_id;
use crate::{CityId, StorageError, Store};

/// A note on an appeal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealNote {
    /// When it was written, UTC epoch milliseconds.
    pub at_ms: i64,
    /// Who wrote it (a login).
    pub author: String,
    /// The partner agency of the author, when an agency officer wrote it.
    pub author_agency: Option<Code>,
    /// The text.
    pub body: String,
}

impl Store {
    /// Adds a note to an appeal.
    ///
    /// # Errors
    ///
    /// [`StorageError::NotFound`] when there is no such appeal.
    pub async fn add_appeal_note(&self, city: CityId, appeal_id: i64, note: &AppealNote) -> Result<(), StorageError> {
        let inserted = sqlx::query(
            "INSERT INTO appeal_note (city_id, appeal_note_id, appeal_id, author, author_agency, created_at, body) \
             SELECT city_id, $2, appeal_id, $4, $5, $6, $7 FROM appeal WHERE city_id = $1 AND appeal_id = $3",
        )
        .bind(city.0)
        .bind(new_id())
        .bind(appeal_id)
        .bind(&note.author)
        .bind(note.author_agency.as_ref().map(Code::as_str))
        .bind(note.at_ms)
        .bind(&note.body)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if inserted == 0 {
            return Err(StorageError::NotFound { what: format!("appeal {appeal_id}") });
        }
        Ok(())
    }

    /// An appeal's notes, oldest first; only those of one agency when `agency` is given.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database fails or a stored agency code is corrupt.
    pub async fn appeal_notes(
        &self,
        city: CityId,
        appeal_id: i64,
        agency: Option<&Code>,
    ) -> Result<Vec<AppealNote>, StorageError> {
        let rows = sqlx::query(
            "SELECT created_at, author, author_agency, body FROM appeal_note WHERE city_id = $1 AND appeal_id = $2 \
             AND ($3 = '' OR author_agency = $3) ORDER BY created_at, appeal_note_id",
        )
        .bind(city.0)
        .bind(appeal_id)
        .bind(agency.map_or("", Code::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                let agency: Option<String> = row.try_get("author_agency")?;
                Ok(AppealNote {
                    at_ms: row.try_get("created_at")?,
                    author: row.try_get("author")?,
                    author_agency: agency
                        .map(|code| Code::parse(&code).map_err(|err| StorageError::corrupt("appeal_note", &code, err)))
                        .transpose()?,
                    body: row.try_get("body")?,
                })
            })
            .collect()
    }
}
