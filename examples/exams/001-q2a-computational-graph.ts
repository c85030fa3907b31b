/**
 * Exam 001, Problem 2(a): draw the computational graph of the layer h = W_k x, g = h + b, f = max(αg, g),
 * L = ½‖f − y‖², with the edges labelled h, g and f. The student's drawing is not in the scan.
 *
 * The graph here is the one tapegrad records: the loss of 001-Q2b (its exported `layerLoss`, unchanged) is evaluated
 * on the 001-Q2b instance and the tape is read back: its op sequence, the Graphviz DOT text from `toDot`, the order in
 * which backward() visits the nodes, and the gradient that flows along each edge. x is passed as a batch of one row,
 * so that W_k x is a single matmul node (x·W_kᵀ = (W_k x)ᵀ); a 1-D x would add layout nodes (permute, reshape) around it.
 *
 * Backward's visits are observed without changing the graph: each recorded node's `apply` (the method backward()
 * calls to run the node's rule) is wrapped to note the node and the upstream gradient dy it receives; dy of the node
 * that made h is dL/dh, the gradient along edge h (001-Q2b reads the same gradients with retainGrad(); the wrapper
 * here also gives the order of the visits).
 */
import { Generator, type Tensor, type TapeNode, randn, tensor, toDot } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';
import { inputs as q2bInputs, layerLoss, run as runQ2b } from './001-q2b-backprop-leaky-layer.js';

export const meta = {
  id: '001-Q2a',
  title: 'draw the computational graph of h = W_k x, g = h + b, f = max(αg, g), L = ½‖f − y‖² (the student\'s drawing is missing)',
};

/** Which forward op's output is which of the document's edge labels (toDot writes the label on that edge). */
export const EDGE_OF_OP: Record<string, string> = { matmul: 'h', add: 'g', leakyRelu: 'f' };

export interface LayerInstance {
  W: number[][];
  x: number[];
  b: number[];
  y: number[];
  alpha: number;
}

/** The 001-Q2b instance without a seed; with one, W [2, 3], x, b, y drawn from N(0, 1) by `new Generator(seed)`. */
export function instance(seed?: number): LayerInstance {
  if (seed === undefined) return { ...q2bInputs };
  const generator = new Generator(seed);
  const draw = (shape: number[]) => randn(shape, { dtype: 'float64', generator });
  return {
    W: draw([2, 3]).toArray() as number[][],
    x: Array.from(draw([3]).data), b: Array.from(draw([2]).data), y: Array.from(draw([2]).data),
    alpha: q2bInputs.alpha,
  };
}

/** One visit of backward(): the node's op, its tape sequence number, and the gradient dy it received. */
export interface Visit {
  op: string;
  seq: number;
  dy: number[];
}

export interface GraphResult {
  seed: number | null;
  input: LayerInstance;
  /** The recorded ops leading to L, in forward (tape) order. */
  forwardOps: string[];
  forwardSeqs: number[];
  /** For each recorded op, the ops (or 'leaf:<name>') its inputs come from. */
  edges: Array<{ op: string; from: string[] }>;
  /** backward()'s visits, in the order they happened. */
  visits: Visit[];
  dot: string;
  h: number[];
  g: number[];
  f: number[];
  loss: number;
  /** The gradients along the edges h, g and f: the dy that the node consuming each of them received back. */
  dLdh: number[];
  dLdg: number[];
  dLdf: number[];
  dLdW: number[][];
  dLdb: number[];
  dLdx: number[];
}

const f64 = { dtype: 'float64' } as const;

/** The nodes recorded for `root`, in tape order. */
function recordedNodes(root: TapeNode): TapeNode[] {
  const seen = new Set<TapeNode>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const input of node.inputs) {
      if (input.node !== null && !seen.has(input.node)) {
        seen.add(input.node);
        stack.push(input.node);
      }
    }
  }
  return [...seen].sort((a, b) => a.seq - b.seq);
}

/** Records the layer's graph on `input`, renders it with toDot, then runs backward() and watches its visits. */
export function recordGraph(input: LayerInstance, seed: number | null = null): GraphResult {
  const W = tensor(input.W, { ...f64, requiresGrad: true });
  const x = tensor([input.x], { ...f64, requiresGrad: true });
  const b = tensor(input.b, { ...f64, requiresGrad: true });
  const y = tensor([input.y], f64);
  [W.name, x.name, b.name, y.name] = ['W_k', 'x', 'b', 'y'];
  const L = layerLoss(W, b, x, y, input.alpha);
  L.name = 'L';

  const nodes = recordedNodes(L.node!);
  const leafName = (t: Tensor) => t.name ?? (t.size === 1 ? `constant ${t.data[0]}` : 'unnamed');
  const label = (t: Tensor) => (t.node !== null ? `${t.node.op}#${t.node.seq}` : `leaf:${leafName(t)}`);
  const edges = nodes.map((n) => ({ op: `${n.op}#${n.seq}`, from: n.inputs.map(label) }));

  // A node does not keep its output, but the node after it holds that output as an input.
  const consumerOf = (op: string) => nodes.find((n) => n.inputs.some((t) => t.node?.op === op))!;
  const outputOf = (op: string) => consumerOf(op).inputs.find((t) => t.node?.op === op)!;
  const edgeNames = new Map(Object.entries(EDGE_OF_OP).map(([op, edge]) => [outputOf(op), edge]));
  const [h, g, f] = ['matmul', 'add', 'leakyRelu'].map((op) => Array.from(outputOf(op).data));
  // The question's edge labels h, g, f go on the edges; values fit in the picture (no tensor here exceeds 6 elements).
  const dot = toDot(L, { name: '001-Q2a', names: edgeNames, maxValues: 6 });

  const visits: Visit[] = [];
  for (const node of nodes) {
    const apply = node.apply.bind(node);
    node.apply = (dy: Tensor) => {
      visits.push({ op: node.op, seq: node.seq, dy: Array.from(dy.data) });
      return apply(dy);
    };
  }
  L.backward();

  const dyOf = (op: string) => visits.find((v) => v.op === op)!.dy;
  return {
    seed, input,
    forwardOps: nodes.map((n) => n.op), forwardSeqs: nodes.map((n) => n.seq), edges, visits, dot,
    h, g, f, loss: L.item(),
    // The node that made h receives dL/dh as its dy, and likewise for g and f.
    dLdh: dyOf('matmul'), dLdg: dyOf('add'), dLdf: dyOf('leakyRelu'),
    dLdW: W.grad!.toArray() as number[][], dLdb: Array.from(b.grad!.data), dLdx: Array.from(x.grad!.data),
  };
}

/** The labelled edges of the DOT text, as `h = op0 (matmul) -> op1 (add)`, read back from what toDot wrote. */
function edgeLegend(dot: string): string[] {
  const opOf = new Map([...dot.matchAll(/^\s*(op\d+) \[shape=box[^\]]*label="(\w+) /gm)].map((m) => [m[1], m[2]]));
  return [...dot.matchAll(/^\s*(op\d+) -> (op\d+) \[label="(\w+)"/gm)]
    .map(([, from, to, edge]) => `${edge} = ${from} (${opOf.get(from)}) -> ${to} (${opOf.get(to)})`);
}

const f4 = (v: number) => v.toFixed(4);
const vec = (a: readonly number[]) => `(${a.map(f4).join(', ')})`;

export function run(options: { seed?: number } = {}): ExampleResult & GraphResult & { q2bAgrees: boolean } {
  const seed = options.seed ?? null;
  const r = recordGraph(instance(options.seed), seed);
  // On the document's instance the tape's gradients are 001-Q2b's (which reads them by other means: retainGrad()).
  let q2bAgrees = true;
  if (seed === null) {
    const q = runQ2b();
    const same = (a: number[], c: number[]) => a.every((v, i) => Math.abs(v - c[i]) <= 1e-12);
    q2bAgrees = same(r.dLdh, q.dLdh) && same(r.dLdg, q.dLdg) && same(r.dLdb, q.dLdb) && same(r.dLdW.flat(), q.dLdW.flat());
  }
  const chain = r.forwardOps.join(' → ');
  const visited = r.visits.map((v) => v.op).join(' → ');
  return {
    ...r, q2bAgrees,
    summary: `tape: ${chain}; backward visits ${visited}; dL/dh = dL/dg = ${vec(r.dLdg)}`,
    agrees: 'no answer given',
    lines: [
      '001-Q2a: "Draw a computational graph for this neural network layer. Label the edges with f, g, and h" '
        + '(h = W_k x, g = h + b, f = max(αg, g), L = ½‖f − y‖²)',
      seed === null
        ? `inputs: the 001-Q2b instance, W_k = ${JSON.stringify(r.input.W)}, x = ${vec(r.input.x)}, b = ${vec(r.input.b)}, y = ${vec(r.input.y)}, α = ${r.input.alpha}`
        : `inputs: W_k [2, 3], x, b, y drawn from N(0, 1) by Generator(${seed}); α = ${r.input.alpha}`,
      'graph: the loss of 001-Q2b (layerLoss: Dense-style x·W_kᵀ, + b, LeakyReLU(α) = max(αg, g) for 0 < α < 1, ½·sum of squares)',
      `  recorded ops, in tape order: ${chain} (sequence numbers ${r.forwardSeqs.join(', ')})`,
      `  edges: ${r.edges.map((e) => `${e.from.join(' & ')} → ${e.op}`).join('; ')}`,
      `  edge labels of the question: ${edgeLegend(r.dot).join('; ')}`,
      `  forward: h = ${vec(r.h)}, g = ${vec(r.g)}, f = ${vec(r.f)}, L = ${r.loss.toFixed(6)}`,
      'toDot (Graphviz DOT; render with dot -Tsvg):',
      ...r.dot.split('\n').map((l) => `  ${l}`),
      `backward: visits ${visited} (sequence numbers ${r.visits.map((v) => v.seq).join(', ')}): the tape in reverse`,
      `  gradients along the edges: dL/df = ${vec(r.dLdf)}, dL/dg = ${vec(r.dLdg)}, dL/dh = ${vec(r.dLdh)} (h → g is an addition, so dL/dh = dL/dg)`,
      `  leaves: dL/db = ${vec(r.dLdb)} (= dL/dg), dL/dW_k = ${JSON.stringify(r.dLdW.map((row) => row.map((v) => +v.toFixed(4))))} (= dL/dh xᵀ), dL/dx = ${vec(r.dLdx)}`,
      ...(seed === null ? [`  the same gradients as 001-Q2b: ${q2bAgrees ? 'yes' : 'NO'}`] : []),
      'result: x and W_k meet at a matmul (edge h), b joins at an add (edge g), max(α·, ·) gives f, and ½‖f − y‖² closes the graph',
      'document: the drawing is not in the scan; only its notes survive, "max is a shorthand for J(x) = max(αx, x)" and '
        + '"½‖·‖² is a shorthand for J(x) = ½‖x − y‖²" (OCR corrected), which match the leakyRelu node and the sub/square/sum/×½ tail (no drawing to compare)',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
