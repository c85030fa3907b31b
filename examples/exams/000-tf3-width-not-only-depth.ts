/**
 * 000-TF3 (SYS ENG 6213 midterm, True/False 3): "increasing the depth is the only way to increase the accuracy of a
 * network" (key: False).
 *
 * A counterexample at fixed depth: one hidden ReLU layer classifying points inside a circle. With one hidden unit
 * the network can only split the plane by a ramp (a half-plane); widening the same single layer to 16 units lets it
 * carve the disc and fit the training set. Width, like depth (and data, features, training), adds accuracy.
 */
import { Generator, type Tensor, nn, noGrad, optim, rand, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import type { Plot } from '../lib/plot.js';
import { lineChart } from '../lib/plot.js';

export const meta = {
  id: '000-TF3',
  title: 'true or false: increasing the depth is the only way to increase the accuracy of a network (key: F)',
};

export const settings = {
  n: 60,
  /** Label 1 inside the disc x₁² + x₂² < radius2. */
  radius2: 0.45,
  widths: [1, 2, 4, 8, 16],
  lr: 0.02,
  steps: 400,
  /** The decision-region plot evaluates the trained nets on a grid of this many points per side. */
  grid: 25,
  defaultSeed: 0,
};

/** n points uniform in [−1, 1]², labelled 1 inside the disc (class indices stored as floats, as the loss expects). */
export function makeData(g: Generator): { x: Tensor; labels: Tensor } {
  const x = rand([settings.n, 2], { generator: g }).mul(2).sub(1);
  const labels = new Float32Array(settings.n);
  for (let i = 0; i < settings.n; i++) labels[i] = x.data[2 * i] ** 2 + x.data[2 * i + 1] ** 2 < settings.radius2 ? 1 : 0;
  return { x, labels: tensor(labels) };
}

export interface WidthRun {
  width: number;
  /** Training accuracy after the last step. */
  accuracy: number;
  /** Training cross-entropy at every step (before the step) and after the last. */
  losses: number[];
  model: nn.Sequential;
}

function accuracyOf(model: nn.Module, x: Tensor, labels: Tensor): number {
  const predicted = noGrad(() => model.forward(x).argmax(1)).data;
  let correct = 0;
  for (let i = 0; i < predicted.length; i++) if (predicted[i] === labels.data[i]) correct++;
  return correct / predicted.length;
}

/** Dense(2, H) → ReLU → Dense(H, 2) with the default (PyTorch) init drawn from Generator(seed), softmax-CE, full-batch Adam. */
export function trainWidth(width: number, x: Tensor, labels: Tensor, seed: number): WidthRun {
  const generator = new Generator(seed);
  const model = new nn.Sequential(new nn.Dense(2, width, { generator }), new nn.ReLU(), new nn.Dense(width, 2, { generator }));
  const opt = new optim.Adam(model.parameters(), { lr: settings.lr });
  const lossFn = new nn.CrossEntropyLoss();
  const losses: number[] = [];
  for (let step = 0; step < settings.steps; step++) {
    opt.zeroGrad();
    const loss = lossFn.forward(model.forward(x), labels);
    losses.push(loss.item());
    loss.backward();
    opt.step();
  }
  losses.push(noGrad(() => lossFn.forward(model.forward(x), labels).item()));
  return { width, accuracy: accuracyOf(model, x, labels), losses, model };
}

/** The predicted class on a grid over [−1, 1]² for two widths, with the training points on top. */
function decisionRegions(runs: WidthRun[], x: Tensor, labels: Tensor): Plot {
  const k = settings.grid;
  const coords: number[] = [];
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) coords.push(-1 + (2 * j) / (k - 1), -1 + (2 * i) / (k - 1));
  const gridX = tensor(coords).reshape([k * k, 2]);
  const cells = runs.flatMap((r) => {
    const cls = noGrad(() => r.model.forward(gridX).argmax(1)).data;
    return Array.from(cls, (c, i) => ({ net: `width ${r.width}`, x1: coords[2 * i], x2: coords[2 * i + 1], predicted: c === 1 ? 'inside' : 'outside' }));
  });
  const points = runs.flatMap((r) => Array.from(labels.data, (c, i) => ({
    net: `width ${r.width}`, x1: x.data[2 * i], x2: x.data[2 * i + 1], label: c === 1 ? 'inside' : 'outside',
  })));
  const title = 'Predicted class on [−1, 1]² (cells) and the training points, one hidden layer';
  const axes = {
    x: { field: 'x1', type: 'quantitative' as const, title: 'x₁', scale: { domain: [-1, 1] } },
    y: { field: 'x2', type: 'quantitative' as const, title: 'x₂', scale: { domain: [-1, 1] } },
  };
  const colour = { type: 'nominal' as const, scale: { domain: ['inside', 'outside'], range: ['#f28e2b', '#4e79a7'] } };
  return {
    name: 'decision-regions',
    title,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title,
      hconcat: runs.map((r) => ({
        title: `width ${r.width}: training accuracy ${r.accuracy.toFixed(3)}`,
        width: 240,
        height: 240,
        layer: [
          {
            data: { values: cells.filter((c) => c.net === `width ${r.width}`) },
            mark: { type: 'square', size: (240 / (k - 1)) ** 2, opacity: 0.35 },
            encoding: { ...axes, color: { field: 'predicted', title: 'class', ...colour } },
          },
          {
            data: { values: points.filter((p) => p.net === `width ${r.width}`) },
            mark: { type: 'point', filled: true, size: 40, stroke: 'black', strokeWidth: 0.5 },
            encoding: { ...axes, color: { field: 'label', title: 'class', ...colour } },
          },
        ],
      })),
    },
  };
}

export function run(options: { seed?: number } = {}): ExampleResult & {
  seed: number;
  /** Fraction of the training points inside the disc (the accuracy of always guessing the majority is 1 minus it). */
  insideFraction: number;
  accuracy: Record<number, number>;
  runs: Array<Omit<WidthRun, 'model'>>;
} {
  const seed = options.seed ?? settings.defaultSeed;
  const { x, labels } = makeData(new Generator(seed));
  // The nets are drawn from a stream separate from the data's, so every width starts from its own seeded init.
  const runs = settings.widths.map((w) => trainWidth(w, x, labels, seed + 1000));
  const accuracy = Object.fromEntries(runs.map((r) => [r.width, r.accuracy])) as Record<number, number>;
  const insideFraction = Array.from(labels.data).reduce((s, v) => s + v, 0) / settings.n;
  const first = runs[0];
  const last = runs[runs.length - 1];
  return {
    seed, insideFraction, accuracy,
    runs: runs.map(({ width, accuracy: a, losses }) => ({ width, accuracy: a, losses })),
    summary: `one hidden ReLU layer, depth fixed: training accuracy ${first.accuracy.toFixed(3)} at width 1 → ${last.accuracy.toFixed(3)} at width 16; `
      + 'width also raises accuracy (key F holds)',
    agrees: 'yes',
    lines: [
      'question: true or false, "increasing the depth is the only way to increase the accuracy"; document key: F',
      `demo: ${settings.n} points uniform in [−1, 1]² (Generator(${seed})), label 1 inside x₁² + x₂² < ${settings.radius2} `
        + `(${(insideFraction * 100).toFixed(0)}% inside); Dense(2, H) → ReLU → Dense(H, 2), softmax cross-entropy, `
        + `Adam lr ${settings.lr}, ${settings.steps} full-batch steps; the same depth for every H`,
      ...runs.map((r) => `  H = ${r.width}: training accuracy ${r.accuracy.toFixed(3)}, cross-entropy ${r.losses[0].toFixed(3)} → ${r.losses[r.losses.length - 1].toFixed(3)}`),
      `result: widening the single hidden layer from 1 to 16 units raises the training accuracy by ${(last.accuracy - first.accuracy).toFixed(3)}; `
        + 'one ReLU unit can only draw a half-plane boundary, 16 can bend it around the disc',
      'document key F: right (width, more data, better features and better training also raise accuracy)',
    ],
    plots: [
      lineChart({
        name: 'training-loss', title: 'Training cross-entropy by hidden width (one hidden layer)',
        x: { label: 'Adam step' }, y: { label: 'cross-entropy (nats)', log: true },
        series: runs.map((r) => ({ name: `H = ${r.width}`, points: r.losses.map((v, i) => [i, v] as const) })),
      }),
      lineChart({
        name: 'accuracy-vs-width', title: 'Training accuracy against the width of the one hidden layer',
        x: { label: 'hidden units H', log: true }, y: { label: 'training accuracy', domain: [0.5, 1] }, points: true,
        series: [{ name: 'one hidden layer', points: runs.map((r) => [r.width, r.accuracy] as const) }],
      }),
      decisionRegions([first, last], x, labels),
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
