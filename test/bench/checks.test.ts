/**
 * The benchmark harness's correctness checks (bench/harness/checks.ts): they must accept any correctly rounded
 * float32 result, whatever the summation order, and reject the mistakes a kernel or a layout conversion makes
 * (a transposed result, the wrong variant, a bad row or column, mishandled padding, a flipped kernel). Expected
 * results come from naive loops written here. Nothing is timed.
 */
import { describe, it, expect } from 'vitest';
import {
  FLOAT32_UNIT_ROUNDOFF, checkConv2d, checkLossFalls, checkMatmul, checkTrajectory, convOutputSize, convSamplePoints,
  float32DotBound, samplePoints, type ConvProblem, type MatmulProblem,
} from '../../bench/harness/checks.js';
import { Rng, normalArray } from '../../bench/harness/data.js';

const f = Math.fround;

/** op(A)·op(B) accumulated in float32, one rounding per multiply and per add, in the given order of k. */
function float32Product(p: MatmulProblem, reverse = false): Float32Array {
  const { m, k, n, transA, transB, a, b } = p;
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let t = 0; t < k; t++) {
        const q = reverse ? k - 1 - t : t;
        acc = f(acc + f((transA ? a[q * m + i] : a[i * k + q]) * (transB ? b[j * k + q] : b[q * n + j])));
      }
      c[i * n + j] = acc;
    }
  }
  return c;
}

function matmulProblem(m: number, k: number, n: number, transA: boolean, transB: boolean, seed: number): MatmulProblem {
  const rng = new Rng(seed);
  return { m, k, n, transA, transB, a: normalArray(m * k, rng), b: normalArray(k * n, rng) };
}

const read = (c: ArrayLike<number>, n: number) => (i: number, j: number) => c[i * n + j];

describe('float32DotBound', () => {
  it('is γ_(k+1)·Σ|aᵢbᵢ| with γ_j = j·u/(1 − j·u), u = 2⁻²⁴', () => {
    expect(FLOAT32_UNIT_ROUNDOFF).toBe(1 / 16777216);
    const ku = 11 / 16777216; // k = 10
    expect(float32DotBound(10, 3)).toBeCloseTo((3 * ku) / (1 - ku), 20);
    expect(float32DotBound(5, 0)).toBe(0);
  });

  it('admits a float32 sum that loses everything to cancellation, and no more', () => {
    // (1e8 + 1) − 1e8 in float32: 1e8 + 1 rounds to 1e8 (float32 spacing there is 8), so the sum is 0, exactly 1 off.
    const p: MatmulProblem = { m: 1, k: 3, n: 1, transA: false, transB: false, a: [1e8, 1, -1e8], b: [1, 1, 1] };
    expect(f(f(1e8 + 1) - 1e8)).toBe(0);
    expect(checkMatmul(p, () => 0, [[0, 0]]).ok).toBe(true);
    // the bound here is 4u·(2e8 + 1) ≈ 47.7, so an answer 100 off is rejected
    expect(checkMatmul(p, () => 101, [[0, 0]]).ok).toBe(false);
  });
});

describe('samplePoints', () => {
  it('hits every row and every column, stays in range, and includes off-diagonal points', () => {
    for (const [m, n] of [[7, 7], [3, 11], [13, 2], [1, 5]]) {
      const pts = samplePoints(m, n, 5, 4);
      expect(new Set(pts.map(([i]) => i)).size).toBe(m);
      expect(new Set(pts.map(([, j]) => j)).size).toBe(n);
      for (const [i, j] of pts) {
        expect(i >= 0 && i < m && j >= 0 && j < n).toBe(true);
      }
      if (m > 1 && n > 1) expect(pts.some(([i, j]) => i !== j)).toBe(true);
    }
  });
});

describe('checkMatmul', () => {
  const variants = [[false, false], [true, false], [false, true], [true, true]] as const;

  it('accepts float32 products of every variant in either summation order', () => {
    let seed = 1;
    for (const [ta, tb] of variants) {
      for (const [m, k, n] of [[9, 33, 5], [16, 16, 16], [1, 200, 3]]) {
        const p = matmulProblem(m, k, n, ta, tb, seed++);
        const r1 = checkMatmul(p, read(float32Product(p), n));
        const r2 = checkMatmul(p, read(float32Product(p, true), n));
        expect(r1.ok, r1.detail).toBe(true);
        expect(r2.ok, r2.detail).toBe(true);
      }
    }
  });

  it('rejects a transposed result', () => {
    const p = matmulProblem(12, 20, 12, false, false, 3);
    const c = float32Product(p);
    const r = checkMatmul(p, (i, j) => c[j * 12 + i]);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/exceeds the float32 bound/);
  });

  it('rejects the product of the wrong variant (A·B asked, Aᵀ·B or A·Bᵀ computed)', () => {
    const p = matmulProblem(10, 10, 10, false, false, 4);
    expect(checkMatmul(p, read(float32Product({ ...p, transA: true }), 10)).ok).toBe(false);
    expect(checkMatmul(p, read(float32Product({ ...p, transB: true }), 10)).ok).toBe(false);
    const q = { ...p, transA: true };
    expect(checkMatmul(q, read(float32Product(p), 10)).ok).toBe(false);
  });

  it('rejects a single bad row or column wherever it is (every row and column is sampled)', () => {
    const [m, n] = [9, 14];
    const p = matmulProblem(m, 25, n, true, false, 5);
    const good = float32Product(p);
    for (let row = 0; row < m; row++) {
      const c = good.slice();
      for (let j = 0; j < n; j++) c[row * n + j] += 0.01;
      expect(checkMatmul(p, read(c, n)).ok, `row ${row}`).toBe(false);
    }
    for (let col = 0; col < n; col++) {
      const c = good.slice();
      for (let i = 0; i < m; i++) c[i * n + col] *= 1.001;
      expect(checkMatmul(p, read(c, n)).ok, `column ${col}`).toBe(false);
    }
  });

  it('rejects NaN and infinity', () => {
    const p = matmulProblem(4, 4, 4, false, false, 6);
    const c = float32Product(p);
    const [[i0, j0]] = samplePoints(4, 4);
    for (const bad of [NaN, Infinity]) {
      const d = c.slice();
      d[i0 * 4 + j0] = bad;
      expect(checkMatmul(p, read(d, 4)).ok).toBe(false);
    }
  });
});

/** A naive float32 convolution (cross-correlation), NCHW / OIHW, zero padding, with optional kernel flip. */
function float32Conv(p: ConvProblem, opts: { flip?: boolean; replicatePad?: boolean } = {}): Float32Array {
  const [oh, ow] = convOutputSize(p);
  const out = new Float32Array(p.n * p.o * oh * ow);
  for (let s = 0; s < p.n; s++) {
    for (let o = 0; o < p.o; o++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let acc = p.bias ? f(p.bias[o]) : 0;
          for (let c = 0; c < p.c; c++) {
            for (let i = 0; i < p.kh; i++) {
              for (let j = 0; j < p.kw; j++) {
                let iy = y * p.stride - p.padding + i;
                let ix = x * p.stride - p.padding + j;
                if (opts.replicatePad) {
                  iy = Math.min(Math.max(iy, 0), p.h - 1);
                  ix = Math.min(Math.max(ix, 0), p.w - 1);
                } else if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) {
                  continue;
                }
                const wi = opts.flip ? p.kh - 1 - i : i;
                const wj = opts.flip ? p.kw - 1 - j : j;
                acc = f(acc + f(p.x[((s * p.c + c) * p.h + iy) * p.w + ix] * p.weight[((o * p.c + c) * p.kh + wi) * p.kw + wj]));
              }
            }
          }
          out[((s * p.o + o) * oh + y) * ow + x] = acc;
        }
      }
    }
  }
  return out;
}

function convProblem(seed: number, over: Partial<ConvProblem> = {}): ConvProblem {
  const base = { n: 3, c: 4, h: 7, w: 6, o: 5, kh: 3, kw: 3, padding: 1, stride: 1, bias: null as ArrayLike<number> | null };
  const s = { ...base, ...over };
  const rng = new Rng(seed);
  return {
    ...s,
    x: normalArray(s.n * s.c * s.h * s.w, rng),
    weight: normalArray(s.o * s.c * s.kh * s.kw, rng),
    bias: over.bias === undefined ? null : normalArray(s.o, rng),
  } as ConvProblem;
}

function convReader(p: ConvProblem, out: Float32Array) {
  const [oh, ow] = convOutputSize(p);
  return (s: number, o: number, y: number, x: number) => out[((s * p.o + o) * oh + y) * ow + x];
}

describe('checkConv2d', () => {
  it('accepts float32 convolutions with padding, stride and bias', () => {
    const cases: Array<Partial<ConvProblem>> = [{}, { stride: 2 }, { padding: 0, kh: 2, kw: 3 }, { bias: [] }, { padding: 2, stride: 3, h: 9, w: 9 }];
    cases.forEach((c, i) => {
      const p = convProblem(10 + i, c);
      const r = checkConv2d(p, convReader(p, float32Conv(p)));
      expect(r.ok, r.detail).toBe(true);
    });
  });

  it('samples every (sample, filter) pair, and output corners and edges', () => {
    const p = convProblem(20);
    const [oh, ow] = convOutputSize(p);
    const pts = convSamplePoints(p);
    expect(new Set(pts.map(([s, o]) => `${s},${o}`)).size).toBe(p.n * p.o);
    expect(pts.some(([, , y, x]) => y === 0 && x === 0)).toBe(true);
    expect(pts.some(([, , y, x]) => y === oh - 1 && x === ow - 1)).toBe(true);
  });

  it('rejects a flipped kernel (convolution instead of cross-correlation)', () => {
    const p = convProblem(21);
    expect(checkConv2d(p, convReader(p, float32Conv(p, { flip: true }))).ok).toBe(false);
  });

  it('rejects padding that is not zeros (wrong only at the borders)', () => {
    const p = convProblem(22);
    expect(checkConv2d(p, convReader(p, float32Conv(p, { replicatePad: true }))).ok).toBe(false);
  });

  it('rejects a channels-last result read as channels-first', () => {
    const p = convProblem(23, { h: 5, w: 5, o: 5 });
    const out = float32Conv(p);
    const [oh, ow] = convOutputSize(p);
    expect(checkConv2d(p, (s, o, y, x) => out[((s * oh + y) * ow + x) * p.o + o]).ok).toBe(false);
  });

  it('rejects a missing bias and one bad filter, whichever it is', () => {
    const p = convProblem(24, { bias: [] });
    expect(checkConv2d(p, convReader(p, float32Conv({ ...p, bias: null }))).ok).toBe(false);
    const good = float32Conv(p);
    const [oh, ow] = convOutputSize(p);
    for (let o = 0; o < p.o; o++) {
      const bad = good.slice();
      for (let s = 0; s < p.n; s++) for (let t = 0; t < oh * ow; t++) bad[(s * p.o + o) * oh * ow + t] += 0.01;
      expect(checkConv2d(p, convReader(p, bad)).ok, `filter ${o}`).toBe(false);
    }
  });
});

describe('checkLossFalls', () => {
  it('accepts finite losses whose last timed value is below the first timed one', () => {
    expect(checkLossFalls([2.3, 2.2, 2.1, 2.0], 1).ok).toBe(true);
    expect(checkLossFalls([2.3, 2.2], 0).ok).toBe(true);
  });

  it('judges only the timed steps: a fall during warm-up does not count', () => {
    const r = checkLossFalls([3, 1, 1.2, 1.5], 1);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/did not fall/);
  });

  it('rejects flat losses, non-finite losses, and too few timed steps', () => {
    expect(checkLossFalls([2, 2, 2], 0).ok).toBe(false);
    expect(checkLossFalls([2, NaN, 1], 0).ok).toBe(false);
    expect(checkLossFalls([2, 1, Infinity, 0.5], 0).ok).toBe(false);
    expect(checkLossFalls([3, 2, 1], 2).ok).toBe(false);
  });
});

describe('checkTrajectory', () => {
  const tol = { first: 1e-4, later: 1e-2 };

  it('accepts a path within the tolerances, over the steps both runs have', () => {
    const ref = [2.3, 2.0, 1.5, 1.0];
    expect(checkTrajectory(ref, [2.3 * (1 + 5e-5), 2.0 * (1 - 5e-3), 1.5 * (1 + 9e-3)], tol).ok).toBe(true);
  });

  it('holds the first step (a forward on identical weights) to the tighter tolerance', () => {
    const r = checkTrajectory([2.3, 2.0], [2.3 * (1 + 3e-4), 2.0], tol);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/step 1/);
  });

  it('rejects a path that drifts apart later, and NaN', () => {
    // the same start, then half the learning rate: the second loss is off by far more than rounding
    const r = checkTrajectory([2.3, 2.0, 1.7], [2.3, 2.15, 2.0], tol);
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/step 2/);
    expect(checkTrajectory([2.3, 2.0], [2.3, NaN], tol).ok).toBe(false);
    expect(checkTrajectory([], [], tol).ok).toBe(false);
  });
});
