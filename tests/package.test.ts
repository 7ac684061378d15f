// The published shape: `npm run build`'s bundle (built once with the runtime matrix,
// tests/helpers/packed.ts) loads as ESM and as CJS, finds its .wasm next to itself, and computes;
// and the size of the core entry — what `import 'simdgrad'` loads before any lazy part (the JS
// of dist/index.js and its static imports, gzipped) plus the simd wasm — is measured and printed.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packed, root } from './helpers/packed.js';
import { BUDGET, coreEntrySize } from '../bench/size.js';

const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
/** Today's ceiling: the size may not grow past it while the budget is not met (see the README). */
const CEILING = 77 * 1024;

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

  it('reports the gzipped size of the core entry (JS + simd wasm) and keeps it under its ceiling', async () => {
    await packed();
    const s = coreEntrySize();
    console.log(`core entry, gzipped: JS ${s.js} B (${s.files.join(', ')}) + simd wasm ${s.wasm} B = ` +
      `${s.total} B (${(s.total / 1024).toFixed(1)} KiB; budget ${BUDGET / 1024} KiB); lazy chunks ${s.chunks} B more`);
    expect(s.files).toEqual(['dist/index.js']);
    expect(s.total).toBeLessThan(CEILING);
  }, 900_000);

  // The 60 KB budget is not met yet (see README → design notes → Size): this test passes
  // while it fails, and turns red the day the core fits, to be made a plain `it` then.
  it.fails('fits the 60 KB budget (core JS + simd wasm, gzipped) — not yet', async () => {
    await packed();
    expect(coreEntrySize().total).toBeLessThan(BUDGET);
  }, 900_000);
});
