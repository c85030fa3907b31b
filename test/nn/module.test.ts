import { describe, expect, it } from 'vitest';
import { Generator, Tensor, gradcheck, io, nn, optim, randn, tensor, zeros, ShapeError } from '../../src/index.js';

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
    const seq = new nn.Sequential(new nn.Dense(2, 3, { generator: g() }), new nn.Tanh(), new nn.Dense(3, 1, { generator: g() }));
    expect(Object.keys(seq.stateDict())).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(nn.Dense);
    expect(() => seq.at(3)).toThrow(RangeError);
    expect(() => new nn.Sequential({} as nn.Module)).toThrow(TypeError);
  });

  it('counts a shared parameter once', () => {
    const shared = new nn.Dense(2, 2, { generator: g() });
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

  it('loadStateDict validates every key, shape and dtype before writing anything (parameters and buffers)', () => {
    const net = new Net();
    net.stats.data.set([0.25, -4]);
    const values = (m: nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    const before = values(net);
    // A source that differs from net in every element, so that any partial write shows in the snapshot.
    const source = new Net();
    for (const t of Object.values(source.stateDict())) t.data.forEach((_, i) => { t.data[i] = 100 + i; });
    const good = source.stateDict();
    for (const [k, v] of Object.entries(before)) expect(Array.from(good[k].data), k).not.toEqual(v);
    expect(Object.keys(good)).toEqual(['scale', 'fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias', 'stats']);

    // Each bad entry comes after every parameter that is fine; 'stats' is the last key checked.
    const badShape = { ...good, 'fc2.bias': zeros([3]) };
    expect(() => net.loadStateDict(badShape)).toThrow(ShapeError);
    expect(() => net.loadStateDict(badShape)).toThrow(/fc2\.bias.*\[3\].*\[2\]/);
    expect(values(net)).toEqual(before);

    const badDtype = { ...good, 'fc2.bias': zeros([2], { dtype: 'float64' }) };
    expect(() => net.loadStateDict(badDtype)).toThrow(/fc2\.bias is float64/);
    expect(values(net)).toEqual(before);

    expect(() => net.loadStateDict({ ...good, stats: zeros([2, 1]) })).toThrow(/stats has shape \[2, ?1\]/);
    expect(() => net.loadStateDict({ ...good, stats: zeros([2], { dtype: 'float64' }) })).toThrow(/stats is float64/);
    expect(() => net.loadStateDict({ ...good, stats: [1, 2] as unknown as Tensor })).toThrow(/stats is not a Tensor/);
    expect(values(net)).toEqual(before);

    const missing: Record<string, Tensor> = { ...good };
    delete missing['fc1.bias'];
    expect(() => net.loadStateDict(missing)).toThrow(/missing keys: fc1\.bias/);
    expect(() => net.loadStateDict({ ...good, extra: zeros([1]) })).toThrow(/unexpected keys: extra/);
    expect(values(net)).toEqual(before);

    // strict: false skips unknown and missing keys and reports them; everything else (the buffer too) is written
    const result = net.loadStateDict({ ...missing, extra: zeros([1]) }, { strict: false });
    expect(result).toEqual({ missingKeys: ['fc1.bias'], unexpectedKeys: ['extra'] });
    const after = values(net);
    for (const k of Object.keys(good)) expect(after[k], k).toEqual(k === 'fc1.bias' ? before[k] : Array.from(good[k].data));
  });

  it('loadStateDict refuses a valid safetensors file whose last entry has the wrong shape or dtype, and changes nothing', () => {
    // BatchNorm adds buffers; the last entry of its state dict (and the last one loadStateDict checks) is 1.numBatchesTracked.
    const make = (seed: number) => new nn.Sequential(
      new nn.Dense(3, 4, { generator: new Generator(seed) }), new nn.BatchNorm1d(4), new nn.ReLU(),
      new nn.Dense(4, 2, { generator: new Generator(seed + 1) }),
    );
    const net = make(10);
    net.forward(randn([5, 3], { generator: new Generator(12) })); // moves the running statistics off their defaults
    const values = (m: nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    const before = values(net);
    expect(before['1.numBatchesTracked']).toEqual([1]);

    const other = make(20);
    const bn = other.at(1) as nn.BatchNorm1d;
    bn.weight!.data.set([0.5, 1.5, 2, 3]); // off the ones and zeros net's BatchNorm also starts from
    bn.bias!.data.set([0.1, -0.2, 0.3, -0.4]);
    for (let i = 0; i < 3; i++) other.forward(randn([5, 3], { generator: new Generator(30 + i) }));
    const otherValues = values(other);
    const keys = Object.keys(otherValues);
    expect(keys.at(-1)).toBe('1.numBatchesTracked');
    expect(keys).toContain('1.runningMean');
    // every entry differs from net's, so a write of any earlier key before the refusal would show below
    for (const k of keys) expect(otherValues[k], k).not.toEqual(before[k]);

    const wrongLast: Array<[Tensor, RegExp]> = [
      [tensor([3], { dtype: 'float64' }), /1\.numBatchesTracked has shape \[1\] in the state dict but \[\] in the module/],
      [tensor(3), /1\.numBatchesTracked is float32 in the state dict but float64 in the module/],
    ];
    for (const [last, message] of wrongLast) {
      const bytes = io.saveSafetensors({ ...other.stateDict(), '1.numBatchesTracked': last });
      const loaded = io.loadSafetensors(bytes); // the file itself is valid
      expect(Object.keys(loaded)).toEqual(keys);
      expect(() => net.loadStateDict(loaded)).toThrow(message);
      expect(values(net)).toEqual(before);
    }

    // the same file with a right last entry loads every value, buffers included
    net.loadStateDict(io.loadSafetensors(io.saveSafetensors(other.stateDict())));
    expect(values(net)).toEqual(otherValues);
  });

  it('damaged safetensors files: loadSafetensors rejects a broken one; a renamed key is refused by loadStateDict', () => {
    const net = new Net();
    const before = Object.entries(net.stateDict()).map(([k, t]) => [k, Array.from(t.data)]);
    const other = new Net();
    other.fc1.weight.data.fill(0.5);
    const bytes = io.saveSafetensors(other.stateDict());
    const truncated = bytes.slice(0, bytes.length - 4);
    const broken = bytes.slice();
    broken[8] = 0; // the header's opening '{': a control character is valid nowhere in JSON
    for (const bad of [truncated, broken]) expect(() => io.loadSafetensors(bad)).toThrow(io.SafetensorsError);
    // byte 10 is the 's' of the first key, "scale": the file stays valid but holds '{cale' instead
    const renamed = bytes.slice();
    renamed[10] = 0x7b;
    const dict = io.loadSafetensors(renamed);
    expect(Object.keys(dict)[0]).toBe('{cale');
    expect(() => net.loadStateDict(dict)).toThrow(/missing keys: scale; unexpected keys: \{cale/);
    expect(Object.entries(net.stateDict()).map(([k, t]) => [k, Array.from(t.data)])).toEqual(before);
    // the intact file does load, so the failures above came from the damage
    net.loadStateDict(io.loadSafetensors(bytes));
    expect(Array.from(net.fc1.weight.data)).toEqual(new Array(12).fill(0.5));
  });

  it('toString shows the tree', () => {
    expect(new nn.Sequential(new nn.Dense(2, 3, { bias: false, generator: g() }), new nn.LeakyReLU(0.2)).toString()).toBe(
      'Sequential\n  (0): Dense(2 → 3, bias: false)\n  (1): LeakyReLU(0.2)',
    );
  });
});

describe('Dense', () => {
  it('computes x·Wᵀ + b over the last dim (any leading dims)', () => {
    const fc = new nn.Dense(3, 2, { generator: g() });
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
    expect(() => new nn.Dense(0, 3, { generator: g() })).toThrow(RangeError);
    expect(() => new nn.Dense(2.5, 3, { generator: g() })).toThrow(/inFeatures must be a positive integer, got 2.5/);
  });

  it('passes gradcheck of its own forward (input, weight, bias) in float64, with and without bias', () => {
    for (const bias of [true, false]) {
      const fc = new nn.Dense(3, 2, { dtype: 'float64', bias, generator: g() });
      const x = randn([4, 3], { dtype: 'float64', requiresGrad: true, generator: new Generator(4) });
      // gradcheck differentiates the copies it hands fn, so they are put in place of the layer's parameters.
      const report = gradcheck((x, w, b) => {
        fc.weight = w as nn.Parameter;
        if (bias) fc.bias = b as nn.Parameter;
        return fc.forward(x);
      }, [x, ...fc.parameters()]);
      expect(report.ok).toBe(true);
      expect(report.inputs.map((r) => r.shape)).toEqual(bias ? [[4, 3], [2, 3], [2]] : [[4, 3], [2, 3]]);
    }
  });

  it('is also called Linear', () => {
    expect(new nn.Linear(2, 2, { generator: g() })).toBeInstanceOf(nn.Dense);
  });
});

describe('ModuleList', () => {
  const dense = (i: number, o: number, seed: number) => new nn.Dense(i, o, { generator: new Generator(seed) });

  /** Layers built and applied in a loop: a residual tower of Dense layers, and a head. */
  class Tower extends nn.Module {
    blocks = new nn.ModuleList();
    norm = new nn.BatchNorm1d(4);
    head: nn.Dense;
    constructor(depth: number, seed: number) {
      super();
      for (let i = 0; i < depth; i++) this.blocks.append(dense(4, 4, seed + i));
      this.head = dense(4, 1, seed + depth);
    }
    forward(x: Tensor): Tensor {
      for (const block of this.blocks) x = x.add(block.forward(x).tanh());
      return this.head.forward(this.norm.forward(x));
    }
  }

  it('has its children\'s parameters, buffers and state dict keys, named 0, 1, ... as Sequential\'s', () => {
    const layers = [dense(2, 3, 1), new nn.BatchNorm1d(3), new nn.ReLU()];
    const list = new nn.ModuleList(layers);
    const keys = ['0.weight', '0.bias', '1.weight', '1.bias', '1.runningMean', '1.runningVar', '1.numBatchesTracked'];
    expect(Object.keys(list.stateDict())).toEqual(keys);
    expect(list.namedChildren().map(([n]) => n)).toEqual(['0', '1', '2']);
    expect(list.children()).toEqual(layers);
    expect(list.namedBuffers().map(([n]) => n)).toEqual(['1.runningMean', '1.runningVar', '1.numBatchesTracked']);
    // the very tensors of the layers, in the order Sequential gives them
    const seq = new nn.Sequential(...layers);
    const params = list.parameters();
    expect(params).toHaveLength(4);
    seq.parameters().forEach((p, i) => expect(params[i]).toBe(p));
    expect(list.numParameters()).toBe(2 * 3 + 3 + 3 + 3);
    expect(list.toString()).toBe('ModuleList\n  (0): Dense(2 → 3)\n  (1): BatchNorm1d(3, eps: 0.00001, momentum: 0.1)\n  (2): ReLU');

    const tower = new Tower(2, 5);
    expect(Object.keys(tower.stateDict())).toEqual([
      'blocks.0.weight', 'blocks.0.bias', 'blocks.1.weight', 'blocks.1.bias', 'norm.weight', 'norm.bias', 'head.weight', 'head.bias',
      'norm.runningMean', 'norm.runningVar', 'norm.numBatchesTracked',
    ]);
    // 2·(4·4 + 4) + 4 + 4 + (4 + 1)
    expect(tower.numParameters()).toBe(2 * 20 + 8 + 5);
    expect(tower.toString()).toBe('Tower\n  (blocks): ModuleList\n    (0): Dense(4 → 4)\n    (1): Dense(4 → 4)\n  (norm): BatchNorm1d(4, eps: 0.00001, momentum: 0.1)\n  (head): Dense(4 → 1)');
  });

  it('loadStateDict reaches the modules in the list, and refuses a bad one without writing anything', () => {
    const a = new Tower(3, 10);
    a.forward(randn([6, 4], { generator: new Generator(1) })); // running statistics off their defaults
    const b = new Tower(3, 20);
    const values = (m: nn.Module) => Object.fromEntries(Object.entries(m.stateDict()).map(([k, t]) => [k, Array.from(t.data)]));
    const va = values(a);
    const vb = values(b);
    for (const k of ['blocks.0.weight', 'blocks.2.bias', 'norm.runningMean']) expect(vb[k], k).not.toEqual(va[k]);

    expect(() => b.loadStateDict({ ...a.stateDict(), 'blocks.2.bias': zeros([3]) })).toThrow(/blocks\.2\.bias has shape \[3\]/);
    expect(values(b)).toEqual(vb);
    const missing: Record<string, Tensor> = { ...a.stateDict() };
    delete missing['blocks.1.weight'];
    expect(() => b.loadStateDict(missing)).toThrow(/missing keys: blocks\.1\.weight/);
    expect(values(b)).toEqual(vb);

    b.loadStateDict(a.stateDict());
    expect(values(b)).toEqual(va);
    // and b now computes what a computes
    const x = randn([3, 4], { generator: new Generator(2) });
    a.eval();
    b.eval();
    expect(Array.from(b.forward(x).data)).toEqual(Array.from(a.forward(x).data));
  });

  it('train() and eval() reach the modules in the list', () => {
    const drop = new nn.Dropout(0.5, { generator: new Generator(3) });
    const tower = new Tower(2, 30);
    tower.blocks.append(drop);
    tower.eval();
    expect(tower.modules()).toHaveLength(1 + 1 + 3 + 1 + 1); // tower, list, its 3 modules, norm, head
    expect(tower.modules().every((m) => !m.training)).toBe(true);
    expect(drop.training).toBe(false);
    tower.blocks.train();
    expect([...tower.blocks].every((m) => m.training)).toBe(true);
    expect(tower.head.training).toBe(false);
    tower.train();
    expect(tower.modules().every((m) => m.training)).toBe(true);
  });

  it('append, length, at, iteration; bad arguments are refused', () => {
    const [a, b, c] = [new nn.ReLU(), new nn.Tanh(), new nn.Sigmoid()];
    const list = new nn.ModuleList([a]);
    expect(list.append(b)).toBe(list);
    list.append(c);
    expect(list.length).toBe(3);
    expect([...list]).toEqual([a, b, c]);
    expect([list.at(0), list.at(2), list.at(-1), list.at(-3)]).toEqual([a, c, c, a]);
    for (const i of [3, -4, 100]) expect(() => list.at(i)).toThrow(/ModuleList\.at: index -?\d+ is out of range -3\.\.2 for 3 modules/);
    for (const i of [0.5, NaN, Infinity]) expect(() => list.at(i)).toThrow(RangeError);
    expect(() => list.at('0' as unknown as number)).toThrow(/index must be an integer, got "0"/);
    expect(new nn.ModuleList().length).toBe(0);
    expect(() => new nn.ModuleList().at(0)).toThrow(RangeError);

    expect(() => new nn.ModuleList([a, {} as nn.Module])).toThrow(/ModuleList: element 1 is not a Module/);
    expect(() => new nn.ModuleList(3 as unknown as nn.Module[])).toThrow(TypeError);
    expect(() => list.append(tensor([1]) as unknown as nn.Module)).toThrow(/the appended value is not a Module, got Tensor/);
    expect(list.length).toBe(3);
    // a list inside its own tree would make every walk recurse forever
    expect(() => list.append(list)).toThrow(/cannot contain itself/);
    expect(() => list.append(new nn.Sequential(new nn.ModuleList([list])))).toThrow(/cannot contain itself/);
    expect(list.length).toBe(3);
    // it holds modules; the model that holds it decides how they are called
    expect(() => list.forward(zeros([2]))).toThrow(/ModuleList has no forward/);
  });

  it('a model that applies a ModuleList in a loop trains: every module of the list gets gradients and the loss falls', () => {
    const model = new Tower(3, 40);
    const gen = new Generator(41);
    const x = randn([32, 4], { generator: gen });
    // a smooth target the model can fit: y = sin(x₀) + x₁·x₂
    const y = tensor(Array.from({ length: 32 }, (_, i) => [Math.sin(x.data[4 * i]) + x.data[4 * i + 1] * x.data[4 * i + 2]]));
    const lossOf = () => model.forward(x).sub(y).square().mean();
    const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
    expect(opt.paramGroups[0].params).toHaveLength(3 * 2 + 2 + 2);
    const start = lossOf().item();
    const firstBlock = Array.from((model.blocks.at(0) as nn.Dense).weight.data);
    for (let step = 0; step < 80; step++) {
      opt.zeroGrad();
      const loss = lossOf();
      loss.backward();
      if (step === 0) for (const block of model.blocks) for (const p of block.parameters()) expect(p.grad).not.toBeNull();
      opt.step();
    }
    const end = lossOf().item();
    expect(end).toBeLessThan(0.25 * start);
    expect(Array.from((model.blocks.at(0) as nn.Dense).weight.data)).not.toEqual(firstBlock);
  });
});

describe('a plain array of modules in a property', () => {
  class Hidden extends nn.Module {
    blocks = [new nn.Dense(2, 2, { generator: new Generator(1) }), new nn.ReLU()];
    forward(x: Tensor): Tensor {
      for (const b of this.blocks) x = b.forward(x);
      return x;
    }
  }

  it('is a TypeError naming the property and pointing to ModuleList, from every walk of the tree', () => {
    const m = new Hidden();
    const message = /Hidden: the property 'blocks' is a plain array holding modules.*nn\.ModuleList/;
    expect(() => m.parameters()).toThrow(TypeError);
    expect(() => m.parameters()).toThrow(message);
    for (const walk of [() => m.stateDict(), () => m.eval(), () => m.namedChildren(), () => m.toString(), () => m.zeroGrad()]) {
      expect(walk).toThrow(message);
    }
    // also when the array sits deeper in the tree, or holds other values too
    expect(() => new nn.Sequential(new Hidden()).parameters()).toThrow(message);
    class Mixed extends nn.Module {
      parts: unknown[] = [1, 'a', new nn.Tanh()];
      forward(x: Tensor): Tensor {
        return x;
      }
    }
    expect(() => new Mixed().modules()).toThrow(/Mixed: the property 'parts'/);
  });

  it('arrays without modules are ordinary properties', () => {
    class Plain extends nn.Module {
      sizes = [2, 3];
      history: number[] = [];
      fc = new nn.Dense(2, 3, { generator: new Generator(2) });
      forward(x: Tensor): Tensor {
        return this.fc.forward(x);
      }
    }
    const p = new Plain();
    expect(p.namedChildren().map(([n]) => n)).toEqual(['fc']);
    expect(p.numParameters()).toBe(2 * 3 + 3);
  });
});

describe('library layers state their names', () => {
  // The minified browser bundle renames classes (tsup keepNames is off), so a library layer that fell back on
  // Module.describe() (this.constructor.name) would print as 'Ut' there: every Module class nn exports states its
  // name in a describe() of its own (BatchNorm1d/2d through their base), and its export name is what it prints.
  const layers = Object.entries(nn).filter(
    (entry): entry is [string, typeof nn.Module] => typeof entry[1] === 'function' && entry[1].prototype instanceof nn.Module,
  );

  it('nn exports at least the known layers', () => {
    expect(layers.map(([name]) => name)).toEqual(expect.arrayContaining(['Dense', 'Conv2d', 'BatchNorm2d', 'ReLU', 'Sequential', 'ModuleList', 'MSELoss']));
  });

  it.each(layers.map(([name, cls]) => [name, cls] as const))('%s overrides describe()', (_name, cls) => {
    expect(cls.prototype.describe).not.toBe(nn.Module.prototype.describe);
  });

  it('each layer prints its export name', () => {
    const make: Record<string, () => nn.Module> = {
      Dense: () => new nn.Dense(2, 1, { generator: new Generator(0) }),
      Conv2d: () => new nn.Conv2d(1, 1, 3, { generator: new Generator(0) }),
      MaxPool2d: () => new nn.MaxPool2d(2),
      AvgPool2d: () => new nn.AvgPool2d(2),
      BatchNorm1d: () => new nn.BatchNorm1d(2),
      BatchNorm2d: () => new nn.BatchNorm2d(2),
      Dropout: () => new nn.Dropout(0.5),
    };
    for (const [name, cls] of layers) {
      if (name === 'Linear' || name === 'BatchNormBase') continue; // an alias, and an abstract base
      const made = make[name]?.() ?? new (cls as unknown as new () => nn.Module)();
      expect(made.describe().startsWith(name), `${name}: ${made.describe()}`).toBe(true);
    }
  });
});
