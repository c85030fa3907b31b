/**
 * A small, fixed training run whose weights must come out the same, bit for bit, wherever it runs: the browser
 * tests run it in Chromium on the browser bundle and in Node on dist/index.js and compare the bytes. It goes
 * through the seeded paths a training run uses — initialisation after manualSeed, randn/randint with a Generator,
 * Dropout masks, a shuffling DataLoader — and through exp/log/tanh/sqrt (softmax, tanh, Adam), whose results a
 * different Math library would change.
 */
import type { Lib } from './trainer.js';

/** Trains a small MLP for `steps` steps; returns its state dict as safetensors bytes. */
export function tinyRun(tg: Lib, seed = 7, steps = 6): Uint8Array {
  const { nn, optim, data } = tg;
  tg.manualSeed(seed);
  const generator = new tg.Generator(seed + 1);
  const model = new nn.Sequential(
    new nn.Dense(12, 16), new nn.Tanh(), new nn.Dropout(0.25, { generator: new tg.Generator(seed + 2) }),
    new nn.Dense(16, 8), new nn.Sigmoid(), new nn.Dense(8, 3),
  );
  const x = tg.randn([40, 12], { generator });
  const y = tg.randint(0, 3, [40], { generator });
  const loader = new data.DataLoader(new data.TensorDataset(x, y), { batchSize: 16, shuffle: true, generator });
  const opt = new optim.Adam(model.parameters(), { lr: 0.01, weightDecay: 1e-3 });
  const lossFn = new nn.CrossEntropyLoss({ labelSmoothing: 0.1 });
  let done = 0;
  while (done < steps) {
    for (const [xb, yb] of loader) {
      if (done === steps) break;
      opt.zeroGrad();
      lossFn.forward(model.forward(xb), yb).backward();
      opt.step();
      done++;
    }
  }
  return tg.io.saveSafetensors(model.stateDict());
}
