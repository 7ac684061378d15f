// Batch-norm kernels (per-channel statistics, normalisation, backward in training and eval mode,
// with and without weight / wanted gradients) on every backend against the JS reference, at
// plane sizes hw from SIZES (SIMD bodies and tails; hw = 1 is BatchNorm1d's [N, C]); on the
// kernel threads (3, every splittable call split) each call must give one thread's bits.
import { describe, it } from 'vitest';
import { BACKENDS, SIZES, THREADED, backend, expectClose, randomArray, threadedBackendOf } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { expectSameBits, runKernel, type Buf } from './harness.js';

async function same(be: string, label: string, bufs: Buf[], call: (b: Backend, p: number[]) => void): Promise<Buf[]> {
  const ref = await backend('js'), b = await backend(be as 'js');
  const want = runKernel(ref, bufs, (p) => call(ref, p));
  const got = runKernel(b, bufs, (p) => call(b, p));
  want.forEach((w, i) => expectClose(got[i]!, w, { rtol: 2e-5, atol: 2e-5 }, `${be} ${label} buffer ${i}`));
  if ((THREADED as string[]).includes(be)) { // on 3 threads, every splittable call split: one thread's bits
    const t = await threadedBackendOf(be as 'simd');
    expectSameBits(runKernel(t, bufs, (p) => call(t, p)), got, `${be} × 3 threads ${label}`);
  }
  return want;
}

describe.each(BACKENDS.filter((b) => b !== 'js'))('batch-norm kernels on %s', (be) => {
  it('statistics, normalisation and backward', async () => {
    for (const hw of SIZES.filter((s) => s > 0)) for (const [n, c] of [[1, 1], [3, 2], [2, 5]] as const) {
      const size = n * c * hw, label = `n=${n} c=${c} hw=${hw}`;
      const x = randomArray(size, hw + c, -2, 3), dy = randomArray(size, hw + 7);
      const [mean, variance] = await same(be, `stats ${label}`, [new Float32Array(c), new Float32Array(c), x],
        (b, p) => b.kernels.batch_norm_stats_f32(p[0]!, p[1]!, p[2]!, n, c, hw));
      const invstd = variance!.map((v) => 1 / Math.sqrt(v + 1e-5)), weight = randomArray(c, 3, 0.5, 1.5), bias = randomArray(c, 4);
      for (const affine of [true, false]) {
        await same(be, `forward ${label} affine=${affine}`, [new Float32Array(size), x, mean!, invstd, weight, bias],
          (b, p) => b.kernels.batch_norm_f32(p[0]!, p[1]!, p[2]!, p[3]!, affine ? p[4]! : 0, affine ? p[5]! : 0, n, c, hw));
        for (const training of [1, 0]) {
          await same(be, `backward ${label} affine=${affine} training=${training}`,
            [randomArray(size, 5), randomArray(c, 6), randomArray(c, 7), x, dy, mean!, invstd, weight],
            (b, p) => b.kernels.batch_norm_backward_f32(p[0]!, affine ? p[1]! : 0, affine ? p[2]! : 0, p[3]!, p[4]!, p[5]!, p[6]!,
              affine ? p[7]! : 0, n, c, hw, training));
        }
      }
    }
  });
});
