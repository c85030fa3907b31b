/**
 * Batch-normalisation kernels. The input is viewed as [outer, channels, inner] (N, C and the product of the spatial
 * dims), and every statistic is per channel, over outer × inner values. Sums run in doubles whatever the storage,
 * so float32 batches lose nothing to accumulation.
 */
import type { TypedArray } from '../dtype.js';

/**
 * Per-channel mean and biased variance (Σ(x − mean)² / count) of `x` viewed as [outer, channels, inner].
 * NOTE: two passes (mean first, then squared deviations) instead of E[x²] − E[x]², which cancels catastrophically
 * when the mean is large compared to the spread.
 */
export function channelMomentsKernel(
  x: TypedArray, outer: number, channels: number, inner: number, mean: Float64Array, variance: Float64Array,
): void {
  const count = outer * inner;
  for (let c = 0; c < channels; c++) {
    let s = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let k = 0; k < inner; k++) s += x[base + k];
    }
    const m = s / count;
    let ss = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let k = 0; k < inner; k++) {
        const d = x[base + k] - m;
        ss += d * d;
      }
    }
    mean[c] = m;
    variance[c] = ss / count;
  }
}

/** `out = (x − mean[c]) · invStd[c] · weight[c] + bias[c]`, weight 1 and bias 0 where null. */
export function batchNormForwardKernel(
  x: TypedArray, outer: number, channels: number, inner: number,
  mean: Float64Array, invStd: Float64Array, weight: TypedArray | null, bias: TypedArray | null, out: TypedArray,
): void {
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const scale = invStd[c] * (weight === null ? 1 : weight[c]);
    const shift = bias === null ? 0 : bias[c];
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let k = 0; k < inner; k++) out[base + k] = (x[base + k] - m) * scale + shift;
    }
  }
}

/**
 * The gradients of training-mode batch normalisation, where mean and invStd are the batch's own statistics. With
 * x̂ = (x − mean)·invStd and n = outer·inner values per channel:
 *   dweight[c] = Σ dy·x̂,   dbias[c] = Σ dy,   dx = weight·invStd/n · (n·dy − Σdy − x̂·Σ(dy·x̂)).
 * x̂ is recomputed from x rather than stored, so the forward keeps only two numbers per channel. Outputs given as
 * null are skipped; the others are overwritten.
 */
export function batchNormBackwardKernel(
  dy: TypedArray, x: TypedArray, outer: number, channels: number, inner: number,
  mean: Float64Array, invStd: Float64Array, weight: TypedArray | null,
  dx: TypedArray | null, dweight: TypedArray | null, dbias: TypedArray | null,
): void {
  const n = outer * inner;
  for (let c = 0; c < channels; c++) {
    const m = mean[c];
    const is = invStd[c];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let k = 0; k < inner; k++) {
        const g = dy[base + k];
        sumDy += g;
        sumDyXhat += g * (x[base + k] - m) * is;
      }
    }
    if (dweight !== null) dweight[c] = sumDyXhat;
    if (dbias !== null) dbias[c] = sumDy;
    if (dx === null) continue;
    const scale = ((weight === null ? 1 : weight[c]) * is) / n;
    for (let o = 0; o < outer; o++) {
      const base = (o * channels + c) * inner;
      for (let k = 0; k < inner; k++) {
        const xhat = (x[base + k] - m) * is;
        dx[base + k] = scale * (n * dy[base + k] - sumDy - xhat * sumDyXhat);
      }
    }
  }
}

/**
 * In-place running-statistics update with PyTorch's momentum convention:
 * `running = (1 − momentum)·running + momentum·batch`, where the variance fed in is the unbiased one.
 */
export function runningStatsKernel(
  runningMean: TypedArray, runningVar: TypedArray, mean: Float64Array, unbiasedVar: Float64Array, momentum: number,
): void {
  for (let c = 0; c < runningMean.length; c++) {
    runningMean[c] = (1 - momentum) * runningMean[c] + momentum * mean[c];
    runningVar[c] = (1 - momentum) * runningVar[c] + momentum * unbiasedVar[c];
  }
}
