/**
 * Argument checks shared by the layers, losses, data loaders and optimizers: each throws a TypeError or RangeError
 * that names the owner (the op, layer or optimizer), the argument and the offending value.
 * @module
 */
import { Tensor } from './tensor.js';
import { formatShape } from './shape.js';

/** A short description of a bad value for an error message. */
export function describe(value: unknown): string {
  if (value instanceof Tensor) return `a Tensor of shape ${formatShape(value.shape)}`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  return typeof value;
}

/** Bounds of {@link checkNumber}: lower and upper bounds, each inclusive unless said otherwise. */
export interface NumberBounds {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
}

/**
 * Throws a TypeError unless `value` is a number, and a RangeError naming `owner`, `name` and the value unless it is
 * finite and within the bounds (default: ≥ 0).
 */
export function checkNumber(owner: string, name: string, value: unknown, bounds: NumberBounds = {}): number {
  const { min = 0, max = Infinity, minExclusive = false, maxExclusive = false } = bounds;
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be a number, got ${describe(value)}`);
  const aboveMin = minExclusive ? value > min : value >= min;
  const belowMax = maxExclusive ? value < max : value <= max;
  if (!Number.isFinite(value) || !aboveMin || !belowMax) {
    const range = max === Infinity
      ? `${minExclusive ? '>' : '≥'} ${min}`
      : `in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
    throw new RangeError(`${owner}: ${name} must be a finite number ${range}, got ${value}`);
  }
  return value;
}

/** Throws a TypeError naming `owner`, `name` and the value unless `value` is a boolean. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/** Throws a TypeError if `options` has a key outside `allowed` (catches typos such as `weight_decay`). */
export function checkOptionKeys(owner: string, options: object, allowed: readonly string[]): void {
  if (options === null || typeof options !== 'object') throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new TypeError(`${owner}: unknown option '${key}' (expected ${allowed.join(', ')})`);
  }
}
