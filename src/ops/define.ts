/**
 * defineOp(): the one way an op is made. Every library op (add, matmul, logSoftmax, ...) and every user-defined op
 * goes through it, so a course assignment that asks for a backward uses exactly the library's own mechanism.
 * @module
 */
import { Tensor } from '../tensor.js';
import { TapeNode, isGradEnabled, noGrad, type BackwardRule, type BackwardContext } from '../autograd/tape.js';
import { captureStack, checksForward, firstNonFinite, isAnomalyEnabled, reportAnomaly } from '../autograd/anomaly.js';

/**
 * What a forward returns: the output, or the output together with values kept for the backward.
 * @example
 * ```ts
 * import { defineOp, tensor, type Tensor } from 'tapegrad';
 * // the forward keeps the mask x > 0 for the backward: { output, saved }
 * const relu = defineOp<[Tensor], undefined, Tensor>({
 *   name: 'myRelu',
 *   forward: ([x]) => ({ output: x.relu(), saved: x.gt(0) }),
 *   backward: (dy, { saved: mask }) => [dy.mul(mask)],
 * });
 * relu(tensor([-1, 2])).toArray(); // [0, 2]
 * ```
 */
export type ForwardResult<S> = Tensor | {
  /** The op's output. */
  output: Tensor;
  /** Values kept for the backward (`ctx.saved`). */
  saved: S;
};

/**
 * The definition of an op: a name, a forward on values and (for a differentiable op) a backward rule.
 * @example `defineOp({ name: 'twice', forward: ([x]) => x.mul(2), backward: (dy) => [dy.mul(2)] })(tensor([1, 2]))  // [2, 4]`
 */
export interface OpDefinition<In extends readonly Tensor[], A, S> {
  /** The op's name: shown by errors, toDot() and anomaly reports. Library ops use their function's name. */
  name: string;
  /**
   * Computes the output from the inputs' values (it runs with recording off, so it may use other ops freely).
   * Return `{ output, saved }` to keep extra values (masks, indices) for the backward.
   */
  forward(inputs: In, attrs: A): ForwardResult<S>;
  /**
   * The gradient of each input given the output's gradient `dy`, one entry per input (null for an input that needs
   * none). A gradient may have the output's broadcast shape: backward() reduces it to the input's shape. Write it
   * with tensor ops: then `createGraph` makes it differentiable. Omit it for an op that is not differentiable
   * (comparisons, argmax): its output never requires grad.
   */
  backward?: (dy: Tensor, ctx: BackwardContext<A, S>) => ReadonlyArray<Tensor | null | undefined>;
  /**
   * Whether the backward rule can itself be recorded, which gives second derivatives under `createGraph` (default
   * true). Set it to false, or to a string saying why and what to use instead, when the rule computes on raw arrays
   * (a fused kernel): a `backward(…, { createGraph: true })` whose graph holds the op then throws an AutogradError
   * naming it before any rule runs, leaving every gradient and the graph as they were, instead of returning a
   * second derivative that is silently wrong.
   * @example `defineOp({ name: 'fused', forward: ([x]) => x.mul(2), backward: (dy) => [dy.mul(2)], doubleBackward: 'in its fused form' })`
   */
  doubleBackward?: boolean | string;
}

/**
 * An op made by {@link defineOp}: call it with its tensor inputs, then its attributes (if it has any).
 * @example `defineOp({ name: 'twice', forward: ([x]) => x.mul(2) }).opName  // 'twice'`
 */
export type OpFunction<In extends readonly Tensor[], A> = (undefined extends A
  ? (...args: [...In] | [...In, A]) => Tensor
  : (...args: [...In, A]) => Tensor) & {
    /** The name given to defineOp. */
    readonly opName: string;
    /** Whether the op has a backward rule. */
    readonly differentiable: boolean;
  };

/**
 * Makes an op from a forward and a backward rule; the result records itself on the tape whenever one of its inputs
 * requires grad and recording is on. Inputs must share one dtype.
 *
 * @example A user-defined cube op, its backward written by hand and checked against central differences:
 * ```ts
 * import { defineOp, gradcheck, tensor, type Tensor } from 'tapegrad';
 *
 * const cube = defineOp<[Tensor], undefined, undefined>({
 *   name: 'cube',
 *   forward: ([x]) => x.mul(x).mul(x),
 *   // d x³ = 3x² dx
 *   backward: (dy, { inputs: [x] }) => [dy.mul(x.mul(x).mul(3))],
 * });
 *
 * const x = tensor([0.5, -1.2, 2], { dtype: 'float64', requiresGrad: true });
 * cube(x).sum().backward();          // x.grad = [0.75, 4.32, 12]
 * gradcheck((x) => cube(x), [x]);    // passes; a wrong backward would throw a GradcheckError
 * ```
 */
export function defineOp<In extends readonly Tensor[] = Tensor[], A = undefined, S = undefined>(
  definition: OpDefinition<In, A, S>,
): OpFunction<In, A> {
  const { name, forward, backward, doubleBackward = true } = definition;
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('defineOp: an op needs a non-empty name');
  if (typeof forward !== 'function') throw new TypeError(`defineOp(${name}): forward must be a function`);
  if (backward !== undefined && typeof backward !== 'function') {
    throw new TypeError(`defineOp(${name}): backward must be a function or omitted`);
  }
  if (typeof doubleBackward !== 'boolean' && typeof doubleBackward !== 'string') {
    throw new TypeError(`defineOp(${name}): doubleBackward must be a boolean or a string (the reason it is not supported), got ${typeof doubleBackward}`);
  }
  const noDoubleBackward = doubleBackward === true ? null : doubleBackward === false ? '' : doubleBackward;
  const op = (...args: unknown[]): Tensor => {
    let n = 0;
    while (n < args.length && args[n] instanceof Tensor) n++;
    if (args.length > n + 1) {
      throw new TypeError(`${name}: expected tensors followed by at most one attributes argument, got ${describe(args)}`);
    }
    const inputs = args.slice(0, n) as unknown as In;
    const attrs = args[n] as A;
    for (let i = 1; i < n; i++) {
      if (inputs[i].dtype !== inputs[0].dtype) {
        throw new TypeError(`${name}: mixed dtypes ${inputs[0].dtype} (input 0) and ${inputs[i].dtype} (input ${i}); convert one with .to('${inputs[0].dtype}') or .to('${inputs[i].dtype}')`);
      }
    }
    const anomaly = isAnomalyEnabled();
    const result = noGrad(() => forward(inputs, attrs));
    const output = result instanceof Tensor ? result : result.output;
    if (!(output instanceof Tensor)) throw new TypeError(`${name}: forward must return a Tensor or { output, saved }`);
    if (anomaly && checksForward()) {
      const bad = firstNonFinite(output.data);
      if (bad >= 0 && inputs.every((x) => firstNonFinite(x.data) < 0)) reportAnomaly(name, 'forward', output.data[bad], bad);
    }
    const needsInputGrad = inputs.map((x) => x.requiresGrad);
    if (backward !== undefined && isGradEnabled() && needsInputGrad.some(Boolean)) {
      const saved = (result instanceof Tensor ? undefined : result.saved) as S;
      // NOTE: the output may be one of the inputs (reshape to the same shape shares storage); a fresh Tensor keeps
      // each node owned by exactly one output.
      const out = output.node === null && !inputs.includes(output) ? output : new Tensor(output.data, output.shape);
      const ctx: BackwardContext<A, S> = { inputs, output: out, attrs, saved, needsInputGrad };
      out.node = new TapeNode(name, inputs, backward as BackwardRule, ctx as BackwardContext, anomaly ? captureStack() : undefined,
        noDoubleBackward);
      out.requiresGrad = true;
      return out;
    }
    return output;
  };
  return Object.assign(op, { opName: name, differentiable: backward !== undefined }) as unknown as OpFunction<In, A>;
}

function describe(args: unknown[]): string {
  return `(${args.map((a) => (a instanceof Tensor ? 'Tensor' : typeof a)).join(', ')})`;
}
