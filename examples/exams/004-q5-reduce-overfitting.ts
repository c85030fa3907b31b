/**
 * 004-Q5 (IIT Tirupati CS5223 mid-semester, Q5): name two ways to reduce overfitting and say why they work. The
 * document gives three: more training data (it lowers the variance), lower capacity through feature design, and
 * regularisation (a smaller set of feasible models). Each is measured on the same kind of problem (noisy samples of
 * sin(πx), polynomial models on Legendre features) by reusing the entries that build the curves:
 *   (i)   more data: 000-SA8's learning curves: the degree-10 model's train/validation gap against N;
 *   (ii)  lower capacity: 004-Q3's sweep: validation MSE against the degree, at N = 15;
 *   (iii) regularisation: 001-Q3a's validation sweep over the ridge strength λ, at N = 20.
 */
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { type CurvePoint, learningCurves } from './000-sa8-learning-curves.js';
import { type CurveRun, sweep } from './004-q3-learning-curves.js';
import { type SweepResult, ridgeSweep, sweepA } from './001-q3a-q3b-ridge-lambda.js';

export const meta = {
  id: '004-Q5',
  title: 'two ways to reduce overfitting, and why they work ' +
    '(key: more training data lowers the variance; lower capacity via feature design; regularisation shrinks the set of feasible models)',
};

export const DEFAULT_SEED = 5;

export interface OverfittingCures {
  seed: number;
  /** (i) degree-10 learning curve (000-SA8). */
  moreData: CurvePoint[];
  /** (val − train) at the smallest N over (val − train) at the largest. */
  gapShrink: number;
  /** (ii) the degree sweep (004-Q3). */
  capacity: CurveRun;
  /** val MSE at degree 12 over val MSE at the best degree. */
  capacityRatio: number;
  /** (iii) the λ sweep (001-Q3a). */
  regularisation: SweepResult;
  /** val MSE at the chosen λ over val MSE at λ = 0. */
  regularisationRatio: number;
}

export function cures(seed: number): OverfittingCures {
  const moreData = learningCurves(seed)[10];
  const gap = (p: CurvePoint) => p.val - p.train;
  const capacity = sweep(seed);
  const regularisation = ridgeSweep(sweepA, seed);
  const bestVal = Math.min(...regularisation.valMse);
  return {
    seed, moreData,
    gapShrink: gap(moreData[0]) / gap(moreData[moreData.length - 1]),
    capacity,
    capacityRatio: capacity.valMse[capacity.valMse.length - 1] / capacity.valMse[capacity.bestDegree],
    regularisation,
    regularisationRatio: bestVal / regularisation.valMse[regularisation.lambdas.indexOf(0)],
  };
}

const lambdaText = (l: number) => (l !== 0 && l < 1e-3 ? l.toExponential() : String(l));
const g3 = (v: number) => (v >= 100 ? v.toExponential(2) : v >= 10 ? v.toPrecision(3) : v.toFixed(3));

export function run(options: { seed?: number } = {}): ExampleResult & OverfittingCures {
  const r = cures(options.seed ?? DEFAULT_SEED);
  const first = r.moreData[0];
  const last = r.moreData[r.moreData.length - 1];
  const cap = r.capacity;
  const maxDegree = cap.degrees[cap.degrees.length - 1];
  const reg = r.regularisation;
  const best = reg.best;
  const positive = reg.lambdas.map((l, i) => [l, i] as const).filter(([l]) => l > 0);
  const plots = [
    lineChart({
      name: 'more-data', title: '(i) more data: the degree-10 model\'s train/validation gap closes as N grows (000-SA8)',
      x: { label: 'training-set size N (log scale)', log: true }, y: { label: 'MSE (log scale)', log: true }, points: true,
      series: [
        { name: 'training MSE', points: r.moreData.map((p) => [p.n, p.train] as const) },
        { name: 'validation MSE', points: r.moreData.map((p) => [p.n, p.val] as const) },
      ],
    }),
    lineChart({
      name: 'capacity', title: '(ii) lower capacity: validation MSE against the polynomial degree, N = 15 (004-Q3)',
      x: { label: 'degree' }, y: { label: 'MSE (log scale)', log: true }, points: true,
      series: [
        { name: 'training MSE', points: cap.degrees.map((d, i) => [d, cap.trainMse[i]] as const) },
        { name: 'validation MSE', points: cap.degrees.map((d, i) => [d, cap.valMse[i]] as const) },
      ],
    }),
    lineChart({
      name: 'regularisation', title: '(iii) regularisation: ridge on degree 12, N = 20, by λ (001-Q3a)',
      x: { label: 'λ (log scale; λ = 0 not drawn)', log: true }, y: { label: 'MSE (log scale)', log: true }, points: true,
      series: [
        { name: 'training MSE', points: positive.map(([l, i]) => [l, reg.trainMse[i]] as const) },
        { name: 'validation MSE', points: positive.map(([l, i]) => [l, reg.valMse[i]] as const) },
      ],
    }),
  ];
  return {
    ...r, plots,
    summary: `degree-10 gap shrinks ${g3(r.gapShrink)}× from N = ${first.n} to ${last.n}; degree ${cap.bestDegree} beats degree ${maxDegree} ${g3(r.capacityRatio)}× on validation; ` +
      `ridge λ = ${lambdaText(reg.lambdas[best])} cuts validation MSE to ${(100 * r.regularisationRatio).toFixed(1)}% of λ = 0's`,
    agrees: 'yes',
    lines: [
      'question: mention at least two ways of minimising overfitting in neural networks, and why they work',
      'key: (1) more training data: it reduces the variance term of the bias-variance decomposition; (2) data preprocessing / feature design: a lower-capacity model on good features; ' +
        'reducing the set of feasible models is regularisation',
      `demo (seed ${r.seed}): y = sin(πx) + N(0, 0.2²), polynomial models on Legendre features, fitted in closed form and evaluated by nn.Dense + nn.mseLoss`,
      `(i) more data (000-SA8), degree 10, (N, train, val): ${r.moreData.map((p) => `(${p.n}, ${g3(p.train)}, ${g3(p.val)})`).join(', ')}` +
        ` → the gap val − train shrinks ${g3(r.gapShrink)}× from N = ${first.n} to N = ${last.n}`,
      `(ii) lower capacity (004-Q3), N = 15: validation MSE by degree ${cap.valMse.map(g3).join(', ')}` +
        ` → degree ${cap.bestDegree} is best; degree ${maxDegree} is ${g3(r.capacityRatio)}× worse while its training MSE is the lowest (${g3(cap.trainMse[cap.trainMse.length - 1])})`,
      `(iii) regularisation (001-Q3a), degree 12, N = 20: validation MSE by λ ∈ {${reg.lambdas.map(lambdaText).join(', ')}}: ${reg.valMse.map(g3).join(', ')}` +
        ` → λ = ${lambdaText(reg.lambdas[best])} gives ${g3(reg.valMse[best])}, ${(100 * r.regularisationRatio).toFixed(1)}% of the unregularised ${g3(reg.valMse[0])}`,
      'result: all three remedies named by the key cut the validation error of an overfitting model; the key is right',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
