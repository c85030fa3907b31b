/**
 * Exam 001, Bonus 5(a) (unanswered in the document): label smoothing. The hard targets 0 and 1 become ε/(k − 1) and
 * 1 − ε. What does it accomplish, and when does it make sense?
 *
 * The library's labelSmoothing follows PyTorch: the target is (1 − ε')·onehot + ε'/k, spreading ε' over all k classes.
 * The exam spreads ε over the k − 1 wrong ones; the two agree when ε' = ε·k/(k − 1) (then ε'/k = ε/(k − 1) and
 * 1 − ε' + ε'/k = 1 − ε), which is the value used here. Free logits trained by gradient descent then stop at a finite
 * gap, where softmax(z) = y_smooth; with hard targets the gap grows without end.
 */
import { type Tensor, tensor, zeros, nn, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { crossEntropyFromProbs, inputs as q4 } from './001-q4-cross-entropy.js';

export const meta = {
  id: '001-Q5a',
  title: 'label smoothing (targets ε/(k−1) and 1−ε): what it accomplishes and when it makes sense',
};

export const inputs = {
  k: 4,
  epsilon: 0.1,
  trueClass: 2,
  lr: 1.0,
  /** Steps at which the free logits are reported. */
  checkpoints: [100, 1000, 20000],
};

/** The library's labelSmoothing that gives the exam's targets ε/(k − 1) and 1 − ε. */
export const librarySmoothing = (inputs.epsilon * inputs.k) / (inputs.k - 1);

const f64 = { dtype: 'float64' } as const;

/** Smoothed cross-entropy of logits z (1-D, k values) against the true class, as the exam defines it. */
export function smoothedLoss(z: Tensor, labelSmoothing = librarySmoothing): Tensor {
  return nn.crossEntropy(z, tensor(inputs.trueClass, { dtype: z.dtype }), { labelSmoothing });
}

interface Checkpoint {
  step: number;
  /** z_true − z_other (the other three stay equal by symmetry). */
  gap: number;
  loss: number;
}

/** Gradient descent on free logits from z = 0. */
function trainFreeLogits(labelSmoothing: number): { checkpoints: Checkpoint[]; otherSpread: number; probs: number[] } {
  const z = zeros([inputs.k], { ...f64, requiresGrad: true });
  const opt = new optim.SGD([z], { lr: inputs.lr });
  const last = Math.max(...inputs.checkpoints);
  const checkpoints: Checkpoint[] = [];
  for (let step = 1; step <= last; step++) {
    opt.zeroGrad();
    smoothedLoss(z, labelSmoothing).backward();
    opt.step();
    if (inputs.checkpoints.includes(step)) {
      const other = inputs.trueClass === 0 ? 1 : 0;
      checkpoints.push({ step, gap: z.data[inputs.trueClass] - z.data[other], loss: smoothedLoss(z.detach(), labelSmoothing).item() });
    }
  }
  const others = Array.from(z.data).filter((_, i) => i !== inputs.trueClass);
  return {
    checkpoints,
    otherSpread: Math.max(...others) - Math.min(...others),
    probs: Array.from(z.detach().softmax().data),
  };
}

const f4 = (v: number) => v.toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(f4).join(', ')})`;

export function run(): ExampleResult & {
  ySmooth: number[];
  /** max |backward gradient − (softmax(z) − y_smooth)| at a second point z. */
  gradientIdentityError: number;
  smoothed: Checkpoint[];
  hard: Checkpoint[];
  smoothedProbs: number[];
  otherSpread: number;
  /** H(y_smooth) = −Σ y_smooth ln y_smooth: the smallest value the smoothed loss can take. */
  entropy: number;
  /** The smoothed loss of the predictions of Problem 4(a) and 4(b). */
  onA: number;
  onAFromProbs: number;
  onB: number;
} {
  // The target the library's smoothed loss pulls towards: its gradient is softmax(z) − y_smooth at every z.
  const z0 = zeros([inputs.k], { ...f64, requiresGrad: true });
  smoothedLoss(z0).backward();
  const yS = z0.detach().softmax().sub(z0.grad!);
  const ySmooth = Array.from(yS.data);

  const z1 = tensor([0.3, -1.2, 0.8, 2.0], { ...f64, requiresGrad: true });
  smoothedLoss(z1).backward();
  const predicted = z1.detach().softmax().sub(yS);
  const gradientIdentityError = z1.grad!.sub(predicted).abs().max().item();

  const entropy = crossEntropyFromProbs(yS, yS).item();
  const smoothedRun = trainFreeLogits(librarySmoothing);
  const hardRun = trainFreeLogits(0);

  const logitsOf = (p: readonly number[]) => tensor([...p], f64).log();
  const onA = smoothedLoss(logitsOf(q4.a)).item();
  const onAFromProbs = crossEntropyFromProbs(tensor(q4.a, f64), yS).item();
  const onB = smoothedLoss(logitsOf(q4.b)).item();

  const s100 = smoothedRun.checkpoints[0];
  const cp = (c: Checkpoint) => `step ${c.step}: gap ${f4(c.gap)}, CE ${c.loss.toPrecision(4)}`;
  return {
    ySmooth, gradientIdentityError, entropy, onA, onAFromProbs, onB,
    smoothed: smoothedRun.checkpoints, hard: hardRun.checkpoints, smoothedProbs: smoothedRun.probs, otherSpread: smoothedRun.otherSpread,
    summary: `y_smooth = ${vec(ySmooth)}; optimal logit gap ${f4(s100.gap)} (ln 27), min CE ${f4(entropy)}; hard targets: gap grows without bound`,
    agrees: 'no answer given',
    lines: [
      `inputs: k = ${inputs.k} classes, ε = ${inputs.epsilon}, true class index ${inputs.trueClass};`
        + ` library labelSmoothing ε' = εk/(k − 1) = ${librarySmoothing.toFixed(6)} (PyTorch's convention spreads ε'/k over all classes)`,
      `targets (softmax(z) − ∂CE/∂z from backward()): y_smooth = ${vec(ySmooth)} (ε/(k − 1) for the wrong classes, 1 − ε for the true one)`,
      `gradient: ∂CE/∂z = softmax(z) − y_smooth; at z = ${vec(Array.from(z1.data))} backward() differs from it by ${gradientIdentityError.toExponential(1)}`,
      `free logits, GD lr ${inputs.lr} from z = 0, smoothed targets: ${smoothedRun.checkpoints.map(cp).join('; ')}`,
      `  softmax(z) = ${vec(smoothedRun.probs)} = y_smooth; the optimum is finite: gap ln((1 − ε)(k − 1)/ε) = ln 27 (the closed form)`,
      `  minimum CE = H(y_smooth) = −Σ y ln y = ${entropy.toFixed(6)}`,
      `free logits, hard targets: ${hardRun.checkpoints.map(cp).join('; ')}: the gap keeps growing while CE → 0`,
      `on Problem 4's predictions: (a) smoothed CE = ${f4(onA)} (from probabilities: ${f4(onAFromProbs)}); (b) = ${onB} (ŷ has zeros where y_smooth > 0)`,
      'result: smoothing gives the loss a finite minimiser, softmax(z) = y_smooth, so logits stop growing and the model stays calibrated'
        + ' instead of over-confident; it makes sense when labels may be noisy or calibrated probabilities matter, and it punishes zero probabilities',
      'document: unanswered',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
