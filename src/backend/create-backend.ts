// Creating a backend: a heap plus the kernels that run over it.
//
// Contract: createBackend(name) builds a fresh heap (its own linear memory) and binds the named
// kernel implementation to it; 'js' is the pure-JS reference over the same kind of heap, so
// every backend reads and writes the same byte layout. availableBackends() lists the names that
// run in this runtime, best first. The JS reference is imported on demand (backend 'js', or to
// check a module passed to init), so the core bundle does not carry it.
import type { BackendName, Kernels } from './backend.js';
import { Heap, createLinearMemory, MAX_PAGES } from '../memory.js';
import { instantiateKernels } from './wasm.js';
import { compileVariant, type ModuleSource, type WasmVariant } from '../runtime/load.js';
import { features } from '../runtime/probe.js';
import { BackendError } from '../errors.js';

export interface Backend {
  readonly name: BackendName;
  readonly kernels: Kernels;
  readonly heap: Heap;
  /** Threads the kernels run on now (a threaded backend: src/threads/); absent means 1. */
  threads?(): number;
  /** Stops a threaded backend's workers (its kernels then run on the calling thread). */
  close?(): void;
}

/** Backend names that run here, best first: relaxed, simd, scalar (when wasm runs), js. */
export function availableBackends(): BackendName[] {
  const f = features();
  const names: BackendName[] = [];
  if (f.relaxedSimd) names.push('relaxed');
  if (f.simd) names.push('simd');
  if (f.wasm) names.push('scalar');
  names.push('js');
  return names;
}

export interface CreateBackendOptions {
  /** A precompiled module, its bytes or its URL (the variant is read from the module). */
  module?: ModuleSource;
  /** Kernel threads: above 1 (or 'auto' on several cores), the relaxed or simd kernels over a
   * shared memory on a pool of workers (src/threads/, loaded on demand). Default 1. */
  threads?: 'auto' | number;
}

let said = false;
/** Says once why the kernels run on one thread: info for 'auto', a warning when threads were asked for. */
function oneThread(threads: 'auto' | number, why: string): void {
  if (said) return;
  said = true;
  (threads === 'auto' ? console.info : console.warn)(`simdgrad: kernels run on one thread: ${why}`);
}

/** Why kernel threads cannot run in this runtime, or '' if they can. */
function noThreadsHere(): string {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; process?: { versions?: { node?: unknown } } };
  if (typeof SharedArrayBuffer !== 'function' || g.crossOriginIsolated === false) {
    return 'no SharedArrayBuffer (a page must be cross-origin isolated: COOP same-origin, COEP require-corp)';
  }
  return typeof g.process?.versions?.node === 'string' || typeof g.Worker === 'function' ? '' : 'this runtime has no workers';
}

/** The threaded backend, if threads can run (else undefined, said once). */
async function threaded(name: BackendName, threads: 'auto' | number, source?: ModuleSource): Promise<Backend | undefined> {
  if (name !== 'relaxed' && name !== 'simd') {
    if (threads !== 'auto') oneThread(threads, `the ${name} build has no threaded twin`);
    return undefined;
  }
  const why = noThreadsHere();
  if (why) oneThread(threads, why);
  if (why && (source === undefined || typeof SharedArrayBuffer !== 'function')) return undefined;
  // (a module given where threads cannot run may still be a threads build: it runs on one thread)
  const { threadedBackend } = await import('../threads/threaded-backend.js');
  const r = await threadedBackend(name, why ? 1 : threads, source === undefined ? undefined : await compileVariant(name, source));
  if (r.reason) oneThread(threads, r.reason);
  return r.backend;
}

/** Creates backend `name` (default: the best available) with a fresh heap. */
export async function createBackend(
  name?: BackendName, options: CreateBackendOptions = {},
): Promise<Backend> {
  const available = availableBackends();
  const fromModule = name === undefined && options.module !== undefined;
  name ??= available[0]!;
  if (name === 'js') {
    const heap = new Heap(createLinearMemory());
    return { name, kernels: (await import('./js/index.js')).jsKernels(heap), heap };
  }
  if (!fromModule && !available.includes(name)) {
    throw new BackendError(`backend '${name}' cannot run here (available: ${available.join(', ')})`);
  }
  const { threads = 1 } = options;
  if (threads !== 1) {
    const b = await threaded(name, threads, options.module);
    if (b) return b;
  }
  const compiled = await compileVariant(name as WasmVariant, options.module);
  const memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
  const heap = new Heap(memory);
  // A module the caller passed is checked against the reference's kernel list (loaded on demand:
  // the JS reference is no weight in the core bundle); the package's own builds ship with it.
  const reference = options.module === undefined ? []
    : Object.keys((await import('./js/index.js')).jsKernels(heap)) as (keyof Kernels)[];
  const { kernels, variant } = await instantiateKernels(compiled, memory, reference);
  if (!fromModule && variant !== name) {
    throw new BackendError(`asked for the ${name} build but the module holds the ${variant} build`);
  }
  return { name: variant, kernels, heap };
}
