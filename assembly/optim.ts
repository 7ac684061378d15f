// Fused optimizer updates over flat f32 buffers (backend.ts, "optimizers" section): one call per
// parameter group per step, PyTorch's single-tensor update formulas (torch.optim 1.13) in f32 with
// the same operation order. Step-dependent scalars (bias corrections, clr) and the complements
// 1 − β, 1 − α, 1 − dampening come from the caller, computed in f64 as PyTorch does (1 − f32(0.999)
// is 1.3e-5 away from f32(1 − 0.999): enough to drift from PyTorch's trajectories).
// Runtime switches (weight decay ≠ 0, momentum, amsgrad, centered, …) are hoisted out of the loop:
// each loop is an @inline body specialised on constant flags. Adam/AdamW flush second moments
// below the smallest normal f32 to 0 (sqrt of such a value is < 1.1e-19, far below eps, and
// subnormal arithmetic is slow on x86); nothing else is flushed. Also the gradient-clipping
// helpers: sum of squares (f64 total), max |x|, clamp.
import { madd } from './simd';
import { affine_f32 } from './elementwise';

@inline const MIN_NORMAL: f32 = 1.17549435e-38;

// ---- SGD ----------------------------------------------------------------------------------

@inline function sgdLoop(
  p: usize, g: usize, b: usize, n: i32, lr: f32, wd: f32, mom: f32, damp1: f32,
  WD: bool, MOM: bool, NEST: bool, FIRST: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(-lr), vwd = f32x4.splat(wd), vm = f32x4.splat(mom), vd = f32x4.splat(damp1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let d = v128.load(g + o);
      if (WD) d = madd(pv, vwd, d);
      if (MOM) {
        const bv = FIRST ? d : madd(v128.load(b + o), vm, f32x4.mul(d, vd));
        v128.store(b + o, bv);
        d = NEST ? madd(bv, vm, d) : bv;
      }
      v128.store(p + o, madd(d, vlr, pv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    let d = load<f32>(g + o);
    if (WD) d = d + pv * wd;
    if (MOM) {
      const bv = FIRST ? d : load<f32>(b + o) * mom + d * damp1;
      store<f32>(b + o, bv);
      d = NEST ? d + bv * mom : bv;
    }
    store<f32>(p + o, pv + d * -lr);
  }
}

@inline function sgdMom(p: usize, g: usize, b: usize, n: i32, lr: f32, wd: f32, mom: f32, damp1: f32,
  WD: bool, nesterov: bool, first: bool): void {
  if (first) {
    if (nesterov) sgdLoop(p, g, b, n, lr, wd, mom, damp1, WD, true, true, true);
    else sgdLoop(p, g, b, n, lr, wd, mom, damp1, WD, true, false, true);
  } else if (nesterov) sgdLoop(p, g, b, n, lr, wd, mom, damp1, WD, true, true, false);
  else sgdLoop(p, g, b, n, lr, wd, mom, damp1, WD, true, false, false);
}

export function sgd_f32(
  p: usize, g: usize, buf: usize, n: i32, lr: f32, weightDecay: f32, momentum: f32, damp1: f32,
  nesterov: i32, first: i32,
): void {
  if (momentum == 0) {
    if (weightDecay != 0) sgdLoop(p, g, buf, n, lr, weightDecay, 0, damp1, true, false, false, false);
    else sgdLoop(p, g, buf, n, lr, 0, 0, damp1, false, false, false, false);
  } else if (weightDecay != 0) sgdMom(p, g, buf, n, lr, weightDecay, momentum, damp1, true, nesterov != 0, first != 0);
  else sgdMom(p, g, buf, n, lr, 0, momentum, damp1, false, nesterov != 0, first != 0);
}

// ---- Adam / AdamW (the update as stated in src/optim/adam.ts) -----------------------------

/** One vector of Adam at byte offset o (flags constant after inlining). */
@inline function adamVec(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, o: usize, vb1: v128, vc1: v128, vb2: v128,
  vc2: v128, veps: v128, vwd: v128, vbc: v128, vdec: v128, vstep: v128, DECAY: bool, WD: bool, AMS: bool,
): void {
  let pv = v128.load(p + o);
  let gv = v128.load(g + o);
  if (DECAY) pv = f32x4.mul(pv, vdec);
  if (WD) gv = madd(pv, vwd, gv);
  const mv = madd(v128.load(m + o), vb1, f32x4.mul(gv, vc1));
  let vv = madd(v128.load(v + o), vb2, f32x4.mul(f32x4.mul(gv, vc2), gv));
  vv = v128.andnot(vv, f32x4.lt(vv, f32x4.splat(MIN_NORMAL)));
  v128.store(m + o, mv);
  v128.store(v + o, vv);
  if (AMS) {
    vv = f32x4.max(v128.load(vmax + o), vv);
    v128.store(vmax + o, vv);
  }
  // step·m/(√v/bc + eps) as (step·bc)·m/(√v + eps·bc): one division per element instead of two
  const den = f32x4.add(f32x4.sqrt(vv), veps);
  v128.store(p + o, madd(f32x4.div(mv, den), vstep, pv));
}

@inline function adamLoop(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, step: f32, b1: f32, c1: f32, b2: f32,
  c2: f32, eps: f32, wd: f32, bc2: f32, decay: f32, DECAY: bool, WD: bool, AMS: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
    const veps = f32x4.splat(eps * bc2), vwd = f32x4.splat(wd), vbc = f32x4.splat(bc2);
    const vdec = f32x4.splat(decay), vs = f32x4.splat(-step * bc2);
    for (; i + 4 <= n; i += 4) {
      adamVec(p, g, m, v, vmax, <usize>i << 2, vb1, vc1, vb2, vc2, veps, vwd, vbc, vdec, vs, DECAY, WD, AMS);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (DECAY) pv = pv * decay;
    if (WD) gv = gv + pv * wd;
    const mv = load<f32>(m + o) * b1 + gv * c1;
    let vv = load<f32>(v + o) * b2 + gv * c2 * gv;
    if (vv < MIN_NORMAL) vv = 0;
    store<f32>(m + o, mv);
    store<f32>(v + o, vv);
    if (AMS) {
      vv = max<f32>(load<f32>(vmax + o), vv);
      store<f32>(vmax + o, vv);
    }
    const den = Mathf.sqrt(vv) + eps * bc2;
    store<f32>(p + o, pv + mv / den * (-step * bc2));
  }
}

@inline function adamWd(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, step: f32, b1: f32,
  c1: f32, b2: f32, c2: f32, eps: f32, wd: f32, bc2: f32): void {
  if (wd != 0) {
    if (vmax) adamLoop(p, g, m, v, vmax, n, step, b1, c1, b2, c2, eps, wd, bc2, 1, false, true, true);
    else adamLoop(p, g, m, v, vmax, n, step, b1, c1, b2, c2, eps, wd, bc2, 1, false, true, false);
  } else if (vmax) adamLoop(p, g, m, v, vmax, n, step, b1, c1, b2, c2, eps, 0, bc2, 1, false, false, true);
  else adamLoop(p, g, m, v, vmax, n, step, b1, c1, b2, c2, eps, 0, bc2, 1, false, false, false);
}

export function adam_f32(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32, stepSize: f32, beta1: f32,
  oneMinusBeta1: f32, beta2: f32, oneMinusBeta2: f32, eps: f32, weightDecay: f32, bc2Sqrt: f32, decay: f32,
): void {
  const b1 = beta1, c1 = oneMinusBeta1, b2 = beta2, c2 = oneMinusBeta2;
  // Adam (L2: weightDecay) and AdamW (decoupled: decay) each have their fused loops; both at once
  // (no optimizer asks for it) decays p in a pass first — the order the fused loop would use.
  if (decay != 1 && weightDecay != 0) {
    affine_f32(p, p, n, decay, 0);
    decay = 1;
  }
  if (decay == 1) adamWd(p, g, m, v, vmax, n, stepSize, b1, c1, b2, c2, eps, weightDecay, bc2Sqrt);
  else if (vmax) adamLoop(p, g, m, v, vmax, n, stepSize, b1, c1, b2, c2, eps, 0, bc2Sqrt, decay, true, false, true);
  else adamLoop(p, g, m, v, vmax, n, stepSize, b1, c1, b2, c2, eps, 0, bc2Sqrt, decay, true, false, false);
}

// ---- RMSprop ------------------------------------------------------------------------------

@inline function rmsLoop(
  p: usize, g: usize, sq: usize, ga: usize, b: usize, n: i32, lr: f32, alpha: f32, c: f32, eps: f32,
  wd: f32, mom: f32, WD: bool, CENT: bool, MOM: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha), vc = f32x4.splat(c), veps = f32x4.splat(eps), vwd = f32x4.splat(wd);
    const vm = f32x4.splat(mom), vlr = f32x4.splat(-lr);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let gv = v128.load(g + o);
      if (WD) gv = madd(pv, vwd, gv);
      const sv = madd(v128.load(sq + o), va, f32x4.mul(f32x4.mul(gv, vc), gv));
      v128.store(sq + o, sv);
      let avg: v128;
      if (CENT) {
        const gav = madd(v128.load(ga + o), va, f32x4.mul(gv, vc));
        v128.store(ga + o, gav);
        avg = f32x4.sqrt(madd(f32x4.neg(gav), gav, sv));
      } else avg = f32x4.sqrt(sv);
      avg = f32x4.add(avg, veps);
      if (MOM) {
        const bv = madd(v128.load(b + o), vm, f32x4.div(gv, avg));
        v128.store(b + o, bv);
        v128.store(p + o, madd(bv, vlr, pv));
      } else v128.store(p + o, madd(f32x4.div(gv, avg), vlr, pv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (WD) gv = gv + pv * wd;
    const sv = load<f32>(sq + o) * alpha + gv * c * gv;
    store<f32>(sq + o, sv);
    let avg: f32;
    if (CENT) {
      const gav = load<f32>(ga + o) * alpha + gv * c;
      store<f32>(ga + o, gav);
      avg = Mathf.sqrt(sv - gav * gav);
    } else avg = Mathf.sqrt(sv);
    avg = avg + eps;
    if (MOM) {
      const bv = load<f32>(b + o) * mom + gv / avg;
      store<f32>(b + o, bv);
      store<f32>(p + o, pv + bv * -lr);
    } else store<f32>(p + o, pv + gv / avg * -lr);
  }
}

@inline function rmsWd(p: usize, g: usize, sq: usize, ga: usize, b: usize, n: i32, lr: f32, alpha: f32,
  c: f32, eps: f32, wd: f32, mom: f32, WD: bool): void {
  if (ga) {
    if (mom > 0) rmsLoop(p, g, sq, ga, b, n, lr, alpha, c, eps, wd, mom, WD, true, true);
    else rmsLoop(p, g, sq, ga, b, n, lr, alpha, c, eps, wd, 0, WD, true, false);
  } else if (mom > 0) rmsLoop(p, g, sq, ga, b, n, lr, alpha, c, eps, wd, mom, WD, false, true);
  else rmsLoop(p, g, sq, ga, b, n, lr, alpha, c, eps, wd, 0, WD, false, false);
}

export function rmsprop_f32(
  p: usize, g: usize, squareAvg: usize, gradAvg: usize, buf: usize, n: i32, lr: f32, alpha: f32,
  oneMinusAlpha: f32, eps: f32, weightDecay: f32, momentum: f32,
): void {
  const c = oneMinusAlpha;
  if (weightDecay != 0) rmsWd(p, g, squareAvg, gradAvg, buf, n, lr, alpha, c, eps, weightDecay, momentum, true);
  else rmsWd(p, g, squareAvg, gradAvg, buf, n, lr, alpha, c, eps, 0, momentum, false);
}

// ---- Adagrad ------------------------------------------------------------------------------

@inline function adagradLoop(p: usize, g: usize, s: usize, n: i32, clr: f32, wd: f32, eps: f32, WD: bool): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlr = f32x4.splat(-clr), vwd = f32x4.splat(wd), veps = f32x4.splat(eps);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const pv = v128.load(p + o);
      let gv = v128.load(g + o);
      if (WD) gv = madd(pv, vwd, gv);
      const sv = madd(gv, gv, v128.load(s + o));
      v128.store(s + o, sv);
      const std = f32x4.add(f32x4.sqrt(sv), veps);
      v128.store(p + o, madd(f32x4.div(gv, std), vlr, pv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const pv = load<f32>(p + o);
    let gv = load<f32>(g + o);
    if (WD) gv = gv + pv * wd;
    const sv = load<f32>(s + o) + gv * gv;
    store<f32>(s + o, sv);
    store<f32>(p + o, pv + gv / (Mathf.sqrt(sv) + eps) * -clr);
  }
}

export function adagrad_f32(p: usize, g: usize, sum: usize, n: i32, clr: f32, weightDecay: f32, eps: f32): void {
  if (weightDecay != 0) adagradLoop(p, g, sum, n, clr, weightDecay, eps, true);
  else adagradLoop(p, g, sum, n, clr, 0, eps, false);
}

// ---- gradient clipping --------------------------------------------------------------------

/** Σ x² with f32 partial sums over 256-element chunks added into an f64 total. */
export function sum_squares_f32(x: usize, n: i32): f64 {
  let total: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f64x2.splat(0);
    for (; i + 4 <= n;) {
      const end = min<i32>(n & ~3, i + 256);
      let a0 = f32x4.splat(0), a1 = f32x4.splat(0);
      for (; i + 8 <= end; i += 8) {
        const o = <usize>i << 2;
        const x0 = v128.load(x + o), x1 = v128.load(x + o, 16);
        a0 = madd(x0, x0, a0);
        a1 = madd(x1, x1, a1);
      }
      if (i < end) { const x0 = v128.load(x + (<usize>i << 2)); a0 = madd(x0, x0, a0); i += 4; }
      const s = f32x4.add(a0, a1);
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(s));
      acc = f64x2.add(acc, f64x2.promote_low_f32x4(v128.shuffle<f32>(s, s, 2, 3, 2, 3)));
    }
    total = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
  }
  for (; i < n; i++) {
    const v = <f64>load<f32>(x + (<usize>i << 2));
    total += v * v;
  }
  return total;
}

/** max |x[i]| (0 for n = 0; NaN if any element is NaN). */
export function abs_max_f32(x: usize, n: i32): f32 {
  let r: f32 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let a = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) a = f32x4.max(a, f32x4.abs(v128.load(x + (<usize>i << 2))));
    r = max<f32>(max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)),
      max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)));
  }
  for (; i < n; i++) r = max<f32>(r, abs<f32>(load<f32>(x + (<usize>i << 2))));
  return r;
}

/** out[i] = min(max(x[i], lo), hi); NaN passes through. out may equal x. */
export function clamp_f32(out: usize, x: usize, n: i32, lo: f32, hi: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.min(f32x4.max(v128.load(x + o), vlo), vhi));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, min<f32>(max<f32>(load<f32>(x + o), lo), hi));
  }
}
