import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// The probe runs in its own process so that it can call gc() (--expose-gc) and so that nothing vitest holds on to
// (module graph, results, other test files) shows up in its heap readings.
function runProbe(): Record<string, number> & { w: number[] } {
  const result = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/memory/steps.ts'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) {
    throw new Error(`the memory probe failed (status ${result.status}, signal ${result.signal}):\n${result.stderr}${result.error ?? ''}`);
  }
  const lines = result.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

describe('memory', () => {
  it('20,000 training steps keep heapUsed flat: nothing global holds on to finished graphs', () => {
    const r = runProbe();
    expect(r.steps).toBe(20_000);
    expect(r.warmup).toBe(2_000);

    // The loop really trained: the data are y = x·[2, -1, 0.5] + 0.3 plus noise of σ = 0.01, so the weights must
    // land near those values and the loss near σ² = 1e-4 (from well above 1 at w = 0, b = 0).
    expect(r.lastLoss).toBeLessThan(r.firstLoss / 1000);
    expect(r.lastLoss).toBeLessThan(1e-3);
    [2, -1, 0.5].forEach((v, i) => expect(r.w[i]).toBeCloseTo(v, 1));
    expect(r.b).toBeCloseTo(0.3, 1);

    // Tolerance: 1 MB over the 18,000 steps after warm-up is ~55 bytes a step. Each step makes a few kilobytes of
    // graph (tensors, tape nodes, saved inputs), and keeping even one 1-element tensor a step alive grows the heap by
    // about 5.8 MB here (keeping every loss, hence every graph: about 60 MB), while run-to-run noise after a full gc
    // was within ±0.2 MB.
    const MB = 1024 * 1024;
    expect(r.growth).toBeLessThan(1 * MB);
  });
});
