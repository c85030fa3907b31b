/**
 * The elementwise kernels against per-element references written here: every op's loop, on special values (±0,
 * ±∞, NaN) where the branch-free loops could differ from the plain definition, and every broadcasting layout
 * against an index-by-index walk of the broadcast.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import {
  type BinaryOpName, type UnaryOpName, binaryKernel, clampKernel, coalesceDims, expandKernel, leakyReluKernel,
  reluBackwardKernel, reluKernel, unaryKernel, whereKernel,
} from '../../src/kernels/elementwise.js';

const SPECIAL = [0, -0, 1, -1, 0.5, -2.5, 3e38, -3e38, 1e-40, -1e-40, Infinity, -Infinity, NaN, 700, -700, 1000, -1000];

/** Object.is for whole arrays, so −0 vs +0 and NaN are told apart. */
function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      expect.fail(`element ${i}: got ${Object.is(actual[i], -0) ? '-0' : actual[i]}, expected ${Object.is(expected[i], -0) ? '-0' : expected[i]}`);
    }
  }
}

/** The plain definitions, one value at a time. */
const UNARY_REF: Record<UnaryOpName, (v: number) => number> = {
  neg: (v) => -v,
  exp: Math.exp,
  sin: Math.sin,
  cos: Math.cos,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
  relu: (v) => (Number.isNaN(v) ? NaN : v > 0 ? v : 0),
  sigmoid: (v) => 1 / (1 + Math.exp(-v)),
  tanh: Math.tanh,
};

function seeded(n: number, seed: number, scale = 4): number[] {
  const g = new Generator(seed);
  return Array.from({ length: n }, () => scale * (2 * g.random() - 1));
}

describe('unary kernels', () => {
  for (const Type of [Float32Array, Float64Array]) {
    for (const op of Object.keys(UNARY_REF) as UnaryOpName[]) {
      it(`${Type.name} ${op}: special values and random values match the definition`, () => {
        const x = Type.from([...SPECIAL, ...seeded(50, 1)]);
        const out = new Type(x.length).fill(12345);
        unaryKernel(op, x, out);
        const expected = Type.from(Array.from(x, UNARY_REF[op]));
        if (op === 'sigmoid') {
          // the kernel's eˣ / (1 + eˣ) form for x < 0 differs from 1 / (1 + e⁻ˣ) in the last bits only
          for (let i = 0; i < x.length; i++) {
            if (Number.isNaN(expected[i])) expect(out[i]).toBeNaN();
            else expect(Math.abs(out[i] - expected[i])).toBeLessThanOrEqual(1e-15 + 1e-7 * Math.abs(expected[i]));
          }
        } else {
          expectSame(out, expected);
        }
      });
    }
  }

  it('relu: +0 for −0, for −∞ and for every negative; NaN stays NaN; the output may be the input', () => {
    const x = Float64Array.from([-0, -Infinity, -1e-300, -5, 0, 2, Infinity, NaN]);
    const out = new Float64Array(x.length);
    reluKernel(x, out);
    expectSame(out, [0, 0, 0, 0, 0, 2, Infinity, NaN]);
    reluKernel(x, x);
    expectSame(x, [0, 0, 0, 0, 0, 2, Infinity, NaN]);
  });

  it('sigmoid does not overflow: ±1000 give exactly 1 and 0', () => {
    const out = new Float64Array(2);
    unaryKernel('sigmoid', Float64Array.from([1000, -1000]), out);
    expectSame(out, [1, 0]);
  });

  it('relu backward is dy·[x > 0] as a product: NaN/∞ dy stay NaN under a 0 mask, negative dy gives −0', () => {
    const x = Float32Array.from([1, -1, 0, -0, NaN, 2, -3, -Infinity, Infinity]);
    const dy = Float32Array.from([5, 5, -2, 4, 7, NaN, NaN, Infinity, -1]);
    const out = new Float32Array(x.length);
    reluBackwardKernel(dy, x, out);
    const expected = Array.from(x, (v, i) => dy[i] * (v > 0 ? 1 : 0));
    expectSame(out, expected);
    expectSame(out.slice(0, 4), [5, 0, -0, 0]); // 5·1, 5·0, −2·0, 4·0
  });

  it('clamp and leakyRelu', () => {
    const x = Float64Array.from([...SPECIAL, ...seeded(30, 2)]);
    const out = new Float64Array(x.length);
    clampKernel(x, -1, 2, out);
    expectSame(out, Array.from(x, (v) => (Number.isNaN(v) ? NaN : Math.min(Math.max(v, -1), 2))));
    clampKernel(x, -Infinity, 0.5, out);
    expectSame(out, Array.from(x, (v) => (v > 0.5 ? 0.5 : v)));
    leakyReluKernel(x, 0.1, out);
    expectSame(out, Array.from(x, (v) => (v > 0 ? v : v * 0.1)));
  });
});

/** The plain definitions of the binary ops. */
const BINARY_REF: Record<BinaryOpName, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
};

/** Row-major strides of `shape`, 0 along dims where it is broadcast to `out` (leading dims added as 0). */
function stridesIn(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const od = d + out.length - shape.length;
    strides[od] = shape[d] === 1 ? 0 : s;
    s *= shape[d];
  }
  return strides;
}

/** The broadcast result computed one output index at a time, by explicit multi-indices. */
function refBroadcast(f: (a: number, b: number) => number, a: ArrayLike<number>, aShape: number[], b: ArrayLike<number>, bShape: number[], out: number[]): number[] {
  const size = out.reduce((p, s) => p * s, 1);
  const flat = (idx: number[], shape: number[]): number => {
    let k = 0;
    for (let d = 0; d < shape.length; d++) {
      const i = idx[d + idx.length - shape.length];
      k = k * shape[d] + (shape[d] === 1 ? 0 : i);
    }
    return k;
  };
  const res: number[] = [];
  for (let k = 0; k < size; k++) {
    const idx: number[] = [];
    for (let d = out.length - 1, r = k; d >= 0; d--) {
      idx[d] = r % out[d];
      r = Math.floor(r / out[d]);
    }
    res.push(f(a[flat(idx, aShape)], b[flat(idx, bShape)]));
  }
  return res;
}

const LAYOUTS: Array<[number[], number[], number[]]> = [
  [[4, 5], [4, 5], [4, 5]],
  [[4, 5], [], [4, 5]],
  [[], [3, 2], [3, 2]],
  [[6, 5], [5], [6, 5]], // bias add: runs of 5
  [[6, 5], [6, 1], [6, 5]], // per-row scale: a broadcast inner run
  [[6, 1], [1, 5], [6, 5]], // outer product layout
  [[2, 3, 4], [3, 1], [2, 3, 4]],
  [[2, 1, 4], [3, 1], [2, 3, 4]],
  [[2, 3, 1, 5], [1, 3, 4, 1], [2, 3, 4, 5]],
  [[1, 1, 3], [2, 1, 1], [2, 1, 3]],
  [[3, 1], [1], [3, 1]],
  [[0, 4], [4], [0, 4]],
  [[1], [1], [1]],
];

describe('binaryKernel', () => {
  for (const op of Object.keys(BINARY_REF) as BinaryOpName[]) {
    it(`${op}: every broadcasting layout matches an index-by-index walk`, () => {
      for (const [li, [aShape, bShape, outShape]] of LAYOUTS.entries()) {
        const aSize = aShape.reduce((p, s) => p * s, 1);
        const bSize = bShape.reduce((p, s) => p * s, 1);
        // small integers with repeats, so comparisons see ties, plus specials in the first slots
        const av = seeded(aSize, 10 + li).map((v) => Math.round(v));
        const bv = seeded(bSize, 20 + li).map((v) => Math.round(v));
        if (aSize > 2) [av[0], av[1]] = [NaN, -0];
        if (bSize > 2) [bv[0], bv[1]] = [Infinity, 0];
        const a = Float64Array.from(av);
        const b = Float64Array.from(bv);
        const size = outShape.reduce((p, s) => p * s, 1);
        const out = new Float64Array(size).fill(999);
        binaryKernel(op, a, stridesIn(aShape, outShape), b, stridesIn(bShape, outShape), out, outShape);
        expectSame(out, refBroadcast(BINARY_REF[op], a, aShape, b, bShape, outShape));
      }
    });
  }

  it('float32 operands and output', () => {
    const a = Float32Array.from(seeded(12, 3));
    const b = Float32Array.from(seeded(4, 4));
    const out = new Float32Array(12);
    binaryKernel('div', a, [4, 1], b, [0, 1], out, [3, 4]);
    expectSame(out, Float32Array.from(refBroadcast((x, y) => x / y, a, [3, 4], b, [4], [3, 4])));
  });
});

describe('coalesceDims', () => {
  it('merges dims every operand walks contiguously and drops size-1 dims', () => {
    // [6, 5] + [5]: a is contiguous, b repeats along dim 0, so nothing merges
    expect(coalesceDims([6, 5], [[5, 1], [0, 1]])).toEqual({ shape: [6, 5], strides: [[5, 1], [0, 1]] });
    // same layout for both: one run of 30
    expect(coalesceDims([2, 3, 5], [[15, 5, 1], [15, 5, 1]])).toEqual({ shape: [30], strides: [[1], [1]] });
    // [2, 3, 4, 5] with b broadcast along the two leading dims: those merge into 6, the inner two into 20
    expect(coalesceDims([2, 3, 4, 5], [[60, 20, 5, 1], [0, 0, 5, 1]])).toEqual({ shape: [6, 20], strides: [[20, 1], [0, 1]] });
    // size-1 dims vanish; all of them gives one dim of 1
    expect(coalesceDims([1, 4, 1], [[4, 1, 1]])).toEqual({ shape: [4], strides: [[1]] });
    expect(coalesceDims([1, 1], [[1, 1], [0, 0]])).toEqual({ shape: [1], strides: [[0], [0]] });
  });
});

describe('whereKernel and expandKernel', () => {
  it('where: each operand read through its broadcast strides', () => {
    const outShape = [3, 2, 4];
    const cond = Float64Array.from([1, 0, 0, 1, 1, 0, 1, 0]); // [2, 4]
    const a = Float64Array.from(seeded(3, 5)); // [3, 1, 1]
    const b = Float64Array.from(seeded(24, 6)); // [3, 2, 4]
    const out = new Float64Array(24);
    whereKernel(cond, stridesIn([2, 4], outShape), a, stridesIn([3, 1, 1], outShape), b, stridesIn([3, 2, 4], outShape), out, outShape);
    // b has the output's shape, so b[i] is its value at output i
    const condAt = refBroadcast((c) => c, cond, [2, 4], b, outShape, outShape);
    const aAt = refBroadcast((x) => x, a, [3, 1, 1], b, outShape, outShape);
    expectSame(out, condAt.map((c, i) => (c !== 0 ? aAt[i] : b[i])));
  });

  it('expand: broadcastTo copies, including an inner broadcast dim and a same-size copy', () => {
    for (const [xShape, outShape] of [[[3, 1], [2, 3, 4]], [[1, 4], [3, 4]], [[2, 3], [2, 3]], [[1], [5]]] as Array<[number[], number[]]>) {
      const size = outShape.reduce((p, s) => p * s, 1);
      const x = Float32Array.from(seeded(xShape.reduce((p, s) => p * s, 1), 7));
      const out = new Float32Array(size);
      expandKernel(x, stridesIn(xShape, outShape), out, outShape);
      expectSame(out, Float32Array.from(refBroadcast((v) => v, x, xShape, x, xShape, outShape)));
    }
  });
});
