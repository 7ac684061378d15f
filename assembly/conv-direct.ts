// Direct convolution for the SIMD builds (contracts in src/backend/backend.ts; conv.ts dispatches
// here): each pass is a product whose A operand is read straight from a zero-padded copy of the
// image — no im2col columns, nothing packed but the small B operand — on a 4×8 micro-tile stored
// transposed, so the output rows (NCHW planes, or the weight's rows) are written 4 at a time:
//   forward   y[co][q]  = bias[co] + Σ_r W[co][r]·X(q, r)    tile rows: 4 positions q, k: taps r
//   weight    dW[co][r] += Σ_q dY[co][q]·X(q, r)             tile rows: 4 taps r, k: positions q
//   input     dX += the stride-1 convolution of dY (zero-padded by d·(k − 1) − p) with W flipped
//             and transposed                                 tile rows: 4 positions of dX
//             or, where that would mostly multiply zeros, scattered (conv-scatter.ts)
// X(q, r) is the f32 at frame + pos[q] + off[r] (conv-frame.ts): the frame holds one channel group
// of one image at offset (ph, pw) in zero-filled Hf×Wf planes, pos[q] = (oy·sh·Wf + ox·sw)·4 and
// off[r] = ((ci·Hf + a·dh)·Wf + b·dw)·4 (bytes) for q = oy·OW + ox, r = (ci·KH + a)·KW + b. A
// tile row i reads row_i + kTable[p] for every p, where row_i = frame + pos (forward, input) or
// frame + off (weight) and kTable is the other table; B is packB's panel [8 head | k×8] with the
// bias (or zeros) in the head. Internal: index.ts must not re-export this file.
import { madd } from './simd';
import { packB, panelBytes } from './gemm-pack';
import { rowSum } from './rowops';
import { scatterInput, scatterWorkspace } from './conv-scatter';
import { align16, fillFrame, frameH, octets, offsets, positions } from './conv-frame';

// ---- the micro-tile --------------------------------------------------------------------------

/** Tile epilogues: out[j·ldo + i] = T[i][j] (WRITE) or += (ADD). */
const WRITE = 0, ADD = 1;

/** T[i][j] = head[j] + Σ_p A(i, p)·B[p][j] (i < 4, j < 8) with A(i, p) the f32 at r_i + kt[p]
 * (u32 byte offsets) and B the panel at bp, stored by `mode` for i < rows, j < cols. */
function tile(out: usize, ldo: usize, r0: usize, r1: usize, r2: usize, r3: usize, kt: usize, bp: usize,
  k: i32, rows: i32, cols: i32, mode: i32): void {
  let c0a = v128.load(bp), c0b = v128.load(bp, 16);
  let c1a = c0a, c1b = c0b, c2a = c0a, c2b = c0b, c3a = c0a, c3b = c0b;
  bp += 32;
  for (let p = k; p > 0; p--) {
    const t = <usize>load<u32>(kt);
    const ba = v128.load(bp), bb = v128.load(bp, 16);
    let av = v128.load32_splat(r0 + t);
    c0a = madd(av, ba, c0a); c0b = madd(av, bb, c0b);
    av = v128.load32_splat(r1 + t);
    c1a = madd(av, ba, c1a); c1b = madd(av, bb, c1b);
    av = v128.load32_splat(r2 + t);
    c2a = madd(av, ba, c2a); c2b = madd(av, bb, c2b);
    av = v128.load32_splat(r3 + t);
    c3a = madd(av, ba, c3a); c3b = madd(av, bb, c3b);
    kt += 4; bp += 32;
  }
  const acc = mode == ADD;
  columns(out, ldo, c0a, c1a, c2a, c3a, rows, cols, acc);
  if (cols > 4) columns(out + (ldo << 2), ldo, c0b, c1b, c2b, c3b, rows, cols - 4, acc);
}

/** Four columns of the tile (rows in a0 … a3) transposed and stored at out + j·ldo. */
@inline function columns(out: usize, ldo: usize, a0: v128, a1: v128, a2: v128, a3: v128, rows: i32, cols: i32, acc: bool): void {
  const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a2, a3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(a0, a1, 2, 6, 3, 7), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
  put(out, i32x4.shuffle(t0, t1, 0, 1, 4, 5), rows, acc);
  if (cols > 1) put(out + ldo, i32x4.shuffle(t0, t1, 2, 3, 6, 7), rows, acc);
  if (cols > 2) put(out + 2 * ldo, i32x4.shuffle(t2, t3, 0, 1, 4, 5), rows, acc);
  if (cols > 3) put(out + 3 * ldo, i32x4.shuffle(t2, t3, 2, 3, 6, 7), rows, acc);
}

/** The first `rows` lanes of v stored (or added) at d. */
@inline function put(d: usize, v: v128, rows: i32, acc: bool): void {
  if (rows == 4) {
    v128.store(d, acc ? f32x4.add(v128.load(d), v) : v);
    return;
  }
  store<f32>(d, acc ? load<f32>(d) + f32x4.extract_lane(v, 0) : f32x4.extract_lane(v, 0));
  if (rows > 1) store<f32>(d, acc ? load<f32>(d, 4) + f32x4.extract_lane(v, 1) : f32x4.extract_lane(v, 1), 4);
  if (rows > 2) store<f32>(d, acc ? load<f32>(d, 8) + f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 2), 8);
}

/** Tiles over `count` rows (4 at a time; the rows of a last partial tile repeat its last row):
 * row i reads base + rt[i], the tile of rows i0 … i0 + 3 is stored from out + i0·4. */
function tileRows(out: usize, ldo: usize, base: usize, rt: usize, count: i32, kt: usize, bp: usize, k: i32, cols: i32, mode: i32): void {
  for (let i0 = 0; i0 < count; i0 += 4) {
    const rows = min(4, count - i0), at = rt + (<usize>i0 << 2), last = <usize>(rows - 1) << 2;
    tile(out + (<usize>i0 << 2), ldo, base + <usize>load<u32>(at), base + <usize>load<u32>(at + min<usize>(4, last)),
      base + <usize>load<u32>(at + min<usize>(8, last)), base + <usize>load<u32>(at + min<usize>(12, last)), kt, bp, k, rows, cols, mode);
  }
}

// ---- workspace ------------------------------------------------------------------------------

// Workspace of each pass: [pos table | off table | B panels | frame], 16-byte aligned parts.
/** Whether the input gradient runs as a convolution of dY (transposedInput): stride 1, padding
 * within the dilated kernel, and most of that convolution's taps inside dY (OH·OW ≥ ¾·H·W: the
 * others multiply the zeros around it). Otherwise it scatters (scatterInput). */
function transposedApplies(h: i32, wd: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32): bool {
  return sh == 1 && sw == 1 && ph <= (kh - 1) * dh && pw <= (kw - 1) * dw && 4 * oh * ow >= 3 * h * wd;
}

/** Scratch bytes of the direct passes for this geometry (the largest of the three). */
export function directWorkspace(cin: i32, h: i32, wd: i32, cout: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32): usize {
  const cg = cin / groups, og = cout / groups, k = cg * kh * kw, p = oh * ow;
  const frame = (<usize>cg * <usize>frameH(oh, sh, kh, dh) * <usize>frameH(ow, sw, kw, dw)) << 2;
  const tables = align16(<usize>p << 2) + align16(<usize>k << 2);
  const fwd = tables + octets(og) * panelBytes(k) + frame;
  const wgt = tables + octets(og) * panelBytes(p) + frame;
  let input: usize;
  if (transposedApplies(h, wd, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw)) {
    const kk = og * kh * kw, hg = h + (kh - 1) * dh, wg = wd + (kw - 1) * dw;
    input = align16(<usize>(h * wd) << 2) + align16(<usize>kk << 2) + octets(cg) * panelBytes(kk) +
      ((<usize>og * <usize>hg * <usize>wg) << 2);
  } else {
    input = scatterWorkspace(cin, cout, oh, ow, kh, kw, sh, sw, dh, dw, groups);
  }
  return max(max(fwd, wgt), input);
}

// ---- the passes ------------------------------------------------------------------------------

/** y = conv(x, w) + bias (see the header). */
export function directForward(y: usize, x: usize, w: usize, bias: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32,
  cout: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32): void {
  const cg = cin / groups, og = cout / groups, k = cg * kh * kw, p = oh * ow;
  let hf = frameH(oh, sh, kh, dh), wf = frameH(ow, sw, kw, dw);
  const inPlace = ph == 0 && pw == 0 && hf <= h && wf <= wd; // the image itself serves as the frame
  if (inPlace) { hf = h; wf = wd; }
  const pos = ws, off = pos + align16(<usize>p << 2), panels = off + align16(<usize>k << 2);
  const pan = panelBytes(k), frame = panels + octets(og) * pan;
  positions(pos, oh, ow, sh, sw, wf);
  offsets(off, cg, kh, kw, dh, dw, hf, wf);
  const plane = <usize>p << 2, image = (<usize>h * <usize>wd) << 2;
  for (let g = 0; g < groups; g++) {
    packB(panels, w + ((<usize>(g * og) * <usize>k) << 2), k, 1, bias ? bias + (<usize>(g * og) << 2) : 0, 0, og, 0, k);
    for (let i = 0; i < n; i++) {
      const img = x + <usize>(i * cin + g * cg) * image;
      if (!inPlace) fillFrame(frame, img, cg, h, wd, hf, wf, ph, pw);
      for (let o = 0; o < og; o += 8) {
        tileRows(y + <usize>(i * cout + g * og + o) * plane, plane, inPlace ? img : frame, pos, p, off,
          panels + <usize>(o >> 3) * pan, k, min(8, og - o), WRITE);
      }
    }
  }
}

/** dW += Σ dY·X over images and positions; dbias += Σ dY (either 0: not wanted). */
export function directWeight(dwt: usize, dbias: usize, dy: usize, x: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32,
  cout: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32): void {
  const cg = cin / groups, og = cout / groups, k = cg * kh * kw, p = oh * ow;
  const plane = <usize>p << 2, image = (<usize>h * <usize>wd) << 2;
  if (dbias) {
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < cout; c++) {
        const at = dbias + (<usize>c << 2);
        store<f32>(at, load<f32>(at) + rowSum(dy + <usize>(i * cout + c) * plane, p));
      }
    }
  }
  if (!dwt) return;
  let hf = frameH(oh, sh, kh, dh), wf = frameH(ow, sw, kw, dw);
  const inPlace = ph == 0 && pw == 0 && hf <= h && wf <= wd;
  if (inPlace) { hf = h; wf = wd; }
  const pos = ws, off = pos + align16(<usize>p << 2), panels = off + align16(<usize>k << 2);
  const pan = panelBytes(p), frame = panels + octets(og) * pan;
  positions(pos, oh, ow, sh, sw, wf);
  offsets(off, cg, kh, kw, dh, dw, hf, wf);
  for (let i = 0; i < n; i++) {
    for (let g = 0; g < groups; g++) {
      const img = x + <usize>(i * cin + g * cg) * image;
      if (!inPlace) fillFrame(frame, img, cg, h, wd, hf, wf, ph, pw);
      packB(panels, dy + <usize>(i * cout + g * og) * plane, p, 1, 0, 0, og, 0, p);
      for (let o = 0; o < og; o += 8) {
        const kRow = <usize>k << 2;
        tileRows(dwt + <usize>(g * og + o) * kRow, kRow, inPlace ? img : frame, off, k, pos,
          panels + <usize>(o >> 3) * pan, p, min(8, og - o), ADD);
      }
    }
  }
}

/** dX += ∂(Σ dY·Y)/∂X (over: dX = …), as a convolution of dY or by scattering (see
 * transposedApplies; conv-scatter.ts). */
export function directInput(dx: usize, dy: usize, w: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32,
  cout: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32, over: bool): void {
  if (transposedApplies(h, wd, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw)) {
    transposedInput(dx, dy, w, ws, n, cin, h, wd, cout, oh, ow, kh, kw, ph, pw, dh, dw, groups, over ? WRITE : ADD);
  } else {
    scatterInput(dx, dy, w, ws, n, cin, h, wd, cout, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw, groups, over);
  }
}

/** dX += the stride-1 convolution of dY, zero-padded by d·(k − 1) − p, with W flipped and
 * transposed: tile rows are positions of dX, k runs over (cout, a, b). */
function transposedInput(dx: usize, dy: usize, w: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32,
  cout: i32, oh: i32, ow: i32, kh: i32, kw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32, mode: i32): void {
  const cg = cin / groups, og = cout / groups, kk = og * kh * kw, hw = h * wd, taps = kh * kw;
  const hg = h + (kh - 1) * dh, wg = wd + (kw - 1) * dw;
  const pos = ws, off = pos + align16(<usize>hw << 2), panels = off + align16(<usize>kk << 2);
  const pan = panelBytes(kk), frame = panels + octets(cg) * pan;
  positions(pos, h, wd, 1, 1, wg);
  offsets(off, og, kh, kw, dh, dw, hg, wg);
  const plane = <usize>hw << 2, oplane = (<usize>oh * <usize>ow) << 2;
  for (let g = 0; g < groups; g++) {
    // B[(co·KH + a)·KW + b][ci] = W[co][ci][KH − 1 − a][KW − 1 − b], head zero
    for (let o = 0; o < cg; o += 8) {
      const d = panels + <usize>(o >> 3) * pan;
      v128.store(d, f32x4.splat(0)); v128.store(d, f32x4.splat(0), 16);
      for (let r = 0; r < kk; r++) {
        const co = r / taps, t = r - co * taps, src = w + ((<usize>((g * og + co) * cg) * <usize>taps + <usize>(taps - 1 - t)) << 2);
        for (let j = 0; j < 8; j++) {
          store<f32>(d + 32 + (<usize>(r * 8 + j) << 2), o + j < cg ? load<f32>(src + (<usize>((o + j) * taps) << 2)) : 0);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      fillFrame(frame, dy + <usize>(i * cout + g * og) * oplane, og, oh, ow, hg, wg, (kh - 1) * dh - ph, (kw - 1) * dw - pw);
      for (let o = 0; o < cg; o += 8) {
        tileRows(dx + <usize>(i * cin + g * cg + o) * plane, plane, frame, pos, hw, off,
          panels + <usize>(o >> 3) * pan, kk, min(8, cg - o), mode);
      }
    }
  }
}
