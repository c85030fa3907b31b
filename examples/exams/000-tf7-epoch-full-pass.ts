/**
 * Exam 000, True/False 7: "An epoch is one complete pass for all training samples" (key T).
 *
 * Demo (EXAMS.md §3): a data.DataLoader over N = 10 samples whose features are their own indices, batch size 3,
 * shuffled by a seeded Generator. One epoch is one `for...of` over the loader: 4 batches of sizes 3, 3, 3, 1 that
 * together hold every index exactly once, so an epoch is ⌈N/B⌉ updates. dropLast leaves out the short batch (3
 * batches, 9 samples). The same seed reproduces the same orders, and each epoch draws a new one. A short training
 * loop counts the optimizer steps per epoch, so "epoch" is read off the training itself.
 */
import { Generator, arange, data, nn, optim, type Tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '000-TF7',
  title: 'True/False: "An epoch is one complete pass for all training samples" (key: T)',
};

export const inputs = { n: 10, batchSize: 3, epochs: 3, defaultSeed: 7 };

/** x = index (as a float64 column), y = 2·index: a sample's values tell which sample it is. */
export function makeDataset(n = inputs.n): data.TensorDataset {
  const x = arange(0, n, 1, { dtype: 'float64' }).reshape([n, 1]);
  return new data.TensorDataset(x, x.mul(2));
}

/** The sample indices of each batch of each epoch served by `loader`. */
export function epochIndices(loader: data.DataLoader<Tensor[], Tensor[]>, epochs: number): number[][][] {
  const out: number[][][] = [];
  for (let e = 0; e < epochs; e++) {
    const batches: number[][] = [];
    for (const [xb] of loader) batches.push(Array.from(xb.data));
    out.push(batches);
  }
  return out;
}

function makeLoader(seed: number, dropLast: boolean): data.DataLoader<Tensor[], Tensor[]> {
  return new data.DataLoader(makeDataset(), { batchSize: inputs.batchSize, shuffle: true, dropLast, generator: new Generator(seed) });
}

/** Trains y = wx + b for `epochs` epochs; counts the optimizer steps and samples seen in each epoch. */
function trainCounting(seed: number, epochs: number): { stepsPerEpoch: number[]; samplesPerEpoch: number[] } {
  const model = new nn.Dense(1, 1, { dtype: 'float64', generator: new Generator(seed) });
  const opt = new optim.SGD(model.parameters(), { lr: 0.001 });
  const loader = makeLoader(seed, false);
  const stepsPerEpoch: number[] = [];
  const samplesPerEpoch: number[] = [];
  for (let e = 0; e < epochs; e++) {
    let steps = 0;
    let samples = 0;
    for (const [xb, yb] of loader) {
      opt.zeroGrad();
      nn.mseLoss(model.forward(xb), yb).backward();
      opt.step();
      steps++;
      samples += xb.shape[0];
    }
    stepsPerEpoch.push(steps);
    samplesPerEpoch.push(samples);
  }
  return { stepsPerEpoch, samplesPerEpoch };
}

const sorted = (xs: number[]) => xs.slice().sort((a, b) => a - b);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  /** [epoch][batch] → indices, shuffled loader without dropLast. */
  epochs: number[][][];
  batchSizes: number[];
  /** Every epoch's indices, sorted: each should be 0..N−1. */
  epochCoverage: number[][];
  loaderLength: number;
  dropLastLength: number;
  /** [epoch][batch] → indices with dropLast. */
  dropLastEpochs: number[][][];
  /** Samples left out in each dropLast epoch. */
  dropLastMissing: number[][];
  /** Same seed, a second loader: the same orders in every epoch. */
  reproducible: boolean;
  /** Whether epoch e's order differs from epoch e−1's (e ≥ 1). */
  ordersDiffer: boolean[];
  /** Without shuffle: the batches in index order. */
  unshuffled: number[][];
  stepsPerEpoch: number[];
  samplesPerEpoch: number[];
} {
  const seed = options.seed ?? inputs.defaultSeed;
  const { n, batchSize, epochs: E } = inputs;

  const loader = makeLoader(seed, false);
  const epochs = epochIndices(loader, E);
  const again = epochIndices(makeLoader(seed, false), E);
  const reproducible = JSON.stringify(again) === JSON.stringify(epochs);
  const flatOrder = (ep: number[][]) => ep.flat().join(',');
  const ordersDiffer = epochs.slice(1).map((ep, e) => flatOrder(ep) !== flatOrder(epochs[e]));
  const epochCoverage = epochs.map((ep) => sorted(ep.flat()));

  const dropLoader = makeLoader(seed, true);
  const dropLastEpochs = epochIndices(dropLoader, E);
  const dropLastMissing = dropLastEpochs.map((ep) => {
    const seen = new Set(ep.flat());
    return Array.from({ length: n }, (_, i) => i).filter((i) => !seen.has(i));
  });

  const unshuffled = epochIndices(new data.DataLoader(makeDataset(), { batchSize }), 1)[0];
  const { stepsPerEpoch, samplesPerEpoch } = trainCounting(seed, E);
  const batchSizes = epochs[0].map((b) => b.length);

  const fmt = (ep: number[][]) => ep.map((b) => `[${b.join(' ')}]`).join(' ');
  const allOnce = epochCoverage.every((c) => c.join(',') === Array.from({ length: n }, (_, i) => i).join(','));
  const lines = [
    `question: "An epoch is one complete pass for all training samples"; document's key: T`,
    `demo: data.DataLoader(TensorDataset of N = ${n} samples, x = index), batchSize ${batchSize}, shuffle with Generator(${seed})`,
    `one pass (for...of the loader) = ${loader.length} batches of sizes ${batchSizes.join(', ')} (⌈${n}/${batchSize}⌉ = ${Math.ceil(n / batchSize)})`,
    ...epochs.map((ep, e) => `  epoch ${e + 1}: ${fmt(ep)}`),
    `every epoch holds each index 0..${n - 1} exactly once: ${allOnce ? 'yes' : 'NO'}; each epoch draws a new order: ${ordersDiffer.every(Boolean) ? 'yes' : 'no'}`,
    `same seed, a new loader: ${reproducible ? 'the same orders in every epoch' : 'DIFFERENT orders'}`,
    `dropLast: ${dropLoader.length} batches (⌊${n}/${batchSize}⌋), ${n - (n % batchSize)} samples per epoch; left out: ${dropLastMissing.map((m) => `{${m.join(', ')}}`).join(', ')} `
      + '(the last of each shuffled order: a dropLast epoch is a pass over N − N mod B samples, not all N)',
    `without shuffle: ${fmt(unshuffled)}`,
    `training loop (Dense(1, 1), optim.SGD): optimizer steps per epoch ${stepsPerEpoch.join(', ')}, samples seen per epoch ${samplesPerEpoch.join(', ')}`,
    'result: an epoch is one pass over all N samples (⌈N/B⌉ updates); the key T is right',
  ];

  return {
    seed, epochs, batchSizes, epochCoverage, loaderLength: loader.length, dropLastLength: dropLoader.length, dropLastEpochs, dropLastMissing,
    reproducible, ordersDiffer, unshuffled, stepsPerEpoch, samplesPerEpoch,
    summary: `N = ${n}, B = ${batchSize}: an epoch is ${loader.length} batches (${batchSizes.join(', ')}) covering every index once; dropLast → ${dropLoader.length}`,
    agrees: 'yes',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
