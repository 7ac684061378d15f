// Attention softmax over the rows of [rows, cols] scores, contract in src/backend/backend.ts:
// y = softmax(scale·x + m1 + m2) with up to two additive masks (row of mask k: floor(r / div) %
// mRows, so a [T, S] mask, a per-batch [B, S] padding mask and a full mask all broadcast without a
// copy) and an optional causal mask (columns j > r % causal are left out and written as 0, never
// read, never exponentiated). A fully masked row (every z = −inf) gives zeros instead of NaN.
// Backward: dx += scale · y ⊙ (dy − Σ dy·y) over the unmasked prefix of causal rows.
import { maxRow, expShiftSum, scaleShift, dot } from './rowops';

/** out[j] = scale·x[j] + m1[j] + m2[j] for j < n (a mask pointer of 0 is absent). */
@inline function scoreRow(out: usize, x: usize, m1: usize, m2: usize, n: i32, scale: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(scale);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      let z = f32x4.mul(v128.load(x + o), sv);
      if (m1) z = f32x4.add(z, v128.load(m1 + o));
      if (m2) z = f32x4.add(z, v128.load(m2 + o));
      v128.store(out + o, z);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let z = load<f32>(x + o) * scale;
    if (m1) z += load<f32>(m1 + o);
    if (m2) z += load<f32>(m2 + o);
    store<f32>(out + o, z);
  }
}

/** Columns of row r that take part: all, or 0..r % causal for a causal mask. */
@inline function width(r: i32, cols: i32, causal: i32): i32 {
  return causal > 0 ? min<i32>(cols, r % causal + 1) : cols;
}

export function softmax_masked_f32(
  out: usize, x: usize, m1: usize, m1Div: i32, m1Rows: i32, m2: usize, m2Div: i32, m2Rows: i32,
  rows: i32, cols: i32, scale: f32, causal: i32,
): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rb, or = out + <usize>r * rb;
    const n = width(r, cols, causal);
    const p1: usize = m1 ? m1 + <usize>((r / m1Div) % m1Rows) * rb : 0;
    const p2: usize = m2 ? m2 + <usize>((r / m2Div) % m2Rows) * rb : 0;
    scoreRow(or, xr, p1, p2, n, scale);
    const m = maxRow(or, n);
    if (m == -Infinity) {
      memory.fill(or, 0, <usize>n << 2);
    } else {
      const s = expShiftSum(or, or, n, m, true);
      scaleShift(or, or, n, <f32>1 / s, 0);
    }
    if (n < cols) memory.fill(or + (<usize>n << 2), 0, <usize>(cols - n) << 2);
  }
}

export function softmax_masked_backward_f32(
  dx: usize, y: usize, dy: usize, rows: i32, cols: i32, scale: f32, causal: i32,
): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rb;
    const n = width(r, cols, causal);
    const d = dot(y + off, dy + off, n);
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const dv = f32x4.splat(d), sv = f32x4.splat(scale);
      for (; i + 4 <= n; i += 4) {
        const o = off + (<usize>i << 2);
        const g = f32x4.mul(f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(dy + o), dv)), sv);
        v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
      }
    }
    for (; i < n; i++) {
      const o = off + (<usize>i << 2);
      store<f32>(dx + o, load<f32>(dx + o) + load<f32>(y + o) * (load<f32>(dy + o) - d) * scale);
    }
  }
}
