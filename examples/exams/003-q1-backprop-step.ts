/**
 * 003-Q1 (RMIT COSC2779 Week 4 tutorial, Q1): backprop through a 2-3-1 ReLU network and one gradient step.
 *
 * The figure with the initial weights is missing from the document; the weights below are the reading of EXAMS.md:
 * the only one consistent with the 13 derivatives the solution states (up to choices that do not change any number).
 * The same derivatives also pin the loss down to L = (ŷ − y)² with no ½ (with ½, δ_o = 6 would need ŷ = 9).
 */
import { Generator, Tensor, noGrad, nn, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '003-Q1',
  title: 'gradients of a 2-3-1 ReLU net at x = (1, 2), target 3, squared error, and one GD step with lr 0.1',
};

/** The reconstructed initial weights (column convention: hidden W is [3][2], as Dense stores it). */
const HIDDEN_W = [[2, 1], [-1, -1], [1, 2]];
const OUTPUT_W = [[-1, 1, 2]];
const X = [[1, 2]];
const TARGET = [[3]];

/** The solution's derivatives, which the library's are compared with. */
const DOCUMENT = {
  outputWeight: [24, 0, 30],
  outputBias: 6,
  hiddenWeight: [[-6, -12], [0, 0], [12, 24]],
  hiddenBias: [-6, 0, 12],
};

interface Net {
  hidden: nn.Dense;
  output: nn.Dense;
  model: nn.Sequential;
}

function makeNet(): Net {
  // The entry's values overwrite the initial draws (taken from a generator of their own, not the default one).
  const scratch = { dtype: 'float64', generator: new Generator(0) } as const;
  const hidden = new nn.Dense(2, 3, scratch);
  const output = new nn.Dense(3, 1, scratch);
  hidden.weight.data.set(HIDDEN_W.flat());
  hidden.bias!.data.fill(0);
  output.weight.data.set(OUTPUT_W.flat());
  output.bias!.data.fill(0);
  return { hidden, output, model: new nn.Sequential(hidden, new nn.ReLU(), output) };
}

const x = () => tensor(X, { dtype: 'float64' });
const y = () => tensor(TARGET, { dtype: 'float64' });

/** The single-sample squared error (ŷ − y)², the convention the stated derivatives imply. */
function squaredError(prediction: Tensor): Tensor {
  return nn.mseLoss(prediction, y(), { reduction: 'sum' });
}

interface Gradients {
  outputWeight: number[];
  outputBias: number;
  hiddenWeight: number[][];
  hiddenBias: number[];
}

function gradientsOf(net: Net): Gradients {
  return {
    outputWeight: (net.output.weight.grad!.toArray() as number[][])[0],
    outputBias: net.output.bias!.grad!.item(),
    hiddenWeight: net.hidden.weight.grad!.toArray() as number[][],
    hiddenBias: net.hidden.bias!.grad!.toArray() as number[],
  };
}

interface Parameters {
  hiddenWeight: number[][];
  hiddenBias: number[];
  outputWeight: number[];
  outputBias: number;
}

function parametersOf(net: Net): Parameters {
  return {
    hiddenWeight: net.hidden.weight.toArray() as number[][],
    hiddenBias: net.hidden.bias!.toArray() as number[],
    outputWeight: (net.output.weight.toArray() as number[][])[0],
    outputBias: net.output.bias!.item(),
  };
}

/** Forward without recording: pre-activations z, prediction ŷ and loss L. */
function evaluate(net: Net): { z: number[]; yhat: number; loss: number } {
  return noGrad(() => {
    const z = net.hidden.forward(x());
    const yhat = net.output.forward(z.relu());
    return { z: (z.toArray() as number[][])[0], yhat: yhat.item(), loss: squaredError(yhat).item() };
  });
}

/** One SGD step from the initial weights; `maximize` applies the document's "+" rule (w ← w + lr·∂L/∂w). */
function stepFromStart(lr: number, maximize = false) {
  const net = makeNet();
  const opt = new optim.SGD(net.model.parameters(), { lr, maximize });
  opt.zeroGrad();
  squaredError(net.model.forward(x())).backward();
  opt.step();
  return { params: parametersOf(net), ...evaluate(net) };
}

const f = (v: number, dp = 4) => Number(v.toFixed(dp)).toString();
const vec = (vs: number[], dp = 4) => `(${vs.map((v) => f(v, dp)).join(', ')})`;

export function run(): ExampleResult & {
  z: number[]; h: number[]; yhat: number; loss: number;
  grads: Gradients; sumSquaredGrads: number; matchesDocument: boolean;
  halfGrads: Gradients;
  after: Parameters & { z: number[]; yhat: number; loss: number };
  lossAfterLr: { '0.01': number; '0.001': number };
  documentRule: { z: number[]; yhat: number; loss: number };
} {
  // Forward and backward, keeping z and h for the worked answer.
  const net = makeNet();
  const zT = net.hidden.forward(x());
  const hT = zT.relu();
  const yhatT = net.output.forward(hT);
  const lossT = squaredError(yhatT);
  lossT.backward();
  const grads = gradientsOf(net);
  const z = (zT.toArray() as number[][])[0];
  const h = (hT.toArray() as number[][])[0];
  const yhat = yhatT.item();
  const loss = lossT.item();
  const all = net.model.parameters().map((p) => p.grad!);
  const sumSquaredGrads = all.reduce((s, g) => s + g.square().sum().item(), 0);
  const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) <= 1e-9);
  const matchesDocument = close(grads.outputWeight, DOCUMENT.outputWeight)
    && close([grads.outputBias], [DOCUMENT.outputBias])
    && close(grads.hiddenWeight.flat(), DOCUMENT.hiddenWeight.flat())
    && close(grads.hiddenBias, DOCUMENT.hiddenBias);

  // The ½(ŷ − y)² convention, to show that it would halve every stated derivative.
  const halfNet = makeNet();
  squaredError(halfNet.model.forward(x())).mul(0.5).backward();
  const halfGrads = gradientsOf(halfNet);

  // The corrected step (descent), then smaller learning rates, then the document's "+" rule.
  const corrected = stepFromStart(0.1);
  const after = { ...corrected.params, z: corrected.z, yhat: corrected.yhat, loss: corrected.loss };
  const lr01 = stepFromStart(0.01);
  const lr001 = stepFromStart(0.001);
  const plus = stepFromStart(0.1, true);

  const d = DOCUMENT;
  return {
    z, h, yhat, loss, grads, sumSquaredGrads, matchesDocument, halfGrads, after,
    lossAfterLr: { '0.01': lr01.loss, '0.001': lr001.loss },
    documentRule: { z: plus.z, yhat: plus.yhat, loss: plus.loss },
    summary: `L = ${f(loss)}, all 13 gradients ${matchesDocument ? 'match' : 'DIFFER FROM'} the document (inputs reconstructed); `
      + `after w ← w − 0.1·∂L/∂w, L = ${f(after.loss)}; the document's "+" rule is an erratum`,
    agrees: 'erratum',
    lines: [
      'reading (figure missing, reconstructed from the stated derivatives as EXAMS.md): hidden ReLU units with weights '
        + `(w11, w12) = ${vec(HIDDEN_W[0])}, (w21, w22) = ${vec(HIDDEN_W[1])}, (w31, w32) = ${vec(HIDDEN_W[2])}; `
        + `linear output with (w1, w2, w3) = ${vec(OUTPUT_W[0])}; all biases 0; loss L = (ŷ − y)² (no ½)`,
      `inputs: x = ${vec(X[0])}, target y = ${TARGET[0][0]}, lr 0.1`,
      `forward: z = ${vec(z)}, h = relu(z) = ${vec(h)}, ŷ = ${f(yhat)}, L = (ŷ − y)² = ${f(loss)}`,
      `backward (backward()), δ_o = ∂L/∂ŷ = 2(ŷ − y) = ${f(grads.outputBias)}:`,
      `  output: ∂L/∂(w1, w2, w3) = ${vec(grads.outputWeight)}, ∂L/∂b_o = ${f(grads.outputBias)}   `
        + `(document: ${vec(d.outputWeight)}, ${d.outputBias})`,
      ...[0, 1, 2].map((j) => `  hidden ${j + 1}: ∂L/∂(w${j + 1}1, w${j + 1}2) = ${vec(grads.hiddenWeight[j])}, `
        + `∂L/∂b${j + 1} = ${f(grads.hiddenBias[j])}   (document: ${vec(d.hiddenWeight[j])}, ${d.hiddenBias[j]})`),
      `  Σ g² over the 13 derivatives = ${f(sumSquaredGrads)}; with ½(ŷ − y)² every one halves (∂L/∂w1 = ${f(halfGrads.outputWeight[0])})`,
      'corrected step, optim.SGD(lr 0.1): w ← w − 0.1·∂L/∂w',
      `  output: (w1, w2, w3) = ${vec(after.outputWeight)}, b_o = ${f(after.outputBias)}`,
      ...[0, 1, 2].map((j) => `  hidden ${j + 1}: ${vec(after.hiddenWeight[j])}, b${j + 1} = ${f(after.hiddenBias[j])}`),
      `  after the step: z = ${vec(after.z)}, ŷ = ${f(after.yhat)}, L = ${f(after.loss)} (lr 0.1 overshoots: the first-order `
        + `decrease 0.1·Σg² = ${f(0.1 * sumSquaredGrads)} is far more than L = ${f(loss)})`,
      `  L after one step with lr 0.01: ${f(lr01.loss)}; with lr 0.001: ${f(lr001.loss)}`,
      `document: the 13 derivatives above (${matchesDocument ? 'all equal to the library\'s' : 'NOT all equal'}), `
        + 'and the update w_j ← w_j + 0.1·∂L/∂w_j',
      `  the document's "+" rule (SGD with maximize): z = ${vec(plus.z)}, ŷ = ${f(plus.yhat)}, L = ${f(plus.loss)}`,
      'erratum: the update w_j ← w_j + 0.1·∂L/∂w_j must be w_j ← w_j − 0.1·∂L/∂w_j (and the loss is (ŷ − y)², '
        + `no ½, though unstated); even the corrected step raises L from ${f(loss)} to ${f(after.loss, 2)} at lr 0.1, `
        + `the "+" step to ${f(plus.loss, 2)}`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
