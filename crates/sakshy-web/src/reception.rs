//! The police point's reception log (`/staff/reception`): today's walk-in visitors at the points the signed-in
//! officer's scope reaches, and the form with which a duty officer files a visitor's appeal on their behalf.
//!
//! Filing goes through the one filing path ([`crate::appeals::file_submission`]) with the channel
//! [`Channel::Staff`] (wire name `staff`: an officer, on behalf of a walk-in visitor), and the police point
//! recorded as where the appeal was received. The appeal and everything it brings are written in one
//! transaction, so a refused form stores nothing. The receipt and the tracking link are shown once, on a page the
//! officer prints for the visitor. Who may keep the log is decided by
//! [`sakshy_core::access::Principal::may_receive_visitors`]; every form carries the session's CSRF token.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;
use chrono::TimeZone;
use sakshy_core::access::{Principal, Scope};
use sakshy_core::intake::{Channel, Contact, LocationInput, Submission};
use sakshy_core::registry::{Phone, PolicePoint};
use sakshy_core::{Code, Level};
use sakshy_store::{AppealFilter, Attachments, Idempotency, StorageError};

use crate::appeals::{FileError, Filed, file_submission, intake_error};
use crate::auth::StaffSession;
use crate::login::form_fields;
use crate::pages::{PageContext, page_context};
use crate::{ApiError, AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/staff/reception", get(show_log).post(record_visit))
}

/// The most visits the log shows for one day.
const MAX_ROWS: u32 = 200;

/// A choice in a list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// What the officer typed, kept to refill the form.
#[derive(Debug, Clone, Default)]
struct VisitForm {
    category: String,
    description: String,
    /// `point` (the police point's place) or `address`.
    place: String,
    point: String,
    address: String,
    name: String,
    phone: String,
    email: String,
    consent: bool,
    form_id: String,
}

impl VisitForm {
    fn from_fields(fields: &HashMap<String, String>) -> VisitForm {
        let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
        let form_id = get("form_id");
        VisitForm {
            category: get("category"),
            description: get("description"),
            place: if get("place") == "address" { "address".into() } else { "point".into() },
            point: get("point"),
            address: get("address"),
            name: get("name"),
            phone: get("phone"),
            email: get("email"),
            consent: fields.get("consent").is_some_and(|v| v == "yes"),
            form_id: if form_id.len() == 32 && form_id.bytes().all(|b| b.is_ascii_hexdigit()) {
                form_id
            } else {
                new_form_id()
            },
        }
    }

    /// Whether any contact detail was given.
    fn has_contact(&self) -> bool {
        !self.name.is_empty() || !self.phone.is_empty() || !self.email.is_empty()
    }
}

/// A fresh key for a form, so that a double submission files once.
fn new_form_id() -> String {
    rand::random::<[u8; 16]>().iter().map(|b| format!("{b:02x}")).collect()
}

/// A visit of today, as the log shows it.
struct VisitRow {
    receipt: String,
    at_ms: i64,
    category: String,
    state: String,
    quadrant: String,
}

/// The reception log with its form.
#[derive(Template)]
#[template(path = "staff/reception.html")]
struct ReceptionPage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    csrf: String,
    points: Vec<Choice>,
    categories: Vec<Choice>,
    form: VisitForm,
    /// Messages by field name (`form` for the whole form).
    errors: HashMap<String, String>,
    rows: Vec<VisitRow>,
}
page_context!(ReceptionPage);

impl ReceptionPage {
    /// The error next to a field, if any.
    fn error(&self, field: &str) -> Option<String> {
        self.errors.get(field).cloned()
    }
}

/// The printable receipt for the visitor.
#[derive(Template)]
#[template(path = "staff/reception_filed.html")]
struct FiledPage {
    page: PageContext,
    nav: crate::auth::StaffNav,
    receipt: String,
    tracking_path: String,
    registered: String,
    due: String,
    point: String,
}
page_context!(FiledPage);

/// The police points a principal's scope reaches: every point for the city, the points serving a quadrant of
/// the district or of the quadrants otherwise; none for an agency.
pub(crate) fn points_in_scope<'a>(registry: &'a Registry, principal: &Principal) -> Vec<&'a PolicePoint> {
    let reached = |quadrant: &Code| match &principal.scope {
        Scope::City => true,
        Scope::District(district) => registry
            .level(Level::Quadrant)
            .any(|v| v.territory.code() == quadrant && v.territory.parent() == Some(district)),
        Scope::Quadrants(quadrants) => quadrants.contains(quadrant),
        Scope::Agency(_) => false,
    };
    registry
        .points
        .iter()
        .filter(|point| matches!(principal.scope, Scope::City) || point.quadrants.iter().any(reached))
        .collect()
}

/// Refuses a principal who may not keep the log, with a 403 page in their language.
fn refused(page: &PageContext, principal: &Principal) -> Option<Response> {
    principal.may_receive_visitors().err().map(|err| {
        let message = crate::staff::access_error(&err, page.lang).to_json()["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        page.clone().message(StatusCode::FORBIDDEN, page.t("auth-forbidden"), message)
    })
}

/// Builds the log page: today's walk-ins at the given points and the form.
async fn log_page(
    state: &AppState,
    registry: &Registry,
    page: PageContext,
    session: &StaffSession,
    form: VisitForm,
    errors: HashMap<String, String>,
) -> Result<ReceptionPage, StorageError> {
    let lang = page.lang;
    let points = points_in_scope(registry, &session.principal);
    let now = chrono::Utc::now().with_timezone(&registry.city.timezone);
    let midnight = now.date_naive().and_hms_opt(0, 0, 0).unwrap_or_default();
    let day_start_ms = registry
        .city
        .timezone
        .from_local_datetime(&midnight)
        .earliest()
        .map_or_else(|| now.timestamp_millis() - 86_400_000, |t| t.timestamp_millis());
    let rows = if points.is_empty() {
        Vec::new()
    } else {
        let filter = AppealFilter {
            channel: Some(Channel::Staff.as_str().to_owned()),
            police_points: points.iter().map(|p| p.code.clone()).collect(),
            created_from_ms: Some(day_start_ms),
            ..AppealFilter::default()
        };
        state.store.list_appeals(registry.city_id, &filter, None, MAX_ROWS).await?
    };
    let category_name = |code: &str| {
        registry
            .routing
            .as_ref()
            .and_then(|r| Code::parse(code).ok().and_then(|c| r.category(&c).map(|c| c.name.get(lang).to_owned())))
            .unwrap_or_else(|| code.to_owned())
    };
    let rows = rows
        .iter()
        .map(|row| VisitRow {
            receipt: row.receipt.clone(),
            at_ms: row.created_at_ms,
            category: category_name(&row.category),
            state: page.t(&format!("portal-state-{}", row.state)),
            quadrant: row.quadrant.clone().unwrap_or_default(),
        })
        .collect();
    let chosen_point = if form.point.is_empty() {
        points.first().map(|p| p.code.to_string()).unwrap_or_default()
    } else {
        form.point.clone()
    };
    Ok(ReceptionPage {
        nav: crate::auth::StaffNav::of(session),
        csrf: session.csrf.clone(),
        points: points
            .iter()
            .map(|p| Choice {
                value: p.code.to_string(),
                label: p.name.get(lang).to_owned(),
                selected: p.code.as_str() == chosen_point,
            })
            .collect(),
        categories: registry
            .routing
            .as_ref()
            .map(|routing| {
                routing
                    .categories()
                    .iter()
                    .map(|c| Choice {
                        value: c.code.to_string(),
                        label: c.name.get(lang).to_owned(),
                        selected: c.code.as_str() == form.category,
                    })
                    .collect()
            })
            .unwrap_or_default(),
        form,
        errors,
        rows,
        page,
    })
}

async fn show_log(State(state): State<AppState>, page: PageContext, session: StaffSession) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    if let Some(response) = refused(&page, &session.principal) {
        return response;
    }
    let form = VisitForm { place: "point".into(), form_id: new_form_id(), ..VisitForm::default() };
    match log_page(&state, &registry, page, &session, form, HashMap::new()).await {
        Ok(view) => view.page.render(&view),
        Err(err) => crate::pages::internal_error(&err),
    }
}

/// Turns the form into a submission, or the errors of its fields.
async fn submission(
    state: &AppState,
    registry: &Registry,
    page: &PageContext,
    principal: &Principal,
    form: &VisitForm,
) -> Result<Result<Submission, HashMap<String, String>>, StorageError> {
    let mut errors = HashMap::new();
    let category = Code::parse(&form.category).ok().filter(|_| !form.category.is_empty());
    if category.is_none() {
        errors.insert("category".to_owned(), page.t("portal-category-required"));
    }
    let point = points_in_scope(registry, principal).into_iter().find(|p| p.code.as_str() == form.point);
    if point.is_none() {
        errors.insert("point".to_owned(), page.t("reception-point-required"));
    }
    let location = match (&point, form.place.as_str()) {
        (None, _) => None,
        (Some(point), "address") => {
            if form.address.is_empty() {
                errors.insert("address".to_owned(), page.t("reception-address-required"));
                None
            } else {
                let located = located_address(state, registry, &form.address).await?;
                Some(LocationInput::AddressAtPolicePoint {
                    text: form.address.clone(),
                    point: located,
                    police_point: point.code.clone(),
                })
            }
        }
        (Some(point), _) => Some(LocationInput::PolicePoint(point.code.clone())),
    };
    let phone = if form.phone.is_empty() {
        None
    } else if let Ok(phone) = Phone::parse(&form.phone) {
        Some(phone)
    } else {
        errors.insert("phone".to_owned(), page.t("portal-bad-phone"));
        None
    };
    let email = (!form.email.is_empty()).then(|| form.email.clone());
    if email.as_ref().is_some_and(|e| !e.contains('@') || e.contains(char::is_whitespace) || e.len() > 254) {
        errors.insert("email".to_owned(), page.t("portal-bad-email"));
    }
    if form.has_contact() && !form.consent {
        errors.insert("consent".to_owned(), page.t("reception-consent-required"));
    }
    let (Some(category), Some(location), true) = (category, location, errors.is_empty()) else {
        return Ok(Err(errors));
    };
    let name = (!form.name.is_empty()).then(|| form.name.clone());
    let contact = form.has_contact().then_some(Contact { name, phone, email });
    Ok(Ok(Submission {
        category,
        description: form.description.clone(),
        location,
        lang: page.lang,
        contact,
        consent: form.consent,
        channel: Channel::Staff,
    }))
}

/// The gazetteer's point for an address: the first street or microdistrict whose names hold every word of the
/// address that has a letter (house numbers are left out).
async fn located_address(
    state: &AppState,
    registry: &Registry,
    address: &str,
) -> Result<Option<geo_types::Point<f64>>, StorageError> {
    let words: Vec<&str> =
        address.split(|c: char| c.is_whitespace() || c == ',').filter(|w| w.chars().any(char::is_alphabetic)).collect();
    if words.is_empty() {
        return Ok(None);
    }
    let places = state.store.search_places(registry.city_id, &words.join(" ")).await?;
    Ok(places.first().map(|place| place.location))
}

/// The field of this form an intake refusal belongs next to.
fn form_field(intake_field: &str, form: &VisitForm) -> String {
    match intake_field {
        "contact" => "phone".to_owned(),
        "location" if form.place == "address" => "address".to_owned(),
        "location" => "point".to_owned(),
        "category" | "description" | "consent" => intake_field.to_owned(),
        _ => "form".to_owned(),
    }
}

async fn record_visit(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Bytes,
) -> Response {
    let Some(registry) = state.registry() else { return page.no_city() };
    let fields = form_fields(&body);
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return crate::auth::csrf_refused(&page);
    }
    if let Some(response) = refused(&page, &session.principal) {
        return response;
    }
    let form = VisitForm::from_fields(&fields);
    let show_form = |page: PageContext, form: VisitForm, errors: HashMap<String, String>| {
        let state = state.clone();
        let registry = registry.clone();
        let session = session.clone();
        async move {
            match log_page(&state, &registry, page, &session, form, errors).await {
                Ok(view) => view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view),
                Err(err) => crate::pages::internal_error(&err),
            }
        }
    };
    let submission = match submission(&state, &registry, &page, &session.principal, &form).await {
        Ok(Ok(submission)) => submission,
        Ok(Err(errors)) => return show_form(page, form, errors).await,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let point_code = form.point.clone();
    let mut digest_input = String::new();
    for (name, value) in [
        ("category", &form.category),
        ("description", &form.description),
        ("place", &form.place),
        ("point", &form.point),
        ("address", &form.address),
        ("name", &form.name),
        ("phone", &form.phone),
        ("email", &form.email),
    ] {
        digest_input.push_str(name);
        digest_input.push('=');
        digest_input.push_str(value);
        digest_input.push('\n');
    }
    let request_hash = sakshy_store::digest_hex(digest_input.as_bytes());
    let key = format!("reception:{}", form.form_id);
    let idempotency = Some(Idempotency { key: &key, request_hash: &request_hash });
    let filed =
        file_submission(&state, &registry, submission, idempotency, Attachments { photos: &[], media_urls: &[] }).await;
    let created = match filed {
        Ok(Filed::Registered { created, .. }) => created,
        Ok(Filed::Diverted { call }) => {
            let heading = page.t("portal-emergency-title");
            let message = page.t1("intake-divert", "numbers", call.join(", "));
            return page.message(StatusCode::OK, heading, message);
        }
        Err(FileError::Intake(err)) => {
            let message = match intake_error(&err, page.lang, &registry) {
                ApiError::Unprocessable { message, .. } | ApiError::BadRequest { message, .. } => message,
                ApiError::Unavailable(message) => message,
                _ => page.t("error-internal"),
            };
            let field = form_field(err.field(), &form);
            return show_form(page, form, HashMap::from([(field, message)])).await;
        }
        Err(FileError::Storage(StorageError::Conflict { .. })) => {
            let message = page.t("intake-idempotency-conflict");
            let form = VisitForm { form_id: new_form_id(), ..form };
            return show_form(page, form, HashMap::from([("form".to_owned(), message)])).await;
        }
        Err(FileError::Storage(err)) => return crate::pages::internal_error(&err),
    };
    // Who filed which appeal for a visitor; the audit record holds no personal data.
    let event = sakshy_store::AuditEvent {
        at_ms: state.clock.now_ms(),
        actor: session.principal.login.clone(),
        action: "file_walk_in".into(),
        object: format!("appeal:{}", created.receipt),
        from_address: Some(peer.ip().to_string()),
    };
    if let Err(err) = state.store.record_audit(registry.city_id, &event).await {
        return crate::pages::internal_error(&err);
    }
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let point = registry
        .points
        .iter()
        .find(|p| p.code.as_str() == point_code)
        .map_or(point_code.clone(), |p| p.name.get(page.lang).to_owned());
    let view = FiledPage {
        nav: crate::auth::StaffNav::of(&session),
        receipt: created.receipt.clone(),
        tracking_path: format!("/track/{}", created.tracking_token),
        registered: page.day(&today),
        due: page.day(&created.due_on),
        point,
        page,
    };
    let mut response = view.page.render(&view);
    // The page holds the visitor's tracking secret: keep it out of caches and referrers.
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    response
}
