// GEMM on the pool: C cut into blocks of whole micro-tiles (partition.ts: gemmSplit), in one of two
// plans (gemm-sharing.ts decides which, per shape):
//   independent blocks  one job; each block a gemm_f32 call of its own on its own slice of the
//                       workspace — it packs the A rows and B columns it needs, so no block waits
//                       for another (gemm_workspace_f32 reports one workspace per block);
//   shared operands     two jobs, no barrier inside a kernel: gemm_pack_f32 packs op(A) and op(B)
//                       for every K block into the workspace, each tile and panel by one share
//                       (or by the calling thread alone when that job is small), then
//                       gemm_packed_f32 computes each block from the shared panels (the workspace
//                       holds the packed operands and one edge temporary per block).
// Either way each element of C is computed by one block exactly as by one call (the same K blocks
// in the same order through the same micro-kernel), whatever the thread count. The calling thread
// alone (a small product, or a pool that fell back) calls gemm_f32 once over the same workspace,
// which is never smaller than one call needs.
import type { Kernels } from '../backend/backend.js';
import type { KernelPool } from './kernel-pool.js';
import { blockRows, gemmSplit, type GemmSplit } from './partition.js';
import { COST } from './cost.js';
import { gemmShares, packPlan, packRange, type GemmSharing, type PackPlan, type SharedGemmKernels } from './gemm-sharing.js';

type Gemm = Pick<Kernels, 'gemm_f32' | 'gemm_workspace_f32'>;

/** Bytes added to a shared plan's workspace to start it on a 64-byte line (blocks' temporaries
 * and the shares' packed ranges then never share a line through the misalignment). */
const ALIGN = 64;

export function parallelGemm(ex: Kernels, pool: KernelPool, id: (name: string) => number, minShare: number,
  sharing: GemmSharing = 'auto'): Gemm {
  const sh = ex as unknown as Partial<SharedGemmKernels>;
  const canShare = typeof sh.gemm_pack_f32 === 'function' && typeof sh.gemm_packed_f32 === 'function' &&
    typeof sh.gemm_shared_workspace_f32 === 'function' && id('gemm_pack_f32') >= 0 && id('gemm_packed_f32') >= 0;
  const shared = sh as SharedGemmKernels;
  const gemm = id('gemm_f32'), pack = id('gemm_pack_f32'), packed = id('gemm_packed_f32');
  // the configured thread count, not the live one: the workspace sized before a fallback still fits
  const split = (m: number, n: number, kk: number, tA: number, tB: number): GemmSplit =>
    gemmSplit(m, n, kk, tA, tB, pool.threads, COST.gemmFlop, minShare);
  /** The pack job when the split s shares packed operands, else undefined. */
  const sharedPlan = (s: GemmSplit, m: number, n: number, kk: number, tA: number, tB: number): PackPlan | undefined => {
    const p = packPlan(m, n, kk, pool.threads, minShare === 0);
    return gemmShares(s, m, n, kk, tA, tB, p, sharing, canShare) ? p : undefined;
  };
  /** Bytes of one block's workspace (64-byte steps: blocks never share a cache line). */
  const blockWs = (s: GemmSplit, m: number, n: number, kk: number, tA: number, tB: number) =>
    Math.ceil(ex.gemm_workspace_f32(Math.max(s.rowStep, blockRows(s, m, s.rows - 1)), Math.min(s.colStep, n), kk, tA, tB) / 64) * 64;

  /** The shared plan: the pack job (or the calling thread packing alone), then the blocks. */
  const sharedGemm = (s: GemmSplit, p: PackPlan, c: number, a: number, b: number, bias: number, ws: number, m: number,
    n: number, kk: number, lda: number, ldb: number, ldc: number, tA: number, tB: number, acc: number, act: number) => {
    const base = Math.ceil(ws / ALIGN) * ALIGN, packShares = p.shares;
    if (packShares < 2) {
      shared.gemm_pack_f32(base, a, b, bias, m, n, kk, lda, ldb, tA, tB, 0, p.tiles, 0, p.panels);
    } else {
      for (let q = 0; q < packShares; q++) {
        const [t0, t1] = packRange(p.tiles, q, packShares), [q0, q1] = packRange(p.panels, q, packShares);
        pool.share(q, base, a, b, bias, m, n, kk, lda, ldb, tA, tB, t0, t1, q0, q1);
      }
      pool.run(pack, packShares);
    }
    for (let r = 0, q = 0; r < s.rows; r++) {
      for (let col = 0; col < s.cols; col++, q++) {
        const i0 = r * s.rowStep, j0 = col * s.colStep;
        pool.share(q, c, base, m, n, kk, ldc, bias, acc, act, i0, blockRows(s, m, r), j0, Math.min(s.colStep, n - j0), q);
      }
    }
    pool.run(packed, s.rows * s.cols);
  };

  return {
    gemm_workspace_f32(m, n, kk, tA, tB) {
      const s = split(m, n, kk, tA, tB), blocks = s.rows * s.cols, one = ex.gemm_workspace_f32(m, n, kk, tA, tB);
      if (blocks < 2) return one;
      if (sharedPlan(s, m, n, kk, tA, tB)) return Math.max(one, ALIGN + shared.gemm_shared_workspace_f32(m, n, kk, blocks));
      return blocks * blockWs(s, m, n, kk, tA, tB);
    },
    gemm_f32(c, a, b, bias, ws, m, n, kk, lda, ldb, ldc, tA, tB, acc, act) {
      const s = split(m, n, kk, tA, tB), blocks = s.rows * s.cols;
      if (blocks < 2 || pool.active < 2) {
        ex.gemm_f32(c, a, b, bias, ws, m, n, kk, lda, ldb, ldc, tA, tB, acc, act);
        return;
      }
      const p = sharedPlan(s, m, n, kk, tA, tB);
      if (p) {
        sharedGemm(s, p, c, a, b, bias, ws, m, n, kk, lda, ldb, ldc, tA, tB, acc, act);
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
      pool.run(gemm, blocks);
    },
  };
}
