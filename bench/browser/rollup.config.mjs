// Builds the isolated-Chromium benchmark page's Web Worker (bench/threads-browser.ts runs
// `rollup -c bench/browser/rollup.config.mjs`) into bench/browser/dist/: mlp-worker.js with its
// chunks — simdgrad from src/ (as the browser demo bundles it: it finds ../build/*.wasm from its own
// chunk's URL, which the page's server maps to the repository's build/), jax-js and TensorFlow.js
// (core, layers, wasm backend) from node_modules, each library in chunks of its own that a worker
// imports only when its configuration needs it — and copies index.html beside it. The tfjs .wasm
// binaries are served from node_modules (setWasmPaths), not copied.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import commonjs from '@rollup/plugin-commonjs';
import { typescriptSources } from '../../examples/browser/rollup.config.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, 'dist');

/** Empties dist/ first (no stale chunks) and copies the page. */
function page() {
  return {
    name: 'bench-page',
    buildStart() { rmSync(out, { recursive: true, force: true }); },
    writeBundle() {
      mkdirSync(out, { recursive: true });
      copyFileSync(resolve(here, 'index.html'), resolve(out, 'index.html'));
    },
  };
}

export default {
  input: { 'mlp-worker': resolve(here, 'mlp-worker.ts') },
  // Node builtins are only imported dynamically, behind runtime checks that are false in browsers.
  external: (id) => id.startsWith('node:'),
  output: { dir: out, format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunk-[name]-[hash].js' },
  plugins: [page(), typescriptSources(), nodeResolve({ browser: true }), commonjs()],
  onwarn: (w, warn) => { if (w.code !== 'CIRCULAR_DEPENDENCY' && w.code !== 'THIS_IS_UNDEFINED' && w.code !== 'EVAL') warn(w); },
};
