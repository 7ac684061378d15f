// Lifetimes: dispose, using, scope (sync and async, nested, concurrent), keep, memory().
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../src/index.js';
import { BACKENDS } from './helpers/backends.js';

beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

describe('lifetimes', () => {
  it('dispose frees storage once the last view is gone; use after dispose throws', () => {
    const m0 = sg.memory();
    const x = sg.ones([4, 4]);
    const v = x.T;
    x.dispose();
    expect(sg.memory().bytes).toBeGreaterThan(m0.bytes); // the view still holds the storage
    expect(v.toArray()[0]).toBe(1);
    v.dispose();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    expect(() => x.add(1)).toThrow(sg.DisposedError);
    expect(() => x.toArray()).toThrow(/shape \[4, 4\]/);
    x.dispose(); // idempotent
  });

  it('using disposes at block end', () => {
    const m0 = sg.memory();
    {
      using t = sg.zeros([10]);
      expect(t.size).toBe(10);
    }
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  });

  it('scope frees temporaries, returns survivors to the parent scope', () => {
    const m0 = sg.memory();
    const x = sg.ones([8]);
    let inner!: sg.Tensor;
    const out = sg.scope(() => {
      const r = sg.scope(() => {
        inner = x.mul(3);
        return { y: inner.add(1), list: [x.exp()] };
      });
      expect(inner.disposed).toBe(true);
      expect(r.y.disposed).toBe(false);
      r.list[0]!.dispose();
      return r.y.mul(2);
    });
    expect([...out.toArray()]).toEqual(new Array(8).fill(8));
    out.dispose(); x.dispose();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  });

  it('keep() lets a tensor outlive its scope; a throwing scope still frees', () => {
    const m0 = sg.memory();
    let kept!: sg.Tensor;
    sg.scope(() => { kept = sg.keep(sg.ones([2])); sg.zeros([3]); });
    expect(kept.disposed).toBe(false);
    kept.dispose();
    expect(() => sg.scope(() => { sg.zeros([5]); throw new Error('boom'); })).toThrow('boom');
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  });

  it('scope, keep and noGrad name what they got instead of a raw TypeError', () => {
    expect(() => sg.scope(5 as never)).toThrow(sg.DTypeError);
    expect(() => sg.scope(5 as never)).toThrow('scope: expected a function, got 5');
    expect(() => sg.keep(null as never)).toThrow('keep: expected a tensor, got null');
    expect(() => sg.noGrad('x' as never)).toThrow('noGrad: expected a function, got "x"');
  });

  it('async scopes, also concurrent ones, free only their own tensors', async () => {
    const m0 = sg.memory();
    const tick = () => new Promise((r) => setTimeout(r, 1));
    const job = (v: number) => sg.scope(async () => {
      const a = sg.full([16], v);
      await tick();
      const b = a.add(1);
      await tick();
      return b.mul(2);
    });
    const [r1, r2] = await Promise.all([job(1), job(2)]);
    expect(r1.toArray()[0]).toBe(4);
    expect(r2.toArray()[0]).toBe(6);
    r1.dispose(); r2.dispose();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
  });

  it('a loop of steps leaves memory flat', () => {
    const w = sg.randn([32, 16], { seed: 1 });
    const step = () => sg.scope(() => sg.matmul(sg.randn([8, 32]), w).relu().sum().item());
    step();
    const m0 = sg.memory();
    for (let i = 0; i < 50; i++) step();
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes, capacity: m0.capacity });
    w.dispose();
  });
});
