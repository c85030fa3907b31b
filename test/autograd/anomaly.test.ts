import { describe, expect, it } from 'vitest';
import {
  AnomalyError, Tensor, defineOp, detectAnomaly, isAnomalyEnabled, setDetectAnomaly, tensor,
} from '../../src/index.js';
import { thrown } from '../helpers.js';

describe('detectAnomaly: forward', () => {
  it('log(-1) throws an AnomalyError naming log and the NaN', () => {
    const err = thrown(() => detectAnomaly(() => tensor([2, -1]).log()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/^log: forward produced NaN/);
    expect(err.message).toMatch(/flat index 1/);
  });

  it('log(0) throws an AnomalyError naming log and -Infinity', () => {
    const err = thrown(() => detectAnomaly(() => tensor([0]).log()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/log.*-Infinity/);
  });

  it('names the first op that produced the NaN, not later ones', () => {
    const x = tensor([-4, 4]);
    const err = thrown(() => detectAnomaly(() => x.mul(2).sqrt().add(1).exp()));
    expect(err.message).toMatch(/^sqrt: forward/);
  });

  it('an input that already contains NaN does not blame the op consuming it', () => {
    const x = tensor([NaN, 1]);
    const y = detectAnomaly(() => x.add(1).mul(2));
    expect(Number.isNaN(y.data[0])).toBe(true);
    expect(y.data[1]).toBe(4);
  });

  it('outside detectAnomaly nothing throws', () => {
    expect(isAnomalyEnabled()).toBe(false);
    const y = tensor([-1, 0]).log();
    expect(Number.isNaN(y.data[0])).toBe(true);
    expect(y.data[1]).toBe(-Infinity);
    const x = tensor([0, 1], { requiresGrad: true });
    x.sqrt().sum().backward();
    expect(x.grad!.data[0]).toBe(Infinity);
  });

  it('returns fn’s value and switches off again, also after an error', () => {
    expect(detectAnomaly(() => 42)).toBe(42);
    expect(isAnomalyEnabled()).toBe(false);
    thrown(() => detectAnomaly(() => tensor([-1]).log()));
    expect(isAnomalyEnabled()).toBe(false);
    expect(detectAnomaly(() => isAnomalyEnabled())).toBe(true);
  });

  it('setDetectAnomaly switches it on for what follows and returns the previous setting', () => {
    expect(setDetectAnomaly(true)).toBe(false);
    try {
      expect(() => tensor([-1]).log()).toThrow(AnomalyError);
    } finally {
      expect(setDetectAnomaly(false)).toBe(true);
    }
    expect(() => tensor([-1]).log()).not.toThrow();
  });
});

describe('detectAnomaly: backward', () => {
  it('sqrt at 0 throws in the backward, naming sqrt, backward, and where sqrt was called', () => {
    const x = tensor([0, 1], { requiresGrad: true });
    const err = thrown(() => detectAnomaly(() => {
      const y = x.sqrt(); // forward is finite: √0 = 0
      y.sum().backward(); // d√x = 1 / (2√x) is Infinity at 0
    }));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/sqrt/);
    expect(err.message).toMatch(/backward/);
    expect(err.message).toMatch(/Infinity/);
    // the creation stack points at this test file
    expect(err.message).toMatch(/anomaly\.test\.ts/);
  });

  it('a user op whose backward makes NaN is reported as that op’s backward, with its call site', () => {
    const badGrad = defineOp<[Tensor]>({
      name: 'badGrad',
      forward: ([x]) => x.clone(),
      // 0/0 inside the rule: the anomaly is badGrad's backward, not the div inside it
      backward: (dy) => [dy.mul(0).div(0)],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    const err = thrown(() => detectAnomaly(() => badGrad(x).sum().backward()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/^badGrad: backward produced NaN in its gradient of input 0/);
    expect(err.message).toMatch(/anomaly\.test\.ts/);
  });

  it('an anomaly found partway leaves every gradient as it was and the graph usable (nothing half-done)', () => {
    // y = Σ √x · w: the mul is newer than the sqrt, so w (and the retained h) get their gradients before sqrt's
    // backward produces 1/(2√0) = Infinity
    const x = tensor([0, 4], { dtype: 'float64', requiresGrad: true });
    const w = tensor([3, 5], { dtype: 'float64', requiresGrad: true });
    w.grad = tensor([1, 1], { dtype: 'float64' });
    const h = x.sqrt().retainGrad();
    const y = h.mul(w).sum();
    const err = thrown(() => detectAnomaly(() => y.backward()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/^sqrt: backward produced Infinity/);
    expect(Array.from(w.grad!.data)).toEqual([1, 1]);
    expect(h.grad).toBeNull();
    expect(x.grad).toBeNull();
    // nothing was freed: without anomaly detection the same graph back-propagates (Infinity is then just a value)
    y.backward();
    expect(Array.from(w.grad!.data)).toEqual([1 + 0, 1 + 2]); // + √x
    expect(Array.from(h.grad!.data)).toEqual([3, 5]); // w
    expect(Array.from(x.grad!.data)).toEqual([Infinity, 5 / (2 * 2)]); // w / (2√x)
  });

  it('a finite backward passes, and gradients are as without anomaly detection', () => {
    const x = tensor([1, 4], { dtype: 'float64', requiresGrad: true });
    detectAnomaly(() => x.sqrt().sum().backward());
    // 1 / (2√x)
    expect(Array.from(x.grad!.data)).toEqual([0.5, 0.25]);
  });
});
