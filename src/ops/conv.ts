/**
 * 2-D convolution (NCHW), PyTorch's F.conv2d without groups. Three ops over the im2col kernels of
 * kernels/conv.ts: the convolution, its input gradient and its weight gradient. Each one's backward is made of the
 * other two (all three are bilinear in their two inputs), so the gradients are themselves differentiable and
 * `createGraph` gives second derivatives.
 * @module
 */
import { Tensor } from '../tensor.js';
import { defineOp, type OpFunction } from './define.js';
import { empty } from '../creation.js';
import { type ConvGeometry, conv2dForwardKernel, conv2dInputGradKernel, conv2dWeightGradKernel } from '../kernels/conv.js';
import { formatShape } from '../shape.js';
import { ShapeError } from '../errors.js';
import { sum } from './reduce.js';
import { squeeze, unsqueeze } from './movement.js';
import { type UnsupportedOption, checkOptionKeys, describe } from '../checks.js';

/**
 * One size for both spatial dims, or [height, width].
 * @example
 * ```ts
 * import { nn, type IntPair } from 'tapegrad';
 * const stride: IntPair = [2, 1];
 * new nn.Conv2d(1, 4, 3, { stride });
 * ```
 */
export type IntPair = number | readonly [number, number];

/**
 * Explicit zero padding (one size or [height, width]), 'valid' (none) or 'same' (output as large as the input).
 * @example
 * ```ts
 * import { conv2d, ones, type Conv2dPadding } from 'tapegrad';
 * const padding: Conv2dPadding = 'same';
 * conv2d(ones([1, 1, 5, 5]), ones([1, 1, 3, 3]), null, { padding }).shape; // [1, 1, 5, 5]
 * ```
 */
export type Conv2dPadding = IntPair | 'valid' | 'same';

/**
 * Options of {@link conv2d} (PyTorch's names). groups is not supported (a RangeError unless 1); any other key is a
 * TypeError.
 * @example
 * ```ts
 * import { conv2d, ones, type Conv2dOptions } from 'tapegrad';
 * const options: Conv2dOptions = { stride: 2, padding: 1, dilation: 1 };
 * conv2d(ones([1, 3, 8, 8]), ones([4, 3, 3, 3]), null, options).shape; // [1, 4, 4, 4]
 * ```
 */
export interface Conv2dOptions {
  /** Step between receptive fields (default 1). */
  stride?: IntPair;
  /**
   * Zeros added on each side (default 0). 'same' needs stride 1 and pads dilation·(k − 1) in total per dim, the
   * odd one extra on the bottom/right, as PyTorch.
   */
  padding?: Conv2dPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntPair;
}

/** Checks that `value` is an integer ≥ `min` or a pair of them; returns [h, w]. */
export function intPair(op: string, label: string, value: unknown, min: number): [number, number] {
  const pair = typeof value === 'number' ? [value, value] : Array.isArray(value) ? value : null;
  if (pair === null || pair.length !== 2 || !pair.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    const what = min > 0 ? 'positive integer' : 'non-negative integer';
    throw new RangeError(`${op}: ${label} must be a ${what} or a pair [h, w] of them, got ${describe(value)}`);
  }
  return [pair[0], pair[1]];
}

/** True for 1 and [1, 1]: PyTorch's default of dilation, which changes nothing where dilation is not supported. */
export function isUnitPair(value: unknown): boolean {
  return value === 1 || (Array.isArray(value) && value.length === 2 && value[0] === 1 && value[1] === 1);
}

/** The keys of {@link Conv2dOptions}. */
export const CONV2D_OPTION_KEYS = ['stride', 'padding', 'dilation'] as const;

/** PyTorch's conv options that tapegrad lacks, for checkOptionKeys (the function's and the layer's). */
export const CONV2D_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  groups: { harmless: (v) => v === 1, hint: 'only groups = 1, a dense convolution, is implemented' },
};

/** The options checked and resolved for a kernel of kh×kw: per-dim stride, dilation and before/after padding. */
export interface ResolvedConv2dOptions {
  stride: [number, number];
  dilation: [number, number];
  /** [top, left]. */
  padBefore: [number, number];
  /** [bottom, right]. */
  padAfter: [number, number];
}

/** Validates conv2d's options (for a kh×kw kernel) with errors naming `op`. */
export function resolveConv2dOptions(op: string, options: Conv2dOptions, kernelH: number, kernelW: number): ResolvedConv2dOptions {
  if (options === null || typeof options !== 'object') throw new TypeError(`${op}: options must be an object, got ${describe(options)}`);
  const stride = intPair(op, 'stride', options.stride ?? 1, 1);
  const dilation = intPair(op, 'dilation', options.dilation ?? 1, 1);
  const padding = options.padding ?? 0;
  if (padding === 'valid') return { stride, dilation, padBefore: [0, 0], padAfter: [0, 0] };
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new RangeError(`${op}: padding 'same' needs stride 1 (as PyTorch), got stride ${describe(options.stride)}`);
    }
    const total = [dilation[0] * (kernelH - 1), dilation[1] * (kernelW - 1)];
    const before: [number, number] = [Math.floor(total[0] / 2), Math.floor(total[1] / 2)];
    return { stride, dilation, padBefore: before, padAfter: [total[0] - before[0], total[1] - before[1]] };
  }
  if (typeof padding === 'string') {
    throw new RangeError(`${op}: padding must be a non-negative integer, a pair [h, w], 'valid' or 'same', got ${describe(padding)}`);
  }
  const pad = intPair(op, 'padding', padding, 0);
  return { stride, dilation, padBefore: pad, padAfter: pad };
}

/** The output size along one dim: floor((n + before + after − d·(k − 1) − 1) / s) + 1. */
function outSize(n: number, k: number, s: number, d: number, before: number, after: number): number {
  return Math.floor((n + before + after - d * (k - 1) - 1) / s) + 1;
}

interface Attrs {
  geometry: ConvGeometry;
}

const conv2dOp: OpFunction<Tensor[], Attrs> = defineOp<Tensor[], Attrs, undefined>({
  name: 'conv2d',
  forward: ([x, w, b], { geometry: g }) => {
    const outChannels = w.shape[0];
    const y = empty([x.shape[0], outChannels, g.outH, g.outW], x.dtype);
    conv2dForwardKernel(x.data, w.data, b === undefined ? null : b.data, y.data, x.shape[0], outChannels, g);
    return y;
  },
  // y = W ⋆ x + b: dx = the input gradient of dy through W, dW = Σₙ dyₙ·colsₙᵀ, db = dy summed over n, h, w
  backward: (dy, { inputs: [x, w], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? conv2dInputGrad(dy, w, attrs) : null,
    needsInputGrad[1] ? conv2dWeightGrad(x, dy, attrs) : null,
    needsInputGrad[2] ? sum(dy, [0, 2, 3]) : null,
  ],
});

/**
 * The input gradient of conv2d: dx = col2im(Wᵀ·dy) per image, shape [N, C, H, W]. Internal (conv2d's backward);
 * exported for its gradcheck test.
 */
export const conv2dInputGrad: OpFunction<[Tensor, Tensor], Attrs> = defineOp<[Tensor, Tensor], Attrs, undefined>({
  name: 'conv2dInputGrad',
  forward: ([dy, w], { geometry: g }) => {
    const batch = dy.shape[0];
    const dx = empty([batch, g.channels, g.height, g.width], dy.dtype);
    conv2dInputGradKernel(dy.data, w.data, dx.data, batch, w.shape[0], g);
    return dx;
  },
  // dx is bilinear in (dy, W), the adjoint of x ↦ W ⋆ x: for an upstream g (x's shape), d dy = W ⋆ g and
  // dW = the weight gradient of g against dy
  backward: (g, { inputs: [dy, w], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? conv2dOp(g, w, attrs) : null,
    needsInputGrad[1] ? conv2dWeightGrad(g, dy, attrs) : null,
  ],
});

/**
 * The weight gradient of conv2d: dW = Σₙ dyₙ·colsₙᵀ, shape [O, C, kh, kw]. Internal (conv2d's backward); exported
 * for its gradcheck test.
 */
export const conv2dWeightGrad: OpFunction<[Tensor, Tensor], Attrs> = defineOp<[Tensor, Tensor], Attrs, undefined>({
  name: 'conv2dWeightGrad',
  forward: ([x, dy], { geometry: g }) => {
    const outChannels = dy.shape[1];
    const dw = empty([outChannels, g.channels, g.kernelH, g.kernelW], x.dtype);
    conv2dWeightGradKernel(x.data, dy.data, dw.data, x.shape[0], outChannels, g);
    return dw;
  },
  // dW = Σ dy·colsᵀ is bilinear in (x, dy): for an upstream g (W's shape), dx = the input gradient of dy through g
  // and d dy = g ⋆ x
  backward: (g, { inputs: [x, dy], attrs, needsInputGrad }) => [
    needsInputGrad[0] ? conv2dInputGrad(dy, g, attrs) : null,
    needsInputGrad[1] ? conv2dOp(x, g, attrs) : null,
  ],
});

/**
 * The geometry of conv2d for an input [N, C, H, W] (or [C, H, W]) and a weight [O, C, kh, kw] (both checked), with errors naming
 * `op`. Exported for the Conv2d layer and the tests.
 */
export function conv2dGeometry(op: string, xShape: readonly number[], wShape: readonly number[], options: Conv2dOptions = {}): ConvGeometry {
  if (wShape.length !== 4) {
    throw new ShapeError(`${op}: weight must be 4-D [outChannels, inChannels, kh, kw], got ${formatShape(wShape)}`);
  }
  if (xShape.length !== 4 && xShape.length !== 3) {
    throw new ShapeError(`${op}: input must be 4-D [N, C, H, W] (or 3-D [C, H, W]), got ${formatShape(xShape)}`);
  }
  const [channels, height, width] = xShape.slice(-3);
  const [outChannels, inChannels, kernelH, kernelW] = wShape;
  if (outChannels === 0 || kernelH === 0 || kernelW === 0) {
    throw new ShapeError(`${op}: weight ${formatShape(wShape)} has an empty dim (outChannels, kh and kw must be ≥ 1)`);
  }
  if (channels !== inChannels) {
    throw new ShapeError(`${op}: input ${formatShape(xShape)} has ${channels} channels but weight ${formatShape(wShape)} expects ${inChannels} (weight is [outChannels, inChannels, kh, kw])`);
  }
  const { stride, dilation, padBefore, padAfter } = resolveConv2dOptions(op, options, kernelH, kernelW);
  const outH = outSize(height, kernelH, stride[0], dilation[0], padBefore[0], padAfter[0]);
  const outW = outSize(width, kernelW, stride[1], dilation[1], padBefore[1], padAfter[1]);
  if (outH < 1 || outW < 1) {
    const dilated = dilation[0] !== 1 || dilation[1] !== 1;
    const span = dilated ? ` (spanning ${dilation[0] * (kernelH - 1) + 1}×${dilation[1] * (kernelW - 1) + 1} with dilation ${dilation.join('×')})` : '';
    const padded = `${height + padBefore[0] + padAfter[0]}×${width + padBefore[1] + padAfter[1]}`;
    throw new ShapeError(`${op}: kernel ${formatShape(wShape)}${span} is larger than the padded input ${padded} of ${formatShape(xShape)}`);
  }
  return {
    channels, height, width, kernelH, kernelW,
    strideH: stride[0], strideW: stride[1], padTop: padBefore[0], padLeft: padBefore[1],
    dilationH: dilation[0], dilationW: dilation[1], outH, outW,
  };
}

/**
 * 2-D convolution (strictly, cross-correlation, as in every DL library) of x [N, C, H, W] with weight
 * [O, C, kh, kw], plus bias [O]: output [N, O, outH, outW] with outH = floor((H + 2p − d·(kh − 1) − 1) / s) + 1
 * (and likewise outW). A 3-D input [C, H, W] is treated as one image, as PyTorch. Groups are not supported.
 * @example
 * ```ts
 * import { conv2d, randn, zeros } from 'tapegrad';
 * const x = randn([2, 3, 8, 8]);
 * conv2d(x, randn([4, 3, 3, 3]), zeros([4]), { padding: 1 }).shape;       // [2, 4, 8, 8]
 * conv2d(x, randn([4, 3, 3, 3]), null, { stride: 2, dilation: 2 }).shape; // [2, 4, 2, 2]
 * ```
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv2dOptions = {}): Tensor {
  if (!(x instanceof Tensor) || !(weight instanceof Tensor) || !(bias === null || bias === undefined || bias instanceof Tensor)) {
    throw new TypeError('conv2d: expected conv2d(input: Tensor, weight: Tensor, bias: Tensor | null, options)');
  }
  checkOptionKeys('conv2d', options, CONV2D_OPTION_KEYS, CONV2D_UNSUPPORTED);
  const geometry = conv2dGeometry('conv2d', x.shape, weight.shape, options);
  const hasBias = bias !== null && bias !== undefined;
  if (hasBias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new ShapeError(`conv2d: bias ${formatShape(bias.shape)} does not fit weight ${formatShape(weight.shape)} (expected [${weight.shape[0]}])`);
  }
  const batched = x.ndim === 3 ? unsqueeze(x, 0) : x;
  const y = hasBias ? conv2dOp(batched, weight, bias, { geometry }) : conv2dOp(batched, weight, { geometry });
  return x.ndim === 3 ? squeeze(y, 0) : y;
}
