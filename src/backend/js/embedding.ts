// Reference embedding gather and scatter-add (the specification for assembly/embedding.ts;
// contracts on Kernels in ../backend.ts). Indices are i32 and in range.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

export function embeddingKernels(h: HeapViews) {
  return {
    embedding_f32(out: Ptr, weight: Ptr, indices: Ptr, n: number, dim: number): void {
      const f = h.f32, ix = h.i32;
      for (let i = 0; i < n; i++) {
        const row = ix[wordIndex(indices) + i]!;
        for (let j = 0; j < dim; j++) f[wordIndex(out) + i * dim + j] = f[wordIndex(weight) + row * dim + j]!;
      }
    },
    embedding_backward_f32(dweight: Ptr, indices: Ptr, dout: Ptr, n: number, dim: number, paddingIdx: number): void {
      const f = h.f32, ix = h.i32;
      for (let i = 0; i < n; i++) {
        const row = ix[wordIndex(indices) + i]!;
        if (row === paddingIdx) continue;
        for (let j = 0; j < dim; j++) {
          const o = wordIndex(dweight) + row * dim + j;
          f[o] = f[o]! + f[wordIndex(dout) + i * dim + j]!;
        }
      }
    },
  } satisfies Partial<Kernels>;
}
