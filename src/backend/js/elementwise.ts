// Reference binary elementwise kernels over the 2-D broadcast view, affine and fill (the
// specification for assembly/elementwise.ts). out[o*inner + i] = op(a[o*aOuter + i*aInner],
// b[o*bOuter + i*bInner]); arithmetic in f64, rounded on store. maximum/minimum are Math.max/min
// (NaN propagates); pow is Math.pow. Scalar parameters are f32 in the wasm ABI, so they are
// rounded with Math.fround first.
import type { BinaryKernel, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

function binary(h: HeapViews, op: (a: number, b: number) => number): BinaryKernel {
  return (out, a, b, outer, inner, aOuter, aInner, bOuter, bInner) => {
    const f = h.f32;
    const o0 = wordIndex(out), a0 = wordIndex(a), b0 = wordIndex(b);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        f[o0 + o * inner + i] = op(f[a0 + o * aOuter + i * aInner]!, f[b0 + o * bOuter + i * bInner]!);
      }
    }
  };
}

export function elementwiseKernels(h: HeapViews) {
  return {
    add_f32: binary(h, (a, b) => a + b),
    sub_f32: binary(h, (a, b) => a - b),
    mul_f32: binary(h, (a, b) => a * b),
    div_f32: binary(h, (a, b) => a / b),
    maximum_f32: binary(h, Math.max),
    minimum_f32: binary(h, Math.min),
    pow_f32: binary(h, Math.pow),
    affine_f32(out: Ptr, x: Ptr, n: number, alpha: number, beta: number): void {
      const f = h.f32, al = Math.fround(alpha), be = Math.fround(beta);
      for (let i = 0; i < n; i++) f[wordIndex(out) + i] = f[wordIndex(x) + i]! * al + be;
    },
    fill_f32(out: Ptr, n: number, value: number): void {
      h.f32.fill(value, wordIndex(out), wordIndex(out) + n);
    },
  };
}
