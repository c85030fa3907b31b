/**
 * Element types. Storage is a `Float32Array` for 'float32' (the default) or a `Float64Array` for 'float64', which
 * exists so that gradcheck can compare gradients to ~1e-7. Class indices (argmax, gather's index) are stored as
 * exact integers in the same float arrays.
 * @module
 */

/**
 * The element type of a tensor: 'float32' (the default) or 'float64'.
 * @example
 * ```ts
 * import { zeros, type DType } from 'tapegrad';
 * const dtype: DType = 'float64';
 * zeros([2], { dtype }).dtype; // 'float64'
 * ```
 */
export type DType = 'float32' | 'float64';

/**
 * The storage of a tensor: a Float32Array or a Float64Array, row-major.
 * @example
 * ```ts
 * import { tensor, type TypedArray } from 'tapegrad';
 * const data: TypedArray = tensor([[1, 2], [3, 4]]).data; // Float32Array [1, 2, 3, 4]
 * ```
 */
export type TypedArray = Float32Array | Float64Array;

/** The dtype used when none is given. */
export const DEFAULT_DTYPE: DType = 'float32';

/** A new zero-filled storage array of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** The dtype of a storage array. */
export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/** Throws a TypeError unless `value` names a dtype. */
export function checkDType(value: unknown, op: string): DType {
  if (value !== 'float32' && value !== 'float64') {
    // a string is quoted, anything else shown as String shows it (JSON would print NaN and undefined as null/nothing)
    const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
    throw new TypeError(`${op}: unknown dtype ${shown}; expected 'float32' or 'float64'`);
  }
  return value;
}
