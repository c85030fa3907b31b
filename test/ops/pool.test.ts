import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, enableGrad, gradcheck, tensor, zeros } from '../../src/index.js';
import { avgPool2d, avgPool2dBackward, maxPool2d } from '../../src/ops/pool.js';
import { expectMatches, randn64, thrown } from '../helpers.js';

interface Config {
  k: [number, number];
  s: [number, number];
  p: [number, number];
}

/**
 * Pooling straight from its definition: window (oh, ow) covers rows oh·sh − ph ... + kh − 1 and columns likewise;
 * max takes the largest in-image tap (padding is −∞), avg divides the in-image sum by kh·kw (countIncludePad) or by
 * the number of in-image taps. Also returns, for max, the flat input position of the first maximum.
 */
function naivePool(x: Tensor, { k, s, p }: Config, mode: 'max' | 'avg', countIncludePad = true) {
  const [N, C, H, W] = x.shape;
  const outH = Math.floor((H + 2 * p[0] - k[0]) / s[0]) + 1;
  const outW = Math.floor((W + 2 * p[1] - k[1]) / s[1]) + 1;
  const data: number[] = [];
  const argmax: number[] = [];
  for (let nc = 0; nc < N * C; nc++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++) {
        let best = -Infinity;
        let at = -1;
        let total = 0;
        let inside = 0;
        for (let i = 0; i < k[0]; i++) {
          for (let j = 0; j < k[1]; j++) {
            const h = oh * s[0] - p[0] + i;
            const w = ow * s[1] - p[1] + j;
            if (h < 0 || h >= H || w < 0 || w >= W) continue;
            const v = x.data[nc * H * W + h * W + w];
            inside++;
            total += v;
            if (v > best) {
              best = v;
              at = nc * H * W + h * W + w;
            }
          }
        }
        data.push(mode === 'max' ? best : total / (countIncludePad ? k[0] * k[1] : inside));
        argmax.push(at);
      }
    }
  }
  return { data, argmax, shape: [N, C, outH, outW] };
}

/** Values at least 0.25 apart (a shuffled ramp), so that every window has one clear maximum for central differences. */
function distinct(shape: number[], g: Generator): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => 0.3 * (i - n / 2) + 0.05 * g.random());
  for (let i = n - 1; i > 0; i--) {
    const j = g.randint(0, i + 1);
    [v[i], v[j]] = [v[j], v[i]];
  }
  return new Tensor(Float64Array.from(v), shape, { requiresGrad: true });
}

const configs: Array<{ label: string; shape: number[]; config: Config }> = [
  { label: '2×2, stride 2 on an even image', shape: [2, 3, 6, 4], config: { k: [2, 2], s: [2, 2], p: [0, 0] } },
  { label: '3×3, stride 2, padding 1 on an odd non-square image', shape: [2, 2, 7, 5], config: { k: [3, 3], s: [2, 2], p: [1, 1] } },
  { label: 'stride ≠ kernel (3×3 stride 1, overlapping)', shape: [1, 2, 5, 5], config: { k: [3, 3], s: [1, 1], p: [0, 0] } },
  { label: 'non-square kernel [3, 2], stride [1, 3], padding [1, 1]', shape: [1, 3, 5, 7], config: { k: [3, 2], s: [1, 3], p: [1, 1] } },
  { label: 'odd size, stride 3 > kernel 2 (skipping)', shape: [1, 1, 9, 7], config: { k: [2, 2], s: [3, 3], p: [1, 0] } },
];

describe('maxPool2d', () => {
  it('2×2 stride 2 by hand', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, -1, 6, 7], [2, 9, 3, 3]]]]);
    expect(maxPool2d(x, { kernelSize: 2 }).toArray()).toEqual([[[[5, 8], [9, 7]]]]);
  });

  it('padding is −∞: never picked, even when every value is negative', () => {
    // 3×3 windows, stride 2, padding 1 over a 3×3 image of negatives: each window's max comes from inside
    const x = tensor([[[[-9, -8, -7], [-6, -5, -4], [-3, -2, -1]]]]);
    // window (0,0) covers x[0..1][0..1] → −5; (0,1) x[0..1][1..2] → −4; (1,0) x[1..2][0..1] → −2; (1,1) → −1
    expect(maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }).toArray()).toEqual([[[[-5, -4], [-2, -1]]]]);
  });

  for (const { label, shape, config } of configs) {
    it(`${label}: matches the definition, forward and backward`, () => {
      const g = new Generator(21);
      const x = randn64(shape, g, true);
      const ref = naivePool(x, config, 'max');
      const y = maxPool2d(x, { kernelSize: config.k, stride: config.s, padding: config.p });
      expectMatches(y, ref, 14);
      // the backward routes each dy to its window's argmax (adding where windows share it)
      const dy = randn64(ref.shape, g);
      y.backward(dy);
      const dx = new Float64Array(x.size);
      ref.argmax.forEach((at, o) => (dx[at] += dy.data[o]));
      expect(Array.from(x.grad!.data)).toEqual(Array.from(dx));
    });
  }

  it('ties go to the first maximum, in row-major order within the window', () => {
    const x = tensor([[[[1, 1, 2, 2], [1, 1, 2, 2]]]], { requiresGrad: true });
    maxPool2d(x, { kernelSize: 2 }).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[1, 0, 1, 0], [0, 0, 0, 0]]]]);
  });

  it('a pixel that is the max of overlapping windows collects their gradients', () => {
    // 3×3 stride 1 over 4×4: the 9 at (1,1) wins all four windows
    const x = tensor([[[[0, 0, 0, 0], [0, 9, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]]]], { requiresGrad: true });
    maxPool2d(x, { kernelSize: 3, stride: 1 }).backward(tensor([[[[1, 2], [3, 4]]]]));
    expect(x.grad!.toArray()).toEqual([[[[0, 0, 0, 0], [0, 10, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]]]);
  });

  it('a NaN propagates, as PyTorch', () => {
    expect(maxPool2d(tensor([[[[1, NaN], [3, 2]]]]), { kernelSize: 2 }).item()).toBeNaN();
  });

  it('a 3-D input is one image; float32 works', () => {
    const g = new Generator(4);
    const x = randn64([2, 5, 5], g);
    const y = maxPool2d(x.to('float32'), { kernelSize: 2, stride: 1 });
    expect(y.shape).toEqual([2, 4, 4]);
    expectMatches(y.reshape([1, 2, 4, 4]), naivePool(x.reshape([1, 2, 5, 5]), { k: [2, 2], s: [1, 1], p: [0, 0] }, 'max'), 6);
  });

  for (const { label, shape, config } of configs) {
    it(`gradcheck (float64): ${label}`, () => {
      const g = new Generator(8);
      // one image and at most 2 channels keeps the Jacobian small
      const small = [1, Math.min(shape[1], 2), shape[2], shape[3]];
      const report = gradcheck((x) => maxPool2d(x, { kernelSize: config.k, stride: config.s, padding: config.p }), [distinct(small, g)]);
      expect(report.ok).toBe(true);
    });
  }

  it('createGraph: second derivatives through the routing', () => {
    const g = new Generator(31);
    const c = randn64([1, 1, 5, 4], g);
    // L = Σ maxPool(x + z)³ at z = 0: dL/dz = 3·y² routed to the argmaxes, which depends on x again, so the
    // gradient of ⟨c, dL/dz⟩ w.r.t. x goes through the backward of the routing
    const fn = (x: Tensor) => enableGrad(() => {
      const z = zeros(x.shape, { dtype: 'float64', requiresGrad: true });
      maxPool2d(x.add(z), { kernelSize: 2, stride: 1, padding: 1 }).pow(3).sum().backward(undefined, { createGraph: true });
      return z.grad!.mul(c).sum();
    });
    // the value itself: Σ over windows of 3·max² · c[argmax], from the reference
    const x0 = distinct([1, 1, 5, 4], g);
    const ref = naivePool(x0, { k: [2, 2], s: [1, 1], p: [1, 1] }, 'max');
    const expected = ref.data.reduce((acc, m, o) => acc + 3 * m * m * c.data[ref.argmax[o]], 0);
    expect(fn(x0).item()).toBeCloseTo(expected, 12);
    expect(gradcheck(fn, [x0]).ok).toBe(true);
  });
});

describe('avgPool2d', () => {
  it('2×2 stride 2 by hand', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, -1, 6, 7], [2, 9, 3, 3]]]]);
    // (1+5+3+4)/4, (2+0+8+1)/4, (0−1+2+9)/4, (6+7+3+3)/4
    expect(avgPool2d(x, { kernelSize: 2 }).toArray()).toEqual([[[[3.25, 2.75], [2.5, 4.75]]]]);
  });

  it('countIncludePad: the padding counts in the divisor by default, not with false', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    // 2×2 windows, stride 1, padding 1 over a 2×2 image: the corner window holds one pixel
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1 }).toArray()).toEqual([[[[0.25, 0.75, 0.5], [1, 2.5, 1.5], [0.75, 1.75, 1]]]]);
    expect(avgPool2d(x, { kernelSize: 2, stride: 1, padding: 1, countIncludePad: false }).toArray())
      .toEqual([[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]);
  });

  for (const countIncludePad of [true, false]) {
    for (const { label, shape, config } of configs) {
      it(`${label}, countIncludePad ${countIncludePad}: matches the definition, forward and backward`, () => {
        const g = new Generator(23);
        const x = randn64(shape, g, true);
        const ref = naivePool(x, config, 'avg', countIncludePad);
        const y = avgPool2d(x, { kernelSize: config.k, stride: config.s, padding: config.p, countIncludePad });
        expectMatches(y, ref, 13);
        // dL/dx[i] = Σ over the windows containing i of dy / that window's divisor (the avg is linear, so its
        // gradient is the reference pooled over a one-hot input)
        const dy = randn64(ref.shape, g);
        y.backward(dy);
        for (let i = 0; i < x.size; i++) {
          const e = zeros(shape, { dtype: 'float64' });
          e.data[i] = 1;
          const column = naivePool(e, config, 'avg', countIncludePad).data;
          const expected = column.reduce((acc, v, o) => acc + v * dy.data[o], 0);
          expect(x.grad!.data[i]).toBeCloseTo(expected, 13);
        }
      });

      it(`gradcheck (float64), countIncludePad ${countIncludePad}: ${label}`, () => {
        const g = new Generator(9);
        const small = [1, Math.min(shape[1], 2), shape[2], shape[3]];
        const report = gradcheck((x) => avgPool2d(x, { kernelSize: config.k, stride: config.s, padding: config.p, countIncludePad }), [randn64(small, g, true)]);
        expect(report.ok).toBe(true);
      });
    }
  }

  it('its backward op passes gradcheck itself (second derivatives)', () => {
    const g = new Generator(12);
    const geometry = { height: 5, width: 4, kernelH: 3, kernelW: 2, strideH: 2, strideW: 1, padH: 1, padW: 1, outH: 3, outW: 5 };
    for (const countIncludePad of [true, false]) {
      gradcheck((dy) => avgPool2dBackward(dy, { geometry, countIncludePad, shape: [1, 2, 5, 4] }), [randn64([1, 2, 3, 5], g, true)]);
    }
  });
});

describe('pooling errors', () => {
  const x = zeros([1, 2, 6, 6]);
  for (const [name, pool] of [['maxPool2d', maxPool2d], ['avgPool2d', avgPool2d]] as const) {
    it(`${name}: bad kernel, stride and padding, named`, () => {
      for (const options of [{ kernelSize: 0 }, { kernelSize: 1.5 }, { kernelSize: 2, stride: 0 }, { kernelSize: 2, stride: -2 },
        { kernelSize: 2, padding: -1 }, { kernelSize: [2] as unknown as number }]) {
        expect(() => pool(x, options)).toThrow(new RegExp(`^${name}: (kernelSize|stride|padding) must be`));
        expect(() => pool(x, options)).toThrow(RangeError);
      }
      expect(() => pool(x, { kernelSize: 3, padding: 2 })).toThrow(new RegExp(`${name}: padding 2 must be at most half of kernelSize 3`));
      expect(() => pool(x, { kernelSize: [4, 2], padding: [2, 2] })).toThrow(RangeError);
      expect(() => pool(x, undefined as unknown as { kernelSize: number })).toThrow(TypeError);
    });

    it(`${name}: bad shapes`, () => {
      expect(() => pool(zeros([6, 6]), { kernelSize: 2 })).toThrow(new RegExp(`${name}: input must be 4-D.*\\[6,6\\]`));
      expect(() => pool(zeros([1, 1, 2, 5]), { kernelSize: 3 })).toThrow(ShapeError);
      expect(() => pool(zeros([1, 1, 2, 5]), { kernelSize: 3 })).toThrow(new RegExp(`${name}: kernel 3×3 is larger than the padded input 2×5`));
      expect(pool(zeros([1, 1, 2, 5]), { kernelSize: 3, padding: 1 }).shape).toEqual([1, 1, 1, 2]);
    });
  }

  it('avgPool2d: countIncludePad must be a boolean', () => {
    expect(() => avgPool2d(x, { kernelSize: 2, countIncludePad: 1 as unknown as boolean })).toThrow(TypeError);
    expect(() => avgPool2d(x, { kernelSize: 2, countIncludePad: 1 as unknown as boolean })).toThrow(/^avgPool2d: countIncludePad must be true or false, got 1/);
  });

  it('NaN and Infinity sizes are reported as such, not as null', () => {
    const cases = [
      [{ kernelSize: 2, stride: NaN }, /^maxPool2d: stride must be .*, got NaN$/],
      [{ kernelSize: [2, NaN] as [number, number] }, /^maxPool2d: kernelSize must be .*, got \[2, NaN\]$/],
      [{ kernelSize: 2, padding: Infinity }, /^maxPool2d: padding must be .*, got Infinity$/],
      [{ kernelSize: '2' as unknown as number }, /^maxPool2d: kernelSize must be .*, got "2"$/],
    ] as const;
    for (const [options, message] of cases) {
      const e = thrown(() => maxPool2d(x, options));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(message);
    }
  });
});

describe('pooling options: unknown keys and PyTorch options tapegrad lacks', () => {
  // the by-hand input of '2×2 stride 2': window maxima 5, 8 / 9, 7 and means (1+5+3+4)/4, (2+0+8+1)/4 / (0−1+2+9)/4, (6+7+3+3)/4
  const x = tensor([[[[1, 5, 2, 0], [3, 4, 8, 1], [0, -1, 6, 7], [2, 9, 3, 3]]]]);

  it('an unknown key is a TypeError naming the op and the key, listing the allowed ones', () => {
    const e = thrown(() => maxPool2d(x, { kernelSize: 2, strides: 1 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("maxPool2d: unknown option 'strides' (expected kernelSize, stride, padding)");
    const a = thrown(() => avgPool2d(x, { kernelSize: 2, count_include_pad: false } as never));
    expect(a).toBeInstanceOf(TypeError);
    expect(a.message).toMatch(/^avgPool2d: unknown option 'count_include_pad' \(expected kernelSize, stride, padding, countIncludePad\); did you mean 'countIncludePad'\?$/);
    // avg pooling has no dilation in PyTorch either: an unknown key there, not an unsupported one
    expect(() => avgPool2d(x, { kernelSize: 2, dilation: 2 } as never)).toThrow(/^avgPool2d: unknown option 'dilation'/);
  });

  it('ceilMode, dilation and returnIndices on max pooling are refused as not supported, naming the option and value', () => {
    for (const [key, value, shown] of [['ceilMode', true, 'true'], ['dilation', 2, '2'], ['dilation', [1, 2], '[1, 2]'], ['returnIndices', true, 'true']] as const) {
      const e = thrown(() => maxPool2d(x, { kernelSize: 2, [key]: value } as never));
      expect(e, key).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^maxPool2d: option '${key}' is not supported by tapegrad, got ${shown.replace(/[[\]]/g, '\\$&')}`));
    }
    // snake_case of an unsupported option points at the camelCase name
    expect(() => maxPool2d(x, { kernelSize: 2, ceil_mode: true } as never)).toThrow(/unknown option 'ceil_mode'.*did you mean 'ceilMode'/);
  });

  it('ceilMode and divisorOverride on average pooling are refused as not supported', () => {
    for (const [key, value] of [['ceilMode', true], ['divisorOverride', 3]] as const) {
      const e = thrown(() => avgPool2d(x, { kernelSize: 2, [key]: value } as never));
      expect(e, key).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(new RegExp(`^avgPool2d: option '${key}' is not supported by tapegrad, got ${value}`));
    }
  });

  it("PyTorch's defaults of those options (what tapegrad does anyway) are accepted and change nothing", () => {
    const max = maxPool2d(x, { kernelSize: 2, ceilMode: false, dilation: [1, 1], returnIndices: false } as never);
    expect(max.toArray()).toEqual([[[[5, 8], [9, 7]]]]);
    expect(maxPool2d(x, { kernelSize: 2, dilation: 1 } as never).toArray()).toEqual([[[[5, 8], [9, 7]]]]);
    const avg = avgPool2d(x, { kernelSize: 2, ceilMode: false, divisorOverride: null } as never);
    expect(Array.from(avg.data)).toEqual([13 / 4, 11 / 4, 10 / 4, 19 / 4]);
  });

  it('a 3-D input is checked the same way', () => {
    expect(() => maxPool2d(zeros([1, 4, 4]), { kernelSize: 2, ceilMode: true } as never)).toThrow(/^maxPool2d: option 'ceilMode'/);
  });
});
