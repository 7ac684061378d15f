// FileLock: a cross-process mutex made of a lock file created with O_EXCL ('wx'), as Optuna's
// JournalFileOpenLock. acquire() retries with exponential backoff (1 ms … 100 ms) and breaks a
// stale lock: one whose owner (pid on this host, written into the file) is dead, or one older
// than `staleMs` (its owner hung or lives on another host). Holds are meant to be short (one
// append + fsync). Node only (node:fs is imported lazily so bundles for other runtimes load).

export interface FileLockOptions {
  /** A lock older than this is broken (default 10 s; a legitimate hold lasts milliseconds). */
  staleMs?: number;
  /** Give up acquiring after this long (default 60 s). */
  timeoutMs?: number;
}

type Fs = typeof import('node:fs/promises');
let fsp: Promise<Fs> | undefined;
const fsModule = (): Promise<Fs> => (fsp ??= import('node:fs/promises'));
let hostName: string | undefined;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const code = (e: unknown): string | undefined => (e as { code?: string } | null)?.code;

/**
 * An exclusive lock on `path` (a file that exists while the lock is held).
 * @example
 * const lock = new FileLock('study.jsonl.lock');
 * await lock.withLock(async () => { ... });
 */
export class FileLock {
  private readonly staleMs: number;
  private readonly timeoutMs: number;
  private held = false;

  constructor(readonly path: string, { staleMs = 10_000, timeoutMs = 60_000 }: FileLockOptions = {}) {
    this.staleMs = staleMs;
    this.timeoutMs = timeoutMs;
  }

  /** Runs fn while holding the lock. */
  async withLock<T>(fn: () => Promise<T>): Promise<T> {
    await this.acquire();
    try {
      return await fn();
    } finally {
      await this.release();
    }
  }

  async acquire(): Promise<void> {
    const fs = await fsModule();
    hostName ??= (await import('node:os')).hostname();
    const start = Date.now();
    let wait = 1;
    for (;;) {
      try {
        const h = await fs.open(this.path, 'wx');
        try { await h.writeFile(`${process.pid} ${hostName} ${Date.now()}`); } finally { await h.close(); }
        this.held = true;
        return;
      } catch (e) {
        if (code(e) !== 'EEXIST') throw e;
      }
      if (await this.breakIfStale(fs)) continue;
      if (Date.now() - start > this.timeoutMs) {
        throw new Error(`could not acquire lock ${this.path} within ${this.timeoutMs} ms (held by: ${await this.owner(fs)})`);
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 100);
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const fs = await fsModule();
    await fs.unlink(this.path).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw e; });
  }

  private async owner(fs: Fs): Promise<string> {
    return fs.readFile(this.path, 'utf8').catch(() => '?');
  }

  /** Removes the lock file if its owner is gone; true if it did (or the lock vanished). */
  private async breakIfStale(fs: Fs): Promise<boolean> {
    let info: string, mtime: number;
    try {
      [info, mtime] = await Promise.all([fs.readFile(this.path, 'utf8'), fs.stat(this.path).then((s) => s.mtimeMs)]);
    } catch (e) {
      if (code(e) === 'ENOENT') return true;
      throw e;
    }
    const [pid, host] = info.split(' ');
    let stale = Date.now() - mtime > this.staleMs;
    if (!stale && host === hostName && pid && Number(pid) !== process.pid) stale = !alive(Number(pid));
    if (!stale) return false;
    // Rename first: of several processes breaking the same lock, exactly one rename succeeds.
    const aside = `${this.path}.${process.pid}.${Date.now()}.stale`;
    try {
      await fs.rename(this.path, aside);
      await fs.unlink(aside);
    } catch (e) {
      if (code(e) !== 'ENOENT') throw e;
    }
    return true;
  }
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return code(e) === 'EPERM';
  }
}
