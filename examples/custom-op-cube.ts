/**
 * A user-defined op: `cube` with a hand-written backward, made with defineOp (the same mechanism every library op
 * uses) and checked against central differences with gradcheck. docs/custom-ops.md walks through it.
 */
import { defineOp, gradcheck, tensor, type Tensor } from '../src/index.js';
import { type ExampleResult, printIfMain } from './lib/example.js';

export const meta = { id: 'custom-op-cube', title: 'a user-defined op with its own backward, checked by gradcheck' };

/** x³, elementwise, with its derivative written by hand. */
export const cube = defineOp<[Tensor]>({
  name: 'cube',
  forward: ([x]) => x.mul(x).mul(x),
  // d x³ = 3x² dx
  backward: (dy, { inputs: [x] }) => [dy.mul(x.mul(x).mul(3))],
});

/** The same op with a deliberate mistake (a missing factor 3), which gradcheck must reject. */
export const wrongCube = defineOp<[Tensor]>({
  name: 'wrongCube',
  forward: ([x]) => x.mul(x).mul(x),
  backward: (dy, { inputs: [x] }) => [dy.mul(x.mul(x))],
});

export function run(): ExampleResult & { grad: number[]; maxAbsError: number; wrongCaught: boolean } {
  const x = tensor([0.5, -1.2, 2], { dtype: 'float64', requiresGrad: true });
  cube(x).sum().backward();
  const grad = x.grad!.toArray() as number[];
  const report = gradcheck((t) => cube(t), [x]);
  const wrong = gradcheck((t) => wrongCube(t), [x], { raiseOnFailure: false });
  return {
    grad,
    maxAbsError: report.inputs[0].maxAbsError,
    wrongCaught: !wrong.ok,
    summary: `cube'(x) = [${grad.join(', ')}]; gradcheck max error ${report.inputs[0].maxAbsError.toExponential(1)}; wrong backward caught: ${!wrong.ok}`,
    agrees: 'n/a',
    lines: [
      `x = [0.5, -1.2, 2]; backward of Σ cube(x) gives [${grad.join(', ')}] (3x² = [0.75, 4.32, 12])`,
      `gradcheck: ok, largest |analytic − numerical| = ${report.inputs[0].maxAbsError.toExponential(2)}`,
      `a backward missing its factor 3 fails gradcheck: ${wrong.failures[0]}`,
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
