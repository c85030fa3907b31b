import { describe, expect, it } from 'vitest';
import { tensor } from '../src/index.js';

describe('smoke', () => {
  it('differentiates x·x', () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    x.mul(x).sum().backward();
    // d Σx² = 2x
    expect(x.grad!.toArray()).toEqual([2, 4, 6]);
  });
});
