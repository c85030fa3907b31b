/**
 * gradcheck(): compares the analytic Jacobian (from backward) with central differences, in float64, over every
 * element of every input that requires grad, and checks that backward is repeatable and that a zero upstream
 * gradient gives zero gradients. The check every op and layer of tapegrad passes, and the one a student's backward
 * is graded with.
 * @module
 */
import { Tensor } from '../tensor.js';
import { AutogradError, GradcheckError } from '../errors.js';
import { formatShape, stridesOf } from '../shape.js';
import { noGrad } from './tape.js';
import { Generator } from '../random.js';

/**
 * Options of {@link gradcheck}; the defaults are PyTorch's.
 * @example `gradcheck((x) => x.exp(), [tensor([0.5], { dtype: 'float64', requiresGrad: true })], { eps: 1e-6, atol: 1e-5, rtol: 1e-3, raiseOnFailure: false }).ok  // true`
 */
export interface GradcheckOptions {
  /** Perturbation for central differences (default 1e-6). */
  eps?: number;
  /** Absolute tolerance (default 1e-5). */
  atol?: number;
  /** Relative tolerance, against the numerical value (default 1e-3). */
  rtol?: number;
  /** Throw a GradcheckError on failure (default true); otherwise return the report with `ok: false`. */
  raiseOnFailure?: boolean;
  /** Seed of the random upstream gradient used for the vector-Jacobian check (default 0). */
  seed?: number;
}

/**
 * What gradcheck found for one input.
 * @example `gradcheck((x) => x.square(), [tensor([1, 2], { dtype: 'float64', requiresGrad: true })]).inputs[0].shape  // [2]`
 */
export interface GradcheckInputReport {
  /** Position of the input in the inputs array. */
  index: number;
  /** The input's shape. */
  shape: number[];
  /** Largest |analytic − numerical| over the input's Jacobian entries. */
  maxAbsError: number;
  /** Largest |analytic − numerical| / |numerical| (entries with a zero numerical value are skipped). */
  maxRelError: number;
}

/**
 * The result of {@link gradcheck}.
 * @example `gradcheck((x) => x.square(), [tensor([1, 2], { dtype: 'float64', requiresGrad: true })]).failures  // []`
 */
export interface GradcheckReport {
  /** Whether every check passed. */
  ok: boolean;
  /** One entry per input that requires grad. */
  inputs: GradcheckInputReport[];
  /** Failures, each saying which input and element disagree and by how much. */
  failures: string[];
  /** Remarks, e.g. that float32 inputs were promoted to float64 for the check. */
  notes: string[];
}

/**
 * Checks the gradients of `fn` at `inputs` against central differences. Every input with `requiresGrad` is checked
 * (the others are constants); float32 inputs are promoted to float64 copies first (the report says so). The
 * analytic Jacobian takes one backward per output element, the numerical one two forwards per input element, so
 * keep the inputs small.
 * @example
 * ```ts
 * import { gradcheck, randn, Generator } from 'tapegrad';
 * const g = new Generator(0);
 * const a = randn([3, 4], { dtype: 'float64', requiresGrad: true, generator: g });
 * const b = randn([4], { dtype: 'float64', requiresGrad: true, generator: g });
 * const report = gradcheck((a, b) => a.mul(b).tanh(), [a, b]);
 * report.ok;   // true; report.inputs[0].maxAbsError is about 1e-10
 * ```
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const { eps = 1e-6, atol = 1e-5, rtol = 1e-3, raiseOnFailure = true, seed = 0 } = options;
  for (const [label, v] of [['eps', eps], ['atol', atol], ['rtol', rtol]] as const) {
    if (!(v >= 0) || !Number.isFinite(v) || (label === 'eps' && v === 0)) throw new RangeError(`gradcheck: ${label} must be a finite positive number, got ${v}`);
  }
  if (!Array.isArray(inputs) || !inputs.every((x) => x instanceof Tensor)) throw new TypeError('gradcheck: inputs must be an array of tensors');
  const notes: string[] = [];
  const xs = inputs.map((x, i) => {
    if (x.dtype === 'float32') notes.push(`input ${i} is float32: checked on a float64 copy`);
    const data = Float64Array.from(x.data);
    return new Tensor(data, x.shape, { requiresGrad: x.requiresGrad });
  });
  const checked = xs.map((x, i) => (x.requiresGrad ? i : -1)).filter((i) => i >= 0);
  if (checked.length === 0) throw new RangeError('gradcheck: no input has requiresGrad: true, so there is nothing to check');

  const evaluate = (): Tensor => {
    const y = fn(...xs);
    if (!(y instanceof Tensor)) throw new TypeError('gradcheck: fn must return a Tensor');
    if (y.dtype !== 'float64') throw new TypeError(`gradcheck: fn returned ${y.dtype}; with float64 inputs it must return float64 (a float32 constant inside fn must be made float64 too)`);
    return y;
  };

  const y = evaluate();
  const m = y.size;
  const failures: string[] = [];

  // Analytic Jacobian, one backward per output element: rows[i][j] is d y_j / d x_i (flattened).
  const analytic = (): Float64Array[] => {
    const jac = checked.map((i) => new Float64Array(xs[i].size * m));
    if (!y.requiresGrad) return jac; // the output does not depend on any checked input: all zeros
    for (let j = 0; j < m; j++) {
      const seedGrad = new Float64Array(m);
      seedGrad[j] = 1;
      for (const i of checked) xs[i].grad = null;
      y.backward(new Tensor(seedGrad, y.shape), { retainGraph: true });
      checked.forEach((i, c) => {
        const g = xs[i].grad;
        if (g !== null) for (let e = 0; e < g.size; e++) jac[c][e * m + j] = g.data[e];
      });
    }
    return jac;
  };
  const finish = (reports: GradcheckInputReport[]): GradcheckReport => {
    const report: GradcheckReport = { ok: failures.length === 0, inputs: reports, failures, notes };
    if (!report.ok && raiseOnFailure) {
      throw new GradcheckError(`gradcheck failed:\n  ${failures.join('\n  ')}${notes.length ? `\n(${notes.join('; ')})` : ''}`, report);
    }
    return report;
  };
  let jac: Float64Array[];
  let again: Float64Array[];
  try {
    jac = analytic();
    again = analytic();
  } catch (e) {
    // A rule that returns no gradient, or one of a shape backward() cannot reduce, fails the check like a wrong value.
    if (!(e instanceof AutogradError)) throw e;
    failures.push(`backward failed: ${e.message}`);
    return finish(checked.map((i) => ({ index: i, shape: [...xs[i].shape], maxAbsError: NaN, maxRelError: NaN })));
  }
  checked.forEach((i, c) => {
    const k = jac[c].findIndex((v, e) => !Object.is(v, again[c][e]));
    if (k >= 0) failures.push(`input ${i}: backward is not repeatable: element ${where(xs[i].shape, Math.floor(k / m))}, output ${where(y.shape, k % m)} gave ${jac[c][k]} then ${again[c][k]}`);
  });

  // Zero upstream gradient must give zero gradients.
  if (y.requiresGrad) {
    for (const i of checked) xs[i].grad = null;
    y.backward(new Tensor(new Float64Array(m), y.shape), { retainGraph: true });
    for (const i of checked) {
      const g = xs[i].grad;
      const k = g === null ? -1 : g.data.findIndex((v) => v !== 0);
      if (k >= 0) failures.push(`input ${i}: a zero upstream gradient gave a non-zero gradient ${g!.data[k]} at element ${where(xs[i].shape, k)}`);
    }
  }

  // Numerical Jacobian by central differences, and the comparison.
  const reports: GradcheckInputReport[] = checked.map((i, c) => {
    const x = xs[i];
    let maxAbsError = 0;
    let maxRelError = 0;
    let reported = 0;
    for (let e = 0; e < x.size; e++) {
      const original = x.data[e];
      x.data[e] = original + eps;
      const plus = noGrad(evaluate).data.slice();
      x.data[e] = original - eps;
      const minus = noGrad(evaluate).data.slice();
      x.data[e] = original;
      for (let j = 0; j < m; j++) {
        const numerical = (plus[j] - minus[j]) / (2 * eps);
        const a = jac[c][e * m + j];
        const err = Math.abs(a - numerical);
        const bad = !(err <= atol + rtol * Math.abs(numerical));
        if (Number.isNaN(err)) maxAbsError = NaN;
        else maxAbsError = Math.max(maxAbsError, err);
        if (numerical !== 0 && !Number.isNaN(err)) maxRelError = Math.max(maxRelError, err / Math.abs(numerical));
        if (bad && reported++ < 5) {
          failures.push(`input ${i} element ${where(x.shape, e)}, output element ${where(y.shape, j)}: analytic ${a} vs numerical ${numerical} (abs error ${err}, allowed ${atol + rtol * Math.abs(numerical)})`);
        }
      }
    }
    if (reported > 5) failures.push(`input ${i}: ${reported - 5} more disagreeing entries`);
    return { index: i, shape: [...x.shape], maxAbsError, maxRelError };
  });

  // A random upstream gradient: backward(v) must equal vᵀJ, J the Jacobian checked above (catches a rule that is
  // not linear in dy, which one-hot upstream gradients alone would miss).
  if (failures.length === 0 && y.requiresGrad) {
    const g = new Generator(seed);
    const v = new Float64Array(m).map(() => g.normal());
    for (const i of checked) xs[i].grad = null;
    y.backward(new Tensor(v, y.shape), { retainGraph: true });
    checked.forEach((i, c) => {
      const grad = xs[i].grad;
      for (let e = 0; e < xs[i].size; e++) {
        let expected = 0;
        for (let j = 0; j < m; j++) expected += v[j] * jac[c][e * m + j];
        const got = grad === null ? 0 : grad.data[e];
        const scale = Math.abs(expected) + 1;
        if (!(Math.abs(got - expected) <= 1e-9 * scale * m)) {
          failures.push(`input ${i} element ${where(xs[i].shape, e)}: backward with a random upstream gradient gave ${got}, but vᵀJ is ${expected}`);
          break;
        }
      }
    });
  }

  return finish(reports);
}

/** A flat index as a multi-index, e.g. `[1,2]` (with the flat index when the shape has more than one dim). */
function where(shape: readonly number[], flat: number): string {
  if (shape.length <= 1) return `[${flat}]`;
  const strides = stridesOf(shape);
  const idx = strides.map((s, d) => Math.floor(flat / s) % shape[d]);
  return `${formatShape(idx)} (flat ${flat})`;
}
