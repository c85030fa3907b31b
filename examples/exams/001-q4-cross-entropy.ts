/**
 * Exam 001, Problem 4(a)–(c): the cross-entropy of a correct but unconfident prediction (a), of a wrong prediction
 * that contains exact zeros (b), and the undesirable consequence that the wrong one has the lower loss (c).
 *
 * Two routes to the loss: from the probabilities, summing −y_i·ln ŷ_i only where y_i > 0 (so 0·ln 0 never becomes
 * 0·(−∞) = NaN), and the library's fused cross-entropy on logits z = ln ŷ + c (softmax(z) = ŷ for any c).
 */
import { type Tensor, tensor, nn } from '../../src/index.js';
import { type ExampleResult, type ExampleRow, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q4',
  title: 'cross-entropy of a correct unconfident and a wrong prediction (with zeros): the wrong one has the lower loss',
};

/** The classes of Problem 4, in order; bacteria (class 3, index 2) is the true one. */
export const classes = ['coronavirus', 'RSV', 'bacteria', 'fungus'];
export const inputs = {
  a: [0.25, 0.25, 0.3, 0.2],
  b: [0, 0, 0.4, 0.6],
  trueClass: 2,
  /** Any shift of the logits leaves the softmax, hence the loss, unchanged. */
  logitShift: 1.5,
};

const f64 = { dtype: 'float64' } as const;

/**
 * Cross-entropy −Σ y_i·ln ŷ_i of a probability vector ŷ against a target distribution y (both 1-D), summed only over
 * the classes with y_i > 0. The terms left out are 0·ln ŷ_i, which are 0 (also where ŷ_i = 0, by the convention
 * 0·ln 0 = 0), and leaving them out keeps ln 0 from meeting a zero weight, which in floating point gives NaN.
 */
export function crossEntropyFromProbs(probs: Tensor, target: Tensor): Tensor {
  const support: number[] = [];
  for (let i = 0; i < target.size; i++) if (target.data[i] > 0) support.push(i);
  return probs.indexSelect(0, support).log().mul(target.indexSelect(0, support)).sum().neg();
}

/** The textbook formula as written, −Σ y_i·ln ŷ_i over every class: NaN as soon as some ŷ_i = 0. */
export function naiveCrossEntropy(probs: Tensor, target: Tensor): Tensor {
  return target.mul(probs.log()).sum().neg();
}

/** One-hot target of `k` classes. */
export function oneHot(cls: number, k: number): Tensor {
  return tensor(Array.from({ length: k }, (_, i) => (i === cls ? 1 : 0)), f64);
}

export interface CaseResult {
  /** CE from the probabilities (zero-safe), in nats. */
  ce: number;
  /** CE from the fused softmax cross-entropy on logits ln ŷ + c. */
  ceFromLogits: number;
  /** The naive −Σ y ln ŷ (NaN where ŷ has zeros). */
  naive: number;
  /** dCE/dŷ from backward() through the probability route. */
  gradProbs: number[];
  /** dCE/dz from backward() through the fused op on logits z = ln ŷ + c: ŷ − y. */
  gradLogits: number[];
  predicted: number;
  /** 1 if the prediction is right, else 0. */
  accuracy: number;
}

function evaluate(probs: readonly number[]): CaseResult {
  const y = oneHot(inputs.trueClass, probs.length);
  const p = tensor([...probs], { ...f64, requiresGrad: true });
  const ce = crossEntropyFromProbs(p, y);
  ce.backward();

  const z = tensor([...probs], f64).log().add(inputs.logitShift).detach().requiresGrad_();
  const ceLogits = nn.crossEntropy(z, tensor(inputs.trueClass, f64));
  ceLogits.backward();

  const predicted = tensor([...probs], f64).argmax();
  return {
    ce: ce.item(),
    ceFromLogits: ceLogits.item(),
    naive: naiveCrossEntropy(tensor([...probs], f64), y).item(),
    gradProbs: Array.from(p.grad!.data),
    gradLogits: Array.from(z.grad!.data),
    predicted: predicted.item(),
    accuracy: predicted.eq(inputs.trueClass).item(),
  };
}

const f4 = (v: number) => (Object.is(v, -0) ? 0 : v).toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(f4).join(', ')})`;

export function run(): ExampleResult & { a: CaseResult; b: CaseResult; wrongHasLowerLoss: boolean } {
  const a = evaluate(inputs.a);
  const b = evaluate(inputs.b);
  const wrongHasLowerLoss = b.ce < a.ce && b.accuracy < a.accuracy;
  const t = inputs.trueClass;

  const rows: ExampleRow[] = [
    { id: '001-Q4a', summary: `CE = −ln 0.3 = ${f4(a.ce)} nats (prediction correct)`, agrees: 'yes' },
    { id: '001-Q4b', summary: `CE = −ln 0.4 = ${f4(b.ce)} nats, finite (naive Σ y ln ŷ gives ${b.naive})`, agrees: 'yes' },
    {
      id: '001-Q4c',
      summary: `wrong prediction has the lower loss: ${f4(b.ce)} < ${f4(a.ce)}, accuracy ${b.accuracy} vs ${a.accuracy}`,
      agrees: 'yes',
    },
  ];
  return {
    a, b, wrongHasLowerLoss, rows,
    summary: rows.map((r) => `${r.id}: ${r.summary}`).join('; '),
    agrees: 'yes',
    lines: [
      `classes: ${classes.join(', ')}; true class: ${classes[t]} (y = e₃, index ${t})`,
      `(a) ŷ = ${vec(inputs.a)}: CE = −Σ_{y_i>0} y_i ln ŷ_i = ${a.ce.toFixed(6)} nats`
        + ` (${(a.ce / Math.LN10).toFixed(4)} in log10, ${(a.ce / Math.LN2).toFixed(4)} in log2)`,
      `    fused softmax-CE on logits ln ŷ + ${inputs.logitShift}: ${a.ceFromLogits.toFixed(6)}; dCE/dz = ŷ − y = ${vec(a.gradLogits)}`,
      `    dCE/dŷ = ${vec(a.gradProbs)} (−1/ŷ₃ at the true class); argmax ŷ = ${classes[a.predicted]}: correct, accuracy ${a.accuracy}`,
      '    document: "−log 0.3" (agrees)',
      `(b) ŷ = ${vec(inputs.b)}: CE = ${b.ce.toFixed(6)} nats (${(b.ce / Math.LN10).toFixed(4)} in log10); naive −Σ y_i ln ŷ_i = ${b.naive} (0·ln 0 = 0·(−∞))`,
      `    fused softmax-CE on logits ln ŷ + ${inputs.logitShift} (two of them −∞): ${b.ceFromLogits.toFixed(6)}; dCE/dz = ${vec(b.gradLogits)}`,
      `    dCE/dŷ = ${vec(b.gradProbs)} (−1/0.4 at the true class); argmax ŷ = ${classes[b.predicted]}: wrong, accuracy ${b.accuracy}`,
      '    document: "− log a·4" (OCR for −log 0.4; agrees)',
      `(c) CE(b) = ${f4(b.ce)} < CE(a) = ${f4(a.ce)} although (b) is wrong and (a) right: CE looks only at the true class's probability (0.4 > 0.3)`,
      '    document: "we only care how large is the probability of the right class" (agrees)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
