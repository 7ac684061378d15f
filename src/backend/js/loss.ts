// Reference fused softmax cross-entropy (the specification for assembly/loss.ts), in f64:
// loss[r] = −Σ_j q_j·log_softmax(x_r)_j, q = (1−s)·onehot(t_r) + s/cols, terms with q_j = 0
// skipped (so −inf logits with s = 0 give a finite loss). A target outside [0, cols) — negative
// means "ignore" — gives loss 0 and no gradient. Backward: dlogits += dloss·(softmax − q).
import type { Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

function logSoftmax(f: Float32Array, x0: number, cols: number): Float64Array {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, f[x0 + j]!);
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(f[x0 + j]! - m);
  const lse = m + Math.log(s), out = new Float64Array(cols);
  for (let j = 0; j < cols; j++) out[j] = f[x0 + j]! - lse;
  return out;
}
const weight = (j: number, t: number, cols: number, s: number): number =>
  (j === t ? 1 - s : 0) + s / cols;

export function lossKernels(h: HeapViews) {
  return {
    softmax_xent_f32(loss: Ptr, logits: Ptr, targets: Ptr, rows: number, cols: number, smoothing: number): void {
      const f = h.f32, t32 = h.i32, s = Math.fround(smoothing);
      for (let r = 0; r < rows; r++) {
        const t = t32[wordIndex(targets) + r]!;
        let l = 0;
        if (t >= 0 && t < cols) {
          const lp = logSoftmax(f, wordIndex(logits) + r * cols, cols);
          for (let j = 0; j < cols; j++) {
            const q = weight(j, t, cols, s);
            if (q !== 0) l -= q * lp[j]!;
          }
        }
        f[wordIndex(loss) + r] = l;
      }
    },
    softmax_xent_backward_f32(
      dlogits: Ptr, logits: Ptr, targets: Ptr, dloss: Ptr, rows: number, cols: number, smoothing: number,
    ): void {
      const f = h.f32, t32 = h.i32, s = Math.fround(smoothing);
      for (let r = 0; r < rows; r++) {
        const t = t32[wordIndex(targets) + r]!;
        if (t < 0 || t >= cols) continue;
        const lp = logSoftmax(f, wordIndex(logits) + r * cols, cols), g = f[wordIndex(dloss) + r]!;
        for (let j = 0; j < cols; j++) {
          const d = wordIndex(dlogits) + r * cols + j;
          f[d] = f[d]! + g * (Math.exp(lp[j]!) - weight(j, t, cols, s));
        }
      }
    },
  };
}
