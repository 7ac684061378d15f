// GEMM on the pool: C cut into blocks of whole micro-tiles (partition.ts: gemmSplit), each block a
// gemm_f32 call of its own on its own slice of the workspace — it packs the A rows and B columns it
// needs, so no block waits for another. Each element of C is then computed by one block exactly as
// by one call (the same K blocks in the same order through the same micro-kernel), whatever the
// thread count. gemm_workspace_f32 reports one workspace per block; the calling thread alone (a
// small product, or a pool that fell back) calls the kernel once over the same workspace, which
// is never smaller than one call needs.
import type { Kernels } from '../backend/backend.js';
import type { KernelPool } from './kernel-pool.js';
import { blockRows, gemmSplit, type GemmSplit } from './partition.js';
import { COST } from './cost.js';

type Gemm = Pick<Kernels, 'gemm_f32' | 'gemm_workspace_f32'>;

export function parallelGemm(ex: Kernels, pool: KernelPool, k: number, minShare: number): Gemm {
  // the configured thread count, not the live one: the workspace sized before a fallback still fits
  const split = (m: number, n: number, kk: number, tA: number, tB: number): GemmSplit =>
    gemmSplit(m, n, kk, tA, tB, pool.threads, COST.gemmFlop, minShare);
  /** Bytes of one block's workspace (64-byte steps: blocks never share a cache line). */
  const blockWs = (s: GemmSplit, m: number, n: number, kk: number, tA: number, tB: number) =>
    Math.ceil(ex.gemm_workspace_f32(Math.max(s.rowStep, blockRows(s, m, s.rows - 1)), Math.min(s.colStep, n), kk, tA, tB) / 64) * 64;
  return {
    gemm_workspace_f32(m, n, kk, tA, tB) {
      const s = split(m, n, kk, tA, tB), blocks = s.rows * s.cols;
      return blocks < 2 ? ex.gemm_workspace_f32(m, n, kk, tA, tB) : blocks * blockWs(s, m, n, kk, tA, tB);
    },
    gemm_f32(c, a, b, bias, ws, m, n, kk, lda, ldb, ldc, tA, tB, acc, act) {
      const s = split(m, n, kk, tA, tB), blocks = s.rows * s.cols;
      if (blocks < 2 || pool.active < 2) {
        ex.gemm_f32(c, a, b, bias, ws, m, n, kk, lda, ldb, ldc, tA, tB, acc, act);
        return;
      }
      const step = blockWs(s, m, n, kk, tA, tB);
      for (let r = 0, q = 0; r < s.rows; r++) {
        for (let col = 0; col < s.cols; col++, q++) {
          const i0 = r * s.rowStep, j0 = col * s.colStep;
          pool.share(q, c + 4 * (i0 * ldc + j0), a + 4 * (tA ? i0 : i0 * lda), b + 4 * (tB ? j0 * ldb : j0),
            bias ? bias + 4 * j0 : 0, ws + q * step, blockRows(s, m, r), Math.min(s.colStep, n - j0), kk,
            lda, ldb, ldc, tA, tB, acc, act);
        }
      }
      pool.run(k, blocks);
    },
  };
}
