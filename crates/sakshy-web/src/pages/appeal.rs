//! Filing an appeal from the portal, without JavaScript: `GET /appeal/new` shows the emergency numbers first and
//! the form; `POST /appeal/new` with `step=review` checks it (errors next to their fields, the form refilled) and
//! shows a confirmation step with similar open appeals nearby and the photo field; `step=submit` files it through
//! the one filing path ([`crate::appeals::file_submission`]) and redirects to `GET /receipt/{token}`.
//!
//! Every POST carries the signed double-submit token of [`crate::pages::csrf`]. A double click files once: the
//! confirmation step gives the form an idempotency key.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use geo_types::Point;
use sakshy_core::category::Urgency;
use sakshy_core::intake::{self, Channel, Contact, Decision, IntakeContext, LocationInput, Submission};
use sakshy_core::registry::Phone;
use sakshy_core::{Code, Level};
use sakshy_store::{Attachments, Idempotency, StorageError};

use crate::appeals::{FileError, Filed, file_submission, intake_error, nearby_appeals};
use crate::pages::csrf::{self, FormToken};
use crate::pages::map::{self, MapSpec};
use crate::pages::{PageContext, page_context};
use crate::{ApiError, AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/appeal/new",
            get(show_form)
                .post(submit_form)
                .layer(axum::extract::DefaultBodyLimit::max(crate::photos::MAX_PHOTOS * 8 * 1024 * 1024 + 256 * 1024)),
        )
        .route("/receipt/{token}", get(show_receipt))
}

/// What the resident typed, kept to refill the form.
#[derive(Debug, Clone, Default)]
struct AppealForm {
    category: String,
    description: String,
    address: String,
    lat: String,
    lon: String,
    police_point: String,
    name: String,
    phone: String,
    email: String,
    consent: bool,
    quadrant: String,
}

impl AppealForm {
    fn from_fields(fields: &HashMap<String, String>) -> AppealForm {
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        AppealForm {
            category: get("category"),
            description: fields.get("description").cloned().unwrap_or_default(),
            address: get("address"),
            lat: get("lat"),
            lon: get("lon"),
            police_point: get("police_point"),
            name: get("name"),
            phone: get("phone"),
            email: get("email"),
            consent: fields.get("consent").is_some_and(|v| !v.is_empty()),
            quadrant: get("quadrant"),
        }
    }

    /// The fields in a fixed order, for the idempotency digest and the confirmation's hidden fields.
    fn pairs(&self) -> Vec<(&'static str, String)> {
        vec![
            ("category", self.category.clone()),
            ("description", self.description.clone()),
            ("address", self.address.clone()),
            ("lat", self.lat.clone()),
            ("lon", self.lon.clone()),
            ("police_point", self.police_point.clone()),
            ("name", self.name.clone()),
            ("phone", self.phone.clone()),
            ("email", self.email.clone()),
            ("consent", if self.consent { "yes".to_owned() } else { String::new() }),
            ("quadrant", self.quadrant.clone()),
        ]
    }
}

/// Errors by field name, in the page's language.
type FieldErrors = HashMap<String, String>;

/// A category option of the form.
struct CategoryOption {
    code: String,
    name: String,
    description: String,
}

/// An emergency category and the numbers to call.
struct EmergencyLine {
    name: String,
    call: String,
}

/// A police point option.
struct PointOption {
    code: String,
    name: String,
}

#[derive(Template)]
#[template(path = "portal/appeal_form.html")]
struct AppealFormPage {
    page: PageContext,
    csrf: String,
    form: AppealForm,
    errors: FieldErrors,
    emergencies: Vec<EmergencyLine>,
    categories: Vec<CategoryOption>,
    points: Vec<PointOption>,
    map_svg: String,
    picker_script: &'static str,
}
page_context!(AppealFormPage);

impl AppealFormPage {
    fn error(&self, field: &str) -> Option<&String> {
        self.errors.get(field)
    }
}

/// A similar open appeal nearby, as the confirmation shows it.
struct Duplicate {
    line: String,
}

#[derive(Template)]
#[template(path = "portal/appeal_confirm.html")]
struct ConfirmPage {
    page: PageContext,
    csrf: String,
    hidden: Vec<(&'static str, String)>,
    form_id: String,
    category: String,
    description: String,
    location: String,
    contact: String,
    duplicates: Vec<Duplicate>,
    /// Whether duplicates could be looked for (a point is known).
    checked: bool,
    errors: FieldErrors,
}
page_context!(ConfirmPage);

#[derive(Template)]
#[template(path = "portal/receipt.html")]
struct ReceiptPage {
    page: PageContext,
    receipt: String,
    due: String,
    registered: String,
    agencies: Vec<String>,
    tracking_path: String,
}
page_context!(ReceiptPage);

fn form_page(
    registry: &Registry,
    page: PageContext,
    csrf: String,
    form: AppealForm,
    errors: FieldErrors,
) -> AppealFormPage {
    let lang = page.lang;
    let (mut emergencies, mut categories) = (Vec::new(), Vec::new());
    if let Some(routing) = &registry.routing {
        for category in routing.categories() {
            if category.urgency == Urgency::Emergency {
                let call = intake::emergency_numbers(category, &registry.agencies).join(", ");
                emergencies.push(EmergencyLine { name: category.name.get(lang).to_owned(), call });
            } else {
                categories.push(CategoryOption {
                    code: category.code.to_string(),
                    name: category.name.get(lang).to_owned(),
                    description: category.description.get(lang).to_owned(),
                });
            }
        }
    }
    let points = registry
        .points
        .iter()
        .map(|p| PointOption { code: p.code.to_string(), name: p.name.get(lang).to_owned() })
        .collect();
    let quadrant = Code::parse(&form.quadrant)
        .ok()
        .and_then(|code| registry.level(Level::Quadrant).find(|v| v.territory.code() == &code));
    let map_svg = map::render(
        registry,
        &page,
        &MapSpec {
            title: page.t("portal-location-how"),
            bounds: quadrant.map(|v| map::padded(v.territory.bbox(), 0.25)),
            link_quadrants: false,
            selected: quadrant.map(|v| v.territory.code()),
            points: registry.points.iter().collect(),
            appeals: Vec::new(),
            picker: true,
        },
    );
    AppealFormPage {
        page,
        csrf,
        form,
        errors,
        emergencies,
        categories,
        points,
        map_svg,
        picker_script: map::PICKER_SCRIPT,
    }
}

async fn show_form(
    State(state): State<AppState>,
    page: PageContext,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let token = FormToken::issue(&headers);
    let form = AppealForm {
        quadrant: query.get("quadrant").cloned().unwrap_or_default(),
        category: query.get("category").cloned().unwrap_or_default(),
        ..AppealForm::default()
    };
    let view = form_page(&registry, page, token.token.clone(), form, FieldErrors::new());
    token.attach(view.page.render(&view))
}

/// Reads a urlencoded or multipart body into text fields and cleaned photos; a photo that cannot be used is a
/// field error.
async fn read_body(
    headers: &HeaderMap,
    body: Bytes,
    page: &PageContext,
) -> Result<(HashMap<String, String>, Vec<sakshy_store::Photo>, Option<String>), Response> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut fields = HashMap::new();
    let mut photos = Vec::new();
    let mut photo_error = None;
    if content_type.starts_with("multipart/form-data") {
        let bad = |page: &PageContext| {
            let heading = page.t("portal-appeal-title");
            page.clone().message(StatusCode::BAD_REQUEST, heading, page.t("portal-form-errors"))
        };
        let Ok(boundary) = multer::parse_boundary(content_type) else { return Err(bad(page)) };
        let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
        let mut multipart = multer::Multipart::new(stream, boundary);
        loop {
            let field = match multipart.next_field().await {
                Ok(Some(field)) => field,
                Ok(None) => break,
                Err(_) => return Err(bad(page)),
            };
            let name = field.name().unwrap_or("").to_owned();
            let Ok(bytes) = field.bytes().await else { return Err(bad(page)) };
            if name == "photo" {
                if bytes.is_empty() {
                    continue;
                }
                if photos.len() == crate::photos::MAX_PHOTOS {
                    photo_error = Some(page.t("portal-photo-error"));
                    continue;
                }
                match crate::photos::clean_photo(photos.len() + 1, &bytes) {
                    Ok(photo) => photos.push(photo),
                    Err(_) => photo_error = Some(page.t("portal-photo-error")),
                }
            } else {
                fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
            }
        }
    } else {
        for (key, value) in form_urlencoded::parse(&body) {
            fields.insert(key.into_owned(), value.into_owned());
        }
    }
    Ok((fields, photos, photo_error))
}

/// The gazetteer's point for an address typed alone (no map point, no police point): the first street or
/// microdistrict whose names hold every word of the address that has a letter (house numbers are left out).
async fn address_point(
    state: &AppState,
    registry: &Registry,
    form: &AppealForm,
) -> Result<Option<Point<f64>>, StorageError> {
    if form.address.is_empty() || !form.lat.is_empty() || !form.lon.is_empty() || !form.police_point.is_empty() {
        return Ok(None);
    }
    let words: Vec<&str> = form
        .address
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    if words.is_empty() {
        return Ok(None);
    }
    let places = state.store.search_places(registry.city_id, &words.join(" ")).await?;
    Ok(places.first().map(|place| place.location))
}

/// Turns the form into a submission, or the errors of its fields. An address the gazetteer knows carries its
/// point (`address_point`), so that the appeal lands in a quadrant.
fn submission(
    form: &AppealForm,
    page: &PageContext,
    address_point: Option<Point<f64>>,
) -> Result<Submission, FieldErrors> {
    let mut errors = FieldErrors::new();
    let category = Code::parse(&form.category);
    if form.category.is_empty() || category.is_err() {
        errors.insert("category".into(), page.t("portal-category-required"));
    }
    let location = if !form.lat.is_empty() || !form.lon.is_empty() {
        let lat = form.lat.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() <= 90.0);
        let lon = form.lon.replace(',', ".").parse::<f64>().ok().filter(|v| v.is_finite() && v.abs() <= 180.0);
        match (lat, lon) {
            (Some(lat), Some(lon)) => Some(LocationInput::Point(Point::new(lon, lat))),
            _ => {
                errors.insert("location".into(), page.t("portal-bad-coordinates"));
                None
            }
        }
    } else if !form.police_point.is_empty() {
        match Code::parse(&form.police_point) {
            Ok(code) => Some(LocationInput::PolicePoint(code)),
            Err(_) => {
                errors.insert("location".into(), page.t("portal-choose-location"));
                None
            }
        }
    } else if !form.address.is_empty() {
        Some(match address_point {
            Some(point) => LocationInput::LocatedAddress { text: form.address.clone(), point },
            None => LocationInput::Address(form.address.clone()),
        })
    } else {
        errors.insert("location".into(), page.t("portal-choose-location"));
        None
    };
    let phone = if form.phone.is_empty() {
        None
    } else {
        match Phone::parse(&form.phone) {
            Ok(phone) => Some(phone),
            Err(_) => {
                errors.insert("phone".into(), page.t("portal-bad-phone"));
                None
            }
        }
    };
    let email = (!form.email.is_empty()).then(|| form.email.clone());
    if let Some(email) = &email
        && (!email.contains('@') || email.contains(char::is_whitespace) || email.len() > 254)
    {
        errors.insert("email".into(), page.t("portal-bad-email"));
    }
    let name = (!form.name.is_empty()).then(|| form.name.clone());
    let (Ok(category), Some(location), true) = (category, location, errors.is_empty()) else { return Err(errors) };
    Ok(Submission {
        category,
        description: form.description.clone(),
        location,
        lang: page.lang,
        contact: Some(Contact { name, phone, email }),
        consent: form.consent,
        channel: Channel::Web,
    })
}

/// The field an intake refusal belongs next to, and its message.
fn intake_field_error(err: &intake::IntakeError, page: &PageContext, registry: &Registry) -> (String, String) {
    let field = match err.field() {
        "contact" => "phone",
        other => other,
    };
    let message = match intake_error(err, page.lang, registry) {
        ApiError::Unprocessable { message, .. } | ApiError::BadRequest { message, .. } => message,
        ApiError::Unavailable(message) => message,
        _ => page.t("error-internal"),
    };
    (field.to_owned(), message)
}

async fn submit_form(State(state): State<AppState>, page: PageContext, headers: HeaderMap, body: Bytes) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let (fields, photos, photo_error) = match read_body(&headers, body, &page).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    let token = FormToken::issue(&headers);
    let form = AppealForm::from_fields(&fields);
    if !csrf::verify(&headers, fields.get("csrf").map_or("", String::as_str)) {
        // Refused; the form comes back filled, with a fresh token, so that nothing typed is lost.
        let errors = FieldErrors::from([("form".to_owned(), page.t("portal-csrf"))]);
        let view = form_page(&registry, page, token.token.clone(), form, errors);
        return token.attach(view.page.render_with_status(StatusCode::FORBIDDEN, &view));
    }
    let step = fields.get("step").map_or("review", String::as_str);
    let show_form = |page: PageContext, form: AppealForm, errors: FieldErrors| {
        let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        let view = form_page(&registry, page, token.token.clone(), form, errors);
        token.attach(view.page.render_with_status(status, &view))
    };
    if step == "edit" {
        return show_form(page, form, FieldErrors::new());
    }
    let address_point = match address_point(&state, &registry, &form).await {
        Ok(point) => point,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let submission = match submission(&form, &page, address_point) {
        Ok(submission) => submission,
        Err(errors) => return show_form(page, form, errors),
    };
    // The same checks intake makes when filing, without storing anything, so that every refusal is shown next
    // to its field before the resident confirms.
    let Some(routing) = registry.routing.as_ref() else {
        let message = page.t("intake-no-routing");
        return show_form(page, form, FieldErrors::from([("category".to_owned(), message)]));
    };
    let local = chrono::Utc::now().with_timezone(&registry.city.timezone).naive_local();
    let context = IntakeContext {
        routing,
        locator: &registry.locator,
        points: &registry.points,
        agencies: &registry.agencies,
        calendar: &state.calendar(),
        office_hours: &state.config.office_hours,
    };
    let checked = match intake::decide(submission.clone(), local, context) {
        Ok(decision) => decision,
        Err(err) => {
            let (field, message) = intake_field_error(&err, &page, &registry);
            return show_form(page, form, FieldErrors::from([(field, message)]));
        }
    };
    if let Decision::Divert { call, .. } = &checked {
        let heading = page.t("portal-emergency-title");
        let message = page.t1("intake-divert", "numbers", call.join(", "));
        return page.message(StatusCode::OK, heading, message);
    }
    if step == "submit" && photo_error.is_none() {
        return file(&state, &registry, page, &form, submission, &fields, photos).await;
    }
    // The confirmation step: what will be sent, similar appeals nearby, and the photo field.
    let Decision::Register(new) = checked else { unreachable!("diversions answered above") };
    let lang = page.lang;
    let category = routing.category(&new.submission.category);
    let (duplicates, checked_nearby) = match (category, new.location.point) {
        (Some(category), Some(point)) => {
            match nearby_appeals(&state, &registry, category, point.x(), point.y()).await {
                Ok(nearby) => (
                    nearby
                        .iter()
                        .map(|(distance, appeal)| Duplicate {
                            line: page.tr(
                                "portal-duplicate-item",
                                &[
                                    ("receipt", appeal.receipt.clone().into()),
                                    ("date", page.day(&appeal.registered_on).into()),
                                    ("distance", format!("{distance:.0}").into()),
                                ],
                            ),
                        })
                        .collect(),
                    true,
                ),
                Err(err) => return crate::pages::internal_error(&err),
            }
        }
        _ => (Vec::new(), false),
    };
    let quadrant_name = new.location.quadrant.as_ref().map(|code| {
        registry
            .level(Level::Quadrant)
            .find(|v| v.territory.code() == code)
            .map_or_else(|| code.to_string(), |v| v.territory.name().get(lang).to_owned())
    });
    let location = match (&new.location.address, quadrant_name) {
        (Some(text), Some(quadrant)) => format!("{text} — {quadrant}"),
        (Some(text), None) => text.clone(),
        (None, Some(quadrant)) => quadrant,
        (None, None) => String::new(),
    };
    let contact = [form.name.as_str(), form.phone.as_str(), form.email.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let mut errors = FieldErrors::new();
    if let Some(message) = photo_error {
        errors.insert("photo".into(), message);
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let view = ConfirmPage {
        csrf: token.token.clone(),
        hidden: form.pairs(),
        form_id: fields
            .get("form_id")
            .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
            .cloned()
            .unwrap_or_else(|| rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect()),
        category: category.map_or_else(|| form.category.clone(), |c| c.name.get(lang).to_owned()),
        description: new.submission.description.clone(),
        location,
        contact,
        duplicates,
        checked: checked_nearby,
        errors,
        page,
    };
    token.attach(view.page.render_with_status(status, &view))
}

/// Files the appeal through the one filing path and redirects to the receipt.
async fn file(
    state: &AppState,
    registry: &Registry,
    page: PageContext,
    form: &AppealForm,
    submission: Submission,
    fields: &HashMap<String, String>,
    photos: Vec<sakshy_store::Photo>,
) -> Response {
    let mut digest_input = String::new();
    for (name, value) in form.pairs() {
        digest_input.push_str(name);
        digest_input.push('=');
        digest_input.push_str(&value);
        digest_input.push('\n');
    }
    for photo in &photos {
        digest_input.push_str(&sakshy_store::digest_hex(&photo.bytes));
    }
    let request_hash = sakshy_store::digest_hex(digest_input.as_bytes());
    let key = fields
        .get("form_id")
        .filter(|id| id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(|id| format!("portal:{id}"));
    let idempotency = key.as_deref().map(|key| Idempotency { key, request_hash: &request_hash });
    let filed =
        file_submission(state, registry, submission, idempotency, Attachments { photos: &photos, media_urls: &[] })
            .await;
    match filed {
        Ok(Filed::Registered { created, .. }) => {
            Redirect::to(&format!("/receipt/{}?lang={}", created.tracking_token, page.lang.code())).into_response()
        }
        Ok(Filed::Diverted { call }) => {
            let heading = page.t("portal-emergency-title");
            let message = page.t1("intake-divert", "numbers", call.join(", "));
            page.message(StatusCode::OK, heading, message)
        }
        Err(FileError::Intake(err)) => {
            let (field, message) = intake_field_error(&err, &page, registry);
            let heading = page.t("portal-form-errors");
            page.message(StatusCode::UNPROCESSABLE_ENTITY, heading, format!("{field}: {message}"))
        }
        Err(FileError::Storage(StorageError::Conflict { .. })) => {
            let heading = page.t("portal-appeal-title");
            let message = page.t("intake-idempotency-conflict");
            page.message(StatusCode::CONFLICT, heading, message)
        }
        Err(FileError::Storage(err)) => crate::pages::internal_error(&err),
    }
}

async fn show_receipt(State(state): State<AppState>, page: PageContext, Path(token): Path<String>) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let appeal = match crate::appeals::tracked(&state, page.lang, &token).await {
        Ok((_, appeal)) => appeal,
        Err(ApiError::NotFound { .. }) => {
            let heading = page.t("portal-not-found");
            let message = page.t("portal-track-not-found");
            return page.message(StatusCode::NOT_FOUND, heading, message);
        }
        Err(err) => return err.into_response(),
    };
    let lang = page.lang;
    let agencies = appeal
        .workflow
        .tasks
        .iter()
        .map(|task| {
            registry
                .agencies
                .iter()
                .find(|a| a.code == task.agency)
                .map_or_else(|| task.agency.to_string(), |a| a.name.get(lang).to_owned())
        })
        .collect();
    let view = ReceiptPage {
        receipt: appeal.receipt.clone(),
        due: page.day(&appeal.workflow.due()),
        registered: page.day(&appeal.workflow.clocks.registered_on),
        agencies,
        tracking_path: format!("/track/{token}"),
        page,
    };
    let mut response = view.page.render(&view);
    // The receipt page holds the tracking secret in its address: keep it out of caches and referrers.
    response.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::REFERRER_POLICY, axum::http::HeaderValue::from_static("no-referrer"));
    response
}
