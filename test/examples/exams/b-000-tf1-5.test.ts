/**
 * Part B, seed 000, True/False 1–5 (EXAMS.md §3): each demo's measurable property for its default seed and two
 * more. Expected values are EXAMS.md's (typed in from the spec) or formulas evaluated in plain JS here; exact demos
 * use §0's tolerances (1e-9 for exact recomputations, 1e-4 for values quoted to 4 dp).
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../../src/index.js';
import * as tf1 from '../../../examples/exams/000-tf1-high-dropout-underfits.js';
import * as tf2 from '../../../examples/exams/000-tf2-regularisation-training-error.js';
import * as tf3 from '../../../examples/exams/000-tf3-width-not-only-depth.js';
import * as tf4 from '../../../examples/exams/000-tf4-loss-increase-large-lr.js';
import * as tf5 from '../../../examples/exams/000-tf5-initialisation-matters.js';
import type { Plot } from '../../../examples/lib/plot.js';
import { expectErrata } from './errata.js';

/** The default seed (run() without options) and two more, as [label, seed] rows for it.each. */
const SEEDS: Array<[string, number | undefined]> = [['default seed', undefined], ['seed 1', 1], ['seed 2', 2]];

/** Each run computed once per (entry, seed), shared by the tests that read it (the demos train networks). */
function memo<R>(run: (options?: { seed?: number }) => R): (seed?: number) => R {
  const cache = new Map<number | undefined, R>();
  return (seed) => {
    if (!cache.has(seed)) cache.set(seed, run(seed === undefined ? {} : { seed }));
    return cache.get(seed)!;
  };
}
const run1 = memo(tf1.run);
const run2 = memo(tf2.run);
const run3 = memo(tf3.run);
const run4 = memo(tf4.run);
const run5 = memo(tf5.run);

/** Every data array in a spec (top level, and inside hconcat/layer), so composed charts are checked too. */
function dataArrays(spec: unknown): unknown[][] {
  if (spec === null || typeof spec !== 'object') return [];
  const s = spec as Record<string, unknown>;
  const own = (s.data as { values?: unknown[] } | undefined)?.values;
  const nested = ['hconcat', 'vconcat', 'layer'].flatMap((k) => (Array.isArray(s[k]) ? (s[k] as unknown[]).flatMap(dataArrays) : []));
  return own ? [own, ...nested] : nested;
}

function expectPlots(plots: Plot[] | undefined, names: string[]): void {
  expect(plots?.map((p) => p.name)).toEqual(names);
  for (const plot of plots!) {
    const arrays = dataArrays(plot.spec);
    expect(arrays.length, plot.name).toBeGreaterThan(0);
    for (const values of arrays) expect(values.length, plot.name).toBeGreaterThan(0);
  }
}

/** The values of the series `name` in a lineChart plot. */
function seriesOf(plot: Plot, name: string): Array<{ x: number; y: number }> {
  return (dataArrays(plot.spec)[0] as Array<{ series: string; x: number; y: number }>).filter((v) => v.series === name);
}

describe('000-TF1: very high dropout underfits (key T)', () => {
  // EXAMS.md's data: 40 evenly spaced x in [−1, 1], y = sin(3x); Var y = 0.5105.
  const xs = Array.from({ length: 40 }, (_, i) => -1 + (2 * i) / 39);
  const ys = xs.map((x) => Math.sin(3 * x));

  it('the data are EXAMS.md\'s (Var y = 0.5105)', () => {
    const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
    expect(ys.reduce((s, v) => s + (v - mean) ** 2, 0) / ys.length).toBeCloseTo(0.5105, 4);
    const { x, y } = tf1.makeData();
    Array.from(x.data).forEach((v, i) => expect(v).toBeCloseTo(xs[i], 6));
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo(ys[i], 6));
  });

  it.each(SEEDS)('%s: MSE(0.9) > 10 × MSE(0.1), and the eval-mode training MSE is non-decreasing in p', (_, seed) => {
    const r = run1(seed);
    expect(r.runs.map((run) => run.p)).toEqual([0, 0.1, 0.5, 0.9]);
    const mse = r.runs.map((run) => run.trainMse);
    mse.forEach((v, i) => { if (i > 0) expect(v, `p = ${r.runs[i].p}`).toBeGreaterThanOrEqual(mse[i - 1]); });
    expect(mse[3]).toBeGreaterThan(10 * mse[1]);
    expect(r.ratio).toBeCloseTo(mse[3] / mse[1], 9);
    expect(r.monotone).toBe(true);
    // The reported MSE is that of the eval-mode fit against sin(3x), recomputed here from the predictions.
    for (const run of r.runs) {
      const recomputed = run.fit.reduce((s, f, i) => s + (f - ys[i]) ** 2, 0) / ys.length;
      expect(Math.abs(recomputed - run.trainMse)).toBeLessThanOrEqual(1e-6 + 1e-4 * run.trainMse);
    }
    expectPlots(r.plots, ['training-mse', 'fits']);
    expect(seriesOf(r.plots![0], 'p = 0.9').length).toBe(tf1.settings.steps / tf1.settings.every + 1);
    expect(seriesOf(r.plots![1], 'sin(3x)').length).toBe(40);
  }, 20_000);

  it('states the question and the key, and agrees', () => {
    const r = run1();
    expect(tf1.meta.id).toBe('000-TF1');
    expect(tf1.meta.title).toMatch(/key: T\b/);
    expect(r.lines.join('\n')).toMatch(/document key: T\b/);
    expect(r.agrees).toBe('yes');
  }, 20_000);
});

describe('000-TF2: removing regularisation and the training error (key F, disputed)', () => {
  it.each(SEEDS)('%s: ridge training MSE is non-decreasing in λ, and tapegrad SGD reaches the closed-form optimum', (_, seed) => {
    const r = run2(seed);
    expect(r.points.map((p) => p.lambda)).toEqual([1e-12, 0.01, 1, 10]);
    for (const pts of [r.points, r.sweep]) {
      pts.forEach((p, i) => { if (i > 0) expect(p.train, `λ = ${p.lambda}`).toBeGreaterThanOrEqual(pts[i - 1].train); });
    }
    expect(r.nonDecreasing).toBe(true);
    // The λ ≈ 0 fit is never worse on the training set than any regularised one.
    expect(Math.min(...r.sweep.map((p) => p.train))).toBeGreaterThanOrEqual(r.points[0].train - 1e-12);
    for (const p of r.points) expect(Math.abs(p.trainSgd! - p.train), `λ = ${p.lambda}`).toBeLessThanOrEqual(1e-9);
    expect(r.sgdGap).toBeLessThanOrEqual(1e-9);
    // A penalty this strong must cost training error (not a tie): it shrinks the sin(πx) fit towards the mean.
    expect(r.points[3].train).toBeGreaterThan(2 * r.points[0].train);
    expectPlots(r.plots, ['mse-vs-lambda']);
    expect(seriesOf(r.plots![0], 'training').length).toBe(tf2.settings.sweep.length);
  });

  it('is marked disputed, with the §4 erratum line, and states the key', () => {
    const r = run2();
    expect(r.agrees).toBe('erratum');
    expect(tf2.meta.title).toMatch(/key: F, disputed/);
    expect(r.lines.join('\n')).toMatch(/document key: F/);
    // §4.4: the key F is disputed, since removing an L2 penalty can never increase the optimal training data-loss
    expectErrata(r.lines, [[/key "F" is disputed/, /L2 penalty/, /never increase the optimal training/]]);
  });
});

describe('000-TF3: depth is not the only way to raise accuracy (key F)', () => {
  it('the labels are 1 exactly inside x₁² + x₂² < 0.45', () => {
    const { x, labels } = tf3.makeData(new Generator(5));
    for (let i = 0; i < 60; i++) {
      const [a, b] = [x.data[2 * i], x.data[2 * i + 1]];
      expect(Math.abs(a) <= 1 && Math.abs(b) <= 1).toBe(true);
      expect(labels.data[i]).toBe(a * a + b * b < 0.45 ? 1 : 0);
    }
  });

  it.each(SEEDS)('%s: at fixed depth, acc(H = 16) ≥ 0.95 and acc(16) − acc(1) ≥ 0.2', (_, seed) => {
    const r = run3(seed);
    expect(r.accuracy[16]).toBeGreaterThanOrEqual(0.95);
    expect(r.accuracy[16] - r.accuracy[1]).toBeGreaterThanOrEqual(0.2);
    // Accuracies are fractions of 60 points.
    for (const a of Object.values(r.accuracy)) expect(Math.abs(a * 60 - Math.round(a * 60))).toBeLessThan(1e-9);
    expect(r.runs.every((run) => run.losses.length === tf3.settings.steps + 1)).toBe(true);
    expectPlots(r.plots, ['training-loss', 'accuracy-vs-width', 'decision-regions']);
    // The decision-region chart: one grid of 25² cells and the 60 points for each of the two widths.
    const arrays = dataArrays(r.plots![2].spec).map((a) => a.length);
    expect(arrays).toEqual([25 * 25, 60, 25 * 25, 60]);
  }, 20_000);

  it('states the question and the key, and agrees', () => {
    const r = run3();
    expect(tf3.meta.title).toMatch(/key: F\b/);
    expect(r.lines.join('\n')).toMatch(/document key: F\b/);
    expect(r.agrees).toBe('yes');
  });
});

describe('000-TF4: a rising loss means the learning rate is too large (key F)', () => {
  const EXACT = 1e-9;
  const relClose = (a: number, b: number) => Math.abs(a - b) <= EXACT * Math.max(1, Math.abs(b));

  it.each(SEEDS)('%s: f_t = ½(1 − η)^{2t} x₀²; η > 2 strictly increasing, η ∈ (0, 2) non-increasing', (_, seed) => {
    const r = run4(seed);
    const traj = (lr: number) => r.trajectories.find((t) => t.lr === lr)!.f;
    // EXAMS.md's two rates, from x₀ = 1.
    traj(2.5).forEach((f, t) => expect(relClose(f, 0.5 * 2.25 ** t), `η = 2.5, t = ${t}`).toBe(true));
    traj(0.001).forEach((f, t) => expect(relClose(f, 0.5 * 0.999 ** (2 * t)), `η = 0.001, t = ${t}`).toBe(true));
    expect(traj(2.5).slice(0, 6).map((v) => Number(v.toPrecision(4)))).toEqual([0.5, 1.125, 2.531, 5.695, 12.81, 28.83]);
    expect(Math.round(traj(2.5)[10])).toBe(1663);
    expect(Math.abs(traj(0.001)[10] - 0.4901)).toBeLessThanOrEqual(1e-4);
    // The boundary η = 2/L: x flips sign each step, f stays ½.
    traj(2).forEach((f) => expect(relClose(f, 0.5)).toBe(true));

    const drawn = [...r.drawnStable, ...r.drawnUnstable];
    expect(r.drawnStable.every((t) => t.lr > 0 && t.lr < 2)).toBe(true);
    expect(r.drawnUnstable.every((t) => t.lr > 2)).toBe(true);
    for (const t of [...r.trajectories, ...drawn]) {
      t.f.forEach((f, i) => expect(relClose(f, 0.5 * t.x0 ** 2 * (1 - t.lr) ** (2 * i)), `η = ${t.lr}, t = ${i}`).toBe(true));
      for (let i = 1; i < t.f.length; i++) {
        if (t.lr > 2) expect(t.f[i]).toBeGreaterThan(t.f[i - 1]);
        else if (t.lr < 2) expect(t.f[i]).toBeLessThanOrEqual(t.f[i - 1]);
      }
    }
    expect(r.propertyHolds).toBe(true);
    // 003-Q1 (EXAMS.md §2): lr 0.1 takes the network's loss from 9 to 866.7136; lr 0.01 to 1.4171.
    expect(Math.abs(r.network.before - 9)).toBeLessThanOrEqual(EXACT);
    expect(Math.abs(r.network.afterLr01 - 866.7136)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.network.afterLr001 - 1.4171)).toBeLessThanOrEqual(1e-4);
    expectPlots(r.plots, ['loss-by-lr']);
    expect(seriesOf(r.plots![0], 'η = 2.5').map((v) => v.y)).toEqual(traj(2.5));
  });

  it('different seeds draw different extra rates', () => {
    expect(run4(1).drawnStable[0].lr).not.toBe(run4(2).drawnStable[0].lr);
  });

  it('states the question and the key, and agrees', () => {
    const r = run4();
    expect(tf4.meta.title).toMatch(/key: F\b/);
    expect(r.lines.join('\n')).toMatch(/document key: F\b/);
    expect(r.agrees).toBe('yes');
  });
});

describe('000-TF5: initialisation matters beyond "not zero" (key F)', () => {
  it.each(SEEDS)('%s: constant init keeps hidden units identical; N(0, 0.01²) kills every gradient of a 12-layer tanh net', (_, seed) => {
    const r = run5(seed);
    // 001-Q1d's assertions: spread ≤ 1e-12 for every activation, though the weights moved and the loss fell.
    for (const act of ['sigmoid', 'tanh', 'relu'] as const) {
      const c = r.constant[act];
      expect(Math.max(...c.spread), act).toBeLessThanOrEqual(1e-12);
      expect(c.w2Spread, act).toBeLessThanOrEqual(1e-12);
      expect(c.w1Moved, act).toBeGreaterThan(0.1);
      expect(c.loss, act).toBeLessThan(c.loss0 / 2);
    }
    expect(r.control.spread[r.control.spread.length - 1]).toBeGreaterThan(0.1);
    expect(r.control.loss).toBeLessThan(r.constant.relu.loss);

    // 001-Q1c's assertions.
    expect(r.small.activationRms).toHaveLength(11);
    expect(r.small.gradNorms).toHaveLength(12);
    expect(r.small.activationRms[10]).toBeLessThan(1e-10);
    expect(Math.max(...r.small.gradNorms)).toBeLessThan(1e-9);
    expect(r.xavier.activationRms[10]).toBeGreaterThan(0.05);
    expect(r.xavier.gradNorms[0]).toBeGreaterThan(1e-2);
    // Each small layer scales the signal by about σ·√fan_in = 0.01·√32 (tanh is linear near 0): ten layers from
    // layer 1 to 11 give (0.01·√32)^10 ≈ 3.4e-13, up to the spread of random matrices (a factor 10 either way).
    const expected = (0.01 * Math.sqrt(32)) ** 10;
    const measured = r.small.activationRms[10] / r.small.activationRms[0];
    expect(measured).toBeGreaterThan(expected / 10);
    expect(measured).toBeLessThan(expected * 10);

    expectPlots(r.plots, ['gradient-norms', 'row-spread']);
    expect(seriesOf(r.plots![0], 'Xavier')).toHaveLength(12);
  });

  it('states the question and the key, and agrees', () => {
    const r = run5();
    expect(tf5.meta.title).toMatch(/key: F\b/);
    expect(r.lines.join('\n')).toMatch(/document key: F\b/);
    expect(r.agrees).toBe('yes');
  });
});
