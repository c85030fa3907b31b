/**
 * toDot(): the recorded graph that leads to a tensor, as Graphviz DOT, for "draw the computational graph"
 * questions. Op nodes are boxes labelled with the op and its output shape; leaves are ellipses labelled with their
 * name (nn sets parameter names), shape and whether they require grad; edges run from inputs to the op that used them,
 * and an intermediate tensor with a name labels the edges it travels along (the "label the edges h, g, f" of an exam).
 * @module
 */
import type { Tensor } from '../tensor.js';
import { formatShape } from '../shape.js';
import type { TapeNode } from './tape.js';

/**
 * Options of {@link toDot}.
 * @example `toDot(tensor([1], { requiresGrad: true }).exp(), { name: 'g', maxValues: 4 }).startsWith('digraph "g"')  // true`
 */
export interface ToDotOptions {
  /** The graph's name (default 'tapegrad'). */
  name?: string;
  /**
   * Names for tensors not named with `tensor.name`, e.g. `new Map([[x, 'x'], [h, 'h']])`: a leaf's name is shown in
   * its ellipse, an intermediate tensor's on the edges from the op that made it to the ops that use it.
   */
  names?: Map<Tensor, string>;
  /** Show the values of tensors with at most this many elements (default 0: values are not shown). */
  maxValues?: number;
}

/**
 * The graph recorded for `output` as Graphviz DOT text (render it with `dot -Tsvg`).
 * @example
 * ```ts
 * import { tensor, toDot } from 'tapegrad';
 * const x = tensor([1, 2], { requiresGrad: true }); x.name = 'x';
 * const y = x.mul(x).sum();
 * console.log(toDot(y)); // digraph tapegrad { ... "mul" -> "sum" ... }
 * ```
 */
export function toDot(output: Tensor, options: ToDotOptions = {}): string {
  const { name = 'tapegrad', names = new Map<Tensor, string>(), maxValues = 0 } = options;
  const lines = [`digraph ${quote(name)} {`, '  rankdir=LR;', '  node [fontname="Helvetica", fontsize=11];'];
  const ids = new Map<Tensor | TapeNode, string>();
  const id = (key: Tensor | TapeNode, prefix: string) => {
    let v = ids.get(key);
    if (v === undefined) {
      v = `${prefix}${ids.size}`;
      ids.set(key, v);
    }
    return v;
  };
  const values = (t: Tensor) =>
    maxValues > 0 && t.size <= maxValues ? `\\n${JSON.stringify(Array.from(t.data, (v) => +v.toPrecision(6)))}` : '';
  const leaf = (t: Tensor): string => {
    const first = !ids.has(t);
    const leafId = id(t, 't');
    if (first) {
      const label = names.get(t) ?? t.name;
      const text = `${label ? label + '\\n' : ''}${formatShape(t.shape)}${t.requiresGrad ? ' requiresGrad' : ''}${values(t)}`;
      const style = t.requiresGrad ? 'filled", fillcolor="lightblue' : 'solid';
      lines.push(`  ${leafId} [shape=ellipse, style="${style}", label=${quote(text)}];`);
    }
    return leafId;
  };
  const root = output.node;
  if (root === null) {
    leaf(output);
  } else {
    const stack: TapeNode[] = [root];
    const seen = new Set<TapeNode>([root]);
    const nodes: TapeNode[] = [];
    while (stack.length > 0) {
      const node = stack.pop()!;
      nodes.push(node);
      for (const input of node.inputs) {
        if (input.node !== null && !seen.has(input.node)) {
          seen.add(input.node);
          stack.push(input.node);
        }
      }
    }
    nodes.sort((a, b) => a.seq - b.seq);
    for (const node of nodes) {
      lines.push(`  ${id(node, 'op')} [shape=box, style="rounded", label=${quote(`${node.op} ${formatShape(node.shape)}`)}];`);
    }
    for (const node of nodes) {
      node.inputs.forEach((input, i) => {
        const from = input.node !== null ? id(input.node, 'op') : leaf(input);
        const attrs: string[] = [];
        const edgeName = input.node !== null ? names.get(input) ?? input.name : undefined;
        if (edgeName) attrs.push(`label=${quote(edgeName)}`);
        // With several inputs the edge says which one it is (a - b is not b - a).
        if (node.inputs.length > 1) attrs.push(`headlabel=${quote(String(i))}`);
        lines.push(`  ${from} -> ${id(node, 'op')}${attrs.length > 0 ? ` [${attrs.join(', ')}]` : ''};`);
      });
    }
    lines.push(`  out [shape=plaintext, label=${quote(`${output.name ?? 'output'}\\n${formatShape(output.shape)}${values(output)}`)}];`);
    lines.push(`  ${id(root, 'op')} -> out;`);
  }
  lines.push('}');
  return lines.join('\n');
}

function quote(s: string): string {
  return `"${s.replace(/"/g, '\\"')}"`;
}
