/**
 * The im2col convolution kernels against direct plain-loop convolutions. Inputs are small integers, so every product
 * and sum is exact in float32 and float64 alike and the kernels must match the reference exactly, whatever order
 * they add in. The geometries cover the kernels' code paths: one image per product (outH·outW ≥ 128) and images
 * grouped into one product (small maps, with a last group that is not full), stride, dilation, padding wider than a
 * whole row of taps, and uneven 'same' padding.
 */
import { describe, expect, it } from 'vitest';
import { Generator } from '../../src/index.js';
import {
  type ConvGeometry, col2imKernel, conv2dForwardKernel, conv2dInputGradKernel, conv2dWeightGradKernel, im2colKernel,
} from '../../src/kernels/conv.js';

type Arr = Float32Array | Float64Array;

interface Case {
  label: string;
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  stride?: [number, number];
  dilation?: [number, number];
  /** [top, left, bottom, right] */
  pad?: [number, number, number, number];
}

function geometryOf(t: Case): ConvGeometry {
  const [sh, sw] = t.stride ?? [1, 1];
  const [dh, dw] = t.dilation ?? [1, 1];
  const [pt, pl, pb, pr] = t.pad ?? [0, 0, 0, 0];
  // the output size formula, written out here independently of ops/conv.ts
  const outH = Math.floor((t.h + pt + pb - dh * (t.kh - 1) - 1) / sh) + 1;
  const outW = Math.floor((t.w + pl + pr - dw * (t.kw - 1) - 1) / sw) + 1;
  return {
    channels: t.c, height: t.h, width: t.w, kernelH: t.kh, kernelW: t.kw, strideH: sh, strideW: sw,
    padTop: pt, padLeft: pl, dilationH: dh, dilationW: dw, outH, outW,
  };
}

/** Integers in [-3, 3], seeded. */
function ints(size: number, seed: number, Type: typeof Float32Array | typeof Float64Array): Arr {
  const g = new Generator(seed);
  const a = new Type(size);
  for (let i = 0; i < size; i++) a[i] = Math.floor(g.random() * 7) - 3;
  return a;
}

/** x[n, c, ih, iw], or 0 outside the image (the padding). */
function at(x: ArrayLike<number>, t: Case, n: number, c: number, ih: number, iw: number): number {
  if (ih < 0 || ih >= t.h || iw < 0 || iw >= t.w) return 0;
  return x[((n * t.c + c) * t.h + ih) * t.w + iw];
}

/** Direct convolution: y[n, o, oh, ow] = Σ_{c,i,j} w[o, c, i, j]·x[n, c, oh·sh − pt + i·dh, ow·sw − pl + j·dw] + b[o]. */
function refForward(x: Arr, wt: Arr, bias: Arr | null, t: Case, g: ConvGeometry): number[] {
  const y: number[] = [];
  for (let n = 0; n < t.n; n++) {
    for (let o = 0; o < t.o; o++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++) {
          let s = bias === null ? 0 : bias[o];
          for (let c = 0; c < t.c; c++) {
            for (let i = 0; i < t.kh; i++) {
              for (let j = 0; j < t.kw; j++) {
                const xv = at(x, t, n, c, oh * g.strideH - g.padTop + i * g.dilationH, ow * g.strideW - g.padLeft + j * g.dilationW);
                s += wt[((o * t.c + c) * t.kh + i) * t.kw + j] * xv;
              }
            }
          }
          y.push(s);
        }
      }
    }
  }
  return y;
}

/** The adjoints of the direct convolution, by the same loops: dx[tap] += w·dy and dw[o, c, i, j] += x[tap]·dy. */
function refBackward(x: Arr, wt: Arr, dy: Arr, t: Case, g: ConvGeometry): { dx: number[]; dw: number[] } {
  const dx = new Array<number>(t.n * t.c * t.h * t.w).fill(0);
  const dw = new Array<number>(t.o * t.c * t.kh * t.kw).fill(0);
  let k = 0;
  for (let n = 0; n < t.n; n++) {
    for (let o = 0; o < t.o; o++) {
      for (let oh = 0; oh < g.outH; oh++) {
        for (let ow = 0; ow < g.outW; ow++, k++) {
          for (let c = 0; c < t.c; c++) {
            for (let i = 0; i < t.kh; i++) {
              for (let j = 0; j < t.kw; j++) {
                const ih = oh * g.strideH - g.padTop + i * g.dilationH;
                const iw = ow * g.strideW - g.padLeft + j * g.dilationW;
                if (ih < 0 || ih >= t.h || iw < 0 || iw >= t.w) continue;
                const xi = ((n * t.c + c) * t.h + ih) * t.w + iw;
                const wi = ((o * t.c + c) * t.kh + i) * t.kw + j;
                dx[xi] += wt[wi] * dy[k];
                dw[wi] += x[xi] * dy[k];
              }
            }
          }
        }
      }
    }
  }
  return { dx, dw };
}

const CASES: Case[] = [
  // one image per product: outH·outW = 12·12 = 144 columns
  { label: 'LeNet conv2-like, 16×16 → 12×12, batch 3', n: 3, c: 2, h: 16, w: 16, o: 3, kh: 5, kw: 5 },
  { label: 'padding 1 (W4-like), batch 2', n: 2, c: 3, h: 12, w: 12, o: 4, kh: 3, kw: 3, pad: [1, 1, 1, 1] },
  // grouped: 6×6 = 36 columns per image, 4 images per group, batch 7 → groups of 4 and 3
  { label: 'grouped images, last group partial', n: 7, c: 2, h: 8, w: 8, o: 5, kh: 3, kw: 3 },
  // grouped: 1×1 output, all images in one product
  { label: 'one output pixel per image', n: 5, c: 3, h: 3, w: 3, o: 2, kh: 3, kw: 3 },
  { label: 'stride 2, rectangular kernel and image', n: 2, c: 2, h: 9, w: 7, o: 3, kh: 3, kw: 2, stride: [2, 2] },
  { label: 'stride [1, 3], dilation [2, 1], padding 2', n: 2, c: 1, h: 7, w: 10, o: 2, kh: 2, kw: 3, stride: [1, 3], dilation: [2, 1], pad: [2, 2, 2, 2] },
  // padding wider than the dilated kernel's reach: whole rows and columns of taps fall in the padding
  { label: 'padding 3 with a 2×2 kernel', n: 2, c: 2, h: 3, w: 4, o: 2, kh: 2, kw: 2, pad: [3, 3, 3, 3] },
  // 'same' with an even kernel pads one more at the bottom/right than at the top/left
  { label: "uneven 'same' padding (4×4 kernel)", n: 2, c: 2, h: 6, w: 5, o: 3, kh: 4, kw: 4, pad: [1, 1, 2, 2] },
  { label: 'batch 1, 1×1 kernel', n: 1, c: 4, h: 5, w: 6, o: 3, kh: 1, kw: 1 },
  { label: 'stride [2, 1] without padding', n: 2, c: 2, h: 9, w: 6, o: 2, kh: 3, kw: 2, stride: [2, 1] },
  // padding at the top only: some kernel rows reach it (general loop), the others stay inside (tight copy)
  { label: 'padding [1, 0, 0, 0]', n: 2, c: 2, h: 6, w: 7, o: 2, kh: 3, kw: 3, pad: [1, 0, 0, 0] },
  // output as wide as the input at stride 1 (the shifted-copy path of im2col), with dilation
  { label: "'same' padding with dilation 2", n: 2, c: 2, h: 6, w: 7, o: 2, kh: 3, kw: 3, dilation: [2, 2], pad: [2, 2, 2, 2] },
  // the same path where some taps see only padding: whole rows (top 3) and whole columns (left 4)
  { label: 'one-sided padding [3, 4, 0, 0], a 4×5 kernel on a 4×2 image', n: 2, c: 2, h: 4, w: 2, o: 2, kh: 4, kw: 5, pad: [3, 4, 0, 0] },
];

describe('conv2d kernels match direct convolution loops', () => {
  for (const Type of [Float32Array, Float64Array]) {
    for (const [ci, t] of CASES.entries()) {
      it(`${Type.name}: ${t.label}`, () => {
        const g = geometryOf(t);
        const P = g.outH * g.outW;
        const x = ints(t.n * t.c * t.h * t.w, 100 + ci, Type);
        const wt = ints(t.o * t.c * t.kh * t.kw, 200 + ci, Type);
        const bias = ints(t.o, 300 + ci, Type);
        const dy = ints(t.n * t.o * P, 400 + ci, Type);

        // outputs start as garbage (NaN): the kernels overwrite, never accumulate into them
        const y = new Type(t.n * t.o * P).fill(NaN);
        conv2dForwardKernel(x, wt, bias, y, t.n, t.o, g);
        expect(Array.from(y)).toEqual(refForward(x, wt, bias, t, g));

        const yNoBias = new Type(t.n * t.o * P).fill(NaN);
        conv2dForwardKernel(x, wt, null, yNoBias, t.n, t.o, g);
        expect(Array.from(yNoBias)).toEqual(refForward(x, wt, null, t, g));

        const ref = refBackward(x, wt, dy, t, g);
        const dx = new Type(x.length).fill(NaN);
        conv2dInputGradKernel(dy, wt, dx, t.n, t.o, g);
        expect(Array.from(dx)).toEqual(ref.dx);
        const dw = new Type(wt.length).fill(NaN);
        conv2dWeightGradKernel(x, dy, dw, t.n, t.o, g);
        expect(Array.from(dw)).toEqual(ref.dw);
      });
    }
  }

  it('scratch reuse: a small convolution after a large one is not disturbed by the stale buffers', () => {
    const big = CASES[1];
    const small = CASES[6];
    for (const t of [big, small, big, small]) {
      const g = geometryOf(t);
      const x = ints(t.n * t.c * t.h * t.w, 7, Float32Array);
      const wt = ints(t.o * t.c * t.kh * t.kw, 8, Float32Array);
      const dy = ints(t.n * t.o * g.outH * g.outW, 9, Float32Array);
      const y = new Float32Array(t.n * t.o * g.outH * g.outW);
      conv2dForwardKernel(x, wt, null, y, t.n, t.o, g);
      expect(Array.from(y)).toEqual(refForward(x, wt, null, t, g));
      const dw = new Float32Array(wt.length);
      conv2dWeightGradKernel(x, dy, dw, t.n, t.o, g);
      expect(Array.from(dw)).toEqual(refBackward(x, wt, dy, t, g).dw);
    }
  });

  it('an empty batch gives a zero weight gradient and touches no output', () => {
    const t = CASES[0];
    const g = geometryOf(t);
    const dw = new Float32Array(t.o * t.c * t.kh * t.kw).fill(NaN);
    conv2dWeightGradKernel(new Float32Array(0), new Float32Array(0), dw, 0, t.o, g);
    expect(Array.from(dw)).toEqual(new Array(dw.length).fill(0));
  });
});

describe.each([
  { label: 'stride [2, 1], dilation [1, 2]', n: 1, c: 2, h: 5, w: 4, o: 1, kh: 3, kw: 2, stride: [2, 1], dilation: [1, 2], pad: [1, 2, 1, 2] },
  { label: "'same' 3×3 at stride 1 (shifted copy)", n: 1, c: 2, h: 5, w: 4, o: 1, kh: 3, kw: 3, pad: [1, 1, 1, 1] },
] as Case[])('im2col / col2im, $label', (t) => {
  const g = geometryOf(t);
  const K = t.c * t.kh * t.kw;
  const P = g.outH * g.outW;

  it('writes row (c, i, j), column (oh, ow) = the tap x[c, oh·sh − pt + i·dh, ow·sw − pl + j·dw] (0 in the padding)', () => {
    const x = ints(t.c * t.h * t.w, 1, Float64Array);
    // an image at an offset, into a matrix with a wider row stride and an offset, as grouped products use it
    const xOff = 3;
    const xBuf = new Float64Array(xOff + x.length).fill(NaN);
    xBuf.set(x, xOff);
    const ld = P + 5;
    const colsOff = 2;
    const cols = new Float64Array(colsOff + K * ld).fill(NaN);
    im2colKernel(xBuf, xOff, g, cols, colsOff, ld);
    let row = 0;
    for (let c = 0; c < t.c; c++) {
      for (let i = 0; i < t.kh; i++) {
        for (let j = 0; j < t.kw; j++, row++) {
          for (let oh = 0; oh < g.outH; oh++) {
            for (let ow = 0; ow < g.outW; ow++) {
              const expected = at(x, t, 0, c, oh * g.strideH - g.padTop + i * g.dilationH, ow * g.strideW - g.padLeft + j * g.dilationW);
              expect(cols[colsOff + row * ld + oh * g.outW + ow]).toBe(expected);
            }
          }
          // the gap between rows is not written
          for (let e = P; e < ld && row < K - 1; e++) expect(cols[colsOff + row * ld + e]).toBeNaN();
        }
      }
    }
  });

  it('col2im is the adjoint of im2col: ⟨im2col(x), C⟩ = ⟨x, col2im(C)⟩, and it adds into dx', () => {
    const x = ints(t.c * t.h * t.w, 2, Float64Array);
    const cols = new Float64Array(K * P);
    im2colKernel(x, 0, g, cols);
    const C = ints(K * P, 3, Float64Array);
    let lhs = 0;
    for (let e = 0; e < K * P; e++) lhs += cols[e] * C[e];
    const base = ints(x.length, 4, Float64Array);
    const dx = Float64Array.from(base);
    col2imKernel(C, g, dx, 0);
    let rhs = 0;
    for (let e = 0; e < x.length; e++) rhs += x[e] * (dx[e] - base[e]);
    expect(rhs).toBe(lhs);
  });
});
