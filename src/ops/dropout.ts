/**
 * Inverted dropout. The mask is drawn from a Generator and applied as a constant factor, x·mask, so the gradient
 * (mask itself) comes from mul's backward and dropout needs no rule of its own.
 * @module
 */
import { Tensor } from '../tensor.js';
import { mul } from './binary.js';
import { allocate } from '../dtype.js';
import { type Generator, defaultGenerator } from '../random.js';
import { INPLACE_UNSUPPORTED, checkBoolean, checkGenerator, checkOptionKeys, describe } from '../checks.js';

/**
 * Options of {@link dropout}; the defaults are PyTorch's.
 * @example `dropout(ones([4]), { p: 0.5, training: false })  // [1, 1, 1, 1]`
 */
export interface DropoutOptions {
  /** Probability of zeroing each element, in [0, 1) (default 0.5). */
  p?: number;
  /** Apply dropout (default true, as `F.dropout`); false returns the input unchanged. */
  training?: boolean;
  /** Where the mask comes from (default: the default generator). */
  generator?: Generator;
}

/**
 * Throws unless `p` is a valid drop probability; `who` names the caller in the message.
 * NOTE: PyTorch accepts p = 1 (everything zeroed); here it is refused, because the survivors' scale 1/(1 − p) is
 * then infinite and a layer that drops everything is almost certainly a mistake.
 * @internal
 */
export function checkDropoutP(p: unknown, who: string): number {
  if (typeof p !== 'number') throw new TypeError(`${who}: p must be a probability in [0, 1), got ${describe(p)}`);
  if (!(p >= 0 && p < 1)) throw new RangeError(`${who}: p must be a probability in [0, 1), got ${p}`);
  return p;
}

/**
 * Inverted dropout: in training each element is zeroed with probability `p` and the survivors are scaled by
 * 1/(1 − p), so the expectation of every element is unchanged and evaluation needs no rescaling. In eval
 * (`training: false`) or with p = 0 it is the identity (the input itself is returned, and no draws are made).
 * Element i is dropped when the generator's i-th uniform draw is below p, so a seed fixes the mask.
 * @example
 * ```ts
 * import { dropout, ones, Generator } from 'tapegrad';
 * const y = dropout(ones([2, 4]), { p: 0.5, generator: new Generator(1) });
 * // each entry is 0 or 2; the same seed gives the same mask
 * dropout(ones([2, 4]), { p: 0.5, training: false }); // all ones
 * ```
 */
export function dropout(x: Tensor, options: DropoutOptions = {}): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`dropout: the input must be a Tensor, got ${describe(x)}`);
  checkOptionKeys('dropout', options, ['p', 'training', 'generator'], INPLACE_UNSUPPORTED);
  const { p = 0.5, training = true, generator } = options;
  checkDropoutP(p, 'dropout');
  checkBoolean('dropout', 'training', training);
  checkGenerator('dropout', generator);
  if (!training || p === 0) return x;
  const g = generator ?? defaultGenerator();
  const scale = 1 / (1 - p);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = g.random() < p ? 0 : scale;
  return mul(x, new Tensor(mask, x.shape));
}
