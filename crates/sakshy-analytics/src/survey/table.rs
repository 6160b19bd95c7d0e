//! The response table: one row per respondent with a weight, a stratum code and item values.

use std::collections::BTreeMap;

/// Why a response table cannot be built.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TableError {
    /// The weights and the stratum codes have different lengths.
    #[error("{weights} weights but {strata} stratum codes: one of each per respondent")]
    LengthMismatch {
        /// Number of weights.
        weights: usize,
        /// Number of stratum codes.
        strata: usize,
    },
    /// A weight is not finite and strictly positive.
    #[error("respondent {respondent} has weight {weight}: weights must be finite and > 0")]
    InvalidWeight {
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The offending weight.
        weight: f64,
    },
    /// An item column does not have one value per respondent.
    #[error("item {item:?} has {found} values for {expected} respondents")]
    ItemLength {
        /// The item's name.
        item: String,
        /// Number of respondents.
        expected: usize,
        /// Number of values given.
        found: usize,
    },
    /// An item value is NaN or infinite (a missing answer is `None`, not NaN).
    #[error("item {item:?}, respondent {respondent}: value {value} is not finite (use None for a missing answer)")]
    InvalidValue {
        /// The item's name.
        item: String,
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The offending value.
        value: f64,
    },
    /// Two item columns have the same name.
    #[error("item {0:?} is given twice")]
    DuplicateItem(String),
}

/// Survey responses as a plain table: per respondent a weight, a stratum code and, per item, a numeric
/// value or `None` (missing: not asked, skipped, "don't know", refused).
///
/// The **weight** is the design weight (1 when every respondent counts the same) or, after
/// [`super::rake`], the raked weight ([`ResponseTable::reweighted`]). The **stratum** is the area the
/// respondent was sampled in (normally the quadrant): variances are computed as for a stratified sample with
/// replacement within each stratum, each respondent its own primary sampling unit.
///
/// **Lonely strata.** A stratum with a single respondent carries no information about its own variance.
/// All such strata are pooled into one pseudo-stratum (the collapsed-strata method; Wolter 2007,
/// *Introduction to Variance Estimation*). If only one respondent ends up there, that respondent joins
/// the smallest other stratum (the first in code order among equals). [`ResponseTable::collapsed_strata`]
/// lists the codes pooled so that a report can say so.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseTable {
    weights: Vec<f64>,
    strata: Vec<String>,
    items: BTreeMap<String, Vec<Option<f64>>>,
    design: Design,
}

/// The variance strata after collapsing lonely strata: which design stratum each respondent is in, and the
/// members of each (in table order).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Design {
    /// Design stratum of each respondent.
    pub(crate) stratum_of: Vec<usize>,
    /// Respondents of each design stratum, in table order.
    pub(crate) members: Vec<Vec<usize>>,
    /// Stratum codes pooled because each had one respondent.
    pub(crate) collapsed: Vec<String>,
}

impl ResponseTable {
    /// A table of `weights.len()` respondents with the given weights and stratum codes, and no items yet.
    ///
    /// # Errors
    ///
    /// [`TableError::LengthMismatch`], or [`TableError::InvalidWeight`] for a weight that is not finite and
    /// strictly positive.
    pub fn new(weights: Vec<f64>, strata: Vec<String>) -> Result<ResponseTable, TableError> {
        if weights.len() != strata.len() {
            return Err(TableError::LengthMismatch { weights: weights.len(), strata: strata.len() });
        }
        check_weights(&weights)?;
        let design = Design::new(&strata);
        Ok(ResponseTable { weights, strata, items: BTreeMap::new(), design })
    }

    /// The table with one more item column (one value or `None` per respondent, in row order).
    ///
    /// # Errors
    ///
    /// [`TableError::ItemLength`], [`TableError::InvalidValue`] for NaN or infinity, or
    /// [`TableError::DuplicateItem`].
    pub fn with_item(mut self, name: impl Into<String>, values: Vec<Option<f64>>) -> Result<ResponseTable, TableError> {
        let name = name.into();
        if values.len() != self.len() {
            return Err(TableError::ItemLength { item: name, expected: self.len(), found: values.len() });
        }
        if let Some((respondent, value)) =
            values.iter().enumerate().find_map(|(i, v)| v.filter(|v| !v.is_finite()).map(|v| (i, v)))
        {
            return Err(TableError::InvalidValue { item: name, respondent, value });
        }
        if self.items.contains_key(&name) {
            return Err(TableError::DuplicateItem(name));
        }
        self.items.insert(name, values);
        Ok(self)
    }

    /// The same respondents and items with new weights (e.g. [`super::Raked::weights`]).
    ///
    /// # Errors
    ///
    /// [`TableError::LengthMismatch`] or [`TableError::InvalidWeight`].
    pub fn reweighted(&self, weights: Vec<f64>) -> Result<ResponseTable, TableError> {
        if weights.len() != self.len() {
            return Err(TableError::LengthMismatch { weights: weights.len(), strata: self.len() });
        }
        check_weights(&weights)?;
        Ok(ResponseTable { weights, ..self.clone() })
    }

    /// Number of respondents.
    pub fn len(&self) -> usize {
        self.weights.len()
    }

    /// Whether the table has no respondents.
    pub fn is_empty(&self) -> bool {
        self.weights.is_empty()
    }

    /// The weight of each respondent.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The stratum code of each respondent, as given.
    pub fn strata(&self) -> &[String] {
        &self.strata
    }

    /// The values of item `name`, one per respondent, or `None` if there is no such item.
    pub fn item(&self, name: &str) -> Option<&[Option<f64>]> {
        self.items.get(name).map(Vec::as_slice)
    }

    /// The item names, in sorted order.
    pub fn item_names(&self) -> impl Iterator<Item = &str> {
        self.items.keys().map(String::as_str)
    }

    /// Stratum codes that had a single respondent and were pooled for variance estimation (sorted).
    pub fn collapsed_strata(&self) -> &[String] {
        &self.design.collapsed
    }

    /// The variance design (crate-internal).
    pub(crate) fn design(&self) -> &Design {
        &self.design
    }
}

fn check_weights(weights: &[f64]) -> Result<(), TableError> {
    match weights.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        Some(respondent) => Err(TableError::InvalidWeight { respondent, weight: weights[respondent] }),
        None => Ok(()),
    }
}

impl Design {
    /// Groups respondents by stratum code (design strata in code order), then collapses lonely strata.
    fn new(strata: &[String]) -> Design {
        let mut by_code: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, code) in strata.iter().enumerate() {
            by_code.entry(code.as_str()).or_default().push(i);
        }
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut lonely: Vec<usize> = Vec::new();
        let mut collapsed = Vec::new();
        for (code, rows) in by_code {
            if rows.len() == 1 {
                lonely.extend(&rows);
                collapsed.push(code.to_string());
            } else {
                members.push(rows);
            }
        }
        if lonely.len() >= 2 || (lonely.len() == 1 && members.is_empty()) {
            lonely.sort_unstable();
            members.push(lonely);
        } else if let Some(&single) = lonely.first() {
            // One lonely respondent: join the smallest stratum (the first in code order among equals).
            let target = (0..members.len()).min_by_key(|&h| (members[h].len(), h)).expect("members is not empty here");
            members[target].push(single);
            members[target].sort_unstable();
        }
        let mut stratum_of = vec![0; strata.len()];
        for (h, rows) in members.iter().enumerate() {
            for &i in rows {
                stratum_of[i] = h;
            }
        }
        Design { stratum_of, members, collapsed }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lonely_strata_are_pooled() {
        let t = ResponseTable::new(vec![1.0; 6], codes(&["a", "b", "a", "c", "d", "d"])).unwrap();
        assert_eq!(t.collapsed_strata(), ["b", "c"]);
        let d = t.design();
        assert_eq!(d.members, vec![vec![0, 2], vec![4, 5], vec![1, 3]]);
        assert_eq!(d.stratum_of, vec![0, 2, 0, 2, 1, 1]);
    }

    #[test]
    fn a_single_lonely_respondent_joins_the_smallest_stratum() {
        let t = ResponseTable::new(vec![1.0; 6], codes(&["a", "a", "a", "b", "c", "c"])).unwrap();
        assert_eq!(t.collapsed_strata(), ["b"]);
        assert_eq!(t.design().members, vec![vec![0, 1, 2], vec![3, 4, 5]]);
    }

    #[test]
    fn bad_input_is_named() {
        assert_eq!(
            ResponseTable::new(vec![1.0, 0.0], codes(&["a", "a"])),
            Err(TableError::InvalidWeight { respondent: 1, weight: 0.0 })
        );
        assert!(matches!(ResponseTable::new(vec![1.0], codes(&[])), Err(TableError::LengthMismatch { .. })));
        let t = ResponseTable::new(vec![1.0, 2.0], codes(&["a", "a"])).unwrap();
        assert!(matches!(
            t.clone().with_item("q1", vec![Some(1.0), Some(f64::NAN)]),
            Err(TableError::InvalidValue { respondent: 1, .. })
        ));
        assert!(matches!(t.clone().with_item("q1", vec![None]), Err(TableError::ItemLength { .. })));
        let t = t.with_item("q1", vec![Some(1.0), None]).unwrap();
        assert_eq!(t.clone().with_item("q1", vec![None, None]), Err(TableError::DuplicateItem("q1".into())));
        assert_eq!(t.item("q1"), Some(&[Some(1.0), None][..]));
        assert_eq!(t.item_names().collect::<Vec<_>>(), ["q1"]);
        assert!(t.reweighted(vec![1.0, f64::INFINITY]).is_err());
        assert_eq!(t.reweighted(vec![3.0, 4.0]).unwrap().weights(), [3.0, 4.0]);
    }
}
