// Optimizers and schedules describe themselves as plain data (config()): the name and the options
// that built them. Every schedule case of the PyTorch fixture (tests/fixtures/torch-schedules.json)
// is built from its spec; its config must carry the spec's options (defaults filled in), survive
// JSON, and rebuild a schedule that sets exactly the same rates step after step.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import type { LRScheduler, ScheduleConfig } from '../../src/optim/schedules/index.js';
import { BACKENDS } from '../helpers/backends.js';

interface Spec { type: string; opts: Record<string, unknown> }
interface Case { name: string; optimizer: { kind: 'sgd' | 'adam'; lrs: number[]; momentum?: number }; spec: Spec; steps: number; metrics?: number[] }
const CASES = (JSON.parse(readFileSync(new URL('../fixtures/torch-schedules.json', import.meta.url), 'utf8')) as { cases: Case[] }).cases;

interface Group { lr: number; initialLr?: number; momentum?: number; betas?: number[] }
type Schedule = LRScheduler | sg.optim.ReduceLROnPlateau;
const groups = (o: Case['optimizer']): { paramGroups: Group[] } => ({
  paramGroups: o.lrs.map((lr) => (o.kind === 'adam' ? { lr, betas: [0.9, 0.999] } : { lr, momentum: o.momentum ?? 0 })),
});

/** Builds a schedule from a spec or a config (the same shape: a name and options). */
function build(opt: { paramGroups: Group[] }, type: string, opts: Record<string, unknown>): Schedule {
  const C = (sg.optim as unknown as Record<string, new (...a: unknown[]) => Schedule>)[type]!;
  const children = () => (opts.schedulers as Array<Spec | ScheduleConfig>).map((c) =>
    build(opt, 'type' in c ? c.type : c.name, 'opts' in c ? c.opts : c.options));
  if (type === 'ChainedScheduler') return new C(children());
  if (type === 'SequentialLR') return new C(opt, { ...opts, schedulers: children() });
  return new C(opt, opts);
}

/** What config() must say about a spec: its options as given (defaults may be added). */
function expected(spec: Spec): { name: string; options: Record<string, unknown> } {
  const { epochs, stepsPerEpoch, ...opts } = spec.opts as Record<string, unknown> & { epochs?: number; stepsPerEpoch?: number };
  if (epochs !== undefined) opts.totalSteps = epochs * stepsPerEpoch!;
  for (const [k, v] of Object.entries(opts)) {
    if (k === 'schedulers') opts[k] = (v as Spec[]).map(expected);
    else if (Array.isArray(v) && k !== 'milestones' && v.every((x) => x === v[0])) opts[k] = v[0]; // one value per group, all equal
  }
  return { name: spec.type, options: expect.objectContaining(opts) as Record<string, unknown> };
}

describe('schedule config()', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const a = groups(c.optimizer), b = groups(c.optimizer);
    const s = build(a, c.spec.type, c.spec.opts);
    const config = s.config();
    expect(config).toEqual(expected(c.spec));
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
    const twin = build(b, config.name, config.options);
    for (let i = 0; i < c.steps; i++) {
      if (twin instanceof sg.optim.ReduceLROnPlateau) { twin.step(c.metrics![i]!); (s as sg.optim.ReduceLROnPlateau).step(c.metrics![i]!); }
      else { twin.step(); (s as LRScheduler).step(); }
      expect(b.paramGroups.map((g) => g.lr)).toEqual(a.paramGroups.map((g) => g.lr));
    }
  });
});

describe('optimizer config()', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('names the optimizer and lists its hyperparameters with the defaults filled in', () => {
    const p = [sg.nn.param(() => sg.zeros([3])), sg.nn.param(() => sg.zeros([2]))];
    const made: sg.optim.Optimizer[] = [];
    const make = <O extends sg.optim.Optimizer>(o: O): O => { made.push(o); return o; };
    try {
      expect(make(new sg.optim.SGD(p, { lr: 0.1, momentum: 0.9 })).config()).toEqual(
        { name: 'SGD', options: { lr: 0.1, momentum: 0.9, dampening: 0, nesterov: false, weightDecay: 0 } });
      made.pop()!.dispose();
      expect(make(new sg.optim.Adam(p)).config()).toEqual(
        { name: 'Adam', options: { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false } });
      made.pop()!.dispose();
      expect(make(new sg.optim.AdamW(p, { betas: [0.8, 0.99] })).config()).toEqual(
        { name: 'AdamW', options: { lr: 1e-3, betas: [0.8, 0.99], eps: 1e-8, weightDecay: 1e-2, amsgrad: false } });
      made.pop()!.dispose();
      expect(make(new sg.optim.RMSprop(p)).config()).toEqual(
        { name: 'RMSprop', options: { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false } });
      made.pop()!.dispose();
      expect(make(new sg.optim.Adagrad(p, { lrDecay: 0.1 })).config()).toEqual(
        { name: 'Adagrad', options: { lr: 1e-2, lrDecay: 0.1, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 } });
      made.pop()!.dispose();
      // Groups: each with its hyperparameters as they are now (after a schedule's step), beside the defaults.
      const g = make(new sg.optim.SGD([{ params: [p[0]!], lr: 0.5 }, { params: [p[1]!], weightDecay: 0.1 }], { lr: 0.05 }));
      const sched = new sg.optim.ExponentialLR(g, { gamma: 0.5 });
      sched.step();
      expect(g.config()).toEqual({
        name: 'SGD', options: { lr: 0.05, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
        groups: [
          { lr: 0.25, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
          { lr: 0.025, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0.1 },
        ],
      });
      expect(g.defaults.lr).toBe(0.05);
      // One group: its current values (a rate set after construction is the one reported).
      const one = make(new sg.optim.SGD(p, { lr: 0.05 }));
      one.lr = 0.2;
      expect(one.config().options.lr).toBe(0.2);
    } finally {
      for (const o of made) o.dispose();
      for (const t of p) t.dispose();
    }
  });
});
