/**
 * ReduceLROnPlateau, as PyTorch's torch.optim.lr_scheduler.ReduceLROnPlateau: driven by a metric rather than by the
 * epoch count, so it does not extend LRScheduler, the base of the epoch-driven schedulers in lr-scheduler.ts.
 * @module
 */
import { Tensor } from '../tensor.js';
import type { Optimizer } from './optimizer.js';
import { checkNumber, checkOptionKeys, describe } from '../checks.js';
import type { SchedulerStateDict } from './lr-scheduler.js';
import { checkInteger, checkKeys, checkLrList, checkOptimizer } from './scheduler-checks.js';

/**
 * Options of {@link ReduceLROnPlateau} (PyTorch's names, camelCased).
 * @example `new optim.ReduceLROnPlateau(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), { mode: 'max', patience: 0 }).mode  // 'max'`
 */
export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should go down (a loss); 'max': up (an accuracy). */
  mode?: 'min' | 'max';
  /** Factor by which the learning rate is reduced (default 0.1), in [0, 1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better a metric must be to count as an improvement (default 1e-4). */
  threshold?: number;
  /** 'rel' (default): better than best·(1 ∓ threshold); 'abs': better than best ∓ threshold. */
  thresholdMode?: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** Lower bound of the learning rate: one for all groups or one per group (default 0). */
  minLr?: number | number[];
  /** A reduction smaller than this is not applied (default 1e-8). */
  eps?: number;
}

/**
 * Reduces the learning rate when a metric has stopped improving: after more than `patience` epochs without an
 * improvement (beyond `threshold`), each group's lr becomes max(lr·factor, minLr) — unless that changes it by no
 * more than `eps` — and `cooldown` epochs follow in which bad epochs are not counted. Call `step(metric)` once per
 * epoch with the validation loss (or accuracy, with mode 'max').
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new optim.ReduceLROnPlateau(opt, { patience: 2 });
 * for (const loss of [1, 0.9, 0.9, 0.9, 0.9]) scheduler.step(loss);
 * scheduler.getLastLr(); // about [0.01]: three epochs without improvement exceeded the patience of 2
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;
  /** Whether the metric should go down ('min') or up ('max'). */
  mode!: 'min' | 'max';
  /** Reduction factor. */
  factor!: number;
  /** Bad epochs tolerated. */
  patience!: number;
  /** Improvement threshold. */
  threshold!: number;
  /** 'rel' or 'abs' threshold. */
  thresholdMode!: 'rel' | 'abs';
  /** Epochs of cooldown after a reduction. */
  cooldown!: number;
  /** Lower bound of each group's learning rate. */
  minLrs!: number[];
  /** Smallest reduction applied. */
  eps!: number;
  /** The best metric so far (±Infinity before the first). */
  best: number;
  /** Consecutive epochs without improvement. */
  numBadEpochs = 0;
  /** Epochs of cooldown left. */
  cooldownCounter = 0;
  /** Epochs stepped. */
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: Optimizer, options: ReduceLROnPlateauOptions = {}) {
    this.optimizer = checkOptimizer('ReduceLROnPlateau', optimizer);
    checkOptionKeys('ReduceLROnPlateau', options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    const groups = optimizer.paramGroups.length;
    const minLrs = typeof minLr === 'number' ? new Array<number>(groups).fill(minLr) : minLr;
    Object.assign(this, this.parseConfig({ mode, factor, patience, threshold, thresholdMode, cooldown, minLrs, eps }));
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** The scheduler's name, used in error messages. */
  get name(): string {
    return 'ReduceLROnPlateau';
  }

  private worst(): number {
    return this.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, thresholdMode, threshold } = this;
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the learning rates if it is time. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new TypeError(`ReduceLROnPlateau.step: the metric must be a number or a one-element tensor, got ${describe(metric)}`);
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      throw new RangeError(`ReduceLROnPlateau: the optimizer has ${groups.length} parameter groups but the scheduler was made for ${this.minLrs.length}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      // Bad epochs during the cooldown are not counted.
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      groups.forEach((group, i) => {
        const newLr = Math.max(group.lr * this.factor, this.minLrs[i]);
        if (group.lr - newLr > this.eps) group.lr = newLr;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The learning rates after the last step(), one per parameter group. */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /**
   * The scheduler's state as JSON. An infinite `best` (before the first metric) is written as the string
   * 'Infinity' or '-Infinity', which JSON cannot hold as a number.
   */
  stateDict(): SchedulerStateDict {
    const best = Number.isFinite(this.best) ? this.best : String(this.best);
    return {
      ...this.config(),
      best, numBadEpochs: this.numBadEpochs, cooldownCounter: this.cooldownCounter, lastEpoch: this.lastEpoch, lastLr: this.lastLr.slice(),
    };
  }

  /** Restores a state saved by {@link ReduceLROnPlateau.stateDict}; everything is checked before anything is written. */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = 'ReduceLROnPlateau.loadStateDict';
    checkKeys(where, dict, Object.keys(this.stateDict()));
    const { best, numBadEpochs, cooldownCounter, lastEpoch, lastLr, ...config } = dict;
    const parsed = this.parseConfig(config);
    if (best !== 'Infinity' && best !== '-Infinity' && typeof best !== 'number') {
      throw new TypeError(`${where}: best must be a number, 'Infinity' or '-Infinity', got ${describe(best)}`);
    }
    // No metric is ever better than NaN, so a NaN best would stop the scheduler for good.
    if (Number.isNaN(best)) throw new RangeError(`${where}: best must be a number other than NaN (±Infinity before the first metric), got NaN`);
    const counters = {
      numBadEpochs: checkInteger(where, 'numBadEpochs', numBadEpochs, 0),
      cooldownCounter: checkInteger(where, 'cooldownCounter', cooldownCounter, 0),
      lastEpoch: checkInteger(where, 'lastEpoch', lastEpoch, 0),
    };
    const last = checkLrList(where, 'lastLr', lastLr, this.optimizer.paramGroups.length);
    Object.assign(this, parsed, counters);
    this.best = Number(best);
    this.lastLr = last;
  }

  private config(): SchedulerStateDict {
    const { mode, factor, patience, threshold, thresholdMode, cooldown, eps } = this;
    return { mode, factor, patience, threshold, thresholdMode, cooldown, minLrs: this.minLrs.slice(), eps };
  }

  private parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    const owner = 'ReduceLROnPlateau';
    if (c.mode !== 'min' && c.mode !== 'max') throw new RangeError(`${owner}: mode must be 'min' or 'max', got ${describe(c.mode)}`);
    if (c.thresholdMode !== 'rel' && c.thresholdMode !== 'abs') {
      throw new RangeError(`${owner}: thresholdMode must be 'rel' or 'abs', got ${describe(c.thresholdMode)}`);
    }
    return {
      mode: c.mode,
      // NOTE: PyTorch only requires factor < 1; a negative factor would make negative learning rates.
      factor: checkNumber(owner, 'factor', c.factor, { max: 1, maxExclusive: true }),
      patience: checkInteger(owner, 'patience', c.patience, 0),
      threshold: checkNumber(owner, 'threshold', c.threshold),
      thresholdMode: c.thresholdMode,
      cooldown: checkInteger(owner, 'cooldown', c.cooldown, 0),
      minLrs: checkLrList(owner, 'minLr', c.minLrs, this.optimizer.paramGroups.length),
      eps: checkNumber(owner, 'eps', c.eps),
    };
  }
}
