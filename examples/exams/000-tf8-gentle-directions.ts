/**
 * Exam 000, True/False 8: "In optimization, large gradient values ensure a good progress in the more gently sloped
 * directions of parameter space" (key F; the document's note: it is a large learning rate, not large gradients).
 *
 * Exact demo (EXAMS.md §3): f(x, y) = ½(100x² + y²) from (1, 1), trained by the library's optimizers on one float64
 * parameter [x, y]. The steep direction x has the large gradients (100x), and they are what limit gradient descent:
 * it diverges unless lr < 2/100, and with such an lr the gentle direction y shrinks only by (1 − lr) per step, so
 * after 50 steps y is still above 0.98⁵⁰ = 0.364. Large gradients in one direction buy no progress in another; what
 * the gentle direction needs is a larger step there. Adam takes one: its step m̂/√v̂ does not depend on the scale of
 * each coordinate's gradient, so from (1, 1) it moves x and y identically. The seed draws extra stable learning
 * rates for GD.
 */
import { Generator, type Tensor, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF8',
  title: 'True/False: "large gradient values ensure good progress in the more gently sloped directions" (key: F)',
};

export const inputs = {
  /** Curvatures of f = ½(a·x² + b·y²). */
  curvature: [100, 1] as [number, number],
  start: [1, 1] as [number, number],
  steps: 50,
  gdLr: 0.019,
  divergentLr: 0.021,
  adamLrs: [0.05, 0.1],
  /** Extra GD learning rates drawn from the seed, uniform in (0, 2/100). */
  randomLrs: 5,
  defaultSeed: 8,
};

export interface Trajectory {
  x: number[];
  y: number[];
  f: number[];
}

function fOf(x: number, y: number): number {
  const [a, b] = inputs.curvature;
  return 0.5 * (a * x * x + b * y * y);
}

/** `steps` steps of `makeOpt` on f from the start; positions and losses at t = 0..steps. */
export function optimise(makeOpt: (p: Tensor) => { zeroGrad(): void; step(): void }, steps = inputs.steps): Trajectory {
  const [a, b] = inputs.curvature;
  const p = tensor(inputs.start, { dtype: 'float64', requiresGrad: true });
  const half = tensor([a / 2, b / 2], { dtype: 'float64' });
  const opt = makeOpt(p);
  const out: Trajectory = { x: [p.data[0]], y: [p.data[1]], f: [fOf(p.data[0], p.data[1])] };
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    p.square().mul(half).sum().backward();
    opt.step();
    out.x.push(p.data[0]);
    out.y.push(p.data[1]);
    out.f.push(fOf(p.data[0], p.data[1]));
  }
  return out;
}

export const gd = (lr: number, steps = inputs.steps) => optimise((p) => new optim.SGD([p], { lr }), steps);
export const adam = (lr: number, steps = inputs.steps) => optimise((p) => new optim.Adam([p], { lr }), steps);

const last = (xs: number[]) => xs[xs.length - 1];

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  gd: Trajectory;
  divergent: Trajectory;
  adam: Trajectory[];
  /** max_t |x_t − y_t| of each Adam run. */
  adamMaxGap: number[];
  /** The seed's stable learning rates and GD's y₅₀ with each. */
  randomGd: Array<{ lr: number; y50: number; f50: number }>;
  /** y₅₀ of GD at the stability limit lr → 0.02: (1 − 0.02)⁵⁰, the best any stable lr can do. */
  yBound: number;
} {
  const seed = options.seed ?? inputs.defaultSeed;
  const { steps, gdLr, divergentLr, adamLrs } = inputs;
  const limit = 2 / inputs.curvature[0];

  const g = gd(gdLr);
  const div = gd(divergentLr);
  const ad = adamLrs.map((lr) => adam(lr));
  const adamMaxGap = ad.map((r) => Math.max(...r.x.map((x, t) => Math.abs(x - r.y[t]))));
  const gen = new Generator(seed);
  const randomGd = Array.from({ length: inputs.randomLrs }, () => {
    const lr = limit * gen.random();
    const r = gd(lr);
    return { lr, y50: last(r.y), f50: last(r.f) };
  });
  const yBound = (1 - limit * inputs.curvature[1]) ** steps;

  const e = (v: number) => v.toExponential(2);
  const f4 = (v: number) => v.toFixed(4);
  const lines = [
    `question: "large gradient values ensure a good progress in the more gently sloped directions"; document's key: F ("large learning rate instead of large gradient values")`,
    `demo: f = ½(100x² + y²) from (1, 1), ${steps} steps; the steep direction x has gradient 100x, the gentle direction y has gradient y`,
    `GD (optim.SGD) is stable only for lr < 2/100 = ${limit}: at lr ${gdLr}, x₅₀ = ${e(last(g.x))}, y₅₀ = ${f4(last(g.y))}, f₅₀ = ${f4(last(g.f))}: `
      + 'x is done, y has barely moved',
    `  at lr ${divergentLr} it diverges: x₅₀ = ${last(div.x).toFixed(1)}, while y₅₀ is still ${f4(last(div.y))}`,
    `  for any stable lr, y₅₀ = (1 − lr)⁵⁰ > (1 − 0.02)⁵⁰ = ${f4(yBound)}; seed ${seed}'s learning rates `
      + `${randomGd.map((r) => r.lr.toFixed(4)).join(', ')} give y₅₀ = ${randomGd.map((r) => f4(r.y50)).join(', ')}`,
    ...ad.map((r, i) => `Adam lr ${adamLrs[i]} (default betas): f₅₀ = ${f4(last(r.f))}, (x₅₀, y₅₀) = (${f4(last(r.x))}, ${f4(last(r.y))}), max_t |x_t − y_t| = ${e(adamMaxGap[i])}`),
    '  Adam divides each coordinate\'s step by its own gradient scale √v̂, so the 100× larger gradient in x changes nothing: x and y move alike',
    'result: the large gradients of the steep direction force a small lr and the gentle direction crawls; the key F is right '
      + '(progress there needs a larger step in that direction, e.g. a per-coordinate adaptive lr)',
  ];

  const points = (xs: number[]) => xs.map((v, t) => [t, v] as const);
  const plots = [
    lineChart({
      name: 'gentle-direction',
      title: 'The gentle coordinate y_t: GD (limited by the steep direction) vs Adam',
      x: { label: 'step t' },
      y: { label: 'y_t' },
      series: [
        { name: `GD lr ${gdLr}`, points: points(g.y) },
        { name: `GD lr ${divergentLr} (diverges)`, points: points(div.y) },
        ...ad.map((r, i) => ({ name: `Adam lr ${adamLrs[i]}`, points: points(r.y) })),
      ],
    }),
    lineChart({
      name: 'loss',
      title: 'f = ½(100x² + y²): GD at lr 0.019 vs Adam',
      x: { label: 'step t' },
      y: { label: 'f (log scale)', log: true },
      series: [
        { name: `GD lr ${gdLr}`, points: points(g.f) },
        ...ad.map((r, i) => ({ name: `Adam lr ${adamLrs[i]}`, points: points(r.f) })),
      ],
    }),
  ];

  return {
    seed, gd: g, divergent: div, adam: ad, adamMaxGap, randomGd, yBound,
    summary: `½(100x² + y²): GD lr ${gdLr} leaves y₅₀ = ${f4(last(g.y))} (≥ ${f4(yBound)} for any stable lr); Adam lr 0.1 f₅₀ = ${f4(last(ad[1].f))} with x_t = y_t`,
    agrees: 'yes',
    lines,
    plots,
  };
}

printIfMain(import.meta.url, { meta, run });
