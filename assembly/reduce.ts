// Reductions over the middle axis of a contiguous [outer, len, inner] view into out[outer, inner]
// (sum, mean, max with NaN propagation and −inf for len = 0, argmax: first maximum, NaN counts as
// the maximum, −1 for len = 0), and row-wise softmax / log-softmax with their backward passes.
// inner = 1: 16-lane horizontal accumulation; inner > 1: vertical accumulation into out, one input
// row at a time (contiguous streaming, out stays in L1).
import { vexp, sexp, loadPartial, storePartial } from './vmath';
import { sumRow, maxRow, expShiftSum, scaleShift, shift2, logf, dot } from './rowops';

@inline const SUM = 0; @inline const MAX = 1;

/** out[i] (+)= x[i] or max over n floats; init = overwrite. */
@inline function combineRow(op: i32, out: usize, x: usize, n: i32, init: bool): void {
  let i = 0;
  if (init) { memory.copy(out, x, <usize>n << 2); return; }
  if (ASC_FEATURE_SIMD) {
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const x0 = v128.load(x + o), x1 = v128.load(x + o, 16);
      if (op == SUM) {
        v128.store(out + o, f32x4.add(v128.load(out + o), x0));
        v128.store(out + o, f32x4.add(v128.load(out + o, 16), x1), 16);
      } else {
        v128.store(out + o, f32x4.max(v128.load(out + o), x0));
        v128.store(out + o, f32x4.max(v128.load(out + o, 16), x1), 16);
      }
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const r = op == SUM ? f32x4.add(v128.load(out + o), v128.load(x + o))
        : f32x4.max(v128.load(out + o), v128.load(x + o));
      v128.store(out + o, r);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const a = load<f32>(out + o), b = load<f32>(x + o);
    store<f32>(out + o, op == SUM ? a + b : max<f32>(a, b));
  }
}

@inline function reduce(op: i32, out: usize, x: usize, outer: i32, len: i32, inner: i32, scale: bool): void {
  const s: f32 = <f32>1 / <f32>len;
  if (inner == 1) {
    for (let o = 0; o < outer; o++) {
      const xo = x + ((<usize>o * <usize>len) << 2);
      const r = op == SUM ? sumRow(xo, len) : maxRow(xo, len);
      store<f32>(out + (<usize>o << 2), scale ? r * s : r);
    }
    return;
  }
  const rowBytes = <usize>inner << 2;
  // column blocks of ≤ 2048 floats keep the accumulator row in L1
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>len * rowBytes, oo = out + <usize>o * rowBytes;
    for (let c = 0; c < inner; c += 2048) {
      const w = min<i32>(2048, inner - c);
      const ob = oo + (<usize>c << 2);
      if (len == 0) {
        for (let i = 0; i < w; i++) store<f32>(ob + (<usize>i << 2), op == SUM ? (scale ? NaN : 0) : -Infinity);
        continue;
      }
      for (let l = 0; l < len; l++) combineRow(op, ob, xo + <usize>l * rowBytes + (<usize>c << 2), w, l == 0);
      if (scale) for (let i = 0; i < w; i++) store<f32>(ob + (<usize>i << 2), load<f32>(ob + (<usize>i << 2)) * s);
    }
  }
}

export function sum_f32(out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  reduce(SUM, out, x, outer, len, inner, false);
}
export function mean_f32(out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  reduce(SUM, out, x, outer, len, inner, true);
}
export function max_f32(out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  reduce(MAX, out, x, outer, len, inner, false);
}
/** First index of the maximum (NaN wins, first NaN); −1 when len = 0. */
export function argmax_f32(out: usize, x: usize, outer: i32, len: i32, inner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = x + ((<usize>o * <usize>len * <usize>inner + <usize>i) << 2);
      const step = <usize>inner << 2;
      let best: f32 = -Infinity, idx = len > 0 ? 0 : -1;
      if (len > 0) best = load<f32>(base);
      for (let l = 1; l < len && best == best; l++) {
        const v = load<f32>(base + <usize>l * step);
        if (v > best || v != v) { best = v; idx = l; }
      }
      store<i32>(out + ((<usize>o * <usize>inner + <usize>i) << 2), idx);
    }
  }
}

export function softmax_f32(out: usize, x: usize, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rb, or = out + <usize>r * rb;
    const m = maxRow(xr, cols);
    const s = expShiftSum(or, xr, cols, m, true);
    scaleShift(or, or, cols, <f32>1 / s, 0);
  }
}
export function log_softmax_f32(out: usize, x: usize, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rb, or = out + <usize>r * rb;
    const m = maxRow(xr, cols);
    const s = expShiftSum(or, xr, cols, m, false);
    shift2(or, xr, cols, m, logf(s));
  }
}
/** dx += y ⊙ (dy − Σ dy·y). */
export function softmax_backward_f32(dx: usize, y: usize, dy: usize, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const d = dot(y + off, dy + off, cols);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const dv = f32x4.splat(d);
      for (; i + 4 <= cols; i += 4) {
        const o = off + (<usize>i << 2);
        const g = f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(dy + o), dv));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
    }
    for (; i < cols; i++) {
      const o = off + (<usize>i << 2);
      store<f32>(dx + o, load<f32>(dx + o) + load<f32>(y + o) * (load<f32>(dy + o) - d));
    }
  }
}
/** dx += dy − exp(y)·Σ dy. */
export function log_softmax_backward_f32(dx: usize, y: usize, dy: usize, rows: i32, cols: i32): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const s = sumRow(dy + off, cols);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const sv = f32x4.splat(s);
      for (; i + 4 <= cols; i += 4) {
        const o = off + (<usize>i << 2);
        const g = f32x4.sub(v128.load(dy + o), f32x4.mul(vexp(v128.load(y + o)), sv));
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
      if (i < cols) {
        const o = off + (<usize>i << 2), n = cols - i;
        const g = f32x4.sub(loadPartial(dy + o, n), f32x4.mul(vexp(loadPartial(y + o, n)), sv));
        storePartial(dx + o, f32x4.add(loadPartial(dx + o, n), g), n);
      }
    } else {
      for (; i < cols; i++) {
        const o = off + (<usize>i << 2);
        store<f32>(dx + o, load<f32>(dx + o) + (load<f32>(dy + o) - sexp(load<f32>(y + o)) * s));
      }
    }
  }
}
