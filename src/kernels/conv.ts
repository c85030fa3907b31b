/**
 * 2-D convolution (NCHW) as im2col + matrix product, the way Caffe and PyTorch's CPU path do it.
 *
 * For one image, im2col unrolls every receptive field into a column: `cols` is a [C·kh·kw, outH·outW] matrix whose
 * row (c, i, j) holds, for each output position (oh, ow), the input value x[c, oh·sh − padTop + i·dh,
 * ow·sw − padLeft + j·dw] (0 where that falls in the padding). With the weight viewed as a [O, C·kh·kw] matrix W,
 * the convolution is then one product, Y = W·cols ([O, outH·outW], already NCHW for that image).
 *
 * The backward is two more products with the transpose flags of matmulKernel (so nothing is transposed by copy):
 *   dW += dY·colsᵀ     (summed over the batch)
 *   dcols = Wᵀ·dY      then col2im scatters each column entry back (+=) to the input pixel it was read from; an
 *                      input pixel covered by several receptive fields collects all their contributions.
 * The bias gradient is a plain sum of dY and lives in the op (a sum over dims 0, 2, 3).
 *
 * Blocking: the product's column count is outH·outW per image, which gets small late in a network (16 for a 4×4
 * map) and then makes a thin product whose fixed costs (packing W, edge tiles, the call) dominate. So images are
 * taken in groups of G, with G·outH·outW ≈ GROUP_COLUMNS: im2col writes image g of a group into columns
 * g·P ... g·P + P − 1 of one [K, G·P] matrix, the product runs once per group, and the [O, G·P] result is scattered
 * to NCHW (adding the bias in the same pass); the backward permutes dY of a group to [O, G·P] the same way.
 * Measured with the register-blocked matmulKernel (batch 32): grouping makes a 4×4 map's step ~15% and a 2×2 map's
 * ~35% faster, is neutral around 6×6 to 8×8, and wider groups than 128 columns only add copying; so images with
 * P ≥ GROUP_COLUMNS go one at a time (G = 1), with neither the scatter nor the permutation. The group is also capped
 * so its column matrix stays at a few MB.
 *
 * im2col itself is a copy, and its cost is per loop more than per element, so each im2col row takes the cheapest
 * form its geometry allows: at stride 1 with the output as wide as the input (padding 'same', as in a 3×3 / pad 1
 * layer) output position q reads input position q + constant, and the whole row is one memcpy plus a few zeroed
 * border columns (on W4, 3×3 filters over 32×16×32×32, this cut the forward by ~12%: im2col is now under 1% of it);
 * a row whose taps never reach the padding is a plain copy per output row; only rows that reach the padding test
 * each output row.
 *
 * Scratch: the column matrix and the group buffers live in a small pool of typed arrays per dtype that grows to the
 * largest size asked for and is reused by every later call (nothing is allocated per call or per image once the
 * shapes have been seen); arrays over MAX_POOLED elements are allocated per call instead of being kept alive.
 * The kernels that take slots never call one another, so a slot never has two live users.
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

/** Target column count of one grouped product (see the blocking note above). */
const GROUP_COLUMNS = 128;
/** Cap on a group's column matrix, in elements (4 MB of float32). */
const MAX_GROUP_ELEMENTS = 1 << 20;
/** Scratch arrays larger than this (in elements) are not kept between calls. */
const MAX_POOLED = 1 << 22;

const pool32: Float32Array[] = [];
const pool64: Float64Array[] = [];

/**
 * Scratch array number `slot` of at least `size` elements, of the element type of `like`. Its contents are
 * whatever the last user left: every kernel here writes a region before reading it.
 */
function scratch(like: TypedArray, slot: number, size: number): TypedArray {
  const is64 = like instanceof Float64Array;
  if (size > MAX_POOLED) return is64 ? new Float64Array(size) : new Float32Array(size);
  const pool: TypedArray[] = is64 ? pool64 : pool32;
  const have = pool[slot];
  if (have !== undefined && have.length >= size) return have;
  const made = is64 ? new Float64Array(size) : new Float32Array(size);
  pool[slot] = made;
  return made;
}

/** How many images one product covers (see the blocking note above). */
function groupSize(batch: number, k: number, p: number): number {
  if (p >= GROUP_COLUMNS || batch <= 1) return 1;
  const byColumns = Math.ceil(GROUP_COLUMNS / p);
  const byMemory = Math.max(1, Math.floor(MAX_GROUP_ELEMENTS / (k * p)));
  return Math.max(1, Math.min(batch, byColumns, byMemory));
}

/** The first output column whose tap at offset `off` (= j·dilation − pad) is ≥ 0: ow·stride + off ≥ 0. */
function firstInside(off: number, stride: number, out: number): number {
  return off >= 0 ? 0 : Math.min(Math.ceil(-off / stride), out);
}

/** One past the last output column whose tap at offset `off` is < extent (and ≥ `lo`): ow·stride + off ≤ extent − 1. */
function endInside(off: number, stride: number, extent: number, out: number, lo: number): number {
  const hi = extent - 1 - off < 0 ? 0 : Math.min(Math.floor((extent - 1 - off) / stride) + 1, out);
  return Math.max(hi, lo);
}

/**
 * Unrolls image `x[xOff ...]` (C×H×W) into `cols`: row r = (c, i, j) of the [C·kh·kw, outH·outW] matrix goes to
 * cols[colsOff + r·ld ...] (ld ≥ outH·outW lets several images share one matrix), zeros where a tap lands in the
 * padding.
 */
export function im2colKernel(x: TypedArray, xOff: number, g: ConvGeometry, cols: TypedArray, colsOff = 0, ld = g.outH * g.outW): void {
  const { channels, height: H, width: W, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = xOff + c * H * W;
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++, row++) {
        const base = colsOff + row * ld;
        const dw = j * dilationW - padLeft;
        // Columns outside [lo, hi) read the left/right padding; the same for every output row.
        const lo = firstInside(dw, strideW, outW);
        const hi = endInside(dw, strideW, W, outW, lo);
        const ihFirst = i * dilationH - padTop;
        if (strideH === 1 && strideW === 1 && outW === W) {
          im2colShiftedRow(x, plane, H, W, ihFirst, dw, lo, hi, outH, cols, base);
          continue;
        }
        if (strideW === 1 && lo === 0 && hi === outW && ihFirst >= 0 && (outH - 1) * strideH + ihFirst < H) {
          // every tap of this row is inside the image (no padding reached): one tight copy per output row
          let src = plane + ihFirst * W + dw;
          const step = strideH * W;
          for (let o = base, end = base + outH * outW; o < end; o += outW, src += step) {
            for (let ow = 0; ow < outW; ow++) cols[o + ow] = x[src + ow];
          }
          continue;
        }
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + i * dilationH;
          const o = base + oh * outW;
          if (ih < 0 || ih >= H) {
            for (let ow = 0; ow < outW; ow++) cols[o + ow] = 0;
            continue;
          }
          for (let ow = 0; ow < lo; ow++) cols[o + ow] = 0;
          const src = plane + ih * W + dw;
          if (strideW === 1) {
            for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[src + ow];
          } else {
            for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[src + ow * strideW];
          }
          for (let ow = hi; ow < outW; ow++) cols[o + ow] = 0;
        }
      }
    }
  }
}

/**
 * One im2col row when stride is 1 and the output is as wide as the input (padding 'same'): then output position
 * q = oh·W + ow reads input position q + dh·W + dw of the plane, a constant shift, so the valid output rows are one
 * contiguous copy (a memcpy through TypedArray.set, instead of a loop per output row). The copy also carries, at
 * each row's ends, the few entries that wrapped around from the neighbouring input row; those columns ([0, lo) and
 * [hi, W) of every row) read padding and are zeroed after it, as are the output rows whose input row is outside.
 */
function im2colShiftedRow(
  x: TypedArray, plane: number, H: number, W: number, dh: number, dw: number, lo: number, hi: number, outH: number,
  cols: TypedArray, base: number,
): void {
  // output rows whose input row oh + dh lies in [0, H)
  const oh0 = Math.min(Math.max(-dh, 0), outH);
  const oh1 = Math.max(Math.min(H - dh, outH), oh0);
  if (oh1 === oh0 || hi === lo) {
    cols.fill(0, base, base + outH * W);
    return;
  }
  // from the first valid column of the first valid row to the last valid column of the last one
  const q0 = oh0 * W + lo;
  const q1 = (oh1 - 1) * W + hi;
  const src = plane + dh * W + dw;
  cols.fill(0, base, base + q0);
  cols.set(x.subarray(src + q0, src + q1), base + q0);
  cols.fill(0, base + q1, base + outH * W);
  if (lo > 0 || hi < W) {
    for (let oh = oh0; oh < oh1 - 1; oh++) {
      const o = base + oh * W;
      for (let ow = hi; ow < W; ow++) cols[o + ow] = 0;
      for (let ow = 0; ow < lo; ow++) cols[o + W + ow] = 0;
    }
  }
}

/**
 * The adjoint of im2col: adds each entry of `cols` (laid out as im2colKernel writes it, at colsOff with row
 * stride ld) into the pixel of `dx[dxOff ...]` it was read from; entries that were padding are dropped.
 */
export function col2imKernel(cols: TypedArray, g: ConvGeometry, dx: TypedArray, dxOff: number, colsOff = 0, ld = g.outH * g.outW): void {
  const { channels, height: H, width: W, kernelH, kernelW, strideH, strideW, padTop, padLeft, dilationH, dilationW, outH, outW } = g;
  let row = 0;
  for (let c = 0; c < channels; c++) {
    const plane = dxOff + c * H * W;
    for (let i = 0; i < kernelH; i++) {
      for (let j = 0; j < kernelW; j++, row++) {
        const base = colsOff + row * ld;
        const dw = j * dilationW - padLeft;
        const lo = firstInside(dw, strideW, outW);
        const hi = endInside(dw, strideW, W, outW, lo);
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * strideH - padTop + i * dilationH;
          if (ih < 0 || ih >= H) continue;
          const o = base + oh * outW;
          const dst = plane + ih * W + dw;
          if (strideW === 1) {
            for (let ow = lo; ow < hi; ow++) dx[dst + ow] += cols[o + ow];
          } else {
            for (let ow = lo; ow < hi; ow++) dx[dst + ow * strideW] += cols[o + ow];
          }
        }
      }
    }
  }
}

/**
 * Copies dY of images n0 ... n0 + count − 1 (each [O, P], consecutive) into `out` as one [O, count·P] matrix:
 * out[o, g·P + p] = dy[n0 + g, o, p].
 */
function gatherGroup(dy: TypedArray, n0: number, count: number, outChannels: number, p: number, out: TypedArray): void {
  const ld = count * p;
  for (let gi = 0; gi < count; gi++) {
    let src = (n0 + gi) * outChannels * p;
    for (let o = 0; o < outChannels; o++, src += p) {
      const dst = o * ld + gi * p;
      for (let q = 0; q < p; q++) out[dst + q] = dy[src + q];
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
  const G = groupSize(batch, K, P);
  const cols = scratch(x, 0, K * G * P);
  if (G === 1) {
    for (let n = 0; n < batch; n++) {
      im2colKernel(x, n * imageSize, g, cols, 0, P);
      const yOff = n * outChannels * P;
      matmulKernel(w, 0, cols, 0, y, yOff, outChannels, K, P, false, false);
      if (bias !== null) {
        for (let o = 0; o < outChannels; o++) {
          const b = bias[o];
          const start = yOff + o * P;
          for (let q = start; q < start + P; q++) y[q] += b;
        }
      }
    }
    return;
  }
  const tmp = scratch(x, 1, outChannels * G * P);
  for (let n0 = 0; n0 < batch; n0 += G) {
    const count = Math.min(G, batch - n0);
    const ld = count * P;
    for (let gi = 0; gi < count; gi++) im2colKernel(x, (n0 + gi) * imageSize, g, cols, gi * P, ld);
    matmulKernel(w, 0, cols, 0, tmp, 0, outChannels, K, ld, false, false);
    // tmp is [O, count, P]; y wants [count, O, P]
    for (let gi = 0; gi < count; gi++) {
      let dst = (n0 + gi) * outChannels * P;
      for (let o = 0; o < outChannels; o++, dst += P) {
        const src = o * ld + gi * P;
        if (bias === null) {
          for (let q = 0; q < P; q++) y[dst + q] = tmp[src + q];
        } else {
          const b = bias[o];
          for (let q = 0; q < P; q++) y[dst + q] = tmp[src + q] + b;
        }
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
  const G = groupSize(batch, K, P);
  const dcols = scratch(dy, 0, K * G * P);
  dx.fill(0);
  if (G === 1) {
    for (let n = 0; n < batch; n++) {
      // W is stored [O, K]; transA reads it as Wᵀ ([K, O]) in place
      matmulKernel(w, 0, dy, n * outChannels * P, dcols, 0, K, outChannels, P, true, false);
      col2imKernel(dcols, g, dx, n * imageSize, 0, P);
    }
    return;
  }
  const dyGroup = scratch(dy, 1, outChannels * G * P);
  for (let n0 = 0; n0 < batch; n0 += G) {
    const count = Math.min(G, batch - n0);
    const ld = count * P;
    gatherGroup(dy, n0, count, outChannels, P, dyGroup);
    matmulKernel(w, 0, dyGroup, 0, dcols, 0, K, outChannels, ld, true, false);
    for (let gi = 0; gi < count; gi++) col2imKernel(dcols, g, dx, (n0 + gi) * imageSize, gi * P, ld);
  }
}

/** dw ([O, C, kh, kw]) = the weight gradient of a convolution: Σ over images of dY·colsᵀ. `dw` is overwritten. */
export function conv2dWeightGradKernel(
  x: TypedArray, dy: TypedArray, dw: TypedArray, batch: number, outChannels: number, g: ConvGeometry,
): void {
  const K = g.channels * g.kernelH * g.kernelW;
  const P = g.outH * g.outW;
  const imageSize = g.channels * g.height * g.width;
  const G = groupSize(batch, K, P);
  const cols = scratch(x, 0, K * G * P);
  const dyGroup = G === 1 ? null : scratch(dy, 1, outChannels * G * P);
  for (let n0 = 0; n0 < batch; n0 += G) {
    const count = Math.min(G, batch - n0);
    const ld = count * P;
    for (let gi = 0; gi < count; gi++) im2colKernel(x, (n0 + gi) * imageSize, g, cols, gi * P, ld);
    // cols is stored [K, ld]; transB reads it as colsᵀ ([ld, K]) in place. The first group assigns dw, the others
    // accumulate into it.
    const accumulate = n0 > 0;
    if (dyGroup === null) {
      matmulKernel(dy, n0 * outChannels * P, cols, 0, dw, 0, outChannels, ld, K, false, true, accumulate);
    } else {
      gatherGroup(dy, n0, count, outChannels, P, dyGroup);
      matmulKernel(dyGroup, 0, cols, 0, dw, 0, outChannels, ld, K, false, true, accumulate);
    }
  }
  if (batch === 0) dw.fill(0);
}
