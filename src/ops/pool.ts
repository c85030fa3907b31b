/**
 * 2-D max and average pooling (NCHW), PyTorch's F.max_pool2d and F.avg_pool2d in floor mode. Max pooling keeps the
 * argmax of each window and its backward routes dy there (a scatter-add, whose own backward is a gather, so second
 * derivatives work); average pooling's backward spreads dy evenly over the window, and the adjoint of that
 * spreading is average pooling again.
 * @module
 */
import { Tensor } from '../tensor.js';
import { defineOp, type OpFunction } from './define.js';
import { empty } from '../creation.js';
import { type PoolGeometry, avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dBackwardKernel, maxPool2dKernel } from '../kernels/pool.js';
import { formatShape } from '../shape.js';
import { ShapeError } from '../errors.js';
import { gather, reshape, squeeze, unsqueeze } from './movement.js';
import { type IntPair, intPair, isUnitPair } from './conv.js';
import { type UnsupportedOption, checkBoolean, checkOptionKeys, describe } from '../checks.js';

/**
 * Options of {@link maxPool2d} (PyTorch's names). PyTorch's ceilMode, dilation and returnIndices are not supported: the
 * output size floors, and passing them (other than as their defaults) is a RangeError; any other key is a TypeError.
 * @example
 * ```ts
 * import { maxPool2d, ones, type MaxPool2dOptions } from 'tapegrad';
 * const options: MaxPool2dOptions = { kernelSize: 3, stride: 2, padding: 1 };
 * maxPool2d(ones([1, 1, 5, 5]), options).shape; // [1, 1, 3, 3]
 * ```
 */
export interface MaxPool2dOptions {
  /** The window's size: one size or [h, w]. */
  kernelSize: IntPair;
  /** Step between windows (default: kernelSize). */
  stride?: IntPair;
  /** Implicit −∞ added on each side (default 0); at most half the kernel size. */
  padding?: IntPair;
}

/**
 * Options of {@link avgPool2d}: those of max pooling, and whether padded zeros count in the average.
 * @example
 * ```ts
 * import { avgPool2d, ones, type AvgPool2dOptions } from 'tapegrad';
 * const options: AvgPool2dOptions = { kernelSize: 2, padding: 1, countIncludePad: false };
 * avgPool2d(ones([1, 1, 3, 3]), options).toArray(); // [[[[1, 1], [1, 1]]]]
 * ```
 */
export interface AvgPool2dOptions extends MaxPool2dOptions {
  /** Count the zero padding in each window's divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

/** The pooling options checked, per dim. */
export interface ResolvedPool2dOptions {
  kernelSize: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** The keys of {@link MaxPool2dOptions}. */
export const MAX_POOL_OPTION_KEYS = ['kernelSize', 'stride', 'padding'] as const;
/** The keys of {@link AvgPool2dOptions}. */
export const AVG_POOL_OPTION_KEYS = [...MAX_POOL_OPTION_KEYS, 'countIncludePad'] as const;

const CEIL_MODE: UnsupportedOption = { harmless: (v) => v === false, hint: 'the output size always floors; pad the input to get the ceil-mode size' };

/** PyTorch's max-pooling options that tapegrad lacks, for checkOptionKeys (the function's and the layer's). */
export const MAX_POOL_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  ceilMode: CEIL_MODE,
  dilation: { harmless: isUnitPair, hint: 'only dilation 1 is implemented' },
  returnIndices: { harmless: (v) => v === false, hint: 'the argmax is kept internally for the backward only' },
};

/** PyTorch's average-pooling options that tapegrad lacks. */
export const AVG_POOL_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  ceilMode: CEIL_MODE,
  divisorOverride: { harmless: (v) => v === null, hint: 'the divisor is the window size, or its taps inside the input with countIncludePad: false' },
};

/** Validates pooling options (their values; the keys are checked by the callers) with errors naming `op`. */
export function resolvePool2dOptions(op: string, options: MaxPool2dOptions): ResolvedPool2dOptions {
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`${op}: expected options { kernelSize, stride?, padding? }, got ${describe(options)}`);
  }
  const kernelSize = intPair(op, 'kernelSize', options.kernelSize, 1);
  const stride = options.stride === undefined || options.stride === null ? kernelSize : intPair(op, 'stride', options.stride, 1);
  const padding = intPair(op, 'padding', options.padding ?? 0, 0);
  if (2 * padding[0] > kernelSize[0] || 2 * padding[1] > kernelSize[1]) {
    throw new RangeError(`${op}: padding ${describe(options.padding)} must be at most half of kernelSize ${describe(options.kernelSize)}`);
  }
  return { kernelSize, stride, padding };
}

/** The geometry for input shape [N, C, H, W] (checked), with errors naming `op`. */
function poolGeometry(op: string, shape: readonly number[], r: ResolvedPool2dOptions): PoolGeometry {
  if (shape.length !== 4) throw new ShapeError(`${op}: input must be 4-D [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(shape)}`);
  const [, , height, width] = shape;
  const outH = Math.floor((height + 2 * r.padding[0] - r.kernelSize[0]) / r.stride[0]) + 1;
  const outW = Math.floor((width + 2 * r.padding[1] - r.kernelSize[1]) / r.stride[1]) + 1;
  if (outH < 1 || outW < 1) {
    throw new ShapeError(`${op}: kernel ${r.kernelSize[0]}×${r.kernelSize[1]} is larger than the padded input ${height + 2 * r.padding[0]}×${width + 2 * r.padding[1]} of ${formatShape(shape)}`);
  }
  return {
    height, width, kernelH: r.kernelSize[0], kernelW: r.kernelSize[1], strideH: r.stride[0], strideW: r.stride[1],
    padH: r.padding[0], padW: r.padding[1], outH, outW,
  };
}

const maxPool2dOp = defineOp<[Tensor], { geometry: PoolGeometry }, Tensor>({
  name: 'maxPool2d',
  forward: ([x], { geometry: g }) => {
    const shape = [x.shape[0], x.shape[1], g.outH, g.outW];
    const y = empty(shape, x.dtype);
    const argmax = empty(shape, 'float32'); // positions h·W + w within a plane: exact in float32 up to 2²⁴
    maxPool2dKernel(x.data, x.shape[0] * x.shape[1], g, y.data, argmax.data);
    return { output: y, saved: argmax };
  },
  // y = x[argmax]: dx = dy added at each window's argmax, 0 elsewhere
  backward: (dy, { inputs: [x], attrs: { geometry }, saved: argmax }) => [maxPool2dBackward(dy, { geometry, argmax, shape: x.shape })],
});

interface MaxBackwardAttrs {
  geometry: PoolGeometry;
  /** The forward's argmax, [N, C, outH, outW]: positions h·W + w within each plane. */
  argmax: Tensor;
  /** The input's shape [N, C, H, W]. */
  shape: readonly number[];
}

/**
 * The input gradient of maxPool2d: dy scattered (+=) to each window's saved argmax, shape `shape`. One kernel pass
 * (the same as scatterAdd along the flattened plane, without its index checks: the forward made the indices).
 * Internal (maxPool2d's backward).
 */
const maxPool2dBackward: OpFunction<[Tensor], MaxBackwardAttrs> = defineOp<[Tensor], MaxBackwardAttrs, undefined>({
  name: 'maxPool2dBackward',
  forward: ([dy], { geometry: g, argmax, shape }) => {
    const dx = empty(shape, dy.dtype);
    maxPool2dBackwardKernel(dy.data, argmax.data, shape[0] * shape[1], g.outH * g.outW, g.height * g.width, dx.data);
    return dx;
  },
  // a scatter-add is linear and its adjoint is the gather at the same indices: d dy = g[argmax]
  backward: (g, { inputs: [dy], attrs: { geometry, argmax, shape } }) => {
    const planes = shape[0] * shape[1];
    const picked = gather(reshape(g, [planes, geometry.height * geometry.width]), 1, reshape(argmax, [planes, geometry.outH * geometry.outW]));
    return [reshape(picked, dy.shape)];
  },
});

interface AvgAttrs {
  geometry: PoolGeometry;
  countIncludePad: boolean;
}

const avgPool2dOp: OpFunction<[Tensor], AvgAttrs> = defineOp<[Tensor], AvgAttrs, undefined>({
  name: 'avgPool2d',
  forward: ([x], { geometry: g, countIncludePad }) => {
    const y = empty([x.shape[0], x.shape[1], g.outH, g.outW], x.dtype);
    avgPool2dKernel(x.data, x.shape[0] * x.shape[1], g, countIncludePad, y.data);
    return y;
  },
  // y = Σ window / divisor: dx = each dy / divisor spread over its window
  backward: (dy, { inputs: [x], attrs }) => [avgPool2dBackward(dy, { ...attrs, shape: x.shape })],
});

/**
 * The input gradient of avgPool2d (dy spread evenly over each window), shape `shape`. Internal (avgPool2d's
 * backward); exported for its gradcheck test.
 */
export const avgPool2dBackward: OpFunction<[Tensor], AvgAttrs & { shape: readonly number[] }> = defineOp<[Tensor], AvgAttrs & { shape: readonly number[] }, undefined>({
  name: 'avgPool2dBackward',
  forward: ([dy], { geometry: g, countIncludePad, shape }) => {
    const dx = empty(shape, dy.dtype);
    avgPool2dBackwardKernel(dy.data, shape[0] * shape[1], g, countIncludePad, dx.data);
    return dx;
  },
  // spreading is linear, and its adjoint is average pooling with the same windows and divisors
  backward: (g, { attrs: { geometry, countIncludePad } }) => [avgPool2dOp(g, { geometry, countIncludePad })],
});

function checkInput(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor input, got ${describe(x)}`);
}

/**
 * Max pooling over kh×kw windows of x [N, C, H, W] (or [C, H, W]): output [N, C, outH, outW] with
 * outH = floor((H + 2p − kh) / s) + 1 (floor mode only: PyTorch's ceilMode is not supported, nor dilation).
 * Padding counts as −∞, so it is never picked. The gradient goes to the first maximum of each window.
 * @example
 * ```ts
 * import { maxPool2d, randn } from 'tapegrad';
 * maxPool2d(randn([1, 3, 28, 28]), { kernelSize: 2 }).shape;                        // [1, 3, 14, 14]
 * maxPool2d(randn([1, 3, 7, 7]), { kernelSize: 3, stride: 2, padding: 1 }).shape;   // [1, 3, 4, 4]
 * ```
 */
export function maxPool2d(x: Tensor, options: MaxPool2dOptions): Tensor {
  checkInput('maxPool2d', x);
  if (options === null || typeof options !== 'object') throw new TypeError(`maxPool2d: expected options { kernelSize, stride?, padding? }, got ${describe(options)}`);
  checkOptionKeys('maxPool2d', options, MAX_POOL_OPTION_KEYS, MAX_POOL_UNSUPPORTED);
  if (x.ndim === 3) return squeeze(maxPool2d(unsqueeze(x, 0), options), 0);
  const resolved = resolvePool2dOptions('maxPool2d', options);
  return maxPool2dOp(x, { geometry: poolGeometry('maxPool2d', x.shape, resolved) });
}

/**
 * Average pooling over kh×kw windows of x [N, C, H, W] (or [C, H, W]); output size as {@link maxPool2d} (floor mode
 * only). With countIncludePad (the default, as PyTorch) every window divides by kh·kw; without, by the number of
 * its taps inside the input.
 * @example
 * ```ts
 * import { avgPool2d, tensor } from 'tapegrad';
 * avgPool2d(tensor([[[[1, 2], [3, 4]]]]), { kernelSize: 2 });   // [[[[2.5]]]]
 * avgPool2d(tensor([[[[4]]]]), { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).shape; // [1, 1, 2, 2], all 4
 * ```
 */
export function avgPool2d(x: Tensor, options: AvgPool2dOptions): Tensor {
  checkInput('avgPool2d', x);
  if (options === null || typeof options !== 'object') throw new TypeError(`avgPool2d: expected options { kernelSize, stride?, padding?, countIncludePad? }, got ${describe(options)}`);
  checkOptionKeys('avgPool2d', options, AVG_POOL_OPTION_KEYS, AVG_POOL_UNSUPPORTED);
  if (x.ndim === 3) return squeeze(avgPool2d(unsqueeze(x, 0), options), 0);
  const resolved = resolvePool2dOptions('avgPool2d', options);
  const countIncludePad = checkBoolean('avgPool2d', 'countIncludePad', options.countIncludePad ?? true);
  return avgPool2dOp(x, { geometry: poolGeometry('avgPool2d', x.shape, resolved), countIncludePad });
}
