/**
 * 000-SA8 (SYS ENG 6213 midterm, Short Answer 8): learning curves (training and validation error against the
 * training-set size) for an underfitting and an overfitting model. The exam's two plots are missing, so the curves
 * are made here: polynomial regression of a noisy sine, degree 1 (underfits) and degree 10 (overfits).
 *
 * Each model is linear in Legendre features, fitted in closed form (examples/lib/least-squares.ts); its predictions
 * and errors come from tapegrad: a bias-free Dense layer holding the solved coefficients, and nn.mseLoss.
 */
import { Generator, Tensor, nn, rand, randn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { legendreFeatures, leastSquares } from '../lib/least-squares.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-SA8',
  title: 'learning curves vs training-set size: which one shows underfitting and which overfitting',
};

export const SIZES = [12, 20, 40, 80, 160, 320];
export const DEGREES = [1, 10] as const;
export const NOISE_STD = 0.2;
export const RIDGE = 1e-10;
export const VALIDATION_SIZE = 1000;
export const DRAWS = 5;

/** One point of a learning curve: mean training and validation MSE over the draws. */
export interface CurvePoint {
  n: number;
  train: number;
  val: number;
}

/** n points x ~ U[−1, 1], y = sin(πx) + N(0, 0.2²). */
function sample(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const x = rand([n], { dtype: 'float64', generator: g }).mul(2).sub(1);
  const noise = randn([n], { dtype: 'float64', generator: g }).mul(NOISE_STD);
  const clean = x.mul(Math.PI).sin();
  return { x, y: clean.add(noise).reshape([n, 1]) };
}

/** The fitted model: Dense(d + 1 → 1, no bias) whose weight is the least-squares solution on the features. */
export function fit(features: Tensor, y: Tensor): nn.Dense {
  const p = features.shape[1];
  // The least-squares weight overwrites the initial draws (taken from a generator of its own, not the default one).
  const model = new nn.Dense(p, 1, { bias: false, dtype: 'float64', generator: new Generator(0) });
  model.weight.data.set(leastSquares(features, y, { ridge: RIDGE }).data);
  return model;
}

/**
 * Learning curves for degrees 1 and 10 from `new Generator(seed)`: one validation set of 1000 points, then for each
 * N five training sets, each fitted by both models; errors averaged over the five.
 */
export function learningCurves(seed: number): Record<(typeof DEGREES)[number], CurvePoint[]> {
  const g = new Generator(seed);
  const val = sample(VALIDATION_SIZE, g);
  const valFeatures = Object.fromEntries(DEGREES.map((d) => [d, legendreFeatures(val.x, d)])) as Record<number, Tensor>;
  const curves = { 1: [] as CurvePoint[], 10: [] as CurvePoint[] };
  for (const n of SIZES) {
    const sums = Object.fromEntries(DEGREES.map((d) => [d, { train: 0, val: 0 }])) as Record<number, { train: number; val: number }>;
    for (let draw = 0; draw < DRAWS; draw++) {
      const tr = sample(n, g);
      for (const d of DEGREES) {
        const features = legendreFeatures(tr.x, d);
        const model = fit(features, tr.y);
        sums[d].train += nn.mseLoss(model.forward(features), tr.y).item();
        sums[d].val += nn.mseLoss(model.forward(valFeatures[d]), val.y).item();
      }
    }
    for (const d of DEGREES) curves[d].push({ n, train: sums[d].train / DRAWS, val: sums[d].val / DRAWS });
  }
  return curves;
}

const num = (v: number) => (v >= 100 ? v.toExponential(2) : v.toFixed(3));
const curveText = (c: CurvePoint[]) => c.map((p) => `(${p.n}, ${num(p.train)}, ${num(p.val)})`).join(', ');

export function run(): ExampleResult & { seed: number; curves: Record<1 | 10, CurvePoint[]> } {
  const seed = 0;
  const curves = learningCurves(seed);
  const last = (d: 1 | 10) => curves[d][curves[d].length - 1];
  const gap = (p: CurvePoint) => p.val - p.train;
  const sigma2 = NOISE_STD ** 2;
  return {
    seed, curves,
    summary: `degree 1 underfits: train ≈ val ≈ ${last(1).val.toFixed(3)} (${(last(1).val / sigma2).toFixed(1)}σ²) at N = 320; ` +
      `degree 10 overfits: gap ${num(gap(curves[10][0]))} at N = 12 → ${gap(last(10)).toFixed(4)} at N = 320`,
    agrees: 'no answer given',
    plots: ([1, 10] as const).map((d) => lineChart({
      name: `degree-${d}`,
      title: `Learning curves, degree ${d} (${d === 1 ? 'underfits' : 'overfits'}): MSE vs training-set size`,
      x: { label: 'training-set size N', log: true },
      y: { label: 'MSE (mean of draws)', log: true },
      points: true,
      series: [
        { name: 'training', points: curves[d].map((p) => [p.n, p.train] as const) },
        { name: 'validation', points: curves[d].map((p) => [p.n, p.val] as const) },
      ],
    })),
    lines: [
      `f(x) = sin(πx), x ~ U[−1, 1], noise σ = ${NOISE_STD} (σ² = ${sigma2.toFixed(2)}); least squares (ridge ${RIDGE}) on Legendre features of degree d;`,
      `  predictions by a bias-free nn.Dense holding the coefficients, errors by nn.mseLoss; ${VALIDATION_SIZE} validation points, each N averaged over ${DRAWS} training draws (seed ${seed})`,
      `d = 1 (underfit), (N, train MSE, val MSE): ${curveText(curves[1])}`,
      `  both curves meet at a high error ≈ ${last(1).val.toFixed(3)} ≈ ${(last(1).val / sigma2).toFixed(1)}σ² with a small gap ${gap(last(1)).toFixed(4)}: high bias, more data does not help`,
      `d = 10 (overfit), (N, train MSE, val MSE): ${curveText(curves[10])}`,
      `  a huge gap at small N (${num(gap(curves[10][0]))} at N = 12) that closes as N grows (${gap(last(10)).toFixed(4)} at N = 320), towards σ²: high variance, more data helps`,
      'result: converging curves at a high error = underfitting; a large gap that closes slowly with N = overfitting',
      'document: "top graph = underfitting (curves converge, high bias), bottom = overfitting (large gap)": consistent with the demo, but the figures are missing so which plot is which cannot be checked',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
