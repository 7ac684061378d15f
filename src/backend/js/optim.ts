// JS reference of the fused optimizer kernels (assembly/optim.ts): naive loops, one f32 rounding
// (Math.fround) per arithmetic operation in the same order as the wasm scalar path, so the scalar
// and simd builds agree bit for bit (relaxed may fuse multiply-adds). Formulas: backend.ts,
// "optimizers" section — PyTorch's torch.optim single-tensor updates.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

const r = Math.fround;
const MIN_NORMAL = 2 ** -126;

export function optimKernels(h: HeapViews) {
  return {
    sgd_f32(p: Ptr, g: Ptr, buf: Ptr, n: number, lr: number, weightDecay: number, momentum: number,
      oneMinusDampening: number, nesterov: number, first: number): void {
      const f = h.f32, P = wordIndex(p), G = wordIndex(g), B = wordIndex(buf);
      const wd = r(weightDecay), mom = r(momentum), damp1 = r(oneMinusDampening), nlr = r(-r(lr));
      for (let i = 0; i < n; i++) {
        const pv = f[P + i]!;
        let d = f[G + i]!;
        if (wd !== 0) d = r(d + r(pv * wd));
        if (mom !== 0) {
          const b = first ? d : r(r(f[B + i]! * mom) + r(d * damp1));
          f[B + i] = b;
          d = nesterov ? r(d + r(b * mom)) : b;
        }
        f[P + i] = r(pv + r(d * nlr));
      }
    },

    // the update as stated in src/optim/adam.ts
    adam_f32(p: Ptr, g: Ptr, m: Ptr, v: Ptr, vmax: Ptr, n: number, stepSize: number, beta1: number,
      oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, eps: number, weightDecay: number,
      bc2Sqrt: number, decay: number): void {
      const f = h.f32, P = wordIndex(p), G = wordIndex(g), M = wordIndex(m), V = wordIndex(v), X = wordIndex(vmax);
      const b1 = r(beta1), b2 = r(beta2), c1 = r(oneMinusBeta1), c2 = r(oneMinusBeta2), e = r(eps);
      const wd = r(weightDecay), bc = r(bc2Sqrt), dec = r(decay), ns = r(-r(stepSize));
      const ebc = r(e * bc), nsbc = r(ns * bc);
      for (let i = 0; i < n; i++) {
        let pv = f[P + i]!, gv = f[G + i]!;
        if (dec !== 1) pv = r(pv * dec);
        if (wd !== 0) gv = r(gv + r(pv * wd));
        const mv = r(r(f[M + i]! * b1) + r(gv * c1));
        let vv = r(r(f[V + i]! * b2) + r(r(gv * c2) * gv));
        if (vv < MIN_NORMAL) vv = 0;
        f[M + i] = mv;
        f[V + i] = vv;
        if (vmax) {
          vv = Math.max(f[X + i]!, vv);
          f[X + i] = vv;
        }
        const den = r(r(Math.sqrt(vv)) + ebc);  // step·m/(√v/bc + eps) as (step·bc)·m/(√v + eps·bc)
        f[P + i] = r(pv + r(r(mv / den) * nsbc));
      }
    },

    rmsprop_f32(p: Ptr, g: Ptr, squareAvg: Ptr, gradAvg: Ptr, buf: Ptr, n: number, lr: number,
      alpha: number, oneMinusAlpha: number, eps: number, weightDecay: number, momentum: number): void {
      const f = h.f32, P = wordIndex(p), G = wordIndex(g), S = wordIndex(squareAvg), A = wordIndex(gradAvg), B = wordIndex(buf);
      const a = r(alpha), c = r(oneMinusAlpha), e = r(eps), wd = r(weightDecay), mom = r(momentum), nlr = r(-r(lr));
      for (let i = 0; i < n; i++) {
        const pv = f[P + i]!;
        let gv = f[G + i]!;
        if (wd !== 0) gv = r(gv + r(pv * wd));
        const sv = r(r(f[S + i]! * a) + r(r(gv * c) * gv));
        f[S + i] = sv;
        let avg: number;
        if (gradAvg) {
          const ga = r(r(f[A + i]! * a) + r(gv * c));
          f[A + i] = ga;
          avg = r(Math.sqrt(r(sv - r(ga * ga))));
        } else avg = r(Math.sqrt(sv));
        avg = r(avg + e);
        if (mom > 0) {
          const b = r(r(f[B + i]! * mom) + r(gv / avg));
          f[B + i] = b;
          f[P + i] = r(pv + r(b * nlr));
        } else f[P + i] = r(pv + r(r(gv / avg) * nlr));
      }
    },

    adagrad_f32(p: Ptr, g: Ptr, sum: Ptr, n: number, clr: number, weightDecay: number, eps: number): void {
      const f = h.f32, P = wordIndex(p), G = wordIndex(g), S = wordIndex(sum);
      const wd = r(weightDecay), e = r(eps), nlr = r(-r(clr));
      for (let i = 0; i < n; i++) {
        const pv = f[P + i]!;
        let gv = f[G + i]!;
        if (wd !== 0) gv = r(gv + r(pv * wd));
        const sv = r(f[S + i]! + r(gv * gv));
        f[S + i] = sv;
        f[P + i] = r(pv + r(r(gv / r(r(Math.sqrt(sv)) + e)) * nlr));
      }
    },

    sum_squares_f32(x: Ptr, n: number): number {
      const f = h.f32, X = wordIndex(x);
      let s = 0;
      for (let i = 0; i < n; i++) s += f[X + i]! * f[X + i]!;
      return s;
    },

    abs_max_f32(x: Ptr, n: number): number {
      const f = h.f32, X = wordIndex(x);
      let m = 0;
      for (let i = 0; i < n; i++) m = Math.max(m, Math.abs(f[X + i]!));
      return m;
    },

    clamp_f32(out: Ptr, x: Ptr, n: number, lo: number, hi: number): void {
      const f = h.f32, O = wordIndex(out), X = wordIndex(x), l = r(lo), u = r(hi);
      for (let i = 0; i < n; i++) f[O + i] = Math.min(Math.max(f[X + i]!, l), u);
    },
  } satisfies Partial<Kernels>;
}
