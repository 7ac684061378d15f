import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/helpers/leaks.ts'],
    // Forked workers so Node 20 can run the relaxed-SIMD build (behind a V8 flag there).
    pool: 'forks',
    execArgv: ['--experimental-wasm-relaxed-simd'],
    testTimeout: 30_000,
  },
});
