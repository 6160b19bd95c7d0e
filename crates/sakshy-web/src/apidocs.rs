//! `/api/docs`: the API's documentation as a page of this server, read from the embedded OpenAPI description —
//! no Swagger UI bundle and nothing fetched from the internet, so it works on a closed network. It must not
//! describe anything the OpenAPI document does not: the document stays the one source.

use std::sync::LazyLock;

use askama::Template;
use axum::Router;
use axum::response::Response;
use axum::routing::get;
use serde_json::Value;

use crate::AppState;
use crate::pages::PageContext;

/// The routes: the documentation page.
pub(crate) fn router() -> Router<AppState> {
    Router::new().route("/api/docs", get(show_docs))
}

/// One method on one path.
#[derive(Debug, Clone)]
struct Operation {
    method: String,
    path: String,
    /// A fragment id for the table of contents.
    anchor: String,
    summary: String,
    description: String,
    /// Whether it needs a bearer token.
    auth: bool,
    parameters: Vec<Parameter>,
    responses: Vec<Answer>,
}

#[derive(Debug, Clone)]
struct Parameter {
    name: String,
    location: String,
    required: bool,
    description: String,
}

#[derive(Debug, Clone)]
struct Answer {
    status: String,
    description: String,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    page: PageContext,
    description: String,
    operations: &'static [Operation],
}
crate::pages::page_context!(ApiDocsPage);

/// The operations of the embedded OpenAPI document, in its order of paths, read once.
static OPERATIONS: LazyLock<(String, Vec<Operation>)> = LazyLock::new(|| {
    let document: Value = serde_json::from_str(crate::health::OPENAPI).expect("the embedded OpenAPI document is JSON");
    (document["info"]["description"].as_str().unwrap_or_default().to_owned(), operations(&document))
});

/// Lists every operation of an OpenAPI 3 document: path-level parameters merged into each method's.
fn operations(document: &Value) -> Vec<Operation> {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let global_auth = document["security"].as_array().is_some_and(|s| !s.is_empty());
    let mut list = Vec::new();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        let shared = item["parameters"].as_array().cloned().unwrap_or_default();
        for method in ["get", "put", "post", "patch", "delete"] {
            let Some(op) = item.get(method) else { continue };
            let parameters = shared
                .iter()
                .chain(op["parameters"].as_array().into_iter().flatten())
                .map(|p| resolve(document, p))
                .map(|p| Parameter {
                    name: text(&p["name"]),
                    location: text(&p["in"]),
                    required: p["required"].as_bool().unwrap_or(false),
                    description: text(&p["description"]),
                })
                .collect();
            let responses = op["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, answer)| Answer {
                    status: status.clone(),
                    description: text(&resolve(document, answer)["description"]),
                })
                .collect();
            let auth = op.get("security").map_or(global_auth, |s| s.as_array().is_some_and(|s| !s.is_empty()));
            let anchor = format!("{method}-{}", path.trim_matches('/').replace(['/', '{', '}', '.'], "-"));
            list.push(Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                anchor,
                summary: text(&op["summary"]),
                description: text(&op["description"]),
                auth,
                parameters,
                responses,
            });
        }
    }
    list
}

/// Follows a local `$ref` (`#/components/…`), once.
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => document.pointer(pointer).unwrap_or(value),
        None => value,
    }
}

async fn show_docs(page: PageContext) -> Response {
    let (description, operations) = &*OPERATIONS;
    page.clone().render(&ApiDocsPage { page, description: description.clone(), operations })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_path_of_the_document_is_documented_with_its_parameters() {
        let (_, operations) = &*OPERATIONS;
        let document: Value = serde_json::from_str(crate::health::OPENAPI).unwrap();
        let paths = document["paths"].as_object().unwrap();
        for path in paths.keys() {
            assert!(operations.iter().any(|op| &op.path == path), "{path} is missing");
        }
        let locate = operations.iter().find(|op| op.path == "/api/v1/locate" && op.method == "GET").unwrap();
        let names: Vec<_> = locate.parameters.iter().map(|p| (p.name.as_str(), p.required)).collect();
        assert_eq!(names, [("lat", true), ("lon", true), ("limit", false), ("lang", false)]);
        assert!(locate.responses.iter().any(|r| r.status == "404" && r.description.starts_with("Outside every")));
    }
}
