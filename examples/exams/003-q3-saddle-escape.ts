/**
 * 003-Q3 (RMIT COSC2779 Week 4 tutorial, Q3): what is a saddle point, and what is the advantage of SGD there?
 *
 * f(x, y) = x² − y² has ∇f = 0 at the origin with Hessian diag(2, −2): a minimum along x, a maximum along y. GD with
 * lr 0.1 maps (x, y) to (0.8x, 1.2y). Started exactly on the x-axis it has no y-component to amplify, so it slides
 * into the saddle and stalls there with ‖∇f‖ → 0, looking converged. Any y-component grows ×1.2 per step, so a
 * perturbation of 1e-6, or the noise of a stochastic gradient, carries it away. The noise is made the way mini-batch
 * noise arises, as a random term of the loss: the step t loss is f(p) + ε_tᵀp with ε_t ~ N(0, σ²I), whose gradient
 * is ∇f + ε_t (unbiased).
 */
import { Generator, type Tensor, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '003-Q3',
  title: 'what is a saddle point, and what is the advantage of SGD in dealing with saddle points? (document: zero '
    + 'gradient but neither a minimum nor a maximum; SGD\'s noisier updates help escape)',
};

export const LR = 0.1;
export const STEPS = 100;
export const NOISE_STD = 0.01;
export const NOISY_RUNS = 20;
export const PERTURBATION = 1e-6;

const f64 = (v: number[]) => tensor(v, { dtype: 'float64' });
const saddle = (p: Tensor) => p.square().mul(f64([1, -1])).sum();

/** A trajectory: the points and ‖∇f‖ at t = 0 … STEPS. */
export interface Trajectory {
  x: number[];
  y: number[];
  gradNorm: number[];
}

/** GD (optim.SGD) on f from `start`; with a generator, the loss of each step gets the random linear term ε_tᵀp. */
export function descend(start: [number, number], generator?: Generator): Trajectory {
  const p = tensor(start, { dtype: 'float64', requiresGrad: true });
  const opt = new optim.SGD([p], { lr: LR });
  const out: Trajectory = { x: [], y: [], gradNorm: [] };
  for (let t = 0; t <= STEPS; t++) {
    out.x.push(p.data[0]);
    out.y.push(p.data[1]);
    out.gradNorm.push(2 * Math.hypot(p.data[0], p.data[1]));
    if (t === STEPS) break;
    opt.zeroGrad();
    let loss = saddle(p);
    if (generator) loss = loss.add(p.dot(randn([2], { dtype: 'float64', generator }).mul(NOISE_STD)));
    loss.backward();
    opt.step();
  }
  return out;
}

/** The gradient and Hessian of f at the origin, by double backward (createGraph). */
function originDerivatives(): { gradient: number[]; hessian: number[][] } {
  const p = tensor([0, 0], { dtype: 'float64', requiresGrad: true });
  saddle(p).backward(undefined, { createGraph: true });
  const g = p.grad!;
  const gradient = Array.from(g.data, (v) => v + 0);
  const hessian = [0, 1].map((i) => {
    p.grad = null;
    g.select(0, i).backward(undefined, { retainGraph: true });
    return Array.from(p.grad!.data, (v) => v + 0);
  });
  return { gradient, hessian };
}

const last = <T>(xs: readonly T[]) => xs[xs.length - 1];
const e = (v: number) => v.toExponential(2);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  origin: { gradient: number[]; hessian: number[][] };
  onAxis: Trajectory; perturbed: Trajectory; noisy: Trajectory[];
  noisyFinalY: number[]; escapes: number;
} {
  const seed = options.seed ?? 0;
  const origin = originDerivatives();
  const onAxis = descend([1, 0]);
  const perturbed = descend([1, PERTURBATION]);
  const g = new Generator(seed);
  const noisy = Array.from({ length: NOISY_RUNS }, () => descend([1, 0], g));
  const noisyFinalY = noisy.map((r) => last(r.y));
  const escapes = noisyFinalY.filter((y) => Math.abs(y) > 1).length;
  const minAbsY = Math.min(...noisyFinalY.map(Math.abs));
  const curve = (v: number[]) => v.map((n, t) => [t, n] as const);
  return {
    seed, origin, onAxis, perturbed, noisy, noisyFinalY, escapes,
    summary: `f = x² − y²: GD from (1, 0) stalls at the saddle (x₁₀₀ = ${e(last(onAxis.x))}, y ≡ 0); from (1, 1e-6) y₁₀₀ = `
      + `${last(perturbed.y).toFixed(4)}; with gradient noise σ = ${NOISE_STD} ${escapes}/${NOISY_RUNS} runs escape (|y₁₀₀| > 1)`,
    agrees: 'yes',
    lines: [
      'question: what is a saddle point? what is the advantage/disadvantage of SGD in dealing with saddle points?',
      `f(x, y) = x² − y²: at the origin ∇f = (${origin.gradient.join(', ')}) and the Hessian (double backward) is `
        + `[[${origin.hessian[0].join(', ')}], [${origin.hessian[1].join(', ')}]]: eigenvalues +2 and −2, a minimum along x and a maximum along y`,
      `GD (optim.SGD, lr ${LR}, ${STEPS} steps) maps (x, y) → (0.8x, 1.2y):`,
      `  from (1, 0): y stays exactly ${Math.max(...onAxis.y.map(Math.abs))}, x₁₀₀ = ${e(last(onAxis.x))} (= 0.8¹⁰⁰), ‖∇f‖ = `
        + `${e(last(onAxis.gradNorm))}: it converges to the saddle and looks finished`,
      `  from (1, ${PERTURBATION.toExponential()}): y₁₀₀ = ${last(perturbed.y).toFixed(4)} (= 1e-6·1.2¹⁰⁰): it escapes`,
      `  from (1, 0) with gradient noise ε ~ N(0, ${NOISE_STD}²I) (the loss f + εᵀp, seed ${seed}): |y₁₀₀| > 1 in ${escapes}/${NOISY_RUNS} `
        + `runs (smallest |y₁₀₀| = ${e(minAbsY)})`,
      'document: "the gradient is zero but it is neither a local minimum nor a maximum (a minimum in one direction, a maximum in '
        + 'another); SGD has noisier updates and can help escape from a saddle point" — right (the disadvantage, not '
        + 'asked for in the answer: the same noise keeps SGD from settling exactly at a minimum)',
    ],
    plots: [
      lineChart({
        name: 'gradient-norm',
        title: '003-Q3: ‖∇f‖ along GD on f = x² − y² (lr 0.1; noisy GD: gradient noise σ = 0.01)',
        x: { label: 'step' },
        y: { label: '‖∇f‖', log: true },
        series: [
          { name: 'GD from (1, 0)', points: curve(onAxis.gradNorm) },
          { name: 'GD from (1, 1e-6)', points: curve(perturbed.gradNorm) },
          ...noisy.slice(0, 3).map((r, i) => ({ name: `noisy GD, run ${i + 1}`, points: curve(r.gradNorm) })),
        ],
      }),
      lineChart({
        name: 'escape',
        title: '003-Q3: |y_t|, the distance from the saddle along the descending direction',
        x: { label: 'step' },
        y: { label: '|y|', log: true },
        series: [
          { name: 'GD from (1, 1e-6)', points: curve(perturbed.y.map(Math.abs)) },
          ...noisy.slice(0, 3).map((r, i) => ({
            name: `noisy GD, run ${i + 1}`,
            // log scale: leave out the start, where y = 0 exactly
            points: curve(r.y.map(Math.abs)).filter(([, v]) => v > 0),
          })),
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
