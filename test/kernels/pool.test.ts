/**
 * Max pooling kernels: the unrolled 2×2 / stride 2 path and the general path against a plain window scan written
 * here (row-major taps, a strictly larger value or a NaN replaces the best, the first NaN ends the window), on
 * random data and on the cases where a branch-free loop could go wrong (ties, NaN, −∞, ±0); and the backward's
 * scatter to the saved argmax.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { type PoolGeometry, maxPool2dBackwardKernel, maxPool2dKernel } from '../../src/kernels/pool.js';

function geometry(h: number, w: number, k: [number, number], s: [number, number], p: [number, number]): PoolGeometry {
  return {
    height: h, width: w, kernelH: k[0], kernelW: k[1], strideH: s[0], strideW: s[1], padH: p[0], padW: p[1],
    outH: Math.floor((h + 2 * p[0] - k[0]) / s[0]) + 1, outW: Math.floor((w + 2 * p[1] - k[1]) / s[1]) + 1,
  };
}

/** The window scan, one output at a time. */
function refMaxPool(x: ArrayLike<number>, planes: number, g: PoolGeometry): { y: number[]; argmax: number[] } {
  const y: number[] = [];
  const argmax: number[] = [];
  for (let p = 0; p < planes; p++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++) {
        let best = -Infinity;
        let at = -1;
        for (let i = 0; i < g.kernelH; i++) {
          for (let j = 0; j < g.kernelW; j++) {
            const h = oh * g.strideH - g.padH + i;
            const w = ow * g.strideW - g.padW + j;
            if (h < 0 || h >= g.height || w < 0 || w >= g.width) continue;
            const v = x[p * g.height * g.width + h * g.width + w];
            if (at < 0) at = h * g.width + w; // the first tap inside the input is the default winner
            if (Number.isNaN(best)) continue;
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = h * g.width + w;
            }
          }
        }
        y.push(best);
        argmax.push(at);
      }
    }
  }
  return { y, argmax };
}

function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) expect.fail(`${what} ${i}: got ${actual[i]}, expected ${expected[i]}`);
  }
}

function run(x: Float32Array | Float64Array, planes: number, g: PoolGeometry): void {
  const n = planes * g.outH * g.outW;
  const y = new (x.constructor as typeof Float64Array)(n).fill(123);
  const argmax = new Float32Array(n).fill(-7);
  maxPool2dKernel(x, planes, g, y, argmax);
  const ref = refMaxPool(x, planes, g);
  expectSame(y, ref.y, 'y');
  expectSame(argmax, ref.argmax, 'argmax');
}

describe('maxPool2dKernel', () => {
  const GEOMETRIES: Array<[string, PoolGeometry]> = [
    ['2×2 stride 2 (unrolled path), even sizes', geometry(6, 8, [2, 2], [2, 2], [0, 0])],
    ['2×2 stride 2 (unrolled path), odd sizes: the last row and column are dropped', geometry(5, 7, [2, 2], [2, 2], [0, 0])],
    ['2×2 stride 2 with padding 1 (general path)', geometry(5, 4, [2, 2], [2, 2], [1, 1])],
    ['3×3 stride 2 padding 1', geometry(7, 6, [3, 3], [2, 2], [1, 1])],
    ['[3, 2] stride [1, 2], overlapping', geometry(5, 5, [3, 2], [1, 2], [1, 0])],
  ];
  for (const Type of [Float32Array, Float64Array]) {
    for (const [label, g] of GEOMETRIES) {
      it(`${Type.name} ${label}: random values`, () => {
        const gen = new Generator(g.height * 31 + g.width);
        const planes = 3;
        run(Type.from(Array.from({ length: planes * g.height * g.width }, () => gen.normal())), planes, g);
      });
      it(`${Type.name} ${label}: ties, NaN, −∞ and ±0`, () => {
        // values from a small set with many repeats, so windows hold ties, several NaNs, all −∞, or −0 next to +0
        const pool = [0, -0, 1, 1, -Infinity, -Infinity, NaN, 2, -1];
        const gen = new Generator(g.height * 17 + g.width);
        const planes = 6;
        run(Type.from(Array.from({ length: planes * g.height * g.width }, () => pool[Math.floor(gen.random() * pool.length)])), planes, g);
      });
    }
  }

  it('2×2 windows by hand: the first maximum wins ties, the first NaN wins, an all −∞ window keeps its first tap', () => {
    // one 2×8 plane holds four windows: [1 3 | 3 1], [NaN 5 | NaN 9], [-∞ -∞ | -∞ -∞], [-0 0 | 0 -0]
    const x = Float64Array.from([
      1, 3, NaN, 5, -Infinity, -Infinity, -0, 0,
      3, 1, NaN, 9, -Infinity, -Infinity, 0, -0,
    ]);
    const g = geometry(2, 8, [2, 2], [2, 2], [0, 0]);
    const y = new Float64Array(4);
    const argmax = new Float32Array(4);
    maxPool2dKernel(x, 1, g, y, argmax);
    expectSame(y, [3, NaN, -Infinity, -0], 'y');
    // positions h·W + w: 3 at (0, 1); NaN at (0, 2); −∞ window's first tap (0, 4); −0 at (0, 6) (+0 is not larger)
    expectSame(argmax, [1, 2, 4, 6], 'argmax');
  });
});

describe('maxPool2dBackwardKernel', () => {
  it('adds each dy at its plane\'s argmax (overlapping windows sum) and zeroes the rest', () => {
    const planes = 2;
    const outSize = 3;
    const planeSize = 4;
    const argmax = Float32Array.from([0, 3, 3, 1, 1, 2]);
    const dy = Float64Array.from([1, 2, 4, 8, 16, 32]);
    const dx = new Float64Array(planes * planeSize).fill(NaN);
    maxPool2dBackwardKernel(dy, argmax, planes, outSize, planeSize, dx);
    // plane 0: dx[0] = 1, dx[3] = 2 + 4; plane 1: dx[1] = 8 + 16, dx[2] = 32
    expectSame(dx, [1, 0, 0, 6, 0, 24, 32, 0], 'dx');
  });
});
