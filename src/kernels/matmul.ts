/**
 * Matrix product kernel: out (m×n) = op(A)·op(B), or out += op(A)·op(B) with `accumulate`, where op(A) is A (m×k,
 * row-major) or, with `transA`, the transpose of a stored k×m matrix, and likewise for B. The transposed variants
 * read their operand in place, so the backward of matmul (dA = dY·Bᵀ, dB = Aᵀ·dY) needs no transpose copies.
 *
 * How it blocks, and why (the GotoBLAS/BLIS scheme, sized for what V8 makes of scalar JavaScript):
 *   - k is cut into blocks of at most KC (split evenly, so 784 is 2×392, not 512+272); n into panels of at most NC.
 *     For each (k-block, n-panel) the op(B) block is packed once into NR-wide column strips, each strip kc×NR
 *     row-major; the op(A) rows are packed MC at a time into MR-high row strips, each kc×MR (p-major). Packing is
 *     where the four variants differ: afterwards every variant runs the same inner loop over two contiguous streams,
 *     so Aᵀ and Bᵀ cost no more than A and B and nothing is ever transposed by copy. Strips are zero-padded to full
 *     MR/NR width and to an even kc; padded lanes only produce results that are never stored.
 *   - The micro-kernel keeps an MR×NR = 3×2 tile of accumulators in locals and steps p two at a time. Measured on
 *     Node 20 (TurboFan, x64): bigger tiles (4×4, 4×8, 6×4) lose, because the register allocator then spills the
 *     accumulators and the loaded operands to the stack every step; 3×2 stepping two p at a time loads 10 values
 *     per 12 multiply-adds and ran ~30% faster than 4×4 on the same storage. Accumulation is in doubles (the locals), so a float32
 *     result is rounded once per k-block, not once per multiply-add; a later k-block (or `accumulate`) starts its
 *     accumulators from the stored output.
 *   - The packed panels live in one plain JS array of doubles (PACKED_DOUBLE_ELEMENTS), reused across calls and
 *     grown only when a larger product comes along. One array for both panels means one map check and one bounds
 *     limit per step, and a JS double array is addressed without the typed array's base-pointer arithmetic; both
 *     were measurable (~20%) in the inner loop. The scratch is ≤ MC·KC + KC·NC doubles (~9.4 MB) at its largest.
 *     Packing is the only copy the kernel makes, and it is of panels, not of transposed operands.
 *   - The B micro-panel (kc×NR) stays in L1 while the loop walks all A strips of the block (mc×kc, in L2); at a few
 *     GFLOPS the memory traffic this leaves is far below what the caches deliver.
 *   - Cᵀ = op(B)ᵀ·op(A)ᵀ: when m pads worse to MR than n does (m = 10 → 12), the operands swap roles and the tile
 *     is stored transposed, so no shape wastes more than one partial tile per edge.
 * Where this kernel stops, measured (Node 20, 2-core EPYC, single thread): on prepacked panels the best tiles (3×2,
 * 2×3, 2×2, two steps of p paired) run at 6.5–6.9 GFLOPS and every other tile tried (1×4, 2×4, 4×2, 2×5, 3×3, 4×3,
 * 4×4; one or four steps) lower, because TurboFan emits a bounds check for every load and spills what does not fit
 * in 15 registers (the 3×2 loop already keeps five of its six accumulators on the stack); the packed squares reach
 * 6.0–6.7 of it. Products with a side of 10 (W2's fc2: 64×256·256×10, 10×64·64×256, 64×10·10×256) run at 4.0–4.9:
 * in the first two the large operand (16,384 values) is used only 10 times, and packing it (~0.7 ns per value, the
 * cost of a store into a double array) is a quarter of the time; reading it in place from the typed array instead
 * runs at 3.6–5.4 GFLOPS in every tile shape tried, and Float64Array panels run at 4.8–5.7. With k = 10 the five
 * steps per tile do not pay for the tile's set-up and its six float32 stores. These three products are ~2% of a W2
 * step.
 * Vector shapes (m = 1 or n = 1) and tiny products skip packing: there every element of the large operand is used
 * once, so packing would cost as much as the product. A direct loop reads the matrix at unit stride, four lines at
 * a time, accumulating in doubles strictly in order of p, so a float64 vector product is the plain left-to-right
 * sum.
 */
import type { TypedArray } from '../dtype.js';

/** Rows and columns of the register tile (see the top comment for why 3×2). */
const MR = 3;
const NR = 2;
/** Largest k-block: both micro-panels ((MR+NR)·KC doubles = 20 KB) fit in L1 next to the output tile. */
const KC = 512;
/**
 * Rows of op(A) packed at a time (a multiple of MR): an A block of MC·KC doubles (at most 240·512·8 B = 983 KB)
 * stays in a 1 MB L2. Measured on the 2-core EPYC: MC = 72, 120 and 240 with KC = 256 or 512 run the squares and
 * the W2 products within ~5% of each other, none ahead on every shape.
 */
const MC = 240;
/** Largest n-panel (a multiple of NR): bounds the packed B block to KC·NC doubles. */
const NC = 2048;
/** Up to this many multiply-adds, the call overhead of packing outweighs its gain (measured: ~4×4×4). */
const DIRECT_MAX = 64;

/** A plain array of `size` doubles with unboxed double storage (V8's PACKED_DOUBLE_ELEMENTS). */
function doubleArray(size: number): number[] {
  const arr: number[] = [];
  // a non-integer first element makes V8 choose double storage; fill(0) keeps it
  for (let i = 0; i < size; i++) arr.push(0.5);
  arr.fill(0);
  return arr;
}

/** Packed A block at [0, aSize), packed B block after it; shared by all calls. */
let pack: number[] = doubleArray(0);
/** Double-precision row of the direct path. */
let rowAcc = new Float64Array(0);

/**
 * out (m×n, row-major at oOff) = op(A)·op(B), or += with `accumulate`. `a` holds A at aOff (m×k, or k×m with
 * transA), `b` holds B at bOff (k×n, or n×k with transB). With k = 0 the product is the zero matrix.
 */
export function matmulKernel(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    if (!accumulate) out.fill(0, oOff, oOff + m * n);
    return;
  }
  if (n === 1) {
    // a matrix-vector product: out (m×1) is the row xᵀ·op(A)ᵀ (1×m); a k-vector and an m-vector are laid out the
    // same whether stored as a row or a column, so only op(A)'s flag carries over
    directProduct(b, bOff, a, aOff, out, oOff, 1, k, m, false, !transA, accumulate);
    return;
  }
  if (m === 1 || m * n * k <= DIRECT_MAX) {
    directProduct(a, aOff, b, bOff, out, oOff, m, k, n, transA, transB, accumulate);
    return;
  }
  // Cᵀ = op(B)ᵀ·op(A)ᵀ is the same product with the operands' roles swapped and the output written transposed;
  // take whichever orientation pads fewer rows and columns to whole register tiles (m = 10 pads to 12 rows, but
  // as the n side it pads to nothing)
  const padded = Math.ceil(m / MR) * MR * Math.ceil(n / NR) * NR;
  const paddedSwapped = Math.ceil(n / MR) * MR * Math.ceil(m / NR) * NR;
  if (paddedSwapped < padded) packedProduct(b, bOff, a, aOff, out, oOff, n, k, m, !transB, !transA, accumulate, 1, n);
  else packedProduct(a, aOff, b, bOff, out, oOff, m, k, n, transA, transB, accumulate, n, 1);
}

/** The blocked product; output element (i, j) is out[oOff + i·rs + j·cs]. */
function packedProduct(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean, rs: number, cs: number,
): void {
  // k-blocks of equal size (even, for the two-step inner loop), n-panels of at most NC
  const kBlocks = Math.ceil(k / KC);
  let kcMax = Math.ceil(k / kBlocks);
  kcMax += kcMax & 1;
  const mcMax = Math.min(MC, Math.ceil(m / MR) * MR);
  const ncMax = Math.min(NC, Math.ceil(n / NR) * NR);
  const bBase = mcMax * kcMax;
  if (pack.length < bBase + kcMax * ncMax) pack = doubleArray(bBase + kcMax * ncMax);
  const pk = pack;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = Math.min(kcMax, k - pc);
      const kcP = kc + (kc & 1);
      const assign = pc === 0 && !accumulate;
      // op(B)(p, j) is b[bOff + p·n + j], or b[bOff + j·k + p] with transB
      if (transB) packLines(b, bOff + jc * k + pc, k, nc, kc, pk, bBase, NR);
      else packPoints(b, bOff + pc * n + jc, n, nc, kc, pk, bBase, NR);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        // op(A)(i, p) is a[aOff + i·k + p], or a[aOff + p·m + i] with transA
        if (transA) packPoints(a, aOff + pc * m + ic, m, mc, kc, pk, 0, MR);
        else packLines(a, aOff + ic * k + pc, k, mc, kc, pk, 0, MR);
        blockProduct(pk, bBase, kcP, mc, nc, out, oOff + ic * rs + jc * cs, rs, cs, assign);
      }
    }
  }
}

/**
 * Packs `count` lines that are each contiguous along p (line t starts at src[off + t·ld]) into R-wide strips:
 * strip s holds lines sR..sR+R−1 as kcP×R, p-major. Used for A rows (A·…) and B columns (…·Bᵀ). Each strip is
 * written sequentially while its R source lines are read side by side.
 */
function packLines(
  src: TypedArray, off: number, ld: number, count: number, kc: number, dst: number[], dOff: number, R: number,
): void {
  const pad = kc & 1;
  let d = dOff;
  let t0 = 0;
  if (R === 3) {
    for (; t0 + 3 <= count; t0 += 3) {
      const s0 = off + t0 * ld, s1 = s0 + ld, s2 = s1 + ld;
      for (let p = 0; p < kc; p++, d += 3) {
        dst[d] = src[s0 + p];
        dst[d + 1] = src[s1 + p];
        dst[d + 2] = src[s2 + p];
      }
      if (pad) { dst[d] = 0; dst[d + 1] = 0; dst[d + 2] = 0; d += 3; }
    }
  } else {
    for (; t0 + 2 <= count; t0 += 2) {
      const s0 = off + t0 * ld, s1 = s0 + ld;
      for (let p = 0; p < kc; p++, d += 2) {
        dst[d] = src[s0 + p];
        dst[d + 1] = src[s1 + p];
      }
      if (pad) { dst[d] = 0; dst[d + 1] = 0; d += 2; }
    }
  }
  if (t0 < count) {
    // the last, partial strip: missing lines are zeros
    for (let p = 0; p < kc + pad; p++) {
      for (let u = 0; u < R; u++, d++) dst[d] = p < kc && t0 + u < count ? src[off + (t0 + u) * ld + p] : 0;
    }
  }
}

/**
 * Packs `count` lines whose elements at one p are adjacent (line t, step p at src[off + p·ld + t]) into the same
 * R-wide strips as packLines. Used for Aᵀ (Aᵀ·…) and B (…·B). Strip by strip, so the writes are sequential and
 * the source rows a strip reads are still in L1 for the next strips.
 */
function packPoints(
  src: TypedArray, off: number, ld: number, count: number, kc: number, dst: number[], dOff: number, R: number,
): void {
  const pad = kc & 1;
  let d = dOff;
  let t0 = 0;
  if (R === 3) {
    for (; t0 + 3 <= count; t0 += 3) {
      let s = off + t0;
      for (let p = 0; p < kc; p++, d += 3, s += ld) {
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
        dst[d + 2] = src[s + 2];
      }
      if (pad) { dst[d] = 0; dst[d + 1] = 0; dst[d + 2] = 0; d += 3; }
    }
  } else {
    for (; t0 + 2 <= count; t0 += 2) {
      let s = off + t0;
      for (let p = 0; p < kc; p++, d += 2, s += ld) {
        dst[d] = src[s];
        dst[d + 1] = src[s + 1];
      }
      if (pad) { dst[d] = 0; dst[d + 1] = 0; d += 2; }
    }
  }
  if (t0 < count) {
    for (let p = 0; p < kc + pad; p++) {
      for (let u = 0; u < R; u++, d++) dst[d] = p < kc && t0 + u < count ? src[off + p * ld + t0 + u] : 0;
    }
  }
}

/**
 * out (mc×nc block at o, element (i, j) at o + i·rs + j·cs) = or += packed A (at 0) · packed B (at bBase), both
 * with kcP steps. B strips run outside and A strips inside, so the B micro-panel stays in L1. Each accumulator
 * starts from 0 (assign) or from the stored output and adds the products of p and p+1 as one pair: that differs
 * from the strict left-to-right sum only in rounding, and measured ~17% faster than chaining both adds.
 */
function blockProduct(
  pk: number[], bBase: number, kcP: number, mc: number, nc: number, out: TypedArray, o: number, rs: number,
  cs: number, assign: boolean,
): void {
  const steps = kcP >> 1;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const bStrip = bBase + j0 * kcP;
    const fullCols = j0 + NR <= nc;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = Math.min(MR, mc - i0);
      const full = fullCols && rows === MR;
      const r0 = o + i0 * rs + j0 * cs;
      const r1 = r0 + rs;
      const r2 = r1 + rs;
      let c00 = 0, c01 = 0, c10 = 0, c11 = 0, c20 = 0, c21 = 0;
      if (!assign) {
        if (full) {
          c00 = out[r0]; c01 = out[r0 + cs];
          c10 = out[r1]; c11 = out[r1 + cs];
          c20 = out[r2]; c21 = out[r2 + cs];
        } else {
          // an edge tile: only the rows and columns inside the block exist
          c00 = out[r0];
          if (fullCols) c01 = out[r0 + cs];
          if (rows > 1) { c10 = out[r1]; if (fullCols) c11 = out[r1 + cs]; }
          if (rows > 2) { c20 = out[r2]; if (fullCols) c21 = out[r2 + cs]; }
        }
      }
      let ai = i0 * kcP;
      let bi = bStrip;
      for (let q = 0; q < steps; q = (q + 1) | 0) {
        // two steps of p: A values (p: a0..a2, p+1: a3..a5), B values (p: b0 b1, p+1: b2 b3)
        const a0 = pk[ai], a1 = pk[(ai + 1) | 0], a2 = pk[(ai + 2) | 0];
        const a3 = pk[(ai + 3) | 0], a4 = pk[(ai + 4) | 0], a5 = pk[(ai + 5) | 0];
        const b0 = pk[bi], b1 = pk[(bi + 1) | 0], b2 = pk[(bi + 2) | 0], b3 = pk[(bi + 3) | 0];
        c00 += a0 * b0 + a3 * b2;
        c01 += a0 * b1 + a3 * b3;
        c10 += a1 * b0 + a4 * b2;
        c11 += a1 * b1 + a4 * b3;
        c20 += a2 * b0 + a5 * b2;
        c21 += a2 * b1 + a5 * b3;
        ai = (ai + 6) | 0;
        bi = (bi + 4) | 0;
      }
      if (full) {
        out[r0] = c00; out[r0 + cs] = c01;
        out[r1] = c10; out[r1 + cs] = c11;
        out[r2] = c20; out[r2 + cs] = c21;
      } else {
        out[r0] = c00;
        if (fullCols) out[r0 + cs] = c01;
        if (rows > 1) { out[r1] = c10; if (fullCols) out[r1 + cs] = c11; }
        if (rows > 2) { out[r2] = c20; if (fullCols) out[r2 + cs] = c21; }
      }
    }
  }
}

/**
 * The unpacked product for vector shapes (m = 1 or n = 1) and tiny products, accumulating each output in a double.
 * Every element of the larger operand is used once here, so packing it would cost as much as the product; instead
 * the loops read it at unit stride, four lines at a time. Without transB: i-p-j into a double row, four rows of B
 * per pass over the row; with transB: four dot products of rows of B against one row of op(A).
 */
function directProduct(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, out: TypedArray, oOff: number,
  m: number, k: number, n: number, transA: boolean, transB: boolean, accumulate: boolean,
): void {
  // op(A)(i, p) is a[aOff + i·aRow + p·aCol]
  const aRow = transA ? 1 : k;
  const aCol = transA ? m : 1;
  if (!transB) {
    if (rowAcc.length < n) rowAcc = new Float64Array(n);
    const acc = rowAcc;
    for (let i = 0; i < m; i++) {
      const ai = aOff + i * aRow;
      const o = oOff + i * n;
      if (accumulate) for (let j = 0; j < n; j++) acc[j] = out[o + j];
      else acc.fill(0, 0, n);
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const a0 = a[ai + p * aCol], a1 = a[ai + (p + 1) * aCol], a2 = a[ai + (p + 2) * aCol], a3 = a[ai + (p + 3) * aCol];
        const s0 = bOff + p * n, s1 = s0 + n, s2 = s1 + n, s3 = s2 + n;
        // left to right, so the four products join the sum in order of p
        for (let j = 0; j < n; j++) acc[j] = acc[j] + a0 * b[s0 + j] + a1 * b[s1 + j] + a2 * b[s2 + j] + a3 * b[s3 + j];
      }
      for (; p < k; p++) {
        const av = a[ai + p * aCol];
        const s0 = bOff + p * n;
        for (let j = 0; j < n; j++) acc[j] += av * b[s0 + j];
      }
      for (let j = 0; j < n; j++) out[o + j] = acc[j];
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRow;
    const o = oOff + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const r0 = bOff + j * k, r1 = r0 + k, r2 = r1 + k, r3 = r2 + k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      if (accumulate) { s0 = out[o + j]; s1 = out[o + j + 1]; s2 = out[o + j + 2]; s3 = out[o + j + 3]; }
      for (let p = 0; p < k; p++) {
        const av = a[ai + p * aCol];
        s0 += av * b[r0 + p];
        s1 += av * b[r1 + p];
        s2 += av * b[r2 + p];
        s3 += av * b[r3 + p];
      }
      out[o + j] = s0; out[o + j + 1] = s1; out[o + j + 2] = s2; out[o + j + 3] = s3;
    }
    for (; j < n; j++) {
      const r0 = bOff + j * k;
      let s0 = accumulate ? out[o + j] : 0;
      for (let p = 0; p < k; p++) s0 += a[ai + p * aCol] * b[r0 + p];
      out[o + j] = s0;
    }
  }
}
