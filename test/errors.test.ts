import { describe, expect, it } from 'vitest';
import {
  AnomalyError, AutogradError, GradcheckError, ShapeError, arange, defineOp, detectAnomaly, eye, full, gradcheck,
  linspace, ones, rand, randint, randn, tensor, zeros, type Tensor,
} from '../src/index.js';
import { thrown } from './helpers.js';

describe('error classes', () => {
  it('are Errors with their own name', () => {
    for (const [Cls, name] of [
      [ShapeError, 'ShapeError'], [AutogradError, 'AutogradError'], [AnomalyError, 'AnomalyError'],
    ] as const) {
      const e = new Cls('msg');
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(name);
      expect(String(e)).toBe(`${name}: msg`);
    }
    const g = new GradcheckError('bad', { ok: false });
    expect(g).toBeInstanceOf(Error);
    expect(g.name).toBe('GradcheckError');
    expect(g.report).toEqual({ ok: false });
  });
});

describe('shape mismatch: ShapeError naming the op and both shapes', () => {
  it('broadcast of incompatible shapes', () => {
    const err = thrown(() => tensor([[1, 2, 3], [4, 5, 6]]).add(tensor([1, 2])));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/^add: /);
    expect(err.message).toContain('[2,3]');
    expect(err.message).toContain('[2]');
  });

  it('matmul with inner dimensions that differ', () => {
    const err = thrown(() => zeros([2, 3]).matmul(zeros([4, 5])));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toBe('matmul: [2,3] @ [4,5]: inner dimensions 3 and 4 differ');
  });

  it('reshape to a different number of elements', () => {
    const err = thrown(() => zeros([6]).reshape(4, -1));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/reshape.*\[6\].*\[4,-1\]/);
  });

  it('ragged nested arrays', () => {
    const err = thrown(() => tensor([[1, 2], [3]]));
    expect(err).toBeInstanceOf(ShapeError);
    expect(err.message).toMatch(/tensor: ragged/);
  });
});

describe('dim out of range: RangeError naming the op, the dim and the valid range', () => {
  it('a reduction', () => {
    const err = thrown(() => zeros([2, 3]).sum(2));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^sum: dim 2 .*2 dims.*-2\.\.1/);
  });

  it('a negative dim below -ndim', () => {
    const err = thrown(() => zeros([2, 3]).softmax(-3));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^softmax: dim -3/);
  });

  it('a movement op', () => {
    const err = thrown(() => zeros([2, 3]).transpose(0, 5));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toMatch(/^transpose: dim 5/);
  });
});

describe('non-integer or negative sizes: RangeError naming the op and the sizes', () => {
  it.each([
    ['zeros', () => zeros([2, -1]), '[2,-1]'],
    ['ones', () => ones([1.5]), '[1.5]'],
    ['full', () => full([3, NaN], 1), '[3,NaN]'],
    ['rand', () => rand([-3]), '[-3]'],
    ['randn', () => randn([2.2]), '[2.2]'],
    ['randint', () => randint(0, 2, [-1]), '[-1]'],
    ['eye', () => eye(2, -2), '[2,-2]'],
    ['reshape', () => zeros([6]).reshape(2, 2.5), '[2,2.5]'],
  ] as const)('%s', (op, fn, sizes) => {
    const err = thrown(fn);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message.startsWith(`${op}: `)).toBe(true);
    expect(err.message).toContain(sizes);
  });

  it('arange and linspace with bad counts or steps', () => {
    expect(thrown(() => arange(0, 3, 0))).toBeInstanceOf(RangeError);
    expect(thrown(() => arange(0, 3, 0)).message).toMatch(/^arange: .*step=0/);
    expect(thrown(() => linspace(0, 1, 2.5)).message).toMatch(/^linspace: .*2\.5/);
  });
});

describe('mixed dtypes: TypeError naming the op and both dtypes', () => {
  it('a library op', () => {
    const err = thrown(() => tensor([1]).add(tensor([1], { dtype: 'float64' })));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^add: mixed dtypes float32 \(input 0\) and float64 \(input 1\)/);
    // and says how to fix it
    expect(err.message).toContain(".to('float64')");
  });

  it('matmul', () => {
    const err = thrown(() => tensor([[1]], { dtype: 'float64' }).matmul(tensor([[1]])));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^matmul: mixed dtypes float64 .* float32/);
  });

  it('a user op made with defineOp', () => {
    const both = defineOp<[Tensor, Tensor]>({ name: 'both', forward: ([a]) => a.clone() });
    const err = thrown(() => both(tensor([1], { dtype: 'float64' }), tensor([1])));
    expect(err).toBeInstanceOf(TypeError);
    expect(err.message).toMatch(/^both: .*float64.*float32/);
  });
});

describe('backward on a non-scalar without a gradient: AutogradError naming the shape', () => {
  it('names the shape and says how to pass a gradient', () => {
    const y = tensor([[1, 2], [3, 4], [5, 6]], { requiresGrad: true }).mul(2);
    const err = thrown(() => y.backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/^backward: .*shape \[3,2\]/);
    expect(err.message).toMatch(/gradient/);
  });
});

describe('second backward through a freed graph: AutogradError naming the op and retainGraph', () => {
  it('names the freed op', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward();
    const err = thrown(() => y.backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/sum/);
    expect(err.message).toMatch(/freed/);
    expect(err.message).toMatch(/retainGraph: true/);
  });

  it('also through a shared part of the graph reached from a new output', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    h.sum().backward();
    // h's node was freed by the first backward; a new op on top of it cannot go back through it
    const err = thrown(() => h.mul(2).sum().backward());
    expect(err).toBeInstanceOf(AutogradError);
    expect(err.message).toMatch(/exp.*freed/);
  });
});

describe('AnomalyError and GradcheckError carry the op / input', () => {
  it('AnomalyError names the op', () => {
    const err = thrown(() => detectAnomaly(() => tensor([-1]).sqrt()));
    expect(err).toBeInstanceOf(AnomalyError);
    expect(err.message).toMatch(/^sqrt: forward produced NaN/);
  });

  it('GradcheckError names the input and element', () => {
    const wrong = defineOp<[Tensor]>({ name: 'wrong', forward: ([x]) => x.mul(3), backward: (dy) => [dy.mul(2)] });
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    const err = thrown(() => gradcheck((x) => wrong(x), [x]));
    expect(err).toBeInstanceOf(GradcheckError);
    expect(err.message).toMatch(/input 0 element \[0\], output element \[0\]: analytic 2 vs numerical (3|2\.9999)/);
  });
});
