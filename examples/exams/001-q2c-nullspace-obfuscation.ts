/**
 * Exam 001, Problem 2(c): if W1 z = 0, training on x + λz instead of x leaves every activation unchanged. Which
 * parameter updates stay identical? Two copies of one 3-2-1 ReLU network take one SGD step each, one on x and one on
 * the obfuscated x' = x + λz, and their gradients are compared; then the first step's caveat: the updated W1 no
 * longer annihilates z, so from the second step on the two runs drift apart.
 */
import { Generator, type Tensor, tensor, nn, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q2c',
  title: 'nullspace obfuscation x → x + λz with W1 z = 0: which parameter updates are identical?',
};

export const inputs = {
  W1: [[1, 0, -1], [0, 1, 1]],
  b1: [0, 0.1],
  W2: [[0.5, -0.3]],
  b2: [0.2],
  z: [1, -1, 1],
  x: [1, 2, 0.5],
  lambda: 2,
  target: 1,
  lr: 0.1,
};

const f64 = { dtype: 'float64' } as const;

/** The 3-2-1 network of the entry (column convention: Dense keeps W as [out, in]), in float64. */
export function makeModel(): nn.Sequential {
  // The entry's values overwrite the initial draws (taken from a generator of their own, not the default one).
  const scratch = { ...f64, generator: new Generator(0) };
  const model = new nn.Sequential(new nn.Dense(3, 2, scratch), new nn.ReLU(), new nn.Dense(2, 1, scratch));
  const [W1, b1, W2, b2] = model.parameters();
  W1.data.set(inputs.W1.flat());
  b1.data.set(inputs.b1);
  W2.data.set(inputs.W2.flat());
  b2.data.set(inputs.b2);
  return model;
}

/**
 * L = ½(o − t)² of the same network written with the functional ops that Dense and ReLU run, so that gradcheck can
 * vary the parameters as inputs.
 */
export function networkLoss(W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, x: Tensor, target = inputs.target): Tensor {
  const o = nn.linear(nn.linear(x, W1, b1).relu(), W2, b2);
  return nn.mseLoss(o, tensor([target], { dtype: o.dtype }), { reduction: 'sum' }).mul(0.5);
}

interface Run {
  /** ReLU(W1 x + b1), the hidden activations. */
  hidden: number[];
  output: number;
  loss: number;
  /** Gradients by parameter: W1, b1, W2, b2. */
  grads: { W1: number[][]; b1: number[]; W2: number[][]; b2: number[] };
  /** W1 after one SGD step, times z. */
  W1zAfter: number[];
  /** The network's output on the input it was trained on, after the step. */
  outputAfter: number;
}

function trainOneStep(x: Tensor, z: Tensor): Run {
  const model = makeModel();
  const opt = new optim.SGD(model.parameters(), { lr: inputs.lr });
  opt.zeroGrad();
  const hidden = Array.from(model.children()[1].forward(model.children()[0].forward(x)).data);
  const o = model.forward(x);
  const L = nn.mseLoss(o, tensor([inputs.target], f64), { reduction: 'sum' }).mul(0.5);
  L.backward();
  const [W1, b1, W2, b2] = model.parameters();
  const grads = {
    W1: W1.grad!.toArray() as number[][], b1: Array.from(b1.grad!.data),
    W2: W2.grad!.toArray() as number[][], b2: Array.from(b2.grad!.data),
  };
  opt.step();
  return {
    hidden, output: o.item(), loss: L.item(), grads,
    W1zAfter: Array.from(W1.detach().matmul(z).data),
    outputAfter: model.forward(x).item(),
  };
}

const fmt = (v: number) => (Math.abs(v) < 5e-13 ? 0 : v).toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(fmt).join(', ')})`;
const mat = (m: readonly number[][]) => `[${m.map(vec).join(', ')}]`;

export function run(): ExampleResult & {
  W1z: number[];
  xObfuscated: number[];
  normal: Run;
  obfuscated: Run;
  /** dW1' − dW1, from the two backward passes. */
  dW1Difference: number[][];
  /** outer(dL/d(W1 x + b1), λz), with dL/d(W1 x + b1) = dL/db1 from the normal run. */
  outerPrediction: number[][];
} {
  const z = tensor(inputs.z, f64);
  const W1z = Array.from(tensor(inputs.W1, f64).matmul(z).data);
  const x = tensor(inputs.x, f64);
  const xp = x.add(z.mul(inputs.lambda));
  const normal = trainOneStep(x, z);
  const obfuscated = trainOneStep(xp, z);
  const dW1Difference = tensor(obfuscated.grads.W1, f64).sub(tensor(normal.grads.W1, f64)).toArray() as number[][];
  const outerPrediction = tensor(normal.grads.b1, f64).outer(z.mul(inputs.lambda)).toArray() as number[][];
  const xObfuscated = Array.from(xp.data);

  return {
    W1z, xObfuscated, normal, obfuscated, dW1Difference, outerPrediction,
    summary: `first step: b1, W2, b2 updates identical, only W1's differs (by outer(dL/dh1, λz)); later steps diverge (W1·z = ${vec(obfuscated.W1zAfter)})`,
    agrees: 'yes',
    lines: [
      `inputs: W1 = ${mat(inputs.W1)}, z = ${vec(inputs.z)}, so W1 z = ${vec(W1z)}; b1 = ${vec(inputs.b1)}`,
      `  ReLU hidden layer, W2 = ${mat(inputs.W2)}, b2 = ${inputs.b2[0]}, L = ½(o − ${inputs.target})²; x = ${vec(inputs.x)}, λ = ${inputs.lambda}, x' = x + λz = ${vec(xObfuscated)}`,
      `forward: h1 = ${vec(normal.hidden)} on x and ${vec(obfuscated.hidden)} on x'; o = ${fmt(normal.output)} on x and ${fmt(obfuscated.output)} on x'; L = ${fmt(normal.loss)} and ${fmt(obfuscated.loss)}`,
      `backward (x):  db1 = ${vec(normal.grads.b1)}, dW2 = ${vec(normal.grads.W2[0])}, db2 = ${fmt(normal.grads.b2[0])}`,
      `backward (x'): db1 = ${vec(obfuscated.grads.b1)}, dW2 = ${vec(obfuscated.grads.W2[0])}, db2 = ${fmt(obfuscated.grads.b2[0])}`,
      `  dW1 on x  = ${mat(normal.grads.W1)}`,
      `  dW1 on x' = ${mat(obfuscated.grads.W1)}`,
      `  dW1' − dW1 = ${mat(dW1Difference)} = outer(dL/dh1, λz) = ${mat(outerPrediction)}`,
      `one SGD step (lr ${inputs.lr}): W1_new z = ${vec(obfuscated.W1zAfter)} (obfuscated run), ${vec(normal.W1zAfter)} (normal run): no longer 0`,
      `  so the runs part from step 2: after the step, o = ${fmt(normal.outputAfter)} on x (normal) vs ${fmt(obfuscated.outputAfter)} on x' (obfuscated)`,
      'result: at the first update only W1 changes (dL/dW1 = (dL/dh1)(x + λz)ᵀ); h, g, f and the gradients for b and later layers are identical',
      "document: h, g, f and dL/df, dL/dg, dL/dh, dL/db stay the same; only the W_k update differs (correct for one update)",
      'erratum: (caveat, not strictly an error) the identity holds only for the first step; afterwards W1 z ≠ 0 and all updates diverge; calling the first layer W_k fits only the single-layer setting',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
