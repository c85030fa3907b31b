/**
 * `npm run bench:micro`: tapegrad's ops one by one, milliseconds per call, for catching regressions (a kernel that
 * got slower shows here before it blurs into a whole training step). Forward alone, and forward + backward where
 * the backward has a kernel of its own.
 *
 *   npm run bench:micro                          every op
 *   npm run bench:micro -- --quick               fewer, shorter samples
 *   npm run bench:micro -- --filter pool         only ops whose group or name contains "pool"
 *   npm run bench:micro -- --save before.json    keep the figures
 *   npm run bench:micro -- --compare before.json show each op against a saved run (new ms / old ms)
 *
 * A figure is the median of several samples; a sample repeats the call until it lasts about 20 ms (5 ms with
 * --quick). Noise on a shared machine is ±10–20%: compare runs made on the same machine, and look again at any op
 * flagged as slower before believing it.
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import {
  Generator, type Tensor, add, avgPool2d, batchNorm, conv2d, exp, logSoftmax, matmul, max, maxPool2d, mean, mul,
  nn, ones, optim, randint, randn, relu, sigmoid, softmax, softmaxCrossEntropy, sum, zeros,
} from '../src/index.js';
import { median } from './harness/stats.js';
import { formatMs } from './harness/report.js';

interface Case {
  group: string;
  name: string;
  shape: string;
  /** Elements the op reads from its main input (for a throughput column), if meaningful. */
  elements?: number;
  /** Prepares the inputs (untimed) and returns the call to time. */
  setup: () => () => void;
}

const g = new Generator(0);
const rnd = (shape: number[], requiresGrad = false): Tensor => randn(shape, { generator: g, requiresGrad });
const size = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);
const fmtShape = (...shapes: number[][]): string => shapes.map((s) => `[${s.join(',')}]`).join(' ');

/** forward(x) then backward with a fixed upstream gradient; the gradient is dropped so it never accumulates. */
function fwdBwd(inputs: Tensor[], forward: () => Tensor): () => void {
  const dy = randn(forward().shape, { generator: g });
  return () => {
    forward().backward(dy);
    for (const t of inputs) t.grad = null;
  };
}

function cases(): Case[] {
  const M = [256, 1024];
  const out: Case[] = [];
  const ew = (name: string, shapes: number[][], op: (a: Tensor, b: Tensor) => Tensor, backward = false): Case => ({
    group: 'elementwise',
    name: backward ? `${name} fwd+bwd` : name,
    shape: fmtShape(...shapes),
    elements: size(M),
    setup: () => {
      const a = rnd(shapes[0], backward);
      const b = rnd(shapes[1], backward);
      return backward ? fwdBwd([a, b], () => op(a, b)) : () => void op(a, b);
    },
  });
  out.push(
    ew('add', [M, M], add),
    ew('add, broadcast row', [M, [1024]], add),
    ew('mul, broadcast column', [M, [256, 1]], mul),
    ew('add, outer broadcast', [[256, 1], [1, 1024]], add),
    ew('mul', [M, M], mul, true),
    ew('add, broadcast row', [M, [1024]], add, true),
  );
  for (const [name, op] of [['relu', relu], ['exp', exp], ['sigmoid', sigmoid]] as const) {
    out.push({ group: 'elementwise', name, shape: fmtShape(M), elements: size(M), setup: () => { const x = rnd(M); return () => void op(x); } });
  }
  out.push({ group: 'elementwise', name: 'relu fwd+bwd', shape: fmtShape(M), elements: size(M), setup: () => { const x = rnd(M, true); return fwdBwd([x], () => relu(x)); } });

  const red = (name: string, op: (x: Tensor) => Tensor, backward = false): Case => ({
    group: 'reduction',
    name: backward ? `${name} fwd+bwd` : name,
    shape: fmtShape(M),
    elements: size(M),
    setup: () => {
      const x = rnd(M, backward);
      return backward ? fwdBwd([x], () => op(x)) : () => void op(x);
    },
  });
  out.push(
    red('sum, all', (x) => sum(x)),
    red('sum, dim 0', (x) => sum(x, 0)),
    red('sum, dim 1', (x) => sum(x, 1)),
    red('mean, dim 1', (x) => mean(x, 1)),
    red('max, dim 1 (values and indices)', (x) => max(x, 1).values),
    red('sum, dim 0', (x) => sum(x, 0), true),
    red('max, dim 1', (x) => max(x, 1).values, true),
  );

  const S = [256, 1000];
  out.push(
    { group: 'softmax', name: 'softmax, dim -1', shape: fmtShape(S), elements: size(S), setup: () => { const x = rnd(S); return () => void softmax(x, -1); } },
    { group: 'softmax', name: 'logSoftmax, dim -1', shape: fmtShape(S), elements: size(S), setup: () => { const x = rnd(S); return () => void logSoftmax(x, -1); } },
    { group: 'softmax', name: 'softmax fwd+bwd', shape: fmtShape(S), elements: size(S), setup: () => { const x = rnd(S, true); return fwdBwd([x], () => softmax(x, -1)); } },
  );
  for (const [n, c] of [[64, 10], [256, 1000]]) {
    out.push({
      group: 'softmax',
      name: 'softmaxCrossEntropy + mean, fwd+bwd',
      shape: fmtShape([n, c]),
      elements: n * c,
      setup: () => {
        const x = rnd([n, c], true);
        const t = randint(0, c, [n], { generator: g });
        return () => {
          softmaxCrossEntropy(x, t).mean().backward();
          x.grad = null;
        };
      },
    });
  }

  const P = [32, 8, 24, 24];
  const Q = [32, 16, 32, 32];
  const pool = (name: string, shape: number[], op: (x: Tensor) => Tensor, backward: boolean): Case => ({
    group: 'pooling',
    name: backward ? `${name} fwd+bwd` : name,
    shape: fmtShape(shape),
    elements: size(shape),
    setup: () => {
      const x = rnd(shape, backward);
      return backward ? fwdBwd([x], () => op(x)) : () => void op(x);
    },
  });
  for (const backward of [false, true]) {
    out.push(
      pool('maxPool2d 2×2', P, (x) => maxPool2d(x, { kernelSize: 2 }), backward),
      pool('avgPool2d 2×2', P, (x) => avgPool2d(x, { kernelSize: 2 }), backward),
      pool('maxPool2d 3×3 stride 2 pad 1', Q, (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }), backward),
    );
  }

  const B = [32, 16, 16, 16];
  const bn = (name: string, training: boolean, backward: boolean): Case => ({
    group: 'batchnorm',
    name: backward ? `${name} fwd+bwd` : name,
    shape: fmtShape(B),
    elements: size(B),
    setup: () => {
      const x = rnd(B, backward);
      const w = ones([16], { requiresGrad: backward });
      const b = zeros([16], { requiresGrad: backward });
      const rm = zeros([16]);
      const rv = ones([16]);
      const f = () => batchNorm(x, rm, rv, w, b, { training });
      return backward ? fwdBwd([x, w, b], f) : () => void f();
    },
  });
  out.push(bn('batchNorm2d, training', true, false), bn('batchNorm2d, training', true, true), bn('batchNorm2d, eval', false, false));

  out.push(
    {
      group: 'products',
      name: 'matmul 256×256',
      shape: fmtShape([256, 256], [256, 256]),
      setup: () => { const a = rnd([256, 256]); const b = rnd([256, 256]); return () => void matmul(a, b); },
    },
    {
      group: 'products',
      name: 'conv2d 5×5 (W3 conv 2) fwd+bwd',
      shape: fmtShape([32, 8, 12, 12], [16, 8, 5, 5]),
      setup: () => { const x = rnd([32, 8, 12, 12], true); const w = rnd([16, 8, 5, 5], true); return fwdBwd([x, w], () => conv2d(x, w)); },
    },
  );

  // The W2 model's parameters (203,530 values) with fixed gradients; a step updates them in place.
  const optCase = (name: string, make: (params: Tensor[]) => optim.Optimizer): Case => ({
    group: 'optimizer',
    name,
    shape: 'W2 parameters (203,530)',
    elements: 203_530,
    setup: () => {
      const model = new nn.Sequential(new nn.Dense(784, 256, { generator: g }), new nn.ReLU(), new nn.Dense(256, 10, { generator: g }));
      const params = model.parameters();
      for (const p of params) p.grad = randn(p.shape, { generator: g }).mul(1e-3);
      const opt = make(params);
      return () => opt.step();
    },
  });
  out.push(
    optCase('SGD step', (p) => new optim.SGD(p, { lr: 0.1 })),
    optCase('SGD step, momentum 0.9', (p) => new optim.SGD(p, { lr: 0.1, momentum: 0.9 })),
    optCase('Adam step', (p) => new optim.Adam(p, { lr: 1e-3 })),
  );
  return out;
}

interface Row {
  group: string;
  name: string;
  shape: string;
  ms: number;
  samples: number;
  reps: number;
  melemPerS?: number;
}

function measure(c: Case, sampleMs: number, samples: number): Row {
  const fn = c.setup();
  // warm-up: long enough for the JIT to compile the kernel, then one call timed to choose the repetitions
  const w0 = performance.now();
  let calls = 0;
  while (calls < 3 || (performance.now() - w0 < sampleMs && calls < 1000)) {
    fn();
    calls++;
  }
  const t0 = performance.now();
  fn();
  const one = Math.max(performance.now() - t0, 1e-4);
  const reps = Math.max(1, Math.ceil(sampleMs / one));
  const times: number[] = [];
  for (let s = 0; s < samples; s++) {
    const t = performance.now();
    for (let r = 0; r < reps; r++) fn();
    times.push((performance.now() - t) / reps);
  }
  const ms = median(times);
  return { group: c.group, name: c.name, shape: c.shape, ms, samples, reps, melemPerS: c.elements ? c.elements / (ms * 1e3) : undefined };
}

function main(): void {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const quick = argv.includes('--quick');
  const filter = value('--filter')?.toLowerCase();
  const save = value('--save');
  const compare = value('--compare');
  const baseline = new Map<string, number>();
  if (compare) {
    const old = JSON.parse(readFileSync(compare, 'utf8')) as { rows: Row[] };
    for (const r of old.rows) baseline.set(`${r.group}/${r.name}/${r.shape}`, r.ms);
  }

  const cpu = cpus();
  console.log(`tapegrad per-op microbenchmark${quick ? ' (--quick)' : ''}: node ${process.version}, ${cpu[0]?.model ?? ''}, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const selected = cases().filter((c) => !filter || `${c.group} ${c.name}`.toLowerCase().includes(filter));
  const rows: Row[] = [];
  const header = ['group', 'op', 'shape', 'ms/op', 'M elem/s', ...(compare ? ['vs baseline'] : [])];
  console.log(`\n| ${header.join(' | ')} |\n| ${header.map(() => '---').join(' | ')} |`);
  for (const c of selected) {
    const r = measure(c, quick ? 5 : 20, quick ? 3 : 9);
    rows.push(r);
    const cells = [r.group, r.name, r.shape, formatMs(r.ms).replace(' ms', ''), r.melemPerS !== undefined ? r.melemPerS.toFixed(0) : '—'];
    if (compare) {
      const old = baseline.get(`${r.group}/${r.name}/${r.shape}`);
      const ratio = old === undefined ? undefined : r.ms / old;
      cells.push(ratio === undefined ? 'new' : `${ratio.toFixed(2)}×${ratio >= 1.25 ? ' SLOWER' : ratio <= 0.8 ? ' faster' : ''}`);
    }
    console.log(`| ${cells.join(' | ')} |`);
  }
  if (compare) console.log('\nvs baseline = new ms / baseline ms: SLOWER marks ≥ 1.25×, faster ≤ 0.8×');
  if (save) {
    writeFileSync(save, JSON.stringify({ date: new Date().toISOString(), node: process.version, quick, rows }, null, 1) + '\n');
    console.log(`\nwrote ${save}`);
  }
}

main();
