// 2-D pooling over `planes` contiguous h×w planes (contracts in src/backend/backend.ts): max
// pooling with the argmax of each window kept for the backward pass (PyTorch's CPU rule: a value
// replaces the maximum when greater or NaN, so NaN propagates), and average pooling with
// PyTorch's divisor (the window clipped to the padded input, or to the input when
// countIncludePad is 0). Windows start at o·s − p; the output size (ceil mode) is the caller's.

/** y = max over each window, idx (i32) = the flat index in its plane of the value taken. */
export function max_pool2d_f32(
  y: usize, idx: usize, x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32,
): void {
  // 2×2 windows, stride 2, unpadded: four outputs at a time, the last four overlapping the ones
  // before when the full windows are not a multiple of four (the rest below)
  const full = ASC_FEATURE_SIMD && kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 ? min(ow, w >> 1) : 0;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>h * <usize>w) << 2);
    for (let i = 0; i < oh; i++) {
      const h0 = max(i * sh - ph, 0), h1 = min(i * sh - ph + kh, h);
      const o = <usize>((pl * oh + i) * ow) << 2;
      let j = 0;
      if (ASC_FEATURE_SIMD && h1 - h0 == 2 && full >= 4) {
        const r0 = xp + ((<usize>h0 * <usize>w) << 2), r1 = r0 + (<usize>w << 2);
        for (let q = 0; q < full; q += 4) {
          j = min(q, full - 4);
          const c = <usize>j << 3, at0 = o + (<usize>j << 2);
          const a0 = v128.load(r0 + c), a1 = v128.load(r0 + c, 16), b0 = v128.load(r1 + c), b1 = v128.load(r1 + c, 16);
          // PyTorch's order within a window: (0, 0), (0, 1), (1, 0), (1, 1)
          const base = i32x4.add(i32x4.splat(h0 * w + 2 * j), i32x4(0, 2, 4, 6));
          let best = i32x4.shuffle(a0, a1, 0, 2, 4, 6), at = base;
          let v = i32x4.shuffle(a0, a1, 1, 3, 5, 7), u = greaterOrNaN(v, best);
          best = v128.bitselect(v, best, u); at = v128.bitselect(i32x4.add(base, i32x4.splat(1)), at, u);
          v = i32x4.shuffle(b0, b1, 0, 2, 4, 6); u = greaterOrNaN(v, best);
          best = v128.bitselect(v, best, u); at = v128.bitselect(i32x4.add(base, i32x4.splat(w)), at, u);
          v = i32x4.shuffle(b0, b1, 1, 3, 5, 7); u = greaterOrNaN(v, best);
          best = v128.bitselect(v, best, u); at = v128.bitselect(i32x4.add(base, i32x4.splat(w + 1)), at, u);
          v128.store(y + at0, best);
          v128.store(idx + at0, at);
        }
        j = full;
      }
      for (; j < ow; j++) {
        const w0 = max(j * sw - pw, 0), w1 = min(j * sw - pw + kw, w);
        let best: f32 = -Infinity, at = h0 * w + w0;
        for (let r = h0; r < h1; r++) {
          for (let c = w0; c < w1; c++) {
            const v = load<f32>(xp + (<usize>(r * w + c) << 2));
            if (v > best || v != v) { best = v; at = r * w + c; }
          }
        }
        const oj = o + (<usize>j << 2);
        store<f32>(y + oj, best);
        store<i32>(idx + oj, at);
      }
    }
  }
}

/** Lanes where v replaces the running maximum (PyTorch: greater, or NaN). */
@inline function greaterOrNaN(v: v128, best: v128): v128 { return v128.or(f32x4.gt(v, best), f32x4.ne(v, v)); }

/** dx[plane][idx] += dy for every output; overwrite: dx = those sums, 0 where no output took the
 * input. Overwriting with 2×2 stride-2 unpadded windows inside the input (each input in at most
 * one window) writes every input directly, four windows at a time; otherwise dx is zeroed first. */
export function max_pool2d_backward_f32(
  dx: usize, idx: usize, dy: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, overwrite: i32,
): void {
  const hw = <usize>h * <usize>w, ohw = <usize>oh * <usize>ow;
  if (ASC_FEATURE_SIMD && overwrite && kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0 && 2 * oh <= h && 2 * ow <= w) {
    for (let pl = 0; pl < planes; pl++) {
      const dp = dx + ((<usize>pl * hw) << 2), o0 = (<usize>pl * ohw) << 2;
      for (let i = 0; i < oh; i++) {
        const r0 = dp + ((<usize>(2 * i) * <usize>w) << 2), r1 = r0 + (<usize>w << 2), oi = o0 + ((<usize>i * <usize>ow) << 2);
        let j = 0;
        for (; j + 4 <= ow; j += 4) {
          const iv = v128.load(idx + oi + (<usize>j << 2)), gv = v128.load(dy + oi + (<usize>j << 2));
          const ia = i32x4.shuffle(iv, iv, 0, 0, 1, 1), ib = i32x4.shuffle(iv, iv, 2, 2, 3, 3);
          const ga = i32x4.shuffle(gv, gv, 0, 0, 1, 1), gb = i32x4.shuffle(gv, gv, 2, 2, 3, 3);
          const pa = i32x4.add(i32x4.splat(2 * i * w + 2 * j), i32x4(0, 1, 2, 3)), pb = i32x4.add(pa, i32x4.splat(4));
          const down = i32x4.splat(w), c = <usize>j << 3;
          v128.store(r0 + c, v128.and(ga, i32x4.eq(ia, pa))); v128.store(r0 + c, v128.and(gb, i32x4.eq(ib, pb)), 16);
          v128.store(r1 + c, v128.and(ga, i32x4.eq(ia, i32x4.add(pa, down))));
          v128.store(r1 + c, v128.and(gb, i32x4.eq(ib, i32x4.add(pb, down))), 16);
        }
        for (; j < ow; j++) {
          const at = load<i32>(idx + oi + (<usize>j << 2)), g = load<f32>(dy + oi + (<usize>j << 2)), p = 2 * i * w + 2 * j;
          store<f32>(r0 + (<usize>(2 * j) << 2), at == p ? g : 0); store<f32>(r0 + (<usize>(2 * j + 1) << 2), at == p + 1 ? g : 0);
          store<f32>(r1 + (<usize>(2 * j) << 2), at == p + w ? g : 0); store<f32>(r1 + (<usize>(2 * j + 1) << 2), at == p + w + 1 ? g : 0);
        }
        for (let q = 2 * ow; q < w; q++) { store<f32>(r0 + (<usize>q << 2), 0); store<f32>(r1 + (<usize>q << 2), 0); }
      }
      memory.fill(dp + ((<usize>(2 * oh) * <usize>w) << 2), 0, (<usize>(h - 2 * oh) * <usize>w) << 2);
    }
    return;
  }
  if (overwrite) memory.fill(dx, 0, (<usize>planes * hw) << 2);
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const dp = dx + ((<usize>pl * hw) << 2);
    for (let j: usize = 0; j < ohw; j++) {
      const at = dp + (<usize>load<i32>(idx + o) << 2);
      store<f32>(at, load<f32>(at) + load<f32>(dy + o));
      o += 4;
    }
  }
}

/** Average pooling forward (backward: gradient += dy / divisor over each window). */
function avgPool(
  back: bool, y: usize, x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, countIncludePad: i32,
): void {
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>h * <usize>w) << 2);
    for (let i = 0; i < oh; i++) {
      const hs = i * sh - ph, he = min(hs + kh, h + ph), h0 = max(hs, 0), h1 = min(he, h);
      for (let j = 0; j < ow; j++) {
        const ws = j * sw - pw, we = min(ws + kw, w + pw), w0 = max(ws, 0), w1 = min(we, w);
        const div = countIncludePad ? (he - hs) * (we - ws) : (h1 - h0) * (w1 - w0);
        if (back) {
          const g = load<f32>(y + o) / <f32>div;
          for (let r = h0; r < h1; r++) {
            for (let c = w0; c < w1; c++) {
              const at = xp + (<usize>(r * w + c) << 2);
              store<f32>(at, load<f32>(at) + g);
            }
          }
        } else {
          let s: f32 = 0;
          for (let r = h0; r < h1; r++) for (let c = w0; c < w1; c++) s += load<f32>(xp + (<usize>(r * w + c) << 2));
          store<f32>(y + o, s / <f32>div);
        }
        o += 4;
      }
    }
  }
}

/** y = mean of each window (PyTorch's divisor, see the header). */
export function avg_pool2d_f32(
  y: usize, x: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, countIncludePad: i32,
): void {
  avgPool(false, y, x, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, countIncludePad);
}

/** dx += dy / divisor over each window. */
export function avg_pool2d_backward_f32(
  dx: usize, dy: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32,
  kh: i32, kw: i32, sh: i32, sw: i32, ph: i32, pw: i32, countIncludePad: i32,
): void {
  avgPool(true, dy, dx, planes, h, w, oh, ow, kh, kw, sh, sw, ph, pw, countIncludePad);
}
