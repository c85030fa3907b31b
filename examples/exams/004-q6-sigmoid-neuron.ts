/**
 * Seed 004, Q6: one sigmoid neuron (3 inputs, no bias) trained with cross-entropy: the forward pass, the gradient
 * from backward(), one SGD step, and the document's update, which descends the log-likelihood and so raises the loss.
 */
import { Generator, type Tensor, gradcheck, nn, optim, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = { id: '004-Q6', title: 'one sigmoid neuron with cross-entropy: derive and apply a single weight update' };

/** The neuron's state at some weights. */
export interface NeuronState {
  w: number[];
  /** s = Σ w_i x_i. */
  s: number;
  /** q̂ = σ(s). */
  q: number;
  /** −[p log q̂ + (1 − p) log(1 − q̂)]. */
  ce: number;
}

export interface SigmoidNeuronResult extends ExampleResult {
  x: number[];
  p: number;
  lr: number;
  before: NeuronState;
  /** ∂CE/∂w from backward(). */
  grad: number[];
  /** (q̂ − p)·x with the library's q̂: the derived formula. */
  gradByFormula: number[];
  /** The same loss through binaryCrossEntropyWithLogits on s. */
  ceWithLogits: number;
  /** After w ← w − η ∂CE/∂w (SGD). */
  after: NeuronState;
  /** After the document's w ← w − η ∂l/∂w with l = p log q̂ + (1 − p) log(1 − q̂). */
  documentStep: NeuronState;
  /** The identity d log σ(t)/dt = σ(−t) at t = 0.7: backward() and σ(−0.7). */
  logSigmoidIdentity: { t: number; byBackward: number; sigmoidOfMinusT: number };
  /** Largest |analytic − central difference| of gradcheck on the loss as a function of w and x. */
  gradcheckMaxAbsError: number;
}

const X = [1, 2, -1];
const W0 = [0.1, -0.2, 0.3];
const P = 1;
const LR = 0.5;

function neuron(): nn.Dense {
  const layer = new nn.Dense(3, 1, { bias: false, dtype: 'float64', generator: new Generator(0) }); // weights set below
  layer.weight.data.set(W0);
  return layer;
}

const input = () => tensor([X], { dtype: 'float64' });
const target = () => tensor([[P]], { dtype: 'float64' });

function state(layer: nn.Dense): NeuronState {
  const s = layer.forward(input());
  const q = s.sigmoid();
  return { w: Array.from(layer.weight.data), s: s.item(), q: q.item(), ce: nn.binaryCrossEntropy(q, target()).item() };
}

export function run(): SigmoidNeuronResult {
  // The correct step: gradient descent on the cross-entropy.
  const layer = neuron();
  const before = state(layer);
  const s = layer.forward(input());
  const loss = nn.binaryCrossEntropy(s.sigmoid(), target());
  const ceWithLogits = nn.binaryCrossEntropyWithLogits(s, target()).item();
  const opt = new optim.SGD(layer.parameters(), { lr: LR });
  opt.zeroGrad();
  loss.backward();
  const grad = Array.from(layer.weight.grad!.data);
  const gradByFormula = X.map((xi) => (before.q - P) * xi);
  opt.step();
  const after = state(layer);

  // The document's step: its l is the log-likelihood, −CE, and it subtracts η ∂l/∂w.
  const docLayer = neuron();
  const docOpt = new optim.SGD(docLayer.parameters(), { lr: LR });
  const q = docLayer.forward(input()).sigmoid();
  const p = target();
  const logLikelihood = p.mul(q.log()).add(p.neg().add(1).mul(q.neg().add(1).log())).sum();
  docOpt.zeroGrad();
  logLikelihood.backward();
  docOpt.step();
  const documentStep = state(docLayer);

  // d log σ(t)/dt = 1 − σ(t) = σ(−t), which the document states.
  const t = tensor(0.7, { dtype: 'float64', requiresGrad: true });
  t.sigmoid().log().backward();
  const logSigmoidIdentity = { t: 0.7, byBackward: t.grad!.item(), sigmoidOfMinusT: tensor(-0.7, { dtype: 'float64' }).sigmoid().item() };

  const report = gradcheck(
    (w: Tensor, x: Tensor) => nn.binaryCrossEntropy(x.matmul(w.T).sigmoid(), target()),
    [tensor([W0], { dtype: 'float64', requiresGrad: true }), tensor([X], { dtype: 'float64', requiresGrad: true })],
  );
  const gradcheckMaxAbsError = Math.max(...report.inputs.map((r) => r.maxAbsError));

  const v = (a: number[], d = 6) => `(${a.map((e) => e.toFixed(d)).join(', ')})`;
  const show = (st: NeuronState) => `w = ${v(st.w)}: s = ${st.s.toFixed(4)}, q̂ = ${st.q.toFixed(6)}, CE = ${st.ce.toFixed(6)}`;
  const lines = [
    `x = (${X.join(', ')}), w = (${W0.join(', ')}), p = ${P}, η = ${LR}; q̂ = σ(Σ w_i x_i), no bias`,
    `forward: ${show(before)}`,
    `  binaryCrossEntropyWithLogits on s gives CE = ${ceWithLogits.toFixed(6)} (same loss, stable form)`,
    `backward: ∂CE/∂w = ${v(grad)}`,
    `  by the derivation ∂CE/∂w_i = (q̂ − p)·x_i = ${v(gradByFormula)}`,
    `  gradcheck (central differences, float64): max abs error ${gradcheckMaxAbsError.toExponential(1)}`,
    `  d log σ(t)/dt at t = 0.7: backward ${logSigmoidIdentity.byBackward.toFixed(6)}, σ(−0.7) = ${logSigmoidIdentity.sigmoidOfMinusT.toFixed(6)}`,
    `correct step w ← w − η(q̂ − p)x (optim.SGD): ${show(after)}`,
    `  CE ${before.ce.toFixed(4)} → ${after.ce.toFixed(4)}: the loss decreases`,
    `document's step w ← w − η ∂l/∂q̂ ∂q̂/∂w with l = p log q̂ + (1 − p) log(1 − q̂): ${show(documentStep)}`,
    `  CE ${before.ce.toFixed(4)} → ${documentStep.ce.toFixed(4)}: the loss increases`,
    'erratum: the document\'s l = p log q̂ + (1 − p) log(1 − q̂) is the log-likelihood (−CE), and w ← w − η ∂l/∂w descends it, '
      + `raising the CE (${before.ce.toFixed(4)} → ${documentStep.ce.toFixed(4)}); use l = −[...] or w + η ∂l/∂w, i.e. w ← w − η(q̂ − p)x `
      + `(CE → ${after.ce.toFixed(4)}). Its individual derivative formulas are correct.`,
  ];

  return {
    x: X, p: P, lr: LR, before, grad, gradByFormula, ceWithLogits, after, documentStep, logSigmoidIdentity, gradcheckMaxAbsError,
    summary: `∇w = ${v(grad, 4)}; w → ${v(after.w, 4)}, CE ${before.ce.toFixed(4)} → ${after.ce.toFixed(4)} (document's sign: ${documentStep.ce.toFixed(4)})`,
    agrees: 'erratum',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
