/**
 * The MNIST examples on a small slice of the digits (the full runs take minutes and are the main job, `npm run
 * examples`): training lowers the loss from chance level, the test accuracy is far above chance, and the reloaded
 * checkpoint predicts the same.
 */
import { describe, expect, it } from 'vitest';
import * as mlp from '../../examples/mnist-mlp.js';
import * as cnn from '../../examples/mnist-cnn.js';
import { loadDigits, splitDigits } from '../../examples/lib/mnist.js';

describe('MNIST examples', () => {
  it('loads the 10,000 digits of the mnist package, and splits them by seed', () => {
    const { images, labels } = loadDigits();
    expect(images.shape).toEqual([10000, 1, 28, 28]);
    expect(labels.shape).toEqual([10000]);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of images.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(0);
    expect(hi).toBeLessThanOrEqual(1);
    const counts = new Array(10).fill(0);
    for (const l of labels.data) counts[l]++;
    expect(counts.every((c) => c > 800)).toBe(true);
    const a = splitDigits(0);
    const b = splitDigits(0);
    expect(a.train.length).toBe(8000);
    expect(a.test.length).toBe(2000);
    expect(Array.from(a.test.get(0)[0].data)).toEqual(Array.from(b.test.get(0)[0].data));
  });

  for (const [name, example] of [['mlp', mlp], ['cnn', cnn]] as const) {
    it(`${name}: one short epoch learns and the checkpoint reloads`, () => {
      const r = example.run({ epochs: 1, trainSize: 1000, testSize: 300, quiet: true });
      // chance level for 10 classes is a loss of ln 10 ≈ 2.30 and 10% accuracy; one epoch of 1,000 digits
      // gets well past both (the full runs' accuracies are asserted by running them: npm run examples)
      expect(r.epochs[0].loss).toBeLessThan(Math.log(10));
      expect(r.testAccuracy).toBeGreaterThan(0.3);
      expect(r.reloadedAgrees).toBe(true);
      expect(r.checkpointBytes).toBeGreaterThan(0);
    });
  }
});
