// Library bundles: the main entry `simdgrad` (dist/index.{js,cjs,d.ts}) and the training core
// `simdgrad/core` (dist/core.{js,cjs,d.ts}: everything but sg.tune; the main ESM entry imports
// it). The .wasm builds ship as files in build/ and are found at run time relative to the bundle
// (src/runtime/load.ts), never inlined as base64.
// The built-in data sets are a second, independent entry (dist/datasets.{js,cjs,d.ts}) that the
// core never imports, so `simdgrad` carries none of their data.
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { builtinModules } from 'node:module';
import terser from '@rollup/plugin-terser';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, rmSync } from 'node:fs';

const external = [/^node:/, 'pg']; // pg: optional peer dependency, imported only for postgresql:// storages
const ts = () => typescript({ tsconfig: './tsconfig.build.json', noEmitOnError: true });

// ops/ and tensor.ts import each other on purpose (methods delegate to op functions, used only
// at call time), so rollup's circular-dependency notice is expected.
const onwarn = (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); };

// The core bundles ship minified with source maps (the gzipped size of the core entry is a tested
// budget, tests/package.test.ts). Class names are kept: messages and stateDict checks use them.
const minify = () => terser({ compress: { passes: 2 }, keep_classnames: true, format: { comments: false } });

// The Workers (`workerd`) and Vercel Edge (`edge-light`) bundles: src/runtime/default-module.ts
// swapped for the flavour that imports the .wasm builds as modules (those runtimes forbid
// compiling bytes); the imports stay external, relative to dist/ (`?module` on Vercel).
const wasmModules = (flavor) => ({
  name: `wasm-modules-${flavor}`,
  resolveId(source, importer) {
    if (source === './default-module.js' && importer && /[\\/]src[\\/]runtime[\\/]load\.ts$/.test(importer)) {
      return fileURLToPath(new URL(`./src/runtime/default-module.${flavor}.ts`, import.meta.url));
    }
    if (/\.wasm(\?module)?$/.test(source)) return { id: `../build/${basename(source)}`, external: true };
    return null;
  },
});
// Chunk names carry a content hash: the previous build's chunks go first, or the package would
// ship them too.
// The per-module files (*.mjs) go too: a module deleted from src/ must not stay in the package.
const cleanChunks = () => ({
  name: 'clean-chunks',
  buildStart() {
    if (existsSync('dist')) for (const f of readdirSync('dist')) if (f.startsWith('chunk-') || /\.mjs(\.map)?$/.test(f)) rmSync(`dist/${f}`);
  },
});
// The ESM for bundlers (package.json's `module` condition): one minified file per source module,
// so a consumer's bundler drops what the application never imports, module by module: a bundled
// module's top-level statements all stay once one of its exports is used, and `nn`, `optim`, `data`,
// `io` (export * as) stay real re-exports instead of namespace objects holding every class. Flat
// in dist/ (src/ops/matmul.ts → dist/ops.matmul.mjs), at the depth of the single-file bundles: the
// library's relative lookups (../build/*.wasm, ./tune-worker.js) resolve alike from either.
const perModule = {
  dir: 'dist', format: 'es', sourcemap: true, preserveModules: true, preserveModulesRoot: 'src',
  entryFileNames: (c) => `${c.name.replace(/[\\/]/g, '.')}.mjs`,
};
// Both entries per flavor, index.<flavor>.js importing core.<flavor>.js (one module instance when
// a Worker imports both), lazy parts as chunks: a Worker or an Edge function is always bundled
// (wrangler, Vercel's build), and the bundler takes the chunks in.
const edgeBundle = (flavor) => ({
  input: { index: 'src/index.ts', core: 'src/core.ts' },
  external,
  output: {
    dir: 'dist', entryFileNames: `[name].${flavor}.js`, chunkFileNames: `chunk-[name]-[hash].${flavor}.js`,
    format: 'es', sourcemap: true,
  },
  plugins: [wasmModules(flavor), ts(), minify()],
  preserveEntrySignatures: 'allow-extension',
  onwarn,
});

// Declarations as .d.ts (ESM, the `import` condition's types) and .d.cts (the `require`
// condition's: a CommonJS consumer under moduleResolution node16/nodenext may not load an ESM
// .d.ts); rollup-plugin-dts writes the .d.cts files' imports of each other as ./<name>.cjs.
const dtsOutputs = [
  { dir: 'dist', entryFileNames: '[name].d.ts', chunkFileNames: 'chunk-[name]-[hash].d.ts', format: 'es' },
  { dir: 'dist', entryFileNames: '[name].d.cts', chunkFileNames: 'chunk-[name]-[hash].d.cts', format: 'es' },
];

// The CLI's library imports (../index.js, ../datasets/index.js, as written or resolved) → the bundles.
const cliLib = (id) =>
  /(^|[\\/])src[\\/]index\.(ts|js)$|^\.\.\/index\.js$/.test(id) ? './index.js'
    : /(^|[\\/])src[\\/]datasets[\\/]index\.(ts|js)$|^\.\.\/datasets\/index\.js$/.test(id) ? './datasets.js' : undefined;

export default [
  {
    // Two ESM entries: dist/core.js (`simdgrad/core`, the training library) and dist/index.js
    // (`simdgrad`: core + sg.tune), which imports core.js, so a page loading both loads the core
    // once. Parts loaded on first use (the worker pool, the JS reference kernels, the journal and
    // PostgreSQL storages) are chunks beside them (in dist/ itself: the pool finds
    // ./tune-worker.js next to its own file); entries keep their exports (allow-extension: no
    // facade module). What runtimes load as files (Node, Deno, Bun, browsers): few requests, one
    // gzip dictionary. The same build again per module (dist/*.mjs, index.mjs and core.mjs the
    // entries) for bundlers.
    input: { index: 'src/index.ts', core: 'src/core.ts' },
    external,
    output: [{ dir: 'dist', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js', format: 'es', sourcemap: true }, perModule],
    plugins: [cleanChunks(), ts(), minify()],
    preserveEntrySignatures: 'allow-extension',
    onwarn,
  },
  {
    // CJS: the same two entries (index.cjs requires core.cjs) and lazy parts as .cjs chunks.
    input: { index: 'src/index.ts', core: 'src/core.ts' },
    external,
    output: { dir: 'dist', entryFileNames: '[name].cjs', chunkFileNames: 'chunk-[name]-[hash].cjs', format: 'cjs', sourcemap: true },
    plugins: [ts(), minify()],
    preserveEntrySignatures: 'allow-extension',
    onwarn,
  },
  {
    // The declarations, like the JS: dist/index.d.ts imports dist/core.d.ts, so `simdgrad`'s
    // Tensor and `simdgrad/core`'s are one type (a class with private members is nominal). Each
    // also as .d.cts (importing ./core.cjs), the types of the `require` condition.
    input: { index: 'src/index.ts', core: 'src/core.ts' },
    external,
    output: dtsOutputs,
    plugins: [dts()],
    preserveEntrySignatures: 'allow-extension',
  },
  {
    // The tune worker entry (dist/tune-worker.js, ESM): its import of the library is the bundle
    // beside it, so an objective's `simdgrad` and the worker's init() are the same module.
    input: 'src/tune/workers/worker-entry.ts',
    external: (id, importer) => /^node:/.test(id) || (/\/src\/index\.(ts|js)$|^\.\.\/\.\.\/index\.js$/.test(id) && !!importer),
    output: { file: 'dist/tune-worker.js', format: 'es', paths: (id) => (/^node:/.test(id) ? id : './index.js') },
    plugins: [ts()],
    onwarn,
  },
  {
    // The `simdgrad` command (dist/cli.js, package bin): its imports of the library and the data
    // sets are the bundles beside it; commander and cli-progress are bundled in, so the package
    // keeps zero runtime dependencies.
    input: 'src/cli/main.ts',
    external: (id, importer) => /^node:/.test(id) || builtinModules.includes(id) || id === 'pg' || (!!importer && !!cliLib(id)),
    output: {
      file: 'dist/cli.js', format: 'es', banner: '#!/usr/bin/env node',
      paths: (id) => cliLib(id) ?? id,
    },
    plugins: [nodeResolve({ preferBuiltins: true }), commonjs(), ts()],
    onwarn,
  },
  {
    input: 'src/datasets/index.ts',
    output: [
      { file: 'dist/datasets.js', format: 'es' },
      { file: 'dist/datasets.cjs', format: 'cjs' },
    ],
    plugins: [ts()],
  },
  { input: { datasets: 'src/datasets/index.ts' }, output: dtsOutputs, plugins: [dts()] },
  {
    // simdgrad/report: report.html rendering with uPlot inlined, kept out of the core bundle.
    input: 'src/tune/report/report.ts',
    external,
    output: [{ file: 'dist/report.js', format: 'es' }, { file: 'dist/report.cjs', format: 'cjs' }],
    plugins: [ts()],
    onwarn,
  },
  { input: { report: 'src/tune/report/report.ts' }, external, output: dtsOutputs, plugins: [dts()] },
  edgeBundle('workerd'),
  edgeBundle('edge'),
];
