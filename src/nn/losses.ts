/**
 * Losses, as functions (mseLoss, crossEntropy, ...) and as modules (MSELoss, CrossEntropyLoss, ...), with PyTorch's
 * documented semantics: reduction 'mean' (default), 'sum' or 'none'; class weights, ignoreIndex and label smoothing
 * for the classification losses. Cross-entropy with class indices runs on the fused softmaxCrossEntropy op; every
 * other loss is composed from ops, so its gradient (and createGraph) comes from theirs.
 * @module
 */
import { Tensor } from '../tensor.js';
import { empty } from '../creation.js';
import { ShapeError } from '../errors.js';
import { broadcastShapes, formatShape, shapesEqual } from '../shape.js';
import { clamp } from '../ops/unary.js';
import { where } from '../ops/binary.js';
import { logSoftmax } from '../ops/activation.js';
import { gather, reshape } from '../ops/movement.js';
import { checkClassOptions, checkClassTargets, classLayout, softmaxCrossEntropy } from '../ops/loss.js';
import { Buffer, Module } from './module.js';
import { type UnsupportedOption, checkOptionKeys, describe } from '../checks.js';

/**
 * How a loss reduces its per-element values: their mean (default), their sum, or none (the values themselves).
 * @example `new nn.MSELoss({ reduction: 'none' }).forward(tensor([1, 2]), tensor([0, 0]))  // [1, 4]`
 */
export type Reduction = 'mean' | 'sum' | 'none';

/**
 * Options shared by every loss.
 * @example `new nn.L1Loss({ reduction: 'sum' }).forward(tensor([1, -2]), tensor([0, 0]))  // 3`
 */
export interface LossOptions {
  /** 'mean' (default), 'sum' or 'none'. */
  reduction?: Reduction;
}

/**
 * Options of {@link huberLoss} and {@link HuberLoss}.
 * @example `new nn.HuberLoss({ delta: 1 }).forward(tensor([3]), tensor([0]))  // 2.5: δ(|x| − δ/2)`
 */
export interface HuberLossOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear; positive (default 1). */
  delta?: number;
}

/**
 * Options of {@link nllLoss} and {@link NLLLoss}.
 * @example `new nn.NLLLoss({ ignoreIndex: -100 }).forward(tensor([[-1, -2], [-3, -4]]), tensor([1, -100]))  // 2`
 */
export interface NLLLossOptions extends LossOptions {
  /** A weight per class, shape [C] (default: all 1). */
  weight?: Tensor | null;
  /** Targets equal to it contribute nothing, neither to the loss nor to the mean's divisor (default -100). */
  ignoreIndex?: number;
}

/**
 * Options of {@link crossEntropy} and {@link CrossEntropyLoss}.
 * @example `new nn.CrossEntropyLoss({ labelSmoothing: 0.1 }).forward(tensor([[0, 0]]), tensor([0]))  // 0.6931: ln 2 for equal logits`
 */
export interface CrossEntropyLossOptions extends NLLLossOptions {
  /** ε in [0, 1]: the target is mixed with the uniform distribution, (1 − ε)·target + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * Options of {@link binaryCrossEntropy} and {@link BCELoss}.
 * @example `new nn.BCELoss({ reduction: 'sum' }).forward(tensor([0.5, 0.5]), tensor([1, 0]))  // 1.3863: 2 ln 2`
 */
export interface BCELossOptions extends LossOptions {
  /** A weight per element, broadcast to the input's shape (default: all 1). */
  weight?: Tensor | null;
}

/**
 * Options of {@link binaryCrossEntropyWithLogits} and {@link BCEWithLogitsLoss}.
 * @example `new nn.BCEWithLogitsLoss({ posWeight: tensor([2]) }).forward(tensor([0]), tensor([1]))  // 1.3863: 2 ln 2`
 */
export interface BCEWithLogitsLossOptions extends BCELossOptions {
  /** A weight of the positive term per class, broadcast along the input's last dim (default: all 1). */
  posWeight?: Tensor | null;
}

function checkReduction(name: string, reduction: unknown): Reduction {
  if (reduction !== 'mean' && reduction !== 'sum' && reduction !== 'none') {
    throw new RangeError(`${name}: reduction must be 'mean', 'sum' or 'none', got ${describe(reduction)}`);
  }
  return reduction;
}

function reduce(loss: Tensor, reduction: Reduction): Tensor {
  return reduction === 'none' ? loss : reduction === 'sum' ? loss.sum() : loss.mean();
}

/** Input and target: tensors of one shape and one dtype (the elementwise losses). */
function checkPair(name: string, input: unknown, target: unknown): asserts input is Tensor {
  if (!(input instanceof Tensor)) throw new TypeError(`${name}: input must be a Tensor`);
  if (!(target instanceof Tensor)) throw new TypeError(`${name}: target must be a Tensor`);
  // NOTE: PyTorch broadcasts a target of another shape with a warning that the result is likely wrong; a mismatch
  // here is almost always a bug (targets [N] against predictions [N, 1]), so it is an error.
  if (!shapesEqual(input.shape, target.shape)) {
    throw new ShapeError(`${name}: input ${formatShape(input.shape)} and target ${formatShape(target.shape)} must have the same shape`);
  }
  if (input.dtype !== target.dtype) {
    throw new TypeError(`${name}: input is ${input.dtype} but target is ${target.dtype}; convert one with .to()`);
  }
}

/** An optional weight broadcast to the input's shape, in the input's dtype. */
function checkBroadcastWeight(name: string, label: string, weight: Tensor | null | undefined, input: Tensor): Tensor | null {
  if (weight == null) return null;
  if (!(weight instanceof Tensor)) throw new TypeError(`${name}: ${label} must be a Tensor or null`);
  let fits = false;
  try {
    fits = shapesEqual(broadcastShapes(input.shape, weight.shape, name), input.shape);
  } catch {
    fits = false;
  }
  if (!fits) {
    throw new ShapeError(`${name}: ${label} ${formatShape(weight.shape)} does not broadcast to input ${formatShape(input.shape)}`);
  }
  return weight.to(input.dtype);
}

const REDUCTION_KEYS = ['reduction'] as const;
const HUBER_KEYS = ['reduction', 'delta'] as const;
const NLL_KEYS = ['reduction', 'weight', 'ignoreIndex'] as const;
const CROSS_ENTROPY_KEYS = [...NLL_KEYS, 'labelSmoothing'] as const;
const BCE_KEYS = ['reduction', 'weight'] as const;
const BCE_LOGITS_KEYS = [...BCE_KEYS, 'posWeight'] as const;

/** PyTorch's deprecated reduction flags, which tapegrad never had. */
const LOSS_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  sizeAverage: { harmless: (v) => v === null, hint: "deprecated in PyTorch; use reduction: 'mean', 'sum' or 'none'" },
  reduce: { harmless: (v) => v === null, hint: "deprecated in PyTorch; use reduction: 'mean', 'sum' or 'none'" },
};

/** An options object with only the `allowed` keys (a typo such as label_smoothing would be silently ignored). */
function checkOptions(name: string, options: unknown, allowed: readonly string[]): void {
  checkOptionKeys(name, options as object, allowed, LOSS_UNSUPPORTED);
}

// ---------------------------------------------------------------------------------------------------------------
// Regression losses

function mseImpl(name: string, input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  checkPair(name, input, target);
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

function l1Impl(name: string, input: Tensor, target: Tensor, reduction: Reduction): Tensor {
  checkPair(name, input, target);
  return reduce(input.sub(target).abs(), reduction);
}

function checkDelta(name: string, delta: unknown): number {
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) {
    throw new RangeError(`${name}: delta must be a finite positive number, got ${describe(delta)}`);
  }
  return delta;
}

function huberImpl(name: string, input: Tensor, target: Tensor, delta: number, reduction: Reduction): Tensor {
  checkPair(name, input, target);
  const d = input.sub(target);
  const a = d.abs();
  // 0.5·d² inside |d| < δ, δ·(|d| − δ/2) outside: the two pieces meet with equal value and slope at |d| = δ.
  const quadratic = d.mul(d).mul(0.5);
  const linear = a.sub(0.5 * delta).mul(delta);
  return reduce(where(a.lt(delta), quadratic, linear), reduction);
}

/**
 * The squared error (input − target)², reduced (PyTorch's mse_loss). Input and target have one shape.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * nn.mseLoss(tensor([1, 2, 3]), tensor([1, 0, 0])); // (0 + 4 + 9) / 3 = 4.3333
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('mseLoss', options, REDUCTION_KEYS);
  return mseImpl('mseLoss', input, target, checkReduction('mseLoss', options.reduction ?? 'mean'));
}

/**
 * The absolute error |input − target|, reduced (PyTorch's l1_loss).
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * nn.l1Loss(tensor([1, 2, 3]), tensor([1, 0, 0]), { reduction: 'sum' }); // 5
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options: LossOptions = {}): Tensor {
  checkOptions('l1Loss', options, REDUCTION_KEYS);
  return l1Impl('l1Loss', input, target, checkReduction('l1Loss', options.reduction ?? 'mean'));
}

/**
 * The Huber loss of d = input − target: 0.5·d² where |d| < delta, delta·(|d| − 0.5·delta) elsewhere, reduced
 * (PyTorch's huber_loss; delta 1 by default).
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * nn.huberLoss(tensor([0.5, 3]), tensor([0, 0]), { reduction: 'none' }); // [0.125, 2.5]
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  checkOptions('huberLoss', options, HUBER_KEYS);
  const reduction = checkReduction('huberLoss', options.reduction ?? 'mean');
  return huberImpl('huberLoss', input, target, checkDelta('huberLoss', options.delta ?? 1), reduction);
}

// ---------------------------------------------------------------------------------------------------------------
// Classification losses

/** Σ w[target] over the positions not ignored (their count without weights): the divisor of 'mean'. */
function weightTotal(target: Tensor, weight: Float64Array | null, ignoreIndex: number): number {
  let total = 0;
  for (let i = 0; i < target.size; i++) {
    const t = target.data[i];
    if (t !== ignoreIndex) total += weight === null ? 1 : weight[t];
  }
  return total;
}

function nllImpl(name: string, input: Tensor, target: Tensor, options: NLLLossOptions, reduction: Reduction): Tensor {
  const { weight = null, ignoreIndex = -100 } = options;
  checkClassTargets(name, input, target, ignoreIndex);
  const weights = checkClassOptions(name, classLayout(input.shape)[1], weight, 0);
  const classDim = input.ndim === 1 ? 0 : 1;
  // gather needs an index in range everywhere: ignored positions read class 0 and are masked out below.
  const indexShape = input.shape.map((s, d) => (d === classDim ? 1 : s));
  const index = empty(indexShape, 'float32');
  const w = empty(target.shape, input.dtype);
  const valid = empty(target.shape, input.dtype);
  for (let i = 0; i < target.size; i++) {
    const t = target.data[i];
    if (t === ignoreIndex) continue;
    index.data[i] = t;
    w.data[i] = weights === null ? 1 : weights[t];
    valid.data[i] = 1;
  }
  const picked = reshape(gather(input, classDim, index), target.shape);
  // where() rather than a product with 0, so that an ignored position's −∞ log-probability cannot make a NaN.
  const loss = where(valid, picked.mul(w).neg(), 0);
  if (reduction === 'none') return loss;
  const summed = loss.sum();
  return reduction === 'sum' ? summed : summed.div(weightTotal(target, weights, ignoreIndex));
}

function crossEntropyImpl(name: string, input: Tensor, target: Tensor, options: CrossEntropyLossOptions, reduction: Reduction): Tensor {
  const { weight = null, ignoreIndex = -100, labelSmoothing = 0 } = options;
  if (!(input instanceof Tensor)) throw new TypeError(`${name}: input must be a Tensor`);
  if (!(target instanceof Tensor)) throw new TypeError(`${name}: target must be a Tensor`);
  if (input.ndim === 0) throw new ShapeError(`${name}: input must have a class dim, (C) or (N, C, ...), got shape []`);
  const c = classLayout(input.shape)[1];
  const weights = checkClassOptions(name, c, weight, labelSmoothing);
  // As PyTorch: a target of the input's own shape holds class probabilities, anything else class indices.
  if (shapesEqual(input.shape, target.shape)) {
    if (typeof ignoreIndex !== 'number' || ignoreIndex >= 0) {
      throw new RangeError(`${name}: ignoreIndex ${describe(ignoreIndex)} is only supported for class-index targets, not for class probabilities (target ${formatShape(target.shape)})`);
    }
    if (input.dtype !== target.dtype) {
      throw new TypeError(`${name}: input is ${input.dtype} but the class probabilities are ${target.dtype}; convert one with .to()`);
    }
    const classDim = input.ndim === 1 ? 0 : 1;
    const smoothed = labelSmoothing > 0 ? target.mul(1 - labelSmoothing).add(labelSmoothing / c) : target;
    let terms = logSoftmax(input, classDim).mul(smoothed);
    if (weight != null) terms = terms.mul(reshape(weight.to(input.dtype), input.shape.map((s, d) => (d === classDim ? s : 1))));
    const loss = terms.sum(classDim).neg();
    if (reduction === 'none') return loss;
    const summed = loss.sum();
    // The mean is over the positions (N·d1·...), not over the weights, as PyTorch.
    return reduction === 'sum' ? summed : summed.div(input.size / c);
  }
  checkClassTargets(name, input, target, ignoreIndex);
  const loss = softmaxCrossEntropy(input, target, { weight, ignoreIndex, labelSmoothing });
  if (reduction === 'none') return loss;
  const summed = loss.sum();
  if (reduction === 'sum') return summed;
  // 'mean' divides by Σ w[target] over the positions not ignored (their count without weights). PyTorch divides the
  // smoothing term by the same sum, so one division covers both terms.
  return summed.div(weightTotal(target, weights, ignoreIndex));
}

function bceImpl(name: string, input: Tensor, target: Tensor, weight: Tensor | null | undefined, reduction: Reduction): Tensor {
  checkPair(name, input, target);
  for (let i = 0; i < input.size; i++) {
    const v = input.data[i];
    if (!(v >= 0 && v <= 1)) throw new RangeError(`${name}: input must hold probabilities in [0, 1], got ${v} at flat position ${i}`);
  }
  const w = checkBroadcastWeight(name, 'weight', weight, input);
  const terms = target.mul(clampedLog(input)).add(target.neg().add(1).mul(clampedLog(input.neg().add(1))));
  const loss = w ? terms.mul(w).neg() : terms.neg();
  return reduce(loss, reduction);
}

/**
 * max(ln v, −100), as PyTorch's binary_cross_entropy clamps its logs.
 * NOTE: v is first raised to 2⁻¹⁴⁹ (the smallest float32), whose log −103.3 is clamped to −100 anyway, so the value
 * is unchanged; but log's backward (dy / v) then never divides 0 by 0, and a prediction of exactly 0 or 1 gets a zero
 * gradient where the log is clamped instead of NaN. (PyTorch's hand-written backward divides by max(v(1 − v), 1e-12)
 * instead, which agrees wherever 0 < v < 1 and neither log is clamped.)
 */
function clampedLog(v: Tensor): Tensor {
  return clamp(clamp(v, 2 ** -149).log(), -100);
}

function bceWithLogitsImpl(name: string, input: Tensor, target: Tensor, options: BCEWithLogitsLossOptions, reduction: Reduction): Tensor {
  checkPair(name, input, target);
  const w = checkBroadcastWeight(name, 'weight', options.weight, input);
  const posWeight = checkBroadcastWeight(name, 'posWeight', options.posWeight, input);
  // NOTE: the loss −[p·y·ln σ(x) + (1 − y)·ln(1 − σ(x))] is computed as (1 − y)·x + (1 + (p − 1)·y)·softplus(−x),
  // which without posWeight is the stable form max(x, 0) − x·y + ln(1 + e^(−|x|)): no exp() ever sees a positive
  // argument, so logits of ±1000 give finite losses and gradients. softplus(−x) = m + ln(e^(−m) + e^(−x−m)) with
  // m = max(−x, 0) held constant (detached): the value is the same for any m, and the gradient is exactly
  // −σ(−x) everywhere, including x = 0, where writing max(x, 0) and |x| as ops would give a subgradient.
  const m = input.neg().relu().detach();
  const softplusNeg = m.add(m.neg().exp().add(input.neg().sub(m).exp()).log());
  const positive = posWeight ? softplusNeg.mul(posWeight.sub(1).mul(target).add(1)) : softplusNeg;
  const terms = target.neg().add(1).mul(input).add(positive);
  return reduce(w ? terms.mul(w) : terms, reduction);
}

/**
 * Cross-entropy between logits and targets (PyTorch's cross_entropy). Targets are class indices — logits (N, C) or
 * (N, C, d1, ...) with targets (N) or (N, d1, ...), integers stored as floats, each in [0, C) or ignoreIndex — or,
 * when the target has the input's shape, class probabilities. With indices the loss at a position is
 * (1 − ε)·w_t·(−log p_t) + (ε/C)·Σ_c w_c·(−log p_c) (p = softmax over the class dim, ε = labelSmoothing) and 'mean'
 * divides the sum by Σ w_t over the positions not ignored; with probabilities y it is −Σ_c w_c·log p_c·y'_c,
 * y' = (1 − ε)·y + ε/C, and 'mean' divides by the number of positions.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * const logits = tensor([[2, 0, 0], [0, 0, 0]]);
 * nn.crossEntropy(logits, tensor([0, 2]));                          // (0.2395 + 1.0986) / 2 = 0.6691
 * nn.crossEntropy(logits, tensor([0, 2]), { labelSmoothing: 0.1 }); // smoothed targets
 * nn.crossEntropy(logits, tensor([0, -100]));                       // the second row is ignored: 0.2395
 * ```
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyLossOptions = {}): Tensor {
  checkOptions('crossEntropy', options, CROSS_ENTROPY_KEYS);
  return crossEntropyImpl('crossEntropy', input, target, options, checkReduction('crossEntropy', options.reduction ?? 'mean'));
}

/**
 * The negative log-likelihood of class-index targets given log-probabilities (PyTorch's nll_loss): −w_t·input[t]
 * at each position, with input (N, C) or (N, C, d1, ...) and targets (N) or (N, d1, ...); 'mean' divides by Σ w_t
 * over the positions not ignored. crossEntropy(x, t) equals nllLoss(logSoftmax(x, 1), t).
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * const logProbs = tensor([[-0.5, -1], [-2, -0.1]]);
 * nn.nllLoss(logProbs, tensor([0, 1])); // (0.5 + 0.1) / 2 = 0.3
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, options: NLLLossOptions = {}): Tensor {
  checkOptions('nllLoss', options, NLL_KEYS);
  return nllImpl('nllLoss', input, target, options, checkReduction('nllLoss', options.reduction ?? 'mean'));
}

/**
 * Binary cross-entropy between probabilities and targets (PyTorch's binary_cross_entropy):
 * −w·[y·log x + (1 − y)·log(1 − x)], each log clamped at −100 so that x = 0 or 1 gives a finite loss. Input values
 * must lie in [0, 1]; for logits use {@link binaryCrossEntropyWithLogits}, which is stabler.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * nn.binaryCrossEntropy(tensor([0.8, 0.2]), tensor([1, 0])); // −ln 0.8 = 0.2231
 * ```
 */
export function binaryCrossEntropy(input: Tensor, target: Tensor, options: BCELossOptions = {}): Tensor {
  checkOptions('binaryCrossEntropy', options, BCE_KEYS);
  const reduction = checkReduction('binaryCrossEntropy', options.reduction ?? 'mean');
  return bceImpl('binaryCrossEntropy', input, target, options.weight, reduction);
}

/**
 * Binary cross-entropy on logits (PyTorch's binary_cross_entropy_with_logits):
 * −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))] with posWeight p per class (the last dim), computed in the stable form
 * max(x, 0) − x·y + log(1 + e^(−|x|)), so logits of ±1000 give finite values and gradients.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * nn.binaryCrossEntropyWithLogits(tensor([0, 1000]), tensor([1, 1]), { reduction: 'none' }); // [0.6931, 0]
 * ```
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BCEWithLogitsLossOptions = {}): Tensor {
  checkOptions('binaryCrossEntropyWithLogits', options, BCE_LOGITS_KEYS);
  const reduction = checkReduction('binaryCrossEntropyWithLogits', options.reduction ?? 'mean');
  return bceWithLogitsImpl('binaryCrossEntropyWithLogits', input, target, options, reduction);
}

// ---------------------------------------------------------------------------------------------------------------
// Modules

/** Options checked and stored at construction, so a bad one fails when the loss is made, not at the first batch. */
function checkLossOptions(name: string, options: LossOptions, allowed: readonly string[]): Reduction {
  checkOptions(name, options, allowed);
  return checkReduction(name, options.reduction ?? 'mean');
}

function checkIgnoreIndex(name: string, ignoreIndex: unknown): number {
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new RangeError(`${name}: ignoreIndex must be an integer, got ${describe(ignoreIndex)}`);
  }
  return ignoreIndex;
}

function checkWeightTensor(name: string, label: string, weight: unknown, oneDim: boolean): Buffer | null {
  if (weight == null) return null;
  if (!(weight instanceof Tensor)) throw new TypeError(`${name}: ${label} must be a Tensor or null`);
  if (oneDim && weight.ndim !== 1) throw new ShapeError(`${name}: ${label} must be 1-D (one value per class), got ${formatShape(weight.shape)}`);
  // A buffer, as PyTorch registers it: saved by stateDict(), never trained.
  return weight instanceof Buffer ? weight : new Buffer(weight);
}

/**
 * Mean squared error, (input − target)² reduced. See {@link mseLoss}.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * new nn.MSELoss().forward(tensor([1, 2]), tensor([0, 0])); // 2.5
 * ```
 */
export class MSELoss extends Module {
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkLossOptions('MSELoss', options, REDUCTION_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return mseImpl('MSELoss', input, target, this.reduction);
  }

  override describe(): string {
    return 'MSELoss';
  }
}

/**
 * Mean absolute error, |input − target| reduced. See {@link l1Loss}.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * new nn.L1Loss().forward(tensor([1, -2]), tensor([0, 0])); // 1.5
 * ```
 */
export class L1Loss extends Module {
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  constructor(options: LossOptions = {}) {
    super();
    this.reduction = checkLossOptions('L1Loss', options, REDUCTION_KEYS);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Impl('L1Loss', input, target, this.reduction);
  }

  override describe(): string {
    return 'L1Loss';
  }
}

/**
 * The Huber loss: quadratic for |input − target| < delta, linear beyond. See {@link huberLoss}.
 * @example
 * ```ts
 * import { tensor, nn } from 'tapegrad';
 * new nn.HuberLoss({ delta: 0.5 }).forward(tensor([2]), tensor([0])); // 0.5·(2 − 0.25) = 0.875
 * ```
 */
export class HuberLoss extends Module {
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** Where the loss turns from quadratic to linear. */
  readonly delta: number;
  constructor(options: HuberLossOptions = {}) {
    super();
    this.reduction = checkLossOptions('HuberLoss', options, HUBER_KEYS);
    this.delta = checkDelta('HuberLoss', options.delta ?? 1);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return huberImpl('HuberLoss', input, target, this.delta, this.reduction);
  }
  override describe(): string {
    return `HuberLoss(delta ${this.delta})`;
  }
}

/**
 * Cross-entropy from logits, with class-index or class-probability targets, class weights, ignoreIndex and label
 * smoothing. See {@link crossEntropy} for the formulas.
 * @example
 * ```ts
 * import { nn, randn, randint } from 'tapegrad';
 * const lossFn = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
 * const loss = lossFn.forward(randn([8, 10]), randint(0, 10, [8]));
 * ```
 */
export class CrossEntropyLoss extends Module {
  /** How the per-sample losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** A target value that is skipped (contributes no loss and no gradient). */
  readonly ignoreIndex: number;
  /** The share of the target probability spread evenly over all classes. */
  readonly labelSmoothing: number;
  /** The per-class weight (a buffer), or null. */
  weight: Buffer | null;
  constructor(options: CrossEntropyLossOptions = {}) {
    super();
    this.reduction = checkLossOptions('CrossEntropyLoss', options, CROSS_ENTROPY_KEYS);
    this.ignoreIndex = checkIgnoreIndex('CrossEntropyLoss', options.ignoreIndex ?? -100);
    // The number of classes is known only at forward: here the weight is checked to be 1-D, there to have C values.
    this.labelSmoothing = options.labelSmoothing ?? 0;
    checkClassOptions('CrossEntropyLoss', 0, null, this.labelSmoothing);
    this.weight = checkWeightTensor('CrossEntropyLoss', 'weight', options.weight, true);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    const { weight, ignoreIndex, labelSmoothing } = this;
    return crossEntropyImpl('CrossEntropyLoss', input, target, { weight, ignoreIndex, labelSmoothing }, this.reduction);
  }
  override describe(): string {
    return this.labelSmoothing > 0 ? `CrossEntropyLoss(labelSmoothing ${this.labelSmoothing})` : 'CrossEntropyLoss';
  }
}

/**
 * Negative log-likelihood of class-index targets given log-probabilities. See {@link nllLoss}.
 * @example
 * ```ts
 * import { nn, randn, randint } from 'tapegrad';
 * const loss = new nn.NLLLoss().forward(randn([4, 3]).logSoftmax(1), randint(0, 3, [4]));
 * ```
 */
export class NLLLoss extends Module {
  /** How the per-sample losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** A target value that is skipped (contributes no loss and no gradient). */
  readonly ignoreIndex: number;
  /** The per-class weight (a buffer), or null. */
  weight: Buffer | null;
  constructor(options: NLLLossOptions = {}) {
    super();
    this.reduction = checkLossOptions('NLLLoss', options, NLL_KEYS);
    this.ignoreIndex = checkIgnoreIndex('NLLLoss', options.ignoreIndex ?? -100);
    this.weight = checkWeightTensor('NLLLoss', 'weight', options.weight, true);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return nllImpl('NLLLoss', input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex }, this.reduction);
  }

  override describe(): string {
    return 'NLLLoss';
  }
}

/**
 * Binary cross-entropy on probabilities, logs clamped at −100. See {@link binaryCrossEntropy}.
 * @example
 * ```ts
 * import { nn, tensor } from 'tapegrad';
 * new nn.BCELoss().forward(tensor([0.9, 0.1]), tensor([1, 0])); // −ln 0.9 = 0.1054
 * ```
 */
export class BCELoss extends Module {
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** The per-element weight (a buffer), or null. */
  weight: Buffer | null;
  constructor(options: BCELossOptions = {}) {
    super();
    this.reduction = checkLossOptions('BCELoss', options, BCE_KEYS);
    this.weight = checkWeightTensor('BCELoss', 'weight', options.weight, false);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bceImpl('BCELoss', input, target, this.weight, this.reduction);
  }

  override describe(): string {
    return 'BCELoss';
  }
}

/**
 * Binary cross-entropy on logits, computed stably; posWeight weighs the positive term per class. See
 * {@link binaryCrossEntropyWithLogits}.
 * @example
 * ```ts
 * import { nn, tensor } from 'tapegrad';
 * const lossFn = new nn.BCEWithLogitsLoss({ posWeight: tensor([3]) });
 * lossFn.forward(tensor([[0], [0]]), tensor([[1], [0]])); // (3·ln 2 + ln 2) / 2 = 1.3863
 * ```
 */
export class BCEWithLogitsLoss extends Module {
  /** How the per-element losses are combined: 'mean', 'sum' or 'none'. */
  readonly reduction: Reduction;
  /** The per-element weight (a buffer), or null. */
  weight: Buffer | null;
  /** The per-class weight of positive targets (a buffer), or null. */
  posWeight: Buffer | null;
  constructor(options: BCEWithLogitsLossOptions = {}) {
    super();
    this.reduction = checkLossOptions('BCEWithLogitsLoss', options, BCE_LOGITS_KEYS);
    this.weight = checkWeightTensor('BCEWithLogitsLoss', 'weight', options.weight, false);
    this.posWeight = checkWeightTensor('BCEWithLogitsLoss', 'posWeight', options.posWeight, false);
  }
  forward(input: Tensor, target: Tensor): Tensor {
    return bceWithLogitsImpl('BCEWithLogitsLoss', input, target, { weight: this.weight, posWeight: this.posWeight }, this.reduction);
  }

  override describe(): string {
    return 'BCEWithLogitsLoss';
  }
}
