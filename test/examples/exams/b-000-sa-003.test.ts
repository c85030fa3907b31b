/**
 * Part B demonstrations 000-SA2, 000-SA4, 000-SA5, 000-SA6, 003-Q2 and 003-Q3 (EXAMS.md §3). Each entry's "Assert"
 * line is checked for the default seed and two more. Expected values are EXAMS.md's numbers (§0 tolerances) or
 * formulas evaluated here in plain JS: closed-form fits, (1 − η)^t trajectories, a plain-JS eigenvalue, variances.
 */
import { describe, expect, it } from 'vitest';
import type { Plot } from '../../../examples/lib/plot.js';
import * as sa2 from '../../../examples/exams/000-sa2-bias-not-regularised.js';
import * as sa4 from '../../../examples/exams/000-sa4-loss-can-rise.js';
import * as sa5 from '../../../examples/exams/000-sa5-constant-loss.js';
import * as sa6 from '../../../examples/exams/000-sa6-adaptive-lr.js';
import * as q2 from '../../../examples/exams/003-q2-learning-rate.js';
import * as q3 from '../../../examples/exams/003-q3-saddle-escape.js';

/** Each module's default run, made once (run() is deterministic for a given seed). */
const defaults = new Map<unknown, unknown>();
function defaultRun<R>(m: { run(options?: { seed?: number }): R }): R {
  if (!defaults.has(m)) defaults.set(m, m.run());
  return defaults.get(m) as R;
}

/** The default seed (no option) and two more. */
const SEEDS: Array<number | undefined> = [undefined, 1, 2];
const label = (seed: number | undefined) => (seed === undefined ? 'default seed' : `seed ${seed}`);
const opts = (seed: number | undefined) => (seed === undefined ? {} : { seed });

const close = (actual: number, expected: number, tol: number, what = '') =>
  expect(Math.abs(actual - expected), `${what} ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
const relClose = (actual: number, expected: number, rel: number, what = '') =>
  expect(Math.abs(actual - expected) / Math.abs(expected), `${what} ${actual} vs ${expected}`).toBeLessThanOrEqual(rel);
const mean = (v: readonly number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const increases = (v: readonly number[]) => v.slice(1).filter((x, i) => x > v[i]).length;

/** Each plot's data rows, grouped by series name. */
function seriesOf(plot: Plot): Map<string, number> {
  const values = (plot.spec as { data: { values: Array<{ series: string; x: number; y: number }> } }).data.values;
  const counts = new Map<string, number>();
  for (const v of values) {
    expect(Number.isFinite(v.x) && Number.isFinite(v.y), `${plot.name}: non-finite point`).toBe(true);
    counts.set(v.series, (counts.get(v.series) ?? 0) + 1);
  }
  return counts;
}

/** `count` plots, each with at least `minSeries` non-empty series. */
function expectPlots(plots: Plot[] | undefined, count: number, minSeries: number): Plot[] {
  expect(plots).toBeDefined();
  expect(plots!).toHaveLength(count);
  for (const p of plots!) {
    expect(p.title.length).toBeGreaterThan(0);
    const s = seriesOf(p);
    expect(s.size, p.name).toBeGreaterThanOrEqual(minSeries);
    for (const [name, n] of s) expect(n, `${p.name}/${name}`).toBeGreaterThan(0);
  }
  return plots!;
}

/** The document line states the key and says whether it is right. */
function expectKeyStated(lines: string[], keyPhrase: string, verdict: string): void {
  const doc = lines.filter((l) => l.startsWith('document:'));
  expect(doc).toHaveLength(1);
  expect(doc[0]).toContain(keyPhrase);
  expect(doc[0]).toContain(verdict);
  expect(lines.some((l) => l.startsWith('question:'))).toBe(true);
  expect(lines.filter((l) => l.startsWith('erratum:'))).toHaveLength(0);
}

describe('000-SA2: why biases are not regularised (exact)', () => {
  // mean (wx + b − y)² + λw² with mean x = 0: w = 2·m2/(m2 + λ), where m2 = mean x²; b = ȳ, or ȳ/(1 + λ) when λb² is
  // added; the data MSE is (2 − w)²·m2 + (ȳ − b)².
  const m2 = mean(sa2.X.map((x) => x * x));
  const ybar = mean(sa2.Y);
  const w = (2 * m2) / (m2 + sa2.LAMBDA);
  const bFree = ybar;
  const bDecayed = ybar / (1 + sa2.LAMBDA);
  const mseOf = (b: number) => (2 - w) ** 2 * m2 + (ybar - b) ** 2;

  it('the inputs are EXAMS.md\'s: x = (−1, −0.5, 0, 0.5, 1), y = 50 + 2x, λ = 1', () => {
    expect(sa2.X).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(sa2.Y).toEqual([48, 49, 50, 51, 52]);
    expect(sa2.LAMBDA).toBe(1);
    expect(mean(sa2.X)).toBe(0);
  });

  for (const seed of SEEDS) {
    it(`${label(seed)}: b = ȳ without bias decay, ȳ/(1+λ) with it; MSE ratio > 100`, () => {
      const r = sa2.run(opts(seed));
      close(r.weightOnly.w, w, 1e-9, 'w (weight only)');
      close(r.weightOnly.b, bFree, 1e-9, 'b (weight only)');
      close(r.withBias.w, w, 1e-9, 'w (with bias)');
      close(r.withBias.b, bDecayed, 1e-9, 'b (with bias)');
      close(r.weightOnly.mse, mseOf(bFree), 1e-9, 'MSE (weight only)');
      close(r.withBias.mse, mseOf(bDecayed), 1e-9, 'MSE (with bias)');
      // EXAMS.md's quoted values (4 dp)
      close(r.weightOnly.w, 0.6667, 1e-4);
      close(r.weightOnly.b, 50, 1e-4);
      close(r.weightOnly.mse, 0.8889, 1e-4);
      close(r.withBias.b, 25, 1e-4);
      close(r.withBias.mse, 625.8889, 1e-4);
      expect(r.mseRatio).toBeGreaterThan(100);
    });
  }

  it('the seed changes the initial weights, not the answer', () => {
    const a = sa2.run({ seed: 1 }).plots![1];
    const b = sa2.run({ seed: 2 }).plots![1];
    const first = (p: Plot) => (p.spec as { data: { values: Array<{ y: number }> } }).data.values[0].y;
    expect(first(a)).not.toBe(first(b));
  });

  it('status, key and plots', () => {
    const r = defaultRun(sa2);
    expect(sa2.meta.id).toBe('000-SA2');
    expect(sa2.meta.title).toContain('curvature');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'curvature', 'right');
    const [fits, path] = expectPlots(r.plots, 2, 2);
    expect(seriesOf(fits).size).toBe(3);
    expect(seriesOf(path).size).toBe(2);
  });
});

describe('000-SA4: the loss can rise after an update', () => {
  /** The largest eigenvalue of 2·ZᵀZ/N, Z = [x 1], by Jacobi rotations in plain JS. */
  function largestCurvature(x: number[][]): number {
    const n = x.length;
    const z = x.map(([a, b]) => [a, b, 1]);
    const h = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (2 / n) * z.reduce((s, r) => s + r[i] * r[j], 0)));
    for (let sweep = 0; sweep < 50; sweep++) {
      for (let p = 0; p < 3; p++) {
        for (let q = p + 1; q < 3; q++) {
          if (Math.abs(h[p][q]) < 1e-300) continue;
          const theta = (h[q][q] - h[p][p]) / (2 * h[p][q]);
          const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          const c = 1 / Math.sqrt(t * t + 1);
          const s = t * c;
          for (let k = 0; k < 3; k++) {
            const hkp = h[k][p];
            const hkq = h[k][q];
            h[k][p] = c * hkp - s * hkq;
            h[k][q] = s * hkp + c * hkq;
          }
          for (let k = 0; k < 3; k++) {
            const hpk = h[p][k];
            const hqk = h[q][k];
            h[p][k] = c * hpk - s * hqk;
            h[q][k] = s * hpk + c * hqk;
          }
        }
      }
    }
    return Math.max(h[0][0], h[1][1], h[2][2]);
  }

  for (const seed of SEEDS) {
    it(`${label(seed)}: full batch never rises (lr < 2/L); mini-batch and SGD rise ≥ 20 times`, () => {
      const r = sa4.run(opts(seed));
      expect(r.x).toHaveLength(100);
      const L = largestCurvature(r.x);
      relClose(r.curvature, L, 1e-9, 'curvature');
      expect(sa4.LR).toBeLessThan(2 / L);

      const [full, mini, single] = r.results;
      expect(r.results.map((b) => b.batchSize)).toEqual([100, 10, 1]);
      // 20 epochs: 20, 200 and 2000 updates
      expect(r.results.map((b) => b.iterations)).toEqual([20, 200, 2000]);
      r.results.forEach((b, i) => {
        expect(r.runs[i].batchLoss).toHaveLength(b.iterations);
        expect(r.runs[i].fullLoss).toHaveLength(b.iterations);
        expect(b.loggedIncreases).toBe(increases(r.runs[i].batchLoss));
        expect(b.fullIncreases).toBe(increases(r.runs[i].fullLoss));
      });
      expect(full.loggedIncreases).toBe(0);
      expect(full.fullIncreases).toBe(0);
      // full batch: the logged loss before update t + 1 is the full-data loss after update t
      r.runs[0].batchLoss.slice(1).forEach((l, t) => relClose(l, r.runs[0].fullLoss[t], 1e-12));
      expect(mini.loggedIncreases).toBeGreaterThanOrEqual(20);
      expect(single.loggedIncreases).toBeGreaterThanOrEqual(20);
      // an update on a mini-batch can raise the full-data loss itself
      expect(mini.fullIncreases).toBeGreaterThanOrEqual(1);
      expect(single.fullIncreases).toBeGreaterThanOrEqual(1);
    });
  }

  it('status, key and the plots: logged loss (20 + 200 points), full-data loss (20 + 200 + 2000)', () => {
    const r = defaultRun(sa4);
    expect(sa4.meta.id).toBe('000-SA4');
    // EXAMS.md's setup: N = 100, y = 1.5x₁ − 2x₂ + 0.5 + N(0, 0.3²), lr 0.1, 20 epochs, B ∈ {N, 10, 1}
    expect([sa4.N, sa4.NOISE, sa4.LR, sa4.EPOCHS, sa4.TRUE_B]).toEqual([100, 0.3, 0.1, 20, 0.5]);
    expect(sa4.TRUE_W).toEqual([1.5, -2]);
    expect(sa4.meta.title).toContain('noisy mini-batches');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'noisy samples', 'right');
    const [logged, full] = expectPlots(r.plots, 2, 2);
    expect([...seriesOf(logged).values()]).toEqual([20, 200]);
    expect([...seriesOf(full).values()]).toEqual([20, 200, 2000]);
  });
});

describe('000-SA5: dead ReLUs keep the loss constant', () => {
  const populationVariance = (v: number[]) => {
    const m = mean(v);
    return mean(v.map((x) => (x - m) ** 2));
  };

  for (const seed of SEEDS) {
    it(`${label(seed)}: dW1 = db1 = dW2 = 0 exactly; L → Var(y); the last 100 losses identical`, () => {
      const r = sa5.run(opts(seed));
      expect(r.dead.maxPreactivation).toBeLessThan(0);
      expect(r.dead.maxAbsGrad.W1).toBe(0);
      expect(r.dead.maxAbsGrad.b1).toBe(0);
      expect(r.dead.maxAbsGrad.W2).toBe(0);
      expect(r.dead.maxAbsGrad.b2).toBeGreaterThan(0);
      expect(r.y).toHaveLength(sa5.N);
      const varY = populationVariance(r.y);
      close(r.varianceY, varY, 1e-12, 'Var(y)');
      expect(r.dead.losses).toHaveLength(sa5.STEPS);
      close(r.dead.losses[sa5.STEPS - 1], varY, 1e-6, 'final loss');
      const last100 = r.dead.losses.slice(-100);
      expect(Math.max(...last100) - Math.min(...last100)).toBeLessThanOrEqual(1e-12);
      // the same weights with live units learn far below the best constant prediction. Var(y) is that constant's
      // loss, where the dead net sits. For y = x₁ + x₂² + N(0, 0.1²), x ~ U[−1, 1]², Var(y) = 1/3 + (1/5 − 1/9) + 0.01
      // = 0.432, and the linear term x₁ alone accounts for 1/3 of it: a net that has learned only the linear trend is
      // at (4/45 + 0.01)/0.432 = 0.23·Var(y) in expectation. Half of Var(y) asks for less than that: it only says the
      // live net has left the constant plateau by a factor 2.
      expect(r.healthy.losses[sa5.STEPS - 1]).toBeLessThan(0.5 * varY);
    });
  }

  it('status, key and the loss plot', () => {
    const r = defaultRun(sa5);
    expect(sa5.meta.id).toBe('000-SA5');
    // EXAMS.md's setup: a 2-8-1 ReLU MLP, hidden biases −10, 300 GD steps
    expect([sa5.HIDDEN, sa5.DEAD_BIAS, sa5.STEPS]).toEqual([8, -10, 300]);
    expect(sa5.meta.title).toContain('architecture');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'incorrectly defined architecture', 'right');
    const [loss] = expectPlots(r.plots, 1, 3);
    expect(seriesOf(loss).get('dead ReLUs (b₁ = −10)')).toBe(sa5.STEPS);
  });
});

describe('000-SA6: adaptive learning rates help', () => {
  // f = ½(100x² + y²) from (1, 1): GD gives x_t = (1 − 100η)^t, y_t = (1 − η)^t.
  const floor = 0.5 * 0.98 ** 100;

  it('EXAMS.md: any stable constant-lr GD has f₅₀ ≥ 0.0663; Adam (lr 0.1) f₅₀ < 0.01', () => {
    const r = defaultRun(sa6);
    close(floor, 0.0663, 1e-4);
    close(sa6.GD_FLOOR, 0.0663, 1e-4); // the example's printed floor, against EXAMS.md
    expect(r.gd.length).toBeGreaterThanOrEqual(20);
    for (const g of r.gd) {
      expect(g.lr).toBeGreaterThan(0);
      expect(g.lr).toBeLessThan(2 / 100);
      relClose(g.y50, (1 - g.lr) ** 50, 1e-9, `y50 at lr ${g.lr}`);
      relClose(g.f50, 0.5 * (100 * (1 - 100 * g.lr) ** 100 + (1 - g.lr) ** 100), 1e-9, `f50 at lr ${g.lr}`);
      expect(g.f50).toBeGreaterThanOrEqual(floor);
    }
    expect(r.bestGd.f50).toBeGreaterThanOrEqual(floor);
    const adam1 = r.adam.find((a) => a.lr === 0.1)!;
    expect(adam1.f50).toBeLessThan(0.01);
    for (const a of r.adam) expect(a.maxCoordinateGap).toBeLessThan(1e-6);
  });

  it('EXAMS.md 000-TF8 numbers: lr 0.019 y₅₀ = 0.3832, f₅₀ = 0.0748; lr 0.021 x₅₀ = 117.4; Adam f₅₀ = 0.0725 (0.05), 0.0012 (0.1)', () => {
    const r = defaultRun(sa6);
    const at019 = r.gd.find((g) => Math.abs(g.lr - 0.019) < 1e-12)!;
    close(at019.y50, 0.3832, 1e-4);
    close(at019.f50, 0.0748, 1e-4);
    relClose(r.unstable.x50, (1 - 100 * 0.021) ** 50, 1e-9);
    close(r.unstable.x50, 117.4, 0.05);
    close(r.adam.find((a) => a.lr === 0.05)!.f50, 0.0725, 1e-4);
    close(r.adam.find((a) => a.lr === 0.1)!.f50, 0.0012, 1e-4);
  });

  for (const seed of SEEDS) {
    it(`${label(seed)}: step decay (lr 0.3 → 0.03) drops the loss: after/before < 0.75`, () => {
      const r = sa6.run(opts(seed));
      expect(r.stepDecay.ratio).toBeCloseTo(r.stepDecay.after / r.stepDecay.before, 12);
      expect(r.stepDecay.ratio).toBeLessThan(0.75);
      // it is the decay: the same iterations at the constant lr stay high
      expect(r.stepDecay.after).toBeLessThan(0.75 * r.stepDecay.constantAfter);
    });
  }

  it('status, key and plots', () => {
    const r = defaultRun(sa6);
    expect(sa6.meta.id).toBe('000-SA6');
    expect(sa6.CURVATURES).toEqual([100, 1]);
    expect(sa6.START).toEqual([1, 1]);
    expect(sa6.STEPS).toBe(50);
    expect(sa6.DECAY).toMatchObject({ lr: 0.3, gamma: 0.1 });
    expect(sa6.meta.title).toContain('balances');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'adapting balances', 'right');
    const [quadratic, sweep, decay] = expectPlots(r.plots, 3, 2);
    expect(seriesOf(quadratic).size).toBe(4);
    expect(seriesOf(sweep).get('GD')).toBe(r.gd.length);
    expect([...seriesOf(decay).values()]).toEqual([2000, 2000]);
  });
});

describe('003-Q2: learning rate too high / too low', () => {
  // GD on ½x² from x₀: f_t = ½x₀²(1 − η)^(2t).
  const quad = (lr: number, x0: number) => Array.from({ length: q2.STEPS + 1 }, (_, t) => 0.5 * x0 * x0 * (1 - lr) ** (2 * t));
  const expectCurve = (actual: number[], expected: number[]) => {
    expect(actual).toHaveLength(expected.length);
    actual.forEach((v, t) => relClose(v, expected[t], 1e-9, `t = ${t}`));
  };

  it('000-TF4\'s quadratic: η = 2.5 gives 0.5·2.25ᵗ (f₁₀ = 1663), η = 0.001 gives f₁₀ = 0.4901', () => {
    const r = defaultRun(q2);
    expectCurve(r.tooHigh, quad(2.5, 1));
    expectCurve(r.tooLow, quad(0.001, 1));
    expectCurve(r.moderate, quad(0.5, 1));
    [0.5, 1.125, 2.531, 5.695, 12.81, 28.83].forEach((v, t) => relClose(r.tooHigh[t], v, 5e-4));
    close(r.tooHigh[10], 1663, 0.5);
    close(r.tooLow[10], 0.4901, 1e-4);
    expect(r.tooHigh.every((v, t) => t === 0 || v > r.tooHigh[t - 1])).toBe(true);
    expect(r.tooLow.every((v, t) => t === 0 || v <= r.tooLow[t - 1])).toBe(true);
    // "decreases almost linearly": within 1% of the straight line through its ends
    expect(r.tooLowLinearity).toBeLessThan(0.01);
  });

  it('003-Q1\'s network: L = 9, then 866.71 (lr 0.1), 1.4171 (0.01), 6.6013 (0.001)', () => {
    const r = defaultRun(q2);
    close(r.network.initialLoss, 9, 1e-9);
    // ŷ after the lr-0.1 step is −26.44 (003-Q1), so L = 29.44² = 866.7136
    close(r.network.lossAfterOneStep['0.1'], 29.44 ** 2, 1e-9);
    close(r.network.lossAfterOneStep['0.01'], 1.4171, 1e-4);
    close(r.network.lossAfterOneStep['0.001'], 6.6013, 1e-4);
  });

  for (const seed of SEEDS) {
    it(`${label(seed)}: random (η, x₀): η ∈ (0, 2) never increases f; η ∈ (2, 4) always increases it`, () => {
      const r = q2.run(opts(seed));
      expect(r.random.stable).toHaveLength(q2.RANDOM_COUNT);
      expect(r.random.unstable).toHaveLength(q2.RANDOM_COUNT);
      for (const c of r.random.stable) {
        expect(c.lr > 0 && c.lr < 2).toBe(true);
        expectCurve(c.losses, quad(c.lr, c.x0));
        expect(increases(c.losses)).toBe(0);
      }
      for (const c of r.random.unstable) {
        expect(c.lr > 2).toBe(true);
        expectCurve(c.losses, quad(c.lr, c.x0));
        expect(c.losses.every((v, t) => t === 0 || v > c.losses[t - 1])).toBe(true);
      }
      expect(r.random.stableAllNonIncreasing).toBe(true);
      expect(r.random.unstableAllIncreasing).toBe(true);
    });
  }

  it('the seed draws different cases', () => {
    expect(q2.run({ seed: 1 }).random.stable[0].lr).not.toBe(q2.run({ seed: 2 }).random.stable[0].lr);
  });

  it('status, key and plots', () => {
    const r = defaultRun(q2);
    expect(q2.meta.id).toBe('003-Q2');
    expect([q2.TOO_HIGH, q2.TOO_LOW, q2.STEPS]).toEqual([2.5, 0.001, 10]);
    expect(q2.meta.title).toContain('too high');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'almost linearly', 'right');
    const [quadratic, net] = expectPlots(r.plots, 2, 2);
    expect([...seriesOf(quadratic).values()]).toEqual([11, 11, 11]);
    expect(seriesOf(net).get('after one step')).toBe(3);
  });
});

describe('003-Q3: saddle points and SGD', () => {
  it('f = x² − y² at the origin: ∇f = 0, Hessian diag(2, −2)', () => {
    const r = defaultRun(q3);
    expect(r.origin.gradient).toEqual([0, 0]);
    expect(r.origin.hessian).toEqual([[2, 0], [0, -2]]);
  });

  it('GD from (1, 0) stalls: y ≡ 0, x₁₀₀ = 0.8¹⁰⁰ = 2.04e-10; from (1, 1e-6) y₁₀₀ = 1e-6·1.2¹⁰⁰ = 82.8180', () => {
    const r = defaultRun(q3);
    expect(r.onAxis.y.every((y) => y === 0)).toBe(true);
    r.onAxis.x.forEach((x, t) => relClose(x, 0.8 ** t, 1e-9, `x_${t}`));
    close(r.onAxis.x[100], 2.04e-10, 0.005e-10);
    relClose(r.onAxis.gradNorm[100], 2 * 0.8 ** 100, 1e-9);
    r.perturbed.y.forEach((y, t) => relClose(y, 1e-6 * 1.2 ** t, 1e-9, `y_${t}`));
    close(r.perturbed.y[100], 82.818, 1e-4);
  });

  for (const seed of SEEDS) {
    it(`${label(seed)}: with gradient noise σ = 0.01 from (1, 0), |y₁₀₀| > 1 in 20/20 runs`, () => {
      const r = q3.run(opts(seed));
      expect(r.noisy).toHaveLength(20);
      expect(r.noisyFinalY).toEqual(r.noisy.map((t) => t.y[100]));
      for (const y of r.noisyFinalY) expect(Math.abs(y)).toBeGreaterThan(1);
      expect(r.escapes).toBe(20);
    });
  }

  it('status, key and plots', () => {
    const r = defaultRun(q3);
    expect(q3.meta.id).toBe('003-Q3');
    expect([q3.LR, q3.STEPS, q3.NOISE_STD, q3.NOISY_RUNS, q3.PERTURBATION]).toEqual([0.1, 100, 0.01, 20, 1e-6]);
    expect(q3.meta.title).toContain('saddle');
    expect(r.agrees).toBe('yes');
    expectKeyStated(r.lines, 'noisier updates', 'right');
    const [grad, escape] = expectPlots(r.plots, 2, 2);
    expect(seriesOf(grad).get('GD from (1, 0)')).toBe(101);
    expect(seriesOf(escape).get('GD from (1, 1e-6)')).toBe(101);
  });
});
