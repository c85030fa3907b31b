/**
 * A multilayer perceptron on real handwritten digits: 784 → Dense 128 + ReLU → Dense 10, softmax cross-entropy,
 * Adam, trained on 8,000 MNIST digits and tested on 2,000 others (seeded split).
 */
import { nn } from '../src/index.js';
import { printIfMain } from './lib/example.js';
import { type MnistRunOptions, runMnist } from './lib/mnist.js';

export const meta = { id: 'mnist-mlp', title: 'MNIST digits with a two-layer perceptron (8,000 train / 2,000 test)' };

export function makeModel(): nn.Sequential {
  return new nn.Sequential(new nn.Flatten(), new nn.Dense(784, 128), new nn.ReLU(), new nn.Dense(128, 10));
}

export function run(options: MnistRunOptions = {}) {
  return runMnist(makeModel, { epochs: 5, batchSize: 64, lr: 1e-3, target: 0.9 }, options);
}

printIfMain(import.meta.url, { meta, run });
