// Strided 4-D copy on every backend against the JS reference: contiguous, slices, broadcasts
// (stride 0), 2-D transposes in both orientations (blocked path + edges), 4-D permutations.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel, sameBits } from './harness.js';

type Dims = [number, number, number, number];
const contig = (d: Dims): Dims => [d[1] * d[2] * d[3], d[2] * d[3], d[3], 1];
function copy(b: Backend, d: Dims, os: Dims, xs: Dims, xlen: number, olen: number): Float32Array {
  const x = randomArray(xlen, xlen + 3, -9, 9);
  return runKernel(b, [new Float32Array(olen).fill(-1), x], (p) =>
    b.kernels.copy_strided_f32(p[0]!, p[1]!, ...d, ...os, ...xs))[0] as Float32Array;
}
/** Cases as [dims, out strides, x strides, x length]. */
function cases(): [Dims, Dims, Dims, number][] {
  const out: [Dims, Dims, Dims, number][] = [];
  for (const n of SIZES) {
    const m = (n % 5) + 2;
    out.push([[1, 1, 1, n], [0, 0, 0, 1], [0, 0, 0, 1], n]);                       // contiguous
    out.push([[1, 1, m, n], [0, 0, n, 1], [0, 0, 1, m], m * n]);                   // transpose
    out.push([[1, 1, n, m], [0, 0, 1, n], [0, 0, m, 1], m * n]);                   // transpose (other side)
    out.push([[1, 1, m, n], [0, 0, n, 1], [0, 0, 1, 0], m]);                       // broadcast rows
    out.push([[1, 1, m, n], [0, 0, n, 1], [0, 0, 0, 1], n]);                       // broadcast over rows
    out.push([[1, 2, m, n], [0, m * n, n, 1], [0, m * (n + 3), n + 3, 1], 2 * m * (n + 3)]); // slice
    out.push([[2, 3, n, 2], contig([2, 3, n, 2]), [1, 2 * n * 2, 2, 2 * n], 2 * 3 * n * 2]); // permute
  }
  out.push([[1, 1, 67, 130], [0, 0, 130, 1], [0, 0, 1, 67], 67 * 130]);
  out.push([[3, 1, 1, 1], [1, 1, 1, 1], [5, 0, 0, 0], 11]);
  out.push([[2, 2, 2, 2], contig([2, 2, 2, 2]), contig([2, 2, 2, 2]), 16]);
  return out;
}

describe.each(BACKENDS)('copy_strided_f32 on %s', (be) => {
  it('matches the reference bit for bit on every layout and size', async () => {
    const ref = await backend('js'), b = await backend(be);
    for (const [d, os, xs, xlen] of cases()) {
      const olen = d.reduce((a, v) => a * v, 1);
      const want = copy(ref, d, os, xs, Math.max(1, xlen), olen);
      expect(sameBits(copy(b, d, os, xs, Math.max(1, xlen), olen), want), `${d} ${os} ${xs}`).toBe(true);
      if (olen > 0) expect(want.some((v) => v !== -1)).toBe(true);
    }
  });
  it('transposes a 2-D matrix', async () => {
    const b = await backend(be);
    const x = Float32Array.from({ length: 6 * 9 }, (_, i) => i);
    const [t] = runKernel(b, [new Float32Array(54), x], (p) => b.kernels.copy_strided_f32(p[0]!, p[1]!, 1, 1, 9, 6, 0, 0, 6, 1, 0, 0, 1, 9));
    for (let i = 0; i < 9; i++) for (let j = 0; j < 6; j++) expect(t![i * 6 + j]).toBe(j * 9 + i);
  });
});
