/**
 * The exam examples build their layers without touching the shared default generator (audit F6): every layer whose
 * weights are overwritten or unused gets a generator of its own, so no example's result, and no later unseeded draw
 * in the same process, depends on which examples ran before. Each builder (or, where the builder is private, the
 * example's run()) must leave the default generator's state exactly as it found it.
 */
import { describe, expect, it } from 'vitest';
import { Generator, defaultGenerator, rand, tensor } from '../../../src/index.js';
import { legendreFeatures } from '../../../examples/lib/least-squares.js';
import * as la2 from '../../../examples/exams/000-la2-forward-backward.js';
import * as sa3 from '../../../examples/exams/000-sa3-zero-init.js';
import * as sa8 from '../../../examples/exams/000-sa8-learning-curves.js';
import * as tf2 from '../../../examples/exams/000-tf2-regularisation-training-error.js';
import * as q1b from '../../../examples/exams/001-q1b-minibatch-gradient-variance.js';
import * as q1c from '../../../examples/exams/001-q1c-small-init-deep-net.js';
import * as q1d from '../../../examples/exams/001-q1d-constant-init.js';
import * as q2c from '../../../examples/exams/001-q2c-nullspace-obfuscation.js';
import * as q3 from '../../../examples/exams/001-q3a-q3b-ridge-lambda.js';
import * as q1003 from '../../../examples/exams/003-q1-backprop-step.js';
import * as q5003 from '../../../examples/exams/003-q5-batchnorm-bias.js';
import * as q8004 from '../../../examples/exams/004-q8-hyperparameters.js';
import * as q2a from '../../../examples/exams/001-q2a-computational-graph.js';
import * as q2b from '../../../examples/exams/001-q2b-backprop-leaky-layer.js';
import * as q8003 from '../../../examples/exams/003-q8-bias-variance.js';

/** Runs `build` and asserts that the default generator's state did not move. */
function expectNoDefaultDraws(build: () => unknown): void {
  const before = defaultGenerator().getState();
  build();
  expect(defaultGenerator().getState()).toEqual(before);
}

describe('exam examples leave the default generator alone', () => {
  // Small seeded inputs for the closed-form fits (their values do not matter here).
  const x = rand([8], { dtype: 'float64', generator: new Generator(3) });
  const features = legendreFeatures(x, 3);
  const y = tensor(Array.from({ length: 8 }, (_, i) => i / 8), { dtype: 'float64' }).reshape([8, 1]);

  it('the probe itself sees a default draw', () => {
    expect(() => expectNoDefaultDraws(() => rand([1]))).toThrow();
  });

  const cases: Array<[string, () => unknown]> = [
    ['000-LA2 makeLayers (both conventions)', () => [la2.makeLayers('column'), la2.makeLayers('row')]],
    ['000-SA3 makeModel (zeros and He)', () => [sa3.makeModel('tanh', 'zeros'), sa3.makeModel('relu', 'he')]],
    ['000-SA8 fit', () => sa8.fit(features, y)],
    ['000-TF2 ridgeModel and trainRidge', () => [tf2.ridgeModel(features, y, 0.1), tf2.trainRidge(features, y, 0.1)]],
    ['001-Q1b minibatchGradients (its private model())', () => q1b.minibatchGradients(0, 4)],
    ['001-Q1c makeNet', () => q1c.makeNet()],
    ['001-Q1d makeModel (constant and He)', () => [q1d.makeModel('relu', 'constant'), q1d.makeModel('relu', 'he')]],
    ['001-Q2c makeModel', () => q2c.makeModel()],
    ['001-Q3a fitRidge', () => q3.fitRidge(features, y, 0.1)],
    ['003-Q1 run (its private makeNet)', () => q1003.run()],
    ['003-Q5 run (its private Dense)', () => q5003.run()],
    ['004-Q8 structuralCounts (Dense, Conv2d, Dropout)', () => q8004.structuralCounts()],
    ['001-Q2b run (its Dense holding W)', () => q2b.run()],
    ['001-Q2a run (001-Q2b\'s instance, and a seeded one)', () => [q2a.run(), q2a.run({ seed: 1 })]],
    ['003-Q8 gridBestCubicError (its linearModel)', () => q8003.gridBestCubicError()],
  ];
  it.each(cases)('%s', (_, build) => expectNoDefaultDraws(build));
});
