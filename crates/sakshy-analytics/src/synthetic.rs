//! Synthetic incidents for the demo city from a self-exciting (Hawkes / ETAS-like) space-time point process:
//! background hotspots plus near-repeat offspring.
//!
//! The events are made up. They stand for no person and no real offence, and whatever shows them must label
//! them synthetic. This module only simulates; it reads no real data.
//!
//! # The process
//!
//! The conditional intensity, in events per day per m², is (Mohler et al. 2011, analytics.md §1.6)
//!
//! `λ(t, x, y) = μ(t, x, y) + Σ_{t_k < t} θ · ω e^{−ω (t − t_k)} · N₂((x − x_k, y − y_k); 0, σ² I)`
//!
//! - **Background** `μ`: a uniform rate over a caller-given rectangle plus Gaussian blobs (hotspots), each with
//!   its own rate and spread. Over time the background rate is modulated by a weekday × hour profile (evening and
//!   weekend peaks in the demo), normalised so that its weekly mean is the nominal rate.
//! - **Offspring (near repeats):** every event, background or offspring, triggers a Poisson number of offspring
//!   with mean `θ` (the branching ratio, `θ < 1`), each after an exponential delay of mean `1/ω` days and
//!   displaced by `N(0, σ²)` metres along each axis.
//!
//! It is simulated by its branching (cluster) representation: draw the background events, then each generation's
//! offspring from the previous generation, until a generation is empty. Offspring after the window's end are
//! dropped (with their would-be descendants). The process starts empty at `t = 0` (no events before the window),
//! and events in the last few `1/ω` days lose offspring past the end, so over a window of `T` days the share of
//! offspring is slightly below its stationary value `θ` — about `θ · (1 − 1/(ωT))`; with the demo's 730 days and
//! `1/ω = 7` days, 1 % below. Offspring may land outside the rectangle (a few σ at most from their parent; blobs
//! are not clipped either): the rectangle bounds the uniform background only.
//!
//! # Reproducibility
//!
//! The simulation is sequential. The background draws from [`random::stream`]`(seed, 0)` and generation `g ≥ 1`
//! from `stream(seed, g)`, so a seed gives the same events on any machine and any number of threads.
//!
//! # References
//!
//! Mohler, Short, Brantingham, Schoenberg & Tita (2011). Self-exciting point process modeling of crime. *JASA*
//! 106:100–108, doi:10.1198/jasa.2011.ap09546. Hawkes (1971), *Biometrika* 58:83–90. Ogata (1988), *JASA* 83:9–27
//! (ETAS). Lewis & Shedler (1979), simulation of non-homogeneous Poisson processes by thinning.

use rand::Rng;
use serde::Serialize;

use crate::random::{self, Stream};
use crate::temporal::{LocalDate, LocalDateTime};

/// The most events one simulation may produce.
pub const MAX_EVENTS: usize = 10_000_000;

/// A background hotspot: a circular Gaussian blob of events.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Hotspot {
    /// Centre, metres east of the local origin.
    pub x_m: f64,
    /// Centre, metres north of the local origin.
    pub y_m: f64,
    /// Standard deviation of the blob along each axis, metres.
    pub sd_m: f64,
    /// Background events per day from this hotspot (weekly mean).
    pub rate_per_day: f64,
}

/// Parameters of [`simulate`]. [`SelfExcitingParams::demo`] gives the demo city's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SelfExcitingParams {
    /// The rectangle of the uniform background, `(xmin, ymin, xmax, ymax)` in local metres.
    pub area: (f64, f64, f64, f64),
    /// Uniform background events per day over the whole rectangle (weekly mean).
    pub uniform_rate_per_day: f64,
    /// Gaussian background hotspots.
    pub hotspots: Vec<Hotspot>,
    /// Relative background rate by weekday (rows, Monday first) and hour of day (columns), all non-negative with
    /// a positive sum; it is divided by its mean, so all ones means a constant rate.
    pub week_profile: [[f64; 24]; 7],
    /// The local date of day 0 of the window: `t_days = 0` is its 00:00 local time. Only its weekday matters to
    /// the simulation; [`SyntheticEvent::local_time`] uses it to date events.
    pub start: LocalDate,
    /// Length of the window, days.
    pub days: f64,
    /// `θ`: mean number of offspring per event, in `[0, 1)`.
    pub theta: f64,
    /// `ω`: rate of the exponential offspring delay, per day (mean delay `1/ω` days).
    pub omega_per_day: f64,
    /// `σ`: standard deviation of an offspring's displacement from its parent along each axis, metres.
    pub sigma_m: f64,
}

/// One synthetic incident.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SyntheticEvent {
    /// Metres east of the local origin.
    pub x_m: f64,
    /// Metres north of the local origin.
    pub y_m: f64,
    /// Days since the start of the window (`[0, days)`); the fraction is the time of day.
    pub t_days: f64,
    /// Index (in the output) of the event that triggered this one; `None` for a background event. A parent
    /// always comes before its offspring.
    pub parent: Option<usize>,
    /// 0 for a background event, the parent's generation plus one for an offspring.
    pub generation: u32,
}

/// Why a simulation cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SyntheticError {
    /// The rectangle is not finite with `xmin ≤ xmax` and `ymin ≤ ymax`.
    #[error("the background rectangle must be finite with min ≤ max")]
    BadArea,
    /// A rate, spread or duration is negative, NaN or infinite (or zero where it must be positive).
    #[error("{what} must be a {sign} finite number, not {value}")]
    BadParameter {
        /// Which parameter.
        what: &'static str,
        /// "positive" or "non-negative".
        sign: &'static str,
        /// Value given.
        value: f64,
    },
    /// The branching ratio is not in `[0, 1)`; at 1 or above the process explodes.
    #[error("theta (mean offspring per event) must be in [0, 1), not {0}")]
    BadTheta(f64),
    /// The week profile has a negative or non-finite weight, or sums to zero.
    #[error("the week profile must have non-negative finite weights with a positive sum")]
    BadProfile,
    /// The simulation would produce, or produced, more than [`MAX_EVENTS`] events.
    #[error("the simulation would produce about {expected} events; at most {MAX_EVENTS} are allowed")]
    TooManyEvents {
        /// Expected (or reached) number of events.
        expected: f64,
    },
}

impl SelfExcitingParams {
    /// The demo city's parameters over the rectangle `area` (local metres), starting on `start`.
    ///
    /// - Window: 730 days (two years).
    /// - Uniform background: 1.0 event per day over the rectangle.
    /// - Four hotspots, placed at fixed fractions of the rectangle (width `w`, height `h` from the south-west
    ///   corner): (0.35 w, 0.55 h) 1.0/day, sd 300 m — a market and station area; (0.62 w, 0.40 h) 0.8/day,
    ///   sd 250 m; (0.50 w, 0.75 h) 0.6/day, sd 400 m; (0.75 w, 0.70 h) 0.4/day, sd 200 m. Total background
    ///   3.8/day, about 2,770 events over two years.
    /// - Offspring: θ = 0.3, 1/ω = 7 days, σ = 60 m — near repeats within a block or two and a couple of weeks;
    ///   about 1,190 offspring, so about 3,960 events in all.
    /// - Week profile: hour weights low before dawn (0.3 at 04:00–05:00) and highest in the evening (1.6 at
    ///   19:00–20:00), times weekday weights 0.9 Monday–Thursday, 1.1 Friday, 1.2 Saturday, 1.0 Sunday.
    pub fn demo(area: (f64, f64, f64, f64), start: LocalDate) -> SelfExcitingParams {
        let (xmin, ymin, xmax, ymax) = area;
        let at = |fx: f64, fy: f64| (xmin + fx * (xmax - xmin), ymin + fy * (ymax - ymin));
        let hotspot = |(x_m, y_m): (f64, f64), sd_m: f64, rate_per_day: f64| Hotspot { x_m, y_m, sd_m, rate_per_day };
        const HOURS: [f64; 24] = [
            0.6, 0.5, 0.4, 0.35, 0.3, 0.3, 0.4, 0.6, 0.8, 0.9, 1.0, 1.0, 1.05, 1.05, 1.1, 1.1, 1.2, 1.3, 1.5, 1.6, 1.6,
            1.5, 1.2, 0.9,
        ];
        const WEEKDAYS: [f64; 7] = [0.9, 0.9, 0.9, 0.9, 1.1, 1.2, 1.0];
        SelfExcitingParams {
            area,
            uniform_rate_per_day: 1.0,
            hotspots: vec![
                hotspot(at(0.35, 0.55), 300.0, 1.0),
                hotspot(at(0.62, 0.40), 250.0, 0.8),
                hotspot(at(0.50, 0.75), 400.0, 0.6),
                hotspot(at(0.75, 0.70), 200.0, 0.4),
            ],
            week_profile: std::array::from_fn(|day| std::array::from_fn(|hour| WEEKDAYS[day] * HOURS[hour])),
            start,
            days: 730.0,
            theta: 0.3,
            omega_per_day: 1.0 / 7.0,
            sigma_m: 60.0,
        }
    }

    /// Expected number of events in a stationary process over the window: background `/ (1 − θ)`.
    pub fn expected_events(&self) -> f64 {
        let background: f64 = self.uniform_rate_per_day + self.hotspots.iter().map(|h| h.rate_per_day).sum::<f64>();
        background * self.days / (1.0 - self.theta)
    }

    fn validate(&self) -> Result<(), SyntheticError> {
        let (xmin, ymin, xmax, ymax) = self.area;
        if ![xmin, ymin, xmax, ymax].iter().all(|v| v.is_finite()) || xmin > xmax || ymin > ymax {
            return Err(SyntheticError::BadArea);
        }
        let non_negative = |what, value: f64| {
            if value.is_finite() && value >= 0.0 {
                Ok(())
            } else {
                Err(SyntheticError::BadParameter { what, sign: "non-negative", value })
            }
        };
        let positive = |what, value: f64| {
            if value.is_finite() && value > 0.0 {
                Ok(())
            } else {
                Err(SyntheticError::BadParameter { what, sign: "positive", value })
            }
        };
        non_negative("uniform_rate_per_day", self.uniform_rate_per_day)?;
        for hotspot in &self.hotspots {
            non_negative("hotspot rate_per_day", hotspot.rate_per_day)?;
            positive("hotspot sd_m", hotspot.sd_m)?;
            if !(hotspot.x_m.is_finite() && hotspot.y_m.is_finite()) {
                return Err(SyntheticError::BadParameter { what: "hotspot centre", sign: "finite", value: f64::NAN });
            }
        }
        positive("days", self.days)?;
        positive("omega_per_day", self.omega_per_day)?;
        non_negative("sigma_m", self.sigma_m)?;
        if !(0.0..1.0).contains(&self.theta) {
            return Err(SyntheticError::BadTheta(self.theta));
        }
        let weights = self.week_profile.iter().flatten();
        if !weights.clone().all(|w| w.is_finite() && *w >= 0.0) || weights.sum::<f64>() <= 0.0 {
            return Err(SyntheticError::BadProfile);
        }
        let expected = self.expected_events();
        if expected > MAX_EVENTS as f64 {
            return Err(SyntheticError::TooManyEvents { expected });
        }
        Ok(())
    }
}

impl SyntheticEvent {
    /// Whether this is a background event (not triggered by another).
    pub fn is_background(&self) -> bool {
        self.parent.is_none()
    }

    /// The local date and time of the event for a window starting on `start` (00:00 local time), rounded down to
    /// the minute; `None` beyond the representable range.
    pub fn local_time(&self, start: LocalDate) -> Option<LocalDateTime> {
        let minutes = (self.t_days * 1440.0).floor();
        if !minutes.is_finite() || minutes.abs() > 1e15 {
            return None;
        }
        LocalDateTime::from_minutes_since_epoch(i64::from(start.days_since_epoch()) * 1440 + minutes as i64)
    }
}

/// Simulates the self-exciting process of `params` with `seed`: all events in `[0, days)`, sorted by time
/// (ties keep generation order, so a parent precedes its offspring).
///
/// # Errors
///
/// [`SyntheticError`] naming a bad parameter, or [`SyntheticError::TooManyEvents`] when the expected count or
/// the realised count exceeds [`MAX_EVENTS`].
pub fn simulate(params: &SelfExcitingParams, seed: u64) -> Result<Vec<SyntheticEvent>, SyntheticError> {
    params.validate()?;
    let mut events = background(params, &mut random::stream(seed, 0));
    // Offspring of generation g come from the events of generation g − 1, at events[from..to].
    let (mut from, mut generation) = (0, 0u32);
    while from < events.len() {
        let to = events.len();
        generation += 1;
        let mut rng = random::stream(seed, u64::from(generation));
        for parent in from..to {
            let parent_event = events[parent];
            for _ in 0..poisson(&mut rng, params.theta) {
                let t_days = parent_event.t_days + exponential(&mut rng) / params.omega_per_day;
                let (dx, dy) = normal_pair(&mut rng);
                if t_days < params.days {
                    events.push(SyntheticEvent {
                        x_m: parent_event.x_m + params.sigma_m * dx,
                        y_m: parent_event.y_m + params.sigma_m * dy,
                        t_days,
                        parent: Some(parent),
                        generation,
                    });
                }
            }
            if events.len() > MAX_EVENTS {
                return Err(SyntheticError::TooManyEvents { expected: events.len() as f64 });
            }
        }
        from = to;
    }
    Ok(sort_by_time(events))
}

/// The background events: each component (uniform, then each hotspot) a Poisson process in time, thinned by the
/// week profile (Lewis–Shedler), in time order within a component.
fn background(params: &SelfExcitingParams, rng: &mut Stream) -> Vec<SyntheticEvent> {
    let mean = params.week_profile.iter().flatten().sum::<f64>() / 168.0;
    let peak = params.week_profile.iter().flatten().fold(0.0f64, |a, &b| a.max(b)) / mean;
    let start_weekday = i64::from(params.start.weekday());
    let relative_rate = |t_days: f64| {
        let day = t_days.floor() as i64;
        let hour = (((t_days - t_days.floor()) * 24.0) as usize).min(23);
        params.week_profile[(start_weekday + day).rem_euclid(7) as usize][hour] / mean
    };
    let (xmin, ymin, xmax, ymax) = params.area;
    let uniform = (params.uniform_rate_per_day, None);
    let components = std::iter::once(uniform).chain(params.hotspots.iter().map(|h| (h.rate_per_day, Some(h))));
    let mut events = Vec::new();
    for (rate, hotspot) in components {
        if rate == 0.0 {
            continue;
        }
        // Candidate times at the peak rate; keep each with probability rate(t) / peak rate.
        let mut t_days = 0.0;
        loop {
            t_days += exponential(rng) / (rate * peak);
            if t_days >= params.days {
                break;
            }
            if rng.random::<f64>() * peak >= relative_rate(t_days) {
                continue;
            }
            let (x_m, y_m) = match hotspot {
                None => (xmin + rng.random::<f64>() * (xmax - xmin), ymin + rng.random::<f64>() * (ymax - ymin)),
                Some(h) => {
                    let (dx, dy) = normal_pair(rng);
                    (h.x_m + h.sd_m * dx, h.y_m + h.sd_m * dy)
                }
            };
            events.push(SyntheticEvent { x_m, y_m, t_days, parent: None, generation: 0 });
        }
    }
    events
}

/// Events sorted by time (stable), with parent indices remapped to the new positions.
fn sort_by_time(events: Vec<SyntheticEvent>) -> Vec<SyntheticEvent> {
    let mut order: Vec<usize> = (0..events.len()).collect();
    order.sort_by(|&a, &b| events[a].t_days.total_cmp(&events[b].t_days));
    let mut position = vec![0; events.len()];
    for (new, &old) in order.iter().enumerate() {
        position[old] = new;
    }
    order
        .iter()
        .map(|&old| {
            let event = events[old];
            SyntheticEvent { parent: event.parent.map(|p| position[p]), ..event }
        })
        .collect()
}

/// A standard exponential variate, `−ln(1 − U)` with `U` uniform on `[0, 1)`.
fn exponential(rng: &mut Stream) -> f64 {
    -(1.0 - rng.random::<f64>()).ln()
}

/// Two independent standard normal variates (Box–Muller).
fn normal_pair(rng: &mut Stream) -> (f64, f64) {
    let radius = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
    let angle = std::f64::consts::TAU * rng.random::<f64>();
    (radius * angle.cos(), radius * angle.sin())
}

/// A Poisson variate of mean `mean` (small: `mean < 1` here), by inversion of the cumulative distribution.
fn poisson(rng: &mut Stream, mean: f64) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    let u = rng.random::<f64>();
    let mut probability = (-mean).exp();
    let mut cumulative = probability;
    let mut k = 0;
    // The cap only guards against rounding leaving `cumulative` a hair below `u`; P(k > 100) is negligible.
    while u >= cumulative && k < 100 {
        k += 1;
        probability *= mean / f64::from(k);
        cumulative += probability;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poisson_and_exponential_have_the_right_means() {
        let mut rng = random::stream(9, 0);
        let n = 200_000;
        let poisson_mean = (0..n).map(|_| f64::from(poisson(&mut rng, 0.3))).sum::<f64>() / f64::from(n);
        let exponential_mean = (0..n).map(|_| exponential(&mut rng)).sum::<f64>() / f64::from(n);
        let (a, b): (Vec<f64>, Vec<f64>) = (0..n).map(|_| normal_pair(&mut rng)).unzip();
        let variance = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>() / v.len() as f64;
        assert!((poisson_mean - 0.3).abs() < 0.005, "{poisson_mean}");
        assert!((exponential_mean - 1.0).abs() < 0.01, "{exponential_mean}");
        assert!((variance(&a) - 1.0).abs() < 0.015 && (variance(&b) - 1.0).abs() < 0.015);
    }

    #[test]
    fn the_week_profile_shapes_background_times() {
        let start = LocalDate::from_ymd(2024, 1, 1).unwrap(); // A Monday.
        let mut params = SelfExcitingParams::demo((0.0, 0.0, 1000.0, 1000.0), start);
        params.theta = 0.0;
        params.week_profile = [[0.0; 24]; 7];
        params.week_profile[2][13] = 1.0; // Only Wednesdays 13:00–14:00.
        let events = simulate(&params, 5).unwrap();
        assert!(events.len() > 100);
        for event in &events {
            let time = event.local_time(start).unwrap();
            assert_eq!((time.date().weekday(), time.hour()), (2, 13));
        }
        // The weekly mean rate is kept: 3.8/day × 730 days.
        let expected = 3.8 * 730.0;
        assert!((events.len() as f64 - expected).abs() < 4.0 * expected.sqrt(), "{}", events.len());
    }

    #[test]
    fn bad_parameters_are_named() {
        let good = SelfExcitingParams::demo((0.0, 0.0, 1000.0, 1000.0), LocalDate::from_days_since_epoch(0));
        let with = |change: &dyn Fn(&mut SelfExcitingParams)| {
            let mut params = good.clone();
            change(&mut params);
            simulate(&params, 1).unwrap_err()
        };
        assert_eq!(with(&|p| p.theta = 1.0), SyntheticError::BadTheta(1.0));
        assert_eq!(with(&|p| p.area = (1.0, 0.0, 0.0, 1.0)), SyntheticError::BadArea);
        assert!(matches!(with(&|p| p.omega_per_day = 0.0), SyntheticError::BadParameter { what: "omega_per_day", .. }));
        assert!(matches!(with(&|p| p.hotspots[1].sd_m = -1.0), SyntheticError::BadParameter { .. }));
        assert_eq!(with(&|p| p.week_profile = [[0.0; 24]; 7]), SyntheticError::BadProfile);
        assert!(matches!(with(&|p| p.days = 1e9), SyntheticError::TooManyEvents { .. }));
    }
}
