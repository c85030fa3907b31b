/**
 * A small convolutional network on real handwritten digits, LeNet-like with batch normalisation:
 * Conv 8@5×5 + BatchNorm + ReLU → MaxPool 2 → Conv 16@5×5 + BatchNorm + ReLU → MaxPool 2 → Dense 10, softmax
 * cross-entropy, Adam with the learning rate decayed each epoch, trained on 8,000 MNIST digits and tested on 2,000
 * others (seeded split). The full run must reach 97% test accuracy.
 */
import { nn } from '../src/index.js';
import { printIfMain } from './lib/example.js';
import { type MnistRunOptions, runMnist } from './lib/mnist.js';

export const meta = { id: 'mnist-cnn', title: 'MNIST digits with a LeNet-like CNN (8,000 train / 2,000 test)' };

export function makeModel(): nn.Sequential {
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 5), new nn.BatchNorm2d(8), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 5), new nn.BatchNorm2d(16), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Flatten(), new nn.Dense(16 * 4 * 4, 10),
  );
}

export function run(options: MnistRunOptions = {}) {
  return runMnist(makeModel, { epochs: 8, batchSize: 32, lr: 2e-3, lrGamma: 0.7, target: 0.97 }, options);
}

printIfMain(import.meta.url, { meta, run });
