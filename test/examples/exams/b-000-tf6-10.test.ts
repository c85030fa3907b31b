/**
 * Seed 000, Part B (EXAMS.md §3): 000-TF6 … 000-TF10, each for its default seed and two more. Expected values are
 * typed in from EXAMS.md or recomputed here from formulas and plain-JS reference implementations.
 */
import { describe, expect, it } from 'vitest';
import type { Plot } from '../../../examples/lib/plot.js';
import * as tf6 from '../../../examples/exams/000-tf6-momentum-overshoot.js';
import * as tf7 from '../../../examples/exams/000-tf7-epoch-full-pass.js';
import * as tf8 from '../../../examples/exams/000-tf8-gentle-directions.js';
import * as tf9 from '../../../examples/exams/000-tf9-noise-regularises.js';
import * as tf10 from '../../../examples/exams/000-tf10-bagging.js';

const TOL_4DP = 1e-4; // EXAMS.md §0: values quoted to 4 dp
const TOL_EXACT = 1e-9; // EXAMS.md §0: exact recomputations in float64

/** The default seed (undefined) and two more. */
const SEEDS = [undefined, 1, 2] as const;
const label = (seed: number | undefined) => (seed === undefined ? 'default seed' : `seed ${seed}`);

function expectNear(actual: number, expected: number, tol: number, what = ''): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

/** Every data row of a plot's Vega-Lite spec (top-level data or one per layer). */
function plotRows(plot: Plot): Array<Record<string, unknown>> {
  const spec = plot.spec as { data?: { values?: unknown[] }; layer?: Array<{ data?: { values?: unknown[] } }> };
  const sets = [spec.data?.values, ...(spec.layer ?? []).map((l) => l.data?.values)];
  return sets.flatMap((v) => (v ?? []) as Array<Record<string, unknown>>);
}

function expectPlots(plots: Plot[] | undefined, names: string[]): void {
  expect(plots?.map((p) => p.name)).toEqual(names);
  for (const p of plots!) {
    expect(p.title.length).toBeGreaterThan(0);
    const rows = plotRows(p);
    expect(rows.length, `${p.name} has data`).toBeGreaterThan(0);
    for (const row of rows) for (const v of Object.values(row)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  }
}

function expectKey(meta: { title: string }, lines: string[], key: 'T' | 'F'): void {
  expect(meta.title).toContain(`key: ${key}`);
  expect(lines[0]).toContain(`document's key: ${key}`);
  expect(lines[lines.length - 1]).toContain(`the key ${key} is right`);
}

/**
 * Least-squares fit of x_{t+1} = a·x_t − b·x_{t−1} to a trajectory (2×2 normal equations by Cramer's rule). For an
 * oscillation x_t = Aρᵗcos(θt + φ) this recurrence holds with a = 2ρ cos θ and b = ρ², so the fit reads off the
 * per-step decay ρ of the envelope of |x_t| and the turn θ per step, from the trajectory alone.
 */
function fitDecay(xs: readonly number[]): { rho: number; theta: number } {
  let [s11, s12, s22, r1, r2] = [0, 0, 0, 0, 0];
  for (let t = 1; t + 1 < xs.length; t++) {
    const [prev, cur, next] = [xs[t - 1], xs[t], xs[t + 1]];
    s11 += cur * cur;
    s12 += cur * prev;
    s22 += prev * prev;
    r1 += next * cur;
    r2 += next * prev;
  }
  // unknowns (a, −b): [s11 s12; s12 s22]·(a, −b) = (r1, r2)
  const det = s11 * s22 - s12 * s12;
  const a = (r1 * s22 - r2 * s12) / det;
  const b = -(s11 * r2 - s12 * r1) / det;
  const rho = Math.sqrt(b);
  return { rho, theta: Math.acos(a / (2 * rho)) };
}

/** Heavy ball on f = ½x² written out in plain JS: v ← βv + x, x ← x − ηv. */
function heavyBall(x0: number, lr: number, beta: number, steps: number): number[] {
  const xs = [x0];
  let x = x0;
  let v = 0;
  for (let t = 0; t < steps; t++) {
    v = beta * v + x;
    x -= lr * v;
    xs.push(x);
  }
  return xs;
}

describe('000-TF6: momentum overshoots (exact)', () => {
  for (const seed of SEEDS) {
    describe(label(seed), () => {
      const r = tf6.run({ seed });

      it('plain GD: x_t = 0.9ᵗ, x₁₀ = 0.3487, never changes sign', () => {
        r.gd.forEach((x, t) => expectNear(x, 0.9 ** t, TOL_EXACT, `gd[${t}]`));
        expectNear(r.gd[10], 0.3487, TOL_4DP, 'x10');
        expect(r.gd.every((x) => x > 0)).toBe(true);
        expect(r.gdSignChanges).toBe(0);
      });

      it('momentum 0.9: 0.9, 0.72, 0.486, 0.2268, −0.0292; first sign change at t = 5; min −0.6037 at t = 9; x₆₀ = 0.0381', () => {
        const ref = heavyBall(1, 0.1, 0.9, 60);
        r.momentum.forEach((x, t) => expectNear(x, ref[t], TOL_EXACT, `momentum[${t}]`));
        [0.9, 0.72, 0.486, 0.2268, -0.0292].forEach((x, i) => expectNear(r.momentum[i + 1], x, TOL_4DP, `x${i + 1}`));
        expect(r.momentumFirstSignChange).toBe(5);
        expect(r.momentum.slice(0, 5).every((x) => x > 0)).toBe(true);
        expectNear(r.momentumMin, -0.6037, TOL_4DP, 'min');
        expect(r.momentumMinStep).toBe(9);
        expectNear(r.momentum[60], 0.0381, TOL_4DP, 'x60');
        // The oscillation decays: the envelope shrinks like (√0.9)ᵗ.
        expect(Math.max(...r.momentum.slice(40).map(Math.abs))).toBeLessThan(Math.abs(r.momentumMin));
      });

      it('the variant v ← βv − ηg, x ← x + v gives the same trajectory', () => {
        expect(r.variant).toHaveLength(61);
        expect(r.variantMaxDiff).toBeLessThan(1e-12);
        r.variant.forEach((x, t) => expectNear(x, r.momentum[t], 1e-12, `variant[${t}]`));
      });

      it('the optim.SGD trajectory decays like (√β)ᵗ while turning by atan(1/3) per step (underdamped)', () => {
        // Heavy ball on ½x²: x_{t+1} = (1 + β − η)x_t − βx_{t−1}, characteristic roots r² − 1.8r + 0.9 = 0, i.e.
        // r = 0.9 ± 0.3i: modulus √0.9 (the per-step decay of the envelope) and argument atan(0.3/0.9).
        // Tolerance: the library's float64 iterates satisfy that recurrence up to rounding (~1e-16 relative per step);
        // the fit's 2×2 system has condition number ≈ 1/sin²θ ≈ 10, so a and b come out within ~1e-14. 1e-9 is §0's
        // bound for an exact recomputation, and any other momentum rule (another β, dampening, Nesterov) moves ρ or θ
        // by far more.
        const { rho, theta } = fitDecay(r.momentum);
        expectNear(rho, Math.sqrt(0.9), TOL_EXACT, 'fitted decay ρ');
        expectNear(theta, Math.atan(1 / 3), TOL_EXACT, 'fitted angle θ');
      });

      it('seeded random starts: the trajectory scales with x₀, so the overshoot is the same', () => {
        expect(r.starts).toHaveLength(5);
        for (const s of r.starts) {
          expect(Math.abs(s.x0)).toBeLessThanOrEqual(3);
          expect(s.gdSignChanges).toBe(0);
          expect(s.momentumFirstSignChange).toBe(5);
          expectNear(s.momentumMinRatio, -0.6037, TOL_4DP, 'min/x0');
        }
      });

      it('states the key and plots the trajectory', () => {
        expectKey(tf6.meta, r.lines, 'T');
        expect(r.agrees).toBe('yes');
        expectPlots(r.plots, ['trajectory']);
        expect(plotRows(r.plots![0]).filter((row) => String(row.series).startsWith('momentum'))).toHaveLength(61);
      });
    });
  }

  it('the seed changes the random starts', () => {
    const starts = [1, 2].map((seed) => tf6.run({ seed }).starts.map((s) => s.x0));
    expect(starts[0]).not.toEqual(starts[1]);
  });
});

describe('000-TF7: an epoch is one full pass', () => {
  const all = Array.from({ length: 10 }, (_, i) => i);
  for (const seed of SEEDS) {
    describe(label(seed), () => {
      const r = tf7.run({ seed });

      it('N = 10, B = 3: 4 batches of sizes (3, 3, 3, 1) covering every index exactly once, every epoch', () => {
        expect(r.loaderLength).toBe(4);
        expect(r.batchSizes).toEqual([3, 3, 3, 1]);
        expect(r.epochs).toHaveLength(3);
        for (const ep of r.epochs) {
          expect(ep.map((b) => b.length)).toEqual([3, 3, 3, 1]);
          expect(ep.flat().slice().sort((a, b) => a - b)).toEqual(all);
        }
        r.epochCoverage.forEach((c) => expect(c).toEqual(all));
      });

      it('dropLast: 3 batches of 3; the one sample left out is exactly the one not seen', () => {
        expect(r.dropLastLength).toBe(3);
        r.dropLastEpochs.forEach((ep, e) => {
          expect(ep.map((b) => b.length)).toEqual([3, 3, 3]);
          expect(new Set(ep.flat()).size).toBe(9);
          expect(r.dropLastMissing[e]).toHaveLength(1);
          expect([...ep.flat(), ...r.dropLastMissing[e]].sort((a, b) => a - b)).toEqual(all);
        });
      });

      it('the seeded permutation is reproducible, and each epoch draws a new one', () => {
        expect(r.reproducible).toBe(true);
        expect(r.ordersDiffer).toEqual([true, true]);
        expect(tf7.run({ seed }).epochs).toEqual(r.epochs);
      });

      it('without shuffle the batches are in index order; training takes ⌈N/B⌉ = 4 steps and sees N = 10 samples per epoch', () => {
        expect(r.unshuffled).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
        expect(r.stepsPerEpoch).toEqual([4, 4, 4]);
        expect(r.samplesPerEpoch).toEqual([10, 10, 10]);
      });

      it('states the key', () => {
        expectKey(tf7.meta, r.lines, 'T');
        expect(r.agrees).toBe('yes');
      });
    });
  }

  it('different seeds shuffle differently', () => {
    expect(tf7.run({ seed: 1 }).epochs[0]).not.toEqual(tf7.run({ seed: 2 }).epochs[0]);
  });
});

/** Adam on the 1-D quadratic ½c·x² in plain JS (the textbook form with m̂ and v̂). */
function adamReference(c: number, x0: number, lr: number, steps: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  let [x, m, v] = [x0, 0, 0];
  const xs = [x];
  for (let t = 1; t <= steps; t++) {
    const g = c * x;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    x -= (lr * (m / (1 - b1 ** t))) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
    xs.push(x);
  }
  return xs;
}

describe('000-TF8: large gradients do not buy progress in gentle directions (exact)', () => {
  for (const seed of SEEDS) {
    describe(label(seed), () => {
      const r = tf8.run({ seed });
      const last = (xs: number[]) => xs[xs.length - 1];

      it('GD lr 0.019: x_t = (−0.9)ᵗ, y_t = 0.981ᵗ; x₅₀ = 5.15e-3, y₅₀ = 0.3832, f₅₀ = 0.0748', () => {
        r.gd.x.forEach((x, t) => expectNear(x, (1 - 100 * 0.019) ** t, TOL_EXACT, `x[${t}]`));
        r.gd.y.forEach((y, t) => expectNear(y, (1 - 0.019) ** t, TOL_EXACT, `y[${t}]`));
        expectNear(last(r.gd.x), 5.15e-3, 5e-6, 'x50');
        expectNear(last(r.gd.y), 0.3832, TOL_4DP, 'y50');
        expectNear(last(r.gd.f), 0.0748, TOL_4DP, 'f50');
        expect(Math.abs(last(r.gd.y))).toBeGreaterThan(0.3); // the Assert line
      });

      it('GD lr 0.021 diverges (x₅₀ = 117.4) with y₅₀ still 0.346', () => {
        expectNear(last(r.divergent.x), 1.1 ** 50, 1e-9 * 1.1 ** 50, 'x50 formula');
        expectNear(last(r.divergent.x), 117.4, 0.05, 'x50');
        expectNear(last(r.divergent.y), 0.346, 5e-4, 'y50');
      });

      it('any stable lr leaves y₅₀ = (1 − lr)⁵⁰ > 0.98⁵⁰ = 0.364', () => {
        // lr < 2/100 (the steep direction's stability limit), so y shrinks by more than 1 − 0.02 per step
        const bound = (1 - 0.02) ** 50;
        expectNear(r.yBound, 0.364, 5e-4, 'the example\'s printed bound, against EXAMS.md');
        expect(r.randomGd).toHaveLength(5);
        for (const { lr, y50 } of r.randomGd) {
          expect(lr).toBeGreaterThan(0);
          expect(lr).toBeLessThan(0.02);
          expectNear(y50, (1 - lr) ** 50, TOL_EXACT, `y50 at lr ${lr}`);
          expect(y50).toBeGreaterThan(bound);
        }
      });

      it('Adam: x_t = y_t (gap < 1e-6) at lr 0.05 and 0.1; f₅₀ = 0.0725 and 0.0012; f₅₀(lr 0.1) < 0.01', () => {
        expect(r.adam).toHaveLength(2);
        r.adamMaxGap.forEach((gap) => expect(gap).toBeLessThan(1e-6));
        r.adam.forEach((a) => a.x.forEach((x, t) => expect(Math.abs(x - a.y[t])).toBeLessThan(1e-6)));
        expectNear(last(r.adam[0].f), 0.0725, TOL_4DP, 'f50 lr 0.05');
        expectNear(last(r.adam[1].f), 0.0012, TOL_4DP, 'f50 lr 0.1');
        expect(last(r.adam[1].f)).toBeLessThan(0.01);
      });

      it('Adam matches a plain-JS Adam, coordinate by coordinate', () => {
        [0.05, 0.1].forEach((lr, i) => {
          const refX = adamReference(100, 1, lr, 50);
          const refY = adamReference(1, 1, lr, 50);
          r.adam[i].x.forEach((x, t) => expectNear(x, refX[t], TOL_EXACT, `adam x[${t}]`));
          r.adam[i].y.forEach((y, t) => expectNear(y, refY[t], TOL_EXACT, `adam y[${t}]`));
        });
      });

      it('states the key and plots y_t and f_t', () => {
        expectKey(tf8.meta, r.lines, 'F');
        expect(r.agrees).toBe('yes');
        expectPlots(r.plots, ['gentle-direction', 'loss']);
      });
    });
  }
});

describe('000-TF9: input noise regularises like ridge', () => {
  // Σxy = 28, Σx² = 14, Nσ² = 3·0.25: w* = 28/14.75 = 1.8983 (EXAMS.md)
  const wStar = 28 / 14.75;
  // d/dw of the expected loss mean_i (w x_i − y_i)² + σ²w² at w = 1.5: (2/3)·(1.5·14 − 28 + 0.75·1.5) = (2/3)·(−5.875)
  // = −3.9167 (EXAMS.md)
  const expectedGradient = (2 / 3) * -5.875;
  const results = SEEDS.map((seed) => tf9.run({ seed }));
  SEEDS.forEach((seed, i) => {
    describe(label(seed), () => {
      const r = results[i];

      it('the closed-form ridge solution with λ = Nσ² is w* = Σxy/(Σx² + Nσ²) = 1.8983; OLS = 2', () => {
        expectNear(r.wRidge, wStar, TOL_EXACT, 'ridge');
        expectNear(r.wRidge, 1.8983, TOL_4DP, 'ridge, EXAMS.md');
        expectNear(r.wOls, 2, TOL_EXACT, 'ols');
      });

      it('noisy SGD settles at w*: |w − 1.8983| < 0.01 and w < 2; clean SGD reaches 2', () => {
        expect(Math.abs(r.wNoisy - 1.8983)).toBeLessThan(0.01);
        expect(r.wNoisy).toBeLessThan(2);
        expectNear(r.wClean, 2, 1e-6, 'clean');
        expect(r.noisyTrace).toHaveLength(3001);
      });

      it('the library\'s Monte-Carlo backward at w = 1.5 matches the expected gradient −3.9167', () => {
        // per-draw gradient std ≈ 4, over 4e5 draws: standard error ≈ 0.0065, so 0.03 is 4.6 standard errors
        expect(Math.abs(r.mcGradient - expectedGradient)).toBeLessThan(0.03);
      });

      it('states the key and plots w during training', () => {
        expectKey(tf9.meta, r.lines, 'T');
        expect(r.agrees).toBe('yes');
        expectPlots(r.plots, ['weight']);
      });
    });
  });

  it('the seed changes the noise', () => {
    expect(results[1].wNoisy).not.toBe(results[2].wNoisy);
  });
});

describe('000-TF10: bagging trains several models on bootstrap resamples', () => {
  const mse = (p: readonly number[], y: readonly number[]) => p.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / p.length;
  const results = SEEDS.map((seed) => tf10.run({ seed }));
  SEEDS.forEach((seed, i) => {
    describe(label(seed), () => {
      const r = results[i];

      it('bootstrap of N = 1000 keeps ≈ 63.2% of the samples: |mean − 0.632| < 0.02', () => {
        expect(r.uniqueFractions).toHaveLength(20);
        expect(Math.abs(r.meanUniqueFraction - 0.632)).toBeLessThan(0.02);
        expectNear(r.expectedUniqueFraction, 1 - 0.999 ** 1000, 1e-15, '1 − (1 − 1/N)^N');
        expectNear(r.limitUniqueFraction, 0.6321, TOL_4DP, '1 − 1/e');
      });

      it('the K = 10 resamples are proper bootstrap draws and pairwise different', () => {
        expect(r.resamples).toHaveLength(10);
        for (const rows of r.resamples) {
          expect(rows).toHaveLength(30);
          expect(rows.every((j) => Number.isInteger(j) && j >= 0 && j < 30)).toBe(true);
        }
        const keys = r.resamples.map((rows) => [...new Set(rows)].sort((a, b) => a - b).join(','));
        expect(new Set(keys).size).toBe(10);
      });

      it('Jensen: the averaged prediction has MSE ≤ the mean of the individual MSEs (recomputed here)', () => {
        const preds = r.bagging.predictions;
        const indiv = preds.map((p) => mse(p, r.truth));
        indiv.forEach((m, k) => expectNear(r.bagging.individualMse[k], m, 1e-12, `mse ${k}`));
        const meanIndiv = indiv.reduce((a, b) => a + b, 0) / indiv.length;
        for (let k = 1; k <= preds.length; k++) {
          const avg = r.truth.map((_, j) => preds.slice(0, k).reduce((s, p) => s + p[j], 0) / k);
          const ens = mse(avg, r.truth);
          expectNear(r.baggingCurve[k - 1], ens, 1e-12, `curve ${k}`);
          expect(ens).toBeLessThanOrEqual(indiv.slice(0, k).reduce((a, b) => a + b, 0) / k + 1e-15);
        }
        // mean_k (p_k − y)² = (p̄ − y)² + mean_k (p_k − p̄)²: the gap is the models' disagreement, > 0 here.
        expectNear(meanIndiv - r.bagging.ensembleMse, r.bagging.spread, 1e-12, 'decomposition');
        expect(r.bagging.spread).toBeGreaterThan(0);
        expect(r.bagging.ensembleMse).toBeLessThan(meanIndiv);
      });

      it('one model trained 10 times on the same data: identical predictions, averaging gains nothing', () => {
        expect(r.repeatedIdentical).toBe(true);
        expect(r.repeated.predictions).toHaveLength(10);
        expectNear(r.repeated.ensembleMse, r.repeated.individualMse[0], 1e-12, 'repeated');
        expect(r.repeated.spread).toBeLessThan(1e-20);
      });

      it('states the key and plots the ensemble curve and the predictions', () => {
        expectKey(tf10.meta, r.lines, 'F');
        expect(r.agrees).toBe('yes');
        expectPlots(r.plots, ['ensemble-size', 'predictions']);
      });
    });
  });

  it('the seed changes the resamples', () => {
    expect(results[1].resamples[0]).not.toEqual(results[2].resamples[0]);
  });
});
