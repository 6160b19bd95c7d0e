//! The demo's surveys and pilot evaluation: the standard service-model questionnaire, population margins for
//! every district (age band × sex), two closed waves of synthetic answers in the Al-Farabi district — one
//! before the pilot started and one after — and an open wave anyone can answer on the web, plus the evaluation
//! of the pilot quadrant against the district's other quadrants.
//!
//! The answers are drawn, with a fixed seed, from a simple model: each quadrant has a level of trust, safety and
//! awareness; each respondent's Likert answers scatter around it. In the pilot quadrant trust in the police
//! rises by [`PILOT_TRUST_GAIN`] index points between the waves and awareness of the inspector rises from about
//! 35 % to 65 %; elsewhere little changes. Older women answer more often than young men, as in real household
//! surveys, so raking has work to do. One quadrant gets too few answers and shows as suppressed. Some open
//! answers carry a phone number or a name, scrubbed as any answer is. Everything is stored as synthetic.

use chrono::{Datelike, NaiveDate, TimeZone};
use rand::{Rng, SeedableRng};
use sakshy_core::Level;
use sakshy_core::survey::{Answers, default_instrument};
use sakshy_store::{
    Channel, EvaluationDesign, NewResponse, NewWave, PopulationMargin, Store, SurveyStoreError, WaveAccess, WaveStatus,
};

/// The district of the synthetic answers (the pilot's).
const DISTRICT: &str = "SHY-ALF";

/// Index points by which trust in the police rises in the pilot quadrant between the waves.
pub const PILOT_TRUST_GAIN: f64 = 15.0;

/// The code of the demo's evaluation.
pub const EVALUATION: &str = "koksay-pilot";

/// Codes of the demo's waves: before, after, and the open one.
pub const WAVES: [&str; 3] = ["demo-before", "demo-after", "open"];

/// The pilot's start: the first day of the month six months before `today`.
pub fn pilot_start(today: NaiveDate) -> NaiveDate {
    let months = i64::from(today.year()) * 12 + i64::from(today.month0()) - 6;
    NaiveDate::from_ymd_opt(months.div_euclid(12) as i32, (months.rem_euclid(12) + 1) as u32, 1).unwrap_or(today)
}

/// Share of the adult population in each age band (18–29, 30–44, 45–59, 60+), Shymkent-like.
const AGE_SHARES: [f64; 4] = [0.31, 0.32, 0.21, 0.16];

/// How much more (or less) likely each age band × sex is to answer than its share: older women most.
const RESPONSE_PROPENSITY: [[f64; 2]; 4] = [[0.8, 0.5], [1.0, 0.7], [1.3, 0.9], [1.6, 1.1]];

/// Why the demo's surveys could not be made.
#[derive(Debug, thiserror::Error)]
pub enum DemoSurveysError {
    /// The store refused something.
    #[error(transparent)]
    Store(#[from] SurveyStoreError),
    /// A storage failure outside the survey tables.
    #[error(transparent)]
    Storage(#[from] sakshy_store::StorageError),
    /// A generated answer failed the questionnaire's checks (a bug in this module).
    #[error("a synthetic answer does not fit the questionnaire: {0}")]
    Answer(String),
}

/// What the demo stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSurveys {
    /// Synthetic answers stored, both waves.
    pub responses: usize,
}

/// A respondent's latent levels, 0–100.
struct Levels {
    trust: f64,
    agencies: f64,
    safety: f64,
    awareness: f64,
}

/// A Likert answer 1–5 around a level 0–100.
fn likert(rng: &mut impl Rng, level: f64) -> String {
    let latent = 1.0 + 4.0 * level / 100.0 + (rng.random::<f64>() + rng.random::<f64>() - 1.0) * 1.6;
    (latent.round().clamp(1.0, 5.0) as i64).to_string()
}

fn yes(rng: &mut impl Rng, probability: f64) -> String {
    if rng.random::<f64>() < probability { "yes".into() } else { "no".into() }
}

const PROBLEMS: [&str; 8] =
    ["lighting", "drugs", "alcohol", "noise", "stray_dogs", "vandalism", "road_safety", "abandoned_buildings"];

const COMMENTS: [&str; 6] = [
    "Көшеде жарық жоқ, кешке қорқынышты.",
    "Участковый Ахметов Ерлан помог быстро, его номер +7 701 234 56 78, спасибо.",
    "Please fix the lights near the railway station.",
    "Бездомные собаки у школы, звоните мне 8 (702) 555-12-34.",
    "Учаскелік инспекторды білмеймін, пункт қай жерде екенін айтыңыздаршы.",
    "Стало спокойнее после открытия полицейского пункта.",
];

/// One synthetic answer sheet.
fn answers(rng: &mut impl Rng, quadrant: &str, age: &str, sex: &str, levels: &Levels) -> Answers {
    let mut a = Answers::new();
    a.insert("quadrant".into(), quadrant.into());
    a.insert("age_band".into(), age.into());
    a.insert("sex".into(), sex.into());
    a.insert("trust_police".into(), likert(rng, levels.trust));
    for item in ["trust_akimat", "trust_schools", "trust_health", "trust_social", "trust_prosecutor"] {
        if rng.random::<f64>() < 0.93 {
            a.insert(item.into(), likert(rng, levels.agencies));
        }
    }
    a.insert("safe_night".into(), likert(rng, levels.safety - 12.0));
    a.insert("safe_day".into(), likert(rng, levels.safety + 12.0));
    let victim = yes(rng, 0.12);
    if victim == "yes" {
        a.insert("reported".into(), yes(rng, 0.45));
    }
    a.insert("victim".into(), victim);
    a.insert("knows_inspector".into(), yes(rng, levels.awareness / 100.0));
    a.insert("knows_point".into(), yes(rng, (levels.awareness - 10.0).max(2.0) / 100.0));
    let contact = yes(rng, 0.25);
    if contact == "yes" {
        a.insert("contact_satisfaction".into(), likert(rng, levels.trust + 5.0));
    }
    a.insert("police_contact".into(), contact);
    let chosen: Vec<&str> = PROBLEMS.iter().copied().filter(|_| rng.random::<f64>() < 0.22).collect();
    a.insert("problems".into(), if chosen.is_empty() { "none".into() } else { chosen.join(" ") });
    if rng.random::<f64>() < 0.08 {
        a.insert("comment".into(), COMMENTS[rng.random_range(0..COMMENTS.len())].into());
    }
    a
}

/// The population margins of every district: its population (or its quadrants' sum) split by age and sex.
fn margins(registry: &crate::Registry) -> Vec<PopulationMargin> {
    let mut out = Vec::new();
    for district in registry.level(Level::District) {
        let code = district.territory.code();
        let quadrants: f64 = registry
            .level(Level::Quadrant)
            .filter(|q| q.territory.parent() == Some(code))
            .filter_map(|q| q.territory.population())
            .map(|p| p as f64)
            .sum();
        let total = district.territory.population().map_or(quadrants, |p| p as f64);
        // Adults are about 62 % of the population; women slightly more than half of them.
        let adults = total * 0.62;
        for (band, share) in ["18-29", "30-44", "45-59", "60+"].iter().zip(AGE_SHARES) {
            for (sex, sex_share) in [("female", 0.52), ("male", 0.48)] {
                out.push(PopulationMargin {
                    district: code.to_string(),
                    age_band: (*band).into(),
                    sex: sex.into(),
                    population: (adults * share * sex_share).round(),
                });
            }
        }
    }
    out
}

/// Draws an age band and sex as respondents arrive: population share × propensity.
fn respondent_cell(rng: &mut impl Rng) -> (&'static str, &'static str) {
    let bands = ["18-29", "30-44", "45-59", "60+"];
    let mut weights = Vec::new();
    for (b, share) in AGE_SHARES.iter().enumerate() {
        for (s, sex_share) in [0.52, 0.48].iter().enumerate() {
            weights.push(share * sex_share * RESPONSE_PROPENSITY[b][s]);
        }
    }
    let total: f64 = weights.iter().sum();
    let mut pick = rng.random::<f64>() * total;
    for (i, w) in weights.iter().enumerate() {
        if pick < *w {
            return (bands[i / 2], if i % 2 == 0 { "female" } else { "male" });
        }
        pick -= w;
    }
    ("60+", "male")
}

/// Stores the demo's questionnaire, margins, waves, answers and evaluation.
///
/// # Errors
///
/// [`DemoSurveysError`] when the store refuses something or a generated answer fails the questionnaire.
pub async fn seed_surveys(
    store: &Store,
    registry: &crate::Registry,
    today: NaiveDate,
    seed: u64,
) -> Result<DemoSurveys, DemoSurveysError> {
    let city = registry.city_id;
    let now_ms = chrono::Utc::now().timestamp_millis();
    let instrument = default_instrument();
    let saved =
        store.save_instrument(city, &instrument.code, &instrument.version, &instrument.to_json(), now_ms).await?;
    store.replace_population_margins(city, &margins(registry), now_ms).await?;
    let start = pilot_start(today);
    let pilot: Vec<String> = crate::survey_pages::pilot_quadrants(registry);
    let quadrants: Vec<String> = registry
        .level(Level::Quadrant)
        .filter(|q| q.territory.parent().is_some_and(|d| d.as_str() == DISTRICT))
        .map(|q| q.territory.code().to_string())
        .collect();
    let control: Vec<String> = quadrants.iter().filter(|q| !pilot.contains(q)).cloned().collect();
    let before_opens = start - chrono::Duration::days(60);
    let after_opens = start + chrono::Duration::days(120);
    let titles = ["Before the pilot / Пилотқа дейін / До пилота", "After the pilot / Пилоттан кейін / После пилота"];
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut stored = 0;
    for (w, (code, opens_on)) in WAVES[..2].iter().zip([before_opens, after_opens]).enumerate() {
        let closes_on = opens_on + chrono::Duration::days(21);
        let wave = NewWave {
            code,
            instrument_id: saved.id,
            title: titles[w],
            access: WaveAccess::Open,
            opens_on,
            closes_on,
            synthetic: true,
        };
        store.create_wave(city, &wave, now_ms).await?;
        store.set_wave_status(city, code, WaveStatus::Open).await?;
        let mut prepared = Vec::new();
        for (q, quadrant) in quadrants.iter().enumerate() {
            let is_pilot = pilot.contains(quadrant);
            let base = 42.0 + ((q * 37) % 17) as f64;
            let gain = if w == 1 && is_pilot {
                PILOT_TRUST_GAIN
            } else if w == 1 {
                1.0
            } else {
                0.0
            };
            let levels = Levels {
                trust: base + gain,
                agencies: base - 4.0 + gain / 3.0,
                safety: base + 3.0 + gain / 2.0,
                awareness: if is_pilot && w == 1 { 65.0 } else { 30.0 + (q % 3) as f64 * 4.0 },
            };
            // One quadrant gets too few answers, so the pages show a suppressed estimate.
            let n = if q == quadrants.len() - 1 { 18 } else { 60 + (q * 13) % 30 };
            for i in 0..n {
                let (age, sex) = respondent_cell(&mut rng);
                let raw = answers(&mut rng, quadrant, age, sex, &levels);
                let clean = instrument.check(&raw).map_err(|problems| {
                    DemoSurveysError::Answer(problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))
                })?;
                let day = opens_on + chrono::Duration::days((i % 21) as i64);
                let at = registry
                    .city
                    .timezone
                    .from_local_datetime(&day.and_hms_opt(10 + (i % 9) as u32, 0, 0).unwrap_or_default())
                    .earliest()
                    .map_or(now_ms, |t| t.timestamp_millis());
                let source = Some(format!("synthetic-{code}-{q}-{i}"));
                prepared.push(crate::survey_import::prepare(registry, &instrument, clean, source, at));
            }
        }
        let responses: Vec<NewResponse<'_>> =
            prepared.iter().map(|p| p.as_new(Channel::Synthetic, None, None)).collect();
        stored += store.import_responses(city, code, &responses).await?.inserted;
        store.set_wave_status(city, code, WaveStatus::Closed).await?;
    }
    // A wave open now, for anyone to try the public form.
    let open = NewWave {
        code: WAVES[2],
        instrument_id: saved.id,
        title: "Open wave / Ашық толқын / Открытая волна",
        access: WaveAccess::Open,
        opens_on: today,
        closes_on: today + chrono::Duration::days(60),
        synthetic: false,
    };
    store.create_wave(city, &open, now_ms).await?;
    store.set_wave_status(city, WAVES[2], WaveStatus::Open).await?;
    if !pilot.is_empty() && !control.is_empty() {
        store
            .save_evaluation(
                city,
                &EvaluationDesign {
                    code: EVALUATION.into(),
                    title: "Koksay-1 pilot quadrant / Көксай-1 пилоттық квадраты / Пилотный квадрат Коксай-1".into(),
                    pilot,
                    control,
                    start,
                    buffer_metres: 300,
                    updated_at_ms: now_ms,
                },
            )
            .await?;
    }
    Ok(DemoSurveys { responses: stored })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pilot_starts_on_the_first_of_the_month_six_months_back() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(pilot_start(d(2026, 12, 1)), d(2026, 6, 1));
        assert_eq!(pilot_start(d(2026, 3, 31)), d(2025, 9, 1));
    }

    #[test]
    fn likert_answers_follow_their_level() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let mean = |rng: &mut rand::rngs::StdRng, level: f64| {
            (0..2000).map(|_| likert(rng, level).parse::<f64>().unwrap()).sum::<f64>() / 2000.0
        };
        let (low, high) = (mean(&mut rng, 20.0), mean(&mut rng, 80.0));
        assert!(low < 2.3 && high > 3.7, "{low} {high}");
    }
}
