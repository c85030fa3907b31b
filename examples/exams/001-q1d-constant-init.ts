/**
 * Exam 001, Problem 1(d): is it a good idea to initialise every parameter of a fully connected network to the same
 * (well-chosen) constant? Train the 2-4-1 network of 000-SA3 from weights 0.5 and biases 0, with sigmoid, tanh and
 * ReLU hidden units: the hidden units receive identical gradients, so they stay identical (the layer acts as if it
 * had one unit). A He-random start is the control.
 */
import { type Tensor, Generator, rand, tensor, nn, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q1d',
  title: 'all parameters initialised to one constant: is it a good idea? (hidden units stay identical)',
};

export const inputs = {
  /** The data of 000-SA3: n points x ~ U[−1, 1]², y = sin(2x₁) + x₂². */
  n: 16,
  dataSeed: 0,
  hidden: 4,
  weight: 0.5,
  bias: 0,
  lr: 0.1,
  steps: 200,
  controlSeed: 1,
};

export type Activation = 'sigmoid' | 'tanh' | 'relu';
export const activations: Activation[] = ['sigmoid', 'tanh', 'relu'];

const f64 = { dtype: 'float64' } as const;

/** The training set (float64): x [n, 2] drawn from a seeded Generator, y [n, 1]. */
export function makeData(): { x: Tensor; y: Tensor } {
  const x = rand([inputs.n, 2], { ...f64, generator: new Generator(inputs.dataSeed) }).mul(2).sub(1);
  const y = new Float64Array(inputs.n);
  for (let i = 0; i < inputs.n; i++) y[i] = Math.sin(2 * x.data[2 * i]) + x.data[2 * i + 1] ** 2;
  return { x, y: tensor(y, f64).reshape(inputs.n, 1) };
}

function activationLayer(act: Activation): nn.Module {
  return act === 'sigmoid' ? new nn.Sigmoid() : act === 'tanh' ? new nn.Tanh() : new nn.ReLU();
}

/** 2-4-1 with every weight `weight` and every bias `bias` (constant init), or He-normal weights (the control). */
export function makeModel(act: Activation, init: 'constant' | 'he'): nn.Sequential {
  // Every parameter is re-initialised below; the construction draws come from a separate generator, so that they
  // neither touch the default generator nor shift the control's He draws.
  const scratch = { ...f64, generator: new Generator(0) };
  const model = new nn.Sequential(new nn.Dense(2, inputs.hidden, scratch), activationLayer(act), new nn.Dense(inputs.hidden, 1, scratch));
  const generator = new Generator(inputs.controlSeed);
  for (const [name, p] of model.namedParameters()) {
    if (name.endsWith('bias')) nn.init.constant_(p, inputs.bias);
    else if (init === 'constant') nn.init.constant_(p, inputs.weight);
    else nn.init.kaimingNormal_(p, { nonlinearity: 'relu', generator });
  }
  return model;
}

/** The network's mean squared error written with the ops its layers run, for gradcheck over the parameters. */
export function networkLoss(act: Activation, W1: Tensor, b1: Tensor, W2: Tensor, b2: Tensor, x: Tensor, y: Tensor): Tensor {
  const z = nn.linear(x, W1, b1);
  const h = act === 'sigmoid' ? z.sigmoid() : act === 'tanh' ? z.tanh() : z.relu();
  return nn.mseLoss(nn.linear(h, W2, b2), y);
}

export interface TrainResult {
  /** max_ij |W1[i, j] − W1[0, j]| after training: how far the hidden units' incoming weights differ. */
  rowSpread: number;
  /** max_j |W2[0, j] − W2[0, 0]|. */
  w2Spread: number;
  /** max over samples and units of |h_i − h_0| (the hint: activations within the layer). */
  activationSpread: number;
  W1: number[][];
  W2: number[];
  loss0: number;
  loss: number;
}

/** Full-batch gradient descent (SGD on the whole set) on the MSE. */
export function train(act: Activation, init: 'constant' | 'he'): TrainResult {
  const { x, y } = makeData();
  const model = makeModel(act, init);
  const opt = new optim.SGD(model.parameters(), { lr: inputs.lr });
  const lossFn = new nn.MSELoss();
  let loss0 = NaN;
  let loss = NaN;
  for (let step = 0; step < inputs.steps; step++) {
    opt.zeroGrad();
    const L = lossFn.forward(model.forward(x), y);
    if (step === 0) loss0 = L.item();
    L.backward();
    opt.step();
  }
  loss = lossFn.forward(model.forward(x), y).item();

  const [W1, , W2] = model.parameters();
  const W1rows = W1.toArray() as number[][];
  const W2row = Array.from(W2.data);
  const spread = (rows: number[][]) => Math.max(...rows.flatMap((r) => r.map((v, j) => Math.abs(v - rows[0][j]))));
  const [dense1, act1] = model.children();
  const h = act1.forward(dense1.forward(x)).toArray() as number[][];
  const hSpread = Math.max(...h.map((row) => Math.max(...row.map((v) => Math.abs(v - row[0])))));
  return {
    rowSpread: spread(W1rows), w2Spread: Math.max(...W2row.map((v) => Math.abs(v - W2row[0]))),
    activationSpread: hSpread, W1: W1rows, W2: W2row, loss0, loss,
  };
}

const f4 = (v: number) => v.toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(f4).join(', ')})`;

export function run(): ExampleResult & { constant: Record<Activation, TrainResult>; control: TrainResult } {
  const constant = Object.fromEntries(activations.map((a) => [a, train(a, 'constant')])) as Record<Activation, TrainResult>;
  const control = train('relu', 'he');
  const worst = Math.max(...activations.map((a) => constant[a].rowSpread));
  return {
    constant, control,
    summary: `constant init: hidden units stay identical (W1 row spread ${worst} after ${inputs.steps} steps, all activations); He init: spread ${f4(control.rowSpread)}`,
    agrees: 'yes',
    lines: [
      `inputs: 2-${inputs.hidden}-1 network, every weight ${inputs.weight}, biases ${inputs.bias}; ${inputs.n} points x ~ U[−1, 1]² (Generator(${inputs.dataSeed}), the draws of 000-SA3),`
        + ` y = sin(2x₁) + x₂²; MSE, full-batch GD, lr ${inputs.lr}, ${inputs.steps} steps`,
      ...activations.flatMap((a) => {
        const r = constant[a];
        return [
          `${a}: loss ${f4(r.loss0)} → ${f4(r.loss)}; W1 rows all ${vec(r.W1[0])} (max row spread ${r.rowSpread}), W2 = ${vec(r.W2)} (spread ${r.w2Spread})`,
          `  hidden activations equal within every sample (max spread ${r.activationSpread})`,
        ];
      }),
      `control, He-normal init (Generator(${inputs.controlSeed})), ReLU: loss ${f4(control.loss0)} → ${f4(control.loss)}; W1 row spread ${f4(control.rowSpread)}`,
      '  (the data and He draws come from tapegrad\'s Generator, so W2 and the losses differ from the reference run of EXAMS.md; the symmetry does not)',
      'result: no: identical units get identical gradients and stay identical, so the layer has the capacity of a single unit; random init breaks the symmetry',
      'document: "No, this is not a good idea … the weights are always the same … reduce the matrix to a 1D value" (agrees)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
