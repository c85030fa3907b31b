import { describe, expect, it } from 'vitest';
import { Generator, defaultGenerator, manualSeed, rand, randint, randn, type GeneratorState } from '../src/index.js';

const draws = (g: Generator, n: number, kind: 'random' | 'normal' = 'random') =>
  Array.from({ length: n }, () => (kind === 'random' ? g.random() : g.normal()));

describe('Generator', () => {
  it('the same seed gives the same sequence; a different seed a different one', () => {
    expect(draws(new Generator(7), 20)).toEqual(draws(new Generator(7), 20));
    expect(draws(new Generator(7), 20)).not.toEqual(draws(new Generator(8), 20));
    expect(draws(new Generator(7), 20, 'normal')).toEqual(draws(new Generator(7), 20, 'normal'));
  });

  it('random() lies in [0, 1) and is not constant', () => {
    const v = draws(new Generator(1), 1000);
    expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...v)).toBeLessThan(1);
    expect(new Set(v).size).toBe(1000);
  });

  it('manualSeed restarts the sequence and initialSeed reports it', () => {
    const g = new Generator(3);
    const first = draws(g, 5);
    draws(g, 7);
    expect(g.manualSeed(3)).toBe(g);
    expect(draws(g, 5)).toEqual(first);
    g.manualSeed(11);
    expect(g.initialSeed()).toBe(11);
    expect(draws(g, 5)).toEqual(draws(new Generator(11), 5));
  });

  it('manualSeed drops a pending second normal of a Box-Muller pair', () => {
    const g = new Generator(4);
    const [z0] = draws(g, 1, 'normal'); // leaves a spare
    g.manualSeed(4);
    expect(g.normal()).toBe(z0);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Generator(NaN)).toThrow(RangeError);
    expect(() => new Generator(Infinity)).toThrow(/seed/);
  });

  it('randint(low, high) gives integers in [low, high) and rejects bad bounds', () => {
    const g = new Generator(2);
    const v = Array.from({ length: 500 }, () => g.randint(10, 14));
    expect(v.every((x) => Number.isInteger(x) && x >= 10 && x < 14)).toBe(true);
    expect(new Set(v).size).toBe(4);
    expect(() => g.randint(5, 5)).toThrow(RangeError);
    expect(() => g.randint(0.5, 5)).toThrow(/low=0\.5/);
  });

  it('normal() follows N(0, 1): moments within 5 standard errors over 10,000 draws', () => {
    const n = 10_000;
    const v = draws(new Generator(77), n, 'normal');
    const mean = v.reduce((s, x) => s + x, 0) / n;
    const m2 = v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(n));
    // Var(s²) = 2σ⁴/(n-1) for a normal
    expect(Math.abs(m2 - 1)).toBeLessThan(5 * Math.sqrt(2 / (n - 1)));
  });
});

describe('getState / setState', () => {
  it('continues the uniform sequence exactly, in another generator', () => {
    const g = new Generator(5);
    draws(g, 13);
    const state = g.getState();
    const expected = draws(g, 10);
    const h = new Generator(999).setState(state);
    expect(draws(h, 10)).toEqual(expected);
    // and the first generator can be rewound too
    g.setState(state);
    expect(draws(g, 10)).toEqual(expected);
  });

  it('keeps a pending Box-Muller normal', () => {
    const g = new Generator(6);
    draws(g, 3, 'normal'); // odd count: the pair's second value is pending
    const state = g.getState();
    expect(state.spareNormal).not.toBeNull();
    const expected = draws(g, 5, 'normal');
    expect(draws(new Generator(0).setState(state), 5, 'normal')).toEqual(expected);
  });

  it('the state is plain JSON and survives a round trip', () => {
    const g = new Generator(8);
    draws(g, 4);
    const state = JSON.parse(JSON.stringify(g.getState())) as GeneratorState;
    const expected = draws(g, 6);
    const h = new Generator().setState(state);
    expect(draws(h, 6)).toEqual(expected);
    expect(h.initialSeed()).toBe(8);
  });

  it('getState returns a snapshot: later draws do not change it', () => {
    const g = new Generator(9);
    const state = g.getState();
    const copy = JSON.stringify(state);
    draws(g, 5);
    expect(JSON.stringify(state)).toBe(copy);
  });

  it('setState rejects something that is not a state', () => {
    const g = new Generator(0);
    expect(() => g.setState({} as GeneratorState)).toThrow(TypeError);
    expect(() => g.setState({ seed: 0, alea: { c: 1, s0: NaN, s1: 0, s2: 0 }, spareNormal: null })).toThrow(/getState/);
  });
});

describe('manualSeed and the default generator', () => {
  it('manualSeed reseeds the default generator used when none is given', () => {
    manualSeed(123);
    const a = Array.from(rand([5]).data);
    const b = Array.from(randn([5]).data);
    const c = Array.from(randint(0, 100, [5]).data);
    manualSeed(123);
    expect(Array.from(rand([5]).data)).toEqual(a);
    expect(Array.from(randn([5]).data)).toEqual(b);
    expect(Array.from(randint(0, 100, [5]).data)).toEqual(c);
    // the default generator seeded with 123 draws what a fresh Generator(123) draws
    const g = new Generator(123);
    expect(a).toEqual(Array.from(rand([5], { generator: g }).data));
  });

  it('manualSeed returns the default generator', () => {
    const g = manualSeed(1);
    expect(g).toBe(defaultGenerator());
    expect(g.initialSeed()).toBe(1);
  });

  it('an explicit generator does not advance the default one', () => {
    manualSeed(42);
    const expected = Array.from(rand([3]).data);
    manualSeed(42);
    rand([100], { generator: new Generator(0) });
    expect(Array.from(rand([3]).data)).toEqual(expected);
  });
});
