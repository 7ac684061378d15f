// Optimizers skip a parameter without a gradient, as PyTorch does: frozen (requiresGrad false,
// from the start or mid-training, then unfrozen) or never reached by backward. PyTorch golden
// trajectories (scripts/fixtures/torch_optim.py → tests/fixtures/torch-optim.json, freezeCases:
// the 4-8-3 MLP plus an unused parameter u, b1 frozen for steps 1-5, w2 for steps 4-7) replayed
// on every backend with every option that moves a parameter (weight decay, momentum, Nesterov,
// AMSGrad, centered RMSprop, Adagrad decay); skipped parameters keep their bits and their state.
// Plus: one kernel call per group when nothing is skipped, per-parameter steps in state dicts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { createBackend } from '../../src/backend/create-backend.js';
import { wordIndex } from '../../src/memory.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';
import { FIX, INIT, tol, lossStep, build as buildFor, makeParams as makeFor, type Case, type Params } from '../helpers/torch-optim.js';

const NAMES = ['w1', 'b1', 'w2', 'b2', 'u'];
const makeParams = () => makeFor(NAMES);
const build = (c: Case, p: Params) => buildFor(c, p, NAMES);
const frozenAt = (name: string, step: number) => FIX.freezeSchedule[name]?.includes(step) ?? false;
/** The exact bits of a float array (toEqual would let −0 pass for 0). */
const bits = (a: Float32Array) => [...new Uint32Array(a.buffer, a.byteOffset, a.length)];

/** Where parameter t sits: its group, its index there, its element range in the block. */
function placeOf(opt: optim.Optimizer, t: sg.Tensor) {
  const gi = opt.paramGroups.findIndex((g) => g.params.includes(t)), g = opt.paramGroups[gi]!;
  const j = g.params.indexOf(t), at = g.block.offsets[j]!;
  return { gi, j, at, end: at + t.size };
}
/** A parameter's bits, its slices of every state buffer and its step count. */
function snapshot(opt: optim.Optimizer, t: sg.Tensor) {
  const { gi, j, at, end } = placeOf(opt, t), g = opt.stateDict().groups[gi]!;
  return {
    value: bits(t.toArray()),
    state: Object.fromEntries(Object.entries(g.state).map(([k, v]) => [k, bits(v.slice(at, end))])),
    step: g.steps![j],
  };
}

describe.each(BACKENDS)('freezing: PyTorch trajectories on %s', (name) => {
  let x: sg.Tensor;
  const y = Int32Array.from(FIX.y);
  beforeAll(async () => {
    await sg.init({ backend: name });
    x = sg.tensor(FIX.x.data, FIX.x.shape);
  });
  afterAll(() => x.dispose());

  it.each(FIX.freezeCases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const p = makeParams(), opt = build(c, p);
    try {
      for (const cp of c.checkpoints) {
        for (const k of NAMES) p[k]!.requiresGrad = !frozenAt(k, cp.step);
        opt.zeroGrad();
        const loss = lossStep(p, x, y);
        const skipped = NAMES.filter((k) => k === 'u' || frozenAt(k, cp.step));
        const before = skipped.map((k) => snapshot(opt, p[k]!));
        opt.step();
        expect(loss).toBeCloseTo(cp.loss, 5);
        for (const k of NAMES) expectClose(p[k]!.toArray(), cp.params[k]!, tol(cp.torchF32Drift), `${c.name} step ${cp.step} ${k}`);
        skipped.forEach((k, i) => {
          const after = snapshot(opt, p[k]!), was = before[i]!;
          // a state buffer made by this step holds its initial value where k sits
          const init = bits(Float32Array.of(c.optimizer === 'Adagrad' ? Number(c.options.initialAccumulatorValue ?? 0) : 0))[0];
          for (const name of Object.keys(after.state)) was.state[name] ??= after.state[name]!.map(() => init!);
          expect(after, `${c.name} step ${cp.step}: ${k} skipped`).toEqual(was);
        });
      }
      expect([...p.u!.toArray()]).toEqual(INIT.u!.data.map(Math.fround));
      // the step counts PyTorch keeps per parameter: b1 took 5 of 10, w2 6, u none
      const steps = NAMES.map((k) => { const { gi, j } = placeOf(opt, p[k]!); return opt.stateDict().groups[gi]!.steps![j]; });
      expect(steps).toEqual([10, 5, 6, 10, 0]);
    } finally {
      opt.dispose();
      for (const t of Object.values(p)) t.dispose();
    }
  });
});

describe('skipping parameters', () => {
  let x: sg.Tensor;
  const y = Int32Array.from(FIX.y);
  beforeAll(async () => {
    await sg.init({ backend: BACKENDS[0] });
    x = sg.tensor(FIX.x.data, FIX.x.shape);
  });
  afterAll(() => x.dispose());

  it('requiresGrad false wins over a gradient left from an earlier backward (no zeroGrad)', () => {
    for (const opts of [{ lr: 0.1, momentum: 0.9, weightDecay: 0.1 }, { lr: 0.1, momentum: 0.9, nesterov: true }]) {
      const p = makeParams(), opt = new optim.SGD(NAMES.map((k) => p[k]!), opts);
      lossStep(p, x, y);
      opt.step();                                // w2 has a momentum buffer and a gradient now
      p.w2!.requiresGrad = false;
      const before = snapshot(opt, p.w2!);
      for (let i = 0; i < 3; i++) opt.step();    // PyTorch would still apply the stale gradient
      expect(snapshot(opt, p.w2!)).toEqual(before);
      expect(bits(p.w1!.toArray())).not.toEqual(bits(Float32Array.from(FIX.init.w1!.data)));
      opt.dispose();
      for (const t of Object.values(p)) t.dispose();
    }
  });

  it('a module zeroGrad clears "has a gradient" too: an unused layer does not move', () => {
    const a = new sg.nn.Linear(4, 3, { seed: 1 }), b = new sg.nn.Linear(4, 3, { seed: 2 });
    const model = new sg.nn.Sequential(a, b);
    const opt = new optim.AdamW(model.parameters(), { lr: 0.1 }); // weight decay 1e-2
    const step = (layer: sg.nn.Linear) => {
      model.zeroGrad();
      sg.scope(() => sg.nn.functional.crossEntropy(layer.forward(x), y).backward());
      opt.step();
    };
    const a0 = [a.weight, a.bias!].map((t) => snapshot(opt, t));
    for (let i = 0; i < 3; i++) step(b);
    const a3 = [a.weight, a.bias!].map((t) => snapshot(opt, t));
    expect(a3.map((s) => [s.value, s.step])).toEqual(a0.map((s) => [s.value, s.step]));
    expect(a3.every((s) => Object.values(s.state).every((v) => v.every((w) => w === 0)))).toBe(true);
    const b3 = [b.weight, b.bias!].map((t) => snapshot(opt, t));
    expect(b3.map((s) => s.step)).toEqual([3, 3]);
    for (let i = 0; i < 2; i++) step(a);         // b has Adam state now, and still must not move
    expect([b.weight, b.bias!].map((t) => snapshot(opt, t))).toEqual(b3);
    expect(snapshot(opt, a.weight).step).toBe(2);
    expect(snapshot(opt, a.weight).value).not.toEqual(a0[0]!.value);
    opt.dispose();
    model.dispose();
  });

  it('the common step is one kernel call per group; a frozen parameter splits its group', async () => {
    const be = await createBackend('js');
    const calls: number[][] = [];
    const kernel = be.kernels.adam_f32;
    be.kernels.adam_f32 = (...args: Parameters<typeof kernel>) => { calls.push([args[0], args[5]]); kernel(...args); };
    const p = Object.fromEntries(NAMES.map((k) => [k, sg.Tensor.empty(INIT[k]!.shape, be)])) as Params;
    for (const t of Object.values(p)) { be.kernels.fill_f32(t.ptr, t.size, 0.5); t.requiresGrad = true; }
    const opt = new optim.Adam([{ params: [p.w1!, p.b1!, p.w2!] }, { params: [p.b2!, p.u!] }]);
    const all = () => { for (const t of Object.values(p)) sg.scope(() => t.sum().backward()); };
    all();
    opt.step();
    const [g0, g1] = opt.paramGroups.map((g) => g.block.data);
    expect(calls).toEqual([[g0!.ptr, g0!.size], [g1!.ptr, g1!.size]]);
    calls.length = 0;
    p.b1!.requiresGrad = false;                  // w1 | b1 skipped | w2: two calls in group 0
    opt.step();
    const o = opt.paramGroups[0]!.block.offsets;
    expect(calls.slice(0, 2)).toEqual([[g0!.ptr, o[1]], [g0!.ptr + o[2]! * 4, g0!.size - o[2]!]]);
    expect(calls.length).toBe(3);
    calls.length = 0;
    p.b1!.requiresGrad = true;                   // b1 is at step 1, w1 and w2 at step 2: three calls
    opt.step();
    expect(calls.length).toBe(4);
    opt.dispose();
    for (const t of Object.values(p)) t.dispose();
  });

  it('state dicts carry the per-parameter steps; a frozen run resumes exactly', () => {
    const run = (opt: optim.Optimizer, p: Params, from: number, to: number) => {
      for (let step = from; step <= to; step++) {
        for (const k of NAMES) p[k]!.requiresGrad = !frozenAt(k, step);
        opt.zeroGrad(); lossStep(p, x, y); opt.step();
      }
    };
    for (const C of [optim.SGD, optim.Adam, optim.Adagrad] as const) {
      const opts = { lr: 0.05, momentum: 0.9, dampening: 0.2, amsgrad: true, lrDecay: 0.1, weightDecay: 0.01 };
      const p1 = makeParams(), o1 = new (C as typeof optim.Adam)(NAMES.map((k) => p1[k]!), opts as never);
      run(o1, p1, 1, 5);                         // b1 frozen so far, w2 since step 4
      const sd = o1.stateDict();
      expect(sd.groups[0]!.steps).toEqual([5, 0, 3, 5, 0]);
      const saved = Object.fromEntries(NAMES.map((k) => [k, p1[k]!.toArray()]));
      run(o1, p1, 6, 10);
      const p2 = makeParams();
      for (const k of NAMES) p2[k]!.backend.heap.f32.set(saved[k]!, wordIndex(p2[k]!.ptr));
      const o2 = new (C as typeof optim.Adam)(NAMES.map((k) => p2[k]!), { lr: 1 } as never);
      o2.loadStateDict(sd);
      run(o2, p2, 6, 10);
      for (const k of NAMES) expect(bits(p2[k]!.toArray()), `${C.name} ${k}`).toEqual(bits(p1[k]!.toArray()));
      // bad counters are refused before anything changes
      const bad = { ...sd, groups: [{ ...sd.groups[0]!, steps: [1, 2] }] };
      expect(() => o2.loadStateDict(bad)).toThrow(/group 0 steps must be 5 integers ≥ 0, got 1,2/);
      const neg = { ...sd, groups: [{ ...sd.groups[0]!, steps: [1, 2, 3, 4, -1] }] };
      expect(() => o2.loadStateDict(neg)).toThrow(RangeError);
      // a dict without counters (older ones): every parameter at the dict's step
      const { steps: _, ...legacy } = sd.groups[0]!;
      o2.loadStateDict({ step: 4, groups: [legacy] });
      expect(o2.stateDict().groups[0]!.steps).toEqual([4, 4, 4, 4, 4]);
      for (const o of [o1, o2]) o.dispose();
      for (const t of [...Object.values(p1), ...Object.values(p2)]) t.dispose();
    }
  });
});
