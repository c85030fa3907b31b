/**
 * Elementwise kernels: plain loops over typed arrays, one specialised loop per op.
 *
 * The op is picked by a switch outside the inner loop (never a function call per element: a closure called from a
 * loop shared by every op is megamorphic and V8 cannot inline it, which made it the cost of the whole loop).
 *
 * Broadcasting is done by strides: an operand's stride is 0 along every dimension it is broadcast in. Before the
 * walk, dimensions that every operand steps through contiguously are merged ("coalesced"), so a bias add
 * [N, M] + [M] becomes N runs of M, and a same-shape or scalar operand becomes one run over everything. Each run is
 * a straight loop with a constant stride per operand (1, or 0 for a broadcast one); only between runs does an
 * odometer step the outer dims. No expanded copies are made.
 */
import type { TypedArray } from '../dtype.js';

/** The elementwise ops of one tensor without parameters. */
export type UnaryOpName = 'neg' | 'exp' | 'log' | 'sqrt' | 'abs' | 'sign' | 'sin' | 'cos' | 'relu' | 'sigmoid' | 'tanh';

/** `out[i] = op(x[i])`. `out` may be `x`. */
export function unaryKernel(op: UnaryOpName, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case 'neg':
      for (let i = 0; i < n; i++) out[i] = -x[i];
      return;
    case 'exp':
      for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      return;
    case 'log':
      for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      return;
    case 'sqrt':
      for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      return;
    case 'abs':
      for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      return;
    case 'sign':
      // 0, -0 and NaN map to themselves
      for (let i = 0; i < n; i++) {
        const v = x[i];
        out[i] = v > 0 ? 1 : v < 0 ? -1 : v;
      }
      return;
    case 'sin':
      for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]);
      return;
    case 'cos':
      for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]);
      return;
    case 'relu':
      reluKernel(x, out);
      return;
    case 'sigmoid':
      // NOTE: for x < 0 the form eˣ / (1 + eˣ) keeps exp() from overflowing, so sigmoid(±1000) is exactly 1 or 0.
      for (let i = 0; i < n; i++) {
        const v = x[i];
        if (v >= 0) {
          out[i] = 1 / (1 + Math.exp(-v));
        } else {
          const e = Math.exp(v);
          out[i] = e / (1 + e);
        }
      }
      return;
    case 'tanh':
      for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      return;
    default:
      throw new Error(`unaryKernel: unknown op ${String(op)}`);
  }
}

/** `out[i] = x[i]` limited to [lo, hi] (±Infinity for no bound); NaN stays NaN. */
export function clampKernel(x: TypedArray, lo: number, hi: number, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    let v = x[i];
    if (v < lo) v = lo;
    if (v > hi) v = hi;
    out[i] = v;
  }
}

/** `out[i] = x[i] > 0 ? x[i] : slope·x[i]`. */
export function leakyReluKernel(x: TypedArray, slope: number, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v : v * slope;
  }
}

/**
 * `out[i] = max(x[i], 0)`, NaN propagating, −0 and −∞ giving +0.
 *
 * NOTE: written without a data-dependent branch. The sign of activations is close to random, so `v > 0 ? v : 0`
 * mispredicts about every other element, and that made this loop ~4× slower than a copy. A comparison turned into a
 * number (`+(v > 0)`) compiles to a flag set, not a jump: v·[v > 0] + 0 is v, or +0 (the + 0 turns −0 into +0).
 * Only v = −∞ (−∞·0 = NaN) needs the fix-up, behind a test that is almost never true and so always predicted.
 */
export function reluKernel(x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    let r = v * +(v > 0) + 0;
    if (r !== r && v === -Infinity) r = 0;
    out[i] = r;
  }
}

/**
 * relu's backward: `out[i] = dy[i]·[x[i] > 0]`, the product kept as a product (a NaN or infinite dy still gives
 * NaN where the mask is 0, and a negative dy −0), exactly dy·(x > 0) as tensors. Branch-free as reluKernel.
 */
export function reluBackwardKernel(dy: TypedArray, x: TypedArray, out: TypedArray): void {
  for (let i = 0; i < dy.length; i++) out[i] = dy[i] * +(x[i] > 0);
}

/** The elementwise ops of two tensors. */
export type BinaryOpName = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum' | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

/**
 * One run: `out[o + i] = op(a[ia + i·sa], b[ib + i·sb])` for i < len. The switch is outside the loops, so each op
 * is its own tight loop. Comparisons write `+(x > y)` rather than `x > y ? 1 : 0`: the number conversion of a
 * comparison compiles to a flag set, where the conditional is a jump that random data mispredicts half the time.
 */
function binaryRun(
  op: BinaryOpName, a: TypedArray, ia: number, sa: number, b: TypedArray, ib: number, sb: number,
  out: TypedArray, o: number, len: number,
): void {
  const end = o + len;
  switch (op) {
    case 'add':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
      return;
    case 'sub':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
      return;
    case 'mul':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
      return;
    case 'div':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
      return;
    case 'pow':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.pow(a[ia], b[ib]);
      return;
    case 'maximum':
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x !== x || y !== y ? NaN : Math.max(x, y);
      }
      return;
    case 'minimum':
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x !== x || y !== y ? NaN : Math.min(x, y);
      }
      return;
    case 'eq':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] === b[ib]);
      return;
    case 'ne':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== b[ib]);
      return;
    case 'gt':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] > b[ib]);
      return;
    case 'ge':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] >= b[ib]);
      return;
    case 'lt':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] < b[ib]);
      return;
    case 'le':
      for (; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] <= b[ib]);
      return;
    default:
      throw new Error(`binaryKernel: unknown op ${String(op)}`);
  }
}

/**
 * The dims of a row-major walk over `shape` after dropping size-1 dims and merging each dim into the next one
 * wherever every operand's strides are contiguous across the pair (stride[d] = stride[d+1]·shape[d+1], which holds
 * for 0-strides too). Returns the merged shape and one strides list per operand; at least one dim.
 */
export function coalesceDims(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    const size = shape[d];
    if (size === 1) continue;
    const last = outShape.length - 1;
    let merge = last >= 0;
    for (let k = 0; merge && k < strides.length; k++) {
      if (outStrides[k][last] !== strides[k][d] * size) merge = false;
    }
    if (merge) {
      outShape[last] *= size;
      for (let k = 0; k < strides.length; k++) outStrides[k][last] = strides[k][d];
    } else {
      outShape.push(size);
      for (let k = 0; k < strides.length; k++) outStrides[k].push(strides[k][d]);
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * `out[i] = op(a[ia], b[ib])` over `outShape`, where ia and ib advance by `aStrides` and `bStrides` (0 along a
 * broadcast dimension).
 */
export function binaryKernel(
  op: BinaryOpName,
  a: TypedArray, aStrides: readonly number[],
  b: TypedArray, bStrides: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  // Equal sizes mean equal layouts (a broadcast operand is strictly smaller), so these skip the stride analysis.
  if (a.length === n && b.length === n) return binaryRun(op, a, 0, 1, b, 0, 1, out, 0, n);
  if (b.length === 1 && a.length === n) return binaryRun(op, a, 0, 1, b, 0, 0, out, 0, n);
  if (a.length === 1 && b.length === n) return binaryRun(op, a, 0, 0, b, 0, 1, out, 0, n);
  const { shape, strides: [sa, sb] } = coalesceDims(outShape, [aStrides, bStrides]);
  const nd = shape.length;
  const inner = nd - 1;
  const len = shape[inner];
  const runs = n / len;
  const index = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let r = 0, o = 0; r < runs; r++, o += len) {
    binaryRun(op, a, ia, sa[inner], b, ib, sb[inner], out, o, len);
    // Odometer step over the outer dims, carrying into earlier ones.
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        ia += sa[d];
        ib += sb[d];
        break;
      }
      index[d] = 0;
      ia -= sa[d] * (shape[d] - 1);
      ib -= sb[d] * (shape[d] - 1);
    }
  }
}

/** `out[i] = cond[ic] !== 0 ? a[ia] : b[ib]`, each operand read through its (broadcast) strides. */
export function whereKernel(
  cond: TypedArray, cStrides: readonly number[],
  a: TypedArray, aStrides: readonly number[],
  b: TypedArray, bStrides: readonly number[],
  out: TypedArray, outShape: readonly number[],
): void {
  const n = out.length;
  if (n === 0) return;
  const { shape, strides: [sc, sa, sb] } = coalesceDims(outShape, [cStrides, aStrides, bStrides]);
  const nd = shape.length;
  const inner = nd - 1;
  const len = shape[inner];
  const dc = sc[inner];
  const da = sa[inner];
  const db = sb[inner];
  const index = new Array<number>(nd).fill(0);
  let ic = 0;
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n;) {
    for (let i = 0, jc = ic, ja = ia, jb = ib; i < len; i++, o++, jc += dc, ja += da, jb += db) {
      out[o] = cond[jc] !== 0 ? a[ja] : b[jb];
    }
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        ic += sc[d];
        ia += sa[d];
        ib += sb[d];
        break;
      }
      index[d] = 0;
      ic -= sc[d] * (shape[d] - 1);
      ia -= sa[d] * (shape[d] - 1);
      ib -= sb[d] * (shape[d] - 1);
    }
  }
}

/** Copies x, read through broadcast strides `xStrides`, into `out` of shape `outShape` (broadcastTo's forward). */
export function expandKernel(x: TypedArray, xStrides: readonly number[], out: TypedArray, outShape: readonly number[]): void {
  const n = out.length;
  if (n === 0) return;
  if (x.length === n) {
    out.set(x);
    return;
  }
  const { shape, strides: [sx] } = coalesceDims(outShape, [xStrides]);
  const nd = shape.length;
  const inner = nd - 1;
  const len = shape[inner];
  const dx = sx[inner];
  const index = new Array<number>(nd).fill(0);
  let j = 0;
  for (let o = 0; o < n;) {
    for (let i = 0, k = j; i < len; i++, o++, k += dx) out[o] = x[k];
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) {
        j += sx[d];
        break;
      }
      index[d] = 0;
      j -= sx[d] * (shape[d] - 1);
    }
  }
}
