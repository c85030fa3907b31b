/**
 * 003-Q8 (RMIT COSC2779 Week 4 tutorial, Q8): what do (a) regularising the weights, (b) widening the layers,
 * (c) dropout and (d) more training data do to a model's bias and variance? Measured by Monte Carlo: draw 200
 * training sets from one distribution (y = sin(πx) + N(0, 0.2²), x ~ U[−1, 1]), fit a model on each, and split the
 * expected error on a fixed grid of 50 points into
 *   bias² = mean_x (E f̂(x) − f(x))²   and   variance = mean_x Var f̂(x),
 * where E and Var run over the training sets.
 *
 * Every fit is a closed-form (ridge) least-squares solve (examples/lib/least-squares.ts); the fitted models are
 * tapegrad layers holding the solution, and their predictions come from the library's forward pass. (c) solves the
 * expected objective of inverted feature dropout exactly (003-Q6 shows that dropout-SGD converges to it).
 *
 * (b) measures capacity as the number of polynomial basis functions (EXAMS.md's proxy). EXAMS.md's other variant, a
 * random-ReLU hidden layer of width 5 vs 20 with a least-squares output layer, was tried with the library's default
 * init and left out: units whose kink falls at the edge of the data see one or two training points, and their swings
 * dominate the variance, so the direction of the variance change flipped from seed to seed.
 */
import { Generator, type Tensor, linspace, nn, rand, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { legendreFeatures, leastSquares } from '../lib/least-squares.js';
import { type Plot, lineChart } from '../lib/plot.js';

export const meta = {
  id: '003-Q8',
  title: 'effect on bias and variance of (a) regularising the weights, (b) widening the layers, (c) dropout, (d) more data ' +
    '(key: (a) bias ↑ var ↓, (b) bias ↓ var ↑, (c) bias ↑ var ↓, (d) bias no change, var ↓)',
};

export const DEFAULT_SEED = 8;
/** Training sets per setting of (a)–(c), as in EXAMS.md's reference (those three take well under a second). */
export const DATASETS = 200;
/**
 * Training sets per setting of (d). Its bias² moves by only ≈ 0.0007 from N = 20 to N = 320 (least squares' own
 * finite-sample bias at N = 20), against EXAMS.md's bound of 0.001; with 200 sets the Monte-Carlo error of that
 * difference (±0.0004) decides which side of the bound a seed lands on, with 2,000 it is ±0.0001.
 */
export const DATA_DATASETS = 2000;
export const NOISE_STD = 0.2;
export const GRID_POINTS = 50;

/**
 * The knobs of the four interventions. The settings EXAMS.md §3 compares (λ ∈ {1e-6, 0.1, 1}; degree 3 vs 6;
 * keep ∈ {1, 0.8, 0.5}; N ∈ {20, 80, 320}) are in these sweeps; the extra points draw the curves.
 */
export const SETTINGS = {
  /** (a) ridge on Legendre degree 9, N = 30; λ multiplies ‖w‖² against the MEAN squared error (the constant is not penalised). */
  ridge: { degree: 9, n: 30, lambdas: [1e-6, 1e-4, 1e-3, 0.01, 0.1, 1] },
  /** (b) polynomial capacity (number of basis functions) at N = 40: EXAMS.md's proxy for width. */
  capacity: { n: 40, degrees: [1, 2, 3, 4, 5, 6, 7, 8] },
  /** (c) expected inverted dropout on every non-constant feature, degree 5, N = 30, by keep probability. */
  dropout: { degree: 5, n: 30, keeps: [1, 0.9, 0.8, 0.65, 0.5] },
  /** (d) degree 3, by training-set size. */
  data: { degree: 3, sizes: [20, 40, 80, 160, 320] },
} as const;

/** Bias² and variance of one setting; `knob` is its λ, degree, keep probability or N. */
export interface BiasVariance {
  knob: number;
  bias2: number;
  variance: number;
}

const f = (x: number) => Math.sin(Math.PI * x);

/** n points x ~ U[−1, 1], y = sin(πx) + N(0, 0.2²), as float64 tensors of shape [n] and [n, 1]. */
function sample(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const x = rand([n], { dtype: 'float64', generator: g }).mul(2).sub(1);
  const clean = x.mul(Math.PI).sin();
  const y = clean.add(randn([n], { dtype: 'float64', generator: g }).mul(NOISE_STD)).reshape([n, 1]);
  return { x, y };
}

/** The evaluation grid: GRID_POINTS evenly spaced points of [−1, 1], ends included. */
const grid = linspace(-1, 1, GRID_POINTS, { dtype: 'float64' });
const gridTruth = Float64Array.from(grid.data, f);

/** bias² and variance of R prediction vectors on the grid. */
function decompose(knob: number, predictions: Float64Array[]): BiasVariance {
  const r = predictions.length;
  let bias2 = 0;
  let variance = 0;
  for (let i = 0; i < GRID_POINTS; i++) {
    let mean = 0;
    for (const p of predictions) mean += p[i];
    mean /= r;
    let v = 0;
    for (const p of predictions) v += (p[i] - mean) ** 2;
    bias2 += (mean - gridTruth[i]) ** 2;
    variance += v / r;
  }
  return { knob, bias2: bias2 / GRID_POINTS, variance: variance / GRID_POINTS };
}

/** A bias-free Dense layer holding coefficients `w`: the fitted model of a linear-in-features fit. */
function linearModel(w: Tensor): nn.Dense {
  // the initial draw is overwritten with w; a generator of its own keeps it off the shared default stream
  const model = new nn.Dense(w.shape[0], 1, { bias: false, dtype: 'float64', generator: new Generator(0) });
  model.weight.data.set(w.data);
  return model;
}

/**
 * Grid predictions of the fit minimising mean_i (y_i − wᵀφ(x_i))² + λ·Σ_{j≥1} w_j² on Legendre features φ. The
 * helper's ridge is on the summed error, hence λ·n.
 */
function polynomialFit(x: Tensor, y: Tensor, degree: number, lambda: number): Float64Array {
  const model = linearModel(leastSquares(legendreFeatures(x, degree), y, { ridge: lambda * x.shape[0] }));
  return Float64Array.from(model.forward(legendreFeatures(grid, degree)).data);
}

/**
 * The minimiser of the expected inverted-dropout objective E_m ‖y − X(m⊙w)/q‖² with keep probability q on every
 * non-constant feature: ‖y − Xw‖² + ((1 − q)/q)·Σ_j (XᵀX)_jj w_j² (003-Q6). Scaling column j by s_j = √(XᵀX)_jj
 * turns that penalty into plain ridge with λ = (1 − q)/q, so the helper's ridge solve does it; then w_j = v_j / s_j.
 */
function dropoutFit(x: Tensor, y: Tensor, degree: number, keep: number): Float64Array {
  const X = legendreFeatures(x, degree);
  const [n, p] = X.shape;
  const scale = new Float64Array(p).fill(1);
  for (let j = 1; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += X.data[i * p + j] ** 2;
    scale[j] = Math.sqrt(s);
  }
  const s = tensor(scale, { dtype: 'float64' });
  const v = leastSquares(X.div(s), y, { ridge: (1 - keep) / keep });
  return Float64Array.from(linearModel(v.div(s)).forward(legendreFeatures(grid, degree)).data);
}

/**
 * The bias² that (d) tends to as N → ∞: the grid mean of (p − f)², p the L²[−1, 1] projection of sin(πx) on cubics,
 * p = (3/π)·P₁ + (7/π − 105/π³)·P₃ (c_k = (2k + 1)/2 ∫ f P_k; sin is odd, so c₀ = c₂ = 0).
 */
export function cubicApproximationError(): number {
  const c1 = 3 / Math.PI;
  const c3 = 7 / Math.PI - 105 / Math.PI ** 3;
  let s = 0;
  for (let i = 0; i < GRID_POINTS; i++) {
    const x = grid.data[i];
    s += (c1 * x + c3 * (5 * x ** 3 - 3 * x) / 2 - gridTruth[i]) ** 2;
  }
  return s / GRID_POINTS;
}

/**
 * The least grid error any cubic reaches: the least-squares cubic fitted to sin(πx) on the grid itself. E f̂ of (d) is
 * an average of cubics, hence a cubic, so its bias² can never be below this.
 */
export function gridBestCubicError(): number {
  const truth = tensor(gridTruth, { dtype: 'float64' }).reshape([GRID_POINTS, 1]);
  const fit = linearModel(leastSquares(legendreFeatures(grid, 3), truth)).forward(legendreFeatures(grid, 3));
  return fit.squeeze(1).sub(tensor(gridTruth, { dtype: 'float64' })).square().mean().item();
}

/** `datasets` training sets of size n, each fitted by `fit`; the bias²/variance of the fits. */
function monteCarlo(
  knob: number, n: number, g: Generator, fit: (x: Tensor, y: Tensor) => Float64Array, datasets = DATASETS,
): BiasVariance {
  const predictions: Float64Array[] = [];
  for (let r = 0; r < datasets; r++) {
    const { x, y } = sample(n, g);
    predictions.push(fit(x, y));
  }
  return decompose(knob, predictions);
}

export interface BiasVarianceStudy {
  /** (a) by λ. */
  ridge: BiasVariance[];
  /** (b) by polynomial degree. */
  capacity: BiasVariance[];
  /** (c) by keep probability. */
  dropout: BiasVariance[];
  /** (d) by N. */
  data: BiasVariance[];
}

/** The four Monte-Carlo studies from `new Generator(seed)`. */
export function study(seed: number): BiasVarianceStudy {
  const g = new Generator(seed);
  const { ridge, capacity, dropout, data } = SETTINGS;
  return {
    ridge: ridge.lambdas.map((l) => monteCarlo(l, ridge.n, g, (x, y) => polynomialFit(x, y, ridge.degree, l))),
    capacity: capacity.degrees.map((d) => monteCarlo(d, capacity.n, g, (x, y) => polynomialFit(x, y, d, 0))),
    dropout: dropout.keeps.map((q) => monteCarlo(q, dropout.n, g, (x, y) => dropoutFit(x, y, dropout.degree, q))),
    data: data.sizes.map((n) => monteCarlo(n, n, g, (x, y) => polynomialFit(x, y, data.degree, 0), DATA_DATASETS)),
  };
}

/** The entry of `rows` whose knob is `knob`. */
export function at(rows: BiasVariance[], knob: number): BiasVariance {
  const r = rows.find((row) => row.knob === knob);
  if (!r) throw new RangeError(`003-Q8: no setting ${knob}`);
  return r;
}

const fmt = (v: number) => (v >= 0.1 ? v.toFixed(3) : v.toFixed(4));
const bv = (r: BiasVariance) => `${fmt(r.bias2)} / ${fmt(r.variance)}`;
const dir = (from: number, to: number) => (to > from ? 'up' : 'down');

function chart(name: string, title: string, xLabel: string, rows: BiasVariance[], log: boolean): Plot {
  return lineChart({
    name, title, x: { label: xLabel, log }, y: { label: 'bias² and variance (log scale)', log: true }, points: true,
    series: [
      { name: 'bias²', points: rows.map((r) => [r.knob, r.bias2] as const) },
      { name: 'variance', points: rows.map((r) => [r.knob, r.variance] as const) },
    ],
  });
}

export function run(options: { seed?: number } = {}): ExampleResult & BiasVarianceStudy & { seed: number; datasets: number; dataDatasets: number } {
  const seed = options.seed ?? DEFAULT_SEED;
  const s = study(seed);
  const { ridge, capacity, dropout, data } = SETTINGS;
  const [l0, l1, l2] = [at(s.ridge, 1e-6), at(s.ridge, 0.1), at(s.ridge, 1)];
  const [d3, d6] = [at(s.capacity, 3), at(s.capacity, 6)];
  const [k1, k08, k05] = [at(s.dropout, 1), at(s.dropout, 0.8), at(s.dropout, 0.5)];
  const [n20, n80, n320] = [at(s.data, 20), at(s.data, 80), at(s.data, 320)];
  const plots = [
    chart('ridge', `(a) ridge on degree-${ridge.degree} Legendre features, N = ${ridge.n}`, 'λ (log scale)', s.ridge, true),
    chart('capacity', `(b) capacity: polynomial degree, N = ${capacity.n}`, 'degree', s.capacity, false),
    chart('dropout', `(c) expected feature dropout, degree ${dropout.degree}, N = ${dropout.n}`, 'keep probability', s.dropout, false),
    chart('data', `(d) degree-${data.degree} fit, by training-set size`, 'N (log scale)', s.data, true),
  ];
  return {
    seed, datasets: DATASETS, dataDatasets: DATA_DATASETS, ...s, plots,
    summary: `bias²/var: ridge λ 1e-6 → 1: ${bv(l0)} → ${bv(l2)}; degree 3 → 6: ${bv(d3)} → ${bv(d6)}; ` +
      `dropout keep 1 → 0.5: ${bv(k1)} → ${bv(k05)}; N 20 → 320: ${bv(n20)} → ${bv(n320)}; the key's four answers hold`,
    agrees: 'yes',
    lines: [
      'question: what effect do (a) regularising the weights, (b) increasing the width of the layers, (c) dropout, (d) more training data have on bias and variance?',
      'key: (a) bias increases, variance decreases; (b) bias decreases, variance increases; (c) bias increases, variance decreases; (d) bias no change, variance decreases',
      `demo: ${DATASETS} training sets per setting from y = sin(πx) + N(0, ${NOISE_STD}²), x ~ U[−1, 1] (seed ${seed}); ` +
        `bias² = mean over a ${GRID_POINTS}-point grid of (E f̂ − f)², variance = mean of Var f̂; shown as bias² / variance`,
      `(a) ridge (mean squared error + λ‖w‖²), Legendre degree ${ridge.degree}, N = ${ridge.n}: λ = 1e-6: ${bv(l0)}; λ = 0.1: ${bv(l1)}; λ = 1: ${bv(l2)}` +
        ` → from λ = 1e-6 to 0.1 and 1: bias² ${dir(l0.bias2, l1.bias2)}/${dir(l0.bias2, l2.bias2)}, variance ${dir(l0.variance, l1.variance)}/${dir(l0.variance, l2.variance)}` +
        ' (the λ = 1e-6 bias² is inflated by its huge variance over finitely many sets, so only these pairs are compared)',
      `(b) capacity, polynomial degree at N = ${capacity.n} (EXAMS.md's proxy for width): degree 3: ${bv(d3)}; degree 6: ${bv(d6)} → bias² ${dir(d3.bias2, d6.bias2)}, variance ${dir(d3.variance, d6.variance)}`,
      `(c) expected inverted feature dropout (exact minimiser, 003-Q6), degree ${dropout.degree}, N = ${dropout.n}: keep 1: ${bv(k1)}; keep 0.8: ${bv(k08)}; keep 0.5: ${bv(k05)}` +
        ` → from keep 1 to 0.8 and 0.5: bias² ${dir(k1.bias2, k08.bias2)}/${dir(k1.bias2, k05.bias2)}, variance ${dir(k1.variance, k08.variance)}/${dir(k1.variance, k05.variance)}`,
      `(d) degree ${data.degree}, ${DATA_DATASETS} training sets per N: N = 20: ${bv(n20)}; N = 80: ${bv(n80)}; N = 320: ${bv(n320)} → bias² stays near the error of the best cubic, ` +
        `${fmt(cubicApproximationError())} (it belongs to the model class, not to the data), changing by ${Math.abs(n20.bias2 - n320.bias2).toFixed(4)} from N = 20 to 320 ` +
        `(least squares' finite-sample bias at N = 20), while the variance falls ${(n20.variance / n320.variance).toFixed(1)}× for 16× the data (≈ 1/N)`,
      `note: EXAMS.md's reference bias² for (d), 0.0034–0.0036, cannot come from this setup: E f̂ is a cubic, and no cubic comes closer to sin(πx) on the ` +
        `${GRID_POINTS}-point grid than ${gridBestCubicError().toFixed(5)} (the least-squares cubic on the grid); its conclusions, which the test asserts, hold`,
      'result: all four answers of the key hold in the demo; the key is right',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
