// Vector (f32x4) and scalar math approximations used by the kernels. No tables, no static data.
// Contract: each vector function has a scalar twin computing the same polynomial (used by the scalar
// build, so simd and scalar results agree to the last bit up to FMA contraction in relaxed).
// Accuracy (float32, full range; measured in tests/backend/vmath.test.ts): exp, log, sigmoid, tanh
// within a few ulp; erfc-based gelu ~1e-6 relative. Specials: exp overflows to +inf, underflows
// through subnormals to 0; log(0) = -inf, log(<0) = NaN, log(inf) = inf; NaN propagates everywhere.
// Also f64 scalar exp/log/sin/cos/pow (Math.pow semantics) for random normals and pow: AssemblyScript's
// Math.* would link lookup tables (memory.data), which the kernel ABI forbids.
import { madd } from './simd';

@inline function sp(c: f32): v128 { return f32x4.splat(c); }

// ---- partial vectors for SIMD tails (r = 1..3 lanes) ------------------------------------------
@inline export function loadPartial(p: usize, r: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (r > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (r > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}
@inline export function storePartial(p: usize, v: v128, r: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (r > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (r > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// ---- exp --------------------------------------------------------------------------------------
// x = n·ln2 + r, |r| ≤ ln2/2 (x clamped to [−125, 89]); e^r = 1 + r + r²·P(r); 2^n applied as 2^(n>>1)·2^(n−(n>>1)) so
// results reach subnormals and overflow to +inf without special cases.
@inline const E_C1: f32 = 0.693359375;
@inline const E_C2: f32 = -2.12194440e-4;
@inline export function vexp(x: v128): v128 { return vexpHL(x, f32x4.splat(0), false); }
/** e^(hi + lo) for a correction |lo| ≪ |hi|: lo joins the reduced argument after the exact hi − n·C1. */
@inline export function vexpHL(x0: v128, lo: v128, useLo: bool = true): v128 {
  const x = f32x4.pmax(f32x4.pmin(x0, sp(89.0)), sp(-125.0)); // NaN stays NaN
  // n = round(x·log2e) via the 1.5·2^23 shifter: t's low mantissa bits hold n as an integer
  const t = madd(useLo ? f32x4.add(x, lo) : x, sp(1.44269504088896341), sp(12582912.0));
  const n = f32x4.sub(t, sp(12582912.0));
  let r = madd(n, sp(-E_C1), x); // exact (Sterbenz)
  if (useLo) r = f32x4.add(r, lo);
  r = madd(n, sp(-E_C2), r);
  let p = madd(sp(1.9790242367889732e-4), r, sp(1.3944657985121012e-3));
  p = madd(p, r, sp(8.333497680723667e-3));
  p = madd(p, r, sp(4.166629537940025e-2));
  p = madd(p, r, sp(1.666666567325592e-1));
  p = madd(p, r, sp(0.5));
  p = f32x4.add(madd(f32x4.mul(r, r), p, r), sp(1.0));
  const ni = i32x4.sub(t, i32x4.splat(0x4b400000));
  const n1 = i32x4.shr_s(ni, 1);
  const n2 = i32x4.sub(ni, n1);
  const s1 = i32x4.shl(i32x4.add(n1, i32x4.splat(127)), 23);
  const s2 = i32x4.shl(i32x4.add(n2, i32x4.splat(127)), 23);
  return f32x4.mul(f32x4.mul(p, s1), s2);
}
@inline export function sexp(x: f32): f32 { return sexpHL(x, 0); }
@inline export function sexpHL(x0: f32, lo: f32): f32 {
  if (x0 != x0) return x0;
  const x = max<f32>(min<f32>(x0, 89.0), -125.0);
  const t: f32 = (x + lo) * 1.44269504088896341 + 12582912.0;
  const n = t - 12582912.0;
  let r = x - n * E_C1;
  r = r + lo;
  r = r - n * E_C2;
  let p: f32 = 1.9790242367889732e-4 * r + 1.3944657985121012e-3;
  p = p * r + 8.333497680723667e-3;
  p = p * r + 4.166629537940025e-2;
  p = p * r + 1.666666567325592e-1;
  p = p * r + 0.5;
  p = ((r * r) * p + r) + 1.0;
  const ni = reinterpret<i32>(t) - 0x4b400000;
  const n1 = ni >> 1;
  const n2 = ni - n1;
  return p * reinterpret<f32>((n1 + 127) << 23) * reinterpret<f32>((n2 + 127) << 23);
}

// ---- log --------------------------------------------------------------------------------------
// x = m·2^e, m ∈ [√½, √2); log(1+f) = f − f²/2 + f³·P(f), f = m − 1.
@inline export function vlog(x: v128): v128 {
  const small = f32x4.lt(x, sp(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, sp(8388608.0)), x, small);
  const bits = xs;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(small, i32x4.splat(23)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x007fffff)), i32x4.splat(0x3f000000));
  const lt = f32x4.lt(m, sp(0.707106781186547524));
  e = i32x4.add(e, lt); // lt lanes are −1
  m = v128.bitselect(f32x4.add(m, m), m, lt);
  const f = f32x4.sub(m, sp(1.0));
  const z = f32x4.mul(f, f);
  let p = madd(sp(0.06746669858694077), f, sp(-0.11675818264484406));
  p = madd(p, f, sp(0.11888238042593002));
  p = madd(p, f, sp(-0.12405561655759811));
  p = madd(p, f, sp(0.14219537377357483));
  p = madd(p, f, sp(-0.1666799783706665));
  p = madd(p, f, sp(0.2000211924314499));
  p = madd(p, f, sp(-0.25000008940696716));
  p = madd(p, f, sp(0.3333331346511841));
  const ef = f32x4.convert_i32x4_s(e);
  let y = madd(f32x4.mul(p, f), z, f32x4.mul(ef, sp(E_C2)));
  y = madd(z, sp(-0.5), y);
  let res = f32x4.add(madd(ef, sp(E_C1), y), f);
  const passthru = v128.or(f32x4.ne(x, x), f32x4.eq(x, sp(Infinity)));
  res = v128.bitselect(x, res, passthru);
  res = v128.bitselect(sp(-Infinity), res, f32x4.eq(x, sp(0)));
  return v128.bitselect(sp(NaN), res, f32x4.lt(x, sp(0)));
}
@inline export function slog(x: f32): f32 {
  if (!(x > 0) || x == Infinity) return x == 0 ? -Infinity : x < 0 ? NaN : x;
  let xs = x;
  let e: i32 = -126;
  if (x < 1.17549435e-38) { xs = x * 8388608.0; e -= 23; }
  const bits = reinterpret<i32>(xs);
  e += bits >>> 23;
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000);
  if (m < 0.707106781186547524) { e -= 1; m = m + m; }
  const f = m - 1.0;
  const z = f * f;
  let p: f32 = 0.06746669858694077 * f + -0.11675818264484406;
  p = p * f + 0.11888238042593002;
  p = p * f + -0.12405561655759811;
  p = p * f + 0.14219537377357483;
  p = p * f + -0.1666799783706665;
  p = p * f + 0.2000211924314499;
  p = p * f + -0.25000008940696716;
  p = p * f + 0.3333331346511841;
  const ef = <f32>e;
  let y = (p * f) * z + ef * E_C2;
  y = z * -0.5 + y;
  return (ef * E_C1 + y) + f;
}

// ---- tanh, sigmoid ----------------------------------------------------------------------------
// |x| < 0.625: x + x³·P(x²); else sign(x)·(1 − 2/(e^{2|x|} + 1)).
@inline export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = madd(sp(-0.005716988351196051), z, sp(0.020650532096624374));
  p = madd(p, z, sp(-0.053743477910757065));
  p = madd(p, z, sp(0.13331490755081177));
  p = madd(p, z, sp(-0.3333328366279602));
  const small = madd(f32x4.mul(x, z), p, x);
  const e = vexp(f32x4.add(ax, ax));
  const big = f32x4.sub(sp(1.0), f32x4.div(sp(2.0), f32x4.add(e, sp(1.0))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, sp(0.625)));
}
@inline export function stanh(x: f32): f32 {
  const ax = abs<f32>(x);
  if (ax < 0.625) {
    const z = x * x;
    let p: f32 = -0.005716988351196051 * z + 0.020650532096624374;
    p = p * z + -0.053743477910757065;
    p = p * z + 0.13331490755081177;
    p = p * z + -0.3333328366279602;
    return (x * z) * p + x;
  }
  const big: f32 = 1.0 - 2.0 / (sexp(ax + ax) + 1.0);
  return copysign<f32>(big, x);
}
/** sigmoid(x) = (x < 0 ? e : 1) / (1 + e), e = exp(−|x|): no overflow, exact subnormal tail. */
@inline export function vsigmoid(x: v128): v128 {
  const e = vexp(f32x4.neg(f32x4.abs(x)));
  const num = v128.bitselect(e, sp(1.0), f32x4.lt(x, sp(0)));
  return f32x4.div(num, f32x4.add(e, sp(1.0)));
}
@inline export function ssigmoid(x: f32): f32 {
  const e = sexp(-abs<f32>(x));
  return (x < 0 ? e : <f32>1.0) / (e + 1.0);
}

// ---- GELU via erfc --------------------------------------------------------------------------------
// erfc(z) = t·exp(P(t) − z²), t = 1/(1 + z/2), z ≥ 0 (relative error ~1e-7 in exact arithmetic).
// Φ(x) = x < 0 ? erfc(|x|/√2)/2 : 1 − erfc(|x|/√2)/2 — relative accuracy on the negative tail too.
@inline function verfcPoly(t: v128): v128 {
  let p = madd(sp(0.16621168553173177), t, sp(-0.8017340412751576));
  p = madd(p, t, sp(1.4511459766298382));
  p = madd(p, t, sp(-1.0981349975933496));
  p = madd(p, t, sp(0.257244833940647));
  p = madd(p, t, sp(-0.17875908569843948));
  p = madd(p, t, sp(0.0952672240773293));
  p = madd(p, t, sp(0.37425445084559367));
  p = madd(p, t, sp(1.0000159696258484));
  return madd(p, t, sp(-1.2655121230639934));
}
/** Split |x| = h + l with h holding 12 significant bits, so h² is exact and
 * −x²/2 = −h²/2 − l·(|x| + h)/2 carries no rounding error in its large part. */
@inline function vhalfSq(ax: v128): v128 { return v128.and(ax, i32x4.splat(0xfffff000)); }
/** Φ(x), the standard normal CDF. */
@inline export function vphi(x: v128): v128 {
  const ax = f32x4.pmin(f32x4.abs(x), sp(15)); // NaN stays NaN; Φ(−15) and φ(15) underflow anyway
  const h = vhalfSq(ax), l = f32x4.sub(ax, h);
  const t = f32x4.div(sp(1.0), madd(ax, sp(0.35355339059327373), sp(1.0)));
  const hi = f32x4.mul(f32x4.mul(h, h), sp(-0.5));
  const lo = madd(f32x4.mul(l, sp(-0.5)), f32x4.add(ax, h), verfcPoly(t));
  const half = f32x4.mul(f32x4.mul(t, vexpHL(hi, lo)), sp(0.5));
  return v128.bitselect(half, f32x4.sub(sp(1.0), half), f32x4.lt(x, sp(0)));
}
@inline export function sphi(x: f32): f32 {
  const ax = min<f32>(abs<f32>(x), 15);
  const h = reinterpret<f32>(reinterpret<u32>(ax) & 0xfffff000), l = ax - h;
  const t: f32 = 1.0 / (ax * 0.35355339059327373 + 1.0);
  let p: f32 = 0.16621168553173177 * t + -0.8017340412751576;
  p = p * t + 1.4511459766298382;
  p = p * t + -1.0981349975933496;
  p = p * t + 0.257244833940647;
  p = p * t + -0.17875908569843948;
  p = p * t + 0.0952672240773293;
  p = p * t + 0.37425445084559367;
  p = p * t + 1.0000159696258484;
  p = p * t + -1.2655121230639934;
  const half = (t * sexpHL((h * h) * -0.5, (l * -0.5) * (ax + h) + p)) * 0.5;
  return x < 0 ? half : 1.0 - half;
}
/** φ(x) = exp(−x²/2)/√(2π). */
@inline export function vnpdf(x: v128): v128 {
  const ax = f32x4.pmin(f32x4.abs(x), sp(15)); // NaN stays NaN; Φ(−15) and φ(15) underflow anyway
  const h = vhalfSq(ax), l = f32x4.sub(ax, h);
  const e = vexpHL(f32x4.mul(f32x4.mul(h, h), sp(-0.5)), f32x4.mul(f32x4.mul(l, sp(-0.5)), f32x4.add(ax, h)));
  return f32x4.mul(e, sp(0.3989422804014327));
}
@inline export function snpdf(x: f32): f32 {
  const ax = min<f32>(abs<f32>(x), 15);
  const h = reinterpret<f32>(reinterpret<u32>(ax) & 0xfffff000), l = ax - h;
  return sexpHL((h * h) * -0.5, (l * -0.5) * (ax + h)) * 0.3989422804014327;
}

// ---- f64 scalar helpers -----------------------------------------------------------------------
/** e^x in f64 (error ~1 ulp), for |x| ≤ 700; clamps beyond (results are inf/0 after demotion). */
export function exp64(x0: f64): f64 {
  if (x0 != x0) return x0;
  const x = max<f64>(min<f64>(x0, 700.0), -745.0);
  const n = nearest<f64>(x * 1.4426950408889634);
  const r = (x - n * 0.6931471803691238) - n * 1.9082149292705877e-10;
  // Taylor to r^13 (|r| ≤ 0.347: truncation < 1e-17)
  let p = 1.0 / 6227020800.0;
  p = p * r + 1.0 / 479001600.0; p = p * r + 1.0 / 39916800.0; p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0; p = p * r + 1.0 / 40320.0; p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0; p = p * r + 1.0 / 120.0; p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0; p = p * r + 0.5; p = p * r * r + r + 1.0;
  const ni = <i64>n;
  const n1 = ni >> 1;
  return p * reinterpret<f64>((n1 + 1023) << 52) * reinterpret<f64>((ni - n1 + 1023) << 52);
}
/** ln x in f64 for finite x > 0 (subnormals included). */
export function log64(x0: f64): f64 {
  let x = x0;
  let e: i64 = -1022;
  if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; e -= 54; }
  const bits = reinterpret<i64>(x);
  e += (bits >>> 52);
  let m = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3fe0000000000000); // [0.5, 1)
  if (m < 0.7071067811865476) { e -= 1; m += m; }
  // log m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716
  const s = (m - 1.0) / (m + 1.0);
  const s2 = s * s;
  let p = 1.0 / 25.0;
  p = p * s2 + 1.0 / 23.0; p = p * s2 + 1.0 / 21.0; p = p * s2 + 1.0 / 19.0;
  p = p * s2 + 1.0 / 17.0; p = p * s2 + 1.0 / 15.0; p = p * s2 + 1.0 / 13.0;
  p = p * s2 + 1.0 / 11.0; p = p * s2 + 1.0 / 9.0; p = p * s2 + 1.0 / 7.0;
  p = p * s2 + 1.0 / 5.0; p = p * s2 + 1.0 / 3.0;
  const ef = <f64>e;
  return ef * 0.6931471803691238 + (2.0 * s * s2 * p + 2.0 * s + ef * 1.9082149292705877e-10);
}
/** sin(r), cos(r) for |r| ≤ π/4 (Taylor; error < 1e-16). */
@inline function sinSmall(r: f64): f64 {
  const z = r * r;
  let p = -1.0 / 1307674368000.0;
  p = p * z + 1.0 / 6227020800.0; p = p * z - 1.0 / 39916800.0; p = p * z + 1.0 / 362880.0;
  p = p * z - 1.0 / 5040.0; p = p * z + 1.0 / 120.0; p = p * z - 1.0 / 6.0;
  return r + r * z * p;
}
@inline function cosSmall(r: f64): f64 {
  const z = r * r;
  let p = 1.0 / 20922789888000.0;
  p = p * z - 1.0 / 87178291200.0; p = p * z + 1.0 / 479001600.0; p = p * z - 1.0 / 3628800.0;
  p = p * z + 1.0 / 40320.0; p = p * z - 1.0 / 720.0; p = p * z + 1.0 / 24.0;
  return 1.0 - 0.5 * z + z * z * p;
}
/** cos(2π·u) (sel = 0) or sin(2π·u) (sel = 1) for u ∈ [0, 1) a multiple of 2⁻²⁴. */
export function sincos2pi(u: f64, sel: i32): f64 {
  const k = nearest<f64>(u * 4.0);          // quadrant
  const r = (u - k * 0.25) * 6.283185307179586; // exact difference, one rounding
  const q = (<i32>k + sel * 3) & 3;          // sin(θ) = cos(θ − π/2)
  const c = (q & 1) ? sinSmall(r) : cosSmall(r);
  return (q == 1 || q == 2) ? -c : c;
}
@inline function isOddInt(y: f64): bool {
  return abs<f64>(y) < 9007199254740992.0 && floor<f64>(y) == y && floor<f64>(y * 0.5) != y * 0.5;
}
/** x ** y with JavaScript Math.pow semantics, accurate enough for an f32 result. */
export function pow64(x: f64, y: f64): f64 {
  if (y == 0) return 1.0;
  if (y != y || x != x) return NaN;
  const ax = abs<f64>(x);
  if (abs<f64>(y) == Infinity) {
    if (ax == 1.0) return NaN;
    return (ax > 1.0) == (y > 0) ? Infinity : 0.0;
  }
  const odd = isOddInt(y);
  if (x == 0 || ax == Infinity) {
    const big = (x == 0) != (y > 0);   // result magnitude inf?
    const mag = big ? Infinity : 0.0;
    return odd && (1.0 / x < 0 || x < 0) ? -mag : mag;
  }
  if (x < 0 && floor<f64>(y) != y) return NaN;
  const r = exp64(min<f64>(max<f64>(y * log64(ax), -1000.0), 1000.0));
  return x < 0 && odd ? -r : r;
}
