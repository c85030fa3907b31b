import { describe, it, expect } from 'vitest';
import { Generator, ShapeError, Tensor, arange, manualSeed, tensor, zeros } from '../../src/index.js';
import { DataLoader, TensorDataset, defaultCollate, randomSplit, type Dataset } from '../../src/data/index.js';
import { referencePerm, thrown } from '../helpers.js';

/** Rows x_i = [2i, 2i+1] and labels y_i = i, so every batch tells which samples it holds. */
function dataset(n: number): TensorDataset {
  return new TensorDataset(arange(2 * n).reshape([n, 2]), arange(n));
}

function labels(loader: Iterable<Tensor[]>): number[][] {
  return [...loader].map(([, y]) => Array.from(y.data));
}

describe('DataLoader', () => {
  it('serves the samples in order in batches, the last one short', () => {
    const loader = new DataLoader(dataset(10), { batchSize: 4 });
    expect(loader.length).toBe(3); // ⌈10 / 4⌉
    const batches = [...loader];
    expect(batches).toHaveLength(3);
    expect(batches.map(([x]) => x.shape)).toEqual([[4, 2], [4, 2], [2, 2]]);
    expect(batches[1][0].toArray()).toEqual([[8, 9], [10, 11], [12, 13], [14, 15]]);
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
  });

  it('defaults to batches of one', () => {
    const loader = new DataLoader(dataset(3));
    expect(loader.length).toBe(3);
    expect(labels(loader)).toEqual([[0], [1], [2]]);
  });

  it('drops the short last batch with dropLast', () => {
    const loader = new DataLoader(dataset(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2); // ⌊10 / 4⌋
    expect(labels(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(new DataLoader(dataset(8), { batchSize: 4, dropLast: true }).length).toBe(2);
  });

  it('shuffles with a fresh Fisher–Yates permutation from the generator at every pass', () => {
    const loader = new DataLoader(dataset(10), { batchSize: 3, shuffle: true, generator: new Generator(11) });
    const reference = new Generator(11);
    for (let epoch = 0; epoch < 3; epoch++) {
      const perm = referencePerm(10, reference);
      const got = labels(loader);
      expect(got.map((b) => b.length)).toEqual([3, 3, 3, 1]);
      expect(got.flat()).toEqual(perm);
    }
    // the rows travel with their labels
    for (const [x, y] of loader) {
      for (let r = 0; r < y.size; r++) expect([x.data[2 * r], x.data[2 * r + 1]]).toEqual([2 * y.data[r], 2 * y.data[r] + 1]);
    }
  });

  it('draws a pass order when the pass starts', () => {
    const g = new Generator(4);
    const loader = new DataLoader(dataset(6), { batchSize: 2, shuffle: true, generator: g });
    const before = g.getState();
    const iterator = loader[Symbol.iterator]();
    // 5 draws (n − 1) were made for the permutation, before any batch was asked for
    const check = new Generator(0).setState(before);
    for (let i = 0; i < 5; i++) check.random();
    expect(g.getState()).toEqual(check.getState());
    expect(iterator.next().done).toBe(false);
  });

  it('uses the default generator when given none (so manualSeed applies)', () => {
    const loader = new DataLoader(dataset(7), { batchSize: 7, shuffle: true });
    manualSeed(123);
    const first = labels(loader)[0];
    expect(first).toEqual(referencePerm(7, new Generator(123)));
    manualSeed(123);
    expect(labels(loader)[0]).toEqual(first);
  });

  it('is reproducible: the same seed gives the same batches', () => {
    const make = () => new DataLoader(dataset(9), { batchSize: 2, shuffle: true, generator: new Generator(5) });
    const a = make();
    const b = make();
    expect([labels(a), labels(a)]).toEqual([labels(b), labels(b)]);
  });

  it('gathers each batch with the dataset\'s getBatch, not sample by sample', () => {
    const ds = dataset(5);
    ds.get = () => {
      throw new Error('get should not be called');
    };
    expect(labels(new DataLoader(ds, { batchSize: 2 }))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('batches a random split (a Subset) through its getBatch', () => {
    const [train, test] = randomSplit(dataset(10), [6, 4], new Generator(2));
    const perm = referencePerm(10, new Generator(2));
    expect(labels(new DataLoader(train, { batchSize: 4 })).flat()).toEqual(perm.slice(0, 6));
    const [[x]] = [...new DataLoader(test, { batchSize: 4 })];
    expect(x.toArray()).toEqual(perm.slice(6).map((i) => [2 * i, 2 * i + 1]));
  });

  it('collates samples of other datasets (objects, tuples, numbers) with defaultCollate', () => {
    const ds: Dataset<{ x: Tensor; label: number; name: string }> = {
      length: 5,
      get: (i) => ({ x: tensor([i, -i]), label: i % 2, name: `s${i}` }),
    };
    const batches = [...new DataLoader(ds, { batchSize: 2 })];
    expect(batches).toHaveLength(3);
    expect(batches[1].x.toArray()).toEqual([[2, -2], [3, -3]]);
    expect(batches[1].label.toArray()).toEqual([0, 1]);
    expect(batches[2].name).toEqual(['s4']);
  });

  it('uses a given collate function', () => {
    const ds: Dataset<number> = { length: 4, get: (i) => i * i };
    const sums = [...new DataLoader(ds, { batchSize: 2, collate: (s: number[]) => s.reduce((a, b) => a + b, 0) })];
    expect(sums).toEqual([0 + 1, 4 + 9]);
  });

  it('makes batches outside the graph', () => {
    const ds = new TensorDataset(zeros([4, 2]).requiresGrad_());
    for (const [x] of new DataLoader(ds, { batchSize: 2 })) expect(x.requiresGrad).toBe(false);
  });

  it('checks its options', () => {
    const ds = dataset(4);
    expect(() => new DataLoader(ds, { batchSize: 0 })).toThrow(RangeError);
    expect(() => new DataLoader(ds, { batchSize: 1.5 })).toThrow(/batchSize must be a positive integer, got 1.5/);
    expect(() => new DataLoader(ds, { batchSize: -2 })).toThrow(RangeError);
    expect(() => new DataLoader(ds, { shuffle: 1 as never })).toThrow(TypeError);
    expect(() => new DataLoader(ds, { dropLast: 'yes' as never })).toThrow(TypeError);
    expect(() => new DataLoader(ds, { generator: 3 as never })).toThrow(TypeError);
    expect(() => new DataLoader({} as never)).toThrow(TypeError);
  });

  it('names the offending value in its messages (a string is shown as one)', () => {
    const ds = dataset(4);
    expect(() => new DataLoader(ds, { batchSize: '2' as never })).toThrow(/^DataLoader: batchSize must be a positive integer, got "2"$/);
    expect(() => new DataLoader(ds, { shuffle: 'true' as never })).toThrow(/^DataLoader: shuffle must be true or false, got "true"$/);
    expect(() => new DataLoader(ds, { generator: 3 as never })).toThrow(/^DataLoader: generator must be a Generator .*got 3$/);
    expect(() => new DataLoader(ds, { collate: 'stack' as never })).toThrow(/^DataLoader: collate must be a function, got "stack"$/);
  });

  it('an unknown option is a TypeError naming DataLoader and the key; snake_case gets the camelCase name suggested', () => {
    const ds = dataset(4);
    const e = thrown(() => new DataLoader(ds, { batch_size: 2 } as never));
    expect(e).toBeInstanceOf(TypeError);
    expect(e.message).toBe("DataLoader: unknown option 'batch_size' (expected batchSize, shuffle, generator, dropLast, collate); did you mean 'batchSize'?");
    expect(() => new DataLoader(ds, { shufle: true } as never)).toThrow(/^DataLoader: unknown option 'shufle' \(expected /);
  });

  it("PyTorch's worker and sampler options are refused as not supported; their defaults are accepted", () => {
    const ds = dataset(4);
    for (const [key, value, shown] of [['numWorkers', 4, '4'], ['pinMemory', true, 'true'], ['sampler', [0, 1], '[0, 1]'], ['collateFn', (b: unknown) => b, 'function']] as const) {
      const e = thrown(() => new DataLoader(ds, { [key]: value } as never));
      expect(e, key).toBeInstanceOf(RangeError);
      expect(e.message.startsWith(`DataLoader: option '${key}' is not supported by tapegrad, got ${shown}`)).toBe(true);
    }
    const loader = new DataLoader(ds, { batchSize: 3, numWorkers: 0, pinMemory: false, sampler: null } as never);
    // 4 samples in order, batches of 3: labels [0, 1, 2] then [3]
    expect(labels(loader)).toEqual([[0, 1, 2], [3]]);
  });
});

describe('defaultCollate', () => {
  it('stacks tensors and turns numbers into a tensor, position by position', () => {
    const [xs, ys] = defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]);
    expect(xs.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(ys.toArray()).toEqual([0, 1]);
  });

  it('refuses samples that do not fit together', () => {
    expect(() => defaultCollate([tensor([1, 2]), tensor([1, 2, 3])])).toThrow(ShapeError);
    expect(() => defaultCollate([tensor([1]), 2] as never)).toThrow(TypeError);
    expect(() => defaultCollate([new Map()])).toThrow(/give the DataLoader a collate function/);
    expect(() => defaultCollate([])).toThrow(TypeError);
  });
});
