// Kernel threads: the same work on 1 and 2 threads in one run (src/threads/: the shared-memory
// build on a pool, each kernel split into shares that write the one-thread bits).
//   - synchronisation: what publishing a job and waiting for it costs, workers spinning (jobs back
//     to back) and asleep (a gap of 2 ms between jobs), against the same shares called directly;
//   - GEMM NN / NT / TN at n = 128 … 2048 (goals: ≥ 1.8× at n ≥ 512, ≥ 1.4× at 256, never < 1×),
//     in the plan the rule picks and with operands always packed once and shared;
//   - an MLP 784-256-128-10 trained with Adam at batch 64 and 256 (bench/train.ts's trainers:
//     nn.Sequential and fused sg.linear), beside jax-js's whole-step jit (one thread in Node);
//   - an LSTM and a Transformer encoder layer training step; LeNet-5 and a conv + batch-norm block;
//   - one Adam step over 1M parameters (memory-bound: GB/s of the 28 MiB it moves);
//   - the single-thread cost per unit of the kernel classes src/threads/cost.ts assumes;
//   - a model of 4, 8 and 16 threads (threads-scaling.ts), predicted from timed shares.
// Every result is checked before timing: threaded outputs equal one thread's bit for bit (GEMM,
// Adam), trainings follow the same losses. Timing: tinybench medians over interleaved rounds,
// keeping the fastest median per cell. The speed-ups only mean something on an otherwise idle
// machine (two busy threads need two free cores).
//   node --experimental-wasm-relaxed-simd --import tsx bench/threads.ts [--quick]
import { Bench } from 'tinybench';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { availableBackends, createBackend, type Backend } from '../src/backend/create-backend.js';
import { wordIndex } from '../src/memory.js';
import type { BackendName, Ptr } from '../src/backend/backend.js';
import type { KernelPool } from '../src/threads/kernel-pool.js';
import { threadedBackend } from '../src/threads/threaded-backend.js';
import { COST, MIN_SHARE_NS } from '../src/threads/cost.js';
import type { SharedGemmKernels } from '../src/threads/gemm-sharing.js';
import { jaxTrainer, loadJax, makeData, makeWeights, medianMs, referenceLoss, simdgradTrainer, stepFlops, validate, type Trainer } from './mlp-trainers.js';
import { convTrainers, sequenceTrainers } from './threads-models.js';
import { BANDWIDTH_SCALE, SYNC_PER_THREAD_US, SYNC_US, runThreadsScaling, threadsBuildOnOneThread } from './threads-scaling.js';

export interface ThreadsBenchOptions { time?: number; rounds?: number; quick?: boolean }

const fmt = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));
const same = (a: Float32Array, b: Float32Array) => a.length === b.length &&
  new Uint32Array(a.buffer, a.byteOffset, a.length).every((v, i) => v === new Uint32Array(b.buffer, b.byteOffset, b.length)[i]);

async function median(fn: () => unknown, time: number): Promise<number> {
  const bench = new Bench({ time, iterations: 3, warmupTime: Math.min(100, time / 4), warmupIterations: 1 });
  bench.add('t', fn);
  await bench.run();
  const r = bench.tasks[0]!.result;
  if (!('latency' in r)) throw new Error(`threads bench: task failed (${r.state})`);
  return r.latency.p50;
}

/** The fastest median of `rounds` interleaved rounds, one per function. */
async function interleaved(fns: (() => unknown)[], time: number, rounds: number): Promise<number[]> {
  const best = fns.map(() => Infinity);
  for (let r = 0; r < rounds; r++) for (const [i, f] of fns.entries()) best[i] = Math.min(best[i]!, await median(f, time));
  return best;
}

function filled(b: Backend, n: number, seed: number): Ptr {
  const p = b.heap.alloc(4 * n), f = b.heap.f32, o = wordIndex(p);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) { s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0; f[o + i] = s / 2 ** 32 - 0.5; }
  return p;
}

/** Job overhead on the pool: 2 shares of fill_f32 over 16 floats, against the same two calls. */
function syncCost(two: Backend, pool: KernelPool, jobs: number): string {
  const out = two.heap.alloc(4 * 64), fill = pool.kernelIndex('fill_f32');
  const k = two.kernels as unknown as { fill_f32(o: Ptr, n: number, v: number): void };
  const direct = () => { k.fill_f32(out, 16, 1); k.fill_f32(out + 64, 16, 1); };
  const job = () => { pool.share(0, out, 16, 1); pool.share(1, out + 64, 16, 1); pool.run(fill, 2); };
  const per = (f: () => void, gapMs: number) => {
    const t: number[] = [];
    for (let i = 0; i < jobs; i++) {
      if (gapMs) { const until = performance.now() + gapMs; while (performance.now() < until); }
      const t0 = performance.now(); f(); t.push(performance.now() - t0);
    }
    t.sort((a, b) => a - b);
    return { p50: t[t.length >> 1]! * 1000, p90: t[Math.floor(t.length * 0.9)]! * 1000 };
  };
  const s0 = pool.stats();
  const d = per(direct, 0), hot = per(job, 0), s1 = pool.stats(), cold = per(job, 2), s2 = pool.stats();
  two.heap.free(out);
  const byWorkers = (a: typeof s0, b: typeof s0) => `${((100 * (b.sharesByWorkers - a.sharesByWorkers)) / (b.shares - a.shares)).toFixed(0)}%`;
  return ['| | median µs | p90 µs | shares run by the worker |', '|---|---:|---:|---:|',
    `| the two shares called directly | ${fmt(d.p50)} | ${fmt(d.p90)} | — |`,
    `| one job, worker spinning (jobs back to back) | ${fmt(hot.p50)} | ${fmt(hot.p90)} | ${byWorkers(s0, s1)} |`,
    `| one job, worker asleep (2 ms between jobs) | ${fmt(cold.p50)} | ${fmt(cold.p90)} | ${byWorkers(s1, s2)} |`].join('\n');
}

/** GEMM n×n×n, layouts NN / NT / TN, one vs two threads — the plan the rule picks, and operands
 * always packed once and shared (src/threads/gemm-sharing.ts); outputs compared bit for bit. */
async function gemmTable(one: Backend, two: Backend, shared: Backend, sizes: number[], time: number, rounds: number): Promise<string> {
  const rows = ['| layout | n | 1 thread GFLOP/s | 2 threads GFLOP/s | speed-up | shared operands GFLOP/s | speed-up |',
    '|---|---:|---:|---:|---:|---:|---:|'];
  for (const layout of ['NN', 'NT', 'TN'] as const) {
    const tA = layout === 'TN' ? 1 : 0, tB = layout === 'NT' ? 1 : 0;
    for (const n of sizes) {
      const runs = [one, two, shared].map((b) => {
        const a = filled(b, n * n, 1), bb = filled(b, n * n, 2), c = b.heap.alloc(4 * n * n);
        const ws = b.heap.alloc(Math.max(16, b.kernels.gemm_workspace_f32(n, n, n, tA, tB)));
        const call = () => b.kernels.gemm_f32(c, a, bb, 0, ws, n, n, n, n, n, n, tA, tB, 0, 0);
        call();
        return { call, read: () => b.heap.readF32(c, n * n), free: () => { for (const p of [a, bb, c, ws]) b.heap.free(p); } };
      });
      for (const r of runs.slice(1)) if (!same(runs[0]!.read(), r.read())) throw new Error(`threads bench: GEMM ${layout} n=${n} differs on 2 threads`);
      const [t1, t2, t3] = await interleaved(runs.map((r) => r.call), n >= 1024 ? Math.max(time, 1500) : time, rounds);
      const gf = (ms: number) => (2 * n ** 3) / ms / 1e6;
      rows.push(`| ${layout} | ${n} | ${fmt(gf(t1!), 1)} | ${fmt(gf(t2!), 1)} | ${fmt(t1! / t2!)}× | ${fmt(gf(t3!), 1)} | ${fmt(t1! / t3!)}× |`);
      for (const r of runs) r.free();
    }
  }
  return rows.join('\n');
}

/** One Adam step over 1M parameters: GB/s of the 28 MiB it reads and writes. */
async function adamTable(one: Backend, two: Backend, time: number, rounds: number): Promise<string> {
  const N = 1 << 20, bytes = 7 * 4 * N;
  const runs = [one, two].map((b) => {
    const p = filled(b, N, 1), g = filled(b, N, 2), m = filled(b, N, 3), v = b.heap.alloc(4 * N);
    b.heap.f32.fill(0.01, wordIndex(v), wordIndex(v) + N);
    return { step: () => b.kernels.adam_f32(p, g, m, v, 0, N, 1e-3, 0.9, 0.1, 0.999, 0.001, 1e-8, 0, 0.03, 1), read: () => b.heap.readF32(p, N) };
  });
  runs.forEach((r) => r.step());
  if (!same(runs[0]!.read(), runs[1]!.read())) throw new Error('threads bench: Adam differs on 2 threads');
  const [t1, t2] = await interleaved(runs.map((r) => r.step), time, rounds);
  const gbs = (ms: number) => bytes / ms / 1e6;
  return ['| | ms per step | GB/s | speed-up |', '|---|---:|---:|---:|',
    `| 1 thread | ${fmt(t1, 3)} | ${fmt(gbs(t1!), 1)} | |`, `| 2 threads | ${fmt(t2, 3)} | ${fmt(gbs(t2!), 1)} | ${fmt(t1! / t2!)}× |`].join('\n');
}

/** Trainers built under init({ threads }) for 1 and 2 threads, timed in interleaved rounds. */
async function trainTable(title: string, make: (threads: number) => Promise<Trainer[]>, time: number, rounds: number,
  flops?: (name: string) => number): Promise<string> {
  const best = new Map<string, number>(), firstLoss = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    for (const threads of [1, 2]) {
      for (const tr of await make(threads)) {
        if (r === 0 && / threads?$/.test(tr.name)) { // the next step's loss: the same bits on 1 and 2 threads
          const loss = await tr.step(), key = tr.name.replace(/\d+ threads?$/, '');
          const one = firstLoss.get(key);
          if (one === undefined) firstLoss.set(key, loss);
          else if (!Object.is(one, loss)) throw new Error(`threads bench: ${tr.name} lost ${loss}, one thread ${one}`);
        }
        best.set(tr.name, Math.min(best.get(tr.name) ?? Infinity, await medianMs(tr, time)));
        tr.dispose();
      }
    }
  }
  const jax = [...best.entries()].find(([name]) => name.startsWith('jax-js'));
  const rows = [`| ${title} | ms per step | steps/s | ${flops ? 'GEMM GFLOP/s | ' : ''}vs 1 thread |${jax ? ' vs jax-js |' : ''}`,
    `|---|---:|---:|${flops ? '---:|' : ''}---:|${jax ? '---:|' : ''}`];
  for (const [name, ms] of best) {
    const base = best.get(name.replace(/, 2 threads/, ', 1 thread'));
    rows.push(`| ${name} | ${fmt(ms)} | ${fmt(1000 / ms, 1)} | ${flops ? `${fmt(flops(name) / ms / 1e6, 1)} | ` : ''}` +
      `${name.includes('2 threads') && base ? `${fmt(base / ms)}×` : ''} |${jax ? ` ${name.startsWith('simdgrad') ? `${fmt(jax[1] / ms)}×` : ''} |` : ''}`);
  }
  return rows.join('\n');
}

/** ns per unit of each cost class on one thread (src/threads/cost.ts assumes the second column). */
async function costTable(one: Backend, time: number): Promise<string> {
  const n = 1 << 18, k = one.kernels, x = filled(one, n, 1), y = filled(one, n, 2), o = one.heap.alloc(4 * n);
  const m = 128, ws = one.heap.alloc(k.gemm_workspace_f32(m, m, m, 0, 0));
  // packing an MLP layer's operands (C 256×256 over k = 784) for the shared plan, A and B apart —
  // with the -threads build's kernels, the only ones that have the packing kernels
  const tb = await threadsBuildOnOneThread(one.name as 'relaxed' | 'simd'), sk = tb.kernels as unknown as SharedGemmKernels;
  const px = filled(tb, n, 1), py = filled(tb, n, 2), pw = tb.heap.alloc(sk.gemm_shared_workspace_f32(256, 256, 784, 1));
  const pack = (tiles: number, panels: number) => () => sk.gemm_pack_f32(pw, px, py, 0, 256, 256, 784, 784, 256, 0, 0, 0, tiles, 0, panels);
  const rows: [string, number, () => unknown, number][] = [
    ['gemmFlop (GEMM 128³)', COST.gemmFlop, () => k.gemm_f32(o, x, y, 0, ws, m, m, m, m, m, m, 0, 0, 0, 0), 2 * m ** 3],
    ['gemmPackA (A 256×784 into tiles)', COST.gemmPackA, pack(64, 0), 256 * 784],
    ['gemmPackB (B 784×256 into panels)', COST.gemmPackB, pack(0, 32), 256 * 784],
    ['light (add)', COST.light, () => k.add_f32(o, x, y, 1, n, n, 1, n, 1), n],
    ['transcendental (exp)', COST.transcendental, () => k.exp_f32(o, x, n), n],
    ['heavy (gelu)', COST.heavy, () => k.gelu_f32(o, x, n), n],
    ['optimizer (sgd, momentum)', COST.optimizer, () => k.sgd_f32(o, x, y, n / 2, 1e-3, 0, 0.9, 1, 0, 0), n / 2],
    ['adaptive (adam)', COST.adaptive, () => k.adam_f32(o, x, y, o + 2 * n, 0, n / 4, 1e-3, 0.9, 0.1, 0.999, 0.001, 1e-8, 0, 1, 0), n / 4],
    ['softmax (rows of 256)', COST.softmax, () => k.softmax_f32(o, x, n / 256, 256), n],
    ['cell (LSTM, per hidden unit)', COST.cell, () => k.lstm_cell_f32(o, o + n, x, y, 64, 256), 64 * 256],
  ];
  const out = ['| class | cost.ts ns/unit | measured ns/unit |', '|---|---:|---:|'];
  for (const [name, assumed, f, units] of rows) out.push(`| ${name} | ${assumed} | ${fmt((await median(f, time)) * 1e6 / units, 3)} |`);
  for (const p of [x, y, o, ws]) one.heap.free(p);
  for (const p of [px, py, pw]) tb.heap.free(p);
  return out.join('\n');
}

export async function runThreadsBench(opts: ThreadsBenchOptions = {}): Promise<string> {
  const time = opts.time ?? (opts.quick ? 300 : 600), rounds = opts.rounds ?? (opts.quick ? 1 : 3);
  const variant = availableBackends()[0] as Extract<BackendName, 'relaxed' | 'simd'>;
  const one = await createBackend(variant);
  const made = await threadedBackend(variant, 2);
  if (!made.backend?.pool) throw new Error(`threads bench: no pool (${made.reason})`);
  const two = made.backend, pool = made.backend.pool;
  const sharedMade = await threadedBackend(variant, 2, undefined, 'measured', 'always');
  if (!sharedMade.backend?.pool) throw new Error(`threads bench: no pool (${sharedMade.reason})`);
  const sections: string[] = [];
  sections.push(`Build ${variant}, Node ${process.version} (V8 ${process.versions.v8}); a call is split when each share holds ≥ ` +
    `${MIN_SHARE_NS / 1000} µs of one thread's work (src/threads/cost.ts).`);
  sections.push('**Synchronisation per job** (2 shares of a trivial kernel):\n\n' + syncCost(two, pool, opts.quick ? 2000 : 20000));
  sections.push('**GEMM** (C = A·B, n×n×n; outputs equal bit for bit):\n\n' +
    await gemmTable(one, two, sharedMade.backend, opts.quick ? [128, 256, 512] : [128, 256, 512, 1024, 2048], time, rounds));
  sections.push('**Adam over 1M parameters** (reads p, g, m, v and writes p, m, v: 28 MiB per step):\n\n' + await adamTable(one, two, time, rounds));
  pool.close();
  sharedMade.backend.pool.close();

  await sg.init({ backend: variant, threads: 1 }); // makeWeights draws through sg
  const wt = makeWeights();
  const jax = await loadJax();
  for (const batch of [64, 256]) {
    const d = makeData(batch), ref0 = referenceLoss(wt, d);
    const make = async (threads: number) => {
      await sg.init({ backend: variant, threads });
      const trs = [simdgradTrainer(d, false), simdgradTrainer(d, true)];
      for (const tr of trs) tr.name = `${tr.name.replace(/^simdgrad \w+ /, 'simdgrad ')}, ${threads} thread${threads > 1 ? 's' : ''}`;
      if (threads === 1 && jax) trs.push(jaxTrainer(jax, wt, d, true));
      for (const tr of trs) await validate(tr, ref0, d);
      return trs;
    };
    sections.push(`**MLP 784-256-128-10, Adam, batch ${batch}**:\n\n` + await trainTable('trainer', make, time, rounds, () => stepFlops(batch)));
  }
  sections.push('**LSTM and Transformer encoder layer**, one training step each (Adam):\n\n' + await trainTable('model', async (threads) => {
    await sg.init({ backend: variant, threads });
    return sequenceTrainers(threads);
  }, time, rounds));
  sections.push('**Convolutional networks**, one training step each (Adam):\n\n' + await trainTable('model', async (threads) => {
    await sg.init({ backend: variant, threads });
    return convTrainers(threads);
  }, time, rounds));
  sections.push('**Single-thread cost per unit** (what the split decision assumes):\n\n' + await costTable(one, Math.min(time, 300)));
  sections.push(`**Scaling model** (bench/threads-scaling.ts: the real split decisions for 2–16 threads over a simulated pool ` +
    `that times each share alone; sync ${SYNC_US} µs + ${SYNC_PER_THREAD_US} µs per thread per job, non-GEMM jobs capped at ` +
    `${BANDWIDTH_SCALE}× one core's memory bandwidth; predicted speed-ups, not measured):\n\n` + await runThreadsScaling(variant));
  await sg.init({ threads: 1 });
  if (sg.threads() !== 1) throw new Error('threads bench: a pool outlived the bench');
  return sections.join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runThreadsBench({ quick: process.argv.includes('--quick') }));
}
