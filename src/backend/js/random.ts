// Reference counter-based random numbers (the specification for assembly/random.ts): Philox4x32-10
// with key (seedLo, seedHi) and counter (block, 0, 0, 0), exactly as documented in ../backend.ts.
// Uniforms and dropout masks are computed with the same f32 roundings as the wasm kernels (each
// operation wrapped in Math.fround), so all backends agree bit for bit; normals use Math.log/cos/sin.
import type { Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

const M0 = 0xd2511f53, M1 = 0xcd9e8d57, W0 = 0x9e3779b9, W1 = 0xbb67ae85;
const TWO_M24 = 2 ** -24;

/** High 32 bits of the 64-bit product of two u32 (exact, via 16-bit halves). */
function mulhi(a: number, b: number): number {
  const aH = a >>> 16, aL = a & 0xffff, bH = b >>> 16, bL = b & 0xffff;
  const m1 = aH * bL, m2 = aL * bH;
  const carry = (((aL * bL) >>> 16) + (m1 & 0xffff) + (m2 & 0xffff)) >>> 16;
  return (aH * bH + (m1 >>> 16) + (m2 >>> 16) + carry) >>> 0;
}

export type PhiloxWords = [number, number, number, number];

/** The four 32-bit output words of Philox4x32-10 for counter (block, 0, 0, 0), written into `out`
 * (a fresh array by default; loops drawing many blocks pass one to reuse). */
export function philox4x32(block: number, seedLo: number, seedHi: number, out: PhiloxWords = [0, 0, 0, 0]): PhiloxWords {
  let c0 = block >>> 0, c1 = 0, c2 = 0, c3 = 0, k0 = seedLo >>> 0, k1 = seedHi >>> 0;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(M0, c0), lo0 = Math.imul(M0, c0) >>> 0;
    const hi1 = mulhi(M1, c2), lo1 = Math.imul(M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0; c1 = lo1; c2 = (hi0 ^ c3 ^ k1) >>> 0; c3 = lo0;
    k0 = (k0 + W0) >>> 0; k1 = (k1 + W1) >>> 0;
  }
  out[0] = c0; out[1] = c1; out[2] = c2; out[3] = c3;
  return out;
}

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
