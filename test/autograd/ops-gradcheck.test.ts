/**
 * THE gradcheck suite: every op in `differentiableOps` has cases here, and the Record type ties the two lists, so a
 * new op without a case does not typecheck (and the key comparison below fails at runtime too). gradcheck itself
 * checks the full Jacobian, a random upstream gradient, repeatability and a zero upstream gradient.
 */
import { describe, expect, it } from 'vitest';
import {
  Generator, Tensor, abs, add, avgPool2d, batchNorm, broadcastTo, conv2d, cast, clamp, concat, cos, differentiableOps, div, dot, enableGrad, exp,
  flatten, gather, gradcheck, indexSelect, leakyRelu, log, logSoftmax, matmul, matmulT, max, maximum, mean, min,
  dropout, maxPool2d, minimum, mul, narrow, neg, outer, pad, permute, pow, relu, reshape, scatterAdd, select, sigmoid, sign, slice,
  sin, softmax, softmaxCrossEntropy, sqrt, square, squeeze, stack, std, sub, sum, tanh, tensor, transpose, unsqueeze, variance, where,
  type DifferentiableOpName, type GradcheckOptions, type NestedArray,
} from '../../src/index.js';

/**
 * How an input's values are drawn. Kinks of abs/relu/clamp/maximum/sign, and the points where max/min switch
 * element, are kept at least 0.1 away, so central differences (eps 1e-6) never straddle one.
 */
type Kind =
  | 'normal' // standard normal
  | 'positive' // uniform in [0.5, 2]: log, sqrt, a pow base, a divisor
  | 'awayFromZero' // |x| in [0.2, 1.7], either sign: abs, relu, sign, leakyRelu
  | 'lowGrid' // n + 0.25 + 0.1u (n an integer in [-2, 2]): with 'highGrid', |a − b| ≥ 0.4 for maximum/minimum
  | 'highGrid' // n + 0.75 + 0.1u
  | 'distinct' // a shuffle of 0.3·i + 0.05u: every two values ≥ 0.25 apart, so max/min have a clear winner
  | 'grid64'; // multiples of 1/64 in [-2, 2], exact in float32 (the cast round trip)

interface Input {
  shape: number[];
  kind?: Kind;
  /** A constant input (no requiresGrad): exercises the rules' needsInputGrad paths. */
  constant?: boolean;
}

interface Case {
  label: string;
  inputs: Input[];
  fn: (...xs: Tensor[]) => Tensor;
  options?: GradcheckOptions;
}

const inp = (shape: number[], kind: Kind = 'normal'): Input => ({ shape, kind });
const constant = (shape: number[], kind: Kind = 'normal'): Input => ({ shape, kind, constant: true });

function draw(kind: Kind, n: number, g: Generator): number[] {
  switch (kind) {
    case 'normal':
      return Array.from({ length: n }, () => g.normal());
    case 'positive':
      return Array.from({ length: n }, () => 0.5 + 1.5 * g.random());
    case 'awayFromZero':
      return Array.from({ length: n }, () => (g.random() < 0.5 ? -1 : 1) * (0.2 + 1.5 * g.random()));
    case 'lowGrid':
      return Array.from({ length: n }, () => g.randint(-2, 3) + 0.25 + 0.1 * g.random());
    case 'highGrid':
      return Array.from({ length: n }, () => g.randint(-2, 3) + 0.75 + 0.1 * g.random());
    case 'distinct': {
      const v = Array.from({ length: n }, (_, i) => 0.3 * (i - n / 2) + 0.05 * g.random());
      for (let i = n - 1; i > 0; i--) {
        const j = g.randint(0, i + 1);
        [v[i], v[j]] = [v[j], v[i]];
      }
      return v;
    }
    case 'grid64':
      return Array.from({ length: n }, () => g.randint(-128, 129) / 64);
  }
}

function makeInputs(c: Case, seed: number): Tensor[] {
  const g = new Generator(seed);
  return c.inputs.map(({ shape, kind = 'normal', constant: isConstant }) => {
    const n = shape.reduce((p, s) => p * s, 1);
    return new Tensor(Float64Array.from(draw(kind, n, g)), shape, { requiresGrad: !isConstant });
  });
}

/** Class indices (float32 holding integers), as gather's index. */
const idx = (rows: number[][]) => tensor(rows);

/** A float64 scalar/tensor constant for use inside fn (gradcheck works in float64). */
const f64 = (v: NestedArray) => tensor(v, { dtype: 'float64' });

// Binary elementwise ops, each checked on the broadcasting patterns below.
const broadcastPairs: Array<[string, number[], number[]]> = [
  ['same shape', [2, 3], [2, 3]],
  ['[2,3] with [3]', [2, 3], [3]],
  ['[2,1] with [1,3]', [2, 1], [1, 3]],
  ['[3] with [2,3]', [3], [2, 3]],
  ['scalar [] with [2,3]', [], [2, 3]],
  ['[2,3] with scalar []', [2, 3], []],
  ['[2,1,3] with [4,1]', [2, 1, 3], [4, 1]],
];

function binaryCases(op: (a: Tensor, b: Tensor) => Tensor, kindA: Kind = 'normal', kindB: Kind = 'normal'): Case[] {
  return [
    ...broadcastPairs.map(([label, sa, sb]): Case => ({ label, inputs: [inp(sa, kindA), inp(sb, kindB)], fn: op })),
    { label: 'only a requires grad, [2,3] with [3]', inputs: [inp([2, 3], kindA), constant([3], kindB)], fn: op },
    { label: 'only b requires grad, [3] with [2,3]', inputs: [constant([3], kindA), inp([2, 3], kindB)], fn: op },
  ];
}

const unary = (op: (x: Tensor) => Tensor, kind: Kind = 'normal'): Case[] => [
  { label: '[2,3]', inputs: [inp([2, 3], kind)], fn: op },
  { label: 'scalar', inputs: [inp([], kind)], fn: op },
  { label: '[2,1,3]', inputs: [inp([2, 1, 3], kind)], fn: op },
];

/** Which reduction dims to try for sum/mean/var/std on a [2,3,4] input. */
const reductionDims: Array<[string, number | number[] | undefined, boolean]> = [
  ['all', undefined, false],
  ['dim 0', 0, false],
  ['dim -1, keepdim', -1, true],
  ['dims [0,2]', [0, 2], false],
  ['dims [-1,-2], keepdim', [-1, -2], true],
  ['dims [0,1,2]', [0, 1, 2], false],
];

const cases: Record<DifferentiableOpName, Case[]> = {
  // --- unary
  neg: unary(neg),
  exp: unary(exp),
  log: unary(log, 'positive'),
  sqrt: unary(sqrt, 'positive'),
  abs: unary(abs, 'awayFromZero'),
  sign: unary(sign, 'awayFromZero'),
  square: unary(square),
  sin: unary(sin),
  cos: unary(cos),
  clamp: [
    // values lie on the grid n + 0.25 + 0.1u, bounds at −0.5 and 0.5: each ≥ 0.15 away
    { label: 'both bounds', inputs: [inp([3, 4], 'lowGrid')], fn: (x) => clamp(x, -0.5, 0.5) },
    { label: 'min only', inputs: [inp([3, 4], 'lowGrid')], fn: (x) => clamp(x, -0.5) },
    { label: 'max only', inputs: [inp([3, 4], 'lowGrid')], fn: (x) => x.clamp(null, 0.5) },
    { label: 'wide bounds (identity)', inputs: [inp([2, 3], 'lowGrid')], fn: (x) => clamp(x, -5, 5) },
  ],

  // --- binary, broadcast
  add: [...binaryCases(add), { label: 'plus a number', inputs: [inp([2, 3])], fn: (x) => add(x, 1.5) }],
  sub: [...binaryCases(sub), { label: 'number minus tensor', inputs: [inp([2, 3])], fn: (x) => sub(2, x) }],
  mul: [...binaryCases(mul), { label: 'x·x (one input twice)', inputs: [inp([2, 3])], fn: (x) => mul(x, x) }],
  div: [
    ...binaryCases(div, 'normal', 'positive'),
    { label: 'number over tensor', inputs: [inp([2, 3], 'positive')], fn: (x) => div(1, x) },
  ],
  pow: [
    ...binaryCases(pow, 'positive', 'normal'),
    { label: 'x^3 with a number exponent', inputs: [inp([2, 3])], fn: (x) => pow(x, 3) },
    { label: 'x^-0.5', inputs: [inp([2, 3], 'positive')], fn: (x) => x.pow(-0.5) },
    { label: '2^x with a number base', inputs: [inp([2, 3])], fn: (x) => pow(2, x) },
  ],
  maximum: binaryCases(maximum, 'lowGrid', 'highGrid'),
  minimum: binaryCases(minimum, 'highGrid', 'lowGrid'),
  where: [
    { label: 'condition [2,3]', inputs: [inp([2, 3]), inp([2, 3])], fn: (a, b) => where(idx([[1, 0, 1], [0, 0, 1]]), a, b) },
    { label: 'condition [3] broadcast over [2,3] and [2,1]', inputs: [inp([2, 3]), inp([2, 1])], fn: (a, b) => where(tensor([0, 1, 1]), a, b) },
    { label: 'condition [2,1], scalar b', inputs: [inp([3]), inp([])], fn: (a, b) => where(tensor([[1], [0]]), a, b) },
    { label: 'number other', inputs: [inp([2, 3])], fn: (a) => where(tensor([1, 0, 1]), a, 0.5) },
    { label: 'method form, only b requires grad', inputs: [constant([2, 3]), inp([3])], fn: (a, b) => a.where(tensor([[1, 0, 0], [0, 1, 1]]), b) },
  ],

  // --- activations
  relu: unary(relu, 'awayFromZero'),
  leakyRelu: [
    ...unary((x) => leakyRelu(x), 'awayFromZero'),
    { label: 'slope 0.2', inputs: [inp([2, 3], 'awayFromZero')], fn: (x) => leakyRelu(x, 0.2) },
  ],
  sigmoid: [...unary(sigmoid), { label: 'large inputs', inputs: [inp([4])], fn: (x) => sigmoid(x.mul(8)) }],
  tanh: unary(tanh),
  softmax: [
    { label: '[2,3] dim -1', inputs: [inp([2, 3])], fn: (x) => softmax(x, -1) },
    { label: '[2,3] dim 0', inputs: [inp([2, 3])], fn: (x) => softmax(x, 0) },
    { label: '[2,3,2] dim 1', inputs: [inp([2, 3, 2])], fn: (x) => x.softmax(1) },
    { label: '[4] default dim', inputs: [inp([4])], fn: (x) => softmax(x) },
  ],
  logSoftmax: [
    { label: '[2,3] dim -1', inputs: [inp([2, 3])], fn: (x) => logSoftmax(x, -1) },
    { label: '[2,3] dim 0', inputs: [inp([2, 3])], fn: (x) => logSoftmax(x, 0) },
    { label: '[2,3,2] dim 1', inputs: [inp([2, 3, 2])], fn: (x) => x.logSoftmax(1) },
    { label: '[2,3,2] dim -3', inputs: [inp([2, 3, 2])], fn: (x) => logSoftmax(x, -3) },
    { label: 'shifted by 50 (stability path)', inputs: [inp([2, 3])], fn: (x) => logSoftmax(x.add(50)) },
  ],

  // --- reductions
  sum: [
    ...reductionDims.map(([label, dim, keepdim]): Case => ({ label, inputs: [inp([2, 3, 4])], fn: (x) => sum(x, dim, keepdim) })),
    { label: 'scalar input', inputs: [inp([])], fn: (x) => sum(x) },
    { label: 'method, dim 1 keepdim', inputs: [inp([3, 2])], fn: (x) => x.sum(1, true) },
  ],
  mean: [
    ...reductionDims.map(([label, dim, keepdim]): Case => ({ label, inputs: [inp([2, 3, 4])], fn: (x) => mean(x, dim, keepdim) })),
    { label: 'method, dim -2', inputs: [inp([3, 2])], fn: (x) => x.mean(-2) },
  ],
  max: [
    { label: 'all elements', inputs: [inp([3, 4], 'distinct')], fn: (x) => max(x) },
    { label: 'dim 1', inputs: [inp([3, 4], 'distinct')], fn: (x) => max(x, 1).values },
    { label: 'dim 0, keepdim', inputs: [inp([3, 4], 'distinct')], fn: (x) => max(x, 0, true).values },
    { label: 'dim -1 of [2,3,4]', inputs: [inp([2, 3, 4], 'distinct')], fn: (x) => x.max(-1).values },
    { label: 'dim -2 of [2,3,4], keepdim', inputs: [inp([2, 3, 4], 'distinct')], fn: (x) => x.max(-2, true).values },
  ],
  min: [
    { label: 'all elements', inputs: [inp([3, 4], 'distinct')], fn: (x) => min(x) },
    { label: 'dim 1', inputs: [inp([3, 4], 'distinct')], fn: (x) => min(x, 1).values },
    { label: 'dim 0, keepdim', inputs: [inp([3, 4], 'distinct')], fn: (x) => min(x, 0, true).values },
    { label: 'dim -1 of [2,3,4]', inputs: [inp([2, 3, 4], 'distinct')], fn: (x) => x.min(-1).values },
  ],
  variance: [
    ...reductionDims.map(([label, dim, keepdim]): Case => ({ label, inputs: [inp([2, 3, 4])], fn: (x) => variance(x, dim, { keepdim }) })),
    { label: 'correction 0, dim 1', inputs: [inp([3, 4])], fn: (x) => variance(x, 1, { correction: 0 }) },
    { label: 'method, correction 2', inputs: [inp([3, 4])], fn: (x) => x.var(undefined, { correction: 2 }) },
  ],
  std: [
    ...reductionDims.map(([label, dim, keepdim]): Case => ({ label, inputs: [inp([2, 3, 4])], fn: (x) => std(x, dim, { keepdim }) })),
    { label: 'correction 0, dim -1, keepdim', inputs: [inp([3, 4])], fn: (x) => std(x, -1, { correction: 0, keepdim: true }) },
    { label: 'method', inputs: [inp([3, 4])], fn: (x) => x.std(0) },
  ],

  // --- movement
  // reshape and the ops composed from it (flatten, squeeze, unsqueeze) return tensors that share the input's
  // storage, so these cases also check that gradcheck does not let a perturbation leak into a saved evaluation.
  reshape: [
    { label: '[2,3] → [3,2]', inputs: [inp([2, 3])], fn: (x) => reshape(x, [3, 2]) },
    { label: '[2,3,2] → [-1, 4]', inputs: [inp([2, 3, 2])], fn: (x) => reshape(x, [-1, 4]) },
    { label: '[1] → scalar', inputs: [inp([1])], fn: (x) => reshape(x, []) },
    // a nonlinear op after the reshape makes the gradient depend on where each element lands
    { label: 'then tanh', inputs: [inp([6])], fn: (x) => x.view(2, 3).mul(f64([1, 2, 3])).tanh() },
  ],
  flatten: [
    { label: 'all', inputs: [inp([2, 3, 2])], fn: (x) => flatten(x) },
    { label: 'from dim 1', inputs: [inp([2, 3, 2])], fn: (x) => flatten(x, 1) },
    { label: 'dims 0..1', inputs: [inp([2, 3, 2])], fn: (x) => x.flatten(0, -2) },
  ],
  squeeze: [
    { label: 'all size-1 dims', inputs: [inp([1, 3, 1, 2])], fn: (x) => squeeze(x) },
    { label: 'dim -2', inputs: [inp([3, 1, 2])], fn: (x) => squeeze(x, -2) },
    { label: 'dim 0', inputs: [inp([1, 4])], fn: (x) => x.squeeze(0).mul(f64([1, 2, 3, 4])) },
  ],
  unsqueeze: [
    { label: 'dim 0', inputs: [inp([2, 3])], fn: (x) => unsqueeze(x, 0) },
    { label: 'dim -1', inputs: [inp([2, 3])], fn: (x) => unsqueeze(x, -1) },
    { label: 'dim -2, then broadcast', inputs: [inp([2, 3])], fn: (x) => x.unsqueeze(-2).mul(f64([[[1, 2, 3]], [[4, 5, 6]]])) },
  ],
  permute: [
    { label: '[2,0,1]', inputs: [inp([2, 3, 4])], fn: (x) => permute(x, [2, 0, 1]) },
    { label: '[1,2,0]', inputs: [inp([2, 3, 4])], fn: (x) => x.permute(1, 2, 0) },
    { label: 'negative dims [-1,-3,-2]', inputs: [inp([2, 3, 2])], fn: (x) => permute(x, [-1, -3, -2]) },
    { label: '4-D', inputs: [inp([2, 1, 3, 2])], fn: (x) => permute(x, [3, 1, 0, 2]) },
  ],
  transpose: [
    { label: 'matrix', inputs: [inp([2, 3])], fn: (x) => transpose(x, 0, 1) },
    { label: '.T', inputs: [inp([3, 2])], fn: (x) => x.T },
    { label: 'dims -1, -3 of [2,3,4]', inputs: [inp([2, 3, 4])], fn: (x) => transpose(x, -1, -3) },
  ],
  broadcastTo: [
    { label: '[3] → [2,3]', inputs: [inp([3])], fn: (x) => broadcastTo(x, [2, 3]) },
    { label: '[2,1] → [3,2,4]', inputs: [inp([2, 1])], fn: (x) => broadcastTo(x, [3, 2, 4]) },
    { label: 'expand with -1', inputs: [inp([2, 1])], fn: (x) => x.expand(-1, 3) },
    { label: 'scalar → [2,2]', inputs: [inp([])], fn: (x) => x.expand(2, 2) },
  ],
  slice: [
    { label: 'start..end', inputs: [inp([6])], fn: (x) => slice(x, 0, 1, 4) },
    { label: 'negative start, step 2', inputs: [inp([7])], fn: (x) => slice(x, 0, -6, undefined, 2) },
    { label: 'inner dim, negative end', inputs: [inp([2, 5])], fn: (x) => x.slice(1, 0, -1, 3) },
    { label: 'clipped bounds', inputs: [inp([3, 2])], fn: (x) => slice(x, 0, -10, 2) },
  ],
  narrow: [
    { label: 'dim 0', inputs: [inp([5, 2])], fn: (x) => narrow(x, 0, 1, 3) },
    { label: 'negative start, dim -1', inputs: [inp([2, 5])], fn: (x) => x.narrow(-1, -2, 2) },
  ],
  select: [
    { label: 'row', inputs: [inp([3, 4])], fn: (x) => select(x, 0, 1) },
    { label: 'negative index, dim -1', inputs: [inp([3, 4])], fn: (x) => x.select(-1, -1) },
    { label: 'vector → scalar', inputs: [inp([4])], fn: (x) => select(x, 0, 2) },
  ],
  indexSelect: [
    { label: 'repeats', inputs: [inp([4, 2])], fn: (x) => indexSelect(x, 0, [3, 1, 3, 3]) },
    { label: 'negative indices, dim -1', inputs: [inp([2, 4])], fn: (x) => x.indexSelect(-1, [-1, 0, -1]) },
    { label: 'tensor index, 3-D dim 1', inputs: [inp([2, 3, 2])], fn: (x) => indexSelect(x, 1, tensor([2, 0])) },
  ],
  gather: [
    { label: 'class-index picks', inputs: [inp([4, 3])], fn: (x) => gather(x, 1, tensor([2, 0, 1, 2]).unsqueeze(1)) },
    { label: 'dim 0 with repeats', inputs: [inp([3, 2])], fn: (x) => x.gather(0, idx([[2, 0], [2, 2], [1, 0], [0, 0]])) },
    { label: 'dim -1 of 3-D', inputs: [inp([2, 2, 3])], fn: (x) => gather(x, -1, idx([[0, 0, 2, 1], [2, 1, 1, 0], [1, 2, 2, 0], [0, 0, 0, 2]]).reshape([2, 2, 4])) },
  ],
  scatterAdd: [
    { label: 'collisions along dim 1', inputs: [inp([2, 3])], fn: (s) => scatterAdd(s, 1, idx([[0, 2, 0], [1, 1, 1]]), 4) },
    { label: 'dim 0', inputs: [inp([3, 2])], fn: (s) => scatterAdd(s, 0, idx([[1, 0], [1, 1], [0, 1]]), 2) },
    { label: 'negative dim', inputs: [inp([2, 2])], fn: (s) => scatterAdd(s, -1, idx([[2, 0], [2, 2]]), 3) },
  ],
  concat: [
    { label: 'dim 0', inputs: [inp([2, 3]), inp([1, 3])], fn: (a, b) => concat([a, b], 0) },
    { label: 'three along dim -1', inputs: [inp([2, 1]), inp([2, 3]), inp([2, 2])], fn: (a, b, c) => concat([a, b, c], -1) },
    { label: 'middle dim, one constant', inputs: [inp([2, 1, 2]), constant([2, 2, 2])], fn: (a, b) => concat([a, b], 1) },
    { label: 'same input twice', inputs: [inp([2, 2])], fn: (a) => concat([a, a.mul(a)], 0) },
  ],
  stack: [
    { label: 'dim 0', inputs: [inp([3]), inp([3])], fn: (a, b) => stack([a, b]) },
    { label: 'dim -1 of three', inputs: [inp([2, 2]), inp([2, 2]), inp([2, 2])], fn: (a, b, c) => stack([a, b, c], -1) },
    { label: 'scalars', inputs: [inp([]), inp([])], fn: (a, b) => stack([a, b]) },
  ],
  pad: [
    { label: 'last dim', inputs: [inp([2, 3])], fn: (x) => pad(x, [1, 2]) },
    { label: 'last two dims, value 0.5', inputs: [inp([2, 2, 2])], fn: (x) => pad(x, [0, 1, 2, 1], 0.5) },
    { label: 'all dims of 2-D', inputs: [inp([2, 2])], fn: (x) => x.pad([1, 0, 0, 1], -1).exp() },
  ],
  clone: [
    { label: '[2,3]', inputs: [inp([2, 3])], fn: (x) => x.clone() },
    { label: 'clone then mul by itself', inputs: [inp([3])], fn: (x) => x.clone().mul(x) },
  ],
  cast: [
    // to the dtype it has: the tensor itself comes back, still in the graph
    { label: 'float64 → float64', inputs: [inp([2, 3])], fn: (x) => cast(x, 'float64').mul(f64(2)) },
    // through float32 and back. The values and eps are float32-exact, so the numerical Jacobian is exact; the
    // random-upstream check uses a float64 upstream, which the float32 leg rounds, so its tolerance is float32's
    // (see the dedicated test below for why this case only relaxes that one check).
    { label: 'float64 → float32 → float64', inputs: [inp([2, 3], 'grid64')], fn: (x) => cast(x, 'float32').to('float64'), options: { eps: 1 / 64 } },
  ],

  // --- products
  matmul: [
    { label: '1-D·1-D', inputs: [inp([4]), inp([4])], fn: matmul },
    { label: '1-D·2-D', inputs: [inp([3]), inp([3, 2])], fn: matmul },
    { label: '2-D·1-D', inputs: [inp([2, 3]), inp([3])], fn: matmul },
    { label: '2-D·2-D', inputs: [inp([2, 3]), inp([3, 4])], fn: matmul },
    { label: 'batched 3-D·3-D', inputs: [inp([2, 2, 3]), inp([2, 3, 2])], fn: matmul },
    { label: '3-D·2-D', inputs: [inp([2, 3, 2]), inp([2, 3])], fn: matmul },
    { label: '2-D·3-D', inputs: [inp([2, 3]), inp([2, 3, 2])], fn: matmul },
    { label: '1-D·3-D', inputs: [inp([3]), inp([2, 3, 2])], fn: matmul },
    { label: '3-D·1-D', inputs: [inp([2, 2, 3]), inp([3])], fn: matmul },
    { label: 'batch broadcast [2,1,2,3]·[3,3,2]', inputs: [inp([2, 1, 2, 3]), inp([3, 3, 2])], fn: matmul },
    { label: 'batch broadcast [1,2,3]·[2,3,2]', inputs: [inp([1, 2, 3]), inp([2, 3, 2])], fn: matmul },
    { label: 'only a requires grad', inputs: [inp([2, 3]), constant([3, 2])], fn: matmul },
    { label: 'only b requires grad', inputs: [constant([2, 3]), inp([3, 2])], fn: (a, b) => a.matmul(b) },
    { label: 'x·x', inputs: [inp([3, 3])], fn: (x) => matmul(x, x) },
  ],
  matmulT: [
    { label: 'A·B', inputs: [inp([2, 3]), inp([3, 4])], fn: (a, b) => matmulT(a, b, false, false) },
    { label: 'Aᵀ·B', inputs: [inp([3, 2]), inp([3, 4])], fn: (a, b) => matmulT(a, b, true, false) },
    { label: 'A·Bᵀ', inputs: [inp([2, 3]), inp([4, 3])], fn: (a, b) => matmulT(a, b, false, true) },
    { label: 'Aᵀ·Bᵀ', inputs: [inp([3, 2]), inp([4, 3])], fn: (a, b) => matmulT(a, b, true, true) },
    { label: 'batched Aᵀ·B, broadcast', inputs: [inp([2, 3, 2]), inp([3, 2])], fn: (a, b) => matmulT(a, b, true, false) },
    { label: 'batched A·Bᵀ, broadcast', inputs: [inp([2, 3]), inp([2, 1, 4, 3])], fn: (a, b) => matmulT(a, b, false, true) },
    { label: 'batched Aᵀ·Bᵀ', inputs: [inp([2, 3, 2]), inp([2, 2, 3])], fn: (a, b) => matmulT(a, b, true, true) },
    { label: 'Aᵀ·Bᵀ, only b requires grad', inputs: [constant([3, 2]), inp([4, 3])], fn: (a, b) => matmulT(a, b, true, true) },
    { label: 'Aᵀ·B, only a requires grad', inputs: [inp([3, 2]), constant([3, 4])], fn: (a, b) => matmulT(a, b, true, false) },
  ],
  dot: [
    { label: 'length 5', inputs: [inp([5]), inp([5])], fn: dot },
    { label: 'with itself', inputs: [inp([4])], fn: (x) => x.dot(x) },
  ],
  outer: [
    { label: '[3] ⊗ [4]', inputs: [inp([3]), inp([4])], fn: outer },
    { label: 'only b requires grad', inputs: [constant([2]), inp([3])], fn: (a, b) => a.outer(b) },
  ],
  // --- convolution and pooling
  conv2d: [
    { label: 'x, weight, bias: stride 2, padding 1, dilation 2, non-square input and kernel', inputs: [inp([1, 2, 6, 5]), inp([2, 2, 2, 3]), inp([2])], fn: (x, w, b) => conv2d(x, w, b, { stride: 2, padding: 1, dilation: 2 }) },
    { label: "'same' with an even kernel, batch 2", inputs: [inp([2, 1, 4, 3]), inp([2, 1, 2, 2]), inp([2])], fn: (x, w, b) => conv2d(x, w, b, { padding: 'same' }) },
    { label: "'valid', no bias, stride [2, 1]", inputs: [inp([1, 2, 5, 4]), inp([3, 2, 2, 2])], fn: (x, w) => conv2d(x, w, null, { padding: 'valid', stride: [2, 1] }) },
    { label: 'only the weight requires grad', inputs: [constant([1, 1, 4, 4]), inp([2, 1, 3, 3])], fn: (x, w) => conv2d(x, w, null, { padding: 1 }) },
    { label: 'only the input requires grad', inputs: [inp([1, 1, 4, 4]), constant([2, 1, 3, 3])], fn: (x, w) => conv2d(x, w, null, { padding: 1 }) },
    { label: '3-D input [C, H, W]', inputs: [inp([2, 4, 3]), inp([1, 2, 2, 2]), inp([1])], fn: (x, w, b) => conv2d(x, w, b) },
  ],
  maxPool2d: [
    { label: '3×3, stride 2, padding 1, odd sizes', inputs: [inp([1, 2, 5, 3], 'distinct')], fn: (x) => maxPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }) },
    { label: '2×2, default stride, batch 2', inputs: [inp([2, 1, 4, 4], 'distinct')], fn: (x) => maxPool2d(x, { kernelSize: 2 }) },
    { label: '[3, 2] kernel, stride [1, 2], padding 1 (overlapping)', inputs: [inp([1, 1, 5, 5], 'distinct')], fn: (x) => maxPool2d(x, { kernelSize: [3, 2], stride: [1, 2], padding: 1 }) },
  ],
  avgPool2d: [
    { label: '3×3, stride 2, padding 1, odd sizes', inputs: [inp([1, 2, 5, 3])], fn: (x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }) },
    { label: 'countIncludePad false', inputs: [inp([1, 2, 5, 3])], fn: (x) => avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }) },
    { label: '[2, 3] kernel, stride 1 ≠ kernel, padding 1', inputs: [inp([1, 1, 4, 5])], fn: (x) => avgPool2d(x, { kernelSize: [2, 3], stride: 1, padding: 1 }) },
  ],
  // --- layers' ops (each also has its own test file with more cases)
  batchNorm: [
    { label: 'train (N,C) [4,3], weight and bias', inputs: [inp([4, 3]), inp([3], 'positive'), inp([3])], fn: (x, w, b) => batchNorm(x, null, null, w, b, { training: true }) },
    { label: 'train (N,C,L) [2,3,4]', inputs: [inp([2, 3, 4]), inp([3], 'positive'), inp([3])], fn: (x, w, b) => batchNorm(x, null, null, w, b, { training: true }) },
    { label: 'train (N,C,H,W) [2,2,3,2]', inputs: [inp([2, 2, 3, 2]), inp([2], 'positive'), inp([2])], fn: (x, w, b) => batchNorm(x, null, null, w, b, { training: true }) },
    { label: 'train, no affine, then tanh', inputs: [inp([3, 2, 2])], fn: (x) => batchNorm(x, null, null, null, null, { training: true }).tanh() },
    { label: 'train, weight constant, then square', inputs: [inp([4, 3]), constant([3]), inp([3])], fn: (x, w, b) => batchNorm(x, null, null, w, b, { training: true }).square() },
    { label: 'eval (N,C,H,W), running stats as inputs', inputs: [inp([2, 2, 2, 2]), inp([2]), inp([2], 'positive'), inp([2]), inp([2])], fn: (x, rm, rv, w, b) => batchNorm(x, rm, rv, w, b) },
  ],
  dropout: [
    // the generator is made inside fn, so that every evaluation draws the same mask
    { label: 'p 0.4, fixed seed', inputs: [inp([4, 5])], fn: (x) => dropout(x, { p: 0.4, training: true, generator: new Generator(3) }) },
    { label: 'p 0.5, times x', inputs: [inp([3, 4])], fn: (x) => dropout(x, { p: 0.5, training: true, generator: new Generator(4) }).mul(x) },
    { label: 'eval (identity), then exp', inputs: [inp([2, 3])], fn: (x) => dropout(x, { p: 0.5, training: false }).exp() },
  ],
  softmaxCrossEntropy: [
    { label: '(N, C)', inputs: [inp([4, 3])], fn: (x) => softmaxCrossEntropy(x, tensor([0, 2, 1, 2])) },
    {
      label: 'weights, ignoreIndex, label smoothing', inputs: [inp([5, 3])],
      fn: (x) => softmaxCrossEntropy(x, tensor([0, 2, -1, 1, 2]), { weight: tensor([0.5, 2, 1.25]), ignoreIndex: -1, labelSmoothing: 0.2 }),
    },
    { label: '(N, C, d1, d2)', inputs: [inp([2, 3, 2, 2])], fn: (x) => softmaxCrossEntropy(x, tensor([[[0, 1], [2, 1]], [[2, 2], [0, 0]]])) },
    { label: 'unbatched (C)', inputs: [inp([5])], fn: (x) => softmaxCrossEntropy(x, tensor(3)) },
  ],
};

/** Cases that must relax gradcheck's random-upstream check: an intermediate in float32 rounds the upstream. */
const float32Path = new Set(['cast: float64 → float32 → float64']);

const seedOf = (op: string, i: number) => [...op].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) % 100_000, 17) * 10 + i;

describe('gradcheck: every differentiable op', () => {
  it('has cases for exactly the ops in differentiableOps', () => {
    expect(Object.keys(cases).sort()).toEqual(Object.keys(differentiableOps).sort());
    for (const [op, list] of Object.entries(cases)) expect(list.length, op).toBeGreaterThan(0);
  });

  for (const [op, list] of Object.entries(cases) as Array<[DifferentiableOpName, Case[]]>) {
    describe(op, () => {
      list.forEach((c, i) => {
        const name = `${op}: ${c.label}`;
        if (float32Path.has(name)) return;
        it(c.label, () => {
          const xs = makeInputs(c, seedOf(op, i));
          const report = gradcheck(c.fn, xs, c.options);
          expect(report.ok).toBe(true);
          expect(report.inputs.length).toBe(c.inputs.filter((s) => !s.constant).length);
        });
      });

      it('records on the tape when an input requires grad', () => {
        let recorded = false;
        list.forEach((c, i) => {
          const y = c.fn(...makeInputs(c, seedOf(op, i)));
          expect(y.requiresGrad, c.label).toBe(true);
          if (y.node !== null) recorded = true;
        });
        expect(recorded).toBe(true);
      });
    });
  }

  it('cast through float32: exact Jacobian; upstream gradients rounded to float32 only', () => {
    const c = cases.cast.find((k) => float32Path.has(`cast: ${k.label}`))!;
    const xs = makeInputs(c, 5);
    const report = gradcheck(c.fn, xs, { ...c.options, raiseOnFailure: false });
    // identity through exactly representable values: central differences and analytic Jacobian agree exactly
    expect(report.inputs[0].maxAbsError).toBe(0);
    // the only complaint allowed is the random-upstream one, and the gradient must be that upstream in float32
    for (const f of report.failures) expect(f).toMatch(/random upstream gradient/);
    const x = new Tensor(Float64Array.from(xs[0].data), xs[0].shape, { requiresGrad: true });
    const v = new Float64Array([0.1, -1.3, 2.7, 1e-3, -0.45, 3.3]);
    c.fn(x).backward(new Tensor(v, [2, 3]));
    expect(x.grad!.dtype).toBe('float64');
    expect(Array.from(x.grad!.data)).toEqual(Array.from(v, Math.fround));
  });
});

describe('second derivatives (createGraph)', () => {
  it('d²/dx² x³ at x = 2 is 12 (and d/dx is 12 too)', () => {
    const x = tensor(2, { dtype: 'float64', requiresGrad: true });
    x.mul(x).mul(x).backward(undefined, { createGraph: true });
    const g = x.grad!;
    expect(g.item()).toBe(12); // 3x² = 12
    expect(g.requiresGrad).toBe(true);
    x.grad = null;
    g.backward();
    expect(x.grad!.item()).toBe(12); // 6x = 12
  });

  it('d²/dx² eˣ = eˣ and d²/dx² tanh x = −2 tanh x (1 − tanh² x)', () => {
    const at = [-1.3, 0, 0.4, 2];
    const second = (f: (x: Tensor) => Tensor): number[] => {
      const x = tensor(at, { dtype: 'float64', requiresGrad: true });
      f(x).sum().backward(undefined, { createGraph: true });
      const g = x.grad!;
      x.grad = null;
      g.sum().backward();
      return Array.from(x.grad!.data);
    };
    second(exp).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(at[i]), 12));
    second(tanh).forEach((v, i) => {
      const t = Math.tanh(at[i]);
      expect(v).toBeCloseTo(-2 * t * (1 - t * t), 12);
    });
    // d²/dx² σ(x) = σ(1 − σ)(1 − 2σ)
    second(sigmoid).forEach((v, i) => {
      const s = 1 / (1 + Math.exp(-at[i]));
      expect(v).toBeCloseTo(s * (1 - s) * (1 - 2 * s), 12);
    });
  });

  /**
   * gradcheck of the gradient itself: fn returns ∂/∂xᵢ Σ w·f(x) for every input, computed by a backward with
   * createGraph on the inputs gradcheck hands in. The numerical pass runs fn under noGrad, so the inner forward
   * turns recording back on, and each input's .grad is reset so gradcheck's own accumulation starts clean.
   */
  function gradientOf(f: (...xs: Tensor[]) => Tensor, w: Tensor): (...xs: Tensor[]) => Tensor {
    return (...xs) => enableGrad(() => {
      for (const x of xs) x.grad = null;
      f(...xs).mul(w).sum().backward(undefined, { createGraph: true });
      const grads = xs.map((x) => {
        const g = x.grad!;
        x.grad = null;
        return g.reshape([-1]);
      });
      return grads.length === 1 ? grads[0] : concat(grads, 0);
    });
  }

  const wg = new Generator(99);
  const weights = (shape: number[]) => new Tensor(Float64Array.from({ length: shape.reduce((p, s) => p * s, 1) }, () => wg.normal()), shape);

  const secondOrder: Array<[string, Input[], (...xs: Tensor[]) => Tensor, number[]]> = [
    ['mul', [inp([2, 3]), inp([3])], mul, [2, 3]],
    ['mul (x³)', [inp([4])], (x) => x.mul(x).mul(x), [4]],
    ['exp', [inp([2, 3])], (x) => exp(x), [2, 3]],
    ['tanh', [inp([2, 3])], (x) => tanh(x), [2, 3]],
    ['sigmoid', [inp([2, 3])], (x) => sigmoid(x), [2, 3]],
    ['log', [inp([2, 3], 'positive')], (x) => log(x), [2, 3]],
    ['div', [inp([2, 3]), inp([3], 'positive')], div, [2, 3]],
    ['pow', [inp([2, 3], 'positive'), inp([2, 3])], pow, [2, 3]],
    ['matmul', [inp([2, 3]), inp([3, 2])], matmul, [2, 2]],
    ['matmul (x·x)', [inp([3, 3])], (x) => matmul(x, x).tanh(), [3, 3]],
    ['matmulT Aᵀ·Bᵀ then tanh', [inp([3, 2]), inp([2, 3])], (a, b) => matmulT(a, b, true, true).tanh(), [2, 2]],
    ['logSoftmax', [inp([2, 4])], (x) => logSoftmax(x, -1), [2, 4]],
    ['softmax dim 0', [inp([3, 2])], (x) => softmax(x, 0), [3, 2]],
    ['sqrt', [inp([5], 'positive')], (x) => sqrt(x), [5]],
    ['mean of squares', [inp([2, 3])], (x) => x.mul(x).mean(1), [2]],
    ['var', [inp([2, 3])], (x) => variance(x, 1), [2]],
    // relu's and max-pool's backward are ops of their own (reluBackward, maxPool2dBackward): with an upstream
    // gradient that depends on x, their own backward is exercised
    ['relu(x)·x', [inp([2, 3], 'awayFromZero')], (x) => relu(x).mul(x), [2, 3]],
    ['maxPool2d(x)²', [inp([1, 1, 4, 4], 'distinct')], (x) => maxPool2d(x, { kernelSize: 2 }).square(), [1, 1, 2, 2]],
    ['avgPool2d(x)²', [inp([1, 1, 4, 4])], (x) => avgPool2d(x, { kernelSize: 2 }).square(), [1, 1, 2, 2]],
    ['conv2d(x, w)²', [inp([1, 1, 4, 4]), inp([2, 1, 3, 3])], (x, w) => conv2d(x, w, null, { padding: 1 }).square(), [1, 2, 4, 4]],
    ['sin', [inp([2, 3])], (x) => sin(x), [2, 3]],
    ['cos', [inp([2, 3])], (x) => cos(x), [2, 3]],
  ];

  secondOrder.forEach(([label, inputs, f, outShape], i) => {
    it(`gradcheck of the gradient: ${label}`, () => {
      const c: Case = { label, inputs, fn: gradientOf(f, weights(outShape)) };
      gradcheck(c.fn, makeInputs(c, 1000 + i));
    });
  });
});
