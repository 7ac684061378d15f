// Where a LeNet-5 training step's time goes (bench/lenet.ts's step: B = 64, 28×28, Adam): every
// kernel of the active backend wrapped with a CPU-time counter (per kernel name: calls and CPU ms
// per step), the step's CPU time (process.cpuUsage: other processes' turns on a shared machine do not
// count), the rest (JS: autograd, allocation, views) as the difference, and the useful work as a
// fraction of gemm_f32 at 256³ in the same run. Repeats ROUNDS times to show the noise.
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/lenet-profile.ts [--steps=N] [--rounds=N]
import * as sg from '../src/index.js';
import { active } from '../src/runtime/context.js';
import type { Kernels } from '../src/backend/backend.js';
import { LENET_STEP_FLOPS, lenetWeights, referenceLoss, simdgradTrainer, validate } from './lenet.js';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const STEPS = arg('steps', 200), ROUNDS = arg('rounds', 3);

await sg.init({ threads: 1 }); // one thread: CPU time per kernel of one step
const be = active(), raw = be.kernels as unknown as Record<string, (...a: number[]) => number>;
const times = new Map<string, { ms: number; calls: number }>();
let timing = false;
// the wasm exports are frozen: the backend gets a wrapped copy of them (tensors reach kernels
// through tensor.backend.kernels, which is this object)
const K: Record<string, unknown> = {};
for (const name of Object.keys(raw)) {
  const f = raw[name]!;
  if (typeof f !== 'function') { K[name] = f; continue; }
  K[name] = (...a: number[]) => {
    if (!timing) return f(...a);
    const c0 = process.cpuUsage();
    try { return f(...a); } finally {
      // convolutions per layer: their input and output channels
      const at = name === 'conv2d_backward_input_f32' ? 5 : 6;
      const key = name.startsWith('conv2d_') && name !== 'conv2d_workspace_f32' ? `${name} ${a[at]}→${a[at + 3]}` : name;
      const e = times.get(key) ?? { ms: 0, calls: 0 }, u = process.cpuUsage(c0);
      e.ms += (u.user + u.system) / 1000; e.calls++;
      times.set(key, e);
    }
  };
}
(be as { kernels: unknown }).kernels = K;
const kernels = raw as unknown as Kernels;

/** CPU ms per gemm_f32 at 256³ (best of 5 batches of 20). */
function gemmGflops(k: Kernels): number {
  const n = 256, h = be.heap, v = (s: number) => Float32Array.from({ length: n * n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
  const a = h.writeF32(v(7)), b = h.writeF32(v(8)), c = h.alloc(n * n * 4), ws = h.alloc(k.gemm_workspace_f32(n, n, n, 0, 0));
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 20; i++) k.gemm_f32(c, a, b, 0, ws, n, n, n, n, n, n, 0, 0, 0, 0);
    const u = process.cpuUsage(c0);
    best = Math.min(best, (u.user + u.system) / 1000 / 20);
  }
  for (const p of [a, b, c, ws]) h.free(p);
  return 2 * n ** 3 / best / 1e6;
}

const tr = simdgradTrainer();
await validate(tr, referenceLoss(lenetWeights()));
for (let i = 0; i < 20; i++) tr.step();
const gemm = gemmGflops(kernels);
console.log(`${be.name} build; gemm_f32 256³: ${gemm.toFixed(1)} GFLOP/s (CPU time); useful work ${(LENET_STEP_FLOPS / 1e6).toFixed(1)} MFLOP/step`);
for (let r = 0; r < ROUNDS; r++) {
  times.clear();
  const c0 = process.cpuUsage(), t0 = performance.now();
  timing = r > 0;            // round 0 untimed per kernel: the wrapper's own cost stays out of it
  for (let i = 0; i < STEPS; i++) tr.step();
  const u = process.cpuUsage(c0), cpu = (u.user + u.system) / 1000 / STEPS, wall = (performance.now() - t0) / STEPS;
  const gf = LENET_STEP_FLOPS / cpu / 1e6;
  console.log(`round ${r}: ${cpu.toFixed(2)} CPU ms/step (${wall.toFixed(2)} wall), ${gf.toFixed(1)} GFLOP/s = ${(100 * gf / gemm).toFixed(0)}% of gemm_f32` +
    (timing ? ' (kernels timed)' : ''));
  if (!timing) continue;
  const rows = [...times].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0) / STEPS;
  for (const [name, e] of rows) console.log(`  ${name.padEnd(34)} ${(e.calls / STEPS).toFixed(0).padStart(4)} calls ${(e.ms / STEPS).toFixed(3).padStart(7)} ms`);
  console.log(`  ${'kernels'.padEnd(34)}            ${total.toFixed(3).padStart(7)} ms; the rest (JS, timers) ${(cpu - total).toFixed(3)} ms`);
}
tr.dispose();
