/**
 * The tape: the ordered record of operations. Each op applied to a tensor that requires grad appends a
 * {@link TapeNode} with the next sequence number; the node is owned by the op's output (`tensor.node`) and holds the
 * op's inputs, so a graph lives exactly as long as someone references its output. Nothing global keeps a graph
 * alive, which is why tapegrad needs no `dispose()`.
 * @module
 */
import type { Tensor } from '../tensor.js';
import { AutogradError } from '../errors.js';

/**
 * The context an op's backward rule receives.
 * @example
 * ```ts
 * import { defineOp, tensor, type Tensor } from 'tapegrad';
 * const scale = defineOp<[Tensor], { k: number }>({
 *   name: 'scale',
 *   forward: ([x], { k }) => x.mul(k),
 *   // d(kx) = k dx; ctx.attrs holds k, ctx.needsInputGrad[0] says whether x wants a gradient
 *   backward: (dy, ctx) => [ctx.needsInputGrad[0] ? dy.mul(ctx.attrs.k) : null],
 * });
 * const x = tensor([1, 2], { requiresGrad: true });
 * scale(x, { k: 3 }).sum().backward();
 * x.grad!.toArray(); // [3, 3]
 * ```
 */
export interface BackwardContext<A = unknown, S = unknown> {
  /** The op's tensor inputs, as they were given. */
  readonly inputs: readonly Tensor[];
  /** The op's output (`y` in the derivative comments). */
  readonly output: Tensor;
  /** The op's non-tensor arguments. */
  readonly attrs: A;
  /** What the forward chose to keep for the backward. */
  readonly saved: S;
  /** For each input, whether a gradient is wanted; a rule may skip the others and return null for them. */
  readonly needsInputGrad: readonly boolean[];
}

/**
 * A backward rule: the gradient of each input from the output's gradient `dy` (null where none is needed).
 * @example
 * ```ts
 * import type { BackwardRule } from 'tapegrad';
 * // d(−x) = −dx
 * const negRule: BackwardRule = (dy) => [dy.neg()];
 * ```
 */
export type BackwardRule<A = unknown, S = unknown> = (
  dy: Tensor,
  ctx: BackwardContext<A, S>,
) => ReadonlyArray<Tensor | null | undefined>;

let nextSeq = 0;
let gradEnabled = true;

/**
 * One recorded operation.
 * @example `tensor([1, 2], { requiresGrad: true }).mul(2).sum().node!.inputs[0].node!.op  // 'mul'`
 */
export class TapeNode {
  /** Position on the tape: a node's inputs always have smaller sequence numbers than the node. */
  readonly seq = nextSeq++;
  /** The shape of the op's output. */
  readonly shape: readonly number[];
  private rule: BackwardRule | null;
  private ctx: BackwardContext | null;

  constructor(
    /** The op's name (the name given to defineOp). */
    readonly op: string,
    /** The op's tensor inputs (edges of the graph, kept until the graph is dropped). */
    readonly inputs: readonly Tensor[],
    rule: BackwardRule,
    ctx: BackwardContext,
    /** Where the op was called, recorded while anomaly detection is on. */
    readonly stack?: string,
    /**
     * Null when the rule is written with recordable tensor ops (so createGraph can differentiate it again);
     * otherwise why it is not (the op's `doubleBackward` setting; '' when no reason was given). backward() checks
     * every node of a graph for this before running anything under createGraph.
     */
    readonly noDoubleBackward: string | null = null,
  ) {
    this.rule = rule;
    this.ctx = ctx;
    this.shape = ctx.output.shape;
  }

  /** False once a backward without `retainGraph` has released what the rule saved. */
  get retained(): boolean {
    return this.rule !== null;
  }

  /** The non-tensor arguments of the op (for display), or undefined once freed. */
  get attrs(): unknown {
    return this.ctx?.attrs;
  }

  /** Runs the backward rule; the caller (backward.ts) checks the result. */
  apply(dy: Tensor): ReadonlyArray<Tensor | null | undefined> {
    if (this.rule === null || this.ctx === null) {
      throw new Error(`${this.op}: backward of a freed node`);
    }
    // backward() refuses such a graph before running any rule; this guards a direct call while recording
    if (this.noDoubleBackward !== null && gradEnabled) throw new AutogradError(noDoubleBackwardMessage(this));
    return this.rule(dy, this.ctx);
  }

  /** Releases the saved values and the rule (the edges stay, so a second backward can say what happened). */
  free(): void {
    this.rule = null;
    this.ctx = null;
  }
}

/**
 * The error for a createGraph backward through a node whose rule cannot be recorded.
 * @internal
 */
export function noDoubleBackwardMessage(node: TapeNode): string {
  const reason = node.noDoubleBackward ? ` ${node.noDoubleBackward}` : ' (its op was defined with doubleBackward: false)';
  return `${node.op}: second derivatives (createGraph) are not supported${reason}`;
}

/**
 * Whether ops are being recorded now.
 * @example `noGrad(() => isGradEnabled())  // false`
 */
export function isGradEnabled(): boolean {
  return gradEnabled;
}

function withGradMode<T>(enabled: boolean, fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = enabled;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/**
 * Runs `fn` without recording operations (like `torch.no_grad()`): results do not require grad, and no graph is
 * kept. Use it for evaluation and for in-place parameter updates.
 * @example
 * ```ts
 * import { noGrad, tensor } from 'tapegrad';
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => w.mul(2)); // y.requiresGrad === false
 * ```
 */
export function noGrad<T>(fn: () => T): T {
  return withGradMode(false, fn);
}

/**
 * Runs `fn` with recording switched back on, inside a {@link noGrad} region.
 * @example
 * ```ts
 * import { noGrad, enableGrad, tensor } from 'tapegrad';
 * const w = tensor([1, 2], { requiresGrad: true });
 * const y = noGrad(() => enableGrad(() => w.mul(2))); // y.requiresGrad === true
 * ```
 */
export function enableGrad<T>(fn: () => T): T {
  return withGradMode(true, fn);
}
