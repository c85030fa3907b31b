import { describe, expect, it } from 'vitest';
import { Generator, Tensor, gradcheck, io, nn, randn, tensor, zeros, ShapeError } from '../../src/index.js';

const g = () => new Generator(3);

class Net extends nn.Module {
  fc1 = new nn.Dense(3, 4, { generator: g() });
  act = new nn.ReLU();
  fc2 = new nn.Dense(4, 2, { generator: g() });
  scale = new nn.Parameter(tensor([1.5]));
  stats = new nn.Buffer(zeros([2]));
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x))).mul(this.scale);
  }
}

describe('Module', () => {
  it('finds parameters, buffers and children in assignment order, with dotted names', () => {
    const net = new Net();
    expect(net.namedParameters().map(([n]) => n)).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']);
    expect(net.namedBuffers().map(([n]) => n)).toEqual(['stats']);
    expect(net.namedChildren().map(([n]) => n)).toEqual(['fc1', 'act', 'fc2']);
    expect(net.modules()).toHaveLength(4);
    // 3·4 + 4 + 4·2 + 2 + 1
    expect(net.numParameters()).toBe(12 + 4 + 8 + 2 + 1);
    expect(net.parameters().every((p) => p.requiresGrad)).toBe(true);
    expect(net.fc1.weight.name).toBe('fc1.weight');
  });

  it('names Sequential children 0, 1, ... as PyTorch', () => {
    const seq = new nn.Sequential(new nn.Dense(2, 3), new nn.Tanh(), new nn.Dense(3, 1));
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(nn.Dense);
    expect(() => seq.at(3)).toThrow(RangeError);
    expect(() => new nn.Sequential({} as nn.Module)).toThrow(TypeError);
  });

  it('counts a shared parameter once', () => {
    const shared = new nn.Dense(2, 2);
    const seq = new nn.Sequential(shared, new nn.ReLU(), shared);
    expect(seq.parameters()).toHaveLength(2);
    expect(seq.numParameters()).toBe(6);
  });

  it('propagates train() and eval() to every descendant', () => {
    const net = new Net();
    net.eval();
    expect(net.modules().every((m) => !m.training)).toBe(true);
    net.train();
    expect(net.modules().every((m) => m.training)).toBe(true);
  });

  it('zeroGrad clears every gradient; apply visits children before the parent', () => {
    const net = new Net();
    net.forward(randn([5, 3], { generator: g() })).sum().backward();
    expect(net.parameters().every((p) => p.grad !== null)).toBe(true);
    net.zeroGrad();
    expect(net.parameters().every((p) => p.grad === null)).toBe(true);
    const order: string[] = [];
    net.apply((m) => order.push(m.describe()));
    expect(order).toEqual(['Dense(3 → 4)', 'ReLU', 'Dense(4 → 2)', 'Net']);
  });

  it('stateDict → loadStateDict copies every value into another model', () => {
    const a = new Net();
    const b = new Net();
    b.fc1.weight.data.fill(0);
    b.stats.data.fill(7);
    b.loadStateDict(a.stateDict());
    for (const [name, t] of Object.entries(a.stateDict())) expect(Array.from(b.stateDict()[name].data)).toEqual(Array.from(t.data));
    // values are copied, not shared
    a.fc1.weight.data[0] += 1;
    expect(b.fc1.weight.data[0]).not.toBe(a.fc1.weight.data[0]);
  });

  it('loadStateDict validates every key, shape and dtype before writing anything', () => {
    const net = new Net();
    const before = net.parameters().map((p) => Array.from(p.data));
    const good = new Net().stateDict();
    const snapshot = () => net.parameters().map((p) => Array.from(p.data));

    const badShape = { ...good, 'fc2.bias': zeros([3]) };
    expect(() => net.loadStateDict(badShape)).toThrow(ShapeError);
    expect(() => net.loadStateDict(badShape)).toThrow(/fc2\.bias.*\[3\].*\[2\]/);
    expect(snapshot()).toEqual(before);

    const badDtype = { ...good, 'fc2.bias': zeros([2], { dtype: 'float64' }) };
    expect(() => net.loadStateDict(badDtype)).toThrow(/fc2\.bias is float64/);
    expect(snapshot()).toEqual(before);

    const missing: Record<string, Tensor> = { ...good };
    delete missing['fc1.bias'];
    expect(() => net.loadStateDict(missing)).toThrow(/missing keys: fc1\.bias/);
    expect(() => net.loadStateDict({ ...good, extra: zeros([1]) })).toThrow(/unexpected keys: extra/);
    expect(snapshot()).toEqual(before);

    // strict: false skips unknown and missing keys and reports them
    const result = net.loadStateDict({ ...missing, extra: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['fc1.bias'], unexpectedKeys: ['extra'] });
    expect(Array.from(net.fc1.weight.data)).toEqual(Array.from(good['fc1.weight'].data));
    expect(Array.from(net.fc1.bias!.data)).toEqual(before[2]);
  });

  it('a truncated or corrupted safetensors file leaves the model exactly as it was', () => {
    const net = new Net();
    const before = net.stateDict();
    const snapshot = Object.fromEntries(Object.entries(before).map(([k, t]) => [k, Array.from(t.data)]));
    const other = new Net();
    other.fc1.weight.data.fill(0.5);
    const bytes = io.saveSafetensors(other.stateDict());
    const truncated = bytes.slice(0, bytes.length - 4);
    const corrupted = bytes.slice();
    corrupted[10] = 0x7b; // a '{' inside the JSON header
    for (const bad of [truncated, corrupted]) {
      expect(() => net.loadStateDict(io.loadSafetensors(bad))).toThrow();
      for (const [k, t] of Object.entries(net.stateDict())) expect(Array.from(t.data), k).toEqual(snapshot[k]);
    }
    // the intact file does load, so the two failures above came from the damage
    net.loadStateDict(io.loadSafetensors(bytes));
    expect(Array.from(net.fc1.weight.data)).toEqual(new Array(12).fill(0.5));
  });

  it('toString shows the tree', () => {
    expect(new nn.Sequential(new nn.Dense(2, 3, { bias: false }), new nn.LeakyReLU(0.2)).toString()).toBe(
      'Sequential\n  (0): Dense(2 → 3, bias: false)\n  (1): LeakyReLU(0.2)',
    );
  });
});

describe('Dense', () => {
  it('computes x·Wᵀ + b over the last dim (any leading dims)', () => {
    const fc = new nn.Dense(3, 2);
    fc.weight.data.set([1, 2, 3, 4, 5, 6]);
    fc.bias!.data.set([0.5, -1]);
    // [1, 0, -1]·[1,2,3] + 0.5 = -1.5; ·[4,5,6] − 1 = −3
    expect(fc.forward(tensor([[1, 0, -1]])).toArray()).toEqual([[-1.5, -3]]);
    expect(fc.forward(tensor([1, 0, -1])).toArray()).toEqual([-1.5, -3]);
    expect(fc.forward(zeros([4, 5, 3])).shape).toEqual([4, 5, 2]);
    expect(() => fc.forward(zeros([2, 4]))).toThrow(/linear: input \[2,4\] does not fit weight \[2,3\]/);
  });

  it('initialises weight and bias from U(−1/√in, 1/√in), reproducibly', () => {
    const fc = new nn.Dense(16, 64, { generator: new Generator(1) });
    const bound = 1 / Math.sqrt(16);
    for (const p of fc.parameters()) expect(Array.from(p.data).every((v) => Math.abs(v) <= bound)).toBe(true);
    // 1024 uniform draws: the largest |w| is close to the bound
    expect(Math.max(...Array.from(fc.weight.data, Math.abs))).toBeGreaterThan(0.95 * bound);
    const again = new nn.Dense(16, 64, { generator: new Generator(1) });
    expect(Array.from(again.weight.data)).toEqual(Array.from(fc.weight.data));
    expect(() => new nn.Dense(0, 3)).toThrow(RangeError);
    expect(() => new nn.Dense(2.5, 3)).toThrow(/inFeatures must be a positive integer, got 2.5/);
  });

  it('passes gradcheck (input, weight, bias) in float64, with and without bias', () => {
    for (const bias of [true, false]) {
      const fc = new nn.Dense(3, 2, { dtype: 'float64', bias, generator: g() });
      const x = randn([4, 3], { dtype: 'float64', requiresGrad: true, generator: g() });
      const params = fc.parameters();
      const report = gradcheck((x, ...ps) => nn.linear(x, ps[0], ps[1] ?? null), [x, ...params]);
      expect(report.inputs).toHaveLength(bias ? 3 : 2);
    }
  });

  it('is also called Linear', () => {
    expect(new nn.Linear(2, 2)).toBeInstanceOf(nn.Dense);
  });
});
