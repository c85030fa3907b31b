/**
 * Adam and AdamW, as PyTorch's torch.optim.Adam (weight decay as an L2 term added to the gradient) and
 * torch.optim.AdamW (decoupled weight decay, applied to the parameter before the Adam step).
 * @module
 */
import type { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { Optimizer, type ParamGroupInput, lerp, resolveOptions, zerosFor } from './optimizer.js';
import { checkBoolean, checkNumber, describe } from '../checks.js';

/**
 * The hyperparameters of {@link Adam} and {@link AdamW} (PyTorch's names, camelCased).
 * @example `new optim.Adam([zeros([1]).requiresGrad_()]).paramGroups[0].eps  // 1e-8`
 */
export interface AdamHyperparameters {
  /** Learning rate γ (default 1e-3). */
  lr: number;
  /** Decay rates [β₁, β₂] of the first and second moment estimates (default [0.9, 0.999]); each in [0, 1). */
  betas: [number, number];
  /** ε added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay λ: an L2 term for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant: the maximum of the second moments so far (default false). */
  amsgrad: boolean;
  /** Maximise the objective instead of minimising it (default false). */
  maximize: boolean;
  /**
   * Divide the moment estimates by 1 − β₁ᵗ and 1 − β₂ᵗ (default true, as Kingma & Ba and PyTorch do). False gives
   * the uncorrected step γ·m / (√v + ε), whose early steps are off by those factors; an option for comparing the
   * two (PyTorch has no such switch).
   */
  biasCorrection: boolean;
}

/**
 * Options of {@link Adam} and {@link AdamW}: any hyperparameter, the others taking their defaults.
 * @example `new optim.AdamW([zeros([1]).requiresGrad_()], { lr: 1e-3, betas: [0.9, 0.99], weightDecay: 0.05 }).paramGroups[0].weightDecay  // 0.05`
 */
export type AdamOptions = Partial<AdamHyperparameters>;

/**
 * The state of one parameter under {@link Adam}/{@link AdamW}.
 * @example
 * ```ts
 * import { optim, tensor } from 'tapegrad';
 * const w = tensor([1], { requiresGrad: true });
 * const opt = new optim.Adam([w], { lr: 0.1 });
 * w.mul(2).sum().backward();
 * opt.step();
 * opt.state.get(w)!.step; // 1
 * opt.state.get(w)!.expAvg; // [0.2]: (1 − β₁)·g
 * ```
 */
export interface AdamState {
  /** Steps taken, t. */
  step: number;
  /** First moment estimate m. */
  expAvg: TypedArray;
  /** Second moment estimate v. */
  expAvgSq: TypedArray;
  /** AMSGrad's running maximum of v (null without amsgrad). */
  maxExpAvgSq: TypedArray | null;
}

const ADAM_DEFAULTS: AdamHyperparameters = {
  lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, biasCorrection: true,
};
const ADAMW_DEFAULTS: AdamHyperparameters = { ...ADAM_DEFAULTS, betas: [0.9, 0.999], weightDecay: 1e-2 };

/**
 * One Adam step on `param`, in place, as PyTorch computes it (m, v and t live in `state`; t starts at 0):
 *
 * ```text
 * t ← t + 1
 * g ← −∇ if maximize else ∇
 * if λ ≠ 0:  g ← g + λ·θ                       (L2 penalty)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * m̂ ← m / (1 − β₁ᵗ)
 * if amsgrad:  v_max ← max(v_max, v);  v̂ ← v_max / (1 − β₂ᵗ)
 * else:        v̂ ← v / (1 − β₂ᵗ)
 * θ ← θ − γ·m̂ / (√v̂ + ε)
 * ```
 * With `biasCorrection: false`, m̂ = m and v̂ = v (or v_max). (AMSGrad keeps the maximum of the uncorrected v and corrects it afterwards, as PyTorch's code does; older
 * versions of its documentation wrote the maximum of the corrected v̂.) On the first step m̂ = g and v̂ = g², so
 * each parameter moves by about γ against the sign of its gradient.
 * @example
 * ```ts
 * import { optim } from 'tapegrad';
 * const theta = new Float64Array([1, -1]);
 * const state = { step: 0, expAvg: new Float64Array(2), expAvgSq: new Float64Array(2), maxExpAvgSq: null };
 * optim.adamUpdate(theta, new Float64Array([3, -0.2]), state, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, biasCorrection: true });
 * // theta is now about [0.9, -0.9]
 * ```
 */
export function adamUpdate(param: TypedArray, grad: TypedArray, state: AdamState, h: AdamHyperparameters): void {
  adamStep(param, grad, state, h, false);
}

/**
 * One AdamW step on `param`, in place, as PyTorch computes it: Adam without the L2 term, after a decoupled decay
 * of the parameter itself:
 *
 * ```text
 * t ← t + 1
 * g ← −∇ if maximize else ∇
 * θ ← θ − γ·λ·θ                                 (decoupled weight decay)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * m̂ ← m / (1 − β₁ᵗ)
 * if amsgrad:  v_max ← max(v_max, v);  v̂ ← v_max / (1 − β₂ᵗ)
 * else:        v̂ ← v / (1 − β₂ᵗ)
 * θ ← θ − γ·m̂ / (√v̂ + ε)
 * ```
 * With `biasCorrection: false`, m̂ = m and v̂ = v (or v_max).
 * @example
 * ```ts
 * import { optim } from 'tapegrad';
 * const theta = new Float64Array([1]);
 * const state = { step: 0, expAvg: new Float64Array(1), expAvgSq: new Float64Array(1), maxExpAvgSq: null };
 * optim.adamwUpdate(theta, new Float64Array([0.5]), state, { lr: 0.1, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0.01, amsgrad: false, maximize: false, biasCorrection: true });
 * // theta is now about 1·(1 − 0.001) − 0.1 = 0.899
 * ```
 */
export function adamwUpdate(param: TypedArray, grad: TypedArray, state: AdamState, h: AdamHyperparameters): void {
  adamStep(param, grad, state, h, true);
}

function adamStep(param: TypedArray, grad: TypedArray, state: AdamState, h: AdamHyperparameters, decoupled: boolean): void {
  const { lr, eps, weightDecay, amsgrad, maximize, biasCorrection } = h;
  const [beta1, beta2] = h.betas;
  const t = (state.step += 1);
  const { expAvg, expAvgSq } = state;
  const maxExpAvgSq = amsgrad ? (state.maxExpAvgSq ??= zerosFor(param)) : null;
  const stepSize = biasCorrection ? lr / (1 - beta1 ** t) : lr;
  const bias2Sqrt = biasCorrection ? Math.sqrt(1 - beta2 ** t) : 1;
  const decay = 1 - lr * weightDecay;
  const l2 = decoupled ? 0 : weightDecay;
  const n = param.length;
  for (let i = 0; i < n; i++) {
    let g = maximize ? -grad[i] : grad[i];
    if (decoupled && weightDecay !== 0) param[i] *= decay;
    if (l2 !== 0) g += l2 * param[i];
    // NOTE: PyTorch updates m with lerp(m, g, 1 − β₁); the same value, rounded as its kernel rounds it.
    expAvg[i] = lerp(expAvg[i], g, 1 - beta1);
    expAvgSq[i] = expAvgSq[i] * beta2 + (1 - beta2) * g * g;
    let v = expAvgSq[i];
    if (maxExpAvgSq !== null) {
      maxExpAvgSq[i] = Math.max(maxExpAvgSq[i], v);
      v = maxExpAvgSq[i];
    }
    const denom = Math.sqrt(v) / bias2Sqrt + eps;
    param[i] -= stepSize * (expAvg[i] / denom);
  }
}

function checkAdam(name: string, h: AdamHyperparameters): void {
  checkNumber(name, 'lr', h.lr);
  if (!Array.isArray(h.betas) || h.betas.length !== 2) throw new TypeError(`${name}: betas must be a pair [β₁, β₂], got ${describe(h.betas)}`);
  checkNumber(name, 'betas[0]', h.betas[0], { max: 1, maxExclusive: true });
  checkNumber(name, 'betas[1]', h.betas[1], { max: 1, maxExclusive: true });
  checkNumber(name, 'eps', h.eps);
  checkNumber(name, 'weightDecay', h.weightDecay);
  checkBoolean(name, 'amsgrad', h.amsgrad);
  checkBoolean(name, 'maximize', h.maximize);
  checkBoolean(name, 'biasCorrection', h.biasCorrection);
}

function initAdamState(param: Tensor, group: AdamHyperparameters): AdamState {
  return { step: 0, expAvg: zerosFor(param), expAvgSq: zerosFor(param), maxExpAvgSq: group.amsgrad ? zerosFor(param) : null };
}

/**
 * Adam (Kingma & Ba), with bias-corrected moment estimates, optional AMSGrad, and weight decay as an L2 term added
 * to the gradient (PyTorch's Adam). The update rule is {@link adamUpdate}; for decoupled weight decay use
 * {@link AdamW}.
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(3, 1);
 * const opt = new optim.Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 * opt.zeroGrad();
 * model.forward(randn([4, 3])).square().mean().backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamHyperparameters, AdamState> {
  constructor(params: Tensor[] | Array<ParamGroupInput<AdamHyperparameters>>, options: AdamOptions = {}) {
    super(params, resolveOptions('Adam', ADAM_DEFAULTS, options));
  }

  override get name(): string {
    return 'Adam';
  }

  protected override checkHyperparameters(h: AdamHyperparameters): void {
    checkAdam(this.name, h);
  }

  protected override initState(param: Tensor, group: AdamHyperparameters): AdamState {
    return initAdamState(param, group);
  }

  protected override update(param: TypedArray, grad: TypedArray, state: AdamState, group: AdamHyperparameters): void {
    adamUpdate(param, grad, state, group);
  }
}

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, θ ← θ − γ·λ·θ before the Adam step instead of an
 * L2 term in the gradient; weightDecay defaults to 1e-2. The update rule is {@link adamwUpdate}.
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(3, 1);
 * const opt = new optim.AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * opt.zeroGrad();
 * model.forward(randn([4, 3])).square().mean().backward();
 * opt.step();
 * ```
 */
export class AdamW extends Optimizer<AdamHyperparameters, AdamState> {
  constructor(params: Tensor[] | Array<ParamGroupInput<AdamHyperparameters>>, options: AdamOptions = {}) {
    super(params, resolveOptions('AdamW', ADAMW_DEFAULTS, options));
  }

  override get name(): string {
    return 'AdamW';
  }

  protected override checkHyperparameters(h: AdamHyperparameters): void {
    checkAdam(this.name, h);
  }

  protected override initState(param: Tensor, group: AdamHyperparameters): AdamState {
    return initAdamState(param, group);
  }

  protected override update(param: TypedArray, grad: TypedArray, state: AdamState, group: AdamHyperparameters): void {
    adamwUpdate(param, grad, state, group);
  }
}
