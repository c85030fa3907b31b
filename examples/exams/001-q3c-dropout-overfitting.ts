/**
 * 001-Q3c (UCLA ECE C147/C247 midterm, Winter 2021, Problem 3(c)): how does dropout alleviate overfitting?
 *
 * Two measurable faces of the answer (EXAMS.md sends this entry to 003-Q6 and 003-Q8(c)):
 * 1. Shrinkage (003-Q6, reused): for a linear model, inverted input dropout with keep probability q is, in
 *    expectation, L2 regularisation with a per-feature strength ((1 − q)/q)·mean(x_j²). Dropout-SGD trained by the
 *    library lands on that penalised minimiser, whose weights are smaller than the least-squares ones.
 * 2. Variance (as 003-Q8(c)): over 200 training sets of y = sin(πx) + noise, the minimiser of the expected
 *    feature-dropout objective on Legendre features of degree 5 varies less from one training set to the next than
 *    the unregularised fit, at the price of more bias: what "less overfitting" means.
 * An MLP train/validation-gap demo is deliberately not used: EXAMS.md found it inconsistent across seeds.
 */
import { Generator, type Tensor, noGrad, rand, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { legendreFeatures, solveLinearSystem } from '../lib/least-squares.js';
import { lineChart } from '../lib/plot.js';
import { P, dropoutSgd, makeData, solve2 } from './003-q6-dropout.js';

export const meta = {
  id: '001-Q3c',
  title: 'how does dropout alleviate overfitting? (document: it trains an ensemble of sub-networks, like bagging, and prevents co-adaptation)',
};

export const DEFAULT_SEED = 0;
/** Monte Carlo of part 2: R training sets of N points, degree-5 Legendre features, noise σ, a grid of G points. */
export const R = 200;
export const N_FIT = 30;
export const DEGREE = 5;
export const NOISE = 0.2;
export const GRID = 50;
export const KEEPS = [1, 0.9, 0.8, 0.7, 0.6, 0.5] as const;

/**
 * The minimiser of the expected loss E_m‖y − Φ(m⊙w)/q‖² when every non-constant feature is kept with probability q
 * (inverted dropout): ‖y − Φw‖² + ((1 − q)/q)·Σ_{j≥1} w_j²·Σ_i Φ_ij², i.e. (ΦᵀΦ + ((1 − q)/q)·diag'(ΦᵀΦ))·w = Φᵀy,
 * where diag' leaves out the constant column (the intercept is not dropped).
 */
export function expectedDropoutFit(features: Tensor, y: Tensor, keep: number): Float64Array {
  const { gram, rhs } = noGrad(() => ({
    gram: features.T.matmul(features).toArray() as number[][],
    rhs: Array.from(features.T.matmul(y.reshape([y.size, 1])).data),
  }));
  const r = (1 - keep) / keep;
  const a = gram.map((row, i) => row.map((v, j) => (i === j && i > 0 ? v * (1 + r) : v)));
  return solveLinearSystem(a, rhs);
}

export interface BiasVarianceRow { keep: number; bias2: number; variance: number }

/** Bias² = mean over the grid of (E f̂ − f)², variance = mean over the grid of Var f̂, over R training sets. */
export function dropoutBiasVariance(generator: Generator, keeps: readonly number[] = KEEPS): BiasVarianceRow[] {
  const grid = Array.from({ length: GRID }, (_, i) => -1 + (2 * i) / (GRID - 1));
  const gridFeatures = legendreFeatures(grid, DEGREE);
  const truth = grid.map((v) => Math.sin(Math.PI * v));
  const sum = keeps.map(() => new Float64Array(GRID));
  const sumSq = keeps.map(() => new Float64Array(GRID));
  for (let r = 0; r < R; r++) {
    const x = rand([N_FIT], { dtype: 'float64', generator }).mul(2).sub(1);
    const clean = x.mul(Math.PI).sin();
    const y = clean.add(randn([N_FIT], { dtype: 'float64', generator }).mul(NOISE));
    const features = legendreFeatures(x, DEGREE);
    keeps.forEach((keep, k) => {
      const w = tensor(expectedDropoutFit(features, y, keep)).reshape([DEGREE + 1, 1]);
      const fit = gridFeatures.matmul(w).data;
      for (let i = 0; i < GRID; i++) {
        sum[k][i] += fit[i];
        sumSq[k][i] += fit[i] * fit[i];
      }
    });
  }
  return keeps.map((keep, k) => {
    let bias2 = 0;
    let variance = 0;
    for (let i = 0; i < GRID; i++) {
      const m = sum[k][i] / R;
      bias2 += (m - truth[i]) ** 2 / GRID;
      variance += (sumSq[k][i] / R - m * m) / GRID;
    }
    return { keep, bias2, variance };
  });
}

export interface DropoutOverfittingResult extends ExampleResult {
  seed: number;
  /** Part 1: the 003-Q6 regression drawn with this seed (x as rows, y), and the three weight vectors. */
  shrinkage: { x: number[][]; y: number[]; keep: number; wOls: number[]; wClosed: number[]; wDropout: number[] };
  /** Part 2: one row per keep probability, keep = 1 first. */
  biasVariance: BiasVarianceRow[];
}

export function run(options: { seed?: number } = {}): DropoutOverfittingResult {
  const seed = options.seed ?? DEFAULT_SEED;

  // Part 1, with 003-Q6's functions on data drawn from this seed.
  const { x, y } = makeData(new Generator(seed));
  const keep = 1 - P;
  const { g, c } = noGrad(() => ({
    g: x.T.matmul(x).div(x.shape[0]).toArray() as number[][],
    c: Array.from(x.T.matmul(y).div(x.shape[0]).data),
  }));
  const ratio = (1 - keep) / keep;
  const wOls = solve2(g, c);
  const wClosed = solve2([[g[0][0] * (1 + ratio), g[0][1]], [g[1][0], g[1][1] * (1 + ratio)]], c);
  const wDropout = dropoutSgd(x, y, seed + 1000).w;
  const shrinkage = { x: x.toArray() as number[][], y: Array.from(y.data), keep, wOls, wClosed, wDropout };

  // Part 2.
  const biasVariance = dropoutBiasVariance(new Generator(seed + 2000));
  const full = biasVariance[0];
  const rest = biasVariance.slice(1);
  const lowerVariance = rest.filter((r) => r.variance < full.variance).length;
  const higherBias = rest.filter((r) => r.bias2 > full.bias2).length;

  const plot = lineChart({
    name: 'bias-variance',
    title: `Feature dropout on a degree-${DEGREE} fit: variance falls, bias rises (${R} training sets of ${N_FIT}, seed ${seed})`,
    x: { label: 'keep probability q (1 = no dropout)' },
    y: { label: 'mean over x ∈ [−1, 1]', log: true },
    points: true,
    series: [
      { name: 'variance', points: biasVariance.map((r) => [r.keep, r.variance] as const) },
      { name: 'bias²', points: biasVariance.map((r) => [r.keep, r.bias2] as const) },
      { name: 'bias² + variance', points: biasVariance.map((r) => [r.keep, r.bias2 + r.variance] as const) },
    ],
  });

  const f = (v: number) => v.toFixed(4);
  const vec = (v: readonly number[]) => `(${v.map(f).join(', ')})`;
  const norm = (v: readonly number[]) => Math.hypot(...v);
  const lines = [
    'question: how does dropout alleviate overfitting?',
    'document\'s answer: a random mask per layer approximates training a large ensemble of sub-networks (like bagging); it stops '
      + 'neurons from co-adapting',
    `(1) shrinkage, with 003-Q6's demo (seed ${seed}): ${x.shape[0]} points, y = x₁ − 0.5x₂ + noise, input dropout p = ${P}`,
    `    least squares w = ${vec(wOls)}; expected-dropout minimiser (G + ((1 − q)/q)·diag G)⁻¹c = ${vec(wClosed)}; `
      + `dropout-SGD (library, seed ${seed + 1000}) ${vec(wDropout)}`,
    `    ‖w_dropout‖ = ${f(norm(wDropout))} < ‖w_OLS‖ = ${f(norm(wOls))}: in expectation dropout is an L2 penalty on each weight, `
      + 'scaled by its feature\'s energy',
    `(2) variance, as 003-Q8(c): ${R} training sets of ${N_FIT} points, y = sin(πx) + N(0, ${NOISE}²), Legendre degree ${DEGREE}, `
      + 'minimiser of the expected feature-dropout loss (the intercept is not dropped)',
    '     keep q   bias²    variance',
    ...biasVariance.map((r) => `     ${r.keep.toFixed(1)}     ${f(r.bias2)}   ${f(r.variance)}`),
    `    q < 1 vs q = 1 (variance ${f(full.variance)}, bias² ${f(full.bias2)}): lower variance for ${lowerVariance}/${rest.length}, `
      + `higher bias² for ${higherBias}/${rest.length}: the fit depends less on the particular training sample (less overfitting), `
      + 'at the price of bias (too much dropout underfits)',
    'an MLP train/validation-gap demo is not used: EXAMS.md found it reduced the gap in only 3 of 4 seeds',
    'the document\'s answer (ensemble of sub-networks, no co-adaptation) agrees: averaging many thinned networks is what lowers '
      + 'the variance, and the noise acts as the penalty of (1)',
  ];
  return {
    seed, shrinkage, biasVariance,
    summary: `dropout shrinks the weights (‖w‖ ${f(norm(wOls))} → ${f(norm(wDropout))}, = the closed-form L2-like minimiser) and lowers the `
      + `variance (${f(full.variance)} → ${f(biasVariance.find((r) => r.keep === 0.8)!.variance)} at q = 0.8) at a bias cost`,
    agrees: 'yes',
    lines,
    plots: [plot],
  };
}

printIfMain(import.meta.url, { meta, run });
