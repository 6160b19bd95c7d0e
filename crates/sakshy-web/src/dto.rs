//! Wire shapes of the JSON API, converted by hand from core types so that the wire format never follows a
//! domain struct's field names by accident.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use sakshy_core::locate::NearbyPoint;
use sakshy_core::{Agency, Localized, Officer, PolicePoint, Territory, TerritoryVersion};
use serde::Serialize;

/// A text in the three languages.
#[derive(Debug, Serialize)]
pub struct NameDto {
    pub kk: String,
    pub ru: String,
    pub en: String,
}

impl From<&Localized> for NameDto {
    fn from(name: &Localized) -> Self {
        NameDto { kk: name.kk().to_owned(), ru: name.ru().to_owned(), en: name.en().to_owned() }
    }
}

/// A reference to a district.
#[derive(Debug, Serialize)]
pub struct DistrictRefDto {
    pub code: String,
    pub name: NameDto,
}

impl From<&Territory> for DistrictRefDto {
    fn from(district: &Territory) -> Self {
        DistrictRefDto { code: district.code().to_string(), name: district.name().into() }
    }
}

/// A quadrant without its geometry.
#[derive(Debug, Serialize)]
pub struct QuadrantDto {
    pub code: String,
    pub name: NameDto,
    pub pilot: bool,
    pub population: Option<u64>,
    pub geometry_status: &'static str,
    pub district: Option<DistrictRefDto>,
}

impl QuadrantDto {
    pub fn new(quadrant: &Territory, district: Option<&Territory>) -> Self {
        QuadrantDto {
            code: quadrant.code().to_string(),
            name: quadrant.name().into(),
            pilot: quadrant.pilot(),
            population: quadrant.population(),
            geometry_status: quadrant.status().as_str(),
            district: district.map(DistrictRefDto::from),
        }
    }
}

/// A district with its quadrant count.
#[derive(Debug, Serialize)]
pub struct DistrictDto {
    pub code: String,
    pub name: NameDto,
    pub population: Option<u64>,
    pub geometry_status: &'static str,
    pub quadrant_count: usize,
    pub valid_from: String,
}

impl DistrictDto {
    pub fn new(version: &TerritoryVersion, quadrant_count: usize) -> Self {
        let district = &version.territory;
        DistrictDto {
            code: district.code().to_string(),
            name: district.name().into(),
            population: district.population(),
            geometry_status: district.status().as_str(),
            quadrant_count,
            valid_from: rfc3339(version.valid_from_ms),
        }
    }
}

/// An officer.
#[derive(Debug, Serialize)]
pub struct OfficerDto {
    pub badge: String,
    pub name: String,
    pub rank: &'static str,
    pub role: &'static str,
    pub phone: Option<String>,
    pub quadrants: Vec<String>,
    pub point: Option<String>,
    pub reception_hours: Option<String>,
}

impl From<&Officer> for OfficerDto {
    fn from(officer: &Officer) -> Self {
        OfficerDto {
            badge: officer.badge.to_string(),
            name: officer.name.clone(),
            rank: officer.rank.as_str(),
            role: officer.role.as_str(),
            phone: officer.phone.as_ref().map(|p| p.as_str().to_owned()),
            quadrants: officer.quadrants.iter().map(ToString::to_string).collect(),
            point: officer.point.as_ref().map(ToString::to_string),
            reception_hours: officer.reception_hours.as_ref().map(ToString::to_string),
        }
    }
}

/// A postal address in Kazakh and Russian.
#[derive(Debug, Serialize)]
pub struct AddressDto {
    pub kk: String,
    pub ru: String,
}

/// A WGS84 location.
#[derive(Debug, Serialize)]
pub struct LocationDto {
    pub lat: f64,
    pub lon: f64,
}

/// A police point, with whether it is open at the time of the request (in the city's zone).
#[derive(Debug, Serialize)]
pub struct PointDto {
    pub code: String,
    pub kind: &'static str,
    pub name: NameDto,
    pub address: AddressDto,
    pub phone: Option<String>,
    pub location: LocationDto,
    pub hours: String,
    pub open_now: bool,
    pub services: Vec<&'static str>,
    pub quadrants: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub walk_min: Option<u32>,
}

impl PointDto {
    pub fn new(point: &PolicePoint, now: DateTime<Tz>) -> Self {
        PointDto {
            code: point.code.to_string(),
            kind: point.kind.as_str(),
            name: (&point.name).into(),
            address: AddressDto { kk: point.address_kk.clone(), ru: point.address_ru.clone() },
            phone: point.phone.as_ref().map(|p| p.as_str().to_owned()),
            location: LocationDto { lat: point.location.y(), lon: point.location.x() },
            hours: point.hours.to_string(),
            open_now: point.hours.is_open(now.weekday(), (now.hour() * 60 + now.minute()) as u16),
            services: point.services.iter().map(|s| s.as_str()).collect(),
            quadrants: point.quadrants.iter().map(ToString::to_string).collect(),
            distance_m: None,
            walk_min: None,
        }
    }

    pub fn nearby(nearby: &NearbyPoint<'_>, now: DateTime<Tz>) -> Self {
        PointDto {
            distance_m: Some((nearby.distance_m * 10.0).round() / 10.0),
            walk_min: Some(nearby.walk_min),
            ..PointDto::new(nearby.point, now)
        }
    }
}

/// A partner agency.
#[derive(Debug, Serialize)]
pub struct AgencyDto {
    pub code: String,
    pub kind: &'static str,
    pub name: NameDto,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
}

impl From<&Agency> for AgencyDto {
    fn from(agency: &Agency) -> Self {
        AgencyDto {
            code: agency.code.to_string(),
            kind: agency.kind.as_str(),
            name: (&agency.name).into(),
            phone: agency.phone.as_ref().map(|p| p.as_str().to_owned()),
            email: agency.email.clone(),
            website: agency.website.clone(),
        }
    }
}

/// Paging and totals of a list.
#[derive(Debug, Serialize)]
pub struct MetaDto {
    pub total: usize,
}

/// Epoch milliseconds as RFC 3339 UTC with a `Z`.
pub fn rfc3339(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map_or_else(String::new, |t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}
