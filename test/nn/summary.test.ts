import { describe, it, expect, vi } from 'vitest';
import { Generator, Tensor, nn } from '../../src/index.js';
import { ModelSummary, formatCount, summary } from '../../src/nn/summary.js';
import { Conv2d } from '../../src/nn/layers/conv2d.js';
import { Dropout } from '../../src/nn/layers/dropout.js';

const g = (seed = 0) => ({ generator: new Generator(seed) });

describe('nn.summary', () => {
  it('reports a Dense layer from 7·16·16 to 8·12·12 (seed 004 Q1): 2,065,536 parameters, 2,064,384 MACs', () => {
    const inF = 7 * 16 * 16;
    const outF = 8 * 12 * 12;
    const model = new nn.Sequential(new nn.Flatten(), new nn.Dense(inF, outF, g()));
    const s = summary(model, [1, 7, 16, 16]);
    expect(s).toBeInstanceOf(ModelSummary);
    expect(s.rows.map((r) => r.name)).toEqual(['0', '1']);
    expect(s.rows[0]).toEqual({ name: '0', layer: 'Flatten', outputShape: [1, inF], parameters: 0, macs: 0 });
    expect(s.rows[1].outputShape).toEqual([1, outF]);
    // a weight of in·out plus a bias of out; one product per weight for the single input row
    expect(s.rows[1].parameters).toBe(inF * outF + outF);
    expect(s.rows[1].macs).toBe(inF * outF);
    expect(s.totalParameters).toBe(inF * outF + outF);
    expect(s.trainableParameters).toBe(inF * outF + outF);
    expect(s.totalMacs).toBe(inF * outF);
    const table = s.toString();
    expect(table).toContain('2,065,536');
    expect(table).toContain('2,064,384');
    expect(table).toContain('[1, 1152]');
  });

  it('reports Conv2d(7, 8, 5) on [1, 7, 16, 16]: 1,408 parameters, 201,600 MACs', () => {
    const s = summary(new Conv2d(7, 8, 5, g()), [1, 7, 16, 16]);
    expect(s.rows).toHaveLength(1);
    const [row] = s.rows;
    expect(row.name).toBe('');
    // 16 − 5 + 1 = 12 on each side
    expect(row.outputShape).toEqual([1, 8, 12, 12]);
    // weight 8·7·5·5, bias 8
    expect(row.parameters).toBe(8 * 7 * 5 * 5 + 8);
    // each of the 8·12·12 outputs sums 7·5·5 products
    expect(row.macs).toBe(8 * 12 * 12 * 7 * 5 * 5);
    expect(s.toString()).toMatch(/Total params: 1,408\n/);
    expect(s.toString()).toMatch(/Total MACs: 201,600\n/);
  });

  it('lists leaf calls in call order with dotted names, a repeated call twice, shared parameters once', () => {
    class Net extends nn.Module {
      // assigned in the opposite order to the one forward uses
      head = new nn.Dense(4, 2, g(1));
      body = new nn.Sequential(new nn.Dense(3, 4, g(2)), new nn.ReLU());
      act = new nn.Tanh();
      forward(x: Tensor): Tensor {
        const h = this.act.forward(this.body.forward(x));
        return this.head.forward(this.act.forward(h));
      }
    }
    const s = summary(new Net(), [5, 3]);
    expect(s.rows.map((r) => r.name)).toEqual(['body.0', 'body.1', 'act', 'act', 'head']);
    expect(s.rows.map((r) => r.outputShape)).toEqual([[5, 4], [5, 4], [5, 4], [5, 4], [5, 2]]);
    // per-row parameters are the module's own: Dense(3, 4) has 3·4 + 4, Dense(4, 2) has 4·2 + 2
    expect(s.rows.map((r) => r.parameters)).toEqual([16, 0, 0, 0, 10]);
    // batch of 5 rows: 5·3·4 and 5·4·2 products
    expect(s.rows.map((r) => r.macs)).toEqual([60, 0, 0, 0, 40]);
    expect(s.totalParameters).toBe(26);
    expect(s.totalMacs).toBe(100);

    const shared = new nn.Dense(2, 2, g(3));
    const twice = new nn.Sequential(shared, new nn.ReLU(), shared);
    const t = summary(twice, [1, 2]);
    expect(t.rows.map((r) => r.name)).toEqual(['0', '1', '0']);
    expect(t.totalParameters).toBe(2 * 2 + 2); // counted once
    expect(t.totalMacs).toBe(2 * (2 * 2));       // but computed twice
  });

  it('lists the modules of a ModuleList under dotted names; the list itself is no row', () => {
    class Tower extends nn.Module {
      blocks = new nn.ModuleList([new nn.Dense(3, 5, g(4)), new nn.Tanh(), new nn.Dense(5, 2, g(5))]);
      forward(x: Tensor): Tensor {
        for (const m of this.blocks) x = m.forward(x);
        return x;
      }
    }
    const s = summary(new Tower(), [2, 3]);
    expect(s.rows.map((r) => r.name)).toEqual(['blocks.0', 'blocks.1', 'blocks.2']);
    expect(s.rows.map((r) => r.outputShape)).toEqual([[2, 5], [2, 5], [2, 2]]);
    // (3·5 + 5) + (5·2 + 2); 2 rows of 3·5 and 5·2 products
    expect(s.totalParameters).toBe(20 + 12);
    expect(s.totalMacs).toBe(2 * 15 + 2 * 10);
  });

  it('counts frozen parameters as non-trainable', () => {
    const model = new nn.Sequential(new nn.Dense(3, 4, g()), new nn.Dense(4, 1, g()));
    (model.at(0) as nn.Dense).weight.requiresGrad = false;
    const s = summary(model, [1, 3]);
    expect(s.totalParameters).toBe(3 * 4 + 4 + 4 + 1);
    expect(s.trainableParameters).toBe(4 + 4 + 1);
    expect(s.toString()).toContain(`Non-trainable params: ${3 * 4}`);
  });

  it('leaves the model as it was: no forward of its own, modes restored, no random draws', () => {
    const gen = new Generator(5);
    const drop = new Dropout(0.5, { generator: gen });
    const model = new nn.Sequential(new nn.Dense(3, 3, g()), drop, new nn.Dense(3, 2, g()));
    model.at(2).eval();
    const state = gen.getState();
    const before = model.parameters().map((p) => Array.from(p.data));
    summary(model, [4, 3]);
    for (const m of model.modules()) expect(Object.hasOwn(m, 'forward')).toBe(false);
    expect(model.modules().map((m) => m.training)).toEqual([true, true, true, false]);
    expect(gen.getState()).toEqual(state); // eval mode: dropout drew no mask
    expect(model.parameters().map((p) => Array.from(p.data))).toEqual(before);
    expect(model.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it('cleans up when the forward throws', () => {
    const model = new nn.Sequential(new nn.Dense(3, 3, g()), new nn.Dense(4, 2, g()));
    expect(() => summary(model, [1, 3])).toThrow(/linear/);
    for (const m of model.modules()) expect(Object.hasOwn(m, 'forward')).toBe(false);
    expect(model.modules().every((m) => m.training)).toBe(true);
  });

  it('keeps a forward the instance already had', () => {
    const layer = new nn.ReLU();
    const own = (x: Tensor) => x.mul(2);
    layer.forward = own;
    const s = summary(layer, [2]);
    expect(s.rows).toHaveLength(1);
    expect(layer.forward).toBe(own);
  });

  it('feeds zeros of the model\'s dtype, or of the one given, and several inputs from several shapes', () => {
    const model64 = new nn.Dense(2, 2, { dtype: 'float64', generator: new Generator(0) });
    expect(summary(model64, [1, 2]).rows[0].outputShape).toEqual([1, 2]);
    expect(() => summary(model64, [1, 2], { dtype: 'float32' })).toThrow();
    class Pair extends nn.Module {
      forward(a: Tensor, b: Tensor): Tensor {
        return a.add(b);
      }
    }
    expect(summary(new Pair(), [[2, 1], [1, 3]]).rows[0].outputShape).toEqual([2, 3]);
  });

  it('prints the table when asked', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const s = summary(new nn.Dense(2, 3, g()), [1, 2], { print: true });
      expect(log).toHaveBeenCalledTimes(1);
      expect(log.mock.calls[0][0]).toBe(s.toString());
      summary(new nn.Dense(2, 3, g()), [1, 2]);
      expect(log).toHaveBeenCalledTimes(1);
    } finally {
      log.mockRestore();
    }
  });

  it('checks its arguments', () => {
    expect(() => summary({} as nn.Module, [1])).toThrow(TypeError);
    expect(() => summary(new nn.ReLU(), [])).toThrow(TypeError);
    expect(() => summary(new nn.ReLU(), [1, -2])).toThrow(RangeError);
    expect(() => summary(new nn.ReLU(), [1.5])).toThrow(RangeError);
    expect(() => summary(new nn.ReLU(), [1], { dtype: 'int8' as never })).toThrow();
  });
});

describe('formatCount', () => {
  it('writes thousands separators', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(1408)).toBe('1,408');
    expect(formatCount(201600)).toBe('201,600');
    expect(formatCount(1234567890)).toBe('1,234,567,890');
  });
});
