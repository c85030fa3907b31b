/**
 * Seed 003 (RMIT COSC2779 Week 4 tutorial), Part A: 003-Q1, Q4, Q5, Q6, Q7. Expected values are EXAMS.md §2's
 * (typed in from the spec) or formulas worked in plain JS here; tolerances are §0's.
 */
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, batchNorm, dropout, gradcheck, nn, tensor } from '../../../src/index.js';
import * as q1 from '../../../examples/exams/003-q1-backprop-step.js';
import * as q4 from '../../../examples/exams/003-q4-saturation.js';
import * as q5 from '../../../examples/exams/003-q5-batchnorm-bias.js';
import * as q6 from '../../../examples/exams/003-q6-dropout.js';
import * as q7 from '../../../examples/exams/003-q7-weight-decay.js';
import { expectErrata } from './errata.js';

const f64 = (v: number[] | number[][], requiresGrad = false) => tensor(v, { dtype: 'float64', requiresGrad });

function expectAll(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `index ${i}: ${v} vs ${expected[i]}`).toBeLessThanOrEqual(tol));
}

/** §0: central differences with h = 1e-6, absolute error ≤ 1e-6 or relative error ≤ 1e-5 on every input. */
function expectGradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const report = gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-5, raiseOnFailure: false });
  expect(report.failures).toEqual([]);
  expect(report.ok).toBe(true);
  for (const r of report.inputs) expect(r.maxAbsError <= 1e-6 || r.maxRelError <= 1e-5).toBe(true);
}

describe('003-Q1: backprop and a GD step in the reconstructed 2-3-1 ReLU net', () => {
  const r = q1.run();
  // The solution's 13 derivatives (EXAMS.md 003-Q1, "Stated derivatives").
  const stated = {
    outputWeight: [24, 0, 30], outputBias: 6,
    hiddenWeight: [[-6, -12], [0, 0], [12, 24]], hiddenBias: [-6, 0, 12],
  };

  it('meta, status and the reading line', () => {
    expect(q1.meta.id).toBe('003-Q1');
    expect(r.agrees).toBe('erratum');
    expect(r.lines.some((l) => l.startsWith('reading'))).toBe(true);
    // §4.17: "+ 0.1 ∂L/∂w" must be "− 0.1 ∂L/∂w"; the loss has no ½; the two steps give 866.71 and 3499.91
    expectErrata(r.lines, [[/\+\s*0\.1\s*·?\s*∂L\/∂w/, /←\s*w_?j?\s*−\s*0\.1\s*·?\s*∂L\/∂w/, /no ½/, /\b9\b.*866\.71/, /3499\.91/]]);
  });

  it('forward: z = (4, −3, 5), h = (4, 0, 5), ŷ = 6, L = (6 − 3)² = 9', () => {
    expectAll(r.z, [4, -3, 5], 1e-9);
    expectAll(r.h, [4, 0, 5], 1e-9);
    expect(Math.abs(r.yhat - 6)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.loss - 9)).toBeLessThanOrEqual(1e-9);
  });

  it('every one of the 13 gradients equals the stated value', () => {
    expectAll(r.grads.outputWeight, stated.outputWeight, 1e-9);
    expect(Math.abs(r.grads.outputBias - stated.outputBias)).toBeLessThanOrEqual(1e-9);
    expectAll(r.grads.hiddenWeight.flat(), stated.hiddenWeight.flat(), 1e-9);
    expectAll(r.grads.hiddenBias, stated.hiddenBias, 1e-9);
    expect(r.matchesDocument).toBe(true);
    // Σg² = 24² + 30² + 6² + 6² + 12² + 6² + 12² + 24² + 12² = 2592
    expect(Math.abs(r.sumSquaredGrads - 2592)).toBeLessThanOrEqual(1e-9);
  });

  it('under ½(ŷ − y)² every gradient halves (24 → 12): this pins the convention to (ŷ − y)²', () => {
    expectAll(r.halfGrads.outputWeight, stated.outputWeight.map((g) => g / 2), 1e-9);
    expect(Math.abs(r.halfGrads.outputBias - 3)).toBeLessThanOrEqual(1e-9);
    expectAll(r.halfGrads.hiddenWeight.flat(), stated.hiddenWeight.flat().map((g) => g / 2), 1e-9);
    expectAll(r.halfGrads.hiddenBias, stated.hiddenBias.map((g) => g / 2), 1e-9);
  });

  it('SGD(lr 0.1).step() gives the listed parameters', () => {
    expectAll(r.after.outputWeight, [-3.4, 1, -1.0], 1e-9);
    expect(Math.abs(r.after.outputBias + 0.6)).toBeLessThanOrEqual(1e-9);
    expectAll(r.after.hiddenWeight.flat(), [2.6, 2.2, -1, -1, -0.2, -0.4], 1e-9);
    expectAll(r.after.hiddenBias, [0.6, 0, -1.2], 1e-9);
  });

  it('the loss after the step: 866.7136 at lr 0.1, 1.4171 at lr 0.01, 6.6013 at lr 0.001; the "+" rule gives 3499.9056', () => {
    expectAll(r.after.z, [7.6, -3, -2.2], 1e-9);
    expect(Math.abs(r.after.yhat + 26.44)).toBeLessThanOrEqual(1e-9);
    // ŷ = −3.4·7.6 + 1·0 − 1.0·0 − 0.6 = −26.44; L = (−29.44)² = 866.7136 exactly
    expect(Math.abs(r.after.loss - 866.7136)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.lossAfterLr['0.01'] - 1.4171)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.lossAfterLr['0.001'] - 6.6013)).toBeLessThanOrEqual(1e-4);
    expectAll(r.documentRule.z, [0.4, -3, 12.2], 1e-9);
    expect(Math.abs(r.documentRule.yhat - 62.16)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.documentRule.loss - 3499.9056)).toBeLessThanOrEqual(1e-4);
  });

  it('gradcheck of the network (float64) at the reconstructed weights', () => {
    const x = f64([[1, 2]]);
    const y = f64([[3]]);
    expectGradcheck(
      (w1, b1, w2, b2) => nn.mseLoss(nn.linear(nn.linear(x, w1, b1).relu(), w2, b2), y, { reduction: 'sum' }),
      [f64([[2, 1], [-1, -1], [1, 2]], true), f64([0, 0, 0], true), f64([[-1, 1, 2]], true), f64([0], true)],
    );
  });
});

describe('003-Q4: sigmoid saturation and tanh(z) = 2σ(2z) − 1', () => {
  const r = q4.run();
  const sigma = (z: number) => 1 / (1 + Math.exp(-z));

  it('meta and status', () => {
    expect(q4.meta.id).toBe('003-Q4');
    expect(r.agrees).toBe('yes');
  });

  it('the derivative values of EXAMS.md (rel 1e-3), and the closed forms σ(1 − σ), 1 − tanh² (1e-12)', () => {
    expect(q4.POINTS).toEqual([0, 1, 2, 5, 10]);
    const sigmoidSpec = [0.25, 0.1966, 0.1050, 6.648e-3, 4.540e-5];
    const tanhSpec = [1.0, 0.4200, 0.0707, 1.816e-4, 8.245e-9];
    r.sigmoidPrime.forEach((v, i) => expect(Math.abs(v - sigmoidSpec[i]) / sigmoidSpec[i]).toBeLessThanOrEqual(1e-3));
    r.tanhPrime.forEach((v, i) => expect(Math.abs(v - tanhSpec[i]) / tanhSpec[i]).toBeLessThanOrEqual(1e-3));
    expectAll(r.sigmoidPrime, q4.POINTS.map((z) => sigma(z) * (1 - sigma(z))), 1e-12);
    expectAll(r.tanhPrime, q4.POINTS.map((z) => 1 - Math.tanh(z) ** 2), 1e-12);
  });

  it('the identity holds to 1e-12, and so does tanh\'(z) = 4σ\'(2z)', () => {
    expect(r.identityMaxError).toBeLessThanOrEqual(1e-12);
    expect(r.derivativeIdentityMaxError).toBeLessThanOrEqual(1e-12);
  });

  it('saturation: σ\'(10) < 1e-4 and tanh\'(10) < 1e-7; tanh\'(0) = 4σ\'(0) = 1', () => {
    expect(r.sigmoidPrime[4]).toBeLessThan(1e-4);
    expect(r.tanhPrime[4]).toBeLessThan(1e-7);
    expect(Math.abs(r.tanhPrime[0] - 1)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(4 * r.sigmoidPrime[0] - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('stable sigmoid at z = ±40: finite values and derivatives, and gradcheck passes', () => {
    const all = [...r.extremes.sigmoid, ...r.extremes.sigmoidPrime];
    expect(all.every(Number.isFinite)).toBe(true);
    // σ(−40) = e^−40/(1 + e^−40); σ'(−40) = σ(−40)(1 − σ(−40))
    const s = Math.exp(-40) / (1 + Math.exp(-40));
    expect(Math.abs(r.extremes.sigmoid[0] - s) / s).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.extremes.sigmoidPrime[0] - s * (1 - s)) / s).toBeLessThanOrEqual(1e-12);
    expect(r.extremes.sigmoid[3]).toBe(1);
    expect(r.extremes.gradcheckMaxAbsError).toBeLessThanOrEqual(1e-6);
    expectGradcheck((z) => z.tanh(), [f64([-10, -2, 0.5, 5], true)]);
  });

  it('tanh is centred at 0, σ at 0.5', () => {
    expect(r.centres.sigmoidAt0).toBe(0.5);
    expect(r.centres.tanhAt0).toBe(0);
    // σ(z) + σ(−z) = 1 and tanh is odd, so their means over a symmetric grid are 0.5 and 0
    expect(Math.abs(r.centres.sigmoidMean - 0.5)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.centres.tanhMean)).toBeLessThanOrEqual(1e-12);
  });
});

describe('003-Q5: batch norm after an affine layer cancels its bias', () => {
  const r = q5.run();
  const [zero, shifted] = r.cases;

  it('meta, status and the typo erratum', () => {
    expect(q5.meta.id).toBe('003-Q5');
    expect(r.agrees).toBe('yes');
    expectErrata(r.lines, [[/"no affect"/, /no effect/]]); // §4.19
  });

  it('the pre-activations, batch means and variances of EXAMS.md', () => {
    expectAll(zero.z.flat(), [-0.10, 0.90, 0.35, -0.35, -0.45, -0.15, 0.40, 0.60], 1e-9);
    expectAll(zero.batchMean, [0.05, 0.25], 1e-9);
    expectAll(shifted.batchMean, [5.05, -2.75], 1e-9);
    expectAll(zero.batchVariance, [0.12125, 0.26625], 1e-9);
    expectAll(shifted.batchVariance, [0.12125, 0.26625], 1e-9);
  });

  it('the outputs for b = 0 and b = (5, −3) agree to 1e-12, and ∂L/∂b = 0', () => {
    expect(r.outputDifference).toBeLessThanOrEqual(1e-12);
    for (const c of r.cases) for (const g of c.biasGrad) expect(Math.abs(g)).toBeLessThanOrEqual(1e-12);
    expectAll(shifted.weightGrad.flat(), zero.weightGrad.flat(), 1e-12);
  });

  it('the BN outputs (1e-4) and L = −1.230614 (1e-6) in both cases', () => {
    const expected = [-0.4308, 1.2597, 0.8615, -1.1628, -1.4359, -0.7752, 1.0051, 0.6783];
    for (const c of r.cases) {
      expectAll(c.out.flat(), expected, 1e-4);
      expect(Math.abs(c.loss + 1.230614)).toBeLessThanOrEqual(1e-6);
    }
  });

  it('per-feature output mean 0 and variance 1/(1 + ε/var) (≈ 0.99992 for feature 1)', () => {
    expectAll(zero.outMean, [0, 0], 1e-12);
    expectAll(zero.outVariance, [0.12125, 0.26625].map((v) => 1 / (1 + q5.EPS / v)), 1e-9);
    expect(Math.abs(zero.outVariance[0] - 0.99992)).toBeLessThanOrEqual(1e-4);
  });

  it('in eval mode the bias matters until the running mean has tracked it', () => {
    // momentum 0.1 from a zero running mean: 0.1 × the batch mean
    expectAll(zero.runningMean, [0.005, 0.025], 1e-12);
    expectAll(shifted.runningMean, [0.505, -0.275], 1e-12);
    expect(r.evalDifference).toBeGreaterThan(1);
  });

  it('gradcheck of Dense + BatchNorm (training mode) + the weighted sum, float64', () => {
    const c = f64(q5.C);
    expectGradcheck(
      (x, w, b, gamma, beta) => batchNorm(nn.linear(x, w, b), null, null, gamma, beta, { training: true, eps: q5.EPS }).mul(c).sum(),
      [f64(q5.X, true), f64(q5.W, true), f64([5, -3], true), f64([1, 1], true), f64([0, 0], true)],
    );
  });
});

describe('003-Q6: dropout as a regulariser', () => {
  const r = q6.run();

  it('meta and status', () => {
    expect(q6.meta.id).toBe('003-Q6');
    expect(r.agrees).toBe('yes');
  });

  it('2^H sub-networks: all 16 masks of H = 4 appear; H = 50 gives 1,125,899,906,842,624', () => {
    expect(r.subnetworks.h4Distinct).toBe(16);
    expect(r.subnetworks.h50).toBe(1125899906842624);
  });

  it('the mean of 1e6 mask values × 1/(1 − p) is within 0.005 of 1; eval mode is the identity', () => {
    expect(r.maskSamples).toBe(1e6);
    expect(Math.abs(r.maskMean - 1)).toBeLessThan(0.005);
    expect(r.evalIdentity).toBe(true);
    const a = f64([1.5, -2, 0.25]);
    expect(new nn.Dropout(0.5).eval().forward(a).toArray()).toEqual([1.5, -2, 0.25]);
  });

  it('survivor counts follow Binomial(H, 1 − p): mean within 3σ', () => {
    const { h, masks, mean, variance } = r.survivors;
    const m = h * (1 - q6.P);
    const v = h * q6.P * (1 - q6.P);
    expect(Math.abs(mean - m)).toBeLessThanOrEqual(3 * Math.sqrt(v / masks));
    // the sample variance of 2000 counts is within 15% of Hp(1 − p) (its relative sd is about √(2/1999) ≈ 3%)
    expect(Math.abs(variance - v) / v).toBeLessThan(0.15);
  });

  // Plain-JS reference on the same data: G = XᵀX/N, c = Xᵀy/N, and the 2×2 solves.
  const { x, y } = q6.makeData(new Generator(q6.DATA_SEED));
  const X = x.toArray() as number[][];
  const Y = (y.toArray() as number[][]).map((row) => row[0]);
  const n = X.length;
  const G = [[0, 0], [0, 0]];
  const c = [0, 0];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 2; j++) {
      c[j] += (X[i][j] * Y[i]) / n;
      for (let k = 0; k < 2; k++) G[j][k] += (X[i][j] * X[i][k]) / n;
    }
  }
  const solve = (a: number[][], b: number[]) => {
    // eliminate the first unknown from the second row
    const m = a[1][0] / a[0][0];
    const w1 = (b[1] - m * b[0]) / (a[1][1] - m * a[0][1]);
    return [(b[0] - a[0][1] * w1) / a[0][0], w1];
  };
  const q = 1 - q6.P;
  const ratio = (1 - q) / q;

  it('E_m[(y − wᵀ(m⊙x)/q)²] = (y − wᵀx)² + ((1−q)/q)Σ w_j² x_j² (1e-12), matching a plain-JS evaluation', () => {
    const w = [0.8, -0.3];
    let formula = 0;
    for (let i = 0; i < n; i++) {
      const residual = Y[i] - (w[0] * X[i][0] + w[1] * X[i][1]);
      formula += (residual ** 2 + ratio * (w[0] ** 2 * X[i][0] ** 2 + w[1] ** 2 * X[i][1] ** 2)) / n;
    }
    expect(Math.abs(r.penaltyIdentity.expectedLoss - r.penaltyIdentity.formula)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.penaltyIdentity.formula - formula)).toBeLessThanOrEqual(1e-12);
  });

  it('OLS and the closed form (G + ((1−q)/q) diag G)⁻¹c agree with the reference; dropout-SGD finds the closed form', () => {
    const ols = solve(G, c);
    const closed = solve([[G[0][0] * (1 + ratio), G[0][1]], [G[1][0], G[1][1] * (1 + ratio)]], c);
    expectAll(r.wOls, ols, 1e-9);
    expectAll(r.wClosed, closed, 1e-9);
    // the data follow y = x₁ − 0.5x₂: OLS is near (1, −0.5), and q = 0.5 roughly halves it
    expect(Math.abs(ols[0] - 1)).toBeLessThan(0.1);
    expect(Math.abs(ols[1] + 0.5)).toBeLessThan(0.1);
    expect(r.wDropout).toHaveLength(2);
    for (const w of r.wDropout) {
      expectAll(w, closed, 0.01);
      expect(Math.hypot(...w)).toBeLessThan(Math.hypot(...ols));
    }
  });

  it('gradcheck of the dropout linear model with a fixed (seeded) mask, float64', () => {
    expectGradcheck(
      (w) => nn.mseLoss(dropout(x, { p: q6.P, generator: new Generator(3) }).matmul(w), y),
      [f64([[0.8], [-0.3]], true)],
    );
  });
});

describe('003-Q7: L2 regularisation ≡ weight decay for SGD', () => {
  const r = q7.run();

  it('meta, status and the erratum', () => {
    expect(q7.meta.id).toBe('003-Q7');
    expect(r.agrees).toBe('erratum');
    // §4.18: (1 − αλ)w − ∂L/∂w must be (1 − αλ)w − α ∂L/∂w; with a λ‖w‖² penalty the factor is 1 − 2αλ
    expectErrata(r.lines, [[/\(1 − αλ\)w − ∂L\/∂w/, /\(1 − αλ\)w − α ?∂L\/∂w/, /\(λ\/2\)‖w‖²/, /1 − 2αλ/]]);
  });

  it('an SGD step with the (λ/2)‖w‖² penalty equals one with weightDecay = λ: (1.948, −1.029)', () => {
    expectAll(r.penaltyStep, r.weightDecayStep, 1e-12);
    // (1 − 0.1·0.01)·(2, −1) − 0.1·(0.5, 0.3) = (1.998 − 0.05, −0.999 − 0.03)
    expectAll(r.penaltyStep, [1.948, -1.029], 1e-12);
    expectAll(r.decoupled, [1.948, -1.029], 1e-12);
  });

  it('the document\'s formula gives (1.498, −1.299); the λ‖w‖² penalty gives (1.946, −1.028)', () => {
    expectAll(r.documentFormula, [1.498, -1.299], 1e-12);
    expectAll(r.fullPenaltyStep, [1.946, -1.028], 1e-12);
  });

  it('after 100 random steps the penalty and weightDecay paths still agree (1e-10)', () => {
    expect(r.randomPaths.maxDifference).toBeLessThanOrEqual(1e-10);
    // and they did move: least-squares steps from (2, −1) do not leave w in place
    expect(Math.abs(r.randomPaths.penalty[0] - 2)).toBeGreaterThan(0.1);
  });

  it('Adam: the penalty equals Adam\'s weightDecay, but AdamW differs (> 1e-6)', () => {
    expectAll(r.adam.l2Penalty, r.adam.weightDecay, 1e-12);
    expect(r.adam.l2VsAdamw).toBeGreaterThan(1e-6);
    // AdamW's first step: w(1 − αλ) − α·sign(∇L) (up to ε) = (1.998 − 0.1, −0.999 − 0.1)
    expectAll(r.adam.adamw, [1.898, -1.099], 1e-6);
    // Adam + L2's first step: w − α·sign(∇L + λw) = (1.9, −1.1)
    expectAll(r.adam.l2Penalty, [1.9, -1.1], 1e-6);
  });
});
