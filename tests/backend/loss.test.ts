// Fused softmax cross-entropy forward/backward on every backend against the JS reference, with
// label smoothing, ignored (negative) targets, −inf and huge logits.
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import { runKernel } from './harness.js';

function targets(rows: number, cols: number, seed: number): Int32Array {
  const t = new Int32Array(rows);
  for (let r = 0; r < rows; r++) t[r] = (r * 7 + seed) % cols;
  if (rows > 2) t[1] = -1; // ignored row
  return t;
}
const fwd = (b: Backend, x: Float32Array, t: Int32Array, rows: number, cols: number, s: number) =>
  runKernel(b, [new Float32Array(rows), x, t], (p) => b.kernels.softmax_xent_f32(p[0]!, p[1]!, p[2]!, rows, cols, s))[0] as Float32Array;
const bwd = (b: Backend, dx: Float32Array, x: Float32Array, t: Int32Array, dl: Float32Array, rows: number, cols: number, s: number) =>
  runKernel(b, [dx, x, t, dl], (p) => b.kernels.softmax_xent_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, rows, cols, s))[0] as Float32Array;

describe.each(BACKENDS)('softmax cross-entropy on %s', (be) => {
  for (const s of [0, 0.1]) {
    it(`forward and backward at every size (smoothing ${s})`, async () => {
      const ref = await backend('js'), b = await backend(be);
      for (const cols of SIZES.filter((n) => n > 0)) {
        for (const rows of [1, 5]) {
          const x = randomArray(rows * cols, cols * 3 + rows, -8, 8);
          if (cols > 4) { x[2] = 60; x[cols + 1] = -Infinity; }
          const t = targets(rows, cols, cols);
          const want = fwd(ref, x, t, rows, cols, s);
          expectClose(fwd(b, x, t, rows, cols, s), want, { rtol: 2e-6, atol: 2e-6 }, `${be} loss ${rows}x${cols}`);
          if (rows > 2) expect(want[1]).toBe(0);
          const dx = randomArray(rows * cols, cols + 1), dl = randomArray(rows, rows + 2, 0.5, 2);
          const dwant = bwd(ref, dx, x, t, dl, rows, cols, s);
          expectClose(bwd(b, dx, x, t, dl, rows, cols, s), dwant, { rtol: 1e-5, atol: 2e-6 }, `${be} dlogits ${rows}x${cols}`);
          if (rows > 2) expect(Array.from(dwant.subarray(cols, 2 * cols))).toEqual(Array.from(dx.subarray(cols, 2 * cols)));
        }
      }
    });
  }
  it('is stable for huge logits and near 0 for a confident prediction', async () => {
    const b = await backend(be);
    const x = new Float32Array([1e4, 0, -1e4, 50, 50, 50, 20, 0, 0]);
    const l = fwd(b, x, new Int32Array([0, 1, 0]), 3, 3, 0);
    expectClose(l, [0, Math.log(3), Math.log1p(2 * Math.exp(-20))], { rtol: 1e-6, atol: 1e-8 }); // 4e-9 rounds away in f32 (as in PyTorch)
  });
});
