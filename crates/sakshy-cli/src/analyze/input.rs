//! Reading the events of `sakshy analyze --input F.csv`: coordinates (`x,y` metres with `--xy`, else
//! `lat,lon`) and times (`t`), every bad row reported as `line N, column C: reason`.
//!
//! Nothing is skipped: a file with any bad row is refused, and every problem is listed (the first 50 shown).
//! Times are local civil times as written; a time-zone suffix is refused rather than guessed at.

use std::path::Path;

use anyhow::{Context, bail};
use sakshy_analytics::LocalProjection;
use sakshy_analytics::temporal::{LocalDate, LocalDateTime};

use super::{Events, InputCrs, Time};

/// The most problems listed in an error message.
pub(crate) const MAX_PROBLEMS_SHOWN: usize = 50;

/// What an analysis needs from each row.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Needs {
    /// Coordinates (every method but `temporal`).
    pub(crate) location: bool,
    /// The time column `t`.
    pub(crate) time: bool,
}

/// Reads the events of a CSV file: a header row, then one event per row.
///
/// Columns are found by name (any case, spaces trimmed); other columns are ignored. With `planar` the
/// coordinates are `x`, `y` in metres, used as given; otherwise `lat`, `lon` in WGS84 degrees, projected to
/// metres with a local equirectangular projection centred on the mean of the events.
///
/// # Errors
///
/// The file cannot be read, a needed column is missing, or rows are bad (all listed, as `line N, column C:
/// reason`).
pub(crate) fn read_csv(path: &Path, planar: bool, needs: Needs) -> anyhow::Result<Events> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse_csv(&text, planar, needs).with_context(|| format!("in {}", path.display()))
}

/// [`read_csv`] on the file's text.
pub(crate) fn parse_csv(text: &str, planar: bool, needs: Needs) -> anyhow::Result<Events> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(text.as_bytes());
    let header: Vec<String> =
        reader.headers().context("reading the header row")?.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let column = |name: &str| header.iter().position(|h| h == name);
    let (first, second) = if planar { ("x", "y") } else { ("lat", "lon") };
    let coordinates = if needs.location {
        match (column(first), column(second)) {
            (Some(a), Some(b)) => Some((a, b)),
            _ if !planar && column("x").is_some() && column("y").is_some() => {
                bail!("the file has x and y columns but no lat and lon: add --xy for planar coordinates in metres")
            }
            _ if planar && column("lat").is_some() && column("lon").is_some() => {
                bail!("the file has lat and lon columns but no x and y: leave out --xy for WGS84 degrees")
            }
            _ => bail!("the header needs the columns {first} and {second} (found: {})", header.join(", ")),
        }
    } else {
        None
    };
    let time_column = match column("t") {
        Some(index) if needs.time => Some(index),
        None if needs.time => bail!("the header needs a column t with the date or date-time of each event"),
        _ => None,
    };

    let mut raw_points = Vec::new();
    let mut times = Vec::new();
    let mut problems = Vec::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = match record {
            Ok(record) => record,
            Err(err) => {
                let line = err.position().map_or(0, |p| p.line());
                problems.push(format!("line {line}: {err}"));
                continue;
            }
        };
        rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        // A field's trimmed text, or why it cannot be read.
        let field = |index: usize| -> Result<&str, String> {
            match record.get(index).map(str::trim) {
                Some("") => Err("empty".to_owned()),
                Some(value) => Ok(value),
                None => Err(format!("missing (the row has {} fields, the header {})", record.len(), header.len())),
            }
        };
        if let Some((a, b)) = coordinates {
            let values = [(a, first), (b, second)].map(|(index, name)| {
                match field(index).and_then(|text| coordinate(text, name, planar)) {
                    Ok(value) => Some(value),
                    Err(reason) => {
                        problems.push(format!("line {line}, column {name}: {reason}"));
                        None
                    }
                }
            });
            if let [Some(a), Some(b)] = values {
                raw_points.push(if planar { (a, b) } else { (b, a) });
            }
        }
        if let Some(index) = time_column {
            match field(index).and_then(parse_time) {
                Ok(time) => times.push(time),
                Err(reason) => problems.push(format!("line {line}, column t: {reason}")),
            }
        }
    }
    if !problems.is_empty() {
        bail!("{}", problem_list(&problems, rows));
    }
    if rows == 0 {
        bail!("the file has no events (only a header)");
    }
    let (points, crs) = if !needs.location {
        (Vec::new(), InputCrs::None)
    } else if planar {
        (raw_points, InputCrs::Planar)
    } else {
        let n = raw_points.len() as f64;
        let (lon, lat) = raw_points.iter().fold((0.0, 0.0), |(x, y), p| (x + p.0 / n, y + p.1 / n));
        let projection = LocalProjection::new(lon, lat)
            .with_context(|| format!("the events' mean position ({lon}, {lat}) cannot be the projection's origin"))?;
        let points = raw_points.iter().map(|&(lon, lat)| projection.forward(lon, lat)).collect();
        (points, InputCrs::Local { projection, origin_lon: lon, origin_lat: lat })
    };
    Ok(Events { points, times, crs, rows })
}

/// The error message listing problems: at most [`MAX_PROBLEMS_SHOWN`], then how many more.
pub(crate) fn problem_list(problems: &[String], rows: usize) -> String {
    let noun = if problems.len() == 1 { "problem" } else { "problems" };
    let mut message = format!("{} {noun} in {rows} rows; nothing was analysed:", problems.len());
    for problem in problems.iter().take(MAX_PROBLEMS_SHOWN) {
        message.push_str("\n  ");
        message.push_str(problem);
    }
    if problems.len() > MAX_PROBLEMS_SHOWN {
        message.push_str(&format!("\n  … and {} more", problems.len() - MAX_PROBLEMS_SHOWN));
    }
    message
}

/// A coordinate: metres (planar) or degrees in range.
fn coordinate(text: &str, name: &str, planar: bool) -> Result<f64, String> {
    let value: f64 = text.parse().map_err(|_| format!("{text:?} is not a number"))?;
    if !value.is_finite() {
        return Err(format!("{text:?} is not a finite number"));
    }
    if !planar {
        let limit = if name == "lat" { 90.0 } else { 180.0 };
        if value.abs() > limit {
            let what = if name == "lat" { "latitude" } else { "longitude" };
            return Err(format!("{what} {value} is outside [-{limit}, {limit}]"));
        }
    }
    Ok(value)
}

/// A date (`YYYY-MM-DD`: the hour is unknown) or a local date-time (`YYYY-MM-DDTHH:MM[:SS[.fff]]`, `T` or a
/// space). Seconds are dropped: times are kept to the minute.
pub(crate) fn parse_time(text: &str) -> Result<Time, String> {
    let bad = || {
        format!("{text:?} is not a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM or YYYY-MM-DD HH:MM[:SS])")
    };
    let text = text.trim();
    let after_date = text.get(10..).unwrap_or("");
    if !after_date.is_empty()
        && (text.ends_with('Z') || after_date.contains('+') || after_date.chars().skip(1).any(|c| c == '-'))
    {
        return Err(format!(
            "{text:?} has a time zone; give the local time as written in the city (YYYY-MM-DD HH:MM), without Z or an \
             offset"
        ));
    }
    let (date, time) = match text.len() {
        10 => (text, None),
        n if n >= 16 && matches!(text.as_bytes()[10], b'T' | b' ') => (&text[..10], text.get(11..)),
        _ => return Err(bad()),
    };
    let number = |s: &str| -> Result<u32, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) { Err(bad()) } else { s.parse().map_err(|_| bad()) }
    };
    let parts: Vec<&str> = date.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return Err(bad());
    }
    let (year, month, day) = (number(parts[0])?, number(parts[1])?, number(parts[2])?);
    let date =
        LocalDate::from_ymd(year as i32, month, day).map_err(|_| format!("{text:?}: {date} is not a real date"))?;
    let Some(time) = time else {
        return Ok(Time::Date(date));
    };
    let time_parts: Vec<&str> = time.split(':').collect();
    let (hour, minute) = match time_parts.as_slice() {
        [h, m] => (h, m),
        [h, m, s] => {
            let whole = s.split_once('.').map_or(*s, |(whole, fraction)| {
                if fraction.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) { "x" } else { whole }
            });
            if whole.len() != 2 || number(whole)? > 60 {
                return Err(bad());
            }
            (h, m)
        }
        _ => return Err(bad()),
    };
    if hour.len() != 2 || minute.len() != 2 {
        return Err(bad());
    }
    let at = LocalDateTime::new(date, number(hour)?, number(minute)?)
        .map_err(|_| format!("{text:?}: {time} is not a time of day"))?;
    Ok(Time::At(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_date_times_parse_and_zones_are_refused() {
        let date = LocalDate::from_ymd(2016, 1, 31).unwrap();
        assert_eq!(parse_time("2016-01-31"), Ok(Time::Date(date)));
        let at = Time::At(LocalDateTime::new(date, 23, 5).unwrap());
        for text in ["2016-01-31T23:05", "2016-01-31 23:05", "2016-01-31T23:05:59", "2016-01-31 23:05:07.25"] {
            assert_eq!(parse_time(text), Ok(at), "{text}");
        }
        for text in ["2016-02-30", "2016-1-31", "31.01.2016", "2016-01-31T24:00", "2016-01-31T23:5", "", "2016-01-31T"]
        {
            assert!(parse_time(text).is_err(), "{text}");
        }
        assert!(parse_time("2016-01-31T23:05Z").unwrap_err().contains("time zone"));
        assert!(parse_time("2016-01-31T23:05:00+06:00").unwrap_err().contains("time zone"));
        assert!(parse_time("2016-01-31T23:05:00-03:00").unwrap_err().contains("time zone"));
    }

    #[test]
    fn every_bad_row_is_named_by_line_and_column() {
        let text = "id,x,y,t\n1,10,20,2016-01-01\n2,10,abc,2016-01-02\n3,10,20,2016-01-03\n4,10,20,2016-13-01\n5,,20\n";
        let err = parse_csv(text, true, Needs { location: true, time: true }).unwrap_err().to_string();
        assert!(err.starts_with("4 problems in 5 rows"), "{err}");
        assert!(err.contains("line 3, column y: \"abc\" is not a number"), "{err}");
        assert!(err.contains("line 5, column t: \"2016-13-01\""), "{err}");
        assert!(err.contains("line 6, column x: empty"), "{err}");
        assert!(err.contains("line 6, column t: missing"), "{err}");
    }

    #[test]
    fn lat_lon_are_projected_around_their_mean_and_extra_columns_ignored() {
        let text = "\u{feff}Lat,Lon,name\n42.3,69.5,a\n42.3,69.7,b\n";
        let events = parse_csv(text, false, Needs { location: true, time: false }).unwrap();
        match events.crs {
            InputCrs::Local { origin_lon, origin_lat, .. } => {
                assert!((origin_lon - 69.6).abs() < 1e-12 && (origin_lat - 42.3).abs() < 1e-12);
            }
            _ => panic!("projected"),
        }
        assert!((events.points[0].0 + events.points[1].0).abs() < 1e-6);
        assert!(events.points[0].0 < -8_000.0);
        assert!(
            parse_csv("lat,lon\n91,69\n", false, Needs { location: true, time: false })
                .unwrap_err()
                .to_string()
                .contains("line 2, column lat: latitude 91 is outside [-90, 90]")
        );
        assert!(
            parse_csv("x,y\n1,2\n", false, Needs { location: true, time: false })
                .unwrap_err()
                .to_string()
                .contains("add --xy")
        );
    }

    #[test]
    fn at_most_fifty_problems_are_listed() {
        let problems: Vec<String> = (0..60).map(|k| format!("problem {k}")).collect();
        let message = problem_list(&problems, 60);
        assert_eq!(message.lines().count(), 1 + 50 + 1);
        assert!(message.ends_with("… and 10 more"));
    }
}
