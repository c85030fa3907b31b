/**
 * toString() of a tensor, printed the way PyTorch prints: `tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)`.
 * @module
 */
import type { Tensor } from './tensor.js';

const THRESHOLD = 1000;
const EDGE = 3;
const LINE_WIDTH = 80;

/**
 * PyTorch's number format for a set of values: integers as `1.`, else 4 decimals, else scientific (when the
 * magnitudes span more than 1000×, or reach 1e8, or non-integers go below 1e-4). Its `width` comes from the finite
 * non-zero values only, as in PyTorch (so a `nan` does not widen the other cells).
 */
function formatter(values: ArrayLike<number>): { fmt: (v: number) => string; width: number } {
  let allInt = true;
  let maxAbs = 0;
  let minAbs = Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (!Number.isInteger(v)) allInt = false;
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
    if (a !== 0 && a < minAbs) minAbs = a;
  }
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const wide = maxAbs / minAbs > 1000 || maxAbs > 1e8;
  const fmt = allInt
    ? wide ? sci : (v: number) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v))
    : wide || minAbs < 1e-4 ? sci : (v: number) => (Number.isFinite(v) ? v.toFixed(4) : special(v));
  let width = 1;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i]) && values[i] !== 0) width = Math.max(width, fmt(values[i]).length);
  }
  return { fmt, width };

  function sci(v: number): string {
    if (!Number.isFinite(v)) return special(v);
    const [mantissa, exponent] = v.toExponential(4).split('e');
    const sign = exponent[0] === '-' ? '-' : '+';
    return `${mantissa}e${sign}${exponent.replace(/^[+-]/, '').padStart(2, '0')}`;
  }
}

/** The PyTorch-style printout of a tensor. */
export function formatTensor(t: Tensor): string {
  const { data, shape } = t;
  const summarize = t.size > THRESHOLD;
  // Only the printed values decide the number format.
  const shown: number[] = [];
  const visit = (offset: number, d: number) => {
    if (d === shape.length) return shown.push(data[offset]);
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    for (const i of indices(shape[d], summarize)) visit(offset + i * stride, d + 1);
  };
  visit(0, 0);
  const { fmt, width } = formatter(shown);
  const cell = (v: number) => fmt(v).padStart(width);
  const render = (offset: number, d: number, indent: number): string => {
    if (d === shape.length) return cell(data[offset]);
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const parts: string[] = [];
    const last = d === shape.length - 1;
    for (const i of indices(shape[d], summarize)) {
      parts.push(i < 0 ? (last ? ' ...' : '...') : render(offset + i * stride, d + 1, indent + 1));
    }
    if (!last) return `[${parts.join(',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + 1))}]`;
    // A row wraps to lines of as many cells (plus ', ') as fit in 80 columns.
    const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
    const lines: string[] = [];
    for (let k = 0; k < parts.length; k += perLine) lines.push(parts.slice(k, k + perLine).join(', '));
    return `[${lines.join(',\n' + ' '.repeat(indent + 1))}]`;
  };
  const body = t.size === 0 ? '[]' : render(0, 0, 'tensor('.length);
  const extras: string[] = [];
  // PyTorch shows the size of an empty tensor unless it is 1-D.
  if (t.size === 0 && shape.length !== 1) extras.push(`size=(${shape.join(', ')})`);
  if (t.dtype === 'float64') extras.push('dtype=float64');
  if (t.node !== null) extras.push(`grad_fn=<${t.node.op}>`);
  else if (t.requiresGrad) extras.push('requires_grad=True');
  return `tensor(${body}${extras.map((e) => ', ' + e).join('')})`;
}

/** The indices printed along a dim of size n: all of them, or the first and last EDGE around a -1 ('...'). */
function indices(n: number, summarize: boolean): number[] {
  if (!summarize || n <= 2 * EDGE) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: EDGE }, (_, i) => i), -1, ...Array.from({ length: EDGE }, (_, i) => n - EDGE + i)];
}
