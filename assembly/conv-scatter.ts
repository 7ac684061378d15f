// The input gradient of a direct convolution in scatter form, for the SIMD builds (conv-direct.ts's
// directInput runs it where the transposed form would mostly multiply zeros: strides, outputs
// much smaller than the input). Per image and channel group, with the frame and tables of
// conv-frame.ts (frame: the padded input's gradient, zeroed):
//   frame + off[r] + pos[q] += Σ_co W[co][r]·dY[co][q]    tile rows: 4 taps r, columns: 8 positions q
// on a 4×8 tile over operands packed as the GEMM's (gemm-pack.ts): A = Wᵀ (4 taps per tile,
// pre-splatted where the GEMM's is), once per group; B = dY by packB (8 positions per panel),
// once per image. k is the group's output channels — short — so the epilogue weighs: a tile
// checks once which of its two groups of four positions are adjacent in the frame (one vector add
// per tap then) and scatters lane by lane otherwise. The frame's inside is then added to dX.
// Internal: index.ts must not re-export this file.
import { madd } from './simd';
import { A_ROW, MR, PRESPLAT, aTileBytes, packB, panelBytes } from './gemm-pack';
import { align16, frameH, octets, positions } from './conv-frame';

/** Bytes of the scatter pass's workspace: [pos | off | dY panels | Wᵀ tiles | frame]. */
export function scatterWorkspace(cin: i32, cout: i32, oh: i32, ow: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, groups: i32): usize {
  const cg = cin / groups, og = cout / groups, k = cg * kh * kw, p = oh * ow;
  const frame = (<usize>cg * <usize>frameH(oh, sh, kh, dh) * <usize>frameH(ow, sw, kw, dw)) << 2;
  return align16(<usize>p << 2) + align16(<usize>k << 2) + octets(p) * panelBytes(og) +
    <usize>((k + MR - 1) / MR) * aTileBytes(og) + frame;
}

/** dX += Σ_co W[co][r]·dY[co][q] at every input element tap r of position q reads (over: dX = …,
 * 0 where no window reaches). */
export function scatterInput(dx: usize, dy: usize, w: usize, ws: usize, n: i32, cin: i32, h: i32, wd: i32,
  cout: i32, oh: i32, ow: i32, kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, dh: i32, dw: i32, groups: i32, over: bool): void {
  const cg = cin / groups, og = cout / groups, k = cg * kh * kw, p = oh * ow;
  const hf = frameH(oh, sh, kh, dh), wf = frameH(ow, sw, kw, dw);
  const pos = ws, off = pos + align16(<usize>p << 2), panels = off + align16(<usize>k << 2);
  const pan = panelBytes(og), tiles = panels + octets(p) * pan, tb = aTileBytes(og);
  const frame = tiles + <usize>((k + MR - 1) / MR) * tb;
  positions(pos, oh, ow, sh, sw, wf);
  columnMajorOffsets(off, cg, kh, kw, dh, dw, hf, wf);
  const plane = <usize>p << 2, image = (<usize>h * <usize>wd) << 2, fplane = <usize>hf * <usize>wf;
  const rows = min(h, hf - ph), cols = min(wd, wf - pw);
  for (let g = 0; g < groups; g++) {
    packTaps(tiles, w + ((<usize>(g * og) * <usize>k) << 2), cg, kh, kw, og, tb);
    for (let i = 0; i < n; i++) {
      memory.fill(frame, 0, (<usize>cg * fplane) << 2);
      packB(panels, dy + <usize>(i * cout + g * og) * plane, p, 0, 0, 0, p, 0, og);
      for (let r = 0; r < k; r += MR) {
        const ap = tiles + <usize>(r / MR) * tb, nr = min(MR, k - r);
        for (let q = 0; q < p; q += 8) {
          scatterTile(frame, ap, panels + <usize>(q >> 3) * pan, og, nr, min(8, p - q), off + (<usize>r << 2), pos + (<usize>q << 2));
        }
      }
      // dX += the frame's inside (over: dX = it, and 0 where no window reached)
      const img = dx + <usize>(i * cin + g * cg) * image;
      if (over && (rows < h || cols < wd)) memory.fill(img, 0, <usize>cg * image);
      for (let c = 0; c < cg; c++) {
        for (let y = 0; y < rows; y++) {
          const d = img + ((<usize>(c * h + y) * <usize>wd) << 2);
          const s = frame + ((<usize>c * fplane + <usize>(y + ph) * <usize>wf + <usize>pw) << 2);
          let x = 0;
          for (; x + 4 <= cols; x += 4) {
            const v = v128.load(s + (<usize>x << 2));
            v128.store(d + (<usize>x << 2), over ? v : f32x4.add(v128.load(d + (<usize>x << 2)), v));
          }
          for (; x < cols; x++) store<f32>(d + (<usize>x << 2), (over ? 0 : load<f32>(d + (<usize>x << 2))) + load<f32>(s + (<usize>x << 2)));
        }
      }
    }
  }
}

// Taps run column-major — r = (ci·KW + b)·KH + a — so that a tile's four rows are four kernel rows
// (for KH ≥ 4): their targets lie a frame row apart, where consecutive taps of one kernel row
// would make each row's vector add reload the floats the row before just stored, one lane over —
// a failed store-to-load forward per row (this pass ran at 60% of gemm_f32 with them, 82% with no
// scatter at all).

/** off[r] for ch channels of kh×kw taps in column-major order (bytes; frame hf×wf planes). */
function columnMajorOffsets(t: usize, ch: i32, kh: i32, kw: i32, dh: i32, dw: i32, hf: i32, wf: i32): void {
  let r: usize = 0;
  for (let c = 0; c < ch; c++) {
    for (let b = 0; b < kw; b++) {
      for (let a = 0; a < kh; a++) { store<u32>(t + (r << 2), <u32>((c * hf + a * dh) * wf + b * dw) << 2); r++; }
    }
  }
}

/** Tile t of dst (tb bytes each) holds W[co][tap r] at [co][r − 4t] for the column-major taps
 * r = 4t … 4t + 3 (pre-splatted as packA's; taps past the last are zero). */
function packTaps(dst: usize, w: usize, cg: i32, kh: i32, kw: i32, og: i32, tb: usize): void {
  const taps = kh * kw, k = cg * taps, wrow = <usize>k << 2;
  for (let r = 0; r < (k + MR - 1) / MR * MR; r++) {
    const c = r / taps, rest = r - c * taps, b = rest / kh, a = rest - b * kh;
    const src = w + ((<usize>(c * taps + a * kw + b)) << 2);
    let d = dst + <usize>(r / MR) * tb + (PRESPLAT ? <usize>(r % MR) << 4 : <usize>(r % MR) << 2);
    for (let co = 0; co < og; co++) {
      const v: f32 = r < k ? load<f32>(src + <usize>co * wrow) : 0;
      if (PRESPLAT) v128.store(d, f32x4.splat(v)); else store<f32>(d, v);
      d += A_ROW;
    }
  }
}

/** frame + so[i] + sq[j] += Σ_p ap[p][i]·bp[p][j] for i < rows, j < cols (so, sq: u32 byte
 * offsets of the taps and positions; bp at a panel's head). The loop is gemm-tile.ts's, kept here
 * so the sums stay in registers: that tile stored to scratch and reloaded measured 62% of
 * gemm_f32 on LeNet's conv2 against 70%. */
function scatterTile(frame: usize, ap: usize, bp: usize, k: i32, rows: i32, cols: i32, so: usize, sq: usize): void {
  const z = f32x4.splat(0);
  let c0a = z, c0b = z, c1a = z, c1b = z, c2a = z, c2b = z, c3a = z, c3b = z;
  bp += 32;
  for (let p = k; p > 0; p--) {
    const ba = v128.load(bp), bb = v128.load(bp, 16);
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
  // whether positions j … j + 3 of each half are four adjacent floats (then one vector per tap)
  const p0 = load<u32>(sq), p1 = cols > 4 ? load<u32>(sq, 16) : 0;
  const na = min(cols, 4), nb = cols - 4;
  const va = na == 4 && load<u32>(sq, 12) == p0 + 12, vb = nb == 4 && load<u32>(sq, 28) == p1 + 12;
  scatterRow(frame + <usize>load<u32>(so), sq, c0a, c0b, na, nb, va, vb, p0, p1);
  if (rows > 1) scatterRow(frame + <usize>load<u32>(so, 4), sq, c1a, c1b, na, nb, va, vb, p0, p1);
  if (rows > 2) scatterRow(frame + <usize>load<u32>(so, 8), sq, c2a, c2b, na, nb, va, vb, p0, p1);
  if (rows > 3) scatterRow(frame + <usize>load<u32>(so, 12), sq, c3a, c3b, na, nb, va, vb, p0, p1);
}

/** One tap's row of the tile: lanes of a to positions 0 … na − 1, of b to 4 … 3 + nb. */
@inline function scatterRow(base: usize, sq: usize, a: v128, b: v128, na: i32, nb: i32, va: bool, vb: bool, p0: u32, p1: u32): void {
  if (va) {
    const d = base + <usize>p0;
    v128.store(d, f32x4.add(v128.load(d), a));
  } else {
    scatterLanes(base, sq, a, na);
  }
  if (vb) {
    const d = base + <usize>p1;
    v128.store(d, f32x4.add(v128.load(d), b));
  } else if (nb > 0) {
    scatterLanes(base, sq + 16, b, nb);
  }
}

/** base + sq[j] += lane j of v for j < n. */
@inline function scatterLanes(base: usize, sq: usize, v: v128, n: i32): void {
  let d = base + <usize>load<u32>(sq);
  store<f32>(d, load<f32>(d) + f32x4.extract_lane(v, 0));
  if (n > 1) { d = base + <usize>load<u32>(sq, 4); store<f32>(d, load<f32>(d) + f32x4.extract_lane(v, 1)); }
  if (n > 2) { d = base + <usize>load<u32>(sq, 8); store<f32>(d, load<f32>(d) + f32x4.extract_lane(v, 2)); }
  if (n > 3) { d = base + <usize>load<u32>(sq, 12); store<f32>(d, load<f32>(d) + f32x4.extract_lane(v, 3)); }
}
