/**
 * 002-Q3 (AML 5202 sessional 1): 19 features, 3 classes. (a) the parameters of an 8-layer network with 8 units in
 * each hidden layer; (b) the widest 2-layer network that stays within that budget. Counts come from nn.summary.
 * The activation is not given; ReLU is used (it has no parameters, so the counts do not depend on it).
 */
import { Generator, nn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '002-Q3',
  title: '19 inputs, 3 classes: parameters of an 8-layer net with 8-unit hidden layers, and the widest shallow net within that budget',
};

const INPUTS = 19;
const CLASSES = 3;
const WIDTH = 8;

/** The document's answers. */
const DOCUMENT = { deepTotal: 619, writtenSum: '8×20 + 8×9 + 3×9 = 619', shallowWidth: 26 };

/** 19 inputs → one Dense layer per entry of hiddenWidths (ReLU after each) → 3 outputs, in float64. */
export function mlp(hiddenWidths: number[], generator: Generator): nn.Sequential {
  const sizes = [INPUTS, ...hiddenWidths, CLASSES];
  const layers: nn.Module[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    layers.push(new nn.Dense(sizes[i], sizes[i + 1], { dtype: 'float64', generator }));
    if (i + 2 < sizes.length) layers.push(new nn.ReLU());
  }
  return new nn.Sequential(...layers);
}

/** Per-Dense-layer parameter counts and the total, from nn.summary. */
function counts(model: nn.Module): { perLayer: number[]; total: number; layers: string[] } {
  const s = nn.summary(model, [1, INPUTS]);
  const dense = s.rows.filter((r) => r.layer.startsWith('Dense'));
  return { perLayer: dense.map((r) => r.parameters), total: s.totalParameters, layers: dense.map((r) => r.layer) };
}

export function run(): ExampleResult & {
  deep: { perLayer: number[]; total: number; weightLayers: number };
  /** The network the document's written sum describes (one 8→8 layer): its total. */
  writtenSumTotal: number;
  /** With 8 hidden layers (9 weight layers) instead. */
  eightHiddenTotal: number;
  /** Parameters of 19-n-3 for n = 1..maxWidth (index n − 1). */
  shallowTotals: number[];
  /** The largest n with params(19-n-3) ≤ the deep total. */
  shallowWidth: number;
} {
  const generator = new Generator(2003);

  // (a) "8-layer": 8 weight layers, i.e. 7 hidden layers of 8 units.
  const deepModel = mlp(Array(7).fill(WIDTH), generator);
  const deep = counts(deepModel);
  // The written sum 8×20 + 8×9 + 3×9 counts one 8→8 layer: the net 19 → 8 → 8 → 3.
  const written = counts(mlp([WIDTH, WIDTH], generator)).total;
  const eightHidden = counts(mlp(Array(8).fill(WIDTH), generator)).total;

  // (b) Grow the hidden layer until the budget is exceeded.
  const shallowTotals: number[] = [];
  let shallowWidth = 0;
  for (let n = 1; ; n++) {
    const total = counts(mlp([n], generator)).total;
    shallowTotals.push(total);
    if (total > deep.total) break;
    shallowWidth = n;
  }
  const at = (n: number) => shallowTotals[n - 1];

  const lines = [
    `(a) 19 → 7 hidden layers of 8 → 3 (8 weight layers), per layer from nn.summary:`,
    `    ${deep.layers.map((l, i) => `${l} ${deep.perLayer[i]}`).join(', ')}`,
    `    total ${deep.total} = ${deep.perLayer.join(' + ')}; document: ${DOCUMENT.deepTotal} (agrees)`,
    `    (reading "8 hidden layers" instead would give ${eightHidden})`,
    `(b) a 19 → n → 3 network has 20n + 3(n + 1) parameters; budget ${deep.total}:`,
    ...[24, 25, 26, 27].filter((n) => n <= shallowTotals.length).map((n) => `    n = ${n}: ${at(n)}${at(n) <= deep.total ? ' ≤' : ' >'} ${deep.total}`),
    `    widest: n = ${shallowWidth} (${at(shallowWidth)} parameters); document: ${DOCUMENT.shallowWidth} (agrees)`,
    `erratum: the written sum "${DOCUMENT.writtenSum}" omits the factor 6 on 8×9: as written it is ${written} (the net 19-8-8-3, with one 8→8 layer); the total 619 is right`,
  ];

  return {
    deep: { perLayer: deep.perLayer, total: deep.total, weightLayers: deep.perLayer.length },
    writtenSumTotal: written,
    eightHiddenTotal: eightHidden,
    shallowTotals,
    shallowWidth,
    summary: `deep 19-8×7-3: ${deep.total} params; widest shallow 19-n-3 within it: n = ${shallowWidth} (${at(shallowWidth)})`,
    agrees: 'erratum',
    lines,
    rows: [
      { id: '002-Q3a', summary: `19-8×7-3 has ${deep.total} parameters (written sum omits ×6: ${written})`, agrees: 'erratum' },
      { id: '002-Q3b', summary: `n = ${shallowWidth}: ${at(shallowWidth)} ≤ ${deep.total} < ${at(shallowWidth + 1)} (n = ${shallowWidth + 1})`, agrees: 'yes' },
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
