/**
 * The optimizer base: parameter groups, zeroGrad, skipping parameters without gradients, state dicts (round trip,
 * bit-identical resume, validation that leaves the optimizer untouched), and hyperparameter range checks.
 */
import { describe, it, expect } from 'vitest';
import { Generator, ShapeError, Tensor, randn, tensor, zeros } from '../../src/index.js';
import { thrown } from '../helpers.js';
import { Optimizer, type OptimizerStateDict } from '../../src/optim/optimizer.js';
import { SGD } from '../../src/optim/sgd.js';
import { Adam, AdamW } from '../../src/optim/adam.js';
import { RMSprop } from '../../src/optim/rmsprop.js';
import { Adagrad } from '../../src/optim/adagrad.js';

/** loss = ½ Σ w² over the tensors, so each gradient equals its tensor. */
function halfSquares(...ws: Tensor[]): Tensor {
  return ws.map((w) => w.square().sum().mul(0.5)).reduce((a, b) => a.add(b));
}

/** A state dict as plain data (tensors as shape, dtype and values), for deep comparisons and JSON. */
function plain(dict: OptimizerStateDict): unknown {
  const state = Object.fromEntries(Object.entries(dict.state).map(([k, s]) => [k, Object.fromEntries(Object.entries(s).map(([name, v]) => [
    name, v instanceof Tensor ? { shape: [...v.shape], dtype: v.dtype, data: Array.from(v.data) } : v,
  ]))]));
  return { state, paramGroups: JSON.parse(JSON.stringify(dict.paramGroups)) };
}

/** What a checkpoint does: tensors copied out as bytes and back, everything else through JSON. */
function throughCheckpoint(dict: OptimizerStateDict): OptimizerStateDict {
  const state: OptimizerStateDict['state'] = {};
  for (const [k, s] of Object.entries(dict.state)) {
    state[Number(k)] = Object.fromEntries(Object.entries(s).map(([name, v]) => [
      name, v instanceof Tensor ? new Tensor(v.data.slice(), v.shape) : JSON.parse(JSON.stringify(v)),
    ]));
  }
  return { state, paramGroups: JSON.parse(JSON.stringify(dict.paramGroups)) };
}

describe('parameter groups', () => {
  it('each group steps with its own lr; unset options take the defaults', () => {
    const a = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
    const b = tensor([4], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([{ params: [a], lr: 0.1 }, { params: [b] }], { lr: 0.5 });
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
    expect(opt.paramGroups[0].momentum).toBe(0);
    halfSquares(a, b).backward();
    opt.step();
    // Gradients equal the values: a ← a − 0.1·a, b ← b − 0.5·b.
    expect(Array.from(a.data)).toEqual([1 - 0.1 * 1, -2 - 0.1 * -2]);
    expect(Array.from(b.data)).toEqual([4 - 0.5 * 4]);
  });

  it('a group can override any hyperparameter, and groups can be changed between steps', () => {
    const a = tensor([1], { dtype: 'float64', requiresGrad: true });
    const b = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([{ params: [a], momentum: 0.9 }, { params: [b] }], { lr: 0.1 });
    for (let s = 0; s < 2; s++) {
      opt.zeroGrad();
      halfSquares(a, b).backward();
      opt.step();
    }
    // a: buf₁ = 1, a₁ = 0.9; buf₂ = 0.9·1 + 0.9 = 1.8, a₂ = 0.9 − 0.18 = 0.72. b: 1 → 0.9 → 0.81.
    expect(a.data[0]).toBeCloseTo(0.72, 14);
    expect(b.data[0]).toBeCloseTo(0.81, 14);
    opt.paramGroups[1].lr = 1;
    opt.zeroGrad();
    halfSquares(b).backward();
    opt.step();
    expect(b.data[0]).toBe(0); // b ← b − 1·b
  });

  it('addParamGroup adds a group that later steps update, after checking it', () => {
    const a = tensor([1], { dtype: 'float64', requiresGrad: true });
    const b = tensor([2], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([a], { lr: 0.1 });
    expect(() => opt.addParamGroup({ params: [b], lr: -1 })).toThrow(RangeError);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one place/);
    expect(() => opt.addParamGroup({ params: [b], betas: [0.9, 1] })).toThrow(/Adam: betas\[1\] must be .* got 1/);
    expect(opt.paramGroups).toHaveLength(1);
    opt.addParamGroup({ params: [b], lr: 0.01 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false });
    halfSquares(a, b).backward();
    opt.step();
    // First Adam step: about −lr·sign(grad).
    expect(b.data[0]).toBeCloseTo(2 - 0.01, 8);
    expect(a.data[0]).toBeCloseTo(1 - 0.1, 8);
  });

  it("groups do not share the defaults' arrays", () => {
    const opt = new Adam([{ params: [tensor([1], { requiresGrad: true })] }, { params: [tensor([1], { requiresGrad: true })] }]);
    opt.paramGroups[0].betas[0] = 0.5;
    expect(opt.paramGroups[1].betas[0]).toBe(0.9);
    expect(opt.defaults.betas[0]).toBe(0.9);
  });
});

describe('zeroGrad and step', () => {
  it('zeroGrad() sets gradients to null; setToNone: false zeroes them in place', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    halfSquares(w).backward();
    const grad = w.grad!;
    opt.zeroGrad({ setToNone: false });
    expect(w.grad).toBe(grad);
    expect(Array.from(grad.data)).toEqual([0, 0]);
    halfSquares(w).backward();
    expect(Array.from(w.grad!.data)).toEqual([1, 2]); // accumulated onto zeros
    opt.zeroGrad();
    expect(w.grad).toBeNull();
  });

  it('without zeroGrad, gradients accumulate and the step uses their sum', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([w], { lr: 0.1 });
    halfSquares(w).backward();
    halfSquares(w).backward();
    opt.step();
    expect(w.data[0]).toBeCloseTo(1 - 0.1 * 2, 15);
  });

  it('skips parameters whose grad is null and creates no state for them', () => {
    const a = tensor([1], { requiresGrad: true });
    const b = tensor([3], { requiresGrad: true });
    const opt = new Adam([a, b], { lr: 0.1 });
    halfSquares(a).backward();
    opt.step();
    expect(b.data[0]).toBe(3);
    expect(opt.state.has(b)).toBe(false);
    expect(opt.state.get(a)!.step).toBe(1);
    expect(Object.keys(opt.stateDict().state)).toEqual(['0']);
  });

  it('updates in place without recording a graph, leaving the gradients as they were', () => {
    const w = tensor([1, -1], { requiresGrad: true });
    const data = w.data;
    const opt = new SGD([w], { lr: 0.1, weightDecay: 0.5, momentum: 0.9 });
    halfSquares(w).backward();
    opt.step();
    expect(w.data).toBe(data);
    expect(w.isLeaf).toBe(true);
    expect(w.requiresGrad).toBe(true);
    expect(Array.from(w.grad!.data)).toEqual([1, -1]);
  });

  it('step(closure) evaluates the closure with gradients recorded and returns its result', () => {
    const w = tensor([2], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([w], { lr: 0.5 });
    const loss = opt.step(() => {
      opt.zeroGrad();
      const l = halfSquares(w);
      l.backward();
      return l.item();
    });
    expect(loss).toBe(2);
    expect(w.data[0]).toBe(1);
  });

  it('a gradient of the wrong size or dtype is an error, and no parameter moves', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([1, 2], { requiresGrad: true });
    const opt = new SGD([a, b], { lr: 0.1 });
    a.grad = tensor([1, 1]);
    b.grad = tensor([1, 1, 1]);
    expect(() => opt.step()).toThrow(ShapeError);
    b.grad = tensor([1, 1], { dtype: 'float64' });
    const e = thrown(() => opt.step());
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toMatch(/^SGD: parameter 1 is float32 but its gradient is float64/);
    expect(Array.from(a.data)).toEqual([1, 2]);
  });
});

describe('constructor checks', () => {
  const p = () => tensor([1], { requiresGrad: true });

  it('rejects bad parameter lists', () => {
    expect(() => new SGD([])).toThrow(/SGD: got an empty parameter list/);
    expect(() => new SGD([1 as unknown as Tensor])).toThrow(TypeError);
    const w = p();
    expect(() => new SGD([w, w])).toThrow(/more than one place/);
    expect(() => new SGD([{ params: [w] }, { params: [w] }])).toThrow(RangeError);
    expect(() => new Adam([w.mul(2)])).toThrow(/Adam: params\[0\] is not a leaf \(it was made by mul\)/);
    expect(() => new SGD([w, { params: [p()] }] as never)).toThrow(/mixes tensors and parameter groups/);
    expect(() => new SGD(w as never)).toThrow(TypeError);
  });

  it('rejects unknown options (typos)', () => {
    expect(() => new SGD([p()], { weight_decay: 0.1 } as never)).toThrow(/SGD: unknown option 'weight_decay'/);
    expect(() => new Adam([{ params: [p()], beta1: 0.9 } as never])).toThrow(/Adam: unknown hyperparameter 'beta1'/);
  });

  const invalid: Array<[string, () => unknown, RegExp]> = [
    ['SGD lr < 0', () => new SGD([p()], { lr: -0.1 }), /SGD: lr must be a finite number ≥ 0, got -0.1/],
    ['SGD lr NaN', () => new SGD([p()], { lr: NaN }), /SGD: lr .* got NaN/],
    ['SGD lr Infinity', () => new SGD([p()], { lr: Infinity }), /SGD: lr .* got Infinity/],
    ['SGD momentum < 0', () => new SGD([p()], { momentum: -0.5 }), /SGD: momentum .* got -0.5/],
    ['SGD dampening > 1', () => new SGD([p()], { momentum: 0.9, dampening: 1.5 }), /SGD: dampening must be a finite number in \[0, 1\], got 1.5/],
    ['SGD weightDecay < 0', () => new SGD([p()], { weightDecay: -1e-4 }), /SGD: weightDecay .* got -0.0001/],
    ['SGD nesterov without momentum', () => new SGD([p()], { nesterov: true }), /SGD: nesterov requires momentum > 0 and dampening 0, got momentum 0/],
    ['SGD nesterov with dampening', () => new SGD([p()], { nesterov: true, momentum: 0.9, dampening: 0.1 }), /SGD: nesterov .* dampening 0.1/],
    ['SGD in a group', () => new SGD([{ params: [p()], lr: -1 }]), /SGD: lr .* got -1/],
    ['Adam lr < 0', () => new Adam([p()], { lr: -1 }), /Adam: lr .* got -1/],
    ['Adam beta1 = 1', () => new Adam([p()], { betas: [1, 0.999] }), /Adam: betas\[0\] must be a finite number in \[0, 1\), got 1/],
    ['Adam beta2 < 0', () => new Adam([p()], { betas: [0.9, -0.1] }), /Adam: betas\[1\] .* got -0.1/],
    ['Adam eps < 0', () => new Adam([p()], { eps: -1e-8 }), /Adam: eps .* got -1e-8/],
    ['Adam weightDecay < 0', () => new Adam([p()], { weightDecay: -1 }), /Adam: weightDecay .* got -1/],
    ['AdamW beta1 > 1', () => new AdamW([p()], { betas: [1.1, 0.9] }), /AdamW: betas\[0\] .* got 1.1/],
    ['AdamW weightDecay < 0', () => new AdamW([p()], { weightDecay: -0.01 }), /AdamW: weightDecay .* got -0.01/],
    ['RMSprop lr < 0', () => new RMSprop([p()], { lr: -1 }), /RMSprop: lr .* got -1/],
    ['RMSprop alpha < 0', () => new RMSprop([p()], { alpha: -0.1 }), /RMSprop: alpha .* got -0.1/],
    ['RMSprop alpha > 1', () => new RMSprop([p()], { alpha: 1.5 }), /RMSprop: alpha .* got 1.5/],
    ['RMSprop eps < 0', () => new RMSprop([p()], { eps: -1 }), /RMSprop: eps .* got -1/],
    ['RMSprop momentum < 0', () => new RMSprop([p()], { momentum: -1 }), /RMSprop: momentum .* got -1/],
    ['RMSprop weightDecay < 0', () => new RMSprop([p()], { weightDecay: -1 }), /RMSprop: weightDecay .* got -1/],
    ['Adagrad lr < 0', () => new Adagrad([p()], { lr: -1 }), /Adagrad: lr .* got -1/],
    ['Adagrad lrDecay < 0', () => new Adagrad([p()], { lrDecay: -1 }), /Adagrad: lrDecay .* got -1/],
    ['Adagrad weightDecay < 0', () => new Adagrad([p()], { weightDecay: -1 }), /Adagrad: weightDecay .* got -1/],
    ['Adagrad initialAccumulatorValue < 0', () => new Adagrad([p()], { initialAccumulatorValue: -1 }), /Adagrad: initialAccumulatorValue .* got -1/],
    ['Adagrad eps < 0', () => new Adagrad([p()], { eps: -1 }), /Adagrad: eps .* got -1/],
  ];
  for (const [name, make, message] of invalid) {
    it(`RangeError: ${name}`, () => {
      expect(make).toThrow(RangeError);
      expect(make).toThrow(message);
    });
  }

  const wrongKind: Array<[string, () => unknown, RegExp]> = [
    ['lr as a string', () => new SGD([p()], { lr: '0.1' as never }), /SGD: lr must be a number, got "0.1"/],
    ['nesterov as a number', () => new SGD([p()], { nesterov: 1 as never }), /SGD: nesterov must be true or false, got 1/],
    ['betas not a pair', () => new Adam([p()], { betas: [0.9] as never }), /Adam: betas must be a pair/],
    ['amsgrad as a string', () => new Adam([p()], { amsgrad: 'yes' as never }), /Adam: amsgrad must be true or false/],
    ['biasCorrection as a number', () => new Adam([p()], { biasCorrection: 0 as never }), /Adam: biasCorrection must be true or false, got 0/],
    ['centered as null', () => new RMSprop([p()], { centered: null as never }), /RMSprop: centered must be true or false, got null/],
  ];
  for (const [name, make, message] of wrongKind) {
    it(`TypeError: ${name}`, () => {
      expect(make).toThrow(TypeError);
      expect(make).toThrow(message);
    });
  }

  it('an explicit undefined option takes the default', () => {
    const opt = new Adam([p()], { lr: undefined, eps: 1e-6 });
    expect(opt.paramGroups[0].lr).toBe(1e-3);
    expect(opt.paramGroups[0].eps).toBe(1e-6);
    expect(new AdamW([p()]).defaults.weightDecay).toBe(1e-2);
    expect(new RMSprop([p()]).defaults).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8 });
    expect(new Adagrad([p()]).defaults).toMatchObject({ lr: 1e-2, eps: 1e-10, lrDecay: 0, initialAccumulatorValue: 0 });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// State dicts

type Make = (params: Tensor[]) => Optimizer;
const makers: Array<[string, Make]> = [
  ['SGD (momentum, nesterov)', (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 })],
  ['Adam (amsgrad)', (p) => new Adam(p, { lr: 0.05, amsgrad: true })],
  ['AdamW', (p) => new AdamW(p, { lr: 0.05 })],
  ['RMSprop (centered, momentum)', (p) => new RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 })],
  ['Adagrad (lrDecay)', (p) => new Adagrad(p, { lr: 0.1, lrDecay: 0.01, initialAccumulatorValue: 0.1 })],
];

/** A tiny regression: two groups (weights at a lower lr) in float32, so resuming must be bit-exact in float32 too. */
function problem(seed: number) {
  const g = new Generator(seed);
  const x = randn([6, 3], { generator: g });
  const y = randn([6, 2], { generator: g });
  const w = randn([3, 2], { generator: g }).requiresGrad_();
  const b = zeros([2]).requiresGrad_();
  const loss = () => x.matmul(w).add(b).sub(y).square().mean();
  return { w, b, loss };
}

function train(opt: Optimizer, loss: () => Tensor, steps: number): void {
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    loss().backward();
    opt.step();
  }
}

function groupsOf(make: Make, w: Tensor, b: Tensor): Optimizer {
  const opt = make([w]);
  opt.addParamGroup({ params: [b], lr: opt.paramGroups[0].lr / 2 });
  return opt;
}

describe('stateDict / loadStateDict', () => {
  for (const [name, make] of makers) {
    it(`${name}: a run resumed from a saved state dict continues bit-identically`, () => {
      const full = problem(3);
      const opt = groupsOf(make, full.w, full.b);
      train(opt, full.loss, 10);
      const saved = throughCheckpoint(opt.stateDict());
      const w10 = full.w.data.slice();
      const b10 = full.b.data.slice();
      train(opt, full.loss, 10);

      const resumed = problem(3);
      resumed.w.data.set(w10);
      resumed.b.data.set(b10);
      const opt2 = groupsOf(make, resumed.w, resumed.b);
      opt2.loadStateDict(saved);
      train(opt2, resumed.loss, 10);
      expect(Array.from(resumed.w.data)).toEqual(Array.from(full.w.data));
      expect(Array.from(resumed.b.data)).toEqual(Array.from(full.b.data));
      expect(plain(opt2.stateDict())).toEqual(plain(opt.stateDict()));

      // And a fresh optimizer from step 10 without the saved state would not have matched.
      const cold = problem(3);
      cold.w.data.set(w10);
      cold.b.data.set(b10);
      train(groupsOf(make, cold.w, cold.b), cold.loss, 10);
      expect(Array.from(cold.w.data)).not.toEqual(Array.from(full.w.data));
    });

    it(`${name}: loadStateDict(stateDict()) round-trips exactly, and the dict is JSON + tensors`, () => {
      const { w, b, loss } = problem(4);
      const opt = groupsOf(make, w, b);
      train(opt, loss, 3);
      const dict = opt.stateDict();
      expect(dict.paramGroups.map((g) => g.params)).toEqual([[0], [1]]);
      for (const s of Object.values(dict.state)) {
        for (const v of Object.values(s)) expect(v instanceof Tensor || typeof v === 'number').toBe(true);
      }
      expect(JSON.parse(JSON.stringify(dict.paramGroups))).toEqual(dict.paramGroups);
      const before = plain(dict);
      opt.loadStateDict(dict);
      expect(plain(opt.stateDict())).toEqual(before);
    });
  }

  it('the dict is a snapshot, and the optimizer does not share storage with a dict it loaded', () => {
    const { w, b, loss } = problem(5);
    const opt = new Adam([w, b], { lr: 0.05 });
    train(opt, loss, 2);
    const dict = opt.stateDict();
    const snapshot = plain(dict);
    train(opt, loss, 2);
    expect(plain(dict)).toEqual(snapshot);

    const opt2 = new Adam([w, b], { lr: 0.05 });
    opt2.loadStateDict(dict);
    (dict.state[0].expAvg as Tensor).data.fill(123);
    dict.paramGroups[0].lr = 7;
    expect(Array.from(opt2.state.get(w)!.expAvg)).not.toContain(123);
    expect(opt2.paramGroups[0].lr).toBe(0.05);
  });

  it('loads hyperparameters (a scheduled lr comes back) and keeps the group objects', () => {
    const { w, b, loss } = problem(6);
    const opt = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
    train(opt, loss, 1);
    opt.paramGroups[0].lr = 0.025;
    const dict = opt.stateDict();
    const opt2 = new SGD([w, b], { lr: 0.1, momentum: 0.9 });
    const group = opt2.paramGroups[0];
    opt2.loadStateDict(dict);
    expect(opt2.paramGroups[0]).toBe(group);
    expect(group.lr).toBe(0.025);
    expect(group.params).toEqual([w, b]);
  });

  it('SGD without momentum has an empty state per parameter (its buffer is never made)', () => {
    const { w, b, loss } = problem(7);
    const opt = new SGD([w, b], { lr: 0.1 });
    train(opt, loss, 2);
    expect(opt.stateDict().state).toEqual({ 0: {}, 1: {} });
  });

  describe('bad dicts are refused and leave the optimizer exactly as it was', () => {
    const setup = () => {
      const { w, b, loss } = problem(8);
      const opt = groupsOf((p) => new Adam(p, { lr: 0.05, amsgrad: true }), w, b);
      train(opt, loss, 2);
      return { opt, good: opt.stateDict() };
    };
    type Mutate = (d: OptimizerStateDict & Record<string, unknown>) => unknown;
    const cases: Array<[string, Mutate, ErrorConstructor | typeof ShapeError, RegExp]> = [
      ['not an object', () => 42, TypeError, /Adam.loadStateDict: expected \{ state, paramGroups \}/],
      ['an extra top-level key', (d) => ({ ...d, epoch: 3 }), RangeError, /unexpected keys epoch/],
      ['a missing group', (d) => ({ ...d, paramGroups: d.paramGroups.slice(0, 1) }), RangeError, /1 parameter groups, the optimizer has 2/],
      ['a group with a parameter too many', (d) => { d.paramGroups[1].params = [1, 2]; }, RangeError, /paramGroups\[1\] has 2 parameters in the state dict but 1/],
      ['a repeated parameter index', (d) => { d.paramGroups[1].params = [0]; }, RangeError, /index 0 appears twice/],
      ['a non-integer index', (d) => { d.paramGroups[1].params = [1.5]; }, TypeError, /must be a non-negative integer, got 1.5/],
      ['an unknown hyperparameter', (d) => { (d.paramGroups[1] as Record<string, unknown>).momentum = 0.9; }, RangeError, /unknown momentum/],
      ['a missing hyperparameter', (d) => { delete (d.paramGroups[1] as Record<string, unknown>).eps; }, RangeError, /missing eps/],
      ['an out-of-range hyperparameter in the last group', (d) => { d.paramGroups[1].lr = -1; }, RangeError, /Adam: lr .* got -1/],
      ['a state for an unknown index', (d) => { d.state[5] = d.state[0]; }, RangeError, /entry '5' that is not a parameter index/],
      ['a state tensor of the wrong shape', (d) => { d.state[1].expAvg = zeros([3]); }, ShapeError, /state\[1\].expAvg has shape \[3\] but its parameter has shape \[2\]/],
      ['a state tensor of the wrong dtype', (d) => { d.state[1].expAvg = zeros([2], { dtype: 'float64' }); }, TypeError, /expAvg is float64 but its parameter is float32/],
      ['an unknown state entry', (d) => { d.state[1].momentumBuffer = zeros([2]); }, RangeError, /unknown entry 'momentumBuffer'/],
      ['a missing state tensor (amsgrad needs maxExpAvgSq)', (d) => { delete d.state[1].maxExpAvgSq; }, RangeError, /state\[1\] is missing 'maxExpAvgSq'/],
      ['a step that is not a number', (d) => { d.state[1].step = 'two' as never; }, TypeError, /state\[1\].step must be an integer ≥ 0, got "two"/],
      // a negative or fractional step count would turn Adam's bias correction 1 − βᵗ around
      ['a negative step', (d) => { d.state[1].step = -4; }, RangeError, /Adam.loadStateDict: state\[1\].step must be an integer ≥ 0, got -4/],
      ['a fractional step', (d) => { d.state[0].step = 1.5; }, RangeError, /Adam.loadStateDict: state\[0\].step must be an integer ≥ 0, got 1.5/],
      ['a NaN step', (d) => { d.state[1].step = NaN; }, RangeError, /state\[1\].step must be an integer ≥ 0, got NaN/],
      ['an infinite step', (d) => { d.state[1].step = Infinity; }, RangeError, /state\[1\].step must be an integer ≥ 0, got Infinity/],
      ['a state value that is not a tensor', (d) => { d.state[1].expAvg = [0, 0] as never; }, TypeError, /expAvg must be a Tensor/],
    ];
    for (const [name, mutate, kind, message] of cases) {
      it(name, () => {
        const { opt, good } = setup();
        const before = plain(good);
        const bad = opt.stateDict() as OptimizerStateDict & Record<string, unknown>;
        const replaced = mutate(bad);
        const dict = (replaced === undefined ? bad : replaced) as OptimizerStateDict;
        expect(() => opt.loadStateDict(dict)).toThrow(kind);
        expect(() => opt.loadStateDict(dict)).toThrow(message);
        expect(plain(opt.stateDict())).toEqual(before);
      });
    }

    it('a dict from another kind of optimizer', () => {
      const { opt, good } = setup();
      const { w, b, loss } = problem(8);
      const sgd = groupsOf((p) => new SGD(p, { lr: 0.1, momentum: 0.9 }), w, b);
      train(sgd, loss, 1);
      expect(() => opt.loadStateDict(sgd.stateDict())).toThrow(/hyperparameters do not match Adam's/);
      expect(plain(opt.stateDict())).toEqual(plain(good));
    });
  });
});

describe('types', () => {
  it('every optimizer is an Optimizer', () => {
    const w = tensor([1], { requiresGrad: true });
    const all: Optimizer[] = [new SGD([w]), new Adam([w]), new AdamW([w]), new RMSprop([w]), new Adagrad([w])];
    expect(all.map((o) => o.name)).toEqual(['SGD', 'Adam', 'AdamW', 'RMSprop', 'Adagrad']);
    for (const o of all) expect(o).toBeInstanceOf(Optimizer);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// step(): everything is checked before anything moves

describe('step checks every gradient and hyperparameter before any parameter moves', () => {
  /** Two groups: a [2] parameter first, then a [2, 3] one; both with gradients, after one good step. */
  function setup(make: Make) {
    const a = tensor([1, -2], { requiresGrad: true });
    const w = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const opt = make([a]);
    opt.addParamGroup({ params: [w] });
    a.grad = tensor([0.5, 0.5]);
    w.grad = tensor([[1, 1, 1], [1, 1, 1]]);
    opt.step(); // a state to keep intact
    const snapshot = () => ({ a: Array.from(a.data), w: Array.from(w.data), state: (plain(opt.stateDict()) as { state: unknown }).state });
    return { a, w, opt, before: snapshot(), snapshot };
  }

  for (const [name, make] of makers) {
    it(`${name}: a gradient of the parameter's size but another shape is a ShapeError naming both shapes`, () => {
      const { w, opt, before, snapshot } = setup(make);
      w.grad = tensor([[1, 1], [1, 1], [1, 1]]); // [3, 2] for a [2, 3] parameter: same size, wrong shape
      const e = thrown(() => opt.step());
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toBe(`${opt.name}: parameter 1 has shape [2,3] but its gradient has shape [3,2]`);
      expect(snapshot()).toEqual(before);
    });

    it(`${name}: an lr set to NaN on paramGroups is refused before the earlier group moves`, () => {
      const { opt, before, snapshot } = setup(make);
      opt.paramGroups[1].lr = NaN;
      const e = thrown(() => opt.step());
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toBe(`${opt.name}: lr must be a finite number ≥ 0, got NaN`);
      const after = snapshot();
      expect(after.a).toEqual(before.a);
      expect(after.w).toEqual(before.w);
      expect(after.state).toEqual(before.state);
      // once repaired, step works again: lr 0 keeps the second group still, the first one moves
      opt.paramGroups[1].lr = 0;
      opt.step();
      expect(snapshot().w).toEqual(before.w);
      expect(snapshot().a).not.toEqual(before.a);
    });
  }

  /** A group as an open record, to set what the types forbid (as plain JavaScript could). */
  const group = (o: Optimizer, g: number) => o.paramGroups[g] as unknown as Record<string, unknown>;
  const bad: Array<[string, (opt: Optimizer) => void, RegExp]> = [
    ['SGD momentum -5', (o) => { group(o, 1).momentum = -5; }, /^SGD: momentum must be a finite number ≥ 0, got -5$/],
    ['Adam betas[1] 1.5', (o) => { group(o, 1).betas = [0.9, 1.5]; }, /^Adam: betas\[1\] must be a finite number in \[0, 1\), got 1.5$/],
    ['AdamW weightDecay -1', (o) => { group(o, 1).weightDecay = -1; }, /^AdamW: weightDecay must be a finite number ≥ 0, got -1$/],
    ['RMSprop alpha Infinity', (o) => { group(o, 1).alpha = Infinity; }, /^RMSprop: alpha .* got Infinity$/],
    ['Adagrad eps -1', (o) => { group(o, 1).eps = -1; }, /^Adagrad: eps .* got -1$/],
  ];
  for (const [label, mutate, message] of bad) {
    it(`${label}, set on paramGroups, is refused with the constructor's message and nothing moves`, () => {
      const make = makers.find(([n]) => n.split(' ')[0] === label.split(' ')[0])![1];
      const { opt, before, snapshot } = setup(make);
      mutate(opt);
      const e = thrown(() => opt.step());
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(message);
      expect(snapshot().a).toEqual(before.a);
      expect(snapshot().w).toEqual(before.w);
      expect(snapshot().state).toEqual(before.state);
    });
  }

  it('a wrong-kind hyperparameter set on paramGroups is a TypeError', () => {
    const { opt, before, snapshot } = setup(makers[0][1]);
    group(opt, 0).nesterov = 'yes';
    expect(() => opt.step()).toThrow(TypeError);
    expect(() => opt.step()).toThrow(/^SGD: nesterov must be true or false, got "yes"$/);
    expect(snapshot().a).toEqual(before.a);
  });
});

describe('loadStateDict refuses out-of-range step counters of every optimizer', () => {
  for (const [name, make] of makers.filter(([n]) => !n.startsWith('SGD'))) {
    it(`${name}: step -1 and 2.5 are RangeErrors, and the optimizer is left as it was`, () => {
      const { w, b, loss } = problem(9);
      const opt = groupsOf(make, w, b);
      train(opt, loss, 2);
      const before = plain(opt.stateDict());
      for (const step of [-1, 2.5]) {
        const dict = opt.stateDict();
        dict.state[0].step = step;
        const e = thrown(() => opt.loadStateDict(dict));
        expect(e).toBeInstanceOf(RangeError);
        expect(e.message).toBe(`${opt.name}.loadStateDict: state[0].step must be an integer ≥ 0, got ${step}`);
        expect(plain(opt.stateDict())).toEqual(before);
      }
      // a valid count loads: 0 is a state as it is before its first step
      const dict = opt.stateDict();
      dict.state[0].step = 0;
      opt.loadStateDict(dict);
      expect(opt.stateDict().state[0].step).toBe(0);
    });
  }
});
