/**
 * 000-SA4 (SYS ENG 6213 midterm, Short Answer 4): why does the loss not always decrease after a parameter update?
 *
 * Linear regression trained three ways with the same learning rate and the same initial weights: full batch,
 * mini-batches of 10 and single samples. Full-batch GD with lr below 2/L (L the largest curvature of the MSE) is a
 * descent method on a quadratic, so its loss can only fall. A mini-batch step follows a noisy estimate of the
 * gradient, which can point uphill for the full loss, and successive batches are different data, so the logged loss
 * jumps up and down. 001-Q4e asks about the same curves: the regression and the logged training loop are its
 * exports, reused here.
 */
import { Generator, type Tensor, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { EPOCHS, LR, N, type LoggedRun, countIncreases, makeRegression, trainLogged } from './001-q4e-batch-vs-minibatch.js';

export { EPOCHS, LR, N, NOISE, TRUE_B, TRUE_W } from './001-q4e-batch-vs-minibatch.js';

export const meta = {
  id: '000-SA4',
  title: 'why does the loss not always decrease after a parameter update? (document: noisy mini-batches make the '
    + 'updates erratic; more samples per batch, less oscillation)',
};

export const BATCH_SIZES = [N, 10, 1] as const;

/**
 * The largest eigenvalue L of the full MSE's Hessian, 2·[x 1]ᵀ[x 1]/N, by power iteration (tensor matmuls). GD on
 * the quadratic loss cannot increase it when lr < 2/L.
 */
export function curvature(x: Tensor): number {
  const design = tensor(Array.from({ length: x.shape[0] }, (_, i) => [x.data[2 * i], x.data[2 * i + 1], 1]), { dtype: 'float64' });
  const hessian = design.transpose(0, 1).matmul(design).mul(2 / x.shape[0]);
  let v = tensor([[1], [0.5], [0.25]], { dtype: 'float64' });
  let lambda = 0;
  for (let k = 0; k < 200; k++) {
    const hv = hessian.matmul(v);
    lambda = hv.square().sum().sqrt().item();
    v = hv.div(lambda);
  }
  return lambda;
}

export interface BatchResult {
  batchSize: number;
  iterations: number;
  /** Increases of the logged (batch) loss between consecutive iterations, out of iterations − 1. */
  loggedIncreases: number;
  /** Updates 2 … iterations after which the full-data MSE is higher than after the previous one (of iterations − 1). */
  fullIncreases: number;
  finalFullLoss: number;
}

const f = (v: number, dp = 4) => v.toFixed(dp);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number; x: number[][]; results: BatchResult[]; curvature: number; runs: LoggedRun[];
} {
  const seed = options.seed ?? 0;
  const { x, y } = makeRegression(new Generator(seed));
  // Each run's generator draws the initial weights first, then the shuffles: equal seeds, equal starting weights.
  const runs = BATCH_SIZES.map((batchSize) => trainLogged(x, y, {
    batchSize, iterations: EPOCHS * Math.ceil(N / batchSize), lr: LR, generator: new Generator(seed + 1),
  }));
  const results: BatchResult[] = runs.map((r, i) => ({
    batchSize: BATCH_SIZES[i],
    iterations: r.batchLoss.length,
    loggedIncreases: countIncreases(r.batchLoss),
    fullIncreases: countIncreases(r.fullLoss),
    finalFullLoss: r.fullLoss[r.fullLoss.length - 1],
  }));
  const L = curvature(x);
  const [full, mini, single] = results;
  // x in epochs: the logged loss of iteration t is measured before update t, the full loss after it.
  const perEpoch = (v: number[], i: number, after = 0) => v.map((l, t) => [(t + after) / Math.ceil(N / BATCH_SIZES[i]), l] as const);
  const label = (b: number) => (b === N ? 'full batch' : b === 1 ? 'SGD (B = 1)' : `mini-batch B = ${b}`);
  return {
    seed, x: x.toArray() as number[][], results, curvature: L, runs,
    summary: `logged loss increases: full batch ${full.loggedIncreases}/${full.iterations - 1}, B = 10 `
      + `${mini.loggedIncreases}/${mini.iterations - 1}, B = 1 ${single.loggedIncreases}/${single.iterations - 1} (lr ${LR} < 2/L = ${f(2 / L, 3)})`,
    agrees: 'yes',
    lines: [
      'question: why does the loss not always decrease after a parameter update?',
      `data (001-Q4e's regression): N = ${N}, x ~ U[−1, 1]², y = 1.5x₁ − 2x₂ + 0.5 + N(0, 0.3²) (seed ${seed}); nn.Dense(2, 1), MSE, `
        + `optim.SGD lr ${LR}, ${EPOCHS} epochs, shuffled data.DataLoader; all three runs start from the same weights`,
      `largest curvature of the full MSE: L = ${f(L)}, so full-batch GD is a descent method for lr < 2/L = ${f(2 / L)}`,
      ...results.map((r) => `${label(r.batchSize)}: ${r.iterations} iterations; the logged (batch) loss rose ${r.loggedIncreases} `
        + `times in ${r.iterations - 1} transitions; the full-data MSE rose after ${r.fullIncreases} of the last ${r.iterations - 1} updates; `
        + `final full MSE ${f(r.finalFullLoss)}`),
      'a mini-batch gradient is a noisy estimate of the full gradient: a step along it can raise the full loss, and each logged '
        + 'value is measured on a different batch; near the optimum about half the transitions go up',
      'document: "noisy samples in successive batches make the updates erratic; the loss oscillates; more samples per batch, less '
        + 'oscillation" — right: full batch never rises here, B = 10 and B = 1 rise about half the time (other causes: lr > 2/L, see 000-TF4)',
    ],
    plots: [
      lineChart({
        name: 'loss-curves',
        title: '000-SA4: the logged training loss (each iteration\'s batch), full batch vs B = 10, lr 0.1',
        x: { label: 'epoch' },
        y: { label: 'batch MSE before the update', log: true },
        series: runs.slice(0, 2).map((r, i) => ({ name: label(BATCH_SIZES[i]), points: perEpoch(r.batchLoss, i) })),
      }),
      lineChart({
        name: 'full-loss',
        title: '000-SA4: the MSE on all 100 points after each update',
        x: { label: 'epoch' },
        y: { label: 'full-data MSE', log: true },
        series: runs.map((r, i) => ({ name: label(BATCH_SIZES[i]), points: perEpoch(r.fullLoss, i, 1) })),
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
