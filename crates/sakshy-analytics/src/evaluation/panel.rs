//! The input of an evaluation: one outcome over units (quadrants) and periods (months), which units are in the
//! pilot, and the period the pilot started. Checked once on construction, so the estimators can trust it.

/// A unit × period panel of one outcome with a pilot (treated) group that starts at a common period.
///
/// The outcome is any real number per cell — a count of offences, of appeals, a median number of days to
/// answer, an overdue share, a survey index — and may be missing. Cells are stored unit-major: the value of
/// unit `u` in period `t` is at `u * n_periods + t`. Periods are consecutive and equally spaced (months); a
/// period index is what the caller's calendar makes of it.
///
/// The pilot starts in `start_period` for every treated unit at once (staggered starts are not modelled: with
/// them the two-way fixed-effects estimate is a weighted average that can mislead, Goodman-Bacon 2021).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    n_units: usize,
    n_periods: usize,
    /// Unit-major; `NaN` marks a missing cell.
    outcome: Vec<f64>,
    treated: Vec<bool>,
    start_period: usize,
}

/// What is wrong with the parts of a [`Panel`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PanelError {
    /// A panel needs at least one unit and one period.
    #[error("a panel needs at least one unit and one period (got {n_units} units, {n_periods} periods)")]
    Empty {
        /// Units given.
        n_units: usize,
        /// Periods given.
        n_periods: usize,
    },
    /// The outcome must have one value (or `None`) per unit and period.
    #[error("expected {expected} outcome cells (units × periods), got {found}")]
    OutcomeLength {
        /// `n_units * n_periods`.
        expected: usize,
        /// Cells given.
        found: usize,
    },
    /// The treated flags must have one entry per unit.
    #[error("expected {expected} treated flags (one per unit), got {found}")]
    TreatedLength {
        /// `n_units`.
        expected: usize,
        /// Flags given.
        found: usize,
    },
    /// An outcome is infinite or NaN; a missing cell is `None`.
    #[error("the outcome of unit {unit} in period {period} is not a finite number (use None for a missing cell)")]
    NonFiniteOutcome {
        /// Unit index.
        unit: usize,
        /// Period index.
        period: usize,
    },
    /// The pilot must start after the first period and no later than the last, so that there is a before and
    /// an after.
    #[error("the pilot start period {start_period} must lie in 1..{n_periods} (a before and an after are needed)")]
    StartOutOfRange {
        /// The start given.
        start_period: usize,
        /// Periods in the panel.
        n_periods: usize,
    },
    /// No unit is in the pilot.
    #[error("no unit is marked as treated (pilot)")]
    NoTreatedUnits,
    /// Every unit is in the pilot, so there is nothing to compare with.
    #[error("every unit is marked as treated: a control group is needed")]
    NoControlUnits,
}

impl Panel {
    /// A panel of `n_units × n_periods` cells.
    ///
    /// `outcome` is unit-major (`outcome[u * n_periods + t]`), `None` for a missing cell; `treated[u]` says
    /// whether unit `u` is in the pilot, which starts in period `start_period` (`1 ≤ start_period < n_periods`).
    ///
    /// # Errors
    ///
    /// [`PanelError`] when the lengths disagree, a value is not finite, the start leaves no period before or
    /// after, or the units are all treated or all controls.
    pub fn new(
        n_units: usize,
        n_periods: usize,
        outcome: Vec<Option<f64>>,
        treated: Vec<bool>,
        start_period: usize,
    ) -> Result<Panel, PanelError> {
        if n_units == 0 || n_periods == 0 {
            return Err(PanelError::Empty { n_units, n_periods });
        }
        if outcome.len() != n_units * n_periods {
            return Err(PanelError::OutcomeLength { expected: n_units * n_periods, found: outcome.len() });
        }
        if treated.len() != n_units {
            return Err(PanelError::TreatedLength { expected: n_units, found: treated.len() });
        }
        if start_period == 0 || start_period >= n_periods {
            return Err(PanelError::StartOutOfRange { start_period, n_periods });
        }
        if !treated.iter().any(|&t| t) {
            return Err(PanelError::NoTreatedUnits);
        }
        if treated.iter().all(|&t| t) {
            return Err(PanelError::NoControlUnits);
        }
        let mut values = Vec::with_capacity(outcome.len());
        for (index, value) in outcome.into_iter().enumerate() {
            match value {
                Some(v) if !v.is_finite() => {
                    return Err(PanelError::NonFiniteOutcome { unit: index / n_periods, period: index % n_periods });
                }
                Some(v) => values.push(v),
                None => values.push(f64::NAN),
            }
        }
        Ok(Panel { n_units, n_periods, outcome: values, treated, start_period })
    }

    /// Number of units (rows of the panel), with or without data.
    pub fn n_units(&self) -> usize {
        self.n_units
    }

    /// Number of periods (columns of the panel).
    pub fn n_periods(&self) -> usize {
        self.n_periods
    }

    /// The pilot flag of each unit.
    pub fn treated(&self) -> &[bool] {
        &self.treated
    }

    /// The first period of the pilot.
    pub fn start_period(&self) -> usize {
        self.start_period
    }

    /// The outcome of `unit` in `period`, `None` when missing or out of range.
    pub fn outcome(&self, unit: usize, period: usize) -> Option<f64> {
        if unit >= self.n_units || period >= self.n_periods {
            return None;
        }
        let value = self.outcome[unit * self.n_periods + period];
        (!value.is_nan()).then_some(value)
    }

    /// The observed cells as `(unit, period, outcome)`, unit-major.
    pub(crate) fn observations(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.outcome
            .iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(move |(index, &v)| (index / self.n_periods, index % self.n_periods, v))
    }
}
