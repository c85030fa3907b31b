import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  Generator, arange, argmax, argmin, max, mean, min, randint, randn, std, sum, tensor, variance, zeros,
} from '../../src/index.js';
import { DTYPES, expectValues, thrown, unravel } from '../helpers.js';

/**
 * The values of `data` grouped by output position of a reduction over `dims` (non-negative): group j holds, in
 * row-major order, every element whose kept coordinates are those of output j.
 */
function groups(data: ArrayLike<number>, shape: readonly number[], dims: readonly number[]): number[][] {
  const kept = shape.map((_, d) => d).filter((d) => !dims.includes(d));
  const outSize = kept.reduce((p, d) => p * shape[d], 1);
  const out: number[][] = Array.from({ length: outSize }, () => []);
  for (let k = 0; k < data.length; k++) {
    const index = unravel(k, shape);
    let j = 0;
    for (const d of kept) j = j * shape[d] + index[d];
    out[j].push(data[k]);
  }
  return out;
}

const total = (g: readonly number[]) => g.reduce((p, v) => p + v, 0);
const average = (g: readonly number[]) => total(g) / g.length;
const varianceOf = (g: readonly number[], correction: number) => {
  const m = average(g);
  return total(g.map((v) => (v - m) ** 2)) / Math.max(0, g.length - correction);
};
/** The first position of the largest (sign 1) or smallest (sign -1) value. */
const argBest = (g: readonly number[], sign: 1 | -1) => {
  let best = 0;
  for (let i = 1; i < g.length; i++) if (sign * g[i] > sign * g[best]) best = i;
  return best;
};

describe.each(DTYPES)('reductions in %s', (dtype) => {
  const x = () => tensor([[1, 2, 3], [4, 5, 6]], { dtype });
  // 0..23 as [2,3,4]: element (i,j,k) is 12i + 4j + k
  const cube = () => arange(24, undefined, 1, { dtype }).reshape(2, 3, 4);

  describe('sum', () => {
    it('over everything, one dim, negative dims, several dims', () => {
      expectValues(sum(x()), [], [21], dtype);
      expectValues(sum(x(), 0), [3], [5, 7, 9], dtype);
      expectValues(sum(x(), 1), [2], [6, 15], dtype);
      expectValues(sum(x(), -1), [2], [6, 15], dtype);
      expectValues(sum(x(), -2), [3], [5, 7, 9], dtype);
      expectValues(sum(x(), [0, 1]), [], [21], dtype);
      expectValues(sum(x(), [-1, 0]), [], [21], dtype);
      // [2,3,4] over dims 0 and 2: Σ_i Σ_k (12i + 4j + k) = 2·(0+1+2+3) + 4·(4j)·2 + 12·4 = 60 + 32j
      expectValues(sum(cube(), [0, 2]), [3], [60, 92, 124], dtype);
      expectValues(sum(cube(), [0, -1]), [3], [60, 92, 124], dtype);
    });

    it('keepdim keeps reduced dims with size 1', () => {
      expectValues(sum(x(), 1, true), [2, 1], [6, 15], dtype);
      expectValues(sum(x(), -2, true), [1, 3], [5, 7, 9], dtype);
      expectValues(sum(x(), undefined, true), [1, 1], [21], dtype);
      expectValues(sum(cube(), [0, 2], true), [1, 3, 1], [60, 92, 124], dtype);
      expectValues(x().sum(0, true), [1, 3], [5, 7, 9], dtype);
    });

    it('of a scalar is the scalar, and of an empty tensor is 0', () => {
      expectValues(sum(tensor(4, { dtype })), [], [4], dtype);
      expectValues(sum(tensor(4, { dtype }), 0), [], [4], dtype);
      expectValues(sum(zeros([0, 3], { dtype })), [], [0], dtype);
      expectValues(sum(zeros([0, 3], { dtype }), 0), [3], [0, 0, 0], dtype);
    });
  });

  describe('mean', () => {
    it('over everything, one dim, several dims, keepdim', () => {
      expectValues(mean(x()), [], [3.5], dtype);
      expectValues(mean(x(), 0), [3], [2.5, 3.5, 4.5], dtype);
      expectValues(mean(x(), -1, true), [2, 1], [2, 5], dtype);
      // (60 + 32j) / 8
      expectValues(mean(cube(), [0, -1]), [3], [7.5, 11.5, 15.5], dtype);
      expectValues(mean(cube(), [2, 0], true), [1, 3, 1], [7.5, 11.5, 15.5], dtype);
      expectValues(x().mean(), [], [3.5], dtype);
    });
  });

  describe('max and min', () => {
    const m = () => tensor([[1, 9, 4], [7, 3, 7]], { dtype });

    it('over everything give a scalar', () => {
      const a = max(m());
      expectValues(a, [], [9], dtype);
      expectValues(min(m()), [], [1], dtype);
      expectValues(m().max(), [], [9], dtype);
      expectValues(m().min(), [], [1], dtype);
    });

    it('along a dim give values and indices', () => {
      const a = max(m(), 0);
      expectValues(a.values, [3], [7, 9, 7], dtype);
      expectValues(a.indices, [3], [1, 0, 1], 'float32');
      const b = min(m(), 1);
      expectValues(b.values, [2], [1, 3], dtype);
      expectValues(b.indices, [2], [0, 1], 'float32');
      const c = m().max(-1);
      expectValues(c.values, [2], [9, 7], dtype);
      // row 1 ties at 7: the first one wins
      expectValues(c.indices, [2], [1, 0], 'float32');
    });

    it('keepdim keeps the reduced dim', () => {
      const a = max(m(), 1, true);
      expectValues(a.values, [2, 1], [9, 7], dtype);
      expectValues(a.indices, [2, 1], [1, 0], 'float32');
      const b = min(m(), -2, true);
      expectValues(b.values, [1, 3], [1, 3, 4], dtype);
      expectValues(b.indices, [1, 3], [0, 1, 0], 'float32');
    });

    it('ties go to the first index', () => {
      const t = tensor([[3, 1, 3], [2, 2, 2], [0, 5, 0]], { dtype });
      expectValues(max(t, 1).indices, [3], [0, 0, 1], 'float32');
      expectValues(min(t, 1).indices, [3], [1, 0, 0], 'float32');
    });

    it('values require grad when the input does; indices never', () => {
      const t = tensor([[1, 2]], { dtype, requiresGrad: true });
      const r = max(t, 1);
      expect(r.values.requiresGrad).toBe(true);
      expect(r.indices.requiresGrad).toBe(false);
      expect(max(t).requiresGrad).toBe(true);
    });
  });

  describe('argmax and argmin', () => {
    const t = () => tensor([[1, 8, 8], [6, 0, 0]], { dtype, requiresGrad: true });

    it('over the flattened tensor, first on ties', () => {
      // 8 appears at flat positions 1 and 2; 0 at 4 and 5
      expectValues(argmax(t()), [], [1], 'float32');
      expectValues(argmin(t()), [], [4], 'float32');
      expectValues(argmax(t(), undefined, true), [1, 1], [1], 'float32');
      expectValues(t().argmin(), [], [4], 'float32');
    });

    it('along a dim (also negative), with keepdim', () => {
      expectValues(argmax(t(), 1), [2], [1, 0], 'float32');
      expectValues(argmin(t(), -1), [2], [0, 1], 'float32');
      expectValues(argmax(t(), 0), [3], [1, 0, 0], 'float32');
      expectValues(argmin(t(), -2, true), [1, 3], [0, 1, 1], 'float32');
      expectValues(t().argmax(1, true), [2, 1], [1, 0], 'float32');
    });

    it('are float32 integers that never require grad', () => {
      const r = argmax(t(), 1);
      expect(r.dtype).toBe('float32');
      expect(r.requiresGrad).toBe(false);
      expect(r.node).toBeNull();
    });

    it('of a scalar is 0', () => {
      expectValues(argmax(tensor(3, { dtype })), [], [0], 'float32');
      expectValues(argmin(tensor(3, { dtype }), 0), [], [0], 'float32');
    });
  });

  describe('var and std', () => {
    it('over everything, correction 1 (default) and 0', () => {
      // [1,2,3,4]: mean 2.5, Σ(x − mean)² = 2.25 + 0.25 + 0.25 + 2.25 = 5
      const v = () => tensor([1, 2, 3, 4], { dtype });
      expectValues(variance(v()), [], [5 / 3], dtype);
      expectValues(variance(v(), undefined, { correction: 1 }), [], [5 / 3], dtype);
      expectValues(variance(v(), undefined, { correction: 0 }), [], [1.25], dtype);
      expectValues(std(v()), [], [Math.sqrt(5 / 3)], dtype);
      expectValues(std(v(), undefined, { correction: 0 }), [], [Math.sqrt(1.25)], dtype);
      expectValues(v().var(), [], [5 / 3], dtype);
      expectValues(v().std(undefined, { correction: 0 }), [], [Math.sqrt(1.25)], dtype);
    });

    it('along dims, with keepdim', () => {
      // rows [1,2] and [3,5]: Σ(x − mean)² = 0.5 and 2; columns [1,3] and [2,5]: 2 and 4.5
      const v = () => tensor([[1, 2], [3, 5]], { dtype });
      expectValues(variance(v(), 1), [2], [0.5, 2], dtype);
      expectValues(variance(v(), 1, { correction: 0 }), [2], [0.25, 1], dtype);
      expectValues(variance(v(), -1, { keepdim: true }), [2, 1], [0.5, 2], dtype);
      expectValues(variance(v(), 0, { correction: 0, keepdim: true }), [1, 2], [1, 2.25], dtype);
      expectValues(std(v(), 0), [2], [Math.sqrt(2), Math.sqrt(4.5)], dtype);
      expectValues(std(v(), 1, { correction: 0, keepdim: true }), [2, 1], [0.5, 1], dtype);
      // all four: mean 2.75, Σ(x − mean)² = 3.0625 + 0.5625 + 0.0625 + 5.0625 = 8.75
      expectValues(variance(v(), [0, 1]), [], [8.75 / 3], dtype);
      expectValues(variance(v(), [-2, -1], { correction: 0, keepdim: true }), [1, 1], [8.75 / 4], dtype);
    });

    it('with correction ≥ count divides by zero, as PyTorch', () => {
      // one element: Σ(x − mean)² = 0 and the divisor max(0, 1 − 1) = 0, so 0/0
      expectValues(variance(tensor([3], { dtype })), [], [NaN], dtype);
      expectValues(variance(tensor([3], { dtype }), undefined, { correction: 0 }), [], [0], dtype);
    });
  });
});

describe('reduction errors', () => {
  it('a bad dim in sum is a RangeError naming sum and the dim', () => {
    for (const dim of [2, -3]) {
      const e = thrown(() => sum(tensor([[1, 2]]), dim));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toContain('sum');
      expect(e.message).toContain(`dim ${dim}`);
    }
    expect(() => sum(tensor([[1, 2]]), [0, 2])).toThrow(RangeError);
    expect(() => sum(tensor([1, 2]), 0.5)).toThrow(RangeError);
  });

  it('a dim named twice is a RangeError', () => {
    expect(() => sum(tensor([[1, 2]]), [1, -1])).toThrow(/sum.*twice/);
    expect(() => mean(tensor([[1, 2]]), [0, 0])).toThrow(RangeError);
  });

  it.each([
    ['mean', () => mean(tensor([1, 2]), 1)],
    ['var', () => variance(tensor([1, 2]), -2)],
    ['max', () => max(tensor([1, 2]), 1)],
    ['min', () => min(tensor([1, 2]), -2)],
    ['argmax', () => argmax(tensor([1, 2]), 1)],
    ['argmin', () => argmin(tensor([1, 2]), 3)],
  ] as Array<[string, () => unknown]>)('%s: a bad dim is a RangeError naming the op', (name, fn) => {
    const e = thrown(fn);
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain(`${name}:`);
  });

  it('max/argmax of an empty tensor is a RangeError', () => {
    expect(() => max(zeros([0]))).toThrow(/max.*empty/);
    expect(() => argmin(zeros([2, 0]))).toThrow(RangeError);
  });

  it('a negative or non-finite correction is a RangeError', () => {
    expect(() => variance(tensor([1, 2]), undefined, { correction: -1 })).toThrow(RangeError);
    expect(() => std(tensor([1, 2]), undefined, { correction: NaN })).toThrow(/correction/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties over random shapes and dim subsets.

/** A shape (rank 0–4, sizes 1–4), a subset of its dims each written positive or negative, and a draw seed. */
const reductionArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }).chain((shape) =>
  fc.record({
    shape: fc.constant(shape),
    chosen: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    negative: fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    reversed: fc.boolean(),
    keepdim: fc.boolean(),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    dtype: fc.constantFrom(...DTYPES),
  }),
);

function pickDims(shape: readonly number[], chosen: boolean[], negative: boolean[], reversed: boolean) {
  const dims = shape.map((_, d) => d).filter((d) => chosen[d]);
  const written = dims.map((d) => (negative[d] ? d - shape.length : d));
  return { dims, written: reversed ? written.reverse() : written };
}

describe('reductions (property)', () => {
  it('sum and mean over a dim subset equal a naive loop; keepdim shapes', () => {
    fc.assert(
      fc.property(reductionArb, ({ shape, chosen, negative, reversed, keepdim, seed, dtype }) => {
        const { dims, written } = pickDims(shape, chosen, negative, reversed);
        // Small integers keep float32 sums exact, so sum is compared tightly.
        const x = randint(-5, 6, shape, { dtype, generator: new Generator(seed) });
        const expectedShape = keepdim ? shape.map((s, d) => (dims.includes(d) ? 1 : s)) : shape.filter((_, d) => !dims.includes(d));
        const g = groups(x.data, shape, dims);
        expectValues(sum(x, written, keepdim), expectedShape, g.map(total), dtype);
        expectValues(mean(x, written, keepdim), expectedShape, g.map(average), dtype);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('sum over all dims (undefined, or every dim listed) equals the sum of the data', () => {
    fc.assert(
      fc.property(reductionArb, ({ shape, negative, reversed, keepdim, seed, dtype }) => {
        const x = randn(shape, { dtype, generator: new Generator(seed) });
        let exact = 0;
        let magnitude = 0;
        for (const v of x.data) {
          exact += v;
          magnitude += Math.abs(v);
        }
        // Rounding of n additions in the tensor's dtype: at most n·u·Σ|x|.
        const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        const bound = x.size * u * magnitude + 1e-30;
        const { written } = pickDims(shape, shape.map(() => true), negative, reversed);
        const all = sum(x, undefined, keepdim);
        expect(all.shape).toEqual(keepdim ? shape.map(() => 1) : []);
        expect(Math.abs(all.data[0] - exact)).toBeLessThanOrEqual(bound);
        const listed = sum(x, written, keepdim);
        expect(listed.shape).toEqual(all.shape);
        expect(Math.abs(listed.data[0] - exact)).toBeLessThanOrEqual(bound);
        expect(Math.abs(x.sum().item() - exact)).toBeLessThanOrEqual(bound);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('var/std over a dim subset equal a naive two-pass computation', () => {
    fc.assert(
      fc.property(reductionArb, fc.constantFrom(0, 1), ({ shape, chosen, negative, reversed, keepdim, seed }, correction) => {
        const { dims, written } = pickDims(shape, chosen, negative, reversed);
        const x = randn(shape, { dtype: 'float64', generator: new Generator(seed) });
        const expectedShape = keepdim ? shape.map((s, d) => (dims.includes(d) ? 1 : s)) : shape.filter((_, d) => !dims.includes(d));
        const g = groups(x.data, shape, dims);
        expectValues(variance(x, written, { correction, keepdim }), expectedShape, g.map((v) => varianceOf(v, correction)), 'float64', 1e-12);
        expectValues(std(x, written, { correction, keepdim }), expectedShape, g.map((v) => Math.sqrt(varianceOf(v, correction))), 'float64', 1e-12);
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('max/min/argmax/argmin along a dim equal a naive scan (first index on ties)', () => {
    const arb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
      fc.record({
        shape: fc.constant(shape),
        dim: fc.integer({ min: -shape.length, max: shape.length - 1 }),
        keepdim: fc.boolean(),
        seed: fc.integer({ min: 0, max: 1_000_000 }),
        dtype: fc.constantFrom(...DTYPES),
      }),
    );
    fc.assert(
      fc.property(arb, ({ shape, dim, keepdim, seed, dtype }) => {
        const d = dim < 0 ? dim + shape.length : dim;
        // Values from {0, 1, 2} make ties common.
        const x = randint(0, 3, shape, { dtype, generator: new Generator(seed) });
        const g = groups(x.data, shape, [d]);
        const expectedShape = keepdim ? shape.map((s, k) => (k === d ? 1 : s)) : shape.filter((_, k) => k !== d);
        for (const [op, argOp, sign] of [[max, argmax, 1], [min, argmin, -1]] as const) {
          const r = op(x, dim, keepdim);
          const best = g.map((v) => argBest(v, sign));
          expectValues(r.indices, expectedShape, best, 'float32');
          expectValues(r.values, expectedShape, g.map((v, j) => v[best[j]]), dtype);
          expectValues(argOp(x, dim, keepdim), expectedShape, best, 'float32');
        }
        // Over everything: the flat index of the first extreme value.
        expectValues(argmax(x), [], [argBest(Array.from(x.data), 1)], 'float32');
        expectValues(max(x), [], [Math.max(...x.data)], dtype);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
