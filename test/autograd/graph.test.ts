import { describe, expect, it } from 'vitest';
import { Tensor, tensor, toDot } from '../../src/index.js';

interface DotNode { id: string; shape: string; label: string }
interface Dot { nodes: DotNode[]; edges: Array<[string, string]> }

/** A minimal reader of the DOT subset toDot writes: node statements and `a -> b` edges. */
function parseDot(text: string): Dot {
  const nodes: DotNode[] = [];
  const edges: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    const edge = /^\s*(\w+)\s*->\s*(\w+)/.exec(line);
    if (edge) {
      edges.push([edge[1], edge[2]]);
      continue;
    }
    const node = /^\s*(\w+)\s*\[shape=(\w+).*label="((?:[^"\\]|\\.)*)"/.exec(line);
    if (node) nodes.push({ id: node[1], shape: node[2], label: node[3] });
  }
  return { nodes, edges };
}

function expectValidDigraph(text: string): void {
  expect(text.startsWith('digraph')).toBe(true);
  expect(text.trimEnd().endsWith('}')).toBe(true);
  // braces balance and never close before they open (quoted labels contain none here)
  let depth = 0;
  for (const ch of text) {
    if (ch === '{') depth++;
    if (ch === '}') depth--;
    expect(depth).toBeGreaterThanOrEqual(0);
  }
  expect(depth).toBe(0);
  // every statement line inside the braces ends with ';'
  const body = text.split('\n').slice(1, -1);
  for (const line of body) expect(line.trim().endsWith(';')).toBe(true);
}

function smallGraph(): { x: Tensor; w: Tensor; b: Tensor; y: Tensor } {
  const x = tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
  const w = tensor([0.5, -1, 2], { requiresGrad: true });
  const b = tensor([1], { requiresGrad: true });
  x.name = 'x';
  w.name = 'weight';
  const y = x.mul(w).add(b).sum();
  return { x, w, b, y };
}

describe('toDot', () => {
  it('draws one box per op with its name and output shape', () => {
    const { y } = smallGraph();
    const text = toDot(y);
    expectValidDigraph(text);
    const boxes = parseDot(text).nodes.filter((n) => n.shape === 'box');
    expect(boxes.map((n) => n.label).sort()).toEqual(['add [2,3]', 'mul [2,3]', 'sum []']);
  });

  it('draws leaves as ellipses labelled with tensor.name or the names option, and their shapes', () => {
    const { b, y } = smallGraph();
    const dot = parseDot(toDot(y, { names: new Map([[b, 'bias']]) }));
    const leaves = dot.nodes.filter((n) => n.shape === 'ellipse').map((n) => n.label);
    expect(leaves).toHaveLength(3);
    expect(leaves.some((l) => l.startsWith('x\\n[2,3]'))).toBe(true);
    expect(leaves.some((l) => l.startsWith('weight\\n[3]'))).toBe(true);
    expect(leaves.some((l) => l.startsWith('bias\\n[1]'))).toBe(true);
    for (const l of leaves) expect(l).toMatch(/requiresGrad/);
  });

  it('has an edge from each input to the op that used it, and from the last op to the output', () => {
    const { y } = smallGraph();
    const dot = parseDot(toDot(y));
    const label = new Map(dot.nodes.map((n) => [n.id, n.label.split('\\n')[0]]));
    const named = dot.edges.map(([a, b]) => `${label.get(a)} -> ${label.get(b)}`).sort();
    // b has no name: its label starts with its shape
    expect(named).toEqual([
      '[1] requiresGrad -> add [2,3]',
      'add [2,3] -> sum []',
      'mul [2,3] -> add [2,3]',
      'sum [] -> output',
      'weight -> mul [2,3]',
      'x -> mul [2,3]',
    ]);
  });

  it('labels the edges an intermediate tensor travels along with its name (tensor.name or the names option)', () => {
    // h = x·2 feeds g = h·h (as both inputs) and the add; g is named through the option; the rest are unnamed
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.mul(2);
    h.name = 'h';
    const g = h.mul(h);
    const text = toDot(g.add(h).sum(), { names: new Map([[g, 'g']]) });
    const boxes = new Map(parseDot(text).nodes.filter((n) => n.shape === 'box').map((n) => [n.id, n.label.split(' ')[0]]));
    const labelled = [...text.matchAll(/(op\d+) -> (op\d+) \[label="(\w+)"/g)].map(([, a, b, name]) => `${name}: ${boxes.get(a)} -> ${boxes.get(b)}`);
    // h reaches mul twice (both inputs) and add once; g reaches add; the edge add -> sum carries no name
    expect(labelled.sort()).toEqual(['g: mul -> add', 'h: mul -> add', 'h: mul -> mul', 'h: mul -> mul']);
    // a named leaf keeps its name in the ellipse, not on its edge
    x.name = 'x';
    const leafOnly = toDot(x.mul(2));
    expect(leafOnly).toMatch(/shape=ellipse[^\]]*label="x\\n/);
    expect(leafOnly).not.toMatch(/-> op\d+ \[label=/);
  });

  it('a tensor used twice is one leaf with two edges into the op', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const dot = parseDot(toDot(x.mul(x)));
    const leaves = dot.nodes.filter((n) => n.shape === 'ellipse');
    expect(leaves).toHaveLength(1);
    const op = dot.nodes.find((n) => n.shape === 'box')!;
    expect(dot.edges.filter(([a, b]) => a === leaves[0].id && b === op.id)).toHaveLength(2);
  });

  it('a shared non-leaf is drawn once', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const h = x.exp();
    const dot = parseDot(toDot(h.mul(h).add(h)));
    expect(dot.nodes.filter((n) => n.label.startsWith('exp'))).toHaveLength(1);
    expect(dot.nodes.filter((n) => n.shape === 'box')).toHaveLength(3);
  });

  it('works after backward freed the graph', () => {
    const { y } = smallGraph();
    const before = toDot(y);
    y.backward();
    const after = toDot(y);
    expectValidDigraph(after);
    expect(after).toBe(before);
  });

  it('uses the name option as the graph name and shows small values with maxValues', () => {
    const x = tensor([1.5, 2], { requiresGrad: true });
    const text = toDot(x.mul(2), { name: 'my graph', maxValues: 4 });
    expect(text.startsWith('digraph "my graph" {')).toBe(true);
    expect(text).toMatch(/\[1\.5,2\]/); // x's values
    expect(text).toMatch(/\[3,4\]/); // the output's values
  });

  it('a tensor that is not the result of an op is a single leaf', () => {
    const x = tensor([1, 2, 3]);
    const text = toDot(x);
    expectValidDigraph(text);
    const dot = parseDot(text);
    expect(dot.nodes).toHaveLength(1);
    expect(dot.nodes[0].shape).toBe('ellipse');
    expect(dot.nodes[0].label).toBe('[3]');
    expect(dot.edges).toHaveLength(0);
  });

  it('escapes quotes in names', () => {
    const x = tensor([1], { requiresGrad: true });
    x.name = 'say "hi"';
    const text = toDot(x.mul(2));
    expect(text).toContain('say \\"hi\\"');
    expectValidDigraph(text);
  });
});
