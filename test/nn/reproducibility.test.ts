/**
 * One seed, the same weights, bit for bit: a CNN with dropout and batchnorm trained for 100 steps twice from the
 * same seed ends with identical parameters and buffers, and a different seed ends elsewhere.
 */
import { describe, expect, it } from 'vitest';
import { Generator, Tensor, data, manualSeed, nn, optim, randint, randn } from '../../src/index.js';

function trainCnn(seed: number): Record<string, Tensor> {
  manualSeed(seed); // initial weights come from the default generator
  const dropoutGen = new Generator(seed + 1);
  const model = new nn.Sequential(
    new nn.Conv2d(1, 4, 3, { padding: 1 }), new nn.BatchNorm2d(4), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dropout(0.3, { generator: dropoutGen }), new nn.Dense(4 * 4 * 4, 3),
  );
  const g = new Generator(seed + 2);
  const x = randn([64, 1, 8, 8], { generator: g });
  const y = randint(0, 3, [64], { generator: g });
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true, generator: new Generator(seed + 3) });
  const opt = new optim.Adam(model.parameters(), { lr: 1e-2 });
  const lossFn = new nn.CrossEntropyLoss();
  let steps = 0;
  while (steps < 100) {
    for (const [xb, yb] of loader) {
      opt.zeroGrad();
      lossFn.forward(model.forward(xb), yb).backward();
      opt.step();
      if (++steps === 100) break;
    }
  }
  return model.stateDict();
}

describe('reproducibility', () => {
  it('the same seed gives bitwise-identical weights after 100 steps of a CNN with dropout and batchnorm', () => {
    const a = trainCnn(5);
    const b = trainCnn(5);
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a)).toContain('1.runningMean');
    for (const key of Object.keys(a)) {
      expect(Buffer.from(a[key].data.buffer).equals(Buffer.from(b[key].data.buffer)), key).toBe(true);
    }
    // and the check can tell runs apart: another seed gives other weights
    const c = trainCnn(6);
    expect(Array.from(c['0.weight'].data)).not.toEqual(Array.from(a['0.weight'].data));
  });
});
