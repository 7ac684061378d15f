// A model of kernel threads past this machine's cores (bench/threads.ts's last section; the
// analysis in bench/NOTES.md, "Kernel threads"). It runs the real split decisions of
// src/threads/parallel-kernels.ts for T = 2, 4, 8, 16 threads over a *simulated* pool: every share
// of a job runs on the calling thread, timed alone. Per job it records the shares' times (the
// median over steps); every call left whole is timed too; the JS between kernels (autograd,
// dispatch) is the measured one-thread step less all kernel time. The predicted speed-up on T
// threads is then (JS + whole calls + Σ jobs' shares) over
//   (JS + whole calls + Σ jobs (slowest share, or mem(job)) + sync(T) per job)
// where sync(T) is the cost of publishing and finishing one job, SYNC_US + SYNC_PER_THREAD_US·T
// (the first term measured by bench/threads.ts on 2 threads, the second an assumption: one more
// claim exchange and cache-line transfer per thread), and mem(job) caps what a job whose shares
// stream memory can gain: GEMM is compute-bound and takes the slowest share as it is; every other
// job takes at least (Σ shares) / BANDWIDTH_SCALE — the memory bandwidth T cores share is taken
// as BANDWIDTH_SCALE times one core's (an assumption; 4 is typical of a laptop's DRAM).
// What the model leaves out: cache effects between cores (each share's operands were hot in this
// core's cache when timed), frequency changes with more busy cores, and the OS.
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { active } from '../src/runtime/context.js';
import type { Kernels } from '../src/backend/backend.js';
import type { KernelPool } from '../src/threads/kernel-pool.js';
import { parallelKernels } from '../src/threads/parallel-kernels.js';
import { makeData, simdgradTrainer, type Trainer } from './mlp-trainers.js';

/** µs of one job's publication and completion (bench/threads.ts: ~1.5 µs, a worker spinning). */
export const SYNC_US = 1.5;
/** µs more per thread taking part (an assumption, see the header). */
export const SYNC_PER_THREAD_US = 0.25;
/** How many times one core's memory bandwidth all cores have together (an assumption). */
export const BANDWIDTH_SCALE = 4;
const THREADS = [2, 4, 8, 16];

type Fn = (...a: number[]) => unknown;

/** What one step did: jobs (kernel name, each share's ms) and the ms of calls left whole. */
interface Trace { jobs: { kernel: string; shares: number[] }[]; wholeMs: number }

/** A pool of `threads` that runs every share here, timing each. */
function simulatedPool(threads: number, names: string[], raw: Record<string, Fn>, trace: () => Trace): KernelPool {
  const args: number[][] = [];
  const pool = {
    threads, active: threads,
    kernelIndex: (name: string) => names.indexOf(name),
    share: (s: number, ...a: number[]) => { args[s] = a; },
    result: () => 0,
    run(k: number, n: number) {
      const f = raw[names[k]!]!, shares: number[] = [];
      for (let s = 0; s < n; s++) { const t0 = performance.now(); f(...args[s]!); shares.push(performance.now() - t0); }
      trace().jobs.push({ kernel: names[k]!, shares });
    },
  };
  return pool as unknown as KernelPool;
}

/** The active backend's kernels split as on `threads` threads, over a simulated pool; calls left
 * whole are timed into the trace. Returns a function restoring the kernels. */
function simulate(threads: number, trace: () => Trace): () => void {
  const be = active() as { kernels: Kernels }, raw = be.kernels as unknown as Record<string, Fn>;
  const names = Object.keys(raw).filter((k) => typeof raw[k] === 'function');
  const timed: Record<string, Fn> = {};
  for (const name of names) {
    timed[name] = (...a: number[]) => {
      const t0 = performance.now();
      try { return raw[name]!(...a); } finally { trace().wholeMs += performance.now() - t0; }
    };
  }
  be.kernels = parallelKernels(timed as unknown as Kernels, simulatedPool(threads, names, raw, trace), names);
  return () => { be.kernels = raw as unknown as Kernels; };
}

/** A step's jobs reduced across steps: per job, the median of its slowest share and of its shares'
 * sum (every step runs the same jobs in the same order); the median ms of calls left whole. */
interface Profile { jobs: { kernel: string; slowest: number; sum: number }[]; wholeMs: number }

const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;

function profile(traces: Trace[]): Profile {
  const jobs = traces[0]!.jobs.map((j, i) => ({
    kernel: j.kernel,
    slowest: med(traces.map((t) => Math.max(...t.jobs[i]!.shares))),
    sum: med(traces.map((t) => t.jobs[i]!.shares.reduce((a, b) => a + b, 0))),
  }));
  return { jobs, wholeMs: med(traces.map((t) => t.wholeMs)) };
}

/** Predicted speed-up on `threads` threads: one thread's time (JS `otherMs`, whole calls, every
 * job's shares one after another) over the threaded time (jobs at their slowest share, capped by
 * memory bandwidth, plus sync). */
export function predict(p: Profile, otherMs: number, threads: number): number {
  let one = otherMs + p.wholeMs, many = one;
  for (const j of p.jobs) {
    one += j.sum;
    many += (j.kernel === 'gemm_f32' ? j.slowest : Math.max(j.slowest, j.sum / BANDWIDTH_SCALE)) +
      (SYNC_US + SYNC_PER_THREAD_US * threads) / 1000;
  }
  return one / many;
}

/** Median ms of `steps` steps. */
function stepMs(tr: Trainer, steps: number): number {
  const t: number[] = [];
  for (let i = 0; i < steps; i++) { const t0 = performance.now(); tr.step(); t.push(performance.now() - t0); }
  return med(t);
}

/** `steps` steps traced as on `threads` threads. */
function traced(tr: Trainer, threads: number, steps: number): Profile {
  let cur: Trace = { jobs: [], wholeMs: 0 };
  const restore = simulate(threads, () => cur);
  const all: Trace[] = [];
  try {
    for (let i = 0; i < steps; i++) { cur = { jobs: [], wholeMs: 0 }; tr.step(); all.push(cur); }
  } finally { restore(); }
  return profile(all);
}

const f = (x: number, d = 2) => x.toFixed(d);

/** The scaling table: per workload, its kernel work split and whole, and predicted speed-ups. */
export async function runThreadsScaling(variant: 'relaxed' | 'simd', steps = 9): Promise<string> {
  await sg.init({ backend: variant, threads: 1 });
  const rows = ['| workload | 1-thread ms | jobs at 2 / 16 threads | split work ms | whole-kernel ms | other (JS) ms | ' +
    THREADS.map((t) => `${t} threads`).join(' | ') + ' |', `|---|---:|---:|---:|---:|---:|${THREADS.map(() => '---:').join('|')}|`];
  const workloads: [string, () => Trainer][] = [
    ...[64, 256].flatMap((b) => [
      [`MLP 784-256-128-10 Adam, batch ${b} (nn.Sequential)`, () => simdgradTrainer(makeData(b), false)],
      [`MLP 784-256-128-10 Adam, batch ${b} (fused sg.linear)`, () => simdgradTrainer(makeData(b), true)],
    ] as [string, () => Trainer][]),
    ...[128, 256, 512, 1024, 2048].map((n) => [`GEMM NN n = ${n}`, () => gemmTrainer(n)] as [string, () => Trainer]),
  ];
  for (const [name, make] of workloads) {
    const tr = make();
    try {
      for (let i = 0; i < 3; i++) tr.step();
      const oneMs = stepMs(tr, steps);
      const profiles = THREADS.map((t) => traced(tr, t, steps));
      const p2 = profiles[0]!, split = p2.jobs.reduce((a, j) => a + j.sum, 0);
      const otherMs = Math.max(0, oneMs - split - p2.wholeMs); // JS between kernels (autograd, dispatch)
      const cells = THREADS.map((t, i) => `${f(predict(profiles[i]!, otherMs, t))}×`);
      rows.push(`| ${name} | ${f(oneMs)} | ${p2.jobs.length} / ${profiles.at(-1)!.jobs.length} | ${f(split)} | ${f(p2.wholeMs)} | ` +
        `${f(otherMs)} | ${cells.join(' | ')} |`);
    } finally { tr.dispose(); }
  }
  return rows.join('\n');
}

/** A GEMM C = A·B (n×n×n) as a one-call "trainer" on the active backend. */
function gemmTrainer(n: number): Trainer {
  const be = active(), h = be.heap;
  const a = h.writeF32(Float32Array.from({ length: n * n }, (_, i) => ((i * 7919) % 101) / 101 - 0.5));
  const b = h.writeF32(Float32Array.from({ length: n * n }, (_, i) => ((i * 104729) % 103) / 103 - 0.5));
  const c = h.alloc(4 * n * n);
  let ws = 0, wsBytes = 0;
  return {
    name: `GEMM ${n}`,
    step: () => {
      const need = Math.max(16, be.kernels.gemm_workspace_f32(n, n, n, 0, 0)); // per block when split
      if (need > wsBytes) { if (ws) h.free(ws); ws = h.alloc(need); wsBytes = need; }
      be.kernels.gemm_f32(c, a, b, 0, ws, n, n, n, n, n, n, 0, 0, 0, 0);
      return 0;
    },
    live: () => 0,
    dispose: () => { for (const p of [a, b, c, ws]) if (p) h.free(p); },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runThreadsScaling(process.argv.includes('--simd') ? 'simd' : 'relaxed'));
}
