/**
 * The harness's correctness checks: a library's timing counts only if its result is right. Products are checked
 * against float64 references at sampled points, with a rigorous float32 error bound rather than a guessed tolerance;
 * training steps are checked by their losses (finite, falling over the timed steps, and following the same path as
 * tapegrad's from the same initial weights on the same batch).
 * @module
 */
import { Rng } from './data.js';

/** The outcome of a check: `detail` says what was compared, or what was wrong and where. */
export interface CheckResult {
  ok: boolean;
  detail: string;
}

/** The unit roundoff of float32. */
export const FLOAT32_UNIT_ROUNDOFF = 2 ** -24;

/**
 * The bound on |computed − exact| of a float32 sum of `terms` products whose absolute values sum to `absSum`, in any
 * summation order, with or without fused multiply-adds: γ_(terms+1)·absSum (γ_k = k·u/(1 − k·u), Higham's bound
 * for inner products, one term more for the rounding of the stored result). A float64 accumulation is well inside it.
 */
export function float32DotBound(terms: number, absSum: number): number {
  const ku = (terms + 1) * FLOAT32_UNIT_ROUNDOFF;
  return (ku / (1 - ku)) * absSum;
}

/** A product op(A)·op(B) of stored row-major matrices: op(A) is m×k, op(B) is k×n. */
export interface MatmulProblem {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** A stored as [m, k], or as [k, m] when transA. */
  a: ArrayLike<number>;
  /** B stored as [k, n], or as [n, k] when transB. */
  b: ArrayLike<number>;
}

/**
 * Points (i, j) of an m×n result to check: every row and every column at least once (row t mod m goes with column
 * perm[t mod n] of a seeded random permutation, so the points are off the diagonal and a transposed result shows),
 * the four corners, and `extra` random points.
 */
export function samplePoints(m: number, n: number, seed = 1, extra = 32): Array<[number, number]> {
  const rng = new Rng(seed);
  const perm = rng.permutation(n);
  const points: Array<[number, number]> = [];
  for (let t = 0; t < Math.max(m, n); t++) points.push([t % m, perm[t % n]]);
  points.push([0, 0], [0, n - 1], [m - 1, 0], [m - 1, n - 1]);
  for (let t = 0; t < extra; t++) points.push([rng.int(m), rng.int(n)]);
  return points;
}

/**
 * Checks a computed product, read through `read(i, j)` (so any output layout works), against the float64 product
 * of the same float32 inputs at `points` (default {@link samplePoints}). Each point must lie within
 * {@link float32DotBound} of the reference; NaN or ±∞ fails.
 */
export function checkMatmul(p: MatmulProblem, read: (i: number, j: number) => number, points = samplePoints(p.m, p.n)): CheckResult {
  const { m, k, n, transA, transB, a, b } = p;
  let worst = 0;
  for (const [i, j] of points) {
    let ref = 0;
    let abs = 0;
    for (let q = 0; q < k; q++) {
      const t = (transA ? a[q * m + i] : a[i * k + q]) * (transB ? b[j * k + q] : b[q * n + j]);
      ref += t;
      abs += Math.abs(t);
    }
    const got = read(i, j);
    const bound = float32DotBound(k, abs);
    const err = Math.abs(got - ref);
    if (!(err <= bound)) {
      return { ok: false, detail: `C[${i},${j}] = ${got}, float64 reference ${ref}: error ${err.toExponential(2)} exceeds the float32 bound ${bound.toExponential(2)}` };
    }
    if (bound > 0) worst = Math.max(worst, err / bound);
  }
  return { ok: true, detail: `${points.length} sampled points within the float32 error bound (worst at ${(100 * worst).toFixed(2)}% of it)` };
}

/** A 2-D convolution (cross-correlation, as PyTorch and tfjs define it) of x [N, C, H, W] with weight [O, C, kh, kw]. */
export interface ConvProblem {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  padding: number;
  stride: number;
  /** NCHW. */
  x: ArrayLike<number>;
  /** OIHW. */
  weight: ArrayLike<number>;
  /** [O], or null for none. */
  bias: ArrayLike<number> | null;
}

export function convOutputSize(p: ConvProblem): [number, number] {
  return [Math.floor((p.h + 2 * p.padding - p.kh) / p.stride) + 1, Math.floor((p.w + 2 * p.padding - p.kw) / p.stride) + 1];
}

/**
 * Output positions (n, o, y, x) to check: every (sample, filter) pair once, every third of them at a corner or an
 * edge of the output (where the padding is read), the others at a seeded random position.
 */
export function convSamplePoints(p: ConvProblem, seed = 2): Array<[number, number, number, number]> {
  const rng = new Rng(seed);
  const [oh, ow] = convOutputSize(p);
  const points: Array<[number, number, number, number]> = [];
  for (let s = 0; s < p.n; s++) {
    for (let f = 0; f < p.o; f++) {
      const t = points.length;
      if (t % 3 === 0) {
        const corner = (t / 3) % 6;
        const y = [0, 0, oh - 1, oh - 1, 0, rng.int(oh)][corner];
        const x = [0, ow - 1, 0, ow - 1, rng.int(ow), ow - 1][corner];
        points.push([s, f, y, x]);
      } else {
        points.push([s, f, rng.int(oh), rng.int(ow)]);
      }
    }
  }
  return points;
}

/**
 * Checks a computed convolution, read through `read(n, o, y, x)`, against the float64 convolution of the same
 * inputs at `points` (default {@link convSamplePoints}), each within {@link float32DotBound} of the reference
 * (C·kh·kw products, plus the bias).
 */
export function checkConv2d(
  p: ConvProblem,
  read: (n: number, o: number, y: number, x: number) => number,
  points = convSamplePoints(p),
): CheckResult {
  const { c, h, w, kh, kw, padding, stride, x, weight, bias } = p;
  let worst = 0;
  for (const [s, f, oy, ox] of points) {
    let ref = bias ? bias[f] : 0;
    let abs = Math.abs(ref);
    for (let ch = 0; ch < c; ch++) {
      for (let i = 0; i < kh; i++) {
        const iy = oy * stride - padding + i;
        if (iy < 0 || iy >= h) continue;
        for (let j = 0; j < kw; j++) {
          const ix = ox * stride - padding + j;
          if (ix < 0 || ix >= w) continue;
          const t = x[((s * c + ch) * h + iy) * w + ix] * weight[((f * c + ch) * kh + i) * kw + j];
          ref += t;
          abs += Math.abs(t);
        }
      }
    }
    const got = read(s, f, oy, ox);
    const bound = float32DotBound(c * kh * kw + 1, abs);
    const err = Math.abs(got - ref);
    if (!(err <= bound)) {
      return { ok: false, detail: `y[${s},${f},${oy},${ox}] = ${got}, float64 reference ${ref}: error ${err.toExponential(2)} exceeds the float32 bound ${bound.toExponential(2)}` };
    }
    if (bound > 0) worst = Math.max(worst, err / bound);
  }
  return { ok: true, detail: `${points.length} sampled points within the float32 error bound (worst at ${(100 * worst).toFixed(2)}% of it)` };
}

/**
 * Checks the losses of a training run, one per step, of which the first `timedFrom` were warm-up: all finite, and
 * the last timed loss below the first timed one (the timed steps really trained).
 */
export function checkLossFalls(losses: readonly number[], timedFrom: number): CheckResult {
  const bad = losses.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) return { ok: false, detail: `loss at step ${bad + 1} is ${losses[bad]}` };
  if (losses.length - timedFrom < 2) return { ok: false, detail: `only ${Math.max(0, losses.length - timedFrom)} timed step(s): cannot tell whether the loss falls` };
  const first = losses[timedFrom];
  const last = losses[losses.length - 1];
  if (!(last < first)) {
    return { ok: false, detail: `loss did not fall over the timed steps: ${fmt(first)} at step ${timedFrom + 1}, ${fmt(last)} at step ${losses.length}` };
  }
  return { ok: true, detail: `loss fell from ${fmt(first)} to ${fmt(last)} over ${losses.length - timedFrom} timed steps` };
}

/** Tolerances of {@link checkTrajectory}, relative to the reference loss. */
export interface TrajectoryTolerance {
  /** At the first step, before any update: a forward pass on identical weights. */
  first: number;
  /** At every later step, where the float32 rounding of earlier updates has had time to add up. */
  later: number;
}

/**
 * Checks that a peer's losses follow the reference's (tapegrad's) step by step: same initial weights, same batch
 * and the same update mean the same losses up to rounding. A wrong gradient, learning rate or loss scale shows as
 * a path that drifts apart even when each run's loss falls. Compares the steps both runs have.
 */
export function checkTrajectory(reference: readonly number[], losses: readonly number[], tol: TrajectoryTolerance): CheckResult {
  const steps = Math.min(reference.length, losses.length);
  if (steps === 0) return { ok: false, detail: 'no steps to compare' };
  let worst = 0;
  for (let t = 0; t < steps; t++) {
    const rel = Math.abs(losses[t] - reference[t]) / Math.max(Math.abs(reference[t]), 1e-3);
    const limit = t === 0 ? tol.first : tol.later;
    if (!(rel <= limit)) {
      return { ok: false, detail: `loss at step ${t + 1} is ${fmt(losses[t])}, tapegrad's ${fmt(reference[t])}: relative difference ${rel.toExponential(2)} > ${limit}` };
    }
    worst = Math.max(worst, rel);
  }
  return { ok: true, detail: `losses match tapegrad's over ${steps} steps (largest relative difference ${worst.toExponential(1)})` };
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(5) : String(v);
}
