// How many threads a kernel pool may use here: this machine's logical cores, or — inside a trial
// worker of study.optimize — the share its pool handed it (floor(cores / concurrent workers), set
// by the worker entry before the objective calls init()), so a sweep never oversubscribes.
// Tiny on purpose: the trial worker pool imports it without the kernel threads.

/** The global through which a trial worker's entry tells init({ threads: 'auto' }) its share. */
export const AUTO_THREADS = Symbol.for('simdgrad.autoThreads');

/** Logical cores: os.availableParallelism() under Node, Bun and Deno (it honours CPU affinity),
 * else navigator.hardwareConcurrency; 1 if neither says. */
export async function cores(): Promise<number> {
  if (typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string') {
    try {
      const os = await import('node:os');
      return os.availableParallelism?.() ?? os.cpus().length;
    } catch { /* fall through */ }
  }
  return (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency || 1;
}

/** What init({ threads: 'auto' }) means here: a trial worker's share, else every core. */
export async function autoThreads(): Promise<number> {
  return (globalThis as { [AUTO_THREADS]?: number })[AUTO_THREADS] ?? cores();
}
