import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ShapeError } from '../src/index.js';
import {
  broadcastShapes, broadcastStrides, checkShape, formatShape, normalizeDim, normalizeDims, shapesEqual, sizeOf,
  stridesOf,
} from '../src/shape.js';
import { thrown } from './helpers.js';

describe('sizeOf', () => {
  it('multiplies the sizes; a scalar has one element and a zero size empties the shape', () => {
    expect(sizeOf([])).toBe(1);
    expect(sizeOf([5])).toBe(5);
    expect(sizeOf([2, 3, 4])).toBe(24);
    expect(sizeOf([2, 0, 3])).toBe(0);
  });
});

describe('stridesOf', () => {
  it('gives row-major strides in elements', () => {
    expect(stridesOf([])).toEqual([]);
    expect(stridesOf([7])).toEqual([1]);
    // [2,3,4]: the last dim is contiguous, a step in dim 1 skips 4, in dim 0 skips 3·4
    expect(stridesOf([2, 3, 4])).toEqual([12, 4, 1]);
    expect(stridesOf([3, 1, 2])).toEqual([2, 2, 1]);
  });

  it('maps every multi-index to a distinct offset in 0..size-1 (property)', () => {
    const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 0, maxLength: 4 });
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const strides = stridesOf(shape);
        const seen = new Set<number>();
        // Walk multi-indices in row-major order: the offsets must then be exactly 0, 1, 2, ...
        const index = shape.map(() => 0);
        for (let k = 0; k < sizeOf(shape); k++) {
          const offset = index.reduce((acc, i, d) => acc + i * strides[d], 0);
          expect(offset).toBe(k);
          seen.add(offset);
          for (let d = shape.length - 1; d >= 0; d--) {
            if (++index[d] < shape[d]) break;
            index[d] = 0;
          }
        }
        expect(seen.size).toBe(sizeOf(shape));
      }),
      { seed: 42, numRuns: 100 },
    );
  });
});

describe('shapesEqual / formatShape', () => {
  it('compares element by element and prints shapes the way errors show them', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([1, 3], [3])).toBe(false);
    expect(shapesEqual([], [])).toBe(true);
    expect(formatShape([2, 3])).toBe('[2,3]');
    expect(formatShape([])).toBe('[]');
  });
});

describe('checkShape', () => {
  it('returns a copy of a valid shape', () => {
    const shape = [2, 0, 3];
    const out = checkShape(shape, 'zeros');
    expect(out).toEqual([2, 0, 3]);
    out[0] = 9;
    expect(shape[0]).toBe(2);
    expect(checkShape([], 'zeros')).toEqual([]);
  });

  it.each([
    ['non-integer', [2, 1.5]],
    ['negative', [2, -1]],
    ['NaN', [NaN]],
    ['infinite', [Infinity, 2]],
  ])('rejects a %s size with a RangeError naming the op and the shape', (_label, shape) => {
    const e = thrown(() => checkShape(shape, 'myop'));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain('myop');
    expect(e.message).toContain(formatShape(shape));
  });

  it('rejects a non-array with a TypeError', () => {
    expect(() => checkShape(3 as unknown as number[], 'myop')).toThrow(TypeError);
  });
});

describe('broadcastShapes', () => {
  it.each([
    [[], [], []],
    [[3], [], [3]],
    [[], [2, 3], [2, 3]],
    [[2, 1], [1, 3], [2, 3]],
    [[4, 1, 3], [2, 1], [4, 2, 3]],
    [[5, 1, 4, 1], [3, 1, 1], [5, 3, 4, 1]],
    [[0], [1], [0]],
    [[2, 0], [2, 1], [2, 0]],
  ])('broadcasts %j with %j to %j', (a, b, expected) => {
    expect(broadcastShapes(a, b, 'add')).toEqual(expected);
    // Broadcasting is symmetric.
    expect(broadcastShapes(b, a, 'add')).toEqual(expected);
  });

  it.each([
    [[2], [3]],
    [[2, 3], [3, 2]],
    [[4, 1, 2], [3, 3]],
    [[0], [2]],
  ])('throws a ShapeError naming the op and both shapes for %j and %j', (a, b) => {
    const e = thrown(() => broadcastShapes(a, b, 'mul'));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toContain('mul');
    expect(e.message).toContain(formatShape(a));
    expect(e.message).toContain(formatShape(b));
  });
});

describe('broadcastStrides', () => {
  it('gives stride 0 along dims the input lacks or has with size 1', () => {
    // [3,1] read as [2,3,4]: the leading dim is missing, dim 2 is broadcast; dim 1 keeps stride 1.
    expect(broadcastStrides([3, 1], [2, 3, 4])).toEqual([0, 1, 0]);
    expect(broadcastStrides([2, 3], [2, 3])).toEqual([3, 1]);
    expect(broadcastStrides([], [2, 2])).toEqual([0, 0]);
  });
});

describe('normalizeDim', () => {
  it('maps dims in [-ndim, ndim) to [0, ndim)', () => {
    expect(normalizeDim(0, 3, 'sum')).toBe(0);
    expect(normalizeDim(2, 3, 'sum')).toBe(2);
    expect(normalizeDim(-1, 3, 'sum')).toBe(2);
    expect(normalizeDim(-3, 3, 'sum')).toBe(0);
  });

  it('accepts 0 and -1 on a scalar, as PyTorch does', () => {
    expect(normalizeDim(0, 0, 'sum')).toBe(0);
    expect(normalizeDim(-1, 0, 'sum')).toBe(0);
  });

  it.each([
    [3, 3],
    [-4, 3],
    [1, 0],
    [-2, 0],
    [0.5, 2],
    [NaN, 2],
  ])('rejects dim %d of a %d-dim tensor with a RangeError naming the op and the dim', (dim, ndim) => {
    const e = thrown(() => normalizeDim(dim, ndim, 'mean'));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain('mean');
    expect(e.message).toContain(`dim ${dim}`);
  });
});

describe('normalizeDims', () => {
  it('gives every dim for undefined, and sorted non-negative dims otherwise', () => {
    expect(normalizeDims(undefined, 3, 'sum')).toEqual([0, 1, 2]);
    expect(normalizeDims(undefined, 0, 'sum')).toEqual([]);
    expect(normalizeDims(-1, 3, 'sum')).toEqual([2]);
    expect(normalizeDims([2, 0], 3, 'sum')).toEqual([0, 2]);
    expect(normalizeDims([-1, -3], 4, 'sum')).toEqual([1, 3]);
    expect(normalizeDims([], 3, 'sum')).toEqual([]);
  });

  it('rejects a dim named twice, also through its negative alias', () => {
    for (const dims of [[1, 1], [0, -3], [2, -1]]) {
      const e = thrown(() => normalizeDims(dims, 3, 'sum'));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toContain('sum');
      expect(e.message).toContain('twice');
    }
  });

  it('rejects an out-of-range dim in a list', () => {
    const e = thrown(() => normalizeDims([0, 5], 2, 'var'));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toContain('var');
    expect(e.message).toContain('dim 5');
  });
});
