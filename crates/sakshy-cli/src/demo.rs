//! The demo city: Shymkent's districts and quadrants (illustrative boundaries), police points, officers,
//! agencies, appeal categories and routing, compiled into the binary from `data/demo/shymkent/` and loaded through the same import
//! code a real city uses.

use std::net::SocketAddr;

use anyhow::Context;
use sakshy_store::{ImportError, PointsFormat, Store};

/// The demo files, in load order.
const TERRITORIES: &str = include_str!("../../../data/demo/shymkent/territories.geojson");
const POINTS: &str = include_str!("../../../data/demo/shymkent/points.geojson");
const OFFICERS: &str = include_str!("../../../data/demo/shymkent/officers.csv");
const AGENCIES: &str = include_str!("../../../data/demo/shymkent/agencies.csv");
const CATEGORIES: &str = include_str!("../../../data/demo/shymkent/categories.csv");
const ROUTING: &str = include_str!("../../../data/demo/shymkent/routing.csv");
const GAZETTEER: &str = include_str!("../../../data/demo/shymkent/gazetteer.csv");

/// How many synthetic appeals the demo starts with, registered over the last 120 days.
const SYNTHETIC_APPEALS: usize = 300;

/// The seed of the demo's synthetic incidents: the same city every time.
const SYNTHETIC_INCIDENTS_SEED: u64 = 20_261_201;

/// The seed of the demo's synthetic survey answers.
const SYNTHETIC_SURVEYS_SEED: u64 = 20_261_202;

/// Loads the demo city unless the database already holds a city. Returns the demo accounts' API tokens when it
/// loaded (login, role and scope, token), `None` when the city was there already.
///
/// # Errors
///
/// When a demo file is refused (a bug: the tests import them) or the database fails.
pub async fn load_if_empty(store: &Store) -> anyhow::Result<Option<Vec<(String, String, String)>>> {
    if store.city().await?.is_some() {
        tracing::info!("the database already holds a city; the demo data are not loaded again");
        return Ok(None);
    }
    load_files(store).await?;
    let registry = sakshy_web::Registry::load(store).await?.context("the demo city was just loaded")?;
    let seeded =
        crate::seed::seed_appeals(store, &registry, SYNTHETIC_APPEALS, 120, chrono::Utc::now(), 20_261_125).await?;
    let today = chrono::Utc::now().with_timezone(&registry.city.timezone).date_naive();
    let incidents = sakshy_web::demo_incidents::seed_incidents(store, &registry, today, SYNTHETIC_INCIDENTS_SEED)
        .await
        .context("making the demo's synthetic incidents")?;
    let surveys = sakshy_web::demo_surveys::seed_surveys(store, &registry, today, SYNTHETIC_SURVEYS_SEED)
        .await
        .context("making the demo's synthetic survey waves")?;
    tracing::info!(
        seeded,
        incidents,
        survey_responses = surveys.responses,
        "demo city loaded: Shymkent (illustrative boundaries, synthetic registry, appeals, incidents and survey answers)"
    );
    let city = registry.city_id;
    let mut tokens = Vec::new();
    for (login, name, role, scope) in DEMO_USERS {
        let user = sakshy_store::StaffUser {
            login: (*login).to_owned(),
            display_name: (*name).to_owned(),
            role: role.parse().map_err(|err| anyhow::anyhow!("{err}"))?,
            scope: sakshy_core::access::Scope::parse(scope).map_err(|err| anyhow::anyhow!("{err}"))?,
            disabled: false,
        };
        store.add_staff_user(city, &user, chrono::Utc::now().timestamp_millis()).await?;
        store.set_staff_password(city, login, &crate::account::hash(&demo_password(login)).await?).await?;
        let token = store.create_api_token(city, login, "demo", chrono::Utc::now().timestamp_millis()).await?;
        tokens.push(((*login).to_owned(), format!("{role} ({scope})"), token));
    }
    let open311 = store.create_open311_key(city, "demo client", chrono::Utc::now().timestamp_millis()).await?;
    tokens.push(("open311".to_owned(), "Open311 client key (POST requests)".to_owned(), open311));
    Ok(Some(tokens))
}

/// The demo's staff accounts: one for each role, scoped as such a person would be.
const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    ("admin", "Demo administrator", "administrator", "city"),
    ("supervisor", "Demo city supervisor", "supervisor", "city"),
    ("supervisor.alf", "Demo Al-Farabi supervisor", "supervisor", "district:SHY-ALF"),
    ("uip.alf01", "Demo inspector of the pilot quadrant", "district_inspector", "quadrants:SHY-ALF-Q01"),
    ("duty.pp02", "Demo duty officer, station post", "duty_officer", "quadrants:SHY-ALF-Q01"),
    ("social", "Demo social protection officer", "agency_officer", "agency:SOCIAL"),
    ("akimat.alf", "Demo Al-Farabi akimat officer", "agency_officer", "agency:AKIM_ALF"),
    ("analyst", "Demo analyst", "analyst", "city"),
    ("viewer", "Demo read-only user", "read_only", "city"),
];

/// Gives the demo accounts of an existing demo database their demo passwords where they have none (databases
/// made before accounts had passwords), so that the printed way to sign in works; returns how many it set.
///
/// # Errors
///
/// When the database fails.
pub async fn ensure_demo_passwords(store: &Store) -> anyhow::Result<usize> {
    let Some((city, _, _)) = store.city().await? else { return Ok(0) };
    let mut set = 0;
    for (login, _, _, _) in DEMO_USERS {
        let needs = store.staff_credentials(city, login).await?.is_some_and(|c| c.password_hash.is_none());
        if needs {
            store.set_staff_password(city, login, &crate::account::hash(&demo_password(login)).await?).await?;
            set += 1;
        }
    }
    Ok(set)
}

/// The demo password of a demo account: known and printed at start-up, for the demo only.
pub fn demo_password(login: &str) -> String {
    format!("demo-{login}")
}

/// Imports the demo files into an empty database, through the same import code a real city uses.
///
/// # Errors
///
/// When a demo file is refused (a bug: the tests import them) or the database fails.
pub async fn load_files(store: &Store) -> anyhow::Result<()> {
    let at = chrono::Utc::now().timestamp_millis();
    let shown = |err: ImportError| anyhow::anyhow!("{err}");
    store
        .import_territories(TERRITORIES, "demo:territories.geojson", at)
        .await
        .map_err(shown)
        .context("loading demo territories")?;
    store.import_agencies(AGENCIES, "demo:agencies.csv", at).await.map_err(shown).context("loading demo agencies")?;
    store
        .import_points(POINTS, PointsFormat::GeoJson, "demo:points.geojson", at)
        .await
        .map_err(shown)
        .context("loading demo police points")?;
    store.import_officers(OFFICERS, "demo:officers.csv", at).await.map_err(shown).context("loading demo officers")?;
    store
        .import_categories(CATEGORIES, "demo:categories.csv", at)
        .await
        .map_err(shown)
        .context("loading demo categories")?;
    store.import_routing(ROUTING, "demo:routing.csv", at).await.map_err(shown).context("loading demo routing")?;
    store
        .import_gazetteer(GAZETTEER, "demo:gazetteer.csv", at)
        .await
        .map_err(shown)
        .context("loading the demo gazetteer")?;
    Ok(())
}

/// What to try once the demo runs.
pub fn tour(addr: SocketAddr, db: &str, tokens: Option<&[(String, String, String)]>) -> String {
    let staff = staff_lines(addr, tokens);
    let appeal = r#"{"category": "NOISE", "description": "Loud music at night", "location": {"lat": 42.29871, "lon": 69.6103}, "contact": {"name": "Aigul", "phone": "+7 701 000 00 00"}, "consent": true}"#;
    format!(
        "Sakshy demo — Shymkent (boundaries illustrative; registry and 300 appeals synthetic), database {db}\n\
         \n  open   http://{addr}/\
         \n  survey http://{addr}/survey/open                                  # the public questionnaire (kk/ru/en)\
         \n  staff  http://{addr}/staff/surveys, /staff/evaluation/koksay-pilot # sign in as analyst\n\
         \n  curl 'http://{addr}/api/v1/locate?lat=42.29871&lon=69.61030'     # the railway station: pilot quadrant\
         \n  curl 'http://{addr}/api/v1/districts'\
         \n  curl 'http://{addr}/api/v1/quadrants?district=SHY-ALF'           # GeoJSON\
         \n  curl 'http://{addr}/api/v1/officers?quadrant=SHY-ALF-Q01'\
         \n  curl 'http://{addr}/api/v1/categories'\
         \n  curl -X POST 'http://{addr}/api/v1/appeals' -H 'Content-Type: application/json' -d '{appeal}'\
         \n  curl 'http://{addr}/api/v1/openapi.json'\
         \n{staff}\nPress Ctrl-C to stop.\n"
    )
}

fn staff_lines(addr: SocketAddr, tokens: Option<&[(String, String, String)]>) -> String {
    match tokens {
        Some(tokens) => {
            let mut lines = format!(
                "\nStaff console: sign in at http://{addr}/login (DEMO ONLY: these passwords are public; never use \
                 them in a real city):\n"
            );
            for (login, role, _) in tokens.iter().filter(|(login, _, _)| login != "open311") {
                lines.push_str(&format!("  {login:<15} {role:<45} password {}\n", demo_password(login)));
            }
            lines.push_str("\nStaff API tokens (shown once; stored hashed):\n");
            for (login, role, token) in tokens {
                lines.push_str(&format!("  {login:<15} {role:<45} {token}\n"));
            }
            if let Some((_, _, token)) = tokens.iter().find(|(login, _, _)| login == "uip.alf01") {
                lines.push_str(&format!(
                    "\n  curl -H 'Authorization: Bearer {token}' 'http://{addr}/api/v1/staff/appeals?overdue=true'\n"
                ));
            }
            lines
        }
        None => format!(
            "\nStaff console: sign in at http://{addr}/login with a demo account (DEMO ONLY: password demo-LOGIN, e.g. \
             demo-uip.alf01).\nStaff API tokens were printed when this demo database was created; make more with\n  \
             sakshy --db DB apikey create --user uip.alf01\n"
        ),
    }
}
