/**
 * The W2 memory probe: trains the W2 MLP (784 → 256 + ReLU → 10, softmax CE, batch 64, SGD lr 0.1) for `steps`
 * steps over 8 fixed batches, and reads the heap after a full collection at step `first` and at the last step (and
 * at every multiple of `first` between, to show the trend).
 * It needs gc(), so it runs in its own process (bench/index.ts and test/memory-w2.test.ts start it):
 *   node --expose-gc --import tsx bench/memory-w2.ts [steps = 10000] [first = 1000]
 * Progress goes to stderr; the result is the last line of stdout, as JSON.
 * @module
 */
import { nn, optim, tensor } from '../src/index.js';
import { w2Data, w2TapegradModel } from './training.bench.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (typeof gc !== 'function') {
  console.error('memory-w2.ts needs node --expose-gc');
  process.exit(2);
}
const steps = Number(process.argv[2] ?? 10_000);
const first = Number(process.argv[3] ?? 1_000);
if (!Number.isInteger(steps) || !Number.isInteger(first) || first < 1 || steps <= first) {
  console.error(`memory-w2.ts: expected integers steps > first ≥ 1, got ${process.argv[2]} ${process.argv[3]}`);
  process.exit(2);
}

/** What the probe prints (and what its callers parse). */
export interface MemoryReport {
  steps: number;
  first: number;
  heapAtFirst: number;
  heapAtEnd: number;
  heapGrowth: number;
  arrayBuffersAtFirst: number;
  arrayBuffersAtEnd: number;
  arrayBuffersGrowth: number;
  firstLoss: number;
  lastLoss: number;
  msPerStep: number;
  /** Readings after a full collection at every multiple of `first` (the trend between the two that count). */
  series: Array<{ step: number; heap: number; arrayBuffers: number }>;
}

function settled(): { heap: number; arrayBuffers: number } {
  // Several passes: weak references and finalizers can free more on a later pass.
  for (let i = 0; i < 4; i++) gc!();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers };
}

const init = w2Data(7);
const model = w2TapegradModel(init);
const opt = new optim.SGD(model.parameters(), { lr: 0.1 });
const lossFn = new nn.CrossEntropyLoss();
const batches = Array.from({ length: 8 }, (_, i) => {
  const d = i === 0 ? init : w2Data(100 + i);
  return { x: tensor(d.x).reshape([d.batch, 784]), y: tensor(d.labels) };
});

let firstLoss = NaN;
let lastLoss = NaN;
let atFirst = { heap: 0, arrayBuffers: 0 };
let atEnd = { heap: 0, arrayBuffers: 0 };
const series: MemoryReport['series'] = [];
let settling = 0;
const start = performance.now();
for (let step = 1; step <= steps; step++) {
  const { x, y } = batches[step % batches.length];
  opt.zeroGrad();
  const loss = lossFn.forward(model.forward(x), y);
  loss.backward();
  opt.step();
  lastLoss = loss.item();
  if (step === 1) firstLoss = lastLoss;
  // Every reading is taken inside the loop, with the model, optimizer and batches still in use: after the loop an
  // optimised frame may treat them as dead, and a reading there came out 3.3 MB (the batches and the weights) low.
  if (step % first === 0 || step === steps) {
    const t = performance.now();
    const reading = settled();
    settling += performance.now() - t;
    if (step === first) atFirst = reading;
    if (step === steps) atEnd = reading;
    series.push({ step, ...reading });
  }
  if (step % 1000 === 0) process.stderr.write(`  memory probe: step ${step} of ${steps}\n`);
}
const ms = performance.now() - start - settling;

const report: MemoryReport = {
  steps,
  first,
  heapAtFirst: atFirst.heap,
  heapAtEnd: atEnd.heap,
  heapGrowth: atEnd.heap - atFirst.heap,
  arrayBuffersAtFirst: atFirst.arrayBuffers,
  arrayBuffersAtEnd: atEnd.arrayBuffers,
  arrayBuffersGrowth: atEnd.arrayBuffers - atFirst.arrayBuffers,
  firstLoss,
  lastLoss,
  msPerStep: ms / steps,
  series,
};
console.log(JSON.stringify(report));
