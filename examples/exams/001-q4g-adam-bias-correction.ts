/**
 * Exam 001, Problem 4(g): why Adam's bias correction disappears as the number of steps grows.
 *
 * Adam's moments start at 0, so under a constant gradient g the moving averages are m_t = (1 − β₁ᵗ)·g and
 * v_t = (1 − β₂ᵗ)·g²: too small by exactly the factors 1/(1 − βᵗ) that the correction multiplies back in, and those
 * factors → 1 because βᵗ → 0. Everything below is read off the library's Adam: its state (m_t, v_t) and the steps it
 * takes. Each correction factor is measured from the steps in a run where the other moment needs no correction
 * (β = 0 makes 1 − βᵗ = 1), with ε = 0 so the step is exactly lr·m̂/√v̂; the uncorrected steps are those of the same
 * Adam with `biasCorrection: false`.
 */
import { type Tensor, tensor, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q4g',
  title: "why Adam's bias corrections 1/(1 − β₁ᵗ) and 1/(1 − β₂ᵗ) vanish (→ 1) for large t",
};

export const inputs = {
  betas: [0.9, 0.999] as [number, number],
  /** The constant gradient. */
  g: 0.5,
  lr: 0.01,
  eps: 1e-8,
  /** The steps at which the factors are reported (as in EXAMS.md). */
  t1: [1, 2, 5, 10, 50, 100],
  t2: [1, 10, 100, 1000, 5000, 10000],
  /** "Vanished": the factor is below this. */
  threshold: 1.01,
};

/** A scalar parameter θ whose loss g·θ has the constant gradient g, and Adam on it. */
function setup(betas: [number, number], eps: number, biasCorrection: boolean): { theta: Tensor; opt: optim.Adam; step: () => void } {
  const theta = tensor([0], { dtype: 'float64', requiresGrad: true });
  const opt = new optim.Adam([theta], { lr: inputs.lr, betas, eps, biasCorrection });
  const step = () => {
    opt.zeroGrad();
    theta.mul(inputs.g).sum().backward();
    opt.step();
  };
  return { theta, opt, step };
}

interface Trace {
  /** θ_{t−1} − θ_t for t = 1..steps (θ is reset to 0 before each step, so the step is read without cancellation). */
  delta: number[];
  /** m_t and v_t from the optimizer's state after step t. */
  m: number[];
  v: number[];
}

function trace(betas: [number, number], eps: number, steps: number, biasCorrection = true): Trace {
  const { theta, opt, step } = setup(betas, eps, biasCorrection);
  const out: Trace = { delta: [], m: [], v: [] };
  for (let t = 1; t <= steps; t++) {
    theta.data[0] = 0;
    step();
    out.delta.push(-theta.data[0]);
    const s = opt.state.get(theta)!;
    out.m.push(s.expAvg[0]);
    out.v.push(s.expAvgSq[0]);
  }
  return out;
}

const firstBelow = (xs: readonly number[], bound: number) => xs.findIndex((x) => x < bound) + 1;

export function run(): ExampleResult & {
  /** Measured 1/(1 − β₁ᵗ) = m̂_t / m_t, t = 1..100 (index t − 1). */
  factor1: number[];
  /** Measured 1/(1 − β₂ᵗ) = v̂_t / v_t, t = 1..10000. */
  factor2: number[];
  /** g / m_t and g² / v_t in the run with the exam's β₁, β₂: how far the zero-started averages fall short of g, g². */
  shortfall1: number[];
  shortfall2: number[];
  /** m̂_t read from the steps of the β₂ = 0 run, t = 1..100: equal to g. */
  mHat: number[];
  /** First t with factor < 1.01. */
  vanish1: number;
  vanish2: number;
  /** Corrected steps |Δθ_t| / lr of the exam's Adam, t = 1..3. */
  correctedSteps: number[];
  /** Steps |Δθ_t| / lr of the same Adam with biasCorrection: false (lr·m_t/(√v_t + ε)), t = 1..3. */
  uncorrectedSteps: number[];
  /** m_1, m_2 of the exam's Adam. */
  m: number[];
} {
  const { g, lr, eps, betas } = inputs;
  const [beta1, beta2] = betas;
  const T2 = Math.max(...inputs.t2);
  const T1 = Math.max(...inputs.t1);

  // The exam's Adam (β₁ = 0.9, β₂ = 0.999, ε = 1e-8).
  const exam = trace(betas, eps, T2);
  // First moment alone: β₂ = 0 gives v̂ = v = g², so the step lr·m̂/|g| reads m̂.
  const first = trace([beta1, 0], 0, T1);
  const mHat = first.delta.map((d) => (d * Math.abs(g)) / lr);
  const factor1 = mHat.map((mh, i) => mh / first.m[i]);
  // Second moment alone: β₁ = 0 gives m̂ = m = g, so the step lr·g/√v̂ reads v̂.
  const second = trace([0, beta2], 0, T2);
  const factor2 = second.delta.map((d, i) => (lr * g / d) ** 2 / second.v[i]);

  const shortfall1 = exam.m.slice(0, T1).map((m) => g / m);
  const shortfall2 = exam.v.map((v) => (g * g) / v);
  const correctedSteps = exam.delta.slice(0, 3).map((d) => d / lr);
  const uncorrectedSteps = trace(betas, eps, 3, false).delta.map((d) => d / lr);
  const vanish1 = firstBelow(factor1, inputs.threshold);
  const vanish2 = firstBelow(factor2, inputs.threshold);

  const at = (xs: readonly number[], ts: readonly number[]) => ts.map((t) => `t=${t}: ${xs[t - 1].toFixed(4)}`).join(', ');
  return {
    factor1, factor2, shortfall1, shortfall2, mHat, vanish1, vanish2, correctedSteps, uncorrectedSteps, m: exam.m.slice(0, 2),
    summary: `1/(1−β₁ᵗ) < ${inputs.threshold} from t = ${vanish1}, 1/(1−β₂ᵗ) from t = ${vanish2}; both → 1 (1/(1−0.999¹⁰⁰⁰⁰) = ${factor2[T2 - 1].toFixed(6)})`,
    agrees: 'erratum',
    lines: [
      `inputs: Adam β₁ = ${beta1}, β₂ = ${beta2}, ε = ${eps}, lr = ${lr}; constant gradient g = ${g} (loss g·θ)`,
      `moments from the optimizer state: m_1 = ${exam.m[0].toFixed(4)}, m_2 = ${exam.m[1].toFixed(4)}; v_1 = ${exam.v[0].toExponential(4)}, v_2 = ${exam.v[1].toExponential(4)}`,
      `  g/m_t  = 1/(1 − β₁ᵗ): ${at(shortfall1, inputs.t1)}`,
      `  g²/v_t = 1/(1 − β₂ᵗ): ${at(shortfall2, inputs.t2)}`,
      `correction applied by Adam, measured from its steps (other moment uncorrected, ε = 0):`,
      `  m̂_t/m_t: ${at(factor1, inputs.t1)}; first below ${inputs.threshold} at t = ${vanish1}`,
      `  v̂_t/v_t: ${at(factor2, inputs.t2)}; first below ${inputs.threshold} at t = ${vanish2}`,
      `  m̂_t = ${mHat[0].toFixed(12)} (t=1), ${mHat[1].toFixed(12)} (t=2), ${mHat[T1 - 1].toFixed(12)} (t=${T1}): exactly g at every t`,
      `steps of the exam's Adam, in units of lr: corrected ${correctedSteps.map((s) => s.toFixed(6)).join(', ')} (t = 1..3);`
        + ` uncorrected (biasCorrection: false) ${uncorrectedSteps.map((s) => s.toFixed(4)).join(', ')}: larger, not smaller`,
      `result: 0 < β < 1 ⇒ βᵗ → 0 ⇒ 1/(1 − βᵗ) → 1, so m̂ → m and v̂ → v; "large t" is ≳ ${vanish1} steps for β₁ = ${beta1} but ≳ ${vanish2} for β₂ = ${beta2}`,
      'document: "as t → ∞, β₁ᵗ, β₂ᵗ → 0 and thus the bias correction tends to 1" (conclusion agrees)',
      'erratum: the moment updates read "v ← βv + L[−βv]"; they are m ← β₁m + (1 − β₁)g and v ← β₂v + (1 − β₂)g²',
      'erratum: the corrections are written 1/(1 − β₁²), 1/(1 − β₂²) (and the limit "lim 1/(1 − β²) t = 1"); the exponent is t: 1/(1 − β₁ᵗ), 1/(1 − β₂ᵗ)',
      `erratum: "large" t means t ≳ ${vanish1} for β₁ = ${beta1} but t ≳ ${vanish2} for β₂ = ${beta2} (factor < ${inputs.threshold})`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
