import { describe, it, expect } from 'vitest';
import { Generator, ShapeError, Tensor, nn, randn, tensor, zeros } from '../../src/index.js';
import {
  CheckpointError, SafetensorsError, loadCheckpoint, loadSafetensors, readSafetensorsMetadata, restoreCheckpoint,
  saveCheckpoint, saveSafetensors, type OptimizerStateDict,
} from '../../src/io/index.js';
import { DataLoader, TensorDataset } from '../../src/data/index.js';
import { Dropout } from '../../src/nn/layers/dropout.js';
import { Adam, ReduceLROnPlateau, SGD, StepLR } from '../../src/optim/index.js';

// ---- helpers ----

/** The bytes of a tensor's storage, so comparisons are bitwise (−0 vs 0 and NaN payloads included). */
function tensorBits(t: Tensor): number[] {
  return Array.from(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

function modelBits(model: nn.Module): number[][] {
  return model.parameters().map(tensorBits);
}

/** An optimizer state dict with every tensor replaced by its shape and bits, for exact comparison. */
function stateBits(dict: OptimizerStateDict): unknown {
  const state = Object.fromEntries(Object.entries(dict.state).map(([i, s]) => [
    i, Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Tensor ? { shape: v.shape, bits: tensorBits(v) } : v])),
  ]));
  return { state, paramGroups: dict.paramGroups };
}

/** The header of a safetensors file, read with the format's rules directly (independent of the library). */
function readHeader(bytes: Uint8Array): Record<string, any> {
  const size = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + size)));
}

// 23 samples in batches of 5: 5 steps per epoch, the last one of 3 samples.
const x = randn([23, 4], { generator: new Generator(100) });
const y = randn([23, 2], { generator: new Generator(101) });
const dataset = new TensorDataset(x, y);

/**
 * A training run: a small MLP with dropout, Adam, StepLR, and one generator that both shuffles the loader and draws
 * the dropout masks (so its state is the run's whole randomness). `initSeed` sets the initial weights.
 */
function makeRun(initSeed: number, genSeed: number) {
  const generator = new Generator(genSeed);
  const model = new nn.Sequential(
    new nn.Dense(4, 8, { generator: new Generator(initSeed) }),
    new nn.ReLU(),
    new Dropout(0.25, { generator }),
    new nn.Dense(8, 2, { generator: new Generator(initSeed + 1) }),
  );
  const optimizer = new Adam(model.parameters(), { lr: 0.05 });
  const scheduler = new StepLR(optimizer, 2, { gamma: 0.5 });
  const loader = new DataLoader(dataset, { batchSize: 5, shuffle: true, generator });
  const trainEpoch = () => {
    for (const [xb, yb] of loader) {
      optimizer.zeroGrad();
      model.forward(xb).sub(yb).square().mean().backward();
      optimizer.step();
    }
    scheduler.step();
  };
  return { generator, model, optimizer, scheduler, loader, trainEpoch };
}

type Run = ReturnType<typeof makeRun>;

function snapshot(run: Run) {
  return {
    model: modelBits(run.model),
    optimizer: stateBits(run.optimizer.stateDict()),
    scheduler: JSON.stringify(run.scheduler.stateDict()),
    generator: run.generator.getState(),
    lr: run.optimizer.paramGroups[0].lr,
  };
}

// ---- the training checkpoint ----

describe('a training checkpoint (model + optimizer + scheduler + generator + epoch)', () => {
  it('resumes bit-identically to the uninterrupted run', () => {
    const k = 3;
    // The uninterrupted run: k epochs, a checkpoint, then 3 more epochs.
    const a = makeRun(1, 7);
    for (let e = 0; e < k; e++) a.trainEpoch();
    const bytes = saveCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, generator: a.generator, epoch: k });
    const atCheckpoint = modelBits(a.model);
    for (let e = k; e < k + 3; e++) a.trainEpoch();

    // Fresh objects (other initial weights, another seed), restored from the bytes, then the same 3 epochs.
    const b = makeRun(50, 60);
    expect(modelBits(b.model)).not.toEqual(atCheckpoint);
    const { epoch } = restoreCheckpoint(bytes, { model: b.model, optimizer: b.optimizer, scheduler: b.scheduler, generator: b.generator });
    expect(epoch).toBe(k);
    expect(modelBits(b.model)).toEqual(atCheckpoint);
    for (let e = k; e < k + 3; e++) b.trainEpoch();

    // training moved the weights after the checkpoint, and both runs moved them to exactly the same bits
    expect(modelBits(a.model)).not.toEqual(atCheckpoint);
    expect(snapshot(b)).toEqual(snapshot(a));
    // StepLR halves lr every 2 epochs: after 6 epochs, 0.05 · 0.5³
    expect(b.optimizer.paramGroups[0].lr).toBeCloseTo(0.05 * 0.5 ** 3, 15);
  });

  it('needs every part: without the generator state the resumed run goes elsewhere', () => {
    const a = makeRun(1, 7);
    a.trainEpoch();
    const bytes = saveCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, generator: a.generator, epoch: 1 });
    a.trainEpoch();
    const b = makeRun(50, 60);
    restoreCheckpoint(bytes, { model: b.model, optimizer: b.optimizer, scheduler: b.scheduler });
    b.trainEpoch();
    expect(modelBits(b.model)).not.toEqual(modelBits(a.model));
  });

  it('stores each part where the format says: prefixed tensors, JSON metadata', () => {
    const a = makeRun(1, 7);
    a.trainEpoch();
    const bytes = saveCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, generator: a.generator, epoch: 1, extra: { best: 0.5 } });
    const header = readHeader(bytes);
    const names = Object.keys(header).filter((n) => n !== '__metadata__');
    expect(names.filter((n) => n.startsWith('model.'))).toEqual(['model.0.weight', 'model.0.bias', 'model.3.weight', 'model.3.bias']);
    // Adam keeps two moment estimates per parameter, 4 parameters
    for (let i = 0; i < 4; i++) {
      expect(names).toContain(`optimizer.state.${i}.expAvg`);
      expect(names).toContain(`optimizer.state.${i}.expAvgSq`);
    }
    expect(header['model.0.weight'].shape).toEqual([8, 4]);
    expect(header['optimizer.state.2.expAvg'].shape).toEqual([2, 8]);
    const meta = header.__metadata__;
    expect(meta.format).toBe('tapegrad.checkpoint');
    expect(meta.version).toBe('1');
    expect(JSON.parse(meta.epoch)).toBe(1);
    expect(JSON.parse(meta.extra)).toEqual({ best: 0.5 });
    expect(JSON.parse(meta.generator)).toEqual(a.generator.getState());
    expect(JSON.parse(meta.scheduler)).toEqual(JSON.parse(JSON.stringify(a.scheduler.stateDict())));
    const opt = JSON.parse(meta.optimizer);
    expect(opt.state['1'].expAvg).toEqual({ $tensor: 'optimizer.state.1.expAvg' });
    expect(opt.state['1'].step).toBe(5); // one epoch of 5 batches
    expect(opt.paramGroups[0].params).toEqual([0, 1, 2, 3]);
    expect(opt.paramGroups[0].betas).toEqual([0.9, 0.999]);
  });

  it('loads back as plain values equal to what was saved', () => {
    const a = makeRun(1, 7);
    a.trainEpoch();
    const ckpt = loadCheckpoint(saveCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler, generator: a.generator, epoch: 1 }));
    expect(Object.keys(ckpt.model!)).toEqual(Object.keys(a.model.stateDict()));
    expect(Object.values(ckpt.model!).map(tensorBits)).toEqual(modelBits(a.model));
    expect(stateBits(ckpt.optimizer!)).toEqual(stateBits(a.optimizer.stateDict()));
    expect(ckpt.scheduler).toEqual(a.scheduler.stateDict());
    expect(ckpt.generator).toEqual(a.generator.getState());
    expect(ckpt.epoch).toBe(1);
    expect(ckpt.extra).toBeUndefined();
  });
});

describe('restoreCheckpoint leaves everything as it was on bad input', () => {
  /** A run one epoch in (so the optimizer has state), and a valid checkpoint of a different run. */
  function setup() {
    const run = makeRun(1, 7);
    run.trainEpoch();
    const other = makeRun(30, 40);
    other.trainEpoch();
    other.trainEpoch();
    const good = saveCheckpoint({ model: other.model, optimizer: other.optimizer, scheduler: other.scheduler, generator: other.generator, epoch: 2 });
    return { run, good, before: snapshot(run) };
  }

  const targets = (run: Run) => ({ model: run.model, optimizer: run.optimizer, scheduler: run.scheduler, generator: run.generator });

  it('on a truncated file', () => {
    const { run, good, before } = setup();
    for (const length of [good.length - 1, good.length - 100, 60, 7, 0]) {
      expect(() => restoreCheckpoint(good.subarray(0, length), targets(run))).toThrow(SafetensorsError);
      expect(snapshot(run)).toEqual(before);
    }
  });

  it('on a corrupted header', () => {
    const { run, good, before } = setup();
    const headerSize = Number(new DataView(good.buffer).getBigUint64(0, true));
    for (const at of [8, 9, 20, 60, Math.floor(headerSize / 2), headerSize - 40, headerSize + 7]) {
      const bad = good.slice();
      bad[at] = 0; // a control character is valid nowhere in JSON, inside strings or out
      expect(() => restoreCheckpoint(bad, targets(run)), `byte ${at}`).toThrow(/safetensors|checkpoint/);
      expect(snapshot(run)).toEqual(before);
    }
    const sizeLie = good.slice();
    new DataView(sizeLie.buffer).setBigUint64(0, BigInt(headerSize + 8), true);
    expect(() => restoreCheckpoint(sizeLie, targets(run))).toThrow(SafetensorsError);
    expect(snapshot(run)).toEqual(before);
  });

  it('on a checkpoint of a model of other shapes', () => {
    const { run, before } = setup();
    const wide = new nn.Sequential(
      new nn.Dense(4, 9, { generator: new Generator(70) }), new nn.ReLU(), new Dropout(0.25, { generator: new Generator(71) }),
      new nn.Dense(9, 2, { generator: new Generator(72) }),
    );
    expect(() => restoreCheckpoint(saveCheckpoint({ model: wide }), { model: run.model })).toThrow(ShapeError);
    const renamed = Object.fromEntries(Object.entries(run.model.stateDict()).map(([k, v]) => [`net.${k}`, v]));
    expect(() => restoreCheckpoint(saveCheckpoint({ model: renamed }), { model: run.model })).toThrow(/missing keys: 0.weight/);
    expect(snapshot(run)).toEqual(before);
  });

  it('when the optimizer refuses its state after the model was written (the model is put back)', () => {
    const { run, good, before } = setup();
    const ckpt = loadCheckpoint(good);
    expect(Object.values(ckpt.model!).map(tensorBits)).not.toEqual(before.model);
    ckpt.optimizer!.state[0].expAvg = zeros([3, 3]); // parameter 0 is [8, 4]
    expect(() => restoreCheckpoint(ckpt, targets(run))).toThrow(ShapeError);
    expect(snapshot(run)).toEqual(before);
  });

  it('when the scheduler refuses its state (model and optimizer are put back)', () => {
    const { run, good, before } = setup();
    const picky = {
      stateDict: () => run.scheduler.stateDict(),
      loadStateDict: () => {
        throw new RangeError('scheduler: bad state');
      },
    };
    expect(() => restoreCheckpoint(good, { ...targets(run), scheduler: picky })).toThrow('scheduler: bad state');
    expect(snapshot(run)).toEqual(before);
  });

  it('when a part asked for is not in the checkpoint', () => {
    const { run, before } = setup();
    const modelOnly = saveCheckpoint({ model: makeRun(30, 40).model });
    expect(() => restoreCheckpoint(modelOnly, targets(run))).toThrow(CheckpointError);
    expect(() => restoreCheckpoint(modelOnly, targets(run))).toThrow(/has no optimizer state \(it holds model\)/);
    expect(snapshot(run)).toEqual(before);
  });

  it('when the optimizer has other groups than the checkpoint', () => {
    const { run, good, before } = setup();
    const params = run.model.parameters();
    const twoGroups = new Adam([{ params: params.slice(0, 2) }, { params: params.slice(2) }]);
    expect(() => restoreCheckpoint(good, { model: run.model, optimizer: twoGroups })).toThrow(/1 parameter groups in the checkpoint, 2 in the optimizer/);
    expect(snapshot(run)).toEqual(before);
  });
});

// ---- the format in detail ----

describe('saveCheckpoint / loadCheckpoint', () => {
  it('keeps numbers JSON cannot write, nested values and tensors inside extra', () => {
    const t = tensor([[1, 2]], { dtype: 'float64' });
    const extra = { inf: Infinity, ninf: -Infinity, nan: NaN, negZero: -0, list: [1, { t }, null, true, 'x'], empty: {} };
    const back = loadCheckpoint(saveCheckpoint({ extra })).extra as typeof extra;
    expect(back.inf).toBe(Infinity);
    expect(back.ninf).toBe(-Infinity);
    expect(back.nan).toBeNaN();
    expect(Object.is(back.negZero, -0)).toBe(true);
    expect(back.list[0]).toBe(1);
    const inner = (back.list[1] as { t: Tensor }).t;
    expect(inner.dtype).toBe('float64');
    expect(inner.toArray()).toEqual([[1, 2]]);
    expect(back.list.slice(2)).toEqual([null, true, 'x']);
    expect(back.empty).toEqual({});
    expect(Object.keys(loadSafetensors(saveCheckpoint({ extra })))).toEqual(['extra.list.1.t']);
  });

  it('saves a model given as tensors by name, and SGD\'s momentum state', () => {
    const w = randn([3, 2], { generator: new Generator(3) });
    const b = randn([2], { generator: new Generator(4) }).requiresGrad_();
    const sgd = new SGD([b], { lr: 0.1, momentum: 0.9 });
    b.grad = tensor([1, -1]);
    sgd.step();
    const ckpt = loadCheckpoint(saveCheckpoint({ model: { w, b }, optimizer: sgd }));
    expect(tensorBits(ckpt.model!.w)).toEqual(tensorBits(w));
    // the first momentum step stores the gradient itself as the buffer
    expect(ckpt.optimizer!.state[0].momentumBuffer).toBeInstanceOf(Tensor);
    expect((ckpt.optimizer!.state[0].momentumBuffer as Tensor).toArray()).toEqual([1, -1]);
    expect(ckpt.optimizer!.paramGroups[0].momentum).toBe(0.9);

    const w2 = zeros([3, 2]);
    const b2 = zeros([2]);
    restoreCheckpoint(ckpt, { model: { w: w2, b: b2 } });
    expect(tensorBits(w2)).toEqual(tensorBits(w));
    expect(tensorBits(b2)).toEqual(tensorBits(b));
  });

  it('restores a ReduceLROnPlateau whose best is still infinite', () => {
    const p = zeros([2]).requiresGrad_();
    const opt = new SGD([p], { lr: 0.1 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    plateau.step(3);
    plateau.step(4); // worse: with patience 0, lr halves
    const bytes = saveCheckpoint({ optimizer: opt, scheduler: plateau });
    const opt2 = new SGD([zeros([2]).requiresGrad_()], { lr: 0.1 });
    const fresh = new ReduceLROnPlateau(opt2, { patience: 0, factor: 0.5 });
    restoreCheckpoint(bytes, { optimizer: opt2, scheduler: fresh });
    expect(fresh.best).toBe(3);
    expect(opt2.paramGroups[0].lr).toBe(0.05);
    expect(fresh.stateDict()).toEqual(plateau.stateDict());
    // a fresh one (best = +Infinity) survives the trip too
    const untouched = new ReduceLROnPlateau(new SGD([zeros([1]).requiresGrad_()], { lr: 1 }));
    const target = new ReduceLROnPlateau(new SGD([zeros([1]).requiresGrad_()], { lr: 1 }));
    target.step(1);
    restoreCheckpoint(saveCheckpoint({ scheduler: untouched }), { scheduler: target });
    expect(target.best).toBe(Infinity);
  });

  it('saves buffers with the parameters', () => {
    class WithStats extends nn.Module {
      fc = new nn.Dense(2, 2, { generator: new Generator(0) });
      runningMean = new nn.Buffer(tensor([0.25, -0.5]));
      forward(t: Tensor): Tensor {
        return this.fc.forward(t);
      }
    }
    const m = new WithStats();
    const fresh = new WithStats();
    fresh.runningMean.data.fill(0);
    restoreCheckpoint(saveCheckpoint({ model: m }), { model: fresh });
    expect(fresh.runningMean.toArray()).toEqual([0.25, -0.5]);
  });

  it('refuses what it cannot store, naming where it is', () => {
    expect(() => saveCheckpoint({ weights: {} } as never)).toThrow(/unknown part "weights"/);
    expect(() => saveCheckpoint({ extra: { f: () => 1 } })).toThrow(/extra.f is a function/);
    expect(() => saveCheckpoint({ extra: { m: new Map() } })).toThrow(/extra.m is a Map/);
    expect(() => saveCheckpoint({ extra: [new Float32Array(2)] })).toThrow(/extra.0 is a Float32Array/);
    expect(() => saveCheckpoint({ extra: { $tensor: 'x' } })).toThrow(/reserved/);
    expect(() => saveCheckpoint({ extra: [undefined] })).toThrow(/undefined/);
    expect(() => saveCheckpoint({ epoch: NaN })).toThrow(/epoch must be a finite number/);
    expect(() => saveCheckpoint({ model: { w: [1] as never } })).toThrow(/model "w" is not a Tensor/);
    expect(() => saveCheckpoint({ optimizer: {} as never })).toThrow(/stateDict\(\) and loadStateDict\(\)/);
    expect(() => saveCheckpoint({ generator: {} as never })).toThrow(/generator must be a Generator/);
    const broken = { stateDict: () => ({ state: {}, paramGroups: [{ params: ['a'] }] }), loadStateDict: () => {} };
    expect(() => saveCheckpoint({ optimizer: broken as never })).toThrow(/paramGroups\[0\]/);
  });

  it('refuses files that are not valid checkpoints', () => {
    const meta = (parts: Record<string, string>) => ({ format: 'tapegrad.checkpoint', version: '1', ...parts });
    const w = tensor([1, 2]);
    expect(() => loadCheckpoint(saveSafetensors({ w }))).toThrow(/not a tapegrad checkpoint/);
    expect(() => loadCheckpoint(saveSafetensors({}, { ...meta({}), version: '2' }))).toThrow(/version "2" is not supported/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ epoch: '{' })))).toThrow(/epoch entry of the metadata is not valid JSON/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ model: '{"w":{"$tensor":"model.w"}}' })))).toThrow(/refers to tensor "model.w", which the file does not hold/);
    expect(() => loadCheckpoint(saveSafetensors({ 'model.w': w, stray: w }, meta({ model: '{"w":{"$tensor":"model.w"}}' })))).toThrow(/"stray" belong to no part/);
    expect(() => loadCheckpoint(saveSafetensors({ 'model.w': w }, meta({ model: '{"w":{"$tensor":"model.w"},"v":{"$tensor":"model.w"}}' })))).toThrow(/referred to twice/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ model: '{"w":3}' })))).toThrow(/model must be an object of tensors/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ epoch: '"three"' })))).toThrow(/epoch must be a finite number/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ generator: '{"seed":1}' })))).toThrow(/generator state/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ optimizer: '{"state":{"x":{}},"paramGroups":[]}' })))).toThrow(/not a parameter index/);
    expect(() => loadCheckpoint(saveSafetensors({}, meta({ extra: '{"$number":"Huge"}' })))).toThrow(/special number/);
    for (const bytes of [saveSafetensors({ w })]) expect(() => loadCheckpoint(bytes)).toThrow(CheckpointError);
    // an empty but valid checkpoint
    expect(loadCheckpoint(saveCheckpoint({}))).toEqual({});
    expect(readSafetensorsMetadata(saveCheckpoint({}))).toEqual({ format: 'tapegrad.checkpoint', version: '1' });
  });

  it('checks restore targets', () => {
    const bytes = saveCheckpoint({ epoch: 1 });
    expect(() => restoreCheckpoint(bytes, { net: new nn.ReLU() } as never)).toThrow(/unknown target "net"/);
    expect(() => restoreCheckpoint(bytes, { generator: new Generator(0) })).toThrow(/has no generator state \(it holds epoch\)/);
    expect(restoreCheckpoint(bytes, {})).toEqual({ epoch: 1, extra: undefined });
  });
});
