/**
 * The activation and shape layers (ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Identity): a known
 * value of each, from the formula computed here in plain JS, and a float64 gradcheck of the layer's own forward.
 * Then a gradcheck of a whole Sequential through its forward, with gradcheck's copies swapped in for its parameters.
 */
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, gradcheck, nn } from '../../src/index.js';
import { expectClose, fromValues, normals } from '../helpers.js';

/** Seeded float64 draws pushed at least 0.1 away from 0, so no central difference straddles a kink at 0. */
function awayFromZero(shape: number[], seed: number, requiresGrad = true): Tensor {
  const values = normals(shape, seed).map((v) => v + (v < 0 ? -0.1 : 0.1));
  return fromValues(values, shape, 'float64', requiresGrad);
}

const sigmoidRef = (v: number) => 1 / (1 + Math.exp(-v));

/** Softmax over `dim` of a row-major [rows, cols] array, as plain numbers: exp(x − max) over the sum along the dim. */
function softmaxRef(values: number[], rows: number, cols: number, dim: 0 | 1): number[] {
  const out = new Array<number>(values.length);
  const lines = dim === 1 ? rows : cols;
  const len = dim === 1 ? cols : rows;
  const at = (line: number, k: number) => (dim === 1 ? line * cols + k : k * cols + line);
  for (let line = 0; line < lines; line++) {
    let max = -Infinity;
    for (let k = 0; k < len; k++) max = Math.max(max, values[at(line, k)]);
    let sum = 0;
    for (let k = 0; k < len; k++) sum += Math.exp(values[at(line, k)] - max);
    for (let k = 0; k < len; k++) out[at(line, k)] = Math.exp(values[at(line, k)] - max) / sum;
  }
  return out;
}

describe('activation layers: known values', () => {
  it('ReLU: max(x, 0)', () => {
    const y = new nn.ReLU().forward(fromValues([-2, -0.5, 0, 1.5, 3], [5]));
    expect(y.toArray()).toEqual([0, 0, 0, 1.5, 3]);
    expect(new nn.ReLU().describe()).toBe('ReLU');
  });

  it('LeakyReLU: x for x > 0, slope·x otherwise (default slope 0.01)', () => {
    expect(new nn.LeakyReLU(0.2).forward(fromValues([-10, 2], [2])).toArray()).toEqual([-2, 2]);
    const x = [-3, -0.25, 0.5, 4];
    expectClose(new nn.LeakyReLU().forward(fromValues(x, [2, 2])), x.map((v) => (v > 0 ? v : 0.01 * v)), 1e-15);
    expect(new nn.LeakyReLU().negativeSlope).toBe(0.01);
    expect(new nn.LeakyReLU(0.2).describe()).toBe('LeakyReLU(0.2)');
    for (const bad of [NaN, Infinity]) expect(() => new nn.LeakyReLU(bad)).toThrow(/LeakyReLU: negativeSlope must be finite/);
  });

  it('Sigmoid: 1 / (1 + e⁻ˣ)', () => {
    const x = [-30, -2, 0, 0.5, 7];
    const y = new nn.Sigmoid().forward(fromValues(x, [5]));
    expectClose(y, x.map(sigmoidRef), 1e-14);
    expect(y.data[2]).toBe(0.5);
  });

  it('Tanh: (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)', () => {
    const x = [-3, -0.5, 0, 1, 2.5];
    const y = new nn.Tanh().forward(fromValues(x, [5]));
    expectClose(y, x.map((v) => (Math.exp(v) - Math.exp(-v)) / (Math.exp(v) + Math.exp(-v))), 1e-14);
  });

  it('Softmax: along dim 0, along the default last dim, and stable for large logits', () => {
    const x = [1, 2, 3, 5];
    // dim 0 normalises the columns: [1, 3] and [2, 5]
    const byColumn = new nn.Softmax(0).forward(fromValues(x, [2, 2]));
    const e = x.map(Math.exp);
    expectClose(byColumn, [e[0] / (e[0] + e[2]), e[1] / (e[1] + e[3]), e[2] / (e[0] + e[2]), e[3] / (e[1] + e[3])], 1e-14);
    const last = new nn.Softmax();
    expect(last.dim).toBe(-1);
    const xs = normals(6, 1, 2);
    expectClose(last.forward(fromValues(xs, [2, 3])), softmaxRef(xs, 2, 3, 1), 1e-14);
    expectClose(new nn.Softmax(1).forward(fromValues(xs, [2, 3])), softmaxRef(xs, 2, 3, 1), 1e-14);
    // logits of 1000 would overflow exp: softmax(x) = softmax(x − c)
    expectClose(new nn.Softmax().forward(fromValues([1000, 1001], [2])), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 1e-13);
    expect(new nn.Softmax(0).describe()).toBe('Softmax(dim 0)');
  });

  it('LogSoftmax: x − log Σ eˣ along the dim', () => {
    const xs = normals(6, 2, 3);
    const y = new nn.LogSoftmax(0).forward(fromValues(xs, [3, 2]));
    expectClose(y, softmaxRef(xs, 3, 2, 0).map(Math.log), 1e-13);
    // 1000 and 1001: log(1 + e) − 1 and log(1 + e) below each value
    const z = Math.log(1 + Math.E);
    expectClose(new nn.LogSoftmax().forward(fromValues([1000, 1001], [1, 2])), [-z, 1 - z], 1e-13);
    expect(new nn.LogSoftmax().dim).toBe(-1);
    expect(new nn.LogSoftmax(1).describe()).toBe('LogSoftmax(dim 1)');
  });

  // x − (max + log Σ) would carry the rounding of |max| (ulp(1e6) ≈ 1.2e-10): at logits 1e6 and 1e6 + 1 softmax and
  // logSoftmax were off by 4.5e-12; (x − max) − log Σ is exact to a few ulps. Softmax is exp(logSoftmax).
  it('Softmax and LogSoftmax of large logits keep float64 precision (a shift by 1e6 changes nothing)', () => {
    const z = Math.log(1 + Math.E);
    expectClose(new nn.LogSoftmax().forward(fromValues([1e6, 1e6 + 1], [2])), [-z, 1 - z], 1e-14);
    expectClose(new nn.Softmax().forward(fromValues([1e6, 1e6 + 1], [2])), [1 / (1 + Math.E), Math.E / (1 + Math.E)], 1e-14);
  });

  it('Flatten: merges startDim..endDim (default 1..-1), keeping the row-major order', () => {
    const values = Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);
    const x = fromValues(values, [2, 3, 4]);
    const y = new nn.Flatten().forward(x);
    expect(y.shape).toEqual([2, 12]);
    expect(Array.from(y.data)).toEqual(values);
    expect(new nn.Flatten(0).forward(x).shape).toEqual([24]);
    const x4 = fromValues(Array.from({ length: 120 }, (_, i) => i), [2, 3, 4, 5]);
    const mid = new nn.Flatten(1, 2).forward(x4);
    expect(mid.shape).toEqual([2, 12, 5]);
    // element [n, c, h, w] lands at [n, c·4 + h, w]: the same flat position
    expect(Array.from(mid.data)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(new nn.Flatten(0, 1).forward(x4).shape).toEqual([6, 4, 5]);
    const f = new nn.Flatten(1, 2);
    expect([f.startDim, f.endDim]).toEqual([1, 2]);
  });

  it('Identity: returns its input itself', () => {
    const x = fromValues([1, -2, 3], [3]);
    expect(new nn.Identity().forward(x)).toBe(x);
    expect(new nn.Identity().parameters()).toEqual([]);
  });

  it('none of them has parameters or buffers', () => {
    const layers = [new nn.ReLU(), new nn.LeakyReLU(), new nn.Sigmoid(), new nn.Tanh(), new nn.Softmax(), new nn.LogSoftmax(), new nn.Flatten(), new nn.Identity()];
    for (const layer of layers) expect([layer.parameters(), layer.buffers()], layer.describe()).toEqual([[], []]);
  });
});

describe('activation layers: gradcheck of the layer\'s forward in float64', () => {
  const cases: Array<[string, () => nn.Module, number[]]> = [
    ['ReLU', () => new nn.ReLU(), [3, 4]],
    ['LeakyReLU(0.2)', () => new nn.LeakyReLU(0.2), [3, 4]],
    ['LeakyReLU() (slope 0.01)', () => new nn.LeakyReLU(), [2, 5]],
    ['Sigmoid', () => new nn.Sigmoid(), [3, 4]],
    ['Tanh', () => new nn.Tanh(), [3, 4]],
    ['Softmax() (last dim)', () => new nn.Softmax(), [3, 4]],
    ['Softmax(0)', () => new nn.Softmax(0), [3, 4]],
    ['Softmax(1) on 3-D', () => new nn.Softmax(1), [2, 3, 2]],
    ['LogSoftmax() (last dim)', () => new nn.LogSoftmax(), [3, 4]],
    ['LogSoftmax(0)', () => new nn.LogSoftmax(0), [3, 4]],
    ['Flatten()', () => new nn.Flatten(), [2, 3, 2]],
    ['Flatten(0, 1)', () => new nn.Flatten(0, 1), [2, 3, 2]],
    ['Identity', () => new nn.Identity(), [3, 4]],
  ];
  cases.forEach(([label, make, shape], k) => {
    it(label, () => {
      const layer = make();
      const x = awayFromZero(shape, 100 + k);
      const report = gradcheck((x) => layer.forward(x), [x]);
      expect(report.ok).toBe(true);
      expect(report.inputs.map((r) => r.shape)).toEqual([shape]);
    });
  });

  it('the gradients are the formulas\' (one backward each, checked by hand)', () => {
    // d Σ relu(x) = [x > 0]; d Σ leaky(x) = 1 or slope; d Σ σ(x) = σ(1 − σ); d Σ tanh(x) = 1 − tanh²
    const xs = [-1.5, -0.2, 0.3, 2];
    const grad = (layer: nn.Module) => {
      const x = fromValues(xs, [4], 'float64', true);
      layer.forward(x).sum().backward();
      return x.grad!;
    };
    expect(grad(new nn.ReLU()).toArray()).toEqual([0, 0, 1, 1]);
    expect(grad(new nn.LeakyReLU(0.2)).toArray()).toEqual([0.2, 0.2, 1, 1]);
    expectClose(grad(new nn.Sigmoid()), xs.map((v) => sigmoidRef(v) * (1 - sigmoidRef(v))), 1e-14);
    expectClose(grad(new nn.Tanh()), xs.map((v) => 1 - Math.tanh(v) ** 2), 1e-14);
    // Σ softmax = 1 whatever x is, so its gradient is 0; d Σ logSoftmax / dx_i = 1 − n·softmax_i
    expectClose(grad(new nn.Softmax()), [0, 0, 0, 0], 1e-15);
    const p = softmaxRef(xs, 1, 4, 1);
    expectClose(grad(new nn.LogSoftmax()), p.map((v) => 1 - 4 * v), 1e-14);
  });
});

describe('Sequential: gradcheck through model.forward with its parameters swapped in', () => {
  /**
   * Where each parameter of `model` lives (its module and property), so that gradcheck's copies can be put there:
   * gradcheck differentiates the copies it hands fn, never the original tensors.
   */
  function parameterSlots(model: nn.Module): Array<[nn.Module, string]> {
    const slots: Array<[nn.Module, string]> = [];
    for (const m of model.modules()) {
      for (const [key, value] of Object.entries(m)) if (value instanceof nn.Parameter) slots.push([m, key]);
    }
    return slots;
  }

  function checkModel(model: nn.Module, x: Tensor) {
    const params = model.parameters();
    const slots = parameterSlots(model);
    expect(slots.map(([m, key]) => (m as unknown as Record<string, unknown>)[key])).toEqual(params);
    return gradcheck((x, ...ps) => {
      slots.forEach(([m, key], i) => { (m as unknown as Record<string, Tensor>)[key] = ps[i]; });
      return model.forward(x);
    }, [x, ...params]);
  }

  it('Flatten → Dense → Tanh → Dense → LogSoftmax, w.r.t. the input and all 4 parameters', () => {
    const g = new Generator(7);
    const model = new nn.Sequential(
      new nn.Flatten(), new nn.Dense(6, 4, { dtype: 'float64', generator: g }), new nn.Tanh(),
      new nn.Dense(4, 3, { dtype: 'float64', generator: g }), new nn.LogSoftmax(),
    );
    const report = checkModel(model, fromValues(normals([2, 2, 3], 8), [2, 2, 3], 'float64', true));
    expect(report.ok).toBe(true);
    expect(report.inputs.map((r) => r.shape)).toEqual([[2, 2, 3], [4, 6], [4], [3, 4], [3]]);
  });

  it('Dense → Sigmoid → Dense → LeakyReLU → Dense → Softmax (with a nested Sequential and an Identity)', () => {
    const g = new Generator(9);
    const model = new nn.Sequential(
      new nn.Sequential(new nn.Dense(3, 4, { dtype: 'float64', generator: g }), new nn.Sigmoid()),
      new nn.Dense(4, 4, { dtype: 'float64', generator: g }), new nn.LeakyReLU(0.1), new nn.Identity(),
      new nn.Dense(4, 2, { dtype: 'float64', generator: g, bias: false }), new nn.Softmax(),
    );
    const report = checkModel(model, fromValues(normals([3, 3], 10), [3, 3], 'float64', true));
    expect(report.ok).toBe(true);
    expect(report.inputs).toHaveLength(1 + 5);
  });
});
