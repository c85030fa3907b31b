/**
 * Exam 000, True/False 10: "In bagging, a single model is trained multiple times to get multiple predictions on test
 * data" (key F: bagging trains multiple models, each on its own bootstrap resample of the training set).
 *
 * Demo (EXAMS.md §3): (i) a bootstrap resample (N draws with replacement) holds on average 1 − (1 − 1/N)^N ≈ 1 − 1/e
 * = 63.2% of the distinct samples, so every bagged model sees a different ~63% of the data; (ii) the K resamples of
 * a small regression set are pairwise different, the K MLPs trained on them (by the library) disagree, and for
 * squared error the averaged prediction is never worse than the average model (Jensen: (mean pᵢ − y)² ≤ mean (pᵢ − y)²,
 * pointwise), here by a wide margin; (iii) training one model K times on the same data from the same seeded init
 * gives K identical predictions, so averaging them gains exactly nothing: the diversity comes from the resampling.
 */
import { Generator, type Tensor, linspace, nn, noGrad, optim, rand, randint, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { type Plot, lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF10',
  title: 'True/False: "In bagging, a single model is trained multiple times to get multiple predictions on test data" (key: F, multiple models)',
};

export const inputs = {
  /** (i) The unique fraction of bootstrap resamples of N = 1000, averaged over 20 resamples. */
  bootstrapN: 1000,
  bootstrapRepeats: 20,
  /** (ii) y = sin(3x) + noise on n points x ~ U[−1, 1]. */
  n: 30,
  noise: 0.3,
  /** Bagged models: MLP 1-hidden-1 (tanh), Adam, full-batch steps on each resample. */
  models: 10,
  hidden: 32,
  lr: 0.02,
  steps: 300,
  /** Test grid on [−1, 1], scored against the noise-free sin(3x). */
  testPoints: 101,
  defaultSeed: 10,
};

const f64 = { dtype: 'float64' } as const;
const target = (x: number) => Math.sin(3 * x);

/** One bootstrap resample: n indices drawn uniformly with replacement from 0..n−1 by the library's randint. */
export function bootstrapIndices(n: number, generator: Generator): number[] {
  return Array.from(randint(0, n, [n], { generator }).data);
}

function makeModel(generator: Generator): nn.Sequential {
  const { hidden } = inputs;
  return new nn.Sequential(new nn.Dense(1, hidden, { ...f64, generator }), new nn.Tanh(), new nn.Dense(hidden, 1, { ...f64, generator }));
}

/** Trains a fresh model (initialised from `initSeed`) on rows `rows` of (x, y); returns its predictions on `xTest`. */
export function trainAndPredict(x: Tensor, y: Tensor, rows: number[], initSeed: number, xTest: Tensor): number[] {
  const model = makeModel(new Generator(initSeed));
  const opt = new optim.Adam(model.parameters(), { lr: inputs.lr });
  const xb = x.indexSelect(0, rows);
  const yb = y.indexSelect(0, rows);
  for (let t = 0; t < inputs.steps; t++) {
    opt.zeroGrad();
    nn.mseLoss(model.forward(xb), yb).backward();
    opt.step();
  }
  return noGrad(() => Array.from(model.forward(xTest).data));
}

/** Mean squared error of predictions against the noise-free target on the test grid. */
export function mseAgainst(pred: readonly number[], truth: readonly number[]): number {
  return pred.reduce((s, p, i) => s + (p - truth[i]) ** 2, 0) / pred.length;
}

/** The pointwise average of K prediction vectors. */
export function averagePrediction(preds: readonly (readonly number[])[]): number[] {
  return preds[0].map((_, i) => preds.reduce((s, p) => s + p[i], 0) / preds.length);
}

export interface EnsembleRun {
  /** Each model's test predictions. */
  predictions: number[][];
  /** Each model's test MSE. */
  individualMse: number[];
  /** Mean of the individual MSEs. */
  meanIndividualMse: number;
  /** MSE of the averaged prediction. */
  ensembleMse: number;
  /** Mean over the grid of the variance of the K predictions (how much the models disagree). */
  spread: number;
}

function ensemble(predictions: number[][], truth: number[]): EnsembleRun {
  const individualMse = predictions.map((p) => mseAgainst(p, truth));
  const avg = averagePrediction(predictions);
  const spread = avg.reduce((s, m, i) => s + predictions.reduce((t, p) => t + (p[i] - m) ** 2, 0) / predictions.length, 0) / avg.length;
  return {
    predictions,
    individualMse,
    meanIndividualMse: individualMse.reduce((a, b) => a + b, 0) / individualMse.length,
    ensembleMse: mseAgainst(avg, truth),
    spread,
  };
}

/**
 * The bagged models as thin grey lines behind their average and the true function: a layered Vega-Lite spec, since
 * ten coloured series would repeat the palette and hide the two curves that matter.
 */
function predictionsPlot(predictions: number[][], average: number[], xTest: number[], truth: number[]): Plot {
  const models = predictions.flatMap((p, k) => p.map((y, i) => ({ model: k + 1, x: xTest[i], y })));
  const curves = [
    ...average.map((y, i) => ({ series: 'bagged average', x: xTest[i], y })),
    ...truth.map((y, i) => ({ series: 'sin(3x)', x: xTest[i], y })),
  ];
  const x = { field: 'x', type: 'quantitative', title: 'x' } as const;
  const y = { field: 'y', type: 'quantitative', title: 'prediction', scale: { zero: false } } as const;
  const title = `The ${predictions.length} bagged models (grey), their average, and the true sin(3x)`;
  return {
    name: 'predictions',
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title,
      width: 420,
      height: 260,
      layer: [
        {
          data: { values: models },
          mark: { type: 'line', color: '#9a9a9a', opacity: 0.6, strokeWidth: 1 },
          encoding: { x, y, detail: { field: 'model', type: 'nominal' } },
        },
        {
          data: { values: curves },
          mark: { type: 'line', strokeWidth: 2.5 },
          encoding: { x, y, color: { field: 'series', type: 'nominal', title: null } },
        },
      ],
    },
  };
}

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  /** (i) The unique fraction of each N = 1000 resample, their mean, and 1 − (1 − 1/N)^N, 1 − 1/e. */
  uniqueFractions: number[];
  meanUniqueFraction: number;
  expectedUniqueFraction: number;
  limitUniqueFraction: number;
  /** (ii) The K resamples of the regression set and their distinct index sets (sorted). */
  resamples: number[][];
  distinctSets: number[][];
  xTest: number[];
  truth: number[];
  bagging: EnsembleRun;
  /** Ensemble MSE of the first k bagged models, k = 1..K. */
  baggingCurve: number[];
  /** (iii) The same model (same data, same init seed) trained K times. */
  repeated: EnsembleRun;
  /** Whether the K retrained copies' predictions are bitwise identical. */
  repeatedIdentical: boolean;
} {
  const seed = options.seed ?? inputs.defaultSeed;
  const g = new Generator(seed);
  const { bootstrapN, bootstrapRepeats, n, noise, models: K } = inputs;

  // (i)
  const uniqueFractions = Array.from({ length: bootstrapRepeats }, () => new Set(bootstrapIndices(bootstrapN, g)).size / bootstrapN);
  const meanUniqueFraction = uniqueFractions.reduce((a, b) => a + b, 0) / bootstrapRepeats;
  const expectedUniqueFraction = 1 - (1 - 1 / bootstrapN) ** bootstrapN;
  const limitUniqueFraction = 1 - Math.exp(-1);

  // (ii) the data: x ~ U[−1, 1], y = sin(3x) + noise
  const x = rand([n, 1], { ...f64, generator: g }).mul(2).sub(1);
  const y = tensor(Array.from(x.data, (v) => [target(v)]), f64).add(randn([n, 1], { ...f64, generator: g }).mul(noise));
  const xTestT = linspace(-1, 1, inputs.testPoints, f64).reshape([inputs.testPoints, 1]);
  const xTest = Array.from(xTestT.data);
  const truth = xTest.map(target);

  const resamples = Array.from({ length: K }, () => bootstrapIndices(n, g));
  const distinctSets = resamples.map((r) => [...new Set(r)].sort((a, b) => a - b));
  // Each bagged model gets its own resample and its own init, as bagging does.
  const initSeeds = resamples.map((_, k) => seed * 1000 + k);
  const bagging = ensemble(resamples.map((rows, k) => trainAndPredict(x, y, rows, initSeeds[k], xTestT)), truth);
  const baggingCurve = bagging.predictions.map((_, k) => mseAgainst(averagePrediction(bagging.predictions.slice(0, k + 1)), truth));

  // (iii) "a single model trained multiple times": all the data, the same init, K times over.
  const all = Array.from({ length: n }, (_, i) => i);
  const repeated = ensemble(Array.from({ length: K }, () => trainAndPredict(x, y, all, initSeeds[0], xTestT)), truth);

  const repeatedIdentical = repeated.predictions.every((p) => p.every((v, i) => Object.is(v, repeated.predictions[0][i])));
  const pairwiseDifferent = distinctSets.every((s, i) => distinctSets.slice(i + 1).every((t) => t.join() !== s.join()));
  const f4 = (v: number) => v.toFixed(4);
  const lines = [
    `question: "In bagging, a single model is trained multiple times to get multiple predictions on test data"; document's key: F (multiple models)`,
    `(i) bootstrap: N = ${bootstrapN} draws with replacement (randint, seed ${seed}) hold ${f4(meanUniqueFraction)} of the samples on average `
      + `(${bootstrapRepeats} resamples, range ${f4(Math.min(...uniqueFractions))}–${f4(Math.max(...uniqueFractions))}); `
      + `1 − (1 − 1/N)^N = ${f4(expectedUniqueFraction)} → 1 − 1/e = ${f4(limitUniqueFraction)}`,
    `(ii) bagging: ${K} bootstrap resamples of n = ${n} points (y = sin(3x) + ${noise}·ε); distinct samples per resample `
      + `${distinctSets.map((s) => s.length).join(', ')}; pairwise different: ${pairwiseDifferent ? 'yes' : 'NO'}`,
    `  ${K} MLPs 1-${inputs.hidden}-1 (tanh), each trained by Adam (lr ${inputs.lr}, ${inputs.steps} steps) on its resample; test MSE against sin(3x) on ${inputs.testPoints} points:`,
    `  individual ${bagging.individualMse.map(f4).join(', ')}`,
    `  mean of the individual MSEs ${f4(bagging.meanIndividualMse)}; MSE of the averaged prediction ${f4(bagging.ensembleMse)} `
      + `(≤, by Jensen; the gap ${f4(bagging.meanIndividualMse - bagging.ensembleMse)} equals the models' spread ${f4(bagging.spread)})`,
    `(iii) one model trained ${K} times on the same data from the same init: predictions ${repeatedIdentical ? 'bitwise identical' : 'DIFFERENT'}, `
      + `individual MSE ${f4(repeated.meanIndividualMse)} = averaged MSE ${f4(repeated.ensembleMse)}: nothing to average`,
    'result: bagging needs several models fitted to different bootstrap resamples; their disagreement is what averaging removes: the key F is right',
  ];

  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const plots: Plot[] = [
    lineChart({
      name: 'ensemble-size',
      title: 'Test MSE: average of the first k bagged models vs their mean individual MSE',
      x: { label: 'models averaged k' },
      y: { label: 'test MSE against sin(3x)' },
      points: true,
      series: [
        { name: 'bagged average', points: baggingCurve.map((m, k) => [k + 1, m] as const) },
        { name: 'single-model mean', points: bagging.individualMse.map((_, k) => [k + 1, mean(bagging.individualMse.slice(0, k + 1))] as const) },
        { name: 'one model retrained', points: repeated.individualMse.map((_, k) => [k + 1, repeated.ensembleMse] as const) },
      ],
    }),
    predictionsPlot(bagging.predictions, averagePrediction(bagging.predictions), xTest, truth),
  ];

  return {
    seed, uniqueFractions, meanUniqueFraction, expectedUniqueFraction, limitUniqueFraction, resamples, distinctSets, xTest, truth,
    bagging, baggingCurve, repeated, repeatedIdentical,
    summary: `bootstrap keeps ${f4(meanUniqueFraction)} ≈ 1 − 1/e of the data; ${K} bagged MLPs: averaged MSE ${f4(bagging.ensembleMse)} ≤ mean ${f4(bagging.meanIndividualMse)}; `
      + 'one model retrained: identical predictions',
    agrees: 'yes',
    lines,
    plots,
  };
}

printIfMain(import.meta.url, { meta, run });
