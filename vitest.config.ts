import { defineConfig } from 'vitest/config';

export default defineConfig({
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
