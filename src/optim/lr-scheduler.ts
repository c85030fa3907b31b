/**
 * Learning-rate schedulers, as PyTorch's torch.optim.lr_scheduler: each sets `lr` in the optimizer's parameter
 * groups. Make the scheduler after the optimizer, call `optimizer.step()` for each batch and `scheduler.step()` once
 * per epoch (ReduceLROnPlateau, in reduce-lr-on-plateau.ts: `scheduler.step(validationLoss)`).
 *
 * Like PyTorch's `step()`, the schedulers compute each learning rate from the group's current one (the "chainable"
 * form), so the lr that a checkpoint restores into the optimizer is where they continue from; without outside
 * changes this equals the closed form given in each class's documentation.
 * @module
 */
import type { Optimizer } from './optimizer.js';
import { checkNumber, checkOptionKeys, describe } from '../checks.js';
import { checkInteger, checkKeys, checkLrList, checkOptimizer } from './scheduler-checks.js';

/**
 * A JSON value: what scheduler state dicts are made of.
 * @example `JSON.stringify(new optim.ExponentialLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 0.5).stateDict())  // '{"gamma":0.5,"lastEpoch":0,"baseLrs":[1],"lastLr":[1]}'`
 */
export type JsonValue = number | string | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A scheduler's saved state: plain JSON (its counters, base learning rates and configuration).
 * @example `new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 3).stateDict().stepSize  // 3`
 */
export type SchedulerStateDict = { [key: string]: JsonValue };

/**
 * The base of the epoch-driven schedulers (PyTorch's LRScheduler). A subclass validates its configuration, gives
 * the chainable learning rates of the current epoch in `getLr()`, and calls `initialStep()` at the end of its
 * constructor (which, as PyTorch's, takes the step to epoch 0).
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * class HalveEveryEpoch extends optim.LRScheduler {
 *   constructor(optimizer: optim.Optimizer) { super(optimizer); this.initialStep(); }
 *   protected getLr(): number[] {
 *     return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr / 2));
 *   }
 *   protected config(): optim.SchedulerStateDict { return {}; }
 *   protected parseConfig(): optim.SchedulerStateDict { return {}; }
 * }
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
 * const scheduler = new HalveEveryEpoch(opt);
 * scheduler.step();
 * scheduler.getLastLr(); // [0.5]
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer;
  /**
   * Each group's learning rate when the scheduler was made. (PyTorch also stores it in the group as `initial_lr`,
   * which a second scheduler on the same optimizer then reuses; here groups hold only their hyperparameters, so a
   * checkpoint's optimizer dict stays the optimizer's own.)
   */
  baseLrs: number[];
  /** The epoch count: 0 after construction, +1 per step(). */
  lastEpoch = -1;
  private lastLr: number[] = [];

  constructor(optimizer: Optimizer) {
    this.optimizer = checkOptimizer(this.name, optimizer);
    this.baseLrs = optimizer.paramGroups.map((g) => g.lr);
  }

  /**
   * The scheduler's name, used in error messages. Subclasses override it.
   * @example `new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 2).name  // 'StepLR'`
   */
  get name(): string {
    return 'LRScheduler';
  }

  /** Each group's learning rate for epoch `lastEpoch`, from the group's current `lr` (PyTorch's get_lr). */
  protected abstract getLr(): number[];

  /** The scheduler's configuration (saved in the state dict). */
  protected abstract config(): SchedulerStateDict;

  /**
   * Checks a configuration read from a state dict (throwing a RangeError/TypeError naming the scheduler, the
   * setting and the value) and returns it normalised; loadStateDict then assigns it to the scheduler's fields.
   */
  protected abstract parseConfig(config: Record<string, unknown>): SchedulerStateDict;

  /** Takes the scheduler to epoch 0, as PyTorch's constructor does; subclasses call it last in their constructor. */
  protected initialStep(): void {
    this.step();
  }

  /**
   * Advances one epoch and sets each group's `lr`. Call it after the epoch's `optimizer.step()` calls.
   * @example `(() => { const s = new optim.ExponentialLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 0.5); s.step(); return s.getLastLr(); })()  // [0.5]`
   */
  step(): void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw new RangeError(`${this.name}: the optimizer has ${groups.length} parameter groups but the scheduler was made for ${this.baseLrs.length}`);
    }
    this.lastEpoch += 1;
    const lrs = this.getLr();
    groups.forEach((group, i) => {
      group.lr = lrs[i];
    });
    this.lastLr = lrs.slice();
  }

  /**
   * The learning rates the last step() set, one per parameter group.
   * @example `new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 2).getLastLr()  // [1]`
   */
  getLastLr(): number[] {
    return this.lastLr.slice();
  }

  /**
   * The scheduler's state (epoch count, base and last learning rates, configuration), as JSON.
   * @example `new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 2).stateDict().lastEpoch  // 0`
   */
  stateDict(): SchedulerStateDict {
    return { ...this.config(), lastEpoch: this.lastEpoch, baseLrs: this.baseLrs.slice(), lastLr: this.lastLr.slice() };
  }

  /**
   * Restores a state saved by {@link LRScheduler.stateDict}. Everything is checked before anything is written. The
   * groups' learning rates are not touched: they come back with the optimizer's own state dict.
   * @example `(() => { const s = new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 2); s.loadStateDict({ ...s.stateDict(), lastEpoch: 5 }); return s.lastEpoch; })()  // 5`
   */
  loadStateDict(dict: SchedulerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    const keys = Object.keys(this.stateDict());
    checkKeys(where, dict, keys);
    const { lastEpoch, baseLrs, lastLr, ...config } = dict;
    const groups = this.optimizer.paramGroups.length;
    const epoch = checkInteger(where, 'lastEpoch', lastEpoch, 0);
    const base = checkLrList(where, 'baseLrs', baseLrs, groups);
    const last = checkLrList(where, 'lastLr', lastLr, groups);
    const parsed = this.parseConfig(config);
    Object.assign(this, parsed);
    this.lastEpoch = epoch;
    this.baseLrs = base;
    this.lastLr = last;
  }
}

/**
 * Options of {@link StepLR}.
 * @example `new optim.StepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 10, { gamma: 0.5 }).gamma  // 0.5`
 */
export interface StepLROptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` epochs: lr = base · γ^⌊epoch / stepSize⌋.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new optim.StepLR(opt, 30, { gamma: 0.1 });   // 0.1 for epochs 0-29, 0.01 for 30-59, ...
 * for (let epoch = 0; epoch < 3; epoch++) { opt.step(); scheduler.step(); }
 * ```
 */
export class StepLR extends LRScheduler {
  /** Epochs between decays. */
  stepSize!: number;
  /** Decay factor. */
  gamma!: number;

  constructor(optimizer: Optimizer, stepSize: number, options: StepLROptions = {}) {
    super(optimizer);
    checkOptionKeys('StepLR', options, ['gamma']);
    Object.assign(this, this.parseConfig({ stepSize, gamma: options.gamma ?? 0.1 }));
    this.initialStep();
  }

  override get name(): string {
    return 'StepLR';
  }

  protected override getLr(): number[] {
    const decay = this.lastEpoch !== 0 && this.lastEpoch % this.stepSize === 0;
    return this.optimizer.paramGroups.map((g) => (decay ? g.lr * this.gamma : g.lr));
  }

  protected override config(): SchedulerStateDict {
    return { stepSize: this.stepSize, gamma: this.gamma };
  }

  protected override parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    return { stepSize: checkInteger('StepLR', 'stepSize', c.stepSize, 1), gamma: checkNumber('StepLR', 'gamma', c.gamma) };
  }
}

/**
 * Options of {@link MultiStepLR}.
 * @example `new optim.MultiStepLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), [5, 10], { gamma: 0.2 }).gamma  // 0.2`
 */
export interface MultiStepLROptions {
  /** Multiplicative factor of the decay (default 0.1). */
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` at each milestone epoch: lr = base · γ^(number of milestones ≤
 * epoch). A milestone listed twice decays twice.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new optim.MultiStepLR(opt, [30, 80], { gamma: 0.1 }); // 0.1, then 0.01 from 30, 0.001 from 80
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** The epochs at which the learning rate decays, sorted. */
  milestones!: number[];
  /** Decay factor. */
  gamma!: number;

  constructor(optimizer: Optimizer, milestones: number[], options: MultiStepLROptions = {}) {
    super(optimizer);
    checkOptionKeys('MultiStepLR', options, ['gamma']);
    Object.assign(this, this.parseConfig({ milestones, gamma: options.gamma ?? 0.1 }));
    this.initialStep();
  }

  override get name(): string {
    return 'MultiStepLR';
  }

  protected override getLr(): number[] {
    let count = 0;
    for (const m of this.milestones) if (m === this.lastEpoch) count++;
    return this.optimizer.paramGroups.map((g) => (count === 0 ? g.lr : g.lr * this.gamma ** count));
  }

  protected override config(): SchedulerStateDict {
    return { milestones: this.milestones.slice(), gamma: this.gamma };
  }

  protected override parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    if (!Array.isArray(c.milestones)) throw new TypeError(`MultiStepLR: milestones must be an array of epochs, got ${describe(c.milestones)}`);
    const milestones = c.milestones.map((m: unknown, i) => checkInteger('MultiStepLR', `milestones[${i}]`, m, 0)).sort((a, b) => a - b);
    return { milestones, gamma: checkNumber('MultiStepLR', 'gamma', c.gamma) };
  }
}

/**
 * Multiplies each group's learning rate by `gamma` every epoch: lr = base · γ^epoch.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new optim.ExponentialLR(opt, 0.9);
 * scheduler.step();
 * scheduler.getLastLr(); // [0.09]
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** Decay factor per epoch. */
  gamma!: number;

  constructor(optimizer: Optimizer, gamma: number) {
    super(optimizer);
    Object.assign(this, this.parseConfig({ gamma }));
    this.initialStep();
  }

  override get name(): string {
    return 'ExponentialLR';
  }

  protected override getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => (this.lastEpoch === 0 ? g.lr : g.lr * this.gamma));
  }

  protected override config(): SchedulerStateDict {
    return { gamma: this.gamma };
  }

  protected override parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    return { gamma: checkNumber('ExponentialLR', 'gamma', c.gamma) };
  }
}

/**
 * Options of {@link CosineAnnealingLR}.
 * @example `new optim.CosineAnnealingLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), 10, { etaMin: 0.01 }).etaMin  // 0.01`
 */
export interface CosineAnnealingLROptions {
  /** The minimum learning rate η_min (default 0). */
  etaMin?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its base value down to `etaMin` over `tMax` epochs (SGDR
 * without restarts): lr = η_min + (base − η_min)·(1 + cos(π·epoch / tMax)) / 2. As PyTorch's, past tMax the
 * cosine carries on, back up towards the base value.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
 * const scheduler = new optim.CosineAnnealingLR(opt, 10, { etaMin: 0.001 });
 * for (let epoch = 0; epoch < 10; epoch++) scheduler.step();
 * scheduler.getLastLr(); // about [0.001]
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half-period of the cosine, in epochs. */
  tMax!: number;
  /** The minimum learning rate. */
  etaMin!: number;

  constructor(optimizer: Optimizer, tMax: number, options: CosineAnnealingLROptions = {}) {
    super(optimizer);
    checkOptionKeys('CosineAnnealingLR', options, ['etaMin']);
    Object.assign(this, this.parseConfig({ tMax, etaMin: options.etaMin ?? 0 }));
    this.initialStep();
  }

  override get name(): string {
    return 'CosineAnnealingLR';
  }

  protected override getLr(): number[] {
    const { lastEpoch: t, tMax, etaMin } = this;
    return this.optimizer.paramGroups.map((g, i) => {
      if (t === 0) return g.lr;
      // NOTE: at the bottom of the cosine the ratio below divides by zero; PyTorch steps additively there.
      if ((t - 1 - tMax) % (2 * tMax) === 0) return g.lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
      return ((1 + Math.cos((Math.PI * t) / tMax)) / (1 + Math.cos((Math.PI * (t - 1)) / tMax))) * (g.lr - etaMin) + etaMin;
    });
  }

  protected override config(): SchedulerStateDict {
    return { tMax: this.tMax, etaMin: this.etaMin };
  }

  protected override parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    return { tMax: checkInteger('CosineAnnealingLR', 'tMax', c.tMax, 1), etaMin: checkNumber('CosineAnnealingLR', 'etaMin', c.etaMin) };
  }
}

/**
 * Options of {@link LinearLR}.
 * @example `new optim.LinearLR(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }), { startFactor: 0.5, totalIters: 4 }).getLastLr()  // [0.5]`
 */
export interface LinearLROptions {
  /** The factor at epoch 0 (default 1/3), in (0, 1]. */
  startFactor?: number;
  /** The factor from `totalIters` on (default 1), in [0, 1]. */
  endFactor?: number;
  /** Epochs over which the factor goes from startFactor to endFactor (default 5). */
  totalIters?: number;
}

/**
 * Scales each group's learning rate by a factor that goes linearly from `startFactor` to `endFactor` over
 * `totalIters` epochs (a warm-up, with the defaults): lr = base·(start + (end − start)·min(epoch, totalIters) /
 * totalIters). Making the scheduler already multiplies the learning rate by startFactor.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const opt = new optim.SGD([tensor([1], { requiresGrad: true })], { lr: 0.3 });
 * const scheduler = new optim.LinearLR(opt, { startFactor: 1 / 3, totalIters: 2 });
 * scheduler.getLastLr(); // about [0.1]
 * scheduler.step(); scheduler.step();
 * scheduler.getLastLr(); // about [0.3]
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The factor at epoch 0. */
  startFactor!: number;
  /** The factor from totalIters on. */
  endFactor!: number;
  /** Length of the ramp, in epochs. */
  totalIters!: number;

  constructor(optimizer: Optimizer, options: LinearLROptions = {}) {
    super(optimizer);
    checkOptionKeys('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    Object.assign(this, this.parseConfig({ startFactor, endFactor, totalIters }));
    this.initialStep();
  }

  override get name(): string {
    return 'LinearLR';
  }

  protected override getLr(): number[] {
    const { lastEpoch: t, startFactor: s, endFactor: e, totalIters: n } = this;
    return this.optimizer.paramGroups.map((g) => {
      if (t === 0) return g.lr * s;
      if (t > n) return g.lr;
      return g.lr * (1 + (e - s) / (n * s + (t - 1) * (e - s)));
    });
  }

  protected override config(): SchedulerStateDict {
    return { startFactor: this.startFactor, endFactor: this.endFactor, totalIters: this.totalIters };
  }

  protected override parseConfig(c: Record<string, unknown>): SchedulerStateDict {
    return {
      startFactor: checkNumber('LinearLR', 'startFactor', c.startFactor, { min: 0, minExclusive: true, max: 1 }),
      endFactor: checkNumber('LinearLR', 'endFactor', c.endFactor, { max: 1 }),
      totalIters: checkInteger('LinearLR', 'totalIters', c.totalIters, 1),
    };
  }
}
