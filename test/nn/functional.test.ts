import { describe, expect, it } from 'vitest';
import { Generator, nn, randn, tensor } from '../../src/index.js';

describe('nn.functional: wiring checks against the layers', () => {
  // Wiring checks only: each layer's forward calls the very function it is compared with, so these catch a layer
  // that passes its parameters or options wrongly, not a wrong value. The values are tested against plain-JS
  // references in conv-pool, module (Dense), activations, losses and loss-modules tests.
  it('wiring: the functional forms give the layers\' results from the layers\' parameters', () => {
    const g = new Generator(0);
    const x = randn([2, 3, 6, 6], { generator: g });
    const conv = new nn.Conv2d(3, 4, 3, { padding: 1, generator: g });
    const F = nn.functional;
    expect(Array.from(F.conv2d(x, conv.weight, conv.bias, { padding: 1 }).data)).toEqual(Array.from(conv.forward(x).data));
    expect(Array.from(F.maxPool2d(x, { kernelSize: 2 }).data)).toEqual(Array.from(new nn.MaxPool2d(2).forward(x).data));
    const fc = new nn.Dense(6, 2, { generator: g });
    expect(Array.from(F.linear(x, fc.weight, fc.bias).data)).toEqual(Array.from(fc.forward(x).data));
    const logits = randn([4, 5], { generator: g });
    const target = tensor([1, 0, 4, 3]);
    expect(F.crossEntropy(logits, target).item()).toBe(new nn.CrossEntropyLoss().forward(logits, target).item());
  });
});
