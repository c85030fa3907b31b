import { describe, expect, it } from 'vitest';
import {
  Generator, ShapeError, Tensor, arange, eye, full, fullLike, linspace, ones, onesLike, rand, randLike, randint,
  randintLike, randn, randnLike, tensor, zeros, zerosLike,
} from '../src/index.js';

const arr = (t: Tensor): number[] => Array.from(t.data);

describe('tensor()', () => {
  it('from nested arrays: shape from the nesting, values row-major, float32 by default', () => {
    const t = tensor([[[1, 2], [3, 4], [5, 6]]]);
    expect(t.shape).toEqual([1, 3, 2]);
    expect(t.dtype).toBe('float32');
    expect(arr(t)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('from a scalar: shape []', () => {
    const t = tensor(-3.25, { dtype: 'float64' });
    expect(t.shape).toEqual([]);
    expect(t.dtype).toBe('float64');
    expect(t.item()).toBe(-3.25);
  });

  it('empty arrays give size-0 shapes', () => {
    expect(tensor([]).shape).toEqual([0]);
    expect(tensor([[], []]).shape).toEqual([2, 0]);
  });

  it('from typed arrays: copied, 1-D, of the array’s dtype unless dtype says otherwise', () => {
    const src64 = Float64Array.from([0.1, 0.2]);
    const t64 = tensor(src64);
    expect(t64.dtype).toBe('float64');
    expect(t64.shape).toEqual([2]);
    expect(t64.data).not.toBe(src64);
    src64[0] = 5;
    expect(t64.data[0]).toBe(0.1);
    expect(tensor(Float32Array.from([1, 2])).dtype).toBe('float32');
    const narrowed = tensor(Float64Array.from([0.1]), { dtype: 'float32' });
    expect(narrowed.dtype).toBe('float32');
    expect(narrowed.data[0]).toBe(Math.fround(0.1));
  });

  it('float32 storage rounds; float64 keeps the double', () => {
    expect(tensor([1 / 3]).data[0]).toBe(Math.fround(1 / 3));
    expect(tensor([1 / 3], { dtype: 'float64' }).data[0]).toBe(1 / 3);
  });

  it('requiresGrad makes a leaf that records', () => {
    const t = tensor([1], { requiresGrad: true });
    expect(t.requiresGrad).toBe(true);
    expect(t.isLeaf).toBe(true);
    expect(tensor([1]).requiresGrad).toBe(false);
  });

  it('a ragged nesting is a ShapeError naming where', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow(ShapeError);
    expect(() => tensor([[1, 2], [3]])).toThrow(/\[1\].*length 1.*\[2,2\]/);
    expect(() => tensor([[1, 2], 3] as never)).toThrow(ShapeError);
    // deeper on a later element than on the first one: ragged too
    expect(() => tensor([1, [2]] as never)).toThrow(ShapeError);
  });

  it('a non-number is a TypeError naming where', () => {
    expect(() => tensor([1, 'a'] as never)).toThrow(TypeError);
    expect(() => tensor([1, 'a'] as never)).toThrow(/\[1\].*string/);
    expect(() => tensor([[1], [null]] as never)).toThrow(TypeError);
    expect(() => tensor('3' as never)).toThrow(TypeError);
  });

  it('an unknown dtype is a TypeError that shows the value as given', () => {
    expect(() => tensor([1], { dtype: 'float16' as never })).toThrow(/float16/);
    expect(() => zeros([1], { dtype: NaN as never })).toThrow(/^zeros: unknown dtype NaN;/);
    expect(() => zeros([1], { dtype: 64 as never })).toThrow(TypeError);
  });
});

describe('constant fills', () => {
  it('zeros, ones, full: shape, dtype, values', () => {
    const z = zeros([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(arr(z)).toEqual(new Array(6).fill(0));
    const o = ones([4], { dtype: 'float64' });
    expect(o.dtype).toBe('float64');
    expect(arr(o)).toEqual([1, 1, 1, 1]);
    const f = full([2, 2], -1.5, { requiresGrad: true });
    expect(arr(f)).toEqual([-1.5, -1.5, -1.5, -1.5]);
    expect(f.requiresGrad).toBe(true);
    expect(zeros([]).shape).toEqual([]);
    expect(zeros([]).size).toBe(1);
  });

  it('non-integer or negative sizes are RangeErrors naming the op and the shape', () => {
    expect(() => zeros([2, -1])).toThrow(RangeError);
    expect(() => zeros([2, -1])).toThrow(/zeros.*\[2,-1\]/);
    expect(() => ones([1.5])).toThrow(/ones.*\[1\.5\]/);
    expect(() => full([NaN], 0)).toThrow(RangeError);
    expect(() => full([Infinity], 0)).toThrow(RangeError);
  });
});

describe('arange', () => {
  it('one argument: 0 to end', () => {
    expect(arr(arange(4))).toEqual([0, 1, 2, 3]);
  });
  it('two arguments: start to end', () => {
    expect(arr(arange(2, 5))).toEqual([2, 3, 4]);
    expect(arr(arange(5, 5))).toEqual([]);
  });
  it('three arguments: with a step, positive or negative, end excluded', () => {
    expect(arr(arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(arr(arange(5, 0, -2))).toEqual([5, 3, 1]);
    // ceil((1 - 0) / 0.3) = 4 values
    expect(arange(0, 1, 0.3, { dtype: 'float64' }).size).toBe(4);
  });
  it('values are start + i·step', () => {
    const t = arange(-1, 1, 0.1, { dtype: 'float64' });
    expect(t.size).toBe(20);
    arr(t).forEach((v, i) => expect(v).toBe(-1 + i * 0.1));
  });
  it('a zero step, a step away from end, or a non-finite argument is a RangeError', () => {
    expect(() => arange(0, 5, 0)).toThrow(RangeError);
    expect(() => arange(0, 5, -1)).toThrow(/step -1/);
    expect(() => arange(0, Infinity)).toThrow(RangeError);
    expect(() => arange(NaN)).toThrow(RangeError);
  });
});

describe('linspace', () => {
  it('evenly spaced with both endpoints', () => {
    expect(arr(linspace(0, 1, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(arr(linspace(3, -3, 3))).toEqual([3, 0, -3]);
  });
  it('endpoints are exact even when start + (n-1)·step would not be', () => {
    // -1 + 19·(1.9/19) is 0.8999999999999999 in doubles
    expect(-1 + 19 * ((0.9 - -1) / 19)).not.toBe(0.9);
    const t = linspace(-1, 0.9, 20, { dtype: 'float64' });
    expect(t.data[0]).toBe(-1);
    expect(t.data[19]).toBe(0.9);
    arr(t).forEach((v, i) => expect(v).toBeCloseTo(-1 + i * 0.1, 14));
  });
  it('one step gives start; zero steps give an empty tensor; bad steps are RangeErrors', () => {
    expect(arr(linspace(2, 9, 1))).toEqual([2]);
    expect(linspace(2, 9, 0).shape).toEqual([0]);
    expect(() => linspace(0, 1, 2.5)).toThrow(RangeError);
    expect(() => linspace(0, 1, -1)).toThrow(/steps/);
    expect(() => linspace(0, Infinity, 3)).toThrow(RangeError);
  });
});

describe('eye', () => {
  it('n×n identity', () => {
    expect(eye(3).toArray()).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  });
  it('n×m identity, wide and tall', () => {
    expect(eye(2, 3).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
    expect(eye(3, 2, { dtype: 'float64' }).toArray()).toEqual([[1, 0], [0, 1], [0, 0]]);
  });
  it('bad sizes are RangeErrors', () => {
    expect(() => eye(-1)).toThrow(RangeError);
    expect(() => eye(2, 1.5)).toThrow(/eye/);
  });
});

describe('random creation', () => {
  it('rand, randn, randint: same seed same values, different seed different values', () => {
    for (const make of [
      (g: Generator) => rand([50], { generator: g }),
      (g: Generator) => randn([50], { generator: g }),
      (g: Generator) => randint(0, 1000, [50], { generator: g }),
    ]) {
      const a = arr(make(new Generator(42)));
      const b = arr(make(new Generator(42)));
      const c = arr(make(new Generator(43)));
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    }
  });

  it('successive draws from one generator differ', () => {
    const g = new Generator(1);
    expect(arr(rand([10], { generator: g }))).not.toEqual(arr(rand([10], { generator: g })));
  });

  it('rand lies in [0, 1) with mean about 1/2', () => {
    const n = 10_000;
    const t = rand([n], { dtype: 'float64', generator: new Generator(5) });
    const v = arr(t);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    const mean = v.reduce((s, x) => s + x, 0) / n;
    // uniform variance 1/12: standard error of the mean √(1/12n); allow 5 of them
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
  });

  it('rand in float32 never rounds up to 1', () => {
    // a generator whose draws sit just below 1, where float32 rounding would give exactly 1
    class NearOne extends Generator {
      override random(): number {
        return 1 - 2 ** -30;
      }
    }
    const t = rand([4], { generator: new NearOne(0) });
    for (const v of t.data) expect(v).toBeLessThan(1);
  });

  it('randn: sample mean and std of 10,000 draws are 0 and 1 within the standard error', () => {
    const n = 10_000;
    const v = arr(randn([n], { dtype: 'float64', generator: new Generator(2024) }));
    const mean = v.reduce((s, x) => s + x, 0) / n;
    const std = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
    // SE(mean) = 1/√n = 0.01, SE(std) ≈ 1/√(2n) ≈ 0.0071; allow 5 standard errors
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(std - 1)).toBeLessThan(5 / Math.sqrt(2 * n));
    // P(|z| < 1) = 0.6827 for a standard normal; SE √(p(1-p)/n)
    const within = v.filter((x) => Math.abs(x) < 1).length / n;
    expect(Math.abs(within - 0.6827)).toBeLessThan(5 * Math.sqrt(0.6827 * 0.3173 / n));
  });

  it('randint gives integers in [low, high), every value appearing', () => {
    const t = randint(-2, 3, [2000], { generator: new Generator(9) });
    const v = arr(t);
    expect(v.every(Number.isInteger)).toBe(true);
    expect([...new Set(v)].sort((a, b) => a - b)).toEqual([-2, -1, 0, 1, 2]);
  });

  it('randint with bad bounds is a RangeError naming them', () => {
    expect(() => randint(3, 3, [2])).toThrow(RangeError);
    expect(() => randint(0, 2.5, [2])).toThrow(/high=2\.5/);
  });

  it('random functions take shape, dtype and requiresGrad options', () => {
    const t = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(0) });
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float64');
    expect(t.requiresGrad).toBe(true);
    expect(() => rand([-1])).toThrow(RangeError);
  });
});

describe('*Like forms', () => {
  const x64 = tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' });
  const x32 = tensor([1, 2]);

  it('zerosLike, onesLike, fullLike keep shape and dtype', () => {
    for (const [t, value] of [[zerosLike(x64), 0], [onesLike(x64), 1], [fullLike(x64, 7), 7]] as const) {
      expect(t.shape).toEqual([2, 3]);
      expect(t.dtype).toBe('float64');
      expect(arr(t)).toEqual(new Array(6).fill(value));
    }
    expect(zerosLike(x32).dtype).toBe('float32');
  });

  it('randLike, randnLike, randintLike keep shape and dtype and draw like their plain forms', () => {
    const r = randLike(x64, { generator: new Generator(3) });
    expect(r.shape).toEqual([2, 3]);
    expect(r.dtype).toBe('float64');
    expect(arr(r)).toEqual(arr(rand([2, 3], { dtype: 'float64', generator: new Generator(3) })));
    const n = randnLike(x32, { generator: new Generator(3) });
    expect(n.dtype).toBe('float32');
    expect(arr(n)).toEqual(arr(randn([2], { generator: new Generator(3) })));
    const i = randintLike(x64, 0, 4, { generator: new Generator(3) });
    expect(i.dtype).toBe('float64');
    expect(arr(i)).toEqual(arr(randint(0, 4, [2, 3], { dtype: 'float64', generator: new Generator(3) })));
  });

  it('options override the dtype and set requiresGrad', () => {
    const t = zerosLike(x64, { dtype: 'float32', requiresGrad: true });
    expect(t.dtype).toBe('float32');
    expect(t.requiresGrad).toBe(true);
    // the source's requiresGrad is not copied
    expect(onesLike(tensor([1], { requiresGrad: true })).requiresGrad).toBe(false);
  });
});
