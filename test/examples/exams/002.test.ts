/**
 * Seed 002 (AML 5202 sessional 1), EXAMS.md §2: each example's numbers against the spec (typed in from EXAMS.md or
 * derived from a formula here), and a float64 gradcheck of every network the examples build.
 */
import { describe, expect, it } from 'vitest';
import { Generator, concat, gradcheck, nn, tensor, randn, type Tensor } from '../../../src/index.js';
import * as q1 from '../../../examples/exams/002-q1-logistic-loss.js';
import * as q2 from '../../../examples/exams/002-q2-softmax-weights.js';
import * as q3 from '../../../examples/exams/002-q3-parameter-budget.js';
import * as q4 from '../../../examples/exams/002-q4-mlp-shapes.js';
import * as q5 from '../../../examples/exams/002-q5-tanh-saturation.js';
import { expectErrata } from './errata.js';

/** §0: central differences with h = 1e-6; absolute error ≤ 1e-6 or relative error ≤ 1e-5. */
const GRADCHECK = { eps: 1e-6, atol: 1e-6, rtol: 1e-5 };

function close(actual: number, expected: number, tol: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tol);
}

function closeAll(actual: number[], expected: number[], tol: number): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => close(a, expected[i], tol));
}

function rowIds(r: { rows?: Array<{ id: string }> }): string[] {
  return (r.rows ?? []).map((row) => row.id);
}

describe('002-Q1: logistic-regression epoch losses and accuracies', () => {
  const r = q1.run();
  const [k, k1] = r.epochs;
  const labels = [1, 1, 0, 0];
  // Plain-JS BCE, summing only the term the label selects.
  const bce = (sigma: number[]) => sigma.map((s, i) => -Math.log(labels[i] === 1 ? s : 1 - s));

  it('reads σ from the printed values, line 4 of epoch k as x⁽⁴⁾', () => {
    closeAll(k.sigma, [0.97, 0.91, 0.51, 0.96], 1e-12);
    closeAll(k1.sigma, [0.99, 0.93, 0.49, 0.98], 1e-12);
  });

  it('mean BCE is 1.0142 and 1.1670 nats, 0.4405 and 0.5068 in log10 (EXAMS.md)', () => {
    close(k.meanNats, 1.0142, 1e-4);
    close(k1.meanNats, 1.1670, 1e-4);
    close(k.meanNats / Math.LN10, 0.4405, 1e-4);
    close(k1.meanNats / Math.LN10, 0.5068, 1e-4);
    close(k.meanLog10, 0.4405, 1e-4);
    close(k1.meanLog10, 0.5068, 1e-4);
    close(k.meanLog2, 1.4633, 1e-4);
    close(k1.meanLog2, 1.6836, 1e-4);
  });

  it('per-sample losses match the plain formula exactly and the spec to 4 dp', () => {
    for (const e of r.epochs) {
      closeAll(e.perSampleNats, bce(e.sigma), 1e-9);
      close(e.meanNats, bce(e.sigma).reduce((a, b) => a + b, 0) / 4, 1e-9);
      // BCE on the logits agrees with BCE on the probabilities.
      close(e.meanNatsFromLogits, e.meanNats, 1e-9);
    }
    closeAll(k.perSampleLog10, [0.0132, 0.0410, 0.3098, 1.3979], 1e-4);
    closeAll(k1.perSampleLog10, [0.0044, 0.0315, 0.2924, 1.6990], 1e-4);
    closeAll(k.logits, [3.4761, 2.3136, 0.0400, 3.1781], 1e-4);
    closeAll(k1.logits, [4.5951, 2.5867, -0.0400, 3.8918], 1e-4);
  });

  it('accuracy 50% → 75% while the loss rises', () => {
    expect(k.accuracy).toBe(0.5);
    expect(k1.accuracy).toBe(0.75);
    expect(k1.meanNats).toBeGreaterThan(k.meanNats);
    expect(k1.accuracy).toBeGreaterThan(k.accuracy);
  });

  it('sample 4 dominates the epoch k+1 total; the other reading of line 4 fits neither stated number', () => {
    close(r.sample4Log10, -Math.log10(1 - 0.98), 1e-9);
    // EXAMS.md: epoch k+1's probabilities of the true labels are 0.99, 0.93, 1 − 0.49 and 1 − 0.98; their −Σ log10 is
    // the 2.027 total of which sample 4 contributes 1.699
    close(r.totalLog10KPlus1, -[0.99, 0.93, 0.51, 0.02].reduce((s, p) => s + Math.log10(p), 0), 1e-9);
    close(r.altReading.meanLog10, 0.0954, 1e-4);
    close(r.altReading.meanNats, 0.2197, 1e-4);
    expect(r.altReading.accuracy).toBe(0.75);
  });

  it('reports the erratum, with one erratum line per §4.12 item: log10, x⁽⁴⁾, the duplicate block, "overfitting"', () => {
    expect(r.agrees).toBe('erratum');
    expectErrata(r.lines, [
      [/0\.44/, /0\.51/, /log10|base-10|base 10/, /nats/, /1\.0142/, /1\.1670/],
      [/x⁽³⁾.*x⁽⁴⁾/, /0\.04/],
      [/k\+1/, /twice|duplicated/],
      [/overfitting/, /validation/, /too large a step/],
    ]);
    expect(q1.meta.id).toBe('002-Q1');
  });

  it('gradcheck: BCE and BCE-with-logits of a logistic model σ(x·w) in float64', () => {
    const g = new Generator(21);
    const x = randn([4, 3], { dtype: 'float64', generator: g });
    const w = randn([3], { dtype: 'float64', generator: g, requiresGrad: true });
    const y = tensor(labels, { dtype: 'float64' });
    const viaProbabilities = gradcheck((w) => nn.binaryCrossEntropy(x.matmul(w).sigmoid(), y), [w], GRADCHECK);
    const viaLogits = gradcheck((w) => nn.binaryCrossEntropyWithLogits(x.matmul(w), y), [w], GRADCHECK);
    expect(viaProbabilities.ok && viaLogits.ok).toBe(true);
    const logits = tensor(k.logits, { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((z) => nn.binaryCrossEntropyWithLogits(z, y), [logits], GRADCHECK).ok).toBe(true);
  });
});

describe('002-Q2a/b/c: softmax weights with one-hot gender and the bias trick', () => {
  const r = q2.run();

  it('covers 002-Q2a, 002-Q2b and 002-Q2c, all agreeing', () => {
    expect(q2.meta.id).toBe('002-Q2');
    expect(rowIds(r)).toEqual(['002-Q2a', '002-Q2b', '002-Q2c']);
    expect(r.rows!.every((row) => row.agrees === 'yes')).toBe(true);
  });

  it('(a) 7 features after one-hot, X_B 8 × 100, W 4 × 8, scores 4 × 100, Dense(7, 4) has 32 parameters', () => {
    expect(q2.FEATURES).toHaveLength(7);
    expect(r.featureShape).toEqual([100, 7]);
    expect(r.xbShape).toEqual([8, 100]);
    expect(r.wShape).toEqual([4, 8]);
    expect(r.scoreShape).toEqual([4, 100]);
    expect(r.denseParams).toBe(7 * 4 + 4);
    expect(r.summaryParams).toBe(32);
    expect(r.oneHotRowSums).toEqual(Array(100).fill(1));
    expect(r.biasTrickMaxDiff).toBeLessThanOrEqual(1e-12);
  });

  it('(b) w_{:,2} has 4 entries, w_{4,:} has 8 (bias last); w_18 is the class-1 bias (flat 7), w_25 the class-2 BMI weight (flat 12)', () => {
    expect(r.col2).toEqual({ length: 4, equalsWeightColumn: true });
    expect(r.row4).toEqual({ length: 8, lastIsBias: true });
    expect(r.w18.flatIndex).toBe((1 - 1) * 8 + (8 - 1));
    expect(r.w18.flatIndex).toBe(7);
    expect(r.w18.equalsBias).toBe(true);
    expect(r.w25.flatIndex).toBe((2 - 1) * 8 + (5 - 1));
    expect(r.w25.flatIndex).toBe(12);
    expect(r.w25.equalsWeight).toBe(true);
    expect(q2.FEATURES[5 - 1]).toBe('BMI');
    expect(q2.FEATURES[2 - 1]).toBe('gendermale');
  });

  it('(c) dL/dw = 4 for L = 2w² at 1; ±δ changes the loss by ≈ ±4δ', () => {
    expect(r.q2c.grad).toBe(4);
    // L(1 ± δ) − L(1) = 2(1 ± δ)² − 2 = ±4δ + 2δ²
    for (const s of r.q2c.steps) {
      close(s.up, 4 * s.delta + 2 * s.delta ** 2, 1e-9);
      close(s.down, -4 * s.delta + 2 * s.delta ** 2, 1e-9);
      expect(Math.sign(s.up)).toBe(1);
      expect(Math.sign(s.down)).toBe(-1);
    }
    const small = r.q2c.steps.find((s) => s.delta === 1e-3)!;
    expect(Math.abs(small.slope - 4)).toBeLessThan(0.01);
    const big = r.q2c.steps.find((s) => s.delta === 0.01)!;
    close(big.up, 0.040200, 1e-6);
    close(big.down, -0.039800, 1e-6);
    close(small.up, 0.004002, 1e-6);
    close(small.down, -0.003998, 1e-6);
  });

  it('gradcheck: the softmax classifier on bias-trick inputs (W folded, 4 × 8)', () => {
    const g = new Generator(22);
    const w = randn([4, 8], { dtype: 'float64', generator: g, requiresGrad: true });
    const xb = concat([randn([7, 3], { dtype: 'float64', generator: g }), tensor([[1, 1, 1]], { dtype: 'float64' })], 0);
    const target = tensor([0, 3, 1], { dtype: 'float64' });
    const report = gradcheck((w) => nn.crossEntropy(w.matmul(xb).transpose(0, 1), target), [w], GRADCHECK);
    expect(report.ok).toBe(true);
  });
});

describe('002-Q3a/b: parameter budget', () => {
  const r = q3.run();
  // A 19 → n → 3 net with biases: (19 + 1)n + (n + 1)·3.
  const shallow = (n: number) => 20 * n + 3 * (n + 1);

  it('covers 002-Q3a (erratum) and 002-Q3b (agrees)', () => {
    expect(q3.meta.id).toBe('002-Q3');
    expect(r.rows).toEqual([
      expect.objectContaining({ id: '002-Q3a', agrees: 'erratum' }),
      expect.objectContaining({ id: '002-Q3b', agrees: 'yes' }),
    ]);
    // §4.13: the written sum equals 259; 619 needs the factor 6 on 8×9
    expectErrata(r.lines, [[/8×20 \+ 8×9 \+ 3×9 = 619/, /\b259\b/, /factor 6|6\s*×\s*\(?8×9/]]);
  });

  it('(a) 19-8×7-3 has 619 parameters: [160, 72 × 6, 27]', () => {
    expect(r.deep.weightLayers).toBe(8);
    expect(r.deep.perLayer).toEqual([160, 72, 72, 72, 72, 72, 72, 27]);
    expect(r.deep.total).toBe(619);
    expect(r.deep.total).toBe(8 * 20 + 6 * (8 * 9) + 3 * 9);
    // the written sum as printed, and the "8 hidden layers" reading
    expect(r.writtenSumTotal).toBe(8 * 20 + 8 * 9 + 3 * 9);
    expect(r.writtenSumTotal).toBe(259);
    expect(r.eightHiddenTotal).toBe(691);
  });

  it('(b) 601 = params(19-26-3) ≤ 619 < params(19-27-3) = 624', () => {
    expect(r.shallowWidth).toBe(26);
    r.shallowTotals.forEach((t, i) => expect(t).toBe(shallow(i + 1)));
    expect(r.shallowTotals[24 - 1]).toBe(555);
    expect(r.shallowTotals[25 - 1]).toBe(578);
    expect(r.shallowTotals[26 - 1]).toBe(601);
    expect(r.shallowTotals[27 - 1]).toBe(624);
    // 23n + 3 ≤ 619 ⇔ n ≤ 616 / 23 = 26.78
    expect(r.shallowWidth).toBe(Math.floor((619 - 3) / 23));
  });

  it('gradcheck: the 8-layer network, with respect to its input and its last layer weights', () => {
    const g = new Generator(23);
    const model = q3.mlp(Array(7).fill(8), g);
    const body = model.layers.slice(0, -1);
    const head = model.layers.at(-1) as nn.Dense;
    expect(head.weight.shape).toEqual([3, 8]); // 24 elements
    const x = randn([1, 19], { dtype: 'float64', generator: g, requiresGrad: true });
    const w = head.weight.detach().clone().requiresGrad_();
    const target = tensor([2], { dtype: 'float64' });
    const report = gradcheck((x, w) => {
      const h = body.reduce((t, layer) => layer.forward(t), x);
      return nn.crossEntropy(nn.linear(h, w, head.bias), target);
    }, [x, w], GRADCHECK);
    expect(report.ok).toBe(true);
    report.inputs.forEach((i) => expect(i.maxAbsError).toBeLessThanOrEqual(1e-6));
  });
});

describe('002-Q4: shapes of a 1024-256-3 MLP with the bias trick', () => {
  const r = q4.run();

  it('x_B 1025, z¹ 256, W¹ 256 × 1025, a¹ 256, a¹_B 257, z² 3, W² 3 × 257, a² 3, L scalar', () => {
    expect(r.shapes).toEqual({
      x_B: [1025], 'z^[1]': [256], 'W^[1]': [256, 1025], 'a^[1]': [256],
      'a^[1]_B': [257], 'z^[2]': [3], 'W^[2]': [3, 257], 'a^[2]': [3], L: [],
    });
  });

  it('263,171 parameters = 256·1025 + 3·257; the RGB variant 3073 / 256 × 3073', () => {
    expect(r.layerParameters).toEqual([256 * 1025, 3 * 257]);
    expect(r.totalParameters).toBe(263171);
    expect(r.rgb.xB).toBe(3 * 32 * 32 + 1);
    expect(r.rgb.w1).toEqual([256, 3073]);
    expect(r.rgb.totalParameters).toBe(256 * 3073 + 3 * 257);
  });

  it('the folded chain equals the model and a plain-JS forward', () => {
    expect(r.maxDiffVsModel).toBeLessThanOrEqual(1e-12);
    close(r.probabilitySum, 1, 1e-12);
    const { fc1, fc2, image } = q4.build();
    const x = Array.from(image.data);
    const w1 = fc1.weight.data, b1 = fc1.bias!.data, w2 = fc2.weight.data, b2 = fc2.bias!.data;
    const a1 = Array.from({ length: 256 }, (_, i) => {
      let s = b1[i];
      for (let j = 0; j < 1024; j++) s += w1[i * 1024 + j] * x[j];
      return Math.max(s, 0);
    });
    const z2 = Array.from({ length: 3 }, (_, k) => {
      let s = b2[k];
      for (let i = 0; i < 256; i++) s += w2[k * 256 + i] * a1[i];
      return s;
    });
    const m = Math.max(...z2);
    const logSum = m + Math.log(z2.reduce((s, v) => s + Math.exp(v - m), 0));
    close(r.loss, logSum - z2[1], 1e-9); // the example's label is class 1
  });

  it('reports the erratum on a^[2]', () => {
    expect(q4.meta.id).toBe('002-Q4');
    expect(r.agrees).toBe('erratum');
    // §4.14: a^[2] is labelled 257 and has 3 entries; the trailing "L … = W^[2]_1025 + …" is garbage, L a scalar
    expectErrata(r.lines, [[/a\^\[2\]/, /\b257\b/, /\b3\b/], [/W\^\[2\]_1025/, /garble|garbage/, /L is a scalar/]]);
  });

  it('gradcheck: the whole chain, with respect to 30 input pixels and the output bias', () => {
    const { fc1, fc2, image, y } = q4.build();
    const x = image.flatten();
    const patch = x.narrow(0, 0, 30).detach().clone().requiresGrad_();
    const rest = x.narrow(0, 30, x.size - 30).detach();
    const b2 = fc2.bias!.detach().clone().requiresGrad_();
    const w1 = q4.folded(fc1).detach();
    const report = gradcheck(
      (p, b) => q4.forward(concat([p, rest]), w1, concat([fc2.weight.detach(), b.unsqueeze(1)], 1), y).L,
      [patch, b2],
      GRADCHECK,
    );
    expect(report.ok).toBe(true);
    report.inputs.forEach((i) => expect(i.maxAbsError).toBeLessThanOrEqual(1e-6));
  });
});

describe('002-Q5a/b: tanh saturation', () => {
  const r = q5.run();

  it('covers 002-Q5a (no answer given) and 002-Q5b (agrees)', () => {
    expect(q5.meta.id).toBe('002-Q5');
    expect(r.rows).toEqual([
      expect.objectContaining({ id: '002-Q5a', agrees: 'no answer given' }),
      expect.objectContaining({ id: '002-Q5b', agrees: 'yes' }),
    ]);
    // §4.15: the garbled Jacobian, and the correct diag(0.00, 0.42, 0.00, 0.42)
    expectErrata(r.lines, [[/Jacobian/, /garbled/, /diag\(0\.00, 0\.42, 0\.00, 0\.42\)/]]);
  });

  it('(a) tanh z = (−1.0000, 0.7616, 1.0000, −0.7616); Jacobian diag(8.2446e-9, 0.4200, 8.2446e-9, 0.4200)', () => {
    closeAll(r.tanh, [-1, 0.7616, 1, -0.7616], 1e-4);
    const diag = q5.Z.map((z) => 1 - Math.tanh(z) ** 2);
    r.jacobian.forEach((row, i) => row.forEach((v, j) => {
      if (i === j) close(v, diag[i], 1e-6);
      else expect(v).toBe(0);
    }));
    // the saturated entries to relative 1e-3 of the spec's value
    for (const i of [0, 2]) expect(Math.abs(r.jacobian[i][i] - 8.2446e-9) / 8.2446e-9).toBeLessThan(1e-3);
    for (const i of [1, 3]) close(r.jacobian[i][i], 0.4200, 1e-4);
    expect(r.local.tanh.map((v) => v.toFixed(2))).toEqual(['0.00', '0.42', '0.00', '0.42']);
  });

  it('(b) nodes 1 and 3 barely learn: |dW[0,:]| / |dW[1,:]| < 1e-7', () => {
    expect(r.frozenNodes).toEqual([1, 3]);
    const t = r.layer.tanh;
    expect(t.ratio01).toBeLessThan(1e-7);
    // dL/dz = dL/db = 1 − tanh² z for an upstream gradient of ones, and |dW row i| = |dz_i|·|a³|
    closeAll(t.z, q5.Z, 1e-12);
    closeAll(t.dz, q5.Z.map((z) => 1 - Math.tanh(z) ** 2), 1e-9);
    const { a3 } = q5.layer4();
    const norm = Math.hypot(...Array.from(a3.data));
    t.dwRowNorms.forEach((n, i) => close(n, Math.abs(t.dz[i]) * norm, 1e-9 * Math.max(1, n)));
    close(t.ratio01, (1 - Math.tanh(10) ** 2) / (1 - Math.tanh(1) ** 2), 1e-12);
  });

  it('(b) ReLU local gradients (0, 1, 1, 0); Leaky ReLU (α = 0.01) (0.01, 1, 1, 0.01)', () => {
    expect(r.local.relu).toEqual([0, 1, 1, 0]);
    closeAll(r.local.leakyRelu, [0.01, 1, 1, 0.01], 1e-12);
    closeAll(r.layer.relu.dz, [0, 1, 1, 0], 1e-12);
    closeAll(r.layer.leakyRelu.dz, [0.01, 1, 1, 0.01], 1e-12);
    close(r.layer.leakyRelu.ratio01, 0.01, 1e-12);
  });

  it('gradcheck: tanh at z and dense layer 4 + tanh (weights, bias, input)', () => {
    const z = tensor(q5.Z, { dtype: 'float64', requiresGrad: true });
    expect(gradcheck((z) => z.tanh(), [z], GRADCHECK).ok).toBe(true);
    const { dense, a3 } = q5.layer4();
    const w = dense.weight.detach().clone().requiresGrad_();
    const b = dense.bias!.detach().clone().requiresGrad_();
    const x = a3.detach().clone().requiresGrad_();
    const report = gradcheck((w, b, x): Tensor => nn.linear(x, w, b).tanh(), [w, b, x], GRADCHECK);
    expect(report.ok).toBe(true);
    report.inputs.forEach((i) => expect(i.maxAbsError).toBeLessThanOrEqual(1e-6));
  });
});
