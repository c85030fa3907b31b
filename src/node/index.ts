/**
 * Node-only helpers: the `tapegrad/node` entry point. It may use the file system; the core entry never imports it,
 * so `tapegrad` itself stays runnable in the browser.
 * @module tapegrad/node
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Tensor } from '../tensor.js';
import { Module } from '../nn/module.js';
import { SafetensorsError, loadSafetensors, saveSafetensors } from '../io/safetensors.js';
import { type Checkpoint, CheckpointError, type LoadedCheckpoint, loadCheckpoint, saveCheckpoint } from '../io/checkpoint.js';

const CHECKPOINT_PARTS = ['model', 'optimizer', 'scheduler', 'generator', 'epoch', 'extra'];

/**
 * Writes a safetensors file (replacing any file at `path`), synchronously like `torch.save`, and returns the number
 * of bytes written. What is written depends on `value`, told apart in this order:
 * - an `nn.Module`: its `stateDict()` (parameters and buffers by dotted name; reload with
 *   `model.loadStateDict(loadFile(path))`);
 * - an object whose values are all Tensors: those tensors by name;
 * - otherwise an object whose keys are among model, optimizer, scheduler, generator, epoch, extra: a training
 *   checkpoint, as `io.saveCheckpoint` encodes it (read it with {@link loadCheckpointFile} or restore it with
 *   `io.restoreCheckpoint(readFileSync(path), {...})`).
 *
 * The bytes are encoded first (a bad argument throws before the file system is touched), written to a temporary
 * file beside `path` and renamed over it, so a crash mid-write never leaves a half-written checkpoint in place of
 * the previous one. Every file is readable by {@link loadFile}, by `io.loadSafetensors` in a browser, and by
 * Python's `safetensors`.
 * @param metadata optional string-to-string information stored in the header (read it with
 *   `io.readSafetensorsMetadata`); not for checkpoints, whose metadata holds their parts (use `extra`)
 * @example
 * ```ts
 * import { nn, tensor } from 'tapegrad';
 * import { saveFile, loadFile } from 'tapegrad/node';
 * saveFile('weights.safetensors', { w: tensor([[1, 2], [3, 4]]) });
 * loadFile('weights.safetensors').w.toArray(); // [[1, 2], [3, 4]]
 * const model = new nn.Dense(4, 2);
 * saveFile('model.safetensors', model);
 * model.loadStateDict(loadFile('model.safetensors'));
 * ```
 */
export function saveFile(path: string, value: Module | Record<string, Tensor> | Checkpoint, metadata?: Record<string, string>): number {
  let bytes: Uint8Array;
  if (value instanceof Module) {
    bytes = saveSafetensors(value.stateDict(), metadata);
  } else if (isCheckpoint(value)) {
    if (metadata !== undefined) throw new TypeError('saveFile: a checkpoint keeps its own metadata; put extra information in its `extra` part');
    bytes = saveCheckpoint(value);
  } else {
    // Tensors by name; anything else is refused by saveSafetensors with a message naming the bad entry.
    bytes = saveSafetensors(value as Record<string, Tensor>, metadata);
  }
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
  return bytes.length;
}

/** A checkpoint object: not all values tensors, and every key a checkpoint part. */
function isCheckpoint(value: unknown): value is Checkpoint {
  if (value === null || typeof value !== 'object') return false;
  const entries = Object.entries(value);
  if (entries.every(([, v]) => v instanceof Tensor)) return false;
  return entries.every(([k]) => CHECKPOINT_PARTS.includes(k));
}

/** Reads a file and runs `parse` on its bytes, prefixing the path to a format error's message. */
function readWith<T>(path: string, parse: (bytes: Uint8Array) => T): T {
  const bytes = readFileSync(path);
  try {
    return parse(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(`${path}: ${e.message}`, { cause: e });
    if (e instanceof CheckpointError) throw new CheckpointError(`${path}: ${e.message}`, { cause: e });
    throw e;
  }
}

/**
 * Reads a safetensors file into tensors by name. The file is validated in full before any tensor is made; a
 * malformed file throws a `SafetensorsError` whose message starts with the path. For a file written from a Module
 * these are its state dict (`model.loadStateDict(loadFile(path))`); for a checkpoint, its tensors under their
 * prefixed names ('model.0.weight', 'optimizer.state.0.expAvg') — read checkpoints with {@link loadCheckpointFile}.
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * import { loadFile, saveFile } from 'tapegrad/node';
 * saveFile('weights.safetensors', { w: tensor([1, 2]) });
 * const { w } = loadFile('weights.safetensors'); // w: [1, 2]
 * ```
 */
export function loadFile(path: string): Record<string, Tensor> {
  return readWith(path, loadSafetensors);
}

/**
 * Reads a training checkpoint written by {@link saveFile} (or `io.saveCheckpoint`): the model's tensors by
 * state-dict key, the optimizer's and scheduler's states, the generator's state, the epoch and extra, as
 * `io.loadCheckpoint` returns them. Errors (a `SafetensorsError` or `CheckpointError`) start with the path. Pass the
 * result to `io.restoreCheckpoint` to write it into live objects.
 * @example
 * ```ts
 * import { io, nn, optim } from 'tapegrad';
 * import { saveFile, loadCheckpointFile } from 'tapegrad/node';
 * const model = new nn.Dense(4, 2);
 * const optimizer = new optim.SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * saveFile('run.safetensors', { model, optimizer, epoch: 3 });
 * const checkpoint = loadCheckpointFile('run.safetensors');
 * io.restoreCheckpoint(checkpoint, { model, optimizer }).epoch; // 3
 * ```
 */
export function loadCheckpointFile(path: string): LoadedCheckpoint {
  return readWith(path, loadCheckpoint);
}
