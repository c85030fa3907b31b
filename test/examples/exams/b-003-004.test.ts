/**
 * Part B of EXAMS.md (§3), entries 003-Q8, 004-Q5, 004-Q8 and 004-Q11: each demonstration's measurable property,
 * for the example's default seed and two more. Expected values come from EXAMS.md, from formulas, or from plain-JS
 * reference computations written here (a Legendre/normal-equations ridge fit, the covariance of the data and its
 * eigenvalues by the trigonometric solution of the characteristic cubic).
 */
import { describe, expect, it } from 'vitest';
import type { Plot } from '../../../examples/lib/plot.js';
import * as q8bv from '../../../examples/exams/003-q8-bias-variance.js';
import * as q5 from '../../../examples/exams/004-q5-reduce-overfitting.js';
import * as q8hp from '../../../examples/exams/004-q8-hyperparameters.js';
import type { SweepResult } from '../../../examples/exams/001-q3a-q3b-ridge-lambda.js';
import * as q11 from '../../../examples/exams/004-q11-linear-autoencoder.js';

/** Every plot has a spec whose inline data is non-empty and finite; returns the number of data rows of each. */
function plotRows(plots: Plot[] | undefined): number[] {
  expect(plots).toBeDefined();
  return plots!.map((p) => {
    const values = (p.spec as { data: { values: Array<{ x: number; y: number }> } }).data.values;
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) {
      expect(Number.isFinite(v.x)).toBe(true);
      expect(Number.isFinite(v.y)).toBe(true);
    }
    return values.length;
  });
}

/** Legendre P_0..P_d at x (Bonnet's recurrence), written independently of examples/lib. */
function legendre(x: number, d: number): number[] {
  const p = [1, x];
  for (let k = 1; k < d; k++) p.push(((2 * k + 1) * x * p[k] - k * p[k - 1]) / (k + 1));
  return p.slice(0, d + 1);
}

/** Naive ridge: minimise mean (y − wᵀφ)² + λ Σ_{j≥1} w_j², by Gauss–Jordan elimination with partial pivoting. */
function ridgeFit(xs: number[], ys: number[], degree: number, lambda: number): number[] {
  const n = xs.length;
  const p = degree + 1;
  const a = Array.from({ length: p }, () => new Array<number>(p + 1).fill(0));
  for (let i = 0; i < n; i++) {
    const phi = legendre(xs[i], degree);
    for (let r = 0; r < p; r++) {
      for (let c = 0; c < p; c++) a[r][c] += phi[r] * phi[c] / n;
      a[r][p] += phi[r] * ys[i] / n;
    }
  }
  for (let j = 1; j < p; j++) a[j][j] += lambda;
  for (let c = 0; c < p; c++) {
    let piv = c;
    for (let r = c + 1; r < p; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
    [a[c], a[piv]] = [a[piv], a[c]];
    for (let r = 0; r < p; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let k = c; k <= p; k++) a[r][k] -= f * a[c][k];
    }
  }
  return a.map((row, i) => row[p] / row[i]);
}

function mseOf(xs: number[], ys: number[], w: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) {
    const phi = legendre(xs[i], w.length - 1);
    s += (phi.reduce((acc, v, k) => acc + v * w[k], 0) - ys[i]) ** 2;
  }
  return s / xs.length;
}

/** The validation-search assertions of EXAMS.md 001-Q3a / 004-Q8, plus a plain-JS refit of every λ ≥ 1e-4. */
function checkSearch(s: SweepResult): void {
  const best = s.best;
  expect(s.valMse[best]).toBe(Math.min(...s.valMse));
  // the argmin is interior: neither λ = 0 nor the largest λ
  expect(best).toBeGreaterThan(0);
  expect(best).toBeLessThan(s.lambdas.length - 1);
  // ridge's exact property: the training error cannot fall as λ grows (tolerance for the solves' rounding)
  for (let i = 1; i < s.trainMse.length; i++) expect(s.trainMse[i]).toBeGreaterThanOrEqual(s.trainMse[i - 1] - 1e-9);
  expect(s.valMse[best]).toBeLessThan(0.2 * s.valMse[0]);
  expect(s.valMse[best]).toBeLessThan(s.valMse[s.valMse.length - 1]);
  // λ = 0 and 1e-6 on degree 12 are too ill-conditioned for two different solvers to agree closely; the rest must:
  // the same coefficients, and the same training error
  s.lambdas.forEach((lambda, i) => {
    if (lambda < 1e-4) return;
    const w = ridgeFit(s.trainX, s.trainY, 12, lambda);
    w.forEach((v, k) => expect(Math.abs(v - s.weights[i][k])).toBeLessThan(1e-6 * (1 + Math.abs(v))));
    expect(Math.abs(mseOf(s.trainX, s.trainY, w) - s.trainMse[i])).toBeLessThan(1e-6 * s.trainMse[i]);
  });
}

describe('003-Q8: bias and variance of four interventions (Monte Carlo, 200 training sets; 2,000 for (d))', () => {
  const seeds = [q8bv.DEFAULT_SEED, 1, 2];
  const results = seeds.map((seed) => q8bv.run({ seed }));
  const { at } = q8bv;

  it('runs the settings EXAMS.md compares, on 200 datasets each (2,000 for the small bias² change of (d))', () => {
    for (const r of results) {
      expect(r.datasets).toBe(200);
      expect(r.dataDatasets).toBe(2000);
      expect(r.ridge.map((b) => b.knob)).toEqual(expect.arrayContaining([1e-6, 0.1, 1]));
      expect(r.capacity.map((b) => b.knob)).toEqual(expect.arrayContaining([3, 6]));
      expect(r.dropout.map((b) => b.knob)).toEqual(expect.arrayContaining([1, 0.8, 0.5]));
      expect(r.data.map((b) => b.knob)).toEqual(expect.arrayContaining([20, 80, 320]));
    }
  });

  it.each(seeds.map((s, i) => [s, i]))('(a) ridge: λ = 0.1 and λ = 1 have higher bias² and lower variance than λ = 1e-6 (seed %i)', (_s, i) => {
    const r = results[i];
    const base = at(r.ridge, 1e-6);
    for (const l of [0.1, 1]) {
      expect(at(r.ridge, l).bias2).toBeGreaterThan(base.bias2);
      expect(at(r.ridge, l).variance).toBeLessThan(base.variance);
    }
  });

  it.each(seeds.map((s, i) => [s, i]))('(b) capacity, degree 3 → 6: bias² down, variance up (seed %i)', (_s, i) => {
    const [d3, d6] = [at(results[i].capacity, 3), at(results[i].capacity, 6)];
    expect(d6.bias2).toBeLessThan(d3.bias2);
    expect(d6.variance).toBeGreaterThan(d3.variance);
  });

  it.each(seeds.map((s, i) => [s, i]))('(c) dropout: keep 0.8 and 0.5 have higher bias² and lower variance than keep 1 (seed %i)', (_s, i) => {
    const r = results[i];
    const base = at(r.dropout, 1);
    for (const q of [0.8, 0.5]) {
      expect(at(r.dropout, q).bias2).toBeGreaterThan(base.bias2);
      expect(at(r.dropout, q).variance).toBeLessThan(base.variance);
    }
  });

  // The best cubic approximation of sin(πx) in L²[−1, 1]: c_k = (2k + 1)/2 ∫ sin(πx) P_k(x) dx, here by composite
  // Simpson's rule (independent of the example's closed form); its squared error on the 50-point grid is the bias²
  // that least squares tends to as N → ∞.
  const cubicBias2 = (() => {
    const m = 2000;
    const coef = (k: number) => {
      let s = 0;
      for (let j = 0; j <= m; j++) {
        const x = -1 + (2 * j) / m;
        const wgt = j === 0 || j === m ? 1 : j % 2 === 1 ? 4 : 2;
        s += wgt * Math.sin(Math.PI * x) * legendre(x, 3)[k];
      }
      return ((2 * k + 1) / 2) * s * (2 / m) / 3;
    };
    const c = [0, 1, 2, 3].map(coef);
    let e = 0;
    for (let i = 0; i < 50; i++) {
      const x = -1 + (2 * i) / 49;
      e += (legendre(x, 3).reduce((acc, v, k) => acc + v * c[k], 0) - Math.sin(Math.PI * x)) ** 2;
    }
    return e / 50;
  })();

  it.each(seeds.map((s, i) => [s, i]))('(d) more data: bias² stays at the model\'s, variance falls > 10× from N = 20 to 320 (seed %i)', (_s, i) => {
    const r = results[i];
    const [n20, n320] = [at(r.data, 20), at(r.data, 320)];
    // EXAMS.md asks |Δbias²| < 0.001. Least squares' own finite-sample bias at N = 20 makes the change ≈ 0.0007–0.0008
    // whatever the sample size, so the bound has little margin: with 2,000 sets per N, seeds 0–11 give 0.00056–0.00108
    // (seed 6 is over). It holds at the seeds tested here; what holds on every seed is asserted as well: the change
    // is under half the bias² itself, and at N = 320 the bias² is the best cubic's error (within 10%).
    expect(Math.abs(n20.bias2 - n320.bias2)).toBeLessThan(0.001);
    expect(Math.abs(n20.bias2 - n320.bias2)).toBeLessThan(0.5 * n320.bias2);
    expect(Math.abs(n320.bias2 - cubicBias2) / cubicBias2).toBeLessThan(0.1);
    expect(n20.variance / n320.variance).toBeGreaterThan(10);
    // while the bias barely moves, the variance drop dominates the change of the expected error: in EXAMS.md's
    // reference the variance falls by 0.0134 (0.0139 → 0.0005) against a bias² change under the 0.001 bound, over 13×;
    // 5× leaves room for the Monte-Carlo error
    expect(n20.variance - n320.variance).toBeGreaterThan(5 * Math.abs(n20.bias2 - n320.bias2));
  });

  it('the example\'s best-cubic error agrees with the quadrature', () => {
    expect(Math.abs(q8bv.cubicApproximationError() - cubicBias2)).toBeLessThan(1e-9);
  });

  it('no cubic is closer to sin(πx) on the grid than the grid\'s least-squares cubic, so EXAMS.md\'s (d) bias² of 0.0034–0.0036 is out of reach', () => {
    // the least-squares cubic on the 50 grid points, by the normal equations in the monomial basis (plain JS)
    const xs = Array.from({ length: 50 }, (_, i) => -1 + (2 * i) / 49);
    const A = [0, 1, 2, 3].map((j) => [0, 1, 2, 3].map((k) => xs.reduce((acc, x) => acc + x ** (j + k), 0)));
    const b = [0, 1, 2, 3].map((j) => xs.reduce((acc, x) => acc + x ** j * Math.sin(Math.PI * x), 0));
    for (let c = 0; c < 4; c++) {
      for (let r = c + 1; r < 4; r++) {
        const f = A[r][c] / A[c][c];
        for (let k = c; k < 4; k++) A[r][k] -= f * A[c][k];
        b[r] -= f * b[c];
      }
    }
    const w = [0, 0, 0, 0];
    for (let r = 3; r >= 0; r--) w[r] = (b[r] - [0, 1, 2, 3].slice(r + 1).reduce((acc, k) => acc + A[r][k] * w[k], 0)) / A[r][r];
    const best = xs.reduce((acc, x) => acc + (w[0] + w[1] * x + w[2] * x ** 2 + w[3] * x ** 3 - Math.sin(Math.PI * x)) ** 2, 0) / 50;
    expect(Math.abs(q8bv.gridBestCubicError() - best)).toBeLessThan(1e-9);
    expect(best).toBeGreaterThan(0.0036);
    // E f̂ is a cubic, so every measured bias² of (d) is at least that
    for (const r of results) for (const row of r.data) expect(row.bias2).toBeGreaterThanOrEqual(best);
    expect(results[0].lines.join('\n')).toMatch(/EXAMS\.md's reference bias² for \(d\), 0\.0034–0\.0036, cannot come from this setup/);
  });

  it('has one chart per intervention, each with a bias² and a variance point per setting', () => {
    for (const r of results) {
      const rows = plotRows(r.plots);
      expect(r.plots!.map((p) => p.name)).toEqual(['ridge', 'capacity', 'dropout', 'data']);
      expect(rows).toEqual([r.ridge, r.capacity, r.dropout, r.data].map((s) => 2 * s.length));
    }
  });

  it('states the question and the key, and agrees with it', () => {
    const r = results[0];
    expect(q8bv.meta.id).toBe('003-Q8');
    expect(q8bv.meta.title).toMatch(/key: \(a\) bias ↑ var ↓, \(b\) bias ↓ var ↑, \(c\) bias ↑ var ↓, \(d\) bias no change, var ↓/);
    expect(r.lines.some((l) => l.startsWith('key:') && /\(d\) bias no change, variance decreases/.test(l))).toBe(true);
    expect(r.agrees).toBe('yes');
    expect(r.lines.filter((l) => l.startsWith('erratum:'))).toEqual([]);
  });
});

describe('004-Q5: three ways to reduce overfitting', () => {
  const seeds = [q5.DEFAULT_SEED, 1, 2];
  const results = seeds.map((seed) => q5.run({ seed }));

  it.each(seeds.map((s, i) => [s, i]))('(i) more data: the degree-10 gap shrinks > 100× from N = 12 to N = 320 (seed %i)', (_s, i) => {
    const c = results[i].moreData;
    expect(c.map((p) => p.n)).toEqual([12, 20, 40, 80, 160, 320]);
    const gap = (p: { train: number; val: number }) => p.val - p.train;
    expect(gap(c[0])).toBeGreaterThan(100 * gap(c[c.length - 1]));
    expect(results[i].gapShrink).toBeCloseTo(gap(c[0]) / gap(c[c.length - 1]), 6);
    expect(c[c.length - 1].val).toBeLessThan(0.06); // close to σ² = 0.04 once the data suffice
  });

  it.each(seeds.map((s, i) => [s, i]))('(ii) lower capacity: interior best degree, val(12) > 100·val(best) (seed %i)', (_s, i) => {
    const c = results[i].capacity;
    const best = Math.min(...c.valMse);
    expect(c.valMse[c.bestDegree]).toBe(best);
    expect(c.bestDegree).toBeGreaterThanOrEqual(1);
    expect(c.bestDegree).toBeLessThanOrEqual(11);
    expect(c.valMse[12]).toBeGreaterThan(100 * best);
    // the overfitting model is the one with the lowest training error
    expect(c.trainMse[12]).toBe(Math.min(...c.trainMse));
  });

  it.each(seeds.map((s, i) => [s, i]))('(iii) regularisation: the validation-chosen λ cuts validation MSE below 0.2× that of λ = 0 (seed %i)', (_s, i) => {
    checkSearch(results[i].regularisation);
    expect(results[i].regularisationRatio).toBeLessThan(0.2);
  });

  it('draws the three remedies', () => {
    for (const r of results) {
      expect(plotRows(r.plots)).toEqual([2 * 6, 2 * 13, 2 * 7]);
    }
  });

  it('states the question and the key, and agrees with it', () => {
    const r = results[0];
    expect(q5.meta.id).toBe('004-Q5');
    expect(q5.meta.title).toMatch(/more training data/);
    expect(q5.meta.title).toMatch(/regularisation/);
    expect(r.lines.some((l) => l.startsWith('key:') && /variance/.test(l))).toBe(true);
    expect(r.agrees).toBe('yes');
  });
});

describe('004-Q8: hyper-parameters are not learned; they are chosen on validation data', () => {
  const seeds = [q8hp.DEFAULT_SEED, 2, 3];
  const results = seeds.map((seed) => q8hp.run({ seed }));

  it.each(seeds.map((s, i) => [s, i]))('Dense(19, 8) has 160 parameters under every lr and λ, and only they get gradients (seed %i)', (_s, i) => {
    const r = results[i];
    expect(r.runs.map((run) => [run.lr, run.weightDecay])).toEqual([[0.001, 0], [0.1, 0], [0.1, 0.01]]);
    for (const run of r.runs) {
      expect(run.parametersBefore).toBe(8 * 19 + 8);
      expect(run.parametersAfter).toBe(160);
      expect(run.gradients).toEqual([{ name: 'weight', shape: [8, 19] }, { name: 'bias', shape: [8] }]);
      expect(run.lrType).toBe('number');
      expect(run.weightDecayType).toBe('number');
    }
    // the learning rate changes what is learned (30 steps at 0.001 barely move; at 0.1 the loss drops further)
    expect(r.runs[1].finalLoss).toBeLessThan(r.runs[0].finalLoss);
  });

  it('structural hyper-parameters set the count (or not), but are never parameters', () => {
    const counts = Object.fromEntries(results[0].structural.map((s) => [s.layer, s.parameters]));
    expect(counts['Dense(19, 4)']).toBe(20 * 4); // (19 + 1)·H
    expect(counts['Dense(19, 8)']).toBe(20 * 8);
    expect(counts['Dense(19, 16)']).toBe(20 * 16);
    expect(counts['Conv2d(3, 8, 3)']).toBe(8 * (3 * 3 * 3 + 1));
    expect(counts['Conv2d(3, 8, 3, stride 2, padding 1)']).toBe(8 * (3 * 3 * 3 + 1));
    expect(counts['Conv2d(3, 8, 5)']).toBe(8 * (3 * 5 * 5 + 1));
    expect(counts['Dropout(0.2)']).toBe(0);
    expect(counts['Dropout(0.5)']).toBe(0);
  });

  it.each(seeds.map((s, i) => [s, i]))('the grid search returns the λ with the lowest validation loss, interior and far better than λ = 0 (seed %i)', (_s, i) => {
    const s = results[i].search;
    expect(s.lambdas).toEqual([0, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10]);
    expect(s.trainX).toHaveLength(20);
    expect(results[i].bestLambda).toBe(s.lambdas[s.best]);
    checkSearch(s);
  });

  it('draws training and validation MSE against λ', () => {
    for (const r of results) expect(plotRows(r.plots)).toEqual([2 * 7]);
  });

  it('states the question and the key, and agrees with it', () => {
    const r = results[0];
    expect(q8hp.meta.title).toMatch(/key: depth, width, kernel size, stride, padding, learning rate/);
    expect(r.lines.some((l) => l.startsWith('key:') && /not learned/.test(l))).toBe(true);
    expect(r.agrees).toBe('yes');
  });
});

describe('004-Q11: a linear autoencoder is self-supervised regression and reaches the PCA optimum', () => {
  const seeds = [q11.DEFAULT_SEED, 1, 2];
  const results = seeds.map((seed) => q11.run({ seed }));

  /** Covariance (1/N) of the rows and its eigenvalues, descending, from the characteristic cubic (trigonometric form). */
  function pca(data: number[]): { trace: number; eig: number[]; means: number[] } {
    const n = data.length / 3;
    const means = [0, 1, 2].map((j) => data.filter((_, k) => k % 3 === j).reduce((a, b) => a + b, 0) / n);
    const c = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
      let s = 0;
      for (let r = 0; r < n; r++) s += (data[3 * r + i] - means[i]) * (data[3 * r + j] - means[j]);
      return s / n;
    }));
    const q = (c[0][0] + c[1][1] + c[2][2]) / 3;
    const p1 = c[0][1] ** 2 + c[0][2] ** 2 + c[1][2] ** 2;
    const p2 = (c[0][0] - q) ** 2 + (c[1][1] - q) ** 2 + (c[2][2] - q) ** 2 + 2 * p1;
    const p = Math.sqrt(p2 / 6);
    const b = c.map((row, i) => row.map((v, j) => (v - (i === j ? q : 0)) / p));
    const detB = b[0][0] * (b[1][1] * b[2][2] - b[1][2] * b[2][1]) - b[0][1] * (b[1][0] * b[2][2] - b[1][2] * b[2][0])
      + b[0][2] * (b[1][0] * b[2][1] - b[1][1] * b[2][0]);
    const phi = Math.acos(Math.min(1, Math.max(-1, detB / 2))) / 3;
    const e1 = q + 2 * p * Math.cos(phi);
    const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
    return { trace: 3 * q, eig: [e1, 3 * q - e1 - e3, e3], means };
  }

  it.each(seeds.map((s, i) => [s, i]))('AE error = trace − λ₁ within 1e-3 on centred data near a line (seed %i)', (_s, i) => {
    const r = results[i];
    expect(r.data).toHaveLength(3 * 50);
    const { trace, eig, means } = pca(r.data);
    for (const m of means) expect(Math.abs(m)).toBeLessThan(1e-12);
    eig.forEach((v, k) => expect(Math.abs(r.eigenvalues[k] - v)).toBeLessThan(1e-9));
    // the data really lie near a line: EXAMS.md's reference draw has λ₁/λ₂ = 8.1861/0.1009 ≈ 81; a quarter of that
    // still means one direction carries nearly all the variance
    expect(eig[0]).toBeGreaterThan(20 * eig[1]);
    expect(Math.abs(r.pcaError - (trace - eig[0]))).toBeLessThan(1e-9);
    expect(Math.abs(r.aeError - (trace - eig[0]))).toBeLessThan(1e-3);
  });

  it.each(seeds.map((s, i) => [s, i]))('the decoder spans the first principal axis, and the target is the input (seed %i)', (_s, i) => {
    const r = results[i];
    // a rank-1 reconstruction whose range is at angle θ from the first axis loses at least (λ₁ − λ₂)·sin²θ more than
    // PCA; the error test above allows an excess of 1e-3, so cos²θ ≥ 1 − 1e-3/(λ₁ − λ₂) (≈ 0.99988 on EXAMS.md's draw)
    const { eig } = pca(r.data);
    expect(r.decoderAlignment ** 2).toBeGreaterThanOrEqual(1 - 1e-3 / (eig[0] - eig[1]));
    expect(r.targetIsInput).toBe(true);
  });

  it('draws the reconstruction error falling to the PCA line', () => {
    for (const r of results) {
      expect(plotRows(r.plots)).toEqual([r.curve.length + 2]);
      expect(r.curve[0][0]).toBe(0);
      expect(r.curve[r.curve.length - 1][0]).toBe(q11.STEPS);
      expect(r.curve[0][1]).toBeGreaterThan(r.curve[r.curve.length - 1][1]);
    }
  });

  it('states the question and the key, and agrees with it', () => {
    const r = results[0];
    expect(q11.meta.title).toMatch(/self-supervised/);
    expect(q11.meta.title).toMatch(/regression/);
    expect(r.lines.some((l) => l.startsWith('key:') && /self-supervised/.test(l) && /regression/.test(l))).toBe(true);
    expect(r.agrees).toBe('yes');
  });
});
