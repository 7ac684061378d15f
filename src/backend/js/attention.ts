// Reference attention softmax (the specification for assembly/attention.ts), in f64:
// z = scale·x + m1[floor(r/m1Div) % m1Rows] + m2[…] over the columns j ≤ r % causal (all when
// causal = 0); y = exp(z − max z)/Σ; masked-out columns and fully masked rows (max z = −inf) are 0.
// Backward: dx += scale·y·(dy − Σ dy·y) over the same columns.
import type { Kernels, Ptr } from '../backend.js';
import { wordIndex, type HeapViews } from '../../memory.js';

const width = (r: number, cols: number, causal: number): number => (causal > 0 ? Math.min(cols, (r % causal) + 1) : cols);

export function attentionKernels(h: HeapViews) {
  return {
    softmax_masked_f32(
      out: Ptr, x: Ptr, m1: Ptr, m1Div: number, m1Rows: number, m2: Ptr, m2Div: number, m2Rows: number,
      rows: number, cols: number, scale: number, causal: number,
    ): void {
      const f = h.f32, s = Math.fround(scale);
      for (let r = 0; r < rows; r++) {
        const n = width(r, cols, causal), xr = wordIndex(x) + r * cols, or = wordIndex(out) + r * cols;
        const r1 = wordIndex(m1) + (Math.floor(r / m1Div) % m1Rows) * cols, r2 = wordIndex(m2) + (Math.floor(r / m2Div) % m2Rows) * cols;
        const z = new Float64Array(n);
        let m = -Infinity;
        for (let j = 0; j < n; j++) {
          let v = f[xr + j]! * s;
          if (m1) v += f[r1 + j]!;
          if (m2) v += f[r2 + j]!;
          z[j] = v;
          m = Number.isNaN(v) || Number.isNaN(m) ? NaN : Math.max(m, v);
        }
        let sum = 0;
        for (let j = 0; j < n; j++) sum += Math.exp(z[j]! - m);
        for (let j = 0; j < cols; j++) f[or + j] = j < n && m !== -Infinity ? Math.exp(z[j]! - m) / sum : 0;
      }
    },
    softmax_masked_backward_f32(dx: Ptr, y: Ptr, dy: Ptr, rows: number, cols: number, scale: number, causal: number): void {
      const f = h.f32, s = Math.fround(scale);
      for (let r = 0; r < rows; r++) {
        const n = width(r, cols, causal), o = r * cols;
        let d = 0;
        for (let j = 0; j < n; j++) d += f[wordIndex(dy) + o + j]! * f[wordIndex(y) + o + j]!;
        for (let j = 0; j < n; j++) {
          const at = wordIndex(dx) + o + j;
          f[at] = f[at]! + s * f[wordIndex(y) + o + j]! * (f[wordIndex(dy) + o + j]! - d);
        }
      }
    },
  } satisfies Partial<Kernels>;
}
