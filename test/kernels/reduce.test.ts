/**
 * sumKernel over every subset of dims of several shapes, against a sum that maps each input index to its output
 * index explicitly. Values are small integers, so every sum is exact whatever order the kernel adds in.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import { sumKernel } from '../../src/kernels/reduce.js';

/** Row-major strides of the keepdim output shape, 0 along reduced dims (what ops/reduce.ts passes). */
function outStridesFor(shape: readonly number[], dims: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    const kept = dims.includes(d) ? 1 : shape[d];
    strides[d] = dims.includes(d) ? 0 : s;
    s *= kept;
  }
  return strides;
}

/** The reference: out[index with the reduced coordinates dropped] += x[index]. */
function refSum(x: ArrayLike<number>, shape: readonly number[], dims: readonly number[]): number[] {
  const outSize = shape.reduce((p, s, d) => p * (dims.includes(d) ? 1 : s), 1);
  const out = new Array<number>(outSize).fill(0);
  for (let k = 0; k < x.length; k++) {
    let r = k;
    const idx = new Array<number>(shape.length);
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = r % shape[d];
      r = Math.floor(r / shape[d]);
    }
    let j = 0;
    for (let d = 0; d < shape.length; d++) if (!dims.includes(d)) j = j * shape[d] + idx[d];
    out[j] += x[k];
  }
  return out;
}

function subsets(n: number): number[][] {
  const all: number[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) all.push([...Array(n).keys()].filter((d) => mask & (1 << d)));
  return all;
}

describe('sumKernel', () => {
  const SHAPES = [[7], [4, 5], [3, 1, 4], [2, 3, 4, 5], [5, 3, 2, 1], [1, 6], [2, 0, 3]];
  for (const Type of [Float32Array, Float64Array]) {
    for (const shape of SHAPES) {
      it(`${Type.name} [${shape.join(', ')}]: every set of reduced dims`, () => {
        const size = shape.reduce((p, s) => p * s, 1);
        const g = new Generator(size + shape.length);
        const x = Type.from(Array.from({ length: size }, () => Math.floor(g.random() * 21) - 10));
        for (const dims of subsets(shape.length)) {
          const expected = refSum(x, shape, dims);
          const out = new Type(expected.length);
          sumKernel(x, shape, outStridesFor(shape, dims), out);
          expect(Array.from(out), `dims [${dims.join(', ')}]`).toEqual(expected);
        }
      });
    }
  }

  it('a float32 sum over a long row is accumulated in double precision and rounded once', () => {
    // 2²⁴ and then eight ones. In float32, 2²⁴ + 1 rounds back to 2²⁴, so adding the ones one by one in float32
    // would lose all of them; summed in a double the result is 2²⁴ + 8, which float32 represents exactly.
    const x = Float32Array.from([2 ** 24, 1, 1, 1, 1, 1, 1, 1, 1]);
    const out = new Float32Array(1);
    sumKernel(x, [9], [0], out);
    expect(out[0]).toBe(2 ** 24 + 8);
  });

  it('adds into the output (which the op zeroes): the caller can accumulate', () => {
    const x = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const out = Float64Array.from([10, 20]);
    sumKernel(x, [2, 3], [1, 0], out);
    expect(Array.from(out)).toEqual([10 + 6, 20 + 15]);
  });
});
