/**
 * Elementwise ops of one tensor. Each forward is a map over the storage; each backward is written with tensor ops
 * (so createGraph can differentiate it again), with its derivative in one comment.
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { BackwardContext } from '../autograd/tape.js';
import { defineOp, type OpFunction } from './define.js';
import { empty, zerosLike } from '../creation.js';
import type { TypedArray } from '../dtype.js';
import { type UnaryOpName, clampKernel, unaryKernel } from '../kernels/elementwise.js';

type Rule<A> = (dy: Tensor, ctx: BackwardContext<A, undefined>) => [Tensor];

/**
 * An elementwise op whose forward runs `kernel` once over the whole storage (x.data → out.data; attrs passed
 * through) and whose backward is `rule`. The kernel is a loop, not a per-element function, so nothing is called
 * per element.
 */
export function elementwiseOp<A = undefined>(
  name: string, kernel: (x: TypedArray, out: TypedArray, attrs: A) => void, rule: Rule<A>,
): OpFunction<[Tensor], A> {
  return defineOp<[Tensor], A, undefined>({
    name,
    forward: ([x], attrs) => {
      const out = empty(x.shape, x.dtype);
      kernel(x.data, out.data, attrs);
      return out;
    },
    backward: rule,
  });
}

/** The kernel of an op of unaryKernel's table. */
function unary(op: UnaryOpName): (x: TypedArray, out: TypedArray) => void {
  return (x, out) => unaryKernel(op, x, out);
}

/**
 * -x.
 * @example `neg(tensor([1, -2]))  // [-1, 2]`
 */
export const neg = elementwiseOp('neg', unary('neg'),
  // d(-x) = -dx
  (dy) => [dy.neg()]);

/**
 * eˣ.
 * @example `exp(tensor([0, 1]))  // [1, 2.7183]`
 */
export const exp = elementwiseOp('exp', unary('exp'),
  // d eˣ = eˣ dx = y dx
  (dy, { output: y }) => [dy.mul(y)]);

/**
 * Natural logarithm (NaN below 0, -Infinity at 0).
 * @example `log(tensor([1, Math.E]))  // [0, 1]`
 */
export const log = elementwiseOp('log', unary('log'),
  // d ln x = dx / x
  (dy, { inputs: [x] }) => [dy.div(x)]);

/**
 * sin x (x in radians).
 * @example `sin(tensor([0, Math.PI / 2]))  // [0, 1]`
 */
export const sin = elementwiseOp('sin', unary('sin'),
  // d sin x = cos x dx
  (dy, { inputs: [x] }) => [dy.mul(x.cos())]);

/**
 * cos x (x in radians).
 * @example `cos(tensor([0, Math.PI]))  // [1, -1]`
 */
export const cos = elementwiseOp('cos', unary('cos'),
  // d cos x = −sin x dx
  (dy, { inputs: [x] }) => [dy.mul(x.sin()).neg()]);

/**
 * Square root.
 * @example `sqrt(tensor([4, 9]))  // [2, 3]`
 */
export const sqrt = elementwiseOp('sqrt', unary('sqrt'),
  // d √x = dx / (2√x) = dx / 2y
  (dy, { output: y }) => [dy.div(y.mul(2))]);

/**
 * |x|.
 * @example `abs(tensor([-1.5, 2]))  // [1.5, 2]`
 */
export const abs = elementwiseOp('abs', unary('abs'),
  // d|x| = sign(x) dx (0 at 0, as PyTorch)
  (dy, { inputs: [x] }) => [dy.mul(x.sign())]);

/**
 * -1, 0 or 1 by the sign of x (its gradient is 0 everywhere).
 * @example `sign(tensor([-3, 0, 2]))  // [-1, 0, 1]`
 */
export const sign = elementwiseOp('sign', unary('sign'),
  // d sign(x) = 0
  (dy) => [zerosLike(dy)]);

/**
 * Bounds of {@link clamp}; either may be null or undefined for no bound.
 * @example
 * ```ts
 * import { tensor, type ClampBounds } from 'tapegrad';
 * const bounds: ClampBounds = { min: 0, max: null };
 * tensor([-1, 2]).clamp(bounds.min, bounds.max).toArray(); // [0, 2]
 * ```
 */
export interface ClampBounds {
  /** The lower bound, or null/undefined for none. */
  min: number | null | undefined;
  /** The upper bound, or null/undefined for none. */
  max: number | null | undefined;
}

const clampOp = elementwiseOp<ClampBounds>(
  'clamp',
  (x, out, { min, max }) => clampKernel(x, min ?? -Infinity, max ?? Infinity, out),
  // d clamp(x) = dx where min ≤ x ≤ max, else 0 (PyTorch's convention at the bounds)
  (dy, { inputs: [x], attrs: { min, max } }) => {
    let mask = min != null ? x.ge(min) : null;
    if (max != null) mask = mask ? mask.mul(x.le(max)) : x.le(max);
    return [mask ? dy.mul(mask) : dy];
  },
);

/**
 * Limits every value to [min, max]; either bound may be left out.
 * @example `clamp(tensor([-2, 0.5, 3]), 0, 1)  // [0, 0.5, 1]`
 */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  for (const [label, b] of [['min', min], ['max', max]] as const) {
    if (b != null && (typeof b !== 'number' || Number.isNaN(b))) throw new TypeError(`clamp: ${label} must be a number, got ${String(b)}`);
  }
  if (min != null && max != null && min > max) throw new RangeError(`clamp: min ${min} is greater than max ${max}`);
  return clampOp(x, { min, max });
}

/**
 * x² (composed: x·x).
 * @example `square(tensor([3]))  // [9]`
 */
export function square(x: Tensor): Tensor {
  return x.mul(x);
}
