/**
 * 002-Q1 (AML 5202 sessional 1): the training loss and accuracy of a logistic-regression model over two epochs,
 * from the printed sigmoid outputs. The document's losses 0.44 / 0.51 are only reproduced with base-10 logs; the
 * example computes the BCE in nats with the library's losses and converts.
 */
import { nn, tensor, where, type Tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '002-Q1',
  title: 'logistic regression: training loss and accuracy at epochs k and k+1 (labels 1, 1, 0, 0)',
};

/** Labels of x⁽¹⁾..x⁽⁴⁾. */
const LABELS = [1, 1, 0, 0];

/**
 * The document prints, per sample, either σ(w·x) or 1 − σ(w·x). `complement` marks the second kind. Line 4 of epoch
 * k is printed "1 − σ(w·x⁽³⁾) = 0.04" and read as x⁽⁴⁾ (EXAMS.md: the only reading that gives the stated 50%).
 */
const EPOCHS = [
  { name: 'k', printed: [0.97, 0.09, 0.51, 0.04], complement: [0, 1, 0, 1] },
  { name: 'k+1', printed: [0.01, 0.07, 0.49, 0.98], complement: [1, 1, 0, 0] },
];

/** The document's answers. */
const DOCUMENT = { loss: [0.44, 0.51], accuracy: [0.5, 0.75] };

export interface EpochResult {
  name: string;
  /** σ(w·x⁽ⁱ⁾) per sample. */
  sigma: number[];
  /** w·x⁽ⁱ⁾ = logit(σ) per sample. */
  logits: number[];
  /** Per-sample BCE in nats (BCELoss, reduction 'none'). */
  perSampleNats: number[];
  /** Per-sample BCE in log10 units. */
  perSampleLog10: number[];
  /** Mean BCE in nats, from BCELoss on the probabilities. */
  meanNats: number;
  /** Mean BCE in nats, from BCEWithLogitsLoss on the logits (same value, the stable route). */
  meanNatsFromLogits: number;
  meanLog10: number;
  meanLog2: number;
  /** Fraction of samples with (σ ≥ 0.5) equal to the label. */
  accuracy: number;
}

function values(t: Tensor): number[] {
  return Array.from(t.data);
}

/** σ per sample from the printed values: v where σ is printed, 1 − v where 1 − σ is. */
function sigmaOf(printed: number[], complement: number[]): Tensor {
  const p = tensor(printed, { dtype: 'float64' });
  return where(tensor(complement, { dtype: 'float64' }).eq(1), p.neg().add(1), p);
}

function evaluate(sigma: Tensor, y: Tensor): { perSample: Tensor; mean: number; meanFromLogits: number; accuracy: number; logits: Tensor } {
  const perSample = new nn.BCELoss({ reduction: 'none' }).forward(sigma, y);
  const mean = new nn.BCELoss().forward(sigma, y).item();
  const logits = sigma.div(sigma.neg().add(1)).log();
  const meanFromLogits = new nn.BCEWithLogitsLoss().forward(logits, y).item();
  const accuracy = sigma.ge(0.5).eq(y).mean().item();
  return { perSample, mean, meanFromLogits, accuracy, logits };
}

export function run(): ExampleResult & {
  epochs: EpochResult[];
  /** The rejected reading σ₄ = 0.04 of epoch k's line 4: mean BCE in nats and log10, and accuracy. */
  altReading: { meanNats: number; meanLog10: number; accuracy: number };
  /** Share of the epoch k+1 log10 total that sample 4 contributes. */
  sample4Log10: number;
  totalLog10KPlus1: number;
} {
  const y = tensor(LABELS, { dtype: 'float64' });
  const ln10 = tensor(10, { dtype: 'float64' }).log();
  const ln2 = tensor(2, { dtype: 'float64' }).log();

  const inBase = (nats: number, lnBase: Tensor) => tensor(nats, { dtype: 'float64' }).div(lnBase).item();

  const epochs: EpochResult[] = EPOCHS.map(({ name, printed, complement }) => {
    const sigma = sigmaOf(printed, complement);
    const r = evaluate(sigma, y);
    return {
      name,
      sigma: values(sigma),
      logits: values(r.logits),
      perSampleNats: values(r.perSample),
      perSampleLog10: values(r.perSample.div(ln10)),
      meanNats: r.mean,
      meanNatsFromLogits: r.meanFromLogits,
      meanLog10: inBase(r.mean, ln10),
      meanLog2: inBase(r.mean, ln2),
      accuracy: r.accuracy,
    };
  });

  // The other way to read line 4 of epoch k: σ(w·x⁽⁴⁾) = 0.04 itself.
  const alt = evaluate(sigmaOf(EPOCHS[0].printed, [0, 1, 0, 0]), y);
  const altReading = { meanNats: alt.mean, meanLog10: inBase(alt.mean, ln10), accuracy: alt.accuracy };

  const [k, k1] = epochs;
  const totalLog10KPlus1 = tensor(k1.perSampleLog10, { dtype: 'float64' }).sum().item();
  const sample4Log10 = k1.perSampleLog10[3];
  const f4 = (v: number) => v.toFixed(4);
  const pct = (v: number) => `${(100 * v).toFixed(0)}%`;

  const lines = [
    `labels (1, 1, 0, 0); prediction 1 iff σ ≥ 0.5; loss = mean BCE −[y ln σ + (1 − y) ln(1 − σ)]`,
    `reading: epoch k line 4 "1 − σ(w·x⁽³⁾) = 0.04" is taken as 1 − σ(w·x⁽⁴⁾) = 0.04, so σ₄ = 0.96`,
    ...epochs.flatMap((e) => [
      `epoch ${e.name}: σ = (${e.sigma.map((v) => v.toFixed(2)).join(', ')}), logits w·x = (${e.logits.map(f4).join(', ')})`,
      `  per-sample BCE: nats (${e.perSampleNats.map(f4).join(', ')}), log10 (${e.perSampleLog10.map(f4).join(', ')})`,
      `  mean BCE = ${f4(e.meanNats)} nats (BCEWithLogits on the logits: ${f4(e.meanNatsFromLogits)}) = ${f4(e.meanLog10)} in log10 = ${f4(e.meanLog2)} in log2`,
      `  accuracy = ${e.accuracy * 4}/4 = ${pct(e.accuracy)}`,
    ]),
    `loss rises (${f4(k.meanLog10)} → ${f4(k1.meanLog10)} log10; ${f4(k.meanNats)} → ${f4(k1.meanNats)} nats) while accuracy rises (${pct(k.accuracy)} → ${pct(k1.accuracy)})`,
    `sample 4 (label 0, σ = 0.98, confidently wrong) contributes ${f4(sample4Log10)} of the ${f4(totalLog10KPlus1)} log10 total at epoch k+1`,
    `the other reading (σ₄ = 0.04) would give ${f4(altReading.meanLog10)} log10 / ${f4(altReading.meanNats)} nats and ${pct(altReading.accuracy)}: matches neither stated number`,
    `document: epoch k loss ${DOCUMENT.loss[0]}, accuracy ${pct(DOCUMENT.accuracy[0])}; epoch k+1 loss ${DOCUMENT.loss[1]}, accuracy ${pct(DOCUMENT.accuracy[1])} (agrees in log10)`,
    `erratum: the losses 0.44 and 0.51 use base-10 logarithms; in nats they are ${f4(k.meanNats)} and ${f4(k1.meanNats)}`,
    `erratum: "1 − σ(w·x⁽³⁾) = 0.04" should be x⁽⁴⁾`,
    `erratum: the epoch k+1 block is printed twice (OCR)`,
    `erratum: "the model is overfitting" is unjustified: no validation data is given; the point is the loss/accuracy mismatch, and a rising full-batch training loss on the convex logistic loss indicates too large a step`,
  ];

  return {
    epochs,
    altReading,
    sample4Log10,
    totalLog10KPlus1,
    summary: `mean BCE ${f4(k.meanLog10)} → ${f4(k1.meanLog10)} (log10; ${f4(k.meanNats)} → ${f4(k1.meanNats)} nats), accuracy ${pct(k.accuracy)} → ${pct(k1.accuracy)}`,
    agrees: 'erratum',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
