/**
 * 000-SA7 (SYS ENG 6213 midterm, Short Answer 7): the exam's `sigmoid_backward(grad)` returns grad·(1 − grad) on a
 * 2×4 table. That is the sigmoid's local derivative s(1 − s) written in terms of its *output* s. Here the same table
 * comes from tapegrad twice: elementwise from s, and from backward() through sigmoid at the logits z = logit(s).
 */
import { Tensor, Generator, arange, onesLike, randn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '000-SA7',
  title: 'sigmoid "backward" s(1 − s) on the given 2×4 table, and why these values are bad for learning',
};

/** The function's input, as printed in the exam: sigmoid outputs s, all near 0 or 1. */
export const S = [[0.98, 0.96, 0.11, 0.12], [1.0, 0.11, 0.01, 0.92]];
/** The exam's printed output table (the document's answer). */
export const DOCUMENT_OUTPUT = [[0.0196, 0.0384, 0.0979, 0.1056], [0.0, 0.0979, 0.0099, 0.0736]];
/** |z| cap for the logit of s = 1.00 (σ(40) = 1 − 4e-18, which is 1 in float64). */
export const LOGIT_CAP = 40;

const rows = (t: Tensor) => t.toArray() as number[][];
const fmt = (m: number[][]) => `[${m.map((r) => `[${r.map((v) => v.toFixed(4)).join(', ')}]`).join(', ')}]`;

export function run(): ExampleResult & {
  local: number[][]; viaBackward: number[][]; logits: number[][]; maxAbsDiffFromDocument: number;
  upstream: number[][]; chained: number[][]; reluGrad: number[][];
  maxSigmoidGrad: number; argmaxZ: number;
} {
  const s = tensor(S, { dtype: 'float64' });
  // The exam's function: out = s ⊙ (1 − s).
  const localT = s.mul(s.neg().add(1));
  const local = rows(localT);
  const maxAbsDiffFromDocument = localT.sub(tensor(DOCUMENT_OUTPUT, { dtype: 'float64' })).abs().max().item();

  // The same numbers from autograd: z = logit(s) (capped: s = 1 has an infinite logit), σ(z).backward(ones).
  const z = s.log().sub(s.neg().add(1).log()).clamp(-LOGIT_CAP, LOGIT_CAP).detach().requiresGrad_();
  const out = z.sigmoid();
  out.backward(onesLike(out));
  const viaBackward = rows(z.grad!);

  // A real backward also needs the upstream gradient: dL/dz = upstream ⊙ s(1 − s).
  const upstream = randn([2, 4], { dtype: 'float64', generator: new Generator(0) });
  z.grad = null;
  z.sigmoid().backward(upstream);
  const chained = rows(z.grad!);

  // ReLU at the same pre-activations: its local derivative is 1 wherever z > 0, however large z is.
  z.grad = null;
  const r = z.relu();
  r.backward(onesLike(r));
  const reluGrad = rows(z.grad!);

  // The largest σ'(z) on a grid of z from −6 to 6 in steps of 0.01 (z = 0 is on the grid exactly).
  const grid = arange(-600, 601, 1, { dtype: 'float64' }).div(100).requiresGrad_();
  const sg = grid.sigmoid();
  sg.backward(onesLike(sg));
  const best = grid.grad!.max(0);
  const maxSigmoidGrad = best.values.item();
  const argmaxZ = grid.data[best.indices.item()];

  return {
    local, viaBackward, logits: rows(z.detach()), maxAbsDiffFromDocument, upstream: rows(upstream), chained, reluGrad,
    maxSigmoidGrad, argmaxZ,
    summary: `s(1 − s) = ${fmt(local)} (matches the document, max |Δ| ${maxAbsDiffFromDocument.toExponential(1)}); σ' ≤ ${maxSigmoidGrad}`,
    agrees: 'erratum',
    lines: [
      `input s (sigmoid outputs) = ${fmt(S)}`,
      `out = s ⊙ (1 − s) = ${fmt(local)}`,
      `by backward(): z = logit(s) (capped at ±${LOGIT_CAP}) = ${fmt(rows(z.detach()))}; σ(z).backward(ones) gives dσ/dz = ${fmt(viaBackward)}`,
      `a real backward with upstream gradient u = ${fmt(rows(upstream))} gives u ⊙ s(1 − s) = ${fmt(chained)}`,
      `max σ'(z) over z ∈ [−6, 6] = ${maxSigmoidGrad} at z = ${argmaxZ}: every local derivative here is ≤ ${Math.max(...local.flat()).toFixed(4)}, so the gradient shrinks ≥ 4× per sigmoid layer`,
      `ReLU at the same z: local derivative ${fmt(reluGrad)} (1 wherever z > 0: no saturation)`,
      `result = document's output table ${fmt(DOCUMENT_OUTPUT)} (max |Δ| = ${maxAbsDiffFromDocument.toExponential(1)})`,
      'erratum: the argument named `grad` ("the gradient values given as input") is actually the sigmoid output s',
      'erratum: the function returns only the local derivative s(1 − s); a backward pass must multiply by the upstream gradient: upstream ⊙ s ⊙ (1 − s)',
      `erratum: "ds/dx values … close to either 0 or 1" is false: σ' ≤ 0.25 always and every value here is ≤ ${Math.max(...local.flat()).toFixed(4)}; it is the inputs s that are near 0 or 1`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
