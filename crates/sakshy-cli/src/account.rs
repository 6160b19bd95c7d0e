//! Passwords for `sakshy user add` and `sakshy user reset-password`: read from standard input or generated, then
//! hashed with the web layer's Argon2id. A password is printed once when it was generated, and never logged.

use std::io::BufRead;

use anyhow::{Context, bail};
pub use sakshy_web::auth::MIN_PASSWORD_CHARS;

/// A password for an account, and whether it was generated (and so must be shown once).
pub struct Password {
    /// The password.
    pub text: String,
    /// Whether it was generated here.
    pub generated: bool,
}

/// The password from the first line of standard input when `from_stdin`, or a generated one.
///
/// # Errors
///
/// When standard input cannot be read or the password is too short.
pub fn password(from_stdin: bool) -> anyhow::Result<Password> {
    if !from_stdin {
        return Ok(Password { text: generate(), generated: true });
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password from standard input")?;
    let text = line.trim_end_matches(['\r', '\n']).to_owned();
    if text.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password must have at least {MIN_PASSWORD_CHARS} characters");
    }
    Ok(Password { text, generated: false })
}

/// A random password of 16 characters (about 93 bits).
pub fn generate() -> String {
    sakshy_web::auth::generate_password()
}

/// The Argon2id PHC string of a password, computed off the async threads.
///
/// # Errors
///
/// When hashing fails.
pub async fn hash(password: &str) -> anyhow::Result<String> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || sakshy_web::auth::hash_password(&password))
        .await
        .context("hashing the password")?
        .context("hashing the password")
}
