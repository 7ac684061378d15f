// ParameterBlock: parameters gathered into one contiguous block keep their values, backward
// accumulates into the block, zeroGrad is one fill, and memory stays flat.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

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

  it('rejects duplicates and empty sets', () => {
    const p = sg.zeros([2], { requiresGrad: true });
    expect(() => sg.nn.ParameterBlock.gather([p, p])).toThrow(/twice/);
    expect(() => sg.nn.ParameterBlock.gather([])).toThrow(/no parameters/);
    p.dispose();
  });
});
