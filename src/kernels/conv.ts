/**
 * 2-D convolution (NCHW) as im2col + matrix product, the way Caffe and PyTorch's CPU path do it.
 *
 * For one image, im2col unrolls every receptive field into a column: `cols` is a [C·kh·kw, outH·outW] matrix whose
 * row (c, i, j) holds, for each output position (oh, ow), the input value x[c, oh·sh − padTop + i·dh,
 * ow·sw − padLeft + j·dw] (0 where that falls in the padding). With the weight viewed as a [O, C·kh·kw] matrix W,
 * the convolution is then one product, Y = W·cols ([O, outH·outW], already NCHW for that image).
 *
 * The backward is two more products with the transpose flags of matmulKernel (so nothing is transposed by copy):
 *   dW += dY·colsᵀ     (per image, summed over the batch)
 *   dcols = Wᵀ·dY      then col2im scatters each column entry back (+=) to the input pixel it was read from; an
 *                      input pixel covered by several receptive fields collects all their contributions.
 * The bias gradient is a plain sum of dY and lives in the op (a sum over dims 0, 2, 3).
 *
 * Scratch: one `cols` buffer of C·kh·kw·outH·outW elements per call (plus an [O, C·kh·kw] buffer for dW), reused
 * across the images of the batch. This is the simple version; a later pass may tile it to bound memory.
 */
import type { TypedArray } from '../dtype.js';
import { matmulKernel } from './matmul.js';

/** Sizes and hyperparameters of one convolution (padBottom/padRight are implied by outH/outW). */
export interface ConvGeometry {
  /** Input channels, height and width. */
  channels: number;
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/** A zeroed scratch array of the same element type as `like`. */
function scratch(like: TypedArray, size: number): TypedArray {
  return like instanceof Float64Array ? new Float64Array(size) : new Float32Array(size);
}

/** Unrolls image `x[xOff ...]` (C×H×W) into `cols` ([C·kh·kw, outH·outW]), zeros where a tap lands in padding. */
export function im2colKernel(x: TypedArray, xOff: number, g: ConvGeometry, cols: TypedArray): void {
  const { channels, height: H, width: W, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = g;
  const P = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * H * W;
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++, row++) {
        const base = row * P;
        const dw = j * dilationW - padLeft;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + i * dilationH;
          const o = base + oh * outW;
          if (ih < 0 || ih >= H) {
            cols.fill(0, o, o + outW);
            continue;
          }
          const src = plane + ih * W;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * strideW + dw;
            cols[o + ow] = iw >= 0 && iw < W ? x[src + iw] : 0;
          }
        }
      }
    }
  }
}

/** The adjoint of im2col: adds each entry of `cols` into the pixel of `dx[dxOff ...]` it was read from. */
export function col2imKernel(cols: TypedArray, g: ConvGeometry, dx: TypedArray, dxOff: number): void {
  const { channels, height: H, width: W, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = g;
  const P = outH * outW;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = dxOff + c * H * W;
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++, row++) {
        const base = row * P;
        const dw = j * dilationW - padLeft;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + i * dilationH;
          if (ih < 0 || ih >= H) continue;
          const o = base + oh * outW;
          const dst = plane + ih * W;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * strideW + dw;
            if (iw >= 0 && iw < W) dx[dst + iw] += cols[o + ow];
          }
        }
      }
    }
  }
}

/**
 * y ([N, O, outH, outW]) = conv(x ([N, C, H, W]), w ([O, C, kh, kw])) + bias ([O], or null). `y` is overwritten.
 */
export function conv2dForwardKernel(
  x: TypedArray, w: TypedArray, bias: TypedArray | null, y: TypedArray, batch: number, outChannels: number, g: ConvGeometry,
): void {
  const K = g.channels * g.kernelH * g.kernelW;
  const P = g.outH * g.outW;
  const imageSize = g.channels * g.height * g.width;
  const cols = scratch(x, K * P);
  for (let n = 0; n < batch; n++) {
    im2colKernel(x, n * imageSize, g, cols);
    const yOff = n * outChannels * P;
    matmulKernel(w, 0, cols, 0, y, yOff, outChannels, K, P, false, false);
    if (bias !== null) {
      for (let o = 0; o < outChannels; o++) {
        const b = bias[o];
        const start = yOff + o * P;
        for (let p = start; p < start + P; p++) y[p] += b;
      }
    }
  }
}

/** dx ([N, C, H, W]) = the input gradient of a convolution: col2im(Wᵀ·dY) per image. `dx` is overwritten. */
export function conv2dInputGradKernel(
  dy: TypedArray, w: TypedArray, dx: TypedArray, batch: number, outChannels: number, g: ConvGeometry,
): void {
  const K = g.channels * g.kernelH * g.kernelW;
  const P = g.outH * g.outW;
  const imageSize = g.channels * g.height * g.width;
  const dcols = scratch(dy, K * P);
  dx.fill(0);
  for (let n = 0; n < batch; n++) {
    // W is stored [O, K]; transA reads it as Wᵀ ([K, O]) in place
    matmulKernel(w, 0, dy, n * outChannels * P, dcols, 0, K, outChannels, P, true, false);
    col2imKernel(dcols, g, dx, n * imageSize);
  }
}

/** dw ([O, C, kh, kw]) = the weight gradient of a convolution: Σ over images of dY·colsᵀ. `dw` is overwritten. */
export function conv2dWeightGradKernel(
  x: TypedArray, dy: TypedArray, dw: TypedArray, batch: number, outChannels: number, g: ConvGeometry,
): void {
  const K = g.channels * g.kernelH * g.kernelW;
  const P = g.outH * g.outW;
  const imageSize = g.channels * g.height * g.width;
  const cols = scratch(x, K * P);
  const part = scratch(x, outChannels * K);
  dw.fill(0);
  for (let n = 0; n < batch; n++) {
    im2colKernel(x, n * imageSize, g, cols);
    // cols is stored [K, P]; transB reads it as colsᵀ ([P, K]) in place
    matmulKernel(dy, n * outChannels * P, cols, 0, part, 0, outChannels, P, K, false, true);
    for (let e = 0; e < part.length; e++) dw[e] += part[e];
  }
}
