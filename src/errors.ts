/**
 * The error classes tapegrad throws. Each message names the op and the offending values, and says what was
 * expected, so a student can fix the call without reading the library's source.
 *
 * Besides these, tapegrad throws the built-in `RangeError` (a dim, size, index or hyperparameter out of range) and
 * `TypeError` (mixed dtypes, a value of the wrong kind).
 * @module
 */

/**
 * Thrown when tensor shapes do not fit an op: incompatible broadcast, inner dimensions of a matmul that differ, a
 * reshape to a different number of elements.
 * @example
 * ```ts
 * import { tensor, ShapeError } from 'tapegrad';
 * try { tensor([[1, 2, 3]]).matmul(tensor([[1, 2]])); } catch (e) { console.log(e instanceof ShapeError); } // true
 * ```
 */
export class ShapeError extends Error {
  /** 'ShapeError', the name an uncaught error is printed with. */
  override name = 'ShapeError';
}

/**
 * Thrown by the autograd engine: backward() on a non-scalar without a gradient, a second backward through a graph
 * whose saved values were freed, backward() on a tensor that does not require grad, or a gradient of the wrong shape
 * returned by an op's backward rule.
 * @example
 * ```ts
 * import { tensor, AutogradError } from 'tapegrad';
 * const x = tensor([1, 2], { requiresGrad: true });
 * try { x.mul(2).backward(); } catch (e) { console.log(e instanceof AutogradError); } // true: not a scalar
 * ```
 */
export class AutogradError extends Error {
  /** 'AutogradError', the name an uncaught error is printed with. */
  override name = 'AutogradError';
}

/**
 * Thrown while anomaly detection is on (see {@link detectAnomaly}) when an op first produces a NaN or an Infinity,
 * in a forward or in a backward. The message names the op and, for a backward, where that op was recorded.
 * @example
 * ```ts
 * import { tensor, detectAnomaly, AnomalyError } from 'tapegrad';
 * try { detectAnomaly(() => tensor([-1]).log()); } catch (e) { console.log(e instanceof AnomalyError); } // true
 * ```
 */
export class AnomalyError extends Error {
  /** 'AnomalyError', the name an uncaught error is printed with. */
  override name = 'AnomalyError';
}

/**
 * Thrown by {@link gradcheck} (with `raiseOnFailure`, the default) when the analytic gradient disagrees with the
 * numerical one; the message says which input and element and by how much. The full report is attached.
 * @example
 * ```ts
 * import { gradcheck, tensor, GradcheckError } from 'tapegrad';
 * const x = tensor([0.5], { dtype: 'float64', requiresGrad: true });
 * try { gradcheck((x) => x.mul(x).detach(), [x]); } catch (e) { console.log(e instanceof GradcheckError); }
 * ```
 */
export class GradcheckError extends Error {
  /** 'GradcheckError', the name an uncaught error is printed with. */
  override name = 'GradcheckError';
  constructor(
    message: string,
    /** The report gradcheck computed, with the errors of every input. */
    readonly report: unknown,
  ) {
    super(message);
  }
}
