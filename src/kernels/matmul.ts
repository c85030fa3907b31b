/**
 * Matrix product kernel: out (m×n) = op(A)·op(B), where op(A) is A (m×k, row-major) or, with `transA`, the
 * transpose of a stored k×m matrix, and likewise for B. The transposed variants read their operand in place, so the
 * backward of matmul (dA = dY·Bᵀ, dB = Aᵀ·dY) needs no transpose copies.
 *
 * Loop order i-p-j for the plain case keeps the innermost loop streaming along rows of B and out (unit stride);
 * this is the simple correct version, a later pass adds register blocking.
 */
import type { TypedArray } from '../dtype.js';

export function matmulKernel(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean,
): void {
  // Element (i, p) of op(A) and (p, j) of op(B), as strides into the stored arrays.
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  const bRow = transB ? 1 : n;
  const bCol = transB ? k : 1;
  out.fill(0, oOff, oOff + m * n);
  for (let i = 0; i < m; i++) {
    const o = oOff + i * n;
    for (let p = 0; p < k; p++) {
      const av = a[aOff + i * aRow + p * aCol];
      const bBase = bOff + p * bRow;
      for (let j = 0; j < n; j++) out[o + j] += av * b[bBase + j * bCol];
    }
  }
}
