// GEMM packing: the layout of the packed operands (tile sizes, blocking) and the routines that
// copy op(A) into 4-row tiles and op(B) into 8-wide panels with the bias in the head. Every
// transpose and every edge is absorbed here, so the micro-kernel in gemm.ts has no tails.


/** Rows per micro-tile. 4×8 (8 accumulators, 6 loads per k) fits x64's 15 allocatable xmm
 * registers even when V8 ≤ 12 hoists every load of the loop body above its arithmetic. Measured:
 * 6×8 with FMA is +8% on V8 13 (Node 24) but spills and halves the speed on V8 11–12 (Node
 * 20/22); 5×8 with mul+add spills; unrolling k spills (same hoisting). */
export const MR: i32 = 4;
/** simd build: packed A holds every value pre-splatted to a v128, read with v128.load: V8 ≤ 11
 * (Node 20) lowers v128.load32_splat with an offset to lea + vbroadcastss, and this front-end
 * saving is worth +12% there; on V8 12–13 and with FMA it is 2–7% slower, so the relaxed build
 * keeps XNNPACK's loadsplat. */
export const PRESPLAT: bool = ASC_FEATURE_SIMD && !ASC_FEATURE_RELAXED_SIMD;
/** Bytes of one k of a packed A tile. */
export const A_ROW: usize = PRESPLAT ? <usize>MR << 4 : <usize>MR << 2;
// Blocking (elements). KC·8·4 B = 8 KiB micro-panel of B in L1; MC·KC·4 B = 128 KiB of A in L2
// (256 KiB pre-splatted).
export const KC: i32 = 256;
export const MC: i32 = PRESPLAT ? MR * 16 : MR * 32;
export const NC: i32 = 1024;
/** Bytes reserved for the MR×8 edge temporary. */
export const TILE_BYTES: i32 = 256;

@inline export function roundUp(x: i32, q: i32): i32 { return (x + q - 1) / q * q; }
@inline export function imin(a: i32, b: i32): i32 { return a < b ? a : b; }

// Workspace layout: [edge tile][packed A: MCP/MR tiles][packed B: NCP/8 panels].
@inline export function kcpOf(k: i32): i32 { return imin(k, KC); }
@inline export function mcpOf(m: i32): i32 { return imin(roundUp(m, MR), MC); }
@inline export function ncpOf(n: i32): i32 { return imin(roundUp(n, 8), NC); }
/** Bytes per packed MR-row tile of A: kc·A_ROW, plus 64 so that tiles 4 KiB apart do not
 * compete for the same L1 sets while TN packing writes them all. */
@inline export function aTileBytes(kc: i32): usize { return <usize>kc * A_ROW + 64; }
/** Bytes per packed 8-column panel of B: 8 bias values, then kc·8 weights. */
@inline export function panelBytes(kc: i32): usize { return <usize>(kc + 1) << 5; }

// ---- packing --------------------------------------------------------------------------------
// Sources are always read along their contiguous direction (no strided column walks).

/** Tile t of dst holds op(A)[i0 + MR·t + r][p0 + p] at [p][r] (splatted to 16 bytes when
 * PRESPLAT); rows past mc are zero. */
export function packA(dst: usize, a: usize, lda: i32, transA: i32, i0: i32, mc: i32, p0: i32, kc: i32): void {
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
@inline export function putA(d: usize, src: usize, step: usize, rows: i32): void {
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
export function packB(dst: usize, b: usize, ldb: i32, transB: i32, bias: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
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
      // two 4×4 transposes per four k (rows past cols read as zeros)
      const z = f32x4.splat(0), halves = cols > 4 ? 2 : 1;
      for (; p + 4 <= kc; p += 4) {
        for (let h = 0; h < halves; h++) {
          const s = src + <usize>(h * 4) * ld, c = cols - h * 4;
          const r0 = v128.load(s), r1 = c > 1 ? v128.load(s + ld) : z;
          const r2 = c > 2 ? v128.load(s + 2 * ld) : z, r3 = c > 3 ? v128.load(s + 3 * ld) : z;
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5), t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7), t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          const dh = d + (<usize>h << 4);
          v128.store(dh, i32x4.shuffle(t0, t1, 0, 1, 4, 5), 0);
          v128.store(dh, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 32);
          v128.store(dh, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 64);
          v128.store(dh, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 96);
        }
        if (halves == 1) {
          v128.store(d, z, 16); v128.store(d, z, 48); v128.store(d, z, 80); v128.store(d, z, 112);
        }
        src += 16; d += 128;
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

