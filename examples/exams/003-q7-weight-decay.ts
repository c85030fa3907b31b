/**
 * 003-Q7 (RMIT COSC2779 Week 4 tutorial, Q7): why L2 regularisation is called weight decay. With the penalty
 * (λ/2)‖w‖², one SGD step is w ← w − α(∇L + λw) = (1 − αλ)w − α∇L: the weights shrink by the factor (1 − αλ) before
 * the usual step. For plain SGD the penalty and the optimizer's weightDecay are the same update; for Adam they are
 * not (AdamW decays outside the adaptive scaling).
 */
import { Generator, type Tensor, nn, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '003-Q7',
  title: 'why is L2 regularisation called "weight decay"? derive the update',
};

export const W0 = [2.0, -1.0];
/** ∇L at W0: the data loss is taken linear, L(w) = gᵀw, so that its gradient is exactly g. */
export const GRAD = [0.5, 0.3];
export const ALPHA = 0.1;
export const LAMBDA = 0.01;

const f64 = (v: number[] | number[][]) => tensor(v, { dtype: 'float64' });
const param = (v: number[]) => tensor(v, { dtype: 'float64', requiresGrad: true });

/** One optimizer step on w from W0 for the loss `loss(w)`. */
function oneStep(make: (w: Tensor[]) => optim.Optimizer, loss: (w: Tensor) => Tensor): number[] {
  const w = param(W0);
  const opt = make([w]);
  opt.zeroGrad();
  loss(w).backward();
  opt.step();
  return w.toArray() as number[];
}

const dataLoss = (w: Tensor) => w.dot(f64(GRAD));
const l2Half = (w: Tensor) => w.square().sum().mul(LAMBDA / 2);

/**
 * 100 SGD steps on random least-squares losses (ãᵀw − b)² drawn from one seeded stream, once with the explicit
 * (λ/2)‖w‖² penalty and once with weightDecay λ; returns the two final weights.
 */
function randomPaths(steps: number, seed: number): { penalty: number[]; decay: number[] } {
  const g = new Generator(seed);
  const problems = Array.from({ length: steps }, () => ({
    a: randn([3, 2], { dtype: 'float64', generator: g }),
    b: randn([3], { dtype: 'float64', generator: g }),
  }));
  const follow = (weightDecay: number, penalty: boolean): number[] => {
    const w = param(W0);
    const opt = new optim.SGD([w], { lr: ALPHA, weightDecay });
    for (const { a, b } of problems) {
      opt.zeroGrad();
      const loss = nn.mseLoss(a.matmul(w), b);
      (penalty ? loss.add(l2Half(w)) : loss).backward();
      opt.step();
    }
    return w.toArray() as number[];
  };
  return { penalty: follow(0, true), decay: follow(LAMBDA, false) };
}

const f = (v: number, dp = 4) => Number(v.toFixed(dp)).toString();
const vec = (vs: number[], dp = 4) => `(${vs.map((v) => f(v, dp)).join(', ')})`;
const maxDiff = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

export function run(): ExampleResult & {
  penaltyStep: number[]; weightDecayStep: number[]; decoupled: number[]; documentFormula: number[];
  fullPenaltyStep: number[]; randomPaths: { penalty: number[]; decay: number[]; maxDifference: number };
  adam: { l2Penalty: number[]; weightDecay: number[]; adamw: number[]; l2VsAdamw: number };
} {
  const sgd = (weightDecay = 0) => (w: Tensor[]) => new optim.SGD(w, { lr: ALPHA, weightDecay });
  // SGD on L + (λ/2)‖w‖², and SGD on L with weightDecay λ.
  const penaltyStep = oneStep(sgd(), (w) => dataLoss(w).add(l2Half(w)));
  const weightDecayStep = oneStep(sgd(LAMBDA), dataLoss);
  // The decay written out, (1 − αλ)w − α∇L, and the document's version without α on the gradient.
  const w0 = f64(W0);
  const decoupled = w0.mul(1 - ALPHA * LAMBDA).sub(f64(GRAD).mul(ALPHA)).toArray() as number[];
  const documentFormula = w0.mul(1 - ALPHA * LAMBDA).sub(f64(GRAD)).toArray() as number[];
  // With the penalty λ‖w‖² (no ½) the factor is (1 − 2αλ).
  const fullPenaltyStep = oneStep(sgd(), (w) => dataLoss(w).add(w.square().sum().mul(LAMBDA)));

  const paths = randomPaths(100, 7);
  const randomPathsResult = { ...paths, maxDifference: maxDiff(paths.penalty, paths.decay) };

  // Adam: the penalty in the loss is Adam's weightDecay (both add λw to the gradient), but AdamW is different.
  const adamL2Penalty = oneStep((w) => new optim.Adam(w, { lr: ALPHA }), (w) => dataLoss(w).add(l2Half(w)));
  const adamWeightDecay = oneStep((w) => new optim.Adam(w, { lr: ALPHA, weightDecay: LAMBDA }), dataLoss);
  const adamw = oneStep((w) => new optim.AdamW(w, { lr: ALPHA, weightDecay: LAMBDA }), dataLoss);
  const adam = { l2Penalty: adamL2Penalty, weightDecay: adamWeightDecay, adamw, l2VsAdamw: maxDiff(adamL2Penalty, adamw) };

  return {
    penaltyStep, weightDecayStep, decoupled, documentFormula, fullPenaltyStep, randomPaths: randomPathsResult, adam,
    summary: `w ← (1 − αλ)w − α∇L = ${vec(penaltyStep)} (penalty = weightDecay = decay); the document drops α: ${vec(documentFormula)}`,
    agrees: 'erratum',
    lines: [
      `inputs: w = ${vec(W0)}, ∇L = ${vec(GRAD)}, α = ${ALPHA}, λ = ${LAMBDA}; penalty (λ/2)‖w‖²`,
      'derivation: ∇(L + (λ/2)‖w‖²) = ∇L + λw, so w ← w − α(∇L + λw) = (1 − αλ)w − α∇L: each step first shrinks w by (1 − αλ)',
      `SGD(lr α) on L + (λ/2)‖w‖² (penalty through backward()): ${vec(penaltyStep)}`,
      `SGD(lr α, weightDecay λ) on L:                          ${vec(weightDecayStep)}`,
      `(1 − αλ)w − α∇L written out:                            ${vec(decoupled)}`,
      `with the penalty λ‖w‖² the factor is (1 − 2αλ): ${vec(fullPenaltyStep)}`,
      `100 seeded random least-squares steps: penalty path ${vec(paths.penalty, 6)}, weightDecay path ${vec(paths.decay, 6)}, `
        + `max difference ${randomPathsResult.maxDifference.toExponential(1)}`,
      `Adam is different: Adam with the penalty ${vec(adamL2Penalty, 6)} = Adam(weightDecay λ) ${vec(adamWeightDecay, 6)}, but `
        + `AdamW (decoupled) gives ${vec(adamw, 6)} (difference ${f(adam.l2VsAdamw, 6)})`,
      `document: w ← (1 − αλ)w − ∂L/∂w, "pushed closer to zero"; its formula gives ${vec(documentFormula)} instead of ${vec(penaltyStep)}`,
      'erratum: w ← (1 − αλ)w − ∂L/∂w is missing the learning rate on the gradient term; it should be (1 − αλ)w − α ∂L/∂w '
        + '(penalty (λ/2)‖w‖²; with λ‖w‖² the factor is 1 − 2αλ). The conclusion (w is pushed towards zero) is right',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
