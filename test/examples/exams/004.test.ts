/**
 * Seed 004 (IIT Tirupati CS5223 mid-semester), Part A of EXAMS.md: each example's numbers against the spec's
 * results, with the tolerances of EXAMS.md §0 (4-dp values to 1e-4, exact recomputations to 1e-9), and a float64
 * gradcheck of every example that has a differentiable model.
 */
import { describe, expect, it } from 'vitest';
import { Generator, type Tensor, conv2d, gradcheck, nn, randn, tensor } from '../../../src/index.js';
import { legendreFeatures } from '../../../examples/lib/least-squares.js';
import * as q1q9 from '../../../examples/exams/004-q1-q9-conv-vs-fc.js';
import * as q2 from '../../../examples/exams/004-q2-pooling.js';
import * as q3 from '../../../examples/exams/004-q3-learning-curves.js';
import * as q4 from '../../../examples/exams/004-q4-gd-loops.js';
import * as q6 from '../../../examples/exams/004-q6-sigmoid-neuron.js';
import * as q7 from '../../../examples/exams/004-q7-perceptron.js';
import * as q10 from '../../../examples/exams/004-q10-zero-grad.js';
import { expectErrata } from './errata.js';

const f64 = { dtype: 'float64' } as const;
const erratumLines = (lines: string[]) => lines.filter((l) => l.startsWith('erratum:'));
/** gradcheck with §0's tolerances: central differences h = 1e-6, abs error ≤ 1e-6 or rel error ≤ 1e-5. */
const check = (fn: (...t: Tensor[]) => Tensor, inputs: Tensor[]) => gradcheck(fn, inputs, { eps: 1e-6, atol: 1e-6, rtol: 1e-5 });

describe('004-Q1a, 004-Q1b, 004-Q9: convolution vs fully-connected counts', () => {
  const r = q1q9.run();

  it('004-Q1a: Conv2d(7, 8, 5) on [1, 7, 16, 16] gives [1, 8, 12, 12], 1,408 parameters, 201,600 products', () => {
    expect(r.conv.outputShape).toEqual([1, 8, 12, 12]); // 16 − 5 + 1 = 12
    expect(r.conv.parameters).toBe(1408); // 8·(7·5² + 1)
    expect(r.conv.products).toBe(201600); // 8·12²·7·5²
  });

  it('004-Q1b: Dense(1792 → 1152) has 2,065,536 parameters and 2,064,384 products', () => {
    expect(r.fc.inFeatures).toBe(1792); // 7·16²
    expect(r.fc.outFeatures).toBe(1152); // 8·12²
    expect(r.fc.outputShape).toEqual([1, 1152]);
    expect(r.fc.parameters).toBe(2065536); // 1152·(1792 + 1)
    expect(r.fc.products).toBe(2064384); // 1152·1792
  });

  it('004-Q9: FC needs 10.24× the products and 1467× the parameters; conv does > 100 products per parameter', () => {
    expect(r.productRatio).toBeCloseTo(10.24, 12);
    expect(r.parameterRatio).toBeCloseTo(1467, 12);
    expect(r.convProductsPerParameter).toBeGreaterThan(100);
    expect(r.fcProductsPerParameter).toBeLessThan(1);
  });

  it('reports one row per entry, with the Q9 erratum', () => {
    expect(r.rows!.map((row) => [row.id, row.agrees])).toEqual([['004-Q1a', 'yes'], ['004-Q1b', 'yes'], ['004-Q9', 'erratum']]);
    const errata = erratumLines(r.lines);
    expect(errata).toHaveLength(1);
    expect(errata[0]).toMatch(/computationally more expensive/);
  });

  it('the convolution (5×5 kernel) passes gradcheck in input, weight and bias (float64, small input)', () => {
    const g = new Generator(41);
    const x = randn([1, 1, 6, 6], { ...f64, generator: g, requiresGrad: true });
    const w = randn([1, 1, 5, 5], { ...f64, generator: g, requiresGrad: true });
    const b = randn([1], { ...f64, generator: g, requiresGrad: true });
    expect(check((xx, ww, bb) => conv2d(xx, ww, bb), [x, w, b]).ok).toBe(true);
  });
});

describe('004-Q2: pooling', () => {
  const r = q2.run();

  it('max and average pooling 2×2 / stride 2 of A', () => {
    expect(r.maxOut).toEqual([[6, 5], [7, 9]]);
    expect(r.avgOut).toEqual([[3.5, 2.0], [2.5, 6.0]]);
  });

  it('backward of sum(maxpool) is 1 at the maxima (1,1), (1,2), (2,0), (2,2); of sum(avgpool) 0.25 everywhere', () => {
    const mask = [[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]];
    for (const [i, j] of [[1, 1], [1, 2], [2, 0], [2, 2]]) mask[i][j] = 1;
    expect(r.maxGrad).toEqual(mask);
    expect(r.avgGrad).toEqual(Array.from({ length: 4 }, () => [0.25, 0.25, 0.25, 0.25]));
  });

  it('pooling has no parameters and max pooling discards 3 of 4 values', () => {
    expect(r.maxParameters).toBe(0);
    expect(r.avgParameters).toBe(0);
    expect(r.discardedShare).toBe(0.75);
  });

  it('pooling a 2-channel stack equals pooling each channel separately', () => {
    expect(r.twoChannelShape).toEqual([1, 2, 2, 2]);
    expect(r.channelMismatch).toBeLessThanOrEqual(1e-12);
  });

  it('both pools pass gradcheck on A (float64)', () => {
    const a = tensor([[r.input]], { ...f64, requiresGrad: true });
    expect(check((x) => new nn.MaxPool2d(2, { stride: 2 }).forward(x), [a]).ok).toBe(true);
    expect(check((x) => new nn.AvgPool2d(2, { stride: 2 }).forward(x), [a]).ok).toBe(true);
  });

  it('agrees with the document', () => {
    expect(r.agrees).toBe('yes');
    expect(erratumLines(r.lines)).toHaveLength(0);
  });
});

describe('004-Q3: learning curves vs model complexity', () => {
  const r = q3.run();
  const best = r.valMse[r.bestDegree];

  it('fits degrees 0..12 on 15 training points and 500 validation points', () => {
    expect(r.degrees).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.trainX).toHaveLength(15);
    expect(r.nVal).toBe(500);
  });

  it('training MSE is non-increasing in the degree (tol 1e-9), on every seed 0..9', () => {
    for (let d = 1; d < r.trainMse.length; d++) expect(r.trainMse[d]).toBeLessThanOrEqual(r.trainMse[d - 1] + 1e-9);
    for (const s of r.seeds) {
      for (let d = 1; d < s.trainMse.length; d++) expect(s.trainMse[d]).toBeLessThanOrEqual(s.trainMse[d - 1] + 1e-9);
    }
  });

  it('validation MSE is U-shaped: interior argmin, val(12) > 100·val(best), val(0) > 3·val(best)', () => {
    expect(r.bestDegree).toBeGreaterThanOrEqual(1);
    expect(r.bestDegree).toBeLessThanOrEqual(11);
    expect(best).toBe(Math.min(...r.valMse));
    expect(r.valMse[12]).toBeGreaterThan(100 * best);
    expect(r.valMse[0]).toBeGreaterThan(3 * best);
  });

  it('the reported training MSE is the mean squared residual of the fitted polynomial (plain-JS Legendre recurrence)', () => {
    const legendre = (x: number, d: number) => {
      const p = [1, x];
      for (let k = 1; k < d; k++) p.push(((2 * k + 1) * x * p[k] - k * p[k - 1]) / (k + 1));
      return p.slice(0, d + 1);
    };
    for (const d of [0, 3, 7]) {
      const w = r.weights[d];
      const mse = r.trainX.reduce((acc, x, i) => {
        const fit = legendre(x, d).reduce((s, p, k) => s + p * w[k], 0);
        return acc + (fit - r.trainY[i]) ** 2;
      }, 0) / r.trainX.length;
      expect(Math.abs(mse - r.trainMse[d])).toBeLessThanOrEqual(1e-9);
    }
  });

  it('each fit is the least-squares optimum: the backward() gradient of the training MSE vanishes; gradcheck passes', () => {
    const X = legendreFeatures(r.trainX, 3);
    const y = tensor(r.trainY, f64).reshape([15, 1]);
    const w = tensor([r.weights[3]], { ...f64, requiresGrad: true });
    const mse = (ww: Tensor) => nn.mseLoss(X.matmul(ww.T), y);
    mse(w).backward();
    for (const g of w.grad!.data) expect(Math.abs(g)).toBeLessThanOrEqual(1e-9);
    expect(check(mse, [tensor([r.weights[3]], { ...f64, requiresGrad: true })]).ok).toBe(true);
  });

  it('has no document answer (figure missing)', () => {
    expect(r.agrees).toBe('no answer given');
  });
});

describe('004-Q4: SGD, full-batch and mini-batch loops', () => {
  const r = q4.run();

  it('updates per epoch: N for SGD, 1 for full batch, ⌈N/B⌉ for mini-batch; B = 50 gives 2', () => {
    expect(r.sgd.stepsPerEpoch).toEqual(Array(20).fill(100));
    expect(r.full.stepsPerEpoch).toEqual(Array(20).fill(1));
    expect(r.mini.stepsPerEpoch).toEqual(Array(20).fill(10));
    expect(r.sgd.batchLosses).toHaveLength(2000);
    expect(r.full.batchLosses).toHaveLength(20);
    expect(r.mini.batchLosses).toHaveLength(200);
    for (const b of r.batchesPerEpoch) {
      expect(b.batches).toBe(Math.ceil(100 / b.batchSize));
      expect(b.dropLastBatches).toBe(Math.floor(100 / b.batchSize));
    }
    expect(r.batchesPerEpoch.find((b) => b.batchSize === 50)!.batches).toBe(2);
  });

  it('the full-batch gradient (mean reduction) is the mean of the per-sample gradients', () => {
    expect(r.meanGradientMismatch).toBeLessThanOrEqual(1e-12);
  });

  it('mini-batch with B = N reproduces full batch (1e-12); with B = 1 it is SGD', () => {
    expect(r.miniBNvsFull).toBeLessThanOrEqual(1e-12);
    expect(r.miniB1EqualsSgd).toBe(true);
  });

  it('shuffling is seeded: same seed bitwise identical, different seeds differ', () => {
    expect(r.sameSeedIdentical).toBe(true);
    expect(r.differentSeedDifference).toBeGreaterThan(1e-6);
  });

  it('lr < 2/L, with L the largest Hessian eigenvalue (checked by a plain-JS power iteration)', () => {
    const { X } = q4.makeData();
    const n = X.shape[0];
    const rows = Array.from({ length: n }, (_, i) => [X.data[2 * i], X.data[2 * i + 1], 1]);
    const H = [0, 1, 2].map((a) => [0, 1, 2].map((b) => (2 / n) * rows.reduce((s, row) => s + row[a] * row[b], 0)));
    let v = [1, 1, 1];
    let lambda = 0;
    for (let k = 0; k < 1000; k++) {
      const hv = H.map((row) => row.reduce((s, h, j) => s + h * v[j], 0));
      lambda = Math.hypot(...hv);
      v = hv.map((e) => e / lambda);
    }
    expect(Math.abs(r.hessianMaxEigenvalue - lambda)).toBeLessThanOrEqual(1e-9);
    expect(r.lr).toBeLessThan(2 / lambda);
  });

  it('full-batch loss is monotone; mini-batch and SGD losses rise at least once', () => {
    expect(r.increases.full.fullData).toBe(0);
    expect(r.increases.full.batch).toBe(0);
    for (let i = 1; i < r.full.fullLosses.length; i++) expect(r.full.fullLosses[i]).toBeLessThan(r.full.fullLosses[i - 1]);
    expect(r.increases.mini.batch).toBeGreaterThanOrEqual(1);
    expect(r.increases.sgd.batch).toBeGreaterThanOrEqual(1);
  });

  it('the regression model passes gradcheck (float64)', () => {
    const { X, y } = q4.makeData();
    const x5 = X.narrow(0, 0, 5);
    const y5 = y.narrow(0, 0, 5);
    const g = new Generator(44);
    const w = randn([1, 2], { ...f64, generator: g, requiresGrad: true });
    const b = randn([1], { ...f64, generator: g, requiresGrad: true });
    expect(check((ww, bb) => nn.mseLoss(nn.linear(x5, ww, bb), y5), [w, b]).ok).toBe(true);
  });
});

describe('004-Q6: one sigmoid neuron with cross-entropy, one update', () => {
  const r = q6.run();
  // By hand: s = 0.1·1 − 0.2·2 + 0.3·(−1) = −0.6; q̂ = σ(s); ∂CE/∂w = (q̂ − p)x; w' = w − η(q̂ − p)x.
  const x = [1, 2, -1];
  const w = [0.1, -0.2, 0.3];
  const sigma = (t: number) => 1 / (1 + Math.exp(-t));
  const q = sigma(-0.6);
  const grad = x.map((xi) => (q - 1) * xi);
  const stepped = w.map((wi, i) => wi - 0.5 * grad[i]);
  const documentW = w.map((wi, i) => wi + 0.5 * grad[i]);
  const ceAt = (ws: number[]) => -Math.log(sigma(ws.reduce((s, wi, i) => s + wi * x[i], 0)));

  it('forward: s = −0.6, q̂ = 0.354344, CE = 1.037488', () => {
    expect(Math.abs(r.before.s + 0.6)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.before.q - 0.354344)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.before.ce - 1.037488)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.before.ce + Math.log(q))).toBeLessThanOrEqual(1e-9);
  });

  it('gradient (−0.645656, −1.291313, 0.645656) = (q̂ − p)x', () => {
    [-0.645656, -1.291313, 0.645656].forEach((v, i) => expect(Math.abs(r.grad[i] - v)).toBeLessThanOrEqual(1e-6));
    grad.forEach((v, i) => expect(Math.abs(r.grad[i] - v)).toBeLessThanOrEqual(1e-9));
  });

  it('the corrected step gives w = (0.422828, 0.445656, −0.022828), q̂ = 0.7920, CE = 0.2332: the loss decreases', () => {
    [0.422828, 0.445656, -0.022828].forEach((v, i) => expect(Math.abs(r.after.w[i] - v)).toBeLessThanOrEqual(1e-6));
    stepped.forEach((v, i) => expect(Math.abs(r.after.w[i] - v)).toBeLessThanOrEqual(1e-9));
    expect(Math.abs(r.after.s - 1.337)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.after.q - 0.792)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.after.ce - 0.2332)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.after.ce - ceAt(stepped))).toBeLessThanOrEqual(1e-9);
    expect(r.after.ce).toBeLessThan(r.before.ce);
  });

  it("the document's step gives w = (−0.222828, −0.845656, 0.622828), q̂ = 0.0733, CE = 2.6131: the loss increases", () => {
    [-0.222828, -0.845656, 0.622828].forEach((v, i) => expect(Math.abs(r.documentStep.w[i] - v)).toBeLessThanOrEqual(1e-6));
    documentW.forEach((v, i) => expect(Math.abs(r.documentStep.w[i] - v)).toBeLessThanOrEqual(1e-9));
    expect(Math.abs(r.documentStep.q - 0.0733)).toBeLessThanOrEqual(1e-4);
    expect(Math.abs(r.documentStep.ce - 2.6131)).toBeLessThanOrEqual(1e-4);
    expect(r.documentStep.ce).toBeGreaterThan(r.before.ce);
  });

  it('bceWithLogits and bce(sigmoid) agree; d log σ(t)/dt = σ(−t) = 0.331812 at 0.7', () => {
    expect(Math.abs(r.ceWithLogits - r.before.ce)).toBeLessThanOrEqual(1e-9);
    expect(Math.abs(r.logSigmoidIdentity.byBackward - 0.331812)).toBeLessThanOrEqual(1e-6);
    expect(Math.abs(r.logSigmoidIdentity.byBackward - sigma(-0.7))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.logSigmoidIdentity.sigmoidOfMinusT - sigma(-0.7))).toBeLessThanOrEqual(1e-12);
  });

  it('the neuron passes gradcheck (float64), in the example and here', () => {
    expect(r.gradcheckMaxAbsError).toBeLessThanOrEqual(1e-6);
    const p = tensor([[1]], f64);
    const report = check(
      (ww, xx) => nn.binaryCrossEntropy(nn.linear(xx, ww).sigmoid(), p),
      [tensor([w], { ...f64, requiresGrad: true }), tensor([x], { ...f64, requiresGrad: true })],
    );
    expect(report.ok).toBe(true);
  });

  it('states the sign erratum', () => {
    expect(r.agrees).toBe('erratum');
    // §4.20: l is the log-likelihood, so w ← w − η ∂l/∂w raises the CE 1.0375 → 2.6131; w ← w − η(q̂ − p)x lowers it to 0.2332
    expectErrata(r.lines, [[/log-likelihood/, /1\.0375 → 2\.6131/, /w ← w − η\(q̂ − p\)x/, /0\.2332/]]);
  });
});

describe('004-Q7: perceptron, 5 epochs', () => {
  const r = q7.run();
  // EXAMS.md 004-Q7: t, x, y, wᵀx, y·wᵀx, update?, w_{t+1}.
  const table: Array<[number, number[], number, number, number, boolean, number[]]> = [
    [1, [1, 1, 1, 1], 1, 0, 0, true, [1, 1, 1, 1]],
    [2, [1, 1, 0, 1], -1, 3, -3, true, [0, 0, 1, 0]],
    [3, [1, 0, 1, 1], -1, 1, -1, true, [-1, 0, 0, -1]],
    [4, [0, 1, 1, 1], -1, -1, 1, false, [-1, 0, 0, -1]],
    [5, [1, 1, 1, 1], 1, -2, -2, true, [0, 1, 1, 0]],
    [6, [1, 1, 0, 1], -1, 1, -1, true, [-1, 0, 1, -1]],
    [7, [1, 0, 1, 1], -1, -1, 1, false, [-1, 0, 1, -1]],
    [8, [0, 1, 1, 1], -1, 0, 0, true, [-1, -1, 0, -2]],
    [9, [1, 1, 1, 1], 1, -4, -4, true, [0, 0, 1, -1]],
    [10, [1, 1, 0, 1], -1, -1, 1, false, [0, 0, 1, -1]],
    [11, [1, 0, 1, 1], -1, 0, 0, true, [-1, 0, 0, -2]],
    [12, [0, 1, 1, 1], -1, -2, 2, false, [-1, 0, 0, -2]],
    [13, [1, 1, 1, 1], 1, -3, -3, true, [0, 1, 1, -1]],
    [14, [1, 1, 0, 1], -1, 0, 0, true, [-1, 0, 1, -2]],
    [15, [1, 0, 1, 1], -1, -2, 2, false, [-1, 0, 1, -2]],
    [16, [0, 1, 1, 1], -1, -1, 1, false, [-1, 0, 1, -2]],
    [17, [1, 1, 1, 1], 1, -2, -2, true, [0, 1, 2, -1]],
    [18, [1, 1, 0, 1], -1, 0, 0, true, [-1, 0, 2, -2]],
    [19, [1, 0, 1, 1], -1, -1, 1, false, [-1, 0, 2, -2]],
    [20, [0, 1, 1, 1], -1, 0, 0, true, [-1, -1, 1, -3]],
  ];

  it('the trace equals the table row by row (exact integers)', () => {
    expect(r.fiveEpochs.trace.map((row) => [row.t, row.x, row.y, row.score, row.margin, row.updated, row.w])).toEqual(table);
    expect(r.documentRowsAgreeing).toBe(20);
  });

  it('updates per epoch are 3, 3, 2, 2, 3 and w₂₀ = (−1, −1, 1, −3), which still misclassifies (1, 1, 1)', () => {
    expect(r.fiveEpochs.updatesPerEpoch).toEqual([3, 3, 2, 2, 3]);
    expect(r.fiveEpochs.w).toEqual([-1, -1, 1, -3]);
    expect(r.correctAfterFive).toEqual([false, true, true, true]);
    expect(r.accuracyAfterFive).toBe(0.75);
  });

  it('runs to convergence: first clean epoch 26, w = (2, 3, 4, −8), 58 updates, the last at t = 98', () => {
    expect(r.converged.firstCleanEpoch).toBe(26);
    expect(r.converged.w).toEqual([2, 3, 4, -8]);
    expect(r.converged.totalUpdates).toBe(58);
    expect(r.converged.lastUpdateT).toBe(98);
    expect(r.converged.margins).toEqual([1, 3, 2, 1]);
    expect(r.converged.updatesPerEpoch).toEqual([3, 3, 2, 2, 3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 2, 2, 2, 3, 2, 2, 3, 2, 2, 2, 0]);
  });

  it('stays within the Novikoff bound (R/γ)² = 148 for the separator (1, 1, 1, −2.5)', () => {
    // R = ‖(1, 1, 1, 1)‖ = 2; every sample has y·uᵀx = 0.5, so γ = 0.5/√9.25 and (R/γ)² = 4·9.25/0.25 = 148.
    expect(r.novikoff.R).toBe(2);
    expect(Math.abs(r.novikoff.gamma - 0.5 / Math.sqrt(9.25))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.novikoff.bound - 148)).toBeLessThanOrEqual(1e-9);
    expect(r.converged.totalUpdates).toBeLessThanOrEqual(r.novikoff.bound);
  });

  it('with a strict y·wᵀx < 0 test, training from w = 0 never updates', () => {
    expect(r.strictUpdates).toBe(0);
  });

  it('agrees with the document and lists its omissions', () => {
    expect(r.agrees).toBe('yes');
    // §4.21: the epoch-5 update count (3) is not stated; after 5 epochs it is unconverged (w₂₀ misclassifies (1, 1, 1)),
    // and it converges in epoch 25 with w = (2, 3, 4, −8)
    expectErrata(r.lines, [
      [/update count of epoch 5 \(3\)/],
      [/unconverged/, /w₂₀ misclassifies \(1, 1, 1\)/, /epoch 25/, /\(2, 3, 4, [-−]8\)/],
    ]);
  });
});

describe('004-Q10: the autograd training loop and zero_grad', () => {
  const r = q10.run();

  it('the 003-Q1 network: ŷ = 6, L = 9, ∂L/∂w₃ = 30', () => {
    expect(r.yHat).toBe(6);
    expect(r.loss).toBe(9);
    expect(Math.abs(r.singleGrad - 30)).toBeLessThanOrEqual(1e-9);
  });

  it('without zeroGrad the gradient accumulates: 2× after two passes (1e-12), 3× after three; zeroGrad resets it', () => {
    expect(Math.abs(r.accumulatedGrad2 - 2 * r.singleGrad)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.accumulatedGrad3 - 3 * r.singleGrad)).toBeLessThanOrEqual(1e-12);
    expect(r.accumulationRatios.length).toBeGreaterThan(0);
    for (const ratio of r.accumulationRatios) expect(Math.abs(ratio - 2)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(r.zeroedGrad - 30)).toBeLessThanOrEqual(1e-9);
  });

  it('one loop iteration at lr 0.01 lowers the loss from 9 to 1.4171', () => {
    expect(Math.abs(r.lossAfterStep - 1.4171)).toBeLessThanOrEqual(1e-4);
  });

  it('the loss decreases over 10 epochs on a toy regression', () => {
    expect(r.epochLosses).toHaveLength(10);
    expect(r.epochLosses[9]).toBeLessThan(r.epochLosses[0]);
    for (let e = 1; e < 10; e++) expect(r.epochLosses[e]).toBeLessThan(r.epochLosses[e - 1]);
  });

  it('the network passes gradcheck (float64) in all 13 parameters', () => {
    const x = tensor([[1, 2]], f64);
    const y = tensor([[3]], f64);
    const params = [
      tensor([[2, 1], [-1, -1], [1, 2]], f64), tensor([0, 0, 0], f64), tensor([[-1, 1, 2]], f64), tensor([0], f64),
    ];
    for (const p of params) p.requiresGrad = true;
    const report = check((w1, b1, w2, b2) => nn.mseLoss(nn.linear(nn.linear(x, w1, b1).relu(), w2, b2), y), params);
    expect(report.ok).toBe(true);
  });

  it('agrees with the document', () => {
    expect(r.agrees).toBe('yes');
    expect(erratumLines(r.lines)).toHaveLength(0);
  });
});
