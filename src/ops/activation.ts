/**
 * Activations. relu, leakyRelu, sigmoid and tanh are elementwise; logSoftmax is a primitive over a dim with its own
 * backward, and softmax is exp(logSoftmax), which inherits its stability.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { elementwiseOp } from './unary.js';
import { defineOp, type OpFunction } from './define.js';
import { empty } from '../creation.js';
import { logSoftmaxKernel } from '../kernels/reduce.js';
import { leakyReluKernel, reluBackwardKernel, unaryKernel } from '../kernels/elementwise.js';
import { normalizeDim } from '../shape.js';

/**
 * max(x, 0).
 * @example `relu(tensor([-1, 2]))  // [0, 2]`
 */
export const relu = elementwiseOp('relu', (x, out) => unaryKernel('relu', x, out),
  // d relu(x) = [x > 0] dx (0 at 0, as PyTorch)
  (dy, { inputs: [x] }) => [reluBackward(dy, { x })]);

/**
 * relu's backward in one pass: dy·[x > 0], without a mask tensor. x is an attribute, not an input: the mask is
 * piecewise constant, so x gets no gradient through it (as through gt), and the op is linear in dy.
 */
const reluBackward: OpFunction<[Tensor], { x: Tensor }> = defineOp<[Tensor], { x: Tensor }, undefined>({
  name: 'reluBackward',
  forward: ([dy], { x }) => {
    const out = empty(dy.shape, dy.dtype);
    reluBackwardKernel(dy.data, x.data, out.data);
    return out;
  },
  // linear in dy with the same mask: d(dy·[x > 0]) = [x > 0] d(dy)
  backward: (g, { attrs }) => [reluBackward(g, attrs)],
});

const leakyReluOp = elementwiseOp<{ negativeSlope: number }>('leakyRelu',
  (x, out, { negativeSlope }) => leakyReluKernel(x, negativeSlope, out),
  // d leakyRelu(x) = dx where x > 0, negativeSlope·dx elsewhere
  (dy, { inputs: [x], attrs: { negativeSlope } }) => {
    const positive = x.gt(0);
    return [dy.mul(positive.add(positive.neg().add(1).mul(negativeSlope)))];
  });

/**
 * x where x > 0, negativeSlope·x elsewhere (PyTorch's default slope 0.01).
 * @example `leakyRelu(tensor([-10, 2]), 0.1)  // [-1, 2]`
 */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  if (typeof negativeSlope !== 'number' || !Number.isFinite(negativeSlope)) {
    throw new RangeError(`leakyRelu: negativeSlope must be a finite number, got ${String(negativeSlope)}`);
  }
  return leakyReluOp(x, { negativeSlope });
}

/**
 * 1 / (1 + e⁻ˣ).
 * @example `sigmoid(tensor([0]))  // [0.5]`
 */
export const sigmoid = elementwiseOp('sigmoid',
  // NOTE: the kernel uses eˣ / (1 + eˣ) for x < 0, which keeps exp() from overflowing (sigmoid(±1000) is 1 or 0).
  (x, out) => unaryKernel('sigmoid', x, out),
  // d σ(x) = σ(x)(1 − σ(x)) dx = y(1 − y) dx
  (dy, { output: y }) => [dy.mul(y).mul(y.neg().add(1))]);

/**
 * Hyperbolic tangent.
 * @example `tanh(tensor([0]))  // [0]`
 */
export const tanh = elementwiseOp('tanh', (x, out) => unaryKernel('tanh', x, out),
  // d tanh(x) = (1 − y²) dx
  (dy, { output: y }) => [dy.mul(y.mul(y).neg().add(1))]);

const logSoftmaxOp = defineOp<[Tensor], { dim: number }, undefined>({
  name: 'logSoftmax',
  forward: ([x], { dim }) => {
    const d = normalizeDim(dim, x.ndim, 'logSoftmax');
    const n = x.ndim === 0 ? 1 : x.shape[d];
    const inner = x.shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const out = empty(x.shape, x.dtype);
    logSoftmaxKernel(x.data, n === 0 ? 0 : x.size / (n * inner), n, inner, out.data);
    return out;
  },
  // d logSoftmax(x)ᵢ = dxᵢ − softmax(x)ᵢ · Σⱼ dxⱼ, so dx = dy − eʸ · Σ dy
  backward: (dy, { output: y, attrs: { dim } }) => [dy.sub(y.exp().mul(dy.sum(dim, true)))],
});

/**
 * log(softmax(x)) along `dim`, computed stably (log-sum-exp): very negative logits give finite results.
 * @example `logSoftmax(tensor([0, 0]), -1)  // [-0.6931, -0.6931]`
 */
export function logSoftmax(x: Tensor, dim = -1): Tensor {
  return logSoftmaxOp(x, { dim: normalizeDim(dim, x.ndim, 'logSoftmax') });
}

/**
 * eˣⁱ / Σⱼ eˣʲ along `dim` (composed as exp(logSoftmax(x)), so softmax([1000, 0]) is [1, 0]).
 * @example `softmax(tensor([1, 1]), -1)  // [0.5, 0.5]`
 */
export function softmax(x: Tensor, dim = -1): Tensor {
  // The dim is checked here so that an error names softmax, the op the user called.
  return logSoftmax(x, normalizeDim(dim, x.ndim, 'softmax')).exp();
}
