/**
 * Inputs and initial weights for the benchmarks, drawn by the harness itself (not by tapegrad's Generator), so that
 * every library starts from the same numbers and the library under test does not also make its own test data.
 * Also the layout conversions between tapegrad (NCHW activations, OIHW filters, [out, in] dense weights), tfjs
 * (NHWC, HWIO, [in, out]) and convnetjs (per-sample volumes indexed ((W·y) + x)·C + c).
 * @module
 */

/** A small seeded generator (mulberry32): uniform draws in [0, 1). */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  uniform(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** A standard normal draw (Box–Muller; 1 − u keeps the log away from 0). */
  normal(): number {
    const u = 1 - this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A uniformly random permutation of 0..n−1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

export function normalArray(size: number, rng: Rng, std = 1): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = std * rng.normal();
  return out;
}

export function uniformArray(size: number, rng: Rng, low: number, high: number): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = low + (high - low) * rng.uniform();
  return out;
}

/** Class labels in [0, classes), as integers held in a Float32Array (tapegrad's index convention). */
export function labelArray(size: number, classes: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = rng.int(classes);
  return out;
}

/** One-hot rows [size, classes] of integer labels (tfjs's softmaxCrossEntropy takes these). */
export function oneHot(labels: Float32Array, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + labels[i]] = 1;
  return out;
}

/**
 * PyTorch's default initialisation of a layer with `fanIn` inputs, U(−1/√fanIn, 1/√fanIn), for weights and biases
 * alike, so that the training workloads start where a PyTorch user's would.
 */
export function layerInit(size: number, fanIn: number, rng: Rng): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return uniformArray(size, rng, -bound, bound);
}

/** A row-major [rows, cols] matrix transposed to [cols, rows]. */
export function transpose2d(src: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(src.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = src[r * cols + c];
  return out;
}

/** The dims of a row-major 4-D array permuted: result dim d is source dim perm[d] (as tf.transpose / permute). */
export function permute4d(src: Float32Array, shape: readonly number[], perm: readonly number[]): Float32Array {
  if (shape.length !== 4 || perm.length !== 4) throw new RangeError('permute4d: expected 4 dims');
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const outShape = perm.map((p) => shape[p]);
  const s = perm.map((p) => strides[p]);
  const out = new Float32Array(src.length);
  let o = 0;
  for (let a = 0; a < outShape[0]; a++) {
    for (let b = 0; b < outShape[1]; b++) {
      for (let c = 0; c < outShape[2]; c++) {
        const base = a * s[0] + b * s[1] + c * s[2];
        for (let d = 0; d < outShape[3]; d++) out[o++] = src[base + d * s[3]];
      }
    }
  }
  return out;
}

/** [N, C, H, W] → [N, H, W, C]. */
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;
/** Conv filters [O, C, kh, kw] → [kh, kw, C, O]. */
export const OIHW_TO_HWIO = [2, 3, 1, 0] as const;
