/**
 * matmulKernel against a naive triple loop, for all four transpose variants, both storage types, with and without
 * `accumulate`. Shapes are chosen to hit every path of the kernel: the direct loop for tiny or thin products, the
 * packed path with partial register tiles on both edges, odd k (the two-step inner loop pads k), several k-blocks,
 * several row blocks and several column panels. Operands sit at offsets inside larger arrays whose surroundings
 * must come out untouched.
 */
import { describe, it, expect } from 'vitest';
import { Generator } from '../../src/index.js';
import { matmulKernel } from '../../src/kernels/matmul.js';
import type { TypedArray } from '../../src/dtype.js';

type Kind = 'float32' | 'float64';
const KINDS: Kind[] = ['float32', 'float64'];
const VARIANTS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
const GUARD = 7;
const SENTINEL = -12345.5; // exactly representable in float32, so an untouched guard compares equal

const alloc = (kind: Kind, size: number): TypedArray => (kind === 'float32' ? new Float32Array(size) : new Float64Array(size));

interface Case {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  accumulate: boolean;
  kind: Kind;
}

/** The stored operands: A at aOff in `a`, B at bOff in `b`, the output region at oOff in `out` framed by guards. */
function setup({ m, k, n, accumulate, kind }: Case, g: Generator) {
  const aOff = g.randint(0, 5);
  const bOff = g.randint(0, 5);
  const oOff = GUARD + g.randint(0, 3);
  const a = alloc(kind, aOff + m * k + 2);
  const b = alloc(kind, bOff + k * n + 2);
  const out = alloc(kind, oOff + m * n + GUARD);
  for (let i = 0; i < a.length; i++) a[i] = g.normal();
  for (let i = 0; i < b.length; i++) b[i] = g.normal();
  out.fill(SENTINEL);
  for (let i = 0; i < m * n; i++) out[oOff + i] = accumulate ? g.normal() : SENTINEL;
  return { a, aOff, b, bOff, out, oOff };
}

/**
 * The naive product in doubles from the stored values: expected[i·n + j] = (initial out) + Σ_p op(A)(i,p)·op(B)(p,j),
 * and bound[i·n + j] = |initial| + Σ_p |op(A)(i,p)·op(B)(p,j)|, the scale any rounding error is measured against.
 */
function reference(c: Case, s: ReturnType<typeof setup>) {
  const { m, k, n, transA, transB, accumulate } = c;
  const expected = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? s.out[s.oOff + i * n + j] : 0;
      let mag = Math.abs(sum);
      for (let p = 0; p < k; p++) {
        const av = s.a[s.aOff + (transA ? p * m + i : i * k + p)];
        const bv = s.b[s.bOff + (transB ? j * k + p : p * n + j)];
        sum += av * bv;
        mag += Math.abs(av * bv);
      }
      expected[i * n + j] = sum;
      bound[i * n + j] = mag;
    }
  }
  return { expected, bound };
}

/** Relative error allowed against the magnitude sum: the result is rounded to the storage type a few times at most. */
const TOL: Record<Kind, number> = { float32: 1e-5, float64: 1e-12 };

function check(c: Case, seed: number): void {
  const g = new Generator(seed);
  const s = setup(c, g);
  const { expected, bound } = reference(c, s);
  const label = `${c.kind} m=${c.m} k=${c.k} n=${c.n} transA=${c.transA} transB=${c.transB} accumulate=${c.accumulate}`;
  matmulKernel(s.a, s.aOff, s.b, s.bOff, s.out, s.oOff, c.m, c.k, c.n, c.transA, c.transB, c.accumulate);
  for (let e = 0; e < c.m * c.n; e++) {
    const err = Math.abs(s.out[s.oOff + e] - expected[e]);
    if (!(err <= TOL[c.kind] * bound[e] + 1e-300)) {
      expect.fail(`${label}: element ${e} is ${s.out[s.oOff + e]}, expected ${expected[e]} (error ${err}, allowed ${TOL[c.kind] * bound[e]})`);
    }
  }
  for (let e = 0; e < s.oOff; e++) if (s.out[e] !== SENTINEL) expect.fail(`${label}: wrote before the output, at ${e}`);
  for (let e = s.oOff + c.m * c.n; e < s.out.length; e++) if (s.out[e] !== SENTINEL) expect.fail(`${label}: wrote past the output, at ${e}`);
}

function allVariants(m: number, k: number, n: number, seed: number): void {
  for (const kind of KINDS) {
    for (const [transA, transB] of VARIANTS) {
      for (const accumulate of [false, true]) check({ m, k, n, transA, transB, accumulate, kind }, seed++);
    }
  }
}

describe('matmulKernel', () => {
  it('matches the naive product for a 2×3 · 3×2 example computed by hand', () => {
    // [[1,2,3],[4,5,6]]·[[7,8],[9,10],[11,12]] = [[1·7+2·9+3·11, 1·8+2·10+3·12], [4·7+5·9+6·11, 4·8+5·10+6·12]]
    const a = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const b = Float64Array.from([7, 8, 9, 10, 11, 12]);
    const out = new Float64Array(4);
    matmulKernel(a, 0, b, 0, out, 0, 2, 3, 2, false, false);
    expect(Array.from(out)).toEqual([58, 64, 139, 154]);
    // the same product from Aᵀ and Bᵀ stored: Aᵀ = [[1,4],[2,5],[3,6]], Bᵀ = [[7,9,11],[8,10,12]]
    const at = Float64Array.from([1, 4, 2, 5, 3, 6]);
    const bt = Float64Array.from([7, 9, 11, 8, 10, 12]);
    const out2 = new Float64Array(4);
    matmulKernel(at, 0, bt, 0, out2, 0, 2, 3, 2, true, true);
    expect(Array.from(out2)).toEqual([58, 64, 139, 154]);
    // accumulate adds the product to what is there: 1 + 58, ...
    out2.fill(1);
    matmulKernel(a, 0, bt, 0, out2, 0, 2, 3, 2, false, true, true);
    expect(Array.from(out2)).toEqual([59, 65, 140, 155]);
  });

  it('edge sizes: 1, 2, 3, odd and non-multiples of any tile, small and large, in every dimension', () => {
    // m and n from tiny to past a few register tiles (64, 67), k from 1 to an odd 101: the direct loop, the packed
    // path in both orientations, partial tiles on both edges and odd k all come up
    const mn = [1, 2, 3, 5, 7, 64, 67];
    const ks = [1, 2, 3, 7, 101];
    let seed = 100;
    for (const m of mn) for (const n of mn) for (const k of ks) allVariants(m, k, n, (seed += 40));
  });

  it('empty products: k = 0 gives zeros (or leaves out as is with accumulate); m = 0 or n = 0 writes nothing', () => {
    let seed = 9000;
    for (const [m, k, n] of [[3, 0, 4], [40, 0, 50], [1, 0, 1], [0, 5, 4], [4, 5, 0], [0, 0, 0], [0, 60, 70], [70, 60, 0]]) {
      allVariants(m, k, n, (seed += 40));
    }
    // the expectations of k = 0 spelled out: zeros, or the accumulated values unchanged
    const out = Float32Array.from([5, 6, 7, 8]);
    matmulKernel(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 0, 2, false, false, true);
    expect(Array.from(out)).toEqual([5, 6, 7, 8]);
    matmulKernel(new Float32Array(0), 0, new Float32Array(0), 0, out, 0, 2, 0, 2, false, false);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it('random shapes up to 70 in each dimension', () => {
    const g = new Generator(31);
    for (let t = 0; t < 60; t++) {
      const m = g.randint(1, 71);
      const k = g.randint(1, 71);
      const n = g.randint(1, 71);
      const kind = KINDS[t % 2];
      const [transA, transB] = VARIANTS[(t >> 1) % 4];
      check({ m, k, n, transA, transB, accumulate: t % 3 === 0, kind }, 500 + t);
    }
  });

  it('shapes that cross the blocking: long k (several k-blocks, odd), many rows, wide n (several panels)', () => {
    let seed = 20000;
    // k-blocks: 1100 = 3 blocks, 1025 is odd; many row blocks: 500 rows; several n-panels: 2100 and 4099 columns
    for (const [m, k, n] of [[5, 1100, 7], [4, 1025, 9], [500, 5, 7], [301, 33, 11], [3, 4, 2100], [5, 3, 4099]]) {
      allVariants(m, k, n, (seed += 40));
    }
  });

  it('the W2 layer shapes and their backward products', () => {
    let seed = 30000;
    // a 784 → 256 → 10 MLP on a batch of 64: forward, dX and dW of both layers (one of each variant group)
    for (const [m, k, n, transA, transB] of [
      [64, 784, 256, false, true], [64, 256, 784, false, false], [256, 64, 784, true, false],
      [64, 256, 10, false, true], [64, 10, 256, false, false], [10, 64, 256, true, false],
    ] as const) {
      for (const kind of KINDS) check({ m, k, n, transA, transB, accumulate: false, kind }, seed++);
    }
  });

  it('reuses its scratch across calls of different sizes and types without stale values', () => {
    // Before each checked product, a product of all-NaN operands of the same or a larger size fills whatever
    // scratch the kernel keeps with NaN: any stale scratch lane the next product reads (say, padding not cleared)
    // turns its results into NaN, where fresh padding contributes exact zeros.
    const g = new Generator(77);
    let seed = 40000;
    for (let t = 0; t < 16; t++) {
      const big = t % 2 === 0;
      const m = big ? g.randint(90, 130) : g.randint(3, 9);
      const k = big ? g.randint(200, 600) : g.randint(3, 9);
      const n = big ? g.randint(90, 130) : g.randint(3, 9);
      const [transA, transB] = VARIANTS[t % 4];
      const kind = KINDS[(t >> 1) % 2];
      for (const [pm, pk, pn] of [[m, k, n], [m + 40, k + 301, n + 40]]) {
        const poisonA = alloc(kind, pm * pk).fill(NaN);
        const poisonB = alloc(kind, pk * pn).fill(NaN);
        matmulKernel(poisonA, 0, poisonB, 0, alloc(kind, pm * pn), 0, pm, pk, pn, transA, transB);
        matmulKernel(poisonA, 0, poisonB, 0, alloc(kind, pm * pn), 0, pm, pk, pn, !transA, !transB);
      }
      check({ m, k, n, transA, transB, accumulate: t % 3 === 1, kind }, seed++);
    }
  });

  it('float64 vector products (m = 1 or n = 1) are the left-to-right sum over p, bit for bit', () => {
    // the kernel's vector path adds products in order of p, so these agree with the naive loop exactly, not just
    // to rounding (the old kernel did the same, and printed float64 figures elsewhere rely on that)
    let seed = 50000;
    for (const [m, k, n] of [[1, 37, 29], [23, 41, 1], [1, 300, 1], [1, 5, 200]]) {
      for (const [transA, transB] of VARIANTS) {
        for (const accumulate of [false, true]) {
          const c: Case = { m, k, n, transA, transB, accumulate, kind: 'float64' };
          const s = setup(c, new Generator(seed++));
          const { expected } = reference(c, s);
          matmulKernel(s.a, s.aOff, s.b, s.bOff, s.out, s.oOff, m, k, n, transA, transB, accumulate);
          expect(Array.from(s.out.subarray(s.oOff, s.oOff + m * n))).toEqual(Array.from(expected));
        }
      }
    }
  });

  it('a NaN or infinity reaches exactly the outputs that use it (zero-padded tile lanes do not leak)', () => {
    for (const kind of KINDS) {
      for (const [transA, transB] of VARIANTS) {
        // 7×9 · 9×5: partial register tiles in both directions; odd k
        const m = 7, k = 9, n = 5;
        const a = alloc(kind, m * k).fill(1);
        const b = alloc(kind, k * n).fill(1);
        const at = (i: number, p: number) => (transA ? p * m + i : i * k + p);
        const bt = (p: number, j: number) => (transB ? j * k + p : p * n + j);
        a[at(6, 8)] = NaN; // row 6 of the product
        b[bt(8, 4)] = Infinity; // column 4 of the product
        const out = alloc(kind, m * n);
        matmulKernel(a, 0, b, 0, out, 0, m, k, n, transA, transB);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const v = out[i * n + j];
            if (i === 6) expect(v, `(${i}, ${j})`).toBeNaN();
            else if (j === 4) expect(v, `(${i}, ${j})`).toBe(Infinity);
            else expect(v, `(${i}, ${j})`).toBe(9); // nine products 1·1
          }
        }
        // the same pattern at 70×9 · 9×50, large enough for the packed path, poisoning the last row and column
        const M = 70, N = 50;
        const A = alloc(kind, M * k).fill(1);
        const B = alloc(kind, k * N).fill(1);
        const AT = (i: number, p: number) => (transA ? p * M + i : i * k + p);
        const BT = (p: number, j: number) => (transB ? j * k + p : p * N + j);
        A[AT(M - 1, 0)] = NaN;
        B[BT(k - 1, N - 1)] = -Infinity;
        const OUT = alloc(kind, M * N);
        matmulKernel(A, 0, B, 0, OUT, 0, M, k, N, transA, transB);
        for (let i = 0; i < M; i++) {
          for (let j = 0; j < N; j++) {
            const v = OUT[i * N + j];
            if (i === M - 1) expect(v, `(${i}, ${j})`).toBeNaN();
            else if (j === N - 1) expect(v, `(${i}, ${j})`).toBe(-Infinity);
            else if (v !== k) expect.fail(`(${i}, ${j}) is ${v}, expected ${k}`);
          }
        }
      }
    }
  });
});
