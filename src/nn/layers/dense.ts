/**
 * Dense (alias Linear): y = x·Wᵀ + b with W of shape [outFeatures, inFeatures], as PyTorch's nn.Linear.
 * @module
 */
import { Tensor } from '../../tensor.js';
import { empty } from '../../creation.js';
import { type DType, DEFAULT_DTYPE, checkDType } from '../../dtype.js';
import { LAYER_DEVICE_UNSUPPORTED, checkBoolean, checkGenerator, checkOptionKeys, describe } from '../../checks.js';
import { ShapeError } from '../../errors.js';
import { formatShape } from '../../shape.js';
import { matmul, matmulT } from '../../ops/matmul.js';
import type { Generator } from '../../random.js';
import { Module, Parameter } from '../module.js';
import { defaultLayerInit_ } from '../init.js';

/**
 * x·Wᵀ + b over the last dim of x (any leading dims are batch dims). W is [out, in]; the product reads it
 * transposed in place, with no copy.
 * @example `linear(randn([4, 3]), randn([2, 3]), zeros([2])).shape  // [4, 2]`
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`linear: input must be a Tensor, got ${describe(x)}`);
  if (!(weight instanceof Tensor)) throw new TypeError(`linear: weight must be a Tensor, got ${describe(weight)}`);
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor)) throw new TypeError(`linear: bias must be a Tensor or null, got ${describe(bias)}`);
  if (weight.ndim !== 2) throw new ShapeError(`linear: weight must be 2-D [outFeatures, inFeatures], got ${formatShape(weight.shape)}`);
  const inFeatures = weight.shape[1];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inFeatures) {
    throw new ShapeError(`linear: input ${formatShape(x.shape)} does not fit weight ${formatShape(weight.shape)} (expected [..., ${inFeatures}])`);
  }
  // Checked here so that the message names linear, not the matmul or add inside it.
  for (const [label, t] of [['input', x], ['bias', bias]] as const) {
    if (t && t.dtype !== weight.dtype) throw new TypeError(`linear: ${label} is ${t.dtype} but weight is ${weight.dtype}; convert one with .to()`);
  }
  const y = x.ndim === 1 ? matmul(x, weight.T) : matmulT(x, weight, false, true);
  return bias ? y.add(bias) : y;
}

/**
 * Options of {@link Dense}.
 * @example `new nn.Dense(3, 2, { bias: false, dtype: 'float64' }).numParameters()  // 6`
 */
export interface DenseOptions {
  /** Add a learned bias (default true). */
  bias?: boolean;
  /** dtype of the parameters (default float32). */
  dtype?: DType;
  /** Draws for the initial weights (default: the default generator). */
  generator?: Generator;
}

/**
 * A fully connected layer, y = x·Wᵀ + b, initialised as PyTorch's Linear (W and b from U(−1/√in, 1/√in)).
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * const fc = new nn.Dense(784, 10);
 * fc.forward(randn([64, 784])).shape; // [64, 10]
 * ```
 */
export class Dense extends Module {
  /** Features of the input (its last dim). */
  readonly inFeatures: number;
  /** Features of the output. */
  readonly outFeatures: number;
  /** [outFeatures, inFeatures]. */
  weight: Parameter;
  /** [outFeatures], or null without bias. */
  bias: Parameter | null;

  constructor(inFeatures: number, outFeatures: number, options: DenseOptions = {}) {
    super();
    // Everything is checked before the parameters are made and drawn, so a bad option draws nothing.
    for (const [label, v] of [['inFeatures', inFeatures], ['outFeatures', outFeatures]] as const) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new RangeError(`Dense: ${label} must be a positive integer, got ${describe(v)}`);
    }
    checkOptionKeys('Dense', options, ['bias', 'dtype', 'generator'], LAYER_DEVICE_UNSUPPORTED);
    const bias = checkBoolean('Dense', 'bias', options.bias ?? true);
    const dtype = checkDType(options.dtype ?? DEFAULT_DTYPE, 'Dense');
    const generator = checkGenerator('Dense', options.generator);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = new Parameter(empty([outFeatures, inFeatures], dtype));
    this.bias = bias ? new Parameter(empty([outFeatures], dtype)) : null;
    this.resetParameters(generator);
  }

  /** Draws fresh initial values (PyTorch's default for Linear). */
  resetParameters(generator?: Generator): void {
    defaultLayerInit_(this.weight, this.bias, { generator: checkGenerator('Dense.resetParameters', generator) });
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override describe(): string {
    return `Dense(${this.inFeatures} → ${this.outFeatures}${this.bias ? '' : ', bias: false'})`;
  }

  override macs(input: Tensor): number {
    return (input.size / this.inFeatures) * this.inFeatures * this.outFeatures;
  }
}

/**
 * PyTorch's name for {@link Dense}.
 * @example `new nn.Linear(3, 2) instanceof nn.Dense  // true`
 */
export const Linear = Dense;
/** PyTorch's name for {@link Dense}. */
export type Linear = Dense;
