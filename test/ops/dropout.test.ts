import { describe, expect, it } from 'vitest';
import { Generator, Tensor, gradcheck, manualSeed, ones, randn, tensor } from '../../src/index.js';
import { dropout } from '../../src/ops/dropout.js';
import { thrown } from '../helpers.js';

/** The documented mask: element i is kept (×1/(1 − p)) unless the generator's i-th uniform draw is below p. */
function refMask(n: number, p: number, seed: number): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => (g.random() < p ? 0 : 1 / (1 - p)));
}

describe('dropout', () => {
  it('zeroes a fraction close to p over many elements (within 4 binomial standard deviations)', () => {
    const n = 20_000;
    for (const [p, seed] of [[0.1, 1], [0.3, 2], [0.5, 3], [0.9, 4]] as const) {
      const y = dropout(ones([n]), { p, generator: new Generator(seed) });
      const zeros = Array.from(y.data).filter((v) => v === 0).length;
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(zeros - n * p), `p = ${p}: ${zeros} zeros`).toBeLessThanOrEqual(4 * sd);
    }
  });

  it('scales every survivor by 1/(1 − p) and zeroes the rest', () => {
    const p = 0.35;
    const g = new Generator(5);
    const x = randn([50, 40], { dtype: 'float64', generator: g });
    const y = dropout(x, { p, generator: new Generator(6) });
    let kept = 0;
    for (let i = 0; i < x.size; i++) {
      if (y.data[i] === 0) continue;
      kept++;
      expect(y.data[i]).toBeCloseTo(x.data[i] / (1 - p), 14);
    }
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(x.size);
  });

  it('follows the documented mask: drop where the i-th draw of the generator is below p', () => {
    const p = 0.4;
    const y = dropout(ones([3, 7], { dtype: 'float64' }), { p, generator: new Generator(42) });
    expect(Array.from(y.data)).toEqual(refMask(21, p, 42));
  });

  it('preserves the expectation: the mean of dropout(1) over n elements is 1 within 4 standard errors', () => {
    const n = 40_000;
    for (const [p, seed] of [[0.2, 7], [0.5, 8], [0.8, 9]] as const) {
      const y = dropout(ones([n], { dtype: 'float64' }), { p, generator: new Generator(seed) });
      const mean = Array.from(y.data).reduce((a, v) => a + v, 0) / n;
      // each element is 1/(1−p) with probability 1−p, else 0: mean 1, variance p/(1 − p)
      const se = Math.sqrt(p / (1 - p) / n);
      expect(Math.abs(mean - 1), `p = ${p}`).toBeLessThanOrEqual(4 * se);
    }
  });

  it('same seed → same mask; another seed → another mask; the default generator follows manualSeed', () => {
    const x = ones([200]);
    const a = dropout(x, { p: 0.5, generator: new Generator(11) });
    const b = dropout(x, { p: 0.5, generator: new Generator(11) });
    const c = dropout(x, { p: 0.5, generator: new Generator(12) });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(Array.from(c.data)).not.toEqual(Array.from(a.data));
    manualSeed(13);
    const d = dropout(x, { p: 0.5 });
    manualSeed(13);
    const e = dropout(x, { p: 0.5 });
    expect(Array.from(e.data)).toEqual(Array.from(d.data));
    expect(Array.from(d.data)).toEqual(Array.from(tensor(refMask(200, 0.5, 13)).data));
  });

  it('consecutive calls on one generator draw fresh masks', () => {
    const g = new Generator(14);
    const a = dropout(ones([100], { dtype: 'float64' }), { p: 0.5, generator: g });
    const b = dropout(ones([100], { dtype: 'float64' }), { p: 0.5, generator: g });
    const both = refMask(200, 0.5, 14);
    expect(Array.from(a.data)).toEqual(both.slice(0, 100));
    expect(Array.from(b.data)).toEqual(both.slice(100));
  });

  it('is the identity in eval and with p = 0 (and makes no draws)', () => {
    const x = randn([4, 5], { generator: new Generator(15) });
    const g = new Generator(16);
    expect(dropout(x, { p: 0.7, training: false, generator: g })).toBe(x);
    expect(dropout(x, { p: 0, generator: g })).toBe(x);
    expect(g.random()).toBe(new Generator(16).random());
  });

  it('defaults to p = 0.5 in training mode (as F.dropout)', () => {
    const y = dropout(ones([16], { dtype: 'float64' }), { generator: new Generator(17) });
    expect(Array.from(y.data)).toEqual(refMask(16, 0.5, 17));
  });

  it('keeps the dtype', () => {
    expect(dropout(ones([4], { dtype: 'float64' }), { p: 0.5, generator: new Generator(1) }).dtype).toBe('float64');
    expect(dropout(ones([4]), { p: 0.5, generator: new Generator(1) }).dtype).toBe('float32');
  });

  it('gradient = mask/(1 − p): 0 where dropped, 1/(1 − p) where kept', () => {
    const p = 0.25;
    const x = randn([6, 5], { dtype: 'float64', requiresGrad: true, generator: new Generator(18) });
    const y = dropout(x, { p, generator: new Generator(19) });
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(refMask(30, p, 19));
  });

  it('gradcheck with a fixed seed (the generator is re-created inside fn, so every evaluation uses one mask)', () => {
    const x = randn([4, 6], { dtype: 'float64', requiresGrad: true, generator: new Generator(20) });
    const report = gradcheck((x) => dropout(x, { p: 0.4, generator: new Generator(21) }).mul(x), [x]);
    expect(report.ok).toBe(true);
    const linear = gradcheck((x) => dropout(x, { p: 0.6, generator: new Generator(22) }), [x]);
    expect(linear.ok).toBe(true);
    const evalMode = gradcheck((x) => dropout(x, { p: 0.6, training: false }).tanh(), [x]);
    expect(evalMode.ok).toBe(true);
  });

  it('rejects p outside [0, 1), and bad options', () => {
    for (const p of [1, -0.1, 1.5, NaN]) {
      expect(() => dropout(ones([3]), { p })).toThrow(RangeError);
    }
    expect(() => dropout(ones([3]), { p: 1 })).toThrow(/dropout: p must be a probability in \[0, 1\), got 1/);
    expect(() => dropout(ones([3]), { training: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => dropout(ones([3]), { generator: {} as Generator })).toThrow(TypeError);
    expect(() => dropout(ones([3]), { generator: {} as Generator })).toThrow(/^dropout: generator must be a Generator/);
    expect(() => dropout([1, 2] as unknown as Tensor)).toThrow(TypeError);
  });

  it('a string p is a TypeError that shows it is a string', () => {
    const e = thrown(() => dropout(ones([3]), { p: '0.5' as unknown as number }));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe('dropout: p must be a probability in [0, 1), got "0.5"');
  });

  it('an unknown option is a TypeError naming dropout and the key; inplace is refused as not supported', () => {
    const e = thrown(() => dropout(ones([3]), { prob: 0.5 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("dropout: unknown option 'prob' (expected p, training, generator)");
    const inplace = thrown(() => dropout(ones([3]), { p: 0.5, inplace: true } as never));
    expect(inplace).toBeInstanceOf(RangeError);
    expect(inplace.message).toMatch(/^dropout: option 'inplace' is not supported by tapegrad, got true/);
  });

  it('a rejected option draws nothing from the generator; inplace: false (the default) is accepted', () => {
    const g = new Generator(30);
    const before = g.getState();
    expect(() => dropout(ones([4]), { p: 0.5, generator: g, inplace: true } as never)).toThrow(RangeError);
    expect(() => dropout(ones([4]), { p: '0.5', generator: g } as never)).toThrow(TypeError);
    expect(g.getState()).toEqual(before);
    // then the first mask is the same as a fresh generator's with that seed
    const y = dropout(ones([4], { dtype: 'float64' }), { p: 0.5, generator: g, inplace: false } as never);
    expect(Array.from(y.data)).toEqual(refMask(4, 0.5, 30));
  });
});
