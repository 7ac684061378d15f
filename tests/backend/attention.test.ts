// softmax_masked_f32 and its backward on every backend — the JS reference included — against a
// naive f64 twin written here: every SIZES column count, masks broadcast by div/mod (per row, per
// matrix, per batch), causal rows, fully masked rows (zeros, not NaN), huge and −inf scores.
// Tolerances: forward 2e-6 relative (f32 exp approximations within 4e-7, assembly/vmath.ts, over a
// row sum and a division) and 1e-7 absolute (entries that round to tiny probabilities); backward
// 1e-5 relative and 2e-6 absolute (the f32 dot Σ dy·y and the add onto dx ∈ [−1, 1]).
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create-backend.js';
import { kernelSuite, runKernel, type KernelCase } from './harness.js';

interface Case { rows: number; cols: number; scale: number; causal: number; m1?: [number, number]; m2?: [number, number] }

const CASES: Case[] = [
  ...SIZES.map((c): Case => ({ rows: 3, cols: c, scale: 0.5, causal: 0 })),
  ...SIZES.map((c): Case => ({ rows: 6, cols: c, scale: 1, causal: 3, m1: [1, 3] })),          // [T, S] mask, causal T = 3
  ...SIZES.map((c): Case => ({ rows: 8, cols: c, scale: 0.35, causal: 0, m1: [4, 2], m2: [1, 8] })), // per-batch + full
  { rows: 2 * 4 * 17, cols: 17, scale: 0.25, causal: 17, m1: [4 * 17, 2], m2: [1, 17] },
  { rows: 40, cols: 257, scale: 0.125, causal: 257, m1: [20, 2] },
  { rows: 0, cols: 5, scale: 1, causal: 0 },
];

/** Additive mask rows: 0 or −inf (every 5th entry), a few finite offsets. */
function mask(rows: number, cols: number, seed: number): Float32Array {
  const m = randomArray(rows * cols, seed, -2, 2);
  for (let i = 0; i < m.length; i++) if ((i * 7 + seed) % 5 === 0) m[i] = -Infinity;
  return m;
}

/** The f64 twin: y per row over the columns it may see, and dx0 + scale·y·(dy − Σ dy·y). */
function twin(cs: Case, x: Float32Array, m1: Float32Array, m2: Float32Array, dy: Float32Array, dx: Float32Array) {
  const { rows, cols } = cs, scale = Math.fround(cs.scale), y = new Float32Array(rows * cols), grad = new Float64Array(dx);
  for (let r = 0; r < rows; r++) {
    const seen = cs.causal > 0 ? Math.min(cols, (r % cs.causal) + 1) : cols;
    const maskRow = (m: Float32Array, mk?: [number, number]) => (mk ? (Math.floor(r / mk[0]) % mk[1]) * cols : -1);
    const r1 = maskRow(m1, cs.m1), r2 = maskRow(m2, cs.m2);
    const z = Array.from({ length: seen }, (_, j) => scale * x[r * cols + j]! + (r1 < 0 ? 0 : m1[r1 + j]!) + (r2 < 0 ? 0 : m2[r2 + j]!));
    const top = z.some(Number.isNaN) ? NaN : Math.max(-Infinity, ...z);
    if (top === -Infinity) continue;                                   // fully masked: zeros, no gradient
    const e = z.map((v) => Math.exp(v - top)), sum = e.reduce((a, v) => a + v, 0);
    e.forEach((v, j) => { y[r * cols + j] = v / sum; });
    let dot = 0;
    for (let j = 0; j < seen; j++) dot += dy[r * cols + j]! * y[r * cols + j]!;
    for (let j = 0; j < seen; j++) grad[r * cols + j]! += scale * y[r * cols + j]! * (dy[r * cols + j]! - dot);
  }
  return { y, grad };
}

function cases(): KernelCase[] {
  return CASES.flatMap((cs, i): KernelCase[] => {
    const label = JSON.stringify(cs);
    const x = randomArray(cs.rows * cs.cols, i + 3, -10, 10);
    if (x.length > 4) x[2] = 1e4;
    const m1 = mask((cs.m1?.[1] ?? 1) * cs.cols, 1, i + 11), m2 = mask((cs.m2?.[1] ?? 1) * cs.cols, 1, i + 12);
    const dy = randomArray(cs.rows * cs.cols, i + 5), dx = randomArray(cs.rows * cs.cols, i + 6);
    const w = twin(cs, x, m1, m2, dy, dx);
    return [
      { label: `${label} forward`, bufs: [new Float32Array(cs.rows * cs.cols), x, m1, m2],
        call: (k, p) => k.softmax_masked_f32(p[0]!, p[1]!, cs.m1 ? p[2]! : 0, cs.m1?.[0] ?? 1, cs.m1?.[1] ?? 1,
          cs.m2 ? p[3]! : 0, cs.m2?.[0] ?? 1, cs.m2?.[1] ?? 1, cs.rows, cs.cols, cs.scale, cs.causal),
        want: [w.y], tol: { rtol: 2e-6, atol: 1e-7 } },
      { label: `${label} backward`, bufs: [dx, w.y, dy],
        call: (k, p) => k.softmax_masked_backward_f32(p[0]!, p[1]!, p[2]!, cs.rows, cs.cols, cs.scale, cs.causal),
        want: [w.grad], tol: { rtol: 1e-5, atol: 2e-6 } },
    ];
  });
}

kernelSuite('attention softmax', { 'softmax_masked_f32 and backward': cases });

function forward(b: Backend, cs: Case, x: Float32Array, m1: Float32Array, m2: Float32Array): Float32Array {
  return runKernel(b, [new Float32Array(cs.rows * cs.cols), x, m1, m2], (p) => b.kernels.softmax_masked_f32(
    p[0]!, p[1]!, cs.m1 ? p[2]! : 0, cs.m1?.[0] ?? 1, cs.m1?.[1] ?? 1, cs.m2 ? p[3]! : 0, cs.m2?.[0] ?? 1, cs.m2?.[1] ?? 1,
    cs.rows, cs.cols, cs.scale, cs.causal))[0] as Float32Array;
}

describe.each(BACKENDS)('attention softmax on %s', (be) => {
  it('rows sum to 1 over unmasked columns; masked and fully masked rows are exact zeros', async () => {
    const b = await backend(be);
    const cols = 9, rows = 4;
    const x = randomArray(rows * cols, 3, -3, 3);
    x[3 * cols + 8] = NaN; // a causal row never reads past its own column: row 3 ignores column 8
    const m = new Float32Array(rows * cols);
    m.fill(-Infinity, cols, 2 * cols);           // row 1 fully masked
    m[2 * cols] = -Infinity;                      // row 2: column 0 masked
    const y = forward(b, { rows, cols, scale: 1, causal: rows, m1: [1, rows] }, x, m, m);
    for (let r = 0; r < rows; r++) {
      const row = Array.from(y.subarray(r * cols, (r + 1) * cols));
      expect(row.slice(r + 1).every((v) => v === 0), `row ${r} beyond the diagonal`).toBe(true);
      const s = row.reduce((a, v) => a + v, 0);
      if (r === 1) expect(row.every((v) => v === 0)).toBe(true);
      else expect(Math.abs(s - 1)).toBeLessThan(1e-6);
    }
    expect(y[2 * cols]).toBe(0);
    // backward of a fully masked row adds nothing
    const dy = randomArray(rows * cols, 4), dx = new Float32Array(rows * cols);
    const [g] = runKernel(b, [dx, y, dy], (p) => b.kernels.softmax_masked_backward_f32(p[0]!, p[1]!, p[2]!, rows, cols, 2, rows));
    expect(Array.from(g!.subarray(cols, 2 * cols)).every((v) => v === 0)).toBe(true);
    // a NaN score inside the used columns gives a NaN row
    const xn = x.slice(); xn[1] = NaN;
    const yn = forward(b, { rows: 1, cols, scale: 1, causal: 0 }, xn, m, m);
    expect(Array.from(yn).every(Number.isNaN)).toBe(true);
  });
});
