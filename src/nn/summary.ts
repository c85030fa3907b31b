/**
 * summary(model, inputShape): what each layer of a model does to one input — output shape, parameters,
 * multiply-accumulates — found by running one forward on zeros and watching the layers as they are called, as
 * torchinfo does for PyTorch.
 * @module
 */
import { Tensor } from '../tensor.js';
import { zeros } from '../creation.js';
import { noGrad } from '../autograd/tape.js';
import { type DType, checkDType } from '../dtype.js';
import { Module } from './module.js';

/**
 * One call of a leaf module (a module without children) during the summary's forward.
 * @example `nn.summary(new nn.Dense(4, 2), [1, 4]).rows[0].outputShape  // [1, 2]`
 */
export interface SummaryRow {
  /** The module's dotted name in the model ('0', 'features.3'; '' when the model itself is the leaf). */
  name: string;
  /** The module's describe(), e.g. 'Dense(1792 → 1152)'. */
  layer: string;
  /** The shape of what the call returned (null if it was not a tensor). */
  outputShape: number[] | null;
  /** The module's own parameter elements. */
  parameters: number;
  /** Multiply-accumulates of the call (Module.macs(input, output)). */
  macs: number;
}

/**
 * Options of {@link summary}.
 * @example `nn.summary(new nn.Dense(4, 2, { dtype: 'float64' }), [1, 4], { dtype: 'float64', print: false }).totalParameters  // 10`
 */
export interface SummaryOptions {
  /** dtype of the zeros fed to the model (default: the dtype of the model's first parameter, else float32). */
  dtype?: DType;
  /** Also print the table with console.log (default false: the table is `result.toString()`). */
  print?: boolean;
}

/** [1, 8, 12, 12], spaced as torchinfo prints shapes. */
function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** 1408 → '1,408': the thousands separators written out, so the table reads the same under every locale. */
export function formatCount(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

/**
 * The result of {@link summary}: a row per leaf-module call, in call order, and the totals. `toString()` gives the
 * table (columns as torchinfo's: layer, output shape, parameters, multiply-accumulates; then the totals).
 * @example
 * ```ts
 * import { nn } from 'tapegrad';
 * const s = nn.summary(new nn.Dense(4, 2), [1, 4]);
 * s.totalParameters; // 10
 * ```
 */
export class ModelSummary {
  constructor(
    /** The shapes of the inputs fed to the model. */
    readonly inputShapes: number[][],
    /** One row per call of a leaf module, in call order. */
    readonly rows: SummaryRow[],
    /** Parameter elements of the whole model, each parameter counted once even if shared. */
    readonly totalParameters: number,
    /** The part of totalParameters with requiresGrad. */
    readonly trainableParameters: number,
    /** The sum of the rows' multiply-accumulates. */
    readonly totalMacs: number,
  ) {}

  /** The table, one line per row, then the totals. */
  toString(): string {
    const head = ['Layer (type)', 'Output shape', 'Param #', 'MACs'];
    const body = this.rows.map((r) => [
      r.name === '' ? r.layer : `${r.name} (${r.layer})`,
      r.outputShape ? shapeText(r.outputShape) : '?',
      formatCount(r.parameters),
      formatCount(r.macs),
    ]);
    const widths = head.map((h, c) => Math.max(h.length, ...body.map((row) => row[c].length)));
    // Text columns are left-aligned, the counts right-aligned so their digits line up.
    const line = (cells: string[]) =>
      cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('   ').trimEnd();
    const width = widths.reduce((a, b) => a + b, 0) + 3 * (widths.length - 1);
    const heavy = '='.repeat(width);
    const light = '-'.repeat(width);
    return [
      heavy,
      line(head),
      heavy,
      ...body.map(line),
      heavy,
      `Input shape: ${this.inputShapes.map(shapeText).join(', ')}`,
      `Total params: ${formatCount(this.totalParameters)}`,
      `Trainable params: ${formatCount(this.trainableParameters)}`,
      `Non-trainable params: ${formatCount(this.totalParameters - this.trainableParameters)}`,
      `Total MACs: ${formatCount(this.totalMacs)}`,
      light,
    ].join('\n');
  }
}

/**
 * Runs one forward of `model` on zeros of `inputShape` (several inputs: an array of shapes) and reports, for every
 * call of a leaf module (one without children) in call order, its name, its describe(), its output shape, its own
 * parameters and its multiply-accumulates (Module.macs); and the totals, parameters counted once. The forward runs
 * under noGrad and in eval mode (so BatchNorm's running statistics are not updated and Dropout draws nothing from
 * any generator); each module's mode is restored afterwards, and the model is left exactly as it was.
 *
 * The calls are observed by giving each module instance, for the duration of the forward, its own `forward` property
 * that wraps the one it had (removed afterwards, also when the forward throws).
 * @param model the model
 * @param inputShape the shape of the input, batch dim included, e.g. [1, 1, 28, 28]; or an array of shapes
 * @example
 * ```ts
 * import { nn } from 'tapegrad';
 * const model = new nn.Sequential(new nn.Flatten(), new nn.Dense(784, 128), new nn.ReLU(), new nn.Dense(128, 10));
 * const s = nn.summary(model, [1, 1, 28, 28]);
 * s.totalParameters;  // 101770 (784·128 + 128 + 128·10 + 10)
 * s.rows[1].macs;     // 100352 (784·128)
 * console.log(s.toString()); // the table
 * ```
 */
export function summary(model: Module, inputShape: readonly number[] | readonly (readonly number[])[], options: SummaryOptions = {}): ModelSummary {
  if (!(model instanceof Module)) throw new TypeError('summary: model must be an nn.Module');
  const shapes = parseShapes(inputShape);
  const { print = false } = options;
  if (typeof print !== 'boolean') throw new TypeError(`summary: print must be a boolean, got ${String(print)}`);
  const params = model.parameters();
  const dtype = options.dtype === undefined ? (params[0]?.dtype ?? 'float32') : checkDType(options.dtype, 'summary');

  const rows: SummaryRow[] = [];
  const modes = new Map<Module, boolean>();
  const patched: Array<[Module, PropertyDescriptor | undefined]> = [];
  try {
    for (const [name, m] of model.namedModules()) {
      if (modes.has(m)) continue; // a module reachable under two names is watched once, under its first name
      modes.set(m, m.training);
      const leaf = m.namedChildren().length === 0;
      const own = Object.getOwnPropertyDescriptor(m, 'forward');
      const inner = m.forward;
      // Recorded after the call returns, so a row is only added for a call that completed.
      const watched = function (this: Module, ...inputs: Tensor[]): Tensor {
        const output = inner.apply(this, inputs);
        if (leaf) {
          const input = inputs[0];
          const isTensor = output instanceof Tensor;
          rows.push({
            name,
            layer: m.describe(),
            outputShape: isTensor ? output.shape.slice() : null,
            parameters: m.numParameters(),
            macs: isTensor && input instanceof Tensor ? m.macs(input, output) : 0,
          });
        }
        return output;
      };
      Object.defineProperty(m, 'forward', { value: watched, writable: true, configurable: true, enumerable: false });
      patched.push([m, own]);
    }
    model.eval();
    const inputs = shapes.map((s) => zeros(s, { dtype }));
    noGrad(() => model.forward(...inputs));
  } finally {
    for (const [m, own] of patched) {
      if (own) Object.defineProperty(m, 'forward', own);
      else delete (m as { forward?: unknown }).forward;
    }
    for (const [m, training] of modes) m.training = training;
  }

  const totalParameters = params.reduce((n, p) => n + p.size, 0);
  const trainableParameters = params.reduce((n, p) => n + (p.requiresGrad ? p.size : 0), 0);
  const totalMacs = rows.reduce((n, r) => n + r.macs, 0);
  const result = new ModelSummary(shapes, rows, totalParameters, trainableParameters, totalMacs);
  if (print) console.log(result.toString());
  return result;
}

function parseShapes(inputShape: readonly number[] | readonly (readonly number[])[]): number[][] {
  if (!Array.isArray(inputShape) || inputShape.length === 0) {
    throw new TypeError(`summary: inputShape must be a shape such as [1, 3, 32, 32] or an array of shapes, got ${JSON.stringify(inputShape)}`);
  }
  const shapes = (Array.isArray(inputShape[0]) ? inputShape : [inputShape]) as unknown[];
  return shapes.map((s) => {
    if (!Array.isArray(s) || !s.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new RangeError(`summary: an input shape must be an array of non-negative integers, got ${JSON.stringify(s)}`);
    }
    return s.slice() as number[];
  });
}
