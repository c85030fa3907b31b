/**
 * Parameter initialisation, in place, with PyTorch's formulas (torch.nn.init): fans, gains, Xavier/Glorot and
 * Kaiming/He in their uniform and normal forms. Every function draws from the given Generator, or the default one.
 * @module
 */
import { Tensor } from '../tensor.js';
import { type Generator, defaultGenerator } from '../random.js';
import { checkFinite, checkGenerator, checkNumber, checkOptionKeys, describe } from '../checks.js';
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

/** Throws a TypeError naming `owner` unless `t` is a Tensor (the one to fill). */
function checkTarget(owner: string, t: unknown): asserts t is Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${owner}: expected a Tensor to fill, got ${describe(t)}`);
}

/** The generator of `options` (only `allowed` keys), checked; the default generator when none is given. */
function generatorOf(owner: string, options: InitOptions, allowed: readonly string[] = ['generator']): Generator {
  checkOptionKeys(owner, options, allowed);
  return checkGenerator(owner, options.generator) ?? defaultGenerator();
}

/** U(a, b) draws into t, unchecked (the public functions check first, under their own names). */
function drawUniform(t: Tensor, a: number, b: number, g: Generator): Tensor {
  return fill(t, () => a + (b - a) * g.random());
}

/** N(mean, std²) draws into t, unchecked. */
function drawNormal(t: Tensor, mean: number, std: number, g: Generator): Tensor {
  return fill(t, () => mean + std * g.normal());
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
 * Fills `t` with draws from U(a, b); a and b are finite with a ≤ b (a = b fills the constant, as PyTorch allows).
 * @example `uniform_(zeros([3]), -1, 1)`
 */
export function uniform_(t: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  checkTarget('uniform_', t);
  checkFinite('uniform_', 'a', a);
  checkFinite('uniform_', 'b', b);
  if (!(a <= b)) throw new RangeError(`uniform_: need a ≤ b, got a=${a}, b=${b}`);
  return drawUniform(t, a, b, generatorOf('uniform_', options));
}

/**
 * Fills `t` with draws from N(mean, std²); mean finite, std finite and ≥ 0.
 * @example `normal_(zeros([3]), 0, 0.01)`
 */
export function normal_(t: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  checkTarget('normal_', t);
  checkFinite('normal_', 'mean', mean);
  checkNumber('normal_', 'std', std);
  return drawNormal(t, mean, std, generatorOf('normal_', options));
}

/** Fills `t` with `value`, a finite number. @example `constant_(zeros([3]), 0.1)` */
export function constant_(t: Tensor, value: number): Tensor {
  checkTarget('constant_', t);
  t.data.fill(checkFinite('constant_', 'value', value));
  return t;
}

/** Fills `t` with zeros. @example `zeros_(new Dense(3, 2).bias!)  // [0, 0]` */
export function zeros_(t: Tensor): Tensor {
  checkTarget('zeros_', t);
  return constant_(t, 0);
}

/** Fills `t` with ones. @example `ones_(zeros([3]))  // [1, 1, 1]` */
export function ones_(t: Tensor): Tensor {
  checkTarget('ones_', t);
  return constant_(t, 1);
}

/**
 * Xavier/Glorot uniform: U(−a, a) with a = gain·√(6 / (fanIn + fanOut)).
 * @example `xavierUniform_(zeros([20, 10])).abs().max().item() <= Math.sqrt(6 / 30)  // true`
 */
export function xavierUniform_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  checkTarget('xavierUniform_', t);
  checkNumber('xavierUniform_', 'gain', gain);
  const g = generatorOf('xavierUniform_', options);
  const { fanIn, fanOut } = calculateFans(t);
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  return drawUniform(t, -a, a, g);
}

/**
 * Xavier/Glorot normal: N(0, std²) with std = gain·√(2 / (fanIn + fanOut)).
 * @example `xavierNormal_(zeros([200, 100])).std().item()  // about 0.0816 = √(2 / 300)`
 */
export function xavierNormal_(t: Tensor, gain = 1, options: InitOptions = {}): Tensor {
  checkTarget('xavierNormal_', t);
  checkNumber('xavierNormal_', 'gain', gain);
  const g = generatorOf('xavierNormal_', options);
  const { fanIn, fanOut } = calculateFans(t);
  return drawNormal(t, 0, gain * Math.sqrt(2 / (fanIn + fanOut)), g);
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

const KAIMING_KEYS = ['a', 'mode', 'nonlinearity', 'generator'] as const;

/** The std of Kaiming initialisation and the generator, every option checked (before any draw) with errors naming `owner`. */
function kaimingSetup(owner: string, t: Tensor, options: KaimingOptions): { std: number; g: Generator } {
  checkTarget(owner, t);
  const g = generatorOf(owner, options, KAIMING_KEYS);
  const { a = 0, mode = 'fanIn', nonlinearity = 'leakyRelu' } = options;
  checkFinite(owner, 'a', a);
  if (mode !== 'fanIn' && mode !== 'fanOut') throw new RangeError(`${owner}: mode must be 'fanIn' or 'fanOut', got ${describe(mode)}`);
  const fans = calculateFans(t);
  const fan = mode === 'fanIn' ? fans.fanIn : fans.fanOut;
  return { std: calculateGain(nonlinearity, a) / Math.sqrt(fan), g };
}

/**
 * Kaiming/He uniform: U(−b, b) with b = gain·√(3 / fan).
 * @example `kaimingUniform_(zeros([16, 8, 3, 3]), { nonlinearity: 'relu' }).abs().max().item() <= Math.sqrt(6 / 72)  // true`
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { std, g } = kaimingSetup('kaimingUniform_', t, options);
  const bound = Math.sqrt(3) * std;
  return drawUniform(t, -bound, bound, g);
}

/**
 * Kaiming/He normal: N(0, std²) with std = gain / √fan.
 * @example `kaimingNormal_(zeros([16, 8, 3, 3]), { mode: 'fanOut', nonlinearity: 'relu' }).std().item()  // about 0.118 = √(2 / 144)`
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const { std, g } = kaimingSetup('kaimingNormal_', t, options);
  return drawNormal(t, 0, std, g);
}

/**
 * PyTorch's default initialisation of Linear and Conv layers: weight from kaimingUniform_ with a = √5, which makes
 * it U(−1/√fanIn, 1/√fanIn), then the bias from the same range.
 * @example `defaultLayerInit_(zeros([4, 3]), null)`
 */
export function defaultLayerInit_(weight: Tensor, bias: Tensor | null, options: InitOptions = {}): void {
  // Both tensors and the generator are checked before the weight's draws, so a bad bias leaves the weight as it was.
  checkTarget('defaultLayerInit_', weight);
  if (bias !== null) checkTarget('defaultLayerInit_', bias);
  const g = generatorOf('defaultLayerInit_', options);
  const { fanIn } = calculateFans(weight);
  kaimingUniform_(weight, { a: Math.sqrt(5), generator: g });
  if (bias !== null) {
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    drawUniform(bias, -bound, bound, g);
  }
}
