/**
 * Batch normalisation, with PyTorch's `F.batch_norm` semantics. Channels are dim 1; statistics are taken over every
 * other dim. Training mode is one fused op whose backward goes through the batch statistics; eval mode, which only
 * applies fixed per-channel statistics, is composed from elementwise ops.
 * @module
 */
import { Tensor } from '../tensor.js';
import { defineOp } from './define.js';
import { reshape } from './movement.js';
import { empty } from '../creation.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';
import {
  batchNormBackwardKernel, batchNormForwardKernel, channelMomentsKernel, runningStatsKernel,
} from '../kernels/norm.js';

/**
 * Options of {@link batchNorm}; the defaults are PyTorch's.
 * @example `batchNorm(tensor([[1], [3]]), zeros([1]), ones([1]), null, null, { training: true, momentum: 0.1, eps: 0 })  // [[-1], [1]]`
 */
export interface BatchNormOptions {
  /**
   * Normalise with the batch's statistics and update the running ones (true), or normalise with the running
   * statistics (false, the default, as `F.batch_norm`).
   */
  training?: boolean;
  /** Weight of the new batch in the running statistics: running = (1 − momentum)·running + momentum·batch (0.1). */
  momentum?: number;
  /** Added to the variance before the square root (1e-5). */
  eps?: number;
}

interface TrainAttrs {
  /** Per-channel batch mean and 1/√(biased variance + eps), computed once by batchNorm. */
  mean: Float64Array;
  invStd: Float64Array;
  hasWeight: boolean;
  hasBias: boolean;
}

/** [outer, channels, inner] of an (N, C, ...) input. */
function layout(x: Tensor): [number, number, number] {
  const inner = x.shape.slice(2).reduce((p, s) => p * s, 1);
  return [x.shape[0], x.shape[1], inner];
}

/** Inputs are [x, weight?, bias?]; which of the optional ones are present is in the attrs. */
const batchNormTrain = defineOp<Tensor[], TrainAttrs, undefined>({
  name: 'batchNorm',
  forward: (inputs, { mean, invStd, hasWeight, hasBias }) => {
    const x = inputs[0];
    const weight = hasWeight ? inputs[1] : null;
    const bias = hasBias ? inputs[hasWeight ? 2 : 1] : null;
    const [outer, channels, inner] = layout(x);
    const out = empty(x.shape, x.dtype);
    batchNormForwardKernel(x.data, outer, channels, inner, mean, invStd, weight?.data ?? null, bias?.data ?? null, out.data);
    return out;
  },
  // d batchNorm, x̂ = (x − μ)/σ, n values per channel: dx = γ/σ·(dy − Σdy/n − x̂·Σ(dy·x̂)/n), dγ = Σ dy·x̂, dβ = Σ dy
  backward: (dy, { inputs, attrs: { mean, invStd, hasWeight, hasBias }, needsInputGrad }) => {
    const x = inputs[0];
    const weight = hasWeight ? inputs[1] : null;
    const [outer, channels, inner] = layout(x);
    const wantWeight = hasWeight && needsInputGrad[1];
    const wantBias = hasBias && needsInputGrad[hasWeight ? 2 : 1];
    const dx = needsInputGrad[0] ? empty(x.shape, x.dtype) : null;
    const dweight = wantWeight ? empty([channels], x.dtype) : null;
    const dbias = wantBias ? empty([channels], x.dtype) : null;
    batchNormBackwardKernel(dy.data, x.data, outer, channels, inner, mean, invStd, weight?.data ?? null,
      dx?.data ?? null, dweight?.data ?? null, dbias?.data ?? null);
    const grads: Array<Tensor | null> = [dx];
    if (hasWeight) grads.push(dweight);
    if (hasBias) grads.push(dbias);
    return grads;
  },
  // The rule runs kernels on raw arrays, so its results are not themselves differentiable: refusing createGraph
  // up front beats a silently wrong second derivative.
  doubleBackward: 'in training mode (the backward is a fused kernel; eval mode, with fixed statistics, is composed from ops and supports them)',
});

/** Checks that `t` is null or a [channels] tensor of x's dtype; returns it (null for undefined). */
function perChannel(t: Tensor | null | undefined, label: string, x: Tensor): Tensor | null {
  if (t === null || t === undefined) return null;
  if (!(t instanceof Tensor)) throw new TypeError(`batchNorm: ${label} must be a Tensor or null`);
  if (t.ndim !== 1 || t.shape[0] !== x.shape[1]) {
    throw new ShapeError(`batchNorm: ${label} has shape ${formatShape(t.shape)} but the input ${formatShape(x.shape)} has ${x.shape[1]} channels (dim 1): expected [${x.shape[1]}]`);
  }
  if (t.dtype !== x.dtype) {
    throw new TypeError(`batchNorm: ${label} is ${t.dtype} but the input is ${x.dtype}; convert one with .to()`);
  }
  return t;
}

/**
 * Batch normalisation over dim 1 (channels) of an (N, C), (N, C, L) or (N, C, H, W) input, as PyTorch's
 * `F.batch_norm`: y = (x − mean) / √(var + eps) · weight + bias, per channel.
 *
 * - `training: true`: mean and var are the batch's, over every dim but 1, with the biased variance
 *   (Σ(x − mean)²/n). If running statistics are given they are updated in place:
 *   running = (1 − momentum)·running + momentum·batch, with the unbiased variance (Σ(x − mean)²/(n − 1)) for
 *   runningVar. The gradient flows through the batch statistics (a fused backward). A channel needs more than one
 *   value in training mode.
 * - `training: false` (the default): mean and var are `runningMean` and `runningVar`, which are then required.
 *
 * `weight` and `bias` (shape [C]) are optional: null means 1 and 0.
 * @example
 * ```ts
 * import { batchNorm, tensor, ones, zeros } from 'tapegrad';
 * const x = tensor([[1, 10], [3, 30]]);              // N = 2, C = 2
 * const runningMean = zeros([2]), runningVar = ones([2]);
 * batchNorm(x, runningMean, runningVar, null, null, { training: true });
 * // ≈ [[-1, -1], [1, 1]]; runningMean is now [0.2, 2], runningVar [1.1, 20.9]
 * batchNorm(x, runningMean, runningVar);             // eval: uses the running statistics
 * ```
 */
export function batchNorm(
  x: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null = null,
  bias: Tensor | null = null,
  options: BatchNormOptions = {},
): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError('batchNorm: the input must be a Tensor');
  if (x.ndim < 2) {
    throw new ShapeError(`batchNorm: expected an input of shape (N, C, ...) with at least 2 dims, got ${formatShape(x.shape)}`);
  }
  const { training = false, momentum = 0.1, eps = 1e-5 } = options ?? {};
  if (typeof training !== 'boolean') throw new TypeError(`batchNorm: training must be a boolean, got ${String(training)}`);
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
    throw new RangeError(`batchNorm: momentum must be a number in [0, 1], got ${String(momentum)}`);
  }
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new RangeError(`batchNorm: eps must be a finite number ≥ 0, got ${String(eps)}`);
  }
  const rm = perChannel(runningMean, 'runningMean', x);
  const rv = perChannel(runningVar, 'runningVar', x);
  const w = perChannel(weight, 'weight', x);
  const b = perChannel(bias, 'bias', x);
  if ((rm === null) !== (rv === null)) {
    throw new TypeError('batchNorm: give both runningMean and runningVar, or neither');
  }

  if (!training) {
    if (rm === null || rv === null) {
      throw new TypeError('batchNorm: runningMean and runningVar are required when training is false (or pass training: true to use batch statistics)');
    }
    // Fixed statistics make this plain elementwise arithmetic, so composing ops gives the gradient (also with
    // respect to the running statistics, and to any order).
    const view = [1, x.shape[1], ...x.shape.slice(2).map(() => 1)];
    let y = x.sub(reshape(rm, view)).div(reshape(rv, view).add(eps).sqrt());
    if (w !== null) y = y.mul(reshape(w, view));
    if (b !== null) y = y.add(reshape(b, view));
    return y;
  }

  const [outer, channels, inner] = layout(x);
  const n = outer * inner;
  if (n <= 1) {
    throw new ShapeError(`batchNorm: expected more than 1 value per channel when training, got input of shape ${formatShape(x.shape)}`);
  }
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  channelMomentsKernel(x.data, outer, channels, inner, mean, variance);
  const invStd = variance.map((v) => 1 / Math.sqrt(v + eps));
  const inputs = [x, ...(w ? [w] : []), ...(b ? [b] : [])];
  const y = batchNormTrain(...inputs, { mean, invStd, hasWeight: w !== null, hasBias: b !== null });
  // The running statistics change only once the forward has succeeded, so a failing call leaves them as they were.
  // They are written straight into their storage: state, not part of any graph (as PyTorch's no-grad update).
  if (rm !== null && rv !== null) {
    runningStatsKernel(rm.data, rv.data, mean, variance.map((v) => (v * n) / (n - 1)), momentum);
  }
  return y;
}
