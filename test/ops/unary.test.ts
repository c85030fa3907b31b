import { describe, expect, it } from 'vitest';
import { abs, clamp, cos, exp, log, neg, sign, sin, sqrt, square, tensor } from '../../src/index.js';
import { DTYPES, expectValues, stored } from '../helpers.js';

describe.each(DTYPES)('unary ops in %s', (dtype) => {
  // Values chosen to be exact in float32 except 0.1 and 2.3, which exercise rounding of the input.
  const xs = [-2.5, -1, -0.5, 0, 0.1, 1, 2.3, 4];
  const x = () => tensor([xs.slice(0, 4), xs.slice(4)], { dtype });
  const ref = (f: (v: number) => number) => xs.map((v) => f(stored(dtype, v)));

  it('neg', () => expectValues(neg(x()), [2, 4], ref((v) => -v), dtype));
  it('exp', () => expectValues(exp(x()), [2, 4], ref(Math.exp), dtype));
  it('log (−∞ at 0, NaN below 0)', () => {
    expectValues(log(x()), [2, 4], ref(Math.log), dtype);
    expectValues(log(tensor([0, -1, 1, Math.E], { dtype })), [4], [-Infinity, NaN, 0, 1], dtype);
  });
  it('sqrt (NaN below 0)', () => {
    expectValues(sqrt(tensor([0, 1, 2.25, 16, -4], { dtype })), [5], [0, 1, 1.5, 4, NaN], dtype);
    expectValues(sqrt(x()), [2, 4], ref(Math.sqrt), dtype);
  });
  it('abs', () => expectValues(abs(x()), [2, 4], ref(Math.abs), dtype));
  it('sign (0 at 0, NaN stays NaN)', () => {
    expectValues(sign(tensor([-3, -0.5, 0, 0.25, 7, NaN], { dtype })), [6], [-1, -1, 0, 1, 1, NaN], dtype);
  });
  it('square', () => expectValues(square(x()), [2, 4], ref((v) => v * v), dtype));
  it('sin and cos (radians)', () => {
    expectValues(sin(x()), [2, 4], ref(Math.sin), dtype);
    expectValues(cos(x()), [2, 4], ref(Math.cos), dtype);
    // sin²x + cos²x = 1, and the quarter turns
    const t = tensor([0, Math.PI / 2, Math.PI, -Math.PI / 2], { dtype: 'float64' });
    expectValues(sin(t), [4], [0, 1, Math.sin(Math.PI), -1], 'float64');
    expectValues(cos(t), [4], [1, Math.cos(Math.PI / 2), -1, Math.cos(-Math.PI / 2)], 'float64');
    const s2c2 = Array.from(sin(x()).square().add(cos(x()).square()).data);
    for (const v of s2c2) expect(Math.abs(v - 1)).toBeLessThan(dtype === 'float64' ? 1e-15 : 1e-6);
  });

  it('scalars keep their shape []', () => {
    expectValues(exp(tensor(0, { dtype })), [], [1], dtype);
    expectValues(neg(tensor(3, { dtype })), [], [-3], dtype);
  });

  it('tensor methods agree with the functions', () => {
    const t = tensor([-2, 0.5, 3], { dtype });
    expectValues(t.neg(), [3], [2, -0.5, -3], dtype);
    expectValues(t.abs(), [3], [2, 0.5, 3], dtype);
    expectValues(t.square(), [3], [4, 0.25, 9], dtype);
    expectValues(t.sign(), [3], [-1, 1, 1], dtype);
    expectValues(t.sin(), [3], [-2, 0.5, 3].map((v) => stored(dtype, Math.sin(v))), dtype);
    expectValues(t.cos(), [3], [-2, 0.5, 3].map((v) => stored(dtype, Math.cos(v))), dtype);
  });

  it('an input that requires grad gives an output that requires grad', () => {
    const t = tensor([1, 2], { dtype, requiresGrad: true });
    for (const y of [neg(t), exp(t), log(t), sqrt(t), abs(t), sign(t), square(t), sin(t), cos(t), clamp(t, 0, 1)]) {
      expect(y.requiresGrad).toBe(true);
      expect(y.isLeaf).toBe(false);
    }
  });

  describe('clamp', () => {
    const v = [-3, -1, -0.5, 0, 0.5, 1, 2.5];
    const t = () => tensor(v, { dtype });

    it('with a lower bound only', () => {
      expectValues(clamp(t(), -1), [7], v.map((a) => Math.max(a, -1)), dtype);
      expectValues(clamp(t(), -1, null), [7], v.map((a) => Math.max(a, -1)), dtype);
      expectValues(clamp(t(), -1, undefined), [7], v.map((a) => Math.max(a, -1)), dtype);
    });
    it('with an upper bound only', () => {
      expectValues(clamp(t(), null, 0.5), [7], v.map((a) => Math.min(a, 0.5)), dtype);
      expectValues(clamp(t(), undefined, 0.5), [7], v.map((a) => Math.min(a, 0.5)), dtype);
    });
    it('with both bounds', () => {
      expectValues(clamp(t(), -0.5, 1), [7], v.map((a) => Math.min(Math.max(a, -0.5), 1)), dtype);
      expectValues(t().clamp(0, 0), [7], v.map(() => 0), dtype);
    });
    it('leaves NaN as NaN', () => {
      expectValues(clamp(tensor([NaN, 5], { dtype }), 0, 1), [2], [NaN, 1], dtype);
    });
    it('rejects min > max with a RangeError naming clamp and both bounds', () => {
      expect(() => clamp(t(), 2, 1)).toThrow(RangeError);
      expect(() => clamp(t(), 2, 1)).toThrow(/clamp.*2.*1/);
    });
    it('rejects a NaN bound with a TypeError', () => {
      expect(() => clamp(t(), NaN, 1)).toThrow(TypeError);
      expect(() => clamp(t(), 0, NaN)).toThrow(/clamp: max/);
    });
  });
});
