/**
 * 004-Q8 (IIT Tirupati CS5223 mid-semester, Q8): what are hyper-parameters, five examples, and how are their values
 * assigned? Two demonstrations:
 *
 * 1. Hyper-parameters are not parameters. A Dense(19, 8) layer has 160 trainable numbers (8·19 weights + 8 biases)
 *    whatever learning rate or weight decay trains it; after backward() exactly those 160 numbers hold gradients,
 *    while lr and λ are plain numbers in the optimizer (no tensor, no gradient). Width, kernel size, stride, padding
 *    and the dropout rate likewise live in a layer's configuration, never in `parameters()`: width and kernel size
 *    change how many parameters there are, stride, padding and p do not change even that.
 * 2. Their values are assigned by search on held-out data: 001-Q3a's sweep (ridge on Legendre degree 12, 20 noisy
 *    training points, 500 validation points; fit each λ of a grid, keep the one with the lowest validation MSE),
 *    reused here. Training error alone would always pick λ = 0.
 */
import { Generator, nn, optim, randn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { type SweepResult, ridgeSweep, sweepA } from './001-q3a-q3b-ridge-lambda.js';

export const meta = {
  id: '004-Q8',
  title: 'hyper-parameters: what they are, five examples, how their values are set ' +
    '(key: depth, width, kernel size, stride, padding, learning rate and its schedule; not learned, chosen by the developer)',
};

export const DEFAULT_SEED = 1;

/** One training run of Dense(19, 8) under given hyper-parameters. */
export interface HyperparameterRun {
  lr: number;
  weightDecay: number;
  /** numParameters() of the model, before and after training. */
  parametersBefore: number;
  parametersAfter: number;
  /** Names and shapes of the tensors that received a gradient. */
  gradients: Array<{ name: string; shape: number[] }>;
  /** What the optimizer holds for lr and weightDecay (plain numbers, not tensors). */
  lrType: string;
  weightDecayType: string;
  finalLoss: number;
}

/** 30 SGD steps of Dense(19, 8) on fixed random data, from the same initial weights for every setting. */
export function trainDense(seed: number, lr: number, weightDecay: number): HyperparameterRun {
  const data = new Generator(seed);
  const x = randn([32, 19], { generator: data });
  const y = randn([32, 8], { generator: data });
  const model = new nn.Dense(19, 8, { generator: new Generator(seed + 1) });
  const parametersBefore = model.numParameters();
  const opt = new optim.SGD(model.parameters(), { lr, weightDecay });
  let loss = 0;
  for (let step = 0; step < 30; step++) {
    opt.zeroGrad();
    const l = nn.mseLoss(model.forward(x), y);
    loss = l.item();
    l.backward();
    opt.step();
  }
  const gradients = model.namedParameters().filter(([, p]) => p.grad !== null).map(([name, p]) => ({ name, shape: [...p.grad!.shape] }));
  return {
    lr, weightDecay, parametersBefore, parametersAfter: model.numParameters(), gradients,
    lrType: typeof opt.paramGroups[0].lr, weightDecayType: typeof opt.paramGroups[0].weightDecay, finalLoss: loss,
  };
}

/** Parameter counts of layers built with different structural hyper-parameters. */
export function structuralCounts(): Array<{ layer: string; parameters: number }> {
  // Only the counts are read; the initial draws (and any dropout mask) come from a generator of their own, not the
  // default one.
  const generator = new Generator(0);
  const rows: Array<[string, nn.Module]> = [
    ['Dense(19, 4)', new nn.Dense(19, 4, { generator })],
    ['Dense(19, 8)', new nn.Dense(19, 8, { generator })],
    ['Dense(19, 16)', new nn.Dense(19, 16, { generator })],
    ['Conv2d(3, 8, 3)', new nn.Conv2d(3, 8, 3, { generator })],
    ['Conv2d(3, 8, 3, stride 2, padding 1)', new nn.Conv2d(3, 8, 3, { stride: 2, padding: 1, generator })],
    ['Conv2d(3, 8, 5)', new nn.Conv2d(3, 8, 5, { generator })],
    ['Dropout(0.2)', new nn.Dropout(0.2, { generator })],
    ['Dropout(0.5)', new nn.Dropout(0.5, { generator })],
  ];
  return rows.map(([layer, m]) => ({ layer, parameters: m.numParameters() }));
}

export const SETTINGS: Array<[lr: number, weightDecay: number]> = [[0.001, 0], [0.1, 0], [0.1, 0.01]];

const g3 = (v: number) => (v >= 10 ? v.toPrecision(3) : v.toFixed(3));
const lambdaText = (l: number) => (l !== 0 && l < 1e-3 ? l.toExponential() : String(l));

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number; runs: HyperparameterRun[]; structural: Array<{ layer: string; parameters: number }>; search: SweepResult; bestLambda: number;
} {
  const seed = options.seed ?? DEFAULT_SEED;
  const runs = SETTINGS.map(([lr, wd]) => trainDense(seed, lr, wd));
  const structural = structuralCounts();
  const search = ridgeSweep(sweepA, seed);
  const bestIndex = search.best;
  const bestLambda = search.lambdas[bestIndex];
  const positive = search.lambdas.map((l, i) => [l, i] as const).filter(([l]) => l > 0);
  const plot = lineChart({
    name: 'lambda-search', title: 'choosing λ: training error always prefers λ → 0, validation error picks an interior λ',
    x: { label: 'λ (log scale; λ = 0 not drawn)', log: true }, y: { label: 'MSE (log scale)', log: true }, points: true,
    series: [
      { name: 'training MSE', points: positive.map(([l, i]) => [l, search.trainMse[i]] as const) },
      { name: 'validation MSE', points: positive.map(([l, i]) => [l, search.valMse[i]] as const) },
    ],
  });
  return {
    seed, runs, structural, search, bestLambda, plots: [plot],
    summary: `Dense(19, 8) keeps 160 parameters under every lr/λ and only they get gradients; a validation search picks λ = ${lambdaText(bestLambda)} ` +
      `(val MSE ${g3(search.valMse[bestIndex])} vs ${g3(search.valMse[0])} at λ = 0)`,
    agrees: 'yes',
    lines: [
      'question: what are hyper-parameters in a neural network? Give at least 5 examples. How are their values assigned?',
      'key: properties chosen by the developer, not learned: depth and width, kernel width, stride and padding of CNNs, the learning rate η and its schedule; "chosen heuristically and based on experience"',
      `demo 1 (seed ${seed}): Dense(19, 8) trained 30 SGD steps from the same initial weights under (lr, weight decay) = ` +
        runs.map((r) => `(${r.lr}, ${r.weightDecay}): ${r.parametersAfter} parameters, final loss ${r.finalLoss.toFixed(4)}`).join('; '),
      `  gradients exist for ${runs[0].gradients.map((gr) => `${gr.name} [${gr.shape.join(', ')}]`).join(' and ')} only (8·19 + 8 = 160 numbers); ` +
        `lr and weight decay are ${runs[0].lrType}s in the optimizer: they change the outcome but are never updated`,
      `  structural hyper-parameters: ${structural.map((s) => `${s.layer}: ${s.parameters}`).join('; ')} ` +
        '(width and kernel size change the count, stride, padding and p do not; none of them is itself a parameter)',
      `demo 2 (001-Q3a's sweep): ridge on Legendre degree ${sweepA.degree}, ${sweepA.nTrain} training / ${sweepA.nVal} validation points, λ ∈ {${search.lambdas.map(lambdaText).join(', ')}}`,
      `  training MSE ${search.trainMse.map(g3).join(', ')} (smallest at λ = 0, as always)`,
      `  validation MSE ${search.valMse.map(g3).join(', ')} → the search picks λ = ${lambdaText(bestLambda)}`,
      'result: the key is right (the examples are hyper-parameters, and they are not learned); "chosen heuristically" is completed by the systematic way: search on validation data, never on training error',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
