// Learning-rate schedules against PyTorch (scripts/fixtures/torch_schedules.py →
// tests/fixtures/torch-schedules.json): every case builds the schedule on a plain optimizer-shaped
// object, steps it, and must reproduce PyTorch's lr (and cycled momentum) after every step within
// 1e-10 relative; each case is also cut in half and resumed through stateDict/loadStateDict.
// Then option validation, failure atomicity and composition details.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import * as optim from '../../src/optim/schedules/index.js';
import { Adam, SGD } from '../../src/optim/index.js';
import { BACKENDS } from '../helpers/backends.js';
import type { Optimizer } from '../../src/optim/optimizer.js';
import type { LRScheduler, SchedulerOptimizer, SchedulerState } from '../../src/optim/schedules/index.js';

// Every sg.optim optimizer is something a schedule can drive (checked by tsc).
const _optimizerFits = (o: Optimizer): SchedulerOptimizer => o;
void _optimizerFits;

interface Spec { type: string; opts: Record<string, unknown> }
interface Case {
  name: string; optimizer: { kind: 'sgd' | 'adam'; lrs: number[]; momentum?: number }; spec: Spec; steps: number;
  metrics?: number[]; lrs: number[][]; momenta?: number[][];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/torch-schedules.json', import.meta.url), 'utf8')) as { cases: Case[] };

interface Group { lr: number; initialLr?: number; momentum?: number; betas?: number[] }
interface FakeOptimizer { paramGroups: Group[] }
type AnySchedule = LRScheduler | optim.ReduceLROnPlateau;

function fakeOptimizer(o: Case['optimizer']): FakeOptimizer {
  return {
    paramGroups: o.lrs.map((lr) => (o.kind === 'adam' ? { lr, betas: [0.9, 0.999] } : { lr, momentum: o.momentum ?? 0 })),
  };
}

function build(opt: FakeOptimizer, spec: Spec): AnySchedule {
  const o = spec.opts as never;
  const children = () => (spec.opts.schedulers as Spec[]).map((c) => build(opt, c) as LRScheduler);
  switch (spec.type) {
    case 'StepLR': return new optim.StepLR(opt, o);
    case 'MultiStepLR': return new optim.MultiStepLR(opt, o);
    case 'ExponentialLR': return new optim.ExponentialLR(opt, o);
    case 'CosineAnnealingLR': return new optim.CosineAnnealingLR(opt, o);
    case 'CosineAnnealingWarmRestarts': return new optim.CosineAnnealingWarmRestarts(opt, o);
    case 'LinearLR': return new optim.LinearLR(opt, o);
    case 'LinearWarmup': return new optim.LinearWarmup(opt, o);
    case 'OneCycleLR': return new optim.OneCycleLR(opt, o);
    case 'ReduceLROnPlateau': return new optim.ReduceLROnPlateau(opt, o);
    case 'SequentialLR': return new optim.SequentialLR(opt, { schedulers: children(), milestones: spec.opts.milestones as number[] });
    case 'ChainedScheduler': return new optim.ChainedScheduler(children());
    default: throw new Error(`unknown schedule ${spec.type}`);
  }
}

function stepOnce(s: AnySchedule, c: Case, i: number): void {
  if (s instanceof optim.ReduceLROnPlateau) s.step(c.metrics![i]!);
  else s.step();
}

function momenta(opt: FakeOptimizer): number[] {
  return opt.paramGroups.map((g) => (g.betas ? g.betas[0]! : g.momentum!));
}

function expectRow(actual: number[], expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((a, i) => {
    const e = expected[i]!;
    if (!(Math.abs(a - e) <= 1e-10 * Math.abs(e) + 1e-300)) expect.fail(`${label} group ${i}: got ${a}, PyTorch ${e}`);
  });
}

describe('schedules match PyTorch', () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const opt = fakeOptimizer(c.optimizer);
      const s = build(opt, c.spec);
      for (let i = 0; i <= c.steps; i++) {
        if (i > 0) stepOnce(s, c, i - 1);
        const lrs = opt.paramGroups.map((g) => g.lr);
        expectRow(lrs, c.lrs[i]!, `step ${i} lr`);
        expect(s.getLastLr()).toEqual(lrs);
        if (c.momenta) expectRow(momenta(opt), c.momenta[i]!, `step ${i} momentum`);
      }
      if (!(s instanceof optim.ReduceLROnPlateau) && !(s instanceof optim.ChainedScheduler)) expect(s.lastEpoch).toBe(c.steps);
    });

    it(`${c.name}: resumes from stateDict`, () => {
      const half = Math.floor(c.steps / 2);
      const opt = fakeOptimizer(c.optimizer);
      const s = build(opt, c.spec);
      for (let i = 0; i < half; i++) stepOnce(s, c, i);
      const state = JSON.parse(JSON.stringify(s.stateDict(), (_k, v: unknown) => (v === Infinity ? 'Inf' : v === -Infinity ? '-Inf' : v)),
        (_k, v: unknown) => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : v)) as SchedulerState;
      const saved = structuredClone(opt.paramGroups);
      const opt2 = fakeOptimizer(c.optimizer);
      const s2 = build(opt2, c.spec);
      s2.loadStateDict(state);
      opt2.paramGroups.forEach((g, i) => Object.assign(g, saved[i])); // as optimizer.loadStateDict would
      for (let i = half; i < c.steps; i++) {
        stepOnce(s2, c, i);
        expectRow(opt2.paramGroups.map((g) => g.lr), c.lrs[i + 1]!, `resumed step ${i + 1} lr`);
        if (c.momenta) expectRow(momenta(opt2), c.momenta[i + 1]!, `resumed step ${i + 1} momentum`);
      }
    });
  }
});

const opt1 = (lr = 0.1): FakeOptimizer => ({ paramGroups: [{ lr, momentum: 0.9 }] });

describe('schedule options and edge cases', () => {
  it('validates options with RangeErrors naming the value', () => {
    expect(() => new optim.StepLR(opt1(), { stepSize: 0 })).toThrow(/StepLR: stepSize must be an integer ≥ 1, got 0/);
    expect(() => new optim.StepLR(opt1(), { stepSize: 2.5 })).toThrow(RangeError);
    expect(() => new optim.StepLR(opt1(), { stepSize: 3, gamma: -1 })).toThrow(/gamma .* got -1/);
    expect(() => new optim.MultiStepLR(opt1(), { milestones: [3, -1] })).toThrow(/milestones\[1\]/);
    expect(() => new optim.ExponentialLR(opt1(), { gamma: NaN })).toThrow(RangeError);
    expect(() => new optim.CosineAnnealingLR(opt1(), { tMax: 0 })).toThrow(/tMax/);
    expect(() => new optim.CosineAnnealingWarmRestarts(opt1(), { t0: 5, tMult: 0 })).toThrow(/tMult/);
    expect(() => new optim.LinearLR(opt1(), { startFactor: 0 })).toThrow(/startFactor must be a finite number > 0 and ≤ 1, got 0/);
    expect(() => new optim.LinearWarmup(opt1(), { warmupSteps: 0 })).toThrow(/LinearWarmup: warmupSteps/);
    expect(() => new optim.OneCycleLR(opt1(), { maxLr: 0.1 })).toThrow(/totalSteps, or epochs and stepsPerEpoch/);
    expect(() => new optim.OneCycleLR(opt1(), { maxLr: 0.1, totalSteps: 10, pctStart: 1.5 })).toThrow(/pctStart/);
    expect(() => new optim.OneCycleLR(opt1(), { maxLr: [0.1, 0.2], totalSteps: 10 })).toThrow(/expected 1 values for maxLr/);
    expect(() => new optim.OneCycleLR(opt1(), { maxLr: 0.1, totalSteps: 10, annealStrategy: 'exp' as never })).toThrow(/'cos', 'linear'/);
    expect(() => new optim.OneCycleLR({ paramGroups: [{ lr: 0.1 }] }, { maxLr: 0.1, totalSteps: 10 })).toThrow(/cycleMomentum/);
    expect(() => new optim.ReduceLROnPlateau(opt1(), { factor: 1 })).toThrow(/factor .*< 1, got 1/);
    expect(() => new optim.ReduceLROnPlateau(opt1(), { mode: 'up' as never })).toThrow(/mode must be one of 'min', 'max'/);
    expect(() => new optim.ReduceLROnPlateau(opt1(), { thresholdMode: 'x' as never })).toThrow(RangeError);
    expect(() => new optim.ReduceLROnPlateau(opt1()).step('a' as never)).toThrow(/metric/);
    expect(() => new optim.StepLR({ paramGroups: [] }, { stepSize: 1 })).toThrow(TypeError);
  });

  it('SequentialLR and ChainedScheduler check their parts', () => {
    const a = opt1(), b = opt1();
    const s1 = new optim.StepLR(a, { stepSize: 2 }), s2 = new optim.ExponentialLR(b, { gamma: 0.9 });
    expect(() => new optim.SequentialLR(a, { schedulers: [s1, s2], milestones: [3] })).toThrow(/different optimizer/);
    expect(() => new optim.SequentialLR(a, { schedulers: [s1], milestones: [3] })).toThrow(/expected 0 milestones/);
    const s3 = new optim.ExponentialLR(a, { gamma: 0.9 }), s4 = new optim.StepLR(a, { stepSize: 3 });
    expect(() => new optim.SequentialLR(a, { schedulers: [s1, s3, s4], milestones: [5, 5] })).toThrow(/must increase/);
    expect(() => new optim.ChainedScheduler([s1, s2])).toThrow(/different optimizers/);
  });

  it('OneCycleLR refuses to step past totalSteps and stays intact', () => {
    const opt = opt1();
    const s = new optim.OneCycleLR(opt, { maxLr: 1, totalSteps: 4 });
    for (let i = 0; i < 4; i++) s.step();
    const before = { lr: opt.paramGroups[0]!.lr, m: opt.paramGroups[0]!.momentum, epoch: s.lastEpoch };
    expect(() => s.step()).toThrow(/tried to step 6 times; the cycle has totalSteps = 4/);
    expect({ lr: opt.paramGroups[0]!.lr, m: opt.paramGroups[0]!.momentum, epoch: s.lastEpoch }).toEqual(before);
    expect(opt.paramGroups[0]!.initialLr).toBe(1 / 25);
  });

  it('OneCycleLR writes a fresh betas array and keeps beta2', () => {
    const betas = [0.9, 0.99];
    const opt = { paramGroups: [{ lr: 0.1, betas }] };
    new optim.OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    expect(opt.paramGroups[0]!.betas).toEqual([0.95, 0.99]);
    expect(betas).toEqual([0.9, 0.99]);
  });

  it('stepTo jumps with the closed form', () => {
    const opt = opt1();
    const s = new optim.CosineAnnealingLR(opt, { tMax: 10, etaMin: 0.01 });
    s.stepTo(5);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01 + 0.09 * (1 + Math.cos(Math.PI / 2)) / 2, 15);
    expect(s.lastEpoch).toBe(5);
    const w = new optim.CosineAnnealingWarmRestarts(opt1(), { t0: 10, tMult: 2 });
    w.stepTo(15); // second period (length 20), 5 epochs in
    expect(w.tI).toBe(20);
    expect(w.tCur).toBe(5);
    expect(() => s.stepTo(-1)).toThrow(RangeError);
  });

  it('keeps an existing initialLr and uses it as the base', () => {
    const opt = { paramGroups: [{ lr: 0.5, initialLr: 0.2 }] };
    const s = new optim.ExponentialLR(opt, { gamma: 0.5 });
    expect(s.baseLrs).toEqual([0.2]);
    s.stepTo(2);
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
  });

  it('ReduceLROnPlateau accepts a one-element tensor-like metric', () => {
    const opt = opt1();
    const s = new optim.ReduceLROnPlateau(opt, { patience: 0 });
    s.step({ item: () => 1 });
    s.step({ item: () => 2 });
    expect(s.getLastLr()).toEqual([0.1 * 0.1]);
    expect(s.best).toBe(1);
  });
});

describe('schedules drive real optimizers', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('SGD steps with the scheduled rate', () => {
    const p = sg.tensor([1, 2], [2], { requiresGrad: true });
    const opt = new SGD([p], { lr: 0.1 });
    const sched = new optim.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    for (let i = 0; i < 3; i++) {
      opt.zeroGrad();
      sg.scope(() => p.sum().backward());
      opt.step();
      sched.step();
    }
    const got = p.toArray();
    expect(got[0]).toBeCloseTo(1 - 0.1 - 0.05 - 0.025, 6);
    expect(got[1]).toBeCloseTo(2 - 0.175, 6);
    expect(opt.lr).toBeCloseTo(0.0125, 15);
    expect(sched.getLastLr()).toEqual([opt.lr]);
    opt.dispose();
    p.dispose();
  });

  it('OneCycleLR cycles Adam betas[0] and SGD momentum', () => {
    const a = sg.zeros([3], { requiresGrad: true }), b = sg.zeros([3], { requiresGrad: true });
    const adam = new Adam([a], { lr: 1e-3, betas: [0.9, 0.98] });
    const sgd = new SGD([b], { lr: 0.1, momentum: 0.9 });
    const s1 = new optim.OneCycleLR(adam, { maxLr: 0.01, totalSteps: 10 });
    const s2 = new optim.OneCycleLR(sgd, { maxLr: 0.5, totalSteps: 10 });
    expect(adam.paramGroups[0]!.betas).toEqual([0.95, 0.98]);
    expect(sgd.paramGroups[0]!.momentum).toBe(0.95);
    expect(adam.lr).toBeCloseTo(0.01 / 25, 15);
    for (let i = 0; i < 2; i++) {
      for (const o of [adam, sgd]) o.zeroGrad();
      sg.scope(() => { a.sum().backward(); b.sum().backward(); });
      adam.step(); sgd.step(); s1.step(); s2.step();
    }
    expect(adam.paramGroups[0]!.betas[0]).toBeCloseTo(0.85, 12); // peak at step 0.3 · 10 − 1 = 2
    expect(sgd.paramGroups[0]!.momentum).toBeCloseTo(0.85, 12);
    expect(adam.lr).toBeCloseTo(0.01, 12);
    for (const t of [adam, sgd, a, b]) t.dispose();
  });
});
