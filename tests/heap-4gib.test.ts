// The heap past 2 GiB and up to the wasm32 limit, end to end on every backend: tensors placed
// across the 2³¹ mark, above it and at the very top of the 4 GiB memory are created, read,
// computed on (elementwise, matmul, reductions, losses, embedding), differentiated and stepped by
// optimizers, with every value checked against naive f64 loops written here; the limit is a
// MemoryLimitError that loses nothing, and the library works afterwards. Padding is
// Tensor.empty — live blocks whose pages are never touched — so the file stays fast and small
// (its own vitest file: a 4 GiB memory per backend would weigh on any file sharing a worker).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../src/index.js';
import { active } from '../src/runtime/context.js';
import { BACKENDS, expectClose, randomArray } from './helpers/backends.js';

const GiB = 2 ** 30;
const TOP = 4 * GiB;

/** Naive row-major matmul in f64: a [m, k] · b [k, n]. */
function matmulRef(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number): number[] {
  const out = new Array<number>(m * n).fill(0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
    out[i * n + j] = s;
  }
  return out;
}

describe.each(BACKENDS)('a 4 GiB heap on %s', (name) => {
  const pads: sg.Tensor[] = [];
  /** Fills the heap with untouched blocks until the next fresh block starts at `addr`. */
  function padTo(addr: number): void {
    const heap = active().heap;
    for (let gap = addr - heap.stats().top; gap > 0; gap = addr - heap.stats().top) {
      // powers of two are exact size classes; one taken from a free list only repeats the loop
      const bit = 2 ** Math.floor(Math.log2(gap));
      pads.push(sg.Tensor.empty([bit / 4]));
    }
    expect(heap.stats().top).toBe(addr);
  }
  /** Takes every freed block of `bytes` (a size class) as padding, so the next one is fresh. */
  function drainFreeList(bytes: number): void {
    const heap = active().heap;
    for (let top = heap.stats().top; ; top = heap.stats().top) {
      const t = sg.Tensor.empty([bytes / 4]);
      pads.push(t);
      if (t.ptr === top) return;
    }
  }
  let lowNormal: Float32Array, lowUniform: Float32Array;

  beforeAll(async () => {
    await sg.init({ backend: name });
    const n = sg.randn([37], { seed: 11 }), u = sg.rand([37], { seed: 12, low: -2, high: 3 });
    lowNormal = n.toArray(); lowUniform = u.toArray();
    expect(n.ptr + n.size * 4).toBeLessThan(2 ** 31);
    n.dispose(); u.dispose();
  });
  afterAll(() => { for (const p of pads) p.dispose(); pads.length = 0; });

  it('a tensor straddling the 2 GiB mark and tensors above it hold and compute the right values', () => {
    drainFreeList(256);
    padTo(2 ** 31 - 128);
    const data = randomArray(64, 1);
    const s = sg.tensor(data);                  // 32 floats below 2³¹, 32 above
    expect(s.ptr).toBe(2 ** 31 - 128);
    pads.push(sg.Tensor.empty([GiB / 16]));     // 64 MiB more: over 2 GiB live
    expect(sg.memory().bytes).toBeGreaterThan(2 * GiB);
    expect(s.toArray()).toEqual(data);
    expect(sg.scope(() => s.slice([40], [41]).item())).toBe(data[40]);
    const y = sg.scope(() => s.mul(2).add(1).toArray());
    expectClose(y, Array.from(data, (v) => v * 2 + 1));

    const f = sg.full([3], 7), z = sg.zeros([5]), a = sg.arange(6), t = sg.tensor([[1, 2, 3], [4, 5, 6]]);
    for (const x of [f, z, a, t]) expect(x.ptr).toBeGreaterThan(2 ** 31);
    expect([...f.toArray()]).toEqual([7, 7, 7]);
    expect(sg.scope(() => f.sum().item())).toBe(21);
    expect([...z.toArray()]).toEqual([0, 0, 0, 0, 0]);
    expect([...a.toArray()]).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sg.scope(() => [...t.T.contiguous().toArray()])).toEqual([1, 4, 2, 5, 3, 6]);
    expect(sg.scope(() => sg.tensor([4.5]).item())).toBe(4.5);
    // random streams do not depend on where their tensor lives
    sg.scope(() => {
      expect(sg.randn([37], { seed: 11 }).toArray()).toEqual(lowNormal);
      expect(sg.rand([37], { seed: 12, low: -2, high: 3 }).toArray()).toEqual(lowUniform);
    });
    sg.scope(() => {                           // elementwise with broadcasting, unary ops, reductions
      const b = sg.tensor([10, 20, 30]);
      expect([...t.add(b).toArray()]).toEqual([11, 22, 33, 14, 25, 36]);
      expectClose(t.exp().toArray(), [1, 2, 3, 4, 5, 6].map(Math.exp));
      expect([...t.sum(1).toArray()]).toEqual([6, 15]);
      expect([...t.max(0).toArray()]).toEqual([4, 5, 6]);
      expect([...sg.argmax(t, 1)]).toEqual([2, 2]);
      expectClose(t.softmax().toArray(), [1, 2, 3, 4, 5, 6].map((v, i) => {
        const r = Math.floor(i / 3), e = [0, 1, 2].map((j) => Math.exp(r * 3 + j + 1));
        return Math.exp(v) / (e[0]! + e[1]! + e[2]!);
      }));
    });
    for (const x of [s, f, z, a, t]) x.dispose();
  });

  it('matmul, a backward pass and optimizer steps on tensors above 2 GiB', () => {
    const [m, k, n] = [5, 7, 3];
    const xd = randomArray(m * k, 2), wd = randomArray(n * k, 3), bd = randomArray(n, 4);
    const x = sg.tensor(xd, [m, k]);
    const w = sg.tensor(wd, [n, k], { requiresGrad: true }), b = sg.tensor(bd, [n], { requiresGrad: true });
    expect(x.ptr).toBeGreaterThan(2 ** 31);
    const wT = Array.from({ length: k * n }, (_, i) => wd[(i % n) * k + Math.floor(i / n)]!);
    const z = matmulRef(xd, wT, m, k, n).map((v, i) => v + bd[i % n]!);
    expectClose(sg.scope(() => sg.matmul(x, w.T).toArray()), matmulRef(xd, wT, m, k, n), { rtol: 1e-5, atol: 1e-5 });
    // mean cross-entropy: dlogits = (softmax − onehot)/m, dW = dlogitsᵀ·x, db = Σ_rows dlogits
    const target = [0, 2, 1, 2, 0];
    const loss = sg.scope(() => sg.nn.functional.crossEntropy(sg.linear(x, w, b), target));
    let want = 0;
    const dz = z.map((_, i) => {
      const r = Math.floor(i / n), row = z.slice(r * n, r * n + n), mx = Math.max(...row);
      const se = row.reduce((acc, v) => acc + Math.exp(v - mx), 0);
      if (i % n === 0) want -= (row[target[r]!]! - mx - Math.log(se)) / m;
      return (Math.exp(z[i]! - mx) / se - (target[r] === i % n ? 1 : 0)) / m;
    });
    expect(loss.item()).toBeCloseTo(want, 5);
    loss.backward();
    loss.dispose();
    const dW = Array.from({ length: n * k }, (_, i) => {
      const j = Math.floor(i / k), p = i % k;
      let s = 0;
      for (let r = 0; r < m; r++) s += dz[r * n + j]! * xd[r * k + p]!;
      return s;
    });
    const db = [0, 1, 2].map((j) => [0, 1, 2, 3, 4].reduce((acc, r) => acc + dz[r * n + j]!, 0));
    expectClose(w.grad!.toArray(), dW, { atol: 1e-6 });
    expectClose(b.grad!.toArray(), db, { atol: 1e-6 });
    // SGD (momentum 0.9, weight decay 0.1), two steps with the same gradient:
    // d = g + 0.1·p; step 1: buf = d; step 2: buf = 0.9·buf + d'; p −= 0.5·buf
    const opt = new sg.optim.SGD([w, b], { lr: 0.5, momentum: 0.9, weightDecay: 0.1 });
    expect(w.ptr).toBeGreaterThan(2 ** 31);  // gathered into a block, also above 2 GiB
    const sgd = (p0: ArrayLike<number>, g: ArrayLike<number>) => Array.from(p0, (p, i) => {
      const d1 = g[i]! + 0.1 * p, p1 = p - 0.5 * d1;
      return p1 - 0.5 * (0.9 * d1 + g[i]! + 0.1 * p1);
    });
    opt.step(); opt.step();
    expectClose(w.toArray(), sgd(wd, dW), { atol: 1e-6 });
    expectClose(b.toArray(), sgd(bd, db), { atol: 1e-6 });
    opt.dispose();
    // Adam, first step: p −= lr · g / (|g| + eps) (bias corrections cancel)
    const before = w.toArray(), g = w.grad!.toArray();
    const adam = new sg.optim.Adam([w], { lr: 0.01 });
    adam.step();
    expectClose(w.toArray(), Array.from(before, (p, i) => p - 0.01 * g[i]! / (Math.abs(g[i]!) + 1e-8)), { atol: 1e-6 });
    adam.dispose();
    // an embedding lookup (i32 indices in the heap)
    const emb = new sg.nn.Embedding(6, 4, { seed: 5 }), table = emb.weight.toArray();
    const rows = sg.scope(() => emb.forward([5, 0, 3]).toArray());
    expect(rows).toEqual(Float32Array.from([5, 0, 3].flatMap((r) => [...table.slice(r * 4, r * 4 + 4)])));
    emb.dispose();
    for (const t of [x, w, b]) t.dispose();
  });

  it('fills to the last byte of 4 GiB; past it a MemoryLimitError that loses nothing; usable after freeing', () => {
    drainFreeList(256);
    padTo(TOP - 256);
    const data = randomArray(64, 6);
    const last = sg.tensor(data);               // the last 256 bytes of the wasm32 address space
    expect(last.ptr + 256).toBe(TOP);
    expect(sg.memory().bytes).toBeGreaterThan(TOP - 0.01 * GiB);
    expect(sg.memory().capacity).toBe(TOP);
    expect(last.toArray()).toEqual(data);
    expect(sg.scope(() => last.slice([63], [64]).item())).toBe(data[63]);
    const before = sg.memory();
    expect(() => sg.zeros([GiB / 4])).toThrow(sg.MemoryLimitError);
    expect(() => sg.Tensor.empty([2 ** 28])).toThrow(/wasm32 limit/);
    expect(sg.memory()).toEqual(before);
    expect(last.toArray()).toEqual(data);
    // free the padding: the space is reused, whatever the size classes
    for (const p of pads) p.dispose();
    pads.length = 0;
    const big = sg.Tensor.empty([3 * GiB / 4 / 4 + 12345]);   // ~0.75 GiB, a size class never used
    const y = sg.scope(() => last.mul(3).toArray());
    expectClose(y, Array.from(data, (v) => v * 3));
    const c = sg.full([1000, 1001], 0.5);
    expect(sg.scope(() => c.sum().item())).toBeCloseTo(500_500, 0);
    for (const t of [big, c, last]) t.dispose();
  });
});

afterAll(() => {
  // recorded in the report of the change that added this file; a regression that touches the
  // padding (GiBs of pages) would show here first
  const peak = process.resourceUsage().maxRSS * 1024;
  expect(peak, `peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB`).toBeLessThan(GiB);
});
