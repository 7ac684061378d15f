// A model of kernel threads past this machine's cores (bench/threads.ts's last section; the
// analysis in bench/NOTES.md, "Kernel threads"). It runs the real split decisions of
// src/threads/parallel-kernels.ts for T = 2, 4, 8, 16 threads over a *simulated* pool: every share
// of a job runs on the calling thread, timed alone. Per job it records the shares' times (the
// median over steps, or with --fastest the fastest step: on a loaded machine); every call left whole is timed too; the JS between kernels (autograd,
// dispatch) is the measured one-thread step less all kernel time. The predicted speed-up on T
// threads is then (JS + whole calls + Σ jobs' shares) over
//   (JS + whole calls + Σ jobs (slowest share, or mem(job)) + sync(T) per job)
// where sync(T) is the cost of publishing and finishing one job, SYNC_US + SYNC_PER_THREAD_US·T
// (the first term measured by bench/threads.ts on 2 threads, the second an assumption: one more
// claim exchange and cache-line transfer per thread), and mem(job) caps what a job whose shares
// stream memory can gain: GEMM's jobs are compute-bound and take the slowest share as it is —
// gemm_f32 blocks, and both jobs of the shared plan (gemm_pack_f32, gemm_packed_f32: its packing
// is not capped because the independent blocks' packing, inside their gemm_f32 shares, is not
// either, and it repeats more of it); every other job takes at least (Σ shares) / BANDWIDTH_SCALE
// — the memory bandwidth T cores share is taken as BANDWIDTH_SCALE times one core's (an
// assumption; 4 is typical of a laptop's DRAM).
// Each workload runs under both GEMM plans (src/threads/gemm-sharing.ts): 'never' (every block
// packs its own operands: the plan before shared packing) and 'auto' (the rule's choice per shape).
// What the model leaves out: cache effects between cores (each share's operands were hot in this
// core's cache when timed), frequency changes with more busy cores, and the OS.
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { active } from '../src/runtime/context.js';
import type { Kernels } from '../src/backend/backend.js';
import type { KernelPool } from '../src/threads/kernel-pool.js';
import { parallelKernels } from '../src/threads/parallel-kernels.js';
import { threadedBackend } from '../src/threads/threaded-backend.js';
import { compileVariant } from '../src/runtime/load.js';
import type { Backend } from '../src/backend/create-backend.js';
import type { WasmBuild } from '../src/runtime/load.js';
import type { GemmSharing } from '../src/threads/gemm-sharing.js';
import { makeData, simdgradTrainer, type Trainer } from './mlp-trainers.js';

/** µs of one job's publication and completion (bench/threads.ts: ~1.5 µs, a worker spinning). */
export const SYNC_US = 1.5;
/** µs more per thread taking part (an assumption, see the header). */
export const SYNC_PER_THREAD_US = 0.25;
/** How many times one core's memory bandwidth all cores have together (an assumption). */
export const BANDWIDTH_SCALE = 4;
const THREADS = [2, 4, 8, 16];
/** Jobs that scale with their shares (the rest are capped by memory bandwidth). */
const COMPUTE_BOUND = new Set(['gemm_f32', 'gemm_pack_f32', 'gemm_packed_f32']);

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
function simulate(threads: number, sharing: GemmSharing, trace: () => Trace): () => void {
  const be = active() as { kernels: Kernels }, raw = be.kernels as unknown as Record<string, Fn>;
  const names = Object.keys(raw).filter((k) => typeof raw[k] === 'function');
  const timed: Record<string, Fn> = {};
  for (const name of names) {
    timed[name] = (...a: number[]) => {
      const t0 = performance.now();
      try { return raw[name]!(...a); } finally { trace().wholeMs += performance.now() - t0; }
    };
  }
  be.kernels = parallelKernels(timed as unknown as Kernels, simulatedPool(threads, names, raw, trace), names, 'measured', sharing);
  return () => { be.kernels = raw as unknown as Kernels; };
}

/** A step's jobs reduced across steps: per job, the median of its slowest share and of its shares'
 * sum (every step runs the same jobs in the same order); the median ms of calls left whole. */
interface Profile { jobs: { kernel: string; slowest: number; sum: number }[]; wholeMs: number }

const med = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1]!;
/** The statistic over steps: the median, or the fastest (on a machine other processes load, the
 * step they disturbed least). */
let stat = med;

function profile(traces: Trace[]): Profile {
  const jobs = traces[0]!.jobs.map((j, i) => ({
    kernel: j.kernel,
    slowest: stat(traces.map((t) => Math.max(...t.jobs[i]!.shares))),
    sum: stat(traces.map((t) => t.jobs[i]!.shares.reduce((a, b) => a + b, 0))),
  }));
  return { jobs, wholeMs: stat(traces.map((t) => t.wholeMs)) };
}

/** Predicted speed-up on `threads` threads: one thread's time (by default JS `otherMs`, whole
 * calls, every job's shares one after another; or the measured `oneMs`, the same for every plan)
 * over the threaded time (jobs at their slowest share, capped by memory bandwidth, plus sync). */
export function predict(p: Profile, otherMs: number, threads: number, oneMs?: number): number {
  let one = otherMs + p.wholeMs, many = one;
  for (const j of p.jobs) {
    one += j.sum;
    many += (COMPUTE_BOUND.has(j.kernel) ? j.slowest : Math.max(j.slowest, j.sum / BANDWIDTH_SCALE)) +
      (SYNC_US + SYNC_PER_THREAD_US * threads) / 1000;
  }
  return (oneMs ?? one) / many;
}

/** Median ms of `steps` steps. */
function stepMs(tr: Trainer, steps: number): number {
  const t: number[] = [];
  for (let i = 0; i < steps; i++) { const t0 = performance.now(); tr.step(); t.push(performance.now() - t0); }
  return stat(t);
}

/** `steps` steps traced as on `threads` threads under each GEMM plan, the plans taking turns step by
 * step (a load that comes and goes then weighs on both alike): one profile per plan. */
function traced(tr: Trainer, threads: number, plans: GemmSharing[], steps: number): Profile[] {
  const all = plans.map((): Trace[] => []);
  for (let i = 0; i < steps; i++) {
    for (const [p, sharing] of plans.entries()) {
      const cur: Trace = { jobs: [], wholeMs: 0 };
      const restore = simulate(threads, sharing, () => cur);
      try { tr.step(); } finally { restore(); }
      all[p]!.push(cur);
    }
  }
  return all.map(profile);
}

const f = (x: number, d = 2) => x.toFixed(d);

export interface ScalingOptions {
  /** Steps timed per workload, plan and thread count (9). */
  steps?: number;
  /** Only the workloads whose name matches. */
  only?: RegExp;
  /** The fastest step instead of the median (a loaded machine). */
  fastest?: boolean;
}

/** The scaling table: per workload and GEMM plan, its kernel work split and whole, and predicted
 * speed-ups. */
/** The -threads build of `variant` on this thread alone (its own shared memory, no pool): the
 * shared-operand GEMM kernels exist only in the -threads builds (assembly/gemm-shared.ts). */
export async function threadsBuildOnOneThread(variant: 'relaxed' | 'simd'): Promise<Backend> {
  const made = await threadedBackend(variant, 1, await compileVariant(`${variant}-threads` as WasmBuild));
  if (!made.backend) throw new Error(`no ${variant}-threads build (${made.reason})`);
  return made.backend;
}

export async function runThreadsScaling(variant: 'relaxed' | 'simd', { steps = 9, only = /./, fastest = false }: ScalingOptions = {}): Promise<string> {
  await sg.init({ backend: variant, threads: 1 });
  // the same kernels from the -threads build (nothing is allocated yet), so the shared plan can run
  const built = await threadsBuildOnOneThread(variant);
  Object.assign(active(), { kernels: built.kernels, heap: built.heap });
  stat = fastest ? (xs) => Math.min(...xs) : med;
  const rows = ['| workload | GEMM plan | 1-thread ms | jobs at 2 / 16 threads | split work ms | whole-kernel ms | other (JS) ms | ' +
    THREADS.map((t) => `${t} threads`).join(' | ') + ' |', `|---|---|---:|---:|---:|---:|---:|${THREADS.map(() => '---:').join('|')}|`];
  const workloads: [string, () => Trainer][] = [
    ...[64, 256].flatMap((b) => [
      [`MLP 784-256-128-10 Adam, batch ${b} (nn.Sequential)`, () => simdgradTrainer(makeData(b), false)],
      [`MLP 784-256-128-10 Adam, batch ${b} (fused sg.linear)`, () => simdgradTrainer(makeData(b), true)],
    ] as [string, () => Trainer][]),
    ...[128, 256, 512, 1024, 2048].map((n) => [`GEMM NN n = ${n}`, () => gemmTrainer(n)] as [string, () => Trainer]),
  ];
  const plans: [GemmSharing, string][] = [['never', 'independent blocks'], ['auto', 'shared where it pays']];
  for (const [name, make] of workloads.filter(([w]) => only.test(w))) {
    const tr = make();
    try {
      for (let i = 0; i < 3; i++) tr.step();
      const oneMs = stepMs(tr, steps);
      const byThreads = THREADS.map((t) => traced(tr, t, plans.map(([sharing]) => sharing), steps));
      // JS between kernels (autograd, dispatch), the same under both plans: from the first
      const first = byThreads[0]![0]!, otherMs = Math.max(0, oneMs - first.jobs.reduce((a, j) => a + j.sum, 0) - first.wholeMs);
      for (const [i, [, plan]] of plans.entries()) {
        const profiles = byThreads.map((p) => p[i]!);
        const p2 = profiles[0]!, split = p2.jobs.reduce((a, j) => a + j.sum, 0);
        const cells = THREADS.map((t, i) => `${f(predict(profiles[i]!, otherMs, t, oneMs))}×`);
        rows.push(`| ${name} | ${plan} | ${f(oneMs)} | ${p2.jobs.length} / ${profiles.at(-1)!.jobs.length} | ${f(split)} | ` +
          `${f(p2.wholeMs)} | ${f(otherMs)} | ${cells.join(' | ')} |`);
      }
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
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  console.log(await runThreadsScaling(process.argv.includes('--simd') ? 'simd' : 'relaxed', {
    steps: Number(arg('steps') ?? 9), only: new RegExp(arg('only') ?? '.'), fastest: process.argv.includes('--fastest'),
  }));
}
