/**
 * Seed 004, Q2: max and average pooling with a 2×2 window and stride 2 on one 4×4 channel: the outputs, where the
 * gradient goes back to (backward() of the summed output), how much of each window is discarded, and that pooling
 * works on each channel by itself.
 */
import { Generator, type Tensor, nn, randn, stack, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = { id: '004-Q2', title: 'max and average pooling (2×2, stride 2): outputs, backward routing, lost values, per-channel action' };

export interface PoolingResult extends ExampleResult {
  input: number[][];
  maxOut: number[][];
  avgOut: number[][];
  /** d sum(pool(A)) / dA. */
  maxGrad: number[][];
  avgGrad: number[][];
  maxParameters: number;
  avgParameters: number;
  /** Share of the input values that receive no gradient from max pooling, i.e. that the output ignores. */
  discardedShare: number;
  /** Output shape of pooling a 2-channel stack. */
  twoChannelShape: number[];
  /** max |pool([A, B]) − [pool(A), pool(B)]| over both pools. */
  channelMismatch: number;
}

const row = (r: number[]) => `[${r.map((v) => String(v).padStart(4)).join(', ')}]`;

export function run(): PoolingResult {
  const input = [[1, 3, 2, 1], [4, 6, 5, 0], [7, 2, 9, 8], [1, 0, 3, 4]];
  const maxPool = new nn.MaxPool2d(2, { stride: 2 });
  const avgPool = new nn.AvgPool2d(2, { stride: 2 });

  // Forward and backward of sum(pool(A)): the gradient of each input value is how much the output sum depends on it.
  const pooled = (pool: nn.Module) => {
    const a = tensor([[input]], { dtype: 'float64', requiresGrad: true });
    const out = pool.forward(a);
    out.sum().backward();
    return { out: (out.toArray() as number[][][][])[0][0], grad: (a.grad!.toArray() as number[][][][])[0][0] };
  };
  const max = pooled(maxPool);
  const avg = pooled(avgPool);

  const maxParameters = nn.summary(maxPool, [1, 1, 4, 4], { dtype: 'float64' }).totalParameters;
  const avgParameters = nn.summary(avgPool, [1, 1, 4, 4], { dtype: 'float64' }).totalParameters;
  const flatGrad = max.grad.flat();
  const discardedShare = flatGrad.filter((g) => g === 0).length / flatGrad.length;

  // A second, random channel: pooling the 2-channel stack must equal pooling each channel alone.
  const a = tensor([[input]], { dtype: 'float64' });
  const b = randn([1, 1, 4, 4], { dtype: 'float64', generator: new Generator(4) });
  const both = stack([a.reshape(4, 4), b.reshape(4, 4)]).unsqueeze(0);
  let channelMismatch = 0;
  let twoChannelShape: number[] = [];
  for (const pool of [maxPool, avgPool]) {
    const together = pool.forward(both);
    twoChannelShape = together.shape.slice();
    const apart = stack([pool.forward(a).reshape(2, 2), pool.forward(b).reshape(2, 2)]).unsqueeze(0);
    channelMismatch = Math.max(channelMismatch, maxAbs(together.sub(apart)));
  }

  const argmax = flatGrad.flatMap((g, i) => (g === 1 ? [`(${Math.floor(i / 4)},${i % 4})`] : []));
  const lines = [
    'A (one channel, 4×4):',
    ...input.map((r) => `  ${row(r)}`),
    'max pooling 2×2, stride 2:',
    ...max.out.map((r) => `  ${row(r)}`),
    'average pooling 2×2, stride 2:',
    ...avg.out.map((r) => `  ${row(r)}`),
    'backward of sum(maxpool(A)): 1 at each window\'s maximum, 0 elsewhere',
    ...max.grad.map((r) => `  ${row(r)}`),
    `  maxima at (row, col) ${argmax.join(' ')}`,
    'backward of sum(avgpool(A)): each value gets 1/4 of its window\'s gradient',
    ...avg.grad.map((r) => `  ${row(r)}`),
    `parameters: MaxPool2d ${maxParameters}, AvgPool2d ${avgParameters} (pooling learns nothing)`,
    `max pooling discards ${discardedShare * 100}% of the values (3 of each window's 4): the loss of information`,
    `2-channel stack [A, random] → output ${JSON.stringify(twoChannelShape)}; max |pooled together − pooled apart| = ${channelMismatch}`,
    'document: max and average pooling, per channel, "3 values ... are lost" for 2×2 max pooling: agrees',
  ];

  return {
    input, maxOut: max.out, avgOut: avg.out, maxGrad: max.grad, avgGrad: avg.grad, maxParameters, avgParameters,
    discardedShare, twoChannelShape, channelMismatch,
    summary: `max ${JSON.stringify(max.out)}, avg ${JSON.stringify(avg.out)}; 0 params; max pool drops ${discardedShare * 100}%`,
    agrees: 'yes',
    lines,
  };
}

function maxAbs(t: Tensor): number {
  return t.abs().max().item();
}

printIfMain(import.meta.url, { meta, run });
