/**
 * Reductions. sum is the primitive (any set of dims); mean, var and std are composed from it; max and min are
 * argmax/argmin followed by gather, so their gradient goes to the selected element.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { defineOp } from './define.js';
import { empty } from '../creation.js';
import { argReduceKernel, sumKernel } from '../kernels/reduce.js';
import { type Shape, formatShape, normalizeDim, normalizeDims, stridesOf } from '../shape.js';
import { ShapeError } from '../errors.js';
import { broadcastTo, gather, reshape, squeeze } from './movement.js';

/**
 * A dim, a list of dims, or undefined for all of them (negative dims count from the end).
 * @example
 * ```ts
 * import { ones, type Dims } from 'tapegrad';
 * const dims: Dims = [0, -1];
 * ones([2, 3, 4]).sum(dims).toArray(); // [8, 8, 8]
 * ```
 */
export type Dims = number | readonly number[] | undefined;

/**
 * The result of max/min over a dim: the values and the index of each along that dim.
 * @example
 * ```ts
 * import { tensor, type ValuesIndices } from 'tapegrad';
 * const { values, indices }: ValuesIndices = tensor([[1, 9], [7, 3]]).max(1);
 * values.toArray();  // [9, 7]
 * indices.toArray(); // [1, 0]
 * ```
 */
export interface ValuesIndices {
  /** The largest (or smallest) values. */
  values: Tensor;
  /** Where each was found along the dim (float32 integers; no gradient). */
  indices: Tensor;
}

/**
 * Options of variance/std.
 * @example
 * ```ts
 * import { tensor, type VarianceOptions } from 'tapegrad';
 * const population: VarianceOptions = { correction: 0 };
 * tensor([1, 2, 3, 4]).var(undefined, population).item(); // 1.25
 * ```
 */
export interface VarianceOptions {
  /** Subtracted from the count in the divisor: 1 (default) for the unbiased estimate, 0 for the population one. */
  correction?: number;
  /** Keep the reduced dims with size 1 (default false). */
  keepdim?: boolean;
}

/** The shape with each reduced dim set to 1 (keepdim), and the shape without them. */
function reducedShapes(shape: Shape, dims: readonly number[]): [number[], number[]] {
  const keep = shape.map((s, d) => (dims.includes(d) ? 1 : s));
  return [keep, shape.filter((_, d) => !dims.includes(d))];
}

const sumOp = defineOp<[Tensor], { dims: number[]; keepdim: boolean }, undefined>({
  name: 'sum',
  forward: ([x], { dims, keepdim }) => {
    const [keep, drop] = reducedShapes(x.shape, dims);
    const out = empty(keepdim ? keep : drop, x.dtype);
    const outStrides = stridesOf(keep).map((s, d) => (dims.includes(d) ? 0 : s));
    sumKernel(x.data, x.shape, outStrides, out.data);
    return out;
  },
  // d Σx = dy copied back to every summed position
  backward: (dy, { inputs: [x], attrs: { dims } }) => [broadcastTo(reshape(dy, reducedShapes(x.shape, dims)[0]), x.shape)],
});

/**
 * The sum over all elements, or over `dim` (one or several; negative counts from the end).
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * tensor([[1, 2], [3, 4]]).sum();        // 10
 * tensor([[1, 2], [3, 4]]).sum(0);       // [4, 6]
 * tensor([[1, 2], [3, 4]]).sum(-1, true); // [[3], [7]]
 * ```
 */
export function sum(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  return sumOp(x, { dims: normalizeDims(dim, x.ndim, 'sum'), keepdim });
}

/** How many elements each output of a reduction over `dims` covers. */
function countOf(x: Tensor, dims: readonly number[]): number {
  return dims.reduce((n, d) => n * x.shape[d], 1);
}

/**
 * The mean over all elements or over `dim` (composed: sum / count).
 * @example `tensor([[1, 2], [3, 4]]).mean(1)  // [1.5, 3.5]`
 */
export function mean(x: Tensor, dim?: Dims, keepdim = false): Tensor {
  const dims = normalizeDims(dim, x.ndim, 'mean');
  return sum(x, dims, keepdim).div(countOf(x, dims));
}

/**
 * The variance over all elements or over `dim`: Σ(x − mean)² / (count − correction), correction 1 by default
 * (Bessel's, as PyTorch).
 * @example `variance(tensor([1, 2, 3, 4]))  // 1.6667; with { correction: 0 }: 1.25`
 */
export function variance(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  const { correction = 1, keepdim = false } = options;
  if (typeof correction !== 'number' || !Number.isFinite(correction) || correction < 0) {
    throw new RangeError(`var: correction must be a finite number ≥ 0, got ${String(correction)}`);
  }
  const dims = normalizeDims(dim, x.ndim, 'var');
  const centered = x.sub(mean(x, dims, true));
  return sum(centered.mul(centered), dims, keepdim).div(Math.max(0, countOf(x, dims) - correction));
}

/**
 * The standard deviation: sqrt of {@link variance} with the same options.
 * @example `std(tensor([1, 2, 3, 4]), undefined, { correction: 0 })  // 1.1180`
 */
export function std(x: Tensor, dim?: Dims, options: VarianceOptions = {}): Tensor {
  return variance(x, dim, options).sqrt();
}

function argReduce(name: string, sign: 1 | -1) {
  return defineOp<[Tensor], { dim: number | undefined; keepdim: boolean }, undefined>({
    name,
    forward: ([x], { dim, keepdim }) => {
      if (x.size === 0) throw new RangeError(`${name}: the tensor is empty (shape ${formatShape(x.shape)})`);
      if (dim === undefined) {
        const out = empty(keepdim ? x.shape.map(() => 1) : [], 'float32');
        argReduceKernel(x.data, 1, x.size, 1, sign, out.data);
        return out;
      }
      const d = normalizeDim(dim, x.ndim, name);
      const n = x.ndim === 0 ? 1 : x.shape[d];
      const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
      const [keep, drop] = reducedShapes(x.shape, [d]);
      const out = empty(keepdim ? keep : drop, 'float32');
      argReduceKernel(x.data, x.size / (n * inner), n, inner, sign, out.data);
      return out;
    },
  });
}

const argmaxOp = argReduce('argmax', 1);
const argminOp = argReduce('argmin', -1);

/**
 * The index of the largest value, over the flattened tensor or along `dim` (first on ties). Indices are exact
 * integers stored as float32 (PyTorch returns int64); they carry no gradient.
 * @example `tensor([[1, 9], [7, 3]]).argmax(1)  // [1, 0]`
 */
export function argmax(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argmaxOp(x, { dim, keepdim });
}

/**
 * The index of the smallest value, over the flattened tensor or along `dim` (first on ties).
 * @example `tensor([[1, 9], [7, 3]]).argmin(1)  // [0, 1]`
 */
export function argmin(x: Tensor, dim?: number, keepdim = false): Tensor {
  return argminOp(x, { dim, keepdim });
}

function extreme(name: string, pick: typeof argmax, x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  if (dim === undefined) {
    if (x.size === 0) throw new RangeError(`${name}: the tensor is empty (shape ${formatShape(x.shape)})`);
    const flat = reshape(x, [-1]);
    return reshape(gather(flat, 0, pick(flat, 0, true)), []);
  }
  const d = normalizeDim(dim, x.ndim, name);
  const indices = pick(x, d, true);
  const values = gather(x, d, indices);
  return keepdim || x.ndim === 0 ? { values, indices } : { values: squeeze(values, d), indices: squeeze(indices, d) };
}

/**
 * The largest value (a scalar), or along `dim` the largest values and their indices. The gradient goes to the
 * selected element.
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * tensor([[1, 9], [7, 3]]).max();        // 9
 * tensor([[1, 9], [7, 3]]).max(0);       // { values: [7, 9], indices: [1, 0] }
 * ```
 */
export function max(x: Tensor): Tensor;
export function max(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extreme('max', argmax, x, dim, keepdim);
}

/**
 * The smallest value (a scalar), or along `dim` the smallest values and their indices.
 * @example `tensor([[1, 9], [7, 3]]).min(1)  // { values: [1, 3], indices: [0, 1] }`
 */
export function min(x: Tensor): Tensor;
export function min(x: Tensor, dim: number, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number, keepdim = false): Tensor | ValuesIndices {
  return extreme('min', argmin, x, dim, keepdim);
}

/**
 * Sums a gradient of a broadcast shape down to `shape` (the inverse of broadcasting): leading dims it lacks and dims
 * where it has size 1 are summed. Used by backward() for every op that broadcasts.
 */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new ShapeError(`sumToShape: ${formatShape(g.shape)} has fewer dims than ${formatShape(shape)}`);
  const dims: number[] = [];
  for (let d = 0; d < g.ndim; d++) {
    if (d < lead) dims.push(d);
    else if (shape[d - lead] === 1 && g.shape[d] !== 1) dims.push(d);
    else if (shape[d - lead] !== g.shape[d]) {
      throw new ShapeError(`sumToShape: ${formatShape(g.shape)} is not a broadcast of ${formatShape(shape)}`);
    }
  }
  return reshape(dims.length > 0 ? sum(g, dims, true) : g, shape);
}
