/**
 * Training checkpoints: a model's parameters and buffers, an optimizer's and a scheduler's state, a generator's
 * state, the epoch and anything else JSON-like, in one safetensors file — so the file opens in any safetensors
 * reader, and a run restored from it continues bit for bit as if it had never stopped.
 *
 * Layout: every tensor is stored under its dotted path in the checkpoint ('model.0.weight',
 * 'optimizer.state.3.expAvg', ...), and each part is a JSON string in the `__metadata__` map (keys 'model',
 * 'optimizer', 'scheduler', 'generator', 'epoch', 'extra', beside 'format' and 'version'), in which a tensor appears
 * as `{"$tensor": "<name>"}` and a number JSON cannot write (±Infinity, NaN, −0) as `{"$number": "Infinity"}`.
 * @module
 */
import { Tensor } from '../tensor.js';
import { Generator, type GeneratorState } from '../random.js';
import { ShapeError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import { Module } from '../nn/module.js';
import { loadSafetensors, readSafetensorsMetadata, saveSafetensors } from './safetensors.js';

/**
 * Thrown when bytes are a valid safetensors file but not a valid tapegrad checkpoint, or when a checkpoint lacks a
 * part that {@link restoreCheckpoint} was asked to restore. (Bytes that are not safetensors at all throw a
 * SafetensorsError.)
 * @example
 * ```ts
 * import { io, tensor } from 'tapegrad';
 * const plain = io.saveSafetensors({ w: tensor([1]) });
 * try { io.loadCheckpoint(plain); } catch (e) { console.log(e instanceof io.CheckpointError); } // true
 * ```
 */
export class CheckpointError extends Error {
  /** 'CheckpointError', the name an uncaught error is printed with. */
  override name = 'CheckpointError';
}

/**
 * An optimizer's state as `optimizer.stateDict()` returns it (PyTorch's layout, parameters by index).
 * @example `new optim.SGD([zeros([2]).requiresGrad_()], { lr: 0.1 }).stateDict().paramGroups[0].params  // [0]`
 */
export interface OptimizerStateDict {
  /** Per-parameter state (momentum buffers, moment estimates, step counts) by the parameter's index. */
  state: Record<number, Record<string, Tensor | number>>;
  /** Each group's hyperparameters and the indices of its parameters. */
  paramGroups: Array<Record<string, unknown> & {
    /** The indices of the group's parameters. */
    params: number[];
  }>;
}

/**
 * Something whose state can be read and written back: optimizers (state `OptimizerStateDict`) and lr schedulers
 * (a JSON-like state).
 * @example `io.saveCheckpoint({ optimizer: new optim.Adam([zeros([1]).requiresGrad_()]) }).length > 0  // true: an optimizer is Stateful`
 */
export interface Stateful<S> {
  /** The current state, as plain data and tensors. */
  stateDict(): S;
  /** Writes a state returned by stateDict() back. */
  loadStateDict(state: S): unknown;
}

/**
 * What {@link saveCheckpoint} stores. Every part is optional.
 * @example `io.loadCheckpoint(io.saveCheckpoint({ model: { w: tensor([1]) }, epoch: 3, extra: { note: 'hi' } })).epoch  // 3`
 */
export interface Checkpoint {
  /** A module (its stateDict() is stored) or tensors by name. */
  model?: Module | Record<string, Tensor>;
  /** An optimizer, whose stateDict() is stored (momentum buffers, Adam's moments, step counts). */
  optimizer?: Stateful<OptimizerStateDict>;
  /** A learning-rate scheduler, whose stateDict() is stored. */
  scheduler?: Stateful<unknown>;
  /** The generator whose state to store (the one the DataLoader shuffles with and Dropout draws from, say). */
  generator?: Generator;
  /** The number of epochs done. */
  epoch?: number;
  /** Anything JSON-like (tensors allowed inside), e.g. the best validation loss so far. */
  extra?: unknown;
}

/**
 * What {@link loadCheckpoint} returns: the parts the file holds, as plain values.
 * @example `Object.keys(io.loadCheckpoint(io.saveCheckpoint({ epoch: 1, extra: [] })))  // ['epoch', 'extra']`
 */
export interface LoadedCheckpoint {
  /** The model's tensors by state-dict key ('0.weight', ...). */
  model?: Record<string, Tensor>;
  /** The optimizer's state dict. */
  optimizer?: OptimizerStateDict;
  /** The scheduler's state. */
  scheduler?: unknown;
  /** The generator's state (give it to Generator.setState). */
  generator?: GeneratorState;
  /** The epoch stored. */
  epoch?: number;
  /** The extra value stored, tensors inside it restored as Tensors. */
  extra?: unknown;
}

/**
 * What {@link restoreCheckpoint} writes into: give the objects to restore (others in the file are ignored).
 * @example `io.restoreCheckpoint(io.saveCheckpoint({ generator: new Generator(5), epoch: 2 }), { generator: new Generator(0) }).epoch  // 2`
 */
export interface RestoreTargets {
  /** The module (or tensors by name) whose values to overwrite. */
  model?: Module | Record<string, Tensor>;
  /** The optimizer whose state to overwrite. */
  optimizer?: Stateful<OptimizerStateDict>;
  /** The scheduler whose state to overwrite. */
  scheduler?: Stateful<unknown>;
  /** The generator whose state to overwrite (so shuffles and dropout masks continue as they would have). */
  generator?: Generator;
}

const FORMAT = 'tapegrad.checkpoint';
const VERSION = '1';
const PARTS = ['model', 'optimizer', 'scheduler', 'generator', 'epoch', 'extra'] as const;
type Part = (typeof PARTS)[number];
const TENSOR_KEY = '$tensor';
const NUMBER_KEY = '$number';

/**
 * Encodes a training checkpoint as a safetensors file (see the module's description for the layout). Every part is
 * read and checked before any byte is produced; a value that cannot be stored (a function, a class instance other
 * than a Tensor, a typed array) is a TypeError naming where it is.
 * @example
 * ```ts
 * import { io, nn, Generator } from 'tapegrad';
 * const model = new nn.Dense(3, 2);
 * const generator = new Generator(1);
 * const bytes = io.saveCheckpoint({ model, generator, epoch: 4, extra: { bestLoss: 0.25 } });
 * io.loadCheckpoint(bytes).epoch; // 4
 * ```
 */
export function saveCheckpoint(checkpoint: Checkpoint): Uint8Array {
  if (checkpoint === null || typeof checkpoint !== 'object') throw new TypeError('saveCheckpoint: expected an object such as { model, optimizer, epoch }');
  for (const key of Object.keys(checkpoint)) {
    if (!(PARTS as readonly string[]).includes(key)) {
      throw new TypeError(`saveCheckpoint: unknown part "${key}"; a checkpoint holds ${PARTS.join(', ')} (put anything else in extra)`);
    }
  }
  const { model, optimizer, scheduler, generator, epoch, extra } = checkpoint;
  const tensors = new Map<string, Tensor>();
  const metadata: Record<string, string> = { format: FORMAT, version: VERSION };
  const put = (part: Part, value: unknown) => {
    metadata[part] = JSON.stringify(encode(value, [part], tensors));
  };

  if (model !== undefined) put('model', modelTensors(model, 'saveCheckpoint'));
  if (optimizer !== undefined) {
    const state = stateOf(optimizer, 'optimizer');
    checkOptimizerState(state, (m) => new TypeError(`saveCheckpoint: optimizer.stateDict() ${m}`));
    put('optimizer', state);
  }
  if (scheduler !== undefined) put('scheduler', stateOf(scheduler, 'scheduler'));
  if (generator !== undefined) {
    if (!(generator instanceof Generator)) throw new TypeError('saveCheckpoint: generator must be a Generator');
    put('generator', generator.getState());
  }
  if (epoch !== undefined) {
    if (typeof epoch !== 'number' || !Number.isFinite(epoch)) throw new TypeError(`saveCheckpoint: epoch must be a finite number, got ${String(epoch)}`);
    put('epoch', epoch);
  }
  if (extra !== undefined) put('extra', extra);
  return saveSafetensors(Object.fromEntries(tensors), metadata);
}

/**
 * Decodes a checkpoint written by {@link saveCheckpoint} into plain values: the model's tensors by state-dict key,
 * the optimizer's state dict, the scheduler's state, the generator's state, the epoch and extra. The whole file is
 * validated first — the safetensors layout (a SafetensorsError), then the checkpoint's structure: its format tag,
 * every part's JSON, every tensor reference resolved and every tensor referenced once (a {@link CheckpointError}).
 * @example
 * ```ts
 * import { io, tensor } from 'tapegrad';
 * const bytes = io.saveCheckpoint({ model: { w: tensor([1, 2]) }, epoch: 2 });
 * const { model, epoch } = io.loadCheckpoint(bytes); // model.w: [1, 2], epoch 2
 * ```
 */
export function loadCheckpoint(bytes: Uint8Array | ArrayBuffer): LoadedCheckpoint {
  const tensors = loadSafetensors(bytes);
  const metadata = readSafetensorsMetadata(bytes);
  const fail = (message: string): never => {
    throw new CheckpointError(`checkpoint: ${message}`);
  };
  if (metadata.format !== FORMAT) {
    fail(`not a tapegrad checkpoint (its metadata has format ${JSON.stringify(metadata.format ?? null)}, expected "${FORMAT}"); load plain tensors with loadSafetensors`);
  }
  if (metadata.version !== VERSION) fail(`version ${JSON.stringify(metadata.version ?? null)} is not supported (this tapegrad reads version ${VERSION})`);

  const used = new Set<string>();
  const out: LoadedCheckpoint = {};
  for (const part of PARTS) {
    if (!Object.hasOwn(metadata, part)) continue;
    let json: unknown;
    try {
      json = JSON.parse(metadata[part]);
    } catch (e) {
      fail(`the ${part} entry of the metadata is not valid JSON (${(e as Error).message})`);
    }
    const value = decode(json, part, tensors, used, fail);
    switch (part) {
      case 'model':
        if (!isPlainObject(value) || !Object.values(value).every((t) => t instanceof Tensor)) fail('model must be an object of tensors');
        out.model = value as Record<string, Tensor>;
        break;
      case 'optimizer':
        checkOptimizerState(value, (m) => new CheckpointError(`checkpoint: optimizer state ${m}`));
        out.optimizer = value as OptimizerStateDict;
        break;
      case 'generator':
        if (!isGeneratorState(value)) fail(`generator state must be { seed, alea: { c, s0, s1, s2 }, spareNormal } with finite numbers, got ${metadata.generator}`);
        out.generator = value as GeneratorState;
        break;
      case 'epoch':
        if (typeof value !== 'number' || !Number.isFinite(value)) fail(`epoch must be a finite number, got ${metadata.epoch}`);
        out.epoch = value as number;
        break;
      default:
        out[part] = value;
    }
  }
  const stray = Object.keys(tensors).filter((name) => !used.has(name));
  if (stray.length > 0) fail(`tensors ${stray.map((s) => `"${s}"`).join(', ')} belong to no part of the checkpoint`);
  return out;
}

/**
 * Restores a checkpoint into live objects — the model's parameters and buffers, the optimizer's and the scheduler's
 * state, the generator's state — and returns the epoch and extra. Everything is checked before anything is written:
 * the file as {@link loadCheckpoint} does, each asked-for part present, the model's keys, shapes and dtypes, the
 * optimizer's groups and parameter counts (as PyTorch's load_state_dict checks them). Should an optimizer's or
 * scheduler's own loadStateDict still throw, everything already written is put back from a snapshot, so on any
 * error every object is left exactly as it was.
 * @param source the checkpoint's bytes, or what loadCheckpoint returned
 * @param targets the objects to restore; parts of the file without a target are ignored
 * @example
 * ```ts
 * import { io, nn, Generator } from 'tapegrad';
 * const model = new nn.Dense(3, 2, { generator: new Generator(0) });
 * const bytes = io.saveCheckpoint({ model, epoch: 7 });
 * const fresh = new nn.Dense(3, 2, { generator: new Generator(1) });
 * const { epoch } = io.restoreCheckpoint(bytes, { model: fresh }); // fresh now equals model; epoch 7
 * ```
 */
export function restoreCheckpoint(source: Uint8Array | ArrayBuffer | LoadedCheckpoint, targets: RestoreTargets): {
  /** The epoch stored, if any. */
  epoch?: number;
  /** The extra value stored, if any. */
  extra?: unknown;
} {
  if (targets === null || typeof targets !== 'object') throw new TypeError('restoreCheckpoint: expected the objects to restore, e.g. { model, optimizer }');
  for (const key of Object.keys(targets)) {
    if (!['model', 'optimizer', 'scheduler', 'generator'].includes(key)) {
      throw new TypeError(`restoreCheckpoint: unknown target "${key}"; expected model, optimizer, scheduler or generator`);
    }
  }
  const ckpt = source instanceof Uint8Array || source instanceof ArrayBuffer ? loadCheckpoint(source) : source;
  if (ckpt === null || typeof ckpt !== 'object') throw new TypeError('restoreCheckpoint: expected the bytes of a checkpoint or what loadCheckpoint returned');
  const { model, optimizer, scheduler, generator } = targets;
  const missing = (part: string) => new CheckpointError(`restoreCheckpoint: the checkpoint has no ${part} (it holds ${PARTS.filter((p) => ckpt[p] !== undefined).join(', ') || 'nothing'})`);

  // Phase 1: check everything; nothing is written yet.
  let modelWrites: Array<[Tensor, Tensor]> = [];
  if (model !== undefined) {
    if (ckpt.model === undefined) throw missing('model');
    modelWrites = matchModel(modelTensors(model, 'restoreCheckpoint'), ckpt.model);
  }
  if (optimizer !== undefined) {
    if (ckpt.optimizer === undefined) throw missing('optimizer state');
    matchOptimizer(stateOf(optimizer, 'optimizer'), ckpt.optimizer);
  }
  if (scheduler !== undefined) {
    if (ckpt.scheduler === undefined) throw missing('scheduler state');
    stateOf(scheduler, 'scheduler');
  }
  if (generator !== undefined) {
    if (!(generator instanceof Generator)) throw new TypeError('restoreCheckpoint: generator must be a Generator');
    if (ckpt.generator === undefined) throw missing('generator state');
    if (!isGeneratorState(ckpt.generator)) throw new CheckpointError('restoreCheckpoint: the generator state is malformed');
  }

  // Phase 2: snapshot, then write; the optimizer's and scheduler's own checks run only now, hence the undo list.
  const undo: Array<() => void> = [];
  try {
    if (model !== undefined) {
      const saved = modelWrites.map(([target]) => target.data.slice());
      undo.push(() => modelWrites.forEach(([target], i) => target.data.set(saved[i])));
      if (model instanceof Module) model.loadStateDict(ckpt.model!);
      else for (const [target, value] of modelWrites) target.data.set(value.data);
    }
    if (optimizer !== undefined) {
      const saved = deepCopy(optimizer.stateDict()) as OptimizerStateDict;
      undo.push(() => optimizer.loadStateDict(saved));
      optimizer.loadStateDict(deepCopy(ckpt.optimizer) as OptimizerStateDict);
    }
    if (scheduler !== undefined) {
      const saved = deepCopy(scheduler.stateDict());
      undo.push(() => scheduler.loadStateDict(saved));
      scheduler.loadStateDict(deepCopy(ckpt.scheduler));
    }
    if (generator !== undefined) {
      const saved = generator.getState();
      undo.push(() => generator.setState(saved));
      generator.setState(ckpt.generator!);
    }
  } catch (error) {
    // Each part's snapshot goes back even if another's does not: the one that threw may well refuse its own
    // snapshot too, and it is the first error that tells the caller what went wrong.
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // keep undoing the others
      }
    }
    throw error;
  }
  return { epoch: ckpt.epoch, extra: ckpt.extra };
}

// ---- helpers ----

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function modelTensors(model: Module | Record<string, Tensor>, fn: string): Record<string, Tensor> {
  if (model instanceof Module) return model.stateDict();
  if (!isPlainObject(model)) throw new TypeError(`${fn}: model must be an nn.Module or an object of tensors by name`);
  for (const [key, t] of Object.entries(model)) {
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}: model "${key}" is not a Tensor`);
  }
  return model;
}

function stateOf(target: Stateful<unknown>, part: string): unknown {
  if (target === null || typeof target !== 'object' || typeof target.stateDict !== 'function' || typeof target.loadStateDict !== 'function') {
    throw new TypeError(`checkpoint: the ${part} must have stateDict() and loadStateDict()`);
  }
  return target.stateDict();
}

function checkOptimizerState(value: unknown, error: (message: string) => Error): asserts value is OptimizerStateDict {
  if (!isPlainObject(value) || !isPlainObject(value.state) || !Array.isArray(value.paramGroups)) {
    throw error('must be { state: { [index]: {...} }, paramGroups: [...] }');
  }
  for (const [index, s] of Object.entries(value.state)) {
    if (!/^(0|[1-9]\d*)$/.test(index)) throw error(`has state for "${index}", which is not a parameter index`);
    if (!isPlainObject(s)) throw error(`state ${index} must be an object`);
  }
  value.paramGroups.forEach((g, i) => {
    if (!isPlainObject(g) || !Array.isArray(g.params) || !g.params.every((p) => Number.isSafeInteger(p) && p >= 0)) {
      throw error(`paramGroups[${i}] must be an object whose params is an array of parameter indices`);
    }
  });
}

function isGeneratorState(value: unknown): boolean {
  if (!isPlainObject(value) || typeof value.seed !== 'number' || !isPlainObject(value.alea)) return false;
  const { alea } = value;
  const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  return [alea.c, alea.s0, alea.s1, alea.s2].every(finite) && (value.spareNormal === null || finite(value.spareNormal));
}

/** The model's tensors paired with the checkpoint's, after checking keys, shapes and dtypes (strictly). */
function matchModel(targets: Record<string, Tensor>, saved: Record<string, Tensor>): Array<[Tensor, Tensor]> {
  const missing = Object.keys(targets).filter((k) => !Object.hasOwn(saved, k));
  const unexpected = Object.keys(saved).filter((k) => !Object.hasOwn(targets, k));
  if (missing.length > 0 || unexpected.length > 0) {
    const parts = [missing.length > 0 ? `missing keys: ${missing.join(', ')}` : '', unexpected.length > 0 ? `unexpected keys: ${unexpected.join(', ')}` : ''];
    throw new RangeError(`restoreCheckpoint: the checkpoint's model does not match the model (${parts.filter(Boolean).join('; ')})`);
  }
  return Object.entries(targets).map(([key, target]) => {
    const value = saved[key];
    if (!(value instanceof Tensor)) throw new TypeError(`restoreCheckpoint: model "${key}" in the checkpoint is not a Tensor`);
    if (!shapesEqual(value.shape, target.shape)) {
      throw new ShapeError(`restoreCheckpoint: model "${key}" has shape ${formatShape(value.shape)} in the checkpoint but ${formatShape(target.shape)} in the model`);
    }
    if (value.dtype !== target.dtype) throw new TypeError(`restoreCheckpoint: model "${key}" is ${value.dtype} in the checkpoint but ${target.dtype} in the model`);
    return [target, value];
  });
}

/** PyTorch's checks: the same number of groups, each with as many parameters; state only for existing parameters. */
function matchOptimizer(current: unknown, saved: OptimizerStateDict): void {
  checkOptimizerState(current, (m) => new TypeError(`restoreCheckpoint: optimizer.stateDict() ${m}`));
  const fail = (m: string): never => {
    throw new RangeError(`restoreCheckpoint: the checkpoint's optimizer state does not fit the optimizer: ${m}`);
  };
  if (saved.paramGroups.length !== current.paramGroups.length) {
    fail(`${saved.paramGroups.length} parameter groups in the checkpoint, ${current.paramGroups.length} in the optimizer`);
  }
  saved.paramGroups.forEach((g, i) => {
    const n = current.paramGroups[i].params.length;
    if (g.params.length !== n) fail(`group ${i} has ${g.params.length} parameters in the checkpoint, ${n} in the optimizer`);
  });
  const known = new Set(saved.paramGroups.flatMap((g) => g.params));
  for (const index of Object.keys(saved.state)) {
    if (!known.has(Number(index))) fail(`state for parameter ${index}, which no group lists`);
  }
}

/** A copy in which every tensor owns fresh storage, so a snapshot survives in-place writes to the original. */
function deepCopy(value: unknown): unknown {
  if (value instanceof Tensor) return new Tensor(value.data.slice(), value.shape);
  if (Array.isArray(value)) return value.map(deepCopy);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepCopy(v)]));
  return value;
}

/** JSON-ready form of `value`: tensors moved into `tensors` under their dotted path, special numbers spelled out. */
function encode(value: unknown, path: string[], tensors: Map<string, Tensor>): unknown {
  const where = path.join('.');
  if (value instanceof Tensor) {
    if (tensors.has(where)) throw new TypeError(`saveCheckpoint: two tensors would be stored under the name "${where}"`);
    tensors.set(where, value);
    return { [TENSOR_KEY]: where };
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { [NUMBER_KEY]: Object.is(value, -0) ? '-0' : String(value) };
  }
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) {
    return value.map((v, i) => {
      if (v === undefined) throw new TypeError(`saveCheckpoint: ${where}[${i}] is undefined`);
      return encode(v, [...path, String(i)], tensors);
    });
  }
  if (isPlainObject(value)) {
    const out: Array<[string, unknown]> = [];
    for (const [k, v] of Object.entries(value)) {
      if (k === TENSOR_KEY || k === NUMBER_KEY) throw new TypeError(`saveCheckpoint: the key "${k}" at ${where} is reserved by the checkpoint format`);
      if (v !== undefined) out.push([k, encode(v, [...path, k], tensors)]); // as JSON: undefined properties are left out
    }
    return Object.fromEntries(out);
  }
  const kind = value === undefined ? 'undefined' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new TypeError(`saveCheckpoint: ${where} is ${kind === 'undefined' ? kind : `a ${kind}`}; a checkpoint stores tensors, numbers, strings, booleans, null, arrays and plain objects`);
}

function decode(value: unknown, where: string, tensors: Record<string, Tensor>, used: Set<string>, fail: (m: string) => never): unknown {
  if (Array.isArray(value)) return value.map((v, i) => decode(v, `${where}[${i}]`, tensors, used, fail));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  if (Object.hasOwn(value, TENSOR_KEY)) {
    const name = (value as Record<string, unknown>)[TENSOR_KEY];
    if (entries.length !== 1 || typeof name !== 'string') fail(`${where}: a tensor reference must be {"${TENSOR_KEY}": name}`);
    if (!Object.hasOwn(tensors, name as string)) fail(`${where} refers to tensor "${name as string}", which the file does not hold`);
    if (used.has(name as string)) fail(`tensor "${name as string}" is referred to twice`);
    used.add(name as string);
    return tensors[name as string];
  }
  if (Object.hasOwn(value, NUMBER_KEY)) {
    const spelled = (value as Record<string, unknown>)[NUMBER_KEY];
    const numbers: Record<string, number> = { Infinity, '-Infinity': -Infinity, NaN, '-0': -0 };
    if (entries.length !== 1 || typeof spelled !== 'string' || !Object.hasOwn(numbers, spelled)) {
      fail(`${where}: a special number must be {"${NUMBER_KEY}": "Infinity" | "-Infinity" | "NaN" | "-0"}`);
    }
    return numbers[spelled as string];
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key
  return Object.fromEntries(entries.map(([k, v]) => [k, decode(v, `${where}.${k}`, tensors, used, fail)]));
}
