/**
 * Module: the base of every layer and model. A module's parameters, buffers and child modules are found among its
 * own properties, in the order they were assigned (so names and orders are stable): a {@link Parameter} is a
 * parameter, a {@link Buffer} is a buffer (state such as running statistics, saved but not trained), a Module is a
 * child. Everything else (stateDict, train/eval, zeroGrad, apply) walks that tree.
 * @module
 */
import { Tensor } from '../tensor.js';
import type { TypedArray } from '../dtype.js';
import { formatShape, shapesEqual } from '../shape.js';
import { ShapeError } from '../errors.js';

/**
 * A tensor that is a module's trainable parameter: a leaf with `requiresGrad` true, found by `parameters()`.
 * @example
 * ```ts
 * import { nn, zeros } from 'tapegrad';
 * const w = new nn.Parameter(zeros([3, 2])); // w.requiresGrad === true
 * ```
 */
export class Parameter extends Tensor {
  constructor(value: Tensor, requiresGrad = true) {
    super(value.data, value.shape, { requiresGrad });
  }
}

/**
 * A tensor that is part of a module's state but not trained (BatchNorm's running mean and variance): saved by
 * stateDict(), moved by loadStateDict(), never returned by parameters(). Updated in place.
 * @example
 * ```ts
 * import { nn, zeros } from 'tapegrad';
 * const runningMean = new nn.Buffer(zeros([8]));
 * ```
 */
export class Buffer extends Tensor {
  constructor(value: Tensor) {
    super(value.data, value.shape);
  }
}

/**
 * Options of {@link Module.loadStateDict}.
 * @example `new nn.Dense(2, 1).loadStateDict({ weight: zeros([1, 2]) }, { strict: false }).missingKeys  // ['bias']`
 */
export interface LoadStateDictOptions {
  /** Require the dict's keys to match the module's exactly (default true); otherwise unknown and missing keys are skipped. */
  strict?: boolean;
}

/**
 * What {@link Module.loadStateDict} did not match (only non-empty with `strict: false`).
 * @example `new nn.Dense(2, 1).loadStateDict({ weight: zeros([1, 2]), extra: zeros([1]) }, { strict: false }).unexpectedKeys  // ['extra']`
 */
export interface LoadStateDictResult {
  /** Keys of the module that the dict did not have (left unchanged). */
  missingKeys: string[];
  /** Keys of the dict that the module does not have (ignored). */
  unexpectedKeys: string[];
}

/**
 * The base class of layers and models. Subclass it, assign parameters (`new Parameter(...)`), buffers and child
 * modules to properties in the constructor, and implement `forward`.
 * @example
 * ```ts
 * import { nn, Tensor } from 'tapegrad';
 * class TwoLayer extends nn.Module {
 *   fc1 = new nn.Dense(4, 8);
 *   fc2 = new nn.Dense(8, 2);
 *   forward(x: Tensor): Tensor { return this.fc2.forward(this.fc1.forward(x).relu()); }
 * }
 * const model = new TwoLayer();
 * model.namedParameters().map(([name]) => name); // ['fc1.weight', 'fc1.bias', 'fc2.weight', 'fc2.bias']
 * ```
 */
export abstract class Module {
  /** True in training mode (the default), false after eval(). Dropout and BatchNorm read it. */
  training = true;

  /** The module's computation. */
  abstract forward(...inputs: Tensor[]): Tensor;

  /**
   * The direct children, by name, in assignment order. Containers (Sequential, ModuleList) override it. A property
   * holding a plain array with modules in it is a TypeError: those modules would be missing from parameters(),
   * stateDict() and train()/eval(); hold them in an {@link ModuleList} instead.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).namedChildren().map(([name]) => name)  // ['0', '1', '2']`
   */
  namedChildren(): Array<[string, Module]> {
    const out: Array<[string, Module]> = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value) && value.some((v) => v instanceof Module)) {
        throw new TypeError(
          `${this.constructor.name}: the property '${key}' is a plain array holding modules, which parameters(), stateDict() ` +
            `and train()/eval() cannot see; hold them in an nn.ModuleList (this.${key} = new nn.ModuleList([...]))`,
        );
      }
    }
    return out;
  }

  /**
   * Every module of the tree, this one first (depth first), with its dotted name ('' for this one).
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).namedModules().length  // 4: the Sequential and its three layers`
   */
  namedModules(prefix = ''): Array<[string, Module]> {
    const out: Array<[string, Module]> = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(join(prefix, name)));
    return out;
  }

  /**
   * Every module of the tree, this one first.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).modules().length  // 4`
   */
  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /**
   * The direct children.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).children().length  // 3`
   */
  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /**
   * Every parameter of the tree with its dotted name ('0.weight', 'fc1.bias'), in a stable order: a module's own
   * parameters in assignment order, then each child's. A parameter shared by two modules appears once.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).namedParameters().map(([name]) => name)  // ['0.weight', '0.bias', '2.weight', '2.bias']`
   */
  namedParameters(): Array<[string, Parameter]> {
    return this.collect(Parameter);
  }

  /**
   * Every parameter of the tree (see namedParameters for the order).
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).parameters().length  // 4`
   */
  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /**
   * Every buffer of the tree with its dotted name.
   * @example `new nn.BatchNorm1d(3).namedBuffers().map(([name]) => name)  // ['runningMean', 'runningVar', 'numBatchesTracked']`
   */
  namedBuffers(): Array<[string, Buffer]> {
    return this.collect(Buffer);
  }

  /**
   * Every buffer of the tree.
   * @example `new nn.BatchNorm1d(3).buffers().length  // 3`
   */
  buffers(): Buffer[] {
    return this.namedBuffers().map(([, b]) => b);
  }

  private collect<T extends Tensor>(kind: new (...args: never[]) => T): Array<[string, T]> {
    const seen = new Set<T>();
    const out: Array<[string, T]> = [];
    for (const [prefix, module] of this.namedModules()) {
      for (const [key, value] of Object.entries(module)) {
        if (value instanceof kind && !seen.has(value)) {
          seen.add(value);
          const name = join(prefix, key);
          value.name ??= name; // toDot() shows parameters by name
          out.push([name, value]);
        }
      }
    }
    return out;
  }

  /**
   * The total number of parameter elements (shared parameters counted once).
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).numParameters()  // 13: (2·3 + 3) + (3·1 + 1)`
   */
  numParameters(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
  }

  /**
   * Sets training mode on this module and every descendant; returns this.
   * @example `new nn.Dropout(0.5).eval().train().training  // true`
   */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /**
   * Sets evaluation mode (dropout off, batchnorm on running statistics) on the whole tree; returns this.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).eval().children()[0].training  // false`
   */
  eval(): this {
    return this.train(false);
  }

  /**
   * Clears the gradient of every parameter (sets `.grad` to null).
   * @example `new nn.Dense(2, 1).zeroGrad()`
   */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /**
   * Calls `fn` on every module of the tree, children first then this one (as PyTorch), e.g. to initialise weights.
   * @example `new nn.Sequential(new nn.Dense(2, 3), new nn.ReLU(), new nn.Dense(3, 1)).apply((m) => { if (m instanceof nn.Dense) nn.init.zeros_(m.weight); }).parameters()[0].abs().sum().item()  // 0`
   */
  apply(fn: (module: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Parameters and buffers by dotted name. The tensors share storage with the module (save them, or copy them
   * with clone() to keep a snapshot).
   * @example `Object.keys(new nn.Dense(2, 1).stateDict())  // ['weight', 'bias']`
   */
  stateDict(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    for (const [name, p] of this.namedParameters()) out[name] = p.detach();
    for (const [name, b] of this.namedBuffers()) out[name] = b.detach();
    return out;
  }

  /**
   * Copies the values of `dict` into this module's parameters and buffers. Every key, shape and dtype is checked
   * before anything is written, so on an error the module is left exactly as it was.
   * @example `new nn.Dense(2, 1).loadStateDict(new nn.Dense(2, 1).stateDict()).missingKeys  // []`
   */
  loadStateDict(dict: Record<string, Tensor>, options: LoadStateDictOptions = {}): LoadStateDictResult {
    const { strict = true } = options;
    if (dict === null || typeof dict !== 'object') throw new TypeError('loadStateDict: expected an object of tensors by name');
    const targets = new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
    const missingKeys = [...targets.keys()].filter((k) => !Object.hasOwn(dict, k));
    const unexpectedKeys = Object.keys(dict).filter((k) => !targets.has(k));
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts = [
        missingKeys.length > 0 ? `missing keys: ${missingKeys.join(', ')}` : '',
        unexpectedKeys.length > 0 ? `unexpected keys: ${unexpectedKeys.join(', ')}` : '',
      ].filter(Boolean);
      throw new RangeError(`loadStateDict: the state dict does not match the module (${parts.join('; ')})`);
    }
    const writes: Array<[TypedArray, TypedArray]> = [];
    for (const [name, target] of targets) {
      if (!Object.hasOwn(dict, name)) continue;
      const source = dict[name];
      if (!(source instanceof Tensor)) throw new TypeError(`loadStateDict: ${name} is not a Tensor`);
      if (!shapesEqual(source.shape, target.shape)) {
        throw new ShapeError(`loadStateDict: ${name} has shape ${formatShape(source.shape)} in the state dict but ${formatShape(target.shape)} in the module`);
      }
      if (source.dtype !== target.dtype) {
        throw new TypeError(`loadStateDict: ${name} is ${source.dtype} in the state dict but ${target.dtype} in the module`);
      }
      writes.push([target.data, source.data]);
    }
    for (const [to, from] of writes) to.set(from);
    return { missingKeys, unexpectedKeys };
  }

  /**
   * A one-line description of the layer's configuration (shown by summary and toString), e.g. 'Dense(4 → 8)'.
   * @example `new nn.Dense(4, 8).describe()  // 'Dense(4 → 8)'`
   */
  describe(): string {
    return this.constructor.name;
  }

  /**
   * Multiply-accumulates of one forward from `input` to `output` (for nn.summary); 0 for layers without products.
   * Layers with weights override it.
   * @example `new nn.Dense(4, 8).macs(zeros([2, 4]), zeros([2, 8]))  // 64: 2·8 outputs of 4 products`
   */
  macs(_input: Tensor, _output: Tensor): number {
    return 0;
  }

  /**
   * The module tree, one line per module, indented.
   * @example `new nn.Sequential(new nn.Dense(2, 1)).toString()  // 'Sequential\n  (0): Dense(2 → 1)'`
   */
  toString(): string {
    const lines: string[] = [];
    const walk = (m: Module, name: string, depth: number) => {
      lines.push(`${'  '.repeat(depth)}${name ? `(${name}): ` : ''}${m.describe()}`);
      for (const [n, c] of m.namedChildren()) walk(c, n, depth + 1);
    };
    walk(this, '', 0);
    return lines.join('\n');
  }
}

function join(prefix: string, name: string): string {
  return prefix ? `${prefix}.${name}` : name;
}
