import { describe, it, expect } from 'vitest';
import { Generator, ShapeError, Tensor, arange, tensor } from '../../src/index.js';
import { Subset, TensorDataset, randomSplit, randperm } from '../../src/data/index.js';
import { referencePerm, thrown } from '../helpers.js';

/** x with rows [3i, 3i+1, 3i+2] for i < n, and labels y_i = 10·i. */
function rows(n: number): { x: Tensor; y: Tensor } {
  return { x: arange(3 * n).reshape([n, 3]), y: tensor(Array.from({ length: n }, (_, i) => 10 * i)) };
}

describe('TensorDataset', () => {
  it('serves the i-th row of every tensor', () => {
    const { x, y } = rows(5);
    const ds = new TensorDataset(x, y);
    expect(ds.length).toBe(5);
    const [xi, yi] = ds.get(3);
    expect(xi.shape).toEqual([3]);
    expect(xi.toArray()).toEqual([9, 10, 11]);
    expect(yi.shape).toEqual([]);
    expect(yi.item()).toBe(30);
  });

  it('gathers a batch with indexSelect, in the given order', () => {
    const { x, y } = rows(6);
    const [xb, yb] = new TensorDataset(x, y).getBatch([4, 0, 4]);
    expect(xb.toArray()).toEqual([[12, 13, 14], [0, 1, 2], [12, 13, 14]]);
    expect(yb.toArray()).toEqual([40, 0, 40]);
  });

  it('keeps samples out of the graph', () => {
    const x = arange(6).reshape([3, 2]).requiresGrad_();
    const ds = new TensorDataset(x);
    expect(ds.get(0)[0].requiresGrad).toBe(false);
    expect(ds.getBatch([0, 1])[0].requiresGrad).toBe(false);
  });

  it('checks its tensors and indices', () => {
    expect(() => new TensorDataset(arange(4), arange(5))).toThrow(ShapeError);
    expect(() => new TensorDataset(arange(4), arange(5))).toThrow(/same first dim.*\[4\].*\[5\]/);
    expect(() => new TensorDataset()).toThrow(TypeError);
    expect(() => new TensorDataset(tensor(1))).toThrow(ShapeError);
    expect(() => new TensorDataset([1, 2] as never)).toThrow(TypeError);
    const ds = new TensorDataset(arange(4));
    expect(() => ds.get(4)).toThrow(RangeError);
    expect(() => ds.get(-1)).toThrow(RangeError);
    expect(() => ds.get(1.5)).toThrow(RangeError);
    expect(() => ds.getBatch([0, 7])).toThrow(/index 7 is out of range/);
  });
});

describe('Subset', () => {
  it('is a view through its indices, keeping the batch path of a TensorDataset', () => {
    const { x, y } = rows(6);
    const sub = new Subset(new TensorDataset(x, y), [5, 1, 2]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[1].item()).toBe(50);
    expect(typeof sub.getBatch).toBe('function');
    const [xb, yb] = sub.getBatch!([2, 0]) as Tensor[];
    expect(xb.toArray()).toEqual([[6, 7, 8], [15, 16, 17]]);
    expect(yb.toArray()).toEqual([20, 50]);
    expect(() => sub.get(3)).toThrow(RangeError);
    expect(() => new Subset(new TensorDataset(x), [6])).toThrow(RangeError);
  });

  it('has no getBatch over a dataset without one', () => {
    const sub = new Subset({ length: 4, get: (i: number) => i * i }, [3, 2]);
    expect(sub.getBatch).toBeUndefined();
    expect(sub.get(0)).toBe(9);
  });
});

describe('randperm', () => {
  it('is the Fisher–Yates shuffle drawn from the generator', () => {
    for (const seed of [0, 1, 42]) {
      expect(randperm(20, new Generator(seed))).toEqual(referencePerm(20, new Generator(seed)));
    }
  });

  it('is a permutation, every order of 3 about equally often', () => {
    const g = new Generator(7);
    const counts = new Map<string, number>();
    const trials = 6000;
    for (let t = 0; t < trials; t++) {
      const p = randperm(3, g);
      expect([...p].sort()).toEqual([0, 1, 2]);
      counts.set(p.join(''), (counts.get(p.join('')) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // each order has probability 1/6: 1000 expected, standard deviation √(6000·(1/6)·(5/6)) ≈ 29
    for (const c of counts.values()) expect(Math.abs(c - 1000)).toBeLessThan(150);
  });

  it('handles 0 and 1 and refuses bad sizes', () => {
    expect(randperm(0, new Generator(0))).toEqual([]);
    expect(randperm(1, new Generator(0))).toEqual([0]);
    expect(() => randperm(-1)).toThrow(RangeError);
    expect(() => randperm(2.5)).toThrow(RangeError);
    expect(() => randperm('3' as never)).toThrow(/^randperm: n must be a non-negative integer, got "3"$/);
  });

  it('refuses a generator that is not a Generator, naming randperm and the value', () => {
    const e = thrown(() => randperm(3, {} as Generator));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('randperm: generator must be a Generator (e.g. new Generator(0)), got object');
  });
});

describe('randomSplit', () => {
  const ds = new TensorDataset(arange(10));

  it('splits by counts along one permutation from the generator', () => {
    const [a, b] = randomSplit(ds, [7, 3], new Generator(3));
    const perm = referencePerm(10, new Generator(3));
    expect(a.indices).toEqual(perm.slice(0, 7));
    expect(b.indices).toEqual(perm.slice(7));
    expect([...a.indices, ...b.indices].sort((p, q) => p - q)).toEqual([...Array(10).keys()]);
    expect(b.get(0)[0].item()).toBe(perm[7]);
  });

  it('turns fractions into counts as PyTorch: floors, then the remainder round-robin from the first', () => {
    // 10·[0.33, 0.33, 0.34] floors to [3, 3, 3]; the 1 left over goes to the first subset
    expect(randomSplit(ds, [0.33, 0.33, 0.34], new Generator(0)).map((s) => s.length)).toEqual([4, 3, 3]);
    // 10·[0.8, 0.2] = [8, 2] exactly
    expect(randomSplit(ds, [0.8, 0.2], new Generator(0)).map((s) => s.length)).toEqual([8, 2]);
    // 10·[0.25, 0.25, 0.25, 0.25] floors to [2, 2, 2, 2]; 2 left: one each to the first two
    expect(randomSplit(ds, [0.25, 0.25, 0.25, 0.25], new Generator(0)).map((s) => s.length)).toEqual([3, 3, 2, 2]);
  });

  it('is reproducible from the seed', () => {
    const one = randomSplit(ds, [5, 5], new Generator(9)).map((s) => s.indices);
    const two = randomSplit(ds, [5, 5], new Generator(9)).map((s) => s.indices);
    expect(one).toEqual(two);
  });

  it('refuses lengths that do not add up', () => {
    expect(() => randomSplit(ds, [5, 4])).toThrow(/sum to 9, but the dataset has 10/);
    expect(() => randomSplit(ds, [0.5, 0.4])).toThrow(RangeError);
    expect(() => randomSplit(ds, [11, -1])).toThrow(RangeError);
    expect(() => randomSplit(ds, [])).toThrow(TypeError);
    expect(() => randomSplit(ds, [5.5, 4.5])).toThrow(RangeError);
  });

  it('shows NaN and Infinity lengths as such (not as null), and refuses a non-Generator before anything else', () => {
    expect(() => randomSplit(ds, [NaN, 10], new Generator(0))).toThrow(/^randomSplit: lengths must be non-negative numbers, got \[NaN, 10\]$/);
    expect(() => randomSplit(ds, [Infinity], new Generator(0))).toThrow(/got \[Infinity\]$/);
    const e = thrown(() => randomSplit(ds, [5, 5], 7 as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('randomSplit: generator must be a Generator (e.g. new Generator(0)), got 7');
  });
});
