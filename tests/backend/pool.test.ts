// Pooling kernels (max with argmax, average with both divisor rules; forward and backward) on
// every backend against the JS reference: 1×1 planes, windows clipped by padding and by ceil-mode
// overhang, stride larger than the kernel, non-square windows, NaN and −∞ inputs, ties, and the
// 2×2 stride-2 path four outputs at a time (its overlapping last group, its scalar remainder).
// On the kernel threads (3, every call split by planes) each call must give one thread's bits.
import { describe, it, expect } from 'vitest';
import { BACKENDS, THREADED, backend, expectClose, randomArray, threadedBackendOf } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { expectSameBits, runKernel, type Buf } from './harness.js';

// [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw]
type Geo = [number, number, number, number, number, number, number, number, number, number, number];
const CASES: Geo[] = [
  [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0],
  [3, 4, 4, 2, 2, 2, 2, 2, 2, 0, 0],
  [2, 5, 5, 3, 3, 2, 2, 2, 2, 0, 0],          // ceil mode: last window hangs over
  [2, 7, 6, 4, 3, 3, 3, 2, 2, 1, 1],          // padded
  [1, 9, 9, 3, 3, 2, 2, 4, 4, 0, 0],          // stride > kernel
  [2, 6, 9, 6, 4, 1, 3, 1, 2, 0, 1],          // non-square window, 1-row kernel
  [4, 8, 8, 1, 1, 8, 8, 8, 8, 0, 0],          // global pooling
  [2, 9, 13, 4, 6, 2, 2, 2, 2, 0, 0],         // 2×2 stride 2: the four-at-a-time path and its tail
  [1, 6, 16, 3, 8, 2, 2, 2, 2, 0, 0],
  [2, 7, 9, 4, 5, 2, 2, 2, 2, 0, 0],          // ceil mode: partial last row and column beside the fast path
  [1, 4, 14, 2, 7, 2, 2, 2, 2, 0, 0],         // seven outputs: the last four overlap the first
];

async function same(be: string, label: string, bufs: Buf[], call: (b: Backend, p: number[]) => void, tol = { rtol: 1e-6, atol: 1e-6 }): Promise<Buf[]> {
  const ref = await backend('js'), b = await backend(be as 'js');
  const want = runKernel(ref, bufs, (p) => call(ref, p));
  const got = runKernel(b, bufs, (p) => call(b, p));
  want.forEach((w, i) => expectClose(got[i]!, w, tol, `${be} ${label} buffer ${i}`));
  if ((THREADED as string[]).includes(be)) { // split by planes on 3 threads: the one-thread bits
    const t = await threadedBackendOf(be as 'simd');
    expectSameBits(runKernel(t, bufs, (p) => call(t, p)), got, `${be} × 3 threads ${label}`);
  }
  return want;
}

describe.each(BACKENDS.filter((b) => b !== 'js'))('pooling kernels on %s', (be) => {
  it.each(CASES.map((g) => [g.join(','), g] as const))('max and average pooling %s', async (_, g) => {
    const [planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw] = g;
    const x = randomArray(planes * h * w, h * 7 + w);
    if (x.length > 6) { x[2] = NaN; x[5] = -Infinity; }
    for (let i = 20; i + 2 * w < x.length; i += 23) { x[i + 1] = x[i]!; x[i + w] = x[i]!; } // ties: the first wins
    if (x.length > 40) { x[33] = NaN; x[34] = NaN; }
    const no = planes * oh * ow, dy = randomArray(no, 9);
    const [, idx] = await same(be, 'max', [new Float32Array(no), new Int32Array(no), x],
      (b, p) => b.kernels.max_pool2d_f32(p[0]!, p[1]!, p[2]!, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw));
    for (const i of idx!) expect(i >= 0 && i < h * w).toBe(true);
    await same(be, 'max backward', [randomArray(x.length, 3), idx!, dy],
      (b, p) => b.kernels.max_pool2d_backward_f32(p[0]!, p[1]!, p[2]!, planes, h * w, oh * ow));
    const clean = x.map((v) => (Number.isFinite(v) ? v : 0.5));
    for (const cip of [0, 1]) {
      await same(be, `avg cip=${cip}`, [new Float32Array(no), clean],
        (b, p) => b.kernels.avg_pool2d_f32(p[0]!, p[1]!, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, cip));
      await same(be, `avg backward cip=${cip}`, [randomArray(x.length, 4), dy],
        (b, p) => b.kernels.avg_pool2d_backward_f32(p[0]!, p[1]!, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, cip));
    }
  });
});
