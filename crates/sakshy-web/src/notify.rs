//! Delivering the outbox: e-mail to residents over SMTP and signed calls to webhook subscriptions, at least
//! once, with the event key as the idempotency key receivers dedupe on.
//!
//! The worker claims messages under a lease, delivers, and records the outcome; a worker that dies
//! mid-delivery loses nothing (its lease runs out and the message is claimed again). No personal data is
//! logged: only event keys and channels.

use std::time::Duration;

use fluent_templates::fluent_bundle::FluentValue;
use hmac::{Hmac, KeyInit, Mac};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sakshy_core::Lang;
use sakshy_store::{OutboxMessage, OutboxState};
use serde_json::Value;
use sha2::Sha256;

use crate::AppState;
use crate::i18n::text;

/// How mail leaves Sakshy.
#[derive(Debug, Clone)]
pub struct SmtpConfig {
    /// The relay's host (plain SMTP, as a relay inside the police network offers).
    pub host: String,
    /// Its port.
    pub port: u16,
    /// The sender address.
    pub from: String,
}

/// Settings of the delivery worker.
#[derive(Debug, Clone)]
pub struct DeliveryConfig {
    /// SMTP relay; without one, e-mail messages wait in the outbox.
    pub smtp: Option<SmtpConfig>,
    /// The client webhooks are posted with (see [`webhook_client`]); built once, so connections are reused.
    pub webhooks: reqwest::Client,
    /// How long a claim holds before another worker may take the message.
    pub lease: Duration,
    /// How long to wait between rounds when nothing is due.
    pub idle: Duration,
}

/// What one delivery round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RoundStats {
    /// Messages delivered.
    pub delivered: usize,
    /// Attempts that failed and will be retried.
    pub retried: usize,
    /// Messages given up on.
    pub dead: usize,
}

/// Why the webhook client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum WebhookClientError {
    /// A certificate of the extra trust file is not a valid PEM certificate.
    #[error("certificate {index} of the trust file is not a valid PEM certificate: {reason}")]
    BadCertificate {
        /// Its place in the file, from 1.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// The trust file holds no certificate at all.
    #[error("the trust file holds no PEM certificate")]
    NoCertificate,
    /// Neither the system nor the trust file gave a certificate to trust.
    #[error("no trusted certificate: the system store is empty and no trust file was given")]
    NoRoots,
    /// The TLS or HTTP client refused its settings.
    #[error("the HTTP client could not be built: {0}")]
    Client(String),
}

/// Builds the HTTP client webhooks are delivered with: HTTP, or HTTPS through rustls with the ring provider,
/// trusting the system's certificate store (`/etc/ssl/certs` and the like, read once here; nothing is fetched)
/// plus the PEM certificates of `extra_roots`, for a police network's own certificate authority. Certificates
/// are always verified. Ten seconds per delivery at most.
///
/// # Errors
///
/// [`WebhookClientError`] when the extra certificates are unusable or nothing at all can be trusted.
pub fn webhook_client(extra_roots: Option<&[u8]>) -> Result<reqwest::Client, WebhookClientError> {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let mut roots = rustls::RootCertStore::empty();
    // Unreadable system certificates are skipped, as every TLS client does; the count below tells if none is left.
    let system = rustls_native_certs::load_native_certs();
    roots.add_parsable_certificates(system.certs);
    if let Some(pem) = extra_roots {
        let mut found = 0;
        for (i, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
            let bad = |reason: String| WebhookClientError::BadCertificate { index: i + 1, reason };
            let cert = cert.map_err(|err| bad(err.to_string()))?;
            roots.add(cert).map_err(|err| bad(err.to_string()))?;
            found += 1;
        }
        if found == 0 {
            return Err(WebhookClientError::NoCertificate);
        }
    }
    if roots.is_empty() {
        return Err(WebhookClientError::NoRoots);
    }
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| WebhookClientError::Client(err.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(|err| WebhookClientError::Client(err.to_string()))
}

/// The signature header value for a webhook body: `sha256=` and the hex HMAC-SHA-256 of the body with the
/// subscription's secret.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts a key of any length");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

/// Claims and delivers the messages due at `now_ms` (UTC epoch milliseconds); returns what happened. Outcomes
/// are recorded at `now_ms` too, so that a round can be replayed at any time in tests.
///
/// # Errors
///
/// The storage error that stopped the round (delivery failures are recorded, not returned).
pub async fn deliver_due(
    state: &AppState,
    config: &DeliveryConfig,
    now_ms: i64,
) -> Result<RoundStats, sakshy_store::StorageError> {
    let Some(registry) = state.registry() else { return Ok(RoundStats::default()) };
    let city = registry.city_id;
    let now = now_ms;
    let messages = state.store.claim_outbox(city, now, config.lease.as_millis() as i64, 50).await?;
    let mut stats = RoundStats::default();
    for message in messages {
        let result = match message.channel.as_str() {
            "webhook" => deliver_webhook(state, &config.webhooks, city, &message).await,
            "email" => match &config.smtp {
                Some(smtp) => deliver_email(smtp, &message).await,
                None => Err("no SMTP relay is configured".to_owned()),
            },
            other => Err(format!("unknown channel {other}")),
        };
        match result {
            Ok(()) => {
                state.store.mark_delivered(city, message.outbox_id, now).await?;
                tracing::debug!(event = %message.event_key, channel = %message.channel, "notification delivered");
                stats.delivered += 1;
            }
            Err(error) => match state.store.mark_failed(city, &message, &error, now).await? {
                OutboxState::Dead => {
                    tracing::warn!(event = %message.event_key, channel = %message.channel, %error, "notification given up");
                    stats.dead += 1;
                }
                _ => {
                    tracing::info!(event = %message.event_key, channel = %message.channel, %error, "notification will be retried");
                    stats.retried += 1;
                }
            },
        }
    }
    Ok(stats)
}

/// Escalates every overdue task once per due date, as the system: an event in the appeal's history and a
/// notification to subscribed systems (supervisors' tools). Returns how many tasks were escalated.
///
/// # Errors
///
/// The storage error that stopped the sweep.
pub async fn escalate_overdue(state: &AppState, now_ms: i64) -> Result<usize, sakshy_store::StorageError> {
    use sakshy_core::workflow::{Action, Actor, WorkflowError, WorkflowRules};
    let Some(registry) = state.registry() else { return Ok(0) };
    let today = chrono::DateTime::<chrono::Utc>::from_timestamp_millis(now_ms)
        .unwrap_or_default()
        .with_timezone(&registry.city.timezone)
        .date_naive();
    let filter = sakshy_store::AppealFilter { overdue_on: Some(today), ..Default::default() };
    let rules = WorkflowRules { reopen_working_days: crate::staff::REOPEN_WORKING_DAYS };
    let mut escalated = 0;
    let mut after = None;
    loop {
        let page = state.store.list_appeals(registry.city_id, &filter, after, 200).await?;
        for row in &page {
            let Some(appeal) = state.store.appeal(registry.city_id, row.appeal_id).await? else { continue };
            let overdue: Vec<_> = appeal
                .workflow
                .tasks
                .iter()
                .filter(|t| t.state.is_open() && t.due < today)
                .map(|t| t.agency.clone())
                .collect();
            for agency in overdue {
                let action = Action::Escalate { agency };
                let result = state
                    .store
                    .update_appeal(registry.city_id, row.appeal_id, now_ms, |stored| {
                        stored
                            .workflow
                            .apply(&Actor::System, &action, now_ms, today, &state.calendar(), rules)
                            .map_err(Sweep::Workflow)
                    })
                    .await;
                match result {
                    Ok(_) => escalated += 1,
                    Err(Sweep::Workflow(WorkflowError::NotOverdue)) => {}
                    Err(Sweep::Workflow(err)) => {
                        tracing::warn!(receipt = %row.receipt, error = %err, "escalation refused")
                    }
                    Err(Sweep::Storage(err)) => return Err(err),
                }
            }
        }
        match page.last() {
            Some(last) if page.len() == 200 => {
                after =
                    Some(sakshy_store::AppealCursor { created_at_ms: last.created_at_ms, appeal_id: last.appeal_id });
            }
            _ => break,
        }
    }
    if escalated > 0 {
        tracing::info!(escalated, "overdue tasks escalated");
    }
    Ok(escalated)
}

enum Sweep {
    Workflow(sakshy_core::workflow::WorkflowError),
    Storage(sakshy_store::StorageError),
}

impl From<sakshy_store::StorageError> for Sweep {
    fn from(err: sakshy_store::StorageError) -> Self {
        Sweep::Storage(err)
    }
}

/// How often the overdue sweep runs beside delivery.
const ESCALATION_EVERY: Duration = Duration::from_secs(600);

/// Runs delivery rounds, and the overdue sweep every ten minutes, until the task is aborted.
pub async fn run_worker(state: AppState, config: DeliveryConfig) {
    let mut last_sweep: Option<std::time::Instant> = None;
    loop {
        if last_sweep.is_none_or(|at| at.elapsed() >= ESCALATION_EVERY) {
            last_sweep = Some(std::time::Instant::now());
            if let Err(err) = escalate_overdue(&state, chrono::Utc::now().timestamp_millis()).await {
                tracing::warn!(error = %err, "overdue sweep failed");
            }
        }
        match deliver_due(&state, &config, chrono::Utc::now().timestamp_millis()).await {
            Ok(stats) if stats.delivered + stats.retried + stats.dead > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::warn!(error = %err, "outbox round failed"),
        }
        tokio::time::sleep(config.idle).await;
    }
}

async fn deliver_webhook(
    state: &AppState,
    client: &reqwest::Client,
    city: sakshy_store::CityId,
    message: &OutboxMessage,
) -> Result<(), String> {
    let secret = state
        .store
        .webhook_secret(city, &message.destination)
        .await
        .map_err(|err| err.to_string())?
        .ok_or_else(|| "the subscription was removed".to_owned())?;
    let body = message.payload.clone().into_bytes();
    let response = client
        .post(&message.destination)
        .header("Content-Type", "application/json")
        .header("Idempotency-Key", &message.event_key)
        .header("X-Sakshy-Event", &message.event_key)
        .header("X-Sakshy-Signature", signature(&secret, &body))
        .body(body)
        .send()
        .await
        .map_err(|err| format!("request failed: {}", crate::error::error_chain(&err)))?;
    if response.status().is_success() { Ok(()) } else { Err(format!("the receiver answered {}", response.status())) }
}

/// The subject and text of a resident's e-mail, in their language.
pub fn email_text(payload: &Value) -> (String, String) {
    let lang: Lang = payload["lang"].as_str().and_then(|l| l.parse().ok()).unwrap_or_default();
    let field = |name: &str| FluentValue::from(payload[name].as_str().unwrap_or("").to_owned());
    let subject = text(lang, "notify-subject", &[("receipt", field("receipt")), ("kind", field("kind"))]);
    let mut body = text(
        lang,
        "notify-body",
        &[("receipt", field("receipt")), ("state", field("state")), ("due", field("due_on"))],
    );
    if let Some(comment) = payload["comment"].as_str() {
        body.push_str("\n\n");
        body.push_str(&text(lang, "notify-comment", &[("comment", FluentValue::from(comment.to_owned()))]));
    }
    body.push_str("\n\n");
    body.push_str(&text(lang, "notify-footer", &[]));
    (subject, body)
}

async fn deliver_email(smtp: &SmtpConfig, message: &OutboxMessage) -> Result<(), String> {
    let payload: Value = serde_json::from_str(&message.payload).map_err(|err| err.to_string())?;
    let (subject, body) = email_text(&payload);
    let from: Mailbox = smtp.from.parse().map_err(|err| format!("sender: {err}"))?;
    let to: Mailbox = message.destination.parse().map_err(|err| format!("recipient: {err}"))?;
    let email = Message::builder()
        .from(from)
        .to(to)
        .subject(subject)
        // The event key makes the Message-ID, so a redelivered message is recognisably the same one.
        .message_id(Some(format!("<{}@sakshy>", message.event_key.replace([':', ' '], "."))))
        .body(body)
        .map_err(|err| err.to_string())?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(10)))
        .build();
    transport.send(email).await.map(|_| ()).map_err(|err| format!("SMTP: {err}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_the_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn emails_speak_the_residents_language() {
        let payload = serde_json::json!({"kind": "extended", "receipt": "SHY-2026-000001", "lang": "ru", "state": "extended", "due_on": "2026-06-14", "comment": "Нужна экспертиза."});
        let (subject, body) = email_text(&payload);
        assert_eq!(subject, "Обращение SHY-2026-000001: срок продлён");
        assert!(body.starts_with(
            "Обращение SHY-2026-000001. Состояние: extended. Срок ответа: 2026-06-14.\n\nКомментарий: Нужна экспертиза."
        ));
        let kk = serde_json::json!({"kind": "answered", "receipt": "SHY-2026-000001", "lang": "kk", "state": "answered", "due_on": "2026-06-14"});
        assert_eq!(email_text(&kk).0, "SHY-2026-000001 өтініші: жауап берілді");
    }
}
