//! The survey module's problems in the reader's language: problems of an instrument file (sheet, row, column,
//! what is wrong), of an answer, of a row of a responses export or a margins file, and refusals of the store.
//! The core returns every problem as structured data; here each variant becomes a Fluent message
//! (`locales/*/main.ftl`, the `survey-problem-*` block).

use fluent_templates::fluent_bundle::FluentValue;
use sakshy_core::survey::{
    AnswerProblemKind, ExprError, ExprErrorKind, FileProblem, FormProblem, FormProblemKind, ItemKind, MarginProblem,
    MarginProblemKind, RowProblem, RowProblemKind,
};
use sakshy_store::SurveyStoreError;

use crate::pages::PageContext;

fn v(value: impl ToString) -> FluentValue<'static> {
    FluentValue::from(value.to_string())
}

fn n(value: usize) -> FluentValue<'static> {
    FluentValue::from(value as i64)
}

/// The kind of a question, as the instrument preview names it.
pub(crate) fn kind_label(page: &PageContext, kind: &ItemKind) -> String {
    page.t(&format!("survey-kind-{}", kind.as_str().replace('_', "-")))
}

/// What is wrong with an answer.
pub(crate) fn answer_problem(page: &PageContext, kind: &AnswerProblemKind) -> String {
    let lang = page.lang;
    let number = |value: f64| crate::analytics_pages::local_number(lang, value);
    match kind {
        AnswerProblemKind::Required => page.t("survey-problem-required"),
        AnswerProblemKind::UnknownItem => page.t("survey-problem-unknown-item"),
        AnswerProblemKind::NotAnswerable => page.t("survey-problem-note"),
        AnswerProblemKind::NotAChoice { value } => page.tr("survey-problem-not-a-choice", &[("value", v(value))]),
        AnswerProblemKind::DuplicateChoice { value } => page.tr("survey-problem-chosen-twice", &[("value", v(value))]),
        AnswerProblemKind::NotAnInteger { value } => page.tr("survey-problem-not-integer", &[("value", v(value))]),
        AnswerProblemKind::NotANumber { value } => page.tr("survey-problem-not-number", &[("value", v(value))]),
        AnswerProblemKind::OutOfRange { value, min, max } => page.tr(
            "survey-problem-range",
            &[
                ("value", v(number(*value))),
                ("min", v(min.map_or_else(|| "…".to_owned(), number))),
                ("max", v(max.map_or_else(|| "…".to_owned(), number))),
            ],
        ),
        AnswerProblemKind::TooLong { max_chars } => page.tr("survey-problem-too-long", &[("chars", n(*max_chars))]),
        AnswerProblemKind::BadLocation { value } => page.tr("survey-problem-location", &[("value", v(value))]),
    }
}

/// Where an instrument problem is: sheet, row, column and item, as far as known.
pub(crate) fn form_place(page: &PageContext, problem: &FormProblem) -> String {
    let mut parts = vec![page.tr("survey-place-sheet", &[("file", v(&problem.sheet))])];
    if let Some(row) = problem.row {
        parts.push(page.tr("survey-place-row", &[("line", n(row))]));
    }
    if let Some(column) = &problem.column {
        parts.push(page.tr("survey-place-column", &[("column", v(column))]));
    }
    if let Some(item) = &problem.item {
        parts.push(page.tr("survey-place-item", &[("code", v(item))]));
    }
    parts.join(", ")
}

fn expr_problem(page: &PageContext, error: &ExprError) -> String {
    let detail = match &error.kind {
        ExprErrorKind::UnknownFunction(name) => page.tr("survey-problem-expr-function", &[("value", v(name))]),
        ExprErrorKind::UnterminatedString => page.t("survey-problem-expr-string"),
        ExprErrorKind::Empty => page.t("survey-problem-expr-empty"),
        ExprErrorKind::UnexpectedChar(c) => page.tr("survey-problem-expr-char", &[("value", v(c))]),
        ExprErrorKind::BadReference => page.t("survey-problem-expr-reference"),
        ExprErrorKind::Unexpected { found, .. } => page.tr("survey-problem-expr-unexpected", &[("value", v(found))]),
        ExprErrorKind::UnexpectedEnd { .. } => page.t("survey-problem-expr-end"),
        ExprErrorKind::ArgumentCount { function, expected, found } => page.tr(
            "survey-problem-expr-arguments",
            &[("value", v(function)), ("expected", n(*expected)), ("found", n(*found))],
        ),
        ExprErrorKind::BareName(name) => page.tr("survey-problem-expr-bare", &[("value", v(name))]),
    };
    page.tr("survey-problem-expr", &[("at", n(error.position + 1)), ("detail", v(detail))])
}

/// What is wrong in an instrument.
pub(crate) fn form_problem(page: &PageContext, problem: &FormProblem) -> String {
    use FormProblemKind as K;
    let t = |key: &str| page.t(key);
    let tr = |key: &str, args: &[(&'static str, FluentValue<'static>)]| page.tr(key, args);
    match &problem.kind {
        K::Unreadable { message } => tr("survey-problem-unreadable", &[("detail", v(message))]),
        K::MissingSheet { sheet } => tr("survey-problem-missing-sheet", &[("file", v(sheet))]),
        K::MissingColumn { column } => tr("survey-problem-missing-column", &[("column", v(column))]),
        K::DuplicateColumn { column } => tr("survey-problem-duplicate-column", &[("column", v(column))]),
        K::UnknownLanguage { column } => tr("survey-problem-unknown-language", &[("column", v(column))]),
        K::Missing => t("survey-problem-missing"),
        K::MissingLanguage { lang } => tr("survey-problem-missing-language", &[("lang", v(lang.code()))]),
        K::UnsupportedType { type_name } => tr("survey-problem-unsupported-type", &[("type", v(type_name))]),
        K::UnbalancedGroup => t("survey-problem-unbalanced-group"),
        K::NotABoolean { value } => tr("survey-problem-not-boolean", &[("value", v(value))]),
        K::NotANumber { value } => tr("survey-problem-not-number", &[("value", v(value))]),
        K::UnsupportedConstraint { constraint } => {
            tr("survey-problem-unsupported-constraint", &[("value", v(constraint))])
        }
        K::BadRelevance { error } => expr_problem(page, error),
        K::BadName { name } => tr("survey-problem-bad-name", &[("value", v(name))]),
        K::DuplicateItem { name } => tr("survey-problem-duplicate-item", &[("code", v(name))]),
        K::UnknownList { list } => tr("survey-problem-unknown-list", &[("code", v(list))]),
        K::EmptyList { list } => tr("survey-problem-empty-list", &[("code", v(list))]),
        K::ShortScale { list, found } => tr("survey-problem-short-scale", &[("code", v(list)), ("found", n(*found))]),
        K::DuplicateChoice { list, name } => {
            tr("survey-problem-duplicate-choice", &[("code", v(list)), ("value", v(name))])
        }
        K::RelevanceNotEarlier { reference } => tr("survey-problem-not-earlier", &[("code", v(reference))]),
        K::BadBounds => t("survey-problem-bad-bounds"),
        K::DuplicateRole { role, first, second } => {
            tr("survey-problem-duplicate-role", &[("role", v(role)), ("first", v(first)), ("second", v(second))])
        }
        K::RoleOnWrongKind { role, kind } => tr("survey-problem-role-kind", &[("role", v(role)), ("kind", v(kind))]),
        K::UnknownRole { value } => tr("survey-problem-unknown-role", &[("value", v(value))]),
        K::DuplicateIndex { code } => tr("survey-problem-duplicate-index", &[("code", v(code))]),
        K::EmptyIndex { code } => tr("survey-problem-empty-index", &[("code", v(code))]),
        K::UnknownIndexItem { index, item } => {
            tr("survey-problem-index-item", &[("index", v(index)), ("code", v(item))])
        }
        K::IndexItemNotScale { index, item } => {
            tr("survey-problem-index-scale", &[("index", v(index)), ("code", v(item))])
        }
        K::DuplicateIndexItem { index, item } => {
            tr("survey-problem-index-twice", &[("index", v(index)), ("code", v(item))])
        }
        K::BadMinAnswered { index, items, min_answered } => {
            tr("survey-problem-min-answered", &[("index", v(index)), ("max", n(*items)), ("value", n(*min_answered))])
        }
        K::InconsistentIndex { index } => tr("survey-problem-index-inconsistent", &[("index", v(index))]),
    }
}

/// Where a row problem of a responses or margins file is.
fn line_place(page: &PageContext, line: usize, column: Option<&str>) -> String {
    match column {
        Some(column) => page.tr("survey-place-line-column", &[("line", n(line)), ("column", v(column))]),
        None => page.tr("survey-place-row", &[("line", n(line))]),
    }
}

/// A problem of a row of a file: responses or margins.
pub(crate) trait LineProblem {
    /// Where.
    fn place(&self, page: &PageContext) -> String;
    /// What.
    fn message(&self, page: &PageContext) -> String;
}

impl LineProblem for RowProblem {
    fn place(&self, page: &PageContext) -> String {
        line_place(page, self.line, self.column.as_deref())
    }

    fn message(&self, page: &PageContext) -> String {
        match &self.kind {
            RowProblemKind::Answer(kind) => {
                let text = answer_problem(page, kind);
                match &self.item {
                    Some(item) if self.column.as_deref() != Some(item) => format!("{item}: {text}"),
                    _ => text,
                }
            }
            RowProblemKind::FieldCount { expected, found } => {
                page.tr("survey-problem-field-count", &[("expected", n(*expected)), ("found", n(*found))])
            }
            RowProblemKind::DuplicateSubmission { source_id, first_line } => {
                page.tr("survey-problem-duplicate-submission", &[("value", v(source_id)), ("line", n(*first_line))])
            }
            RowProblemKind::NotAFlag { value } => page.tr("survey-problem-not-flag", &[("value", v(value))]),
        }
    }
}

impl LineProblem for MarginProblem {
    fn place(&self, page: &PageContext) -> String {
        line_place(page, self.line, self.column.as_deref())
    }

    fn message(&self, page: &PageContext) -> String {
        match &self.kind {
            MarginProblemKind::Empty => page.t("survey-problem-no-rows"),
            MarginProblemKind::Undecodable { message } => {
                page.tr("survey-problem-unreadable", &[("detail", v(message))])
            }
            MarginProblemKind::MissingColumn { column } => page.tr(
                "survey-problem-missing-column",
                &[("column", v(format!("{column} (district, age_band, sex, population)")))],
            ),
            MarginProblemKind::FieldCount { expected, found } => {
                page.tr("survey-problem-field-count", &[("expected", n(*expected)), ("found", n(*found))])
            }
            MarginProblemKind::Missing => page.t("survey-problem-missing"),
            MarginProblemKind::NotPositive { value } => page.tr("survey-problem-not-positive", &[("value", v(value))]),
            MarginProblemKind::Duplicate { first_line } => {
                page.tr("survey-problem-duplicate-margin", &[("line", n(*first_line))])
            }
            MarginProblemKind::UnknownDistrict { code } => {
                page.tr("survey-problem-unknown-district", &[("code", v(code))])
            }
        }
    }
}

/// Where a row problem is.
pub(crate) fn row_place(page: &PageContext, problem: &impl LineProblem) -> String {
    problem.place(page)
}

/// What a row problem is.
pub(crate) fn row_problem(page: &PageContext, problem: &impl LineProblem) -> String {
    problem.message(page)
}

/// Why a whole responses file cannot be read.
pub(crate) fn file_problem(page: &PageContext, problem: &FileProblem) -> String {
    match problem {
        FileProblem::Empty | FileProblem::NoHeader => page.t("survey-problem-no-rows"),
        FileProblem::NoItemColumns => page.t("survey-problem-no-item-columns"),
        FileProblem::DuplicateColumn { item, first, second } => {
            page.tr("survey-problem-same-item", &[("code", v(item)), ("first", v(first)), ("second", v(second))])
        }
        FileProblem::Undecodable { line, message } => {
            page.tr("survey-problem-undecodable", &[("line", n(*line)), ("detail", v(message))])
        }
    }
}

/// A refusal of the store in words; `None` for a storage failure (a 500).
pub(crate) fn store_error(page: &PageContext, err: &SurveyStoreError) -> Option<String> {
    Some(match err {
        SurveyStoreError::VersionExists { code, version } => {
            page.tr("survey-version-exists", &[("code", v(code)), ("version", v(version))])
        }
        SurveyStoreError::Blank(field) => page.tr("error-missing-field", &[("field", v(field))]),
        SurveyStoreError::DefinitionNotJson { code, .. } => page.tr("survey-problem-definition", &[("code", v(code))]),
        SurveyStoreError::DuplicateWave(code) => page.tr("survey-duplicate-wave", &[("code", v(code))]),
        SurveyStoreError::UnknownInstrument(_) => page.t("survey-no-instrument"),
        SurveyStoreError::BadDates { .. } => page.t("survey-bad-dates"),
        SurveyStoreError::UnknownWave(code) => page.tr("survey-unknown-wave", &[("code", v(code))]),
        SurveyStoreError::BadTransition { .. } | SurveyStoreError::HasResponses { .. } => {
            page.t("survey-status-refused")
        }
        SurveyStoreError::WaveNotOpen { .. } => page.t("survey-not-open"),
        SurveyStoreError::NotByInvitation(_) => page.t("survey-not-invitation"),
        SurveyStoreError::TooManyInvitations(_) => {
            page.tn("survey-invitations-range", "max", crate::survey_pages::MAX_INVITATIONS as i64)
        }
        SurveyStoreError::TokenUnknown => page.t("survey-invitation-unknown"),
        SurveyStoreError::TokenUsed => page.t("survey-invitation-used"),
        SurveyStoreError::DuplicateSource { source_id, .. } => {
            page.tr("survey-problem-duplicate-submission-stored", &[("value", v(source_id))])
        }
        SurveyStoreError::BadAnswers { .. } | SurveyStoreError::UnknownEnumerator { .. } => return None,
        SurveyStoreError::EvaluationInvalid(_) => page.t("eval-bad-units"),
        SurveyStoreError::Storage(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use sakshy_core::Lang;
    use sakshy_core::survey::Expr;

    use super::*;

    fn page(lang: Lang) -> PageContext {
        PageContext::new(lang, "/", chrono_tz::Asia::Almaty, "Шымкент".into())
    }

    #[test]
    fn every_kind_of_bad_condition_is_said_in_each_language() {
        let cases =
            ["", "${a} = 'x", "$a = 1", "${a} = = 1", "${a} =", "foo(${a})", "selected(${a})", ". = 1", "${a} # 1"];
        for lang in Lang::ALL {
            let page = page(lang);
            let mut said = std::collections::BTreeSet::new();
            for source in cases {
                let error = Expr::parse(source).expect_err(source);
                let text = expr_problem(&page, &error);
                assert!(!text.is_empty() && !text.contains(", expected"), "{lang}: {source}: {text}");
                said.insert(text);
            }
            assert_eq!(said.len(), cases.len(), "{lang}: each problem has its own words");
        }
        let text = expr_problem(&page(Lang::Ru), &Expr::parse("${a} = 'x").unwrap_err());
        assert!(
            text.starts_with("условие не читается на символе ") && text.contains("текст в кавычках не закрыт"),
            "{text}"
        );
    }
}
