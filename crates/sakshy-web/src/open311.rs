//! Open311 GeoReport v2 under `/open311/v2/`: discovery, services, service definitions, `POST requests` (with an
//! API key; form-encoded, or multipart with v2.1 `media` photos; `media_url` kept for staff), `GET requests` with
//! the spec's filters and the common extensions (`page`/`page_size`, `lat`/`long` with `radius`, bounding box),
//! one request, tokens, and mySociety's `servicerequestupdates` (with an API key) — in XML and JSON as the
//! contract describes (UTC `Z` times, string ids, JSON booleans, errors as `errors/error`).
//!
//! No personal data ever appears here: descriptions are the category's, addresses are the quadrant's, points are
//! rounded to 0.001° (about 100 m), `media_url` is always empty. Resident text, photos and contacts stay with the
//! staff API.

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveDate, Utc};
use fluent_templates::fluent_bundle::FluentValue;
use geo_types::Point;
use sakshy_core::category::Urgency;
use sakshy_core::intake::{Channel, Contact, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::AppealState;
use sakshy_core::{Code, Lang, Level};
use sakshy_store::{AppealFilter, AppealSummary, MAX_REQUEST_UPDATES, RequestUpdate};
use serde_json::{Map, Value, json};

use crate::dto::rfc3339;
use crate::i18n::{RequestLang, text};
use crate::{AppState, Registry};

/// The specification an endpoint implements, as discovery names it.
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";
/// mySociety's extensions (`servicerequestupdates`, extended statuses), as open311-adapter names them.
const MYSOCIETY_SPECIFICATION: &str =
    "https://github.com/mysociety/FixMyStreet/wiki/Open311-FMS---Proposed-differences-to-Open311";
/// The most requests one `GET requests` answers.
const MAX_PAGE_SIZE: u32 = 1_000;
/// The longest span `start_date`–`end_date` may cover, and the default window of `GET requests`.
const MAX_SPAN_DAYS: i64 = 90;
/// The default window of `GET servicerequestupdates`: the last 24 hours.
const DEFAULT_UPDATES_WINDOW_MS: i64 = 86_400_000;
/// The most `media_url` values one request may carry.
const MAX_MEDIA_URLS: usize = 10;
/// The longest `media_url` accepted, in characters.
const MAX_MEDIA_URL_CHARS: usize = 2_000;
/// The largest `POST requests` body: the photos at their limit, and the form.
const MAX_POST_BYTES: usize = crate::photos::MAX_PHOTOS * crate::photos::MAX_PHOTO_BYTES + 256 * 1024;
/// The longest `description` the contract allows, in characters.
const MAX_DESCRIPTION_CHARS: usize = 4_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/discovery.{format}", get(show_discovery))
        .route("/open311/v2/services.{format}", get(list_services))
        .route("/open311/v2/services/{code_format}", get(find_service))
        .route(
            "/open311/v2/requests.{format}",
            get(list_requests).post(create_request).layer(DefaultBodyLimit::max(MAX_POST_BYTES)),
        )
        .route("/open311/v2/requests/{id_format}", get(find_request))
        .route("/open311/v2/tokens/{token_format}", get(find_token))
        .route("/open311/v2/servicerequestupdates.{format}", get(list_request_updates))
}

/// The two formats of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xml,
    Json,
}

impl Format {
    fn parse(text: &str) -> Option<Format> {
        match text {
            "xml" => Some(Format::Xml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// An Open311 error: the HTTP status (403 bad key, 404 missing, 400 anything else) and a description.
struct Open311Error {
    status: StatusCode,
    description: String,
    format: Format,
}

impl Open311Error {
    fn new(status: StatusCode, description: impl Into<String>, format: Format) -> Open311Error {
        Open311Error { status, description: description.into(), format }
    }

    /// A 400 with a message from the Fluent files.
    fn bad(format: Format, lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> Open311Error {
        Open311Error::new(StatusCode::BAD_REQUEST, text(lang, key, args), format)
    }
}

impl IntoResponse for Open311Error {
    fn into_response(self) -> Response {
        let errors = json!([{"code": self.status.as_u16(), "description": self.description}]);
        let mut response = render(self.format, "errors", &errors);
        *response.status_mut() = self.status;
        response
    }
}

/// Splits `name.fmt` into the name and a known format; an unknown format is a 404.
fn split_format(text: &str) -> Result<(&str, Format), Open311Error> {
    text.rsplit_once('.')
        .and_then(|(name, format)| Some((name, Format::parse(format)?)))
        .ok_or_else(|| Open311Error::new(StatusCode::NOT_FOUND, "unknown format: use .xml or .json", Format::Json))
}

fn format_of(text: &str) -> Result<Format, Open311Error> {
    Format::parse(text)
        .ok_or_else(|| Open311Error::new(StatusCode::NOT_FOUND, "unknown format: use .xml or .json", Format::Json))
}

/// Renders a value in the requested format: JSON as is (the "Spark" convention), XML with `root` as the root
/// element and list items named after their parent.
fn render(format: Format, root: &str, value: &Value) -> Response {
    match format {
        Format::Json => {
            ([(header::CONTENT_TYPE, "application/json; charset=utf-8")], value.to_string()).into_response()
        }
        Format::Xml => {
            let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            write_xml(&mut out, root, value);
            ([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], out).into_response()
        }
    }
}

/// The element name of the items of a list element.
fn item_name(list: &str) -> &str {
    match list {
        "services" => "service",
        "attributes" => "attribute",
        "values" => "value",
        "service_requests" => "request",
        "errors" => "error",
        "endpoints" => "endpoint",
        "formats" => "format",
        "service_request_updates" => "request_update",
        other => other.strip_suffix('s').unwrap_or(other),
    }
}

/// Escapes element text (no attributes are written, so quotes need no escaping).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn write_xml(out: &mut String, name: &str, value: &Value) {
    match value {
        // Absent rather than empty: validators parse what they find.
        Value::Null => {}
        Value::Array(items) => {
            out.push_str(&format!("<{name}>"));
            for item in items {
                write_xml(out, item_name(name), item);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::Object(fields) => {
            out.push_str(&format!("<{name}>"));
            for (key, field) in fields {
                write_xml(out, key, field);
            }
            out.push_str(&format!("</{name}>"));
        }
        Value::String(text) => out.push_str(&format!("<{name}>{}</{name}>", escape(text))),
        Value::Bool(flag) => out.push_str(&format!("<{name}>{flag}</{name}>")),
        Value::Number(number) => out.push_str(&format!("<{name}>{number}</{name}>")),
    }
}

fn registry_or_error(state: &AppState, format: Format, lang: Lang) -> Result<std::sync::Arc<Registry>, Open311Error> {
    state.registry().ok_or_else(|| Open311Error::new(StatusCode::BAD_REQUEST, text(lang, "error-no-city", &[]), format))
}

/// Checks `jurisdiction_id`: optional, since one endpoint serves one city; when given it must be the city's code.
fn check_jurisdiction(
    query: &HashMap<String, String>,
    registry: &Registry,
    format: Format,
) -> Result<(), Open311Error> {
    match query.get("jurisdiction_id").map(|j| j.trim()).filter(|j| !j.is_empty()) {
        Some(jurisdiction) if !jurisdiction.eq_ignore_ascii_case(registry.city.code.as_str()) => {
            Err(Open311Error::new(
                StatusCode::NOT_FOUND,
                format!(
                    "jurisdiction_id {jurisdiction:?} is not served here; this endpoint serves {}",
                    registry.city.code.as_str().to_lowercase()
                ),
                format,
            ))
        }
        _ => Ok(()),
    }
}

async fn show_discovery(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(format): Path<String>,
) -> Result<Response, Open311Error> {
    let format = format_of(&format)?;
    let registry = registry_or_error(&state, format, lang)?;
    let changeset = rfc3339(registry.changed_at_ms);
    Ok(render(
        format,
        "discovery",
        &json!({
            "changeset": changeset,
            "contact": format!("{} — Sakshy", registry.city.name.get(lang)),
            "key_service": "API keys for POST requests and GET servicerequestupdates are issued by the city's Sakshy administrator (sakshy apikey create --open311).",
            "endpoints": [{
                "specification": SPECIFICATION,
                "url": "/open311/v2",
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }, {
                // The same base URL also serves mySociety's servicerequestupdates.
                "specification": MYSOCIETY_SPECIFICATION,
                "url": "/open311/v2",
                "changeset": changeset,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }],
        }),
    ))
}

/// The categories that can be filed: emergencies cannot (they are diverted to 102/112/103).
fn services(registry: &Registry) -> impl Iterator<Item = &sakshy_core::category::Category> {
    registry.routing.iter().flat_map(|r| r.categories()).filter(|c| c.urgency != Urgency::Emergency)
}

async fn list_services(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(format): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Open311Error> {
    let format = format_of(&format)?;
    let registry = registry_or_error(&state, format, lang)?;
    check_jurisdiction(&query, &registry, format)?;
    let list: Vec<Value> = services(&registry)
        .map(|category| {
            json!({
                "service_code": category.code.as_str(),
                "service_name": category.name.get(lang),
                "description": category.description.get(lang),
                "metadata": true,
                "type": "realtime",
                "keywords": format!("{}, {}, {}", category.name.kk(), category.name.ru(), category.name.en()),
                "group": category.group.as_str(),
            })
        })
        .collect();
    Ok(render(format, "services", &Value::Array(list)))
}

async fn find_service(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(code_format): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Open311Error> {
    let (code, format) = split_format(&code_format)?;
    let registry = registry_or_error(&state, format, lang)?;
    check_jurisdiction(&query, &registry, format)?;
    let category = services(&registry)
        .find(|c| c.code.as_str() == code)
        .ok_or_else(|| Open311Error::new(StatusCode::NOT_FOUND, format!("service_code {code:?} not found"), format))?;
    let consent = match lang {
        Lang::Kk => "Дербес деректерді өңдеуге келісім (аты-жөн, телефон немесе пошта берілсе міндетті)",
        Lang::Ru => "Согласие на обработку персональных данных (обязательно, если указаны имя, телефон или почта)",
        Lang::En => "Consent to the processing of personal data (required when a name, phone or e-mail is given)",
    };
    Ok(render(
        format,
        "service_definition",
        &json!({
            "service_code": category.code.as_str(),
            "attributes": [{
                "variable": true,
                "code": "consent",
                "datatype": "singlevaluelist",
                "required": false,
                "datatype_description": "true or false",
                "order": 1,
                "description": consent,
                "values": [{"key": "true", "name": "true"}, {"key": "false", "name": "false"}],
            }],
        }),
    ))
}

/// The open/closed status of the contract for one of our appeal states.
fn status_of(state: &str) -> &'static str {
    if matches!(state, "answered" | "rejected" | "closed") { "closed" } else { "open" }
}

fn rounded(value: f64) -> f64 {
    (value * 1_000.0).round() / 1_000.0
}

/// One request as the contract shows it, with nothing personal.
fn request_json(row: &AppealSummary, registry: &Registry, lang: Lang) -> Value {
    let category = registry.routing.as_ref().and_then(|r| r.category(&Code::parse(&row.category).ok()?));
    let service_name = category.map_or_else(|| row.category.clone(), |c| c.name.get(lang).to_owned());
    let agency = row
        .owner_agency
        .as_ref()
        .and_then(|code| registry.agencies.iter().find(|a| a.code.as_str() == code))
        .map(|a| a.name.get(lang).to_owned());
    let quadrant = row
        .quadrant
        .as_ref()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code().as_str() == code));
    let district = row
        .district
        .as_ref()
        .and_then(|code| registry.level(Level::District).find(|v| v.territory.code().as_str() == code));
    let address = [
        quadrant.map(|q| q.territory.name().get(lang)),
        district.map(|d| d.territory.name().get(lang)),
        Some(registry.city.name.get(lang)),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    let expected = registry_expected(row.due_on, registry);
    let mut fields = Map::new();
    fields.insert("service_request_id".into(), json!(row.receipt));
    fields.insert("status".into(), json!(status_of(&row.state)));
    fields.insert("status_notes".into(), json!(row.latest_public_comment));
    fields.insert("service_name".into(), json!(service_name));
    fields.insert("service_code".into(), json!(row.category));
    // The resident's own words may identify people: the public description is the category's.
    fields.insert("description".into(), json!(format!("{service_name} ({})", row.receipt)));
    fields.insert("agency_responsible".into(), json!(agency));
    fields.insert("service_notice".into(), Value::Null);
    fields.insert("requested_datetime".into(), json!(rfc3339(row.created_at_ms)));
    fields.insert("updated_datetime".into(), json!(rfc3339(row.updated_at_ms)));
    fields.insert("expected_datetime".into(), json!(expected));
    fields.insert("address".into(), json!(address));
    fields.insert("address_id".into(), json!(row.quadrant));
    fields.insert("zipcode".into(), Value::Null);
    fields.insert("lat".into(), json!(row.point.map(|p| rounded(p.1))));
    fields.insert("long".into(), json!(row.point.map(|p| rounded(p.0))));
    fields.insert("media_url".into(), Value::Null);
    Value::Object(fields)
}

/// The legal due date as a UTC time: the end of the office day (18:00 in the city's zone).
fn registry_expected(due: NaiveDate, registry: &Registry) -> Option<String> {
    let local = due.and_hms_opt(18, 0, 0)?.and_local_timezone(registry.city.timezone).earliest()?;
    Some(local.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn parse_time(text: &str, name: &'static str, format: Format, lang: Lang) -> Result<i64, Open311Error> {
    DateTime::parse_from_rfc3339(text).map(|t| t.timestamp_millis()).map_err(|_| {
        let value: String = text.chars().take(100).collect();
        Open311Error::bad(
            format,
            lang,
            "open311-bad-datetime",
            &[("field", FluentValue::from(name)), ("value", FluentValue::from(value))],
        )
    })
}

async fn list_requests(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(format): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Open311Error> {
    let format = format_of(&format)?;
    let registry = registry_or_error(&state, format, lang)?;
    check_jurisdiction(&query, &registry, format)?;
    let arg = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let bad = |message: String| Open311Error::new(StatusCode::BAD_REQUEST, message, format);
    let list =
        |text: &str| text.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned).collect::<Vec<_>>();
    let mut filter = AppealFilter::default();
    // A radius search: the store pre-filters by its bounding box, the circle itself is applied below.
    let mut circle: Option<(Point<f64>, f64)> = None;
    if let Some(ids) = arg("service_request_id") {
        // The spec: service_request_id overrides every other filter.
        filter.receipts = list(ids);
    } else {
        if let Some(codes) = arg("service_code") {
            filter.categories = list(codes)
                .iter()
                .map(|c| Code::parse(c).map_err(|_| bad(format!("service_code {c:?} is not a code"))))
                .collect::<Result<_, _>>()?;
        }
        let now = Utc::now().timestamp_millis();
        let end = arg("end_date").map(|t| parse_time(t, "end_date", format, lang)).transpose()?.unwrap_or(now);
        let start = arg("start_date")
            .map(|t| parse_time(t, "start_date", format, lang))
            .transpose()?
            .unwrap_or(end - MAX_SPAN_DAYS * 86_400_000);
        if end < start {
            return Err(bad("end_date is before start_date".into()));
        }
        if end - start > MAX_SPAN_DAYS * 86_400_000 {
            return Err(bad(format!("start_date and end_date may be at most {MAX_SPAN_DAYS} days apart")));
        }
        filter.created_from_ms = Some(start);
        filter.created_to_ms = Some(end);
        if let Some(statuses) = arg("status") {
            let mut states = Vec::new();
            for status in list(statuses) {
                match status.as_str() {
                    "open" => states.extend(["registered", "in_progress", "extended", "reopened"].map(str::to_owned)),
                    "closed" => states.extend(["answered", "rejected", "closed"].map(str::to_owned)),
                    other => return Err(bad(format!("status {other:?} is neither open nor closed"))),
                }
            }
            filter.states = states;
        }
        let number = |name: &str| -> Result<Option<f64>, Open311Error> {
            arg(name)
                .map(|v| {
                    v.parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| bad(format!("{name}: {v:?} is not a number")))
                })
                .transpose()
        };
        if let (Some(lat_ne), Some(long_ne), Some(lat_sw), Some(long_sw)) =
            (number("lat_ne")?, number("long_ne")?, number("lat_sw")?, number("long_sw")?)
        {
            filter.bbox = Some((long_sw, lat_sw, long_ne, lat_ne));
        } else if let (Some(lat), Some(long)) = (number("lat")?, number("long")?) {
            let radius_m = number("radius")?.unwrap_or(750.0).clamp(1.0, 10_000.0);
            let dlat = radius_m / 111_320.0;
            let dlon = radius_m / (111_320.0 * lat.to_radians().cos().max(0.01));
            filter.bbox = Some((long - dlon, lat - dlat, long + dlon, lat + dlat));
            circle = Some((Point::new(long, lat), radius_m));
        }
    }
    let page_size = arg("page_size")
        .map(|v| v.parse::<u32>().map_err(|_| bad("page_size is a positive whole number".into())))
        .transpose()?
        .unwrap_or(MAX_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let page = arg("page")
        .map(|v| v.parse::<u32>().ok().filter(|p| *p >= 1).ok_or_else(|| bad("page is a whole number from 1".into())))
        .transpose()?
        .unwrap_or(1);
    let rows =
        state.store.list_appeals_from(registry.city_id, &filter, (page - 1) * page_size, page_size).await.map_err(
            |_| Open311Error::new(StatusCode::BAD_REQUEST, "the requests cannot be read now; try again", format),
        )?;
    let requests: Vec<Value> = rows
        .iter()
        .filter(|row| match (circle, row.point) {
            (Some((centre, radius_m)), Some((lon, lat))) => {
                sakshy_core::locate::distance_m(centre, Point::new(lon, lat)) <= radius_m
            }
            _ => true,
        })
        .map(|row| request_json(row, &registry, lang))
        .collect();
    Ok(render(format, "service_requests", &Value::Array(requests)))
}

async fn find_request(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(id_format): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Open311Error> {
    let (id, format) = split_format(&id_format)?;
    let registry = registry_or_error(&state, format, lang)?;
    check_jurisdiction(&query, &registry, format)?;
    let filter = AppealFilter { receipts: vec![id.to_owned()], ..AppealFilter::default() };
    let rows =
        state.store.list_appeals_from(registry.city_id, &filter, 0, 1).await.map_err(|_| {
            Open311Error::new(StatusCode::BAD_REQUEST, "the request cannot be read now; try again", format)
        })?;
    let row = rows.first().ok_or_else(|| {
        Open311Error::new(StatusCode::NOT_FOUND, format!("service_request_id {id:?} not found"), format)
    })?;
    Ok(render(format, "service_requests", &json!([request_json(row, &registry, lang)])))
}

async fn find_token(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token_format): Path<String>,
) -> Result<Response, Open311Error> {
    let (token, format) = split_format(&token_format)?;
    let registry = registry_or_error(&state, format, lang)?;
    let appeal = state
        .store
        .appeal_by_token(registry.city_id, token)
        .await
        .map_err(|_| Open311Error::new(StatusCode::BAD_REQUEST, "the token cannot be read now; try again", format))?
        .ok_or_else(|| Open311Error::new(StatusCode::NOT_FOUND, "token not found", format))?;
    Ok(render(format, "service_requests", &json!([{"service_request_id": appeal.receipt, "token": token}])))
}

/// Checks an Open311 client's `api_key`: missing or unknown (or revoked) is a 403, as the contract says.
async fn check_api_key(
    state: &AppState,
    registry: &Registry,
    key: Option<&str>,
    format: Format,
    lang: Lang,
) -> Result<(), Open311Error> {
    let forbidden = |key: &str| Open311Error::new(StatusCode::FORBIDDEN, text(lang, key, &[]), format);
    let key = key.map(str::trim).filter(|k| !k.is_empty()).ok_or_else(|| forbidden("open311-api-key-required"))?;
    if key.len() > 200 {
        return Err(forbidden("open311-api-key-invalid"));
    }
    let client = state
        .store
        .open311_client(registry.city_id, key)
        .await
        .map_err(|_| Open311Error::bad(format, lang, "open311-unavailable", &[]))?;
    client.map(|_| ()).ok_or_else(|| forbidden("open311-api-key-invalid"))
}

/// Reads a `multipart/form-data` request (the v2.1 draft): its text parts as form fields, and the raw bytes of its
/// `media` (or `media[]`) file parts, not yet decoded.
async fn read_form_data(
    content_type: &str,
    body: Bytes,
    format: Format,
    lang: Lang,
) -> Result<(Vec<(String, String)>, Vec<Bytes>), Open311Error> {
    let malformed =
        |detail: String| Open311Error::bad(format, lang, "open311-bad-body", &[("detail", FluentValue::from(detail))]);
    let boundary = multer::parse_boundary(content_type).map_err(|err| malformed(err.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = Vec::new();
    let mut media = Vec::new();
    while let Some(part) = multipart.next_field().await.map_err(|err| malformed(err.to_string()))? {
        let name = part.name().unwrap_or("").to_owned();
        if name == "media" || name == "media[]" {
            media.push(part.bytes().await.map_err(|err| malformed(err.to_string()))?);
        } else if part.file_name().is_some() {
            let name: String = name.chars().take(100).collect();
            return Err(Open311Error::bad(
                format,
                lang,
                "open311-unexpected-file",
                &[("field", FluentValue::from(name))],
            ));
        } else {
            fields.push((name, part.text().await.map_err(|err| malformed(err.to_string()))?));
        }
    }
    Ok((fields, media))
}

/// The `media_url` values of a request (`media_url`, repeated, or `media_url[]`), each an absolute http(s) URL of at
/// most [`MAX_MEDIA_URL_CHARS`] characters without credentials, in the order sent. Empty values are absent ones.
fn media_urls(fields: &[(String, String)], format: Format, lang: Lang) -> Result<Vec<String>, Open311Error> {
    let values: Vec<&str> = fields
        .iter()
        .filter(|(name, _)| name == "media_url" || name == "media_url[]")
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
        .collect();
    if values.len() > MAX_MEDIA_URLS {
        return Err(Open311Error::bad(
            format,
            lang,
            "open311-too-many-media-urls",
            &[("max", FluentValue::from(MAX_MEDIA_URLS as f64))],
        ));
    }
    values
        .into_iter()
        .map(|value| {
            let refused = || {
                let shown: String = value.chars().take(100).collect();
                let shown = if shown.len() < value.len() { format!("{shown}…") } else { shown };
                Open311Error::bad(
                    format,
                    lang,
                    "open311-bad-media-url",
                    &[("value", FluentValue::from(shown)), ("max", FluentValue::from(MAX_MEDIA_URL_CHARS as f64))],
                )
            };
            if value.chars().count() > MAX_MEDIA_URL_CHARS {
                return Err(refused());
            }
            let url = reqwest::Url::parse(value).map_err(|_| refused())?;
            let absolute = matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty());
            let credentials = !url.username().is_empty() || url.password().is_some();
            if !absolute || credentials || url.as_str().chars().count() > MAX_MEDIA_URL_CHARS {
                return Err(refused());
            }
            Ok(url.to_string())
        })
        .collect()
}

async fn create_request(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(format): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, Open311Error> {
    let format = format_of(&format)?;
    let registry = registry_or_error(&state, format, lang)?;
    let body = body.map_err(|rejection| {
        if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
            let max_mb = (MAX_POST_BYTES / (1024 * 1024)) as f64;
            Open311Error::bad(format, lang, "open311-too-large", &[("max", FluentValue::from(max_mb))])
        } else {
            Open311Error::bad(format, lang, "open311-bad-body", &[("detail", FluentValue::from(rejection.body_text()))])
        }
    })?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (fields, media) = if content_type.starts_with("multipart/form-data") {
        read_form_data(content_type, body, format, lang).await?
    } else {
        (form_urlencoded::parse(&body).into_owned().collect(), Vec::new())
    };
    let form: HashMap<String, String> = fields.iter().cloned().collect();
    check_jurisdiction(&form, &registry, format)?;
    let field = |name: &str| form.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let bad = |message: String| Open311Error::new(StatusCode::BAD_REQUEST, message, format);
    check_api_key(&state, &registry, form.get("api_key").map(String::as_str), format, lang).await?;
    let media_urls = media_urls(&fields, format, lang)?;
    let photos = clean_media(&media, format, lang)?;
    let attachments = sakshy_store::Attachments { photos: &photos, media_urls: &media_urls };
    let code = field("service_code").ok_or_else(|| bad("service_code is required".into()))?;
    let category =
        registry.routing.as_ref().and_then(|r| r.category(&Code::parse(&code).ok()?)).ok_or_else(|| {
            Open311Error::new(StatusCode::NOT_FOUND, format!("service_code {code:?} not found"), format)
        })?;
    let location = match (field("lat"), field("long"), field("address_string")) {
        (Some(lat), Some(long), _) => {
            let (lat, long) = (
                lat.parse::<f64>().map_err(|_| bad(format!("lat: {lat:?} is not a number")))?,
                long.parse::<f64>().map_err(|_| bad(format!("long: {long:?} is not a number")))?,
            );
            if lat.abs() > 90.0 || long.abs() > 180.0 {
                return Err(bad("lat must be in [-90, 90] and long in [-180, 180]".into()));
            }
            LocationInput::Point(Point::new(long, lat))
        }
        (None, None, Some(address)) => LocationInput::Address(address),
        _ => return Err(bad("a location is required: lat and long, or address_string".into())),
    };
    let name = [field("first_name"), field("last_name")].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let phone = field("phone").map(|p| Phone::parse(&p)).transpose().map_err(|err| bad(format!("phone: {err}")))?;
    let contact = Contact { name: (!name.is_empty()).then_some(name), phone, email: field("email") };
    let consent = matches!(form.get("attribute[consent]").map(String::as_str), Some("true" | "TRUE" | "1"));
    let submission = Submission {
        category: category.code.clone(),
        description: field("description").unwrap_or_default(),
        location,
        lang,
        contact: Some(contact),
        consent,
        channel: Channel::Open311,
    };
    let created = match crate::appeals::file_submission(&state, &registry, submission, None, attachments).await {
        Ok(crate::appeals::Filed::Registered { created, .. }) => created,
        Ok(crate::appeals::Filed::Diverted { call }) => {
            return Err(bad(text(lang, "intake-divert", &[("numbers", call.join(", ").into())])));
        }
        Err(crate::appeals::FileError::Intake(err)) => return Err(bad(err.to_string())),
        Err(crate::appeals::FileError::Storage(_)) => {
            return Err(bad("the request could not be stored; try again".into()));
        }
    };
    let notice = match lang {
        Lang::Kk => format!("Тіркелді. Жауап мерзімі: {}.", created.due_on),
        Lang::Ru => format!("Зарегистрировано. Срок ответа: {}.", created.due_on),
        Lang::En => format!("Registered. The answer is due by {}.", created.due_on),
    };
    Ok(render(format, "service_requests", &json!([{"service_request_id": created.receipt, "service_notice": notice}])))
}

/// Decodes the `media` photos of a request through the photo pipeline of `POST /api/v1/appeals` (real images
/// only, limited in count and size, re-encoded without metadata); a refusal is a 400 naming the photo.
fn clean_media(media: &[Bytes], format: Format, lang: Lang) -> Result<Vec<sakshy_store::Photo>, Open311Error> {
    use crate::photos::{MAX_PHOTOS, PhotoError, clean_photo};
    if media.len() > MAX_PHOTOS {
        let message = text(lang, "photo-too-many", &[("max", FluentValue::from(MAX_PHOTOS as f64))]);
        return Err(Open311Error::new(StatusCode::BAD_REQUEST, format!("media: {message}"), format));
    }
    media
        .iter()
        .enumerate()
        .map(|(i, bytes)| {
            clean_photo(i + 1, bytes).map_err(|err| {
                let key = match err {
                    PhotoError::NotAnImage(_) => "photo-not-image",
                    PhotoError::TooLarge(_) => "photo-too-large",
                };
                let message = text(lang, key, &[("value", FluentValue::from((i + 1) as f64))]);
                Open311Error::new(StatusCode::BAD_REQUEST, format!("media: {message}"), format)
            })
        })
        .collect()
}

/// The mySociety status of an update: from the state of the appeal right after it, except that a redirect is an
/// internal referral.
fn update_status(update: &RequestUpdate) -> &'static str {
    if update.action == "redirect" {
        return "internal_referral";
    }
    match update.state {
        AppealState::Registered => "open",
        AppealState::InProgress | AppealState::Extended => "in_progress",
        AppealState::Reopened => "reopen",
        AppealState::Answered => "fixed",
        AppealState::Rejected => "no_further_action",
        AppealState::Closed => "closed",
    }
}

/// One update as mySociety's extension shows it. The description is the comment staff wrote for the resident
/// (an extension's, answer's, redirect's or rejection's reason) or a fixed text for the step in the request's
/// language; a reopening's comment is the resident's own words and is never shown. No actor, no internal note,
/// no contact: the store does not even read them.
fn update_json(update: &RequestUpdate, registry: &Registry, lang: Lang) -> Value {
    let agency = update.agency.as_ref().map_or_else(String::new, |code| {
        registry
            .agencies
            .iter()
            .find(|a| &a.code == code)
            .map_or_else(|| code.to_string(), |a| a.name.get(lang).to_owned())
    });
    let comment = match update.action {
        "extend" | "answer" | "redirect" | "reject" => {
            update.public_comment.as_deref().map(str::trim).filter(|c| !c.is_empty())
        }
        _ => None,
    };
    let description = match comment {
        Some(comment) if comment.chars().count() > MAX_DESCRIPTION_CHARS => {
            let cut: String = comment.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
            format!("{cut}…")
        }
        Some(comment) => comment.to_owned(),
        None => text(lang, &format!("open311-update-{}", update.action), &[("agency", FluentValue::from(agency))]),
    };
    let mut fields = Map::new();
    fields.insert("update_id".into(), json!(format!("{}-{}", update.receipt, update.event_no)));
    fields.insert("service_request_id".into(), json!(update.receipt));
    fields.insert("status".into(), json!(update_status(update)));
    fields.insert("updated_datetime".into(), json!(rfc3339(update.at_ms)));
    fields.insert("description".into(), json!(description));
    // Photos are for staff eyes only: never a link here.
    fields.insert("media_url".into(), json!(""));
    fields.insert("external_status_code".into(), json!(update.state.as_str()));
    Value::Object(fields)
}

/// mySociety's `GET servicerequestupdates`: the public steps of every appeal in `[start_date, end_date)` (both or
/// neither; by default the last 24 hours; at most 90 days apart), oldest first, at most 1,000 — a client that gets
/// 1,000 asks again from the last `updated_datetime`.
async fn list_request_updates(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(format): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Response, Open311Error> {
    let format = format_of(&format)?;
    let registry = registry_or_error(&state, format, lang)?;
    check_jurisdiction(&query, &registry, format)?;
    check_api_key(&state, &registry, query.get("api_key").map(String::as_str), format, lang).await?;
    let arg = |name: &str| query.get(name).map(|v| v.trim()).filter(|v| !v.is_empty());
    let (start, end) = match (arg("start_date"), arg("end_date")) {
        (None, None) => {
            // Up to and including this millisecond.
            let end = Utc::now().timestamp_millis() + 1;
            (end - DEFAULT_UPDATES_WINDOW_MS, end)
        }
        (Some(start), Some(end)) => {
            (parse_time(start, "start_date", format, lang)?, parse_time(end, "end_date", format, lang)?)
        }
        _ => return Err(Open311Error::bad(format, lang, "open311-dates-together", &[])),
    };
    if end < start {
        return Err(Open311Error::bad(format, lang, "open311-end-before-start", &[]));
    }
    if end - start > MAX_SPAN_DAYS * 86_400_000 {
        return Err(Open311Error::bad(
            format,
            lang,
            "open311-span-too-long",
            &[("max", FluentValue::from(MAX_SPAN_DAYS as f64))],
        ));
    }
    let updates = state
        .store
        .request_updates(registry.city_id, start, end, MAX_REQUEST_UPDATES)
        .await
        .map_err(|_| Open311Error::bad(format, lang, "open311-unavailable", &[]))?;
    let updates: Vec<Value> = updates.iter().map(|update| update_json(update, &registry, lang)).collect();
    Ok(render(format, "service_request_updates", &Value::Array(updates)))
}
