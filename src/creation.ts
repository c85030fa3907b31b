/**
 * Creation functions: tensors from data, constant fills, ranges, identity, and seeded random draws. Every random
 * one takes an optional {@link Generator} and otherwise uses the default one ({@link manualSeed} reseeds it).
 * @module
 */
import { Tensor, type NestedArray } from './tensor.js';
import { type DType, type TypedArray, DEFAULT_DTYPE, allocate, checkDType, dtypeOf } from './dtype.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';
import { ShapeError } from './errors.js';
import { type Generator, defaultGenerator } from './random.js';

/**
 * Options of the creation functions.
 * @example `zeros([2], { dtype: 'float64', requiresGrad: true }).requiresGrad  // true`
 */
export interface TensorOptions {
  /** 'float32' (default) or 'float64'. */
  dtype?: DType;
  /** Make the result a leaf that records the ops applied to it (default false). */
  requiresGrad?: boolean;
}

/**
 * Options of the random creation functions.
 * @example `randn([2, 3], { generator: new Generator(0), dtype: 'float64' }).dtype  // 'float64'`
 */
export interface RandomOptions extends TensorOptions {
  /** Where the draws come from (default: the default generator). */
  generator?: Generator;
}

function make(data: TypedArray, shape: Shape, options: TensorOptions): Tensor {
  return new Tensor(data, shape, { requiresGrad: options.requiresGrad ?? false });
}

function dtypeFrom(options: TensorOptions, op: string): DType {
  return options.dtype === undefined ? DEFAULT_DTYPE : checkDType(options.dtype, op);
}

/**
 * A tensor from a number, nested arrays of numbers, or a Float32Array/Float64Array (copied; 1-D, and of that
 * array's dtype unless `dtype` says otherwise).
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * tensor([[1, 2], [3, 4]]);                          // shape [2, 2], float32
 * tensor(3.5, { dtype: 'float64' });                 // a scalar, shape []
 * tensor([1, 2], { requiresGrad: true });            // a leaf for autograd
 * ```
 */
export function tensor(data: NestedArray | TypedArray, options: TensorOptions = {}): Tensor {
  if (data instanceof Float32Array || data instanceof Float64Array) {
    const dtype = options.dtype === undefined ? dtypeOf(data) : checkDType(options.dtype, 'tensor');
    const out = allocate(dtype, data.length);
    out.set(data);
    return make(out, [data.length], options);
  }
  const dtype = dtypeFrom(options, 'tensor');
  const shape: number[] = [];
  for (let level: unknown = data; Array.isArray(level); level = level[0]) shape.push(level.length);
  const out = allocate(dtype, sizeOf(shape));
  let pos = 0;
  const fill = (value: unknown, d: number, path: string): void => {
    if (d === shape.length) {
      if (Array.isArray(value)) {
        throw new ShapeError(`tensor: ragged nested array: ${path} is an array where shape ${formatShape(shape)} expects a number`);
      }
      if (typeof value !== 'number') {
        throw new TypeError(`tensor: expected a number at ${path || 'the top level'}, got ${value === null ? 'null' : typeof value}`);
      }
      out[pos++] = value;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[d]) {
      const got = Array.isArray(value) ? `length ${value.length}` : typeof value;
      throw new ShapeError(`tensor: ragged nested array: ${path || 'the top level'} has ${got} where shape ${formatShape(shape)} expects length ${shape[d]} at dim ${d}`);
    }
    for (let i = 0; i < value.length; i++) fill(value[i], d + 1, `${path}[${i}]`);
  };
  fill(data, 0, '');
  return make(out, shape, options);
}

/**
 * A tensor of `shape` filled with `value`.
 * @example
 * ```ts
 * import { full } from 'tapegrad';
 * full([2, 3], 0.5);
 * ```
 */
export function full(shape: Shape, value: number, options: TensorOptions = {}): Tensor {
  return fill(shape, value, options, 'full');
}

function fill(shape: Shape, value: number, options: TensorOptions, op: string): Tensor {
  const s = checkShape(shape, op);
  const data = allocate(dtypeFrom(options, op), sizeOf(s));
  if (value !== 0) data.fill(value);
  return make(data, s, options);
}

/**
 * A tensor of zeros.
 * @example
 * ```ts
 * import { zeros } from 'tapegrad';
 * zeros([2, 3]);
 * ```
 */
export function zeros(shape: Shape, options: TensorOptions = {}): Tensor {
  return fill(shape, 0, options, 'zeros');
}

/**
 * A tensor of ones.
 * @example
 * ```ts
 * import { ones } from 'tapegrad';
 * ones([3], { dtype: 'float64' });
 * ```
 */
export function ones(shape: Shape, options: TensorOptions = {}): Tensor {
  return fill(shape, 1, options, 'ones');
}

/**
 * Values from `start` (inclusive) to `end` (exclusive) in steps of `step`, like `torch.arange`; with one
 * argument, from 0 to it.
 * @example
 * ```ts
 * import { arange } from 'tapegrad';
 * arange(4);          // [0, 1, 2, 3]
 * arange(1, 2, 0.25); // [1, 1.25, 1.5, 1.75]
 * ```
 */
export function arange(start: number, end?: number, step = 1, options: TensorOptions = {}): Tensor {
  if (end === undefined) [start, end] = [0, start];
  if (![start, end, step].every(Number.isFinite) || step === 0) {
    throw new RangeError(`arange: start, end and step must be finite and step non-zero, got start=${start}, end=${end}, step=${step}`);
  }
  if ((end - start) / step < 0) {
    throw new RangeError(`arange: step ${step} goes away from end ${end} (start ${start})`);
  }
  const n = Math.ceil((end - start) / step);
  const data = allocate(dtypeFrom(options, 'arange'), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return make(data, [n], options);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included, like `torch.linspace`.
 * @example
 * ```ts
 * import { linspace } from 'tapegrad';
 * linspace(0, 1, 5); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function linspace(start: number, end: number, steps: number, options: TensorOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new RangeError(`linspace: start and end must be finite, got ${start} and ${end}`);
  const data = allocate(dtypeFrom(options, 'linspace'), steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  // NOTE: the second half counts back from end, so that the last value is exactly `end` (as PyTorch does).
  // A single step is `start` (as PyTorch).
  const half = steps === 1 ? 1 : Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
  return make(data, [steps], options);
}

/**
 * The n×m identity matrix (m defaults to n).
 * @example
 * ```ts
 * import { eye } from 'tapegrad';
 * eye(3);
 * ```
 */
export function eye(n: number, m: number = n, options: TensorOptions = {}): Tensor {
  const s = checkShape([n, m], 'eye');
  const data = allocate(dtypeFrom(options, 'eye'), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return make(data, s, options);
}

function random(shape: Shape, options: RandomOptions, op: string, draw: (g: Generator) => number): Tensor {
  const s = checkShape(shape, op);
  const g = options.generator ?? defaultGenerator();
  const data = allocate(dtypeFrom(options, op), sizeOf(s));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return make(data, s, options);
}

/**
 * Uniform draws from [0, 1).
 * @example
 * ```ts
 * import { rand, Generator } from 'tapegrad';
 * rand([2, 2], { generator: new Generator(7) });
 * ```
 */
export function rand(shape: Shape, options: RandomOptions = {}): Tensor {
  // NOTE: a double just below 1 rounds to 1 in float32; the largest float32 below 1 keeps the range [0, 1).
  const top = options.dtype === 'float64' ? 1 : 1 - 2 ** -24;
  return random(shape, options, 'rand', (g) => Math.min(g.random(), top));
}

/**
 * Standard normal draws.
 * @example
 * ```ts
 * import { randn, manualSeed } from 'tapegrad';
 * manualSeed(0);
 * randn([3]);
 * ```
 */
export function randn(shape: Shape, options: RandomOptions = {}): Tensor {
  return random(shape, options, 'randn', (g) => g.normal());
}

/**
 * Uniform integers from [low, high).
 * @example
 * ```ts
 * import { randint } from 'tapegrad';
 * randint(0, 10, [5]); // five class labels
 * ```
 */
export function randint(low: number, high: number, shape: Shape, options: RandomOptions = {}): Tensor {
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  return random(shape, options, 'randint', (g) => g.randint(low, high));
}

const like = (x: Tensor, options: TensorOptions) => ({ dtype: x.dtype, ...options });

/** Zeros with the shape and dtype of `x`. @example `zerosLike(tensor([1, 2]))` */
export function zerosLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return zeros(x.shape, like(x, options));
}
/** Ones with the shape and dtype of `x`. @example `onesLike(tensor([1, 2]))` */
export function onesLike(x: Tensor, options: TensorOptions = {}): Tensor {
  return ones(x.shape, like(x, options));
}
/** `value` everywhere, with the shape and dtype of `x`. @example `fullLike(tensor([1, 2]), 7)` */
export function fullLike(x: Tensor, value: number, options: TensorOptions = {}): Tensor {
  return full(x.shape, value, like(x, options));
}
/** Uniform draws with the shape and dtype of `x`. @example `randLike(tensor([1, 2]))` */
export function randLike(x: Tensor, options: RandomOptions = {}): Tensor {
  return rand(x.shape, like(x, options));
}
/** Normal draws with the shape and dtype of `x`. @example `randnLike(tensor([1, 2]))` */
export function randnLike(x: Tensor, options: RandomOptions = {}): Tensor {
  return randn(x.shape, like(x, options));
}
/** Integers from [low, high) with the shape and dtype of `x`. @example `randintLike(tensor([1, 2]), 0, 5)` */
export function randintLike(x: Tensor, low: number, high: number, options: RandomOptions = {}): Tensor {
  return randint(low, high, x.shape, like(x, options));
}

/** A new tensor over fresh storage of `shape` and `dtype`, for ops' forwards. */
export function empty(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/** A scalar tensor of `value` in the dtype of `like` (how ops take plain numbers). */
export function scalarLike(value: number, like: Tensor): Tensor {
  const data = allocate(like.dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}
