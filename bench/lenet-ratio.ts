// The LeNet-5 step's useful GFLOP/s (bench/lenet.ts: B = 64, Adam, one thread) as a RATIO to
// gemm_f32 at 256³ in the same process, for a shared machine: the two are timed in short
// alternating blocks (≈ 0.25 s of steps, then ≈ 0.1 s of GEMMs), so a burst of load from other
// processes hits both sides of one ratio; each repetition gives one ratio by wall time and one by
// process CPU time, and the medians over the repetitions are printed (with the spread).
//
//   node --experimental-wasm-relaxed-simd --import tsx bench/lenet-ratio.ts [--reps=N]
import * as sg from '../src/index.js';
import { active } from '../src/runtime/context.js';
import type { Kernels } from '../src/backend/backend.js';
import { LENET_STEP_FLOPS, lenetWeights, referenceLoss, simdgradTrainer, validate } from './lenet.js';

const arg = (name: string, def: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const REPS = arg('reps', 15);

await sg.init({ threads: 1 });
const be = active(), K = be.kernels as Kernels, h = be.heap, n = 256;
const v = (s: number) => Float32Array.from({ length: n * n }, (_, i) => Math.sin(i * 12.9898 + s) * 0.5);
const a = h.writeF32(v(7)), b = h.writeF32(v(8)), c = h.alloc(n * n * 4), ws = h.alloc(K.gemm_workspace_f32(n, n, n, 0, 0));
const gemm = () => K.gemm_f32(c, a, b, 0, ws, n, n, n, n, n, n, 0, 0, 0, 0);

/** [wall ms, CPU ms] per call of f over `count` calls. */
function timed(f: () => unknown, count: number): [number, number] {
  const c0 = process.cpuUsage(), t0 = performance.now();
  for (let i = 0; i < count; i++) f();
  const u = process.cpuUsage(c0);
  return [(performance.now() - t0) / count, (u.user + u.system) / 1000 / count];
}

const tr = simdgradTrainer();
await validate(tr, referenceLoss(lenetWeights()));
timed(tr.step, 30); timed(gemm, 20); // warm-up
const median = (xs: number[]) => { const s = [...xs].sort((p, q) => p - q); return s[s.length >> 1]!; };
const wall: number[] = [], cpu: number[] = [], stepMs: number[] = [];
for (let r = 0; r < REPS; r++) {
  const [sw, sc] = timed(tr.step, 40), [gw, gc] = timed(gemm, 100);
  const gf = 2 * n ** 3;
  wall.push(LENET_STEP_FLOPS / sw / (gf / gw)); cpu.push(LENET_STEP_FLOPS / sc / (gf / gc)); stepMs.push(sc);
}
tr.dispose();
for (const p of [a, b, c, ws]) h.free(p);
const pct = (xs: number[]) => `${(100 * median(xs)).toFixed(1)}% (range ${(100 * Math.min(...xs)).toFixed(1)}–${(100 * Math.max(...xs)).toFixed(1)})`;
console.log(`${be.name} build, ${REPS} reps: step / gemm_f32 256³ by wall ${pct(wall)}, by CPU ${pct(cpu)}; ` +
  `median ${median(stepMs).toFixed(2)} CPU ms/step`);
