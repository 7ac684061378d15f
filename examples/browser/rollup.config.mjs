// Builds the browser demo into examples/browser/dist/ (npm run build:demo):
//   simdgrad.js      the library (src/index.ts) as an entry, shared by everything below, so a worker's
//                    init() and its objective module's `simdgrad` are one module instance
//   main.js          the page: live loss chart (uPlot, bundled), drawing pad, sweep leaderboard
//   train-worker.js  a Web Worker that trains the MLP on digits and answers predictions
//   objective.js     the sweep's objective module, run by simdgrad's trial workers
//   tune-worker.js   simdgrad's trial-worker entry (web-host.ts finds it beside simdgrad.js)
//   uPlot.min.css    uPlot's stylesheet
// (shared code goes to chunk-*.js beside them: the library resolves ./tune-worker.js and
// ../build/*.wasm from its own chunk's URL), and copies build/simdgrad.*.wasm to examples/browser/build/ (the library fetches ../build/ from
// simdgrad.js). TypeScript is only transpiled here (typescript.transpileModule); `npm test`'s tsc
// type-checks these sources.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { nodeResolve } from '@rollup/plugin-node-resolve';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

/** Resolves `./x.js` imports to `./x.ts` sources and transpiles TypeScript (no type checking); also
 * used by bench/browser/rollup.config.mjs. */
export function typescriptSources() {
  return {
    name: 'ts-sources',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.') || !source.endsWith('.js')) return null;
      const ts = resolve(dirname(importer), source.replace(/\.js$/, '.ts'));
      return existsSync(ts) ? ts : null;
    },
    transform(code, id) {
      if (!id.endsWith('.ts')) return null;
      const out = ts.transpileModule(code, {
        fileName: id,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: true, verbatimModuleSyntax: false },
      });
      return { code: out.outputText, map: JSON.parse(out.sourceMapText) };
    },
  };
}

/** Copies the wasm builds next to the demo and emits uPlot's stylesheet. */
function demoAssets() {
  return {
    name: 'demo-assets',
    buildStart() {
      const wasm = resolve(repo, 'build');
      const files = existsSync(wasm) ? readdirSync(wasm).filter((f) => f.endsWith('.wasm')) : [];
      if (!files.length) this.error('build/*.wasm missing: run `npm run build:wasm` first');
      mkdirSync(resolve(here, 'build'), { recursive: true });
      for (const f of files) copyFileSync(resolve(wasm, f), resolve(here, 'build', f));
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'uPlot.min.css', source: readFileSync(resolve(repo, 'node_modules/uplot/dist/uPlot.min.css')) });
    },
  };
}

export default {
  input: {
    simdgrad: resolve(repo, 'src/index.ts'),
    main: resolve(here, 'src/main.ts'),
    'train-worker': resolve(here, 'src/train-worker.ts'),
    objective: resolve(here, 'src/objective.ts'),
    'tune-worker': resolve(repo, 'src/tune/workers/worker-entry.ts'),
  },
  // Node builtins are only imported dynamically, behind runtime checks that are false in browsers.
  external: (id) => id.startsWith('node:'),
  output: {
    dir: resolve(here, 'dist'), format: 'es', sourcemap: true,
    entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js',
  },
  plugins: [typescriptSources(), nodeResolve({ browser: true }), demoAssets()],
  onwarn: (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY') warn(w); },
};
