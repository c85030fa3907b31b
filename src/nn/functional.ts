/**
 * nn.functional: the stateless form of every layer and loss (PyTorch's torch.nn.functional), in one place. Each is
 * the same function the layer calls, so `functional.conv2d(x, conv.weight, conv.bias, { padding: 1 })` equals
 * `conv.forward(x)` for a Conv2d with padding 1.
 * @example
 * ```ts
 * import { nn, randn, tensor } from 'tapegrad';
 * const F = nn.functional;
 * const logits = randn([4, 10]);
 * const loss = F.crossEntropy(logits, tensor([1, 0, 9, 3]), { labelSmoothing: 0.1 });
 * ```
 * @module
 */
export { linear } from './layers/dense.js';
export { conv2d } from '../ops/conv.js';
export { maxPool2d, avgPool2d } from '../ops/pool.js';
export { batchNorm } from '../ops/norm.js';
export { dropout } from '../ops/dropout.js';
export { relu, leakyRelu, sigmoid, tanh, softmax, logSoftmax } from '../ops/activation.js';
export { flatten } from '../ops/movement.js';
export { mseLoss, l1Loss, huberLoss, crossEntropy, nllLoss, binaryCrossEntropy, binaryCrossEntropyWithLogits } from './losses.js';
