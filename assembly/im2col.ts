// Implicit im2col for the convolution kernels (conv.ts): op(B) panels for the GEMM driver packed
// straight from an image, and a block of im2col columns scatter-added back into an image (col2im)
// — the full im2col matrix is never built. Internal: index.ts must not re-export this file.
//
// The im2col matrix of one image's channel group has rows r = ci·KH·KW + kh·KW + kw (PyTorch's
// weight layout) and columns j = oh·OW + ow; entry (r, j) is x[ci][oh·sh + kh·dh − ph][ow·sw +
// kw·dw − pw], 0 outside the image. The geometry and the image are module state, set by conv.ts
// before each GEMM (setGeometry, setImage).
import { packB, panelBytes } from './gemm-pack';

/** Where packedGemm reads op(B): the matrix b, the im2col matrix (B = cols: the forward), or
 * its transpose (B = colsᵀ: the weight gradient). */
export const B_MATRIX: i32 = 0;
export const B_COLS: i32 = 1;
export const B_COLS_T: i32 = 2;

let gImg: usize = 0;
let gH = 0, gW = 0, gOW = 0, gKH = 0, gKW = 0, gSH = 0, gSW = 0, gPH = 0, gPW = 0, gDH = 0, gDW = 0;

export function setGeometry(h: i32, w: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): void {
  gH = h; gW = w; gOW = ow; gKH = kh; gKW = kw; gSH = sh; gSW = sw; gPH = ph; gPW = pw; gDH = dh; gDW = dw;
}
/** The first input plane of the channel group the next walks read or write. */
export function setImage(p: usize): void { gImg = p; }

/** No jump: the cursor only steps. */
const NEVER: i32 = 0x40000000;

/**
 * Visits entries (r, j0) … (r, j0 + count − 1) with a cursor d that moves `step` bytes per entry
 * plus `jump` bytes after every `every` entries (c: entries since the last jump). gather stores
 * each entry at d (0 outside the image); otherwise the value at d is added into the image
 * (entries outside it are skipped).
 */
function walk(r: i32, j0: i32, count: i32, d: usize, step: usize, every: i32, jump: usize, gather: bool): void {
  const kk = gKH * gKW, ci = r / kk, t = r - ci * kk, kh = t / gKW, kw = t - kh * gKW;
  const plane = gImg + ((<usize>ci * <usize>gH * <usize>gW) << 2);
  const rowOff = kh * gDH - gPH, colOff = kw * gDW - gPW;
  // output columns that read inside the image: 0 ≤ ow·sw + colOff < W ⇔ lo ≤ ow < hi
  const lo = colOff >= 0 ? 0 : (gSW - 1 - colOff) / gSW;
  const hi = colOff >= gW ? 0 : (gW - 1 - colOff) / gSW + 1;
  const wide = ASC_FEATURE_SIMD && gSW == 1 && step == 4;
  const gather8 = wide && gather && every == 8, scatter4 = wide && !gather && every == NEVER;
  const sstep = <usize>gSW << 2;
  let oh = j0 / gOW, ow = j0 - oh * gOW, left = count, c = 0;
  while (left > 0) {
    const end = min(gOW, ow + left), ih = oh * gSH + rowOff;
    const inRow = ih >= 0 && ih < gH;
    const a = inRow ? min(max(lo, ow), end) : end, b = inRow ? max(a, min(hi, end)) : end;
    // [ow, a) and [b, end) fall outside the image, [a, b) inside
    for (let e = ow; e < end;) {
      if (e == a && a < b) {
        let src = plane + ((<usize>ih * <usize>gW + <usize>(a * gSW + colOff)) << 2);
        while (e < b) {
          if (gather8 && c == 0 && e + 8 <= b) {
            v128.store(d, v128.load(src)); v128.store(d, v128.load(src, 16), 16);
            src += 32; d += 32 + jump; e += 8;
            continue;
          }
          if (scatter4 && e + 4 <= b) {
            v128.store(src, f32x4.add(v128.load(src), v128.load(d)));
            src += 16; d += 16; e += 4;
            continue;
          }
          if (gather) store<f32>(d, load<f32>(src));
          else store<f32>(src, load<f32>(src) + load<f32>(d));
          src += sstep; d += step; e++;
          if (++c == every) { c = 0; d += jump; }
        }
        continue;
      }
      const stop = e < a ? a : end; // an outside run
      for (; e < stop; e++) {
        if (gather8 && c == 0 && e + 8 <= stop) {
          v128.store(d, f32x4.splat(0)); v128.store(d, f32x4.splat(0), 16);
          d += 32 + jump; e += 7;
          continue;
        }
        if (gather) store<f32>(d, 0);
        d += step;
        if (++c == every) { c = 0; d += jump; }
      }
    }
    left -= end - ow; ow = 0; oh++;
  }
}

/** Panels of op(B) = im2col columns j0 … j0 + nc − 1, rows p0 … p0 + kc − 1 (packB's layout,
 * bias heads and the columns past nc zero). */
function packCols(dst: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  const pan = panelBytes(kc);
  for (let q = 0; q < nc; q += 8) memory.fill(dst + <usize>(q >> 3) * pan, 0, 32);
  const tail = nc & 7;
  if (tail) {
    const last = dst + <usize>(nc >> 3) * pan + 32;
    for (let p = 0; p < kc; p++) memory.fill(last + (<usize>p << 5) + (<usize>tail << 2), 0, <usize>(8 - tail) << 2);
  }
  for (let p = 0; p < kc; p++) walk(p0 + p, j0, nc, dst + 32 + (<usize>p << 5), 4, 8, pan - 32, true);
}

/** Panels of op(B) = im2colᵀ: columns are rows j0 … j0 + nc − 1 of im2col (taps), rows its
 * columns p0 … p0 + kc − 1 (positions). */
function packColsT(dst: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  const pan = panelBytes(kc);
  for (let q = 0; q < nc; q += 8) {
    const d = dst + <usize>(q >> 3) * pan;
    memory.fill(d, 0, 32);
    for (let c = 0; c < 8; c++) {
      const dc = d + 32 + (<usize>c << 2);
      if (q + c < nc) walk(j0 + q + c, p0, kc, dc, 32, NEVER, 0, true);
      else for (let p = 0; p < kc; p++) store<f32>(dc + (<usize>p << 5), 0);
    }
  }
}

/** packedGemm's op(B) packing: from the matrix b (packB) or from the image. */
export function packPanels(src: i32, dst: usize, b: usize, ldb: i32, transB: i32, bias: usize, j0: i32, nc: i32, p0: i32, kc: i32): void {
  if (src == B_COLS) packCols(dst, j0, nc, p0, kc);
  else if (src == B_COLS_T) packColsT(dst, j0, nc, p0, kc);
  else packB(dst, b, ldb, transB, bias, j0, nc, p0, kc);
}

/** col2im: image += the im2col block rows r0 … r0 + rows − 1 × columns j0 … j0 + nc − 1 held
 * row-major in blk (row stride nc). */
export function scatterCols(blk: usize, r0: i32, rows: i32, j0: i32, nc: i32): void {
  for (let i = 0; i < rows; i++) walk(r0 + i, j0, nc, blk + ((<usize>i * <usize>nc) << 2), 4, NEVER, 0, false);
}
