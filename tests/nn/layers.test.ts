// nn layers: a finite-difference gradient check of every layer (input and parameters), and each
// layer's own behaviour — shapes, modes, running statistics, padding rows, seeded masks, errors.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';

const { nn } = sg;
const input = (shape: number[], seed = 1, lo = -2, hi = 2): sg.Tensor =>
  sg.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape, { requiresGrad: true });

type GradCase = [string, () => sg.nn.Module, number[]];
const GRAD_CASES: GradCase[] = [
  ['Linear', () => new nn.Linear(4, 3, { seed: 1 }), [3, 4]],
  ['Linear no bias 3-d', () => new nn.Linear(4, 2, { bias: false, seed: 2 }), [2, 3, 4]],
  ['Sequential MLP', () => new nn.Sequential(new nn.Linear(4, 5, { seed: 3 }), new nn.Tanh(), new nn.Linear(5, 2, { seed: 4 }), new nn.Sigmoid()), [3, 4]],
  ['ReLU', () => new nn.ReLU(), [3, 5]],
  ['LeakyReLU', () => new nn.LeakyReLU(0.2), [3, 5]],
  ['GELU', () => new nn.GELU(), [3, 5]],
  ['SiLU', () => new nn.SiLU(), [3, 5]],
  ['Tanh', () => new nn.Tanh(), [3, 5]],
  ['Sigmoid', () => new nn.Sigmoid(), [3, 5]],
  ['Softmax dim 0', () => new nn.Softmax(0), [3, 4]],
  ['Flatten', () => new nn.Flatten(), [2, 3, 2]],
  ['LayerNorm', () => new nn.LayerNorm(5), [3, 5]],
  ['LayerNorm 2 dims no affine', () => new nn.LayerNorm([2, 3], { elementwiseAffine: false }), [2, 2, 3]],
  ['BatchNorm1d train', () => new nn.BatchNorm1d(3), [5, 3]],
  ['BatchNorm1d train 3-d', () => new nn.BatchNorm1d(2), [3, 2, 4]],
  ['BatchNorm1d eval', () => new nn.BatchNorm1d(3).eval(), [4, 3]],
];

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('layer gradient checks on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each(GRAD_CASES)('%s', (_, make, shape) => {
    const m = make();
    try {
      sg.scope(() => {
        // non-trivial affine parameters for the norms
        sg.noGrad(() => m.parameters().forEach((p, i) => sg.nn.init.uniform(p, 0.5, 1.5, { seed: 40 + i })));
        const x = input(shape, 5);
        const r = sg.gradcheck((xx) => (m.forward as (t: sg.Tensor) => sg.Tensor)(xx), [x, ...m.parameters()]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });

  it('Embedding (scatter-add, padding row gets nothing)', () => {
    const e = new nn.Embedding(6, 3, { paddingIdx: 1, seed: 3 }), plain = new nn.Embedding(6, 3, { seed: 4 });
    try {
      sg.scope(() => {
        const idx = new Int32Array([0, 1, 3, 3, 5, 1]);
        const r = sg.gradcheck(() => plain.forward(idx).tanh(), [plain.weight]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
        e.forward(idx).sum().backward();
        expect([...e.weight.grad!.toArray()]).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1]);
      });
    } finally { e.dispose(); plain.dispose(); }
  });

  it('Dropout with a fixed mask', () => sg.scope(() => {
    const r = sg.gradcheck((x) => new nn.Dropout(0.4, { seed: 9 }).forward(x), [input([4, 5])]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  }));
});

describe('layers', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('Linear: PyTorch default init bounds, seeded, shapes and errors', () => {
    const a = new nn.Linear(50, 20, { seed: 7 }), b = new nn.Linear(50, 20, { seed: 7 }), c = new nn.Linear(50, 20);
    try {
      expect(a.weight.shape).toEqual([20, 50]);
      expect(a.bias!.shape).toEqual([20]);
      expect(a.weight).toBeInstanceOf(nn.Parameter);
      expect(a.weight.requiresGrad).toBe(true);
      const bound = 1 / Math.sqrt(50);
      for (const p of [a.weight, a.bias!]) {
        const v = p.toArray();
        expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
        expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(bound * 0.8);
      }
      expect([...a.weight.toArray()]).toEqual([...b.weight.toArray()]);
      expect([...a.bias!.toArray()]).toEqual([...b.bias!.toArray()]);
      expect([...a.weight.toArray()]).not.toEqual([...c.weight.toArray()]);
      expect([...a.weight.toArray().slice(0, 20)]).not.toEqual([...a.bias!.toArray()]);
      const nb = new nn.Linear(3, 2, { bias: false });
      expect(nb.bias).toBe(null);
      expect(nb.namedParameters().map(([n]) => n)).toEqual(['weight']);
      nb.dispose();
      sg.scope(() => {
        expect(a.forward(sg.ones([4, 50])).shape).toEqual([4, 20]);
        expect(a.forward(sg.ones([50])).shape).toEqual([20]);
        expect(() => a.forward(sg.ones([4, 49]))).toThrow(sg.ShapeError);
      });
      expect(() => new nn.Linear(2.5, 3)).toThrow(RangeError);
    } finally { for (const m of [a, b, c]) m.dispose(); }
  });

  it('Sequential chains children and frees intermediate outputs', () => {
    const m = new nn.Sequential(new nn.Linear(3, 4, { seed: 1 }), new nn.ReLU(), new nn.Flatten(), new nn.Linear(4, 2, { seed: 2 }));
    try {
      expect(m.length).toBe(4);
      expect(m.at(-1)).toBeInstanceOf(nn.Linear);
      sg.scope(() => {
        const x = sg.tensor(randomArray(6, 3), [2, 3]);
        const before = sg.memory().tensors;
        const y = sg.noGrad(() => m.forward(x));
        expect(sg.memory().tensors).toBe(before + 1);
        const l1 = m._modules[0] as sg.nn.Linear, l2 = m._modules[3] as sg.nn.Linear;
        const ref = l2.forward(l1.forward(x).relu());
        expectClose(y.toArray(), ref.toArray());
        expect(new nn.Sequential().forward(x)).toBe(x);
      });
      expect(() => new nn.Sequential({} as sg.nn.TensorModule)).toThrow(TypeError);
    } finally { m.dispose(); }
  });

  it('Dropout: masks and scales in training, identity in eval, seeded', () => sg.scope(() => {
    const x = sg.ones([4000]);
    const d = new nn.Dropout(0.25, { seed: 5 });
    const a = d.forward(x).toArray(), b = d.forward(x).toArray();
    const kept = a.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
    expect(Math.abs(1 - kept.length / 4000 - 0.25)).toBeLessThan(0.03);
    expect([...a]).not.toEqual([...b]); // successive calls draw new masks
    expect([...new nn.Dropout(0.25, { seed: 5 }).forward(x).toArray()]).toEqual([...a]);
    d.eval();
    expect([...d.forward(x).toArray()]).toEqual([...x.toArray()]);
    expect(() => new nn.Dropout(1.5)).toThrow(RangeError);
  }));

  it('activation modules match the ops', () => sg.scope(() => {
    const x = sg.tensor(randomArray(12, 4, -3, 3), [3, 4]);
    const pairs: Array<[sg.nn.Module, sg.Tensor]> = [
      [new nn.ReLU(), x.relu()], [new nn.LeakyReLU(), x.leakyRelu(0.01)], [new nn.GELU(), x.gelu()],
      [new nn.SiLU(), x.silu()], [new nn.Tanh(), x.tanh()], [new nn.Sigmoid(), x.sigmoid()],
      [new nn.Softmax(), x.softmax(-1)], [new nn.Softmax(0), x.softmax(0)],
    ];
    for (const [m, ref] of pairs) expect([...(m.forward as (t: sg.Tensor) => sg.Tensor)(x).toArray()]).toEqual([...ref.toArray()]);
    expect(new nn.Flatten().forward(sg.ones([2, 3, 4])).shape).toEqual([2, 12]);
    expect(new nn.Flatten(0, 1).forward(sg.ones([2, 3, 4])).shape).toEqual([6, 4]);
  }));

  it('LayerNorm normalises the trailing dims and checks the shape', () => {
    const ln = new nn.LayerNorm([2, 3]);
    try {
      expect(() => ln.forward(null as never)).toThrow('LayerNorm: x must be a Tensor, got null');
      expect(ln.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([['weight', [2, 3]], ['bias', [2, 3]]]);
      sg.scope(() => {
        const y = ln.forward(sg.tensor(randomArray(24, 2, -5, 5), [4, 2, 3])).toArray();
        for (let r = 0; r < 4; r++) {
          const row = y.slice(r * 6, r * 6 + 6), m = row.reduce((a, b) => a + b) / 6;
          expect(Math.abs(m)).toBeLessThan(1e-6);
          expect(row.reduce((a, b) => a + (b - m) ** 2, 0) / 6).toBeCloseTo(1, 3);
        }
        expect(() => ln.forward(sg.ones([4, 3, 2]))).toThrow(/does not end in normalizedShape \[2, 3\]/);
      });
      expect(() => new nn.LayerNorm(0)).toThrow(RangeError);
    } finally { ln.dispose(); }
  });

  it('BatchNorm1d: buffers named like PyTorch, running stats, eval, errors', () => {
    const bn = new nn.BatchNorm1d(2, { momentum: 0.5 });
    const cum = new nn.BatchNorm1d(2, { momentum: null, affine: false });
    try {
      expect(Object.keys(bn.stateDict())).toEqual(['weight', 'bias', 'running_mean', 'running_var', 'num_batches_tracked']);
      expect(Object.keys(cum.stateDict())).toEqual(['running_mean', 'running_var', 'num_batches_tracked']);
      expect(bn.running_mean).toBeInstanceOf(nn.Buffer);
      expect(bn.running_mean!.requiresGrad).toBe(false);
      sg.scope(() => {
        const x = sg.tensor([[1, 10], [3, 20], [5, 60]]); // means 3, 30; unbiased vars 4, 700
        const y = bn.forward(x).toArray();
        expectClose(y.filter((_, i) => i % 2 === 0), [-1, 0, 1].map((v) => v * 2 / Math.sqrt(8 / 3 + 1e-5)));
        expectClose(bn.running_mean!.toArray(), [1.5, 15]);
        expectClose(bn.running_var!.toArray(), [2.5, 350.5]);
        expect(bn.num_batches_tracked!.item()).toBe(1);
        cum.forward(x); cum.forward(sg.tensor([[3, 30], [3, 30], [3, 30]]));
        expectClose(cum.running_mean!.toArray(), [3, 30]);
        expectClose(cum.running_var!.toArray(), [2, 350]);
        bn.eval();
        const e = bn.forward(sg.tensor([[1.5, 15]])).toArray();
        expectClose(e, [0, 0]);
        expect(bn.num_batches_tracked!.item()).toBe(1);
        bn.train();
        expect(() => bn.forward(sg.ones([1, 2]))).toThrow(/more than 1 value per channel/);
        expect(() => bn.forward(sg.ones([4, 3]))).toThrow(sg.ShapeError);
      });
    } finally { bn.dispose(); cum.dispose(); }
  });

  it('Embedding: lookup of any index shape, padding row, errors', () => {
    const e = new nn.Embedding(5, 4, { paddingIdx: -1, seed: 2 });
    try {
      expect(e.paddingIdx).toBe(4);
      const w = e.weight.toArray();
      expect([...w.slice(16)]).toEqual([0, 0, 0, 0]);
      sg.scope(() => {
        const y = e.forward(sg.tensor([[0, 4], [2, 0], [1, 1]]));
        expect(y.shape).toEqual([3, 2, 4]);
        expect([...y.toArray().slice(8, 12)]).toEqual([...w.slice(8, 12)]);
        expect(e.forward([3]).shape).toEqual([1, 4]);
        expect(() => e.forward(new Int32Array([5]))).toThrow(RangeError);
        expect(() => e.forward(sg.tensor([0.5]))).toThrow(sg.DTypeError);
      });
      expect(() => new nn.Embedding(3, 2, { paddingIdx: 3 })).toThrow(RangeError);
    } finally { e.dispose(); }
  });
});
