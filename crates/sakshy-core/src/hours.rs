//! Weekly opening hours in a subset of the OpenStreetMap `opening_hours` syntax, e.g.
//! `Mo-Fr 09:00-13:00,14:00-18:00; Sa 10:00-14:00`, and `24/7`.
//!
//! Times are local to the city's zone; this module does not know which zone that is.

use std::fmt;

use chrono::Weekday;

/// Opening hours for each day of the week, as sorted, non-overlapping minute ranges `[start, end)`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpeningHours {
    /// Ranges per weekday, Monday first; minutes since local midnight, end exclusive, at most 1440.
    days: [Vec<(u16, u16)>; 7],
}

/// Why a string is not valid opening hours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpeningHoursError {
    /// The text is empty.
    #[error("opening hours are empty")]
    Empty,
    /// A rule has no time ranges after its days.
    #[error("rule {rule:?} has no time range (expected e.g. \"Mo-Fr 09:00-18:00\")")]
    NoTimes {
        /// The rule as written.
        rule: String,
    },
    /// A day name is not one of `Mo Tu We Th Fr Sa Su`.
    #[error("{0:?} is not a day: use Mo, Tu, We, Th, Fr, Sa, Su")]
    BadDay(String),
    /// A time range is not `HH:MM-HH:MM`.
    #[error("{0:?} is not a time range: use HH:MM-HH:MM")]
    BadRange(String),
    /// A time range ends before it starts.
    #[error("time range {0:?} ends before it starts")]
    Backwards(String),
    /// Two ranges of one day overlap.
    #[error("time ranges overlap on {day}: {first} and {second}")]
    Overlap {
        /// The day, as `Mo`…`Su`.
        day: &'static str,
        /// The earlier range.
        first: String,
        /// The later range.
        second: String,
    },
}

const DAY_NAMES: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

impl OpeningHours {
    /// Open at every minute of every day.
    pub fn always() -> OpeningHours {
        OpeningHours { days: std::array::from_fn(|_| vec![(0, 1440)]) }
    }

    /// Parses the `opening_hours` subset described in the module docs.
    ///
    /// # Errors
    ///
    /// [`OpeningHoursError`] names the rule, day or range that is wrong.
    pub fn parse(text: &str) -> Result<OpeningHours, OpeningHoursError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(OpeningHoursError::Empty);
        }
        if text == "24/7" {
            return Ok(OpeningHours::always());
        }
        let mut hours = OpeningHours::default();
        for rule in text.split(';').map(str::trim).filter(|rule| !rule.is_empty()) {
            let (days_part, times_part) = rule
                .split_once(char::is_whitespace)
                .ok_or_else(|| OpeningHoursError::NoTimes { rule: rule.to_owned() })?;
            let days = parse_days(days_part)?;
            let times_part = times_part.trim();
            let ranges: Vec<(u16, u16)> = if times_part == "off" {
                Vec::new()
            } else {
                times_part.split(',').map(|range| parse_range(range.trim())).collect::<Result<_, _>>()?
            };
            for day in days {
                // A later rule for the same day replaces an earlier one, as in OSM.
                hours.days[day] = ranges.clone();
            }
        }
        for (day_idx, ranges) in hours.days.iter_mut().enumerate() {
            ranges.sort_unstable();
            for pair in ranges.windows(2) {
                if pair[1].0 < pair[0].1 {
                    return Err(OpeningHoursError::Overlap {
                        day: DAY_NAMES[day_idx],
                        first: format_range(pair[0]),
                        second: format_range(pair[1]),
                    });
                }
            }
        }
        Ok(hours)
    }

    /// The ranges of `day`, in minutes since local midnight, end exclusive.
    pub fn ranges(&self, day: Weekday) -> &[(u16, u16)] {
        &self.days[day.num_days_from_monday() as usize]
    }

    /// Whether the place is open on `day` at `minute` (since local midnight).
    pub fn is_open(&self, day: Weekday, minute: u16) -> bool {
        self.ranges(day).iter().any(|&(start, end)| start <= minute && minute < end)
    }

    /// Whether the place is never open.
    pub fn is_closed_all_week(&self) -> bool {
        self.days.iter().all(Vec::is_empty)
    }
}

fn parse_days(text: &str) -> Result<Vec<usize>, OpeningHoursError> {
    let mut days = Vec::new();
    for part in text.split(',') {
        let part = part.trim();
        let day_idx = |name: &str| {
            DAY_NAMES.iter().position(|d| *d == name).ok_or_else(|| OpeningHoursError::BadDay(name.to_owned()))
        };
        match part.split_once('-') {
            Some((from, to)) => {
                let (from, to) = (day_idx(from)?, day_idx(to)?);
                // A range may wrap over Sunday, e.g. Sa-Mo.
                let mut day = from;
                loop {
                    days.push(day);
                    if day == to {
                        break;
                    }
                    day = (day + 1) % 7;
                }
            }
            None => days.push(day_idx(part)?),
        }
    }
    Ok(days)
}

fn parse_range(text: &str) -> Result<(u16, u16), OpeningHoursError> {
    let bad = || OpeningHoursError::BadRange(text.to_owned());
    let (start, end) = text.split_once('-').ok_or_else(bad)?;
    let minute = |hhmm: &str| -> Option<u16> {
        let (h, m) = hhmm.trim().split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
        ((h < 24 && m < 60) || (h == 24 && m == 0)).then_some(h * 60 + m)
    };
    let (start, end) = (minute(start).ok_or_else(bad)?, minute(end).ok_or_else(bad)?);
    if end <= start {
        return Err(OpeningHoursError::Backwards(text.to_owned()));
    }
    Ok((start, end))
}

fn format_range((start, end): (u16, u16)) -> String {
    format!("{:02}:{:02}-{:02}:{:02}", start / 60, start % 60, end / 60, end % 60)
}

impl fmt::Display for OpeningHours {
    /// Writes the canonical form: consecutive days with equal hours folded into ranges, closed days left out.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if *self == OpeningHours::always() {
            return f.write_str("24/7");
        }
        let mut rules = Vec::new();
        let mut day = 0;
        while day < 7 {
            let mut last = day;
            while last + 1 < 7 && self.days[last + 1] == self.days[day] {
                last += 1;
            }
            if !self.days[day].is_empty() {
                let days = if last == day {
                    DAY_NAMES[day].to_owned()
                } else {
                    format!("{}-{}", DAY_NAMES[day], DAY_NAMES[last])
                };
                let ranges: Vec<String> = self.days[day].iter().copied().map(format_range).collect();
                rules.push(format!("{days} {}", ranges.join(",")));
            }
            day = last + 1;
        }
        if rules.is_empty() {
            return f.write_str("off");
        }
        f.write_str(&rules.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_working_week_with_a_lunch_break() {
        let hours = OpeningHours::parse("Mo-Fr 09:00-13:00,14:00-18:00; Sa 10:00-14:00").unwrap();
        assert!(hours.is_open(Weekday::Mon, 9 * 60));
        assert!(!hours.is_open(Weekday::Mon, 13 * 60 + 30), "lunch break");
        assert!(!hours.is_open(Weekday::Fri, 18 * 60), "end is exclusive");
        assert!(hours.is_open(Weekday::Sat, 11 * 60));
        assert!(!hours.is_open(Weekday::Sun, 11 * 60));
        assert_eq!(hours.to_string(), "Mo-Fr 09:00-13:00,14:00-18:00; Sa 10:00-14:00");
    }

    #[test]
    fn always_open_and_wrapping_day_ranges() {
        assert_eq!(OpeningHours::parse("24/7").unwrap().to_string(), "24/7");
        assert_eq!(OpeningHours::parse("Mo-Su 00:00-24:00").unwrap(), OpeningHours::always());
        let weekend = OpeningHours::parse("Sa-Mo 10:00-12:00").unwrap();
        assert!(weekend.is_open(Weekday::Sun, 600) && weekend.is_open(Weekday::Mon, 600));
        assert!(!weekend.is_open(Weekday::Tue, 600));
    }

    #[test]
    fn errors_name_the_offending_part() {
        assert_eq!(OpeningHours::parse(""), Err(OpeningHoursError::Empty));
        assert_eq!(OpeningHours::parse("Xx 09:00-10:00"), Err(OpeningHoursError::BadDay("Xx".into())));
        assert_eq!(OpeningHours::parse("Mo 9-10"), Err(OpeningHoursError::BadRange("9-10".into())));
        assert_eq!(OpeningHours::parse("Mo 25:00-26:00"), Err(OpeningHoursError::BadRange("25:00-26:00".into())));
        assert_eq!(OpeningHours::parse("Mo 18:00-09:00"), Err(OpeningHoursError::Backwards("18:00-09:00".into())));
        assert_eq!(OpeningHours::parse("Mo"), Err(OpeningHoursError::NoTimes { rule: "Mo".into() }));
        assert_eq!(
            OpeningHours::parse("Tu 09:00-12:00,11:00-13:00"),
            Err(OpeningHoursError::Overlap { day: "Tu", first: "09:00-12:00".into(), second: "11:00-13:00".into() })
        );
    }

    proptest! {
        #[test]
        fn canonical_text_parses_back_to_the_same_hours(
            spans in proptest::collection::vec((0u16..7, 0u16..23, 1u16..4), 0..10)
        ) {
            let mut text = Vec::new();
            for (day, start_h, len_h) in spans {
                let end_h = (start_h + len_h).min(24);
                text.push(format!("{} {:02}:00-{:02}:00", DAY_NAMES[day as usize], start_h, end_h));
            }
            if let Ok(hours) = OpeningHours::parse(&text.join("; ")) {
                let again = OpeningHours::parse(&hours.to_string());
                if hours.is_closed_all_week() {
                    prop_assert_eq!(hours.to_string(), "off");
                } else {
                    prop_assert_eq!(again, Ok(hours));
                }
            }
        }
    }
}
