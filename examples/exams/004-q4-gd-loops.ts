/**
 * Seed 004, Q4: the three gradient-descent loops of the document's pseudo-code — stochastic (shuffle, one example per
 * update), full batch (all data, one update per epoch) and mini-batch (shuffle, batches of B) — run on a linear
 * regression with optim.SGD, the mini-batches served by data.DataLoader with a seeded shuffle.
 */
import { Generator, type Tensor, data, nn, noGrad, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = { id: '004-Q4', title: 'pseudo-code for SGD, full-batch and mini-batch gradient descent' };

/** What one loop did. */
export interface LoopRun {
  /** Updates made in each epoch. */
  stepsPerEpoch: number[];
  /** The loss of each update's batch, before the update. */
  batchLosses: number[];
  /** The loss on all the data: before training, then after each update. */
  fullLosses: number[];
  /** [w₁, w₂, b] after training. */
  params: number[];
}

export interface GdLoopsResult extends ExampleResult {
  n: number;
  lr: number;
  epochs: number;
  /** Largest eigenvalue of the Hessian of the mean squared error in (w₁, w₂, b); full batch descends for lr < 2/L. */
  hessianMaxEigenvalue: number;
  full: LoopRun;
  /** Mini-batch, B = 10. */
  mini: LoopRun;
  sgd: LoopRun;
  /** Increases of the batch loss from one update to the next, and of the full-data loss. */
  increases: Record<'full' | 'mini' | 'sgd', { batch: number; fullData: number }>;
  /** DataLoader batches per epoch for N = 100 and these batch sizes, with and without dropLast. */
  batchesPerEpoch: Array<{ batchSize: number; batches: number; dropLastBatches: number }>;
  /** max |full-batch gradient − mean of the per-sample gradients| (mean reduction). */
  meanGradientMismatch: number;
  /** max |params| difference after 5 epochs: mini-batch with B = N vs full batch. */
  miniBNvsFull: number;
  /** Mini-batch B = 1 and the SGD loop, same shuffle seed, 5 epochs: bitwise equal parameters. */
  miniB1EqualsSgd: boolean;
  /** Two mini-batch runs with shuffle seed 7: bitwise equal parameters. */
  sameSeedIdentical: boolean;
  /** Shuffle seeds 7 and 8: the largest parameter difference. */
  differentSeedDifference: number;
}

const N = 100;
const LR = 0.1;
const EPOCHS = 20;
const DATA_SEED = 4;
const INIT_SEED = 5;

/** y = 2x₁ − 3x₂ + 0.5 + 0.5·ε, x ~ N(0, I). */
export function makeData(): { X: Tensor; y: Tensor } {
  const g = new Generator(DATA_SEED);
  const X = randn([N, 2], { dtype: 'float64', generator: g });
  const y = X.matmul(tensor([[2], [-3]], { dtype: 'float64' })).add(0.5).add(randn([N, 1], { dtype: 'float64', generator: g }).mul(0.5));
  return { X, y };
}

/** The same initial model for every loop. */
function makeModel(): nn.Dense {
  return new nn.Dense(2, 1, { dtype: 'float64', generator: new Generator(INIT_SEED) });
}

function paramsOf(model: nn.Dense): number[] {
  return [...model.weight.data, ...model.bias!.data];
}

type Batches = (epoch: number) => Iterable<[Tensor, Tensor]>;

/** The loop body all three share: forward, loss, zeroGrad, backward, step. */
function train(batches: Batches, epochs: number, X: Tensor, y: Tensor): LoopRun {
  const model = makeModel();
  const opt = new optim.SGD(model.parameters(), { lr: LR });
  const fullLoss = () => noGrad(() => nn.mseLoss(model.forward(X), y).item());
  const run: LoopRun = { stepsPerEpoch: [], batchLosses: [], fullLosses: [fullLoss()], params: [] };
  for (let epoch = 0; epoch < epochs; epoch++) {
    let steps = 0;
    for (const [xb, yb] of batches(epoch)) {
      const loss = nn.mseLoss(model.forward(xb), yb);
      opt.zeroGrad();
      loss.backward();
      opt.step();
      steps++;
      run.batchLosses.push(loss.item());
      run.fullLosses.push(fullLoss());
    }
    run.stepsPerEpoch.push(steps);
  }
  run.params = paramsOf(model);
  return run;
}

/** (a) SGD as the pseudo-code writes it: shuffle the data, then one update per example. */
function sgdLoop(X: Tensor, y: Tensor, epochs: number, shuffleSeed: number): LoopRun {
  const generator = new Generator(shuffleSeed);
  return train(function* () {
    for (const i of data.randperm(N, generator)) yield [X.indexSelect(0, [i]), y.indexSelect(0, [i])];
  }, epochs, X, y);
}

/** (b) Full batch: all the data, in its order, one update per epoch; no shuffle, since the mean does not depend on order. */
function fullBatchLoop(X: Tensor, y: Tensor, epochs: number): LoopRun {
  return train(() => [[X, y]], epochs, X, y);
}

/** (c) Mini-batch: a DataLoader reshuffles at the start of every epoch (pass) from its generator. */
function miniBatchLoop(X: Tensor, y: Tensor, epochs: number, batchSize: number, shuffleSeed: number): LoopRun {
  const loader = new data.DataLoader(new data.TensorDataset(X, y), { batchSize, shuffle: true, generator: new Generator(shuffleSeed) });
  return train(() => loader as Iterable<[Tensor, Tensor]>, epochs, X, y);
}

function increases(values: number[]): number {
  return values.filter((v, i) => i > 0 && v > values[i - 1]).length;
}

function maxDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((v, i) => Math.abs(v - b[i])));
}

/** Largest eigenvalue of the symmetric positive semi-definite H by power iteration. */
function largestEigenvalue(H: Tensor): number {
  let v = tensor(Array.from({ length: H.shape[0] }, () => [1]), { dtype: 'float64' });
  let lambda = 0;
  for (let k = 0; k < 500; k++) {
    const hv = H.matmul(v);
    lambda = hv.square().sum().sqrt().item();
    v = hv.div(lambda);
  }
  return lambda;
}

export function run(): GdLoopsResult {
  const { X, y } = makeData();

  // MSE = (1/N)‖X̃θ − y‖² with X̃ = [X, 1]: its Hessian is (2/N)·X̃ᵀX̃.
  const Xb = X.pad([0, 1], 1);
  const hessianMaxEigenvalue = largestEigenvalue(Xb.T.matmul(Xb).mul(2 / N));

  const full = fullBatchLoop(X, y, EPOCHS);
  const mini = miniBatchLoop(X, y, EPOCHS, 10, 7);
  const sgd = sgdLoop(X, y, EPOCHS, 7);
  const count = (r: LoopRun) => ({ batch: increases(r.batchLosses), fullData: increases(r.fullLosses) });
  const inc = { full: count(full), mini: count(mini), sgd: count(sgd) };

  const batchesPerEpoch = [1, 10, 30, 50, 100].map((batchSize) => ({
    batchSize,
    batches: new data.DataLoader(new data.TensorDataset(X, y), { batchSize }).length,
    dropLastBatches: new data.DataLoader(new data.TensorDataset(X, y), { batchSize, dropLast: true }).length,
  }));

  // The gradient of the mean loss over the batch is the mean of the per-example gradients.
  const model = makeModel();
  model.zeroGrad();
  nn.mseLoss(model.forward(X), y).backward();
  const batchGrad = [...model.weight.grad!.data, ...model.bias!.grad!.data];
  const sumGrad = [0, 0, 0];
  for (let i = 0; i < N; i++) {
    model.zeroGrad();
    nn.mseLoss(model.forward(X.indexSelect(0, [i])), y.indexSelect(0, [i])).backward();
    [...model.weight.grad!.data, ...model.bias!.grad!.data].forEach((g, k) => (sumGrad[k] += g));
  }
  const meanGradientMismatch = maxDiff(batchGrad, sumGrad.map((g) => g / N));

  const miniBNvsFull = maxDiff(miniBatchLoop(X, y, 5, N, 7).params, fullBatchLoop(X, y, 5).params);
  const miniB1 = miniBatchLoop(X, y, 5, 1, 7).params;
  const sgd5 = sgdLoop(X, y, 5, 7).params;
  const miniB1EqualsSgd = miniB1.every((v, i) => Object.is(v, sgd5[i]));
  const seven = miniBatchLoop(X, y, 5, 10, 7).params;
  const sameSeedIdentical = miniBatchLoop(X, y, 5, 10, 7).params.every((v, i) => Object.is(v, seven[i]));
  const differentSeedDifference = maxDiff(seven, miniBatchLoop(X, y, 5, 10, 8).params);

  const total = (r: LoopRun) => r.stepsPerEpoch.reduce((a, b) => a + b, 0);
  const p3 = (p: number[]) => `(${p.map((v) => v.toFixed(4)).join(', ')})`;
  const lines = [
    `data: N = ${N}, y = 2x₁ − 3x₂ + 0.5 + 0.5·ε (seed ${DATA_SEED}); model Dense(2 → 1); MSE (mean); optim.SGD lr ${LR}; ${EPOCHS} epochs`,
    '(a) SGD:        each epoch: shuffle (data.randperm, seeded); for each example: forward, loss, zeroGrad, backward, step',
    '(b) full batch: each epoch: forward and loss on all data, zeroGrad, backward, step (no shuffle)',
    '(c) mini-batch: each epoch: for each batch of a DataLoader({ batchSize, shuffle: true, generator }): forward, loss, zeroGrad, backward, step',
    `updates per epoch: SGD ${sgd.stepsPerEpoch[0]} (= N), full batch ${full.stepsPerEpoch[0]}, mini-batch B = 10: ${mini.stepsPerEpoch[0]} (= ⌈N/B⌉)`,
    `  DataLoader batches per epoch for N = ${N}: ${batchesPerEpoch.map((b) => `B = ${b.batchSize}: ${b.batches}${b.dropLastBatches !== b.batches ? ` (${b.dropLastBatches} with dropLast)` : ''}`).join(', ')}`,
    `  the document's batch_size = 50: ${batchesPerEpoch.find((b) => b.batchSize === 50)!.batches} updates per epoch`,
    `full batch: ${total(full)} updates, loss ${full.fullLosses[0].toFixed(4)} → ${full.fullLosses[full.fullLosses.length - 1].toFixed(4)}, ${inc.full.fullData} increases`,
    `  (Hessian's largest eigenvalue L = ${hessianMaxEigenvalue.toFixed(4)}: lr ${LR} < 2/L = ${(2 / hessianMaxEigenvalue).toFixed(4)}, so every full-batch step descends)`,
    `mini-batch B = 10: ${total(mini)} updates, full-data loss → ${mini.fullLosses[mini.fullLosses.length - 1].toFixed(4)}; `
      + `${inc.mini.batch} per-batch loss increases, ${inc.mini.fullData} increases of the full-data loss`,
    `SGD: ${total(sgd)} updates, full-data loss → ${sgd.fullLosses[sgd.fullLosses.length - 1].toFixed(4)}; ${inc.sgd.batch} per-example loss increases, ${inc.sgd.fullData} of the full-data loss`,
    `parameters (w₁, w₂, b): full ${p3(full.params)}, mini-batch ${p3(mini.params)}, SGD ${p3(sgd.params)}`,
    `full-batch gradient vs mean of the ${N} per-example gradients: max difference ${meanGradientMismatch.toExponential(1)}`,
    `5 epochs, mini-batch with B = N vs full batch: parameters differ by ${miniBNvsFull.toExponential(1)} (summation order only)`,
    `5 epochs, mini-batch with B = 1 vs the SGD loop, same shuffle seed: ${miniB1EqualsSgd ? 'bitwise identical' : 'DIFFERENT'}`,
    `same shuffle seed twice: ${sameSeedIdentical ? 'bitwise identical' : 'DIFFERENT'}; seeds 7 and 8: parameters differ by ${differentSeedDifference.toExponential(1)}`,
    'document: the three pseudo-codes are correct (full batch without shuffle, the others shuffling each epoch): agrees',
  ];

  return {
    n: N, lr: LR, epochs: EPOCHS, hessianMaxEigenvalue, full, mini, sgd, increases: inc, batchesPerEpoch,
    meanGradientMismatch, miniBNvsFull, miniB1EqualsSgd, sameSeedIdentical, differentSeedDifference,
    summary: `N = ${N}: updates/epoch SGD ${sgd.stepsPerEpoch[0]}, full 1, B = 50 → ${batchesPerEpoch.find((b) => b.batchSize === 50)!.batches}; `
      + `loss increases full ${inc.full.batch} / mini ${inc.mini.batch} / SGD ${inc.sgd.batch}`,
    agrees: 'yes',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
