// sg.optim optimizers: PyTorch golden trajectories (scripts/fixtures/torch_optim.py →
// tests/fixtures/torch-optim.json: a 4-8-3 tanh MLP, 100 steps, float64 reference) replayed on
// every backend, plus validation errors, state dicts, lr get/set, clipping and dispose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import * as optim from '../../src/optim/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';
import { FIX, tol, lossStep, build as buildFor, makeParams as makeFor, type Params } from '../helpers/torch-optim.js';

const NAMES = ['w1', 'b1', 'w2', 'b2'];
const makeParams = () => makeFor(NAMES);
const build = (c: Parameters<typeof buildFor>[0], p: Params) => buildFor(c, p, NAMES);

describe.each(BACKENDS)('PyTorch optimizer trajectories on %s', (name) => {
  let x: sg.Tensor;
  const y = Int32Array.from(FIX.y);
  beforeAll(async () => {
    await sg.init({ backend: name });
    x = sg.tensor(FIX.x.data, FIX.x.shape);
  });
  afterAll(() => x.dispose());

  it.each(FIX.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const p = makeParams(), opt = build(c, p);
    try {
      let k = 0;
      for (let step = 1; step <= 100; step++) {
        opt.zeroGrad();
        const loss = lossStep(p, x, y);
        if (c.clip !== undefined) optim.clipGradNorm(NAMES.map((n) => p[n]!), c.clip);
        opt.step();
        const cp = c.checkpoints[k];
        if (cp?.step === step) {
          expect(loss).toBeCloseTo(cp.loss, 5);
          for (const n of NAMES) expectClose(p[n]!.toArray(), cp.params[n]!, tol(cp.torchF32Drift), `${c.name} step ${step} ${n}`);
          k++;
        }
      }
      expect(k).toBe(3);
      expect(opt.stepCount).toBe(100);
    } finally {
      opt.dispose();
      for (const t of Object.values(p)) t.dispose();
    }
  });
});

describe('optimizer API', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });
  const x = () => sg.tensor(randomArray(64, 3), [16, 4]);
  const y = Int32Array.from(FIX.y);

  it('validates options as PyTorch does (RangeError naming the value)', () => {
    const p = sg.zeros([3], { requiresGrad: true });
    expect(() => new optim.SGD([p], { lr: -1 })).toThrow(/learning rate.*-1/);
    expect(() => new optim.SGD([p], { lr: 0.1, nesterov: true })).toThrow(/nesterov.*momentum 0/);
    expect(() => new optim.SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true })).toThrow(/dampening 0.1/);
    expect(() => new optim.SGD([p], { momentum: -0.1 })).toThrow(RangeError);
    expect(() => new optim.Adam([p], { betas: [1, 0.999] })).toThrow(/betas\[0\].*≥ 0 and < 1.*got 1/);
    expect(() => new optim.Adam([p], { betas: [0.9, -0.1] })).toThrow(/betas\[1\]/);
    expect(() => new optim.AdamW([p], { eps: -1 })).toThrow(/AdamW group 0: eps/);
    expect(() => new optim.Adam([{ params: [p], weightDecay: -1 }])).toThrow(/weightDecay.*-1/);
    expect(() => new optim.RMSprop([p], { alpha: -0.5 })).toThrow(/alpha/);
    expect(() => new optim.Adagrad([p], { lrDecay: -1 })).toThrow(/lrDecay/);
    expect(() => new optim.Adagrad([p], { initialAccumulatorValue: -1 })).toThrow(/initialAccumulatorValue/);
    expect(() => new optim.Adam([])).toThrow(/empty/);
    // a failed constructor moved nothing: p is still its own tensor
    expect(p.toArray()).toEqual(new Float32Array(3));
    p.dispose();
  });

  it('has PyTorch defaults', () => {
    const p = sg.zeros([3], { requiresGrad: true });
    const opts = [new optim.SGD([p]), new optim.Adam([p]), new optim.AdamW([p]), new optim.RMSprop([p]), new optim.Adagrad([p])];
    const g = opts.map((o) => o.stateDict().groups[0]!.options);
    expect(g[0]).toMatchObject({ lr: 1e-3, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 });
    expect(g[1]).toMatchObject({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false });
    expect(g[2]).toMatchObject({ lr: 1e-3, weightDecay: 1e-2 });
    expect(g[3]).toMatchObject({ lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(g[4]).toMatchObject({ lr: 1e-2, lrDecay: 0, initialAccumulatorValue: 0, eps: 1e-10 });
    opts.forEach((o) => o.dispose());
    p.dispose();
  });

  it('reads and sets lr; groups keep their own hyperparameters', () => {
    const a = sg.zeros([2], { requiresGrad: true }), b = sg.zeros([5], { requiresGrad: true });
    const opt = new optim.Adam([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    expect(opt.lr).toBe(0.1);
    expect(opt.paramGroups.map((g) => [g.lr, g.initialLr])).toEqual([[0.1, 0.1], [0.5, 0.5]]);
    opt.lr = 0.01;
    expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.01, 0.01]);
    expect(() => { opt.lr = NaN; }).toThrow(RangeError);
    opt.dispose(); a.dispose(); b.dispose();
  });

  it('stateDict / loadStateDict resume a run exactly', () => {
    const xs = x();
    const run = (opt: optim.Optimizer, p: Params, steps: number) => {
      for (let i = 0; i < steps; i++) { opt.zeroGrad(); lossStep(p, xs, y); opt.step(); }
    };
    for (const C of [optim.SGD, optim.Adam, optim.RMSprop, optim.Adagrad] as const) {
      const opts = { lr: 0.05, momentum: 0.9, amsgrad: true, centered: true, initialAccumulatorValue: 0.1 };
      const p1 = makeParams(), o1 = new (C as typeof optim.Adam)(NAMES.map((k) => p1[k]!), opts as never);
      run(o1, p1, 3);
      const sd = o1.stateDict();
      const saved = Object.fromEntries(NAMES.map((k) => [k, p1[k]!.toArray()]));
      run(o1, p1, 3);
      expect(Object.keys(sd.groups[0]!.state).length).toBeGreaterThan(0);
      const p2 = makeParams();
      for (const k of NAMES) p2[k]!.backend.heap.f32.set(saved[k]!, p2[k]!.ptr >> 2);
      const o2 = new (C as typeof optim.Adam)(NAMES.map((k) => p2[k]!), { lr: 1 } as never);
      o2.loadStateDict(sd);
      expect(o2.lr).toBe(0.05);
      expect(o2.stepCount).toBe(3);
      run(o2, p2, 3);
      for (const k of NAMES) expect(p2[k]!.toArray()).toEqual(p1[k]!.toArray());
      // shape and length checks, nothing changed on failure
      const bad = { ...sd, groups: [{ ...sd.groups[0]!, shapes: [[8, 5], [8], [3, 8], [3]] }] };
      expect(() => o2.loadStateDict(bad)).toThrow(/parameter 0 has shape \[8, 5\] in the state, \[8, 4\] here/);
      const short = { ...sd, groups: [{ ...sd.groups[0]!, state: { x: new Float32Array(3) } }] };
      expect(() => o2.loadStateDict(short)).toThrow(/state 'x' must be a Float32Array of \d+ floats, got 3/);
      expect(() => o2.loadStateDict({ step: 0, groups: [] })).toThrow(/0 groups, optimizer has 1/);
      expect(o2.stepCount).toBe(6);
      for (const o of [o1, o2]) o.dispose();
      for (const t of [...Object.values(p1), ...Object.values(p2)]) t.dispose();
    }
    xs.dispose();
  });

  it('zeroGrad zeroes, dispose frees state, use after dispose throws', () => {
    const m0 = sg.memory();
    const p = makeParams(), xs = x(), opt = new optim.Adam(NAMES.map((k) => p[k]!), { amsgrad: true });
    lossStep(p, xs, y);
    opt.step();
    expect(p.w1!.grad!.toArray().some((v) => v !== 0)).toBe(true);
    opt.zeroGrad();
    expect(p.w1!.grad!.toArray().every((v) => v === 0)).toBe(true);
    const m1 = sg.memory();
    for (let i = 0; i < 5; i++) { opt.zeroGrad(); lossStep(p, xs, y); opt.step(); }
    expect(sg.memory()).toMatchObject({ tensors: m1.tensors, bytes: m1.bytes });
    opt.dispose();
    opt.dispose();
    expect(() => opt.step()).toThrow(sg.DisposedError);
    for (const t of [...Object.values(p), xs]) t.dispose();
    expect(sg.memory().tensors).toBe(m0.tensors);
  });
});

describe('gradient clipping', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });
  const grads = [randomArray(7, 1, -2, 2), randomArray(20, 2, -2, 2), randomArray(3, 3, -2, 2)];
  const norm = (p: number) => p === Infinity ? Math.max(...grads.flatMap((g) => [...g].map(Math.abs)))
    : grads.flatMap((g) => [...g]).reduce((s, v) => s + Math.abs(v) ** p, 0) ** (1 / p);
  function setup(inBlock: boolean) {
    const ps = grads.map((g) => sg.zeros([g.length], { requiresGrad: true }));
    const opt = inBlock ? new optim.SGD(ps, { lr: 0.1 }) : null;
    ps.forEach((p, i) => {
      if (!p.grad) p.grad = sg.keep(sg.tensor(grads[i]!, [grads[i]!.length]));
      else p.backend.heap.f32.set(grads[i]!, p.grad.ptr >> 2);
    });
    return { ps, done: () => { opt?.dispose(); ps.forEach((p) => p.dispose()); } };
  }
  for (const inBlock of [false, true]) {
    it(`clipGradNorm returns the norm and scales to maxNorm (${inBlock ? 'one block' : 'loose tensors'})`, () => {
      for (const p of [2, 1, 3, Infinity]) {
        const { ps, done } = setup(inBlock);
        const want = norm(p);
        const got = optim.clipGradNorm(ps, 1, { normType: p });
        expect(got).toBeCloseTo(want, 4);
        const s = Math.fround(1 / Math.fround(Math.fround(want) + 1e-6));
        ps.forEach((q, i) => expectClose(q.grad!.toArray(), grads[i]!.map((v) => v * s), { rtol: 2e-6 }));
        expect(optim.clipGradNorm(ps, 100)).toBeCloseTo(norm(2) * s, 4); // below maxNorm: unchanged
        done();
      }
    });
    it(`clipGradValue clamps (${inBlock ? 'one block' : 'loose tensors'})`, () => {
      const { ps, done } = setup(inBlock);
      optim.clipGradValue(ps, 0.5);
      ps.forEach((q, i) => expect(q.grad!.toArray()).toEqual(grads[i]!.map((v) => Math.min(Math.max(v, -0.5), 0.5))));
      expect(() => optim.clipGradValue(ps, -1)).toThrow(RangeError);
      done();
    });
  }
  it('skips parameters without gradients and reports non-finite norms on request', () => {
    const a = sg.zeros([4], { requiresGrad: true });
    expect(optim.clipGradNorm([a], 1)).toBe(0);
    a.grad = sg.keep(sg.tensor([Infinity, 1, 2, 3], [4]));
    expect(() => optim.clipGradNorm(a, 1, { errorIfNonfinite: true })).toThrow(/Infinity/);
    expect(() => optim.clipGradNorm(5 as never, 1)).toThrow('clipGrad: params[0] must be a Tensor, got 5');
    expect(() => optim.clipGradNorm([a, 'w'] as never, 1)).toThrow(sg.DTypeError);
    a.dispose();
  });
});
