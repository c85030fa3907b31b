/**
 * The loss classes (MSELoss, L1Loss, HuberLoss, CrossEntropyLoss, NLLLoss, BCELoss, BCEWithLogitsLoss) through their
 * own forward: known values from the formulas written out here in plain JS, and a float64 gradcheck of each class,
 * with the options the class stores (reduction, delta, class weights, ignoreIndex, label smoothing, posWeight).
 */
import { describe, expect, it } from 'vitest';
import { Tensor, gradcheck, nn, tensor } from '../../src/index.js';
import { expectClose, fromValues, normals, uniforms } from '../helpers.js';

const f64 = (values: number[], shape: number[] = [values.length], requiresGrad = false) => fromValues(values, shape, 'float64', requiresGrad);
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const logSigmoid = (x: number) => -Math.log(1 + Math.exp(-x));

/** −log softmax(row)[c] for every class c of a row: log Σ e^x − x_c. */
function negLogSoftmax(row: number[]): number[] {
  const lse = Math.log(sum(row.map(Math.exp)));
  return row.map((x) => lse - x);
}

describe('loss modules: known values', () => {
  const input = [1, 2, 3, -1];
  const target = [0.5, 2, 5, 1.5];
  const d = input.map((x, i) => x - target[i]); // [0.5, 0, −2, −2.5]

  it('MSELoss: mean, sum and none of (x − y)²', () => {
    const sq = d.map((v) => v * v); // [0.25, 0, 4, 6.25]
    expectClose(new nn.MSELoss().forward(f64(input), f64(target)), [mean(sq)], 1e-15);
    expectClose(new nn.MSELoss({ reduction: 'sum' }).forward(f64(input), f64(target)), [10.5], 1e-15);
    expectClose(new nn.MSELoss({ reduction: 'none' }).forward(f64(input, [2, 2]), f64(target, [2, 2])), sq, 1e-15);
    expect(new nn.MSELoss().reduction).toBe('mean');
  });

  it('L1Loss: mean, sum and none of |x − y|', () => {
    expectClose(new nn.L1Loss().forward(f64(input), f64(target)), [5 / 4], 1e-15);
    expectClose(new nn.L1Loss({ reduction: 'sum' }).forward(f64(input), f64(target)), [5], 1e-15);
    expectClose(new nn.L1Loss({ reduction: 'none' }).forward(f64(input), f64(target)), d.map(Math.abs), 1e-15);
  });

  it('HuberLoss: 0.5·d² inside |d| < δ, δ·(|d| − δ/2) outside', () => {
    const huber = (delta: number) => d.map((v) => (Math.abs(v) < delta ? 0.5 * v * v : delta * (Math.abs(v) - 0.5 * delta)));
    // δ = 1: [0.125, 0, 1.5, 2]
    expectClose(new nn.HuberLoss().forward(f64(input), f64(target)), [mean(huber(1))], 1e-15);
    expectClose(new nn.HuberLoss().forward(f64(input), f64(target)), [(0.125 + 0 + 1.5 + 2) / 4], 1e-15);
    expectClose(new nn.HuberLoss({ delta: 2.2, reduction: 'none' }).forward(f64(input), f64(target)), huber(2.2), 1e-15);
    expectClose(new nn.HuberLoss({ delta: 0.3, reduction: 'sum' }).forward(f64(input), f64(target)), [sum(huber(0.3))], 1e-15);
    expect(new nn.HuberLoss({ delta: 0.3 }).delta).toBe(0.3);
  });

  const logits = [[1, 2, 3], [0, 0, 0], [2, -1, 0.5]];
  const classes = [2, 0, 1];

  it('CrossEntropyLoss: mean of log Σ eˣ − x_t; class weights divide by Σ w_t; ignoreIndex skips a row', () => {
    const nls = logits.map(negLogSoftmax);
    const perRow = classes.map((t, i) => nls[i][t]);
    const x = f64(logits.flat(), [3, 3]);
    expectClose(new nn.CrossEntropyLoss().forward(x, tensor(classes)), [mean(perRow)], 1e-14);
    expectClose(new nn.CrossEntropyLoss({ reduction: 'none' }).forward(x, tensor(classes)), perRow, 1e-14);
    // the second row of equal logits costs ln 3
    expect(perRow[1]).toBeCloseTo(Math.log(3), 15);
    const w = [0.5, 2, 1];
    const weighted = classes.map((t, i) => w[t] * nls[i][t]);
    expectClose(new nn.CrossEntropyLoss({ weight: f64(w) }).forward(x, tensor(classes)), [sum(weighted) / (w[2] + w[0] + w[1])], 1e-14);
    expectClose(new nn.CrossEntropyLoss({ ignoreIndex: 7 }).forward(x, tensor([2, 7, 1])), [(perRow[0] + perRow[2]) / 2], 1e-14);
  });

  it('CrossEntropyLoss of large logits keeps float64 precision: logits 1e6 and 1e6 + 1 cost what 0 and 1 cost', () => {
    // −log p_0 = log(1 + e), −log p_1 = log(1 + e⁻¹), whatever the common shift
    const x = f64([1e6, 1e6 + 1, 1e6, 1e6 + 1], [2, 2]);
    const loss = new nn.CrossEntropyLoss({ reduction: 'none' }).forward(x, tensor([0, 1]));
    expectClose(loss, [Math.log(1 + Math.E), Math.log(1 + 1 / Math.E)], 1e-14);
    const smoothed = new nn.CrossEntropyLoss({ reduction: 'none', labelSmoothing: 0.5 }).forward(x, tensor([0, 1]));
    const both = Math.log(1 + Math.E) + Math.log(1 + 1 / Math.E);
    expectClose(smoothed, [0.5 * Math.log(1 + Math.E) + 0.25 * both, 0.5 * Math.log(1 + 1 / Math.E) + 0.25 * both], 1e-14);
  });

  it('CrossEntropyLoss with label smoothing ε: (1 − ε)·(−log p_t) + (ε/C)·Σ_c (−log p_c)', () => {
    const eps = 0.2;
    const perRow = classes.map((t, i) => {
      const nl = negLogSoftmax(logits[i]);
      return (1 - eps) * nl[t] + (eps / 3) * sum(nl);
    });
    expectClose(new nn.CrossEntropyLoss({ labelSmoothing: eps }).forward(f64(logits.flat(), [3, 3]), tensor(classes)), [mean(perRow)], 1e-14);
    expect(new nn.CrossEntropyLoss({ labelSmoothing: eps }).labelSmoothing).toBe(eps);
  });

  it('NLLLoss: mean of −input[t]; weighted mean divides by Σ w_t', () => {
    const logProbs = f64([-0.5, -1, -2, -0.1], [2, 2]);
    expectClose(new nn.NLLLoss().forward(logProbs, tensor([0, 1])), [(0.5 + 0.1) / 2], 1e-15);
    // w = [2, 1]: (2·0.5 + 1·0.1) / (2 + 1)
    expectClose(new nn.NLLLoss({ weight: f64([2, 1]) }).forward(logProbs, tensor([0, 1])), [1.1 / 3], 1e-15);
    expectClose(new nn.NLLLoss({ reduction: 'none' }).forward(logProbs, tensor([1, 0])), [1, 2], 1e-15);
    expectClose(new nn.NLLLoss({ ignoreIndex: 0 }).forward(logProbs, tensor([0, 1])), [0.1], 1e-15);
  });

  it('BCELoss: −[y·ln x + (1 − y)·ln(1 − x)], weighted per element', () => {
    const p = [0.8, 0.2, 0.6, 0.9];
    const y = [1, 0, 1, 0];
    const terms = p.map((v, i) => -(y[i] * Math.log(v) + (1 - y[i]) * Math.log(1 - v)));
    expectClose(new nn.BCELoss().forward(f64(p), f64(y)), [mean(terms)], 1e-15);
    // −ln 0.8 twice, −ln 0.6, −ln 0.1
    expectClose(new nn.BCELoss({ reduction: 'sum' }).forward(f64(p), f64(y)), [-2 * Math.log(0.8) - Math.log(0.6) - Math.log(0.1)], 1e-15);
    const w = [1, 2, 0.5, 3];
    expectClose(new nn.BCELoss({ weight: f64(w), reduction: 'none' }).forward(f64(p), f64(y)), terms.map((t, i) => w[i] * t), 1e-15);
  });

  it('BCEWithLogitsLoss: −[p·y·ln σ(x) + (1 − y)·ln(1 − σ(x))], with posWeight p per class', () => {
    const x = [0, 2, -1, 3.5];
    const y = [1, 0, 1, 0.25];
    // ln(1 − σ(x)) = ln σ(−x)
    const terms = (pw: number[]) => x.map((v, i) => -(pw[i % 2] * y[i] * logSigmoid(v) + (1 - y[i]) * logSigmoid(-v)));
    expectClose(new nn.BCEWithLogitsLoss().forward(f64(x), f64(y)), [mean(terms([1, 1]))], 1e-14);
    // a logit of 0 with target 1 costs ln 2
    expectClose(new nn.BCEWithLogitsLoss({ reduction: 'none' }).forward(f64([0]), f64([1])), [Math.LN2], 1e-15);
    const pw = [3, 0.5];
    const loss = new nn.BCEWithLogitsLoss({ posWeight: f64(pw), reduction: 'none' }).forward(f64(x, [2, 2]), f64(y, [2, 2]));
    expectClose(loss, terms(pw), 1e-14);
  });
});

describe('loss modules: gradcheck of the class\'s forward in float64', () => {
  /** Float64 draws as a leaf that requires grad. */
  const leaf = (values: number[], shape: number[]) => f64(values, shape, true);

  it('MSELoss w.r.t. input and target (mean, sum and none)', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const loss = new nn.MSELoss({ reduction });
      const report = gradcheck((x, y) => loss.forward(x, y), [leaf(normals(12, 1), [3, 4]), leaf(normals(12, 2), [3, 4])]);
      expect(report.ok, reduction).toBe(true);
      expect(report.inputs).toHaveLength(2);
    }
  });

  it('L1Loss w.r.t. input and target (|x − y| ≥ 0.1 everywhere, away from the kink)', () => {
    const y = normals(12, 4);
    const x = normals(12, 3).map((v, i) => y[i] + (v < 0 ? v - 0.1 : v + 0.1));
    const loss = new nn.L1Loss();
    expect(gradcheck((x, y) => loss.forward(x, y), [leaf(x, [3, 4]), leaf(y, [3, 4])]).ok).toBe(true);
  });

  it('HuberLoss w.r.t. input and target, with differences on both sides of δ', () => {
    // d spread over ±2.5 with δ = 0.8: both pieces are used; none is within 1e-3 of ±δ
    const x = [-2.5, -1.2, -0.5, -0.1, 0.3, 0.7, 0.9, 1.6, 2.4];
    const y = normals(9, 5, 0.1);
    const loss = new nn.HuberLoss({ delta: 0.8 });
    const report = gradcheck((x, y) => loss.forward(x, y), [leaf(x.map((v, i) => v + y[i]), [9]), leaf(y, [9])]);
    expect(report.ok).toBe(true);
  });

  it('CrossEntropyLoss w.r.t. the logits: class weights, label smoothing and an ignored target', () => {
    const loss = new nn.CrossEntropyLoss({ weight: f64([0.5, 2, 1, 1.5]), labelSmoothing: 0.1 });
    const report = gradcheck((x) => loss.forward(x, tensor([3, -100, 0, 1, 2])), [leaf(normals(20, 6, 1.5), [5, 4])]);
    expect(report.ok).toBe(true);
    expect(report.inputs[0].shape).toEqual([5, 4]);
  });

  it('CrossEntropyLoss w.r.t. the logits and class-probability targets, on (N, C, d) input', () => {
    const probs = uniforms(12, 8, 0.1, 1);
    // each (n, d) position's 3 class probabilities sum to 1 (class dim 1 of [2, 3, 2])
    for (let n = 0; n < 2; n++) {
      for (let k = 0; k < 2; k++) {
        const at = (c: number) => n * 6 + c * 2 + k;
        const s = probs[at(0)] + probs[at(1)] + probs[at(2)];
        for (let c = 0; c < 3; c++) probs[at(c)] /= s;
      }
    }
    const loss = new nn.CrossEntropyLoss();
    expect(gradcheck((x, p) => loss.forward(x, p), [leaf(normals(12, 7), [2, 3, 2]), leaf(probs, [2, 3, 2])]).ok).toBe(true);
  });

  it('NLLLoss w.r.t. the log-probabilities, weighted, on (N, C) and (N, C, d) input', () => {
    const weighted = new nn.NLLLoss({ weight: f64([1, 3, 0.5]) });
    expect(gradcheck((x) => weighted.forward(x.logSoftmax(1), tensor([2, 0, 1, 1])), [leaf(normals(12, 9), [4, 3])]).ok).toBe(true);
    const plain = new nn.NLLLoss({ reduction: 'sum' });
    expect(gradcheck((x) => plain.forward(x, tensor([[0, 2], [1, 1]])), [leaf(normals(12, 10), [2, 3, 2])]).ok).toBe(true);
  });

  it('BCELoss w.r.t. probabilities and targets, with an element weight', () => {
    const loss = new nn.BCELoss({ weight: f64([1, 2, 0.5], [3]) });
    const p = uniforms(6, 11, 0.1, 0.9);
    const y = uniforms(6, 12, 0, 1);
    expect(gradcheck((p, y) => loss.forward(p, y), [leaf(p, [2, 3]), leaf(y, [2, 3])]).ok).toBe(true);
  });

  it('BCEWithLogitsLoss w.r.t. logits and targets, with posWeight, including logits of ±30', () => {
    const loss = new nn.BCEWithLogitsLoss({ posWeight: f64([2, 0.5, 1]) });
    const x = [...normals(4, 13, 2), 30, -30];
    const y = uniforms(6, 14, 0, 1);
    expect(gradcheck((x, y) => loss.forward(x, y), [leaf(x, [2, 3]), leaf(y, [2, 3])]).ok).toBe(true);
  });

  it('the loss modules hold no parameters (their weights are buffers)', () => {
    const losses: nn.Module[] = [
      new nn.MSELoss(), new nn.L1Loss(), new nn.HuberLoss(), new nn.CrossEntropyLoss({ weight: f64([1, 2]) }),
      new nn.NLLLoss({ weight: f64([1, 2]) }), new nn.BCELoss({ weight: f64([1]) }), new nn.BCEWithLogitsLoss({ posWeight: f64([2]) }),
    ];
    for (const l of losses) expect(l.parameters(), l.describe()).toEqual([]);
    const ce = losses[3] as nn.CrossEntropyLoss;
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    expect(ce.weight).toBeInstanceOf(nn.Buffer);
    expect((ce.weight as Tensor).toArray()).toEqual([1, 2]);
  });
});
