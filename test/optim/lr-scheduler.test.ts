/**
 * Learning-rate schedulers: their lr sequences against the closed forms (written here from PyTorch's
 * documentation), ReduceLROnPlateau's patience/cooldown/threshold behaviour traced by hand, state dicts, and checks.
 */
import { describe, it, expect } from 'vitest';
import { tensor, type Tensor } from '../../src/index.js';
import { SGD } from '../../src/optim/sgd.js';
import { Adam } from '../../src/optim/adam.js';
import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, StepLR, type LRScheduler, type SchedulerStateDict,
} from '../../src/optim/lr-scheduler.js';
import { ReduceLROnPlateau } from '../../src/optim/reduce-lr-on-plateau.js';
import { thrown } from '../helpers.js';

const BASES = [0.1, 0.03];

/** An optimizer with two groups of base learning rates 0.1 and 0.03. */
function twoGroups(): SGD {
  return new SGD([{ params: [tensor([1], { requiresGrad: true })], lr: BASES[0] }, { params: [tensor([1], { requiresGrad: true })], lr: BASES[1] }], { momentum: 0.9 });
}

/** The lr of each group at epochs 0..epochs (epoch 0 = right after construction). */
function sequence(opt: SGD, scheduler: LRScheduler, epochs: number): number[][] {
  const out = [opt.paramGroups.map((g) => g.lr)];
  expect(scheduler.getLastLr()).toEqual(out[0]);
  for (let e = 1; e <= epochs; e++) {
    scheduler.step();
    out.push(opt.paramGroups.map((g) => g.lr));
    expect(scheduler.getLastLr()).toEqual(out[e]);
  }
  return out;
}

function expectClosedForm(got: number[][], closed: (base: number, epoch: number) => number): void {
  got.forEach((lrs, epoch) => lrs.forEach((lr, i) => {
    const want = closed(BASES[i], epoch);
    if (!(Math.abs(lr - want) <= 1e-12 * Math.abs(want) + 1e-16)) throw new Error(`epoch ${epoch}, group ${i}: lr ${lr}, closed form ${want}`);
  }));
}

describe('epoch schedulers follow their closed forms', () => {
  it('StepLR: base·γ^⌊epoch/stepSize⌋', () => {
    const opt = twoGroups();
    const lrs = sequence(opt, new StepLR(opt, 3, { gamma: 0.5 }), 12);
    expectClosedForm(lrs, (base, e) => base * 0.5 ** Math.floor(e / 3));
    expect(lrs[2][0]).toBe(0.1);
    expect(lrs[3][0]).toBe(0.05);
  });

  it('StepLR: gamma defaults to 0.1', () => {
    const opt = twoGroups();
    expectClosedForm(sequence(opt, new StepLR(opt, 2), 6), (base, e) => base * 0.1 ** Math.floor(e / 2));
  });

  it('MultiStepLR: base·γ^(milestones ≤ epoch), milestones in any order, repeated ones decaying twice', () => {
    const opt = twoGroups();
    const milestones = [9, 2, 5, 5];
    const lrs = sequence(opt, new MultiStepLR(opt, milestones, { gamma: 0.1 }), 12);
    expectClosedForm(lrs, (base, e) => base * 0.1 ** milestones.filter((m) => m <= e).length);
  });

  it('ExponentialLR: base·γ^epoch', () => {
    const opt = twoGroups();
    expectClosedForm(sequence(opt, new ExponentialLR(opt, 0.9), 15), (base, e) => base * 0.9 ** e);
  });

  it('CosineAnnealingLR: η_min + (base − η_min)(1 + cos(π·epoch/tMax))/2, through two periods', () => {
    const opt = twoGroups();
    const etaMin = 0.01;
    const lrs = sequence(opt, new CosineAnnealingLR(opt, 5, { etaMin }), 22);
    expectClosedForm(lrs, (base, e) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * e) / 5))) / 2);
    // Bottom of the cosine at tMax, back to the base at 2·tMax.
    expect(lrs[5][0]).toBeCloseTo(etaMin, 15);
    expect(lrs[10][0]).toBeCloseTo(BASES[0], 15);
  });

  it('CosineAnnealingLR: etaMin defaults to 0', () => {
    const opt = twoGroups();
    expectClosedForm(sequence(opt, new CosineAnnealingLR(opt, 4), 9), (base, e) => (base * (1 + Math.cos((Math.PI * e) / 4))) / 2);
  });

  it('LinearLR: base·(s + (e − s)·min(epoch, n)/n); the defaults warm up from a third over 5 epochs', () => {
    let opt = twoGroups();
    expectClosedForm(sequence(opt, new LinearLR(opt), 9), (base, e) => base * (1 / 3 + ((1 - 1 / 3) * Math.min(e, 5)) / 5));
    opt = twoGroups();
    expectClosedForm(sequence(opt, new LinearLR(opt, { startFactor: 1, endFactor: 0.2, totalIters: 4 }), 7), (base, e) => base * (1 + ((0.2 - 1) * Math.min(e, 4)) / 4));
    opt = twoGroups();
    const toZero = sequence(opt, new LinearLR(opt, { startFactor: 0.5, endFactor: 0, totalIters: 3 }), 5);
    expectClosedForm(toZero, (base, e) => base * (0.5 - (0.5 * Math.min(e, 3)) / 3));
  });

  it('the optimizer steps with the scheduled lr', () => {
    const w = tensor([1], { dtype: 'float64', requiresGrad: true });
    const opt = new SGD([w], { lr: 0.5 });
    const scheduler = new StepLR(opt, 1, { gamma: 0.5 });
    const lrs: number[] = [];
    for (let epoch = 0; epoch < 3; epoch++) {
      const before = w.data[0];
      opt.zeroGrad();
      w.square().sum().mul(0.5).backward(); // gradient = w
      opt.step();
      lrs.push((before - w.data[0]) / before); // w ← w − lr·w
      scheduler.step();
    }
    expect(lrs).toEqual([0.5, 0.25, 0.125]);
  });
});

describe('epoch scheduler state dicts', () => {
  const kinds: Array<[string, (opt: SGD) => LRScheduler]> = [
    ['StepLR', (o) => new StepLR(o, 3, { gamma: 0.5 })],
    ['MultiStepLR', (o) => new MultiStepLR(o, [2, 4, 4], { gamma: 0.3 })],
    ['ExponentialLR', (o) => new ExponentialLR(o, 0.8)],
    ['CosineAnnealingLR', (o) => new CosineAnnealingLR(o, 4, { etaMin: 0.001 })],
    ['LinearLR', (o) => new LinearLR(o, { startFactor: 0.25, totalIters: 6 })],
  ];
  for (const [name, make] of kinds) {
    it(`${name}: a lastEpoch that is not an integer ≥ 0 is refused and changes nothing`, () => {
      const scheduler = make(twoGroups());
      scheduler.step();
      const before = scheduler.stateDict();
      for (const lastEpoch of [-1, 0.5, NaN]) {
        const e = thrown(() => scheduler.loadStateDict({ ...scheduler.stateDict(), lastEpoch }));
        expect(e).toBeInstanceOf(RangeError);
        expect(e.message).toBe(`${name}.loadStateDict: lastEpoch must be an integer ≥ 0, got ${lastEpoch}`);
        expect(scheduler.stateDict()).toEqual(before);
      }
    });

    it(`${name}: resuming from saved optimizer + scheduler state continues bit-identically`, () => {
      const opt = twoGroups();
      const scheduler = make(opt);
      for (let e = 0; e < 5; e++) scheduler.step();
      const savedOpt = JSON.parse(JSON.stringify(opt.stateDict()));
      const saved = JSON.parse(JSON.stringify(scheduler.stateDict())) as SchedulerStateDict;
      expect(saved.lastEpoch).toBe(5);
      const rest: number[][] = [];
      for (let e = 0; e < 6; e++) { scheduler.step(); rest.push(scheduler.getLastLr()); }

      const opt2 = twoGroups();
      const scheduler2 = make(opt2);
      opt2.loadStateDict(savedOpt);
      scheduler2.loadStateDict(saved);
      const rest2: number[][] = [];
      for (let e = 0; e < 6; e++) { scheduler2.step(); rest2.push(scheduler2.getLastLr()); }
      expect(rest2).toEqual(rest);
      expect(scheduler2.stateDict()).toEqual(scheduler.stateDict());
    });
  }

  it('loadStateDict restores the configuration too', () => {
    const a = twoGroups();
    const b = twoGroups();
    const source = new StepLR(a, 7, { gamma: 0.25 });
    const target = new StepLR(b, 2);
    target.loadStateDict(source.stateDict());
    expect([target.stepSize, target.gamma]).toEqual([7, 0.25]);
  });

  describe('bad state dicts are refused and change nothing', () => {
    const cases: Array<[string, (d: Record<string, unknown>) => void, RegExp]> = [
      ['a missing key', (d) => { delete d.gamma; }, /StepLR.loadStateDict: the state dict does not match \(missing gamma\)/],
      ['an unknown key', (d) => { d.milestones = [1]; }, /unknown milestones/],
      ['a negative epoch', (d) => { d.lastEpoch = -3; }, /lastEpoch must be an integer ≥ 0, got -3/],
      ['a fractional epoch', (d) => { d.lastEpoch = 2.5; }, /StepLR.loadStateDict: lastEpoch must be an integer ≥ 0, got 2.5/],
      ['a NaN epoch', (d) => { d.lastEpoch = NaN; }, /StepLR.loadStateDict: lastEpoch must be an integer ≥ 0, got NaN/],
      ['an infinite epoch', (d) => { d.lastEpoch = Infinity; }, /lastEpoch must be an integer ≥ 0, got Infinity/],
      ['an epoch as a string', (d) => { d.lastEpoch = '4'; }, /StepLR.loadStateDict: lastEpoch must be an integer, got "4"/],
      ['base lrs for the wrong number of groups', (d) => { d.baseLrs = [0.1]; }, /baseLrs must be an array of 2 learning rates/],
      ['a negative lr', (d) => { d.lastLr = [0.1, -1]; }, /lastLr\[1\] .* got -1/],
      ['an invalid configuration', (d) => { d.stepSize = 0; }, /StepLR: stepSize must be an integer ≥ 1, got 0/],
    ];
    for (const [name, mutate, message] of cases) {
      it(name, () => {
        const opt = twoGroups();
        const scheduler = new StepLR(opt, 3, { gamma: 0.5 });
        scheduler.step();
        const before = scheduler.stateDict();
        const bad = scheduler.stateDict() as Record<string, unknown>;
        mutate(bad);
        expect(() => scheduler.loadStateDict(bad as SchedulerStateDict)).toThrow(message);
        expect(scheduler.stateDict()).toEqual(before);
      });
    }
  });
});

describe('scheduler checks', () => {
  const opt = () => new SGD([tensor([1], { requiresGrad: true })], { lr: 0.1 });
  const bad: Array<[string, () => unknown, ErrorConstructor, RegExp]> = [
    ['StepLR stepSize 0', () => new StepLR(opt(), 0), RangeError, /StepLR: stepSize must be an integer ≥ 1, got 0/],
    ['StepLR stepSize 1.5', () => new StepLR(opt(), 1.5), RangeError, /got 1.5/],
    ['StepLR gamma < 0', () => new StepLR(opt(), 2, { gamma: -0.1 }), RangeError, /StepLR: gamma .* got -0.1/],
    ['StepLR unknown option', () => new StepLR(opt(), 2, { factor: 0.1 } as never), TypeError, /StepLR: unknown option 'factor'/],
    ['MultiStepLR negative milestone', () => new MultiStepLR(opt(), [3, -1]), RangeError, /milestones\[1\] must be an integer ≥ 0, got -1/],
    ['MultiStepLR milestones not an array', () => new MultiStepLR(opt(), 3 as never), TypeError, /milestones must be an array/],
    ['ExponentialLR gamma NaN', () => new ExponentialLR(opt(), NaN), RangeError, /ExponentialLR: gamma .* got NaN/],
    ['CosineAnnealingLR tMax 0', () => new CosineAnnealingLR(opt(), 0), RangeError, /CosineAnnealingLR: tMax .* got 0/],
    ['CosineAnnealingLR etaMin < 0', () => new CosineAnnealingLR(opt(), 3, { etaMin: -1 }), RangeError, /etaMin .* got -1/],
    ['LinearLR startFactor 0', () => new LinearLR(opt(), { startFactor: 0 }), RangeError, /LinearLR: startFactor must be a finite number in \(0, 1\], got 0/],
    ['LinearLR startFactor > 1', () => new LinearLR(opt(), { startFactor: 1.5 }), RangeError, /startFactor .* got 1.5/],
    ['LinearLR endFactor < 0', () => new LinearLR(opt(), { endFactor: -0.5 }), RangeError, /endFactor .* got -0.5/],
    ['LinearLR totalIters 0', () => new LinearLR(opt(), { totalIters: 0 }), RangeError, /totalIters .* got 0/],
    ['not an optimizer', () => new StepLR({ paramGroups: [] } as never, 2), TypeError, /StepLR: expected an optimizer/],
    ['ReduceLROnPlateau factor 1', () => new ReduceLROnPlateau(opt(), { factor: 1 }), RangeError, /ReduceLROnPlateau: factor must be a finite number in \[0, 1\), got 1/],
    ['ReduceLROnPlateau mode', () => new ReduceLROnPlateau(opt(), { mode: 'median' as never }), RangeError, /mode must be 'min' or 'max', got "median"/],
    ['ReduceLROnPlateau thresholdMode', () => new ReduceLROnPlateau(opt(), { thresholdMode: 'pct' as never }), RangeError, /thresholdMode/],
    ['ReduceLROnPlateau patience -1', () => new ReduceLROnPlateau(opt(), { patience: -1 }), RangeError, /patience must be an integer ≥ 0, got -1/],
    ['ReduceLROnPlateau cooldown 0.5', () => new ReduceLROnPlateau(opt(), { cooldown: 0.5 }), RangeError, /cooldown .* got 0.5/],
    ['ReduceLROnPlateau threshold < 0', () => new ReduceLROnPlateau(opt(), { threshold: -1 }), RangeError, /threshold .* got -1/],
    ['ReduceLROnPlateau minLr per group', () => new ReduceLROnPlateau(opt(), { minLr: [0, 0] }), RangeError, /minLr must be an array of 1 learning rates/],
    ['ReduceLROnPlateau eps < 0', () => new ReduceLROnPlateau(opt(), { eps: -1 }), RangeError, /eps .* got -1/],
  ];
  for (const [name, make, kind, message] of bad) {
    it(name, () => {
      expect(make).toThrow(kind);
      expect(make).toThrow(message);
    });
  }

  it('an invalid configuration leaves the optimizer untouched', () => {
    const o = opt();
    expect(() => new LinearLR(o, { startFactor: 0.5, totalIters: -1 })).toThrow(RangeError);
    expect(o.paramGroups[0].lr).toBe(0.1);
  });
});

describe('ReduceLROnPlateau', () => {
  /** The lr after each step(metric). */
  function lrs(metrics: Array<number | Tensor>, options: ConstructorParameters<typeof ReduceLROnPlateau>[1], lr = 1): number[] {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr });
    const scheduler = new ReduceLROnPlateau(opt, options);
    return metrics.map((m) => {
      scheduler.step(m);
      expect(scheduler.getLastLr()).toEqual([opt.paramGroups[0].lr]);
      return opt.paramGroups[0].lr;
    });
  }

  it('patience: reduces after more than `patience` epochs without improvement', () => {
    // best 10, best 9, then bad epochs 1, 2, 3 (> 2: ×0.5, counter reset), 1, 2, 3 (×0.5 again).
    expect(lrs([10, 9, 9, 9, 9, 9, 9, 9], { patience: 2, factor: 0.5 })).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
  });

  it('cooldown: bad epochs are not counted for `cooldown` epochs after a reduction', () => {
    // e1 best 5; e2 bad 1; e3 bad 2 > 1 → 0.1, cooldown 2; e4, e5 cooling (bad reset); e6 bad 1; e7 bad 2 → 0.01.
    expect(lrs([5, 5, 5, 5, 5, 5, 5], { patience: 1, cooldown: 2, factor: 0.1 })).toEqual([1, 1, 0.1, 0.1, 0.1, 0.1, 0.1 * 0.1]);
  });

  it("threshold 'rel': only a metric below best·(1 − threshold) improves (mode min)", () => {
    // best 10; 9.5 ≥ 10·0.9 = 9 is a bad epoch (patience 0: reduce); 8.9 < 9 improves; 8.5 ≥ 8.9·0.9 = 8.01 is bad.
    expect(lrs([10, 9.5, 8.9, 8.5], { patience: 0, threshold: 0.1, factor: 0.5 })).toEqual([1, 0.5, 0.5, 0.25]);
  });

  it("threshold 'abs': only a metric below best − threshold improves (mode min)", () => {
    // best 10; 9.5 ≥ 10 − 0.6 is bad → 0.5; 9.3 < 9.4 improves; 8.8 ≥ 9.3 − 0.6 = 8.7 is bad → 0.25.
    expect(lrs([10, 9.5, 9.3, 8.8], { patience: 0, threshold: 0.6, thresholdMode: 'abs', factor: 0.5 })).toEqual([1, 0.5, 0.5, 0.25]);
  });

  it('mode max: the metric must rise (rel: above best·(1 + threshold))', () => {
    // best 0.5; 0.6 > 0.5·1.1 = 0.55 improves; 0.62 ≤ 0.6·1.1 = 0.66 is bad → 0.1; 0.7 > 0.66 improves.
    expect(lrs([0.5, 0.6, 0.62, 0.7], { mode: 'max', patience: 0, threshold: 0.1 })).toEqual([1, 1, 0.1, 0.1]);
  });

  it('minLr bounds the reduction, and reductions of no more than eps are skipped', () => {
    expect(lrs([1, 1, 1, 1], { patience: 0, factor: 0.5, minLr: 0.3 })).toEqual([1, 0.5, 0.3, 0.3]);
    // 1e-8 → 5e-9 would change the lr by 5e-9 ≤ eps = 1e-8: skipped.
    expect(lrs([1, 1, 1], { patience: 0, factor: 0.5 }, 1e-8)).toEqual([1e-8, 1e-8, 1e-8]);
  });

  it('minLr per group; a one-element tensor as the metric', () => {
    const opt = new Adam([{ params: [tensor([1], { requiresGrad: true })], lr: 1 }, { params: [tensor([1], { requiresGrad: true })], lr: 1 }]);
    const scheduler = new ReduceLROnPlateau(opt, { patience: 0, minLr: [0.5, 0.01] });
    for (const m of [3, 3, 3]) scheduler.step(tensor([m]));
    expect(scheduler.getLastLr()).toEqual([0.5, 0.1 * 0.1]);
    expect(() => scheduler.step(tensor([1, 2]))).toThrow(RangeError);
  });

  it('a NaN metric is a bad epoch', () => {
    expect(lrs([1, NaN, NaN], { patience: 1, factor: 0.5 })).toEqual([1, 1, 0.5]);
  });

  it('state dict: JSON (an infinite best as a string), resumes bit-identically, refuses bad input', () => {
    const opt = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const scheduler = new ReduceLROnPlateau(opt, { patience: 1, cooldown: 1, factor: 0.5, mode: 'max' });
    expect(scheduler.stateDict().best).toBe('-Infinity');
    const fresh = JSON.parse(JSON.stringify(scheduler.stateDict()));
    const metrics = [0.1, 0.2, 0.2, 0.2, 0.2, 0.3, 0.3, 0.3, 0.3, 0.3];
    for (const m of metrics.slice(0, 4)) scheduler.step(m);
    const savedOpt = JSON.parse(JSON.stringify(opt.stateDict()));
    const saved = JSON.parse(JSON.stringify(scheduler.stateDict()));
    const rest = metrics.slice(4).map((m) => { scheduler.step(m); return scheduler.getLastLr()[0]; });

    const opt2 = new SGD([tensor([1], { requiresGrad: true })], { lr: 1 });
    const scheduler2 = new ReduceLROnPlateau(opt2);
    opt2.loadStateDict(savedOpt);
    scheduler2.loadStateDict(saved);
    expect(scheduler2.mode).toBe('max');
    const rest2 = metrics.slice(4).map((m) => { scheduler2.step(m); return scheduler2.getLastLr()[0]; });
    expect(rest2).toEqual(rest);
    expect(scheduler2.stateDict()).toEqual(scheduler.stateDict());

    // A fresh state loads back to an infinite best.
    scheduler2.loadStateDict(fresh);
    expect(scheduler2.best).toBe(-Infinity);

    const before = scheduler2.stateDict();
    // named errors for the numbers: best may be ±Infinity but not NaN (no metric is ever better than NaN), and the
    // counters are integers ≥ 0
    const numbers: Array<[string, unknown, ErrorConstructor, RegExp]> = [
      ['best', NaN, RangeError, /^ReduceLROnPlateau.loadStateDict: best must be a number other than NaN .* got NaN$/],
      ['best', 'NaN', TypeError, /^ReduceLROnPlateau.loadStateDict: best must be a number, 'Infinity' or '-Infinity', got "NaN"$/],
      ['numBadEpochs', 1.5, RangeError, /^ReduceLROnPlateau.loadStateDict: numBadEpochs must be an integer ≥ 0, got 1.5$/],
      ['cooldownCounter', -2, RangeError, /^ReduceLROnPlateau.loadStateDict: cooldownCounter must be an integer ≥ 0, got -2$/],
      ['lastEpoch', Infinity, RangeError, /^ReduceLROnPlateau.loadStateDict: lastEpoch must be an integer ≥ 0, got Infinity$/],
      ['lastEpoch', NaN, RangeError, /lastEpoch must be an integer ≥ 0, got NaN$/],
    ];
    for (const [key, value, kind, message] of numbers) {
      const e = thrown(() => scheduler2.loadStateDict({ ...scheduler2.stateDict(), [key]: value } as SchedulerStateDict));
      expect(e, `${key} = ${String(value)}`).toBeInstanceOf(kind);
      expect(e.message).toMatch(message);
      expect(scheduler2.stateDict()).toEqual(before);
    }
    // a finite best and an infinite one given as a number both load
    scheduler2.loadStateDict({ ...scheduler2.stateDict(), best: 0.25 });
    expect(scheduler2.best).toBe(0.25);
    scheduler2.loadStateDict({ ...scheduler2.stateDict(), best: -Infinity });
    expect(scheduler2.best).toBe(-Infinity);
    expect(scheduler2.stateDict()).toEqual(before);
    for (const mutate of [
      (d: Record<string, unknown>) => { d.best = 'lots'; },
      (d: Record<string, unknown>) => { d.factor = 2; },
      (d: Record<string, unknown>) => { d.numBadEpochs = -1; },
      (d: Record<string, unknown>) => { d.minLrs = [0, 0]; },
      (d: Record<string, unknown>) => { delete d.cooldownCounter; },
    ]) {
      const bad = scheduler2.stateDict() as Record<string, unknown>;
      mutate(bad);
      expect(() => scheduler2.loadStateDict(bad as SchedulerStateDict)).toThrow();
      expect(scheduler2.stateDict()).toEqual(before);
    }
  });
});
