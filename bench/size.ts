// Package size: the two budgets, measured on the packed tarball (tests/helpers/packed.ts), gzipped
// at level 9, in KiB; tests/package.test.ts holds both, `npm run bench -- --only=size` prints them
// beside TensorFlow.js's and jax-js's equivalents.
//   (a) the core entry: what `import 'simdgrad/core'` loads before any lazy part in a runtime that
//       loads files (Node, Deno, Bun, a browser's import map) — the minified dist/core.js and every
//       file it imports statically — plus the simd wasm: ≤ 80 KiB.
//   (b) an application: bench/size-apps/simdgrad.js (an MLP trained with Adam by fit() on data it
//       receives at run time, then predicting) bundled by rollup from the installed tarball with
//       tree-shaking (node-resolve with browser conditions, commonjs, terser): its entry chunk and
//       the chunks that imports statically, plus the simd wasm: ≤ 48 KiB. Bundlers resolve the
//       package's `module` condition, the per-module build (dist/*.mjs, one file per source
//       module): the bench also lists what the bundle keeps of it, module by module.
// The peers: the same application with TensorFlow.js (tfjs-core + tfjs-layers + the wasm backend,
// its SIMD .wasm counted) and jax-js (which generates its wasm at run time: no .wasm file),
// bundled the same way; for (a), each whole library (every export kept) bundled the same way.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { rollup, type Plugin } from 'rollup';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjsPlugin from '@rollup/plugin-commonjs';
import terserPlugin from '@rollup/plugin-terser';
import { packed, root } from '../tests/helpers/packed.js';

// Their types describe CommonJS modules under NodeNext (the function is `.default`); imported as
// ESM, as here at run time, the default export is the function itself.
const commonjs = commonjsPlugin as unknown as typeof commonjsPlugin.default;
const terser = terserPlugin as unknown as typeof terserPlugin.default;

export const CORE_BUDGET = 80 * 1024;
export const APP_BUDGET = 48 * 1024;
const apps = fileURLToPath(new URL('./size-apps/', import.meta.url));
const gz = (bytes: string | Buffer) => gzipSync(bytes, { level: 9 }).length;
const gzFile = (file: string) => gz(readFileSync(file));
const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;

export interface EntrySize { files: string[]; js: number; wasm: number; total: number }

/** A bundle file and every JS file it loads statically (ESM imports, side-effect imports included, or CJS requires of ./ paths). */
function staticClosure(file: string): string[] {
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f)) return;
    seen.add(f);
    const code = readFileSync(f, 'utf8');
    // (`return require(…)` is rollup's CJS form of a lazy import(); .wasm imports are counted apart)
    for (const m of code.matchAll(/\b(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']|(?<!return\s*)\brequire\(["'](\.{1,2}\/[^"']+)["']\)/g)) {
      const target = (m[1] ?? m[2])!;
      if (/\.[cm]?js$/.test(target)) visit(join(dirname(f), target));
    }
  };
  visit(file);
  return [...seen];
}

/** An entry's gzipped size in the installed package `pkg`: dist/<entry>.js + its static imports, and the simd wasm. */
export function entrySize(pkg: string, entry: 'core' | 'index' = 'core'): EntrySize {
  const files = staticClosure(join(pkg, 'dist', `${entry}.js`));
  const js = files.reduce((s, f) => s + gzFile(f), 0);
  const wasm = gzFile(join(pkg, 'build', 'simdgrad.simd.wasm'));
  return { files: files.map((f) => f.slice(pkg.length + 1)), js, wasm, total: js + wasm };
}

export type Library = 'simdgrad' | 'tfjs' | 'jax';
export interface BundleSize {
  /** The output directory: dist/ holds the chunks (and build/ the wasm, for simdgrad's app). */
  dir: string;
  /** Chunks loaded at start (the entry and its static imports) and their gzipped sum. */
  files: string[]; js: number;
  /** Chunks loaded only on demand (dynamic imports), gzipped. */
  lazy: number;
  wasm: number; total: number;
  /**
   * What the chunks loaded at start keep of each module they were built from: the module's path
   * (relative to the installed package for the library's own files, else to the repository) and
   * its rendered length after tree-shaking, before the bundle's minification, largest first.
   */
  kept: { module: string; bytes: number }[];
}

/** The SIMD .wasm each library loads (jax-js generates its modules at run time). */
function wasmOf(lib: Library, pkg: string): string | null {
  if (lib === 'simdgrad') return join(pkg, 'build', 'simdgrad.simd.wasm');
  if (lib === 'tfjs') return join(root, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'wasm-out', 'tfjs-backend-wasm-simd.wasm');
  return null;
}

/** Every export of each library kept: the (a) equivalent for TensorFlow.js and jax-js (and simdgrad's core as bundlers see it). */
const WHOLE: Record<Library, string[]> = {
  simdgrad: ['simdgrad/core'],
  tfjs: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-wasm'],
  jax: ['@jax-js/jax'],
};

/**
 * Bundles `what` — the size app written with `lib` (bench/size-apps/<lib>.js), or the whole
 * library — into a fresh directory and measures it. `simdgrad` resolves to the installed tarball
 * in `consumer`; the peers to the repository's devDependencies.
 */
export async function bundleSize(lib: Library, what: 'app' | 'whole', consumer: string): Promise<BundleSize> {
  const input = join(apps, what === 'app' ? `${lib}.js` : `whole-${lib}.js`);
  const plugins: Plugin[] = [{
    name: 'size-inputs',
    resolveId(source, importer, opts) {
      if (source === input) return input;
      if (/^simdgrad(\/|$)/.test(source)) return this.resolve(source, join(consumer, 'index.js'), { ...opts, skipSelf: true });
      return null;
    },
    load(id) {
      if (id !== input || what === 'app') return null;
      return WHOLE[lib].map((m, i) => `import * as m${i} from '${m}';`).join('\n') + `\nexport { ${WHOLE[lib].map((_, i) => `m${i}`).join(', ')} };\n`;
    },
  }, nodeResolve({ browser: true }), commonjs(), terser()];
  const bundle = await rollup({ input, external: [/^node:/], plugins, onwarn: () => {} });
  const dir = mkdtempSync(join(tmpdir(), `simdgrad-size-${lib}-`));
  const { output } = await bundle.write({ dir: join(dir, 'dist'), format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js' });
  await bundle.close();
  const chunks = new Map(output.flatMap((o) => (o.type === 'chunk' ? [[o.fileName, o] as const] : [])));
  const loaded = new Set<string>();
  const visit = (f: string) => { if (!chunks.has(f) || loaded.has(f)) return; loaded.add(f); chunks.get(f)!.imports.forEach(visit); };
  visit([...chunks.values()].find((c) => c.isEntry)!.fileName);
  const size = (names: string[]) => names.reduce((s, f) => s + gz(chunks.get(f)!.code), 0);
  const wasmFile = wasmOf(lib, join(consumer, 'node_modules', 'simdgrad'));
  if (wasmFile && lib === 'simdgrad') {
    // as a bundler user ships it: the .wasm files in build/ beside dist/ (where init() looks)
    mkdirSync(join(dir, 'build'));
    // (the -threads builds too: loaded only when kernel threads run, never counted in the budget)
    for (const v of ['relaxed', 'simd', 'scalar', 'relaxed-threads', 'simd-threads']) copyFileSync(wasmFile.replace('.simd.', `.${v}.`), join(dir, 'build', `simdgrad.${v}.wasm`));
  }
  const js = size([...loaded]), wasm = wasmFile ? gzFile(wasmFile) : 0;
  const pkg = join(consumer, 'node_modules', 'simdgrad') + '/';
  const kept = [...loaded].flatMap((f) => Object.entries(chunks.get(f)!.modules))
    .filter(([, m]) => m.renderedLength > 0)
    .map(([id, m]) => ({ module: id.startsWith(pkg) ? id.slice(pkg.length) : relative(root, id), bytes: m.renderedLength }))
    .sort((a, b) => b.bytes - a.bytes);
  return { dir, files: [...loaded], js, lazy: size([...chunks.keys()].filter((f) => !loaded.has(f))), wasm, total: js + wasm, kept };
}

export interface AppResult { loss: number; accuracy: number; testAccuracy: number }

/** Runs a size app (a module exporting train()) in a child process on iris (from the installed simdgrad/datasets). */
export async function runApp(module: string, consumer: string, epochs = 30): Promise<AppResult> {
  const datasets = pathToFileURL(join(consumer, 'node_modules', 'simdgrad', 'dist', 'datasets.js')).href;
  const script = `const { iris } = await import(${JSON.stringify(datasets)});
const { train } = await import(${JSON.stringify(pathToFileURL(module).href)});
const d = iris();
const r = await train({ x: d.x, y: d.y, features: d.shape[1], classes: d.targetNames.length, test: d.x, epochs: ${epochs} });
const hits = r.predicted.filter((c, i) => c === d.y[i]).length;
console.log(JSON.stringify({ loss: r.loss, accuracy: r.accuracy, testAccuracy: hits / d.y.length }));`;
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: root, maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as AppResult;
}

/** A kept-modules list as table rows, two modules a row (the first half of the list on the left). */
function keptRows(kept: { module: string; bytes: number }[]): string[] {
  const half = Math.ceil(kept.length / 2), cell = (k?: { module: string; bytes: number }) => (k ? `\`${k.module}\` | ${k.bytes}` : ' | ');
  return Array.from({ length: half }, (_, i) => `| ${cell(kept[i])} | | ${cell(kept[half + i])} |`);
}

export async function runSizeBench(): Promise<string> {
  const { consumer, pkg } = await packed();
  const c = entrySize(pkg, 'core'), m = entrySize(pkg, 'index');
  // the ESM chunks only (not the .cjs ones, nor the Workers/Edge builds')
  const lazyChunks = readdirSync(join(pkg, 'dist')).filter((f) => /^chunk-.*\.js$/.test(f) && !/\.(edge|workerd)\.js$/.test(f))
    .reduce((s, f) => s + gzFile(join(pkg, 'dist', f)), 0);
  const app = await bundleSize('simdgrad', 'app', consumer);
  const ran = await runApp(join(app.dir, 'dist', 'simdgrad.js'), consumer);
  rmSync(app.dir, { recursive: true, force: true });
  if (!(ran.testAccuracy > 0.9)) throw new Error(`size bench: the bundled simdgrad app did not learn iris: ${JSON.stringify(ran)}`);
  const whole = await bundleSize('simdgrad', 'whole', consumer);
  rmSync(whole.dir, { recursive: true, force: true });
  const peers: Record<string, { app: BundleSize; whole: BundleSize }> = {};
  for (const lib of ['tfjs', 'jax'] as const) {
    const r = await runApp(join(apps, `${lib}.js`), consumer);   // the source app trains (its bundle is for browsers)
    if (!(r.testAccuracy > 0.9)) throw new Error(`size bench: the ${lib} app did not learn iris: ${JSON.stringify(r)}`);
    peers[lib] = { app: await bundleSize(lib, 'app', consumer), whole: await bundleSize(lib, 'whole', consumer) };
    rmSync(peers[lib].app.dir, { recursive: true, force: true });
    rmSync(peers[lib].whole.dir, { recursive: true, force: true });
  }
  const { tfjs, jax } = peers as Record<'tfjs' | 'jax', { app: BundleSize; whole: BundleSize }>;
  const cell = (b: { js: number; wasm: number; total: number }) =>
    `**${kib(b.total)}** (${b.wasm ? `JS ${kib(b.js)} + wasm ${kib(b.wasm)}` : 'JS only: wasm generated at run time'})`;
  const lazy = (b: BundleSize) => (b.lazy ? kib(b.lazy) : '—');
  const pkgRow = (what: string, file: string) =>
    `| ${what} | \`${file}\` | ${statSync(join(pkg, file)).size} | ${gzFile(join(pkg, file))} |`;
  const closure = (what: string, file: string) => {
    const files = staticClosure(join(pkg, file));
    return `| ${what} | \`${file}\` + ${files.length - 1} imported | ${files.reduce((a, f) => a + statSync(f).size, 0)} | ${files.reduce((a, f) => a + gzFile(f), 0)} |`;
  };
  return [
    'Two budgets, measured on the packed tarball (gzip level 9). (a) The core entry, `import \'simdgrad/core\'` before ' +
    'any lazy part where files are loaded as they are — Node, Deno, Bun, a browser\'s import map — (minified dist/core.js ' +
    `+ the simd wasm): ${kib(c.total)} (${c.total} B), budget ${kib(CORE_BUDGET)}` +
    `${c.total <= CORE_BUDGET ? ' — met' : ' — NOT met'}. (b) An application — an MLP trained with Adam by \`fit()\` on ` +
    'data it receives at run time, then predicting (bench/size-apps/) — bundled by rollup with tree-shaking from the ' +
    'installed tarball (a bundler resolves the package\'s `module` condition: the same build, one minified file per ' +
    `source module, of which the bundle keeps the modules the app reaches): ${kib(app.total)} (${app.total} B) with its wasm, budget ${kib(APP_BUDGET)}${app.total <= APP_BUDGET ? ' — met' : ' — NOT met'} ` +
    `(it trains: iris accuracy ${(100 * ran.testAccuracy).toFixed(1)}%). The same application written with TensorFlow.js ` +
    '(tfjs-core + tfjs-layers + the wasm backend, its SIMD .wasm counted) and with jax-js (no fit() or optimizers: the ' +
    'epoch loop and Adam written out; it generates its wasm at run time), bundled the same way; for (a), each whole ' +
    'library with every export kept. Lazy chunks are loaded on demand only (simdgrad: the JS reference kernels; ' +
    'jax-js: its WebGPU and WebGL backends).',
    '',
    '| | simdgrad | TensorFlow.js | jax-js |',
    '|---|---|---|---|',
    `| (a) the library (simdgrad: \`simdgrad/core\`) | ${cell(c)} | ${cell(tfjs.whole)} | ${cell(jax.whole)} |`,
    `| (b) the MLP application, tree-shaken | ${cell(app)} | ${cell(tfjs.app)} | ${cell(jax.app)} |`,
    `| (b)'s lazy chunks | ${lazy(app)} | ${lazy(tfjs.app)} | ${lazy(jax.app)} |`,
    `| \`simdgrad/core\` as a bundler sees it (the per-module build, every export kept) | ${cell(whole)} | | |`,
    '',
    'What (b)\'s bundle keeps, per module of the per-module build (bytes rendered after tree-shaking, before the ' +
    `bundle's minification; ${app.kept.length} modules, ${app.kept.reduce((a, k) => a + k.bytes, 0)} B):`,
    '',
    '| module | bytes | | module | bytes |',
    '|---|---:|---|---|---:|',
    ...keptRows(app.kept),
    '',
    `Main entry (\`import 'simdgrad'\`: the core + \`sg.tune\`): JS ${m.js} B + wasm = ${m.total} B (${kib(m.total)}). ` +
    `Lazily loaded chunks (worker pool, JS reference kernels, CSV reader, journal and PostgreSQL storages): ${lazyChunks} B more.`,
    '',
    '| part | file | bytes | gzipped |',
    '|---|---|---:|---:|',
    pkgRow('core JS (ESM, minified)', 'dist/core.js'),
    pkgRow('tuner part of the main entry (imports core.js)', 'dist/index.js'),
    closure('core, CJS (lazy parts as .cjs chunks)', 'dist/core.cjs'),
    closure('main entry, CJS (requires core.cjs)', 'dist/index.cjs'),
    closure('core for bundlers (one file per module, `module` condition)', 'dist/core.mjs'),
    closure('main entry for bundlers', 'dist/index.mjs'),
    closure('core, Workers build', 'dist/core.workerd.js'),
    closure('main entry, Workers build', 'dist/index.workerd.js'),
    pkgRow('wasm, simd', 'build/simdgrad.simd.wasm'),
    pkgRow('wasm, relaxed', 'build/simdgrad.relaxed.wasm'),
    pkgRow('wasm, scalar', 'build/simdgrad.scalar.wasm'),
    pkgRow('wasm, simd over a shared memory (kernel threads, loaded only then)', 'build/simdgrad.simd-threads.wasm'),
    pkgRow('wasm, relaxed over a shared memory (kernel threads)', 'build/simdgrad.relaxed-threads.wasm'),
    pkgRow('`simdgrad/datasets`', 'dist/datasets.js'),
    pkgRow('`simdgrad/report` (uPlot inlined)', 'dist/report.js'),
  ].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(await runSizeBench());
