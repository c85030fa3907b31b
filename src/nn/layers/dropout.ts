/**
 * Dropout: inverted dropout in training mode, the identity in eval mode.
 * @module
 */
import type { Tensor } from '../../tensor.js';
import type { Generator } from '../../random.js';
import { INPLACE_UNSUPPORTED, checkGenerator, checkOptionKeys } from '../../checks.js';
import { checkDropoutP, dropout } from '../../ops/dropout.js';
import { Module } from '../module.js';

/**
 * Options of {@link Dropout}.
 * @example `new nn.Dropout(0.5, { generator: new Generator(1) }).eval().forward(ones([3]))  // [1, 1, 1]`
 */
export interface DropoutLayerOptions {
  /**
   * Where every mask comes from (default: the default generator, read at each forward, so manualSeed applies).
   * A layer's own generator makes its masks reproducible independently of other random draws.
   */
  generator?: Generator;
}

/**
 * Zeroes each element with probability p during training and scales the survivors by 1/(1 − p) (inverted
 * dropout, as PyTorch's nn.Dropout); the identity after eval().
 * @example
 * ```ts
 * import { nn, ones, Generator } from 'tapegrad';
 * const drop = new nn.Dropout(0.25, { generator: new Generator(0) });
 * drop.forward(ones([2, 8]));   // entries 0 or 4/3
 * drop.eval().forward(ones([2, 8])); // all ones
 * ```
 */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  /** The generator of the masks, or undefined for the default generator. */
  readonly generator: Generator | undefined;

  /** @param p probability of zeroing each element, in [0, 1) (default 0.5) */
  constructor(p = 0.5, options: DropoutLayerOptions = {}) {
    super();
    this.p = checkDropoutP(p, 'Dropout');
    // PyTorch's second argument is inplace (nn.Dropout(0.5, True)): a port's flag gets the "not supported" message.
    const given: unknown = options;
    const opts = typeof given === 'boolean' ? { inplace: given } : options;
    checkOptionKeys('Dropout', opts, ['generator'], INPLACE_UNSUPPORTED);
    this.generator = checkGenerator('Dropout', (opts as DropoutLayerOptions).generator);
  }

  forward(x: Tensor): Tensor {
    return dropout(x, { p: this.p, training: this.training, generator: this.generator });
  }

  override describe(): string {
    return `Dropout(p: ${this.p})`;
  }
}
