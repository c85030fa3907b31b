/**
 * Sequential: modules applied one after another; children are named '0', '1', ... as in PyTorch, so state dict
 * keys read '0.weight', '3.bias'.
 * @module
 */
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';
import { describe } from '../../checks.js';

/**
 * A chain of modules: forward(x) = mₙ(...m₂(m₁(x))).
 * @example
 * ```ts
 * import { nn, randn } from 'tapegrad';
 * const mlp = new nn.Sequential(new nn.Dense(784, 256), new nn.ReLU(), new nn.Dense(256, 10));
 * mlp.forward(randn([64, 784])).shape; // [64, 10]
 * ```
 */
export class Sequential extends Module {
  /** The layers, in the order they are applied. */
  readonly layers: readonly Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module, got ${describe(m)}`);
    });
    this.layers = layers;
  }

  override namedChildren(): Array<[string, Module]> {
    return this.layers.map((m, i) => [String(i), m]);
  }

  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }

  /** The number of layers. */
  get length(): number {
    return this.layers.length;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module {
    // Array.prototype.at truncates (at(0.5) is at(0)) and reads NaN as 0: only an integer names a layer.
    const n = this.layers.length;
    if (typeof index !== 'number') throw new TypeError(`Sequential.at: index must be an integer, got ${describe(index)}`);
    if (!Number.isInteger(index) || index < -n || index >= n) {
      throw new RangeError(`Sequential.at: index ${index} is out of range ${-n}..${n - 1} for ${n} layers (an integer; negative counts from the end)`);
    }
    return this.layers.at(index)!;
  }

  override describe(): string {
    return 'Sequential';
  }
}
