/**
 * The safetensors format (Hugging Face's), bytes in and bytes out, so it runs in the browser as well as in Node
 * (file access lives in the `tapegrad/node` entry).
 *
 * Layout: an unsigned 64-bit little-endian integer N; N bytes of UTF-8 JSON, the header, mapping each tensor name to
 * `{ dtype, shape, data_offsets: [begin, end] }` (offsets in bytes, relative to the data that follows the header),
 * plus an optional `"__metadata__"` object of string to string; then the tensors' bytes, little-endian, row-major,
 * packed one after another. tapegrad pads the header with spaces so the data starts at a multiple of 8 bytes, as the
 * reference implementation does, which lets readers map the data as aligned typed arrays.
 *
 * Loading follows the reference reader: `loadSafetensors` returns the tensors by name (like `safetensors.torch.load`)
 * and `readSafetensorsMetadata` returns the metadata (like `safe_open(...).metadata()`). A file is validated
 * completely before any tensor is made, and every defect is a {@link SafetensorsError} naming the tensor and the
 * values at fault.
 * @module
 */
import { Tensor } from '../tensor.js';
import { type DType, allocate } from '../dtype.js';
import { formatShape, sizeOf } from '../shape.js';

/**
 * Thrown when bytes are not a valid safetensors file (or one tapegrad cannot read, such as an F16 tensor). The
 * message says which tensor and which values are wrong.
 * @example
 * ```ts
 * import { io } from 'tapegrad';
 * try { io.loadSafetensors(new Uint8Array(3)); } catch (e) { console.log(e instanceof io.SafetensorsError); } // true
 * ```
 */
export class SafetensorsError extends Error {
  /** 'SafetensorsError', the name an uncaught error is printed with. */
  override name = 'SafetensorsError';
}

const METADATA_KEY = '__metadata__';
/** safetensors dtype codes of the dtypes tapegrad stores, with their sizes in bytes. */
const CODES: Record<DType, { code: string; itemsize: number }> = {
  float32: { code: 'F32', itemsize: 4 },
  float64: { code: 'F64', itemsize: 8 },
};
const DTYPE_OF_CODE: Record<string, DType> = { F32: 'float32', F64: 'float64' };
const SUPPORTED = 'F32, F64';

// NOTE: typed arrays use the platform's byte order; on a little-endian platform (every browser and Node target in
// practice) their bytes are already the file's, so copying them is enough. The DataView paths keep big-endian correct.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Encodes named tensors (and optional string metadata) as a safetensors file. Tensors are stored in the key order of
 * `tensors`; float32 tensors as F32, float64 as F64. The result can be read back by {@link loadSafetensors} or by
 * the Python `safetensors` package (`safetensors.torch.load(bytes)`).
 * @param tensors the tensors by name (a model's `stateDict()`, for instance); `"__metadata__"` is reserved
 * @param metadata free-form string-to-string information stored in the header (for instance the format version)
 * @example
 * ```ts
 * import { io, tensor } from 'tapegrad';
 * const bytes = io.saveSafetensors({ weight: tensor([[1, 2], [3, 4]]) }, { format: 'pt' });
 * io.loadSafetensors(bytes).weight.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function saveSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (tensors === null || typeof tensors !== 'object') {
    throw new TypeError('saveSafetensors: expected an object mapping names to tensors');
  }
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    if (metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
      throw new TypeError('saveSafetensors: metadata must be an object mapping strings to strings');
    }
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new TypeError(`saveSafetensors: metadata values must be strings, but "${key}" is a ${typeof value}`);
      }
    }
    const copy: Record<string, string> = {};
    for (const [key, value] of Object.entries(metadata)) setOwn(copy, key, value);
    setOwn(header, METADATA_KEY, copy);
  }
  const entries = Object.entries(tensors);
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === METADATA_KEY) throw new TypeError(`saveSafetensors: "${METADATA_KEY}" is reserved for metadata and cannot name a tensor`);
    if (!(t instanceof Tensor)) throw new TypeError(`saveSafetensors: "${name}" is not a Tensor`);
    const { code, itemsize } = CODES[t.dtype];
    const end = offset + t.size * itemsize;
    setOwn(header, name, { dtype: code, shape: t.shape.slice(), data_offsets: [offset, end] });
    offset = end;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  // Spaces after the JSON are allowed by the format; they make 8 + N a multiple of 8 so the data is aligned.
  const headerSize = Math.ceil(json.length / 8) * 8;
  const dataStart = 8 + headerSize;
  const out = new Uint8Array(dataStart + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerSize), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, dataStart);

  let pos = dataStart;
  for (const [, t] of entries) {
    const { data } = t;
    if (LITTLE_ENDIAN) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), pos);
    } else if (data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++) view.setFloat64(pos + 8 * i, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat32(pos + 4 * i, data[i], true);
    }
    pos += data.byteLength;
  }
  return out;
}

/**
 * Decodes a safetensors file into tensors by name (in the header's order; each a new leaf that owns its storage,
 * so the input bytes may be reused afterwards). Only F32 and F64 tensors are read. The file is validated in full
 * first: a truncated or malformed file throws a {@link SafetensorsError} and returns nothing half-read. The metadata
 * is read by {@link readSafetensorsMetadata}.
 * @param bytes the whole file (a Node `Buffer` works too; so does an `ArrayBuffer`)
 * @example
 * ```ts
 * import { io, tensor } from 'tapegrad';
 * const bytes = io.saveSafetensors({ b: tensor([0.5, -1], { dtype: 'float64' }) });
 * const { b } = io.loadSafetensors(bytes);   // b.dtype === 'float64'
 * ```
 */
export function loadSafetensors(bytes: Uint8Array | ArrayBuffer): Record<string, Tensor> {
  const u8 = asBytes(bytes, 'loadSafetensors');
  const { entries, dataStart } = parseHeader(u8);
  const tensors: Record<string, Tensor> = {};
  for (const { name, dtype, shape, begin, end } of entries) {
    setOwn(tensors, name, new Tensor(decode(u8, dataStart + begin, dataStart + end, dtype), shape));
  }
  return tensors;
}

/**
 * The `"__metadata__"` map of a safetensors file (`{}` when the file has none). The whole header is validated as
 * {@link loadSafetensors} does it, so a file whose metadata reads here also loads.
 * @example
 * ```ts
 * import { io, tensor } from 'tapegrad';
 * const bytes = io.saveSafetensors({ w: tensor([1]) }, { epoch: '3' });
 * io.readSafetensorsMetadata(bytes); // { epoch: '3' }
 * ```
 */
export function readSafetensorsMetadata(bytes: Uint8Array | ArrayBuffer): Record<string, string> {
  return parseHeader(asBytes(bytes, 'readSafetensorsMetadata')).metadata;
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function asBytes(bytes: Uint8Array | ArrayBuffer, fn: string): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes;
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes);
  throw new TypeError(`${fn}: expected a Uint8Array or an ArrayBuffer with the file's bytes`);
}

// NOTE: names come from files; plain assignment of a name like "__proto__" would set the object's prototype
// instead of adding an entry, so every name is defined as an own property.
function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

/** Reads and checks the header against the buffer: every entry's dtype, shape and offsets, and the metadata. */
function parseHeader(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (bytes.length < 8) fail(`the file has ${bytes.length} bytes, fewer than the 8 of the header size`);
  const headerSize = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (headerSize > BigInt(bytes.length - 8)) {
    fail(`the header size is ${headerSize} bytes, but only ${bytes.length - 8} bytes follow the size (the file is truncated or not safetensors)`);
  }
  const dataStart = 8 + Number(headerSize);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail(`the header must be a JSON object, got ${header === null ? 'null' : Array.isArray(header) ? 'an array' : typeof header}`);
  }

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === METADATA_KEY) {
      if (info === null || typeof info !== 'object' || Array.isArray(info)) fail(`"${METADATA_KEY}" must be an object of strings`);
      for (const [key, value] of Object.entries(info as Record<string, unknown>)) {
        if (typeof value !== 'string') fail(`"${METADATA_KEY}" values must be strings, but "${key}" is ${JSON.stringify(value)}`);
        setOwn(metadata, key, value);
      }
      continue;
    }
    entries.push(parseEntry(name, info));
  }
  checkOffsets(entries, bytes.length - dataStart);
  return { entries, metadata, dataStart };
}

function parseEntry(name: string, info: unknown): Entry {
  if (info === null || typeof info !== 'object' || Array.isArray(info)) {
    fail(`tensor "${name}": expected an object with dtype, shape and data_offsets, got ${JSON.stringify(info)}`);
  }
  const { dtype: code, shape, data_offsets: offsets } = info as Record<string, unknown>;
  if (typeof code !== 'string' || !Object.hasOwn(DTYPE_OF_CODE, code)) {
    fail(`tensor "${name}": unsupported dtype ${JSON.stringify(code)}; tapegrad reads ${SUPPORTED}`);
  }
  const dtype = DTYPE_OF_CODE[code];
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor "${name}": shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor "${name}": data_offsets must be two non-negative integers [begin, end], got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) fail(`tensor "${name}": data_offsets [${begin}, ${end}] end before they begin`);
  const expected = sizeOf(shape as number[]) * CODES[dtype].itemsize;
  if (end - begin !== expected) {
    fail(`tensor "${name}": data_offsets [${begin}, ${end}] hold ${end - begin} bytes, but shape ${formatShape(shape as number[])} of ${code} needs ${expected}`);
  }
  return { name, dtype, shape: (shape as number[]).slice(), begin, end };
}

/** The tensors' byte ranges must tile the data exactly: no gap, no overlap, nothing past the end or left over. */
function checkOffsets(entries: readonly Entry[], dataLength: number): void {
  const sorted = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let previous: Entry | undefined;
  for (const e of sorted) {
    if (e.end > dataLength) {
      fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] run past the end of the data (${dataLength} bytes)`);
    }
    if (e.begin < pos) {
      fail(`tensor "${e.name}": data_offsets [${e.begin}, ${e.end}] overlap tensor "${previous!.name}" at [${previous!.begin}, ${previous!.end}]`);
    }
    if (e.begin > pos) {
      const after = previous ? `after tensor "${previous.name}" [${previous.begin}, ${previous.end}]` : 'at the start of the data';
      fail(`bytes [${pos}, ${e.begin}) ${after} belong to no tensor (tensor "${e.name}" begins at ${e.begin}); the data must be packed contiguously`);
    }
    pos = e.end;
    previous = e;
  }
  if (pos !== dataLength) {
    fail(`the tensors cover ${pos} bytes of data, but ${dataLength} bytes follow the header (bytes [${pos}, ${dataLength}) belong to no tensor)`);
  }
}

/** A fresh, aligned storage array with the values of bytes [begin, end). */
function decode(bytes: Uint8Array, begin: number, end: number, dtype: DType): Float32Array | Float64Array {
  const itemsize = CODES[dtype].itemsize;
  const out = allocate(dtype, (end - begin) / itemsize);
  if (LITTLE_ENDIAN) {
    // Copy rather than view: the input may sit at any byteOffset (a Node Buffer from a pool), and a view would also
    // tie the tensor to the caller's buffer.
    new Uint8Array(out.buffer).set(bytes.subarray(begin, end));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset + begin, end - begin);
    for (let i = 0; i < out.length; i++) out[i] = itemsize === 8 ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
  }
  return out;
}
