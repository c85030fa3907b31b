import { describe, expect, it } from 'vitest';
import { Generator, ShapeError, Tensor, enableGrad, gradcheck, tensor, zeros } from '../../src/index.js';
import { conv2d, conv2dInputGrad, conv2dGeometry, conv2dWeightGrad, type Conv2dOptions } from '../../src/ops/conv.js';
import { expectMatches, randn64, thrown } from '../helpers.js';

interface Pads {
  stride?: [number, number];
  dilation?: [number, number];
  /** top, bottom, left, right */
  pads?: [number, number, number, number];
}

/**
 * The convolution straight from its definition: y[n,o,oh,ow] = b[o] + Σ_{c,i,j} w[o,c,i,j]·x[n,c,ih,iw] with
 * ih = oh·sh − top + i·dh, iw = ow·sw − left + j·dw, and x = 0 outside the image.
 */
function naiveConv(x: Tensor, w: Tensor, b: Tensor | null, { stride = [1, 1], dilation = [1, 1], pads = [0, 0, 0, 0] }: Pads) {
  const [N, C, H, W] = x.shape;
  const [O, , kh, kw] = w.shape;
  const [top, bottom, left, right] = pads;
  const outH = Math.floor((H + top + bottom - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const outW = Math.floor((W + left + right - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  const out: number[] = [];
  for (let n = 0; n < N; n++) {
    for (let o = 0; o < O; o++) {
      for (let oh = 0; oh < outH; oh++) {
        for (let ow = 0; ow < outW; ow++) {
          let s = b ? b.data[o] : 0;
          for (let c = 0; c < C; c++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const ih = oh * stride[0] - top + i * dilation[0];
                const iw = ow * stride[1] - left + j * dilation[1];
                if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
                s += w.data[((o * C + c) * kh + i) * kw + j] * x.data[((n * C + c) * H + ih) * W + iw];
              }
            }
          }
          out.push(s);
        }
      }
    }
  }
  return { data: out, shape: [N, O, outH, outW] };
}

/** PyTorch's 'same' padding: d·(k − 1) in total, half (rounded down) before, the rest after. */
function samePads(kh: number, kw: number, dh = 1, dw = 1): [number, number, number, number] {
  const th = dh * (kh - 1);
  const tw = dw * (kw - 1);
  return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
}

describe('conv2d forward: known values', () => {
  it('a 2×2 kernel on a 3×3 image, by hand', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 0], [0, -1]]]]);
    // each output is x[i][j] − x[i+1][j+1] = −4; the bias adds 0.5
    expect(conv2d(x, w).toArray()).toEqual([[[[-4, -4], [-4, -4]]]]);
    expect(conv2d(x, w, tensor([0.5])).toArray()).toEqual([[[[-3.5, -3.5], [-3.5, -3.5]]]]);
  });

  it('stride 2, padding 1, dilation 2, by hand', () => {
    // x[h][w] = 5h + w on a 5×5 image; the kernel's only non-zero tap is its bottom-right one (i = j = 1), so
    // y[oh][ow] = x[2·oh − 1 + 2][2·ow − 1 + 2] = x[2oh + 1][2ow + 1], or 0 where that falls in the padding;
    // outH = outW = floor((5 + 2 − 2 − 1) / 2) + 1 = 3
    const x = tensor(Array.from({ length: 25 }, (_, i) => i)).reshape([1, 1, 5, 5]);
    const w = tensor([[[[0, 0], [0, 1]]]]);
    expect(conv2d(x, w, null, { stride: 2, padding: 1, dilation: 2 }).toArray()).toEqual([[[[6, 8, 0], [16, 18, 0], [0, 0, 0]]]]);
  });

  it("'same' with an even kernel pads the extra row and column at the bottom/right, by hand", () => {
    // a 2×2 box sum over x = 1..9 with zeros only after the last row/column
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 1], [1, 1]]]]);
    expect(conv2d(x, w, null, { padding: 'same' }).toArray()).toEqual([[[[12, 16, 9], [24, 28, 15], [15, 17, 9]]]]);
  });

  const cases: Array<{ label: string; x: number[]; w: number[]; bias: boolean; options: Conv2dOptions; ref: Pads }> = [
    { label: 'plain, batch 2', x: [2, 3, 6, 5], w: [4, 3, 3, 3], bias: true, options: {}, ref: {} },
    { label: 'stride 2, padding 1, dilation 2, non-square input and kernel', x: [2, 2, 9, 7], w: [3, 2, 3, 2], bias: true,
      options: { stride: 2, padding: 1, dilation: 2 }, ref: { stride: [2, 2], dilation: [2, 2], pads: [1, 1, 1, 1] } },
    { label: 'pairs: stride [2, 1], padding [0, 2], dilation [1, 3]', x: [1, 2, 7, 8], w: [2, 2, 2, 3], bias: true,
      options: { stride: [2, 1], padding: [0, 2], dilation: [1, 3] }, ref: { stride: [2, 1], dilation: [1, 3], pads: [0, 0, 2, 2] } },
    { label: "'same', odd kernel", x: [1, 3, 5, 6], w: [2, 3, 3, 5], bias: true, options: { padding: 'same' }, ref: { pads: samePads(3, 5) } },
    { label: "'same', even kernel with dilation", x: [1, 2, 6, 7], w: [2, 2, 4, 2], bias: false, options: { padding: 'same', dilation: [1, 3] },
      ref: { dilation: [1, 3], pads: samePads(4, 2, 1, 3) } },
    { label: "'valid', no bias", x: [2, 1, 5, 4], w: [3, 1, 2, 2], bias: false, options: { padding: 'valid' }, ref: {} },
    { label: '1×1 kernel, stride 3', x: [1, 4, 7, 7], w: [2, 4, 1, 1], bias: true, options: { stride: 3 }, ref: { stride: [3, 3] } },
  ];
  for (const c of cases) {
    it(`${c.label}: matches the direct definition (float64 and float32)`, () => {
      const g = new Generator(11);
      const x = randn64(c.x, g);
      const w = randn64(c.w, g);
      const b = c.bias ? randn64([c.w[0]], g) : null;
      const ref = naiveConv(x, w, b, c.ref);
      expectMatches(conv2d(x, w, b, c.options), ref, 12);
      expectMatches(conv2d(x.to('float32'), w.to('float32'), b ? b.to('float32') : null, c.options), ref, 4);
    });
  }

  it("'same' keeps H and W", () => {
    const g = new Generator(2);
    expect(conv2d(randn64([1, 2, 7, 4], g), randn64([3, 2, 4, 3], g), null, { padding: 'same', dilation: 2 }).shape).toEqual([1, 3, 7, 4]);
  });

  it('a 3-D input is one image', () => {
    const g = new Generator(3);
    const x = randn64([2, 5, 5], g);
    const w = randn64([3, 2, 3, 3], g);
    const y = conv2d(x, w, null, { padding: 1 });
    expect(y.shape).toEqual([3, 5, 5]);
    expectMatches(y.reshape([1, 3, 5, 5]), naiveConv(x.reshape([1, 2, 5, 5]), w, null, { pads: [1, 1, 1, 1] }), 12);
  });

  it('the output size follows floor((H + 2p − d(k − 1) − 1) / s) + 1', () => {
    for (const [H, k, s, p, d] of [[28, 5, 1, 0, 1], [10, 3, 2, 1, 1], [11, 3, 3, 2, 2], [7, 2, 2, 0, 3]]) {
      const geometry = conv2dGeometry('conv2d', [1, 1, H, H + 1], [1, 1, k, k], { stride: s, padding: p, dilation: d });
      expect(geometry.outH).toBe(Math.floor((H + 2 * p - d * (k - 1) - 1) / s) + 1);
      expect(geometry.outW).toBe(Math.floor((H + 1 + 2 * p - d * (k - 1) - 1) / s) + 1);
    }
  });
});

describe('conv2d backward', () => {
  it('gradients of a sum by hand: dx counts the taps that see each pixel, db the outputs', () => {
    // y = conv(x, ones 2×2) on a 3×3 image, L = Σy: dL/dx[i][j] = how many 2×2 windows cover (i, j),
    // dL/dw = Σ over the 4 windows of the covered pixels, dL/db = 4 (outputs)
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { requiresGrad: true });
    const w = tensor([[[[1, 1], [1, 1]]]], { requiresGrad: true });
    const b = tensor([0], { requiresGrad: true });
    conv2d(x, w, b).sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]]);
    // tap (0,0) sees 1+2+4+5, (0,1) sees 2+3+5+6, (1,0) 4+5+7+8, (1,1) 5+6+8+9
    expect(w.grad!.toArray()).toEqual([[[[12, 16], [24, 28]]]]);
    expect(b.grad!.toArray()).toEqual([4]);
  });

  const gradCases: Array<{ label: string; x: number[]; w: number[]; bias: boolean; options: Conv2dOptions }> = [
    { label: 'stride 2, padding 1, dilation 2, non-square input and kernel', x: [1, 2, 6, 5], w: [3, 2, 2, 3], bias: true, options: { stride: 2, padding: 1, dilation: 2 } },
    { label: 'pairs: stride [2, 1], padding [1, 0], dilation [1, 2], batch 2', x: [2, 1, 5, 3], w: [2, 1, 2, 1], bias: true, options: { stride: [2, 1], padding: [1, 0], dilation: [1, 2] } },
    { label: "'same', even kernel", x: [1, 2, 4, 3], w: [2, 2, 2, 3], bias: true, options: { padding: 'same' } },
    { label: "'same', dilation 2", x: [1, 1, 5, 4], w: [2, 1, 3, 2], bias: true, options: { padding: 'same', dilation: 2 } },
    { label: "'valid', no bias", x: [2, 2, 4, 3], w: [2, 2, 3, 2], bias: false, options: { padding: 'valid' } },
  ];
  for (const c of gradCases) {
    it(`gradcheck of x, weight${c.bias ? ', bias' : ''} (float64): ${c.label}`, () => {
      const g = new Generator(5);
      const inputs = [randn64(c.x, g, true), randn64(c.w, g, true), ...(c.bias ? [randn64([c.w[0]], g, true)] : [])];
      const report = gradcheck((x, w, b) => conv2d(x, w, b ?? null, c.options), inputs);
      expect(report.ok).toBe(true);
      expect(report.inputs).toHaveLength(inputs.length);
    });
  }

  it('gradients match the transposed direct definition (float32 vs float64 reference)', () => {
    // dL/dx and dL/dw for L = Σ y·v computed from the naive definition by the chain rule on each term
    const g = new Generator(9);
    const x = randn64([2, 2, 6, 5], g);
    const w = randn64([3, 2, 3, 2], g);
    const options = { stride: [2, 1] as [number, number], padding: 1, dilation: [1, 2] as [number, number] };
    const ref = naiveConv(x, w, null, { stride: [2, 1], dilation: [1, 2], pads: [1, 1, 1, 1] });
    const v = randn64(ref.shape, g);
    const [N, C, H, W] = x.shape;
    const [O, , kh, kw] = w.shape;
    const [, , outH, outW] = ref.shape;
    const dx = new Float64Array(x.size);
    const dw = new Float64Array(w.size);
    for (let n = 0; n < N; n++) for (let o = 0; o < O; o++) for (let oh = 0; oh < outH; oh++) for (let ow = 0; ow < outW; ow++) {
      const vy = v.data[((n * O + o) * outH + oh) * outW + ow];
      for (let c = 0; c < C; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) {
        const ih = oh * 2 - 1 + i;
        const iw = ow - 1 + j * 2;
        if (ih < 0 || ih >= H || iw < 0 || iw >= W) continue;
        const xi = ((n * C + c) * H + ih) * W + iw;
        const wi = ((o * C + c) * kh + i) * kw + j;
        dx[xi] += vy * w.data[wi];
        dw[wi] += vy * x.data[xi];
      }
    }
    const x32 = x.to('float32').requiresGrad_();
    const w32 = w.to('float32').requiresGrad_();
    conv2d(x32, w32, null, options).backward(v.to('float32'));
    for (let i = 0; i < dx.length; i++) expect(x32.grad!.data[i]).toBeCloseTo(dx[i], 4);
    for (let i = 0; i < dw.length; i++) expect(w32.grad!.data[i]).toBeCloseTo(dw[i], 4);
  });

  it('the input- and weight-gradient ops pass gradcheck themselves (so second derivatives are right)', () => {
    const g = new Generator(13);
    const geometry = conv2dGeometry('conv2d', [1, 2, 5, 4], [2, 2, 2, 3], { stride: 2, padding: 1, dilation: [2, 1] });
    const dyShape = [1, 2, geometry.outH, geometry.outW];
    gradcheck((dy, w) => conv2dInputGrad(dy, w, { geometry }), [randn64(dyShape, g, true), randn64([2, 2, 2, 3], g, true)]);
    gradcheck((x, dy) => conv2dWeightGrad(x, dy, { geometry }), [randn64([1, 2, 5, 4], g, true), randn64(dyShape, g, true)]);
  });

  it('createGraph: the gradient of ⟨c, dL/dx⟩ w.r.t. the weight passes gradcheck', () => {
    const g = new Generator(17);
    const x = randn64([1, 2, 4, 5], g);
    const c = randn64([1, 2, 4, 5], g);
    const w = randn64([2, 2, 2, 2], g, true);
    // L = Σ conv(x, w)²: dL/dx is linear in conv(x, w) and in w, so ⟨c, dL/dx⟩ is quadratic in w
    const fn = (wt: Tensor) => enableGrad(() => {
      const xt = new Tensor(x.data, x.shape, { requiresGrad: true });
      conv2d(xt, wt, null, { padding: 1, stride: [1, 2] }).square().sum().backward(undefined, { createGraph: true });
      return xt.grad!.mul(c).sum();
    });
    expect(gradcheck(fn, [w]).ok).toBe(true);
  });
});

describe('conv2d errors', () => {
  const x = zeros([1, 3, 8, 8]);
  const w = zeros([4, 3, 3, 3]);

  it('channel mismatch names conv2d and both shapes', () => {
    const e = thrown(() => conv2d(x, zeros([4, 2, 3, 3])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/conv2d/);
    expect(e.message).toContain('[1,3,8,8]');
    expect(e.message).toContain('[4,2,3,3]');
  });

  it('a kernel larger than the padded input', () => {
    const e = thrown(() => conv2d(zeros([1, 3, 4, 4]), zeros([1, 3, 5, 5])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/conv2d.*larger than the padded input 4×4/);
    // padding makes it fit: 4 + 2 − 5 + 1 = 2
    expect(conv2d(zeros([1, 3, 4, 4]), zeros([1, 3, 5, 5]), null, { padding: 1 }).shape).toEqual([1, 1, 2, 2]);
    // dilation makes a 3×3 kernel span 5×5
    expect(() => conv2d(zeros([1, 3, 4, 4]), zeros([1, 3, 3, 3]), null, { dilation: 2 })).toThrow(/spanning 5×5 with dilation 2×2/);
  });

  it('non-positive or non-integer stride and dilation, negative padding', () => {
    for (const options of [{ stride: 0 }, { stride: -1 }, { stride: 1.5 }, { stride: [1, 0] as [number, number] }, { dilation: 0 }, { padding: -1 }, { padding: [1, 2, 3] as unknown as number }]) {
      const e = thrown(() => conv2d(x, w, null, options));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(/^conv2d: (stride|dilation|padding) must be/);
    }
  });

  it("'same' with a stride, and an unknown padding string", () => {
    expect(() => conv2d(x, w, null, { stride: 2, padding: 'same' })).toThrow(/conv2d: padding 'same' needs stride 1/);
    expect(() => conv2d(x, w, null, { padding: 'full' as 'same' })).toThrow(RangeError);
  });

  it('bad shapes: input, weight and bias', () => {
    expect(() => conv2d(zeros([3, 8]), w)).toThrow(/conv2d: input must be 4-D.*\[3,8\]/);
    expect(() => conv2d(x, zeros([4, 3, 3]))).toThrow(/conv2d: weight must be 4-D.*\[4,3,3\]/);
    expect(() => conv2d(x, w, zeros([3]))).toThrow(/conv2d: bias \[3\] does not fit weight \[4,3,3,3\]/);
    expect(() => conv2d(x, zeros([0, 3, 3, 3]))).toThrow(ShapeError);
    // a 3-D input's error shows the shape as given
    expect(() => conv2d(zeros([2, 8, 8]), w)).toThrow(/input \[2,8,8\] has 2 channels/);
    expect(() => conv2d(x, w, zeros([4]), { padding: 1 })).not.toThrow();
  });

  it('mixed dtypes and non-tensor arguments', () => {
    expect(() => conv2d(x, zeros([4, 3, 3, 3], { dtype: 'float64' }))).toThrow(TypeError);
    expect(() => conv2d([[1]] as unknown as Tensor, w)).toThrow(/conv2d: expected/);
  });

  it('NaN and Infinity in stride, dilation or padding are reported as such, not as null', () => {
    const cases = [
      [{ stride: NaN }, /^conv2d: stride must be .*, got NaN$/],
      [{ dilation: [1, Infinity] as [number, number] }, /^conv2d: dilation must be .*, got \[1, Infinity\]$/],
      [{ padding: [NaN, 0] as [number, number] }, /^conv2d: padding must be .*, got \[NaN, 0\]$/],
    ] as const;
    for (const [options, message] of cases) {
      const e = thrown(() => conv2d(x, w, null, options));
      expect(e).toBeInstanceOf(RangeError);
      expect(e.message).toMatch(message);
    }
  });

  it('an unknown option is a TypeError naming conv2d and the key, listing the allowed ones', () => {
    const e = thrown(() => conv2d(x, w, null, { strides: 2 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("conv2d: unknown option 'strides' (expected stride, padding, dilation)");
    expect(() => conv2d(x, w, null, { padding_mode: 'zeros' } as never)).toThrow(/^conv2d: unknown option 'padding_mode'/);
  });

  it('groups is refused as not supported (naming it and the value); groups: 1, a dense convolution, is accepted', () => {
    const e = thrown(() => conv2d(zeros([1, 2, 5, 5]), zeros([2, 1, 3, 3]), null, { groups: 2 } as never));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/^conv2d: option 'groups' is not supported by tapegrad, got 2/);
    // the by-hand case of 'a 2×2 kernel on a 3×3 image': every output is x[i][j] − x[i+1][j+1] = −4
    const xs = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    expect(conv2d(xs, tensor([[[[1, 0], [0, -1]]]]), null, { groups: 1 } as never).toArray()).toEqual([[[[-4, -4], [-4, -4]]]]);
  });
});
