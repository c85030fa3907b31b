/**
 * Argument checks shared by the layers, losses, data loaders and optimizers: each throws a TypeError or RangeError
 * that names the owner (the op, layer or optimizer), the argument and the offending value.
 * @module
 */
import { Tensor } from './tensor.js';
import { formatShape } from './shape.js';
import { Generator } from './random.js';

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

/** Throws a TypeError unless `value` is a number, and a RangeError naming `owner`, `name` and the value unless it is finite. */
export function checkFinite(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${owner}: ${name} must be a finite number, got ${value}`);
  return value;
}

/** Throws a TypeError naming `owner`, `name` and the value unless `value` is a boolean. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new TypeError(`${owner}: ${name} must be true or false, got ${describe(value)}`);
  return value;
}

/**
 * A PyTorch option that tapegrad does not implement (ceilMode on the pools, groups on Conv2d, ...): naming it gets a
 * RangeError saying so, rather than the "unknown option" of a typo, so that a PyTorch user learns it is missing.
 */
export interface UnsupportedOption {
  /**
   * True for the values that ask for what tapegrad does anyway (PyTorch's default, such as `ceilMode: false` or
   * `groups: 1`): code ported from PyTorch may spell them out, and they change nothing, so they are accepted.
   */
  harmless?: (value: unknown) => boolean;
  /** What to do instead, appended to the message. */
  hint?: string;
}

/** PyTorch's `inplace` flag (dropout, activations), which tapegrad lacks: every op makes a new tensor. */
export const INPLACE_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  inplace: { harmless: (v) => v === false, hint: 'every op returns a new tensor; assign the result instead' },
};

/** PyTorch's `device` option of the layers: tapegrad computes on the CPU only. */
export const LAYER_DEVICE_UNSUPPORTED: Readonly<Record<string, UnsupportedOption>> = {
  device: { harmless: (v) => v === 'cpu', hint: 'tapegrad computes on the CPU only' },
};

/** 'batch_size' → 'batchSize'. */
function camelCase(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Throws a TypeError if `options` is not a plain options object or has a key outside `allowed` (catches typos such
 * as `weight_decay`, and suggests the camelCase name when there is one), naming `owner`, the key and the allowed
 * keys; and a RangeError naming the option if it is one of the `unsupported` PyTorch options with a value other than
 * a harmless one. An unsupported option given as undefined is ignored, as an allowed one is.
 */
export function checkOptionKeys(
  owner: string, options: object, allowed: readonly string[], unsupported: Readonly<Record<string, UnsupportedOption>> = {},
): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError(`${owner}: options must be an object, got ${describe(options)}`);
  }
  const expected = allowed.length === 0 ? 'it takes no options' : `expected ${allowed.join(', ')}`;
  for (const [key, value] of Object.entries(options)) {
    if (allowed.includes(key)) continue;
    if (Object.hasOwn(unsupported, key)) {
      const { harmless, hint } = unsupported[key];
      if (value === undefined || harmless?.(value) === true) continue;
      throw new RangeError(`${owner}: option '${key}' is not supported by tapegrad, got ${describe(value)}${hint === undefined ? '' : ` (${hint})`}`);
    }
    const camel = camelCase(key);
    const suggestion = camel !== key && (allowed.includes(camel) || Object.hasOwn(unsupported, camel)) ? `; did you mean '${camel}'?` : '';
    throw new TypeError(`${owner}: unknown option '${key}' (${expected})${suggestion}`);
  }
}

/** Throws a TypeError naming `owner` and the value unless `value` is undefined or a {@link Generator}. */
export function checkGenerator(owner: string, value: unknown): Generator | undefined {
  if (value !== undefined && !(value instanceof Generator)) {
    throw new TypeError(`${owner}: generator must be a Generator (e.g. new Generator(0)), got ${describe(value)}`);
  }
  return value;
}
