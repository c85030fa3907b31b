/**
 * Autograd in three steps: a first derivative, a second derivative with createGraph, and the gradient of a single
 * sigmoid neuron's squared error, each compared with the derivative worked out by hand.
 */
import { tensor } from '../src/index.js';
import { type ExampleResult, printIfMain } from './lib/example.js';

export const meta = { id: 'autograd-basics', title: 'derivatives of x³ and of a sigmoid neuron, by backward()' };

export function run(): ExampleResult & { dydx: number; d2ydx2: number; neuron: { dw: number[]; db: number } } {
  // f(x) = x³ at x = 2: f' = 3x² = 12, f'' = 6x = 12.
  const x = tensor(2, { dtype: 'float64', requiresGrad: true });
  x.pow(3).backward(undefined, { createGraph: true });
  const first = x.grad!;
  const dydx = first.item();
  x.grad = null;
  first.backward();
  const d2ydx2 = x.grad!.item();

  // One neuron: p = σ(w·v + b), loss = (p − t)²; dL/dw = 2(p − t)·p(1 − p)·v, dL/db = 2(p − t)·p(1 − p).
  const w = tensor([0.5, -0.25], { dtype: 'float64', requiresGrad: true });
  const b = tensor(0.1, { dtype: 'float64', requiresGrad: true });
  const v = tensor([1, 2], { dtype: 'float64' });
  const p = w.dot(v).add(b).sigmoid();
  p.sub(1).square().backward();
  const dw = w.grad!.toArray() as number[];
  const db = b.grad!.item();
  const pv = p.item();
  const byHand = 2 * (pv - 1) * pv * (1 - pv);

  return {
    dydx, d2ydx2, neuron: { dw, db },
    summary: `d(x³)/dx = ${dydx}, d²(x³)/dx² = ${d2ydx2} at x = 2; neuron dL/db = ${db.toFixed(6)}`,
    agrees: 'n/a',
    lines: [
      `f(x) = x³ at x = 2: backward() gives f'(2) = ${dydx} (3x² = 12)`,
      `createGraph then backward() again gives f''(2) = ${d2ydx2} (6x = 12)`,
      `neuron p = σ(w·v + b) = ${pv.toFixed(6)}, loss (p − 1)²`,
      `  dL/dw = [${dw.map((g) => g.toFixed(6)).join(', ')}], dL/db = ${db.toFixed(6)}`,
      `  by hand: dL/db = 2(p − 1)·p(1 − p) = ${byHand.toFixed(6)}, dL/dw = dL/db · v`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
