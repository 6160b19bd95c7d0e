//! Appeals for residents and clients: `POST /api/v1/appeals` registers one (or, for an emergency, says whom to
//! call and registers nothing), `GET /api/v1/track/{token}` follows it. Public views never carry contact
//! details, internal notes or staff identities.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use fluent_templates::fluent_bundle::FluentValue;
use geo_types::Point;
use sakshy_core::intake::{self, Channel, Contact, Decision, IntakeContext, IntakeError, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::workflow::{Actor, Appeal};
use sakshy_core::{Code, Lang, Level};
use sakshy_store::{Attachments, Idempotency, StorageError, StoredAppeal};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::dto::{NameDto, rfc3339};
use crate::i18n::{RequestLang, text};
use crate::{ApiError, AppState, Registry};

pub fn router() -> Router<AppState> {
    Router::new()
        // Up to three photos of at most 8 MiB each, and the JSON.
        .route(
            "/api/v1/appeals",
            post(create_appeal).layer(axum::extract::DefaultBodyLimit::max(3 * 8 * 1024 * 1024 + 256 * 1024)),
        )
        .route("/api/v1/appeals/nearby", get(list_nearby_appeals))
        .route("/api/v1/track/{token}", get(find_tracked_appeal))
        .route("/api/v1/track/{token}/feedback", post(create_feedback))
        .route("/api/v1/track/{token}/reopen", post(reopen_tracked_appeal))
        .route("/api/v1/track/{token}/close", post(close_tracked_appeal))
}

/// The JSON body of `POST /api/v1/appeals`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AppealBody {
    category: String,
    #[serde(default)]
    description: String,
    location: LocationBody,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    contact: Option<ContactBody>,
    #[serde(default)]
    consent: bool,
}

/// Where: a point, a police point, or address text (exactly one).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LocationBody {
    lat: Option<f64>,
    lon: Option<f64>,
    police_point: Option<String>,
    address: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContactBody {
    name: Option<String>,
    phone: Option<String>,
    email: Option<String>,
}

/// The answer to a registration.
#[derive(Debug, Serialize)]
struct CreatedResponse {
    receipt: String,
    tracking_token: String,
    tracking_url: String,
    registered_on: String,
    due_on: String,
    state: &'static str,
    agencies: Vec<String>,
    quadrant: Option<String>,
}

fn bad(lang: Lang, field: &str, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> ApiError {
    ApiError::BadRequest { field: Some(field.to_owned()), message: text(lang, key, args) }
}

fn unprocessable(lang: Lang, field: &str, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> ApiError {
    ApiError::Unprocessable { field: Some(field.to_owned()), message: text(lang, key, args) }
}

/// Parses the body into a submission, naming the field of every problem.
fn parse_body(bytes: &[u8], lang: Lang) -> Result<Submission, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let body: AppealBody = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        bad(lang, &field, "intake-bad-body", &[("detail", FluentValue::from(err.inner().to_string()))])
    })?;
    let category = Code::parse(&body.category).map_err(|_| {
        unprocessable(
            lang,
            "category",
            "intake-unknown-category",
            &[("value", FluentValue::from(body.category.clone()))],
        )
    })?;
    let location = match (body.location.lat, body.location.lon, body.location.police_point, body.location.address) {
        (Some(lat), Some(lon), None, None) => {
            if !(lat.is_finite() && lat.abs() <= 90.0) {
                return Err(out_of_range(lang, "location.lat", 90.0, lat));
            }
            if !(lon.is_finite() && lon.abs() <= 180.0) {
                return Err(out_of_range(lang, "location.lon", 180.0, lon));
            }
            LocationInput::Point(Point::new(lon, lat))
        }
        (None, None, Some(code), None) => LocationInput::PolicePoint(Code::parse(&code).map_err(|_| {
            unprocessable(lang, "location", "intake-unknown-point", &[("value", FluentValue::from(code.clone()))])
        })?),
        (None, None, None, Some(address)) => LocationInput::Address(address),
        (Some(_), None, None, None) => return Err(ApiError::missing(lang, "location.lon")),
        (None, Some(_), None, None) => return Err(ApiError::missing(lang, "location.lat")),
        _ => {
            return Err(bad(
                lang,
                "location",
                "intake-bad-body",
                &[("detail", FluentValue::from("give exactly one of lat and lon, police_point, address"))],
            ));
        }
    };
    let contact = match body.contact {
        None => None,
        Some(contact) => {
            let phone = contact.phone.filter(|p| !p.trim().is_empty()).map(|p| Phone::parse(&p)).transpose().map_err(
                |err| bad(lang, "contact.phone", "intake-bad-body", &[("detail", FluentValue::from(err.to_string()))]),
            )?;
            let email = contact.email.map(|e| e.trim().to_owned()).filter(|e| !e.is_empty());
            if let Some(email) = &email
                && (!email.contains('@') || email.contains(char::is_whitespace) || email.len() > 254)
            {
                return Err(bad(
                    lang,
                    "contact.email",
                    "intake-bad-body",
                    &[("detail", FluentValue::from(format!("{email:?} is not an e-mail address")))],
                ));
            }
            let name = contact.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
            Some(Contact { name, phone, email })
        }
    };
    let submission_lang = match body.lang {
        Some(code) => code
            .parse::<Lang>()
            .map_err(|err| bad(lang, "lang", "intake-bad-body", &[("detail", FluentValue::from(err.to_string()))]))?,
        None => lang,
    };
    Ok(Submission {
        category,
        description: body.description,
        location,
        lang: submission_lang,
        contact,
        consent: body.consent,
        channel: Channel::Api,
    })
}

fn out_of_range(lang: Lang, field: &str, limit: f64, value: f64) -> ApiError {
    ApiError::BadRequest {
        field: Some(field.to_owned()),
        message: text(
            lang,
            "error-out-of-range",
            &[
                ("field", FluentValue::from(field.to_owned())),
                ("min", FluentValue::from(format!("-{limit}"))),
                ("max", FluentValue::from(format!("{limit}"))),
                ("value", FluentValue::from(value.to_string())),
            ],
        ),
    }
}

/// An intake refusal in the user's language: 422, naming the field.
pub(crate) fn intake_error(err: &IntakeError, lang: Lang, registry: &Registry) -> ApiError {
    let field = err.field();
    match err {
        IntakeError::UnknownCategory(code) => {
            unprocessable(lang, field, "intake-unknown-category", &[("value", FluentValue::from(code.clone()))])
        }
        IntakeError::EmptyDescription => unprocessable(lang, field, "intake-empty-description", &[]),
        IntakeError::DescriptionTooLong { chars } => unprocessable(
            lang,
            field,
            "intake-description-too-long",
            &[
                ("chars", FluentValue::from(*chars as f64)),
                ("max", FluentValue::from(intake::MAX_DESCRIPTION_CHARS as f64)),
            ],
        ),
        IntakeError::ContactRequired => unprocessable(lang, field, "intake-contact-required", &[]),
        IntakeError::ConsentRequired => unprocessable(lang, field, "intake-consent-required", &[]),
        IntakeError::OutsideCity { nearest, distance_m } => {
            let name = registry
                .level(Level::Quadrant)
                .find(|v| v.territory.code().as_str() == nearest)
                .map_or_else(|| nearest.clone(), |v| format!("{} ({nearest})", v.territory.name().get(lang)));
            unprocessable(
                lang,
                field,
                "intake-outside-city",
                &[("quadrant", FluentValue::from(name)), ("distance", FluentValue::from(format!("{distance_m:.0}")))],
            )
        }
        IntakeError::UnknownPolicePoint(code) => {
            unprocessable(lang, field, "intake-unknown-point", &[("value", FluentValue::from(code.clone()))])
        }
        IntakeError::EmptyAddress => unprocessable(lang, field, "intake-empty-address", &[]),
        IntakeError::NoRouting => ApiError::Unavailable(text(lang, "intake-no-routing", &[])),
        IntakeError::Calendar(err) => ApiError::internal(lang, err.clone()),
    }
}

async fn create_appeal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let content_type = headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let (json_body, photos) = if content_type.starts_with("multipart/form-data") {
        read_multipart(content_type, body.clone(), lang).await?
    } else {
        (body.clone(), Vec::new())
    };
    let submission = parse_body(&json_body, lang)?;
    let key = headers.get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim).filter(|k| !k.is_empty());
    if let Some(key) = key
        && key.len() > 200
    {
        return Err(bad(
            lang,
            "Idempotency-Key",
            "intake-bad-body",
            &[("detail", FluentValue::from("at most 200 characters"))],
        ));
    }
    let request_hash = sakshy_store::digest_hex(&body);
    let idempotency = key.map(|key| Idempotency { key, request_hash: &request_hash });
    let filed =
        file_submission(&state, &registry, submission, idempotency, Attachments { photos: &photos, media_urls: &[] })
            .await
            .map_err(|err| match err {
                FileError::Intake(err) => intake_error(&err, lang, &registry),
                FileError::Storage(StorageError::Conflict { .. }) => {
                    unprocessable(lang, "Idempotency-Key", "intake-idempotency-conflict", &[])
                }
                FileError::Storage(err) => ApiError::internal(lang, err),
            })?;
    let (created, new, workflow) = match filed {
        Filed::Diverted { call } => {
            let numbers = call.join(", ");
            let body = json!({
                "diverted": true,
                "call": call,
                "message": text(lang, "intake-divert", &[("numbers", FluentValue::from(numbers))]),
            });
            return Ok((StatusCode::OK, Json(body)));
        }
        Filed::Registered { created, new, workflow } => (created, new, workflow),
    };
    let status = if created.replayed { StatusCode::OK } else { StatusCode::CREATED };
    let response = CreatedResponse {
        tracking_url: format!("/api/v1/track/{}", created.tracking_token),
        receipt: created.receipt,
        tracking_token: created.tracking_token,
        registered_on: date(workflow.clocks.registered_on),
        due_on: date(created.due_on),
        state: workflow.state().as_str(),
        agencies: new.agencies.iter().map(ToString::to_string).collect(),
        quadrant: new.location.quadrant.as_ref().map(ToString::to_string),
    };
    Ok((status, Json(json!(response))))
}

/// Open appeals of the same category near a place, within the category's radius and period: offered before
/// submitting, so that a resident can follow an existing appeal instead of filing a duplicate. Only the
/// receipt, state, distance and date are shown — nothing about who filed it or what they wrote.
async fn list_nearby_appeals(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let lat = crate::locate::coordinate(&query, "lat", 90.0, lang)?;
    let lon = crate::locate::coordinate(&query, "lon", 180.0, lang)?;
    let raw = query
        .get("category")
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .ok_or_else(|| ApiError::missing(lang, "category"))?;
    let unknown =
        || unprocessable(lang, "category", "intake-unknown-category", &[("value", FluentValue::from(raw.to_owned()))]);
    let code = Code::parse(raw).map_err(|_| unknown())?;
    let routing =
        registry.routing.as_ref().ok_or_else(|| ApiError::Unavailable(text(lang, "intake-no-routing", &[])))?;
    let category = routing.category(&code).ok_or_else(unknown)?;
    let radius_m = f64::from(category.duplicate_radius_m);
    let nearby =
        nearby_appeals(&state, &registry, category, lon, lat).await.map_err(|err| ApiError::internal(lang, err))?;
    let appeals: Vec<Value> = nearby
        .iter()
        .map(|(distance, appeal)| {
            json!({
                "receipt": appeal.receipt,
                "state": appeal.state,
                "distance_m": distance.round(),
                "registered_on": date(appeal.registered_on),
            })
        })
        .collect();
    Ok(Json(json!({
        "appeals": appeals,
        "meta": {"total": appeals.len(), "radius_m": radius_m, "window_days": category.duplicate_window_days},
    })))
}

/// Open appeals of `category` within its duplicate radius and window around (lon, lat), nearest first, with their
/// distance in metres. Shared by the JSON API and the portal's confirmation step.
pub(crate) async fn nearby_appeals(
    state: &AppState,
    registry: &Registry,
    category: &sakshy_core::category::Category,
    lon: f64,
    lat: f64,
) -> Result<Vec<(f64, sakshy_store::NearbyAppeal)>, StorageError> {
    let radius_m = f64::from(category.duplicate_radius_m);
    let since_ms = chrono::Utc::now().timestamp_millis() - i64::from(category.duplicate_window_days) * 86_400_000;
    let here = Point::new(lon, lat);
    let mut nearby: Vec<(f64, sakshy_store::NearbyAppeal)> = state
        .store
        .open_appeals_near(registry.city_id, &category.code, (lon, lat), radius_m, since_ms)
        .await?
        .into_iter()
        .map(|appeal| (sakshy_core::locate::distance_m(here, Point::new(appeal.point.0, appeal.point.1)), appeal))
        .filter(|(distance, _)| *distance <= radius_m)
        .collect();
    nearby.sort_by(|a, b| a.0.total_cmp(&b.0));
    Ok(nearby)
}

/// The outcome of filing a submission.
pub(crate) enum Filed {
    /// An emergency: counted, nothing registered; the resident is to call these numbers.
    Diverted {
        /// The numbers to call.
        call: Vec<String>,
    },
    /// Registered.
    Registered {
        /// The receipt, token and due date.
        created: sakshy_store::AppealCreated,
        /// The appeal as intake made it.
        new: Box<sakshy_core::intake::NewAppeal>,
        /// Its workflow at registration.
        workflow: Appeal,
    },
}

/// Why filing failed.
pub(crate) enum FileError {
    /// The submission was refused; the error names the field.
    Intake(IntakeError),
    /// The database failed or refused (an idempotency key reused for another request is a conflict).
    Storage(StorageError),
}

/// Files a submission the way every channel does (the JSON API, Open311): intake decides; an emergency is
/// counted without personal data and nothing is registered; otherwise the appeal, its photos, tasks, history and
/// notifications are stored in one transaction.
pub(crate) async fn file_submission(
    state: &AppState,
    registry: &Registry,
    submission: Submission,
    idempotency: Option<Idempotency<'_>>,
    attachments: Attachments<'_>,
) -> Result<Filed, FileError> {
    let routing = registry.routing.as_ref().ok_or(FileError::Intake(IntakeError::NoRouting))?;
    let now = chrono::Utc::now();
    let local = now.with_timezone(&registry.city.timezone);
    let context = IntakeContext {
        routing,
        locator: &registry.locator,
        points: &registry.points,
        agencies: &registry.agencies,
        calendar: &state.calendar(),
        office_hours: &state.config.office_hours,
    };
    let new = match intake::decide(submission, local.naive_local(), context).map_err(FileError::Intake)? {
        Decision::Divert { category, call } => {
            state
                .store
                .record_diversion(registry.city_id, &category, local.date_naive())
                .await
                .map_err(FileError::Storage)?;
            return Ok(Filed::Diverted { call });
        }
        Decision::Register(new) => new,
    };
    let workflow = Appeal::register(
        new.agencies.clone(),
        new.location.quadrant.clone(),
        new.location.district.clone(),
        new.clocks,
        now.timestamp_millis(),
        &Actor::Resident,
    );
    let quadrant_version_id = new
        .location
        .quadrant
        .as_ref()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == code))
        .map(|v| v.version_id);
    let created = state
        .store
        .create_appeal(
            registry.city_id,
            registry.city.code.as_str(),
            &new,
            &workflow,
            quadrant_version_id,
            false,
            idempotency,
            attachments,
            now.timestamp_millis(),
        )
        .await
        .map_err(FileError::Storage)?;
    Ok(Filed::Registered { created, new, workflow })
}

/// Reads a `multipart/form-data` appeal: a field `appeal` with the JSON body and up to three `photo` files,
/// each decoded, checked and re-encoded without metadata.
async fn read_multipart(
    content_type: &str,
    body: Bytes,
    lang: Lang,
) -> Result<(Bytes, Vec<sakshy_store::Photo>), ApiError> {
    use crate::photos::{MAX_PHOTOS, PhotoError, clean_photo};
    let malformed = |detail: String| bad(lang, "body", "intake-bad-body", &[("detail", FluentValue::from(detail))]);
    let boundary = multer::parse_boundary(content_type).map_err(|err| malformed(err.to_string()))?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut appeal = None;
    let mut photos = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(|err| malformed(err.to_string()))? {
        match field.name() {
            Some("appeal") => appeal = Some(field.bytes().await.map_err(|err| malformed(err.to_string()))?),
            Some("photo") => {
                if photos.len() == MAX_PHOTOS {
                    return Err(unprocessable(
                        lang,
                        "photo",
                        "photo-too-many",
                        &[("max", FluentValue::from(MAX_PHOTOS as f64))],
                    ));
                }
                let bytes = field.bytes().await.map_err(|err| malformed(err.to_string()))?;
                let n = photos.len() + 1;
                let photo = clean_photo(n, &bytes).map_err(|err| {
                    let key = match err {
                        PhotoError::NotAnImage(_) => "photo-not-image",
                        PhotoError::TooLarge(_) => "photo-too-large",
                    };
                    unprocessable(
                        lang,
                        "photo",
                        key,
                        &[("value", FluentValue::from(n as f64)), ("max", FluentValue::from(MAX_PHOTOS as f64))],
                    )
                })?;
                photos.push(photo);
            }
            other => {
                return Err(malformed(format!(
                    "unexpected part {:?}: send \"appeal\" (JSON) and \"photo\" files",
                    other.unwrap_or("")
                )));
            }
        }
    }
    let appeal = appeal.ok_or_else(|| ApiError::missing(lang, "appeal"))?;
    Ok((appeal, photos))
}

fn date(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

async fn find_tracked_appeal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let not_found = || ApiError::NotFound { message: text(lang, "error-tracking-not-found", &[]), extra: json!({}) };
    if token.len() > 64 {
        return Err(not_found());
    }
    let appeal = state
        .store
        .appeal_by_token(registry.city_id, &token)
        .await
        .map_err(|err| ApiError::internal(lang, err))?
        .ok_or_else(not_found)?;
    let mut view = public_view(&appeal, &registry);
    let photos = state
        .store
        .photo_count(registry.city_id, appeal.appeal_id)
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    view["photo_count"] = json!(photos);
    Ok(Json(view))
}

/// What anyone holding the tracking token may see: state, public history, due dates — no personal data, no
/// internal notes, no staff identities.
fn public_view(appeal: &StoredAppeal, registry: &Registry) -> Value {
    let agency_name = |code: &Code| -> Value {
        registry.agencies.iter().find(|a| &a.code == code).map_or(Value::Null, |a| json!(NameDto::from(&a.name)))
    };
    let category = registry.routing.as_ref().and_then(|r| r.category(&appeal.category));
    let workflow = &appeal.workflow;
    json!({
        "receipt": appeal.receipt,
        "category": {"code": appeal.category.as_str(), "name": category.map(|c| json!(NameDto::from(&c.name)))},
        "state": workflow.state().as_str(),
        "registered_on": date(workflow.clocks.registered_on),
        "due_on": date(workflow.due()),
        "created_at": rfc3339(appeal.created_at_ms),
        "quadrant": workflow.quadrant.as_ref().map(Code::as_str),
        "tasks": workflow.tasks.iter().map(|task| json!({
            "agency": {"code": task.agency.as_str(), "name": agency_name(&task.agency)},
            "state": task.state.as_str(),
            "due_on": date(task.due),
        })).collect::<Vec<_>>(),
        "history": workflow.history.iter().map(|event| json!({
            "at": rfc3339(event.at_ms),
            "action": event.action,
            "agency": event.agency.as_ref().map(Code::as_str),
            "state": event.to.map(|s| s.as_str()),
            "comment": event.public_comment,
        })).collect::<Vec<_>>(),
    })
}

/// The longest feedback comment accepted, in characters.
const MAX_FEEDBACK_CHARS: usize = 1_000;

pub(crate) async fn tracked(
    state: &AppState,
    lang: Lang,
    token: &str,
) -> Result<(std::sync::Arc<Registry>, StoredAppeal), ApiError> {
    let registry = state.registry().ok_or_else(|| ApiError::no_city(lang))?;
    let not_found = || ApiError::NotFound { message: text(lang, "error-tracking-not-found", &[]), extra: json!({}) };
    if token.len() > 64 {
        return Err(not_found());
    }
    let appeal = state
        .store
        .appeal_by_token(registry.city_id, token)
        .await
        .map_err(|err| ApiError::internal(lang, err))?
        .ok_or_else(not_found)?;
    Ok((registry, appeal))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedbackBody {
    rating: i64,
    #[serde(default)]
    comment: Option<String>,
}

/// The resident rates the answer (1–5) with an optional comment; a later rating replaces an earlier one.
async fn create_feedback(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: FeedbackBody = serde_json::from_slice(&body)
        .map_err(|err| bad(lang, "body", "intake-bad-body", &[("detail", FluentValue::from(err.to_string()))]))?;
    let (receipt, rating, comment) = record_feedback(&state, lang, &token, body.rating, body.comment).await?;
    Ok(Json(json!({"receipt": receipt, "rating": rating, "comment": comment})))
}

/// Records the resident's rating of the answer (1–5, optional comment); returns the receipt, rating and comment.
/// Shared by the JSON API and the portal.
pub(crate) async fn record_feedback(
    state: &AppState,
    lang: Lang,
    token: &str,
    rating: i64,
    comment: Option<String>,
) -> Result<(String, u8, Option<String>), ApiError> {
    let (registry, appeal) = tracked(state, lang, token).await?;
    if !matches!(
        appeal.workflow.state(),
        sakshy_core::workflow::AppealState::Answered | sakshy_core::workflow::AppealState::Closed
    ) {
        return Err(ApiError::Conflict(text(lang, "feedback-not-answered", &[])));
    }
    let rating = u8::try_from(rating)
        .ok()
        .filter(|r| (1..=5).contains(r))
        .ok_or_else(|| unprocessable(lang, "rating", "feedback-bad-rating", &[]))?;
    let comment = comment.map(|c| c.trim().to_owned()).filter(|c| !c.is_empty());
    if comment.as_ref().is_some_and(|c| c.chars().count() > MAX_FEEDBACK_CHARS) {
        return Err(unprocessable(
            lang,
            "comment",
            "feedback-too-long",
            &[("max", FluentValue::from(MAX_FEEDBACK_CHARS as f64))],
        ));
    }
    state
        .store
        .record_feedback(
            registry.city_id,
            appeal.appeal_id,
            rating,
            comment.as_deref(),
            chrono::Utc::now().timestamp_millis(),
        )
        .await
        .map_err(|err| ApiError::internal(lang, err))?;
    Ok((appeal.receipt, rating, comment))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReopenBody {
    reason: String,
}

/// The resident disagrees with the answer, within the period allowed: the agencies that answered work again.
async fn reopen_tracked_appeal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let body: ReopenBody = serde_json::from_slice(&body)
        .map_err(|err| bad(lang, "body", "intake-bad-body", &[("detail", FluentValue::from(err.to_string()))]))?;
    resident_action(&state, lang, &token, sakshy_core::workflow::Action::Reopen { reason: body.reason }).await
}

/// The resident accepts the answer and closes the appeal.
async fn close_tracked_appeal(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    Path(token): Path<String>,
) -> Result<Json<Value>, ApiError> {
    resident_action(&state, lang, &token, sakshy_core::workflow::Action::Close).await
}

async fn resident_action(
    state: &AppState,
    lang: Lang,
    token: &str,
    action: sakshy_core::workflow::Action,
) -> Result<Json<Value>, ApiError> {
    let (registry, updated) = apply_resident_action(state, lang, token, action).await?;
    Ok(Json(public_view(&updated, &registry)))
}

/// The resident reopens or closes their appeal, as the workflow allows; returns the updated appeal. Shared by the
/// JSON API and the portal.
pub(crate) async fn apply_resident_action(
    state: &AppState,
    lang: Lang,
    token: &str,
    action: sakshy_core::workflow::Action,
) -> Result<(std::sync::Arc<Registry>, StoredAppeal), ApiError> {
    let (registry, appeal) = tracked(state, lang, token).await?;
    let now = chrono::Utc::now();
    let today = now.with_timezone(&registry.city.timezone).date_naive();
    let rules = sakshy_core::workflow::WorkflowRules { reopen_working_days: crate::staff::REOPEN_WORKING_DAYS };
    let calendar = state.calendar();
    let updated = state
        .store
        .update_appeal(registry.city_id, appeal.appeal_id, now.timestamp_millis(), |stored| {
            stored
                .workflow
                .apply(&Actor::Resident, &action, now.timestamp_millis(), today, &calendar, rules)
                .map_err(crate::staff::StepError::Workflow)
        })
        .await
        .map_err(|err| match err {
            crate::staff::StepError::Workflow(err) => crate::staff::workflow_error(&err, lang),
            crate::staff::StepError::Storage(err) => ApiError::internal(lang, err),
        })?;
    Ok((registry, updated))
}
