/**
 * Optimizer: the base of every optimizer, as PyTorch's torch.optim.Optimizer. It holds parameter groups (each with
 * its own hyperparameters, a group's options overriding the defaults), per-parameter state created on the first
 * step, and the state dict that a checkpoint saves. The math of each optimizer lives in an exported pure update
 * function over typed arrays (sgdUpdate, adamUpdate, ...); the classes only walk the groups and call it.
 * @module
 */
import { Tensor } from '../tensor.js';
import { type TypedArray, dtypeOf } from '../dtype.js';
import { formatShape, shapesEqual } from '../shape.js';
import { ShapeError } from '../errors.js';
import { checkOptionKeys, describe } from '../checks.js';
import { enableGrad } from '../autograd/tape.js';

/**
 * A hyperparameter's value: a number, a flag, or a tuple of numbers (Adam's betas). All JSON-serialisable.
 * @example `new optim.Adam([zeros([1]).requiresGrad_()]).paramGroups[0].betas  // [0.9, 0.999]`
 */
export type HyperparameterValue = number | boolean | number[];

/**
 * What every optimizer's hyperparameters have: a learning rate (the one thing schedulers change).
 * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).paramGroups[0].lr  // 1`
 */
export interface Hyperparameters {
  /** Learning rate. */
  lr: number;
}

/**
 * A parameter group as the optimizer keeps it: its parameters and every hyperparameter, resolved.
 * @example `new optim.SGD([{ params: [zeros([1]).requiresGrad_()], lr: 0.5 }], { lr: 0.1 }).paramGroups[0].lr  // 0.5`
 */
export type ParamGroup<H extends Hyperparameters = Hyperparameters> = H & {
  /** The tensors this group updates. */
  params: Tensor[];
};

/**
 * A parameter group as given to a constructor or to addParamGroup: hyperparameters left out take the defaults.
 * @example `new optim.SGD([{ params: [zeros([1]).requiresGrad_()] }], { lr: 0.1, momentum: 0.9 }).paramGroups[0].momentum  // 0.9`
 */
export type ParamGroupInput<H extends Hyperparameters = Hyperparameters> = Partial<H> & {
  /** The tensors of this group (leaves: parameters, or tensors made with `requiresGrad`). */
  params: Tensor[];
};

/**
 * A saved optimizer, as PyTorch's `optimizer.state_dict()`: parameters are referred to by their index in the
 * groups' parameters taken in order. Everything in it is a Tensor, a number, a flag or an array of numbers, so a
 * checkpoint can store the tensors as safetensors and the rest as JSON.
 * @example `new optim.Adam([zeros([1]).requiresGrad_()]).stateDict().paramGroups[0].params  // [0]`
 */
export interface OptimizerStateDict {
  /** Per-parameter state by parameter index (only parameters that have been stepped). */
  state: Record<number, Record<string, Tensor | number>>;
  /** Each group's hyperparameters and the indices of its parameters. */
  paramGroups: Array<{
    [key: string]: HyperparameterValue;
    /** The indices of the group's parameters. */
    params: number[];
  }>;
}

/**
 * Options of {@link Optimizer.zeroGrad}.
 * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).zeroGrad({ setToNone: false })`
 */
export interface ZeroGradOptions {
  /** Set `.grad` to null (default true); false fills the existing gradients with zeros instead. */
  setToNone?: boolean;
}

type StateRecord = Record<string, TypedArray | number | null>;

/**
 * The base of the optimizers. A subclass names itself, range-checks its hyperparameters, creates a parameter's
 * state on its first step, and applies its update rule in place (no graph is recorded: the update works on the
 * typed arrays directly).
 * @example
 * ```ts
 * import { optim, nn, randn } from 'tapegrad';
 * const model = new nn.Dense(4, 2);
 * const opt = new optim.SGD([
 *   { params: [model.weight] },
 *   { params: [model.bias!], lr: 0.01 },   // this group's lr overrides the default
 * ], { lr: 0.1, momentum: 0.9 });
 * opt.zeroGrad();
 * model.forward(randn([8, 4])).square().mean().backward();
 * opt.step();
 * ```
 */
export abstract class Optimizer<H extends Hyperparameters = Hyperparameters, S extends object = object> {
  /** The hyperparameters a group gets when it does not set its own. */
  readonly defaults: Readonly<H>;
  /** The parameter groups, in order. Schedulers change `lr` here; other hyperparameters may be changed too. */
  readonly paramGroups: Array<ParamGroup<H>> = [];
  /** Per-parameter state (moment estimates, step counts), created on a parameter's first step. */
  readonly state = new Map<Tensor, S>();

  /**
   * @param params the tensors to optimize, or parameter groups (`{ params, ...hyperparameters }`)
   * @param defaults every hyperparameter, used where a group does not set its own
   */
  constructor(params: Tensor[] | Array<ParamGroupInput<H>>, defaults: H) {
    this.checkHyperparameters(defaults);
    this.defaults = copyHyperparameters(defaults) as H;
    if (!Array.isArray(params)) {
      throw new TypeError(`${this.name}: params must be an array of tensors or of parameter groups, got ${describe(params)}`);
    }
    if (params.length === 0) throw new RangeError(`${this.name}: got an empty parameter list`);
    const tensors = params.filter((p) => p instanceof Tensor).length;
    if (tensors !== 0 && tensors !== params.length) {
      throw new TypeError(`${this.name}: params mixes tensors and parameter groups; give one or the other`);
    }
    const groups = tensors > 0 ? [{ params: params as Tensor[] } as ParamGroupInput<H>] : (params as Array<ParamGroupInput<H>>);
    for (const group of groups) this.addParamGroup(group);
  }

  /**
   * The optimizer's name, used in error messages ('SGD', 'Adam', ...). Subclasses override it.
   * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).name  // 'SGD'`
   */
  get name(): string {
    return 'Optimizer';
  }

  /**
   * Throws a RangeError (or a TypeError for a value of the wrong kind) naming the optimizer, the hyperparameter and
   * the value, unless every hyperparameter of `h` is valid.
   */
  protected abstract checkHyperparameters(h: H): void;

  /** A parameter's state before its first step (tensors that may be created later are null). */
  protected abstract initState(param: Tensor, group: H): S;

  /** Applies one step of the update rule to `param` in place. */
  protected abstract update(param: TypedArray, grad: TypedArray, state: S, group: H): void;

  /**
   * Adds a group of parameters with its own hyperparameters (those it leaves out take the defaults), e.g. to train
   * layers unfrozen later. Everything is checked before the group is added.
   * @example `(() => { const opt = new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }); opt.addParamGroup({ params: [zeros([2]).requiresGrad_()], lr: 0.1 }); return opt.paramGroups.length; })()  // 2`
   */
  addParamGroup(group: ParamGroupInput<H>): void {
    if (group === null || typeof group !== 'object' || Array.isArray(group)) {
      throw new TypeError(`${this.name}: a parameter group must be an object { params, ...hyperparameters }, got ${describe(group)}`);
    }
    const { params, ...options } = group as ParamGroupInput<H> & Record<string, unknown>;
    const list: unknown = params instanceof Tensor ? [params] : params;
    if (!Array.isArray(list)) throw new TypeError(`${this.name}: a parameter group's params must be an array of tensors, got ${describe(params)}`);
    const seen = new Set<Tensor>(this.paramGroups.flatMap((g) => g.params));
    list.forEach((p: unknown, i: number) => {
      if (!(p instanceof Tensor)) throw new TypeError(`${this.name}: params[${i}] is not a Tensor (got ${describe(p)})`);
      if (!p.isLeaf) throw new TypeError(`${this.name}: params[${i}] is not a leaf (it was made by ${p.node!.op}); optimize leaves only`);
      if (seen.has(p)) throw new RangeError(`${this.name}: params[${i}] appears in more than one place in the parameter groups`);
      seen.add(p);
    });
    const resolved = copyHyperparameters(this.defaults) as Record<string, HyperparameterValue>;
    for (const [key, value] of Object.entries(options)) {
      if (!Object.hasOwn(this.defaults, key)) {
        throw new TypeError(`${this.name}: unknown hyperparameter '${key}' (expected ${Object.keys(this.defaults).join(', ')})`);
      }
      if (value !== undefined) resolved[key] = Array.isArray(value) ? value.slice() : (value as HyperparameterValue);
    }
    this.checkHyperparameters(resolved as unknown as H);
    this.paramGroups.push({ ...(resolved as unknown as H), params: (list as Tensor[]).slice() });
  }

  /**
   * Clears the gradient of every parameter: sets `.grad` to null (the default), or with `setToNone: false` fills it
   * with zeros in place (cut from any graph it belongs to).
   * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).zeroGrad()`
   */
  zeroGrad(options: ZeroGradOptions = {}): void {
    const { setToNone = true } = options;
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        if (setToNone) {
          p.grad = null;
        } else {
          if (!p.grad.isLeaf) p.grad = p.grad.detach();
          p.grad.data.fill(0);
        }
      }
    }
  }

  /**
   * Updates every parameter that has a gradient, in place (parameters whose `.grad` is null are skipped). Given a
   * closure that recomputes the loss, calls it first (with gradients recorded) and returns its result. Every group's
   * hyperparameters, and every gradient's shape and dtype, are checked before any parameter moves: after an error
   * (naming the optimizer, and the parameter by its state-dict index) no parameter or state has changed.
   * @example
   * ```ts
   * import { optim, tensor } from 'tapegrad';
   * const w = tensor([1], { requiresGrad: true });
   * const opt = new optim.SGD([w], { lr: 0.1 });
   * w.mul(2).sum().backward();   // dL/dw = 2
   * opt.step();                  // w ← w − 0.1 · 2
   * w.item();                    // 0.8
   * ```
   */
  step<T = void>(closure?: () => T): T | undefined {
    const result = closure === undefined ? undefined : enableGrad(closure);
    // Every hyperparameter and gradient is checked before any parameter moves, so a bad one leaves the model as it
    // was. The hyperparameters again because paramGroups is open to direct edits (opt.paramGroups[0].lr = NaN).
    let index = 0;
    for (const group of this.paramGroups) {
      this.checkHyperparameters(group);
      for (const p of group.params) {
        const grad = p.grad;
        if (grad !== null) {
          if (!shapesEqual(grad.shape, p.shape)) {
            throw new ShapeError(`${this.name}: parameter ${index} has shape ${formatShape(p.shape)} but its gradient has shape ${formatShape(grad.shape)}`);
          }
          if (grad.dtype !== p.dtype) throw new TypeError(`${this.name}: parameter ${index} is ${p.dtype} but its gradient is ${grad.dtype}`);
        }
        index++;
      }
    }
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (p.grad === null) continue;
        let state = this.state.get(p);
        if (state === undefined) {
          state = this.initState(p, group);
          this.state.set(p, state);
        }
        this.update(p.data, p.grad.data, state, group);
      }
    }
    return result;
  }

  /**
   * The optimizer's state and hyperparameters, as PyTorch's `state_dict()`: parameters are numbered by their
   * position in the groups taken in order. The tensors are copies, so the dict is a snapshot that later steps do
   * not change.
   * @example `new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }).stateDict().paramGroups[0].lr  // 1`
   */
  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict['state'] = {};
    let index = 0;
    const paramGroups = this.paramGroups.map((group) => {
      const { params, ...hyperparameters } = group;
      const indices = params.map((p) => {
        const s = this.state.get(p);
        if (s !== undefined) state[index] = packState(s as StateRecord, p);
        return index++;
      });
      return { ...copyHyperparameters(hyperparameters), params: indices };
    });
    return { state, paramGroups };
  }

  /**
   * Restores hyperparameters and state saved by {@link Optimizer.stateDict} (from an optimizer of the same kind
   * over parameters of the same shapes, grouped the same way). Everything is checked before anything is written,
   * so on an error the optimizer is left exactly as it was; tensors are copied, never shared with the dict.
   * @example `(() => { const opt = new optim.SGD([zeros([1]).requiresGrad_()], { lr: 1 }); opt.loadStateDict(new optim.SGD([zeros([1]).requiresGrad_()], { lr: 0.5 }).stateDict()); return opt.paramGroups[0].lr; })()  // 0.5`
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const where = `${this.name}.loadStateDict`;
    if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) throw new TypeError(`${where}: expected { state, paramGroups }, got ${describe(dict)}`);
    const extra = Object.keys(dict).filter((k) => k !== 'state' && k !== 'paramGroups');
    if (extra.length > 0) throw new RangeError(`${where}: unexpected keys ${extra.join(', ')} (expected state, paramGroups)`);
    const { state, paramGroups } = dict;
    if (!Array.isArray(paramGroups)) throw new TypeError(`${where}: paramGroups must be an array, got ${describe(paramGroups)}`);
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new TypeError(`${where}: state must be an object, got ${describe(state)}`);
    if (paramGroups.length !== this.paramGroups.length) {
      throw new RangeError(`${where}: the state dict has ${paramGroups.length} parameter groups, the optimizer has ${this.paramGroups.length}`);
    }

    const keys = Object.keys(this.defaults);
    const byIndex = new Map<number, { param: Tensor; group: number }>();
    const hyperparameters = paramGroups.map((saved, g) => {
      if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) throw new TypeError(`${where}: paramGroups[${g}] must be an object, got ${describe(saved)}`);
      const { params, ...rest } = saved as Record<string, unknown>;
      const current = this.paramGroups[g].params;
      if (!Array.isArray(params)) throw new TypeError(`${where}: paramGroups[${g}].params must be an array of indices, got ${describe(params)}`);
      if (params.length !== current.length) {
        throw new RangeError(`${where}: paramGroups[${g}] has ${params.length} parameters in the state dict but ${current.length} in the optimizer`);
      }
      params.forEach((i: unknown, k: number) => {
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 0) throw new TypeError(`${where}: paramGroups[${g}].params[${k}] must be a non-negative integer, got ${describe(i)}`);
        if (byIndex.has(i)) throw new RangeError(`${where}: parameter index ${i} appears twice in paramGroups`);
        byIndex.set(i, { param: current[k], group: g });
      });
      const missing = keys.filter((k) => !Object.hasOwn(rest, k));
      const unknown = Object.keys(rest).filter((k) => !keys.includes(k));
      if (missing.length > 0 || unknown.length > 0) {
        const parts = [missing.length > 0 ? `missing ${missing.join(', ')}` : '', unknown.length > 0 ? `unknown ${unknown.join(', ')}` : ''].filter(Boolean);
        throw new RangeError(`${where}: paramGroups[${g}] hyperparameters do not match ${this.name}'s (${parts.join('; ')})`);
      }
      const h = copyHyperparameters(rest as Record<string, HyperparameterValue>) as unknown as H;
      this.checkHyperparameters(h);
      return h;
    });

    // The keys a state may hold, per group: those of a fresh state for that group's (loaded) hyperparameters.
    const templates = hyperparameters.map((h, g) => {
      const first = this.paramGroups[g].params[0];
      return first === undefined ? null : (this.initState(first, h) as StateRecord);
    });
    const loaded = new Map<Tensor, StateRecord>();
    for (const [key, saved] of Object.entries(state as Record<string, unknown>)) {
      const index = Number(key);
      const target = Number.isInteger(index) && String(index) === key ? byIndex.get(index) : undefined;
      if (target === undefined) throw new RangeError(`${where}: state has an entry '${key}' that is not a parameter index of paramGroups`);
      if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) throw new TypeError(`${where}: state[${key}] must be an object, got ${describe(saved)}`);
      const { param, group } = target;
      const template = templates[group]!;
      const entry: StateRecord = {};
      for (const name of Object.keys(saved)) {
        if (!Object.hasOwn(template, name)) {
          throw new RangeError(`${where}: state[${key}] has an unknown entry '${name}' (expected ${Object.keys(template).join(', ')})`);
        }
      }
      for (const [name, fresh] of Object.entries(template)) {
        const value = (saved as Record<string, unknown>)[name];
        if (typeof fresh === 'number') {
          // The numbers in a state are step counters (Adam's t in 1 − βᵗ): a negative or fractional one would
          // silently turn the bias correction, and so the update, around.
          if (typeof value !== 'number') throw new TypeError(`${where}: state[${key}].${name} must be an integer ≥ 0, got ${describe(value)}`);
          if (!Number.isInteger(value) || value < 0) throw new RangeError(`${where}: state[${key}].${name} must be an integer ≥ 0, got ${value}`);
          entry[name] = value;
        } else if (value === undefined) {
          if (fresh !== null) throw new RangeError(`${where}: state[${key}] is missing '${name}'`);
          entry[name] = null;
        } else {
          if (!(value instanceof Tensor)) throw new TypeError(`${where}: state[${key}].${name} must be a Tensor, got ${describe(value)}`);
          if (!shapesEqual(value.shape, param.shape)) {
            throw new ShapeError(`${where}: state[${key}].${name} has shape ${formatShape(value.shape)} but its parameter has shape ${formatShape(param.shape)}`);
          }
          if (value.dtype !== param.dtype) throw new TypeError(`${where}: state[${key}].${name} is ${value.dtype} but its parameter is ${param.dtype}`);
          entry[name] = value.data.slice();
        }
      }
      loaded.set(param, entry);
    }

    // Everything is valid: write.
    this.paramGroups.forEach((group, g) => Object.assign(group, hyperparameters[g]));
    this.state.clear();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const s = loaded.get(p);
        if (s !== undefined) this.state.set(p, s as S);
      }
    }
  }
}

/** The state of one parameter as the state dict holds it: typed arrays become tensors (copies), nulls are left out. */
function packState(state: StateRecord, param: Tensor): Record<string, Tensor | number> {
  const out: Record<string, Tensor | number> = {};
  for (const [key, value] of Object.entries(state)) {
    if (typeof value === 'number') out[key] = value;
    else if (value !== null && value !== undefined) out[key] = new Tensor(value.slice(), param.shape);
  }
  return out;
}

/** A copy in which tuples (betas) are fresh arrays, so groups and dicts never share one. */
function copyHyperparameters<T extends object>(h: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(h)) out[key] = Array.isArray(value) ? value.slice() : value;
  return out as T;
}

/**
 * The defaults with the options that are set laid over them (an explicit `undefined` takes the default, as leaving
 * the key out does); a TypeError for an unknown option.
 */
export function resolveOptions<H extends object>(owner: string, defaults: H, options: Partial<H>): H {
  checkOptionKeys(owner, options, Object.keys(defaults));
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) out[key] = Array.isArray(value) ? value.slice() : value;
  }
  return out as H;
}

/** A zero-filled array of the parameter's dtype and size (first-step state). */
export function zerosFor(param: TypedArray | Tensor): TypedArray {
  const data = param instanceof Tensor ? param.data : param;
  return dtypeOf(data) === 'float64' ? new Float64Array(data.length) : new Float32Array(data.length);
}

/**
 * `start + weight · (end − start)`, computed as PyTorch's lerp kernel does (from the nearer end), so moving
 * averages written as lerp (Adam's first moment, RMSprop's centred mean) round as they do there.
 */
export function lerp(start: number, end: number, weight: number): number {
  return Math.abs(weight) < 0.5 ? start + weight * (end - start) : end - (end - start) * (1 - weight);
}
