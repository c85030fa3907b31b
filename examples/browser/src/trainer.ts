/**
 * The training that the demo's Web Worker runs, written against the library passed in rather than an import of it,
 * so that the same code runs in the browser on dist/browser/tapegrad.min.js and in Node on dist/index.js (the
 * browser tests run both and compare the weights bit for bit).
 *
 * It repeats examples/mnist-cnn.ts: the same digits (decoded from digits.bin to exactly the values of the `mnist`
 * package), the same seeded 8,000 / 2,000 split, the same LeNet-like CNN initialised after manualSeed(seed), Adam
 * with the learning rate decayed ×0.7 per epoch, batches of 32 shuffled by Generator(seed + 1).
 */
import type * as Tapegrad from '../../../src/index.js';

/** The library's namespace: `import * as tg from 'tapegrad'` (or the browser bundle). */
export type Lib = typeof Tapegrad;
type Tensor = Tapegrad.Tensor;

// ---------------------------------------------------------------------------------------------------------------
// digits.bin: a 24-byte header (magic "TGMNIST1", then count, height, width as little-endian uint32 and 4 spare
// bytes), the grey levels of every image (count × 784 bytes, 0–255, row-major), then the labels (count bytes).

const MAGIC = 'TGMNIST1';
const HEADER_BYTES = 24;
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;

/**
 * Grey level k as the `mnist` package writes it: k/255 rounded to 3 decimals. The package's data are the original
 * MNIST bytes divided by 255 and rounded, so decoding through this table gives back the package's numbers exactly
 * (the build script checks that every value round-trips).
 */
export const LEVELS: Float32Array = Float32Array.from({ length: 256 }, (_, k) => Math.round((k * 1000) / 255) / 1000);

export interface Digits {
  count: number;
  /** count × 784 values in [0, 1]. */
  pixels: Float32Array;
  /** count class indices 0–9. */
  labels: Uint8Array;
}

/** Packs grey levels (count × 784 bytes) and labels (count bytes) into the digits.bin layout. */
export function encodeDigits(levels: Uint8Array, labels: Uint8Array): Uint8Array {
  const count = labels.length;
  if (levels.length !== count * PIXELS) throw new RangeError(`encodeDigits: ${levels.length} grey levels for ${count} labels (expected ${count * PIXELS})`);
  const out = new Uint8Array(HEADER_BYTES + count * PIXELS + count);
  for (let i = 0; i < MAGIC.length; i++) out[i] = MAGIC.charCodeAt(i);
  const view = new DataView(out.buffer);
  view.setUint32(8, count, true);
  view.setUint32(12, SIDE, true);
  view.setUint32(16, SIDE, true);
  out.set(levels, HEADER_BYTES);
  out.set(labels, HEADER_BYTES + count * PIXELS);
  return out;
}

/** Reads digits.bin; a wrong magic, size or label is an error rather than a silently wrong data set. */
export function decodeDigits(bytes: Uint8Array): Digits {
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (bytes.length < HEADER_BYTES || magic !== MAGIC) throw new TypeError(`digits: not a digits file (magic ${JSON.stringify(magic)})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(8, true);
  if (view.getUint32(12, true) !== SIDE || view.getUint32(16, true) !== SIDE) throw new TypeError('digits: images must be 28×28');
  if (bytes.length !== HEADER_BYTES + count * PIXELS + count) {
    throw new RangeError(`digits: ${bytes.length} bytes, expected ${HEADER_BYTES + count * PIXELS + count} for ${count} digits`);
  }
  const levels = bytes.subarray(HEADER_BYTES, HEADER_BYTES + count * PIXELS);
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < pixels.length; i++) pixels[i] = LEVELS[levels[i]];
  const labels = bytes.slice(HEADER_BYTES + count * PIXELS);
  for (const label of labels) if (label > 9) throw new RangeError(`digits: label ${label} is not a digit`);
  return { count, pixels, labels };
}

// ---------------------------------------------------------------------------------------------------------------

/** The CNN of examples/mnist-cnn.ts. */
export function makeModel(tg: Lib): Tapegrad.nn.Sequential {
  const { nn } = tg;
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 5), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 5), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dense(16 * 4 * 4, 10),
  );
}

export interface TrainerOptions {
  seed?: number;
  batchSize?: number;
  lr?: number;
  /** The learning rate is multiplied by this after each epoch. */
  lrGamma?: number;
  epochs?: number;
  trainSize?: number;
  testSize?: number;
}

export const DEFAULTS: Required<TrainerOptions> = { seed: 0, batchSize: 32, lr: 2e-3, lrGamma: 0.7, epochs: 3, trainSize: 8000, testSize: 2000 };

export interface StepResult {
  /** Steps (batches) done so far, this one included. */
  step: number;
  /** Epochs completed. */
  epoch: number;
  loss: number;
  /** The fraction of this batch classified right (before the update). */
  accuracy: number;
}

/** What a checkpoint's `extra` holds besides the model, optimizer, scheduler and generator. */
export interface TrainerExtra {
  step: number;
  batchInEpoch: number;
  options: Required<TrainerOptions>;
}

/**
 * One training run, a batch at a time, so that the worker can stop between batches and answer messages. Its
 * checkpoints resume bit for bit: the generator is saved as it was at the start of the epoch, and restoring redraws
 * the epoch's order from it and skips the batches already done.
 */
export class Trainer {
  readonly tg: Lib;
  readonly options: Required<TrainerOptions>;
  readonly model: Tapegrad.nn.Sequential;
  readonly optimizer: Tapegrad.optim.Adam;
  readonly scheduler: Tapegrad.optim.ExponentialLR;
  /** Shuffles the training set. */
  readonly generator: Tapegrad.Generator;
  readonly trainSet: Tapegrad.data.Dataset<Tensor[]>;
  readonly testSet: Tapegrad.data.Dataset<Tensor[]>;
  private readonly loader: Tapegrad.data.DataLoader<Tensor[]>;
  private readonly lossFn: Tapegrad.nn.CrossEntropyLoss;
  private epochStart: Tapegrad.GeneratorState | null = null;
  private batches: Iterator<Tensor[]> | null = null;
  step = 0;
  epoch = 0;
  batchInEpoch = 0;

  constructor(tg: Lib, digits: Digits, options: TrainerOptions = {}) {
    this.tg = tg;
    const o = { ...DEFAULTS, ...options };
    this.options = o;
    const images = new tg.Tensor(digits.pixels, [digits.count, 1, SIDE, SIDE]);
    const labels = new tg.Tensor(Float32Array.from(digits.labels), [digits.count]);
    const all = new tg.data.TensorDataset(images, labels);
    const rest = digits.count - o.trainSize - o.testSize;
    if (rest < 0) throw new RangeError(`Trainer: ${o.trainSize} + ${o.testSize} digits asked for, ${digits.count} available`);
    const [trainSet, testSet] = tg.data.randomSplit(all, rest > 0 ? [o.trainSize, o.testSize, rest] : [o.trainSize, o.testSize], new tg.Generator(o.seed));
    this.trainSet = trainSet;
    this.testSet = testSet;
    tg.manualSeed(o.seed);
    this.model = makeModel(tg);
    this.optimizer = new tg.optim.Adam(this.model.parameters(), { lr: o.lr });
    this.scheduler = new tg.optim.ExponentialLR(this.optimizer, o.lrGamma);
    this.generator = new tg.Generator(o.seed + 1);
    this.loader = new tg.data.DataLoader(trainSet, { batchSize: o.batchSize, shuffle: true, generator: this.generator });
    this.lossFn = new tg.nn.CrossEntropyLoss();
  }

  get stepsPerEpoch(): number {
    return this.loader.length;
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.options.epochs;
  }

  get done(): boolean {
    return this.epoch >= this.options.epochs;
  }

  /** Trains on the next batch. */
  trainStep(): StepResult {
    if (this.done) throw new RangeError(`Trainer: all ${this.options.epochs} epochs are done`);
    if (this.batches === null) this.startEpoch();
    const next = this.batches!.next();
    if (next.done) throw new Error('Trainer: the epoch ran out of batches early');
    const [x, y] = next.value;
    this.model.train();
    this.optimizer.zeroGrad();
    const logits = this.model.forward(x);
    const loss = this.lossFn.forward(logits, y);
    loss.backward();
    this.optimizer.step();
    const predicted = logits.argmax(1).data;
    let correct = 0;
    for (let i = 0; i < y.size; i++) if (predicted[i] === y.data[i]) correct++;
    this.step++;
    this.batchInEpoch++;
    if (this.batchInEpoch === this.stepsPerEpoch) {
      this.epoch++;
      this.batchInEpoch = 0;
      this.batches = null;
      this.scheduler.step();
    }
    return { step: this.step, epoch: this.epoch, loss: loss.item(), accuracy: correct / y.size };
  }

  private startEpoch(): void {
    this.epochStart = this.generator.getState();
    this.batches = this.loader[Symbol.iterator]();
  }

  /** Class probabilities (n × 10, row by row) of n images given as n × 784 pixels in [0, 1]. */
  predict(pixels: Float32Array): Float32Array {
    const { tg } = this;
    const n = pixels.length / PIXELS;
    if (!Number.isInteger(n) || n === 0) throw new RangeError(`predict: ${pixels.length} pixels is not a whole number of 28×28 images`);
    const wasTraining = this.model.training;
    this.model.eval();
    try {
      return tg.noGrad(() => this.model.forward(new tg.Tensor(pixels.slice(), [n, 1, SIDE, SIDE])).softmax(1).data as Float32Array);
    } finally {
      this.model.train(wasTraining);
    }
  }

  /** The first `count` test images (pixels) and their labels. */
  testImages(count: number): { pixels: Float32Array; labels: number[] } {
    const indices = Array.from({ length: Math.min(count, this.testSet.length) }, (_, i) => i);
    const [x, y] = this.testSet.getBatch!(indices) as Tensor[];
    return { pixels: Float32Array.from(x.data), labels: Array.from(y.data) };
  }

  /** Accuracy on the first `limit` test digits (all by default), in eval mode. */
  evaluate(limit = this.testSet.length): number {
    const { tg } = this;
    const n = Math.min(limit, this.testSet.length);
    let correct = 0;
    const wasTraining = this.model.training;
    this.model.eval();
    try {
      tg.noGrad(() => {
        for (let start = 0; start < n; start += 250) {
          const indices = Array.from({ length: Math.min(250, n - start) }, (_, i) => start + i);
          const [x, y] = this.testSet.getBatch!(indices) as Tensor[];
          const predicted = this.model.forward(x).argmax(1).data;
          for (let i = 0; i < y.size; i++) if (predicted[i] === y.data[i]) correct++;
        }
      });
    } finally {
      this.model.train(wasTraining);
    }
    return correct / n;
  }

  /** A training checkpoint (safetensors bytes) from which {@link Trainer.restore} continues exactly. */
  checkpoint(): Uint8Array {
    const { tg } = this;
    // Mid-epoch, the generator has already drawn this epoch's order: store its state from before the draw.
    const generator = this.batches === null ? this.generator : new tg.Generator().setState(this.epochStart!);
    const extra: TrainerExtra = { step: this.step, batchInEpoch: this.batchInEpoch, options: this.options };
    return tg.io.saveCheckpoint({ model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, generator, epoch: this.epoch, extra });
  }

  /**
   * Continues from a checkpoint of {@link Trainer.checkpoint} (a trainer with the same options), or loads just the
   * weights of a file that holds only a model (training then goes on from step 0 with a fresh optimizer state).
   * Everything is validated before anything changes.
   */
  restore(bytes: Uint8Array): { step: number; epoch: number } {
    const { tg } = this;
    const loaded = tg.io.loadCheckpoint(bytes);
    if (loaded.model === undefined) throw new TypeError('restore: the checkpoint holds no model');
    const full = loaded.optimizer !== undefined && loaded.scheduler !== undefined && loaded.generator !== undefined && isTrainerExtra(loaded.extra);
    if (!full) {
      this.model.loadStateDict(loaded.model);
      return { step: this.step, epoch: this.epoch };
    }
    const extra = loaded.extra as TrainerExtra;
    for (const key of Object.keys(DEFAULTS) as Array<keyof TrainerOptions>) {
      if (extra.options[key] !== this.options[key]) {
        throw new RangeError(`restore: the checkpoint was trained with ${key} = ${extra.options[key]}, this trainer has ${this.options[key]}`);
      }
    }
    tg.io.restoreCheckpoint(loaded, { model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, generator: this.generator });
    this.step = extra.step;
    this.epoch = loaded.epoch ?? 0;
    this.batchInEpoch = extra.batchInEpoch;
    this.batches = null;
    if (this.batchInEpoch > 0) {
      this.startEpoch();
      for (let i = 0; i < this.batchInEpoch; i++) this.batches!.next();
    }
    return { step: this.step, epoch: this.epoch };
  }
}

function isTrainerExtra(value: unknown): value is TrainerExtra {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Partial<TrainerExtra>;
  return Number.isSafeInteger(v.step) && Number.isSafeInteger(v.batchInEpoch) && v.options !== null && typeof v.options === 'object';
}
