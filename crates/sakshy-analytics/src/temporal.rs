//! When events happen: the weekday × hour-of-day matrix (with Ratcliffe's aoristic spreading of time windows)
//! and the monthly trend with year-over-year change, on plain civil dates and times.
//!
//! # Times are local civil times
//!
//! This crate has no time-zone database and reads no clock. Every time here is a *civil* date or date-time in
//! the city's own time zone: callers convert instants (UTC timestamps) to the city's local time **before**
//! calling, so that "Friday 23:00" means what residents and patrols mean by it. A [`LocalDate`] is a count of
//! days since 1970-01-01 in that zone; a [`LocalDateTime`] adds the minute of the day.
//!
//! Civil-date arithmetic follows Howard Hinnant's `days_from_civil` / `civil_from_days` ("chrono-Compatible
//! Low-Level Date Algorithms", <https://howardhinnant.github.io/date_algorithms.html>) on the proleptic
//! Gregorian calendar. Weekdays are ISO weekdays counted from zero: Monday = 0 … Sunday = 6 (1970-01-01 was a
//! Thursday, weekday 3).
//!
//! This module must not guess: an event known only to its date is never put at 00:00, it is counted apart.

use serde::Serialize;

/// A civil date in the city's local time zone, stored as days since 1970-01-01 (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDate(i32);

/// A civil date and time to the minute in the city's local time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    date: LocalDate,
    minute_of_day: u16,
}

/// A calendar month of a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct YearMonth {
    /// Year (proleptic Gregorian; 0 is 1 BC).
    pub year: i32,
    /// Month, 1 = January … 12 = December.
    pub month: u32,
}

/// When an event happened, as precisely as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventTime {
    /// Known to the minute (or to the hour, with the minute 0).
    At(LocalDateTime),
    /// Known only to the date: counted in the "hour unknown" column of its weekday, never at 00:00.
    DateOnly(LocalDate),
    /// Happened at some unknown moment in `[from, to)` (e.g. a burglary found in the morning): spread over the
    /// hours it touches with equal weight (aoristic analysis). `from == to` is an exact time.
    Window {
        /// Earliest possible time.
        from: LocalDateTime,
        /// Latest possible time (exclusive).
        to: LocalDateTime,
    },
}

/// Why a date, time or temporal summary cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemporalError {
    /// The year, month and day do not name a real date (e.g. 2023-02-29), or the date is too far from 1970.
    #[error("{year:04}-{month:02}-{day:02} is not a valid date")]
    BadDate {
        /// Year given.
        year: i32,
        /// Month given.
        month: u32,
        /// Day given.
        day: u32,
    },
    /// The hour or minute is out of range (hours 0–23, minutes 0–59).
    #[error("{hour:02}:{minute:02} is not a valid time of day")]
    BadTime {
        /// Hour given.
        hour: u32,
        /// Minute given.
        minute: u32,
    },
    /// A month is not in 1–12.
    #[error("month {0} is not in 1–12")]
    BadMonth(u32),
    /// An event's time window ends before it starts.
    #[error("event {index} has a time window that ends before it starts")]
    WindowReversed {
        /// Zero-based position of the event in the input.
        index: usize,
    },
    /// The trend window's last month is before its first.
    #[error(
        "the trend window ends ({last_year:04}-{last_month:02}) before it starts ({first_year:04}-{first_month:02})"
    )]
    EmptyWindow {
        /// First month's year.
        first_year: i32,
        /// First month.
        first_month: u32,
        /// Last month's year.
        last_year: i32,
        /// Last month.
        last_month: u32,
    },
    /// The trend window is longer than [`MAX_TREND_MONTHS`].
    #[error("the trend window has {0} months; at most {MAX_TREND_MONTHS} are allowed")]
    WindowTooLong(i64),
}

/// Number of days from 1970-01-01 to the proleptic Gregorian date `year-month-day`.
///
/// Hinnant's `days_from_civil`: shift the year to start on 1 March (so the leap day is the year's last day),
/// split it into 400-year eras of 146,097 days, and count the day of the era from the year of the era and the
/// day of the (March-based) year, whose month lengths follow `(153·m + 2) / 5`. Exact for every date whose
/// day count fits in an `i64`; the arguments are not checked (day 31 of February counts on into March).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400; // [0, 399]
    let month_from_march = if month > 2 { month - 3 } else { month + 9 }; // [0, 11]
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1; // [0, 365]
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year; // [0, 146096]
    era * 146_097 + day_of_era - 719_468
}

/// The proleptic Gregorian `(year, month, day)` of a count of days since 1970-01-01: the inverse of
/// [`days_from_civil`] (Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097; // [0, 146096]
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365; // [0, 399]
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100); // [0, 365]
    let month_from_march = (5 * day_of_year + 2) / 153; // [0, 11]
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1; // [1, 31]
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 }; // [1, 12]
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month as u32, day as u32)
}

/// Whether `year` is a leap year of the proleptic Gregorian calendar.
pub fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Number of days in `month` (1–12) of `year`; 0 for a month out of range.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl LocalDate {
    /// The date `year-month-day`.
    ///
    /// # Errors
    ///
    /// [`TemporalError::BadDate`] when the month or day is out of range for that month and year (2023-02-29 is
    /// rejected, 2024-02-29 accepted) or the date is more than `i32::MAX` days from 1970-01-01.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Result<LocalDate, TemporalError> {
        let bad = TemporalError::BadDate { year, month, day };
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
            return Err(bad);
        }
        i32::try_from(days_from_civil(i64::from(year), month, day)).map(LocalDate).map_err(|_| bad)
    }

    /// The date `days` days after 1970-01-01 (before it when negative).
    pub fn from_days_since_epoch(days: i32) -> LocalDate {
        LocalDate(days)
    }

    /// Days since 1970-01-01.
    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// `(year, month, day)`, month and day counted from 1.
    pub fn ymd(self) -> (i32, u32, u32) {
        let (year, month, day) = civil_from_days(i64::from(self.0));
        // Every i32 day count lies within ±5.9 million years of 1970, so the year fits.
        (year as i32, month, day)
    }

    /// ISO weekday counted from zero: Monday = 0 … Sunday = 6.
    pub fn weekday(self) -> u8 {
        weekday_of_day(i64::from(self.0))
    }

    /// The calendar month this date falls in.
    pub fn year_month(self) -> YearMonth {
        let (year, month, _) = self.ymd();
        YearMonth { year, month }
    }

    /// The date `days` days later (earlier when negative), or `None` beyond the representable range.
    pub fn add_days(self, days: i32) -> Option<LocalDate> {
        self.0.checked_add(days).map(LocalDate)
    }
}

impl std::fmt::Display for LocalDate {
    /// ISO 8601 `YYYY-MM-DD` (years beyond 0000–9999 get a sign or more digits).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (year, month, day) = self.ymd();
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}-{month:02}-{day:02}")
        } else {
            write!(f, "{year:+05}-{month:02}-{day:02}")
        }
    }
}

impl Serialize for LocalDate {
    /// As its ISO 8601 string, `"YYYY-MM-DD"`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl LocalDateTime {
    /// The time `hour:minute` on `date`.
    ///
    /// # Errors
    ///
    /// [`TemporalError::BadTime`] for an hour outside 0–23 or a minute outside 0–59.
    pub fn new(date: LocalDate, hour: u32, minute: u32) -> Result<LocalDateTime, TemporalError> {
        if hour >= 24 || minute >= 60 {
            return Err(TemporalError::BadTime { hour, minute });
        }
        Ok(LocalDateTime { date, minute_of_day: (hour * 60 + minute) as u16 })
    }

    /// The time `year-month-day hour:minute`.
    ///
    /// # Errors
    ///
    /// [`TemporalError::BadDate`] or [`TemporalError::BadTime`].
    pub fn from_ymd_hm(
        year: i32,
        month: u32,
        day: u32,
        hour: u32,
        minute: u32,
    ) -> Result<LocalDateTime, TemporalError> {
        LocalDateTime::new(LocalDate::from_ymd(year, month, day)?, hour, minute)
    }

    /// The time `minutes` minutes after 1970-01-01 00:00, or `None` beyond the representable range.
    pub fn from_minutes_since_epoch(minutes: i64) -> Option<LocalDateTime> {
        let days = i32::try_from(minutes.div_euclid(1440)).ok()?;
        Some(LocalDateTime { date: LocalDate(days), minute_of_day: minutes.rem_euclid(1440) as u16 })
    }

    /// The date.
    pub fn date(self) -> LocalDate {
        self.date
    }

    /// Hour of the day, 0–23.
    pub fn hour(self) -> u32 {
        u32::from(self.minute_of_day) / 60
    }

    /// Minute of the hour, 0–59.
    pub fn minute(self) -> u32 {
        u32::from(self.minute_of_day) % 60
    }

    /// Minute of the day, 0–1439.
    pub fn minute_of_day(self) -> u32 {
        u32::from(self.minute_of_day)
    }

    /// Minutes since 1970-01-01 00:00 local time.
    pub fn minutes_since_epoch(self) -> i64 {
        i64::from(self.date.0) * 1440 + i64::from(self.minute_of_day)
    }
}

impl YearMonth {
    /// The month `month` (1–12) of `year`.
    ///
    /// # Errors
    ///
    /// [`TemporalError::BadMonth`] for a month outside 1–12.
    pub fn new(year: i32, month: u32) -> Result<YearMonth, TemporalError> {
        if !(1..=12).contains(&month) {
            return Err(TemporalError::BadMonth(month));
        }
        Ok(YearMonth { year, month })
    }

    /// Months since January of year 0: a linear index, so that consecutive months differ by one.
    fn index(self) -> i64 {
        i64::from(self.year) * 12 + i64::from(self.month) - 1
    }

    /// The month with linear index `index` (see [`YearMonth::index`]).
    fn from_index(index: i64) -> YearMonth {
        YearMonth { year: index.div_euclid(12) as i32, month: index.rem_euclid(12) as u32 + 1 }
    }
}

/// ISO weekday (Monday = 0) of a day count since 1970-01-01, a Thursday (3).
fn weekday_of_day(days: i64) -> u8 {
    (days + 3).rem_euclid(7) as u8
}

// ---------------------------------------------------------------------------------------------------------------
// Weekday × hour matrix.

/// Events per weekday and hour of day. Rows are weekdays Monday … Sunday, columns hours 0–23 (hour `h` is
/// `[h:00, h+1:00)` local time).
///
/// Counts are `f64` because aoristic events ([`EventTime::Window`]) add fractions; with only exact and
/// date-only events they are whole numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekHourMatrix {
    /// `[7][24]`: events (or aoristic weight) per weekday (row, Monday first) and hour (column).
    pub counts: [[f64; 24]; 7],
    /// Per weekday (Monday first): events known only to the date, whose hour is unknown.
    pub hour_unknown: [f64; 7],
    /// Events in the input.
    pub n_events: usize,
    /// Of these, events known to the minute ([`EventTime::At`], or a window within one minute).
    pub n_exact: usize,
    /// Of these, events known only to the date ([`EventTime::DateOnly`]).
    pub n_date_only: usize,
    /// Of these, events with a time window spread aoristically ([`EventTime::Window`] with `from < to`).
    pub n_window: usize,
}

impl WeekHourMatrix {
    /// Total per hour of day (0–23) over all weekdays, excluding the hour-unknown events.
    pub fn by_hour(&self) -> [f64; 24] {
        std::array::from_fn(|hour| self.counts.iter().map(|row| row[hour]).sum())
    }

    /// Total per weekday (Monday first), including the hour-unknown events.
    pub fn by_weekday(&self) -> [f64; 7] {
        std::array::from_fn(|day| self.counts[day].iter().sum::<f64>() + self.hour_unknown[day])
    }
}

/// The weekday × hour matrix of `events`.
///
/// - [`EventTime::At`] adds 1 to its weekday and hour.
/// - [`EventTime::DateOnly`] adds 1 to its weekday's [`WeekHourMatrix::hour_unknown`], never to hour 0.
/// - [`EventTime::Window`] `[from, to)` touching `k` clock hours (the hours `h` with `[h, h+1) ∩ [from, to)`
///   non-empty) adds `1/k` to each of them, on the weekday each falls on (Ratcliffe's aoristic analysis, equal
///   weight per hour block). A window with `from == to` is an exact time. Long windows cost O(168) each: whole
///   weeks add the same weight to every cell.
///
/// Events are summed in input order, so the result does not depend on threads.
///
/// # Errors
///
/// [`TemporalError::WindowReversed`] naming the first window with `to < from`.
///
/// # References
///
/// Ratcliffe, J. H. (2000). Aoristic analysis: the spatial interpretation of unspecific temporal events.
/// *International Journal of Geographical Information Science* 14(7), 669–679.
pub fn week_hour_matrix(events: &[EventTime]) -> Result<WeekHourMatrix, TemporalError> {
    let mut matrix = WeekHourMatrix {
        counts: [[0.0; 24]; 7],
        hour_unknown: [0.0; 7],
        n_events: events.len(),
        n_exact: 0,
        n_date_only: 0,
        n_window: 0,
    };
    for (index, event) in events.iter().enumerate() {
        match *event {
            EventTime::At(at) => {
                matrix.counts[usize::from(at.date.weekday())][at.hour() as usize] += 1.0;
                matrix.n_exact += 1;
            }
            EventTime::DateOnly(date) => {
                matrix.hour_unknown[usize::from(date.weekday())] += 1.0;
                matrix.n_date_only += 1;
            }
            EventTime::Window { from, to } => {
                let (start, end) = (from.minutes_since_epoch(), to.minutes_since_epoch());
                if end < start {
                    return Err(TemporalError::WindowReversed { index });
                }
                if end == start {
                    matrix.counts[usize::from(from.date.weekday())][from.hour() as usize] += 1.0;
                    matrix.n_exact += 1;
                } else {
                    spread_aoristically(&mut matrix.counts, start, end);
                    matrix.n_window += 1;
                }
            }
        }
    }
    Ok(matrix)
}

/// Adds one event spread over the clock hours touched by `[start, end)` (minutes since the epoch, `start < end`).
fn spread_aoristically(counts: &mut [[f64; 24]; 7], start: i64, end: i64) {
    let first_hour = start.div_euclid(60);
    let last_hour = (end - 1).div_euclid(60);
    let hours = last_hour - first_hour + 1;
    let weight = 1.0 / hours as f64;
    // Every full week of hours visits each of the 168 weekday-hour cells once.
    let full_weeks = hours / 168;
    if full_weeks > 0 {
        let per_cell = full_weeks as f64 * weight;
        for row in counts.iter_mut() {
            for cell in row.iter_mut() {
                *cell += per_cell;
            }
        }
    }
    for hour in first_hour..first_hour + hours % 168 {
        let day = hour.div_euclid(24);
        counts[usize::from(weekday_of_day(day))][hour.rem_euclid(24) as usize] += weight;
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Monthly trend.

/// The most months a trend window may have (1,000 years).
pub const MAX_TREND_MONTHS: i64 = 12_000;

/// Events per calendar month over a window, with year-over-year change and a 12-month rolling sum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyTrend {
    /// One entry per month of the window, in order, months without events included with 0.
    pub months: Vec<MonthCount>,
    /// Events dated outside the window (not counted in any month).
    pub outside: usize,
}

/// One month of a [`MonthlyTrend`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthCount {
    /// Year.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Events dated in this month.
    pub count: u64,
    /// The same month a year earlier's count, `None` when that month is outside the window.
    pub previous_year: Option<u64>,
    /// `count − previous_year`, `None` when that month is outside the window.
    pub yoy_change: Option<i64>,
    /// `100 · (count − previous_year) / previous_year`, `None` when that month is outside the window or had
    /// no events.
    pub yoy_percent: Option<f64>,
    /// Events in this month and the 11 before it, `None` for the window's first 11 months (where fewer than
    /// 12 months of the window are available).
    pub rolling_12: Option<u64>,
}

/// The monthly trend of the events dated `dates`, over the months `first..=last`.
///
/// Every month of the window appears, those with no events with count 0, so a chart has no gaps. The
/// year-over-year change compares a month with the same month a year earlier **inside the window** only: a
/// month a year before the window's start is "outside data", not zero, and gives `None`. To get a change for
/// every month of a year, ask for a window starting twelve months earlier and drop the first twelve. A
/// 29 February event counts in February of its year; nothing is shifted between years.
///
/// # Errors
///
/// [`TemporalError::EmptyWindow`] when `last` is before `first`, [`TemporalError::WindowTooLong`] beyond
/// [`MAX_TREND_MONTHS`].
pub fn monthly_trend(dates: &[LocalDate], first: YearMonth, last: YearMonth) -> Result<MonthlyTrend, TemporalError> {
    let (start, end) = (first.index(), last.index());
    if end < start {
        return Err(TemporalError::EmptyWindow {
            first_year: first.year,
            first_month: first.month,
            last_year: last.year,
            last_month: last.month,
        });
    }
    let n_months = end - start + 1;
    if n_months > MAX_TREND_MONTHS {
        return Err(TemporalError::WindowTooLong(n_months));
    }
    let mut counts = vec![0u64; n_months as usize];
    let mut outside = 0;
    for date in dates {
        let index = date.year_month().index();
        if (start..=end).contains(&index) {
            counts[(index - start) as usize] += 1;
        } else {
            outside += 1;
        }
    }
    let mut rolling = 0u64;
    let months = (0..counts.len())
        .map(|offset| {
            let count = counts[offset];
            rolling += count;
            if offset >= 12 {
                rolling -= counts[offset - 12];
            }
            let previous_year = offset.checked_sub(12).map(|earlier| counts[earlier]);
            let YearMonth { year, month } = YearMonth::from_index(start + offset as i64);
            MonthCount {
                year,
                month,
                count,
                previous_year,
                yoy_change: previous_year.map(|before| count as i64 - before as i64),
                yoy_percent: previous_year
                    .filter(|&before| before > 0)
                    .map(|before| 100.0 * (count as f64 - before as f64) / before as f64),
                rolling_12: (offset >= 11).then_some(rolling),
            }
        })
        .collect();
    Ok(MonthlyTrend { months, outside })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hinnant_matches_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(civil_from_days(-719_468), (0, 3, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(LocalDate::from_ymd(2026, 12, 1).unwrap().weekday(), 1);
        assert_eq!(LocalDate::from_days_since_epoch(0).weekday(), 3);
        assert_eq!(LocalDate::from_ymd(2024, 2, 29).unwrap().to_string(), "2024-02-29");
        assert_eq!(LocalDate::from_ymd(-1, 12, 31).unwrap().to_string(), "-0001-12-31");
    }

    #[test]
    fn leap_years_follow_the_gregorian_rule() {
        assert!(is_leap_year(2000) && is_leap_year(2024) && !is_leap_year(1900) && !is_leap_year(2023));
        assert!(LocalDate::from_ymd(2023, 2, 29).is_err());
        assert!(LocalDate::from_ymd(1900, 2, 29).is_err());
        assert!(LocalDate::from_ymd(2000, 2, 29).is_ok());
        assert!(LocalDate::from_ymd(2024, 13, 1).is_err());
        assert!(LocalDate::from_ymd(2024, 4, 31).is_err());
        assert!(LocalDate::from_ymd(10_000_000, 1, 1).is_err());
    }

    #[test]
    fn a_window_of_exactly_one_week_and_an_hour_weights_one_cell_twice() {
        let from = LocalDateTime::from_ymd_hm(2026, 12, 1, 10, 0).unwrap(); // Tuesday
        let to = LocalDateTime::from_minutes_since_epoch(from.minutes_since_epoch() + 169 * 60).unwrap();
        let matrix = week_hour_matrix(&[EventTime::Window { from, to }]).unwrap();
        assert_eq!(matrix.counts[1][10], 2.0 / 169.0);
        assert_eq!(matrix.counts[1][11], 1.0 / 169.0);
        assert_eq!(matrix.counts[6][23], 1.0 / 169.0);
    }
}
