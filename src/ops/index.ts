/**
 * Every op, and the two tables that list them. The tables are the contract between the ops and their tests: the
 * gradcheck suite is typed `Record<DifferentiableOpName, ...>`, so an op added here without a gradcheck case does
 * not typecheck (and a runtime test compares the keys too).
 * @module
 */
import { abs, clamp, cos, exp, log, neg, sign, sin, sqrt, square } from './unary.js';
import { add, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, sub, where } from './binary.js';
import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from './activation.js';
import { argmax, argmin, max, mean, min, std, sum, variance } from './reduce.js';
import {
  broadcastTo, cast, clone, concat, flatten, gather, indexSelect, narrow, pad, permute, reshape, scatterAdd, select,
  slice, squeeze, stack, transpose, unsqueeze,
} from './movement.js';
import { dot, matmul, matmulT, outer } from './matmul.js';
import { batchNorm } from './norm.js';
import { dropout } from './dropout.js';
import { softmaxCrossEntropy } from './loss.js';
import { conv2d } from './conv.js';
import { avgPool2d, maxPool2d } from './pool.js';

export * from './unary.js';
export * from './binary.js';
export * from './activation.js';
export * from './reduce.js';
export * from './movement.js';
export * from './matmul.js';
export { batchNorm, type BatchNormOptions } from './norm.js';
export { dropout, type DropoutOptions } from './dropout.js';
export { softmaxCrossEntropy, type SoftmaxCrossEntropyOptions } from './loss.js';
export { conv2d, type Conv2dOptions, type Conv2dPadding, type IntPair } from './conv.js';
export { maxPool2d, avgPool2d, type MaxPool2dOptions, type AvgPool2dOptions } from './pool.js';
export { defineOp, type OpDefinition, type OpFunction, type ForwardResult } from './define.js';

/**
 * Every differentiable op, primitive or composed, by name (the gradcheck suite has a case for each).
 * @example
 * ```ts
 * import { differentiableOps } from 'tapegrad';
 * Object.keys(differentiableOps).includes('matmul'); // true
 * ```
 */
export const differentiableOps = {
  neg, exp, log, sqrt, abs, sign, square, clamp, sin, cos,
  add, sub, mul, div, pow, maximum, minimum, where,
  relu, leakyRelu, sigmoid, tanh, softmax, logSoftmax,
  sum, mean, max, min, variance, std,
  reshape, flatten, squeeze, unsqueeze, permute, transpose, broadcastTo, slice, narrow, select, indexSelect,
  gather, scatterAdd, concat, stack, pad, clone, cast,
  matmul, matmulT, dot, outer,
  conv2d, maxPool2d, avgPool2d, batchNorm, dropout, softmaxCrossEntropy,
} as const;

/**
 * Ops whose results carry no gradient: comparisons and index-valued reductions.
 * @example
 * ```ts
 * import { nonDifferentiableOps } from 'tapegrad';
 * Object.keys(nonDifferentiableOps).length; // 8
 * ```
 */
export const nonDifferentiableOps = { eq, ne, gt, ge, lt, le, argmax, argmin } as const;

/**
 * The name of a differentiable op.
 * @example
 * ```ts
 * import type { DifferentiableOpName } from 'tapegrad';
 * const name: DifferentiableOpName = 'conv2d';
 * ```
 */
export type DifferentiableOpName = keyof typeof differentiableOps;
