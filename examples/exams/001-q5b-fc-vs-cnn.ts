/**
 * 001-Q5b (UCLA ECE C147/C247 midterm, Winter 2021, Problem 5(b)): with unlimited compute but limited training data
 * for a vision task, is a fully-connected network better than a CNN? The document says yes; the answer is no.
 * Compute buys nothing here; what limited data needs is a prior, and the convolution's prior is locality, weight
 * sharing and translation equivariance:
 * 1. Counts (nn.summary): Conv(3 → 16, 3×3, padding 1) on a 3×32×32 image has 448 parameters; a Dense layer with the
 *    same input and output sizes (3,072 → 16,384) has 50,348,032, each of which the data must pin down.
 * 2. Equivariance, exact: cross-correlating a shifted signal gives the shifted output (1-D worked example, and a
 *    seeded 2-D image through a Conv2d layer); a Dense layer has no such property.
 * 3. Limited data, trained by the library: 20 labelled 1-D signals; class 1 holds the motif (1, −1, 2) somewhere,
 *    class 0 holds it reversed. A 26-parameter CNN (conv + global max pool) generalises; MLPs of any width fit the 20
 *    signals perfectly and stay near chance on new ones.
 */
import { Generator, type Tensor, concat, conv2d, nn, noGrad, optim, randint, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q5b',
  title: 'unlimited compute, limited data: is a fully-connected network better than a CNN? (document: Yes; correct: No)',
};

export const DEFAULT_SEED = 0;
export const IMAGE = [3, 32, 32] as const;
export const CONV = { inChannels: 3, outChannels: 16, kernel: 3, padding: 1 } as const;
/** The 1-D worked example of (2). */
export const SIGNAL = [0, 0, 1, 2, -1, 0, 0, 0, 0];
export const KERNEL = [1, -1, 2];
/** (3): signal length, motif, its amplitude, noise, training and test sizes, Adam settings. */
export const LENGTH = 16;
export const MOTIF = [1, -1, 2];
export const AMPLITUDE = 1.5;
export const SIGNAL_NOISE = 0.5;
export const N_TRAIN = 20;
export const N_TEST = 1000;
export const STEPS = 300;
export const LR = 0.02;
export const FC_WIDTHS = [64, 256] as const;

export interface LayerCount { parameters: number; macs: number; outputShape: number[] }

/**
 * nn.summary of the two layers. The Dense layer holds 50M float32 weights (200 MB) and its count does not depend on
 * the weights, so it is built once per process and the count reused.
 */
let countsCache: { conv: LayerCount; fc: LayerCount & { inFeatures: number; outFeatures: number } } | undefined;
export function layerCounts(): NonNullable<typeof countsCache> {
  if (countsCache) return countsCache;
  const generator = new Generator(0);
  const inputShape = [1, ...IMAGE];
  const convSummary = nn.summary(new nn.Conv2d(CONV.inChannels, CONV.outChannels, CONV.kernel, { padding: CONV.padding, generator }), inputShape);
  const conv = { parameters: convSummary.totalParameters, macs: convSummary.totalMacs, outputShape: convSummary.rows[0].outputShape! };
  const inFeatures = IMAGE[0] * IMAGE[1] * IMAGE[2];
  const outFeatures = conv.outputShape.slice(1).reduce((a, b) => a * b, 1);
  const fcSummary = nn.summary(new nn.Sequential(new nn.Flatten(), new nn.Dense(inFeatures, outFeatures, { generator })), inputShape);
  const fc = {
    parameters: fcSummary.totalParameters, macs: fcSummary.totalMacs,
    outputShape: fcSummary.rows[fcSummary.rows.length - 1].outputShape!, inFeatures, outFeatures,
  };
  countsCache = { conv, fc };
  return countsCache;
}

/** Shifts x [N, C, H, W] circularly by (dy, dx) over its last two dims, with library ops. */
export function roll2d(x: Tensor, dy: number, dx: number): Tensor {
  const roll = (t: Tensor, shift: number, dim: number) => {
    const n = t.shape[dim];
    const s = ((shift % n) + n) % n;
    return s === 0 ? t : concat([t.narrow(dim, n - s, s), t.narrow(dim, 0, n - s)], dim);
  };
  return roll(roll(x, dy, 2), dx, 3);
}

/** n signals of LENGTH: noise plus the motif (class 1) or the reversed motif (class 0) at a random position. */
export function motifData(n: number, generator: Generator): { x: Tensor; labels: Tensor } {
  const x = randn([n, LENGTH], { dtype: 'float64', generator }).mul(SIGNAL_NOISE);
  const positions = randint(0, LENGTH - MOTIF.length + 1, [n], { generator }).data;
  const classes = randint(0, 2, [n], { generator }).data;
  const reversed = [...MOTIF].reverse();
  const xs = x.data;
  for (let i = 0; i < n; i++) {
    const m = classes[i] === 1 ? MOTIF : reversed;
    for (let k = 0; k < m.length; k++) xs[i * LENGTH + positions[i] + k] += AMPLITUDE * m[k];
  }
  return { x, labels: tensor(Array.from(classes)) };
}

export interface Trained { name: string; parameters: number; trainAccuracy: number; testAccuracy: number }

export interface FcVsCnnResult extends ExampleResult {
  seed: number;
  conv: LayerCount;
  fc: LayerCount & { inFeatures: number; outFeatures: number };
  /** The 1-D example: conv(x), conv(shift x), and shift(conv x), shift = one step right with a zero entering. */
  equivariance1d: { conv: number[]; convOfShifted: number[]; shiftedConv: number[] };
  /** max |conv(roll x) − roll(conv x)| for a seeded image through a Conv2d layer, and the same for a Dense layer. */
  equivariance2d: { shift: [number, number]; convMaxDiff: number; denseMaxDiff: number };
  /** (3): the CNN first, then one MLP per width. */
  limitedData: Trained[];
}

export function run(options: { seed?: number } = {}): FcVsCnnResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const { conv, fc } = layerCounts();

  // (2) 1-D: a [1, 1, 1, 9] signal and a [1, 1, 1, 3] kernel; conv2d is a cross-correlation.
  const f64 = { dtype: 'float64' } as const;
  const conv1d = (s: number[]) => Array.from(conv2d(tensor(s, f64).reshape([1, 1, 1, s.length]), tensor(KERNEL, f64).reshape([1, 1, 1, KERNEL.length])).data);
  const shiftRight = (v: number[]) => [0, ...v.slice(0, -1)];
  const equivariance1d = { conv: conv1d(SIGNAL), convOfShifted: conv1d(shiftRight(SIGNAL)), shiftedConv: shiftRight(conv1d(SIGNAL)) };

  // (2) 2-D: a random 8×8 patch inside a zero 3×20×20 image, so a circular shift moves the patch without wrapping it.
  const generator = new Generator(seed);
  const patch = randn([1, IMAGE[0], 8, 8], { dtype: 'float64', generator });
  const image = patch.pad([6, 6, 6, 6]);
  const shift: [number, number] = [2, 3];
  const layer = new nn.Conv2d(CONV.inChannels, CONV.outChannels, CONV.kernel, { padding: CONV.padding, dtype: 'float64', generator });
  const dense = new nn.Dense(image.size, image.size, { dtype: 'float64', generator });
  const maxDiff = (a: Tensor, b: Tensor) => a.sub(b).abs().max().item();
  const equivariance2d = noGrad(() => ({
    shift,
    convMaxDiff: maxDiff(layer.forward(roll2d(image, ...shift)), roll2d(layer.forward(image), ...shift)),
    denseMaxDiff: maxDiff(
      dense.forward(roll2d(image, ...shift).reshape([1, image.size])).reshape(image.shape),
      roll2d(dense.forward(image.reshape([1, image.size])).reshape(image.shape), ...shift),
    ),
  }));

  // (3) limited data.
  const dataGen = new Generator(seed + 1000);
  const train = motifData(N_TRAIN, dataGen);
  const test = motifData(N_TEST, dataGen);
  const initGen = new Generator(seed + 2000);
  const cnn = new nn.Sequential(
    new nn.Conv2d(1, 4, [1, MOTIF.length], { dtype: 'float64', generator: initGen }),
    new nn.ReLU(),
    new nn.MaxPool2d([1, LENGTH - MOTIF.length + 1]),
    new nn.Flatten(),
    new nn.Dense(4, 2, { dtype: 'float64', generator: initGen }),
  );
  const asImage = (x: Tensor) => x.reshape([x.shape[0], 1, 1, LENGTH]);
  const fit = (name: string, model: nn.Module, input: (x: Tensor) => Tensor): Trained => {
    const opt = new optim.Adam(model.parameters(), { lr: LR });
    const xTrain = input(train.x);
    for (let t = 0; t < STEPS; t++) {
      opt.zeroGrad();
      nn.crossEntropy(model.forward(xTrain), train.labels).backward();
      opt.step();
    }
    const accuracy = (x: Tensor, labels: Tensor) => noGrad(() => model.forward(input(x)).argmax(1).eq(labels).mean().item());
    const parameters = model.parameters().reduce((s, p) => s + p.size, 0);
    return { name, parameters, trainAccuracy: accuracy(train.x, train.labels), testAccuracy: accuracy(test.x, test.labels) };
  };
  const limitedData = [
    fit('CNN: Conv(1 → 4, 1×3) → ReLU → global max pool → Dense(4 → 2)', cnn, asImage),
    ...FC_WIDTHS.map((h) => fit(
      `MLP: Dense(${LENGTH} → ${h}) → ReLU → Dense(${h} → 2)`,
      new nn.Sequential(new nn.Dense(LENGTH, h, { dtype: 'float64', generator: initGen }), new nn.ReLU(), new nn.Dense(h, 2, { dtype: 'float64', generator: initGen })),
      (x) => x,
    )),
  ];

  const n = (v: number) => v.toLocaleString('en-US');
  const vec = (v: number[]) => `(${v.join(', ')})`;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const [cnnRun, ...mlps] = limitedData;
  const lines = [
    'question: with unlimited compute but limited training data for a vision task, is a fully-connected network better than a CNN?',
    'document\'s answer: "Yes. Fully connected network has stronger connectivity than CNN, so when training data is limited FC net tends to '
      + 'use data more compactly … computational complexity of FC net is no longer a problem"',
    `(1) on a ${IMAGE.join('×')} image: Conv(${CONV.inChannels} → ${CONV.outChannels}, ${CONV.kernel}×${CONV.kernel}, padding ${CONV.padding}) `
      + `has ${n(conv.parameters)} parameters (16·(3·3·3) + 16); a Dense layer with the same sizes (${n(fc.inFeatures)} → ${n(fc.outFeatures)}) `
      + `has ${n(fc.parameters)} (${n(fc.inFeatures)}·${n(fc.outFeatures)} + ${n(fc.outFeatures)}), ${(fc.parameters / conv.parameters).toFixed(0)}× more, `
      + 'each to be determined from the same few images',
    `(2) translation equivariance: x = ${vec(SIGNAL)}, k = ${vec(KERNEL)} (cross-correlation): conv(x) = ${vec(equivariance1d.conv)}; `
      + `conv(shift x) = ${vec(equivariance1d.convOfShifted)} = shift(conv x) = ${vec(equivariance1d.shiftedConv)}`,
    `    a seeded image through the Conv2d layer, shifted by ${vec(shift)}: max |conv(shift x) − shift(conv x)| = ${equivariance2d.convMaxDiff}; `
      + `through a Dense layer on the same image: ${equivariance2d.denseMaxDiff.toFixed(3)}. The CNN knows that a pattern means the same `
      + 'wherever it is; an FC net must see it at every position',
    `(3) limited data (seed ${seed}): ${N_TRAIN} training signals of length ${LENGTH}, motif ${vec(MOTIF)} (class 1) or reversed (class 0) at a `
      + `random position, noise σ = ${SIGNAL_NOISE}; Adam lr ${LR}, ${STEPS} full-batch steps; ${N_TEST} test signals`,
    ...limitedData.map((r) => `    ${r.name}: ${n(r.parameters)} parameters, train ${pct(r.trainAccuracy)}, test ${pct(r.testAccuracy)}`),
    `    the MLPs fit the training set as well as the CNN, and widening one ${FC_WIDTHS[0]} → ${FC_WIDTHS[FC_WIDTHS.length - 1]} (more compute) `
      + `does not close the gap on new signals: test ${mlps.map((r) => pct(r.testAccuracy)).join(' and ')} vs the CNN's ${pct(cnnRun.testAccuracy)}`,
    'answer: No. Compute does not buy sample efficiency; the CNN\'s inductive bias (locality, weight sharing, equivariance) does, '
      + 'and with limited data it is what prevents overfitting',
    'erratum: the document\'s "Yes" is wrong; the correct answer is No (EXAMS.md §4.9)',
  ];
  return {
    seed, conv, fc, equivariance1d, equivariance2d, limitedData,
    summary: `conv ${n(conv.parameters)} vs FC ${n(fc.parameters)} parameters; conv(shift x) = shift(conv x) exactly; with ${N_TRAIN} signals `
      + `the CNN tests at ${pct(cnnRun.testAccuracy)}, MLPs at ${mlps.map((r) => pct(r.testAccuracy)).join(' / ')}`,
    agrees: 'erratum',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
