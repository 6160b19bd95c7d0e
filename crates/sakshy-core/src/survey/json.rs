//! The instrument's JSON file format, read and written through private records so that a field rename in the
//! domain types never changes the file format.
//!
//! ```json
//! { "code": "service-model", "version": "2026-1", "default_lang": "kk",
//!   "title": { "kk": "…", "ru": "…", "en": "…" },
//!   "items": [ { "name": "victim", "type": "yes_no", "label": {…}, "required": true },
//!              { "name": "reported", "type": "yes_no", "label": {…}, "relevant": "${victim} = 'yes'" } ],
//!   "choice_lists": { "trust5": [ { "name": "1", "label": {…} } ] },
//!   "indices": [ { "code": "trust_police", "label": {…}, "items": [ { "name": "trust_police" } ], "min_answered": 1 } ] }
//! ```
//!
//! Item types: `note`, `single`, `multiple`, `likert` (with `list`), `yes_no`, `integer`, `decimal` (with optional
//! `min`, `max`), `text` (with `max_chars`), `quadrant`, `location`; `role`: `quadrant`, `location`, `age_band`,
//! `sex`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{
    Choice, DEFAULT_TEXT_MAX_CHARS, Expr, FormProblem, FormProblemKind, IndexItem, IndexSpec, Instrument, Item,
    ItemKind, ItemRole,
};
use crate::lang::{Lang, Localized};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentRecord {
    code: String,
    version: String,
    title: TextRecord,
    default_lang: String,
    items: Vec<ItemRecord>,
    #[serde(default)]
    choice_lists: BTreeMap<String, Vec<ChoiceRecord>>,
    #[serde(default)]
    indices: Vec<IndexRecord>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TextRecord {
    #[serde(default)]
    kk: String,
    #[serde(default)]
    ru: String,
    #[serde(default)]
    en: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ItemRecord {
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    list: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max: Option<serde_json::Number>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    max_chars: Option<usize>,
    label: TextRecord,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    hint: Option<TextRecord>,
    #[serde(default, skip_serializing_if = "is_false")]
    required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    relevant: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    role: Option<String>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ChoiceRecord {
    name: String,
    label: TextRecord,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexRecord {
    code: String,
    label: TextRecord,
    items: Vec<IndexItemRecord>,
    min_answered: usize,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexItemRecord {
    name: String,
    #[serde(default, skip_serializing_if = "is_false")]
    reversed: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

fn text_record(text: &Localized) -> TextRecord {
    TextRecord { kk: text.kk().to_owned(), ru: text.ru().to_owned(), en: text.en().to_owned() }
}

/// Collects problems while converting records, each in a section (`sheet`) with an item and a field.
struct Reader {
    problems: Vec<FormProblem>,
}

impl Reader {
    fn problem(&mut self, sheet: &str, item: Option<&str>, column: &str, kind: FormProblemKind) {
        self.problems.push(FormProblem::new(sheet, item, Some(column), kind));
    }

    fn text(&mut self, sheet: &str, item: Option<&str>, field: &str, text: &TextRecord) -> Option<Localized> {
        let mut ok = true;
        for (lang, value) in [(Lang::Kk, &text.kk), (Lang::Ru, &text.ru), (Lang::En, &text.en)] {
            if value.trim().is_empty() {
                self.problem(sheet, item, &format!("{field}::{lang}"), FormProblemKind::MissingLanguage { lang });
                ok = false;
            }
        }
        if ok { Localized::new(&text.kk, &text.ru, &text.en).ok() } else { None }
    }

    fn item(&mut self, record: &ItemRecord) -> Option<Item> {
        let name = record.name.as_str();
        let label = self.text("survey", Some(name), "label", &record.label);
        let hint = match &record.hint {
            Some(hint) => self.text("survey", Some(name), "hint", hint).map(Some),
            None => Some(None),
        };
        let list = || record.list.clone().unwrap_or_default();
        let int = |n: &Option<serde_json::Number>| n.as_ref().map(|n| n.as_i64().ok_or(()));
        let float = |n: &Option<serde_json::Number>| n.as_ref().map(|n| n.as_f64().ok_or(()));
        let kind = match record.kind.as_str() {
            "note" => Some(ItemKind::Note),
            "single" => Some(ItemKind::SingleChoice { list: list() }),
            "multiple" => Some(ItemKind::MultipleChoice { list: list() }),
            "likert" => Some(ItemKind::Likert { list: list() }),
            "yes_no" => Some(ItemKind::YesNo),
            "integer" => match (int(&record.min).transpose(), int(&record.max).transpose()) {
                (Ok(min), Ok(max)) => Some(ItemKind::Integer { min, max }),
                _ => {
                    let value = format!("{:?}/{:?}", record.min, record.max);
                    self.problem("survey", Some(name), "min", FormProblemKind::NotANumber { value });
                    None
                }
            },
            "decimal" => match (float(&record.min).transpose(), float(&record.max).transpose()) {
                (Ok(min), Ok(max)) => Some(ItemKind::Decimal { min, max }),
                _ => None,
            },
            "text" => Some(ItemKind::Text { max_chars: record.max_chars.unwrap_or(DEFAULT_TEXT_MAX_CHARS) }),
            "quadrant" => Some(ItemKind::Quadrant),
            "location" => Some(ItemKind::Location),
            other => {
                self.problem(
                    "survey",
                    Some(name),
                    "type",
                    FormProblemKind::UnsupportedType { type_name: other.to_owned() },
                );
                None
            }
        };
        if kind.as_ref().is_some_and(|kind| kind.list().is_some()) && record.list.is_none() {
            self.problem("survey", Some(name), "list", FormProblemKind::Missing);
        }
        let relevant = match record.relevant.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(None),
            Some(source) => match Expr::parse(source) {
                Ok(expr) => Some(Some(expr)),
                Err(error) => {
                    self.problem("survey", Some(name), "relevant", FormProblemKind::BadRelevance { error });
                    None
                }
            },
        };
        let role = match record.role.as_deref() {
            None => Some(None),
            Some(value) => match ItemRole::parse(value) {
                Some(role) => Some(Some(role)),
                None => {
                    self.problem(
                        "survey",
                        Some(name),
                        "role",
                        FormProblemKind::UnknownRole { value: value.to_owned() },
                    );
                    None
                }
            },
        };
        Some(Item {
            name: name.to_owned(),
            kind: kind?,
            label: label?,
            hint: hint?,
            required: record.required,
            relevant: relevant?,
            role: role?,
        })
    }
}

impl Instrument {
    /// Reads an instrument from its JSON file and validates it ([`Instrument::validate`]).
    ///
    /// # Errors
    ///
    /// Every problem found: unreadable JSON (section `file`), missing languages, unknown types and roles,
    /// unparsable relevance, and then everything [`Instrument::validate`] finds.
    pub fn from_json(text: &str) -> Result<Instrument, Vec<FormProblem>> {
        let record: InstrumentRecord = serde_json::from_str(text).map_err(|error| {
            let mut problem =
                FormProblem::new("file", None, None, FormProblemKind::Unreadable { message: error.to_string() });
            problem.row = Some(error.line());
            vec![problem]
        })?;
        let mut reader = Reader { problems: Vec::new() };
        let title = reader.text("settings", None, "form_title", &record.title);
        let default_lang = match record.default_lang.parse::<Lang>() {
            Ok(lang) => Some(lang),
            Err(_) => {
                reader.problem(
                    "settings",
                    None,
                    "default_language",
                    FormProblemKind::UnknownLanguage { column: record.default_lang.clone() },
                );
                None
            }
        };
        let items: Vec<Option<Item>> = record.items.iter().map(|item| reader.item(item)).collect();
        let mut choice_lists = BTreeMap::new();
        for (list, choices) in &record.choice_lists {
            let choices: Vec<Option<Choice>> = choices
                .iter()
                .map(|choice| {
                    let label = reader.text("choices", Some(list), "label", &choice.label)?;
                    Some(Choice { name: choice.name.clone(), label })
                })
                .collect();
            choice_lists.insert(list.clone(), choices);
        }
        let indices: Vec<Option<IndexSpec>> = record
            .indices
            .iter()
            .map(|index| {
                let label = reader.text("indices", Some(&index.code), "label", &index.label)?;
                Some(IndexSpec {
                    code: index.code.clone(),
                    label,
                    items: index
                        .items
                        .iter()
                        .map(|item| IndexItem { name: item.name.clone(), reversed: item.reversed })
                        .collect(),
                    min_answered: index.min_answered,
                })
            })
            .collect();
        if !reader.problems.is_empty() {
            return Err(reader.problems);
        }
        let (Some(title), Some(default_lang)) = (title, default_lang) else { return Err(reader.problems) };
        let instrument = Instrument {
            code: record.code,
            version: record.version,
            title,
            default_lang,
            items: items.into_iter().flatten().collect(),
            choice_lists: choice_lists.into_iter().map(|(k, v)| (k, v.into_iter().flatten().collect())).collect(),
            indices: indices.into_iter().flatten().collect(),
        };
        instrument.validate()?;
        Ok(instrument)
    }

    /// Writes the instrument as its JSON file: pretty-printed, fields in a fixed order, so that
    /// [`Instrument::from_json`] reads back an equal instrument and writing it again gives the same text.
    pub fn to_json(&self) -> String {
        let number = |n: f64| serde_json::Number::from_f64(n);
        let items = self
            .items
            .iter()
            .map(|item| {
                let (list, min, max, max_chars) = match &item.kind {
                    ItemKind::SingleChoice { list } | ItemKind::MultipleChoice { list } | ItemKind::Likert { list } => {
                        (Some(list.clone()), None, None, None)
                    }
                    ItemKind::Integer { min, max } => (None, min.map(Into::into), max.map(Into::into), None),
                    ItemKind::Decimal { min, max } => (None, min.and_then(number), max.and_then(number), None),
                    ItemKind::Text { max_chars } => (None, None, None, Some(*max_chars)),
                    _ => (None, None, None, None),
                };
                ItemRecord {
                    name: item.name.clone(),
                    kind: item.kind.as_str().to_owned(),
                    list,
                    min,
                    max,
                    max_chars,
                    label: text_record(&item.label),
                    hint: item.hint.as_ref().map(text_record),
                    required: item.required,
                    relevant: item.relevant.as_ref().map(|expr| expr.source().to_owned()),
                    role: item.role.map(|role| role.as_str().to_owned()),
                }
            })
            .collect();
        let record = InstrumentRecord {
            code: self.code.clone(),
            version: self.version.clone(),
            title: text_record(&self.title),
            default_lang: self.default_lang.code().to_owned(),
            items,
            choice_lists: self
                .choice_lists
                .iter()
                .map(|(list, choices)| {
                    let choices = choices
                        .iter()
                        .map(|choice| ChoiceRecord { name: choice.name.clone(), label: text_record(&choice.label) })
                        .collect();
                    (list.clone(), choices)
                })
                .collect(),
            indices: self
                .indices
                .iter()
                .map(|index| IndexRecord {
                    code: index.code.clone(),
                    label: text_record(&index.label),
                    items: index
                        .items
                        .iter()
                        .map(|item| IndexItemRecord { name: item.name.clone(), reversed: item.reversed })
                        .collect(),
                    min_answered: index.min_answered,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&record).unwrap_or_else(|_| unreachable!("records serialise"));
        text.push('\n');
        text
    }
}
