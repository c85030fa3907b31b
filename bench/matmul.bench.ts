/**
 * Matrix products: W1 (C = A·B, 512×512) against every peer, and the four variants op(A)·op(B) at the square sizes
 * and at the shapes of the products in a W2 step, for tapegrad against tfjs (the matmul target is stated
 * against tfjs-cpu). convnetjs has no matmul; its W1 figure is a fully-connected layer's forward over the 512 rows
 * of A with B's columns as the layer's filters (plus a zero bias), which is the same 512³ multiply-adds.
 * @module
 */
import { Tensor, matmul, matmulT, tensor } from '../src/index.js';
import { checkMatmul, type MatmulProblem } from './harness/checks.js';
import { Rng, normalArray } from './harness/data.js';
import type { Peers, Tf } from './harness/peers.js';
import type { Subject, Workload } from './harness/runner.js';
import { entry, tfjsEntries } from './harness/subjects.js';

export interface ProductShape {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
}

export function variantName({ transA, transB }: Pick<ProductShape, 'transA' | 'transB'>): string {
  return `A${transA ? 'ᵀ' : ''}·B${transB ? 'ᵀ' : ''}`;
}

function problem(s: ProductShape, seed: number): MatmulProblem {
  const rng = new Rng(seed);
  return { ...s, a: normalArray(s.m * s.k, rng), b: normalArray(s.k * s.n, rng) };
}

function stored(s: ProductShape): { a: [number, number]; b: [number, number] } {
  return { a: s.transA ? [s.k, s.m] : [s.m, s.k], b: s.transB ? [s.n, s.k] : [s.k, s.n] };
}

function tapegradSubject(p: MatmulProblem, plain: boolean): Subject {
  const dims = stored(p);
  const a = tensor(p.a as Float32Array).reshape(dims.a);
  const b = tensor(p.b as Float32Array).reshape(dims.b);
  let out: Tensor | null = null;
  return {
    // W1 goes through matmul, the call a user writes; the variants through matmulT, which transposes by flags.
    run: plain ? () => void (out = matmul(a, b)) : () => void (out = matmulT(a, b, p.transA, p.transB)),
    verify: () => {
      const d = out!.data;
      return checkMatmul(p, (i, j) => d[i * p.n + j]);
    },
  };
}

function tfjsSubject(p: MatmulProblem) {
  return (tf: Tf): Subject => {
    const dims = stored(p);
    const a = tf.tensor2d(p.a as Float32Array, dims.a);
    const b = tf.tensor2d(p.b as Float32Array, dims.b);
    let out: ReturnType<Tf['matMul']> | null = null;
    return {
      // cpu and wasm compute a kernel when it is called, so the timing needs no read-back
      run: () => {
        out?.dispose();
        out = tf.matMul(a, b, p.transA, p.transB);
      },
      verify: () => {
        const d = out!.dataSync();
        return checkMatmul(p, (i, j) => d[i * p.n + j]);
      },
      dispose: () => {
        tf.dispose([a, b]);
        out?.dispose();
      },
    };
  };
}

function convnetjsSubject(p: MatmulProblem, peers: Peers): Subject {
  const cj = peers.convnetjs;
  const layer = new cj.FullyConnLayer({ num_neurons: p.n, in_sx: 1, in_sy: 1, in_depth: p.k, bias_pref: 0 });
  // filter j holds column j of B
  for (let j = 0; j < p.n; j++) {
    const w = layer.filters![j].w;
    for (let q = 0; q < p.k; q++) w[q] = p.b[q * p.n + j];
  }
  const rows = Array.from({ length: p.m }, (_, i) => {
    const v = new cj.Vol(1, 1, p.k, 0);
    for (let q = 0; q < p.k; q++) v.w[q] = p.a[i * p.k + q];
    return v;
  });
  let out: Float64Array[] = [];
  return {
    note: 'a fully-connected layer forward over the rows of A (convnetjs has no matmul)',
    run: () => {
      out = rows.map((v) => layer.forward(v).w);
    },
    verify: () => checkMatmul(p, (i, j) => out[i][j]),
  };
}

/** W1: C = A·B with A, B 512×512 of standard normal values. */
export function w1Workload(peers: Peers): Workload {
  const shape = { m: 512, k: 512, n: 512, transA: false, transB: false };
  const p = problem(shape, 101);
  return {
    id: 'W1',
    title: 'W1 matmul 512×512 (C = A·B)',
    flops: 2 * 512 ** 3,
    subjects: {
      tapegrad: entry(() => tapegradSubject(p, true)),
      ...tfjsEntries(peers, tfjsSubject(p)),
      convnetjs: entry(() => convnetjsSubject(p, peers)),
    },
  };
}

/** The products of one W2 step (batch 64, 784 → 256 → 10), as (m, k, n) of C[m×n] = op(A)[m×k]·op(B)[k×n]. */
export const W2_PRODUCT_SHAPES: ReadonlyArray<{ label: string; m: number; k: number; n: number }> = [
  { label: 'W2 fc1 forward', m: 64, k: 784, n: 256 },
  { label: 'W2 fc1 dW', m: 256, k: 64, n: 784 },
  { label: 'W2 fc2 forward', m: 64, k: 256, n: 10 },
  { label: 'W2 fc2 dW', m: 10, k: 64, n: 256 },
  { label: 'W2 fc2 dX', m: 64, k: 10, n: 256 },
];

export const VARIANTS: ReadonlyArray<{ transA: boolean; transB: boolean }> = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
];

/** One variant at one shape, tapegrad against tfjs-cpu and tfjs-wasm. */
export function variantWorkload(peers: Peers, label: string, shape: ProductShape, seed: number): Workload {
  const p = problem(shape, seed);
  return {
    id: `${variantName(shape)} ${shape.m}×${shape.k}×${shape.n}`,
    title: `${label}: ${variantName(shape)}, m×k×n = ${shape.m}×${shape.k}×${shape.n}`,
    flops: 2 * shape.m * shape.k * shape.n,
    subjects: {
      tapegrad: entry(() => tapegradSubject(p, false)),
      ...tfjsEntries(peers, tfjsSubject(p)),
    },
  };
}

/** The variant workloads: all four variants at n = 128, 256, 512 (those in `squares`) and at the W2 shapes. */
export function variantWorkloads(peers: Peers, squares: readonly number[]): Workload[] {
  const shapes = [
    ...squares.map((s) => ({ label: `n = ${s}`, m: s, k: s, n: s })),
    ...W2_PRODUCT_SHAPES,
  ];
  const out: Workload[] = [];
  let seed = 200;
  for (const s of shapes) {
    for (const v of VARIANTS) out.push(variantWorkload(peers, s.label, { m: s.m, k: s.k, n: s.n, ...v }, seed++));
  }
  return out;
}
