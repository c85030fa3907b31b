/**
 * Reduction kernels. A reduction over any set of dims first merges neighbouring dims that are both reduced or both
 * kept (coalesceDims), so every reduction becomes alternating reduced/kept blocks, and then walks the input once in
 * row-major order, one innermost block at a time:
 * - innermost block reduced (a sum over the last dim, over everything, or over [N, C, H·W]'s H·W): the run is summed
 *   in a local (a double, so float32 data loses less to rounding) and added to its one output slot;
 * - innermost block kept (a sum over the leading dims, as a bias gradient [N, M] → [M]): the run is added
 *   elementwise into a run of the output.
 * Only between runs does an odometer step the outer dims. Single-dim reductions (argmax, logSoftmax) view the input
 * as [outer, n, inner].
 */
import type { TypedArray } from '../dtype.js';
import { coalesceDims } from './elementwise.js';

/** `out[j] += x[i]` where j follows `outStrides` (0 along reduced dims) while i walks `shape`. `out` starts zeroed. */
export function sumKernel(x: TypedArray, shape: readonly number[], outStrides: readonly number[], out: TypedArray): void {
  const total = x.length;
  if (total === 0) return;
  const xStrides = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    xStrides[d] = s;
    s *= shape[d];
  }
  const { shape: dims, strides: [, os] } = coalesceDims(shape, [xStrides, outStrides]);
  const nd = dims.length;
  const inner = nd - 1;
  const len = dims[inner];
  const step = os[inner];
  const index = new Array<number>(nd).fill(0);
  let j = 0;
  for (let i = 0; i < total;) {
    if (step === 0) {
      let s = 0;
      const end = i + len;
      for (; i < end; i++) s += x[i];
      out[j] += s;
    } else {
      for (let k = 0, o = j; k < len; k++, i++, o += step) out[o] += x[i];
    }
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < dims[d]) {
        j += os[d];
        break;
      }
      index[d] = 0;
      j -= os[d] * (dims[d] - 1);
    }
  }
}

/**
 * For each (outer, inner) position, the index along the middle dim of the largest (`sign` 1) or smallest (`sign`
 * -1) value of `x` viewed as [outer, n, inner]; the first one wins ties, and a NaN wins over numbers (as PyTorch).
 */
export function argReduceKernel(x: TypedArray, outer: number, n: number, inner: number, sign: 1 | -1, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let best = 0;
      let bestValue = x[base] * sign;
      for (let i = 1; i < n && bestValue === bestValue; i++) {
        const v = x[base + i * inner] * sign;
        if (v > bestValue || v !== v) {
          best = i;
          bestValue = v;
        }
      }
      out[o * inner + k] = best;
    }
  }
}

/**
 * log-softmax along the middle dim of [outer, n, inner].
 * NOTE: subtracting the maximum before exponentiating keeps exp() from overflowing (log-sum-exp), so large logits
 * give finite results and very negative ones give large negative numbers, never -Infinity from exp underflow alone.
 */
export function logSoftmaxKernel(x: TypedArray, outer: number, n: number, inner: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const base = o * n * inner + k;
      let max = -Infinity;
      for (let i = 0; i < n; i++) max = Math.max(max, x[base + i * inner]);
      if (max === -Infinity) max = 0;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += Math.exp(x[base + i * inner] - max);
      // NOTE: (x − max) − log Σ, not x − (max + log Σ): the shifted logits are exact, so the result does not carry
      // the rounding of a large max (at logits near 1e6 the other order loses ~4e-12 in float64)
      const logSum = Math.log(sum);
      for (let i = 0; i < n; i++) out[base + i * inner] = x[base + i * inner] - max - logSum;
    }
  }
}
