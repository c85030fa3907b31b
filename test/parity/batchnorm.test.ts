/**
 * Parity with TensorFlow.js: tf.batchNorm fed the batch moments (tf.moments, biased variance) is training-mode batch
 * normalisation, and tf.grads differentiates through the moments, so values and gradients w.r.t. x, scale and
 * offset must agree with tapegrad's train-mode batchNorm. tfjs is channels-last; tapegrad channels-first (dim 1).
 */
import { describe, it } from 'vitest';
import { Generator, randn } from '../../src/index.js';
import { batchNorm } from '../../src/ops/norm.js';
import { NCHW_TO_NHWC, NHWC_TO_NCHW, expectMatchesTf, fromTf, tf, toTf } from './tfjs.js';

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

      const xT = toTf(x, toLast);
      const dyT = toTf(dy, toLast);
      const scale = toTf(w);
      const offset = toTf(b);
      const axes = toLast.slice(0, -1).map((_, i) => i); // every channels-last dim but the last
      const f = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
        const { mean, variance } = tf.moments(xs, axes);
        return tf.batchNorm(xs, mean, variance, o, s, eps);
      };
      const yTf = f(xT, scale, offset);
      const [dxTf, dsTf, doTf] = tf.grads((xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(xs, s, o), dyT)))([xT, scale, offset]);

      expectMatchesTf(y.data, fromTf(yTf, toFirst), 'y');
      expectMatchesTf(x.grad!.data, fromTf(dxTf, toFirst), 'dx');
      expectMatchesTf(w.grad!.data, dsTf.dataSync(), 'dweight');
      expectMatchesTf(b.grad!.data, doTf.dataSync(), 'dbias');
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

    const xT = toTf(x, NCHW_TO_NHWC);
    const dyT = toTf(dy, NCHW_TO_NHWC);
    const f = (xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor): tf.Tensor => {
      const { mean, variance } = tf.moments(xs, [0, 1, 2]);
      return tf.batchNorm(xs, mean, variance, o, s, 1e-5);
    };
    const scale = toTf(w);
    const offset = toTf(b);
    const [dxTf, dsTf, doTf] = tf.grads((xs: tf.Tensor, s: tf.Tensor, o: tf.Tensor) => tf.sum(tf.mul(f(xs, s, o), dyT)))([xT, scale, offset]);
    expectMatchesTf(y.data, fromTf(f(xT, scale, offset), NHWC_TO_NCHW), 'y');
    expectMatchesTf(x.grad!.data, fromTf(dxTf, NHWC_TO_NCHW), 'dx');
    expectMatchesTf(w.grad!.data, dsTf.dataSync(), 'dweight');
    expectMatchesTf(b.grad!.data, doTf.dataSync(), 'dbias');
  });
});
