/**
 * Shapes and the rules on them: sizes, row-major strides, NumPy broadcasting, dim normalisation. Every check here
 * throws an error that names the op and the offending values.
 * @module
 */
import { ShapeError } from './errors.js';

/**
 * A tensor shape: one non-negative integer size per dimension. `[]` is the shape of a scalar.
 * @example
 * ```ts
 * import { zeros, type Shape } from 'tapegrad';
 * const shape: Shape = [2, 3];
 * zeros(shape).size; // 6
 * ```
 */
export type Shape = readonly number[];

/** `[2,3]`, the way shapes appear in error messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** The number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-order) strides of a shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** True when two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Throws unless every size is a finite non-negative integer; returns a fresh copy of the shape. */
export function checkShape(shape: readonly number[], op: string): number[] {
  if (!Array.isArray(shape)) throw new TypeError(`${op}: shape must be an array of sizes, got ${String(shape)}`);
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isInteger(d) || d < 0) {
      throw new RangeError(`${op}: sizes must be non-negative integers, got ${formatShape(shape)}`);
    }
  }
  return shape.slice();
}

/**
 * The NumPy broadcast of two shapes: aligned from the right, each pair equal or one of them 1; `op` names the
 * caller in the ShapeError thrown when they do not fit.
 * @example `broadcastShapes([2, 1, 3], [4, 1], 'add')  // [2, 4, 3]`
 */
export function broadcastShapes(a: Shape, b: Shape, op: string): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(
        `${op}: shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together ` +
          `(dim ${i - n} has sizes ${da} and ${db}; each pair must be equal or one of them 1)`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * Strides that read an input of shape `inShape` while walking the broadcast shape `outShape`: a dimension the input
 * lacks or has with size 1 gets stride 0.
 */
export function broadcastStrides(inShape: Shape, outShape: Shape): number[] {
  const inStrides = stridesOf(inShape);
  const offset = outShape.length - inShape.length;
  const out = new Array<number>(outShape.length).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    out[i + offset] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  return out;
}

/** A dim in `[-ndim, ndim)` as a non-negative index; RangeError otherwise. */
export function normalizeDim(dim: number, ndim: number, op: string): number {
  const lo = ndim === 0 ? -1 : -ndim;
  const hi = ndim === 0 ? 0 : ndim - 1;
  if (!Number.isInteger(dim) || dim < lo || dim > hi) {
    throw new RangeError(`${op}: dim ${dim} is out of range for a tensor with ${ndim} dims (expected ${lo}..${hi})`);
  }
  return dim < 0 ? dim + Math.max(ndim, 1) : dim;
}

/** Several dims normalised, sorted ascending, each at most once. `undefined` means every dim. */
export function normalizeDims(dims: number | readonly number[] | undefined, ndim: number, op: string): number[] {
  if (dims === undefined) return Array.from({ length: ndim }, (_, i) => i);
  const list = typeof dims === 'number' ? [dims] : dims;
  const out = list.map((d) => normalizeDim(d, ndim, op));
  const sorted = [...new Set(out)].sort((x, y) => x - y);
  if (sorted.length !== out.length) throw new RangeError(`${op}: dim ${JSON.stringify(dims)} names a dim twice`);
  return ndim === 0 ? [] : sorted;
}
