//! Delivering the outbox to a local SMTP sink and a local webhook receiver — real sockets, no mocks of the
//! clients — including a worker killed mid-delivery.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{TestApp, spawn_app};

/// A minimal SMTP server that accepts every message and keeps its data.
async fn smtp_sink() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let store = messages.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut data: Option<String> = None;
                while let Ok(Some(line)) = lines.next_line().await {
                    if let Some(buffer) = data.as_mut() {
                        if line == "." {
                            store.lock().unwrap().push(data.take().unwrap());
                            write.write_all(b"250 queued\r\n").await.unwrap();
                        } else {
                            buffer.push_str(&line);
                            buffer.push('\n');
                        }
                        continue;
                    }
                    let verb = line.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "DATA" => {
                            data = Some(String::new());
                            b"354 go ahead\r\n"
                        }
                        "QUIT" => {
                            write.write_all(b"221 bye\r\n").await.unwrap();
                            return;
                        }
                        _ => b"250 ok\r\n",
                    };
                    write.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (port, messages)
}

/// What the webhook receiver does with a request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Accept,
    Fail,
    Hang,
}

#[derive(Clone)]
struct Receiver {
    mode: Arc<Mutex<Mode>>,
    seen: Arc<Mutex<Vec<(String, String, String)>>>,
}

async fn webhook_receiver() -> (String, Receiver) {
    receiver_on(None).await
}

/// Accepts TLS connections for the webhook receiver, with a certificate the test made.
struct TlsListener {
    tcp: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
}

impl axum::serve::Listener for TlsListener {
    type Io = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;
    type Addr = std::net::SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let Ok((tcp, addr)) = self.tcp.accept().await else { continue };
            // A client that refuses the certificate ends the handshake; wait for the next one.
            if let Ok(tls) = self.acceptor.accept(tcp).await {
                return (tls, addr);
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// A self-signed certificate for 127.0.0.1 and localhost, as PEM, and a TLS acceptor serving it.
fn self_signed() -> (String, tokio_rustls::TlsAcceptor) {
    let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned(), "localhost".to_owned()]).unwrap();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(made.signing_key.serialize_der().into());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![made.cert.der().clone()], key)
        .unwrap();
    (made.cert.pem(), tokio_rustls::TlsAcceptor::from(Arc::new(config)))
}

/// The webhook receiver, over HTTPS when given a TLS acceptor.
async fn receiver_on(tls: Option<tokio_rustls::TlsAcceptor>) -> (String, Receiver) {
    let receiver = Receiver { mode: Arc::new(Mutex::new(Mode::Accept)), seen: Arc::new(Mutex::new(Vec::new())) };
    let state = receiver.clone();
    let app = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                let header = |name: &str| headers.get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
                state.seen.lock().unwrap().push((header("idempotency-key"), header("x-sakshy-signature"), body));
                let mode = *state.mode.lock().unwrap();
                match mode {
                    Mode::Accept => StatusCode::OK,
                    Mode::Fail => StatusCode::INTERNAL_SERVER_ERROR,
                    Mode::Hang => {
                        tokio::time::sleep(Duration::from_secs(3600)).await;
                        StatusCode::OK
                    }
                }
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    match tls {
        None => {
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            (format!("http://{address}/hook"), receiver)
        }
        Some(acceptor) => {
            let listener = TlsListener { tcp: listener, acceptor };
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            (format!("https://{address}/hook"), receiver)
        }
    }
}

fn config(smtp_port: Option<u16>) -> sakshy_web::DeliveryConfig {
    sakshy_web::DeliveryConfig {
        webhooks: sakshy_web::webhook_client(None).unwrap(),
        smtp: smtp_port.map(|port| sakshy_web::SmtpConfig {
            host: "127.0.0.1".into(),
            port,
            from: "sakshy@police.example.kz".into(),
        }),
        lease: Duration::from_secs(30),
        idle: Duration::from_millis(50),
    }
}

async fn file_with_email(app: &TestApp) -> String {
    let body = json!({
        "category": "NOISE",
        "description": "Loud music at night.",
        "location": {"lat": 42.29871, "lon": 69.61030},
        "lang": "ru",
        "contact": {"name": "Айгүл", "email": "aigul@example.kz"},
        "consent": true
    });
    let (status, created) = app.post_appeal(&body, &[]).await;
    assert_eq!(status, 201, "{created}");
    created["receipt"].as_str().unwrap().to_owned()
}

fn now() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

#[tokio::test]
async fn the_receipt_reaches_the_resident_by_email_and_subscribers_by_signed_webhook() {
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let (url, receiver) = webhook_receiver().await;
    app.store.add_webhook(city, &url, "hook-secret", 1).await.unwrap();
    let (port, mails) = smtp_sink().await;
    let receipt = file_with_email(&app).await;
    let stats = sakshy_web::deliver_due(&app.state, &config(Some(port)), now()).await.unwrap();
    assert_eq!(stats, sakshy_web::RoundStats { delivered: 2, retried: 0, dead: 0 });
    let mails = mails.lock().unwrap().clone();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains("To: aigul@example.kz"), "{}", mails[0]);
    assert!(mails[0].contains(receipt.as_str()), "{}", mails[0]);
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (key, signature, body) = &seen[0];
    assert_eq!(key, &format!("{receipt}:0:registered"));
    assert_eq!(signature, &sakshy_web::signature("hook-secret", body.as_bytes()));
    let payload: Value = serde_json::from_str(body).unwrap();
    assert_eq!((payload["kind"].as_str(), payload["receipt"].as_str()), (Some("registered"), Some(receipt.as_str())));
    assert!(!body.contains("Айгүл") && !body.contains("aigul@"), "no personal data in webhooks: {body}");
    // Nothing is left to deliver.
    let again = sakshy_web::deliver_due(&app.state, &config(Some(port)), now()).await.unwrap();
    assert_eq!(again, sakshy_web::RoundStats::default());
}

#[tokio::test]
async fn webhooks_go_over_https_and_a_certificate_nobody_vouches_for_is_refused() {
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let (pem, acceptor) = self_signed();
    let (url, receiver) = receiver_on(Some(acceptor)).await;
    assert!(url.starts_with("https://127.0.0.1:"), "{url}");
    app.store.add_webhook(city, &url, "tls-secret", 1).await.unwrap();
    let receipt = file_with_email(&app).await;
    // Trusting only the system's authorities, the test's own certificate is refused and the call waits.
    let t0 = now();
    let refused = sakshy_web::deliver_due(&app.state, &config(None), t0).await.unwrap();
    assert_eq!((refused.delivered, refused.retried), (0, 2), "webhook refused, e-mail without a relay");
    assert!(receiver.seen.lock().unwrap().is_empty());
    let messages = app.store.outbox_messages(city).await.unwrap();
    let hook = messages.iter().find(|m| m.channel == "webhook").unwrap();
    let error = hook.last_error.as_deref().unwrap();
    assert!(error.contains("certificate") || error.contains("Certificate"), "{error}");
    // With the certificate as an extra trusted authority (SAKSHY_WEBHOOK_CA_FILE), it goes through, signed.
    let trusting = sakshy_web::DeliveryConfig {
        webhooks: sakshy_web::webhook_client(Some(pem.as_bytes())).unwrap(),
        ..config(None)
    };
    let later = sakshy_web::deliver_due(&app.state, &trusting, t0 + 60_000).await.unwrap();
    assert_eq!(later.delivered, 1);
    let seen = receiver.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (key, signature, body) = &seen[0];
    assert_eq!(key, &format!("{receipt}:0:registered"));
    assert_eq!(signature, &sakshy_web::signature("tls-secret", body.as_bytes()));
}

#[test]
fn a_trust_file_without_certificates_is_refused_by_name() {
    let err = sakshy_web::webhook_client(Some(b"not a certificate")).unwrap_err();
    assert_eq!(err.to_string(), "the trust file holds no PEM certificate");
    let broken = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
    let err = sakshy_web::webhook_client(Some(broken)).unwrap_err();
    assert!(err.to_string().starts_with("certificate 1 of the trust file"), "{err}");
}

#[tokio::test]
async fn failures_are_retried_after_a_back_off() {
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let (url, receiver) = webhook_receiver().await;
    app.store.add_webhook(city, &url, "s", 1).await.unwrap();
    *receiver.mode.lock().unwrap() = Mode::Fail;
    file_with_email(&app).await;
    let t0 = now();
    // No SMTP relay: the e-mail fails too, and waits.
    let first = sakshy_web::deliver_due(&app.state, &config(None), t0).await.unwrap();
    assert_eq!(first, sakshy_web::RoundStats { delivered: 0, retried: 2, dead: 0 });
    assert_eq!(
        sakshy_web::deliver_due(&app.state, &config(None), t0 + 1_000).await.unwrap(),
        sakshy_web::RoundStats::default(),
        "backing off"
    );
    *receiver.mode.lock().unwrap() = Mode::Accept;
    let later = sakshy_web::deliver_due(&app.state, &config(None), t0 + 21_000).await.unwrap();
    assert_eq!((later.delivered, later.retried), (1, 1), "the webhook now succeeds; the e-mail still has no relay");
    assert_eq!(receiver.seen.lock().unwrap().len(), 2);
    let messages = app.store.outbox_messages(city).await.unwrap();
    let email = messages.iter().find(|m| m.channel == "email").unwrap();
    assert_eq!(email.last_error.as_deref(), Some("no SMTP relay is configured"));
}

#[tokio::test]
async fn a_worker_killed_mid_delivery_loses_nothing() {
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    let (url, receiver) = webhook_receiver().await;
    app.store.add_webhook(city, &url, "s", 1).await.unwrap();
    *receiver.mode.lock().unwrap() = Mode::Hang;
    let receipt = file_with_email(&app).await;
    let t0 = now();
    let state = app.state.clone();
    let worker = tokio::spawn(async move { sakshy_web::deliver_due(&state, &config(None), t0).await });
    // Wait until the receiver holds the request, then kill the worker.
    for _ in 0..200 {
        if !receiver.seen.lock().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(receiver.seen.lock().unwrap().len(), 1, "the delivery was in flight");
    worker.abort();
    let _ = worker.await;
    let pending = app.store.outbox_messages(city).await.unwrap();
    assert!(pending.iter().all(|m| m.state == sakshy_store::OutboxState::Pending), "the crash recorded nothing");
    // While the lease holds, nobody delivers it twice; once it runs out, a new worker does.
    *receiver.mode.lock().unwrap() = Mode::Accept;
    let during = sakshy_web::deliver_due(&app.state, &config(None), t0 + 1_000).await.unwrap();
    assert_eq!(during.delivered, 0);
    let after = sakshy_web::deliver_due(&app.state, &config(None), t0 + 31_000).await.unwrap();
    assert_eq!(after.delivered, 1);
    let seen = receiver.seen.lock().unwrap().clone();
    let keys: std::collections::BTreeSet<&str> = seen.iter().map(|(key, _, _)| key.as_str()).collect();
    assert_eq!(seen.len(), 2, "delivered at least once: the killed attempt and the redelivery");
    assert_eq!(
        keys.into_iter().collect::<Vec<_>>(),
        [format!("{receipt}:0:registered").as_str()],
        "one event: receivers dedupe on the key"
    );
    let webhook = app.store.outbox_messages(city).await.unwrap().into_iter().find(|m| m.channel == "webhook").unwrap();
    assert_eq!(webhook.state, sakshy_store::OutboxState::Delivered);
}

#[tokio::test]
async fn overdue_tasks_are_escalated_once_to_supervisors_not_to_the_resident() {
    let app = spawn_app().await;
    let city = app.store.city().await.unwrap().unwrap().0;
    app.store.add_webhook(city, "http://127.0.0.1:9/supervisors", "s", 1).await.unwrap();
    let receipt = file_with_email(&app).await;
    let before = app.store.outbox_messages(city).await.unwrap().len();
    assert_eq!(sakshy_web::escalate_overdue(&app.state, now()).await.unwrap(), 0, "nothing is overdue today");
    let later = now() + 40 * 86_400_000;
    assert_eq!(sakshy_web::escalate_overdue(&app.state, later).await.unwrap(), 1);
    assert_eq!(sakshy_web::escalate_overdue(&app.state, later + 3_600_000).await.unwrap(), 0, "once per due date");
    let added: Vec<_> = app.store.outbox_messages(city).await.unwrap().into_iter().skip(before).collect();
    assert_eq!(added.len(), 1, "a webhook for supervisors, no e-mail to the resident: {added:?}");
    assert_eq!(added[0].channel, "webhook");
    assert!(added[0].event_key.starts_with(&receipt) && added[0].event_key.ends_with(":escalated"));
    let id = app.store.appeal_id_by_receipt(city, &receipt).await.unwrap().unwrap();
    let appeal = app.store.appeal(city, id).await.unwrap().unwrap();
    assert_eq!(appeal.workflow.history.last().unwrap().action, "escalate");
    assert_eq!(appeal.workflow.history.last().unwrap().actor, "system");
}
