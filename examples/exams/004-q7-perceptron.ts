/**
 * Seed 004, Q7: perceptron training on four samples in 3-D, bias absorbed as a trailing 1, from w = 0, samples in
 * a fixed order, update w ← w + y·x when y·wᵀx ≤ 0. The trace of the first 5 epochs is compared with the
 * document's table row by row; then training continues until an epoch makes no mistake. Built from tensor ops.
 */
import { type Tensor, concat, ones, tensor, zeros } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = { id: '004-Q7', title: 'perceptron training on Table 1 (bias absorbed), up to 5 epochs, with the full trace' };

/** One visit of a sample: t, x (augmented), y, wᵀx, y·wᵀx, whether w moved, w after. */
export interface TraceRow {
  t: number;
  x: number[];
  y: number;
  score: number;
  margin: number;
  updated: boolean;
  w: number[];
}

export interface PerceptronRun {
  trace: TraceRow[];
  /** Updates in each epoch run. */
  updatesPerEpoch: number[];
  w: number[];
}

export interface PerceptronResult extends ExampleResult {
  samples: number[][];
  labels: number[];
  /** Epochs 1–5. */
  fiveEpochs: PerceptronRun;
  /** sign(Xw) = y for each sample, with w after 5 epochs. */
  correctAfterFive: boolean[];
  accuracyAfterFive: number;
  /** Rows of the document's table that equal the recomputed ones. */
  documentRowsAgreeing: number;
  /** Trained until an epoch makes no update. */
  converged: PerceptronRun & {
    /** The first epoch without an update. */
    firstCleanEpoch: number;
    totalUpdates: number;
    /** t of the last update. */
    lastUpdateT: number;
    /** y·wᵀx of each sample at the final w. */
    margins: number[];
  };
  /** Novikoff: at most (R/γ)² updates, R = max‖x‖, γ the normalised margin of a separator. */
  novikoff: { separator: number[]; R: number; gamma: number; bound: number };
  /** Updates in 5 epochs when the test is the strict y·wᵀx < 0. */
  strictUpdates: number;
}

const SAMPLES = [[1, 1, 1], [1, 1, 0], [1, 0, 1], [0, 1, 1]];
const LABELS = [1, -1, -1, -1];

/** The document's table (t = 1..20): wᵀx, y·wᵀx, w_{t+1}. */
const DOCUMENT_ROWS: Array<[number, number, number[]]> = [
  [0, 0, [1, 1, 1, 1]], [3, -3, [0, 0, 1, 0]], [1, -1, [-1, 0, 0, -1]], [-1, 1, [-1, 0, 0, -1]],
  [-2, -2, [0, 1, 1, 0]], [1, -1, [-1, 0, 1, -1]], [-1, 1, [-1, 0, 1, -1]], [0, 0, [-1, -1, 0, -2]],
  [-4, -4, [0, 0, 1, -1]], [-1, 1, [0, 0, 1, -1]], [0, 0, [-1, 0, 0, -2]], [-2, 2, [-1, 0, 0, -2]],
  [-3, -3, [0, 1, 1, -1]], [0, 0, [-1, 0, 1, -2]], [-2, 2, [-1, 0, 1, -2]], [-1, 1, [-1, 0, 1, -2]],
  [-2, -2, [0, 1, 2, -1]], [0, 0, [-1, 0, 2, -2]], [-1, 1, [-1, 0, 2, -2]], [0, 0, [-1, -1, 1, -3]],
];

/** The samples with a column of ones appended, so the bias is the last weight. */
function augmented(): Tensor {
  const x = tensor(SAMPLES, { dtype: 'float64' });
  return concat([x, ones([SAMPLES.length, 1], { dtype: 'float64' })], 1);
}

/**
 * Runs the perceptron for at most `maxEpochs` epochs (stopping after the first epoch without an update when
 * `untilClean`); `strict` tests y·wᵀx < 0 instead of ≤ 0.
 */
function train(maxEpochs: number, options: { untilClean?: boolean; strict?: boolean } = {}): PerceptronRun {
  const X = augmented();
  const y = tensor(LABELS, { dtype: 'float64' });
  let w = zeros([X.shape[1]], { dtype: 'float64' });
  const trace: TraceRow[] = [];
  const updatesPerEpoch: number[] = [];
  for (let epoch = 0; epoch < maxEpochs; epoch++) {
    let updates = 0;
    for (let i = 0; i < X.shape[0]; i++) {
      const xi = X.select(0, i);
      const yi = y.select(0, i);
      const score = w.dot(xi);
      // + 0 turns −0 (−1 · 0) into 0, so the trace reads and compares as the table does.
      const margin = yi.mul(score).item() + 0;
      const mistake = options.strict ? margin < 0 : margin <= 0;
      if (mistake) {
        w = w.add(xi.mul(yi));
        updates++;
      }
      trace.push({ t: trace.length + 1, x: Array.from(xi.data), y: yi.item(), score: score.item() + 0, margin, updated: mistake, w: Array.from(w.data) });
    }
    updatesPerEpoch.push(updates);
    if (options.untilClean && updates === 0) break;
  }
  return { trace, updatesPerEpoch, w: Array.from(w.data) };
}

export function run(): PerceptronResult {
  const X = augmented();
  const y = tensor(LABELS, { dtype: 'float64' });

  const fiveEpochs = train(5);
  const w5 = tensor(fiveEpochs.w, { dtype: 'float64' });
  const correctAfterFive = Array.from(X.matmul(w5).mul(y).gt(0).data, (v) => v === 1);
  const accuracyAfterFive = correctAfterFive.filter(Boolean).length / correctAfterFive.length;

  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
  const documentRowsAgreeing = fiveEpochs.trace.filter((r, i) => {
    const [score, margin, w] = DOCUMENT_ROWS[i];
    return r.score === score && r.margin === margin && same(r.w, w);
  }).length;

  const full = train(1000, { untilClean: true });
  const finalW = tensor(full.w, { dtype: 'float64' });
  const updateTimes = full.trace.filter((r) => r.updated).map((r) => r.t);
  const converged = {
    ...full,
    firstCleanEpoch: full.updatesPerEpoch.length,
    totalUpdates: updateTimes.length,
    lastUpdateT: updateTimes[updateTimes.length - 1],
    margins: Array.from(X.matmul(finalW).mul(y).data),
  };

  // The separator (1, 1, 1, −2.5) puts every sample at distance 0.5/‖(1, 1, 1, −2.5)‖ from its hyperplane.
  const separator = [1, 1, 1, -2.5];
  const u = tensor(separator, { dtype: 'float64' });
  const R = X.square().sum(1).sqrt().max().item();
  const gamma = X.matmul(u).mul(y).min().item() / u.square().sum().sqrt().item();
  const novikoff = { separator, R, gamma, bound: (R / gamma) ** 2 };

  const strictUpdates = train(5, { strict: true }).updatesPerEpoch.reduce((a, b) => a + b, 0);

  const vec = (a: number[]) => `(${a.join(', ')})`;
  const lines = [
    `samples ${SAMPLES.map((s, i) => `${vec(s)} → ${LABELS[i] > 0 ? '+1' : '−1'}`).join(', ')}`,
    'augmented with a trailing 1 (bias); w₀ = (0, 0, 0, 0); fixed order; if y·wᵀx ≤ 0 then w ← w + y·x',
    '   t  x             y   wᵀx  y·wᵀx  upd  w_{t+1}',
    ...fiveEpochs.trace.flatMap((r) => {
      const line = `  ${String(r.t).padStart(2)}  ${vec(r.x).padEnd(12)}  ${(r.y > 0 ? '+1' : '−1')}  ${String(r.score).padStart(4)}  ${String(r.margin).padStart(5)}  ${r.updated ? ' ✔ ' : '   '}  ${vec(r.w)}`;
      return r.t % 4 === 0 ? [line, `      epoch ${r.t / 4}: ${fiveEpochs.updatesPerEpoch[r.t / 4 - 1]} updates`] : [line];
    }),
    `updates per epoch: ${fiveEpochs.updatesPerEpoch.join(', ')}; w₂₀ = ${vec(fiveEpochs.w)}`,
    `after 5 epochs: ${correctAfterFive.map((c, i) => `${vec(SAMPLES[i])} ${c ? 'right' : 'WRONG'}`).join(', ')}; `
      + `training accuracy ${accuracyAfterFive * 100}%: not converged`,
    `document's table: ${documentRowsAgreeing} of ${DOCUMENT_ROWS.length} rows agree (wᵀx, y·wᵀx, w_{t+1})`,
    `continuing: updates per epoch ${converged.updatesPerEpoch.join(',')}`,
    `  last update at t = ${converged.lastUpdateT} (epoch ${Math.ceil(converged.lastUpdateT / 4)}); epoch ${converged.firstCleanEpoch} makes no mistake`,
    `  final w = ${vec(converged.w)}, margins y·wᵀx = ${vec(converged.margins)}, ${converged.totalUpdates} updates in total`,
    `  Novikoff bound (R/γ)² = (${R} / ${gamma.toFixed(4)})² = ${novikoff.bound.toFixed(1)} ≥ ${converged.totalUpdates}, with separator ${vec(separator)}`,
    `with a strict test y·wᵀx < 0, training from w = 0 makes ${strictUpdates} updates in 5 epochs (wᵀx = 0 is never a mistake)`,
    `erratum: the update count of epoch 5 (${fiveEpochs.updatesPerEpoch[4]}) is not stated, and the header w_{t+1} = w_t + y_i x_i holds only on mistakes (the table is right)`,
    `erratum: the document does not say that after 5 epochs the perceptron is unconverged (w₂₀ misclassifies ${SAMPLES.filter((_, i) => !correctAfterFive[i]).map(vec).join(', ')}); `
      + `it converges in epoch ${Math.ceil(converged.lastUpdateT / 4)} with w = ${vec(converged.w)}`,
  ];

  return {
    samples: SAMPLES, labels: LABELS, fiveEpochs, correctAfterFive, accuracyAfterFive, documentRowsAgreeing, converged, novikoff, strictUpdates,
    summary: `w₂₀ = ${vec(fiveEpochs.w)}, updates/epoch ${fiveEpochs.updatesPerEpoch.join(',')}, ${documentRowsAgreeing}/20 rows agree; unconverged (converges to ${vec(converged.w)} in epoch ${Math.ceil(converged.lastUpdateT / 4)})`,
    agrees: 'yes',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
