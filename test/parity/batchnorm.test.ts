/**
 * Parity with TensorFlow.js: tf.batchNorm fed the batch moments (tf.moments, biased variance) is training-mode batch
 * normalisation, and tf.grads differentiates through the moments, so values and gradients w.r.t. x, scale and
 * offset must agree with tapegrad's train-mode batchNorm. tfjs is channels-last; tapegrad channels-first (dim 1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { Generator, randn } from '../../src/index.js';
import { batchNorm } from '../../src/ops/norm.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** |a − b| ≤ rtol·max(1, |b|) elementwise, with a message naming the element. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what} element ${i}: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected[i])));
  }
}

// channels-first shape, the permutation that makes it channels-last, and the one back
const CASES: Array<[string, number[], number[], number[]]> = [
  ['(N, C)', [8, 5], [0, 1], [0, 1]],
  ['(N, C, L)', [4, 3, 7], [0, 2, 1], [0, 2, 1]],
  ['(N, C, H, W)', [3, 4, 5, 6], [0, 2, 3, 1], [0, 3, 1, 2]],
];

describe('batchNorm (training mode) vs tf.batchNorm with tf.moments', () => {
  CASES.forEach(([label, shape, toLast, toFirst], k) => {
    it(`${label} ${JSON.stringify(shape)}: forward, and gradients w.r.t. x, scale and offset`, () => {
      const g = new Generator(500 + k);
      const C = shape[1];
      const eps = 1e-3;
      const x = randn(shape, { generator: g }).mul(2).add(0.7).requiresGrad_();
      const w = randn([C], { generator: g }).mul(0.5).add(1).requiresGrad_();
      const b = randn([C], { generator: g, requiresGrad: true });
      const dy = randn(shape, { generator: g });

      const y = batchNorm(x, null, null, w, b, { training: true, eps });
      y.backward(dy);

      const xT = tf.transpose(tf.tensor(Array.from(x.data), shape), toLast);
      const dyT = tf.transpose(tf.tensor(Array.from(dy.data), shape), toLast);
      const scale = tf.tensor1d(Array.from(w.data));
      const offset = tf.tensor1d(Array.from(b.data));
      const axes = toLast.slice(0, -1).map((_, i) => i); // every channels-last dim but the last
      const f = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(xs, axes);
        return tf.batchNorm(xs, mean, variance, o, s, eps);
      };
      const yTf = f(xT, scale, offset);
      const [dxTf, dsTf, doTf] = tf.grads((xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(xs, s, o), dyT)))([xT, scale, offset]);

      expectClose(y.data, tf.transpose(yTf, toFirst).dataSync(), 1e-4, 'y');
      expectClose(x.grad!.data, tf.transpose(dxTf, toFirst).dataSync(), 1e-4, 'dx');
      expectClose(w.grad!.data, dsTf.dataSync(), 1e-4, 'dweight');
      expectClose(b.grad!.data, doTf.dataSync(), 1e-4, 'dbias');
      tf.dispose([xT, dyT, scale, offset, yTf, dxTf, dsTf, doTf]);
    });
  });

  it('larger NCHW batch [8, 6, 7, 5], eps 1e-5', () => {
    const g = new Generator(600);
    const shape = [8, 6, 7, 5];
    const x = randn(shape, { generator: g, requiresGrad: true });
    const w = randn([6], { generator: g, requiresGrad: true });
    const b = randn([6], { generator: g, requiresGrad: true });
    const dy = randn(shape, { generator: g });
    const y = batchNorm(x, null, null, w, b, { training: true });
    y.backward(dy);

    const xT = tf.transpose(tf.tensor(Array.from(x.data), shape), [0, 2, 3, 1]);
    const dyT = tf.transpose(tf.tensor(Array.from(dy.data), shape), [0, 2, 3, 1]);
    const f = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(xs, [0, 1, 2]);
      return tf.batchNorm(xs, mean, variance, o, s, 1e-5);
    };
    const scale = tf.tensor1d(Array.from(w.data));
    const offset = tf.tensor1d(Array.from(b.data));
    const [dxTf, dsTf, doTf] = tf.grads((xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(xs, s, o), dyT)))([xT, scale, offset]);
    expectClose(y.data, tf.transpose(f(xT, scale, offset), [0, 3, 1, 2]).dataSync(), 1e-4, 'y');
    expectClose(x.grad!.data, tf.transpose(dxTf, [0, 3, 1, 2]).dataSync(), 1e-4, 'dx');
    expectClose(w.grad!.data, dsTf.dataSync(), 1e-4, 'dweight');
    expectClose(b.grad!.data, doTf.dataSync(), 1e-4, 'dbias');
  });
});
