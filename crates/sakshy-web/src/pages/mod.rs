//! Server-rendered HTML pages: the shared page context, the layout and the style sheet.
//!
//! # How a page is made
//!
//! 1. Write a template under `templates/` that starts with `{% extends "base.html" %}` and fills
//!    `{% block title %}` and `{% block main %}` (optionally `head`, `nav`, `footer`). Every string comes from
//!    Fluent: `{{ t("portal-title") }}`, or with one argument `{{ t1("portal-due", "date", due) }}`; numbers
//!    that need plural forms go through `{{ tn("portal-resolved", "count", n) }}`. Dates: `{{ date(ms) }}` and
//!    `{{ datetime(ms) }}` (epoch milliseconds, shown in the city's zone in the page's language).
//! 2. Declare the page struct with a `page: PageContext` field and let it reach the context's methods:
//!
//!    ```ignore
//!    #[derive(askama::Template)]
//!    #[template(path = "login.html")]
//!    struct LoginPage { page: PageContext, error: Option<String> }
//!    crate::pages::page_context!(LoginPage);
//!    ```
//!
//!    `page_context!` implements `Deref<Target = PageContext>`, which is how `t(..)` in a template (askama turns
//!    it into `self.t(..)`) finds the context.
//! 3. In the handler take `page: PageContext` as an extractor (it reads the language: `?lang=`, the
//!    `sakshy_lang` cookie, `Accept-Language`, then kk) and answer with `page.render(&LoginPage { page, .. })`
//!    (or [`render`]). When the language came from `?lang=`, the response sets the `sakshy_lang` cookie, so
//!    the switcher in the header works without JavaScript.
//! 4. Put the messages in `locales/{kk,ru,en}/main.ftl`, in your own block; a test fails if one language lacks
//!    a key.
//!
//! The style sheet `static/sakshy.css` is compiled into the binary and served at [`css_href`] with a content
//! hash in the URL and a year-long cache; pages load nothing else from anywhere.

pub(crate) mod appeal;
pub(crate) mod csrf;
pub(crate) mod find;
pub(crate) mod map;
pub(crate) mod quadrant;
pub(crate) mod track;

use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, TimeZone, Timelike};
use chrono_tz::Tz;
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::Lang;

use crate::AppState;
use crate::i18n::{negotiate_lang, text};

/// The style sheet, compiled in.
const CSS: &str = include_str!("../../static/sakshy.css");

/// FNV-1a over the style sheet, so that its URL changes whenever its content does.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
        i += 1;
    }
    hash
}

static CSS_HREF: LazyLock<String> = LazyLock::new(|| format!("/static/sakshy.css?v={:016x}", fnv1a(CSS.as_bytes())));

/// The URL of the style sheet, with its content hash.
pub fn css_href() -> &'static str {
    &CSS_HREF
}

/// The routes of every page: the style sheet and the resident portal.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/static/sakshy.css", get(serve_css))
        .merge(find::router())
        .merge(quadrant::router())
        .merge(appeal::router())
        .merge(track::router())
}

async fn serve_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable")),
        ],
        CSS,
    )
        .into_response()
}

/// A link of the language switcher.
#[derive(Debug, Clone)]
pub struct LangLink {
    /// The language code, `kk`, `ru` or `en`.
    pub code: &'static str,
    /// The language's name in itself.
    pub label: &'static str,
    /// The current page in that language.
    pub href: String,
    /// Whether this is the page's language.
    pub current: bool,
}

/// What every page knows: its language, its own address (for the language switcher), and the city's zone.
#[derive(Debug, Clone)]
pub struct PageContext {
    /// The page's language.
    pub lang: Lang,
    /// The request path, without the query.
    pub path: String,
    /// The query pairs other than `lang`, kept by the language switcher.
    query: Vec<(String, String)>,
    /// Whether the language came from `?lang=`; then the response sets the `sakshy_lang` cookie.
    lang_from_query: bool,
    /// The city's time zone (`Asia/Almaty` until a city is loaded).
    pub timezone: Tz,
    /// The city's name in the page's language (`—` until a city is loaded).
    pub city_name: String,
}

impl FromRequestParts<AppState> for PageContext {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = negotiate_lang(parts);
        let mut query = Vec::new();
        let mut lang_from_query = false;
        for (key, value) in form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes()) {
            if key == "lang" {
                lang_from_query |= value.parse::<Lang>().is_ok();
            } else {
                query.push((key.into_owned(), value.into_owned()));
            }
        }
        let registry = state.registry();
        Ok(PageContext {
            lang,
            path: parts.uri.path().to_owned(),
            query,
            lang_from_query,
            timezone: registry.as_ref().map_or(chrono_tz::Asia::Almaty, |r| r.city.timezone),
            city_name: registry.as_ref().map_or_else(|| "—".to_owned(), |r| r.city.name.get(lang).to_owned()),
        })
    }
}

impl PageContext {
    /// A context for a page at `path` in `lang`, for pages built outside a request (tests, errors).
    pub fn new(lang: Lang, path: &str, timezone: Tz, city_name: String) -> PageContext {
        PageContext { lang, path: path.to_owned(), query: Vec::new(), lang_from_query: false, timezone, city_name }
    }

    /// The page language's code, for `<html lang>`.
    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The style sheet's URL.
    pub fn css_href(&self) -> &'static str {
        css_href()
    }

    /// The message `key` in the page's language.
    pub fn t(&self, key: &str) -> String {
        text(self.lang, key, &[])
    }

    /// The message `key` with one text argument.
    pub fn t1(&self, key: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        text(self.lang, key, &[(name, FluentValue::from(value.to_string()))])
    }

    /// The message `key` with one number argument (for plural forms).
    pub fn tn(&self, key: &str, name: &'static str, value: impl Into<i64> + Copy) -> String {
        text(self.lang, key, &[(name, FluentValue::from(value.into()))])
    }

    /// The message `key` with arguments, for handlers.
    pub fn tr(&self, key: &str, args: &[(&'static str, FluentValue<'static>)]) -> String {
        text(self.lang, key, args)
    }

    /// The language switcher: this page in each language, keeping the other query parameters.
    pub fn lang_links(&self) -> Vec<LangLink> {
        Lang::ALL
            .iter()
            .map(|&other| {
                let mut query = form_urlencoded::Serializer::new(String::new());
                for (key, value) in &self.query {
                    query.append_pair(key, value);
                }
                query.append_pair("lang", other.code());
                LangLink {
                    code: other.code(),
                    label: match other {
                        Lang::Kk => "Қазақша",
                        Lang::Ru => "Русский",
                        Lang::En => "English",
                    },
                    href: format!("{}?{}", self.path, query.finish()),
                    current: other == self.lang,
                }
            })
            .collect()
    }

    /// A day (epoch milliseconds) in the city's zone, in the page's language: `2026 жылғы 1 желтоқсан`,
    /// `1 декабря 2026 г.`, `1 December 2026`.
    pub fn date(&self, epoch_ms: &i64) -> String {
        let Some(local) = self.timezone.timestamp_millis_opt(*epoch_ms).single() else { return String::new() };
        self.day(&local.date_naive())
    }

    /// A calendar day in the page's language, as [`PageContext::date`] writes it.
    pub fn day(&self, date: &chrono::NaiveDate) -> String {
        let (day, month, year) = (date.day(), date.month0() as usize, date.year());
        match self.lang {
            Lang::Kk => format!("{year} жылғы {day} {}", MONTHS_KK[month]),
            Lang::Ru => format!("{day} {} {year} г.", MONTHS_RU[month]),
            Lang::En => format!("{day} {} {year}", MONTHS_EN[month]),
        }
    }

    /// A moment (epoch milliseconds) in the city's zone: the day as in [`PageContext::date`] and the time (24 h).
    pub fn datetime(&self, epoch_ms: &i64) -> String {
        let Some(local) = self.timezone.timestamp_millis_opt(*epoch_ms).single() else { return String::new() };
        format!("{}, {:02}:{:02}", self.date(epoch_ms), local.hour(), local.minute())
    }

    /// Renders a page; sets the language cookie when the language came from `?lang=`.
    pub fn render(&self, page: &impl Template) -> Response {
        self.render_with_status(StatusCode::OK, page)
    }

    /// Renders a page with a status (e.g. 422 for a form shown again with its errors).
    pub fn render_with_status(&self, status: StatusCode, page: &impl Template) -> Response {
        let mut response = render(status, page);
        if self.lang_from_query {
            let cookie = format!("sakshy_lang={}; Path=/; Max-Age=31536000; SameSite=Lax", self.lang.code());
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
        }
        response
    }
}

/// Lets a page struct with a `page: PageContext` field reach the context's methods from its template.
macro_rules! page_context {
    ($page:ty) => {
        impl std::ops::Deref for $page {
            type Target = $crate::pages::PageContext;
            fn deref(&self) -> &$crate::pages::PageContext {
                &self.page
            }
        }
    };
}
pub(crate) use page_context;

/// Renders a template as an HTML response; a rendering failure is a 500 with no internal text (the cause is
/// logged once by the request middleware).
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(err) => internal_error(&err),
    }
}

/// A bare 500 page that names no cause; the cause goes to the log through the response extensions.
pub fn internal_error(err: &dyn std::error::Error) -> Response {
    let mut response = (
        StatusCode::INTERNAL_SERVER_ERROR,
        Html(
            "<!doctype html><html lang=\"kk\"><head><meta charset=\"utf-8\"><title>500</title></head>\
<body><main><h1>500</h1><p>Қате орын алды. Произошла ошибка. Something went wrong.</p></main></body></html>",
        ),
    )
        .into_response();
    response.extensions_mut().insert(crate::error::InternalErrorReport(err.to_string()));
    response
}

/// A page that says something went wrong or was not found, in the page's language.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// The shared context.
    pub page: PageContext,
    /// The heading.
    pub heading: String,
    /// The explanation.
    pub message: String,
}
page_context!(MessagePage);

impl PageContext {
    /// A page with a heading and a message, with a status (404, 422, 503…).
    pub fn message(self, status: StatusCode, heading: String, message: String) -> Response {
        let page = MessagePage { page: self, heading, message };
        page.page.render_with_status(status, &page)
    }

    /// The 503 page before any city is loaded.
    pub fn no_city(self) -> Response {
        let heading = self.t("portal-unavailable");
        let message = self.t("error-no-city");
        self.message(StatusCode::SERVICE_UNAVAILABLE, heading, message)
    }
}

const MONTHS_KK: [&str; 12] = [
    "қаңтар",
    "ақпан",
    "наурыз",
    "сәуір",
    "мамыр",
    "маусым",
    "шілде",
    "тамыз",
    "қыркүйек",
    "қазан",
    "қараша",
    "желтоқсан",
];
const MONTHS_RU: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_in_the_city_zone_and_the_page_language() {
        // 2026-11-30T19:30:00Z is 1 December, 00:30 in Asia/Almaty (UTC+5).
        let ms = 1_796_067_000_000;
        let page = |lang| PageContext::new(lang, "/", chrono_tz::Asia::Almaty, "Шымкент".into());
        assert_eq!(page(Lang::Kk).datetime(&ms), "2026 жылғы 1 желтоқсан, 00:30");
        assert_eq!(page(Lang::Ru).date(&ms), "1 декабря 2026 г.");
        assert_eq!(page(Lang::En).date(&ms), "1 December 2026");
    }

    #[test]
    fn the_switcher_keeps_the_query() {
        let mut page = PageContext::new(Lang::Ru, "/", chrono_tz::Asia::Almaty, String::new());
        page.query.push(("q".into(), "Байтұрсынов".into()));
        let links = page.lang_links();
        assert_eq!(links[0].href, "/?q=%D0%91%D0%B0%D0%B9%D1%82%D2%B1%D1%80%D1%81%D1%8B%D0%BD%D0%BE%D0%B2&lang=kk");
        assert!(links[1].current);
    }
}
