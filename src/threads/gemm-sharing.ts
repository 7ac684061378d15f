// Whether a split GEMM packs its operands once for all blocks (two jobs: pack, then compute) or
// lets every block pack its own (one job: an R × C grid packs A C times and B R times), and how the
// packing is cut. A function of the call's sizes and the pool's thread count only, like every cut.
//
// The rule compares the slowest thread's time in each plan, with the per-unit costs of cost.ts:
//   independent blocks  the largest block packs k·(its rows·packA + its columns·packB)
//   shared operands     k·(m·packA + n·packB) / P, the pack job cut into P = threads shares (one
//                       more job, jobNs(threads), against the independent blocks' one job) — or
//                       P = 1, the calling thread packing alone, when splitting saves less than a
//                       job — plus SHARED_PANELS_PENALTY of the block's micro-kernel time
// and shares when that saves more than SHARING_MARGIN of the block's micro-kernel time: a
// margin for the model's error, so that where the plans come out near even the independent blocks
// stay. Sharing then wins where the blocks' repeated packing (an R × C grid packs A C times and B
// R times) is a large part of their work: wide grids over short products (a batch-64 layer on 4 to
// 16 threads, 256³ on 8); never on 2 threads for the benchmark shapes (a 1×2 grid repacks A once,
// a few % of each block's work) nor for large squares, whose blocks are mostly arithmetic.
//
// The shared plan's kernels (assembly/gemm-shared.ts) are not in the Kernels interface and have no
// twin in the JS reference: they exist only for this plan (the pool calls them by export name),
// their workspace holds packed panels whose layout differs between builds (the simd build
// pre-splats A), and they are tested through gemm_f32 on threads, which must write the one-thread
// bits and meet the naive f64 product (tests/threads/gemm-shared.test.ts). A module without them
// (an older build given to init) keeps the independent blocks.
import type { Ptr } from '../backend/backend.js';
import type { GemmSplit } from './partition.js';
import { COST } from './cost.js';

/** The shared plan's kernel exports (contracts in assembly/gemm-shared.ts). */
export interface SharedGemmKernels {
  gemm_shared_workspace_f32(m: number, n: number, k: number, blocks: number): number;
  gemm_pack_f32(ws: Ptr, a: Ptr, b: Ptr, bias: Ptr, m: number, n: number, k: number, lda: number, ldb: number,
    transA: number, transB: number, t0: number, t1: number, q0: number, q1: number): void;
  gemm_packed_f32(c: Ptr, ws: Ptr, m: number, n: number, k: number, ldc: number, bias: Ptr, accumulate: number,
    act: number, i0: number, rows: number, j0: number, cols: number, q: number): void;
}

/** 'auto': the rule above; 'always' / 'never': one plan for every split call (tests, benchmarks). */
export type GemmSharing = 'auto' | 'always' | 'never';

/** The extra job of the shared plan on `threads` threads: publishing it and waiting for its last
 * share (ns) — 1.5 µs as bench/threads.ts measured on 2 threads, plus 0.25 µs per thread, as the
 * scaling model (bench/threads-scaling.ts) assumes. */
export function jobNs(threads: number): number {
  return 1500 + 250 * threads;
}

/** The shared plan's micro-kernels run this much slower: their panels were packed out of cache, by
 * other threads (every block's own packing leaves its panels in its core's L2). Measured on one
 * thread (CPU time, pack then compute against gemm_f32): +0% at 256³, +2–3% at 256×256×784, +3–6%
 * at 1024³. */
export const SHARED_PANELS_PENALTY = 0.04;

/** What sharing must save, as a part of the block's micro-kernel time: the spread of the penalty
 * above, so that where the plans come out near even the independent blocks stay. */
export const SHARING_MARGIN = 0.05;

const MR = 4, NR = 8;

/** How the pack job is cut: `shares` pieces (1: the calling thread packs alone), each about
 * tiles / shares A tiles and panels / shares B panels (see packRange); what a job costs (ns). */
export interface PackPlan { shares: number; tiles: number; panels: number; jobNs: number }

/** The pack job of C[m×n] over k on `threads` threads: split into `threads` shares when that saves
 * more than a job costs (always when `finest`: tests), else packed by the calling thread alone. */
export function packPlan(m: number, n: number, k: number, threads: number, finest = false): PackPlan {
  const tiles = Math.ceil(m / MR), panels = Math.ceil(n / NR), job = jobNs(threads);
  const ns = Math.max(k, 1) * (tiles * MR * COST.gemmPackA + panels * NR * COST.gemmPackB);
  const shares = finest || ns * (1 - 1 / threads) > job ? Math.min(threads, tiles + panels) : 1;
  return { shares, tiles, panels, jobNs: job };
}

/** [start, end) of share s of `units` cut into `shares` nearly equal ranges. */
export function packRange(units: number, s: number, shares: number): [number, number] {
  return [Math.floor((units * s) / shares), Math.floor((units * (s + 1)) / shares)];
}

/**
 * Whether the split `s` of C[m×n] over k should share packed operands. `canShare`: the module has
 * the shared kernels. Never for fewer than 4 rows (unless both operands are transposed): gemm_f32
 * runs those through its row kernels, whose bits the packed micro-kernel does not reproduce.
 * @example // a batch-64 layer on 16 threads: true (its 2×8 grid repacks both operands)
 * gemmShares(gemmSplit(64, 256, 784, 0, 0, 16, COST.gemmFlop, 8000), 64, 256, 784, 0, 0, packPlan(64, 256, 784, 16), 'auto', true)
 */
export function gemmShares(s: GemmSplit, m: number, n: number, k: number, transA: number, transB: number,
  pack: PackPlan, sharing: GemmSharing, canShare: boolean): boolean {
  if (!canShare || sharing === 'never' || s.rows * s.cols < 2 || (m < MR && !(transA && transB))) return false;
  if (sharing === 'always') return true;
  const kk = Math.max(k, 1);
  const rows = Math.max(s.rowStep, m - (s.rows - 1) * s.rowStep), cols = Math.min(s.colStep, n);
  const blockNs = rows * cols * kk * COST.gemmFlop;
  const ownPack = kk * (rows * COST.gemmPackA + cols * COST.gemmPackB);
  const sharedPack = (kk * (pack.tiles * MR * COST.gemmPackA + pack.panels * NR * COST.gemmPackB)) / pack.shares +
    (pack.shares > 1 ? pack.jobNs : 0) + SHARED_PANELS_PENALTY * blockNs;
  return ownPack - sharedPack > SHARING_MARGIN * blockNs;
}
