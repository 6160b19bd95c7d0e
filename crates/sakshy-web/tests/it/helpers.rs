//! Starting the app for a test, and typed requests against it.

use std::path::PathBuf;
use std::time::Duration;

use sakshy_store::{PointsFormat, Store};
use sakshy_web::{AppState, HttpConfig};
use serde_json::Value;

/// A running app.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub store: Store,
    pub state: AppState,
    /// The PostgreSQL database's name, for an app on PostgreSQL.
    pub database: Option<String>,
    _dir: tempfile::TempDir,
}

/// A demo file's text.
pub fn demo_file(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/demo/shymkent").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("reading {}: {err}", path.display()))
}

/// Loads the demo city into a store, as `sakshy demo` does.
pub async fn load_demo(store: &Store) {
    store.import_territories(&demo_file("territories.geojson"), "test", 1_000).await.expect("territories");
    store.import_agencies(&demo_file("agencies.csv"), "test", 1_000).await.expect("agencies");
    store.import_points(&demo_file("points.geojson"), PointsFormat::GeoJson, "test", 1_000).await.expect("points");
    store.import_officers(&demo_file("officers.csv"), "test", 1_000).await.expect("officers");
    store.import_categories(&demo_file("categories.csv"), "test", 1_000).await.expect("categories");
    store.import_routing(&demo_file("routing.csv"), "test", 1_000).await.expect("routing");
    store.import_gazetteer(&demo_file("gazetteer.csv"), "test", 1_000).await.expect("gazetteer");
}

/// Starts the app over an empty, migrated database.
pub async fn spawn_empty_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&format!("sqlite:{}", dir.path().join("app.db").display())).await.expect("open");
    store.migrate().await.expect("migrate");
    spawn(store, dir).await
}

/// Starts the app with the demo city loaded.
pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::connect(&format!("sqlite:{}", dir.path().join("app.db").display())).await.expect("open");
    store.migrate().await.expect("migrate");
    load_demo(&store).await;
    spawn(store, dir).await
}

/// Starts the app with the demo city loaded on a fresh PostgreSQL database (`sakshy_web_<uuid>`) of the server at
/// `TEST_DATABASE_URL`; `None`, after saying so, without one. End the test with [`drop_postgres`]; a failed test
/// leaves its database behind for a look.
pub async fn spawn_app_on_postgres() -> Option<TestApp> {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        eprintln!("TEST_DATABASE_URL is not set: the PostgreSQL run of this test is skipped");
        return None;
    };
    let name = format!("sakshy_web_{}", uuid::Uuid::new_v4().simple());
    let admin = Store::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
    admin.execute_raw_for_tests(&format!("CREATE DATABASE {name}")).await.expect("create a test database");
    admin.close().await;
    let (base, _) = admin_url.rsplit_once('/').expect("a URL with a database name");
    let store = Store::connect(&format!("{base}/{name}")).await.expect("connect to the test database");
    store.migrate().await.expect("migrate");
    load_demo(&store).await;
    let mut app = spawn(store, tempfile::tempdir().expect("temp dir")).await;
    app.database = Some(name);
    Some(app)
}

/// Closes the app's connections and drops its PostgreSQL database.
pub async fn drop_postgres(app: TestApp) {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else { return };
    app.store.close().await;
    let database = app.database.clone().expect("an app started by spawn_app_on_postgres");
    let admin = Store::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
    admin
        .execute_raw_for_tests(&format!("DROP DATABASE {database} WITH (FORCE)"))
        .await
        .expect("drop the test database");
    admin.close().await;
}

async fn spawn(store: Store, dir: tempfile::TempDir) -> TestApp {
    let state =
        AppState::new(store.clone(), HttpConfig { refresh_every: Duration::from_secs(3600), ..HttpConfig::standard() })
            .await
            .expect("state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(sakshy_web::serve(listener, state.clone()));
    // reqwest is built with rustls and no crypto provider of its own (the product chooses ring where it builds its
    // webhook client); the tests' plain client takes ring as the process default.
    let _ = rustls::crypto::ring::default_provider().install_default();
    TestApp { address, client: reqwest::Client::new(), store, state, database: None, _dir: dir }
}

impl TestApp {
    /// GET a path; returns the status and the body as JSON (or as a JSON string for non-JSON bodies).
    pub async fn get(&self, path: &str) -> (u16, Value) {
        self.get_with(path, &[]).await
    }

    /// GET a path and read the body as text (metrics, CSV).
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self.client.get(format!("{}{path}", self.address)).send().await.expect("request");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    /// GET a path with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self.client.get(format!("{}{path}", self.address));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body)
    }

    /// `POST /api/v1/appeals` with a JSON body and optional extra headers.
    pub async fn post_appeal(&self, body: &Value, headers: &[(&str, &str)]) -> (u16, Value) {
        let mut request = self.client.post(format!("{}/api/v1/appeals", self.address)).body(body.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.header("Content-Type", "application/json").send().await.expect("request");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// Adds a staff account with a role and scope and returns an API token for it.
    pub async fn staff_token(&self, login: &str, role: &str, scope: &str) -> String {
        let city = self.add_staff_user(login, role, scope).await;
        self.store.create_api_token(city, login, "test", 1).await.unwrap()
    }

    /// Adds a staff account with a role, scope and password, to sign in on the pages with.
    pub async fn staff_account(&self, login: &str, role: &str, scope: &str, password: &str) {
        let city = self.add_staff_user(login, role, scope).await;
        let hash = sakshy_web::auth::hash_password(password).unwrap();
        self.store.set_staff_password(city, login, &hash).await.unwrap();
    }

    async fn add_staff_user(&self, login: &str, role: &str, scope: &str) -> sakshy_store::CityId {
        let city = self.store.city().await.unwrap().unwrap().0;
        let user = sakshy_store::StaffUser {
            login: login.to_owned(),
            display_name: login.to_owned(),
            role: role.parse().unwrap(),
            scope: sakshy_core::access::Scope::parse(scope).unwrap(),
            disabled: false,
        };
        self.store.add_staff_user(city, &user, 1).await.unwrap();
        city
    }

    /// A request with a bearer token; returns the status and JSON body.
    pub async fn staff(&self, method: reqwest::Method, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.address)).bearer_auth(token);
        if let Some(body) = body {
            request = request.header("Content-Type", "application/json").body(body.to_string());
        }
        let response = request.send().await.expect("request");
        let status = response.status().as_u16();
        let text = response.text().await.expect("body");
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }

    /// `GET /api/v1/locate`.
    pub async fn locate(&self, lat: f64, lon: f64) -> (u16, Value) {
        self.get(&format!("/api/v1/locate?lat={lat}&lon={lon}")).await
    }
}
