//! `GET /`: a small landing page in the request's language that says what this instance serves and where
//! its open API is. The resident portal and staff console are separate pages.

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::{GeometryStatus, Lang, Level};

use crate::AppState;
use crate::i18n::{RequestLang, text};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(show_index))
}

/// Escapes text for HTML content and attribute values.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

async fn show_index(State(state): State<AppState>, RequestLang(lang): RequestLang) -> Html<String> {
    let registry = state.registry();
    let city = registry.as_ref().map_or_else(|| "—".to_owned(), |r| r.city.name.get(lang).to_owned());
    let illustrative = registry
        .as_ref()
        .is_some_and(|r| r.level(Level::Quadrant).any(|v| v.territory.status() == GeometryStatus::Illustrative));
    let t = |key: &str| escape(&text(lang, key, &[]));
    let languages: String = Lang::ALL
        .iter()
        .map(|other| {
            let current = if *other == lang { " aria-current=\"true\"" } else { "" };
            format!(
                "<a href=\"/?lang={code}\" hreflang=\"{code}\" lang=\"{code}\"{current}>{code}</a>",
                code = other.code()
            )
        })
        .collect::<Vec<_>>()
        .join(" · ");
    let notice = if illustrative {
        format!("<p role=\"note\"><strong>{}</strong></p>", t("index-illustrative"))
    } else {
        String::new()
    };
    let links =
        ["/api/v1/districts", "/api/v1/quadrants", "/api/v1/points", "/api/v1/agencies", "/api/v1/openapi.json"]
            .iter()
            .map(|href| format!("<li><a href=\"{href}\"><code>{href}</code></a></li>"))
            .collect::<String>();
    Html(format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:40rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#1a1a1a}}\
label{{display:block;margin-top:.5rem}}input{{font-size:1rem;padding:.3rem}}button{{margin-top:.5rem;font-size:1rem;padding:.3rem 1rem}}</style></head>\
<body><nav aria-label=\"language\">{languages}</nav><main><h1>{title}</h1><p>{intro}</p>{notice}\
<form method=\"get\" action=\"/api/v1/locate\"><h2>{locate}</h2><input type=\"hidden\" name=\"lang\" value=\"{code}\">\
<label for=\"lat\">{lat}</label><input id=\"lat\" name=\"lat\" inputmode=\"decimal\" value=\"42.29871\" required>\
<label for=\"lon\">{lon}</label><input id=\"lon\" name=\"lon\" inputmode=\"decimal\" value=\"69.61030\" required>\
<div><button type=\"submit\">{submit}</button></div></form><h2>{api}</h2><ul>{links}</ul></main></body></html>\n",
        code = lang.code(),
        title = t("app-title"),
        intro = escape(&text(lang, "index-intro", &[("city", FluentValue::from(city))])),
        locate = t("index-locate"),
        lat = t("index-lat"),
        lon = t("index-lon"),
        submit = t("index-submit"),
        api = t("index-api"),
    ))
}
