import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  // The examples import the package by name ('simdgrad', as users do, and as they do from the
  // installed package); in the repository that is the source (tsconfig.json's `paths`, for tsc
  // and tsx).
  resolve: {
    alias: [
      { find: /^simdgrad$/, replacement: src('index.ts') },
      { find: /^simdgrad\/core$/, replacement: src('core.ts') },
      { find: /^simdgrad\/datasets$/, replacement: src('datasets/index.ts') },
      { find: /^simdgrad\/report$/, replacement: src('tune/report.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/leaks.ts'],
    // Forked workers so Node 20 can run the relaxed-SIMD build (behind a V8 flag there; newer
    // Node has it on by default and rejects the flag).
    pool: 'forks',
    execArgv: Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [],
    testTimeout: 30_000,
  },
});
