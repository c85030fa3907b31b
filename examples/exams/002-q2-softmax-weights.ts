/**
 * 002-Q2 (AML 5202 sessional 1): a softmax classifier on 100 individuals (samples along columns) with a
 * categorical gender feature. (a) the shape of W after one-hot encoding and the bias trick; (b) what w_{:,2},
 * w_{4,:}, w_18 and w_25 mean (1-based); (c) what a gradient of +4 says about small changes of the weight.
 * The data figure is missing, so the 100 individuals are drawn (seeded) just to run the shapes through.
 */
import { Generator, concat, eye, nn, ones, arange, randint, randn, tensor, type Tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '002-Q2',
  title: 'softmax classifier with one-hot gender and the bias trick: shape of W, meaning of its entries, a gradient of 4',
};

/** The 7 features after one-hot encoding gender, in the solution's order (column j + 1 of W, 1-based). */
export const FEATURES = ['genderfemale', 'gendermale', 'age', 'weight', 'BMI', 'blood glucose', 'total cholesterol'];
/** The 4 output categories; the third one's name is not shown in the scan. */
export const CLASSES = ['non-diabetic', 'pre-diabetic', 'class 3 (name not shown)', 'severely diabetic'];
const N = 100;

/** The document's answers. */
const DOCUMENT = {
  shape: '4 × 8',
  w_col2: 'weights applied to the 2nd feature gendermale to get all output category raw scores',
  w_row4: 'weights applied to all features to get the raw score for the 4th output category severely diabetic',
  w18: 'bias for the 1st output category non-diabetic',
  w25: 'weight applied to the 5th feature BMI to get the 2nd output category pre-diabetic raw score',
  q2c: 'increasing the weight a little increases the loss; decreasing it decreases the loss',
};

/** One 1-based entry w_{ij} of the folded 4×8 matrix, located with the library. */
export interface EntryMeaning {
  /** 1-based row and column, as the document writes them. */
  row: number;
  col: number;
  /** Row-major flat index (0-based) in the 4×8 buffer. */
  flatIndex: number;
  /** The value of the folded W there. */
  value: number;
  meaning: string;
}

export interface Q2cStep {
  delta: number;
  /** L(w + δ) − L(w) and L(w − δ) − L(w). */
  up: number;
  down: number;
  /** (L(w + δ) − L(w)) / δ. */
  slope: number;
}

/** L(w) = 2w²: at w = 1 its derivative is 4, the gradient the question gives. */
function loss(w: Tensor): Tensor {
  return w.square().mul(2);
}

function scalar(v: number, requiresGrad = false): Tensor {
  return tensor(v, { dtype: 'float64', requiresGrad });
}

export function run(): ExampleResult & {
  /** One-hot + 5 numeric features: [100, 7]. */
  featureShape: number[];
  /** X_B, samples along columns with the bias row last: [8, 100]. */
  xbShape: number[];
  /** The folded W = [weights | bias]: [4, 8]. */
  wShape: number[];
  /** Scores W·X_B: [4, 100]. */
  scoreShape: number[];
  /** Dense(7, 4) parameters (from numParameters) and from nn.summary. */
  denseParams: number;
  summaryParams: number;
  /** max |W·X_B − Dense(X)ᵀ|: the bias trick computes the same scores. */
  biasTrickMaxDiff: number;
  /** Each row of the one-hot block sums to 1. */
  oneHotRowSums: number[];
  col2: { length: number; equalsWeightColumn: boolean };
  row4: { length: number; lastIsBias: boolean };
  w18: EntryMeaning & { equalsBias: boolean };
  w25: EntryMeaning & { equalsWeight: boolean };
  q2c: { w: number; grad: number; steps: Q2cStep[] };
} {
  const generator = new Generator(2002);

  // (a) The raw table: gender as a category code 0/1 and five numeric columns (standardised values; only their
  // shapes matter here).
  const gender = randint(0, 2, [N], { generator, dtype: 'float64' });
  const numeric = randn([N, 5], { generator, dtype: 'float64' });
  const oneHot = eye(2, 2, { dtype: 'float64' }).indexSelect(0, gender);
  const features = concat([oneHot, numeric], 1); // [100, 7], columns in FEATURES order
  // Samples along columns, with a last row of ones for the bias trick.
  const xb = concat([features, ones([N, 1], { dtype: 'float64' })], 1).transpose(0, 1);

  const dense = new nn.Dense(FEATURES.length, CLASSES.length, { dtype: 'float64', generator });
  const denseParams = dense.numParameters();
  const summaryParams = nn.summary(dense, [1, FEATURES.length]).totalParameters;
  // W with the bias folded in as its last column: [4, 7] | [4, 1] → [4, 8].
  const w = concat([dense.weight.detach(), dense.bias!.detach().unsqueeze(1)], 1);
  const scores = w.matmul(xb);
  const viaDense = dense.forward(features).detach().transpose(0, 1);
  const biasTrickMaxDiff = scores.sub(viaDense).abs().max().item();

  // (b) 1-based w_{ij} → w.select(0, i − 1).select(0, j − 1). An arange laid out as W gives the flat index.
  const flat = arange(0, w.size, 1, { dtype: 'float64' }).reshape(w.shape);
  const entry = (row: number, col: number, meaning: string): EntryMeaning => ({
    row, col, meaning,
    flatIndex: flat.select(0, row - 1).select(0, col - 1).item(),
    value: w.select(0, row - 1).select(0, col - 1).item(),
  });
  const col2 = w.select(1, 1);
  const row4 = w.select(0, 3);
  const nameOfColumn = (j: number) => (j <= FEATURES.length ? FEATURES[j - 1] : 'bias');
  const w18 = entry(1, 8, `${nameOfColumn(8)} of class 1, ${CLASSES[0]}`);
  const w25 = entry(2, 5, `weight on ${nameOfColumn(5)} for class 2, ${CLASSES[1]}`);
  const same = (a: Tensor, b: Tensor) => a.sub(b).abs().max().item() === 0;

  // (c) Autograd gives dL/dw; small steps either way show the sign.
  const w0 = 1;
  const wt = scalar(w0, true);
  const l0 = loss(wt);
  l0.backward();
  const grad = wt.grad!.item();
  const steps: Q2cStep[] = [0.01, 0.001].map((delta) => {
    const up = loss(scalar(w0).add(delta)).sub(l0.detach()).item();
    const down = loss(scalar(w0).sub(delta)).sub(l0.detach()).item();
    return { delta, up, down, slope: scalar(up).div(delta).item() };
  });

  const shape = (t: Tensor) => `[${t.shape.join(', ')}]`;
  const fmt = (v: number, d = 6) => (v >= 0 ? `+${v.toFixed(d)}` : v.toFixed(d));
  const lines = [
    `(a) features after one-hot encoding gender: ${FEATURES.map((f, i) => `(${i + 1}) ${f}`).join(', ')}`,
    `    one-hot(gender) ${shape(oneHot)} + 5 numeric → X ${shape(features)}; each one-hot row sums to 1`,
    `    bias trick, samples along columns: X_B ${shape(xb)} (last row = 1)`,
    `    Dense(7 → 4): ${denseParams} parameters (${dense.weight.size} weights + ${dense.bias!.size} biases; nn.summary: ${summaryParams})`,
    `    folded W = [weight | bias] ${shape(w)}; scores W·X_B ${shape(scores)}; max |W·X_B − Dense(X)ᵀ| = ${biasTrickMaxDiff.toExponential(2)}`,
    `    result: W is ${w.shape[0]} × ${w.shape[1]}; document: ${DOCUMENT.shape} (agrees)`,
    `(b) 1-based indices into the ${w.shape[0]} × ${w.shape[1]} W, bias column last:`,
    `    w_{:,2} = column 2, ${col2.size} values: the weight on ${nameOfColumn(2)} in each class score`,
    `    w_{4,:} = row 4, ${row4.size} values (incl. bias): the score of class 4, ${CLASSES[3]}`,
    `    w_18 = row 1, column 8 (flat index ${w18.flatIndex}): the ${w18.meaning}; equals Dense bias[0]: ${w18.value === dense.bias!.data[0]}`,
    `    w_25 = row 2, column 5 (flat index ${w25.flatIndex}): the ${w25.meaning}`,
    `    document (agrees, assuming the bias column is last):`,
    `      w_{:,2}: "${DOCUMENT.w_col2}"`,
    `      w_{4,:}: "${DOCUMENT.w_row4}"`,
    `      w_18: "${DOCUMENT.w18}"`,
    `      w_25: "${DOCUMENT.w25}"`,
    `(c) L(w) = 2w² at w = ${w0}: backward() gives dL/dw = ${grad}`,
    ...steps.map((s) => `    δ = ${s.delta}: L(w + δ) − L(w) = ${fmt(s.up)}, L(w − δ) − L(w) = ${fmt(s.down)}, ΔL/δ = ${s.slope.toFixed(4)} ≈ ${grad}`),
    `    a positive gradient: a small increase of w raises the loss by about ${grad}δ, a small decrease lowers it`,
    `    document: "${DOCUMENT.q2c}" (agrees)`,
  ];

  return {
    featureShape: features.shape.slice(),
    xbShape: xb.shape.slice(),
    wShape: w.shape.slice(),
    scoreShape: scores.shape.slice(),
    denseParams,
    summaryParams,
    biasTrickMaxDiff,
    oneHotRowSums: Array.from(oneHot.sum(1).data),
    col2: { length: col2.size, equalsWeightColumn: same(col2, dense.weight.detach().select(1, 1)) },
    row4: { length: row4.size, lastIsBias: row4.data[row4.size - 1] === dense.bias!.data[3] },
    w18: { ...w18, equalsBias: w18.value === dense.bias!.data[0] },
    w25: { ...w25, equalsWeight: w25.value === dense.weight.detach().select(0, 1).select(0, 4).item() },
    q2c: { w: w0, grad, steps },
    summary: `W is 4 × 8 (${denseParams} params); w_18 = bias of class 1, w_25 = BMI weight of class 2; dL/dw = ${grad}: ΔL ≈ ${grad}δ`,
    agrees: 'yes',
    lines,
    rows: [
      { id: '002-Q2a', summary: `W is ${w.shape[0]} × ${w.shape[1]} (7 features + bias), ${denseParams} parameters; X_B ${xb.shape.join(' × ')}`, agrees: 'yes' },
      { id: '002-Q2b', summary: `w_{:,2}: gendermale weights (${col2.size}); w_{4,:}: class-4 row (${row4.size}); w_18: class-1 bias; w_25: class-2 BMI weight`, agrees: 'yes' },
      { id: '002-Q2c', summary: `dL/dw = ${grad}: L(w ± 0.001) − L(w) = ${fmt(steps[1].up)} / ${fmt(steps[1].down)}`, agrees: 'yes' },
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
