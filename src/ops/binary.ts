/**
 * Elementwise ops of two tensors with NumPy broadcasting, comparisons, and where(). A backward may return gradients
 * in the broadcast output shape: backward() reduces them to each input's shape.
 * @module
 */
import { Tensor, type TensorLike } from '../tensor.js';
import type { BackwardContext } from '../autograd/tape.js';
import { defineOp } from './define.js';
import { empty, scalarLike } from '../creation.js';
import { type BinaryOpName, binaryKernel, whereKernel } from '../kernels/elementwise.js';
import { broadcastShapes, broadcastStrides } from '../shape.js';

type Rule = (dy: Tensor, ctx: BackwardContext<undefined, undefined>) => Array<Tensor | null>;

function broadcastForward(name: BinaryOpName) {
  return ([a, b]: [Tensor, Tensor]): Tensor => {
    const shape = broadcastShapes(a.shape, b.shape, name);
    const out = empty(shape, a.dtype);
    binaryKernel(name, a.data, broadcastStrides(a.shape, shape), b.data, broadcastStrides(b.shape, shape), out.data, shape);
    return out;
  };
}

/** Converts a plain number operand to a scalar tensor of the other operand's dtype. */
export function operands(name: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, b instanceof Tensor ? b : scalarLike(checkNumber(name, b), a)];
  if (b instanceof Tensor) return [scalarLike(checkNumber(name, a), b), b];
  throw new TypeError(`${name}: at least one operand must be a Tensor, got ${typeof a} and ${typeof b}`);
}

function checkNumber(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name}: expected a Tensor or a number, got ${v === null ? 'null' : typeof v}`);
  return v;
}

/** A broadcasting op whose forward is binaryKernel's loop for `name` (its semantics are stated there). */
function binaryOp(name: BinaryOpName, rule?: Rule) {
  const op = defineOp<[Tensor, Tensor], undefined, undefined>({ name, forward: broadcastForward(name), backward: rule });
  return (a: TensorLike, b: TensorLike): Tensor => op(...operands(name, a, b));
}

/**
 * a + b, broadcast.
 * @example `add(tensor([[1], [2]]), tensor([10, 20]))  // [[11, 21], [12, 22]]`
 */
export const add = binaryOp('add',
  // d(a + b) = da + db
  (dy) => [dy, dy]);

/**
 * a − b, broadcast.
 * @example `sub(tensor([5, 7]), 2)  // [3, 5]`
 */
export const sub = binaryOp('sub',
  // d(a − b) = da − db
  (dy, { needsInputGrad }) => [dy, needsInputGrad[1] ? dy.neg() : null]);

/**
 * a · b elementwise, broadcast.
 * @example `mul(tensor([1, 2]), tensor([3, 4]))  // [3, 8]`
 */
export const mul = binaryOp('mul',
  // d(ab) = b da + a db
  (dy, { inputs: [a, b], needsInputGrad }) => [needsInputGrad[0] ? dy.mul(b) : null, needsInputGrad[1] ? dy.mul(a) : null]);

/**
 * a / b elementwise, broadcast.
 * @example `div(tensor([1, 2]), 4)  // [0.25, 0.5]`
 */
export const div = binaryOp('div',
  // d(a/b) = da / b − (a/b²) db = da / b − (y/b) db
  (dy, { inputs: [, b], output: y, needsInputGrad }) => [
    needsInputGrad[0] ? dy.div(b) : null,
    needsInputGrad[1] ? dy.mul(y).div(b).neg() : null,
  ]);

/**
 * aᵇ elementwise, broadcast (NaN for a negative base with a non-integer exponent, as Math.pow).
 * @example `pow(tensor([2, 3]), 2)  // [4, 9]`
 */
export const pow = binaryOp('pow',
  // d aᵇ = b·aᵇ⁻¹ da + aᵇ·ln(a) db
  (dy, { inputs: [a, b], output: y, needsInputGrad }) => [
    needsInputGrad[0] ? dy.mul(b).mul(a.pow(b.sub(1))) : null,
    needsInputGrad[1] ? dy.mul(y).mul(a.log()) : null,
  ]);

/**
 * The larger of a and b elementwise, broadcast; a tie sends half the gradient to each (as PyTorch).
 * @example `maximum(tensor([1, 5]), tensor([3, 2]))  // [3, 5]`
 */
export const maximum = binaryOp('maximum',
  // d max(a, b) = [a > b] da + [b > a] db, halved where a = b
  (dy, { inputs: [a, b] }) => {
    const share = a.gt(b).add(a.eq(b).mul(0.5));
    return [dy.mul(share), dy.mul(share.neg().add(1))];
  });

/**
 * The smaller of a and b elementwise, broadcast; a tie sends half the gradient to each (as PyTorch).
 * @example `minimum(tensor([1, 5]), tensor([3, 2]))  // [1, 2]`
 */
export const minimum = binaryOp('minimum',
  // d min(a, b) = [a < b] da + [b < a] db, halved where a = b
  (dy, { inputs: [a, b] }) => {
    const share = a.lt(b).add(a.eq(b).mul(0.5));
    return [dy.mul(share), dy.mul(share.neg().add(1))];
  });

/** a == b as 0/1 (not differentiable). @example `eq(tensor([1, 2]), 2)  // [0, 1]` */
export const eq = binaryOp('eq');
/** a != b as 0/1 (not differentiable). @example `ne(tensor([1, 2]), 2)  // [1, 0]` */
export const ne = binaryOp('ne');
/** a > b as 0/1 (not differentiable). @example `gt(tensor([1, 2]), 1)  // [0, 1]` */
export const gt = binaryOp('gt');
/** a >= b as 0/1 (not differentiable). @example `ge(tensor([1, 2]), 2)  // [0, 1]` */
export const ge = binaryOp('ge');
/** a < b as 0/1 (not differentiable). @example `lt(tensor([1, 2]), 2)  // [1, 0]` */
export const lt = binaryOp('lt');
/** a <= b as 0/1 (not differentiable). @example `le(tensor([1, 2]), 1)  // [1, 0]` */
export const le = binaryOp('le');

const whereOp = defineOp<[Tensor, Tensor], { condition: Tensor }, Tensor>({
  name: 'where',
  forward: ([a, b], { condition }) => {
    const shape = broadcastShapes(broadcastShapes(condition.shape, a.shape, 'where'), b.shape, 'where');
    const out = empty(shape, a.dtype);
    whereKernel(condition.data, broadcastStrides(condition.shape, shape), a.data, broadcastStrides(a.shape, shape),
      b.data, broadcastStrides(b.shape, shape), out.data, shape);
    // The mask in the dtype of the gradients it will multiply.
    const mask = empty(condition.shape, a.dtype);
    for (let i = 0; i < mask.size; i++) mask.data[i] = +(condition.data[i] !== 0);
    return { output: out, saved: mask };
  },
  // d where(c, a, b) = c·da + (1 − c)·db
  backward: (dy, { saved: mask, needsInputGrad }) => [
    needsInputGrad[0] ? dy.mul(mask) : null,
    needsInputGrad[1] ? dy.mul(mask.neg().add(1)) : null,
  ],
});

/**
 * `condition ? a : b` elementwise, all three broadcast together; condition is any tensor, non-zero meaning true
 * (it gets no gradient). When a and b are both numbers, the result takes the condition's dtype.
 * @example `where(tensor([1, 0]), tensor([1, 2]), 0)  // [1, 0]`
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(condition instanceof Tensor)) throw new TypeError('where: condition must be a Tensor');
  // Two numbers (where(mask, 1, 0)) have no tensor to take a dtype from: the condition lends its own.
  if (!(a instanceof Tensor) && !(b instanceof Tensor)) a = scalarLike(checkNumber('where', a), condition);
  return whereOp(...operands('where', a, b), { condition });
}
