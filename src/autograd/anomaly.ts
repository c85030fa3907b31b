/**
 * Anomaly detection: while it is on, every op records where it was called, and the first NaN or Infinity that an
 * op produces, in a forward or in a backward, throws an {@link AnomalyError} naming the op. It costs a stack trace
 * per op and a scan of every result, so it is for debugging only.
 * @module
 */
import { AnomalyError } from '../errors.js';
import type { TypedArray } from '../dtype.js';

let anomalyEnabled = false;
let inBackwardRule = 0;

/**
 * Whether anomaly detection is on.
 * @example `detectAnomaly(() => isAnomalyEnabled())  // true`
 */
export function isAnomalyEnabled(): boolean {
  return anomalyEnabled;
}

/**
 * Runs `fn` with anomaly detection on (like `torch.autograd.detect_anomaly()`), and returns its result. The first
 * op that turns finite inputs into a NaN or an Infinity throws an AnomalyError naming it; in a backward, the error
 * also says where that op was called in the forward.
 * @example
 * ```ts
 * import { detectAnomaly, tensor } from 'tapegrad';
 * const x = tensor([0, 1], { requiresGrad: true });
 * detectAnomaly(() => x.sqrt().sum().backward()); // throws: sqrt backward produced Infinity (d sqrt at 0)
 * ```
 */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomalyEnabled;
  anomalyEnabled = true;
  try {
    return fn();
  } finally {
    anomalyEnabled = previous;
  }
}

/**
 * Switches anomaly detection on or off for everything that follows; returns the previous setting.
 * @example `setDetectAnomaly(false)  // false: it was off`
 */
export function setDetectAnomaly(enabled: boolean): boolean {
  const previous = anomalyEnabled;
  anomalyEnabled = enabled;
  return previous;
}

/** Whether forwards should be checked: not inside a backward rule, whose result backward() checks as a whole. */
export function checksForward(): boolean {
  return anomalyEnabled && inBackwardRule === 0;
}

/**
 * Runs a backward rule: the ops it calls are not checked one by one, so that a NaN it makes is reported as the
 * backward of the op that owns the rule (with that op's creation stack), not as some inner op's forward.
 */
export function runBackwardRule<T>(fn: () => T): T {
  inBackwardRule++;
  try {
    return fn();
  } finally {
    inBackwardRule--;
  }
}

/** The flat index of the first NaN or ±Infinity in `data`, or -1. */
export function firstNonFinite(data: TypedArray): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v !== v || v === Infinity || v === -Infinity) return i;
  }
  return -1;
}

/** The stack of the caller, minus tapegrad's own frames, for a node created while anomaly detection is on. */
export function captureStack(): string {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  // NOTE: only tapegrad's own files (src/ in a checkout, dist/ when installed): a user's test/autograd/ is the user's.
  const user = lines.filter((l) => !/[\\/]src[\\/](autograd[\\/]|ops[\\/]|tensor\.[tj]s)|[\\/]tapegrad[\\/]dist[\\/]/.test(l));
  return (user.length > 0 ? user : lines).slice(0, 6).join('\n');
}

/** Throws the AnomalyError for `value` found at flat index `index` of what `op` produced in `phase`. */
export function reportAnomaly(op: string, phase: 'forward' | 'backward', value: number, index: number, where?: string,
  inputIndex?: number): never {
  const what = phase === 'forward' ? 'output' : `gradient of input ${inputIndex}`;
  let message = `${op}: ${phase} produced ${value} in its ${what} at flat index ${index}`;
  if (where) message += `\nThe op was called here in the forward:\n${where}`;
  throw new AnomalyError(message);
}
