/**
 * BatchNorm1d and BatchNorm2d, as PyTorch's: batch statistics in training (biased variance for normalising,
 * unbiased for the running estimate), running statistics in eval, a learned per-channel scale and shift.
 * @module
 */
import type { Tensor } from '../../tensor.js';
import { full } from '../../creation.js';
import { type DType, DEFAULT_DTYPE, checkDType } from '../../dtype.js';
import { ShapeError } from '../../errors.js';
import { formatShape } from '../../shape.js';
import { batchNorm } from '../../ops/norm.js';
import { LAYER_DEVICE_UNSUPPORTED, checkBoolean, checkOptionKeys, describe } from '../../checks.js';
import { Buffer, Module, Parameter } from '../module.js';

/**
 * Options of {@link BatchNorm1d} and {@link BatchNorm2d}; the defaults are PyTorch's.
 * @example `new nn.BatchNorm1d(4, { affine: false }).numParameters()  // 0`
 */
export interface BatchNormLayerOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /**
   * Weight of each new batch in the running statistics, running = (1 − momentum)·running + momentum·batch
   * (default 0.1); null for a cumulative average over every batch seen (momentum 1/numBatchesTracked).
   */
  momentum?: number | null;
  /** Learn a per-channel scale (weight, ones) and shift (bias, zeros) (default true). */
  affine?: boolean;
  /**
   * Keep running mean and variance for eval (default true). Without them the layer normalises with the batch's
   * statistics in eval too.
   */
  trackRunningStats?: boolean;
  /** dtype of the parameters and buffers (default float32). */
  dtype?: DType;
}

/**
 * What BatchNorm1d and BatchNorm2d share (PyTorch's `_BatchNorm`); they differ only in the input ranks they accept.
 * @example
 * ```ts
 * import { nn } from 'tapegrad';
 * const bn: nn.BatchNormBase = new nn.BatchNorm2d(8);
 * bn.runningMean!.toArray(); // eight zeros
 * ```
 */
export abstract class BatchNormBase extends Module {
  /** The number of features (channels) C. */
  readonly numFeatures: number;
  /** Added to the variance before the square root. */
  readonly eps: number;
  /** The weight of a new batch in the running statistics, or null for a cumulative average. */
  readonly momentum: number | null;
  /** Whether the layer has a learned scale and shift. */
  readonly affine: boolean;
  /** Whether running statistics are kept (and used in eval mode). */
  readonly trackRunningStats: boolean;
  // Declared in PyTorch's state-dict order: weight, bias, running_mean, running_var, num_batches_tracked.
  /** The per-channel scale γ ([numFeatures], ones), or null without affine. */
  weight: Parameter | null;
  /** The per-channel shift β ([numFeatures], zeros), or null without affine. */
  bias: Parameter | null;
  /** The running mean ([numFeatures], zeros), or null without trackRunningStats. */
  runningMean: Buffer | null;
  /** The running (unbiased) variance ([numFeatures], ones), or null without trackRunningStats. */
  runningVar: Buffer | null;
  /**
   * How many training batches have updated the running statistics (a scalar), or null without trackRunningStats.
   * NOTE: float64 whatever the layer's dtype: it is a counter (PyTorch's is int64), and float32 would stop counting
   * exactly at 2²⁴ batches.
   */
  numBatchesTracked: Buffer | null;

  /**
   * 'BatchNorm1d' or 'BatchNorm2d' (each subclass states its own), for describe() and messages: stated rather than
   * read from the class, which a minified bundle renames.
   */
  protected get layerName(): string {
    return 'BatchNorm';
  }

  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super();
    const who = this.layerName;
    if (typeof numFeatures !== 'number' || !Number.isInteger(numFeatures) || numFeatures <= 0) {
      throw new RangeError(`${who}: numFeatures must be a positive integer, got ${describe(numFeatures)}`);
    }
    checkOptionKeys(who, options, ['eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'], LAYER_DEVICE_UNSUPPORTED);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
      throw new RangeError(`${who}: eps must be a finite number ≥ 0, got ${describe(eps)}`);
    }
    if (momentum !== null && (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))) {
      throw new RangeError(`${who}: momentum must be a number in [0, 1] or null, got ${describe(momentum)}`);
    }
    checkBoolean(who, 'affine', affine);
    checkBoolean(who, 'trackRunningStats', trackRunningStats);
    const dtype = options.dtype === undefined ? DEFAULT_DTYPE : checkDType(options.dtype, who);
    this.numFeatures = numFeatures;
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
    this.weight = affine ? new Parameter(full([numFeatures], 1, { dtype })) : null;
    this.bias = affine ? new Parameter(full([numFeatures], 0, { dtype })) : null;
    this.runningMean = trackRunningStats ? new Buffer(full([numFeatures], 0, { dtype })) : null;
    this.runningVar = trackRunningStats ? new Buffer(full([numFeatures], 1, { dtype })) : null;
    this.numBatchesTracked = trackRunningStats ? new Buffer(full([], 0, { dtype: 'float64' })) : null;
  }

  /** Throws a ShapeError unless `x` has a rank this layer accepts. */
  protected abstract checkRank(x: Tensor): void;

  /** Running mean back to zeros, running variance to ones, the batch count to 0. */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    this.numBatchesTracked?.data.fill(0);
  }

  /** Resets the running statistics, and the weight to ones and the bias to zeros (PyTorch's initialisation). */
  resetParameters(): void {
    this.resetRunningStats();
    this.weight?.data.fill(1);
    this.bias?.data.fill(0);
  }

  forward(x: Tensor): Tensor {
    const who = this.layerName;
    this.checkRank(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(`${who}: the input ${formatShape(x.shape)} has ${x.shape[1]} channels (dim 1), but the layer has numFeatures ${this.numFeatures}`);
    }
    const count = this.numBatchesTracked;
    const updating = this.training && count !== null;
    // momentum null: the new batch weighs 1/(batches so far, this one included), a cumulative average.
    const momentum = this.momentum ?? (updating ? 1 / (count.data[0] + 1) : 0);
    const y = batchNorm(x, this.runningMean, this.runningVar, this.weight, this.bias, {
      // Without running statistics there is nothing else to normalise with, in eval too (as PyTorch).
      training: this.training || this.runningMean === null,
      momentum,
      eps: this.eps,
    });
    if (updating) count.data[0] += 1;
    return y;
  }

  override describe(): string {
    const extras = [
      `eps: ${this.eps}`,
      `momentum: ${this.momentum}`,
      this.affine ? '' : 'affine: false',
      this.trackRunningStats ? '' : 'trackRunningStats: false',
    ].filter(Boolean);
    return `${this.layerName}(${this.numFeatures}, ${extras.join(', ')})`;
  }
}

/**
 * Batch normalisation of (N, C) or (N, C, L) inputs over the batch (and length) dims, per feature C.
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * const bn = new nn.BatchNorm1d(16);
 * bn.forward(randn([32, 16])).shape;      // [32, 16]; bn.runningMean moved 10% toward the batch mean
 * bn.eval().forward(randn([4, 16, 5]));   // eval: normalised with the running statistics
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  protected override get layerName(): string {
    return 'BatchNorm1d';
  }

  protected checkRank(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) {
      throw new ShapeError(`BatchNorm1d: expected a 2-D (N, C) or 3-D (N, C, L) input, got ${x.ndim}-D ${formatShape(x.shape)}`);
    }
  }
}

/**
 * Batch normalisation of (N, C, H, W) inputs over N, H and W, per channel C.
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * const bn = new nn.BatchNorm2d(8);
 * bn.forward(randn([4, 8, 6, 6])).shape;  // [4, 8, 6, 6]
 * bn.numBatchesTracked!.item();          // 1
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  protected override get layerName(): string {
    return 'BatchNorm2d';
  }

  protected checkRank(x: Tensor): void {
    if (x.ndim !== 4) {
      throw new ShapeError(`BatchNorm2d: expected a 4-D (N, C, H, W) input, got ${x.ndim}-D ${formatShape(x.shape)}`);
    }
  }
}
