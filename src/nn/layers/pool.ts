/**
 * Pooling layers: MaxPool2d and AvgPool2d over NCHW inputs, as PyTorch's (floor mode only; no dilation).
 * @module
 */
import type { Tensor } from '../../tensor.js';
import type { IntPair } from '../../ops/conv.js';
import { AVG_POOL_UNSUPPORTED, MAX_POOL_UNSUPPORTED, avgPool2d, maxPool2d, resolvePool2dOptions } from '../../ops/pool.js';
import { checkBoolean, checkOptionKeys } from '../../checks.js';
import { Module } from '../module.js';

/**
 * Options of {@link MaxPool2d}.
 * @example `new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(zeros([1, 1, 8, 8])).shape  // [1, 1, 4, 4]`
 */
export interface MaxPool2dLayerOptions {
  /** Step between windows (default: kernelSize). */
  stride?: IntPair;
  /** Implicit −∞ on each side (default 0), at most half the kernel size. */
  padding?: IntPair;
}

/**
 * Options of {@link AvgPool2d}.
 * @example `new nn.AvgPool2d(2, { stride: 1 }).forward(ones([1, 1, 3, 3]))  // [[[[1, 1], [1, 1]]]]`
 */
export interface AvgPool2dLayerOptions extends MaxPool2dLayerOptions {
  /** Count the zero padding in each window's divisor (default true, as PyTorch). */
  countIncludePad?: boolean;
}

function pairText([h, w]: readonly [number, number]): string {
  return h === w ? `${h}` : `${h}×${w}`;
}

/**
 * Max pooling over kh×kw windows (see {@link maxPool2d}); the output size floors (PyTorch's ceilMode is not
 * supported).
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * new nn.MaxPool2d(2).forward(randn([1, 8, 24, 24])).shape;   // [1, 8, 12, 12]
 * ```
 */
export class MaxPool2d extends Module {
  /** [kh, kw]. */
  readonly kernelSize: [number, number];
  /** [sh, sw] (the kernel size unless given). */
  readonly stride: [number, number];
  /** Implicit padding on each side, [h, w] (padded with −∞). */
  readonly padding: [number, number];

  constructor(kernelSize: IntPair, options: MaxPool2dLayerOptions = {}) {
    super();
    // kernelSize is the first argument, as in PyTorch, so it is not an option here.
    checkOptionKeys('MaxPool2d', options, ['stride', 'padding'], MAX_POOL_UNSUPPORTED);
    ({ kernelSize: this.kernelSize, stride: this.stride, padding: this.padding } = resolvePool2dOptions('MaxPool2d', { ...options, kernelSize }));
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding });
  }

  override describe(): string {
    return `MaxPool2d(kernel ${pairText(this.kernelSize)}, stride ${pairText(this.stride)}${this.padding[0] || this.padding[1] ? `, padding ${pairText(this.padding)}` : ''})`;
  }
}

/**
 * Average pooling over kh×kw windows (see {@link avgPool2d}); the output size floors (PyTorch's ceilMode is not
 * supported).
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * new nn.AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false }).forward(randn([1, 4, 9, 9])).shape; // [1, 4, 5, 5]
 * ```
 */
export class AvgPool2d extends Module {
  /** [kh, kw]. */
  readonly kernelSize: [number, number];
  /** [sh, sw] (the kernel size unless given). */
  readonly stride: [number, number];
  /** Zeros on each side, [h, w]. */
  readonly padding: [number, number];
  /** Whether the padding zeros count in the divisor of each window. */
  readonly countIncludePad: boolean;

  constructor(kernelSize: IntPair, options: AvgPool2dLayerOptions = {}) {
    super();
    checkOptionKeys('AvgPool2d', options, ['stride', 'padding', 'countIncludePad'], AVG_POOL_UNSUPPORTED);
    ({ kernelSize: this.kernelSize, stride: this.stride, padding: this.padding } = resolvePool2dOptions('AvgPool2d', { ...options, kernelSize }));
    this.countIncludePad = checkBoolean('AvgPool2d', 'countIncludePad', options.countIncludePad ?? true);
  }

  forward(x: Tensor): Tensor {
    return avgPool2d(x, { kernelSize: this.kernelSize, stride: this.stride, padding: this.padding, countIncludePad: this.countIncludePad });
  }

  override describe(): string {
    const pad = this.padding[0] || this.padding[1] ? `, padding ${pairText(this.padding)}` : '';
    return `AvgPool2d(kernel ${pairText(this.kernelSize)}, stride ${pairText(this.stride)}${pad}${this.countIncludePad ? '' : ', countIncludePad: false'})`;
  }
}
