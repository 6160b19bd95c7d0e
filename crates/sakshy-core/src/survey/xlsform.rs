//! Reading an instrument from an XLSForm workbook (`.xlsx`), the format of `KoboToolbox` and ODK.
//!
//! Sheets: `survey` (`type`, `name`, `label::<Language> (code)` or bare `label` in the default language,
//! `hint::…`, `required`, `relevant`, `appearance`, `constraint`), `choices` (`list_name`, `name`, `label::…`),
//! `settings` (`form_title`, `form_id`, `version`, `default_language`) and the Sakshy extensions that
//! `KoboToolbox` ignores: the survey column `sakshy_role` (`quadrant`, `location`, `age_band`, `sex`) and a sheet
//! `indices` (`index`, `item`, `reverse`, `min_answered`, `label::…`).
//!
//! Types: `select_one LIST` (appearance `likert`: a Likert item; a list of exactly `yes` and `no`: a yes/no item;
//! with role `quadrant`: the quadrant item), `select_multiple LIST`, `integer`, `decimal`, `text`, `note`,
//! `geopoint`, `begin_group`/`end_group` (flattened; a group's relevance joins its members'); metadata types
//! (`start`, `end`, `today`, `deviceid`, …) are skipped; anything else is an unsupported type. Constraints:
//! `. >= N and . <= M` for numbers, `string-length(.) <= N` for texts. Every problem names its sheet, row and
//! column.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{
    Choice, DEFAULT_TEXT_MAX_CHARS, Expr, FormProblem, FormProblemKind, IndexItem, IndexSpec, Instrument, Item,
    ItemKind, ItemRole,
};
use crate::lang::{Lang, Localized};

/// Metadata question types that describe the submission, not the respondent: skipped.
const META_TYPES: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "email",
    "start-geopoint",
];

/// One sheet: its header and its non-empty rows, each with its row number as the spreadsheet shows it.
struct Sheet {
    name: String,
    header_row: usize,
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_owned(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string().trim().to_owned(),
    }
}

impl Sheet {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|header| header.eq_ignore_ascii_case(name))
    }

    fn cell<'a>(&self, row: &'a [String], column: Option<usize>) -> &'a str {
        column.and_then(|c| row.get(c)).map_or("", String::as_str)
    }

    fn problem(&self, row: Option<usize>, column: Option<usize>, kind: FormProblemKind) -> FormProblem {
        FormProblem { sheet: self.name.clone(), row, column: column.map(|c| self.header[c].clone()), item: None, kind }
    }
}

fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    names: &[String],
    wanted: &str,
) -> Option<Result<Sheet, FormProblem>> {
    let actual = names.iter().find(|name| name.trim().eq_ignore_ascii_case(wanted))?;
    let range = match workbook.worksheet_range(actual) {
        Ok(range) => range,
        Err(error) => {
            return Some(Err(FormProblem::new(
                wanted,
                None,
                None,
                FormProblemKind::Unreadable { message: error.to_string() },
            )));
        }
    };
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    let pad = start_col as usize;
    let mut rows = range.rows().enumerate().map(|(r, cells)| {
        let mut values = vec![String::new(); pad];
        values.extend(cells.iter().map(cell_text));
        (start_row as usize + r + 1, values)
    });
    let (header_row, header) = rows.find(|(_, values)| values.iter().any(|v| !v.is_empty())).unwrap_or((1, Vec::new()));
    let rows = rows.filter(|(_, values)| values.iter().any(|v| !v.is_empty())).collect();
    Some(Ok(Sheet { name: wanted.to_owned(), header_row, header, rows }))
}

/// The language a column suffix names: `kk`, `Kazakh (kk)`, `Русский`, ….
fn language(suffix: &str) -> Option<Lang> {
    let suffix = suffix.trim();
    let code = match (suffix.rfind('('), suffix.rfind(')')) {
        (Some(open), Some(close)) if open < close => &suffix[open + 1..close],
        _ => suffix,
    };
    if let Ok(lang) = code.parse::<Lang>() {
        return Some(lang);
    }
    match suffix.to_lowercase().as_str() {
        "kazakh" | "қазақша" | "қазақ" | "қазақ тілі" | "казахский" => Some(Lang::Kk),
        "russian" | "русский" | "орысша" => Some(Lang::Ru),
        "english" | "english (en)" | "ағылшынша" | "английский" => Some(Lang::En),
        _ => None,
    }
}

/// The columns holding a text (`label`, `hint`, `form_title`) in each language.
fn text_columns(
    sheet: &Sheet,
    prefix: &str,
    default_lang: Lang,
    problems: &mut Vec<FormProblem>,
) -> HashMap<Lang, usize> {
    let mut columns: BTreeMap<&'static str, (Lang, usize)> = BTreeMap::new();
    for (idx, header) in sheet.header.iter().enumerate() {
        let lower = header.to_lowercase();
        let lang = if lower == prefix {
            Some(default_lang)
        } else if let Some(suffix) = lower.strip_prefix(prefix).and_then(|rest| rest.strip_prefix("::")) {
            let lang = language(&header[header.len() - suffix.len()..]);
            if lang.is_none() {
                problems.push(sheet.problem(
                    Some(sheet.header_row),
                    Some(idx),
                    FormProblemKind::UnknownLanguage { column: header.clone() },
                ));
            }
            lang
        } else {
            None
        };
        if let Some(lang) = lang
            && columns.insert(lang.code(), (lang, idx)).is_some()
        {
            {
                problems.push(sheet.problem(
                    Some(sheet.header_row),
                    Some(idx),
                    FormProblemKind::DuplicateColumn { column: header.clone() },
                ));
            }
        }
    }
    columns.into_values().collect()
}

/// A text of one row in all three languages; `Ok(None)` when every language is empty and `required` is false.
fn row_text(
    sheet: &Sheet,
    row: usize,
    values: &[String],
    columns: &HashMap<Lang, usize>,
    required: bool,
    problems: &mut Vec<FormProblem>,
) -> Result<Option<Localized>, ()> {
    let texts: Vec<(Lang, &str)> =
        Lang::ALL.iter().map(|lang| (*lang, sheet.cell(values, columns.get(lang).copied()))).collect();
    if !required && texts.iter().all(|(_, text)| text.is_empty()) {
        return Ok(None);
    }
    let mut ok = true;
    for (lang, text) in &texts {
        if text.is_empty() {
            ok = false;
            if let Some(column) = columns.get(lang) {
                problems.push(sheet.problem(
                    Some(row),
                    Some(*column),
                    FormProblemKind::MissingLanguage { lang: *lang },
                ));
            }
        }
    }
    if !ok {
        return Err(());
    }
    Localized::new(texts[0].1, texts[1].1, texts[2].1).map(Some).map_err(|_| ())
}

/// Reports, once per sheet, each language with no column for a required text.
fn require_languages(sheet: &Sheet, prefix: &str, columns: &HashMap<Lang, usize>, problems: &mut Vec<FormProblem>) {
    for lang in Lang::ALL {
        if !columns.contains_key(&lang) {
            let mut problem = sheet.problem(Some(sheet.header_row), None, FormProblemKind::MissingLanguage { lang });
            problem.column = Some(format!("{prefix}::{lang}"));
            problems.push(problem);
        }
    }
}

fn boolean(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "" | "no" | "false" | "0" | "false()" => Some(false),
        "yes" | "true" | "1" | "true()" => Some(true),
        _ => None,
    }
}

/// Bounds read from a constraint: `(min, max)` for numbers, or a length for texts.
#[derive(Default)]
struct Bounds {
    min: Option<f64>,
    max: Option<f64>,
    max_chars: Option<usize>,
}

fn constraint(text: &str) -> Option<Bounds> {
    let mut bounds = Bounds::default();
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Some(bounds);
    }
    for part in text.split(" and ") {
        let part: String = part.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(n) = part.strip_prefix("string-length(.)<=") {
            bounds.max_chars = Some(n.parse().ok()?);
        } else if let Some(n) = part.strip_prefix(".>=") {
            bounds.min = Some(n.parse::<f64>().ok().filter(|n| n.is_finite())?);
        } else if let Some(n) = part.strip_prefix(".<=") {
            bounds.max = Some(n.parse::<f64>().ok().filter(|n| n.is_finite())?);
        } else {
            return None;
        }
    }
    Some(bounds)
}

/// Where each named thing is in the workbook, to place the problems [`Instrument::validate`] finds.
#[derive(Default)]
struct Places {
    items: Vec<(String, usize)>,
    lists: Vec<(String, String, usize)>,
    indices: Vec<(String, String, usize)>,
    survey_header: Vec<String>,
    settings_row: Option<usize>,
}

impl Places {
    fn place(&self, problem: &mut FormProblem) {
        let item = problem.item.clone().unwrap_or_default();
        let last_item = |name: &str| self.items.iter().rev().find(|(n, _)| n == name).map(|(_, row)| *row);
        let first_item = |name: &str| self.items.iter().find(|(n, _)| n == name).map(|(_, row)| *row);
        problem.row = match (problem.sheet.as_str(), &problem.kind) {
            ("survey", FormProblemKind::DuplicateItem { .. }) => last_item(&item),
            ("survey", FormProblemKind::DuplicateRole { second, .. }) => first_item(second),
            ("survey", _) => first_item(&item),
            ("choices", FormProblemKind::DuplicateChoice { list, name }) => {
                self.lists.iter().rev().find(|(l, n, _)| l == list && n == name).map(|(_, _, row)| *row)
            }
            ("choices", _) => self.lists.iter().find(|(l, _, _)| *l == item).map(|(_, _, row)| *row),
            (
                "indices",
                FormProblemKind::UnknownIndexItem { index, item }
                | FormProblemKind::IndexItemNotScale { index, item }
                | FormProblemKind::DuplicateIndexItem { index, item },
            ) => self.indices.iter().rev().find(|(i, n, _)| i == index && n == item).map(|(_, _, row)| *row),
            ("indices", _) => self.indices.iter().find(|(i, _, _)| *i == item).map(|(_, _, row)| *row),
            ("settings", _) => self.settings_row,
            _ => problem.row,
        };
        if problem.sheet == "survey"
            && let Some(column) = &problem.column
            && let Some(header) = self.survey_header.iter().find(|h| h.eq_ignore_ascii_case(column))
        {
            problem.column = Some(header.clone());
        }
    }
}

/// Reads an instrument from an XLSForm workbook (`.xlsx`) and validates it.
///
/// # Errors
///
/// Every problem found, each naming its sheet, row (1-based, as the spreadsheet shows it) and column.
pub fn parse_xlsform(bytes: &[u8]) -> Result<Instrument, Vec<FormProblem>> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|error| {
        vec![FormProblem::new("file", None, None, FormProblemKind::Unreadable { message: error.to_string() })]
    })?;
    let names = workbook.sheet_names();
    let mut problems = Vec::new();
    let mut sheet =
        |wanted: &str, required: bool, problems: &mut Vec<FormProblem>| match read_sheet(&mut workbook, &names, wanted)
        {
            Some(Ok(sheet)) => Some(sheet),
            Some(Err(problem)) => {
                problems.push(problem);
                None
            }
            None => {
                if required {
                    let kind = FormProblemKind::MissingSheet { sheet: wanted.to_owned() };
                    problems.push(FormProblem::new(wanted, None, None, kind));
                }
                None
            }
        };
    let settings = sheet("settings", true, &mut problems);
    let survey = sheet("survey", true, &mut problems);
    let choices = sheet("choices", false, &mut problems);
    let indices = sheet("indices", false, &mut problems);
    let (Some(settings), Some(survey)) = (settings, survey) else { return Err(problems) };
    let mut places = Places { survey_header: survey.header.clone(), ..Places::default() };

    // Settings.
    let settings_values = settings.rows.first().map(|(row, values)| (*row, values.clone()));
    places.settings_row = settings_values.as_ref().map(|(row, _)| *row);
    let (settings_row, settings_values) = settings_values.unwrap_or((settings.header_row + 1, Vec::new()));
    let setting = |name: &str| settings.cell(&settings_values, settings.column(name)).to_owned();
    let default_lang = match setting("default_language") {
        value if value.is_empty() => Lang::Kk,
        value => language(&value).unwrap_or_else(|| {
            problems.push(settings.problem(
                Some(settings_row),
                settings.column("default_language"),
                FormProblemKind::UnknownLanguage { column: value.clone() },
            ));
            Lang::Kk
        }),
    };
    let code = setting("form_id");
    let version = setting("version");
    for (name, value) in [("form_id", &code), ("version", &version)] {
        if value.is_empty() {
            let mut problem = settings.problem(Some(settings_row), settings.column(name), FormProblemKind::Missing);
            problem.column = Some(name.to_owned());
            problems.push(problem);
        }
    }
    let title_columns = text_columns(&settings, "form_title", default_lang, &mut problems);
    require_languages(&settings, "form_title", &title_columns, &mut problems);
    let title = row_text(&settings, settings_row, &settings_values, &title_columns, true, &mut problems);

    // Choices.
    let mut lists: BTreeMap<String, Vec<Choice>> = BTreeMap::new();
    if let Some(choices) = &choices {
        let list_column = choices.column("list_name");
        let name_column = choices.column("name");
        for (column, name) in [(list_column, "list_name"), (name_column, "name")] {
            if column.is_none() {
                problems.push(choices.problem(
                    Some(choices.header_row),
                    None,
                    FormProblemKind::MissingColumn { column: name.to_owned() },
                ));
            }
        }
        let label_columns = text_columns(choices, "label", default_lang, &mut problems);
        require_languages(choices, "label", &label_columns, &mut problems);
        for (row, values) in &choices.rows {
            let list = choices.cell(values, list_column);
            let name = choices.cell(values, name_column);
            if list.is_empty() || name.is_empty() {
                let column = if list.is_empty() { list_column } else { name_column };
                problems.push(choices.problem(Some(*row), column, FormProblemKind::Missing));
                continue;
            }
            places.lists.push((list.to_owned(), name.to_owned(), *row));
            if let Ok(Some(label)) = row_text(choices, *row, values, &label_columns, true, &mut problems) {
                lists.entry(list.to_owned()).or_default().push(Choice { name: name.to_owned(), label });
            }
        }
    }

    // Survey.
    let column = |name: &str| survey.column(name);
    let (type_column, name_column) = (column("type"), column("name"));
    for (col, name) in [(type_column, "type"), (name_column, "name")] {
        if col.is_none() {
            problems.push(survey.problem(
                Some(survey.header_row),
                None,
                FormProblemKind::MissingColumn { column: name.to_owned() },
            ));
        }
    }
    let label_columns = text_columns(&survey, "label", default_lang, &mut problems);
    require_languages(&survey, "label", &label_columns, &mut problems);
    let hint_columns = text_columns(&survey, "hint", default_lang, &mut problems);
    let mut groups: Vec<(usize, Option<Expr>)> = Vec::new();
    let mut items = Vec::new();
    for (row, values) in &survey.rows {
        let row = *row;
        let cell = |name: &str| survey.cell(values, column(name));
        let at = |name: &str, kind| survey.problem(Some(row), column(name), kind);
        let type_text = cell("type");
        let words: Vec<&str> = type_text.split_whitespace().collect();
        let type_name = words.first().map(|w| w.to_ascii_lowercase()).unwrap_or_default();
        let type_name = match (type_name.as_str(), words.get(1)) {
            ("begin" | "end" | "select", Some(second)) => {
                format!("{type_name}_{}", second.to_ascii_lowercase())
            }
            _ => type_name,
        };
        let rest: Vec<&str> = if type_text.to_ascii_lowercase().starts_with("select ")
            || type_text.to_ascii_lowercase().starts_with("begin ")
            || type_text.to_ascii_lowercase().starts_with("end ")
        {
            words.iter().skip(2).copied().collect()
        } else {
            words.iter().skip(1).copied().collect()
        };
        let relevant = match cell("relevant") {
            "" => Ok(None),
            source => Expr::parse(source).map(Some).map_err(|error| {
                problems.push(at("relevant", FormProblemKind::BadRelevance { error }));
            }),
        };
        match type_name.as_str() {
            "" => {
                if !cell("name").is_empty() {
                    problems.push(at("type", FormProblemKind::Missing));
                }
                continue;
            }
            "begin_group" => {
                groups.push((row, relevant.unwrap_or(None)));
                continue;
            }
            "end_group" => {
                if groups.pop().is_none() {
                    problems.push(at("type", FormProblemKind::UnbalancedGroup));
                }
                continue;
            }
            t if META_TYPES.contains(&t) => continue,
            _ => {}
        }
        let name = cell("name");
        if name.is_empty() {
            problems.push(at("name", FormProblemKind::Missing));
            continue;
        }
        places.items.push((name.to_owned(), row));
        let required = boolean(cell("required")).unwrap_or_else(|| {
            problems.push(at("required", FormProblemKind::NotABoolean { value: cell("required").to_owned() }));
            false
        });
        let role = match cell("sakshy_role") {
            "" => None,
            value => ItemRole::parse(value).or_else(|| {
                problems.push(at("sakshy_role", FormProblemKind::UnknownRole { value: value.to_owned() }));
                None
            }),
        };
        let bounds = constraint(cell("constraint")).unwrap_or_else(|| {
            problems.push(at(
                "constraint",
                FormProblemKind::UnsupportedConstraint { constraint: cell("constraint").to_owned() },
            ));
            Bounds::default()
        });
        let list = rest.first().map(|list| (*list).to_owned());
        let likert = cell("appearance").to_ascii_lowercase().split_whitespace().any(|a| a == "likert");
        let unsupported = FormProblemKind::UnsupportedType { type_name: type_text.to_owned() };
        let kind = match (type_name.as_str(), list, rest.len()) {
            ("select_one", Some(_), 1) if role == Some(ItemRole::Quadrant) => Some(ItemKind::Quadrant),
            ("select_one", Some(list), 1) if likert => Some(ItemKind::Likert { list }),
            ("select_one", Some(list), 1) => {
                let names: BTreeSet<&str> =
                    lists.get(&list).map(|c| c.iter().map(|c| c.name.as_str()).collect()).unwrap_or_default();
                if lists.get(&list).is_some_and(|c| c.len() == 2) && names == BTreeSet::from(["yes", "no"]) {
                    Some(ItemKind::YesNo)
                } else {
                    Some(ItemKind::SingleChoice { list })
                }
            }
            ("select_multiple", Some(list), 1) => Some(ItemKind::MultipleChoice { list }),
            ("integer", None, 0) => {
                Some(ItemKind::Integer { min: bounds.min.map(|v| v as i64), max: bounds.max.map(|v| v as i64) })
            }
            ("decimal", None, 0) => Some(ItemKind::Decimal { min: bounds.min, max: bounds.max }),
            ("text", None, 0) => Some(ItemKind::Text { max_chars: bounds.max_chars.unwrap_or(DEFAULT_TEXT_MAX_CHARS) }),
            ("note", None, 0) => Some(ItemKind::Note),
            ("geopoint", None, 0) => Some(ItemKind::Location),
            _ => None,
        };
        let Some(kind) = kind else {
            problems.push(at("type", unsupported));
            continue;
        };
        let label = row_text(&survey, row, values, &label_columns, true, &mut problems);
        let hint = row_text(&survey, row, values, &hint_columns, false, &mut problems);
        let mut relevant = relevant.ok().flatten();
        for (_, group) in groups.iter().rev() {
            if let Some(group) = group {
                relevant = Some(match relevant {
                    Some(own) => Expr::and(group, &own),
                    None => group.clone(),
                });
            }
        }
        if let (Ok(Some(label)), Ok(hint)) = (label, hint) {
            items.push(Item { name: name.to_owned(), kind, label, hint, required, relevant, role });
        }
    }
    for (row, _) in groups {
        problems.push(survey.problem(Some(row), type_column, FormProblemKind::UnbalancedGroup));
    }

    // Indices.
    let mut specs: Vec<IndexSpec> = Vec::new();
    if let Some(sheet) = &indices {
        let label_columns = text_columns(sheet, "label", default_lang, &mut problems);
        require_languages(sheet, "label", &label_columns, &mut problems);
        for (row, values) in &sheet.rows {
            let row = *row;
            let cell = |name: &str| sheet.cell(values, sheet.column(name));
            let at = |name: &str, kind| sheet.problem(Some(row), sheet.column(name), kind);
            let (code, item) = (cell("index"), cell("item"));
            if code.is_empty() || item.is_empty() {
                problems.push(at(if code.is_empty() { "index" } else { "item" }, FormProblemKind::Missing));
                continue;
            }
            places.indices.push((code.to_owned(), item.to_owned(), row));
            let reversed = boolean(cell("reverse")).unwrap_or_else(|| {
                problems.push(at("reverse", FormProblemKind::NotABoolean { value: cell("reverse").to_owned() }));
                false
            });
            let min_answered = match cell("min_answered") {
                "" => None,
                value => value.parse::<usize>().ok().map(Some).unwrap_or_else(|| {
                    problems.push(at("min_answered", FormProblemKind::NotANumber { value: value.to_owned() }));
                    None
                }),
            };
            let label = row_text(sheet, row, values, &label_columns, false, &mut problems).ok().flatten();
            let entry = IndexItem { name: item.to_owned(), reversed };
            match specs.iter_mut().find(|spec| spec.code == code) {
                Some(spec) => {
                    let disagrees = label.as_ref().is_some_and(|l| *l != spec.label)
                        || min_answered.is_some_and(|m| m != spec.min_answered);
                    if disagrees {
                        problems.push(at("index", FormProblemKind::InconsistentIndex { index: code.to_owned() }));
                    }
                    spec.items.push(entry);
                }
                None => match label {
                    Some(label) => specs.push(IndexSpec {
                        code: code.to_owned(),
                        label,
                        items: vec![entry],
                        min_answered: min_answered.unwrap_or(1),
                    }),
                    None => {
                        for lang in Lang::ALL {
                            let column = label_columns.get(&lang).copied();
                            if sheet.cell(values, column).is_empty() && column.is_some() {
                                problems.push(sheet.problem(
                                    Some(row),
                                    column,
                                    FormProblemKind::MissingLanguage { lang },
                                ));
                            }
                        }
                    }
                },
            }
        }
    }

    let Ok(Some(title)) = title else { return Err(problems) };
    let used: BTreeSet<&str> = items.iter().filter_map(|item: &Item| item.kind.list()).collect();
    let choice_lists =
        lists.iter().filter(|(list, _)| used.contains(list.as_str())).map(|(k, v)| (k.clone(), v.clone())).collect();
    let instrument = Instrument { code, version, title, default_lang, items, choice_lists, indices: specs };
    if let Err(found) = instrument.validate() {
        for mut problem in found {
            places.place(&mut problem);
            if !problems.contains(&problem) {
                problems.push(problem);
            }
        }
    }
    if problems.is_empty() { Ok(instrument) } else { Err(problems) }
}
