/**
 * `npm run bench`: tapegrad against tfjs-cpu, tfjs-wasm and convnetjs, all in this one process.
 *
 *   npm run bench                       W1–W4, the matmul variants, and the 10,000-step W2 memory probe
 *   npm run bench -- --quick            a smoke run: few rounds, fewer variants, a short memory probe (< 1 min)
 *   npm run bench -- --only W1,W3       some of W1, W2, W3, W4, variants, memory
 *   npm run bench -- --rounds 15 --warmup 5 --no-memory
 *   npm run bench -- --memory-steps 20000 --memory-first 2000 --out /tmp/results.json
 *
 * Each workload warms every library up, then runs rounds in which every library runs once, in an order that
 * rotates each round; a figure is the median over the rounds. Every library's result is checked (products against
 * float64 references at sampled points, training losses falling and following tapegrad's path); a wrong result is
 * printed as WRONG and makes the exit status 1. The figures and every timing go to bench/results.json.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadPeers } from './harness/peers.js';
import { LIBS, type RunOptions, type Workload, type WorkloadResult, measure } from './harness/runner.js';
import { checkLines, formatMs, mainTables, targetLines, targets, variantTable } from './harness/report.js';
import { variantWorkloads, w1Workload } from './matmul.bench.js';
import { w2Workload, w3Workload } from './training.bench.js';
import { w4Workload } from './conv.bench.js';
import type { MemoryReport } from './memory-w2.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..');
const SECTIONS = ['W1', 'W2', 'W3', 'W4', 'variants', 'memory'] as const;
type Section = (typeof SECTIONS)[number];

interface Options {
  quick: boolean;
  only: Set<Section>;
  main: RunOptions;
  variants: RunOptions;
  squares: number[];
  memorySteps: number;
  memoryFirst: number;
  out: string;
}

function parseArgs(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (name: string, fallback: number, min: number): number => {
    const v = value(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${name}: expected an integer ≥ ${min}, got ${v}`);
    return n;
  };
  const only = new Set<Section>(SECTIONS);
  const list = value('--only');
  if (list !== undefined) {
    only.clear();
    for (const s of list.split(',')) {
      if (!(SECTIONS as readonly string[]).includes(s)) throw new RangeError(`--only: unknown section ${s} (expected ${SECTIONS.join(', ')})`);
      only.add(s as Section);
    }
  }
  if (argv.includes('--no-memory')) only.delete('memory');
  // 12 rounds balance the order of 4 libraries (period 4) and of 3 (period 6) alike; see roundOrder.
  const rounds = int('--rounds', quick ? 3 : 12, 1);
  const warmup = int('--warmup', quick ? 1 : 3, 0);
  return {
    quick,
    only,
    main: { warmup, rounds, minTimingMs: 10 },
    variants: { warmup: Math.min(warmup, 2), rounds: quick ? Math.min(rounds, 2) : Math.max(rounds, 7), minTimingMs: quick ? 5 : 20 },
    squares: quick ? [128] : [128, 256, 512],
    memorySteps: int('--memory-steps', quick ? 60 : 10_000, 2),
    memoryFirst: int('--memory-first', quick ? 20 : 1_000, 1),
    out: value('--out') ?? resolve(HERE, 'results.json'),
  };
}

function runMemoryProbe(steps: number, first: number): MemoryReport {
  const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', resolve(HERE, 'memory-w2.ts'), String(steps), String(first)], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`the memory probe failed (status ${r.status}, signal ${r.signal})${r.error ? `: ${r.error.message}` : ''}`);
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as MemoryReport;
}

/**
 * Flat means: between the two readings the heap and the typed-array memory each grew by under 1 MB. Keeping one
 * small tensor alive per step would add a few hundred bytes of heap a step (about 3 MB over 9,000 steps); keeping
 * one step's activations would add tens of kilobytes of array buffers a step.
 */
const MEMORY_TOLERANCE_BYTES = 1024 * 1024;

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const load0 = loadavg();
  const cpu = cpus();
  console.log(`tapegrad benchmarks${opts.quick ? ' (--quick: a smoke run, not figures to quote)' : ''}`);
  console.log(`node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, load average ${load0.map((l) => l.toFixed(2)).join(' ')}`);
  if (load0[0] > cpu.length * 0.5) console.log(`note: the machine is busy (1-min load ${load0[0].toFixed(2)} on ${cpu.length} cores); figures will be noisy, ratios less so (the libraries alternate)`);
  console.log(`main workloads: ${opts.main.warmup} warm-up run(s), then the median of ${opts.main.rounds} interleaved rounds`);

  const peers = await loadPeers();
  console.log(`tfjs ${peers.tf.version.tfjs}: cpu backend, wasm backend ${peers.wasmError ? `unavailable (${peers.wasmError})` : `with ${peers.wasmThreads} thread(s)`}; convnetjs 0.3\n`);

  const builders: Array<[Section, () => Workload]> = [
    ['W1', () => w1Workload(peers)],
    ['W2', () => w2Workload(peers)],
    ['W3', () => w3Workload(peers)],
    ['W4', () => w4Workload(peers)],
  ];
  const mainResults: WorkloadResult[] = [];
  for (const [section, build] of builders) {
    if (!opts.only.has(section)) continue;
    const t0 = Date.now();
    const r = await measure(build(), opts.main);
    mainResults.push(r);
    console.log(`  ${section} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }

  const variantResults: WorkloadResult[] = [];
  if (opts.only.has('variants')) {
    const t0 = Date.now();
    for (const w of variantWorkloads(peers, opts.squares)) variantResults.push(await measure(w, opts.variants));
    console.log(`  matmul variants (${variantResults.length}) done in ${((Date.now() - t0) / 1000).toFixed(1)} s (median of ${opts.variants.rounds} rounds each)`);
  }

  const libs = LIBS;
  if (mainResults.length > 0) {
    console.log(`\n## Workloads (median ms; GFLOPS where the FLOP count is fixed)\n`);
    console.log(mainTables(mainResults, libs));
  }
  if (variantResults.length > 0) {
    console.log(`\n## Matmul variants: C = op(A)·op(B), m×k×n${opts.quick ? ' (--quick: n = 128 and the W2 shapes only)' : ''}\n`);
    console.log(variantTable(variantResults));
  }

  const all = [...mainResults, ...variantResults];
  console.log('\n## Checks');
  const lines = [...checkLines(mainResults, false), ...checkLines(variantResults, true)];
  const wrong = all.flatMap((r) => Object.values(r.cells)).filter((c) => c?.status === 'wrong').length;
  const variantOk = variantResults.flatMap((r) => Object.values(r.cells)).filter((c) => c?.status === 'ok').length;
  if (variantResults.length > 0) lines.push(`  ok     matmul variants: ${variantOk} results within the float32 error bound at sampled points`);
  console.log(lines.join('\n'));

  let memory: (MemoryReport & { flat: boolean; lossFell: boolean }) | { error: string } | null = null;
  if (opts.only.has('memory')) {
    console.log(`\n## Memory: ${opts.memorySteps.toLocaleString('en')} W2 steps in a child process (node --expose-gc), heap after gc at step ${opts.memoryFirst.toLocaleString('en')} and at the end`);
    try {
      const m = runMemoryProbe(opts.memorySteps, opts.memoryFirst);
      // Only growth counts against flatness: memory handed back (a smaller reading at the end) is no leak.
      const flat = m.heapGrowth < MEMORY_TOLERANCE_BYTES && m.arrayBuffersGrowth < MEMORY_TOLERANCE_BYTES;
      memory = { ...m, flat, lossFell: m.lastLoss < m.firstLoss };
      const mb = (b: number) => `${(b / 1024 / 1024).toFixed(2)} MB`;
      const signed = (b: number) => `${b >= 0 ? '+' : '−'}${mb(Math.abs(b))}`;
      console.log(`  heapUsed:     ${mb(m.heapAtFirst)} at step ${m.first}, ${mb(m.heapAtEnd)} at step ${m.steps} (${signed(m.heapGrowth)})`);
      console.log(`  arrayBuffers: ${mb(m.arrayBuffersAtFirst)} at step ${m.first}, ${mb(m.arrayBuffersAtEnd)} at step ${m.steps} (${signed(m.arrayBuffersGrowth)})`);
      const heaps = m.series.map((r) => r.heap);
      if (m.series.length > 2) console.log(`  heapUsed at every ${m.first.toLocaleString('en')} steps ranged over ${mb(Math.min(...heaps))} – ${mb(Math.max(...heaps))}`);
      console.log(`  ${flat ? 'flat' : 'NOT FLAT'} (growth under ${mb(MEMORY_TOLERANCE_BYTES)} each); loss ${m.firstLoss.toFixed(4)} → ${m.lastLoss.toFixed(4)}; ${formatMs(m.msPerStep)} per step`);
    } catch (e) {
      memory = { error: e instanceof Error ? e.message : String(e) };
      console.log(`  the probe failed: ${memory.error}`);
    }
  }

  const t = targets(mainResults, opts.quick ? [] : variantResults);
  const lines2 = targetLines(t);
  if (memory && 'flat' in memory && !opts.quick) lines2.push(`  ${memory.flat ? 'met' : 'NOT'}  W2 heap flat over ${memory.steps.toLocaleString('en')} steps`);
  if (lines2.length > 0) {
    console.log(`\n## Targets of issue 6${opts.quick ? ' (a --quick run cannot settle them)' : ''}`);
    console.log(lines2.join('\n'));
  }

  const load1 = loadavg();
  const results = {
    date: new Date().toISOString(),
    quick: opts.quick,
    node: process.version,
    cpu: cpu[0]?.model ?? null,
    cores: cpu.length,
    loadAverage: { start: load0, end: load1 },
    tfjs: { version: peers.tf.version.tfjs, wasmThreads: peers.wasmThreads, wasmError: peers.wasmError },
    options: { main: opts.main, variants: opts.variants, squares: opts.squares },
    workloads: mainResults,
    matmulVariants: variantResults,
    memory,
    targets: t,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync(opts.out, JSON.stringify(results, null, 1) + '\n');
  console.log(`\nwrote ${opts.out} (${results.seconds.toFixed(0)} s in all; load average at the end ${load1.map((l) => l.toFixed(2)).join(' ')})`);
  const memoryBad = memory !== null && (!('flat' in memory) || !memory.lossFell || (!opts.quick && !memory.flat));
  return wrong > 0 || memoryBad ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(2);
  },
);
