/**
 * 000-TF4 (SYS ENG 6213 midterm, True/False 4): "if the loss increases after a few epochs, the learning rate is too
 * small" (key: False: a rising loss means the step is too large).
 *
 * Exact demo: gradient descent on f(x) = ½x² (curvature L = 1) multiplies x by (1 − η) each step, so
 * f_t = ½(1 − η)^{2t}·x₀². For 0 < η < 2/L = 2 the loss never rises; for η > 2 it grows geometrically. A tiny η
 * makes progress slow, never negative. Each step is tapegrad's backward() and optim.SGD.
 */
import { Generator, tensor, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { run as run003Q1 } from './003-q1-backprop-step.js';

export const meta = {
  id: '000-TF4',
  title: 'true or false: if the loss increases after a few epochs, the learning rate is too small (key: F, it is too large)',
};

export const settings = {
  steps: 10,
  /** The two rates of EXAMS.md, then more for the plot (2 is the boundary 2/L, where f stays constant). */
  rates: [2.5, 0.001, 0.5, 1.9, 2, 2.1],
  /** How many extra rates the seed draws on each side of 2. */
  drawn: 3,
  defaultSeed: 0,
};

export interface Trajectory {
  lr: number;
  x0: number;
  /** f(x_t) = ½x_t² for t = 0 … steps, computed by tapegrad. */
  f: number[];
}

/** `steps` GD steps on f = ½x² from x0, with tapegrad's backward and SGD (float64). */
export function descend(lr: number, x0 = 1, steps = settings.steps): Trajectory {
  const x = tensor([x0], { dtype: 'float64', requiresGrad: true });
  const opt = new optim.SGD([x], { lr });
  const f: number[] = [];
  for (let t = 0; t <= steps; t++) {
    opt.zeroGrad();
    const loss = x.square().mul(0.5).sum();
    f.push(loss.item());
    if (t === steps) break;
    loss.backward();
    opt.step();
  }
  return { lr, x0, f };
}

const strictlyIncreasing = (f: number[]) => f.every((v, i) => i === 0 || v > f[i - 1]);
const nonIncreasing = (f: number[]) => f.every((v, i) => i === 0 || v <= f[i - 1]);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  /** The fixed rates, x₀ = 1. */
  trajectories: Trajectory[];
  /** Rates and starts drawn from Generator(seed): `drawn` in (0, 2) and `drawn` in (2, 3). */
  drawnStable: Trajectory[];
  drawnUnstable: Trajectory[];
  /** Every η > 2 gave a strictly increasing loss, every η in (0, 2) a non-increasing one. */
  propertyHolds: boolean;
  /** 003-Q1: the loss before and after one GD step of the 2-3-1 network at lr 0.1 and 0.01. */
  network: { before: number; afterLr01: number; afterLr001: number };
} {
  const seed = options.seed ?? settings.defaultSeed;
  const trajectories = settings.rates.map((lr) => descend(lr));
  const g = new Generator(seed);
  const start = () => (g.random() < 0.5 ? -1 : 1) * (0.5 + 1.5 * g.random());
  // Stable rates stay clear of 0 (where f barely moves) only for readability; any η in (0, 2) would do.
  const drawnStable = Array.from({ length: settings.drawn }, () => descend(0.05 + 1.9 * g.random(), start()));
  const drawnUnstable = Array.from({ length: settings.drawn }, () => descend(2 + 1e-3 + g.random(), start()));
  const all = [...trajectories, ...drawnStable, ...drawnUnstable];
  const propertyHolds = all.every((t) => (t.lr > 2 ? strictlyIncreasing(t.f) : t.lr < 2 ? nonIncreasing(t.f) : true));
  const q1 = run003Q1();
  const network = { before: q1.loss, afterLr01: q1.after.loss, afterLr001: q1.lossAfterLr['0.01'] };
  const at = (lr: number) => trajectories.find((t) => t.lr === lr)!;
  const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(4));
  const shortList = (f: number[]) => f.map(short).join(', ');
  const rate = (t: Trajectory) => `η = ${Number(t.lr.toFixed(4))} (x₀ = ${t.x0.toFixed(3)})`;

  return {
    seed, trajectories, drawnStable, drawnUnstable, propertyHolds, network,
    summary: `GD on ½x²: η = 2.5 takes f from 0.5 to ${short(at(2.5).f[settings.steps])} in 10 steps, η = 0.001 only to ${at(0.001).f[settings.steps].toFixed(4)} `
      + '(never up): a rising loss means a too LARGE step (key F holds)',
    agrees: 'yes',
    lines: [
      'question: true or false, "if the loss increases after a few epochs, the learning rate is too small"; document key: F (too large)',
      'demo (exact): gradient descent on f(x) = ½x² from x₀ = 1 with tapegrad (backward + optim.SGD, float64); x_{t+1} = (1 − η)x_t, so f_t = ½(1 − η)^{2t}',
      `  η = 2.5: f = ${shortList(at(2.5).f)} (×2.25 per step)`,
      `  η = 0.001: f = ${shortList(at(0.001).f.slice(0, 4))}, …, f₁₀ = ${at(0.001).f[settings.steps].toFixed(4)} (slow, but never up)`,
      ...[0.5, 1.9, 2, 2.1].map((lr) => `  η = ${lr}: f₁₀ = ${short(at(lr).f[settings.steps])}${lr === 2 ? ' (the boundary 2/L: x flips sign, f stays ½)' : ''}`),
      `  rates drawn from Generator(${seed}): ${drawnStable.map(rate).join(', ')}: f non-increasing; `
        + `${drawnUnstable.map(rate).join(', ')}: f strictly increasing`,
      `  the 2-3-1 network of 003-Q1: one GD step at lr 0.1 takes its loss from ${network.before} to ${network.afterLr01.toFixed(4)}; at lr 0.01 to ${network.afterLr001.toFixed(4)}`,
      `result: η > 2/L ⇒ the loss grows at every step; η < 2/L ⇒ it never grows (${propertyHolds ? 'holds for every rate above' : 'VIOLATED'}); too small a rate only slows the decrease`,
      'document key F: right (a loss that increases points to a learning rate that is too large)',
    ],
    plots: [
      lineChart({
        name: 'loss-by-lr', title: 'GD on f = ½x² from x₀ = 1: the loss by learning rate (2/L = 2)',
        x: { label: 'step t' }, y: { label: 'f(x_t)', log: true }, points: true,
        series: [0.001, 0.5, 1.9, 2.1, 2.5].map((lr) => ({ name: `η = ${lr}`, points: at(lr).f.map((v, t) => [t, v] as const) })),
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
