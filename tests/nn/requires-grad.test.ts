// Freezing and fine-tuning through the public API: module.requiresGrad(false) on any module,
// nn.Embedding.fromPretrained (PyTorch's defaults: a copy of the weights, frozen, padding row
// kept), frozen weights bit-identical through fit() with optimizers built before or after freezing
// (optimizers skip parameters without a gradient), and
// the fine-tuning flow — train the head on frozen pretrained embeddings, then unfreeze them in a
// lower-lr parameter group.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS } from '../helpers/backends.js';

const { nn } = sg;

const data = (n: number, seed: number) => {
  const x = sg.randn([n, 6], { seed });
  const y = Int32Array.from(x.toArray().filter((_, i) => i % 6 === 0), (v) => (v > 0 ? 1 : 0));
  return { x, y };
};
const snapshot = (m: sg.nn.Module) => m.parameters().map((p) => p.toArray());
const same = (a: Float32Array[], b: Float32Array[]) => a.length === b.length && a.every((t, i) => t.every((v, j) => Object.is(v, b[i]![j])));

describe('requiresGrad', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('sets every parameter of a module tree, returns the module, and refuses a non-boolean', () => {
    const m = new nn.Sequential(new nn.Linear(6, 8), new nn.ReLU(), new nn.Sequential(new nn.Linear(8, 8), new nn.LayerNorm(8)), new nn.Linear(8, 2));
    try {
      const inner = m.at(2)!;
      expect(inner.requiresGrad(false)).toBe(inner);
      expect(m.parameters().map((p) => p.requiresGrad)).toEqual([true, true, false, false, false, false, true, true]);
      expect(m.summary().frozenParams).toBe(8 * 8 + 8 + 8 + 8);
      m.requiresGrad();
      expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
      expect(() => m.requiresGrad('no' as unknown as boolean)).toThrow(sg.DTypeError);
      expect(() => m.requiresGrad('no' as unknown as boolean)).toThrow(/flag must be a boolean, got "no"/);
      // A frozen layer gets no gradient; the rest of the graph still does.
      m.at(0)!.requiresGrad(false);
      sg.scope(() => m.forward(sg.randn([3, 6], { seed: 2 })).sum().backward());
      expect(m.parameters().map((p) => p.grad !== null)).toEqual([false, false, true, true, true, true, true, true]);
      m.zeroGrad();
    } finally { m.dispose(); }
  });

  it.each([
    ['SGD with momentum', (ps: sg.Tensor[]) => new sg.optim.SGD(ps, { lr: 0.1, momentum: 0.9 })],
    ['Adam', (ps: sg.Tensor[]) => new sg.optim.Adam(ps, { lr: 0.01 })],
  ] as const)('a layer frozen before the optimizer is built keeps its exact weights through fit (%s)', (_, make) => {
    const m = new nn.Sequential(new nn.Linear(6, 8, { seed: 1 }), new nn.Tanh(), new nn.Linear(8, 2, { seed: 2 }));
    const { x, y } = data(64, 3);
    m.at(0)!.requiresGrad(false);
    const frozen = snapshot(m.at(0)!), head = snapshot(m.at(2)!);
    const opt = make(m.parameters());
    sg.fit(m, { x, y, optimizer: opt, epochs: 1, batchSize: 16 }); // makes the optimizer's state
    const mem = sg.memory().bytes;
    sg.fit(m, { x, y, optimizer: opt, epochs: 3, batchSize: 16 });
    expect(sg.memory().bytes).toBe(mem);
    expect(same(snapshot(m.at(0)!), frozen)).toBe(true);
    expect(same(snapshot(m.at(2)!), head)).toBe(false);
    opt.dispose(); m.dispose(); x.dispose();
  });

  it('a layer frozen after the optimizer took steps keeps its exact weights (Adam moments, weight decay)', () => {
    const m = new nn.Sequential(new nn.Linear(6, 8, { seed: 1 }), new nn.Tanh(), new nn.Linear(8, 2, { seed: 2 }));
    const { x, y } = data(64, 3);
    const opt = new sg.optim.AdamW(m.parameters(), { lr: 0.01, weightDecay: 0.1 });
    sg.fit(m, { x, y, optimizer: opt, epochs: 2, batchSize: 16 });
    m.at(0)!.requiresGrad(false);
    const frozen = snapshot(m.at(0)!);
    sg.fit(m, { x, y, optimizer: opt, epochs: 2, batchSize: 16 });
    expect(same(snapshot(m.at(0)!), frozen)).toBe(true);
    opt.dispose(); m.dispose(); x.dispose();
  });
});

describe('Embedding.fromPretrained', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('copies the weights (padding row included), frozen by default, without drawing from the global stream', () => {
    const w = sg.tensor([[1, 2], [3, 4], [5, 6]]);
    sg.manualSeed(7);
    const emb = nn.Embedding.fromPretrained(w, { paddingIdx: 0 });
    const draw = () => sg.scope(() => sg.rand([3]).toArray());
    const after = draw();
    sg.manualSeed(7);
    expect(draw()).toEqual(after);
    try {
      expect(emb.weight.requiresGrad).toBe(false);
      expect(emb.weight.storage).not.toBe(w.storage);
      expect(Array.from(emb.weight.toArray())).toEqual([1, 2, 3, 4, 5, 6]);
      expect([emb.numEmbeddings, emb.embeddingDim, emb.paddingIdx]).toEqual([3, 2, 0]);
      expect(String(emb)).toBe('Embedding(3, 2, padding_idx=0)');
      sg.scope(() => { expect(Array.from(emb.forward([2, 0]).toArray())).toEqual([5, 6, 1, 2]); });
      sg.noGrad(() => sg.nn.init.constant(w, 0));
      expect(emb.weight.toArray()[0]).toBe(1); // a copy, not a view of the source
    } finally { emb.dispose(); w.dispose(); }
  });

  it('trains with freeze: false (the padding row gets no gradient) and refuses bad weights', () => {
    const w = sg.randn([5, 3], { seed: 4 });
    const emb = nn.Embedding.fromPretrained(w, { freeze: false, paddingIdx: 1 });
    try {
      expect(emb.weight.requiresGrad).toBe(true);
      sg.scope(() => emb.forward([1, 2, 1]).sum().backward());
      expect(Array.from(emb.weight.grad!.toArray())).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
      const flat = sg.zeros([4]);
      expect(() => nn.Embedding.fromPretrained(flat)).toThrow(sg.ShapeError);
      expect(() => nn.Embedding.fromPretrained(flat)).toThrow(/2-D \[rows, dim\], got shape \[4\]/);
      expect(() => nn.Embedding.fromPretrained([[1]] as unknown as sg.Tensor)).toThrow(sg.DTypeError);
      expect(() => nn.Embedding.fromPretrained(w, { paddingIdx: 5 })).toThrow(/paddingIdx 5 is out of range/);
      expect(() => nn.Embedding.fromPretrained(w, { freeze: 'yes' as unknown as boolean })).toThrow(sg.DTypeError);
      flat.dispose();
    } finally { emb.dispose(); w.dispose(); }
  });

  it('fine-tunes: the head on frozen pretrained embeddings, then everything with the embeddings at a lower lr', () => {
    const pretrained = sg.randn([12, 4], { seed: 5 });
    const bytes = sg.io.save({ 'embedding.weight': pretrained });
    const loaded = sg.io.load(bytes);
    const emb = nn.Embedding.fromPretrained(loaded['embedding.weight']!);
    loaded['embedding.weight']!.dispose();
    const model = new nn.Sequential(emb, new nn.Flatten(), new nn.Linear(12, 3, { seed: 1 }));
    const idx = sg.tensor(Array.from({ length: 90 }, (_, i) => (i * 7) % 12), [30, 3]);
    const y = Int32Array.from({ length: 30 }, (_, i) => i % 3);
    const embBefore = emb.weight.toArray();
    const head = new sg.optim.Adam(model.parameters().filter((p) => p.requiresGrad), { lr: 1e-2 });
    const h1 = sg.fit(model, { x: idx, y, optimizer: head, epochs: 5, batchSize: 10 });
    expect(emb.weight.toArray()).toEqual(embBefore);
    expect(h1.values.loss!.at(-1)!).toBeLessThan(h1.values.loss![0]!);
    head.dispose();
    emb.requiresGrad(true);
    const all = new sg.optim.Adam([
      { params: emb.parameters(), lr: 1e-4 },
      { params: model.at(2)!.parameters() },
    ], { lr: 1e-2 });
    expect(all.paramGroups.map((g) => g.lr)).toEqual([1e-4, 1e-2]);
    sg.fit(model, { x: idx, y, optimizer: all, epochs: 2, batchSize: 10 });
    const moved = emb.weight.toArray().map((v, i) => Math.abs(v - embBefore[i]!));
    expect(Math.max(...moved)).toBeGreaterThan(0);
    // 6 steps; an Adam step moves a weight by at most lr·(1 − β1)/√(1 − β2) ≈ 3.2·lr
    expect(Math.max(...moved)).toBeLessThan(6 * 1e-4 * 0.1 / Math.sqrt(0.001));
    all.dispose(); model.dispose(); idx.dispose(); pretrained.dispose();
  });
});
