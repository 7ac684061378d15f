// Reference GEMM (the specification the wasm kernels are tested against): a naive triple loop
// accumulating in f64. C = act(op(A)·op(B) + bias + (C if accumulate)); op() transposes via the
// leading dimensions, exactly as documented on `Kernels.gemm_f32` in ../backend.ts. ReLU is
// `x < 0 ? 0 : x`, so NaN propagates. The workspace is not used.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

export function gemmKernels(h: HeapViews) {
  return {
    gemm_f32(
      c: Ptr, a: Ptr, b: Ptr, bias: Ptr, _ws: Ptr, m: number, n: number, k: number,
      lda: number, ldb: number, ldc: number, transA: number, transB: number,
      accumulate: number, act: number,
    ): void {
      const f = h.f32;
      const c0 = wordIndex(c), a0 = wordIndex(a), b0 = wordIndex(b), bias0 = wordIndex(bias);
      // element strides of op(A) along i and p, of op(B) along p and j
      const ai = transA ? 1 : lda, ap = transA ? lda : 1;
      const bp = transB ? 1 : ldb, bj = transB ? ldb : 1;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += f[a0 + i * ai + p * ap]! * f[b0 + p * bp + j * bj]!;
          if (bias !== 0) s += f[bias0 + j]!;
          if (accumulate) s += f[c0 + i * ldc + j]!;
          if (act === 1 && s < 0) s = 0;
          f[c0 + i * ldc + j] = s;
        }
      }
    },
    gemm_workspace_f32(_m: number, _n: number, _k: number, _transA: number, _transB: number): number {
      return 0;
    },
  } satisfies Partial<Kernels>;
}
