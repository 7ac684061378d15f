// JournalError: a journal file that cannot be read or written as it is — a damaged line (not
// UTF-8, not JSON, or JSON that is not an Optuna journal operation) anywhere but in a torn last
// line, a path that is not a file, a file that shrank while open. It names the file and, for a
// damaged line, its 1-based line number; nothing was skipped or written past it.

/**
 * Thrown by JournalFileStorage (and `simdgrad journal check|repair`) for a journal it cannot use.
 * @example
 * try { await storage.loadStudy('s'); } catch (e) {
 *   if (e instanceof sg.tune.JournalError) console.error(e.path, e.line, e.reason);
 * }
 */
export class JournalError extends Error {
  override name = 'JournalError';

  /** `line` is the 1-based line at fault, or null when the problem is the file itself; `hint` says what to do. */
  constructor(readonly path: string, readonly line: number | null, readonly reason: string, opts: { cause?: unknown; hint?: string } = {}) {
    super(`journal ${path}${line === null ? '' : `, line ${line}`}: ${reason}${opts.hint ? `. ${opts.hint}` : ''}`,
      opts.cause === undefined ? undefined : { cause: opts.cause });
  }
}

/** The error for a damaged line, with the way out. */
export function damagedLine(path: string, line: number, reason: string, cause?: unknown): JournalError {
  return new JournalError(path, line, reason, {
    cause,
    hint: 'Only a torn last line (a write cut by a crash) may be incomplete; `simdgrad journal check FILE` lists ' +
      'the damage and `simdgrad journal repair FILE` writes a copy with the intact lines before it',
  });
}
