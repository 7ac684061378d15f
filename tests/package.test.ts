// The published package, as `npm pack` makes it from a fresh clone (tests/helpers/packed.ts: no
// dist/ nor build/ before, so the `prepack` script builds it; packed once per run, shared with the
// runtime matrix) and a consumer installs it:
// - the tarball holds dist/ (ESM, CJS, .d.ts and .d.cts of every entry, the Workers and Edge
//   builds, the CLI and the tune worker), every wasm build and the Node examples, and every path
//   package.json names (`exports`, `main`, `module`, `types`, `bin`) is in it;
// - it loads and computes as ESM and CJS (lazy chunks included), `simdgrad/core` is the same module
//   instance as `simdgrad`'s core, the `simdgrad` bin tunes in worker threads, an example runs
//   from node_modules/simdgrad/examples;
// - a consumer project type-checks against it with strict settings (tests/fixtures/consumer/),
//   under moduleResolution nodenext (ESM and CommonJS, then compiled and run) and bundler (with
//   and without DOM), on a plain lib ES2022, and with esnext.disposable for `using`;
// - the two size budgets (bench/size.ts): (a) the core entry + its wasm ≤ 80 KiB gzipped,
//   (b) an MLP application bundled by rollup from the tarball ≤ 48 KiB gzipped with its wasm —
//   and that bundled application trains.
import { describe, expect, it } from 'vitest';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { packed, root } from './helpers/packed.js';
import { APP_BUDGET, CORE_BUDGET, bundleSize, entrySize, runApp } from '../bench/size.js';

const exec = promisify(execFile);
const fixtures = fileURLToPath(new URL('./fixtures/consumer/', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const ENTRIES = ['index', 'core', 'datasets', 'report'];
const WASM = ['relaxed', 'simd', 'scalar', 'relaxed-threads', 'simd-threads'].map((v) => `build/simdgrad.${v}.wasm`);
const EXAMPLES = readdirSync(join(root, 'examples', 'node')).filter((f) => f.endsWith('.ts')).map((f) => `examples/node/${f}`);

/** Every string in a package.json `exports` value (nested conditions included). */
function targets(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return v && typeof v === 'object' ? Object.values(v).flatMap(targets) : [];
}

describe('package', () => {
  it('`npm pack` on a fresh clone ships dist/, every wasm build and the examples; every path package.json names is in the tarball', async () => {
    const { files, pkg } = await packed();
    const has = new Set(files);
    const TOP = ['package.json', 'README.md', 'CREDITS.md', 'LICENSE'];
    const expected = [
      ...ENTRIES.flatMap((e) => [`dist/${e}.js`, `dist/${e}.cjs`, `dist/${e}.d.ts`, `dist/${e}.d.cts`]),
      ...['index', 'core'].flatMap((e) => [`dist/${e}.workerd.js`, `dist/${e}.edge.js`]),
      'dist/cli.js', 'dist/tune-worker.js', ...WASM, ...EXAMPLES, ...TOP,
    ];
    expect(expected.filter((f) => !has.has(f))).toEqual([]);
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(4);
    // nothing but the build, the examples and the top-level documents
    expect(files.filter((f) => !TOP.includes(f) && !/^(dist\/[^/]+|build\/[^/]+\.wasm|examples\/node\/[^/]+\.ts)$/.test(f))).toEqual([]);

    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, unknown>;
    const exportsMap = manifest.exports as Record<string, unknown>;
    expect(Object.keys(exportsMap)).toEqual(['.', './core', './datasets', './report', './wasm/*', './package.json']);
    const named = [...targets(exportsMap), manifest.main, manifest.module, manifest.types, ...targets(manifest.bin)] as string[];
    for (const target of named) {
      const path = posix.normalize(target);
      if (path.includes('*')) {
        const re = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace('*', '.+')}$`);
        expect(files.filter((f) => re.test(f)), target).toEqual(expect.arrayContaining(WASM));
      } else expect(has.has(path), `${target} is in the tarball`).toBe(true);
    }
    // the Workers / Edge conditions pick their builds
    const dot = exportsMap['.'] as Record<string, unknown>;
    expect([dot.workerd, dot['edge-light']]).toEqual(['./dist/index.workerd.js', './dist/index.edge.js']);
    // every relative import in the shipped JS and declarations (chunks, the per-module files, ../build/*.wasm) is shipped too
    const perModule = files.filter((p) => /^dist\/[^/]+\.mjs$/.test(p));
    expect(perModule.length).toBeGreaterThan(50);
    for (const f of files.filter((p) => /^dist\/.*\.([cm]?js|d\.c?ts)$/.test(p))) {
      const code = readFileSync(join(pkg, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');   // not in comments (JSDoc)
      for (const m of code.matchAll(/(?:from\s*|\bimport\s*\(?\s*|require\(\s*)["'](\.{1,2}\/[^"'?]+)/g)) {
        let target = posix.join(posix.dirname(f), m[1]!);
        if (/\.d\.c?ts$/.test(f)) target = target.replace(/\.js$/, '.d.ts').replace(/\.cjs$/, '.d.cts');
        expect(has.has(target), `${f} imports ${m[1]}`).toBe(true);
      }
    }
  }, 900_000);

  it('loads and runs as ESM and CJS from the tarball, lazy chunks and the worker pool included; `simdgrad/core` is the same module instance', async () => {
    const { consumer } = await packed();
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: consumer, encoding: 'utf8' }).trim();
    expect(run(['--input-type=module', '-e',
      "import * as sg from 'simdgrad'; const b = await sg.init(); " +
      "const y = sg.matmul(sg.ones([2, 3]), sg.ones([3, 2]).mul(2)); console.log(b, y.toArray().join(','));"])).toBe('simd 6,6,6,6');
    expect(run(['-e', "const sg = require('simdgrad'); sg.init({ backend: 'scalar' }).then((b) => " +
      "console.log(b, sg.tensor([[1, 2]]).sum().item()));"])).toBe('scalar 3');
    // The lazily loaded JS reference kernels (a chunk in ESM, a .cjs chunk in CJS).
    expect(run(['--input-type=module', '-e',
      "import * as sg from 'simdgrad'; console.log(await sg.init({ backend: 'js' }), sg.tensor([[1, 2]]).sum().item());"])).toBe('js 3');
    expect(run(['-e', "const sg = require('simdgrad'); sg.init({ backend: 'js' }).then((b) => console.log(b, sg.tensor([[1, 2]]).sum().item()));"]))
      .toBe('js 3');
    expect(run(['--input-type=module', '-e',
      "import * as core from 'simdgrad/core'; import * as sg from 'simdgrad'; await core.init({ backend: 'simd' }); " +
      "console.log('tune' in core, typeof sg.tune.createStudy, core.Tensor === sg.Tensor, sg.backend(), core.tensor([[1, 2]]).sum().item());"]))
      .toBe('false function true simd 3');
    expect(run(['-e', "const core = require('simdgrad/core'); core.init({ backend: 'scalar' }).then((b) => " +
      "console.log('tune' in core, b, typeof core.nn.Linear, core.tensor([[1, 2]]).sum().item()));"])).toBe('false scalar function 3');
    // The per-module build (the `module` condition, what bundlers read) runs as it is, the two entries one instance.
    const mjs = (e: string) => JSON.stringify(pathToFileURL(join(consumer, 'node_modules', 'simdgrad', 'dist', `${e}.mjs`)).href);
    expect(run(['--input-type=module', '-e',
      `import * as core from ${mjs('core')}; import * as sg from ${mjs('index')}; const b = await core.init({ backend: 'simd' }); ` +
      "console.log('tune' in core, typeof sg.tune.createStudy, core.Tensor === sg.Tensor, b, sg.backend(), " +
      "core.matmul(core.ones([2, 3]), core.ones([3, 2]).mul(2)).toArray().join(','));"])).toBe('false function true simd simd 6,6,6,6');
    // The worker pool: a chunk that must find dist/tune-worker.js beside it.
    const dir = mkdtempSync(join(tmpdir(), 'simdgrad-pool-'));
    writeFileSync(join(dir, 'objective.mjs'), "export const objective = (trial) => (trial.suggestFloat('x', -1, 1) - 0.5) ** 2;\n");
    // A script file, not -e: workers inherit the parent's execArgv, and --input-type breaks them.
    writeFileSync(join(dir, 'main.mjs'), `import * as sg from ${JSON.stringify(pathToFileURL(join(consumer, 'node_modules', 'simdgrad', 'dist', 'index.js')).href)};\n` +
      'const s = await sg.tune.createStudy({ sampler: new sg.tune.RandomSampler({ seed: 1 }) });\n' +
      "await s.optimize({ module: new URL('./objective.mjs', import.meta.url), export: 'objective' }, { nTrials: 2, concurrency: 1 });\n" +
      "console.log(s.trials.map((t) => t.state).join(','));\n");
    expect(run([join(dir, 'main.mjs')])).toBe('COMPLETE,COMPLETE');
    rmSync(dir, { recursive: true, force: true });
    // Minified, with source maps.
    expect(readFileSync(join(consumer, 'node_modules', 'simdgrad', 'dist', 'index.js'), 'utf8')).toMatch(/\/\/# sourceMappingURL=index\.js\.map\s*$/);
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

  it('an example runs from node_modules/simdgrad/examples, importing the installed package', async () => {
    const { consumer } = await packed();
    const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href;
    const { stdout } = await exec(process.execPath, ['--import', tsx, join('node_modules', 'simdgrad', 'examples', 'node', 'fit-digits.ts')],
      { cwd: consumer, maxBuffer: 1 << 24 });
    expect(stdout).toMatch(/held-out accuracy (9[7-9]|100)\.\d+%/);  // the example itself exits non-zero below 97% or on a leak
  }, 900_000);

  it('a strict consumer type-checks against the tarball: nodenext (ESM, CJS) and bundler, lib ES2022 (+ DOM), `using` with esnext.disposable', async () => {
    const { consumer } = await packed();
    const dir = join(consumer, 'types');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    for (const [from, to] of [['app.ts', 'app.ts'], ['app.ts', 'app.mts'], ['app.ts', 'app.cts'], ['using.ts', 'using.mts']]) {
      copyFileSync(join(fixtures, from!), join(dir, to!));
    }
    const strict = {
      target: 'ES2022', strict: true, exactOptionalPropertyTypes: true, noUncheckedIndexedAccess: true, skipLibCheck: false,
      typeRoots: [join(root, 'node_modules', '@types')],
    };
    const nodenext = { module: 'NodeNext', moduleResolution: 'NodeNext' }, bundler = { module: 'ESNext', moduleResolution: 'Bundler', noEmit: true };
    const cases: Record<string, { options: Record<string, unknown>; files: string[] }> = {
      'nodenext-esm': { options: { ...nodenext, lib: ['ES2022'], types: ['node'], outDir: 'out' }, files: ['app.mts'] },
      'nodenext-cjs': { options: { ...nodenext, lib: ['ES2022'], types: ['node'], outDir: 'out' }, files: ['app.cts'] },
      'nodenext-bare': { options: { ...nodenext, lib: ['ES2022'], types: [], noEmit: true }, files: ['app.mts'] },
      'bundler-browser': { options: { ...bundler, lib: ['ES2022', 'DOM'], types: [] }, files: ['app.ts'] },
      'bundler-bare': { options: { ...bundler, lib: ['ES2022'], types: [] }, files: ['app.ts'] },
      'using': { options: { ...nodenext, lib: ['ES2022', 'esnext.disposable'], types: [], noEmit: true }, files: ['using.mts'] },
    };
    const failures: string[] = [];
    for (const [name, c] of Object.entries(cases)) {
      writeFileSync(join(dir, `tsconfig.${name}.json`), JSON.stringify({ compilerOptions: { ...strict, ...c.options }, files: c.files }));
    }
    // two at a time (two cores)
    const names = Object.keys(cases);
    for (let i = 0; i < names.length; i += 2) {
      await Promise.all(names.slice(i, i + 2).map((name) => exec(process.execPath, [tsc, '-p', `tsconfig.${name}.json`], { cwd: dir })
        .catch((e: { stdout?: string }) => { failures.push(`${name}:\n${e.stdout ?? String(e)}`); })));
    }
    expect(failures.join('\n')).toBe('');
    // The compiled ESM and CommonJS consumers run: every entry, training, a journal-backed study, a report.
    const journal = (tag: string) => JSON.stringify(join(dir, `${tag}.jsonl`));
    const outcomes = await Promise.all([
      exec(process.execPath, ['--input-type=module', '-e', `const { main } = await import('./out/app.mjs'); console.log(JSON.stringify(await main(${journal('esm')})));`], { cwd: dir }),
      exec(process.execPath, ['-e', `require('./out/app.cjs').main(${journal('cjs')}).then((o) => console.log(JSON.stringify(o)));`], { cwd: dir }),
    ]);
    for (const { stdout } of outcomes) {
      const o = JSON.parse(stdout) as Record<string, unknown>;
      expect(o).toMatchObject({ backend: 'simd', same: true, grad: 32, coreEpochs: 1, trials: 2, bestParams: ['lr', 'width'], report: true, tensors: 0 });
      expect(o.lastLoss).toBeGreaterThan(0);
    }
  }, 900_000);

  it('size budgets: (a) the core entry + wasm ≤ 80 KiB gzipped; (b) an MLP app bundled from the tarball ≤ 48 KiB with its wasm, and it trains', async () => {
    const { consumer, pkg } = await packed();
    const c = entrySize(pkg, 'core'), m = entrySize(pkg, 'index');
    const app = await bundleSize('simdgrad', 'app', consumer);
    try {
      console.log(`(a) simdgrad/core, gzipped: JS ${c.js} B (${c.files.join(', ')}) + simd wasm ${c.wasm} B = ${c.total} B ` +
        `(${(c.total / 1024).toFixed(1)} KiB; budget ${CORE_BUDGET / 1024} KiB); main entry (+ sg.tune) ${m.total} B. ` +
        `(b) the MLP app bundled: JS ${app.js} B (${app.files.join(', ')}; lazy chunks ${app.lazy} B more) + wasm ${app.wasm} B = ` +
        `${app.total} B (${(app.total / 1024).toFixed(1)} KiB; budget ${APP_BUDGET / 1024} KiB)`);
      expect(c.files).toEqual(['dist/core.js']);
      expect(m.files).toEqual(['dist/index.js', 'dist/core.js']);
      // rollup resolved the `module` condition: the app keeps per-module files only, and none of the
      // families an MLP trained by fit() never reaches (a static import that drags one in fails here)
      const kept = app.kept.map((k) => k.module);
      console.log(`(b) keeps ${kept.length} modules: ${app.kept.map((k) => `${k.module} ${k.bytes}`).join(', ')}`);
      expect(kept.filter((k) => !/^dist\/[^/]+\.mjs$/.test(k) && k !== 'bench/size-apps/simdgrad.js')).toEqual([]);
      expect(kept).toEqual(expect.arrayContaining(['dist/tensor.mjs', 'dist/train.fit.mjs', 'dist/optim.adam.mjs', 'dist/nn.linear.mjs']));
      expect(kept.filter((k) => /ops\.(recurrent|attention)|nn\.(rnn|multihead|transformer|embedding|batch-norm|layer-norm)|optim\.(schedules|clip|sgd|rmsprop|adagrad)|data\.(augment|read-csv)|^dist\/io\.|^dist\/tune\./.test(k)))
        .toEqual([]);
      expect(c.total).toBeLessThanOrEqual(CORE_BUDGET);
      expect(app.total).toBeLessThanOrEqual(APP_BUDGET);
      // the measured bundle is a working application: it finds its wasm in build/ beside dist/ and learns iris
      const r = await runApp(join(app.dir, 'dist', 'simdgrad.js'), consumer);
      expect(r.testAccuracy).toBeGreaterThan(0.9);
      expect(r.loss).toBeLessThan(0.3);
    } finally {
      rmSync(app.dir, { recursive: true, force: true });
    }
  }, 900_000);
});
