/**
 * tapegrad: tensors with tape-based reverse-mode autograd, in TypeScript, for Node and the browser.
 *
 * The public surface is listed here by name; nothing is computed at import.
 * @module tapegrad
 */
export { Tensor, type TensorLike, type NestedArray } from './tensor.js';
export {
  tensor, zeros, ones, full, arange, linspace, eye, rand, randn, randint,
  zerosLike, onesLike, fullLike, randLike, randnLike, randintLike,
  type TensorOptions, type RandomOptions,
} from './creation.js';
export { Generator, manualSeed, defaultGenerator, type GeneratorState, type AleaState } from './random.js';
export type { DType, TypedArray } from './dtype.js';
export { type Shape, broadcastShapes } from './shape.js';
export { ShapeError, AutogradError, AnomalyError, GradcheckError } from './errors.js';

export { noGrad, enableGrad, isGradEnabled, TapeNode, type BackwardContext, type BackwardRule } from './autograd/tape.js';
export { type BackwardOptions } from './autograd/backward.js';
export { gradcheck, type GradcheckOptions, type GradcheckReport, type GradcheckInputReport } from './autograd/gradcheck.js';
export { detectAnomaly, setDetectAnomaly, isAnomalyEnabled } from './autograd/anomaly.js';
export { toDot, type ToDotOptions } from './autograd/graph.js';

export {
  defineOp, type OpDefinition, type OpFunction, type ForwardResult,
  // elementwise
  neg, exp, log, sqrt, abs, sign, square, sin, cos, clamp, type ClampBounds,
  add, sub, mul, div, pow, maximum, minimum, eq, ne, gt, ge, lt, le, where,
  // activations
  relu, leakyRelu, sigmoid, tanh, softmax, logSoftmax,
  // reductions
  sum, mean, max, min, argmax, argmin, variance, std, type ValuesIndices, type VarianceOptions, type Dims,
  // movement
  reshape, flatten, squeeze, unsqueeze, permute, transpose, broadcastTo, slice, narrow, select, indexSelect,
  gather, scatterAdd, concat, stack, pad, clone, cast,
  // products
  matmul, matmulT, dot, outer,
  // layers' ops
  conv2d, maxPool2d, avgPool2d, type Conv2dOptions, type Conv2dPadding, type IntPair, type MaxPool2dOptions, type AvgPool2dOptions,
  batchNorm, type BatchNormOptions, dropout, type DropoutOptions,
  softmaxCrossEntropy, type SoftmaxCrossEntropyOptions,
  // the op tables
  differentiableOps, nonDifferentiableOps, type DifferentiableOpName,
} from './ops/index.js';

export * as io from './io/index.js';
export * as nn from './nn/index.js';
export * as data from './data/index.js';
export * as optim from './optim/index.js';
