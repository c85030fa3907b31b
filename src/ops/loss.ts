/**
 * The fused softmax-cross-entropy op: log-softmax, the pick at the target class and the gradient softmax − onehot in
 * one kernel, so the classifier's loss costs one pass over the logits and its backward is a scaling of a saved
 * tensor. The losses in nn/losses.ts build on it; the helpers here check class-index targets for them too.
 * @module
 */
import { Tensor } from '../tensor.js';
import { defineOp } from './define.js';
import { empty } from '../creation.js';
import { isGradEnabled } from '../autograd/tape.js';
import { AutogradError, ShapeError } from '../errors.js';
import { type Shape, formatShape, sizeOf, stridesOf } from '../shape.js';
import { scaleAlongKernel, softmaxCrossEntropyKernel } from '../kernels/loss.js';

/**
 * Options of {@link softmaxCrossEntropy}; PyTorch's cross_entropy options, camelCased.
 * @example `softmaxCrossEntropy(tensor([[0, 0], [0, 0]]), tensor([0, 5]), { ignoreIndex: 5 })  // [0.6931, 0]`
 */
export interface SoftmaxCrossEntropyOptions {
  /** A weight per class, shape [C] (default: all 1). */
  weight?: Tensor | null;
  /** A target value whose positions get loss 0 and gradient 0 (default -100, as PyTorch). */
  ignoreIndex?: number;
  /** ε in [0, 1]: the target becomes (1 − ε)·onehot + ε/C (default 0). */
  labelSmoothing?: number;
}

/**
 * [outer, C, inner] of logits whose class dim is 1 ((N, C, d1, ...)), or 0 for unbatched logits (C).
 * @internal
 */
export function classLayout(shape: Shape): [number, number, number] {
  if (shape.length === 1) return [1, shape[0], 1];
  return [shape[0], shape[1], sizeOf(shape.slice(2))];
}

/**
 * Checks class-index targets against logits as PyTorch does: logits (C) with a scalar target, or (N, C, d1, ...)
 * with targets (N, d1, ...); every target an integer in [0, C) or equal to `ignoreIndex`. Errors name `op`.
 * @internal
 */
export function checkClassTargets(op: string, input: Tensor, target: Tensor, ignoreIndex: number): void {
  if (!(input instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor`);
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: target must be a Tensor of class indices`);
  if (typeof ignoreIndex !== 'number' || !Number.isInteger(ignoreIndex)) {
    throw new RangeError(`${op}: ignoreIndex must be an integer, got ${String(ignoreIndex)}`);
  }
  if (input.ndim === 0) throw new ShapeError(`${op}: input must have a class dim, (C) or (N, C, ...), got shape []`);
  const expected = input.ndim === 1 ? [] : [input.shape[0], ...input.shape.slice(2)];
  if (target.ndim !== expected.length || target.shape.some((s, i) => s !== expected[i])) {
    throw new ShapeError(`${op}: input ${formatShape(input.shape)} needs class-index targets of shape ${formatShape(expected)}, got target ${formatShape(target.shape)}`);
  }
  const c = classLayout(input.shape)[1];
  if (c === 0 && target.size > 0) throw new ShapeError(`${op}: input ${formatShape(input.shape)} has no classes`);
  const strides = stridesOf(target.shape);
  for (let i = 0; i < target.size; i++) {
    const v = target.data[i];
    if (v === ignoreIndex) continue;
    if (!Number.isInteger(v) || v < 0 || v >= c) {
      const at = target.ndim <= 1 ? `${i}` : `${formatShape(strides.map((s, d) => Math.floor(i / s) % target.shape[d]))}`;
      const why = Number.isInteger(v) ? `out of range for ${c} classes (expected [0, ${c}) or ignoreIndex ${ignoreIndex})` : 'not an integer class index';
      throw new RangeError(`${op}: target ${v} at position ${at} is ${why}`);
    }
  }
}

/**
 * Checks labelSmoothing (a number in [0, 1]) and a per-class weight (shape [C]); returns the weight's values.
 * @internal
 */
export function checkClassOptions(op: string, c: number, weight: Tensor | null | undefined, labelSmoothing: number): Float64Array | null {
  if (typeof labelSmoothing !== 'number' || !(labelSmoothing >= 0 && labelSmoothing <= 1)) {
    throw new RangeError(`${op}: labelSmoothing must be a number in [0, 1], got ${String(labelSmoothing)}`);
  }
  if (weight == null) return null;
  if (!(weight instanceof Tensor)) throw new TypeError(`${op}: weight must be a Tensor of shape [C] or null`);
  if (weight.ndim !== 1 || weight.shape[0] !== c) {
    throw new ShapeError(`${op}: weight must have one value per class, shape [${c}], got ${formatShape(weight.shape)}`);
  }
  return Float64Array.from(weight.data);
}

interface Attrs {
  target: Tensor;
  weight: Float64Array | null;
  ignoreIndex: number;
  labelSmoothing: number;
  /** Whether the forward also computes the gradient (only when the op will be recorded). */
  withGrad: boolean;
}

const softmaxCrossEntropyOp = defineOp<[Tensor], Attrs, Tensor | null>({
  name: 'softmaxCrossEntropy',
  forward: ([x], { target, weight, ignoreIndex, labelSmoothing, withGrad }) => {
    const [outer, c, inner] = classLayout(x.shape);
    const loss = empty(target.shape, x.dtype);
    const grad = withGrad ? empty(x.shape, x.dtype) : null;
    softmaxCrossEntropyKernel(x.data, outer, c, inner, target.data, ignoreIndex, weight, labelSmoothing, loss.data, grad?.data ?? null);
    return { output: loss, saved: grad };
  },
  // d loss/d x_c = (1 − ε)·w_t·(softmax(x)_c − [c = t]) + (ε/C)·(W·softmax(x)_c − w_c), saved by the forward; dx = dy·that
  backward: (dy, { inputs: [x], saved }) => {
    if (saved === null) throw new AutogradError('softmaxCrossEntropy: the forward kept no gradient (it ran while recording was off)');
    const [outer, c, inner] = classLayout(x.shape);
    const dx = empty(x.shape, x.dtype);
    scaleAlongKernel(saved.data, outer, c, inner, dy.data, dx.data);
    return [dx];
  },
  // The rule scales a saved tensor with a kernel, which cannot be recorded.
  doubleBackward: 'by the fused op (its backward is a kernel); compose logSoftmax and gather for those',
});

/**
 * Cross-entropy between logits and class-index targets, per position (PyTorch's cross_entropy with reduction
 * 'none'), fused: −log softmax(x)_target computed with the max trick, with optional per-class weights, ignoreIndex
 * and label smoothing, and the gradient softmax − onehot made in the same pass. Logits (N, C) or (N, C, d1, ...)
 * take targets (N) or (N, d1, ...); unbatched logits (C) take a scalar target. Targets are integers stored as floats
 * (as argmax returns them), each in [0, C) or equal to ignoreIndex (a RangeError names any other value and its
 * position). The result has the targets' shape; ignored positions hold 0. Differentiable once (its backward is a
 * kernel): for second derivatives compose logSoftmax and gather.
 * @example
 * ```ts
 * import { softmaxCrossEntropy, tensor } from 'tapegrad';
 * const logits = tensor([[2, 0, 0], [0, 0, 0]], { requiresGrad: true });
 * const loss = softmaxCrossEntropy(logits, tensor([0, 2])); // [0.2395, 1.0986]
 * loss.sum().backward();      // logits.grad = softmax(logits) − onehot(targets)
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, target: Tensor, options: SoftmaxCrossEntropyOptions = {}): Tensor {
  const op = 'softmaxCrossEntropy';
  const { weight = null, ignoreIndex = -100, labelSmoothing = 0 } = options;
  checkClassTargets(op, logits, target, ignoreIndex);
  const weights = checkClassOptions(op, classLayout(logits.shape)[1], weight, labelSmoothing);
  const withGrad = isGradEnabled() && logits.requiresGrad;
  return softmaxCrossEntropyOp(logits, { target, weight: weights, ignoreIndex, labelSmoothing, withGrad });
}
