// GEMM: C[m×n] = act(op(A)·op(B) + bias + (C if accumulate)), contract in src/backend/backend.ts.
//
// Goto/BLIS blocking with XNNPACK's 4×8 micro-kernel. Per block of K (KC) and N (NC), op(B) is
// packed into 8-wide panels [8 bias | kc×8 weights]; per block of M (MC), op(A) into 4-row tiles
// [kc×4]; both zero-padded. Packing absorbs every transpose (NN, NT, TN, TT share one kernel)
// and every edge (padded rows/columns are computed and dropped; partial tiles go through a 4×8
// temporary in ws), so the kernel (A splats, two B vectors per k, 8 accumulators) has no tails.
// The first K block adds bias (and the old C when accumulating), later ones accumulate into C,
// the last applies ReLU (pmax: NaN propagates). One to three rows (a single sample) skip packing
// and stream op(B) per row. Scalar build: same packing, the tile in scalar 2×4 quarters.
import { madd, hsum } from './simd';
import { A_ROW, KC, MC, MR, NC, PRESPLAT, TILE_BYTES, aTileBytes, imin, kcpOf, mcpOf, ncpOf, packA, packB, panelBytes, putA, roundUp } from './gemm-pack';


export function gemm_workspace_f32(m: i32, n: i32, k: i32, transA: i32, transB: i32): i32 {
  if (m <= 0 || n <= 0) return 0;
  const kcp = kcpOf(k);
  return TILE_BYTES + <i32>(<usize>(mcpOf(m) / MR) * aTileBytes(kcp) + <usize>(ncpOf(n) >> 3) * panelBytes(kcp));
}

// ---- micro-kernels --------------------------------------------------------------------------

const LOAD_C: i32 = 1;
const ADD_BIAS: i32 = 2;
const RELU: i32 = 4;

/** C[4×8] (row stride ldc bytes) = epilogue(Σ_p ap[p][r]·bp[p][c]); bp points at a panel head. */
function tile(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, mode: i32): void {
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.splat(0);
    let c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
    if (mode & ADD_BIAS) {
      c0a = v128.load(bp, 0); c0b = v128.load(bp, 16);
      c1a = c0a; c1b = c0b; c2a = c0a; c2b = c0b; c3a = c0a; c3b = c0b;
    }
    const c1 = c + ldc, c2 = c1 + ldc, c3 = c2 + ldc;
    if (mode & LOAD_C) {
      c0a = f32x4.add(c0a, v128.load(c, 0)); c0b = f32x4.add(c0b, v128.load(c, 16));
      c1a = f32x4.add(c1a, v128.load(c1, 0)); c1b = f32x4.add(c1b, v128.load(c1, 16));
      c2a = f32x4.add(c2a, v128.load(c2, 0)); c2b = f32x4.add(c2b, v128.load(c2, 16));
      c3a = f32x4.add(c3a, v128.load(c3, 0)); c3b = f32x4.add(c3b, v128.load(c3, 16));
    }
    bp += 32;
    for (let p = kc; p > 0; p--) { // one k per iteration (see MR)
      const ba = v128.load(bp, 0), bb = v128.load(bp, 16);
      let av = PRESPLAT ? v128.load(ap, 0) : v128.load32_splat(ap, 0);
      c0a = madd(av, ba, c0a); c0b = madd(av, bb, c0b);
      av = PRESPLAT ? v128.load(ap, 16) : v128.load32_splat(ap, 4);
      c1a = madd(av, ba, c1a); c1b = madd(av, bb, c1b);
      av = PRESPLAT ? v128.load(ap, 32) : v128.load32_splat(ap, 8);
      c2a = madd(av, ba, c2a); c2b = madd(av, bb, c2b);
      av = PRESPLAT ? v128.load(ap, 48) : v128.load32_splat(ap, 12);
      c3a = madd(av, ba, c3a); c3b = madd(av, bb, c3b);
      ap += A_ROW; bp += 32;
    }
    if (mode & RELU) {
      c0a = f32x4.pmax(c0a, z); c0b = f32x4.pmax(c0b, z); c1a = f32x4.pmax(c1a, z); c1b = f32x4.pmax(c1b, z);
      c2a = f32x4.pmax(c2a, z); c2b = f32x4.pmax(c2b, z); c3a = f32x4.pmax(c3a, z); c3b = f32x4.pmax(c3b, z);
    }
    v128.store(c, c0a, 0); v128.store(c, c0b, 16);
    v128.store(c1, c1a, 0); v128.store(c1, c1b, 16);
    v128.store(c2, c2a, 0); v128.store(c2, c2b, 16);
    v128.store(c3, c3a, 0); v128.store(c3, c3b, 16);
  } else {
    for (let q: usize = 0; q < 4; q++) {
      const r = (q >> 1) << 1, off = (q & 1) << 4; // rows r, r + 1; columns off/4 .. off/4 + 3
      quarterScalar(c + r * ldc + off, ldc, ap + (r << 2), bp + off, kc, mode);
    }
  }
}

/** Scalar build: a 2×4 quarter of the tile (8 accumulators; 16 would spill). */
function quarterScalar(c: usize, ldc: usize, ap: usize, bp: usize, kc: i32, mode: i32): void {
  let x0: f32 = 0, x1: f32 = 0, x2: f32 = 0, x3: f32 = 0, y0: f32 = 0, y1: f32 = 0, y2: f32 = 0, y3: f32 = 0;
  if (mode & ADD_BIAS) {
    x0 = y0 = load<f32>(bp, 0); x1 = y1 = load<f32>(bp, 4);
    x2 = y2 = load<f32>(bp, 8); x3 = y3 = load<f32>(bp, 12);
  }
  const d = c + ldc;
  if (mode & LOAD_C) {
    x0 += load<f32>(c, 0); x1 += load<f32>(c, 4); x2 += load<f32>(c, 8); x3 += load<f32>(c, 12);
    y0 += load<f32>(d, 0); y1 += load<f32>(d, 4); y2 += load<f32>(d, 8); y3 += load<f32>(d, 12);
  }
  bp += 32;
  for (let p = kc; p > 0; p--) {
    const b0 = load<f32>(bp, 0), b1 = load<f32>(bp, 4), b2 = load<f32>(bp, 8), b3 = load<f32>(bp, 12);
    const u = load<f32>(ap, 0), v = load<f32>(ap, 4);
    x0 += u * b0; x1 += u * b1; x2 += u * b2; x3 += u * b3;
    y0 += v * b0; y1 += v * b1; y2 += v * b2; y3 += v * b3;
    ap += 16; bp += 32;
  }
  if (mode & RELU) {
    x0 = relu(x0); x1 = relu(x1); x2 = relu(x2); x3 = relu(x3);
    y0 = relu(y0); y1 = relu(y1); y2 = relu(y2); y3 = relu(y3);
  }
  store<f32>(c, x0, 0); store<f32>(c, x1, 4); store<f32>(c, x2, 8); store<f32>(c, x3, 12);
  store<f32>(d, y0, 0); store<f32>(d, y1, 4); store<f32>(d, y2, 8); store<f32>(d, y3, 12);
}

/** x < 0 ? 0 : x — NaN passes through (same as f32x4.pmax(x, 0)). */
@inline function relu(x: f32): f32 { return x < 0 ? 0 : x; }

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
  packedGemm(c, a, b, bias, ws, m, n, k, lda, ldb, ldc, transA, transB, accumulate, act);
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

function packedGemm(
  c: usize, a: usize, b: usize, bias: usize, ws: usize, m: i32, n: i32, k: i32,
  lda: i32, ldb: i32, ldc: i32, transA: i32, transB: i32, accumulate: i32, act: i32,
): void {
  const kcp = kcpOf(k);
  const tmp = ws;
  const wa = ws + TILE_BYTES;
  const wb = wa + <usize>(mcpOf(m) / MR) * aTileBytes(kcp);
  const ldcb = <usize>ldc << 2;
  let pc = 0;
  do { // at least once, so k = 0 still writes act(bias + C)
    const kc = imin(KC, k - pc);
    let mode = pc == 0 ? (accumulate ? LOAD_C : 0) | (bias != 0 ? ADD_BIAS : 0) : LOAD_C;
    if (pc + kc >= k && act == 1) mode |= RELU;
    const panel = panelBytes(kc);
    const aTile = aTileBytes(kc);
    for (let jc = 0; jc < n; jc += NC) {
      const nc = imin(NC, n - jc);
      packB(wb, b, ldb, transB, pc == 0 && bias != 0 ? bias + (<usize>jc << 2) : 0, jc, nc, pc, kc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = imin(MC, m - ic);
        packA(wa, a, lda, transA, ic, mc, pc, kc);
        for (let jr = 0; jr < nc; jr += 8) {
          const bp = wb + <usize>(jr >> 3) * panel;
          const cols = imin(8, nc - jr);
          let cp = c + (<usize>(ic * ldc + jc + jr) << 2);
          let ap = wa;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = imin(MR, mc - ir);
            if (rows == MR && cols == 8) {
              tile(cp, ldcb, ap, bp, kc, mode);
            } else {
              edgeTile(cp, ldcb, tmp, rows, cols, ap, bp, kc, mode);
            }
            ap += aTile;
            cp += ldcb * <usize>MR;
          }
        }
      }
    }
    pc += KC;
  } while (pc < k);
}

/** A partial tile (rows ≤ MR, cols ≤ 8) through the MR×8 temporary. */
function edgeTile(cp: usize, ldcb: usize, tmp: usize, rows: i32, cols: i32, ap: usize, bp: usize, kc: i32, mode: i32): void {
  for (let r = 0; r < MR; r++) {
    for (let j = 0; j < 8; j++) {
      const inside = (mode & LOAD_C) != 0 && r < rows && j < cols;
      store<f32>(tmp + (<usize>(r * 8 + j) << 2), inside ? load<f32>(cp + <usize>r * ldcb + (<usize>j << 2)) : <f32>0);
    }
  }
  tile(tmp, 32, ap, bp, kc, mode);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) store<f32>(cp + <usize>r * ldcb + (<usize>j << 2), load<f32>(tmp + (<usize>(r * 8 + j) << 2)));
  }
}
