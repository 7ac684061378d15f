// Fused softmax cross-entropy forward/backward on every backend — the JS reference included —
// against a naive f64 twin written here, with label smoothing, ignored (negative) targets, −inf and
// huge logits. Tolerances: 2e-6 for the loss (a log-sum-exp over f32 exp approximations, 4e-7
// relative each, assembly/vmath.ts, on losses of a few units), 1e-5 relative / 2e-6 absolute for
// dlogits (the softmax's rounding plus the f32 add onto dx ∈ [−1, 1]).
import { describe, it } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create-backend.js';
import { kernelSuite, runKernel, type KernelCase } from './harness.js';

function targets(rows: number, cols: number, seed: number): Int32Array {
  const t = new Int32Array(rows);
  for (let r = 0; r < rows; r++) t[r] = (r * 7 + seed) % cols;
  if (rows > 2) t[1] = -1;   // ignored row
  if (rows > 3) t[3] = cols; // out of range: ignored too
  return t;
}

/** Loss per row and dlogits = dx0 + dloss·(softmax − q), q = (1−s)·onehot + s/cols, in f64. */
function twin(x: Float32Array, t: Int32Array, dx: Float32Array, dl: Float32Array, rows: number, cols: number, s: number) {
  const loss = new Float64Array(rows), grad = new Float64Array(dx);
  for (let r = 0; r < rows; r++) {
    if (t[r]! < 0 || t[r]! >= cols) continue;
    const row = Array.from(x.subarray(r * cols, (r + 1) * cols)), m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    for (let j = 0; j < cols; j++) {
      const q = (j === t[r] ? 1 - s : 0) + s / cols;
      if (q > 0) loss[r]! -= q * (row[j]! - lse);                 // q = 0 skips a −inf logit (no 0·∞)
      grad[r * cols + j]! += dl[r]! * (Math.exp(row[j]! - lse) - q);
    }
  }
  return { loss, grad };
}

function cases(smoothing: number): KernelCase[] {
  const s = Math.fround(smoothing), out: KernelCase[] = [];
  for (const cols of SIZES.filter((n) => n > 0)) {
    for (const rows of [1, 5]) {
      const x = randomArray(rows * cols, cols * 3 + rows, -8, 8);
      if (cols > 4) { x[2] = 60; x[cols + 1] = -Infinity; }
      const t = targets(rows, cols, cols), dx = randomArray(rows * cols, cols + 1), dl = randomArray(rows, rows + 2, 0.5, 2);
      const w = twin(x, t, dx, dl, rows, cols, s);
      out.push({ label: `loss ${rows}x${cols}`, bufs: [new Float32Array(rows), x, t],
        call: (k, p) => k.softmax_xent_f32(p[0]!, p[1]!, p[2]!, rows, cols, smoothing), want: [w.loss], tol: { rtol: 2e-6, atol: 2e-6 } });
      out.push({ label: `dlogits ${rows}x${cols}`, bufs: [dx, x, t, dl],
        call: (k, p) => k.softmax_xent_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, rows, cols, smoothing), want: [w.grad],
        tol: { rtol: 1e-5, atol: 2e-6 } });
    }
  }
  return out;
}

kernelSuite('softmax cross-entropy', {
  'softmax_xent_f32 and backward (no smoothing)': () => cases(0),
  'softmax_xent_f32 and backward (smoothing 0.1)': () => cases(0.1),
});

describe.each(BACKENDS)('softmax cross-entropy on %s', (be) => {
  it('is stable for huge logits and near 0 for a confident prediction', async () => {
    const b = await backend(be);
    const x = new Float32Array([1e4, 0, -1e4, 50, 50, 50, 20, 0, 0]);
    const [l] = runKernel(b, [new Float32Array(3), x, new Int32Array([0, 1, 0])], (p) => b.kernels.softmax_xent_f32(p[0]!, p[1]!, p[2]!, 3, 3, 0));
    expectClose(l!, [0, Math.log(3), Math.log1p(2 * Math.exp(-20))], { rtol: 1e-6, atol: 1e-8 }); // 4e-9 rounds away in f32 (as in PyTorch)
  });
});
