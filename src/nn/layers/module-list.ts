/**
 * ModuleList: an ordered list of modules that a model registers as its children (PyTorch's nn.ModuleList), for
 * layers built in a loop and applied in a loop. Children are named '0', '1', ... as in Sequential, so state dict
 * keys read 'blocks.0.weight'.
 * @module
 */
import type { Tensor } from '../../tensor.js';
import { Module } from '../module.js';

/**
 * A list of modules whose parameters, buffers, state dict entries and train()/eval() mode are those of the model
 * that holds it. Unlike {@link Sequential} it has no forward of its own: the model's forward decides how the
 * modules are called. A plain array of modules in a field would be invisible to parameters(), so the model refuses
 * it and points here.
 * @example
 * ```ts
 * import { nn, Generator, Tensor, zeros } from 'tapegrad';
 * class Residual extends nn.Module {
 *   blocks = new nn.ModuleList();
 *   constructor(width: number, depth: number, generator: Generator) {
 *     super();
 *     for (let i = 0; i < depth; i++) this.blocks.append(new nn.Dense(width, width, { generator }));
 *   }
 *   forward(x: Tensor): Tensor {
 *     for (const block of this.blocks) x = x.add(block.forward(x).tanh());
 *     return x;
 *   }
 * }
 * const model = new Residual(4, 3, new Generator(0));
 * model.parameters().length;            // 6
 * Object.keys(model.stateDict())[2];    // 'blocks.1.weight'
 * model.forward(zeros([2, 4])).shape;   // [2, 4]
 * ```
 */
export class ModuleList extends Module {
  // A private field rather than a property, so the list is reached only through namedChildren below.
  readonly #items: Module[] = [];

  /**
   * @param modules the initial modules, in order (default none)
   * @example `new nn.ModuleList([new nn.Dense(2, 3), new nn.ReLU()]).length  // 2`
   */
  constructor(modules: Iterable<Module> = []) {
    super();
    if (modules === null || typeof (modules as Partial<Iterable<Module>>)[Symbol.iterator] !== 'function') {
      throw new TypeError(`ModuleList: expected an array of modules, got ${describeValue(modules)}`);
    }
    let i = 0;
    for (const m of modules) this.#add(m, `element ${i++}`);
  }

  /**
   * The modules by name, '0', '1', ... in list order.
   * @example `new nn.ModuleList([new nn.Dense(2, 3), new nn.ReLU()]).namedChildren().map(([name]) => name)  // ['0', '1']`
   */
  override namedChildren(): Array<[string, Module]> {
    return this.#items.map((m, i) => [String(i), m]);
  }

  /**
   * Adds `module` at the end; returns this, so calls chain.
   * @example `new nn.ModuleList().append(new nn.Dense(2, 3)).append(new nn.Tanh()).length  // 2`
   */
  append(module: Module): this {
    this.#add(module, 'the appended value');
    return this;
  }

  /**
   * The number of modules.
   * @example `new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]).length  // 2`
   */
  get length(): number {
    return this.#items.length;
  }

  /**
   * The module at `index`: an integer, counted from the end when negative. A RangeError otherwise.
   * @example `new nn.ModuleList([new nn.ReLU(), new nn.Tanh()]).at(-1).describe()  // 'Tanh'`
   */
  at(index: number): Module {
    const n = this.#items.length;
    if (typeof index !== 'number' || !Number.isInteger(index)) {
      throw new RangeError(`ModuleList.at: index must be an integer, got ${describeValue(index)}`);
    }
    if (index < -n || index >= n) throw new RangeError(`ModuleList.at: index ${index} is out of range ${-n}..${n - 1} for ${n} modules`);
    return this.#items[index < 0 ? n + index : index];
  }

  /**
   * The modules in order, for `for (const m of list)` and spreading.
   * @example `[...new nn.ModuleList([new nn.ReLU(), new nn.Tanh()])].map((m) => m.describe())  // ['ReLU', 'Tanh']`
   */
  [Symbol.iterator](): IterableIterator<Module> {
    return this.#items.values();
  }

  /**
   * Always throws: a ModuleList only holds modules. Call them from the forward of the model that holds the list
   * (`for (const m of this.blocks) x = m.forward(x)`), or use {@link Sequential} for a plain chain.
   * @example
   * ```ts
   * import { nn, zeros } from 'tapegrad';
   * new nn.ModuleList([new nn.ReLU()]).forward(zeros([2]));  // throws: ModuleList has no forward
   * ```
   */
  forward(..._inputs: Tensor[]): Tensor {
    throw new TypeError('ModuleList has no forward: call its modules from the forward of the model that holds it, or use nn.Sequential for a chain');
  }

  #add(module: unknown, what: string): void {
    if (!(module instanceof Module)) throw new TypeError(`ModuleList: ${what} is not a Module, got ${describeValue(module)}`);
    // A list inside its own tree would make every walk of the tree (parameters(), train()) recurse forever.
    if (module.modules().includes(this)) throw new RangeError('ModuleList: a module cannot contain itself');
    this.#items.push(module);
  }

  override describe(): string {
    return 'ModuleList';
  }
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'object' || typeof value === 'function') return (value as object).constructor?.name ?? typeof value;
  return typeof value;
}
