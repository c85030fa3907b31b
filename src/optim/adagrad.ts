/**
 * Adagrad, as PyTorch's torch.optim.Adagrad: the gradient divided by the root of the sum of all its squares so far,
 * with an optional decaying learning rate and L2 weight decay.
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { Optimizer, type ParamGroupInput, resolveOptions, zerosFor } from './optimizer.js';
import { checkBoolean, checkNumber } from '../checks.js';

/**
 * The hyperparameters of {@link Adagrad} (PyTorch's names, camelCased).
 * @example `new optim.Adagrad([zeros([1]).requiresGrad_()]).paramGroups[0].lr  // 0.01`
 */
export interface AdagradHyperparameters {
  /** Learning rate γ (default 1e-2). */
  lr: number;
  /** Learning-rate decay η: step t uses γ / (1 + (t − 1)·η) (default 0). */
  lrDecay: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** The starting value of the sum of squares (default 0). */
  initialAccumulatorValue: number;
  /** ε added to the denominator (default 1e-10). */
  eps: number;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * Options of {@link Adagrad}: any hyperparameter, the others taking their defaults.
 * @example `new optim.Adagrad([zeros([1]).requiresGrad_()], { lr: 0.1, initialAccumulatorValue: 0.1 }).paramGroups[0].initialAccumulatorValue  // 0.1`
 */
export type AdagradOptions = Partial<AdagradHyperparameters>;

/**
 * The state of one parameter under {@link Adagrad}.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.Adagrad([w], { lr: 0.1 });
 * w.mul(2).sum().backward();
 * opt.step();
 * opt.state.get(w)!.sum; // [4]: the sum of g²
 * ```
 */
export interface AdagradState {
  /** Steps taken, t. */
  step: number;
  /** The running sum of squared gradients (starting at initialAccumulatorValue). */
  sum: TypedArray;
}

const DEFAULTS: AdagradHyperparameters = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

/**
 * One Adagrad step on `param`, in place, as PyTorch computes it (the sum starts at the initial accumulator value):
 *
 * ```text
 * t ← t + 1
 * g ← −∇ if maximize else ∇
 * γ̃ ← γ / (1 + (t − 1)·η)
 * if λ ≠ 0:  g ← g + λ·θ
 * sum ← sum + g²
 * θ ← θ − γ̃·g / (√sum + ε)
 * ```
 * @example
 * ```ts
 * import { optim } from 'tapegrad';
 * const theta = new Float64Array([1]);
 * const state = { step: 0, sum: new Float64Array([0]) };
 * optim.adagradUpdate(theta, new Float64Array([4]), state, { lr: 0.1, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false });
 * // sum = 16, so theta is now about 1 − 0.1·4/4 = 0.9
 * ```
 */
export function adagradUpdate(param: TypedArray, grad: TypedArray, state: AdagradState, h: AdagradHyperparameters): void {
  const { lr, lrDecay, weightDecay, eps, maximize } = h;
  const t = (state.step += 1);
  const clr = lr / (1 + (t - 1) * lrDecay);
  const { sum } = state;
  const n = param.length;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    sum[i] += g * g;
    param[i] -= clr * (g / (Math.sqrt(sum[i]) + eps));
  }
}

/**
 * Adagrad (Duchi et al.): per-coordinate steps that shrink as squared gradients accumulate. The update rule is
 * {@link adagradUpdate}. (PyTorch creates the state in the constructor; here, as for the other optimizers, on a
 * parameter's first step — the values are the same.)
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(3, 1);
 * const opt = new optim.Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 * opt.zeroGrad();
 * model.forward(randn([4, 3])).square().mean().backward();
 * opt.step();
 * ```
 */
export class Adagrad extends Optimizer<AdagradHyperparameters, AdagradState> {
  constructor(params: Tensor[] | Array<ParamGroupInput<AdagradHyperparameters>>, options: AdagradOptions = {}) {
    super(params, resolveOptions('Adagrad', DEFAULTS, options));
  }

  override get name(): string {
    return 'Adagrad';
  }

  protected override checkHyperparameters(h: AdagradHyperparameters): void {
    checkNumber('Adagrad', 'lr', h.lr);
    checkNumber('Adagrad', 'lrDecay', h.lrDecay);
    checkNumber('Adagrad', 'weightDecay', h.weightDecay);
    checkNumber('Adagrad', 'initialAccumulatorValue', h.initialAccumulatorValue);
    checkNumber('Adagrad', 'eps', h.eps);
    checkBoolean('Adagrad', 'maximize', h.maximize);
  }

  protected override initState(param: Tensor, group: AdagradHyperparameters): AdagradState {
    return { step: 0, sum: zerosFor(param).fill(group.initialAccumulatorValue) };
  }

  protected override update(param: TypedArray, grad: TypedArray, state: AdagradState, group: AdagradHyperparameters): void {
    adagradUpdate(param, grad, state, group);
  }
}
