/**
 * Elementwise kernels: plain loops over typed arrays. Broadcasting is done by strides: an operand's stride is 0
 * along every dimension it is broadcast in, so one odometer walk over the output reads every operand in place,
 * with no expanded copies. Equal shapes take a straight loop.
 */
import type { TypedArray } from '../dtype.js';

/** `out[i] = f(x[i])`. */
export function mapKernel(x: TypedArray, out: TypedArray, f: (v: number) => number): void {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
}

/**
 * `out[i] = f(a[ia], b[ib])` over `outShape`, where ia and ib advance by `aStrides` and `bStrides` (0 along a
 * broadcast dimension).
 */
export function binaryKernel(
  a: TypedArray, aStrides: readonly number[],
  b: TypedArray, bStrides: readonly number[],
  out: TypedArray, outShape: readonly number[],
  f: (x: number, y: number) => number,
): void {
  const n = out.length;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    return;
  }
  if (b.length === 1 && a.length === n) {
    const s = b[0];
    for (let i = 0; i < n; i++) out[i] = f(a[i], s);
    return;
  }
  if (a.length === 1 && b.length === n) {
    const s = a[0];
    for (let i = 0; i < n; i++) out[i] = f(s, b[i]);
    return;
  }
  const nd = outShape.length;
  const index = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < n; i++) {
    out[i] = f(a[ia], b[ib]);
    // Odometer step: bump the last dim, carrying into earlier ones.
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) {
        ia += aStrides[d];
        ib += bStrides[d];
        break;
      }
      index[d] = 0;
      ia -= aStrides[d] * (outShape[d] - 1);
      ib -= bStrides[d] * (outShape[d] - 1);
    }
  }
}

/** `out[i] = cond[ic] !== 0 ? a[ia] : b[ib]`, each operand read through its (broadcast) strides. */
export function whereKernel(
  cond: TypedArray, cStrides: readonly number[],
  a: TypedArray, aStrides: readonly number[],
  b: TypedArray, bStrides: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const nd = outShape.length;
  const index = new Array<number>(nd).fill(0);
  let ic = 0;
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = cond[ic] !== 0 ? a[ia] : b[ib];
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) {
        ic += cStrides[d];
        ia += aStrides[d];
        ib += bStrides[d];
        break;
      }
      index[d] = 0;
      ic -= cStrides[d] * (outShape[d] - 1);
      ia -= aStrides[d] * (outShape[d] - 1);
      ib -= bStrides[d] * (outShape[d] - 1);
    }
  }
}

/** Copies x, read through broadcast strides `xStrides`, into `out` of shape `outShape` (broadcastTo's forward). */
export function expandKernel(x: TypedArray, xStrides: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  const nd = outShape.length;
  const index = new Array<number>(nd).fill(0);
  let j = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = x[j];
    for (let d = nd - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) {
        j += xStrides[d];
        break;
      }
      index[d] = 0;
      j -= xStrides[d] * (outShape[d] - 1);
    }
  }
}
