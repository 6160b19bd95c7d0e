//! Indices: per respondent, the mean of several items rescaled to 0–100.

use serde::Serialize;

use super::ResponseTable;

/// Why an index cannot be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IndexError {
    /// The index has no items.
    #[error("index {0:?} has no items")]
    NoItems(String),
    /// `min_answered` is 0 or more than the number of items.
    #[error("index {index:?}: min_answered is {min_answered} but the index has {items} items")]
    InvalidMinAnswered {
        /// The index's name.
        index: String,
        /// The offending minimum.
        min_answered: usize,
        /// Number of items in the index.
        items: usize,
    },
    /// An item of the index is not in the table.
    #[error("index {index:?} uses item {item:?}, which the table does not have")]
    UnknownItem {
        /// The index's name.
        index: String,
        /// The missing item.
        item: String,
    },
    /// An item's scale is empty or not finite (`min` must be < `max`).
    #[error("item {item:?} has scale [{min}, {max}]: need finite min < max")]
    InvalidScale {
        /// The item.
        item: String,
        /// Lowest valid answer.
        min: f64,
        /// Highest valid answer.
        max: f64,
    },
    /// An answer lies outside its item's scale.
    #[error("item {item:?}, respondent {respondent}: answer {value} is outside the scale [{min}, {max}]")]
    OutOfRange {
        /// The item.
        item: String,
        /// Zero-based row of the respondent.
        respondent: usize,
        /// The answer.
        value: f64,
        /// Lowest valid answer.
        min: f64,
        /// Highest valid answer.
        max: f64,
    },
}

/// How one item enters an index: its answer range and direction.
///
/// An answer `v` on `[min, max]` becomes `100 (v − min) / (max − min)`, or `100 (max − v) / (max − min)` when
/// the item is reverse-coded (agreeing means *less* trust or safety). So a Likert 1–5 item gives 0, 25, 50,
/// 75, 100 and a yes/no item coded 0/1 gives 0 or 100.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemScale {
    /// The item's name in the [`ResponseTable`].
    pub item: String,
    /// The lowest valid answer (scored 0, or 100 if reversed).
    pub min: f64,
    /// The highest valid answer (scored 100, or 0 if reversed).
    pub max: f64,
    /// Whether the item is reverse-coded.
    pub reverse: bool,
}

impl ItemScale {
    /// A Likert item answered 1..=`points` (e.g. 5 for "strongly disagree" … "strongly agree").
    pub fn likert(item: impl Into<String>, points: u32) -> ItemScale {
        ItemScale { item: item.into(), min: 1.0, max: f64::from(points), reverse: false }
    }

    /// A yes/no item coded 0 (no) / 1 (yes).
    pub fn yes_no(item: impl Into<String>) -> ItemScale {
        ItemScale { item: item.into(), min: 0.0, max: 1.0, reverse: false }
    }

    /// The same item, reverse-coded.
    pub fn reversed(self) -> ItemScale {
        ItemScale { reverse: !self.reverse, ..self }
    }

    /// The answer `value` on the 0–100 scale.
    ///
    /// # Errors
    ///
    /// [`IndexError::InvalidScale`] or [`IndexError::OutOfRange`] (with respondent 0: the caller renames it).
    pub fn rescale(&self, value: f64) -> Result<f64, IndexError> {
        self.check()?;
        if !(value >= self.min && value <= self.max) {
            return Err(IndexError::OutOfRange {
                item: self.item.clone(),
                respondent: 0,
                value,
                min: self.min,
                max: self.max,
            });
        }
        let share = if self.reverse { self.max - value } else { value - self.min } / (self.max - self.min);
        Ok(100.0 * share)
    }

    fn check(&self) -> Result<(), IndexError> {
        if self.min.is_finite() && self.max.is_finite() && self.min < self.max {
            Ok(())
        } else {
            Err(IndexError::InvalidScale { item: self.item.clone(), min: self.min, max: self.max })
        }
    }
}

/// An index (trust, safety, awareness, satisfaction, …) defined as an aggregate of items.
///
/// **Rule.** For each respondent, every answered item is rescaled to 0–100 ([`ItemScale`]); the index is the
/// plain mean of the rescaled answered items if at least `min_answered` items were answered, and missing
/// otherwise. Unanswered items are skipped, not scored 0 (so "don't know" must be coded missing, not as a
/// scale point). Items count equally whatever their number of scale points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexDefinition {
    /// The index's name (e.g. `trust_police`).
    pub name: String,
    /// The items and their scales.
    pub items: Vec<ItemScale>,
    /// The fewest answered items for the index to be defined for a respondent (1..=`items.len()`). Half the
    /// items, rounded up, is a common choice.
    pub min_answered: usize,
}

/// The index of every respondent: `Some` value in 0–100, or `None` if fewer than `min_answered` of its items
/// were answered (see [`IndexDefinition`] for the rule).
///
/// # Errors
///
/// [`IndexError`] naming the index, item and respondent at fault.
pub fn compute_index(table: &ResponseTable, index: &IndexDefinition) -> Result<Vec<Option<f64>>, IndexError> {
    if index.items.is_empty() {
        return Err(IndexError::NoItems(index.name.clone()));
    }
    if index.min_answered == 0 || index.min_answered > index.items.len() {
        return Err(IndexError::InvalidMinAnswered {
            index: index.name.clone(),
            min_answered: index.min_answered,
            items: index.items.len(),
        });
    }
    let mut columns = Vec::with_capacity(index.items.len());
    for scale in &index.items {
        scale.check()?;
        let values = table
            .item(&scale.item)
            .ok_or_else(|| IndexError::UnknownItem { index: index.name.clone(), item: scale.item.clone() })?;
        columns.push((scale, values));
    }
    let mut out = Vec::with_capacity(table.len());
    for respondent in 0..table.len() {
        let (mut sum, mut answered) = (0.0, 0usize);
        for (scale, values) in &columns {
            if let Some(v) = values[respondent] {
                sum += scale.rescale(v).map_err(|e| match e {
                    IndexError::OutOfRange { item, value, min, max, .. } => {
                        IndexError::OutOfRange { item, respondent, value, min, max }
                    }
                    other => other,
                })?;
                answered += 1;
            }
        }
        out.push((answered >= index.min_answered).then(|| sum / answered as f64));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn likert_and_yes_no_rescale_to_0_100() {
        let l = ItemScale::likert("q", 5);
        let got: Vec<f64> = (1..=5).map(|v| l.rescale(f64::from(v)).unwrap()).collect();
        assert_eq!(got, [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(l.clone().reversed().rescale(2.0).unwrap(), 75.0);
        assert_eq!(ItemScale::yes_no("y").rescale(1.0).unwrap(), 100.0);
        assert!(matches!(l.rescale(6.0), Err(IndexError::OutOfRange { .. })));
    }

    #[test]
    fn index_needs_min_answered_items() {
        let table = ResponseTable::new(vec![1.0; 3], vec!["a".into(); 3])
            .unwrap()
            .with_item("a", vec![Some(5.0), Some(1.0), None])
            .unwrap()
            .with_item("b", vec![Some(1.0), None, None])
            .unwrap()
            .with_item("c", vec![Some(1.0), Some(0.0), Some(1.0)])
            .unwrap();
        let def = IndexDefinition {
            name: "trust".into(),
            items: vec![ItemScale::likert("a", 5), ItemScale::likert("b", 5).reversed(), ItemScale::yes_no("c")],
            min_answered: 2,
        };
        // Respondent 0: 100, 100, 100; respondent 1: 0 and 0; respondent 2: only one item answered.
        assert_eq!(compute_index(&table, &def).unwrap(), vec![Some(100.0), Some(0.0), None]);
        let bad = IndexDefinition { min_answered: 4, ..def.clone() };
        assert!(matches!(compute_index(&table, &bad), Err(IndexError::InvalidMinAnswered { .. })));
        let unknown = IndexDefinition { items: vec![ItemScale::yes_no("zz")], min_answered: 1, ..def.clone() };
        assert!(matches!(compute_index(&table, &unknown), Err(IndexError::UnknownItem { .. })));
        let out_of_range = IndexDefinition { items: vec![ItemScale::likert("a", 4)], min_answered: 1, ..def };
        assert!(matches!(compute_index(&table, &out_of_range), Err(IndexError::OutOfRange { respondent: 0, .. })));
    }
}
