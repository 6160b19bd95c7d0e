//! Survey statistics: indices from item answers, raking of weights to population margins, and weighted
//! estimates per quadrant, district and city with honest intervals, suppression of small groups, and change
//! between waves.
//!
//! This module only does arithmetic on a plain [`ResponseTable`]; instruments, collection and storage live
//! elsewhere. The usual flow for one wave:
//!
//! 1. Build a [`ResponseTable`]: per respondent a design weight (1 for an unweighted sample), a stratum code
//!    (the quadrant the respondent was sampled in) and the item answers as numbers (`None` when missing).
//! 2. Compute indices (trust, safety, awareness, satisfaction) with [`compute_index`]: the mean of the
//!    answered items rescaled to 0–100, defined when at least `min_answered` items were answered.
//! 3. Rake the weights to population margins (age band × sex per district, …) with [`rake`] and swap them in
//!    with [`ResponseTable::reweighted`].
//! 4. Estimate per group with [`estimate_by_group`] (linearised intervals) or [`bootstrap_by_group`]
//!    (percentile intervals). Groups with fewer than `min_n` respondents (30 by default) come back as
//!    `{n, suppressed: true}` with no value.
//! 5. Compare two waves with [`change`] or [`bootstrap_change`].
//!
//! # Conventions
//!
//! - Respondents are rows `0..n` of the table; every per-respondent slice is in that order.
//! - Variances treat the sample as stratified by the stratum codes, drawn with replacement within each
//!   stratum, each respondent its own primary sampling unit, and the (raked) weights as fixed. Web and
//!   enumerator samples are not probability samples: the intervals then measure sampling noise only, not
//!   self-selection. Say so in reports.
//! - Means of indices are in index points (0–100); proportions are in 0–1.
//! - Randomness (the bootstrap) comes from [`crate::random::stream`]`(seed, replicate)`: a seed gives the same
//!   result on one thread and on many.
//!
//! The formulas and their references are in the docs of [`estimate`], [`replicate_weights`], [`rake`] and
//! [`change`]; `tools/reference/survey_reference.py` reproduces them with samplics, ipfn, scipy and numpy.

mod bootstrap;
mod change;
pub mod distribution;
mod estimate;
mod index;
mod raking;
mod table;

pub use bootstrap::{
    BootstrapConfig, BootstrapEstimate, BootstrapValue, GroupBootstrap, bootstrap, bootstrap_by_group,
    replicate_weights,
};
pub use change::{Change, ChangeValue, bootstrap_change, change};
pub use estimate::{
    Estimate, EstimateConfig, EstimateError, EstimateValue, GroupEstimate, Target, estimate, estimate_by_group,
    indicator, kish_effective_n,
};
pub use index::{IndexDefinition, IndexError, ItemScale, compute_index};
pub use raking::{CAP_SLACK, Margin, Raked, RakingConfig, RakingError, Trim, rake};
pub use table::{ResponseTable, TableError};
