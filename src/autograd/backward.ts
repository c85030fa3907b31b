/**
 * backward(): replays the part of the tape that leads to a tensor, in descending sequence order, without recursion.
 * Gradients of non-leaves are summed per node; gradients of leaves, and of non-leaves that called retainGrad(),
 * accumulate into `.grad` (PyTorch semantics).
 * This is the one place where a broadcast gradient is reduced to its input's shape and where a rule's result is
 * checked.
 * @module
 */
import { AutogradError } from '../errors.js';
import { formatShape, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { TapeNode, enableGrad, noDoubleBackwardMessage, noGrad } from './tape.js';
import { firstNonFinite, isAnomalyEnabled, reportAnomaly, runBackwardRule } from './anomaly.js';
import { empty, onesLike } from '../creation.js';
import { sumToShape } from '../ops/reduce.js';
import { add } from '../ops/binary.js';
import { clone } from '../ops/movement.js';

/**
 * Options of {@link Tensor.backward}.
 * @example `tensor([2], { requiresGrad: true }).pow(3).sum().backward(undefined, { createGraph: true })`
 */
export interface BackwardOptions {
  /** Keep the graph's saved values so that backward can run through it again (default false). */
  retainGraph?: boolean;
  /**
   * Record the backward itself, so that the gradients are differentiable (second derivatives); implies
   * `retainGraph` unless it is given (default false).
   */
  createGraph?: boolean;
}

/** Back-propagates from `root`; see {@link Tensor.backward}. */
export function backward(root: Tensor, gradient?: Tensor, options: BackwardOptions = {}): void {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  if (!root.requiresGrad) {
    throw new AutogradError('backward: this tensor does not require grad (no input of the ops that made it has requiresGrad: true), so there is nothing to differentiate');
  }
  let seed: Tensor;
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new AutogradError(`backward: a gradient can be implied only for a one-element output, this one has shape ${formatShape(root.shape)}; pass the gradient of the output, e.g. y.backward(onesLike(y))`);
    }
    seed = onesLike(root);
  } else {
    if (!shapesEqual(gradient.shape, root.shape) || gradient.dtype !== root.dtype) {
      throw new AutogradError(`backward: the gradient has shape ${formatShape(gradient.shape)} (${gradient.dtype}) but the output has shape ${formatShape(root.shape)} (${root.dtype})`);
    }
    seed = gradient;
  }
  const run = () => replay(root, seed, createGraph, retainGraph);
  if (createGraph) enableGrad(run);
  else noGrad(run);
}

/** The nodes that lead to `root`, newest first. */
function collect(root: TapeNode): TapeNode[] {
  const seen = new Set<TapeNode>([root]);
  const stack = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const input of node.inputs) {
      const n = input.node;
      if (n !== null && input.requiresGrad && !seen.has(n)) {
        seen.add(n);
        stack.push(n);
      }
    }
  }
  return [...seen].sort((a, b) => b.seq - a.seq);
}

function replay(root: Tensor, seed: Tensor, createGraph: boolean, retainGraph: boolean): void {
  if (root.node === null) {
    checkStoredGrad(root, seed);
    accumulateGrad(root, seed, createGraph);
    return;
  }
  const order = collect(root.node);
  for (const node of order) {
    if (!node.retained) {
      throw new AutogradError(`backward: the graph through ${node.op} was already freed by an earlier backward(); pass { retainGraph: true } to the first backward() to go through it twice`);
    }
    // Every collected node runs, so an op whose rule cannot be recorded is known to fail before anything does.
    if (createGraph && node.noDoubleBackward !== null) {
      throw new AutogradError(`${noDoubleBackwardMessage(node)}; nothing was changed (a backward() without createGraph still works)`);
    }
  }
  const pending = new Map<TapeNode, Tensor>([[root.node, seed]]);
  // non-leaves that asked for their gradient (retainGrad), by the node that made them; a node has one output
  const retaining = new Map<TapeNode, Tensor>();
  if (root.retainsGrad) retaining.set(root.node, root);
  // Nothing the caller can see changes until every rule has run and every gradient has passed its checks (§4:
  // nothing half-done): the accumulations into .grad are staged here, in order, and the nodes are freed after them.
  const targets: Tensor[] = [];
  const staged: Tensor[] = [];
  for (const node of order) {
    const dy = pending.get(node);
    if (dy === undefined) continue;
    pending.delete(node);
    // dy is complete here: every node that uses this one's output is newer, so it has already run
    const retainer = retaining.get(node);
    if (retainer !== undefined) {
      targets.push(retainer);
      staged.push(dy);
    }
    const grads = runBackwardRule(() => node.apply(dy));
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const input = inputs[i];
      if (!input.requiresGrad) continue;
      const raw = grads[i];
      if (raw === null || raw === undefined) {
        throw new AutogradError(`${node.op}: backward returned no gradient for input ${i}, which requires grad`);
      }
      const g = checkGradient(node, i, input, raw);
      if (input.node === null) {
        targets.push(input);
        staged.push(g);
      } else {
        const previous = pending.get(input.node);
        pending.set(input.node, previous === undefined ? g : add(previous, g));
        if (input.retainsGrad) retaining.set(input.node, input);
      }
    }
  }
  for (let k = 0; k < targets.length; k++) checkStoredGrad(targets[k], staged[k]);
  // Commit; nothing here can throw. (Under createGraph the sums are recorded adds: as a rule's ops, they are not
  // checked one by one by anomaly detection, which could otherwise stop the commit halfway.)
  runBackwardRule(() => {
    for (let k = 0; k < targets.length; k++) accumulateGrad(targets[k], staged[k], createGraph);
  });
  if (!retainGraph) for (const node of order) node.free();
}

/** A .grad set by hand to another shape or dtype cannot take the new gradient: refused before anything is written. */
function checkStoredGrad(t: Tensor, g: Tensor): void {
  const stored = t.grad;
  if (stored !== null && (stored.dtype !== g.dtype || !shapesEqual(stored.shape, g.shape))) {
    throw new AutogradError(`backward: a tensor of shape ${formatShape(t.shape)} (${t.dtype}) holds a .grad of shape ${formatShape(stored.shape)} (${stored.dtype}), which cannot accumulate its gradient; set .grad = null first`);
  }
}

/** Reduces a broadcast gradient to the input's shape and checks shape, dtype and (in anomaly mode) finiteness. */
function checkGradient(node: TapeNode, i: number, input: Tensor, raw: Tensor): Tensor {
  let g = raw;
  if (!shapesEqual(g.shape, input.shape)) {
    try {
      g = sumToShape(g, input.shape);
    } catch {
      throw new AutogradError(`${node.op}: backward returned a gradient of shape ${formatShape(raw.shape)} for input ${i} of shape ${formatShape(input.shape)}`);
    }
  }
  if (g.dtype !== input.dtype) {
    throw new AutogradError(`${node.op}: backward returned a ${g.dtype} gradient for input ${i}, which is ${input.dtype}`);
  }
  if (isAnomalyEnabled()) {
    const bad = firstNonFinite(g.data);
    if (bad >= 0) reportAnomaly(node.op, 'backward', g.data[bad], bad, node.stack, i);
  }
  return g;
}

/**
 * `t.grad += g` (t is a leaf, or a non-leaf that retains its gradient): in place when nothing else can see the
 * stored gradient, recorded when createGraph is on.
 */
function accumulateGrad(t: Tensor, g: Tensor, createGraph: boolean): void {
  if (t.grad === null) {
    // NOTE: g may be a tensor that other nodes also hold (add's backward passes dy through), so the first stored
    // gradient is a copy that later accumulations may update in place. A plain storage copy (TypedArray.set, a
    // memcpy) rather than the clone op where nothing needs recording, as the op's per-element loop showed in
    // profiles; under createGraph a g that is part of the graph is cloned with the op, so the copy stays in it.
    if (createGraph && g.requiresGrad) {
      t.grad = clone(g);
    } else {
      const copy = empty(g.shape, g.dtype);
      copy.data.set(g.data);
      t.grad = copy;
    }
  } else if (createGraph || t.grad.requiresGrad) {
    t.grad = add(t.grad, g);
  } else {
    const acc = t.grad.data;
    const src = g.data;
    for (let k = 0; k < acc.length; k++) acc[k] += src[k];
  }
}
