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

/** Rows per micro-tile. 4×8 (8 accumulators, 6 loads per k) fits x64's 15 allocatable xmm
 * registers even when V8 ≤ 12 hoists every load of the loop body above its arithmetic. Measured:
 * 6×8 with FMA is +8% on V8 13 (Node 24) but spills and halves the speed on V8 11–12 (Node
 * 20/22); 5×8 with mul+add spills; unrolling k spills (same hoisting). */
const MR: i32 = 4;
/** simd build: packed A holds every value pre-splatted to a v128, read with v128.load: V8 ≤ 11
 * (Node 20) lowers v128.load32_splat with an offset to lea + vbroadcastss, and this front-end
 * saving is worth +12% there; on V8 12–13 and with FMA it is 2–7% slower, so the relaxed build
 * keeps XNNPACK's loadsplat. */
const PRESPLAT: bool = ASC_FEATURE_SIMD && !ASC_FEATURE_RELAXED_SIMD;
/** Bytes of one k of a packed A tile. */
const A_ROW: usize = PRESPLAT ? <usize>MR << 4 : <usize>MR << 2;
// Blocking (elements). KC·8·4 B = 8 KiB micro-panel of B in L1; MC·KC·4 B = 128 KiB of A in L2
// (256 KiB pre-splatted).
const KC: i32 = 256;
const MC: i32 = PRESPLAT ? MR * 16 : MR * 32;
const NC: i32 = 1024;
/** Bytes reserved for the MR×8 edge temporary. */
const TILE_BYTES: i32 = 256;

@inline function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }
@inline function imin(a: i32, b: i32): i32 { return a < b ? a : b; }

// Workspace layout: [edge tile][packed A: MCP/MR tiles][packed B: NCP/8 panels].
@inline function kcpOf(k: i32): i32 { return imin(k, KC); }
@inline function mcpOf(m: i32): i32 { return imin(roundUp(m, MR), MC); }
@inline function ncpOf(n: i32): i32 { return imin(roundUp(n, 8), NC); }
/** Bytes per packed MR-row tile of A: kc·A_ROW, plus 64 so that tiles 4 KiB apart do not
 * compete for the same L1 sets while TN packing writes them all. */
@inline function aTileBytes(kc: i32): usize { return <usize>kc * A_ROW + 64; }
/** Bytes per packed 8-column panel of B: 8 bias values, then kc·8 weights. */
@inline function panelBytes(kc: i32): usize { return <usize>(kc + 1) << 5; }

export function gemm_workspace_f32(m: i32, n: i32, k: i32, transA: i32, transB: i32): i32 {
  if (m <= 0 || n <= 0) return 0;
  const kcp = kcpOf(k);
  return TILE_BYTES + <i32>(<usize>(mcpOf(m) / MR) * aTileBytes(kcp) + <usize>(ncpOf(n) >> 3) * panelBytes(kcp));
}

// ---- packing --------------------------------------------------------------------------------
// Sources are always read along their contiguous direction (no strided column walks).

/** Tile t of dst holds op(A)[i0 + MR·t + r][p0 + p] at [p][r] (splatted to 16 bytes when
 * PRESPLAT); rows past mc are zero. */
function packA(dst: usize, a: usize, lda: i32, transA: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
  const tileB = aTileBytes(kc);
  if (transA) {
    // row p0 + p of a holds op(A)[i0 .. i0 + mc][p]: stream it into every tile
    for (let p = 0; p < kc; p++) {
      let src = a + ((<usize>(p0 + p) * <usize>lda + <usize>i0) << 2);
      let d = dst + <usize>p * A_ROW;
      for (let t = 0; t < mc; t += MR) {
        if (ASC_FEATURE_SIMD && !PRESPLAT && t + MR <= mc) v128.store(d, v128.load(src));
        else putA(d, src, 4, mc - t);
        src += <usize>MR << 2; d += tileB;
      }
    }
    return;
  }
  // rows of a are rows of op(A): read MR rows at a time along k
  const ld = <usize>lda << 2;
  for (let t = 0; t < mc; t += MR) {
    const rows = imin(MR, mc - t);
    let src = a + ((<usize>(i0 + t) * <usize>lda + <usize>p0) << 2);
    let d = dst + <usize>(t / MR) * tileB;
    let p = 0;
    if (ASC_FEATURE_SIMD && !PRESPLAT) {
      if (rows == MR) {
        // 4×4 transposes
        for (; p + 4 <= kc; p += 4) {
          const r0 = v128.load(src), r1 = v128.load(src + ld);
          const r2 = v128.load(src + 2 * ld), r3 = v128.load(src + 3 * ld);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5), 0);
          v128.store(d, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
          v128.store(d, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
          v128.store(d, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
          src += 16; d += 64;
        }
      }
    }
    for (; p < kc; p++) { putA(d, src, ld, rows); src += 4; d += A_ROW; }
  }
}

/** One k of a packed A tile: the values at src + r·step for r < rows, zeros after. */
@inline function putA(d: usize, src: usize, step: usize, rows: i32): void {
  if (PRESPLAT && rows >= MR) {
    v128.store(d, v128.load32_splat(src), 0); v128.store(d, v128.load32_splat(src + step), 16);
    v128.store(d, v128.load32_splat(src + 2 * step), 32); v128.store(d, v128.load32_splat(src + 3 * step), 48);
    return;
  }
  for (let r = 0; r < MR; r++) {
    if (PRESPLAT) {
      v128.store(d + (<usize>r << 4), r < rows ? v128.load32_splat(src + <usize>r * step) : f32x4.splat(0));
    } else {
      store<f32>(d + (<usize>r << 2), r < rows ? load<f32>(src + <usize>r * step) : <f32>0);
    }
  }
}

/** Panel q of dst holds [bias(8) | op(B)[p0 + p][j0 + 8q + c] at [p][c]]; columns past nc are
 * zero; bias is 0 (none) or a pointer to the nc values starting at column j0. */
function packB(dst: usize, b: usize, ldb: i32, transB: i32, bias: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  const pan = panelBytes(kc);
  for (let q = 0; q < nc; q += 8) {
    const d = dst + <usize>(q >> 3) * pan;
    for (let c = 0; c < 8; c++) {
      store<f32>(d + (<usize>c << 2), bias != 0 && q + c < nc ? load<f32>(bias + (<usize>(q + c) << 2)) : <f32>0);
    }
  }
  if (!transB) {
    // row p0 + p of b holds op(B)[p][j0 .. j0 + nc]: stream it into every panel
    const full = nc >> 3;
    for (let p = 0; p < kc; p++) {
      let src = b + ((<usize>(p0 + p) * <usize>ldb + <usize>j0) << 2);
      let d = dst + (<usize>(p + 1) << 5);
      let q = 0;
      if (ASC_FEATURE_SIMD) {
        for (; q < full; q++) {
          v128.store(d, v128.load(src), 0); v128.store(d, v128.load(src, 16), 16);
          src += 32; d += pan;
        }
      }
      for (; q * 8 < nc; q++) { // scalar build, and the partial last panel
        const cnt = nc - q * 8;
        for (let c = 0; c < 8; c++) store<f32>(d + (<usize>c << 2), c < cnt ? load<f32>(src + (<usize>c << 2)) : <f32>0);
        src += 32; d += pan;
      }
    }
    return;
  }
  // rows of b are columns of op(B): read 8 rows at a time along k
  const ld = <usize>ldb << 2;
  for (let q = 0; q < nc; q += 8) {
    const cols = imin(8, nc - q);
    let src = b + ((<usize>(j0 + q) * <usize>ldb + <usize>p0) << 2);
    let d = dst + <usize>(q >> 3) * pan + 32;
    let p = 0;
    if (ASC_FEATURE_SIMD) {
      if (cols == 8) {
        // two 4×4 transposes per four k
        for (; p + 4 <= kc; p += 4) {
          for (let h = 0; h < 2; h++) {
            const s = src + <usize>(h * 4) * ld;
            const r0 = v128.load(s), r1 = v128.load(s + ld);
            const r2 = v128.load(s + 2 * ld), r3 = v128.load(s + 3 * ld);
            const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
            const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
            const dh = d + (<usize>h << 4);
            v128.store(dh, i32x4.shuffle(t0, t1, 0, 1, 4, 5), 0);
            v128.store(dh, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 32);
            v128.store(dh, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 64);
            v128.store(dh, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 96);
          }
          src += 16; d += 128;
        }
      }
    }
    for (; p < kc; p++) {
      for (let c = 0; c < 8; c++) {
        store<f32>(d + (<usize>c << 2), c < cols ? load<f32>(src + <usize>c * ld) : <f32>0);
      }
      src += 4; d += 32;
    }
  }
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
