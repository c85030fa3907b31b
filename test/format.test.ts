import { describe, expect, it } from 'vitest';
import { Tensor, arange, ones, tensor, zeros } from '../src/index.js';

// Every expected string below is what PyTorch 2.x prints for the same values (torch.tensor(...) / print(t)),
// written out by hand; the only deliberate differences are `dtype=float64` (PyTorch: `dtype=torch.float64`) and
// the grad_fn name (`<mul>` for PyTorch's `<MulBackward0>`).

const f64 = { dtype: 'float64' } as const;

describe('toString: number formats', () => {
  it('integer-valued floats print with a trailing dot', () => {
    expect(tensor([1, 2, 3]).toString()).toBe('tensor([1., 2., 3.])');
  });

  it('other values print with 4 decimals', () => {
    expect(tensor([1.5, 2.25]).toString()).toBe('tensor([1.5000, 2.2500])');
    expect(tensor([0.1, -0.5], f64).toString()).toBe('tensor([ 0.1000, -0.5000], dtype=float64)');
  });

  it('cells are right-aligned to the widest value', () => {
    expect(tensor([-1, 2]).toString()).toBe('tensor([-1.,  2.])');
    expect(tensor([1, 1000]).toString()).toBe('tensor([   1., 1000.])');
  });

  it('scientific mode when magnitudes span more than 1000x, reach 1e8, or go below 1e-4', () => {
    expect(tensor([1e-5, 1]).toString()).toBe('tensor([1.0000e-05, 1.0000e+00])');
    expect(tensor([0.00005, 0.0001], f64).toString()).toBe('tensor([5.0000e-05, 1.0000e-04], dtype=float64)');
    expect(tensor([1.5, 2e8], f64).toString()).toBe('tensor([1.5000e+00, 2.0000e+08], dtype=float64)');
    // integer-valued too: 1001 / 1 > 1000
    expect(tensor([1, 1001]).toString()).toBe('tensor([1.0000e+00, 1.0010e+03])');
    expect(tensor([1e9, 1]).toString()).toBe('tensor([1.0000e+09, 1.0000e+00])');
  });

  it('large values below 1e8 stay in fixed notation', () => {
    expect(tensor([123456.5], f64).toString()).toBe('tensor([123456.5000], dtype=float64)');
  });

  it('zeros, nan and inf', () => {
    expect(zeros([2]).toString()).toBe('tensor([0., 0.])');
    expect(tensor([0, 1.5]).toString()).toBe('tensor([0.0000, 1.5000])');
    // width comes from finite non-zero values: nan is not padded around
    expect(tensor([NaN, 1]).toString()).toBe('tensor([nan, 1.])');
    expect(tensor([1.5, Infinity]).toString()).toBe('tensor([1.5000,    inf])');
    expect(tensor([-Infinity, 2]).toString()).toBe('tensor([-inf, 2.])');
  });
});

describe('toString: layout', () => {
  it('a scalar', () => {
    expect(tensor(3).toString()).toBe('tensor(3.)');
    expect(tensor(3.5).toString()).toBe('tensor(3.5000)');
  });

  it('2-D: one row per line, indented 8 spaces', () => {
    expect(tensor([[1, 2], [3, 4]]).toString()).toBe('tensor([[1., 2.],\n        [3., 4.]])');
    expect(tensor([[1.5, -2], [10, 0.25]]).toString()).toBe(
      'tensor([[ 1.5000, -2.0000],\n' +
      '        [10.0000,  0.2500]])',
    );
  });

  it('3-D: a blank line between blocks', () => {
    expect(arange(8).reshape(2, 2, 2).toString()).toBe(
      'tensor([[[0., 1.],\n' +
      '         [2., 3.]],\n' +
      '\n' +
      '        [[4., 5.],\n' +
      '         [6., 7.]]])',
    );
  });

  it('long rows wrap at 80 columns', () => {
    // width 3 + ', ' = 5 columns per cell; (80 - 7) / 5 → 14 cells per line
    expect(arange(20).toString()).toBe(
      'tensor([ 0.,  1.,  2.,  3.,  4.,  5.,  6.,  7.,  8.,  9., 10., 11., 12., 13.,\n' +
      '        14., 15., 16., 17., 18., 19.])',
    );
  });

  it('empty tensors', () => {
    expect(tensor([]).toString()).toBe('tensor([])');
    expect(zeros([0, 3]).toString()).toBe('tensor([], size=(0, 3))');
    expect(zeros([2, 0]).toString()).toBe('tensor([], size=(2, 0))');
    expect(zeros([0], f64).toString()).toBe('tensor([], dtype=float64)');
  });
});

describe('toString: summarization of more than 1000 elements', () => {
  it('1-D: three values at each end around " ..."', () => {
    // 1001 values 1000..2000: integer mode (2000/1000 < 1000), width 5
    expect(arange(1000, 2001).toString()).toBe('tensor([1000., 1001., 1002.,  ..., 1998., 1999., 2000.])');
  });

  it('1-D in scientific mode wraps like PyTorch’s arange(2000.)', () => {
    // 1999 / 1 > 1000 → scientific; width 10 + 2 → 6 cells per line
    expect(arange(2000).toString()).toBe(
      'tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n' +
      '        1.9990e+03])',
    );
  });

  it('2-D: rows and columns summarized', () => {
    const t = arange(1000, 2200).reshape(40, 30);
    // row r starts at 1000 + 30r
    const row = (r: number) => {
      const s = 1000 + 30 * r;
      return `[${s}., ${s + 1}., ${s + 2}.,  ..., ${s + 27}., ${s + 28}., ${s + 29}.]`;
    };
    expect(t.toString()).toBe(
      `tensor([${row(0)},\n        ${row(1)},\n        ${row(2)},\n        ...,\n` +
      `        ${row(37)},\n        ${row(38)},\n        ${row(39)}])`,
    );
  });

  it('exactly 1000 elements are printed in full', () => {
    const s = ones([1000]).toString();
    expect(s).not.toContain('...');
    expect(s.match(/1\./g)).toHaveLength(1000);
  });
});

describe('toString: autograd suffixes', () => {
  it('requires_grad=True for leaves requiring grad', () => {
    expect(tensor([1, 2], { requiresGrad: true }).toString()).toBe('tensor([1., 2.], requires_grad=True)');
  });

  it('grad_fn=<op> for op outputs', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.mul(2).toString()).toBe('tensor([2., 4.], grad_fn=<mul>)');
    expect(x.mul(x).sum().toString()).toBe('tensor(5., grad_fn=<sum>)');
  });

  it('dtype=float64 comes before the autograd suffix', () => {
    const x = tensor([1, 2], { dtype: 'float64', requiresGrad: true });
    expect(x.toString()).toBe('tensor([1., 2.], dtype=float64, requires_grad=True)');
    expect(x.add(1).toString()).toBe('tensor([2., 3.], dtype=float64, grad_fn=<add>)');
  });

  it('a detached tensor prints without suffix', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(x.mul(2).detach().toString()).toBe('tensor([2., 4.])');
  });

  it('String() and template literals use toString', () => {
    const t: Tensor = tensor([1.5]);
    expect(String(t)).toBe('tensor([1.5000])');
    expect(`${t}`).toBe('tensor([1.5000])');
  });
});

describe('console.log in Node', () => {
  it('shows the PyTorch-style printout', async () => {
    const { inspect } = await import('node:util');
    const { tensor: make } = await import('../src/index.js');
    expect(inspect(make([1, 2]))).toBe('tensor([1., 2.])');
  });
});
