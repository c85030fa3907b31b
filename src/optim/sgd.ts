/**
 * SGD: stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay and
 * maximisation, as PyTorch's torch.optim.SGD.
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { Optimizer, type ParamGroupInput, resolveOptions, zerosFor } from './optimizer.js';
import { checkBoolean, checkNumber } from '../checks.js';

/**
 * The hyperparameters of {@link SGD} (PyTorch's names, camelCased).
 * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).paramGroups[0].nesterov  // false`
 */
export interface SGDHyperparameters {
  /** Learning rate γ (default 1e-3, as PyTorch 2.x). */
  lr: number;
  /** Momentum factor μ (default 0: plain SGD). */
  momentum: number;
  /** Dampening τ of the momentum (default 0). */
  dampening: number;
  /** L2 penalty λ added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: boolean;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
}

/**
 * Options of {@link SGD}: any hyperparameter, the others taking their defaults.
 * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 0.1, momentum: 0.9, nesterov: true }).paramGroups[0].nesterov  // true`
 */
export type SGDOptions = Partial<SGDHyperparameters>;

/**
 * The state of one parameter under {@link SGD}: the momentum buffer b, null until the first step with momentum.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.SGD([w], { lr: 0.1, momentum: 0.9 });
 * w.mul(2).sum().backward();
 * opt.step();
 * opt.state.get(w)!.momentumBuffer; // [2]: the first buffer is the gradient
 * ```
 */
export interface SGDState {
  /** The momentum buffer b of the parameter (null until the first step with momentum). */
  momentumBuffer: TypedArray | null;
}

const DEFAULTS: SGDHyperparameters = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

/**
 * One SGD step on `param`, in place, as PyTorch 2.x computes it:
 *
 * ```text
 * g ← −∇ if maximize else ∇
 * if λ ≠ 0:  g ← g + λ·θ
 * if μ ≠ 0:
 *   b ← g                      on the first step
 *   b ← μ·b + (1 − τ)·g        afterwards
 *   g ← g + μ·b  if nesterov,  else  g ← b
 * θ ← θ − γ·g
 * ```
 * (PyTorch's documentation writes maximize as θ ← θ + γ·g at the end; its code, followed here, negates the
 * gradient first, so that weight decay still pulls θ towards zero when maximising.)
 * @example
 * ```ts
 * import { optim } from 'tapegrad';
 * const theta = new Float64Array([1, 2]);
 * const state = { momentumBuffer: null };
 * optim.sgdUpdate(theta, new Float64Array([0.5, -1]), state, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false });
 * // theta is now [0.95, 2.1]
 * ```
 */
export function sgdUpdate(param: TypedArray, grad: TypedArray, state: SGDState, h: SGDHyperparameters): void {
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = h;
  const n = param.length;
  if (momentum === 0) {
    for (let i = 0; i < n; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g += weightDecay * param[i];
      param[i] -= lr * g;
    }
    return;
  }
  const first = state.momentumBuffer === null;
  const buf = state.momentumBuffer ?? (state.momentumBuffer = zerosFor(param));
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (weightDecay !== 0) g += weightDecay * param[i];
    buf[i] = first ? g : momentum * buf[i] + (1 - dampening) * g;
    // NOTE: read back from the buffer, so a float32 run uses the rounded value as PyTorch does.
    param[i] -= lr * (nesterov ? g + momentum * buf[i] : buf[i]);
  }
}

function checkSGD(h: SGDHyperparameters): void {
  checkNumber('SGD', 'lr', h.lr);
  checkNumber('SGD', 'momentum', h.momentum);
  // NOTE: PyTorch does not range-check dampening; outside [0, 1] it would flip or amplify the gradient's share.
  checkNumber('SGD', 'dampening', h.dampening, { max: 1 });
  checkNumber('SGD', 'weightDecay', h.weightDecay);
  checkBoolean('SGD', 'nesterov', h.nesterov);
  checkBoolean('SGD', 'maximize', h.maximize);
  if (h.nesterov && (h.momentum <= 0 || h.dampening !== 0)) {
    throw new RangeError(`SGD: nesterov requires momentum > 0 and dampening 0, got momentum ${h.momentum} and dampening ${h.dampening}`);
  }
}

/**
 * Stochastic gradient descent, optionally with momentum (PyTorch's form: b ← μ·b + (1 − τ)·g, θ ← θ − γ·b),
 * Nesterov momentum and L2 weight decay. The update rule is {@link sgdUpdate}.
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(3, 1);
 * const opt = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.zeroGrad();
 * model.forward(randn([4, 3])).square().mean().backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDHyperparameters, SGDState> {
  constructor(params: Tensor[] | Array<ParamGroupInput<SGDHyperparameters>>, options: SGDOptions = {}) {
    super(params, resolveOptions('SGD', DEFAULTS, options));
  }

  override get name(): string {
    return 'SGD';
  }

  protected override checkHyperparameters(h: SGDHyperparameters): void {
    checkSGD(h);
  }

  protected override initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected override update(param: TypedArray, grad: TypedArray, state: SGDState, group: SGDHyperparameters): void {
    sgdUpdate(param, grad, state, group);
  }
}
