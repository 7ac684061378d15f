// Fused softmax cross-entropy (backend.ts: softmax_xent_f32 / softmax_xent_backward_f32).
// Per row r with target t (i32), m = max x, L = log Σ exp(x − m) (log-sum-exp, stable):
// loss = L + (1−s)·(m − x_t) + s·(m − mean x)  (= −Σ q·log_softmax with q = (1−s)·onehot + s/cols;
// zero-weight terms never enter, so −inf logits with s = 0 stay finite; small losses keep their
// relative precision). A target outside [0, cols) (negative: "ignore") gives loss 0 and no gradient.
import { vexp, sexp, loadPartial, storePartial } from './vmath';
import { sumRow, maxRow, expShiftSum, logf } from './rowops';

export function softmax_xent_f32(
  loss: usize, logits: usize, targets: usize, rows: i32, cols: i32, smoothing: f32,
): void {
  const rb = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(targets + (<usize>r << 2));
    const x = logits + <usize>r * rb;
    let l: f32 = 0;
    if (t >= 0 && t < cols) {
      const m = maxRow(x, cols);
      const lsum = logf(expShiftSum(0, x, cols, m, false));
      l = lsum + (1 - smoothing) * (m - load<f32>(x + (<usize>t << 2)));
      if (smoothing != 0) l += smoothing * (m - sumRow(x, cols) / <f32>cols);
    }
    store<f32>(loss + (<usize>r << 2), l);
  }
}

/** dlogits[r] += dloss[r]·(softmax(x_r) − q_r), softmax = exp((x − m) − L). */
export function softmax_xent_backward_f32(
  dlogits: usize, logits: usize, targets: usize, dloss: usize, rows: i32, cols: i32,
  smoothing: f32,
): void {
  const rb = <usize>cols << 2;
  const u = smoothing / <f32>cols;
  for (let r = 0; r < rows; r++) {
    const t = load<i32>(targets + (<usize>r << 2));
    if (t < 0 || t >= cols) continue;
    const x = logits + <usize>r * rb, d = dlogits + <usize>r * rb;
    const g = load<f32>(dloss + (<usize>r << 2));
    const m = maxRow(x, cols);
    const lsum = logf(expShiftSum(0, x, cols, m, false));
    const gu = g * u;
    let i = 0;
    if (ASC_FEATURE_SIMD) {
      const mv = f32x4.splat(m), lv = f32x4.splat(lsum), gv = f32x4.splat(g), guv = f32x4.splat(gu);
      for (; i + 4 <= cols; i += 4) {
        const o = <usize>i << 2;
        const p = vexp(f32x4.sub(f32x4.sub(v128.load(x + o), mv), lv));
        v128.store(d + o, f32x4.add(v128.load(d + o), f32x4.sub(f32x4.mul(gv, p), guv)));
      }
      if (i < cols) {
        const o = <usize>i << 2, n = cols - i;
        const p = vexp(f32x4.sub(f32x4.sub(loadPartial(x + o, n), mv), lv));
        storePartial(d + o, f32x4.add(loadPartial(d + o, n), f32x4.sub(f32x4.mul(gv, p), guv)), n);
      }
    } else {
      for (; i < cols; i++) {
        const o = <usize>i << 2;
        store<f32>(d + o, load<f32>(d + o) + (g * sexp((load<f32>(x + o) - m) - lsum) - gu));
      }
    }
    const ot = <usize>t << 2;
    store<f32>(d + ot, load<f32>(d + ot) - g * (1 - smoothing));
  }
}
