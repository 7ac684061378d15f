// 2-D convolution, NCHW (contracts in src/backend/backend.ts): forward, input gradient and weight
// gradient as GEMMs on the packed micro-kernel (gemm-tile.ts), per image and channel group, with
// im2col implicit (im2col.ts packs op(B) panels straight from the image):
//   forward   Y[co][j] = bias[co] + Σ_r W[co][r]·cols[r][j]     m = Cout/g, n = OH·OW, k = Cin/g·KH·KW
//   weight    dW[co][r] += Σ_j dY[co][j]·cols[r][j]            m = Cout/g, n = Cin/g·KH·KW, k = OH·OW
//   input     dcols = Wᵀ·dY in MC×NC blocks, each scatter-added into dX (col2im)
// The forward fills Y with the bias and accumulates (the GEMM's bias is per column, here it is per
// row), and runs all images of a group as one blocked product, so W is packed once per K block.
// The SIMD builds run the three passes as direct convolutions instead (conv-direct.ts), which
// gather nothing and pack only the small operand; this im2col form remains the scalar build's.
import { gemm_workspace_f32 } from './gemm';
import { directForward, directInput, directWeight, directWorkspace } from './conv-direct';
import { packedGemm } from './gemm-tile';
import { KC, MC, NC, imin } from './gemm-pack';
import { B_COLS, B_COLS_T, B_MATRIX, PACK_SCRATCH, scatterCols, setGeometry, setScratch } from './im2col';
import { rowSum } from './rowops';

/** Scratch bytes the three convolution kernels need for this geometry (the largest of them). */
export function conv2d_workspace_f32(
  n: i32, cin: i32, h: i32, wd: i32, cout: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): i32 {
  const og = cout / groups, k = cin / groups * kh * kw, p = oh * ow;
  const rows = imin(k, MC), cols = imin(p, NC);
  const input = gemm_workspace_f32(rows, cols, og, 1, 0) + ((rows * cols + 3) & ~3) * 4;
  if (ASC_FEATURE_SIMD) return <i32>directWorkspace(cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups);
  return max(max(gemm_workspace_f32(og, p, k, 0, 0), gemm_workspace_f32(og, k, p, 0, 0)) + PACK_SCRATCH, input);
}

/** Y [n, cout, oh, ow] = conv(X [n, cin, h, w], W [cout, cin/groups, kh, kw]) + bias (0: none). */
export function conv2d_f32(
  y: usize, x: usize, w: usize, bias: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32, cout: i32,
  oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    directForward(y, x, w, bias, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    return;
  }
  const cg = cin / groups, og = cout / groups, p = oh * ow, k = cg * kh * kw;
  const plane = <usize>p << 2, image = <usize>h * <usize>wd << 2;
  setGeometry(h, wd, ow, kh, kw, sh, sw, ph, pw, dh, dw);
  setScratch(ws + <usize>gemm_workspace_f32(og, p, k, 0, 0));
  if (bias) {
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < cout; c++) {
        const v = load<f32>(bias + (<usize>c << 2)), row = y + <usize>(i * cout + c) * plane;
        let j = 0;
        if (ASC_FEATURE_SIMD) for (; j + 4 <= p; j += 4) v128.store(row + (<usize>j << 2), f32x4.splat(v));
        for (; j < p; j++) store<f32>(row + (<usize>j << 2), v);
      }
    }
  }
  // per group, one blocked product over all images: W's packed blocks serve every image
  for (let g = 0; g < groups; g++) {
    packedGemm(y + <usize>(g * og) * plane, w + ((<usize>(g * og) * <usize>k) << 2), x + <usize>(g * cg) * image, 0, ws,
      og, p, k, k, 0, p, 0, 0, bias ? 1 : 0, 0, B_COLS, n, <usize>cout * plane, <usize>cin * image);
  }
}

/** dX += ∂(Σ dY·Y)/∂X (overwrite: dX = …): per group and block of Wᵀ, per image dcols = Wᵀ·dY,
 * scattered into dX. */
export function conv2d_backward_input_f32(
  dx: usize, dy: usize, w: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32, cout: i32,
  oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32, overwrite: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    directInput(dx, dy, w, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, overwrite != 0);
    return;
  }
  if (overwrite) memory.fill(dx, 0, (<usize>n * <usize>cin * <usize>h * <usize>wd) << 2);
  const cg = cin / groups, og = cout / groups, p = oh * ow, k = cg * kh * kw;
  const plane = <usize>p << 2, image = <usize>h * <usize>wd << 2;
  const blk = ws + <usize>gemm_workspace_f32(imin(k, MC), imin(p, NC), og, 1, 0);
  setGeometry(h, wd, ow, kh, kw, sh, sw, ph, pw, dh, dw);
  for (let g = 0; g < groups; g++) {
    const wg = w + ((<usize>(g * og) * <usize>k) << 2);
    for (let ic = 0; ic < k; ic += MC) {
      const mc = imin(MC, k - ic);
      for (let i = 0; i < n; i++) {
        const dyg = dy + <usize>(i * cout + g * og) * plane, img = dx + <usize>(i * cin + g * cg) * image;
        for (let jc = 0; jc < p; jc += NC) {
          const nc = imin(NC, p - jc);
          // this block of Wᵀ stays packed across images while it is one K block
          const keep = og <= KC && (i > 0 || jc > 0);
          packedGemm(blk, wg + (<usize>ic << 2), dyg + (<usize>jc << 2), 0, ws, mc, nc, og, k, p, nc, 1, 0, 0, 0, B_MATRIX, 1, 0, 0, keep);
          scatterCols(img, blk, ic, mc, jc, nc);
        }
      }
    }
  }
}

/** dW (0: none) += Σ over images of dY·colsᵀ; dbias (0: none) += Σ dY over images and positions. */
export function conv2d_backward_weight_f32(
  dwt: usize, dbias: usize, dy: usize, x: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32, cout: i32,
  oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32,
): void {
  if (ASC_FEATURE_SIMD) {
    directWeight(dwt, dbias, dy, x, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups);
    return;
  }
  const cg = cin / groups, og = cout / groups, p = oh * ow, k = cg * kh * kw;
  const plane = <usize>p << 2, image = <usize>h * <usize>wd << 2;
  setGeometry(h, wd, ow, kh, kw, sh, sw, ph, pw, dh, dw);
  setScratch(ws + <usize>gemm_workspace_f32(og, k, p, 0, 0));
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < groups && dwt != 0; g++) {
      packedGemm(dwt + ((<usize>(g * og) * <usize>k) << 2), dy + <usize>(i * cout + g * og) * plane, x + <usize>(i * cin + g * cg) * image,
        0, ws, og, k, p, p, 0, k, 0, 0, 1, 0, B_COLS_T);
    }
    for (let c = 0; c < cout && dbias != 0; c++) {
      const at = dbias + (<usize>c << 2);
      store<f32>(at, load<f32>(at) + rowSum(dy + <usize>(i * cout + c) * plane, p));
    }
  }
}
