/**
 * Exam 000, True/False 6: "SGD with momentum has a tendency to overshoot at the global minima" (key T).
 *
 * Exact demo (EXAMS.md §3): minimise f(x) = ½x² from x₀ = 1 with lr 0.1, once with plain gradient descent and once
 * with heavy-ball momentum 0.9, both by the library's optim.SGD on a float64 parameter. Plain GD contracts by 0.9
 * per step and stays positive; momentum keeps velocity after reaching 0, so it crosses the minimum at step 5 and
 * swings down to −0.6037 before the oscillation decays. The velocity-first variant v ← βv − ηg, x ← x + v gives the
 * same trajectory. The seed draws extra starting points: on a quadratic the iteration is linear in x₀, so every
 * start overshoots at the same step.
 */
import { Generator, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF6',
  title: 'True/False: "SGD with momentum has a tendency to overshoot at the global minima" (key: T)',
};

export const inputs = {
  x0: 1,
  lr: 0.1,
  momentum: 0.9,
  steps: 60,
  /** Extra starting points drawn from the seed, uniform in [−3, 3]. */
  randomStarts: 5,
  defaultSeed: 6,
};

/** x₀, x₁, …, x_steps of optim.SGD on f = ½x² (gradient x) with the given momentum (0: plain GD). */
export function sgdTrajectory(x0: number, momentum: number, steps = inputs.steps, lr = inputs.lr): number[] {
  const x = tensor([x0], { dtype: 'float64', requiresGrad: true });
  const opt = new optim.SGD([x], { lr, momentum });
  const xs = [x0];
  for (let t = 0; t < steps; t++) {
    opt.zeroGrad();
    x.square().mul(0.5).sum().backward();
    opt.step();
    xs.push(x.data[0]);
  }
  return xs;
}

/**
 * The other common way to write momentum, v ← βv − ηg, x ← x + v, applied by hand to the gradient the library's
 * backward computes; it is PyTorch's b ← βb + g, x ← x − ηb with v = −ηb, so the two trajectories coincide.
 */
export function velocityTrajectory(x0: number, momentum: number, steps = inputs.steps, lr = inputs.lr): number[] {
  const x = tensor([x0], { dtype: 'float64', requiresGrad: true });
  let v = 0;
  const xs = [x0];
  for (let t = 0; t < steps; t++) {
    x.grad = null;
    x.square().mul(0.5).sum().backward();
    v = momentum * v - lr * x.grad!.data[0];
    x.data[0] += v;
    xs.push(x.data[0]);
  }
  return xs;
}

/** The first t with x_t on the other side of the minimum from x₀ (0 if none). */
export function firstSignChange(xs: readonly number[]): number {
  const t = xs.findIndex((x) => x * xs[0] < 0);
  return t < 0 ? 0 : t;
}

/** How many steps cross the minimum (x_t and x_{t−1} of opposite signs). */
export function signChanges(xs: readonly number[]): number {
  return xs.filter((x, t) => t > 0 && x * xs[t - 1] < 0).length;
}

export interface StartRun {
  x0: number;
  gdSignChanges: number;
  momentumFirstSignChange: number;
  /** The most negative x_t / x₀ of the momentum run (the overshoot, relative to the start). */
  momentumMinRatio: number;
}

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  gd: number[];
  momentum: number[];
  variant: number[];
  gdSignChanges: number;
  momentumFirstSignChange: number;
  momentumSignChanges: number;
  momentumMin: number;
  momentumMinStep: number;
  /** max_t |x_t(variant) − x_t(optim.SGD momentum)|. */
  variantMaxDiff: number;
  /** Roots of r² − (1 + β − η)r + β = 0, the momentum recurrence on this quadratic: modulus and angle (rad). */
  rootModulus: number;
  rootAngle: number;
  starts: StartRun[];
} {
  const seed = options.seed ?? inputs.defaultSeed;
  const { x0, lr, momentum: beta, steps } = inputs;

  const gd = sgdTrajectory(x0, 0);
  const mom = sgdTrajectory(x0, beta);
  const variant = velocityTrajectory(x0, beta);
  const variantMaxDiff = Math.max(...variant.map((v, t) => Math.abs(v - mom[t])));
  const momentumMin = Math.min(...mom);
  const momentumMinStep = mom.indexOf(momentumMin);

  // x_{t+1} = (1 + β − η)x_t − βx_{t−1} (curvature 1): complex roots mean an underdamped, oscillating approach.
  const a = 1 + beta - lr;
  const disc = a * a - 4 * beta;
  const rootModulus = disc < 0 ? Math.sqrt(beta) : (a + Math.sqrt(disc)) / 2;
  const rootAngle = disc < 0 ? Math.atan2(Math.sqrt(-disc), a) : 0;

  const g = new Generator(seed);
  const starts: StartRun[] = [];
  for (let k = 0; k < inputs.randomStarts; k++) {
    const s = -3 + 6 * g.random();
    const gdS = sgdTrajectory(s, 0, 20);
    const momS = sgdTrajectory(s, beta, 20);
    starts.push({
      x0: s,
      gdSignChanges: signChanges(gdS),
      momentumFirstSignChange: firstSignChange(momS),
      momentumMinRatio: Math.min(...momS.map((x) => x / s)),
    });
  }

  const gdSign = signChanges(gd);
  const first = firstSignChange(mom);
  const f4 = (v: number) => v.toFixed(4);
  const lines = [
    `question: "SGD with momentum has a tendency to overshoot at the global minima"; document's key: T`,
    `demo: f(x) = ½x², x₀ = ${x0}, lr ${lr}, ${steps} steps of optim.SGD (float64), momentum 0 vs ${beta} (b ← ${beta}b + g, x ← x − ${lr}b)`,
    `plain GD: x_t = 0.9ᵗ: ${gd.slice(1, 6).map(f4).join(', ')}, …; x₁₀ = ${f4(gd[10])}; it never changes sign (${gdSign} crossings)`,
    `momentum: x = ${mom.slice(1, 6).map(f4).join(', ')}, … crosses 0 at step ${first}; minimum ${f4(momentumMin)} at step ${momentumMinStep}; `
      + `${signChanges(mom)} crossings in ${steps} steps; x₆₀ = ${f4(mom[steps])} (decaying)`,
    `why: the recurrence x_{t+1} = (1 + β − η)x_t − βx_{t−1} has complex roots of modulus √β = ${f4(rootModulus)} and angle ${f4(rootAngle)} rad: `
      + `an underdamped oscillation that crosses the minimum about every π/${f4(rootAngle)} = ${(Math.PI / rootAngle).toFixed(2)} steps`,
    `variant v ← βv − ηg, x ← x + v: same trajectory (max difference ${variantMaxDiff.toExponential(1)})`,
    `seed ${seed}: random starts x₀ = ${starts.map((s) => s.x0.toFixed(3)).join(', ')}: GD crossings ${starts.map((s) => s.gdSignChanges).join(', ')}; `
      + `momentum first crossing at step ${starts.map((s) => s.momentumFirstSignChange).join(', ')}, min x/x₀ ${starts.map((s) => f4(s.momentumMinRatio)).join(', ')}`,
    'result: momentum overshoots the minimum and oscillates around it, plain GD with the same lr does not: the key T is right',
  ];

  const plot = lineChart({
    name: 'trajectory',
    title: 'f = ½x², lr 0.1: plain GD approaches 0 from one side, momentum 0.9 overshoots and oscillates',
    x: { label: 'step t' },
    y: { label: 'x_t' },
    series: [
      { name: 'plain GD', points: gd.map((x, t) => [t, x] as const) },
      { name: `momentum ${beta}`, points: mom.map((x, t) => [t, x] as const) },
      { name: 'minimum x* = 0', points: [[0, 0], [steps, 0]] },
    ],
  });

  return {
    seed, gd, momentum: mom, variant, gdSignChanges: gdSign, momentumFirstSignChange: first, momentumSignChanges: signChanges(mom),
    momentumMin, momentumMinStep, variantMaxDiff, rootModulus, rootAngle, starts,
    summary: `½x², lr ${lr}: GD never crosses 0 (x₁₀ = ${f4(gd[10])}); momentum ${beta} crosses at step ${first}, min ${f4(momentumMin)} at step ${momentumMinStep}`,
    agrees: 'yes',
    lines,
    plots: [plot],
  };
}

printIfMain(import.meta.url, { meta, run });
