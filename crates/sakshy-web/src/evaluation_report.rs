//! The pilot evaluation: monthly panels of the pilot and control quadrants, difference-in-differences with
//! cluster-robust, wild-bootstrap and randomisation intervals, an event study for pre-trends, and the weighted
//! displacement quotient for a buffer around the pilot.
//!
//! # Panels
//!
//! Units are the quadrants of the design (pilot and control); periods are calendar months in the city's zone,
//! from twelve months before the start to the last whole month (at most 24 months after the start). Outcomes:
//!
//! - offences recorded in the quadrant per month, all groups and each group with at least
//!   [`MIN_GROUP_INCIDENTS`] in the window;
//! - appeals filed in the quadrant per month;
//! - the median days from filing to answer of the month's answered appeals (missing without one);
//! - the share of the month's appeals whose term has passed that were answered late or not at all (missing when
//!   none is due yet);
//! - each survey index, in the month each wave opened: the quadrant's weighted estimate, missing where it is
//!   suppressed (fewer than 30 answers).
//!
//! # Displacement
//!
//! The buffer is the ring within `buffer_metres` of the pilot quadrants' boundary, outside them. Offences are
//! counted in the pilot, the buffer and the control quadrants (less any part of the buffer) in equal windows
//! before and after the start (as many months as the panel has after it, at most twelve).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use geo::{BoundingRect, Distance, Euclidean};
use geo_types::{Coord, LineString, MultiPolygon, Point, Polygon, Rect};
use sakshy_analytics::LocalProjection;
use sakshy_analytics::evaluation::{
    self, DidConfig, DidResult, Displacement, DisplacementCounts, EventStudyConfig, EventStudyResult, Panel,
    RandomizationConfig, WildBootstrapConfig, WildWeights,
};
use sakshy_core::incident::OffenceGroup;
use serde::Serialize;

/// Offence groups with fewer incidents than this in the window get no panel of their own.
pub(crate) const MIN_GROUP_INCIDENTS: usize = 30;

/// Months before the start that the panel covers.
pub(crate) const MONTHS_BEFORE: usize = 12;

/// Months after the start that the panel covers at most.
pub(crate) const MONTHS_AFTER: usize = 24;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub(crate) struct Month {
    /// The year.
    pub year: i32,
    /// The month, 1–12.
    pub month: u32,
}

impl Month {
    /// The month of a date.
    pub(crate) fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    /// The month `n` months later (earlier when negative).
    pub(crate) fn plus(self, n: i64) -> Month {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + n;
        Month { year: index.div_euclid(12) as i32, month: (index.rem_euclid(12) + 1) as u32 }
    }

    /// `YYYY-MM`.
    pub(crate) fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// The first day of the month.
    pub(crate) fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or(NaiveDate::MIN)
    }
}

/// The months of a panel and where the pilot starts in them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Window {
    /// Every month, in order.
    pub months: Vec<Month>,
    /// The index of the start month (the first treated period).
    pub start_index: usize,
}

impl Window {
    /// The months from [`MONTHS_BEFORE`] before the start's month to the last whole month before `today` (at
    /// most [`MONTHS_AFTER`] after the start); `None` when no whole month has passed since the start.
    pub(crate) fn new(start: NaiveDate, today: NaiveDate) -> Option<Window> {
        let start_month = Month::of(start);
        let last_whole = Month::of(today).plus(-1);
        if last_whole < start_month {
            return None;
        }
        let last = last_whole.min(start_month.plus(MONTHS_AFTER as i64 - 1));
        let first = start_month.plus(-(MONTHS_BEFORE as i64));
        let mut months = Vec::new();
        let mut month = first;
        while month <= last {
            months.push(month);
            month = month.plus(1);
        }
        Some(Window { months, start_index: MONTHS_BEFORE })
    }

    /// The index of a date's month in the window.
    pub(crate) fn index_of(&self, date: NaiveDate) -> Option<usize> {
        let month = Month::of(date);
        self.months.binary_search(&month).ok()
    }

    /// Months after the start (the start month included).
    pub(crate) fn months_after(&self) -> usize {
        self.months.len() - self.start_index
    }
}

/// What a panel measures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Offences per month (one group, or all).
    Offences {
        /// The group; `None` for all offences.
        group: Option<OffenceGroup>,
    },
    /// Appeals filed per month.
    Appeals,
    /// Median days from filing to answer.
    MedianDaysToAnswer,
    /// Share (0–1) of due appeals answered late or not at all.
    OverdueShare,
    /// A survey index (0–100).
    SurveyIndex {
        /// The index's code.
        code: String,
    },
}

impl Outcome {
    /// A stable identifier for exports, e.g. `offences`, `offences:theft`, `survey:trust_police`.
    pub(crate) fn id(&self) -> String {
        match self {
            Outcome::Offences { group: None } => "offences".into(),
            Outcome::Offences { group: Some(g) } => format!("offences:{}", g.as_str()),
            Outcome::Appeals => "appeals".into(),
            Outcome::MedianDaysToAnswer => "median_days_to_answer".into(),
            Outcome::OverdueShare => "overdue_share".into(),
            Outcome::SurveyIndex { code } => format!("survey:{code}"),
        }
    }

    /// Whether a lower value is better (offences, days, overdue) — how the plain-language reading is worded.
    pub(crate) fn lower_is_better(&self) -> bool {
        !matches!(self, Outcome::SurveyIndex { .. } | Outcome::Appeals)
    }
}

/// One outcome's panel: values unit-major (`values[unit * months + month]`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct OutcomePanel {
    /// What is measured.
    pub outcome: Outcome,
    /// The values; `None` where unobserved.
    pub values: Vec<Option<f64>>,
}

/// An offence as the panels need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct OffenceRow<'a> {
    /// The quadrant it lies in.
    pub quadrant: Option<&'a str>,
    /// Its month in the window.
    pub month: Option<usize>,
    /// Its group.
    pub group: OffenceGroup,
    /// Whether it lies in the buffer around the pilot.
    pub in_buffer: bool,
}

/// An appeal as the panels need it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AppealRow<'a> {
    /// The quadrant it was filed for.
    pub quadrant: Option<&'a str>,
    /// The month it was filed, in the window.
    pub month: Option<usize>,
    /// Days from filing to answer, if answered.
    pub days_to_answer: Option<f64>,
    /// `None` while its term has not passed; else whether it was answered late or not at all.
    pub overdue: Option<bool>,
}

/// The design's units in panel order: the pilot quadrants, then the controls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Units {
    /// Quadrant codes.
    pub codes: Vec<String>,
    /// Whether each is in the pilot.
    pub treated: Vec<bool>,
}

impl Units {
    /// The units of a design.
    pub(crate) fn new(pilot: &[String], control: &[String]) -> Units {
        let codes: Vec<String> = pilot.iter().chain(control).cloned().collect();
        let treated = pilot.iter().map(|_| true).chain(control.iter().map(|_| false)).collect();
        Units { codes, treated }
    }

    fn index(&self, code: Option<&str>) -> Option<usize> {
        let code = code?;
        self.codes.iter().position(|c| c == code)
    }
}

/// The offence and appeal panels (survey panels are added by the caller from wave estimates).
pub(crate) fn build_panels(
    units: &Units,
    window: &Window,
    offences: &[OffenceRow<'_>],
    appeals: &[AppealRow<'_>],
) -> Vec<OutcomePanel> {
    let (n_units, n_months) = (units.codes.len(), window.months.len());
    let cells = n_units * n_months;
    let cell = |quadrant: Option<&str>, month: Option<usize>| Some(units.index(quadrant)? * n_months + month?);
    let mut panels = Vec::new();
    let mut total = vec![0.0; cells];
    let mut by_group: BTreeMap<OffenceGroup, Vec<f64>> = BTreeMap::new();
    let mut group_counts: BTreeMap<OffenceGroup, usize> = BTreeMap::new();
    for row in offences {
        let Some(at) = cell(row.quadrant, row.month) else { continue };
        total[at] += 1.0;
        by_group.entry(row.group).or_insert_with(|| vec![0.0; cells])[at] += 1.0;
        *group_counts.entry(row.group).or_insert(0) += 1;
    }
    panels.push(OutcomePanel {
        outcome: Outcome::Offences { group: None },
        values: total.into_iter().map(Some).collect(),
    });
    for (group, values) in by_group {
        if group_counts[&group] >= MIN_GROUP_INCIDENTS {
            panels.push(OutcomePanel {
                outcome: Outcome::Offences { group: Some(group) },
                values: values.into_iter().map(Some).collect(),
            });
        }
    }
    let mut counts = vec![0.0; cells];
    let mut days: Vec<Vec<f64>> = vec![Vec::new(); cells];
    let mut due = vec![(0usize, 0usize); cells];
    for row in appeals {
        let Some(at) = cell(row.quadrant, row.month) else { continue };
        counts[at] += 1.0;
        if let Some(d) = row.days_to_answer {
            days[at].push(d);
        }
        if let Some(late) = row.overdue {
            due[at].0 += 1;
            due[at].1 += usize::from(late);
        }
    }
    panels.push(OutcomePanel { outcome: Outcome::Appeals, values: counts.into_iter().map(Some).collect() });
    panels.push(OutcomePanel {
        outcome: Outcome::MedianDaysToAnswer,
        values: days.into_iter().map(|mut d| median(&mut d)).collect(),
    });
    panels.push(OutcomePanel {
        outcome: Outcome::OverdueShare,
        values: due.into_iter().map(|(n, late)| (n > 0).then(|| late as f64 / n as f64)).collect(),
    });
    panels
}

/// The median of some values (`None` when empty).
pub(crate) fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] } else { (values[n / 2 - 1] + values[n / 2]) / 2.0 })
}

/// The estimates of one outcome.
#[derive(Debug, Clone)]
pub(crate) struct OutcomeResult {
    /// What was measured.
    pub outcome: Outcome,
    /// The difference-in-differences, or why it could not be estimated.
    pub did: Result<DidResult, String>,
    /// The event study, when the panel has at least two months before the start with data.
    pub event_study: Option<EventStudyResult>,
    /// The mean of the pilot units per month (`None` where none has data).
    pub pilot_means: Vec<Option<f64>>,
    /// The mean of the control units per month.
    pub control_means: Vec<Option<f64>>,
}

/// The settings of every estimate: 95 % intervals, the wild bootstrap with Webb weights (few clusters), and
/// randomisation inference over quadrants; fixed seeds so a report reads the same each time.
pub(crate) fn did_config() -> DidConfig {
    DidConfig {
        confidence_level: 0.95,
        wild_bootstrap: Some(WildBootstrapConfig { replicates: 9_999, weights: WildWeights::Webb, seed: 1 }),
        randomization: Some(RandomizationConfig { draws: 9_999, seed: 1 }),
    }
}

/// Estimates one outcome's panel.
pub(crate) fn estimate(units: &Units, window: &Window, panel: &OutcomePanel) -> OutcomeResult {
    let n_months = window.months.len();
    let means = |treated: bool| -> Vec<Option<f64>> {
        (0..n_months)
            .map(|t| {
                let values: Vec<f64> = (0..units.codes.len())
                    .filter(|&u| units.treated[u] == treated)
                    .filter_map(|u| panel.values[u * n_months + t])
                    .collect();
                (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
            })
            .collect()
    };
    let (pilot_means, control_means) = (means(true), means(false));
    let built =
        Panel::new(units.codes.len(), n_months, panel.values.clone(), units.treated.clone(), window.start_index);
    let panel_value = match built {
        Ok(panel) => panel,
        Err(err) => {
            return OutcomeResult {
                outcome: panel.outcome.clone(),
                did: Err(err.to_string()),
                event_study: None,
                pilot_means,
                control_means,
            };
        }
    };
    let did = evaluation::did(&panel_value, &did_config()).map_err(|err| err.to_string());
    let months_before_with_data = pilot_means[..window.start_index].iter().filter(|m| m.is_some()).count();
    let event_study = (months_before_with_data >= 2)
        .then(|| {
            let config = EventStudyConfig {
                first_relative: (-(window.start_index.min(MONTHS_BEFORE) as i32)).min(-2),
                last_relative: (window.months_after() as i32 - 1).clamp(0, 12),
                confidence_level: 0.95,
            };
            evaluation::event_study(&panel_value, &config).ok()
        })
        .flatten();
    OutcomeResult { outcome: panel.outcome.clone(), did, event_study, pilot_means, control_means }
}

/// The displacement counts and measures, with the months each window spans.
#[derive(Debug, Clone)]
pub(crate) struct DisplacementReport {
    /// The buffer's width, metres.
    pub buffer_metres: u32,
    /// Months in each of the before and after windows.
    pub months: usize,
    /// Offences in the pilot, buffer and control areas, before and after.
    pub pilot_before: f64,
    /// After, pilot.
    pub pilot_after: f64,
    /// Before, buffer.
    pub buffer_before: f64,
    /// After, buffer.
    pub buffer_after: f64,
    /// Before, control.
    pub control_before: f64,
    /// After, control.
    pub control_after: f64,
    /// The measures, or why they cannot be computed.
    pub measures: Result<Displacement, String>,
}

/// Counts offences in equal windows around the start and computes the weighted displacement quotient.
pub(crate) fn displacement(
    units: &Units,
    window: &Window,
    offences: &[OffenceRow<'_>],
    buffer_metres: u32,
) -> DisplacementReport {
    let span = window.months_after().min(MONTHS_BEFORE);
    let (before, after) =
        (window.start_index - span..window.start_index, window.start_index..window.start_index + span);
    let mut counts = [[0.0_f64; 2]; 3];
    for row in offences {
        let Some(month) = row.month else { continue };
        let period = if before.contains(&month) {
            0
        } else if after.contains(&month) {
            1
        } else {
            continue;
        };
        let unit = units.index(row.quadrant);
        let area = match unit {
            Some(u) if units.treated[u] => 0,
            _ if row.in_buffer => 1,
            Some(_) => 2,
            None => continue,
        };
        counts[area][period] += 1.0;
    }
    let input = DisplacementCounts {
        response_before: counts[0][0],
        response_after: counts[0][1],
        buffer_before: counts[1][0],
        buffer_after: counts[1][1],
        control_before: counts[2][0],
        control_after: counts[2][1],
    };
    DisplacementReport {
        buffer_metres,
        months: span,
        pilot_before: input.response_before,
        pilot_after: input.response_after,
        buffer_before: input.buffer_before,
        buffer_after: input.buffer_after,
        control_before: input.control_before,
        control_after: input.control_after,
        measures: evaluation::weighted_displacement_quotient(&input).map_err(|err| err.to_string()),
    }
}

/// The pilot area in local metres, to tell whether a point lies in the buffer ring around it.
pub(crate) struct Buffer {
    pilot: Vec<MultiPolygon<f64>>,
    bounds: Option<Rect<f64>>,
    metres: f64,
}

impl Buffer {
    /// The buffer around `pilot` (each quadrant's geometry in WGS84), `metres` wide.
    pub(crate) fn new(pilot: &[&MultiPolygon<f64>], projection: &LocalProjection, metres: u32) -> Buffer {
        let project = |ring: &LineString<f64>| -> LineString<f64> {
            ring.0
                .iter()
                .map(|c| {
                    let (x, y) = projection.forward(c.x, c.y);
                    Coord { x, y }
                })
                .collect()
        };
        let pilot: Vec<MultiPolygon<f64>> = pilot
            .iter()
            .map(|mp| {
                MultiPolygon(
                    mp.0.iter()
                        .map(|p| Polygon::new(project(p.exterior()), p.interiors().iter().map(project).collect()))
                        .collect(),
                )
            })
            .collect();
        let bounds = pilot.iter().filter_map(BoundingRect::bounding_rect).reduce(|a, b| {
            Rect::new(
                Coord { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                Coord { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });
        Buffer { pilot, bounds, metres: f64::from(metres) }
    }

    /// Whether a point (local metres) lies within the buffer's width of the pilot area (inside it too: callers
    /// count pilot points as pilot first).
    pub(crate) fn contains(&self, x: f64, y: f64) -> bool {
        let Some(bounds) = self.bounds else { return false };
        let m = self.metres;
        if x < bounds.min().x - m || x > bounds.max().x + m || y < bounds.min().y - m || y > bounds.max().y + m {
            return false;
        }
        let point = Point::new(x, y);
        self.pilot.iter().any(|area| Euclidean.distance(&point, area) <= m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_window_runs_from_a_year_before_the_start_to_the_last_whole_month() {
        let window = Window::new(date(2026, 3, 15), date(2026, 12, 1)).unwrap();
        assert_eq!(window.months.first().unwrap().label(), "2025-03");
        assert_eq!(window.months.last().unwrap().label(), "2026-11");
        assert_eq!(window.months[window.start_index].label(), "2026-03");
        assert_eq!(window.months_after(), 9);
        assert_eq!(window.index_of(date(2026, 3, 1)), Some(12));
        assert_eq!(window.index_of(date(2024, 3, 1)), None);
        assert!(Window::new(date(2026, 12, 1), date(2026, 12, 20)).is_none());
    }

    #[test]
    fn months_count_across_years() {
        assert_eq!(Month { year: 2026, month: 1 }.plus(-1), Month { year: 2025, month: 12 });
        assert_eq!(Month { year: 2026, month: 12 }.plus(13), Month { year: 2028, month: 1 });
    }

    #[test]
    fn panels_count_offences_and_summarise_appeals_per_quadrant_and_month() {
        let units = Units::new(&["P".into()], &["C".into()]);
        let window = Window { months: (0..3).map(|i| Month { year: 2026, month: i + 1 }).collect(), start_index: 1 };
        let offences = [
            OffenceRow { quadrant: Some("P"), month: Some(0), group: OffenceGroup::ALL[0], in_buffer: false },
            OffenceRow { quadrant: Some("P"), month: Some(0), group: OffenceGroup::ALL[0], in_buffer: false },
            OffenceRow { quadrant: Some("C"), month: Some(2), group: OffenceGroup::ALL[1], in_buffer: false },
            OffenceRow { quadrant: Some("X"), month: Some(2), group: OffenceGroup::ALL[1], in_buffer: false },
            OffenceRow { quadrant: Some("C"), month: None, group: OffenceGroup::ALL[1], in_buffer: false },
        ];
        let appeals = [
            AppealRow { quadrant: Some("C"), month: Some(1), days_to_answer: Some(3.0), overdue: Some(false) },
            AppealRow { quadrant: Some("C"), month: Some(1), days_to_answer: Some(9.0), overdue: Some(true) },
            AppealRow { quadrant: Some("C"), month: Some(1), days_to_answer: None, overdue: None },
        ];
        let panels = build_panels(&units, &window, &offences, &appeals);
        let of = |id: &str| panels.iter().find(|p| p.outcome.id() == id).unwrap().values.clone();
        assert_eq!(of("offences"), vec![Some(2.0), Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(1.0)]);
        // Groups under the threshold get no panel of their own.
        assert!(panels.iter().all(|p| !matches!(p.outcome, Outcome::Offences { group: Some(_) })));
        assert_eq!(of("appeals"), vec![Some(0.0), Some(0.0), Some(0.0), Some(0.0), Some(3.0), Some(0.0)]);
        assert_eq!(of("median_days_to_answer"), vec![None, None, None, None, Some(6.0), None]);
        assert_eq!(of("overdue_share"), vec![None, None, None, None, Some(0.5), None]);
    }

    #[test]
    fn a_known_effect_in_a_panel_is_recovered() {
        // Ten quadrants, one in the pilot; every quadrant has its own level and every month a common shock; the
        // pilot drops by 4 offences a month from the start.
        let pilot: Vec<String> = vec!["Q0".into()];
        let control: Vec<String> = (1..10).map(|i| format!("Q{i}")).collect();
        let units = Units::new(&pilot, &control);
        let window = Window::new(date(2025, 1, 10), date(2025, 7, 2)).unwrap();
        let n = window.months.len();
        let mut values = Vec::new();
        for u in 0..10 {
            for t in 0..n {
                let effect = if u == 0 && t >= window.start_index { -4.0 } else { 0.0 };
                let noise = ((u * 7 + t * 3) % 5) as f64 * 0.1;
                values.push(Some(20.0 + u as f64 + (t % 4) as f64 + effect + noise));
            }
        }
        let panel = OutcomePanel { outcome: Outcome::Offences { group: None }, values };
        let result = estimate(&units, &window, &panel);
        let did = result.did.unwrap();
        assert!((did.estimate + 4.0).abs() < 0.3, "{}", did.estimate);
        assert!(did.randomization.is_some() && did.wild_bootstrap.is_some());
        let study = result.event_study.unwrap();
        assert_eq!((study.first_relative, study.last_relative), (-12, 5));
        assert!(study.coefficients.iter().filter(|c| c.relative >= 0).all(|c| (c.estimate + 4.0).abs() < 0.5));
        assert_eq!(result.pilot_means.len(), n);
    }

    #[test]
    fn displacement_counts_equal_windows_and_keeps_buffer_points_out_of_the_control() {
        let units = Units::new(&["P".into()], &["C".into()]);
        let window = Window { months: (0..5).map(|i| Month { year: 2026, month: i + 1 }).collect(), start_index: 3 };
        let row = |q: &'static str, month, in_buffer| OffenceRow {
            quadrant: Some(q),
            month: Some(month),
            group: OffenceGroup::ALL[0],
            in_buffer,
        };
        let offences = [
            row("P", 0, false), // before the two-month window: not counted
            row("P", 1, true),  // pilot wins over buffer
            row("P", 3, false),
            row("C", 2, true), // buffer, not control
            row("C", 2, false),
            row("C", 4, false),
            row("C", 4, false),
        ];
        let report = displacement(&units, &window, &offences, 200);
        assert_eq!(report.months, 2);
        assert_eq!((report.pilot_before, report.pilot_after), (1.0, 1.0));
        assert_eq!((report.buffer_before, report.buffer_after), (1.0, 0.0));
        assert_eq!((report.control_before, report.control_after), (1.0, 2.0));
        let measures = report.measures.unwrap();
        assert!((measures.success_measure - (1.0 / 2.0 - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn the_buffer_is_a_ring_of_the_given_width() {
        let projection = LocalProjection::new(69.6, 42.3).unwrap();
        let (x0, y0) = projection.inverse(0.0, 0.0);
        let (x1, y1) = projection.inverse(1000.0, 1000.0);
        let square = MultiPolygon(vec![Polygon::new(
            LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
            vec![],
        )]);
        let buffer = Buffer::new(&[&square], &projection, 200);
        assert!(buffer.contains(1150.0, 500.0));
        assert!(!buffer.contains(1250.0, 500.0));
        assert!(buffer.contains(500.0, -199.0));
        assert!(!buffer.contains(-500.0, -500.0));
    }

    #[test]
    fn medians_of_even_and_odd_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
