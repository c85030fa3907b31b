/**
 * 000-SA5 (SYS ENG 6213 midterm, Short Answer 5): the loss stays constant during training, with no bug in the code.
 * Why?
 *
 * Dead ReLUs: a 2-8-1 ReLU network whose hidden biases start at −10, so that with inputs in [−1, 1]² (and default
 * weights, |w·x| ≤ √2) every hidden pre-activation is negative. ReLU passes no gradient for negative inputs, so the
 * first layer gets exactly zero gradient, the hidden outputs are all 0, so the output weights get exactly zero
 * gradient too; only the output bias learns, and the network can do no better than predicting the mean:
 * the loss settles at Var(y) and stays there. The same net with its default biases learns.
 */
import { Generator, type Tensor, nn, noGrad, optim, rand, randn, variance } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-SA5',
  title: 'the loss stays constant although the code has no bug: why? (document: an unsuitable architecture, or noisy data)',
};

export const N = 40;
export const HIDDEN = 8;
export const DEAD_BIAS = -10;
export const LR = 0.1;
export const STEPS = 300;
export const NOISE_STD = 0.1;

/** x ~ U[−1, 1]², y = x₁ + x₂² + N(0, 0.1²): float64, [N, 2] and [N, 1]. */
function makeData(g: Generator): { x: Tensor; y: Tensor } {
  const x = rand([N, 2], { dtype: 'float64', generator: g }).mul(2).sub(1);
  const x1 = x.select(1, 0);
  const x2 = x.select(1, 1);
  const noise = randn([N], { dtype: 'float64', generator: g }).mul(NOISE_STD);
  return { x, y: x1.add(x2.square()).add(noise).reshape([N, 1]) };
}

/** One training run's record. */
export interface Run {
  losses: number[];
  /** The largest |gradient| seen over all steps, per parameter. */
  maxAbsGrad: { W1: number; b1: number; W2: number; b2: number };
  /** The largest hidden pre-activation over the data, at the start. */
  maxPreactivation: number;
}

function train(x: Tensor, y: Tensor, initSeed: number, hiddenBias: number | null): Run {
  const init = new Generator(initSeed);
  const hidden = new nn.Dense(2, HIDDEN, { dtype: 'float64', generator: init });
  const output = new nn.Dense(HIDDEN, 1, { dtype: 'float64', generator: init });
  if (hiddenBias !== null) hidden.bias!.data.fill(hiddenBias);
  const model = new nn.Sequential(hidden, new nn.ReLU(), output);
  const maxPreactivation = noGrad(() => hidden.forward(x).max().item());
  const opt = new optim.SGD(model.parameters(), { lr: LR });
  const params = { W1: hidden.weight, b1: hidden.bias!, W2: output.weight, b2: output.bias! };
  const maxAbsGrad = { W1: 0, b1: 0, W2: 0, b2: 0 };
  const losses: number[] = [];
  for (let step = 0; step < STEPS; step++) {
    opt.zeroGrad();
    const loss = nn.mseLoss(model.forward(x), y);
    losses.push(loss.item());
    loss.backward();
    for (const [name, p] of Object.entries(params) as Array<[keyof typeof params, Tensor]>) {
      maxAbsGrad[name] = Math.max(maxAbsGrad[name], p.grad!.abs().max().item());
    }
    opt.step();
  }
  return { losses, maxAbsGrad, maxPreactivation };
}

const f = (v: number, dp = 4) => v.toFixed(dp);
const sci = (v: number) => (v === 0 ? '0' : v.toExponential(2));

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number; y: number[]; varianceY: number; dead: Run; healthy: Run; lastLossesSpread: number;
} {
  const seed = options.seed ?? 0;
  const g = new Generator(seed);
  const { x, y } = makeData(g);
  // The same initial weights twice: only the hidden biases differ.
  const dead = train(x, y, seed + 1, DEAD_BIAS);
  const healthy = train(x, y, seed + 1, null);
  const varianceY = variance(y, undefined, { correction: 0 }).item();
  const last100 = dead.losses.slice(-100);
  const lastLossesSpread = Math.max(...last100) - Math.min(...last100);
  const final = dead.losses[dead.losses.length - 1];
  const m = dead.maxAbsGrad;
  return {
    seed, y: Array.from(y.data), varianceY, dead, healthy, lastLossesSpread,
    summary: `hidden biases −10 kill every ReLU: dW1 = db1 = dW2 = 0 exactly, only b2 learns, the loss settles at `
      + `Var(y) = ${f(varianceY)} and stays (last 100 spread ${sci(lastLossesSpread)}); default biases reach ${f(healthy.losses[STEPS - 1])}`,
    agrees: 'yes',
    lines: [
      'question: the loss remains constant during training and the code has no bug: what are the reasons?',
      `data: N = ${N}, x ~ U[−1, 1]², y = x₁ + x₂² + N(0, ${NOISE_STD}²) (seed ${seed}); 2-${HIDDEN}-1 ReLU nn.Sequential, MSE, `
        + `full-batch optim.SGD lr ${LR}, ${STEPS} steps; hidden biases set to ${DEAD_BIAS}`,
      `dead ReLUs: the largest hidden pre-activation is ${f(dead.maxPreactivation)} < 0, so every hidden output is 0`,
      `  max |gradient| over all steps: W1 ${sci(m.W1)}, b1 ${sci(m.b1)}, W2 ${sci(m.W2)}, b2 ${sci(m.b2)}: only the output bias learns`,
      `  loss ${f(dead.losses[0])} (step 0) → ${f(dead.losses[50])} (step 50) → ${f(final)} (step ${STEPS - 1}); `
        + `Var(y) = ${f(varianceY)} (the best constant prediction); spread of the last 100 losses ${sci(lastLossesSpread)}`,
      `the same initial weights with the default hidden biases: loss ${f(healthy.losses[0])} → ${f(healthy.losses[STEPS - 1])}`,
      'other causes of a flat loss: a learning rate ≈ 0; saturated sigmoid/tanh units (σ\'(z) ≤ 4.5e-5 for |z| ≥ 10, 003-Q4); '
        + 'zero or constant initialisation (000-SA3, 001-Q1d); a model that can only output a constant',
      'document: "an incorrectly defined architecture for the problem or noisy data" — right as far as it goes (an '
        + 'unsuitable architecture can plateau), but incomplete: it misses the usual mechanisms: no gradient reaches the weights (dead ReLUs, saturation), or lr ≈ 0',
    ],
    plots: [
      lineChart({
        name: 'loss',
        title: '000-SA5: training loss with dead ReLUs (hidden biases −10) and with the default biases',
        x: { label: 'step' },
        y: { label: 'MSE' },
        series: [
          { name: 'dead ReLUs (b₁ = −10)', points: dead.losses.map((l, t) => [t, l] as const) },
          { name: 'default b₁', points: healthy.losses.map((l, t) => [t, l] as const) },
          { name: 'Var(y)', points: [[0, varianceY], [STEPS - 1, varianceY]] },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
