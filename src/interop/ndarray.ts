/**
 * Interop with the scijs `ndarray` ecosystem (get-pixels, save-pixels, ndarray-fft, ...): the `tapegrad/ndarray`
 * entry point.
 *
 * This lives in its own entry, and the core entry `tapegrad` must never import it (a test walks the core's imports
 * to keep it so): ndarray and ndarray-ops generate their loops at run time with `new Function`, which a strict
 * Content-Security-Policy (no `unsafe-eval`) forbids, so merely importing them would break tapegrad in such pages.
 * For contiguous data those generated loops are also slower than tapegrad's plain kernels, so only code that
 * actually exchanges data with scijs pays for them.
 * @module tapegrad/ndarray
 */
import ndarray from 'ndarray';
import * as ops from 'ndarray-ops';
import { Tensor } from '../tensor.js';
import { type DType, type TypedArray, allocate, checkDType } from '../dtype.js';
import { sizeOf } from '../shape.js';

/**
 * An ndarray of any element storage (typed array, plain array, or a get/set generic array).
 * @example `toNdarray(tensor([[1, 2], [3, 4]])).shape  // [2, 2]`
 */
export type NdArray = ndarray.NdArray<ndarray.Data<number>>;

/**
 * Options of {@link fromNdarray}.
 * @example `fromNdarray(toNdarray(tensor([1, 2])), { dtype: 'float64' }).dtype  // 'float64'`
 */
export interface FromNdarrayOptions {
  /** The tensor's dtype; by default float64 for a Float64Array source and float32 for anything else. */
  dtype?: DType;
  /** Make the result a leaf that records the ops applied to it (default false). */
  requiresGrad?: boolean;
}

/**
 * Copies any ndarray into a new contiguous row-major tensor of the same shape. Views of every kind are read
 * through their strides and offset: a transposed `.transpose(1, 0)`, a sliced `.hi(...).lo(...)`, a reversed
 * `.step(-1)`, a `.pick(...)`. The tensor shares nothing with the source.
 *
 * The dtype follows the source data unless `dtype` is given: a Float64Array gives float64; every other storage
 * (Float32Array, integer typed arrays, plain arrays) gives float32. BigInt storage is refused (its values do not
 * convert to floats implicitly).
 * @example
 * ```ts
 * import ndarray from 'ndarray';
 * import { fromNdarray } from 'tapegrad/ndarray';
 * const a = ndarray(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
 * fromNdarray(a.transpose(1, 0)).toArray();   // [[1, 4], [2, 5], [3, 6]]
 * fromNdarray(a.hi(2, 2).lo(0, 1)).toArray(); // [[2], [5]]
 * ```
 */
export function fromNdarray(array: NdArray, options: FromNdarrayOptions = {}): Tensor {
  if (array === null || typeof array !== 'object' || !Array.isArray(array.shape) || !Array.isArray(array.stride)) {
    throw new TypeError('fromNdarray: expected an ndarray (an object with data, shape, stride and offset)');
  }
  // The types rule BigInt storage out, but plain JavaScript callers can still pass it.
  const kind: string = array.dtype;
  if (kind === 'bigint64' || kind === 'biguint64') {
    throw new TypeError(`fromNdarray: ${kind} data is not supported; convert it to numbers first`);
  }
  const dtype = options.dtype === undefined
    ? (array.data instanceof Float64Array ? 'float64' : 'float32')
    : checkDType(options.dtype, 'fromNdarray');
  const shape = array.shape.slice();
  const out = allocate(dtype, sizeOf(shape));
  // An ndarray over the new storage with default (row-major) strides; assign walks the source view's strides.
  ops.assign(ndarray(out, shape), array);
  return new Tensor(out, shape, { requiresGrad: options.requiresGrad ?? false });
}

/**
 * An ndarray over the tensor's storage, without copying: writes through it change the tensor (and bypass
 * autograd, like any in-place write to `.data`). Its shape is the tensor's shape with row-major strides; a scalar
 * tensor gives a 0-d ndarray (`.get()` with no indices). It views the storage the tensor has now: if `.data` is later
 * replaced by another array, the ndarray keeps the old one.
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * import { toNdarray } from 'tapegrad/ndarray';
 * const t = tensor([[1, 2], [3, 4]]);
 * const a = toNdarray(t);
 * a.get(1, 0);      // 3
 * a.set(0, 1, 20);  // t.toArray() is now [[1, 20], [3, 4]]
 * ```
 */
export function toNdarray(t: Tensor): ndarray.NdArray<TypedArray> {
  if (!(t instanceof Tensor)) throw new TypeError('toNdarray: expected a Tensor');
  return ndarray(t.data, t.shape.slice());
}
