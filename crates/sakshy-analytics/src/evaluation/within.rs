//! The within transformation for two-way fixed effects: the residual of a vector over the observed cells after
//! least-squares projection on unit and period dummies, exactly (to rounding), for balanced and unbalanced
//! panels. Private to the evaluation.
//!
//! For a balanced panel the residual is `v − v̄_i − v̄_t + v̄`. For an unbalanced one, the effects of the factor
//! with more levels (`a`, usually the units) are eliminated in closed form (`α_a = mean over a of v − λ_b`) and
//! the other factor's effects `λ` solve the reduced normal equations
//!
//! ```text
//! Σ_s (m_b δ_bs − Σ_{a observed in b and s} 1/n_a) λ_s = Σ_{cells in b} (v − v̄_a),
//! ```
//!
//! a weighted graph Laplacian. It is singular once per connected component of the unit–period graph; one
//! level per component is pinned to `λ = 0` and the rest solved by Cholesky. The factorisation depends only on
//! which cells are observed, so it is done once and reused for every vector (outcome, regressors, bootstrap
//! and permutation replicates). One step of iterative refinement follows each solve.

use super::linalg::Cholesky;

/// The two-way within projector of one pattern of observed cells.
#[derive(Debug, Clone)]
pub(crate) struct Within {
    /// Compact unit index of each observation.
    unit: Vec<usize>,
    /// Compact period index of each observation.
    period: Vec<usize>,
    n_units: usize,
    n_periods: usize,
    unit_count: Vec<f64>,
    period_count: Vec<f64>,
    components: usize,
    solver: Solver,
}

#[derive(Debug, Clone)]
enum Solver {
    /// Every unit observed in every period.
    Balanced,
    /// Eliminate one factor, solve the other's reduced normal equations.
    Reduced {
        /// Whether the units are the eliminated factor (`a`); otherwise the periods are.
        units_eliminated: bool,
        /// Per level of the solved factor: its row in the reduced system, or `None` for the pinned level of its
        /// component.
        reduced_index: Vec<Option<usize>>,
        factor: Cholesky,
    },
}

/// The reduced normal equations of the fixed effects could not be factored (a numerically degenerate pattern of
/// observed cells).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IllConditioned;

impl Within {
    /// The projector for observations at compact indices `unit[i] < n_units`, `period[i] < n_periods`; every
    /// level must occur at least once.
    pub(crate) fn new(
        unit: Vec<usize>,
        period: Vec<usize>,
        n_units: usize,
        n_periods: usize,
    ) -> Result<Within, IllConditioned> {
        let n_obs = unit.len();
        let mut unit_count = vec![0.0; n_units];
        let mut period_count = vec![0.0; n_periods];
        let mut forest = DisjointSets::new(n_units + n_periods);
        for (&u, &t) in unit.iter().zip(&period) {
            unit_count[u] += 1.0;
            period_count[t] += 1.0;
            forest.union(u, n_units + t);
        }
        let components = (0..n_units + n_periods).filter(|&node| forest.find(node) == node).count();
        let solver = if n_obs == n_units * n_periods {
            Solver::Balanced
        } else {
            let units_eliminated = n_units >= n_periods;
            let (a_of, b_of, n_a, n_b, a_count) = if units_eliminated {
                (&unit, &period, n_units, n_periods, &unit_count)
            } else {
                (&period, &unit, n_periods, n_units, &period_count)
            };
            // One pinned level per component: the first level of the solved factor met in it.
            let b_node = |b: usize| if units_eliminated { n_units + b } else { b };
            let mut seen_roots = Vec::new();
            let mut reduced_index = vec![None; n_b];
            let mut m = 0;
            for (b, slot) in reduced_index.iter_mut().enumerate() {
                let root = forest.find(b_node(b));
                if seen_roots.contains(&root) {
                    *slot = Some(m);
                    m += 1;
                } else {
                    seen_roots.push(root);
                }
            }
            let mut levels_of_a: Vec<Vec<usize>> = vec![Vec::new(); n_a];
            for (&a, &b) in a_of.iter().zip(b_of) {
                levels_of_a[a].push(b);
            }
            let mut matrix = vec![0.0; m * m];
            for &b in b_of {
                if let Some(r) = reduced_index[b] {
                    matrix[r * m + r] += 1.0;
                }
            }
            for (a, levels) in levels_of_a.iter().enumerate() {
                let weight = 1.0 / a_count[a];
                for &b1 in levels {
                    let Some(r1) = reduced_index[b1] else { continue };
                    for &b2 in levels {
                        if let Some(r2) = reduced_index[b2] {
                            matrix[r1 * m + r2] -= weight;
                        }
                    }
                }
            }
            let factor = Cholesky::factor(&matrix, m, 1e-13).ok_or(IllConditioned)?;
            Solver::Reduced { units_eliminated, reduced_index, factor }
        };
        Ok(Within { unit, period, n_units, n_periods, unit_count, period_count, components, solver })
    }

    /// Number of observations.
    pub(crate) fn n_obs(&self) -> usize {
        self.unit.len()
    }

    /// Compact unit index of each observation.
    pub(crate) fn units(&self) -> &[usize] {
        &self.unit
    }

    /// Compact period index of each observation.
    pub(crate) fn periods(&self) -> &[usize] {
        &self.period
    }

    /// Number of units with observations.
    pub(crate) fn n_units(&self) -> usize {
        self.n_units
    }

    /// Number of periods with observations.
    pub(crate) fn n_periods(&self) -> usize {
        self.n_periods
    }

    /// Connected components of the unit–period graph (1 for any balanced or ordinarily unbalanced panel).
    pub(crate) fn components(&self) -> usize {
        self.components
    }

    /// The number of free parameters of the fixed effects (the rank of the dummy matrix with an intercept).
    pub(crate) fn rank(&self) -> usize {
        self.n_units + self.n_periods - self.components
    }

    /// The residual of `v` (one value per observation) after projection on the unit and period dummies.
    pub(crate) fn residualize(&self, v: &[f64]) -> Vec<f64> {
        debug_assert_eq!(v.len(), self.n_obs());
        match &self.solver {
            Solver::Balanced => self.balanced_residual(v),
            Solver::Reduced { .. } => {
                let first = self.reduced_residual(v);
                // The projection is idempotent, so a second pass removes what rounding left of the effects.
                self.reduced_residual(&first)
            }
        }
    }

    fn balanced_residual(&self, v: &[f64]) -> Vec<f64> {
        let mut unit_mean = vec![0.0; self.n_units];
        let mut period_mean = vec![0.0; self.n_periods];
        let mut grand = 0.0;
        for ((&u, &t), &value) in self.unit.iter().zip(&self.period).zip(v) {
            unit_mean[u] += value;
            period_mean[t] += value;
            grand += value;
        }
        unit_mean.iter_mut().zip(&self.unit_count).for_each(|(m, c)| *m /= c);
        period_mean.iter_mut().zip(&self.period_count).for_each(|(m, c)| *m /= c);
        grand /= self.n_obs() as f64;
        self.unit
            .iter()
            .zip(&self.period)
            .zip(v)
            .map(|((&u, &t), &value)| value - unit_mean[u] - period_mean[t] + grand)
            .collect()
    }

    fn reduced_residual(&self, v: &[f64]) -> Vec<f64> {
        let Solver::Reduced { units_eliminated, reduced_index, factor } = &self.solver else {
            unreachable!("reduced_residual is only called for the reduced solver");
        };
        let (a_of, b_of, a_count, n_b) = if *units_eliminated {
            (&self.unit, &self.period, &self.unit_count, self.n_periods)
        } else {
            (&self.period, &self.unit, &self.period_count, self.n_units)
        };
        let mut a_mean = vec![0.0; a_count.len()];
        for (&a, &value) in a_of.iter().zip(v) {
            a_mean[a] += value;
        }
        a_mean.iter_mut().zip(a_count).for_each(|(m, c)| *m /= c);
        let mut rhs = vec![0.0; n_b];
        for ((&a, &b), &value) in a_of.iter().zip(b_of).zip(v) {
            rhs[b] += value - a_mean[a];
        }
        let reduced_rhs: Vec<f64> = rhs.iter().zip(reduced_index).filter_map(|(&r, index)| index.map(|_| r)).collect();
        let reduced_solution = factor.solve(&reduced_rhs);
        let lambda: Vec<f64> = reduced_index.iter().map(|index| index.map_or(0.0, |r| reduced_solution[r])).collect();
        let mut alpha = vec![0.0; a_count.len()];
        for ((&a, &b), &value) in a_of.iter().zip(b_of).zip(v) {
            alpha[a] += value - lambda[b];
        }
        alpha.iter_mut().zip(a_count).for_each(|(m, c)| *m /= c);
        a_of.iter().zip(b_of).zip(v).map(|((&a, &b), &value)| value - alpha[a] - lambda[b]).collect()
    }
}

/// Union–find with path halving, for the connected components of the unit–period graph.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> DisjointSets {
        DisjointSets { parent: (0..n).collect() }
    }

    fn find(&mut self, mut node: usize) -> usize {
        while self.parent[node] != node {
            self.parent[node] = self.parent[self.parent[node]];
            node = self.parent[node];
        }
        node
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Observations of a `n_units × n_periods` panel without the listed cells.
    fn pattern(n_units: usize, n_periods: usize, missing: &[(usize, usize)]) -> (Vec<usize>, Vec<usize>) {
        let mut units = Vec::new();
        let mut periods = Vec::new();
        for u in 0..n_units {
            for t in 0..n_periods {
                if !missing.contains(&(u, t)) {
                    units.push(u);
                    periods.push(t);
                }
            }
        }
        (units, periods)
    }

    fn values(n: usize) -> Vec<f64> {
        (0..n).map(|i| ((i * 37 + 11) % 17) as f64 * 0.7 - (i % 5) as f64 * 1.3).collect()
    }

    /// The residual is orthogonal to every unit and every period dummy, and `v − residual` is `α_u + λ_t`.
    fn assert_is_two_way_residual(within: &Within, v: &[f64], residual: &[f64]) {
        let mut by_unit = vec![0.0; within.n_units()];
        let mut by_period = vec![0.0; within.n_periods()];
        for ((&u, &t), &e) in within.units().iter().zip(within.periods()).zip(residual) {
            by_unit[u] += e;
            by_period[t] += e;
        }
        assert!(by_unit.iter().chain(&by_period).all(|s| s.abs() < 1e-10), "{by_unit:?} {by_period:?}");
        // Idempotent: the residual of a residual is itself.
        let again = within.residualize(residual);
        assert!(again.iter().zip(residual).all(|(a, b)| (a - b).abs() < 1e-10));
        // Adding unit and period effects does not change the residual.
        let shifted: Vec<f64> = v
            .iter()
            .zip(within.units().iter().zip(within.periods()))
            .map(|(&x, (&u, &t))| x + 3.0 * u as f64 - 0.5 * (t * t) as f64)
            .collect();
        let shifted_residual = within.residualize(&shifted);
        assert!(shifted_residual.iter().zip(residual).all(|(a, b)| (a - b).abs() < 1e-9));
    }

    #[test]
    fn balanced_demeaning_is_a_two_way_residual() {
        let (units, periods) = pattern(5, 4, &[]);
        let within = Within::new(units, periods, 5, 4).unwrap();
        assert!(matches!(within.solver, Solver::Balanced));
        assert_eq!(within.rank(), 8);
        let v = values(20);
        assert_is_two_way_residual(&within, &v, &within.residualize(&v));
    }

    #[test]
    fn unbalanced_solve_is_a_two_way_residual_either_way_round() {
        // More units than periods (units eliminated) and more periods than units (periods eliminated).
        for (n_units, n_periods) in [(7, 4), (3, 9)] {
            let missing = [(0, 1), (2, 3), (1, 0)];
            let (units, periods) = pattern(n_units, n_periods, &missing);
            let n = units.len();
            let within = Within::new(units, periods, n_units, n_periods).unwrap();
            assert!(matches!(within.solver, Solver::Reduced { .. }));
            assert_eq!(within.components(), 1);
            let v = values(n);
            assert_is_two_way_residual(&within, &v, &within.residualize(&v));
        }
    }

    #[test]
    fn the_general_solve_agrees_with_balanced_demeaning() {
        let (units, periods) = pattern(6, 5, &[]);
        let balanced = Within::new(units.clone(), periods.clone(), 6, 5).unwrap();
        let v = values(30);
        let expected = balanced.residualize(&v);
        for units_eliminated in [true, false] {
            let mut general = balanced.clone();
            let (n_a, n_b) = if units_eliminated { (6, 5) } else { (5, 6) };
            // The reduced system of a complete bipartite pattern: m_b = n_a, off-diagonal −n_a / n_b.
            let m = n_b - 1;
            let mut matrix = vec![-(n_a as f64) / n_b as f64; m * m];
            for r in 0..m {
                matrix[r * m + r] = n_a as f64 - n_a as f64 / n_b as f64;
            }
            let mut reduced_index = vec![None];
            reduced_index.extend((0..m).map(Some));
            general.solver = Solver::Reduced {
                units_eliminated,
                reduced_index,
                factor: Cholesky::factor(&matrix, m, 1e-13).unwrap(),
            };
            let residual = general.residualize(&v);
            assert!(residual.iter().zip(&expected).all(|(a, b)| (a - b).abs() < 1e-12));
        }
    }

    proptest::proptest! {
        #[test]
        fn residuals_do_not_depend_on_the_order_of_observations_or_the_labels_of_periods(
            n_units in 2usize..9,
            n_periods in 2usize..9,
            missing_seed in 0u64..1_000,
            order_seed in 0u64..1_000,
        ) {
            // Drop a few cells, keeping every unit's first period and every period's first unit so that the
            // pattern stays connected.
            let mut rng = crate::random::stream(missing_seed, 0);
            let mut units = Vec::new();
            let mut periods = Vec::new();
            for u in 0..n_units {
                for t in 0..n_periods {
                    if u == 0 || t == 0 || crate::random::below(&mut rng, 5) > 0 {
                        units.push(u);
                        periods.push(t);
                    }
                }
            }
            let n = units.len();
            let v = values(n);
            let within = Within::new(units.clone(), periods.clone(), n_units, n_periods).unwrap();
            let residual = within.residualize(&v);
            // Shuffle the observations and relabel the periods.
            let mut order: Vec<usize> = (0..n).collect();
            crate::random::shuffle(&mut crate::random::stream(order_seed, 1), &mut order);
            let mut relabel: Vec<usize> = (0..n_periods).collect();
            crate::random::shuffle(&mut crate::random::stream(order_seed, 2), &mut relabel);
            let other = Within::new(
                order.iter().map(|&i| units[i]).collect(),
                order.iter().map(|&i| relabel[periods[i]]).collect(),
                n_units,
                n_periods,
            )
            .unwrap();
            let other_residual = other.residualize(&order.iter().map(|&i| v[i]).collect::<Vec<_>>());
            for (position, &i) in order.iter().enumerate() {
                proptest::prop_assert!((other_residual[position] - residual[i]).abs() < 1e-10);
            }
        }
    }

    #[test]
    fn disconnected_panels_pin_one_level_per_component() {
        // Units 0–1 observed only in periods 0–1, units 2–3 only in periods 2–3: two components.
        let units = vec![0, 0, 1, 1, 2, 2, 3, 3];
        let periods = vec![0, 1, 0, 1, 2, 3, 2, 3];
        let within = Within::new(units, periods, 4, 4).unwrap();
        assert_eq!(within.components(), 2);
        assert_eq!(within.rank(), 6);
        let v = values(8);
        assert_is_two_way_residual(&within, &v, &within.residualize(&v));
    }
}
