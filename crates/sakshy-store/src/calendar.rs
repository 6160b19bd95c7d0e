//! Working-calendar years loaded by an administrator (`calendar_year`): each replaces the year shipped with
//! Sakshy or extends the calendar. A year is checked in full ([`CalendarYear::parse`]) and against the calendar
//! it joins before anything is written; storing it moves the registry revision, so every server reloads it with
//! the rest of the registry, and the change is logged with who made it.

use sakshy_core::calendar::{CalendarError, CalendarYear, WorkingCalendar};
use sqlx::Row;

use crate::category::log_change;
use crate::registry::bump_revision;
use crate::{CityId, StorageError, Store};

/// Why a calendar year was not stored.
#[derive(Debug, thiserror::Error)]
pub enum CalendarLoadError {
    /// The file, or the calendar it would make, is wrong; nothing was written.
    #[error(transparent)]
    Invalid(#[from] CalendarError),
    /// The database failed; nothing was written.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

impl From<sqlx::Error> for CalendarLoadError {
    fn from(err: sqlx::Error) -> Self {
        CalendarLoadError::Storage(err.into())
    }
}

impl Store {
    /// The calendar years loaded for a city, parsed, in year order.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or a stored year no longer parses.
    pub async fn calendar_years(&self, city: CityId) -> Result<Vec<CalendarYear>, StorageError> {
        let rows = sqlx::query("SELECT year, body FROM calendar_year WHERE city_id = $1 ORDER BY year")
            .bind(city.0)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|row| {
                let year: i32 = i32::try_from(row.try_get::<i64, _>("year")?)
                    .map_err(|err| StorageError::corrupt("calendar_year", "year", err))?;
                let body: String = row.try_get("body")?;
                CalendarYear::parse(year, &body).map_err(|err| StorageError::corrupt("calendar_year", year, err))
            })
            .collect()
    }

    /// The city's working calendar: the shipped years with the loaded ones.
    ///
    /// # Errors
    ///
    /// [`StorageError`] when the database cannot be read or the stored years do not make a calendar.
    pub async fn working_calendar(&self, city: CityId) -> Result<WorkingCalendar, StorageError> {
        WorkingCalendar::kazakhstan_with(self.calendar_years(city).await?)
            .map_err(|err| StorageError::corrupt("calendar_year", city.0, err))
    }

    /// Checks one year's file and the calendar it would make, without writing: the parsed year.
    ///
    /// # Errors
    ///
    /// [`CalendarLoadError::Invalid`] naming the line and column of the first problem, or the gap it would leave.
    pub async fn check_calendar_year(
        &self,
        city: CityId,
        year: i32,
        text: &str,
    ) -> Result<CalendarYear, CalendarLoadError> {
        let parsed = CalendarYear::parse(year, text)?;
        let mut years: Vec<CalendarYear> =
            self.calendar_years(city).await?.into_iter().filter(|stored| stored.year() != year).collect();
        years.push(parsed.clone());
        WorkingCalendar::kazakhstan_with(years)?;
        Ok(parsed)
    }

    /// Stores one year's file (replacing a year loaded before) after [`Store::check_calendar_year`]; `actor` is
    /// who loaded it.
    ///
    /// # Errors
    ///
    /// As [`Store::check_calendar_year`]; [`CalendarLoadError::Storage`] when the database fails. Either way nothing
    /// is written.
    pub async fn replace_calendar_year(
        &self,
        city: CityId,
        year: i32,
        text: &str,
        actor: &str,
        at_ms: i64,
    ) -> Result<CalendarYear, CalendarLoadError> {
        let parsed = self.check_calendar_year(city, year, text).await?;
        let mut tx = self.pool.begin().await?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT body FROM calendar_year WHERE city_id = $1 AND year = $2")
                .bind(city.0)
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM calendar_year WHERE city_id = $1 AND year = $2")
            .bind(city.0)
            .bind(i64::from(year))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO calendar_year (city_id, year, body, source, updated_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(city.0)
            .bind(i64::from(year))
            .bind(text)
            .bind(actor)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
        let kind = if before.is_some() { "changed" } else { "added" };
        log_change(
            &mut tx,
            city,
            ("calendar_year", &year.to_string(), kind),
            before,
            Some(text.to_owned()),
            actor,
            at_ms,
        )
        .await?;
        bump_revision(&mut tx, city, at_ms).await?;
        tx.commit().await?;
        Ok(parsed)
    }
}
