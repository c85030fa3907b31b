/**
 * Conv2d: a 2-D convolution layer over NCHW inputs, as PyTorch's nn.Conv2d (without groups or padding modes).
 * @module
 */
import type { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { type DType, DEFAULT_DTYPE, checkDType } from '../../dtype.js';
import type { Generator } from '../../random.js';
import { CONV2D_OPTION_KEYS, CONV2D_UNSUPPORTED, type Conv2dPadding, type IntPair, conv2d, intPair, resolveConv2dOptions } from '../../ops/conv.js';
import { LAYER_DEVICE_UNSUPPORTED, type UnsupportedOption, checkBoolean, checkGenerator, checkOptionKeys, describe } from '../../checks.js';
import { Module, Parameter } from '../module.js';
import { defaultLayerInit_ } from '../init.js';

/** PyTorch's Conv2d options that tapegrad lacks: those of the function, the padding modes and the device. */
const CONV2D_LAYER_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  ...CONV2D_UNSUPPORTED,
  ...LAYER_DEVICE_UNSUPPORTED,
  paddingMode: { harmless: (v) => v === 'zeros', hint: "only zero padding ('zeros') is implemented" },
};

/**
 * Options of {@link Conv2d}.
 * @example `new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1 }).forward(zeros([1, 3, 32, 32])).shape  // [1, 8, 16, 16]`
 */
export interface Conv2dLayerOptions {
  /** Step between receptive fields (default 1). */
  stride?: IntPair;
  /** Zeros on each side (default 0), or 'valid' / 'same' ('same' needs stride 1). */
  padding?: Conv2dPadding;
  /** Spacing between kernel taps (default 1). */
  dilation?: IntPair;
  /** Add a learned bias per output channel (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
  /** Draws for the initial weights (default: the default generator). */
  generator?: Generator;
}

/**
 * A 2-D convolution layer: y = W ⋆ x + b with W of shape [outChannels, inChannels, kh, kw], on inputs
 * [N, inChannels, H, W]. Initialised as PyTorch's Conv2d: W and b from U(−1/√fanIn, 1/√fanIn), fanIn = in·kh·kw.
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * const conv = new nn.Conv2d(1, 8, 5);
 * conv.forward(randn([64, 1, 28, 28])).shape;   // [64, 8, 24, 24]
 * new nn.Conv2d(8, 16, 3, { padding: 'same' }).numParameters(); // 16·8·3·3 + 16 = 1168
 * ```
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output (the number of filters). */
  readonly outChannels: number;
  /** [kh, kw]. */
  readonly kernelSize: [number, number];
  /** [sh, sw]. */
  readonly stride: [number, number];
  /** [h, w], or 'valid' / 'same' as given. */
  readonly padding: [number, number] | 'valid' | 'same';
  /** [dh, dw]. */
  readonly dilation: [number, number];
  /** [outChannels, inChannels, kh, kw]. */
  weight: Parameter;
  /** [outChannels], or null without bias. */
  bias: Parameter | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options: Conv2dLayerOptions = {}) {
    super();
    // Everything is checked before the parameters are made and drawn, so a bad option draws nothing.
    for (const [label, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`Conv2d: ${label} must be a positive integer, got ${describe(v)}`);
    }
    checkOptionKeys('Conv2d', options, [...CONV2D_OPTION_KEYS, 'bias', 'dtype', 'generator'], CONV2D_LAYER_UNSUPPORTED);
    const kernel = intPair('Conv2d', 'kernelSize', kernelSize, 1);
    const resolved = resolveConv2dOptions('Conv2d', options, kernel[0], kernel[1]);
    const bias = checkBoolean('Conv2d', 'bias', options.bias ?? true);
    const dtype = checkDType(options.dtype ?? DEFAULT_DTYPE, 'Conv2d');
    const generator = checkGenerator('Conv2d', options.generator);
    this.inChannels = inChannels;
    this.outChannels = outChannels;
    this.kernelSize = kernel;
    this.stride = resolved.stride;
    this.dilation = resolved.dilation;
    const padding = options.padding ?? 0;
    this.padding = padding === 'valid' || padding === 'same' ? padding : resolved.padBefore;
    this.weight = new Parameter(empty([outChannels, inChannels, ...kernel], dtype));
    this.bias = bias ? new Parameter(empty([outChannels], dtype)) : null;
    this.resetParameters(generator);
  }

  /** Draws fresh initial values (PyTorch's default for Conv2d). */
  resetParameters(generator?: Generator): void {
    defaultLayerInit_(this.weight, this.bias, { generator: checkGenerator('Conv2d.resetParameters', generator) });
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, { stride: this.stride, padding: this.padding, dilation: this.dilation });
  }

  override describe(): string {
    const pair = ([h, w]: readonly [number, number]) => (h === w ? `${h}` : `${h}×${w}`);
    const parts = [`${this.inChannels} → ${this.outChannels}`, `kernel ${this.kernelSize[0]}×${this.kernelSize[1]}`];
    if (this.stride[0] !== 1 || this.stride[1] !== 1) parts.push(`stride ${pair(this.stride)}`);
    if (typeof this.padding === 'string') parts.push(`padding '${this.padding}'`);
    else if (this.padding[0] !== 0 || this.padding[1] !== 0) parts.push(`padding ${pair(this.padding)}`);
    if (this.dilation[0] !== 1 || this.dilation[1] !== 1) parts.push(`dilation ${pair(this.dilation)}`);
    if (this.bias === null) parts.push('bias: false');
    return `Conv2d(${parts.join(', ')})`;
  }

  /** N·outChannels·outH·outW output values, each a sum of inChannels·kh·kw products. */
  override macs(_input: Tensor, output: Tensor): number {
    return output.size * this.inChannels * this.kernelSize[0] * this.kernelSize[1];
  }
}
