/**
 * 000-TF5 (SYS ENG 6213 midterm, True/False 5): "the initialisation of the weights does not matter as long as they
 * are not all zero" (key: False).
 *
 * Two counterexamples with non-zero initial weights:
 * 1. Constant init (the 2-4-1 network of 001-Q1d, every weight 0.5): the hidden units get identical gradients and
 *    stay identical, so the layer trains as a single unit; a He-random start breaks the symmetry and fits better.
 * 2. Scale (as 001-Q1c): a 12-layer tanh network drawn from N(0, 0.01²) shrinks the signal ~0.06× per layer, so the
 *    activations and every layer's weight gradient are ~1e-13; Xavier init keeps both O(1).
 */
import { Generator, nn, noGrad, optim } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';
import { type Activation, activations, inputs as q1dInputs, makeData, makeModel } from './001-q1d-constant-init.js';
import { BATCH, type DeepNetStats, HIDDEN_LAYERS, SMALL_STD, WIDTH, deepNetStats } from './001-q1c-small-init-deep-net.js';

export const meta = {
  id: '000-TF5',
  title: 'true or false: weight initialisation does not matter unless the weights are all zero (key: F)',
};

export const settings = {
  defaultSeed: 0,
};

/** max over hidden units i and inputs j of |W1[i, j] − W1[0, j]|: 0 when every hidden unit has the same weights. */
function rowSpread(model: nn.Sequential): number {
  const rows = model.parameters()[0].toArray() as number[][];
  return Math.max(...rows.flatMap((r) => r.map((v, j) => Math.abs(v - rows[0][j]))));
}

export interface SymmetryRun {
  activation: Activation;
  init: 'constant' | 'he';
  /** W1 row spread before each step and after the last. */
  spread: number[];
  /** max_j |W2[0, j] − W2[0, 0]| after training. */
  w2Spread: number;
  /** max |W1 − its initial value| after training: the symmetry is not that of weights that never moved. */
  w1Moved: number;
  loss0: number;
  loss: number;
}

/**
 * Full-batch GD on 001-Q1d's data and network (its makeData, makeModel and lr/steps). The He control draws its
 * weights from Generator(seed) instead of 001-Q1d's fixed seed, so each seed is a fresh random start.
 */
export function trainSymmetry(activation: Activation, init: 'constant' | 'he', seed: number): SymmetryRun {
  const { x, y } = makeData();
  const model = makeModel(activation, 'constant');
  if (init === 'he') {
    const generator = new Generator(seed);
    for (const [name, p] of model.namedParameters()) if (name.endsWith('weight')) nn.init.kaimingNormal_(p, { nonlinearity: 'relu', generator });
  }
  const W1start = Array.from(model.parameters()[0].data);
  const opt = new optim.SGD(model.parameters(), { lr: q1dInputs.lr });
  const spread: number[] = [];
  let loss0 = NaN;
  for (let step = 0; step < q1dInputs.steps; step++) {
    spread.push(rowSpread(model));
    opt.zeroGrad();
    const loss = nn.mseLoss(model.forward(x), y);
    if (step === 0) loss0 = loss.item();
    loss.backward();
    opt.step();
  }
  spread.push(rowSpread(model));
  const loss = noGrad(() => nn.mseLoss(model.forward(x), y).item());
  const [W1, , W2] = model.parameters();
  const w2Spread = Math.max(...Array.from(W2.data, (v) => Math.abs(v - W2.data[0])));
  const w1Moved = Math.max(...Array.from(W1.data, (v, i) => Math.abs(v - W1start[i])));
  return { activation, init, spread, w2Spread, w1Moved, loss0, loss };
}

const sci = (v: number) => v.toExponential(1);

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  constant: Record<Activation, SymmetryRun>;
  control: SymmetryRun;
  small: DeepNetStats;
  xavier: DeepNetStats;
} {
  const seed = options.seed ?? settings.defaultSeed;
  const constant = Object.fromEntries(activations.map((a) => [a, trainSymmetry(a, 'constant', seed)])) as Record<Activation, SymmetryRun>;
  const control = trainSymmetry('relu', 'he', seed);
  // 001-Q1c's 12-layer tanh net, one forward and backward pass per init on the same seeded draws.
  const small = deepNetStats('small', seed);
  const xavier = deepNetStats('xavier', seed);
  const finalSpread = (r: SymmetryRun) => r.spread[r.spread.length - 1];
  const worstConstant = Math.max(...activations.map((a) => finalSpread(constant[a])));
  const L = HIDDEN_LAYERS;
  const layerIds = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

  return {
    seed, constant, control, small, xavier,
    summary: `non-zero inits that fail: constant ${q1dInputs.weight} keeps the hidden units identical (spread ${worstConstant}, ReLU loss ${constant.relu.loss.toFixed(4)} `
      + `vs ${control.loss.toFixed(4)} He); N(0, ${SMALL_STD}²) in a 12-layer tanh net gives gradients ≤ ${sci(Math.max(...small.gradNorms))} `
      + `vs ${sci(xavier.gradNorms[0])} Xavier (key F holds)`,
    agrees: 'yes',
    lines: [
      'question: true or false, "the initialisation does not matter as long as the weights are not all zero"; document key: F',
      `1. constant init (001-Q1d's 2-4-1 net and data, every weight ${q1dInputs.weight}, biases 0; full-batch GD, lr ${q1dInputs.lr}, ${q1dInputs.steps} steps):`,
      ...activations.map((a) => `  ${a}: W1 row spread ${finalSpread(constant[a])}, W2 spread ${constant[a].w2Spread} after training (loss ${constant[a].loss0.toFixed(4)} → ${constant[a].loss.toFixed(4)})`),
      `  control, He-normal (Generator(${seed})), ReLU: row spread ${finalSpread(control).toFixed(4)}, loss ${control.loss0.toFixed(4)} → ${control.loss.toFixed(4)}`,
      '  identical units get identical gradients forever: the hidden layer has the capacity of one unit',
      `2. init scale (001-Q1c's net: ${WIDTH} inputs, ${L} tanh layers of ${WIDTH}, 1 output, ${BATCH} Gaussian samples, MSE; Generator(${seed})):`,
      `  N(0, ${SMALL_STD}²): activation RMS ${[0, 5, L - 1].map((i) => `${sci(small.activationRms[i])} (layer ${i + 1})`).join(', ')}; `
        + `weight-gradient norms ${sci(Math.min(...small.gradNorms))} … ${sci(Math.max(...small.gradNorms))} (every layer)`,
      `  Xavier: activation RMS ${[0, 5, L - 1].map((i) => `${xavier.activationRms[i].toFixed(3)} (layer ${i + 1})`).join(', ')}; `
        + `weight-gradient norms ${sci(Math.min(...xavier.gradNorms))} … ${sci(Math.max(...xavier.gradNorms))}`,
      `  a random, non-zero but too small init multiplies the signal by ≈ ${SMALL_STD}·√${WIDTH} = ${(SMALL_STD * Math.sqrt(WIDTH)).toFixed(3)} per layer: `
        + 'nothing reaches the output and nothing learns (001-Q1c plots the activations layer by layer)',
      'result: both inits are non-zero, and both cripple training (one unit\'s worth of capacity; no gradient at all): the randomness and the scale of the init matter',
      'document key F: right',
    ],
    plots: [
      lineChart({
        name: 'gradient-norms', title: `12-layer tanh net (001-Q1c): ‖dL/dW‖ by layer, N(0, ${SMALL_STD}²) vs Xavier init`,
        x: { label: 'layer (input side first)' }, y: { label: '‖dL/dW‖', log: true }, points: true,
        series: [
          { name: `N(0, ${SMALL_STD}²)`, points: layerIds(L + 1).map((l) => [l, small.gradNorms[l - 1]] as const) },
          { name: 'Xavier', points: layerIds(L + 1).map((l) => [l, xavier.gradNorms[l - 1]] as const) },
        ],
      }),
      lineChart({
        name: 'row-spread', title: '2-4-1 ReLU net: spread of the hidden units\' weights during training',
        x: { label: 'GD step' }, y: { label: 'max |W1[i, j] − W1[0, j]|' },
        series: [
          { name: `constant ${q1dInputs.weight}`, points: constant.relu.spread.map((v, t) => [t, v] as const) },
          { name: 'He-normal', points: control.spread.map((v, t) => [t, v] as const) },
        ],
      }),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
