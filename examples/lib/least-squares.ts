/**
 * Closed-form least squares for the examples (EXAMS.md §0, "Closed-form helpers"): Legendre polynomial features on
 * [−1, 1] and a small ridge / least-squares solver (normal equations, Gaussian elimination with partial pivoting, in
 * float64). Properties such as "training MSE never grows with the degree" hold only at the exact optimum, which
 * gradient descent reaches too slowly for a test; this solve reaches it.
 *
 * Legendre polynomials rather than monomials because on [−1, 1] they are nearly orthogonal, so XᵀX stays well
 * conditioned up to the degrees the demos use (monomials x^k make XᵀX a Hilbert-like matrix that loses all precision
 * by degree ~10).
 * @module
 */
import { Tensor, tensor } from '../../src/index.js';

/** The values x (a tensor of any shape, read flat, or plain numbers). */
export type Values = Tensor | ArrayLike<number>;

function flatValues(x: Values): Float64Array {
  if (x instanceof Tensor) return Float64Array.from(x.data);
  return Float64Array.from(x);
}

/**
 * Legendre features P_0(x) … P_degree(x) of n points, as a float64 tensor of shape [n, degree + 1] (column k holds
 * P_k; column 0 is the constant 1, so a separate bias is not needed). Meant for x in [−1, 1], where |P_k| ≤ 1;
 * outside it the values grow like x^k.
 *
 * Built with Bonnet's recurrence (k + 1)·P_{k+1} = (2k + 1)·x·P_k − k·P_{k−1}, which is exact in exact arithmetic
 * and stable on [−1, 1].
 * @example
 * ```ts
 * const X = legendreFeatures(linspace(-1, 1, 20, { dtype: 'float64' }), 3); // shape [20, 4]
 * ```
 * @throws RangeError if `degree` is not a non-negative integer.
 */
export function legendreFeatures(x: Values, degree: number): Tensor {
  if (!Number.isInteger(degree) || degree < 0) {
    throw new RangeError(`legendreFeatures: degree must be a non-negative integer, got ${degree}`);
  }
  const xs = flatValues(x);
  const n = xs.length;
  const p = degree + 1;
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const t = xs[i];
    const row = i * p;
    out[row] = 1;
    if (degree >= 1) out[row + 1] = t;
    for (let k = 1; k < degree; k++) {
      out[row + k + 1] = ((2 * k + 1) * t * out[row + k] - k * out[row + k - 1]) / (k + 1);
    }
  }
  return tensor(out).reshape([n, p]);
}

/**
 * Solves the square system A·w = b by Gaussian elimination with partial pivoting, in float64. A is n×n given as
 * rows; neither A nor b is modified.
 * @throws RangeError if the shapes do not match, or if A is singular to working precision (a pivot below
 *   1e-12 times the largest entry of A).
 */
export function solveLinearSystem(A: ArrayLike<number>[], b: ArrayLike<number>): Float64Array {
  const n = A.length;
  if (b.length !== n) throw new RangeError(`solveLinearSystem: A has ${n} rows but b has ${b.length} entries`);
  // Augmented matrix [A | b], copied so the caller's arrays survive.
  const m: Float64Array[] = [];
  let scale = 0;
  for (let i = 0; i < n; i++) {
    if (A[i].length !== n) throw new RangeError(`solveLinearSystem: row ${i} of A has ${A[i].length} entries, expected ${n}`);
    const row = new Float64Array(n + 1);
    for (let j = 0; j < n; j++) {
      row[j] = A[i][j];
      scale = Math.max(scale, Math.abs(row[j]));
    }
    row[n] = b[i];
    m.push(row);
  }
  const tiny = 1e-12 * (scale || 1);
  for (let col = 0; col < n; col++) {
    // Partial pivoting: the largest remaining entry in the column keeps the multipliers ≤ 1 in magnitude.
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) pivot = r;
    if (Math.abs(m[pivot][col]) <= tiny) {
      throw new RangeError(`solveLinearSystem: matrix is singular to working precision (column ${col})`);
    }
    if (pivot !== col) [m[col], m[pivot]] = [m[pivot], m[col]];
    const pr = m[col];
    for (let r = col + 1; r < n; r++) {
      const f = m[r][col] / pr[col];
      if (f === 0) continue;
      const rr = m[r];
      for (let j = col; j <= n; j++) rr[j] -= f * pr[j];
    }
  }
  const w = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = m[i][n];
    for (let j = i + 1; j < n; j++) s -= m[i][j] * w[j];
    w[i] = s / m[i][i];
  }
  return w;
}

/** Options of {@link leastSquares}. */
export interface LeastSquaresOptions {
  /** Ridge strength λ ≥ 0: minimise ‖Xw − y‖² + λ‖w‖² (default 0, plain least squares). */
  ridge?: number;
  /**
   * Whether λ also shrinks w_0, the coefficient of column 0 (default false: with Legendre features column 0 is the
   * constant, and shrinking the intercept would pull the fit towards 0 rather than towards the mean of y).
   */
  penalizeFirst?: boolean;
}

/**
 * The coefficients w minimising ‖Xw − y‖² + λ‖w‖² (λ = `ridge`, default 0), from the normal equations
 * (XᵀX + λI)·w = Xᵀy solved in float64 by {@link solveLinearSystem}. Returns a float64 tensor of shape [p] for
 * X of shape [n, p]; `X.matmul(w)` (with X in float64) gives the fitted values.
 *
 * Plain least squares needs n ≥ p and independent columns; with λ > 0 any n works (the penalty makes the
 * system positive definite), except that with penalizeFirst false the constant column still needs n ≥ 1.
 * @example
 * ```ts
 * const X = legendreFeatures(xs, 3);
 * const w = leastSquares(X, ys, { ridge: 1e-3 }); // shape [4]
 * const fit = X.matmul(w.reshape([4, 1]));        // shape [n, 1]
 * ```
 * @throws RangeError if X is not 2-D, y does not have n values, λ < 0, or the system is singular.
 */
export function leastSquares(X: Tensor, y: Values, options: LeastSquaresOptions = {}): Tensor {
  const lambda = options.ridge ?? 0;
  if (!(lambda >= 0)) throw new RangeError(`leastSquares: ridge must be ≥ 0, got ${lambda}`);
  if (X.shape.length !== 2) throw new RangeError(`leastSquares: X must be 2-D [n, p], got shape [${X.shape.join(', ')}]`);
  const [n, p] = X.shape;
  const ys = flatValues(y);
  if (ys.length !== n) throw new RangeError(`leastSquares: X has ${n} rows but y has ${ys.length} values`);
  const xd = Float64Array.from(X.data);
  const A: Float64Array[] = [];
  for (let i = 0; i < p; i++) A.push(new Float64Array(p));
  const b = new Float64Array(p);
  for (let r = 0; r < n; r++) {
    const off = r * p;
    for (let i = 0; i < p; i++) {
      const xi = xd[off + i];
      b[i] += xi * ys[r];
      // Fill the upper triangle only; XᵀX is symmetric.
      for (let j = i; j < p; j++) A[i][j] += xi * xd[off + j];
    }
  }
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) A[i][j] = A[j][i];
  const first = (options.penalizeFirst ?? false) ? 0 : 1;
  for (let i = first; i < p; i++) A[i][i] += lambda;
  return tensor(solveLinearSystem(A, b));
}
