// Builds assembly/index.ts into the three WebAssembly variants, from one source:
//   build/simdgrad.relaxed.wasm  SIMD128 + relaxed SIMD (f32x4.relaxed_madd)
//   build/simdgrad.simd.wasm     SIMD128
//   build/simdgrad.scalar.wasm   MVP, no SIMD
// and the same relaxed and simd kernels over a shared memory, for the kernel threads
// (src/threads/): build/simdgrad.relaxed-threads.wasm and build/simdgrad.simd-threads.wasm import
// `env.memory` as a shared memory of at most 65,536 pages (4 GiB, as the single-threaded heap) —
// identical code, only the memory's declaration differs (--enable threads --sharedMemory). Every
// instance on every thread shares that memory, so the builds must carry no data segment (it would be
// copied into the memory again at each instantiation): the build fails if one appears.
// The source picks code paths with the compile-time constants ASC_FEATURE_SIMD and
// ASC_FEATURE_RELAXED_SIMD. Skips a variant whose output is newer than every source file.
import asc from 'assemblyscript/asc';
import { readdirSync, readFileSync, statSync, mkdirSync } from 'node:fs';
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
  'relaxed-threads': ['--enable', 'simd,relaxed-simd,threads', '--sharedMemory', '--maximumMemory', '65536'],
  'simd-threads': ['--enable', 'simd,threads', '--sharedMemory', '--maximumMemory', '65536'],
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
  const wasm = readFileSync(out);
  if (dataSegments(wasm) > 0) {
    console.error(`build-wasm: ${name} has a data segment (static data in assembly/): kernels must hold none`);
    process.exit(1);
  }
  console.log(`build-wasm: ${name} -> build/simdgrad.${name}.wasm (${statSync(out).size} bytes)`);
}

/** The number of data segments in a wasm binary (section 11), 0 if it has none. */
function dataSegments(bytes) {
  let i = 8;
  const leb = () => { let v = 0, shift = 0, b; do { b = bytes[i++]; v |= (b & 0x7f) << shift; shift += 7; } while (b & 0x80); return v >>> 0; };
  while (i < bytes.length) {
    const id = bytes[i++], size = leb(), end = i + size;
    if (id === 11) return leb();
    i = end;
  }
  return 0;
}
