//! `sakshy import questionnaire | survey-responses | population-margins`: the survey files an analyst or a field
//! team loads from the command line, through the same parsing, checks and store calls as the web pages.

use std::path::Path;

use anyhow::{Context, bail};
use sakshy_core::survey::{Instrument, parse_margins_csv, parse_responses_csv, parse_xlsform};
use sakshy_store::{Channel, NewResponse, PopulationMargin, Store};

/// Saves a questionnaire from an XLSForm workbook (`.xlsx`) or Sakshy's JSON; prints its code and version.
///
/// # Errors
///
/// Every problem of the file, with its sheet, row and column; or the store's refusal.
pub async fn import_questionnaire(store: &Store, path: &Path, now_ms: i64) -> anyhow::Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let is_xlsx = bytes.starts_with(b"PK") || path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let parsed = if is_xlsx {
        parse_xlsform(&bytes)
    } else {
        Instrument::from_json(String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}'))
    };
    let instrument = parsed.map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("\n  {p}")).collect();
        anyhow::anyhow!("{}: {} problem(s):{}", path.display(), problems.len(), list.concat())
    })?;
    let city = store.city().await?.context("no city is stored yet: import territories first")?.0;
    let saved =
        store.save_instrument(city, &instrument.code, &instrument.version, &instrument.to_json(), now_ms).await?;
    Ok(format!(
        "questionnaire {} version {}: {} questions, {} indices (id {})",
        saved.code,
        saved.version,
        instrument.items.len(),
        instrument.indices.len(),
        saved.id
    ))
}

/// Imports a KoboToolbox/ODK CSV export into a wave. A file with a bad row writes nothing unless
/// `skip_invalid`; `report` gets every problem (line, column, item, problem). Rows already imported (by their
/// submission id) are counted, not written again.
///
/// # Errors
///
/// The file cannot be read, the wave does not exist, rows are bad (without `skip_invalid`), or the store fails.
pub async fn import_responses(
    store: &Store,
    wave_code: &str,
    path: &Path,
    skip_invalid: bool,
    report: Option<&Path>,
    now_ms: i64,
) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let registry =
        sakshy_web::Registry::load(store).await?.context("no city is stored yet: import territories first")?;
    let wave =
        store.wave(registry.city_id, wave_code).await?.with_context(|| format!("there is no wave {wave_code}"))?;
    let stored = store
        .instrument(registry.city_id, wave.instrument_id)
        .await?
        .with_context(|| format!("wave {wave_code} has no questionnaire"))?;
    let instrument = Instrument::from_json(&stored.definition)
        .map_err(|problems| anyhow::anyhow!("the stored questionnaire does not read: {}", problems[0]))?;
    let mut file = parse_responses_csv(&instrument, text.trim_start_matches('\u{feff}'))
        .map_err(|problem| anyhow::anyhow!("{}: {problem}", path.display()))?;
    sakshy_web::survey_import::check_quadrants(&registry, &instrument, &mut file);
    if let Some(report) = report {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(["line", "column", "item", "problem"])?;
        for p in &file.problems {
            let line = p.line.to_string();
            let (column, item) = (p.column.as_deref().unwrap_or(""), p.item.as_deref().unwrap_or(""));
            writer.write_record([line.as_str(), column, item, &p.kind.to_string()])?;
        }
        let bytes = writer.into_inner().map_err(|err| anyhow::anyhow!("{}", err.error()))?;
        std::fs::write(report, bytes).with_context(|| format!("writing {}", report.display()))?;
    }
    for column in &file.unknown_columns {
        eprintln!("warning: column {column:?} is not a question of {} and is ignored", instrument.code);
    }
    let bad_lines: std::collections::BTreeSet<usize> = file.problems.iter().map(|p| p.line).collect();
    if !bad_lines.is_empty() && !skip_invalid {
        let list: Vec<String> = file.problems.iter().map(|p| format!("\n  {p}")).collect();
        bail!(
            "{}: {} of {} rows have problems; nothing was imported (use --skip-invalid to import the {} good rows):{}",
            path.display(),
            bad_lines.len(),
            file.rows_read,
            file.rows.len(),
            list.concat()
        );
    }
    for p in &file.problems {
        eprintln!("skipped: {p}");
    }
    let prepared = sakshy_web::survey_import::prepare_rows(&registry, &instrument, &file.rows, now_ms);
    let responses: Vec<NewResponse<'_>> = prepared.iter().map(|p| p.as_new(Channel::Import, None, None)).collect();
    let summary = store.import_responses(registry.city_id, wave_code, &responses).await?;
    Ok(format!(
        "wave {wave_code}: {} responses imported, {} already present, {} rows skipped",
        summary.inserted,
        summary.already_present,
        bad_lines.len()
    ))
}

/// Replaces the population margins (age band × sex per district) from CSV.
///
/// # Errors
///
/// Every problem of the file with its line and column; an unknown district; or the store fails.
pub async fn import_margins(store: &Store, path: &Path, now_ms: i64) -> anyhow::Result<String> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let registry =
        sakshy_web::Registry::load(store).await?.context("no city is stored yet: import territories first")?;
    let cells = parse_margins_csv(text.trim_start_matches('\u{feff}')).map_err(|problems| {
        let list: Vec<String> = problems.iter().map(|p| format!("\n  {p}")).collect();
        anyhow::anyhow!("{}: {} problem(s):{}", path.display(), problems.len(), list.concat())
    })?;
    let known = |code: &str| registry.level(sakshy_core::Level::District).any(|v| v.territory.code().as_str() == code);
    let unknown = sakshy_core::survey::unknown_districts(&cells, known);
    if !unknown.is_empty() {
        let list: Vec<String> = unknown.iter().map(|p| format!("\n  {p}")).collect();
        bail!("{}: {} problem(s):{}", path.display(), unknown.len(), list.concat());
    }
    let margins: Vec<PopulationMargin> = cells
        .into_iter()
        .map(|c| PopulationMargin { district: c.district, age_band: c.age_band, sex: c.sex, population: c.population })
        .collect();
    let total: f64 = margins.iter().map(|m| m.population).sum();
    let count = store.replace_population_margins(registry.city_id, &margins, now_ms).await?;
    Ok(format!("population margins: {count} cells, {total:.0} people"))
}
