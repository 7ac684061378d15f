// The Module API on real layers: PyTorch-style names, parameter counts, train/eval propagation,
// zeroGrad, stateDict / loadStateDict (shape errors, missing and unexpected keys, a failed load
// changes nothing), and a 10,000-step MLP loop whose memory stays flat.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, randomArray } from '../helpers/backends.js';

const { nn } = sg;

describe('Module API on layers', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  const mlp = (): sg.nn.Sequential => new nn.Sequential(
    new nn.Linear(4, 8, { seed: 1 }), new nn.ReLU(), new nn.Dropout(0.1),
    new nn.Sequential(new nn.Linear(8, 8, { seed: 2 }), new nn.BatchNorm1d(8)), new nn.Linear(8, 3, { bias: false, seed: 3 }));

  it('names parameters and buffers like PyTorch and counts them', () => {
    const m = mlp();
    try {
      expect(m.namedParameters().map(([n]) => n)).toEqual(
        ['0.weight', '0.bias', '3.0.weight', '3.0.bias', '3.1.weight', '3.1.bias', '4.weight']);
      expect(m.namedBuffers().map(([n]) => n)).toEqual(['3.1.running_mean', '3.1.running_var', '3.1.num_batches_tracked']);
      expect(m.numParameters()).toBe(4 * 8 + 8 + 8 * 8 + 8 + 8 + 8 + 8 * 3);
      expect(m.parameters().every((p) => p instanceof nn.Parameter && p.requiresGrad)).toBe(true);
      expect(Object.keys(m.stateDict())).toHaveLength(10);
    } finally { m.dispose(); }
  });

  it('propagates train / eval to every sub-module', () => {
    const m = mlp();
    try {
      expect(m.namedModules().every(([, c]) => c.training)).toBe(true);
      m.eval();
      expect(m.namedModules().map(([, c]) => c.training)).toEqual(Array(8).fill(false));
      m.train();
      expect(m.namedModules().every(([, c]) => c.training)).toBe(true);
    } finally { m.dispose(); }
  });

  it('zeroGrad frees every gradient', () => {
    const m = mlp();
    try {
      sg.scope(() => m.forward(sg.tensor(randomArray(20, 1), [5, 4])).sum().backward());
      expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
      m.zeroGrad();
      expect(m.parameters().every((p) => p.grad === null)).toBe(true);
    } finally { m.dispose(); }
  });

  it('stateDict / loadStateDict round-trips, and rejects bad shapes and keys without changing anything', () => {
    const a = mlp(), b = mlp();
    try {
      sg.noGrad(() => a.parameters().forEach((p, i) => sg.nn.init.normal(p, 0, 1, { seed: 100 + i })));
      const before = b.stateDict()['0.weight']!.toArray();
      const sd = a.stateDict();
      const wrong = sg.zeros([8, 5]), extra = sg.zeros([1]);
      const bad = { ...sd, '0.weight': wrong };
      expect(() => b.loadStateDict(bad)).toThrow(/0\.weight has shape \[8, 5\], the module expects \[8, 4\]/);
      const { ['4.weight']: _drop, ...missing } = sd;
      expect(() => b.loadStateDict(missing)).toThrow(/missing keys 4\.weight/);
      expect(() => b.loadStateDict({ ...sd, 'extra.bias': extra })).toThrow(/unexpected keys extra\.bias/);
      expect([...b.stateDict()['0.weight']!.toArray()]).toEqual([...before]);
      b.loadStateDict(missing, { strict: false });
      b.loadStateDict(sd);
      for (const [k, v] of Object.entries(a.stateDict())) expect([...b.stateDict()[k]!.toArray()], k).toEqual([...v.toArray()]);
      wrong.dispose(); extra.dispose();
    } finally { a.dispose(); b.dispose(); }
  });
});

describe('training-loop memory', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('10,000 forward + backward + zeroGrad steps of a 3-layer MLP leave memory flat', () => {
    const m = new nn.Sequential(new nn.Linear(8, 16, { seed: 1 }), new nn.ReLU(), new nn.Linear(16, 16, { seed: 2 }),
      new nn.Tanh(), new nn.Linear(16, 4, { seed: 3 }));
    const x = sg.tensor(randomArray(32, 9), [4, 8]);
    const y = new Int32Array([0, 3, 1, 2]);
    try {
      const step = (): number => sg.scope(() => {
        const loss = sg.nn.functional.crossEntropy(m.forward(x), y);
        loss.backward();
        m.zeroGrad();
        return loss.item();
      });
      for (let i = 0; i < 10; i++) step();
      const before = sg.memory();
      let last = 0;
      for (let i = 0; i < 10_000; i++) last = step();
      const after = sg.memory();
      expect(Number.isFinite(last)).toBe(true);
      expect(after.tensors).toBe(before.tensors);
      expect(after.bytes).toBe(before.bytes);
      expect(after.capacity).toBe(before.capacity);
    } finally { m.dispose(); x.dispose(); }
  });
});
