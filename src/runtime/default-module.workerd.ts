// Cloudflare Workers (workerd): the wasm builds imported as modules. workerd forbids compiling
// bytes at run time, and its module loader (wrangler's default `**/*.wasm` rule) hands a
// `.wasm` import over as a compiled WebAssembly.Module. Contract: as default-module.ts, without
// fetching or compiling anything. Replaces default-module.ts in dist/index.workerd.js
// (rollup.config.mjs); the imports are kept as `../build/simdgrad.<variant>.wasm`.
import type { WasmBuild } from './load.js';
import relaxed from '../../build/simdgrad.relaxed.wasm';
import simd from '../../build/simdgrad.simd.wasm';
import scalar from '../../build/simdgrad.scalar.wasm';

/** The build, or undefined for a threads build (this runtime has no workers to run threads on). */
export async function defaultModule(variant: WasmBuild): Promise<WebAssembly.Module> {
  return ({ relaxed, simd, scalar } as Record<string, WebAssembly.Module>)[variant]!;
}
