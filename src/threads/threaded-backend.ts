// A backend whose kernels run on several threads: the shared-memory build of the relaxed or simd
// kernels (build/simdgrad.<variant>-threads.wasm: the same code, its memory declared shared) over
// one shared WebAssembly.Memory, a KernelPool of threads − 1 workers instantiating the same
// compiled Module against it, and the kernel set split over the pool (parallel-kernels.ts).
// Loaded on demand (a chunk of its own): single-threaded programs never load it.
// Contract: threadedBackend(variant, threads, module?) resolves to { backend } — or to { reason }
// when it cannot run (no threads build here — a file not found or not fetched —, a module that is
// not one), or to nothing for one
// thread ('auto' on one core): the caller then builds the single-threaded backend. If the workers
// do not start, it resolves to the same kernels on the calling thread alone over the shared memory,
// with the reason; so does a threads build given for one thread (it links only with a shared
// memory). The memory
// declares 65,536 pages (4 GiB, the same limit as the single-threaded heap): a shared memory must
// declare its maximum up front, and 64-bit engines only reserve address space for it; an engine
// that refuses gets half, and so on down to 1 GiB — the heap's limit (MemoryLimitError) follows.
import type { BackendName, Kernels } from '../backend/backend.js';
import type { Backend } from '../backend/create-backend.js';
import { Heap, MAX_PAGES } from '../memory.js';
import { BackendError } from '../errors.js';
import { instantiateKernels } from '../backend/wasm.js';
import { compileVariant, type WasmBuild } from '../runtime/load.js';
import { KernelPool } from './kernel-pool.js';
import { MAX_THREADS } from './control-block.js';
import { parallelKernels } from './parallel-kernels.js';
import type { Grain } from './cost.js';
import type { GemmSharing } from './gemm-sharing.js';
import { autoThreads } from './cores.js';

/** A shared memory with the largest maximum the engine grants (4 GiB, halved down to 1 GiB). */
function sharedMemory(): { memory: WebAssembly.Memory; maxPages: number } {
  for (let maxPages = MAX_PAGES; ; maxPages /= 2) {
    try {
      return { memory: new WebAssembly.Memory({ initial: 16, maximum: maxPages, shared: true }), maxPages };
    } catch (e) {
      if (maxPages <= MAX_PAGES / 4) throw e;
    }
  }
}

export interface ThreadedResult { backend?: Backend & { pool?: KernelPool }; reason?: string }

/**
 * The threaded backend of `variant` with `threads` threads ('auto': this machine's cores, or a
 * trial worker's share), or the reason it cannot be built.
 */
export async function threadedBackend(variant: Extract<BackendName, 'relaxed' | 'simd'>, threads: 'auto' | number,
  module?: WebAssembly.Module, grain: Grain = 'measured', gemmSharing: GemmSharing = 'auto'): Promise<ThreadedResult> {
  const n = Math.min(MAX_THREADS, threads === 'auto' ? await autoThreads() : threads);
  if (n < 2 && !module) return {};
  let compiled: WebAssembly.Module | undefined;
  try { // a bundle may ship the single-threaded builds alone: then one thread, said once
    compiled = module ?? await compileVariant(`${variant}-threads` as WasmBuild);
  } catch (e) {
    return { reason: `no ${variant}-threads build here (${(e as Error).message})` };
  }
  if (!compiled) return { reason: `no ${variant}-threads build here` };
  let exports: Record<string, unknown>, name: BackendName, memory: WebAssembly.Memory, heap: Heap;
  try {
    const shared = sharedMemory();
    memory = shared.memory;
    heap = new Heap(memory, shared.maxPages);
    // a module given to init is checked against the reference's kernel list, as on one thread
    const reference = module === undefined ? []
      : Object.keys((await import('../backend/js/index.js')).jsKernels(heap)) as (keyof Kernels)[];
    const made = await instantiateKernels(compiled, memory, reference);
    exports = made.kernels as unknown as Record<string, unknown>;
    name = made.variant;
  } catch (e) {
    if (e instanceof BackendError) throw e; // it links but lacks kernels, or is no simdgrad build
    return n < 2 ? {} : { reason: `${module ? 'the module given to init is not' : 'no'} threads build (${(e as Error).message})` };
  }
  const names = Object.keys(exports).filter((k) => typeof exports[k] === 'function');
  if (n < 2) return { backend: { name, kernels: exports as unknown as Kernels, heap } };
  let pool: KernelPool;
  try {
    pool = await KernelPool.start(compiled, memory, exports, names, n);
  } catch (e) { // the same kernels on this thread alone, over the shared memory they link with
    return { backend: { name, kernels: exports as unknown as Kernels, heap }, reason: `kernel threads did not start (${(e as Error).message})` };
  }
  const kernels = parallelKernels(exports as unknown as Kernels, pool, names, grain, gemmSharing);
  return { backend: { name, kernels, heap, pool, threads: () => pool.active, close: () => pool.close() } };
}
