//! A small validator for the JSON Schema (draft 4) subset that the Open311 schemas of
//! `../shared/reference/open311-schema/` use. It refuses keywords it does not know, so that it cannot pass
//! a document by ignoring a rule.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The folder of the Open311 schemas, if this checkout has `../shared` beside it.
pub fn open311_schemas() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/reference/open311-schema");
    dir.is_dir().then_some(dir)
}

/// Validates `value` against the schema file `name` in `dir`; returns every violation with its JSON path.
pub fn validate(dir: &Path, name: &str, value: &Value) -> Vec<String> {
    let schema = load(dir, name);
    let mut errors = Vec::new();
    check(dir, &schema, value, "$", &mut errors);
    errors
}

fn load(dir: &Path, name: &str) -> Value {
    let text = std::fs::read_to_string(dir.join(name)).unwrap_or_else(|err| panic!("reading schema {name}: {err}"));
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("parsing schema {name}: {err}"))
}

fn type_matches(kind: &str, value: &Value) -> bool {
    match kind {
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => value.is_i64() || value.is_u64(),
        "null" => value.is_null(),
        other => panic!("unknown type {other}"),
    }
}

fn check(dir: &Path, schema: &Value, value: &Value, path: &str, errors: &mut Vec<String>) {
    let Some(rules) = schema.as_object() else { return };
    for (keyword, rule) in rules {
        match keyword.as_str() {
            "description" | "uniqueItems" | "$schema" | "title" | "id" => {}
            "$ref" => {
                let target = load(dir, rule.as_str().expect("a $ref is a file name"));
                check(dir, &target, value, path, errors);
            }
            "type" => {
                let ok = match rule {
                    Value::String(kind) => type_matches(kind, value),
                    Value::Array(kinds) => kinds.iter().any(|k| type_matches(k.as_str().unwrap(), value)),
                    _ => panic!("bad type rule"),
                };
                if !ok {
                    errors.push(format!("{path}: expected type {rule}, got {value}"));
                }
            }
            "required" => {
                for field in rule.as_array().unwrap() {
                    let field = field.as_str().unwrap();
                    if value.is_object() && value.get(field).is_none() {
                        errors.push(format!("{path}: missing required {field}"));
                    }
                }
            }
            "properties" => {
                if let Some(object) = value.as_object() {
                    for (field, sub) in rule.as_object().unwrap() {
                        if let Some(inner) = object.get(field) {
                            check(dir, sub, inner, &format!("{path}.{field}"), errors);
                        }
                    }
                }
            }
            "items" => {
                if let Some(items) = value.as_array() {
                    for (idx, item) in items.iter().enumerate() {
                        check(dir, rule, item, &format!("{path}[{idx}]"), errors);
                    }
                }
            }
            "minItems" => {
                if value.as_array().is_some_and(|items| (items.len() as u64) < rule.as_u64().unwrap()) {
                    errors.push(format!("{path}: fewer than {rule} items"));
                }
            }
            "anyOf" => {
                let passes = rule.as_array().unwrap().iter().any(|option| {
                    let mut inner = Vec::new();
                    check(dir, option, value, path, &mut inner);
                    inner.is_empty()
                });
                if !passes {
                    errors.push(format!("{path}: matches none of anyOf {rule}"));
                }
            }
            "enum" => {
                if !rule.as_array().unwrap().contains(value) {
                    errors.push(format!("{path}: {value} is not one of {rule}"));
                }
            }
            "maxLength" => {
                if value.as_str().is_some_and(|s| s.chars().count() as u64 > rule.as_u64().unwrap()) {
                    errors.push(format!("{path}: longer than {rule}"));
                }
            }
            "format" => {
                if let Some(text) = value.as_str() {
                    let ok = match rule.as_str().unwrap() {
                        "date-time" => chrono::DateTime::parse_from_rfc3339(text).is_ok(),
                        "uri" => text.starts_with("http://") || text.starts_with("https://") || text.starts_with('/'),
                        other => panic!("unknown format {other}"),
                    };
                    if !ok {
                        errors.push(format!("{path}: {text:?} is not a {rule}"));
                    }
                }
            }
            other => panic!("the schema uses {other:?}, which this validator does not check"),
        }
    }
}

#[test]
fn the_validator_rejects_what_the_schema_forbids() {
    let Some(dir) = open311_schemas() else { return };
    let good =
        serde_json::json!([{"service_code": "NOISE", "service_name": "Noise", "metadata": true, "type": "realtime"}]);
    assert!(validate(&dir, "services.json", &good).is_empty());
    let bad = serde_json::json!([{"service_code": 7, "service_name": "Noise", "metadata": "true", "type": "instant"}]);
    let errors = validate(&dir, "services.json", &bad);
    assert_eq!(errors.len(), 3, "{errors:#?}");
    let missing = serde_json::json!([{"service_name": "Noise", "metadata": true, "type": "realtime"}]);
    assert_eq!(validate(&dir, "services.json", &missing), ["$[0]: missing required service_code"]);
}
