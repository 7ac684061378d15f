// Optimizer-step benchmark: one Adam step over 1M (2^20) parameters — the fused adam_f32 kernel
// on every backend (relaxed, simd, scalar wasm builds and the pure-JS reference) against
//  - a memory-traffic baseline: memcpy of 14 MiB inside the same linear memory, i.e. the 28 MiB
//    an Adam step must move (reads p, g, m, v = 16 MiB; writes p, m, v = 12 MiB);
//  - TensorFlow.js's Adam (tf.train.adam().applyGradients on one 1M-element variable) on its wasm
//    and cpu backends.
// Every implementation is validated after one step from the same start against the JS reference
// before timing. Run standalone: node --experimental-wasm-relaxed-simd --import tsx bench/optim.ts
import { Bench } from 'tinybench';
import { muteLibraryBanners } from './library-banners.js';
import { availableBackends, createBackend, type Backend } from '../src/backend/create-backend.js';
import { wordIndex } from '../src/memory.js';
import type { BackendName, Ptr } from '../src/backend/backend.js';

const N = 1 << 20;
const LR = 1e-3, B1 = 0.9, B2 = 0.999, EPS = 1e-8;
const TRAFFIC = 7 * 4 * N; // bytes an Adam step reads + writes

function filled(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; a[i] = lo + (hi - lo) * (s / 2 ** 32); }
  return a;
}
const P0 = filled(N, 1), G0 = filled(N, 2);

async function median(fn: () => void, time: number): Promise<number> {
  const bench = new Bench({ time, iterations: 5, warmupTime: Math.min(100, time / 4), warmupIterations: 2 });
  bench.add('t', fn);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (!('latency' in r)) throw new Error(`optim bench: task failed (${r.state})`);
  return r.latency.p50; // ms
}

interface Runner { step(): void; params(): Float32Array; free(): void }

function simdgradAdam(b: Backend): Runner {
  const alloc = (init?: Float32Array): Ptr => {
    const p = b.heap.alloc(4 * N);
    if (init) b.heap.f32.set(init, wordIndex(p)); else b.heap.f32.fill(0, wordIndex(p), wordIndex(p) + N);
    return p;
  };
  const p = alloc(P0), g = alloc(G0), m = alloc(), v = alloc();
  let t = 0;
  return {
    step: () => {
      t++;
      b.kernels.adam_f32(p, g, m, v, 0, N, LR / (1 - B1 ** t), B1, 1 - B1, B2, 1 - B2, EPS, 0, Math.sqrt(1 - B2 ** t), 1);
    },
    params: () => b.heap.readF32(p, N),
    free: () => { for (const q of [p, g, m, v]) b.heap.free(q); },
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');
async function loadTf(): Promise<Tf | null> {
  try {
    muteLibraryBanners(); // tfjs-backend-cpu's Node.js notice
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await import('@tensorflow/tfjs-backend-wasm');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // single thread, like simdgrad
    return tf;
  } catch (e) {
    console.warn(`optim bench: TensorFlow.js unavailable (${(e as Error).message})`);
    return null;
  }
}

function tfAdam(tf: Tf): Runner {
  const p = tf.variable(tf.tensor1d(P0), true, 'p');
  const g = tf.tensor1d(G0);
  const opt = tf.train.adam(LR, B1, B2, EPS);
  return {
    step: () => opt.applyGradients([{ name: 'p', tensor: g }]),
    params: () => p.dataSync() as Float32Array,
    free: () => { opt.dispose(); p.dispose(); g.dispose(); },
  };
}

function check(name: string, got: Float32Array, want: Float32Array, tol: number): void {
  for (let i = 0; i < N; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) {
      throw new Error(`optim bench: ${name} [${i}] = ${got[i]}, reference ${want[i]}`);
    }
  }
}

/** Runs the suite and returns a markdown table. */
export async function runOptimBench({ time = 600 }: { time?: number } = {}): Promise<string> {
  const names = availableBackends();
  const backends = new Map<BackendName, Backend>();
  for (const n of names) backends.set(n, await createBackend(n));
  const ref = simdgradAdam(backends.get('js')!);
  ref.step();
  const want = ref.params();
  ref.free();

  // memory-traffic baseline: 14 MiB copyWithin (14 read + 14 written = one Adam step's bytes)
  const base = backends.get(names[0]!)!;
  const bytes = TRAFFIC / 2, src = base.heap.alloc(bytes), dst = base.heap.alloc(bytes);
  base.heap.u8.fill(1, src, src + bytes);
  const copyMs = await median(() => { base.heap.u8.copyWithin(dst, src, src + bytes); }, time);
  base.heap.free(src); base.heap.free(dst);

  const results: Array<{ name: string; ms: number }> = [];
  for (const n of names) {
    const r = simdgradAdam(backends.get(n)!);
    r.step();
    check(n, r.params(), want, n === 'relaxed' ? 1e-6 : 0);
    results.push({ name: `simdgrad ${n}`, ms: await median(r.step, n === 'js' ? Math.min(time, 400) : time) });
    r.free();
  }
  const tf = await loadTf();
  for (const tb of ['wasm', 'cpu']) {
    if (!tf || !(await tf.setBackend(tb))) continue;
    const r = tfAdam(tf);
    r.step();
    check(`tfjs-${tb}`, r.params(), want, 1e-6);
    results.push({ name: `tfjs-${tb}`, ms: await median(r.step, time) });
    r.free();
  }
  const tfw = results.find((r) => r.name === 'tfjs-wasm')?.ms;
  const rows = [
    `Adam step over ${N} f32 parameters (p, g, m, v in; p, m, v out: ${(TRAFFIC / 2 ** 20).toFixed(0)} MiB moved). ` +
    `Memory-traffic baseline: memcpy of ${(bytes / 2 ** 20).toFixed(0)} MiB = ${(copyMs * 1000).toFixed(0)} µs ` +
    `(${(TRAFFIC / copyMs / 1e6).toFixed(1)} GB/s of traffic). Medians.`,
    '',
    '| implementation | µs / step | vs memcpy baseline | traffic GB/s | vs tfjs-wasm |',
    '|---|---:|---:|---:|---:|',
    ...results.map((r) => `| ${r.name} | ${(r.ms * 1000).toFixed(0)} | ${(r.ms / copyMs).toFixed(2)}× | ` +
      `${(TRAFFIC / r.ms / 1e6).toFixed(1)} | ${tfw ? `${(r.ms / tfw).toFixed(2)}×` : '–'} |`),
  ];
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runOptimBench());
}
