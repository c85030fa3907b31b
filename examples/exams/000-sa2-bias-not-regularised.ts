/**
 * 000-SA2 (SYS ENG 6213 midterm, Short Answer 2): why is regularisation not applied to the biases?
 *
 * A line y = 50 + 2x, fitted by gradient descent on MSE + λ·(penalty), once with the penalty on the weight only and
 * once on the weight and the bias. The data sit far from the origin (ȳ = 50), which is where a penalised bias hurts:
 * the bias only shifts the output, it does not make the model more sensitive to its input, so shrinking it buys no
 * smoothness and simply drags every prediction towards 0. The decay is applied through optim.SGD's parameter groups
 * (weightDecay 2λ for the gradient of λθ²), the way a training script excludes biases.
 */
import { Generator, nn, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-SA2',
  title: 'why is regularisation not applied to the biases? (document: biases do not contribute to the curvature, '
    + 'and overfitting needs input sensitivity)',
};

export const X = [-1, -0.5, 0, 0.5, 1];
export const Y = X.map((x) => 50 + 2 * x);
export const LAMBDA = 1;
export const LR = 0.1;
/** Enough full-batch steps for the slowest mode (contraction 0.8 per step) to reach float64 precision. */
export const STEPS = 300;

/** A fitted line and its training MSE (the data term only, without the penalty). */
export interface Fit {
  w: number;
  b: number;
  mse: number;
}

const xs = () => tensor(X.map((v) => [v]), { dtype: 'float64' });
const ys = () => tensor(Y.map((v) => [v]), { dtype: 'float64' });

/**
 * Full-batch GD on mean (wx + b − y)² + λw² (+ λb² when `decayBias`), from a Dense(1, 1) initialised by `generator`.
 * The penalty is the optimizer's weight decay: d(λθ²)/dθ = 2λθ, so the group's weightDecay is 2λ.
 */
export function fitLine(decayBias: boolean, generator: Generator): Fit & { biasPath: number[] } {
  const model = new nn.Dense(1, 1, { dtype: 'float64', generator });
  const opt = new optim.SGD([
    { params: [model.weight], weightDecay: 2 * LAMBDA },
    { params: [model.bias!], weightDecay: decayBias ? 2 * LAMBDA : 0 },
  ], { lr: LR });
  const x = xs();
  const y = ys();
  const biasPath = [model.bias!.item()];
  for (let step = 0; step < STEPS; step++) {
    opt.zeroGrad();
    nn.mseLoss(model.forward(x), y).backward();
    opt.step();
    biasPath.push(model.bias!.item());
  }
  const mse = nn.mseLoss(model.forward(x).detach(), y).item();
  return { w: model.weight.item(), b: model.bias!.item(), mse, biasPath };
}

const f = (v: number, dp = 4) => v.toFixed(dp);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number; weightOnly: Fit; withBias: Fit; mseRatio: number; ybar: number;
} {
  const seed = options.seed ?? 0;
  const g = new Generator(seed);
  const { biasPath: pathW, ...weightOnly } = fitLine(false, g);
  const { biasPath: pathB, ...withBias } = fitLine(true, g);
  const mseRatio = withBias.mse / weightOnly.mse;
  const ybar = Y.reduce((s, v) => s + v, 0) / Y.length;

  const grid = Array.from({ length: 21 }, (_, i) => -1 + i / 10);
  const line = (fit: Fit) => grid.map((x) => [x, fit.w * x + fit.b] as const);
  const every = (path: number[]) => path.map((b, t) => [t, b] as const).filter(([t]) => t <= 60);
  return {
    seed, weightOnly, withBias, mseRatio, ybar,
    summary: `decaying the weight only: b = ${f(weightOnly.b)} = ȳ, MSE ${f(weightOnly.mse)}; decaying the bias too: `
      + `b = ${f(withBias.b)} = ȳ/(1+λ), MSE ${f(withBias.mse)} (${mseRatio.toFixed(0)}× worse)`,
    agrees: 'yes',
    lines: [
      'question: why is regularisation not applied to the biases?',
      `data: x = (${X.join(', ')}), y = 50 + 2x (ȳ = ${ybar}); loss = mean (wx + b − y)² + λ·penalty, λ = ${LAMBDA}; `
        + `full-batch optim.SGD (lr ${LR}, ${STEPS} steps) with parameter groups, weightDecay 2λ on the penalised ones (seed ${seed} for the init)`,
      `weight decayed, bias not: w = ${f(weightOnly.w)} (= 2·mean x²/(mean x² + λ) = 2/3), b = ${f(weightOnly.b)} (= ȳ), train MSE ${f(weightOnly.mse)}`,
      `weight and bias decayed:  w = ${f(withBias.w)}, b = ${f(withBias.b)} (= ȳ/(1 + λ)), train MSE ${f(withBias.mse)}`,
      `penalising the bias costs ${mseRatio.toFixed(1)}× the training MSE: it only shifts the output, so shrinking it removes no `
        + 'input sensitivity (no overfitting capacity) and just pulls every prediction towards 0 — underfitting; '
        + 'and there is one bias per unit against many weights, so leaving them free costs little variance',
      'document: "the bias parameters don\'t contribute to the curvature of the model"; overfitting needs the output to be '
        + 'sensitive to small input changes — right: this is roughly the standard argument, and the demo shows what a penalised bias costs',
    ],
    plots: [
      lineChart({
        name: 'fits',
        title: '000-SA2: y = 50 + 2x fitted with weight decay on w only, and on w and b (λ = 1)',
        x: { label: 'x' },
        y: { label: 'y' },
        series: [
          { name: 'data y = 50 + 2x', points: X.map((x, i) => [x, Y[i]] as const) },
          { name: 'decay on w only', points: line(weightOnly) },
          { name: 'decay on w and b', points: line(withBias) },
        ],
      }),
      lineChart({
        name: 'bias-path',
        title: '000-SA2: the bias during gradient descent (first 60 steps)',
        x: { label: 'step' },
        y: { label: 'b' },
        series: [
          { name: 'bias not decayed (→ ȳ = 50)', points: every(pathW) },
          { name: 'bias decayed (→ ȳ/(1+λ) = 25)', points: every(pathB) },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
