//! CSRF protection for the portal's public forms, without a session: a signed double submit. The browser holds
//! a random nonce in the `sakshy_form` cookie (`HttpOnly`, `SameSite=Lax`); each form carries `csrf`, the
//! HMAC-SHA256 of that nonce under a key only the server knows. A POST is accepted only when the field is the
//! signature of the cookie's nonce, which another site can neither read nor compute.
//!
//! The key is drawn at start-up, so forms opened before a restart must be reloaded (the page says so). Several
//! instances behind one address would need a shared key from configuration.

use std::sync::LazyLock;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

/// The cookie holding the nonce.
const COOKIE: &str = "sakshy_form";

static KEY: LazyLock<[u8; 32]> = LazyLock::new(rand::random);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn mac(nonce: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_slice()).expect("HMAC takes a key of any length");
    mac.update(nonce.as_bytes());
    mac
}

fn cookie_nonce(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
        cookies
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .find(|(name, value)| *name == COOKIE && value.len() == 64 && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .map(|(_, value)| value.to_owned())
    })
}

/// The token a form carries, and the cookie to set when the browser has no nonce yet.
#[derive(Debug, Clone)]
pub struct FormToken {
    /// The value of the hidden `csrf` field.
    pub token: String,
    set_cookie: Option<String>,
}

impl FormToken {
    /// The token for the browser that sent `headers`, reusing its nonce if it has one.
    pub fn issue(headers: &HeaderMap) -> FormToken {
        let (nonce, set_cookie) = match cookie_nonce(headers) {
            Some(nonce) => (nonce, None),
            None => {
                let nonce = hex(&rand::random::<[u8; 32]>());
                let cookie = format!("{COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Lax");
                (nonce, Some(cookie))
            }
        };
        FormToken { token: hex(&mac(&nonce).finalize().into_bytes()), set_cookie }
    }

    /// Adds the cookie to a response, if the browser had none.
    pub fn attach(&self, mut response: Response) -> Response {
        if let Some(cookie) = &self.set_cookie
            && let Ok(value) = HeaderValue::from_str(cookie)
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    }
}

/// Whether `field` is the signature of the nonce in the request's cookie (compared in constant time).
pub fn verify(headers: &HeaderMap, field: &str) -> bool {
    let Some(nonce) = cookie_nonce(headers) else { return false };
    let Some(signature) = decode_hex(field) else { return false };
    mac(&nonce).verify_slice(&signature).is_ok()
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() != 64 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_own_cookie() {
        let fresh = FormToken::issue(&HeaderMap::new());
        let cookie = fresh.set_cookie.clone().unwrap();
        let nonce = cookie.split(';').next().unwrap().to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("sakshy_lang=kk; {nonce}")).unwrap());
        assert!(verify(&headers, &fresh.token));
        assert!(FormToken::issue(&headers).set_cookie.is_none(), "the nonce is reused");
        assert!(!verify(&headers, &"0".repeat(64)));
        assert!(!verify(&HeaderMap::new(), &fresh.token), "no cookie, no entry");
        let mut other = HeaderMap::new();
        other.insert(header::COOKIE, HeaderValue::from_str(&format!("sakshy_form={}", "a".repeat(64))).unwrap());
        assert!(!verify(&other, &fresh.token));
    }
}
