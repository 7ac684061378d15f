// Vercel Edge (`edge-light`): the wasm builds imported with Vercel's `?module` suffix, which
// delivers a compiled WebAssembly.Module (the runtime forbids compiling bytes). Contract: as
// default-module.ts, without fetching or compiling anything. Replaces default-module.ts in
// dist/index.edge.js (rollup.config.mjs); the imports are kept as `../build/<file>.wasm?module`.
import type { WasmBuild } from './load.js';
import relaxed from '../../build/simdgrad.relaxed.wasm?module';
import simd from '../../build/simdgrad.simd.wasm?module';
import scalar from '../../build/simdgrad.scalar.wasm?module';

/** The build, or undefined for a threads build (this runtime has no workers to run threads on). */
export async function defaultModule(variant: WasmBuild): Promise<WebAssembly.Module> {
  return ({ relaxed, simd, scalar } as Record<string, WebAssembly.Module>)[variant]!;
}
