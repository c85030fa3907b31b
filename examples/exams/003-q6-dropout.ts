/**
 * 003-Q6 (RMIT COSC2779 Week 4 tutorial, Q6): why dropout regularises, in numbers.
 *
 * 1. Model averaging: H droppable units define 2^H sub-networks sharing one set of weights.
 * 2. Inverted masks are unbiased: E[m/(1 − p)] = 1, so training-mode dropout equals eval mode on average.
 * 3. For a linear model, input dropout with keep probability q is an adaptive L2 penalty:
 *    E_m[(y − wᵀ(m⊙x)/q)²] = (y − wᵀx)² + ((1 − q)/q)·Σ_j w_j² x_j², minimised by w = (G + ((1 − q)/q)·diag G)⁻¹ c
 *    (G = XᵀX/N, c = Xᵀy/N): the weights shrink as under ridge. Dropout-SGD finds that minimiser.
 * 4. The higher training loss under heavy dropout is 000-TF1's demonstration.
 */
import { Generator, type Tensor, noGrad, nn, ones, optim, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '003-Q6',
  title: 'why does dropout in a neural network act as a regulariser?',
};

/** Drop probability p of every demonstration (keep probability q = 1 − p = 0.5 for the linear model). */
export const P = 0.5;
export const N = 30;
/** Dropout-SGD: steps, the initial rate and the time constant of the inverse-time decay lr₀/(1 + t/T). */
export const STEPS = 8000;
export const LR0 = 0.02;
export const DECAY_STEPS = 2000;
/** Seed of the regression data of (3), and of the two dropout-SGD runs. */
export const DATA_SEED = 2024;
export const SGD_SEEDS = [11, 12];

/** The learning rate lr₀/(1 + t/T) at step t: a scheduler stepped once per update. */
class InverseTimeLR extends optim.LRScheduler {
  constructor(optimizer: optim.Optimizer, readonly decaySteps: number) {
    super(optimizer);
    this.initialStep();
  }

  override get name(): string {
    return 'InverseTimeLR';
  }

  protected override getLr(): number[] {
    return this.baseLrs.map((lr) => lr / (1 + this.lastEpoch / this.decaySteps));
  }

  protected override config(): optim.SchedulerStateDict {
    return { decaySteps: this.decaySteps };
  }

  protected override parseConfig(c: Record<string, unknown>): optim.SchedulerStateDict {
    return { decaySteps: Number(c.decaySteps) };
  }
}

/** The linear-regression data of (3): x ~ (N(0, 1), N(0, 2²)), y = x₁ − 0.5·x₂ + N(0, 0.1²). */
export function makeData(generator: Generator): { x: Tensor; y: Tensor } {
  const x = randn([N, 2], { dtype: 'float64', generator }).mul(tensor([1, 2], { dtype: 'float64' }));
  const noise = randn([N, 1], { dtype: 'float64', generator }).mul(0.1);
  const y = x.matmul(tensor([[1], [-0.5]], { dtype: 'float64' })).add(noise);
  return { x, y };
}

/** Solves the 2×2 system A w = c (Cramer's rule; A is symmetric positive definite here). */
export function solve2(a: number[][], c: number[]): number[] {
  const det = a[0][0] * a[1][1] - a[0][1] * a[1][0];
  return [(c[0] * a[1][1] - a[0][1] * c[1]) / det, (a[0][0] * c[1] - a[1][0] * c[0]) / det];
}

/** Trains y ≈ w·dropout(x) (no bias) with SGD on the full batch, a fresh mask per point and step; Polyak-averages the second half. */
export function dropoutSgd(x: Tensor, y: Tensor, seed: number): { w: number[]; finalLr: number } {
  const generator = new Generator(seed);
  const model = new nn.Sequential(new nn.Dropout(P, { generator }), new nn.Dense(2, 1, { bias: false, dtype: 'float64', generator }));
  const dense = model.at(1) as nn.Dense;
  dense.weight.data.fill(0);
  const opt = new optim.SGD(model.parameters(), { lr: LR0 });
  const scheduler = new InverseTimeLR(opt, DECAY_STEPS);
  const sum = [0, 0];
  for (let t = 0; t < STEPS; t++) {
    opt.zeroGrad();
    nn.mseLoss(model.forward(x), y).backward();
    opt.step();
    scheduler.step();
    if (t >= STEPS / 2) {
      sum[0] += dense.weight.data[0];
      sum[1] += dense.weight.data[1];
    }
  }
  return { w: sum.map((s) => s / (STEPS / 2)), finalLr: scheduler.getLastLr()[0] };
}

const f = (v: number, dp = 4) => Number(v.toFixed(dp)).toString();
const vec = (vs: number[], dp = 4) => `(${vs.map((v) => f(v, dp)).join(', ')})`;
const norm = (v: number[]) => Math.hypot(...v);

export function run(): ExampleResult & {
  subnetworks: { h4Distinct: number; h4Draws: number; h50: number };
  maskMean: number; maskSamples: number; evalIdentity: boolean;
  survivors: { h: number; masks: number; mean: number; variance: number };
  penaltyIdentity: { expectedLoss: number; formula: number };
  wOls: number[]; wClosed: number[]; wDropout: number[][];
} {
  // (1) Every one of the 2⁴ masks of 4 units turns up among 200 seeded draws; 2^50 is counted, not drawn.
  const h4Draws = 200;
  const masks = new nn.Dropout(P, { generator: new Generator(4) }).forward(ones([h4Draws, 4], { dtype: 'float64' }));
  const h4Distinct = new Set((masks.gt(0).toArray() as number[][]).map((r) => r.join(''))).size;
  const h50 = tensor(2, { dtype: 'float64' }).pow(50).item();

  // (2) Inverted masks are unbiased; eval mode is the identity.
  const maskSamples = 1_000_000;
  const drop = new nn.Dropout(P, { generator: new Generator(6) });
  const maskMean = drop.forward(ones([maskSamples], { dtype: 'float64' })).mean().item();
  const a = tensor([1.5, -2, 0.25, 3], { dtype: 'float64' });
  const evalOut = drop.eval().forward(a);
  const evalIdentity = (evalOut.toArray() as number[]).every((v, i) => v === (a.toArray() as number[])[i]);

  // The number of survivors in a layer of H = 50 follows Binomial(H, 1 − p).
  const h = 50;
  const survivorMasks = 2000;
  const kept = new nn.Dropout(P, { generator: new Generator(50) }).forward(ones([survivorMasks, h], { dtype: 'float64' })).gt(0).sum(1);
  const survivors = { h, masks: survivorMasks, mean: kept.mean().item(), variance: kept.var(0, { correction: 1 }).item() };

  // (3) The expected dropout loss, by enumerating the four masks of two inputs, equals the penalised loss.
  const q = 1 - P;
  const { x, y } = makeData(new Generator(DATA_SEED));
  const wProbe = tensor([[0.8], [-0.3]], { dtype: 'float64' });
  const penaltyIdentity = noGrad(() => {
    let expectedLoss = 0;
    for (const m of [[0, 0], [0, 1], [1, 0], [1, 1]]) {
      const prob = m.reduce((pr, k) => pr * (k === 1 ? q : 1 - q), 1);
      const xm = x.mul(tensor(m, { dtype: 'float64' }).div(q));
      expectedLoss += prob * nn.mseLoss(xm.matmul(wProbe), y).item();
    }
    const dataLoss = nn.mseLoss(x.matmul(wProbe), y).item();
    const penalty = wProbe.square().reshape(2).mul(x.square().mean(0)).sum().mul((1 - q) / q).item();
    return { expectedLoss, formula: dataLoss + penalty };
  });

  const { g, c } = noGrad(() => ({
    g: x.T.matmul(x).div(N).toArray() as number[][],
    c: (x.T.matmul(y).div(N).toArray() as number[][]).map((r) => r[0]),
  }));
  const r = (1 - q) / q;
  const wOls = solve2(g, c);
  const wClosed = solve2([[g[0][0] * (1 + r), g[0][1]], [g[1][0], g[1][1] * (1 + r)]], c);
  const runs = SGD_SEEDS.map((seed) => dropoutSgd(x, y, seed));
  const wDropout = runs.map((run) => run.w);

  return {
    subnetworks: { h4Distinct, h4Draws, h50 }, maskMean, maskSamples, evalIdentity, survivors, penaltyIdentity,
    wOls, wClosed, wDropout,
    summary: `2^H sub-networks (${h4Distinct} seen for H = 4); E[mask/(1−p)] = ${f(maskMean)}; linear dropout = adaptive L2: `
      + `w ${vec(wDropout[0])} ≈ closed form ${vec(wClosed)}, shrunk from OLS ${vec(wOls)}`,
    agrees: 'yes',
    lines: [
      `(1) model averaging: ${h4Draws} seeded Dropout(${P}) masks of H = 4 units show ${h4Distinct} distinct sub-networks (2⁴ = 16); `
        + `H = 50 gives 2^50 = ${h50.toLocaleString('en-US')} sub-networks sharing one set of weights`,
      `(2) unbiased masks: the mean of ${maskSamples.toLocaleString('en-US')} values of mask/(1 − p), p = ${P}, is ${maskMean.toFixed(5)} `
        + `(E = 1), so E[dropout_train(a)] = a = dropout_eval(a); eval mode returns its input unchanged: ${evalIdentity}`,
      `    survivors in a layer of H = ${h} over ${survivorMasks} masks: mean ${f(survivors.mean, 3)}, variance ${f(survivors.variance, 3)} `
        + `(Binomial(${h}, ${1 - P}): ${h * (1 - P)}, ${h * P * (1 - P)})`,
      `(3) linear dropout is an adaptive L2 penalty: ${N} points, x ~ (N(0, 1), N(0, 2²)), y = x₁ − 0.5x₂ + N(0, 0.1²), `
        + `keep probability q = ${q} (data seed ${DATA_SEED})`,
      `    at w = (0.8, −0.3): E_m[MSE] over the 4 masks = ${penaltyIdentity.expectedLoss.toFixed(10)}; `
        + `MSE + ((1 − q)/q)·Σ w_j² mean(x_j²) = ${penaltyIdentity.formula.toFixed(10)}`,
      `    OLS w = ${vec(wOls)}; the penalised minimiser (G + ((1 − q)/q)·diag G)⁻¹c = ${vec(wClosed)}`,
      `    dropout-SGD (Dropout(${P}) on the input, Dense(2→1, no bias), full batch with a fresh mask per point and step, `
        + `${STEPS} steps, lr ${LR0}/(1 + t/${DECAY_STEPS}), averaged over the second half): `
        + `${wDropout.map((w, i) => `seed ${SGD_SEEDS[i]}: ${vec(w)}`).join(', ')}`,
      `    ‖w_dropout‖ = ${f(norm(wDropout[0]))} < ‖w_OLS‖ = ${f(norm(wOls))}: the weights shrink, as under L2`,
      '(4) dropout raises the training loss (underfitting at large p): see 000-TF1',
      'document: dropout is model averaging over 2^H architectures, prevents co-adaptation, adds noise, and shrinks the '
        + 'weights: consistent with (1)–(3)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
