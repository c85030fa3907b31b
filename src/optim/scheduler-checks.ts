/**
 * Validation shared by the learning-rate schedulers (the LRScheduler subclasses and ReduceLROnPlateau): their
 * constructors and loadStateDict check settings and saved state with these, so every scheduler words its errors the
 * same way.
 * @module
 */
import { Optimizer } from './optimizer.js';
import { checkNumber, describe } from '../checks.js';

/** Throws a TypeError/RangeError naming `owner`, `name` and the value unless `value` is an integer ≥ `min`. */
export function checkInteger(owner: string, name: string, value: unknown, min: number): number {
  if (typeof value !== 'number') throw new TypeError(`${owner}: ${name} must be an integer, got ${describe(value)}`);
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${owner}: ${name} must be an integer ≥ ${min}, got ${value}`);
  return value;
}

/** Throws a TypeError naming `owner` unless `optimizer` is an {@link Optimizer}. */
export function checkOptimizer(owner: string, optimizer: unknown): Optimizer {
  if (!(optimizer instanceof Optimizer)) throw new TypeError(`${owner}: expected an optimizer, got ${describe(optimizer)}`);
  return optimizer;
}

/** Throws unless `value` is an array of `groups` valid learning rates (one per parameter group); returns it as numbers. */
export function checkLrList(owner: string, name: string, value: unknown, groups: number): number[] {
  if (!Array.isArray(value) || value.length !== groups) {
    throw new RangeError(`${owner}: ${name} must be an array of ${groups} learning rates (one per parameter group), got ${describe(value)}`);
  }
  return value.map((v: unknown, i) => checkNumber(owner, `${name}[${i}]`, v));
}

/** Throws unless `dict` is an object with exactly the keys `expected`. */
export function checkKeys(owner: string, dict: unknown, expected: string[]): asserts dict is Record<string, unknown> {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new TypeError(`${owner}: expected a state dict object, got ${describe(dict)}`);
  const missing = expected.filter((k) => !Object.hasOwn(dict, k));
  const unknown = Object.keys(dict).filter((k) => !expected.includes(k));
  if (missing.length > 0 || unknown.length > 0) {
    const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
    throw new RangeError(`${owner}: the state dict does not match (${parts.join('; ')})`);
  }
}
