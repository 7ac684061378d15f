// Non-GEMM kernel benchmark: representative kernels at 1M (2^20) f32 elements on every backend
// (relaxed, simd, scalar wasm builds and the pure-JS reference), each reported as a ratio to a
// memcpy of the same 4 MiB inside the same linear memory. The memcpy baseline is
// `heap.u8.copyWithin(dst, src, src + bytes)` on the wasm memory's buffer: V8 runs it as one
// memmove over the same pages, which is what wasm `memory.copy` compiles to as well, so no
// bench-only wasm export is needed. Every result is validated against the JS reference before
// timing. Run: node --experimental-wasm-relaxed-simd --import tsx bench/kernels.ts
import { Bench } from 'tinybench';
import { availableBackends, createBackend, type Backend } from '../src/backend/create-backend.js';
import { wordIndex } from '../src/memory.js';
import type { BackendName, Ptr } from '../src/backend/backend.js';

const N = 1 << 20, R = 1024, C = 1024;

interface Prepared { run(): void; result(): Float32Array | Int32Array; free(): void }
interface Case { name: string; shape: string; tol: number; prepare(b: Backend): Prepared }

function filled(n: number, seed: number, lo = -4, hi = 4): Float32Array {
  const a = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; a[i] = lo + (hi - lo) * (s / 2 ** 32); }
  return a;
}
/** Allocates and fills buffers; run(ptrs) is the timed call; result reads buffer `out`. */
function prep(b: Backend, bufs: (Float32Array | Int32Array)[], out: number, call: (p: Ptr[]) => void): Prepared {
  const ptrs = bufs.map((a) => {
    const p = b.heap.alloc(a.length * 4);
    if (a instanceof Int32Array) b.heap.i32.set(a, wordIndex(p)); else b.heap.f32.set(a, wordIndex(p));
    return p;
  });
  const o = bufs[out]!;
  return {
    run: () => call(ptrs),
    result: () => (o instanceof Int32Array ? b.heap.readI32(ptrs[out]!, o.length) : b.heap.readF32(ptrs[out]!, o.length)),
    free: () => ptrs.forEach((p) => b.heap.free(p)),
  };
}
const unary = (name: 'exp_f32' | 'tanh_f32' | 'gelu_f32' | 'relu_f32', lo: number, hi: number): Case => ({
  name: name.replace('_f32', ''), shape: '1M', tol: 2e-6,
  prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1, lo, hi)], 0, (p) => b.kernels[name](p[0]!, p[1]!, N)),
});

const CASES: Case[] = [
  { name: 'add', shape: '1M + 1M', tol: 0,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1), filled(N, 2)], 0,
      (p) => b.kernels.add_f32(p[0]!, p[1]!, p[2]!, 1, N, N, 1, N, 1)) },
  { name: 'mul, row broadcast', shape: '[1024,1024] · [1,1024]', tol: 0,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1), filled(C, 2)], 0,
      (p) => b.kernels.mul_f32(p[0]!, p[1]!, p[2]!, R, C, C, 1, 0, 1)) },
  unary('exp_f32', -80, 80), unary('tanh_f32', -6, 6), unary('gelu_f32', -6, 6), unary('relu_f32', -4, 4),
  { name: 'relu_backward', shape: '1M', tol: 0,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1), filled(N, 2), filled(N, 3)], 0,
      (p) => b.kernels.relu_backward_f32(p[0]!, p[1]!, p[2]!, p[3]!, N)) },
  { name: 'sum rows', shape: '[1024,1024] → [1024]', tol: 1e-3, // f32 accumulation of 1024 terms of ±4
    prepare: (b) => prep(b, [new Float32Array(R), filled(N, 1)], 0, (p) => b.kernels.sum_f32(p[0]!, p[1]!, R, C, 1)) },
  { name: 'sum columns', shape: '[1024,1024] → [1024]', tol: 1e-3,
    prepare: (b) => prep(b, [new Float32Array(C), filled(N, 1)], 0, (p) => b.kernels.sum_f32(p[0]!, p[1]!, 1, R, C)) },
  { name: 'softmax rows', shape: '[1024,1024]', tol: 2e-6,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1)], 0, (p) => b.kernels.softmax_f32(p[0]!, p[1]!, R, C)) },
  { name: 'xent fwd+bwd', shape: '[1024,1024]', tol: 1e-5,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1), Int32Array.from({ length: R }, (_, i) => (i * 37) % C),
      new Float32Array(R), new Float32Array(R).fill(1 / R)], 0, (p) => {
      b.kernels.softmax_xent_f32(p[3]!, p[1]!, p[2]!, R, C, 0.1);
      b.kernels.softmax_xent_backward_f32(p[0]!, p[1]!, p[2]!, p[4]!, R, C, 0.1);
    }) },
  { name: 'copy transpose', shape: '[1024,1024]ᵀ', tol: 0,
    prepare: (b) => prep(b, [new Float32Array(N), filled(N, 1)], 0,
      (p) => b.kernels.copy_strided_f32(p[0]!, p[1]!, 1, 1, C, R, 0, 0, R, 1, 0, 0, 1, C)) },
];

function check(name: string, be: string, got: ArrayLike<number>, want: ArrayLike<number>, tol: number): void {
  for (let i = 0; i < want.length; i++) {
    const a = got[i]!, e = want[i]!;
    if (Number.isNaN(e) ? !Number.isNaN(a) : !(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) {
      throw new Error(`bench ${name} on ${be}: [${i}] = ${a}, reference ${e}`);
    }
  }
}

async function median(fn: () => void, time: number): Promise<number> {
  const bench = new Bench({ time, warmupTime: Math.min(100, time / 2) });
  bench.add('t', fn);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (!('latency' in r)) throw new Error(`benchmark task failed (${r.state})`);
  return r.latency.p50; // ms
}

/** Runs the suite and returns a markdown table (ratios to memcpy of the same bytes). */
export async function runKernelsBench({ time = 400 }: { time?: number } = {}): Promise<string> {
  const names = availableBackends();
  const backends = new Map<BackendName, Backend>();
  for (const n of names) backends.set(n, await createBackend(n));
  // memcpy baseline: 4 MiB copyWithin inside the wasm memory of the best backend
  const base = backends.get(names[0]!)!;
  const src = base.heap.alloc(4 * N), dst = base.heap.alloc(4 * N);
  const copyMs = await median(() => { base.heap.u8.copyWithin(dst, src, src + 4 * N); }, time);
  base.heap.free(src); base.heap.free(dst);

  const rows: string[] = [
    `memcpy baseline: ${(copyMs * 1000).toFixed(0)} µs for 4 MiB (${(4 * N / copyMs / 1e6).toFixed(1)} GB/s). ` +
    'Cells: time / memcpy time (median µs).',
    '',
    `| kernel | shape | ${names.join(' | ')} |`,
    `|---|---|${names.map(() => '---:').join('|')}|`,
  ];
  for (const c of CASES) {
    const js = backends.get('js')!;
    const ref = c.prepare(js);
    ref.run();
    const want = ref.result();
    const cells: string[] = [];
    for (const n of names) {
      const b = backends.get(n)!;
      const p = n === 'js' ? ref : c.prepare(b);
      if (n !== 'js') { p.run(); check(c.name, n, p.result(), want, c.tol); }
      const ms = await median(p.run, n === 'js' ? Math.min(time, 300) : time);
      cells.push(`${(ms / copyMs).toFixed(2)}× (${(ms * 1000).toFixed(0)})`);
      if (n !== 'js') p.free();
    }
    ref.free();
    rows.push(`| ${c.name} | ${c.shape} | ${cells.join(' | ')} |`);
  }
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runKernelsBench());
}
