import { describe, expect, it } from 'vitest';
import {
  AnomalyError, AutogradError, Generator, GradcheckError, ShapeError, arange, defineOp, detectAnomaly, eye, full, gradcheck,
  linspace, nn, ones, rand, randint, randn, tensor, zeros, type Tensor,
} from '../src/index.js';
import { checkOptionKeys } from '../src/checks.js';
import { thrown } from './helpers.js';

describe('error classes', () => {
  it('are Errors with their own name', () => {
    for (const [Cls, name] of [
      [ShapeError, 'ShapeError'], [AutogradError, 'AutogradError'], [AnomalyError, 'AnomalyError'],
    ] as const) {
      const e = new Cls('msg');
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      expect(String(e)).toBe(`${name}: msg`);
    }
    const g = new GradcheckError('bad', { ok: false });
    expect(g).toBeInstanceOf(Error);
    expect(g.name).toBe('GradcheckError');
    expect(g.report).toEqual({ ok: false });
  });
});

describe('shape mismatch: ShapeError naming the op and both shapes', () => {
  it('broadcast of incompatible shapes', () => {
    const err = thrown(() => tensor([[1, 2, 3], [4, 5, 6]]).add(tensor([1, 2])));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/^add: /);
    expect(err.message).toContain('[2,3]');
    expect(err.message).toContain('[2]');
  });

  it('matmul with inner dimensions that differ', () => {
    const err = thrown(() => zeros([2, 3]).matmul(zeros([4, 5])));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
  });

  it('reshape to a different number of elements', () => {
    const err = thrown(() => zeros([6]).reshape(4, -1));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/reshape.*\[6\].*\[4,-1\]/);
  });

  it('ragged nested arrays', () => {
    const err = thrown(() => tensor([[1, 2], [3]]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/tensor: ragged/);
  });
});

describe('dim out of range: RangeError naming the op, the dim and the valid range', () => {
  it('a reduction', () => {
    const err = thrown(() => zeros([2, 3]).sum(2));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^sum: dim 2 .*2 dims.*-2\.\.1/);
  });

  it('a negative dim below -ndim', () => {
    const err = thrown(() => zeros([2, 3]).softmax(-3));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^softmax: dim -3/);
  });

  it('a movement op', () => {
    const err = thrown(() => zeros([2, 3]).transpose(0, 5));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^transpose: dim 5/);
  });
});

describe('non-integer or negative sizes: RangeError naming the op and the sizes', () => {
  it.each([
    ['zeros', () => zeros([2, -1]), '[2,-1]'],
    ['ones', () => ones([1.5]), '[1.5]'],
    ['full', () => full([3, NaN], 1), '[3,NaN]'],
    ['rand', () => rand([-3]), '[-3]'],
    ['randn', () => randn([2.2]), '[2.2]'],
    ['randint', () => randint(0, 2, [-1]), '[-1]'],
    ['eye', () => eye(2, -2), '[2,-2]'],
    ['reshape', () => zeros([6]).reshape(2, 2.5), '[2,2.5]'],
  ] as const)('%s', (op, fn, sizes) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message.startsWith(`${op}: `)).toBe(true);
    expect(err.message).toContain(sizes);
  });

  it('arange and linspace with bad counts or steps', () => {
    expect(thrown(() => arange(0, 3, 0))).toBeInstanceOf(RangeError);
    expect(thrown(() => arange(0, 3, 0)).message).toMatch(/^arange: .*step=0/);
    expect(thrown(() => linspace(0, 1, 2.5)).message).toMatch(/^linspace: .*2\.5/);
  });
});

describe('mixed dtypes: TypeError naming the op and both dtypes', () => {
  it('a library op', () => {
    const err = thrown(() => tensor([1]).add(tensor([1], { dtype: 'float64' })));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^add: mixed dtypes float32 \(input 0\) and float64 \(input 1\)/);
    // and says how to fix it
    expect(err.message).toContain(".to('float64')");
  });

  it('matmul', () => {
    const err = thrown(() => tensor([[1]], { dtype: 'float64' }).matmul(tensor([[1]])));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^matmul: mixed dtypes float64 .* float32/);
  });

  it('a user op made with defineOp', () => {
    const both = defineOp<[Tensor, Tensor]>({ name: 'both', forward: ([a]) => a.clone() });
    const err = thrown(() => both(tensor([1], { dtype: 'float64' }), tensor([1])));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^both: .*float64.*float32/);
  });
});

describe('backward on a non-scalar without a gradient: AutogradError naming the shape', () => {
  it('names the shape and says how to pass a gradient', () => {
    const y = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true }).mul(2);
    const err = thrown(() => y.backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/^backward: .*shape \[3,2\]/);
    expect(err.message).toMatch(/gradient/);
  });
});

describe('second backward through a freed graph: AutogradError naming the op and retainGraph', () => {
  it('names the freed op', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    const err = thrown(() => y.backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/sum/);
    expect(err.message).toMatch(/freed/);
    expect(err.message).toMatch(/retainGraph: true/);
  });

  it('also through a shared part of the graph reached from a new output', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    h.sum().backward();
    // h's node was freed by the first backward; a new op on top of it cannot go back through it
    const err = thrown(() => h.mul(2).sum().backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/exp.*freed/);
  });
});

describe('AnomalyError and GradcheckError carry the op / input', () => {
  it('AnomalyError names the op', () => {
    const err = thrown(() => detectAnomaly(() => tensor([-1]).sqrt()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/^sqrt: forward produced NaN/);
  });

  it('GradcheckError names the input and element', () => {
    const wrong = defineOp<[Tensor]>({ name: 'wrong', forward: ([x]) => x.mul(3), backward: (dy) => [dy.mul(2)] });
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const err = thrown(() => gradcheck((x) => wrong(x), [x]));
    expect(err).toBeInstanceOf(GradcheckError);
    expect(err.message).toMatch(/input 0 element \[0\], output element \[0\]: analytic 2 vs numerical (3|2\.9999)/);
  });
});

describe('options: unknown keys are TypeErrors, PyTorch options tapegrad lacks are refused by name', () => {
  it('Dense: an unknown key lists the allowed ones; device is not supported (but "cpu" is accepted)', () => {
    const e = thrown(() => new nn.Dense(2, 2, { init: 'x' } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("Dense: unknown option 'init' (expected bias, dtype, generator)");
    const d = thrown(() => new nn.Dense(2, 2, { device: 'cuda' } as never));
    expect(d).toBeInstanceOf(RangeError);
    expect(d.message).toMatch(/^Dense: option 'device' is not supported by tapegrad, got "cuda"/);
    expect(new nn.Dense(2, 3, { device: 'cpu', generator: new Generator(1) } as never).weight.shape).toEqual([3, 2]);
  });

  it('BatchNorm1d/2d: a typo such as momentun is an error, not a silently ignored key', () => {
    const e = thrown(() => new nn.BatchNorm1d(2, { momentun: 0.5 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("BatchNorm1d: unknown option 'momentun' (expected eps, momentum, affine, trackRunningStats, dtype)");
    expect(() => new nn.BatchNorm2d(2, { track_running_stats: false } as never)).toThrow(/^BatchNorm2d: unknown option 'track_running_stats' .*did you mean 'trackRunningStats'\?$/);
    expect(() => new nn.BatchNorm1d(2, { affine: 'no' as never })).toThrow(/^BatchNorm1d: affine must be true or false, got "no"$/);
    expect(() => new nn.BatchNorm1d(2, { momentum: '0.1' as never })).toThrow(/^BatchNorm1d: momentum must be .*, got "0\.1"$/);
    expect(new nn.BatchNorm1d(2, { momentum: 0.5 }).momentum).toBe(0.5);
  });

  it('Dropout: inplace (as an option, or as PyTorch\'s second argument) is refused as not supported; false is accepted', () => {
    for (const make of [() => new nn.Dropout(0.5, { inplace: true } as never), () => new nn.Dropout(0.5, true as never)]) {
      const e = thrown(make);
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^Dropout: option 'inplace' is not supported by tapegrad, got true/);
    }
    expect(() => new nn.Dropout(0.5, { p: 0.5 } as never)).toThrow(/^Dropout: unknown option 'p' \(expected generator\)$/);
    expect(() => new nn.Dropout(0.5, { generator: {} as Generator })).toThrow(/^Dropout: generator must be a Generator/);
    const s = thrown(() => new nn.Dropout('0.5' as never));
    expect(s).toBeInstanceOf(TypeError);
    expect(s.message).toBe('Dropout: p must be a probability in [0, 1), got "0.5"');
    expect(new nn.Dropout(0.5, false as never).eval().forward(tensor([1, 2])).toArray()).toEqual([1, 2]);
  });

  it('ReLU and LeakyReLU: inplace is refused as not supported; false is accepted and the layer works', () => {
    for (const [name, make] of [
      ['ReLU', () => new nn.ReLU({ inplace: true } as never)], ['ReLU', () => new nn.ReLU(true as never)],
      ['LeakyReLU', () => new nn.LeakyReLU(0.2, true as never)], ['LeakyReLU', () => new nn.LeakyReLU(0.2, { inplace: true } as never)],
    ] as const) {
      const e = thrown(make);
      expect(e, name).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^${name}: option 'inplace' is not supported by tapegrad, got true`));
    }
    expect(() => new nn.ReLU({ slope: 1 } as never)).toThrow(/^ReLU: unknown option 'slope' \(it takes no options\)$/);
    expect(new nn.ReLU(false as never).forward(tensor([-1, 2])).toArray()).toEqual([0, 2]);
    // LeakyReLU(0.2) on [-10, 2]: 0.2·(−10) = −2, and 2 unchanged
    expect(new nn.LeakyReLU(0.2, { inplace: false } as never).forward(tensor([-10, 2])).toArray()).toEqual([-2, 2]);
    const s = thrown(() => new nn.LeakyReLU('0.2' as never));
    expect(s).toBeInstanceOf(TypeError);
    expect(s.message).toBe('LeakyReLU: negativeSlope must be a number, got "0.2"');
  });

  it('checkOptionKeys: a non-object, an array, and keys that only an unsupported entry knows', () => {
    expect(() => checkOptionKeys('f', 3 as never, ['a'])).toThrow(/^f: options must be an object, got 3$/);
    expect(() => checkOptionKeys('f', [1] as never, ['a'])).toThrow(/^f: options must be an object, got \[1\]$/);
    expect(() => checkOptionKeys('f', { a: 1, b: undefined }, ['a'], { b: {} })).not.toThrow();
    expect(() => checkOptionKeys('f', { b: 0 }, ['a'], { b: { harmless: (v) => v === 1, hint: 'use a' } })).toThrow(/^f: option 'b' is not supported by tapegrad, got 0 \(use a\)$/);
    // an inherited name is not an option: 'constructor' is unknown, not looked up on the prototype
    expect(() => checkOptionKeys('f', { constructor: 1 }, ['a'], { b: {} })).toThrow(/^f: unknown option 'constructor'/);
  });
});

describe('Dense and linear: arguments checked before any draw, messages naming them', () => {
  it('dtype, bias and generator are checked (TypeErrors naming Dense and the value)', () => {
    for (const [options, message] of [
      [{ dtype: 'float16' }, /^Dense: unknown dtype "float16"/], [{ dtype: 'Float64' }, /^Dense: unknown dtype "Float64"/],
      [{ bias: 'no' }, /^Dense: bias must be true or false, got "no"$/],
      [{ generator: {} }, /^Dense: generator must be a Generator \(e\.g\. new Generator\(0\)\), got object$/],
    ] as const) {
      const e = thrown(() => new nn.Dense(2, 3, options as never));
      expect(e, String(message)).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(message);
    }
    expect(() => new nn.Dense(2.5, 3)).toThrow(/^Dense: inFeatures must be a positive integer, got 2\.5$/);
    expect(() => new nn.Dense(2, '3' as never)).toThrow(/^Dense: outFeatures must be a positive integer, got "3"$/);
  });

  it('a bad option draws nothing from the generator; good options still make the layer', () => {
    const g = new Generator(7);
    const before = g.getState();
    for (const bad of [{ dtype: 'float16' }, { bias: 'no' }, { init: 'x' }]) {
      expect(() => new nn.Dense(2, 3, { ...bad, generator: g } as never)).toThrow(TypeError);
      expect(g.getState()).toEqual(before);
    }
    const fc = new nn.Dense(2, 3, { dtype: 'float64', bias: false, generator: g });
    expect([fc.weight.dtype, fc.bias]).toEqual(['float64', null]);
    // U(−1/√2, 1/√2) for fanIn 2
    for (const w of fc.weight.data) expect(Math.abs(w)).toBeLessThanOrEqual(1 / Math.SQRT2);
  });

  it('linear: a weight that is not 2-D is reported as such, not as "expected [..., undefined]"', () => {
    const e = thrown(() => nn.linear(zeros([2, 2]), tensor([1, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('linear: weight must be 2-D [outFeatures, inFeatures], got [2]');
    expect(() => nn.linear(zeros([2, 3]), zeros([4, 2]))).toThrow(/^linear: input \[2,3\] does not fit weight \[4,2\] \(expected \[\.\.\., 2\]\)$/);
  });

  it('linear: mixed dtypes are reported by linear, not by the matmul inside it', () => {
    const w = zeros([2, 3]);
    const e = thrown(() => nn.linear(zeros([1, 3], { dtype: 'float64' }), w));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('linear: input is float64 but weight is float32; convert one with .to()');
    expect(() => nn.linear(zeros([1, 3]), w, zeros([2], { dtype: 'float64' }))).toThrow(/^linear: bias is float64 but weight is float32/);
    expect(() => nn.linear([1, 2, 3] as never, w)).toThrow(/^linear: input must be a Tensor, got \[1, 2, 3\]$/);
    // x·Wᵀ + b by hand: [1, 2, 3]·[[1, 0, 1], [0, 1, 0]]ᵀ = [4, 2], plus [0.5, −1]
    expect(nn.linear(tensor([[1, 2, 3]]), tensor([[1, 0, 1], [0, 1, 0]]), tensor([0.5, -1])).toArray()).toEqual([[4.5, 1]]);
  });
});

describe('Sequential.at: only an integer names a layer', () => {
  const seq = new nn.Sequential(new nn.ReLU(), new nn.Tanh(), new nn.Identity());
  it('0.5, NaN and Infinity are RangeErrors (Array.at would truncate 0.5 to 0), a string a TypeError', () => {
    for (const i of [0.5, NaN, Infinity, 3, -4]) {
      const e = thrown(() => seq.at(i));
      expect(e, String(i)).toBeInstanceOf(RangeError);
      expect(e.message).toBe(`Sequential.at: index ${i} is out of range -3..2 for 3 layers (an integer; negative counts from the end)`);
    }
    expect(() => seq.at('1' as never)).toThrow(/^Sequential.at: index must be an integer, got "1"$/);
    expect(seq.at(1)).toBeInstanceOf(nn.Tanh);
    expect(seq.at(-1)).toBeInstanceOf(nn.Identity);
  });
});
