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
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + ((<usize>pl * <usize>h * <usize>w) << 2);
    for (let i = 0; i < oh; i++) {
      const h0 = max(i * sh - ph, 0), h1 = min(i * sh - ph + kh, h);
      for (let j = 0; j < ow; j++) {
        const w0 = max(j * sw - pw, 0), w1 = min(j * sw - pw + kw, w);
        let best: f32 = -Infinity, at = h0 * w + w0;
        for (let r = h0; r < h1; r++) {
          for (let c = w0; c < w1; c++) {
            const v = load<f32>(xp + (<usize>(r * w + c) << 2));
            if (v > best || v != v) { best = v; at = r * w + c; }
          }
        }
        store<f32>(y + o, best);
        store<i32>(idx + o, at);
        o += 4;
      }
    }
  }
}

/** dx[plane][idx] += dy for every output (planes of hw inputs and ohw outputs). */
export function max_pool2d_backward_f32(dx: usize, idx: usize, dy: usize, planes: i32, hw: i32, ohw: i32): void {
  let o: usize = 0;
  for (let pl = 0; pl < planes; pl++) {
    const dp = dx + ((<usize>pl * <usize>hw) << 2);
    for (let j = 0; j < ohw; j++) {
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
