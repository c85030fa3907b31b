/**
 * Loss kernels. Cross-entropy from logits views the logits as [outer, C, inner] (batch, classes, spatial positions)
 * and walks each (outer, inner) position's C logits: the log-softmax, the loss at the target class, and the gradient
 * of that loss with respect to the C logits come out of the same few passes.
 */
import type { TypedArray } from '../dtype.js';

/**
 * Per-position softmax cross-entropy with class-index targets, as PyTorch's cross_entropy with reduction 'none':
 *
 *   loss = (1 − ε)·w_t·(−log p_t) + (ε/C)·Σ_c w_c·(−log p_c),   p = softmax(x) over the C logits
 *
 * (w_c = 1 without weights; 0 where the target equals `ignoreIndex`). When `grad` is given it receives
 * d loss / d x_c = (1 − ε)·w_t·(p_c − [c = t]) + (ε/C)·(W·p_c − w_c), W = Σ_c w_c, at the logits' positions.
 * Targets must already be checked (integers in [0, C) or `ignoreIndex`).
 *
 * NOTE: log p_c is x_c − (m + ln Σ e^(x − m)) with m the maximum (log-sum-exp), never ln(p_c): a logit far below the
 * others gives a large negative log-probability instead of ln(0) = −∞, so logits 1e4 apart stay finite. The
 * smoothing sum is skipped when ε = 0, so a −∞ logit outside the target does not turn 0·∞ into NaN.
 */
export function softmaxCrossEntropyKernel(
  x: TypedArray, outer: number, c: number, inner: number,
  target: ArrayLike<number>, ignoreIndex: number, weight: ArrayLike<number> | null, labelSmoothing: number,
  loss: TypedArray, grad: TypedArray | null,
): void {
  let weightSum = c;
  if (weight !== null) {
    weightSum = 0;
    for (let i = 0; i < c; i++) weightSum += weight[i];
  }
  const smooth = labelSmoothing / c;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < inner; k++) {
      const pos = o * inner + k;
      const base = o * c * inner + k;
      const t = target[pos];
      if (t === ignoreIndex) {
        loss[pos] = 0;
        if (grad !== null) for (let i = 0; i < c; i++) grad[base + i * inner] = 0;
        continue;
      }
      let max = -Infinity;
      for (let i = 0; i < c; i++) max = Math.max(max, x[base + i * inner]);
      if (max === -Infinity) max = 0;
      let sum = 0;
      for (let i = 0; i < c; i++) {
        const e = Math.exp(x[base + i * inner] - max);
        sum += e;
        // The unnormalised probabilities wait in grad until the sum is known.
        if (grad !== null) grad[base + i * inner] = e;
      }
      // log p_i = (x_i − max) − log Σ, shifted first as in logSoftmaxKernel (a large max would round x − log Z)
      const logSum = Math.log(sum);
      const a = (1 - labelSmoothing) * (weight === null ? 1 : weight[t]);
      let value = -a * (x[base + t * inner] - max - logSum);
      if (smooth !== 0) {
        let s = 0;
        for (let i = 0; i < c; i++) s -= (weight === null ? 1 : weight[i]) * (x[base + i * inner] - max - logSum);
        value += smooth * s;
      }
      loss[pos] = value;
      if (grad !== null) {
        for (let i = 0; i < c; i++) {
          const at = base + i * inner;
          const p = grad[at] / sum;
          const w = weight === null ? 1 : weight[i];
          grad[at] = a * p + smooth * (weightSum * p - w) - (i === t ? a : 0);
        }
      }
    }
  }
}

/** `out[o, i, k] = dy[o, k] · g[o, i, k]` for g viewed as [outer, c, inner]: each position's gradient scaled by its dy. */
export function scaleAlongKernel(g: TypedArray, outer: number, c: number, inner: number, dy: TypedArray, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < c; i++) {
      const row = (o * c + i) * inner;
      const dyRow = o * inner;
      for (let k = 0; k < inner; k++) out[row + k] = dy[dyRow + k] * g[row + k];
    }
  }
}
