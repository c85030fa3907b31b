/**
 * 001-Q4d (UCLA ECE C147/C247 midterm, Winter 2021, Problem 4(d)): after 4(c) showed that cross-entropy and
 * accuracy can disagree, should the network be trained with accuracy as the objective? No, and the decisive reason
 * is not the one the document gives: accuracy is piecewise constant in the weights. Nudging a weight changes the
 * logits a little but flips no argmax, so the derivative of accuracy is 0 almost everywhere (and undefined at the
 * jumps): gradient descent gets no signal. Cross-entropy is smooth and its gradient is not 0.
 *
 * Demo: a 2-8-2 ReLU MLP on 60 points of the circle data (label 1 inside x₁² + x₂² < 0.45), partly trained with
 * softmax cross-entropy; central differences of the training accuracy with respect to every weight, and the
 * autograd gradient of the cross-entropy; plus what autograd does with an accuracy built from argmax.
 */
import { AutogradError, Generator, type Tensor, nn, noGrad, optim, rand, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '001-Q4d',
  title: 'train with accuracy as the objective instead of cross-entropy? (document: not necessarily a good idea, because of overfitting)',
};

export const DEFAULT_SEED = 0;
export const N = 60;
export const RADIUS2 = 0.45;
export const HIDDEN = 8;
/** Adam steps before the probe: far enough that the accuracy is neither chance nor 100%. */
export const WARMUP_STEPS = 60;
export const LR = 0.02;
/** Finite-difference steps for the accuracy, and the central-difference step for the CE check (§0). */
export const ACCURACY_STEPS = [1e-3, 1e-5] as const;
export const CE_STEP = 1e-6;
/** The probed weight is swept over w + t, |t| ≤ SWEEP, for the chart. */
export const SWEEP = 3;
export const SWEEP_POINTS = 241;

/** 60 points uniform in [−1, 1]², label 1 inside the circle x₁² + x₂² < 0.45 (class indices as float32, as argmax gives). */
export function circleData(generator: Generator, n = N): { x: Tensor; labels: Tensor } {
  const x = rand([n, 2], { dtype: 'float64', generator }).mul(2).sub(1);
  const xs = x.data;
  const labels = tensor(Array.from({ length: n }, (_, i) => (xs[2 * i] ** 2 + xs[2 * i + 1] ** 2 < RADIUS2 ? 1 : 0)));
  return { x, labels };
}

export interface AccuracyObjectiveResult extends ExampleResult {
  seed: number;
  /** Training accuracy and CE at the probe point. */
  accuracy: number;
  ce: number;
  /** The probed weight: of the weight matrices' entries, the one with the largest |dCE/dw| (parameter name, flat index, value). */
  probe: { parameter: string; index: number; value: number; label: string };
  /** Autograd dCE/dw at the probe, and the central difference of the CE (h = CE_STEP). */
  dCe: number;
  dCeFiniteDifference: number;
  /** (acc(w + h) − acc(w − h)) / 2h at the probe, one per h in ACCURACY_STEPS. */
  dAccuracy: number[];
  /** Over all weights: how many have a zero accuracy difference, per h in ACCURACY_STEPS. */
  zeroAccuracyDifferences: number[];
  parameterCount: number;
  /** Along the sweep w + t: the accuracy and CE at each t, and how many of the steps change each. */
  sweep: { t: number[]; accuracy: number[]; ce: number[]; accuracyChanges: number; ceChanges: number };
  /** accuracy = mean(argmax(logits) == label): requiresGrad of the result, and what backward() threw. */
  argmaxAccuracy: { requiresGrad: boolean; error: string; errorIsAutogradError: boolean };
}

export function run(options: { seed?: number } = {}): AccuracyObjectiveResult {
  const seed = options.seed ?? DEFAULT_SEED;
  const generator = new Generator(seed);
  const { x, labels } = circleData(generator);
  const model = new nn.Sequential(
    new nn.Dense(2, HIDDEN, { dtype: 'float64', generator }),
    new nn.ReLU(),
    new nn.Dense(HIDDEN, 2, { dtype: 'float64', generator }),
  );
  const opt = new optim.Adam(model.parameters(), { lr: LR });
  for (let t = 0; t < WARMUP_STEPS; t++) {
    opt.zeroGrad();
    nn.crossEntropy(model.forward(x), labels).backward();
    opt.step();
  }

  const accuracyOf = () => noGrad(() => model.forward(x).argmax(1).eq(labels).mean().item());
  const ceOf = () => noGrad(() => nn.crossEntropy(model.forward(x), labels).item());
  const accuracy = accuracyOf();
  const ce = ceOf();

  opt.zeroGrad();
  nn.crossEntropy(model.forward(x), labels).backward();
  const named = model.namedParameters();
  let probe = { parameter: '', index: 0, value: 0 };
  let dCe = 0;
  // Weights only (not biases): a weight moves the logits of the points in proportion to their activations, so the
  // sweep for the chart crosses decision changes.
  for (const [name, p] of named) {
    if (p.ndim !== 2) continue;
    const g = p.grad!.data;
    for (let i = 0; i < g.length; i++) {
      if (Math.abs(g[i]) > Math.abs(dCe)) {
        dCe = g[i];
        probe = { parameter: name, index: i, value: p.data[i] };
      }
    }
  }
  const probed = named.find(([name]) => name === probe.parameter)![1];
  // '0.weight' is the first Dense of the Sequential: W1[row, col] with W of shape [out, in].
  const inFeatures = probed.shape[1];
  const weight = `W${probe.parameter.startsWith('0.') ? 1 : 2}[${Math.floor(probe.index / inFeatures)}, ${probe.index % inFeatures}]`;

  // Evaluates `f` with the probed weight moved to w + t, then puts it back.
  const at = <T>(t: number, f: () => T, p: Tensor = probed, i = probe.index): T => {
    const w = p.data[i];
    p.data[i] = w + t;
    try {
      return f();
    } finally {
      p.data[i] = w;
    }
  };
  const dCeFiniteDifference = (at(CE_STEP, ceOf) - at(-CE_STEP, ceOf)) / (2 * CE_STEP);
  const dAccuracy = ACCURACY_STEPS.map((h) => (at(h, accuracyOf) - at(-h, accuracyOf)) / (2 * h));

  let parameterCount = 0;
  const zeroAccuracyDifferences = ACCURACY_STEPS.map(() => 0);
  for (const [, p] of named) {
    for (let i = 0; i < p.size; i++) {
      parameterCount++;
      ACCURACY_STEPS.forEach((h, k) => {
        if (at(h, accuracyOf, p, i) === at(-h, accuracyOf, p, i)) zeroAccuracyDifferences[k]++;
      });
    }
  }

  const ts = Array.from({ length: SWEEP_POINTS }, (_, k) => -SWEEP + (2 * SWEEP * k) / (SWEEP_POINTS - 1));
  const sweep = {
    t: ts,
    accuracy: ts.map((t) => at(t, accuracyOf)),
    ce: ts.map((t) => at(t, ceOf)),
    accuracyChanges: 0,
    ceChanges: 0,
  };
  const changes = (v: number[]) => v.filter((a, k) => k > 0 && a !== v[k - 1]).length;
  sweep.accuracyChanges = changes(sweep.accuracy);
  sweep.ceChanges = changes(sweep.ce);

  // The accuracy as a tensor expression: argmax and == have no backward, so nothing connects it to the weights.
  const accTensor = model.forward(x).argmax(1).eq(labels).mean();
  let error = '';
  let errorIsAutogradError = false;
  try {
    accTensor.backward();
  } catch (e) {
    error = (e as Error).message;
    errorIsAutogradError = e instanceof AutogradError;
  }

  const plot = lineChart({
    name: 'accuracy-vs-ce',
    title: `Training accuracy is a staircase in one weight, cross-entropy is smooth (${weight}, seed ${seed})`,
    x: { label: `change t of the weight ${weight}` },
    y: { label: 'training accuracy / cross-entropy (nats)' },
    series: [
      { name: 'accuracy', points: ts.map((t, k) => [t, sweep.accuracy[k]] as const) },
      { name: 'cross-entropy', points: ts.map((t, k) => [t, sweep.ce[k]] as const) },
    ],
  });

  const f = (v: number) => v.toFixed(4);
  const hs = (h: number) => h.toExponential(0);
  const lines = [
    'question: given 4(c), train the network with accuracy as the objective instead of cross-entropy. Good idea? Give one reason.',
    'document\'s answer: "not necessarily a good idea, since an overfitting [model] has very high training accuracy but poor performance '
      + 'in validation … does not guarantee good generalization"',
    `run (seed ${seed}): 2-${HIDDEN}-2 ReLU MLP on ${N} circle points, ${WARMUP_STEPS} Adam steps (lr ${LR}) on softmax CE: `
      + `training accuracy ${f(accuracy)}, CE ${f(ce)}`,
    `  the weight with the largest |dCE/dw| is ${weight} = ${f(probe.value)}: dCE/dw = ${f(dCe)} by autograd, `
      + `${f(dCeFiniteDifference)} by central differences (h = ${hs(CE_STEP)})`,
    `  d accuracy/dw by central differences: ${ACCURACY_STEPS.map((h, k) => `${dAccuracy[k]} at h = ${hs(h)}`).join(', ')}`,
    `  over all ${parameterCount} parameters (weights and biases) the accuracy difference is exactly 0 for `
      + `${ACCURACY_STEPS.map((h, k) => `${zeroAccuracyDifferences[k]}/${parameterCount} at h = ${hs(h)}`).join(' and ')}`,
    `  sweeping ${weight} over ±${SWEEP} (${SWEEP_POINTS} points): the accuracy takes ${new Set(sweep.accuracy).size} values and changes at `
      + `${sweep.accuracyChanges} of ${SWEEP_POINTS - 1} steps, in jumps of k/${N}; the CE changes at ${sweep.ceChanges} of them`,
    `  accuracy = mean(argmax(logits) == label) as a tensor: requiresGrad ${accTensor.requiresGrad}; backward() throws `
      + `${errorIsAutogradError ? 'AutogradError' : 'an error'}: "${error.split(' (')[0]}"`,
    'answer: no. Accuracy is piecewise constant in the weights: its gradient is 0 almost everywhere and undefined at the jumps, '
      + 'so gradient descent gets no signal; cross-entropy is a smooth surrogate with a useful gradient',
    'erratum: the document\'s reason (overfitting, generalisation) misses the main one: accuracy is piecewise constant, with zero or '
      + 'undefined gradient (EXAMS.md §4.7)',
  ];
  return {
    seed, accuracy, ce, probe: { ...probe, label: weight }, dCe, dCeFiniteDifference, dAccuracy, zeroAccuracyDifferences, parameterCount, sweep,
    argmaxAccuracy: { requiresGrad: accTensor.requiresGrad, error, errorIsAutogradError },
    summary: `d accuracy/dw = 0 at h = 1e-3 and 1e-5 (${zeroAccuracyDifferences[1]}/${parameterCount} weights) while dCE/dw = ${f(dCe)}; `
      + 'argmax accuracy has no gradient path',
    agrees: 'erratum',
    lines,
    plots: [plot],
  };
}

printIfMain(import.meta.url, { meta, run });
