// Reference counter-based random numbers (the specification for assembly/random.ts): Philox4x32-10
// (../../philox.ts) with key (seedLo, seedHi) and counter (block, 0, 0, 0), exactly as documented
// in ../backend.ts.
// Uniforms and dropout masks are computed with the same f32 roundings as the wasm kernels (each
// operation wrapped in Math.fround), so all backends agree bit for bit; normals use Math.log/cos/sin.
import type { Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';
import { philox4x32 } from '../../philox.js';

const TWO_M24 = 2 ** -24;

/** u = (word >>> 8)·2⁻²⁴ for element j. */
function uniformAt(j: number, seedLo: number, seedHi: number): number {
  return (philox4x32(j >>> 2, seedLo, seedHi)[j & 3]! >>> 8) * TWO_M24;
}

export function randomKernels(h: HeapViews) {
  return {
    rand_uniform_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number, low: number, high: number): void {
      const f = h.f32, lo = Math.fround(low), span = Math.fround(Math.fround(high) - lo);
      for (let i = 0; i < n; i++) {
        const u = uniformAt((offset + i) >>> 0, seedLo, seedHi);
        f[wordIndex(out) + i] = lo + Math.fround(span * u);
      }
    },
    rand_normal_f32(out: Ptr, n: number, seedLo: number, seedHi: number, offset: number, mean: number, std: number): void {
      const f = h.f32, m = Math.fround(mean), s = Math.fround(std);
      for (let i = 0; i < n; i++) {
        const j = (offset + i) >>> 0;
        const [w0, w1] = philox4x32(j >>> 1, seedLo, seedHi);
        const u1 = ((w0 >>> 8) + 1) * TWO_M24, u2 = (w1 >>> 8) * TWO_M24;
        const r = Math.sqrt(-2 * Math.log(u1));
        const z = j % 2 === 0 ? r * Math.cos(2 * Math.PI * u2) : r * Math.sin(2 * Math.PI * u2);
        f[wordIndex(out) + i] = m + s * z;
      }
    },
    dropout_mask_f32(mask: Ptr, n: number, seedLo: number, seedHi: number, offset: number, p: number): void {
      const f = h.f32, fp = Math.fround(p), scale = Math.fround(1 / Math.fround(1 - fp));
      for (let i = 0; i < n; i++) {
        f[wordIndex(mask) + i] = uniformAt((offset + i) >>> 0, seedLo, seedHi) >= fp ? scale : 0;
      }
    },
  };
}
