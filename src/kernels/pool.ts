/**
 * 2-D pooling kernels over `planes` independent H×W planes (N·C of them for NCHW), with PyTorch's window rule:
 * output (oh, ow) covers rows oh·sh − padH ... oh·sh − padH + kh − 1 (and likewise columns), and taps that land
 * in the padding are skipped (max: as −∞; average: as 0, counted in the divisor or not).
 *
 * Max pooling saves the argmax of every window, so its backward is one scatter pass (dx[argmax] += dy) that reads
 * neither x nor y. The common 2×2 / stride 2 / no-padding window has its own unrolled, branch-free loop.
 */
import type { TypedArray } from '../dtype.js';

/** Sizes and hyperparameters of one pooling. */
export interface PoolGeometry {
  height: number;
  width: number;
  kernelH: number;
  kernelW: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  outH: number;
  outW: number;
}

/**
 * Max pooling: y[p, oh, ow] = the largest tap of the window, and argmax[p, oh, ow] its position h·W + w within the
 * plane. Taps are scanned row by row and only a strictly larger value (or a NaN, which propagates as in PyTorch)
 * replaces the current best, so the first maximum wins ties.
 */
export function maxPool2dKernel(x: TypedArray, planes: number, g: PoolGeometry, y: TypedArray, argmax: TypedArray): void {
  const { height: H, width: W, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  if (kernelH === 2 && kernelW === 2 && strideH === 2 && strideW === 2 && padH === 0 && padW === 0) {
    maxPool2x2Kernel(x, planes, H, W, outH, outW, y, argmax);
    return;
  }
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const h0 = Math.max(oh * strideH - padH, 0);
      const h1 = Math.min(oh * strideH - padH + kernelH, H);
      for (let ow = 0; ow < outW; ow++, o++) {
        const w0 = Math.max(ow * strideW - padW, 0);
        const w1 = Math.min(ow * strideW - padW + kernelW, W);
        let best = -Infinity;
        let at = h0 * W + w0;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const v = x[plane + h * W + w];
            if (v > best || v !== v) {
              best = v;
              at = h * W + w;
              if (v !== v) break;
            }
          }
          if (best !== best) break;
        }
        y[o] = best;
        argmax[o] = at;
      }
    }
  }
}

/**
 * maxPool2dKernel for 2×2 windows at stride 2 without padding, unrolled and without data-dependent branches. The
 * same rule: taps in row-major order, a strictly larger value or a NaN replaces the best, and once the best is NaN
 * nothing replaces it (the first NaN wins).
 *
 * NOTE: on activations `v > best` is a coin flip, and as a branch it mispredicts every other tap (measured 2.4×
 * slower). Here each comparison becomes a 0/1 number m, the winner's index moves by m·(tap − at) (integer
 * arithmetic, exact) and the best value is re-read from that index, so there is nothing to predict.
 */
function maxPool2x2Kernel(x: TypedArray, planes: number, H: number, W: number, outH: number, outW: number, y: TypedArray, argmax: TypedArray): void {
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const r0 = plane + 2 * oh * W;
      for (let ow = 0; ow < outW; ow++, o++) {
        const a = r0 + 2 * ow;
        let at = a;
        let best = x[a];
        let v = x[a + 1];
        at += (+(v > best) | +(v !== v)) & +(best === best);
        best = x[at];
        v = x[a + W];
        at += ((+(v > best) | +(v !== v)) & +(best === best)) * (a + W - at);
        best = x[at];
        v = x[a + W + 1];
        at += ((+(v > best) | +(v !== v)) & +(best === best)) * (a + W + 1 - at);
        y[o] = x[at];
        argmax[o] = at - plane;
      }
    }
  }
}

/**
 * The backward of max pooling: dx[p, argmax[p, o]] += dy[p, o] over the `planes` planes of `outSize` outputs,
 * each window's gradient going to the tap that won it. `dx` (planes × planeSize) is overwritten.
 */
export function maxPool2dBackwardKernel(
  dy: TypedArray, argmax: TypedArray, planes: number, outSize: number, planeSize: number, dx: TypedArray,
): void {
  dx.fill(0);
  for (let p = 0, o = 0; p < planes; p++) {
    const plane = p * planeSize;
    for (let q = 0; q < outSize; q++, o++) dx[plane + argmax[o]] += dy[o];
  }
}

/** The divisor of average pooling at one window, PyTorch's rule (the padded part counts only with countIncludePad). */
function divisor(start: number, size: number, extent: number, pad: number, countIncludePad: boolean): number {
  const end = Math.min(start + size, extent + pad);
  return countIncludePad ? end - start : Math.min(end, extent) - Math.max(start, 0);
}

/** Average pooling: y[p, oh, ow] = the sum of the window's taps / its divisor. `y` is overwritten. */
export function avgPool2dKernel(x: TypedArray, planes: number, g: PoolGeometry, countIncludePad: boolean, y: TypedArray): void {
  const { height: H, width: W, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * strideH - padH;
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(hs + kernelH, H);
      const dh = divisor(hs, kernelH, H, padH, countIncludePad);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * strideW - padW;
        const w0 = Math.max(ws, 0);
        const w1 = Math.min(ws + kernelW, W);
        let s = 0;
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) s += x[plane + h * W + w];
        y[o] = s / (dh * divisor(ws, kernelW, W, padW, countIncludePad));
      }
    }
  }
}

/**
 * The adjoint of average pooling: each dy[p, oh, ow] / divisor is added to every tap of its window. `dx` is
 * overwritten.
 */
export function avgPool2dBackwardKernel(dy: TypedArray, planes: number, g: PoolGeometry, countIncludePad: boolean, dx: TypedArray): void {
  const { height: H, width: W, kernelH, kernelW, strideH, strideW, padH, padW, outH, outW } = g;
  dx.fill(0);
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * H * W;
    for (let oh = 0; oh < outH; oh++) {
      const hs = oh * strideH - padH;
      const h0 = Math.max(hs, 0);
      const h1 = Math.min(hs + kernelH, H);
      const dh = divisor(hs, kernelH, H, padH, countIncludePad);
      for (let ow = 0; ow < outW; ow++, o++) {
        const ws = ow * strideW - padW;
        const w0 = Math.max(ws, 0);
        const w1 = Math.min(ws + kernelW, W);
        const share = dy[o] / (dh * divisor(ws, kernelW, W, padW, countIncludePad));
        for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) dx[plane + h * W + w] += share;
      }
    }
  }
}
