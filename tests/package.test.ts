// The published shape: `npm run build`'s bundle (built once with the runtime matrix,
// tests/helpers/packed.ts) loads as ESM and as CJS, finds its .wasm next to itself, and computes;
// `simdgrad/core` (the training library without sg.tune) loads from the tarball as ESM and CJS;
// and the size of the core entry — what `import 'simdgrad/core'` loads before any lazy part (the
// JS of dist/core.js and its static imports, gzipped) plus the simd wasm — is measured, printed
// and held to the 60 KB budget; the main entry's is printed beside it. The package's `simdgrad`
// bin runs a sweep in two worker threads from the installed tarball.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packed, root } from './helpers/packed.js';
import { BUDGET, entrySize } from '../bench/size.js';

const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
/** The main entry (core + sg.tune) may not grow past this (it has no budget of its own). */
const MAIN_CEILING = 78 * 1024;

describe('package', () => {
  it('builds ESM + CJS + .d.ts that load and run', async () => {
    await packed();
    const esm = run(['--input-type=module', '-e',
      "import * as sg from './dist/index.js'; const b = await sg.init(); " +
      "const y = sg.matmul(sg.ones([2, 3]), sg.ones([3, 2]).mul(2)); console.log(b, y.toArray().join(','));"]);
    expect(esm.trim()).toBe('simd 6,6,6,6');
    const cjs = run(['-e',
      "const sg = require('./dist/index.cjs'); sg.init({ backend: 'scalar' }).then((b) => " +
      "console.log(b, sg.tensor([[1, 2]]).sum().item()));"]);
    expect(cjs.trim()).toBe('scalar 3');
    // The lazily loaded parts come along: the JS reference kernels (a chunk in ESM, inlined in CJS).
    const lazy = run(['--input-type=module', '-e',
      "import * as sg from './dist/index.js'; console.log(await sg.init({ backend: 'js' }), sg.tensor([[1, 2]]).sum().item());"]);
    expect(lazy.trim()).toBe('js 3');
    // …and the worker pool: a chunk that must find dist/tune-worker.js beside it.
    const dir = mkdtempSync(join(tmpdir(), 'simdgrad-pool-'));
    writeFileSync(join(dir, 'objective.mjs'), "export const objective = (trial) => (trial.suggestFloat('x', -1, 1) - 0.5) ** 2;\n");
    // A script file, not -e: workers inherit the parent's execArgv, and --input-type breaks them.
    writeFileSync(join(dir, 'main.mjs'), `import * as sg from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)};\n` +
      'const s = await sg.tune.createStudy({ sampler: new sg.tune.RandomSampler({ seed: 1 }) });\n' +
      "await s.optimize({ module: new URL('./objective.mjs', import.meta.url), export: 'objective' }, { nTrials: 2, concurrency: 1 });\n" +
      "console.log(s.trials.map((t) => t.state).join(','));\n");
    const pool = run([join(dir, 'main.mjs')]);
    rmSync(dir, { recursive: true, force: true });
    expect(pool.trim()).toBe('COMPLETE,COMPLETE');
    const dts = run(['-e', "console.log(require('fs').readFileSync('dist/index.d.ts', 'utf8').includes('declare function matmul'))"]);
    expect(dts.trim()).toBe('true');
    // Minified, with source maps.
    expect(readFileSync(join(root, 'dist', 'index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
  }, 900_000);

  it('`simdgrad/core` from the tarball: ESM and CJS, the training API without sg.tune, one module instance with `simdgrad`', async () => {
    const { consumer } = await packed();
    const inConsumer = (args: string[]) => execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8' });
    const esm = inConsumer(['--input-type=module', '-e',
      "import * as core from 'simdgrad/core'; import * as sg from 'simdgrad'; await core.init({ backend: 'simd' }); " +
      "console.log('tune' in core, typeof sg.tune.createStudy, core.Tensor === sg.Tensor, sg.backend(), core.tensor([[1, 2]]).sum().item());"]);
    expect(esm.trim()).toBe('false function true simd 3');
    const cjs = inConsumer(['-e',
      "const core = require('simdgrad/core'); core.init({ backend: 'scalar' }).then((b) => " +
      "console.log('tune' in core, b, typeof core.nn.Linear, core.tensor([[1, 2]]).sum().item()));"]);
    expect(cjs.trim()).toBe('false scalar function 3');
  }, 900_000);

  it('the packaged `simdgrad` command tunes with --concurrency 2: trials overlap in worker threads, the journal and report are written', async () => {
    const { consumer } = await packed();
    const dir = mkdtempSync(join(tmpdir(), 'simdgrad-cli-'));
    const journal = join(dir, 'study.jsonl'), report = join(dir, 'report.html');
    const out = execFileSync(join(consumer, 'node_modules', '.bin', 'simdgrad'), ['tune', '--data', 'iris', '--trials', '4',
      '--folds', '2', '--epochs', '20', '--concurrency', '2', '--storage', journal, '--report', report, '--json'],
    { cwd: consumer, encoding: 'utf8' });
    const result = JSON.parse(out) as { complete: number; failed: number; bestValue: number };
    expect(result.complete).toBe(4);
    expect(result.failed).toBe(0);
    expect(result.bestValue).toBeGreaterThan(0.5);
    // Optuna journal ops: 4 = create trial (datetime_start), 6 = set state (datetime_complete).
    const ops = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const starts = ops.filter((o) => o.op_code === 4).map((o) => Date.parse(`${o.datetime_start as string}Z`));
    const ends = ops.filter((o) => o.op_code === 6).map((o) => Date.parse(`${o.datetime_complete as string}Z`));
    expect(starts).toHaveLength(4);
    expect(starts[1]!).toBeLessThan(Math.min(...ends)); // the second trial started before any finished
    expect(readFileSync(report, 'utf8')).toContain('<html');
    rmSync(dir, { recursive: true, force: true });
  }, 900_000);

  it('the core entry (JS + simd wasm, gzipped) fits the 60 KB budget; the main entry is reported', async () => {
    await packed();
    const c = entrySize('core'), m = entrySize('index');
    console.log(`core entry (simdgrad/core), gzipped: JS ${c.js} B (${c.files.join(', ')}) + simd wasm ${c.wasm} B = ` +
      `${c.total} B (${(c.total / 1024).toFixed(1)} KiB; budget ${BUDGET / 1024} KiB); main entry (simdgrad, + sg.tune): ` +
      `${m.total} B (${m.files.join(', ')}); lazy chunks ${c.chunks} B more`);
    expect(c.files).toEqual(['dist/core.js']);
    expect(m.files).toEqual(['dist/index.js', 'dist/core.js']);
    expect(c.total).toBeLessThan(BUDGET);
    expect(m.total).toBeLessThan(MAIN_CEILING);
  }, 900_000);
});
