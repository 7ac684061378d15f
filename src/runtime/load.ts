// Finding and compiling a wasm variant in every runtime (docs/ARCHITECTURE.md#runtimes).
//
// Contract: compileVariant(variant, source?) resolves to a WebAssembly.Module. A Module passed
// in is used as is (Cloudflare Workers and Vercel Edge forbid compiling bytes: they import the
// .wasm file as a Module). Bytes are compiled; a URL or path is read with `fs` in Node (whose
// fetch rejects file: URLs) and fetched elsewhere, streaming when the server sends
// application/wasm. Without a source, default-module.ts supplies the package's own build (located
// next to the bundle, or imported as a module in the Workers / Edge bundles). Nothing here runs
// at import time.

import { defaultModule } from './default-module.js';
import { fetchModule, isNode, readNodeFile } from './read-module.js';
import type { HostURL, WasmModule } from './host-types.js';

export type WasmVariant = 'relaxed' | 'simd' | 'scalar';
/** A build file: a variant, or the relaxed / simd kernels over a shared memory (kernel threads). */
export type WasmBuild = WasmVariant | 'relaxed-threads' | 'simd-threads';
/** What `init({ module })` accepts: a compiled module, the .wasm bytes, or a URL or path. */
export type ModuleSource = WasmModule | ArrayBuffer | ArrayBufferView | HostURL | string;

/**
 * A WebAssembly.Module, also one made in another realm (an edge runtime's host compiles the
 * module outside the sandbox's realm, where `instanceof` fails).
 */
export function isModule(v: unknown): boolean {
  return v instanceof WebAssembly.Module || Object.prototype.toString.call(v) === '[object WebAssembly.Module]';
}

/** Compiles (or passes through) the module for `variant`. */
export async function compileVariant(
  variant: WasmBuild, source?: ModuleSource,
): Promise<WebAssembly.Module> {
  if (source === undefined) return defaultModule(variant);
  if (isModule(source)) return source as WebAssembly.Module;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    return WebAssembly.compile(source as BufferSource);
  }
  const url = source instanceof URL ? source : new URL(source as string, isNode
    ? `file://${process.cwd()}/` : (globalThis as { location?: { href: string } }).location?.href);
  if (url.protocol === 'file:' && isNode) return WebAssembly.compile(await readNodeFile(url));
  return fetchModule(url);
}
