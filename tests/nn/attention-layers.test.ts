// Attention layers: finite-difference gradient checks (inputs and every parameter) of
// MultiheadAttention, TransformerEncoderLayer and the positional layers; PyTorch's state-dict
// names and shapes; fully masked queries (zeros, not NaN); dropout in training; masks in every
// accepted form; errors that name the shapes; memory flat over a training loop.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';

const { nn } = sg;
const input = (shape: number[], seed = 1): sg.Tensor =>
  sg.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, -1.5, 1.5), shape, { requiresGrad: true });
const perturb = (m: sg.nn.Module) => sg.noGrad(() => m.parameters().forEach((p, i) => sg.nn.init.uniform(p, -0.6, 0.6, { seed: 40 + i })));

describe.each(BACKENDS.filter((b) => b === 'js' || b === 'simd'))('attention layer gradient checks on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each([
    ['self, seq-first, causal', { batchFirst: false }, [3, 2, 4], { isCausal: true }],
    ['self, batchFirst, key padding + weights', { batchFirst: true }, [2, 3, 4], { keyPaddingMask: [[false, false, true], [false, false, false]] }],
  ] as const)('MultiheadAttention %s', (_, o, shape, fo) => {
    const m = new nn.MultiheadAttention(4, 2, o);
    try {
      sg.scope(() => {
        perturb(m);
        const x = input([...shape], 3);
        const r = sg.gradcheck((xx) => {
          const [y, w] = m.forward(xx, xx, xx, fo);
          return sg.concat([y.flatten(), w!.flatten()]);
        }, [x, ...m.parameters()]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });

  it('MultiheadAttention cross-attention (query, key, value)', () => {
    const m = new nn.MultiheadAttention(4, 1, { batchFirst: true, bias: false });
    try {
      sg.scope(() => {
        perturb(m);
        const q = input([2, 2, 4], 4), k = input([2, 3, 4], 5), v = input([2, 3, 4], 6);
        const r = sg.gradcheck((a, b, c) => m.forward(a, b, c, { needWeights: false })[0], [q, k, v, ...m.parameters()]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });

  // GELU: a finite difference straddling ReLU's kink is meaningless; the ReLU path is pinned by the PyTorch fixtures
  it.each([[false, 'gelu'], [true, 'gelu']] as const)('TransformerEncoderLayer normFirst %s %s', (normFirst, activation) => {
    const m = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 6, dropout: 0, activation, normFirst, batchFirst: true });
    try {
      sg.scope(() => {
        perturb(m);
        const r = sg.gradcheck((xx) => m.forward(xx, { isCausal: true }), [input([2, 3, 4], 7), ...m.parameters()]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
      });
    } finally { m.dispose(); }
  });

  it('LearnedPositionalEmbedding and PositionalEncoding', () => {
    const l = new nn.LearnedPositionalEmbedding(5, 3, { batchFirst: true, seed: 1 });
    const p = new nn.PositionalEncoding(3, { dropout: 0 });
    try {
      sg.scope(() => {
        const r = sg.gradcheck((xx) => l.forward(xx).tanh(), [input([2, 4, 3], 8), l.weight]);
        expect(r.ok, JSON.stringify(r.worst)).toBe(true);
        const r2 = sg.gradcheck((xx) => p.forward(xx).tanh(), [input([4, 2, 3], 9)]);
        expect(r2.ok, JSON.stringify(r2.worst)).toBe(true);
      });
    } finally { l.dispose(); p.dispose(); }
  });
});

describe('attention layers', () => {
  beforeAll(async () => { await sg.init({ backend: BACKENDS[0] }); });

  it('PyTorch parameter names and shapes; initial values', () => {
    const m = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
    try {
      const shapes = Object.fromEntries(m.namedParameters().map(([k, p]) => [k, p.shape]));
      expect(shapes).toEqual({
        'self_attn.in_proj_weight': [24, 8], 'self_attn.in_proj_bias': [24], 'self_attn.out_proj.weight': [8, 8],
        'self_attn.out_proj.bias': [8], 'linear1.weight': [16, 8], 'linear1.bias': [16], 'linear2.weight': [8, 16],
        'linear2.bias': [8], 'norm1.weight': [8], 'norm1.bias': [8], 'norm2.weight': [8], 'norm2.bias': [8],
      });
      const a = m.self_attn;
      expect(Array.from(a.in_proj_bias!.toArray()).every((v) => v === 0)).toBe(true);
      expect(Array.from(a.out_proj.bias!.toArray()).every((v) => v === 0)).toBe(true);
      const bound = Math.sqrt(6 / (24 + 8)), w = a.in_proj_weight.toArray();
      expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    } finally { m.dispose(); }
  });

  it('TransformerEncoder: PyTorch names, copies of one layer or a factory\'s fresh layers', () => {
    const enc = new nn.TransformerEncoder(new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, seed: 1 }), 3, { norm: new nn.LayerNorm(4) });
    const fresh = new nn.TransformerEncoder((i) => new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8, seed: 10 + i }), 2);
    try {
      const names = enc.namedParameters().map(([k]) => k);
      expect(names.slice(0, 2)).toEqual(['layers.0.self_attn.in_proj_weight', 'layers.0.self_attn.in_proj_bias']);
      expect(names).toContain('layers.2.linear2.bias');
      expect(names.slice(-2)).toEqual(['norm.weight', 'norm.bias']);
      const w = (e: sg.nn.TransformerEncoder, i: number) => e.layers[i]!.linear1.weight.toArray();
      expect(w(enc, 2)).toEqual(w(enc, 0));
      expect(enc.layers[1]!.linear1.weight.ptr).not.toBe(enc.layers[0]!.linear1.weight.ptr);
      expect(w(fresh, 1)).not.toEqual(w(fresh, 0));
      sg.scope(() => expect(enc.forward(sg.zeros([3, 2, 4]), { isCausal: true }).shape).toEqual([3, 2, 4]));
    } finally { enc.dispose(); fresh.dispose(); }
  });

  it('positional layers: batchFirst and sequence-first agree; a learned row gets the batch sum', () => {
    const a = new nn.PositionalEncoding(6, { dropout: 0, batchFirst: true }), b = new nn.PositionalEncoding(6, { dropout: 0 });
    const l = new nn.LearnedPositionalEmbedding(4, 6, { batchFirst: true, seed: 2 }), m = new nn.LearnedPositionalEmbedding(4, 6, { seed: 2 });
    try {
      sg.scope(() => {
        const x = sg.randn([2, 3, 6], { seed: 3 }), xt = x.transpose(0, 1).contiguous();
        expectClose(a.forward(x).toArray(), b.forward(xt).transpose(0, 1).contiguous().toArray(), { rtol: 0, atol: 0 });
        expectClose(l.forward(x).toArray(), m.forward(xt).transpose(0, 1).contiguous().toArray(), { rtol: 0, atol: 0 });
        expectClose(a.forward(x).sub(x).toArray().subarray(0, 6), [0, 1, 0, 1, 0, 1], { rtol: 0, atol: 1e-7 });
        l.forward(x).sum().backward();
        const g = l.weight.grad!.toArray();
        expect([...g.subarray(0, 18)].every((v) => v === 2)).toBe(true);
        expect([...g.subarray(18)].every((v) => v === 0)).toBe(true);
      });
    } finally { a.dispose(); b.dispose(); l.dispose(); m.dispose(); }
  });

  it('a query with every key masked gets zero attention (output = out_proj.bias), not NaN', () => {
    const m = new nn.MultiheadAttention(4, 2, { batchFirst: true, seed: 3 });
    try {
      sg.scope(() => {
        sg.noGrad(() => sg.nn.init.uniform(m.out_proj.bias!, -1, 1, { seed: 5 }));
        const x = input([1, 3, 4], 10);
        const [y, w] = m.forward(x, x, x, { keyPaddingMask: [[false, true, true]], attnMask: [[true, false, false], [false, false, false], [false, false, false]] });
        const out = y.toArray(), bias = m.out_proj.bias!.toArray();
        expectClose(out.subarray(0, 4), bias, { rtol: 1e-6, atol: 1e-7 }, 'fully masked query');
        expect(Array.from(w!.toArray().subarray(0, 3))).toEqual([0, 0, 0]);
        expect(out.every(Number.isFinite)).toBe(true);
        y.sum().backward();
        expect(x.grad!.toArray().every(Number.isFinite)).toBe(true);
      });
    } finally { m.dispose(); }
  });

  it('masks: booleans, Uint8Array, float tensors and generateSquareSubsequentMask agree with isCausal', () => {
    const m = new nn.MultiheadAttention(6, 3, { seed: 4 });
    try {
      sg.scope(() => {
        const x = input([4, 2, 6], 11);
        const causal = m.forward(x, x, x, { isCausal: true })[0].toArray();
        const float = m.forward(x, x, x, { attnMask: nn.generateSquareSubsequentMask(4) })[0].toArray();
        const bools = Array.from({ length: 4 }, (_, i) => Array.from({ length: 4 }, (_, j) => j > i));
        const nested = m.forward(x, x, x, { attnMask: bools })[0].toArray();
        const u8 = m.forward(x, x, x, { attnMask: Uint8Array.from(bools.flat(), Number) })[0].toArray();
        expectClose(float, causal, { rtol: 1e-6, atol: 1e-7 });
        expectClose(nested, causal, { rtol: 1e-6, atol: 1e-7 });
        expectClose(u8, causal, { rtol: 1e-6, atol: 1e-7 });
        const [, perHead] = m.forward(x, x, x, { averageAttnWeights: false });
        expect(perHead!.shape).toEqual([2, 3, 4, 4]);
        const [y, none] = m.forward(x, x, x, { needWeights: false });
        expect(y.shape).toEqual([4, 2, 6]);
        expect(none).toBe(null);
      });
    } finally { m.dispose(); }
  });

  it('errors name the shapes', () => {
    const m = new nn.MultiheadAttention(6, 3, { batchFirst: true });
    try {
      sg.scope(() => {
        const x = sg.zeros([2, 4, 6]);
        expect(() => m.forward(x, sg.zeros([2, 4, 5]), x)).toThrow(/\[2, 4, 5\]/);
        expect(() => m.forward(x, x, x, { keyPaddingMask: [[false, true]] })).toThrow(/keyPaddingMask.*\[1, 2\].*\[2, 4\]/);
        expect(() => m.forward(x, x, x, { attnMask: sg.zeros([3, 3]) })).toThrow(/attnMask.*\[3, 3\]/);
        expect(() => new nn.MultiheadAttention(6, 4)).toThrow(/divisible/);
        const pe = new nn.PositionalEncoding(6, { maxLen: 3 });
        expect(() => pe.forward(sg.zeros([4, 1, 6]))).toThrow(/T ≤ 3/);
        pe.dispose();
      });
    } finally { m.dispose(); }
  });

  it('dropout on attention weights in training only; memory flat over training steps', () => {
    const layer = new nn.TransformerEncoderLayer(8, 2, { dimFeedforward: 16, dropout: 0.5, batchFirst: true, seed: 1 });
    const opt = new sg.optim.Adam(layer.parameters(), { lr: 1e-2 });
    try {
      const x = sg.randn([2, 5, 8], { seed: 2 });
      const a = sg.scope(() => layer.forward(x).toArray()), b = sg.scope(() => layer.forward(x).toArray());
      expect(a).not.toEqual(b);
      layer.eval();
      const c = sg.scope(() => layer.forward(x).toArray()), d = sg.scope(() => layer.forward(x).toArray());
      expect(c).toEqual(d);
      layer.train();
      const step = () => sg.scope(() => {
        opt.zeroGrad();
        const loss = layer.forward(x, { isCausal: true }).pow(2).mean();
        loss.backward();
        opt.step();
        return loss.item();
      });
      step();
      const before = sg.memory();
      for (let i = 0; i < 5; i++) step();
      const after = sg.memory();
      expect(after.tensors).toBe(before.tensors);
      expect(after.bytes).toBe(before.bytes);
      x.dispose();
    } finally { opt.dispose(); layer.dispose(); }
  });
});
