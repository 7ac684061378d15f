// Reductions over [outer, len, inner] and the row-wise softmax family on every backend against the
// JS reference (f64 accumulation), at all SIZES along each axis, with NaN/±inf rows.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { ReduceKernel, RowsBackwardKernel, RowsKernel } from '../../src/backend/backend.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel } from './harness.js';

const REDUCE = ['sum_f32', 'mean_f32', 'max_f32', 'argmax_f32'] as const;
const SHAPES: [number, number, number][] = [
  ...SIZES.map((n): [number, number, number] => [2, n, 1]),
  ...SIZES.map((n): [number, number, number] => [1, 5, n]),
  ...SIZES.map((n): [number, number, number] => [3, n, 7]),
  [1, 3000, 1], [2, 9, 2100], [0, 4, 4],
];

function reduceOn(b: Backend, k: (typeof REDUCE)[number], x: Float32Array, [o, l, i]: number[]) {
  const out = k === 'argmax_f32' ? new Int32Array(o! * i!) : new Float32Array(o! * i!);
  return runKernel(b, [out, x], (p) => (b.kernels[k] as ReduceKernel)(p[0]!, p[1]!, o!, l!, i!))[0]!;
}

describe.each(BACKENDS)('reductions on %s', (be) => {
  for (const k of REDUCE) {
    it(`${k} over every shape`, async () => {
      const ref = await backend('js'), b = await backend(be);
      for (const s of SHAPES) {
        const x = randomArray(s[0] * s[1] * s[2], s[1] * 7 + s[2], -3, 3);
        const want = reduceOn(ref, k, x, s), got = reduceOn(b, k, x, s);
        if (k === 'argmax_f32') expect(Array.from(got), `${s}`).toEqual(Array.from(want));
        else expectClose(got, want, { rtol: 1e-5, atol: 1e-5 }, `${be} ${k} ${s}`);
      }
    });
  }
  it('max/argmax: NaN propagates, ties pick the first, empty axis', async () => {
    const b = await backend(be);
    for (const len of [5, 33]) {
      const x = new Float32Array(len * 3).fill(1);
      x[len - 2] = NaN; x[len + 3] = 7; x[len + 4] = 7; x[2 * len + 1] = -Infinity;
      expect(Array.from(reduceOn(b, 'argmax_f32', x, [3, len, 1]))).toEqual([len - 2, 3, 0]);
      const m = reduceOn(b, 'max_f32', x, [3, len, 1]);
      expect([Number.isNaN(m[0]!), m[1], m[2]]).toEqual([true, 7, 1]);
      const col = reduceOn(b, 'max_f32', x, [1, 3, len]);
      expect(Number.isNaN(col[len - 2]!)).toBe(true);
    }
    expect(Array.from(reduceOn(b, 'max_f32', new Float32Array(0), [2, 0, 3]))).toEqual(new Array(6).fill(-Infinity));
    expect(Array.from(reduceOn(b, 'argmax_f32', new Float32Array(0), [2, 0, 1]))).toEqual([-1, -1]);
    expect(Array.from(reduceOn(b, 'sum_f32', new Float32Array(0), [2, 0, 5]))).toEqual(new Array(10).fill(0));
  });

  const ROWS: [number, number][] = [...SIZES.filter((n) => n > 0).map((n): [number, number] => [3, n]), [2, 1000]];
  for (const k of ['softmax_f32', 'log_softmax_f32'] as const) {
    it(`${k} forward and backward`, async () => {
      const ref = await backend('js'), b = await backend(be);
      for (const [r, c] of ROWS) {
        const x = randomArray(r * c, c, -20, 20);
        if (c > 3) { x[1] = -Infinity; x[c + 2] = 80; }
        const fwd = (k2: Backend) => runKernel(k2, [new Float32Array(r * c), x], (p) =>
          (k2.kernels[k] as RowsKernel)(p[0]!, p[1]!, r, c))[0] as Float32Array;
        const y = fwd(ref);
        expectClose(fwd(b), y, { rtol: 2e-6, atol: 1e-7 }, `${be} ${k} ${r}x${c}`);
        const bk = `${k.replace('_f32', '')}_backward_f32` as 'softmax_backward_f32';
        const dy = randomArray(r * c, c + 5, -1, 1), dx = randomArray(r * c, c + 6, -1, 1);
        const bwd = (k2: Backend) => runKernel(k2, [dx, y, dy], (p) =>
          (k2.kernels[bk] as RowsBackwardKernel)(p[0]!, p[1]!, p[2]!, r, c))[0]!;
        expectClose(bwd(b), bwd(ref), { rtol: 1e-5, atol: 2e-6 }, `${be} ${bk} ${r}x${c}`);
      }
    });
  }
  it('softmax rows sum to 1, survive huge logits, NaN rows stay NaN', async () => {
    const b = await backend(be);
    const x = new Float32Array([1e30, 1e30, -1e30, 0, 1, 2, NaN, 1, 2]);
    const [y] = runKernel(b, [new Float32Array(9), x], (p) => b.kernels.softmax_f32(p[0]!, p[1]!, 3, 3));
    expectClose(y!.subarray(0, 6), [0.5, 0.5, 0, 0.09003057, 0.24472847, 0.66524096], { rtol: 1e-6, atol: 1e-7 });
    expect(Array.from(y!.subarray(6)).every(Number.isNaN)).toBe(true);
  });
});
