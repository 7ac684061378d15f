// GEMM: C[m×n] = act(op(A)·op(B) + bias + (C if accumulate)), contract in src/backend/backend.ts.
//
// Goto/BLIS blocking with XNNPACK's 4×8 micro-kernel. Per block of K (KC) and N (NC), op(B) is
// packed into 8-wide panels [8 bias | kc×8 weights]; per block of M (MC), op(A) into 4-row tiles
// [kc×4]; both zero-padded. Packing absorbs every transpose (NN, NT, TN, TT share one kernel)
// and every edge (padded rows/columns are computed and dropped; partial tiles go through a 4×8
// temporary in ws), so the kernel (A splats, two B vectors per k, 8 accumulators) has no tails.
// The first K block adds bias (and the old C when accumulating), later ones accumulate into C,
// the last applies ReLU (pmax: NaN propagates). One to three rows (a single sample) skip packing
// and stream op(B) per row. Scalar build: same packing, the tile in scalar 2×4 quarters. The
// micro-kernel and the blocked driver live in gemm-tile.ts (conv.ts drives them too).
import { madd, hsum } from './simd';
import { MR, TILE_BYTES, aTileBytes, kcpOf, mcpOf, ncpOf, panelBytes } from './gemm-pack';
import { ADD_BIAS, LOAD_C, RELU, packedGemm, relu } from './gemm-tile';
import { B_MATRIX } from './im2col';


export function gemm_workspace_f32(m: i32, n: i32, k: i32, transA: i32, transB: i32): i32 {
  if (m <= 0 || n <= 0) return 0;
  const kcp = kcpOf(k);
  return TILE_BYTES + <i32>(<usize>(mcpOf(m) / MR) * aTileBytes(kcp) + <usize>(ncpOf(n) >> 3) * panelBytes(kcp));
}

// ---- driver ---------------------------------------------------------------------------------

export function gemm_f32(
  c: usize, a: usize, b: usize, bias: usize, ws: usize, m: i32, n: i32, k: i32,
  lda: i32, ldb: i32, ldc: i32, transA: i32, transB: i32, accumulate: i32, act: i32,
): void {
  if (m <= 0 || n <= 0) return;
  if (k < 0) k = 0;
  let j0 = 0; // columns [0, j0) done by a row kernel
  if (ASC_FEATURE_SIMD) {
    if (m < MR && (!transB || !transA)) {
      // one to three rows (a single sample, a tiny batch): packing B would cost more than the
      // product; stream it once per row instead
      const mode = (accumulate ? LOAD_C : 0) | (bias != 0 ? ADD_BIAS : 0) | (act == 1 ? RELU : 0);
      const aRow: usize = transA ? 4 : <usize>lda << 2;
      for (let i = 0; i < m; i++) {
        const ai = a + <usize>i * aRow, ci = c + <usize>i * (<usize>ldc << 2);
        j0 = transB ? rowDotNT(ci, ai, b, bias, n, k, ldb, mode)
          : rowNN(ci, ai, transA ? <usize>lda << 2 : 4, b, bias, n, k, ldb, mode);
      }
      if (j0 == n) return;
      c += <usize>j0 << 2;
      b += transB ? (<usize>j0 * <usize>ldb) << 2 : <usize>j0 << 2;
      if (bias) bias += <usize>j0 << 2;
      n -= j0;
    }
  }
  packedGemm(c, a, b, bias, ws, m, n, k, lda, ldb, ldc, transA, transB, accumulate, act, B_MATRIX);
}

/** C row (1×n) of op(A)·op(B), op(B) = B not transposed: 24 columns at a time in 6 accumulators
 * (7 loads per 6 madds; few enough registers that V8 ≤ 12 does not spill). A steps aK bytes per
 * k. Returns the columns done (n rounded down to 24). */
function rowNN(c: usize, a: usize, aK: usize, b: usize, bias: usize, n: i32, k: i32, ldb: i32, mode: i32): i32 {
  const bK = <usize>ldb << 2;
  let j = 0;
  for (; j + 24 <= n; j += 24) {
    const z = f32x4.splat(0);
    let c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
    const bj = bias + (<usize>j << 2), cj = c + (<usize>j << 2);
    if (mode & ADD_BIAS) {
      c0 = v128.load(bj, 0); c1 = v128.load(bj, 16); c2 = v128.load(bj, 32);
      c3 = v128.load(bj, 48); c4 = v128.load(bj, 64); c5 = v128.load(bj, 80);
    }
    if (mode & LOAD_C) {
      c0 = f32x4.add(c0, v128.load(cj, 0)); c1 = f32x4.add(c1, v128.load(cj, 16));
      c2 = f32x4.add(c2, v128.load(cj, 32)); c3 = f32x4.add(c3, v128.load(cj, 48));
      c4 = f32x4.add(c4, v128.load(cj, 64)); c5 = f32x4.add(c5, v128.load(cj, 80));
    }
    let ap = a, bp = b + (<usize>j << 2);
    for (let p = k; p > 0; p--) {
      const s = v128.load32_splat(ap);
      c0 = madd(s, v128.load(bp, 0), c0); c1 = madd(s, v128.load(bp, 16), c1);
      c2 = madd(s, v128.load(bp, 32), c2); c3 = madd(s, v128.load(bp, 48), c3);
      c4 = madd(s, v128.load(bp, 64), c4); c5 = madd(s, v128.load(bp, 80), c5);
      ap += aK; bp += bK;
    }
    if (mode & RELU) {
      c0 = f32x4.pmax(c0, z); c1 = f32x4.pmax(c1, z); c2 = f32x4.pmax(c2, z);
      c3 = f32x4.pmax(c3, z); c4 = f32x4.pmax(c4, z); c5 = f32x4.pmax(c5, z);
    }
    v128.store(cj, c0, 0); v128.store(cj, c1, 16); v128.store(cj, c2, 32);
    v128.store(cj, c3, 48); v128.store(cj, c4, 64); v128.store(cj, c5, 80);
  }
  return j;
}

/** C row (1×n) of A·Bᵀ with the A row contiguous: six dot products at a time, four k per step
 * (7 loads per 6 madds), k tail in scalar. Returns the columns done (n rounded down to 6). */
function rowDotNT(c: usize, a: usize, b: usize, bias: usize, n: i32, k: i32, ldb: i32, mode: i32): i32 {
  const ld = <usize>ldb << 2;
  const k4 = k & ~3;
  let j = 0;
  for (; j + 6 <= n; j += 6) {
    const z = f32x4.splat(0);
    let d0 = z, d1 = z, d2 = z, d3 = z, d4 = z, d5 = z;
    const b0 = b + <usize>j * ld;
    let ap = a, bp = b0;
    for (let p = 0; p < k4; p += 4) {
      const x = v128.load(ap);
      d0 = madd(x, v128.load(bp), d0); d1 = madd(x, v128.load(bp + ld), d1);
      d2 = madd(x, v128.load(bp + 2 * ld), d2); d3 = madd(x, v128.load(bp + 3 * ld), d3);
      d4 = madd(x, v128.load(bp + 4 * ld), d4); d5 = madd(x, v128.load(bp + 5 * ld), d5);
      ap += 16; bp += 16;
    }
    for (let q = 0; q < 6; q++) {
      const d = q == 0 ? d0 : q == 1 ? d1 : q == 2 ? d2 : q == 3 ? d3 : q == 4 ? d4 : d5;
      let s = hsum(d);
      const bq = b0 + <usize>q * ld;
      for (let p = k4; p < k; p++) s += load<f32>(a + (<usize>p << 2)) * load<f32>(bq + (<usize>p << 2));
      const cq = c + (<usize>(j + q) << 2);
      if (mode & ADD_BIAS) s += load<f32>(bias + (<usize>(j + q) << 2));
      if (mode & LOAD_C) s += load<f32>(cq);
      store<f32>(cq, mode & RELU ? relu(s) : s);
    }
  }
  return j;
}
