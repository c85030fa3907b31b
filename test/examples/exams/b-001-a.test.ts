/**
 * Seed 001 (UCLA ECE C147/C247 midterm), Part B entries of EXAMS.md §3, first group: 001-Q1b, 001-Q1c, 001-Q2a,
 * 001-Q3a and 001-Q3b. Each entry's "Assert" line is checked for the example's default seed and two more; the
 * expected values come from EXAMS.md, from formulas, or from plain-JS recomputations written here.
 */
import { describe, expect, it } from 'vitest';
import * as q1b from '../../../examples/exams/001-q1b-minibatch-gradient-variance.js';
import * as q1c from '../../../examples/exams/001-q1c-small-init-deep-net.js';
import * as q2a from '../../../examples/exams/001-q2a-computational-graph.js';
import * as q3 from '../../../examples/exams/001-q3a-q3b-ridge-lambda.js';
import type { Plot } from '../../../examples/lib/plot.js';

const DP4 = 1e-4; // EXAMS.md §0: values quoted to 4 dp
const EXACT = 1e-12;

function expectClose(actual: readonly number[], expected: readonly number[], tol: number, what = ''): void {
  expect(actual, what).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(Number.isFinite(a), `${what}[${i}] is ${a}`).toBe(true);
    expect(Math.abs(a - expected[i]), `${what}[${i}]: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  });
}

/** Data rows of a plot built by lineChart (the spec carries its values inline). */
function plotValues(plot: Plot): Array<{ series: string; x: number; y: number }> {
  const data = (plot.spec as { data?: { values?: unknown } }).data;
  return (data?.values ?? []) as Array<{ series: string; x: number; y: number }>;
}

function expectPlots(plots: Plot[] | undefined, count: number, pointsPerPlot: number): void {
  expect(plots).toHaveLength(count);
  for (const p of plots!) {
    const values = plotValues(p);
    expect(values.length, p.name).toBe(pointsPerPlot);
    for (const v of values) expect(Number.isFinite(v.x) && Number.isFinite(v.y), `${p.name}: ${JSON.stringify(v)}`).toBe(true);
    expect(p.title.length).toBeGreaterThan(0);
  }
}

const erratumLines = (lines: string[]) => lines.filter((l) => l.startsWith('erratum:'));
const documentLines = (lines: string[]) => lines.filter((l) => l.trimStart().startsWith('document:'));
const isNonDecreasing = (a: readonly number[], tol = 0) => a.every((v, i) => i === 0 || v >= a[i - 1] - tol);

// ---------------------------------------------------------------------------------------------------------------

describe('001-Q1b: the mini-batch gradient is unbiased with variance s²(N − B)/(NB)', () => {
  const cases = [
    ['default seed', q1b.run()],
    ['seed 1', q1b.run({ seed: 1 })],
    ['seed 2', q1b.run({ seed: 2 })],
  ] as const;

  /** Per-sample gradients of (w·x − y)² at w: 2(w·x_i − y_i)·x_i, their mean and unbiased variance. */
  function reference(x: number[], y: number[], w: number) {
    const g = x.map((xi, i) => 2 * (w * xi - y[i]) * xi);
    const n = g.length;
    const mean = g.reduce((a, v) => a + v, 0) / n;
    const s2 = g.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
    return { mean, s2, variance: (B: number) => (s2 * (n - B)) / (n * B) };
  }

  it.each(cases)('%s: the data and the full-batch gradient match a plain-JS recomputation', (_, r) => {
    expect(r.x).toHaveLength(20);
    expect(r.y).toHaveLength(20);
    for (const v of r.x) expect(Math.abs(v)).toBeLessThanOrEqual(1);
    const ref = reference(r.x, r.y, 0.5);
    expectClose([r.fullGradient, r.s2], [ref.mean, ref.s2], EXACT, 'full gradient, s²');
  });

  it.each(cases)('%s: the batches of one epoch average to the full gradient (1e-12), for B = 1, 2, 5, 10, 20', (_, r) => {
    expect(r.perBatchSize.map((p) => p.B)).toEqual([1, 2, 5, 10, 20]);
    for (const p of r.perBatchSize) expect(Math.abs(p.partitionMean - r.fullGradient), `B = ${p.B}`).toBeLessThanOrEqual(1e-12);
  });

  it.each(cases)('%s: the empirical variance is within 5% of s²(N−B)/(NB), decreases in B, and is 0 at B = N', (_, r) => {
    const ref = reference(r.x, r.y, 0.5);
    for (const p of r.perBatchSize) {
      if (p.B === 20) {
        expect(p.empiricalVariance).toBeLessThan(1e-20);
        continue;
      }
      const want = ref.variance(p.B);
      expect(Math.abs(p.empiricalVariance / want - 1), `B = ${p.B}: ${p.empiricalVariance} vs ${want}`).toBeLessThan(0.05);
      // unbiased: the mean of the random batch gradients is the full gradient up to 5 standard errors
      expect(Math.abs(p.empiricalMean - ref.mean)).toBeLessThan(5 * Math.sqrt(want / q1b.DRAWS));
    }
    const empirical = r.perBatchSize.map((p) => p.empiricalVariance);
    empirical.slice(1).forEach((v, i) => expect(v, `B = ${r.perBatchSize[i + 1].B}`).toBeLessThan(empirical[i]));
  });

  it('the empirical variance falls with B in the ratios of EXAMS.md (2.5061, 1.1871, 0.3957, 0.1319 for its own data)', () => {
    // Var(B)/Var(1) = (N − B)/((N − 1)B) does not depend on the data, so EXAMS.md's numbers give the ratios for any
    // data set. Each empirical variance is within 5% of its formula (the test above), so the ratio of two is within
    // a factor 1.05/0.95 of the formula's ratio; EXAMS.md's 4-dp rounding adds < 4e-4 relative (0.00005/0.1319).
    const exams = [2.5061, 1.1871, 0.3957, 0.1319];
    const rounding = 4e-4;
    const [lo, hi] = [(0.95 / 1.05) * (1 - rounding), (1.05 / 0.95) * (1 + rounding)];
    for (const [label, r] of cases) {
      const v = r.perBatchSize.filter((p) => p.B < 20).map((p) => p.empiricalVariance);
      v.forEach((x, i) => {
        const q = x / v[0] / (exams[i] / exams[0]);
        expect(q, `${label}, B = ${r.perBatchSize[i].B}`).toBeGreaterThanOrEqual(lo);
        expect(q, `${label}, B = ${r.perBatchSize[i].B}`).toBeLessThanOrEqual(hi);
      });
    }
  });

  it('plot, title and lines state the question and the key (GD is the more accurate, SGD cheaper)', () => {
    const r = cases[0][1];
    expectPlots(r.plots, 1, 10);
    expect(q1b.meta.id).toBe('001-Q1b');
    expect(q1b.meta.title).toMatch(/GD/);
    expect(r.agrees).toBe('yes');
    const doc = documentLines(r.lines);
    expect(doc).toHaveLength(1);
    expect(doc[0]).toMatch(/GD provides a more accurate estimate/);
    expect(doc[0]).toMatch(/agrees/);
    expect(r.lines.join('\n')).toContain(r.fullGradient.toFixed(6));
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('001-Q1c: a 12-layer tanh MLP with std-0.01 weights has vanishing activations and gradients', () => {
  const cases = [
    ['default seed', q1c.run()],
    ['seed 1', q1c.run({ seed: 1 })],
    ['seed 2', q1c.run({ seed: 2 })],
  ] as const;

  it.each(cases)('%s: small init: RMS(layer 11) < 1e-10 and every ‖dW_l‖ < 1e-9 (all 12 layers, not only the first)', (_, r) => {
    expect(r.small.activationRms).toHaveLength(11);
    expect(r.small.gradNorms).toHaveLength(12);
    expect(r.small.activationRms[10]).toBeLessThan(1e-10);
    for (const [l, n] of r.small.gradNorms.entries()) {
      expect(n, `layer ${l + 1}`).toBeLessThan(1e-9);
      expect(n, `layer ${l + 1} is computed, not absent`).toBeGreaterThan(0);
    }
  });

  it.each(cases)('%s: small init: each layer scales the activations by ≈ 0.01·√32 = 0.057 (within 2×)', (_, r) => {
    const factor = 0.01 * Math.sqrt(32);
    const ratios = r.small.activationRms.slice(1).map((v, i) => v / r.small.activationRms[i]);
    for (const q of ratios) {
      expect(q).toBeGreaterThan(factor / 2);
      expect(q).toBeLessThan(factor * 2);
    }
  });

  it.each(cases)('%s: Xavier: RMS(layer 11) > 0.05 and ‖dW₁‖ > 1e-2', (_, r) => {
    expect(r.xavier.activationRms[10]).toBeGreaterThan(0.05);
    expect(r.xavier.gradNorms[0]).toBeGreaterThan(1e-2);
  });

  it('the two inits differ only in the weights\' std: 0.01 vs √(2/(n_in + n_out))', () => {
    const r = cases[0][1];
    expect(r.small.weightStds).toEqual(Array(12).fill(0.01));
    expectClose(r.xavier.weightStds, [...Array(11).fill(Math.sqrt(2 / 64)), Math.sqrt(2 / 33)], EXACT, 'xavier std');
  });

  it('plots have 2 × 11 and 2 × 12 points; agrees, one erratum line (§4 item 11), title and lines state the key', () => {
    const r = cases[0][1];
    expect(r.plots).toHaveLength(2);
    expect(plotValues(r.plots![0])).toHaveLength(22);
    expect(plotValues(r.plots![1])).toHaveLength(24);
    for (const p of r.plots!) for (const v of plotValues(p)) expect(v.y).toBeGreaterThan(0); // log axes
    expect(r.agrees).toBe('yes');
    const errata = erratumLines(r.lines);
    expect(errata).toHaveLength(1);
    expect(errata[0]).toMatch(/every layer/);
    expect(q1c.meta.title).toMatch(/small initial weights/);
    expect(documentLines(r.lines)[0]).toMatch(/nearly zero/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('001-Q2a: the recorded graph of h = W_k x, g = h + b, f = max(αg, g), L = ½‖f − y‖²', () => {
  const cases = [
    ['the 001-Q2b instance', q2a.run()],
    ['seed 1', q2a.run({ seed: 1 })],
    ['seed 2', q2a.run({ seed: 2 })],
  ] as const;
  // h: matmul, g: add, f: leakyRelu (max(αg, g) for 0 < α < 1), then ½‖f − y‖² = ½·sum((f − y)·(f − y)).
  const OPS = ['matmul', 'add', 'leakyRelu', 'sub', 'mul', 'sum', 'mul'];

  it.each(cases)('%s: tape order is [matmul, add, leakyRelu, sub, square, sum, ×½]; backward visits it in reverse', (_, r) => {
    expect(r.forwardOps).toEqual(OPS);
    r.forwardSeqs.slice(1).forEach((s, i) => expect(s).toBeGreaterThan(r.forwardSeqs[i]));
    expect(r.visits.map((v) => v.op)).toEqual([...OPS].reverse());
    expect(r.visits.map((v) => v.seq)).toEqual([...r.forwardSeqs].reverse());
  });

  it.each(cases)('%s: edges: x and W_k into matmul (h), h and b into add (g), g into leakyRelu (f), f and y into sub', (_, r) => {
    const from = r.edges.map((e) => e.from.map((s) => s.replace(/#\d+$/, '')));
    expect(from.slice(0, 4)).toEqual([['leaf:x', 'leaf:W_k'], ['matmul', 'leaf:b'], ['add'], ['leakyRelu', 'leaf:y']]);
    expect(from.slice(4)).toEqual([['sub', 'sub'], ['mul'], ['sum', 'leaf:constant 0.5']]);
  });

  it.each(cases)('%s: toDot text: one box per op in tape order, chained, with the leaves W_k, x, b, y', (_, r) => {
    expect(r.dot.startsWith('digraph')).toBe(true);
    expect(r.dot.trimEnd().endsWith('}')).toBe(true);
    const boxes = [...r.dot.matchAll(/^\s*(op\d+) \[shape=box[^\]]*label="(\w+) /gm)].map((m) => ({ id: m[1], op: m[2] }));
    expect(boxes.map((b) => b.op)).toEqual(OPS);
    boxes.slice(1).forEach((b, i) => expect(r.dot).toMatch(new RegExp(`\\b${boxes[i].id} -> ${b.id}\\b`)));
    const leaves = Object.fromEntries([...r.dot.matchAll(/^\s*(t\d+) \[shape=ellipse[^\]]*label="([^\\"]*)/gm)].map((m) => [m[2], m[1]]));
    expect(Object.keys(leaves)).toEqual(expect.arrayContaining(['W_k', 'x', 'b', 'y']));
    const [matmul, add, , sub] = boxes.map((b) => b.id);
    for (const [leaf, op] of [['W_k', matmul], ['x', matmul], ['b', add], ['y', sub]]) {
      expect(r.dot).toMatch(new RegExp(`\\b${leaves[leaf]} -> ${op}\\b`));
    }
    // the lines carry the DOT text and say which edge is h, g and f
    expect(r.lines.some((l) => l.trim() === r.dot.split('\n')[0])).toBe(true);
    expect(r.lines.join('\n')).toMatch(/h = op\d+ \(matmul\) -> op\d+ \(add\); g = op\d+ \(add\) -> op\d+ \(leakyRelu\); f = op\d+ \(leakyRelu\) -> op\d+ \(sub\)/);
  });

  it.each(cases)('%s: values and edge gradients match the formulas of 001-Q2b (plain JS, 1e-12); dL/dh equals dL/dg', (_, r) => {
    const { W, x, b, y, alpha } = r.input;
    const h = W.map((row) => row.reduce((a, w, j) => a + w * x[j], 0));
    const g = h.map((v, i) => v + b[i]);
    const f = g.map((v) => (v > 0 ? v : alpha * v));
    const dLdf = f.map((v, i) => v - y[i]);
    const dLdg = dLdf.map((d, i) => d * (g[i] > 0 ? 1 : alpha));
    const loss = 0.5 * dLdf.reduce((a, d) => a + d * d, 0);
    expectClose(r.h, h, EXACT, 'h');
    expectClose(r.g, g, EXACT, 'g');
    expectClose(r.f, f, EXACT, 'f');
    expectClose([r.loss], [loss], EXACT, 'L');
    expectClose(r.dLdf, dLdf, EXACT, 'dL/df');
    expectClose(r.dLdg, dLdg, EXACT, 'dL/dg');
    expect(r.dLdh).toEqual(r.dLdg);
    expectClose(r.dLdh, dLdg, EXACT, 'dL/dh');
    expectClose(r.dLdb, dLdg, EXACT, 'dL/db');
    expectClose(r.dLdW.flat(), dLdg.flatMap((d) => x.map((xj) => d * xj)), EXACT, 'dL/dW');
    expectClose(r.dLdx, x.map((_, j) => W.reduce((a, row, i) => a + row[j] * dLdg[i], 0)), EXACT, 'dL/dx');
  });

  it('the 001-Q2b instance gives the numbers of EXAMS.md (4 dp) and the gradients 001-Q2b reads with retainGrad()', () => {
    const r = cases[0][1];
    expect(r.seed).toBeNull();
    expectClose(r.h, [-1.75, 2.5], DP4);
    expectClose(r.g, [-1.65, 2.3], DP4);
    expectClose(r.f, [-0.165, 2.3], DP4);
    expectClose([r.loss], [3.3236], DP4);
    expectClose(r.dLdh, [-0.1165, 2.3], DP4);
    expectClose(r.dLdW.flat(), [-0.1165, -0.233, 0.1165, 2.3, 4.6, -2.3], DP4);
    expect(r.q2bAgrees).toBe(true);
    // the seeded instances are different draws
    expect(cases[1][1].input.W).not.toEqual(cases[2][1].input.W);
  });

  it('no drawing in the scan: no answer to compare; title states the question', () => {
    const r = cases[0][1];
    expect(r.agrees).toBe('no answer given');
    expect(q2a.meta.id).toBe('001-Q2a');
    expect(q2a.meta.title).toMatch(/computational graph/);
    expect(documentLines(r.lines)[0]).toMatch(/not in the scan/);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('001-Q3a/001-Q3b: ridge sweeps', () => {
  const cases = [
    ['default seed', q3.run()],
    ['seed 1', q3.run({ seed: 1 })],
    ['seed 2', q3.run({ seed: 2 })],
  ] as const;

  /** Legendre P_0..P_d at t (Bonnet's recurrence, written again here rather than taken from the example's helper). */
  function legendre(t: number, d: number): number[] {
    const p = [1, t];
    for (let k = 1; k < d; k++) p.push(((2 * k + 1) * t * p[k] - k * p[k - 1]) / (k + 1));
    return p.slice(0, d + 1);
  }

  /**
   * Checks each fit against the ridge optimality condition of (1/N)‖Xw − y‖² + λ‖w_{1:}‖²:
   * (2/N)Xᵀ(Xw − y) + 2λ·(0, w_1, …, w_d) = 0, and recomputes its training MSE.
   */
  function checkFits(s: q3.SweepResult, degree: number): void {
    const X = s.trainX.map((t) => legendre(t, degree));
    const n = X.length;
    s.lambdas.forEach((lambda, k) => {
      const w = s.weights[k];
      const resid = X.map((row, i) => row.reduce((a, v, j) => a + v * w[j], 0) - s.trainY[i]);
      const grad = w.map((wj, j) => (2 / n) * X.reduce((a, row, i) => a + row[j] * resid[i], 0) + (j === 0 ? 0 : 2 * lambda * wj));
      const scale = Math.max(1, ...w.map(Math.abs));
      expect(Math.max(...grad.map(Math.abs)), `λ = ${lambda}: ridge optimality`).toBeLessThan(1e-7 * scale);
      expect(Math.abs(resid.reduce((a, e) => a + e * e, 0) / n - s.trainMse[k]), `λ = ${lambda}: train MSE`).toBeLessThan(1e-12);
    });
  }

  it.each(cases)('%s: 001-Q3a: the fits are ridge optima (degree 12, N = 20, the λ grid of EXAMS.md)', (_, r) => {
    expect(r.a.lambdas).toEqual([0, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1, 10]);
    expect(r.a.trainX).toHaveLength(20);
    checkFits(r.a, 12);
  });

  it.each(cases)('%s: 001-Q3a: interior validation argmin, train MSE non-decreasing in λ, val(best) < 0.2·val(0) and < val(10)', (_, r) => {
    const { lambdas, trainMse, valMse, best } = r.a;
    expect(valMse[best]).toBe(Math.min(...valMse));
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(lambdas.length - 1);
    expect(isNonDecreasing(trainMse, 1e-12)).toBe(true);
    expect(valMse[best]).toBeLessThan(0.2 * valMse[0]);
    expect(valMse[best]).toBeLessThan(valMse[lambdas.indexOf(10)]);
  });

  it.each(cases)('%s: 001-Q3b: λ = 10 underfits: val and train MSE both > 5× those at λ ≈ 0 (degree 5, N = 200)', (_, r) => {
    expect(r.b.trainX).toHaveLength(200);
    checkFits(r.b, 5);
    const [i0, i10] = [r.b.lambdas.indexOf(1e-12), r.b.lambdas.indexOf(10)];
    expect(i0).toBeGreaterThanOrEqual(0);
    expect(r.b.valMse[i10]).toBeGreaterThan(5 * r.b.valMse[i0]);
    expect(r.b.trainMse[i10]).toBeGreaterThan(5 * r.b.trainMse[i0]);
    // λ ≈ 0 sits near the noise floor σ² = 0.04, as EXAMS.md's 0.039–0.045
    expect(r.b.valMse[i0]).toBeGreaterThan(0.03);
    expect(r.b.valMse[i0]).toBeLessThan(0.06);
  });

  it('rows, errata, plots and lines: Q3a erratum (choose by validation error only), Q3b agrees (False)', () => {
    const r = cases[0][1];
    expect(r.rows.map((row) => [row.id, row.agrees])).toEqual([['001-Q3a', 'erratum'], ['001-Q3b', 'yes']]);
    const errata = erratumLines(r.lines);
    expect(errata).toHaveLength(1);
    expect(errata[0]).toMatch(/minimizes both training and validation/);
    expect(errata[0]).toMatch(/validation error/);
    expect(q3.meta.title).toMatch(/validation/);
    expect(q3.meta.title).toMatch(/False/);
    expect(documentLines(r.lines).some((l) => /False \(agrees\)/.test(l))).toBe(true);
    // λ = 0 has no place on the log axis: 7 λ > 0 per series in (a), all 7 in (b)
    expectPlots(r.plots, 2, 14);
    expect(r.bestLambdaOverSeeds[0]).toEqual([0, r.a.lambdas[r.a.best]]);
  });
});
