import { describe, it, expect } from 'vitest';
import { Generator, Tensor, randn, tensor, zeros } from '../../src/index.js';
import { SafetensorsError, loadSafetensors, readSafetensorsMetadata, saveSafetensors } from '../../src/io/index.js';

/** A safetensors file from a header written by hand and raw data bytes (8-byte LE size, header, data). */
function assemble(header: string, data: ArrayLike<number> = []): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The header of a file, read with the format's rules directly (independent of the library's reader). */
function readHeader(bytes: Uint8Array): { size: number; header: Record<string, any>; text: string } {
  const size = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + size));
  return { size, header: JSON.parse(text), text };
}

function load(bytes: Uint8Array): () => unknown {
  return () => loadSafetensors(bytes);
}

function randomTensor(shape: number[], seed: number, dtype: 'float32' | 'float64'): Tensor {
  return randn(shape, { dtype, generator: new Generator(seed) });
}

describe('saveSafetensors / loadSafetensors round trip', () => {
  it('keeps names, shapes, dtypes and values (float32 and float64)', () => {
    const a = randomTensor([3, 4], 1, 'float32');
    const b = randomTensor([2, 3, 2], 2, 'float64');
    const loaded = loadSafetensors(saveSafetensors({ a, b }));
    expect(Object.keys(loaded)).toEqual(['a', 'b']);
    expect(loaded.a.shape).toEqual([3, 4]);
    expect(loaded.a.dtype).toBe('float32');
    expect(Array.from(loaded.a.data)).toEqual(Array.from(a.data));
    expect(loaded.b.shape).toEqual([2, 3, 2]);
    expect(loaded.b.dtype).toBe('float64');
    expect(Array.from(loaded.b.data)).toEqual(Array.from(b.data));
    expect(loaded.a.data).not.toBe(a.data);
    expect(loaded.a.requiresGrad).toBe(false);
  });

  it('keeps 0-d and empty tensors', () => {
    const loaded = loadSafetensors(saveSafetensors({
      s: tensor(2.5, { dtype: 'float64' }),
      e: zeros([0, 3]),
      after: tensor([7, 8]),
    }));
    expect(loaded.s.shape).toEqual([]);
    expect(loaded.s.item()).toBe(2.5);
    expect(loaded.s.dtype).toBe('float64');
    expect(loaded.e.shape).toEqual([0, 3]);
    expect(loaded.e.size).toBe(0);
    expect(loaded.after.toArray()).toEqual([7, 8]);
  });

  it('handles an empty dict', () => {
    const bytes = saveSafetensors({});
    expect(loadSafetensors(bytes)).toEqual({});
    expect(readHeader(bytes).header).toEqual({});
  });

  it('stores and reads metadata separately from the tensors', () => {
    const bytes = saveSafetensors({ w: tensor([1]) }, { format: 'pt', epoch: '3', note: 'ünïcode ✓' });
    expect(readSafetensorsMetadata(bytes)).toEqual({ format: 'pt', epoch: '3', note: 'ünïcode ✓' });
    expect(Object.keys(loadSafetensors(bytes))).toEqual(['w']);
    expect(readSafetensorsMetadata(saveSafetensors({ w: tensor([1]) }))).toEqual({});
  });

  it('writes the layout of the format: u64 size, JSON header padded to 8, data packed in key order, little-endian', () => {
    const a = tensor([1.5, -2, 0.25]); // 12 bytes of F32
    const b = tensor([[0.1, 3]], { dtype: 'float64' }); // 16 bytes of F64
    const bytes = saveSafetensors({ first: a, second: b }, { k: 'v' });
    const { size, header, text } = readHeader(bytes);
    expect((8 + size) % 8).toBe(0);
    expect(text[0]).toBe('{'); // the format requires the header to start with '{'; padding goes after the JSON
    expect(text.length - text.trimEnd().length).toBeLessThan(8);
    expect(/^ *$/.test(text.slice(text.trimEnd().length))).toBe(true);
    expect(header).toEqual({
      __metadata__: { k: 'v' },
      first: { dtype: 'F32', shape: [3], data_offsets: [0, 12] },
      second: { dtype: 'F64', shape: [1, 2], data_offsets: [12, 28] },
    });
    expect(bytes.length).toBe(8 + size + 28);
    const data = new DataView(bytes.buffer, 8 + size);
    expect([0, 4, 8].map((o) => data.getFloat32(o, true))).toEqual([1.5, -2, 0.25]);
    expect([12, 20].map((o) => data.getFloat64(o, true))).toEqual([0.1, 3]);
  });

  it('keeps a tensor or metadata key named "__proto__" as an ordinary entry', () => {
    const tensors: Record<string, Tensor> = JSON.parse('{"__proto__": null}');
    tensors.__proto__ = tensor([4, 5]); // an own property now (JSON.parse made it one), not the prototype
    const metadata: Record<string, string> = JSON.parse('{"__proto__": "m"}');
    const bytes = saveSafetensors(tensors, metadata);
    expect(readHeader(bytes).text).toContain('"__proto__":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}');
    const loaded = loadSafetensors(bytes);
    expect(Object.keys(loaded)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(loaded)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(loaded, '__proto__')!.value.toArray()).toEqual([4, 5]);
    const meta = readSafetensorsMetadata(bytes);
    expect(Object.getOwnPropertyDescriptor(meta, '__proto__')!.value).toBe('m');
  });

  it('saves a tensor whose storage is a view at an offset of a larger buffer', () => {
    const big = new Float32Array([9, 9, 1, 2, 3, 9]);
    const t = new Tensor(big.subarray(2, 5), [3]);
    expect(loadSafetensors(saveSafetensors({ t })).t.toArray()).toEqual([1, 2, 3]);
  });
});

describe('loadSafetensors of a file written by hand from the format spec', () => {
  // 1.5 as f32 is 0x3FC00000, -2 is 0xC0000000; 0.25 as f64 is 0x3FD0000000000000; bytes little-endian.
  const data = [
    0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, // a: [1.5, -2]
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xd0, 0x3f, // b: 0.25
  ];
  const header =
    '{"__metadata__":{"source":"hand"},' +
    '"b":{"dtype":"F64","shape":[],"data_offsets":[8,16]},' +
    '"a":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}';

  it('reads the values, shapes and dtypes (header unpadded, tensors listed out of data order)', () => {
    const t = loadSafetensors(assemble(header, data));
    expect(t.a.dtype).toBe('float32');
    expect(t.a.toArray()).toEqual([[1.5], [-2]]);
    expect(t.b.dtype).toBe('float64');
    expect(t.b.shape).toEqual([]);
    expect(t.b.item()).toBe(0.25);
    expect(readSafetensorsMetadata(assemble(header, data))).toEqual({ source: 'hand' });
  });

  it('reads from a view with an odd byteOffset, from an ArrayBuffer, and from a Node Buffer, without aliasing', () => {
    const file = assemble(header, data);
    const host = new Uint8Array(file.length + 5);
    host.set(file, 3);
    const view = host.subarray(3, 3 + file.length);
    const t = loadSafetensors(view);
    expect(t.a.toArray()).toEqual([[1.5], [-2]]);
    expect(t.b.item()).toBe(0.25);
    host.fill(0); // the tensors own their storage
    expect(t.a.toArray()).toEqual([[1.5], [-2]]);
    expect(loadSafetensors(file.slice().buffer).b.item()).toBe(0.25);
    expect(loadSafetensors(Buffer.from(file)).a.toArray()).toEqual([[1.5], [-2]]);
  });

  it('accepts a header with trailing spaces and extra fields in an entry', () => {
    const h = '{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}   ';
    expect(loadSafetensors(assemble(h, [0, 0, 0x80, 0x3f])).x.toArray()).toEqual([1]); // 0x3F800000 = 1
  });
});

describe('loadSafetensors validation', () => {
  const f32 = (n: number) => new Array(4 * n).fill(0);
  const entry = (dtype: unknown, shape: unknown, offsets: unknown) =>
    JSON.stringify({ dtype, shape, data_offsets: offsets });

  it('every error is a SafetensorsError', () => {
    expect(load(new Uint8Array(3))).toThrow(SafetensorsError);
  });

  it('fewer than 8 bytes', () => {
    expect(load(new Uint8Array(5))).toThrow(/5 bytes, fewer than the 8/);
  });

  it('a header size beyond the buffer', () => {
    const bytes = assemble('{}');
    new DataView(bytes.buffer).setBigUint64(0, 100n, true);
    expect(load(bytes)).toThrow(/header size is 100 bytes, but only 2 bytes follow/);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n, true);
    expect(load(bytes)).toThrow(/header size is 9223372036854775808 bytes/);
  });

  it('a header that is not UTF-8, not JSON, or not an object', () => {
    const bad = assemble('{}');
    bad[8] = 0xff;
    expect(load(bad)).toThrow(/not valid UTF-8/);
    expect(load(assemble('{"a": '))).toThrow(/not valid JSON/);
    expect(load(assemble(''))).toThrow(/not valid JSON/);
    expect(load(assemble('[1, 2]'))).toThrow(/must be a JSON object, got an array/);
    expect(load(assemble('null'))).toThrow(/must be a JSON object, got null/);
    expect(load(assemble('"hi"'))).toThrow(/must be a JSON object, got string/);
  });

  it('an entry that is not an object', () => {
    expect(load(assemble('{"w": 3}'))).toThrow(/tensor "w": expected an object with dtype, shape and data_offsets, got 3/);
  });

  it('an unknown or unsupported dtype, saying which are supported', () => {
    expect(load(assemble(`{"w":${entry('F16', [2], [0, 4])}}`, f32(1)))).toThrow(/tensor "w": unsupported dtype "F16"; tapegrad reads F32, F64/);
    expect(load(assemble(`{"w":${entry('float32', [1], [0, 4])}}`, f32(1)))).toThrow(/unsupported dtype "float32"/);
    expect(load(assemble(`{"w":${entry(undefined, [1], [0, 4])}}`, f32(1)))).toThrow(/tensor "w": unsupported dtype undefined/);
    expect(load(assemble(`{"w":${entry('toString', [1], [0, 4])}}`, f32(1)))).toThrow(/unsupported dtype "toString"/);
  });

  it('a shape that is not an array of non-negative integers', () => {
    for (const shape of [2, [2, -1], [1.5], ['2'], null]) {
      expect(load(assemble(`{"w":${entry('F32', shape, [0, 4])}}`, f32(1)))).toThrow(/tensor "w": shape must be an array of non-negative integers/);
    }
  });

  it('data_offsets that are not two non-negative integers, or end before they begin', () => {
    for (const offsets of [[0], [0, 4, 8], [-4, 0], [0, 4.5], '0,4', null]) {
      expect(load(assemble(`{"w":${entry('F32', [1], offsets)}}`, f32(1)))).toThrow(/tensor "w": data_offsets must be two non-negative integers/);
    }
    expect(load(assemble(`{"w":${entry('F32', [0], [4, 0])}}`, f32(1)))).toThrow(/tensor "w": data_offsets \[4, 0\] end before they begin/);
  });

  it('a byte length that does not match the shape and dtype', () => {
    // [2, 3] of F32 needs 2·3·4 = 24 bytes
    expect(load(assemble(`{"w":${entry('F32', [2, 3], [0, 20])}}`, f32(5)))).toThrow(
      /tensor "w": data_offsets \[0, 20\] hold 20 bytes, but shape \[2,3\] of F32 needs 24/,
    );
    // [3] of F64 needs 24 bytes
    expect(load(assemble(`{"w":${entry('F64', [3], [0, 12])}}`, f32(3)))).toThrow(/shape \[3\] of F64 needs 24/);
  });

  it('data_offsets past the end of the data', () => {
    expect(load(assemble(`{"w":${entry('F32', [2], [0, 8])}}`, f32(1)))).toThrow(
      /tensor "w": data_offsets \[0, 8\] run past the end of the data \(4 bytes\)/,
    );
  });

  it('overlapping tensors', () => {
    const h = `{"a":${entry('F32', [2], [0, 8])},"b":${entry('F32', [2], [4, 12])}}`;
    expect(load(assemble(h, f32(3)))).toThrow(/tensor "b": data_offsets \[4, 12\] overlap tensor "a" at \[0, 8\]/);
    // an empty tensor inside another one overlaps it too
    const h2 = `{"a":${entry('F32', [2], [0, 8])},"e":${entry('F32', [0], [4, 4])}}`;
    expect(load(assemble(h2, f32(2)))).toThrow(/tensor "e": data_offsets \[4, 4\] overlap tensor "a"/);
  });

  it('data not covered contiguously: a gap, a start after 0, bytes left over', () => {
    const gap = `{"a":${entry('F32', [1], [0, 4])},"b":${entry('F32', [1], [8, 12])}}`;
    expect(load(assemble(gap, f32(3)))).toThrow(/bytes \[4, 8\) after tensor "a" \[0, 4\] belong to no tensor \(tensor "b" begins at 8\)/);
    const late = `{"a":${entry('F32', [1], [4, 8])}}`;
    expect(load(assemble(late, f32(2)))).toThrow(/bytes \[0, 4\) at the start of the data belong to no tensor/);
    const extra = `{"a":${entry('F32', [1], [0, 4])}}`;
    expect(load(assemble(extra, f32(2)))).toThrow(/the tensors cover 4 bytes of data, but 8 bytes follow the header/);
    expect(load(assemble('{}', [1, 2]))).toThrow(/cover 0 bytes of data, but 2 bytes follow/);
  });

  it('__metadata__ that is not a map of strings', () => {
    expect(load(assemble('{"__metadata__":{"epoch":3}}'))).toThrow(/"__metadata__" values must be strings, but "epoch" is 3/);
    expect(load(assemble('{"__metadata__":["a"]}'))).toThrow(/"__metadata__" must be an object of strings/);
    expect(() => readSafetensorsMetadata(assemble('{"__metadata__":{"a":null}}'))).toThrow(/"a" is null/);
  });

  it('metadata reading validates the tensors too', () => {
    expect(() => readSafetensorsMetadata(assemble(`{"w":${entry('I8', [1], [0, 1])}}`, [0]))).toThrow(/unsupported dtype "I8"/);
  });

  it('input that is not bytes', () => {
    expect(() => loadSafetensors([1, 2, 3] as never)).toThrow(TypeError);
  });
});

describe('saveSafetensors argument errors', () => {
  it('refuses non-tensors, the reserved name and non-string metadata', () => {
    expect(() => saveSafetensors({ w: [1, 2] as never })).toThrow(/"w" is not a Tensor/);
    expect(() => saveSafetensors({ __metadata__: tensor([1]) })).toThrow(/"__metadata__" is reserved/);
    expect(() => saveSafetensors({ w: tensor([1]) }, { epoch: 3 as never })).toThrow(/metadata values must be strings, but "epoch" is a number/);
    expect(() => saveSafetensors({ w: tensor([1]) }, null as never)).toThrow(/metadata must be an object/);
    expect(() => saveSafetensors(null as never)).toThrow(TypeError);
  });
});
