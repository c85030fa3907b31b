/**
 * Matrix products. The primitive is a batched op(A)·op(B) where op transposes on request: with it, every backward of
 * a product is again a product with the right flags, and no transpose is ever copied. matmul (all of PyTorch's
 * 1-D/2-D/batched cases), dot and outer are built on it.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { defineOp, type OpFunction } from './define.js';
import { empty } from '../creation.js';
import { matmulKernel } from '../kernels/matmul.js';
import { broadcastShapes, broadcastStrides, formatShape, sizeOf } from '../shape.js';
import { ShapeError } from '../errors.js';
import { mul } from './binary.js';
import { reshape, squeeze, unsqueeze } from './movement.js';

interface Flags {
  transA: boolean;
  transB: boolean;
}

/** rows × cols of op(X) for a stored [..., r, c] matrix. */
function dims(x: Tensor, trans: boolean): [number, number] {
  const r = x.shape[x.ndim - 2];
  const c = x.shape[x.ndim - 1];
  return trans ? [c, r] : [r, c];
}

const productOp: OpFunction<[Tensor, Tensor], Flags> = defineOp<[Tensor, Tensor], Flags, undefined>({
  name: 'matmul',
  forward: ([a, b], { transA, transB }) => {
    const [m, k] = dims(a, transA);
    const [kb, n] = dims(b, transB);
    if (k !== kb) {
      throw new ShapeError(`matmul: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} @ ${formatShape(b.shape)}${transB ? 'ᵀ' : ''}: inner dimensions ${k} and ${kb} differ`);
    }
    const batchA = a.shape.slice(0, -2);
    const batchB = b.shape.slice(0, -2);
    const batch = broadcastShapes(batchA, batchB, 'matmul');
    const out = empty([...batch, m, n], a.dtype);
    const strideA = broadcastStrides(batchA, batch);
    const strideB = broadcastStrides(batchB, batch);
    const count = sizeOf(batch);
    const index = new Array<number>(batch.length).fill(0);
    for (let t = 0; t < count; t++) {
      let ia = 0;
      let ib = 0;
      for (let d = 0; d < batch.length; d++) {
        ia += index[d] * strideA[d];
        ib += index[d] * strideB[d];
      }
      matmulKernel(a.data, ia * m * k, b.data, ib * k * n, out.data, t * m * n, m, k, n, transA, transB);
      for (let d = batch.length - 1; d >= 0 && ++index[d] === batch[d]; d--) index[d] = 0;
    }
    return out;
  },
  // C = op(A)·op(B): dA = dC·op(B)ᵀ (stored as op(A)), dB = op(A)ᵀ·dC (stored as op(B)); each is one product
  // with flags, and backward() sums any broadcast batch dims
  backward: (dy, { inputs: [a, b], attrs: { transA, transB }, needsInputGrad }) => [
    needsInputGrad[0]
      ? transA
        ? productOp(b, dy, { transA: transB, transB: true })
        : productOp(dy, b, { transA: false, transB: !transB })
      : null,
    needsInputGrad[1]
      ? transB
        ? productOp(dy, a, { transA: true, transB: transA })
        : productOp(a, dy, { transA: !transA, transB: false })
      : null,
  ],
});

/**
 * The matrix product with PyTorch's rules: 1-D·1-D is a dot product (a scalar); a 1-D operand on the left is a row
 * vector and on the right a column vector (the added dim is removed again); 2-D·2-D is the matrix product; with
 * more dims the leading ones are batch dims, broadcast against each other.
 * @example
 * ```ts
 * import { tensor, randn } from 'tapegrad';
 * tensor([[1, 2], [3, 4]]).matmul(tensor([[5], [6]]));   // [[17], [39]]
 * randn([10, 2, 3]).matmul(randn([3, 4])).shape;       // [10, 2, 4]
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both operands need at least 1 dim, got ${formatShape(a.shape)} @ ${formatShape(b.shape)}`);
  }
  const ka = a.shape[a.ndim - 1];
  const kb = b.shape[b.ndim === 1 ? 0 : b.ndim - 2];
  if (ka !== kb) {
    throw new ShapeError(`matmul: ${formatShape(a.shape)} @ ${formatShape(b.shape)}: inner dimensions ${ka} and ${kb} differ`);
  }
  if (a.ndim === 1 && b.ndim === 1) return reshape(productOp(unsqueeze(a, 0), unsqueeze(b, 1), { transA: false, transB: false }), []);
  if (a.ndim === 1) return squeeze(productOp(unsqueeze(a, 0), b, { transA: false, transB: false }), -2);
  if (b.ndim === 1) return squeeze(productOp(a, unsqueeze(b, 1), { transA: false, transB: false }), -1);
  return productOp(a, b, { transA: false, transB: false });
}

/**
 * The product op(a)·op(b) of two matrices (or batches of them) where op transposes the last two dims of an operand
 * whose flag is set, without copying it: `matmulT(x, w, false, true)` is x·wᵀ, as in a Dense layer.
 * @example `matmulT(randn([4, 3]), randn([5, 3]), false, true).shape  // [4, 5]`
 */
export function matmulT(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  if (a.ndim < 2 || b.ndim < 2) {
    throw new ShapeError(`matmulT: both operands need at least 2 dims, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  return productOp(a, b, { transA, transB });
}

/**
 * The dot product of two 1-D tensors of one length.
 * @example `dot(tensor([1, 2]), tensor([3, 4]))  // 11`
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1 || a.size !== b.size) {
    throw new ShapeError(`dot: expected two 1-D tensors of one length, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  return matmul(a, b);
}

/**
 * The outer product aᵢbⱼ of two 1-D tensors.
 * @example `outer(tensor([1, 2]), tensor([3, 4, 5]))  // [[3, 4, 5], [6, 8, 10]]`
 */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new ShapeError(`outer: expected two 1-D tensors, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  return mul(unsqueeze(a, 1), unsqueeze(b, 0));
}
