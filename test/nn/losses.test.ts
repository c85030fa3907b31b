/**
 * Every loss and every option against a plain-JS reference written from PyTorch's documented formula (the
 * reductions included), float64 gradcheck of every loss (w.r.t. the input, and the target where PyTorch
 * differentiates it), stability at extreme logits, the modules, and the errors.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, Tensor, gradcheck, logSoftmax, tensor, type DType } from '../../src/index.js';
import {
  BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, binaryCrossEntropy,
  binaryCrossEntropyWithLogits, crossEntropy, huberLoss, l1Loss, mseLoss, nllLoss, type Reduction,
} from '../../src/nn/losses.js';
import { DTYPES, expectClose, fromValues, normals, thrown, uniforms } from '../helpers.js';

const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];
const TOL: Record<DType, number> = { float32: 3e-6, float64: 1e-12 };

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** The documented reductions of per-element values: mean over all of them, sum, or the values. */
function reduceRef(values: number[], reduction: Reduction): number[] {
  if (reduction === 'none') return values;
  const s = values.reduce((a, b) => a + b, 0);
  return [reduction === 'sum' ? s : s / values.length];
}

// ---------------------------------------------------------------------------------------------------------------
// References, each straight from the formula in PyTorch's documentation

const refMSE = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x, (v, i) => (v - y[i]) ** 2);
const refL1 = (x: ArrayLike<number>, y: ArrayLike<number>) => Array.from(x, (v, i) => Math.abs(v - y[i]));
const refHuber = (x: ArrayLike<number>, y: ArrayLike<number>, delta: number) =>
  Array.from(x, (v, i) => {
    const d = Math.abs(v - y[i]);
    return d < delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  });

interface ClassOptions {
  weight?: number[];
  ignoreIndex?: number;
  labelSmoothing?: number;
}

/** [N, C, inner] of (N, C, d1, ...) or (C). */
function layout(shape: readonly number[]): [number, number, number] {
  return shape.length === 1 ? [1, shape[0], 1] : [shape[0], shape[1], size(shape.slice(2))];
}

/** log(exp(x_c) / Σ_j exp(x_j)) for each class at position (n, k). */
function logProbs(x: ArrayLike<number>, shape: readonly number[], n: number, k: number): number[] {
  const [, c, inner] = layout(shape);
  const row = Array.from({ length: c }, (_, i) => x[(n * c + i) * inner + k]);
  const z = row.reduce((s, v) => s + Math.exp(v), 0);
  return row.map((v) => Math.log(Math.exp(v) / z));
}

/**
 * CrossEntropyLoss with class indices: l_n = −w_{y_n}·log p_{y_n}·1{y_n ≠ ignore}; with smoothing ε the loss is
 * (1 − ε)·nll + (ε/C)·smooth, smooth_n = −Σ_c w_c·log p_c (0 where ignored), and 'mean' divides both sums by
 * Σ_n w_{y_n}·1{y_n ≠ ignore}.
 */
function refCrossEntropy(x: ArrayLike<number>, shape: readonly number[], t: ArrayLike<number>, o: ClassOptions, reduction: Reduction): number[] {
  const { weight, ignoreIndex = -100, labelSmoothing: eps = 0 } = o;
  const [n, c, inner] = layout(shape);
  const w = (i: number) => (weight ? weight[i] : 1);
  const nll: number[] = [];
  const smooth: number[] = [];
  let denominator = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const y = t[b * inner + k];
      if (y === ignoreIndex) {
        nll.push(0);
        smooth.push(0);
        continue;
      }
      const lp = logProbs(x, shape, b, k);
      nll.push(-w(y) * lp[y]);
      smooth.push(-lp.reduce((s, v, i) => s + w(i) * v, 0));
      denominator += w(y);
    }
  }
  const combine = (a: number, s: number) => (1 - eps) * a + (eps / c) * s;
  if (reduction === 'none') return nll.map((a, i) => combine(a, smooth[i]));
  const sumNll = nll.reduce((a, b) => a + b, 0);
  const sumSmooth = smooth.reduce((a, b) => a + b, 0);
  return reduction === 'sum' ? [combine(sumNll, sumSmooth)] : [combine(sumNll / denominator, sumSmooth / denominator)];
}

/**
 * CrossEntropyLoss with class probabilities: l_n = −Σ_c w_c·log p_c·y'_c, y' = (1 − ε)·y + ε/C; 'mean' divides by
 * the number of positions N·d1·...
 */
function refCrossEntropyProbs(x: ArrayLike<number>, shape: readonly number[], y: ArrayLike<number>, o: ClassOptions, reduction: Reduction): number[] {
  const { weight, labelSmoothing: eps = 0 } = o;
  const [n, c, inner] = layout(shape);
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const lp = logProbs(x, shape, b, k);
      let l = 0;
      for (let i = 0; i < c; i++) l -= (weight ? weight[i] : 1) * lp[i] * ((1 - eps) * y[(b * c + i) * inner + k] + eps / c);
      out.push(l);
    }
  }
  return reduceRef(out, reduction);
}

/** NLLLoss: l_n = −w_{y_n}·x_{n,y_n}·1{y_n ≠ ignore}; 'mean' divides by Σ w_{y_n}·1{y_n ≠ ignore}. */
function refNLL(x: ArrayLike<number>, shape: readonly number[], t: ArrayLike<number>, o: ClassOptions, reduction: Reduction): number[] {
  const { weight, ignoreIndex = -100 } = o;
  const [n, c, inner] = layout(shape);
  const out: number[] = [];
  let denominator = 0;
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const y = t[b * inner + k];
      if (y === ignoreIndex) {
        out.push(0);
        continue;
      }
      const w = weight ? weight[y] : 1;
      out.push(-w * x[(b * c + y) * inner + k]);
      denominator += w;
    }
  }
  if (reduction === 'none') return out;
  const s = out.reduce((a, b) => a + b, 0);
  return [reduction === 'sum' ? s : s / denominator];
}

/** BCELoss: l = −w·[y·max(log x, −100) + (1 − y)·max(log(1 − x), −100)]. */
const refBCE = (x: ArrayLike<number>, y: ArrayLike<number>, w?: (i: number) => number) =>
  Array.from(x, (v, i) => -(w ? w(i) : 1) * (y[i] * Math.max(Math.log(v), -100) + (1 - y[i]) * Math.max(Math.log(1 - v), -100)));

/** BCEWithLogitsLoss: l = −w·[p·y·log σ(x) + (1 − y)·log(1 − σ(x))], σ(x) = 1 / (1 + e^(−x)) (moderate x only). */
const refBCEWithLogits = (x: ArrayLike<number>, y: ArrayLike<number>, w?: (i: number) => number, p?: (i: number) => number) =>
  Array.from(x, (v, i) => {
    const s = 1 / (1 + Math.exp(-v));
    return -(w ? w(i) : 1) * ((p ? p(i) : 1) * y[i] * Math.log(s) + (1 - y[i]) * Math.log(1 - s));
  });

// ---------------------------------------------------------------------------------------------------------------

describe('regression losses against the formula', () => {
  const shape = [3, 4];
  for (const dtype of DTYPES) {
    const x = fromValues(normals(12, 1), shape, dtype);
    const y = fromValues(normals(12, 2), shape, dtype);
    for (const reduction of REDUCTIONS) {
      it(`mseLoss and MSELoss, ${reduction}, ${dtype}`, () => {
        const expected = reduceRef(refMSE(x.data, y.data), reduction);
        expectClose(mseLoss(x, y, { reduction }), expected, TOL[dtype]);
        expectClose(new MSELoss({ reduction }).forward(x, y), expected, TOL[dtype]);
      });
      it(`l1Loss and L1Loss, ${reduction}, ${dtype}`, () => {
        const expected = reduceRef(refL1(x.data, y.data), reduction);
        expectClose(l1Loss(x, y, { reduction }), expected, TOL[dtype]);
        expectClose(new L1Loss({ reduction }).forward(x, y), expected, TOL[dtype]);
      });
      for (const delta of [1, 0.5, 2.5]) {
        it(`huberLoss and HuberLoss, delta ${delta}, ${reduction}, ${dtype}`, () => {
          const expected = reduceRef(refHuber(x.data, y.data, delta), reduction);
          expectClose(huberLoss(x, y, { reduction, delta }), expected, TOL[dtype]);
          expectClose(new HuberLoss({ reduction, delta }).forward(x, y), expected, TOL[dtype]);
        });
      }
    }
  }

  it('defaults: reduction mean, Huber delta 1; the shape of none is the input shape', () => {
    const x = fromValues([0.5, 3], [2]);
    const y = fromValues([0, 0], [2]);
    // Huber: 0.5·0.5² = 0.125 and 1·(3 − 0.5) = 2.5; MSE: (0.25 + 9)/2; L1: (0.5 + 3)/2
    expectClose(huberLoss(x, y), [(0.125 + 2.5) / 2], 1e-15);
    expectClose(mseLoss(x, y), [4.625], 1e-15);
    expectClose(l1Loss(x, y), [1.75], 1e-15);
    expect(mseLoss(fromValues(normals(6, 3), [2, 3]), fromValues(normals(6, 4), [2, 3]), { reduction: 'none' }).shape).toEqual([2, 3]);
  });
});

describe('crossEntropy with class indices against the formula', () => {
  interface Case {
    label: string;
    shape: number[];
    target: number[];
    options: ClassOptions;
  }
  const cases: Case[] = [
    { label: 'plain', shape: [5, 4], target: [0, 3, 1, 1, 2], options: {} },
    { label: 'weights', shape: [5, 4], target: [0, 3, 1, 1, 2], options: { weight: [0.5, 2, 1.25, 0.75] } },
    { label: 'ignoreIndex -100', shape: [5, 4], target: [0, -100, 1, -100, 2], options: {} },
    { label: 'ignoreIndex 2', shape: [5, 4], target: [0, 2, 1, 3, 2], options: { ignoreIndex: 2 } },
    { label: 'label smoothing 0.1', shape: [5, 4], target: [0, 3, 1, 1, 2], options: { labelSmoothing: 0.1 } },
    { label: 'label smoothing 1', shape: [5, 4], target: [0, 3, 1, 1, 2], options: { labelSmoothing: 1 } },
    {
      label: 'weights, ignoreIndex and label smoothing', shape: [6, 4], target: [0, 3, -1, 1, 3, 2],
      options: { weight: [0.5, 2, 1.25, 0.75], ignoreIndex: -1, labelSmoothing: 0.2 },
    },
    {
      label: '(N, C, d) with weights, ignoreIndex and smoothing', shape: [2, 3, 4], target: [0, 1, 2, -100, 2, 2, 0, 1],
      options: { weight: [1.5, 0.25, 1], labelSmoothing: 0.3 },
    },
    { label: '(N, C, d1, d2)', shape: [2, 3, 2, 2], target: [0, 1, 2, 1, 2, 2, 0, 0], options: {} },
    { label: 'unbatched (C) with smoothing', shape: [4], target: [2], options: { labelSmoothing: 0.25, weight: [1, 2, 3, 4] } },
  ];
  for (const dtype of DTYPES) {
    for (const c of cases) {
      const x = fromValues(normals(c.shape, 7, 2), c.shape, dtype);
      const targetShape = c.shape.length === 1 ? [] : [c.shape[0], ...c.shape.slice(2)];
      const t = tensor(c.target).reshape(targetShape);
      for (const reduction of REDUCTIONS) {
        it(`${c.label}, ${reduction}, ${dtype}`, () => {
          const weight = c.options.weight ? tensor(c.options.weight, { dtype }) : undefined;
          const options = { ...c.options, weight, reduction };
          const expected = refCrossEntropy(x.data, c.shape, c.target, c.options, reduction);
          const got = crossEntropy(x, t, options);
          expect(got.shape).toEqual(reduction === 'none' ? targetShape : []);
          expectClose(got, expected, TOL[dtype]);
          expectClose(new CrossEntropyLoss(options).forward(x, t), expected, TOL[dtype]);
        });
      }
    }
  }

  it('equals nllLoss of logSoftmax for every option without smoothing', () => {
    const x = fromValues(normals(24, 8), [2, 3, 4]);
    const t = tensor([[0, 1, 2, -1], [2, 2, 0, 1]]);
    for (const reduction of REDUCTIONS) {
      const options = { weight: tensor([0.3, 1.7, 1]), ignoreIndex: -1, reduction };
      expectClose(crossEntropy(x, t, options), Array.from(nllLoss(logSoftmax(x, 1), t, options).data), 1e-12);
    }
  });

  it('hand-computed: logits [[2, 0, 0], [0, 0, 0]] with targets [0, 2] give (ln(1 + 2e⁻²) + ln 3) / 2', () => {
    const x = tensor([[2, 0, 0], [0, 0, 0]], { dtype: 'float64' });
    expectClose(crossEntropy(x, tensor([0, 2])), [(Math.log(1 + 2 * Math.exp(-2)) + Math.log(3)) / 2], 1e-15);
  });

  it("'mean' with every target ignored is NaN (0/0, as PyTorch)", () => {
    expect(crossEntropy(fromValues([1, 2, 3, 4], [2, 2]), tensor([-100, -100])).item()).toBeNaN();
  });
});

describe('crossEntropy with class probabilities against the formula', () => {
  const shapes: number[][] = [[4, 3], [2, 3, 2], [5]];
  for (const dtype of DTYPES) {
    for (const shape of shapes) {
      // Rows of the target: a random distribution over the classes.
      const [n, c, inner] = layout(shape);
      const raw = uniforms(shape, 9, 0, 1);
      const probs = raw.slice();
      for (let b = 0; b < n; b++) {
        for (let k = 0; k < inner; k++) {
          let s = 0;
          for (let i = 0; i < c; i++) s += raw[(b * c + i) * inner + k];
          for (let i = 0; i < c; i++) probs[(b * c + i) * inner + k] = raw[(b * c + i) * inner + k] / s;
        }
      }
      const x = fromValues(normals(shape, 10, 2), shape, dtype);
      const y = fromValues(probs, shape, dtype);
      for (const options of [{}, { labelSmoothing: 0.2 }, { weight: [0.5, 2, 1.25, 0.75, 1.5].slice(0, c) }, { weight: [2, 0.5, 1, 3, 0.25].slice(0, c), labelSmoothing: 0.6 }] as ClassOptions[]) {
        for (const reduction of REDUCTIONS) {
          it(`${JSON.stringify(shape)} ${JSON.stringify(options)}, ${reduction}, ${dtype}`, () => {
            const weight = options.weight ? tensor(options.weight) : undefined; // float32 weights are cast to the input's dtype
            const expected = refCrossEntropyProbs(x.data, shape, y.data, options, reduction);
            expectClose(crossEntropy(x, y, { ...options, weight, reduction }), expected, TOL[dtype]);
            expectClose(new CrossEntropyLoss({ ...options, weight, reduction }).forward(x, y), expected, TOL[dtype]);
          });
        }
      }
    }
  }

  it('one-hot probabilities give the same loss as the class indices (no weights)', () => {
    const x = fromValues(normals(12, 12), [4, 3]);
    const onehot = fromValues([0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 0], [4, 3]);
    for (const labelSmoothing of [0, 0.3]) {
      expectClose(crossEntropy(x, onehot, { labelSmoothing }), Array.from(crossEntropy(x, tensor([1, 0, 2, 1]), { labelSmoothing }).data), 1e-12);
    }
  });
});

describe('nllLoss against the formula', () => {
  const configs: Array<[string, number[], number[], ClassOptions]> = [
    ['plain', [4, 3], [0, 2, 1, 2], {}],
    ['weights and ignoreIndex', [5, 3], [0, 2, -100, 1, 2], { weight: [0.5, 1.5, 2] }],
    ['ignoreIndex 0', [4, 3], [0, 2, 1, 0], { ignoreIndex: 0 }],
    ['(N, C, d1, d2) with weights', [2, 3, 2, 2], [0, 1, 2, 1, 2, 2, 0, 0], { weight: [0.25, 1, 3] }],
    ['unbatched (C)', [4], [3], {}],
  ];
  for (const dtype of DTYPES) {
    for (const [label, shape, target, options] of configs) {
      for (const reduction of REDUCTIONS) {
        it(`${label}, ${reduction}, ${dtype}`, () => {
          const x = fromValues(normals(shape, 13), shape, dtype);
          const t = tensor(target).reshape(shape.length === 1 ? [] : [shape[0], ...shape.slice(2)]);
          const weight = options.weight ? tensor(options.weight) : undefined;
          const expected = refNLL(x.data, shape, target, options, reduction);
          expectClose(nllLoss(x, t, { ...options, weight, reduction }), expected, TOL[dtype]);
          expectClose(new NLLLoss({ ...options, weight, reduction }).forward(x, t), expected, TOL[dtype]);
        });
      }
    }
  }

  it('an ignored row with a −∞ log-probability neither poisons the loss nor the gradient', () => {
    const x = tensor([[-Infinity, -0.1], [-0.5, -1]], { dtype: 'float64', requiresGrad: true });
    const loss = nllLoss(x, tensor([-100, 0]));
    expect(loss.item()).toBe(0.5);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 0, -1, 0]);
  });
});

describe('binaryCrossEntropy against the formula', () => {
  const shape = [3, 4];
  for (const dtype of DTYPES) {
    const x = fromValues(uniforms(12, 14, 0.02, 0.98), shape, dtype);
    const y = fromValues(uniforms(12, 15, 0, 1), shape, dtype);
    const wValues = uniforms(4, 16, 0.5, 2);
    for (const reduction of REDUCTIONS) {
      it(`${reduction}, ${dtype}`, () => {
        const expected = reduceRef(refBCE(x.data, y.data), reduction);
        expectClose(binaryCrossEntropy(x, y, { reduction }), expected, TOL[dtype]);
        expectClose(new BCELoss({ reduction }).forward(x, y), expected, TOL[dtype]);
      });
      it(`with a weight [4] broadcast over [3, 4], ${reduction}, ${dtype}`, () => {
        const weight = fromValues(wValues, [4], dtype);
        const expected = reduceRef(refBCE(x.data, y.data, (i) => weight.data[i % 4]), reduction);
        expectClose(binaryCrossEntropy(x, y, { reduction, weight }), expected, TOL[dtype]);
        expectClose(new BCELoss({ reduction, weight }).forward(x, y), expected, TOL[dtype]);
      });
    }
  }

  it('clamps each log at −100: predictions of exactly 0 and 1 give 100 where wrong and 0 where right', () => {
    const x = tensor([0, 1, 0, 1], { requiresGrad: true });
    const loss = binaryCrossEntropy(x, tensor([1, 0, 0, 1]), { reduction: 'none' });
    expect(Array.from(loss.data, (v) => v + 0)).toEqual([100, 100, 0, 0]);
    loss.sum().backward();
    // Where the loss is a clamped log it is locally constant: gradient 0, never NaN. Where it is right, the loss is
    // −ln(1 − x) at x = 0 (derivative 1/(1 − x) = 1) and −ln x at x = 1 (derivative −1/x = −1).
    expect(Array.from(x.grad!.data, (v) => v + 0)).toEqual([0, 0, 1, -1]);
  });

  it('a tiny probability is clamped at −100 too, and its gradient where not clamped is −y/x + (1 − y)/(1 − x)', () => {
    const x = tensor([1e-50, 0.25], { dtype: 'float64', requiresGrad: true });
    const loss = binaryCrossEntropy(x, tensor([1, 1], { dtype: 'float64' }), { reduction: 'sum' });
    expectClose(loss, [100 - Math.log(0.25)], 1e-15);
    loss.backward();
    expectClose(x.grad!, [0, -1 / 0.25], 1e-15);
  });
});

describe('binaryCrossEntropyWithLogits against the formula', () => {
  const shape = [3, 4];
  for (const dtype of DTYPES) {
    const x = fromValues(normals(12, 17, 3), shape, dtype);
    const y = fromValues(uniforms(12, 18, 0, 1), shape, dtype);
    const w = fromValues(uniforms(12, 19, 0.5, 2), shape, dtype);
    const p = fromValues(uniforms(4, 20, 0.25, 4), [4], dtype);
    for (const reduction of REDUCTIONS) {
      it(`${reduction}, ${dtype}`, () => {
        const expected = reduceRef(refBCEWithLogits(x.data, y.data), reduction);
        expectClose(binaryCrossEntropyWithLogits(x, y, { reduction }), expected, TOL[dtype]);
        expectClose(new BCEWithLogitsLoss({ reduction }).forward(x, y), expected, TOL[dtype]);
      });
      it(`with weight [3, 4] and posWeight [4], ${reduction}, ${dtype}`, () => {
        const expected = reduceRef(refBCEWithLogits(x.data, y.data, (i) => w.data[i], (i) => p.data[i % 4]), reduction);
        expectClose(binaryCrossEntropyWithLogits(x, y, { reduction, weight: w, posWeight: p }), expected, TOL[dtype]);
        expectClose(new BCEWithLogitsLoss({ reduction, weight: w, posWeight: p }).forward(x, y), expected, TOL[dtype]);
      });
    }
  }

  it('is finite at logits ±1000, with the exact values and gradients σ(x) − y', () => {
    for (const dtype of DTYPES) {
      const x = fromValues([1000, 1000, -1000, -1000, 0], [5], dtype, true);
      const y = fromValues([1, 0, 1, 0, 1], [5], dtype);
      const loss = binaryCrossEntropyWithLogits(x, y, { reduction: 'none' });
      // −log σ(1000) = 0; −log(1 − σ(1000)) = 1000; −log σ(−1000) = 1000; −log(1 − σ(−1000)) = 0; −log σ(0) = ln 2
      expectClose(loss, [0, 1000, 1000, 0, Math.LN2], TOL[dtype]);
      loss.sum().backward();
      // σ(1000) = 1, σ(−1000) = 0, σ(0) = 1/2
      expectClose(x.grad!, [0, 1, -1, 0, -0.5], TOL[dtype]);
    }
  });

  it('with posWeight at ±1000: p·y·1000 for a confident wrong negative', () => {
    const loss = binaryCrossEntropyWithLogits(tensor([-1000, 1000]), tensor([1, 0]), { posWeight: tensor([3]), reduction: 'none' });
    expectClose(loss, [3000, 1000], 1e-7);
  });
});

describe('gradcheck of every loss (float64)', () => {
  const g = (values: number[], shape: number[]) => fromValues(values, shape, 'float64', true);
  const c = (values: number[], shape: number[]) => fromValues(values, shape, 'float64');

  it('mseLoss w.r.t. input and target, every reduction', () => {
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x, y) => mseLoss(x, y, { reduction }), [g(normals(6, 30), [2, 3]), g(normals(6, 31), [2, 3])]).ok).toBe(true);
    }
  });

  it('l1Loss w.r.t. input and target (|x − y| ≥ 0.2, away from the kink)', () => {
    const x = normals(6, 32);
    const gaps = uniforms(6, 33, 0.2, 1.2).map((v, i) => (i % 2 ? v : -v));
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x, y) => l1Loss(x, y, { reduction }), [g(x, [2, 3]), g(x.map((v, i) => v + gaps[i]), [2, 3])]).ok).toBe(true);
    }
  });

  it('huberLoss w.r.t. input and target on both pieces (|x − y| at least 0.15 from delta)', () => {
    const x = normals(8, 34);
    // Differences 0.1..0.65 (quadratic) and 1.15..2 (linear) around delta 0.8, both signs.
    const d = [0.1, -0.3, 0.65, -0.5, 1.15, -1.4, 2, -1.7];
    for (const reduction of REDUCTIONS) {
      const inputs = [g(x, [2, 4]), g(x.map((v, i) => v - d[i]), [2, 4])];
      expect(gradcheck((x, y) => huberLoss(x, y, { delta: 0.8, reduction }), inputs).ok).toBe(true);
    }
  });

  it('crossEntropy with indices: plain, weights + ignoreIndex + label smoothing, (N, C, d), every reduction', () => {
    const weight = tensor([0.5, 2, 1.25]);
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x) => crossEntropy(x, tensor([0, 2, 1, 2]), { reduction }), [g(normals(12, 35), [4, 3])]).ok).toBe(true);
      const options = { weight, ignoreIndex: 1, labelSmoothing: 0.2, reduction };
      expect(gradcheck((x) => crossEntropy(x, tensor([0, 2, 1, 2, 0]), options), [g(normals(15, 36), [5, 3])]).ok).toBe(true);
      const t3 = tensor([[0, 2, -100, 1], [2, 2, 0, 1]]);
      expect(gradcheck((x) => crossEntropy(x, t3, { weight, labelSmoothing: 0.1, reduction }), [g(normals(24, 37), [2, 3, 4])]).ok).toBe(true);
    }
  });

  it('crossEntropy with probabilities w.r.t. input and target, with weights and label smoothing', () => {
    const weight = tensor([0.5, 2, 1.25]);
    for (const reduction of REDUCTIONS) {
      const inputs = [g(normals(12, 38), [4, 3]), g(uniforms(12, 39, 0, 1), [4, 3])];
      expect(gradcheck((x, y) => crossEntropy(x, y, { weight, labelSmoothing: 0.15, reduction }), inputs).ok).toBe(true);
      const inputs3 = [g(normals(12, 40), [2, 3, 2]), g(uniforms(12, 41, 0, 1), [2, 3, 2])];
      expect(gradcheck((x, y) => crossEntropy(x, y, { reduction }), inputs3).ok).toBe(true);
    }
  });

  it('nllLoss w.r.t. the input, with weights and ignoreIndex, (N, C) and (N, C, d)', () => {
    const weight = tensor([0.5, 2, 1.25]);
    for (const reduction of REDUCTIONS) {
      expect(gradcheck((x) => nllLoss(x, tensor([0, 2, -100, 1]), { weight, reduction }), [g(normals(12, 42), [4, 3])]).ok).toBe(true);
      expect(gradcheck((x) => nllLoss(x, tensor([[0, 2], [1, 1]]), { weight, ignoreIndex: 2, reduction }), [g(normals(12, 43), [2, 3, 2])]).ok).toBe(true);
    }
  });

  it('binaryCrossEntropy w.r.t. input and target, with a weight', () => {
    const weight = c(uniforms(3, 44, 0.5, 2), [3]);
    for (const reduction of REDUCTIONS) {
      const inputs = [g(uniforms(6, 45, 0.1, 0.9), [2, 3]), g(uniforms(6, 46, 0, 1), [2, 3])];
      expect(gradcheck((x, y) => binaryCrossEntropy(x, y, { weight, reduction }), inputs).ok).toBe(true);
    }
  });

  it('binaryCrossEntropyWithLogits w.r.t. input and target, with weight and posWeight, logits including 0', () => {
    const weight = c(uniforms(6, 47, 0.5, 2), [2, 3]);
    const posWeight = c([0.5, 2, 3], [3]);
    for (const reduction of REDUCTIONS) {
      const x = normals(6, 48, 2);
      x[1] = 0; // the stable form's max(x, 0) and |x| have kinks here; the loss itself is smooth
      const inputs = [g(x, [2, 3]), g(uniforms(6, 49, 0, 1), [2, 3])];
      expect(gradcheck((x, y) => binaryCrossEntropyWithLogits(x, y, { weight, posWeight, reduction }), inputs).ok).toBe(true);
      expect(gradcheck((x, y) => binaryCrossEntropyWithLogits(x, y, { reduction }), inputs).ok).toBe(true);
    }
  });

  it('second derivatives of the composed losses through createGraph: d²(mse)/dx² = 2/n', () => {
    const x = g([0.5, -1, 2], [3]);
    const loss = mseLoss(x, c([0, 0, 0], [3]));
    loss.backward(undefined, { createGraph: true });
    const grad = x.grad!;
    x.grad = null;
    grad.sum().backward();
    expectClose(x.grad!, [2 / 3, 2 / 3, 2 / 3], 1e-15);
  });
});

describe('loss modules', () => {
  it('keep weight and posWeight as buffers (in stateDict, not parameters), as PyTorch', () => {
    const ce = new CrossEntropyLoss({ weight: tensor([1, 2, 3]) });
    expect(ce.parameters()).toHaveLength(0);
    expect(Object.keys(ce.stateDict())).toEqual(['weight']);
    expect(Object.keys(new BCEWithLogitsLoss({ weight: tensor([1]), posWeight: tensor([2]) }).stateDict())).toEqual(['weight', 'posWeight']);
    expect(Object.keys(new MSELoss().stateDict())).toEqual([]);
    expect(Object.keys(new NLLLoss().stateDict())).toEqual([]);
  });

  it('validate options in the constructor, naming the class', () => {
    expect(thrown(() => new MSELoss({ reduction: 'avg' as Reduction })).message).toMatch(/^MSELoss: reduction must be 'mean', 'sum' or 'none', got "avg"/);
    expect(() => new L1Loss({ reduction: 'batchmean' as Reduction })).toThrow(RangeError);
    expect(thrown(() => new CrossEntropyLoss({ labelSmoothing: 1.01 })).message).toMatch(/^CrossEntropyLoss: labelSmoothing must be a number in \[0, 1\], got 1.01/);
    expect(() => new CrossEntropyLoss({ labelSmoothing: -0.5 })).toThrow(RangeError);
    expect(() => new CrossEntropyLoss({ ignoreIndex: 1.5 })).toThrow(RangeError);
    expect(() => new CrossEntropyLoss({ weight: tensor([[1, 2]]) })).toThrow(ShapeError);
    expect(() => new NLLLoss({ reduction: 'none ' as Reduction })).toThrow(RangeError);
    expect(thrown(() => new HuberLoss({ delta: 0 })).message).toMatch(/^HuberLoss: delta must be a finite positive number, got 0/);
    expect(() => new HuberLoss({ delta: -1 })).toThrow(RangeError);
    expect(() => new BCELoss({ reduction: 'max' as Reduction })).toThrow(RangeError);
    expect(() => new BCEWithLogitsLoss({ posWeight: [1] as unknown as Tensor })).toThrow(TypeError);
  });

  it('a weight of the wrong class count is a ShapeError at forward', () => {
    const e = thrown(() => new CrossEntropyLoss({ weight: tensor([1, 2]) }).forward(fromValues(normals(6, 50), [2, 3]), tensor([0, 1])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^CrossEntropyLoss: weight .*\[3\], got \[2\]/);
  });
});

describe('loss errors', () => {
  const x = fromValues(normals(6, 51), [2, 3]);
  const elementwise: Array<[string, (a: Tensor, b: Tensor) => Tensor]> = [
    ['mseLoss', (a, b) => mseLoss(a, b)],
    ['l1Loss', (a, b) => l1Loss(a, b)],
    ['huberLoss', (a, b) => huberLoss(a, b)],
    ['binaryCrossEntropy', (a, b) => binaryCrossEntropy(a, b)],
    ['binaryCrossEntropyWithLogits', (a, b) => binaryCrossEntropyWithLogits(a, b)],
    ['MSELoss', (a, b) => new MSELoss().forward(a, b)],
    ['L1Loss', (a, b) => new L1Loss().forward(a, b)],
    ['HuberLoss', (a, b) => new HuberLoss().forward(a, b)],
    ['BCELoss', (a, b) => new BCELoss().forward(a, b)],
    ['BCEWithLogitsLoss', (a, b) => new BCEWithLogitsLoss().forward(a, b)],
  ];
  for (const [name, fn] of elementwise) {
    it(`${name}: a target of another shape is a ShapeError naming the loss and both shapes`, () => {
      const e = thrown(() => fn(fromValues([0.5, 0.5, 0.5, 0.5], [4, 1]), fromValues([1, 0, 1, 0], [4])));
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toBe(`${name}: input [4,1] and target [4] must have the same shape`);
    });
    it(`${name}: mixed dtypes are a TypeError naming the loss`, () => {
      const e = thrown(() => fn(fromValues([0.5], [1], 'float32'), fromValues([1], [1], 'float64')));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toMatch(new RegExp(`^${name}: input is float32 but target is float64`));
    });
  }

  it('a bad reduction or option in a functional form is a RangeError naming it', () => {
    expect(thrown(() => mseLoss(x, x, { reduction: 'Mean' as Reduction })).message).toMatch(/^mseLoss: reduction/);
    expect(() => crossEntropy(x, tensor([0, 1]), { reduction: 'avg' as Reduction })).toThrow(RangeError);
    expect(thrown(() => crossEntropy(x, tensor([0, 1]), { labelSmoothing: 2 })).message).toMatch(/^crossEntropy: labelSmoothing/);
    expect(() => crossEntropy(x, x, { labelSmoothing: -1 })).toThrow(RangeError);
    expect(thrown(() => huberLoss(x, x, { delta: -2 })).message).toMatch(/^huberLoss: delta/);
    expect(() => huberLoss(x, x, { delta: Infinity })).toThrow(RangeError);
    expect(() => nllLoss(x, tensor([0, 1]), { reduction: 'x' as Reduction })).toThrow(RangeError);
    expect(() => binaryCrossEntropyWithLogits(x, x, { reduction: 'x' as Reduction })).toThrow(RangeError);
  });

  it('crossEntropy and nllLoss: bad class targets are errors naming the loss, the value and the position', () => {
    const e = thrown(() => crossEntropy(x, tensor([0, 3])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^crossEntropy: target 3 at position 1/);
    expect(thrown(() => nllLoss(x, tensor([-2, 0]))).message).toMatch(/^nllLoss: target -2 at position 0/);
    expect(thrown(() => new NLLLoss().forward(x, tensor([0, 0.5]))).message).toMatch(/^NLLLoss: target 0.5 at position 1 is not an integer/);
    const s = thrown(() => crossEntropy(x, tensor([0, 1, 2])));
    expect(s).toBeInstanceOf(ShapeError);
    expect(s.message).toMatch(/^crossEntropy: input \[2,3\] needs class-index targets of shape \[2\], got target \[3\]/);
    expect(thrown(() => new CrossEntropyLoss().forward(x, tensor([[0, 1]]))).message).toMatch(/^CrossEntropyLoss: input \[2,3\]/);
    expect(() => nllLoss(x, tensor([[0], [1]]))).toThrow(ShapeError);
  });

  it('crossEntropy with probabilities refuses a non-negative ignoreIndex and mixed dtypes, as PyTorch', () => {
    expect(thrown(() => crossEntropy(x, x, { ignoreIndex: 0 })).message).toMatch(/ignoreIndex 0 is only supported for class-index targets/);
    expect(() => crossEntropy(x, x.to('float32'))).toThrow(TypeError);
  });

  it('binaryCrossEntropy refuses inputs outside [0, 1], naming the value and position', () => {
    const e = thrown(() => binaryCrossEntropy(fromValues([0.5, 1.5], [2]), fromValues([1, 0], [2])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^binaryCrossEntropy: input must hold probabilities in \[0, 1\], got 1.5 at flat position 1/);
    expect(() => binaryCrossEntropy(fromValues([NaN], [1]), fromValues([1], [1]))).toThrow(RangeError);
  });

  it('a weight that does not broadcast to the input is a ShapeError naming the loss', () => {
    const e = thrown(() => binaryCrossEntropy(fromValues([0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [2, 3]), fromValues([1, 0, 1, 0, 1, 0], [2, 3]), { weight: tensor([1, 2]) }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('binaryCrossEntropy: weight [2] does not broadcast to input [2,3]');
    expect(() => binaryCrossEntropyWithLogits(x, x, { posWeight: tensor([1, 2, 3, 4]) })).toThrow(ShapeError);
    // A weight broadcast would enlarge the loss beyond the input's shape: refused too.
    expect(() => binaryCrossEntropyWithLogits(x, x, { weight: fromValues(normals(12, 52), [2, 2, 3]) })).toThrow(ShapeError);
  });
});

describe('loss options: unknown keys and PyTorch options tapegrad lacks', () => {
  const x = fromValues([0.25, 0.5, 0.75, 0.5], [2, 2]);
  const labels = tensor([0, 1]);
  // Each loss, its allowed keys in the order the message lists them, and a key another loss takes but this one does not.
  const cases: Array<[string, readonly string[], string, (options: object) => unknown]> = [
    ['mseLoss', ['reduction'], 'delta', (o) => mseLoss(x, x, o)],
    ['l1Loss', ['reduction'], 'weight', (o) => l1Loss(x, x, o)],
    ['huberLoss', ['reduction', 'delta'], 'weight', (o) => huberLoss(x, x, o)],
    ['crossEntropy', ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'], 'posWeight', (o) => crossEntropy(x, labels, o)],
    ['nllLoss', ['reduction', 'weight', 'ignoreIndex'], 'labelSmoothing', (o) => nllLoss(x, labels, o)],
    ['binaryCrossEntropy', ['reduction', 'weight'], 'posWeight', (o) => binaryCrossEntropy(x, x, o)],
    ['binaryCrossEntropyWithLogits', ['reduction', 'weight', 'posWeight'], 'ignoreIndex', (o) => binaryCrossEntropyWithLogits(x, x, o)],
    ['MSELoss', ['reduction'], 'delta', (o) => new MSELoss(o)],
    ['L1Loss', ['reduction'], 'weight', (o) => new L1Loss(o)],
    ['HuberLoss', ['reduction', 'delta'], 'weight', (o) => new HuberLoss(o)],
    ['CrossEntropyLoss', ['reduction', 'weight', 'ignoreIndex', 'labelSmoothing'], 'posWeight', (o) => new CrossEntropyLoss(o)],
    ['NLLLoss', ['reduction', 'weight', 'ignoreIndex'], 'labelSmoothing', (o) => new NLLLoss(o)],
    ['BCELoss', ['reduction', 'weight'], 'posWeight', (o) => new BCELoss(o)],
    ['BCEWithLogitsLoss', ['reduction', 'weight', 'posWeight'], 'ignoreIndex', (o) => new BCEWithLogitsLoss(o)],
  ];
  for (const [name, allowed, foreign, make] of cases) {
    it(`${name}: an unknown key is a TypeError naming the loss and the key, listing the allowed ones`, () => {
      const e = thrown(() => make({ [foreign]: 1 }));
      expect(e).toBeInstanceOf(TypeError);
      expect(e.message).toBe(`${name}: unknown option '${foreign}' (expected ${allowed.join(', ')})`);
    });
    it(`${name}: sizeAverage and reduce (deprecated in PyTorch) are refused as not supported, unless null`, () => {
      for (const key of ['sizeAverage', 'reduce']) {
        const e = thrown(() => make({ [key]: false }));
        expect(e, key).toBeInstanceOf(RangeError);
        expect(e.message).toMatch(new RegExp(`^${name}: option '${key}' is not supported by tapegrad, got false \\(.*use reduction`));
        expect(() => make({ [key]: null, reduction: 'sum' })).not.toThrow();
      }
    });
  }

  it('a snake_case key gets the camelCase name suggested (the typo that used to be silently ignored)', () => {
    const e = thrown(() => new CrossEntropyLoss({ label_smoothing: 0.1 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("CrossEntropyLoss: unknown option 'label_smoothing' (expected reduction, weight, ignoreIndex, labelSmoothing); did you mean 'labelSmoothing'?");
    expect(() => crossEntropy(x, labels, { ignore_index: -1 } as never)).toThrow(/^crossEntropy: unknown option 'ignore_index' .*did you mean 'ignoreIndex'\?$/);
    expect(() => binaryCrossEntropyWithLogits(x, x, { pos_weight: tensor([2]) } as never)).toThrow(/did you mean 'posWeight'\?$/);
  });

  it('allowed keys still work: the value is the formula', () => {
    // (0 + 4 + 9) / 3 and its sum 13
    expect(mseLoss(tensor([1, 2, 3]), tensor([1, 0, 0]), { reduce: null } as never).item()).toBeCloseTo(13 / 3, 6);
    expect(new MSELoss({ reduction: 'sum', sizeAverage: null } as never).forward(tensor([1, 2, 3]), tensor([1, 0, 0])).item()).toBe(13);
    // Huber with δ = 1 at d = 3: δ(|d| − δ/2) = 2.5
    expect(new HuberLoss({ delta: 1, reduction: 'none' }).forward(tensor([3]), tensor([0])).item()).toBe(2.5);
  });

  it('a non-object options argument is a TypeError naming the loss and the value', () => {
    expect(() => mseLoss(x, x, 'sum' as never)).toThrow(/^mseLoss: options must be an object, got "sum"$/);
    expect(() => new NLLLoss(null as never)).toThrow(/^NLLLoss: options must be an object, got null$/);
  });
});
