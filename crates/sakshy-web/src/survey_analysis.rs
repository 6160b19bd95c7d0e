//! The estimates of a survey wave: respondents' answers become the instrument's indices (0–100), weights are
//! raked to the population margins (age band × sex per district), and each index is estimated for the city,
//! every district and every quadrant with its 95 % interval; groups under 30 respondents are suppressed.
//!
//! # Weighting
//!
//! Raking is tried from the finest margins to the coarsest, and the first that every respondent can meet is
//! used (an empty cell — a population with no respondent — makes a margin impossible):
//!
//! 1. district × age band × sex, one joint margin;
//! 2. district × age band and district × sex, two margins;
//! 3. district, with the age bands and sexes of the surveyed districts together;
//! 4. district alone.
//!
//! Only districts with respondents enter the margins, so the city estimate speaks for the districts surveyed.
//! Respondents whose district, age band or sex is unknown keep the mean raked weight of their district. Without
//! margins (none imported) the estimates are unweighted, and the page says so. Weights are trimmed at five times
//! the mean weight (cap and rake again, up to 20 rounds).
//!
//! The design is stratified by district (one stratum per district; respondents with no district form their own),
//! so intervals are the linearised domain intervals of [`sakshy_analytics::survey::estimate`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use sakshy_analytics::survey::{
    self, Change, Estimate, EstimateConfig, GroupEstimate, IndexDefinition, ItemScale, Margin, RakingConfig,
    ResponseTable, Target, Trim,
};
use sakshy_core::survey::{Answers, Instrument, ItemKind};
use sakshy_store::PopulationMargin;
use serde::Serialize;

/// One respondent as the analysis reads them.
#[derive(Debug, Clone)]
pub(crate) struct Respondent {
    /// The quadrant's code, if known.
    pub quadrant: Option<String>,
    /// The district's code, if known.
    pub district: Option<String>,
    /// The age band (a choice name of the instrument), if answered.
    pub age_band: Option<String>,
    /// The sex (a choice name of the instrument), if answered.
    pub sex: Option<String>,
    /// Every answer.
    pub answers: Answers,
}

/// The margins raking met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum RakeLevel {
    /// District × age band × sex, jointly.
    DistrictAgeSex,
    /// District × age band, and district × sex.
    DistrictAgeAndDistrictSex,
    /// District; age band; sex.
    DistrictAgeSexSeparately,
    /// District only.
    District,
}

impl RakeLevel {
    /// The message key naming the level.
    pub(crate) fn key(self) -> &'static str {
        match self {
            RakeLevel::DistrictAgeSex => "survey-rake-district-age-sex",
            RakeLevel::DistrictAgeAndDistrictSex => "survey-rake-district-age-and-sex",
            RakeLevel::DistrictAgeSexSeparately => "survey-rake-separately",
            RakeLevel::District => "survey-rake-district",
        }
    }
}

/// Why the estimates are unweighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Unweighted {
    /// No population margins are imported for the surveyed districts.
    NoMargins,
    /// No respondent has a district with margins.
    NoRespondentsInMargins,
    /// Every level of raking met an empty cell or failed to converge.
    MarginsUnmet,
}

impl Unweighted {
    /// The message key of the reason.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Unweighted::NoMargins => "survey-unweighted-no-margins",
            Unweighted::NoRespondentsInMargins => "survey-unweighted-no-respondents",
            Unweighted::MarginsUnmet => "survey-unweighted-unmet",
        }
    }
}

/// How the respondents were weighted.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub(crate) enum Weighting {
    /// Raked to population margins.
    Raked {
        /// The margins met.
        level: RakeLevel,
        /// Kish's design effect of weighting.
        design_effect: f64,
        /// The largest weight over the mean weight.
        max_weight_ratio: f64,
        /// Respondents raked (the others keep their district's mean weight).
        raked_respondents: usize,
    },
    /// Equal weights.
    Unweighted {
        /// Why.
        reason: Unweighted,
    },
}

/// One index estimated for the city, each district and each quadrant.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct IndexEstimates {
    /// The index's code in the instrument.
    pub code: String,
    /// The city as a whole.
    pub city: Estimate,
    /// Per district, by code.
    pub districts: Vec<GroupEstimate>,
    /// Per quadrant, by code.
    pub quadrants: Vec<GroupEstimate>,
}

impl IndexEstimates {
    /// The estimate of an area: `"city"`, or a district or quadrant code.
    pub(crate) fn of(&self, area: &str) -> Option<&Estimate> {
        if area == "city" {
            return Some(&self.city);
        }
        self.quadrants.iter().chain(&self.districts).find(|g| g.group == area).map(|g| &g.estimate)
    }
}

/// The estimates of one wave.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct WaveAnalysis {
    /// Respondents.
    pub respondents: usize,
    /// How they were weighted.
    pub weighting: Weighting,
    /// One entry per index of the instrument, in its order.
    pub indices: Vec<IndexEstimates>,
    /// Respondents per quadrant (unweighted), for the response-rate table.
    pub per_quadrant: BTreeMap<String, usize>,
    /// The weighted, stratified table the estimates come from (respondents in the order given).
    #[serde(skip)]
    pub table: ResponseTable,
    /// Each index's value per respondent, in the order of `indices`.
    #[serde(skip)]
    pub values: Vec<Vec<Option<f64>>>,
}

impl WaveAnalysis {
    /// An index estimated for groups of respondents of one's choosing: `labels[i]` is respondent `i`'s group
    /// (`""` for none), e.g. "pilot" and "control".
    pub(crate) fn grouped(&self, index: &str, labels: &[String]) -> Option<Vec<GroupEstimate>> {
        let position = self.indices.iter().position(|i| i.code == index)?;
        survey::estimate_by_group(&self.table, &self.values[position], labels, Target::Mean, &CONFIG).ok()
    }
}

/// The settings of every page and export: n < 30 suppressed, 95 % intervals.
pub(crate) const CONFIG: EstimateConfig = EstimateConfig::STANDARD;

/// Estimates every index of `instrument` from `respondents`, weighted to `margins`.
///
/// # Errors
///
/// A message for the log when the statistics refuse the data (which a checked instrument and checked answers
/// should never produce).
pub(crate) fn analyse(
    instrument: &Instrument,
    respondents: &[Respondent],
    margins: &[PopulationMargin],
) -> Result<WaveAnalysis, String> {
    let (weights, weighting) = weights(respondents, margins);
    let strata: Vec<String> = respondents.iter().map(|r| r.district.clone().unwrap_or_default()).collect();
    let mut table = ResponseTable::new(weights, strata).map_err(|err| err.to_string())?;
    let mut items_added = BTreeSet::new();
    let mut definitions = Vec::new();
    for spec in &instrument.indices {
        let mut scales = Vec::new();
        for index_item in &spec.items {
            let Some(item) = instrument.item(&index_item.name) else {
                return Err(format!("index {} names the unknown item {}", spec.code, index_item.name));
            };
            let scale = match (&item.kind, instrument.scale_points(item)) {
                (ItemKind::YesNo, _) => ItemScale::yes_no(&item.name),
                (_, Some(points)) => ItemScale::likert(&item.name, points),
                (_, None) => return Err(format!("index {} uses item {} that has no scale", spec.code, item.name)),
            };
            scales.push(if index_item.reversed { scale.reversed() } else { scale });
            if items_added.insert(item.name.clone()) {
                let values: Vec<Option<f64>> =
                    respondents.iter().map(|r| instrument.index_value(index_item, &r.answers)).collect();
                table = table.with_item(&item.name, values).map_err(|err| err.to_string())?;
            }
        }
        definitions.push(IndexDefinition {
            name: spec.code.clone(),
            items: scales,
            min_answered: spec.min_answered.clamp(1, spec.items.len().max(1)),
        });
    }
    let quadrants: Vec<String> = respondents.iter().map(|r| r.quadrant.clone().unwrap_or_default()).collect();
    let districts: Vec<String> = respondents.iter().map(|r| r.district.clone().unwrap_or_default()).collect();
    let everyone = vec![true; respondents.len()];
    let mut indices = Vec::new();
    let mut all_values = Vec::new();
    for definition in &definitions {
        let values = survey::compute_index(&table, definition).map_err(|err| err.to_string())?;
        let city = survey::estimate(&table, &values, &everyone, Target::Mean, &CONFIG).map_err(|e| e.to_string())?;
        let districts = survey::estimate_by_group(&table, &values, &districts, Target::Mean, &CONFIG)
            .map_err(|err| err.to_string())?;
        let quadrants = survey::estimate_by_group(&table, &values, &quadrants, Target::Mean, &CONFIG)
            .map_err(|err| err.to_string())?;
        indices.push(IndexEstimates { code: definition.name.clone(), city, districts, quadrants });
        all_values.push(values);
    }
    let mut per_quadrant = BTreeMap::new();
    for quadrant in quadrants.iter().filter(|q| !q.is_empty()) {
        *per_quadrant.entry(quadrant.clone()).or_insert(0) += 1;
    }
    Ok(WaveAnalysis { respondents: respondents.len(), weighting, indices, per_quadrant, table, values: all_values })
}

/// The change of one index in one area between two waves.
pub(crate) fn change_between(before: &WaveAnalysis, after: &WaveAnalysis, index: &str, area: &str) -> Option<Change> {
    let find = |wave: &WaveAnalysis| wave.indices.iter().find(|i| i.code == index).and_then(|i| i.of(area)).cloned();
    let (b, a) = (find(before)?, find(after)?);
    survey::change(&b, &a, CONFIG.confidence).ok()
}

/// The share of respondents giving each answer to one closed question (yes/no, single or multiple choice), for
/// the city and each quadrant, among those the question was asked and who answered it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ChoiceShares {
    /// The question's name.
    pub item: String,
    /// Per choice: its name, the city's share and each group's (proportions 0–1 with logit intervals).
    pub choices: Vec<(String, Estimate, Vec<GroupEstimate>)>,
}

/// [`ChoiceShares`] of every closed question that does not place the respondent (quadrant, age band, sex), for
/// the city and for the groups `groups[i]` puts each respondent in (`""` for none): their quadrants, or e.g.
/// "pilot".
pub(crate) fn choice_shares(
    analysis: &WaveAnalysis,
    instrument: &Instrument,
    respondents: &[Respondent],
    groups: &[String],
) -> Vec<ChoiceShares> {
    let everyone = vec![true; respondents.len()];
    let mut out = Vec::new();
    for item in &instrument.items {
        let closed =
            matches!(item.kind, ItemKind::YesNo | ItemKind::SingleChoice { .. } | ItemKind::MultipleChoice { .. });
        if !closed || item.role.is_some() {
            continue;
        }
        let mut choices = Vec::new();
        for choice in instrument.choices(item) {
            let values: Vec<Option<f64>> = respondents
                .iter()
                .map(|r| {
                    r.answers
                        .get(&item.name)
                        .map(|v| if v.split_whitespace().any(|c| c == choice.name) { 1.0 } else { 0.0 })
                })
                .collect();
            let (Ok(city), Ok(groups)) = (
                survey::estimate(&analysis.table, &values, &everyone, Target::Proportion, &CONFIG),
                survey::estimate_by_group(&analysis.table, &values, groups, Target::Proportion, &CONFIG),
            ) else {
                continue;
            };
            choices.push((choice.name.clone(), city, groups));
        }
        out.push(ChoiceShares { item: item.name.clone(), choices });
    }
    out
}

/// The difference-in-differences of an index from respondents' answers in two waves: the pilot group's change
/// minus the control group's, with a normal interval from the four independent sampling errors. It reads
/// sampling uncertainty only: shocks that hit one quadrant and not the others are not in it (the quadrant-level
/// evaluation is what accounts for those).
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SurveyDid {
    /// The index.
    pub index: String,
    /// The pilot group's change between the waves.
    pub pilot: Change,
    /// The control group's change.
    pub control: Change,
    /// `pilot − control`, with its standard error and 95 % interval; `None` when either change is suppressed.
    pub difference: Option<(f64, f64, f64, f64)>,
}

/// [`SurveyDid`] of every index common to two waves; `labels_*[i]` is `"pilot"`, `"control"` or `""` per
/// respondent of each wave.
pub(crate) fn survey_did(
    before: &WaveAnalysis,
    labels_before: &[String],
    after: &WaveAnalysis,
    labels_after: &[String],
) -> Vec<SurveyDid> {
    let mut out = Vec::new();
    for index in &after.indices {
        let (Some(b), Some(a)) = (before.grouped(&index.code, labels_before), after.grouped(&index.code, labels_after))
        else {
            continue;
        };
        let find =
            |groups: &[GroupEstimate], name: &str| groups.iter().find(|g| g.group == name).map(|g| g.estimate.clone());
        let (Some(pb), Some(pa), Some(cb), Some(ca)) =
            (find(&b, "pilot"), find(&a, "pilot"), find(&b, "control"), find(&a, "control"))
        else {
            continue;
        };
        let (Ok(pilot), Ok(control)) =
            (survey::change(&pb, &pa, CONFIG.confidence), survey::change(&cb, &ca, CONFIG.confidence))
        else {
            continue;
        };
        let difference = match (&pilot.value, &control.value) {
            (Some(p), Some(c)) => {
                let d = p.difference - c.difference;
                let se = (p.se * p.se + c.se * c.se).sqrt();
                let z = survey::distribution::normal_quantile(0.5 + CONFIG.confidence / 2.0).unwrap_or(1.96);
                Some((d, se, d - z * se, d + z * se))
            }
            _ => None,
        };
        out.push(SurveyDid { index: index.code.clone(), pilot, control, difference });
    }
    out
}

/// A respondent's cell of each raking level, or `None` when a part is unknown.
fn cell(respondent: &Respondent, level: usize) -> Option<Vec<String>> {
    let district = respondent.district.clone()?;
    let age = respondent.age_band.clone();
    let sex = respondent.sex.clone();
    Some(match level {
        0 => vec![format!("{district}|{}|{}", age?, sex?)],
        1 => vec![format!("{district}|{}", age?), format!("{district}|{}", sex?)],
        2 => vec![district, age?, sex?],
        _ => vec![district],
    })
}

/// The population of each cell of each margin of a level, over the districts surveyed.
fn populations(margins: &[PopulationMargin], districts: &BTreeSet<String>, level: usize) -> Vec<BTreeMap<String, f64>> {
    let mut out = vec![BTreeMap::new(); [1, 2, 3, 1][level.min(3)]];
    for m in margins.iter().filter(|m| districts.contains(&m.district)) {
        let cells = match level {
            0 => vec![format!("{}|{}|{}", m.district, m.age_band, m.sex)],
            1 => vec![format!("{}|{}", m.district, m.age_band), format!("{}|{}", m.district, m.sex)],
            2 => vec![m.district.clone(), m.age_band.clone(), m.sex.clone()],
            _ => vec![m.district.clone()],
        };
        for (margin, cell) in out.iter_mut().zip(cells) {
            *margin.entry(cell).or_insert(0.0) += m.population;
        }
    }
    out
}

/// The weights of every respondent and how they were found (see the module docs).
fn weights(respondents: &[Respondent], margins: &[PopulationMargin]) -> (Vec<f64>, Weighting) {
    let unweighted = |reason| (vec![1.0; respondents.len()], Weighting::Unweighted { reason });
    let with_margins: BTreeSet<String> = margins.iter().map(|m| m.district.clone()).collect();
    let surveyed: BTreeSet<String> =
        respondents.iter().filter_map(|r| r.district.clone()).filter(|d| with_margins.contains(d)).collect();
    if margins.is_empty() {
        return unweighted(Unweighted::NoMargins);
    }
    if surveyed.is_empty() {
        return unweighted(Unweighted::NoRespondentsInMargins);
    }
    let config =
        RakingConfig { tolerance: 1e-8, max_iterations: 2000, trim: Some(Trim { max_ratio: 5.0, max_rounds: 20 }) };
    let levels = [
        RakeLevel::DistrictAgeSex,
        RakeLevel::DistrictAgeAndDistrictSex,
        RakeLevel::DistrictAgeSexSeparately,
        RakeLevel::District,
    ];
    for (level_index, level) in levels.into_iter().enumerate() {
        let members: Vec<(usize, Vec<String>)> = respondents
            .iter()
            .enumerate()
            .filter(|(_, r)| r.district.as_ref().is_some_and(|d| surveyed.contains(d)))
            .filter_map(|(i, r)| cell(r, level_index).map(|cells| (i, cells)))
            .collect();
        if members.is_empty() {
            continue;
        }
        let margins: Vec<Margin> = populations(margins, &surveyed, level_index)
            .into_iter()
            .enumerate()
            .map(|(m, population)| Margin {
                name: format!("{level:?} {m}"),
                cells: members.iter().map(|(_, cells)| cells[m].clone()).collect(),
                population,
            })
            .collect();
        let Ok(raked) = survey::rake(&vec![1.0; members.len()], &margins, &config) else { continue };
        let mut weights = vec![f64::NAN; respondents.len()];
        let mut by_district: HashMap<String, (f64, usize)> = HashMap::new();
        for ((i, _), w) in members.iter().zip(&raked.weights) {
            weights[*i] = *w;
            let district = respondents[*i].district.clone().unwrap_or_default();
            let entry = by_district.entry(district).or_insert((0.0, 0));
            entry.0 += w;
            entry.1 += 1;
        }
        let overall = raked.weights.iter().sum::<f64>() / raked.weights.len() as f64;
        for (i, r) in respondents.iter().enumerate() {
            if weights[i].is_nan() {
                let mean =
                    r.district.as_ref().and_then(|d| by_district.get(d)).map_or(overall, |(sum, n)| sum / *n as f64);
                weights[i] = mean;
            }
        }
        let weighting = Weighting::Raked {
            level,
            design_effect: raked.design_effect,
            max_weight_ratio: raked.max_weight_ratio,
            raked_respondents: members.len(),
        };
        return (weights, weighting);
    }
    unweighted(Unweighted::MarginsUnmet)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respondent(district: &str, age: &str, sex: &str) -> Respondent {
        Respondent {
            quadrant: Some(format!("{district}-Q01")),
            district: Some(district.into()),
            age_band: Some(age.into()),
            sex: Some(sex.into()),
            answers: Answers::new(),
        }
    }

    fn margin(district: &str, age: &str, sex: &str, population: f64) -> PopulationMargin {
        PopulationMargin { district: district.into(), age_band: age.into(), sex: sex.into(), population }
    }

    #[test]
    fn weights_meet_the_joint_margins_when_every_cell_has_respondents() {
        let respondents = vec![
            respondent("A", "18-29", "female"),
            respondent("A", "18-29", "male"),
            respondent("A", "18-29", "male"),
            respondent("A", "60+", "female"),
        ];
        let margins = vec![
            margin("A", "18-29", "female", 100.0),
            margin("A", "18-29", "male", 300.0),
            margin("A", "60+", "female", 50.0),
        ];
        let (weights, weighting) = weights(&respondents, &margins);
        assert!(matches!(weighting, Weighting::Raked { level: RakeLevel::DistrictAgeSex, .. }));
        assert!((weights[0] - 100.0).abs() < 1e-6);
        assert!((weights[1] - 150.0).abs() < 1e-6 && (weights[2] - 150.0).abs() < 1e-6);
        assert!((weights[3] - 50.0).abs() < 1e-6);
    }

    #[test]
    fn an_empty_joint_cell_falls_back_to_coarser_margins() {
        // Nobody aged 60+ and male: the joint margin is impossible, the two-way ones are not. Ages 200 / 210,
        // sexes 300 / 110: the one young man weighs 110, the young woman 90, the two older women 210 together.
        let respondents = vec![
            respondent("A", "18-29", "female"),
            respondent("A", "18-29", "male"),
            respondent("A", "60+", "female"),
            respondent("A", "60+", "female"),
        ];
        let margins = vec![
            margin("A", "18-29", "female", 100.0),
            margin("A", "18-29", "male", 100.0),
            margin("A", "60+", "female", 200.0),
            margin("A", "60+", "male", 10.0),
        ];
        let (weights, weighting) = weights(&respondents, &margins);
        assert!(
            matches!(weighting, Weighting::Raked { level: RakeLevel::DistrictAgeAndDistrictSex, .. }),
            "{weighting:?}"
        );
        assert!((weights[1] - 110.0).abs() < 1e-3 && (weights[0] - 90.0).abs() < 1e-3, "{weights:?}");
        assert!((weights[2] + weights[3] - 210.0).abs() < 1e-3);
    }

    #[test]
    fn respondents_of_unknown_age_keep_their_districts_mean_weight() {
        let mut unknown = respondent("A", "18-29", "female");
        unknown.age_band = None;
        let respondents = vec![respondent("A", "18-29", "female"), respondent("A", "60+", "female"), unknown];
        let margins = vec![margin("A", "18-29", "female", 100.0), margin("A", "60+", "female", 300.0)];
        let (weights, _) = weights(&respondents, &margins);
        assert!((weights[2] - 200.0).abs() < 1e-6, "{weights:?}");
    }

    #[test]
    fn without_margins_the_estimates_are_unweighted_and_say_why() {
        let respondents = vec![respondent("A", "18-29", "female")];
        let (equal, weighting) = weights(&respondents, &[]);
        assert_eq!(equal, vec![1.0]);
        assert_eq!(weighting, Weighting::Unweighted { reason: Unweighted::NoMargins });
        let (_, weighting) = weights(&respondents, &[margin("B", "18-29", "female", 10.0)]);
        assert_eq!(weighting, Weighting::Unweighted { reason: Unweighted::NoRespondentsInMargins });
    }
}
