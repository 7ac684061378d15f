// The GEMM micro-kernel (a 4×8 tile of C over packed operands, with the bias / accumulate / ReLU
// epilogue) and the Goto/BLIS-blocked driver around it, shared by gemm.ts and conv.ts. Internal:
// index.ts must not re-export this file (its functions would become wasm exports).
import { madd } from './simd';
import { A_ROW, KC, MC, MR, TILE_BYTES, NC, PRESPLAT, aTileBytes, imin, kcpOf, mcpOf, packA, panelBytes } from './gemm-pack';
import { packPanels } from './im2col';

export const LOAD_C: i32 = 1;
export const ADD_BIAS: i32 = 2;
export const RELU: i32 = 4;

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
@inline export function relu(x: f32): f32 { return x < 0 ? 0 : x; }

// ---- driver ---------------------------------------------------------------------------------

/** The blocked product over packed operands (see gemm.ts) for `batches` products that share A:
 * product t reads op(B) at b + t·bStride and writes C at c + t·cStride. op(B) comes from `src`
 * (im2col.ts: B_MATRIX reads the matrix b, the others the image b). When m fits one M block, A is
 * packed once per K block for all products, and not at all if keepA (A is still in ws from the
 * previous call with the same a, m, k ≤ KC). */
export function packedGemm(
  c: usize, a: usize, b: usize, bias: usize, ws: usize, m: i32, n: i32, k: i32,
  lda: i32, ldb: i32, ldc: i32, transA: i32, transB: i32, accumulate: i32, act: i32, src: i32,
  batches: i32 = 1, cStride: usize = 0, bStride: usize = 0, keepA: bool = false,
): void {
  const kcp = kcpOf(k);
  const tmp = ws;
  const wa = ws + TILE_BYTES;
  const wb = wa + <usize>(mcpOf(m) / MR) * aTileBytes(kcp);
  const ldcb = <usize>ldc << 2;
  const oneBlock = m <= MC;
  let pc = 0;
  do { // at least once, so k = 0 still writes act(bias + C)
    const kc = imin(KC, k - pc);
    let mode = pc == 0 ? (accumulate ? LOAD_C : 0) | (bias != 0 ? ADD_BIAS : 0) : LOAD_C;
    if (pc + kc >= k && act == 1) mode |= RELU;
    for (let t = 0; t < batches; t++) {
      const ct = c + <usize>t * cStride, bt = b + <usize>t * bStride;
      for (let jc = 0; jc < n; jc += NC) {
        const nc = imin(NC, n - jc);
        packPanels(src, wb, bt, ldb, transB, pc == 0 && bias != 0 ? bias + (<usize>jc << 2) : 0, jc, nc, pc, kc);
        for (let ic = 0; ic < m; ic += MC) {
          const mc = imin(MC, m - ic);
          if (!oneBlock || (t == 0 && jc == 0 && !keepA)) packA(wa, a, lda, transA, ic, mc, pc, kc);
          packedBlock(ct + (<usize>(ic * ldc + jc) << 2), ldcb, tmp, wa, wb, mc, nc, kc, mode);
        }
      }
    }
    pc += KC;
  } while (pc < k);
}

/** C[mc×nc] at cp (row stride ldcb bytes) from one K block of kc: A tiles from wa on (aTileBytes(kc)
 * apart), B panels from wb on (panelBytes(kc) apart); partial tiles through the MR×8 temporary at
 * tmp. Columns in the outer loop: one B micro-panel stays in L1 while it meets every A tile. */
export function packedBlock(cp: usize, ldcb: usize, tmp: usize, wa: usize, wb: usize, mc: i32, nc: i32, kc: i32, mode: i32): void {
  const panel = panelBytes(kc), aTile = aTileBytes(kc);
  for (let jr = 0; jr < nc; jr += 8) {
    const bp = wb + <usize>(jr >> 3) * panel;
    const cols = imin(8, nc - jr);
    let c = cp + (<usize>jr << 2);
    let ap = wa;
    for (let ir = 0; ir < mc; ir += MR) {
      const rows = imin(MR, mc - ir);
      if (rows == MR && cols == 8) {
        tile(c, ldcb, ap, bp, kc, mode);
      } else {
        edgeTile(c, ldcb, tmp, rows, cols, ap, bp, kc, mode);
      }
      ap += aTile;
      c += ldcb * <usize>MR;
    }
  }
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
