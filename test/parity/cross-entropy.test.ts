/**
 * Parity with TensorFlow.js on seeded random inputs: tf.losses.softmaxCrossEntropy (one-hot or soft labels) against
 * crossEntropy (class indices through the fused op, or class probabilities), and tf.losses.sigmoidCrossEntropy
 * against binaryCrossEntropyWithLogits — forward values and gradients w.r.t. the logits.
 *
 * tfjs's default reduction is SUM_BY_NONZERO_WEIGHTS, which without weights is the sum divided by the number of
 * losses: the mean over the batch (and over spatial positions), i.e. PyTorch's 'mean' when nothing is ignored or
 * weighted. MEAN without weights is the same; SUM and NONE map to 'sum' and 'none'. tfjs smooths one-hot labels as
 * (1 − ε)·onehot + ε/C, which is PyTorch's label smoothing; it smooths sigmoid labels towards 1/2 as
 * (1 − ε)·y + ε/2, which PyTorch has no option for, so the test smooths the target itself. tfjs takes classes on
 * the last dim; tapegrad on dim 1, so (N, C, d) logits are transposed.
 */
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, randn, tensor } from '../../src/index.js';
import { binaryCrossEntropyWithLogits, crossEntropy, type Reduction } from '../../src/nn/losses.js';
import { expectMatchesTf, tf, toTf } from './tfjs.js';

const REDUCTIONS: Array<[Reduction, tf.Reduction | undefined, string]> = [
  ['mean', undefined, 'the default (SUM_BY_NONZERO_WEIGHTS)'],
  ['mean', tf.Reduction.MEAN, 'MEAN'],
  ['sum', tf.Reduction.SUM, 'SUM'],
  ['none', tf.Reduction.NONE, 'NONE'],
];

/** Backward from `loss` (a random upstream gradient when it is not a scalar); returns that upstream gradient. */
function backwardFrom(loss: Tensor, g: Generator): Tensor | null {
  if (loss.ndim === 0) {
    loss.backward();
    return null;
  }
  const dy = randn(loss.shape, { generator: g });
  loss.backward(dy);
  return dy;
}

/** tf.grad of `f` at `x`, weighted by `dy` when the loss is not a scalar. */
function tfGrad(f: (x: tf.Tensor) => tf.Tensor, x: tf.Tensor, dy: Tensor | null): Float32Array {
  const upstream = dy ? toTf(dy) : null;
  const grad = tf.grad((x: tf.Tensor) => (upstream ? tf.sum(tf.mul(f(x), upstream)) : f(x)))(x);
  return grad.dataSync() as Float32Array;
}

function labelsOf(g: Generator, n: number, c: number): number[] {
  return Array.from({ length: n }, () => g.randint(0, c));
}

describe('crossEntropy vs tf.losses.softmaxCrossEntropy', () => {
  const N = 16;
  const C = 10;

  for (const [reduction, tfReduction, label] of REDUCTIONS) {
    for (const labelSmoothing of [0, 0.1]) {
      it(`class indices (fused op) vs one-hot labels, ${label}, labelSmoothing ${labelSmoothing}: values and d/dlogits`, () => {
        const g = new Generator(700 + labelSmoothing * 10 + REDUCTIONS.findIndex((r) => r[2] === label));
        const logits = randn([N, C], { generator: g }).mul(3).requiresGrad_();
        const labels = labelsOf(g, N, C);
        const loss = crossEntropy(logits, tensor(labels), { reduction, labelSmoothing });
        const dy = backwardFrom(loss, g);

        const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), C), 'float32');
        const f = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, x, undefined, labelSmoothing, tfReduction);
        const x = toTf(logits);
        expectMatchesTf(loss.data, f(x).dataSync(), 'loss');
        expectMatchesTf(logits.grad!.data, tfGrad(f, x, dy), 'dlogits');
      });
    }
  }

  for (const labelSmoothing of [0, 0.2]) {
    it(`class probabilities vs soft labels, labelSmoothing ${labelSmoothing}: values and d/dlogits, mean and none`, () => {
      for (const [reduction, tfReduction] of [['mean', undefined], ['none', tf.Reduction.NONE]] as const) {
        const g = new Generator(720 + labelSmoothing * 10);
        const logits = randn([N, C], { generator: g }).mul(2).requiresGrad_();
        const probs = randn([N, C], { generator: g }).softmax(1);
        const loss = crossEntropy(logits, probs, { reduction, labelSmoothing });
        const dy = backwardFrom(loss, g);

        const soft = toTf(probs);
        const f = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(soft, x, undefined, labelSmoothing, tfReduction);
        const x = toTf(logits);
        expectMatchesTf(loss.data, f(x).dataSync(), `${reduction} loss`);
        expectMatchesTf(logits.grad!.data, tfGrad(f, x, dy), `${reduction} dlogits`);
      }
    });
  }

  it('(N, C, d) logits against tfjs on the transposed (N, d, C) logits: values and d/dlogits, mean and none', () => {
    const [n, c, d] = [3, 5, 4];
    for (const [reduction, tfReduction] of [['mean', undefined], ['none', tf.Reduction.NONE]] as const) {
      const g = new Generator(730);
      const logits = randn([n, c, d], { generator: g }).mul(2).requiresGrad_();
      const labels = labelsOf(g, n * d, c);
      const loss = crossEntropy(logits, tensor(labels).reshape([n, d]), { reduction });
      const dy = backwardFrom(loss, g);

      const onehot = tf.cast(tf.oneHot(tf.tensor2d(labels, [n, d], 'int32'), c), 'float32');
      const f = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, tf.transpose(x, [0, 2, 1]), undefined, 0, tfReduction);
      const x = toTf(logits);
      expectMatchesTf(loss.data, f(x).dataSync(), `${reduction} loss`);
      expectMatchesTf(logits.grad!.data, tfGrad(f, x, dy), `${reduction} dlogits`);
    }
  });

  it('logits 1e4 apart: both finite and equal', () => {
    const values = [0, 1e4, -1e4, 5, 1e4, 0, 3, -2, 1];
    const logits = tensor([values.slice(0, 3), values.slice(3, 6), values.slice(6, 9)], { requiresGrad: true });
    const labels = [0, 2, 1];
    const loss = crossEntropy(logits, tensor(labels), { reduction: 'none' });
    loss.sum().backward();
    const onehot = tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 3), 'float32');
    const f = (x: tf.Tensor) => tf.losses.softmaxCrossEntropy(onehot, x, undefined, 0, tf.Reduction.NONE);
    const x = tf.tensor2d(values, [3, 3]);
    expect(Array.from(loss.data).every(Number.isFinite)).toBe(true);
    expectMatchesTf(loss.data, f(x).dataSync(), 'loss');
    expectMatchesTf(logits.grad!.data, tf.grad((x: tf.Tensor) => tf.sum(f(x)))(x).dataSync(), 'dlogits');
  });
});

describe('binaryCrossEntropyWithLogits vs tf.losses.sigmoidCrossEntropy', () => {
  const shape: [number, number] = [8, 5];

  for (const [reduction, tfReduction, label] of REDUCTIONS) {
    it(`${label}: values and gradients w.r.t. logits and labels, with logits ±1000 among them`, () => {
      const g = new Generator(800 + REDUCTIONS.findIndex((r) => r[2] === label));
      const logits = randn(shape, { generator: g }).mul(4);
      logits.data[0] = 1000;
      logits.data[1] = -1000;
      logits.data[7] = 1000;
      logits.requiresGrad_();
      const targets = randn(shape, { generator: g }).sigmoid().requiresGrad_(); // soft labels in (0, 1)
      const loss = binaryCrossEntropyWithLogits(logits, targets, { reduction });
      const dy = backwardFrom(loss, g);

      const f = (x: tf.Tensor, y: tf.Tensor) => tf.losses.sigmoidCrossEntropy(y, x, undefined, 0, tfReduction);
      const x = toTf(logits);
      const y = toTf(targets);
      const upstream = dy ? toTf(dy) : null;
      const [dx, dlabels] = tf.grads((x: tf.Tensor, y: tf.Tensor) => (upstream ? tf.sum(tf.mul(f(x, y), upstream)) : f(x, y)))([x, y]);
      expect(Array.from(loss.data).every(Number.isFinite)).toBe(true);
      expectMatchesTf(loss.data, f(x, y).dataSync(), 'loss');
      expectMatchesTf(logits.grad!.data, dx.dataSync(), 'dlogits');
      expectMatchesTf(targets.grad!.data, dlabels.dataSync(), 'dlabels');
    });
  }

  it('tfjs label smoothing towards 1/2 equals a target smoothed as (1 − ε)·y + ε/2', () => {
    const g = new Generator(810);
    const eps = 0.3;
    const logits = randn(shape, { generator: g }).mul(3).requiresGrad_();
    const labels = Array.from({ length: 40 }, () => g.randint(0, 2));
    const loss = binaryCrossEntropyWithLogits(logits, tensor(labels).reshape(shape).mul(1 - eps).add(eps / 2));
    loss.backward();
    const f = (x: tf.Tensor) => tf.losses.sigmoidCrossEntropy(tf.tensor2d(labels, shape), x, undefined, eps);
    const x = toTf(logits);
    expectMatchesTf(loss.data, f(x).dataSync(), 'loss');
    expectMatchesTf(logits.grad!.data, tf.grad(f)(x).dataSync(), 'dlogits');
  });

  it('per-element weights with SUM equal weight with reduction sum', () => {
    const g = new Generator(820);
    const logits = randn(shape, { generator: g }).mul(3).requiresGrad_();
    const targets = randn(shape, { generator: g }).sigmoid();
    const weight = randn(shape, { generator: g }).abs();
    const loss = binaryCrossEntropyWithLogits(logits, targets, { weight, reduction: 'sum' });
    loss.backward();
    const w = toTf(weight);
    const f = (x: tf.Tensor) => tf.losses.sigmoidCrossEntropy(toTf(targets), x, w, 0, tf.Reduction.SUM);
    const x = toTf(logits);
    expectMatchesTf(loss.data, f(x).dataSync(), 'loss');
    expectMatchesTf(logits.grad!.data, tf.grad(f)(x).dataSync(), 'dlogits');
  });
});
