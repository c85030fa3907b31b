/**
 * 002-Q4 (AML 5202 sessional 1): the shapes along the forward pass of a 1024-256-3 network on a 32×32 image, with
 * the bias trick (column vectors, W·x_B) at each layer. The image is taken as single-channel. The forward runs on
 * the library's Dense layers with their bias folded into W as a last column, checked against the layers themselves;
 * the parameter count comes from nn.summary.
 */
import { Generator, concat, nn, ones, rand, tensor, type Tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '002-Q4',
  title: 'shapes in a 32×32-image → 256 (ReLU) → 3 (softmax) network with the bias trick',
};

/** The document's labels under each quantity. */
const DOCUMENT: Record<string, string> = {
  x_B: '1025', 'z^[1]': '256', 'W^[1]': '256 × 1025', 'a^[1]': '256', 'a^[1]_B': '257',
  'z^[2]': '3', 'W^[2]': '3 × 257', 'a^[2]': '257', L: '256 = W^[2]_1025 + … (garbled)',
};

/** The correct class of the sample (the question gives none; any one-hot 3-vector will do). */
const TRUE_CLASS = 1;

/** The network (batch-first, for nn.summary), one 32×32 grayscale image and its one-hot label, all seeded. */
export function build(): { model: nn.Sequential; fc1: nn.Dense; fc2: nn.Dense; image: Tensor; y: Tensor } {
  const generator = new Generator(2004);
  const fc1 = new nn.Dense(32 * 32, 256, { dtype: 'float64', generator });
  const fc2 = new nn.Dense(256, 3, { dtype: 'float64', generator });
  const model = new nn.Sequential(new nn.Flatten(), fc1, new nn.ReLU(), fc2, new nn.Softmax());
  const image = rand([1, 32, 32], { dtype: 'float64', generator });
  const y = tensor([0, 1, 2].map((k) => (k === TRUE_CLASS ? 1 : 0)), { dtype: 'float64' });
  return { model, fc1, fc2, image, y };
}

/** [W | b]: the layer's weight with its bias as a last column. */
export function folded(layer: nn.Dense): Tensor {
  return concat([layer.weight, layer.bias!.unsqueeze(1)], 1);
}

/** [v; 1]. */
function withOne(v: Tensor): Tensor {
  return concat([v, ones([1], { dtype: v.dtype })]);
}

/**
 * The document's chain on column vectors: x_B → z¹ = W¹x_B → a¹ = ReLU(z¹) → a¹_B → z² = W²a¹_B → a² = softmax(z²)
 * → L = −Σ_k y_k log a²_k (as cross-entropy on the logits z², so no log of a probability is ever taken).
 */
export function forward(x: Tensor, w1: Tensor, w2: Tensor, y: Tensor): Record<'xB' | 'z1' | 'a1' | 'a1B' | 'z2' | 'a2' | 'L', Tensor> {
  const xB = withOne(x);
  const z1 = w1.matmul(xB);
  const a1 = z1.relu();
  const a1B = withOne(a1);
  const z2 = w2.matmul(a1B);
  const a2 = z2.softmax(0);
  const L = nn.crossEntropy(z2, y);
  return { xB, z1, a1, a1B, z2, a2, L };
}

export function run(): ExampleResult & {
  /** Shape of each quantity of the chain, by the document's name. */
  shapes: Record<string, number[]>;
  /** nn.summary totals and the two Dense rows. */
  totalParameters: number;
  layerParameters: number[];
  /** max |chain − model| over the probabilities: the bias trick reproduces the Dense layers. */
  maxDiffVsModel: number;
  /** Σ a² (a distribution over the 3 classes). */
  probabilitySum: number;
  loss: number;
  /** The same for a 3-channel image: the width of x_B, W¹'s shape and the total parameters. */
  rgb: { xB: number; w1: number[]; totalParameters: number };
} {
  const { model, fc1, fc2, image, y } = build();
  const x = image.flatten();
  const w1 = folded(fc1);
  const w2 = folded(fc2);
  const c = forward(x, w1, w2, y);

  const viaModel = model.forward(image.unsqueeze(0)).squeeze(0);
  const maxDiffVsModel = c.a2.sub(viaModel).abs().max().item();

  const s = nn.summary(model, [1, 1, 32, 32]);
  const layerParameters = s.rows.filter((r) => r.layer.startsWith('Dense')).map((r) => r.parameters);

  // The RGB variant only needs the counts: nn.summary of the same stack on a 3×32×32 input.
  const rgbFc1 = new nn.Dense(3 * 32 * 32, 256, { generator: new Generator(2005) });
  const rgbModel = new nn.Sequential(new nn.Flatten(), rgbFc1, new nn.ReLU(), new nn.Dense(256, 3, { generator: new Generator(2006) }), new nn.Softmax());
  const rgbSummary = nn.summary(rgbModel, [1, 3, 32, 32]);
  const rgbFlat = rgbSummary.rows[0].outputShape![1];
  const rgb = { xB: rgbFlat + 1, w1: [rgbFc1.outFeatures, rgbFc1.inFeatures + 1], totalParameters: rgbSummary.totalParameters };

  const shapes: Record<string, number[]> = {
    x_B: c.xB.shape.slice(), 'z^[1]': c.z1.shape.slice(), 'W^[1]': w1.shape.slice(), 'a^[1]': c.a1.shape.slice(),
    'a^[1]_B': c.a1B.shape.slice(), 'z^[2]': c.z2.shape.slice(), 'W^[2]': w2.shape.slice(), 'a^[2]': c.a2.shape.slice(),
    L: c.L.shape.slice(),
  };
  const text = (shape: number[]) => (shape.length === 0 ? 'scalar' : shape.join(' × '));
  const probabilitySum = c.a2.sum().item();
  const loss = c.L.item();
  const f4 = (v: number) => v.toFixed(4);
  const count = (n: number) => n.toLocaleString('en-US');

  const lines = [
    `input: one 32×32 grayscale image (seeded uniform pixels), flattened to x of ${x.size}; label y = one-hot class ${TRUE_CLASS} of 3`,
    `layers: Dense(1024 → 256), ReLU, Dense(256 → 3), softmax; each Dense's bias folded into W as a last column`,
    ...Object.entries(shapes).map(([name, shape]) => {
      const mine = text(shape);
      const doc = DOCUMENT[name];
      const agrees = doc === mine ? 'agrees' : 'differs';
      return `  ${name.padEnd(8)} ${mine.padEnd(11)} document: ${doc} (${agrees})`;
    }),
    `  L = −Σ_{k=0}^{${c.a2.size - 1}} y_k log ŷ_k = ${f4(loss)} (${text(shapes.L)}; ŷ = (${Array.from(c.a2.data).map(f4).join(', ')}), Σ = ${f4(probabilitySum)})`,
    `  the folded chain matches the model's own forward: max |Δŷ| = ${maxDiffVsModel.toExponential(2)}`,
    `parameters (nn.summary): ${layerParameters.map(count).join(' + ')} = ${count(s.totalParameters)}`,
    `an RGB image would give x_B of ${rgb.xB} and W^[1] ${rgb.w1.join(' × ')} (${count(rgb.totalParameters)} parameters)`,
    `erratum: a^[2] is labelled 257; it is the softmax output, ${text(shapes['a^[2]'])}`,
    `erratum: the trailing "L … 256 = W^[2]_1025 + …" is garbled; L is a scalar`,
  ];

  return {
    shapes,
    totalParameters: s.totalParameters,
    layerParameters,
    maxDiffVsModel,
    probabilitySum,
    loss,
    rgb,
    summary: `x_B ${text(shapes.x_B)}, W¹ ${text(shapes['W^[1]'])}, a¹_B ${text(shapes['a^[1]_B'])}, W² ${text(shapes['W^[2]'])}, ŷ ${text(shapes['a^[2]'])}, L scalar; ${count(s.totalParameters)} params`,
    agrees: 'erratum',
    lines,
  };
}

printIfMain(import.meta.url, { meta, run });
