import { describe, expect, it } from 'vitest';
import { Tensor, tensor, zeros } from '../src/index.js';
import { thrown } from './helpers.js';

describe('Tensor basics', () => {
  it('shape, dtype, size, ndim', () => {
    const t = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('float32');
    expect(t.size).toBe(6);
    expect(t.ndim).toBe(2);
    const s = tensor(7, { dtype: 'float64' });
    expect(s.shape).toEqual([]);
    expect(s.dtype).toBe('float64');
    expect(s.size).toBe(1);
    expect(s.ndim).toBe(0);
    const e = zeros([0, 4]);
    expect(e.size).toBe(0);
    expect(e.ndim).toBe(2);
  });

  it('the shape is a frozen copy of the one given', () => {
    const shape = [2, 2];
    const t = new Tensor(new Float32Array(4), shape);
    shape[0] = 9;
    expect(t.shape).toEqual([2, 2]);
    expect(Object.isFrozen(t.shape)).toBe(true);
  });

  it('the constructor rejects storage that does not fill the shape, naming both', () => {
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(RangeError);
    expect(() => new Tensor(new Float32Array(5), [2, 3])).toThrow(/5.*\[2,3\].*6/);
  });

  it('the constructor rejects negative, fractional and non-number sizes, naming Tensor and the shape as written', () => {
    for (const [data, shape, shown] of [
      [new Float32Array(2), [-1, -2], '[-1,-2]'], [new Float32Array(2), [0.5, 4], '[0.5,4]'],
      [new Float64Array(0), [NaN], '[NaN]'], [new Float32Array(1), ['1'] as unknown as number[], '[1]'],
    ] as const) {
      const e = thrown(() => new Tensor(data, shape));
      expect(e, shown).toBeInstanceOf(RangeError);
      expect(e.message).toBe(`Tensor: sizes must be non-negative integers, got ${shown}`);
    }
    expect(() => new Tensor(new Float32Array(2), 2 as unknown as number[])).toThrow(TypeError);
    expect(() => new Tensor(new Float32Array(2), 2 as unknown as number[])).toThrow(/^Tensor: shape must be an array/);
    // sizes that multiply to the length but are not sizes at all: (-1)·(-2) = 2
    expect(() => new Tensor(new Float32Array(2), [-1, -2])).toThrow(RangeError);
  });

  it('the constructor takes only Float32Array or Float64Array storage (TypeError naming what it got)', () => {
    for (const [data, shown] of [
      [new Int32Array(2), 'Int32Array'], [new Uint8Array(2), 'Uint8Array'], [[1, 2], '[1, 2]'], [null, 'null'],
    ] as const) {
      const e = thrown(() => new Tensor(data as unknown as Float32Array, [2]));
      expect(e, shown).toBeInstanceOf(TypeError);
      expect(e.message).toBe(`Tensor: data must be a Float32Array or a Float64Array, got ${shown}`);
    }
    expect(new Tensor(new Float64Array([1, 2]), [2]).dtype).toBe('float64');
    expect(new Tensor(new Float32Array([1, 2]), [1, 2]).toArray()).toEqual([[1, 2]]);
    expect(new Tensor(new Float32Array(0), [3, 0]).size).toBe(0);
  });

  it('the constructor checks its options: known keys, a boolean requiresGrad, a string name', () => {
    const e = thrown(() => new Tensor(new Float32Array(1), [1], { requires_grad: true } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("Tensor: unknown option 'requires_grad' (expected requiresGrad, name); did you mean 'requiresGrad'?");
    expect(() => new Tensor(new Float32Array(1), [1], { requiresGrad: 1 as unknown as boolean })).toThrow(/^Tensor: requiresGrad must be true or false, got 1$/);
    expect(() => new Tensor(new Float32Array(1), [1], { name: 3 as unknown as string })).toThrow(/^Tensor: name must be a string, got 3$/);
    const t = new Tensor(new Float32Array(1), [1], { requiresGrad: true, name: 'w' });
    expect([t.requiresGrad, t.name]).toEqual([true, 'w']);
  });

  it('isLeaf: user-made tensors are leaves, op results that record are not', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.isLeaf).toBe(true);
    expect(x.mul(2).isLeaf).toBe(false);
    // without requiresGrad nothing is recorded, so results stay leaves (as in PyTorch)
    expect(tensor([1, 2]).mul(2).isLeaf).toBe(true);
  });
});

describe('toArray and item', () => {
  it('toArray gives nested arrays in row-major order', () => {
    const data = Float64Array.from({ length: 24 }, (_, i) => i * 0.5);
    const t = new Tensor(data, [2, 3, 4]);
    // reference: index (i, j, k) is i·12 + j·4 + k
    const expected = [0, 1].map((i) => [0, 1, 2].map((j) => [0, 1, 2, 3].map((k) => (i * 12 + j * 4 + k) * 0.5)));
    expect(t.toArray()).toEqual(expected);
  });

  it('toArray of a scalar is a number; of an empty tensor an empty array', () => {
    expect(tensor(2.5).toArray()).toBe(2.5);
    expect(zeros([0]).toArray()).toEqual([]);
    expect(zeros([2, 0]).toArray()).toEqual([[], []]);
  });

  it('toArray of float32 gives the float32 values', () => {
    expect(tensor([0.1]).toArray()).toEqual([Math.fround(0.1)]);
    expect(tensor([0.1], { dtype: 'float64' }).toArray()).toEqual([0.1]);
  });

  it('item returns the one value of a one-element tensor of any rank', () => {
    expect(tensor(3).item()).toBe(3);
    expect(tensor([[[-2.5]]]).item()).toBe(-2.5);
  });

  it('item on a tensor with more than one element is a RangeError naming its shape', () => {
    expect(() => tensor([1, 2]).item()).toThrow(RangeError);
    expect(() => tensor([[1, 2], [3, 4]]).item()).toThrow(/item.*\[2,2\]/);
    expect(() => zeros([0]).item()).toThrow(/\[0\]/);
  });
});

describe('clone, detach, to', () => {
  it('clone copies the storage and stays in the graph', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const c = x.clone();
    expect(c.data).not.toBe(x.data);
    expect(Array.from(c.data)).toEqual([1, 2]);
    c.data[0] = 99;
    expect(x.data[0]).toBe(1);
    expect(c.requiresGrad).toBe(true);
    expect(c.node!.op).toBe('clone');
    c.mul(3).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([3, 3]);
  });

  it('detach shares the storage and is cut from the graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.mul(2);
    const d = y.detach();
    expect(d.data).toBe(y.data);
    expect(d.requiresGrad).toBe(false);
    expect(d.isLeaf).toBe(true);
    expect(d.shape).toEqual(y.shape);
    d.data[1] = -7;
    expect(y.data[1]).toBe(-7);
  });

  it('to(dtype) converts, and returns the same tensor when the dtype already matches', () => {
    const x = tensor([0.1, 2]);
    const y = x.to('float64');
    expect(y.dtype).toBe('float64');
    expect(y.data).toBeInstanceOf(Float64Array);
    // widening is exact: the float32 values survive
    expect(Array.from(y.data)).toEqual([Math.fround(0.1), 2]);
    expect(x.to('float32')).toBe(x);
    const z = tensor([0.1], { dtype: 'float64' }).to('float32');
    expect(z.data[0]).toBe(Math.fround(0.1));
  });

  it('to(dtype) is differentiable: the gradient comes back in the source dtype', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    x.to('float64').mul(tensor([3, 4], { dtype: 'float64' })).sum().backward();
    expect(x.grad!.dtype).toBe('float32');
    expect(Array.from(x.grad!.data)).toEqual([3, 4]);
  });

  it('to() with an unknown dtype is a TypeError naming it', () => {
    expect(() => tensor([1]).to('int32' as never)).toThrow(TypeError);
    expect(() => tensor([1]).to('int32' as never)).toThrow(/int32/);
  });
});
