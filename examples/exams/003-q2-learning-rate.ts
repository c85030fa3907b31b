/**
 * 003-Q2 (RMIT COSC2779 Week 4 tutorial, Q2): what goes wrong with a learning rate that is too high, and one that is
 * too low?
 *
 * Gradient descent on f = ½x² from x₀ (000-TF4's quadratic and its exported run; curvature 1) multiplies x by (1 − η) each step, so
 * f_t = f₀(1 − η)^(2t): for η > 2 the factor exceeds 1 and the loss grows every step; for η ∈ (0, 2) it never grows;
 * for a tiny η it falls like f₀(1 − 2ηt), almost a straight line. Then the reconstructed 2-3-1 network of 003-Q1:
 * one step at lr 0.1 takes the loss from 9 to 866.71, lr 0.01 to 1.4171, lr 0.001 to 6.6013 (003-Q1's run).
 */
import { Generator } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { descend } from './000-tf4-loss-increase-large-lr.js';
import * as q1 from './003-q1-backprop-step.js';

export const meta = {
  id: '003-Q2',
  title: 'what problems come from a learning rate that is too high, or too low? (document: too high oscillates or '
    + 'diverges, the batch-GD cost increases; too low converges very slowly, the cost falls almost linearly)',
};

export const STEPS = 10;
export const TOO_HIGH = 2.5;
export const TOO_LOW = 0.001;
/** Learning rates drawn for the seeded monotonicity check: COUNT from (0, 2) and COUNT from (2, 4). */
export const RANDOM_COUNT = 20;

/** f_t = ½x_t² for t = 0 … steps, by optim.SGD on f = ½x² from x0 (000-TF4's run). */
export const quadraticLosses = (lr: number, x0 = 1, steps = STEPS): number[] => descend(lr, x0, steps).f;

/** The learning-rate/start pairs of the seeded check, and the losses GD produced from them. */
export interface RandomCase {
  lr: number;
  x0: number;
  losses: number[];
}

const strictlyIncreasing = (v: readonly number[]) => v.every((x, i) => i === 0 || x > v[i - 1]);
const nonIncreasing = (v: readonly number[]) => v.every((x, i) => i === 0 || x <= v[i - 1]);

const f4 = (v: number) => v.toFixed(4);
const g4 = (v: number) => (v >= 1e4 ? v.toExponential(3) : v >= 100 ? v.toFixed(1) : v.toFixed(4));

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  tooHigh: number[]; tooLow: number[]; moderate: number[];
  tooLowLinearity: number;
  random: { stable: RandomCase[]; unstable: RandomCase[]; stableAllNonIncreasing: boolean; unstableAllIncreasing: boolean };
  network: { initialLoss: number; lossAfterOneStep: { '0.1': number; '0.01': number; '0.001': number } };
} {
  const seed = options.seed ?? 0;
  const tooHigh = quadraticLosses(TOO_HIGH);
  const tooLow = quadraticLosses(TOO_LOW);
  const moderate = quadraticLosses(0.5);
  // How far the too-low curve is from the straight line through its ends, relative to its total drop.
  const drop = tooLow[0] - tooLow[STEPS];
  const tooLowLinearity = Math.max(...tooLow.map((v, t) => Math.abs(v - (tooLow[0] - (drop * t) / STEPS)))) / drop;

  // The monotonicity claims over seeded random starts and learning rates on both sides of 2/curvature = 2.
  const g = new Generator(seed);
  const draw = (low: number, high: number): RandomCase => {
    const lr = low + (high - low) * g.random();
    const x0 = (g.random() < 0.5 ? -1 : 1) * (0.1 + 2 * g.random());
    return { lr, x0, losses: quadraticLosses(lr, x0) };
  };
  const stable = Array.from({ length: RANDOM_COUNT }, () => draw(1e-4, 2 - 1e-4));
  const unstable = Array.from({ length: RANDOM_COUNT }, () => draw(2 + 1e-4, 4));
  const stableAllNonIncreasing = stable.every((c) => nonIncreasing(c.losses));
  const unstableAllIncreasing = unstable.every((c) => strictlyIncreasing(c.losses));

  // 003-Q1's network: one corrected GD step from the reconstructed weights at three learning rates.
  const q1Result = q1.run();
  const network = {
    initialLoss: q1Result.loss,
    lossAfterOneStep: { '0.1': q1Result.after.loss, '0.01': q1Result.lossAfterLr['0.01'], '0.001': q1Result.lossAfterLr['0.001'] },
  };
  const n = network.lossAfterOneStep;
  const series = (v: number[]) => v.map((y, t) => [t, y] as const);
  return {
    seed, tooHigh, tooLow, moderate, tooLowLinearity,
    random: { stable, unstable, stableAllNonIncreasing, unstableAllIncreasing },
    network,
    summary: `f = ½x²: η = 2.5 grows ×2.25 per step (f₁₀ = ${g4(tooHigh[STEPS])}), η = 0.001 crawls (f₁₀ = ${f4(tooLow[STEPS])}, near-linear); `
      + `003-Q1 net, one step: L 9 → ${n['0.1'].toFixed(2)} (lr 0.1), ${f4(n['0.01'])} (0.01), ${f4(n['0.001'])} (0.001)`,
    agrees: 'yes',
    lines: [
      'question: what problems result from a learning rate that is too (a) high, (b) low?',
      `f = ½x², x₀ = 1, GD (optim.SGD) for ${STEPS} steps; x ← (1 − η)x, so f_t = ½(1 − η)^(2t)`,
      `  η = ${TOO_HIGH} (too high): f = ${tooHigh.slice(0, 6).map(g4).join(', ')}, …, f₁₀ = ${g4(tooHigh[STEPS])}: strictly increasing, diverges`,
      `  η = 0.5: f = ${moderate.slice(0, 4).map(f4).join(', ')}, …, f₁₀ = ${moderate[STEPS].toExponential(2)}`,
      `  η = ${TOO_LOW} (too low): f = ${tooLow.slice(0, 4).map(f4).join(', ')}, …, f₁₀ = ${f4(tooLow[STEPS])}: it decreases, but almost `
        + `linearly (largest gap to the straight line ${(100 * tooLowLinearity).toFixed(2)}% of the drop) and would need ~${Math.round(Math.log(1e-3) / (2 * Math.log(1 - TOO_LOW)))} steps to reach f₀/1000`,
      `  seeded check (seed ${seed}): ${RANDOM_COUNT} random (η, x₀) with η ∈ (0, 2): f non-increasing in ${stable.filter((c) => nonIncreasing(c.losses)).length}/${RANDOM_COUNT}; `
        + `${RANDOM_COUNT} with η ∈ (2, 4): f strictly increasing in ${unstable.filter((c) => strictlyIncreasing(c.losses)).length}/${RANDOM_COUNT}`,
      `003-Q1's 2-3-1 ReLU net, one corrected GD step from L = ${f4(network.initialLoss)}: lr 0.1 → ${f4(n['0.1'])} (overshoots: `
        + `the loss rises ×${(n['0.1'] / network.initialLoss).toFixed(0)}), lr 0.01 → ${f4(n['0.01'])}, lr 0.001 → ${f4(n['0.001'])} (safe but slow)`,
      'document: (a) "the cost does not converge and can even diverge; if the cost oscillates wildly, or increases under batch GD, '
        + 'the lr is too high"; (b) "converges very slowly, the cost decreases almost linearly" — right on both counts',
    ],
    plots: [
      lineChart({
        name: 'quadratic',
        title: '003-Q2: GD on f = ½x² from x = 1 with a learning rate too high, moderate and too low',
        x: { label: 'step' },
        y: { label: 'f', log: true },
        points: true,
        series: [
          { name: `η = ${TOO_HIGH} (too high)`, points: series(tooHigh) },
          { name: 'η = 0.5', points: series(moderate) },
          { name: `η = ${TOO_LOW} (too low)`, points: series(tooLow) },
        ],
      }),
      lineChart({
        name: 'network-one-step',
        title: '003-Q2: 003-Q1\'s network, loss after one GD step against the learning rate',
        x: { label: 'learning rate', log: true },
        y: { label: 'loss after one step', log: true },
        points: true,
        series: [
          { name: 'after one step', points: [[0.001, n['0.001']], [0.01, n['0.01']], [0.1, n['0.1']]] },
          { name: 'before the step', points: [[0.001, network.initialLoss], [0.1, network.initialLoss]] },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
