/**
 * The interleaved runner. Every library's subject for a workload is built first; then all of them warm up, and
 * then each round runs every library once, in an order that changes from round to round (a carry-over-balanced
 * Latin square, see roundOrder), so that load from other processes, the CPU's clock and the garbage one library
 * leaves for the collector fall on all libraries alike.
 * A timing is the median over the rounds. Nothing here decides what is fast: it records what it measured and
 * whether the result was right.
 * @module
 */
import { type CheckResult, checkLossFalls, checkTrajectory, type TrajectoryTolerance } from './checks.js';
import { gflops, median, roundOrder } from './stats.js';
import { errorMessage } from './peers.js';

export const LIBS = ['tapegrad', 'tfjs-cpu', 'tfjs-wasm', 'convnetjs'] as const;
export type Lib = (typeof LIBS)[number];
export const PEERS: readonly Lib[] = LIBS.filter((l) => l !== 'tapegrad');

/** One library set up to run one workload. */
export interface Subject {
  /** Untimed, before every run: make the library current (a tfjs backend switch). */
  enter?(): Promise<void>;
  /** The timed work: one forward, or one whole training step including reading the loss back. */
  run(): void;
  /** After the last round: whether the result is right. Training subjects also hand over their losses. */
  verify(): CheckResult;
  /** Loss of every step run so far, warm-up included (training workloads). */
  losses?: number[];
  dispose?(): void;
  /** Says what the figure measures when it is not literally the workload. */
  note?: string;
}

/** A subject to build, or the reason a library cannot express the workload. */
export type SubjectEntry = { build: () => Promise<Subject> } | { na: string };

export interface Workload {
  id: string;
  title: string;
  /** Floating-point operations of one run (to report GFLOPS), if meaningful. */
  flops?: number;
  /** A training step: one run is one step; the losses are checked and compared with tapegrad's. */
  training?: { trajectory: TrajectoryTolerance };
  subjects: Partial<Record<Lib, SubjectEntry>>;
}

export interface CellResult {
  lib: Lib;
  /** ok: timed and right; wrong: timed but the check failed; fails: the library could not run it; n/a: cannot express it. */
  status: 'ok' | 'wrong' | 'fails' | 'n/a';
  reason?: string;
  /** Milliseconds per run, one entry per round. */
  timingsMs: number[];
  medianMs?: number;
  gflops?: number;
  /** Runs per timing (short forwards repeat to get above the timer's noise; training steps never repeat). */
  reps: number;
  check?: CheckResult;
  note?: string;
}

export interface WorkloadResult {
  id: string;
  title: string;
  flops?: number;
  cells: Partial<Record<Lib, CellResult>>;
  /** peer ms / tapegrad ms, for each peer with a valid timing (> 1: tapegrad is faster). */
  speedup: Partial<Record<Lib, number>>;
}

export interface RunOptions {
  warmup: number;
  rounds: number;
  /** A timing of a forward workload repeats the run until it lasts about this long (0: never repeat). */
  minTimingMs: number;
}

interface Live {
  lib: Lib;
  subject: Subject;
  cell: CellResult;
}

export async function measure(w: Workload, opts: RunOptions): Promise<WorkloadResult> {
  const cells: Partial<Record<Lib, CellResult>> = {};
  let live: Live[] = [];
  for (const lib of LIBS) {
    const entry = w.subjects[lib];
    if (!entry) continue;
    if ('na' in entry) {
      cells[lib] = { lib, status: 'n/a', reason: entry.na, timingsMs: [], reps: 0 };
      continue;
    }
    const cell: CellResult = { lib, status: 'ok', timingsMs: [], reps: 1 };
    cells[lib] = cell;
    try {
      const subject = await entry.build();
      cell.note = subject.note;
      live.push({ lib, subject, cell });
    } catch (e) {
      Object.assign(cell, { status: 'fails', reason: `setup: ${errorMessage(e)}` });
    }
  }

  const fail = (l: Live, e: unknown): void => {
    Object.assign(l.cell, { status: 'fails', reason: errorMessage(e), timingsMs: [] });
    try {
      l.subject.dispose?.();
    } catch {
      // a failed subject may not dispose cleanly; its reason is already recorded
    }
    live = live.filter((x) => x !== l);
  };

  for (let i = 0; i < opts.warmup; i++) {
    for (const l of roundOrder(live, i)) {
      try {
        await l.subject.enter?.();
        const t0 = performance.now();
        l.subject.run();
        const dt = performance.now() - t0;
        if (!w.training && opts.minTimingMs > 0) l.cell.reps = Math.max(1, Math.ceil(opts.minTimingMs / Math.max(dt, 1e-3)));
      } catch (e) {
        fail(l, e);
      }
    }
  }

  for (let r = 0; r < opts.rounds; r++) {
    for (const l of roundOrder(live, r)) {
      try {
        await l.subject.enter?.();
        const reps = l.cell.reps;
        const t0 = performance.now();
        for (let k = 0; k < reps; k++) l.subject.run();
        l.cell.timingsMs.push((performance.now() - t0) / reps);
      } catch (e) {
        fail(l, e);
      }
    }
  }

  for (const l of live) {
    try {
      await l.subject.enter?.();
      let check = l.subject.verify();
      if (check.ok && w.training) {
        const falls = checkLossFalls(l.subject.losses ?? [], opts.warmup);
        check = falls.ok ? { ok: true, detail: [falls.detail, check.detail].filter((t) => t !== '').join('; ') } : falls;
      }
      l.cell.check = check;
      if (!check.ok) Object.assign(l.cell, { status: 'wrong', reason: check.detail });
    } catch (e) {
      Object.assign(l.cell, { status: 'wrong', reason: `verify: ${errorMessage(e)}` });
    }
  }

  // A peer that follows a different loss path from the same start did a different computation. The comparison
  // alone cannot say which side is wrong: when every peer differs from tapegrad, tapegrad is the odd one out.
  const ref = live.find((l) => l.lib === 'tapegrad' && l.cell.status === 'ok');
  if (w.training && ref) {
    const compared = live.filter((l) => l !== ref && l.cell.status === 'ok');
    const paths = compared.map((l) => ({ l, path: checkTrajectory(ref.subject.losses ?? [], l.subject.losses ?? [], w.training!.trajectory) }));
    for (const { l, path } of paths) l.cell.check = { ok: path.ok, detail: [l.cell.check?.detail ?? '', path.detail].filter((t) => t !== '').join('; ') };
    const differing = paths.filter((p) => !p.path.ok);
    if (differing.length > 0 && differing.length === paths.length && paths.length >= 2) {
      Object.assign(ref.cell, { status: 'wrong', reason: `its losses differ from every peer's: ${differing.map((p) => `${p.l.lib}: ${p.path.detail}`).join('; ')}` });
    } else {
      for (const { l, path } of differing) Object.assign(l.cell, { status: 'wrong', reason: `differs from tapegrad: ${path.detail}` });
    }
  }

  for (const l of live) {
    l.subject.dispose?.();
    if (l.cell.timingsMs.length > 0) {
      l.cell.medianMs = median(l.cell.timingsMs);
      if (w.flops) l.cell.gflops = gflops(w.flops, l.cell.medianMs);
    }
  }

  const speedup: Partial<Record<Lib, number>> = {};
  const base = cells.tapegrad;
  if (base?.status === 'ok' && base.medianMs) {
    for (const lib of PEERS) {
      const c = cells[lib];
      if (c?.status === 'ok' && c.medianMs) speedup[lib] = c.medianMs / base.medianMs;
    }
  }
  return { id: w.id, title: w.title, flops: w.flops, cells, speedup };
}
