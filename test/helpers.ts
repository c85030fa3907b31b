/**
 * What many test files need: the dtypes and tolerances ops are checked in, value assertions, catching an error to
 * inspect it, seeded plain-number draws, and the plain-loop references that more than one file compares against.
 * Everything here is independent of the code under test except for building tensors and drawing seeded numbers.
 */
import { expect } from 'vitest';
import { Generator, Tensor, randn, type DType } from '../src/index.js';

// ---------------------------------------------------------------------------------------------------------------
// dtypes and tolerances

/** The float dtypes every op is tested in. */
export const DTYPES = ['float32', 'float64'] as const satisfies readonly DType[];

/** Relative tolerance per dtype for a single op: a few ulps of float32, and close to exact for float64. */
export const RTOL: Record<DType, number> = { float32: 1e-6, float64: 1e-13 };

/** The value a tensor of `dtype` actually holds for `v`, so that a reference starts from the same input as the op. */
export const stored = (dtype: DType, v: number): number => (dtype === 'float32' ? Math.fround(v) : v);

// ---------------------------------------------------------------------------------------------------------------
// assertions

/** The error `fn` throws, so that its class and message can be checked together (fails the test if nothing is thrown). */
export function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error, but nothing was thrown');
}

/** Options of {@link expectClose}. */
export interface CloseOptions {
  /** The bound near zero (default: rtol). */
  atol?: number;
  /** Names the compared quantity in failure messages (e.g. 'dx'). */
  what?: string;
}

/**
 * Elementwise comparison: the lengths agree and every finite expected value e is met within max(atol, rtol·|e|).
 * With the default atol = rtol that is rtol·max(1, |e|): relative for large values, absolute below 1, so values
 * near zero are not held to an impossible relative bound. An expected NaN or ±Infinity must be matched exactly.
 * `actual` is a tensor (its values are compared) or plain numbers.
 */
export function expectClose(
  actual: Tensor | ArrayLike<number>, expected: ArrayLike<number>, rtol: number, { atol = rtol, what }: CloseOptions = {},
): void {
  const values = actual instanceof Tensor ? actual.data : actual;
  const where = what === undefined ? 'element' : `${what} element`;
  expect(values.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = values[i];
    const e = expected[i];
    if (Number.isNaN(e)) expect(a, `${where} ${i}`).toBeNaN();
    else if (!Number.isFinite(e)) expect(a, `${where} ${i}`).toBe(e);
    else expect(Math.abs(a - e), `${where} ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(Math.max(atol, rtol * Math.abs(e)));
  }
}

/** Checks shape, dtype and every value of `t` ({@link expectClose} at `rtol`, by default the dtype's {@link RTOL}). */
export function expectValues(t: Tensor, shape: readonly number[], expected: readonly number[], dtype: DType, rtol = RTOL[dtype]): void {
  expect(t.shape).toEqual(shape);
  expect(t.dtype).toBe(dtype);
  expect(t.size).toBe(expected.length);
  expectClose(t.data, expected, rtol);
}

/** The lengths agree and every element passes toBeCloseTo(expected, digits): |a − e| < 10^−digits / 2. */
export function expectCloseTo(actual: ArrayLike<number>, expected: ArrayLike<number>, digits = 10): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(actual[i]).toBeCloseTo(expected[i], digits);
}

/** `y` has the shape of a plain reference result and its values to `digits` decimals ({@link expectCloseTo}). */
export function expectMatches(y: Tensor, ref: { data: ArrayLike<number>; shape: readonly number[] }, digits: number): void {
  expect(y.shape).toEqual(ref.shape);
  expectCloseTo(y.data, ref.data, digits);
}

// ---------------------------------------------------------------------------------------------------------------
// seeded data

/** The number of elements of `shape`. */
const countOf = (n: number | readonly number[]): number => (typeof n === 'number' ? n : n.reduce((a, b) => a * b, 1));

/** `n` seeded normal draws shift + scale·z as plain numbers (`n` may be a shape: as many as it has elements). */
export function normals(n: number | readonly number[], seed: number, scale = 1, shift = 0): number[] {
  const g = new Generator(seed);
  return Array.from({ length: countOf(n) }, () => shift + scale * g.normal());
}

/** `n` seeded uniform draws in [lo, hi) as plain numbers (`n` may be a shape, as for {@link normals}). */
export function uniforms(n: number | readonly number[], seed: number, lo: number, hi: number): number[] {
  const g = new Generator(seed);
  return Array.from({ length: countOf(n) }, () => lo + (hi - lo) * g.random());
}

/** A leaf tensor of `dtype` (float64 by default) holding `values` row-major in `shape`. */
export function fromValues(values: readonly number[], shape: readonly number[], dtype: DType = 'float64', requiresGrad = false): Tensor {
  const data = dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return new Tensor(data, shape, { requiresGrad });
}

/** Standard-normal float64 draws from `generator` in `shape`: the dtype of exact references and gradcheck. */
export function randn64(shape: readonly number[], generator: Generator, requiresGrad = false): Tensor {
  return randn(shape, { dtype: 'float64', generator, requiresGrad });
}

// ---------------------------------------------------------------------------------------------------------------
// plain-loop references

/** The multi-index of row-major position `k` in `shape`. */
export function unravel(k: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = k % shape[d];
    k = Math.floor(k / shape[d]);
  }
  return index;
}

/**
 * Batch-norm statistics of (N, C, ...) data with plain loops: the channel of flat index i is ⌊i / inner⌋ mod C and
 * every other coordinate is a batch coordinate; per channel the mean, the biased (÷n) and unbiased (÷(n − 1))
 * variance, over n values each.
 */
export function refBatchStats(x: ArrayLike<number>, shape: readonly number[]) {
  const C = shape[1];
  const inner = shape.slice(2).reduce((p, s) => p * s, 1);
  const channelOf = (i: number) => Math.floor(i / inner) % C;
  const groups: number[][] = Array.from({ length: C }, () => []);
  for (let i = 0; i < x.length; i++) groups[channelOf(i)].push(x[i]);
  const mean = groups.map((g) => g.reduce((a, v) => a + v, 0) / g.length);
  const sq = groups.map((g, c) => g.reduce((a, v) => a + (v - mean[c]) ** 2, 0));
  const n = groups[0].length;
  return { channelOf, mean, biasedVar: sq.map((s) => s / n), unbiasedVar: sq.map((s) => s / (n - 1)), n };
}

/** (x − mean)/√(var + eps)·w + b with the given per-channel statistics (no affine part where w, b are null). */
export function refBatchNormalize(
  x: ArrayLike<number>, shape: readonly number[], mean: readonly number[], variance: readonly number[], eps: number,
  w: readonly number[] | null, b: readonly number[] | null,
): number[] {
  const { channelOf } = refBatchStats(x, shape);
  return Array.from(x, (v, i) => {
    const c = channelOf(i);
    return ((v - mean[c]) / Math.sqrt(variance[c] + eps)) * (w ? w[c] : 1) + (b ? b[c] : 0);
  });
}

/**
 * A permutation of 0..n−1 by Fisher–Yates written out from its definition, drawing j uniformly from [0, i] with
 * `g.random()`: the independent reference for randperm and the DataLoader's shuffling.
 */
export function referencePerm(n: number, g: Generator): number[] {
  const a = [...Array(n).keys()];
  for (let i = n - 1; i >= 1; i--) {
    const j = Math.floor(g.random() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
