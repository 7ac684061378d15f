// Strided 4-D copy on every backend — the JS reference included — against a naive index twin
// written here, bit for bit (a copy does no arithmetic): contiguous, slices, broadcasts (stride 0),
// 2-D transposes in both orientations (blocked path + edges), 4-D permutations. Elements the view
// does not cover keep their −1.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, randomArray } from '../helpers/backends.js';
import type { Kernels, Ptr } from '../../src/backend/backend.js';
import { kernelSuite, runKernel, type KernelCase } from './harness.js';

type Dims = [number, number, number, number];
const contig = (d: Dims): Dims => [d[1] * d[2] * d[3], d[2] * d[3], d[3], 1];
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

/** Each case with its expectation: out[Σ i·o] = x[Σ i·x] over the 4-D index space. */
function copyCases(): KernelCase[] {
  const flips = SIZES.filter((n) => n > 0).flatMap((n): [Dims, Dims, Dims, number][] => [
    [[1, 1, 3, n], [0, 0, n, 1], [0, 0, n, -1], 3 * n],                        // flip columns (torch.flip)
    [[1, 2, 3, n], [0, 3 * n, n, 1], [3 * n, 3 * n, -n, 1], 6 * n],            // flip rows of each matrix
  ]);
  return [...cases(), ...flips].map(([d, os, xs, xlen]) => {
    const olen = d.reduce((a, v) => a * v, 1), x = randomArray(Math.max(1, xlen), xlen + 7, -9, 9);
    const want = new Float32Array(olen).fill(-1);
    // negative strides walk back from the element the x pointer is moved to
    const start = xs.reduce((s, st, i) => s + (st < 0 ? -st * (d[i]! - 1) : 0), 0);
    for (let a = 0; a < d[0]; a++) for (let b = 0; b < d[1]; b++) for (let c = 0; c < d[2]; c++) for (let e = 0; e < d[3]; e++) {
      want[a * os[0] + b * os[1] + c * os[2] + e * os[3]] = x[start + a * xs[0] + b * xs[1] + c * xs[2] + e * xs[3]]!;
    }
    return { label: `${d} ${os} ${xs}`, bufs: [new Float32Array(olen).fill(-1), x], want: [want], tol: 'bits' as const,
      call: (k: Kernels, p: Ptr[]) => k.copy_strided_f32(p[0]!, p[1]! + 4 * start, ...d, ...os, ...xs) };
  });
}

kernelSuite('strided copy', { copy_strided_f32: copyCases });

describe.each(BACKENDS)('copy_strided_f32 on %s', (be) => {
  it('transposes a 2-D matrix', async () => {
    const b = await backend(be);
    const x = Float32Array.from({ length: 6 * 9 }, (_, i) => i);
    const [t] = runKernel(b, [new Float32Array(54), x], (p) => b.kernels.copy_strided_f32(p[0]!, p[1]!, 1, 1, 9, 6, 0, 0, 6, 1, 0, 0, 1, 9));
    for (let i = 0; i < 9; i++) for (let j = 0; j < 6; j++) expect(t![i * 6 + j]).toBe(j * 9 + i);
  });
});
