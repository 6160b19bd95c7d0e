//! The instrument's own checks ([`Instrument::validate`]), the checking of answers with skip logic
//! ([`Instrument::check`]), pages for a form without JavaScript, and the values indices are computed from.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::expr::{is_name_char, is_name_start};
use super::{
    AnswerProblem, AnswerProblemKind, Answers, Choice, FormProblem, FormProblemKind, IndexItem, Instrument, Item,
    ItemKind, ItemRole,
};
use crate::lang::Localized;

/// Whether `name` is usable as an item, list or index name: a letter or `_`, then letters, digits, `_`, `-`, `.`.
pub(crate) fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(is_name_start) && chars.all(is_name_char)
}

fn yes_no_choices() -> Vec<Choice> {
    let choice = |name: &str, kk, ru, en| Choice {
        name: name.to_owned(),
        label: Localized::new(kk, ru, en).unwrap_or_else(|_| unreachable!("built-in labels are non-empty")),
    };
    vec![choice("yes", "Иә", "Да", "Yes"), choice("no", "Жоқ", "Нет", "No")]
}

impl Instrument {
    /// Checks the instrument as a whole.
    ///
    /// Names are valid and unique; lists exist, are non-empty and have unique choice names without whitespace;
    /// Likert lists have at least two points; bounds are ordered; relevance refers only to earlier items; each
    /// role is carried by at most one item, of the right kind (quadrant: a quadrant item; location: a location;
    /// age band and sex: a single choice); indices have unique codes and use existing Likert or yes/no items, each
    /// once, with `min_answered` between 1 and their number of items. (Texts in all three languages are
    /// guaranteed by [`Localized`].)
    ///
    /// # Errors
    ///
    /// Every problem found, each naming its section (`survey`, `choices`, `indices`, `settings`), item and field.
    pub fn validate(&self) -> Result<(), Vec<FormProblem>> {
        let mut problems = Vec::new();
        let mut push = |sheet: &str, item: Option<&str>, column: &str, kind| {
            problems.push(FormProblem::new(sheet, item, Some(column), kind));
        };
        if self.code.trim().is_empty() {
            push("settings", None, "form_id", FormProblemKind::Missing);
        }
        if self.version.trim().is_empty() {
            push("settings", None, "version", FormProblemKind::Missing);
        }
        for (list, choices) in &self.choice_lists {
            if !valid_name(list) {
                push("choices", Some(list), "list_name", FormProblemKind::BadName { name: list.clone() });
            }
            if choices.is_empty() {
                push("choices", Some(list), "list_name", FormProblemKind::EmptyList { list: list.clone() });
            }
            let mut seen = BTreeSet::new();
            for choice in choices {
                if choice.name.is_empty() || choice.name.chars().any(char::is_whitespace) {
                    push("choices", Some(list), "name", FormProblemKind::BadName { name: choice.name.clone() });
                } else if !seen.insert(choice.name.as_str()) {
                    push(
                        "choices",
                        Some(list),
                        "name",
                        FormProblemKind::DuplicateChoice { list: list.clone(), name: choice.name.clone() },
                    );
                }
            }
        }
        let mut earlier: BTreeSet<&str> = BTreeSet::new();
        let mut roles: BTreeMap<ItemRole, &str> = BTreeMap::new();
        for item in &self.items {
            let name = item.name.as_str();
            if !valid_name(name) {
                push("survey", Some(name), "name", FormProblemKind::BadName { name: name.to_owned() });
            }
            if earlier.contains(name) {
                push("survey", Some(name), "name", FormProblemKind::DuplicateItem { name: name.to_owned() });
            }
            if let Some(list) = item.kind.list() {
                match self.choice_lists.get(list) {
                    None => push("survey", Some(name), "type", FormProblemKind::UnknownList { list: list.to_owned() }),
                    Some(choices) if matches!(item.kind, ItemKind::Likert { .. }) && choices.len() < 2 => push(
                        "survey",
                        Some(name),
                        "type",
                        FormProblemKind::ShortScale { list: list.to_owned(), found: choices.len() },
                    ),
                    Some(_) => {}
                }
            }
            let bad_bounds = match item.kind {
                ItemKind::Integer { min: Some(min), max: Some(max) } => min > max,
                ItemKind::Decimal { min, max } => {
                    min.is_some_and(|v| !v.is_finite())
                        || max.is_some_and(|v| !v.is_finite())
                        || matches!((min, max), (Some(min), Some(max)) if min > max)
                }
                ItemKind::Text { max_chars } => max_chars == 0,
                _ => false,
            };
            if bad_bounds {
                push("survey", Some(name), "constraint", FormProblemKind::BadBounds);
            }
            if let Some(relevant) = &item.relevant {
                for reference in relevant.references() {
                    if !earlier.contains(reference.as_str()) {
                        push("survey", Some(name), "relevant", FormProblemKind::RelevanceNotEarlier { reference });
                    }
                }
            }
            if let Some(role) = item.role {
                let fits = match role {
                    ItemRole::Quadrant => matches!(item.kind, ItemKind::Quadrant),
                    ItemRole::Location => matches!(item.kind, ItemKind::Location),
                    ItemRole::AgeBand | ItemRole::Sex => matches!(item.kind, ItemKind::SingleChoice { .. }),
                };
                if !fits {
                    push(
                        "survey",
                        Some(name),
                        "sakshy_role",
                        FormProblemKind::RoleOnWrongKind { role, kind: item.kind.as_str() },
                    );
                }
                if let Some(first) = roles.get(&role) {
                    push(
                        "survey",
                        Some(name),
                        "sakshy_role",
                        FormProblemKind::DuplicateRole { role, first: (*first).to_owned(), second: name.to_owned() },
                    );
                } else {
                    roles.insert(role, name);
                }
            }
            earlier.insert(name);
        }
        let mut codes = BTreeSet::new();
        for index in &self.indices {
            let code = index.code.as_str();
            if !valid_name(code) {
                push("indices", Some(code), "index", FormProblemKind::BadName { name: code.to_owned() });
            }
            if !codes.insert(code) {
                push("indices", Some(code), "index", FormProblemKind::DuplicateIndex { code: code.to_owned() });
            }
            if index.items.is_empty() {
                push("indices", Some(code), "item", FormProblemKind::EmptyIndex { code: code.to_owned() });
            }
            let mut used = BTreeSet::new();
            for IndexItem { name, .. } in &index.items {
                let (index, item) = (code.to_owned(), name.clone());
                match self.item(name) {
                    None => push("indices", Some(code), "item", FormProblemKind::UnknownIndexItem { index, item }),
                    Some(found) if self.scale_points(found).is_none() => {
                        push("indices", Some(code), "item", FormProblemKind::IndexItemNotScale { index, item });
                    }
                    Some(_) if !used.insert(name.as_str()) => {
                        push("indices", Some(code), "item", FormProblemKind::DuplicateIndexItem { index, item });
                    }
                    Some(_) => {}
                }
            }
            if !index.items.is_empty() && (index.min_answered == 0 || index.min_answered > index.items.len()) {
                push(
                    "indices",
                    Some(code),
                    "min_answered",
                    FormProblemKind::BadMinAnswered {
                        index: code.to_owned(),
                        items: index.items.len(),
                        min_answered: index.min_answered,
                    },
                );
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// The item named `name`.
    pub fn item(&self, name: &str) -> Option<&Item> {
        self.items.iter().find(|item| item.name == name)
    }

    /// The item carrying `role`, if any.
    pub fn role_item(&self, role: ItemRole) -> Option<&Item> {
        self.items.iter().find(|item| item.role == Some(role))
    }

    /// The choices an item offers: its list's for single, multiple and Likert items; the built-in `yes`/`no`
    /// (with kk/ru/en labels) for yes/no items; none for the others.
    pub fn choices(&self, item: &Item) -> Vec<Choice> {
        match &item.kind {
            ItemKind::YesNo => yes_no_choices(),
            kind => kind.list().and_then(|list| self.choice_lists.get(list)).cloned().unwrap_or_default(),
        }
    }

    /// The number of points of a scale item: n for a Likert item on n choices, 2 for yes/no, `None` otherwise.
    pub fn scale_points(&self, item: &Item) -> Option<u32> {
        match &item.kind {
            ItemKind::YesNo => Some(2),
            ItemKind::Likert { list } => self.choice_lists.get(list).and_then(|c| u32::try_from(c.len()).ok()),
            _ => None,
        }
    }

    /// The value of an index item in a response: for Likert the 1-based position k of the answer in its list
    /// (1..=n), for yes/no 1 (yes) or 0 (no); `None` when unanswered or not a scale answer. Reversal is left to
    /// the analyses.
    pub fn index_value(&self, spec_item: &IndexItem, answers: &Answers) -> Option<f64> {
        let item = self.item(&spec_item.name)?;
        let value = answers.get(&item.name)?.trim();
        match &item.kind {
            ItemKind::YesNo => match value {
                "yes" => Some(1.0),
                "no" => Some(0.0),
                _ => None,
            },
            ItemKind::Likert { list } => {
                let position = self.choice_lists.get(list)?.iter().position(|choice| choice.name == value)?;
                Some((position + 1) as f64)
            }
            _ => None,
        }
    }

    /// For each item, whether it is relevant given the answers, deciding in order so that an item made irrelevant
    /// counts as unanswered for the items after it (as ODK does).
    fn relevance(&self, answers: &Answers) -> Vec<bool> {
        let mut seen = Answers::new();
        self.items
            .iter()
            .map(|item| {
                let relevant = item.relevant.as_ref().is_none_or(|expr| expr.eval(&seen));
                if relevant && let Some(value) = answers.get(&item.name) {
                    seen.insert(item.name.clone(), value.trim().to_owned());
                }
                relevant
            })
            .collect()
    }

    /// Whether the item at `index` is asked, given the answers (an out-of-range index is not).
    pub fn is_relevant(&self, index: usize, answers: &Answers) -> bool {
        index < self.items.len() && self.relevance(answers)[index]
    }

    /// Checks and normalises a response.
    ///
    /// Values are trimmed and empty ones dropped; answers to items that are not relevant given the earlier
    /// answers are dropped (ODK's behaviour); a relevant, required, unanswered item is a problem; choices must be
    /// the item's choice names (multiple choices space-separated, each once; kept in list order), numbers must
    /// parse and lie within bounds (a decimal comma is accepted; numbers are kept in canonical form), texts within
    /// their length, locations `lat lon[ alt acc]` in range; a name that is no item is a problem. A quadrant item
    /// accepts any non-empty code: the caller checks it against the registry.
    ///
    /// # Errors
    ///
    /// Every problem, in item order, then the unknown names.
    pub fn check(&self, answers: &Answers) -> Result<Answers, Vec<AnswerProblem>> {
        let mut problems = Vec::new();
        let mut clean = Answers::new();
        for item in &self.items {
            if !item.relevant.as_ref().is_none_or(|expr| expr.eval(&clean)) {
                continue;
            }
            let value = answers.get(&item.name).map(|v| v.trim()).filter(|v| !v.is_empty());
            let Some(value) = value else {
                if item.required && !matches!(item.kind, ItemKind::Note) {
                    problems.push(AnswerProblem { item: item.name.clone(), kind: AnswerProblemKind::Required });
                }
                continue;
            };
            match self.check_value(item, value) {
                Ok(value) => {
                    clean.insert(item.name.clone(), value);
                }
                Err(kind) => problems.push(AnswerProblem { item: item.name.clone(), kind }),
            }
        }
        for name in answers.keys() {
            if self.item(name).is_none() {
                problems.push(AnswerProblem { item: name.clone(), kind: AnswerProblemKind::UnknownItem });
            }
        }
        if problems.is_empty() { Ok(clean) } else { Err(problems) }
    }

    /// One trimmed, non-empty value, normalised.
    fn check_value(&self, item: &Item, value: &str) -> Result<String, AnswerProblemKind> {
        match &item.kind {
            ItemKind::Note => Err(AnswerProblemKind::NotAnswerable),
            ItemKind::SingleChoice { .. } | ItemKind::Likert { .. } | ItemKind::YesNo => {
                if self.choices(item).iter().any(|choice| choice.name == value) {
                    Ok(value.to_owned())
                } else {
                    Err(AnswerProblemKind::NotAChoice { value: value.to_owned() })
                }
            }
            ItemKind::MultipleChoice { .. } => {
                let choices = self.choices(item);
                let mut chosen = BTreeSet::new();
                for token in value.split_whitespace() {
                    let Some(position) = choices.iter().position(|choice| choice.name == token) else {
                        return Err(AnswerProblemKind::NotAChoice { value: token.to_owned() });
                    };
                    if !chosen.insert(position) {
                        return Err(AnswerProblemKind::DuplicateChoice { value: token.to_owned() });
                    }
                }
                Ok(chosen.into_iter().map(|i| choices[i].name.as_str()).collect::<Vec<_>>().join(" "))
            }
            ItemKind::Integer { min, max } => {
                let number: i64 = value
                    .strip_prefix('+')
                    .unwrap_or(value)
                    .parse()
                    .map_err(|_| AnswerProblemKind::NotAnInteger { value: value.to_owned() })?;
                if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
                    return Err(AnswerProblemKind::OutOfRange {
                        value: number as f64,
                        min: min.map(|v| v as f64),
                        max: max.map(|v| v as f64),
                    });
                }
                Ok(number.to_string())
            }
            ItemKind::Decimal { min, max } => {
                let number =
                    parse_decimal(value).ok_or_else(|| AnswerProblemKind::NotANumber { value: value.to_owned() })?;
                if min.is_some_and(|min| number < min) || max.is_some_and(|max| number > max) {
                    return Err(AnswerProblemKind::OutOfRange { value: number, min: *min, max: *max });
                }
                Ok(number.to_string())
            }
            ItemKind::Text { max_chars } => {
                if value.chars().count() > *max_chars {
                    Err(AnswerProblemKind::TooLong { max_chars: *max_chars })
                } else {
                    Ok(value.to_owned())
                }
            }
            ItemKind::Quadrant => Ok(value.to_owned()),
            ItemKind::Location => {
                check_location(value).ok_or_else(|| AnswerProblemKind::BadLocation { value: value.to_owned() })
            }
        }
    }

    /// Pages for a form without JavaScript, as ranges of item indices covering all items in order.
    ///
    /// A new page starts before any item whose relevance refers to an item on the current page, so that the
    /// server knows the answers a page's relevance needs before it shows the page. Notes just before such a
    /// break move to the new page with the item they introduce.
    pub fn pages(&self) -> Vec<Range<usize>> {
        let mut pages = Vec::new();
        let mut start = 0;
        for (i, item) in self.items.iter().enumerate() {
            let Some(relevant) = &item.relevant else { continue };
            let on_page = relevant
                .references()
                .iter()
                .any(|name| self.items[start..i].iter().any(|earlier| earlier.name == *name));
            if !on_page {
                continue;
            }
            let mut cut = i;
            while cut > start && matches!(self.items[cut - 1].kind, ItemKind::Note) {
                cut -= 1;
            }
            let referenced_in_notes =
                relevant.references().iter().any(|name| self.items[cut..i].iter().any(|n| n.name == *name));
            if cut == start || referenced_in_notes {
                cut = i;
            }
            pages.push(start..cut);
            start = cut;
        }
        if start < self.items.len() || pages.is_empty() {
            pages.push(start..self.items.len());
        }
        pages
    }
}

/// A number with `.` or `,` as the decimal separator, finite.
pub(crate) fn parse_decimal(value: &str) -> Option<f64> {
    let normalised = value.replace(',', ".");
    let body = normalised.strip_prefix(['-', '+']).unwrap_or(&normalised);
    if body.is_empty()
        || !body.chars().all(|c| c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+')
    {
        return None;
    }
    normalised.strip_prefix('+').unwrap_or(&normalised).parse::<f64>().ok().filter(|n| n.is_finite())
}

/// `lat lon[ alt acc]` with the latitude in [-90, 90] and the longitude in [-180, 180], normalised to single
/// spaces.
fn check_location(value: &str) -> Option<String> {
    let parts: Vec<&str> = value.split_whitespace().collect();
    if !(2..=4).contains(&parts.len()) {
        return None;
    }
    let numbers: Option<Vec<f64>> =
        parts.iter().map(|part| part.parse::<f64>().ok().filter(|n| n.is_finite())).collect();
    let numbers = numbers?;
    if !(-90.0..=90.0).contains(&numbers[0]) || !(-180.0..=180.0).contains(&numbers[1]) {
        return None;
    }
    if numbers.get(3).is_some_and(|accuracy| *accuracy < 0.0) {
        return None;
    }
    Some(parts.join(" "))
}
