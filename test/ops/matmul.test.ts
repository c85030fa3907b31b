import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, dot, matmul, matmulT, outer, tensor } from '../../src/index.js';
import { expectMatches, randn64 } from '../helpers.js';

/** The triple loop: row-major A (m×k) times B (k×n). */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
      out[i * n + j] = s;
    }
  }
  return out;
}

/** A row-major r×c matrix transposed. */
function transposed(a: ArrayLike<number>, r: number, c: number): number[] {
  const out = new Array<number>(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a[i * c + j];
  return out;
}

const g = new Generator(7);
const rnd = (shape: number[]) => randn64(shape, g);

/** `actual` has `shape` and the reference values to 12 decimals. */
const expectProduct = (actual: Tensor, expected: number[], shape: number[]) => expectMatches(actual, { data: expected, shape }, 12);

describe('matmul: PyTorch cases', () => {
  it('2-D·2-D by hand', () => {
    // [[1,2],[3,4]]·[[5],[6]] = [[1·5+2·6], [3·5+4·6]]
    expect(tensor([[1, 2], [3, 4]]).matmul(tensor([[5], [6]])).toArray()).toEqual([[17], [39]]);
  });

  it('2-D·2-D against the triple loop', () => {
    const a = rnd([3, 4]);
    const b = rnd([4, 5]);
    expectProduct(matmul(a, b), naive(a.data, b.data, 3, 4, 5), [3, 5]);
  });

  it('1-D·1-D is a scalar dot product', () => {
    const y = tensor([1, 2, 3]).matmul(tensor([4, 5, 6]));
    expect(y.shape).toEqual([]);
    expect(y.item()).toBe(32); // 4 + 10 + 18
  });

  it('1-D·2-D treats the vector as a row, and drops that dim', () => {
    const v = rnd([4]);
    const b = rnd([4, 3]);
    expectProduct(matmul(v, b), naive(v.data, b.data, 1, 4, 3), [3]);
    // [1, 2]·[[1, 2, 3], [4, 5, 6]] = [9, 12, 15]
    expect(matmul(tensor([1, 2]), tensor([[1, 2, 3], [4, 5, 6]])).toArray()).toEqual([9, 12, 15]);
  });

  it('2-D·1-D treats the vector as a column, and drops that dim', () => {
    const a = rnd([3, 4]);
    const v = rnd([4]);
    expectProduct(matmul(a, v), naive(a.data, v.data, 3, 4, 1), [3]);
  });

  it('batched 3-D·3-D multiplies matching batch entries', () => {
    const a = rnd([2, 3, 4]);
    const b = rnd([2, 4, 5]);
    const expected = [0, 1].flatMap((t) => naive(a.data.subarray(t * 12, t * 12 + 12), b.data.subarray(t * 20, t * 20 + 20), 3, 4, 5));
    expectProduct(matmul(a, b), expected, [2, 3, 5]);
  });

  it('3-D·2-D applies the matrix to every batch entry', () => {
    const a = rnd([4, 2, 3]);
    const b = rnd([3, 5]);
    const expected = [0, 1, 2, 3].flatMap((t) => naive(a.data.subarray(t * 6, t * 6 + 6), b.data, 2, 3, 5));
    expectProduct(a.matmul(b), expected, [4, 2, 5]);
  });

  it('2-D·3-D broadcasts the matrix over the batch', () => {
    const a = rnd([2, 3]);
    const b = rnd([4, 3, 2]);
    const expected = [0, 1, 2, 3].flatMap((t) => naive(a.data, b.data.subarray(t * 6, t * 6 + 6), 2, 3, 2));
    expectProduct(a.matmul(b), expected, [4, 2, 2]);
  });

  it('1-D with a batched operand', () => {
    const v = rnd([3]);
    const b = rnd([2, 3, 4]);
    expectProduct(matmul(v, b), [0, 1].flatMap((t) => naive(v.data, b.data.subarray(t * 12, t * 12 + 12), 1, 3, 4)), [2, 4]);
    const a = rnd([2, 4, 3]);
    expectProduct(matmul(a, v), [0, 1].flatMap((t) => naive(a.data.subarray(t * 12, t * 12 + 12), v.data, 4, 3, 1)), [2, 4]);
  });

  it('broadcasts batch dims: [2,1,3,4]·[5,4,2] → [2,5,3,2]', () => {
    const a = rnd([2, 1, 3, 4]);
    const b = rnd([5, 4, 2]);
    const y = matmul(a, b);
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < 5; j++) {
        expected.push(...naive(a.data.subarray(i * 12, i * 12 + 12), b.data.subarray(j * 8, j * 8 + 8), 3, 4, 2));
      }
    }
    expectProduct(y, expected, [2, 5, 3, 2]);
  });

  it('an inner dimension mismatch is a ShapeError naming both shapes', () => {
    expect(() => matmul(rnd([2, 3]), rnd([4, 5]))).toThrow(ShapeError);
    expect(() => matmul(rnd([2, 3]), rnd([4, 5]))).toThrow('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
    expect(() => matmul(rnd([3]), rnd([4]))).toThrow(/\[3\] @ \[4\].*3 and 4/);
    expect(() => matmul(rnd([2, 3]), rnd([2]))).toThrow(ShapeError);
    expect(() => matmul(rnd([2, 2, 3]), rnd([3, 2, 2]))).toThrow(ShapeError);
    expect(() => matmul(tensor(1), rnd([1]))).toThrow(ShapeError);
  });

  it('incompatible batch dims are a ShapeError', () => {
    expect(() => matmul(rnd([2, 3, 4]), rnd([3, 4, 2]))).toThrow(ShapeError);
  });
});

describe('matmulT', () => {
  const m = 3;
  const k = 4;
  const n = 2;
  const a = rnd([m, k]);
  const b = rnd([k, n]);
  const expected = naive(a.data, b.data, m, k, n);
  // The same product with each operand stored transposed.
  const aT = tensor(Float64Array.from(transposed(a.data, m, k))).reshape([k, m]);
  const bT = tensor(Float64Array.from(transposed(b.data, k, n))).reshape([n, k]);

  it('computes op(A)·op(B) for all four flag combinations', () => {
    expectProduct(matmulT(a, b, false, false), expected, [m, n]);
    expectProduct(matmulT(aT, b, true, false), expected, [m, n]);
    expectProduct(matmulT(a, bT, false, true), expected, [m, n]);
    expectProduct(matmulT(aT, bT, true, true), expected, [m, n]);
  });

  it('works on broadcast batches', () => {
    const A = rnd([2, k, m]);
    const B = rnd([n, k]);
    const want = [0, 1].flatMap((t) => naive(transposed(A.data.subarray(t * k * m, (t + 1) * k * m), k, m), transposed(B.data, n, k), m, k, n));
    expectProduct(matmulT(A, B, true, true), want, [2, m, n]);
  });

  it('checks the inner dims of the transposed operands', () => {
    expect(() => matmulT(a, b, true, false)).toThrow(ShapeError);
    expect(() => matmulT(a, bT, false, false)).toThrow(/inner dimensions 4 and 2 differ/);
    expect(() => matmulT(rnd([3]), b, false, false)).toThrow(ShapeError);
  });
});

describe('dot / outer', () => {
  it('dot multiplies and sums', () => {
    expect(dot(tensor([1, 2]), tensor([3, 4])).item()).toBe(11);
    const u = rnd([5]);
    const v = rnd([5]);
    let s = 0;
    for (let i = 0; i < 5; i++) s += u.data[i] * v.data[i];
    expect(u.dot(v).item()).toBeCloseTo(s, 12);
    expect(() => dot(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => dot(tensor([[1, 2]]), tensor([1, 2]))).toThrow(ShapeError);
  });

  it('outer is aᵢbⱼ', () => {
    expect(outer(tensor([1, 2]), tensor([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    const u = rnd([3]);
    const v = rnd([4]);
    expectProduct(u.outer(v), naive(u.data, v.data, 3, 1, 4), [3, 4]);
    expect(() => outer(tensor([[1]]), tensor([1]))).toThrow(ShapeError);
  });
});
