//! The working-day calendar behind the legal clocks on appeals: which dates are working days in Kazakhstan
//! (five-day week, public holidays, transferred days off), when an appeal counts as registered, and the APPK
//! terms counted in working days (answer within 15, redirect within 3) or in months (an extension to at most 2).
//!
//! The calendar is data, one CSV file per year in `data/calendar/kz/` (format in [`CalendarYear::parse`]),
//! compiled in with `include_str!`. A date outside the covered years is an error, never a guess: a year whose
//! transfers are not known must be added as a file, not assumed. This module must not read files, the clock or
//! the environment, and it knows nothing about time zones: times are the city's local time.

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Timelike, Weekday};

use crate::hours::OpeningHours;
use crate::lang::{EmptyText, Lang, Localized};

#[cfg(test)]
mod tests;

/// What a listed date is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayKind {
    /// A public holiday that is a day off (`holiday` in the file); it may fall on a weekend.
    Holiday,
    /// A weekday made a day off (`day_off`): the day off of a holiday that fell on a weekend (Labour Code art. 85
    /// p. 2), or a day off moved by order (art. 85 p. 3).
    DayOff,
    /// A Saturday or Sunday made a working day by order (`working_day`).
    WorkingDay,
}

/// A listed date of the calendar, with its name for display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    date: NaiveDate,
    kind: DayKind,
    name: Localized,
}

impl Holiday {
    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Whether it is a holiday, a transferred day off or a working weekend day.
    pub fn kind(&self) -> DayKind {
        self.kind
    }

    /// The name in kk/ru/en, e.g. «Наурыз мейрамы» or «Nauryz — transferred day off».
    pub fn name(&self) -> &Localized {
        &self.name
    }
}

/// Why a calendar file or a set of years is not usable, or why a date cannot be answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The year cannot be represented (outside chrono's range).
    #[error("year {year} is outside the supported range of dates")]
    UnsupportedYear {
        /// The year asked for.
        year: i32,
    },
    /// The text is not well-formed CSV, e.g. a record with the wrong number of fields.
    #[error("line {line}: {message}")]
    Csv {
        /// Line in the file, 1-based, comment lines included.
        line: u64,
        /// What the CSV reader reported.
        message: String,
    },
    /// The header lacks a required column.
    #[error("line {line}: the header has no column {column} (expected date,kind,name_kk,name_ru,name_en)")]
    MissingColumn {
        /// Line of the header.
        line: u64,
        /// The missing column.
        column: &'static str,
    },
    /// A date is not written `YYYY-MM-DD`.
    #[error("line {line}, column date: {value:?} is not a date (use YYYY-MM-DD)")]
    BadDate {
        /// Line in the file.
        line: u64,
        /// The text as written.
        value: String,
    },
    /// A date belongs to another year than the file's.
    #[error("line {line}, column date: {date} is not in {year}")]
    WrongYear {
        /// Line in the file.
        line: u64,
        /// The date as read.
        date: NaiveDate,
        /// The year of the file.
        year: i32,
    },
    /// The kind is not `holiday`, `day_off` or `working_day`.
    #[error("line {line}, column kind: unknown kind {value:?}: use holiday, day_off or working_day")]
    UnknownKind {
        /// Line in the file.
        line: u64,
        /// The text as written.
        value: String,
    },
    /// `working_day` on a Monday to Friday, which is a working day already.
    #[error("line {line}, column kind: {date} is a {weekday}: working_day is only for a Saturday or Sunday")]
    WorkingDayOnWeekday {
        /// Line in the file.
        line: u64,
        /// The date.
        date: NaiveDate,
        /// Its day of the week.
        weekday: Weekday,
    },
    /// `day_off` on a Saturday or Sunday, which is a day off already.
    #[error("line {line}, column kind: {date} is a {weekday}: day_off is only for a Monday to Friday")]
    DayOffOnWeekend {
        /// Line in the file.
        line: u64,
        /// The date.
        date: NaiveDate,
        /// Its day of the week.
        weekday: Weekday,
    },
    /// A date is listed twice.
    #[error("line {line}, column date: {date} is already listed on line {first_line}")]
    DuplicateDate {
        /// Line of the second listing.
        line: u64,
        /// The date.
        date: NaiveDate,
        /// Line of the first listing.
        first_line: u64,
    },
    /// A name is empty.
    #[error("line {line}, column {column}: the name is empty")]
    MissingName {
        /// Line in the file.
        line: u64,
        /// `name_kk`, `name_ru` or `name_en`.
        column: &'static str,
    },
    /// No year was given to [`WorkingCalendar::new`].
    #[error("a working calendar needs at least one year")]
    NoYears,
    /// A year was given twice to [`WorkingCalendar::new`].
    #[error("year {year} is given twice")]
    DuplicateYear {
        /// The repeated year.
        year: i32,
    },
    /// The years given to [`WorkingCalendar::new`] leave a gap.
    #[error("the years {first_year}–{last_year} are not consecutive: {year} is missing")]
    MissingYear {
        /// The first missing year.
        year: i32,
        /// The earliest year given.
        first_year: i32,
        /// The latest year given.
        last_year: i32,
    },
    /// A date, or a date that a computation needed, is outside the covered years.
    #[error("{date} is outside the working-day calendar, which covers {first_year} to {last_year}")]
    OutOfRange {
        /// The date outside the calendar.
        date: NaiveDate,
        /// The first covered year.
        first_year: i32,
        /// The last covered year.
        last_year: i32,
    },
}

/// One year of the calendar: its listed dates, sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarYear {
    year: i32,
    days: Vec<Holiday>,
}

const COLUMNS: [&str; 5] = ["date", "kind", "name_kk", "name_ru", "name_en"];

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

impl CalendarYear {
    /// Parses one year's file: CSV with the header `date,kind,name_kk,name_ru,name_en` (extra columns are
    /// ignored); lines starting with `#` are comments. `kind` is `holiday`, `day_off` or `working_day` (see
    /// [`DayKind`]). Every date not listed is a working day from Monday to Friday and a day off on Saturday and
    /// Sunday.
    ///
    /// # Errors
    ///
    /// The first problem found, naming its line (comment lines counted) and column: a malformed record, a missing
    /// column, a bad date, a date outside `year`, an unknown kind, `working_day` on a weekday, `day_off` on a
    /// weekend, a date listed twice, or an empty name.
    pub fn parse(year: i32, text: &str) -> Result<CalendarYear, CalendarError> {
        year_bounds(year)?;
        let mut reader =
            csv::ReaderBuilder::new().comment(Some(b'#')).trim(csv::Trim::All).from_reader(text.as_bytes());
        // The CSV reader neither counts comment lines between records nor excludes them from a record's start,
        // so the line is found from the byte offset, stepping over the comment and blank lines the reader skipped.
        let line_at = |position: Option<&csv::Position>| {
            let bytes = text.as_bytes();
            let mut byte = position.map_or(0, |position| usize::try_from(position.byte()).unwrap_or(usize::MAX));
            byte = byte.min(bytes.len());
            while let Some(rest) = bytes.get(byte..).filter(|rest| matches!(rest.first(), Some(b'#' | b'\r' | b'\n'))) {
                byte += rest.iter().position(|&b| b == b'\n').map_or(rest.len(), |newline| newline + 1);
            }
            1 + bytes[..byte].iter().filter(|&&b| b == b'\n').count() as u64
        };
        let csv_error = |err: csv::Error| {
            let message = match err.kind() {
                csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
                    format!("{len} fields where the header has {expected_len}")
                }
                _ => err.to_string(),
            };
            CalendarError::Csv { line: line_at(err.position()), message }
        };
        let headers = reader.headers().map_err(csv_error)?.clone();
        let header_line = line_at(headers.position());
        let mut index = [0; COLUMNS.len()];
        for (slot, column) in index.iter_mut().zip(COLUMNS) {
            *slot = headers
                .iter()
                .position(|header| header == column)
                .ok_or(CalendarError::MissingColumn { line: header_line, column })?;
        }
        let [date_at, kind_at, kk_at, ru_at, en_at] = index;

        let mut days: Vec<(u64, Holiday)> = Vec::new();
        for record in reader.records() {
            let record = record.map_err(csv_error)?;
            let line = line_at(record.position());
            let field = |at: usize| record.get(at).unwrap_or("");

            let date_text = field(date_at);
            let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
                .map_err(|_| CalendarError::BadDate { line, value: date_text.to_owned() })?;
            if date.year() != year {
                return Err(CalendarError::WrongYear { line, date, year });
            }
            let kind = match field(kind_at) {
                "holiday" => DayKind::Holiday,
                "day_off" => DayKind::DayOff,
                "working_day" => DayKind::WorkingDay,
                other => {
                    return Err(CalendarError::UnknownKind { line, value: other.to_owned() });
                }
            };
            let weekday = date.weekday();
            match kind {
                DayKind::WorkingDay if !is_weekend(date) => {
                    return Err(CalendarError::WorkingDayOnWeekday { line, date, weekday });
                }
                DayKind::DayOff if is_weekend(date) => {
                    return Err(CalendarError::DayOffOnWeekend { line, date, weekday });
                }
                _ => {}
            }
            if let Some((first_line, _)) = days.iter().find(|(_, day)| day.date == date) {
                return Err(CalendarError::DuplicateDate { line, date, first_line: *first_line });
            }
            let name = Localized::new(field(kk_at), field(ru_at), field(en_at)).map_err(|EmptyText(lang)| {
                let column = match lang {
                    Lang::Kk => "name_kk",
                    Lang::Ru => "name_ru",
                    Lang::En => "name_en",
                };
                CalendarError::MissingName { line, column }
            })?;
            days.push((line, Holiday { date, kind, name }));
        }
        let mut days: Vec<Holiday> = days.into_iter().map(|(_, day)| day).collect();
        days.sort_by_key(|day| day.date);
        Ok(CalendarYear { year, days })
    }

    /// The year.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The listed dates, in date order.
    pub fn days(&self) -> &[Holiday] {
        &self.days
    }
}

/// 1 January of `year` and of the year after.
fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), CalendarError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let next = year.checked_add(1).and_then(|next| NaiveDate::from_ymd_opt(next, 1, 1));
    first.zip(next).ok_or(CalendarError::UnsupportedYear { year })
}

/// Working days over consecutive years, for counting legal terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    years: Vec<CalendarYear>,
    /// 1 January of the first year.
    start: NaiveDate,
    /// 1 January of the year after the last: the first date not covered.
    end: NaiveDate,
    /// `working_through[i]`: working days from `start` to `start + i` days, both included.
    working_through: Vec<u32>,
}

impl WorkingCalendar {
    /// Builds a calendar from consecutive years, in any order.
    ///
    /// # Errors
    ///
    /// [`CalendarError::NoYears`], [`CalendarError::DuplicateYear`], or [`CalendarError::MissingYear`] for a gap
    /// (a gap would make a date between two covered years look covered).
    pub fn new(mut years: Vec<CalendarYear>) -> Result<WorkingCalendar, CalendarError> {
        years.sort_by_key(|year| year.year);
        let (first_year, last_year) = match (years.first(), years.last()) {
            (Some(first), Some(last)) => (first.year, last.year),
            _ => return Err(CalendarError::NoYears),
        };
        for pair in years.windows(2) {
            if pair[0].year == pair[1].year {
                return Err(CalendarError::DuplicateYear { year: pair[0].year });
            }
            if pair[1].year != pair[0].year + 1 {
                return Err(CalendarError::MissingYear { year: pair[0].year + 1, first_year, last_year });
            }
        }
        let (start, _) = year_bounds(first_year)?;
        let (_, end) = year_bounds(last_year)?;

        let mut working_through = Vec::new();
        let mut count = 0;
        for year in &years {
            let mut listed = year.days.iter().peekable();
            let (mut date, year_end) = year_bounds(year.year)?;
            while date < year_end {
                let working = match listed.next_if(|day| day.date == date) {
                    Some(day) => day.kind == DayKind::WorkingDay,
                    None => !is_weekend(date),
                };
                count += u32::from(working);
                working_through.push(count);
                date = date.succ_opt().unwrap_or(year_end);
            }
        }
        Ok(WorkingCalendar { years, start, end, working_through })
    }

    /// The calendar shipped with Sakshy: Kazakhstan, five-day week, the years in `data/calendar/kz/` (2025–2027;
    /// the 2027 file lacks transfers by order, which were not yet published; see its header).
    pub fn kazakhstan() -> WorkingCalendar {
        const FILES: [(i32, &str); 3] = [
            (2025, include_str!("../../../data/calendar/kz/2025.csv")),
            (2026, include_str!("../../../data/calendar/kz/2026.csv")),
            (2027, include_str!("../../../data/calendar/kz/2027.csv")),
        ];
        let years = FILES
            .iter()
            .map(|&(year, text)| CalendarYear::parse(year, text))
            .collect::<Result<Vec<_>, _>>()
            .and_then(WorkingCalendar::new);
        years.expect("the shipped calendar files are valid (checked by the calendar tests)")
    }

    /// The shipped calendar ([`WorkingCalendar::kazakhstan`]) with years an administrator loaded: a loaded year
    /// replaces the shipped one, or extends the calendar before or after it.
    ///
    /// # Errors
    ///
    /// [`CalendarError::DuplicateYear`] if a year is loaded twice, [`CalendarError::MissingYear`] if a loaded year
    /// would leave a gap.
    pub fn kazakhstan_with(loaded: Vec<CalendarYear>) -> Result<WorkingCalendar, CalendarError> {
        let mut years: Vec<CalendarYear> = WorkingCalendar::kazakhstan()
            .years
            .into_iter()
            .filter(|shipped| !loaded.iter().any(|year| year.year == shipped.year))
            .collect();
        years.extend(loaded);
        WorkingCalendar::new(years)
    }

    /// The covered years, in order.
    pub fn years(&self) -> &[CalendarYear] {
        &self.years
    }

    /// The first covered year.
    pub fn first_year(&self) -> i32 {
        self.start.year()
    }

    /// The last covered year.
    pub fn last_year(&self) -> i32 {
        self.end.year() - 1
    }

    fn out_of_range(&self, date: NaiveDate) -> CalendarError {
        CalendarError::OutOfRange { date, first_year: self.first_year(), last_year: self.last_year() }
    }

    /// Days from `start` to `date`, if `date` is covered.
    fn index(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        if date < self.start || date >= self.end {
            return Err(self.out_of_range(date));
        }
        usize::try_from((date - self.start).num_days()).map_err(|_| self.out_of_range(date))
    }

    fn date_at(&self, index: usize) -> NaiveDate {
        self.start + chrono::Days::new(index as u64)
    }

    /// Working days from the first covered date to the day at `index`, both included.
    fn through(&self, index: usize) -> u32 {
        self.working_through[index]
    }

    fn is_working_at(&self, index: usize) -> bool {
        let before = if index == 0 { 0 } else { self.through(index - 1) };
        self.through(index) > before
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] if `date` is not in a covered year.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        Ok(self.is_working_at(self.index(date)?))
    }

    /// `date` itself if it is a working day, otherwise the first working day after it.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] if `date` is not covered, or (naming the first uncovered date) if no working
    /// day follows it within the covered years.
    pub fn next_working_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        let from = self.index(date)?;
        (from..self.working_through.len())
            .find(|&index| self.is_working_at(index))
            .map(|index| self.date_at(index))
            .ok_or_else(|| self.out_of_range(self.end))
    }

    /// The `n`-th working day after `start`, not counting `start` itself; `start` when `n` is 0.
    ///
    /// This is how the APPK terms run: the 15 working days to answer an appeal (APPK art. 76) and the 3 working
    /// days to redirect it are counted from the day after registration, so an appeal registered on Monday
    /// 2 February 2026 has its 1st working day on Tuesday 3 February and its 15th on Monday 23 February.
    /// `start` need not be a working day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] if `start` is not covered, or (naming the first uncovered date) if the
    /// `n`-th working day lies past the last covered year.
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        let from = self.index(start)?;
        if n == 0 {
            return Ok(start);
        }
        let target = self.through(from).checked_add(n).ok_or_else(|| self.out_of_range(self.end))?;
        // The first day whose running count reaches the target is the n-th working day after `start`.
        let index = self.working_through.partition_point(|&count| count < target);
        if index == self.working_through.len() {
            return Err(self.out_of_range(self.end));
        }
        Ok(self.date_at(index))
    }

    /// The number of working days in `(from, to]`: after `from`, up to and including `to`; 0 if `to` is not
    /// after `from`. The inverse of [`WorkingCalendar::add_working_days`]:
    /// `working_days_between(d, add_working_days(d, n)) == n`.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] naming the first of the two dates that is not covered.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let (from, to) = (self.index(from)?, self.index(to)?);
        Ok(self.through(to).saturating_sub(self.through(from)))
    }

    /// The listed entry for `date`, for display: a holiday (which may fall on a weekend), a transferred day off
    /// or a working weekend day; `None` for an ordinary weekday or weekend day.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] if `date` is not in a covered year.
    pub fn holiday(&self, date: NaiveDate) -> Result<Option<&Holiday>, CalendarError> {
        self.index(date)?;
        let year = usize::try_from(date.year() - self.first_year()).map_err(|_| self.out_of_range(date))?;
        let days = &self.years[year].days;
        Ok(days.binary_search_by_key(&date, |day| day.date).ok().map(|at| &days[at]))
    }

    /// The date an appeal counts as registered, from the local date and time it was received and the office's
    /// hours (APPK art. 64: an appeal is registered on the day it is received; one received after working hours
    /// or on a non-working day is registered on the next working day).
    ///
    /// The rule applied: the same date if it is a working day and the time is before the office's last closing
    /// time that weekday (so an appeal received before opening, or during a lunch break, registers that day);
    /// otherwise the next working day. A closing time is exclusive: received at 18:00 with hours ending 18:00 is
    /// after hours. If the hours list no time for that weekday (e.g. a Saturday made a working day, with hours
    /// `Mo-Fr`), the appeal counts as received after hours. The office's hours on the next working day are not
    /// consulted: the law moves registration to the next working day, not to the next opening.
    ///
    /// # Errors
    ///
    /// [`CalendarError::OutOfRange`] if the date is not covered or no working day follows within the calendar.
    pub fn registration_date(
        &self,
        received_local: NaiveDateTime,
        office_hours: &OpeningHours,
    ) -> Result<NaiveDate, CalendarError> {
        let date = received_local.date();
        let minute = u16::try_from(received_local.hour() * 60 + received_local.minute()).unwrap_or(u16::MAX);
        let closes = office_hours.ranges(date.weekday()).iter().map(|&(_, end)| end).max();
        if self.is_working_day(date)? && closes.is_some_and(|closes| minute < closes) {
            return Ok(date);
        }
        let next = date.succ_opt().ok_or_else(|| self.out_of_range(date))?;
        self.next_working_day_on_or_after(next)
    }
}

/// The latest date an extended term may reach: `registered` plus 2 calendar months, the APPK ceiling on
/// extending the term of an appeal. A day missing from the later month is clamped to its last day
/// (31 December → 28 or 29 February). This is a calendar limit: it is not moved off a non-working day.
pub fn extension_limit(registered: NaiveDate) -> NaiveDate {
    registered.checked_add_months(Months::new(2)).unwrap_or(NaiveDate::MAX)
}
