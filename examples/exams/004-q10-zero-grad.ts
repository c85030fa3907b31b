/**
 * Seed 004, Q10: the autograd training loop — for each epoch, for each mini-batch: forward, loss,
 * optimizer.zeroGrad(), loss.backward(), optimizer.step(). Why zeroGrad: backward() adds into .grad, so without it
 * the gradients of successive passes pile up. Shown on the 2-3-1 ReLU network of 003-Q1, then on a toy regression.
 */
import { Generator, type Tensor, data, nn, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = { id: '004-Q10', title: 'the autograd training loop (forward, loss, zero_grad, backward, step): why zero_grad' };

export interface ZeroGradResult extends ExampleResult {
  /** ŷ and L = (ŷ − y)² of the 003-Q1 network before any step. */
  yHat: number;
  loss: number;
  /** ∂L/∂w₃ (output weight of hidden unit 3) after one backward. */
  singleGrad: number;
  /** After 2 and 3 backward passes without zeroing. */
  accumulatedGrad2: number;
  accumulatedGrad3: number;
  /** After zeroGrad and one more backward. */
  zeroedGrad: number;
  /** Every parameter's gradient after two passes / after one (element-wise); all 2 where the gradient is non-zero. */
  accumulationRatios: number[];
  /** The loss after one loop iteration at lr 0.01. */
  lossAfterStep: number;
  /** Toy regression: mean batch loss per epoch, with the loop as written and with zeroGrad left out. */
  epochLosses: number[];
  epochLossesWithoutZeroGrad: number[];
}

/** The concrete 003-Q1 network: hidden weights (2, 1), (−1, −1), (1, 2); output weights (−1, 1, 2); biases 0. */
function network(): nn.Sequential {
  // The initial draws are overwritten below; a seeded generator keeps them off the default stream.
  const generator = new Generator(0);
  const hidden = new nn.Dense(2, 3, { dtype: 'float64', generator });
  const output = new nn.Dense(3, 1, { dtype: 'float64', generator });
  hidden.weight.data.set([2, 1, -1, -1, 1, 2]);
  hidden.bias!.data.fill(0);
  output.weight.data.set([-1, 1, 2]);
  output.bias!.data.fill(0);
  return new nn.Sequential(hidden, new nn.ReLU(), output);
}

const x = () => tensor([[1, 2]], { dtype: 'float64' });
const target = () => tensor([[3]], { dtype: 'float64' });

/** L = (ŷ − y)²: the mean over a single output is the squared error itself, without ½. */
const lossOf = (model: nn.Module) => nn.mseLoss(model.forward(x()), target());

function allGrads(model: nn.Module): number[] {
  return model.parameters().flatMap((p) => Array.from(p.grad!.data));
}

/** The toy regression: y = 1.5x − 0.5 + 0.1·ε, 64 points, Dense(1 → 1), batches of 16, lr 0.05, 10 epochs. */
function toyRegression(withZeroGrad: boolean): number[] {
  const g = new Generator(10);
  const X = randn([64, 1], { dtype: 'float64', generator: g });
  const y = X.mul(1.5).sub(0.5).add(randn([64, 1], { dtype: 'float64', generator: g }).mul(0.1));
  const model = new nn.Dense(1, 1, { dtype: 'float64', generator: g });
  const opt = new optim.SGD(model.parameters(), { lr: 0.05 });
  const loader = new data.DataLoader(new data.TensorDataset(X, y), { batchSize: 16, shuffle: true, generator: g });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 10; epoch++) {
    let total = 0;
    for (const [xb, yb] of loader as Iterable<[Tensor, Tensor]>) {
      const loss = nn.mseLoss(model.forward(xb), yb);
      if (withZeroGrad) opt.zeroGrad();
      loss.backward();
      opt.step();
      total += loss.item();
    }
    losses.push(total / loader.length);
  }
  return losses;
}

export function run(): ZeroGradResult {
  const model = network();
  const w = (model.children()[2] as nn.Dense).weight;
  const opt = new optim.SGD(model.parameters(), { lr: 0.01 });

  // One backward, then more on fresh forwards of the same batch, as a loop that forgot zeroGrad would do.
  const first = lossOf(model);
  const yHat = model.forward(x()).item();
  const loss = first.item();
  opt.zeroGrad();
  first.backward();
  const singleGrad = w.grad!.data[2];
  const single = allGrads(model);
  lossOf(model).backward();
  const accumulatedGrad2 = w.grad!.data[2];
  const accumulationRatios = allGrads(model).flatMap((v, i) => (single[i] === 0 ? [] : [v / single[i]]));
  lossOf(model).backward();
  const accumulatedGrad3 = w.grad!.data[2];

  // The loop as written: forward, loss, zeroGrad, backward, step.
  const l = lossOf(model);
  opt.zeroGrad();
  l.backward();
  const zeroedGrad = w.grad!.data[2];
  opt.step();
  const lossAfterStep = lossOf(model).item();

  const epochLosses = toyRegression(true);
  const epochLossesWithoutZeroGrad = toyRegression(false);
  const f = (v: number) => v.toFixed(4);
  const lines = [
    'loop: for each epoch: shuffle; for each mini-batch: forward, loss, optimizer.zeroGrad(), loss.backward(), optimizer.step()',
    '003-Q1 network: x = (1, 2), y = 3; hidden W = [(2, 1), (−1, −1), (1, 2)], ReLU; output w = (−1, 1, 2); biases 0; L = (ŷ − y)²',
    `forward: ŷ = ${yHat}, L = ${loss}`,
    `one backward: ∂L/∂w₃ = ${singleGrad}`,
    `without zeroGrad, a second backward: ∂L/∂w₃ = ${accumulatedGrad2}; a third: ${accumulatedGrad3} (gradients add up)`,
    `  every non-zero gradient after two passes is ${[...new Set(accumulationRatios)].join(', ')}× the single one`,
    `with zeroGrad first: ∂L/∂w₃ = ${zeroedGrad}`,
    `one loop iteration with optim.SGD(lr 0.01): L ${loss} → ${f(lossAfterStep)}`,
    `toy regression (64 points, batches of 16, lr 0.05), mean batch loss per epoch: ${epochLosses.map(f).join(', ')}`,
    `  the same loop without zeroGrad: ${epochLossesWithoutZeroGrad.map(f).join(', ')}`,
    'document: the pseudo-code (forward, loss, zero_grad, backward, step inside epochs × mini-batches) is correct: agrees',
  ];

  return {
    yHat, loss, singleGrad, accumulatedGrad2, accumulatedGrad3, zeroedGrad, accumulationRatios, lossAfterStep,
    epochLosses, epochLossesWithoutZeroGrad,
    summary: `∂L/∂w₃ = ${singleGrad}; two backward passes without zeroGrad give ${accumulatedGrad2}; one step at lr 0.01: L ${loss} → ${f(lossAfterStep)}`,
    agrees: 'yes',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
