/**
 * The Tensor: a contiguous row-major typed array with a shape, a dtype and, when it takes part in autograd,
 * `requiresGrad`, its accumulated `grad` and the tape node of the op that made it. Every method is a thin call into
 * ops/ (made at call time only, so the import loop between this file and ops/ runs nothing at import).
 * @module
 */
import { type DType, type TypedArray, dtypeOf } from './dtype.js';
import { type Shape, checkShape, formatShape, sizeOf } from './shape.js';
import { checkBoolean, checkOptionKeys, describe } from './checks.js';
import type { TapeNode } from './autograd/tape.js';
import { type BackwardOptions, backward } from './autograd/backward.js';
import { formatTensor } from './format.js';
import { AutogradError } from './errors.js';
import * as ops from './ops/index.js';

/**
 * A tensor or a plain number (broadcast as a scalar of the other operand's dtype).
 * @example `tensor([1, 2]).mul(3)  // [3, 6]: 3 is a TensorLike`
 */
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
  /**
   * The values, row-major. Mutating them in place bypasses autograd (do it under noGrad, as optimizers do).
   * @example `tensor([[1, 2], [3, 4]]).data  // [1, 2, 3, 4]`
   */
  data: TypedArray;
  /**
   * The size of each dimension.
   * @example `zeros([2, 3]).shape  // [2, 3]`
   */
  readonly shape: readonly number[];
  /**
   * Whether ops on this tensor are recorded so that gradients can flow back to it.
   * @example `tensor([1], { requiresGrad: true }).mul(2).requiresGrad  // true`
   */
  requiresGrad: boolean;
  /**
   * The accumulated gradient of a leaf after backward() (null until then, and for non-leaves unless they called
   * {@link Tensor.retainGrad}).
   * @example
   * ```ts
   * import { tensor } from 'tapegrad';
   * const x = tensor([1, 2], { requiresGrad: true });
   * x.mul(3).sum().backward();
   * x.grad!.toArray(); // [3, 3]
   * ```
   */
  grad: Tensor | null = null;
  /**
   * The tape node of the op that produced this tensor; null for leaves (tensors made by the user).
   * @example `tensor([1], { requiresGrad: true }).exp().node!.op  // 'exp'`
   */
  node: TapeNode | null = null;
  /**
   * An optional label, shown by toDot() (nn modules set it to the parameter's name).
   * @example `new nn.Dense(2, 1).namedParameters()[0][1].name  // 'weight'`
   */
  name: string | undefined;
  private retainFlag = false;

  /**
   * Wraps `data` (not copied) with `shape`. Most code should use the creation functions instead.
   * @param data storage whose length is the product of `shape`
   * @example `new Tensor(new Float32Array([1, 2, 3, 4]), [2, 2])  // [[1, 2], [3, 4]]`
   */
  constructor(data: TypedArray, shape: Shape, options?: { requiresGrad?: boolean; name?: string }) {
    // Every op result comes through here, so the checks are kept to a type test and one pass over the shape.
    if (!(data instanceof Float32Array || data instanceof Float64Array)) {
      const got = ArrayBuffer.isView(data) ? (data as object).constructor.name : describe(data);
      throw new TypeError(`Tensor: data must be a Float32Array or a Float64Array, got ${got}`);
    }
    const checked = checkShape(shape, 'Tensor');
    if (data.length !== sizeOf(checked)) {
      throw new RangeError(`Tensor: ${data.length} values do not fill shape ${formatShape(shape)} (${sizeOf(checked)})`);
    }
    let requiresGrad = false;
    let name: string | undefined;
    if (options !== undefined) {
      checkOptionKeys('Tensor', options, ['requiresGrad', 'name']);
      if (options.requiresGrad !== undefined) requiresGrad = checkBoolean('Tensor', 'requiresGrad', options.requiresGrad);
      if (options.name !== undefined && typeof options.name !== 'string') {
        throw new TypeError(`Tensor: name must be a string, got ${describe(options.name)}`);
      }
      name = options.name;
    }
    this.data = data;
    this.shape = Object.freeze(checked);
    this.requiresGrad = requiresGrad;
    this.name = name;
  }

  /**
   * 'float32' or 'float64'.
   * @example `zeros([2], { dtype: 'float64' }).dtype  // 'float64'`
   */
  get dtype(): DType {
    return dtypeOf(this.data);
  }
  /**
   * The number of elements.
   * @example `zeros([2, 3]).size  // 6`
   */
  get size(): number {
    return this.data.length;
  }
  /**
   * The number of dimensions.
   * @example `zeros([2, 3]).ndim  // 2`
   */
  get ndim(): number {
    return this.shape.length;
  }
  /**
   * True for tensors not produced by a recorded op (the ones whose `.grad` backward() fills).
   * @example `tensor([1], { requiresGrad: true }).mul(2).isLeaf  // false`
   */
  get isLeaf(): boolean {
    return this.node === null;
  }

  /**
   * Sets `requiresGrad` on a leaf, in place; returns this.
   * @example `zeros([3]).requiresGrad_().requiresGrad  // true`
   */
  requiresGrad_(requiresGrad = true): this {
    if (!this.isLeaf) {
      throw new TypeError(`requiresGrad_: only leaf tensors can change requiresGrad (this one was made by ${this.node!.op}); use detach() first`);
    }
    this.requiresGrad = requiresGrad;
    return this;
  }

  /**
   * Whether backward() stores this non-leaf's gradient in `.grad` (after {@link Tensor.retainGrad}); false for
   * leaves, whose gradient is stored anyway (PyTorch's `retains_grad`).
   * @example `tensor([1], { requiresGrad: true }).mul(2).retainGrad().retainsGrad  // true`
   */
  get retainsGrad(): boolean {
    return this.retainFlag;
  }

  /**
   * Asks backward() to store this intermediate tensor's gradient dL/d(this) in `.grad`, as it does for leaves
   * (PyTorch's `retain_grad()`): it accumulates over backward() calls until cleared with `grad = null`. On a leaf it
   * does nothing. Returns this, so it can end the expression that makes the tensor.
   * @example
   * ```ts
   * import { tensor } from 'tapegrad';
   * const x = tensor([1, 2], { requiresGrad: true });
   * const h = x.mul(3).retainGrad();
   * h.square().sum().backward();
   * console.log(h.grad!.toArray()); // [6, 12]
   * ```
   */
  retainGrad(): this {
    if (!this.requiresGrad) {
      throw new AutogradError('retainGrad: this tensor does not require grad, so backward() never reaches it (make an input of the ops that produced it with requiresGrad: true)');
    }
    if (!this.isLeaf) this.retainFlag = true;
    return this;
  }

  /**
   * Back-propagates from this tensor: fills `.grad` of every leaf that requires grad and leads here (and of every
   * intermediate tensor on the way that called {@link Tensor.retainGrad}). Without
   * `gradient`, this tensor must hold one element (the loss); `options` keep the graph (`retainGraph`) or record
   * the backward for second derivatives (`createGraph`).
   * @example
   * ```ts
   * import { tensor, onesLike } from 'tapegrad';
   * const x = tensor([1, 2, 3], { requiresGrad: true });
   * x.mul(x).sum().backward();    // x.grad = 2x = [2, 4, 6]
   * const y = x.mul(2);
   * y.backward(onesLike(y));      // a non-scalar output needs its gradient; x.grad += 2
   * ```
   */
  backward(gradient?: Tensor, options?: BackwardOptions): void {
    backward(this, gradient, options);
  }

  /**
   * The single value of a one-element tensor.
   * @example `tensor([[1, 2], [3, 4]]).sum().item()  // 10`
   */
  item(): number {
    if (this.size !== 1) throw new RangeError(`item: only one-element tensors have an item, this one has shape ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /**
   * The values as nested arrays (a number for a scalar).
   * @example `arange(4).reshape(2, 2).toArray()  // [[0, 1], [2, 3]]`
   */
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

  /**
   * A copy of this tensor that shares no storage and sits in the graph (gradients flow through it).
   * @example `tensor([1, 2]).clone()  // [1, 2]`
   */
  clone(): Tensor {
    return ops.clone(this);
  }
  /**
   * The same values, sharing storage, cut from the graph (`requiresGrad` false).
   * @example `tensor([1], { requiresGrad: true }).mul(2).detach().requiresGrad  // false`
   */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }
  /**
   * A copy converted to `dtype` (differentiable); this tensor itself when the dtype already matches.
   * @example `tensor([1, 2]).to('float64').dtype  // 'float64'`
   */
  to(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  /**
   * A PyTorch-style printout.
   * @example `tensor([1, 2], { requiresGrad: true }).toString()  // 'tensor([1., 2.], requires_grad=True)'`
   */
  toString(): string {
    return formatTensor(this);
  }

  /** What console.log shows in Node: the PyTorch-style printout rather than the storage object. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }

  // Elementwise, with NumPy broadcasting
  /**
   * Elementwise sum, broadcasting as NumPy does ({@link add}).
   * @example `tensor([1, 2]).add(10)  // [11, 12]`
   */
  add(other: TensorLike): Tensor { return ops.add(this, other); }
  /**
   * Elementwise difference, broadcasting ({@link sub}).
   * @example `tensor([5, 7]).sub(tensor([1, 2]))  // [4, 5]`
   */
  sub(other: TensorLike): Tensor { return ops.sub(this, other); }
  /**
   * Elementwise product, broadcasting ({@link mul}).
   * @example `tensor([[1, 2], [3, 4]]).mul(tensor([10, 100]))  // [[10, 200], [30, 400]]`
   */
  mul(other: TensorLike): Tensor { return ops.mul(this, other); }
  /**
   * Elementwise quotient, broadcasting ({@link div}).
   * @example `tensor([1, 3]).div(2)  // [0.5, 1.5]`
   */
  div(other: TensorLike): Tensor { return ops.div(this, other); }
  /**
   * This raised to `exponent` (a number or a tensor), elementwise ({@link pow}).
   * @example `tensor([2, 3]).pow(2)  // [4, 9]`
   */
  pow(exponent: TensorLike): Tensor { return ops.pow(this, exponent); }
  /**
   * The larger of this and `other`, elementwise ({@link maximum}).
   * @example `tensor([1, 5]).maximum(3)  // [3, 5]`
   */
  maximum(other: TensorLike): Tensor { return ops.maximum(this, other); }
  /**
   * The smaller of this and `other`, elementwise ({@link minimum}).
   * @example `tensor([1, 5]).minimum(3)  // [1, 3]`
   */
  minimum(other: TensorLike): Tensor { return ops.minimum(this, other); }
  /**
   * −x, elementwise ({@link neg}).
   * @example `tensor([1, -2]).neg()  // [-1, 2]`
   */
  neg(): Tensor { return ops.neg(this); }
  /**
   * eˣ, elementwise ({@link exp}).
   * @example `tensor([0, 1]).exp()  // [1, 2.7183]`
   */
  exp(): Tensor { return ops.exp(this); }
  /**
   * sin x, elementwise, x in radians ({@link sin}).
   * @example `tensor([0, Math.PI / 2]).sin()  // [0, 1]`
   */
  sin(): Tensor { return ops.sin(this); }
  /**
   * cos x, elementwise, x in radians ({@link cos}).
   * @example `tensor([0, Math.PI]).cos()  // [1, -1]`
   */
  cos(): Tensor { return ops.cos(this); }
  /**
   * The natural logarithm, elementwise ({@link log}).
   * @example `tensor([1, Math.E]).log()  // [0, 1]`
   */
  log(): Tensor { return ops.log(this); }
  /**
   * The square root, elementwise ({@link sqrt}).
   * @example `tensor([4, 9]).sqrt()  // [2, 3]`
   */
  sqrt(): Tensor { return ops.sqrt(this); }
  /**
   * |x|, elementwise ({@link abs}).
   * @example `tensor([-1.5, 2]).abs()  // [1.5, 2]`
   */
  abs(): Tensor { return ops.abs(this); }
  /**
   * −1, 0 or 1 by the sign of each element ({@link sign}).
   * @example `tensor([-3, 0, 2]).sign()  // [-1, 0, 1]`
   */
  sign(): Tensor { return ops.sign(this); }
  /**
   * x², elementwise ({@link square}).
   * @example `tensor([-3, 2]).square()  // [9, 4]`
   */
  square(): Tensor { return ops.square(this); }
  /**
   * The values limited to [min, max]; either bound may be null or left out ({@link clamp}).
   * @example `tensor([-2, 0.5, 3]).clamp(0, 1)  // [0, 0.5, 1]`
   */
  clamp(min?: number | null, max?: number | null): Tensor { return ops.clamp(this, min, max); }
  /**
   * 1 where this equals `other`, else 0 (a float tensor without gradient; {@link eq}).
   * @example `tensor([1, 2, 3]).eq(2)  // [0, 1, 0]`
   */
  eq(other: TensorLike): Tensor { return ops.eq(this, other); }
  /**
   * 1 where this differs from `other`, else 0 ({@link ne}).
   * @example `tensor([1, 2, 3]).ne(2)  // [1, 0, 1]`
   */
  ne(other: TensorLike): Tensor { return ops.ne(this, other); }
  /**
   * 1 where this is greater than `other`, else 0 ({@link gt}).
   * @example `tensor([1, 2, 3]).gt(2)  // [0, 0, 1]`
   */
  gt(other: TensorLike): Tensor { return ops.gt(this, other); }
  /**
   * 1 where this is greater than or equal to `other`, else 0 ({@link ge}).
   * @example `tensor([1, 2, 3]).ge(2)  // [0, 1, 1]`
   */
  ge(other: TensorLike): Tensor { return ops.ge(this, other); }
  /**
   * 1 where this is less than `other`, else 0 ({@link lt}).
   * @example `tensor([1, 2, 3]).lt(2)  // [1, 0, 0]`
   */
  lt(other: TensorLike): Tensor { return ops.lt(this, other); }
  /**
   * 1 where this is less than or equal to `other`, else 0 ({@link le}).
   * @example `tensor([1, 2, 3]).le(2)  // [1, 1, 0]`
   */
  le(other: TensorLike): Tensor { return ops.le(this, other); }
  /**
   * `condition ? this : other`, elementwise with broadcasting (PyTorch's `x.where(cond, y)`; {@link where}).
   * @example `tensor([1, 2, 3]).where(tensor([1, 0, 1]), 0)  // [1, 0, 3]`
   */
  where(condition: Tensor, other: TensorLike): Tensor { return ops.where(condition, this, other); }

  // Activations
  /**
   * max(x, 0), elementwise ({@link relu}).
   * @example `tensor([-1, 2]).relu()  // [0, 2]`
   */
  relu(): Tensor { return ops.relu(this); }
  /**
   * x where x > 0, negativeSlope·x elsewhere (default slope 0.01; {@link leakyRelu}).
   * @example `tensor([-10, 2]).leakyRelu(0.1)  // [-1, 2]`
   */
  leakyRelu(negativeSlope = 0.01): Tensor { return ops.leakyRelu(this, negativeSlope); }
  /**
   * 1 / (1 + e^(−x)), elementwise ({@link sigmoid}).
   * @example `tensor([0]).sigmoid()  // [0.5]`
   */
  sigmoid(): Tensor { return ops.sigmoid(this); }
  /**
   * The hyperbolic tangent, elementwise ({@link tanh}).
   * @example `tensor([0]).tanh()  // [0]`
   */
  tanh(): Tensor { return ops.tanh(this); }
  /**
   * eˣ normalised to sum 1 along `dim` (default the last; {@link softmax}).
   * @example `tensor([0, Math.log(3)]).softmax()  // [0.25, 0.75]`
   */
  softmax(dim = -1): Tensor { return ops.softmax(this, dim); }
  /**
   * The logarithm of softmax along `dim`, computed without overflow ({@link logSoftmax}).
   * @example `tensor([0, 0]).logSoftmax()  // [-0.6931, -0.6931]`
   */
  logSoftmax(dim = -1): Tensor { return ops.logSoftmax(this, dim); }

  // Reductions
  /**
   * The sum of all elements, or over `dim` (one or several); `keepdim` keeps reduced dims as size 1 ({@link sum}).
   * @example `tensor([[1, 2], [3, 4]]).sum(0)  // [4, 6]`
   */
  sum(dim?: number | readonly number[], keepdim = false): Tensor { return ops.sum(this, dim, keepdim); }
  /**
   * The mean of all elements, or over `dim` (one or several; {@link mean}).
   * @example `tensor([[1, 2], [3, 4]]).mean(1)  // [1.5, 3.5]`
   */
  mean(dim?: number | readonly number[], keepdim = false): Tensor { return ops.mean(this, dim, keepdim); }
  /**
   * The largest element, as a scalar tensor ({@link max}).
   * @example `tensor([[1, 9], [7, 3]]).max()  // 9`
   */
  max(): Tensor;
  /**
   * The largest values along `dim` and their indices; `keepdim` keeps `dim` as size 1 ({@link max}).
   * @example `tensor([[1, 9], [7, 3]]).max(1).values  // [9, 7]`
   */
  max(dim: number, keepdim?: boolean): ops.ValuesIndices;
  max(dim?: number, keepdim = false): Tensor | ops.ValuesIndices {
    return dim === undefined ? ops.max(this) : ops.max(this, dim, keepdim);
  }
  /**
   * The smallest element, as a scalar tensor ({@link min}).
   * @example `tensor([[1, 9], [7, 3]]).min()  // 1`
   */
  min(): Tensor;
  /**
   * The smallest values along `dim` and their indices ({@link min}).
   * @example `tensor([[1, 9], [7, 3]]).min(1).indices  // [0, 1]`
   */
  min(dim: number, keepdim?: boolean): ops.ValuesIndices;
  min(dim?: number, keepdim = false): Tensor | ops.ValuesIndices {
    return dim === undefined ? ops.min(this) : ops.min(this, dim, keepdim);
  }
  /**
   * The index of the largest value, of the flattened tensor or along `dim` (first on ties; float indices, no gradient; {@link argmax}).
   * @example `tensor([[1, 9], [7, 3]]).argmax(1)  // [1, 0]`
   */
  argmax(dim?: number, keepdim = false): Tensor { return ops.argmax(this, dim, keepdim); }
  /**
   * The index of the smallest value, of the flattened tensor or along `dim` (first on ties; {@link argmin}).
   * @example `tensor([[1, 9], [7, 3]]).argmin(1)  // [0, 1]`
   */
  argmin(dim?: number, keepdim = false): Tensor { return ops.argmin(this, dim, keepdim); }
  /**
   * The variance over all elements or over `dim`, with Bessel's correction unless `{ correction: 0 }` ({@link variance}).
   * @example `tensor([1, 2, 3, 4]).var()  // 1.6667`
   */
  var(dim?: number | readonly number[], options?: ops.VarianceOptions): Tensor { return ops.variance(this, dim, options); }
  /**
   * The standard deviation: the square root of {@link Tensor.var} ({@link std}).
   * @example `tensor([2, 4]).std()  // 1.4142`
   */
  std(dim?: number | readonly number[], options?: ops.VarianceOptions): Tensor { return ops.std(this, dim, options); }

  // Movement
  /**
   * The same values in a new shape, given as sizes or one array; one size may be -1 (inferred). Shares storage ({@link reshape}).
   * @example `arange(6).reshape(2, 3).shape  // [2, 3]`
   */
  reshape(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  /**
   * {@link Tensor.reshape} under PyTorch's other name.
   * @example `arange(6).view(3, -1).shape  // [3, 2]`
   */
  view(...shape: number[] | [readonly number[]]): Tensor { return ops.reshape(this, flatArgs(shape)); }
  /**
   * Dims `startDim`..`endDim` merged into one (by default all of them; {@link flatten}).
   * @example `zeros([2, 3, 4]).flatten(1).shape  // [2, 12]`
   */
  flatten(startDim = 0, endDim = -1): Tensor { return ops.flatten(this, startDim, endDim); }
  /**
   * Size-1 dims removed: all of them, or only `dim` ({@link squeeze}).
   * @example `zeros([2, 1, 3]).squeeze().shape  // [2, 3]`
   */
  squeeze(dim?: number): Tensor { return ops.squeeze(this, dim); }
  /**
   * A size-1 dim inserted at `dim` ({@link unsqueeze}).
   * @example `tensor([1, 2]).unsqueeze(0).shape  // [1, 2]`
   */
  unsqueeze(dim: number): Tensor { return ops.unsqueeze(this, dim); }
  /**
   * Dims `dim0` and `dim1` swapped (default 0 and 1), as a new contiguous tensor ({@link transpose}).
   * @example `zeros([2, 3, 4]).transpose(0, 2).shape  // [4, 3, 2]`
   */
  transpose(dim0 = 0, dim1 = 1): Tensor { return ops.transpose(this, dim0, dim1); }
  /**
   * The transpose of a matrix (a tensor of at most 2 dims), like PyTorch's `.T` for 2-D.
   * @example `tensor([[1, 2, 3]]).T.shape  // [3, 1]`
   */
  get T(): Tensor { return ops.transpose(this, 0, this.ndim < 2 ? 0 : 1); }
  /**
   * The dims reordered: dim i of the result is dim `dims[i]` of this ({@link permute}).
   * @example `zeros([2, 3, 4]).permute(2, 0, 1).shape  // [4, 2, 3]`
   */
  permute(...dims: number[] | [readonly number[]]): Tensor { return ops.permute(this, flatArgs(dims)); }
  /**
   * Broadcast to `shape`, given as sizes or one array (PyTorch's expand; {@link broadcastTo}).
   * @example `tensor([1, 2]).expand(3, 2).shape  // [3, 2]`
   */
  expand(...shape: number[] | [readonly number[]]): Tensor { return ops.broadcastTo(this, flatArgs(shape)); }
  /**
   * Broadcast to `shape`: size-1 and missing leading dims repeated ({@link broadcastTo}).
   * @example `tensor([[1], [2]]).broadcastTo([2, 3])  // [[1, 1, 1], [2, 2, 2]]`
   */
  broadcastTo(shape: readonly number[]): Tensor { return ops.broadcastTo(this, shape); }
  /**
   * Elements `start`, `start + step`, ... before `end` along `dim`, with Python's slice rules ({@link slice}).
   * @example `arange(10).slice(0, 2, 8, 3)  // [2, 5]`
   */
  slice(dim: number, start?: number, end?: number, step = 1): Tensor { return ops.slice(this, dim, start, end, step); }
  /**
   * `length` elements from `start` along `dim` ({@link narrow}).
   * @example `arange(5).narrow(0, 1, 3)  // [1, 2, 3]`
   */
  narrow(dim: number, start: number, length: number): Tensor { return ops.narrow(this, dim, start, length); }
  /**
   * The slice at `index` along `dim`, with that dim removed ({@link select}).
   * @example `tensor([[1, 2], [3, 4]]).select(1, 0)  // [1, 3]`
   */
  select(dim: number, index: number): Tensor { return ops.select(this, dim, index); }
  /**
   * The entries at `index` along `dim`, in that order, repeats allowed ({@link indexSelect}).
   * @example `tensor([10, 20, 30]).indexSelect(0, [2, 0, 2])  // [30, 10, 30]`
   */
  indexSelect(dim: number, index: Tensor | readonly number[]): Tensor { return ops.indexSelect(this, dim, index); }
  /**
   * Values picked along `dim` by an index tensor (PyTorch's gather; {@link gather}).
   * @example `tensor([[1, 2], [3, 4]]).gather(1, tensor([[1], [0]]))  // [[2], [3]]`
   */
  gather(dim: number, index: Tensor): Tensor { return ops.gather(this, dim, index); }
  /**
   * Constant padding, with `pads` as (before, after) pairs from the last dim, as PyTorch's F.pad ({@link pad}).
   * @example `tensor([[1, 2]]).pad([1, 1])  // [[0, 1, 2, 0]]`
   */
  pad(pads: readonly number[], value = 0): Tensor { return ops.pad(this, pads, value); }

  // Products
  /**
   * The matrix product, with PyTorch's rules for vectors and broadcast batches ({@link matmul}).
   * @example `tensor([[1, 2]]).matmul(tensor([[3], [4]]))  // [[11]]`
   */
  matmul(other: Tensor): Tensor { return ops.matmul(this, other); }
  /**
   * The inner product of two vectors, a scalar tensor ({@link dot}).
   * @example `tensor([1, 2, 3]).dot(tensor([4, 5, 6]))  // 32`
   */
  dot(other: Tensor): Tensor { return ops.dot(this, other); }
  /**
   * The outer product of two vectors ({@link outer}).
   * @example `tensor([1, 2]).outer(tensor([3, 4]))  // [[3, 4], [6, 8]]`
   */
  outer(other: Tensor): Tensor { return ops.outer(this, other); }
}

/**
 * Nested arrays of numbers, as toArray() returns them and tensor() accepts them.
 * @example `tensor([[1, 2], [3, 4]]).toArray()  // [[1, 2], [3, 4]]`
 */
export type NestedArray = number | NestedArray[];

function flatArgs(args: number[] | [readonly number[]]): readonly number[] {
  return args.length === 1 && Array.isArray(args[0]) ? (args[0] as readonly number[]) : (args as number[]);
}
