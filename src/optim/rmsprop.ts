/**
 * RMSprop, as PyTorch's torch.optim.RMSprop: the gradient divided by the root of a running mean of its square
 * (optionally centred by the running mean of the gradient), with optional momentum and L2 weight decay.
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { Optimizer, type ParamGroupInput, lerp, resolveOptions, zerosFor } from './optimizer.js';
import { checkBoolean, checkNumber } from '../checks.js';

/**
 * The hyperparameters of {@link RMSprop} (PyTorch's names, camelCased).
 * @example `new optim.RMSprop([zeros([1]).requiresGrad_()]).paramGroups[0].alpha  // 0.99`
 */
export interface RMSpropHyperparameters {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Smoothing constant α of the running means (default 0.99). */
  alpha: number;
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Momentum factor μ (default 0). */
  momentum: number;
  /** Normalise by an estimate of the gradient's variance instead of its second moment (default false). */
  centered: boolean;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * Options of {@link RMSprop}: any hyperparameter, the others taking their defaults.
 * @example `new optim.RMSprop([zeros([1]).requiresGrad_()], { lr: 0.01, centered: true }).paramGroups[0].centered  // true`
 */
export type RMSpropOptions = Partial<RMSpropHyperparameters>;

/**
 * The state of one parameter under {@link RMSprop}.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.RMSprop([w], { lr: 0.01 });
 * w.mul(2).sum().backward();
 * opt.step();
 * opt.state.get(w)!.squareAvg; // [0.04]: (1 − α)·g²
 * ```
 */
export interface RMSpropState {
  /** Steps taken. */
  step: number;
  /** Running mean of the squared gradient, v. */
  squareAvg: TypedArray;
  /** Momentum buffer b (null without momentum). */
  momentumBuffer: TypedArray | null;
  /** Running mean of the gradient, g_ave (null unless centered). */
  gradAvg: TypedArray | null;
}

const DEFAULTS: RMSpropHyperparameters = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

/**
 * One RMSprop step on `param`, in place, as PyTorch computes it:
 *
 * ```text
 * g ← −∇ if maximize else ∇
 * if λ ≠ 0:  g ← g + λ·θ
 * v ← α·v + (1 − α)·g²
 * ṽ ← v
 * if centered:  g_ave ← α·g_ave + (1 − α)·g;  ṽ ← ṽ − g_ave²
 * if μ > 0:  b ← μ·b + g / (√ṽ + ε);  θ ← θ − γ·b
 * else:      θ ← θ − γ·g / (√ṽ + ε)
 * ```
 * @example
 * ```ts
 * import { optim } from 'tapegrad';
 * const theta = new Float64Array([1]);
 * const state = { step: 0, squareAvg: new Float64Array(1), momentumBuffer: null, gradAvg: null };
 * optim.rmspropUpdate(theta, new Float64Array([2]), state, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
 * // v = 0.01·4 = 0.04, so theta is now about 1 − 0.01·2/0.2 = 0.9
 * ```
 */
export function rmspropUpdate(param: TypedArray, grad: TypedArray, state: RMSpropState, h: RMSpropHyperparameters): void {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = h;
  state.step += 1;
  const { squareAvg } = state;
  const gradAvg = centered ? (state.gradAvg ??= zerosFor(param)) : null;
  const buf = momentum > 0 ? (state.momentumBuffer ??= zerosFor(param)) : null;
  const n = param.length;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    squareAvg[i] = squareAvg[i] * alpha + (1 - alpha) * g * g;
    let avg: number;
    if (gradAvg !== null) {
      gradAvg[i] = lerp(gradAvg[i], g, 1 - alpha);
      avg = Math.sqrt(squareAvg[i] - gradAvg[i] * gradAvg[i]) + eps;
    } else {
      avg = Math.sqrt(squareAvg[i]) + eps;
    }
    if (buf !== null) {
      buf[i] = buf[i] * momentum + g / avg;
      param[i] -= lr * buf[i];
    } else {
      param[i] -= lr * (g / avg);
    }
  }
}

/**
 * RMSprop (Hinton), centred as in Graves (2013) when asked, with PyTorch's conventions (the root is taken before
 * ε is added). The update rule is {@link rmspropUpdate}.
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(3, 1);
 * const opt = new optim.RMSprop(model.parameters(), { lr: 1e-2, momentum: 0.9, centered: true });
 * opt.zeroGrad();
 * model.forward(randn([4, 3])).square().mean().backward();
 * opt.step();
 * ```
 */
export class RMSprop extends Optimizer<RMSpropHyperparameters, RMSpropState> {
  constructor(params: Tensor[] | Array<ParamGroupInput<RMSpropHyperparameters>>, options: RMSpropOptions = {}) {
    super(params, resolveOptions('RMSprop', DEFAULTS, options));
  }

  override get name(): string {
    return 'RMSprop';
  }

  protected override checkHyperparameters(h: RMSpropHyperparameters): void {
    checkNumber('RMSprop', 'lr', h.lr);
    // NOTE: PyTorch checks only alpha ≥ 0; above 1 the running means diverge, so they are refused here.
    checkNumber('RMSprop', 'alpha', h.alpha, { max: 1 });
    checkNumber('RMSprop', 'eps', h.eps);
    checkNumber('RMSprop', 'weightDecay', h.weightDecay);
    checkNumber('RMSprop', 'momentum', h.momentum);
    checkBoolean('RMSprop', 'centered', h.centered);
    checkBoolean('RMSprop', 'maximize', h.maximize);
  }

  protected override initState(param: Tensor, group: RMSpropHyperparameters): RMSpropState {
    return {
      step: 0,
      squareAvg: zerosFor(param),
      momentumBuffer: group.momentum > 0 ? zerosFor(param) : null,
      gradAvg: group.centered ? zerosFor(param) : null,
    };
  }

  protected override update(param: TypedArray, grad: TypedArray, state: RMSpropState, group: RMSpropHyperparameters): void {
    rmspropUpdate(param, grad, state, group);
  }
}
