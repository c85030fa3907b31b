/**
 * 000-SA6 (SYS ENG 6213 midterm, Short Answer 6): why does adapting the learning rate improve training?
 *
 * Two ways of adapting it, each against the best a constant learning rate can do:
 * - per parameter (Adam) on the ill-conditioned quadratic f = ½(100x² + y²) of 000-TF8: plain GD must keep
 *   lr < 2/100 for the steep x-direction to stay stable, and at that lr the gentle y-direction shrinks by at most
 *   0.98 per step, so after 50 steps f ≥ ½·0.98¹⁰⁰ = 0.0663 whatever the stable lr. Adam divides each coordinate's
 *   step by its own gradient scale and moves both directions alike.
 * - over time (step decay, as 001-Q4f) on 001-Q4e's regression (that of 000-SA4): SGD with B = 1 at a large lr makes
 *   fast progress but then rattles around the optimum at a noise level set by the lr; dividing the lr by 10 drops
 *   the loss at once.
 * The quadratic's GD and Adam runs are 000-TF8's exports, the regression and its training loop 001-Q4e's.
 */
import { Generator } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { adam as adamRun, gd as gdRun, inputs as tf8 } from './000-tf8-gentle-directions.js';
import { makeRegression, trainLogged } from './001-q4e-batch-vs-minibatch.js';

export const meta = {
  id: '000-SA6',
  title: 'why does adapting the learning rate improve training? (document: it balances learning speed against how '
    + 'good the final weights are; too large oscillates, too small may never converge)',
};

/** f = ½(100x² + y²), from (1, 1), as 000-TF8. */
export const CURVATURES = tf8.curvature;
export const START = tf8.start;
export const STEPS = tf8.steps;
/** ½·0.98^(2·50): the lowest f₅₀ any stable constant-lr GD can reach (|y₅₀| ≥ 0.98⁵⁰ once lr < 0.02). */
export const GD_FLOOR = 0.5 * 0.98 ** (2 * STEPS);
/** The stable learning rates swept: 0.0005, 0.001, …, 0.0195 and 0.0199 (all below 2/100). */
export const GD_LRS = [...Array.from({ length: 39 }, (_, k) => (k + 1) * 0.0005), 0.0199];
export const UNSTABLE_LR = 0.021;
export const ADAM_LRS = [0.05, 0.1];

/** Step decay on the regression, SGD with B = 1 (001-Q4f's schedule, shortened to 1000 + 1000 iterations). */
export const DECAY = { lr: 0.3, gamma: 0.1, stepSize: 1000, iterations: 2000 };

/** A trajectory on the quadratic: f and the point at t = 0 … STEPS. */
export interface Path {
  f: number[];
  x: number[];
  y: number[];
}

const last = <T>(xs: readonly T[]) => xs[xs.length - 1];
const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const f4 = (v: number) => v.toFixed(4);
const g3 = (v: number) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2) : v.toPrecision(4));

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  gd: Array<{ lr: number; f50: number; y50: number }>;
  bestGd: { lr: number; f50: number };
  unstable: { lr: number; x50: number; f50: number };
  adam: Array<{ lr: number; f50: number; maxCoordinateGap: number }>;
  stepDecay: { before: number; after: number; ratio: number; constantAfter: number };
} {
  const seed = options.seed ?? 0;
  const gdPaths: Path[] = GD_LRS.map((lr) => gdRun(lr, STEPS));
  const gd = gdPaths.map((path, i) => ({ lr: GD_LRS[i], f50: last(path.f), y50: last(path.y) }));
  const bestGd = gd.reduce((a, b) => (b.f50 < a.f50 ? b : a));
  const unstablePath: Path = gdRun(UNSTABLE_LR, STEPS);
  const unstable = { lr: UNSTABLE_LR, x50: last(unstablePath.x), f50: last(unstablePath.f) };
  const adamPaths: Path[] = ADAM_LRS.map((lr) => adamRun(lr, STEPS));
  const adam = adamPaths.map((path, i) => ({
    lr: ADAM_LRS[i],
    f50: last(path.f),
    maxCoordinateGap: Math.max(...path.x.map((x, t) => Math.abs(x - path.y[t]))),
  }));

  // Step decay vs a constant lr, same data, initial weights and shuffles (the seed only enters here).
  const { x, y } = makeRegression(new Generator(seed));
  const sgdRun = (decay: boolean) => trainLogged(x, y, {
    batchSize: 1, lr: DECAY.lr, iterations: DECAY.iterations, generator: new Generator(seed + 1),
    stepDecay: decay ? { every: DECAY.stepSize, gamma: DECAY.gamma } : undefined,
  });
  const decayed = sgdRun(true);
  const constant = sgdRun(false);
  // fullLoss[t] is the full-data MSE after update t: the windows are the second halves of the two phases.
  const window = (c: number[], from: number, to: number) => mean(c.slice(from, to));
  const s = DECAY.stepSize;
  const before = window(decayed.fullLoss, s / 2, s);
  const after = window(decayed.fullLoss, s + s / 2, 2 * s);
  const constantAfter = window(constant.fullLoss, s + s / 2, 2 * s);
  const stepDecay = { before, after, ratio: after / before, constantAfter };

  const at019 = gd.find((r) => Math.abs(r.lr - tf8.gdLr) < 1e-12)!;
  const [adam05, adam1] = adam;
  return {
    seed, gd, bestGd, unstable, adam, stepDecay,
    summary: `f = ½(100x² + y²): best stable GD f₅₀ = ${f4(bestGd.f50)} ≥ ${f4(GD_FLOOR)}, Adam (lr 0.1) f₅₀ = ${f4(adam1.f50)}; `
      + `step decay (lr 0.3 → 0.03): full MSE ${f4(before)} → ${f4(after)} (×${stepDecay.ratio.toFixed(2)})`,
    agrees: 'yes',
    lines: [
      'question: explain why adapting the learning rate in optimization techniques improves the training',
      `per parameter: f = ½(100x² + y²) from (1, 1), ${STEPS} steps (the quadratic of 000-TF8); GD is stable only for lr < 2/100`,
      `  GD over ${GD_LRS.length} stable lrs in (0, 0.02): best f₅₀ = ${f4(bestGd.f50)} at lr ${bestGd.lr}; at lr 0.019: `
        + `y₅₀ = ${f4(at019.y50)}, f₅₀ = ${f4(at019.f50)}; no stable lr can beat ½·0.98¹⁰⁰ = ${f4(GD_FLOOR)} (the gentle y shrinks by ≥ 0.98 per step)`,
      `  GD at lr ${UNSTABLE_LR} (> 2/100): x₅₀ = ${g3(unstable.x50)}, f₅₀ = ${g3(unstable.f50)}: the steep direction diverges`,
      `  optim.Adam (default betas): f₅₀ = ${f4(adam05.f50)} at lr 0.05, ${f4(adam1.f50)} at lr 0.1 (${(GD_FLOOR / adam1.f50).toFixed(0)}× `
        + `below GD's floor); it scales each coordinate's step by its own gradient size, so x_t = y_t (max |x − y| = ${g3(adam1.maxCoordinateGap)})`,
      `over time: 001-Q4e's regression (= 000-SA4's), SGD with B = 1 at lr ${DECAY.lr}, StepLR ×${DECAY.gamma} after ${DECAY.stepSize} iterations `
        + `(001-Q4f's schedule, shortened to ${DECAY.iterations} iterations; seed ${seed})`,
      `  mean full-data MSE over iterations ${s / 2}–${s}: ${f4(before)}; over ${s + s / 2}–${2 * s}: ${f4(after)} (ratio ${stepDecay.ratio.toFixed(3)}); `
        + `the same iterations at a constant lr ${DECAY.lr}: ${f4(constantAfter)}`,
      'a large lr makes fast early progress but its noise (or the steepest curvature) sets a floor; shrinking it where '
        + 'gradients are large, or later in training, keeps the speed without the floor',
      'document: "adapting balances how fast the model learns with how optimal the final weights are; too large an lr '
        + 'oscillates, too small may never converge" — right, for decay over time; it does not mention per-parameter '
        + 'adaptation (Adam, RMSprop), which fixes ill-conditioning',
    ],
    plots: [
      lineChart({
        name: 'quadratic',
        title: '000-SA6: f = ½(100x² + y²): GD at the edge of stability vs Adam',
        x: { label: 'step' },
        y: { label: 'f', log: true },
        series: [
          { name: 'GD lr 0.019', points: gdPaths[GD_LRS.indexOf(at019.lr)].f.map((v, t) => [t, v] as const) },
          { name: `GD lr ${UNSTABLE_LR} (diverges)`, points: unstablePath.f.map((v, t) => [t, v] as const) },
          ...adamPaths.map((p, i) => ({ name: `Adam lr ${ADAM_LRS[i]}`, points: p.f.map((v, t) => [t, v] as const) })),
        ],
      }),
      lineChart({
        name: 'gd-sweep',
        title: '000-SA6: f after 50 GD steps against the (stable) learning rate',
        x: { label: 'learning rate' },
        y: { label: 'f₅₀', log: true },
        points: true,
        series: [
          { name: 'GD', points: gd.map((r) => [r.lr, r.f50] as const) },
          { name: 'floor ½·0.98¹⁰⁰', points: [[GD_LRS[0], GD_FLOOR], [last(GD_LRS), GD_FLOOR]] },
          { name: 'Adam lr 0.1', points: [[GD_LRS[0], adam1.f50], [last(GD_LRS), adam1.f50]] },
        ],
      }),
      lineChart({
        name: 'step-decay',
        title: '000-SA6: SGD (B = 1) on the regression: constant lr 0.3 vs step decay to 0.03',
        x: { label: 'iteration' },
        y: { label: 'full-data MSE', log: true },
        series: [
          { name: 'constant lr 0.3', points: constant.fullLoss.map((v, t) => [t, v] as const) },
          { name: 'lr 0.3 → 0.03', points: decayed.fullLoss.map((v, t) => [t, v] as const) },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
