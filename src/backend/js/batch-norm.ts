// Reference batch normalisation (the specification for assembly/batch-norm.ts; contracts on
// Kernels in ../backend.ts): per-channel loops over x [n, c, hw], sums in f64.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

/** Calls f(index) for every element of channel ch of [n, c, hw]. */
function each(n: number, c: number, hw: number, ch: number, f: (i: number) => void): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < hw; j++) f((i * c + ch) * hw + j);
}

export function batchNormKernels(hp: HeapViews) {
  return {
    batch_norm_stats_f32(mean: Ptr, variance: Ptr, x: Ptr, n: number, c: number, hw: number): void {
      const f = hp.f32, X = wordIndex(x);
      for (let ch = 0; ch < c; ch++) {
        let s = 0, q = 0;
        each(n, c, hw, ch, (i) => { s += f[X + i]!; });
        const m = Math.fround(s / (n * hw));
        each(n, c, hw, ch, (i) => { q += (f[X + i]! - m) ** 2; });
        f[wordIndex(mean) + ch] = m;
        f[wordIndex(variance) + ch] = q / (n * hw);
      }
    },
    batch_norm_f32(y: Ptr, x: Ptr, mean: Ptr, invstd: Ptr, weight: Ptr, bias: Ptr, n: number, c: number, hw: number): void {
      const f = hp.f32;
      for (let ch = 0; ch < c; ch++) {
        const m = f[wordIndex(mean) + ch]!, s = f[wordIndex(invstd) + ch]! * (weight ? f[wordIndex(weight) + ch]! : 1);
        const t = bias ? f[wordIndex(bias) + ch]! : 0;
        each(n, c, hw, ch, (i) => { f[wordIndex(y) + i] = (f[wordIndex(x) + i]! - m) * s + t; });
      }
    },
    batch_norm_backward_f32(dx: Ptr, dweight: Ptr, dbias: Ptr, x: Ptr, dy: Ptr, mean: Ptr, invstd: Ptr,
      weight: Ptr, n: number, c: number, hw: number, training: number): void {
      const f = hp.f32, X = wordIndex(x), D = wordIndex(dy), M = n * hw;
      for (let ch = 0; ch < c; ch++) {
        const m = f[wordIndex(mean) + ch]!, is = f[wordIndex(invstd) + ch]!, w = weight ? f[wordIndex(weight) + ch]! : 1;
        let sd = 0, sx = 0;
        each(n, c, hw, ch, (i) => { sd += f[D + i]!; sx += f[D + i]! * (f[X + i]! - m); });
        if (dweight) f[wordIndex(dweight) + ch] = f[wordIndex(dweight) + ch]! + sx * is;
        if (dbias) f[wordIndex(dbias) + ch] = f[wordIndex(dbias) + ch]! + sd;
        if (!dx) continue;
        each(n, c, hw, ch, (i) => {
          const g = training ? f[D + i]! - sd / M - (f[X + i]! - m) * is * is * sx / M : f[D + i]!;
          f[wordIndex(dx) + i] = f[wordIndex(dx) + i]! + w * is * g;
        });
      }
    },
  } satisfies Partial<Kernels>;
}
