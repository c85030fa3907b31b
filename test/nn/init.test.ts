import { describe, expect, it } from 'vitest';
import { Generator, nn, zeros } from '../../src/index.js';
import { thrown } from '../helpers.js';
import type { FanMode, Nonlinearity } from '../../src/nn/init.js';

const { init } = nn;

function stats(values: ArrayLike<number>) {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  let v = 0;
  for (let i = 0; i < n; i++) v += (values[i] - mean) ** 2 / (n - 1);
  return { mean, std: Math.sqrt(v), maxAbs: Math.max(...Array.from(values, Math.abs)) };
}

describe('nn.init', () => {
  it('computes gains as PyTorch documents them', () => {
    expect(init.calculateGain('linear')).toBe(1);
    expect(init.calculateGain('sigmoid')).toBe(1);
    expect(init.calculateGain('tanh')).toBe(5 / 3);
    expect(init.calculateGain('relu')).toBe(Math.sqrt(2));
    expect(init.calculateGain('leakyRelu')).toBe(Math.sqrt(2 / (1 + 0.01 ** 2)));
    expect(init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 15);
    expect(init.calculateGain('selu')).toBe(0.75);
    expect(() => init.calculateGain('swish' as Nonlinearity)).toThrow(/unknown nonlinearity "swish"/);
  });

  it('computes fans of dense and conv weights', () => {
    expect(init.calculateFans(zeros([8, 7, 5, 5]))).toEqual({ fanIn: 175, fanOut: 200 });
    expect(init.calculateFans(zeros([10, 784]))).toEqual({ fanIn: 784, fanOut: 10 });
    expect(() => init.calculateFans(zeros([3]))).toThrow(/at least 2 dims/);
  });

  // 20,000 draws: the sample std is within a few percent of the target (its relative standard error is ~0.5%).
  const big = () => zeros([200, 100]);

  it('xavierUniform_ and xavierNormal_ have std gain·√(2/(fanIn+fanOut))', () => {
    const std = 2 * Math.sqrt(2 / 300);
    const u = stats(init.xavierUniform_(big(), 2, { generator: new Generator(0) }).data);
    expect(u.std / std).toBeGreaterThan(0.97);
    expect(u.std / std).toBeLessThan(1.03);
    expect(u.maxAbs).toBeLessThanOrEqual(Math.sqrt(3) * std + 1e-6);
    const n = stats(init.xavierNormal_(big(), 2, { generator: new Generator(0) }).data);
    expect(Math.abs(n.mean)).toBeLessThan(5 * std / Math.sqrt(20000));
    expect(n.std / std).toBeGreaterThan(0.97);
    expect(n.std / std).toBeLessThan(1.03);
  });

  it('kaimingUniform_ and kaimingNormal_ have std gain/√fan with the chosen mode', () => {
    const reluFanIn = Math.sqrt(2) / Math.sqrt(100);
    const u = stats(init.kaimingUniform_(big(), { nonlinearity: 'relu', generator: new Generator(1) }).data);
    expect(u.std / reluFanIn).toBeGreaterThan(0.97);
    expect(u.std / reluFanIn).toBeLessThan(1.03);
    expect(u.maxAbs).toBeLessThanOrEqual(Math.sqrt(3) * reluFanIn + 1e-6);
    const reluFanOut = Math.sqrt(2) / Math.sqrt(200);
    const n = stats(init.kaimingNormal_(big(), { mode: 'fanOut', nonlinearity: 'relu', generator: new Generator(1) }).data);
    expect(n.std / reluFanOut).toBeGreaterThan(0.97);
    expect(n.std / reluFanOut).toBeLessThan(1.03);
    expect(() => init.kaimingNormal_(big(), { mode: 'fan_in' as FanMode })).toThrow(/mode must be 'fanIn' or 'fanOut'/);
  });

  it('uniform_, normal_, constant_, zeros_, ones_', () => {
    const u = init.uniform_(zeros([1000]), -2, 3, { generator: new Generator(2) }).data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    expect(() => init.uniform_(zeros([1]), 1, 0)).toThrow(RangeError);
    const n = stats(init.normal_(zeros([10000]), 5, 0.5, { generator: new Generator(2) }).data);
    expect(Math.abs(n.mean - 5)).toBeLessThan(5 * 0.5 / 100);
    expect(Array.from(init.constant_(zeros([3]), 0.25).data)).toEqual([0.25, 0.25, 0.25]);
    expect(Array.from(init.ones_(zeros([2])).data)).toEqual([1, 1]);
    expect(Array.from(init.zeros_(init.ones_(zeros([2]))).data)).toEqual([0, 0]);
  });

  it('the same generator seed gives the same initial weights', () => {
    const a = init.kaimingUniform_(zeros([4, 4]), { generator: new Generator(9) });
    const b = init.kaimingUniform_(zeros([4, 4]), { generator: new Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
  });

  it('bounds, mean, std and value must be finite numbers (and std ≥ 0, a ≤ b), named with the function', () => {
    const cases: Array<[() => unknown, ErrorConstructor, RegExp]> = [
      [() => init.normal_(zeros([2]), NaN), RangeError, /^normal_: mean must be a finite number, got NaN$/],
      [() => init.normal_(zeros([2]), 0, Infinity), RangeError, /^normal_: std must be a finite number ≥ 0, got Infinity$/],
      [() => init.normal_(zeros([2]), 0, -1), RangeError, /^normal_: std must be a finite number ≥ 0, got -1$/],
      [() => init.normal_(zeros([2]), '0' as unknown as number), TypeError, /^normal_: mean must be a number, got "0"$/],
      [() => init.uniform_(zeros([2]), -Infinity, Infinity), RangeError, /^uniform_: a must be a finite number, got -Infinity$/],
      [() => init.uniform_(zeros([2]), 0, NaN), RangeError, /^uniform_: b must be a finite number, got NaN$/],
      [() => init.uniform_(zeros([2]), 1, 0), RangeError, /^uniform_: need a ≤ b, got a=1, b=0$/],
      [() => init.constant_(zeros([2]), 'a' as unknown as number), TypeError, /^constant_: value must be a number, got "a"$/],
      [() => init.constant_(zeros([2]), NaN), RangeError, /^constant_: value must be a finite number, got NaN$/],
      [() => init.xavierUniform_(zeros([2, 2]), -1), RangeError, /^xavierUniform_: gain must be a finite number ≥ 0, got -1$/],
      [() => init.xavierNormal_(zeros([2, 2]), NaN), RangeError, /^xavierNormal_: gain must be a finite number ≥ 0, got NaN$/],
      [() => init.kaimingUniform_(zeros([2, 2]), { a: Infinity }), RangeError, /^kaimingUniform_: a must be a finite number, got Infinity$/],
      [() => init.zeros_([0, 0] as never), TypeError, /^zeros_: expected a Tensor to fill, got \[0, 0\]$/],
    ];
    for (const [fn, cls, message] of cases) {
      const e = thrown(fn);
      expect(e, String(message)).toBeInstanceOf(cls);
      expect(e.message).toMatch(message);
    }
    // a = b is allowed, as PyTorch: every draw is a + (b − a)·u = a
    expect(Array.from(init.uniform_(zeros([3]), 0.5, 0.5, { generator: new Generator(3) }).data)).toEqual([0.5, 0.5, 0.5]);
  });

  it('a generator that is not a Generator, or an unknown option, is an error naming the function (before any draw)', () => {
    for (const [name, fn] of [
      ['uniform_', (o: object) => init.uniform_(zeros([2]), 0, 1, o)], ['normal_', (o: object) => init.normal_(zeros([2]), 0, 1, o)],
      ['xavierUniform_', (o: object) => init.xavierUniform_(zeros([2, 2]), 1, o)], ['xavierNormal_', (o: object) => init.xavierNormal_(zeros([2, 2]), 1, o)],
      ['kaimingUniform_', (o: object) => init.kaimingUniform_(zeros([2, 2]), o)], ['kaimingNormal_', (o: object) => init.kaimingNormal_(zeros([2, 2]), o)],
      ['defaultLayerInit_', (o: object) => init.defaultLayerInit_(zeros([2, 2]), zeros([2]), o)],
    ] as const) {
      const e = thrown(() => fn({ generator: {} }));
      expect(e, name).toBeInstanceOf(TypeError);
      expect(e.message).toBe(`${name}: generator must be a Generator (e.g. new Generator(0)), got object`);
      expect(thrown(() => fn({ seed: 1 })).message).toMatch(new RegExp(`^${name}: unknown option 'seed' \\(expected .*generator\\)$`));
    }
    // the Kaiming options are checked whole: a bad mode draws nothing from the generator
    const g = new Generator(4);
    const before = g.getState();
    expect(() => init.kaimingUniform_(zeros([2, 2]), { mode: 'fan_in' as FanMode, generator: g })).toThrow(/^kaimingUniform_: mode must be/);
    expect(() => init.normal_(zeros([2]), 0, -1, { generator: g })).toThrow(RangeError);
    expect(g.getState()).toEqual(before);
  });

  it('defaultLayerInit_ checks the bias before drawing the weight, so a bad bias leaves the weight untouched', () => {
    const w = zeros([2, 3]);
    expect(() => init.defaultLayerInit_(w, 'b' as never, { generator: new Generator(5) })).toThrow(/^defaultLayerInit_: expected a Tensor to fill, got "b"$/);
    expect(Array.from(w.data)).toEqual([0, 0, 0, 0, 0, 0]);
  });
});
