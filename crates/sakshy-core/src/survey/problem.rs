//! What can be wrong in an instrument (a JSON file or an XLSForm workbook) and in a set of answers. Each problem
//! is a structured value: its `Display` is English for the CLI, and the web localises every variant from its parts.

use std::fmt;

use super::ExprError;
use crate::lang::Lang;

/// One problem of an instrument, with where it is.
///
/// For an XLSForm workbook `sheet` is the sheet (`survey`, `choices`, `settings`, `indices`), `row` the row as
/// the spreadsheet shows it (1-based, the header being row 1) and `column` the column's header. For a JSON file or
/// an instrument checked by [`super::Instrument::validate`] the sheet names the same section, `row` is `None`,
/// `column` the field, and `item` says which item, list or index.
#[derive(Debug, Clone, PartialEq)]
pub struct FormProblem {
    /// The sheet or section: `survey`, `choices`, `settings`, `indices` (or `file` for the file as a whole).
    pub sheet: String,
    /// The row, 1-based as the spreadsheet shows it, if known.
    pub row: Option<usize>,
    /// The column's header (or the JSON field), if the problem is in one cell.
    pub column: Option<String>,
    /// The item, choice list or index the problem is about, if any.
    pub item: Option<String>,
    /// What is wrong.
    pub kind: FormProblemKind,
}

impl FormProblem {
    pub(crate) fn new(sheet: &str, item: Option<&str>, column: Option<&str>, kind: FormProblemKind) -> Self {
        FormProblem {
            sheet: sheet.to_owned(),
            row: None,
            column: column.map(str::to_owned),
            item: item.map(str::to_owned),
            kind,
        }
    }
}

impl fmt::Display for FormProblem {
    /// `sheet survey, row 5, column relevant (item victim): …`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sheet {}", self.sheet)?;
        if let Some(row) = self.row {
            write!(f, ", row {row}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        if let Some(item) = &self.item {
            write!(f, " ({item})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Why an instrument cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FormProblemKind {
    /// The file is not a readable workbook or JSON document.
    #[error("the file cannot be read: {message}")]
    Unreadable {
        /// The reader's message.
        message: String,
    },
    /// A required sheet is missing.
    #[error("the workbook has no sheet {sheet:?}")]
    MissingSheet {
        /// The sheet expected.
        sheet: String,
    },
    /// A required column is missing from a sheet's header.
    #[error("the header has no column {column:?}")]
    MissingColumn {
        /// The column expected.
        column: String,
    },
    /// Two columns of a header mean the same thing.
    #[error("column {column:?} appears twice")]
    DuplicateColumn {
        /// The column.
        column: String,
    },
    /// A `label::…`/`hint::…`/`form_title::…` column names no language Sakshy knows.
    #[error("{column:?} names no known language: write e.g. label::Kazakh (kk), label::ru or label::en")]
    UnknownLanguage {
        /// The column.
        column: String,
    },
    /// A value is required here.
    #[error("a value is required")]
    Missing,
    /// A text lacks one of the three languages.
    #[error("the {lang} text is missing")]
    MissingLanguage {
        /// The language missing.
        lang: Lang,
    },
    /// The item type is not one Sakshy supports.
    #[error(
        "type {type_name:?} is not supported: use select_one, select_multiple, integer, decimal, text, note, geopoint, begin_group or end_group"
    )]
    UnsupportedType {
        /// The type as written.
        type_name: String,
    },
    /// A group is closed that was not opened, or opened and never closed.
    #[error("begin_group and end_group do not match")]
    UnbalancedGroup,
    /// A boolean cell holds something else.
    #[error("{value:?} is not yes or no")]
    NotABoolean {
        /// The value as written.
        value: String,
    },
    /// A number cell holds something else (or a negative count).
    #[error("{value:?} is not a valid number here")]
    NotANumber {
        /// The value as written.
        value: String,
    },
    /// A constraint Sakshy cannot read.
    #[error("constraint {constraint:?} is not supported: use `. >= N and . <= M` or `string-length(.) <= N`")]
    UnsupportedConstraint {
        /// The constraint as written.
        constraint: String,
    },
    /// A relevance condition does not parse.
    #[error("the relevance condition does not parse: {error}")]
    BadRelevance {
        /// What is wrong and where in the condition.
        error: ExprError,
    },
    /// A name is not usable (empty, whitespace, or not an XML-style name).
    #[error("{name:?} is not a valid name: use letters, digits, _ and -, starting with a letter or _")]
    BadName {
        /// The name.
        name: String,
    },
    /// Two items share a name.
    #[error("item name {name:?} is used twice")]
    DuplicateItem {
        /// The name.
        name: String,
    },
    /// An item uses a choice list that does not exist.
    #[error("choice list {list:?} does not exist")]
    UnknownList {
        /// The list's name.
        list: String,
    },
    /// A choice list has no choices.
    #[error("choice list {list:?} is empty")]
    EmptyList {
        /// The list's name.
        list: String,
    },
    /// A Likert scale with fewer than two points.
    #[error("a Likert scale needs at least two choices; list {list:?} has {found}")]
    ShortScale {
        /// The list's name.
        list: String,
        /// Its choices.
        found: usize,
    },
    /// A choice name is repeated in its list.
    #[error("choice {name:?} appears twice in list {list:?}")]
    DuplicateChoice {
        /// The list's name.
        list: String,
        /// The choice's name.
        name: String,
    },
    /// A relevance condition refers to an item that is not asked before this one.
    #[error("the relevance condition refers to {reference:?}, which is not an earlier item")]
    RelevanceNotEarlier {
        /// The name referred to.
        reference: String,
    },
    /// A minimum above the maximum, a non-finite bound, or a zero text length.
    #[error("the bounds are not valid: the minimum must not exceed the maximum, and lengths must be positive")]
    BadBounds,
    /// Two items carry the same role.
    #[error("role {role} is carried by both {first:?} and {second:?}")]
    DuplicateRole {
        /// The role.
        role: super::ItemRole,
        /// The first item carrying it.
        first: String,
        /// The second.
        second: String,
    },
    /// A role on a kind of item that cannot carry it.
    #[error("role {role} cannot be carried by a {kind} item")]
    RoleOnWrongKind {
        /// The role.
        role: super::ItemRole,
        /// The item's kind ([`super::ItemKind::as_str`]).
        kind: &'static str,
    },
    /// A role name that is not `quadrant`, `location`, `age_band` or `sex`.
    #[error("{value:?} is not a role: use quadrant, location, age_band or sex")]
    UnknownRole {
        /// The value as written.
        value: String,
    },
    /// Two indices share a code.
    #[error("index {code:?} is defined twice")]
    DuplicateIndex {
        /// The code.
        code: String,
    },
    /// An index with no items.
    #[error("index {code:?} has no items")]
    EmptyIndex {
        /// The code.
        code: String,
    },
    /// An index refers to an item that does not exist.
    #[error("index {index:?} refers to {item:?}, which is not an item")]
    UnknownIndexItem {
        /// The index.
        index: String,
        /// The name referred to.
        item: String,
    },
    /// An index item that is neither Likert nor yes/no.
    #[error("index {index:?} uses {item:?}, which is neither a Likert nor a yes/no item")]
    IndexItemNotScale {
        /// The index.
        index: String,
        /// The item.
        item: String,
    },
    /// An item appears twice in one index.
    #[error("index {index:?} uses {item:?} twice")]
    DuplicateIndexItem {
        /// The index.
        index: String,
        /// The item.
        item: String,
    },
    /// An index's `min_answered` is 0 or more than its items.
    #[error("index {index:?} has {items} items, so min_answered must be between 1 and {items}, not {min_answered}")]
    BadMinAnswered {
        /// The index.
        index: String,
        /// Its items.
        items: usize,
        /// The value given.
        min_answered: usize,
    },
    /// A sheet, index or index row gives values that disagree (e.g. two labels for one index).
    #[error("this row disagrees with an earlier row of index {index:?}")]
    InconsistentIndex {
        /// The index.
        index: String,
    },
}

/// One problem of one answer.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerProblem {
    /// The item answered (or the unknown name given).
    pub item: String,
    /// What is wrong.
    pub kind: AnswerProblemKind,
}

impl fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.item, self.kind)
    }
}

/// Why an answer is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnswerProblemKind {
    /// The item is required, relevant and unanswered.
    #[error("an answer is required")]
    Required,
    /// No item has this name.
    #[error("the instrument has no item of this name")]
    UnknownItem,
    /// A note takes no answer.
    #[error("a note takes no answer")]
    NotAnswerable,
    /// Not one of the item's choices.
    #[error("{value:?} is not one of the choices")]
    NotAChoice {
        /// The value given.
        value: String,
    },
    /// A choice given twice in a multiple choice.
    #[error("{value:?} is chosen twice")]
    DuplicateChoice {
        /// The value given.
        value: String,
    },
    /// Not a whole number.
    #[error("{value:?} is not a whole number")]
    NotAnInteger {
        /// The value given.
        value: String,
    },
    /// Not a (finite) number.
    #[error("{value:?} is not a number")]
    NotANumber {
        /// The value given.
        value: String,
    },
    /// A number outside the item's bounds.
    #[error("{value} is out of range [{}, {}]", fmt_bound(*min), fmt_bound(*max))]
    OutOfRange {
        /// The value given.
        value: f64,
        /// The smallest accepted.
        min: Option<f64>,
        /// The largest accepted.
        max: Option<f64>,
    },
    /// A text longer than the item allows.
    #[error("longer than {max_chars} characters")]
    TooLong {
        /// The most characters accepted.
        max_chars: usize,
    },
    /// Not `lat lon[ alt acc]` with the latitude and longitude in range.
    #[error("{value:?} is not a location: write latitude and longitude in degrees, e.g. \"42.32 69.59\"")]
    BadLocation {
        /// The value given.
        value: String,
    },
}

fn fmt_bound(bound: Option<f64>) -> String {
    bound.map_or_else(|| "…".to_owned(), |bound| bound.to_string())
}
