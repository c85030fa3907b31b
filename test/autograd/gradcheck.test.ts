import { describe, expect, it } from 'vitest';
import {
  Generator, GradcheckError, Tensor, defineOp, gradcheck, randn, tensor, type GradcheckReport,
} from '../../src/index.js';

const f64 = { dtype: 'float64', requiresGrad: true } as const;

/** Runs gradcheck expecting a failure, returns the report (and checks the raising form agrees). */
function failingReport(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): GradcheckReport {
  const report = gradcheck(fn, inputs, { raiseOnFailure: false });
  expect(report.ok).toBe(false);
  expect(report.failures.length).toBeGreaterThan(0);
  expect(() => gradcheck(fn, inputs)).toThrow(GradcheckError);
  return report;
}

// The worked example of defineOp's documentation: a user-defined cube with its own backward.
const cube = defineOp<[Tensor], undefined, undefined>({
  name: 'cube',
  forward: ([x]) => x.mul(x).mul(x),
  // d x³ = 3x² dx
  backward: (dy, { inputs: [x] }) => [dy.mul(x.mul(x).mul(3))],
});

describe('defineOp: the worked cube example', () => {
  it('computes x³ and its gradient 3x², and passes gradcheck', () => {
    const x = tensor([0.5, -1.2, 2], f64);
    const y = cube(x);
    expect(y.node!.op).toBe('cube');
    Array.from(y.data).forEach((v, i) => expect(v).toBeCloseTo([0.125, -1.728, 8][i], 12));
    y.sum().backward();
    // 3x²: 3·0.25, 3·1.44, 3·4
    Array.from(x.grad!.data).forEach((v, i) => expect(v).toBeCloseTo([0.75, 4.32, 12][i], 12));
    const report = gradcheck((x) => cube(x), [x]);
    expect(report.ok).toBe(true);
    expect(report.inputs[0].maxAbsError).toBeLessThan(1e-6);
  });

  it('exposes its name and whether it is differentiable', () => {
    expect(cube.opName).toBe('cube');
    expect(cube.differentiable).toBe(true);
  });

  it('mixed dtype inputs are a TypeError naming the op and both dtypes', () => {
    const pairOp = defineOp<[Tensor, Tensor]>({ name: 'pairOp', forward: ([a]) => a.clone(), backward: (dy) => [dy, dy] });
    const a = tensor([1, 2]);
    const b = tensor([1, 2], { dtype: 'float64' });
    expect(() => pairOp(a, b)).toThrow(TypeError);
    expect(() => pairOp(a, b)).toThrow(/pairOp.*float32.*float64/);
  });

  it('an op without backward gives outputs that do not require grad', () => {
    const floorOp = defineOp<[Tensor]>({
      name: 'floorOp',
      forward: ([x]) => new Tensor(x.data.map(Math.floor), x.shape),
    });
    expect(floorOp.differentiable).toBe(false);
    const y = floorOp(tensor([1.5, -0.5], { requiresGrad: true }));
    expect(Array.from(y.data)).toEqual([1, -1]);
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
  });

  it('rejects a definition without a name or a forward', () => {
    expect(() => defineOp({ name: '', forward: ([x]: Tensor[]) => x })).toThrow(TypeError);
    expect(() => defineOp({ name: 'noForward' } as never)).toThrow(/noForward/);
  });
});

describe('gradcheck passes on correct ops', () => {
  it('reports ok and a small maxAbsError for a broadcast product through tanh', () => {
    const g = new Generator(3);
    const a = randn([3, 4], { ...f64, generator: g });
    const b = randn([4], { ...f64, generator: g });
    const report = gradcheck((a, b) => a.mul(b).tanh(), [a, b]);
    expect(report.ok).toBe(true);
    expect(report.failures).toEqual([]);
    expect(report.inputs.map((r) => r.index)).toEqual([0, 1]);
    expect(report.inputs[0].shape).toEqual([3, 4]);
    expect(report.inputs[1].shape).toEqual([4]);
    for (const r of report.inputs) expect(r.maxAbsError).toBeLessThan(1e-7);
  });

  it('checks only inputs that require grad (the others are constants)', () => {
    const g = new Generator(4);
    const a = randn([2, 3], { ...f64, generator: g });
    const c = randn([3, 2], { dtype: 'float64', generator: g });
    const report = gradcheck((a, c) => a.matmul(c).exp(), [a, c]);
    expect(report.ok).toBe(true);
    expect(report.inputs.map((r) => r.index)).toEqual([0]);
  });

  it('promotes float32 inputs to float64 and says so in the notes, leaving the inputs untouched', () => {
    const x = tensor([0.3, -0.7, 1.1], { requiresGrad: true });
    const before = Array.from(x.data);
    const report = gradcheck((x) => x.mul(x).sigmoid(), [x]);
    expect(report.ok).toBe(true);
    expect(report.notes.join(' ')).toMatch(/input 0.*float32.*float64/);
    expect(Array.from(x.data)).toEqual(before);
    expect(x.dtype).toBe('float32');
    expect(x.grad).toBeNull();
  });

  it('validates its options and inputs', () => {
    const x = tensor([1], f64);
    expect(() => gradcheck((x) => x.mul(2), [x], { eps: 0 })).toThrow(RangeError);
    expect(() => gradcheck((x) => x.mul(2), [x], { atol: -1 })).toThrow(/atol/);
    expect(() => gradcheck((x) => x.mul(2), [tensor([1], { dtype: 'float64' })])).toThrow(/requiresGrad/);
  });
});

describe('gradcheck catches wrong backward rules', () => {
  it('wrong sign', () => {
    const sq = defineOp<[Tensor]>({
      name: 'sqWrongSign',
      forward: ([x]) => x.mul(x),
      backward: (dy, { inputs: [x] }) => [dy.mul(x).mul(-2)], // should be +2x
    });
    const x = tensor([0.5, -1.5, 2], f64);
    const report = failingReport((x) => sq(x), [x]);
    expect(report.failures[0]).toMatch(/input 0 element \[0\]/);
    // analytic -2x vs numerical 2x: |error| = 4|x|, largest at x = 2
    expect(report.inputs[0].maxAbsError).toBeCloseTo(8, 4);
  });

  it('missing factor: cube with backward 3x instead of 3x²', () => {
    const badCube = defineOp<[Tensor]>({
      name: 'badCube',
      forward: ([x]) => x.mul(x).mul(x),
      backward: (dy, { inputs: [x] }) => [dy.mul(x).mul(3)],
    });
    // x = 1 is the one point where 3x = 3x², so element [1] agrees and [0], [2] do not
    const x = tensor([2, 1, -1], f64);
    const report = failingReport((x) => badCube(x), [x]);
    const text = report.failures.join('\n');
    expect(text).toMatch(/input 0 element \[0\]/);
    expect(text).toMatch(/input 0 element \[2\]/);
    expect(text).not.toMatch(/element \[1\],/);
  });

  it('missing factor: x² with backward dy·x', () => {
    const badSq = defineOp<[Tensor]>({
      name: 'badSq',
      forward: ([x]) => x.mul(x),
      backward: (dy, { inputs: [x] }) => [dy.mul(x)],
    });
    const x = tensor([[1, 2], [3, 4]], f64);
    const report = failingReport((x) => badSq(x).sum(), [x]);
    // multi-dim inputs are named by multi-index
    expect(report.failures.join('\n')).toMatch(/input 0 element \[1,0\]/);
    // analytic x vs numerical 2x: largest error |x| = 4
    expect(report.inputs[0].maxAbsError).toBeCloseTo(4, 4);
    expect(report.inputs[0].maxRelError).toBeCloseTo(0.5, 4);
  });

  describe('wrong broadcast reduction', () => {
    // y[i][j] = a[i][j]·b[j]; db[j] = Σ_i dy[i][j]·a[i][j] (sum over dim 0), the bug sums over dim 1
    const rowScale = defineOp<[Tensor, Tensor]>({
      name: 'rowScale',
      forward: ([a, b]) => a.mul(b),
      backward: (dy, { inputs: [a, b] }) => [dy.mul(b), dy.mul(a).sum(1)],
    });

    it('summed over the wrong axis (right shape, wrong values)', () => {
      const g = new Generator(5);
      const a = randn([3, 3], { ...f64, generator: g });
      const b = randn([3], { ...f64, generator: g });
      const report = failingReport((a, b) => rowScale(a, b), [a, b]);
      const text = report.failures.join('\n');
      expect(text).toMatch(/input 1 element \[\d\]/);
      expect(text).not.toMatch(/input 0/);
      expect(report.inputs[0].maxAbsError).toBeLessThan(1e-7);
      expect(report.inputs[1].maxAbsError).toBeGreaterThan(1e-3);
    });

    it('a gradient of a shape that is no broadcast of the input is a failure too', () => {
      const g = new Generator(6);
      // [2,3] summed over dim 1 is [2], but b is [3]
      const a = randn([2, 3], { ...f64, generator: g });
      const b = randn([3], { ...f64, generator: g });
      const report = gradcheck((a, b) => rowScale(a, b), [a, b], { raiseOnFailure: false });
      expect(report.ok).toBe(false);
      expect(report.failures.join('\n')).toMatch(/rowScale.*\[2\].*input 1.*\[3\]/);
      expect(() => gradcheck((a, b) => rowScale(a, b), [a, b])).toThrow(GradcheckError);
    });
  });

  it('wrongly reshaped gradient (transposed data poured into the input shape)', () => {
    const scaleT = defineOp<[Tensor, Tensor]>({
      name: 'scaleT',
      forward: ([a, b]) => a.mul(b),
      backward: (dy, { inputs: [a, b] }) => [dy.mul(b).transpose(0, 1).reshape([2, 3]), dy.mul(a)],
    });
    const g = new Generator(7);
    const a = randn([2, 3], { ...f64, generator: g });
    const b = randn([2, 3], { ...f64, generator: g });
    const report = failingReport((a, b) => scaleT(a, b), [a, b]);
    const text = report.failures.join('\n');
    expect(text).toMatch(/input 0 element \[\d,\d\]/);
    expect(text).not.toMatch(/input 1/);
  });

  it('a backward that ignores dy', () => {
    const sqNoDy = defineOp<[Tensor]>({
      name: 'sqNoDy',
      forward: ([x]) => x.mul(x),
      backward: (_dy, { inputs: [x] }) => [x.mul(2)],
    });
    const x = tensor([0.5, 1, -2], f64);
    const report = failingReport((x) => sqNoDy(x), [x]);
    const text = report.failures.join('\n');
    // off-diagonal Jacobian entries are 2x instead of 0; zero upstream gives 2x instead of 0
    expect(text).toMatch(/input 0 element \[0\], output element \[1\]/);
    expect(text).toMatch(/zero upstream/);
  });

  it('a non-deterministic backward (random noise) is not repeatable', () => {
    const noise = new Generator(123);
    const noisy = defineOp<[Tensor]>({
      name: 'noisy',
      forward: ([x]) => x.mul(x),
      // noise far below atol, so only the repeatability check can see it; zero dy still gives zero
      backward: (dy, { inputs: [x] }) => [dy.mul(x).mul(2 + 1e-9 * noise.random())],
    });
    const x = tensor([0.5, 1, -2], f64);
    const report = failingReport((x) => noisy(x), [x]);
    expect(report.failures.join('\n')).toMatch(/input 0: backward is not repeatable: element \[\d\]/);
  });

  it('zero-upstream check catches a backward that adds a constant', () => {
    const offset = defineOp<[Tensor]>({
      name: 'offset',
      forward: ([x]) => x.mul(x),
      // a constant far below atol passes the Jacobian comparison but not dy = 0 ⇒ dx = 0
      backward: (dy, { inputs: [x] }) => [dy.mul(x).mul(2).add(1e-9)],
    });
    const x = tensor([0.5, 1, -2], f64);
    const report = failingReport((x) => offset(x), [x]);
    expect(report.failures).toHaveLength(1);
    expect(report.failures[0]).toMatch(/input 0: a zero upstream gradient gave a non-zero gradient .* at element \[0\]/);
  });

  it('the random-upstream check catches a backward that is not linear in dy', () => {
    // |dy| equals dy for the one-hot and zero upstream gradients, so only a random upstream shows the bug
    const absDy = defineOp<[Tensor]>({
      name: 'absDy',
      forward: ([x]) => x.mul(x),
      backward: (dy, { inputs: [x] }) => [dy.abs().mul(x).mul(2)],
    });
    const x = tensor([0.5, 1, -2, 1.5], f64);
    const report = failingReport((x) => absDy(x), [x]);
    expect(report.failures.join('\n')).toMatch(/input 0 element \[\d\]: backward with a random upstream gradient/);
  });

  it('raiseOnFailure:false returns the report; the default throws a GradcheckError naming input and element', () => {
    const halfGrad = defineOp<[Tensor, Tensor]>({
      name: 'halfGrad',
      forward: ([a, b]) => a.mul(b),
      backward: (dy, { inputs: [a, b] }) => [dy.mul(b), dy.mul(a).mul(0.5)],
    });
    const a = tensor([1, 2, 3], f64);
    const b = tensor([4, 5, 6], f64);
    const report = gradcheck((a, b) => halfGrad(a, b), [a, b], { raiseOnFailure: false });
    expect(report.ok).toBe(false);
    expect(report.inputs[0].maxAbsError).toBeLessThan(1e-7);
    // analytic a/2 vs numerical a: largest error 3/2
    expect(report.inputs[1].maxAbsError).toBeCloseTo(1.5, 5);
    let caught: unknown;
    try {
      gradcheck((a, b) => halfGrad(a, b), [a, b]);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GradcheckError);
    const err = caught as GradcheckError;
    expect(err.message).toMatch(/input 1 element \[0\]/);
    expect(err.message).toMatch(/analytic 0\.5 vs numerical (1|0\.9999)/);
    expect((err.report as GradcheckReport).ok).toBe(false);
  });

  it('the float32 promotion note is part of a failure message', () => {
    const badSq = defineOp<[Tensor]>({
      name: 'badSq32',
      forward: ([x]) => x.mul(x),
      backward: (dy, { inputs: [x] }) => [dy.mul(x)],
    });
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => gradcheck((x) => badSq(x), [x])).toThrow(/float32/);
  });
});
