/**
 * 004-Q11 (IIT Tirupati CS5223 mid-semester, Q11): is an autoencoder supervised or unsupervised, and which ML task is
 * it? Shown by training one: a linear autoencoder 3 → 1 → 3 (two nn.Dense layers, no activation) learns, with the
 * input itself as the regression target under MSE, exactly what PCA finds: its reconstruction error reaches the
 * PCA optimum trace(C) − λ₁ (C the data covariance, λ₁ its largest eigenvalue), and its decoder points along the
 * first principal direction. No label is used anywhere (self-supervised), and the loss is a regression loss.
 */
import { Generator, type Tensor, nn, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '004-Q11',
  title: 'autoencoders: supervised or unsupervised, and which ML task? (key: self-supervised — the input is the target; a special case of regression)',
};

export const DEFAULT_SEED = 11;
export const N = 50;
export const STEPS = 3000;
export const LR = 0.01;
/** The line the points lie near: unit direction (2, 1, −2)/3, spread 2.85 along it, isotropic noise 0.3 off it. */
export const DIRECTION = [2 / 3, 1 / 3, -2 / 3];
export const SPREAD = 2.85;
export const NOISE = 0.3;

/** 50 points near the line, centred (column means subtracted), float64 [N, 3]. */
export function makeData(g: Generator): Tensor {
  const t = randn([N, 1], { dtype: 'float64', generator: g }).mul(SPREAD);
  const x = t.matmul(tensor([DIRECTION], { dtype: 'float64' })).add(randn([N, 3], { dtype: 'float64', generator: g }).mul(NOISE));
  return x.sub(x.mean(0, true));
}

/** C = XᵀX / N of centred rows (the 1/N covariance, matching the mean reconstruction error). */
export function covariance(x: Tensor): number[][] {
  const c = x.transpose(0, 1).matmul(x).div(x.shape[0]);
  return [0, 1, 2].map((i) => [0, 1, 2].map((j) => c.data[i * 3 + j]));
}

/**
 * Eigenvalues (descending) and eigenvectors (as columns of `vectors`) of a symmetric 3×3 matrix, by cyclic Jacobi
 * rotations: each rotation zeroes one off-diagonal entry, and the off-diagonal mass shrinks quadratically.
 */
export function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  const a = m.map((r) => r.slice());
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    if (off < 1e-30) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]]) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1);
      const s = t * c;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = c * akp - s * akq;
        a[k][q] = s * akp + c * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = c * apk - s * aqk;
        a[q][k] = s * apk + c * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p], vkq = v[k][q];
        v[k][p] = c * vkp - s * vkq;
        v[k][q] = s * vkp + c * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  return { values: order.map((i) => a[i][i]), vectors: v.map((row) => order.map((i) => row[i])) };
}

export interface AutoencoderResult {
  seed: number;
  /** The centred data, row-major [N·3]. */
  data: number[];
  eigenvalues: number[];
  /** trace(C) − λ₁: the smallest mean summed squared error of any rank-1 reconstruction. */
  pcaError: number;
  /** The trained autoencoder's mean summed squared error, 3 × its MSE loss. */
  aeError: number;
  /** |cos| of the angle between the decoder weight (a 3-vector) and the first principal direction. */
  decoderAlignment: number;
  /**
   * Whether the loss's recorded graph has the input tensor as its only data (a leaf without gradient, more than one
   * element): the target is the input itself, no label tensor enters.
   */
  targetIsInput: boolean;
  /** Summed reconstruction error every 50 steps, [step, error]. */
  curve: Array<[number, number]>;
}

/** The leaves of the graph recorded for `t` that are data: no gradient, more than one element (not a constant). */
function dataLeaves(t: Tensor): Set<Tensor> {
  const leaves = new Set<Tensor>();
  const seen = new Set<Tensor>();
  const stack = [t];
  while (stack.length > 0) {
    const u = stack.pop()!;
    if (seen.has(u)) continue;
    seen.add(u);
    if (u.node !== null) stack.push(...u.node.inputs);
    else if (!u.requiresGrad && u.size > 1) leaves.add(u);
  }
  return leaves;
}

/** Trains the 3 → 1 → 3 linear autoencoder with Adam on full batches. */
export function train(seed: number): AutoencoderResult {
  const g = new Generator(seed);
  const x = makeData(g);
  const model = new nn.Sequential(new nn.Dense(3, 1, { dtype: 'float64', generator: g }), new nn.Dense(1, 3, { dtype: 'float64', generator: g }));
  const opt = new optim.Adam(model.parameters(), { lr: LR });
  const target = x; // self-supervised: the target is the input, not a label
  const curve: Array<[number, number]> = [];
  let loss = 0;
  let targetIsInput = false;
  for (let step = 0; step <= STEPS; step++) {
    opt.zeroGrad();
    const l = nn.mseLoss(model.forward(x), target);
    loss = l.item();
    if (step === 0) {
      const leaves = dataLeaves(l);
      targetIsInput = leaves.size === 1 && leaves.has(x);
    }
    if (step % 50 === 0) curve.push([step, 3 * loss]);
    if (step === STEPS) break; // the last pass only measures the trained model
    l.backward();
    opt.step();
  }
  const { values, vectors } = symmetricEigen(covariance(x));
  const decoder = Array.from((model.layers[1] as nn.Dense).weight.data); // weight [3, 1]
  const v1 = vectors.map((row) => row[0]);
  const dot = decoder.reduce((s, d, i) => s + d * v1[i], 0);
  const norm = Math.hypot(...decoder);
  return {
    seed, data: Array.from(x.data), eigenvalues: values,
    pcaError: values[1] + values[2], aeError: 3 * loss,
    decoderAlignment: Math.abs(dot) / norm, targetIsInput, curve,
  };
}

export function run(options: { seed?: number } = {}): ExampleResult & AutoencoderResult {
  const r = train(options.seed ?? DEFAULT_SEED);
  const [l1, l2, l3] = r.eigenvalues;
  const plot = lineChart({
    name: 'reconstruction', title: 'linear autoencoder 3 → 1 → 3: its error falls to the PCA optimum',
    x: { label: 'step' }, y: { label: 'mean summed squared error (log scale)', log: true },
    series: [
      { name: 'autoencoder', points: r.curve },
      { name: 'PCA: trace − λ₁', points: [[0, r.pcaError], [STEPS, r.pcaError]] },
    ],
  });
  return {
    ...r, plots: [plot],
    summary: `linear AE error ${r.aeError.toFixed(4)} = PCA optimum trace − λ₁ = ${r.pcaError.toFixed(4)} (|Δ| ${Math.abs(r.aeError - r.pcaError).toExponential(1)}), ` +
      'trained with the input as its own target: self-supervised regression',
    agrees: 'yes',
    lines: [
      'question: (a) are autoencoders supervised or unsupervised? (b) which ML task (classification, regression, density estimation) are they?',
      'key: (a) no labels, so unsupervised, but trained with supervised techniques on the input as target: self-supervised; (b) a special case of regression (sometimes density estimation)',
      `demo: ${N} centred points near a line in 3-D (seed ${r.seed}); covariance eigenvalues ${l1.toFixed(4)}, ${l2.toFixed(4)}, ${l3.toFixed(4)}`,
      `  a linear autoencoder nn.Dense(3, 1) → nn.Dense(1, 3), no activation, nn.mseLoss(model(x), x), Adam lr ${LR}, ${STEPS} full-batch steps: no label anywhere, the target tensor is the input itself`,
      `  reconstruction error (mean over points, summed over the 3 coordinates) ${r.aeError.toFixed(4)}; PCA's optimum for one component, trace − λ₁ = λ₂ + λ₃ = ${r.pcaError.toFixed(4)} ` +
        `(|Δ| = ${Math.abs(r.aeError - r.pcaError).toExponential(1)}); the decoder's direction matches the first principal axis (|cos| = ${r.decoderAlignment.toFixed(6)})`,
      'result: the autoencoder is a regression of x on itself through a bottleneck, fitted without labels, and the linear one is PCA: the key (self-supervised; regression) is right',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
