/**
 * 000-TF2 (SYS ENG 6213 midterm, True/False 2): "removing regularization improves the training accuracy" (key: F,
 * disputed in EXAMS.md §4).
 *
 * Ridge regression on Legendre features of degree 5: the penalised optimum at λ = 0 minimises the training error
 * itself, so every λ > 0 can only match or raise it, and the training MSE is non-decreasing in λ. The document's "F"
 * is defensible only as "not guaranteed" (for accuracy rather than loss, or for non-convex training that does not
 * reach its optimum); the measurable tendency is the opposite of the key.
 *
 * Each λ is solved in closed form (examples/lib/least-squares.ts) and also trained by tapegrad: Dense(5 → 1) on
 * the features, full-batch SGD with weight decay on the weight and none on the bias (a parameter group), which
 * converges to the same optimum.
 */
import { Generator, type Tensor, nn, noGrad, optim, rand, randn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { legendreFeatures, leastSquares } from '../lib/least-squares.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF2',
  title: 'true or false: removing regularization improves the training accuracy (key: F, disputed: training MSE is non-decreasing in λ)',
};

export const settings = {
  n: 200,
  degree: 5,
  noiseStd: 0.2,
  /** The λ of EXAMS.md; 1e-12 stands for "no regularisation" on the log axis. */
  lambdas: [1e-12, 0.01, 1, 10],
  /** A denser sweep for the plot: 10^-8 … 10^2. */
  sweep: Array.from({ length: 21 }, (_, i) => 10 ** (-8 + i / 2)),
  validationSize: 1000,
  gdSteps: 500,
  defaultSeed: 0,
};

/** n points x ~ U[−1, 1], y = sin(πx) + N(0, σ²), in float64. */
function sample(n: number, g: Generator): { x: Tensor; y: Tensor } {
  const x = rand([n], { dtype: 'float64', generator: g }).mul(2).sub(1);
  const noise = randn([n], { dtype: 'float64', generator: g }).mul(settings.noiseStd);
  const clean = x.mul(Math.PI).sin();
  return { x, y: clean.add(noise).reshape([n, 1]) };
}

/**
 * The ridge optimum of (1/N)‖Xw − y‖² + λ‖w₁…w₅‖² (the intercept, column 0, is not penalised), as a bias-free
 * Dense holding the coefficients. leastSquares minimises the sum form ‖Xw − y‖² + λ'‖w‖², so λ' = Nλ.
 */
export function ridgeModel(features: Tensor, y: Tensor, lambda: number): nn.Dense {
  const [n, p] = features.shape;
  // The ridge solution overwrites the initial draws (taken from a generator of its own, not the default one).
  const model = new nn.Dense(p, 1, { bias: false, dtype: 'float64', generator: new Generator(0) });
  model.weight.data.set(leastSquares(features, y, { ridge: n * lambda }).data);
  return model;
}

/**
 * The same objective trained by tapegrad: Dense(5 → 1) on P₁…P₅ with its bias as the intercept, mseLoss, full-batch
 * SGD. SGD's weightDecay w adds w·θ to the gradient, the gradient of (w/2)‖θ‖², so weightDecay = 2λ on the weight
 * group and 0 on the bias group. The step size 1/L uses Gershgorin's bound on the Hessian's largest eigenvalue.
 */
export function trainRidge(features: Tensor, y: Tensor, lambda: number): nn.Dense {
  const [n, p] = features.shape;
  const X = features.slice(1, 1, p);
  // Hessian of the data term in (b, w): (2/N)·AᵀA with A = features (column 0 is the constant 1).
  const gram = noGrad(() => features.T.matmul(features).mul(2 / n)).toArray() as number[][];
  const bound = Math.max(...gram.map((row) => row.reduce((s, v) => s + Math.abs(v), 0))) + 2 * lambda;
  const model = new nn.Dense(p - 1, 1, { dtype: 'float64', generator: new Generator(0) });
  const opt = new optim.SGD([
    { params: [model.weight], weightDecay: 2 * lambda },
    { params: [model.bias!], weightDecay: 0 },
  ], { lr: 1 / bound });
  for (let step = 0; step < settings.gdSteps; step++) {
    opt.zeroGrad();
    nn.mseLoss(model.forward(X), y).backward();
    opt.step();
  }
  return model;
}

export interface RidgePoint {
  lambda: number;
  /** Training MSE of the closed-form optimum. */
  train: number;
  /** Training MSE of the SGD-trained Dense (only for the λ of EXAMS.md). */
  trainSgd?: number;
  validation: number;
}

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  points: RidgePoint[];
  sweep: RidgePoint[];
  /** Training MSE non-decreasing along the λ of EXAMS.md and along the sweep. */
  nonDecreasing: boolean;
  /** max over the four λ of |MSE(SGD) − MSE(closed form)|. */
  sgdGap: number;
} {
  const seed = options.seed ?? settings.defaultSeed;
  const g = new Generator(seed);
  const train = sample(settings.n, g);
  const val = sample(settings.validationSize, g);
  const F = legendreFeatures(train.x, settings.degree);
  const Fval = legendreFeatures(val.x, settings.degree);
  const p = F.shape[1];
  const mse = (m: nn.Module, X: Tensor, y: Tensor) => noGrad(() => nn.mseLoss(m.forward(X), y).item());
  const closed = (lambda: number): RidgePoint => {
    const m = ridgeModel(F, train.y, lambda);
    return { lambda, train: mse(m, F, train.y), validation: mse(m, Fval, val.y) };
  };
  const points = settings.lambdas.map((lambda) => {
    const pt = closed(lambda);
    const sgd = trainRidge(F, train.y, lambda);
    return { ...pt, trainSgd: mse(sgd, F.slice(1, 1, p), train.y) };
  });
  const sweep = settings.sweep.map(closed);
  const monotone = (pts: RidgePoint[]) => pts.every((q, i) => i === 0 || q.train >= pts[i - 1].train);
  const nonDecreasing = monotone(points) && monotone(sweep);
  const sgdGap = Math.max(...points.map((q) => Math.abs(q.trainSgd! - q.train)));
  const best = sweep.reduce((a, b) => (b.validation < a.validation ? b : a));
  const f4 = (v: number) => v.toFixed(4);

  return {
    seed, points, sweep, nonDecreasing, sgdGap,
    summary: `ridge, degree 5: training MSE ${points.map((q) => f4(q.train)).join(' ≤ ')} for λ = ${settings.lambdas.join(', ')}: `
      + 'removing the penalty never raises the training error (key F disputed)',
    agrees: 'erratum',
    lines: [
      'question: true or false, "removing regularization improves the training accuracy"; document key: F',
      `demo: N = ${settings.n} points x ~ U[−1, 1], y = sin(πx) + N(0, ${settings.noiseStd}²) (Generator(${seed})); Legendre features of degree ${settings.degree}; `
        + 'minimise (1/N)‖Xw − y‖² + λ‖w‖² (intercept not penalised), in closed form and by tapegrad SGD with weight decay 2λ',
      ...points.map((q) => `  λ = ${q.lambda}: training MSE ${f4(q.train)} (closed form), ${f4(q.trainSgd!)} (SGD, ${settings.gdSteps} steps); validation MSE ${f4(q.validation)}`),
      `  sweep λ = 1e-8 … 100 (${settings.sweep.length} values): training MSE ${nonDecreasing ? 'non-decreasing' : 'NOT monotone'} `
        + `from ${f4(sweep[0].train)} to ${f4(sweep[sweep.length - 1].train)}; validation MSE is lowest at λ = ${best.lambda.toExponential(0)} (${f4(best.validation)})`,
      'result: the λ = 0 fit minimises the training loss itself, so removing an L2 penalty can only lower (or keep) the optimal training error; '
        + 'regularisation pays off on validation data, not on the training set',
      'document key F: disputed; it is defensible only as "not guaranteed" (accuracy is not the loss that is minimised; non-convex training may not reach the optimum)',
      'erratum: the key "F" is disputed (EXAMS.md §4.4): removing an L2 penalty can never increase the optimal training data-loss; the measurable fact supports the opposite tendency',
    ],
    plots: [
      lineChart({
        name: 'mse-vs-lambda', title: 'Ridge on degree-5 Legendre features: MSE against the penalty λ',
        x: { label: 'λ', log: true }, y: { label: 'MSE', log: true },
        series: [
          { name: 'training', points: sweep.map((q) => [q.lambda, q.train] as const) },
          { name: 'validation', points: sweep.map((q) => [q.lambda, q.validation] as const) },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
