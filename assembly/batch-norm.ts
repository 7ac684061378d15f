// Batch normalisation over x [n, c, hw] per channel (contracts in src/backend/backend.ts): the
// fused per-channel statistics (mean and biased variance, two passes, f32 rows summed in f64),
// the normalisation y = (x − mean)·invstd·weight + bias, and the backward pass that gets the
// per-channel sums Σdy and Σdy·(x − mean) in one pass and applies them in a second.
import { hsum } from './simd';
import { rowSum } from './rowops';

/** Σ (x − m)·(d ? d : x − m) over n contiguous floats: squared deviations, or their dot with d. */
function devDot(x: usize, d: usize, n: i32, m: f32): f32 {
  let i = 0;
  let acc: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m);
    let a0 = f32x4.splat(0), a1 = a0;
    for (; i + 8 <= n; i += 8) {
      const o = <usize>i << 2;
      const e0 = f32x4.sub(v128.load(x + o), mv), e1 = f32x4.sub(v128.load(x + o, 16), mv);
      a0 = f32x4.add(a0, f32x4.mul(e0, d ? v128.load(d + o) : e0));
      a1 = f32x4.add(a1, f32x4.mul(e1, d ? v128.load(d + o, 16) : e1));
    }
    acc = hsum(f32x4.add(a0, a1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2, e = load<f32>(x + o) - m;
    acc += e * (d ? load<f32>(d + o) : e);
  }
  return acc;
}

/** out[j] = (x[j] − m)·s + t, or with d ≠ 0: out[j] += (x[j] − m)·s + t·d[j] + u. */
function affineRow(out: usize, x: usize, d: usize, n: i32, m: f32, s: f32, t: f32, u: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const mv = f32x4.splat(m), sv = f32x4.splat(s), tv = f32x4.splat(t), uv = f32x4.splat(u);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const v = f32x4.mul(f32x4.sub(v128.load(x + o), mv), sv);
      v128.store(out + o, d ? f32x4.add(v128.load(out + o), f32x4.add(f32x4.add(v, f32x4.mul(tv, v128.load(d + o))), uv))
        : f32x4.add(v, tv));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2, v = (load<f32>(x + o) - m) * s;
    store<f32>(out + o, d ? load<f32>(out + o) + ((v + t * load<f32>(d + o)) + u) : v + t);
  }
}

/** mean[ch], var[ch] (biased) of x [n, c, hw] over n and hw. */
export function batch_norm_stats_f32(mean: usize, variance: usize, x: usize, n: i32, c: i32, hw: i32): void {
  const row = <usize>hw << 2, count = <f64>n * <f64>hw;
  for (let ch = 0; ch < c; ch++) {
    let s: f64 = 0;
    for (let i = 0; i < n; i++) s += <f64>rowSum(x + <usize>(i * c + ch) * row, hw);
    const m = <f32>(s / count);
    let q: f64 = 0;
    for (let i = 0; i < n; i++) q += <f64>devDot(x + <usize>(i * c + ch) * row, 0, hw, m);
    store<f32>(mean + (<usize>ch << 2), m);
    store<f32>(variance + (<usize>ch << 2), <f32>(q / count));
  }
}

/** y = (x − mean)·invstd·weight + bias per channel; weight / bias 0: 1 / 0. y may equal x. */
export function batch_norm_f32(y: usize, x: usize, mean: usize, invstd: usize, weight: usize, bias: usize, n: i32, c: i32, hw: i32): void {
  const row = <usize>hw << 2;
  for (let ch = 0; ch < c; ch++) {
    const o = <usize>ch << 2;
    const s = load<f32>(invstd + o) * (weight ? load<f32>(weight + o) : 1), t = bias ? load<f32>(bias + o) : 0;
    const m = load<f32>(mean + o);
    for (let i = 0; i < n; i++) {
      const at = <usize>(i * c + ch) * row;
      affineRow(y + at, x + at, 0, hw, m, s, t, 0);
    }
  }
}

/** Gradients of batch_norm_f32 (see Kernels.batch_norm_backward_f32); dx, dweight, dbias, weight
 * may be 0. */
export function batch_norm_backward_f32(
  dx: usize, dweight: usize, dbias: usize, x: usize, dy: usize, mean: usize, invstd: usize, weight: usize,
  n: i32, c: i32, hw: i32, training: i32,
): void {
  const row = <usize>hw << 2, count = <f64>n * <f64>hw;
  for (let ch = 0; ch < c; ch++) {
    const o = <usize>ch << 2, m = load<f32>(mean + o), is = load<f32>(invstd + o);
    let sdy: f64 = 0, sdyx: f64 = 0;
    for (let i = 0; i < n; i++) {
      const at = <usize>(i * c + ch) * row;
      sdy += <f64>rowSum(dy + at, hw);
      sdyx += <f64>devDot(x + at, dy + at, hw, m);
    }
    if (dweight) store<f32>(dweight + o, load<f32>(dweight + o) + <f32>(sdyx * <f64>is));
    if (dbias) store<f32>(dbias + o, load<f32>(dbias + o) + <f32>sdy);
    if (!dx) continue;
    const a = is * (weight ? load<f32>(weight + o) : 1);
    // training: dx += a·(dy − Σdy/M − (x − mean)·invstd²·Σdy(x − mean)/M); eval: dx += a·dy
    const k1 = training ? <f32>(sdy / count) : 0, k2 = training ? <f32>(sdyx / count) * is * is : 0;
    for (let i = 0; i < n; i++) {
      const at = <usize>(i * c + ch) * row;
      affineRow(dx + at, x + at, dy + at, hw, m, -a * k2, a, -a * k1);
    }
  }
}
