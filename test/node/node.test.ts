import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Generator, nn, randn, tensor } from '../../src/index.js';
import { CheckpointError, SafetensorsError, readSafetensorsMetadata, restoreCheckpoint } from '../../src/io/index.js';
import { loadCheckpointFile, loadFile, saveFile } from '../../src/node/index.js';

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


/** Every parameter's bits, to compare models exactly. */
function bits(model: nn.Module): number[][] {
  return model.parameters().map((p) => Array.from(new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.byteLength)));
}

describe('saveFile of a module or a checkpoint', () => {
  it('saves a module as its state dict, and returns the bytes written', () => {
    const model = new nn.Sequential(new nn.Dense(3, 4, { generator: new Generator(1) }), new nn.ReLU(), new nn.Dense(4, 2, { generator: new Generator(2) }));
    const path = join(dir, 'module.safetensors');
    const written = saveFile(path, model);
    expect(written).toBe(statSync(path).size);
    const loaded = loadFile(path);
    expect(Object.keys(loaded)).toEqual(['0.weight', '0.bias', '2.weight', '2.bias']);
    const fresh = new nn.Sequential(new nn.Dense(3, 4, { generator: new Generator(8) }), new nn.ReLU(), new nn.Dense(4, 2, { generator: new Generator(9) }));
    expect(bits(fresh)).not.toEqual(bits(model));
    fresh.loadStateDict(loaded);
    expect(bits(fresh)).toEqual(bits(model));
  });

  it('saves a checkpoint object as a checkpoint, read back by loadCheckpointFile', () => {
    const model = new nn.Dense(2, 3, { generator: new Generator(4) });
    const generator = new Generator(17);
    generator.random();
    const path = join(dir, 'run.safetensors');
    saveFile(path, { model, generator, epoch: 5, extra: { note: 'hi', best: Infinity } });
    const ckpt = loadCheckpointFile(path);
    expect(ckpt.epoch).toBe(5);
    expect(ckpt.extra).toEqual({ note: 'hi', best: Infinity });
    expect(ckpt.generator).toEqual(generator.getState());
    expect(Object.keys(ckpt.model!)).toEqual(['weight', 'bias']);
    // as plain safetensors, the tensors carry their part's prefix
    expect(Object.keys(loadFile(path))).toEqual(['model.weight', 'model.bias']);

    const fresh = new nn.Dense(2, 3, { generator: new Generator(5) });
    const g2 = new Generator(0);
    expect(restoreCheckpoint(ckpt, { model: fresh, generator: g2 }).epoch).toBe(5);
    expect(bits(fresh)).toEqual(bits(model));
    expect(g2.random()).toBe(generator.random());
  });

  it('treats an object of tensors as tensors, even with a part\'s name as key', () => {
    const path = join(dir, 'named.safetensors');
    saveFile(path, { model: tensor([1, 2]), epoch: tensor([3]) });
    expect(Object.keys(loadFile(path))).toEqual(['model', 'epoch']);
    expect(() => loadCheckpointFile(path)).toThrow(CheckpointError);
  });

  it('refuses metadata with a checkpoint, before touching the file', () => {
    const path = join(dir, 'never-ckpt.safetensors');
    expect(() => saveFile(path, { epoch: 1 }, { a: 'b' })).toThrow(/extra/);
    expect(() => saveFile(path, { epoch: 1, extra: () => 0 } as never)).toThrow(TypeError);
    expect(existsSync(path)).toBe(false);
  });

  it('names the path when a checkpoint file is not one', () => {
    const path = join(dir, 'plain.safetensors');
    saveFile(path, { w: tensor([1]) });
    expect(() => loadCheckpointFile(path)).toThrow(`${path}: checkpoint: not a tapegrad checkpoint`);
    writeFileSync(path, 'hello');
    expect(() => loadCheckpointFile(path)).toThrow(SafetensorsError);
    expect(() => loadCheckpointFile(path)).toThrow(`${path}: safetensors:`);
  });

  it('writes through a temporary file and leaves none behind, also when the write fails', () => {
    const sub = mkdtempSync(join(dir, 'atomic-'));
    saveFile(join(sub, 'a.safetensors'), { w: tensor([1]) });
    saveFile(join(sub, 'a.safetensors'), { w: tensor([2]) });
    expect(readdirSync(sub)).toEqual(['a.safetensors']);
    expect(() => saveFile(join(sub, 'missing-dir', 'b.safetensors'), { w: tensor([1]) })).toThrow(/ENOENT/);
    expect(readdirSync(sub)).toEqual(['a.safetensors']);
  });
});
