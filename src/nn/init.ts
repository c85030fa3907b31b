/**
 * Parameter initialisation, in place, with PyTorch's formulas (torch.nn.init): fans, gains, Xavier/Glorot and
 * Kaiming/He in their uniform and normal forms. Every function draws from the given Generator, or the default one.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { type Generator, defaultGenerator } from '../random.js';
import { formatShape } from '../shape.js';

/**
 * The nonlinearities {@link calculateGain} knows.
 * @example `calculateGain('tanh')  // 1.6667`
 */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/**
 * Which fan Kaiming initialisation scales by: fanIn keeps the forward's variance, fanOut the backward's.
 * @example `kaimingNormal_(zeros([4, 8]), { mode: 'fanOut' }).shape  // [4, 8]`
 */
export type FanMode = 'fanIn' | 'fanOut';

/**
 * The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh, √2 for relu,
 * √(2 / (1 + slope²)) for leakyRelu (slope `param`, default 0.01), 3/4 for selu.
 * @example `calculateGain('relu')  // 1.4142`
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear': case 'conv1d': case 'conv2d': case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new RangeError(`calculateGain: negative slope ${slope} is not a finite number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unknown nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * fanIn and fanOut of a weight: [out, in, ...kernel] gives fanIn = in·k, fanOut = out·k (k the kernel's size).
 * @example `calculateFans(zeros([8, 7, 5, 5]))  // { fanIn: 175, fanOut: 200 }`
 */
export function calculateFans(t: Tensor): {
  /** Inputs feeding each output: in·k. */
  fanIn: number;
  /** Outputs each input feeds: out·k. */
  fanOut: number;
} {
  if (t.ndim < 2) throw new RangeError(`init: fans need a tensor of at least 2 dims, got shape ${formatShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((p, s) => p * s, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

function fill(t: Tensor, draw: () => number): Tensor {
  for (let i = 0; i < t.size; i++) t.data[i] = draw();
  return t;
}

/**
 * Options shared by the random initialisers.
 * @example `uniform_(zeros([3]), -1, 1, { generator: new Generator(0) }).abs().max().item() < 1  // true`
 */
export interface InitOptions {
  /** Where the draws come from (default: the default generator). */
  generator?: Generator;
}

/**
 * Fills `t` with draws from U(a, b).
 * @example `uniform_(zeros([3]), -1, 1)`
 */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  if (!(a <= b)) throw new RangeError(`uniform_: need a ≤ b, got a=${a}, b=${b}`);
  const g = options.generator ?? defaultGenerator();
  return fill(t, () => a + (b - a) * g.random());
}

/**
 * Fills `t` with draws from N(mean, std²).
 * @example `normal_(zeros([3]), 0, 0.01)`
 */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  if (!(std >= 0)) throw new RangeError(`normal_: std must be ≥ 0, got ${std}`);
  const g = options.generator ?? defaultGenerator();
  return fill(t, () => mean + std * g.normal());
}

/** Fills `t` with `value`. @example `constant_(zeros([3]), 0.1)` */
export function constant_(t: Tensor, value: number): Tensor {
  t.data.fill(value);
  return t;
}

/** Fills `t` with zeros. @example `zeros_(new Dense(3, 2).bias!)  // [0, 0]` */
export function zeros_(t: Tensor): Tensor {
  return constant_(t, 0);
}

/** Fills `t` with ones. @example `ones_(zeros([3]))  // [1, 1, 1]` */
export function ones_(t: Tensor): Tensor {
  return constant_(t, 1);
}

/**
 * Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 * @example `xavierUniform_(zeros([20, 10])).abs().max().item() <= Math.sqrt(6 / 30)  // true`
 */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(t, -a, a, options);
}

/**
 * Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @example `xavierNormal_(zeros([200, 100])).std().item()  // about 0.0816 = √(2 / 300)`
 */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  const { fanIn, fanOut } = calculateFans(t);
  return normal_(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/**
 * Options of the Kaiming initialisers (PyTorch's defaults: a 0, fanIn, leakyRelu).
 * @example `kaimingUniform_(zeros([10, 50]), { a: 0, mode: 'fanIn', nonlinearity: 'relu' }).abs().max().item() <= Math.sqrt(6 / 50)  // true`
 */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (0 for ReLU). */
  a?: number;
  /** Which fan sets the scale: 'fanIn' (default) keeps the forward's variance, 'fanOut' the backward's. */
  mode?: FanMode;
  /** The nonlinearity that follows, for its gain (default 'leakyRelu', with slope `a`). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(t: Tensor, { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' }: KaimingOptions): number {
  const fans = calculateFans(t);
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`kaiming: mode must be 'fanIn' or 'fanOut', got ${JSON.stringify(mode)}`);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  return calculateGain(nonlinearity, a) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan).
 * @example `kaimingUniform_(zeros([16, 8, 3, 3]), { nonlinearity: 'relu' }).abs().max().item() <= Math.sqrt(6 / 72)  // true`
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd(t, options);
  return uniform_(t, -bound, bound, options);
}

/**
 * Kaiming/He normal: N(0, std²) with std = gain / √fan.
 * @example `kaimingNormal_(zeros([16, 8, 3, 3]), { mode: 'fanOut', nonlinearity: 'relu' }).std().item()  // about 0.118 = √(2 / 144)`
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, 0, kaimingStd(t, options), options);
}

/**
 * PyTorch's default initialisation of Linear and Conv layers: weight from kaimingUniform_ with a = √5, which makes
 * it U(−1/√fanIn, 1/√fanIn), then the bias from the same range.
 * @example `defaultLayerInit_(zeros([4, 3]), null)`
 */
export function defaultLayerInit_(weight: Tensor, bias: Tensor | null, options: InitOptions = {}): void {
  kaimingUniform_(weight, { ...options, a: Math.sqrt(5) });
  if (bias !== null) {
    const { fanIn } = calculateFans(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, -bound, bound, options);
  }
}
