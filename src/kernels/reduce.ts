/**
 * Reduction kernels. A reduction over any set of dims walks the input once in row-major order and adds each value
 * into its output slot; the output offset advances by `outStrides`, which are 0 along the reduced dims. A reduction
 * over one dim views the input as [outer, n, inner].
 */
import type { TypedArray } from '../dtype.js';

/** `out[j] += x[i]` where j follows `outStrides` (0 along reduced dims) while i walks `shape`. `out` starts zeroed. */
export function sumKernel(x: TypedArray, shape: readonly number[], outStrides: readonly number[], out: TypedArray): void {
  const nd = shape.length;
  const index = new Array<number>(nd).fill(0);
  let j = 0;
  for (let i = 0; i < x.length; i++) {
    out[j] += x[i];
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
      const logSum = max + Math.log(sum);
      for (let i = 0; i < n; i++) out[base + i * inner] = x[base + i * inner] - logSum;
    }
  }
}
