// ParameterBlock: parameters gathered into one contiguous block keep their values, backward
// accumulates into the block, zeroGrad is one fill and clears hasGrad, memory stays flat,
// ranges() cuts the block into the spans of the parameters an optimizer step takes, and
// snapshot()/restore() put every value back bit for bit (−0 and NaN included).
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';
import { hasGrad } from '../../src/has-grad.js';

beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

describe('ParameterBlock', () => {
  it('gathers parameters, keeps values and routes gradients into the block', () => {
    const w = sg.tensor(randomArray(15, 1), [5, 3], { requiresGrad: true });
    const b = sg.tensor(randomArray(5, 2), [5], { requiresGrad: true });
    const x = sg.tensor(randomArray(12, 3), [4, 3]);
    const loss = () => sg.scope(() => sg.linear(x, w, b).tanh().sum().backward());
    loss();
    const want = [w.grad!.toArray(), b.grad!.toArray()];
    const values = [w.toArray(), b.toArray()];
    const block = sg.nn.ParameterBlock.gather([w, b]);
    expect(block.offsets).toEqual([0, 16]);
    expect(w.toArray()).toEqual(values[0]);
    expect(b.toArray()).toEqual(values[1]);
    expect(w.grad!.toArray()).toEqual(want[0]); // existing gradients moved in
    block.zeroGrad();
    expect(block.grad.toArray().every((v) => v === 0)).toBe(true);
    loss();
    expect(block.intact).toBe(true);
    const g = block.grad.toArray();
    expect(g.slice(0, 15)).toEqual(want[0]);
    expect(g.slice(16, 21)).toEqual(want[1]);
    const m0 = sg.memory();
    for (let i = 0; i < 20; i++) { block.zeroGrad(); loss(); }
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    for (const t of [w, b, x]) t.dispose();
    block.dispose();
  });

  it('snapshot() and restore() put every value back bit for bit, and check the tensor given', () => {
    const w = sg.tensor([1.5, -0, NaN, 3e-45], [4], { requiresGrad: true }), v = sg.tensor([-2, Infinity], [2], { requiresGrad: true });
    const opt = new sg.optim.SGD([w, v], { lr: 0.5 }), block = opt.paramGroups[0]!.block; // the optimizer's block
    const saved = block.snapshot();
    expect(saved.shape).toEqual([32]);
    sg.scope(() => w.mul(w).sum().add(v.mul(3).sum()).backward());
    opt.step();
    expect(v.toArray()[0]).toBe(-3.5); // the step moved them
    block.restore(saved);
    const got = w.toArray();
    expect([got[0], got[2], got[3]]).toEqual([1.5, NaN, Math.fround(3e-45)]);
    expect(Object.is(got[1], -0)).toBe(true);
    expect(Array.from(v.toArray())).toEqual([-2, Infinity]);
    const into = sg.zeros([32]), m0 = sg.memory();
    for (let i = 0; i < 5; i++) { block.snapshot(into); block.restore(into); }
    expect(sg.memory()).toMatchObject({ tensors: m0.tensors, bytes: m0.bytes });
    expect(Object.is(into.toArray()[1], -0)).toBe(true);
    const small = sg.zeros([31]);
    expect(() => block.restore(small)).toThrow(sg.ShapeError);
    expect(() => block.snapshot(small)).toThrow(/32 values.*\[31\]/);
    for (const t of [saved, into, small, w, v]) t.dispose();
    opt.dispose();
  });

  it('rejects duplicates and empty sets', () => {
    const p = sg.zeros([2], { requiresGrad: true });
    expect(() => sg.nn.ParameterBlock.gather([p, p])).toThrow(/twice/);
    expect(() => sg.nn.ParameterBlock.gather([])).toThrow(/no parameters/);
    p.dispose();
  });

  it('knows which parameters hold a gradient (PyTorch: .grad is not None)', () => {
    const w = sg.tensor(randomArray(6, 1), [6], { requiresGrad: true }), v = sg.zeros([3], { requiresGrad: true });
    sg.scope(() => w.sum().backward());
    expect([hasGrad(w), hasGrad(v)]).toEqual([true, false]);
    const block = sg.nn.ParameterBlock.gather([w, v]);
    expect([hasGrad(w), hasGrad(v)]).toEqual([true, false]); // brought along; v has a zero view only
    block.zeroGrad();
    expect([hasGrad(w), hasGrad(v)]).toEqual([false, false]);
    sg.scope(() => v.mul(2).sum().backward());
    expect([hasGrad(w), hasGrad(v)]).toEqual([false, true]);
    block.dispose();
    w.dispose(); v.dispose();
  });

  it('ranges: runs of taken parameters with equal keys, each with the padding after it', () => {
    const ps = [5, 16, 1, 20, 3].map((n) => sg.zeros([n], { requiresGrad: true }));
    const block = sg.nn.ParameterBlock.gather(ps);
    expect(block.offsets).toEqual([0, 16, 32, 48, 80]);
    expect(block.data.size).toBe(96);
    expect(block.ranges(() => true, () => 0)).toEqual([{ first: 0, last: 4, offset: 0, size: 96 }]);
    expect(block.ranges((j) => j !== 2, () => 0)).toEqual([
      { first: 0, last: 1, offset: 0, size: 32 }, { first: 3, last: 4, offset: 48, size: 48 }]);
    expect(block.ranges((j) => j > 0, (j) => (j === 4 ? 1 : 0))).toEqual([
      { first: 1, last: 3, offset: 16, size: 64 }, { first: 4, last: 4, offset: 80, size: 16 }]);
    expect(block.ranges(() => false, () => 0)).toEqual([]);
    block.dispose();
    for (const p of ps) p.dispose();
  });
});
