//! The small dense linear algebra the evaluation needs: Cholesky factorisation of a symmetric positive definite
//! matrix, solves with it, and the inverse. Matrices are `n × n`, row-major, and small (a few hundred rows at
//! most: the period effects of a panel, the event-time coefficients); this is not a general linear-algebra
//! library and does no pivoting.

/// The lower-triangular Cholesky factor `L` (`A = L Lᵀ`) of a symmetric positive definite `n × n` matrix.
#[derive(Debug, Clone)]
pub(crate) struct Cholesky {
    n: usize,
    /// Row-major `n × n`; only the lower triangle is used.
    lower: Vec<f64>,
}

impl Cholesky {
    /// Factors `a` (row-major `n × n`, symmetric; only the lower triangle is read).
    ///
    /// Returns `None` when a pivot falls to `relative_tolerance` times its diagonal entry or below: the matrix is
    /// singular or so close to it that its inverse means nothing (a regressor that is a combination of others).
    pub(crate) fn factor(a: &[f64], n: usize, relative_tolerance: f64) -> Option<Cholesky> {
        debug_assert_eq!(a.len(), n * n);
        let mut lower = vec![0.0; n * n];
        for j in 0..n {
            let mut pivot = a[j * n + j];
            for k in 0..j {
                pivot -= lower[j * n + k] * lower[j * n + k];
            }
            let diagonal = a[j * n + j];
            let positive = pivot > relative_tolerance * diagonal.abs() && pivot.is_finite();
            if !positive {
                return None;
            }
            let root = pivot.sqrt();
            lower[j * n + j] = root;
            for i in j + 1..n {
                let mut sum = a[i * n + j];
                for k in 0..j {
                    sum -= lower[i * n + k] * lower[j * n + k];
                }
                lower[i * n + j] = sum / root;
            }
        }
        Some(Cholesky { n, lower })
    }

    /// Solves `A x = b`.
    pub(crate) fn solve(&self, b: &[f64]) -> Vec<f64> {
        let n = self.n;
        debug_assert_eq!(b.len(), n);
        let mut x = b.to_vec();
        for i in 0..n {
            let dot: f64 = self.lower[i * n..i * n + i].iter().zip(&x[..i]).map(|(l, x)| l * x).sum();
            x[i] = (x[i] - dot) / self.lower[i * n + i];
        }
        for i in (0..n).rev() {
            let dot: f64 = (i + 1..n).map(|k| self.lower[k * n + i] * x[k]).sum();
            x[i] = (x[i] - dot) / self.lower[i * n + i];
        }
        x
    }

    /// The inverse `A⁻¹`, row-major `n × n` (symmetrised).
    pub(crate) fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inverse = vec![0.0; n * n];
        let mut unit = vec![0.0; n];
        for j in 0..n {
            unit.iter_mut().for_each(|u| *u = 0.0);
            unit[j] = 1.0;
            let column = self.solve(&unit);
            for i in 0..n {
                inverse[i * n + j] = column[i];
            }
        }
        for i in 0..n {
            for j in 0..i {
                let mean = 0.5 * (inverse[i * n + j] + inverse[j * n + i]);
                inverse[i * n + j] = mean;
                inverse[j * n + i] = mean;
            }
        }
        inverse
    }
}

/// `A B` for row-major `A` (`n × m`) and `B` (`m × p`).
pub(crate) fn matmul(a: &[f64], b: &[f64], n: usize, m: usize, p: usize) -> Vec<f64> {
    let mut out = vec![0.0; n * p];
    for i in 0..n {
        for k in 0..m {
            let aik = a[i * m + k];
            for j in 0..p {
                out[i * p + j] += aik * b[k * p + j];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_solves_and_inverts_a_small_spd_matrix() {
        let a = [4.0, 2.0, 0.6, 2.0, 2.0, 0.5, 0.6, 0.5, 3.0];
        let chol = Cholesky::factor(&a, 3, 1e-12).unwrap();
        let x = chol.solve(&[1.0, 2.0, 3.0]);
        for i in 0..3 {
            let ax: f64 = (0..3).map(|j| a[i * 3 + j] * x[j]).sum();
            assert!((ax - [1.0, 2.0, 3.0][i]).abs() < 1e-12);
        }
        let identity = matmul(&a, &chol.inverse(), 3, 3, 3);
        for i in 0..3 {
            for j in 0..3 {
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((identity[i * 3 + j] - expected).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn a_singular_matrix_is_refused() {
        let a = [1.0, 1.0, 1.0, 1.0];
        assert!(Cholesky::factor(&a, 2, 1e-10).is_none());
        assert!(Cholesky::factor(&[0.0], 1, 1e-10).is_none());
    }
}
