// Reference strided 4-D copy (the specification for assembly/copy.ts):
// out[i0·o0 + i1·o1 + i2·o2 + i3·o3] = x[i0·x0 + i1·x1 + i2·x2 + i3·x3] for every i < d
// (strides in elements; x strides may be 0 for broadcasting). out and x must not overlap.
import type { Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

export function copyKernels(h: HeapViews) {
  return {
    copy_strided_f32(
      out: Ptr, x: Ptr, d0: number, d1: number, d2: number, d3: number,
      o0: number, o1: number, o2: number, o3: number, x0: number, x1: number, x2: number, x3: number,
    ): void {
      const f = h.f32, ob = wordIndex(out), xb = wordIndex(x);
      for (let a = 0; a < d0; a++) {
        for (let b = 0; b < d1; b++) {
          for (let c = 0; c < d2; c++) {
            for (let d = 0; d < d3; d++) {
              f[ob + a * o0 + b * o1 + c * o2 + d * o3] = f[xb + a * x0 + b * x1 + c * x2 + d * x3]!;
            }
          }
        }
      }
    },
  };
}
