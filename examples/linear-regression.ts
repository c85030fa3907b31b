/**
 * Training with nothing but tensors and backward(): fit y = 3x − 2 (plus seeded noise) with full-batch gradient
 * descent, updating the parameters in place under noGrad, as an optimizer does.
 */
import { Generator, noGrad, randn, tensor, zeros } from '../src/index.js';
import { type ExampleResult, printIfMain } from './lib/example.js';
import { lineChart } from './lib/plot.js';

export const meta = { id: 'linear-regression', title: 'fit y = 3x − 2 by gradient descent on the tape' };

export function run(): ExampleResult & { w: number; b: number; losses: number[] } {
  const g = new Generator(0);
  const x = randn([64, 1], { generator: g });
  const y = x.mul(3).sub(2).add(randn([64, 1], { generator: g }).mul(0.1));
  const w = zeros([1, 1], { requiresGrad: true });
  const b = zeros([1], { requiresGrad: true });
  const lr = tensor(0.1);
  const losses: number[] = [];
  for (let step = 0; step < 100; step++) {
    const loss = x.matmul(w).add(b).sub(y).square().mean();
    w.grad = null;
    b.grad = null;
    loss.backward();
    noGrad(() => {
      for (const p of [w, b]) p.data.set(p.sub(p.grad!.mul(lr)).data);
    });
    losses.push(loss.item());
  }
  const wv = w.item();
  const bv = b.item();
  return {
    w: wv, b: bv, losses,
    summary: `w = ${wv.toFixed(3)}, b = ${bv.toFixed(3)} (true 3, −2); loss ${losses[0].toFixed(3)} → ${losses[99].toFixed(4)}`,
    agrees: 'n/a',
    plots: [lineChart({
      name: 'loss', title: 'MSE during gradient descent (lr 0.1)',
      x: { label: 'step' }, y: { label: 'training MSE', log: true },
      series: [{ name: 'full batch', points: losses.map((l, i) => [i + 1, l] as const) }],
    })],
    lines: [
      '64 points y = 3x − 2 + 0.1·noise (seed 0), w and b from 0, lr 0.1, 100 full-batch steps of MSE',
      `loss: step 1 ${losses[0].toFixed(4)}, step 10 ${losses[9].toFixed(4)}, step 100 ${losses[99].toFixed(4)}`,
      `fitted w = ${wv.toFixed(4)}, b = ${bv.toFixed(4)}`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
