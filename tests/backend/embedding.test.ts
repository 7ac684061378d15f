// Embedding gather and scatter-add on every backend against the JS reference, at every row width
// in SIZES (SIMD bodies and scalar tails), with repeated indices and a skipped padding row.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel, type Buf } from './harness.js';

const TOL = { rtol: 2e-6, atol: 2e-6 };

/** Runs the same call on `be` and on the JS reference and compares every buffer. */
async function same(be: string, label: string, bufs: Buf[], call: (b: Backend, p: number[]) => void, tol = TOL): Promise<Buf[]> {
  const ref = await backend('js'), b = await backend(be as 'js');
  const want = runKernel(ref, bufs, (p) => call(ref, p));
  const got = runKernel(b, bufs, (p) => call(b, p));
  want.forEach((w, i) => expectClose(got[i]!, w, tol, `${be} ${label} buffer ${i}`));
  return want;
}

describe.each(BACKENDS)('embedding kernels on %s', (be) => {
  it('gathers rows and scatter-adds gradients (repeated indices, padding row skipped)', async () => {
    for (const dim of SIZES) for (const n of [0, 1, 5, 17]) {
      const rows = 6, weight = randomArray(rows * dim, dim + n + 1);
      const idx = Int32Array.from({ length: n }, (_, i) => (i * 5 + 1) % rows); // repeats for n > 6
      const [out] = await same(be, `gather dim=${dim} n=${n}`, [new Float32Array(n * dim), weight, idx],
        (b, p) => b.kernels.embedding_f32(p[0]!, p[1]!, p[2]!, n, dim), { rtol: 0, atol: 0 });
      for (let i = 0; i < n; i++) {
        expect(Array.from(out!.subarray(i * dim, (i + 1) * dim))).toEqual(Array.from(weight.subarray(idx[i]! * dim, (idx[i]! + 1) * dim)));
      }
      for (const pad of [-1, 1]) {
        const dw0 = randomArray(rows * dim, dim + 3), dout = randomArray(n * dim, n + 4);
        const [dw] = await same(be, `scatter dim=${dim} n=${n} pad=${pad}`, [dw0, idx, dout],
          (b, p) => b.kernels.embedding_backward_f32(p[0]!, p[1]!, p[2]!, n, dim, pad), { rtol: 1e-6, atol: 1e-6 });
        if (pad === 1) expect(Array.from(dw!.subarray(dim, 2 * dim))).toEqual(Array.from(dw0.subarray(dim, 2 * dim)));
      }
    }
  });
});
