//! The events of `sakshy analyze --source incidents|appeals`: read from the store with the filters (quadrant,
//! district, offence group or appeal category, dates), projected to metres around the city's origin (the centre
//! of its boundary's bounding box, as everywhere in Sakshy), with times in the city's local time, and the
//! selected territory as the study area.
//!
//! Read-only: nothing is written to the database.

use anyhow::{Context, bail};
use chrono::{Datelike, NaiveDate, TimeZone, Timelike};
use geo_types::{Coord, LineString, MultiPolygon, Polygon};
use sakshy_analytics::LocalProjection;
use sakshy_analytics::temporal::{LocalDate, LocalDateTime};
use sakshy_core::incident::{CityFrame, OffenceGroup};
use sakshy_core::{Code, Level, Territory};
use sakshy_store::{AppealCursor, AppealFilter, IncidentFilter, IncidentOrigin};
use serde_json::{Map, Value, json};

use super::area::StudyArea;
use super::input::Needs;
use super::{DbSource, EventArgs, Events, InputCrs, Loaded, Time};

/// Appeals read per page.
const PAGE: u32 = 1_000;

/// Loads the events `args` select from the database.
///
/// # Errors
///
/// The database cannot be opened or read, no city is stored, or a filter names an unknown territory or group.
pub(crate) async fn load(db: &str, source: DbSource, args: &EventArgs, needs: Needs) -> anyhow::Result<Loaded> {
    let store = crate::open(db).await?;
    if !store.migrations_current().await.context("checking migrations")? {
        bail!("the database {} has pending migrations: run `sakshy migrate` first", crate::redact(db));
    }
    let (city_id, city, _) = store.city().await?.context("no city is stored yet: import territories first")?;
    let territories: Vec<Territory> =
        store.current_territories(city_id).await?.into_iter().map(|version| version.territory).collect();
    let boundary = territories
        .iter()
        .find(|t| t.level() == Level::City && *t.code() == city.code)
        .context("the city has no boundary: import territories first")?;
    let frame = CityFrame::new(&city, boundary);
    let origin = frame.origin();
    let projection = LocalProjection::new(origin.x, origin.y).context("the city's origin")?;
    let zone = city.timezone;

    let quadrant = args.quadrant.as_deref().map(|code| parse_code(code, "--quadrant")).transpose()?;
    let district = args.district.as_deref().map(|code| parse_code(code, "--district")).transpose()?;
    let (area_polygons, area_source) = study_area(&territories, quadrant.as_ref(), district.as_ref(), &city.code)?;
    let from_ms = args.from.map(|date| local_midnight_ms(date, &zone)).transpose()?.unwrap_or(i64::MIN);
    let to_ms = match args.to {
        Some(date) => local_midnight_ms(date.add_days(1).context("--to is too far in the future")?, &zone)?,
        None => i64::MAX,
    };

    let mut lon_lat = Vec::new();
    let mut times = Vec::new();
    let mut input = Map::new();
    input.insert("source".into(), json!(source_name(source)));
    input.insert("city".into(), json!(city.code.as_str()));
    let mut filters = Map::new();
    filters.insert("quadrant".into(), json!(quadrant.as_ref().map(Code::as_str)));
    filters.insert("district".into(), json!(district.as_ref().map(Code::as_str)));
    match source {
        DbSource::Incidents => {
            let groups = args
                .group
                .iter()
                .map(|label| {
                    OffenceGroup::from_label(label).with_context(|| {
                        let codes: Vec<&str> = OffenceGroup::ALL.iter().map(|g| g.as_str()).collect();
                        format!("--group {label:?} is not an offence group: use one of {}", codes.join(", "))
                    })
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            filters.insert("groups".into(), json!(groups.iter().map(|g| g.as_str()).collect::<Vec<_>>()));
            let filter = IncidentFilter { from_ms, to_ms, groups, quadrant, district, origin: None };
            let incidents = store.incidents(city_id, &filter).await.context("reading incidents")?;
            let synthetic = store
                .incident_count(city_id, &IncidentFilter { origin: Some(IncidentOrigin::Synthetic), ..filter })
                .await
                .context("counting synthetic incidents")?;
            for incident in &incidents {
                lon_lat.push((incident.location.x(), incident.location.y()));
                times.push(local_time(incident.occurred_at_ms, incident.hour_known, &zone)?);
            }
            input.insert("synthetic_events".into(), json!(synthetic));
            if synthetic > 0 {
                input.insert(
                    "note".into(),
                    json!(format!(
                        "{synthetic} of the incidents are synthetic (generated demo data), not recorded offences"
                    )),
                );
            }
        }
        DbSource::Appeals => {
            let categories =
                args.group.iter().map(|code| parse_code(code, "--group")).collect::<anyhow::Result<Vec<_>>>()?;
            filters.insert("categories".into(), json!(categories.iter().map(Code::as_str).collect::<Vec<_>>()));
            let filter = AppealFilter {
                categories,
                quadrant,
                district,
                created_from_ms: (from_ms != i64::MIN).then_some(from_ms),
                created_to_ms: (to_ms != i64::MAX).then_some(to_ms - 1),
                ..AppealFilter::default()
            };
            let (mut without_location, mut synthetic) = (0usize, 0usize);
            let mut after: Option<AppealCursor> = None;
            loop {
                let page = store.list_appeals(city_id, &filter, after, PAGE).await.context("reading appeals")?;
                for appeal in &page {
                    match appeal.point {
                        Some(point) => {
                            lon_lat.push(point);
                            times.push(local_time(appeal.created_at_ms, true, &zone)?);
                            synthetic += usize::from(appeal.synthetic);
                        }
                        None => without_location += 1,
                    }
                }
                match page.last() {
                    Some(last) if page.len() == PAGE as usize => {
                        after = Some(AppealCursor { created_at_ms: last.created_at_ms, appeal_id: last.appeal_id });
                    }
                    _ => break,
                }
            }
            // The list is newest first; analyses do not depend on order, but oldest first reads better.
            lon_lat.reverse();
            times.reverse();
            input.insert("without_location".into(), json!(without_location));
            input.insert("synthetic_events".into(), json!(synthetic));
        }
    }
    filters.insert("from".into(), json!(args.from));
    filters.insert("to".into(), json!(args.to));
    input.insert("filters".into(), Value::Object(filters));
    input.insert("time_zone".into(), json!(zone.name()));
    input.insert("rows".into(), json!(lon_lat.len()));

    let points = if needs.location {
        lon_lat.iter().map(|&(lon, lat)| projection.forward(lon, lat)).collect()
    } else {
        Vec::new()
    };
    if !needs.time {
        times.clear();
    }
    let polygons: Vec<Polygon<f64>> = area_polygons.iter().flat_map(|mp| project(mp, &projection).0).collect();
    let study_area = StudyArea::from_polygons(area_source, &polygons)?;
    let rows = lon_lat.len();
    let crs = if needs.location {
        InputCrs::Local { projection, origin_lon: origin.x, origin_lat: origin.y }
    } else {
        InputCrs::None
    };
    Ok(Loaded { events: Events { points, times, crs, rows }, input, study_area: Some(study_area) })
}

fn source_name(source: DbSource) -> &'static str {
    match source {
        DbSource::Incidents => "incidents",
        DbSource::Appeals => "appeals",
    }
}

fn parse_code(text: &str, flag: &str) -> anyhow::Result<Code> {
    Code::parse(text).map_err(|err| anyhow::anyhow!("{flag} {text:?}: {err}"))
}

/// The geometries of the study area and its description: the quadrant, the district, or every quadrant (the
/// city's boundary when it has none).
fn study_area<'t>(
    territories: &'t [Territory],
    quadrant: Option<&Code>,
    district: Option<&Code>,
    city: &Code,
) -> anyhow::Result<(Vec<&'t MultiPolygon<f64>>, String)> {
    let find = |level: Level, code: &Code| territories.iter().find(|t| t.level() == level && t.code() == code);
    if let Some(code) = quadrant {
        let territory =
            find(Level::Quadrant, code).with_context(|| format!("no quadrant {code} in the current territories"))?;
        return Ok((vec![territory.geometry()], format!("quadrant {code}")));
    }
    if let Some(code) = district {
        let territory =
            find(Level::District, code).with_context(|| format!("no district {code} in the current territories"))?;
        return Ok((vec![territory.geometry()], format!("district {code}")));
    }
    let quadrants: Vec<&MultiPolygon<f64>> =
        territories.iter().filter(|t| t.level() == Level::Quadrant).map(Territory::geometry).collect();
    if quadrants.is_empty() {
        let boundary = find(Level::City, city).context("the city has no boundary")?;
        return Ok((vec![boundary.geometry()], format!("boundary of {city}")));
    }
    Ok((quadrants, format!("union of the quadrants of {city}")))
}

/// A (lon, lat) geometry in the projection's metres.
fn project(geometry: &MultiPolygon<f64>, projection: &LocalProjection) -> MultiPolygon<f64> {
    let ring = |ring: &LineString<f64>| {
        LineString::from(
            ring.coords()
                .map(|c| {
                    let (x, y) = projection.forward(c.x, c.y);
                    Coord { x, y }
                })
                .collect::<Vec<_>>(),
        )
    };
    MultiPolygon(
        geometry
            .0
            .iter()
            .map(|polygon| Polygon::new(ring(polygon.exterior()), polygon.interiors().iter().map(ring).collect()))
            .collect(),
    )
}

/// UTC epoch milliseconds of the local midnight starting `date` in `zone` (the earliest, should it repeat).
fn local_midnight_ms(date: LocalDate, zone: &chrono_tz::Tz) -> anyhow::Result<i64> {
    let (year, month, day) = date.ymd();
    let naive = NaiveDate::from_ymd_opt(year, month, day)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .with_context(|| format!("{date} is out of range"))?;
    // A midnight skipped by a clock change: the first instant of the day is then an hour later.
    let local = zone
        .from_local_datetime(&naive)
        .earliest()
        .or_else(|| zone.from_local_datetime(&(naive + chrono::Duration::hours(1))).earliest())
        .with_context(|| format!("{date} has no midnight in {zone}"))?;
    Ok(local.timestamp_millis())
}

/// The local civil time of a UTC instant in `zone`; only the date when the hour is unknown.
fn local_time(at_ms: i64, hour_known: bool, zone: &chrono_tz::Tz) -> anyhow::Result<Time> {
    let local = chrono::DateTime::from_timestamp_millis(at_ms)
        .with_context(|| format!("stored time {at_ms} is out of range"))?
        .with_timezone(zone)
        .naive_local();
    let date = LocalDate::from_ymd(local.year(), local.month(), local.day())?;
    Ok(if hour_known { Time::At(LocalDateTime::new(date, local.hour(), local.minute())?) } else { Time::Date(date) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_follow_the_city_zone() {
        let zone = chrono_tz::Asia::Almaty;
        // 2026-01-01T19:30Z is 00:30 on 2 January in Almaty (UTC+5).
        let at = local_time(1_767_295_800_000, true, &zone).unwrap();
        assert_eq!(at, Time::At(LocalDateTime::from_ymd_hm(2026, 1, 2, 0, 30).unwrap()));
        assert_eq!(
            local_time(1_767_295_800_000, false, &zone).unwrap(),
            Time::Date(LocalDate::from_ymd(2026, 1, 2).unwrap())
        );
        let midnight = local_midnight_ms(LocalDate::from_ymd(2026, 1, 2).unwrap(), &zone).unwrap();
        assert_eq!(midnight, 1_767_295_800_000 - 30 * 60_000);
    }
}
