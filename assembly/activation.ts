// Unary elementwise kernels and their backward passes (Kernels: neg … pow_scalar in backend.ts).
// Forward: out[i] = f(x[i]) (out may equal x). Backward: dx[i] += dy[i]·f'(x[i]) (y = f(x) given),
// or dx[i] = dy[i]·f'(x[i]) when `over` is 1 (a fresh gradient buffer: no zero-fill, no read).
// Each kernel is one specialisation of the inlined maps below (op is a compile-time constant), with
// an f32x4 body and a partial-vector tail in SIMD builds, and the scalar twin (vmath.ts) otherwise.
import { madd } from './simd';
import {
  vexp, sexp, vlog, slog, vtanh, stanh, vsigmoid, ssigmoid, vphi, sphi, vnpdf, snpdf,
  loadPartial, storePartial, pow64,
} from './vmath';

@inline const NEG = 0; @inline const ABS = 1; @inline const EXP = 2; @inline const LOG = 3;
@inline const SQRT = 4; @inline const TANH = 5; @inline const SIGMOID = 6; @inline const RELU = 7;
@inline const GELU = 8; @inline const SILU = 9; @inline const LEAKY = 10; @inline const SQUARE = 11;
@inline const RECIP = 12; @inline const COPY = 13;

@inline function vf(op: i32, x: v128, p: v128): v128 {
  if (op == NEG) return f32x4.neg(x);
  if (op == ABS) return f32x4.abs(x);
  if (op == EXP) return vexp(x);
  if (op == LOG) return vlog(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == TANH) return vtanh(x);
  if (op == SIGMOID) return vsigmoid(x);
  if (op == RELU) return f32x4.pmax(x, f32x4.splat(0)); // x < 0 ? 0 : x (NaN kept)
  if (op == GELU) return f32x4.mul(x, vphi(x));
  if (op == SILU) return f32x4.mul(x, vsigmoid(x));
  if (op == LEAKY) return v128.bitselect(x, f32x4.mul(x, p), f32x4.gt(x, f32x4.splat(0)));
  if (op == SQUARE) return f32x4.mul(x, x);
  if (op == RECIP) return f32x4.div(f32x4.splat(1), x);
  return x;
}
/** c ? a : b without a branch: V8 lowers f32 select to a branch (mispredicted on random signs)
 * but i32 select to cmov. */
@inline function fsel(a: f32, b: f32, c: bool): f32 {
  return reinterpret<f32>(select<i32>(reinterpret<i32>(a), reinterpret<i32>(b), c));
}
@inline function sf(op: i32, x: f32, p: f32): f32 {
  if (op == NEG) return -x;
  if (op == ABS) return abs<f32>(x);
  if (op == EXP) return sexp(x);
  if (op == LOG) return slog(x);
  if (op == SQRT) return sqrt<f32>(x);
  if (op == TANH) return stanh(x);
  if (op == SIGMOID) return ssigmoid(x);
  if (op == RELU) return fsel(0, x, x < 0);
  if (op == GELU) return x * sphi(x);
  if (op == SILU) return x * ssigmoid(x);
  if (op == LEAKY) return fsel(x, x * p, x > 0);
  if (op == SQUARE) return x * x;
  if (op == RECIP) return <f32>1 / x;
  return x;
}
/** f'(x)·dy given x, y = f(x). */
@inline function vg(op: i32, x: v128, y: v128, dy: v128, p: v128): v128 {
  const zero = f32x4.splat(0);
  if (op == NEG) return f32x4.neg(dy);
  if (op == ABS) {
    const pos = v128.and(dy, f32x4.gt(x, zero));
    return v128.or(pos, v128.and(f32x4.neg(dy), f32x4.lt(x, zero)));
  }
  if (op == EXP) return f32x4.mul(dy, y);
  if (op == LOG) return f32x4.div(dy, x);
  if (op == SQRT) return f32x4.div(f32x4.mul(dy, f32x4.splat(0.5)), y);
  if (op == TANH) return f32x4.mul(dy, f32x4.sub(f32x4.splat(1), f32x4.mul(y, y)));
  if (op == SIGMOID) return f32x4.mul(dy, f32x4.mul(y, f32x4.sub(f32x4.splat(1), y)));
  if (op == RELU) return v128.and(dy, f32x4.gt(x, zero));
  if (op == GELU) return f32x4.mul(dy, madd(x, vnpdf(x), vphi(x)));
  if (op == SILU) {
    const s = vsigmoid(x);
    return f32x4.mul(dy, f32x4.mul(s, madd(x, f32x4.sub(f32x4.splat(1), s), f32x4.splat(1))));
  }
  if (op == LEAKY) return v128.bitselect(dy, f32x4.mul(dy, p), f32x4.gt(x, zero));
  if (op == SQUARE) return f32x4.mul(dy, f32x4.add(x, x));
  if (op == RECIP) return f32x4.neg(f32x4.mul(dy, f32x4.mul(y, y)));
  return dy;
}
@inline function sg(op: i32, x: f32, y: f32, dy: f32, p: f32): f32 {
  if (op == NEG) return -dy;
  if (op == ABS) return fsel(dy, fsel(-dy, 0, x < 0), x > 0);
  if (op == EXP) return dy * y;
  if (op == LOG) return dy / x;
  if (op == SQRT) return (dy * 0.5) / y;
  if (op == TANH) return dy * (1 - y * y);
  if (op == SIGMOID) return dy * (y * (1 - y));
  if (op == RELU) return fsel(dy, 0, x > 0);
  if (op == GELU) return dy * (x * snpdf(x) + sphi(x));
  if (op == SILU) { const s = ssigmoid(x); return dy * (s * (x * (1 - s) + 1)); }
  if (op == LEAKY) return fsel(dy, dy * p, x > 0);
  if (op == SQUARE) return dy * (x + x);
  if (op == RECIP) return -(dy * (y * y));
  return dy;
}

@inline function unary(op: i32, out: usize, x: usize, n: i32, p: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = f32x4.splat(p);
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const a = v128.load(x + o);
      const b = v128.load(x + o, 16);
      v128.store(out + o, vf(op, a, pv));
      v128.store(out + o, vf(op, b, pv), 16);
    }
    if (i + 4 <= n) {
      v128.store(out + (<usize>i << 2), vf(op, v128.load(x + (<usize>i << 2)), pv));
      i += 4;
    }
    if (i < n) {
      const o = <usize>i << 2;
      storePartial(out + o, vf(op, loadPartial(x + o, n - i), pv), n - i);
    }
  } else {
    for (; i < n; i++) {
      const o = <usize>i << 2;
      store<f32>(out + o, sf(op, load<f32>(x + o), p));
    }
  }
}

/** needs: 1 = x, 2 = y (bit mask) — loads only what the derivative reads; over: write, not add. */
@inline function unaryBack(op: i32, needs: i32, dx: usize, x: usize, y: usize, dy: usize, n: i32, p: f32, over: i32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const pv = f32x4.splat(p);
    let xv = f32x4.splat(0), yv = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      if (needs & 1) xv = v128.load(x + o);
      if (needs & 2) yv = v128.load(y + o);
      const g = vg(op, xv, yv, v128.load(dy + o), pv);
      v128.store(dx + o, over ? g : f32x4.add(v128.load(dx + o), g));
    }
    if (i < n) {
      const o = <usize>i << 2, r = n - i;
      if (needs & 1) xv = loadPartial(x + o, r);
      if (needs & 2) yv = loadPartial(y + o, r);
      const g = vg(op, xv, yv, loadPartial(dy + o, r), pv);
      storePartial(dx + o, over ? g : f32x4.add(loadPartial(dx + o, r), g), r);
    }
  } else {
    for (; i < n; i++) {
      const o = <usize>i << 2;
      const xs: f32 = (needs & 1) ? load<f32>(x + o) : 0;
      const ys: f32 = (needs & 2) ? load<f32>(y + o) : 0;
      const g = sg(op, xs, ys, load<f32>(dy + o), p);
      store<f32>(dx + o, over ? g : load<f32>(dx + o) + g);
    }
  }
}

export function neg_f32(out: usize, x: usize, n: i32): void { unary(NEG, out, x, n, 0); }
export function abs_f32(out: usize, x: usize, n: i32): void { unary(ABS, out, x, n, 0); }
export function exp_f32(out: usize, x: usize, n: i32): void { unary(EXP, out, x, n, 0); }
export function log_f32(out: usize, x: usize, n: i32): void { unary(LOG, out, x, n, 0); }
export function sqrt_f32(out: usize, x: usize, n: i32): void { unary(SQRT, out, x, n, 0); }
export function tanh_f32(out: usize, x: usize, n: i32): void { unary(TANH, out, x, n, 0); }
export function sigmoid_f32(out: usize, x: usize, n: i32): void { unary(SIGMOID, out, x, n, 0); }
export function relu_f32(out: usize, x: usize, n: i32): void { unary(RELU, out, x, n, 0); }
export function gelu_f32(out: usize, x: usize, n: i32): void { unary(GELU, out, x, n, 0); }
export function silu_f32(out: usize, x: usize, n: i32): void { unary(SILU, out, x, n, 0); }
export function leaky_relu_f32(out: usize, x: usize, n: i32, p: f32): void { unary(LEAKY, out, x, n, p); }

export function neg_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(NEG, 0, dx, x, y, dy, n, 0, over); }
export function abs_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(ABS, 1, dx, x, y, dy, n, 0, over); }
export function exp_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(EXP, 2, dx, x, y, dy, n, 0, over); }
export function log_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(LOG, 1, dx, x, y, dy, n, 0, over); }
export function sqrt_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(SQRT, 2, dx, x, y, dy, n, 0, over); }
export function tanh_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(TANH, 2, dx, x, y, dy, n, 0, over); }
export function sigmoid_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(SIGMOID, 2, dx, x, y, dy, n, 0, over); }
export function relu_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(RELU, 1, dx, x, y, dy, n, 0, over); }
export function gelu_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(GELU, 1, dx, x, y, dy, n, 0, over); }
export function silu_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, over: i32): void { unaryBack(SILU, 1, dx, x, y, dy, n, 0, over); }
export function leaky_relu_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, p: f32, over: i32): void { unaryBack(LEAKY, 1, dx, x, y, dy, n, p, over); }

/** out = x ** p: exact fast paths for p ∈ {1, 2, −1}, else f64 pow per element (Math.pow semantics). */
export function pow_scalar_f32(out: usize, x: usize, n: i32, p: f32): void {
  if (p == 1) { if (out != x) memory.copy(out, x, <usize>n << 2); return; }
  if (p == 2) { unary(SQUARE, out, x, n, 0); return; }
  if (p == -1) { unary(RECIP, out, x, n, 0); return; }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, <f32>pow64(<f64>load<f32>(x + o), <f64>p));
  }
}
/** dx += dy·p·x^(p−1) (over: dx = …); p = 0 contributes nothing. */
export function pow_scalar_backward_f32(dx: usize, x: usize, y: usize, dy: usize, n: i32, p: f32, over: i32): void {
  if (p == 0) { if (over) memory.fill(dx, 0, <usize>n << 2); return; }
  if (p == 1) { unaryBack(COPY, 0, dx, x, y, dy, n, 0, over); return; }
  if (p == 2) { unaryBack(SQUARE, 1, dx, x, y, dy, n, 0, over); return; }
  for (let i = 0; i < n; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(dy + o) * <f32>(<f64>p * pow64(<f64>load<f32>(x + o), <f64>p - 1.0));
    store<f32>(dx + o, over ? g : load<f32>(dx + o) + g);
  }
}
