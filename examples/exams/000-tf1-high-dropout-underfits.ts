/**
 * 000-TF1 (SYS ENG 6213 midterm, True/False 1): "a very high dropout rate causes underfitting" (key: True).
 *
 * A 1-50-1 ReLU network fits sin(3x) at 40 noise-free points, once per dropout rate p on the hidden layer. With no
 * noise there is nothing to overfit, so the eval-mode training error measures only how well each network manages to
 * fit: at p = 0.9 each step trains a random ~5-unit sub-network, and the averaged network that eval() uses fits the
 * curve far worse.
 */
import { Generator, type Tensor, linspace, nn, noGrad, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { type Series, lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF1',
  title: 'true or false: a very high dropout rate causes underfitting (key: T)',
};

export const settings = {
  points: 40,
  hidden: 50,
  lr: 0.01,
  steps: 600,
  rates: [0, 0.1, 0.5, 0.9],
  /** Eval-mode training MSE is recorded for the learning-curve plot every this many steps. */
  every: 10,
  defaultSeed: 0,
};

/** 40 evenly spaced x in [−1, 1] and y = sin(3x), as [n, 1] columns. */
export function makeData(): { x: Tensor; y: Tensor } {
  const x = linspace(-1, 1, settings.points).reshape([settings.points, 1]);
  // The targets are data: sin(3x) in float64 from the stored x, rounded to float32 once (x.mul(3).sin() would
  // round 3x to float32 first).
  const y = tensor(Float32Array.from(x.data, (v) => Math.sin(3 * v))).reshape([settings.points, 1]);
  return { x, y };
}

/** One training run at dropout rate p. */
export interface DropoutRun {
  p: number;
  /** Eval-mode (dropout off) training MSE after the last step. */
  trainMse: number;
  /** [step, eval-mode training MSE] every `settings.every` steps, from step 0. */
  curve: Array<[number, number]>;
  /** Eval-mode predictions at the training x's. */
  fit: number[];
}

/**
 * Trains Dense(1, 50) → ReLU → Dropout(p) → Dense(50, 1) with Adam on the full batch. The weights are He-normal and
 * the biases keep Dense's default U(−1, 1) (fan-in 1), which spreads the ReLU kinks over the interval. A fresh
 * Generator(seed) draws the initial weights first and then the dropout masks, so every p starts from the same network.
 */
export function trainWithDropout(p: number, seed: number): DropoutRun {
  const { x, y } = makeData();
  const generator = new Generator(seed);
  const first = new nn.Dense(1, settings.hidden, { generator });
  const last = new nn.Dense(settings.hidden, 1, { generator });
  nn.init.kaimingNormal_(first.weight, { nonlinearity: 'relu', generator });
  nn.init.kaimingNormal_(last.weight, { nonlinearity: 'relu', generator });
  const model = new nn.Sequential(first, new nn.ReLU(), new nn.Dropout(p, { generator }), last);
  const opt = new optim.Adam(model.parameters(), { lr: settings.lr });
  const evalMse = () => noGrad(() => {
    model.eval();
    const mse = nn.mseLoss(model.forward(x), y).item();
    model.train();
    return mse;
  });
  const curve: Array<[number, number]> = [];
  for (let step = 0; step < settings.steps; step++) {
    if (step % settings.every === 0) curve.push([step, evalMse()]);
    opt.zeroGrad();
    nn.mseLoss(model.forward(x), y).backward();
    opt.step();
  }
  const trainMse = evalMse();
  curve.push([settings.steps, trainMse]);
  const fit = noGrad(() => Array.from(model.eval().forward(x).data));
  return { p, trainMse, curve, fit };
}

const sci = (v: number) => v.toExponential(2);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  runs: DropoutRun[];
  /** MSE(p = 0.9) / MSE(p = 0.1). */
  ratio: number;
  /** The eval-mode training MSE never decreases as p grows. */
  monotone: boolean;
  varianceY: number;
} {
  const seed = options.seed ?? settings.defaultSeed;
  const runs = settings.rates.map((p) => trainWithDropout(p, seed));
  const mse = (p: number) => runs.find((r) => r.p === p)!.trainMse;
  const ratio = mse(0.9) / mse(0.1);
  const monotone = runs.every((r, i) => i === 0 || r.trainMse >= runs[i - 1].trainMse);
  const { x, y } = makeData();
  const ys = Array.from(y.data);
  const mean = ys.reduce((s, v) => s + v, 0) / ys.length;
  const varianceY = ys.reduce((s, v) => s + (v - mean) ** 2, 0) / ys.length;
  const xs = Array.from(x.data);

  const curves: Series[] = runs.map((r) => ({ name: `p = ${r.p}`, points: r.curve.map(([s, v]) => [s, Math.max(v, 1e-7)] as const) }));
  const fits: Series[] = [
    { name: 'sin(3x)', points: xs.map((v, i) => [v, ys[i]] as const) },
    ...runs.map((r) => ({ name: `p = ${r.p}`, points: xs.map((v, i) => [v, r.fit[i]] as const) })),
  ];
  return {
    seed, runs, ratio, monotone, varianceY,
    summary: `eval-mode training MSE ${runs.map((r) => `${sci(r.trainMse)} (p = ${r.p})`).join(', ')}: `
      + `p = 0.9 is ${ratio.toFixed(0)}× p = 0.1, so very high dropout underfits (key T holds)`,
    agrees: 'yes',
    lines: [
      'question: true or false, "a very high dropout rate causes underfitting"; document key: T',
      `demo: y = sin(3x) at ${settings.points} evenly spaced x in [−1, 1] (no noise, Var y = ${varianceY.toFixed(4)}); `
        + `1-${settings.hidden}-1 ReLU MLP, He-normal weights, inverted dropout p on the hidden layer; `
        + `Adam lr ${settings.lr}, ${settings.steps} full-batch steps; Generator(${seed})`,
      ...runs.map((r) => `  p = ${r.p}: training MSE in eval mode ${sci(r.trainMse)} (${(r.trainMse / varianceY * 100).toFixed(2)}% of Var y)`),
      `result: MSE(0.9) / MSE(0.1) = ${ratio.toFixed(1)}; the error ${monotone ? 'rises monotonically' : 'does NOT rise monotonically'} with p. `
        + 'With no noise to overfit, the gap is pure underfitting: the net trained with p = 0.9 cannot even fit its own training set',
      'document key T: right',
    ],
    plots: [
      lineChart({
        name: 'training-mse', title: 'Eval-mode training MSE while training, by dropout rate p',
        x: { label: 'Adam step' }, y: { label: 'training MSE (eval mode)', log: true }, series: curves,
      }),
      lineChart({
        name: 'fits', title: 'The fitted curves (eval mode) after 600 steps',
        x: { label: 'x' }, y: { label: 'y' }, series: fits,
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
