//! The `sakshy` command line: configuration, logging, and the commands (`serve`, `demo`, `migrate`,
//! `import`, `export`, `locate`).
//!
//! This is the only crate that reads the environment, installs the tracing subscriber, and uses `anyhow`.
//! It holds no domain rules and no SQL: commands call the store and the core.

mod account;
mod analyze;
mod demo;
mod seed;
mod seed_incidents;
mod survey;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use sakshy_core::{LocateOutcome, Locator, OpeningHours};
use sakshy_store::{ImportError, PointsFormat, Store};
use sakshy_web::{AppState, HttpConfig, Registry};

/// Sakshy runs a city police department's service model: quadrants, district inspectors, police points,
/// residents' appeals and the analytics around them.
#[derive(Debug, Parser)]
#[command(name = "sakshy", version, about, long_about = None)]
pub struct Cli {
    /// Database: `sqlite:PATH` (embedded, created if missing) or `postgres://USER@HOST/DB`.
    #[arg(long, env = "SAKSHY_DB", global = true, default_value = "sqlite:sakshy.db")]
    db: String,

    /// Log format on standard error.
    #[arg(long, env = "SAKSHY_LOG_FORMAT", global = true, value_enum, default_value_t = LogFormat::Pretty)]
    log_format: LogFormat,

    /// What to do.
    #[command(subcommand)]
    command: Command,
}

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the web API on an address. The database must be migrated (`sakshy migrate`).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "SAKSHY_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Seconds between checks for registry changes made by other processes (imports).
        #[arg(long, env = "SAKSHY_REFRESH_SECS", default_value_t = 5)]
        refresh_secs: u64,
        /// Office hours of the receiving bodies in the city's zone (OpenStreetMap `opening_hours` subset): appeals
        /// received after them register on the next working day.
        #[arg(long, env = "SAKSHY_OFFICE_HOURS", default_value = "Mo-Fr 09:00-18:00", value_parser = parse_hours)]
        office_hours: OpeningHours,
        /// Notification delivery.
        #[command(flatten)]
        mail: MailArgs,
        /// Mark session cookies `Secure`: set this when Sakshy is served behind TLS (a reverse proxy with https).
        #[arg(long, env = "SAKSHY_SECURE_COOKIES")]
        secure_cookies: bool,
    },
    /// Start the demo: create or reuse a database, load the Shymkent demo city if it is empty, and serve.
    Demo {
        /// Address to listen on.
        #[arg(long, env = "SAKSHY_ADDR", default_value = "127.0.0.1:8080")]
        addr: SocketAddr,
        /// Notification delivery.
        #[command(flatten)]
        mail: MailArgs,
    },
    /// Manage webhook subscriptions: systems that receive every appeal event, signed with HMAC-SHA-256.
    Webhook {
        /// What to do.
        #[command(subcommand)]
        what: WebhookWhat,
    },
    /// Apply pending database migrations.
    Migrate,
    /// Import registry files (formats in docs/formats.md). One file is one transaction: on any error
    /// nothing is written and every problem is listed.
    Import {
        /// What the file holds.
        #[command(subcommand)]
        what: ImportWhat,
    },
    /// Export registry data to standard output.
    Export {
        /// What to export.
        #[command(subcommand)]
        what: ExportWhat,
    },
    /// Manage staff accounts.
    User {
        /// What to do.
        #[command(subcommand)]
        what: UserWhat,
    },
    /// Manage API tokens for the staff API.
    Apikey {
        /// What to do.
        #[command(subcommand)]
        what: ApikeyWhat,
    },
    /// Personal-data retention.
    Retention {
        /// What to do.
        #[command(subcommand)]
        what: RetentionWhat,
    },
    /// Find the quadrant, district, officers and nearest police points of a place.
    Locate {
        /// Latitude, WGS84 degrees (e.g. 42.29871).
        #[arg(allow_hyphen_values = true)]
        lat: f64,
        /// Longitude, WGS84 degrees (e.g. 69.61030).
        #[arg(allow_hyphen_values = true)]
        lon: f64,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Analyse events — a CSV of x,y or lat,lon (and t), or the stored incidents or appeals — with counts per
    /// cell, kernel density, Gi* hot spots, Moran's I, the Knox near-repeat table, forecast scores or temporal
    /// patterns; JSON (schema in docs/analytics.md), CSV or SVG.
    Analyze {
        /// The analysis.
        #[command(subcommand)]
        what: analyze::Analysis,
    },
}

#[derive(Debug, Subcommand)]
enum ImportWhat {
    #[command(flatten)]
    Registry(RegistryImport),
    /// A survey questionnaire from an XLSForm workbook (.xlsx) or Sakshy's JSON (docs/surveys.md). A version,
    /// once saved, never changes: the same code and version with other content is refused.
    Questionnaire {
        /// The file.
        file: PathBuf,
    },
    /// Survey answers exported from KoboToolbox/ODK (CSV) into a wave. A file with a bad row writes nothing
    /// unless --skip-invalid; rows already imported (by their submission id) are not written again.
    SurveyResponses {
        /// The wave's code.
        #[arg(long)]
        wave: String,
        /// The CSV file.
        file: PathBuf,
        /// Import the good rows and report the bad ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Write every problem to this CSV file: line, column, item, problem.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
    },
    /// Population margins for weighting surveys: CSV with `district`, `age_band`, `sex`, `population`; replaces the
    /// stored ones.
    PopulationMargins {
        /// The CSV file.
        file: PathBuf,
    },
}

/// Registry files and incidents, each imported in one transaction.
#[derive(Debug, Subcommand)]
enum RegistryImport {
    /// City, districts and quadrants from GeoJSON. Changed boundaries get a new version.
    Territories {
        /// The GeoJSON file.
        file: PathBuf,
        /// When the new boundaries take effect (RFC 3339 or YYYY-MM-DD, city time zone for a date); default now.
        #[arg(long)]
        valid_from: Option<String>,
    },
    /// Police points from GeoJSON (`.geojson`/`.json`) or CSV (`.csv`).
    Points {
        /// The file.
        file: PathBuf,
    },
    /// Officers from CSV.
    Officers {
        /// The CSV file.
        file: PathBuf,
    },
    /// Agencies from CSV.
    Agencies {
        /// The CSV file.
        file: PathBuf,
    },
    /// Appeal categories from CSV; each change is logged.
    Categories {
        /// The CSV file.
        file: PathBuf,
    },
    /// Per-district routing overrides from CSV; replaces the stored ones, each change logged.
    Routing {
        /// The CSV file.
        file: PathBuf,
    },
    /// Streets and microdistricts for the portal's address search, from CSV.
    Gazetteer {
        /// The CSV file.
        file: PathBuf,
    },
    /// Incidents (offences) from CSV through a column mapping (format in docs/formats.md). A file with a bad row
    /// writes nothing unless --skip-invalid; rows whose source id is already stored for the source are counted as
    /// already imported and not written again.
    Incidents {
        /// The CSV file.
        file: PathBuf,
        /// Columns of the fields as FIELD=COLUMN entries separated by commas, e.g.
        /// `source_id=ID,datetime=Date,article=Article,lat=Lat,lon=Lon`; repeatable, and wins over --map-file. A
        /// field not mapped is read from the column of its own name.
        #[arg(long = "map", value_name = "FIELD=COLUMN,...")]
        map: Vec<String>,
        /// A mapping file: FIELD=COLUMN entries, one a line (`#` starts a comment).
        #[arg(long, value_name = "FILE")]
        map_file: Option<PathBuf>,
        /// The source system the ids belong to, e.g. `erdr` (default: the file's name).
        #[arg(long)]
        source: Option<String>,
        /// Coordinates: EPSG:4326 (columns lat, lon), local (x, y in metres east and north of the centre of the
        /// city's bounding box) or EPSG:32642 (UTM zone 42N easting x and northing y).
        #[arg(long, default_value = "EPSG:4326")]
        crs: sakshy_core::incident::Crs,
        /// Import the good rows and report the bad ones, instead of importing nothing.
        #[arg(long)]
        skip_invalid: bool,
        /// Write every problem to this CSV file: row, field, column, reason, message.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Mark the incidents as synthetic (generated data, labelled so wherever shown).
        #[arg(long)]
        synthetic: bool,
    },
}

/// Where notifications go. Without an SMTP relay, e-mail waits in the outbox (webhooks are delivered anyway).
#[derive(Debug, Clone, clap::Args)]
struct MailArgs {
    /// PEM file of extra certificate authorities to trust for https webhooks (e.g. the police network's own CA),
    /// beside the system's trust store.
    #[arg(long, env = "SAKSHY_WEBHOOK_CA_FILE")]
    webhook_ca_file: Option<PathBuf>,
    /// SMTP relay host (plain SMTP, e.g. a relay inside the police network).
    #[arg(long, env = "SAKSHY_SMTP_HOST")]
    smtp_host: Option<String>,
    /// SMTP relay port.
    #[arg(long, env = "SAKSHY_SMTP_PORT", default_value_t = 25)]
    smtp_port: u16,
    /// Sender address of notifications.
    #[arg(long, env = "SAKSHY_MAIL_FROM", default_value = "sakshy@localhost")]
    mail_from: String,
}

impl MailArgs {
    fn delivery(&self) -> anyhow::Result<sakshy_web::DeliveryConfig> {
        let extra_roots = match &self.webhook_ca_file {
            Some(path) => Some(std::fs::read(path).with_context(|| format!("reading {}", path.display()))?),
            None => None,
        };
        let webhooks =
            sakshy_web::webhook_client(extra_roots.as_deref()).with_context(|| match &self.webhook_ca_file {
                Some(path) => format!("setting up webhook delivery with {}", path.display()),
                None => "setting up webhook delivery".to_owned(),
            })?;
        Ok(sakshy_web::DeliveryConfig {
            webhooks,
            smtp: self.smtp_host.clone().map(|host| sakshy_web::SmtpConfig {
                host,
                port: self.smtp_port,
                from: self.mail_from.clone(),
            }),
            lease: Duration::from_secs(60),
            idle: Duration::from_secs(2),
        })
    }
}

#[derive(Debug, Subcommand)]
enum RetentionWhat {
    /// Erase residents' personal data (contact, photos, their own words, e-mail addresses of sent notices) from
    /// appeals closed, answered or rejected more than the retention period ago, and the addresses of incidents that
    /// old; category, offence, place, dates, states and ratings stay for the statistics. Safe to run again (e.g.
    /// nightly): what is erased stays erased.
    Run {
        /// The retention period in days after an appeal was finished.
        #[arg(long, env = "SAKSHY_RETENTION_DAYS", default_value_t = 1095)]
        days: u32,
    },
}

#[derive(Debug, Subcommand)]
enum WebhookWhat {
    /// Subscribe a URL to every appeal event.
    Add {
        /// The URL to POST events to.
        url: String,
        /// The secret the `X-Sakshy-Signature` HMAC is made with.
        #[arg(long, env = "SAKSHY_WEBHOOK_SECRET")]
        secret: String,
    },
}

#[derive(Debug, Subcommand)]
enum UserWhat {
    /// Add a staff account.
    Add {
        /// Login.
        login: String,
        /// Name shown to colleagues.
        #[arg(long)]
        name: String,
        /// Role: `administrator`, `supervisor`, `district_inspector`, `duty_officer`, `agency_officer`, `analyst` or
        /// `read_only`.
        #[arg(long)]
        role: String,
        /// Scope: city, district:CODE, quadrants:CODE;CODE, or agency:CODE.
        #[arg(long)]
        scope: String,
        /// Read the password from the first line of standard input; without this flag a password is generated
        /// and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's role and scope; its sessions end, so the new rights apply at the next login.
    Role {
        /// Login.
        login: String,
        /// Role (as for `user add`).
        #[arg(long)]
        role: String,
        /// Scope (as for `user add`).
        #[arg(long)]
        scope: String,
    },
    /// Set a new password: its sessions end and a lockout is lifted.
    ResetPassword {
        /// Login.
        login: String,
        /// Read the password from the first line of standard input; without this flag a password is generated
        /// and printed once.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Disable an account: its tokens and sessions stop working at once.
    Disable {
        /// Login.
        login: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// Login.
        login: String,
    },
}

#[derive(Debug, Subcommand)]
enum ApikeyWhat {
    /// Create an API token and print it (it is stored hashed and cannot be shown again): for a staff account
    /// (`--user`), or an Open311 key for a client application (`--open311`).
    Create {
        /// The staff account's login.
        #[arg(long, required_unless_present = "open311", conflicts_with = "open311")]
        user: Option<String>,
        /// Create an Open311 API key (for `POST /open311/v2/requests`) instead of a staff token.
        #[arg(long)]
        open311: bool,
        /// What the token is for (shown in listings).
        #[arg(long, default_value = "api")]
        label: String,
    },
}

#[derive(Debug, Subcommand)]
enum ExportWhat {
    /// Current territories (or those in force at `--at`) as GeoJSON in the import format.
    Territories {
        /// A past moment (RFC 3339) whose boundaries to export.
        #[arg(long)]
        at: Option<String>,
    },
}

/// Parses the command line and runs it.
///
/// # Errors
///
/// Whatever stopped the command, with context.
pub fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    init_tracing(cli.log_format, matches!(cli.command, Command::Serve { .. } | Command::Demo { .. }));
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    runtime.block_on(run(cli))
}

fn init_tracing(format: LogFormat, serving: bool) {
    use tracing_subscriber::EnvFilter;
    let default = if serving { "info,sakshy_web=debug,sakshy_store=debug,sakshy_cli=debug" } else { "warn" };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Pretty => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Migrate => {
            let store = open(&cli.db).await?;
            store.migrate().await.context("applying migrations")?;
            println!("migrations applied to {}", redact(&cli.db));
            Ok(())
        }
        Command::Serve { addr, refresh_secs, office_hours, mail, secure_cookies } => {
            let store = open(&cli.db).await?;
            if !store.migrations_current().await.context("checking migrations")? {
                bail!("the database {} has pending migrations: run `sakshy migrate` first", redact(&cli.db));
            }
            let config =
                HttpConfig { refresh_every: Duration::from_secs(refresh_secs.max(1)), office_hours, secure_cookies };
            serve(store, addr, config, mail.delivery()?).await
        }
        Command::Demo { addr, mail } => {
            let db = if std::env::var_os("SAKSHY_DB").is_none() && cli.db == "sqlite:sakshy.db" {
                "sqlite:sakshy-demo.db".to_owned()
            } else {
                cli.db.clone()
            };
            let store = open(&db).await?;
            store.migrate().await.context("applying migrations")?;
            let tokens = demo::load_if_empty(&store).await?;
            demo::ensure_demo_passwords(&store).await.context("setting the demo accounts' passwords")?;
            eprintln!("{}", demo::tour(addr, &db, tokens.as_deref()));
            serve(store, addr, HttpConfig::standard(), mail.delivery()?).await
        }
        Command::Import { what } => import(&cli.db, what).await,
        Command::Export { what: ExportWhat::Territories { at } } => {
            let store = open(&cli.db).await?;
            let (city_id, city, _) = store.city().await?.context("no city is stored yet: import territories first")?;
            let versions = match at {
                Some(at) => store.territories_at(city_id, parse_instant(&at, &city.timezone)?).await?,
                None => store.current_territories(city_id).await?,
            };
            let mut territories: Vec<_> = versions.into_iter().map(|v| v.territory).collect();
            territories.sort_by(|a, b| (a.level(), a.code()).cmp(&(b.level(), b.code())));
            print!("{}", sakshy_core::export::territories_file(&territories, Some(&city)));
            Ok(())
        }
        Command::Locate { lat, lon, json } => locate(&cli.db, lat, lon, json).await,
        Command::Analyze { what } => analyze::run(&cli.db, what).await,
        Command::Webhook { what: WebhookWhat::Add { url, secret } } => {
            let store = open(&cli.db).await?;
            let (city, _, _) = store.city().await?.context("no city is stored yet: import territories first")?;
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                bail!("{url:?} is not an http:// or https:// URL");
            }
            store.add_webhook(city, &url, &secret, now_ms()).await.with_context(|| format!("subscribing {url}"))?;
            println!("webhook {url} subscribed to appeal events");
            Ok(())
        }
        Command::User { what } => {
            let store = open(&cli.db).await?;
            let (city, _, _) = store.city().await?.context("no city is stored yet: import territories first")?;
            match what {
                UserWhat::Add { login, name, role, scope, password_stdin } => {
                    let password = account::password(password_stdin)?;
                    let user = sakshy_store::StaffUser {
                        login: login.clone(),
                        display_name: name,
                        role: role.parse().map_err(|err| anyhow::anyhow!("--role: {err}"))?,
                        scope: sakshy_core::access::Scope::parse(&scope)
                            .map_err(|err| anyhow::anyhow!("--scope: {err}"))?,
                        disabled: false,
                    };
                    store
                        .add_staff_user(city, &user, now_ms())
                        .await
                        .with_context(|| format!("adding user {login}"))?;
                    store.set_staff_password(city, &login, &account::hash(&password.text).await?).await?;
                    println!("user {login} added ({}, {})", user.role, user.scope.to_wire());
                    if password.generated {
                        println!("password (shown once): {}", password.text);
                    }
                }
                UserWhat::Role { login, role, scope } => {
                    let role: sakshy_core::access::Role =
                        role.parse().map_err(|err| anyhow::anyhow!("--role: {err}"))?;
                    let scope =
                        sakshy_core::access::Scope::parse(&scope).map_err(|err| anyhow::anyhow!("--scope: {err}"))?;
                    store.set_staff_role(city, &login, role, &scope).await?;
                    println!("user {login} is now {role} ({})", scope.to_wire());
                }
                UserWhat::ResetPassword { login, password_stdin } => {
                    let password = account::password(password_stdin)?;
                    store.set_staff_password(city, &login, &account::hash(&password.text).await?).await?;
                    store.delete_staff_sessions(city, &login).await?;
                    store.clear_login_failures(city, &format!("login:{}", login.to_lowercase())).await?;
                    println!("password of {login} reset; its sessions ended");
                    if password.generated {
                        println!("password (shown once): {}", password.text);
                    }
                }
                UserWhat::Disable { login } => {
                    store.set_staff_user_disabled(city, &login, true).await?;
                    store.delete_staff_sessions(city, &login).await?;
                    println!("user {login} disabled");
                }
                UserWhat::Enable { login } => {
                    store.set_staff_user_disabled(city, &login, false).await?;
                    println!("user {login} enabled");
                }
            }
            Ok(())
        }
        Command::Retention { what: RetentionWhat::Run { days } } => {
            let store = open(&cli.db).await?;
            let (city, _, _) = store.city().await?.context("no city is stored yet: import territories first")?;
            let now = now_ms();
            let cutoff = now - i64::from(days) * 86_400_000;
            let summary =
                store.erase_personal_data(city, cutoff, "retention", now).await.context("erasing personal data")?;
            println!(
                "personal data erased from {} appeals finished more than {days} days ago ({} contacts, {} photos) and \
                 the addresses of {} incidents older than that; both stay for the statistics",
                summary.appeals, summary.contacts, summary.photos, summary.incident_addresses
            );
            Ok(())
        }
        Command::Apikey { what: ApikeyWhat::Create { user, open311, label } } => {
            let store = open(&cli.db).await?;
            let (city, _, _) = store.city().await?.context("no city is stored yet: import territories first")?;
            let token = match (user, open311) {
                (Some(user), false) => store
                    .create_api_token(city, &user, &label, now_ms())
                    .await
                    .with_context(|| format!("creating a token for {user}"))?,
                _ => store.create_open311_key(city, &label, now_ms()).await.context("creating an Open311 key")?,
            };
            println!("{token}");
            Ok(())
        }
    }
}

async fn open(db: &str) -> anyhow::Result<Store> {
    Store::connect(db).await.with_context(|| format!("opening the database {}", redact(db)))
}

/// The URL without a password, for messages.
fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &db[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &db[..scheme_end + 3], &db[at..]),
                None => db.to_owned(),
            }
        }
        _ => db.to_owned(),
    }
}

async fn serve(
    store: Store,
    addr: SocketAddr,
    config: HttpConfig,
    delivery: sakshy_web::DeliveryConfig,
) -> anyhow::Result<()> {
    let state = AppState::new(store, config).await.context("loading the registry")?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| format!("listening on {addr}"))?;
    tracing::info!(http.addr = %addr, "serving on http://{addr}");
    if delivery.smtp.is_none() {
        tracing::info!("no SMTP relay configured: e-mail notifications wait in the outbox; webhooks are delivered");
    }
    let worker = tokio::spawn(sakshy_web::run_worker(state.clone(), delivery));
    let served = sakshy_web::serve(listener, state).await.context("serving HTTP");
    worker.abort();
    served
}

fn parse_hours(text: &str) -> Result<OpeningHours, String> {
    OpeningHours::parse(text).map_err(|err| err.to_string())
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// Parses RFC 3339, or a date (`YYYY-MM-DD`, midnight in the city's zone), into epoch milliseconds.
fn parse_instant(text: &str, zone: &chrono_tz::Tz) -> anyhow::Result<i64> {
    if let Ok(instant) = chrono::DateTime::parse_from_rfc3339(text) {
        return Ok(instant.timestamp_millis());
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .with_context(|| format!("{text:?} is neither RFC 3339 (2026-01-01T00:00:00Z) nor a date (2026-01-01)"))?;
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    let local =
        midnight.and_local_timezone(*zone).earliest().with_context(|| format!("{text} does not exist in {zone}"))?;
    Ok(local.timestamp_millis())
}

fn read(path: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))
}

fn spinner(message: String) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("static template is valid"),
    );
    bar.enable_steady_tick(Duration::from_millis(120));
    bar.set_message(message);
    bar
}

async fn import(db: &str, what: ImportWhat) -> anyhow::Result<()> {
    let store = open(db).await?;
    if !store.migrations_current().await.context("checking migrations")? {
        bail!("the database {} has pending migrations: run `sakshy migrate` first", redact(db));
    }
    let line = match what {
        ImportWhat::Registry(what) => return import_registry(&store, what).await,
        ImportWhat::Questionnaire { file } => survey::import_questionnaire(&store, &file, now_ms()).await?,
        ImportWhat::SurveyResponses { wave, file, skip_invalid, report } => {
            survey::import_responses(&store, &wave, &file, skip_invalid, report.as_deref(), now_ms()).await?
        }
        ImportWhat::PopulationMargins { file } => survey::import_margins(&store, &file, now_ms()).await?,
    };
    println!("{line}");
    Ok(())
}

async fn import_registry(store: &Store, what: RegistryImport) -> anyhow::Result<()> {
    let (path, kind) = match &what {
        RegistryImport::Territories { file, .. } => (file, "territories"),
        RegistryImport::Points { file } => (file, "police points"),
        RegistryImport::Officers { file } => (file, "officers"),
        RegistryImport::Agencies { file } => (file, "agencies"),
        RegistryImport::Categories { file } => (file, "categories"),
        RegistryImport::Routing { file } => (file, "routing overrides"),
        RegistryImport::Gazetteer { file } => (file, "gazetteer places"),
        RegistryImport::Incidents { file, .. } => (file, "incidents"),
    };
    let text = read(path)?;
    let source = path.display().to_string();
    let progress = spinner(format!("importing {kind} from {source} ({} KB)", text.len() / 1024));
    let outcome = match &what {
        RegistryImport::Territories { valid_from, .. } => {
            let at = match valid_from {
                Some(text) => {
                    let zone = store.city().await?.map_or(chrono_tz::Asia::Almaty, |(_, city, _)| city.timezone);
                    parse_instant(text, &zone)?
                }
                None => now_ms(),
            };
            store.import_territories(&text, &source, at).await.map(|imported| {
                for warning in &imported.warnings {
                    eprintln!("warning: {warning}");
                }
                let s = imported.summary;
                format!(
                    "territories: {} added, {} changed (new version), {} unchanged; registry revision {}",
                    s.added, s.changed, s.unchanged, s.revision
                )
            })
        }
        RegistryImport::Points { file } => {
            let format = match file.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
                Some("csv") => PointsFormat::Csv,
                Some("geojson" | "json") => PointsFormat::GeoJson,
                _ => bail!("{}: cannot tell the format; name it .geojson, .json or .csv", file.display()),
            };
            store.import_points(&text, format, &source, now_ms()).await.map(|s| summary("police points", s))
        }
        RegistryImport::Officers { .. } => {
            store.import_officers(&text, &source, now_ms()).await.map(|s| summary("officers", s))
        }
        RegistryImport::Agencies { .. } => {
            store.import_agencies(&text, &source, now_ms()).await.map(|s| summary("agencies", s))
        }
        RegistryImport::Categories { .. } => {
            store.import_categories(&text, &source, now_ms()).await.map(|s| summary("categories", s))
        }
        RegistryImport::Routing { .. } => {
            store.import_routing(&text, &source, now_ms()).await.map(|s| summary("routing overrides", s))
        }
        RegistryImport::Gazetteer { .. } => {
            store.import_gazetteer(&text, &source, now_ms()).await.map(|s| summary("gazetteer places", s))
        }
        RegistryImport::Incidents { file, map, map_file, source: name, crs, skip_invalid, report, synthetic } => {
            use sakshy_core::incident::{IncidentMapping, problems_csv};
            use sakshy_store::{IncidentImport, IncidentImportError, IncidentOrigin, InvalidRows};
            let from_file = match map_file {
                Some(path) => IncidentMapping::parse(&read(path)?).with_context(|| format!("in {}", path.display()))?,
                None => IncidentMapping::default(),
            };
            let mapping = from_file.overridden_by(IncidentMapping::parse(&map.join(",")).context("in --map")?);
            let file_name = file.file_name().map(|name| name.to_string_lossy().into_owned());
            let import = IncidentImport {
                source: name.as_deref().or(file_name.as_deref()).unwrap_or(&source),
                mapping: &mapping,
                crs: *crs,
                invalid_rows: if *skip_invalid { InvalidRows::Skip } else { InvalidRows::RefuseFile },
                origin: if *synthetic { IncidentOrigin::Synthetic } else { IncidentOrigin::Recorded },
                at_ms: now_ms(),
            };
            let result = store.import_incidents(&text, &import).await;
            progress.finish_and_clear();
            let problems = match &result {
                Ok(done) | Err(IncidentImportError::Invalid(done)) => done.problems.as_slice(),
                Err(_) => &[],
            };
            if let Some(path) = report {
                std::fs::write(path, problems_csv(problems)).with_context(|| format!("writing {}", path.display()))?;
            }
            match result {
                Ok(done) => {
                    for problem in &done.problems {
                        eprintln!("skipped: {problem}");
                    }
                    Ok(done.to_string())
                }
                Err(IncidentImportError::Storage(err)) => Err(ImportError::Storage(err)),
                Err(err) => bail!("{source}: {err}"),
            }
        }
    };
    progress.finish_and_clear();
    match outcome {
        Ok(line) => {
            println!("{line}");
            Ok(())
        }
        Err(ImportError::Invalid(failure)) => bail!("{source}: {failure}"),
        Err(ImportError::Storage(err)) => Err(anyhow::Error::new(err).context(format!("importing {source}"))),
    }
}

fn summary(kind: &str, s: sakshy_store::UpsertSummary) -> String {
    format!("{kind}: {} added, {} changed, {} unchanged", s.added, s.changed, s.unchanged)
}

async fn locate(db: &str, lat: f64, lon: f64, json: bool) -> anyhow::Result<()> {
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        bail!("latitude must be in [-90, 90] and longitude in [-180, 180]; got {lat}, {lon} (are they swapped?)");
    }
    let store = open(db).await?;
    let registry = Registry::load(&store).await?.context("no city is stored yet: import territories first")?;
    let locator: &Locator = &registry.locator;
    let outcome = locator.locate(lon, lat);
    let points = locator.nearest_points(lon, lat, 3);
    if json {
        match sakshy_web::locate_answer(&registry, lat, lon, 3, sakshy_core::Lang::En) {
            Ok(body) => println!("{}", serde_json::to_string_pretty(&body)?),
            Err(err) => {
                println!("{}", serde_json::to_string_pretty(&err.to_json())?);
                std::process::exit(3);
            }
        }
        return Ok(());
    }
    match outcome {
        LocateOutcome::Inside { quadrant, district } => {
            println!(
                "quadrant  {} — {}{}",
                quadrant.code(),
                quadrant.name().en(),
                if quadrant.pilot() { " (pilot)" } else { "" }
            );
            if let Some(district) = district {
                println!("district  {} — {}", district.code(), district.name().en());
            }
            for officer in locator.officers_of(quadrant.code()) {
                println!(
                    "officer   {} {} ({}, {}){}",
                    officer.role,
                    officer.name,
                    officer.rank,
                    officer.badge,
                    officer.phone.as_ref().map(|p| format!(", {}", p.as_str())).unwrap_or_default()
                );
            }
        }
        LocateOutcome::Outside { nearest } => {
            match nearest {
                Some((quadrant, distance_m)) => {
                    eprintln!(
                        "outside every quadrant; the nearest is {} — {}, {distance_m:.0} m away",
                        quadrant.code(),
                        quadrant.name().en()
                    )
                }
                None => eprintln!("outside every quadrant; no quadrants are loaded"),
            }
            std::process::exit(3);
        }
    }
    for nearby in &points {
        println!(
            "point     {} — {}: {:.0} m, ~{} min walk",
            nearby.point.code,
            nearby.point.name.en(),
            nearby.distance_m,
            nearby.walk_min
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn passwords_are_redacted_from_messages() {
        assert_eq!(redact("postgres://app:secret@db/sakshy"), "postgres://app:***@db/sakshy");
        assert_eq!(redact("postgres://app@db/sakshy"), "postgres://app@db/sakshy");
        assert_eq!(redact("sqlite:x.db"), "sqlite:x.db");
    }

    #[test]
    fn instants_parse_as_rfc3339_or_as_a_local_date() {
        let zone = chrono_tz::Asia::Almaty;
        assert_eq!(parse_instant("2026-01-01T00:00:00Z", &zone).unwrap(), 1_767_225_600_000);
        // Almaty is UTC+5 since March 2024: local midnight is 19:00 UTC the day before.
        assert_eq!(parse_instant("2026-01-01", &zone).unwrap(), 1_767_225_600_000 - 5 * 3_600_000);
        assert!(parse_instant("01.01.2026", &zone).is_err());
    }
}
