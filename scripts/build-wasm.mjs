// Builds assembly/index.ts into the three WebAssembly variants, from one source:
//   build/simdgrad.relaxed.wasm  SIMD128 + relaxed SIMD (f32x4.relaxed_madd)
//   build/simdgrad.simd.wasm     SIMD128
//   build/simdgrad.scalar.wasm   MVP, no SIMD
// The source picks code paths with the compile-time constants ASC_FEATURE_SIMD and
// ASC_FEATURE_RELAXED_SIMD. Skips a variant whose output is newer than every source file.
import asc from 'assemblyscript/asc';
import { readdirSync, statSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const srcDir = join(root, 'assembly');
const outDir = join(root, 'build');
mkdirSync(outDir, { recursive: true });

const common = [
  'assembly/index.ts', '--runtime', 'stub', '--importMemory', '--noAssert', '--optimizeLevel', '3',
  '--shrinkLevel', '2', '--converge', '--noExportMemory', '--use', 'abort=',
];
const variants = {
  relaxed: ['--enable', 'simd,relaxed-simd'],
  simd: ['--enable', 'simd'],
  scalar: ['--disable', 'simd'],
};

const newestSource = Math.max(
  statSync(new URL(import.meta.url).pathname).mtimeMs,
  ...readdirSync(srcDir).map((f) => statSync(join(srcDir, f)).mtimeMs),
);
const force = process.argv.includes('--force');
for (const [name, flags] of Object.entries(variants)) {
  const out = join(outDir, `simdgrad.${name}.wasm`);
  let fresh = false;
  try { fresh = statSync(out).mtimeMs > newestSource; } catch { /* not built yet */ }
  if (fresh && !force) continue;
  const { error, stderr } = await asc.main([...common, ...flags, '--outFile', out, '--textFile', out.replace(/\.wasm$/, '.wat')], {});
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${name} failed: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: ${name} -> build/simdgrad.${name}.wasm (${statSync(out).size} bytes)`);
}
