/**
 * DataLoader: a dataset served in (optionally shuffled) mini-batches, as PyTorch's map-style DataLoader with its
 * default sampler, in one process.
 * @module
 */
import { Tensor } from '../tensor.js';
import { tensor } from '../creation.js';
import { noGrad } from '../autograd/tape.js';
import { stack } from '../ops/movement.js';
import { type Generator, defaultGenerator } from '../random.js';
import { type UnsupportedOption, checkBoolean, checkGenerator, checkOptionKeys, describe } from '../checks.js';
import { ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { type Dataset, randperm } from './dataset.js';

/**
 * The batch that {@link defaultCollate} makes of samples of type T: tensors and numbers become one tensor with a new
 * first dim of the batch size, arrays and plain objects are collated position by position (key by key), strings
 * are gathered into an array. A TensorDataset (samples `Tensor[]`) gives `Tensor[]`.
 * @example `data.defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]])[1]  // [0, 1]`
 */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number
    ? Tensor
    : T extends string
      ? string[]
      : T extends readonly unknown[]
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : T extends object
          ? { [K in keyof T]: Collated<T[K]> }
          : T[];

/**
 * Options of {@link DataLoader} (PyTorch's names, camelCased).
 * @example `new data.DataLoader(new data.TensorDataset(arange(10)), { batchSize: 4, dropLast: true }).length  // 2`
 */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 1). */
  batchSize?: number;
  /** Draw a new order of the samples at the start of every pass (default false). */
  shuffle?: boolean;
  /** Where the shuffles are drawn from (default: the default generator, read at the start of each pass). */
  generator?: Generator;
  /** Leave out the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Turns a list of samples into a batch (default {@link defaultCollate}, or the dataset's own getBatch). */
  collate?: (samples: T[]) => B;
}

/** PyTorch's DataLoader options that tapegrad lacks (it loads in one process, with the default samplers). */
const DATALOADER_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  numWorkers: { harmless: (v) => v === 0, hint: 'batches are made in the calling thread' },
  pinMemory: { harmless: (v) => v === false, hint: 'there is no device memory' },
  sampler: { harmless: (v) => v === null, hint: 'use shuffle and generator, or a data.Subset for a fixed selection' },
  batchSampler: { harmless: (v) => v === null, hint: 'use batchSize, shuffle and dropLast' },
  timeout: { harmless: (v) => v === 0 },
  workerInitFn: { harmless: (v) => v === null },
  prefetchFactor: { harmless: (v) => v === null },
  persistentWorkers: { harmless: (v) => v === false },
  collateFn: { hint: "tapegrad's name for it is collate" },
};

/**
 * Iterates over a dataset in batches of `batchSize` samples: `for (const [x, y] of loader)`. Each new pass (each
 * `for...of`) with `shuffle` draws a fresh permutation of the samples from the generator (a Fisher–Yates shuffle,
 * n − 1 draws, made when the pass starts), so a generator state saved between epochs reproduces the following
 * epochs' orders. `length` is the number of batches per pass.
 *
 * Batches are gathered by the dataset's `getBatch` when it has one and no `collate` was given: for a
 * {@link TensorDataset} (and a Subset of one) that is one indexSelect per tensor, rather than stacking row by row.
 * Otherwise the samples from `get(i)` go through `collate` (default {@link defaultCollate}). Batches are made
 * under noGrad: they are plain tensors outside any graph.
 * @example
 * ```ts
 * import { data, Generator, randn, randint } from 'tapegrad';
 * const ds = new data.TensorDataset(randn([100, 4]), randint(0, 3, [100]));
 * const loader = new data.DataLoader(ds, { batchSize: 32, shuffle: true, generator: new Generator(1) });
 * loader.length; // 4 (32 + 32 + 32 + 4)
 * for (const [x, y] of loader) { x.shape; y.shape; } // [32, 4] and [32], ..., [4, 4] and [4]
 * ```
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B> {
  /** The dataset the batches are drawn from. */
  readonly dataset: Dataset<T>;
  /** Samples per batch. */
  readonly batchSize: number;
  /** Whether each pass draws a fresh order of the samples. */
  readonly shuffle: boolean;
  /** Whether a last batch smaller than batchSize is left out. */
  readonly dropLast: boolean;
  /** The generator of the shuffles, or undefined for the default generator. */
  readonly generator: Generator | undefined;
  private readonly collate: ((samples: T[]) => B) | undefined;

  constructor(dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function' || !Number.isSafeInteger(dataset.length) || dataset.length < 0) {
      throw new TypeError('DataLoader: expected a dataset with a non-negative integer length and get(index)');
    }
    checkOptionKeys('DataLoader', options, ['batchSize', 'shuffle', 'generator', 'dropLast', 'collate'], DATALOADER_UNSUPPORTED);
    const { batchSize = 1, shuffle = false, generator, dropLast = false, collate } = options;
    if (!Number.isSafeInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${describe(batchSize)}`);
    }
    checkBoolean('DataLoader', 'shuffle', shuffle);
    checkBoolean('DataLoader', 'dropLast', dropLast);
    checkGenerator('DataLoader', generator);
    if (collate !== undefined && typeof collate !== 'function') throw new TypeError(`DataLoader: collate must be a function, got ${describe(collate)}`);
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
    this.collate = collate;
  }

  /**
   * The number of batches in one pass: ⌈n / batchSize⌉, or ⌊n / batchSize⌋ with dropLast.
   * @example `new data.DataLoader(new data.TensorDataset(zeros([10, 2])), { batchSize: 4 }).length  // 3`
   */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /**
   * Starts a pass: with shuffle, the pass's order is drawn now.
   * @example `[...new data.DataLoader(new data.TensorDataset(arange(5)), { batchSize: 2 })].map(([x]) => x.size)  // [2, 2, 1]`
   */
  [Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    const order = this.shuffle ? randperm(n, this.generator ?? defaultGenerator()) : Array.from({ length: n }, (_, i) => i);
    return this.batches(order);
  }

  private *batches(order: number[]): Generator_<B> {
    const end = this.dropLast ? order.length - (order.length % this.batchSize) : order.length;
    for (let start = 0; start < end; start += this.batchSize) {
      yield this.fetch(order.slice(start, start + this.batchSize));
    }
  }

  private fetch(indices: number[]): B {
    const { dataset, collate } = this;
    if (collate === undefined && typeof dataset.getBatch === 'function') return dataset.getBatch(indices) as B;
    const samples = indices.map((i) => dataset.get(i));
    return collate ? collate(samples) : (defaultCollate(samples) as B);
  }
}

// The built-in generator type (the name Generator is taken by the random-number Generator here).
type Generator_<Y> = globalThis.Generator<Y, void, undefined>;

/**
 * Makes one batch of a list of samples (PyTorch's default_collate): tensors of one shape and dtype are stacked
 * along a new first dim; numbers become a 1-d tensor (float32; class labels are float tensors of integers in
 * tapegrad); strings are gathered into an array; arrays (tuples) and plain objects are collated position by position
 * or key by key, so `[x, y]` samples give `[xs, ys]`.
 * @example
 * ```ts
 * import { data, tensor } from 'tapegrad';
 * const [xs, ys] = data.defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
 * xs.toArray(); // [[1, 2], [3, 4]]
 * ys.toArray(); // [0, 1]
 * ```
 */
export function defaultCollate<T>(samples: readonly T[]): Collated<T> {
  if (!Array.isArray(samples) || samples.length === 0) throw new TypeError('defaultCollate: expected a non-empty array of samples');
  return collateAt(samples, 'sample') as Collated<T>;
}

function collateAt(samples: readonly unknown[], where: string): unknown {
  const first = samples[0];
  const same = (test: (s: unknown) => boolean, what: string) => {
    samples.forEach((s, i) => {
      if (!test(s)) throw new TypeError(`defaultCollate: ${where} of sample 0 is ${what} but ${where} of sample ${i} is not`);
    });
  };
  if (first instanceof Tensor) {
    same((s) => s instanceof Tensor, 'a Tensor');
    const tensors = samples as Tensor[];
    tensors.forEach((t, i) => {
      if (!shapesEqual(t.shape, first.shape) || t.dtype !== first.dtype) {
        throw new ShapeError(`defaultCollate: ${where} of sample 0 is ${first.dtype} ${formatShape(first.shape)} but of sample ${i} ${t.dtype} ${formatShape(t.shape)}; tensors stacked into a batch must match`);
      }
    });
    return noGrad(() => stack(tensors, 0));
  }
  if (typeof first === 'number') {
    same((s) => typeof s === 'number', 'a number');
    return tensor(samples as number[]);
  }
  if (typeof first === 'string') {
    same((s) => typeof s === 'string', 'a string');
    return samples.slice();
  }
  if (Array.isArray(first)) {
    same((s) => Array.isArray(s) && s.length === first.length, `an array of ${first.length}`);
    return first.map((_, k) => collateAt(samples.map((s) => (s as unknown[])[k]), `${where}[${k}]`));
  }
  if (first !== null && typeof first === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(first))) {
    const keys = Object.keys(first);
    same((s) => s !== null && typeof s === 'object' && Object.keys(s).length === keys.length && keys.every((k) => Object.hasOwn(s, k)), `an object with keys ${keys.join(', ')}`);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = collateAt(samples.map((s) => (s as Record<string, unknown>)[k]), `${where}.${k}`);
    return out;
  }
  throw new TypeError(`defaultCollate: cannot batch ${where} (${first === null ? 'null' : typeof first}); give the DataLoader a collate function`);
}
