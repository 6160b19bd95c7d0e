//! One way from checked answers to a stored response, for every channel (the web form, enumerators, imports
//! from KoboToolbox/ODK on the web or the command line, the demo): open text is scrubbed of phone numbers,
//! e-mail addresses, ID numbers and names; the respondent is placed in their quadrant and district (the one
//! they chose, else the one their location falls in); the age band and sex the margins use are picked out.

use sakshy_core::Level;
use sakshy_core::survey::{
    AnswerProblemKind, Answers, ImportedResponse, Instrument, ItemKind, ItemRole, ResponsesFile, RowProblem,
    RowProblemKind, scrub_text,
};
use sakshy_store::{Channel, NewResponse};

use crate::Registry;

/// A response ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedResponse {
    /// The id in its source system (imports), for idempotent re-imports.
    pub source_id: Option<String>,
    /// The quadrant's code.
    pub quadrant: Option<String>,
    /// The district's code.
    pub district: Option<String>,
    /// The age band.
    pub age_band: Option<String>,
    /// The sex.
    pub sex: Option<String>,
    /// The answers as JSON, open text scrubbed.
    pub answers: String,
    /// When it was given, UTC epoch milliseconds.
    pub submitted_at_ms: i64,
}

impl PreparedResponse {
    /// The response as the store takes it.
    pub fn as_new<'a>(&'a self, channel: Channel, token: Option<&'a str>, enumerator: Option<i64>) -> NewResponse<'a> {
        NewResponse {
            channel,
            token,
            source_id: self.source_id.as_deref(),
            quadrant: self.quadrant.as_deref(),
            district: self.district.as_deref(),
            age_band: self.age_band.as_deref(),
            sex: self.sex.as_deref(),
            answers: &self.answers,
            submitted_at_ms: self.submitted_at_ms,
            enumerator,
        }
    }
}

/// Prepares checked answers (as [`Instrument::check`] returns them).
pub fn prepare(
    registry: &Registry,
    instrument: &Instrument,
    mut answers: Answers,
    source_id: Option<String>,
    submitted_at_ms: i64,
) -> PreparedResponse {
    for item in &instrument.items {
        if matches!(item.kind, ItemKind::Text { .. })
            && let Some(text) = answers.get_mut(&item.name)
        {
            *text = scrub_text(text).text;
        }
    }
    let place = crate::survey_form::place_of(registry, instrument, &answers);
    let role = |role: ItemRole| instrument.role_item(role).and_then(|item| answers.get(&item.name)).cloned();
    let (age_band, sex) = (role(ItemRole::AgeBand), role(ItemRole::Sex));
    let (quadrant, district) = place.map_or((None, None), |(q, d)| (Some(q), d));
    PreparedResponse {
        source_id,
        quadrant,
        district,
        age_band,
        sex,
        answers: serde_json::to_string(&answers).unwrap_or_else(|_| "{}".into()),
        submitted_at_ms,
    }
}

/// A submission time as exports write it: RFC 3339 (KoboToolbox's `_submission_time` with an offset), or a
/// local-less `YYYY-MM-DDTHH:MM:SS[.fff]` taken as UTC (KoboToolbox writes its submission times in UTC).
pub fn submitted_at(text: &str) -> Option<i64> {
    let text = text.trim();
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| d.timestamp_millis())
        .ok()
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
                .ok()
                .map(|d| d.and_utc().timestamp_millis())
        })
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
                .ok()
                .map(|d| d.and_utc().timestamp_millis())
        })
}

/// Whether `code` is one of the city's current quadrants.
pub fn is_quadrant(registry: &Registry, code: &str) -> bool {
    registry.level(Level::Quadrant).any(|q| q.territory.code().as_str() == code)
}

/// The quadrant question's name and the answer, when the answer is not one of the city's quadrants.
pub fn unknown_quadrant(registry: &Registry, instrument: &Instrument, answers: &Answers) -> Option<(String, String)> {
    let item = instrument.role_item(ItemRole::Quadrant)?;
    let code = answers.get(&item.name)?;
    (!is_quadrant(registry, code)).then(|| (item.name.clone(), code.clone()))
}

/// Moves the rows whose chosen quadrant is not one of the city's to the file's problems (at the row's line, in
/// the quadrant question's column): an answer that cannot be placed is a bad value like any other.
pub fn check_quadrants(registry: &Registry, instrument: &Instrument, file: &mut ResponsesFile) {
    let (mut kept, mut refused) = (Vec::new(), Vec::new());
    for row in std::mem::take(&mut file.rows) {
        match unknown_quadrant(registry, instrument, &row.answers) {
            Some((item, code)) => refused.push(RowProblem {
                line: row.line,
                column: Some(item.clone()),
                item: Some(item),
                kind: RowProblemKind::Answer(AnswerProblemKind::NotAChoice { value: code }),
            }),
            None => kept.push(row),
        }
    }
    file.rows = kept;
    file.problems.extend(refused);
    file.problems.sort_by_key(|p| p.line);
}

/// Prepares the good rows of a responses export; a row without a readable submission time gets `now_ms`.
pub fn prepare_rows(
    registry: &Registry,
    instrument: &Instrument,
    rows: &[ImportedResponse],
    now_ms: i64,
) -> Vec<PreparedResponse> {
    rows.iter()
        .map(|row| {
            let at = row.submitted_at.as_deref().and_then(submitted_at).unwrap_or(now_ms);
            prepare(registry, instrument, row.answers.clone(), row.source_id.clone(), at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn submission_times_read_as_exports_write_them() {
        assert_eq!(submitted_at("2026-05-04T10:00:00+05:00"), Some(1_777_870_800_000));
        assert_eq!(submitted_at("2026-05-04T05:00:00"), Some(1_777_870_800_000));
        assert_eq!(submitted_at("2026-05-04T05:00:00.250"), Some(1_777_870_800_250));
        assert_eq!(submitted_at("2026-05-04 05:00:00"), Some(1_777_870_800_000));
        assert_eq!(submitted_at("yesterday"), None);
    }
}
