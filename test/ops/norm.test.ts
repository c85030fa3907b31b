import { describe, expect, it } from 'vitest';
import { AutogradError, type DType, Generator, ShapeError, gradcheck, ones, randn, tensor, zeros } from '../../src/index.js';
import { batchNorm } from '../../src/ops/norm.js';
import { expectClose, fromValues, normals, refBatchNormalize, refBatchStats, thrown } from '../helpers.js';

const SHAPES: Array<[string, number[]]> = [
  ['(N, C)', [5, 3]],
  ['(N, C, L)', [3, 2, 4]],
  ['(N, C, H, W)', [2, 3, 3, 2]],
];

describe('batchNorm: training forward', () => {
  it('hand example: [[1, 10], [3, 30]] normalises each column to ∓1/√(1 + eps/var)', () => {
    // column 0: mean 2, biased var 1; column 1: mean 20, biased var 100
    const eps = 1e-5;
    const y = batchNorm(tensor([[1, 10], [3, 30]], { dtype: 'float64' }), null, null, null, null, { training: true });
    const a = 1 / Math.sqrt(1 + eps);
    const b = 10 / Math.sqrt(100 + eps);
    expectClose(y.data, [-a, -b, a, b], 1e-15);
    expect(y.shape).toEqual([2, 2]);
  });

  for (const dtype of ['float32', 'float64'] as DType[]) {
    for (const [label, shape] of SHAPES) {
      it(`${label} ${dtype}: batch mean and biased variance over every dim but 1, then weight and bias`, () => {
        const xv = normals(shape, 11, 2, 0.5);
        const C = shape[1];
        const w = normals([C], 12);
        const b = normals([C], 13);
        const x = tensor(xv, { dtype }).reshape(shape);
        const y = batchNorm(x, null, null, tensor(w, { dtype }), tensor(b, { dtype }), { training: true, eps: 1e-3 });
        // the reference reads the values as stored (float32 rounds them)
        const stored = Array.from(x.data);
        const { mean, biasedVar } = refBatchStats(stored, shape);
        const wStored = Array.from(tensor(w, { dtype }).data);
        const bStored = Array.from(tensor(b, { dtype }).data);
        expect(y.dtype).toBe(dtype);
        expect(y.shape).toEqual(shape);
        expectClose(y.data, refBatchNormalize(stored, shape, mean, biasedVar, 1e-3, wStored, bStored), dtype === 'float64' ? 1e-13 : 1e-6);
      });
    }
  }

  it('each channel of the output has mean 0 and biased variance var/(var + eps) without affine', () => {
    const shape = [4, 3, 5];
    const xv = normals(shape, 3, 3, -2);
    const eps = 1e-5;
    const y = batchNorm(fromValues(xv, shape), null, null, null, null, { training: true, eps });
    const before = refBatchStats(xv, shape);
    const after = refBatchStats(y.data, shape);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(after.mean[c])).toBeLessThan(1e-14);
      expect(after.biasedVar[c]).toBeCloseTo(before.biasedVar[c] / (before.biasedVar[c] + eps), 12);
    }
  });

  it('stays exact with a large mean (two-pass variance, no E[x²] − E[x]² cancellation)', () => {
    // values 1e8 + [0, 1, 2, 3] in one channel: mean 1e8 + 1.5, biased variance 1.25. E[x²] ≈ 1e16 is beyond
    // 2⁵³, so the one-pass formula would lose the variance entirely.
    const y = batchNorm(fromValues([1e8, 1e8 + 1, 1e8 + 2, 1e8 + 3], [4, 1]), null, null, null, null, { training: true, eps: 0 });
    const s = Math.sqrt(1.25);
    expectClose(y.data, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], 1e-12);
  });

  it('weight only and bias only', () => {
    const shape = [3, 2];
    const xv = [1, 4, 2, 8, 6, 0];
    const { mean, biasedVar } = refBatchStats(xv, shape);
    const yw = batchNorm(fromValues(xv, shape), null, null, fromValues([2, -1], [2]), null, { training: true });
    expectClose(yw.data, refBatchNormalize(xv, shape, mean, biasedVar, 1e-5, [2, -1], null), 1e-14);
    const yb = batchNorm(fromValues(xv, shape), null, null, null, fromValues([0.5, 3], [2]), { training: true });
    expectClose(yb.data, refBatchNormalize(xv, shape, mean, biasedVar, 1e-5, null, [0.5, 3]), 1e-14);
  });
});

describe('batchNorm: running statistics', () => {
  it('hand example: momentum 0.1, unbiased variance', () => {
    // column 0: [1, 3] → mean 2, unbiased var 2; column 1: [10, 30] → mean 20, unbiased var 200
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    batchNorm(tensor([[1, 10], [3, 30]], { dtype: 'float64' }), rm, rv, null, null, { training: true });
    expectClose(rm.data, [0.9 * 0 + 0.1 * 2, 0.1 * 20], 1e-15);
    expectClose(rv.data, [0.9 * 1 + 0.1 * 2, 0.9 * 1 + 0.1 * 200], 1e-15);
  });

  for (const [label, shape] of SHAPES) {
    it(`${label}: four steps with momentum 0.3 follow running = 0.7·running + 0.3·batch (unbiased var)`, () => {
      const C = shape[1];
      const m = 0.3;
      const rm = zeros([C], { dtype: 'float64' });
      const rv = ones([C], { dtype: 'float64' });
      const refMean = new Array<number>(C).fill(0);
      const refVar = new Array<number>(C).fill(1);
      for (let step = 0; step < 4; step++) {
        const xv = normals(shape, 100 + step, 1 + step, step - 1);
        batchNorm(fromValues(xv, shape), rm, rv, null, null, { training: true, momentum: m });
        const { mean, unbiasedVar } = refBatchStats(xv, shape);
        for (let c = 0; c < C; c++) {
          refMean[c] = (1 - m) * refMean[c] + m * mean[c];
          refVar[c] = (1 - m) * refVar[c] + m * unbiasedVar[c];
        }
      }
      expectClose(rm.data, refMean, 1e-13);
      expectClose(rv.data, refVar, 1e-13);
    });
  }

  it('momentum 0 leaves the running statistics unchanged, momentum 1 replaces them by the batch', () => {
    const shape = [4, 2];
    const xv = normals(shape, 7);
    const { mean, unbiasedVar } = refBatchStats(xv, shape);
    const rm = fromValues([0.3, -0.2], [2]);
    const rv = fromValues([1.5, 0.7], [2]);
    batchNorm(fromValues(xv, shape), rm, rv, null, null, { training: true, momentum: 0 });
    expect(Array.from(rm.data)).toEqual([0.3, -0.2]);
    expect(Array.from(rv.data)).toEqual([1.5, 0.7]);
    batchNorm(fromValues(xv, shape), rm, rv, null, null, { training: true, momentum: 1 });
    expectClose(rm.data, mean, 1e-15);
    expectClose(rv.data, unbiasedVar, 1e-14);
  });

  it('the running statistics do not change the training output', () => {
    const shape = [3, 2, 2];
    const xv = normals(shape, 8);
    const a = batchNorm(fromValues(xv, shape), null, null, null, null, { training: true });
    const b = batchNorm(fromValues(xv, shape), fromValues([5, -5], [2]), fromValues([9, 0.1], [2]), null, null, { training: true });
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it('eval mode normalises with the running statistics and does not touch them', () => {
    const shape = [2, 3, 2, 2];
    const xv = normals(shape, 9);
    const rmv = [0.5, -1, 2];
    const rvv = [0.25, 4, 1.5];
    const rm = fromValues(rmv, [3]);
    const rv = fromValues(rvv, [3]);
    const y = batchNorm(fromValues(xv, shape), rm, rv, fromValues([1, 2, 3], [3]), fromValues([0, -1, 1], [3]), { training: false, eps: 1e-5 });
    expectClose(y.data, refBatchNormalize(xv, shape, rmv, rvv, 1e-5, [1, 2, 3], [0, -1, 1]), 1e-14);
    expect(Array.from(rm.data)).toEqual(rmv);
    expect(Array.from(rv.data)).toEqual(rvv);
    // training defaults to false, as F.batch_norm
    expect(Array.from(batchNorm(fromValues(xv, shape), rm, rv, fromValues([1, 2, 3], [3]), fromValues([0, -1, 1], [3])).data)).toEqual(Array.from(y.data));
  });

  it('a float32 batch updates float32 running statistics', () => {
    const rm = zeros([2]);
    const rv = ones([2]);
    batchNorm(tensor([[1, 10], [3, 30]]), rm, rv, null, null, { training: true });
    expectClose(rm.data, [0.2, 2], 1e-7);
    expectClose(rv.data, [1.1, 20.9], 1e-7);
  });
});

describe('batchNorm: gradients', () => {
  // Inputs ≤ 24 elements each; weight and bias drawn away from zero so every path carries signal.
  for (const [label, shape] of SHAPES) {
    it(`gradcheck, training, ${label}, w.r.t. x, weight and bias (through the batch statistics)`, () => {
      const C = shape[1];
      const x = fromValues(normals(shape, 21, 1.5, 0.3), shape, 'float64', true);
      const w = fromValues(normals([C], 22, 0.5, 1), [C], 'float64', true);
      const b = fromValues(normals([C], 23), [C], 'float64', true);
      const report = gradcheck((x, w, b) => batchNorm(x, null, null, w, b, { training: true }), [x, w, b]);
      expect(report.ok).toBe(true);
      expect(report.inputs.map((r) => r.index)).toEqual([0, 1, 2]);
    });
  }

  it('gradcheck, training, with running statistics being updated (they do not enter the gradient)', () => {
    const shape = [3, 2, 2];
    const x = fromValues(normals(shape, 31), shape, 'float64', true);
    const w = fromValues([0.7, -1.3], [2], 'float64', true);
    const rm = zeros([2], { dtype: 'float64' });
    const rv = ones([2], { dtype: 'float64' });
    expect(gradcheck((x, w) => batchNorm(x, rm, rv, w, null, { training: true, momentum: 0.2 }), [x, w]).ok).toBe(true);
  });

  it('gradcheck, training: no affine; bias only; weight only with x constant', () => {
    const shape = [4, 3];
    const xv = normals(shape, 41, 2);
    expect(gradcheck((x) => batchNorm(x, null, null, null, null, { training: true }), [fromValues(xv, shape, 'float64', true)]).ok).toBe(true);
    expect(gradcheck((x, b) => batchNorm(x, null, null, null, b, { training: true }).square(),
      [fromValues(xv, shape, 'float64', true), fromValues([0.1, -0.4, 1], [3], 'float64', true)]).ok).toBe(true);
    expect(gradcheck((x, w) => batchNorm(x, null, null, w, null, { training: true }).tanh(),
      [fromValues(xv, shape), fromValues([0.5, 2, -1], [3], 'float64', true)]).ok).toBe(true);
  });

  it('gradcheck, training, a nonlinear loss downstream (tanh of a shifted output)', () => {
    const shape = [2, 2, 3];
    const x = fromValues(normals(shape, 51), shape, 'float64', true);
    const w = fromValues([1.2, 0.8], [2], 'float64', true);
    const b = fromValues([0.3, -0.6], [2], 'float64', true);
    expect(gradcheck((x, w, b) => batchNorm(x, null, null, w, b, { training: true }).mul(x).tanh(), [x, w, b]).ok).toBe(true);
  });

  for (const [label, shape] of SHAPES) {
    it(`gradcheck, eval, ${label}, w.r.t. x, weight, bias and the running statistics`, () => {
      const C = shape[1];
      const x = fromValues(normals(shape, 61), shape, 'float64', true);
      const rm = fromValues(normals([C], 62), [C], 'float64', true);
      const rv = fromValues(normals([C], 63).map((v) => 0.5 + v * v), [C], 'float64', true);
      const w = fromValues(normals([C], 64), [C], 'float64', true);
      const b = fromValues(normals([C], 65), [C], 'float64', true);
      const report = gradcheck((x, rm, rv, w, b) => batchNorm(x, rm, rv, w, b, { training: false }), [x, rm, rv, w, b]);
      expect(report.ok).toBe(true);
      expect(report.inputs.length).toBe(5);
    });
  }

  it('identities: for loss Σy, dx = 0, dweight = Σx̂ = 0 and dbias = values per channel', () => {
    const shape = [3, 2, 2]; // 6 values per channel
    const x = fromValues(normals(shape, 71, 2, 1), shape, 'float64', true);
    const w = fromValues([1.5, -0.5], [2], 'float64', true);
    const b = fromValues([0, 0], [2], 'float64', true);
    batchNorm(x, null, null, w, b, { training: true }).sum().backward();
    for (const v of x.grad!.data) expect(Math.abs(v)).toBeLessThan(1e-14);
    for (const v of w.grad!.data) expect(Math.abs(v)).toBeLessThan(1e-13);
    expect(Array.from(b.grad!.data)).toEqual([6, 6]);
  });

  it('closed form: for loss Σy² without affine, dx = eps/(var + eps)² · 2(x − mean)', () => {
    // Σy² = Σ(x − mean)²/(var + eps) = n·var/(var + eps) depends on x only through the biased var, so
    // d/dx = n·eps/(var + eps)² · dvar/dx, with dvar/dx = 2(x − mean)/n.
    const shape = [4, 1];
    const xv = [0.5, -1, 2, 3.5];
    const eps = 0.1;
    const x = fromValues(xv, shape, 'float64', true);
    const y = batchNorm(x, null, null, null, null, { training: true, eps });
    y.mul(y).sum().backward();
    const { mean, biasedVar } = refBatchStats(xv, shape);
    const v = biasedVar[0];
    expectClose(x.grad!.data, xv.map((xi) => (eps / (v + eps) ** 2) * 2 * (xi - mean[0])), 1e-12);
  });

  it('second derivatives through the training-mode op are refused with an AutogradError', () => {
    const x = fromValues(normals([3, 2], 81), [3, 2], 'float64', true);
    const y = batchNorm(x, null, null, null, null, { training: true }).square().sum();
    const e = thrown(() => y.backward(undefined, { createGraph: true }));
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/batchNorm.*second derivatives/);
  });

  it('a refused createGraph backward changes no gradient and frees nothing; a plain backward then gives the formula', () => {
    // L = Σ (y·w)², y = batchNorm(x)·γ + β in training mode, w applied after it (so its node is newer than batchNorm's)
    const shape = [4, 2];
    const xv = normals(shape, 83);
    const gv = [1.5, -0.5], bv = [0.25, 1], wv = [2, -3];
    const eps = 1e-5;
    const x = fromValues(xv, shape, 'float64', true);
    const gamma = fromValues(gv, [2], 'float64', true);
    const beta = fromValues(bv, [2], 'float64', true);
    const w = fromValues(wv, [2], 'float64', true);
    w.grad = tensor([10, 20], { dtype: 'float64' }); // an earlier gradient, kept and later accumulated into
    const y = batchNorm(x, null, null, gamma, beta, { training: true, eps }).retainGrad();
    const loss = y.mul(w).square().sum();
    // retainGraph: false, so the mul, square and sum nodes would be gone if the refusal came after they ran
    const e = thrown(() => loss.backward(undefined, { createGraph: true, retainGraph: false }));
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/^batchNorm: second derivatives \(createGraph\) are not supported in training mode.*nothing was changed/);
    expect(Array.from(w.grad!.data)).toEqual([10, 20]);
    for (const t of [x, gamma, beta, y]) expect(t.grad).toBeNull();

    loss.backward();
    // reference: x̂ from plain-loop statistics; dL/dy = 2·y·w², then dγ = Σ dy·x̂, dβ = Σ dy and
    // dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)) per channel, dw = Σ 2·y²·w
    const { mean, biasedVar } = refBatchStats(xv, shape);
    const xhat = refBatchNormalize(xv, shape, mean, biasedVar, eps, null, null);
    const yv = xhat.map((v, i) => v * gv[i % 2] + bv[i % 2]);
    const dy = yv.map((v, i) => 2 * v * wv[i % 2] ** 2);
    const channelSum = (f: (i: number) => number, c: number) => [0, 1, 2, 3].reduce((s, r) => s + f(r * 2 + c), 0);
    const dw = [0, 1].map((c) => channelSum((i) => 2 * yv[i] ** 2 * wv[c], c));
    expectClose(w.grad!.data, [10 + dw[0], 20 + dw[1]], 1e-12);
    expectClose(y.grad!.data, dy, 1e-12);
    expectClose(gamma.grad!.data, [0, 1].map((c) => channelSum((i) => dy[i] * xhat[i], c)), 1e-12);
    expectClose(beta.grad!.data, [0, 1].map((c) => channelSum((i) => dy[i], c)), 1e-12);
    const dx = xv.map((_, i) => {
      const c = i % 2;
      const mdy = channelSum((k) => dy[k], c) / 4;
      const mdyx = channelSum((k) => dy[k] * xhat[k], c) / 4;
      return (gv[c] / Math.sqrt(biasedVar[c] + eps)) * (dy[i] - mdy - xhat[i] * mdyx);
    });
    expectClose(x.grad!.data, dx, 1e-10);
  });

  it('records one batchNorm node in training mode', () => {
    const x = fromValues(normals([3, 2], 82), [3, 2], 'float64', true);
    const y = batchNorm(x, null, null, null, null, { training: true });
    expect(y.node?.op).toBe('batchNorm');
    expect(y.requiresGrad).toBe(true);
  });
});

describe('batchNorm: errors', () => {
  const x = randn([4, 3], { generator: new Generator(1) });

  it('a single value per channel in training (as PyTorch)', () => {
    const e = thrown(() => batchNorm(zeros([1, 3]), null, null, null, null, { training: true }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/more than 1 value per channel when training.*\[1, ?3\]/);
    expect(() => batchNorm(zeros([1, 2, 1]), null, null, null, null, { training: true })).toThrow(ShapeError);
    // a single value is fine in eval, where nothing is estimated from the batch
    expect(batchNorm(tensor([[2, 3]]), zeros([2]), ones([2]), null, null, { eps: 0 }).toArray()).toEqual([[2, 3]]);
    // and a failing call leaves the running statistics untouched
    const rm = tensor([0.5, 0.5, 0.5]);
    expect(() => batchNorm(zeros([1, 3]), rm, ones([3]), null, null, { training: true })).toThrow(ShapeError);
    expect(Array.from(rm.data)).toEqual([0.5, 0.5, 0.5]);
  });

  it('input rank below 2', () => {
    expect(() => batchNorm(zeros([4]), null, null, null, null, { training: true })).toThrow(ShapeError);
  });

  it('per-channel tensors of the wrong shape or dtype', () => {
    expect(thrown(() => batchNorm(x, zeros([4]), ones([4]))).message).toMatch(/runningMean has shape \[4\].*3 channels/);
    expect(() => batchNorm(x, null, null, ones([3, 1]), null, { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(x, null, null, null, zeros([2]), { training: true })).toThrow(ShapeError);
    expect(() => batchNorm(x, null, null, ones([3], { dtype: 'float64' }), null, { training: true })).toThrow(TypeError);
  });

  it('eval without running statistics, or only one of them', () => {
    expect(thrown(() => batchNorm(x, null, null)).message).toMatch(/runningMean and runningVar are required/);
    expect(() => batchNorm(x, zeros([3]), null, null, null, { training: true })).toThrow(TypeError);
  });

  it('hyperparameters out of range', () => {
    for (const momentum of [-0.1, 1.5, NaN]) {
      expect(thrown(() => batchNorm(x, null, null, null, null, { training: true, momentum })).message).toMatch(/batchNorm: momentum/);
    }
    for (const eps of [-1, Infinity, NaN]) {
      expect(() => batchNorm(x, null, null, null, null, { training: true, eps })).toThrow(RangeError);
    }
    expect(() => batchNorm(x, null, null, null, null, { training: 'yes' as unknown as boolean })).toThrow(TypeError);
  });
});
