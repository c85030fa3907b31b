/**
 * Seeded randomness. Every random draw in tapegrad (rand, randn, initialisation, dropout masks, shuffling) comes
 * from a {@link Generator}; the ones that take no generator use the default one, which {@link manualSeed} reseeds.
 * The engine is seedrandom's Alea, chosen because it is small, fast, gives 53-bit doubles and can save and restore
 * its state (a training checkpoint records it).
 * @module
 */
import alea, { type AleaPrng } from 'seedrandom/lib/alea.js';

/**
 * The state of the Alea engine: three 32-bit fractions and a carry.
 * @example `typeof new Generator(3).getState().alea.s0  // 'number'`
 */
export interface AleaState {
  /** The carry. */
  c: number;
  /** The first 32-bit fraction. */
  s0: number;
  /** The second 32-bit fraction. */
  s1: number;
  /** The third 32-bit fraction. */
  s2: number;
}

/**
 * The state of a {@link Generator}, plain JSON: save it with a checkpoint and give it back to `setState`.
 * @example `new Generator(1).setState(new Generator(7).getState()).initialSeed()  // 7`
 */
export interface GeneratorState {
  /** The seed the generator was last seeded with. */
  seed: number;
  /** The Alea engine's state. */
  alea: AleaState;
  /** The second normal of the last Box-Muller pair, not yet handed out. */
  spareNormal: number | null;
}

/**
 * A seeded source of random numbers. Two generators made with the same seed give the same draws, in Node and in
 * the browser alike.
 * @example
 * ```ts
 * import { Generator, randn } from 'tapegrad';
 * const g = new Generator(42);
 * const a = randn([2, 3], { generator: g });
 * const b = randn([2, 3], { generator: new Generator(42) }); // the same values as a
 * ```
 */
export class Generator {
  private prng!: AleaPrng;
  private seed = 0;
  private spareNormal: number | null = null;

  /** @param seed any finite number; the same seed gives the same sequence. */
  constructor(seed = 0) {
    this.manualSeed(seed);
  }

  /**
   * Restarts the sequence from `seed`; returns this generator.
   * @example `new Generator(1).manualSeed(2).initialSeed()  // 2`
   */
  manualSeed(seed: number): this {
    if (typeof seed !== 'number' || !Number.isFinite(seed)) {
      throw new RangeError(`Generator.manualSeed: seed must be a finite number, got ${String(seed)}`);
    }
    this.seed = seed;
    this.prng = alea(String(seed), { state: true });
    this.spareNormal = null;
    return this;
  }

  /**
   * The seed this generator was last seeded with.
   * @example `new Generator(42).initialSeed()  // 42`
   */
  initialSeed(): number {
    return this.seed;
  }

  /**
   * A uniform draw from [0, 1) with 53 random bits.
   * @example `new Generator(0).random() === new Generator(0).random()  // true`
   */
  random(): number {
    return this.prng.double();
  }

  /**
   * A standard normal draw (Box-Muller; the pair's second value is kept for the next call).
   * @example `Number.isFinite(new Generator(0).normal())  // true`
   */
  normal(): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return z;
    }
    // NOTE: 1 - u lies in (0, 1], so the log is finite.
    const r = Math.sqrt(-2 * Math.log(1 - this.random()));
    const theta = 2 * Math.PI * this.random();
    this.spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A uniform integer from [low, high).
   * @example `[0, 1, 2, 3].map(() => new Generator(5).randint(0, 3)).every((v) => v >= 0 && v < 3)  // true`
   */
  randint(low: number, high: number): number {
    if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) {
      throw new RangeError(`Generator.randint: need integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.random() * (high - low));
  }

  /**
   * The generator's state as plain JSON (see {@link GeneratorState}).
   * @example `new Generator(9).getState().seed  // 9`
   */
  getState(): GeneratorState {
    return { seed: this.seed, alea: this.prng.state(), spareNormal: this.spareNormal };
  }

  /**
   * Continues from a state returned by {@link Generator.getState}.
   * @example `(() => { const g = new Generator(3); const s = g.getState(); const a = g.random(); g.setState(s); return g.random() === a; })()  // true`
   */
  setState(state: GeneratorState): this {
    const a = state?.alea;
    if (!a || ![a.c, a.s0, a.s1, a.s2].every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw new TypeError('Generator.setState: expected a state returned by getState()');
    }
    this.seed = state.seed;
    this.prng = alea('', { state: { ...a } });
    this.spareNormal = state.spareNormal ?? null;
    return this;
  }
}

let defaultGen: Generator | null = null;

/**
 * The generator used by random functions that are given none (seed 0 until {@link manualSeed} is called).
 * @example `defaultGenerator().random() < 1  // true`
 */
export function defaultGenerator(): Generator {
  return (defaultGen ??= new Generator(0));
}

/**
 * Reseeds the default generator, like `torch.manual_seed`.
 * @example
 * ```ts
 * import { manualSeed, rand } from 'tapegrad';
 * manualSeed(0); const a = rand([3]);
 * manualSeed(0); const b = rand([3]); // equal to a
 * ```
 */
export function manualSeed(seed: number): Generator {
  return defaultGenerator().manualSeed(seed);
}
