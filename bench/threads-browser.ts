// Kernel threads on a cross-origin-isolated page in headless Chromium, beside jax-js and
// TensorFlow.js wasm, each allowed its threads: the MLP 784-256-128-10 Adam training step
// (bench/mlp-trainers.ts, the code the Node benches time) at batch 64 and 256, trained inside
// dedicated Web Workers, one library configuration per worker (bench/browser/mlp-worker.ts):
// simdgrad on 1 and 2 kernel threads (nn.Sequential and fused sg.linear), jax-js's whole-step jit
// on its calling thread and on its own worker pool, TF.js layers on the wasm backend (XNNPACK) on
// 1 thread and on every core.
// The page: bench/browser/ bundled by rollup (bench/browser/rollup.config.mjs, ~15 s of CPU),
// served by examples/browser/serve.ts (COOP same-origin, COEP require-corp; the repository's
// build/ at /build/, tfjs-backend-wasm's binaries at /tfjs-wasm/), opened in the browser tests'
// Chromium (tests/browser/chromium.ts: $CHROMIUM, the system's, or the one npm ci installs).
// Validation before timing: every trainer's first loss matches an f64 forward pass computed here in
// Node from the same seeded weights, its loss decreases over VALIDATE_STEPS steps and ends near
// simdgrad's, simdgrad's losses have the same bits on 1 and 2 threads, and no live count changes
// while timing. Timing: tinybench medians in the workers, interleaved rounds (one cell at a time,
// the other workers idle), the fastest median per cell kept. Only meaningful on an idle machine.
//   node --import tsx bench/threads-browser.ts [--quick]     (or npm run bench -- --only=threads-browser)
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as sg from '../src/index.js';
import { REPO, launchChromium } from '../tests/browser/chromium.js';
import { serveDemo } from '../examples/browser/serve.js';
import { VALIDATE_STEPS, makeData, makeWeights, referenceLoss, stepFlops, type Row } from './mlp-trainers.js';
import type { Lib, WorkerConfig, WorkerSetup } from './browser/mlp-worker.js';
import type { PoolStats } from '../src/threads/kernel-pool.js';

export interface ThreadsBrowserOptions { batches?: number[]; time?: number; rounds?: number; quick?: boolean }

declare global {
  interface Window { bench: { spawn(): number; ask(w: number, cmd: string, args?: object): Promise<unknown>; close(): void } }
}

const fmt = (x: number | undefined, d = 2) => (x === undefined || !Number.isFinite(x) ? '—' : x.toFixed(d));

/** Bundles the page's worker into bench/browser/dist (rollup, as `npm run build:demo` does the demo). */
export function buildBenchPage(): string {
  execFileSync(process.execPath, [join(REPO, 'node_modules/rollup/dist/bin/rollup'), '-c', join(REPO, 'bench/browser/rollup.config.mjs')],
    { cwd: REPO, stdio: 'pipe' });
  return join(REPO, 'bench/browser/dist');
}

/** One worker's trainers, as the tables address them. */
interface Cell { worker: number; index: number; lib: Lib; threads: number; batch: number; name: string; family: string; row?: Row; ms?: number }
type Info = Record<string, string | number | boolean>;
/** A request to worker w through the page, failing after REQUEST_MS (a hung worker must not hang the bench). */
type Ask = (w: number, cmd: string, args?: object) => Promise<unknown>;
const REQUEST_MS = 300_000;

export async function runThreadsBrowserBench(opts: ThreadsBrowserOptions = {}): Promise<string> {
  const batches = opts.batches ?? [64, 256];
  const time = opts.time ?? (opts.quick ? 300 : 700), rounds = opts.rounds ?? (opts.quick ? 1 : 3);
  // the f64 reference of each batch's first loss, from simdgrad's seeded weights as Node makes them
  await sg.init({ threads: 1 });
  const ref0 = new Map(batches.map((b) => [b, referenceLoss(makeWeights(), makeData(b))]));

  const root = buildBenchPage();
  const tfjsWasm = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  const server = await serveDemo({ root, mounts: { '/build/': join(REPO, 'build'), '/tfjs-wasm/': tfjsWasm } });
  try {
    const chrome = await launchChromium();
    try {
      const { page } = chrome;
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      const ask: Ask = (w, cmd, args = {}) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`threads-browser bench: worker ${w} gave no answer to ${cmd} in ${REQUEST_MS / 1000} s`)), REQUEST_MS);
        });
        return Promise.race([page.evaluate(([w, cmd, args]) => window.bench.ask(w, cmd, args), [w, cmd, args] as const), late])
          .finally(() => clearTimeout(timer));
      };
      await page.goto(`${server.url}index.html`);
      await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
      const env = await page.evaluate(() => ({ isolated: crossOriginIsolated, cores: navigator.hardwareConcurrency, ua: navigator.userAgent }));
      if (!env.isolated) throw new Error('threads-browser bench: the page is not cross-origin isolated');
      const configs: WorkerConfig[] = [
        { lib: 'simdgrad', threads: 1, batches }, { lib: 'simdgrad', threads: 2, batches },
        { lib: 'jax-js', threads: 1, batches }, { lib: 'jax-js pool', threads: env.cores, batches },
        { lib: 'tfjs', threads: 1, batches }, { lib: 'tfjs', threads: env.cores, batches },
      ];
      const cells: Cell[] = [], info: Info = { chromium: /(?:Headless)?Chrome\/[\d.]+/.exec(env.ua)?.[0] ?? env.ua };
      for (const cfg of configs) {
        const worker = await page.evaluate(() => window.bench.spawn());
        const s = await ask(worker, 'setup', cfg) as WorkerSetup;
        Object.assign(info, s.info);
        s.names.forEach((name, index) => cells.push({ worker, index, lib: cfg.lib, threads: cfg.threads, batch: s.batches[index]!, name, family: s.families[index]! }));
      }
      await validateCells(ask, cells, batches, ref0);
      await timeCells(ask, cells, info, time, rounds);
      await page.evaluate(() => window.bench.close());
      if (errors.length) throw new Error(`threads-browser bench: page errors: ${errors.join('; ')}`);
      return render(cells, batches, info, time, rounds);
    } finally {
      await chrome.close();
    }
  } finally {
    await server.close();
  }
}

/** Each first loss against the f64 reference (inside validate()), then across libraries and thread counts. */
async function validateCells(ask: Ask, cells: Cell[], batches: number[], ref0: Map<number, number>): Promise<void> {
  for (const c of cells) c.row = await ask(c.worker, 'validate', { index: c.index, ref0: ref0.get(c.batch)! }) as Row;
  for (const b of batches) {
    const mine = cells.filter((c) => c.batch === b), simd = mine.filter((c) => c.lib === 'simdgrad');
    const anchor = simd[0]!.row!.last;
    for (const c of mine) {
      if (!(Math.abs(c.row!.last - anchor) <= 0.1 * anchor + 0.02)) {
        throw new Error(`threads-browser bench: ${c.name} at batch ${b} ends at loss ${c.row!.last}, simdgrad at ${anchor}`);
      }
    }
    for (const c of simd.filter((s) => s.threads > 1)) { // the same bits as one thread, step 1 and step VALIDATE_STEPS
      const one = simd.find((s) => s.threads === 1 && s.family === c.family)!;
      if (!Object.is(one.row!.first, c.row!.first) || !Object.is(one.row!.last, c.row!.last)) {
        throw new Error(`threads-browser bench: ${c.name} at batch ${b} lost ${c.row!.first} → ${c.row!.last}, one thread ${one.row!.first} → ${one.row!.last}`);
      }
    }
  }
}

/** Interleaved rounds, one cell at a time; then the leak checks and the kernel pool's counts. */
async function timeCells(ask: Ask, cells: Cell[], info: Info, time: number, rounds: number): Promise<void> {
  const workers = [...new Set(cells.map((c) => c.worker))];
  for (const w of workers) await ask(w, 'mark');
  for (let r = 0; r < rounds; r++) {
    for (const c of cells) c.ms = Math.min(c.ms ?? Infinity, await ask(c.worker, 'time', { index: c.index, ms: time }) as number);
  }
  for (const w of workers) {
    const stats = await ask(w, 'finish') as PoolStats | null;
    if (stats) { // simdgrad's 2-thread worker: its kernel worker must have run shares
      if (!(stats.sharesByWorkers > 0)) throw new Error(`threads-browser bench: the kernel worker ran no share (${JSON.stringify(stats)})`);
      info.poolJobs = stats.jobs;
      info.poolByWorkers = `${((100 * stats.sharesByWorkers) / stats.shares).toFixed(0)}%`;
    }
  }
}

/** The notes, one table per batch size, and the goal line. */
function render(cells: Cell[], batches: number[], info: Info, time: number, rounds: number): string {
  const best = (b: number, lib: Lib | Lib[]) => Math.min(...cells.filter((c) => c.batch === b && [lib].flat().includes(c.lib)).map((c) => c.ms!));
  const sections = [`${info.chromium} on a cross-origin-isolated page (navigator.hardwareConcurrency ${info.cores}); every trainer ` +
    `in a dedicated Web Worker of its own. simdgrad: the ${info.simdgradBuild} build, init({ threads }) (on 2 threads, ` +
    `${info.poolJobs} pool jobs, ${info.poolByWorkers} of their shares run by the kernel worker). jax-js: the whole step ` +
    `in one jit, the loss read with item() (every kernel on the worker's thread) or with await data() (each kernel split across ` +
    `jax-js's pool of ${info.cores} Web Workers by postMessage). TF.js: layers' trainOnBatch on the wasm backend, ` +
    `${info.tfjsSimd ? 'SIMD' : 'no SIMD'}, ${info.tfjsMultithread ? 'the threaded binary' : 'no threads'}, setThreadsCount(1 or ${info.cores})` +
    `${info.tfjsToldCores ? ` (it caps its pool at half of navigator.hardwareConcurrency, so its ${info.cores}-thread worker reports ${info.tfjsToldCores} cores to it)` : ''}. ` +
    `Validated before timing: each first loss matches an f64 forward pass, the losses decrease and agree after ${VALIDATE_STEPS} ` +
    `steps, simdgrad's have the same bits on 1 and 2 threads. Steps/s: fastest tinybench median of ${rounds} interleaved ` +
    `round${rounds > 1 ? 's' : ''} of ${time} ms. GFLOP/s: GEMM work only (as in "Training an MLP with Adam").`];
  const goal: string[] = [];
  for (const b of batches) {
    const jax = best(b, ['jax-js', 'jax-js pool']), tf = best(b, 'tfjs');
    const rows = [`| trainer | ms per step | steps/s | GEMM GFLOP/s | loss 1 → ${VALIDATE_STEPS} | vs 1 thread | vs best jax-js | vs best tfjs-wasm |`,
      '|---|---:|---:|---:|---|---:|---:|---:|'];
    for (const c of cells.filter((x) => x.batch === b)) {
      const one = cells.find((x) => x.batch === b && x.family === c.family && x.threads === 1);
      const vsOne = one && one !== c ? `${fmt(one.ms! / c.ms!)}×` : '';
      const ours = c.lib === 'simdgrad';
      rows.push(`| ${c.name} | ${fmt(c.ms)} | ${fmt(1000 / c.ms!, 1)} | ${fmt(stepFlops(b) / c.ms! / 1e6, 1)} | ` +
        `${c.row!.first.toFixed(4)} → ${c.row!.last.toFixed(4)} | ${vsOne} | ${ours ? `${fmt(jax / c.ms!)}×` : ''} | ${ours ? `${fmt(tf / c.ms!)}×` : ''} |`);
      if (ours && c.threads > 1 && one) goal.push(`${c.family} at batch ${b}: ${fmt(one.ms! / c.ms!)}×`);
    }
    sections.push(`**MLP 784-256-128-10, Adam, batch ${b}**:\n\n${rows.join('\n')}`);
  }
  sections.push(`simdgrad 2 threads against its 1 thread on the page (issue 20's goal: ≥ 1.6× at batch 256): ${goal.join('; ')}.`);
  return sections.join('\n\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runThreadsBrowserBench({ quick: process.argv.includes('--quick') }));
}
