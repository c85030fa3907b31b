/**
 * 000-LA1 (SYS ENG 6213 midterm, Long Answer 1): the gradient of CE(y, softmax(θ)) with respect to θ is ŷ − y.
 * Checked on a numeric instance: the gradient from backward() through the fused softmax-cross-entropy, the same
 * through softmax then −Σ y log ŷ, the softmax Jacobian row by row from vector-Jacobian products, and the
 * stability of the fused op under a shift of every logit by 1000.
 */
import { Tensor, softmaxCrossEntropy, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '000-LA1',
  title: 'derive ∂CE(y, ŷ)/∂θ for ŷ = softmax(θ) and a one-hot y (answer: ŷ − y)',
};

/** The numeric instance: logits θ and the true class k (y = e_k). */
export const THETA = [1.0, 2.0, 0.5];
export const TRUE_CLASS = 1;
/** The second instance: the output logits of 000-LA2 with y = (0, 1). */
export const LA2_LOGITS = [2.7273, 2.9684];
export const LA2_CLASS = 1;

/** CE(y, softmax(θ)) for one example, on the fused op (θ a [C] tensor, the target a class index). */
export function crossEntropyOfLogits(theta: Tensor, k: number): Tensor {
  return softmaxCrossEntropy(theta, tensor(k, { dtype: theta.dtype }));
}

/** dCE/dθ from backward() through the fused op, and the loss. */
export function gradient(theta: number[], k: number): { loss: number; grad: number[] } {
  const t = tensor(theta, { dtype: 'float64', requiresGrad: true });
  const loss = crossEntropyOfLogits(t, k);
  loss.backward();
  return { loss: loss.item(), grad: t.grad!.toArray() as number[] };
}

const vec = (v: number[], dp = 4) => `(${v.map((x) => x.toFixed(dp)).join(', ')})`;

export function run(): ExampleResult & {
  probs: number[]; loss: number; grad: number[]; gradSum: number;
  composedLoss: number; composedGrad: number[];
  jacobianRows: number[][];
  shifted: { loss: number; grad: number[] };
  la2: { loss: number; grad: number[] };
} {
  const c = THETA.length;
  const oneHot = THETA.map((_, i) => (i === TRUE_CLASS ? 1 : 0));

  const { loss, grad } = gradient(THETA, TRUE_CLASS);
  const gradSum = tensor(grad, { dtype: 'float64' }).sum().item();

  // The textbook route, unfused: ŷ = softmax(θ), CE = −Σ y log ŷ (every ŷ_i > 0 here, so the zero labels give 0·finite, never 0·log 0).
  const theta = tensor(THETA, { dtype: 'float64', requiresGrad: true });
  const yhat = theta.softmax();
  const probs = yhat.toArray() as number[];
  const composed = yhat.log().mul(tensor(oneHot, { dtype: 'float64' })).sum().neg();
  composed.backward(undefined, { retainGraph: true });
  const composedLoss = composed.item();
  const composedGrad = theta.grad!.toArray() as number[];

  // Row j of the softmax Jacobian, J[j][i] = ∂ŷ_j/∂θ_i, is the VJP with v = e_j.
  const jacobianRows: number[][] = [];
  for (let j = 0; j < c; j++) {
    theta.grad = null;
    const v = new Float64Array(c);
    v[j] = 1;
    yhat.backward(tensor(v), { retainGraph: true });
    jacobianRows.push(theta.grad!.toArray() as number[]);
  }

  const shifted = gradient(THETA.map((v) => v + 1000), TRUE_CLASS);
  const la2 = gradient(LA2_LOGITS, LA2_CLASS);

  return {
    probs, loss, grad, gradSum, composedLoss, composedGrad, jacobianRows, shifted, la2,
    summary: `θ = ${vec(THETA, 1)}, y = e_${TRUE_CLASS}: ∂CE/∂θ = ${vec(grad)} = ŷ − y; LA2's logits give ${vec(la2.grad)}`,
    agrees: 'erratum',
    lines: [
      `θ = ${vec(THETA, 1)}, y = ${vec(oneHot, 0)} (true class k = ${TRUE_CLASS}, 0-based)`,
      `forward: ŷ = softmax(θ) = ${vec(probs)}, CE = −log ŷ_k = ${loss.toFixed(4)} (fused op) = ${composedLoss.toFixed(4)} (softmax, log, sum)`,
      `backward (fused softmaxCrossEntropy): ∂CE/∂θ = ${vec(grad)}; through softmax → log → sum: ${vec(composedGrad)}`,
      `  = ŷ − y: i = k gives ŷ_k − 1 = ${grad[TRUE_CLASS].toFixed(4)}, i ≠ k gives ŷ_i; the gradient sums to ${gradSum.toExponential(1)}`,
      `softmax Jacobian from VJPs with e_j, J = diag(ŷ) − ŷŷᵀ: ${jacobianRows.map((r) => vec(r)).join(', ')} (symmetric, rows sum to 0)`,
      `shift invariance: θ + 1000 gives CE ${shifted.loss.toFixed(4)} and ∂CE/∂θ = ${vec(shifted.grad)} (no overflow)`,
      `second instance (000-LA2's output logits) z = ${vec(LA2_LOGITS)}, y = (0, 1): ∂CE/∂z = ${vec(la2.grad)}`,
      'result: ∂CE/∂θ_i = ŷ_i − y_i; document: ŷ_i − y_i (the final result agrees; slips in the derivation below)',
      'erratum: in the i = k case the softmax output is written y_i; it should be ŷ_i (y is the label)',
      'erratum: "ΣC²" should be (ΣC)²',
      'erratum: e^{θ_i}/ΣC·((1 − e^{θ_i})/ΣC) is wrong algebra; it should be e^{θ_i}/ΣC·(1 − e^{θ_i}/ΣC)',
      'erratum: in −Σ_{k≠i}(−ŷ_k ŷ_i) the factor y_k/ŷ_k is missing (the next line, +Σ y_k ŷ_i, is right again)',
      'erratum: the summation limit "CE" should be the number of classes C, and k (the true class of the hint) is reused as the Jacobian index',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
