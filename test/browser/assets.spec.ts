/**
 * What the demo is built from, checked in Node: digits.bin holds exactly the `mnist` package's digits in its order,
 * the trainer splits and models them as examples/mnist-cnn.ts does, and the drawing pad's conversion to 28×28
 * follows the MNIST recipe (fit into 20×20, centre of mass at the centre).
 */
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as src from '../../src/index.js';
import { makeModel as exampleModel } from '../../examples/mnist-cnn.js';
import { splitDigits } from '../../examples/lib/mnist.js';
import { toMnist } from '../../examples/browser/src/sketch.js';
import { LEVELS, PIXELS, Trainer, decodeDigits, encodeDigits, makeModel } from '../../examples/browser/src/trainer.js';
import { demoDigits } from './harness.js';

const require = createRequire(import.meta.url);

describe('digits.bin', () => {
  const digits = decodeDigits(demoDigits());

  it('decodes to exactly the numbers of the mnist package, in its order', () => {
    let at = 0;
    for (let digit = 0; digit < 10; digit++) {
      const raw = (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
      const count = raw.length / PIXELS;
      const pixels = digits.pixels.subarray(at * PIXELS, (at + count) * PIXELS);
      // The package's numbers are doubles; a Float32Array holds them rounded to float32, as the examples' tensors do.
      let differ = 0;
      for (let i = 0; i < raw.length; i++) if (pixels[i] !== Math.fround(raw[i])) differ++;
      expect([digit, pixels.length, differ]).toEqual([digit, raw.length, 0]);
      expect([...digits.labels.subarray(at, at + count)].every((l) => l === digit)).toBe(true);
      at += count;
    }
    expect(at).toBe(digits.count);
    expect(digits.count).toBe(10_000);
  });

  it('LEVELS are k/255 rounded to 3 decimals', () => {
    // By hand: 38/255 = 0.14902 → 0.149; 128/255 = 0.50196 → 0.502; the ends are 0 and 1.
    expect([LEVELS[0], LEVELS[38], LEVELS[128], LEVELS[255]]).toEqual([0, Math.fround(0.149), Math.fround(0.502), 1]);
  });

  it('rejects a file that is not a digits file, or cut short', () => {
    const bytes = encodeDigits(new Uint8Array(2 * PIXELS).fill(7), Uint8Array.from([3, 9]));
    expect(decodeDigits(bytes).labels).toEqual(Uint8Array.from([3, 9]));
    expect(() => decodeDigits(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    const wrong = bytes.slice();
    wrong[0] = 0;
    expect(() => decodeDigits(wrong)).toThrow(/not a digits file/);
    const badLabel = bytes.slice();
    badLabel[badLabel.length - 1] = 10;
    expect(() => decodeDigits(badLabel)).toThrow(/label 10/);
  });

  it('the trainer splits and models the digits as examples/mnist-cnn.ts does', () => {
    const trainer = new Trainer(src, digits);
    const example = splitDigits(0);
    expect((trainer.testSet as src.data.Subset<src.Tensor[]>).indices).toEqual(example.test.indices);
    expect((trainer.trainSet as src.data.Subset<src.Tensor[]>).indices).toEqual(example.train.indices);
    const shapes = (m: src.nn.Module) => Object.entries(m.stateDict()).map(([k, t]) => [k, t.shape]);
    expect(shapes(makeModel(src))).toEqual(shapes(exampleModel()));
    expect(trainer.stepsPerEpoch).toBe(Math.ceil(8000 / 32));
  });
});

describe('the drawing pad\'s conversion to 28×28 (toMnist)', () => {
  const W = 280;
  function canvas(fill: (x: number, y: number) => number): Float32Array {
    const ink = new Float32Array(W * W);
    for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) ink[y * W + x] = fill(x, y);
    return ink;
  }
  /** Rows and columns of the 28×28 image that hold ink, and the set of values in them. */
  function extent(image: Float32Array) {
    const rows = new Set<number>(), cols = new Set<number>(), values = new Set<number>();
    image.forEach((v, i) => {
      if (v > 0) {
        rows.add(Math.floor(i / 28));
        cols.add(i % 28);
        values.add(v);
      }
    });
    return { rows: [Math.min(...rows), Math.max(...rows)], cols: [Math.min(...cols), Math.max(...cols)], values: [...values] };
  }

  it('an empty pad gives nothing', () => {
    expect(toMnist(new Float32Array(W * W), W, W)).toBeNull();
  });

  it('a 100×100 square becomes a 20×20 block centred on (14, 14)', () => {
    // Scale 20/100: each target pixel averages 5×5 inked pixels = 1. Centre of mass of the block 10 → shift by 4.
    const image = toMnist(canvas((x, y) => (x >= 10 && x < 110 && y >= 150 && y < 250 ? 1 : 0)), W, W)!;
    expect(extent(image)).toEqual({ rows: [4, 23], cols: [4, 23], values: [1] });
  });

  it('a tall 40×100 bar keeps its aspect ratio: 8×20, centred', () => {
    // Scale 20/100 → 8 × 20; centre of mass (4, 10) → shifted by (10, 4); half ink stays half.
    const image = toMnist(canvas((x, y) => (x >= 200 && x < 240 && y >= 20 && y < 120 ? 0.5 : 0)), W, W)!;
    expect(extent(image)).toEqual({ rows: [4, 23], cols: [10, 17], values: [0.5] });
  });
});
