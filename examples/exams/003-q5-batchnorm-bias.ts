/**
 * 003-Q5 (RMIT COSC2779 Week 4 tutorial, Q5): batch norm right after an affine layer with a bias. In training mode
 * the batch mean contains the bias, so subtracting it removes the bias: BN(Wx + b) = BN(Wx) and ∂L/∂b = 0 for any
 * loss. BN's own shift β is what plays the bias's role.
 */
import { Generator, type Tensor, nn, noGrad, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '003-Q5',
  title: 'batch norm after an affine layer with a bias: what does increasing the bias do?',
};

export const X = [[1, 2], [0.5, -1], [-1.5, 0], [2, 1]];
/** Column convention z = Wx + b, which is how Dense stores its weight ([out][in]). */
export const W = [[0.3, -0.2], [0.1, 0.4]];
/** The fixed weights of the loss L = Σ C ⊙ BN(z), so that the loss depends on every output. */
export const C = [[0.7, -1.2], [0.4, 0.9], [-0.3, 0.5], [1.1, 0.2]];
export const BIASES = [[0, 0], [5, -3]];
export const EPS = 1e-5;

export interface Case {
  bias: number[];
  z: number[][];
  batchMean: number[];
  batchVariance: number[];
  out: number[][];
  loss: number;
  biasGrad: number[];
  weightGrad: number[][];
  outMean: number[];
  outVariance: number[];
  /** Eval mode after this one batch: the running mean, and BN's output on the same batch. */
  runningMean: number[];
  evalOut: number[][];
}

function runCase(bias: number[]): Case {
  // W and the bias overwrite the initial draws (taken from a generator of their own, not the default one).
  const dense = new nn.Dense(2, 2, { dtype: 'float64', generator: new Generator(0) });
  dense.weight.data.set(W.flat());
  dense.bias!.data.set(bias);
  const bn = new nn.BatchNorm1d(2, { eps: EPS, dtype: 'float64' });
  const x = tensor(X, { dtype: 'float64' });
  const z = dense.forward(x);
  const out = bn.forward(z);
  const loss = out.mul(tensor(C, { dtype: 'float64' })).sum();
  loss.backward();
  const rows = (t: Tensor) => t.toArray() as number[][];
  const list = (t: Tensor) => t.toArray() as number[];
  const stats = noGrad(() => ({
    batchMean: list(z.mean(0)),
    batchVariance: list(z.var(0, { correction: 0 })),
    outMean: list(out.mean(0)),
    outVariance: list(out.var(0, { correction: 0 })),
  }));
  const runningMean = list(bn.runningMean!);
  const evalOut = noGrad(() => rows(bn.eval().forward(dense.forward(x))));
  return {
    bias, z: rows(z), out: rows(out), loss: loss.item(), ...stats,
    biasGrad: list(dense.bias!.grad!), weightGrad: rows(dense.weight.grad!), runningMean, evalOut,
  };
}

const f = (v: number, dp = 4) => Number(v.toFixed(dp)).toString();
const vec = (vs: number[], dp = 4) => `(${vs.map((v) => f(v, dp)).join(', ')})`;
const maxDiff = (a: number[][], b: number[][]) => Math.max(...a.flat().map((v, i) => Math.abs(v - b.flat()[i])));

export function run(): ExampleResult & { cases: Case[]; outputDifference: number; evalDifference: number } {
  const cases = BIASES.map(runCase);
  const [zero, shifted] = cases;
  const outputDifference = maxDiff(zero.out, shifted.out);
  const evalDifference = maxDiff(zero.evalOut, shifted.evalOut);
  const expectedVar = zero.batchVariance.map((v) => v / (v + EPS));
  return {
    cases, outputDifference, evalDifference,
    summary: `BN(Wx + b) is the same for b = (0, 0) and (5, −3) (max diff ${outputDifference.toExponential(1)}), `
      + `L = ${f(zero.loss, 6)}, ∂L/∂b = ${vec(zero.biasGrad.map((g) => Math.abs(g)), 6)}: the bias has no effect`,
    agrees: 'yes',
    lines: [
      `inputs: batch X = ${X.map((r) => vec(r)).join(', ')}; W = ${W.map((r) => vec(r)).join(', ')} (z = Wx + b); `
        + `BatchNorm1d(2), γ = 1, β = 0, ε = ${EPS}, training mode (biased batch variance)`,
      `loss L = Σ C ⊙ BN(z), C = ${C.map((r) => vec(r)).join(', ')}`,
      ...cases.flatMap((c) => [
        `b = ${vec(c.bias)}:`,
        `  z rows ${c.z.map((r) => vec(r)).join(', ')}`,
        `  batch mean ${vec(c.batchMean)}, batch variance ${vec(c.batchVariance, 5)}`,
        `  BN output rows ${c.out.map((r) => vec(r)).join(', ')}`,
        `  L = ${f(c.loss, 6)}; backward(): ∂L/∂b = (${c.biasGrad.map((g) => g.toExponential(1)).join(', ')}), ∂L/∂W = ${c.weightGrad.map((r) => vec(r, 6)).join(', ')}`,
      ]),
      `the two BN outputs differ by at most ${outputDifference.toExponential(2)}: the batch mean absorbs b, and the variance does not see it`,
      `each output feature has mean ${vec(zero.outMean, 12)} and variance ${vec(zero.outVariance, 6)} = var/(var + ε) = ${vec(expectedVar, 6)}`,
      `eval mode is different: the running mean must have tracked b (after this batch ${vec(zero.runningMean)} vs `
        + `${vec(shifted.runningMean)}), and until it has the outputs differ by up to ${f(evalDifference)}; BN's β takes over the bias's role`,
      'document: "Bias will be removed by the normalization step of batch norm. Therefore it has no affect": agrees '
        + '(increasing the bias has no effect, in training mode)',
      'erratum: "no affect" should be "no effect" (typo)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
