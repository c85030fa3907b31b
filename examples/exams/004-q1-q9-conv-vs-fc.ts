/**
 * Seed 004, Q1(a), Q1(b) and Q9: the first layer on a 7-channel 16×16 input, as a convolution with 8 filters of 5×5
 * (stride 1, no padding) and as a fully-connected layer with the same input and output sizes; then the Q9 comparison
 * of the two, from the same counts. Every count comes from nn.summary, which runs one forward of each layer.
 */
import { Generator, nn } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '004-Q1/Q9',
  title: 'parameters and products of Conv 8@5×5 vs a fully-connected layer on a 7×16×16 input; which is cheaper?',
};

/** What nn.summary reports for one layer. */
export interface LayerCounts {
  outputShape: number[];
  parameters: number;
  /** Multiplications (nn.summary's multiply-accumulates: bias additions are not products). */
  products: number;
}

export interface ConvVsFcResult extends ExampleResult {
  inputShape: number[];
  conv: LayerCounts;
  fc: LayerCounts & { inFeatures: number; outFeatures: number };
  /** FC / conv. */
  productRatio: number;
  parameterRatio: number;
  /** Products per parameter: weight reuse in the convolution, about one use per weight in the FC layer. */
  convProductsPerParameter: number;
  fcProductsPerParameter: number;
}

const fmt = (n: number) => n.toLocaleString('en-US');

export function run(): ConvVsFcResult {
  const inputShape = [1, 7, 16, 16];
  // The counts do not depend on the weights; the generator only keeps the initial draws reproducible.
  const generator = new Generator(1);

  // (a) default stride 1 and padding 0, as the question asks.
  const convSummary = nn.summary(new nn.Conv2d(7, 8, 5, { generator }), inputShape);
  const convRow = convSummary.rows[0];
  const conv: LayerCounts = { outputShape: convRow.outputShape!, parameters: convSummary.totalParameters, products: convSummary.totalMacs };

  // (b) the same numbers of input and output units: every input value feeds every output unit.
  const inFeatures = inputShape.slice(1).reduce((a, b) => a * b, 1);
  const outFeatures = conv.outputShape.slice(1).reduce((a, b) => a * b, 1);
  const fcModel = new nn.Sequential(new nn.Flatten(), new nn.Dense(inFeatures, outFeatures, { generator }));
  const fcSummary = nn.summary(fcModel, inputShape);
  const fcRow = fcSummary.rows[fcSummary.rows.length - 1];
  const fc = { outputShape: fcRow.outputShape!, parameters: fcSummary.totalParameters, products: fcSummary.totalMacs, inFeatures, outFeatures };

  const productRatio = fc.products / conv.products;
  const parameterRatio = fc.parameters / conv.parameters;
  const convProductsPerParameter = conv.products / conv.parameters;
  const fcProductsPerParameter = fc.products / fc.parameters;

  // The document's answers, as the expressions it wrote.
  const doc = {
    convParameters: 8 * (7 * 5 ** 2 + 1),
    convProducts: 8 * 12 ** 2 * 7 * 5 ** 2,
    fcParameters: 8 * 12 ** 2 * (7 * 16 ** 2 + 1),
    fcProducts: 8 * 12 ** 2 * 7 * 16 ** 2,
  };
  const same = (a: number, b: number) => (a === b ? 'agrees' : 'DIFFERS');

  const lines = [
    `input ${JSON.stringify(inputShape)} (N, C, H, W): 7 channels of 16×16`,
    '(a) Conv2d(7 → 8, kernel 5×5), stride 1, padding 0:',
    ...convSummary.toString().split('\n').map((l) => `    ${l}`),
    `  output ${JSON.stringify(conv.outputShape)} (16 − 5 + 1 = 12)`,
    `  parameters ${fmt(conv.parameters)} = 8·(7·5² + 1); document 8·(7·5² + 1) = ${fmt(doc.convParameters)}: ${same(conv.parameters, doc.convParameters)}`,
    `  products ${fmt(conv.products)} = 8·12²·7·5²; document 8·12²·7·5² = ${fmt(doc.convProducts)}: ${same(conv.products, doc.convProducts)}`,
    `(b) fully connected, ${fmt(inFeatures)} inputs (7·16²) → ${fmt(outFeatures)} outputs (8·12²):`,
    ...fcSummary.toString().split('\n').map((l) => `    ${l}`),
    `  parameters ${fmt(fc.parameters)} = 1,152·(1,792 + 1); document 8·12²·(7·16² + 1) = ${fmt(doc.fcParameters)}: ${same(fc.parameters, doc.fcParameters)}`,
    `  products ${fmt(fc.products)} = 1,152·1,792; document 8·12²·7·16² = ${fmt(doc.fcProducts)}: ${same(fc.products, doc.fcProducts)}`,
    `Q9: FC / conv: ${parameterRatio} × the parameters, ${productRatio} × the products`,
    `  products per parameter: conv ${convProductsPerParameter.toFixed(1)} (each weight reused at all 12² positions), FC ${fcProductsPerParameter.toFixed(4)}`,
    '  so for the same input/output sizes the convolution is cheaper in parameters AND in multiplications;',
    '  it is more expensive only per parameter. The rows on weight sharing and memory footprint agree.',
    'erratum: Q9\'s table says "Convolution layer: computationally more expensive" and "FC: computationally less expensive";'
      + ` for Q1's sizes FC needs ${fmt(fc.products)} vs ${fmt(conv.products)} multiplications (${productRatio}×); conv costs more only per parameter.`,
  ];

  return {
    inputShape, conv, fc, productRatio, parameterRatio, convProductsPerParameter, fcProductsPerParameter,
    summary: `conv ${fmt(conv.parameters)} params / ${fmt(conv.products)} products; FC ${fmt(fc.parameters)} / ${fmt(fc.products)}`,
    agrees: 'erratum',
    lines,
    rows: [
      { id: '004-Q1a', summary: `Conv 8@5×5 on 7×16×16 → ${JSON.stringify(conv.outputShape.slice(1))}: ${fmt(conv.parameters)} params, ${fmt(conv.products)} products`, agrees: 'yes' },
      { id: '004-Q1b', summary: `FC ${fmt(inFeatures)} → ${fmt(outFeatures)}: ${fmt(fc.parameters)} params, ${fmt(fc.products)} products`, agrees: 'yes' },
      { id: '004-Q9', summary: `FC needs ${productRatio}× the products and ${parameterRatio}× the params of the conv`, agrees: 'erratum' },
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
