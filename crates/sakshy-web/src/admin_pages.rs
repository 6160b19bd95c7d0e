//! Administration pages (`/staff/admin…`): the registry as it stands, loading registry files with a preview of
//! what changes, staff accounts, and the working calendar (public holidays and transferred days off).
//!
//! Every page and form is for administrators only ([`sakshy_core::access::Principal::may_administer`]) and every
//! form carries the session's CSRF token. A file is loaded in two steps: the preview runs the import's own checks
//! and lists what would be added, changed or removed, writing nothing; the administrator then applies the same
//! text, which is checked again and imported in one transaction. Account changes and calendar loads are written to
//! the audit log with who made them and from where; a generated password is shown once and never logged.

use std::collections::HashMap;
use std::net::SocketAddr;

use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use sakshy_core::Lang;
use sakshy_core::access::{Role, Scope};
use sakshy_core::calendar::{CalendarError, CalendarYear, DayKind};
use sakshy_store::{CalendarLoadError, ImportError, ImportPreview, RegistryFile, StaffUser};

use crate::auth::{StaffNav, StaffSession};
use crate::pages::{PageContext, page_context};
use crate::problems::render_problem;
use crate::{AppState, Registry};

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/admin", get(show_registry))
        .route("/staff/admin/import", post(import_file))
        .route("/staff/admin/users", get(show_users).post(add_user))
        .route("/staff/admin/users/{login}", post(change_user))
        .route("/staff/admin/holidays", get(show_holidays).post(load_holidays))
        // Territory files of a whole city run to megabytes.
        .layer(DefaultBodyLimit::max(MAX_FILE_BYTES))
}

/// The largest file an administrator may load, bytes.
pub(crate) const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;

/// A choice in a list.
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// One row of a registry table: its code and the cells after it.
struct Row {
    code: String,
    cells: Vec<String>,
}

/// A registry table.
struct Table {
    id: &'static str,
    heading: String,
    columns: Vec<String>,
    rows: Vec<Row>,
}

/// `/staff/admin`: the registry and the form to load a file.
#[derive(Template)]
#[template(path = "staff/admin.html")]
struct RegistryPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    kinds: Vec<Choice>,
    tables: Vec<Table>,
    changes: Vec<Row>,
}
page_context!(RegistryPage);

/// The preview of a file, or its problems.
#[derive(Template)]
#[template(path = "staff/admin_preview.html")]
struct PreviewPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    kind: String,
    kind_label: String,
    source: String,
    text: String,
    preview: Option<ImportPreview>,
    warnings: Vec<(String, String)>,
    problems: Vec<(String, String)>,
    /// "The file has N problems", in the page's plural forms.
    problems_heading: String,
}
page_context!(PreviewPage);

/// The account list and the form to add one.
#[derive(Template)]
#[template(path = "staff/users.html")]
struct UsersPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    users: Vec<UserRow>,
    roles: Vec<Choice>,
    error: Option<String>,
    login: String,
    name: String,
    scope: String,
}
page_context!(UsersPage);

/// An account as the list shows it.
struct UserRow {
    login: String,
    name: String,
    role: String,
    scope: String,
    disabled: bool,
    is_self: bool,
}

/// A password shown once.
#[derive(Template)]
#[template(path = "staff/password.html")]
struct PasswordPage {
    page: PageContext,
    nav: StaffNav,
    login: String,
    password: String,
}
page_context!(PasswordPage);

/// The working calendar.
#[derive(Template)]
#[template(path = "staff/holidays.html")]
struct HolidaysPage {
    page: PageContext,
    nav: StaffNav,
    csrf: String,
    years: Vec<Choice>,
    year: i32,
    days: Vec<DayRow>,
    /// The file being previewed, if any.
    preview: Option<HolidayPreview>,
    error: Option<String>,
}
page_context!(HolidaysPage);

/// A listed day.
struct DayRow {
    date: String,
    kind: String,
    name: String,
    /// `added`, `changed`, `removed` or empty in a preview.
    change: &'static str,
}

/// A calendar year checked and waiting to be applied.
struct HolidayPreview {
    year: i32,
    text: String,
    days: Vec<DayRow>,
}

/// Refuses anyone but an administrator with a 403 page in their language.
fn refused(page: &PageContext, session: &StaffSession) -> Option<Response> {
    session
        .principal
        .may_administer()
        .err()
        .map(|err| crate::console::error_page(page.clone(), &crate::staff::access_error(&err, page.lang)))
}

fn kind_label(page: &PageContext, kind: RegistryFile) -> String {
    page.t(&format!("admin-kind-{}", kind.as_str()))
}

fn registry_tables(page: &PageContext, registry: &Registry) -> Vec<Table> {
    let lang = page.lang;
    let agency_name = |code: &sakshy_core::Code| {
        registry.agencies.iter().find(|a| &a.code == code).map_or_else(|| code.to_string(), |a| a.name.get(lang).into())
    };
    let join = |codes: &[sakshy_core::Code]| codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ");
    let categories = registry.routing.as_ref().map(|r| r.categories().to_vec()).unwrap_or_default();
    vec![
        Table {
            id: "categories",
            heading: page.t("admin-categories"),
            columns: vec![page.t("admin-col-name"), page.t("admin-col-agency"), page.t("admin-col-deadline")],
            rows: categories
                .iter()
                .map(|c| Row {
                    code: c.code.to_string(),
                    cells: vec![
                        c.name.get(lang).to_owned(),
                        agency_name(&c.primary),
                        c.deadline_working_days.map(|d| page.tn("admin-working-days", "count", d)).unwrap_or_default(),
                    ],
                })
                .collect(),
        },
        Table {
            id: "agencies",
            heading: page.t("admin-agencies"),
            columns: vec![page.t("admin-col-name")],
            rows: registry
                .agencies
                .iter()
                .map(|a| Row { code: a.code.to_string(), cells: vec![a.name.get(lang).to_owned()] })
                .collect(),
        },
        Table {
            id: "points",
            heading: page.t("admin-points"),
            columns: vec![page.t("admin-col-name"), page.t("admin-col-quadrants")],
            rows: registry
                .points
                .iter()
                .map(|p| Row { code: p.code.to_string(), cells: vec![p.name.get(lang).to_owned(), join(&p.quadrants)] })
                .collect(),
        },
        Table {
            id: "officers",
            heading: page.t("admin-officers"),
            columns: vec![page.t("admin-col-name"), page.t("admin-col-quadrants")],
            rows: registry
                .officers
                .iter()
                .map(|o| Row { code: o.badge.to_string(), cells: vec![o.name.clone(), join(&o.quadrants)] })
                .collect(),
        },
    ]
}

async fn show_registry(State(state): State<AppState>, page: PageContext, session: StaffSession) -> Response {
    if let Some(response) = refused(&page, &session) {
        return response;
    }
    let Some(registry) = state.registry() else { return page.no_city() };
    let changes = match state.store.registry_changes(registry.city_id, 20).await {
        Ok(changes) => changes,
        Err(err) => return crate::pages::internal_error(&err),
    };
    let view = RegistryPage {
        nav: StaffNav::of(&session),
        csrf: session.csrf.clone(),
        kinds: RegistryFile::ALL
            .iter()
            .map(|&kind| Choice { value: kind.as_str().to_owned(), label: kind_label(&page, kind), selected: false })
            .collect(),
        tables: registry_tables(&page, &registry),
        changes: changes
            .iter()
            .map(|c| Row {
                code: format!("{} {}", c.entity, c.entity_code),
                cells: vec![c.change_kind.clone(), c.actor.clone(), page.datetime(&c.changed_at_ms)],
            })
            .collect(),
        page,
    };
    view.page.render(&view)
}

/// Reads a form posted as urlencoded or multipart into text fields (a file field becomes its text).
async fn text_fields(headers: &HeaderMap, body: Bytes) -> Option<HashMap<String, String>> {
    form_parts(headers, body).await.map(|(fields, _)| fields)
}

/// Reads a form posted as urlencoded or multipart: its text fields (a file field becomes its text, lossily, and
/// `{name}_name` its file name), and the bytes of each file field, for files that are not text (a workbook).
pub(crate) async fn form_parts(
    headers: &HeaderMap,
    body: Bytes,
) -> Option<(HashMap<String, String>, HashMap<String, Vec<u8>>)> {
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !content_type.starts_with("multipart/form-data") {
        return Some((crate::login::form_fields(&body), HashMap::new()));
    }
    let boundary = multer::parse_boundary(content_type).ok()?;
    let stream = futures_util::stream::once(async move { Ok::<Bytes, std::convert::Infallible>(body) });
    let mut multipart = multer::Multipart::new(stream, boundary);
    let mut fields = HashMap::new();
    let mut files = HashMap::new();
    while let Some(field) = multipart.next_field().await.ok()? {
        let name = field.name().unwrap_or("").to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.ok()?;
        if let Some(file_name) = file_name.filter(|_| !bytes.is_empty()) {
            fields.insert(format!("{name}_name"), file_name);
            files.insert(name.clone(), bytes.to_vec());
        }
        fields.insert(name, String::from_utf8_lossy(&bytes).into_owned());
    }
    Some((fields, files))
}

/// The fields of an administrator's form, once its CSRF token and the administrator's role are checked; the page
/// that refuses it otherwise.
async fn admin_form(
    page: &PageContext,
    session: &StaffSession,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<HashMap<String, String>, Response> {
    let Some(fields) = text_fields(headers, body).await else { return Err(bad_form(page)) };
    if !session.csrf_ok(fields.get("csrf").map(String::as_str)) {
        return Err(crate::auth::csrf_refused(page));
    }
    if let Some(response) = refused(page, session) {
        return Err(response);
    }
    Ok(fields)
}

/// The text a form brings: the uploaded file, or the text carried over from the preview.
fn file_text(fields: &HashMap<String, String>) -> String {
    let file = fields.get("file").map(String::as_str).unwrap_or("");
    let text = if file.is_empty() { fields.get("text").map(String::as_str).unwrap_or("") } else { file };
    text.trim_start_matches('\u{feff}').to_owned()
}

fn bad_form(page: &PageContext) -> Response {
    page.clone().message(StatusCode::BAD_REQUEST, page.t("admin-title"), page.t("admin-bad-form"))
}

async fn import_file(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match admin_form(&page, &session, &headers, body).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(kind) = fields.get("kind").and_then(|k| RegistryFile::parse(k)) else { return bad_form(&page) };
    let text = file_text(&fields);
    if text.trim().is_empty() {
        return page.clone().message(StatusCode::UNPROCESSABLE_ENTITY, page.t("admin-title"), page.t("admin-no-file"));
    }
    let source = fields
        .get("file_name")
        .or_else(|| fields.get("source"))
        .map(|s| s.chars().filter(|c| !c.is_control()).take(120).collect::<String>())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| kind.as_str().to_owned());
    let apply = fields.get("step").is_some_and(|s| s == "apply");
    let lang = page.lang;
    let mut view = PreviewPage {
        nav: StaffNav::of(&session),
        csrf: session.csrf.clone(),
        kind: kind.as_str().to_owned(),
        kind_label: kind_label(&page, kind),
        source: source.clone(),
        text: String::new(),
        preview: None,
        warnings: Vec::new(),
        problems: Vec::new(),
        problems_heading: String::new(),
        page,
    };
    let outcome = if apply {
        let at_ms = chrono::Utc::now().timestamp_millis();
        let actor = format!("{} ({})", source, session.principal.login);
        match state.store.apply_import(kind, &text, &actor, at_ms).await {
            Ok(summary) => {
                if let Err(err) = state.refresh().await {
                    return crate::pages::internal_error(&err);
                }
                record(&state, &session, "import_registry", &format!("{}:{source}", kind.as_str()), peer).await;
                let message = view.page.tr(
                    "admin-imported",
                    &[
                        ("added", (summary.added as i64).into()),
                        ("changed", (summary.changed as i64).into()),
                        ("unchanged", (summary.unchanged as i64).into()),
                    ],
                );
                let heading = view.kind_label.clone();
                return view.page.message(StatusCode::OK, heading, message);
            }
            Err(err) => Err(err),
        }
    } else {
        state.store.preview_import(kind, &text).await
    };
    match outcome {
        Ok(preview) => {
            view.warnings = preview.warnings.iter().map(|w| shown(lang, w)).collect();
            view.preview = Some(preview);
            view.text = text;
            view.page.render(&view)
        }
        Err(ImportError::Invalid(failure)) => {
            view.problems = failure.errors.iter().map(|p| shown(lang, p)).collect();
            view.problems_heading = view.page.tn("admin-problems-count", "count", view.problems.len() as i64);
            view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
        Err(ImportError::Storage(sakshy_store::StorageError::NoCity)) => view.page.no_city(),
        Err(ImportError::Storage(err)) => crate::pages::internal_error(&err),
    }
}

fn shown(lang: Lang, problem: &sakshy_core::import::Problem) -> (String, String) {
    let text = render_problem(lang, problem);
    (text.location, text.message)
}

/// Writes an administrator's action to the audit log; a failure is logged, the action stands.
pub(crate) async fn record(state: &AppState, session: &StaffSession, action: &str, object: &str, peer: SocketAddr) {
    let Some(registry) = state.registry() else { return };
    let event = sakshy_store::AuditEvent {
        at_ms: chrono::Utc::now().timestamp_millis(),
        actor: session.principal.login.clone(),
        action: action.to_owned(),
        object: object.to_owned(),
        from_address: Some(peer.ip().to_string()),
    };
    if let Err(err) = state.store.record_audit(registry.city_id, &event).await {
        tracing::error!(error = %err, action, "could not write an administrator's action to the audit log");
    }
}

fn role_label(page: &PageContext, role: Role) -> String {
    page.t(&format!("role-{}", role.as_str()))
}

async fn users_page(
    state: &AppState,
    page: PageContext,
    session: &StaffSession,
    form: (String, String, String, Option<Role>),
    error: Option<String>,
) -> Result<UsersPage, sakshy_store::StorageError> {
    let registry = state.registry().ok_or(sakshy_store::StorageError::NoCity)?;
    let users = state.store.staff_users(registry.city_id).await?;
    let (login, name, scope, role) = form;
    Ok(UsersPage {
        nav: StaffNav::of(session),
        csrf: session.csrf.clone(),
        users: users
            .iter()
            .map(|u| UserRow {
                login: u.login.clone(),
                name: u.display_name.clone(),
                role: role_label(&page, u.role),
                scope: u.scope.to_wire(),
                disabled: u.disabled,
                is_self: u.login == session.principal.login,
            })
            .collect(),
        roles: Role::ALL
            .iter()
            .map(|&r| Choice { value: r.as_str().to_owned(), label: role_label(&page, r), selected: Some(r) == role })
            .collect(),
        error,
        login,
        name,
        scope: if scope.is_empty() { "city".to_owned() } else { scope },
        page,
    })
}

async fn show_users(State(state): State<AppState>, page: PageContext, session: StaffSession) -> Response {
    if let Some(response) = refused(&page, &session) {
        return response;
    }
    if state.registry().is_none() {
        return page.no_city();
    }
    match users_page(&state, page, &session, Default::default(), None).await {
        Ok(view) => view.page.render(&view),
        Err(err) => crate::pages::internal_error(&err),
    }
}

/// Hashes a fresh password off the async threads.
async fn fresh_password() -> Option<(String, String)> {
    let password = crate::auth::generate_password();
    let for_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&for_hash)).await.ok()?.ok()?;
    Some((password, hash))
}

/// A login: 3 to 64 lower-case letters, digits, `.`, `_` or `-`.
fn valid_login(login: &str) -> bool {
    (3..=64).contains(&login.len())
        && login.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

async fn add_user(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match admin_form(&page, &session, &headers, body).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let get = |name: &str| fields.get(name).map(|v| v.trim().to_owned()).unwrap_or_default();
    let (login, name, scope_text) = (get("login").to_lowercase(), get("name"), get("scope"));
    let role: Option<Role> = get("role").parse().ok();
    let scope = Scope::parse(&scope_text);
    let error = if !valid_login(&login) {
        Some(page.t("admin-bad-login"))
    } else if name.is_empty() {
        Some(page.t("admin-name-required"))
    } else if role.is_none() {
        Some(page.t("admin-role-required"))
    } else if scope.is_err() {
        Some(page.t1("admin-bad-scope", "what", scope_text.clone()))
    } else {
        None
    };
    let refill = |error: String, page: PageContext| {
        let state = state.clone();
        let session = session.clone();
        let form = (login.clone(), name.clone(), scope_text.clone(), role);
        async move {
            match users_page(&state, page, &session, form, Some(error)).await {
                Ok(view) => view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view),
                Err(err) => crate::pages::internal_error(&err),
            }
        }
    };
    if let Some(error) = error {
        return refill(error, page).await;
    }
    let (Some(role), Ok(scope)) = (role, scope) else { return bad_form(&page) };
    let Some((password, hash)) = fresh_password().await else { return bad_form(&page) };
    let user = StaffUser { login: login.clone(), display_name: name.clone(), role, scope, disabled: false };
    let at_ms = chrono::Utc::now().timestamp_millis();
    match state.store.add_staff_user(registry.city_id, &user, at_ms).await {
        Ok(()) => {}
        Err(sakshy_store::StorageError::Conflict { .. }) => {
            let error = page.t1("admin-login-taken", "what", login.clone());
            return refill(error, page).await;
        }
        Err(err) => return crate::pages::internal_error(&err),
    }
    if let Err(err) = state.store.set_staff_password(registry.city_id, &login, &hash).await {
        return crate::pages::internal_error(&err);
    }
    record(&state, &session, "add_user", &format!("user:{login}"), peer).await;
    let view = PasswordPage { nav: StaffNav::of(&session), login, password, page };
    no_store(view.page.render(&view))
}

/// A page holding a password is never cached.
fn no_store(mut response: Response) -> Response {
    response.headers_mut().insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    response
}

async fn change_user(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Path(login): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match admin_form(&page, &session, &headers, body).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let city = registry.city_id;
    // The role form names the account in a field; the row buttons name it in the path.
    let login = if login == "_" { fields.get("login").cloned().unwrap_or_default() } else { login };
    let action = fields.get("action").map(String::as_str).unwrap_or("");
    if login == session.principal.login && action != "reset" {
        let message = page.t("admin-not-yourself");
        return page.clone().message(StatusCode::UNPROCESSABLE_ENTITY, page.t("admin-users"), message);
    }
    let done = match action {
        "disable" | "enable" => {
            let disabled = action == "disable";
            let result = state.store.set_staff_user_disabled(city, &login, disabled).await;
            if result.is_ok() && disabled {
                // A disabled account's open sessions end now, not when they time out.
                if let Err(err) = state.store.delete_staff_sessions(city, &login).await {
                    return crate::pages::internal_error(&err);
                }
            }
            result
        }
        "role" => {
            let role: Option<Role> = fields.get("role").and_then(|r| r.parse().ok());
            let scope_text = fields.get("scope").map(|s| s.trim().to_owned()).unwrap_or_default();
            let (Some(role), Ok(scope)) = (role, Scope::parse(&scope_text)) else {
                let message = page.t1("admin-bad-scope", "what", scope_text);
                return page.clone().message(StatusCode::UNPROCESSABLE_ENTITY, page.t("admin-users"), message);
            };
            let result = state.store.set_staff_role(city, &login, role, &scope).await;
            if result.is_ok() {
                // Sessions carry the role they were opened with: end them so the new role applies at once.
                if let Err(err) = state.store.delete_staff_sessions(city, &login).await {
                    return crate::pages::internal_error(&err);
                }
            }
            result
        }
        "reset" => {
            let Some((password, hash)) = fresh_password().await else { return bad_form(&page) };
            match state.store.set_staff_password(city, &login, &hash).await {
                Ok(()) => {
                    if login != session.principal.login
                        && let Err(err) = state.store.delete_staff_sessions(city, &login).await
                    {
                        return crate::pages::internal_error(&err);
                    }
                    record(&state, &session, "reset_password", &format!("user:{login}"), peer).await;
                    let view = PasswordPage { nav: StaffNav::of(&session), login, password, page };
                    return no_store(view.page.render(&view));
                }
                Err(err) => Err(err),
            }
        }
        _ => return bad_form(&page),
    };
    match done {
        Ok(()) => {
            record(&state, &session, &format!("{action}_user"), &format!("user:{login}"), peer).await;
            see_other(&page, "/staff/admin/users")
        }
        Err(sakshy_store::StorageError::NotFound { .. }) => {
            let message = page.t1("admin-no-user", "what", login);
            page.clone().message(StatusCode::NOT_FOUND, page.t("admin-users"), message)
        }
        Err(err) => crate::pages::internal_error(&err),
    }
}

/// A 303 to a page (a path, with or without a query) in the same language.
pub(crate) fn see_other(page: &PageContext, path: &str) -> Response {
    let joint = if path.contains('?') { '&' } else { '?' };
    let location = format!("{path}{joint}lang={}", page.lang.code());
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, location)
        .body(axum::body::Body::empty())
        .unwrap_or_default()
}

fn day_rows(page: &PageContext, year: &CalendarYear) -> Vec<DayRow> {
    year.days()
        .iter()
        .map(|day| DayRow {
            date: page.day(&day.date()),
            kind: page.t(match day.kind() {
                DayKind::Holiday => "admin-day-holiday",
                DayKind::DayOff => "admin-day-off",
                DayKind::WorkingDay => "admin-day-working",
            }),
            name: day.name().get(page.lang).to_owned(),
            change: "",
        })
        .collect()
}

/// The rows of a loaded year against the current one, each marked `added`, `changed` or `removed`.
fn compared_rows(page: &PageContext, current: Option<&CalendarYear>, loaded: &CalendarYear) -> Vec<DayRow> {
    let old = current.map(|y| y.days()).unwrap_or_default();
    let mut rows: Vec<(chrono::NaiveDate, DayRow)> = Vec::new();
    for (day, mut row) in loaded.days().iter().zip(day_rows(page, loaded)) {
        row.change = match old.iter().find(|o| o.date() == day.date()) {
            None => "added",
            Some(o) if o != day => "changed",
            Some(_) => "",
        };
        rows.push((day.date(), row));
    }
    if let Some(current) = current {
        for (day, mut row) in current.days().iter().zip(day_rows(page, current)) {
            if !loaded.days().iter().any(|d| d.date() == day.date()) {
                row.change = "removed";
                rows.push((day.date(), row));
            }
        }
    }
    rows.sort_by_key(|(date, _)| *date);
    rows.into_iter().map(|(_, row)| row).collect()
}

fn holidays_page(
    state: &AppState,
    page: PageContext,
    session: &StaffSession,
    year: Option<i32>,
    preview: Option<HolidayPreview>,
    error: Option<String>,
) -> HolidaysPage {
    let calendar = state.calendar();
    let today_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    let year = year
        .or(preview.as_ref().map(|p| p.year))
        .filter(|y| (calendar.first_year()..=calendar.last_year()).contains(y))
        .unwrap_or_else(|| today_year.clamp(calendar.first_year(), calendar.last_year()));
    let days = calendar.years().iter().find(|y| y.year() == year).map(|y| day_rows(&page, y)).unwrap_or_default();
    HolidaysPage {
        nav: StaffNav::of(session),
        csrf: session.csrf.clone(),
        years: calendar
            .years()
            .iter()
            .map(|y| Choice { value: y.year().to_string(), label: y.year().to_string(), selected: y.year() == year })
            .collect(),
        year,
        days,
        preview,
        error,
        page,
    }
}

async fn show_holidays(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    if let Some(response) = refused(&page, &session) {
        return response;
    }
    let year = query.get("year").and_then(|y| y.parse().ok());
    let view = holidays_page(&state, page, &session, year, None, None);
    view.page.render(&view)
}

/// A calendar problem in the page's language, with its line and column.
fn calendar_problem(page: &PageContext, err: &CalendarError) -> String {
    use fluent_templates::fluent_bundle::FluentValue;
    let n = |v: u64| FluentValue::from(v as i64);
    let s = |v: String| FluentValue::from(v);
    match err {
        CalendarError::Csv { line, .. } => page.tr("calendar-err-csv", &[("line", n(*line))]),
        CalendarError::MissingColumn { line, column } => {
            page.tr("calendar-err-column", &[("line", n(*line)), ("column", s((*column).to_owned()))])
        }
        CalendarError::BadDate { line, value } => {
            page.tr("calendar-err-date", &[("line", n(*line)), ("value", s(value.clone()))])
        }
        CalendarError::WrongYear { line, date, year } => page.tr(
            "calendar-err-year",
            &[("line", n(*line)), ("date", s(date.to_string())), ("year", s(year.to_string()))],
        ),
        CalendarError::UnknownKind { line, value } => {
            page.tr("calendar-err-kind", &[("line", n(*line)), ("value", s(value.clone()))])
        }
        CalendarError::WorkingDayOnWeekday { line, date, .. } => {
            page.tr("calendar-err-working-weekday", &[("line", n(*line)), ("date", s(date.to_string()))])
        }
        CalendarError::DayOffOnWeekend { line, date, .. } => {
            page.tr("calendar-err-off-weekend", &[("line", n(*line)), ("date", s(date.to_string()))])
        }
        CalendarError::DuplicateDate { line, date, first_line } => page.tr(
            "calendar-err-duplicate",
            &[("line", n(*line)), ("date", s(date.to_string())), ("first", n(*first_line))],
        ),
        CalendarError::MissingName { line, column } => {
            page.tr("calendar-err-name", &[("line", n(*line)), ("column", s((*column).to_owned()))])
        }
        CalendarError::MissingYear { year, .. } => page.tr("calendar-err-gap", &[("year", s(year.to_string()))]),
        other => page.tr("calendar-err-other", &[("detail", s(other.to_string()))]),
    }
}

async fn load_holidays(
    State(state): State<AppState>,
    page: PageContext,
    session: StaffSession,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let fields = match admin_form(&page, &session, &headers, body).await {
        Ok(fields) => fields,
        Err(response) => return response,
    };
    let Some(registry) = state.registry() else { return page.no_city() };
    let Some(year) = fields.get("year").and_then(|y| y.trim().parse::<i32>().ok()).filter(|y| (2000..2100).contains(y))
    else {
        let error = page.t("admin-bad-year");
        let view = holidays_page(&state, page, &session, None, None, Some(error));
        return view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view);
    };
    let text = file_text(&fields);
    let apply = fields.get("step").is_some_and(|s| s == "apply");
    let city = registry.city_id;
    let outcome = if apply {
        let at_ms = chrono::Utc::now().timestamp_millis();
        state.store.replace_calendar_year(city, year, &text, &session.principal.login, at_ms).await
    } else {
        state.store.check_calendar_year(city, year, &text).await
    };
    match outcome {
        Ok(_) if apply => {
            if let Err(err) = state.refresh().await {
                return crate::pages::internal_error(&err);
            }
            record(&state, &session, "load_calendar", &format!("calendar:{year}"), peer).await;
            see_other(&page, &format!("/staff/admin/holidays?year={year}"))
        }
        Ok(loaded) => {
            let calendar = state.calendar();
            let current = calendar.years().iter().find(|y| y.year() == year);
            let preview = HolidayPreview { year, days: compared_rows(&page, current, &loaded), text };
            let view = holidays_page(&state, page, &session, Some(year), Some(preview), None);
            view.page.render(&view)
        }
        Err(CalendarLoadError::Invalid(err)) => {
            let error = calendar_problem(&page, &err);
            let view = holidays_page(&state, page, &session, Some(year), None, Some(error));
            view.page.render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
        Err(CalendarLoadError::Storage(err)) => crate::pages::internal_error(&err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sakshy_store::PointsFormat;

    #[test]
    fn logins_are_plain_and_short() {
        assert!(valid_login("inspector.nurlan"));
        assert!(!valid_login("ab"));
        assert!(!valid_login("Inspector"));
        assert!(!valid_login("a b c"));
        assert!(!valid_login(&"a".repeat(65)));
    }

    #[test]
    fn points_files_are_offered_in_both_formats() {
        assert_eq!(RegistryFile::parse("points-csv"), Some(RegistryFile::Points(PointsFormat::Csv)));
        assert_eq!(RegistryFile::parse("points-geojson"), Some(RegistryFile::Points(PointsFormat::GeoJson)));
        assert_eq!(RegistryFile::parse("people"), None);
    }
}
