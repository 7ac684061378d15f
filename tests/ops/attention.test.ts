// Attention ops on every backend: batched matmul over 3-D/4-D operands with permuted and
// transposed views (the layouts attention uses) and broadcast batches against a naive product;
// maskedSoftmax against the composite softmax(scale·x + mask) with every mask placement (in place
// and expanded), causal rows and fully masked rows; gradient checks of both and of
// scaledDotProductAttention.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose, randomArray } from '../helpers/backends.js';

const rnd = (shape: number[], seed: number, requiresGrad = false, lo = -1, hi = 1): sg.Tensor =>
  sg.tensor(randomArray(shape.reduce((a, b) => a * b, 1), seed, lo, hi), shape, { requiresGrad });

/** Naive batched product of contiguous a [nb, m, k] and b [nb, k, n] (batch of b may be 1). */
function naiveBmm(a: Float32Array, b: Float32Array, nb: number, m: number, k: number, n: number, bBatch = nb): Float32Array {
  const c = new Float32Array(nb * m * n);
  for (let q = 0; q < nb; q++) {
    const bo = (bBatch === 1 ? 0 : q) * k * n;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[q * m * k + i * k + p]! * b[bo + p * n + j]!;
      c[q * m * n + i * n + j] = s;
    }
  }
  return c;
}

/** softmax(scale·x + mask) rows with a causal option, in f64 (mask given expanded to x). */
function naiveMaskedSoftmax(x: Float32Array, mask: Float32Array | null, rows: number, cols: number, T: number, scale: number, causal: boolean): Float32Array {
  const y = new Float32Array(x.length);
  for (let r = 0; r < rows; r++) {
    const z = Array.from({ length: cols }, (_, j) => (causal && j > r % T ? -Infinity : x[r * cols + j]! * scale + (mask ? mask[r * cols + j]! : 0)));
    const m = Math.max(...z);
    if (m === -Infinity) continue;
    const e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, j) => { y[r * cols + j] = v / s; });
  }
  return y;
}

const TOL = { rtol: 1e-5, atol: 1e-5 };

describe.each(BACKENDS)('attention ops on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name }); });

  it.each([[1, 1, 1, 1, 1], [2, 3, 5, 7, 4], [3, 2, 17, 8, 33], [2, 4, 16, 5, 16], [1, 2, 33, 16, 9]])(
    'batched matmul B=%i H=%i T=%i D=%i S=%i through attention layouts', (B, H, T, D, S) => sg.scope(() => {
      // q from [B, T, H·D] split into heads and moved to [B, H, T, D] (views), k likewise, k transposed
      const qf = rnd([B, T, H * D], 1), kf = rnd([B, S, H * D], 2), vf = rnd([B, S, H * D], 3);
      const heads = (t: sg.Tensor, L: number) => t.reshape([B, L, H, D]).transpose(1, 2);
      const q = heads(qf, T), k = heads(kf, S), v = heads(vf, S);
      const scores = sg.matmul(q, k.transpose(-2, -1));
      expect(scores.shape).toEqual([B, H, T, S]);
      const qc = q.contiguous().toArray(), kc = k.contiguous().toArray(), vc = v.contiguous().toArray();
      const kT = new Float32Array(B * H * D * S);
      for (let bh = 0; bh < B * H; bh++) for (let s = 0; s < S; s++) for (let d = 0; d < D; d++) kT[bh * D * S + d * S + s] = kc[bh * S * D + s * D + d]!;
      expectClose(scores.toArray(), naiveBmm(qc, kT, B * H, T, D, S), TOL, 'q·kᵀ');
      const out = sg.matmul(scores, v);
      expectClose(out.toArray(), naiveBmm(scores.toArray(), vc, B * H, T, S, D), { rtol: 1e-4, atol: 1e-4 }, 'w·v');
      // a broadcast [k, n] right operand and a [1, k, n] one
      const w2 = rnd([D, 5], 4);
      expectClose(sg.matmul(q, w2).toArray(), naiveBmm(qc, w2.toArray(), B * H, T, D, 5, 1), TOL, 'broadcast');
      expectClose(sg.matmul(q, w2.reshape([1, 1, D, 5])).toArray(), naiveBmm(qc, w2.toArray(), B * H, T, D, 5, 1), TOL, 'broadcast 4-D');
    }));

  it('batched matmul gradients through permuted and transposed views', () => sg.scope(() => {
    const a = rnd([2, 3, 4], 5, true), b = rnd([2, 5, 4], 6, true), c = rnd([4, 3], 7, true);
    const r = sg.gradcheck((x, y) => sg.matmul(x.transpose(0, 1).reshape([3, 2, 4]).transpose(0, 1), y.transpose(-2, -1)), [a, b]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    const r2 = sg.gradcheck((x, y) => sg.matmul(x, y), [a, c]);
    expect(r2.ok, JSON.stringify(r2.worst)).toBe(true);
  }));

  const PLACEMENTS: [string, number[]][] = [
    ['none', []], ['[S]', [7]], ['[T, S]', [5, 7]], ['[B, 1, 1, S] padding', [2, 1, 1, 7]],
    ['[1, H, T, S]', [1, 3, 5, 7]], ['full', [2, 3, 5, 7]], ['[B, 1, T, S] (expanded)', [2, 1, 5, 7]], ['[T, 1] (expanded)', [5, 1]],
  ];
  it.each(PLACEMENTS)('maskedSoftmax with mask %s, plain and causal', (_, mshape) => sg.scope(() => {
    const shape = [2, 3, 5, 7], rows = 30, cols = 7;
    const x = rnd(shape, 8, false, -4, 4);
    let mask: sg.Tensor | null = null, expanded: Float32Array | null = null;
    if (mshape.length) {
      const vals = randomArray(mshape.reduce((a, b) => a * b, 1), 9, -1, 1).map((v, i) => (i % 4 === 1 ? -Infinity : v));
      mask = sg.tensor(vals, mshape);
      expanded = sg.add(sg.zeros(shape), mask).toArray();
    }
    for (const causal of [false, true]) {
      const y = sg.maskedSoftmax(x, { scale: 0.7, mask, causal });
      expectClose(y.toArray(), naiveMaskedSoftmax(x.toArray(), expanded, rows, cols, 5, 0.7, causal), { rtol: 1e-5, atol: 1e-6 }, `causal ${causal}`);
    }
    if (mask) { // two masks at once, and three (summed first)
      const y2 = sg.maskedSoftmax(x, { mask: [mask, mask], causal: true });
      const twice = expanded!.map((v) => 2 * v);
      expectClose(y2.toArray(), naiveMaskedSoftmax(x.toArray(), twice, rows, cols, 5, 1, true), { rtol: 1e-5, atol: 1e-6 }, 'two masks');
      const y3 = sg.maskedSoftmax(x, { mask: [mask, mask, mask] });
      expectClose(y3.toArray(), naiveMaskedSoftmax(x.toArray(), expanded!.map((v) => 3 * v), rows, cols, 5, 1, false), { rtol: 1e-5, atol: 1e-6 }, 'three masks');
    }
  }));

  it('maskedSoftmax: fully masked rows are zeros with zero gradient; errors name shapes', () => sg.scope(() => {
    const x = rnd([2, 4], 10, true);
    const mask = sg.tensor([0, 0, -Infinity, 0, -Infinity, -Infinity, -Infinity, -Infinity], [2, 4]);
    const y = sg.maskedSoftmax(x, { mask });
    expect(Array.from(y.toArray().subarray(4))).toEqual([0, 0, 0, 0]);
    y.backward(rnd([2, 4], 11));
    expect(Array.from(x.grad!.toArray().subarray(4))).toEqual([0, 0, 0, 0]);
    expect(() => sg.maskedSoftmax(x, { mask: sg.zeros([3, 4]) })).toThrow(/\[3, 4\].*\[2, 4\]/);
    expect(() => sg.maskedSoftmax(x, { mask: sg.zeros([4], { requiresGrad: true }) })).toThrow(/constants/);
  }));

  it.each([false, true])('maskedSoftmax gradient check (causal %s)', (causal) => sg.scope(() => {
    const x = rnd([2, 3, 4], 12, true, -2, 2), mask = sg.tensor([0, -1, -Infinity, 0.5], [4]);
    const r = sg.gradcheck((t) => sg.maskedSoftmax(t, { scale: 0.8, mask, causal }), [x]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
  }));

  it('scaledDotProductAttention: gradient check and equality with the composite', () => sg.scope(() => {
    const q = rnd([2, 3, 4], 13, true), k = rnd([2, 5, 4], 14, true), v = rnd([2, 5, 3], 15, true);
    const mask = sg.tensor([0, 0, -Infinity, 0, 0], [5]);
    const f = (a: sg.Tensor, b: sg.Tensor, c: sg.Tensor) => sg.nn.functional.scaledDotProductAttention(a, b, c, { attnMask: mask, isCausal: true });
    const r = sg.gradcheck(f, [q, k, v]);
    expect(r.ok, JSON.stringify(r.worst)).toBe(true);
    const composite = sg.noGrad(() => {
      const s = sg.matmul(q, k.transpose(1, 2)).mul(0.5).add(mask);
      const causal = sg.tensor(Array.from({ length: 15 }, (_, i) => (i % 5 > Math.floor(i / 5) ? -Infinity : 0)), [3, 5]);
      return sg.matmul(s.add(causal).softmax(), v);
    });
    expectClose(sg.noGrad(() => f(q, k, v)).toArray(), composite.toArray(), TOL, 'sdpa');
    expect(() => sg.nn.functional.scaledDotProductAttention(q, v, v)).toThrow(/q \[2, 3, 4\], k \[2, 5, 3\]/);
  }));
});
