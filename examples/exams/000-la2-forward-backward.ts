/**
 * 000-LA2 (SYS ENG 6213 midterm, Long Answer 2): forward and backward pass, then one SGD step (lr 0.1), of a 2-2-2
 * network with a ReLU hidden layer and softmax cross-entropy. The exam's figure is missing and its value table is
 * OCR-garbled; the reading of EXAMS.md is used (see READING). The network is two float64 nn.Dense layers; the
 * backward pass is run layer by layer (each stage's output cut off as a leaf, so its gradient can be shown), checked
 * against one end-to-end backward(), and the step is optim.SGD's.
 */
import { Generator, Tensor, nn, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '000-LA2',
  title: 'forward and backward pass, and one SGD step (lr 0.1), of a 2-2-2 ReLU / softmax-CE network (garbled table)',
};

/**
 * The reading of the garbled table (EXAMS.md 000-LA2, confidence ≈ 50%): the top row of 1s is an OCR artefact;
 * the columns are x | W1 (2 columns) | b1 | W2 (2 columns) | b2 | y, with the "x" labels of columns 3 and 6 read as
 * the second columns of W1 and W2. Matrices as printed (rows of the table).
 */
export const READING = {
  x: [0.8, 0.3],
  W1: [[0.24, 0.67], [0.43, 0.14]],
  b1: [1, 1],
  W2: [[0.34, 0.63], [0.81, 0.72]],
  b2: [1, 1],
  y: [0, 1],
  lr: 0.1,
};

/**
 * 'row': row vectors, z = x·W + b with W[in][out] (the primary reading, following the order "x, w1");
 * 'column': column vectors, z = W·x + b with W[out][in].
 */
export type Convention = 'row' | 'column';

const transpose = (m: number[][]) => m[0].map((_, j) => m.map((r) => r[j]));

/**
 * The two layers with the reading's values. Dense computes x·Wᵀ + b with its weight [out, in], so the column
 * convention's W is its weight as printed, and the row convention's W[in][out] is its transpose.
 */
export function makeLayers(convention: Convention): { fc1: nn.Dense; fc2: nn.Dense } {
  const asWeight = (w: number[][]) => tensor(convention === 'column' ? w : transpose(w), { dtype: 'float64' });
  // The reading's values overwrite the initial draws; a generator of their own keeps them off the default one.
  const init = new Generator(0);
  const fc1 = new nn.Dense(2, 2, { dtype: 'float64', generator: init });
  const fc2 = new nn.Dense(2, 2, { dtype: 'float64', generator: init });
  fc1.weight.data.set(asWeight(READING.W1).data);
  fc1.bias!.data.set(READING.b1);
  fc2.weight.data.set(asWeight(READING.W2).data);
  fc2.bias!.data.set(READING.b2);
  return { fc1, fc2 };
}

/** The input as a batch of one, and the target class (y one-hot ⇒ its index). */
export function inputs(): { x: Tensor; target: Tensor } {
  return { x: tensor([READING.x], { dtype: 'float64' }), target: tensor([READING.y.indexOf(1)]) };
}

/**
 * The loss as a function of the four parameters in Dense's layout (weights [out, in]): what the network computes,
 * written functionally so gradcheck can perturb the parameters.
 */
export function lossOfParameters(x: Tensor, target: Tensor, w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor): Tensor {
  return nn.crossEntropy(nn.linear(nn.linear(x, w1, b1).relu(), w2, b2), target);
}

/** Every number of the worked answer, matrices in the convention's own layout. */
export interface PassResult {
  convention: Convention;
  z1: number[]; a1: number[]; z2: number[]; p: number[]; loss: number;
  dz2: number[]; dW2: number[][]; db2: number[]; da1: number[]; dz1: number[]; dW1: number[][]; db1: number[];
  /** max |staged − end-to-end| over the four parameter gradients. */
  endToEndMaxDiff: number;
  after: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[]; loss: number; p: number[] };
}

const vec = (t: Tensor) => Array.from(t.data);

export function pass(convention: Convention): PassResult {
  const { fc1, fc2 } = makeLayers(convention);
  const { x, target } = inputs();
  // The convention's matrices from Dense's [out, in] layout.
  const mat = (t: Tensor) => (convention === 'column' ? t : t.T).toArray() as number[][];

  // Forward, stage by stage; each stage's input is a fresh leaf so its gradient can be read off.
  const z1 = fc1.forward(x);
  const z1Leaf = z1.detach().requiresGrad_();
  const a1 = z1Leaf.relu();
  const a1Leaf = a1.detach().requiresGrad_();
  const z2 = fc2.forward(a1Leaf);
  const z2Leaf = z2.detach().requiresGrad_();
  const p = z2Leaf.softmax(-1);
  const loss = nn.crossEntropy(z2Leaf, target);

  // Backward, stage by stage: each stage's gradient is the upstream gradient of the one before.
  loss.backward();
  const dz2 = z2Leaf.grad!;
  z2.backward(dz2);
  const da1 = a1Leaf.grad!;
  a1.backward(da1);
  const dz1 = z1Leaf.grad!;
  z1.backward(dz1);

  // The same gradients from one backward() through the whole network.
  const params = [fc1.weight, fc1.bias!, fc2.weight, fc2.bias!];
  const whole = params.map((q) => q.detach().requiresGrad_());
  lossOfParameters(x, target, whole[0], whole[1], whole[2], whole[3]).backward();
  const endToEndMaxDiff = Math.max(...params.map((q, i) => q.grad!.sub(whole[i].grad!).abs().max().item()));

  const result = {
    convention, z1: vec(z1), a1: vec(a1), z2: vec(z2), p: vec(p), loss: loss.item(),
    dz2: vec(dz2), dW2: mat(fc2.weight.grad!), db2: vec(fc2.bias!.grad!), da1: vec(da1), dz1: vec(dz1),
    dW1: mat(fc1.weight.grad!), db1: vec(fc1.bias!.grad!), endToEndMaxDiff,
  };

  new optim.SGD(params, { lr: READING.lr }).step();
  const z2After = fc2.forward(fc1.forward(x).relu());
  return {
    ...result,
    after: {
      W1: mat(fc1.weight), b1: vec(fc1.bias!), W2: mat(fc2.weight), b2: vec(fc2.bias!),
      loss: nn.crossEntropy(z2After, target).item(), p: vec(z2After.softmax(-1)),
    },
  };
}

const v4 = (v: number[]) => `(${v.map((x) => x.toFixed(4)).join(', ')})`;
const m4 = (m: number[][]) => `[${m.map(v4).join(', ')}]`.replace(/\(/g, '[').replace(/\)/g, ']');

function describePass(r: PassResult): string[] {
  const eq = r.convention === 'row' ? 'z = x·W + b, W[in][out]' : 'z = W·x + b, W[out][in]';
  const dW = r.convention === 'row' ? 'dW[i][j] = a_i·dz_j' : 'dW[i][j] = dz_i·a_j';
  const da = r.convention === 'row' ? 'da1 = W2·dz2' : 'da1 = W2ᵀ·dz2';
  return [
    `${r.convention} convention (${eq}):`,
    `  forward: z1 = ${v4(r.z1)}, a1 = ReLU(z1) = ${v4(r.a1)}, z2 = ${v4(r.z2)}, p = softmax(z2) = ${v4(r.p)}, L = −log p_2 = ${r.loss.toFixed(4)}`,
    `  backward: dz2 = p − y = ${v4(r.dz2)}; dW2 (${dW}) = ${m4(r.dW2)}, db2 = ${v4(r.db2)}`,
    `    ${da} = ${v4(r.da1)}, dz1 = da1 ⊙ [z1 > 0] = ${v4(r.dz1)}; dW1 = ${m4(r.dW1)}, db1 = ${v4(r.db1)}`,
    `    (one end-to-end backward() gives the same gradients: max |Δ| = ${r.endToEndMaxDiff.toExponential(1)})`,
    `  SGD step (lr ${READING.lr}): W1 = ${m4(r.after.W1)}, b1 = ${v4(r.after.b1)}, W2 = ${m4(r.after.W2)}, b2 = ${v4(r.after.b2)}`,
    `  after the step: p = ${v4(r.after.p)}, L = ${r.after.loss.toFixed(4)} (was ${r.loss.toFixed(4)})`,
  ];
}

export function run(): ExampleResult & { row: PassResult; column: PassResult } {
  const row = pass('row');
  const column = pass('column');
  return {
    row, column,
    summary: `(reading ≈50%) L = ${row.loss.toFixed(4)} → ${row.after.loss.toFixed(4)} after one SGD step (row vectors); column vectors ${column.loss.toFixed(4)} → ${column.after.loss.toFixed(4)}`,
    agrees: 'reconstructed',
    lines: [
      'reading used (EXAMS.md, confidence ≈ 50%): the top row of 1s is an OCR artefact; columns are x | W1 (2 columns) | b1 | W2 (2 columns) | b2 | y,',
      `  so x = ${v4(READING.x)}, W1 = ${m4(READING.W1)}, b1 = ${v4(READING.b1)}, W2 = ${m4(READING.W2)}, b2 = ${v4(READING.b2)}, y = ${v4(READING.y)};`,
      '  network 2-2-2, ReLU hidden layer, softmax cross-entropy (natural log), one SGD step with lr 0.1; row vectors primary, column vectors as the alternative',
      ...describePass(row),
      ...describePass(column),
      `result: L = ${row.loss.toFixed(4)}, dz2 = ${v4(row.dz2)}, loss after one step ${row.after.loss.toFixed(4)} (row convention)`,
      'document: no solution given (a stray "T" follows the question)',
      'erratum: the data table is garbled (top row of 1s, "x" labels on weight columns) and no solution is given; the reading above is a reconstruction',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
