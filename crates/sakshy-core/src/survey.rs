//! Surveys: questionnaire instruments, their XLSForm import, answer checking with skip logic, the reading of
//! responses exported from `KoboToolbox`/ODK, population margins, and the scrubbing of open text.
//!
//! An [`Instrument`] is a list of [`Item`]s (questions and notes) with their texts in Kazakh, Russian and English,
//! the choice lists they use, and the [`IndexSpec`]s (trust, safety, …) that the analyses compute from them. It
//! is read from its JSON file ([`Instrument::from_json`]) or from an XLSForm workbook ([`parse_xlsform`]), and
//! checked as a whole by [`Instrument::validate`]. A response is a map of raw ODK-style values ([`Answers`]),
//! checked by [`Instrument::check`], which drops what skip logic makes irrelevant, as ODK does.
//!
//! Everything here is pure: values in, values out; problems are structured values that the web localises.

use std::collections::BTreeMap;
use std::fmt;

use crate::lang::{Lang, Localized};

mod check;
mod expr;
mod json;
mod problem;
mod responses;
mod scrub;
mod xlsform;

#[cfg(test)]
mod tests;

pub use expr::{Expr, ExprError, ExprErrorKind};
pub use problem::{AnswerProblem, AnswerProblemKind, FormProblem, FormProblemKind};
pub use responses::{
    FileProblem, ImportedResponse, MarginProblem, MarginProblemKind, PopulationCell, ResponsesFile, RowProblem,
    RowProblemKind, parse_margins_csv, parse_responses_csv, unknown_districts,
};
pub use scrub::{Scrubbed, scrub_text};
pub use xlsform::parse_xlsform;

/// A response: item name → raw ODK-style value.
///
/// Multi-select: space-separated choice names; geopoint: `lat lon[ alt acc]`; yes/no: `yes`/`no`; Likert: the
/// choice name (`1`..`5` in the default instrument); numbers as text.
pub type Answers = BTreeMap<String, String>;

/// The longest open text accepted when an instrument does not say, in characters.
pub const DEFAULT_TEXT_MAX_CHARS: usize = 1000;

/// The default service-model instrument, as shipped in `data/surveys/service-model.json`.
const DEFAULT_INSTRUMENT_JSON: &str = include_str!("../../../data/surveys/service-model.json");

/// The default service-model instrument (`service-model`, version `2026-1`).
///
/// # Panics
///
/// Never in a released build: a test reads the shipped file and validates it.
pub fn default_instrument() -> Instrument {
    match Instrument::from_json(DEFAULT_INSTRUMENT_JSON) {
        Ok(instrument) => instrument,
        Err(problems) => panic!("the shipped service-model instrument is invalid: {problems:?}"),
    }
}

/// A questionnaire: its items, choice lists and indices, with texts in three languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Instrument {
    /// The instrument's code, e.g. `service-model` (XLSForm `form_id`).
    pub code: String,
    /// Its version, e.g. `2026-1`.
    pub version: String,
    /// Its title.
    pub title: Localized,
    /// The language the form is written in first (XLSForm `default_language`).
    pub default_lang: Lang,
    /// The items in the order they are asked.
    pub items: Vec<Item>,
    /// The choice lists by name.
    pub choice_lists: BTreeMap<String, Vec<Choice>>,
    /// The indices computed from the items.
    pub indices: Vec<IndexSpec>,
}

/// One question or note.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// The name answers are keyed by.
    pub name: String,
    /// What kind of answer it takes.
    pub kind: ItemKind,
    /// The question's text.
    pub label: Localized,
    /// An optional hint shown under the question.
    pub hint: Option<Localized>,
    /// Whether an answer is required when the item is relevant.
    pub required: bool,
    /// When the item is asked; `None`: always.
    pub relevant: Option<Expr>,
    /// What the item tells about the respondent, if anything.
    pub role: Option<ItemRole>,
}

/// The kind of answer an item takes.
#[derive(Debug, Clone, PartialEq)]
pub enum ItemKind {
    /// A text shown, no answer.
    Note,
    /// One choice from a list.
    SingleChoice {
        /// The choice list's name.
        list: String,
    },
    /// Any number of choices from a list.
    MultipleChoice {
        /// The choice list's name.
        list: String,
    },
    /// One point of an ordered scale; the k-th choice of n is worth k.
    Likert {
        /// The choice list's name.
        list: String,
    },
    /// Yes or no (`yes`, `no`).
    YesNo,
    /// A whole number.
    Integer {
        /// The smallest accepted.
        min: Option<i64>,
        /// The largest accepted.
        max: Option<i64>,
    },
    /// A number.
    Decimal {
        /// The smallest accepted.
        min: Option<f64>,
        /// The largest accepted.
        max: Option<f64>,
    },
    /// Free text.
    Text {
        /// The longest accepted, in characters.
        max_chars: usize,
    },
    /// A quadrant chosen by its territory code (the caller checks the registry).
    Quadrant,
    /// A place: `lat lon[ alt acc]` (ODK geopoint).
    Location,
}

impl ItemKind {
    /// The choice list the kind uses, if any.
    pub fn list(&self) -> Option<&str> {
        match self {
            ItemKind::SingleChoice { list } | ItemKind::MultipleChoice { list } | ItemKind::Likert { list } => {
                Some(list)
            }
            _ => None,
        }
    }

    /// The kind's name in the JSON file: `note`, `single`, `multiple`, `likert`, `yes_no`, `integer`, `decimal`,
    /// `text`, `quadrant`, `location`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ItemKind::Note => "note",
            ItemKind::SingleChoice { .. } => "single",
            ItemKind::MultipleChoice { .. } => "multiple",
            ItemKind::Likert { .. } => "likert",
            ItemKind::YesNo => "yes_no",
            ItemKind::Integer { .. } => "integer",
            ItemKind::Decimal { .. } => "decimal",
            ItemKind::Text { .. } => "text",
            ItemKind::Quadrant => "quadrant",
            ItemKind::Location => "location",
        }
    }
}

/// What an item tells about the respondent, for placing and weighting responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ItemRole {
    /// The respondent's quadrant (a territory code), chosen.
    Quadrant,
    /// The respondent's location (a geopoint).
    Location,
    /// The age band, as a choice name the population margins use.
    AgeBand,
    /// The sex, as a choice name the population margins use.
    Sex,
}

impl ItemRole {
    /// Every role.
    pub const ALL: [ItemRole; 4] = [ItemRole::Quadrant, ItemRole::Location, ItemRole::AgeBand, ItemRole::Sex];

    /// The role's name in files: `quadrant`, `location`, `age_band`, `sex`.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemRole::Quadrant => "quadrant",
            ItemRole::Location => "location",
            ItemRole::AgeBand => "age_band",
            ItemRole::Sex => "sex",
        }
    }

    /// The role named `name` (as [`ItemRole::as_str`] writes it), if any.
    pub fn parse(name: &str) -> Option<ItemRole> {
        ItemRole::ALL.into_iter().find(|role| role.as_str() == name.trim().to_ascii_lowercase())
    }
}

impl fmt::Display for ItemRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One choice of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The value stored (no whitespace).
    pub name: String,
    /// The text shown.
    pub label: Localized,
}

/// An index: an aggregate of scale items (the analyses average the items' values, reversed where marked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexSpec {
    /// The index's code, e.g. `trust_police`.
    pub code: String,
    /// Its name.
    pub label: Localized,
    /// The items it aggregates (Likert or yes/no).
    pub items: Vec<IndexItem>,
    /// The fewest answered items for a response to have a value.
    pub min_answered: usize,
}

/// One item of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexItem {
    /// The item's name.
    pub name: String,
    /// Whether the scale runs the other way (high = worse); the analyses reverse it.
    pub reversed: bool,
}
