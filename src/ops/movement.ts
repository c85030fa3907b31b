/**
 * Movement ops: they rearrange, select or combine elements without arithmetic. reshape shares storage; the others
 * produce new contiguous tensors (so kernels only ever see contiguous data). Primitives: reshape, permute,
 * broadcastTo, indexSelect and its adjoint indexAdd, gather and its adjoint scatterAdd, concat, pad, clone, cast.
 * Everything else (flatten, squeeze, transpose, slice, select, stack, ...) is composed from them.
 * @module
 */
import { Tensor } from '../tensor.js';
import { defineOp, type OpFunction } from './define.js';
import { empty, full } from '../creation.js';
import { allocate, checkDType, type DType } from '../dtype.js';
import { type Shape, broadcastShapes, broadcastStrides, checkShape, formatShape, normalizeDim, shapesEqual, sizeOf } from '../shape.js';
import { ShapeError } from '../errors.js';
import { describe } from '../checks.js';
import { expandKernel } from '../kernels/elementwise.js';
import { blockCopyKernel, gatherKernel, indexAlongKernel, padKernel, permuteKernel } from '../kernels/movement.js';

/** [outer, n, inner] around dim d. */
function around(shape: Shape, d: number): [number, number, number] {
  const n = shape[d];
  const inner = sizeOf(shape.slice(d + 1));
  return [sizeOf(shape.slice(0, d)), n, inner];
}

const reshapeOp = defineOp<[Tensor], { shape: number[] }, undefined>({
  name: 'reshape',
  forward: ([x], { shape }) => new Tensor(x.data, shape),
  // reshape moves no values: dx = dy in x's shape
  backward: (dy, { inputs: [x] }) => [reshape(dy, x.shape)],
});

/**
 * The same values in a new shape; one size may be -1 (inferred). Shares storage with x.
 * @example `arange(6).reshape([2, -1])  // shape [2, 3]`
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape)) throw new TypeError(`reshape: shape must be an array of sizes, got ${describe(shape)}`);
  const inferred = shape.filter((s) => s === -1).length;
  if (inferred > 1) throw new RangeError(`reshape: only one size may be -1, got ${formatShape(shape)}`);
  // Checked as written (not after the -1 is replaced), so that the message shows the user's own shape.
  if (!shape.every((s) => s === -1 || (typeof s === 'number' && Number.isInteger(s) && s >= 0))) {
    throw new RangeError(`reshape: sizes must be non-negative integers (or one -1), got ${formatShape(shape)}`);
  }
  const knownSize = sizeOf(shape.filter((s) => s !== -1));
  const target = shape.map((s) => (s === -1 ? (knownSize === 0 ? 0 : x.size / knownSize) : s));
  if (!Number.isInteger(target[shape.indexOf(-1)] ?? 0) || sizeOf(target) !== x.size) {
    throw new ShapeError(`reshape: cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  }
  return shapesEqual(target, x.shape) ? x : reshapeOp(x, { shape: target });
}

/**
 * Dims startDim..endDim merged into one.
 * @example `zeros([2, 3, 4]).flatten(1)  // shape [2, 12]`
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) return reshape(x, [1]);
  const s = normalizeDim(startDim, x.ndim, 'flatten');
  const e = normalizeDim(endDim, x.ndim, 'flatten');
  if (s > e) throw new RangeError(`flatten: startDim ${startDim} comes after endDim ${endDim}`);
  return reshape(x, [...x.shape.slice(0, s), sizeOf(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)]);
}

/**
 * Removes size-1 dims: all of them, or only `dim` (left alone if its size is not 1, as PyTorch).
 * @example `zeros([2, 1, 3]).squeeze()  // shape [2, 3]`
 */
export function squeeze(x: Tensor, dim?: number): Tensor {
  if (dim === undefined) return reshape(x, x.shape.filter((s) => s !== 1));
  const d = normalizeDim(dim, x.ndim, 'squeeze');
  return x.ndim === 0 || x.shape[d] !== 1 ? x : reshape(x, x.shape.filter((_, i) => i !== d));
}

/**
 * The position of a new dim inserted into an `ndim`-D tensor (unsqueeze, stack): `dim` in [-ndim-1, ndim], negative
 * counting from the end of the result. Not normalizeDim(dim, ndim + 1), whose message would count the result's dims.
 */
function insertionDim(dim: number, ndim: number, op: string): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < -ndim - 1 || dim > ndim) {
    throw new RangeError(`${op}: dim ${describe(dim)} is out of range ${-ndim - 1}..${ndim} for inserting a dim into a ${ndim}-D tensor`);
  }
  return dim < 0 ? dim + ndim + 1 : dim;
}

/**
 * Inserts a size-1 dim at `dim` (in [-ndim-1, ndim]).
 * @example `zeros([2, 3]).unsqueeze(1)  // shape [2, 1, 3]`
 */
export function unsqueeze(x: Tensor, dim: number): Tensor {
  const d = insertionDim(dim, x.ndim, 'unsqueeze');
  return reshape(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)]);
}

const permuteOp = defineOp<[Tensor], { dims: number[] }, undefined>({
  name: 'permute',
  forward: ([x], { dims }) => {
    const out = empty(dims.map((d) => x.shape[d]), x.dtype);
    permuteKernel(x.data, x.shape, dims, out.data);
    return out;
  },
  // the gradient moves back through the inverse permutation
  backward: (dy, { attrs: { dims } }) => {
    const inverse = new Array<number>(dims.length);
    dims.forEach((d, i) => (inverse[d] = i));
    return [permute(dy, inverse)];
  },
});

/**
 * The dims reordered: output dim i is input dim dims[i].
 * @example `zeros([2, 3, 4]).permute([2, 0, 1])  // shape [4, 2, 3]`
 */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const ds = dims.map((d) => normalizeDim(d, x.ndim, 'permute'));
  if (ds.length !== x.ndim || new Set(ds).size !== ds.length) {
    throw new RangeError(`permute: ${formatShape(dims)} is not a permutation of the ${x.ndim} dims of ${formatShape(x.shape)}`);
  }
  return ds.every((d, i) => d === i) ? x : permuteOp(x, { dims: ds });
}

/**
 * Dims dim0 and dim1 swapped.
 * @example `zeros([2, 3]).transpose(0, 1)  // shape [3, 2]`
 */
export function transpose(x: Tensor, dim0 = 0, dim1 = 1): Tensor {
  if (x.ndim < 2 && dim0 === 0 && (dim1 === 0 || dim1 === 1 || dim1 === -1)) return x;
  const a = normalizeDim(dim0, x.ndim, 'transpose');
  const b = normalizeDim(dim1, x.ndim, 'transpose');
  const dims = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permute(x, dims);
}

const broadcastToOp = defineOp<[Tensor], { shape: number[] }, undefined>({
  name: 'broadcastTo',
  forward: ([x], { shape }) => {
    const out = empty(shape, x.dtype);
    expandKernel(x.data, broadcastStrides(x.shape, shape), out.data, shape);
    return out;
  },
  // the copies' gradients are summed back: backward() reduces dy to x's shape
  backward: (dy) => [dy],
});

/**
 * x repeated along broadcast dims to `shape` (PyTorch's expand; -1 keeps a size). Returns a copy.
 * @example `tensor([1, 2]).broadcastTo([3, 2])  // [[1, 2], [1, 2], [1, 2]]`
 */
export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (!Array.isArray(shape)) throw new TypeError(`broadcastTo: shape must be an array of sizes, got ${describe(shape)}`);
  const lead = shape.length - x.ndim;
  // Checked as written, so that a bad size is reported in the user's shape, not with the -1s filled in.
  if (!shape.every((s, i) => (s === -1 && i >= lead) || (typeof s === 'number' && Number.isInteger(s) && s >= 0))) {
    throw new RangeError(`broadcastTo: sizes must be non-negative integers (or -1 to keep one of the input's), got ${formatShape(shape)}`);
  }
  const target = shape.map((s, i) => (s === -1 ? x.shape[i - lead] : s));
  const result = broadcastShapes(x.shape, target, 'broadcastTo');
  if (!shapesEqual(result, target)) {
    throw new ShapeError(`broadcastTo: ${formatShape(x.shape)} cannot be expanded to ${formatShape(shape)}`);
  }
  return shapesEqual(target, x.shape) ? x : broadcastToOp(x, { shape: target });
}

/** Checks a list of indices along a dim of size n (negative ones count from the end) and normalises them. */
function checkIndices(op: string, index: Tensor | readonly number[], n: number): Int32Array {
  const values = index instanceof Tensor ? index.data : index;
  if (index instanceof Tensor && index.ndim > 1) throw new ShapeError(`${op}: index must be 1-D, got shape ${formatShape(index.shape)}`);
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < -n || v >= n) throw new RangeError(`${op}: index ${v} (at position ${i}) is out of range for a dim of size ${n}`);
    out[i] = v < 0 ? v + n : v;
  }
  return out;
}

const indexSelectOp: OpFunction<[Tensor], { dim: number; index: Int32Array }> = defineOp<[Tensor], { dim: number; index: Int32Array }, undefined>({
  name: 'indexSelect',
  forward: ([x], { dim, index }) => {
    const [outer, n, inner] = around(x.shape, dim);
    const out = empty(x.shape.map((s, d) => (d === dim ? index.length : s)), x.dtype);
    indexAlongKernel(x.data, outer, n, inner, index, out.data, false);
    return out;
  },
  // each selected slice's gradient is added back where it came from
  backward: (dy, { inputs: [x], attrs: { dim, index } }) => [indexAddOp(dy, { dim, index, size: x.shape[dim] })],
});

const indexAddOp: OpFunction<[Tensor], { dim: number; index: Int32Array; size: number }> = defineOp<[Tensor], { dim: number; index: Int32Array; size: number }, undefined>({
  name: 'indexAdd',
  forward: ([y], { dim, index, size }) => {
    const out = empty(y.shape.map((s, d) => (d === dim ? size : s)), y.dtype);
    const [outer, , inner] = around(y.shape, dim);
    indexAlongKernel(out.data, outer, size, inner, index, y.data, true);
    return out;
  },
  // the adjoint of indexSelect: dx = dy selected at the same indices
  backward: (dy, { attrs: { dim, index } }) => [indexSelectOp(dy, { dim, index })],
});

/**
 * The slices at `index` along `dim` (PyTorch's index_select); indices may repeat or be negative.
 * @example `tensor([[1, 2], [3, 4], [5, 6]]).indexSelect(0, [2, 0])  // [[5, 6], [1, 2]]`
 */
export function indexSelect(x: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
  const d = normalizeDim(dim, x.ndim, 'indexSelect');
  if (x.ndim === 0) throw new ShapeError('indexSelect: a scalar has no dim to select along');
  return indexSelectOp(x, { dim: d, index: checkIndices('indexSelect', index, x.shape[d]) });
}

/**
 * Elements start, start+step, ... before end along `dim`, with Python's slice rules (negative start/end count from
 * the end; out-of-range bounds are clipped). step must be positive.
 * @example `arange(10).slice(0, 2, 8, 3)  // [2, 5]`
 */
export function slice(x: Tensor, dim: number, start?: number, end?: number, step = 1): Tensor {
  const d = normalizeDim(dim, x.ndim, 'slice');
  if (x.ndim === 0) throw new ShapeError('slice: a scalar has no dim to slice');
  if (!Number.isInteger(step) || step <= 0) throw new RangeError(`slice: step must be a positive integer, got ${step}`);
  for (const [label, v] of [['start', start], ['end', end]] as const) {
    if (v !== undefined && !Number.isInteger(v)) throw new RangeError(`slice: ${label} must be an integer, got ${v}`);
  }
  const n = x.shape[d];
  const clip = (v: number) => Math.min(Math.max(v < 0 ? v + n : v, 0), n);
  const s = clip(start ?? 0);
  const e = clip(end ?? n);
  const index = new Int32Array(Math.max(0, Math.ceil((e - s) / step)));
  for (let i = 0; i < index.length; i++) index[i] = s + i * step;
  if (s === 0 && index.length === n) return x;
  return indexSelectOp(x, { dim: d, index });
}

/**
 * `length` elements from `start` along `dim` (start may be negative); a RangeError if they do not fit.
 * @example `arange(5).narrow(0, 1, 3)  // [1, 2, 3]`
 */
export function narrow(x: Tensor, dim: number, start: number, length: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'narrow');
  const n = x.shape[d];
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(s) || !Number.isInteger(length) || s < 0 || length < 0 || s + length > n) {
    throw new RangeError(`narrow: start ${start} and length ${length} do not fit in dim ${dim} of size ${n}`);
  }
  return slice(x, d, s, s + length);
}

/**
 * The slice at `index` along `dim`, with that dim removed (PyTorch's `x[i]` for dim 0, `x.select(dim, i)`).
 * @example `tensor([[1, 2], [3, 4]]).select(1, 0)  // [1, 3]`
 */
export function select(x: Tensor, dim: number, index: number): Tensor {
  const d = normalizeDim(dim, x.ndim, 'select');
  if (x.ndim === 0) throw new ShapeError('select: a scalar has no dim to index');
  const [i] = checkIndices('select', [index], x.shape[d]);
  return squeeze(indexSelectOp(x, { dim: d, index: Int32Array.of(i) }), d);
}

const gatherOp = defineOp<[Tensor], { dim: number; index: Tensor }, undefined>({
  name: 'gather',
  forward: ([x], { dim, index }) => {
    const [outer, n, inner] = around(x.shape, dim);
    const out = empty(index.shape, x.dtype);
    gatherKernel(x.data, outer, n, inner, index.data, index.shape[dim], out.data, false);
    return out;
  },
  // each gathered value's gradient is added back at its source
  backward: (dy, { inputs: [x], attrs: { dim, index } }) => [scatterAdd(dy, dim, index, x.shape[dim])],
});

const scatterAddOp = defineOp<[Tensor], { dim: number; index: Tensor; size: number }, undefined>({
  name: 'scatterAdd',
  forward: ([y], { dim, index, size }) => {
    const out = empty(y.shape.map((s, d) => (d === dim ? size : s)), y.dtype);
    const [outer, , inner] = around(out.shape, dim);
    gatherKernel(out.data, outer, size, inner, index.data, y.shape[dim], y.data, true);
    return out;
  },
  // the adjoint of gather: dx = dy gathered at the same indices
  backward: (dy, { attrs: { dim, index } }) => [gatherOp(dy, { dim, index })],
});

function checkGatherIndex(op: string, shape: Shape, d: number, index: Tensor, n: number): void {
  if (!(index instanceof Tensor)) throw new TypeError(`${op}: index must be a Tensor of integer indices`);
  if (index.ndim !== shape.length || index.shape.some((s, i) => i !== d && s !== shape[i])) {
    throw new ShapeError(`${op}: index of shape ${formatShape(index.shape)} must match ${formatShape(shape)} in every dim but ${d}`);
  }
  for (let i = 0; i < index.size; i++) {
    const v = index.data[i];
    if (!Number.isInteger(v) || v < 0 || v >= n) throw new RangeError(`${op}: index ${v} (at flat position ${i}) is out of range for dim ${d} of size ${n}`);
  }
}

/**
 * `out[...i, j, k...] = x[...i, index[...i, j, k...], k...]` along `dim` (PyTorch's gather). The index has x's
 * shape except along `dim` and holds integers in [0, size of dim); it gets no gradient. This is what class-index
 * losses use: `logProbs.gather(1, targets.unsqueeze(1))`.
 * @example `tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]]))  // [[2], [3]]`
 */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  const d = normalizeDim(dim, x.ndim, 'gather');
  if (x.ndim === 0) return gather(reshape(x, [1]), 0, reshape(index, [-1])).reshape(index.shape);
  checkGatherIndex('gather', x.shape, d, index, x.shape[d]);
  return gatherOp(x, { dim: d, index });
}

/**
 * The adjoint of gather: a tensor with `size` elements along `dim`, zero except that each value of `src` is added
 * at the position its index names (PyTorch's `zeros(...).scatter_add_(dim, index, src)`).
 * @example `scatterAdd(tensor([[5], [7]]), 1, tensor([[1], [0]]), 2)  // [[0, 5], [7, 0]]`
 */
export function scatterAdd(src: Tensor, dim: number, index: Tensor, size: number): Tensor {
  const d = normalizeDim(dim, src.ndim, 'scatterAdd');
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`scatterAdd: size must be a non-negative integer, got ${size}`);
  checkGatherIndex('scatterAdd', src.shape, d, index, size);
  // NOTE: the kernel walks src and index together, so they must agree along dim too (gather's backward passes dy,
  // which has the index's shape).
  if (index.shape[d] !== src.shape[d]) {
    throw new ShapeError(`scatterAdd: index of shape ${formatShape(index.shape)} must have the shape of src ${formatShape(src.shape)}`);
  }
  return scatterAddOp(src, { dim: d, index, size });
}

const concatOp = defineOp<Tensor[], { dim: number }, undefined>({
  name: 'concat',
  forward: (xs, { dim }) => {
    const total = xs.reduce((t, x) => t + x.shape[dim], 0);
    const out = empty(xs[0].shape.map((s, d) => (d === dim ? total : s)), xs[0].dtype);
    let at = 0;
    for (const x of xs) {
      const [outer, n, inner] = around(x.shape, dim);
      blockCopyKernel(x.data, outer, n, inner, out.data, total, at, false);
      at += n;
    }
    return out;
  },
  // each input gets back its own block of dy
  backward: (dy, { inputs, attrs: { dim } }) => {
    let at = 0;
    return inputs.map((x) => {
      const part = narrow(dy, dim, at, x.shape[dim]);
      at += x.shape[dim];
      return part;
    });
  },
});

/**
 * Tensors joined along an existing dim; they must agree in every other dim.
 * @example `concat([tensor([[1, 2]]), tensor([[3, 4]])], 0)  // [[1, 2], [3, 4]]`
 */
export function concat(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new RangeError('concat: expected a non-empty array of tensors');
  const first = tensors[0];
  if (first.ndim === 0) throw new ShapeError('concat: scalars have no dim to join along; use stack');
  const d = normalizeDim(dim, first.ndim, 'concat');
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((s, j) => j !== d && s !== first.shape[j])) {
      throw new ShapeError(`concat: tensor ${i} has shape ${formatShape(t.shape)}, which does not match ${formatShape(first.shape)} outside dim ${d}`);
    }
  });
  return tensors.length === 1 ? first : concatOp(...tensors, { dim: d });
}

/**
 * Tensors of one shape joined along a new dim.
 * @example `stack([tensor([1, 2]), tensor([3, 4])], 1)  // [[1, 3], [2, 4]]`
 */
export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (!Array.isArray(tensors as unknown) || tensors.length === 0) throw new RangeError('stack: expected a non-empty array of tensors');
  const first = tensors[0];
  tensors.forEach((t, i) => {
    if (!shapesEqual(t.shape, first.shape)) {
      throw new ShapeError(`stack: tensor ${i} has shape ${formatShape(t.shape)}, but tensor 0 has ${formatShape(first.shape)}`);
    }
  });
  const d = insertionDim(dim, first.ndim, 'stack');
  return concatOp(...tensors.map((t) => unsqueeze(t, d)), { dim: d });
}

const padOp = defineOp<[Tensor], { before: number[]; after: number[]; value: number }, undefined>({
  name: 'pad',
  forward: ([x], { before, after, value }) => {
    const outShape = x.shape.map((s, d) => s + before[d] + after[d]);
    const out = full(outShape, value, { dtype: x.dtype });
    padKernel(x.data, x.shape, out.data, outShape, before, false);
    return out;
  },
  // the padding's gradient is dropped: dx is dy's window where x sits
  backward: (dy, { inputs: [x], attrs: { before } }) => {
    let g = dy;
    x.shape.forEach((s, d) => {
      if (g.shape[d] !== s) g = narrow(g, d, before[d], s);
    });
    return [g];
  },
});

/**
 * Constant padding, PyTorch's F.pad order: `pads` lists (before, after) pairs starting from the LAST dim,
 * e.g. [left, right, top, bottom] pads the last two dims of an image.
 * @example `tensor([[1, 2]]).pad([1, 1], 0)  // [[0, 1, 2, 0]]`
 */
export function pad(x: Tensor, pads: readonly number[], value = 0): Tensor {
  if (!Array.isArray(pads) || pads.length % 2 !== 0 || pads.length / 2 > x.ndim) {
    throw new RangeError(`pad: pads must hold (before, after) pairs for at most ${x.ndim} dims, got ${formatShape(pads ?? [])}`);
  }
  checkShape(pads, 'pad');
  const before = x.shape.map(() => 0);
  const after = x.shape.map(() => 0);
  for (let i = 0; i < pads.length / 2; i++) {
    before[x.ndim - 1 - i] = pads[2 * i];
    after[x.ndim - 1 - i] = pads[2 * i + 1];
  }
  return padOp(x, { before, after, value });
}

/**
 * A copy with its own storage; gradients flow through it.
 * @example `tensor([1, 2]).clone()  // [1, 2]`
 */
export const clone = defineOp<[Tensor], undefined, undefined>({
  name: 'clone',
  forward: ([x]) => {
    const out = empty(x.shape, x.dtype);
    out.data.set(x.data);
    return out;
  },
  // d clone(x) = dx
  backward: (dy) => [dy],
});

const castOp = defineOp<[Tensor], { dtype: DType }, undefined>({
  name: 'cast',
  forward: ([x], { dtype }) => {
    const data = allocate(dtype, x.size);
    data.set(x.data);
    return new Tensor(data, x.shape);
  },
  // the gradient is converted back to x's dtype
  backward: (dy, { inputs: [x] }) => [cast(dy, x.dtype)],
});

/**
 * x converted to `dtype` (differentiable); x itself when it already has it. Same as `x.to(dtype)`.
 * @example `cast(tensor([1, 2]), 'float64').dtype  // 'float64'`
 */
export function cast(x: Tensor, dtype: DType): Tensor {
  return checkDType(dtype, 'to') === x.dtype ? x : castOp(x, { dtype });
}
