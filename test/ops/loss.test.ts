/**
 * The fused softmaxCrossEntropy op against a plain-JS reference written from PyTorch's documented formula, its
 * gradient against central differences of that reference and against gradcheck, target validation, stability and
 * the refusal of second derivatives.
 */
import { describe, expect, it } from 'vitest';
import { AutogradError, Generator, ShapeError, Tensor, argmax, gradcheck, randn, tensor, zeros } from '../../src/index.js';
import { softmaxCrossEntropy } from '../../src/ops/loss.js';
import { expectClose, fromValues, normals, thrown } from '../helpers.js';

interface RefOptions {
  weight?: number[];
  ignoreIndex?: number;
  eps?: number;
}

/**
 * Per-position cross-entropy straight from the formula, in double precision:
 * l = (1 − ε)·w_t·(−log p_t) + (ε/C)·Σ_c w_c·(−log p_c), p_c = exp(x_c) / Σ_j exp(x_j), 0 where t = ignoreIndex.
 * The logits are read at [n, c, k] of a row-major (N, C, inner) array, or (C) when `shape` has one dim.
 */
function refCE(x: ArrayLike<number>, shape: readonly number[], t: ArrayLike<number>, o: RefOptions = {}): number[] {
  const { weight, ignoreIndex = -100, eps = 0 } = o;
  const c = shape.length === 1 ? shape[0] : shape[1];
  const n = shape.length === 1 ? 1 : shape[0];
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const w = (i: number) => (weight ? weight[i] : 1);
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    for (let k = 0; k < inner; k++) {
      const target = t[b * inner + k];
      if (target === ignoreIndex) {
        out.push(0);
        continue;
      }
      const row = Array.from({ length: c }, (_, i) => x[(b * c + i) * inner + k]);
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      const logp = row.map((v) => Math.log(Math.exp(v) / z));
      let l = -(1 - eps) * w(target) * logp[target];
      for (let i = 0; i < c; i++) l -= (eps / c) * w(i) * logp[i];
      out.push(l);
    }
  }
  return out;
}

interface Config {
  label: string;
  shape: number[];
  target: number[];
  options?: RefOptions;
}

const configs: Config[] = [
  { label: '(N, C)', shape: [4, 3], target: [0, 2, 1, 2] },
  { label: '(N, C) with weights', shape: [4, 3], target: [0, 2, 1, 2], options: { weight: [0.2, 1.5, 0.7] } },
  { label: '(N, C) with ignoreIndex -100', shape: [4, 3], target: [0, -100, 1, 2] },
  { label: '(N, C) with ignoreIndex 1', shape: [4, 3], target: [0, 1, 2, 1], options: { ignoreIndex: 1 } },
  { label: '(N, C) with label smoothing 0.2', shape: [4, 3], target: [0, 2, 1, 2], options: { eps: 0.2 } },
  {
    label: '(N, C) with weights, ignoreIndex and label smoothing',
    shape: [5, 4], target: [3, 0, -1, 1, 3], options: { weight: [0.5, 2, 1, 0.25], ignoreIndex: -1, eps: 0.15 },
  },
  { label: '(N, C) with label smoothing 1', shape: [2, 3], target: [1, 0], options: { eps: 1 } },
  { label: '(N, C, d)', shape: [2, 3, 4], target: [0, 1, 2, 1, 2, 2, 0, 0] },
  {
    label: '(N, C, d1, d2) with everything',
    shape: [2, 3, 2, 2], target: [0, 1, 2, 7, 2, 2, 7, 1], options: { weight: [1.3, 0.4, 0.9], ignoreIndex: 7, eps: 0.3 },
  },
  { label: 'unbatched (C)', shape: [5], target: [3] },
  { label: 'unbatched (C) with weights and smoothing', shape: [5], target: [1], options: { weight: [1, 2, 3, 4, 5], eps: 0.1 } },
];

function call(x: Tensor, cfg: Config): Tensor {
  const { weight, ignoreIndex, eps } = cfg.options ?? {};
  const targetShape = cfg.shape.length === 1 ? [] : [cfg.shape[0], ...cfg.shape.slice(2)];
  return softmaxCrossEntropy(x, tensor(cfg.target).reshape(targetShape), {
    weight: weight ? tensor(weight, { dtype: x.dtype }) : undefined, ignoreIndex, labelSmoothing: eps,
  });
}

describe('softmaxCrossEntropy: forward against the formula', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const cfg of configs) {
      it(`${cfg.label}, ${dtype}`, () => {
        const values = normals(cfg.shape, 11, 2);
        const x = fromValues(values, cfg.shape, dtype);
        const y = call(x, cfg);
        expect(y.shape).toEqual(cfg.shape.length === 1 ? [] : [cfg.shape[0], ...cfg.shape.slice(2)]);
        expect(y.dtype).toBe(dtype);
        // The reference reads the values as stored (float32 rounding included).
        expectClose(y.data, refCE(x.data, cfg.shape, cfg.target, cfg.options), dtype === 'float32' ? 2e-6 : 1e-12);
      });
    }
  }

  it('hand-computed values: logits [2, 0, 0] with target 0 give ln(1 + 2e⁻²); equal logits give ln 3', () => {
    const y = softmaxCrossEntropy(tensor([[2, 0, 0], [0, 0, 0]], { dtype: 'float64' }), tensor([0, 2]));
    expectClose(y.data, [Math.log(1 + 2 * Math.exp(-2)), Math.log(3)], 1e-15);
  });

  it('takes the indices argmax returns', () => {
    const x = randn([6, 4], { generator: new Generator(3), dtype: 'float64' });
    const t = argmax(randn([6, 4], { generator: new Generator(4) }), 1);
    expectClose(softmaxCrossEntropy(x, t).data, refCE(x.data, [6, 4], t.data), 1e-12);
  });
});

describe('softmaxCrossEntropy: gradient', () => {
  for (const cfg of configs) {
    it(`${cfg.label}: backward with a random upstream gradient equals central differences of the reference`, () => {
      const values = normals(cfg.shape, 21, 1.5);
      const x = fromValues(values, cfg.shape, 'float64', true);
      const y = call(x, cfg);
      const dy = normals(y.shape, 22);
      y.backward(fromValues(dy, y.shape, 'float64'));
      // d(dy·L)/dx_i by central differences of the plain-JS reference.
      const h = 1e-5;
      const expected = values.map((_, i) => {
        const plus = values.slice();
        const minus = values.slice();
        plus[i] += h;
        minus[i] -= h;
        const lp = refCE(plus, cfg.shape, cfg.target, cfg.options);
        const lm = refCE(minus, cfg.shape, cfg.target, cfg.options);
        return lp.reduce((s, v, j) => s + dy[j] * (v - lm[j]), 0) / (2 * h);
      });
      expectClose(x.grad!.data, expected, 1e-6, { atol: 1e-8 });
    });

    it(`${cfg.label}: gradcheck in float64`, () => {
      const x = fromValues(normals(cfg.shape, 31), cfg.shape, 'float64', true);
      expect(gradcheck((x) => call(x, cfg), [x]).ok).toBe(true);
    });
  }

  it('an ignored position gets zero gradient in every class', () => {
    const x = fromValues(normals([3, 4], 5), [3, 4], 'float64', true);
    softmaxCrossEntropy(x, tensor([1, -100, 2])).sum().backward();
    expect(Array.from(x.grad!.data.slice(4, 8))).toEqual([0, 0, 0, 0]);
    expect(x.grad!.data.slice(0, 4).some((v) => v !== 0)).toBe(true);
  });

  it('without smoothing or weights each row of the gradient is softmax − onehot and sums to 0', () => {
    const x = tensor([[1, 2, 3]], { dtype: 'float64', requiresGrad: true });
    softmaxCrossEntropy(x, tensor([2])).sum().backward();
    const z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    expectClose(x.grad!.data, [Math.exp(1) / z, Math.exp(2) / z, Math.exp(3) / z - 1], 1e-15);
  });

  it('gradients accumulate over two backward passes', () => {
    const x = fromValues(normals([2, 3], 6), [2, 3], 'float64', true);
    softmaxCrossEntropy(x, tensor([0, 1])).sum().backward();
    const once = Array.from(x.grad!.data);
    softmaxCrossEntropy(x, tensor([0, 1])).sum().backward();
    expectClose(x.grad!.data, once.map((v) => 2 * v), 1e-15);
  });

  it('refuses second derivatives with an AutogradError', () => {
    const x = fromValues(normals([2, 3], 7), [2, 3], 'float64', true);
    const loss = softmaxCrossEntropy(x, tensor([0, 1])).sum();
    const e = thrown(() => loss.backward(undefined, { createGraph: true }));
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/softmaxCrossEntropy.*second derivatives/);
  });

  it('a refused createGraph backward changes no gradient and frees nothing; a plain backward then works', () => {
    // L = Σ CE(x, t) + Σ w²: the add and the w² branch are newer than the fused op, so they are reached first
    const xv = normals([2, 3], 9);
    const x = fromValues(xv, [2, 3], 'float64', true);
    const w = tensor([1.5, -2], { dtype: 'float64', requiresGrad: true });
    const loss = softmaxCrossEntropy(x, tensor([2, 0])).sum().add(w.square().sum());
    const e = thrown(() => loss.backward(undefined, { createGraph: true, retainGraph: false }));
    expect(e).toBeInstanceOf(AutogradError);
    expect(e.message).toMatch(/^softmaxCrossEntropy: second derivatives \(createGraph\) are not supported.*logSoftmax and gather.*nothing was changed/);
    expect(w.grad).toBeNull();
    expect(x.grad).toBeNull();
    loss.backward();
    expect(Array.from(w.grad!.data)).toEqual([3, -4]); // 2w
    // softmax − onehot, per row, from the formula
    const expected = [0, 1].flatMap((r) => {
      const row = xv.slice(r * 3, r * 3 + 3);
      const z = row.reduce((s, v) => s + Math.exp(v), 0);
      return row.map((v, c) => Math.exp(v) / z - (c === [2, 0][r] ? 1 : 0));
    });
    expectClose(x.grad!.data, expected, 1e-12);
  });

  it('records nothing when the logits do not require grad', () => {
    const y = softmaxCrossEntropy(fromValues(normals([2, 3], 8), [2, 3], 'float32'), tensor([0, 1]));
    expect(y.requiresGrad).toBe(false);
    expect(y.node).toBeNull();
  });
});

describe('softmaxCrossEntropy: stability', () => {
  it('logits 1e4 apart give finite losses and gradients (the exact values are 1e4 and 0)', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const x = fromValues([0, 1e4, 1e4, 0], [2, 2], dtype, true);
      const y = softmaxCrossEntropy(x, tensor([0, 0]));
      // Row 0: −log(e⁰ / (e⁰ + e¹⁰⁰⁰⁰)) = 1e4 + log(1 + e⁻¹⁰⁰⁰⁰) = 1e4; row 1: log(1 + e⁻¹⁰⁰⁰⁰) = 0.
      // (+ 0 turns the −0 of −(x_t − logZ) into 0 for toEqual)
      expect(Array.from(y.data, (v) => v + 0)).toEqual([1e4, 0]);
      y.sum().backward();
      expect(Array.from(x.grad!.data)).toEqual([-1, 1, 0, 0]);
    }
  });

  it('label smoothing with logits 1e4 apart stays finite: (1 − ε)·1e4 + (ε/2)·1e4', () => {
    const y = softmaxCrossEntropy(tensor([[0, 1e4]], { dtype: 'float64' }), tensor([0]), { labelSmoothing: 0.1 });
    // −log p = [1e4, 0]: 0.9·1e4 + 0.05·(1e4 + 0)
    expectClose(y.data, [0.9 * 1e4 + 0.05 * 1e4], 1e-12);
  });

  it('a −∞ logit outside the target leaves the unsmoothed loss finite', () => {
    const y = softmaxCrossEntropy(tensor([[0, -Infinity, 0]], { dtype: 'float64' }), tensor([0]));
    expectClose(y.data, [Math.log(2)], 1e-15);
  });
});

describe('softmaxCrossEntropy: validation', () => {
  const x = tensor([[1, 2, 3], [4, 5, 6]]);

  it('a target out of [0, C) is a RangeError naming the value and its position', () => {
    const e = thrown(() => softmaxCrossEntropy(x, tensor([0, 3])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/softmaxCrossEntropy: target 3 at position 1 .*3 classes/);
    expect(thrown(() => softmaxCrossEntropy(x, tensor([-1, 0]))).message).toMatch(/target -1 at position 0/);
  });

  it('a non-integer target is a RangeError', () => {
    const e = thrown(() => softmaxCrossEntropy(x, tensor([0, 1.5])));
    expect(e).toBeInstanceOf(RangeError);
    expect(e.message).toMatch(/target 1.5 at position 1 is not an integer/);
    expect(thrown(() => softmaxCrossEntropy(x, tensor([NaN, 0])))).toBeInstanceOf(RangeError);
  });

  it('the position of a bad target in (N, d) targets is its multi-index', () => {
    const e = thrown(() => softmaxCrossEntropy(zeros([2, 3, 2]), tensor([[0, 1], [5, 2]])));
    expect(e.message).toMatch(/target 5 at position \[1,0\]/);
  });

  it('the ignoreIndex is accepted only where it is set', () => {
    expect(() => softmaxCrossEntropy(x, tensor([0, -100]))).not.toThrow();
    expect(() => softmaxCrossEntropy(x, tensor([0, -100]), { ignoreIndex: -1 })).toThrow(RangeError);
    expect(() => softmaxCrossEntropy(x, tensor([0, 7]), { ignoreIndex: 7 })).not.toThrow();
  });

  it('targets of the wrong shape are a ShapeError naming both shapes', () => {
    const e = thrown(() => softmaxCrossEntropy(x, tensor([0, 1, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/softmaxCrossEntropy: input \[2,3\] .* shape \[2\], got target \[3\]/);
    expect(() => softmaxCrossEntropy(x, tensor([[0], [1]]))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(tensor(1), tensor(0))).toThrow(ShapeError);
    expect(() => softmaxCrossEntropy(zeros([2, 3, 4]), tensor([0, 1]))).toThrow(ShapeError);
  });

  it('bad options are errors naming the op', () => {
    expect(thrown(() => softmaxCrossEntropy(x, tensor([0, 1]), { labelSmoothing: 1.5 })).message).toMatch(/labelSmoothing must be .* \[0, 1\], got 1.5/);
    expect(() => softmaxCrossEntropy(x, tensor([0, 1]), { labelSmoothing: -0.1 })).toThrow(RangeError);
    expect(() => softmaxCrossEntropy(x, tensor([0, 1]), { labelSmoothing: NaN })).toThrow(RangeError);
    expect(() => softmaxCrossEntropy(x, tensor([0, 1]), { ignoreIndex: 0.5 })).toThrow(RangeError);
    const e = thrown(() => softmaxCrossEntropy(x, tensor([0, 1]), { weight: tensor([1, 2]) }));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/weight .* \[3\], got \[2\]/);
  });
});
