// `simdgrad bench`: the benchmark suites live in the repository's bench/ folder, which the npm
// package does not ship. From a repo checkout (bench/index.ts beside the package.json above this
// file) it runs them with `node --import tsx` and passes --only / --write through; otherwise it
// prints where the benchmarks live and exits 1.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';

export interface BenchOptions { only?: string; write?: boolean }
export const SUITES = ['kernels', 'gemm', 'autograd', 'optim', 'train', 'tune', 'mo', 'parallel', 'postgres'] as const;

/** The simdgrad package root above this file. */
export function packageRoot(from = fileURLToPath(import.meta.url)): string | undefined {
  for (let d = dirname(from); ; d = dirname(d)) {
    const p = join(d, 'package.json');
    if (existsSync(p)) {
      try { if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'simdgrad') return d; } catch { /* keep looking */ }
    }
    if (dirname(d) === d) return undefined;
  }
}

/** Runs the suites from a checkout; returns the exit code. */
export function runBench(o: BenchOptions): number {
  const root = packageRoot();
  const entry = root && join(root, 'bench', 'index.ts');
  if (!entry || !existsSync(entry)) {
    const msg = 'the benchmarks are not part of the npm package: clone the simdgrad repository and run `npm run bench` ' +
      '(or `npx simdgrad bench`) there; bench/RESULTS.md in the repository has the latest results';
    process.stderr.write(`simdgrad: ${msg}\n`);
    return 1;
  }
  const args = ['--experimental-wasm-relaxed-simd', '--import', 'tsx', entry, ...(o.only ? [`--only=${o.only}`] : []), ...(o.write ? ['--write'] : [])];
  process.stderr.write(`simdgrad bench: node ${args.join(' ')} (in ${root})\n`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (r.error) {
    process.stderr.write(`simdgrad: could not run the benchmarks: ${r.error.message}\n`);
    return 1;
  }
  return r.status ?? 1;
}
