/**
 * TensorFlow.js as the parity tests' independent oracle: its core with the cpu backend and every gradient
 * registered, the backend chosen before any test file that imports `tf` from here runs, and the conversions between
 * tapegrad's channels-first layouts and tfjs's channels-last ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Tensor } from '../../src/index.js';
import { expectClose } from '../helpers.js';

await tf.setBackend('cpu');

export { tf };

/** [N, C, H, W] → [N, H, W, C]: an image batch as tfjs lays it out. */
export const NCHW_TO_NHWC = [0, 2, 3, 1];
/** [N, H, W, C] → [N, C, H, W]: back to tapegrad's layout. */
export const NHWC_TO_NCHW = [0, 3, 1, 2];
/** Conv2d weights [out, in, kh, kw] → tfjs filters [kh, kw, in, out]. */
export const OIHW_TO_HWIO = [2, 3, 1, 0];
/** tfjs filters [kh, kw, in, out] → conv2d weights [out, in, kh, kw]. */
export const HWIO_TO_OIHW = [3, 2, 0, 1];

/** A tapegrad tensor's values as a float32 tfjs tensor, permuted by `dims` first when given (outside autograd). */
export function toTf(t: Tensor, dims?: readonly number[]): tf.Tensor {
  const p = dims ? t.detach().permute([...dims]) : t;
  return tf.tensor(Float32Array.from(p.data), [...p.shape]);
}

/** A tfjs tensor permuted by `dims`, as the flat array to compare with a tapegrad tensor's data. */
export function fromTf(t: tf.Tensor, dims: readonly number[]): Float32Array {
  return tf.transpose(t, [...dims]).dataSync() as Float32Array;
}

/**
 * How close tapegrad must come to tfjs: both compute in float32, but they sum in different orders (and tfjs's
 * gradients go through other formulas), so agreement is to about 1e-4 relative, not to float32's last bits.
 */
export const TF_RTOL = 1e-4;

/** {@link expectClose} at {@link TF_RTOL}, with `what` naming the compared quantity in failure messages. */
export function expectMatchesTf(actual: ArrayLike<number>, expected: ArrayLike<number>, what?: string): void {
  expectClose(actual, expected, TF_RTOL, { what });
}
