/**
 * 002-Q5 (AML 5202 sessional 1): dense layer 4 produces z = (−10, 1, 10, −1) and is tanh-activated. (a) the local
 * gradient ∇_z tanh(z), a 4×4 Jacobian, by one backward() per output; (b) which nodes barely learn: the gradients
 * of the Dense layer's weights under an upstream gradient of ones, and what ReLU / Leaky ReLU would pass instead.
 */
import { Generator, nn, noGrad, onesLike, randn, tensor, type Tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '002-Q5',
  title: 'tanh on z = (−10, 1, 10, −1): local gradient, which nodes barely learn, and Leaky ReLU instead',
};

export const Z = [-10, 1, 10, -1];
/** Leaky ReLU's slope for negative inputs. */
export const ALPHA = 0.01;
/** Width of layer 3's activation, the input of dense layer 4 (not given; any width shows the point). */
const FAN_IN = 5;

/** The document's answers. */
const DOCUMENT = {
  q5a: 'garbled: tanh(z₂) and tanh(z₃) repeated, more rows than a 4×4 Jacobian has',
  q5b: 'nodes 1 and 3 learn practically nothing (the gradient through them is almost 0); use Leaky ReLU',
};

type Activation = 'tanh' | 'relu' | 'leakyRelu';
const ACTIVATIONS: Record<Activation, (z: Tensor) => Tensor> = {
  tanh: (z) => z.tanh(),
  relu: (z) => z.relu(),
  leakyRelu: (z) => z.leakyRelu(ALPHA),
};

/** The full Jacobian ∂act(z)_i/∂z_j, one backward per output i. */
function jacobian(act: (z: Tensor) => Tensor, values: number[]): number[][] {
  return values.map((_, i) => {
    const z = tensor(values, { dtype: 'float64', requiresGrad: true });
    act(z).select(0, i).backward();
    return Array.from(z.grad!.data);
  });
}

/**
 * Dense layer 4 (FAN_IN → 4) on a seeded input a³, its bias set so that z = W a³ + b is the question's z. Returned
 * with the input so the test can gradcheck the same layer.
 */
export function layer4(): { dense: nn.Dense; a3: Tensor } {
  const generator = new Generator(2005);
  const dense = new nn.Dense(FAN_IN, Z.length, { dtype: 'float64', generator });
  const a3 = randn([FAN_IN], { dtype: 'float64', generator });
  noGrad(() => {
    const wa = dense.weight.matmul(a3);
    dense.bias!.data.set(tensor(Z, { dtype: 'float64' }).sub(wa).data);
  });
  return { dense, a3 };
}

/** Per activation: z, dL/dz (= the bias gradient), the row norms of dL/dW, for L = Σ act(z) (upstream ones). */
function layerGradients(act: (z: Tensor) => Tensor): { z: number[]; dz: number[]; dwRowNorms: number[]; ratio01: number } {
  const { dense, a3 } = layer4();
  const z = dense.forward(a3);
  const a = act(z);
  a.backward(onesLike(a));
  const dW = dense.weight.grad!;
  const norms = dW.square().sum(1).sqrt();
  const ratio01 = norms.select(0, 0).div(norms.select(0, 1)).item();
  return { z: Array.from(z.data), dz: Array.from(dense.bias!.grad!.data), dwRowNorms: Array.from(norms.data), ratio01 };
}

export function run(): ExampleResult & {
  tanh: number[];
  /** ∂tanh(z)_i/∂z_j. */
  jacobian: number[][];
  /** Local gradients (diagonals) of each activation at Z. */
  local: Record<Activation, number[]>;
  /** Dense layer 4 with tanh / ReLU / Leaky ReLU: z, dL/dz, the norms of the rows of dL/dW, |dW row 0| / |dW row 1|. */
  layer: Record<Activation, { z: number[]; dz: number[]; dwRowNorms: number[]; ratio01: number }>;
  /** Nodes (1-based) whose tanh local gradient is below 1e-6. */
  frozenNodes: number[];
} {
  const z = tensor(Z, { dtype: 'float64' });
  const tanh = Array.from(z.tanh().data);
  const J = jacobian(ACTIVATIONS.tanh, Z);
  const local = {
    tanh: J.map((row, i) => row[i]),
    relu: jacobian(ACTIVATIONS.relu, Z).map((row, i) => row[i]),
    leakyRelu: jacobian(ACTIVATIONS.leakyRelu, Z).map((row, i) => row[i]),
  };
  const layer = {
    tanh: layerGradients(ACTIVATIONS.tanh),
    relu: layerGradients(ACTIVATIONS.relu),
    leakyRelu: layerGradients(ACTIVATIONS.leakyRelu),
  };
  const frozenNodes = local.tanh.flatMap((g, i) => (g < 1e-6 ? [i + 1] : []));
  const deadUnderRelu = local.relu.flatMap((g, i) => (g === 0 ? [i + 1] : []));

  const f2 = (v: number) => v.toFixed(2);
  const f4 = (v: number) => v.toFixed(4);
  const e = (v: number) => (Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(4) : f4(v));
  const vec = (v: number[], f: (x: number) => string) => `(${v.map(f).join(', ')})`;
  const t = layer.tanh;

  const lines = [
    `z^[4] = ${vec(Z, String)}; a^[4] = tanh z = ${vec(tanh, f4)}`,
    `(a) Jacobian ∂a_i/∂z_j by backward() of each a_i:`,
    ...J.map((row) => `    [${row.map((v) => e(v).padStart(10)).join(' ')} ]`),
    `    diagonal 1 − tanh² z = ${vec(local.tanh, e)}; off-diagonal entries 0`,
    `    rounded to 2 dp: diag${vec(local.tanh, f2)}`,
    `    document: ${DOCUMENT.q5a}; no numbers to compare`,
    `erratum: the solution Jacobian is garbled (duplicated entries, extra rows); the answer is diag${vec(local.tanh, f2)}`,
    `(b) dense layer 4 = Dense(${FAN_IN} → 4) on a seeded a^[3], bias set so that W a^[3] + b = z; upstream gradient of ones:`,
    `    tanh: dL/dz = dL/db = ${vec(t.dz, e)}; |dL/dW row i| = ${vec(t.dwRowNorms, e)}`,
    `    nodes ${frozenNodes.join(' and ')} (z = ±10) get |dW| / |dW of node 2| = ${e(t.ratio01)}: practically no learning`,
    `    ReLU local gradients ${vec(local.relu, String)}: nodes ${deadUnderRelu.join(' and ')} (z < 0) get none at all`,
    `    Leaky ReLU (α = ${ALPHA}) local gradients ${vec(local.leakyRelu, String)}: every node learns, the negative ones at rate α`,
    `    Leaky ReLU layer: |dL/dW row i| = ${vec(layer.leakyRelu.dwRowNorms, f4)}`,
    `    BatchNorm before tanh, or smaller initial weights, removes the saturation itself`,
    `    document: "${DOCUMENT.q5b}" (agrees)`,
  ];

  return {
    tanh,
    jacobian: J,
    local,
    layer,
    frozenNodes,
    summary: `∇_z tanh = diag${vec(local.tanh, f2)}; nodes ${frozenNodes.join(' and ')} barely learn; Leaky ReLU passes ${vec(local.leakyRelu, String)}`,
    agrees: 'no answer given',
    lines,
    rows: [
      { id: '002-Q5a', summary: `∇_z tanh(z) = diag${vec(local.tanh, f2)} (tiny entries ${e(local.tanh[0])}); document garbled`, agrees: 'no answer given' },
      { id: '002-Q5b', summary: `nodes ${frozenNodes.join(' and ')}: |dW| ratio ${e(t.ratio01)}; Leaky ReLU gradients ${vec(local.leakyRelu, String)}`, agrees: 'yes' },
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
