// Frames and tables of the direct convolutions (conv-direct.ts, conv-scatter.ts): a frame is one
// channel group of one image copied into zero-filled Hf×Wf planes at an offset (the padding), and
// the tables hold byte offsets into it: pos[q] of output position q's window corner and off[r]
// of tap r from that corner, so tap r of position q is the f32 at frame + pos[q] + off[r].
// Internal: index.ts must not re-export this file.

/** b rounded up to a multiple of 16 (the workspace's parts are 16-byte aligned). */
@inline export function align16(b: usize): usize { return (b + 15) & ~15; }

/** dst[c][r][s] = img[c][r − top][s − left] where inside the h×w image, else 0 (ch planes of hf×wf). */
export function fillFrame(dst: usize, img: usize, ch: i32, h: i32, w: i32, hf: i32, wf: i32, top: i32, left: i32): void {
  memory.fill(dst, 0, (<usize>ch * <usize>hf * <usize>wf) << 2);
  const r0 = max(0, top), r1 = min(hf, h + top), s0 = max(0, left), s1 = min(wf, w + left), len = s1 - s0;
  for (let c = 0; c < ch; c++) {
    for (let r = r0; r < r1; r++) {
      const d = dst + ((<usize>(c * hf + r) * <usize>wf + <usize>s0) << 2);
      const s = img + ((<usize>(c * h + r - top) * <usize>w + <usize>(s0 - left)) << 2);
      let j = 0;
      for (; j + 4 <= len; j += 4) v128.store(d + (<usize>j << 2), v128.load(s + (<usize>j << 2)));
      for (; j < len; j++) store<f32>(d + (<usize>j << 2), load<f32>(s + (<usize>j << 2)));
    }
  }
}

/** pos[q] for the oh×ow outputs of a frame wf wide (bytes). */
export function positions(t: usize, oh: i32, ow: i32, sh: i32, sw: i32, wf: i32): void {
  for (let oy = 0; oy < oh; oy++) {
    for (let ox = 0; ox < ow; ox++) store<u32>(t + (<usize>(oy * ow + ox) << 2), <u32>(oy * sh * wf + ox * sw) << 2);
  }
}

/** off[r] for ch channels of kh×kw taps in a frame of hf×wf planes (bytes). */
export function offsets(t: usize, ch: i32, kh: i32, kw: i32, dh: i32, dw: i32, hf: i32, wf: i32): void {
  let r: usize = 0;
  for (let c = 0; c < ch; c++) {
    for (let a = 0; a < kh; a++) {
      for (let b = 0; b < kw; b++) { store<u32>(t + (r << 2), <u32>((c * hf + a * dh) * wf + b * dw) << 2); r++; }
    }
  }
}

/** Panels of 8 for c columns. */
@inline export function octets(c: i32): usize { return <usize>((c + 7) >> 3); }

/** Frame height and width the forward and weight passes read (rows/columns 0 … last tap). */
@inline export function frameH(oh: i32, sh: i32, kh: i32, dh: i32): i32 { return (oh - 1) * sh + (kh - 1) * dh + 1; }
