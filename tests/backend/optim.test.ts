// Fused optimizer kernels (sgd, adam/adamw, rmsprop, adagrad) and the clipping helpers
// (sum_squares, abs_max, clamp) on every backend against the JS reference at every SIZE, with each
// option switched on, over several steps (state carried between calls). scalar and simd match the
// reference bit for bit; relaxed may fuse multiply-adds (tolerance 1e-6 rel.).
import { describe, it, expect } from 'vitest';
import { BACKENDS, SIZES, backend, expectClose, randomArray } from '../helpers/backends.js';
import type { Backend } from '../../src/backend/create.js';
import type { Ptr } from '../../src/backend/backend.js';
import { runKernel } from './harness.js';

/** Runs `steps` calls of a kernel with state buffers kept between calls; returns all buffers. */
function run(b: Backend, bufs: Float32Array[], steps: number, call: (p: Ptr[], t: number) => void): Float32Array[] {
  return runKernel(b, bufs, (p) => { for (let t = 1; t <= steps; t++) call(p, t); }) as Float32Array[];
}

interface Case { name: string; nState: number; call(b: Backend, p: Ptr[], n: number, t: number): void }

const adam = (o: { wd?: number; ams?: boolean; adamw?: boolean; both?: boolean }) => (b: Backend, p: Ptr[], n: number, t: number) => {
  const lr = 0.01, b1 = 0.9, b2 = 0.999, wd = o.wd ?? 0;
  b.kernels.adam_f32(p[0]!, p[1]!, p[2]!, p[3]!, o.ams ? p[4]! : 0, n, lr / (1 - b1 ** t), b1, 1 - b1, b2, 1 - b2, 1e-8,
    o.adamw && !o.both ? 0 : wd, Math.sqrt(1 - b2 ** t), o.adamw ? 1 - lr * wd : 1);
};
const CASES: Case[] = [
  { name: 'sgd plain', nState: 0, call: (b, p, n) => b.kernels.sgd_f32(p[0]!, p[1]!, 0, n, 0.1, 0, 0, 1, 0, 0) },
  { name: 'sgd weight decay', nState: 0, call: (b, p, n) => b.kernels.sgd_f32(p[0]!, p[1]!, 0, n, 0.1, 0.01, 0, 1, 0, 0) },
  { name: 'sgd momentum+dampening', nState: 1,
    call: (b, p, n, t) => b.kernels.sgd_f32(p[0]!, p[1]!, p[2]!, n, 0.1, 0, 0.9, 0.9, 0, t === 1 ? 1 : 0) },
  { name: 'sgd nesterov+wd', nState: 1,
    call: (b, p, n, t) => b.kernels.sgd_f32(p[0]!, p[1]!, p[2]!, n, 0.05, 1e-3, 0.9, 1, 1, t === 1 ? 1 : 0) },
  { name: 'adam', nState: 2, call: adam({}) },
  { name: 'adam wd+amsgrad', nState: 3, call: adam({ wd: 0.01, ams: true }) },
  { name: 'adamw', nState: 2, call: adam({ wd: 0.05, adamw: true }) },
  { name: 'adamw amsgrad', nState: 3, call: adam({ wd: 0.05, adamw: true, ams: true }) },
  { name: 'adam L2 and decoupled decay at once', nState: 3, call: adam({ wd: 0.05, adamw: true, both: true, ams: true }) },
  { name: 'rmsprop', nState: 1,
    call: (b, p, n) => b.kernels.rmsprop_f32(p[0]!, p[1]!, p[2]!, 0, 0, n, 0.01, 0.99, 1 - 0.99, 1e-8, 0, 0) },
  { name: 'rmsprop centered+momentum+wd', nState: 3,
    call: (b, p, n) => b.kernels.rmsprop_f32(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, n, 0.01, 0.9, 1 - 0.9, 1e-8, 0.01, 0.5) },
  { name: 'rmsprop momentum', nState: 3,
    call: (b, p, n) => b.kernels.rmsprop_f32(p[0]!, p[1]!, p[2]!, 0, p[4]!, n, 0.01, 0.99, 1 - 0.99, 1e-6, 0, 0.9) },
  { name: 'adagrad', nState: 1,
    call: (b, p, n, t) => b.kernels.adagrad_f32(p[0]!, p[1]!, p[2]!, n, 0.1 / (1 + (t - 1) * 0.01), 0, 1e-10) },
  { name: 'adagrad wd', nState: 1,
    call: (b, p, n, t) => b.kernels.adagrad_f32(p[0]!, p[1]!, p[2]!, n, 0.1 / t, 0.1, 1e-10) },
];

function inputs(n: number, nState: number, seed: number): Float32Array[] {
  const g = randomArray(n, seed + 1, -2, 2);
  if (n > 6) { g[3] = 0; g[5] = 1e-30; } // zero and tiny gradients (second moment flush)
  const bufs = [randomArray(n, seed), g];
  for (let s = 0; s < nState; s++) bufs.push(s === 0 ? new Float32Array(n).fill(0.1) : new Float32Array(n));
  return bufs;
}

describe.each(BACKENDS)('optimizer kernels on %s', (be) => {
  const tol = be === 'relaxed' ? { rtol: 1e-6, atol: 1e-7 } : { rtol: 0, atol: 0 };
  it.each(CASES.map((c) => [c.name, c] as const))('%s at every size over 3 steps', async (_, c) => {
    const ref = await backend('js'), b = await backend(be);
    for (const n of SIZES) {
      const x = inputs(n, c.nState, n + 7);
      const want = run(ref, x, 3, (p, t) => c.call(ref, p, n, t));
      const got = run(b, x, 3, (p, t) => c.call(b, p, n, t));
      want.forEach((w, i) => expectClose(got[i]!, w, tol, `${be} ${c.name} n=${n} buffer ${i}`));
      if (n > 0) expect(want[0]!.some((v, i) => v !== x[0]![i]), 'parameters moved').toBe(true);
    }
  });

  it('matches hand-computed first steps', async () => {
    const b = await backend(be);
    // Adam step 1: m = 0.1g, v = 0.001g², p −= lr·m/(1−β1) / (sqrt(v)/sqrt(1−β2) + eps) ≈ lr·sign(g)
    const [p] = run(b, [new Float32Array([1, 1, -1, 0, 2]), new Float32Array([0.5, -3, 1e-3, 0, 7]),
      new Float32Array(5), new Float32Array(5)], 1, (q) =>
      b.kernels.adam_f32(q[0]!, q[1]!, q[2]!, q[3]!, 0, 5, 0.1 / 0.1, 0.9, 0.1, 0.999, 0.001, 1e-8, 0, Math.sqrt(0.001), 1));
    expectClose(p!, [0.9, 1.1, -1.1, 0, 1.9], { rtol: 1e-5, atol: 1e-6 });
    // SGD with momentum: buf starts as the gradient
    const [q, , buf] = run(b, [new Float32Array([1, 2, 3, 4, 5]), new Float32Array([1, 1, 1, 1, 1]), new Float32Array(5).fill(9)], 2,
      (r, t) => b.kernels.sgd_f32(r[0]!, r[1]!, r[2]!, 5, 0.1, 0, 0.5, 1, 0, t === 1 ? 1 : 0));
    expectClose(buf!, [1.5, 1.5, 1.5, 1.5, 1.5], { rtol: 1e-7 });
    expectClose(q!, [0.75, 1.75, 2.75, 3.75, 4.75], { rtol: 1e-6 });
  });

  it('flushes subnormal second moments to zero', async () => {
    const b = await backend(be);
    const n = 9, v = new Float32Array(n).fill(2e-38), g = new Float32Array(n);
    const [, , , vv] = run(b, [new Float32Array(n).fill(1), g, new Float32Array(n), v], 1, (q) =>
      b.kernels.adam_f32(q[0]!, q[1]!, q[2]!, q[3]!, 0, n, 1e-3, 0.9, 0.1, 0.5, 0.5, 1e-8, 0, 1, 1));
    expect(Array.from(vv!)).toEqual(new Array(n).fill(0)); // 1e-38 after β2 = 0.5 is subnormal
  });

  it('sum_squares, abs_max and clamp at every size', async () => {
    const ref = await backend('js'), b = await backend(be);
    for (const n of [...SIZES, 1000, 4099]) {
      const x = randomArray(n, n + 3, -3, 3);
      const [ss, am] = [0, 1].map((k) => {
        let out = 0;
        runKernel(b, [x], (p) => { out = k ? b.kernels.abs_max_f32(p[0]!, n) : b.kernels.sum_squares_f32(p[0]!, n); });
        return out;
      });
      let want = 0;
      runKernel(ref, [x], (p) => { want = ref.kernels.sum_squares_f32(p[0]!, n); });
      expect(Math.abs(ss! - want)).toBeLessThanOrEqual(1e-6 * want);
      expect(am).toBe(x.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
      const xs = x.slice(); if (n > 2) xs[1] = NaN;
      const [, c] = runKernel(b, [new Float32Array(n), xs], (p) => b.kernels.clamp_f32(p[0]!, p[1]!, n, -0.5, 1));
      const [, cw] = runKernel(ref, [new Float32Array(n), xs], (p) => ref.kernels.clamp_f32(p[0]!, p[1]!, n, -0.5, 1));
      expectClose(c as Float32Array, cw as Float32Array, { rtol: 0, atol: 0 });
    }
    const nan = new Float32Array([1, 2, NaN, 4, 5]);
    runKernel(b, [nan], (p) => { expect(b.kernels.abs_max_f32(p[0]!, 5)).toBeNaN(); expect(b.kernels.sum_squares_f32(p[0]!, 5)).toBeNaN(); });
  });
});
