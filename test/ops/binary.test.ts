import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type Tensor, type TensorLike, Generator, ShapeError,
  add, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, randn, sub, tensor, where,
} from '../../src/index.js';
import { DTYPES, expectValues, stored, thrown, unravel } from '../helpers.js';

type BinaryFn = (a: TensorLike, b: TensorLike) => Tensor;

/** Every broadcasting binary op with a plain-JS reference of one element. */
const OPS: ReadonlyArray<{ name: string; op: BinaryFn; f: (x: number, y: number) => number }> = [
  { name: 'add', op: add, f: (x, y) => x + y },
  { name: 'sub', op: sub, f: (x, y) => x - y },
  { name: 'mul', op: mul, f: (x, y) => x * y },
  { name: 'div', op: div, f: (x, y) => x / y },
  { name: 'pow', op: pow, f: (x, y) => x ** y },
  // NaN in either operand gives NaN (as PyTorch)
  { name: 'maximum', op: maximum, f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x > y ? x : y) },
  { name: 'minimum', op: minimum, f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : x < y ? x : y) },
  { name: 'eq', op: eq, f: (x, y) => Number(x === y) },
  { name: 'ne', op: ne, f: (x, y) => Number(x !== y) },
  { name: 'gt', op: gt, f: (x, y) => Number(x > y) },
  { name: 'ge', op: ge, f: (x, y) => Number(x >= y) },
  { name: 'lt', op: lt, f: (x, y) => Number(x < y) },
  { name: 'le', op: le, f: (x, y) => Number(x <= y) },
];

describe.each(DTYPES)('binary ops in %s', (dtype) => {
  const av = [1.5, -2, 0.1, 3, 0.5, -4];
  const bv = [2, 0.5, -0.3, 3, 4, 1.25];
  const a = () => tensor([av.slice(0, 3), av.slice(3)], { dtype });
  const b = () => tensor([bv.slice(0, 3), bv.slice(3)], { dtype });
  const ref = (f: (x: number, y: number) => number) => av.map((x, i) => f(stored(dtype, x), stored(dtype, bv[i])));

  it('add, sub, mul, div, pow on equal shapes', () => {
    expectValues(add(a(), b()), [2, 3], ref((x, y) => x + y), dtype);
    expectValues(sub(a(), b()), [2, 3], ref((x, y) => x - y), dtype);
    expectValues(mul(a(), b()), [2, 3], ref((x, y) => x * y), dtype);
    expectValues(div(a(), b()), [2, 3], ref((x, y) => x / y), dtype);
    // a negative base with a non-integer exponent is NaN (-2^0.5), as Math.pow
    expectValues(pow(a(), b()), [2, 3], ref((x, y) => x ** y), dtype);
  });

  it('broadcasts a column against a row', () => {
    // [[1],[2]] + [10,20]: each row of the column meets the whole row
    expectValues(add(tensor([[1], [2]], { dtype }), tensor([10, 20], { dtype })), [2, 2], [11, 21, 12, 22], dtype);
    // [3,1,2] · [2,1]: out[i][j][k] = a[i][0][k] · b[j][0]
    const x = tensor([[[1, 2]], [[3, 4]], [[5, 6]]], { dtype });
    const y = tensor([[10], [100]], { dtype });
    const expected: number[] = [];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) expected.push((2 * i + k + 1) * [10, 100][j]);
    expectValues(mul(x, y), [3, 2, 2], expected, dtype);
  });

  it('takes plain numbers on either side and keeps the tensor dtype', () => {
    const t = tensor([1, 2, 4], { dtype });
    expectValues(sub(t, 5), [3], [-4, -3, -1], dtype);
    expectValues(sub(5, t), [3], [4, 3, 1], dtype);
    expectValues(div(1, t), [3], [1, 0.5, 0.25], dtype);
    expectValues(div(t, 4), [3], [0.25, 0.5, 1], dtype);
    expectValues(pow(2, t), [3], [2, 4, 16], dtype);
    expectValues(pow(t, 2), [3], [1, 4, 16], dtype);
    expectValues(add(0.5, t), [3], [1.5, 2.5, 4.5], dtype);
    expectValues(mul(t, -1), [3], [-1, -2, -4], dtype);
    expectValues(t.add(1).mul(2).sub(1).div(2), [3], [1.5, 2.5, 4.5], dtype);
  });

  it('follows IEEE for division by zero and pow special cases', () => {
    expectValues(div(tensor([1, -1, 0], { dtype }), 0), [3], [Infinity, -Infinity, NaN], dtype);
    // 0⁰ = 1, 2⁻¹ = ½, (−8)^(1/3) is NaN (no real branch), (−2)³ = −8
    expectValues(pow(tensor([0, 2, -8, -2], { dtype }), tensor([0, -1, 1 / 3, 3], { dtype })), [4], [1, 0.5, NaN, -8], dtype);
  });

  it('maximum and minimum, ties and NaN', () => {
    const x = tensor([1, 2, 3, -1, NaN, 0], { dtype });
    const y = tensor([3, 2, 1, -1, 0, NaN], { dtype });
    expectValues(maximum(x, y), [6], [3, 2, 3, -1, NaN, NaN], dtype);
    expectValues(minimum(x, y), [6], [1, 2, 1, -1, NaN, NaN], dtype);
    expectValues(x.maximum(0), [6], [1, 2, 3, 0, NaN, 0], dtype);
    expectValues(maximum(tensor([[1], [5]], { dtype }), tensor([2, 4, 6], { dtype })), [2, 3], [2, 4, 6, 5, 5, 6], dtype);
    expectValues(minimum(tensor([[1], [5]], { dtype }), tensor([2, 4, 6], { dtype })), [2, 3], [1, 1, 1, 2, 4, 5], dtype);
  });

  describe('comparisons', () => {
    // NaN compares unequal to everything, itself included (IEEE)
    const x = () => tensor([1, 2, 3, NaN, -0], { dtype, requiresGrad: true });
    const y = () => tensor([2, 2, 2, NaN, 0], { dtype, requiresGrad: true });

    it.each([
      ['eq', eq, [0, 1, 0, 0, 1]],
      ['ne', ne, [1, 0, 1, 1, 0]],
      ['gt', gt, [0, 0, 1, 0, 0]],
      ['ge', ge, [0, 1, 1, 0, 1]],
      ['lt', lt, [1, 0, 0, 0, 0]],
      ['le', le, [1, 1, 0, 0, 1]],
    ] as const)('%s gives 0/1 in the input dtype and never requires grad', (_name, op, expected) => {
      const out = op(x(), y());
      expectValues(out, [5], expected, dtype);
      expect(out.requiresGrad).toBe(false);
      expect(out.node).toBeNull();
    });

    it('compare against numbers and broadcast', () => {
      expectValues(gt(tensor([1, 2, 3], { dtype }), 2), [3], [0, 0, 1], dtype);
      expectValues(le(2, tensor([1, 2, 3], { dtype })), [3], [0, 1, 1], dtype);
      expectValues(eq(tensor([[1], [2]], { dtype }), tensor([1, 2], { dtype })), [2, 2], [1, 0, 0, 1], dtype);
    });

    it('cut the graph: a mask built by comparison gets no gradient path', () => {
      const t = tensor([-1, 2, 3], { dtype, requiresGrad: true });
      t.mul(t.gt(0)).sum().backward();
      // d Σ x·[x > 0] = [x > 0]: the mask is a constant
      expectValues(t.grad!, [3], [0, 1, 1], dtype);
    });
  });

  describe('where', () => {
    it('broadcasts condition, a and b together', () => {
      const cond = tensor([[1], [0]], { dtype });
      const out = where(cond, tensor([1, 2, 3], { dtype }), tensor(9, { dtype }));
      expectValues(out, [2, 3], [1, 2, 3, 9, 9, 9], dtype);
      // condition [3], a [2,1], b [1,3]: out[i][j] = c[j] ? a[i] : b[j]
      const c = [1, 0, 1];
      const av2 = [10, 20];
      const bv2 = [-1, -2, -3];
      const expected: number[] = [];
      for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expected.push(c[j] ? av2[i] : bv2[j]);
      expectValues(where(tensor(c, { dtype }), tensor([[10], [20]], { dtype }), tensor([bv2], { dtype })), [2, 3], expected, dtype);
    });

    it('treats any non-zero condition value (negative, fractional, NaN) as true', () => {
      const cond = tensor([-2, 0.5, NaN, 0, -0], { dtype });
      expectValues(where(cond, tensor([1, 2, 3, 4, 5], { dtype }), 0), [5], [1, 2, 3, 0, 0], dtype);
    });

    it('takes numbers as operands', () => {
      const cond = tensor([1, 0, 1], { dtype });
      const t = tensor([7, 8, 9], { dtype });
      expectValues(where(cond, 5, t), [3], [5, 8, 5], dtype);
      expectValues(where(cond, t, -1), [3], [7, -1, 9], dtype);
      // two numbers: the result takes the condition's dtype and shape
      expectValues(where(cond, 1, 0), [3], [1, 0, 1], dtype);
      expectValues(t.where(cond, 0), [3], [7, 0, 9], dtype);
    });

    it('accepts a condition of another dtype; the result has the operands dtype', () => {
      const other = dtype === 'float32' ? 'float64' : 'float32';
      expectValues(where(tensor([0, 1], { dtype: other }), tensor([1, 2], { dtype }), tensor([3, 4], { dtype })), [2], [3, 2], dtype);
    });

    it('requires grad when a or b does, never because of the condition', () => {
      const a = tensor([1, 2], { dtype, requiresGrad: true });
      expect(where(tensor([1, 0], { dtype }), a, 0).requiresGrad).toBe(true);
      expect(where(tensor([1, 0], { dtype }), 1, 0).requiresGrad).toBe(false);
    });

    it('throws a ShapeError naming where for incompatible shapes', () => {
      const e = thrown(() => where(tensor([1, 0, 1], { dtype }), tensor([1, 2], { dtype }), 0));
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toContain('where');
      expect(e.message).toContain('[3]');
      expect(e.message).toContain('[2]');
    });
  });
});

describe('binary op errors', () => {
  it.each(OPS.map((o): [string, BinaryFn] => [o.name, o.op]))('%s rejects mixed dtypes with a TypeError naming both and the op', (name, op) => {
    for (const [x, y] of [
      [tensor([1, 2]), tensor([1, 2], { dtype: 'float64' })],
      [tensor([1, 2], { dtype: 'float64' }), tensor([1, 2])],
    ]) {
      const e = thrown(() => op(x, y));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toContain(name);
      expect(e.message).toContain('float32');
      expect(e.message).toContain('float64');
    }
  });

  it('where rejects mixed dtypes of a and b', () => {
    const e = thrown(() => where(tensor([1, 0]), tensor([1, 2]), tensor([1, 2], { dtype: 'float64' })));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/where.*float32.*float64/);
  });

  it('two plain numbers are a TypeError naming the op', () => {
    expect(() => add(1, 2)).toThrow(TypeError);
    expect(() => add(1, 2)).toThrow(/add/);
  });

  it('a non-number operand is a TypeError', () => {
    expect(() => mul(tensor([1]), 'x' as unknown as number)).toThrow(TypeError);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Broadcasting properties.

/** Row-major offset of `index` (aligned to the right of `outShape`) in a tensor of `shape` read with broadcasting. */
function broadcastOffset(shape: readonly number[], index: readonly number[]): number {
  const lead = index.length - shape.length;
  let offset = 0;
  for (let d = 0; d < shape.length; d++) offset = offset * shape[d] + (shape[d] === 1 ? 0 : index[d + lead]);
  return offset;
}

/**
 * Two broadcast-compatible shapes cut from one base shape: each drops some leading dims and sets some dims to 1.
 * Knowing the base gives the expected broadcast shape without the library's rule: a dim is the base size where
 * either operand kept it, else 1.
 */
const compatibleArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 }).chain((base) =>
  fc.record({
    base: fc.constant(base),
    dropA: fc.integer({ min: 0, max: base.length }),
    dropB: fc.integer({ min: 0, max: base.length }),
    onesA: fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
    onesB: fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
    seed: fc.integer({ min: 0, max: 1_000_000 }),
    dtype: fc.constantFrom(...DTYPES),
    which: fc.integer({ min: 0, max: OPS.length - 1 }),
  }),
);

function cut(base: number[], drop: number, ones: boolean[]): number[] {
  return base.slice(drop).map((s, i) => (ones[i + drop] ? 1 : s));
}

describe('broadcasting (property)', () => {
  it('add and mul: result shape is the broadcast shape and every element the naive value', () => {
    fc.assert(
      fc.property(compatibleArb, ({ base, dropA, dropB, onesA, onesB, seed, dtype }) => {
        const sa = cut(base, dropA, onesA);
        const sb = cut(base, dropB, onesB);
        const expectedShape: number[] = [];
        for (let j = Math.min(dropA, dropB); j < base.length; j++) {
          const da = j >= dropA ? sa[j - dropA] : 1;
          const db = j >= dropB ? sb[j - dropB] : 1;
          expectedShape.push(da !== 1 || db !== 1 ? base[j] : 1);
        }
        const x = randn(sa, { dtype, generator: new Generator(seed) });
        const y = randn(sb, { dtype, generator: new Generator(seed + 1) });
        for (const [op, f] of [[add, (p: number, q: number) => p + q], [mul, (p: number, q: number) => p * q]] as const) {
          const out = op(x, y);
          expect(out.shape).toEqual(expectedShape);
          const expected = Array.from({ length: out.size }, (_, k) => {
            const index = unravel(k, expectedShape);
            return f(x.data[broadcastOffset(sa, index)], y.data[broadcastOffset(sb, index)]);
          });
          expectValues(out, expectedShape, expected, dtype);
        }
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('every binary op broadcasts elementwise the same way', () => {
    fc.assert(
      fc.property(compatibleArb, ({ base, dropA, dropB, onesA, onesB, seed, dtype, which }) => {
        const { op, f } = OPS[which];
        const sa = cut(base, dropA, onesA);
        const sb = cut(base, dropB, onesB);
        // Small integers make ties (eq, ge, maximum), zero divisors and exact integer powers likely.
        const g = new Generator(seed);
        const ints = (shape: number[]) =>
          tensor(Array.from({ length: shape.reduce((m, s) => m * s, 1) }, () => g.randint(-2, 3)), { dtype }).reshape(shape);
        const x = ints(sa);
        const y = ints(sb);
        const out = op(x, y);
        const expected = Array.from({ length: out.size }, (_, k) => {
          const index = unravel(k, out.shape);
          return f(x.data[broadcastOffset(sa, index)], y.data[broadcastOffset(sb, index)]);
        });
        expectValues(out, out.shape, expected, dtype);
        // Same rank as the longer operand, and each dim is the non-1 size of the two (or 1).
        expect(out.ndim).toBe(Math.max(sa.length, sb.length));
      }),
      { seed: 42, numRuns: 100 },
    );
  });

  it('incompatible shapes throw a ShapeError naming the op and both shapes', () => {
    const incompatibleArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }).chain((base) =>
      fc.record({
        base: fc.constant(base),
        at: fc.integer({ min: 0, max: base.length - 1 }),
        sizes: fc.tuple(fc.integer({ min: 2, max: 4 }), fc.integer({ min: 2, max: 4 })).filter(([p, q]) => p !== q),
        dropB: fc.integer({ min: 0, max: base.length - 1 }),
        onesA: fc.array(fc.boolean(), { minLength: base.length, maxLength: base.length }),
        opName: fc.constantFrom('add', 'mul'),
      }),
    );
    fc.assert(
      fc.property(incompatibleArb, ({ base, at, sizes: [p, q], dropB, onesA, opName }) => {
        // b keeps position `at` (so the clash is aligned), a may have ones elsewhere.
        const drop = Math.min(dropB, at);
        const sa = base.map((s, i) => (i === at ? p : onesA[i] ? 1 : s));
        const sb = base.slice(drop).map((s, i) => (i + drop === at ? q : s));
        const op = opName === 'add' ? add : mul;
        const e = thrown(() => op(tensor(new Array(sa.reduce((m, s) => m * s, 1)).fill(1)).reshape(sa),
          tensor(new Array(sb.reduce((m, s) => m * s, 1)).fill(1)).reshape(sb)));
        expect(e).toBeInstanceOf(ShapeError);
        expect(e.message).toContain(opName);
        expect(e.message).toContain(`[${sa.join(',')}]`);
        expect(e.message).toContain(`[${sb.join(',')}]`);
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});
