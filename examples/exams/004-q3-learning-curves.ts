/**
 * Seed 004, Q3: training and validation loss against model complexity. The document's plot is missing, so the
 * curves are computed: y = sin(πx) + noise, 15 training points, polynomial models (Legendre features) of degree
 * 0..12 fitted exactly by least squares, and their MSE on the training set and on 500 fresh validation points.
 * Training loss can only fall as the degree grows; validation loss falls, bottoms out and then explodes: overfitting.
 */
import { Generator, type Tensor, nn, rand, randn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { leastSquares, legendreFeatures } from '../lib/least-squares.js';
import { lineChart } from '../lib/plot.js';

export const meta = { id: '004-Q3', title: 'learning curves: training and validation loss vs model complexity (overfitting)' };

export interface CurveRun {
  seed: number;
  degrees: number[];
  trainMse: number[];
  valMse: number[];
  /** The degree with the lowest validation MSE. */
  bestDegree: number;
  /** The training points. */
  trainX: number[];
  trainY: number[];
  /** The fitted coefficients of each degree (Legendre basis). */
  weights: number[][];
}

export interface LearningCurvesResult extends ExampleResult, CurveRun {
  nTrain: number;
  nVal: number;
  noise: number;
  ridge: number;
  /** The same sweep over seeds 0..9. */
  seeds: Array<CurveRun & { trainMonotone: boolean; interiorBest: boolean; overfitRatio: number; underfitRatio: number }>;
}

const N_TRAIN = 15;
const N_VAL = 500;
const NOISE = 0.2;
const MAX_DEGREE = 12;
// A whisker of ridge keeps the degree-12 normal equations solvable on 15 points without changing the fit visibly.
const RIDGE = 1e-10;

/** n points x ~ U(−1, 1), y = sin(πx) + σ·ε. */
function sample(n: number, generator: Generator): { x: Tensor; y: Tensor } {
  const x = rand([n, 1], { dtype: 'float64', generator }).mul(2).sub(1);
  const clean = x.mul(Math.PI).sin();
  const y = clean.add(randn([n, 1], { dtype: 'float64', generator }).mul(NOISE));
  return { x, y };
}

/** Fits every degree on one seed's data; each model is a bias-free Dense on the Legendre features. */
export function sweep(seed: number): CurveRun {
  const generator = new Generator(seed);
  const train = sample(N_TRAIN, generator);
  const val = sample(N_VAL, generator);
  const degrees: number[] = [];
  const trainMse: number[] = [];
  const valMse: number[] = [];
  const weights: number[][] = [];
  for (let d = 0; d <= MAX_DEGREE; d++) {
    const features = (x: Tensor) => legendreFeatures(x, d);
    const model = new nn.Dense(d + 1, 1, { bias: false, dtype: 'float64', generator });
    model.weight.data.set(leastSquares(features(train.x), train.y, { ridge: RIDGE }).data);
    degrees.push(d);
    weights.push(Array.from(model.weight.data));
    trainMse.push(nn.mseLoss(model.forward(features(train.x)), train.y).item());
    valMse.push(nn.mseLoss(model.forward(features(val.x)), val.y).item());
  }
  const bestDegree = valMse.indexOf(Math.min(...valMse));
  return { seed, degrees, trainMse, valMse, bestDegree, trainX: Array.from(train.x.data), trainY: Array.from(train.y.data), weights };
}

export function run(): LearningCurvesResult {
  const main = sweep(0);
  const seeds = Array.from({ length: 10 }, (_, s) => {
    const r = sweep(s);
    const best = r.valMse[r.bestDegree];
    return {
      ...r,
      trainMonotone: r.trainMse.every((v, i) => i === 0 || v <= r.trainMse[i - 1] + 1e-9),
      interiorBest: r.bestDegree > 0 && r.bestDegree < MAX_DEGREE,
      overfitRatio: r.valMse[MAX_DEGREE] / best,
      underfitRatio: r.valMse[0] / best,
    };
  });
  const best = main.valMse[main.bestDegree];
  const count = (f: (s: (typeof seeds)[number]) => boolean) => seeds.filter(f).length;
  const g = (v: number) => (v < 10 ? v.toFixed(3) : v.toPrecision(4));
  const lines = [
    `y = sin(πx) + ${NOISE}·ε, x ~ U(−1, 1); ${N_TRAIN} training points, ${N_VAL} validation points (seed 0)`,
    `model: Legendre features P_0..P_d, a bias-free Dense(d + 1 → 1) set to the least-squares fit (ridge ${RIDGE})`,
    '  d   train MSE   validation MSE',
    ...main.degrees.map((d) => `  ${String(d).padStart(2)}  ${g(main.trainMse[d]).padStart(9)}   ${g(main.valMse[d]).padStart(12)}${d === main.bestDegree ? '   ← best' : ''}`),
    `training MSE never rises with d (more capacity can only fit the same points better); validation MSE is lowest at d = ${main.bestDegree}`,
    `  underfitting at d = 0: validation ${g(main.valMse[0])} = ${(main.valMse[0] / best).toFixed(1)} × the best`,
    `  overfitting at d = ${MAX_DEGREE}: training ${g(main.trainMse[MAX_DEGREE])} but validation ${g(main.valMse[MAX_DEGREE])} = ${(main.valMse[MAX_DEGREE] / best).toExponential(2)} × the best`,
    `over seeds 0..9: training MSE monotone in ${count((s) => s.trainMonotone)}/10, best degree interior in ${count((s) => s.interiorBest)}/10 `
      + `(degrees ${seeds.map((s) => s.bestDegree).join(', ')}), val(${MAX_DEGREE})/val(best) ≥ ${Math.min(...seeds.map((s) => s.overfitRatio)).toExponential(2)}, `
      + `val(0)/val(best) ≥ ${Math.min(...seeds.map((s) => s.underfitRatio)).toFixed(2)}`,
    'document: the figure is missing; nothing to compare',
  ];
  return {
    ...main, nTrain: N_TRAIN, nVal: N_VAL, noise: NOISE, ridge: RIDGE, seeds,
    summary: `train MSE falls ${g(main.trainMse[0])} → ${g(main.trainMse[MAX_DEGREE])}; validation U-curve, best d = ${main.bestDegree} (${g(best)}), d = ${MAX_DEGREE}: ${g(main.valMse[MAX_DEGREE])}`,
    agrees: 'no answer given',
    plots: [lineChart({
      name: 'complexity',
      title: 'Training and validation MSE vs polynomial degree (15 training points)',
      x: { label: 'degree (model complexity)' },
      y: { label: 'MSE', log: true },
      points: true,
      series: [
        { name: 'training', points: main.degrees.map((d) => [d, Math.max(main.trainMse[d], 1e-12)] as const) },
        { name: 'validation', points: main.degrees.map((d) => [d, main.valMse[d]] as const) },
      ],
    })],
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
