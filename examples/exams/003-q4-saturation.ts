/**
 * 003-Q4 (RMIT COSC2779 Week 4 tutorial, Q4): saturated sigmoid units, and why tanh does not fix them: tanh is a
 * scaled and shifted sigmoid, tanh(z) = 2σ(2z) − 1, so its derivative 4σ'(2z) vanishes just the same for large |z|.
 */
import { gradcheck, linspace, nn, tensor } from '../../src/index.js';
import { type ExampleResult, printIfMain } from '../lib/example.js';

export const meta = {
  id: '003-Q4',
  title: 'sigmoid saturation: does switching to tanh fix it? (tanh(z) = 2σ(2z) − 1)',
};

/** The points where the local derivatives are tabulated. */
export const POINTS = [0, 1, 2, 5, 10];

/** The local derivative of an activation layer at each point, from backward(). */
function derivative(layer: nn.Module, points: number[]): number[] {
  const z = tensor(points, { dtype: 'float64', requiresGrad: true });
  layer.forward(z).sum().backward();
  return z.grad!.toArray() as number[];
}

const sci = (v: number) => (v === 0 ? '0' : Math.abs(v) >= 1e-2 ? v.toFixed(4) : v.toExponential(3));

export function run(): ExampleResult & {
  sigmoidPrime: number[]; tanhPrime: number[];
  identityMaxError: number; derivativeIdentityMaxError: number;
  extremes: { z: number[]; sigmoid: number[]; sigmoidPrime: number[]; gradcheckMaxAbsError: number };
  centres: { sigmoidAt0: number; tanhAt0: number; sigmoidMean: number; tanhMean: number };
} {
  const sigmoid = new nn.Sigmoid();
  const tanh = new nn.Tanh();
  const sigmoidPrime = derivative(sigmoid, POINTS);
  const tanhPrime = derivative(tanh, POINTS);

  // The identity on a grid of [−5, 5], and its derivative form tanh'(z) = 4σ'(2z) at the tabulated points.
  const grid = linspace(-5, 5, 1001, { dtype: 'float64' });
  const identityMaxError = tanh.forward(grid).sub(sigmoid.forward(grid.mul(2)).mul(2).sub(1)).abs().max().item();
  const sigmoidPrimeAt2z = derivative(sigmoid, POINTS.map((z) => 2 * z));
  const derivativeIdentityMaxError = Math.max(...tanhPrime.map((t, i) => Math.abs(t - 4 * sigmoidPrimeAt2z[i])));

  // A stable sigmoid gives finite values and derivatives far into the tails, and its backward passes gradcheck there.
  const zExtreme = [-40, -10, 10, 40];
  const s = sigmoid.forward(tensor(zExtreme, { dtype: 'float64' }));
  const extremes = {
    z: zExtreme,
    sigmoid: s.toArray() as number[],
    sigmoidPrime: derivative(sigmoid, zExtreme),
    gradcheckMaxAbsError: gradcheck((t) => t.sigmoid(), [tensor(zExtreme, { dtype: 'float64', requiresGrad: true })]).inputs[0].maxAbsError,
  };

  const centres = {
    sigmoidAt0: sigmoid.forward(tensor([0], { dtype: 'float64' })).item(),
    tanhAt0: tanh.forward(tensor([0], { dtype: 'float64' })).item(),
    sigmoidMean: sigmoid.forward(grid).mean().item(),
    tanhMean: tanh.forward(grid).mean().item(),
  };

  const row = (name: string, vs: number[]) => `  ${name}: ${vs.map(sci).join(', ')}`;
  return {
    sigmoidPrime, tanhPrime, identityMaxError, derivativeIdentityMaxError, extremes, centres,
    summary: `σ'(10) = ${sci(sigmoidPrime[4])}, tanh'(10) = ${sci(tanhPrime[4])}: both saturate; tanh(z) = 2σ(2z) − 1 `
      + `(max error ${identityMaxError.toExponential(1)})`,
    agrees: 'yes',
    lines: [
      `local derivatives by backward() at z = ${POINTS.join(', ')}:`,
      row("σ'(z)   ", sigmoidPrime),
      row("tanh'(z)", tanhPrime),
      `tanh(z) − (2σ(2z) − 1) over 1001 points of [−5, 5]: max |error| = ${identityMaxError.toExponential(2)}`,
      `hence tanh'(z) = 4σ'(2z): max |difference| at the points above = ${derivativeIdentityMaxError.toExponential(2)}; `
        + `tanh'(0) = ${tanhPrime[0]} = 4σ'(0)`,
      `tails: σ(z) at z = ${zExtreme.join(', ')} is ${extremes.sigmoid.map(sci).join(', ')}, σ' = ${extremes.sigmoidPrime.map(sci).join(', ')} `
        + `(finite, no overflow; σ'(40) is 0 because σ(40) rounds to 1 in float64); gradcheck max abs error ${extremes.gradcheckMaxAbsError.toExponential(1)}`,
      `centres: σ(0) = ${centres.sigmoidAt0}, tanh(0) = ${centres.tanhAt0}; mean over [−5, 5]: σ ${centres.sigmoidMean.toFixed(4)}, `
        + `tanh ${sci(centres.tanhMean)}`,
      'result: both derivatives vanish for large |z| (tanh\'s even faster), so tanh does not fix saturation; it only centres the '
        + 'activations at 0 instead of 0.5',
      'document: "No, switching to tanh does not fix the problem", tanh(z) = 2σ(2z) − 1, tanh centred at 0 and σ at 0.5: agrees',
    ],
  };
}

printIfMain(import.meta.url, { meta, run });
