// The process-wide context: which backend new tensors live on. `init()` is explicit and
// idempotent; nothing runs at import time.
import type { BackendName } from '../backend/backend.js';
import { createBackend, type Backend } from '../backend/create-backend.js';
import type { ModuleSource } from './load.js';
import { BackendError, describeValue } from '../errors.js';
import { initScopes } from '../scope.js';

export interface InitOptions {
  /** Force a backend; default: the best this runtime validates (relaxed > simd > scalar > js). */
  backend?: BackendName;
  /** A precompiled WebAssembly.Module (required on Workers / Vercel Edge), its bytes or URL. */
  module?: ModuleSource;
}

let current: Backend | undefined;
let pending: Promise<Backend> | undefined;
let currentKey = '';

/**
 * Loads the kernels. Call once before creating tensors; calling again with the same options is
 * a no-op, with other options switches backends for tensors created afterwards.
 * @example
 * await sg.init();                       // best available
 * await sg.init({ backend: 'js' });      // the pure-JS reference
 */
export async function init(options: InitOptions = {}): Promise<BackendName> {
  if (typeof options !== 'object' || options === null) throw new BackendError(`init: expected options { backend, module }, got ${describeValue(options)}`);
  const key = `${options.backend ?? ''}|${options.module === undefined ? '' : 'module'}`;
  if (pending && key === currentKey && options.module === undefined) return (await pending).name;
  currentKey = key;
  pending = (async () => {
    await initScopes();
    return createBackend(options.backend, { module: options.module });
  })();
  try {
    current = await pending;
  } catch (e) {
    pending = undefined;
    currentKey = '';
    throw e;
  }
  return current.name;
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
