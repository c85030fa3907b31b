/**
 * Exam 001, Problem 1(b): SGD against full-batch GD: which one gives the more accurate estimate of the gradient?
 *
 * Linear regression without intercept, ŷ = w·x, MSE loss, N = 20 points, the gradient taken at w = 0.5. The full-batch
 * gradient is the exact gradient of the training loss; a mini-batch gradient (B samples drawn without replacement) is
 * an unbiased estimate of it: the B-batches of one epoch average to it exactly, and a random batch's variance is
 *   Var[g_B] = s²·(N − B)/(N·B),  s² = Σ_i (g_i − ḡ)²/(N − 1)  (g_i: the per-sample gradients),
 * the finite-population variance of a sample mean: 0 for B = N (full batch), largest for B = 1 (SGD).
 *
 * Every gradient is the library's: a bias-free nn.Dense with nn.mseLoss and backward() for the full batch and the
 * DataLoader epochs; for the many random batches, one graph holds a separate copy of w per batch, so a single
 * backward() gives every batch's gradient (dL/dw_k of Σ_k L_k(w_k) is L_k's own gradient).
 */
import { Generator, type Tensor, data, full, nn, rand, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '001-Q1b',
  title: 'SGD vs full-batch GD: which gives the more accurate gradient? (document: GD, but it is more expensive)',
};

export const DEFAULT_SEED = 0;
export const N = 20;
export const W_AT = 0.5;
export const BATCH_SIZES = [1, 2, 5, 10, 20];
/** Random batches drawn per batch size for the empirical variance (relative standard error ≈ 1%). */
export const DRAWS = 20000;
/** The data: x ~ U[−1, 1], y = TRUE_W·x + NOISE_STD·ε. */
export const TRUE_W = 2;
export const NOISE_STD = 0.3;

const f64 = { dtype: 'float64' } as const;

export interface BatchSizeResult {
  B: number;
  /** The mean of the N/B batch gradients of one shuffled DataLoader epoch. */
  partitionMean: number;
  /** s²(N − B)/(NB). */
  formulaVariance: number;
  /** Mean and variance (about their own mean) of DRAWS random batch gradients. */
  empiricalMean: number;
  empiricalVariance: number;
}

export interface Q1bResult {
  seed: number;
  x: number[];
  y: number[];
  /** The full-batch gradient dL/dw at w = W_AT. */
  fullGradient: number;
  /** The per-sample gradients' variance s² (divisor N − 1). */
  s2: number;
  perBatchSize: BatchSizeResult[];
}

/** The model at w = W_AT: a bias-free Dense(1 → 1). */
function model(): nn.Dense {
  // W_AT overwrites the initial draw (taken from a generator of its own, not the default one).
  const m = new nn.Dense(1, 1, { bias: false, ...f64, generator: new Generator(0) });
  m.weight.data[0] = W_AT;
  return m;
}

/** dL/dw of the MSE over the rows (xs, ys), [n, 1] each, by backward(). */
function gradient(m: nn.Dense, xs: Tensor, ys: Tensor): number {
  m.zeroGrad();
  nn.mseLoss(m.forward(xs), ys).backward();
  return m.weight.grad!.data[0];
}

/** B distinct indices of 0..N−1, uniformly: the first B steps of a Fisher–Yates shuffle. */
function drawBatch(B: number, generator: Generator, scratch: number[]): number[] {
  for (let i = 0; i < N; i++) scratch[i] = i;
  for (let i = 0; i < B; i++) {
    const j = i + generator.randint(0, N - i);
    [scratch[i], scratch[j]] = [scratch[j], scratch[i]];
  }
  return scratch.slice(0, B);
}

/**
 * The gradients of `draws` random batches of size B at w = W_AT, from one backward(): the batches' rows are gathered
 * into [draws, B] matrices and each batch gets its own copy of w.
 */
function randomBatchGradients(x: Tensor, y: Tensor, B: number, draws: number, generator: Generator): Float64Array {
  const scratch: number[] = [];
  const index = new Float64Array(draws * B);
  for (let k = 0; k < draws; k++) index.set(drawBatch(B, generator, scratch), k * B);
  const idx = tensor(index, f64);
  const xb = x.indexSelect(0, idx).reshape([draws, B]);
  const yb = y.indexSelect(0, idx).reshape([draws, B]);
  const w = full([draws, 1], W_AT, { ...f64, requiresGrad: true });
  // Σ_k mean_b (w_k·x_kb − y_kb)²: its gradient in w_k is batch k's MSE gradient.
  w.mul(xb).sub(yb).square().mean(1).sum().backward();
  return Float64Array.from(w.grad!.data);
}

/** The whole demo on data drawn from `new Generator(seed)`. */
export function minibatchGradients(seed: number, draws = DRAWS): Q1bResult {
  const generator = new Generator(seed);
  const x = rand([N], { ...f64, generator }).mul(2).sub(1);
  const y = x.mul(TRUE_W).add(randn([N], { ...f64, generator }).mul(NOISE_STD));
  const [xs, ys] = [x.reshape([N, 1]), y.reshape([N, 1])];
  const m = model();
  const fullGradient = gradient(m, xs, ys);

  // s² from the per-sample gradients, each one a batch of one.
  const perSample = Array.from({ length: N }, (_, i) => gradient(m, xs.slice(0, i, i + 1), ys.slice(0, i, i + 1)));
  const mean = perSample.reduce((a, v) => a + v, 0) / N;
  const s2 = perSample.reduce((a, v) => a + (v - mean) ** 2, 0) / (N - 1);

  const dataset = new data.TensorDataset(xs, ys);
  const perBatchSize = BATCH_SIZES.map((B): BatchSizeResult => {
    const loader = new data.DataLoader(dataset, { batchSize: B, shuffle: true, generator });
    const epoch = [...loader].map(([xb, yb]) => gradient(m, xb, yb));
    const g = randomBatchGradients(x, y, B, draws, generator);
    const empiricalMean = g.reduce((a, v) => a + v, 0) / draws;
    const empiricalVariance = g.reduce((a, v) => a + (v - empiricalMean) ** 2, 0) / (draws - 1);
    return {
      B, partitionMean: epoch.reduce((a, v) => a + v, 0) / epoch.length,
      formulaVariance: (s2 * (N - B)) / (N * B), empiricalMean, empiricalVariance,
    };
  });
  return { seed, x: Array.from(x.data), y: Array.from(y.data), fullGradient, s2, perBatchSize };
}

const f4 = (v: number) => v.toFixed(4);
const f6 = (v: number) => v.toFixed(6);

export function run(options: { seed?: number } = {}): ExampleResult & Q1bResult {
  const r = minibatchGradients(options.seed ?? DEFAULT_SEED);
  const row = (B: number) => r.perBatchSize.find((p) => p.B === B)!;
  const worstPartition = Math.max(...r.perBatchSize.map((p) => Math.abs(p.partitionMean - r.fullGradient)));
  const worstRel = Math.max(...r.perBatchSize.filter((p) => p.B < N)
    .map((p) => Math.abs(p.empiricalVariance / p.formulaVariance - 1)));
  return {
    ...r,
    summary: `full gradient ${f6(r.fullGradient)}; mini-batch gradients are unbiased (epoch mean off by ${worstPartition.toExponential(1)}) `
      + `with variance s²(N−B)/(NB): ${f4(row(1).formulaVariance)} (B = 1) … 0 (B = N): GD is exact, SGD noisy but cheap`,
    agrees: 'yes',
    plots: [lineChart({
      name: 'gradient-variance',
      title: `001-Q1b: variance of the mini-batch gradient vs batch size (N = ${N}, ${DRAWS} random batches per B, seed ${r.seed})`,
      x: { label: 'batch size B', log: true },
      y: { label: 'Var[g_B]' },
      points: true,
      series: [
        { name: 's²(N − B)/(NB)', points: r.perBatchSize.map((p) => [p.B, p.formulaVariance] as const) },
        { name: 'empirical', points: r.perBatchSize.map((p) => [p.B, p.empiricalVariance] as const) },
      ],
    })],
    lines: [
      '001-Q1b: "Explain the key difference between SGD and full-batch GD. Does SGD or GD provide a more accurate estimate of the gradient?"',
      `data: N = ${N}, x ~ U[−1, 1], y = ${TRUE_W}x + N(0, ${NOISE_STD}²) (Generator(${r.seed})); model ŷ = w·x (bias-free nn.Dense), MSE; gradients at w = ${W_AT} by backward()`,
      `full-batch gradient dL/dw = ${f6(r.fullGradient)}; per-sample gradients have variance s² = ${f4(r.s2)}`,
      `unbiased: the batches of one shuffled DataLoader epoch average to the full gradient exactly: `
        + r.perBatchSize.map((p) => `B = ${p.B}: ${f6(p.partitionMean)}`).join(', ') + ` (largest difference ${worstPartition.toExponential(1)})`,
      `variance of one mini-batch gradient (${DRAWS} random batches per B, drawn without replacement), empirical vs s²(N−B)/(NB):`,
      ...r.perBatchSize.map((p) => `  B = ${String(p.B).padStart(2)}: ${f4(p.empiricalVariance)} vs ${f4(p.formulaVariance)}`
        + `  (mean of the batch gradients ${f4(p.empiricalMean)})`),
      `  (largest relative difference ${(100 * worstRel).toFixed(1)}% for B < N; the variance falls as B grows and is 0 for the full batch)`,
      'result: full-batch GD computes the exact gradient of the training loss; SGD/mini-batch gradients are unbiased but noisy, '
        + 'with variance ∝ (N − B)/B, bought back by N/B times cheaper steps',
      'document: "SGD updates with the gradient of one or a mini-batch of examples, GD with all; thus GD provides a more accurate '
        + 'estimate of the gradient but is more computationally expensive" (agrees)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
