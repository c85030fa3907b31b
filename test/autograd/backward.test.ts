import { describe, expect, it } from 'vitest';
import {
  AutogradError, Generator, Tensor, defineOp, enableGrad, isGradEnabled, noGrad, ones, randn, tensor,
} from '../../src/index.js';
import { expectCloseTo, thrown } from '../helpers.js';

/** Plain-number view of a tensor's storage, for toEqual / toBeCloseTo loops. */
const values = (t: Tensor | null): number[] => Array.from(t!.data);

describe('backward: accumulation', () => {
  it('accumulates (+=) into leaf .grad across two backward() calls', () => {
    const x = tensor([1, -2, 3], { dtype: 'float64', requiresGrad: true });
    // d Σ 3x = 3 per element, then d Σ x² = 2x; the second call adds to the first
    x.mul(3).sum().backward();
    expect(values(x.grad)).toEqual([3, 3, 3]);
    x.mul(x).sum().backward();
    expect(values(x.grad)).toEqual([3 + 2, 3 - 4, 3 + 6]);
  });

  it('a tensor used twice (x·x) gets the sum of both paths', () => {
    const x = tensor([1.5, -0.5], { dtype: 'float64', requiresGrad: true });
    x.mul(x).sum().backward();
    // d(x·x) = x dx + x dx = 2x dx
    expect(values(x.grad)).toEqual([3, -1]);
  });

  it('sums the gradients of a diamond graph', () => {
    // a = x·2, b = x·x, c = a·b = 2x³ → dc/dx = 6x²; x reaches c through both a and b
    const x = tensor([2, -1], { dtype: 'float64', requiresGrad: true });
    const a = x.mul(2);
    const b = x.mul(x);
    a.mul(b).sum().backward();
    expect(values(x.grad)).toEqual([6 * 4, 6 * 1]);
  });

  it('a diamond whose two branches meet again on a non-leaf', () => {
    // h = x + 1 (shared non-leaf); y = h·h + 3h → dy/dx = 2h + 3
    const x = tensor([0.5, 2], { dtype: 'float64', requiresGrad: true });
    const h = x.add(1);
    h.mul(h).add(h.mul(3)).sum().backward();
    expect(values(x.grad)).toEqual([2 * 1.5 + 3, 2 * 3 + 3]);
    expect(h.grad).toBeNull(); // non-leaves keep no .grad
  });

  it('replays a chain of 20,000 ops iteratively (no stack overflow)', () => {
    const x = tensor([1], { dtype: 'float64', requiresGrad: true });
    let y = x;
    for (let i = 0; i < 20_000; i++) y = y.add(1);
    expect(y.item()).toBe(20_001);
    y.backward();
    // every add passes dy through unchanged
    expect(values(x.grad)).toEqual([1]);
  });

  it('replays nodes in descending sequence order', () => {
    const order: string[] = [];
    const tracer = (name: string) => defineOp<[Tensor]>({
      name,
      forward: ([x]) => x.clone(),
      backward: (dy) => {
        order.push(name);
        return [dy];
      },
    });
    const [p, q, r] = [tracer('p'), tracer('q'), tracer('r')];
    const x = tensor([1], { requiresGrad: true });
    // p is recorded first, then q and r both consume p's output; r is newest
    const a = p(x);
    const b = q(a);
    const c = r(a);
    b.add(c).sum().backward();
    expect(order).toEqual(['r', 'q', 'p']);
  });
});

describe('backward: retainGraph and createGraph', () => {
  it('without retainGraph, a second backward throws an AutogradError that mentions retainGraph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward();
    let caught: unknown;
    try {
      y.backward();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AutogradError);
    expect((caught as Error).message).toMatch(/retainGraph/);
    expect((caught as Error).message).toMatch(/freed/);
  });

  it('with retainGraph, a second backward runs and accumulates', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const y = x.mul(x).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    // 2 · (2x)
    expect(values(x.grad)).toEqual([4, 8]);
  });

  it('createGraph: d²/dx² of x³ at x = 2 is 12 and d³/dx³ is 6', () => {
    const x = tensor(2, { dtype: 'float64', requiresGrad: true });
    x.mul(x).mul(x).backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    expect(g1.item()).toBe(12); // 3x² = 12
    expect(g1.requiresGrad).toBe(true);
    x.grad = null;
    g1.backward(undefined, { createGraph: true });
    const g2 = x.grad!;
    expect(g2.item()).toBe(12); // 6x = 12
    x.grad = null;
    g2.backward();
    expect(x.grad!.item()).toBe(6); // 6
  });

  it('createGraph through pow: d²/dx² of x³ via x.pow(3) is 6x', () => {
    const x = tensor([2, -1], { dtype: 'float64', requiresGrad: true });
    x.pow(3).sum().backward(undefined, { createGraph: true });
    const g1 = x.grad!;
    expectCloseTo(values(g1), [12, 3]);
    x.grad = null;
    g1.sum().backward();
    expectCloseTo(values(x.grad), [12, -6]);
  });

  it('without createGraph the gradient is a plain leaf', () => {
    const x = tensor([2], { requiresGrad: true });
    x.mul(x).sum().backward();
    expect(x.grad!.requiresGrad).toBe(false);
    expect(x.grad!.isLeaf).toBe(true);
  });
});

describe('noGrad, enableGrad, detach, requiresGrad_', () => {
  it('noGrad stops recording; enableGrad inside it restores recording; modes nest and restore', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(isGradEnabled()).toBe(true);
    const [outer, inner, after] = noGrad(() => {
      const a = w.mul(2);
      const b = enableGrad(() => {
        expect(isGradEnabled()).toBe(true);
        return noGrad(() => w.mul(2)).requiresGrad ? 'bad' : w.mul(2);
      });
      const c = w.mul(2);
      return [a, b, c];
    });
    expect(isGradEnabled()).toBe(true);
    expect((outer as Tensor).requiresGrad).toBe(false);
    expect((outer as Tensor).node).toBeNull();
    expect(inner).toBeInstanceOf(Tensor);
    expect((inner as Tensor).requiresGrad).toBe(true);
    expect((after as Tensor).requiresGrad).toBe(false);
  });

  it('noGrad restores the mode even when fn throws', () => {
    expect(() => noGrad(() => {
      throw new Error('boom');
    })).toThrow('boom');
    expect(isGradEnabled()).toBe(true);
  });

  it('detach cuts the graph: no gradient flows through the detached branch', () => {
    const x = tensor([3], { dtype: 'float64', requiresGrad: true });
    // y = x · detach(x): treated as x · c with c = 3, so dy/dx = 3 (not 2x = 6)
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    x.mul(d).sum().backward();
    expect(values(x.grad)).toEqual([3]);
  });

  it('requiresGrad_ turns a leaf into one that records ops', () => {
    const x = tensor([1, 2], { dtype: 'float64' });
    expect(x.requiresGrad_()).toBe(x);
    x.mul(5).sum().backward();
    expect(values(x.grad)).toEqual([5, 5]);
    x.requiresGrad_(false);
    expect(x.mul(5).requiresGrad).toBe(false);
  });

  it('requiresGrad_ on a non-leaf throws, naming the op that made it', () => {
    const x = tensor([1], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.requiresGrad_(false)).toThrow(TypeError);
    expect(() => y.requiresGrad_(false)).toThrow(/mul/);
    expect(() => y.requiresGrad_(false)).toThrow(/leaf/);
  });
});

describe('backward: errors', () => {
  it('backward on a non-scalar without gradient names the shape', () => {
    const y = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true }).mul(2);
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/\[2,3\]/);
  });

  it('backward with an explicit gradient of the right shape works (vector-Jacobian product)', () => {
    const x = tensor([1, 2, 3], { dtype: 'float64', requiresGrad: true });
    const v = tensor([0.5, -1, 2], { dtype: 'float64' });
    x.mul(x).backward(v);
    // vᵀ diag(2x)
    expect(values(x.grad)).toEqual([1, -4, 12]);
  });

  it('backward with a gradient of the wrong shape or dtype throws, naming both shapes', () => {
    const y = tensor([1, 2, 3], { requiresGrad: true }).mul(2);
    expect(() => y.backward(ones([2]))).toThrow(AutogradError);
    expect(() => y.backward(ones([2]))).toThrow(/\[2\].*\[3\]/);
    expect(() => y.backward(ones([3], { dtype: 'float64' }))).toThrow(/float64/);
  });

  it('backward on a tensor that does not require grad throws', () => {
    const y = tensor([1, 2]).sum();
    expect(() => y.backward()).toThrow(AutogradError);
    expect(() => y.backward()).toThrow(/does not require grad/);
  });

  it('a custom op whose backward returns null for an input that needs grad is an AutogradError naming it', () => {
    const broken = defineOp<[Tensor]>({ name: 'broken', forward: ([x]) => x.clone(), backward: () => [null] });
    const x = tensor([1], { requiresGrad: true });
    expect(() => broken(x).sum().backward()).toThrow(AutogradError);
    expect(() => broken(tensor([1], { requiresGrad: true })).sum().backward()).toThrow(/broken.*input 0/);
  });

  it('a custom op whose backward returns a gradient that is no broadcast of the input is an error naming the op and shapes', () => {
    const wrong = defineOp<[Tensor]>({
      name: 'wrongShape',
      forward: ([x]) => x.clone(),
      backward: (dy) => [dy.sum(1)],
    });
    const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    expect(() => wrong(x).sum().backward()).toThrow(AutogradError);
    expect(() => wrong(tensor([[1, 2, 3]], { requiresGrad: true })).sum().backward()).toThrow(/wrongShape.*\[1\].*\[1,3\]/);
  });
});

describe('backward: leaves, shapes and dtypes', () => {
  it('non-leaf .grad stays null; leaf .grad is filled', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(3);
    h.sum().backward();
    expect(h.isLeaf).toBe(false);
    expect(h.grad).toBeNull();
    expect(x.isLeaf).toBe(true);
    expect(x.grad).not.toBeNull();
  });

  it('a leaf reached through a broadcast gets a gradient of its own shape (summed over broadcast dims)', () => {
    const g = new Generator(11);
    const a = randn([2, 3], { dtype: 'float64', requiresGrad: true, generator: g });
    const b = randn([3], { dtype: 'float64', requiresGrad: true, generator: g });
    const c = randn([2, 1], { dtype: 'float64', requiresGrad: true, generator: g });
    const up = randn([2, 3], { dtype: 'float64', generator: g });
    a.add(b).mul(c).backward(up);
    expect(b.grad!.shape).toEqual([3]);
    expect(c.grad!.shape).toEqual([2, 1]);
    expect(a.grad!.shape).toEqual([2, 3]);
    // y[i][j] = (a[i][j] + b[j]) · c[i]: db[j] = Σ_i up[i][j]·c[i]; dc[i] = Σ_j up[i][j]·(a[i][j] + b[j])
    const A = a.data, B = b.data, C = c.data, U = up.data;
    const db = [0, 1, 2].map((j) => U[j] * C[0] + U[3 + j] * C[1]);
    const dc = [0, 1].map((i) => [0, 1, 2].reduce((s, j) => s + U[i * 3 + j] * (A[i * 3 + j] + B[j]), 0));
    const da = Array.from(U, (u, k) => u * C[Math.floor(k / 3)]);
    expectCloseTo(values(b.grad), db, 12);
    expectCloseTo(values(c.grad), dc, 12);
    expectCloseTo(values(a.grad), da, 12);
  });

  it('a scalar leaf broadcast against a matrix gets a scalar gradient', () => {
    const s = tensor(2, { dtype: 'float64', requiresGrad: true });
    const m = tensor([[1, 2], [3, 4]], { dtype: 'float64' });
    m.mul(s).sum().backward();
    expect(s.grad!.shape).toEqual([]);
    expect(s.grad!.item()).toBe(10); // Σ m
  });

  it('gradients of float32 leaves are float32, of float64 leaves float64', () => {
    const x32 = tensor([1, 2], { requiresGrad: true });
    const x64 = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    x32.mul(x32).sum().backward();
    x64.mul(x64).sum().backward();
    expect(x32.grad!.dtype).toBe('float32');
    expect(x32.grad!.data).toBeInstanceOf(Float32Array);
    expect(x64.grad!.dtype).toBe('float64');
  });

  it('leaves that do not require grad get no gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const c = tensor([3, 4]);
    x.mul(c).sum().backward();
    expect(c.grad).toBeNull();
    expect(values(x.grad)).toEqual([3, 4]);
  });

  it('the stored gradient does not alias a tensor the backward passed through', () => {
    // add's backward hands dy to both inputs; accumulating into a's grad must not change b's
    const a = tensor([1, 1], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    const y = a.add(b).sum();
    y.backward(undefined, { retainGraph: true });
    y.backward();
    expect(values(a.grad)).toEqual([2, 2]);
    expect(values(b.grad)).toEqual([2, 2]);
    expect(a.grad!.data).not.toBe(b.grad!.data);
  });

  it('backward on a leaf itself seeds its gradient', () => {
    const x = tensor(4, { requiresGrad: true });
    x.backward();
    expect(x.grad!.item()).toBe(1);
  });
});

describe('retainGrad: gradients of intermediate tensors', () => {
  it('stores dL/dh of a non-leaf, equal to the gradient a zero leaf added at that point receives', () => {
    // L = Σ tanh(h)² with h = x·w: the oracle is the old way of reading dL/dh, a zero leaf z added to h
    const g = new Generator(5);
    const x = randn([3, 4], { dtype: 'float64', generator: g });
    const w = randn([4, 2], { dtype: 'float64', requiresGrad: true, generator: g });
    const h = x.matmul(w).retainGrad();
    h.tanh().square().sum().backward();
    const z = tensor([[0, 0], [0, 0], [0, 0]], { dtype: 'float64', requiresGrad: true });
    x.matmul(w).add(z).tanh().square().sum().backward();
    expect(h.grad!.shape).toEqual([3, 2]);
    expect(values(h.grad)).toEqual(values(z.grad));
    // and by the formula: d tanh(h)² = 2 tanh(h) (1 − tanh(h)²) dh
    const t = Array.from(h.data, Math.tanh);
    expectCloseTo(values(h.grad), t.map((v) => 2 * v * (1 - v * v)), 12);
  });

  it('gets the sum over every path that uses the tensor, and only what reaches it', () => {
    // h = x + 1, y = h·h + 3h → dy/dh = 2h + 3; k = h·2 is never used by y, so it gets nothing
    const x = tensor([0.5, 2], { dtype: 'float64', requiresGrad: true });
    const h = x.add(1).retainGrad();
    const k = h.mul(2).retainGrad();
    h.mul(h).add(h.mul(3)).sum().backward();
    expect(values(h.grad)).toEqual([2 * 1.5 + 3, 2 * 3 + 3]);
    expect(k.grad).toBeNull();
  });

  it('the root that retains its gradient gets the seed', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2).retainGrad();
    y.backward(tensor([0.5, -1]));
    expect(values(y.grad)).toEqual([0.5, -1]);
    expect(values(x.grad)).toEqual([1, -2]);
  });

  it('accumulates across backward() calls like a leaf gradient, and is a copy, not the flowing gradient', () => {
    const x = tensor([1, -1], { requiresGrad: true });
    const h = x.mul(3).retainGrad();
    const y = h.add(x).sum();
    y.backward(undefined, { retainGraph: true });
    expect(values(h.grad)).toEqual([1, 1]);
    y.backward();
    expect(values(h.grad)).toEqual([2, 2]);
    // add's backward hands the same dy to both inputs: accumulating into h.grad must leave x's gradient alone
    expect(values(x.grad)).toEqual([8, 8]);
  });

  it('under createGraph the retained gradient is itself differentiable', () => {
    // h = x², y = h³ → dy/dh = 3h² = 3x⁴, and d(Σ dy/dh)/dx = 12x³
    const x = tensor([1.5, -2], { dtype: 'float64', requiresGrad: true });
    const h = x.square().retainGrad();
    h.pow(3).sum().backward(undefined, { createGraph: true });
    expectCloseTo(values(h.grad), [3 * 1.5 ** 4, 3 * 16], 12);
    expect(h.grad!.requiresGrad).toBe(true);
    x.grad = null;
    h.grad!.sum().backward();
    expectCloseTo(values(x.grad), [12 * 1.5 ** 3, 12 * -8], 12);
  });

  it('retainsGrad: true on a non-leaf after retainGrad(), false on leaves (which keep .grad anyway)', () => {
    const x = tensor([1], { requiresGrad: true });
    const h = x.exp();
    expect(h.retainsGrad).toBe(false);
    expect(h.retainGrad()).toBe(h);
    expect(h.retainsGrad).toBe(true);
    expect(x.retainGrad()).toBe(x);
    expect(x.retainsGrad).toBe(false);
  });

  it('a tensor that does not require grad cannot retain one', () => {
    expect(() => tensor([1, 2]).mul(2).retainGrad()).toThrow(AutogradError);
    expect(() => tensor([1, 2]).retainGrad()).toThrow(/retainGrad: this tensor does not require grad/);
  });
});

describe('backward: a backward that fails changes nothing (DESIGN §4)', () => {
  /**
   * A copy op whose backward is right (dx = dy) until `state.broken` is set, then returns a gradient of a shape that
   * does not broadcast to its input's. Its node is older than the mul below, so in the replay (newest first) the mul
   * hands w, s and the retained h their gradients before this rule runs and fails.
   */
  function setup() {
    const state = { broken: true };
    const flaky = defineOp<[Tensor]>({
      name: 'flaky',
      forward: ([x]) => x.clone(),
      backward: (dy) => [state.broken ? dy.sum().reshape([1]) : dy],
    });
    const a = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const w = tensor([3, -1], { dtype: 'float64', requiresGrad: true });
    const s = tensor([0.5, 0.25], { dtype: 'float64', requiresGrad: true });
    s.grad = tensor([10, 20], { dtype: 'float64' }); // an earlier gradient, to be accumulated into in place
    const before = s.grad;
    const h = flaky(a).mul(w).retainGrad();
    const y = h.mul(s).sum();
    return { state, a, w, s, before, h, y };
  }

  it('a rule returning a wrong-shaped gradient: no leaf or retained gradient changes and no node is freed', () => {
    const { state, a, w, s, before, h, y } = setup();
    const e = thrown(() => y.backward());
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/flaky: backward returned a gradient of shape \[1\] for input 0 of shape \[2\]/);
    expect(a.grad).toBeNull();
    expect(w.grad).toBeNull();
    expect(h.grad).toBeNull();
    expect(s.grad).toBe(before);
    expect(values(s.grad)).toEqual([10, 20]);
    // nothing was freed: a retry reports the rule's error again, not a freed graph
    expect(thrown(() => y.backward()).message).toMatch(/^flaky: backward returned/);
    // and once the rule is fixed the same graph back-propagates: y = Σ a·w·s
    state.broken = false;
    y.backward();
    expect(values(a.grad)).toEqual([3 * 0.5, -1 * 0.25]); // w·s
    expect(values(w.grad)).toEqual([1 * 0.5, 2 * 0.25]); // a·s
    expect(values(h.grad)).toEqual([0.5, 0.25]); // s
    expect(values(s.grad)).toEqual([10 + 1 * 3, 20 + 2 * -1]); // earlier gradient + a·w, added in place
    expect(s.grad).toBe(before);
    // that backward did free the graph (no retainGraph)
    expect(thrown(() => y.backward()).message).toMatch(/already freed/);
  });

  it('a rule that throws: the error passes through unchanged and nothing changes', () => {
    const boom = defineOp<[Tensor]>({
      name: 'boom',
      forward: ([x]) => x.clone(),
      backward: () => { throw new RangeError('boom: rule failed'); },
    });
    const a = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    const y = boom(a).mul(w).sum();
    const e = thrown(() => y.backward());
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('boom: rule failed');
    expect(w.grad).toBeNull();
    expect(a.grad).toBeNull();
    expect(y.node!.retained).toBe(true);
    expect(y.node!.inputs[0].node!.retained).toBe(true);
  });

  it('a rule returning no gradient for an input that needs one leaves the later-reached leaves alone', () => {
    const none = defineOp<[Tensor]>({ name: 'none', forward: ([x]) => x.clone(), backward: () => [null] });
    const a = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    const y = none(a).mul(w).sum();
    expect(thrown(() => y.backward()).message).toMatch(/none: backward returned no gradient for input 0/);
    expect(w.grad).toBeNull();
  });

  it('an op defined with doubleBackward: false is refused under createGraph before anything runs; a plain backward still works', () => {
    let runs = 0;
    const fused = defineOp<[Tensor]>({
      name: 'fusedTwice',
      forward: ([x]) => x.mul(2),
      backward: (dy) => { runs++; return [dy.mul(2)]; },
      doubleBackward: false,
    });
    const x = tensor([1, -2], { dtype: 'float64', requiresGrad: true });
    const w = tensor([5, 7], { dtype: 'float64', requiresGrad: true });
    const h = fused(x).mul(w).retainGrad();
    const y = h.sum();
    // retainGraph: false, so the nodes reached before the refusal would be freed if it came halfway
    const e = thrown(() => y.backward(undefined, { createGraph: true, retainGraph: false }));
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/^fusedTwice: second derivatives \(createGraph\) are not supported \(its op was defined with doubleBackward: false\); nothing was changed/);
    expect(runs).toBe(0);
    expect(x.grad).toBeNull();
    expect(w.grad).toBeNull();
    expect(h.grad).toBeNull();
    y.backward();
    expect(runs).toBe(1);
    expect(values(x.grad)).toEqual([2 * 5, 2 * 7]); // d(2x·w)/dx = 2w
    expect(values(w.grad)).toEqual([2, -4]); // 2x
    expect(values(h.grad)).toEqual([1, 1]);
  });

  it('doubleBackward given as a reason puts the reason in the error; other values are a TypeError', () => {
    const fused = defineOp<[Tensor]>({
      name: 'fusedNeg', forward: ([x]) => x.neg(), backward: (dy) => [dy.neg()], doubleBackward: 'as its kernel cannot be recorded',
    });
    const y = fused(tensor([1], { requiresGrad: true })).sum();
    expect(thrown(() => y.backward(undefined, { createGraph: true })).message)
      .toMatch(/^fusedNeg: second derivatives \(createGraph\) are not supported as its kernel cannot be recorded;/);
    const bad = thrown(() => defineOp({ name: 'odd', forward: ([x]) => x, doubleBackward: 0 as unknown as boolean }));
    expect(bad).toBeInstanceOf(TypeError);
    expect(bad.message).toMatch(/defineOp\(odd\): doubleBackward must be a boolean or a string.*number/);
  });

  it('a rule that cannot be recorded refuses to run directly while recording is on', () => {
    const fused = defineOp<[Tensor]>({ name: 'fusedId', forward: ([x]) => x.clone(), backward: (dy) => [dy], doubleBackward: false });
    const y = fused(tensor([1, 2], { requiresGrad: true }));
    const dy = tensor([1, 1]);
    expect(thrown(() => enableGrad(() => y.node!.apply(dy)))).toBeInstanceOf(AutogradError);
    expect(values(noGrad(() => y.node!.apply(dy))[0]!)).toEqual([1, 1]);
  });

  it('a .grad set by hand to the wrong shape is refused before any gradient is written', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    a.grad = tensor([0, 0, 0]);
    const y = a.mul(b).sum();
    const e = thrown(() => y.backward());
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/shape \[2\] \(float32\) holds a \.grad of shape \[3\]/);
    expect(values(a.grad)).toEqual([0, 0, 0]);
    expect(b.grad).toBeNull();
    a.grad = null;
    y.backward();
    expect(values(a.grad)).toEqual([3, 4]);
    expect(values(b.grad)).toEqual([1, 2]);
  });

  it('after a createGraph backward the stored gradients do not alias each other (add hands both inputs one dy)', () => {
    const a = tensor([1, 1], { requiresGrad: true });
    const b = tensor([1, 1], { requiresGrad: true });
    const y = a.add(b).sum();
    y.backward(undefined, { createGraph: true });
    y.backward();
    // each gets d(a + b) = 1 twice; a shared storage would have been incremented twice, to 3
    expect(values(a.grad)).toEqual([2, 2]);
    expect(values(b.grad)).toEqual([2, 2]);
  });
});
