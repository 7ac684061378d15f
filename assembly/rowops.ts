// Row helpers shared by reduce.ts and loss.ts. Internal: index.ts must not re-export this file
// (its functions would become extra wasm exports; exporting @inline constants crashes asc 0.28).
// sumRow / maxRow: Σ or max (NaN-propagating, −inf when empty) of n contiguous floats (rowSum: sumRow
// not inlined); expShiftSum: Σ exp(x − m), optionally storing the exponentials; scaleShift:
// out = x·s + t; shift2: out = (x − a) − b; logf: scalar log; dot: Σ a·b.
import { hsum } from './simd';
import { vexp, sexp, vlog, slog, loadPartial, storePartial } from './vmath';

@inline const SUM = 0; @inline const MAX = 1;

/** Σ or max of n contiguous floats. */
@inline function reduceRow(op: i32, x: usize, n: i32): f32 {
  let i = 0;
  let acc: f32 = op == SUM ? 0 : -Infinity;
  if (ASC_FEATURE_SIMD) {
    if (n >= 16) {
      const init = f32x4.splat(acc);
      let a0 = init, a1 = init, a2 = init, a3 = init;
      let nan = f32x4.splat(0);
      for (; i + 16 <= n; i += 16) {
        const p = x + (<usize>i << 2);
        const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
        if (op == SUM) {
          a0 = f32x4.add(a0, v0); a1 = f32x4.add(a1, v1); a2 = f32x4.add(a2, v2); a3 = f32x4.add(a3, v3);
        } else {
          a0 = f32x4.pmax(a0, v0); a1 = f32x4.pmax(a1, v1); a2 = f32x4.pmax(a2, v2); a3 = f32x4.pmax(a3, v3);
          nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)));
          nan = v128.or(nan, v128.or(f32x4.ne(v2, v2), f32x4.ne(v3, v3)));
        }
      }
      for (; i + 4 <= n; i += 4) {
        const v = v128.load(x + (<usize>i << 2));
        if (op == SUM) a0 = f32x4.add(a0, v);
        else { a0 = f32x4.pmax(a0, v); nan = v128.or(nan, f32x4.ne(v, v)); }
      }
      if (op == SUM) acc = hsum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
      else {
        if (v128.any_true(nan)) return NaN;
        const m = f32x4.pmax(f32x4.pmax(a0, a1), f32x4.pmax(a2, a3));
        acc = max<f32>(max<f32>(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)),
          max<f32>(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
      }
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    acc = op == SUM ? acc + v : max<f32>(acc, v);
  }
  return acc;
}

// ---- row-wise softmax family ------------------------------------------------------------------
/** Σ of n contiguous floats (16 lanes of accumulators). */
@inline export function sumRow(x: usize, n: i32): f32 { return reduceRow(SUM, x, n); }
/** sumRow as one shared function (for callers off the hot path of a row loop: one copy in the binary). */
export function rowSum(x: usize, n: i32): f32 { return sumRow(x, n); }
/** max of n contiguous floats; NaN if any is NaN; −inf if n = 0. */
@inline export function maxRow(x: usize, n: i32): f32 { return reduceRow(MAX, x, n); }

/** out[j] = exp(x[j] − m) (written when write), returns Σ. */
@inline export function expShiftSum(out: usize, x: usize, n: i32, m: f32, write: bool): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m);
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const e0 = vexp(f32x4.sub(v128.load(x + o), mv)), e1 = vexp(f32x4.sub(v128.load(x + o, 16), mv));
      if (write) { v128.store(out + o, e0); v128.store(out + o, e1, 16); }
      a0 = f32x4.add(a0, e0); a1 = f32x4.add(a1, e1);
    }
    for (; i < n; i += 4) {
      const o = <usize>i << 2, r = min<i32>(n - i, 4);
      let e = vexp(f32x4.sub(r == 4 ? v128.load(x + o) : loadPartial(x + o, r), mv));
      if (write) { if (r == 4) v128.store(out + o, e); else storePartial(out + o, e, r); }
      if (r < 4) e = v128.and(e, i32x4.gt_s(i32x4.splat(r), i32x4(0, 1, 2, 3)));
      a0 = f32x4.add(a0, e);
    }
    return hsum(f32x4.add(a0, a1));
  }
  for (; i < n; i++) {
    const e = sexp(load<f32>(x + (<usize>i << 2)) - m);
    if (write) store<f32>(out + (<usize>i << 2), e);
    acc += e;
  }
  return acc;
}
/** out[j] = (x[j] − a) − b: x − max is exact near the max, then the small log Σ is subtracted. */
@inline export function shift2(out: usize, x: usize, n: i32, a: f32, b: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(a), bv = f32x4.splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.sub(f32x4.sub(v128.load(x + o), av), bv));
    }
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, (load<f32>(x + o) - a) - b); }
}
/** log s for the row normaliser (vector log in SIMD builds, its scalar twin otherwise). */
@inline export function logf(s: f32): f32 {
  return ASC_FEATURE_SIMD ? f32x4.extract_lane(vlog(f32x4.splat(s)), 0) : slog(s);
}
/** out[j] = x[j]·s + t. */
@inline export function scaleShift(out: usize, x: usize, n: i32, s: f32, t: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const sv = f32x4.splat(s), tv = f32x4.splat(t);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.add(f32x4.mul(v128.load(x + o), sv), tv));
    }
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, load<f32>(x + o) * s + t); }
}

/** Σ_j a[j]·b[j]. */
@inline export function dot(a: usize, b: usize, n: i32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      a0 = f32x4.add(a0, f32x4.mul(v128.load(a + o), v128.load(b + o)));
      a1 = f32x4.add(a1, f32x4.mul(v128.load(a + o, 16), v128.load(b + o, 16)));
    }
    acc = hsum(f32x4.add(a0, a1));
  }
  for (; i < n; i++) { const o = <usize>i << 2; acc += load<f32>(a + o) * load<f32>(b + o); }
  return acc;
}
