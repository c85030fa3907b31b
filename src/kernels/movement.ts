/**
 * Movement kernels: copies that rearrange elements. Each one is a gather from the input into a fresh contiguous
 * output, or (for backward rules) the matching scatter-add. Dim-wise ones view tensors as [outer, n, inner].
 */
import type { TypedArray } from '../dtype.js';

/** Writes `x` (of shape `shape`) permuted by `dims` into `out`: out walks row-major, x is read through strides. */
export function permuteKernel(x: TypedArray, shape: readonly number[], dims: readonly number[], out: TypedArray): void {
  const nd = shape.length;
  const inStrides = new Array<number>(nd);
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    inStrides[d] = s;
    s *= shape[d];
  }
  const outShape = dims.map((d) => shape[d]);
  const strides = dims.map((d) => inStrides[d]);
  const index = new Array<number>(nd).fill(0);
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x[j];
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) {
        j += strides[d];
        break;
      }
      index[d] = 0;
      j -= strides[d] * (outShape[d] - 1);
    }
  }
}

/**
 * For x viewed as [outer, n, inner]: `out[o, i, k] = x[o, idx[i], k]` (idx of length m), or with `accumulate` the
 * reverse, `x[o, idx[i], k] += out[o, i, k]` (the backward of slicing and index-select).
 */
export function indexAlongKernel(
  x: TypedArray, outer: number, n: number, inner: number,
  idx: ArrayLike<number>, out: TypedArray, accumulate: boolean,
): void {
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      const src = (o * n + idx[i]) * inner;
      const dst = (o * m + i) * inner;
      if (accumulate) for (let k = 0; k < inner; k++) x[src + k] += out[dst + k];
      else for (let k = 0; k < inner; k++) out[dst + k] = x[src + k];
    }
  }
}

/**
 * For x viewed as [outer, n, inner] and an index of shape [outer, m, inner]: `out[o, i, k] = x[o, index[o, i, k], k]`
 * (gather), or with `accumulate` the reverse scatter-add into x.
 */
export function gatherKernel(
  x: TypedArray, outer: number, n: number, inner: number,
  index: ArrayLike<number>, m: number, out: TypedArray, accumulate: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < m; i++) {
      for (let k = 0; k < inner; k++) {
        const dst = (o * m + i) * inner + k;
        const src = (o * n + index[dst]) * inner + k;
        if (accumulate) x[src] += out[dst];
        else out[dst] = x[src];
      }
    }
  }
}

/**
 * Copies x, viewed as [outer, n, inner], into out, viewed as [outer, total, inner], at offset `at` along the middle
 * dim (concat), or with `reverse` copies that block of out back into x (concat's backward, pad's backward).
 */
export function blockCopyKernel(
  x: TypedArray, outer: number, n: number, inner: number,
  out: TypedArray, total: number, at: number, reverse: boolean,
): void {
  const len = n * inner;
  for (let o = 0; o < outer; o++) {
    const src = o * len;
    const dst = (o * total + at) * inner;
    if (reverse) x.set(out.subarray(dst, dst + len), src);
    else out.set(x.subarray(src, src + len), dst);
  }
}

/**
 * Constant padding: writes x (shape `shape`) into out (shape `outShape`, pre-filled with the pad value) with
 * `before[d]` elements of padding before each dim d; with `reverse`, reads that window of out back into x.
 */
export function padKernel(
  x: TypedArray, shape: readonly number[], out: TypedArray, outShape: readonly number[],
  before: readonly number[], reverse: boolean,
): void {
  const nd = shape.length;
  if (x.length === 0) return;
  const outStrides = new Array<number>(nd);
  let s = 1;
  for (let d = nd - 1; d >= 0; d--) {
    outStrides[d] = s;
    s *= outShape[d];
  }
  let j = 0;
  for (let d = 0; d < nd; d++) j += before[d] * outStrides[d];
  const index = new Array<number>(nd).fill(0);
  for (let i = 0; i < x.length; i++) {
    if (reverse) x[i] = out[j];
    else out[j] = x[i];
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        j += outStrides[d];
        break;
      }
      index[d] = 0;
      j -= outStrides[d] * (shape[d] - 1);
    }
  }
}
