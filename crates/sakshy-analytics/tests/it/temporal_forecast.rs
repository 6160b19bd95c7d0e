//! Tests of the temporal profiles (civil dates, weekday × hour matrix, monthly trend), hotspot-forecast scoring
//! (hand examples, invariants, the numpy reference in `tools/reference/forecast_reference.py`) and the synthetic
//! self-exciting incident generator (its parameters are recovered from its output).

use approx::assert_relative_eq;
use proptest::prelude::*;
use sakshy_analytics::Grid;
use sakshy_analytics::forecast::{ForecastError, HotspotForecast, score_forecast};
use sakshy_analytics::synthetic::{SelfExcitingParams, SyntheticEvent, simulate};
use sakshy_analytics::temporal::{
    EventTime, LocalDate, LocalDateTime, TemporalError, YearMonth, civil_from_days, days_from_civil, monthly_trend,
    week_hour_matrix,
};

fn date(year: i32, month: u32, day: u32) -> LocalDate {
    LocalDate::from_ymd(year, month, day).unwrap()
}

fn at(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> LocalDateTime {
    LocalDateTime::from_ymd_hm(year, month, day, hour, minute).unwrap()
}

// ---------------------------------------------------------------------------------------------------------------
// Civil dates.

#[test]
fn known_dates_have_their_weekdays() {
    // ISO weekdays from zero: Monday 0 … Sunday 6.
    for ((year, month, day), weekday) in [
        ((2026, 12, 1), 1), // Tuesday.
        ((1970, 1, 1), 3),  // Thursday.
        ((1969, 12, 31), 2),
        ((2000, 1, 1), 5), // Saturday.
        ((2024, 2, 29), 3),
        ((2023, 1, 1), 6),   // Sunday.
        ((1582, 10, 15), 4), // The first Gregorian day, a Friday.
        ((2026, 3, 16), 0),
    ] {
        assert_eq!(date(year, month, day).weekday(), weekday, "{year}-{month}-{day}");
    }
    assert_eq!(date(2026, 12, 1).days_since_epoch(), 20_788);
    assert_eq!(date(2026, 12, 1).to_string(), "2026-12-01");
    assert_eq!(serde_json::to_string(&date(2024, 2, 29)).unwrap(), "\"2024-02-29\"");
}

#[test]
fn impossible_dates_and_times_are_rejected() {
    assert_eq!(LocalDate::from_ymd(2023, 2, 29), Err(TemporalError::BadDate { year: 2023, month: 2, day: 29 }));
    assert!(LocalDate::from_ymd(2024, 0, 1).is_err());
    assert!(LocalDate::from_ymd(2024, 6, 31).is_err());
    assert_eq!(LocalDateTime::new(date(2024, 1, 1), 24, 0), Err(TemporalError::BadTime { hour: 24, minute: 0 }));
    assert!(LocalDateTime::new(date(2024, 1, 1), 23, 60).is_err());
    assert_eq!(YearMonth::new(2024, 13), Err(TemporalError::BadMonth(13)));
}

proptest! {
    #[test]
    fn civil_dates_round_trip_over_a_long_range(days in -400_000_000i64..400_000_000) {
        let (year, month, day) = civil_from_days(days);
        prop_assert!((1..=12).contains(&month) && (1..=31).contains(&day));
        prop_assert_eq!(days_from_civil(year, month, day), days);
        // The next day is the next calendar day: same month and day + 1, or the 1st of the next month.
        let (y2, m2, d2) = civil_from_days(days + 1);
        let next_month = if month == 12 { (year + 1, 1, 1) } else { (year, month + 1, 1) };
        prop_assert!((y2, m2, d2) == (year, month, day + 1) || (y2, m2, d2) == next_month);
    }

    #[test]
    fn local_dates_round_trip_and_weekdays_cycle(days in i32::MIN + 1..i32::MAX) {
        let local = LocalDate::from_days_since_epoch(days);
        let (year, month, day) = local.ymd();
        prop_assert_eq!(LocalDate::from_ymd(year, month, day), Ok(local));
        let next = local.add_days(1).unwrap_or(local);
        prop_assert!(next == local || next.weekday() == (local.weekday() + 1) % 7);
        prop_assert_eq!(local.add_days(-1).map(|d| (d.weekday() + 1) % 7), Some(local.weekday()));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Weekday × hour matrix.

#[test]
fn the_matrix_counts_hand_made_events_and_keeps_unknown_hours_apart() {
    let events = [
        EventTime::At(at(2026, 12, 1, 0, 5)),    // Tuesday 00h.
        EventTime::At(at(2026, 12, 1, 23, 59)),  // Tuesday 23h.
        EventTime::At(at(2026, 12, 8, 23, 0)),   // Tuesday 23h, a week later.
        EventTime::At(at(2026, 12, 6, 14, 30)),  // Sunday 14h.
        EventTime::DateOnly(date(2026, 12, 1)),  // Tuesday, hour unknown.
        EventTime::DateOnly(date(2026, 12, 7)),  // Monday, hour unknown.
        EventTime::DateOnly(date(2026, 12, 14)), // Monday, hour unknown.
        EventTime::Window { from: at(2026, 12, 2, 9, 15), to: at(2026, 12, 2, 9, 15) }, // Wednesday 09h exactly.
    ];
    let matrix = week_hour_matrix(&events).unwrap();
    let mut expected = [[0.0; 24]; 7];
    expected[1][0] = 1.0;
    expected[1][23] = 2.0;
    expected[6][14] = 1.0;
    expected[2][9] = 1.0;
    assert_eq!(matrix.counts, expected);
    assert_eq!(matrix.hour_unknown, [2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    assert_eq!((matrix.n_events, matrix.n_exact, matrix.n_date_only, matrix.n_window), (8, 5, 3, 0));
    // Date-only events never leak into hour 0.
    assert_eq!(matrix.by_hour()[0], 1.0);
    assert_eq!(matrix.by_weekday(), [2.0, 4.0, 1.0, 0.0, 0.0, 0.0, 1.0]);
    let json = serde_json::to_value(&matrix).unwrap();
    assert_eq!(json["counts"].as_array().unwrap().len(), 7);
    assert_eq!(json["counts"][1].as_array().unwrap().len(), 24);
}

#[test]
fn aoristic_windows_spread_equally_over_the_hours_they_touch() {
    // Friday 22:30 to Saturday 02:15 touches Fri 22, 23 and Sat 0, 1, 2: 1/5 each.
    let window = EventTime::Window { from: at(2026, 12, 4, 22, 30), to: at(2026, 12, 5, 2, 15) };
    // Sunday 22:00 to Monday 00:00 (exclusive) touches Sunday 22 and 23 only.
    let to_midnight = EventTime::Window { from: at(2026, 12, 6, 22, 0), to: at(2026, 12, 7, 0, 0) };
    let matrix = week_hour_matrix(&[window, to_midnight]).unwrap();
    for (day, hour) in [(4, 22), (4, 23), (5, 0), (5, 1), (5, 2)] {
        assert_eq!(matrix.counts[day][hour], 0.2, "{day} {hour}");
    }
    assert_eq!((matrix.counts[6][22], matrix.counts[6][23], matrix.counts[0][0]), (0.5, 0.5, 0.0));
    assert_eq!(matrix.n_window, 2);
    let reversed = EventTime::Window { from: at(2026, 12, 5, 2, 15), to: at(2026, 12, 4, 22, 30) };
    assert_eq!(week_hour_matrix(&[window, reversed]), Err(TemporalError::WindowReversed { index: 1 }));
}

proptest! {
    #[test]
    fn aoristic_weights_sum_to_the_event_count(
        windows in prop::collection::vec((0i64..2_000_000, 0i64..40_000), 1..60),
        exact in 0usize..20,
    ) {
        let mut events: Vec<EventTime> = windows
            .iter()
            .map(|&(start, length)| EventTime::Window {
                from: LocalDateTime::from_minutes_since_epoch(start * 7).unwrap(),
                to: LocalDateTime::from_minutes_since_epoch(start * 7 + length).unwrap(),
            })
            .collect();
        events.extend((0..exact).map(|i| EventTime::At(LocalDateTime::from_minutes_since_epoch(i as i64 * 997).unwrap())));
        let matrix = week_hour_matrix(&events).unwrap();
        let total: f64 = matrix.counts.iter().flatten().sum();
        prop_assert!((total - events.len() as f64).abs() < 1e-9 * events.len() as f64);
        prop_assert!(matrix.counts.iter().flatten().all(|&c| c >= 0.0));
        prop_assert_eq!(matrix.n_exact + matrix.n_window + matrix.n_date_only, events.len());
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Monthly trend.

#[test]
fn the_monthly_trend_is_zero_filled_with_year_over_year_change() {
    let dates = [
        date(2022, 12, 31), // Before the window.
        date(2023, 1, 3),
        date(2023, 1, 31),
        date(2023, 2, 28),
        date(2024, 1, 1),
        date(2024, 1, 15),
        date(2024, 1, 31),
        date(2024, 2, 29), // Leap day: February 2024.
        date(2024, 2, 1),
        date(2024, 3, 1),
        date(2024, 4, 1), // After the window.
    ];
    let trend = monthly_trend(&dates, YearMonth::new(2023, 1).unwrap(), YearMonth::new(2024, 3).unwrap()).unwrap();
    assert_eq!(trend.outside, 2);
    assert_eq!(trend.months.len(), 15);
    let counts: Vec<u64> = trend.months.iter().map(|m| m.count).collect();
    assert_eq!(counts, [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 1]);
    let labels: Vec<(i32, u32)> = trend.months.iter().map(|m| (m.year, m.month)).collect();
    assert_eq!(labels[11], (2023, 12));
    assert_eq!(labels[12], (2024, 1));
    // 2023 has no previous year inside the window.
    assert!(trend.months[..12].iter().all(|m| m.previous_year.is_none() && m.yoy_change.is_none()));
    let jan = &trend.months[12];
    assert_eq!((jan.previous_year, jan.yoy_change, jan.yoy_percent), (Some(2), Some(1), Some(50.0)));
    let feb = &trend.months[13];
    assert_eq!((feb.previous_year, feb.yoy_change, feb.yoy_percent), (Some(1), Some(1), Some(100.0)));
    // March 2023 had no events: the change is defined, the percent is not.
    let mar = &trend.months[14];
    assert_eq!((mar.previous_year, mar.yoy_change, mar.yoy_percent), (Some(0), Some(1), None));
    let rolling: Vec<Option<u64>> = trend.months.iter().map(|m| m.rolling_12).collect();
    assert!(rolling[..11].iter().all(Option::is_none));
    assert_eq!(&rolling[11..], [Some(3), Some(4), Some(5), Some(6)]);
    let json = serde_json::to_value(&trend).unwrap();
    assert_eq!(json["months"][14]["yoy_percent"], serde_json::Value::Null);
    assert_eq!(json["months"][12]["yoy_percent"], 50.0);
}

#[test]
fn a_fall_in_crime_gives_a_negative_change_and_windows_are_checked() {
    let dates = [date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3), date(2024, 5, 4), date(2025, 5, 9)];
    let trend = monthly_trend(&dates, YearMonth::new(2024, 5).unwrap(), YearMonth::new(2025, 5).unwrap()).unwrap();
    let last = trend.months.last().unwrap();
    assert_eq!((last.count, last.yoy_change, last.yoy_percent, last.rolling_12), (1, Some(-3), Some(-75.0), Some(1)));
    assert!(matches!(
        monthly_trend(&dates, YearMonth::new(2025, 1).unwrap(), YearMonth::new(2024, 12).unwrap()),
        Err(TemporalError::EmptyWindow { .. })
    ));
    let one = monthly_trend(&[], YearMonth::new(2025, 1).unwrap(), YearMonth::new(2025, 1).unwrap()).unwrap();
    assert_eq!((one.months.len(), one.months[0].count, one.outside), (1, 0, 0));
}

// ---------------------------------------------------------------------------------------------------------------
// Forecast scoring.

/// A 4 × 4 grid of 100 m cells whose study area is the 3 × 3 block of rows 0–2 and columns 0–2.
///
/// Flat index `row · 4 + col`; row 0 is the south. Risk: cell 3 (outside) 1.0, cell 5 0.9, cells 0 and 10 0.8
/// (a tie), cell 6 0.5, everything else 0.1. Period-2 events: 4 in cell 5, 1 in 0, 3 in 10, 5 in 9, 2 in 6,
/// 1 in 1, and 7 in cell 3 and 2 in cell 15, which are outside.
fn four_by_four() -> (Grid, Vec<f64>, Vec<f64>, Vec<u32>) {
    let grid = Grid::new(0.0, 0.0, 100.0, 4, 4).unwrap();
    let fraction = (0..16).map(|i| if i / 4 < 3 && i % 4 < 3 { 1.0 } else { 0.0 }).collect();
    let mut risk = vec![0.1; 16];
    for (cell, value) in [(3, 1.0), (5, 0.9), (0, 0.8), (10, 0.8), (6, 0.5)] {
        risk[cell] = value;
    }
    let mut events = vec![0; 16];
    for (cell, count) in [(5, 4), (0, 1), (10, 3), (9, 5), (6, 2), (1, 1), (3, 7), (15, 2)] {
        events[cell] = count;
    }
    (grid, fraction, risk, events)
}

#[test]
fn forecast_scores_match_a_hand_computation_over_the_study_area() {
    let (grid, fraction, risk, events) = four_by_four();
    let forecast = HotspotForecast::new(grid, &fraction, &risk, &events).unwrap();
    assert_eq!(forecast.study_area_m2(), 90_000.0);
    // Ranking of the 9 study cells: 5 (0.9), 0 and 10 (0.8, lower index first), 6 (0.5), then 1, 2, 4, 8, 9.
    assert_eq!(forecast.flagged(1.0).unwrap(), &[5, 0, 10, 6, 1, 2, 4, 8, 9]);

    // 20 % of 9 cells = 1.8 → 2 cells (5 and 0), never cell 3 though it is the riskiest.
    let s = forecast.score(0.2).unwrap();
    assert_eq!((s.cells_flagged, s.hits, s.events, s.events_outside, s.max_hits), (2, 5, 16, 9, 9));
    assert_eq!((s.flagged_area_m2, s.study_area_m2), (20_000.0, 90_000.0));
    assert_relative_eq!(s.hit_rate, 5.0 / 16.0);
    assert_relative_eq!(s.pai, (5.0 / 16.0) / (2.0 / 9.0)); // 1.40625
    assert_relative_eq!(s.pei, 5.0 / 9.0); // n* = 5 (cell 9) + 4 (cell 5).

    // A third: 3 cells (5, 0, 10) hold 8 of 16; the best 3 cells hold 5 + 4 + 3 = 12.
    let s = forecast.score(1.0 / 3.0).unwrap();
    assert_eq!((s.cells_flagged, s.hits, s.max_hits), (3, 8, 12));
    assert_relative_eq!(s.pai, 1.5);
    assert_relative_eq!(s.pei, 2.0 / 3.0);

    // Everything: hit rate, PAI and PEI are 1.
    let s = forecast.score(1.0).unwrap();
    assert_eq!((s.hit_rate, s.pai, s.pei), (1.0, 1.0, 1.0));
}

#[test]
fn the_bounding_box_would_inflate_pai_for_the_same_flagged_cells() {
    let (grid, fraction, risk, events) = four_by_four();
    let study = score_forecast(grid, &fraction, &risk, &events, 0.2).unwrap();
    // The same two cells flagged and the same 16 events, but with A = the 16-cell box: 2 of 16 cells is 12.5 %.
    let inside_events: Vec<u32> = events.iter().zip(&fraction).map(|(&c, &f)| if f > 0.0 { c } else { 0 }).collect();
    let inside_risk: Vec<f64> = risk.iter().zip(&fraction).map(|(&r, &f)| if f > 0.0 { r } else { 0.0 }).collect();
    let bbox = HotspotForecast::new(grid, &[1.0; 16], &inside_risk, &inside_events).unwrap();
    assert_eq!(bbox.flagged(0.125).unwrap(), &[5, 0]);
    let boxed = bbox.score(0.125).unwrap();
    assert_eq!((boxed.hits, boxed.events), (study.hits, study.events));
    assert_relative_eq!(boxed.pai, (5.0 / 16.0) / (2.0 / 16.0)); // 2.5
    assert_relative_eq!(boxed.pai / study.pai, 16.0 / 9.0);
}

#[test]
fn partial_boundary_cells_count_by_their_area_inside() {
    // Fractions 1, ½, 1, ¼: A = 2.75 cells. Ranked by risk: 1, 2, 3, 0.
    let grid = Grid::new(0.0, 0.0, 10.0, 4, 1).unwrap();
    let forecast = HotspotForecast::new(grid, &[1.0, 0.5, 1.0, 0.25], &[1.0, 4.0, 3.0, 2.0], &[2, 1, 3, 0]).unwrap();
    // Half of 2.75 = 1.375: cell 1 (0.5) is not enough, cells 1 and 2 (1.5) reach it.
    let s = forecast.score(0.5).unwrap();
    assert_eq!((s.cells_flagged, s.hits, s.events, s.max_hits), (2, 4, 6, 5));
    assert_relative_eq!(s.flagged_area_m2, 150.0);
    assert_relative_eq!(s.study_area_m2, 275.0);
    assert_relative_eq!(s.pai, (4.0 / 6.0) / (1.5 / 2.75));
    assert_relative_eq!(s.pei, 0.8);
}

#[test]
fn forecast_errors_name_the_problem() {
    let (grid, fraction, risk, events) = four_by_four();
    assert_eq!(
        HotspotForecast::new(grid, &fraction[..15], &risk, &events).unwrap_err(),
        ForecastError::LengthMismatch { what: "study_fraction", got: 15, expected: 16 }
    );
    assert_eq!(HotspotForecast::new(grid, &[0.0; 16], &risk, &events).unwrap_err(), ForecastError::EmptyStudyArea);
    let forecast = HotspotForecast::new(grid, &fraction, &risk, &events).unwrap();
    assert_eq!(forecast.score(0.0).unwrap_err(), ForecastError::BadCoverage(0.0));
    assert_eq!(forecast.score(1.5).unwrap_err(), ForecastError::BadCoverage(1.5));
    assert_eq!(forecast.curve(&[0.1, 2.0]).unwrap_err(), ForecastError::BadCoverage(2.0));
}

#[derive(serde::Deserialize)]
struct ReferenceFixture {
    grid: ReferenceGrid,
    study_fraction: Vec<f64>,
    risk: Vec<f64>,
    events: Vec<u32>,
    period1: Vec<u32>,
    scores: Vec<ReferenceScore>,
}

#[derive(serde::Deserialize)]
struct ReferenceGrid {
    x0: f64,
    y0: f64,
    cell: f64,
    ncols: usize,
    nrows: usize,
}

#[derive(serde::Deserialize)]
struct ReferenceScore {
    coverage: f64,
    cells_flagged: usize,
    flagged_area_m2: f64,
    study_area_m2: f64,
    hits: u64,
    events: u64,
    events_outside: u64,
    hit_rate: f64,
    pai: f64,
    max_hits: u64,
    pei: f64,
    rri: Option<f64>,
    flagged: Vec<usize>,
}

#[test]
fn forecast_scores_match_the_numpy_reference() {
    let text = include_str!("../fixtures/forecast_reference.json");
    let fixture: ReferenceFixture = serde_json::from_str(text).unwrap();
    let g = &fixture.grid;
    let grid = Grid::new(g.x0, g.y0, g.cell, g.ncols, g.nrows).unwrap();
    let forecast = HotspotForecast::new(grid, &fixture.study_fraction, &fixture.risk, &fixture.events)
        .unwrap()
        .with_period1(&fixture.period1)
        .unwrap();
    let coverages: Vec<f64> = fixture.scores.iter().map(|s| s.coverage).collect();
    let curve = forecast.curve(&coverages).unwrap();
    assert_eq!(curve.len(), 7);
    for (ours, reference) in curve.iter().zip(&fixture.scores) {
        let c = reference.coverage;
        assert_eq!(forecast.flagged(c).unwrap(), &reference.flagged[..], "coverage {c}");
        assert_eq!(
            (ours.cells_flagged, ours.hits, ours.events, ours.events_outside, ours.max_hits),
            (reference.cells_flagged, reference.hits, reference.events, reference.events_outside, reference.max_hits),
            "coverage {c}"
        );
        assert_relative_eq!(ours.flagged_area_m2, reference.flagged_area_m2, max_relative = 1e-12);
        assert_relative_eq!(ours.study_area_m2, reference.study_area_m2, max_relative = 1e-12);
        assert_relative_eq!(ours.hit_rate, reference.hit_rate, max_relative = 1e-12);
        assert_relative_eq!(ours.pai, reference.pai, max_relative = 1e-12);
        assert_relative_eq!(ours.pei, reference.pei, max_relative = 1e-12);
        assert_relative_eq!(ours.rri.unwrap(), reference.rri.unwrap(), max_relative = 1e-12);
    }
    // Hit rate grows with coverage.
    assert!(curve.windows(2).all(|w| w[0].hit_rate <= w[1].hit_rate));
}

fn forecast_inputs() -> impl Strategy<Value = (usize, usize, Vec<f64>, Vec<f64>, Vec<u32>)> {
    (1usize..12, 1usize..12).prop_flat_map(|(ncols, nrows)| {
        let n = ncols * nrows;
        (
            Just(ncols),
            Just(nrows),
            // A third of the cells outside, some on the boundary, the rest inside.
            prop::collection::vec(prop_oneof![Just(0.0), Just(1.0), 0.01f64..1.0], n),
            // Risks from a small set, so that ties are common.
            prop::collection::vec((0u8..5).prop_map(f64::from), n),
            prop::collection::vec(0u32..6, n),
        )
    })
}

proptest! {
    #[test]
    fn pei_is_at_most_one_and_one_for_a_perfect_forecast(
        (ncols, nrows, fraction, risk, events) in forecast_inputs(),
        coverage in 0.001f64..=1.0,
    ) {
        let grid = Grid::new(0.0, 0.0, 50.0, ncols, nrows).unwrap();
        let inside: u64 = events.iter().zip(&fraction).filter(|(_, f)| **f > 0.0).map(|(&c, _)| u64::from(c)).sum();
        prop_assume!(inside > 0);
        let forecast = HotspotForecast::new(grid, &fraction, &risk, &events).unwrap();
        let score = forecast.score(coverage).unwrap();
        prop_assert!((0.0..=1.0).contains(&score.pei));
        prop_assert!(score.hits <= score.max_hits && score.max_hits <= score.events);
        prop_assert!(score.area_fraction >= coverage * (1.0 - 1e-9));
        // PAI at full coverage is exactly 1.
        let full = forecast.score(1.0).unwrap();
        prop_assert_eq!((full.hit_rate, full.pai, full.pei), (1.0, 1.0, 1.0));
        // A perfect forecast: the period-2 counts themselves.
        let perfect_risk: Vec<f64> = events.iter().map(|&c| f64::from(c)).collect();
        let perfect = HotspotForecast::new(grid, &fraction, &perfect_risk, &events).unwrap();
        prop_assert_eq!(perfect.score(coverage).unwrap().pei, 1.0);
    }

    #[test]
    fn forecast_scores_do_not_depend_on_the_thread_count((ncols, nrows, fraction, risk, events) in forecast_inputs()) {
        let grid = Grid::new(0.0, 0.0, 50.0, ncols, nrows).unwrap();
        let run = |threads| {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            pool.install(|| {
                HotspotForecast::new(grid, &fraction, &risk, &events)
                    .and_then(|f| f.curve(&sakshy_analytics::forecast::DEFAULT_CURVE_COVERAGES))
            })
        };
        prop_assert_eq!(run(1), run(4));
    }
}

// ---------------------------------------------------------------------------------------------------------------
// Synthetic self-exciting incidents.

fn demo_params() -> SelfExcitingParams {
    SelfExcitingParams::demo((0.0, 0.0, 8_000.0, 6_000.0), date(2024, 1, 1))
}

/// Pooled statistics of many runs: (offspring, background, mean delay in days, displacement sd in metres).
///
/// The mean delay is taken over offspring of parents at least `10/ω` days before the window's end, whose
/// offspring are practically never cut off by it (`e^−10`), so that it estimates `1/ω` without bias.
fn pooled(params: &SelfExcitingParams, seeds: std::ops::Range<u64>) -> (usize, usize, f64, f64) {
    let (mut offspring, mut background, mut square_sum) = (0, 0, 0.0);
    let (mut delay_sum, mut delays) = (0.0, 0);
    let cutoff = params.days - 10.0 / params.omega_per_day;
    for seed in seeds {
        let events = simulate(params, seed).unwrap();
        for event in &events {
            match event.parent {
                None => background += 1,
                Some(parent) => {
                    let parent = &events[parent];
                    offspring += 1;
                    square_sum += (event.x_m - parent.x_m).powi(2) + (event.y_m - parent.y_m).powi(2);
                    if parent.t_days < cutoff {
                        delay_sum += event.t_days - parent.t_days;
                        delays += 1;
                    }
                }
            }
        }
    }
    (offspring, background, delay_sum / f64::from(delays), (square_sum / (2.0 * offspring as f64)).sqrt())
}

#[test]
fn the_same_seed_gives_the_same_events() {
    let params = demo_params();
    let first = simulate(&params, 7).unwrap();
    assert_eq!(first, simulate(&params, 7).unwrap());
    assert_ne!(first, simulate(&params, 8).unwrap());
    // Sorted in time, inside the window, parents before offspring, generations consistent.
    assert!(first.windows(2).all(|w| w[0].t_days <= w[1].t_days));
    assert!(first.iter().all(|e| (0.0..730.0).contains(&e.t_days)));
    for (index, event) in first.iter().enumerate() {
        match event.parent {
            None => assert_eq!(event.generation, 0),
            Some(parent) => {
                assert!(parent < index);
                assert_eq!(event.generation, first[parent].generation + 1);
            }
        }
    }
    // About 3,960 events expected over two years in the demo.
    assert!((3_300..4_700).contains(&first.len()), "{}", first.len());
    let json = serde_json::to_value(first[0]).unwrap();
    assert!(json["t_days"].is_f64() && json["parent"].is_null());
}

#[test]
fn the_branching_ratio_delay_and_displacement_are_recovered() {
    // Eight demo runs: about 22,000 background events and 9,500 offspring.
    let params = demo_params();
    let (offspring, background, mean_delay, sd) = pooled(&params, 0..8);
    let total = (offspring + background) as f64;
    // Stationary share θ = 0.3, minus about 1/(ωT) = 1 % for offspring lost past the window's end.
    let share = offspring as f64 / total;
    let expected_share = 0.3 * (1.0 - 7.0 / 730.0);
    assert!((share - expected_share).abs() < 0.012, "offspring share {share}");
    // total / background = 1 / (1 − share): 1/(1 − θ) = 1.43 in the stationary regime, 1.42 over the window.
    let ratio = total / background as f64;
    assert!((ratio - 1.0 / (1.0 - expected_share)).abs() < 0.025, "total/background {ratio}");
    assert!((mean_delay - 7.0).abs() < 0.25, "mean delay {mean_delay}");
    assert!((sd - 60.0).abs() < 1.5, "displacement sd {sd}");

    // Change each parameter and see the statistic follow, so none of them is ignored.
    let mut changed = params.clone();
    changed.theta = 0.6;
    changed.omega_per_day = 1.0 / 3.0;
    changed.sigma_m = 150.0;
    let (offspring, background, mean_delay, sd) = pooled(&changed, 100..104);
    let share = offspring as f64 / (offspring + background) as f64;
    assert!((share - 0.6 * (1.0 - 3.0 / 730.0)).abs() < 0.02, "offspring share {share}");
    assert!((mean_delay - 3.0).abs() < 0.15, "mean delay {mean_delay}");
    assert!((sd - 150.0).abs() < 3.5, "displacement sd {sd}");
}

#[test]
fn background_hotspots_have_their_rate_centre_and_spread() {
    let mut params = demo_params();
    params.theta = 0.0;
    params.uniform_rate_per_day = 0.0;
    params.week_profile = [[1.0; 24]; 7];
    params.hotspots.truncate(1);
    params.hotspots[0].x_m = 1_000.0;
    params.hotspots[0].y_m = -500.0;
    params.hotspots[0].sd_m = 200.0;
    params.hotspots[0].rate_per_day = 10.0;
    let events = simulate(&params, 3).unwrap();
    let n = events.len() as f64;
    assert!((n - 7_300.0).abs() < 4.0 * 7_300f64.sqrt(), "{n}");
    let mean_x = events.iter().map(|e| e.x_m).sum::<f64>() / n;
    let mean_y = events.iter().map(|e| e.y_m).sum::<f64>() / n;
    let sd_x = (events.iter().map(|e| (e.x_m - mean_x).powi(2)).sum::<f64>() / n).sqrt();
    assert!((mean_x - 1_000.0).abs() < 10.0 && (mean_y + 500.0).abs() < 10.0, "{mean_x} {mean_y}");
    assert!((sd_x - 200.0).abs() < 8.0, "{sd_x}");
    assert!(events.iter().all(SyntheticEvent::is_background));
}

#[test]
fn the_demo_background_follows_its_week_profile() {
    // Evening hours (19–20, weight 1.6) get more than five times the events of 04–05 (weight 0.3).
    let start = date(2024, 1, 1);
    let mut params = SelfExcitingParams::demo((0.0, 0.0, 8_000.0, 6_000.0), start);
    params.theta = 0.0;
    params.uniform_rate_per_day = 20.0;
    let times: Vec<EventTime> =
        simulate(&params, 11).unwrap().iter().map(|e| EventTime::At(e.local_time(start).unwrap())).collect();
    let by_hour = week_hour_matrix(&times).unwrap().by_hour();
    let ratio = (by_hour[19] + by_hour[20]) / (by_hour[4] + by_hour[5]);
    assert!((ratio - 1.6 / 0.3).abs() < 1.0, "evening / dawn {ratio}");
}
