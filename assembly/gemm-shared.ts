// GEMM over operands packed once and shared by every block of C: the kernel threads' two-job GEMM
// (src/threads/parallel-gemm.ts). Internal entry points: the pool calls them by export name; they
// are not in the Kernels interface (their workspace layout is build-specific — see the header of
// src/threads/gemm-sharing.ts).
//
// Contract, for C[m×n] = act(op(A)[m×k]·op(B)[k×n] + bias + (C if accumulate)) as in gemm_f32:
//   gemm_shared_workspace_f32(m, n, k, blocks)  bytes of ws: op(A) packed into ⌈m/4⌉ tiles and op(B)
//       into ⌈n/8⌉ panels for every K block (the layout of gemm-pack.ts, K block after K block),
//       then `blocks` MR×8 edge temporaries. A float64: large products pass 2 GiB.
//   gemm_pack_f32(ws, a, b, bias, m, n, k, lda, ldb, transA, transB, t0, t1, q0, q1)  packs A
//       tiles [t0, t1) and B panels [q0, q1) (bias in the panels' heads) of every K block. Shares
//       with disjoint ranges may run at once; together they must cover every tile and panel.
//   gemm_packed_f32(c, ws, m, n, k, ldc, bias, accumulate, act, i0, rows, j0, cols, q)  writes
//       C rows [i0, i0 + rows) × columns [j0, j0 + cols) from the packed operands (i0 a multiple
//       of 4, j0 of 8; bias only says whether the panels hold one), with edge temporary q.
// Each element of C meets the same K blocks in the same order, the same micro-kernel and the same
// epilogue as in gemm_f32's packed path, so a block writes exactly gemm_f32's bits — for m ≥ 4, or
// transA and transB both set (fewer rows otherwise take gemm_f32's row kernels).
// Only the shared-memory builds (-threads) have them: elsewhere they trap (no pool runs there), so
// the single-thread builds an application ships stay as small as before.
import { KC, MC, MR, NC, TILE_BYTES, aTileBytes, imin, packA, packB, panelBytes } from './gemm-pack';
import { ADD_BIAS, LOAD_C, RELU, packedBlock } from './gemm-tile';

/** K blocks of a product over k (one of depth 0 when k = 0: it still writes act(bias + C)). */
@inline function kBlocks(k: i32): i32 { return k > KC ? (k + KC - 1) / KC : 1; }
/** Depth of K block kb. */
@inline function depth(k: i32, kb: i32): i32 { return imin(KC, k - kb * KC); }
@inline function aTiles(m: i32): usize { return <usize>((m + MR - 1) / MR); }
@inline function bPanels(n: i32): usize { return <usize>((n + 7) >> 3); }
/** Bytes of packed A before K block kb, and of B before its K block kb (earlier blocks are KC deep). */
@inline function aBefore(m: i32, kb: i32): usize { return <usize>kb * aTiles(m) * aTileBytes(KC); }
@inline function bBefore(n: i32, kb: i32): usize { return <usize>kb * bPanels(n) * panelBytes(KC); }

/** Bytes of packed A over all K blocks (where packed B starts). */
function aBytes(m: i32, k: i32): usize {
  const last = kBlocks(k) - 1;
  return aBefore(m, last) + aTiles(m) * aTileBytes(depth(k, last));
}

function packedBytes(m: i32, n: i32, k: i32): usize {
  const last = kBlocks(k) - 1;
  return aBytes(m, k) + bBefore(n, last) + bPanels(n) * panelBytes(depth(k, last));
}

export function gemm_shared_workspace_f32(m: i32, n: i32, k: i32, blocks: i32): f64 {
  if (!ASC_FEATURE_THREADS) unreachable();
  if (m <= 0 || n <= 0) return 0;
  return <f64>(packedBytes(m, n, k < 0 ? 0 : k) + <usize>blocks * <usize>TILE_BYTES);
}

export function gemm_pack_f32(
  ws: usize, a: usize, b: usize, bias: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32,
  transA: i32, transB: i32, t0: i32, t1: i32, q0: i32, q1: i32,
): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  if (m <= 0 || n <= 0) return;
  if (k < 0) k = 0;
  const wb0 = ws + aBytes(m, k), tilesMC = MC / MR, panelsNC = NC >> 3;
  for (let kb = 0, nkb = kBlocks(k); kb < nkb; kb++) {
    const pc = kb * KC, kc = depth(k, kb);
    // in the chunks gemm_f32 packs (MC rows, NC columns), so the packing loops see the same strides
    const wa = ws + aBefore(m, kb), aTile = aTileBytes(kc);
    for (let t = t0; t < t1; t += tilesMC) {
      const i0 = t * MR;
      packA(wa + <usize>t * aTile, a, lda, transA, i0, imin(imin(t1 - t, tilesMC) * MR, m - i0), pc, kc);
    }
    const wb = wb0 + bBefore(n, kb), panel = panelBytes(kc);
    for (let q = q0; q < q1; q += panelsNC) {
      const j0 = q << 3;
      packB(wb + <usize>q * panel, b, ldb, transB, kb == 0 && bias != 0 ? bias + (<usize>j0 << 2) : 0,
        j0, imin(imin(q1 - q, panelsNC) << 3, n - j0), pc, kc);
    }
  }
}

export function gemm_packed_f32(
  c: usize, ws: usize, m: i32, n: i32, k: i32, ldc: i32, bias: usize, accumulate: i32, act: i32,
  i0: i32, rows: i32, j0: i32, cols: i32, q: i32,
): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  if (m <= 0 || n <= 0 || rows <= 0 || cols <= 0) return;
  if (k < 0) k = 0;
  const tmp = ws + packedBytes(m, n, k) + <usize>q * <usize>TILE_BYTES;
  const wb0 = ws + aBytes(m, k), ldcb = <usize>ldc << 2;
  for (let kb = 0, nkb = kBlocks(k); kb < nkb; kb++) {
    const kc = depth(k, kb);
    // the modes of packedGemm (gemm-tile.ts): bias and the old C first, ReLU last
    let mode = kb == 0 ? (accumulate ? LOAD_C : 0) | (bias != 0 ? ADD_BIAS : 0) : LOAD_C;
    if (kb == nkb - 1 && act == 1) mode |= RELU;
    const aTile = aTileBytes(kc), panel = panelBytes(kc);
    const wa = ws + aBefore(m, kb) + <usize>(i0 / MR) * aTile;
    const wb = wb0 + bBefore(n, kb) + <usize>(j0 >> 3) * panel;
    for (let jc = 0; jc < cols; jc += NC) {
      const nc = imin(NC, cols - jc);
      for (let ic = 0; ic < rows; ic += MC) {
        packedBlock(c + (<usize>((i0 + ic) * ldc + j0 + jc) << 2), ldcb, tmp, wa + <usize>(ic / MR) * aTile,
          wb + <usize>(jc >> 3) * panel, imin(MC, rows - ic), nc, kc, mode);
      }
    }
  }
}
