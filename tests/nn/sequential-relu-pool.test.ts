// Sequential runs a ReLU followed by max pooling as the pooling followed by the ReLU: the values
// and the input gradient must be those of ReLU-then-pool as written, pinned to naive f64 loops
// here (windows all negative, ties, zeros, overlapping windows, padding, ceilMode, 1-D), on every
// backend; a hooked or overridden ReLU keeps the written order; nothing is left live.
import { beforeAll, describe, expect, it } from 'vitest';
import * as sg from '../../src/index.js';
import { BACKENDS, expectClose } from '../helpers/backends.js';

const { nn } = sg;

interface Pool { k: number; s: number; p: number; ceil: boolean }

/** PyTorch's output length for one dimension. */
function outLen(n: number, { k, s, p, ceil }: Pool): number {
  let o = Math.floor((n + 2 * p - k + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

/** relu, then max pooling (first maximum in row-major window order wins), of planes h×w; the
 * input gradient of Σ y·r: r at each window's argmax where that max is > 0. */
function reference(x: number[], planes: number, h: number, w: number, ph: Pool, pw: Pool, r: number[]) {
  const oh = outLen(h, ph), ow = outLen(w, pw), y: number[] = [], dx = new Array<number>(x.length).fill(0);
  for (let c = 0; c < planes; c++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let best = -Infinity, at = -1;
        for (let a = i * ph.s - ph.p; a < i * ph.s - ph.p + ph.k; a++) {
          for (let b = j * pw.s - pw.p; b < j * pw.s - pw.p + pw.k; b++) {
            if (a < 0 || a >= h || b < 0 || b >= w) continue;
            const v = Math.max(0, x[(c * h + a) * w + b]!);
            if (v > best) { best = v; at = (c * h + a) * w + b; }
          }
        }
        const o = (c * oh + i) * ow + j;
        y.push(best);
        if (best > 0) dx[at] = dx[at]! + r[o]!;
      }
    }
  }
  return { y, dx, oh, ow };
}

/** Values in {−2, −1, −0.5, 0, 0.5, 1, 1.5} (ties and zeros), by a fixed rule. */
const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => ((i * 7 + seed * 13) % 7) / 2 - 2 + ((i * 5 + seed) % 3 === 0 ? 0 : 0.5));

describe.each(BACKENDS)('Sequential(ReLU, MaxPool) on %s', (name) => {
  beforeAll(async () => { await sg.init({ backend: name, threads: 1 }); });

  const cases: [string, number[], Pool, Pool][] = [
    ['2×2 windows', [2, 3, 6, 6], { k: 2, s: 2, p: 0, ceil: false }, { k: 2, s: 2, p: 0, ceil: false }],
    ['3×3 stride 2 padding 1, ceilMode', [1, 2, 7, 5], { k: 3, s: 2, p: 1, ceil: true }, { k: 3, s: 2, p: 1, ceil: true }],
    ['overlapping 3×2 windows, stride 1', [2, 1, 4, 5], { k: 3, s: 1, p: 0, ceil: false }, { k: 2, s: 1, p: 0, ceil: false }],
  ];
  it.each(cases)('%s: values and input gradient of relu-then-pool', (_, shape, ph, pw) => sg.scope(() => {
    const [n, c, h, w] = shape as [number, number, number, number];
    const xs = values(n * c * h * w, 1);
    const x = sg.tensor(xs, shape, { requiresGrad: true });
    const opts = { stride: [ph.s, pw.s] as [number, number], padding: [ph.p, pw.p] as [number, number], ceilMode: ph.ceil };
    const m = new nn.Sequential(new nn.ReLU(), new nn.MaxPool2d([ph.k, pw.k], opts));
    const y = m.forward(x);
    const { y: yRef, dx, oh, ow } = reference(xs, n * c, h, w, ph, pw, values(n * c * outLen(h, ph) * outLen(w, pw), 2));
    expect(y.shape).toEqual([n, c, oh, ow]);
    expectClose(y.toArray(), yRef, { rtol: 0, atol: 0 }, 'y');
    y.mul(sg.tensor(values(y.size, 2), y.shape)).sum().backward();
    expectClose(x.grad!.toArray(), dx, { rtol: 1e-6, atol: 0 }, 'dx');
  }));

  it('MaxPool1d after a ReLU: values and input gradient', () => sg.scope(() => {
    const xs = values(2 * 3 * 9, 4), pool: Pool = { k: 3, s: 2, p: 1, ceil: false }, one: Pool = { k: 1, s: 1, p: 0, ceil: false };
    const x = sg.tensor(xs, [2, 3, 9], { requiresGrad: true });
    const y = new nn.Sequential(new nn.ReLU(), new nn.MaxPool1d(3, { stride: 2, padding: 1 })).forward(x);
    const { y: yRef, dx } = reference(xs, 6, 1, 9, one, pool, values(y.size, 5));
    expectClose(y.toArray(), yRef, { rtol: 0, atol: 0 }, 'y');
    y.mul(sg.tensor(values(y.size, 5), y.shape)).sum().backward();
    expectClose(x.grad!.toArray(), dx, { rtol: 1e-6, atol: 0 }, 'dx');
  }));

  it('a hooked or overridden ReLU runs where it is written; nothing stays live', () => {
    // not monotone: pooling first would give −min(relu(window)) instead of max(−relu(window))
    class Negated extends nn.ReLU {
      override forward(t: sg.Tensor): sg.Tensor { const r = super.forward(t); try { return r.neg(); } finally { r.dispose(); } }
    }
    const xs = values(2 * 4 * 4, 3), x = sg.tensor(xs, [2, 1, 4, 4]);
    const negatedRef = Array.from({ length: 8 }, (_, o) => {
      const c = o >> 2, i = (o >> 1) & 1, j = o & 1, at = (a: number, b: number) => -Math.max(0, xs[(c * 4 + 2 * i + a) * 4 + 2 * j + b]!);
      return Math.max(at(0, 0), at(0, 1), at(1, 0), at(1, 1));
    });
    const relu = new nn.ReLU(), seen: number[][] = [];
    const h = relu.registerForwardHook((_, args) => { seen.push([...(args[0] as sg.Tensor).shape]); });
    sg.scope(() => {
      const before = sg.memory().tensors;
      new nn.Sequential(relu, new nn.MaxPool2d(2)).forward(x).dispose();
      expect(seen).toEqual([[2, 1, 4, 4]]); // the hook saw the unpooled input
      const y = new nn.Sequential(new Negated(), new nn.MaxPool2d(2)).forward(x);
      expectClose(y.toArray(), negatedRef, { rtol: 0, atol: 0 }, 'negated'); // negated before pooling, as written
      y.dispose();
      expect(sg.memory().tensors).toBe(before);
    });
    h.remove();
    x.dispose();
  });
});
