/**
 * Node-only helpers: the `tapegrad/node` entry point. It may use the file system; the core entry never imports it,
 * so `tapegrad` itself stays runnable in the browser.
 * @module tapegrad/node
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Tensor } from '../tensor.js';
import { SafetensorsError, loadSafetensors, saveSafetensors } from '../io/safetensors.js';

/**
 * Writes named tensors to a safetensors file (replacing any file at `path`), synchronously like `torch.save`.
 * The file is readable by {@link loadFile}, by `io.loadSafetensors` in a browser, and by Python's `safetensors`.
 * Models' state dicts go through it too (`saveFile(path, model.stateDict())`); a later release extends it to save
 * models and optimizer checkpoints directly.
 * @param metadata optional string-to-string information stored in the header (read it with `io.readSafetensorsMetadata`)
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * import { saveFile, loadFile } from 'tapegrad/node';
 * saveFile('weights.safetensors', { w: tensor([[1, 2], [3, 4]]) });
 * loadFile('weights.safetensors').w.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function saveFile(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  // Encode first: a bad argument throws before the file is touched.
  writeFileSync(path, saveSafetensors(tensors, metadata));
}

/**
 * Reads a safetensors file into tensors by name. The file is validated in full before any tensor is made; a
 * malformed file throws a `SafetensorsError` whose message starts with the path. A later release extends it to load
 * models and optimizer checkpoints directly.
 * @example
 * ```ts
 * import { loadFile } from 'tapegrad/node';
 * const { w } = loadFile('weights.safetensors');
 * ```
 */
export function loadFile(path: string): Record<string, Tensor> {
  const bytes = readFileSync(path);
  try {
    return loadSafetensors(bytes);
  } catch (e) {
    if (e instanceof SafetensorsError) throw new SafetensorsError(`${path}: ${e.message}`, { cause: e });
    throw e;
  }
}
