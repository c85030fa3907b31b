import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, gradcheck, nn, ones, randn, tensor } from '../../src/index.js';
import { BatchNorm1d, BatchNorm2d } from '../../src/nn/layers/batchnorm.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { expectClose, fromValues, normals, refBatchNormalize, refBatchStats } from '../helpers.js';

/**
 * Puts gradcheck's float64 copies in place of the layer's parameters, so that gradcheck differentiates the layer's
 * forward with respect to them (gradcheck hands fn copies, never the original tensors).
 */
function withParams(layer: BatchNorm1d | BatchNorm2d, w: Tensor, b: Tensor): void {
  layer.weight = w as nn.Parameter;
  layer.bias = b as nn.Parameter;
}

describe('BatchNorm1d / BatchNorm2d: construction', () => {
  it('weight ones, bias zeros, running mean zeros, running var ones, batch count 0, in PyTorch order', () => {
    const bn = new BatchNorm2d(3);
    expect(bn.namedParameters().map(([n]) => n)).toEqual(['weight', 'bias']);
    expect(bn.namedBuffers().map(([n]) => n)).toEqual(['runningMean', 'runningVar', 'numBatchesTracked']);
    expect(bn.weight!.toArray()).toEqual([1, 1, 1]);
    expect(bn.bias!.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningMean!.toArray()).toEqual([0, 0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1, 1]);
    expect(bn.numBatchesTracked!.shape).toEqual([]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.weight!.requiresGrad).toBe(true);
    expect(bn.runningMean!.requiresGrad).toBe(false);
    expect(bn.numParameters()).toBe(6);
    expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'runningMean', 'runningVar', 'numBatchesTracked']);
  });

  it('affine: false has no parameters; trackRunningStats: false has no buffers', () => {
    const a = new BatchNorm1d(4, { affine: false });
    expect(a.parameters()).toEqual([]);
    expect(a.weight).toBeNull();
    expect(a.buffers().length).toBe(3);
    const b = new BatchNorm1d(4, { trackRunningStats: false });
    expect(b.buffers()).toEqual([]);
    expect(b.runningMean).toBeNull();
    expect(b.parameters().length).toBe(2);
  });

  it('dtype option', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    expect(bn.weight!.dtype).toBe('float64');
    expect(bn.runningVar!.dtype).toBe('float64');
    expect(new BatchNorm1d(2).weight!.dtype).toBe('float32');
  });

  it('validates every option, naming the layer', () => {
    for (const n of [0, -1, 1.5, NaN]) expect(() => new BatchNorm2d(n)).toThrow(/BatchNorm2d: numFeatures/);
    expect(() => new BatchNorm1d(3, { eps: -1 })).toThrow(RangeError);
    expect(() => new BatchNorm1d(3, { momentum: 1.5 })).toThrow(/BatchNorm1d: momentum must be a number in \[0, 1\] or null, got 1.5/);
    expect(() => new BatchNorm1d(3, { momentum: -0.1 })).toThrow(RangeError);
    expect(() => new BatchNorm1d(3, { affine: 'yes' as unknown as boolean })).toThrow(TypeError);
    expect(() => new BatchNorm1d(3, { trackRunningStats: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => new BatchNorm1d(3, { dtype: 'int32' as 'float32' })).toThrow(TypeError);
    expect(new BatchNorm1d(3, { momentum: null }).momentum).toBeNull();
  });

  it('describe()', () => {
    expect(new BatchNorm2d(8).describe()).toBe('BatchNorm2d(8, eps: 0.00001, momentum: 0.1)');
    expect(new BatchNorm1d(4, { affine: false, momentum: null }).describe()).toBe('BatchNorm1d(4, eps: 0.00001, momentum: null, affine: false)');
  });
});

describe('BatchNorm1d / BatchNorm2d: forward', () => {
  it('input ranks: BatchNorm1d takes (N, C) and (N, C, L); BatchNorm2d takes (N, C, H, W); channels must match', () => {
    const bn1 = new BatchNorm1d(3);
    expect(bn1.forward(randn([4, 3], { generator: new Generator(201) })).shape).toEqual([4, 3]);
    expect(bn1.forward(randn([2, 3, 5], { generator: new Generator(202) })).shape).toEqual([2, 3, 5]);
    expect(() => bn1.forward(randn([2, 3, 2, 2], { generator: new Generator(203) }))).toThrow(/BatchNorm1d: expected a 2-D \(N, C\) or 3-D \(N, C, L\) input, got 4-D/);
    expect(() => bn1.forward(randn([3], { generator: new Generator(204) }))).toThrow(ShapeError);
    expect(() => bn1.forward(randn([4, 5], { generator: new Generator(205) }))).toThrow(/BatchNorm1d: the input \[4, ?5\] has 5 channels/);
    const bn2 = new BatchNorm2d(2);
    expect(bn2.forward(randn([2, 2, 3, 3], { generator: new Generator(206) })).shape).toEqual([2, 2, 3, 3]);
    expect(() => bn2.forward(randn([2, 2, 3], { generator: new Generator(207) }))).toThrow(/BatchNorm2d: expected a 4-D/);
    expect(() => bn2.forward(randn([2, 3, 2, 2], { generator: new Generator(208) }))).toThrow(ShapeError);
  });

  const cases: Array<[string, () => BatchNorm1d | BatchNorm2d, number[]]> = [
    ['BatchNorm1d (N, C)', () => new BatchNorm1d(3, { dtype: 'float64', eps: 1e-3 }), [6, 3]],
    ['BatchNorm1d (N, C, L)', () => new BatchNorm1d(2, { dtype: 'float64', eps: 1e-3 }), [3, 2, 4]],
    ['BatchNorm2d (N, C, H, W)', () => new BatchNorm2d(3, { dtype: 'float64', eps: 1e-3 }), [2, 3, 2, 3]],
  ];

  for (const [label, make, shape] of cases) {
    it(`${label}: training uses batch statistics; three steps move the running statistics by momentum 0.1`, () => {
      const bn = make();
      const C = shape[1];
      const w = normals(C, 1, 0.5, 1);
      const b = normals(C, 2);
      bn.weight!.data.set(w);
      bn.bias!.data.set(b);
      const refMean = new Array<number>(C).fill(0);
      const refVar = new Array<number>(C).fill(1);
      for (let step = 0; step < 3; step++) {
        const xv = normals(shape, 10 + step, 2, step);
        const y = bn.forward(fromValues(xv, shape));
        const { mean, biasedVar, unbiasedVar } = refBatchStats(xv, shape);
        expectClose(y.data, refBatchNormalize(xv, shape, mean, biasedVar, 1e-3, w, b), 1e-13);
        for (let c = 0; c < C; c++) {
          refMean[c] = 0.9 * refMean[c] + 0.1 * mean[c];
          refVar[c] = 0.9 * refVar[c] + 0.1 * unbiasedVar[c];
        }
        expect(bn.numBatchesTracked!.item()).toBe(step + 1);
      }
      expectClose(bn.runningMean!.data, refMean, 1e-13);
      expectClose(bn.runningVar!.data, refVar, 1e-13);

      // eval: the running statistics normalise, and stay as they are
      bn.eval();
      const xv = normals(shape, 20);
      const y = bn.forward(fromValues(xv, shape));
      expectClose(y.data, refBatchNormalize(xv, shape, refMean, refVar, 1e-3, w, b), 1e-13);
      expectClose(bn.runningMean!.data, refMean, 1e-13);
      expect(bn.numBatchesTracked!.item()).toBe(3);
    });
  }

  it('momentum null: a cumulative average, so the running mean is the mean of the batch means', () => {
    const bn = new BatchNorm1d(2, { momentum: null, dtype: 'float64' });
    const means: number[][] = [];
    const vars: number[][] = [];
    for (let step = 0; step < 4; step++) {
      const xv = normals(10, 30 + step, 1 + step, 2 * step);
      bn.forward(fromValues(xv, [5, 2]));
      const s = refBatchStats(xv, [5, 2]);
      means.push(s.mean);
      vars.push(s.unbiasedVar);
    }
    const avg = (rows: number[][], c: number) => rows.reduce((a, r) => a + r[c], 0) / rows.length;
    expectClose(bn.runningMean!.data, [avg(means, 0), avg(means, 1)], 1e-13);
    expectClose(bn.runningVar!.data, [avg(vars, 0), avg(vars, 1)], 1e-13);
    expect(bn.numBatchesTracked!.item()).toBe(4);
  });

  it('float32 layer: forward and running statistics as the float64 reference, to float32 precision', () => {
    const bn = new BatchNorm2d(2, { momentum: 0.25 });
    const shape = [3, 2, 2, 2];
    const x = tensor(normals(24, 40, 1.5, 0.5)).reshape(shape);
    const xv = Array.from(x.data);
    const y = bn.forward(x);
    const { mean, biasedVar, unbiasedVar } = refBatchStats(xv, shape);
    expect(y.dtype).toBe('float32');
    expectClose(y.data, refBatchNormalize(xv, shape, mean, biasedVar, 1e-5, [1, 1], [0, 0]), 2e-6);
    expectClose(bn.runningMean!.data, mean.map((m) => 0.25 * m), 1e-6);
    expectClose(bn.runningVar!.data, unbiasedVar.map((v) => 0.75 + 0.25 * v), 1e-6);
  });

  it('trackRunningStats: false normalises with the batch statistics in eval too', () => {
    const bn = new BatchNorm1d(2, { trackRunningStats: false, dtype: 'float64' });
    const xv = normals(8, 50, 3, 1);
    const train = bn.forward(fromValues(xv, [4, 2]));
    bn.eval();
    const evalOut = bn.forward(fromValues(xv, [4, 2]));
    const { mean, biasedVar } = refBatchStats(xv, [4, 2]);
    expectClose(evalOut.data, refBatchNormalize(xv, [4, 2], mean, biasedVar, 1e-5, [1, 1], [0, 0]), 1e-13);
    expect(Array.from(evalOut.data)).toEqual(Array.from(train.data));
  });

  it('a training batch with one value per channel is refused and changes nothing', () => {
    const bn = new BatchNorm1d(3);
    expect(() => bn.forward(randn([1, 3], { generator: new Generator(209) }))).toThrow(/more than 1 value per channel/);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.runningMean!.toArray()).toEqual([0, 0, 0]);
    // fine in eval
    expect(bn.eval().forward(randn([1, 3], { generator: new Generator(210) })).shape).toEqual([1, 3]);
  });

  it('resetRunningStats / resetParameters', () => {
    const bn = new BatchNorm1d(2);
    bn.forward(randn([4, 2], { generator: new Generator(1) }));
    bn.weight!.data.fill(3);
    bn.resetRunningStats();
    expect(bn.runningMean!.toArray()).toEqual([0, 0]);
    expect(bn.runningVar!.toArray()).toEqual([1, 1]);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(bn.weight!.toArray()).toEqual([3, 3]);
    bn.resetParameters();
    expect(bn.weight!.toArray()).toEqual([1, 1]);
  });
});

describe('BatchNorm1d / BatchNorm2d: gradcheck in float64', () => {
  const cases: Array<[string, () => BatchNorm1d | BatchNorm2d, number[]]> = [
    ['BatchNorm1d (N, C)', () => new BatchNorm1d(3, { dtype: 'float64' }), [5, 3]],
    ['BatchNorm1d (N, C, L)', () => new BatchNorm1d(2, { dtype: 'float64' }), [3, 2, 4]],
    ['BatchNorm2d (N, C, H, W)', () => new BatchNorm2d(2, { dtype: 'float64' }), [2, 2, 2, 3]],
  ];
  for (const [label, make, shape] of cases) {
    const C = shape[1];
    const size = shape.reduce((p, s) => p * s);
    it(`${label}, train mode, w.r.t. input, weight and bias`, () => {
      const bn = make();
      const inputs = [fromValues(normals(size, 60, 1.3), shape, 'float64', true), fromValues(normals(C, 61, 0.4, 1), [C], 'float64', true), fromValues(normals(C, 62), [C], 'float64', true)];
      const report = gradcheck((x, w, b) => {
        withParams(bn, w, b);
        return bn.forward(x);
      }, inputs);
      expect(report.ok).toBe(true);
      expect(report.inputs.length).toBe(3);
    });

    it(`${label}, eval mode (running statistics), w.r.t. input, weight and bias`, () => {
      const bn = make();
      bn.runningMean!.data.set(normals(C, 63));
      bn.runningVar!.data.set(normals(C, 64).map((v) => 0.5 + v * v));
      bn.eval();
      const inputs = [fromValues(normals(size, 65), shape, 'float64', true), fromValues(normals(C, 66), [C], 'float64', true), fromValues(normals(C, 67), [C], 'float64', true)];
      const report = gradcheck((x, w, b) => {
        withParams(bn, w, b);
        return bn.forward(x);
      }, inputs);
      expect(report.ok).toBe(true);
    });
  }

  it('no affine, train mode, input only', () => {
    const bn = new BatchNorm2d(2, { affine: false, dtype: 'float64' });
    expect(gradcheck((x) => bn.forward(x).square(), [fromValues(normals(16, 70), [2, 2, 2, 2], 'float64', true)]).ok).toBe(true);
  });

  it('backward fills the layer parameters\' grads (sums per channel, checked against the identities)', () => {
    const bn = new BatchNorm1d(2, { dtype: 'float64' });
    bn.forward(fromValues(normals(12, 71), [3, 2, 2])).sum().backward();
    // d Σy / d bias = number of values per channel; d Σy / d weight = Σ x̂ = 0
    expect(Array.from(bn.bias!.grad!.data)).toEqual([6, 6]);
    for (const v of bn.weight!.grad!.data) expect(Math.abs(v)).toBeLessThan(1e-13);
  });
});

describe('Dropout layer', () => {
  const mask = (n: number, p: number, g: Generator) => Array.from({ length: n }, () => (g.random() < p ? 0 : 1 / (1 - p)));

  it('uses its stored generator for every mask', () => {
    const drop = new Dropout(0.3, { generator: new Generator(7) });
    const ref = new Generator(7);
    for (let step = 0; step < 3; step++) {
      const y = drop.forward(ones([5, 4], { dtype: 'float64' }));
      expect(Array.from(y.data)).toEqual(mask(20, 0.3, ref));
    }
  });

  it('is the identity after eval(), active again after train()', () => {
    const drop = new Dropout(0.5, { generator: new Generator(8) });
    const x = randn([10, 10], { generator: new Generator(9) });
    drop.eval();
    expect(drop.training).toBe(false);
    expect(Array.from(drop.forward(x).data)).toEqual(Array.from(x.data));
    drop.train();
    const zeros = drop.forward(x).data.filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(0);
  });

  it('defaults to p = 0.5 and the default generator; validates p and the generator', () => {
    expect(new Dropout().p).toBe(0.5);
    expect(new Dropout().generator).toBeUndefined();
    for (const p of [1, -0.5, NaN, 2]) expect(() => new Dropout(p)).toThrow(/Dropout: p must be a probability in \[0, 1\)/);
    expect(() => new Dropout(0.5, { generator: 3 as unknown as Generator })).toThrow(TypeError);
    expect(new Dropout(0.2).describe()).toBe('Dropout(p: 0.2)');
    expect(new Dropout().parameters()).toEqual([]);
  });

  it('gradcheck in float64 with a fixed seed (the layer re-created inside fn, so one mask)', () => {
    const x = fromValues(normals(20, 80), [4, 5], 'float64', true);
    expect(gradcheck((x) => new Dropout(0.4, { generator: new Generator(81) }).forward(x).mul(x), [x]).ok).toBe(true);
    expect(gradcheck((x) => new Dropout(0.4).eval().forward(x).exp(), [x]).ok).toBe(true);
  });
});

describe('Sequential with BatchNorm and Dropout: train() / eval()', () => {
  function model() {
    return new nn.Sequential(
      new nn.Dense(3, 4, { dtype: 'float64', generator: new Generator(90) }),
      new BatchNorm1d(4, { dtype: 'float64' }),
      new nn.ReLU(),
      new Dropout(0.5, { generator: new Generator(91) }),
    );
  }

  it('eval() turns dropout off and freezes the batchnorm statistics; train() restores both', () => {
    const m = model();
    const bn = m.at(1) as BatchNorm1d;
    const x = fromValues(normals(24, 92), [8, 3]);

    // training: the running statistics move and two forwards differ (fresh masks)
    const a = m.forward(x);
    const b = m.forward(x);
    expect(Array.from(a.data)).not.toEqual(Array.from(b.data));
    expect(bn.numBatchesTracked!.item()).toBe(2);
    const frozenMean = Array.from(bn.runningMean!.data);
    const frozenVar = Array.from(bn.runningVar!.data);
    expect(frozenMean).not.toEqual([0, 0, 0, 0]);

    m.eval();
    expect(m.modules().every((mod) => !mod.training)).toBe(true);
    const e1 = m.forward(x);
    const e2 = m.forward(x);
    expect(Array.from(e2.data)).toEqual(Array.from(e1.data));
    expect(Array.from(bn.runningMean!.data)).toEqual(frozenMean);
    expect(Array.from(bn.runningVar!.data)).toEqual(frozenVar);
    expect(bn.numBatchesTracked!.item()).toBe(2);
    // eval output = relu of the dense output normalised by the frozen running statistics (no dropout)
    const dense = m.at(0).forward(x);
    const ref = refBatchNormalize(dense.data, [8, 4], frozenMean, frozenVar, 1e-5, [1, 1, 1, 1], [0, 0, 0, 0]).map((v) => Math.max(v, 0));
    expectClose(e1.data, ref, 1e-13);

    m.train();
    expect(m.modules().every((mod) => mod.training)).toBe(true);
    const t = m.forward(x);
    expect(bn.numBatchesTracked!.item()).toBe(3);
    expect(Array.from(bn.runningMean!.data)).not.toEqual(frozenMean);
    // dropout is back: some relu-positive units are zeroed, survivors doubled
    const { mean, biasedVar } = refBatchStats(dense.data, [8, 4]);
    const undropped = refBatchNormalize(dense.data, [8, 4], mean, biasedVar, 1e-5, [1, 1, 1, 1], [0, 0, 0, 0]).map((v) => Math.max(v, 0));
    let dropped = 0;
    undropped.forEach((u, i) => {
      if (u > 0 && t.data[i] === 0) dropped++;
      else expect(t.data[i]).toBeCloseTo(2 * u, 12);
    });
    expect(dropped).toBeGreaterThan(0);
  });

  it('one seed → identical training runs (generator-held masks)', () => {
    const run = () => {
      const m = model();
      const x = fromValues(normals(24, 93), [8, 3]);
      const outs = [m.forward(x), m.forward(x)];
      return [...outs.flatMap((o) => Array.from(o.data)), ...Array.from((m.at(1) as BatchNorm1d).runningVar!.data)];
    };
    expect(run()).toEqual(run());
  });
});
