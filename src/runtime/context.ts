// The process-wide context: which backend new tensors live on. `init()` is explicit and
// idempotent; nothing runs at import time.
import type { BackendName } from '../backend/backend.js';
import { createBackend, type Backend } from '../backend/create-backend.js';
import type { ModuleSource } from './load.js';
import { BackendError, OptionError, describeValue } from '../errors.js';
import { initScopes } from '../scope.js';
import { checkInt } from '../check-option.js';

export interface InitOptions {
  /** Force a backend; default: the best this runtime validates (relaxed > simd > scalar > js). */
  backend?: BackendName;
  /** A precompiled WebAssembly.Module (required on Workers / Vercel Edge), its bytes or URL. */
  module?: ModuleSource;
  /**
   * Threads the kernels run on, the calling one included (1–64). 'auto' (the default): every core
   * where shared memory and workers exist — Node, Deno, Bun, cross-origin-isolated pages — and one
   * thread elsewhere (Cloudflare Workers, Vercel Edge, other pages: said once on the console).
   * Results are bit-identical at any thread count. A trial worker of `study.optimize` gets
   * floor(cores / concurrency). With `module`, threads need a threads build of the kernels
   * (`build/simdgrad.<variant>-threads.wasm`).
   */
  threads?: 'auto' | number;
}

let current: Backend | undefined;
let pending: Promise<Backend> | undefined;
let currentKey = '';

/**
 * Loads the kernels. Call once before creating tensors; calling again with the same options is
 * a no-op, with other options switches backends for tensors created afterwards.
 * @example
 * await sg.init();                       // best available, every core
 * await sg.init({ backend: 'js' });      // the pure-JS reference
 * await sg.init({ threads: 1 });         // one thread
 */
export async function init(options: InitOptions = {}): Promise<BackendName> {
  if (typeof options !== 'object' || options === null) throw new BackendError(`init: expected options { backend, module, threads }, got ${describeValue(options)}`);
  const { threads = 'auto' } = options;
  if (threads !== 'auto' && checkInt('init', 'threads', threads, 1) > 64) {
    throw new OptionError(`init: threads must be 'auto' or an integer from 1 to 64, got ${describeValue(threads)}`);
  }
  const key = `${options.backend ?? ''}|${options.module === undefined ? '' : 'module'}|${threads}`;
  if (pending && key === currentKey && options.module === undefined) return (await pending).name;
  currentKey = key;
  pending = (async () => {
    await initScopes();
    return createBackend(options.backend, { module: options.module, threads });
  })();
  const before = current;
  try {
    current = await pending;
  } catch (e) {
    pending = undefined;
    currentKey = '';
    throw e;
  }
  if (before !== current) before?.close?.(); // its tensors keep working, on one thread
  return current.name;
}

/**
 * Threads the kernels run on now: what init() chose, or 1 once a kernel thread stopped.
 * @example
 * await sg.init({ threads: 'auto' });
 * console.log(sg.threads());             // 8 on an 8-core machine
 */
export function threads(): number {
  return active().threads?.() ?? 1;
}

/** The active backend's name. */
export function backend(): BackendName {
  return active().name;
}

/** The active backend (internal). */
export function active(): Backend {
  if (!current) throw new BackendError('simdgrad is not initialised: `await sg.init()` first');
  return current;
}
