/**
 * 20-step trajectories of every optimizer configuration on a tiny float64 linear regression, whose gradients come
 * from backward(), against references written here in plain JS straight from PyTorch's documented algorithms.
 */
import { describe, it, expect } from 'vitest';
import { Generator, randn, tensor, type Tensor } from '../../src/index.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import { SGD, type SGDOptions } from '../../src/optim/sgd.js';
import { Adam, AdamW, type AdamOptions } from '../../src/optim/adam.js';
import { RMSprop, type RMSpropOptions } from '../../src/optim/rmsprop.js';
import { Adagrad, type AdagradOptions } from '../../src/optim/adagrad.js';

const STEPS = 20;
const N = 8;
const D = 3;

// The data: X [8, 3] and y = X·[1, −2, 0.5] + 0.3 + noise, seeded.
const X = randn([N, D], { dtype: 'float64', generator: new Generator(11) });
const noise = randn([N], { dtype: 'float64', generator: new Generator(12) });
const xs: number[][] = [];
const ys: number[] = [];
for (let n = 0; n < N; n++) {
  xs.push(Array.from(X.data.subarray(n * D, n * D + D)));
  ys.push(xs[n][0] - 2 * xs[n][1] + 0.5 * xs[n][2] + 0.3 + 0.1 * noise.data[n]);
}
const Y = tensor(ys, { dtype: 'float64' });
const W0 = [0.5, -0.3, 0.8];
const B0 = [0.1];

/** loss = mean((X·w + b − y)²), by the library, backward() filling the gradients. */
function libraryLoss(w: Tensor, b: Tensor): Tensor {
  return X.matmul(w).add(b).sub(Y).square().mean();
}

/** The same loss's gradient by hand: dL/dw_j = 2/N Σ_n r_n x_nj, dL/db = 2/N Σ_n r_n with r = X·w + b − y. */
function referenceGradient(params: number[][]): number[][] {
  const [w, b] = params;
  const gw = [0, 0, 0];
  let gb = 0;
  for (let n = 0; n < N; n++) {
    let r = b[0] - ys[n];
    for (let j = 0; j < D; j++) r += xs[n][j] * w[j];
    for (let j = 0; j < D; j++) gw[j] += (2 / N) * r * xs[n][j];
    gb += (2 / N) * r;
  }
  return [gw, [gb]];
}

/** The parameters after each of STEPS library steps. */
function runLibrary(make: (params: Tensor[]) => Optimizer, scale = 1): number[][][] {
  const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
  const b = tensor(B0, { dtype: 'float64', requiresGrad: true });
  const opt = make([w, b]);
  const out: number[][][] = [];
  for (let s = 0; s < STEPS; s++) {
    opt.zeroGrad();
    libraryLoss(w, b).mul(scale).backward();
    opt.step();
    out.push([Array.from(w.data), Array.from(b.data)]);
  }
  return out;
}

/** A reference update: changes params (arrays of numbers) in place given their gradients and its own state. */
type ReferenceStep = (params: number[][], grads: number[][], t: number) => void;

function runReference(step: ReferenceStep): number[][][] {
  const params = [W0.slice(), B0.slice()];
  const out: number[][][] = [];
  for (let t = 1; t <= STEPS; t++) {
    step(params, referenceGradient(params), t);
    out.push(params.map((p) => p.slice()));
  }
  return out;
}

function expectSameTrajectory(got: number[][][], want: number[][][]): void {
  expect(got.length).toBe(want.length);
  for (let s = 0; s < want.length; s++) {
    for (let k = 0; k < want[s].length; k++) {
      for (let i = 0; i < want[s][k].length; i++) {
        const g = got[s][k][i];
        const w = want[s][k][i];
        if (!(Math.abs(g - w) <= 1e-10 * (1 + Math.abs(w)))) {
          throw new Error(`step ${s + 1}, param ${k}[${i}]: got ${g}, reference ${w}`);
        }
      }
    }
  }
  // The run moved the parameters (a trajectory that stands still would prove nothing).
  expect(Math.abs(want[STEPS - 1][0][0] - W0[0])).toBeGreaterThan(1e-3);
}

/** Per-element state of a reference, one array per parameter. */
const zerosLikeParams = () => [new Array<number>(D).fill(0), [0]];

// ---------------------------------------------------------------------------------------------------------------
// SGD, from PyTorch's algorithm: g ← ∇ (negated if maximize); g ← g + λθ; b ← g (t = 1) or μb + (1 − τ)g;
// g ← g + μb (nesterov) or b; θ ← θ − γg.
function sgdReference(o: Required<SGDOptions>): ReferenceStep {
  const buf = zerosLikeParams();
  return (params, grads, t) => {
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        let g = o.maximize ? -grads[k][i] : grads[k][i];
        if (o.weightDecay !== 0) g += o.weightDecay * p[i];
        if (o.momentum !== 0) {
          buf[k][i] = t === 1 ? g : o.momentum * buf[k][i] + (1 - o.dampening) * g;
          g = o.nesterov ? g + o.momentum * buf[k][i] : buf[k][i];
        }
        p[i] -= o.lr * g;
      }
    });
  };
}

const sgdBase = { lr: 0.05, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };

describe('SGD trajectories', () => {
  const cases: Array<[string, Partial<typeof sgdBase>]> = [
    ['plain', {}],
    ['momentum', { momentum: 0.9 }],
    ['nesterov', { momentum: 0.9, nesterov: true }],
    ['dampening', { momentum: 0.8, dampening: 0.3 }],
    ['weight decay', { weightDecay: 0.1 }],
    ['weight decay + momentum', { momentum: 0.5, weightDecay: 0.2 }],
    ['maximize', { lr: 0.01, maximize: true }],
    ['maximize + weight decay + momentum', { lr: 0.01, maximize: true, weightDecay: 0.5, momentum: 0.7 }],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const o = { ...sgdBase, ...options };
      expectSameTrajectory(runLibrary((p) => new SGD(p, o)), runReference(sgdReference(o)));
    });
  }

  it('maximize climbs the loss, minimize descends it', () => {
    const final = (maximize: boolean) => {
      const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
      const b = tensor(B0, { dtype: 'float64', requiresGrad: true });
      const opt = new SGD([w, b], { lr: 0.01, maximize });
      const start = libraryLoss(w, b).item();
      for (let s = 0; s < 5; s++) { opt.zeroGrad(); libraryLoss(w, b).backward(); opt.step(); }
      return libraryLoss(w, b).item() - start;
    };
    expect(final(true)).toBeGreaterThan(0);
    expect(final(false)).toBeLessThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Adam / AdamW, from PyTorch's algorithm: m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; m̂ = m/(1 − β₁ᵗ);
// v̂ = v/(1 − β₂ᵗ) (AMSGrad: v_max ← max(v_max, v), v̂ = v_max/(1 − β₂ᵗ)); θ ← θ − γ m̂/(√v̂ + ε).
// Adam adds λθ to g; AdamW first decays θ ← θ − γλθ. Without bias correction m̂ = m and v̂ = v (or v_max).
function adamReference(o: Required<AdamOptions>, decoupled: boolean): ReferenceStep {
  const m = zerosLikeParams();
  const v = zerosLikeParams();
  const vmax = zerosLikeParams();
  const [b1, b2] = o.betas;
  return (params, grads, t) => {
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        let g = o.maximize ? -grads[k][i] : grads[k][i];
        if (decoupled) p[i] -= o.lr * o.weightDecay * p[i];
        else g += o.weightDecay * p[i];
        m[k][i] = b1 * m[k][i] + (1 - b1) * g;
        v[k][i] = b2 * v[k][i] + (1 - b2) * g * g;
        const mHat = o.biasCorrection ? m[k][i] / (1 - b1 ** t) : m[k][i];
        vmax[k][i] = Math.max(vmax[k][i], v[k][i]);
        const vHat = (o.amsgrad ? vmax[k][i] : v[k][i]) / (o.biasCorrection ? 1 - b2 ** t : 1);
        p[i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
      }
    });
  };
}

const adamBase: Required<AdamOptions> = {
  lr: 0.05, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, biasCorrection: true,
};

describe('Adam and AdamW trajectories', () => {
  const cases: Array<[string, Partial<AdamOptions>]> = [
    ['defaults but lr', {}],
    ['amsgrad', { amsgrad: true }],
    ['weight decay (L2)', { weightDecay: 0.1 }],
    ['amsgrad + weight decay', { amsgrad: true, weightDecay: 0.1, betas: [0.8, 0.99] }],
    ['maximize', { maximize: true, lr: 0.01 }],
    ['large eps, betas (0.6, 0.9)', { eps: 0.1, betas: [0.6, 0.9] }],
    ['no bias correction', { biasCorrection: false }],
    ['no bias correction, amsgrad + weight decay', { biasCorrection: false, amsgrad: true, weightDecay: 0.1 }],
  ];
  for (const [name, options] of cases) {
    it(`Adam: ${name}`, () => {
      const o = { ...adamBase, ...options };
      expectSameTrajectory(runLibrary((p) => new Adam(p, o)), runReference(adamReference(o, false)));
    });
  }

  it('biasCorrection: false changes the trajectory: its first step is γ·(1 − β₁)/√(1 − β₂) = 3.1623·γ against g', () => {
    const plain = runReference(adamReference(adamBase, false));
    const raw = runReference(adamReference({ ...adamBase, biasCorrection: false }, false));
    expect(Math.abs(plain[STEPS - 1][0][0] - raw[STEPS - 1][0][0])).toBeGreaterThan(1e-4);
    // m₁ = (1 − β₁)g, v₁ = (1 − β₂)g², so the uncorrected step is γ·0.1·g/(√0.001·|g| + ε) (001-Q4g of EXAMS.md)
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new Adam([w], { lr: 0.01, biasCorrection: false });
    w.mul(0.5).sum().backward();
    opt.step();
    expect(1 - w.data[0]).toBeCloseTo((0.01 * 0.1 * 0.5) / (Math.sqrt(0.001) * 0.5 + 1e-8), 12);
  });

  it('AMSGrad changes the trajectory (the test above can tell them apart)', () => {
    const plain = runReference(adamReference(adamBase, false));
    const ams = runReference(adamReference({ ...adamBase, amsgrad: true }, false));
    expect(Math.abs(plain[STEPS - 1][0][0] - ams[STEPS - 1][0][0])).toBeGreaterThan(1e-6);
  });

  for (const [name, options] of [
    ['default weight decay 1e-2', {}],
    ['weight decay 0.5', { weightDecay: 0.5 }],
    ['amsgrad', { amsgrad: true, weightDecay: 0.3 }],
    ['no bias correction', { biasCorrection: false, weightDecay: 0.3 }],
  ] as Array<[string, Partial<AdamOptions>]>) {
    it(`AdamW: ${name}`, () => {
      const o = { ...adamBase, weightDecay: 1e-2, ...options };
      const lib = runLibrary((p) => new AdamW(p, { ...options, lr: o.lr }));
      expectSameTrajectory(lib, runReference(adamReference(o, true)));
    });
  }

  it('AdamW decouples the decay: it differs from Adam with the same weightDecay', () => {
    const a = runLibrary((p) => new Adam(p, { lr: 0.05, weightDecay: 0.5 }));
    const w = runLibrary((p) => new AdamW(p, { lr: 0.05, weightDecay: 0.5 }));
    expect(Math.abs(a[STEPS - 1][0][0] - w[STEPS - 1][0][0])).toBeGreaterThan(1e-4);
  });

  it("bias correction: Adam's first step moves each parameter by about lr against the sign of its gradient", () => {
    for (const scale of [1, 1000, 1e-3]) {
      const lr = 0.01;
      const w = tensor(W0, { dtype: 'float64', requiresGrad: true });
      const b = tensor(B0, { dtype: 'float64', requiresGrad: true });
      const opt = new Adam([w, b], { lr });
      libraryLoss(w, b).mul(scale).backward();
      const grads = [Array.from(w.grad!.data), Array.from(b.grad!.data)];
      opt.step();
      const moved = [Array.from(w.data).map((x, i) => x - W0[i]), [b.data[0] - B0[0]]];
      moved.forEach((d, k) => d.forEach((delta, i) => {
        // m̂₁ = g and v̂₁ = g², so the step is −γ·g/(|g| + ε): −γ·sign(g) to within γ·ε/|g|.
        const g = grads[k][i];
        expect(Math.abs(g)).toBeGreaterThan(1e-7);
        expect(Math.abs(delta + lr * Math.sign(g))).toBeLessThanOrEqual((lr * 1e-8) / Math.abs(g) + 1e-15);
      }));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// RMSprop, from PyTorch's algorithm: v ← αv + (1 − α)g²; ṽ = v, centred: g_ave ← αg_ave + (1 − α)g, ṽ = v − g_ave²;
// momentum: b ← μb + g/(√ṽ + ε), θ ← θ − γb; else θ ← θ − γg/(√ṽ + ε).
function rmspropReference(o: Required<RMSpropOptions>): ReferenceStep {
  const v = zerosLikeParams();
  const gAve = zerosLikeParams();
  const buf = zerosLikeParams();
  return (params, grads) => {
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        let g = o.maximize ? -grads[k][i] : grads[k][i];
        g += o.weightDecay * p[i];
        v[k][i] = o.alpha * v[k][i] + (1 - o.alpha) * g * g;
        let vt = v[k][i];
        if (o.centered) {
          gAve[k][i] = o.alpha * gAve[k][i] + (1 - o.alpha) * g;
          vt -= gAve[k][i] ** 2;
        }
        if (o.momentum > 0) {
          buf[k][i] = o.momentum * buf[k][i] + g / (Math.sqrt(vt) + o.eps);
          p[i] -= o.lr * buf[k][i];
        } else {
          p[i] -= (o.lr * g) / (Math.sqrt(vt) + o.eps);
        }
      }
    });
  };
}

const rmspropBase: Required<RMSpropOptions> = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };

describe('RMSprop trajectories', () => {
  const cases: Array<[string, Partial<RMSpropOptions>]> = [
    ['plain', {}],
    ['centered', { centered: true }],
    ['momentum', { momentum: 0.9 }],
    ['centered + momentum', { centered: true, momentum: 0.5, alpha: 0.9 }],
    ['weight decay', { weightDecay: 0.1, alpha: 0.8 }],
    ['maximize', { maximize: true, momentum: 0.3 }],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const o = { ...rmspropBase, ...options };
      expectSameTrajectory(runLibrary((p) => new RMSprop(p, o)), runReference(rmspropReference(o)));
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Adagrad, from PyTorch's algorithm: γ̃ = γ/(1 + (t − 1)η); g ← g + λθ; sum ← sum + g² (sum₀ = τ);
// θ ← θ − γ̃ g/(√sum + ε).
function adagradReference(o: Required<AdagradOptions>): ReferenceStep {
  const sum = [new Array<number>(D).fill(o.initialAccumulatorValue), [o.initialAccumulatorValue]];
  return (params, grads, t) => {
    const clr = o.lr / (1 + (t - 1) * o.lrDecay);
    params.forEach((p, k) => {
      for (let i = 0; i < p.length; i++) {
        let g = o.maximize ? -grads[k][i] : grads[k][i];
        g += o.weightDecay * p[i];
        sum[k][i] += g * g;
        p[i] -= (clr * g) / (Math.sqrt(sum[k][i]) + o.eps);
      }
    });
  };
}

const adagradBase: Required<AdagradOptions> = { lr: 0.1, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false };

describe('Adagrad trajectories', () => {
  const cases: Array<[string, Partial<AdagradOptions>]> = [
    ['plain', {}],
    ['lrDecay', { lrDecay: 0.1 }],
    ['lrDecay + weight decay + initial accumulator', { lrDecay: 0.05, weightDecay: 0.2, initialAccumulatorValue: 0.5 }],
    ['maximize', { maximize: true, lr: 0.02 }],
  ];
  for (const [name, options] of cases) {
    it(name, () => {
      const o = { ...adagradBase, ...options };
      expectSameTrajectory(runLibrary((p) => new Adagrad(p, o)), runReference(adagradReference(o)));
    });
  }
});

describe('float32 parameters', () => {
  it('follow the float64 reference to float32 precision', () => {
    const w = tensor(W0, { requiresGrad: true });
    const b = tensor(B0, { requiresGrad: true });
    const X32 = X.to('float32');
    const Y32 = Y.to('float32');
    const opt = new Adam([w, b], { lr: 0.05, amsgrad: true });
    const want = runReference(adamReference({ ...adamBase, amsgrad: true }, false));
    for (let s = 0; s < STEPS; s++) {
      opt.zeroGrad();
      X32.matmul(w).add(b).sub(Y32).square().mean().backward();
      opt.step();
      expect(w.data).toBeInstanceOf(Float32Array);
      Array.from(w.data).forEach((x, i) => expect(Math.abs(x - want[s][0][i])).toBeLessThan(1e-4));
    }
    const state = opt.state.get(w)!;
    expect(state.expAvg).toBeInstanceOf(Float32Array);
    expect(state.maxExpAvgSq).toBeInstanceOf(Float32Array);
  });
});
