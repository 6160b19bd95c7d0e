//! Reading and checking the registry files a city supplies (formats in `docs/formats.md`): territories as
//! GeoJSON, police points as GeoJSON or CSV, officers and agencies as CSV.
//!
//! Parsing turns text into domain values and names every problem by feature (index and code) or by CSV line
//! and column. Planning compares a parsed file with what is already stored and checks the topology of the
//! result. Nothing here writes: the store applies a plan in one transaction.

use std::collections::{HashMap, HashSet};

use geo::{BooleanOps, Intersects, unary_union};
use geo_types::{MultiPolygon, Point};
use serde_json::{Map, Value};

use crate::category::{Category, LegalTrack, RoutingOverride, Urgency};
use crate::city::City;
use crate::code::Code;
use crate::geometry::{self, ExpectedGeometry, GeometryError, PositionAt};
use crate::hours::OpeningHours;
use crate::lang::{Lang, Localized};
use crate::registry::{
    Agency, AgencyKind, Officer, OfficerRank, OfficerRole, Phone, PointKind, PolicePoint, PoliceService,
};
use crate::territory::{GeometryStatus, Level, Territory, TerritoryParts};

mod gazetteer;
mod problem;

pub use gazetteer::parse_gazetteer_csv;
pub use problem::{CsvError, ImportFailure, InvalidReason, Location, Problem, ProblemKind};

/// A record read from a file, with where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// Where in the file.
    pub location: Location,
    /// The record.
    pub value: T,
}

// ---------------------------------------------------------------------------------------------------------
// Fields: one reader for GeoJSON properties and CSV columns.

enum Fields<'a> {
    Json(&'a Map<String, Value>),
    Csv(&'a HashMap<String, String>),
}

type FieldResult<T> = Result<T, ProblemKind>;

impl Fields<'_> {
    fn invalid(property: &str, reason: impl Into<InvalidReason>) -> ProblemKind {
        ProblemKind::Invalid { property: property.to_owned(), reason: reason.into() }
    }

    /// A trimmed, non-empty text, or `None`.
    fn text(&self, name: &str) -> FieldResult<Option<String>> {
        let raw = match self {
            Fields::Json(map) => match map.get(name) {
                None | Some(Value::Null) => None,
                Some(Value::String(text)) => Some(text.clone()),
                Some(Value::Number(number)) => Some(number.to_string()),
                Some(_) => return Err(Self::invalid(name, InvalidReason::NotText)),
            },
            Fields::Csv(row) => row.get(name).cloned(),
        };
        Ok(raw.map(|text| text.trim().to_owned()).filter(|text| !text.is_empty()))
    }

    fn required(&self, name: &str) -> FieldResult<String> {
        self.text(name)?.ok_or_else(|| ProblemKind::Missing(name.to_owned()))
    }

    fn parsed<T, E: Into<InvalidReason>>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> FieldResult<Option<T>> {
        self.text(name)?.map(|text| parse(&text).map_err(|err| Self::invalid(name, err))).transpose()
    }

    fn required_parsed<T, E: Into<InvalidReason>>(
        &self,
        name: &str,
        parse: impl Fn(&str) -> Result<T, E>,
    ) -> FieldResult<T> {
        self.parsed(name, parse)?.ok_or_else(|| ProblemKind::Missing(name.to_owned()))
    }

    fn boolean(&self, name: &str) -> FieldResult<Option<bool>> {
        match self {
            Fields::Json(map) => match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::Bool(flag)) => Ok(Some(*flag)),
                Some(_) => Err(Self::invalid(name, InvalidReason::NotBoolean)),
            },
            Fields::Csv(_) => self.parsed(name, |text| match text.to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => Ok(true),
                "false" | "no" | "0" => Ok(false),
                _ => Err(InvalidReason::NotBoolean),
            }),
        }
    }

    fn count(&self, name: &str) -> FieldResult<Option<u64>> {
        match self {
            Fields::Json(map) => match map.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => value.as_u64().map(Some).ok_or_else(|| Self::invalid(name, InvalidReason::NotCount)),
            },
            Fields::Csv(_) => self.parsed(name, |text| text.parse::<u64>().map_err(|_| InvalidReason::NotCount)),
        }
    }

    /// A list: a JSON array of strings, or a `;`-separated text.
    fn list(&self, name: &str) -> FieldResult<Vec<String>> {
        let items: Vec<String> = match self {
            Fields::Json(map) => match map.get(name) {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| {
                        item.as_str().map(str::to_owned).ok_or_else(|| Self::invalid(name, InvalidReason::NotList))
                    })
                    .collect::<Result<_, _>>()?,
                Some(Value::String(text)) => text.split(';').map(str::to_owned).collect(),
                Some(_) => return Err(Self::invalid(name, InvalidReason::NotList)),
            },
            Fields::Csv(row) => {
                row.get(name).map(|text| text.split(';').map(str::to_owned).collect()).unwrap_or_default()
            }
        };
        Ok(items.into_iter().map(|item| item.trim().to_owned()).filter(|item| !item.is_empty()).collect())
    }

    /// A list of codes, sorted and without repeats, so that two files listing the same codes in another
    /// order describe the same record.
    fn codes(&self, name: &str) -> FieldResult<Vec<Code>> {
        let mut codes: Vec<Code> = self
            .list(name)?
            .iter()
            .map(|item| Code::parse(item).map_err(|err| Self::invalid(name, err)))
            .collect::<Result<_, _>>()?;
        codes.sort();
        codes.dedup();
        Ok(codes)
    }

    fn names(&self) -> FieldResult<Localized> {
        let (kk, ru, en) = (self.required("name_kk")?, self.required("name_ru")?, self.required("name_en")?);
        Localized::new(&kk, &ru, &en).map_err(|err| Self::invalid("name", err))
    }

    fn phone(&self, name: &str) -> FieldResult<Option<Phone>> {
        self.parsed(name, Phone::parse)
    }
}

fn parse_json(text: &str) -> Result<Vec<Value>, ImportFailure> {
    let root: Value = serde_json::from_str(text).map_err(|err| {
        ImportFailure::file(ProblemKind::Json { line: err.line(), column: err.column(), detail: err.to_string() })
    })?;
    let is_collection = root.get("type").and_then(Value::as_str) == Some("FeatureCollection");
    match root.get("features") {
        Some(Value::Array(features)) if is_collection => Ok(features.clone()),
        _ => Err(ImportFailure::file(ProblemKind::NotFeatureCollection)),
    }
}

fn feature_location(index: usize, feature: &Value) -> Location {
    let code = feature.get("properties").and_then(|props| props.get("code")).and_then(Value::as_str);
    Location::Feature { index, code: code.map(|code| code.trim().to_owned()) }
}

fn check_duplicates<T>(records: &[Located<T>], code: impl Fn(&T) -> &Code, failure: &mut ImportFailure) {
    let mut seen: HashMap<&Code, &Location> = HashMap::new();
    for record in records {
        let this = code(&record.value);
        if let Some(first) = seen.get(this) {
            failure.errors.push(Problem {
                location: record.location.clone(),
                kind: ProblemKind::Duplicate { code: this.to_string(), first: (*first).clone() },
            });
        } else {
            seen.insert(this, &record.location);
        }
    }
}

fn finish<T>(value: T, failure: ImportFailure) -> Result<T, ImportFailure> {
    if failure.errors.is_empty() { Ok(value) } else { Err(failure) }
}

/// A CSV record: its line number (the header is line 1) and its trimmed `column → value` pairs.
type CsvRow = (u64, HashMap<String, String>);

/// Reads CSV text into rows, checking that the required columns exist.
fn read_csv(text: &str, required_columns: &[&str]) -> Result<Vec<CsvRow>, ImportFailure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|err| ImportFailure::file(ProblemKind::Csv(err.into())))?
        .iter()
        .map(str::to_owned)
        .collect::<Vec<_>>();
    let missing: Vec<Problem> = required_columns
        .iter()
        .filter(|column| !headers.iter().any(|header| header == *column))
        .map(|column| Problem {
            location: Location::Line { line: 1, column: Some((*column).to_owned()) },
            kind: ProblemKind::MissingColumn((*column).to_owned()),
        })
        .collect();
    if !missing.is_empty() {
        return Err(ImportFailure { errors: missing, warnings: Vec::new() });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|err| {
            let line = err.position().map_or(0, csv::Position::line);
            ImportFailure {
                errors: vec![Problem {
                    location: Location::Line { line, column: None },
                    kind: ProblemKind::Csv(err.into()),
                }],
                warnings: Vec::new(),
            }
        })?;
        let line = record.position().map_or(0, csv::Position::line);
        let row = headers.iter().cloned().zip(record.iter().map(str::to_owned)).collect();
        rows.push((line, row));
    }
    Ok(rows)
}

fn at_column(line: u64, kind: ProblemKind) -> Problem {
    let column = match &kind {
        ProblemKind::Missing(name) => Some(name.clone()),
        ProblemKind::Invalid { property, .. } => Some(property.clone()),
        _ => None,
    };
    Problem { location: Location::Line { line, column }, kind }
}

// ---------------------------------------------------------------------------------------------------------
// Territories.

/// A territories file, parsed and checked feature by feature.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryFile {
    /// The city's settings, if the file has a city feature.
    pub city: Option<City>,
    /// Every territory, the city included, in file order.
    pub territories: Vec<Located<Territory>>,
}

/// Parses a territories GeoJSON file and checks each feature alone (structure, properties, geometry).
///
/// # Errors
///
/// [`ImportFailure`] with every problem found, each naming its feature.
pub fn parse_territories(text: &str) -> Result<TerritoryFile, ImportFailure> {
    let features = parse_json(text)?;
    let mut failure = ImportFailure::default();
    let mut city = None;
    let mut territories = Vec::with_capacity(features.len());
    for (index, feature) in features.iter().enumerate() {
        let location = feature_location(index, feature);
        match parse_territory(feature) {
            Ok((territory, settings)) => {
                if let Some(settings) = settings {
                    if city.is_some() {
                        failure.errors.push(Problem { location: location.clone(), kind: ProblemKind::SecondCity });
                    }
                    city = Some(settings);
                }
                territories.push(Located { location, value: territory });
            }
            Err(kind) => failure.errors.push(Problem { location, kind }),
        }
    }
    check_duplicates_by_level(&territories, &mut failure);
    finish(TerritoryFile { city, territories }, failure)
}

fn check_duplicates_by_level(territories: &[Located<Territory>], failure: &mut ImportFailure) {
    for level in [Level::City, Level::District, Level::Quadrant] {
        let same_level: Vec<Located<Territory>> =
            territories.iter().filter(|t| t.value.level() == level).cloned().collect();
        check_duplicates(&same_level, |territory| territory.code(), failure);
    }
}

fn parse_territory(feature: &Value) -> Result<(Territory, Option<City>), ProblemKind> {
    if feature.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(ProblemKind::NotFeature);
    }
    let props = feature.get("properties").and_then(Value::as_object).ok_or(ProblemKind::NotFeature)?;
    let fields = Fields::Json(props);
    let level: Level = fields.required_parsed("level", str::parse)?;
    let code = fields.required_parsed("code", Code::parse)?;
    let parent = fields.parsed("parent", Code::parse)?;
    let name = fields.names()?;
    let population = fields.count("population")?;
    let pilot = fields.boolean("pilot")?.unwrap_or(false);
    let status = fields.parsed("geometry_status", str::parse::<GeometryStatus>)?.unwrap_or_default();
    let geometry = geometry::polygonal_from_geojson(feature.get("geometry"))?;
    let city = if level == Level::City {
        let timezone = fields.required_parsed("timezone", |tz| {
            tz.parse::<chrono_tz::Tz>().map_err(|_| InvalidReason::UnknownTimeZone(tz.to_owned()))
        })?;
        let default_lang = fields.parsed("default_lang", str::parse::<Lang>)?.unwrap_or_default();
        Some(City { code: code.clone(), name: name.clone(), timezone, default_lang })
    } else {
        None
    };
    let territory = Territory::new(TerritoryParts { code, level, parent, name, population, pilot, status, geometry })
        .map_err(|err| {
        Fields::invalid(
            if matches!(err, crate::territory::TerritoryError::PilotNotQuadrant(_)) { "pilot" } else { "parent" },
            err,
        )
    })?;
    Ok((territory, city))
}

/// What importing a territories file will change.
#[derive(Debug, Clone, PartialEq)]
pub struct TerritoryPlan {
    /// The city's settings to store, if the file has them and they differ from the stored ones.
    pub city: Option<City>,
    /// Territories not stored before.
    pub added: Vec<Territory>,
    /// Territories whose content changed: each gets a new version, the old one is closed.
    pub changed: Vec<Territory>,
    /// How many territories in the file are identical to the stored ones.
    pub unchanged: usize,
    /// Warnings (gaps) that do not stop the import.
    pub warnings: Vec<Problem>,
}

impl TerritoryPlan {
    /// Whether applying the plan changes nothing.
    pub fn is_empty(&self) -> bool {
        self.city.is_none() && self.added.is_empty() && self.changed.is_empty()
    }
}

/// Compares a parsed file with the stored current territories and city, and checks the topology of the
/// result: parents exist, each territory lies inside its parent, siblings do not overlap (all up to
/// [`geometry::topology_tolerance_m2`]); gaps between siblings are warnings.
///
/// Territories stored but absent from the file are kept as they are: a file may describe part of a city.
///
/// # Errors
///
/// [`ImportFailure`] with every topology problem, each naming the file's feature it concerns.
pub fn plan_territories(
    file: &TerritoryFile,
    stored: &[Territory],
    stored_city: Option<&City>,
) -> Result<TerritoryPlan, ImportFailure> {
    let mut failure = ImportFailure::default();
    if file.city.is_none() && stored_city.is_none() {
        failure.errors.push(Problem { location: Location::File, kind: ProblemKind::NoCity });
        return Err(failure);
    }
    if let (Some(city), Some(stored)) = (&file.city, stored_city)
        && city.code != stored.code
    {
        failure.errors.push(Problem {
            location: Location::File,
            kind: ProblemKind::OtherCity { file: city.code.to_string(), stored: stored.code.to_string() },
        });
        return Err(failure);
    }
    // The territories as they will be: stored ones overlaid by the file's.
    let mut merged: HashMap<(Level, &Code), &Territory> =
        stored.iter().map(|territory| ((territory.level(), territory.code()), territory)).collect();
    let mut from_file: HashMap<(Level, &Code), &Location> = HashMap::new();
    for located in &file.territories {
        let key = (located.value.level(), located.value.code());
        merged.insert(key, &located.value);
        from_file.insert(key, &located.location);
    }
    let location_of = |territory: &Territory| -> Location {
        from_file
            .get(&(territory.level(), territory.code()))
            .map(|location| (*location).clone())
            .unwrap_or(Location::File)
    };
    let mut children: HashMap<(Level, &Code), Vec<&Territory>> = HashMap::new();
    for located in &file.territories {
        let territory = &located.value;
        let (Some(parent_code), Some(parent_level)) = (territory.parent(), territory.level().parent_level()) else {
            continue;
        };
        if !merged.contains_key(&(parent_level, parent_code)) {
            failure.errors.push(Problem {
                location: located.location.clone(),
                kind: ProblemKind::UnknownParent { parent: parent_code.to_string(), level: parent_level },
            });
        }
    }
    for territory in merged.values() {
        if let (Some(parent), Some(level)) = (territory.parent(), territory.level().parent_level()) {
            children.entry((level, parent)).or_default().push(territory);
        }
    }
    for ((parent_level, parent_code), kids) in &mut children {
        kids.sort_by(|a, b| a.code().cmp(b.code()));
        let Some(parent) = merged.get(&(*parent_level, *parent_code)) else { continue };
        let parent_in_file = from_file.contains_key(&(*parent_level, *parent_code));
        let touched = parent_in_file || kids.iter().any(|kid| from_file.contains_key(&(kid.level(), kid.code())));
        if !touched {
            continue;
        }
        let parent_area = geometry::area_m2(parent.geometry());
        for kid in kids.iter() {
            let kid_in_file = from_file.contains_key(&(kid.level(), kid.code()));
            if !(kid_in_file || parent_in_file) {
                continue;
            }
            let kid_area = geometry::area_m2(kid.geometry());
            let outside_m2 = geometry::area_outside_m2(kid.geometry(), parent.geometry());
            let tolerance_m2 = geometry::topology_tolerance_m2(kid_area, parent_area);
            if outside_m2 > tolerance_m2 {
                let bbox = kid.bbox();
                let swapped_bbox = geo::Rect::new((bbox.min().y, bbox.min().x), (bbox.max().y, bbox.max().x));
                let swapped = !bbox.intersects(&parent.bbox()) && swapped_bbox.intersects(&parent.bbox());
                failure.errors.push(Problem {
                    location: if kid_in_file { location_of(kid) } else { location_of(parent) },
                    kind: ProblemKind::OutsideParent {
                        parent: parent.code().to_string(),
                        outside_m2,
                        tolerance_m2,
                        swapped,
                    },
                });
            }
        }
        for (idx, a) in kids.iter().enumerate() {
            for b in &kids[idx + 1..] {
                let a_in_file = from_file.contains_key(&(a.level(), a.code()));
                let b_in_file = from_file.contains_key(&(b.level(), b.code()));
                if !(a_in_file || b_in_file) || !a.bbox().intersects(&b.bbox()) {
                    continue;
                }
                let overlap_m2 = geometry::overlap_m2(a.geometry(), b.geometry());
                let tolerance_m2 =
                    geometry::topology_tolerance_m2(geometry::area_m2(a.geometry()), geometry::area_m2(b.geometry()));
                if overlap_m2 > tolerance_m2 {
                    let (here, other) = if b_in_file { (b, a) } else { (a, b) };
                    failure.errors.push(Problem {
                        location: location_of(here),
                        kind: ProblemKind::Overlap { other: other.code().to_string(), overlap_m2, tolerance_m2 },
                    });
                }
            }
        }
        let union: MultiPolygon<f64> = unary_union(kids.iter().map(|kid| kid.geometry()));
        let gap_m2 = geometry::area_m2(&parent.geometry().difference(&union));
        if gap_m2 > geometry::topology_tolerance_m2(parent_area, parent_area) {
            failure.warnings.push(Problem {
                location: location_of(parent),
                kind: ProblemKind::Gap { gap_m2, child_level: kids[0].level() },
            });
        }
    }
    failure.errors.sort_by_key(|problem| location_key(&problem.location));
    failure.warnings.sort_by_key(|problem| location_key(&problem.location));
    if !failure.errors.is_empty() {
        return Err(failure);
    }
    let stored_by_key: HashMap<(Level, &Code), &Territory> =
        stored.iter().map(|territory| ((territory.level(), territory.code()), territory)).collect();
    let mut plan = TerritoryPlan {
        city: file.city.clone().filter(|city| Some(city) != stored_city),
        added: Vec::new(),
        changed: Vec::new(),
        unchanged: 0,
        warnings: failure.warnings,
    };
    for located in &file.territories {
        let territory = &located.value;
        match stored_by_key.get(&(territory.level(), territory.code())) {
            None => plan.added.push(territory.clone()),
            Some(old) if *old == territory => plan.unchanged += 1,
            Some(_) => plan.changed.push(territory.clone()),
        }
    }
    Ok(plan)
}

fn location_key(location: &Location) -> (usize, u64) {
    match location {
        Location::File => (0, 0),
        Location::Feature { index, .. } => (1, *index as u64),
        Location::Line { line, .. } => (2, *line),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Police points.

/// Parses police points from GeoJSON (a `FeatureCollection` of `Point` features).
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its feature.
pub fn parse_points_geojson(text: &str) -> Result<Vec<Located<PolicePoint>>, ImportFailure> {
    let features = parse_json(text)?;
    let mut failure = ImportFailure::default();
    let mut points = Vec::new();
    for (index, feature) in features.iter().enumerate() {
        let location = feature_location(index, feature);
        let parsed = (|| {
            if feature.get("type").and_then(Value::as_str) != Some("Feature") {
                return Err(ProblemKind::NotFeature);
            }
            let props = feature.get("properties").and_then(Value::as_object).ok_or(ProblemKind::NotFeature)?;
            let geometry = feature.get("geometry").and_then(Value::as_object).ok_or(GeometryError::Missing)?;
            let kind = geometry.get("type").and_then(Value::as_str).unwrap_or("");
            if kind != "Point" {
                return Err(
                    GeometryError::WrongType { found: kind.to_owned(), expected: ExpectedGeometry::Point }.into()
                );
            }
            let coord = geometry
                .get("coordinates")
                .and_then(geometry::position_from_json)
                .ok_or(GeometryError::BadPosition { position: PositionAt::Point })?;
            point_from_fields(&Fields::Json(props), coord.x, coord.y)
        })();
        match parsed {
            Ok(point) => points.push(Located { location, value: point }),
            Err(kind) => failure.errors.push(Problem { location, kind }),
        }
    }
    check_duplicates(&points, |point| &point.code, &mut failure);
    finish(points, failure)
}

/// Parses police points from CSV with `lat` and `lon` columns.
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_points_csv(text: &str) -> Result<Vec<Located<PolicePoint>>, ImportFailure> {
    let rows = read_csv(text, &["code", "kind", "name_kk", "name_ru", "name_en", "lat", "lon", "hours"])?;
    let mut failure = ImportFailure::default();
    let mut points = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            let coordinate = |name: &str, limit: f64| {
                fields.required_parsed(name, |text| match text.parse::<f64>() {
                    Ok(value) if value.is_finite() && value.abs() <= limit => Ok(value),
                    _ => Err(InvalidReason::NumberOutOfRange { min: -limit, max: limit }),
                })
            };
            let (lat, lon) = (coordinate("lat", 90.0)?, coordinate("lon", 180.0)?);
            point_from_fields(&fields, lon, lat)
        })();
        match parsed {
            Ok(point) => points.push(Located { location: Location::Line { line, column: None }, value: point }),
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    check_duplicates(&points, |point| &point.code, &mut failure);
    finish(points, failure)
}

fn point_from_fields(fields: &Fields<'_>, lon: f64, lat: f64) -> FieldResult<PolicePoint> {
    if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
        return Err(GeometryError::OutOfRange { position: PositionAt::Point, lon, lat }.into());
    }
    Ok(PolicePoint {
        code: fields.required_parsed("code", Code::parse)?,
        kind: fields.required_parsed("kind", str::parse::<PointKind>)?,
        name: fields.names()?,
        address_kk: fields.required("address_kk")?,
        address_ru: fields.required("address_ru")?,
        phone: fields.phone("phone")?,
        location: Point::new(lon, lat),
        hours: fields.required_parsed("hours", OpeningHours::parse)?,
        services: fields
            .list("services")?
            .iter()
            .map(|service| service.parse::<PoliceService>().map_err(|err| Fields::invalid("services", err)))
            .collect::<Result<_, _>>()?,
        quadrants: fields.codes("quadrants")?,
    })
}

/// Checks that every quadrant a point serves is known.
///
/// # Errors
///
/// [`ImportFailure`] naming each unknown quadrant and the record that names it.
pub fn check_points(points: &[Located<PolicePoint>], quadrants: &HashSet<Code>) -> Result<(), ImportFailure> {
    let mut failure = ImportFailure::default();
    for point in points {
        for quadrant in point.value.quadrants.iter().filter(|code| !quadrants.contains(*code)) {
            failure.errors.push(Problem {
                location: with_column(&point.location, "quadrants"),
                kind: ProblemKind::UnknownQuadrant(quadrant.to_string()),
            });
        }
    }
    finish((), failure)
}

fn with_column(location: &Location, column: &str) -> Location {
    match location {
        Location::Line { line, .. } => Location::Line { line: *line, column: Some(column.to_owned()) },
        other => other.clone(),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Officers and agencies.

/// Parses officers from CSV.
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_officers_csv(text: &str) -> Result<Vec<Located<Officer>>, ImportFailure> {
    let rows = read_csv(text, &["badge", "name", "rank", "role"])?;
    let mut failure = ImportFailure::default();
    let mut officers = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            Ok(Officer {
                badge: fields.required_parsed("badge", Code::parse)?,
                name: fields.required("name")?,
                rank: fields.required_parsed("rank", str::parse::<OfficerRank>)?,
                role: fields.required_parsed("role", str::parse::<OfficerRole>)?,
                phone: fields.phone("phone")?,
                quadrants: fields.codes("quadrants")?,
                point: fields.parsed("point", Code::parse)?,
                reception_hours: fields.parsed("reception_hours", OpeningHours::parse)?,
            })
        })();
        match parsed {
            Ok(officer) => officers.push(Located { location: Location::Line { line, column: None }, value: officer }),
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    check_duplicates(&officers, |officer| &officer.badge, &mut failure);
    finish(officers, failure)
}

/// Checks that every quadrant and police point an officer names is known.
///
/// # Errors
///
/// [`ImportFailure`] naming each unknown code and its line.
pub fn check_officers(
    officers: &[Located<Officer>],
    quadrants: &HashSet<Code>,
    points: &HashSet<Code>,
) -> Result<(), ImportFailure> {
    let mut failure = ImportFailure::default();
    for officer in officers {
        for quadrant in officer.value.quadrants.iter().filter(|code| !quadrants.contains(*code)) {
            failure.errors.push(Problem {
                location: with_column(&officer.location, "quadrants"),
                kind: ProblemKind::UnknownQuadrant(quadrant.to_string()),
            });
        }
        if let Some(point) = officer.value.point.as_ref().filter(|code| !points.contains(*code)) {
            failure.errors.push(Problem {
                location: with_column(&officer.location, "point"),
                kind: ProblemKind::UnknownPoint(point.to_string()),
            });
        }
    }
    finish((), failure)
}

/// Parses agencies from CSV.
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_agencies_csv(text: &str) -> Result<Vec<Located<Agency>>, ImportFailure> {
    let rows = read_csv(text, &["code", "kind", "name_kk", "name_ru", "name_en"])?;
    let mut failure = ImportFailure::default();
    let mut agencies = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            Ok(Agency {
                code: fields.required_parsed("code", Code::parse)?,
                kind: fields.required_parsed("kind", str::parse::<AgencyKind>)?,
                name: fields.names()?,
                phone: fields.phone("phone")?,
                email: fields.parsed("email", |text| {
                    if text.contains('@') && !text.contains(char::is_whitespace) {
                        Ok(text.to_owned())
                    } else {
                        Err(InvalidReason::NotEmail)
                    }
                })?,
                website: fields.text("website")?,
            })
        })();
        match parsed {
            Ok(agency) => agencies.push(Located { location: Location::Line { line, column: None }, value: agency }),
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    check_duplicates(&agencies, |agency| &agency.code, &mut failure);
    finish(agencies, failure)
}

// ---------------------------------------------------------------------------------------------------------
// Categories and routing.

/// Parses appeal categories from CSV (columns in `docs/formats.md`).
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_categories_csv(text: &str) -> Result<Vec<Located<Category>>, ImportFailure> {
    let rows = read_csv(
        text,
        &[
            "code",
            "group",
            "urgency",
            "track",
            "primary",
            "name_kk",
            "name_ru",
            "name_en",
            "description_kk",
            "description_ru",
            "description_en",
        ],
    )?;
    let mut failure = ImportFailure::default();
    let mut categories = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            let description = Localized::new(
                &fields.required("description_kk")?,
                &fields.required("description_ru")?,
                &fields.required("description_en")?,
            )
            .map_err(|err| Fields::invalid("description", err))?;
            let positive = |name: &str, default: u32| -> FieldResult<u32> {
                Ok(fields
                    .parsed(name, |text| text.parse::<u32>().map_err(|_| InvalidReason::NotCount))?
                    .unwrap_or(default))
            };
            Ok(Category {
                code: fields.required_parsed("code", Code::parse)?,
                group: fields.required_parsed("group", Code::parse)?,
                name: fields.names()?,
                description,
                urgency: fields.required_parsed("urgency", str::parse::<Urgency>)?,
                track: fields.required_parsed("track", str::parse::<LegalTrack>)?,
                anonymous_allowed: fields.boolean("anonymous_allowed")?.unwrap_or(false),
                primary: fields.required_parsed("primary", Code::parse)?,
                joint: fields.codes("joint")?,
                referral: fields.codes("referral")?,
                deadline_working_days: fields.parsed("deadline_working_days", |text| match text.parse::<u32>() {
                    Ok(days) if (1..=60).contains(&days) => Ok(days),
                    _ => Err(InvalidReason::WorkingDaysOutOfRange { min: 1, max: 60 }),
                })?,
                duplicate_radius_m: positive("duplicate_radius_m", 150)?,
                duplicate_window_days: positive("duplicate_window_days", 30)?,
            })
        })();
        match parsed {
            Ok(category) => {
                categories.push(Located { location: Location::Line { line, column: None }, value: category })
            }
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    check_duplicates(&categories, |category| &category.code, &mut failure);
    finish(categories, failure)
}

/// Parses routing overrides from CSV: `district,category,replaces,agency`, with `*` as the category for all.
///
/// # Errors
///
/// [`ImportFailure`] with every problem, each naming its line and column.
pub fn parse_routing_csv(text: &str) -> Result<Vec<Located<RoutingOverride>>, ImportFailure> {
    let rows = read_csv(text, &["district", "category", "replaces", "agency"])?;
    let mut failure = ImportFailure::default();
    let mut overrides = Vec::new();
    for (line, row) in rows {
        let fields = Fields::Csv(&row);
        let parsed = (|| {
            Ok(RoutingOverride {
                district: fields.required_parsed("district", Code::parse)?,
                category: match fields.required("category")?.as_str() {
                    "*" => None,
                    code => Some(Code::parse(code).map_err(|err| Fields::invalid("category", err))?),
                },
                replaces: fields.required_parsed("replaces", Code::parse)?,
                agency: fields.required_parsed("agency", Code::parse)?,
            })
        })();
        match parsed {
            Ok(rule) => overrides.push(Located { location: Location::Line { line, column: None }, value: rule }),
            Err(kind) => failure.errors.push(at_column(line, kind)),
        }
    }
    finish(overrides, failure)
}

#[cfg(test)]
mod tests;
