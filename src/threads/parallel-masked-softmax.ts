// The attention softmax on the pool: rows cut where every mask and the causal rule map a share's
// rows exactly as one call does. Row r reads mask row floor(r / div) % rows (0: no mask) and, with
// causal = T, the columns up to r % T. A share starting at row r0 therefore starts at a multiple of
// T, and for each mask at a multiple of div·rows (the same mask rows again) — or of div alone when
// the mask never wraps (div·rows covers every row), its pointer moved by r0 / div rows — or
// anywhere when div covers every row (all rows read mask row 0). The backward pass needs only the
// causal rule. Each row is computed by one share exactly as in one call.
import type { Kernels } from '../backend/backend.js';
import type { KernelPool } from './kernel-pool.js';
import { rangeSplit } from './partition.js';
import { COST } from './cost.js';

type Masked = Pick<Kernels, 'softmax_masked_f32' | 'softmax_masked_backward_f32'>;

const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

/** The row step a mask allows (mask pointer 0: any). */
function maskUnit(ptr: number, div: number, rows: number, total: number): number {
  if (!ptr || div >= total) return 1;
  return div * rows >= total ? div : div * rows;
}

/** Rows [r0, r0 + step) of the pool's cut, or a single call when the unit leaves nothing to cut. */
function cut(pool: KernelPool, rows: number, cols: number, unit: number, minShare: number) {
  const units = Math.ceil(rows / unit);
  const { shares, step } = rangeSplit(units, COST.softmax * cols * unit, 1, pool.active, minShare);
  return { shares, step: step * unit };
}

export function parallelMaskedSoftmax(ex: Kernels, pool: KernelPool, id: (name: string) => number, minShare: number): Masked {
  const fwd = id('softmax_masked_f32'), back = id('softmax_masked_backward_f32');
  return {
    softmax_masked_f32(out, x, m1, d1, r1, m2, d2, r2, rows, cols, scale, causal) {
      const unit = lcm(lcm(causal > 0 ? causal : 1, maskUnit(m1, d1, r1, rows)), maskUnit(m2, d2, r2, rows));
      const { shares, step } = cut(pool, rows, cols, unit, minShare);
      if (shares < 2) { ex.softmax_masked_f32(out, x, m1, d1, r1, m2, d2, r2, rows, cols, scale, causal); return; }
      const row = 4 * cols;
      for (let s = 0; s < shares; s++) {
        const r0 = s * step;
        pool.share(s, out + r0 * row, x + r0 * row, m1 && m1 + (Math.floor(r0 / d1) % r1) * row, d1, r1,
          m2 && m2 + (Math.floor(r0 / d2) % r2) * row, d2, r2, Math.min(step, rows - r0), cols, scale, causal);
      }
      pool.run(fwd, shares);
    },
    softmax_masked_backward_f32(dx, y, dy, rows, cols, scale, causal) {
      const { shares, step } = cut(pool, rows, cols, causal > 0 ? causal : 1, minShare);
      if (shares < 2) { ex.softmax_masked_backward_f32(dx, y, dy, rows, cols, scale, causal); return; }
      const row = 4 * cols;
      for (let s = 0; s < shares; s++) {
        const r0 = s * step;
        pool.share(s, dx + r0 * row, y + r0 * row, dy + r0 * row, Math.min(step, rows - r0), cols, scale, causal);
      }
      pool.run(back, shares);
    },
  };
}
