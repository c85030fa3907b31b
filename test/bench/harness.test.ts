/**
 * The rest of the harness that decides what a figure means: the median, the rotation of the order, and the layout
 * conversions that hand the same numbers to every library (a wrong permutation would make a peer compute on other
 * data). Expected values come from index formulas written here. Nothing is timed.
 */
import { describe, it, expect } from 'vitest';
import { gflops, median, orderPeriod, roundOrder } from '../../bench/harness/stats.js';
import { NCHW_TO_NHWC, OIHW_TO_HWIO, Rng, oneHot, permute4d, transpose2d } from '../../bench/harness/data.js';

describe('median', () => {
  it('is the middle value, or the mean of the middle two, whatever the order', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
    expect(median([10, 1, 1, 1, 100, 1, 1])).toBe(1); // an outlier does not move it
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('roundOrder', () => {
  it('over one period runs each item in each position, and right after each other item, equally often', () => {
    for (let n = 1; n <= 7; n++) {
      const items = Array.from({ length: n }, (_, i) => String.fromCharCode(97 + i));
      const period = orderPeriod(n);
      expect(period).toBe(n % 2 === 0 ? n : 2 * n);
      const rounds = Array.from({ length: period }, (_, r) => roundOrder(items, r));
      for (const order of rounds) expect([...order].sort()).toEqual(items);
      // each position: every item period / n times
      for (let pos = 0; pos < n; pos++) {
        const counts = new Map<string, number>();
        for (const order of rounds) counts.set(order[pos], (counts.get(order[pos]) ?? 0) + 1);
        for (const it of items) expect(counts.get(it), `n=${n} position ${pos} item ${it}`).toBe(period / n);
      }
      // each ordered pair (x right before y, x ≠ y): (n − 1)·period / (n·(n − 1)) = period / n times
      const pairs = new Map<string, number>();
      for (const order of rounds) for (let i = 1; i < n; i++) pairs.set(order[i - 1] + order[i], (pairs.get(order[i - 1] + order[i]) ?? 0) + 1);
      expect(pairs.size).toBe(n * (n - 1));
      for (const [pair, count] of pairs) expect(count, `n=${n} pair ${pair}`).toBe(period / n);
    }
  });

  it('repeats with its period and accepts any round number', () => {
    const items = ['a', 'b', 'c'];
    expect(roundOrder(items, 0)).toEqual(['a', 'b', 'c']);
    expect(roundOrder(items, 6)).toEqual(roundOrder(items, 0));
    expect(roundOrder(items, -1)).toEqual(roundOrder(items, 5));
    expect(roundOrder([], 3)).toEqual([]);
  });
});

describe('gflops', () => {
  it('is flops / (ms · 10⁶)', () => {
    // 2·512³ = 268,435,456 operations in 189 ms: 1.42 GFLOPS (the tfjs-cpu W1 figure)
    expect(gflops(2 * 512 ** 3, 189)).toBeCloseTo(268435456 / 189e6, 12);
  });
});

describe('layout conversions', () => {
  it('permute4d NCHW → NHWC moves x[n, c, h, w] to [n, h, w, c]', () => {
    const [N, C, H, W] = [2, 3, 4, 5];
    const rng = new Rng(3);
    const src = Float32Array.from({ length: N * C * H * W }, () => rng.normal());
    const out = permute4d(src, [N, C, H, W], NCHW_TO_NHWC);
    for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) for (let h = 0; h < H; h++) for (let w = 0; w < W; w++) {
      expect(out[((n * H + h) * W + w) * C + c]).toBe(src[((n * C + c) * H + h) * W + w]);
    }
  });

  it('permute4d OIHW → HWIO moves w[o, i, h, w] to [h, w, i, o]', () => {
    const [O, I, KH, KW] = [4, 3, 2, 5];
    const src = Float32Array.from({ length: O * I * KH * KW }, (_, t) => t);
    const out = permute4d(src, [O, I, KH, KW], OIHW_TO_HWIO);
    for (let o = 0; o < O; o++) for (let i = 0; i < I; i++) for (let h = 0; h < KH; h++) for (let w = 0; w < KW; w++) {
      expect(out[((h * KW + w) * I + i) * O + o]).toBe(((o * I + i) * KH + h) * KW + w);
    }
  });

  it('transpose2d and oneHot', () => {
    expect(Array.from(transpose2d(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3))).toEqual([1, 4, 2, 5, 3, 6]);
    expect(Array.from(oneHot(Float32Array.from([2, 0]), 3))).toEqual([0, 0, 1, 1, 0, 0]);
  });

  it('Rng is seeded: the same seed gives the same draws, uniform in [0, 1)', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => a.uniform());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.uniform()));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    // mean of 1000 uniforms: 0.5 ± 3·√(1/12/1000) ≈ 0.5 ± 0.027
    expect(Math.abs(xs.reduce((s, x) => s + x, 0) / 1000 - 0.5)).toBeLessThan(0.03);
    const p = new Rng(1).permutation(50);
    expect([...p].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});
