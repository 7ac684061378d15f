// The wasm adapter: types an instance's exports as the kernel set. No loader, no generated
// bindings — kernels take numbers only, so the exports are called directly.
import type { Kernels } from './backend.js';
import type { WasmVariant } from '../runtime/load.js';
import { BackendError } from '../errors.js';

const VARIANTS: readonly WasmVariant[] = ['scalar', 'simd', 'relaxed'];

/** Instantiates `module` over `memory` and returns its kernels and which build it is. */
export async function instantiateKernels(
  module: WebAssembly.Module, memory: WebAssembly.Memory, expected: readonly (keyof Kernels)[],
): Promise<{ kernels: Kernels; variant: WasmVariant }> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const exports = instance.exports as Record<string, unknown>;
  const missing = expected.filter((k) => typeof exports[k] !== 'function');
  if (missing.length) {
    throw new BackendError(`wasm module lacks kernels: ${missing.join(', ')} (stale build?)`);
  }
  const id = typeof exports.variant_id === 'function' ? (exports.variant_id as () => number)() : -1;
  const variant = VARIANTS[id];
  if (!variant) throw new BackendError('wasm module is not a simdgrad build (no variant_id)');
  return { kernels: exports as unknown as Kernels, variant };
}
