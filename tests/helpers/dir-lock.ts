// Work that several test processes may start at once (vitest runs test files in parallel
// processes), done by one at a time: withDirLock() creates the lock directory (mkdir is atomic),
// runs the work and removes it; a process that finds it there waits. A lock older than staleMs
// is taken to be left over from a crashed process and removed. The work should check again,
// under the lock, whether another process has already done it.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DirLockOptions {
  /** A lock this old (ms) is a crashed holder's. */
  staleMs?: number;
  /** Give up waiting after this long (ms). */
  timeoutMs?: number;
}

/** Runs `work` while holding the lock directory `lock` (its parent is created if missing). */
export async function withDirLock<T>(lock: string, work: () => T | Promise<T>, { staleMs = 180_000, timeoutMs = 300_000 }: DirLockOptions = {}): Promise<T> {
  mkdirSync(dirname(lock), { recursive: true });
  for (const t0 = Date.now(); ;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try { if (Date.now() - statSync(lock).mtimeMs > staleMs) rmSync(lock, { recursive: true, force: true }); } catch { /* gone */ }
      if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for the lock ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
