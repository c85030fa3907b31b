/**
 * Seed 001 (UCLA ECE C147/C247 midterm), Part A entries of EXAMS.md §2: each example's numbers against the values
 * EXAMS.md gives (or the formula behind them), with the tolerances of its §0: 1e-4 for values quoted to 4 dp, 1e-9
 * for exact recomputations, and float64 gradcheck with h = 1e-6 for every network.
 */
import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, randn, tensor } from '../../../src/index.js';
import * as q1d from '../../../examples/exams/001-q1d-constant-init.js';
import * as q2b from '../../../examples/exams/001-q2b-backprop-leaky-layer.js';
import * as q2c from '../../../examples/exams/001-q2c-nullspace-obfuscation.js';
import * as q4 from '../../../examples/exams/001-q4-cross-entropy.js';
import * as q4g from '../../../examples/exams/001-q4g-adam-bias-correction.js';
import * as q5a from '../../../examples/exams/001-q5a-label-smoothing.js';
import type { Example } from '../../../examples/lib/example.js';

const DP4 = 1e-4;
const EXACT = 1e-9;
// §0: central differences with h = 1e-6; absolute error ≤ 1e-6 or relative ≤ 1e-5.
const GRADCHECK = { eps: 1e-6, atol: 1e-6, rtol: 1e-5 };

function expectClose(actual: readonly number[], expected: readonly number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => {
    expect(Number.isFinite(a), `element ${i} is ${a}`).toBe(true);
    expect(Math.abs(a - expected[i]), `element ${i}: ${a} vs ${expected[i]}`).toBeLessThanOrEqual(tol);
  });
}

const f64 = (data: number[] | number[][], requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad });
const erratumLines = (lines: string[]) => lines.filter((l) => l.startsWith('erratum:')).length;

describe('seed 001: every Part A entry is covered exactly once', () => {
  it('ids in meta or rows: 001-Q1d, Q2b, Q2c, Q4a, Q4b, Q4c, Q4g, Q5a', () => {
    const single: Example[] = [q1d, q2b, q2c, q4g, q5a];
    // Only the Q4 file groups sub-parts; its meta.id is the common stem, not an entry.
    const ids = [...single.map((e) => e.meta.id), ...q4.run().rows!.map((row) => row.id)];
    expect(ids.sort()).toEqual(['001-Q1d', '001-Q2b', '001-Q2c', '001-Q4a', '001-Q4b', '001-Q4c', '001-Q4g', '001-Q5a']);
  });
});

describe('001-Q1d: constant initialisation', () => {
  const r = q1d.run();

  it.each(q1d.activations)('%s: every W1 row and every W2 entry stays identical after training', (act) => {
    const t = r.constant[act];
    expect(t.rowSpread).toBeLessThanOrEqual(1e-12);
    expect(t.w2Spread).toBeLessThanOrEqual(1e-12);
    expect(t.activationSpread).toBeLessThanOrEqual(1e-12);
    // The symmetry is not the trivial one of weights that never moved: training changed them and lowered the loss.
    expect(Math.max(...t.W1[0].map((w) => Math.abs(w - q1d.inputs.weight)))).toBeGreaterThan(0.1);
    expect(t.loss).toBeLessThan(t.loss0 / 2);
  });

  it('control: He-random init breaks the symmetry (row spread > 0.1) and fits better', () => {
    expect(r.control.rowSpread).toBeGreaterThan(0.1);
    expect(r.control.loss).toBeLessThan(Math.min(...q1d.activations.map((a) => r.constant[a].loss)));
  });

  it('the data follow y = sin(2x₁) + x₂² with x in [−1, 1]²', () => {
    const { x, y } = q1d.makeData();
    expect(x.shape).toEqual([16, 2]);
    for (let i = 0; i < 16; i++) {
      expect(Math.abs(x.data[2 * i])).toBeLessThanOrEqual(1);
      expect(y.data[i]).toBeCloseTo(Math.sin(2 * x.data[2 * i]) + x.data[2 * i + 1] ** 2, 12);
    }
  });

  it.each(q1d.activations)('%s network: float64 gradcheck of the MSE in W1, b1, W2, b2', (act) => {
    const { x, y } = q1d.makeData();
    const params = q1d.makeModel(act, 'he').parameters().map((p) => p.detach().clone().requiresGrad_());
    // The functional form is the model itself: same loss at these parameters.
    const model = q1d.makeModel(act, 'he');
    const modelLoss = model.forward(x).sub(y).square().mean().item();
    expect(q1d.networkLoss(act, params[0], params[1], params[2], params[3], x, y).item()).toBeCloseTo(modelLoss, 12);
    const report = gradcheck((W1, b1, W2, b2) => q1d.networkLoss(act, W1, b1, W2, b2, x, y), params, GRADCHECK);
    expect(report.ok).toBe(true);
  });

  it('agrees with the document', () => {
    expect(r.agrees).toBe('yes');
  });
});

describe('001-Q2b: backprop through Wx + b → max(αg, g) → ½‖f − y‖²', () => {
  const r = q2b.run();

  it('forward values (EXAMS.md, 4 dp)', () => {
    expectClose(r.h, [-1.75, 2.5], DP4);
    expectClose(r.g, [-1.65, 2.3], DP4);
    expectClose(r.f, [-0.165, 2.3], DP4);
    expectClose([r.loss], [3.3236], DP4);
    // ½((−0.165 − 1)² + 2.3²) = ½(1.357225 + 5.29)
    expectClose([r.loss], [0.5 * (1.165 ** 2 + 2.3 ** 2)], EXACT);
  });

  it('backward values (EXAMS.md, 4 dp)', () => {
    expectClose(r.dLdf, [-1.165, 2.3], DP4);
    expectClose(r.dLdg, [-0.1165, 2.3], DP4);
    expectClose(r.dLdh, [-0.1165, 2.3], DP4);
    expectClose(r.dLdb, [-0.1165, 2.3], DP4);
    expectClose(r.dLdW.flat(), [-0.1165, -0.233, 0.1165, 2.3, 4.6, -2.3], DP4);
    expectClose(r.dLdx, [2.2417, 1.2665, -1.1791], DP4);
  });

  it('dL/db equals dL/dh elementwise', () => {
    expect(r.dLdb).toEqual(r.dLdh);
  });

  it('float64 gradcheck of W, b and x', () => {
    const W = f64(q2b.inputs.W, true);
    const b = f64(q2b.inputs.b, true);
    const x = f64(q2b.inputs.x, true);
    const report = gradcheck((W, b, x) => q2b.layerLoss(W, b, x), [W, b, x], GRADCHECK);
    expect(report.ok).toBe(true);
    expect(report.inputs).toHaveLength(3);
    expect(Math.max(...report.inputs.map((i) => i.maxAbsError))).toBeLessThan(1e-6);
  });

  it('no answer to compare (garbled)', () => {
    expect(r.agrees).toBe('no answer given');
  });
});

describe('001-Q2c: nullspace obfuscation', () => {
  const r = q2c.run();

  it('W1 z = 0 and x\' = x + λz = (3, 0, 2.5)', () => {
    expect(r.W1z).toEqual([0, 0]);
    expectClose(r.xObfuscated, [3, 0, 2.5], EXACT);
  });

  it('identical forward outputs and identical gradients of b1, W2, b2 (1e-12), with the values of EXAMS.md', () => {
    const { normal: n, obfuscated: o } = r;
    expectClose(o.hidden, n.hidden, 1e-12);
    expectClose([o.output, o.loss], [n.output, n.loss], 1e-12);
    expectClose(o.grads.b1, n.grads.b1, 1e-12);
    expectClose(o.grads.W2.flat(), n.grads.W2.flat(), 1e-12);
    expectClose(o.grads.b2, n.grads.b2, 1e-12);
    expectClose(n.hidden, [0.5, 2.6], DP4);
    expectClose([n.output, n.loss], [-0.33, 0.8845], DP4);
    expectClose(n.grads.b1, [-0.665, 0.399], DP4);
    expectClose(n.grads.W2.flat(), [-0.665, -3.458], DP4);
    expectClose(n.grads.b2, [-1.33], DP4);
  });

  it("dW1 differs, and dW1' − dW1 = outer(dL/dh1, λz) (1e-12)", () => {
    expectClose(r.normal.grads.W1.flat(), [-0.665, -1.33, -0.3325, 0.399, 0.798, 0.1995], DP4);
    expectClose(r.obfuscated.grads.W1.flat(), [-1.995, 0, -1.6625, 1.197, 0, 0.9975], DP4);
    expectClose(r.dW1Difference.flat(), r.outerPrediction.flat(), 1e-12);
    expectClose(r.dW1Difference.flat(), [-1.33, 1.33, -1.33, 0.798, -0.798, 0.798], DP4);
  });

  it('caveat: after one SGD step W1 no longer annihilates z, in both runs', () => {
    const norm = (v: number[]) => Math.hypot(...v);
    expect(norm(r.obfuscated.W1zAfter)).toBeGreaterThan(1e-3);
    expect(norm(r.normal.W1zAfter)).toBeGreaterThan(1e-3);
    expectClose(r.obfuscated.W1zAfter, [0.3658, -0.2194], DP4);
    expectClose(r.normal.W1zAfter, [-0.0333, 0.02], DP4);
    // so the obfuscated run's output now differs from the normal run's
    expect(Math.abs(r.obfuscated.outputAfter - r.normal.outputAfter)).toBeGreaterThan(1e-3);
  });

  it.each([['x', q2c.inputs.x], ["x'", [3, 0, 2.5]]])('float64 gradcheck of the network at %s', (_, input) => {
    const params = q2c.makeModel().parameters().map((p) => p.detach().clone().requiresGrad_());
    const x = f64(input as number[]);
    const report = gradcheck((W1, b1, W2, b2) => q2c.networkLoss(W1, b1, W2, b2, x), params, GRADCHECK);
    expect(report.ok).toBe(true);
    // the functional form is the model: the same loss
    expect(q2c.networkLoss(params[0], params[1], params[2], params[3], f64(q2c.inputs.x)).item()).toBeCloseTo(r.normal.loss, 12);
  });

  it('agrees for one update, with the caveat as an erratum line', () => {
    expect(r.agrees).toBe('yes');
    expect(erratumLines(r.lines)).toBe(1);
    // EXAMS.md's caveat: the identity holds for one update only; from step 2 on the updates diverge
    const caveat = r.lines.find((l) => l.startsWith('erratum:'))!;
    expect(caveat).toMatch(/only for the first step/);
    expect(caveat).toMatch(/W1 z ≠ 0/);
    expect(caveat).toMatch(/diverge/);
  });
});

describe('001-Q4a/b/c: cross-entropy', () => {
  const r = q4.run();

  it('Q4a: CE(0.25, 0.25, 0.3, 0.2; class 3) = −ln 0.3 = 1.2040 via probabilities and via logits', () => {
    expectClose([r.a.ce, r.a.ceFromLogits], [1.204, 1.204], DP4);
    expectClose([r.a.ce, r.a.ceFromLogits], [-Math.log(0.3), -Math.log(0.3)], EXACT);
    // d CE / d logits = ŷ − y
    expectClose(r.a.gradLogits, [0.25, 0.25, -0.7, 0.2], EXACT);
    // d CE / d ŷ = −y/ŷ on the support of y
    expectClose(r.a.gradProbs, [0, 0, -1 / 0.3, 0], EXACT);
    expect(r.a.predicted).toBe(2);
    expect(r.a.accuracy).toBe(1);
  });

  it('Q4b: CE(0, 0, 0.4, 0.6; class 3) = −ln 0.4 = 0.9163, finite, while the naive sum is NaN', () => {
    expectClose([r.b.ce, r.b.ceFromLogits], [0.9163, 0.9163], DP4);
    expectClose([r.b.ce], [-Math.log(0.4)], EXACT);
    expect(Number.isNaN(r.b.naive)).toBe(true);
    expectClose(r.b.gradProbs, [0, 0, -2.5, 0], EXACT);
    expectClose(r.b.gradLogits, [0, 0, -0.6, 0.6], EXACT);
    expect(r.b.predicted).toBe(3);
    expect(r.b.accuracy).toBe(0);
  });

  it('crossEntropyFromProbs is finite on exact zeros, and matches −Σ y ln ŷ where that is defined', () => {
    const ce = q4.crossEntropyFromProbs(f64([0, 0, 0.4, 0.6]), q4.oneHot(2, 4)).item();
    expect(Number.isFinite(ce)).toBe(true);
    expectClose([ce], [0.9163], DP4);
    // soft target, no zeros: the plain formula by hand
    const p = [0.1, 0.2, 0.3, 0.4];
    const y = [0.25, 0.25, 0.25, 0.25];
    const byHand = -y.reduce((s, yi, i) => s + yi * Math.log(p[i]), 0);
    expectClose([q4.crossEntropyFromProbs(f64(p), f64(y)).item()], [byHand], EXACT);
  });

  it('Q4c: the wrong prediction has the lower loss', () => {
    expect(r.b.ce).toBeLessThan(r.a.ce);
    expect(r.b.accuracy).toBeLessThan(r.a.accuracy);
    expect(r.wrongHasLowerLoss).toBe(true);
  });

  it.each([['(a)', [0.25, 0.25, 0.3, 0.2]], ['(b)', [0, 0, 0.4, 0.6]]])('float64 gradcheck of the probability route at %s', (_, probs) => {
    const p = f64(probs as number[], true);
    const report = gradcheck((p) => q4.crossEntropyFromProbs(p, q4.oneHot(2, 4)), [p], GRADCHECK);
    expect(report.ok).toBe(true);
  });

  it('one row per entry, all agreeing', () => {
    expect(r.rows!.map((row) => [row.id, row.agrees])).toEqual([['001-Q4a', 'yes'], ['001-Q4b', 'yes'], ['001-Q4c', 'yes']]);
    expect(q4.meta.id).toBe('001-Q4');
  });
});

describe('001-Q4g: Adam bias correction', () => {
  const r = q4g.run();
  const rel = (a: number, b: number) => Math.abs(a / b - 1);
  // EXAMS.md: 1/(1 − 0.9ᵗ) at t = 1, 2, 5, 10, 50, 100 and 1/(1 − 0.999ᵗ) at t = 1, 10, 100, 1000, 5000, 10000
  const f1 = [[1, 10], [2, 5.2632], [5, 2.4419], [10, 1.5353], [50, 1.0052], [100, 1.000027]];
  const f2 = [[1, 1000], [10, 100.4508], [100, 10.5033], [1000, 1.5815], [5000, 1.0068], [10000, 1.000045]];

  it('correction factors measured from the steps (1e-4 relative), and the EMA shortfall g/m_t, g²/v_t', () => {
    for (const [t, v] of f1) {
      expect(rel(r.factor1[t - 1], v), `1/(1 − β₁^${t})`).toBeLessThanOrEqual(1e-4);
      expect(rel(r.shortfall1[t - 1], v), `g/m_${t}`).toBeLessThanOrEqual(1e-4);
    }
    for (const [t, v] of f2) {
      expect(rel(r.factor2[t - 1], v), `1/(1 − β₂^${t})`).toBeLessThanOrEqual(1e-4);
      expect(rel(r.shortfall2[t - 1], v), `g²/v_${t}`).toBeLessThanOrEqual(1e-4);
    }
    // and the formula itself at every step measured
    const worst = Math.max(...r.factor1.map((f, i) => rel(f, 1 / (1 - 0.9 ** (i + 1)))));
    expect(worst).toBeLessThan(1e-9);
  });

  it('the factors first drop below 1.01 at t = 44 (β₁) and t = 4613 (β₂), and decrease towards 1', () => {
    expect(r.vanish1).toBe(44);
    expect(r.vanish2).toBe(4613);
    for (const fs of [r.factor1, r.factor2]) {
      const rises = fs.filter((f, i) => i > 0 && !(f < fs[i - 1])).length;
      expect(rises).toBe(0);
      expect(fs[fs.length - 1]).toBeGreaterThan(1);
    }
  });

  it('constant gradient: m̂_t = g (1e-12), m_1 = 0.05, m_2 = 0.095, and the first step is lr', () => {
    r.mHat.forEach((m) => expect(Math.abs(m - 0.5)).toBeLessThanOrEqual(1e-12));
    expectClose(r.m, [0.05, 0.095], 1e-12);
    // |Δθ₁| = lr·g/(|g| + ε) = lr·(1 − 2e-8)
    r.correctedSteps.forEach((s) => expect(Math.abs(s - 1)).toBeLessThanOrEqual(1e-6));
  });

  it('uncorrected early steps are larger: 3.1623, 4.2496, 4.9502 × lr', () => {
    expectClose(r.uncorrectedSteps, [3.1623, 4.2496, 4.9502], DP4);
  });

  it('erratum status with the three transcription errata of EXAMS.md: the moment updates, the exponent t, what "large t" is', () => {
    expect(r.agrees).toBe('erratum');
    expect(erratumLines(r.lines)).toBe(3);
    const errata = r.lines.filter((l) => l.startsWith('erratum:'));
    expect(errata[0]).toMatch(/m ← β₁m \+ \(1 − β₁\)g and v ← β₂v \+ \(1 − β₂\)g²/);
    expect(errata[1]).toMatch(/the exponent is t: 1\/\(1 − β₁ᵗ\), 1\/\(1 − β₂ᵗ\)/);
    // EXAMS.md: the factors first drop below 1.01 at t = 44 (β₁ = 0.9) and t = 4613 (β₂ = 0.999)
    expect(errata[2]).toMatch(/t ≳ 44 for β₁ = 0\.9 but t ≳ 4613 for β₂ = 0\.999/);
  });
});

describe('001-Q5a: label smoothing', () => {
  const r = q5a.run();
  const eps = q5a.inputs.epsilon;

  it('targets ε/(k − 1) and 1 − ε: (0.0333, 0.0333, 0.9, 0.0333)', () => {
    expectClose(r.ySmooth, [eps / 3, eps / 3, 1 - eps, eps / 3], EXACT);
    expectClose(r.ySmooth, [0.0333, 0.0333, 0.9, 0.0333], DP4);
  });

  it('gradient = softmax(z) − y_smooth, and gradcheck of the smoothed loss in float64', () => {
    expect(r.gradientIdentityError).toBeLessThan(1e-12);
    const z = randn([4], { dtype: 'float64', requiresGrad: true, generator: new Generator(5) });
    const report = gradcheck((z) => q5a.smoothedLoss(z), [z], GRADCHECK);
    expect(report.ok).toBe(true);
  });

  it('free logits converge to the finite gap ln 27 = 3.2958 (± 1e-3), CE = H(y_smooth) = 0.4349', () => {
    for (const c of r.smoothed) {
      expect(Math.abs(c.gap - 3.2958)).toBeLessThanOrEqual(1e-3);
      expect(Math.abs(c.gap - Math.log(27))).toBeLessThanOrEqual(1e-3);
      expectClose([c.loss], [0.434944], DP4);
    }
    expect(r.otherSpread).toBeLessThan(1e-12);
    expectClose(r.smoothedProbs, [eps / 3, eps / 3, 1 - eps, eps / 3], 1e-6);
    // H(y) = −(0.9 ln 0.9 + 3·(ε/3) ln(ε/3))
    expectClose([r.entropy], [-(0.9 * Math.log(0.9) + eps * Math.log(eps / 3))], EXACT);
    expectClose([r.entropy], [0.4349], DP4);
  });

  it('hard targets: the gap keeps growing (5.9728, 8.2916, 11.2896) while CE → 0', () => {
    const [s100, s1000, s20000] = r.hard;
    expect([s100.step, s1000.step, s20000.step]).toEqual([100, 1000, 20000]);
    expect(s1000.gap).toBeGreaterThan(s100.gap);
    expect(s20000.gap).toBeGreaterThan(s1000.gap);
    expectClose(r.hard.map((c) => c.gap), [5.9728, 8.2916, 11.2896], DP4);
    expect(s100.loss).toBeLessThan(8e-3);
    expect(s20000.loss).toBeLessThan(4e-5);
  });

  it("on Problem 4's predictions: 1.2296 for (a), +∞ (not NaN) for (b)", () => {
    expectClose([r.onA, r.onAFromProbs], [1.2296, 1.2296], DP4);
    // −[0.9 ln 0.3 + (ε/3)(2 ln 0.25 + ln 0.2)]
    expectClose([r.onA], [-(0.9 * Math.log(0.3) + (eps / 3) * (2 * Math.log(0.25) + Math.log(0.2)))], EXACT);
    expect(r.onB).toBe(Infinity);
  });

  it('the document leaves it unanswered', () => {
    expect(r.agrees).toBe('no answer given');
  });
});
