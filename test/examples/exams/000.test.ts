/**
 * Seed 000 (SYS ENG 6213 midterm), Part A: 000-SA1, SA3, SA7, SA8, LA1, LA2, and the least-squares helper they and
 * 004-Q3 use. Expected numbers are typed in from EXAMS.md §2 (the oracle) or recomputed here in plain JS.
 */
import { describe, expect, it } from 'vitest';
import { Generator, gradcheck, nn, rand, randn, tensor, type Tensor } from '../../../src/index.js';
import { legendreFeatures, leastSquares, solveLinearSystem } from '../../../examples/lib/least-squares.js';
import * as sa1 from '../../../examples/exams/000-sa1-updates-per-epoch.js';
import * as sa3 from '../../../examples/exams/000-sa3-zero-init.js';
import * as sa7 from '../../../examples/exams/000-sa7-sigmoid-backward.js';
import * as sa8 from '../../../examples/exams/000-sa8-learning-curves.js';
import * as la1 from '../../../examples/exams/000-la1-softmax-ce-gradient.js';
import * as la2 from '../../../examples/exams/000-la2-forward-backward.js';
import { expectErrata } from './errata.js';

type Nested = number | Nested[];

/** Every entry of `actual` within `tol` of `expected` (same nesting). */
function expectClose(actual: Nested, expected: Nested, tol: number, path = ''): void {
  if (Array.isArray(expected)) {
    expect(Array.isArray(actual), `${path} is an array`).toBe(true);
    const a = actual as Nested[];
    expect(a.length, `${path}.length`).toBe(expected.length);
    expected.forEach((e, i) => expectClose(a[i], e, tol, `${path}[${i}]`));
    return;
  }
  expect(typeof actual, path).toBe('number');
  expect(Math.abs((actual as number) - expected), `${path}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

const TOL_4DP = 1e-4; // EXAMS.md §0: values quoted to 4 dp
const TOL_EXACT = 1e-9; // EXAMS.md §0: exact recomputations in float64
const GRADCHECK = { eps: 1e-6, atol: 1e-6, rtol: 1e-5 }; // EXAMS.md §0

/** Every Part A id of the file's rows (or meta.id), for the coverage check at the end. */
const modules = [sa1, sa3, sa7, sa8, la1, la2];

describe('examples/lib/least-squares', () => {
  it('legendreFeatures: columns P0..P3 match the closed forms, float64 [n, d+1]', () => {
    const xs = [-1, -0.5, 0, 0.3, 1];
    const X = legendreFeatures(xs, 3);
    expect(X.shape).toEqual([5, 4]);
    expect(X.dtype).toBe('float64');
    // P0 = 1, P1 = x, P2 = (3x² − 1)/2, P3 = (5x³ − 3x)/2
    const want = xs.map((x) => [1, x, (3 * x * x - 1) / 2, (5 * x ** 3 - 3 * x) / 2]);
    expectClose(X.toArray() as number[][], want, 1e-15);
    // P_k(1) = 1 and P_k(−1) = (−1)^k for every k
    const ends = legendreFeatures([1, -1], 12).toArray() as number[][];
    ends[0].forEach((v) => expect(v).toBeCloseTo(1, 12));
    ends[1].forEach((v, k) => expect(v).toBeCloseTo((-1) ** k, 12));
    expect(() => legendreFeatures(xs, -1)).toThrow(RangeError);
    expect(() => legendreFeatures(xs, 1.5)).toThrow(RangeError);
  });

  it('legendreFeatures: degree 0 is the constant column; a tensor input is read flat', () => {
    expect(legendreFeatures(tensor([[0.2, 0.4]]), 0).toArray()).toEqual([[1], [1]]);
  });

  it('solveLinearSystem needs pivoting on a zero leading entry and solves exactly', () => {
    // [[0, 2, 1], [1, 1, 0], [2, 0, 3]]·(1, 2, 3) = (7, 3, 11)
    const A = [[0, 2, 1], [1, 1, 0], [2, 0, 3]];
    const w = solveLinearSystem(A, [7, 3, 11]);
    expectClose(Array.from(w), [1, 2, 3], 1e-14);
    expect(A[0]).toEqual([0, 2, 1]); // inputs untouched
    expect(() => solveLinearSystem([[1, 2], [2, 4]], [1, 2])).toThrow(RangeError);
    expect(() => solveLinearSystem([[1, 2], [3, 4]], [1])).toThrow(RangeError);
  });

  it('leastSquares recovers an exact polynomial in the Legendre basis', () => {
    const xs = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
    // 2 − 3x + 0.5x³ = 2 − 2.7·P1 + 0.2·P3, since x³ = (2·P3 + 3·P1)/5
    const ys = xs.map((x) => 2 - 3 * x + 0.5 * x ** 3);
    const w = leastSquares(legendreFeatures(xs, 3), ys);
    expect(w.shape).toEqual([4]);
    expect(w.dtype).toBe('float64');
    expectClose(w.toArray() as number[], [2, -2.7, 0, 0.2], 1e-12);
  });

  it('leastSquares with ridge: one column gives Σxy / (Σx² + λ); the first column is unpenalised unless asked', () => {
    const ys = [1, -2, 3];
    const X = tensor([[0.5], [-1], [2]], { dtype: 'float64' });
    const sxy = 0.5 * 1 + 2 + 6; // 8.5
    const sxx = 0.25 + 1 + 4; // 5.25
    expect(leastSquares(X, ys, { ridge: 2, penalizeFirst: true }).item()).toBeCloseTo(sxy / (sxx + 2), 14);
    expect(leastSquares(X, ys, { ridge: 2 }).item()).toBeCloseTo(sxy / sxx, 14);
    expect(() => leastSquares(X, [1, 2])).toThrow(RangeError);
    expect(() => leastSquares(X, ys, { ridge: -1 })).toThrow(RangeError);
  });

  it('leastSquares satisfies the normal equations on noisy data (checked in plain JS)', () => {
    const g = new Generator(3);
    const x = rand([30], { dtype: 'float64', generator: g }).mul(2).sub(1);
    const y = randn([30], { dtype: 'float64', generator: g });
    const X = legendreFeatures(x, 5);
    const lambda = 0.1;
    const w = Array.from(leastSquares(X, y, { ridge: lambda }).data);
    const rows = X.toArray() as number[][];
    const yv = Array.from(y.data);
    // Xᵀ(Xw − y) + λ·w (w_0 unpenalised) = 0
    const r = rows.map((row, i) => row.reduce((s, v, j) => s + v * w[j], 0) - yv[i]);
    for (let j = 0; j < 6; j++) {
      const g0 = rows.reduce((s, row, i) => s + row[j] * r[i], 0) + (j === 0 ? 0 : lambda * w[j]);
      expect(Math.abs(g0)).toBeLessThan(1e-10);
    }
  });
});

describe('000-SA1: updates per epoch', () => {
  const r = sa1.run();

  it('optimizer.step() calls per epoch = ⌈N/B⌉: GD 1, SGD 100, mini-batch(5) 20, (100, 50) 2, (10, 3) 4', () => {
    for (const c of [r.gd, r.sgd, r.miniBatch, r.half, r.small]) {
      expect(c.steps).toBe(Math.ceil(c.n / c.batchSize));
      expect(c.loaderLength).toBe(c.steps);
    }
    expect([r.gd.steps, r.sgd.steps, r.miniBatch.steps]).toEqual([1, 100, 20]);
    expect(r.small.batchSizes).toEqual([3, 3, 3, 1]);
  });

  it('dropLast leaves out the partial batch: 3 updates for N = 10, B = 3', () => {
    expect(r.smallDropLast.steps).toBe(Math.floor(10 / 3));
    expect(r.smallDropLast.batchSizes).toEqual([3, 3, 3]);
    expect(new Set(r.smallDropLast.visited).size).toBe(9);
  });

  it('each epoch visits the multiset {0..N−1}', () => {
    for (const c of [r.gd, r.sgd, r.miniBatch, r.half, r.small]) {
      expect([...c.visited].sort((a, b) => a - b)).toEqual(Array.from({ length: c.n }, (_, i) => i));
    }
    // and shuffled, not in order (SGD over 100 samples)
    expect(r.sgd.visited).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('the same seed gives the same permutation; another seed or the next epoch another', () => {
    expect(r.sameSeedSameOrder).toBe(true);
    expect(r.otherSeedOtherOrder).toBe(true);
    expect(r.nextEpochNewOrder).toBe(true);
    expect(sa1.passOrder(20, new Generator(5))).toEqual(sa1.passOrder(20, new Generator(5)));
  });

  it('the worked answer carries the erratum (§4.3: backprop computes the gradient, GD applies it)', () => {
    expectErrata(r.lines, [[/backpropagation/, /backprop computes/, /gradient descent is the update/]]);
    expect(r.agrees).toBe('yes');
  });
});

describe('000-SA3: zero initialisation', () => {
  const r = sa3.run();
  const { y } = sa3.makeData();
  const ys = Array.from(y.data);
  const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
  const varY = ys.reduce((s, v) => s + (v - mean) ** 2, 0) / ys.length; // population variance, plain JS

  it('the data are y = sin(2x₁) + x₂² on 16 points of [−1, 1]²', () => {
    const { x } = sa3.makeData();
    const xs = x.toArray() as number[][];
    expect(xs).toHaveLength(16);
    xs.forEach(([a, b], i) => {
      expect(Math.abs(a)).toBeLessThanOrEqual(1);
      expect(Math.abs(b)).toBeLessThanOrEqual(1);
      expect(ys[i]).toBeCloseTo(Math.sin(2 * a) + b * b, 12);
    });
    expect(r.varY).toBeCloseTo(varY, 12);
  });

  it('after the first backward pass max|dW1| == 0 for every activation', () => {
    for (const a of ['sigmoid', 'tanh', 'relu'] as const) expect(r.zero[a].firstGradW1).toBe(0);
  });

  it('tanh / ReLU: W1 and W2 stay exactly 0; the loss converges to Var(y)', () => {
    for (const a of ['tanh', 'relu'] as const) {
      const z = r.zero[a];
      expect(z.firstGradW2).toBe(0);
      expect(z.maxW1).toBe(0);
      expect(z.maxW2).toBe(0);
      expect(Math.abs(z.finalLoss - varY)).toBeLessThan(1e-6);
    }
  });

  it('sigmoid: dW2 ≠ 0 with equal entries, W1 moves from step 2, and every row of W1 stays identical', () => {
    const s = r.zero.sigmoid;
    expect(s.firstGradW2).toBeGreaterThan(0);
    expect(s.firstGradW2Spread).toBe(0);
    expect(s.w1AfterStep1).toBe(0);
    expect(s.w1AfterStep2).toBeGreaterThan(0);
    expect(s.rowSpread).toBeLessThanOrEqual(1e-12);
    expect(s.maxW1).toBeGreaterThan(0.1);
    expect(s.finalLoss).toBeLessThan(varY); // it learns something, as one hidden unit
  });

  it('control: He-random init breaks the symmetry and reaches a lower loss', () => {
    expect(r.he.rowSpread).toBeGreaterThan(0.1);
    const zeroLosses = Object.values(r.zero).map((z) => z.finalLoss);
    expect(r.he.finalLoss).toBeLessThan(Math.min(...zeroLosses));
  });

  it('gradcheck of the 2-4-1 network (float64, He-random parameters) for each activation', () => {
    const { x, y: target } = sa3.makeData();
    for (const a of ['sigmoid', 'tanh', 'relu'] as const) {
      const model = sa3.makeModel(a, 'he', 7);
      // He draws only the weights; give the biases values too so their gradients are checked away from 0.
      const params = model.parameters().map((p, i) => (i % 2 === 1 ? p.detach().add(0.1) : p.detach()).requiresGrad_());
      const act = (t: Tensor) => (a === 'sigmoid' ? t.sigmoid() : a === 'tanh' ? t.tanh() : t.relu());
      const report = gradcheck(
        (w1, b1, w2, b2) => nn.mseLoss(nn.linear(act(nn.linear(x, w1, b1)), w2, b2), target),
        params, GRADCHECK,
      );
      expect(report.ok).toBe(true);
    }
  });
});

describe('000-SA7: sigmoid "backward" table', () => {
  const r = sa7.run();
  // EXAMS.md 000-SA7 result (the document's output table, exact for these inputs)
  const table = [[0.0196, 0.0384, 0.0979, 0.1056], [0.0, 0.0979, 0.0099, 0.0736]];

  it('the elementwise s(1 − s) reproduces the table (1e-9)', () => {
    expectClose(r.local, table, TOL_EXACT);
    expectClose(r.local, sa7.S.map((row) => row.map((s) => s * (1 - s))), 1e-15);
    expect(r.maxAbsDiffFromDocument).toBeLessThan(TOL_EXACT);
  });

  it('σ(z).backward(ones) at z = logit(s) gives the table (1e-6); s = 1.00 uses z = 40', () => {
    expectClose(r.viaBackward, table, 1e-6);
    expect(r.logits[1][0]).toBe(40);
    expect(r.logits[0][0]).toBeCloseTo(Math.log(0.98 / 0.02), 12);
  });

  it('a real backward multiplies the upstream gradient in', () => {
    const want = r.upstream.map((row, i) => row.map((u, j) => u * sa7.S[i][j] * (1 - sa7.S[i][j])));
    expectClose(r.chained, want, 1e-6);
  });

  it('max σ′(z) = 0.25 at z = 0; every table value ≤ 0.1056; ReLU′ = 1 where z > 0', () => {
    expect(Math.abs(r.maxSigmoidGrad - 0.25)).toBeLessThan(1e-12);
    expect(r.argmaxZ).toBe(0);
    expect(Math.max(...r.local.flat())).toBeLessThanOrEqual(0.1056 + 1e-12);
    expectClose(r.reluGrad, r.logits.map((row) => row.map((z) => (z > 0 ? 1 : 0))), 0);
  });

  it('gradcheck of sigmoid at the table logits (capped at ±10 so the numerical differences resolve)', () => {
    const z = tensor(r.logits.map((row) => row.map((v) => Math.max(-10, Math.min(10, v)))), { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => t.sigmoid(), [z], GRADCHECK).ok).toBe(true);
  });

  it('three errata lines (§4.2): grad is s; s(1 − s) without the upstream gradient; σ′ ≤ 0.25, here ≤ 0.1056', () => {
    expectErrata(r.lines, [
      [/`grad`/, /sigmoid output s\b/],
      [/s\(1 − s\)/, /upstream/],
      [/close to either 0 or 1/, /0\.25/, /0\.1056/],
    ]);
    expect(r.agrees).toBe('erratum');
  });
});

describe('000-SA8: learning curves vs training-set size', () => {
  const gap = (p: sa8.CurvePoint) => p.val - p.train;
  const at = (c: sa8.CurvePoint[], n: number) => c.find((p) => p.n === n)!;

  for (const seed of [0, 1, 2]) {
    it(`seed ${seed}: degree 1 underfits, degree 10 overfits (EXAMS.md assertions)`, () => {
      const c = sa8.learningCurves(seed);
      expect(c[1].map((p) => p.n)).toEqual([12, 20, 40, 80, 160, 320]);
      // d = 1: val(320) > 4σ² = 0.16 and |val − train|(320) < 0.03
      expect(at(c[1], 320).val).toBeGreaterThan(0.16);
      expect(Math.abs(gap(at(c[1], 320)))).toBeLessThan(0.03);
      // d = 10: gap(12) > 100 × gap(320), val(320) < 0.06
      expect(gap(at(c[10], 12))).toBeGreaterThan(100 * gap(at(c[10], 320)));
      expect(at(c[10], 320).val).toBeLessThan(0.06);
    });
  }

  it('the fitted Dense sits at the least-squares optimum: its MSE gradient (from backward) vanishes', () => {
    const g = new Generator(11);
    const x = rand([40], { dtype: 'float64', generator: g }).mul(2).sub(1);
    const y = randn([40, 1], { dtype: 'float64', generator: g });
    const features = legendreFeatures(x, 4);
    const model = sa8.fit(features, y);
    nn.mseLoss(model.forward(features), y).backward();
    expect(Math.max(...Array.from(model.weight.grad!.data, Math.abs))).toBeLessThan(1e-10);
  });

  it('gradcheck of the linear model + MSE (float64)', () => {
    const g = new Generator(12);
    const features = legendreFeatures(rand([10], { dtype: 'float64', generator: g }), 3);
    const y = randn([10, 1], { dtype: 'float64', generator: g });
    const w = randn([1, 4], { dtype: 'float64', generator: g, requiresGrad: true });
    expect(gradcheck((wt) => nn.mseLoss(nn.linear(features, wt), y), [w], GRADCHECK).ok).toBe(true);
  });

  it('status: figures missing', () => {
    expect(sa8.run().agrees).toBe('no answer given');
  });
});

describe('000-LA1: gradient of softmax cross-entropy', () => {
  const r = la1.run();
  const softmax = (v: number[]) => {
    const m = Math.max(...v);
    const e = v.map((x) => Math.exp(x - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / s);
  };
  const yhat = softmax(la1.THETA);
  const y = [0, 1, 0];

  it('autograd gradient = ŷ − y (1e-9), from the fused op and from softmax → log → sum', () => {
    expectClose(r.grad, yhat.map((p, i) => p - y[i]), TOL_EXACT);
    expectClose(r.composedGrad, yhat.map((p, i) => p - y[i]), TOL_EXACT);
    expectClose(r.probs, yhat, TOL_EXACT);
    expect(r.loss).toBeCloseTo(-Math.log(yhat[1]), 12);
    expect(r.composedLoss).toBeCloseTo(-Math.log(yhat[1]), 12);
  });

  it('the EXAMS.md numbers: ŷ, CE, gradient, central differences', () => {
    expectClose(r.probs, [0.2312, 0.6285, 0.1402], TOL_4DP);
    expectClose(r.loss, 0.4644, TOL_4DP);
    expectClose(r.grad, [0.2312, -0.3715, 0.1402], TOL_4DP);
    expectClose(r.grad, [0.231224, -0.371468, 0.140244], 1e-6);
  });

  it('the gradient sums to 0 (±1e-12)', () => {
    expect(Math.abs(r.gradSum)).toBeLessThanOrEqual(1e-12);
  });

  it('gradcheck passes on the fused softmax-CE', () => {
    const theta = tensor(la1.THETA, { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((t) => la1.crossEntropyOfLogits(t, la1.TRUE_CLASS), [theta], GRADCHECK).ok).toBe(true);
  });

  it('shift invariance: θ + 1000 gives the same loss and gradient, finite', () => {
    expect(Number.isFinite(r.shifted.loss)).toBe(true);
    r.shifted.grad.forEach((g) => expect(Number.isFinite(g)).toBe(true));
    expectClose(r.shifted.grad, r.grad, TOL_EXACT);
    expect(Math.abs(r.shifted.loss - r.loss)).toBeLessThan(TOL_EXACT);
  });

  it('the Jacobian VJPs with e_j are the rows of diag(ŷ) − ŷŷᵀ', () => {
    expectClose(r.jacobianRows, [[0.1778, -0.1453, -0.0324], [-0.1453, 0.2335, -0.0881], [-0.0324, -0.0881, 0.1206]], TOL_4DP);
    const J = yhat.map((pi, i) => yhat.map((pj, j) => (i === j ? pi : 0) - pi * pj));
    expectClose(r.jacobianRows, J, 1e-12);
  });

  it("second instance: 000-LA2's logits (2.7273, 2.9684) with y = (0, 1) give (0.4400, −0.4400)", () => {
    expectClose(r.la2.grad, [0.44, -0.44], TOL_4DP);
  });

  it('five errata lines (§4.1 a–e)', () => {
    expectErrata(r.lines, [
      [/i = k/, /written y_i/, /ŷ_i/],
      [/"ΣC²"/, /\(ΣC\)²/],
      [/\(\(1 − e\^\{θ_i\}\)\/ΣC\)/, /should be e\^\{θ_i\}\/ΣC·\(1 − e\^\{θ_i\}\/ΣC\)/],
      [/−Σ_\{k≠i\}\(−ŷ_k ?ŷ_i\)/, /y_k\/ŷ_k is missing/],
      [/"CE"/, /classes C\b/, /index/],
    ]);
    expect(r.agrees).toBe('erratum');
  });
});

describe('000-LA2: forward, backward and one SGD step of the 2-2-2 network', () => {
  const r = la2.run();

  it('row convention (primary): every number of EXAMS.md to 1e-4', () => {
    const w = r.row;
    expectClose(w.z1, [1.321, 1.578], TOL_4DP);
    expectClose(w.a1, [1.321, 1.578], TOL_4DP);
    expectClose(w.z2, [2.7273, 2.9684], TOL_4DP);
    expectClose(w.p, [0.44, 0.56], TOL_4DP);
    expectClose(w.loss, 0.5799, TOL_4DP);
    expectClose(w.dz2, [0.44, -0.44], TOL_4DP);
    expectClose(w.dW2, [[0.5813, -0.5813], [0.6944, -0.6944]], TOL_4DP);
    expectClose(w.db2, [0.44, -0.44], TOL_4DP);
    expectClose(w.da1, [-0.1276, 0.0396], TOL_4DP);
    expectClose(w.dz1, [-0.1276, 0.0396], TOL_4DP);
    expectClose(w.dW1, [[-0.1021, 0.0317], [-0.0383, 0.0119]], TOL_4DP);
    expectClose(w.db1, [-0.1276, 0.0396], TOL_4DP);
    expectClose(w.after.W1, [[0.2502, 0.6668], [0.4338, 0.1388]], TOL_4DP);
    expectClose(w.after.b1, [1.0128, 0.996], TOL_4DP);
    expectClose(w.after.W2, [[0.2819, 0.6881], [0.7406, 0.7894]], TOL_4DP);
    expectClose(w.after.b2, [0.956, 1.044], TOL_4DP);
    expectClose(w.after.loss, 0.3997, TOL_4DP);
    expectClose(w.after.p, [0.3295, 0.6705], TOL_4DP);
  });

  it('row convention: the forward pass by hand (plain JS, exact)', () => {
    const { x, W1, b1 } = la2.READING;
    const z1 = [0, 1].map((j) => x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]);
    expectClose(r.row.z1, z1, 1e-14);
  });

  it('column convention (alternative): every number of EXAMS.md to 1e-4', () => {
    const w = r.column;
    expectClose(w.z1, [1.393, 1.386], TOL_4DP);
    expectClose(w.z2, [2.3468, 3.1263], TOL_4DP);
    expectClose(w.p, [0.3144, 0.6856], TOL_4DP);
    expectClose(w.loss, 0.3775, TOL_4DP);
    expectClose(w.dW2, [[0.438, 0.4358], [-0.438, -0.4358]], TOL_4DP);
    expectClose(w.db2, [0.3144, -0.3144], TOL_4DP);
    expectClose(w.dz1, [-0.1478, -0.0283], TOL_4DP);
    expectClose(w.dW1, [[-0.1182, -0.0443], [-0.0226, -0.0085]], TOL_4DP);
    expectClose(w.after.loss, 0.2873, TOL_4DP);
  });

  it('the SGD step is θ − 0.1·∇θ and lowers the loss; staged and end-to-end backward agree', () => {
    for (const w of [r.row, r.column]) {
      expect(w.after.loss).toBeLessThan(w.loss);
      expect(w.endToEndMaxDiff).toBeLessThan(1e-12);
      const { W1, W2, b1, b2 } = la2.READING;
      // READING's matrices are as printed, which is each convention's own layout, as are dW and after.W.
      expectClose(w.after.W1, W1.map((row, i) => row.map((v, j) => v - 0.1 * w.dW1[i][j])), 1e-12);
      expectClose(w.after.W2, W2.map((row, i) => row.map((v, j) => v - 0.1 * w.dW2[i][j])), 1e-12);
      expectClose(w.after.b1, b1.map((v, i) => v - 0.1 * w.db1[i]), 1e-12);
      expectClose(w.after.b2, b2.map((v, i) => v - 0.1 * w.db2[i]), 1e-12);
    }
  });

  it('gradcheck on all 12 parameters, both conventions (float64)', () => {
    const { x, target } = la2.inputs();
    for (const convention of ['row', 'column'] as const) {
      const { fc1, fc2 } = la2.makeLayers(convention);
      const params = [fc1.weight, fc1.bias!, fc2.weight, fc2.bias!].map((p) => p.detach().requiresGrad_());
      expect(params.reduce((n, p) => n + p.size, 0)).toBe(12);
      const report = gradcheck((w1, b1, w2, b2) => la2.lossOfParameters(x, target, w1, b1, w2, b2), params, GRADCHECK);
      expect(report.ok).toBe(true);
    }
  });

  it('states its reading and its status', () => {
    expect(r.lines[0]).toMatch(/^reading used/);
    expect(r.agrees).toBe('reconstructed');
    // §4.5: the table is garbled and no solution is given; the entry's reading is a reconstruction
    expectErrata(r.lines, [[/table is garbled/, /no solution is given/, /reconstruction/]]);
  });
});

describe('seed 000 Part A coverage', () => {
  it('every id appears exactly once (meta.id or a row)', () => {
    const ids = modules.flatMap((m) => {
      const res = m.run();
      return res.rows ? res.rows.map((row) => row.id) : [m.meta.id];
    });
    expect(ids.sort()).toEqual(['000-LA1', '000-LA2', '000-SA1', '000-SA3', '000-SA7', '000-SA8']);
  });
});
