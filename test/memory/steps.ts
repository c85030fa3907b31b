/**
 * A memory probe, run as a child process by test/memory.test.ts (it needs --expose-gc):
 *   node --expose-gc --import tsx test/memory/steps.ts [steps]
 * It trains a tiny linear regression with the real autograd loop (ops, backward, in-place update, grads dropped)
 * and prints, as one JSON line, heapUsed after a full gc at the end of warm-up and at the end.
 */
import { Generator, noGrad, randn, zeros } from '../../src/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc !== 'function') {
  console.error('steps.ts needs node --expose-gc');
  process.exit(2);
}

const steps = Number(process.argv[2] ?? 20_000);
if (!Number.isInteger(steps) || steps < 1) {
  console.error(`steps.ts: the step count must be a positive integer, got ${process.argv[2]}`);
  process.exit(2);
}
// Warm-up lets the JIT, inline caches and V8's internal tables reach their steady size before the first reading.
const warmup = Math.min(2_000, steps);

const generator = new Generator(42);
// y = x·[2, -1, 0.5] + 0.3, plus a little noise
const x = randn([16, 3], { generator });
const trueW = [2, -1, 0.5];
const y = zeros([16, 1]);
for (let i = 0; i < 16; i++) {
  let s = 0.3 + 0.01 * generator.normal();
  for (let j = 0; j < 3; j++) s += x.data[i * 3 + j] * trueW[j];
  y.data[i] = s;
}

const w = zeros([3, 1], { requiresGrad: true });
const b = zeros([1], { requiresGrad: true });
const lr = 0.05;

function settledHeap(): number {
  // Several passes: finalizers and weak references can free more on a later pass.
  for (let i = 0; i < 4; i++) gc!();
  return process.memoryUsage().heapUsed;
}

let firstLoss = NaN;
let lastLoss = NaN;
let heapAfterWarmup = 0;
const start = Date.now();
for (let step = 1; step <= steps; step++) {
  const pred = x.matmul(w).add(b);
  const loss = pred.sub(y).square().mean();
  loss.backward();
  noGrad(() => {
    for (const p of [w, b]) {
      const g = p.grad!.data;
      for (let i = 0; i < p.data.length; i++) p.data[i] -= lr * g[i];
      p.grad = null;
    }
  });
  const value = loss.item();
  if (step === 1) firstLoss = value;
  lastLoss = value;
  if (step === warmup) heapAfterWarmup = settledHeap();
}
const heapAtEnd = settledHeap();

console.log(JSON.stringify({
  steps,
  warmup,
  firstLoss,
  lastLoss,
  heapAfterWarmup,
  heapAtEnd,
  growth: heapAtEnd - heapAfterWarmup,
  w: Array.from(w.data),
  b: b.data[0],
  ms: Date.now() - start,
}));
