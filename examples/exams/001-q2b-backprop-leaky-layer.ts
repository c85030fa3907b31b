/**
 * Exam 001, Problem 2(b): backpropagation through one layer h = W x, g = h + b, f = max(αg, g), L = ½‖f − y‖²,
 * on the numeric instance of EXAMS.md (the student's written answer is unreadable in the scan).
 *
 * W x is a bias-free Dense layer applied to one column vector (Dense keeps W as [out, in], so x·Wᵀ is W x), max(αg, g)
 * is LeakyReLU(α) (the same function for 0 < α < 1), and the loss is the summed squared error halved.
 */
import { Generator, type Tensor, tensor, nn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '001-Q2b',
  title: 'dL/dW and dL/db for h = W x, g = h + b, f = max(αg, g), L = ½‖f − y‖²',
};

export const inputs = {
  W: [[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]],
  x: [1, 2, -1],
  b: [0.1, -0.2],
  y: [1, 0],
  alpha: 0.1,
};

const f64 = { dtype: 'float64' } as const;

/** L = ½‖max(α(Wx + b), Wx + b) − y‖², built from the library's layer ops (differentiable in W, b and x). */
export function layerLoss(W: Tensor, b: Tensor, x: Tensor, y: Tensor = tensor(inputs.y, f64), alpha = inputs.alpha): Tensor {
  const f = nn.linear(x, W).add(b).leakyRelu(alpha);
  return nn.mseLoss(f, y, { reduction: 'sum' }).mul(0.5);
}

const fmt = (v: number) => v.toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(fmt).join(', ')})`;
const mat = (m: readonly number[][]) => `[${m.map(vec).join(', ')}]`;

export function run(): ExampleResult & {
  h: number[]; g: number[]; f: number[]; loss: number;
  dLdf: number[]; dLdg: number[]; dLdh: number[]; dLdb: number[]; dLdW: number[][]; dLdx: number[];
} {
  // the initial draw is overwritten with W; a generator of its own keeps it off the shared default stream
  const layer = new nn.Dense(3, 2, { bias: false, dtype: 'float64', generator: new Generator(0) });
  layer.weight.data.set(inputs.W.flat());
  const b = tensor(inputs.b, { ...f64, requiresGrad: true });
  const x = tensor(inputs.x, { ...f64, requiresGrad: true });
  const y = tensor(inputs.y, f64);

  // retainGrad() asks backward() to keep dL/d(intermediate) in the intermediate's .grad, as it does for leaves
  const h = layer.forward(x).retainGrad();
  const g = h.add(b).retainGrad();
  const f = new nn.LeakyReLU(inputs.alpha).forward(g).retainGrad();
  const L = nn.mseLoss(f, y, { reduction: 'sum' }).mul(0.5);
  L.backward();

  const arr = (t: Tensor) => Array.from(t.data);
  const r = {
    h: arr(h), g: arr(g), f: arr(f), loss: L.item(),
    dLdf: arr(f.grad!), dLdg: arr(g.grad!), dLdh: arr(h.grad!), dLdb: arr(b.grad!),
    dLdW: layer.weight.grad!.toArray() as number[][], dLdx: arr(x.grad!),
  };
  return {
    ...r,
    summary: `L = ${fmt(r.loss)}; dL/db = ${vec(r.dLdb)}; dL/dW = ${mat(r.dLdW)}`,
    agrees: 'no answer given',
    lines: [
      `inputs (column vectors, W[out][in]): W = ${mat(inputs.W)}, x = ${vec(inputs.x)}, b = ${vec(inputs.b)}, y = ${vec(inputs.y)}, α = ${inputs.alpha}`,
      `forward: h = Wx = ${vec(r.h)}, g = h + b = ${vec(r.g)}, f = max(αg, g) = ${vec(r.f)}, L = ½‖f − y‖² = ${r.loss.toFixed(6)}`,
      `backward: dL/df = f − y = ${vec(r.dLdf)}`,
      `  dL/dg = dL/df ⊙ (1 where g > 0, α where g < 0) = ${vec(r.dLdg)}`,
      `  dL/dh = dL/dg = ${vec(r.dLdh)}; dL/db = dL/dg = ${vec(r.dLdb)}`,
      `  dL/dW = (dL/dh) xᵀ = ${mat(r.dLdW)}`,
      `  dL/dx = Wᵀ (dL/dh) = ${vec(r.dLdx)}`,
      'result: dL/dW_k = ((f − y) ⊙ 𝟙_α[g]) xᵀ and dL/db = (f − y) ⊙ 𝟙_α[g], with 𝟙_α[g] = 1 for g > 0 and α for g < 0',
      "document: the student's boxed answer is unreadable in the scan (no answer to compare)",
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
