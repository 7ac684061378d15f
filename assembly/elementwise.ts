// Binary elementwise kernels over a 2-D broadcast view, plus affine and fill (backend.ts: BinaryKernel).
// out[o*inner + i] = op(a[o*aOuter + i*aInner], b[o*bOuter + i*bInner]); aInner/bInner ∈ {0, 1}.
// Paths: fully contiguous → one flat loop; per row: both contiguous, one side a per-row scalar
// (inner stride 0, splatted), both scalars (fill). maximum/minimum propagate NaN (f32x4.max/min
// semantics, as Math.max/min). pow is evaluated per element in f64 (Math.pow semantics).
import { madd } from './simd';
import { pow64 } from './vmath';

@inline const ADD = 0; @inline const SUB = 1; @inline const MUL = 2; @inline const DIV = 3;
@inline const MAX = 4; @inline const MIN = 5;

@inline function vop(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAX) return f32x4.max(a, b);
  return f32x4.min(a, b);
}
@inline function sop(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == DIV) return a / b;
  if (op == MAX) return max<f32>(a, b);
  return min<f32>(a, b);
}

/** One row of n: a and b contiguous (sa = sb = 1) or a per-row scalar (stride 0). */
@inline function row(op: i32, out: usize, a: usize, b: usize, n: i32, sa: i32, sb: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (sa == 0 && sb == 0) {
      const v = sop(op, load<f32>(a), load<f32>(b));
      const vv = f32x4.splat(v);
      for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), vv);
      for (; i < n; i++) store<f32>(out + (<usize>i << 2), v);
      return;
    }
    const as = f32x4.splat(load<f32>(a)), bs = f32x4.splat(load<f32>(b));
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      const a0 = sa ? v128.load(a + o) : as, a1 = sa ? v128.load(a + o, 16) : as;
      const a2 = sa ? v128.load(a + o, 32) : as, a3 = sa ? v128.load(a + o, 48) : as;
      const b0 = sb ? v128.load(b + o) : bs, b1 = sb ? v128.load(b + o, 16) : bs;
      const b2 = sb ? v128.load(b + o, 32) : bs, b3 = sb ? v128.load(b + o, 48) : bs;
      v128.store(out + o, vop(op, a0, b0));
      v128.store(out + o, vop(op, a1, b1), 16);
      v128.store(out + o, vop(op, a2, b2), 32);
      v128.store(out + o, vop(op, a3, b3), 48);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, vop(op, sa ? v128.load(a + o) : as, sb ? v128.load(b + o) : bs));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, sop(op, load<f32>(a + (sa ? o : 0)), load<f32>(b + (sb ? o : 0))));
  }
}

@inline function binary(
  op: i32, out: usize, a: usize, b: usize, outer: i32, inner: i32,
  aOuter: i32, aInner: i32, bOuter: i32, bInner: i32,
): void {
  if (outer <= 0 || inner <= 0) return;
  // whole view contiguous on both sides (or a global scalar): one flat row through the loop below
  const aFlat = aInner == 1 ? aOuter == inner : aOuter == 0;
  const bFlat = bInner == 1 ? bOuter == inner : bOuter == 0;
  if (aFlat && bFlat && (aInner | bInner) != 0) { inner *= outer; outer = 1; }
  const rowBytes = <usize>inner << 2;
  const aStep = <usize>aOuter << 2, bStep = <usize>bOuter << 2;
  for (let o = 0; o < outer; o++) {
    if (aInner && bInner) row(op, out, a, b, inner, 1, 1);
    else if (aInner) row(op, out, a, b, inner, 1, 0);
    else if (bInner) row(op, out, a, b, inner, 0, 1);
    else row(op, out, a, b, inner, 0, 0);
    out += rowBytes; a += aStep; b += bStep;
  }
}

export function add_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(ADD, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
export function sub_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(SUB, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
export function mul_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(MUL, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
export function div_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(DIV, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
export function maximum_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(MAX, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
export function minimum_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  binary(MIN, out, a, b, outer, inner, aOuter, aInner, bOuter, bInner);
}
/** a ** b per element in f64 (Math.pow semantics), rounded to f32. */
export function pow_f32(out: usize, a: usize, b: usize, outer: i32, inner: i32, aOuter: i32, aInner: i32, bOuter: i32, bInner: i32): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const av = load<f32>(a + ((<usize>(o * aOuter + i * aInner)) << 2));
      const bv = load<f32>(b + ((<usize>(o * bOuter + i * bInner)) << 2));
      store<f32>(out + ((<usize>(o * inner + i)) << 2), <f32>pow64(<f64>av, <f64>bv));
    }
  }
}

/** out[i] = x[i]·alpha + beta (fused multiply-add in the relaxed build). */
export function affine_f32(out: usize, x: usize, n: i32, alpha: f32, beta: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const av = f32x4.splat(alpha), bv = f32x4.splat(beta);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const x0 = v128.load(x + o), x1 = v128.load(x + o, 16);
      v128.store(out + o, madd(x0, av, bv));
      v128.store(out + o, madd(x1, av, bv), 16);
    }
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, madd(v128.load(x + o), av, bv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(x + o) * alpha + beta);
  }
}

/** out[i] = value. */
export function fill_f32(out: usize, n: i32, value: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const v = f32x4.splat(value);
    for (; i + 16 <= n; i += 16) {
      const o = <usize>i << 2;
      v128.store(out + o, v); v128.store(out + o, v, 16);
      v128.store(out + o, v, 32); v128.store(out + o, v, 48);
    }
    for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v);
  }
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), value);
}
