/**
 * toString() of a tensor, printed the way PyTorch prints: `tensor([[1., 2.],\n        [3., 4.]], requires_grad=True)`.
 * @module
 */
import type { Tensor } from './tensor.js';

const THRESHOLD = 1000;
const EDGE = 3;

/** PyTorch's number format for a set of values: integers as `1.`, else 4 decimals, else scientific. */
function formatter(values: ArrayLike<number>): (v: number) => string {
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
  if (allInt) {
    return maxAbs > 1e8 ? sci : (v) => (Number.isFinite(v) ? `${v.toFixed(0)}.` : special(v));
  }
  if (maxAbs / minAbs > 1000 || maxAbs > 1e8 || minAbs < 1e-4) return sci;
  return (v) => (Number.isFinite(v) ? v.toFixed(4) : special(v));

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
  const fmt = formatter(shown);
  const width = Math.max(1, ...shown.map((v) => fmt(v).length));
  const cell = (v: number) => fmt(v).padStart(width);
  const render = (offset: number, d: number, indent: number): string => {
    if (d === shape.length) return cell(data[offset]);
    const stride = shape.slice(d + 1).reduce((p, s) => p * s, 1);
    const parts: string[] = [];
    for (const i of indices(shape[d], summarize)) {
      parts.push(i < 0 ? '...' : render(offset + i * stride, d + 1, indent + 1));
    }
    const sep = d === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - d - 1) + ' '.repeat(indent + 1);
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, 0, 'tensor('.length);
  const extras: string[] = [];
  if (t.size === 0) extras.push(`size=(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`);
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
