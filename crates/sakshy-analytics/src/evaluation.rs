//! Did the pilot work? Pilot-versus-control evaluation of a unit × period panel: difference-in-differences with
//! two-way fixed effects, an event study for pre-trends, and the weighted displacement quotient.
//!
//! This module is the statistics only. It does no I/O and knows nothing of quadrants, months or the database: a
//! caller builds a [`Panel`] (one outcome per unit and period, a pilot flag per unit and the period the pilot
//! started) and reads plain result structs that serialize to JSON.
//!
//! # Model
//!
//! Two-way fixed effects (TWFE) difference-in-differences on the observed cells of the panel:
//!
//! ```text
//! y_it = α_i + λ_t + β·D_it + ε_it,      D_it = treated_i · [t ≥ start]
//! ```
//!
//! `β` is estimated by OLS after the within transformation (Frisch–Waugh–Lovell): `y` and `D` are replaced by
//! their residuals from the unit and period effects, and `β̂ = Σ D̃ỹ / Σ D̃²`. For a balanced panel the residual
//! is the exact two-way demeaning `v − v̄_i − v̄_t + v̄`; for an unbalanced one the unit effects are eliminated in
//! closed form and the period effects solved exactly from their (grounded) normal equations with a Cholesky
//! factorisation — not by alternating projections, whose convergence can be slow on poorly connected panels
//! and whose stopping tolerance would limit agreement with reference results. The estimates are identical to
//! those of OLS with unit and period dummies (`statsmodels` `y ~ C(unit) + C(period) + D`).
//!
//! # Inference
//!
//! * **Cluster-robust standard errors**, clustered by unit, with the CR1 correction as `statsmodels` applies it
//!   for `cov_type='cluster'`: `V = G/(G−1) · (N−1)/(N−K) · (X̃ᵀX̃)⁻¹ (Σ_g s_g s_gᵀ) (X̃ᵀX̃)⁻¹`, where `G` is the
//!   number of units with data, `N` the number of observed cells, `K` the number of parameters of the dummy
//!   regression (unit and period effects and the regressors; the unit dummies are counted, as in `statsmodels`
//!   and Stata's `areg`, not as in `xtreg, fe`), and `s_g = Σ_{i∈g} x̃_i e_i`. Intervals and p-values use
//!   Student's t with `G − 1` degrees of freedom (`statsmodels` with `use_t=True`; Stata's default).
//! * **Wild cluster restricted bootstrap** (WCR, "11" variant; Cameron, Gelbach & Miller 2008, *Rev. Econ.
//!   Stat.* 90:414–427; Roodman, MacKinnon, Nielsen & Webb 2019, *Stata J.* 19:4–60, "Fast and wild"): the
//!   p-value of `β = 0` and an interval by test inversion. With Rademacher weights and `2^G ≤ replicates` every
//!   sign vector is enumerated, as `boottest` and `wildboottest` do.
//! * **Randomisation inference** over units (Fisher; for DiD with few treated clusters: MacKinnon & Webb 2020,
//!   *J. Econometrics* 218:435–450): which units are treated is permuted, keeping their number and the start
//!   period. Every assignment is enumerated when there are at most `draws` of them, else `draws` are sampled.
//!   The interval is the set of constant additive effects not rejected (exact test inversion).
//!
//! With one treated unit — the usual pilot — cluster-robust standard errors and the wild bootstrap are not
//! reliable (Conley & Taber 2011, *Rev. Econ. Stat.* 93:113–125; MacKinnon & Webb 2017, *J. Appl. Econometrics*
//! 32:233–254), and the randomisation p-value is the one to read; results carry this as
//! [`EvaluationWarning`]s, not as text, so pages can say it in every language.
//!
//! The event study ([`event_study`]) replaces `D` by treated × relative-period dummies (ends binned, period −1
//! the reference) and tests the leads jointly. A Poisson (or negative binomial) model for counts is not
//! provided: the linear model on counts or rates is what the fixtures and the simulation test validate.
//!
//! Randomised parts draw from [`crate::random::stream`]`(seed, replicate)`, so a seed gives the same result on
//! one thread and on many.

mod bootstrap;
mod did;
mod displacement;
mod distributions;
mod event_study;
mod linalg;
mod panel;
mod randomization;
mod within;

pub use did::{
    DidConfig, DidResult, EvaluationError, EvaluationWarning, FEW_CLUSTERS, FEW_TREATED_UNITS, Interval,
    RandomizationConfig, RandomizationResult, WildBootstrapConfig, WildBootstrapResult, WildWeights, did,
};
pub use displacement::{
    Displacement, DisplacementCounts, DisplacementError, DisplacementReading, weighted_displacement_quotient,
};
pub use event_study::{EventStudyConfig, EventStudyResult, EventTimeCoefficient, WaldTest, event_study};
pub use panel::{Panel, PanelError};
