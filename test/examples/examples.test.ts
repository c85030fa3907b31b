import { describe, expect, it } from 'vitest';
import * as autograd from '../../examples/autograd-basics.js';
import * as cube from '../../examples/custom-op-cube.js';
import * as regression from '../../examples/linear-regression.js';

describe('examples', () => {
  it('autograd-basics: derivatives of x³ at 2 and of a sigmoid neuron', () => {
    const r = autograd.run();
    expect(r.dydx).toBe(12); // 3x² at x = 2
    expect(r.d2ydx2).toBe(12); // 6x at x = 2
    // p = σ(0.5·1 − 0.25·2 + 0.1) = σ(0.1); dL/db = 2(p − 1)p(1 − p); dL/dw = dL/db · [1, 2]
    const p = 1 / (1 + Math.exp(-0.1));
    const db = 2 * (p - 1) * p * (1 - p);
    expect(r.neuron.db).toBeCloseTo(db, 12);
    expect(r.neuron.dw[0]).toBeCloseTo(db, 12);
    expect(r.neuron.dw[1]).toBeCloseTo(2 * db, 12);
  });

  it('custom-op-cube: the hand-written backward is 3x² and passes gradcheck; the wrong one is caught', () => {
    const r = cube.run();
    [0.5, -1.2, 2].forEach((x, i) => expect(r.grad[i]).toBeCloseTo(3 * x * x, 12));
    expect(r.maxAbsError).toBeLessThan(1e-6);
    expect(r.wrongCaught).toBe(true);
  });

  it('linear-regression: recovers w = 3 and b = −2 from noisy data', () => {
    const r = regression.run();
    // noise σ = 0.1 on 64 points: the least-squares estimates are within a few hundredths of the truth
    expect(Math.abs(r.w - 3)).toBeLessThan(0.1);
    expect(Math.abs(r.b + 2)).toBeLessThan(0.1);
    expect(r.losses[99]).toBeLessThan(r.losses[0] / 100);
  });
});
