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

describe('loadStateDict checks everything before it copies anything', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  const pair = (): [sg.nn.Linear, sg.nn.Linear] => [new nn.Linear(3, 2, { seed: 1 }), new nn.Linear(3, 2, { seed: 2 })];
  const values = (m: sg.nn.Module): number[][] => Object.values(m.stateDict()).map((t) => [...t.toArray()]);

  it('a bad last key leaves the earlier keys as they were (atomic)', () => {
    const [a, b] = pair();
    try {
      const before = values(b);
      const sd = { weight: { shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }, bias: { shape: [2], data: [1] } };
      expect(Object.keys(sd).at(-1)).toBe('bias');
      expect(() => b.loadStateDict(sd)).toThrow(/bias has 1 values, expected 2/);
      expect(() => b.loadStateDict({ weight: a.weight, bias: { shape: [2], data: ['1', '2'] } as never })).toThrow(sg.DTypeError);
      expect(() => b.loadStateDict({ weight: a.weight, bias: { shape: [2], data: new BigInt64Array(2) } as never })).toThrow(/BigInt64Array/);
      expect(() => b.loadStateDict({ weight: a.weight, bias: 'abc' } as never)).toThrow(/bias must be a Tensor or \{ shape, data \}, got "abc"/);
      const gone = sg.zeros([2]);
      gone.dispose();
      expect(() => b.loadStateDict({ weight: a.weight, bias: gone })).toThrow(sg.DisposedError);
      expect(values(b)).toEqual(before);
    } finally { a.dispose(); b.dispose(); }
  });

  it('string data is a DTypeError naming the key and index, not NaN weights', () => {
    const [a, b] = pair();
    try {
      const before = values(b);
      let err: unknown;
      try { b.loadStateDict({ weight: { shape: [2, 3], data: [1, 2, 'x', 4, 5, 6] as never }, bias: { shape: [2], data: [0, 0] } }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(sg.DTypeError);
      expect((err as Error).message).toBe('loadStateDict: weight.data[2] is "x", not a number');
      expect(values(b)).toEqual(before);
    } finally { a.dispose(); b.dispose(); }
  });

  it('keys such as toString, constructor and __proto__ are keys like any other', () => {
    const [a, b] = pair();
    try {
      const sd: Record<string, unknown> = { ...a.stateDict() };
      for (const k of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
        Object.defineProperty(sd, k, { value: sg.zeros([1]), enumerable: true, configurable: true, writable: true });
      }
      expect(() => b.loadStateDict(sd as never)).toThrow(sg.StateDictError);
      expect(() => b.loadStateDict(sd as never)).toThrow(/unexpected keys toString, constructor, __proto__, hasOwnProperty/);
      b.loadStateDict(sd as never, { strict: false });
      expect(values(b)).toEqual(values(a));
      // an empty state dict misses every key, even with inherited names around
      expect(() => b.loadStateDict({})).toThrow(/missing keys weight, bias/);
      expect(() => b.loadStateDict(null as never)).toThrow(sg.StateDictError);
      expect(() => b.loadStateDict(sd as never, { strict: 'no' as never })).toThrow(/strict must be a boolean/);
      for (const k of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) (sd[k] as sg.Tensor).dispose();
    } finally { a.dispose(); b.dispose(); }
  });

  it('missing and unexpected keys are a StateDictError, a shape that does not fit a ShapeError', () => {
    const [a, b] = pair();
    try {
      expect(() => b.loadStateDict({ weight: a.weight })).toThrow(sg.StateDictError);
      expect(() => b.loadStateDict({ weight: a.weight, bias: { shape: [3], data: [1, 2, 3] } })).toThrow(sg.ShapeError);
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
