// Implicit im2col for the convolution kernels (conv.ts): op(B) panels for the GEMM driver packed
// straight from an image, and a block of im2col columns scatter-added back into an image (col2im)
// — the full im2col matrix is never built. Internal: index.ts must not re-export this file.
//
// The im2col matrix of one image's channel group has rows r = ci·KH·KW + kh·KW + kw (PyTorch's
// weight layout) and columns j = oh·OW + ow; entry (r, j) is x[ci][oh·sh + kh·dh − ph][ow·sw +
// kw·dw − pw], 0 outside the image. The geometry and a packing scratch are module state, set by
// conv.ts before each GEMM (setGeometry, setScratch); the image is the GEMM's b.
import { KC, NC, packB, panelBytes } from './gemm-pack';

/** Where packedGemm reads op(B): the matrix b, the im2col matrix (B = cols: the forward), or
 * its transpose (B = colsᵀ: the weight gradient). */
export const B_MATRIX: i32 = 0;
export const B_COLS: i32 = 1;
export const B_COLS_T: i32 = 2;

let gTmp: usize = 0; // packing scratch: a row of NC floats (B_COLS) or 8 rows of KC (B_COLS_T)
let gH = 0, gW = 0, gOW = 0, gKH = 0, gKW = 0, gSH = 0, gSW = 0, gPH = 0, gPW = 0, gDH = 0, gDW = 0;

export function setGeometry(h: i32, w: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): void {
  gH = h; gW = w; gOW = ow; gKH = kh; gKW = kw; gSH = sh; gSW = sw; gPH = ph; gPW = pw; gDH = dh; gDW = dw;
}
/** Scratch of PACK_SCRATCH bytes for packing B_COLS and B_COLS_T panels. */
export function setScratch(p: usize): void { gTmp = p; }
export const PACK_SCRATCH: i32 = max(8 * KC, NC) * 4;

/** n zeros at d (a loop: most runs are a few floats, too short for memory.fill's call). */
@inline function zeros(d: usize, n: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) for (; i + 4 <= n; i += 4) v128.store(d + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(d + (<usize>i << 2), 0);
}

/**
 * Visits entries (r, j0) … (r, j0 + count − 1) of the im2col matrix of image `img` against the
 * row buffer d (one float per entry). gather: d[e] = entry (0 outside the image); else the
 * entry's image value += d[e] (entries outside the image are skipped). Runs inside one image row
 * move 8 then 4 (gather) or 4 (scatter) at a time when the stride is 1, and 4 (gather) at stride 2.
 */
@inline function walk(img: usize, r: i32, j0: i32, count: i32, d: usize, gather: bool): void {
  const kk = gKH * gKW, ci = r / kk, t = r - ci * kk, kh = t / gKW, kw = t - kh * gKW;
  const plane = img + ((<usize>ci * <usize>gH * <usize>gW) << 2);
  const rowOff = kh * gDH - gPH, colOff = kw * gDW - gPW;
  // output columns that read inside the image: 0 ≤ ow·sw + colOff < W ⇔ lo ≤ ow < hi
  const lo = colOff >= 0 ? 0 : (gSW - 1 - colOff) / gSW;
  const hi = colOff >= gW ? 0 : (gW - 1 - colOff) / gSW + 1;
  const wide = ASC_FEATURE_SIMD && gSW == 1, sstep = <usize>gSW << 2;
  let oh = j0 / gOW, ow = j0 - oh * gOW, left = count;
  while (left > 0) {
    const end = min(gOW, ow + left), ih = oh * gSH + rowOff;
    const inRow = ih >= 0 && ih < gH;
    const a = inRow ? min(max(lo, ow), end) : end, b = inRow ? max(a, min(hi, end)) : end;
    // [ow, a) and [b, end) fall outside the image, [a, b) inside
    if (gather) zeros(d, a - ow);
    d += <usize>(a - ow) << 2;
    let src = plane + ((<usize>ih * <usize>gW + <usize>(a * gSW + colOff)) << 2), e = a;
    if (wide) {
      if (gather) {
        for (; e + 8 <= b; e += 8) { v128.store(d, v128.load(src)); v128.store(d, v128.load(src, 16), 16); src += 32; d += 32; }
        if (e + 4 <= b) { v128.store(d, v128.load(src)); src += 16; d += 16; e += 4; }
      } else {
        for (; e + 4 <= b; e += 4) { v128.store(src, f32x4.add(v128.load(src), v128.load(d))); src += 16; d += 16; }
      }
    } else if (ASC_FEATURE_SIMD && gather && gSW == 2) {
      // stride 2: the even lanes of 8 inputs, while all 8 lie inside the image row
      const rowEnd = plane + ((<usize>(ih + 1) * <usize>gW) << 2);
      for (; e + 4 <= b && src + 32 <= rowEnd; e += 4) {
        v128.store(d, i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 2, 4, 6));
        src += 32; d += 16;
      }
    }
    for (; e < b; e++) {
      if (gather) store<f32>(d, load<f32>(src));
      else store<f32>(src, load<f32>(src) + load<f32>(d));
      src += sstep; d += 4;
    }
    if (gather) zeros(d, end - b);
    d += <usize>(end - b) << 2;
    left -= end - ow; ow = 0; oh++;
  }
}

/** walk, gathering (compiled apart from the scatter: no per-entry branch). */
function gatherRow(img: usize, r: i32, j0: i32, count: i32, d: usize): void { walk(img, r, j0, count, d, true); }

/** Panels of op(B) = im2col columns j0 … j0 + nc − 1, rows p0 … p0 + kc − 1 of image img
 * (packB's layout, bias heads and the columns past nc zero): each row gathered into the scratch,
 * then spread over the panels. */
function packCols(dst: usize, img: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  const pan = panelBytes(kc), full = nc >> 3, tail = nc & 7;
  for (let q = 0; q < nc; q += 8) zeros(dst + <usize>(q >> 3) * pan, 8);
  for (let p = 0; p < kc; p++) {
    gatherRow(img, p0 + p, j0, nc, gTmp);
    let d = dst + 32 + (<usize>p << 5), src = gTmp;
    for (let q = 0; q < full; q++) {
      if (ASC_FEATURE_SIMD) { v128.store(d, v128.load(src)); v128.store(d, v128.load(src, 16), 16); }
      else for (let c = 0; c < 32; c += 4) store<f32>(d + c, load<f32>(src + c));
      d += pan; src += 32;
    }
    for (let c = 0; c < 8 && tail; c++) store<f32>(d + (<usize>c << 2), c < tail ? load<f32>(src + (<usize>c << 2)) : 0);
  }
}

/** Panels of op(B) = im2colᵀ of image img: columns are rows j0 … j0 + nc − 1 of im2col (taps),
 * rows its columns p0 … p0 + kc − 1 (positions): per panel, 8 rows gathered into the scratch,
 * then packed as a transposed matrix (packB's 4×4 transposes). */
function packColsT(dst: usize, img: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  const pan = panelBytes(kc), row = <usize>kc << 2;
  for (let q = 0; q < nc; q += 8) {
    const cols = min(8, nc - q);
    for (let c = 0; c < cols; c++) gatherRow(img, j0 + q + c, p0, kc, gTmp + <usize>c * row);
    packB(dst + <usize>(q >> 3) * pan, gTmp, kc, 1, 0, 0, cols, 0, kc);
  }
}

/** packedGemm's op(B) packing: from the matrix b (packB) or from the image. */
export function packPanels(src: i32, dst: usize, b: usize, ldb: i32, transB: i32, bias: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  if (src == B_COLS) packCols(dst, b, j0, nc, p0, kc);
  else if (src == B_COLS_T) packColsT(dst, b, j0, nc, p0, kc);
  else packB(dst, b, ldb, transB, bias, j0, nc, p0, kc);
}

/** col2im: image img += the im2col block rows r0 … r0 + rows − 1 × columns j0 … j0 + nc − 1
 * held row-major in blk (row stride nc). */
export function scatterCols(img: usize, blk: usize, r0: i32, rows: i32, j0: i32, nc: i32): void {
  for (let i = 0; i < rows; i++) walk(img, r0 + i, j0, nc, blk + ((<usize>i * <usize>nc) << 2), false);
}
