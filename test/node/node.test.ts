import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, randn, tensor } from '../../src/index.js';
import { SafetensorsError, readSafetensorsMetadata } from '../../src/io/index.js';
import { loadFile, saveFile } from '../../src/node/index.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapegrad-node-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('saveFile / loadFile', () => {
  it('round-trips tensors of both dtypes through a file', () => {
    const w = randn([3, 2], { generator: new Generator(5) });
    const b = tensor([0.1, -0.2], { dtype: 'float64' });
    const path = join(dir, 'model.safetensors');
    saveFile(path, { w, b });
    const loaded = loadFile(path);
    expect(Object.keys(loaded)).toEqual(['w', 'b']);
    expect(loaded.w.shape).toEqual([3, 2]);
    expect(Array.from(loaded.w.data)).toEqual(Array.from(w.data));
    expect(loaded.b.dtype).toBe('float64');
    expect(loaded.b.toArray()).toEqual([0.1, -0.2]);
  });

  it('writes the safetensors layout, with metadata', () => {
    const path = join(dir, 'meta.safetensors');
    saveFile(path, { x: tensor([1, 2]) }, { epoch: '7' });
    const bytes = readFileSync(path);
    // 8-byte little-endian header size, then a JSON header padded so the data (8 bytes of F32 here) is aligned
    const size = Number(bytes.readBigUInt64LE(0));
    expect((8 + size) % 8).toBe(0);
    expect(bytes.length).toBe(8 + size + 2 * 4);
    expect(JSON.parse(bytes.subarray(8, 8 + size).toString('utf8')).x).toEqual({ dtype: 'F32', shape: [2], data_offsets: [0, 8] });
    expect(readSafetensorsMetadata(bytes)).toEqual({ epoch: '7' });
  });

  it('overwrites an existing file', () => {
    const path = join(dir, 'again.safetensors');
    saveFile(path, { a: tensor([1, 2, 3]) });
    saveFile(path, { c: tensor([4]) });
    expect(Object.keys(loadFile(path))).toEqual(['c']);
  });

  it('does not create the file when the arguments are bad', () => {
    const path = join(dir, 'never.safetensors');
    expect(() => saveFile(path, { w: [1] as never })).toThrow(/"w" is not a Tensor/);
    expect(existsSync(path)).toBe(false);
  });

  it('names the path when the file is not safetensors', () => {
    const path = join(dir, 'junk.safetensors');
    writeFileSync(path, 'hello');
    expect(() => loadFile(path)).toThrow(SafetensorsError);
    expect(() => loadFile(path)).toThrow(`${path}: safetensors: the file has 5 bytes, fewer than the 8`);
  });

  it('passes on file-system errors', () => {
    expect(() => loadFile(join(dir, 'missing.safetensors'))).toThrow(/ENOENT/);
  });
});
