// Shared by kernel tests: the backends that run here, the awkward sizes every kernel is tried
// at, and a closeness assertion that reports the first bad index.
import { expect } from 'vitest';
import { afterAll } from 'vitest';
import { availableBackends, createBackend, type Backend } from '../../src/backend/create-backend.js';
import type { BackendName } from '../../src/backend/backend.js';
import { threadedBackend } from '../../src/threads/threaded-backend.js';

/** Every backend that runs here (relaxed only where the runtime validates it). */
export const BACKENDS: BackendName[] = availableBackends()
  .filter((b) => !process.env.SIMDGRAD_BACKENDS || process.env.SIMDGRAD_BACKENDS.split(',').includes(b));
/** The sizes every kernel is tested at: SIMD tails, exact multiples, several iterations. */
export const SIZES = [0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 33, 257];

const cache = new Map<BackendName, Promise<Backend>>();
/** One shared instance per backend name for a test file. */
export function backend(name: BackendName): Promise<Backend> {
  let b = cache.get(name);
  if (!b) cache.set(name, (b = createBackend(name)));
  return b;
}

/** The builds that also run on kernel threads (src/threads/). */
export const THREADED = BACKENDS.filter((b): b is 'relaxed' | 'simd' => b === 'relaxed' || b === 'simd');

const pools = new Map<string, Promise<Backend>>();
/**
 * The threaded twin of `name` on `threads` threads with every splittable call split however small
 * (grain 'finest'), one per file; its workers stop when the file ends.
 */
export function threadedBackendOf(name: 'relaxed' | 'simd', threads = 3): Promise<Backend> {
  const key = `${name}×${threads}`;
  let b = pools.get(key);
  if (!b) {
    if (pools.size === 0) afterAll(async () => { for (const p of pools.values()) (await p).close?.(); pools.clear(); });
    pools.set(key, (b = threadedBackend(name, threads, undefined, 'finest').then((r) => {
      if (!r.backend || r.reason) throw new Error(`no threaded ${name} backend: ${r.reason}`);
      return r.backend;
    })));
  }
  return b;
}

export interface Tolerance { rtol?: number; atol?: number }

/** |a − e| ≤ atol + rtol·|e| elementwise; NaN matches NaN, ±Infinity must match exactly. */
export function expectClose(
  actual: ArrayLike<number>, expected: ArrayLike<number>, { rtol = 1e-5, atol = 1e-6 }: Tolerance = {},
  label = '',
): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: expected NaN, got ${a}`);
      continue;
    }
    if (!Number.isFinite(e)) {
      if (a !== e) expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
      continue;
    }
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a} (|diff| ${Math.abs(a - e)})`);
    }
  }
}

/** Deterministic pseudo-random floats in [lo, hi) for test inputs (not the library PRNG). */
export function randomArray(n: number, seed = 1, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    out[i] = lo + (hi - lo) * (s / 4294967296);
  }
  return out;
}
