//! Translations (Fluent, CLDR plurals) and the choice of language for a request.
//!
//! Order of choice: the `lang` query parameter, the `sakshy_lang` cookie, `Accept-Language`, then the
//! city's default. Message files live in `locales/{kk,ru,en}/main.ftl`, compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};
use sakshy_core::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "kk",
        // Bidi isolation marks would break string comparisons and HTML attributes; all three languages are LTR.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

fn identifier(lang: Lang) -> LanguageIdentifier {
    match lang {
        Lang::Kk => langid!("kk"),
        Lang::Ru => langid!("ru"),
        Lang::En => langid!("en"),
    }
}

/// The message `key` in `lang`, with arguments.
pub fn text(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
    let args: HashMap<Cow<'static, str>, FluentValue<'static>> =
        args.iter().map(|(name, value)| (Cow::Borrowed(*name), value.clone())).collect();
    LOCALES.lookup_complete(&identifier(lang), key, Some(&args))
}

/// Every message key of a language, for completeness tests.
#[doc(hidden)]
pub fn has_message(lang: Lang, key: &str) -> bool {
    // Every variable the messages use gets a value, so that a lookup fails only when the message is missing
    // from this language (no fallback) or uses a variable this list does not know. From "line" on, the variables
    // of import problems (`problems.rs`).
    let args: HashMap<&str, FluentValue<'_>> = [
        "field",
        "value",
        "min",
        "max",
        "quadrant",
        "distance",
        "what",
        "detail",
        "city",
        "numbers",
        "chars",
        "role",
        "scope",
        "receipt",
        "actor",
        "action",
        "agency",
        "state",
        "due",
        "current",
        "limit",
        "date",
        "kind",
        "comment",
        "line",
        "column",
        "index",
        "code",
        "first",
        "second",
        "file",
        "stored",
        "parent",
        "level",
        "outside",
        "swapped",
        "other",
        "overlap",
        "gap",
        "found",
        "expected",
        "type",
        "at",
        "polygon",
        "ring",
        "lon",
        "lat",
        "rule",
        "day",
        "lang",
        "char",
        "category",
        "district",
        "replaces",
        "points",
        // The resident portal (`pages/`).
        "count",
        // Administration and analytics pages.
        "added",
        "changed",
        "unchanged",
        "number",
        "percent",
        "days",
        "from",
        "to",
        "bandwidth",
        "year",
        // Surveys and the pilot evaluation.
        "bad",
        "buffer",
        "codes",
        "columns",
        "control",
        "controls",
        "deff",
        "estimate",
        "good",
        "group",
        "high",
        "indices",
        "inserted",
        "instrument",
        "issued",
        "items",
        "low",
        "margins",
        "method",
        "metres",
        "months",
        "outcome",
        "p",
        "page",
        "pages",
        "pilot",
        "pilots",
        "present",
        "refused",
        "start",
        "status",
        "used",
        "version",
        "wave",
    ]
    .into_iter()
    .map(|name| (name, FluentValue::from("x")))
    .collect();
    LOCALES.lookup_single_language(&identifier(lang), key, Some(&args)).is_ok()
}

/// The message `key` in `lang` alone (no fallback to another language), or `None` if it is missing there or
/// cannot be formatted with these arguments (e.g. it uses a variable they do not give).
#[cfg(test)]
pub(crate) fn text_strict(lang: Lang, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> Option<String> {
    let args: HashMap<&str, FluentValue<'_>> = args.iter().map(|(name, value)| (*name, value.clone())).collect();
    LOCALES.lookup_single_language(&identifier(lang), key, Some(&args)).ok()
}

/// The language chosen for a request, by the order in the module docs (the city's default is `kk` until a
/// city says otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(RequestLang(negotiate(parts).unwrap_or_default()))
    }
}

/// The language of a request, by the order in the module docs (kk when nothing says otherwise).
pub fn negotiate_lang(parts: &Parts) -> Lang {
    negotiate(parts).unwrap_or_default()
}

fn negotiate(parts: &Parts) -> Option<Lang> {
    let from_query = parts.uri.query().and_then(|query| {
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "lang")
            .and_then(|(_, v)| v.parse().ok())
    });
    let from_cookie = || {
        parts.headers.get_all(axum::http::header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
            cookies
                .split(';')
                .filter_map(|c| c.trim().split_once('='))
                .find(|(name, _)| *name == "sakshy_lang")
                .and_then(|(_, value)| value.parse().ok())
        })
    };
    let from_header = || {
        let header = parts.headers.get(axum::http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        accept_language(header)
    };
    from_query.or_else(from_cookie).or_else(from_header)
}

/// The best of kk/ru/en in an `Accept-Language` header, by quality; `None` if none is acceptable.
pub fn accept_language(header: &str) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for item in header.split(',') {
        let mut parts = item.trim().split(';');
        let tag = parts.next().unwrap_or("").trim();
        let primary = tag.split('-').next().unwrap_or("");
        let quality =
            parts.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
        if let Ok(lang) = primary.parse::<Lang>()
            && quality > 0.0
            && best.is_none_or(|(q, _)| quality > q)
        {
            best = Some((quality, lang));
        }
    }
    best.map(|(_, lang)| lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_takes_the_best_supported_quality() {
        assert_eq!(accept_language("de-DE,ru;q=0.8,en;q=0.9"), Some(Lang::En));
        assert_eq!(accept_language("ru-RU, kk;q=0.5"), Some(Lang::Ru));
        assert_eq!(accept_language("de, fr;q=0.5"), None);
        assert_eq!(accept_language("en;q=0, kk;q=0.1"), Some(Lang::Kk));
    }

    /// The message keys of a Fluent file.
    fn keys(ftl: &str) -> Vec<&str> {
        ftl.lines()
            .filter(|line| !line.starts_with(' ') && !line.starts_with('#'))
            .filter_map(|line| line.split_once(" = ").map(|(key, _)| key.trim()))
            .collect()
    }

    #[test]
    fn every_message_exists_in_every_language() {
        let files = [
            include_str!("../locales/kk/main.ftl"),
            include_str!("../locales/ru/main.ftl"),
            include_str!("../locales/en/main.ftl"),
        ];
        let all: std::collections::BTreeSet<&str> = files.iter().flat_map(|f| keys(f)).collect();
        assert!(all.len() >= 15);
        for lang in Lang::ALL {
            for key in &all {
                assert!(has_message(lang, key), "{key} missing in {lang}");
            }
        }
        assert!(!has_message(Lang::En, "no-such-message"));
    }

    #[test]
    fn messages_take_arguments() {
        let args = [("field", FluentValue::from("lat"))];
        assert_eq!(text(Lang::Kk, "error-missing-field", &args), "«lat» өрісі міндетті.");
        assert_eq!(text(Lang::En, "error-missing-field", &args), "The field \"lat\" is required.");
    }
}
