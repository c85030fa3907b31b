import { describe, expect, it } from 'vitest';
import {
  Generator, ShapeError, Tensor, arange, broadcastTo, cast, concat, flatten, gather, indexSelect, narrow, pad,
  permute, randn, reshape, scatterAdd, select, slice, squeeze, stack, tensor, transpose, unsqueeze, zeros,
} from '../../src/index.js';
import { thrown, unravel } from '../helpers.js';

/** Row-major strides, written out here so the tests do not lean on the library's own shape helpers. */
function strides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d];
  }
  return out;
}

/** A reference permute: out[i0..] = x[...] with out dim j being x dim dims[j]. */
function refPermute(values: ArrayLike<number>, shape: readonly number[], dims: readonly number[]): number[] {
  const outShape = dims.map((d) => shape[d]);
  const inStrides = strides(shape);
  const n = outShape.reduce((p, s) => p * s, 1);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const idx = unravel(i, outShape);
    let src = 0;
    idx.forEach((v, j) => (src += v * inStrides[dims[j]]));
    out.push(values[src]);
  }
  return out;
}

const values = (t: Tensor) => Array.from(t.data);

describe('reshape', () => {
  it('infers a -1 size and keeps row-major order', () => {
    const x = arange(12);
    const y = x.reshape([3, -1]);
    expect(y.shape).toEqual([3, 4]);
    expect(y.toArray()).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(reshape(x, [-1, 2, 3]).shape).toEqual([2, 2, 3]);
    expect(x.reshape(2, 6).shape).toEqual([2, 6]);
    expect(x.view(4, 3).shape).toEqual([4, 3]);
    expect(tensor([7]).reshape([]).shape).toEqual([]);
    expect(tensor(7).reshape([-1]).toArray()).toEqual([7]);
  });

  it('shares storage with its input', () => {
    const x = arange(6);
    const y = x.reshape([2, 3]);
    expect(y.data).toBe(x.data);
    x.data[4] = 40;
    expect(y.toArray()).toEqual([[0, 1, 2], [3, 40, 5]]);
  });

  it('throws a ShapeError naming both shapes for a wrong size', () => {
    const x = zeros([2, 3]);
    expect(() => x.reshape([4, 2])).toThrow(ShapeError);
    expect(() => x.reshape([4, 2])).toThrow(/\[2,3\].*\[4,2\]/);
    // 6 elements cannot fill rows of 4
    expect(() => x.reshape([-1, 4])).toThrow(ShapeError);
    expect(() => x.reshape([-1, 4])).toThrow(/\[2,3\].*\[-1,4\]/);
  });

  it('rejects two -1 sizes and negative sizes', () => {
    expect(() => zeros([6]).reshape([-1, -1])).toThrow(RangeError);
    expect(() => zeros([6]).reshape([-2, -3])).toThrow(RangeError);
  });

  it('a bad size is reported in the shape as written, -1 included (not with the -1 filled in)', () => {
    for (const [shape, shown] of [[[-1, -2], '[-1,-2]'], [[2, -1, 0.5], '[2,-1,0.5]'], [[-1, NaN], '[-1,NaN]']] as const) {
      const e = thrown(() => reshape(zeros([6]), shape));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^reshape: sizes must be non-negative integers/);
      expect(e.message.endsWith(`got ${shown}`)).toBe(true);
    }
    expect(() => reshape(zeros([6]), 6 as unknown as number[])).toThrow(/^reshape: shape must be an array of sizes, got 6$/);
    expect(reshape(arange(6), [3, -1]).shape).toEqual([3, 2]);
  });
});

describe('flatten', () => {
  it('merges all dims by default, or a range', () => {
    const x = arange(24).reshape([2, 3, 4]);
    expect(x.flatten().shape).toEqual([24]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(flatten(x, 0, 1).shape).toEqual([6, 4]);
    expect(flatten(x, -2, -1).shape).toEqual([2, 12]);
    expect(values(x.flatten(1))).toEqual(values(x));
  });

  it('makes a scalar 1-D and rejects start after end', () => {
    expect(tensor(3).flatten().shape).toEqual([1]);
    expect(() => zeros([2, 3]).flatten(1, 0)).toThrow(RangeError);
  });
});

describe('squeeze / unsqueeze', () => {
  it('squeeze() removes every size-1 dim', () => {
    expect(zeros([1, 2, 1, 3, 1]).squeeze().shape).toEqual([2, 3]);
    expect(zeros([1, 1]).squeeze().shape).toEqual([]);
  });

  it('squeeze(dim) removes only that dim, and leaves a non-1 dim alone', () => {
    const x = zeros([1, 2, 1]);
    expect(x.squeeze(0).shape).toEqual([2, 1]);
    expect(x.squeeze(-1).shape).toEqual([1, 2]);
    expect(squeeze(x, 1).shape).toEqual([1, 2, 1]);
    expect(() => x.squeeze(3)).toThrow(RangeError);
  });

  it('unsqueeze inserts a size-1 dim, with negative dims counted in the result', () => {
    const x = arange(6).reshape([2, 3]);
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(2).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(unsqueeze(x, -3).shape).toEqual([1, 2, 3]);
    expect(unsqueeze(x, -2).shape).toEqual([2, 1, 3]);
    expect(values(x.unsqueeze(1))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(() => x.unsqueeze(3)).toThrow(RangeError);
    expect(() => x.unsqueeze(-4)).toThrow(RangeError);
  });

  it("unsqueeze's error states the input's own rank and the insertion range", () => {
    // a 1-D tensor takes a new dim at -2..1; the message must not call it a tensor of 2 dims
    const e = thrown(() => unsqueeze(zeros([2]), 3));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('unsqueeze: dim 3 is out of range -2..1 for inserting a dim into a 1-D tensor');
    expect(thrown(() => unsqueeze(tensor(5), -2)).message).toBe('unsqueeze: dim -2 is out of range -1..0 for inserting a dim into a 0-D tensor');
    expect(thrown(() => unsqueeze(zeros([2]), 0.5)).message).toMatch(/^unsqueeze: dim 0\.5 is out of range/);
    expect(unsqueeze(tensor(5), -1).shape).toEqual([1]);
  });
});

describe('transpose / permute / .T', () => {
  it('transpose swaps two dims (negative dims allowed)', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.transpose(0, 1).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(transpose(x, -1, -2).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const y = arange(24).reshape([2, 3, 4]);
    const t = y.transpose(0, 2);
    expect(t.shape).toEqual([4, 3, 2]);
    expect(values(t)).toEqual(refPermute(y.data, [2, 3, 4], [2, 1, 0]));
  });

  it('.T transposes a matrix and leaves a vector alone', () => {
    const x = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(x.T.toArray()).toEqual([[1, 3, 5], [2, 4, 6]]);
    expect(tensor([1, 2, 3]).T.toArray()).toEqual([1, 2, 3]);
  });

  it('permute matches a reference index computation for every permutation of 3 dims', () => {
    const shape = [2, 3, 4];
    const x = randn(shape, { generator: new Generator(1) });
    for (const dims of [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
      const y = x.permute(dims);
      expect(y.shape).toEqual(dims.map((d) => shape[d]));
      expect(values(y)).toEqual(refPermute(x.data, shape, dims));
    }
    expect(values(permute(x, [-1, 0, -2]))).toEqual(refPermute(x.data, shape, [2, 0, 1]));
    expect(x.permute(2, 0, 1).shape).toEqual([4, 2, 3]);
  });

  it('permute rejects something that is not a permutation', () => {
    const x = zeros([2, 3, 4]);
    expect(() => x.permute([0, 1])).toThrow(RangeError);
    expect(() => x.permute([0, 0, 1])).toThrow(RangeError);
    expect(() => x.permute([0, 1, 3])).toThrow(RangeError);
    // -1 names dim 2, so this lists dim 2 twice
    expect(() => x.permute([0, 2, -1])).toThrow(RangeError);
  });
});

describe('broadcastTo / expand', () => {
  it('repeats along new and size-1 dims', () => {
    expect(tensor([1, 2]).broadcastTo([3, 2]).toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(tensor([[1], [2]]).expand(2, 3).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(tensor([[1], [2]]).expand([2, 2, 2]).toArray()).toEqual([[[1, 1], [2, 2]], [[1, 1], [2, 2]]]);
  });

  it('-1 keeps a size', () => {
    const y = tensor([[1], [2]]).expand(-1, 3);
    expect(y.shape).toEqual([2, 3]);
    expect(y.toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(broadcastTo(tensor([1, 2]), [2, -1]).toArray()).toEqual([[1, 2], [1, 2]]);
  });

  it('returns a copy, not a view', () => {
    const x = tensor([1, 2]);
    const y = x.broadcastTo([2, 2]);
    x.data[0] = 9;
    expect(y.toArray()).toEqual([[1, 2], [1, 2]]);
  });

  it('throws a ShapeError for a shape x cannot be broadcast to', () => {
    expect(() => tensor([1, 2, 3]).broadcastTo([2, 2])).toThrow(ShapeError);
    expect(() => tensor([1, 2, 3]).broadcastTo([1])).toThrow(ShapeError);
    expect(() => zeros([2, 3]).expand(3)).toThrow(ShapeError);
    expect(() => zeros([2, 3]).expand(3, 2, 4)).toThrow(ShapeError);
  });

  it('a bad size is reported in the shape as written', () => {
    // -1 keeps an input size, so [-1, -2] must not be shown as [3,-2]
    const e = thrown(() => broadcastTo(zeros([3]), [2, -1, -2]));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe("broadcastTo: sizes must be non-negative integers (or -1 to keep one of the input's), got [2,-1,-2]");
    // a -1 in a new leading dim has no input size to keep
    expect(() => broadcastTo(zeros([3]), [-1, 3])).toThrow(/^broadcastTo: sizes must be .*got \[-1,3\]$/);
    expect(broadcastTo(zeros([3]), [2, -1]).shape).toEqual([2, 3]);
  });
});

describe('slice / narrow / select', () => {
  const x = arange(10);

  it('slices with Python rules: negative bounds, clipping, step', () => {
    expect(x.slice(0, 2, 5).toArray()).toEqual([2, 3, 4]);
    expect(x.slice(0, -3).toArray()).toEqual([7, 8, 9]);
    expect(x.slice(0, 1, -7).toArray()).toEqual([1, 2]);
    expect(x.slice(0, -100, 2).toArray()).toEqual([0, 1]);
    expect(x.slice(0, 8, 100).toArray()).toEqual([8, 9]);
    expect(x.slice(0, 2, 8, 3).toArray()).toEqual([2, 5]);
    expect(x.slice(0, undefined, undefined, 4).toArray()).toEqual([0, 4, 8]);
    expect(x.slice(0, 6, 3).shape).toEqual([0]);
    expect(() => x.slice(0, 0, 5, 0)).toThrow(RangeError);
    expect(() => x.slice(0, 0, 5, -1)).toThrow(RangeError);
  });

  it('slices along an inner dim', () => {
    const m = arange(12).reshape([3, 4]);
    expect(slice(m, 1, 1, 3).toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(m, -1, -1).toArray()).toEqual([[3], [7], [11]]);
    expect(m.slice(0, 0, 3, 2).toArray()).toEqual([[0, 1, 2, 3], [8, 9, 10, 11]]);
  });

  it('narrow takes length elements from start (start may be negative)', () => {
    expect(x.narrow(0, 3, 4).toArray()).toEqual([3, 4, 5, 6]);
    expect(narrow(x, 0, -2, 2).toArray()).toEqual([8, 9]);
    expect(arange(6).reshape([2, 3]).narrow(1, 1, 2).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(() => x.narrow(0, 8, 3)).toThrow(RangeError);
    expect(() => x.narrow(0, 0, -1)).toThrow(RangeError);
  });

  it('select removes the dim, with negative indices, and rejects out-of-range ones', () => {
    const m = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(m.select(0, 1).toArray()).toEqual([4, 5, 6]);
    expect(m.select(1, -1).toArray()).toEqual([3, 6]);
    expect(select(m, -1, 0).toArray()).toEqual([1, 4]);
    expect(m.select(0, -2).toArray()).toEqual([1, 2, 3]);
    expect(tensor([5, 6]).select(0, 1).shape).toEqual([]);
    expect(tensor([5, 6]).select(0, 1).item()).toBe(6);
    expect(() => m.select(0, 2)).toThrow(RangeError);
    expect(() => m.select(1, -4)).toThrow(RangeError);
    expect(() => m.select(2, 0)).toThrow(RangeError);
  });
});

describe('indexSelect', () => {
  it('takes slices in index order, with repeats and negative indices', () => {
    const m = tensor([[1, 2], [3, 4], [5, 6]]);
    expect(m.indexSelect(0, [2, 0, 2]).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(indexSelect(m, 0, [-1, -3]).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(m.indexSelect(1, tensor([1, 1, 0])).toArray()).toEqual([[2, 2, 1], [4, 4, 3], [6, 6, 5]]);
    expect(m.indexSelect(-1, []).shape).toEqual([3, 0]);
  });

  it('rejects indices out of range or not integers', () => {
    const m = zeros([3, 2]);
    expect(() => m.indexSelect(0, [3])).toThrow(RangeError);
    expect(() => m.indexSelect(0, [-4])).toThrow(RangeError);
    expect(() => m.indexSelect(0, [0.5])).toThrow(RangeError);
  });
});

describe('gather / scatterAdd', () => {
  it('gathers the target class of each row, as a class-index loss does', () => {
    const N = 4;
    const C = 5;
    const logits = randn([N, C], { generator: new Generator(2) });
    const targets = tensor([3, 0, 4, 3]);
    const picked = logits.gather(1, targets.unsqueeze(1));
    expect(picked.shape).toEqual([N, 1]);
    for (let i = 0; i < N; i++) expect(picked.data[i]).toBe(logits.data[i * C + targets.data[i]]);
  });

  it('follows out[i][j] = x[index[i][j]][j] along dim 0 and x[i][index[i][j]] along dim 1', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(gather(x, 0, tensor([[1, 0, 1], [0, 0, 1]])).toArray()).toEqual([[4, 2, 6], [1, 2, 6]]);
    expect(gather(x, -1, tensor([[2, 2], [0, 1]])).toArray()).toEqual([[3, 3], [4, 5]]);
  });

  it('rejects an index of the wrong shape or out of range', () => {
    const x = zeros([2, 3]);
    expect(() => x.gather(1, tensor([[0], [1], [2]]))).toThrow(ShapeError);
    expect(() => x.gather(1, tensor([[3], [0]]))).toThrow(RangeError);
    expect(() => x.gather(1, tensor([[-1], [0]]))).toThrow(RangeError);
  });

  it('scatterAdd adds every source value at its index, summing collisions', () => {
    const src = tensor([[1, 2, 3], [4, 5, 6]]);
    const index = tensor([[0, 2, 0], [1, 1, 1]]);
    // row 0: positions 0 ← 1 + 3, 2 ← 2; row 1: position 1 ← 4 + 5 + 6
    expect(scatterAdd(src, 1, index, 4).toArray()).toEqual([[4, 0, 2, 0], [0, 15, 0, 0]]);
    // along dim 0: column j collects src[i][j] at row index[i][j]
    expect(scatterAdd(src, 0, tensor([[2, 0, 2], [2, 1, 0]]), 3).toArray()).toEqual([[0, 2, 6], [0, 5, 0], [5, 0, 3]]);
    expect(() => scatterAdd(src, 1, index, 2)).toThrow(RangeError);
  });

  it('scatterAdd rejects an index whose shape differs from src', () => {
    const src = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => scatterAdd(src, 1, tensor([[0], [1]]), 2)).toThrow(ShapeError);
    expect(() => scatterAdd(src, 1, tensor([[0, 1, 0, 1], [1, 1, 0, 0]]), 2)).toThrow(ShapeError);
    expect(() => scatterAdd(src, 1, tensor([[0, 1, 0]]), 2)).toThrow(ShapeError);
  });
});

describe('concat / stack', () => {
  const a = tensor([[1, 2], [3, 4]]);
  const b = tensor([[5, 6]]);

  it('concat joins along any dim', () => {
    expect(concat([a, b], 0).toArray()).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(concat([a, b.T.reshape([2, 1]), a], 1).toArray()).toEqual([[1, 2, 5, 1, 2], [3, 4, 6, 3, 4]]);
    expect(concat([a, tensor([[9], [8]])], -1).toArray()).toEqual([[1, 2, 9], [3, 4, 8]]);
    const x = arange(8).reshape([2, 2, 2]);
    const y = arange(4).add(100).reshape([2, 1, 2]);
    expect(concat([x, y], 1).toArray()).toEqual([[[0, 1], [2, 3], [100, 101]], [[4, 5], [6, 7], [102, 103]]]);
  });

  it('concat throws a ShapeError when shapes differ outside the dim', () => {
    expect(() => concat([a, b], 1)).toThrow(ShapeError);
    expect(() => concat([a, zeros([2])], 0)).toThrow(ShapeError);
    expect(() => concat([], 0)).toThrow(RangeError);
  });

  it('stack joins along a new dim', () => {
    const u = tensor([1, 2, 3]);
    const v = tensor([4, 5, 6]);
    expect(stack([u, v]).toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(stack([u, v], 1).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(stack([u, v], -1).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    expect(stack([tensor(1), tensor(2)]).toArray()).toEqual([1, 2]);
    expect(() => stack([u, tensor([1, 2])])).toThrow(ShapeError);
  });

  it("stack's dim error states the inputs' own rank and the insertion range", () => {
    const e = thrown(() => stack([zeros([2]), zeros([2])], 3));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toBe('stack: dim 3 is out of range -2..1 for inserting a dim into a 1-D tensor');
    expect(stack([zeros([2]), zeros([2])], -2).shape).toEqual([2, 2]);
  });
});

describe('pad', () => {
  it('pads the last dim first (F.pad order), with a value', () => {
    const x = tensor([[1, 2], [3, 4]]);
    expect(x.pad([1, 2]).toArray()).toEqual([[0, 1, 2, 0, 0], [0, 3, 4, 0, 0]]);
    // [left, right, top, bottom]
    expect(pad(x, [0, 1, 1, 0], -1).toArray()).toEqual([[-1, -1, -1], [1, 2, -1], [3, 4, -1]]);
    expect(tensor([5]).pad([2, 0], 7).toArray()).toEqual([7, 7, 5]);
  });

  it('rejects odd lists and more pairs than dims', () => {
    expect(() => tensor([1]).pad([1])).toThrow(RangeError);
    expect(() => tensor([1]).pad([1, 1, 1, 1])).toThrow(RangeError);
  });
});

describe('clone / cast', () => {
  it('clone copies into its own storage', () => {
    const x = tensor([1, 2, 3]);
    const y = x.clone();
    expect(y.data).not.toBe(x.data);
    x.data[0] = 9;
    expect(y.toArray()).toEqual([1, 2, 3]);
  });

  it('to() converts the dtype, rounding to float32 on the way down', () => {
    const x = tensor([0.1, 2.5], { dtype: 'float64' });
    const y = x.to('float32');
    expect(y.dtype).toBe('float32');
    expect(y.data).toBeInstanceOf(Float32Array);
    expect(Array.from(y.data)).toEqual([Math.fround(0.1), 2.5]);
    const z = cast(y, 'float64');
    expect(z.dtype).toBe('float64');
    expect(Array.from(z.data)).toEqual([Math.fround(0.1), 2.5]);
  });

  it('to() the same dtype returns the tensor itself', () => {
    const x = tensor([1, 2]);
    expect(x.to('float32')).toBe(x);
    expect(cast(x, 'float32')).toBe(x);
    expect(() => x.to('int32' as 'float32')).toThrow(TypeError);
  });

  it('mixed dtypes in one op are a TypeError', () => {
    expect(() => concat([tensor([1]), tensor([2], { dtype: 'float64' })])).toThrow(TypeError);
  });
});
