/**
 * Activation layers: modules around the activation ops, for use in Sequential.
 * @module
 */
import type { Tensor } from '../../tensor.js';
import { leakyRelu, logSoftmax, relu, sigmoid, softmax, tanh } from '../../ops/activation.js';
import { flatten } from '../../ops/movement.js';
import { Module } from '../module.js';
import { INPLACE_UNSUPPORTED, checkOptionKeys, describe } from '../../checks.js';

/**
 * Rejects PyTorch's `inplace` flag, given as the options' key or as a bare boolean (a port of `nn.ReLU(True)`):
 * tapegrad has no in-place ops. False, PyTorch's default, is accepted.
 */
function checkNoInplace(owner: string, options: unknown): void {
  checkOptionKeys(owner, typeof options === 'boolean' ? { inplace: options } : options ?? {}, [], INPLACE_UNSUPPORTED);
}

/** max(x, 0). @example `new nn.ReLU().forward(tensor([-1, 2]))  // [0, 2]` */
export class ReLU extends Module {
  /** @param options none: PyTorch's `inplace` is refused (tapegrad has no in-place ops), except as false */
  constructor(options?: Record<string, never>) {
    super();
    checkNoInplace('ReLU', options);
  }
  forward(x: Tensor): Tensor {
    return relu(x);
  }

  override describe(): string {
    return 'ReLU';
  }
}

/** x for x > 0, negativeSlope·x otherwise (default slope 0.01). @example `new nn.LeakyReLU(0.1)` */
export class LeakyReLU extends Module {
  /**
   * @param negativeSlope the slope for x < 0 (default 0.01)
   * @param options none: PyTorch's `inplace` is refused (tapegrad has no in-place ops), except as false
   */
  constructor(readonly negativeSlope = 0.01, options?: Record<string, never>) {
    super();
    if (typeof negativeSlope !== 'number') throw new TypeError(`LeakyReLU: negativeSlope must be a number, got ${describe(negativeSlope)}`);
    if (!Number.isFinite(negativeSlope)) throw new RangeError(`LeakyReLU: negativeSlope must be finite, got ${negativeSlope}`);
    checkNoInplace('LeakyReLU', options);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override describe(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }
}

/** 1 / (1 + e⁻ˣ). @example `new nn.Sigmoid()` */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }

  override describe(): string {
    return 'Sigmoid';
  }
}

/** tanh(x). @example `new nn.Tanh()` */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }

  override describe(): string {
    return 'Tanh';
  }
}

/** softmax along `dim` (default -1). @example `new nn.Softmax(1)` */
export class Softmax extends Module {
  /** @param dim the dim whose entries sum to 1 (default -1, the last) */
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override describe(): string {
    return `Softmax(dim ${this.dim})`;
  }
}

/** log(softmax(x)) along `dim` (default -1), computed stably. @example `new nn.LogSoftmax(1)` */
export class LogSoftmax extends Module {
  /** @param dim the dim of the softmax (default -1, the last) */
  constructor(readonly dim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override describe(): string {
    return `LogSoftmax(dim ${this.dim})`;
  }
}

/** Dims startDim..endDim merged (default 1..-1: everything but the batch dim). @example `new nn.Flatten()` */
export class Flatten extends Module {
  /**
   * @param startDim the first dim merged (default 1: the batch dim is kept)
   * @param endDim the last dim merged (default -1: the last)
   */
  constructor(readonly startDim = 1, readonly endDim = -1) {
    super();
  }
  forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override describe(): string {
    return 'Flatten';
  }
}

/** Returns its input unchanged (a placeholder, e.g. for an optional layer). @example `new nn.Identity()` */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }

  override describe(): string {
    return 'Identity';
  }
}
