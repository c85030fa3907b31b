/**
 * Parity with TensorFlow.js (cpu backend) as an independent oracle: conv2d, max pooling and average pooling, forward
 * values and gradients, on seeded random float32 inputs. tfjs is NHWC with filters [kh, kw, in, out]; tapegrad is
 * NCHW with weights [out, in, kh, kw], so every tensor crosses over through a permute.
 */
import { describe, expect, it } from 'vitest';
import { Generator, randn } from '../../src/index.js';
import { conv2d, type Conv2dOptions } from '../../src/ops/conv.js';
import { avgPool2d, maxPool2d } from '../../src/ops/pool.js';
import { HWIO_TO_OIHW, NCHW_TO_NHWC, NHWC_TO_NCHW, OIHW_TO_HWIO, expectMatchesTf, fromTf, tf, toTf } from './tfjs.js';

const rnd = (shape: number[], g: Generator) => randn(shape, { generator: g });

type Pair = [number, number];
/** tfjs's explicit padding: [before, after] for each of N, H, W, C. */
type ExplicitPadding = [Pair, Pair, Pair, Pair];

describe('conv2d vs tf.conv2d', () => {
  const cases: Array<{ label: string; x: number[]; w: number[]; stride: Pair; pad: Pair | 'same'; dilation?: Pair }> = [
    { label: '3×3, stride 1, padding 1', x: [2, 3, 8, 7], w: [4, 3, 3, 3], stride: [1, 1], pad: [1, 1] },
    { label: 'non-square kernel, stride 2, padding [1, 2]', x: [2, 2, 9, 8], w: [3, 2, 3, 5], stride: [2, 2], pad: [1, 2] },
    { label: 'stride [2, 3], no padding', x: [1, 4, 11, 10], w: [2, 4, 2, 3], stride: [2, 3], pad: [0, 0] },
    { label: "'same' with an even kernel", x: [2, 3, 7, 6], w: [5, 3, 4, 2], stride: [1, 1], pad: 'same' },
  ];

  for (const c of cases) {
    it(`${c.label}: forward and the gradients w.r.t. input, filter and bias`, () => {
      const g = new Generator(101);
      const x = rnd(c.x, g).requiresGrad_();
      const w = rnd(c.w, g).requiresGrad_();
      const b = rnd([c.w[0]], g).requiresGrad_();
      const options: Conv2dOptions = { stride: c.stride, padding: c.pad };
      const y = conv2d(x, w, b, options);
      const v = rnd([...y.shape], g); // the upstream gradient
      y.backward(v);

      const pad = c.pad === 'same' ? 'same' : ([[0, 0], [c.pad[0], c.pad[0]], [c.pad[1], c.pad[1]], [0, 0]] as ExplicitPadding);
      const tx = toTf(x, NCHW_TO_NHWC) as tf.Tensor4D;
      const tw = toTf(w, OIHW_TO_HWIO) as tf.Tensor4D;
      const tb = tf.tensor1d(Float32Array.from(b.data));
      const tv = toTf(v, NCHW_TO_NHWC);
      const forward = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.add(tf.conv2d(xx as tf.Tensor4D, ww as tf.Tensor4D, c.stride, pad), bb);
      expectMatchesTf(y.data, fromTf(forward(tx, tw, tb), NHWC_TO_NCHW));
      const [dx, dw, db] = tf.grads((xx, ww, bb) => tf.sum(tf.mul(forward(xx, ww, bb), tv)))([tx, tw, tb]);
      expectMatchesTf(x.grad!.data, fromTf(dx, NHWC_TO_NCHW));
      expectMatchesTf(w.grad!.data, fromTf(dw, HWIO_TO_OIHW));
      expectMatchesTf(b.grad!.data, db.dataSync());
    });
  }

  it('dilation [2, 3] (forward: tfjs has no gradients for dilated convolutions)', () => {
    const g = new Generator(102);
    const x = rnd([2, 3, 9, 10], g);
    const w = rnd([4, 3, 3, 2], g);
    const y = conv2d(x, w, null, { padding: [2, 1], dilation: [2, 3] });
    const pad: ExplicitPadding = [[0, 0], [2, 2], [1, 1], [0, 0]];
    const ty = tf.conv2d(toTf(x, NCHW_TO_NHWC) as tf.Tensor4D, toTf(w, OIHW_TO_HWIO) as tf.Tensor4D, 1, pad, 'NHWC', [2, 3]);
    expect(y.shape).toEqual([2, 4, ty.shape[1], ty.shape[2]]);
    expectMatchesTf(y.data, fromTf(ty, NHWC_TO_NCHW));
  });
});

describe('pooling vs tf.maxPool and tf.avgPool', () => {
  const cases: Array<{ label: string; x: number[]; k: Pair; s: Pair; p: number }> = [
    { label: '2×2 stride 2', x: [2, 3, 8, 6], k: [2, 2], s: [2, 2], p: 0 },
    { label: '3×3 stride 2 padding 1, odd sizes', x: [2, 2, 7, 9], k: [3, 3], s: [2, 2], p: 1 },
    { label: 'non-square 3×2 kernel, stride [1, 2], padding 1', x: [1, 3, 6, 7], k: [3, 2], s: [1, 2], p: 1 },
    { label: 'stride 3 > kernel 2', x: [1, 2, 10, 8], k: [2, 2], s: [3, 3], p: 0 },
  ];

  // NOTE: explicit padding, not tfjs's numeric pad: with a number, tfjs sizes both output dims from the kernel
  // height and stride height (computeOutputShape2D), which is wrong for non-square windows.
  const explicit = (p: number): ExplicitPadding => [[0, 0], [p, p], [p, p], [0, 0]];

  for (const c of cases) {
    it(`maxPool2d, ${c.label}: forward and input gradient`, () => {
      const g = new Generator(201);
      const x = rnd(c.x, g).requiresGrad_();
      const y = maxPool2d(x, { kernelSize: c.k, stride: c.s, padding: c.p });
      const v = rnd([...y.shape], g);
      y.backward(v);
      const tx = toTf(x, NCHW_TO_NHWC) as tf.Tensor4D;
      const tv = toTf(v, NCHW_TO_NHWC);
      expectMatchesTf(y.data, fromTf(tf.maxPool(tx, c.k, c.s, explicit(c.p)), NHWC_TO_NCHW));
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, c.k, c.s, explicit(c.p)), tv)))(tx);
      expectMatchesTf(x.grad!.data, fromTf(dx, NHWC_TO_NCHW));
    });

    it(`avgPool2d, ${c.label}: forward and input gradient`, () => {
      const g = new Generator(202);
      const x = rnd(c.x, g);
      const tx = toTf(x, NCHW_TO_NHWC) as tf.Tensor4D;
      // tfjs's average leaves padding out of each divisor, which is countIncludePad: false
      const y = avgPool2d(x, { kernelSize: c.k, stride: c.s, padding: c.p, countIncludePad: false });
      expectMatchesTf(y.data, fromTf(tf.avgPool(tx, c.k, c.s, explicit(c.p)), NHWC_TO_NCHW));
      // NOTE: tfjs-cpu's AvgPoolGrad always divides by kh·kw, even where its forward divided by fewer taps, so its
      // gradient is the one of countIncludePad: true (the two agree when there is no padding).
      const xg = x.detach().requiresGrad_();
      const yg = avgPool2d(xg, { kernelSize: c.k, stride: c.s, padding: c.p, countIncludePad: true });
      const v = rnd([...yg.shape], g);
      yg.backward(v);
      const tv = toTf(v, NCHW_TO_NHWC);
      const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(xx as tf.Tensor4D, c.k, c.s, explicit(c.p)), tv)))(tx);
      expectMatchesTf(xg.grad!.data, fromTf(dx, NHWC_TO_NCHW));
    });
  }
});
