/**
 * The Tensor: a contiguous row-major typed array with a shape, a dtype and, when it takes part in autograd,
 * `requiresGrad`, its accumulated `grad` and the tape node of the op that made it. Every method is a thin call into
 * ops/ (made at call time only, so the import loop between this file and ops/ runs nothing at import).
 * @module
 */
import { type DType, type TypedArray, dtypeOf } from './dtype.js';
import { type Shape, formatShape, sizeOf } from './shape.js';
import type { TapeNode } from './autograd/tape.js';
import { type BackwardOptions, backward } from './autograd/backward.js';
import { formatTensor } from './format.js';
import * as ops from './ops/index.js';

/** A tensor or a plain number (broadcast as a scalar of the other operand's dtype). */
export type TensorLike = Tensor | number;

/**
 * An n-dimensional array of float32 or float64 values that can record the operations applied to it and
 * differentiate through them. Create one with {@link tensor}, {@link zeros}, {@link randn}, ...
 * @example
 * ```ts
 * import { tensor } from 'tapegrad';
 * const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * const y = x.mul(x).sum();   // 30
 * y.backward();
 * x.grad!.toArray();          // [[2, 4], [6, 8]]
 * ```
 */
export class Tensor {
  /** The values, row-major. Mutating them in place bypasses autograd (do it under noGrad, as optimizers do). */
  data: TypedArray;
  /** The size of each dimension. */
  readonly shape: readonly number[];
  /** Whether ops on this tensor are recorded so that gradients can flow back to it. */
  requiresGrad: boolean;
  /** The accumulated gradient of a leaf after backward() (null until then, and for non-leaves). */
  grad: Tensor | null = null;
  /** The tape node of the op that produced this tensor; null for leaves (tensors made by the user). */
  node: TapeNode | null = null;
  /** An optional label, shown by toDot() (nn modules set it to the parameter's name). */
  name: string | undefined;

  /**
   * Wraps `data` (not copied) with `shape`. Most code should use the creation functions instead.
   * @param data storage whose length is the product of `shape`
   */
  constructor(data: TypedArray, shape: Shape, options: { requiresGrad?: boolean; name?: string } = {}) {
    if (data.length !== sizeOf(shape)) {
      throw new RangeError(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(shape)})`);
    }
    this.data = data;
    this.shape = Object.freeze(shape.slice());
    this.requiresGrad = options.requiresGrad ?? false;
    this.name = options.name;
  }

  /** 'float32' or 'float64'. */
  get dtype(): DType {
    return dtypeOf(this.data);
  }
  /** The number of elements. */
  get size(): number {
    return this.data.length;
  }
  /** The number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }
  /** True for tensors not produced by a recorded op (the ones whose `.grad` backward() fills). */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /** Sets `requiresGrad` on a leaf, in place; returns this. */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf) {
      throw new TypeError(`requiresGrad_: only leaf tensors can change requiresGrad (this one was made by ${this.node!.op}); use detach() first`);
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Back-propagates from this tensor: fills `.grad` of every leaf that requires grad and leads here. Without
   * `gradient`, this tensor must hold one element (the loss).
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    backward(this, gradient, options);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: only one-element tensors have an item, this one has shape ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): NestedArray {
    const { data, shape } = this;
    if (shape.length === 0) return data[0];
    let pos = 0;
    const build = (d: number): NestedArray[] => {
      const out: NestedArray[] = new Array(shape[d]);
      for (let i = 0; i < shape[d]; i++) out[i] = d === shape.length - 1 ? data[pos++] : build(d + 1);
      return out;
    };
    return build(0);
  }

  /** A copy of this tensor that shares no storage and sits in the graph (gradients flow through it). */
  clone(): Tensor {
    return ops.clone(this);
  }
  /** The same values, sharing storage, cut from the graph (`requiresGrad` false). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }
  /** A copy converted to `dtype` (differentiable); this tensor itself when the dtype already matches. */
  to(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  /** A PyTorch-style printout: `tensor([[1., 2.], [3., 4.]], requires_grad=True)`. */
  toString(): string {
    return formatTensor(this);
  }

  // Elementwise, with NumPy broadcasting
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  neg(): Tensor { return ops.neg(this); }
  exp(): Tensor { return ops.exp(this); }
  log(): Tensor { return ops.log(this); }
  sqrt(): Tensor { return ops.sqrt(this); }
  abs(): Tensor { return ops.abs(this); }
  sign(): Tensor { return ops.sign(this); }
  square(): Tensor { return ops.square(this); }
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  /** `condition ? this : other`, elementwise with broadcasting (PyTorch's `x.where(cond, y)`). */
  where(condition: Tensor, other: TensorLike): Tensor { return ops.where(condition, this, other); }

  // Activations
  relu(): Tensor { return ops.relu(this); }
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  sigmoid(): Tensor { return ops.sigmoid(this); }
  tanh(): Tensor { return ops.tanh(this); }
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }

  // Reductions
  sum(dim?: number | number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  mean(dim?: number | number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  max(): Tensor;
  max(dim: number, keepdim?: boolean): ops.ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ops.ValuesIndices {
    return dim === undefined ? ops.max(this) : ops.max(this, dim, keepdim);
  }
  min(): Tensor;
  min(dim: number, keepdim?: boolean): ops.ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ops.ValuesIndices {
    return dim === undefined ? ops.min(this) : ops.min(this, dim, keepdim);
  }
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  var(dim?: number | number[], options?: ops.VarianceOptions): Tensor { return ops.variance(this, dim, options); }
  std(dim?: number | number[], options?: ops.VarianceOptions): Tensor { return ops.std(this, dim, options); }

  // Movement
  reshape(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  view(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  transpose(dim0 = 0, dim1 = 1): Tensor { return ops.transpose(this, dim0, dim1); }
  /** The transpose of a matrix (a tensor of at most 2 dims), like PyTorch's `.T` for 2-D. */
  get T(): Tensor { return ops.transpose(this, 0, this.ndim < 2 ? 0 : 1); }
  permute(...dims: number[] | [readonly number[]]): Tensor { return ops.permute(this, flatArgs(dims)); }
  expand(...shape: number[] | [readonly number[]]): Tensor { return ops.broadcastTo(this, flatArgs(shape)); }
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor { return ops.indexSelect(this, dim, index); }
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  pad(pads: readonly number[], value = 0): Tensor { return ops.pad(this, pads, value); }

  // Products
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  outer(other: Tensor): Tensor { return ops.outer(this, other); }
}

/** Nested arrays of numbers, as toArray() returns them and tensor() accepts them. */
export type NestedArray = number | NestedArray[];

function flatArgs(args: number[] | [readonly number[]]): readonly number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);
}
