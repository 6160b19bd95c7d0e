//! The weighted displacement quotient (Bowers & Johnson 2003): did crime move from the pilot area into the
//! buffer around it, or did the benefit spill over?
//!
//! # Formulas
//!
//! With counts in the response area `R`, a buffer around it `B` and a control area `C`, before (`b`) and after
//! (`a`) the start:
//!
//! * success measure `= R_a/C_a − R_b/C_b` (negative: the response area improved relative to the control);
//! * buffer measure `= B_a/C_a − B_b/C_b`;
//! * `WDQ = buffer measure / success measure`;
//! * total net effect `TNE = [R_b(C_a/C_b) − R_a] + [B_b(C_a/C_b) − B_a]` (offences prevented, net of
//!   displacement, when positive).
//!
//! The WDQ is read only when the success measure is negative (Bowers & Johnson 2003; Guerette 2009, *Analyzing
//! Crime Displacement and Diffusion*, Problem-Oriented Guides for Police, Tool 10): above 1, diffusion of
//! benefits larger than the direct effect; in (0, 1], diffusion of benefits; 0, neither; in [−1, 0),
//! displacement smaller than the direct effect; below −1, displacement larger than the direct effect (the
//! response backfired overall).
//!
//! The measures are ratios of counts with no uncertainty attached; a WDQ from small counts swings widely.

use serde::Serialize;

/// Counts (or rates) in the three areas before and after the start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DisplacementCounts {
    /// `R_b`: response (pilot) area, before.
    pub response_before: f64,
    /// `R_a`: response area, after.
    pub response_after: f64,
    /// `B_b`: buffer around the response area, before.
    pub buffer_before: f64,
    /// `B_a`: buffer, after.
    pub buffer_after: f64,
    /// `C_b`: control area, before.
    pub control_before: f64,
    /// `C_a`: control area, after.
    pub control_after: f64,
}

/// The displacement measures of [`weighted_displacement_quotient`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Displacement {
    /// `R_a/C_a − R_b/C_b`; negative means the response area improved relative to the control.
    pub success_measure: f64,
    /// `B_a/C_a − B_b/C_b`; positive means the buffer worsened relative to the control.
    pub buffer_measure: f64,
    /// `buffer_measure / success_measure`; `None` when the success measure is 0.
    pub weighted_displacement_quotient: Option<f64>,
    /// `[R_b(C_a/C_b) − R_a] + [B_b(C_a/C_b) − B_a]`, in the units of the counts.
    pub total_net_effect: f64,
    /// The reading of the WDQ; `None` unless the success measure is negative.
    pub reading: Option<DisplacementReading>,
}

/// How a WDQ reads when the response area improved (Guerette 2009, Tool 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DisplacementReading {
    /// WDQ > 1: the buffer improved more than the response area.
    DiffusionGreaterThanDirectEffect,
    /// 0 < WDQ ≤ 1: the buffer improved too.
    DiffusionOfBenefits,
    /// WDQ = 0: the buffer changed like the control.
    NoDisplacementOrDiffusion,
    /// −1 ≤ WDQ < 0: the buffer worsened, by less than the response area improved.
    DisplacementSmallerThanDirectEffect,
    /// WDQ < −1: the buffer worsened by more than the response area improved.
    DisplacementGreaterThanDirectEffect,
}

/// What is wrong with [`DisplacementCounts`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DisplacementError {
    /// A count is negative, infinite or NaN.
    #[error("the {0} count must be a finite number ≥ 0")]
    InvalidCount(&'static str),
    /// The control area's counts are the denominators and must be positive.
    #[error("the control area needs a positive count before and after")]
    EmptyControl,
}

/// The weighted displacement quotient, success measure and total net effect (see the module docs of
/// `displacement`).
///
/// # Errors
///
/// [`DisplacementError`] for a negative or non-finite count, or a control count of 0.
///
/// # References
///
/// Bowers & Johnson (2003), "Measuring the geographical displacement and diffusion of benefit effects of crime
/// prevention activity", *J. Quant. Criminol.* 19:275–301.
pub fn weighted_displacement_quotient(counts: &DisplacementCounts) -> Result<Displacement, DisplacementError> {
    let named = [
        ("response_before", counts.response_before),
        ("response_after", counts.response_after),
        ("buffer_before", counts.buffer_before),
        ("buffer_after", counts.buffer_after),
        ("control_before", counts.control_before),
        ("control_after", counts.control_after),
    ];
    if let Some((name, _)) = named.iter().find(|(_, v)| !v.is_finite() || *v < 0.0) {
        return Err(DisplacementError::InvalidCount(name));
    }
    let DisplacementCounts {
        response_before,
        response_after,
        buffer_before,
        buffer_after,
        control_before,
        control_after,
    } = *counts;
    if control_before <= 0.0 || control_after <= 0.0 {
        return Err(DisplacementError::EmptyControl);
    }
    let success_measure = response_after / control_after - response_before / control_before;
    let buffer_measure = buffer_after / control_after - buffer_before / control_before;
    let wdq = (success_measure != 0.0).then(|| buffer_measure / success_measure);
    let control_ratio = control_after / control_before;
    let total_net_effect =
        (response_before * control_ratio - response_after) + (buffer_before * control_ratio - buffer_after);
    let reading = wdq.filter(|_| success_measure < 0.0).map(|q| {
        if q > 1.0 {
            DisplacementReading::DiffusionGreaterThanDirectEffect
        } else if q > 0.0 {
            DisplacementReading::DiffusionOfBenefits
        } else if q == 0.0 {
            DisplacementReading::NoDisplacementOrDiffusion
        } else if q >= -1.0 {
            DisplacementReading::DisplacementSmallerThanDirectEffect
        } else {
            DisplacementReading::DisplacementGreaterThanDirectEffect
        }
    });
    Ok(Displacement { success_measure, buffer_measure, weighted_displacement_quotient: wdq, total_net_effect, reading })
}
