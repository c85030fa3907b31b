/**
 * Datasets: anything with a `length` and an indexed `get(i)` (PyTorch's map-style Dataset), the TensorDataset that
 * wraps tensors sharing their first dim, the Subset view and randomSplit.
 * @module
 */
import { Tensor } from '../tensor.js';
import { noGrad } from '../autograd/tape.js';
import { indexSelect, select } from '../ops/movement.js';
import { type Generator, defaultGenerator } from '../random.js';
import { checkGenerator, describe } from '../checks.js';
import { ShapeError } from '../errors.js';
import { formatShape } from '../shape.js';

/**
 * A map-style dataset: `length` samples, the i-th one returned by `get(i)`. A dataset that can gather many samples
 * at once faster than one by one (as {@link TensorDataset} does with one indexSelect per tensor) also implements
 * `getBatch`, which the DataLoader then uses instead of `get` plus collation.
 * @example
 * ```ts
 * import { data, tensor, Tensor } from 'tapegrad';
 * const squares: data.Dataset<Tensor> = { length: 10, get: (i) => tensor([i * i]) };
 * ```
 */
export interface Dataset<T> {
  /** The number of samples. */
  readonly length: number;
  /** The sample at `index`, 0 ≤ index < length. */
  get(index: number): T;
  /** Optional: the samples at `indices`, already collated into one batch. */
  getBatch?(indices: readonly number[]): unknown;
}

/** Throws a RangeError unless `index` is an integer in [0, length). */
export function checkIndex(index: number, length: number, who: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${who}: index ${describe(index)} is out of range for a dataset of ${length} samples`);
  }
}

/**
 * Tensors that share their first dim, sample i being the i-th row of each (PyTorch's TensorDataset), such as inputs
 * and labels. Batches are gathered with one indexSelect per tensor.
 * @example
 * ```ts
 * import { data, randn, tensor } from 'tapegrad';
 * const ds = new data.TensorDataset(randn([100, 4]), tensor([...Array(100).keys()]));
 * ds.length;                 // 100
 * const [x, y] = ds.get(3);  // x.shape [4], y.item() === 3
 * ```
 */
export class TensorDataset implements Dataset<Tensor[]> {
  /** The wrapped tensors (not copied). */
  readonly tensors: readonly Tensor[];

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new TypeError('TensorDataset: expected at least one tensor');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: argument ${i} is not a Tensor, got ${describe(t)}`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensor ${i} is a scalar; every tensor needs a first (sample) dim`);
    });
    const n = tensors[0].shape[0];
    tensors.forEach((t, i) => {
      if (t.shape[0] !== n) {
        throw new ShapeError(`TensorDataset: every tensor must have the same first dim, but tensor 0 has shape ${formatShape(tensors[0].shape)} and tensor ${i} has ${formatShape(t.shape)}`);
      }
    });
    this.tensors = tensors.slice();
  }

  /**
   * The number of samples: the tensors' shared first dim.
   * @example `new data.TensorDataset(zeros([7, 3])).length  // 7`
   */
  get length(): number {
    return this.tensors[0].shape[0];
  }

  /**
   * Row `index` of every tensor (each a new tensor outside any graph).
   * @example `new data.TensorDataset(arange(6).reshape(3, 2), tensor([0, 1, 0])).get(1)[0]  // [2, 3]`
   */
  get(index: number): Tensor[] {
    checkIndex(index, this.length, 'TensorDataset.get');
    return noGrad(() => this.tensors.map((t) => select(t, 0, index)));
  }

  /**
   * Rows `indices` of every tensor, stacked along a new first dim: one indexSelect per tensor.
   * @example `new data.TensorDataset(arange(6).reshape(3, 2)).getBatch([2, 0])[0]  // [[4, 5], [0, 1]]`
   */
  getBatch(indices: readonly number[]): Tensor[] {
    for (const i of indices) checkIndex(i, this.length, 'TensorDataset.getBatch');
    return noGrad(() => this.tensors.map((t) => indexSelect(t, 0, indices)));
  }
}

/**
 * The samples of `dataset` at `indices`, in that order (PyTorch's Subset): a view, nothing is copied.
 * @example
 * ```ts
 * import { data, randn } from 'tapegrad';
 * const ds = new data.TensorDataset(randn([10, 2]));
 * const firstThree = new data.Subset(ds, [0, 1, 2]); // firstThree.length === 3
 * ```
 */
export class Subset<T> implements Dataset<T> {
  /** The dataset this is a view of. */
  readonly dataset: Dataset<T>;
  /** The positions, in the underlying dataset, of this subset's samples, in order. */
  readonly indices: readonly number[];
  /** The samples at `indices` in one batch; defined only when the wrapped dataset defines it. */
  readonly getBatch?: (indices: readonly number[]) => unknown;

  constructor(dataset: Dataset<T>, indices: readonly number[]) {
    if (dataset === null || typeof dataset !== 'object' || typeof dataset.get !== 'function') {
      throw new TypeError('Subset: expected a dataset with length and get(index)');
    }
    if (!Array.isArray(indices)) throw new TypeError(`Subset: indices must be an array of integers, got ${describe(indices)}`);
    for (const i of indices) checkIndex(i, dataset.length, 'Subset');
    this.dataset = dataset;
    this.indices = indices.slice();
    const inner = dataset.getBatch;
    if (inner) {
      // Present only when the wrapped dataset has it, so a subset of a TensorDataset keeps the fast batch path.
      this.getBatch = (batch: readonly number[]) => {
        for (const i of batch) checkIndex(i, this.indices.length, 'Subset.getBatch');
        return inner.call(dataset, batch.map((i) => this.indices[i]));
      };
    }
  }

  /**
   * The number of samples in the subset.
   * @example `new data.Subset(new data.TensorDataset(zeros([10])), [1, 3, 5]).length  // 3`
   */
  get length(): number {
    return this.indices.length;
  }

  /**
   * Sample `index` of the subset: sample `indices[index]` of the dataset.
   * @example `new data.Subset(new data.TensorDataset(arange(10)), [7, 2]).get(0)[0]  // 7`
   */
  get(index: number): T {
    checkIndex(index, this.indices.length, 'Subset.get');
    return this.dataset.get(this.indices[index]);
  }
}

/**
 * A uniformly random permutation of 0..n-1 by the Fisher–Yates shuffle: for i from n−1 down to 1, swap position i
 * with a position j drawn uniformly from [0, i] (`generator.randint(0, i + 1)`). n − 1 draws in all.
 * @example
 * ```ts
 * import { data, Generator } from 'tapegrad';
 * data.randperm(5, new Generator(0)); // some order of [0, 1, 2, 3, 4]
 * ```
 */
export function randperm(n: number, generator?: Generator): number[] {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`randperm: n must be a non-negative integer, got ${describe(n)}`);
  const g = checkGenerator('randperm', generator) ?? defaultGenerator();
  const perm = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}

/**
 * Splits a dataset into non-overlapping random subsets (PyTorch's random_split). `lengths` are either counts that
 * sum to the dataset's length, or fractions that sum to 1: then each subset gets ⌊n·fraction⌋ samples and the
 * remainder is dealt one at a time to the subsets in order, round-robin, as PyTorch does. The samples are assigned
 * by one permutation drawn with {@link randperm} from `generator` (default: the default generator).
 * @example
 * ```ts
 * import { data, Generator, randn } from 'tapegrad';
 * const ds = new data.TensorDataset(randn([10, 2]));
 * const [train, test] = data.randomSplit(ds, [0.8, 0.2], new Generator(0)); // 8 and 2 samples
 * ```
 */
export function randomSplit<T>(dataset: Dataset<T>, lengths: readonly number[], generator?: Generator): Array<Subset<T>> {
  if (dataset === null || typeof dataset !== 'object' || !Number.isSafeInteger(dataset.length)) {
    throw new TypeError('randomSplit: expected a dataset with an integer length');
  }
  if (!Array.isArray(lengths) || lengths.length === 0) throw new TypeError(`randomSplit: lengths must be a non-empty array, got ${describe(lengths)}`);
  checkGenerator('randomSplit', generator);
  const n = dataset.length;
  for (const l of lengths) {
    if (typeof l !== 'number' || !Number.isFinite(l) || l < 0) {
      throw new RangeError(`randomSplit: lengths must be non-negative numbers, got ${describe(lengths)}`);
    }
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  let counts: number[];
  // As PyTorch: lengths that sum to 1 (within rounding) are fractions, unless they are counts of a dataset of one.
  if (Math.abs(total - 1) <= 1e-9 && total <= n) {
    if (lengths.some((f) => f > 1)) throw new RangeError(`randomSplit: fractions must lie in [0, 1], got ${describe(lengths)}`);
    counts = lengths.map((f) => Math.floor(n * f));
    const remainder = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; i < remainder; i++) counts[i % counts.length] += 1;
  } else {
    if (!lengths.every(Number.isInteger)) {
      throw new RangeError(`randomSplit: lengths ${describe(lengths)} are neither counts (integers) nor fractions summing to 1`);
    }
    if (total !== n) {
      throw new RangeError(`randomSplit: lengths ${describe(lengths)} sum to ${total}, but the dataset has ${n} samples`);
    }
    counts = lengths.slice();
  }
  const perm = randperm(n, generator);
  const out: Array<Subset<T>> = [];
  let offset = 0;
  for (const c of counts) {
    out.push(new Subset(dataset, perm.slice(offset, offset + c)));
    offset += c;
  }
  return out;
}
