//! Responses exported from `KoboToolbox` or ODK as CSV, and population margins (age band × sex per district).
//!
//! A responses file is read row by row, each row checked with [`Instrument::check`]; a row with problems is
//! reported with its physical line and left out, and the reading goes on. Columns the instrument does not know
//! are one file-level list, not row errors.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use super::check::parse_decimal;
use super::{AnswerProblemKind, Answers, Choice, Instrument, ItemKind};

/// A responses file read: the good rows and the problems of the others.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponsesFile {
    /// The rows without problems, checked and normalised, in file order.
    pub rows: Vec<ImportedResponse>,
    /// Every problem of the other rows, in file order (a row may have several).
    pub problems: Vec<RowProblem>,
    /// Header columns that are neither items, their options, nor known export metadata (a warning).
    pub unknown_columns: Vec<String>,
    /// Data rows read, good or bad.
    pub rows_read: usize,
}

/// One good row.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedResponse {
    /// The row's physical line in the file (the header is line 1).
    pub line: usize,
    /// The submission's id in its source (`meta/instanceID`, `_uuid`, `KEY` or `_id`), if the file has one.
    pub source_id: Option<String>,
    /// When it was submitted, as written in the file (`_submission_time` or `SubmissionDate`).
    pub submitted_at: Option<String>,
    /// The answers, as [`Instrument::check`] returns them.
    pub answers: Answers,
}

/// One problem of one row.
#[derive(Debug, Clone, PartialEq)]
pub struct RowProblem {
    /// The row's physical line in the file (the header is line 1).
    pub line: usize,
    /// The column at fault, as named in the header, if one is.
    pub column: Option<String>,
    /// The item at fault, if one is.
    pub item: Option<String>,
    /// What is wrong.
    pub kind: RowProblemKind,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Why a row is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RowProblemKind {
    /// An answer's problem, as [`Instrument::check`] finds it.
    #[error(transparent)]
    Answer(AnswerProblemKind),
    /// The row has another number of values than the header.
    #[error("the row has {found} values, but the header has {expected}")]
    FieldCount {
        /// Columns in the header.
        expected: usize,
        /// Values in this row.
        found: usize,
    },
    /// The submission id was already used by an earlier row.
    #[error("submission {source_id:?} also appears on line {first_line}")]
    DuplicateSubmission {
        /// The repeated id.
        source_id: String,
        /// The first line that has it.
        first_line: usize,
    },
    /// A multiple-choice option column holds something other than 0/1.
    #[error("{value:?} is not 0 or 1")]
    NotAFlag {
        /// The value as written.
        value: String,
    },
}

/// Why a whole file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// The file has nothing in it.
    #[error("the file is empty")]
    Empty,
    /// The file has no header row, or no data rows.
    #[error("the file has no header and data rows")]
    NoHeader,
    /// The header has no column for any item of the instrument.
    #[error("no column of the header is an item of the instrument")]
    NoItemColumns,
    /// Two columns of the header hold the same item.
    #[error("columns {first:?} and {second:?} both hold item {item:?}")]
    DuplicateColumn {
        /// The item.
        item: String,
        /// The first column.
        first: String,
        /// The second.
        second: String,
    },
    /// The CSV cannot be decoded (e.g. an unclosed quote).
    #[error("line {line}: the CSV cannot be read: {message}")]
    Undecodable {
        /// The line where reading stopped.
        line: usize,
        /// The reader's message.
        message: String,
    },
}

/// Export metadata columns that are read (source id, submission time) or ignored.
const META_COLUMNS: &[&str] = &[
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "simserial",
    "subscriberid",
    "phonenumber",
    "audit",
    "instanceid",
    "instancename",
    "key",
    "submissiondate",
    "submitterid",
    "submittername",
    "attachmentspresent",
    "attachmentsexpected",
    "status",
    "reviewstate",
    "edits",
    "formversion",
    "parent_key",
];

/// Which separator a file uses: `;` if its first line has more of them (outside quotes) than `,`.
fn detect_separator(text: &str) -> u8 {
    let (mut commas, mut semicolons, mut quoted) = (0, 0, false);
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

#[derive(Debug, Clone)]
enum Column {
    Item(usize),
    Option { item: usize, choice: String },
    SourceId(u8),
    SubmittedAt(u8),
    Ignored,
    Unknown,
}

/// What a header column holds.
fn classify(instrument: &Instrument, header: &str) -> Column {
    let segments: Vec<&str> = header.split('/').map(str::trim).collect();
    let last = segments.last().copied().unwrap_or_default();
    let lower = header.to_ascii_lowercase();
    match lower.as_str() {
        "meta/instanceid" | "instanceid" => return Column::SourceId(0),
        "_uuid" => return Column::SourceId(1),
        "key" => return Column::SourceId(2),
        "_id" => return Column::SourceId(3),
        "_submission_time" => return Column::SubmittedAt(0),
        "submissiondate" => return Column::SubmittedAt(1),
        _ => {}
    }
    if last.starts_with('_') || lower.starts_with("meta/") || lower.starts_with("formhub/") {
        return Column::Ignored;
    }
    if let Some(index) = instrument.items.iter().position(|item| item.name == last) {
        return Column::Item(index);
    }
    if segments.len() >= 2 {
        let parent = segments[segments.len() - 2];
        if let Some(index) = instrument.items.iter().position(|item| item.name == parent)
            && matches!(instrument.items[index].kind, ItemKind::MultipleChoice { .. })
            && instrument.choices(&instrument.items[index]).iter().any(|choice| choice.name == last)
        {
            return Column::Option { item: index, choice: last.to_owned() };
        }
    }
    if META_COLUMNS.contains(&lower.as_str()) {
        return Column::Ignored;
    }
    Column::Unknown
}

/// The choice named or labelled `value` (in any language, ignoring case), if any.
fn choice_name<'a>(choices: &'a [Choice], value: &str) -> Option<&'a str> {
    let value = value.trim();
    if let Some(choice) = choices.iter().find(|choice| choice.name == value) {
        return Some(&choice.name);
    }
    let folded = value.to_lowercase();
    choices
        .iter()
        .find(|choice| {
            [choice.label.kk(), choice.label.ru(), choice.label.en()]
                .iter()
                .any(|label| label.trim().to_lowercase() == folded)
        })
        .map(|choice| choice.name.as_str())
}

/// Maps a choice value written as names or labels to names; leaves it unchanged when it cannot (the check then
/// reports it).
fn normalise_choice(instrument: &Instrument, kind: &ItemKind, choices: &[Choice], value: &str) -> String {
    let value = value.trim();
    if value.is_empty() {
        return String::new();
    }
    match kind {
        ItemKind::YesNo => match value.to_lowercase().as_str() {
            "1" | "true" => "yes".to_owned(),
            "0" | "false" => "no".to_owned(),
            _ => choice_name(choices, value).unwrap_or(value).to_owned(),
        },
        ItemKind::SingleChoice { .. } | ItemKind::Likert { .. } => {
            choice_name(choices, value).unwrap_or(value).to_owned()
        }
        ItemKind::MultipleChoice { .. } => {
            let _ = instrument;
            if value.split_whitespace().all(|token| choices.iter().any(|choice| choice.name == token)) {
                return value.to_owned();
            }
            if let Some(name) = choice_name(choices, value) {
                return name.to_owned();
            }
            for separator in [';', ','] {
                let parts: Vec<Option<&str>> =
                    value.split(separator).filter(|p| !p.trim().is_empty()).map(|p| choice_name(choices, p)).collect();
                if parts.len() > 1 && parts.iter().all(Option::is_some) {
                    return parts.into_iter().flatten().collect::<Vec<_>>().join(" ");
                }
            }
            value.to_owned()
        }
        _ => value.to_owned(),
    }
}

/// Reads responses exported from `KoboToolbox` or ODK (CSV, `,` or `;` separated, detected from the header;
/// a byte-order mark is skipped).
///
/// Headers may be item names or group paths (`grp/q1`); a multiple choice may come as one column of
/// space-separated names and/or as `q/option` columns of 0/1 (used when the item's own column is absent or
/// empty); choice values may be names or labels in any of the three languages. Export metadata is ignored except
/// the submission id and time. Each row is checked with [`Instrument::check`]; a repeated submission id is a
/// problem of the later row.
///
/// # Errors
///
/// [`FileProblem`] when the file as a whole cannot be read.
pub fn parse_responses_csv(instrument: &Instrument, text: &str) -> Result<ResponsesFile, FileProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_separator(text))
        .flexible(true)
        .has_headers(true)
        .from_reader(text.as_bytes());
    let undecodable = |err: csv::Error| FileProblem::Undecodable {
        line: err.position().map_or(1, |p| p.line() as usize),
        message: err.to_string(),
    };
    let headers: Vec<String> = reader.headers().map_err(undecodable)?.iter().map(|h| h.trim().to_owned()).collect();
    let columns: Vec<Column> = headers.iter().map(|header| classify(instrument, header)).collect();
    let mut item_column: BTreeMap<usize, usize> = BTreeMap::new();
    for (idx, column) in columns.iter().enumerate() {
        if let Column::Item(item) = column
            && let Some(first) = item_column.insert(*item, idx)
        {
            return Err(FileProblem::DuplicateColumn {
                item: instrument.items[*item].name.clone(),
                first: headers[first].clone(),
                second: headers[idx].clone(),
            });
        }
    }
    let has_options = columns.iter().any(|c| matches!(c, Column::Option { .. }));
    if item_column.is_empty() && !has_options {
        return Err(FileProblem::NoItemColumns);
    }
    let best = |wanted: fn(&Column) -> Option<u8>| {
        columns.iter().enumerate().filter_map(|(idx, c)| wanted(c).map(|rank| (rank, idx))).min().map(|(_, idx)| idx)
    };
    let source_column = best(|c| if let Column::SourceId(rank) = c { Some(*rank) } else { None });
    let time_column = best(|c| if let Column::SubmittedAt(rank) = c { Some(*rank) } else { None });
    let unknown_columns =
        headers.iter().zip(&columns).filter(|(_, c)| matches!(c, Column::Unknown)).map(|(h, _)| h.clone()).collect();
    let choices: Vec<Vec<Choice>> = instrument.items.iter().map(|item| instrument.choices(item)).collect();

    let mut file = ResponsesFile { rows: Vec::new(), problems: Vec::new(), unknown_columns, rows_read: 0 };
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(undecodable(err)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        file.rows_read += 1;
        let mut problems = Vec::new();
        if record.len() != headers.len() {
            file.problems.push(RowProblem {
                line,
                column: None,
                item: None,
                kind: RowProblemKind::FieldCount { expected: headers.len(), found: record.len() },
            });
            continue;
        }
        let mut answers = Answers::new();
        let mut options: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        for (idx, column) in columns.iter().enumerate() {
            let value = record.get(idx).unwrap_or_default().trim();
            match column {
                Column::Item(item) => {
                    let kind = &instrument.items[*item].kind;
                    let value = normalise_choice(instrument, kind, &choices[*item], value);
                    if !value.is_empty() {
                        answers.insert(instrument.items[*item].name.clone(), value);
                    }
                }
                Column::Option { item, choice } => match value {
                    "1" | "1.0" | "True" | "true" => {
                        options.entry(*item).or_default().insert(choice.clone());
                    }
                    "0" | "0.0" | "False" | "false" | "" => {}
                    other => problems.push(RowProblem {
                        line,
                        column: Some(headers[idx].clone()),
                        item: Some(instrument.items[*item].name.clone()),
                        kind: RowProblemKind::NotAFlag { value: other.to_owned() },
                    }),
                },
                _ => {}
            }
        }
        for (item, chosen) in options {
            let name = &instrument.items[item].name;
            if !answers.contains_key(name) && !chosen.is_empty() {
                let ordered: Vec<&str> = choices[item]
                    .iter()
                    .filter(|choice| chosen.contains(&choice.name))
                    .map(|choice| choice.name.as_str())
                    .collect();
                answers.insert(name.clone(), ordered.join(" "));
            }
        }
        let cell = |column: Option<usize>| {
            column.and_then(|idx| record.get(idx)).map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned)
        };
        let source_id = cell(source_column);
        if let Some(id) = &source_id {
            if let Some(first_line) = first_line_of.get(id) {
                problems.push(RowProblem {
                    line,
                    column: source_column.map(|idx| headers[idx].clone()),
                    item: None,
                    kind: RowProblemKind::DuplicateSubmission { source_id: id.clone(), first_line: *first_line },
                });
            } else {
                first_line_of.insert(id.clone(), line);
            }
        }
        match instrument.check(&answers) {
            Ok(answers) if problems.is_empty() => {
                file.rows.push(ImportedResponse { line, source_id, submitted_at: cell(time_column), answers });
            }
            Ok(_) => {}
            Err(found) => problems.extend(found.into_iter().map(|problem| {
                let item = instrument.items.iter().position(|item| item.name == problem.item);
                let column = item.and_then(|item| {
                    item_column.get(&item).copied().or_else(|| {
                        columns.iter().position(|c| matches!(c, Column::Option { item: i, .. } if *i == item))
                    })
                });
                RowProblem {
                    line,
                    column: column.map(|idx| headers[idx].clone()),
                    item: Some(problem.item),
                    kind: RowProblemKind::Answer(problem.kind),
                }
            })),
        }
        file.problems.extend(problems);
    }
    if file.rows_read == 0 {
        return Err(FileProblem::NoHeader);
    }
    Ok(file)
}

/// One cell of the population margins: people of an age band and sex in a district.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationCell {
    /// The physical line it was read from (the header is line 1).
    pub line: usize,
    /// The district's territory code.
    pub district: String,
    /// The age band, as the instrument's age-band choice name (e.g. `30-44`).
    pub age_band: String,
    /// The sex, as the instrument's sex choice name (e.g. `female`).
    pub sex: String,
    /// The number of people, positive.
    pub population: f64,
}

/// One problem of a margins file.
#[derive(Debug, Clone, PartialEq)]
pub struct MarginProblem {
    /// The physical line (the header is line 1).
    pub line: usize,
    /// The column at fault, if one is.
    pub column: Option<String>,
    /// What is wrong.
    pub kind: MarginProblemKind,
}

impl fmt::Display for MarginProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(column) = &self.column {
            write!(f, ", column {column}")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// Why a margins file or row is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MarginProblemKind {
    /// No header or no rows.
    #[error("the file has no header and data rows")]
    Empty,
    /// The CSV cannot be decoded.
    #[error("the CSV cannot be read: {message}")]
    Undecodable {
        /// The reader's message.
        message: String,
    },
    /// A required column is missing from the header.
    #[error("the header has no column {column:?}: expected district, age_band, sex, population")]
    MissingColumn {
        /// The column.
        column: &'static str,
    },
    /// The row has another number of values than the header.
    #[error("the row has {found} values, but the header has {expected}")]
    FieldCount {
        /// Columns in the header.
        expected: usize,
        /// Values in this row.
        found: usize,
    },
    /// A value is empty.
    #[error("a value is required")]
    Missing,
    /// The population is not a finite positive number.
    #[error("{value:?} is not a positive number")]
    NotPositive {
        /// The value as written.
        value: String,
    },
    /// The same district, age band and sex were given on an earlier line.
    #[error("this district, age band and sex already appear on line {first_line}")]
    Duplicate {
        /// The earlier line.
        first_line: usize,
    },
    /// The district is not one of the city's (found by [`unknown_districts`]).
    #[error("district {code} is not one of the city's")]
    UnknownDistrict {
        /// The code as written.
        code: String,
    },
}

/// The cells whose district the city does not have (`is_district` says which codes it has), as problems at their
/// line, in the `district` column.
pub fn unknown_districts(cells: &[PopulationCell], is_district: impl Fn(&str) -> bool) -> Vec<MarginProblem> {
    cells
        .iter()
        .filter(|cell| !is_district(&cell.district))
        .map(|cell| MarginProblem {
            line: cell.line,
            column: Some("district".to_owned()),
            kind: MarginProblemKind::UnknownDistrict { code: cell.district.clone() },
        })
        .collect()
}

/// Reads population margins: a CSV (`,` or `;`) with the columns `district`, `age_band`, `sex`, `population`
/// (in any order). The population must be a finite positive number (spaces as thousands separators and a
/// decimal comma are accepted); each (district, age band, sex) once.
///
/// # Errors
///
/// Every problem, each with its line and column.
pub fn parse_margins_csv(text: &str) -> Result<Vec<PopulationCell>, Vec<MarginProblem>> {
    const COLUMNS: [&str; 4] = ["district", "age_band", "sex", "population"];
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |line, column: Option<&str>, kind| MarginProblem { line, column: column.map(str::to_owned), kind };
    if text.trim().is_empty() {
        return Err(vec![problem(1, None, MarginProblemKind::Empty)]);
    }
    let mut reader =
        csv::ReaderBuilder::new().delimiter(detect_separator(text)).flexible(true).from_reader(text.as_bytes());
    let undecodable = |err: csv::Error| {
        let line = err.position().map_or(1, |p| p.line() as usize);
        vec![MarginProblem { line, column: None, kind: MarginProblemKind::Undecodable { message: err.to_string() } }]
    };
    let headers: Vec<String> =
        reader.headers().map_err(undecodable)?.iter().map(|h| h.trim().to_ascii_lowercase()).collect();
    let mut positions = [0; 4];
    let mut problems = Vec::new();
    for (slot, column) in positions.iter_mut().zip(COLUMNS) {
        match headers.iter().position(|header| header == column) {
            Some(idx) => *slot = idx,
            None => problems.push(problem(1, Some(column), MarginProblemKind::MissingColumn { column })),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut cells = Vec::new();
    let mut first_line_of: HashMap<(String, String, String), usize> = HashMap::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(err) => return Err(undecodable(err)),
        }
        let line = record.position().map_or(0, |p| p.line() as usize);
        if record.iter().all(|value| value.trim().is_empty()) {
            continue;
        }
        if record.len() != headers.len() {
            let kind = MarginProblemKind::FieldCount { expected: headers.len(), found: record.len() };
            problems.push(problem(line, None, kind));
            continue;
        }
        let before = problems.len();
        let mut values = [""; 4];
        for ((value, idx), column) in values.iter_mut().zip(positions).zip(COLUMNS) {
            *value = record.get(idx).unwrap_or_default().trim();
            if value.is_empty() {
                problems.push(problem(line, Some(column), MarginProblemKind::Missing));
            }
        }
        let [district, age_band, sex, population] = values;
        let cleaned: String = population.chars().filter(|c| !c.is_whitespace()).collect();
        let population_value = parse_decimal(&cleaned).filter(|n| *n > 0.0);
        if population_value.is_none() && !population.is_empty() {
            let kind = MarginProblemKind::NotPositive { value: population.to_owned() };
            problems.push(problem(line, Some("population"), kind));
        }
        if problems.len() > before {
            continue;
        }
        let key = (district.to_owned(), age_band.to_owned(), sex.to_owned());
        if let Some(first_line) = first_line_of.get(&key) {
            problems.push(problem(line, None, MarginProblemKind::Duplicate { first_line: *first_line }));
            continue;
        }
        first_line_of.insert(key, line);
        cells.push(PopulationCell {
            line,
            district: district.to_owned(),
            age_band: age_band.to_owned(),
            sex: sex.to_owned(),
            population: population_value.unwrap_or_default(),
        });
    }
    if cells.is_empty() && problems.is_empty() {
        problems.push(problem(1, None, MarginProblemKind::Empty));
    }
    if problems.is_empty() { Ok(cells) } else { Err(problems) }
}
