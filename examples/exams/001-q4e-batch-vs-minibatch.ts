/**
 * 001-Q4e (UCLA ECE C147/C247 midterm, Winter 2021, Problem 4(e)): which loss curve is batch gradient descent and
 * which is mini-batch? Figure 1 is missing, so the two curves are produced here: linear regression on 100 points,
 * lr 0.1, 20 epochs, once with the full batch and once with batches of 10. The full-batch loss falls at every
 * step (lr is below 2/L, the stability bound of GD on a quadratic); the mini-batch loss, logged per batch as a
 * training loop logs it, goes up at about half of its steps, because each batch is a different random sample.
 *
 * The regression data and the logged SGD loop are exported: 001-Q4f trains on the same problem.
 */
import { Generator, type Tensor, data, nn, noGrad, optim, rand, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '001-Q4e',
  title: 'which loss curve is batch GD and which is mini-batch GD? (document: A = batch GD, smooth; B = mini-batch GD, jagged; figure missing)',
};

export const DEFAULT_SEED = 0;
export const N = 100;
/** y = 1.5·x₁ − 2·x₂ + 0.5 + N(0, σ²). */
export const TRUE_W = [1.5, -2] as const;
export const TRUE_B = 0.5;
export const NOISE = 0.3;
export const LR = 0.1;
export const EPOCHS = 20;
export const MINI_BATCH = 10;

/** The regression of 000-SA4 / 001-Q4e/f: x ~ U(−1, 1)², y = 1.5x₁ − 2x₂ + 0.5 + N(0, 0.3²), float64. */
export function makeRegression(generator: Generator): { x: Tensor; y: Tensor } {
  const x = rand([N, 2], { dtype: 'float64', generator }).mul(2).sub(1);
  const clean = x.matmul(tensor([[TRUE_W[0]], [TRUE_W[1]]], { dtype: 'float64' })).add(TRUE_B);
  const y = clean.add(randn([N, 1], { dtype: 'float64', generator }).mul(NOISE));
  return { x, y };
}

/** Options of {@link trainLogged}. */
export interface LoggedRunOptions {
  batchSize: number;
  iterations: number;
  lr: number;
  /** Draws the initial weights (first) and then the shuffles. */
  generator: Generator;
  /** Multiply the lr by `gamma` every `every` iterations (optim.StepLR stepped once per update). */
  stepDecay?: { every: number; gamma: number };
}

/** What {@link trainLogged} records at every update t = 0, 1, …. */
export interface LoggedRun {
  /** The loss of the batch used at update t, before the update: the curve a training loop prints. */
  batchLoss: number[];
  /** The MSE on all N points after update t. */
  fullLoss: number[];
  /** The learning rate of update t. */
  lr: number[];
}

/**
 * Trains a Dense(2 → 1) by SGD on (x, y) with the mean squared error, shuffled batches from a DataLoader, and
 * logs every update.
 */
export function trainLogged(x: Tensor, y: Tensor, o: LoggedRunOptions): LoggedRun {
  const model = new nn.Dense(2, 1, { dtype: 'float64', generator: o.generator });
  const opt = new optim.SGD(model.parameters(), { lr: o.lr });
  const scheduler = o.stepDecay ? new optim.StepLR(opt, o.stepDecay.every, { gamma: o.stepDecay.gamma }) : undefined;
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: o.batchSize, shuffle: true, generator: o.generator });
  const run: LoggedRun = { batchLoss: [], fullLoss: [], lr: [] };
  while (run.batchLoss.length < o.iterations) {
    for (const [xb, yb] of loader) {
      run.lr.push(opt.paramGroups[0].lr);
      opt.zeroGrad();
      const loss = nn.mseLoss(model.forward(xb), yb);
      run.batchLoss.push(loss.item());
      loss.backward();
      opt.step();
      scheduler?.step();
      run.fullLoss.push(noGrad(() => nn.mseLoss(model.forward(x), y).item()));
      if (run.batchLoss.length === o.iterations) break;
    }
  }
  return run;
}

/** The number of t with v[t] > v[t − 1]. */
export function countIncreases(v: readonly number[]): number {
  let n = 0;
  for (let t = 1; t < v.length; t++) if (v[t] > v[t - 1]) n++;
  return n;
}

/**
 * L = the largest eigenvalue of the Hessian 2·X̃ᵀX̃/N of the MSE in (w, b), X̃ = [x, 1], by power iteration in plain
 * JS: GD on a quadratic decreases the loss at every step exactly when lr < 2/L.
 */
function hessianTop(x: Tensor): number {
  const xs = x.toArray() as number[][];
  const h = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const [a, b] of xs) {
    const r = [a, b, 1];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) h[i][j] += (2 * r[i] * r[j]) / xs.length;
  }
  let v = [1, 1, 1];
  let lambda = 0;
  for (let k = 0; k < 200; k++) {
    const hv = h.map((row) => row[0] * v[0] + row[1] * v[1] + row[2] * v[2]);
    lambda = Math.hypot(...hv);
    v = hv.map((c) => c / lambda);
  }
  return lambda;
}

export interface BatchVsMiniBatchResult extends ExampleResult {
  seed: number;
  fullBatch: LoggedRun & { increases: number; transitions: number };
  miniBatch: LoggedRun & { increases: number; transitions: number };
  sgd: { increases: number; transitions: number };
  /** 2/L: the largest lr for which full-batch GD on this quadratic loss never goes up. */
  stableLrBound: number;
}

export function run(options: { seed?: number } = {}): BatchVsMiniBatchResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const { x, y } = makeRegression(new Generator(seed));
  // The same initial weights for every run: each run's generator starts from the same state.
  const logged = (batchSize: number) =>
    trainLogged(x, y, { batchSize, iterations: EPOCHS * Math.ceil(N / batchSize), lr: LR, generator: new Generator(seed + 1000) });
  const withCounts = (r: LoggedRun) => ({ ...r, increases: countIncreases(r.batchLoss), transitions: r.batchLoss.length - 1 });
  const fullBatch = withCounts(logged(N));
  const miniBatch = withCounts(logged(MINI_BATCH));
  const sgdRun = withCounts(logged(1));
  const sgd = { increases: sgdRun.increases, transitions: sgdRun.transitions };
  const stableLrBound = 2 / hessianTop(x);

  const perEpoch = (b: number) => Math.ceil(N / b);
  const plot = lineChart({
    name: 'loss-curves',
    title: `Batch vs mini-batch loss (linear regression, N = ${N}, lr ${LR}, seed ${seed})`,
    x: { label: 'epoch' },
    y: { label: 'training loss (MSE of the batch, before the update)', log: true },
    series: [
      { name: `mini-batch, B = ${MINI_BATCH}`, points: miniBatch.batchLoss.map((l, t) => [t / perEpoch(MINI_BATCH), l] as const) },
      { name: `full batch, B = ${N}`, points: fullBatch.batchLoss.map((l, t) => [t / perEpoch(N), l] as const) },
    ],
  });

  const f = (v: number) => v.toFixed(4);
  const lines = [
    `question: Figure 1 shows two loss curves; which is batch gradient descent and which mini-batch?`,
    'document\'s answer: "Graph A is batch GD and B is minibatch GD. Graph B is much more jagged … noise from random sampling in mini-batch"',
    `run (seed ${seed}): y = 1.5x₁ − 2x₂ + 0.5 + N(0, ${NOISE}²), x ~ U(−1, 1)², N = ${N}; Dense(2 → 1), MSE, SGD lr ${LR}, ${EPOCHS} epochs, `
      + 'same initial weights; the loss logged is the batch\'s, before its update',
    `  batch GD (B = ${N}): ${fullBatch.batchLoss.length} updates, the loss goes up at ${fullBatch.increases} of ${fullBatch.transitions} steps `
      + `(${f(fullBatch.batchLoss[0])} → ${f(fullBatch.batchLoss[fullBatch.batchLoss.length - 1])}): smooth, because lr ${LR} < 2/L = ${f(stableLrBound)}`,
    `  mini-batch GD (B = ${MINI_BATCH}): ${miniBatch.batchLoss.length} updates, the loss goes up at ${miniBatch.increases} of ${miniBatch.transitions} steps: jagged, `
      + 'each batch is a different random sample of the data',
    `  SGD (B = 1): up at ${sgd.increases} of ${sgd.transitions} steps`,
    'the figure is missing, so which letter is which cannot be checked; the document\'s criterion (smooth ⇒ batch, jagged ⇒ mini-batch) '
      + 'is what the run shows',
  ];
  return {
    seed, fullBatch, miniBatch, sgd, stableLrBound,
    summary: `batch GD: loss up at ${fullBatch.increases}/${fullBatch.transitions} steps (smooth); mini-batch B = ${MINI_BATCH}: `
      + `${miniBatch.increases}/${miniBatch.transitions} (jagged); figure missing`,
    agrees: 'n/a',
    lines,
    plots: [plot],
  };
}

printIfMain(import.meta.url, { meta, run });
