// FileLock: a cross-process mutex made of a lock file created with O_EXCL ('wx'), as Optuna's
// JournalFileOpenLock. acquire() retries with exponential backoff (1 ms … 100 ms) and breaks a
// stale lock: one whose owner (pid on this host, written into the file) is dead, or one older
// than `staleMs` (its owner hung or lives on another host). Holds are meant to be short (one
// append + fsync). Node only (node:fs is imported lazily so bundles for other runtimes load).
// Every failure is a FileLockError naming the lock path: a path that is a directory or sits in a
// missing or unwritable directory, or a lock still held when the timeout ends.

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

/** A lock that cannot be taken: its path is unusable, or another holder kept it past the timeout. */
export class FileLockError extends Error {
  override name = 'FileLockError';
  constructor(readonly path: string, reason: string, options?: { cause?: unknown }) {
    super(`lock ${path}: ${reason}`, options);
  }
}

/** A FileLockError for a file-system error on the lock path. */
function unusable(path: string, e: unknown): FileLockError {
  const c = code(e);
  const why = c === 'EISDIR' ? 'the path is a directory, not a lock file (remove it or choose another path)'
    : c === 'ENOTFILE' ? 'the path exists and is not a regular file'
      : c === 'ENOENT' || c === 'ENOTDIR' ? 'its directory does not exist'
        : c === 'EACCES' || c === 'EPERM' || c === 'EROFS' ? `its directory is not writable (${c})`
          : `cannot be used (${c ?? (e as Error)?.message ?? String(e)})`;
  return new FileLockError(path, why, { cause: e });
}

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
        if (code(e) !== 'EEXIST') throw unusable(this.path, e);
      }
      if (await this.breakIfStale(fs)) continue;
      if (Date.now() - start > this.timeoutMs) {
        throw new FileLockError(this.path, `could not acquire the lock within ${this.timeoutMs} ms (held by: ${await this.owner(fs)})`);
      }
      await sleep(wait);
      wait = Math.min(wait * 2, 100);
    }
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const fs = await fsModule();
    await fs.unlink(this.path).catch((e: unknown) => { if (code(e) !== 'ENOENT') throw unusable(this.path, e); });
  }

  private async owner(fs: Fs): Promise<string> {
    return fs.readFile(this.path, 'utf8').catch(() => '?');
  }

  /** Removes the lock file if its owner is gone; true if it did (or the lock vanished). */
  private async breakIfStale(fs: Fs): Promise<boolean> {
    let info: string, mtime: number;
    try {
      const st = await fs.stat(this.path);
      if (!st.isFile()) throw Object.assign(new Error('not a regular file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
      [info, mtime] = [await fs.readFile(this.path, 'utf8'), st.mtimeMs];
    } catch (e) {
      if (code(e) === 'ENOENT') return true;
      throw unusable(this.path, e);
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
      if (code(e) !== 'ENOENT') throw unusable(this.path, e);
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
