/**
 * What the runner concludes from its subjects (bench/harness/runner.ts), with fake subjects whose results are set
 * here: which cells are ok, wrong, fails or n/a, who is blamed when loss paths differ, and that every library runs
 * the warm-up and every round. No timing is asserted.
 */
import { describe, it, expect } from 'vitest';
import { type Subject, type Workload, measure } from '../../bench/harness/runner.js';

const OPTS = { warmup: 2, rounds: 5, minTimingMs: 0 };
const TOL = { first: 1e-5, later: 1e-4 };

/** A training subject whose step k reports losses[k]. */
function trainer(losses: number[], runs: { count: number }): Subject {
  const seen: number[] = [];
  return {
    losses: seen,
    run: () => {
      seen.push(losses[seen.length]);
      runs.count++;
    },
    verify: () => ({ ok: true, detail: '' }),
  };
}

const falling = (scale = 1) => Array.from({ length: 7 }, (_, k) => scale * (2.3 - 0.1 * k));

function training(subjects: Workload['subjects']): Workload {
  return { id: 'T', title: 'test', training: { trajectory: TOL }, subjects };
}

describe('measure', () => {
  it('runs every library through the warm-up and every round, and times each round once', async () => {
    const runs = { tapegrad: { count: 0 }, 'tfjs-cpu': { count: 0 } };
    const r = await measure(
      training({
        tapegrad: { build: async () => trainer(falling(), runs.tapegrad) },
        'tfjs-cpu': { build: async () => trainer(falling(), runs['tfjs-cpu']) },
      }),
      OPTS,
    );
    expect(runs.tapegrad.count).toBe(7);
    expect(runs['tfjs-cpu'].count).toBe(7);
    expect(r.cells.tapegrad!.status).toBe('ok');
    expect(r.cells['tfjs-cpu']!.status).toBe('ok');
    expect(r.cells.tapegrad!.timingsMs).toHaveLength(5);
  });

  it('marks a peer whose losses leave tapegrad\'s path as wrong, and keeps the others', async () => {
    const off = falling();
    off[4] *= 1.01; // step 5 off by 1%
    const r = await measure(
      training({
        tapegrad: { build: async () => trainer(falling(), { count: 0 }) },
        'tfjs-cpu': { build: async () => trainer(falling(), { count: 0 }) },
        convnetjs: { build: async () => trainer(off, { count: 0 }) },
      }),
      OPTS,
    );
    expect(r.cells.tapegrad!.status).toBe('ok');
    expect(r.cells['tfjs-cpu']!.status).toBe('ok');
    expect(r.cells.convnetjs!.status).toBe('wrong');
    expect(r.cells.convnetjs!.reason).toMatch(/step 5/);
    expect(r.speedup.convnetjs).toBeUndefined();
  });

  it('blames tapegrad when every peer (two or more) differs from it', async () => {
    const r = await measure(
      training({
        tapegrad: { build: async () => trainer(falling(0.5), { count: 0 }) }, // e.g. a loss halved
        'tfjs-cpu': { build: async () => trainer(falling(), { count: 0 }) },
        convnetjs: { build: async () => trainer(falling(), { count: 0 }) },
      }),
      OPTS,
    );
    expect(r.cells.tapegrad!.status).toBe('wrong');
    expect(r.cells.tapegrad!.reason).toMatch(/every peer/);
    expect(r.speedup).toEqual({});
  });

  it('marks a run whose loss does not fall over the timed steps as wrong', async () => {
    const flat = [2.3, 2.2, 2.1, 2.1, 2.1, 2.1, 2.1]; // falls only during the warm-up
    const r = await measure(training({ tapegrad: { build: async () => trainer(flat, { count: 0 }) } }), OPTS);
    expect(r.cells.tapegrad!.status).toBe('wrong');
    expect(r.cells.tapegrad!.reason).toMatch(/did not fall/);
  });

  it('reports a library that throws as fails with the reason, and one that cannot express the workload as n/a', async () => {
    const r = await measure(
      {
        id: 'F',
        title: 'forward',
        subjects: {
          tapegrad: { build: async () => ({ run: () => {}, verify: () => ({ ok: true, detail: 'fine' }) }) },
          'tfjs-cpu': { build: async () => { throw new Error('no such backend'); } },
          'tfjs-wasm': {
            build: async () => ({
              run: () => {
                throw new Error("Kernel 'Conv2DBackpropFilter' not registered");
              },
              verify: () => ({ ok: true, detail: '' }),
            }),
          },
          convnetjs: { na: 'no such layer' },
        },
      },
      OPTS,
    );
    expect(r.cells.tapegrad!.status).toBe('ok');
    expect(r.cells['tfjs-cpu']).toMatchObject({ status: 'fails', reason: 'setup: no such backend' });
    expect(r.cells['tfjs-wasm']).toMatchObject({ status: 'fails', reason: "Kernel 'Conv2DBackpropFilter' not registered", timingsMs: [] });
    expect(r.cells.convnetjs).toMatchObject({ status: 'n/a', reason: 'no such layer' });
  });

  it('marks a forward whose check fails as wrong, with the check\'s words', async () => {
    const r = await measure(
      { id: 'F', title: 'forward', subjects: { tapegrad: { build: async () => ({ run: () => {}, verify: () => ({ ok: false, detail: 'C[0,1] is off' }) }) } } },
      OPTS,
    );
    expect(r.cells.tapegrad).toMatchObject({ status: 'wrong', reason: 'C[0,1] is off' });
  });
});
