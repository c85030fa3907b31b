import { describe, expect, it } from 'vitest';
import { Generator, leakyRelu, logSoftmax, randn, relu, sigmoid, softmax, tanh, tensor } from '../../src/index.js';
import { DTYPES, expectValues, stored, thrown } from '../helpers.js';

/**
 * log-softmax along `dim` of row-major `data` with `shape`, in double precision: for every line along `dim`,
 * x − (m + ln Σ e^(x−m)) with m the line's maximum.
 */
function refLogSoftmax(data: ArrayLike<number>, shape: readonly number[], dim: number): number[] {
  const n = shape[dim];
  let inner = 1;
  for (let d = dim + 1; d < shape.length; d++) inner *= shape[d];
  const out = new Array<number>(data.length);
  for (let start = 0; start < data.length; start++) {
    // A line starts where the index along `dim` is 0.
    if (Math.floor(start / inner) % n !== 0) continue;
    let m = -Infinity;
    for (let i = 0; i < n; i++) m = Math.max(m, data[start + i * inner]);
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.exp(data[start + i * inner] - m);
    for (let i = 0; i < n; i++) out[start + i * inner] = data[start + i * inner] - (m + Math.log(s));
  }
  return out;
}

describe.each(DTYPES)('activations in %s', (dtype) => {
  it('relu: max(x, 0), NaN stays NaN', () => {
    expectValues(relu(tensor([-2, -0.5, 0, 0.5, 3, NaN], { dtype })), [6], [0, 0, 0, 0.5, 3, NaN], dtype);
    expectValues(tensor([[-1, 1]], { dtype }).relu(), [1, 2], [0, 1], dtype);
  });

  it('leakyRelu: default slope 0.01, a custom slope, the method form', () => {
    const xs = [-10, -1, -0.3, 0, 2.5];
    const x = () => tensor(xs, { dtype });
    const ref = (slope: number) => xs.map((v) => (v > 0 ? stored(dtype, v) : stored(dtype, v) * stored(dtype, slope)));
    expectValues(leakyRelu(x()), [5], ref(0.01), dtype);
    expectValues(leakyRelu(x(), 0.2), [5], ref(0.2), dtype);
    expectValues(x().leakyRelu(0.2), [5], ref(0.2), dtype);
    // a slope above 1 is allowed (PyTorch allows any slope)
    expectValues(leakyRelu(x(), 3), [5], ref(3), dtype);
  });

  it('leakyRelu rejects a non-finite slope with a RangeError naming it', () => {
    for (const slope of [NaN, Infinity]) {
      const e = thrown(() => leakyRelu(tensor([1], { dtype }), slope));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toContain('leakyRelu');
    }
  });

  it('sigmoid: 1 / (1 + e⁻ˣ)', () => {
    const xs = [-6, -1.5, -0.1, 0, 0.1, 2, 8];
    expectValues(sigmoid(tensor(xs, { dtype })), [7], xs.map((v) => 1 / (1 + Math.exp(-stored(dtype, v)))), dtype);
  });

  it('sigmoid(±1000) is exactly 0 and 1, with no NaN', () => {
    const out = sigmoid(tensor([-1000, 1000, -1e30, 1e30], { dtype }));
    expect(Array.from(out.data)).toEqual([0, 1, 0, 1]);
  });

  it('tanh: (e²ˣ − 1) / (e²ˣ + 1)', () => {
    const xs = [-3, -0.5, 0, 0.25, 1, 4];
    expectValues(tanh(tensor(xs, { dtype })), [6], xs.map((v) => {
      const e2 = Math.exp(2 * stored(dtype, v));
      return (e2 - 1) / (e2 + 1);
    }), dtype);
  });

  it('tanh of large values is exactly ±1', () => {
    const out = tanh(tensor([-1000, -50, 50, 1000, -Infinity, Infinity], { dtype }));
    expect(Array.from(out.data)).toEqual([-1, -1, 1, 1, -1, 1]);
  });

  describe('softmax and logSoftmax', () => {
    const shape = [2, 3, 4];
    const x = () => randn(shape, { dtype, generator: new Generator(11) }).mul(3);

    it.each([0, 1, 2, -1, -2, -3])('along dim %d match a naive log-sum-exp', (dim) => {
      const t = x();
      const d = dim < 0 ? dim + 3 : dim;
      const expected = refLogSoftmax(t.data, shape, d);
      expectValues(logSoftmax(t, dim), shape, expected, dtype);
      expectValues(softmax(t, dim), shape, expected.map(Math.exp), dtype);
      expectValues(t.logSoftmax(dim), shape, expected, dtype);
      expectValues(t.softmax(dim), shape, expected.map(Math.exp), dtype);
    });

    it('default to the last dim', () => {
      const t = x();
      expectValues(softmax(t), shape, refLogSoftmax(t.data, shape, 2).map(Math.exp), dtype);
      expectValues(logSoftmax(t), shape, refLogSoftmax(t.data, shape, 2), dtype);
    });

    it('softmax lines sum to 1', () => {
      const s = softmax(x(), 1);
      // Σ over dim 1 of [2,3,4]: positions o·12 + i·4 + k for i = 0..2
      for (let o = 0; o < 2; o++) {
        for (let k = 0; k < 4; k++) {
          let total = 0;
          for (let i = 0; i < 3; i++) total += s.data[o * 12 + i * 4 + k];
          expect(Math.abs(total - 1)).toBeLessThan(dtype === 'float32' ? 1e-6 : 1e-14);
        }
      }
    });

    it('known values: softmax([0, ln 3]) = [1/4, 3/4], logSoftmax([0, 0]) = [−ln 2, −ln 2]', () => {
      expectValues(softmax(tensor([0, Math.log(3)], { dtype })), [2], [0.25, 0.75], dtype);
      expectValues(logSoftmax(tensor([[0, 0]], { dtype })), [1, 2], [-Math.LN2, -Math.LN2], dtype);
    });

    it('of a scalar are 1 and 0', () => {
      expectValues(softmax(tensor(5, { dtype })), [], [1], dtype);
      expectValues(logSoftmax(tensor(-7, { dtype }), 0), [], [0], dtype);
    });

    it('softmax([1000, 0]) is exactly [1, 0]', () => {
      const out = softmax(tensor([1000, 0], { dtype }));
      expect(Array.from(out.data)).toEqual([1, 0]);
      expect(Array.from(softmax(tensor([[0], [1000]], { dtype }), 0).data)).toEqual([0, 1]);
    });

    it('softmax of equal huge or tiny logits is uniform, not NaN', () => {
      expectValues(softmax(tensor([1000, 1000], { dtype })), [2], [0.5, 0.5], dtype);
      expectValues(softmax(tensor([-1000, -1000, -1000, -1000], { dtype })), [4], [0.25, 0.25, 0.25, 0.25], dtype);
    });

    it('logSoftmax of very negative logits is finite and correct', () => {
      // [-1e4, 0]: ln(1 + e^-1e4) underflows to 0 in double, so the result is exactly [-1e4, 0]
      const a = logSoftmax(tensor([-1e4, 0], { dtype }));
      expect(Array.from(a.data)).toEqual([-1e4, 0]);
      // [-1000, -2000]: the first is -ln(1 + e^-1000) = 0, the second 1000 below it
      const b = logSoftmax(tensor([-1000, -2000], { dtype }));
      expect(Array.from(b.data)).toEqual([0, -1000]);
      // [-1e4, -1e4 + δ] with δ ≈ ln 3 (as stored): only the gap δ matters, giving [-ln(1 + e^δ), δ - ln(1 + e^δ)]
      const lo = stored(dtype, -1e4);
      const hi = stored(dtype, -1e4 + Math.log(3));
      const delta = hi - lo;
      const c = logSoftmax(tensor([lo, hi], { dtype }));
      expect(Array.from(c.data).every(Number.isFinite)).toBe(true);
      expectValues(c, [2], [-Math.log1p(Math.exp(delta)), delta - Math.log1p(Math.exp(delta))], dtype, dtype === 'float32' ? 1e-6 : 1e-9);
    });

    it('logSoftmax of huge logits is finite (no exp overflow)', () => {
      expectValues(logSoftmax(tensor([1000, 1000], { dtype })), [2], [-Math.LN2, -Math.LN2], dtype);
      expectValues(logSoftmax(tensor([1e4, 0], { dtype })), [2], [0, -1e4], dtype);
    });

    it('reject a dim out of range with a RangeError naming the op and the dim', () => {
      const t = tensor([[1, 2]], { dtype });
      for (const [name, op] of [['softmax', softmax], ['logSoftmax', logSoftmax]] as const) {
        for (const dim of [2, -3]) {
          const e = thrown(() => op(t, dim));
          expect(e).toBeInstanceOf(RangeError);
          expect(e.message).toContain(`${name}:`);
          expect(e.message).toContain(`dim ${dim}`);
        }
      }
    });

    it('record the graph when the input requires grad', () => {
      const t = tensor([1, 2], { dtype, requiresGrad: true });
      expect(softmax(t).requiresGrad).toBe(true);
      expect(logSoftmax(t).requiresGrad).toBe(true);
      expect(sigmoid(t).requiresGrad).toBe(true);
      expect(tanh(t).requiresGrad).toBe(true);
      expect(relu(t).requiresGrad).toBe(true);
      expect(leakyRelu(t).requiresGrad).toBe(true);
    });
  });
});
